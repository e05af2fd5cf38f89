//! Tasks as they are written: the generated tasks, a person's change, history, notices, extensions.

use super::*;

/// The stay's tasks, in creation order.
pub async fn stay_tasks(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Vec<CurrentTask>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!: TaskId", rule_id AS "rule_id: RuleId", step AS "step: Step",
                  district_id, service_kind, due_on AS "due_on: Date",
                  status AS "status: TaskStatus"
           FROM task WHERE stay_id = ?1 ORDER BY id"#,
        stay.0
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(CurrentTask {
                id: r.id,
                stay,
                rule: r.rule_id,
                step: r.step,
                unit: unit_of(r.district_id, r.service_kind.as_deref())?,
                due: r.due_on,
                status: r.status,
            })
        })
        .collect()
}

/// Inserts a generated task.
pub async fn insert_task(
    conn: &mut SqliteConnection,
    stay: StayId,
    task: &WantedTask,
    at: OffsetDateTime,
) -> Result<TaskId, ServerError> {
    let step = task.step.as_str();
    let district = task.unit.map(|u| u.district.0);
    let service = task.unit.map(|u| u.service.as_str());
    let at = timestamp(at);
    let id = sqlx::query_scalar!(
        r#"INSERT INTO task (stay_id, rule_id, step, district_id, service_kind, due_on, created_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id AS "id!""#,
        stay.0,
        task.rule.0,
        step,
        district,
        service,
        task.due,
        at
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(TaskId(id))
}

/// Moves an open task to a new due date (its anchor date changed) and/or another unit (the
/// hand-over completed). Raises the version, so a form open on the old task is refused.
pub async fn retarget_task(
    conn: &mut SqliteConnection,
    task: TaskId,
    unit: Option<Unit>,
    due: Date,
) -> Result<(), ServerError> {
    let district = unit.map(|u| u.district.0);
    let service = unit.map(|u| u.service.as_str());
    sqlx::query!(
        "UPDATE task SET district_id = ?2, service_kind = ?3, due_on = ?4,
                         assignee_id = CASE WHEN district_id IS ?2 THEN assignee_id END,
                         version = version + 1
         WHERE id = ?1",
        task.0,
        district,
        service,
        due
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Closes an open task because the plan changed and its step no longer applies.
pub async fn withdraw_task(
    conn: &mut SqliteConnection,
    task: TaskId,
    today: Date,
) -> Result<(), ServerError> {
    sqlx::query!(
        "UPDATE task SET status = 'withdrawn', assignee_id = NULL, closed_on = ?2,
                         version = version + 1
         WHERE id = ?1 AND status IN ('open', 'in_progress')",
        task.0,
        today
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Opens a withdrawn task again, in `unit`'s inbox with `due`, because its step applies again.
pub async fn reinstate_task(
    conn: &mut SqliteConnection,
    task: TaskId,
    unit: Option<Unit>,
    due: Date,
) -> Result<(), ServerError> {
    let district = unit.map(|u| u.district.0);
    let service = unit.map(|u| u.service.as_str());
    sqlx::query!(
        "UPDATE task SET status = 'open', closed_on = NULL, district_id = ?2, service_kind = ?3,
                         due_on = ?4, version = version + 1
         WHERE id = ?1 AND status = 'withdrawn'",
        task.0,
        district,
        service,
        due
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The state of a task a person changes.
#[derive(Clone, Debug)]
pub struct TaskState {
    pub stay: StayId,
    pub rule: RuleId,
    pub step: Step,
    pub status: TaskStatus,
    pub assignee: Option<UserId>,
    pub reason: Option<String>,
    pub closed_on: Option<Date>,
    pub version: i64,
}

/// The state of a task of `inbox`; `None` when there is no such task or it sits in another
/// inbox (the inbox is in the query).
pub async fn task_state(
    conn: &mut SqliteConnection,
    task: TaskId,
    inbox: Inbox,
) -> Result<Option<TaskState>, ServerError> {
    let district = inbox.district().map(|d| d.0);
    let service = inbox.unit().map(|u| u.service.as_str());
    let Some(r) = sqlx::query!(
        r#"SELECT stay_id AS "stay_id: StayId", rule_id AS "rule_id: RuleId", step AS "step: Step",
                  status AS "status: TaskStatus", assignee_id AS "assignee_id: UserId", reason,
                  closed_on AS "closed_on: Date", version
           FROM task WHERE id = ?1 AND district_id IS ?2 AND service_kind IS ?3"#,
        task.0,
        district,
        service
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(TaskState {
        stay: r.stay_id,
        rule: r.rule_id,
        step: r.step,
        status: r.status,
        assignee: r.assignee_id,
        reason: r.reason,
        closed_on: r.closed_on,
        version: r.version,
    }))
}

/// What a person's change writes to the task.
#[derive(Clone, Debug)]
pub struct TaskWrite<'a> {
    pub status: TaskStatus,
    pub assignee: Option<UserId>,
    pub reason: Option<&'a str>,
    pub closed_on: Option<Date>,
}

/// Writes a change if the task is still in `inbox` with version `expected`; false otherwise (someone saved first).
pub async fn write_task(
    conn: &mut SqliteConnection,
    task: TaskId,
    inbox: Inbox,
    expected: i64,
    write: &TaskWrite<'_>,
) -> Result<bool, ServerError> {
    let status = write.status.as_str();
    let assignee = write.assignee.map(|u| u.0);
    let district = inbox.district().map(|d| d.0);
    let service = inbox.unit().map(|u| u.service.as_str());
    let done = sqlx::query!(
        "UPDATE task SET status = ?3, assignee_id = ?4, reason = ?5, closed_on = ?6,
                         version = version + 1
         WHERE id = ?1 AND version = ?2 AND district_id IS ?7 AND service_kind IS ?8",
        task.0,
        expected,
        status,
        assignee,
        write.reason,
        write.closed_on,
        district,
        service
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One history row.
pub struct EventWrite<'a> {
    pub task: TaskId,
    pub at: OffsetDateTime,
    /// `None`: the portal.
    pub by: Option<&'a ActorSnapshot>,
    pub kind: TaskEventKind,
    pub status: TaskStatus,
    pub due: Option<Date>,
    pub comment: Option<&'a str>,
    /// Whom the task was given to (`Assigned` only).
    pub assignee: Option<&'a str>,
}

/// The active users of an inbox, by name: a unit's caseworkers, or the crisis center's staff.
pub async fn colleagues(
    conn: &mut SqliteConnection,
    inbox: Inbox,
) -> Result<Vec<Colleague>, ServerError> {
    let (district, service) = match inbox.unit() {
        Some(unit) => (Some(unit.district.0), Some(unit.service.as_str())),
        None => (None, None),
    };
    Ok(sqlx::query!(
        r#"SELECT id AS "id!: UserId", name FROM app_user
           WHERE active = 1
             AND CASE WHEN ?1 IS NULL THEN role = 'crisis_center'
                      ELSE role = 'caseworker' AND district_id = ?1 AND service_kind = ?2 END
           ORDER BY name COLLATE NOCASE, id"#,
        district,
        service
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| Colleague {
        id: r.id,
        name: r.name,
    })
    .collect())
}

/// Appends a row to a task's history.
pub async fn append_event(
    conn: &mut SqliteConnection,
    event: &EventWrite<'_>,
) -> Result<(), ServerError> {
    let at = timestamp(event.at);
    let user = event.by.map(|b| b.user.0);
    let name = event.by.map(|b| b.name.as_str());
    let kind = event.kind.as_str();
    let status = event.status.as_str();
    sqlx::query!(
        "INSERT INTO task_event (task_id, at, user_id, user_name, kind, status, due_on, comment,
                                 assignee_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        event.task.0,
        at,
        user,
        name,
        kind,
        status,
        event.due,
        event.comment,
        event.assignee
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records an extension of a task's legal period.
pub async fn insert_extension(
    conn: &mut SqliteConnection,
    task: TaskId,
    extension: &Extension,
    at: OffsetDateTime,
    by: UserId,
) -> Result<(), ServerError> {
    let at = timestamp(at);
    sqlx::query!(
        "INSERT INTO task_extension (task_id, due_on, reason, granted_by, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        task.0,
        extension.due,
        extension.reason,
        extension.granted_by,
        by.0,
        at
    )
    .execute(&mut *conn)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            ServerError::Conflict { field: "extension" }
        }
        _ => ServerError::Database(e),
    })?;
    Ok(())
}

/// A task's history, oldest first.
pub async fn task_history(
    conn: &mut SqliteConnection,
    task: TaskId,
) -> Result<Vec<TaskEvent>, ServerError> {
    sqlx::query!(
        r#"SELECT at, user_name, kind, status, due_on AS "due_on: Date", comment, assignee_name
           FROM task_event WHERE task_id = ?1 ORDER BY id"#,
        task.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|e| {
        event_of(
            e.at,
            e.user_name,
            &e.kind,
            &e.status,
            e.due_on,
            e.comment,
            e.assignee_name,
        )
    })
    .collect()
}

/// The history of every task of a stay, each task's oldest first, in one query.
pub async fn stay_task_histories(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Vec<(TaskId, Vec<TaskEvent>)>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT e.task_id AS "task_id!: TaskId", e.at, e.user_name, e.kind, e.status,
                  e.due_on AS "due_on: Date", e.comment, e.assignee_name
           FROM task_event e JOIN task t ON t.id = e.task_id
           WHERE t.stay_id = ?1 ORDER BY e.task_id, e.id"#,
        stay.0
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut histories: Vec<(TaskId, Vec<TaskEvent>)> = Vec::new();
    for e in rows {
        let event = event_of(
            e.at,
            e.user_name,
            &e.kind,
            &e.status,
            e.due_on,
            e.comment,
            e.assignee_name,
        )?;
        match histories.last_mut() {
            Some((task, events)) if *task == e.task_id => events.push(event),
            _ => histories.push((e.task_id, vec![event])),
        }
    }
    Ok(histories)
}

/// A history row from its stored columns.
fn event_of(
    at: String,
    by: Option<String>,
    kind: &str,
    status: &str,
    due: Option<Date>,
    comment: Option<String>,
    assignee: Option<String>,
) -> Result<TaskEvent, ServerError> {
    Ok(TaskEvent {
        at,
        by,
        kind: TaskEventKind::parse(kind).ok_or_else(|| corrupt("task_event.kind"))?,
        status: TaskStatus::parse(status).ok_or_else(|| corrupt("task_event.status"))?,
        due,
        comment,
        assignee,
    })
}

/// A task's extension, if one is recorded.
pub async fn task_extension(
    conn: &mut SqliteConnection,
    task: TaskId,
) -> Result<Option<Extension>, ServerError> {
    Ok(sqlx::query!(
        r#"SELECT due_on AS "due_on: Date", reason, granted_by FROM task_extension WHERE task_id = ?1"#,
        task.0
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|e| Extension {
        due: e.due_on,
        reason: e.reason,
        granted_by: e.granted_by,
    }))
}
