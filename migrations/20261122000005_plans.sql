-- Residents, their stays at the crisis center and the stays' re-establishment plans: one stay is
-- one plan. Tasks are generated from the routine version the plan was created under; each task
-- sits in one unit's inbox (a district's service) or with the crisis center. Enum columns mirror
-- app/src/domain/plan.rs. Dates are Oslo calendar dates ('YYYY-MM-DD').
--
-- The least that does the job: a name or agreed alias, a birth year, a gender for the statistics,
-- an optional case reference. Never an address: at most the flag that the person has a secret one.

CREATE TABLE resident (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    birth_year      INTEGER NOT NULL CHECK (birth_year BETWEEN 1900 AND 2100),
    gender          TEXT NOT NULL CHECK (gender IN ('female', 'male', 'other', 'unknown')),
    case_reference  TEXT CHECK (case_reference IS NULL OR length(case_reference) BETWEEN 1 AND 64),
    created_at      TEXT NOT NULL
) STRICT;

CREATE INDEX resident_by_reference ON resident (case_reference);
CREATE INDEX resident_by_name ON resident (name COLLATE NOCASE, birth_year);

CREATE TABLE stay (
    id                     INTEGER PRIMARY KEY,
    resident_id            INTEGER NOT NULL REFERENCES resident (id) ON DELETE RESTRICT,
    -- The routine version the plan was created under; its rules give every due date.
    routine_version_id     INTEGER NOT NULL REFERENCES routine_version (id) ON DELETE RESTRICT,
    arrival                TEXT NOT NULL CHECK (date(arrival) IS arrival),
    referral               TEXT NOT NULL CHECK (referral IN (
                               'police', 'child_welfare', 'emergency_services', 'self', 'nav',
                               'other')),
    home_district_id       INTEGER NOT NULL REFERENCES district (id) ON DELETE RESTRICT,
    -- NULL while the new home's district is the home district (or not decided).
    target_district_id     INTEGER REFERENCES district (id) ON DELETE RESTRICT,
    target_reason          TEXT CHECK (target_reason IN ('threat', 'wish', 'other')),
    secret_address         INTEGER NOT NULL DEFAULT 0 CHECK (secret_address IN (0, 1)),
    language               TEXT CHECK (language IS NULL OR length(language) BETWEEN 1 AND 60),
    interpreter            INTEGER NOT NULL DEFAULT 0 CHECK (interpreter IN (0, 1)),
    -- Child welfare: the need for a report of concern, the report, and the dates a legal period
    -- may start from (the routine says which one counts).
    concern_registered     TEXT CHECK (concern_registered IS NULL OR date(concern_registered) IS concern_registered),
    report_sent            TEXT CHECK (report_sent IS NULL OR date(report_sent) IS report_sent),
    report_received        TEXT CHECK (report_received IS NULL OR date(report_received) IS report_received),
    review_concluded       TEXT CHECK (review_concluded IS NULL OR date(review_concluded) IS review_concluded),
    planned_move_out       TEXT CHECK (planned_move_out IS NULL OR date(planned_move_out) IS planned_move_out),
    main_coordinator_id    INTEGER REFERENCES service (id) ON DELETE RESTRICT,
    no_exit_meeting_reason TEXT CHECK (no_exit_meeting_reason IS NULL
                                       OR length(trim(no_exit_meeting_reason)) BETWEEN 1 AND 1000),
    move_out               TEXT CHECK (move_out IS NULL OR date(move_out) IS move_out),
    outcome                TEXT CHECK (outcome IN (
                               'abuser', 'own_home', 'new_home', 'temporary_public',
                               'temporary_private', 'other')),
    -- The hand-over to the target district (UTC timestamps).
    handover_started_at    TEXT,
    handover_ended_at      TEXT,
    -- Raised by every change of the stay's facts, for the optimistic check of concurrent edits.
    version                INTEGER NOT NULL DEFAULT 1,
    created_at             TEXT NOT NULL,
    created_by             INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    CHECK ((target_district_id IS NULL) = (target_reason IS NULL)),
    CHECK (target_district_id IS NULL OR target_district_id <> home_district_id),
    CHECK ((move_out IS NULL) = (outcome IS NULL)),
    CHECK (move_out IS NULL OR move_out >= arrival),
    CHECK (planned_move_out IS NULL OR planned_move_out >= arrival),
    CHECK (report_received IS NULL OR report_sent IS NOT NULL),
    CHECK (report_sent IS NULL OR concern_registered IS NOT NULL)
) STRICT;

CREATE INDEX stay_by_resident ON stay (resident_id, arrival);
CREATE INDEX stay_by_arrival ON stay (arrival);

CREATE TABLE child (
    id          INTEGER PRIMARY KEY,
    stay_id     INTEGER NOT NULL REFERENCES stay (id) ON DELETE RESTRICT,
    birth_year  INTEGER NOT NULL CHECK (birth_year BETWEEN 1990 AND 2100)
) STRICT;

CREATE INDEX child_by_stay ON child (stay_id);

-- The exit meeting: when, who was invited, who came, and a short summary once it is held.
CREATE TABLE exit_meeting (
    stay_id      INTEGER PRIMARY KEY REFERENCES stay (id) ON DELETE RESTRICT,
    -- Oslo local date and time, 'YYYY-MM-DDTHH:MM'.
    starts_at    TEXT NOT NULL CHECK (length(starts_at) = 16),
    held         INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1)),
    summary      TEXT CHECK (summary IS NULL OR length(summary) <= 2000)
) STRICT;

CREATE TABLE exit_meeting_service (
    stay_id     INTEGER NOT NULL REFERENCES exit_meeting (stay_id) ON DELETE RESTRICT,
    service_id  INTEGER NOT NULL REFERENCES service (id) ON DELETE RESTRICT,
    attendance  TEXT NOT NULL DEFAULT 'invited'
                CHECK (attendance IN ('invited', 'attended', 'excused', 'absent')),
    PRIMARY KEY (stay_id, service_id)
) STRICT;

CREATE TABLE task (
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
    status        TEXT NOT NULL DEFAULT 'open'
                  CHECK (status IN ('open', 'in_progress', 'done', 'not_applicable')),
    assignee_id   INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    -- Why the task does not apply; required for that status.
    reason        TEXT CHECK (reason IS NULL OR length(trim(reason)) BETWEEN 1 AND 1000),
    -- The Oslo date the task was closed (done or not applicable).
    closed_on     TEXT CHECK (closed_on IS NULL OR date(closed_on) IS closed_on),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    CHECK ((district_id IS NULL) = (service_kind IS NULL)),
    CHECK ((status = 'not_applicable') = (reason IS NOT NULL)),
    CHECK ((status IN ('done', 'not_applicable')) = (closed_on IS NOT NULL)),
    UNIQUE (stay_id, rule_id)
) STRICT;

CREATE INDEX task_by_unit ON task (district_id, service_kind, status, due_on);
CREATE INDEX task_by_stay ON task (stay_id);
CREATE INDEX task_open_by_due ON task (due_on) WHERE status IN ('open', 'in_progress');

-- An extension of a legal period (barnevernsloven § 2-2: three months, six in special cases):
-- a record with its reason and who granted it. The task's own due date is never edited.
CREATE TABLE task_extension (
    task_id      INTEGER PRIMARY KEY REFERENCES task (id) ON DELETE RESTRICT,
    due_on       TEXT NOT NULL CHECK (date(due_on) IS due_on),
    reason       TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 1000),
    granted_by   TEXT NOT NULL CHECK (length(trim(granted_by)) BETWEEN 1 AND 200),
    recorded_by  INTEGER NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
    recorded_at  TEXT NOT NULL
) STRICT;

-- Every change of a task: who, when, what, and a comment. Append-only.
CREATE TABLE task_event (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES task (id) ON DELETE RESTRICT,
    at          TEXT NOT NULL,
    -- NULL: the portal (a task generated or moved because the plan's facts changed).
    user_id     INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    user_name   TEXT,
    kind        TEXT NOT NULL CHECK (kind IN (
                    'created', 'claimed', 'released', 'status', 'comment', 'due_changed',
                    'moved', 'extended')),
    -- The status after the change.
    status      TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'not_applicable')),
    due_on      TEXT,
    comment     TEXT CHECK (comment IS NULL OR length(comment) <= 2000)
) STRICT;

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

CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
