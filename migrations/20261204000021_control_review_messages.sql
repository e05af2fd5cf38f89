-- Messages about internal-control documents: a document's review date coming up (30 days
-- before) and passed go to the district's leader contacts through the outbox, once each (the
-- key names the district, the document, the service and the review date). A row names the
-- document; no message is about a person.
--
-- SQLite cannot change a CHECK constraint in place; no table refers to `outbox`, so it is
-- copied into its new definition as migrations 12 and 14 did, with its indexes made again.

CREATE TABLE outbox_new (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 200),
    created_at    TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN (
                      'task_assigned', 'task_due_soon', 'task_overdue', 'task_escalated',
                      'unit_digest', 'exit_meeting_invitation', 'deviation_opened',
                      'control_review_soon', 'control_review_passed')),
    audience      TEXT NOT NULL DEFAULT 'unit' CHECK (audience IN ('unit', 'leader', 'user')),
    district_id   INTEGER REFERENCES district (id) ON DELETE RESTRICT,
    service_kind  TEXT CHECK (service_kind IN ('nav', 'child_welfare', 'violence_coordinator')),
    user_id       INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    task_id       INTEGER REFERENCES task (id) ON DELETE RESTRICT,
    stay_id       INTEGER REFERENCES stay (id) ON DELETE RESTRICT,
    deviation_id  INTEGER REFERENCES deviation (id) ON DELETE RESTRICT,
    document_id   INTEGER REFERENCES control_document (id) ON DELETE RESTRICT,
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
    CHECK ((kind = 'deviation_opened') = (deviation_id IS NOT NULL)),
    -- A review message names its document and the review date, and goes to leaders.
    CHECK ((kind IN ('control_review_soon', 'control_review_passed'))
           = (document_id IS NOT NULL)),
    CHECK (document_id IS NULL OR (audience = 'leader' AND on_date IS NOT NULL))
) STRICT;

INSERT INTO outbox_new (id, key, created_at, kind, audience, district_id, service_kind, user_id,
                        task_id, stay_id, deviation_id, on_date, state, attempts, next_try_at,
                        claim, claimed_until, sent_at, message_id, last_error)
SELECT id, key, created_at, kind, audience, district_id, service_kind, user_id, task_id, stay_id,
       deviation_id, on_date, state, attempts, next_try_at, claim, claimed_until, sent_at,
       message_id, last_error
FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;

CREATE INDEX outbox_due ON outbox (next_try_at, id) WHERE state = 'pending';
CREATE INDEX outbox_by_state ON outbox (state, id);
