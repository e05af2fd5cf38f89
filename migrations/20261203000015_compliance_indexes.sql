-- The municipality's compliance figures (`repo::compliance`, `repo::deviations::period_counts`)
-- read one step's tasks by due date, one step's open tasks per district, and the deviations that
-- are open or were closed from the period's first day on. Without these they read every task and
-- every deviation: on the national benchmark dataset (272,418 tasks, 101,505 deviations) the page
-- took 144 ms for a quarter and 204 ms for a year.
CREATE INDEX task_by_step_due ON task (step, due_on);
CREATE INDEX task_open_by_step ON task (step, district_id) WHERE status IN ('open', 'in_progress');
CREATE INDEX deviation_open_by_district ON deviation (district_id) WHERE status = 'open';
CREATE INDEX deviation_by_closed ON deviation (closed_on);
