-- The exit-meeting figures of the municipality's compliance pages (`repo::compliance`) read the
-- stays that moved out in a period. Without this they read every stay.
CREATE INDEX stay_by_move_out ON stay (move_out) WHERE move_out IS NOT NULL;
