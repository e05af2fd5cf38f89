//! `/admin/logg`: the access log, filtered by user, object, district and period (a GET form, so
//! it works without JavaScript and a filtered view can be bookmarked). Administrators only.

use crate::api::audit::read_access_log;
use crate::api::directory::list_districts;
use crate::components::feedback::field_label;
use crate::components::messages::ErrorMessage;
use crate::domain::{AccessLogEntry, DistrictSummary, ErrorCode};
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Default)]
struct Query {
    user: String,
    object_type: String,
    object_id: String,
    district: String,
    from: String,
    to: String,
}

#[component]
pub fn AccessLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map().with_untracked(|q| Query {
        user: q.get("user").unwrap_or_default(),
        object_type: q.get("object_type").unwrap_or_default(),
        object_id: q.get("object_id").unwrap_or_default(),
        district: q.get("district").unwrap_or_default(),
        from: q.get("from").unwrap_or_default(),
        to: q.get("to").unwrap_or_default(),
    });
    let rows = {
        let q = q.clone();
        OnceResource::new(read_access_log(
            q.user,
            q.object_type,
            q.object_id,
            q.district,
            q.from,
            q.to,
        ))
    };
    let districts = OnceResource::new(list_districts());
    view! {
        <PageTitle text=t_string!(i18n, log_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, log_title)}</h1>
        <p class="ds-paragraph">{t!(i18n, log_intro)}</p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || {
                let q = q.clone();
                Suspend::new(async move {
                    match (rows.await, districts.await) {
                        (Ok(rows), Ok(districts)) => view! {
                            <LogFilter q=q districts=districts.clone()/>
                            <LogTable rows districts/>
                        }.into_any(),
                        (Err(error), Ok(districts)) if error.code == ErrorCode::InvalidInput => {
                            let field = field_label(error.field.as_deref().unwrap_or_default());
                            view! {
                                <div class="ds-alert" data-color="danger" role="alert">
                                    <p class="ds-paragraph">{t!(i18n, form_error_invalid)} " " <strong>{field}</strong></p>
                                </div>
                                <LogFilter q=q districts/>
                            }.into_any()
                        }
                        (Err(error), _) | (_, Err(error)) => view! { <ErrorMessage error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn LogFilter(q: Query, districts: Vec<DistrictSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form class="form log-filter" method="get" action="/admin/logg">
            <div class="ds-field">
                <label class="ds-label" for="log-user">{t!(i18n, log_user_id)}</label>
                <input class="ds-input" id="log-user" name="user" inputmode="numeric" value=q.user/>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="log-object-type">{t!(i18n, log_object_type)}</label>
                <input class="ds-input" id="log-object-type" name="object_type" value=q.object_type/>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="log-object-id">{t!(i18n, log_object_id)}</label>
                <input class="ds-input" id="log-object-id" name="object_id" value=q.object_id/>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="log-district">{t!(i18n, col_district)}</label>
                <select class="ds-input" id="log-district" name="district">
                    <option value="">{t!(i18n, log_all)}</option>
                    {districts.into_iter().map(|d| {
                        let selected = q.district == d.id.to_string();
                        view! { <option value=d.id.to_string() selected=selected>{d.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="log-from">{t!(i18n, log_from)}</label>
                <input class="ds-input" id="log-from" name="from" type="date" value=q.from/>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="log-to">{t!(i18n, log_to)}</label>
                <input class="ds-input" id="log-to" name="to" type="date" value=q.to/>
            </div>
            <button class="ds-button" type="submit">{t!(i18n, filter_submit)}</button>
        </form>
    }
}

#[component]
fn LogTable(rows: Vec<AccessLogEntry>, districts: Vec<DistrictSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let count = rows.len();
    view! {
        <p class="ds-paragraph" role="status">{t!(i18n, log_count, count = count)}</p>
        // A region keyboard users can focus and scroll when the table is wider than the screen.
        <div class="table-scroll" tabindex="0" role="region" aria-label=t_string!(i18n, log_title).to_string()>
            <table class="ds-table access-log" data-border="true">
                <caption class="ds-sr-only">{t!(i18n, log_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, log_at)}</th>
                        <th scope="col">{t!(i18n, log_who)}</th>
                        <th scope="col">{t!(i18n, log_action)}</th>
                        <th scope="col">{t!(i18n, log_object)}</th>
                        <th scope="col">{t!(i18n, log_stays)}</th>
                        <th scope="col">{t!(i18n, col_district)}</th>
                        <th scope="col">{t!(i18n, log_reason)}</th>
                        <th scope="col">{t!(i18n, log_outcome)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let who = match (r.user, r.user_name) {
                            (Some(id), Some(name)) => format!("{name} (#{id}, {})", r.user_role.unwrap_or_default()),
                            _ => "—".to_owned(),
                        };
                        let object = match (r.object_type, r.object_id) {
                            (Some(t), Some(id)) => format!("{t} #{id}"),
                            _ => String::new(),
                        };
                        let district = r.district.map(|id| {
                            districts.iter().find(|d| d.id == id).map_or_else(|| id.to_string(), |d| d.name.clone())
                        }).unwrap_or_default();
                        view! {
                            <tr>
                                <td><time datetime=r.at.clone()>{crate::components::dates::timestamp_precise(&r.at)}</time></td>
                                <td>{who}</td>
                                <td><code>{r.action}</code></td>
                                <td>{object}</td>
                                <td class="access-log__stays">{r.stays.unwrap_or_default().replace(',', ", ")}</td>
                                <td>{district}</td>
                                <td>{r.reason.unwrap_or_default()}</td>
                                <td>{r.outcome}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
