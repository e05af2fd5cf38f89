-- A task whose step no longer applies after the plan changed (the target district set back to
-- the home district, the planned move-out cleared) is 'withdrawn' by the portal: closed, in
-- nobody's inbox, never overdue; the portal opens it again when the step applies again.
--
-- SQLite cannot change a CHECK constraint in place, and sqlx runs each migration in one
-- transaction with foreign keys on, so `task` is rebuilt the way that allows: the rows of the
-- tables that reference it are kept in temporary tables, those tables are dropped, `task` is
-- copied into its new definition, and the referencing tables are created again (unchanged, but
-- for the new status in `task_event`) with their rows, indexes and triggers.

CREATE TEMP TABLE keep_task_extension AS SELECT * FROM task_extension;
CREATE TEMP TABLE keep_task_event AS SELECT * FROM task_event;
CREATE TEMP TABLE keep_outbox AS SELECT * FROM outbox;

-- Dropping a table drops its triggers first, so the append-only triggers do not fire here.
DROP TABLE task_extension;
DROP TABLE task_event;
DROP TABLE outbox;

CREATE TABLE task_new (
    id            INTEGER PRIMARY KEY,
    stay_id       INTEGER NOT NULL REFERENCES stay (id) ON DELETE RESTRICT,
    rule_id       INTEGER NOT NULL REFERENCES routine_rule (id) ON DELETE RESTRICT,
    step          TEXT NOT NULL CHECK (step IN (
                      'housing_plan', 'follow_up_plan', 'exit_meeting', 'concern_report',
                      'child_welfare_review', 'child_welfare_investigation', 'individual_plan',
                      'main_coordinator', 'transfer', 'follow_up_contact')),
    -- The unit inbox: a district's service. Both NULL: a crisis center task.
    district_id   INTEGER REFERENCES district (id) ON DELETE RESTRICT,
    service_kind  TEXT CHECK (service_kind IN ('nav', 'child_welfare', 'violence_coordinator')),
    -- From the rule and the anchor date; changes only when the anchor date changes.
    due_on        TEXT NOT NULL CHECK (date(due_on) IS due_on),
    -- 'withdrawn': closed by the portal because the step no longer applies; opened again by
    -- the portal when it applies again.
    status        TEXT NOT NULL DEFAULT 'open'
                  CHECK (status IN ('open', 'in_progress', 'done', 'not_applicable', 'withdrawn')),
    assignee_id   INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    -- Why the task does not apply; required for that status.
    reason        TEXT CHECK (reason IS NULL OR length(trim(reason)) BETWEEN 1 AND 1000),
    -- The Oslo date the task was closed (done, not applicable or withdrawn).
    closed_on     TEXT CHECK (closed_on IS NULL OR date(closed_on) IS closed_on),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    CHECK ((district_id IS NULL) = (service_kind IS NULL)),
    CHECK ((status = 'not_applicable') = (reason IS NOT NULL)),
    CHECK ((status IN ('done', 'not_applicable', 'withdrawn')) = (closed_on IS NOT NULL)),
    UNIQUE (stay_id, rule_id)
) STRICT;

INSERT INTO task_new (id, stay_id, rule_id, step, district_id, service_kind, due_on, status,
                      assignee_id, reason, closed_on, version, created_at)
SELECT id, stay_id, rule_id, step, district_id, service_kind, due_on, status,
       assignee_id, reason, closed_on, version, created_at
FROM task;

DROP TABLE task;
ALTER TABLE task_new RENAME TO task;

CREATE INDEX task_by_unit ON task (district_id, service_kind, status, due_on);
CREATE INDEX task_by_stay ON task (stay_id);
CREATE INDEX task_open_by_due ON task (due_on) WHERE status IN ('open', 'in_progress');

CREATE TABLE task_extension (
    task_id      INTEGER PRIMARY KEY REFERENCES task (id) ON DELETE RESTRICT,
    due_on       TEXT NOT NULL CHECK (date(due_on) IS due_on),
    reason       TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 1000),
    granted_by   TEXT NOT NULL CHECK (length(trim(granted_by)) BETWEEN 1 AND 200),
    recorded_by  INTEGER NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
    recorded_at  TEXT NOT NULL
) STRICT;

INSERT INTO task_extension (task_id, due_on, reason, granted_by, recorded_by, recorded_at)
SELECT task_id, due_on, reason, granted_by, recorded_by, recorded_at FROM keep_task_extension;

CREATE TABLE task_event (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES task (id) ON DELETE RESTRICT,
    at          TEXT NOT NULL,
    -- NULL: the portal (a task generated, moved or withdrawn because the plan's facts changed).
    user_id     INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    user_name   TEXT,
    kind        TEXT NOT NULL CHECK (kind IN (
                    'created', 'claimed', 'released', 'status', 'comment', 'due_changed',
                    'moved', 'extended')),
    -- The status after the change.
    status      TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'not_applicable',
                                                'withdrawn')),
    due_on      TEXT,
    comment     TEXT CHECK (comment IS NULL OR length(comment) <= 2000)
) STRICT;

INSERT INTO task_event (id, task_id, at, user_id, user_name, kind, status, due_on, comment)
SELECT id, task_id, at, user_id, user_name, kind, status, due_on, comment FROM keep_task_event;

CREATE INDEX task_event_by_task ON task_event (task_id, id);

CREATE TRIGGER task_event_no_update BEFORE UPDATE ON task_event
BEGIN
    SELECT RAISE(ABORT, 'task history is append-only');
END;

CREATE TRIGGER task_event_no_delete BEFORE DELETE ON task_event
BEGIN
    SELECT RAISE(ABORT, 'task history is append-only');
END;

CREATE TRIGGER task_extension_no_update BEFORE UPDATE ON task_extension
BEGIN
    SELECT RAISE(ABORT, 'an extension is recorded once');
END;

-- Notices to send, written in the transaction of the change that caused them. They carry no
-- personal data: a unit is told that its inbox has a new task, with a link to sign in.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    created_at    TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('task_assigned')),
    district_id   INTEGER NOT NULL REFERENCES district (id) ON DELETE RESTRICT,
    service_kind  TEXT NOT NULL CHECK (service_kind IN ('nav', 'child_welfare', 'violence_coordinator')),
    task_id       INTEGER NOT NULL REFERENCES task (id) ON DELETE RESTRICT,
    sent_at       TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT
) STRICT;

INSERT INTO outbox (id, created_at, kind, district_id, service_kind, task_id, sent_at, attempts,
                    last_error)
SELECT id, created_at, kind, district_id, service_kind, task_id, sent_at, attempts, last_error
FROM keep_outbox;

CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

DROP TABLE keep_task_extension;
DROP TABLE keep_task_event;
DROP TABLE keep_outbox;
