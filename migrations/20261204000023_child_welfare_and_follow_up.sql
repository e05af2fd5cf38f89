-- Routine version 2's new steps and anchors (issue 15, items 7 and 8):
--
-- - child welfare's review and investigation count from the report's receipt when child welfare
--   has recorded it, else from its sending (anchor 'report_received_or_sent'), so child welfare of
--   the home district gets its review task as soon as the crisis center sends the report;
-- - with children in the stay, the crisis center's task to consider a report of concern counts
--   from the arrival (its own rule, not only once a need is registered);
-- - after a transfer, the receiving district's child welfare gets its own task (step
--   'transfer_receipt', anchor 'handover_completed');
-- - the follow-up plan for temporary housing is due before the move-out when staff expect a
--   temporary outcome (`stay.expected_outcome`, condition `needs_expected_temporary`), and a
--   number of days after the move-out when the outcome only becomes known then. The two rules
--   share a step and a service; the first that applies gives the task.
--
-- New rules need a new routine version, so plans created under earlier versions keep their
-- tasks and deadlines. Version 2 here is the newest published version's rules with these
-- changes (whatever number it gets).
--
-- SQLite cannot change a CHECK constraint in place, so `routine_rule`, `task` and `deviation` are
-- rebuilt as migration 20 rebuilt `app_user` (see there why the file ends sqlx's transaction and
-- opens its own with foreign keys off): rows, ids, indexes, triggers and the view are kept. The
-- new column and the new version come after, in the transaction in which sqlx records this
-- migration, so a stop between the two commits leaves only the rebuild done, which a second run
-- does again with the same rows.

COMMIT;

PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

-- routine_rule
CREATE TABLE routine_rule_new (
    id                       INTEGER PRIMARY KEY,
    routine_version_id       INTEGER NOT NULL REFERENCES routine_version (id) ON DELETE RESTRICT,
    step                     TEXT NOT NULL CHECK (step IN (
                                 'housing_plan', 'follow_up_plan', 'exit_meeting', 'concern_report',
                                 'child_welfare_review', 'child_welfare_investigation',
                                 'individual_plan', 'main_coordinator', 'transfer',
                                 'follow_up_contact', 'transfer_receipt')),
    responsible              TEXT NOT NULL CHECK (responsible IN (
                                 'crisis_center', 'nav', 'child_welfare', 'violence_coordinator')),
    district_role            TEXT NOT NULL CHECK (district_role IN ('home', 'target', 'none')),
    anchor                   TEXT NOT NULL CHECK (anchor IN (
                                 'arrival', 'concern_registered', 'report_received',
                                 'review_concluded', 'planned_move_out', 'move_out',
                                 'report_received_or_sent', 'handover_completed')),
    offset_unit              TEXT NOT NULL CHECK (offset_unit IN ('days', 'months')),
    offset_amount            INTEGER NOT NULL CHECK (offset_amount BETWEEN -366 AND 366),
    needs_children           INTEGER NOT NULL DEFAULT 0 CHECK (needs_children IN (0, 1)),
    needs_concern            INTEGER NOT NULL DEFAULT 0 CHECK (needs_concern IN (0, 1)),
    needs_target_differs     INTEGER NOT NULL DEFAULT 0 CHECK (needs_target_differs IN (0, 1)),
    needs_temporary          INTEGER NOT NULL DEFAULT 0 CHECK (needs_temporary IN (0, 1)),
    binding                  INTEGER NOT NULL DEFAULT 0 CHECK (binding IN (0, 1)),
    -- Staff expect a temporary outcome, and the move-out has not said otherwise.
    needs_expected_temporary INTEGER NOT NULL DEFAULT 0 CHECK (needs_expected_temporary IN (0, 1)),
    CHECK ((responsible = 'crisis_center') = (district_role = 'none')),
    -- One step and service may have a rule per anchor: the first that applies gives the task.
    UNIQUE (routine_version_id, step, responsible, anchor)
) STRICT;

INSERT INTO routine_rule_new (id, routine_version_id, step, responsible, district_role, anchor,
                              offset_unit, offset_amount, needs_children, needs_concern,
                              needs_target_differs, needs_temporary, binding)
SELECT id, routine_version_id, step, responsible, district_role, anchor, offset_unit,
       offset_amount, needs_children, needs_concern, needs_target_differs, needs_temporary, binding
FROM routine_rule;

DROP TABLE routine_rule;
ALTER TABLE routine_rule_new RENAME TO routine_rule;

CREATE TRIGGER routine_rule_no_update BEFORE UPDATE ON routine_rule
BEGIN
    SELECT RAISE(ABORT, 'a published routine version does not change');
END;

CREATE TRIGGER routine_rule_no_delete BEFORE DELETE ON routine_rule
BEGIN
    SELECT RAISE(ABORT, 'a published routine version does not change');
END;

-- task
CREATE TABLE task_new (
    id            INTEGER PRIMARY KEY,
    stay_id       INTEGER NOT NULL REFERENCES stay (id) ON DELETE RESTRICT,
    rule_id       INTEGER NOT NULL REFERENCES routine_rule (id) ON DELETE RESTRICT,
    step          TEXT NOT NULL CHECK (step IN (
                      'housing_plan', 'follow_up_plan', 'exit_meeting', 'concern_report',
                      'child_welfare_review', 'child_welfare_investigation', 'individual_plan',
                      'main_coordinator', 'transfer', 'follow_up_contact', 'transfer_receipt')),
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
SELECT id, stay_id, rule_id, step, district_id, service_kind, due_on, status, assignee_id,
       reason, closed_on, version, created_at
FROM task;

DROP VIEW task_listing;
DROP TABLE task;
ALTER TABLE task_new RENAME TO task;

CREATE INDEX task_by_unit ON task (district_id, service_kind, status, due_on);
CREATE INDEX task_by_stay ON task (stay_id);
CREATE INDEX task_open_by_due ON task (due_on) WHERE status IN ('open', 'in_progress');
CREATE INDEX task_open_by_stay ON task (stay_id, due_on) WHERE status IN ('open', 'in_progress');
CREATE INDEX task_by_step_due ON task (step, due_on);
CREATE INDEX task_open_by_step ON task (step, district_id) WHERE status IN ('open', 'in_progress');

-- As migration 20 made it.
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

-- deviation
CREATE TABLE deviation_new (
    id            INTEGER PRIMARY KEY,
    stay_id       INTEGER NOT NULL REFERENCES stay (id) ON DELETE RESTRICT,
    task_id       INTEGER NOT NULL REFERENCES task (id) ON DELETE RESTRICT,
    step          TEXT NOT NULL CHECK (step IN (
                      'housing_plan', 'follow_up_plan', 'exit_meeting', 'concern_report',
                      'child_welfare_review', 'child_welfare_investigation', 'individual_plan',
                      'main_coordinator', 'transfer', 'follow_up_contact', 'transfer_receipt')),
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

INSERT INTO deviation_new (id, stay_id, task_id, step, district_id, service_kind, origin, due_on,
                           opened_on, opened_at, opened_by, status, cause, measure, note,
                           closed_on, closed_by, version)
SELECT id, stay_id, task_id, step, district_id, service_kind, origin, due_on, opened_on,
       opened_at, opened_by, status, cause, measure, note, closed_on, closed_by, version
FROM deviation;

DROP TABLE deviation;
ALTER TABLE deviation_new RENAME TO deviation;

CREATE UNIQUE INDEX deviation_once ON deviation (task_id) WHERE origin = 'deadline';
CREATE INDEX deviation_by_district ON deviation (district_id, status, opened_on);
CREATE INDEX deviation_by_opened ON deviation (opened_on);
CREATE INDEX deviation_open_by_district ON deviation (district_id) WHERE status = 'open';
CREATE INDEX deviation_by_closed ON deviation (closed_on);

CREATE TRIGGER deviation_no_delete BEFORE DELETE ON deviation
BEGIN
    SELECT RAISE(ABORT, 'a deviation is never deleted');
END;


COMMIT;

PRAGMA foreign_keys = ON;

BEGIN;

-- In sqlx's own transaction, with its record of this migration: the new column and version.
ALTER TABLE stay ADD COLUMN expected_outcome TEXT CHECK (expected_outcome IN (
    'abuser', 'own_home', 'new_home', 'temporary_public', 'temporary_private', 'other'));

-- The new version: the newest version's rules in their order, changed as the header says, then
-- the two new rules. Offsets the domain calls configurable (7 days to consider a report, 7 days
-- after the move-out for a follow-up plan, 7 days to receive a transferred case) are this
-- version's choices; administrators change them by publishing another version.
CREATE TEMP TABLE newest AS
SELECT id FROM routine_version ORDER BY version DESC LIMIT 1;

INSERT INTO routine_version (version, published_at, note)
SELECT max(version) + 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
       'Barnevernet får vurderingen når meldingen er sendt; krisesenteret vurderer bekymringsmelding når det er barn; mottak etter overføring; oppfølgingsplan før utflytting ved forventet midlertidig bolig'
FROM routine_version;

INSERT INTO routine_rule (routine_version_id, step, responsible, district_role, anchor,
                          offset_unit, offset_amount, needs_children, needs_concern,
                          needs_target_differs, needs_temporary, binding,
                          needs_expected_temporary)
SELECT (SELECT max(id) FROM routine_version), r.step, r.responsible, r.district_role,
       CASE
           WHEN r.step = 'concern_report' THEN 'arrival'
           WHEN r.anchor = 'report_received' THEN 'report_received_or_sent'
           ELSE r.anchor
       END,
       CASE WHEN r.step = 'concern_report' THEN 'days' ELSE r.offset_unit END,
       CASE WHEN r.step = 'concern_report' THEN 7 ELSE r.offset_amount END,
       CASE WHEN r.step = 'concern_report' THEN 1 ELSE r.needs_children END,
       CASE WHEN r.step = 'concern_report' THEN 0 ELSE r.needs_concern END,
       r.needs_target_differs,
       CASE WHEN r.step = 'follow_up_plan' THEN 0 ELSE r.needs_temporary END,
       r.binding,
       CASE WHEN r.step = 'follow_up_plan' THEN 1 ELSE 0 END
FROM routine_rule r
WHERE r.routine_version_id = (SELECT id FROM newest)
ORDER BY r.id;

INSERT INTO routine_rule (routine_version_id, step, responsible, district_role, anchor,
                          offset_unit, offset_amount, needs_children, needs_concern,
                          needs_target_differs, needs_temporary, binding,
                          needs_expected_temporary)
SELECT (SELECT max(id) FROM routine_version), 'follow_up_plan', 'nav', 'target', 'move_out',
       'days', 7, 0, 0, 0, 1,
       coalesce((SELECT binding FROM routine_rule
                 WHERE routine_version_id = (SELECT id FROM newest)
                   AND step = 'follow_up_plan' AND responsible = 'nav'), 1),
       0;

INSERT INTO routine_rule (routine_version_id, step, responsible, district_role, anchor,
                          offset_unit, offset_amount, needs_children, needs_concern,
                          needs_target_differs, needs_temporary, binding,
                          needs_expected_temporary)
VALUES ((SELECT max(id) FROM routine_version), 'transfer_receipt', 'child_welfare', 'target',
        'handover_completed', 'days', 7, 1, 0, 1, 0, 0, 0);

DROP TABLE newest;
