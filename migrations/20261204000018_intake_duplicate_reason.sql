-- A likely duplicate at intake: the same name and birth year with an open stay is refused unless
-- staff say why this is a new stay anyway; the reason is kept with the stay. Adding a column
-- keeps every row as it was (NULL here).
ALTER TABLE stay ADD COLUMN duplicate_reason TEXT
    CHECK (duplicate_reason IS NULL OR length(duplicate_reason) BETWEEN 1 AND 1000);
