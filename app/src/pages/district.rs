use crate::api::directory::get_district;
use crate::components::directory_forms::{ContactEditor, DistrictEditor, ServiceEditor, may};
use crate::components::messages::ErrorMessage;
use crate::domain::Action;
use crate::domain::{ContactRole, DistrictDetail, ServiceKind, ServiceView};
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A district: its services (NAV, child welfare, violence coordinator, others) and contacts.
#[component]
pub fn DistrictPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let district = OnceResource::new(get_district(slug));
    view! {
        <p class="back-link"><a class="ds-link" href="/bydeler">{t!(i18n, district_back)}</a></p>
        <crate::components::feedback::FormFeedback/>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match district.await {
                    Ok(detail) => view! { <DistrictView detail/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error page=true/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DistrictView(detail: DistrictDetail) -> impl IntoView {
    let i18n = use_i18n();
    let empty = detail.services.is_empty();
    let admin = may(Action::EditDirectory);
    // The board only where it opens (a caseworker's own district; staff, reviewers, admins).
    let board = crate::components::directory_forms::may_on(
        Action::ReadCompliance,
        crate::domain::Target::District(detail.id),
    );
    let control = crate::components::directory_forms::may_on(
        Action::ReadInternalControl,
        crate::domain::Target::District(detail.id),
    );
    let (id, slug, name) = (
        detail.id,
        detail.slug.as_str().to_owned(),
        detail.name.clone(),
    );
    view! {
        <PageTitle text=detail.name.clone()/>
        <h1 class="ds-heading" data-size="lg">{detail.name.clone()}</h1>
        {board.then(|| view! {
            <p class="ds-paragraph"><a class="ds-link" href=crate::routes::district_board(detail.slug.as_str())>{t!(i18n, board_link)}</a></p>
        })}
        {control.then(|| view! {
            <p class="ds-paragraph"><a class="ds-link" href=crate::api::internal_control::district_control_page(detail.slug.as_str())>{t!(i18n, control_to_district)}</a></p>
        })}
        {admin.then(|| view! { <DistrictEditor id slug name/> })}
        <h2 class="ds-heading" data-size="md">{t!(i18n, district_services_title)}</h2>
        {empty.then(|| view! { <p class="ds-paragraph">{t!(i18n, district_no_services)}</p> })}
        <div class="services">
            {detail.services.into_iter().map(|service| view! { <ServiceSection service admin/> }).collect_view()}
        </div>
    }
}

#[component]
fn ServiceSection(service: ServiceView, admin: bool) -> impl IntoView {
    let i18n = use_i18n();
    let heading_id = format!("service-{}", service.id);
    let labelled_by = heading_id.clone();
    let kind = match service.kind {
        ServiceKind::Nav => t_string!(i18n, service_kind_nav),
        ServiceKind::ChildWelfare => t_string!(i18n, service_kind_child_welfare),
        ServiceKind::ViolenceCoordinator => t_string!(i18n, service_kind_violence_coordinator),
        ServiceKind::Other => t_string!(i18n, service_kind_other),
    }
    .to_string();
    let caption = t_string!(i18n, contacts_caption, service = service.name.clone()).to_string();
    let has_contacts = !service.contacts.is_empty();
    let editable = service.editable;
    let service_id = service.id;
    let service_editor = admin.then(|| service.clone());
    view! {
        <section class="ds-card service" aria-labelledby=labelled_by>
            <p class="service__kind">{kind}</p>
            <h3 class="ds-heading" data-size="sm" id=heading_id>{service.name.clone()}</h3>
            <dl class="service__channels">
                {service.email.map(|email| view! {
                    <dt>{t!(i18n, service_inbox)}</dt>
                    <dd><a class="ds-link" href=format!("mailto:{}", email.as_str())>{email.as_str().to_owned()}</a></dd>
                })}
                {service.phone.map(|phone| view! {
                    <dt>{t!(i18n, service_phone)}</dt>
                    <dd><a class="ds-link" href=phone.tel_uri()>{phone.as_str().to_owned()}</a></dd>
                })}
            </dl>
            {if has_contacts {
                view! {
                    <table class="ds-table contacts" data-border="true">
                        <caption class="ds-sr-only">{caption}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, col_name)}</th>
                                <th scope="col">{t!(i18n, col_role)}</th>
                                <th scope="col">{t!(i18n, col_email)}</th>
                                <th scope="col">{t!(i18n, col_phone)}</th>
                                {editable.then(|| view! { <th scope="col">{t!(i18n, col_actions)}</th> })}
                            </tr>
                        </thead>
                        <tbody>
                            {service.contacts.into_iter().map(|c| {
                                let role = match c.role {
                                    ContactRole::Leader => t_string!(i18n, role_leader),
                                    ContactRole::Caseworker => t_string!(i18n, role_caseworker),
                                    ContactRole::Other => t_string!(i18n, role_other),
                                }.to_string();
                                view! {
                                    <tr>
                                        <th scope="row">{c.name.clone()}</th>
                                        <td>{role}</td>
                                        <td><a class="ds-link" href=format!("mailto:{}", c.email.as_str())>{c.email.as_str().to_owned()}</a></td>
                                        <td>{c.phone.clone().map(|p| view! { <a class="ds-link" href=p.tel_uri()>{p.as_str().to_owned()}</a> })}</td>
                                        {editable.then(|| {
                                            let label = t_string!(i18n, contacts_remove_label, name = c.name.clone()).to_string();
                                            let contact = c.clone();
                                            view! {
                                                <td>
                                                    <ContactEditor contact/>
                                                    <form method="post" action=crate::routes::api(crate::api::contacts::REMOVE_CONTACT)>
                                                        <input type="hidden" name="contact" value=c.id.to_string()/>
                                                        <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit" aria-label=label>{t!(i18n, contacts_remove)}</button>
                                                    </form>
                                                </td>
                                            }
                                        })}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            } else {
                view! { <p class="ds-paragraph">{if may(Action::ReadContacts) { t!(i18n, no_contacts).into_any() } else { t!(i18n, contacts_not_shown).into_any() }}</p> }.into_any()
            }}
            {editable.then(|| view! { <AddContactForm service=service_id/> })}
            {service_editor.map(|service| view! { <ServiceEditor service/> })}
        </section>
    }
}

/// Adds a contact person to a service (shown only to those who may edit the unit).
#[component]
fn AddContactForm(service: crate::domain::ServiceId) -> impl IntoView {
    let i18n = use_i18n();
    use crate::components::directory_forms::TextField;
    use crate::components::kept::{FieldError, Typed};
    let id = |field: &str| format!("add-{service}-{field}");
    let t = Typed::of(
        &crate::routes::api(crate::api::contacts::ADD_CONTACT),
        &[("service", &service.to_string())],
    );
    view! {
        <details class="add-contact" open=t.is_kept()>
            <summary>{t!(i18n, contacts_add_title)}</summary>
            <form class="form" method="post" action=crate::routes::api(crate::api::contacts::ADD_CONTACT)>
                <input type="hidden" name="service" value=service.to_string()/>
                <TextField id=id("name") name="name" label=t_string!(i18n, field_name).to_string() required=true typed=t.clone()/>
                <div class="ds-field">
                    <label class="ds-label" for=id("role")>{t!(i18n, col_role)}</label>
                    <select class="ds-input" id=id("role") name="role" required aria-invalid=t.aria_invalid("role") aria-describedby=t.described_by("role", None)>
                        <option value="" selected=!t.is_kept()>{t!(i18n, choose)}</option>
                        <option value="caseworker" selected=t.selected("role", "caseworker", false)>{t!(i18n, role_caseworker)}</option>
                        <option value="leader" selected=t.selected("role", "leader", false)>{t!(i18n, role_leader)}</option>
                        <option value="other" selected=t.selected("role", "other", false)>{t!(i18n, role_other)}</option>
                    </select>
                    <FieldError typed=t.clone() name="role"/>
                </div>
                <TextField id=id("email") name="email" kind="email" label=t_string!(i18n, field_email).to_string() required=true typed=t.clone()/>
                <TextField id=id("phone") name="phone" kind="tel" label=t_string!(i18n, field_phone).to_string() typed=t.clone()/>
                <button class="ds-button" type="submit">{t!(i18n, contacts_add)}</button>
            </form>
        </details>
    }
}
