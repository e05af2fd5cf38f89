//! Administrators' changes to the directory: districts and services. (Contact people are in
//! `contacts`, where each unit edits its own.) Plain forms post here.

use crate::domain::{AppError, ServiceId};
use leptos::prelude::*;

pub const CREATE_DISTRICT: &str = "district_create";
pub const RENAME_DISTRICT: &str = "district_rename";
pub const CREATE_SERVICE: &str = "service_create";
pub const UPDATE_SERVICE: &str = "service_update";

/// Adds a district; its address is derived from the name.
#[server(prefix = "/api", endpoint = "district_create")]
pub async fn create_district(name: String) -> Result<String, AppError> {
    use crate::api::guard::{authorize, finish_form};

    use crate::domain::{Action, Target};
    use crate::server::service::directory;
    let result = async {
        let call = authorize(Action::EditDirectory, Target::Global)?;
        let by = call.actor();
        let slug = directory::create_district(&call.state.db, call.now(), &by, &name).await?;
        Ok(slug.as_str().to_owned())
    }
    .await;
    finish_form(result, "/bydeler", |slug| {
        format!("{}?ok=bydel_opprettet", crate::routes::district(slug))
    })
}

/// Renames a district (its address stays).
#[server(prefix = "/api", endpoint = "district_rename")]
pub async fn rename_district(id: i64, slug: String, name: String) -> Result<(), AppError> {
    use crate::api::guard::{authorize, finish_form};

    use crate::domain::{Action, DistrictId, Target};
    use crate::server::service::directory;
    let back = format!(
        "/bydeler/{}",
        crate::domain::DistrictSlug::parse(&slug).map_or("".into(), |s| s.as_str().to_owned())
    );
    let result = async {
        let call = authorize(Action::EditDirectory, Target::District(DistrictId(id)))?;
        let by = call.actor();
        directory::rename_district(&call.state.db, call.now(), &by, DistrictId(id), &name).await?;
        Ok(())
    }
    .await;
    let done = format!("{back}?ok=bydel");
    finish_form(result, &back, |_| done)
}

/// Adds a service to a district.
#[server(prefix = "/api", endpoint = "service_create")]
pub async fn create_service(
    district: i64,
    slug: String,
    kind: String,
    name: String,
    #[server(default)] email: String,
    #[server(default)] phone: String,
) -> Result<ServiceId, AppError> {
    use crate::api::guard::{authorize, finish_form};

    use crate::domain::{Action, DistrictId, ServiceInput, ServiceKind, Target};
    use crate::server::service::directory;
    let back = format!(
        "/bydeler/{}",
        crate::domain::DistrictSlug::parse(&slug).map_or("".into(), |s| s.as_str().to_owned())
    );
    let result = async {
        let call = authorize(
            Action::EditDirectory,
            Target::District(DistrictId(district)),
        )?;
        let kind = ServiceKind::parse(&kind).map_err(|_| AppError::invalid("kind"))?;
        let input = ServiceInput::parse(&name, &email, &phone).map_err(AppError::invalid)?;
        let by = call.actor();
        Ok(directory::create_service(
            &call.state.db,
            call.now(),
            &by,
            DistrictId(district),
            kind,
            &input,
        )
        .await?)
    }
    .await;
    let page = back.clone();
    finish_form(result, &back, move |id| {
        format!("{page}?ok=tjeneste_opprettet#service-{id}")
    })
}

/// Changes a service's name, shared inbox and phone.
#[server(prefix = "/api", endpoint = "service_update")]
pub async fn update_service(
    service: i64,
    name: String,
    #[server(default)] email: String,
    #[server(default)] phone: String,
) -> Result<(), AppError> {
    use crate::api::guard::{authorize, finish_form};

    use crate::domain::{Action, ServiceInput, Target};
    use crate::server::service::directory;
    let mut back = "/bydeler".to_owned();
    let result = async {
        let call = authorize(Action::EditDirectory, Target::Global)?;
        let place = directory::service_place(&call.state.db, ServiceId(service)).await?;
        back = crate::routes::district(place.slug.as_str());
        let input = ServiceInput::parse(&name, &email, &phone).map_err(AppError::invalid)?;
        let by = call.actor();
        directory::update_service(&call.state.db, call.now(), &by, ServiceId(service), &input)
            .await?;
        Ok(())
    }
    .await;
    let done = format!("{back}?ok=tjeneste#service-{service}");
    finish_form(result, &back, |_| done)
}
