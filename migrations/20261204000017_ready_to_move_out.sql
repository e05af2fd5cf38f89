-- Stays that go on for lack of housing: the day staff judged the resident ready to move out
-- (stabilised, waiting only for housing). The municipality counts the days from it to the
-- move-out, and the plan list flags a stay ready for long. Adding a column keeps every row as it
-- was (NULL here).
ALTER TABLE stay ADD COLUMN ready_on TEXT
    CHECK (ready_on IS NULL OR (date(ready_on) IS ready_on AND ready_on >= arrival));
