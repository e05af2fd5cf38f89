-- Deviations (avvik): internal control of the plan's steps. A deviation is opened once, by the
-- deadline scan, when a step the routine marks as binding misses its deadline, or by hand by a
-- caseworker or crisis center staff from a task. It answers to the task's unit (for the crisis
-- center's own steps: the crisis center), is handled with a cause and a measure from fixed lists
-- (and a free text seen only by the district and the crisis center), and is closed by a named
-- person. Deviations and their history are never deleted; reopening is a new history row.

-- Whether missing a step's deadline is a deviation is part of the routine's versioned data. The
-- default routine marks the housing plan, child welfare's review and investigation, the exit
-- meeting before move-out and the follow-up plan as binding; published rules do not change
-- otherwise, so the guard is lifted for this one update and put back.
DROP TRIGGER routine_rule_no_update;
ALTER TABLE routine_rule ADD COLUMN binding INTEGER NOT NULL DEFAULT 0 CHECK (binding IN (0, 1));
UPDATE routine_rule SET binding = 1
WHERE step IN ('housing_plan', 'child_welfare_review', 'child_welfare_investigation',
               'exit_meeting', 'follow_up_plan');
CREATE TRIGGER routine_rule_no_update BEFORE UPDATE ON routine_rule
BEGIN
    SELECT RAISE(ABORT, 'a published routine version does not change');
END;

CREATE TABLE deviation (
    id            INTEGER PRIMARY KEY,
    stay_id       INTEGER NOT NULL REFERENCES stay (id) ON DELETE RESTRICT,
    task_id       INTEGER NOT NULL REFERENCES task (id) ON DELETE RESTRICT,
    step          TEXT NOT NULL CHECK (step IN (
                      'housing_plan', 'follow_up_plan', 'exit_meeting', 'concern_report',
                      'child_welfare_review', 'child_welfare_investigation', 'individual_plan',
                      'main_coordinator', 'transfer', 'follow_up_contact')),
    -- The unit that answers for it; both NULL: the crisis center.
    district_id   INTEGER REFERENCES district (id) ON DELETE RESTRICT,
    service_kind  TEXT CHECK (service_kind IN ('nav', 'child_welfare', 'violence_coordinator')),
    -- 'deadline': opened by the scan for a binding step past its (extended) due date;
    -- 'manual': opened by a person.
    origin        TEXT NOT NULL CHECK (origin IN ('deadline', 'manual')),
    -- The (extended) due date that was missed, for 'deadline'.
    due_on        TEXT CHECK (due_on IS NULL OR date(due_on) IS due_on),
    opened_on     TEXT NOT NULL CHECK (date(opened_on) IS opened_on),
    opened_at     TEXT NOT NULL,
    -- NULL for the scan.
    opened_by     INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    cause         TEXT CHECK (cause IN (
                      'capacity', 'routine_unknown', 'information_missing', 'wrong_recipient',
                      'resident_circumstances', 'technical', 'other')),
    measure       TEXT CHECK (measure IN (
                      'training', 'routine_changed', 'staffing', 'cooperation_meeting',
                      'case_followed_up', 'none_needed', 'other')),
    -- Seen only by the district and the crisis center, never by reviewers.
    note          TEXT CHECK (note IS NULL OR length(trim(note)) BETWEEN 1 AND 2000),
    closed_on     TEXT CHECK (closed_on IS NULL OR date(closed_on) IS closed_on),
    closed_by     INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    version       INTEGER NOT NULL DEFAULT 1,
    CHECK ((district_id IS NULL) = (service_kind IS NULL)),
    CHECK ((origin = 'deadline') = (due_on IS NOT NULL)),
    CHECK ((origin = 'manual') = (opened_by IS NOT NULL)),
    CHECK ((status = 'closed') = (closed_on IS NOT NULL AND closed_by IS NOT NULL)),
    CHECK (status = 'open' OR (cause IS NOT NULL AND measure IS NOT NULL))
) STRICT;

-- A missed deadline opens one deviation, however often the scan runs (in one or two processes).
CREATE UNIQUE INDEX deviation_once ON deviation (task_id) WHERE origin = 'deadline';
CREATE INDEX deviation_by_district ON deviation (district_id, status, opened_on);
CREATE INDEX deviation_by_opened ON deviation (opened_on);

CREATE TRIGGER deviation_no_delete BEFORE DELETE ON deviation
BEGIN
    SELECT RAISE(ABORT, 'a deviation is never deleted');
END;

-- What happened to a deviation, by whom: opened, handled (cause, measure, note saved), closed,
-- reopened. Append-only.
CREATE TABLE deviation_event (
    id            INTEGER PRIMARY KEY,
    deviation_id  INTEGER NOT NULL REFERENCES deviation (id) ON DELETE RESTRICT,
    at            TEXT NOT NULL,
    user_id       INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    kind          TEXT NOT NULL CHECK (kind IN ('opened', 'handled', 'closed', 'reopened')),
    cause         TEXT,
    measure       TEXT,
    note          TEXT CHECK (note IS NULL OR length(note) <= 2000)
) STRICT;

CREATE INDEX deviation_event_by_deviation ON deviation_event (deviation_id, id);

CREATE TRIGGER deviation_event_no_update BEFORE UPDATE ON deviation_event
BEGIN
    SELECT RAISE(ABORT, 'deviation history is append-only');
END;

CREATE TRIGGER deviation_event_no_delete BEFORE DELETE ON deviation_event
BEGIN
    SELECT RAISE(ABORT, 'deviation history is append-only');
END;

-- The leader contacts of the unit are told of a new deviation through the outbox: a new kind,
-- and the deviation the row is about. SQLite cannot change a CHECK, so the table is rebuilt with
-- its rows.
CREATE TABLE outbox_new (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 200),
    created_at    TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN (
                      'task_assigned', 'task_due_soon', 'task_overdue', 'task_escalated',
                      'unit_digest', 'exit_meeting_invitation', 'deviation_opened')),
    audience      TEXT NOT NULL DEFAULT 'unit' CHECK (audience IN ('unit', 'leader', 'user')),
    district_id   INTEGER REFERENCES district (id) ON DELETE RESTRICT,
    service_kind  TEXT CHECK (service_kind IN ('nav', 'child_welfare', 'violence_coordinator')),
    user_id       INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    task_id       INTEGER REFERENCES task (id) ON DELETE RESTRICT,
    stay_id       INTEGER REFERENCES stay (id) ON DELETE RESTRICT,
    deviation_id  INTEGER REFERENCES deviation (id) ON DELETE RESTRICT,
    on_date       TEXT CHECK (on_date IS NULL OR date(on_date) IS on_date),
    state         TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sent', 'failed', 'skipped')),
    attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_try_at   TEXT NOT NULL,
    claim         TEXT,
    claimed_until TEXT,
    sent_at       TEXT,
    message_id    TEXT,
    last_error    TEXT CHECK (last_error IS NULL OR length(last_error) <= 500),
    CHECK ((state = 'sent') = (sent_at IS NOT NULL)),
    CHECK ((district_id IS NULL) = (service_kind IS NULL)),
    CHECK ((audience = 'user') = (user_id IS NOT NULL)),
    CHECK (audience = 'user' OR district_id IS NOT NULL),
    CHECK ((kind = 'deviation_opened') = (deviation_id IS NOT NULL))
) STRICT;

INSERT INTO outbox_new (id, key, created_at, kind, audience, district_id, service_kind, user_id,
                        task_id, stay_id, on_date, state, attempts, next_try_at, claim,
                        claimed_until, sent_at, message_id, last_error)
SELECT id, key, created_at, kind, audience, district_id, service_kind, user_id, task_id, stay_id,
       on_date, state, attempts, next_try_at, claim, claimed_until, sent_at, message_id, last_error
FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;

CREATE INDEX outbox_due ON outbox (next_try_at, id) WHERE state = 'pending';
CREATE INDEX outbox_by_state ON outbox (state, id);
