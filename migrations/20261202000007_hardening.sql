-- Security hardening (issue 10).
--
-- 1. The access log names every stay whose personal data a row touched: the ids a list showed,
--    the stay of a task that was read, both stays of a link. Comma-separated stay ids, NULL
--    when the row touched no stay. Adding a column is not an UPDATE: the append-only triggers
--    stay in force and every earlier row keeps its values (with NULL here).
ALTER TABLE access_log ADD COLUMN stays TEXT
    CHECK (stays IS NULL OR (length(stays) BETWEEN 1 AND 20000 AND stays NOT GLOB '*[^0-9,]*'));

-- 2. Linking two stays as one person's is a merge of two resident records. It is a history
--    row, never a silent delete: the record the stays leave is kept, the stays that moved are
--    listed, and staff can undo the merge (the stays go back to the record they came from).
CREATE TABLE resident_merge (
    id                 INTEGER PRIMARY KEY,
    -- The stay staff linked, and the stay of the other record they linked it to.
    stay_id            INTEGER NOT NULL REFERENCES stay (id) ON DELETE RESTRICT,
    other_stay_id      INTEGER NOT NULL REFERENCES stay (id) ON DELETE RESTRICT,
    from_resident_id   INTEGER NOT NULL REFERENCES resident (id) ON DELETE RESTRICT,
    into_resident_id   INTEGER NOT NULL REFERENCES resident (id) ON DELETE RESTRICT,
    at                 TEXT NOT NULL,
    by_user_id         INTEGER NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
    undone_at          TEXT,
    undone_by_user_id  INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    CHECK (from_resident_id <> into_resident_id),
    CHECK (stay_id <> other_stay_id),
    CHECK ((undone_at IS NULL) = (undone_by_user_id IS NULL))
) STRICT;

CREATE INDEX resident_merge_by_into ON resident_merge (into_resident_id);

-- The stays a merge moved (every stay of the record it left).
CREATE TABLE resident_merge_stay (
    merge_id  INTEGER NOT NULL REFERENCES resident_merge (id) ON DELETE RESTRICT,
    stay_id   INTEGER NOT NULL REFERENCES stay (id) ON DELETE RESTRICT,
    PRIMARY KEY (merge_id, stay_id)
) STRICT;

CREATE TRIGGER resident_merge_stay_no_update BEFORE UPDATE ON resident_merge_stay
BEGIN
    SELECT RAISE(ABORT, 'resident_merge_stay is append-only');
END;

CREATE TRIGGER resident_merge_stay_no_delete BEFORE DELETE ON resident_merge_stay
BEGIN
    SELECT RAISE(ABORT, 'resident_merge_stay is append-only');
END;

-- A merge is undone once, and nothing else of it changes.
CREATE TRIGGER resident_merge_undo_only BEFORE UPDATE ON resident_merge
WHEN OLD.undone_at IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.stay_id IS NOT OLD.stay_id
  OR NEW.other_stay_id IS NOT OLD.other_stay_id
  OR NEW.from_resident_id IS NOT OLD.from_resident_id
  OR NEW.into_resident_id IS NOT OLD.into_resident_id
  OR NEW.at IS NOT OLD.at OR NEW.by_user_id IS NOT OLD.by_user_id
BEGIN
    SELECT RAISE(ABORT, 'a resident merge is only undone, once');
END;

CREATE TRIGGER resident_merge_no_delete BEFORE DELETE ON resident_merge
BEGIN
    SELECT RAISE(ABORT, 'resident_merge is append-only');
END;

-- 3. Secrets the portal makes for itself on first use: the key that signs the known-device
--    cookie (a device where a user signed in before gets past the per-account delay with the
--    right password).
CREATE TABLE portal_secret (
    name   TEXT PRIMARY KEY CHECK (name IN ('device_key')),
    value  BLOB NOT NULL CHECK (length(value) = 32)
) STRICT;
