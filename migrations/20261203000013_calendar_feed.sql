-- Each unit's calendar feed: a secret address (`/kalender/<secret>.ics`) that a calendar
-- program subscribes to. Only the secret's SHA-256 is kept (hex); the secret itself is shown
-- once. Making a new one replaces the row, so the old address ends; turning the feed off deletes
-- it. The feed holds step names, dates and links: no personal data.
CREATE TABLE unit_calendar_feed (
    district_id   INTEGER NOT NULL REFERENCES district (id) ON DELETE RESTRICT,
    service_kind  TEXT NOT NULL
                  CHECK (service_kind IN ('nav', 'child_welfare', 'violence_coordinator')),
    token_hash    TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    -- The titles' language: that of the caseworker who made the address.
    language      TEXT NOT NULL DEFAULT 'nb' CHECK (language IN ('nb', 'en')),
    created_at    TEXT NOT NULL,
    created_by    INTEGER REFERENCES app_user (id) ON DELETE RESTRICT,
    PRIMARY KEY (district_id, service_kind)
) STRICT;
