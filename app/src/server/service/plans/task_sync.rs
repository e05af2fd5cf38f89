//! Applying task reconciliation ([`reconcile`]) to a plan, and closing a crisis center task
//! when the fact it asks for is recorded.

use super::*;

/// Brings a plan's tasks in line with its facts: applies what [`reconcile`] says (create, move,
/// withdraw, reopen, the hand-over's start and end), each task operation with its history row
/// and, where a task opens in or moves into a unit's inbox, a notice for that unit.
pub(super) async fn sync_tasks(
    conn: &mut SqliteConnection,
    stay: StayId,
    when: When,
) -> Result<(), ServerError> {
    let state = repo::stay_state(conn, stay)
        .await?
        .ok_or(ServerError::NotFound)?;
    let (routine, ids) =
        crate::server::repo::routines::load_for_plan(conn, state.routine_version_id)
            .await?
            .ok_or_else(|| ServerError::Pragma("a plan's routine version is missing".into()))?;
    let existing = repo::stay_tasks(conn, stay).await?;
    let plan = PlanState {
        stay,
        routine: &routine,
        rule_ids: &ids,
        facts: &state.facts,
        handover_started: state.handover_started,
        today: when.today,
    };
    for op in reconcile(plan, &existing) {
        let task = match &op {
            TaskOp::CompleteHandover => {
                repo::set_handover(conn, stay, Some(when.at), Some(when.at)).await?;
                continue;
            }
            TaskOp::StartHandover => {
                repo::set_handover(conn, stay, Some(when.at), None).await?;
                continue;
            }
            TaskOp::Create(wanted) => repo::insert_task(conn, stay, wanted, when.at).await?,
            TaskOp::Reopen { task, unit, due } => {
                repo::reinstate_task(conn, *task, *unit, *due).await?;
                *task
            }
            TaskOp::Retarget {
                task, unit, due, ..
            } => {
                repo::retarget_task(conn, *task, *unit, *due).await?;
                *task
            }
            TaskOp::Withdraw { task, .. } => {
                repo::withdraw_task(conn, *task, when.today).await?;
                *task
            }
        };
        if let Some((kind, status, due)) = op.history() {
            portal_event(conn, task, when, kind, status, due).await?;
        }
        if let Some(unit) = op.notify() {
            crate::server::repo::outbox::queue_assignment(conn, when.at, unit, task).await?;
        }
    }
    Ok(())
}

async fn portal_event(
    conn: &mut SqliteConnection,
    task: TaskId,
    when: When,
    kind: TaskEventKind,
    status: TaskStatus,
    due: Date,
) -> Result<(), ServerError> {
    repo::append_event(
        conn,
        &EventWrite {
            task,
            at: when.at,
            by: None,
            kind,
            status,
            due: Some(due),
            comment: None,
            assignee: None,
        },
    )
    .await
}

/// Closes the crisis center's open task of `step` because the fact it asks for is now recorded
/// (the report sent, the exit meeting held, the main coordinator named).
pub(super) async fn close_by_fact(
    conn: &mut SqliteConnection,
    stay: StayId,
    step: Step,
    when: When,
    by: &ActorSnapshot,
) -> Result<(), ServerError> {
    for task in repo::stay_tasks(conn, stay).await? {
        if task.step != step || task.status.is_closed() {
            continue;
        }
        let inbox = Inbox::of(task.unit);
        let state = repo::task_state(conn, task.id, inbox)
            .await?
            .ok_or(ServerError::NotFound)?;
        let write = TaskWrite {
            status: TaskStatus::Done,
            assignee: state.assignee,
            reason: None,
            closed_on: Some(when.today),
        };
        if !repo::write_task(conn, task.id, inbox, state.version, &write).await? {
            return Err(ServerError::Stale);
        }
        repo::append_event(
            conn,
            &EventWrite {
                task: task.id,
                at: when.at,
                by: Some(by),
                kind: TaskEventKind::Status,
                status: TaskStatus::Done,
                due: None,
                comment: None,
                assignee: None,
            },
        )
        .await?;
    }
    Ok(())
}
