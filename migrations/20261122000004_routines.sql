-- Routines as versioned data. A version is published once and never changes (triggers refuse
-- UPDATE and DELETE of its rules); plans record the version they were created under.
-- Enum columns mirror app/src/domain/routine.rs.

CREATE TABLE routine_version (
    id            INTEGER PRIMARY KEY,
    version       INTEGER NOT NULL UNIQUE CHECK (version >= 1),
    published_at  TEXT NOT NULL,
    -- NULL for version 1, which the migration publishes.
    published_by  INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    note          TEXT CHECK (note IS NULL OR length(note) <= 1000)
) STRICT;

CREATE TABLE routine_rule (
    id                   INTEGER PRIMARY KEY,
    routine_version_id   INTEGER NOT NULL REFERENCES routine_version (id) ON DELETE RESTRICT,
    step                 TEXT NOT NULL CHECK (step IN (
                             'housing_plan', 'follow_up_plan', 'exit_meeting', 'concern_report',
                             'child_welfare_review', 'child_welfare_investigation',
                             'individual_plan', 'main_coordinator', 'transfer',
                             'follow_up_contact')),
    responsible          TEXT NOT NULL CHECK (responsible IN (
                             'crisis_center', 'nav', 'child_welfare', 'violence_coordinator')),
    district_role        TEXT NOT NULL CHECK (district_role IN ('home', 'target', 'none')),
    anchor               TEXT NOT NULL CHECK (anchor IN (
                             'arrival', 'concern_registered', 'report_received',
                             'review_concluded', 'planned_move_out', 'move_out')),
    offset_unit          TEXT NOT NULL CHECK (offset_unit IN ('days', 'months')),
    offset_amount        INTEGER NOT NULL CHECK (offset_amount BETWEEN -366 AND 366),
    needs_children       INTEGER NOT NULL DEFAULT 0 CHECK (needs_children IN (0, 1)),
    needs_concern        INTEGER NOT NULL DEFAULT 0 CHECK (needs_concern IN (0, 1)),
    needs_target_differs INTEGER NOT NULL DEFAULT 0 CHECK (needs_target_differs IN (0, 1)),
    needs_temporary      INTEGER NOT NULL DEFAULT 0 CHECK (needs_temporary IN (0, 1)),
    CHECK ((responsible = 'crisis_center') = (district_role = 'none')),
    UNIQUE (routine_version_id, step, responsible)
) STRICT;

CREATE TRIGGER routine_rule_no_update BEFORE UPDATE ON routine_rule
BEGIN
    SELECT RAISE(ABORT, 'a published routine version does not change');
END;

CREATE TRIGGER routine_rule_no_delete BEFORE DELETE ON routine_rule
BEGIN
    SELECT RAISE(ABORT, 'a published routine version does not change');
END;

-- Version 1: the default routine (DOMAIN.md). Offsets in days unless 'months'. "Before move-out"
-- is due on the planned move-out day. The individual plan (30 days after arrival) and the
-- follow-up contact (14 days after move-out) are "configurable" in the domain brief; these are
-- version 1's choices, to be changed by publishing a new version.
INSERT INTO routine_version (id, version, published_at, note)
VALUES (1, 1, '2026-11-22T00:00:00.000Z', 'Standardrutine (DOMAIN.md)');

INSERT INTO routine_rule (routine_version_id, step, responsible, district_role, anchor,
                          offset_unit, offset_amount, needs_children, needs_concern,
                          needs_target_differs, needs_temporary)
VALUES
    (1, 'housing_plan',                'nav',                  'home',   'arrival',            'days',   14, 0, 0, 0, 0),
    (1, 'follow_up_plan',              'nav',                  'target', 'planned_move_out',   'days',    0, 0, 0, 0, 1),
    (1, 'exit_meeting',                'crisis_center',        'none',   'planned_move_out',   'days',    0, 0, 0, 0, 0),
    (1, 'concern_report',              'crisis_center',        'none',   'concern_registered', 'days',    0, 1, 1, 0, 0),
    (1, 'child_welfare_review',        'child_welfare',        'home',   'report_received',    'days',    7, 1, 1, 0, 0),
    (1, 'child_welfare_investigation', 'child_welfare',        'home',   'report_received',    'months',  3, 1, 1, 0, 0),
    (1, 'individual_plan',             'violence_coordinator', 'home',   'arrival',            'days',   30, 0, 0, 0, 0),
    (1, 'main_coordinator',            'crisis_center',        'none',   'planned_move_out',   'days',    0, 0, 0, 0, 0),
    (1, 'transfer',                    'nav',                  'home',   'planned_move_out',   'days',    0, 0, 0, 1, 0),
    (1, 'transfer',                    'child_welfare',        'home',   'planned_move_out',   'days',    0, 1, 0, 1, 0),
    (1, 'follow_up_contact',           'violence_coordinator', 'target', 'move_out',           'days',   14, 0, 0, 0, 0);
