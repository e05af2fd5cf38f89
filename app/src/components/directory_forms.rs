//! The directory's editing forms (plain HTML forms posting to server functions). They are shown
//! only to those who may use them; the server functions check again.

use crate::api::contacts::UPDATE_CONTACT;
use crate::api::directory_admin::{
    CREATE_DISTRICT, CREATE_SERVICE, RENAME_DISTRICT, UPDATE_SERVICE,
};
use crate::components::kept::{FieldError, Typed};
use crate::components::labels::service_label;
use crate::domain::{ContactRole, ContactView, DistrictId, ServiceKind, ServiceView};
use crate::i18n::*;
use leptos::prelude::*;

/// Whether the signed-in user may do `action` (globally). Only for showing or hiding controls:
/// every server function checks for itself.
pub fn may(action: crate::domain::Action) -> bool {
    may_on(action, crate::domain::Target::Global)
}

/// Whether the signed-in user may do `action` on `target` (for links and forms only: the server
/// function decides again).
pub fn may_on(action: crate::domain::Action, target: crate::domain::Target) -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::server::session::current_user()
            .is_some_and(|u| crate::domain::permits(Some(&u.actor), action, target))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (action, target);
        false
    }
}

/// A text field with its label; a refused form's value comes back through `typed`, with the
/// field marked and why.
#[component]
pub fn TextField(
    id: String,
    name: &'static str,
    label: String,
    #[prop(optional)] value: Option<String>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] typed: Typed,
) -> impl IntoView {
    let value = typed.text(name, value.unwrap_or_default());
    view! {
        <div class="ds-field">
            <label class="ds-label" for=id.clone()>{label}</label>
            <input class="ds-input" id=id name=name type=kind.unwrap_or("text") value=value autocomplete="off" required=required
                aria-invalid=typed.aria_invalid(name) aria-describedby=typed.described_by(name, None)/>
            <FieldError typed=typed.clone() name=name/>
        </div>
    }
}

/// A new district (administrators, on the list of districts).
#[component]
pub fn NewDistrictForm() -> impl IntoView {
    let i18n = use_i18n();
    let t = Typed::of(&crate::routes::api(CREATE_DISTRICT), &[]);
    view! {
        <details class="editor" open=t.is_kept()>
            <summary>{t!(i18n, directory_new_district)}</summary>
            <form class="form" method="post" action=crate::routes::api(CREATE_DISTRICT)>
                <TextField id="new-district-name".into() name="name" label=t_string!(i18n, field_name).to_string() required=true typed=t.clone()/>
                <button class="ds-button" type="submit">{t!(i18n, directory_create)}</button>
            </form>
        </details>
    }
}

/// Rename a district, and add a service to it (administrators, on the district's page).
#[component]
pub fn DistrictEditor(id: DistrictId, slug: String, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let key = id.to_string();
    let renamed = Typed::of(&crate::routes::api(RENAME_DISTRICT), &[("id", &key)]);
    let added = Typed::of(&crate::routes::api(CREATE_SERVICE), &[("district", &key)]);
    view! {
        <details class="editor" open=renamed.is_kept()>
            <summary>{t!(i18n, directory_rename_district)}</summary>
            <form class="form" method="post" action=crate::routes::api(RENAME_DISTRICT)>
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="slug" value=slug.clone()/>
                <TextField id="rename-district-name".into() name="name" label=t_string!(i18n, field_name).to_string() value=name required=true typed=renamed.clone()/>
                <button class="ds-button" type="submit">{t!(i18n, save)}</button>
            </form>
        </details>
        <details class="editor" open=added.is_kept()>
            <summary>{t!(i18n, directory_new_service)}</summary>
            <form class="form" method="post" action=crate::routes::api(CREATE_SERVICE)>
                <input type="hidden" name="district" value=id.to_string()/>
                <input type="hidden" name="slug" value=slug/>
                <div class="ds-field">
                    <label class="ds-label" for="new-service-kind">{t!(i18n, field_service)}</label>
                    <select class="ds-input" id="new-service-kind" name="kind" required>
                        <option value="" selected=!added.is_kept()>{t!(i18n, choose)}</option>
                        {[ServiceKind::Other, ServiceKind::Nav, ServiceKind::ChildWelfare, ServiceKind::ViolenceCoordinator]
                            .into_iter()
                            .map(|k| view! { <option value=k.as_str() selected=added.selected("kind", k.as_str(), false)>{service_label(k)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <ServiceFields prefix="new-service".into() service=None typed=added.clone()/>
                <button class="ds-button" type="submit">{t!(i18n, directory_create)}</button>
            </form>
        </details>
    }
}

#[component]
fn ServiceFields(
    prefix: String,
    service: Option<ServiceView>,
    #[prop(optional)] typed: Typed,
) -> impl IntoView {
    let i18n = use_i18n();
    let (name, email, phone) = service.map_or((None, None, None), |s| {
        (
            Some(s.name),
            s.email.map(|e| e.as_str().to_owned()),
            s.phone.map(|p| p.as_str().to_owned()),
        )
    });
    view! {
        <TextField id=format!("{prefix}-name") name="name" label=t_string!(i18n, field_name).to_string() value=name.unwrap_or_default() required=true typed=typed.clone()/>
        <TextField id=format!("{prefix}-email") name="email" kind="email" label=t_string!(i18n, service_inbox).to_string() value=email.unwrap_or_default() typed=typed.clone()/>
        <TextField id=format!("{prefix}-phone") name="phone" kind="tel" label=t_string!(i18n, service_phone).to_string() value=phone.unwrap_or_default() typed=typed.clone()/>
    }
}

/// Change a service's name and channels (administrators).
#[component]
pub fn ServiceEditor(service: ServiceView) -> impl IntoView {
    let i18n = use_i18n();
    let id = service.id;
    let t = Typed::of(
        &crate::routes::api(UPDATE_SERVICE),
        &[("service", &id.to_string())],
    );
    view! {
        <details class="editor" open=t.is_kept()>
            <summary>{t!(i18n, directory_edit_service)}</summary>
            <form class="form" method="post" action=crate::routes::api(UPDATE_SERVICE)>
                <input type="hidden" name="service" value=id.to_string()/>
                <ServiceFields prefix=format!("service-{id}") service=Some(service) typed=t.clone()/>
                <button class="ds-button" type="submit">{t!(i18n, save)}</button>
            </form>
        </details>
    }
}

/// Change a contact person (their unit, and administrators).
#[component]
pub fn ContactEditor(contact: ContactView) -> impl IntoView {
    let i18n = use_i18n();
    let id = contact.id;
    let prefix = format!("contact-{id}");
    let summary = t_string!(i18n, contacts_edit_label, name = contact.name.clone()).to_string();
    let role = contact.role;
    let t = Typed::of(
        &crate::routes::api(UPDATE_CONTACT),
        &[("contact", &id.to_string())],
    );
    let is = |value: &str, usual: bool| t.selected("role", value, usual);
    let (caseworker, leader, other) = (
        is("caseworker", role == ContactRole::Caseworker),
        is("leader", role == ContactRole::Leader),
        is("other", role == ContactRole::Other),
    );
    view! {
        <details class="editor" open=t.is_kept()>
            <summary aria-label=summary>{t!(i18n, contacts_edit)}</summary>
            <form class="form" method="post" action=crate::routes::api(UPDATE_CONTACT)>
                <input type="hidden" name="contact" value=id.to_string()/>
                <TextField id=format!("{prefix}-name") name="name" label=t_string!(i18n, field_name).to_string() value=contact.name required=true typed=t.clone()/>
                <div class="ds-field">
                    <label class="ds-label" for=format!("{prefix}-role")>{t!(i18n, col_role)}</label>
                    <select class="ds-input" id=format!("{prefix}-role") name="role">
                        <option value="caseworker" selected=caseworker>{t!(i18n, role_caseworker)}</option>
                        <option value="leader" selected=leader>{t!(i18n, role_leader)}</option>
                        <option value="other" selected=other>{t!(i18n, role_other)}</option>
                    </select>
                </div>
                <TextField id=format!("{prefix}-email") name="email" kind="email" label=t_string!(i18n, field_email).to_string() value=contact.email.as_str().to_owned() required=true typed=t.clone()/>
                <TextField id=format!("{prefix}-phone") name="phone" kind="tel" label=t_string!(i18n, field_phone).to_string() value=contact.phone.map(|p| p.as_str().to_owned()).unwrap_or_default() typed=t.clone()/>
                <button class="ds-button" type="submit">{t!(i18n, save)}</button>
            </form>
        </details>
    }
}
