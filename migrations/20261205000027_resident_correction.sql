-- Corrections of a resident's name, birth year or gender (issue 17): each is a history row with
-- the value before and after, why, when and by whom; the resident row holds the corrected value.
-- The rows are never changed or deleted (triggers).

CREATE TABLE resident_correction (
    id           INTEGER PRIMARY KEY,
    resident_id  INTEGER NOT NULL REFERENCES resident (id) ON DELETE RESTRICT,
    -- The stay whose page the correction was made from.
    stay_id      INTEGER NOT NULL REFERENCES stay (id) ON DELETE RESTRICT,
    field        TEXT NOT NULL CHECK (field IN ('name', 'birth_year', 'gender')),
    old_value    TEXT NOT NULL CHECK (length(old_value) BETWEEN 1 AND 200),
    new_value    TEXT NOT NULL CHECK (length(new_value) BETWEEN 1 AND 200),
    reason       TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 1000),
    at           TEXT NOT NULL,
    by_user_id   INTEGER NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT
) STRICT;

CREATE INDEX resident_correction_by_resident ON resident_correction (resident_id, id);

CREATE TRIGGER resident_correction_no_delete BEFORE DELETE ON resident_correction
BEGIN
    SELECT RAISE(ABORT, 'resident_correction is append-only');
END;

CREATE TRIGGER resident_correction_no_update BEFORE UPDATE ON resident_correction
BEGIN
    SELECT RAISE(ABORT, 'resident_correction is append-only');
END;
