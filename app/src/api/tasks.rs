//! Tasks: an inbox (a caseworker's unit's tasks, or the crisis center's own), one task with its
//! history, changes to it, and the district board of counts. A task outside the caller's inbox
//! answers exactly like one that does not exist.

use crate::domain::AppError;
use crate::domain::plan::{TaskDetail, TaskRow};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const LIST_TASKS: &str = "tasks";
pub const READ_INBOX: &str = "inbox";
pub const INBOX_COUNTS: &str = "inbox_counts";
pub const GET_TASK: &str = "task";
pub const UPDATE_TASK: &str = "task_update";
pub const EXTEND_TASK: &str = "task_extend";
pub const RECORD_RECEIPT: &str = "task_receipt";
pub const DISTRICT_BOARD: &str = "district_board";

/// The task page, where the task forms return.
pub fn task_page(task: i64) -> String {
    crate::routes::task(task)
}

/// A district's board: counts of open tasks per service. No personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub district: String,
    /// The Oslo date the counts are for.
    pub today: time::Date,
    pub due_soon_days: u16,
    pub rows: Vec<BoardRow>,
    /// Residents moving to the district who have waited for housing, ready to move out, for
    /// more than `ready_flag_days`.
    pub waiting_long: i64,
    pub ready_flag_days: u16,
}

/// One service's counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardRow {
    pub service: crate::domain::ServiceKind,
    pub overdue: i64,
    pub due_soon: i64,
    pub open: i64,
}

/// The caller's inbox: a caseworker's unit's, or the crisis center's for its staff; anyone else
/// is refused.
#[cfg(feature = "ssr")]
fn inbox_of() -> Result<
    (
        crate::api::guard::Call,
        crate::domain::ActorSnapshot,
        crate::domain::Inbox,
    ),
    AppError,
> {
    use crate::domain::{Action, Inbox, Role, Target};
    let call = crate::api::guard::signed_in()?;
    let inbox = match (call.user.actor.role, call.user.actor.unit) {
        (Role::CrisisCenter, _) => Inbox::CrisisCenter,
        (Role::Caseworker, Some(unit)) => Inbox::Unit(unit),
        _ => return Err(AppError::forbidden()),
    };
    call.check(
        Action::WorkTasks,
        inbox.unit().map_or(Target::Global, Target::Unit),
    )?;
    let by = call.actor();
    Ok((call, by, inbox))
}

/// The open tasks of the caller's inbox: overdue first, then due soon.
#[server(prefix = "/api", endpoint = "tasks")]
pub async fn list_tasks() -> Result<Vec<TaskRow>, AppError> {
    use crate::api::guard::with_status;
    with_status(
        async {
            let (call, by, inbox) = inbox_of()?;
            let when = call.when();
            Ok(crate::server::service::plans::inbox(&call.state.db, when, &by, inbox).await?)
        }
        .await,
    )
}

/// One page of the caller's inbox, as the page's address asks (`vis`, `frist`, `steg`, `sok`,
/// `sorter`, `ferdige`, `side`; unknown values give the default view): the rows, how many match,
/// the open tasks per step, and each row's plan context.
#[server(prefix = "/api", endpoint = "inbox")]
pub async fn read_inbox(
    #[server(default)] vis: String,
    #[server(default)] frist: String,
    #[server(default)] steg: String,
    #[server(default)] sok: String,
    #[server(default)] sorter: String,
    #[server(default)] ferdige: String,
    #[server(default)] side: String,
) -> Result<crate::domain::inbox::InboxPage, AppError> {
    use crate::api::guard::with_status;
    use crate::domain::inbox::InboxFilter;
    with_status(
        async {
            let (call, by, inbox) = inbox_of()?;
            let when = call.when();
            let given = [
                ("vis", vis),
                ("frist", frist),
                ("steg", steg),
                ("sok", sok),
                ("sorter", sorter),
                ("ferdige", ferdige),
                ("side", side),
            ];
            let filter = InboxFilter::from_query(|name| {
                given
                    .iter()
                    .find(|(n, v)| *n == name && !v.is_empty())
                    .map(|(_, v)| v.clone())
            });
            Ok(
                crate::server::service::plans::inbox_page(&call.state.db, when, &by, inbox, filter)
                    .await?,
            )
        }
        .await,
    )
}

/// The counts of the caller's open tasks (the front page): no names.
#[server(prefix = "/api", endpoint = "inbox_counts")]
pub async fn read_inbox_counts() -> Result<crate::domain::inbox::InboxCounts, AppError> {
    use crate::api::guard::with_status;
    with_status(
        async {
            let (call, by, inbox) = inbox_of()?;
            let when = call.when();
            Ok(
                crate::server::service::plans::inbox_counts(&call.state.db, when, &by, inbox)
                    .await?,
            )
        }
        .await,
    )
}

/// One task of the caller's inbox, with its history.
#[server(prefix = "/api", endpoint = "task")]
pub async fn get_task(task: i64) -> Result<TaskDetail, AppError> {
    use crate::api::guard::with_status;
    with_status(
        async {
            let (call, by, inbox) = inbox_of()?;
            let when = call.when();
            let pool = &call.state.db;
            Ok(crate::server::service::plans::task(
                pool,
                when,
                &by,
                inbox,
                crate::domain::plan::TaskId(task),
            )
            .await?)
        }
        .await,
    )
}

/// Changes a task: `change` is claim, release, done, not_applicable (with `reason`), reopen or
/// comment; `version` is the version the form was read at.
#[server(prefix = "/api", endpoint = "task_update")]
pub async fn update_task(
    task: i64,
    version: i64,
    change: String,
    #[server(default)] reason: String,
    #[server(default)] comment: String,
    #[server(default)] assignee: String,
) -> Result<(), AppError> {
    use crate::api::guard::finish_form;
    use crate::domain::plan::{TaskChange, optional_lines};
    let back = task_page(task);
    let result = async {
        let (call, by, inbox) = inbox_of()?;
        let change = TaskChange::parse(&change, &reason, &assignee).map_err(AppError::invalid)?;
        let comment = optional_lines(&comment, crate::domain::limits::COMMENT, "comment")
            .map_err(AppError::invalid)?;
        let when = call.when();
        let at = crate::server::service::plans::TaskRef {
            inbox,
            task: crate::domain::plan::TaskId(task),
            version,
        };
        Ok(crate::server::service::plans::change_task(
            &call.state.db,
            when,
            &by,
            at,
            &change,
            comment.as_deref(),
        )
        .await?)
    }
    .await;
    let done = format!("{back}?ok=oppgave");
    finish_form(result, &back, |_| done)
}

/// Records an extension of child welfare's investigation period, with the reason and who
/// granted it.
#[server(prefix = "/api", endpoint = "task_extend")]
pub async fn extend_task(
    task: i64,
    version: i64,
    reason: String,
    granted_by: String,
) -> Result<(), AppError> {
    use crate::api::guard::finish_form;
    use crate::domain::plan::{required_lines, required_text};
    let back = task_page(task);
    let result = async {
        let (call, by, inbox) = inbox_of()?;
        let reason = required_lines(&reason, crate::domain::limits::REASON, "reason")
            .map_err(AppError::invalid)?;
        let granted_by =
            required_text(&granted_by, crate::domain::limits::GRANTED_BY, "granted_by")
                .map_err(AppError::invalid)?;
        let when = call.when();
        let at = crate::server::service::plans::TaskRef {
            inbox,
            task: crate::domain::plan::TaskId(task),
            version,
        };
        Ok(crate::server::service::plans::extend_task(
            &call.state.db,
            when,
            &by,
            at,
            &reason,
            &granted_by,
        )
        .await?)
    }
    .await;
    let done = format!("{back}?ok=forlenget");
    finish_form(result, &back, |_| done)
}

/// Child welfare records the day it received the report of concern, on its open review task.
#[server(prefix = "/api", endpoint = "task_receipt")]
pub async fn record_receipt(
    task: i64,
    version: i64,
    report_received: String,
) -> Result<(), AppError> {
    use crate::api::guard::finish_form;
    let back = task_page(task);
    let result = async {
        let (call, by, inbox) = inbox_of()?;
        let received = crate::domain::plan::parse_date(&report_received, "report_received")
            .map_err(AppError::invalid)?;
        let at = crate::server::service::plans::TaskRef {
            inbox,
            task: crate::domain::plan::TaskId(task),
            version,
        };
        Ok(crate::server::service::plans::record_receipt(
            &call.state.db,
            call.when(),
            &by,
            at,
            received,
        )
        .await?)
    }
    .await;
    let done = format!("{back}?ok=mottatt");
    finish_form(result, &back, |_| done)
}

/// A district's board: per service, how many open tasks are overdue and due soon. For the
/// district's own caseworkers, crisis center staff, reviewers and administrators.
#[server(prefix = "/api", endpoint = "district_board")]
pub async fn district_board(slug: String) -> Result<Board, AppError> {
    use crate::api::guard::{signed_in, with_status};
    use crate::domain::{Action, ServiceKind, Target};
    with_status(
        async {
            let call = signed_in()?;
            let slug =
                crate::domain::DistrictSlug::parse(&slug).map_err(|_| AppError::not_found())?;
            let pool = &call.state.db;
            let detail =
                crate::server::service::directory::district_detail(pool, &slug, None).await?;
            call.check(Action::ReadCompliance, Target::District(detail.id))?;
            let today = call.state.clock.oslo_today();
            let soon = call.state.settings.due_soon_days;
            let counts =
                crate::server::service::plans::deadline_counts(pool, today, soon, Some(detail.id))
                    .await?;
            let rows = ServiceKind::STANDARD
                .iter()
                .map(|kind| {
                    let c = counts.iter().find(|c| c.service == Some(*kind));
                    BoardRow {
                        service: *kind,
                        overdue: c.map_or(0, |c| c.overdue),
                        due_soon: c.map_or(0, |c| c.due_soon),
                        open: c.map_or(0, |c| c.open),
                    }
                })
                .collect();
            let ready_flag_days = call.state.settings.ready_flag_days;
            let waiting_long = crate::server::service::plans::waiting_for_housing(
                pool,
                detail.id,
                today,
                ready_flag_days,
            )
            .await?;
            Ok(Board {
                district: detail.name,
                today,
                due_soon_days: soon,
                rows,
                waiting_long,
                ready_flag_days,
            })
        }
        .await,
    )
}
