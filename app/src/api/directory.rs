//! The districts' service directory: districts, their services and contact people. Every
//! signed-in user reads districts and services; contact people (employees' names and work
//! contacts) are left out for the reviewer, who sees aggregates only.

use crate::domain::{AppError, DistrictDetail, DistrictSummary};
use leptos::prelude::*;

pub const LIST_DISTRICTS: &str = "districts";
pub const GET_DISTRICT: &str = "district";

/// All districts with counts of services and contacts.
#[server(prefix = "/api", endpoint = "districts")]
pub async fn list_districts() -> Result<Vec<DistrictSummary>, AppError> {
    use crate::api::guard::{authorize, with_status};
    use crate::domain::{Action, Target};
    use crate::server::service;
    with_status(
        async {
            let call = authorize(Action::ReadDirectory, Target::Global)?;
            Ok(service::directory::list_districts(&call.state.db).await?)
        }
        .await,
    )
}

/// One district with its services and (for those who may read them) their contact people.
#[server(prefix = "/api", endpoint = "district")]
pub async fn get_district(slug: String) -> Result<DistrictDetail, AppError> {
    use crate::api::guard::{authorize, with_status};

    use crate::domain::{Action, DistrictSlug, Target, Unit};
    use crate::server::service;
    with_status(
        async {
            let call = authorize(Action::ReadDirectory, Target::Global)?;
            let slug = DistrictSlug::parse(&slug).map_err(|_| AppError::not_found())?;
            let read_contacts = call.check(Action::ReadContacts, Target::Global).is_ok();
            let by = call.actor();
            let reader = read_contacts.then_some((call.now(), &by));
            let mut detail =
                service::directory::district_detail(&call.state.db, &slug, reader).await?;
            for service in &mut detail.services {
                let unit = Unit {
                    district: detail.id,
                    service: service.kind,
                };
                service.editable =
                    read_contacts && call.check(Action::EditContacts, Target::Unit(unit)).is_ok();
            }
            Ok(detail)
        }
        .await,
    )
}
