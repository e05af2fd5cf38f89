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
            let db = &call.state.db;
            let (year, years) = crate::server::service::stats::page_year(db, &year, today).await?;
            let stats = crate::server::service::stats::year(db, year, today).await?;
            Ok(StatisticsView {
                stats,
                years,
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
            let slugs = crate::server::service::imports::district_slugs(&call.state.db).await?;
            Ok(slugs)
        }
        .await,
    )
}
