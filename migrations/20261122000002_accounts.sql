-- Users and the access log (who read or changed what, when, and why).

CREATE TABLE app_user (
    id                    INTEGER PRIMARY KEY,
    email                 TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (email LIKE '_%@_%._%'),
    name                  TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    role                  TEXT NOT NULL
                          CHECK (role IN ('crisis_center', 'caseworker', 'reviewer', 'admin')),
    -- A caseworker belongs to one unit: a district and one of its standard services.
    district_id           INTEGER REFERENCES district (id) ON DELETE RESTRICT,
    service_kind          TEXT CHECK (service_kind IN ('nav', 'child_welfare', 'violence_coordinator')),
    -- argon2id PHC string; never leaves the server.
    password_hash         TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    must_change_password  INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    active                INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- Raised to end every session of the user (sign-out everywhere, deactivation, reset).
    session_epoch         INTEGER NOT NULL DEFAULT 0,
    created_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK ((role = 'caseworker') = (district_id IS NOT NULL AND service_kind IS NOT NULL)),
    CHECK (role = 'caseworker' OR (district_id IS NULL AND service_kind IS NULL))
) STRICT;

-- One row per sign-in (success and failure), per read of personal data, and per change.
-- Append-only: the triggers below refuse UPDATE and DELETE from any connection.
CREATE TABLE access_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    user_id      INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    -- A snapshot, so the row still says who it was after the user is renamed or changes role.
    user_name    TEXT,
    user_role    TEXT,
    action       TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    object_type  TEXT,
    object_id    TEXT,
    district_id  INTEGER,
    reason       TEXT CHECK (reason IS NULL OR length(reason) <= 1000),
    outcome      TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed'))
) STRICT;

CREATE INDEX access_log_by_user ON access_log (user_id, at);
CREATE INDEX access_log_by_object ON access_log (object_type, object_id, at);
CREATE INDEX access_log_by_district ON access_log (district_id, at);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;

CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
