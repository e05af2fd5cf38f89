-- The health check commits a tiny write here (see `db::probe`): a server that can read but not
-- commit (a full disk, a broken write connection) is not healthy.
CREATE TABLE health_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    probed_at INTEGER NOT NULL
) STRICT;
INSERT INTO health_probe (id, probed_at) VALUES (1, 0);

-- Sessions. The table tower-sessions' SQLite store created at start-up until now (same columns,
-- so sessions survive the upgrade); the portal's own store writes it through the one writer.
CREATE TABLE IF NOT EXISTS tower_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    data BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);
