-- Second factor (TOTP, RFC 6238): the shared secret in base32, and the last time step used, so
-- that a code cannot be used twice.
ALTER TABLE app_user ADD COLUMN totp_secret TEXT
    CHECK (totp_secret IS NULL OR (length(totp_secret) BETWEEN 16 AND 128
                                   AND totp_secret NOT GLOB '*[^A-Z2-7]*'));
ALTER TABLE app_user ADD COLUMN totp_last_step INTEGER;
