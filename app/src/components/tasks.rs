//! The task table, shared by the inbox and the plan page: step, (resident), who is responsible,
//! the due date (with an extension), status, urgency and who has taken the task.

use crate::components::dates::date_label;
use crate::components::labels::{Memo, responsible_label, status_label, step_label, urgency_label};
use crate::domain::inbox::PlanContext;
use crate::domain::plan::TaskRow;
use crate::i18n::*;
use leptos::either::Either;
use leptos::prelude::*;

/// `show_resident`: a column with the resident (the inbox): with `context`, the resident's name
/// as text with the plan's context under it (each row then has one link, its step), else a link
/// to the plan. A task links to its page when `link_all`, or when `link_center` and it is a
/// crisis center task. With `today`, an overdue task says by how many days.
#[component]
pub fn TaskTable(
    tasks: Vec<TaskRow>,
    show_resident: bool,
    link_all: bool,
    link_center: bool,
    #[prop(optional)] today: Option<time::Date>,
    #[prop(optional)] context: Vec<PlanContext>,
) -> impl IntoView {
    let i18n = use_i18n();
    if tasks.is_empty() {
        return view! { <p class="ds-paragraph">{t!(i18n, tasks_empty)}</p> }.into_any();
    }
    let (mut steps, mut statuses, mut urgencies, mut responsible) =
        (Memo::new(), Memo::new(), Memo::new(), Memo::new());
    // On a narrow screen each row stacks its cells, each named by its column (`data-label`).
    // Shared, not copied, by the rows (a page has 50 of them, with six cells each).
    let label = |text: &str| -> std::sync::Arc<str> { text.into() };
    let (l_step, l_resident, l_responsible, l_due, l_status, l_assignee) = (
        label(t_string!(i18n, col_step)),
        label(t_string!(i18n, col_resident)),
        label(t_string!(i18n, col_responsible)),
        label(t_string!(i18n, col_due)),
        label(t_string!(i18n, col_status)),
        label(t_string!(i18n, col_assignee)),
    );
    // Each plan's context in words once, however many of its tasks the page shows.
    let context: Vec<(crate::domain::plan::StayId, String)> =
        context.iter().map(|c| (c.stay, context_text(c))).collect();
    view! {
        <table class="ds-table tasks stack" data-border="true">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, col_step)}</th>
                    {show_resident.then(|| view! { <th scope="col">{t!(i18n, col_resident)}</th> })}
                    <th scope="col">{t!(i18n, col_responsible)}</th>
                    <th scope="col">{t!(i18n, col_due)}</th>
                    <th scope="col">{t!(i18n, col_status)}</th>
                    <th scope="col">{t!(i18n, col_assignee)}</th>
                </tr>
            </thead>
            <tbody>
                {tasks.into_iter().map(|task| {
                    let (urgency, color) = urgencies.get(&task.urgency, |u| urgency_label(*u));
                    let linked = link_all || (link_center && task.unit.is_none());
                    let step = steps.get(&task.step, |s| step_label(*s));
                    let step = if linked {
                        Either::Left(view! { <a class="ds-link" href=crate::routes::task(task.id)>{step}</a> })
                    } else {
                        Either::Right(step)
                    };
                    let due = date_label(task.effective_due());
                    let extended = task.extended_to.map(|_| view! {
                        <br/><span class="ds-paragraph" data-size="sm">{t!(i18n, extended_from)} " " {date_label(task.due)}</span>
                    });
                    let late = today
                        .filter(|_| task.urgency == crate::domain::deadline::Urgency::Overdue)
                        .map(|today| (today - task.effective_due()).whole_days())
                        .filter(|&days| days > 0)
                        .map(|days| view! {
                            <br/><span class="late">{if days == 1 {
                                t_string!(i18n, day_overdue).to_string()
                            } else {
                                t_string!(i18n, days_overdue, days = days).to_string()
                            }}</span>
                        });
                    let resident = if task.withheld {
                        // No consent: the row names no one, and says why.
                        view! { <span class="ds-tag" data-color="neutral">{t!(i18n, consent_awaiting)}</span> }.into_any()
                    } else if context.is_empty() {
                        view! { <a class="ds-link" href=crate::routes::plan(task.stay)>{task.resident.clone()}</a> }.into_any()
                    } else {
                        let about = context.iter().find(|(stay, _)| *stay == task.stay).map(|(_, about)| about.clone());
                        view! {
                            {task.resident.clone()}
                            {about.map(|about| view! { <br/><span class="context">{about}</span> })}
                        }
                        .into_any()
                    };
                    view! {
                        <tr data-urgency=task.urgency_key()>
                            <td data-label=l_step.clone()>{step}</td>
                            {show_resident.then(|| view! { <td data-label=l_resident.clone()>{resident}</td> })}
                            <td data-label=l_responsible.clone()>{responsible.get(&(task.unit, task.district.clone()), |(unit, district)| {
                                responsible_label(*unit, district.as_deref())
                            })}</td>
                            <td data-label=l_due.clone()>{due}{extended}{late}</td>
                            <td data-label=l_status.clone()>
                                {statuses.get(&task.status, |s| status_label(*s))} " "
                                <span class="ds-tag" data-color=color>{urgency}</span>
                            </td>
                            <td data-label=l_assignee.clone()>{task.assignee.clone().unwrap_or_else(|| "—".into())}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A plan's context in a few words: "Kom 16.03.2026 · 2 barn · Ny bydel: Frogner".
fn context_text(context: &PlanContext) -> String {
    let i18n = use_i18n();
    let mut parts = vec![format!(
        "{} {}",
        t_string!(i18n, context_arrived),
        date_label(context.arrival)
    )];
    if context.children > 0 {
        parts.push(t_string!(i18n, context_children, n = context.children).to_string());
    }
    if let Some(target) = &context.target {
        parts.push(t_string!(i18n, context_target, name = target.clone()).to_string());
    }
    parts.join(" · ")
}
