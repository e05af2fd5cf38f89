//! The resident's consent answers per unit (`consent`, append-only).

use super::*;
use crate::domain::consent::{
    ConsentAnswer, ConsentChange, ConsentHow, ConsentRecord, IntakeConsent, UnitConsent,
};

/// Records an answer.
pub async fn insert_consent(
    conn: &mut SqliteConnection,
    stay: StayId,
    change: &ConsentChange,
    at: OffsetDateTime,
    by: UserId,
) -> Result<(), ServerError> {
    let at = timestamp(at);
    let kind = change.unit.service.as_str();
    sqlx::query!(
        "INSERT INTO consent (stay_id, district_id, service_kind, answer, how, decided_on,
                              recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        stay.0,
        change.unit.district.0,
        kind,
        change.answer,
        change.how,
        change.decided_on,
        at,
        by.0
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the intake's answers for the standard services of each of `districts`, as of `on`.
pub async fn insert_intake_consents(
    conn: &mut SqliteConnection,
    stay: StayId,
    districts: &[DistrictId],
    answers: &[IntakeConsent],
    on: Date,
    at: OffsetDateTime,
    by: UserId,
) -> Result<(), ServerError> {
    for &district in districts {
        for answer in answers {
            let change = ConsentChange {
                unit: Unit {
                    district,
                    service: answer.service,
                },
                answer: answer.answer,
                how: answer.how,
                decided_on: on,
            };
            insert_consent(conn, stay, &change, at, by).await?;
        }
    }
    Ok(())
}

/// Every answer recorded for the stay, the newest first.
pub async fn consent_history(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Vec<ConsentRecord>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT c.district_id, c.service_kind, d.name AS district_name,
                  c.answer AS "answer!: ConsentAnswer", c.how AS "how!: ConsentHow",
                  c.decided_on AS "decided_on!: Date", c.recorded_at, u.name AS recorded_by
           FROM consent c
           JOIN district d ON d.id = c.district_id
           JOIN app_user u ON u.id = c.recorded_by
           WHERE c.stay_id = ?1
           ORDER BY c.id DESC"#,
        stay.0
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(ConsentRecord {
                unit: unit_of(Some(r.district_id), Some(&r.service_kind))?
                    .ok_or_else(|| corrupt("consent unit"))?,
                district_name: r.district_name,
                answer: r.answer,
                how: r.how,
                decided_on: r.decided_on,
                recorded_at: r.recorded_at,
                recorded_by: r.recorded_by,
            })
        })
        .collect()
}

/// The units the plan involves: the standard services of the home district and of the target
/// district, and every unit with a task in the plan; the home district's first. With each, its
/// answer in force (from `history`, the newest first) and whether child welfare has the report of
/// concern.
pub async fn plan_units(
    conn: &mut SqliteConnection,
    stay: StayId,
    history: &[ConsentRecord],
) -> Result<Vec<UnitConsent>, ServerError> {
    let rows = sqlx::query!(
        r#"WITH s AS (SELECT home_district_id, target_district_id FROM stay WHERE id = ?1),
                kinds(kind, rank) AS (VALUES ('nav', 1), ('child_welfare', 2),
                                             ('violence_coordinator', 3)),
                units(district_id, service_kind) AS (
                    SELECT s.home_district_id, kinds.kind FROM s, kinds
                    UNION SELECT s.target_district_id, kinds.kind FROM s, kinds
                          WHERE s.target_district_id IS NOT NULL
                    UNION SELECT district_id, service_kind FROM task
                          WHERE stay_id = ?1 AND district_id IS NOT NULL)
           SELECT u.district_id AS "district_id!", u.service_kind AS "service_kind!",
                  d.name AS "district_name!",
                  EXISTS (SELECT 1 FROM task x
                          WHERE x.stay_id = ?1 AND x.district_id = u.district_id
                            AND u.service_kind = 'child_welfare'
                            AND x.service_kind = 'child_welfare'
                            AND x.step IN ('child_welfare_review', 'child_welfare_investigation'))
                      AS "by_report!: bool"
           FROM units u
           JOIN district d ON d.id = u.district_id
           JOIN kinds k ON k.kind = u.service_kind
           ORDER BY u.district_id = (SELECT home_district_id FROM s) DESC, d.name, k.rank"#,
        stay.0
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let unit = unit_of(Some(r.district_id), Some(&r.service_kind))?
                .ok_or_else(|| corrupt("consent unit"))?;
            Ok(UnitConsent {
                unit,
                district_name: r.district_name,
                current: history.iter().find(|c| c.unit == unit).cloned(),
                by_report: r.by_report,
            })
        })
        .collect()
}
