//! What the resident's insight reads beyond a plan: the person's stays and the access-log rows
//! about them.

use crate::domain::Role;
use crate::domain::insight::{InsightRead, READS};
use crate::domain::plan::StayId;
use crate::server::ServerError;
use crate::server::repo::plans::unit_of;
use sqlx::SqliteConnection;

/// The stays of the person `stay` belongs to (its resident record), the oldest first; empty when
/// there is no such stay.
pub async fn person_stays(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Vec<StayId>, ServerError> {
    let rows = sqlx::query_scalar!(
        r#"SELECT o.id AS "id!: StayId" FROM stay s JOIN stay o ON o.resident_id = s.resident_id
           WHERE s.id = ?1 ORDER BY o.arrival, o.id"#,
        stay.0
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

/// Every access-log row that read or changed the data of `stays`, the oldest first: a read that
/// names one of them among the stays whose data it showed, or a change of one of them or of one
/// of their tasks. Refused attempts showed nothing and are not listed.
pub async fn person_log(
    conn: &mut SqliteConnection,
    stays: &[StayId],
) -> Result<Vec<InsightRead>, ServerError> {
    let ids = serde_json::to_string(&stays.iter().map(|s| s.0).collect::<Vec<_>>())
        .map_err(|e| ServerError::Pragma(e.to_string()))?;
    let reads = serde_json::to_string(READS).map_err(|e| ServerError::Pragma(e.to_string()))?;
    let rows = sqlx::query!(
        r#"WITH mine(id) AS (SELECT value FROM json_each(?1)),
                tasks(id) AS (SELECT t.id FROM task t WHERE t.stay_id IN (SELECT id FROM mine))
           SELECT l.at, l.user_name, l.user_role, l.action, u.district_id, u.service_kind,
                  d.name AS "district_name?"
           FROM access_log l
           LEFT JOIN app_user u ON u.id = l.user_id
           LEFT JOIN district d ON d.id = u.district_id
           WHERE l.outcome = 'ok'
             AND (EXISTS (SELECT 1 FROM json_each('[' || l.stays || ']') j
                          WHERE l.stays IS NOT NULL AND j.value IN (SELECT id FROM mine))
                  OR (l.action NOT IN (SELECT value FROM json_each(?2))
                      AND ((l.object_type = 'stay'
                            AND l.object_id IN (SELECT CAST(id AS TEXT) FROM mine))
                        OR (l.object_type = 'task'
                            AND l.object_id IN (SELECT CAST(id AS TEXT) FROM tasks)))))
           ORDER BY l.at, l.id"#,
        ids,
        reads
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            // A caseworker's unit; a district manager has a district and no service: no unit.
            let unit = unit_of(r.district_id, r.service_kind.as_deref())
                .ok()
                .flatten();
            InsightRead {
                at: r.at,
                user_name: r.user_name,
                role: r.user_role.as_deref().and_then(|r| Role::parse(r).ok()),
                unit,
                district_name: unit.and(r.district_name),
                action: r.action,
            }
        })
        .collect())
}
