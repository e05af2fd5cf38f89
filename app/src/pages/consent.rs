//! Consent to share (krisesenterlova § 5): the intake's question per service, the plan page's
//! section where staff record answers and see their history, and what a caseworker whose unit
//! has no consent sees of a plan.

use crate::api::plans::RECORD_CONSENT;
use crate::components::dates::{date_label, timestamp_label};
use crate::components::kept::{FieldError, Typed};
use crate::components::labels::{
    consent_answer_label, consent_how_label, responsible_label, service_label,
};
use crate::components::tasks::TaskTable;
use crate::domain::consent::{
    ConsentAnswer, ConsentHow, NOT_ASKED, UnitConsent, WithheldPlan, intake_fields, unit_value,
};
use crate::domain::plan::PlanDetail;
use crate::domain::{ServiceKind, Unit};
use crate::i18n::*;
use leptos::prelude::*;

/// The intake's consent question: for each standard service an answer that starts on "not asked
/// yet" (never pre-ticked), and how it was given.
#[component]
pub fn IntakeConsentFields(typed: Typed) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="ds-fieldset" aria-describedby="intake-consent-help">
            <legend class="ds-heading" data-size="sm">{t!(i18n, consent_title)}</legend>
            <p class="ds-paragraph" data-size="sm" id="intake-consent-help">
                {t!(i18n, consent_intro)} " " {t!(i18n, consent_intake_help)}
            </p>
            {ServiceKind::STANDARD.into_iter().map(|service| {
                let (answer, how) = intake_fields(service);
                let t = typed.clone();
                let answer_id = format!("intake-{answer}");
                let how_id = format!("intake-{how}");
                let kept = t.is_kept();
                view! {
                    <div class="consent-row">
                        <div class="ds-field">
                            <label class="ds-label" for=answer_id.clone()>{service_label(service)}</label>
                            <select class="ds-input" id=answer_id name=answer aria-invalid=t.aria_invalid(answer) aria-describedby=t.described_by(answer, None)>
                                <option value=NOT_ASKED selected=!kept || t.selected(answer, NOT_ASKED, false)>{t!(i18n, consent_not_asked)}</option>
                                {[ConsentAnswer::Given, ConsentAnswer::Refused].into_iter().map(|a| view! {
                                    <option value=a.as_str() selected=t.selected(answer, a.as_str(), false)>{consent_answer_label(a)}</option>
                                }).collect_view()}
                            </select>
                            <FieldError typed=t.clone() name=answer/>
                        </div>
                        <div class="ds-field">
                            <label class="ds-label" for=how_id.clone()>{t!(i18n, field_consent_how)} " (" {service_label(service)} ")"</label>
                            <select class="ds-input" id=how_id name=how aria-invalid=t.aria_invalid(how) aria-describedby=t.described_by(how, None)>
                                <option value="" selected=!kept>"—"</option>
                                {ConsentHow::ALL.iter().map(|h| view! {
                                    <option value=h.as_str() selected=t.selected(how, h.as_str(), false)>{consent_how_label(*h)}</option>
                                }).collect_view()}
                            </select>
                            <FieldError typed=t.clone() name=how/>
                        </div>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

fn unit_name(unit: &UnitConsent) -> String {
    responsible_label(Some(unit.unit), Some(&unit.district_name))
}

/// The plan page's consent section (crisis center staff): each unit the plan involves, its answer
/// in force and what it sees; the form to record an answer; every answer recorded.
#[component]
pub fn PlanConsent(plan: PlanDetail) -> impl IntoView {
    let i18n = use_i18n();
    let key = plan.stay.to_string();
    let t = Typed::of(&crate::routes::api(RECORD_CONSENT), &[("stay", &key)]);
    let (l_unit, l_consent, l_effect) = (
        t_string!(i18n, field_consent_unit).to_string(),
        t_string!(i18n, col_consent).to_string(),
        t_string!(i18n, col_consent_effect).to_string(),
    );
    let rows = plan
        .consents
        .iter()
        .map(|u| {
            let state = match &u.current {
                Some(c) => format!(
                    "{} ({}, {})",
                    consent_answer_label(c.answer),
                    consent_how_label(c.how).to_lowercase(),
                    date_label(c.decided_on)
                ),
                None => t_string!(i18n, consent_not_asked).to_string(),
            };
            let effect = if u.by_report {
                t_string!(i18n, consent_by_report).to_string()
            } else if u.sees_personal_data() {
                t_string!(i18n, consent_sees).to_string()
            } else {
                t_string!(i18n, consent_sees_not).to_string()
            };
            view! {
                <tr>
                    <td data-label=l_unit.clone()>{unit_name(u)}</td>
                    <td data-label=l_consent.clone()>{state}</td>
                    <td data-label=l_effect.clone()>{effect}</td>
                </tr>
            }
        })
        .collect_view();
    let history = if plan.consent_history.is_empty() {
        view! { <p class="ds-paragraph">{t!(i18n, consent_history_empty)}</p> }.into_any()
    } else {
        view! {
            <ul class="consent-history">
                {plan.consent_history.iter().map(|c| {
                    let unit = responsible_label(Some(c.unit), Some(&c.district_name));
                    view! {
                        <li>
                            {date_label(c.decided_on)} " · " {unit} ": "
                            <strong>{consent_answer_label(c.answer)}</strong>
                            " (" {consent_how_label(c.how).to_lowercase()} ") · "
                            {t_string!(i18n, consent_recorded_by, name = c.recorded_by.clone()).to_string()}
                            " " {timestamp_label(&c.recorded_at)}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let units: Vec<(Unit, String)> = plan
        .consents
        .iter()
        .map(|u| (u.unit, unit_name(u)))
        .collect();
    // No default date: staff type the day the resident answered.
    let decided_on = t.text("decided_on", "");
    view! {
        <section aria-labelledby="samtykke">
            <h2 class="ds-heading" data-size="md" id="samtykke">{t!(i18n, consent_title)}</h2>
            <p class="ds-paragraph">{t!(i18n, consent_intro)}</p>
            <table class="ds-table consent stack" data-border="true">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, field_consent_unit)}</th>
                        <th scope="col">{t!(i18n, col_consent)}</th>
                        <th scope="col">{t!(i18n, col_consent_effect)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <details class="disclosure print-hide" open=t.is_kept()>
                <summary>{t!(i18n, consent_record)}</summary>
                <form class="form" method="post" action=crate::routes::api(RECORD_CONSENT)>
                    <input type="hidden" name="stay" value=plan.stay.to_string()/>
                    <input type="hidden" name="version" value=plan.version.to_string()/>
                    <div class="ds-field">
                        <label class="ds-label" for="consent-unit">{t!(i18n, field_consent_unit)}</label>
                        <select class="ds-input" id="consent-unit" name="consent_unit" required aria-invalid=t.aria_invalid("consent_unit") aria-describedby=t.described_by("consent_unit", None)>
                            <option value="" selected=!t.is_kept()>{t!(i18n, choose)}</option>
                            {units.into_iter().map(|(unit, name)| {
                                let value = unit_value(unit);
                                let is = t.selected("consent_unit", &value, false);
                                view! { <option value=value selected=is>{name}</option> }
                            }).collect_view()}
                        </select>
                        <FieldError typed=t.clone() name="consent_unit"/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="consent-answer">{t!(i18n, field_consent_answer)}</label>
                        <select class="ds-input" id="consent-answer" name="answer" required aria-invalid=t.aria_invalid("answer") aria-describedby=t.described_by("answer", None)>
                            <option value="" selected=!t.is_kept()>{t!(i18n, choose)}</option>
                            {ConsentAnswer::ALL.iter().map(|a| view! {
                                <option value=a.as_str() selected=t.selected("answer", a.as_str(), false)>{consent_answer_label(*a)}</option>
                            }).collect_view()}
                        </select>
                        <FieldError typed=t.clone() name="answer"/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="consent-how">{t!(i18n, field_consent_how)}</label>
                        <select class="ds-input" id="consent-how" name="how" required aria-invalid=t.aria_invalid("how") aria-describedby=t.described_by("how", None)>
                            <option value="" selected=!t.is_kept()>{t!(i18n, choose)}</option>
                            {ConsentHow::ALL.iter().map(|h| view! {
                                <option value=h.as_str() selected=t.selected("how", h.as_str(), false)>{consent_how_label(*h)}</option>
                            }).collect_view()}
                        </select>
                        <FieldError typed=t.clone() name="how"/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="consent-decided-on">{t!(i18n, field_consent_decided_on)}</label>
                        <input class="ds-input" id="consent-decided-on" name="decided_on" type="date" required
                            value=decided_on aria-invalid=t.aria_invalid("decided_on") aria-describedby=t.described_by("decided_on", None)/>
                        <FieldError typed=t.clone() name="decided_on"/>
                    </div>
                    <button class="ds-button" type="submit">{t!(i18n, consent_record_submit)}</button>
                </form>
            </details>
            <h3 class="ds-heading" data-size="sm">{t!(i18n, consent_history)}</h3>
            {history}
        </section>
    }
}

/// A plan as a caseworker whose unit has no consent sees it: its tasks, without the person.
#[component]
pub fn WithheldPlanView(plan: WithheldPlan) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="back-link"><a class="ds-link" href="/oppgaver">{t!(i18n, tasks_back)}</a></p>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, consent_withheld_title)}</h1>
        <div class="ds-alert" data-color="info">
            <p class="ds-paragraph">{t!(i18n, consent_withheld_plan)}</p>
        </div>
        <section aria-labelledby="plan-tasks">
            <h2 class="ds-heading" data-size="md" id="plan-tasks">{t!(i18n, plan_tasks_unit)}</h2>
            <TaskTable tasks=plan.tasks show_resident=false link_all=true link_center=false/>
        </section>
    }
}
