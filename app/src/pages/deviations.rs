//! `/avvik`: deviations as internal control. The list is the same for everyone who may see it
//! (district, service, step, dates, cause, measure, status, days open: no person, no free text);
//! a caseworker sees their district's, crisis center staff and reviewers every one. `/avvik/:id`
//! is one deviation with its free text and history, and the forms to handle, close and reopen
//! it, for its district and the crisis center.

use crate::api::deviations::{
    DEVIATIONS_PAGE, UPDATE_DEVIATION, deviation_page, get_deviation, list_deviations,
};
use crate::components::dates::date_label;
use crate::components::feedback::FormFeedback;
use crate::components::kept::{FieldError, Typed};
use crate::components::labels::{service_label, step_label};
use crate::components::messages::ErrorMessage;
use crate::domain::deviation::{
    DeviationCase, DeviationCause, DeviationEventKind, DeviationList, DeviationMeasure,
    DeviationOrigin, DeviationRow, DeviationStatus, NOTE_LIMIT,
};
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

pub fn cause_label(cause: DeviationCause) -> String {
    let i18n = use_i18n();
    match cause {
        DeviationCause::Capacity => t_string!(i18n, cause_capacity),
        DeviationCause::RoutineUnknown => t_string!(i18n, cause_routine_unknown),
        DeviationCause::InformationMissing => t_string!(i18n, cause_information_missing),
        DeviationCause::WrongRecipient => t_string!(i18n, cause_wrong_recipient),
        DeviationCause::ResidentCircumstances => t_string!(i18n, cause_resident_circumstances),
        DeviationCause::Technical => t_string!(i18n, cause_technical),
        DeviationCause::Other => t_string!(i18n, cause_other),
    }
    .to_string()
}

pub fn measure_label(measure: DeviationMeasure) -> String {
    let i18n = use_i18n();
    match measure {
        DeviationMeasure::Training => t_string!(i18n, measure_training),
        DeviationMeasure::RoutineChanged => t_string!(i18n, measure_routine_changed),
        DeviationMeasure::Staffing => t_string!(i18n, measure_staffing),
        DeviationMeasure::CooperationMeeting => t_string!(i18n, measure_cooperation_meeting),
        DeviationMeasure::CaseFollowedUp => t_string!(i18n, measure_case_followed_up),
        DeviationMeasure::NoneNeeded => t_string!(i18n, measure_none_needed),
        DeviationMeasure::Other => t_string!(i18n, measure_other),
    }
    .to_string()
}

fn deviation_status_label(status: DeviationStatus) -> String {
    let i18n = use_i18n();
    match status {
        DeviationStatus::Open => t_string!(i18n, deviation_status_open),
        DeviationStatus::Closed => t_string!(i18n, deviation_status_closed),
    }
    .to_string()
}

fn origin_label(origin: DeviationOrigin) -> String {
    let i18n = use_i18n();
    match origin {
        DeviationOrigin::Deadline => t_string!(i18n, deviation_origin_deadline),
        DeviationOrigin::Manual => t_string!(i18n, deviation_origin_manual),
    }
    .to_string()
}

fn event_kind_label(kind: DeviationEventKind) -> String {
    let i18n = use_i18n();
    match kind {
        DeviationEventKind::Opened => t_string!(i18n, deviation_event_opened),
        DeviationEventKind::Handled => t_string!(i18n, deviation_event_handled),
        DeviationEventKind::Closed => t_string!(i18n, deviation_event_closed),
        DeviationEventKind::Reopened => t_string!(i18n, deviation_event_reopened),
    }
    .to_string()
}

/// The unit that answers for a deviation: "Alna: NAV", or the crisis center.
fn answers_label(row: &DeviationRow) -> String {
    let i18n = use_i18n();
    match (&row.district, row.service) {
        (Some(d), Some(s)) => format!("{d}: {}", service_label(s)),
        _ => t_string!(i18n, deviation_crisis_center).to_string(),
    }
}

fn optional_date(d: Option<time::Date>) -> String {
    crate::components::dates::date_label_or_dash(d)
}

/// `/avvik`: the deviations the caller may see, with a status filter (a GET form).
/// What happened, in a report of a deviation (from a task or a plan): kept as typed when the
/// report is refused, with why.
#[component]
pub fn DeviationNoteField(
    id: &'static str,
    typed: crate::components::kept::Typed,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="ds-field">
            <label class="ds-label" for=id>{t!(i18n, deviation_report_note)}</label>
            <textarea class="ds-input" id=id name="note" rows="3" required maxlength=crate::domain::deviation::NOTE_LIMIT
                aria-invalid=typed.aria_invalid("deviation_note") aria-describedby=typed.described_by("deviation_note", None)>{typed.text("note", "")}</textarea>
            <FieldError typed=typed.clone() name="deviation_note"/>
        </div>
    }
}

#[component]
pub fn DeviationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let status = use_query_map().with_untracked(|q| q.get("status").unwrap_or_default());
    let list = OnceResource::new(list_deviations(status));
    view! {
        <PageTitle text=t_string!(i18n, deviations_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, deviations_title)}</h1>
        <p class="ds-paragraph">{t!(i18n, deviations_intro)}</p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <DeviationTable list/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DeviationTable(list: DeviationList) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = list.status;
    let option = move |value: &'static str, status: Option<DeviationStatus>, label: String| {
        view! { <option value=value selected=chosen == status>{label}</option> }
    };
    let shown = list.rows.len() as i64;
    let may_open = list.may_open;
    view! {
        <form class="form period-form" method="get" action=DEVIATIONS_PAGE>
            <div class="ds-field">
                <label class="ds-label" for="deviation-status">{t!(i18n, col_status)}</label>
                <select class="ds-input" id="deviation-status" name="status">
                    {option("", None, t_string!(i18n, deviation_status_all).to_string())}
                    {option("open", Some(DeviationStatus::Open), deviation_status_label(DeviationStatus::Open))}
                    {option("closed", Some(DeviationStatus::Closed), deviation_status_label(DeviationStatus::Closed))}
                </select>
            </div>
            <button class="ds-button" type="submit">{t!(i18n, compliance_show)}</button>
        </form>
        <p class="ds-paragraph" role="status">
            {t!(i18n, deviations_count)} " " {list.total}
            {(shown < list.total).then(|| view! { " " {t!(i18n, deviations_newest)} " " {shown} })}
        </p>
        <p class="ds-paragraph">
            <a class="ds-link" href=format!("/eksport/avvik.csv?status={}", chosen.map_or("", |s| s.as_str())) download="">{t!(i18n, compliance_download_csv)}</a>
        </p>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="deviations-caption">
            <table class="ds-table deviations" data-border="true">
                <caption id="deviations-caption" class="ds-sr-only">{t!(i18n, deviations_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, deviation_col_answers)}</th>
                        <th scope="col">{t!(i18n, deviation_col_step)}</th>
                        <th scope="col">{t!(i18n, deviation_col_origin)}</th>
                        <th scope="col">{t!(i18n, col_due)}</th>
                        <th scope="col">{t!(i18n, deviation_col_opened)}</th>
                        <th scope="col">{t!(i18n, deviation_col_cause)}</th>
                        <th scope="col">{t!(i18n, deviation_col_measure)}</th>
                        <th scope="col">{t!(i18n, col_status)}</th>
                        <th scope="col">{t!(i18n, deviation_col_closed)}</th>
                        <th scope="col">{t!(i18n, deviation_col_days_open)}</th>
                    </tr>
                </thead>
                <tbody>
                    {list.rows.into_iter().map(|r| {
                        let step = step_label(r.step);
                        let step = if may_open {
                            view! { <a class="ds-link" href=deviation_page(r.id.0)>{step}</a> }.into_any()
                        } else {
                            step.into_any()
                        };
                        view! {
                            <tr>
                                <td>{answers_label(&r)}</td>
                                <td>{step}</td>
                                <td>{origin_label(r.origin)}</td>
                                <td>{optional_date(r.due_on)}</td>
                                <td>{date_label(r.opened_on)}</td>
                                <td>{r.cause.map(cause_label).unwrap_or_else(|| "–".into())}</td>
                                <td>{r.measure.map(measure_label).unwrap_or_else(|| "–".into())}</td>
                                <td>{deviation_status_label(r.status)}</td>
                                <td>{optional_date(r.closed_on)}</td>
                                <td class="num">{r.days_open}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/avvik/:id`: one deviation, for its district and the crisis center.
#[component]
pub fn DeviationPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_params_map()
        .with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()))
        .unwrap_or(0);
    let case = OnceResource::new(get_deviation(id));
    view! {
        <PageTitle text=t_string!(i18n, deviation_title).to_string()/>
        <p class="back-link"><a class="ds-link" href=DEVIATIONS_PAGE>{t!(i18n, deviations_back)}</a></p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(case) => view! { <Deviation case/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error page=true/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Deviation(case: DeviationCase) -> impl IntoView {
    let i18n = use_i18n();
    let row = case.row.clone();
    let open = row.status == DeviationStatus::Open;
    let id = row.id.0.to_string();
    let version = case.version.to_string();
    // A refused handling comes back as typed (the cause, the measure and the note), with the
    // refused field marked; the reopening form keeps its reason the same way.
    let k = Typed::of(&crate::routes::api(UPDATE_DEVIATION), &[("id", &id)]);
    let cause_options = DeviationCause::ALL
        .iter()
        .map(|&c| view! { <option value=c.as_str() selected=k.selected("cause", c.as_str(), row.cause == Some(c))>{cause_label(c)}</option> })
        .collect_view();
    let measure_options = DeviationMeasure::ALL
        .iter()
        .map(|&m| view! { <option value=m.as_str() selected=k.selected("measure", m.as_str(), row.measure == Some(m))>{measure_label(m)}</option> })
        .collect_view();
    let task_link = if case.via_plan {
        crate::routes::plan(case.stay)
    } else {
        crate::routes::task(case.task.0)
    };
    let form = if !case.may_handle {
        view! { <p class="ds-paragraph">{t!(i18n, deviation_handled_by_district)}</p> }.into_any()
    } else if open {
        view! {
            <section aria-labelledby="deviation-handle">
                <h2 class="ds-heading" data-size="md" id="deviation-handle">{t!(i18n, deviation_handle_title)}</h2>
                <p class="ds-paragraph" id="deviation-handle-help">{t!(i18n, deviation_handle_help)}</p>
                <form class="form" method="post" action=crate::routes::api(UPDATE_DEVIATION) aria-describedby="deviation-handle-help">
                    <input type="hidden" name="id" value=id.clone()/>
                    <input type="hidden" name="version" value=version.clone()/>
                    <div class="ds-field">
                        <label class="ds-label" for="deviation-cause">{t!(i18n, deviation_col_cause)}</label>
                        <select class="ds-input" id="deviation-cause" name="cause"
                            aria-invalid=k.aria_invalid("cause") aria-describedby=k.described_by("cause", None)>
                            <option value="" selected=k.selected("cause", "", row.cause.is_none())>{t!(i18n, choose)}</option>
                            {cause_options}
                        </select>
                        <FieldError typed=k.clone() name="cause"/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="deviation-measure">{t!(i18n, deviation_col_measure)}</label>
                        <select class="ds-input" id="deviation-measure" name="measure"
                            aria-invalid=k.aria_invalid("measure") aria-describedby=k.described_by("measure", None)>
                            <option value="" selected=k.selected("measure", "", row.measure.is_none())>{t!(i18n, choose)}</option>
                            {measure_options}
                        </select>
                        <FieldError typed=k.clone() name="measure"/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="deviation-note">{t!(i18n, deviation_note)}</label>
                        <p class="ds-paragraph" data-size="sm" id="deviation-note-help">{t!(i18n, deviation_note_help)}</p>
                        <textarea class="ds-input" id="deviation-note" name="note" rows="3" maxlength=NOTE_LIMIT
                            aria-invalid=k.aria_invalid("deviation_note") aria-describedby=k.described_by("deviation_note", Some("deviation-note-help"))>{k.text("note", case.note.clone().unwrap_or_default())}</textarea>
                        <FieldError typed=k.clone() name="deviation_note"/>
                    </div>
                    <div class="button-row">
                        <button class="ds-button" data-variant="secondary" type="submit" name="change" value="handle">{t!(i18n, deviation_save)}</button>
                        <button class="ds-button" type="submit" name="change" value="close">{t!(i18n, deviation_close)}</button>
                    </div>
                </form>
            </section>
        }.into_any()
    } else {
        view! {
            <section aria-labelledby="deviation-reopen">
                <h2 class="ds-heading" data-size="md" id="deviation-reopen">{t!(i18n, deviation_reopen_title)}</h2>
                <form class="form" method="post" action=crate::routes::api(UPDATE_DEVIATION)>
                    <input type="hidden" name="id" value=id.clone()/>
                    <input type="hidden" name="version" value=version.clone()/>
                    <div class="ds-field">
                        <label class="ds-label" for="deviation-reopen-note">{t!(i18n, deviation_reopen_reason)}</label>
                        <textarea class="ds-input" id="deviation-reopen-note" name="note" rows="2" maxlength=NOTE_LIMIT
                            aria-invalid=k.aria_invalid("deviation_note") aria-describedby=k.described_by("deviation_note", None)>{k.text("note", "")}</textarea>
                        <FieldError typed=k.clone() name="deviation_note"/>
                    </div>
                    <button class="ds-button" data-variant="secondary" type="submit" name="change" value="reopen">{t!(i18n, deviation_reopen)}</button>
                </form>
            </section>
        }.into_any()
    };
    view! {
        <h1 class="ds-heading" data-size="lg">{t!(i18n, deviation_title)} ": " {step_label(row.step)}</h1>
        <FormFeedback/>
        <dl class="facts">
            <dt>{t!(i18n, deviation_col_answers)}</dt>
            <dd>{answers_label(&row)}</dd>
            <dt>{t!(i18n, deviation_col_origin)}</dt>
            <dd>{origin_label(row.origin)}</dd>
            <dt>{t!(i18n, col_due)}</dt>
            <dd>{optional_date(row.due_on)}</dd>
            <dt>{t!(i18n, deviation_col_opened)}</dt>
            <dd>{date_label(row.opened_on)}</dd>
            <dt>{t!(i18n, col_status)}</dt>
            <dd>
                {deviation_status_label(row.status)}
                {row.closed_on.map(|d| view! { " " {date_label(d)} })}
                {case.closed_by.clone().map(|who| view! { " (" {who} ")" })}
            </dd>
            <dt>{t!(i18n, deviation_col_days_open)}</dt>
            <dd>{row.days_open}</dd>
            <dt>{t!(i18n, deviation_task)}</dt>
            <dd><a class="ds-link" href=task_link>{t!(i18n, deviation_task_link)}</a></dd>
            {(!open).then(|| view! {
                <dt>{t!(i18n, deviation_col_cause)}</dt>
                <dd>{row.cause.map(cause_label).unwrap_or_default()}</dd>
                <dt>{t!(i18n, deviation_col_measure)}</dt>
                <dd>{row.measure.map(measure_label).unwrap_or_default()}</dd>
                <dt>{t!(i18n, deviation_note)}</dt>
                <dd>{case.note.clone().unwrap_or_else(|| "–".into())}</dd>
            })}
        </dl>
        {form}
        <section aria-labelledby="deviation-history">
            <h2 class="ds-heading" data-size="md" id="deviation-history">{t!(i18n, task_history)}</h2>
            <table class="ds-table history stack" data-border="true">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, col_when)}</th>
                        <th scope="col">{t!(i18n, col_who)}</th>
                        <th scope="col">{t!(i18n, col_what)}</th>
                        <th scope="col">{t!(i18n, deviation_note)}</th>
                    </tr>
                </thead>
                <tbody>
                    {case.history.into_iter().map(|e| {
                        let mut what = event_kind_label(e.kind);
                        if let Some(c) = e.cause {
                            what = format!("{what}; {}", cause_label(c));
                        }
                        if let Some(m) = e.measure {
                            what = format!("{what}; {}", measure_label(m));
                        }
                        view! {
                            <tr>
                                <td data-label=t_string!(i18n, col_when).to_string()>{crate::components::dates::timestamp_label(&e.at)}</td>
                                <td data-label=t_string!(i18n, col_who).to_string()>{e.by.unwrap_or_else(|| t_string!(i18n, by_portal).to_string())}</td>
                                <td data-label=t_string!(i18n, col_what).to_string()>{what}</td>
                                <td data-label=t_string!(i18n, deviation_note).to_string()>{e.note.unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
