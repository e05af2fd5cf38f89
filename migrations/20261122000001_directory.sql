-- The districts' service directory: districts (bydeler), their services and contact people.
-- Forward only. STRICT tables; enum columns carry CHECK constraints that mirror app/src/domain.

CREATE TABLE district (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE
                CHECK (length(slug) BETWEEN 1 AND 64 AND slug NOT GLOB '*[^a-z0-9-]*'),
    name        TEXT NOT NULL UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 100),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

CREATE TABLE service (
    id           INTEGER PRIMARY KEY,
    district_id  INTEGER NOT NULL REFERENCES district (id) ON DELETE RESTRICT,
    kind         TEXT NOT NULL
                 CHECK (kind IN ('nav', 'child_welfare', 'violence_coordinator', 'other')),
    name         TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    email        TEXT CHECK (email IS NULL OR email LIKE '_%@_%._%'),
    phone        TEXT,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (district_id, name)
) STRICT;

-- Each district has at most one service of each standard kind; it may add several 'other' ones.
CREATE UNIQUE INDEX service_one_per_standard_kind
    ON service (district_id, kind) WHERE kind <> 'other';

CREATE TABLE contact (
    id          INTEGER PRIMARY KEY,
    service_id  INTEGER NOT NULL REFERENCES service (id) ON DELETE RESTRICT,
    name        TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    role        TEXT NOT NULL CHECK (role IN ('leader', 'caseworker', 'other')),
    email       TEXT NOT NULL CHECK (email LIKE '_%@_%._%'),
    phone       TEXT,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

CREATE INDEX contact_by_service ON contact (service_id);
