-- The resident's consent to share their data with a service of a district (krisesenterlova § 5):
-- each answer staff record is a row of its own, never changed or deleted; the newest row of a
-- stay and unit is the answer in force. No row: not asked yet. A unit (a service kind of a
-- district) sees the resident's personal data only while its answer in force is 'given', except
-- child welfare once the report of concern has given it a task (barnevernsloven § 13-2).

CREATE TABLE consent (
    id           INTEGER PRIMARY KEY,
    stay_id      INTEGER NOT NULL REFERENCES stay (id) ON DELETE RESTRICT,
    district_id  INTEGER NOT NULL REFERENCES district (id) ON DELETE RESTRICT,
    service_kind TEXT NOT NULL CHECK (service_kind IN ('nav', 'child_welfare', 'violence_coordinator')),
    answer       TEXT NOT NULL CHECK (answer IN ('given', 'refused', 'withdrawn')),
    how          TEXT NOT NULL CHECK (how IN ('oral', 'written')),
    -- The day the resident gave, refused or withdrew it (Oslo date).
    decided_on   TEXT NOT NULL CHECK (date(decided_on) IS decided_on),
    -- When staff recorded it (UTC) and who.
    recorded_at  TEXT NOT NULL,
    recorded_by  INTEGER NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT
) STRICT;

CREATE INDEX consent_by_unit ON consent (stay_id, district_id, service_kind, id);

CREATE TRIGGER consent_no_update BEFORE UPDATE ON consent
BEGIN
    SELECT RAISE(ABORT, 'consent is append-only');
END;

CREATE TRIGGER consent_no_delete BEFORE DELETE ON consent
BEGIN
    SELECT RAISE(ABORT, 'consent is append-only');
END;

-- The task rows as lists read them, as migration 23 made them, with `shared`: whether the
-- task's unit may see the resident's personal data (the crisis center's own tasks always).
DROP VIEW task_listing;
CREATE VIEW task_listing AS
SELECT t.id, t.stay_id, r.name AS resident, t.step, t.district_id, t.service_kind, t.due_on,
       e.due_on AS extended_to, t.status, t.assignee_id, u.name AS assignee,
       d.name AS district, t.reason, t.version,
       CASE
           WHEN t.district_id IS NULL THEN 1
           WHEN (SELECT c.answer FROM consent c
                 WHERE c.stay_id = t.stay_id AND c.district_id = t.district_id
                   AND c.service_kind = t.service_kind
                 ORDER BY c.id DESC LIMIT 1) = 'given' THEN 1
           WHEN t.service_kind = 'child_welfare' AND EXISTS (
                 SELECT 1 FROM task x
                 WHERE x.stay_id = t.stay_id AND x.district_id = t.district_id
                   AND x.service_kind = 'child_welfare'
                   AND x.step IN ('child_welfare_review', 'child_welfare_investigation')) THEN 1
           ELSE 0
       END AS shared
FROM task t
JOIN stay s ON s.id = t.stay_id
JOIN resident r ON r.id = s.resident_id
LEFT JOIN task_extension e ON e.task_id = t.id
LEFT JOIN app_user u ON u.id = t.assignee_id
LEFT JOIN district d ON d.id = t.district_id;
