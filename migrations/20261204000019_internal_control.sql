-- Internal control per district (issue 18): the documents an audit of a district asks for (the
-- County Governor's audit of Oslo's districts, Informasjonsskriv 2/2024), and each district's
-- status for each of them. The list is data: an administrator can add documents.

CREATE TABLE control_document (
    id          INTEGER PRIMARY KEY,
    -- Stable name in addresses and forms.
    slug        TEXT NOT NULL UNIQUE
                CHECK (length(slug) BETWEEN 2 AND 60 AND slug NOT GLOB '*[^a-z0-9-]*'),
    name_nb     TEXT NOT NULL CHECK (length(trim(name_nb)) BETWEEN 1 AND 300),
    name_en     TEXT NOT NULL CHECK (length(trim(name_en)) BETWEEN 1 AND 300),
    -- The cooperation agreement with the crisis center: "implemented or not" rather than a
    -- routine; shown on its own beside the counts.
    agreement   INTEGER NOT NULL DEFAULT 0 CHECK (agreement IN (0, 1)),
    -- The order of the matrix's columns.
    position    INTEGER NOT NULL
) STRICT;

INSERT INTO control_document (slug, name_nb, name_en, agreement, position) VALUES
    ('handlingsplan', 'Handlingsplan mot vold i nære relasjoner',
     'Action plan against violence in close relationships', 0, 10),
    ('reetablering', 'Rutiner for samarbeid med krisesenteret i reetableringsfasen, særlig bolig',
     'Routines for cooperation with the crisis center in re-establishment, especially housing', 0, 20),
    ('individuell-plan', 'Rutine for å tilby individuell plan (krisesenterlova § 4 andre ledd)',
     'Routine for offering an individual plan (krisesenterlova § 4, second paragraph)', 0, 30),
    ('voldskoordinator', 'Rutiner for voldskoordinatoren',
     'Routines for the violence coordinator', 0, 40),
    ('overforing', 'Rutiner for overføring av saker mellom bydeler',
     'Routines for transferring cases between districts', 0, 50),
    ('barnevern-nav', 'Rutiner for samarbeid mellom barnevern og NAV i voldssaker',
     'Routines for cooperation between child welfare and NAV in violence cases', 0, 60),
    ('internkontroll', 'Rutiner for bydelens internkontroll med krisesentertilbudet',
     'Routines for the district''s internal control of the crisis center service', 0, 70),
    ('ros', 'Risiko- og sårbarhetsanalyse (ROS) som omfatter krisesentertilbudet',
     'Risk and vulnerability analysis (ROS) covering the crisis center service', 0, 80),
    ('samarbeidsavtale', 'Samarbeidsavtale mellom NAV-kontoret og krisesenteret',
     'Cooperation agreement between the NAV office and the crisis center', 1, 90);

-- A district's entry for a document. No row: missing (nothing recorded yet).
CREATE TABLE district_document (
    district_id  INTEGER NOT NULL REFERENCES district (id) ON DELETE RESTRICT,
    document_id  INTEGER NOT NULL REFERENCES control_document (id) ON DELETE RESTRICT,
    -- For the agreement, 'adopted' reads as "implemented".
    status       TEXT NOT NULL CHECK (status IN ('missing', 'draft', 'adopted')),
    adopted_on   TEXT CHECK (adopted_on IS NULL OR date(adopted_on) IS adopted_on),
    -- Who adopted it: the leader level (e.g. "Bydelsdirektør"), not a person's account.
    adopted_by   TEXT CHECK (adopted_by IS NULL OR length(trim(adopted_by)) BETWEEN 1 AND 200),
    review_on    TEXT CHECK (review_on IS NULL OR date(review_on) IS review_on),
    -- Where the document is kept (the district's document system).
    link         TEXT CHECK (link IS NULL OR (length(link) <= 2000 AND link LIKE 'https://_%')),
    version      INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at   TEXT NOT NULL,
    updated_by   INTEGER NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
    PRIMARY KEY (district_id, document_id),
    CHECK ((status = 'adopted') = (adopted_on IS NOT NULL AND adopted_by IS NOT NULL
                                   AND review_on IS NOT NULL)),
    CHECK (review_on IS NULL OR review_on > adopted_on)
) STRICT;

-- Every change of an entry, as it was saved: the history a reviewer reads.
CREATE TABLE district_document_event (
    id           INTEGER PRIMARY KEY,
    district_id  INTEGER NOT NULL REFERENCES district (id) ON DELETE RESTRICT,
    document_id  INTEGER NOT NULL REFERENCES control_document (id) ON DELETE RESTRICT,
    at           TEXT NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
    -- A snapshot, so the row still says who it was after the user is renamed.
    user_name    TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('missing', 'draft', 'adopted')),
    adopted_on   TEXT,
    adopted_by   TEXT,
    review_on    TEXT,
    link         TEXT
) STRICT;

CREATE INDEX district_document_event_by_entry
    ON district_document_event (district_id, document_id, id);

CREATE TRIGGER district_document_event_no_update BEFORE UPDATE ON district_document_event
BEGIN
    SELECT RAISE(ABORT, 'district_document_event is append-only');
END;

CREATE TRIGGER district_document_event_no_delete BEFORE DELETE ON district_document_event
BEGIN
    SELECT RAISE(ABORT, 'district_document_event is append-only');
END;
