//! Editing the contact people of a unit: administrators for every unit, a caseworker for their
//! own. A contact or service outside the caller's reach answers exactly like one that does not
//! exist (`E-NOT-FOUND`), so guessing ids tells nothing.

use crate::domain::{AppError, ContactId};
use leptos::prelude::*;

pub const ADD_CONTACT: &str = "contact_add";
pub const REMOVE_CONTACT: &str = "contact_remove";
pub const UPDATE_CONTACT: &str = "contact_update";

/// The scope the query keeps to: a caseworker's own unit; `None` for administrators.
#[cfg(feature = "ssr")]
fn scope(call: &crate::api::guard::Call) -> Option<crate::domain::Unit> {
    match call.user.actor.role {
        crate::domain::Role::Admin => None,
        _ => call.user.actor.unit,
    }
}

/// The page to return to after a form post: the district page, at the service.
#[cfg(feature = "ssr")]
fn district_page(place: &crate::domain::ServicePlace) -> String {
    crate::routes::district(place.slug.as_str())
}

/// The checks both functions make, in order: signed in; a role that edits some unit's contacts
/// (else `E-FORBIDDEN`); the unit of the service in question (else `E-NOT-FOUND`, the same as
/// for an id that does not exist).
#[cfg(feature = "ssr")]
async fn authorize_for(
    place: impl std::future::Future<
        Output = Result<crate::domain::ServicePlace, crate::server::ServerError>,
    >,
) -> Result<(crate::api::guard::Call, crate::domain::ServicePlace), AppError> {
    use crate::domain::{Action, Target};
    let call = crate::api::guard::signed_in()?;
    if !crate::domain::may_edit_some_contacts(&call.user.actor) {
        return Err(AppError::forbidden());
    }
    let place = place.await?;
    call.check_or_hide(Action::EditContacts, Target::Unit(place.unit()))?;
    Ok((call, place))
}

/// Adds a contact person to a service.
#[server(prefix = "/api", endpoint = "contact_add")]
pub async fn add_contact(
    service: i64,
    name: String,
    role: String,
    email: String,
    #[server(default)] phone: String,
) -> Result<ContactId, AppError> {
    use crate::api::guard::finish_form;

    use crate::domain::{NewContact, ServiceId};
    use crate::server::service::directory;
    let mut back = "/bydeler".to_owned();
    let result = async {
        let state = crate::server::AppState::current()?;
        let (call, place) =
            authorize_for(directory::service_place(&state.db, ServiceId(service))).await?;
        back = district_page(&place);
        let contact = NewContact::parse(&name, &role, &email, &phone).map_err(AppError::invalid)?;
        let by = call.actor();
        Ok(directory::add_contact(
            &call.state.db,
            call.now(),
            &by,
            scope(&call),
            ServiceId(service),
            &contact,
        )
        .await?)
    }
    .await;
    let done = format!("{back}?ok=kontakt_lagt_til#service-{service}");
    finish_form(result, &back, |_| done)
}

/// Removes a contact person from the directory.
#[server(prefix = "/api", endpoint = "contact_remove")]
pub async fn remove_contact(contact: i64) -> Result<(), AppError> {
    use crate::api::guard::finish_form;

    use crate::server::service::directory;
    let mut back = "/bydeler".to_owned();
    let result = async {
        let state = crate::server::AppState::current()?;
        let (call, place) =
            authorize_for(directory::contact_place(&state.db, ContactId(contact))).await?;
        back = district_page(&place);
        let by = call.actor();
        directory::remove_contact(
            &call.state.db,
            call.now(),
            &by,
            scope(&call),
            ContactId(contact),
        )
        .await?;
        Ok(())
    }
    .await;
    let done = format!("{back}?ok=kontakt_fjernet");
    finish_form(result, &back, |_| done)
}

/// Changes a contact person's name, role, address and phone.
#[server(prefix = "/api", endpoint = "contact_update")]
pub async fn update_contact(
    contact: i64,
    name: String,
    role: String,
    email: String,
    #[server(default)] phone: String,
) -> Result<(), AppError> {
    use crate::api::guard::finish_form;

    use crate::domain::NewContact;
    use crate::server::service::directory;
    let mut back = "/bydeler".to_owned();
    let result = async {
        let state = crate::server::AppState::current()?;
        let (call, place) =
            authorize_for(directory::contact_place(&state.db, ContactId(contact))).await?;
        back = district_page(&place);
        let input = NewContact::parse(&name, &role, &email, &phone).map_err(AppError::invalid)?;
        let by = call.actor();
        directory::update_contact(
            &call.state.db,
            call.now(),
            &by,
            scope(&call),
            ContactId(contact),
            &input,
        )
        .await?;
        Ok(())
    }
    .await;
    let done = format!("{back}?ok=kontakt");
    finish_form(result, &back, |_| done)
}
