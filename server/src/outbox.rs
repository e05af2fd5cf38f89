//! `portal outbox`: the outbox for operators, as a table or JSON. Kinds, units, states, attempts,
//! times and errors: no personal data.

use app::domain::notice::OutboxEntry;
use app::server::ServerError;
use app::server::db::Db;
use app::server::repo::outbox;
use serde::Serialize;

/// How many pending and how many failed rows are listed at most.
const LIST_LIMIT: i64 = 200;

#[derive(Serialize)]
struct Report<'a> {
    counts: std::collections::BTreeMap<&'static str, i64>,
    rows: &'a [OutboxEntry],
}

/// Every failed row back in the queue, due at `now`.
pub async fn retry_failed(db: &Db, now: time::OffsetDateTime) -> Result<u64, ServerError> {
    let mut tx = db.begin_write().await?;
    let n = outbox::retry_failed(&mut tx, now, None).await?;
    tx.commit().await?;
    Ok(n)
}

/// The report: counts per state, then pending and failed rows and the `recent` latest others.
pub async fn report(db: &Db, recent: i64, json: bool) -> Result<String, ServerError> {
    let mut conn = db.acquire().await?;
    let counts = outbox::state_counts(&mut conn).await?;
    let rows = outbox::operator_rows(&mut conn, LIST_LIMIT, recent.clamp(0, 10_000)).await?;
    let counts: std::collections::BTreeMap<&'static str, i64> =
        counts.into_iter().map(|(s, n)| (s.as_str(), n)).collect();
    if json {
        return serde_json::to_string_pretty(&Report {
            counts,
            rows: &rows,
        })
        .map(|s| s + "\n")
        .map_err(|e| ServerError::Pragma(e.to_string()));
    }
    let mut out = String::from("Outbox:");
    for state in ["pending", "failed", "sent", "skipped"] {
        out.push_str(&format!(
            " {state} {}",
            counts.get(state).copied().unwrap_or(0)
        ));
    }
    out.push('\n');
    out.push_str(&format!(
        "{:>7} {:<24} {:<7} {:<20} {:<21} {:<8} {:>3} {:<24} {}\n",
        "id", "kind", "to", "district", "service", "state", "try", "next try / sent", "last error"
    ));
    for r in &rows {
        let when = r
            .next_try_at
            .as_deref()
            .or(r.sent_at.as_deref())
            .unwrap_or("-");
        out.push_str(&format!(
            "{:>7} {:<24} {:<7} {:<20} {:<21} {:<8} {:>3} {:<24} {}\n",
            r.id,
            r.kind.as_str(),
            r.audience.as_str(),
            r.district.as_deref().unwrap_or("-"),
            r.service.as_deref().unwrap_or("-"),
            r.state.as_str(),
            r.attempts,
            when,
            r.last_error.as_deref().unwrap_or("")
        ));
    }
    Ok(out)
}
