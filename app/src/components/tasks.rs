//! The task table, shared by the inbox and the plan page: step, (resident), who is responsible,
//! the due date (with an extension), status, urgency and who has taken the task.

use crate::components::labels::{Memo, responsible_label, status_label, step_label, urgency_label};
use crate::domain::plan::{TaskRow, date_text};
use crate::i18n::*;
use leptos::prelude::*;

/// `show_resident`: a column with the resident, linking to the plan (the inbox). A task links
/// to its page when `link_all`, or when `link_center` and it is a crisis center task.
#[component]
pub fn TaskTable(
    tasks: Vec<TaskRow>,
    show_resident: bool,
    link_all: bool,
    link_center: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if tasks.is_empty() {
        return view! { <p class="ds-paragraph">{t!(i18n, tasks_empty)}</p> }.into_any();
    }
    let (mut steps, mut statuses, mut urgencies, mut responsible) =
        (Memo::new(), Memo::new(), Memo::new(), Memo::new());
    view! {
        <table class="ds-table tasks" data-border="true">
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
                        view! { <a class="ds-link" href=crate::routes::task(task.id)>{step}</a> }.into_any()
                    } else {
                        view! { {step} }.into_any()
                    };
                    let due = date_text(task.effective_due());
                    let extended = task.extended_to.map(|_| view! {
                        <br/><span class="ds-paragraph" data-size="sm">{t!(i18n, extended_from)} " " {date_text(task.due)}</span>
                    });
                    view! {
                        <tr data-urgency=task.urgency_key()>
                            <td>{step}</td>
                            {show_resident.then(|| view! {
                                <td><a class="ds-link" href=crate::routes::plan(task.stay)>{task.resident.clone()}</a></td>
                            })}
                            <td>{responsible.get(&(task.unit, task.district.clone()), |(unit, district)| {
                                responsible_label(*unit, district.as_deref())
                            })}</td>
                            <td>{due}{extended}</td>
                            <td>
                                {statuses.get(&task.status, |s| status_label(*s))} " "
                                <span class="ds-tag" data-color=color>{urgency}</span>
                            </td>
                            <td>{task.assignee.clone().unwrap_or_else(|| "—".into())}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
