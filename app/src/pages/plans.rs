//! The crisis center's plans: the list (most urgent first), the intake of a new stay, and one
//! plan's page. Caseworkers see a plan's page too, limited to what their unit's tasks need and
//! without the forms. Every form is a plain HTML form posting to a `plans` server function.

use crate::api::directory::list_districts;
use crate::api::plans::{
    ADD_CHILD, CREATE_PLAN, LINK_STAY, MOVE_OUT, PLAN_EXIT_MEETING, RECORD_CONCERN,
    RECORD_EXIT_MEETING, UNLINK_STAY, UPDATE_PLAN, get_plan, intake_duplicates, list_plans,
};
use crate::components::dates::{date_label, timestamp_date};
use crate::components::feedback::FormFeedback;
use crate::components::kept::{FieldError, Typed, error_id};
use crate::components::labels::{
    attendance_label, gender_label, outcome_label, referral_label, service_label,
    target_reason_label,
};
use crate::components::messages::ErrorMessage;
use crate::components::tasks::TaskTable;
use crate::domain::limits;
use crate::domain::plan::{
    Attendance, ChildView, Gender, MeetingService, OpenStay, Outcome, PlanDetail, PlanSummary,
    PlanView, Referral, TargetReason, TaskRow, UnitMeetingView, UnitPlan, date_text,
};
use crate::domain::{DistrictSummary, ServiceKind};
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/planer`: every plan of a resident still at the center, or with open tasks.
#[component]
pub fn PlansPage() -> impl IntoView {
    let i18n = use_i18n();
    let plans = OnceResource::new(list_plans());
    view! {
        <PageTitle text=t_string!(i18n, plans_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, plans_title)}</h1>
        <p class="ds-paragraph">{t!(i18n, plans_intro)}</p>
        <p><a class="ds-button" data-variant="secondary" href="/planer/ny">{t!(i18n, plans_new)}</a></p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match plans.await {
                    Ok(list) if list.plans.is_empty() => view! { <p class="ds-paragraph">{t!(i18n, plans_empty)}</p> }.into_any(),
                    Ok(list) => {
                        let shown = list.plans.len();
                        let total = list.total;
                        view! {
                            {(total > shown as i64).then(|| view! {
                                <p class="ds-paragraph" role="status">{t_string!(i18n, plans_truncated, shown = shown, total = total).to_string()}</p>
                            })}
                            <PlanTable plans=list.plans/>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PlanTable(plans: Vec<PlanSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=t_string!(i18n, plans_title).to_string()>
            <table class="ds-table plans" data-border="true">
                <caption class="ds-sr-only">{t!(i18n, plans_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, col_resident)}</th>
                        <th scope="col">{t!(i18n, col_arrival)}</th>
                        <th scope="col">{t!(i18n, col_home_district)}</th>
                        <th scope="col">{t!(i18n, col_target_district)}</th>
                        <th scope="col">{t!(i18n, col_children)}</th>
                        <th scope="col">{t!(i18n, col_overdue)}</th>
                        <th scope="col">{t!(i18n, col_due_soon)}</th>
                        <th scope="col">{t!(i18n, col_open)}</th>
                    </tr>
                </thead>
                <tbody>
                    {plans.into_iter().map(|p| {
                        let overdue = (p.overdue > 0).then_some("overdue");
                        view! {
                            <tr class=overdue>
                                <td>
                                    <a class="ds-link" href=crate::routes::plan(p.stay)>{p.resident}</a>
                                    " (" {p.birth_year} ")"
                                    {p.returning.then(|| view! { " " <span class="ds-tag" data-color="warning">{t!(i18n, returning_badge)}</span> })}
                                    {p.move_out.map(|d| view! { " " <span class="ds-tag" data-color="neutral">{t!(i18n, moved_out_on)} " " {date_label(d)}</span> })}
                                    {p.waiting_flag.map(|days| {
                                        let text = format!("{} {days} {}", t_string!(i18n, plans_waiting), t_string!(i18n, plans_waiting_days));
                                        view! { " " <span class="ds-tag" data-color="danger">{text}</span> }
                                    })}
                                </td>
                                <td>{date_label(p.arrival)}</td>
                                <td>{p.home_district}</td>
                                <td>{p.target_district.unwrap_or_default()}</td>
                                <td>{p.children}</td>
                                <td>{if p.overdue > 0 {
                                    view! { <span class="ds-tag" data-color="danger">{p.overdue}</span> }.into_any()
                                } else {
                                    view! { "0" }.into_any()
                                }}</td>
                                <td>{p.due_soon}</td>
                                <td>{p.open}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The district select (with an empty first choice when `empty` is given). A refused form's
/// choice comes back through `typed`.
#[component]
fn DistrictSelect(
    id: &'static str,
    name: &'static str,
    districts: Vec<DistrictSummary>,
    selected: Option<i64>,
    #[prop(optional)] empty: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] typed: Typed,
) -> impl IntoView {
    let invalid = typed.aria_invalid(name);
    let described = typed.described_by(name, None);
    view! {
        <select class="ds-input" id=id name=name required=required aria-invalid=invalid aria-describedby=described>
            {empty.map(|label| view! { <option value="">{label}</option> })}
            {districts.into_iter().map(|d| {
                let value = d.id.to_string();
                let is = typed.selected(name, &value, selected == Some(d.id.0));
                view! { <option value=value selected=is>{d.name}</option> }
            }).collect_view()}
        </select>
        <FieldError typed=typed.clone() name=name/>
    }
}

#[component]
fn TargetReasonSelect(
    selected: Option<TargetReason>,
    #[prop(optional)] typed: Typed,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = "target_reason";
    view! {
        <div class="ds-field">
            <label class="ds-label" for="plan-target-reason">{t!(i18n, field_target_reason)}</label>
            <select class="ds-input" id="plan-target-reason" name=name aria-invalid=typed.aria_invalid(name) aria-describedby=typed.described_by(name, None)>
                <option value="">"—"</option>
                {TargetReason::ALL.iter().map(|r| {
                    let is = typed.selected(name, r.as_str(), selected == Some(*r));
                    view! { <option value=r.as_str() selected=is>{target_reason_label(*r)}</option> }
                }).collect_view()}
            </select>
            <FieldError typed=typed.clone() name=name/>
        </div>
    }
}

/// `/planer/ny`: the intake of a new stay. A refused intake comes back as it was typed; one
/// refused as a likely duplicate shows the open stays of that name and birth year, and asks why
/// this is a new stay if staff register it anyway.
#[component]
pub fn NewPlanPage() -> impl IntoView {
    let i18n = use_i18n();
    let districts = OnceResource::new(list_districts());
    let typed = Typed::of(&crate::routes::api(CREATE_PLAN), &[]);
    let duplicate = typed.invalid("duplicate") || typed.invalid("duplicate_reason");
    let duplicates = duplicate.then(|| {
        OnceResource::new(intake_duplicates(
            typed.text("name", ""),
            typed.text("birth_year", ""),
        ))
    });
    view! {
        <PageTitle text=t_string!(i18n, intake_title).to_string()/>
        <p class="back-link"><a class="ds-link" href="/planer">{t!(i18n, plans_back)}</a></p>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, intake_title)}</h1>
        <p class="ds-paragraph">{t!(i18n, intake_intro)}</p>
        <FormFeedback/>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || {
                let typed = typed.clone();
                Suspend::new(async move {
                    let open = match duplicates {
                        Some(found) => found.await.unwrap_or_default(),
                        None => Vec::new(),
                    };
                    match districts.await {
                        Ok(districts) => view! { <IntakeForm districts typed duplicate open/> }.into_any(),
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn IntakeForm(
    districts: Vec<DistrictSummary>,
    typed: Typed,
    /// Refused as a likely duplicate: ask why this is a new stay.
    duplicate: bool,
    /// The open stays of the same name and birth year.
    open: Vec<OpenStay>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = typed.clone();
    view! {
        <form class="form" method="post" action=crate::routes::api(CREATE_PLAN)>
            {duplicate.then(|| view! { <IntakeDuplicate typed=typed.clone() open/> })}
            <fieldset class="ds-fieldset">
                <legend class="ds-heading" data-size="sm">{t!(i18n, intake_person)}</legend>
                <div class="ds-field">
                    <label class="ds-label" for="plan-name">{t!(i18n, field_resident_name)}</label>
                    <input class="ds-input" id="plan-name" name="name" autocomplete="off" required maxlength=limits::NAME
                        value=t.text("name", "") aria-invalid=t.aria_invalid("name") aria-describedby=t.described_by("name", None)/>
                    <FieldError typed=t.clone() name="name"/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="plan-birth-year">{t!(i18n, field_birth_year)}</label>
                    <input class="ds-input" id="plan-birth-year" name="birth_year" inputmode="numeric" pattern="[0-9]{4}" autocomplete="off" required
                        value=t.text("birth_year", "") aria-invalid=t.aria_invalid("birth_year") aria-describedby=t.described_by("birth_year", None)/>
                    <FieldError typed=t.clone() name="birth_year"/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="plan-gender">{t!(i18n, field_gender)}</label>
                    <select class="ds-input" id="plan-gender" name="gender" required aria-invalid=t.aria_invalid("gender") aria-describedby=t.described_by("gender", None)>
                        <option value="" selected=!t.is_kept()>{t!(i18n, choose)}</option>
                        {Gender::ALL.iter().map(|g| view! { <option value=g.as_str() selected=t.selected("gender", g.as_str(), false)>{gender_label(*g)}</option> }).collect_view()}
                    </select>
                    <FieldError typed=t.clone() name="gender"/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="plan-case-reference">{t!(i18n, field_case_reference)}</label>
                    <input class="ds-input" id="plan-case-reference" name="case_reference" autocomplete="off" maxlength=limits::CASE_REFERENCE
                        value=t.text("case_reference", "") aria-invalid=t.aria_invalid("case_reference") aria-describedby=t.described_by("case_reference", None)/>
                    <FieldError typed=t.clone() name="case_reference"/>
                </div>
                <div class="ds-field checkbox">
                    <input class="ds-input" type="checkbox" id="plan-secret" name="secret_address" value="1" checked=t.checked("secret_address", false)/>
                    <label class="ds-label" for="plan-secret">{t!(i18n, field_secret_address)}</label>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="plan-language">{t!(i18n, field_language)}</label>
                    <input class="ds-input" id="plan-language" name="language" autocomplete="off" maxlength=limits::LANGUAGE
                        value=t.text("language", "") aria-invalid=t.aria_invalid("language") aria-describedby=t.described_by("language", None)/>
                    <FieldError typed=t.clone() name="language"/>
                </div>
                <div class="ds-field checkbox">
                    <input class="ds-input" type="checkbox" id="plan-interpreter" name="interpreter" value="1" checked=t.checked("interpreter", false)/>
                    <label class="ds-label" for="plan-interpreter">{t!(i18n, field_interpreter)}</label>
                </div>
            </fieldset>
            <fieldset class="ds-fieldset">
                <legend class="ds-heading" data-size="sm">{t!(i18n, intake_stay)}</legend>
                <div class="ds-field">
                    <label class="ds-label" for="plan-arrival">{t!(i18n, field_arrival)}</label>
                    <input class="ds-input" id="plan-arrival" name="arrival" type="date" required
                        value=t.text("arrival", "") aria-invalid=t.aria_invalid("arrival") aria-describedby=t.described_by("arrival", None)/>
                    <FieldError typed=t.clone() name="arrival"/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="plan-referral">{t!(i18n, field_referral)}</label>
                    <select class="ds-input" id="plan-referral" name="referral" required aria-invalid=t.aria_invalid("referral") aria-describedby=t.described_by("referral", None)>
                        <option value="" selected=!t.is_kept()>{t!(i18n, choose)}</option>
                        {Referral::ALL.iter().map(|r| view! { <option value=r.as_str() selected=t.selected("referral", r.as_str(), false)>{referral_label(*r)}</option> }).collect_view()}
                    </select>
                    <FieldError typed=t.clone() name="referral"/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="plan-children">{t!(i18n, field_children)}</label>
                    <p class="ds-paragraph" data-size="sm" id="plan-children-help">{t!(i18n, field_children_help)}</p>
                    <input class="ds-input" id="plan-children" name="children_years" autocomplete="off"
                        value=t.text("children_years", "") aria-invalid=t.aria_invalid("children_years") aria-describedby=t.described_by("children_years", Some("plan-children-help"))/>
                    <FieldError typed=t.clone() name="children_years"/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="plan-home">{t!(i18n, field_home)}</label>
                    <DistrictSelect id="plan-home" name="home" districts=districts.clone() selected=None required=true empty=t_string!(i18n, choose).to_string() typed=t.clone()/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="plan-target">{t!(i18n, field_target)}</label>
                    <DistrictSelect id="plan-target" name="target" districts selected=None empty=t_string!(i18n, target_same).to_string() typed=t.clone()/>
                </div>
                <TargetReasonSelect selected=None typed=t.clone()/>
            </fieldset>
            <crate::pages::consent::IntakeConsentFields typed=t.clone()/>
            <button class="ds-button" type="submit">{t!(i18n, intake_submit)}</button>
        </form>
    }
}

/// A likely duplicate: the open stays of the name and birth year given (each a link to its
/// plan), and the reason staff give when this is a new stay all the same.
#[component]
fn IntakeDuplicate(typed: Typed, open: Vec<OpenStay>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="ds-fieldset duplicate">
            <legend class="ds-heading" data-size="sm">{t!(i18n, intake_duplicate_title)}</legend>
            <ul class="ds-list">
                {open.into_iter().map(|o| view! {
                    <li><a class="ds-link" href=crate::routes::plan(o.stay.0)>{t!(i18n, intake_duplicate_open)} " " {date_label(o.arrival)}</a></li>
                }).collect_view()}
            </ul>
            <div class="ds-field">
                <label class="ds-label" for="plan-duplicate-reason">{t!(i18n, intake_duplicate_reason)}</label>
                <textarea class="ds-input" id="plan-duplicate-reason" name="duplicate_reason" rows="2" required maxlength=limits::REASON
                    aria-invalid=typed.aria_invalid("duplicate_reason") aria-describedby=typed.described_by("duplicate_reason", None)>{typed.text("duplicate_reason", "")}</textarea>
                <FieldError typed=typed.clone() name="duplicate_reason"/>
            </div>
        </fieldset>
        <p class="ds-validation-message" data-color="danger" id=error_id("duplicate")>{crate::components::feedback::field_why("duplicate")}</p>
    }
}

/// `/planer/:id`: one plan.
#[component]
pub fn PlanPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_params_map()
        .with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()))
        .unwrap_or(0);
    let plan = OnceResource::new(get_plan(id));
    let districts = OnceResource::new(list_districts());
    view! {
        <PageTitle text=t_string!(i18n, plan_title).to_string()/>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match (plan.await, districts.await) {
                    (Ok(plan), Ok(districts)) => view! { <Plan plan districts/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorMessage error page=true/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the plan page's heading and facts show, from either role's view: the crisis center's
/// own details (gender, case reference, referral) only come from the crisis center's view.
#[derive(Clone)]
struct Shown {
    name: String,
    birth_year: i32,
    gender: Option<Gender>,
    case_reference: Option<String>,
    referral: Option<Referral>,
    arrival: time::Date,
    home_name: String,
    target: Option<String>,
    handover: Option<(Option<String>, Option<String>)>,
    children: String,
    language: Option<String>,
    planned_move_out: Option<time::Date>,
    ready_on: Option<time::Date>,
    move_out: Option<time::Date>,
    outcome: Option<Outcome>,
    expected_outcome: Option<Outcome>,
    main_coordinator: Option<String>,
    routine_version: i64,
    returning: bool,
    secret_address: bool,
    interpreter: bool,
}

pub(crate) fn children_text(children: &[ChildView]) -> String {
    children
        .iter()
        .map(|c| c.birth_year.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn target_text(name: Option<String>, reason: Option<TargetReason>) -> Option<String> {
    name.map(|name| match reason {
        Some(reason) => format!("{name} ({})", target_reason_label(reason)),
        None => name,
    })
}

impl From<&PlanDetail> for Shown {
    fn from(plan: &PlanDetail) -> Shown {
        Shown {
            name: plan.name.clone(),
            birth_year: plan.birth_year,
            gender: plan.gender,
            case_reference: plan.case_reference.clone(),
            referral: plan.referral,
            arrival: plan.arrival,
            home_name: plan.home_name.clone(),
            target: target_text(plan.target_name.clone(), plan.target_reason),
            handover: plan.target.map(|_| {
                (
                    plan.handover_started_at.clone(),
                    plan.handover_ended_at.clone(),
                )
            }),
            children: children_text(&plan.children),
            language: plan.language.clone(),
            planned_move_out: plan.planned_move_out,
            ready_on: plan.ready_on,
            move_out: plan.move_out,
            outcome: plan.outcome,
            expected_outcome: plan.expected_outcome.filter(|_| plan.move_out.is_none()),
            main_coordinator: plan.main_coordinator.clone(),
            routine_version: plan.routine_version,
            returning: plan.returning,
            secret_address: plan.secret_address,
            interpreter: plan.interpreter,
        }
    }
}

impl From<&UnitPlan> for Shown {
    fn from(plan: &UnitPlan) -> Shown {
        Shown {
            name: plan.name.clone(),
            birth_year: plan.birth_year,
            gender: None,
            case_reference: None,
            referral: None,
            arrival: plan.arrival,
            home_name: plan.home_name.clone(),
            target: target_text(plan.target_name.clone(), plan.target_reason),
            handover: plan.target_name.as_ref().map(|_| {
                (
                    plan.handover_started_at.clone(),
                    plan.handover_ended_at.clone(),
                )
            }),
            children: children_text(&plan.children),
            language: plan.language.clone(),
            planned_move_out: plan.planned_move_out,
            ready_on: None,
            move_out: plan.move_out,
            outcome: plan.outcome,
            expected_outcome: None,
            main_coordinator: plan.main_coordinator.clone(),
            routine_version: plan.routine_version,
            returning: false,
            secret_address: plan.secret_address,
            interpreter: plan.interpreter,
        }
    }
}

#[component]
fn Plan(plan: PlanView, districts: Vec<DistrictSummary>) -> impl IntoView {
    let i18n = use_i18n();
    match plan {
        PlanView::Whole(plan) => {
            // The crisis center's next step: the summary links it, and its form is the open one.
            let next = crate::domain::plan_path::next_action(&plan);
            view! {
                <PlanHead shown=Shown::from(&*plan) whole=true/>
                <PlanPath plan=(*plan).clone() next/>
                <PlanTasks tasks=plan.tasks.clone() whole=true stay=plan.stay.0/>
                <PlanFacts shown=Shown::from(&*plan)/>
                <crate::pages::consent::PlanConsent plan=(*plan).clone()/>
                <p class="print-hide">
                    <a class="ds-link" href=crate::routes::insight(plan.stay)>{t!(i18n, insight_link)}</a>
                </p>
                <ExitMeeting plan=(*plan).clone() next/>
                <crate::pages::correction::PlanCorrection plan=(*plan).clone()/>
                <StaffForms plan=*plan districts next/>
            }
            .into_any()
        }
        PlanView::Unit(plan) => view! {
            <PlanHead shown=Shown::from(&*plan) whole=false/>
            <PlanFacts shown=Shown::from(&*plan)/>
            <PlanTasks tasks=plan.tasks.clone() whole=false stay=plan.stay.0/>
            <UnitExitMeeting meeting=plan.exit_meeting.clone()/>
        }
        .into_any(),
        PlanView::Withheld(plan) => view! {
            <crate::pages::consent::WithheldPlanView plan=*plan/>
        }
        .into_any(),
    }
}

/// The line a printed plan carries (hidden on screen): when it was printed, in Oslo time, and
/// by whom. The page view that printed it is logged as a read like any other.
fn printed_by() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let i18n = use_i18n();
        let user = crate::server::session::current_user()?;
        let state = crate::server::AppState::current().ok()?;
        let when = crate::components::dates::instant_label(state.clock.now());
        Some(format!(
            "{} {when}, {}",
            t_string!(i18n, plan_printed),
            user.name
        ))
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// Where the resident is on the path, what is past its deadline and who owns it, and the crisis
/// center's next step (a link to its form, which the page opens).
#[component]
fn PlanPath(plan: PlanDetail, next: crate::domain::plan_path::NextAction) -> impl IntoView {
    use crate::components::labels::{responsible_label, step_label};
    use crate::domain::plan_path::{NextAction, Stage, StageState, overdue, path};
    let i18n = use_i18n();
    let stages = path(&plan);
    let late: Vec<TaskRow> = overdue(&plan).into_iter().cloned().collect();
    let stage_name = move |stage: Stage| match stage {
        Stage::Arrival => t_string!(i18n, stage_arrival),
        Stage::HousingPlan => t_string!(i18n, stage_housing_plan),
        Stage::Transfer => t_string!(i18n, stage_transfer),
        Stage::ExitMeeting => t_string!(i18n, stage_exit_meeting),
        Stage::MoveOut => t_string!(i18n, stage_move_out),
        Stage::FollowUp => t_string!(i18n, stage_follow_up),
    };
    let (next_text, next_anchor) = match next {
        NextAction::ConcernReport => (t_string!(i18n, next_concern), Some("#plan-concern")),
        NextAction::Facts => (t_string!(i18n, next_facts), Some("#plan-edit")),
        NextAction::PlanExitMeeting => (
            t_string!(i18n, next_plan_meeting),
            Some("#avsluttende-mote"),
        ),
        NextAction::RecordExitMeeting => (
            t_string!(i18n, next_record_meeting),
            Some("#avsluttende-mote"),
        ),
        NextAction::MoveOut => (t_string!(i18n, next_move_out), Some("#plan-move-out")),
        NextAction::None => (t_string!(i18n, next_none), None),
    };
    view! {
        <section class="plan-path" aria-labelledby="plan-path">
            <h2 class="ds-heading" data-size="md" id="plan-path">{t!(i18n, path_title)}</h2>
            <ol class="path">
                {stages.into_iter().map(|s| {
                    let (word, color) = match s.state {
                        StageState::Done => (t_string!(i18n, stage_done), "success"),
                        StageState::Overdue => (t_string!(i18n, stage_overdue), "danger"),
                        StageState::Current => (t_string!(i18n, stage_current), "info"),
                        StageState::Later => (t_string!(i18n, stage_later), "neutral"),
                    };
                    let current = matches!(s.state, StageState::Current | StageState::Overdue).then_some("step");
                    view! {
                        <li class="path-stage" data-state=format!("{:?}", s.state).to_lowercase() aria-current=current>
                            <span class="path-name">{stage_name(s.stage)}</span>
                            " "
                            <span class="ds-tag" data-color=color>{word}</span>
                            {s.date.map(|d| view! { " " <span class="path-date">{date_label(d)}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <h3 class="ds-heading" data-size="sm">{t!(i18n, path_overdue_title)}</h3>
            {if late.is_empty() {
                view! { <p class="ds-paragraph">{t!(i18n, path_overdue_none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="path-overdue">
                        {late.into_iter().map(|t| view! {
                            <li>
                                {step_label(t.step)} ", " {responsible_label(t.unit, t.district.as_deref())}
                                ", " {t!(i18n, col_due)} " " {date_label(t.effective_due())}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3 class="ds-heading" data-size="sm">{t!(i18n, next_title)}</h3>
            <p class="ds-paragraph">
                {match next_anchor {
                    Some(anchor) => view! { <a class="ds-link" href=anchor>{next_text}</a> }.into_any(),
                    None => view! { {next_text} }.into_any(),
                }}
            </p>
        </section>
    }
}

/// The way back, the heading and the flags of a plan.
#[component]
fn PlanHead(shown: Shown, whole: bool) -> impl IntoView {
    let i18n = use_i18n();
    let back = if whole {
        ("/planer", t_string!(i18n, plans_back).to_string())
    } else {
        ("/oppgaver", t_string!(i18n, tasks_back).to_string())
    };
    view! {
        <p class="back-link"><a class="ds-link" href=back.0>{back.1}</a></p>
        <h1 class="ds-heading" data-size="lg">
            {t!(i18n, plan_title)} ": " {shown.name}
        </h1>
        <p>
            {shown.returning.then(|| view! { <span class="ds-tag" data-color="warning">{t!(i18n, returning_badge)}</span> " " })}
            {shown.secret_address.then(|| view! { <span class="ds-tag" data-color="danger">{t!(i18n, secret_address_flag)}</span> " " })}
            {shown.interpreter.then(|| view! { <span class="ds-tag" data-color="info">{t!(i18n, interpreter_flag)}</span> })}
        </p>
        <FormFeedback/>
        {printed_by().map(|line| view! { <p class="print-only">{line}</p> })}
    }
}

/// The facts of a plan, as the viewer's role may see them.
#[component]
fn PlanFacts(shown: Shown) -> impl IntoView {
    let i18n = use_i18n();
    let handover = shown.handover.map(|(started, ended)| {
        view! {
            <dt>{t!(i18n, handover_title)}</dt>
            <dd>{match (started, ended) {
                (_, Some(ended)) => format!("{} {}", t_string!(i18n, handover_ended), timestamp_date(&ended)),
                (Some(started), None) => format!("{} {}", t_string!(i18n, handover_started), timestamp_date(&started)),
                (None, None) => t_string!(i18n, handover_not_started).to_string(),
            }}</dd>
        }
    });
    let children = shown.children;
    view! {
        <section aria-labelledby="plan-facts">
            <h2 class="ds-heading" data-size="md" id="plan-facts">{t!(i18n, plan_facts)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, field_birth_year)}</dt><dd>{shown.birth_year}</dd>
                {shown.gender.map(|g| view! { <dt>{t!(i18n, field_gender)}</dt><dd>{gender_label(g)}</dd> })}
                {shown.case_reference.map(|c| view! { <dt>{t!(i18n, field_case_reference)}</dt><dd>{c}</dd> })}
                <dt>{t!(i18n, field_arrival)}</dt><dd>{date_label(shown.arrival)}</dd>
                {shown.referral.map(|r| view! { <dt>{t!(i18n, field_referral)}</dt><dd>{referral_label(r)}</dd> })}
                <dt>{t!(i18n, field_home)}</dt><dd>{shown.home_name}</dd>
                <dt>{t!(i18n, col_target_district)}</dt><dd>{shown.target.unwrap_or_else(|| t_string!(i18n, target_same).to_string())}</dd>
                {handover}
                <dt>{t!(i18n, col_children)}</dt><dd>{if children.is_empty() { "—".to_owned() } else { children }}</dd>
                <dt>{t!(i18n, field_language)}</dt><dd>{shown.language.unwrap_or_else(|| "—".into())}</dd>
                <dt>{t!(i18n, field_planned_move_out)}</dt><dd>{shown.planned_move_out.map(date_label).unwrap_or_else(|| "—".into())}</dd>
                {shown.ready_on.map(|d| view! { <dt>{t!(i18n, field_ready_on)}</dt><dd>{date_label(d)}</dd> })}
                {shown.move_out.map(|d| view! { <dt>{t!(i18n, field_move_out)}</dt><dd>{date_label(d)}</dd> })}
                {shown.outcome.map(|o| view! { <dt>{t!(i18n, field_outcome)}</dt><dd>{outcome_label(o)}</dd> })}
                {shown.expected_outcome.map(|o| view! { <dt>{t!(i18n, field_expected_outcome)}</dt><dd>{outcome_label(o)}</dd> })}
                {shown.main_coordinator.map(|m| view! { <dt>{t!(i18n, field_main_coordinator)}</dt><dd>{m}</dd> })}
                <dt>{t!(i18n, plan_routine_version)}</dt><dd>{shown.routine_version}</dd>
            </dl>
        </section>
    }
}

/// The plan's tasks: all of them for staff, the caseworker's unit's for a caseworker; and the
/// form to report a deviation on one of them.
#[component]
fn PlanTasks(tasks: Vec<TaskRow>, whole: bool, stay: i64) -> impl IntoView {
    let i18n = use_i18n();
    let report = (!tasks.is_empty()).then(|| view! { <PlanDeviation tasks=tasks.clone() stay/> });
    view! {
        <section aria-labelledby="plan-tasks">
            <h2 class="ds-heading" data-size="md" id="plan-tasks">
                {if whole { t_string!(i18n, plan_tasks).to_string() } else { t_string!(i18n, plan_tasks_unit).to_string() }}
            </h2>
            <TaskTable tasks show_resident=false link_all=!whole link_center=whole/>
        </section>
        {report}
    }
}

/// Reporting a deviation from the plan: a step of the plan the person reaches (every one for
/// crisis center staff, their unit's for a caseworker), chosen from an empty select, and what
/// happened. A refusal comes back to the plan page.
#[component]
fn PlanDeviation(tasks: Vec<TaskRow>, stay: i64) -> impl IntoView {
    let i18n = use_i18n();
    use crate::components::labels::{responsible_label, step_label};
    let d = Typed::of(
        &crate::routes::api(crate::api::deviations::OPEN_DEVIATION),
        &[("plan", &stay.to_string())],
    );
    view! {
        <section class="print-hide" aria-labelledby="plan-deviation">
            <h2 class="ds-heading" data-size="md" id="plan-deviation">{t!(i18n, deviation_report_title)}</h2>
            <details class="disclosure" open=d.is_kept()>
                <summary>{t!(i18n, deviation_plan_summary)}</summary>
                <p class="ds-paragraph" id="plan-deviation-help">{t!(i18n, deviation_report_help)}</p>
                <form class="form" method="post" action=crate::routes::api(crate::api::deviations::OPEN_DEVIATION) aria-describedby="plan-deviation-help">
                    <input type="hidden" name="plan" value=stay/>
                    <div class="ds-field">
                        <label class="ds-label" for="plan-deviation-task">{t!(i18n, deviation_plan_step)}</label>
                        <select class="ds-input" id="plan-deviation-task" name="task" required aria-invalid=d.aria_invalid("task") aria-describedby=d.described_by("task", None)>
                            <option value="" selected=!d.is_kept()>{t!(i18n, choose)}</option>
                            {tasks.into_iter().map(|t| {
                                let name = format!(
                                    "{} – {}",
                                    step_label(t.step),
                                    responsible_label(t.unit, t.district.as_deref())
                                );
                                let is = d.selected("task", &t.id.0.to_string(), false);
                                view! { <option value=t.id.0 selected=is>{name}</option> }
                            }).collect_view()}
                        </select>
                        <FieldError typed=d.clone() name="task"/>
                    </div>
                    <crate::pages::deviations::DeviationNoteField id="plan-deviation-note" typed=d.clone()/>
                    <button class="ds-button" data-variant="secondary" type="submit">{t!(i18n, deviation_report_submit)}</button>
                </form>
            </details>
        </section>
    }
}

/// What is known of a planned exit meeting: when, held or not, who was invited and came, and
/// (for staff) the summary.
#[component]
fn MeetingKnown(
    starts_at: String,
    repeated_hour: bool,
    held: bool,
    services: Vec<MeetingService>,
    summary: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="ds-paragraph">
            {t!(i18n, field_starts_at)} ": " {crate::components::dates::local_time_label(&starts_at)}
            {repeated_hour.then(|| view! { " " {t!(i18n, exit_meeting_repeated_hour)} })}
            {held.then(|| view! { " " <span class="ds-tag" data-color="success">{t!(i18n, exit_meeting_held)}</span> })}
        </p>
        <ul class="attendance">
            {services.iter().map(|s| view! { <li>{s.name.clone()} ": " {attendance_label(s.attendance)}</li> }).collect_view()}
        </ul>
        {summary.map(|s| view! { <p class="ds-paragraph">{s}</p> })}
    }
}

/// The exit meeting as a caseworker sees it: what is known, without forms.
#[component]
fn UnitExitMeeting(meeting: Option<UnitMeetingView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="avsluttende-mote">
            <h2 class="ds-heading" data-size="md" id="avsluttende-mote">{t!(i18n, exit_meeting_title)}</h2>
            {match meeting {
                Some(m) => view! {
                    <MeetingKnown starts_at=m.starts_at repeated_hour=m.starts_in_repeated_hour
                        held=m.held services=m.services summary=None/>
                }.into_any(),
                None => view! { <p class="ds-paragraph">{t!(i18n, exit_meeting_none)}</p> }.into_any(),
            }}
        </section>
    }
}

/// The exit meeting for staff: what is known, and the forms to plan and record it.
#[component]
fn ExitMeeting(plan: PlanDetail, next: crate::domain::plan_path::NextAction) -> impl IntoView {
    let i18n = use_i18n();
    let stay = plan.stay.to_string();
    let version = plan.version.to_string();
    let meeting = plan.exit_meeting.clone();
    let known = meeting.clone().map(|m| {
        view! {
            <MeetingKnown starts_at=m.starts_at repeated_hour=m.starts_in_repeated_hour
                held=m.held services=m.services summary=m.summary/>
        }
    });
    let open = plan.move_out.is_none() && !meeting.as_ref().is_some_and(|m| m.held);
    let held = Typed::of(&crate::routes::api(RECORD_EXIT_MEETING), &[("stay", &stay)]);
    let planned = Typed::of(&crate::routes::api(PLAN_EXIT_MEETING), &[("stay", &stay)]);
    // The forms are behind a disclosure, open when the meeting is the next step or a form came
    // back refused.
    let shown = matches!(
        next,
        crate::domain::plan_path::NextAction::PlanExitMeeting
            | crate::domain::plan_path::NextAction::RecordExitMeeting
    ) || held.is_kept()
        || planned.is_kept();
    let record = meeting.filter(|m| open && !m.held).map(|m| {
        let (stay, version) = (stay.clone(), version.clone());
        let t = held.clone();
        view! {
            <form class="form" method="post" action=crate::routes::api(RECORD_EXIT_MEETING)>
                <input type="hidden" name="stay" value=stay/>
                <input type="hidden" name="version" value=version/>
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{t!(i18n, field_attendance)}</legend>
                    {m.services.into_iter().map(|s| {
                        let id = format!("attendance-{}", s.service);
                        let name = format!("attendance[{}]", s.service);
                        let t = t.clone();
                        view! {
                            <div class="ds-field">
                                <label class="ds-label" for=id.clone()>{s.name}</label>
                                <select class="ds-input" id=id name=name.clone() required aria-invalid=t.aria_invalid("attendance") aria-describedby=t.described_by("attendance", None)>
                                    <option value="" selected=!t.is_kept()>{t!(i18n, choose)}</option>
                                    {[Attendance::Attended, Attendance::Excused, Attendance::Absent].into_iter().map(|a| view! {
                                        <option value=a.as_str() selected=t.selected(&name, a.as_str(), false)>{attendance_label(a)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        }
                    }).collect_view()}
                    <FieldError typed=t.clone() name="attendance"/>
                </fieldset>
                <div class="ds-field">
                    <label class="ds-label" for="meeting-summary">{t!(i18n, field_summary)}</label>
                    <textarea class="ds-input" id="meeting-summary" name="summary" rows="3" maxlength=limits::SUMMARY
                        aria-invalid=t.aria_invalid("summary") aria-describedby=t.described_by("summary", None)>{t.text("summary", "")}</textarea>
                    <FieldError typed=t.clone() name="summary"/>
                </div>
                <FieldError typed=t.clone() name="meeting_held"/>
                <button class="ds-button" type="submit">{t!(i18n, exit_meeting_record)}</button>
            </form>
        }
    });
    let schedule = open.then(|| view! {
        <form class="form" method="post" action=crate::routes::api(PLAN_EXIT_MEETING)>
            <input type="hidden" name="stay" value=stay.clone()/>
            <input type="hidden" name="version" value=version.clone()/>
            <div class="ds-field">
                <label class="ds-label" for="meeting-starts-at">{t!(i18n, field_starts_at)}</label>
                <input class="ds-input" id="meeting-starts-at" name="starts_at" type="datetime-local" required
                    value=planned.text("starts_at", "") aria-invalid=planned.aria_invalid("starts_at") aria-describedby=planned.described_by("starts_at", None)/>
                <FieldError typed=planned.clone() name="starts_at"/>
            </div>
            <fieldset class="ds-fieldset">
                <legend class="ds-label">{t!(i18n, field_invited)}</legend>
                {ServiceKind::STANDARD.into_iter().map(|k| {
                    let id = format!("invite-{}", k.as_str());
                    let name = format!("invited[{}]", k.as_str());
                    let checked = planned.checked(&name, true);
                    view! {
                        <div class="ds-field checkbox">
                            <input class="ds-input" type="checkbox" id=id.clone() name=name value="1" checked=checked/>
                            <label class="ds-label" for=id>{service_label(k)}</label>
                        </div>
                    }
                }).collect_view()}
                <FieldError typed=planned.clone() name="invited"/>
            </fieldset>
            <button class="ds-button" data-variant="secondary" type="submit">{t!(i18n, exit_meeting_plan)}</button>
        </form>
    });
    view! {
        <section aria-labelledby="avsluttende-mote">
            <h2 class="ds-heading" data-size="md" id="avsluttende-mote">{t!(i18n, exit_meeting_title)}</h2>
            {match known {
                Some(known) => known.into_any(),
                None => view! { <p class="ds-paragraph">{t!(i18n, exit_meeting_none)}</p> }.into_any(),
            }}
            {open.then(|| view! {
                <details class="disclosure print-hide" open=shown>
                    <summary>{t!(i18n, form_show_meeting)}</summary>
                    {record}
                    {schedule}
                </details>
            })}
        </section>
    }
}

/// The forms crisis center staff use along the path.
#[component]
fn StaffForms(
    plan: PlanDetail,
    districts: Vec<DistrictSummary>,
    next: crate::domain::plan_path::NextAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let stay = plan.stay.to_string();
    let version = plan.version.to_string();
    let hidden = move || {
        view! {
            <input type="hidden" name="stay" value=stay.clone()/>
            <input type="hidden" name="version" value=version.clone()/>
        }
    };
    let moved_out = plan.move_out.is_some();
    let has_children = !plan.children.is_empty();
    let key = plan.stay.to_string();
    let of = |action: &str| Typed::of(&crate::routes::api(action), &[("stay", &key)]);
    let (u, c, r, m) = (
        of(UPDATE_PLAN),
        of(ADD_CHILD),
        of(RECORD_CONCERN),
        of(MOVE_OUT),
    );
    // Each form is behind a disclosure, open when it is the next step or it came back refused.
    use crate::domain::plan_path::NextAction;
    let open_edit = next == NextAction::Facts || u.is_kept() || c.is_kept();
    let open_concern = next == NextAction::ConcernReport || r.is_kept();
    let open_move_out = next == NextAction::MoveOut || m.is_kept();
    view! {
        {(!moved_out).then(|| view! {
            <section class="print-hide" aria-labelledby="plan-edit">
                <h2 class="ds-heading" data-size="md" id="plan-edit">{t!(i18n, plan_edit)}</h2>
                <details class="disclosure" open=open_edit>
                <summary>{t!(i18n, form_show_edit)}</summary>
                <form class="form" method="post" action=crate::routes::api(UPDATE_PLAN)>
                    {hidden()}
                    <div class="ds-field">
                        <label class="ds-label" for="plan-target">{t!(i18n, field_target)}</label>
                        <DistrictSelect id="plan-target" name="target" districts=districts.clone() selected=plan.target.map(|d| d.0) empty=t_string!(i18n, target_same).to_string() typed=u.clone()/>
                    </div>
                    <TargetReasonSelect selected=plan.target_reason typed=u.clone()/>
                    <div class="ds-field">
                        <label class="ds-label" for="plan-planned-move-out">{t!(i18n, field_planned_move_out)}</label>
                        <input class="ds-input" id="plan-planned-move-out" name="planned_move_out" type="date"
                            value=u.text("planned_move_out", plan.planned_move_out.map(date_text).unwrap_or_default())
                            aria-invalid=u.aria_invalid("planned_move_out") aria-describedby=u.described_by("planned_move_out", None)/>
                        <FieldError typed=u.clone() name="planned_move_out"/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="plan-ready-on">{t!(i18n, field_ready_on)}</label>
                        <p class="ds-paragraph" data-size="sm" id="plan-ready-on-help">{t!(i18n, field_ready_on_help)}</p>
                        <input class="ds-input" id="plan-ready-on" name="ready_on" type="date"
                            aria-describedby=u.described_by("ready_on", Some("plan-ready-on-help")) aria-invalid=u.aria_invalid("ready_on")
                            value=u.text("ready_on", plan.ready_on.map(date_text).unwrap_or_default())/>
                        <FieldError typed=u.clone() name="ready_on"/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="plan-expected-outcome">{t!(i18n, field_expected_outcome)}</label>
                        <p class="ds-paragraph" data-size="sm" id="plan-expected-outcome-help">{t!(i18n, field_expected_outcome_help)}</p>
                        <select class="ds-input" id="plan-expected-outcome" name="expected_outcome"
                            aria-describedby=u.described_by("expected_outcome", Some("plan-expected-outcome-help")) aria-invalid=u.aria_invalid("expected_outcome")>
                            <option value="" selected=u.selected("expected_outcome", "", plan.expected_outcome.is_none())>{t!(i18n, expected_outcome_unknown)}</option>
                            {Outcome::ALL.iter().map(|o| view! {
                                <option value=o.as_str() selected=u.selected("expected_outcome", o.as_str(), plan.expected_outcome == Some(*o))>{outcome_label(*o)}</option>
                            }).collect_view()}
                        </select>
                        <FieldError typed=u.clone() name="expected_outcome"/>
                    </div>
                    <div class="ds-field checkbox">
                        <input class="ds-input" type="checkbox" id="plan-secret" name="secret_address" value="1" checked=u.checked("secret_address", plan.secret_address)/>
                        <label class="ds-label" for="plan-secret">{t!(i18n, field_secret_address)}</label>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="plan-language">{t!(i18n, field_language)}</label>
                        <input class="ds-input" id="plan-language" name="language" autocomplete="off" maxlength=limits::LANGUAGE
                            value=u.text("language", plan.language.clone().unwrap_or_default())
                            aria-invalid=u.aria_invalid("language") aria-describedby=u.described_by("language", None)/>
                        <FieldError typed=u.clone() name="language"/>
                    </div>
                    <div class="ds-field checkbox">
                        <input class="ds-input" type="checkbox" id="plan-interpreter" name="interpreter" value="1" checked=u.checked("interpreter", plan.interpreter)/>
                        <label class="ds-label" for="plan-interpreter">{t!(i18n, field_interpreter)}</label>
                    </div>
                    <button class="ds-button" type="submit">{t!(i18n, save)}</button>
                </form>
                <form class="form form--inline" method="post" action=crate::routes::api(ADD_CHILD)>
                    {hidden()}
                    <div class="ds-field">
                        <label class="ds-label" for="plan-child">{t!(i18n, field_child_birth_year)}</label>
                        <input class="ds-input" id="plan-child" name="birth_year" inputmode="numeric" pattern="[0-9]{4}" autocomplete="off" required
                            value=c.text("birth_year", "") aria-invalid=c.aria_invalid("birth_year") aria-describedby=c.described_by("birth_year", None)/>
                        <FieldError typed=c.clone() name="birth_year"/>
                    </div>
                    <button class="ds-button" data-variant="secondary" type="submit">{t!(i18n, plan_add_child)}</button>
                </form>
                </details>
            </section>
        })}
        <section aria-labelledby="plan-concern">
            <h2 class="ds-heading" data-size="md" id="plan-concern">{t!(i18n, plan_concern_title)}</h2>
            {if has_children {
                view! {
                    <details class="disclosure print-hide" open=open_concern>
                    <summary>{t!(i18n, form_show_concern)}</summary>
                    <form class="form" method="post" action=crate::routes::api(RECORD_CONCERN)>
                        {hidden()}
                        <div class="ds-field">
                            <label class="ds-label" for="concern-registered">{t!(i18n, field_concern_registered)}</label>
                            <input class="ds-input" id="concern-registered" name="concern_registered" type="date" required
                                value=r.text("concern_registered", plan.concern_registered.map(date_text).unwrap_or_default())
                                aria-invalid=r.aria_invalid("concern_registered") aria-describedby=r.described_by("concern_registered", None)/>
                            <FieldError typed=r.clone() name="concern_registered"/>
                        </div>
                        <div class="ds-field">
                            <label class="ds-label" for="concern-sent">{t!(i18n, field_report_sent)}</label>
                            <input class="ds-input" id="concern-sent" name="report_sent" type="date"
                                value=r.text("report_sent", plan.report_sent.map(date_text).unwrap_or_default())
                                aria-invalid=r.aria_invalid("report_sent") aria-describedby=r.described_by("report_sent", None)/>
                            <FieldError typed=r.clone() name="report_sent"/>
                        </div>
                        <p class="ds-paragraph">
                            {t!(i18n, field_report_received)} ": "
                            {match plan.report_received {
                                Some(d) => date_label(d),
                                None => t_string!(i18n, report_received_pending).to_string(),
                            }}
                        </p>
                        <p class="ds-paragraph" data-size="sm">{t!(i18n, concern_sent_help)}</p>
                        <p class="ds-paragraph" data-size="sm">{t!(i18n, concern_without_consent)}</p>
                        {plan.review_concluded.map(|d| view! { <p class="ds-paragraph">{t!(i18n, field_review_concluded)} ": " {date_label(d)}</p> })}
                        <button class="ds-button" type="submit">{t!(i18n, save)}</button>
                    </form>
                    </details>
                }.into_any()
            } else {
                view! { <p class="ds-paragraph">{t!(i18n, concern_needs_children)}</p> }.into_any()
            }}
        </section>
        {(!moved_out).then(|| view! {
            <section class="print-hide" aria-labelledby="plan-move-out">
                <h2 class="ds-heading" data-size="md" id="plan-move-out">{t!(i18n, move_out_title)}</h2>
                <details class="disclosure" open=open_move_out>
                <summary>{t!(i18n, form_show_move_out)}</summary>
                <p class="ds-paragraph" id="move-out-help">{t!(i18n, move_out_help)}</p>
                <form class="form" method="post" action=crate::routes::api(MOVE_OUT) aria-describedby="move-out-help">
                    {hidden()}
                    <div class="ds-field">
                        <label class="ds-label" for="move-out-date">{t!(i18n, field_move_out)}</label>
                        <input class="ds-input" id="move-out-date" name="move_out" type="date" required
                            value=m.text("move_out", "") aria-invalid=m.aria_invalid("move_out") aria-describedby=m.described_by("move_out", None)/>
                        <FieldError typed=m.clone() name="move_out"/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="move-out-outcome">{t!(i18n, field_outcome)}</label>
                        <select class="ds-input" id="move-out-outcome" name="outcome" required aria-invalid=m.aria_invalid("outcome") aria-describedby=m.described_by("outcome", None)>
                            <option value="" selected=!m.is_kept()>{t!(i18n, choose)}</option>
                            {Outcome::ALL.iter().map(|o| view! { <option value=o.as_str() selected=m.selected("outcome", o.as_str(), false)>{outcome_label(*o)}</option> }).collect_view()}
                        </select>
                        <FieldError typed=m.clone() name="outcome"/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="move-out-coordinator">{t!(i18n, field_main_coordinator)}</label>
                        <select class="ds-input" id="move-out-coordinator" name="main_coordinator" required aria-invalid=m.aria_invalid("main_coordinator") aria-describedby=m.described_by("main_coordinator", None)>
                            <option value="" selected=!m.is_kept()>{t!(i18n, choose)}</option>
                            {plan.services.iter().map(|s| {
                                let value = s.service.to_string();
                                let is = m.selected("main_coordinator", &value, false);
                                view! { <option value=value selected=is>{s.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                        <FieldError typed=m.clone() name="main_coordinator"/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="move-out-reason">{t!(i18n, field_no_exit_meeting_reason)}</label>
                        <textarea class="ds-input" id="move-out-reason" name="no_exit_meeting_reason" rows="2" maxlength=limits::REASON
                            aria-invalid=m.aria_invalid("no_exit_meeting_reason") aria-describedby=m.described_by("no_exit_meeting_reason", None)>{m.text("no_exit_meeting_reason", "")}</textarea>
                        <FieldError typed=m.clone() name="no_exit_meeting_reason"/>
                    </div>
                    <button class="ds-button" type="submit">{t!(i18n, move_out_submit)}</button>
                </form>
                </details>
            </section>
        })}
        <section aria-labelledby="plan-stays">
            <h2 class="ds-heading" data-size="md" id="plan-stays">{t!(i18n, other_stays_title)}</h2>
            {if plan.other_stays.is_empty() {
                view! { <p class="ds-paragraph">{t!(i18n, other_stays_none)}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {plan.other_stays.iter().map(|o| view! {
                            <li><a class="ds-link" href=crate::routes::plan(o.stay)>{t!(i18n, col_arrival)} " " {date_label(o.arrival)}</a>
                                {o.outcome.map(|out| view! { ", " {outcome_label(out)} })}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!plan.merges.is_empty()).then(|| view! {
                <h3 class="ds-heading" data-size="sm">{t!(i18n, merges_title)}</h3>
                <ul>
                    {plan.merges.iter().map(|m| view! {
                        <li>
                            <form class="form form--inline" method="post" action=crate::routes::api(UNLINK_STAY)>
                                {hidden()}
                                <input type="hidden" name="merge" value=m.merge.to_string()/>
                                {t!(i18n, merge_line)} " " {m.at.get(..10).unwrap_or_default().to_owned()} ", " {m.by.clone()} ": "
                                {m.stays.iter().map(|s| view! {
                                    <a class="ds-link" href=crate::routes::plan(s)>{format!("#{s}")}</a> " "
                                }).collect_view()}
                                <button class="ds-button" data-variant="secondary" type="submit">{t!(i18n, unlink_stay)}</button>
                            </form>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(!plan.possible_matches.is_empty()).then(|| view! {
                <h3 class="ds-heading" data-size="sm">{t!(i18n, possible_matches_title)}</h3>
                <ul>
                    {plan.possible_matches.iter().map(|o| view! {
                        <li>
                            <form class="form form--inline" method="post" action=crate::routes::api(LINK_STAY)>
                                {hidden()}
                                <input type="hidden" name="other" value=o.stay.to_string()/>
                                <a class="ds-link" href=crate::routes::plan(o.stay)>{t!(i18n, col_arrival)} " " {date_label(o.arrival)}</a>
                                " "
                                <button class="ds-button" data-variant="secondary" type="submit">{t!(i18n, link_stay)}</button>
                            </form>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
