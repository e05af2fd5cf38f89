//! Administration of users: the list, a new user, and one user's page (edit, deactivate, reset
//! password, reset second factor). Plain forms posting to the `accounts` server functions.

use crate::api::accounts::{
    CREATE_USER, RESET_PASSWORD, RESET_SECOND_FACTOR, UPDATE_USER, USERS_PAGE, get_user, list_users,
};
use crate::api::directory::list_districts;
use crate::components::feedback::FormFeedback;
use crate::components::kept::{FieldError, Typed};
use crate::components::labels::{role_label, service_label};
use crate::components::messages::ErrorMessage;
use crate::domain::{DistrictSummary, Role, ServiceKind, Unit, UserSummary};
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Where a user belongs, in words: a caseworker's district and service, a district manager's
/// district, nothing for the other roles.
fn unit_label(
    unit: Option<Unit>,
    manages: Option<crate::domain::DistrictId>,
    districts: &[DistrictSummary],
) -> String {
    let name = |id: crate::domain::DistrictId| {
        districts
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| id.to_string(), |d| d.name.clone())
    };
    match (unit, manages) {
        (Some(u), _) => format!("{}, {}", name(u.district), service_label(u.service)),
        (None, Some(district)) => name(district),
        (None, None) => String::new(),
    }
}

/// `/admin/brukere`: every user, with links to each.
#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let users = OnceResource::new(list_users());
    let districts = OnceResource::new(list_districts());
    view! {
        <PageTitle text=t_string!(i18n, users_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, users_title)}</h1>
        <p><a class="ds-button" data-variant="secondary" href="/admin/brukere/ny">{t!(i18n, users_new)}</a></p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match (users.await, districts.await) {
                    (Ok(users), Ok(districts)) => view! { <UserTable users districts/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorMessage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserTable(users: Vec<UserSummary>, districts: Vec<DistrictSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=t_string!(i18n, users_title).to_string()>
            <table class="ds-table users" data-border="true">
                <caption class="ds-sr-only">{t!(i18n, users_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, col_name)}</th>
                        <th scope="col">{t!(i18n, col_email)}</th>
                        <th scope="col">{t!(i18n, field_role)}</th>
                        <th scope="col">{t!(i18n, field_unit)}</th>
                        <th scope="col">{t!(i18n, col_status)}</th>
                    </tr>
                </thead>
                <tbody>
                    {users.into_iter().map(|u| {
                        let status = if u.active {
                            t_string!(i18n, user_active).to_string()
                        } else {
                            t_string!(i18n, user_inactive).to_string()
                        };
                        let second = if u.has_second_factor {
                            t_string!(i18n, user_has_second_factor).to_string()
                        } else {
                            String::new()
                        };
                        view! {
                            <tr>
                                <td><a class="ds-link" href=format!("{USERS_PAGE}/{}", u.id)>{u.name.clone()}</a></td>
                                <td>{u.email.as_str().to_owned()}</td>
                                <td>{role_label(u.role)}</td>
                                <td>{unit_label(u.unit, u.manages, &districts)}</td>
                                <td>{status} " " {second}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The role select and the unit selects (district and service), shared by both forms.
#[component]
fn RoleAndUnitFields(
    districts: Vec<DistrictSummary>,
    role: Option<Role>,
    unit: Option<Unit>,
    /// A district manager's district.
    manages: Option<crate::domain::DistrictId>,
    #[prop(optional)] typed: Typed,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = typed;
    view! {
        <div class="ds-field">
            <label class="ds-label" for="user-role">{t!(i18n, field_role)}</label>
            <select class="ds-input" id="user-role" name="role" required aria-invalid=t.aria_invalid("role") aria-describedby=t.described_by("role", None)>
                {role.is_none().then(|| view! { <option value="" selected=!t.is_kept()>{t!(i18n, choose)}</option> })}
                {Role::ALL.into_iter().map(|r| {
                    let selected = t.selected("role", r.as_str(), role == Some(r));
                    view! { <option value=r.as_str() selected=selected>{role_label(r)}</option> }
                }).collect_view()}
            </select>
            <FieldError typed=t.clone() name="role"/>
        </div>
        <fieldset class="ds-fieldset">
            <legend class="ds-label">{t!(i18n, field_unit)}</legend>
            <p class="ds-paragraph" data-size="sm">{t!(i18n, user_unit_help)}</p>
            <div class="ds-field">
                <label class="ds-label" for="user-district">{t!(i18n, col_district)}</label>
                <select class="ds-input" id="user-district" name="district" aria-invalid=t.aria_invalid("unit") aria-describedby=t.described_by("unit", None)>
                    <option value="" selected=t.selected("district", "", unit.is_none() && manages.is_none())>"—"</option>
                    {districts.into_iter().map(|d| {
                        let selected = t.selected("district", &d.id.to_string(), unit.map(|u| u.district).or(manages) == Some(d.id));
                        view! { <option value=d.id.to_string() selected=selected>{d.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="user-service">{t!(i18n, field_service)}</label>
                <select class="ds-input" id="user-service" name="service" aria-invalid=t.aria_invalid("unit")>
                    <option value="" selected=t.selected("service", "", unit.is_none())>"—"</option>
                    {ServiceKind::STANDARD.into_iter().map(|k| {
                        let selected = t.selected("service", k.as_str(), unit.map(|u| u.service) == Some(k));
                        view! { <option value=k.as_str() selected=selected>{service_label(k)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <FieldError typed=t.clone() name="unit"/>
        </fieldset>
    }
}

/// `/admin/brukere/ny`: a new user with a temporary password.
#[component]
pub fn NewUserPage() -> impl IntoView {
    let i18n = use_i18n();
    let districts = OnceResource::new(list_districts());
    let t = Typed::of(&crate::routes::api(CREATE_USER), &[]);
    view! {
        <PageTitle text=t_string!(i18n, users_new).to_string()/>
        <p class="back-link"><a class="ds-link" href=USERS_PAGE>{t!(i18n, users_back)}</a></p>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, users_new)}</h1>
        <FormFeedback/>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || {
                let t = t.clone();
                Suspend::new(async move {
                match districts.await {
                    Ok(districts) => view! {
                        <form class="form" method="post" action=crate::routes::api(CREATE_USER)>
                            <div class="ds-field">
                                <label class="ds-label" for="user-name">{t!(i18n, field_name)}</label>
                                <input class="ds-input" id="user-name" name="name" autocomplete="off" required
                                    value=t.text("name", "") aria-invalid=t.aria_invalid("name") aria-describedby=t.described_by("name", None)/>
                                <FieldError typed=t.clone() name="name"/>
                            </div>
                            <div class="ds-field">
                                <label class="ds-label" for="user-email">{t!(i18n, field_email)}</label>
                                <input class="ds-input" id="user-email" name="email" type="email" autocomplete="off" required
                                    value=t.text("email", "") aria-invalid=t.aria_invalid("email") aria-describedby=t.described_by("email", None)/>
                                <FieldError typed=t.clone() name="email"/>
                            </div>
                            <RoleAndUnitFields districts role=None unit=None manages=None typed=t.clone()/>
                            <div class="ds-field">
                                <label class="ds-label" for="user-password">{t!(i18n, field_temporary_password)}</label>
                                <p class="ds-paragraph" data-size="sm" id="user-password-help">{t!(i18n, user_temporary_password_help)}</p>
                                <input class="ds-input" id="user-password" name="password" type="password" autocomplete="new-password" minlength="12"
                                    aria-describedby=t.described_by("password", Some("user-password-help")) aria-invalid=t.aria_invalid("password") required/>
                                <FieldError typed=t.clone() name="password"/>
                            </div>
                            <button class="ds-button" type="submit">{t!(i18n, users_create)}</button>
                        </form>
                    }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                }
            })
            }}
        </Suspense>
    }
}

/// `/admin/brukere/:id`: change a user, reset their password or second factor.
#[component]
pub fn EditUserPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_params_map()
        .with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()))
        .unwrap_or(0);
    let user = OnceResource::new(get_user(id));
    let districts = OnceResource::new(list_districts());
    view! {
        <p class="back-link"><a class="ds-link" href=USERS_PAGE>{t!(i18n, users_back)}</a></p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match (user.await, districts.await) {
                    (Ok(user), Ok(districts)) => view! { <EditUser user districts/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorMessage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditUser(user: UserSummary, districts: Vec<DistrictSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let id = user.id.to_string();
    // A refused change comes back as typed; a refused password is marked (never kept).
    let t = Typed::of(&crate::routes::api(UPDATE_USER), &[("id", &id)]);
    let p = Typed::of(&crate::routes::api(RESET_PASSWORD), &[("id", &id)]);
    view! {
        <PageTitle text=user.name.clone()/>
        <h1 class="ds-heading" data-size="lg">{user.name.clone()}</h1>
        <p class="ds-paragraph">{user.email.as_str().to_owned()}</p>
        <FormFeedback/>
        <section aria-labelledby="edit-user-heading">
            <h2 class="ds-heading" data-size="md" id="edit-user-heading">{t!(i18n, users_edit)}</h2>
            <form class="form" method="post" action=crate::routes::api(UPDATE_USER)>
                <input type="hidden" name="id" value=id.clone()/>
                <div class="ds-field">
                    <label class="ds-label" for="user-name">{t!(i18n, field_name)}</label>
                    <input class="ds-input" id="user-name" name="name" value=t.text("name", user.name.clone()) autocomplete="off" required
                        aria-invalid=t.aria_invalid("name") aria-describedby=t.described_by("name", None)/>
                    <FieldError typed=t.clone() name="name"/>
                </div>
                <RoleAndUnitFields districts role=Some(user.role) unit=user.unit manages=user.manages typed=t.clone()/>
                <div class="ds-field checkbox">
                    <input class="ds-input" type="checkbox" id="user-active" name="active" value="1" checked=t.checked("active", user.active)/>
                    <label class="ds-label" for="user-active">{t!(i18n, user_active_label)}</label>
                </div>
                <button class="ds-button" type="submit">{t!(i18n, save)}</button>
            </form>
        </section>
        <section aria-labelledby="reset-password-heading">
            <h2 class="ds-heading" data-size="md" id="reset-password-heading">{t!(i18n, users_reset_password)}</h2>
            <p class="ds-paragraph">{t!(i18n, user_temporary_password_help)}</p>
            <form class="form" method="post" action=crate::routes::api(RESET_PASSWORD)>
                <input type="hidden" name="id" value=id.clone()/>
                <div class="ds-field">
                    <label class="ds-label" for="reset-password">{t!(i18n, field_temporary_password)}</label>
                    <input class="ds-input" id="reset-password" name="password" type="password" autocomplete="new-password" minlength="12" required
                        aria-invalid=p.aria_invalid("password") aria-describedby=p.described_by("password", None)/>
                    <FieldError typed=p.clone() name="password"/>
                </div>
                <button class="ds-button" data-variant="secondary" type="submit">{t!(i18n, users_reset_password)}</button>
            </form>
        </section>
        {user.has_second_factor.then(|| view! {
            <section aria-labelledby="reset-code-heading">
                <h2 class="ds-heading" data-size="md" id="reset-code-heading">{t!(i18n, users_reset_second_factor)}</h2>
                <p class="ds-paragraph">{t!(i18n, users_reset_second_factor_help)}</p>
                <form class="form" method="post" action=crate::routes::api(RESET_SECOND_FACTOR)>
                    <input type="hidden" name="id" value=id.clone()/>
                    <button class="ds-button" data-variant="secondary" type="submit">{t!(i18n, users_reset_second_factor)}</button>
                </form>
            </section>
        })}
    }
}
