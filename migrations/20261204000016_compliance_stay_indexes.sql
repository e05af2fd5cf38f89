-- The exit-meeting and transfer figures of the municipality's compliance pages
-- (`repo::compliance`) read the stays that moved out, or whose hand-over to another district
-- started or ended, in a period. Without these they read every stay.
CREATE INDEX stay_by_move_out ON stay (move_out) WHERE move_out IS NOT NULL;
CREATE INDEX stay_by_handover_start ON stay (handover_started_at)
    WHERE handover_started_at IS NOT NULL;
CREATE INDEX stay_by_handover_end ON stay (handover_ended_at)
    WHERE handover_ended_at IS NOT NULL;
