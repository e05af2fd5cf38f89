-- Audit findings and their closure plans (issue 18): an administrator or reviewer records a
-- finding for a district (date, legal basis, text); the district plans its closure as steps,
-- each owned by one of its own services with a deadline (in that unit's inbox, with the same
-- overdue flags and messages as plan tasks); a reviewer closes the finding with a date and a
-- note. Also a district's document as an uploaded PDF, kept in the database, size-limited.
-- No personal data: a finding is about a district's routines, never about a resident.

CREATE TABLE control_finding (
    id            INTEGER PRIMARY KEY,
    district_id   INTEGER NOT NULL REFERENCES district (id) ON DELETE RESTRICT,
    found_on      TEXT NOT NULL CHECK (date(found_on) IS found_on),
    legal_basis   TEXT NOT NULL CHECK (length(trim(legal_basis)) BETWEEN 1 AND 300),
    text          TEXT NOT NULL CHECK (length(trim(text)) BETWEEN 1 AND 4000),
    recorded_by   INTEGER NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
    recorded_at   TEXT NOT NULL,
    closed_on     TEXT CHECK (closed_on IS NULL OR date(closed_on) IS closed_on),
    closing_note  TEXT CHECK (closing_note IS NULL OR length(trim(closing_note)) BETWEEN 1 AND 4000),
    closed_by     INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    version       INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK ((closed_on IS NULL) = (closing_note IS NULL)),
    CHECK ((closed_on IS NULL) = (closed_by IS NULL)),
    CHECK (closed_on IS NULL OR closed_on >= found_on)
) STRICT;

CREATE INDEX control_finding_by_district ON control_finding (district_id, closed_on, id);

-- A step of a finding's closure plan: a task of one of the finding's district's services.
CREATE TABLE finding_step (
    id            INTEGER PRIMARY KEY,
    finding_id    INTEGER NOT NULL REFERENCES control_finding (id) ON DELETE RESTRICT,
    -- The finding's district (a trigger keeps them equal): the unit's inbox is (district, service).
    district_id   INTEGER NOT NULL REFERENCES district (id) ON DELETE RESTRICT,
    service_kind  TEXT NOT NULL CHECK (service_kind IN ('nav', 'child_welfare', 'violence_coordinator')),
    text          TEXT NOT NULL CHECK (length(trim(text)) BETWEEN 1 AND 1000),
    due_on        TEXT NOT NULL CHECK (date(due_on) IS due_on),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    done_on       TEXT CHECK (done_on IS NULL OR date(done_on) IS done_on),
    version       INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at    TEXT NOT NULL,
    created_by    INTEGER NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
    CHECK ((status = 'done') = (done_on IS NOT NULL))
) STRICT;

CREATE INDEX finding_step_by_finding ON finding_step (finding_id, id);
CREATE INDEX finding_step_by_unit ON finding_step (district_id, service_kind, status, due_on);

CREATE TRIGGER finding_step_in_its_district BEFORE INSERT ON finding_step
WHEN NEW.district_id IS NOT (SELECT district_id FROM control_finding WHERE id = NEW.finding_id)
BEGIN
    SELECT RAISE(ABORT, 'a closure step belongs to its finding''s district');
END;

CREATE TRIGGER finding_step_stays_in_its_district BEFORE UPDATE OF finding_id, district_id
ON finding_step
WHEN NEW.district_id IS NOT OLD.district_id OR NEW.finding_id IS NOT OLD.finding_id
BEGIN
    SELECT RAISE(ABORT, 'a closure step stays with its finding');
END;

-- Every change of a finding and its steps, as saved: the history a reviewer reads.
CREATE TABLE control_finding_event (
    id          INTEGER PRIMARY KEY,
    finding_id  INTEGER NOT NULL REFERENCES control_finding (id) ON DELETE RESTRICT,
    step_id     INTEGER REFERENCES finding_step (id) ON DELETE RESTRICT,
    at          TEXT NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
    -- A snapshot, so the row still says who it was after the user is renamed.
    user_name   TEXT NOT NULL,
    what        TEXT NOT NULL CHECK (what IN ('recorded', 'step_added', 'step_done', 'step_reopened',
                                              'closed')),
    CHECK ((what IN ('step_added', 'step_done', 'step_reopened')) = (step_id IS NOT NULL))
) STRICT;

CREATE INDEX control_finding_event_by_finding ON control_finding_event (finding_id, id);

CREATE TRIGGER control_finding_event_no_update BEFORE UPDATE ON control_finding_event
BEGIN
    SELECT RAISE(ABORT, 'control_finding_event is append-only');
END;

CREATE TRIGGER control_finding_event_no_delete BEFORE DELETE ON control_finding_event
BEGIN
    SELECT RAISE(ABORT, 'control_finding_event is append-only');
END;

-- A district's document as a PDF (the newest upload; earlier ones are replaced, the history
-- keeps that one was uploaded, when, by whom and its size).
CREATE TABLE district_document_file (
    district_id  INTEGER NOT NULL REFERENCES district (id) ON DELETE RESTRICT,
    document_id  INTEGER NOT NULL REFERENCES control_document (id) ON DELETE RESTRICT,
    content      BLOB NOT NULL,
    bytes        INTEGER NOT NULL CHECK (bytes BETWEEN 5 AND 10485760 AND bytes = length(content)),
    sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
    uploaded_at  TEXT NOT NULL,
    uploaded_by  INTEGER NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
    PRIMARY KEY (district_id, document_id),
    CHECK (substr(content, 1, 5) = CAST('%PDF-' AS BLOB))
) STRICT;

-- A history row of an upload names the file's size (NULL: a change of the status).
ALTER TABLE district_document_event ADD COLUMN file_bytes INTEGER;

-- The outbox gains the closure steps' messages (due soon, overdue), to the step's unit. SQLite
-- cannot change a CHECK constraint in place; no table refers to `outbox`, so it is copied into
-- its new definition as migrations 12, 14 and 21 did, with its indexes made again.
CREATE TABLE outbox_new (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 200),
    created_at    TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN (
                      'task_assigned', 'task_due_soon', 'task_overdue', 'task_escalated',
                      'unit_digest', 'exit_meeting_invitation', 'deviation_opened',
                      'control_review_soon', 'control_review_passed',
                      'finding_step_due_soon', 'finding_step_overdue')),
    audience      TEXT NOT NULL DEFAULT 'unit' CHECK (audience IN ('unit', 'leader', 'user')),
    district_id   INTEGER REFERENCES district (id) ON DELETE RESTRICT,
    service_kind  TEXT CHECK (service_kind IN ('nav', 'child_welfare', 'violence_coordinator')),
    user_id       INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    task_id       INTEGER REFERENCES task (id) ON DELETE RESTRICT,
    stay_id       INTEGER REFERENCES stay (id) ON DELETE RESTRICT,
    deviation_id  INTEGER REFERENCES deviation (id) ON DELETE RESTRICT,
    document_id   INTEGER REFERENCES control_document (id) ON DELETE RESTRICT,
    step_id       INTEGER REFERENCES finding_step (id) ON DELETE RESTRICT,
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
    CHECK ((kind IN ('control_review_soon', 'control_review_passed'))
           = (document_id IS NOT NULL)),
    CHECK (document_id IS NULL OR (audience = 'leader' AND on_date IS NOT NULL)),
    -- A closure step's message names its step and due date, and goes to the step's unit.
    CHECK ((kind IN ('finding_step_due_soon', 'finding_step_overdue')) = (step_id IS NOT NULL)),
    CHECK (step_id IS NULL OR (audience = 'unit' AND on_date IS NOT NULL))
) STRICT;

INSERT INTO outbox_new (id, key, created_at, kind, audience, district_id, service_kind, user_id,
                        task_id, stay_id, deviation_id, document_id, on_date, state, attempts,
                        next_try_at, claim, claimed_until, sent_at, message_id, last_error)
SELECT id, key, created_at, kind, audience, district_id, service_kind, user_id, task_id, stay_id,
       deviation_id, document_id, on_date, state, attempts, next_try_at, claim, claimed_until,
       sent_at, message_id, last_error
FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;

CREATE INDEX outbox_due ON outbox (next_try_at, id) WHERE state = 'pending';
CREATE INDEX outbox_by_state ON outbox (state, id);
