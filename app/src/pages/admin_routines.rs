//! `/admin/rutiner`: the routine in force (its deadline rules) and a form that publishes a new
//! version with changed offsets; the list of versions. Plans keep the version they were created
//! under, so publishing never moves an existing plan's deadlines.

use crate::api::routines::{PUBLISH_ROUTINE, get_routine};
use crate::components::feedback::FormFeedback;
use crate::components::kept::{FieldError, Typed};
use crate::components::labels::{service_label, step_label};
use crate::components::messages::ErrorMessage;
use crate::domain::deadline::Period;
use crate::domain::limits;
use crate::domain::routine::{Anchor, Condition, DistrictRole, Responsible, RoutineView};
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;

fn responsible_text(responsible: Responsible, district: DistrictRole) -> String {
    let i18n = use_i18n();
    let who = match responsible.service() {
        Some(kind) => service_label(kind),
        None => t_string!(i18n, crisis_center).to_string(),
    };
    match district {
        DistrictRole::Home => format!("{who} ({})", t_string!(i18n, district_role_home)),
        DistrictRole::Target => format!("{who} ({})", t_string!(i18n, district_role_target)),
        DistrictRole::None => who,
    }
}

fn anchor_text(anchor: Anchor) -> String {
    let i18n = use_i18n();
    match anchor {
        Anchor::Arrival => t_string!(i18n, anchor_arrival),
        Anchor::ConcernRegistered => t_string!(i18n, anchor_concern_registered),
        Anchor::ReportReceived => t_string!(i18n, anchor_report_received),
        Anchor::ReviewConcluded => t_string!(i18n, anchor_review_concluded),
        Anchor::PlannedMoveOut => t_string!(i18n, anchor_planned_move_out),
        Anchor::MoveOut => t_string!(i18n, anchor_move_out),
        Anchor::ReportReceivedOrSent => t_string!(i18n, anchor_report_received_or_sent),
        Anchor::HandoverCompleted => t_string!(i18n, anchor_handover_completed),
    }
    .to_string()
}

fn condition_text(condition: Condition) -> String {
    let i18n = use_i18n();
    let mut parts = Vec::new();
    if condition.children {
        parts.push(t_string!(i18n, condition_children).to_string());
    }
    if condition.concern {
        parts.push(t_string!(i18n, condition_concern).to_string());
    }
    if condition.target_differs {
        parts.push(t_string!(i18n, condition_target_differs).to_string());
    }
    if condition.temporary_outcome {
        parts.push(t_string!(i18n, condition_temporary).to_string());
    }
    if condition.expected_temporary {
        parts.push(t_string!(i18n, condition_expected_temporary).to_string());
    }
    if parts.is_empty() {
        t_string!(i18n, condition_always).to_string()
    } else {
        parts.join(", ")
    }
}

#[component]
pub fn RoutinesPage() -> impl IntoView {
    let i18n = use_i18n();
    let routine = OnceResource::new(get_routine());
    view! {
        <PageTitle text=t_string!(i18n, routines_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, routines_title)}</h1>
        <p class="ds-paragraph">{t!(i18n, routines_intro)}</p>
        <FormFeedback/>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match routine.await {
                    Ok(routine) => view! { <Routine routine/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Routine(routine: RoutineView) -> impl IntoView {
    let i18n = use_i18n();
    // A refused version comes back with every offset, unit and flag as the administrator set them.
    let t = Typed::of(&crate::routes::api(PUBLISH_ROUTINE), &[]);
    view! {
        <form class="form" method="post" action=crate::routes::api(PUBLISH_ROUTINE)>
            <input type="hidden" name="based_on" value=routine.version.to_string()/>
            <input type="hidden" name="bindings" value="1"/>
            <div class="table-scroll" tabindex="0" role="region" aria-label=t_string!(i18n, routines_in_force).to_string()>
                <table class="ds-table routine" data-border="true">
                    <caption class="ds-heading" data-size="sm">{t!(i18n, routines_in_force)} " " {routine.version}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, col_step)}</th>
                            <th scope="col">{t!(i18n, col_responsible)}</th>
                            <th scope="col">{t!(i18n, routines_col_counts_from)}</th>
                            <th scope="col">{t!(i18n, routines_col_when)}</th>
                            <th scope="col">{t!(i18n, routines_col_offset)}</th>
                            <th scope="col">{t!(i18n, routines_col_binding)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {routine.rules.into_iter().map(|r| {
                            let (amount, months) = match r.rule.offset {
                                Period::Days(n) => (n, false),
                                Period::Months(n) => (n, true),
                            };
                            let step = step_label(r.rule.step);
                            let amount_id = format!("offset-{}", r.id);
                            let unit_id = format!("unit-{}", r.id);
                            let binding_id = format!("binding-{}", r.id);
                        let amount = t.text(&format!("offset[{}]", r.id), amount.to_string());
                        let months = t.selected(&format!("unit[{}]", r.id), "months", months);
                        let binding = t.checked(&format!("binding[{}]", r.id), r.rule.binding);
                        let invalid = t.aria_invalid("offset");
                            view! {
                                <tr>
                                    <th scope="row">{step.clone()}</th>
                                    <td>{responsible_text(r.rule.responsible, r.rule.district)}</td>
                                    <td>{anchor_text(r.rule.anchor)}</td>
                                    <td>{condition_text(r.rule.condition)}</td>
                                    <td class="offset">
                                        <label class="ds-sr-only" for=amount_id.clone()>{t!(i18n, routines_col_offset)} ": " {step.clone()}</label>
                                        <input class="ds-input" id=amount_id name=format!("offset[{}]", r.id) value=amount inputmode="numeric" size="4" required aria-invalid=invalid/>
                                        <label class="ds-sr-only" for=unit_id.clone()>{t!(i18n, routines_unit)} ": " {step}</label>
                                        <select class="ds-input" id=unit_id name=format!("unit[{}]", r.id)>
                                            <option value="days" selected=!months>{t!(i18n, routines_days)}</option>
                                            <option value="months" selected=months>{t!(i18n, routines_months)}</option>
                                        </select>
                                    </td>
                                    <td>
                                        <input class="ds-input" type="checkbox" id=binding_id.clone() name=format!("binding[{}]", r.id) value="1" checked=binding/>
                                        <label class="ds-sr-only" for=binding_id>{t!(i18n, routines_col_binding)} ": " {step_label(r.rule.step)}</label>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <FieldError typed=t.clone() name="offset"/>
            <div class="ds-field">
                <label class="ds-label" for="routine-note">{t!(i18n, routines_note)}</label>
                <input class="ds-input" id="routine-note" name="note" maxlength=limits::NOTE value=t.text("note", "")
                    aria-invalid=t.aria_invalid("note") aria-describedby=t.described_by("note", None)/>
                <FieldError typed=t.clone() name="note"/>
            </div>
            <button class="ds-button" type="submit">{t!(i18n, routines_publish)}</button>
        </form>
        <h2 class="ds-heading" data-size="md">{t!(i18n, routines_versions)}</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-label=t_string!(i18n, routines_versions).to_string()>
            <table class="ds-table versions" data-border="true">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, routines_version)}</th>
                        <th scope="col">{t!(i18n, routines_published)}</th>
                        <th scope="col">{t!(i18n, routines_note)}</th>
                        <th scope="col">{t!(i18n, routines_plans)}</th>
                    </tr>
                </thead>
                <tbody>
                    {routine.versions.into_iter().map(|v| view! {
                        <tr>
                            <td>{v.version}</td>
                            <td>{crate::components::dates::timestamp_label(&v.published_at)}
                                {v.published_by.map(|by| view! { ", " {by} })}</td>
                            <td>{v.note.unwrap_or_default()}</td>
                            <td>{v.plans}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
