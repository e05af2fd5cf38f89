//! The crisis center's yearly statistics page: the figures of one year from the stays (the same
//! as `portal stats`), for crisis center staff and administrators. Counts only.

use crate::domain::AppError;
use crate::domain::stats::YearStats;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const STATISTICS_PAGE: &str = "/statistikk";
pub const STATISTICS: &str = "statistics";

/// One year's figures and the years there are figures for (newest first).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatisticsView {
    pub stats: YearStats,
    pub years: Vec<i32>,
}

/// The figures of `year` (this year in Oslo when empty).
#[server(prefix = "/api", endpoint = "statistics")]
pub async fn statistics(#[server(default)] year: String) -> Result<StatisticsView, AppError> {
    use crate::api::guard::{authorize, with_status};
    use crate::domain::{Action, Target};
    with_status(
        async {
            let call = authorize(Action::ReadStatistics, Target::Global)?;
            let today = call.state.clock.oslo_today();
            let year = match year.trim() {
                "" => today.year(),
                raw => raw
                    .parse::<i32>()
                    .ok()
                    .filter(|y| (1900..=today.year()).contains(y))
                    .ok_or(AppError::invalid("year"))?,
            };
            let db = &call.state.db;
            let stats = crate::server::service::stats::year(db, year, today).await?;
            let first = crate::server::service::stats::first_year(db)
                .await?
                .unwrap_or(today.year())
                .clamp(1900, today.year());
            Ok(StatisticsView {
                stats,
                years: (first.min(year)..=today.year()).rev().collect(),
            })
        }
        .await,
    )
}
