//! `portal stats --year YYYY [--json|--csv]`: the crisis center's yearly figures from the stays
//! (the definitions are in the README and on the statistics page). Counts only: no personal data.

use app::domain::stats::YearStats;
use app::server::ServerError;
use app::server::db::Db;
use time::Date;

/// How the figures are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned lines for a person at a terminal.
    Text,
    /// One object with the figures' keys.
    Json,
    /// `figure;value` rows (with a header row) for a spreadsheet.
    Csv,
}

/// The figures of `year`, printed in `format`.
pub async fn report(
    db: &Db,
    year: i32,
    today: Date,
    format: Format,
) -> Result<String, ServerError> {
    let stats = app::server::service::stats::year(db, year, today).await?;
    Ok(render(&stats, format))
}

fn render(stats: &YearStats, format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(stats).unwrap_or_default() + "\n",
        Format::Csv => {
            let mut out = String::from("figure;value\r\n");
            for (figure, value) in stats.csv_rows() {
                out.push_str(&format!("{figure};{value}\r\n"));
            }
            out
        }
        Format::Text => {
            let mut out = format!(
                "Crisis center figures for {} (stays overlapping the year)\n",
                stats.year
            );
            for (figure, value) in stats.csv_rows().into_iter().skip(1) {
                let value = if value.is_empty() { "-".into() } else { value };
                out.push_str(&format!("{figure:<34} {value:>10}\n"));
            }
            out
        }
    }
}
