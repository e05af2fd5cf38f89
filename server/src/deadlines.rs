//! `portal deadlines`: overdue and due-soon counts per district and service on an Oslo date, as
//! a table for operators or JSON for scripts. Counts only: no personal data.

use app::domain::plan::date_text;
use app::server::ServerError;
use app::server::db::Db;
use app::server::service::plans::deadline_counts;
use serde::Serialize;
use time::Date;

#[derive(Serialize)]
struct Report<'a> {
    as_of: String,
    due_soon_days: u16,
    rows: &'a [app::server::repo::plans::DeadlineCount],
    total_overdue: i64,
    total_due_soon: i64,
}

/// The report for `today` (an Oslo date) with a due-soon window of `soon_days`.
pub async fn report(
    db: &Db,
    today: Date,
    soon_days: u16,
    json: bool,
) -> Result<String, ServerError> {
    let rows = deadline_counts(db, today, soon_days, None).await?;
    let total_overdue = rows.iter().map(|r| r.overdue).sum();
    let total_due_soon = rows.iter().map(|r| r.due_soon).sum();
    if json {
        let report = Report {
            as_of: date_text(today),
            due_soon_days: soon_days,
            rows: &rows,
            total_overdue,
            total_due_soon,
        };
        return serde_json::to_string_pretty(&report)
            .map(|s| s + "\n")
            .map_err(|e| ServerError::Pragma(e.to_string()));
    }
    let mut out = format!(
        "Open tasks on {} (Europe/Oslo), due soon = within {soon_days} days\n",
        date_text(today)
    );
    out.push_str(&format!(
        "{:<24} {:<22} {:>8} {:>9} {:>6}\n",
        "district", "service", "overdue", "due_soon", "open"
    ));
    for row in &rows {
        out.push_str(&format!(
            "{:<24} {:<22} {:>8} {:>9} {:>6}\n",
            row.district.as_deref().unwrap_or("(crisis center)"),
            row.service.map_or("-", |s| s.as_str()),
            row.overdue,
            row.due_soon,
            row.open
        ));
    }
    out.push_str(&format!(
        "{:<24} {:<22} {:>8} {:>9}\n",
        "total", "", total_overdue, total_due_soon
    ));
    Ok(out)
}
