//! The stay records the yearly statistics are computed from: one row per stay, no names.

use crate::domain::plan::{Gender, Outcome, Referral};
use crate::domain::stats::StayRecord;
use crate::server::ServerError;
use sqlx::SqliteConnection;
use time::Date;

/// Every stay that arrived on or before `until`, with its person (the resident record), the
/// person's gender and how many children came along.
pub async fn stay_records(
    conn: &mut SqliteConnection,
    until: Date,
) -> Result<Vec<StayRecord>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT s.resident_id AS "person!", r.gender AS "gender!: Gender",
                  s.arrival AS "arrival!: Date", s.move_out AS "move_out: Date",
                  (SELECT count(*) FROM child c WHERE c.stay_id = s.id) AS "children!: i64",
                  s.referral AS "referral!: Referral", s.outcome AS "outcome: Outcome"
           FROM stay s JOIN resident r ON r.id = s.resident_id
           WHERE s.arrival <= ?1"#,
        until
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StayRecord {
            person: r.person,
            gender: r.gender,
            arrival: r.arrival,
            move_out: r.move_out,
            children: u32::try_from(r.children).unwrap_or(u32::MAX),
            referral: r.referral,
            outcome: r.outcome,
            frozen: None,
        })
        .collect())
}

/// The earliest arrival of any stay, taken in through the intake or imported.
pub async fn first_arrival(conn: &mut SqliteConnection) -> Result<Option<Date>, ServerError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT min(arrival) AS "first: Date" FROM
           (SELECT min(arrival) AS arrival FROM stay
            UNION ALL SELECT min(arrival) FROM imported_stay)"#
    )
    .fetch_one(&mut *conn)
    .await?)
}
