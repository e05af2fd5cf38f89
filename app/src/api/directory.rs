//! The districts' service directory. Public work-contact data, readable without sign-in until
//! the access issue puts the portal behind a login.

use crate::domain::{AppError, DistrictDetail, DistrictSummary};
use leptos::prelude::*;

pub const LIST_DISTRICTS: &str = "districts";
pub const GET_DISTRICT: &str = "district";

/// All districts with counts of services and contacts.
#[server(prefix = "/api", endpoint = "districts")]
pub async fn list_districts() -> Result<Vec<DistrictSummary>, AppError> {
    use crate::server::{AppState, service};
    let state = AppState::current()?;
    Ok(service::directory::list_districts(&state.pool).await?)
}

/// One district with its services and contact people.
#[server(prefix = "/api", endpoint = "district")]
pub async fn get_district(slug: String) -> Result<DistrictDetail, AppError> {
    use crate::domain::DistrictSlug;
    use crate::server::{AppState, service};
    let state = AppState::current()?;
    let slug = DistrictSlug::parse(&slug).map_err(|_| AppError::not_found())?;
    Ok(service::directory::district_detail(&state.pool, &slug).await?)
}
