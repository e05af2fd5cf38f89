//! The municipality's compliance pages: the figures of every district for a period, with small
//! counts suppressed. Aggregates only: nothing here reads a person's fields, so nothing is
//! written to the access log.

use crate::domain::compliance::{ComplianceView, Period, housing_table};
use crate::server::ServerError;
use crate::server::db::Db;
use crate::server::repo::compliance as repo;

/// Every district's figures for `period`, side by side, and the municipality's.
pub async fn overview(
    db: &Db,
    period: Period,
    today: time::Date,
) -> Result<ComplianceView, ServerError> {
    let mut conn = db.acquire().await?;
    let districts = repo::districts(&mut conn).await?;
    let mut housing = repo::housing_counts(&mut conn, period, today).await?;
    let rows: Vec<_> = districts
        .into_iter()
        .map(|(id, slug, name)| ((slug, name), housing.remove(&id).unwrap_or_default()))
        .collect();
    Ok(ComplianceView {
        period,
        today,
        housing: housing_table(&rows),
    })
}
