-- Past stays brought in from the crisis center's own records (`portal import-stays` or the
-- administrators' upload page), for the yearly statistics only. Closed stays: no plan, no tasks,
-- no name. The person is the center's own pseudonymous key; the same key on two rows is one
-- person (returning residents). A stay is identified by its person and arrival, so importing a
-- file again adds nothing.

CREATE TABLE stay_import (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    -- The administrator who uploaded the file; NULL from the command line.
    by_user_id  INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    source      TEXT NOT NULL CHECK (source IN ('command', 'upload')),
    rows_added  INTEGER NOT NULL CHECK (rows_added >= 0),
    rows_known  INTEGER NOT NULL CHECK (rows_known >= 0)
) STRICT;

CREATE TABLE imported_stay (
    id               INTEGER PRIMARY KEY,
    import_id        INTEGER NOT NULL REFERENCES stay_import (id) ON DELETE RESTRICT,
    person_key       TEXT NOT NULL CHECK (length(person_key) BETWEEN 1 AND 64),
    gender           TEXT NOT NULL CHECK (gender IN ('female', 'male', 'other', 'unknown')),
    birth_year       INTEGER NOT NULL CHECK (birth_year BETWEEN 1900 AND 2100),
    arrival          TEXT NOT NULL CHECK (date(arrival) IS arrival),
    move_out         TEXT NOT NULL CHECK (date(move_out) IS move_out AND move_out >= arrival),
    children         INTEGER NOT NULL CHECK (children BETWEEN 0 AND 30),
    referral         TEXT NOT NULL CHECK (referral IN (
                         'police', 'child_welfare', 'emergency_services', 'self', 'nav', 'other')),
    outcome          TEXT NOT NULL CHECK (outcome IN (
                         'abuser', 'own_home', 'new_home', 'temporary_public',
                         'temporary_private', 'other')),
    -- NULL: outside the municipality.
    home_district_id INTEGER REFERENCES district (id) ON DELETE RESTRICT,
    UNIQUE (person_key, arrival)
) STRICT;

CREATE INDEX imported_stay_by_arrival ON imported_stay (arrival);
