//! Tasks: the inbox (a caseworker's unit, or the crisis center's own tasks) with overdue first,
//! one task with its history and the forms to work it, and a district's board of counts.

use crate::api::deviations::OPEN_DEVIATION;
use crate::api::tasks::{
    Board, EXTEND_TASK, RECORD_RECEIPT, UPDATE_TASK, district_board, get_task, read_inbox,
};
use crate::components::dates::date_label;
use crate::components::feedback::FormFeedback;
use crate::components::kept::{FieldError, Typed};
use crate::components::labels::{
    event_label, responsible_label, service_label, status_label, step_label, urgency_label,
};
use crate::components::messages::ErrorMessage;
use crate::components::tasks::TaskTable;
use crate::domain::inbox::{
    DueFilter, INBOX_PAGE, InboxFilter, InboxPage, InboxSort, StepCount, Who,
};
use crate::domain::limits;
use crate::domain::plan::{TaskChange, TaskDetail, TaskStatus, date_text};
use crate::domain::routine::Step;
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/oppgaver`: the caller's inbox. An overview of the open tasks per step (each count a link to
/// that view), a filter form (a GET form: the view is in the address), the rows of the view with
/// their plan's context, fifty to a page, and the finished tasks one link away.
#[component]
pub fn TasksPage() -> impl IntoView {
    let i18n = use_i18n();
    let filter = use_query_map().with_untracked(|q| InboxFilter::from_query(|k| q.get(k)));
    let arg = |name: &str| {
        filter
            .pairs()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
            .unwrap_or_default()
    };
    let page = OnceResource::new(read_inbox(
        arg("vis"),
        arg("frist"),
        arg("steg"),
        arg("sok"),
        arg("sorter"),
        arg("ferdige"),
        arg("side"),
    ));
    view! {
        <PageTitle text=t_string!(i18n, tasks_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, tasks_title)}</h1>
        <FormFeedback/>
        <p class="ds-paragraph">{t!(i18n, tasks_intro)}</p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <Inbox page/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Inbox(page: InboxPage) -> impl IntoView {
    let i18n = use_i18n();
    let filter = page.filter.clone();
    let shown = page.rows.len();
    let first = (page.page as usize - 1) * INBOX_PAGE + usize::from(shown > 0);
    let last = first + shown.saturating_sub(1);
    let pages = page.pages();
    let other_list = InboxFilter {
        finished: !filter.finished,
        ..InboxFilter::default()
    };
    let pager = (pages > 1).then(|| {
        let prev = (page.page > 1).then(|| filter.on_page(page.page - 1).href());
        let next = (page.page < pages).then(|| filter.on_page(page.page + 1).href());
        view! {
            <nav class="pager" aria-label=t_string!(i18n, inbox_pages).to_string()>
                {prev.map(|href| view! { <a class="ds-link" href=href rel="prev">{t!(i18n, inbox_prev)}</a> })}
                <span>{t!(i18n, inbox_page, page = page.page, pages = pages)}</span>
                {next.map(|href| view! { <a class="ds-link" href=href rel="next">{t!(i18n, inbox_next)}</a> })}
            </nav>
        }
    });
    view! {
        {(!filter.finished).then(|| view! { <InboxOverview counts=page.counts.clone()/> })}
        {(!page.finding_steps.is_empty()).then(|| view! {
            <crate::pages::findings::InboxSteps steps=page.finding_steps.clone() today=page.today/>
        })}
        <InboxFilterForm filter=filter.clone() steps=page.counts.iter().map(|c| c.step).collect()/>
        <p class="ds-paragraph">
            <a class="ds-link" href=other_list.href()>
                {if filter.finished { t!(i18n, inbox_show_open).into_any() } else { t!(i18n, inbox_show_finished).into_any() }}
            </a>
        </p>
        <h2 class="ds-heading" data-size="sm" id="inbox-rows">
            {if filter.finished { t!(i18n, inbox_finished_title).into_any() } else { t!(i18n, inbox_open_title).into_any() }}
        </h2>
        <p class="ds-paragraph" role="status">
            {if page.matching == 0 {
                t_string!(i18n, inbox_none).to_string()
            } else {
                t_string!(i18n, inbox_showing, from = first, to = last, total = page.matching).to_string()
            }}
        </p>
        {(page.matching > 0).then(|| view! {
            <TaskTable tasks=page.rows.clone() show_resident=true link_all=true link_center=true
                today=page.today context=page.context.clone()/>
        })}
        {pager}
    }
}

/// The open tasks per step: how many are overdue, due soon, and open, each a link to that view.
#[component]
fn InboxOverview(counts: Vec<StepCount>) -> impl IntoView {
    let i18n = use_i18n();
    if counts.is_empty() {
        return view! { <p class="ds-paragraph">{t!(i18n, tasks_empty)}</p> }.into_any();
    }
    let link = |step, due, count: u32| {
        let href = InboxFilter {
            step: Some(step),
            due,
            ..InboxFilter::default()
        }
        .href();
        view! { <a class="ds-link" href=href>{count}</a> }
    };
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="inbox-overview">
            <table class="ds-table inbox-overview" data-border="true">
                <caption id="inbox-overview">{t!(i18n, inbox_overview)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, col_step)}</th>
                        <th scope="col">{t!(i18n, urgency_overdue)}</th>
                        <th scope="col">{t!(i18n, urgency_due_soon)}</th>
                        <th scope="col">{t!(i18n, inbox_all_open)}</th>
                    </tr>
                </thead>
                <tbody>
                    {counts.into_iter().map(|c| view! {
                        <tr>
                            <th scope="row">{step_label(c.step)}</th>
                            <td>{link(c.step, DueFilter::Overdue, c.overdue)}</td>
                            <td>{link(c.step, DueFilter::DueSoon, c.due_soon)}</td>
                            <td>{link(c.step, DueFilter::All, c.open)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The filters as a GET form: whose, which deadlines, which step, a name, and the order.
#[component]
fn InboxFilterForm(filter: InboxFilter, steps: Vec<Step>) -> impl IntoView {
    let i18n = use_i18n();
    let option = |value: &'static str, label: String, selected: bool| {
        view! { <option value=value selected=selected>{label}</option> }
    };
    let mut steps = steps;
    if let Some(step) = filter.step
        && !steps.contains(&step)
    {
        steps.push(step);
    }
    view! {
        <form class="form log-filter inbox-filter" method="get" action="/oppgaver" role="search" aria-label=t_string!(i18n, inbox_filter).to_string()>
            {filter.finished.then(|| view! { <input type="hidden" name="ferdige" value="1"/> })}
            <div class="ds-field">
                <label class="ds-label" for="inbox-who">{t!(i18n, inbox_who)}</label>
                <select class="ds-input" id="inbox-who" name="vis">
                    {option("", t_string!(i18n, inbox_who_all).to_string(), filter.who == Who::All)}
                    {option("mine", t_string!(i18n, inbox_who_mine).to_string(), filter.who == Who::Mine)}
                    {option("ledige", t_string!(i18n, inbox_who_free).to_string(), filter.who == Who::Unassigned)}
                </select>
            </div>
            {(!filter.finished).then(|| view! {
                <div class="ds-field">
                    <label class="ds-label" for="inbox-due">{t!(i18n, col_due)}</label>
                    <select class="ds-input" id="inbox-due" name="frist">
                        {option("", t_string!(i18n, inbox_due_all).to_string(), filter.due == DueFilter::All)}
                        {option("forfalt", t_string!(i18n, urgency_overdue).to_string(), filter.due == DueFilter::Overdue)}
                        {option("snart", t_string!(i18n, urgency_due_soon).to_string(), filter.due == DueFilter::DueSoon)}
                    </select>
                </div>
            })}
            <div class="ds-field">
                <label class="ds-label" for="inbox-step">{t!(i18n, col_step)}</label>
                <select class="ds-input" id="inbox-step" name="steg">
                    <option value="" selected=filter.step.is_none()>{t!(i18n, inbox_step_all)}</option>
                    {steps.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=filter.step == Some(s)>{step_label(s)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="inbox-search">{t!(i18n, inbox_search)}</label>
                <input class="ds-input" id="inbox-search" name="sok" type="search" autocomplete="off"
                    maxlength=crate::domain::inbox::SEARCH_LIMIT value=filter.search.clone()/>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="inbox-sort">{t!(i18n, inbox_sort)}</label>
                <select class="ds-input" id="inbox-sort" name="sorter">
                    {option("", t_string!(i18n, col_due).to_string(), filter.sort == InboxSort::Due)}
                    {option("steg", t_string!(i18n, col_step).to_string(), filter.sort == InboxSort::Step)}
                    {option("beboer", t_string!(i18n, col_resident).to_string(), filter.sort == InboxSort::Resident)}
                </select>
            </div>
            <div class="button-row">
                <button class="ds-button" type="submit">{t!(i18n, inbox_apply)}</button>
                <a class="ds-link" href="/oppgaver">{t!(i18n, inbox_reset)}</a>
            </div>
        </form>
    }
}

/// `/oppgaver/:id`: one task of the caller's inbox.
#[component]
pub fn TaskPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_params_map()
        .with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()))
        .unwrap_or(0);
    let task = OnceResource::new(get_task(id));
    view! {
        <PageTitle text=t_string!(i18n, task_title).to_string()/>
        <p class="back-link"><a class="ds-link" href="/oppgaver">{t!(i18n, tasks_back)}</a></p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match task.await {
                    Ok(task) => view! { <Task task/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error page=true/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Task(task: TaskDetail) -> impl IntoView {
    let i18n = use_i18n();
    let row = task.row.clone();
    let id = row.id.to_string();
    let version = task.version.to_string();
    let (urgency, color) = urgency_label(row.urgency);
    let closed = row.status.is_closed();
    let withdrawn = row.status == TaskStatus::Withdrawn;
    let reopen = TaskChange::Reopen.next_status(row.status).is_some();
    let of = |action: &str| Typed::of(&crate::routes::api(action), &[("task", &id)]);
    let (x, w, d, g) = (
        of(EXTEND_TASK),
        of(UPDATE_TASK),
        of(OPEN_DEVIATION),
        of(RECORD_RECEIPT),
    );
    let hidden = {
        let (id, version) = (id.clone(), version.clone());
        move || {
            view! {
                <input type="hidden" name="task" value=id.clone()/>
                <input type="hidden" name="version" value=version.clone()/>
            }
        }
    };
    let extend = (row.step == Step::ChildWelfareInvestigation && !closed && task.extension.is_none()).then(|| {
        view! {
            <section aria-labelledby="task-extend">
                <h2 class="ds-heading" data-size="md" id="task-extend">{t!(i18n, task_extend_title)}</h2>
                <p class="ds-paragraph" id="task-extend-help">{t!(i18n, task_extend_help)}</p>
                <form class="form" method="post" action=crate::routes::api(EXTEND_TASK) aria-describedby="task-extend-help">
                    {hidden()}
                    <div class="ds-field">
                        <label class="ds-label" for="extend-reason">{t!(i18n, field_reason)}</label>
                        <textarea class="ds-input" id="extend-reason" name="reason" rows="2" required maxlength=limits::REASON
                            aria-invalid=x.aria_invalid("reason") aria-describedby=x.described_by("reason", None)>{x.text("reason", "")}</textarea>
                        <FieldError typed=x.clone() name="reason"/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="extend-granted-by">{t!(i18n, field_granted_by)}</label>
                        <input class="ds-input" id="extend-granted-by" name="granted_by" required maxlength=limits::GRANTED_BY
                            value=x.text("granted_by", "") aria-invalid=x.aria_invalid("granted_by") aria-describedby=x.described_by("granted_by", None)/>
                        <FieldError typed=x.clone() name="granted_by"/>
                    </div>
                    <button class="ds-button" data-variant="secondary" type="submit">{t!(i18n, task_extend_submit)}</button>
                </form>
            </section>
        }
    });
    // Child welfare records the day it received the report; its periods then count from it.
    let receipt = (row.step == Step::ChildWelfareReview && !closed).then(|| {
        let sent = task.report.and_then(|r| r.sent);
        let received = task.report.and_then(|r| r.received);
        view! {
            <section aria-labelledby="task-receipt">
                <h2 class="ds-heading" data-size="md" id="task-receipt">{t!(i18n, receipt_title)}</h2>
                <p class="ds-paragraph" id="task-receipt-help">{t!(i18n, receipt_help)}</p>
                <form class="form" method="post" action=crate::routes::api(RECORD_RECEIPT) aria-describedby="task-receipt-help">
                    {hidden()}
                    <div class="ds-field">
                        <label class="ds-label" for="receipt-date">{t!(i18n, field_report_received)}</label>
                        <input class="ds-input" id="receipt-date" name="report_received" type="date" required
                            min=sent.map(date_text)
                            value=g.text("report_received", received.map(date_text).unwrap_or_default())
                            aria-invalid=g.aria_invalid("report_received") aria-describedby=g.described_by("report_received", None)/>
                        <FieldError typed=g.clone() name="report_received"/>
                    </div>
                    <button class="ds-button" data-variant="secondary" type="submit">{t!(i18n, receipt_submit)}</button>
                </form>
            </section>
        }
    });
    let report = task.report.map(|r| {
        view! {
            <dt>{t!(i18n, field_report_sent)}</dt>
            <dd>{r.sent.map(date_label).unwrap_or_else(|| "—".into())}</dd>
            <dt>{t!(i18n, field_report_received)}</dt>
            <dd>{match r.received {
                Some(d) => date_label(d),
                None => t_string!(i18n, report_received_pending).to_string(),
            }}</dd>
        }
    });
    view! {
        <h1 class="ds-heading" data-size="lg">{step_label(row.step)}</h1>
        <FormFeedback/>
        {row.withheld.then(|| view! {
            <div class="ds-alert" data-color="info">
                <p class="ds-paragraph">{t!(i18n, consent_withheld_task)}</p>
            </div>
        })}
        <dl class="facts">
            <dt>{t!(i18n, col_resident)}</dt>
            <dd>{if row.withheld {
                view! { <a class="ds-link" href=crate::routes::plan(row.stay)>{t!(i18n, consent_awaiting)}</a> }.into_any()
            } else {
                view! { <a class="ds-link" href=crate::routes::plan(row.stay)>{row.resident.clone()}</a> }.into_any()
            }}</dd>
            <dt>{t!(i18n, col_responsible)}</dt>
            <dd>{responsible_label(row.unit, task.district_name.as_deref())}</dd>
            <dt>{t!(i18n, col_due)}</dt>
            <dd>
                {date_label(row.effective_due())} " "
                <span class="ds-tag" data-color=color>{urgency}</span>
                {task.extension.clone().map(|e| view! {
                    <br/>{t!(i18n, extended_from)} " " {date_label(row.due)} ". "
                    {(!e.reason.is_empty()).then(|| view! { {t!(i18n, field_reason)} ": " {e.reason} ". " })}
                    {t!(i18n, field_granted_by)} ": " {e.granted_by}
                })}
            </dd>
            <dt>{t!(i18n, col_status)}</dt>
            <dd>{status_label(row.status)}</dd>
            {task.reason.clone().map(|r| view! { <dt>{t!(i18n, field_reason)}</dt><dd>{r}</dd> })}
            <dt>{t!(i18n, col_assignee)}</dt>
            <dd>{row.assignee.clone().unwrap_or_else(|| "—".into())}</dd>
            {report}
        </dl>
        {receipt}
        <section aria-labelledby="task-work">
            <h2 class="ds-heading" data-size="md" id="task-work">{t!(i18n, task_work_title)}</h2>
            {withdrawn.then(|| view! { <p class="ds-paragraph">{t!(i18n, task_withdrawn_help)}</p> })}
            <form class="form" method="post" action=crate::routes::api(UPDATE_TASK)>
                {hidden()}
                <div class="ds-field">
                    <label class="ds-label" for="task-comment">{t!(i18n, field_comment)}</label>
                    <textarea class="ds-input" id="task-comment" name="comment" rows="2" maxlength=limits::COMMENT
                        aria-invalid=w.aria_invalid("comment") aria-describedby=w.described_by("comment", None)>{w.text("comment", "")}</textarea>
                    <FieldError typed=w.clone() name="comment"/>
                </div>
                {(!closed && !task.colleagues.is_empty()).then(|| view! {
                    <div class="ds-field">
                        <label class="ds-label" for="task-assignee">{t!(i18n, field_assignee)}</label>
                        <select class="ds-input" id="task-assignee" name="assignee"
                            aria-invalid=w.aria_invalid("assignee") aria-describedby=w.described_by("assignee", None)>
                            <option value="" selected=!w.is_kept()>{t!(i18n, choose_colleague)}</option>
                            {task.colleagues.iter().map(|c| {
                                let value = c.id.0.to_string();
                                let is = w.selected("assignee", &value, false);
                                view! { <option value=value selected=is>{c.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                        <FieldError typed=w.clone() name="assignee"/>
                    </div>
                })}
                {(!closed).then(|| view! {
                    <div class="ds-field">
                        <label class="ds-label" for="task-reason">{t!(i18n, field_not_applicable_reason)}</label>
                        <input class="ds-input" id="task-reason" name="reason" maxlength=limits::REASON
                            value=w.text("reason", "") aria-invalid=w.aria_invalid("reason") aria-describedby=w.described_by("reason", None)/>
                        <FieldError typed=w.clone() name="reason"/>
                    </div>
                })}
                <div class="button-row">
                    {if closed {
                        reopen.then(|| view! {
                            <button class="ds-button" type="submit" name="change" value="reopen">{t!(i18n, task_reopen)}</button>
                        }).into_any()
                    } else {
                        view! {
                            {(row.status == TaskStatus::Open || row.assignee.is_none()).then(|| view! {
                                <button class="ds-button" data-variant="secondary" type="submit" name="change" value="claim">{t!(i18n, task_claim)}</button>
                            })}
                            {row.assignee.is_some().then(|| view! {
                                <button class="ds-button" data-variant="secondary" type="submit" name="change" value="release">{t!(i18n, task_release)}</button>
                            })}
                            <button class="ds-button" data-variant="secondary" type="submit" name="change" value="assign">{t!(i18n, task_assign)}</button>
                            <button class="ds-button" type="submit" name="change" value="done">{t!(i18n, task_done)}</button>
                            <button class="ds-button" data-variant="secondary" type="submit" name="change" value="not_applicable">{t!(i18n, task_not_applicable)}</button>
                        }.into_any()
                    }}
                    <button class="ds-button" data-variant="tertiary" type="submit" name="change" value="comment">{t!(i18n, task_comment)}</button>
                </div>
            </form>
        </section>
        {extend}
        <section aria-labelledby="task-deviation">
            <h2 class="ds-heading" data-size="md" id="task-deviation">{t!(i18n, deviation_report_title)}</h2>
            <details class="disclosure" open=d.is_kept()>
                <summary>{t!(i18n, deviation_report_summary)}</summary>
                <p class="ds-paragraph" id="task-deviation-help">{t!(i18n, deviation_report_help)}</p>
                <form class="form" method="post" action=crate::routes::api(OPEN_DEVIATION) aria-describedby="task-deviation-help">
                    <input type="hidden" name="task" value=id.clone()/>
                    <crate::pages::deviations::DeviationNoteField id="deviation-report-note" typed=d.clone()/>
                    <button class="ds-button" data-variant="secondary" type="submit">{t!(i18n, deviation_report_submit)}</button>
                </form>
            </details>
        </section>
        <section aria-labelledby="task-history">
            <h2 class="ds-heading" data-size="md" id="task-history">{t!(i18n, task_history)}</h2>
            <table class="ds-table history stack" data-border="true">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, col_when)}</th>
                        <th scope="col">{t!(i18n, col_who)}</th>
                        <th scope="col">{t!(i18n, col_what)}</th>
                        <th scope="col">{t!(i18n, field_comment)}</th>
                    </tr>
                </thead>
                <tbody>
                    {task.history.into_iter().map(|e| {
                        let what = event_text(&e);
                        view! {
                            <tr>
                                <td data-label=t_string!(i18n, col_when).to_string()>{crate::components::dates::timestamp_label(&e.at)}</td>
                                <td data-label=t_string!(i18n, col_who).to_string()>{e.by.unwrap_or_else(|| t_string!(i18n, by_portal).to_string())}</td>
                                <td data-label=t_string!(i18n, col_what).to_string()>{what}</td>
                                <td data-label=t_string!(i18n, field_comment).to_string()>{e.comment.unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// What a task history row records, in words: the event, with the new status, the colleague it
/// was given to, or the new due date.
pub fn event_text(e: &crate::domain::plan::TaskEvent) -> String {
    use crate::domain::plan::TaskEventKind;
    match (e.kind, e.due) {
        (TaskEventKind::Status, _) => {
            format!("{}: {}", event_label(e.kind), status_label(e.status))
        }
        (TaskEventKind::Assigned, _) => format!(
            "{} {}",
            event_label(e.kind),
            e.assignee.clone().unwrap_or_default()
        ),
        (_, Some(due)) => format!("{} ({})", event_label(e.kind), date_label(due)),
        _ => event_label(e.kind),
    }
}

/// `/bydeler/:slug/frister`: a district's board of open tasks per service. No personal data.
#[component]
pub fn BoardPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let board = OnceResource::new(district_board(slug.clone()));
    view! {
        <PageTitle text=t_string!(i18n, board_title).to_string()/>
        <p class="back-link"><a class="ds-link" href=crate::routes::district(&slug)>{t!(i18n, board_back)}</a></p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(board) => view! { <BoardTable board/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error page=true/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BoardTable(board: Board) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="ds-heading" data-size="lg">{t!(i18n, board_title)} ": " {board.district.clone()}</h1>
        <p class="ds-paragraph">{t!(i18n, board_intro)} " " {date_label(board.today)}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label=t_string!(i18n, board_title).to_string()>
            <table class="ds-table board" data-border="true">
                <caption class="ds-sr-only">{t!(i18n, board_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, field_service)}</th>
                        <th scope="col">{t!(i18n, col_overdue)}</th>
                        <th scope="col">{t!(i18n, col_due_soon)}</th>
                        <th scope="col">{t!(i18n, col_open)}</th>
                    </tr>
                </thead>
                <tbody>
                    {board.rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{service_label(r.service)}</th>
                            <td>{r.overdue}</td>
                            <td>{r.due_soon}</td>
                            <td>{r.open}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(board.waiting_long > 0).then(|| {
            let text = format!(
                "{} {} {} {} {}.",
                t_string!(i18n, board_waiting_1),
                board.waiting_long,
                t_string!(i18n, board_waiting_2),
                board.ready_flag_days,
                t_string!(i18n, board_waiting_3)
            );
            view! {
                <div class="ds-alert" data-color="warning">
                    <p class="ds-paragraph">{text}</p>
                </div>
            }
        })}
    }
}
