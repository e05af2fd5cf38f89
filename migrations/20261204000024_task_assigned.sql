-- A task given to a named colleague of the same unit (issue 15, item 9): the history records it
-- as its own kind, 'assigned', with the name of the person it was given to (`assignee_name`, as
-- `user_name` keeps the name of the one who gave it).
--
-- SQLite cannot change a CHECK constraint in place, so `task_event` is rebuilt as migration 20
-- rebuilt `app_user` (see there why the file ends sqlx's transaction and opens its own with
-- foreign keys off): every row and id is kept, with its index and the triggers that keep the
-- history append-only. A stop between the two commits leaves the rebuild done; a second run
-- copies the same rows again.

COMMIT;

PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

CREATE TABLE task_event_new (
    id             INTEGER PRIMARY KEY,
    task_id        INTEGER NOT NULL REFERENCES task (id) ON DELETE RESTRICT,
    at             TEXT NOT NULL,
    -- NULL: the portal (a task generated, moved or withdrawn because the plan's facts changed).
    user_id        INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    user_name      TEXT,
    kind           TEXT NOT NULL CHECK (kind IN (
                       'created', 'claimed', 'released', 'status', 'comment', 'due_changed',
                       'moved', 'extended', 'assigned')),
    -- The status after the change.
    status         TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'not_applicable',
                                                   'withdrawn')),
    due_on         TEXT,
    comment        TEXT CHECK (comment IS NULL OR length(comment) <= 2000),
    -- Whom the task was given to ('assigned' only), by name as it was then.
    assignee_name  TEXT CHECK (assignee_name IS NULL OR length(trim(assignee_name)) BETWEEN 1 AND 200),
    CHECK ((kind = 'assigned') = (assignee_name IS NOT NULL))
) STRICT;

INSERT INTO task_event_new (id, task_id, at, user_id, user_name, kind, status, due_on, comment)
SELECT id, task_id, at, user_id, user_name, kind, status, due_on, comment FROM task_event;

DROP TABLE task_event;
ALTER TABLE task_event_new RENAME TO task_event;

CREATE INDEX task_event_by_task ON task_event (task_id, id);

CREATE TRIGGER task_event_no_update BEFORE UPDATE ON task_event
BEGIN
    SELECT RAISE(ABORT, 'task history is append-only');
END;

CREATE TRIGGER task_event_no_delete BEFORE DELETE ON task_event
BEGIN
    SELECT RAISE(ABORT, 'task history is append-only');
END;

COMMIT;

PRAGMA foreign_keys = ON;

BEGIN;
