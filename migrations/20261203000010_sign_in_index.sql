-- Every sign-in attempt looks up the user's last successful sign-in (`recent_failures`). With
-- only the (user_id, at) index that read every access-log row of the user, and a caseworker's
-- reads are all logged: the cost of a sign-in grew with the years. This partial index holds the
-- successful sign-ins only.
CREATE INDEX access_log_sign_ins ON access_log (user_id, id) WHERE action = 'sign_in' AND outcome = 'ok';
