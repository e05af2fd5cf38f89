//! `/planer/:id/innsyn`: the resident's insight (GDPR art. 15) for crisis center staff to print
//! or hand over as a JSON file: every stay of the person with its plan, tasks and their history,
//! the consent answers, and who read or changed the data. Opening it is logged.

use crate::api::plans::plan_insight;
use crate::components::dates::{date_label, date_label_or_dash, local_time_label, timestamp_label};
use crate::components::labels::{
    consent_answer_label, consent_how_label, gender_label, outcome_label, referral_label,
    responsible_label, role_label, status_label, step_label,
};
use crate::components::messages::ErrorMessage;
use crate::domain::insight::{Insight, InsightRead, InsightStay};
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InsightPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_params_map()
        .with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()))
        .unwrap_or(0);
    let insight = OnceResource::new(plan_insight(id));
    view! {
        <PageTitle text=t_string!(i18n, insight_title).to_string()/>
        <p class="back-link print-hide"><a class="ds-link" href=crate::routes::plan(id)>{t!(i18n, insight_back)}</a></p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match insight.await {
                    Ok(insight) => view! { <InsightView insight/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error page=true/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InsightView(insight: Insight) -> impl IntoView {
    let i18n = use_i18n();
    let person = insight.stays.last().map(|s| s.plan.clone());
    let name = person.as_ref().map(|p| p.name.clone()).unwrap_or_default();
    view! {
        <h1 class="ds-heading" data-size="lg">{t!(i18n, insight_title)} ": " {name}</h1>
        <p class="ds-paragraph">{t!(i18n, insight_intro)}</p>
        <p class="ds-paragraph">
            {t_string!(i18n, insight_produced, at = timestamp_label(&insight.produced_at), by = insight.produced_by.clone()).to_string()}
        </p>
        <p class="print-hide">
            <a class="ds-link" href=crate::routes::insight_json(insight.asked) download="">{t!(i18n, insight_download)}</a>
        </p>
        {person.map(|p| view! {
            <section aria-labelledby="insight-person">
                <h2 class="ds-heading" data-size="md" id="insight-person">{t!(i18n, insight_person)}</h2>
                <dl class="facts">
                    <dt>{t!(i18n, field_resident_name)}</dt><dd>{p.name}</dd>
                    <dt>{t!(i18n, field_birth_year)}</dt><dd>{p.birth_year}</dd>
                    {p.gender.map(|g| view! { <dt>{t!(i18n, field_gender)}</dt><dd>{gender_label(g)}</dd> })}
                    {p.case_reference.map(|c| view! { <dt>{t!(i18n, field_case_reference)}</dt><dd>{c}</dd> })}
                </dl>
            </section>
        })}
        {insight.stays.into_iter().map(|stay| view! { <StayPart stay/> }).collect_view()}
        <ReadLog log=insight.log/>
    }
}

#[component]
fn StayPart(stay: InsightStay) -> impl IntoView {
    let i18n = use_i18n();
    let p = stay.plan;
    let heading = format!("insight-stay-{}", p.stay.0);
    let labelled_by = heading.clone();
    let children = crate::pages::plans::children_text(&p.children);
    let consents = p.consent_history.iter().map(|c| view! {
        <li>
            {date_label(c.decided_on)} " · " {responsible_label(Some(c.unit), Some(&c.district_name))} ": "
            {consent_answer_label(c.answer)} " (" {consent_how_label(c.how).to_lowercase()} ") · "
            {t_string!(i18n, consent_recorded_by, name = c.recorded_by.clone()).to_string()}
        </li>
    }).collect_view();
    let tasks = p.tasks.iter().map(|t| {
        let events = stay
            .histories
            .iter()
            .find(|h| h.task == t.id)
            .map(|h| h.events.clone())
            .unwrap_or_default();
        view! {
            <li>
                <strong>{step_label(t.step)}</strong> " – " {responsible_label(t.unit, t.district.as_deref())} ". "
                {t!(i18n, col_due)} ": " {date_label(t.effective_due())} ". "
                {t!(i18n, col_status)} ": " {status_label(t.status)} "."
                <ul>
                    {events.into_iter().map(|e| view! {
                        <li>
                            {timestamp_label(&e.at)} " · "
                            {e.by.clone().unwrap_or_else(|| t_string!(i18n, by_portal).to_string())} ": "
                            {crate::pages::tasks::event_text(&e)}
                            {e.comment.map(|c| format!(" – «{c}»"))}
                        </li>
                    }).collect_view()}
                </ul>
            </li>
        }
    }).collect_view();
    view! {
        <section aria-labelledby=labelled_by class="insight-stay">
            <h2 class="ds-heading" data-size="md" id=heading>
                {t_string!(i18n, insight_stay, date = date_label(p.arrival)).to_string()}
            </h2>
            <dl class="facts">
                <dt>{t!(i18n, field_arrival)}</dt><dd>{date_label(p.arrival)}</dd>
                {p.referral.map(|r| view! { <dt>{t!(i18n, field_referral)}</dt><dd>{referral_label(r)}</dd> })}
                <dt>{t!(i18n, field_home)}</dt><dd>{p.home_name.clone()}</dd>
                <dt>{t!(i18n, col_target_district)}</dt><dd>{p.target_name.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>{t!(i18n, col_children)}</dt><dd>{if children.is_empty() { "—".to_owned() } else { children }}</dd>
                <dt>{t!(i18n, field_language)}</dt><dd>{p.language.clone().unwrap_or_else(|| "—".into())}</dd>
                {p.secret_address.then(|| view! { <dt>{t!(i18n, secret_address_flag)}</dt><dd>"✓"</dd> })}
                {p.concern_registered.map(|d| view! { <dt>{t!(i18n, field_concern_registered)}</dt><dd>{date_label(d)}</dd> })}
                {p.report_sent.map(|d| view! { <dt>{t!(i18n, field_report_sent)}</dt><dd>{date_label(d)}</dd> })}
                {p.report_received.map(|d| view! { <dt>{t!(i18n, field_report_received)}</dt><dd>{date_label(d)}</dd> })}
                <dt>{t!(i18n, field_planned_move_out)}</dt><dd>{date_label_or_dash(p.planned_move_out)}</dd>
                <dt>{t!(i18n, field_move_out)}</dt><dd>{date_label_or_dash(p.move_out)}</dd>
                {p.outcome.map(|o| view! { <dt>{t!(i18n, field_outcome)}</dt><dd>{outcome_label(o)}</dd> })}
                {p.main_coordinator.clone().map(|m| view! { <dt>{t!(i18n, field_main_coordinator)}</dt><dd>{m}</dd> })}
                {p.exit_meeting.clone().map(|m| view! {
                    <dt>{t!(i18n, exit_meeting_title)}</dt>
                    <dd>{local_time_label(&m.starts_at)} {m.summary.map(|s| format!(" – «{s}»"))}</dd>
                })}
            </dl>
            {(!p.corrections.is_empty()).then(|| view! {
                <h3 class="ds-heading" data-size="sm">{t!(i18n, correct_history)}</h3>
                <ul>
                    {p.corrections.iter().map(|c| view! { <li>{crate::pages::correction::correction_text(c)}</li> }).collect_view()}
                </ul>
            })}
            <h3 class="ds-heading" data-size="sm">{t!(i18n, consent_title)}</h3>
            {if p.consent_history.is_empty() {
                view! { <p class="ds-paragraph">{t!(i18n, consent_history_empty)}</p> }.into_any()
            } else {
                view! { <ul>{consents}</ul> }.into_any()
            }}
            <h3 class="ds-heading" data-size="sm">{t!(i18n, insight_tasks)}</h3>
            <ul class="insight-tasks">{tasks}</ul>
        </section>
    }
}

/// Who read or changed the person's data: when, who, their role or service, and what.
#[component]
fn ReadLog(log: Vec<InsightRead>) -> impl IntoView {
    let i18n = use_i18n();
    let (l_when, l_who, l_service, l_what) = (
        t_string!(i18n, col_when).to_string(),
        t_string!(i18n, col_who).to_string(),
        t_string!(i18n, insight_col_service).to_string(),
        t_string!(i18n, col_what).to_string(),
    );
    let rows = log.iter().map(|r| {
        let service = match (r.unit, r.role) {
            (Some(unit), _) => responsible_label(Some(unit), r.district_name.as_deref()),
            (None, Some(role)) => role_label(role),
            (None, None) => "—".into(),
        };
        view! {
            <tr>
                <td data-label=l_when.clone()>{timestamp_label(&r.at)}</td>
                <td data-label=l_who.clone()>{r.user_name.clone().unwrap_or_else(|| t_string!(i18n, by_portal).to_string())}</td>
                <td data-label=l_service.clone()>{service}</td>
                <td data-label=l_what.clone()>{action_text(r)}</td>
            </tr>
        }
    }).collect_view();
    view! {
        <section aria-labelledby="insight-log">
            <h2 class="ds-heading" data-size="md" id="insight-log">{t!(i18n, insight_log)}</h2>
            <p class="ds-paragraph">{t!(i18n, insight_log_help)}</p>
            {if log.is_empty() {
                view! { <p class="ds-paragraph">{t!(i18n, insight_log_empty)}</p> }.into_any()
            } else {
                view! {
                    <table class="ds-table insight-log stack" data-border="true">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, col_when)}</th>
                                <th scope="col">{t!(i18n, col_who)}</th>
                                <th scope="col">{t!(i18n, insight_col_service)}</th>
                                <th scope="col">{t!(i18n, col_what)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// A log row's action in words: the reads by name, a change by its code.
fn action_text(row: &InsightRead) -> String {
    let i18n = use_i18n();
    match row.action.as_str() {
        "plan.list" => t_string!(i18n, insight_read_list).to_string(),
        "task.list" => t_string!(i18n, insight_read_tasks).to_string(),
        "plan.read" => t_string!(i18n, insight_read_plan).to_string(),
        "task.read" => t_string!(i18n, insight_read_task).to_string(),
        "plan.insight" => t_string!(i18n, insight_produced_row).to_string(),
        code => t_string!(i18n, insight_change, code = code.to_owned()).to_string(),
    }
}
