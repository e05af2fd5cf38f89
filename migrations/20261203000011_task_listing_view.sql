-- One definition of a task as lists and the task page read it (the inbox, a plan's tasks, one
-- task): the task with its resident's name, the extension's due date, and the names of its
-- assignee and district. Queries filter on the view's task columns, which SQLite pushes down to
-- the task table's indexes (the view is flattened into each query).
CREATE VIEW task_listing AS
SELECT t.id, t.stay_id, r.name AS resident, t.step, t.district_id, t.service_kind, t.due_on,
       e.due_on AS extended_to, t.status, t.assignee_id, u.name AS assignee,
       d.name AS district, t.reason, t.version
FROM task t
JOIN stay s ON s.id = t.stay_id
JOIN resident r ON r.id = s.resident_id
LEFT JOIN task_extension e ON e.task_id = t.id
LEFT JOIN app_user u ON u.id = t.assignee_id
LEFT JOIN district d ON d.id = t.district_id;
