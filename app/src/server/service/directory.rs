//! Reading the districts' service directory.

use crate::domain::{DistrictDetail, DistrictSlug, DistrictSummary};
use crate::server::{ServerError, repo};
use sqlx::SqlitePool;

/// The list of districts for the directory page.
#[tracing::instrument(skip_all)]
pub async fn list_districts(pool: &SqlitePool) -> Result<Vec<DistrictSummary>, ServerError> {
    let mut conn = pool.acquire().await?;
    repo::directory::list_districts(&mut conn).await
}

/// A district's page: its services and their contacts. `NotFound` for an unknown slug.
#[tracing::instrument(skip_all, fields(district = %slug))]
pub async fn district_detail(
    pool: &SqlitePool,
    slug: &DistrictSlug,
) -> Result<DistrictDetail, ServerError> {
    let mut conn = pool.acquire().await?;
    repo::directory::district_detail(&mut conn, slug)
        .await?
        .ok_or(ServerError::NotFound)
}
