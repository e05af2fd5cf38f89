-- A new role, the district manager (bydelsledelse): a user bound to one district, not to one of
-- its services, who answers for the district's internal control.
--
-- SQLite cannot change a CHECK constraint in place, and fourteen tables and a view refer to
-- `app_user`, so the table is rebuilt as SQLite's documentation describes (its "other kinds of
-- table schema changes"): with foreign keys off, the rows are copied into the new definition in
-- one transaction, the old table is dropped and the new one takes its name; the references of
-- the other tables resolve to it by name, and every id is kept. The one view that reads
-- `app_user` is made again as it was.
--
-- Foreign keys can only be turned off outside a transaction, and sqlx 0.8 runs every SQLite
-- migration inside one (it ignores `-- no-transaction` for SQLite). So this file first ends
-- sqlx's transaction (nothing is in it yet), does its work in a transaction of its own, turns
-- foreign keys on again and opens a new transaction, in which sqlx records the migration and
-- commits. Should the process stop between the two commits, the next start runs this file
-- again, which rebuilds the table once more with the same rows.

COMMIT;

PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

CREATE TABLE app_user_new (
    id                    INTEGER PRIMARY KEY,
    email                 TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (email LIKE '_%@_%._%'),
    name                  TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    role                  TEXT NOT NULL
                          CHECK (role IN ('crisis_center', 'caseworker', 'reviewer', 'admin',
                                          'district_manager')),
    -- A caseworker belongs to one unit (a district and one of its standard services); a
    -- district manager to one district; the other roles to none.
    district_id           INTEGER REFERENCES district (id) ON DELETE RESTRICT,
    service_kind          TEXT CHECK (service_kind IN ('nav', 'child_welfare', 'violence_coordinator')),
    -- argon2id PHC string; never leaves the server.
    password_hash         TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    must_change_password  INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    active                INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- Raised to end every session of the user (sign-out everywhere, deactivation, reset).
    session_epoch         INTEGER NOT NULL DEFAULT 0,
    created_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    totp_secret           TEXT
                          CHECK (totp_secret IS NULL OR (length(totp_secret) BETWEEN 16 AND 128
                                 AND totp_secret NOT GLOB '*[^A-Z2-7]*')),
    totp_last_step        INTEGER,
    language              TEXT NOT NULL DEFAULT 'nb' CHECK (language IN ('nb', 'en')),
    notify                TEXT NOT NULL DEFAULT 'immediate' CHECK (notify IN ('immediate', 'digest')),
    CHECK (CASE role
               WHEN 'caseworker' THEN district_id IS NOT NULL AND service_kind IS NOT NULL
               WHEN 'district_manager' THEN district_id IS NOT NULL AND service_kind IS NULL
               ELSE district_id IS NULL AND service_kind IS NULL
           END)
) STRICT;

INSERT INTO app_user_new (id, email, name, role, district_id, service_kind, password_hash,
                          must_change_password, active, session_epoch, created_at, totp_secret,
                          totp_last_step, language, notify)
SELECT id, email, name, role, district_id, service_kind, password_hash, must_change_password,
       active, session_epoch, created_at, totp_secret, totp_last_step, language, notify
FROM app_user;

DROP VIEW task_listing;
DROP TABLE app_user;
ALTER TABLE app_user_new RENAME TO app_user;

-- As migration 11 made it.
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

COMMIT;

PRAGMA foreign_keys = ON;

BEGIN;
