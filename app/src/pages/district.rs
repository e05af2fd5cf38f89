use crate::api::directory::get_district;
use crate::components::messages::ErrorMessage;
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
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match district.await {
                    Ok(detail) => view! { <DistrictView detail/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DistrictView(detail: DistrictDetail) -> impl IntoView {
    let i18n = use_i18n();
    let empty = detail.services.is_empty();
    view! {
        <PageTitle text=detail.name.clone()/>
        <h1 class="ds-heading" data-size="lg">{detail.name.clone()}</h1>
        <h2 class="ds-heading" data-size="md">{t!(i18n, district_services_title)}</h2>
        {empty.then(|| view! { <p class="ds-paragraph">{t!(i18n, district_no_services)}</p> })}
        <div class="services">
            {detail.services.into_iter().map(|service| view! { <ServiceSection service/> }).collect_view()}
        </div>
    }
}

#[component]
fn ServiceSection(service: ServiceView) -> impl IntoView {
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
                                        <th scope="row">{c.name}</th>
                                        <td>{role}</td>
                                        <td><a class="ds-link" href=format!("mailto:{}", c.email.as_str())>{c.email.as_str().to_owned()}</a></td>
                                        <td>{c.phone.map(|p| view! { <a class="ds-link" href=p.tel_uri()>{p.as_str().to_owned()}</a> })}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            } else {
                view! { <p class="ds-paragraph">{t!(i18n, no_contacts)}</p> }.into_any()
            }}
        </section>
    }
}
