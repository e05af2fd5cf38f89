//! The caseworkers' work on their tasks: the inbox, one task, a change, an extension.

use super::*;
use crate::domain::inbox::{InboxCounts, InboxFilter, InboxPage};
use crate::domain::{ActorSnapshot, AuditAction, Inbox, ObjectKind};

/// § 2-2: an investigation may be extended to six months from the date the period counts from.
pub const EXTENDED_INVESTIGATION: Period = Period::Months(6);

/// Begins a person's change of a task: the task must be in the caller's inbox (else
/// `NotFound`, as for a task that does not exist) and still have the version they read.
async fn begin_task_change(
    conn: &mut SqliteConnection,
    at: TaskRef,
) -> Result<repo::TaskState, ServerError> {
    let state = repo::task_state(conn, at.task, at.inbox)
        .await?
        .ok_or(ServerError::NotFound)?;
    if state.version != at.version {
        return Err(ServerError::Stale);
    }
    Ok(state)
}

/// Ends a person's change of a task: its access-log row, then the commit.
async fn finish_task_change(
    mut tx: WriteTx,
    when: When,
    by: &ActorSnapshot,
    action: AuditAction,
    at: TaskRef,
) -> Result<(), ServerError> {
    let touched = Touched::object(ObjectKind::Task, at.task, at.inbox.district());
    access_log::append_ok(&mut tx, when.at, by, action, touched).await?;
    tx.commit().await?;
    Ok(())
}

/// An inbox's open tasks (a unit's, or the crisis center's), overdue first, then due soon.
/// The residents' names are personal data: one access-log row per read.
#[tracing::instrument(skip_all)]
pub async fn inbox(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    inbox: Inbox,
) -> Result<Vec<TaskRow>, ServerError> {
    // One query: a snapshot of its own, no transaction needed.
    let rows = repo::inbox(&mut *db.acquire().await?, inbox, when.today, when.soon_days).await?;
    let touched = Touched {
        object: None,
        district: inbox.district(),
        stays: access_log::stay_list(shown_stays(&rows)),
    };
    log_read(db, when, by, AuditAction::TaskList, touched).await?;
    Ok(rows)
}

/// One page of the caller's inbox as `filter` asks: the open tasks (or the most recently
/// finished ones) filtered, sorted and paged, the open tasks' counts per step, and the plan
/// context of the rows shown. Only the stays on the page are named in the access log.
#[tracing::instrument(skip_all)]
pub async fn inbox_page(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    inbox: Inbox,
    filter: InboxFilter,
) -> Result<InboxPage, ServerError> {
    use crate::domain::inbox::{FINISHED_SHOWN, step_counts};
    // The open tasks and their plans' context in one statement (no transaction needed); the
    // finished view reads its rows and their context after it, each statement a snapshot.
    let mut conn = db.acquire().await?;
    let (open, open_context): (Vec<TaskRow>, Vec<_>) =
        repo::inbox_with_context(&mut conn, inbox, when.today, when.soon_days)
            .await?
            .into_iter()
            .unzip();
    let counts = step_counts(&open);
    let (rows, matching, page) = if filter.finished {
        let finished =
            repo::inbox_finished(&mut conn, inbox, when.today, when.soon_days, FINISHED_SHOWN)
                .await?;
        filter.apply(finished, by.user)
    } else {
        filter.apply(open, by.user)
    };
    // The stays whose personal data the page shows: not those of rows without consent.
    let stays: Vec<StayId> = shown_stays(&rows).collect();
    let context = if filter.finished {
        repo::plan_context(&mut conn, &stays).await?
    } else {
        let mut shown: Vec<crate::domain::inbox::PlanContext> = Vec::new();
        for c in open_context.into_iter().flatten() {
            if stays.contains(&c.stay) && !shown.iter().any(|s| s.stay == c.stay) {
                shown.push(c);
            }
        }
        shown
    };
    // A unit's closure steps after an audit sit in its inbox too (no personal data).
    let finding_steps = match inbox {
        Inbox::Unit(unit) if !filter.finished => {
            crate::server::repo::findings::unit_steps(&mut conn, unit).await?
        }
        _ => Vec::new(),
    };
    drop(conn);
    let touched = Touched {
        object: None,
        district: inbox.district(),
        stays: access_log::stay_list(stays),
    };
    log_read(db, when, by, AuditAction::TaskList, touched).await?;
    Ok(InboxPage {
        filter,
        rows,
        matching,
        page,
        counts,
        context,
        today: when.today,
        finding_steps,
    })
}

/// The stays of `rows` whose personal data a list shows (rows without consent show none).
fn shown_stays(rows: &[TaskRow]) -> impl Iterator<Item = StayId> + '_ {
    rows.iter().filter(|r| !r.withheld).map(|r| r.stay)
}

/// The counts of the caller's open tasks for the front page: overdue, due soon, open, and taken
/// by the caller. Counts only (no names), so no access-log row, as for the district board.
pub async fn inbox_counts(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    inbox: Inbox,
) -> Result<InboxCounts, ServerError> {
    let rows = repo::inbox(&mut *db.acquire().await?, inbox, when.today, when.soon_days).await?;
    Ok(InboxCounts::of(&rows, by.user))
}

/// One task with its history, for a member of its inbox (`inbox`: the caller's). A task of
/// another inbox is `NotFound`.
#[tracing::instrument(skip_all, fields(task = %task))]
pub async fn task(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    inbox: Inbox,
    task: TaskId,
) -> Result<TaskDetail, ServerError> {
    let mut tx = db.begin_read().await?;
    let district = inbox.district();
    let Some(record) = repo::task_row(&mut tx, task, inbox, when.today, when.soon_days).await?
    else {
        return refuse_read(
            tx,
            db,
            when,
            by,
            AuditAction::TaskRead,
            Touched::object(ObjectKind::Task, task, district),
        )
        .await;
    };
    let history = repo::task_history(&mut tx, task).await?;
    let extension = repo::task_extension(&mut tx, task).await?;
    let colleagues = repo::colleagues(&mut tx, inbox).await?;
    let report = match record.row.step {
        Step::ChildWelfareReview | Step::ChildWelfareInvestigation => {
            let stay = repo::stay_state(&mut tx, record.row.stay)
                .await?
                .ok_or(ServerError::NotFound)?;
            Some(ReportDates {
                sent: stay.facts.report_sent,
                received: stay.facts.report_received,
            })
        }
        _ => None,
    };
    tx.commit().await?;
    let touched = Touched::object(ObjectKind::Task, task, district)
        .with_stays(shown_stays(std::slice::from_ref(&record.row)));
    log_read(db, when, by, AuditAction::TaskRead, touched).await?;
    let detail = TaskDetail {
        row: record.row,
        district_name: record.district_name,
        assignee_id: record.assignee_id,
        reason: record.reason,
        version: record.version,
        extension,
        history,
        report,
        colleagues,
    };
    Ok(if detail.row.withheld {
        detail.without_free_text()
    } else {
        detail
    })
}

/// A person's change to a task of their inbox: claim, release, give to a colleague of the same
/// inbox, done, not applicable (with a reason), reopen, or a comment. Refused as `Stale` when
/// someone saved the task since the caller read `version`; a colleague outside the inbox (or
/// no longer active) is refused as the field `assignee`.
#[tracing::instrument(skip_all, fields(task = %at.task))]
pub async fn change_task(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    at: TaskRef,
    change: &TaskChange,
    comment: Option<&str>,
) -> Result<(), ServerError> {
    let TaskRef {
        inbox,
        task,
        version,
    } = at;
    if *change == TaskChange::Comment && comment.is_none() {
        return Err(ServerError::Field("comment"));
    }
    let mut tx = db.begin_write().await?;
    let state = begin_task_change(&mut tx, at).await?;
    let status = change
        .next_status(state.status)
        .ok_or(ServerError::Field("change"))?;
    let given_to = match change {
        TaskChange::Assign(user) => Some(
            repo::colleagues(&mut tx, inbox)
                .await?
                .into_iter()
                .find(|c| c.id == *user)
                .ok_or(ServerError::Field("assignee"))?,
        ),
        _ => None,
    };
    let assignee = match change {
        TaskChange::Claim => Some(by.user),
        TaskChange::Assign(user) => Some(*user),
        TaskChange::Release => None,
        _ => state.assignee,
    };
    let (reason, closed_on) = match change {
        TaskChange::NotApplicable { reason } => (Some(reason.as_str()), Some(when.today)),
        TaskChange::Done => (None, Some(when.today)),
        TaskChange::Reopen => (None, None),
        _ => (state.reason.as_deref(), state.closed_on),
    };
    let write = TaskWrite {
        status,
        assignee,
        reason,
        closed_on,
    };
    if !repo::write_task(&mut tx, task, inbox, version, &write).await? {
        return Err(ServerError::Stale);
    }
    let comment = match change {
        TaskChange::NotApplicable { reason } if comment.is_none() => Some(reason.as_str()),
        _ => comment,
    };
    repo::append_event(
        &mut tx,
        &EventWrite {
            task,
            at: when.at,
            by: Some(by),
            kind: change.event_kind(),
            status,
            due: None,
            comment,
            assignee: given_to.as_ref().map(|c| c.name.as_str()),
        },
    )
    .await?;
    if state.step == Step::ChildWelfareReview && status != state.status {
        let concluded = (status == TaskStatus::Done).then_some(when.today);
        repo::set_review_concluded(&mut tx, state.stay, concluded).await?;
    }
    sync_tasks(&mut tx, state.stay, when).await?;
    finish_task_change(tx, when, by, AuditAction::TaskUpdate, at).await
}

/// Child welfare records the day it received the report of concern, on its review task (open,
/// in the caller's inbox): not before the sending, not after today. The review's and the
/// investigation's deadlines then count from it where the routine says so (the sending date
/// stays beside it). One transaction with the stay's version raised and the access-log row.
#[tracing::instrument(skip_all, fields(task = %at.task))]
pub async fn record_receipt(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    at: TaskRef,
    received: Date,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let state = begin_task_change(&mut tx, at).await?;
    if state.step != Step::ChildWelfareReview || state.status.is_closed() {
        return Err(ServerError::Field("report_received"));
    }
    let stay = repo::stay_state(&mut tx, state.stay)
        .await?
        .ok_or(ServerError::NotFound)?;
    match stay.facts.report_sent {
        Some(sent) if sent <= received && received <= when.today => {}
        _ => return Err(ServerError::Field("report_received")),
    }
    let write = TaskWrite {
        status: state.status,
        assignee: state.assignee,
        reason: None,
        closed_on: None,
    };
    if !repo::write_task(&mut tx, at.task, at.inbox, at.version, &write).await? {
        return Err(ServerError::Stale);
    }
    repo::set_report_received(&mut tx, state.stay, received).await?;
    sync_tasks(&mut tx, state.stay, when).await?;
    finish_task_change(tx, when, by, AuditAction::TaskReceipt, at).await
}

/// Records an extension of child welfare's investigation period (§ 2-2: six months in special
/// cases) with its reason and who granted it. The task's own due date stays as it was.
#[tracing::instrument(skip_all, fields(task = %at.task))]
pub async fn extend_task(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    at: TaskRef,
    reason: &str,
    granted_by: &str,
) -> Result<(), ServerError> {
    let TaskRef {
        inbox,
        task,
        version,
    } = at;
    let mut tx = db.begin_write().await?;
    let state = begin_task_change(&mut tx, at).await?;
    if state.step != Step::ChildWelfareInvestigation || state.status.is_closed() {
        return Err(ServerError::Field("extension"));
    }
    let stay = repo::stay_state(&mut tx, state.stay)
        .await?
        .ok_or(ServerError::NotFound)?;
    let (routine, ids) =
        crate::server::repo::routines::load_for_plan(&mut tx, stay.routine_version_id)
            .await?
            .ok_or(ServerError::NotFound)?;
    let rule = ids
        .iter()
        .position(|id| *id == state.rule)
        .map(|i| &routine.rules[i])
        .ok_or(ServerError::NotFound)?;
    let anchor = stay
        .facts
        .anchor_date(rule.anchor)
        .ok_or(ServerError::Field("extension"))?;
    let extension = Extension {
        due: EXTENDED_INVESTIGATION.from(anchor),
        reason: reason.to_owned(),
        granted_by: granted_by.to_owned(),
    };
    repo::insert_extension(&mut tx, task, &extension, when.at, by.user).await?;
    let write = TaskWrite {
        status: state.status,
        assignee: state.assignee,
        reason: None,
        closed_on: None,
    };
    if !repo::write_task(&mut tx, task, inbox, version, &write).await? {
        return Err(ServerError::Stale);
    }
    repo::append_event(
        &mut tx,
        &EventWrite {
            task,
            at: when.at,
            by: Some(by),
            kind: TaskEventKind::Extended,
            status: state.status,
            due: Some(extension.due),
            comment: Some(reason),
            assignee: None,
        },
    )
    .await?;
    finish_task_change(tx, when, by, AuditAction::TaskExtend, at).await
}
