//! Past stays imported from the crisis center's records (`imported_stay`, `stay_import`).

use crate::domain::stats::StayRecord;
use crate::server::ServerError;
use crate::server::import::ImportRow;
use crate::server::repo::access_log::timestamp;
use sqlx::SqliteConnection;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

/// The directory's district ids by slug.
pub async fn district_ids(
    conn: &mut SqliteConnection,
) -> Result<HashMap<String, i64>, ServerError> {
    let rows = sqlx::query!(r#"SELECT id AS "id!", slug FROM district"#)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|r| (r.slug, r.id)).collect())
}

/// The imported stays of each person key: (arrival, move-out).
pub async fn periods(
    conn: &mut SqliteConnection,
) -> Result<HashMap<String, Vec<(Date, Date)>>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT person_key, arrival AS "arrival!: Date", move_out AS "move_out!: Date"
           FROM imported_stay"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut periods: HashMap<String, Vec<(Date, Date)>> = HashMap::new();
    for r in rows {
        periods
            .entry(r.person_key)
            .or_default()
            .push((r.arrival, r.move_out));
    }
    Ok(periods)
}

/// Records an import: when, by whom (`None` from the command line), from where, and its counts.
pub async fn insert_import(
    conn: &mut SqliteConnection,
    at: OffsetDateTime,
    by: Option<i64>,
    source: &str,
    added: i64,
    known: i64,
) -> Result<i64, ServerError> {
    let at = timestamp(at);
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO stay_import (at, by_user_id, source, rows_added, rows_known)
           VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id AS "id!""#,
        at,
        by,
        source,
        added,
        known
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Stores one imported stay.
pub async fn insert_stay(
    conn: &mut SqliteConnection,
    import: i64,
    row: &ImportRow,
    district: Option<i64>,
) -> Result<(), ServerError> {
    let (gender, referral, outcome) = (
        row.gender.as_str(),
        row.referral.as_str(),
        row.outcome.as_str(),
    );
    let children = i64::from(row.children);
    sqlx::query!(
        "INSERT INTO imported_stay (import_id, person_key, gender, birth_year, arrival, move_out,
                                    children, referral, outcome, home_district_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        import,
        row.person_key,
        gender,
        row.birth_year,
        row.arrival,
        row.move_out,
        children,
        referral,
        outcome,
        district
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Every imported stay that arrived on or before `until`, as the statistics read them. A person
/// key becomes a negative person number (resident records are positive), the same for each of
/// the key's stays.
pub async fn stay_records(
    conn: &mut SqliteConnection,
    until: Date,
) -> Result<Vec<StayRecord>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT person_key, gender AS "gender!: crate::domain::plan::Gender",
                  arrival AS "arrival!: Date", move_out AS "move_out!: Date",
                  children, referral AS "referral!: crate::domain::plan::Referral",
                  outcome AS "outcome!: crate::domain::plan::Outcome"
           FROM imported_stay WHERE arrival <= ?1"#,
        until
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut persons: HashMap<String, i64> = HashMap::new();
    Ok(rows
        .into_iter()
        .map(|r| {
            let next = -(persons.len() as i64) - 1;
            let person = *persons.entry(r.person_key).or_insert(next);
            StayRecord {
                person,
                gender: r.gender,
                arrival: r.arrival,
                move_out: Some(r.move_out),
                children: u32::try_from(r.children).unwrap_or(0),
                referral: r.referral,
                outcome: Some(r.outcome),
                frozen: None,
            }
        })
        .collect())
}
