//! The crisis center's yearly statistics page: the figures of one year from the stays (the same
//! as `portal stats`), for crisis center staff and administrators. Counts only.

use crate::domain::AppError;
use crate::domain::stats::YearStats;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const STATISTICS_PAGE: &str = "/statistikk";
pub const STATISTICS: &str = "statistics";
pub const IMPORT_INFO: &str = "import_info";

/// One year's figures and the years there are figures for (newest first).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatisticsView {
    pub stats: YearStats,
    pub years: Vec<i32>,
    /// Whether the reader may import past stays (administrators).
    pub may_import: bool,
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
                may_import: crate::domain::permits(
                    Some(&call.user.actor),
                    Action::ImportStays,
                    Target::Global,
                ),
            })
        }
        .await,
    )
}

/// The import page's facts: the district slugs a file may name. Administrators.
#[server(prefix = "/api", endpoint = "import_info")]
pub async fn import_info() -> Result<Vec<String>, AppError> {
    use crate::api::guard::{authorize, with_status};
    use crate::domain::{Action, Target};
    with_status(
        async {
            let call = authorize(Action::ImportStays, Target::Global)?;
            let mut read = call.state.db.begin_read().await?;
            let mut slugs: Vec<String> = crate::server::repo::imports::district_ids(&mut read)
                .await?
                .into_keys()
                .collect();
            read.commit().await?;
            slugs.sort();
            Ok(slugs)
        }
        .await,
    )
}
