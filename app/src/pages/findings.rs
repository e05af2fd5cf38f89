//! Audit findings on a district's internal-control page (and, without forms, on its compliance
//! report and print view): each finding with its closure plan (steps, owners, deadlines, overdue
//! in words), the forms to record a finding, add a step, mark a step done and close a finding
//! for those who may, and the history. The unit's open steps in its inbox.

use crate::api::findings::{
    ADD_FINDING_STEP, CLOSE_FINDING, RECORD_FINDING, SET_FINDING_STEP, read_district_findings,
    read_open_findings, read_unit_finding_steps,
};
use crate::api::internal_control::district_control_page;
use crate::components::dates::date_label;
use crate::components::directory_forms::TextField;
use crate::components::kept::{FieldError, Typed};
use crate::components::labels::service_label;
use crate::components::messages::ErrorMessage;
use crate::domain::ServiceKind;
use crate::domain::finding::{
    ClosureStep, DistrictFindings, Finding, FindingEventKind, InboxStep, OpenFindings, StepStatus,
};
use crate::i18n::*;
use leptos::prelude::*;
use time::Date;

fn step_state(step: &ClosureStep, today: Date) -> (String, &'static str) {
    let i18n = use_i18n();
    match step.status {
        StepStatus::Done => (
            t_string!(
                i18n,
                finding_step_done_on,
                date = step.done_on.map(date_label).unwrap_or_default()
            )
            .to_string(),
            "state-adopted",
        ),
        StepStatus::Open if step.overdue(today) => (
            t_string!(i18n, finding_step_overdue).to_string(),
            "state-overdue",
        ),
        StepStatus::Open => (
            t_string!(i18n, finding_step_open).to_string(),
            "state-draft",
        ),
    }
}

fn event_label(what: FindingEventKind) -> String {
    let i18n = use_i18n();
    match what {
        FindingEventKind::Recorded => t_string!(i18n, finding_event_recorded),
        FindingEventKind::StepAdded => t_string!(i18n, finding_event_step_added),
        FindingEventKind::StepDone => t_string!(i18n, finding_event_step_done),
        FindingEventKind::StepReopened => t_string!(i18n, finding_event_step_reopened),
        FindingEventKind::Closed => t_string!(i18n, finding_event_closed),
    }
    .to_string()
}

/// A district's findings. `print`: the compliance report's reading (open findings only, no
/// forms, no history).
#[component]
pub fn FindingsSection(slug: String, #[prop(optional)] print: bool) -> impl IntoView {
    let i18n = use_i18n();
    let page = OnceResource::new(read_district_findings(slug.clone()));
    view! {
        <h2 class="ds-heading" data-size="md" id="tilsynsfunn">{t!(i18n, finding_title)}</h2>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <Findings page slug print/> }.into_any(),
                        Err(error) if print && error.code == crate::domain::ErrorCode::Forbidden => ().into_any(),
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Findings(page: DistrictFindings, slug: String, print: bool) -> impl IntoView {
    let i18n = use_i18n();
    let today = page.today;
    let district = page.district.0.to_string();
    let shown: Vec<Finding> = page
        .findings
        .iter()
        .filter(|f| !print || f.is_open())
        .cloned()
        .collect();
    let record = (page.may_record && !print)
        .then(|| view! { <RecordFindingForm district=district.clone() slug=slug.clone()/> });
    let list = if shown.is_empty() {
        view! { <p class="ds-paragraph">{t!(i18n, finding_none)}</p> }.into_any()
    } else {
        shown
            .into_iter()
            .map(|finding| {
                view! {
                    <FindingView finding today slug=slug.clone() print
                        may_record=page.may_record may_plan=page.may_plan
                        may_complete=page.may_complete.clone()/>
                }
            })
            .collect_view()
            .into_any()
    };
    let history = (!print && !page.history.is_empty()).then(|| {
        let rows = page
            .history
            .iter()
            .map(|h| {
                view! {
                    <tr>
                        <td data-label=t_string!(i18n, control_col_when).to_string()>{h.at.clone()}</td>
                        <td data-label=t_string!(i18n, finding_col_finding).to_string()>{format!("#{}", h.finding.0)}</td>
                        <td data-label=t_string!(i18n, finding_col_what).to_string()>{event_label(h.what)}</td>
                        <td data-label=t_string!(i18n, control_col_by).to_string()>{h.by.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <details class="editor">
                <summary>{t!(i18n, finding_history)}</summary>
                <div class="table-scroll">
                    <table class="ds-table stack" data-size="sm">
                        <thead><tr>
                            <th scope="col">{t!(i18n, control_col_when)}</th>
                            <th scope="col">{t!(i18n, finding_col_finding)}</th>
                            <th scope="col">{t!(i18n, finding_col_what)}</th>
                            <th scope="col">{t!(i18n, control_col_by)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
        }
    });
    view! {
        {record}
        {list}
        {history}
    }
}

#[component]
fn FindingView(
    finding: Finding,
    today: Date,
    slug: String,
    print: bool,
    may_record: bool,
    may_plan: bool,
    may_complete: Vec<ServiceKind>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = finding.is_open();
    let overdue = finding.overdue_steps(today);
    let status = match finding.closed_on {
        Some(date) => t_string!(i18n, finding_closed_on, date = date_label(date)).to_string(),
        None if overdue > 0 => t_string!(i18n, finding_open_overdue, count = overdue).to_string(),
        None => t_string!(i18n, finding_open).to_string(),
    };
    let steps = if finding.steps.is_empty() {
        view! { <p class="ds-paragraph">{t!(i18n, finding_no_steps)}</p> }.into_any()
    } else {
        let rows = finding
            .steps
            .iter()
            .map(|step| {
                let (state, class) = step_state(step, today);
                let action = (open && !print && may_complete.contains(&step.service))
                    .then(|| view! { <StepButton step=step.clone() slug=slug.clone() from=""/> });
                view! {
                    <tr>
                        <td data-label=t_string!(i18n, finding_col_owner).to_string()>{service_label(step.service)}</td>
                        <td data-label=t_string!(i18n, finding_col_step).to_string()>{step.text.clone()}</td>
                        <td data-label=t_string!(i18n, finding_col_due).to_string()>{date_label(step.due_on)}</td>
                        <td data-label=t_string!(i18n, control_col_status).to_string() class=format!("control-cell {class}")>{state}</td>
                        {(!print).then(|| view! { <td>{action}</td> })}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="ds-table stack finding-steps" data-size="sm">
                    <caption>{t!(i18n, finding_plan)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, finding_col_owner)}</th>
                        <th scope="col">{t!(i18n, finding_col_step)}</th>
                        <th scope="col">{t!(i18n, finding_col_due)}</th>
                        <th scope="col">{t!(i18n, control_col_status)}</th>
                        {(!print).then(|| view! { <th scope="col"><span class="ds-sr-only">{t!(i18n, finding_col_action)}</span></th> })}
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let id = finding.id.0.to_string();
    let add = (open && may_plan && !print)
        .then(|| view! { <AddStepForm finding=id.clone() slug=slug.clone()/> });
    let close = (open && may_record && !print).then(|| {
        view! { <CloseFindingForm finding=id.clone() version=finding.version.to_string() slug=slug.clone()/> }
    });
    view! {
        <article class="finding" id=format!("funn-{id}")>
            <h3 class="ds-heading" data-size="sm">
                {t!(i18n, finding_heading, date = date_label(finding.found_on))} " – " {finding.legal_basis.clone()}
            </h3>
            <p class="ds-paragraph"><strong>{status}</strong></p>
            <p class="ds-paragraph pre-line">{finding.text.clone()}</p>
            {finding.closing_note.clone().map(|note| view! {
                <p class="ds-paragraph pre-line">{t!(i18n, finding_closing_note)} ": " {note}</p>
            })}
            {steps}
            {add}
            {close}
        </article>
    }
}

/// Done (or open again) for one step; `from` = "innboks" brings the caseworker back to the inbox.
#[component]
fn StepButton(step: ClosureStep, slug: String, from: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let done = step.status == StepStatus::Open;
    view! {
        <form method="post" action=crate::routes::api(SET_FINDING_STEP)>
            <input type="hidden" name="step" value=step.id.0.to_string()/>
            <input type="hidden" name="version" value=step.version.to_string()/>
            <input type="hidden" name="slug" value=slug/>
            <input type="hidden" name="from" value=from/>
            <input type="hidden" name="done" value=if done { "1" } else { "0" }/>
            <button class="ds-button" data-size="sm" data-variant=if done { "primary" } else { "tertiary" } type="submit">
                {if done { t_string!(i18n, finding_step_mark_done) } else { t_string!(i18n, finding_step_reopen) }}
                <span class="ds-sr-only">": " {step.text.clone()}</span>
            </button>
        </form>
    }
}

#[component]
fn RecordFindingForm(district: String, slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = Typed::of(
        &crate::routes::api(RECORD_FINDING),
        &[("district", &district)],
    );
    view! {
        <details class="editor" open=t.is_kept()>
            <summary>{t!(i18n, finding_record)}</summary>
            <form class="form" method="post" action=crate::routes::api(RECORD_FINDING)>
                <input type="hidden" name="district" value=district/>
                <input type="hidden" name="slug" value=slug/>
                <TextField id="finding-found-on".into() name="found_on" kind="date" required=true label=t_string!(i18n, field_found_on).to_string() typed=t.clone()/>
                <TextField id="finding-legal-basis".into() name="legal_basis" required=true label=t_string!(i18n, field_legal_basis).to_string() typed=t.clone()/>
                <p class="ds-paragraph" data-size="sm">{t!(i18n, finding_legal_basis_hint)}</p>
                <div class="ds-field">
                    <label class="ds-label" for="finding-text">{t!(i18n, field_finding_text)}</label>
                    <textarea class="ds-input" id="finding-text" name="finding_text" rows="4" required maxlength="4000"
                        aria-invalid=t.aria_invalid("finding_text") aria-describedby=t.described_by("finding_text", None)>{t.text("finding_text", "")}</textarea>
                    <FieldError typed=t.clone() name="finding_text"/>
                </div>
                <p class="ds-paragraph" data-size="sm">{t!(i18n, finding_no_personal_data)}</p>
                <button class="ds-button" type="submit">{t!(i18n, finding_record_save)}</button>
            </form>
        </details>
    }
}

#[component]
fn AddStepForm(finding: String, slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = Typed::of(
        &crate::routes::api(ADD_FINDING_STEP),
        &[("finding", &finding)],
    );
    let prefix = format!("step-{finding}");
    let id = move |name: &str| format!("{prefix}-{name}");
    let options = ServiceKind::STANDARD
        .iter()
        .map(|&s| {
            let selected = t.selected("owner", s.as_str(), false);
            view! { <option value=s.as_str() selected=selected>{service_label(s)}</option> }
        })
        .collect_view();
    view! {
        <details class="editor" open=t.is_kept()>
            <summary>{t!(i18n, finding_add_step)}</summary>
            <form class="form" method="post" action=crate::routes::api(ADD_FINDING_STEP)>
                <input type="hidden" name="finding" value=finding.clone()/>
                <input type="hidden" name="slug" value=slug/>
                <div class="ds-field">
                    <label class="ds-label" for=id("owner")>{t!(i18n, finding_col_owner)}</label>
                    <select class="ds-input" id=id("owner") name="owner" required
                        aria-invalid=t.aria_invalid("owner") aria-describedby=t.described_by("owner", None)>
                        <option value="" selected=!t.is_kept()>{t!(i18n, finding_choose_owner)}</option>
                        {options}
                    </select>
                    <FieldError typed=t.clone() name="owner"/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for=id("text")>{t!(i18n, finding_col_step)}</label>
                    <textarea class="ds-input" id=id("text") name="step_text" rows="2" required maxlength="1000"
                        aria-invalid=t.aria_invalid("step_text") aria-describedby=t.described_by("step_text", None)>{t.text("step_text", "")}</textarea>
                    <FieldError typed=t.clone() name="step_text"/>
                </div>
                <TextField id=id("due") name="due_on" kind="date" required=true label=t_string!(i18n, finding_col_due).to_string() typed=t.clone()/>
                <button class="ds-button" type="submit">{t!(i18n, finding_add_step_save)}</button>
            </form>
        </details>
    }
}

#[component]
fn CloseFindingForm(finding: String, version: String, slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = Typed::of(&crate::routes::api(CLOSE_FINDING), &[("finding", &finding)]);
    let prefix = format!("close-{finding}");
    let id = move |name: &str| format!("{prefix}-{name}");
    view! {
        <details class="editor" open=t.is_kept()>
            <summary>{t!(i18n, finding_close)}</summary>
            <form class="form" method="post" action=crate::routes::api(CLOSE_FINDING)>
                <input type="hidden" name="finding" value=finding.clone()/>
                <input type="hidden" name="version" value=version/>
                <input type="hidden" name="slug" value=slug/>
                <TextField id=id("on") name="closed_on" kind="date" required=true label=t_string!(i18n, field_closed_on).to_string() typed=t.clone()/>
                <div class="ds-field">
                    <label class="ds-label" for=id("note")>{t!(i18n, finding_closing_note)}</label>
                    <textarea class="ds-input" id=id("note") name="closing_note" rows="3" required maxlength="4000"
                        aria-invalid=t.aria_invalid("closing_note") aria-describedby=t.described_by("closing_note", None)>{t.text("closing_note", "")}</textarea>
                    <FieldError typed=t.clone() name="closing_note"/>
                </div>
                <button class="ds-button" type="submit">{t!(i18n, finding_close_save)}</button>
            </form>
        </details>
    }
}

/// In a unit's inbox (its page carries them): the open steps of its district's findings, with
/// deadlines and overdue in words, each marked done from here.
#[component]
pub fn InboxSteps(steps: Vec<InboxStep>, today: Date) -> impl IntoView {
    let i18n = use_i18n();
    let rows = steps
        .into_iter()
        .map(|s| {
            let (state, class) = step_state(&s.step, today);
            let page = district_control_page(&s.district_slug);
            view! {
                <tr>
                    <td data-label=t_string!(i18n, finding_col_step).to_string()>{s.step.text.clone()}</td>
                    <td data-label=t_string!(i18n, finding_col_finding).to_string()>
                        <a class="ds-link" href=format!("{page}#funn-{}", s.step.finding.0)>{s.legal_basis.clone()}</a>
                    </td>
                    <td data-label=t_string!(i18n, finding_col_due).to_string()>{date_label(s.step.due_on)}</td>
                    <td data-label=t_string!(i18n, control_col_status).to_string() class=format!("control-cell {class}")>{state}</td>
                    <td><StepButton step=s.step slug=s.district_slug from="innboks"/></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 class="ds-heading" data-size="sm" id="tilsynstiltak">{t!(i18n, finding_inbox_title)}</h2>
        <p class="ds-paragraph">{t!(i18n, finding_inbox_intro)}</p>
        <div class="table-scroll">
            <table class="ds-table stack finding-steps" data-size="sm">
                <thead><tr>
                    <th scope="col">{t!(i18n, finding_col_step)}</th>
                    <th scope="col">{t!(i18n, finding_col_finding)}</th>
                    <th scope="col">{t!(i18n, finding_col_due)}</th>
                    <th scope="col">{t!(i18n, control_col_status)}</th>
                    <th scope="col"><span class="ds-sr-only">{t!(i18n, finding_col_action)}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// On `/internkontroll`: every district's open findings side by side, each with how far its
/// closure plan has come and its overdue steps named (owner, step, deadline).
#[component]
pub fn OpenFindingsSection() -> impl IntoView {
    let i18n = use_i18n();
    let open = OnceResource::new(read_open_findings());
    view! {
        <h2 class="ds-heading" data-size="md" id="apne-funn">{t!(i18n, finding_open_title)}</h2>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match open.await {
                    Ok(open) if open.findings.is_empty() => view! {
                        <p class="ds-paragraph">{t!(i18n, finding_open_none)}</p>
                    }.into_any(),
                    Ok(open) => view! { <OpenFindingsTable open/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OpenFindingsTable(open: OpenFindings) -> impl IntoView {
    let i18n = use_i18n();
    let today = open.today;
    let rows = open
        .findings
        .into_iter()
        .map(|o| {
            let f = &o.finding;
            let done = f.steps.iter().filter(|s| s.status == StepStatus::Done).count();
            let overdue: Vec<ClosureStep> =
                f.steps.iter().filter(|s| s.overdue(today)).cloned().collect();
            let overdue_view = if overdue.is_empty() {
                view! { <span>{t!(i18n, finding_no_overdue)}</span> }.into_any()
            } else {
                view! {
                    <ul class="ds-list">
                        {overdue.into_iter().map(|s| view! {
                            <li class="state-overdue-text">{format!("{}: {} ({})", service_label(s.service), s.text, date_label(s.due_on))}</li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            };
            let href = format!("{}#funn-{}", district_control_page(&o.district_slug), f.id.0);
            view! {
                <tr>
                    <th scope="row" data-label=t_string!(i18n, control_col_district).to_string()>{o.district_name.clone()}</th>
                    <td data-label=t_string!(i18n, finding_col_finding).to_string()>
                        <a class="ds-link" href=href>{format!("{} – {}", date_label(f.found_on), f.legal_basis)}</a>
                    </td>
                    <td data-label=t_string!(i18n, finding_col_progress).to_string()>
                        {t_string!(i18n, finding_progress, done = done, total = f.steps.len()).to_string()}
                    </td>
                    <td data-label=t_string!(i18n, control_col_overdue_steps).to_string()>{overdue_view}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="ds-table stack open-findings" data-size="sm">
                <caption>{t!(i18n, finding_open_caption)} " " {date_label(today)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, control_col_district)}</th>
                    <th scope="col">{t!(i18n, finding_col_finding)}</th>
                    <th scope="col">{t!(i18n, finding_col_progress)}</th>
                    <th scope="col">{t!(i18n, control_col_overdue_steps)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// On a caseworker's start page: how many closure steps the unit owns and how many are past
/// their deadline, linking to them in the inbox. Nothing when it owns none.
#[component]
pub fn HomeFindingSteps() -> impl IntoView {
    let i18n = use_i18n();
    let steps = OnceResource::new(read_unit_finding_steps());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let steps = steps.await.ok().filter(|s| !s.steps.is_empty())?;
                let overdue = steps.steps.iter().filter(|s| s.step.overdue(steps.today)).count();
                Some(view! {
                    <section class="ds-card" aria-labelledby="home-finding-steps">
                        <h2 class="ds-heading" data-size="sm" id="home-finding-steps">{t!(i18n, finding_inbox_title)}</h2>
                        <p class="ds-paragraph">
                            {t_string!(i18n, finding_home_counts, open = steps.steps.len(), overdue = overdue).to_string()}
                        </p>
                        <p><a class="ds-link" href=format!("{}#tilsynstiltak", crate::routes::TASKS)>{t!(i18n, finding_home_link)}</a></p>
                    </section>
                })
            })}
        </Suspense>
    }
}
