//! The units' calendar feeds: the hash of each unit's secret address, and what a feed lists
//! besides the open tasks (`outbox::digest_tasks`): the exit meetings the unit is invited to.

use crate::domain::notice::MailLanguage;
use crate::domain::plan::StayId;
use crate::domain::{Unit, UserId};
use crate::server::ServerError;
use crate::server::repo::access_log::timestamp;
use crate::server::repo::plans::unit_of;
use sqlx::SqliteConnection;
use time::OffsetDateTime;

/// Stores the hash of a unit's new feed secret; a secret the unit had before stops working.
/// True when it replaced one.
pub async fn set_feed(
    conn: &mut SqliteConnection,
    at: OffsetDateTime,
    unit: Unit,
    token_hash: &str,
    language: MailLanguage,
    by: UserId,
) -> Result<bool, ServerError> {
    let service = unit.service.as_str();
    let replaced = remove_feed(conn, unit).await?;
    let (at, language) = (timestamp(at), language.as_str());
    sqlx::query!(
        "INSERT INTO unit_calendar_feed (district_id, service_kind, token_hash, language,
                                         created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        unit.district.0,
        service,
        token_hash,
        language,
        at,
        by.0
    )
    .execute(&mut *conn)
    .await?;
    Ok(replaced)
}

/// Ends a unit's feed. False when it had none.
pub async fn remove_feed(conn: &mut SqliteConnection, unit: Unit) -> Result<bool, ServerError> {
    let service = unit.service.as_str();
    let done = sqlx::query!(
        "DELETE FROM unit_calendar_feed WHERE district_id = ?1 AND service_kind = ?2",
        unit.district.0,
        service
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// When the unit's feed was made and by whom, if it has one.
pub async fn feed_status(
    conn: &mut SqliteConnection,
    unit: Unit,
) -> Result<Option<(String, Option<String>)>, ServerError> {
    let service = unit.service.as_str();
    let row = sqlx::query!(
        r#"SELECT f.created_at, u.name AS "created_by?"
           FROM unit_calendar_feed f LEFT JOIN app_user u ON u.id = f.created_by
           WHERE f.district_id = ?1 AND f.service_kind = ?2"#,
        unit.district.0,
        service
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| (r.created_at, r.created_by)))
}

/// The unit whose feed secret hashes to `token_hash`, and the feed's language.
pub async fn feed_by_hash(
    conn: &mut SqliteConnection,
    token_hash: &str,
) -> Result<Option<(Unit, MailLanguage)>, ServerError> {
    let row = sqlx::query!(
        r#"SELECT district_id, service_kind, language AS "language: MailLanguage"
           FROM unit_calendar_feed WHERE token_hash = ?1"#,
        token_hash
    )
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        let unit =
            unit_of(Some(r.district_id), Some(&r.service_kind))?.ok_or(ServerError::NotFound)?;
        Ok((unit, r.language))
    })
    .transpose()
}

/// The planned (not yet held) exit meetings `unit` is invited to: the stay and the meeting's
/// Oslo local time (`YYYY-MM-DDTHH:MM`), soonest first, at most `limit`.
pub async fn planned_meetings(
    conn: &mut SqliteConnection,
    unit: Unit,
    limit: i64,
) -> Result<Vec<(StayId, String)>, ServerError> {
    let service = unit.service.as_str();
    let rows = sqlx::query!(
        r#"SELECT m.stay_id AS "stay!: StayId", m.starts_at
           FROM exit_meeting m
           JOIN exit_meeting_service ms ON ms.stay_id = m.stay_id
           JOIN service s ON s.id = ms.service_id
           WHERE m.held = 0 AND s.district_id = ?1 AND s.kind = ?2
           ORDER BY m.starts_at, m.stay_id LIMIT ?3"#,
        unit.district.0,
        service,
        limit
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.stay, r.starts_at)).collect())
}
