-- Notifications: the outbox becomes the only way a message leaves the portal.
--
-- Each row is one message to one recipient: what it is about (a task, a unit's day), who gets it
-- (the unit, its leader, or one user), and its delivery state. A row's `key` is unique, so a scan
-- that runs again (or in two processes) queues nothing twice. The sender claims due rows for a
-- while (`claim`, `claimed_until`), sends, and marks each row sent with the Message-ID it used;
-- a failure moves `next_try_at` on (exponential backoff with a cap) until the row is marked
-- failed with its last error (never personal data). A row that no longer makes sense when its
-- turn comes (the task was closed or moved) is marked skipped.
--
-- The old table's rows are kept: an unsent row becomes pending (due at once), a sent one sent.
-- Its key is the task and the row's own id, which no new key has the form of.

ALTER TABLE app_user ADD COLUMN language TEXT NOT NULL DEFAULT 'nb'
    CHECK (language IN ('nb', 'en'));
-- 'immediate': a message per event; 'digest': the unit's daily digest only.
ALTER TABLE app_user ADD COLUMN notify TEXT NOT NULL DEFAULT 'immediate'
    CHECK (notify IN ('immediate', 'digest'));

CREATE TABLE outbox_new (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 200),
    created_at    TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN (
                      'task_assigned', 'task_due_soon', 'task_overdue', 'task_escalated',
                      'unit_digest', 'exit_meeting_invitation')),
    -- 'unit': the unit's shared address (for a claimed task: its caseworker); 'leader': the
    -- unit's leader contacts in the directory; 'user': one user (`user_id`).
    audience      TEXT NOT NULL DEFAULT 'unit' CHECK (audience IN ('unit', 'leader', 'user')),
    district_id   INTEGER REFERENCES district (id) ON DELETE RESTRICT,
    service_kind  TEXT CHECK (service_kind IN ('nav', 'child_welfare', 'violence_coordinator')),
    user_id       INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    task_id       INTEGER REFERENCES task (id) ON DELETE RESTRICT,
    stay_id       INTEGER REFERENCES stay (id) ON DELETE RESTRICT,
    -- The Oslo date a scan queued the row for (due soon, overdue, escalation, digest).
    on_date       TEXT CHECK (on_date IS NULL OR date(on_date) IS on_date),
    state         TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sent', 'failed', 'skipped')),
    attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_try_at   TEXT NOT NULL,
    claim         TEXT,
    claimed_until TEXT,
    sent_at       TEXT,
    message_id    TEXT,
    -- Why the last attempt failed, or why the row was skipped: never personal data.
    last_error    TEXT CHECK (last_error IS NULL OR length(last_error) <= 500),
    CHECK ((state = 'sent') = (sent_at IS NOT NULL)),
    CHECK ((district_id IS NULL) = (service_kind IS NULL)),
    CHECK ((audience = 'user') = (user_id IS NOT NULL)),
    CHECK (audience = 'user' OR district_id IS NOT NULL)
) STRICT;

INSERT INTO outbox_new (id, key, created_at, kind, audience, district_id, service_kind, task_id,
                        state, attempts, next_try_at, sent_at, last_error)
SELECT id, 'task_assigned:' || task_id || ':row:' || id, created_at, kind, 'unit', district_id,
       service_kind, task_id, CASE WHEN sent_at IS NULL THEN 'pending' ELSE 'sent' END, attempts,
       created_at, sent_at, last_error
FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;

-- The sender's query: pending rows in the order they are due.
CREATE INDEX outbox_due ON outbox (next_try_at, id) WHERE state = 'pending';
-- `portal outbox` and the admin page: rows by state, newest first.
CREATE INDEX outbox_by_state ON outbox (state, id);

-- A unit whose messages an administrator paused (a new shared address being set up, a unit being
-- reorganised): its rows wait in the outbox, and go when the pause ends.
CREATE TABLE unit_mail_pause (
    district_id   INTEGER NOT NULL REFERENCES district (id) ON DELETE RESTRICT,
    service_kind  TEXT NOT NULL CHECK (service_kind IN ('nav', 'child_welfare', 'violence_coordinator')),
    paused_at     TEXT NOT NULL,
    paused_by     INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    PRIMARY KEY (district_id, service_kind)
) STRICT;
