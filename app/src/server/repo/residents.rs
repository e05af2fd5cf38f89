//! Resident records and their merges. Linking two stays as one person's moves the stays of one
//! resident record to another; the move is a `resident_merge` row with the stays it moved, the
//! record left behind is kept, and the merge can be undone.

use crate::domain::UserId;
use crate::domain::plan::{MergeView, StayId};
use crate::server::ServerError;
use crate::server::repo::access_log::timestamp;
use sqlx::SqliteConnection;
use time::OffsetDateTime;

/// Moves every stay of `stay`'s resident record to the record of `other`, and records the merge
/// with the stays it moved. Returns the merge id, or `None` when either stay does not exist or
/// both already belong to one record.
pub async fn merge(
    conn: &mut SqliteConnection,
    stay: StayId,
    other: StayId,
    at: OffsetDateTime,
    by: UserId,
) -> Result<Option<i64>, ServerError> {
    let Some(from) = resident_of(conn, stay).await? else {
        return Ok(None);
    };
    let Some(into) = resident_of(conn, other).await? else {
        return Ok(None);
    };
    if from == into {
        return Ok(None);
    }
    let at = timestamp(at);
    let merge = sqlx::query_scalar!(
        r#"INSERT INTO resident_merge (stay_id, other_stay_id, from_resident_id, into_resident_id, at, by_user_id)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id AS "id!""#,
        stay.0,
        other.0,
        from,
        into,
        at,
        by.0
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO resident_merge_stay (merge_id, stay_id) SELECT ?1, id FROM stay WHERE resident_id = ?2",
        merge,
        from
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE stay SET resident_id = ?2 WHERE resident_id = ?1",
        from,
        into
    )
    .execute(&mut *conn)
    .await?;
    Ok(Some(merge))
}

/// Undoes a merge in force that concerns `stay` (the stay is on the record the merge went
/// into): the stays it moved go back to the record they came from. Returns the stays that
/// moved back, or `None` when there is no such merge in force.
pub async fn undo_merge(
    conn: &mut SqliteConnection,
    stay: StayId,
    merge: i64,
    at: OffsetDateTime,
    by: UserId,
) -> Result<Option<Vec<StayId>>, ServerError> {
    let Some(m) = sqlx::query!(
        r#"SELECT m.from_resident_id, m.into_resident_id FROM resident_merge m
           JOIN stay s ON s.resident_id = m.into_resident_id
           WHERE m.id = ?1 AND s.id = ?2 AND m.undone_at IS NULL"#,
        merge,
        stay.0
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let moved = sqlx::query_scalar!(
        r#"UPDATE stay SET resident_id = ?2
           WHERE resident_id = ?3 AND id IN (SELECT stay_id FROM resident_merge_stay WHERE merge_id = ?1)
           RETURNING id AS "id!""#,
        merge,
        m.from_resident_id,
        m.into_resident_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let at = timestamp(at);
    sqlx::query!(
        "UPDATE resident_merge SET undone_at = ?2, undone_by_user_id = ?3 WHERE id = ?1",
        merge,
        at,
        by.0
    )
    .execute(&mut *conn)
    .await?;
    let mut moved: Vec<StayId> = moved.into_iter().map(StayId).collect();
    moved.sort();
    Ok(Some(moved))
}

/// The merges in force into `stay`'s resident record, newest first, with the stays each moved.
pub async fn merges_into(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Vec<MergeView>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT m.id AS "id!", m.at, u.name AS by_name, ms.stay_id
           FROM resident_merge m
           JOIN stay s ON s.resident_id = m.into_resident_id
           JOIN app_user u ON u.id = m.by_user_id
           JOIN resident_merge_stay ms ON ms.merge_id = m.id
           WHERE s.id = ?1 AND m.undone_at IS NULL
           ORDER BY m.id DESC, ms.stay_id"#,
        stay.0
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut merges: Vec<MergeView> = Vec::new();
    for r in rows {
        match merges.last_mut() {
            Some(last) if last.merge == r.id => last.stays.push(StayId(r.stay_id)),
            _ => merges.push(MergeView {
                merge: r.id,
                at: r.at,
                by: r.by_name,
                stays: vec![StayId(r.stay_id)],
            }),
        }
    }
    Ok(merges)
}

async fn resident_of(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Option<i64>, ServerError> {
    Ok(
        sqlx::query_scalar!("SELECT resident_id FROM stay WHERE id = ?1", stay.0)
            .fetch_optional(&mut *conn)
            .await?,
    )
}
