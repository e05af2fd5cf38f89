//! Residents, stays (one stay is one plan), children, tasks and their history. Every function
//! takes the caller's connection, so the service owns the transaction. Queries that serve a
//! caseworker carry the unit in their SQL.

use crate::domain::deadline::urgency;
use crate::domain::plan::{
    ChildView, ExitMeetingView, Extension, Gender, Intake, OtherStay, Outcome, PlanDetail,
    PlanList, PlanSummary, Referral, ResidentId, RuleId, StayFacts, StayId, TargetReason,
    TaskEvent, TaskEventKind, TaskId, TaskRow, TaskStatus, WantedTask,
};
use crate::domain::routine::Step;
use crate::domain::{DistrictId, ServiceKind, Unit, UserId};
use crate::server::ServerError;
use crate::server::repo::access_log::{ActorSnapshot, timestamp};
use sqlx::SqliteConnection;
use time::{Date, OffsetDateTime};

fn corrupt(what: &'static str) -> ServerError {
    ServerError::Pragma(format!("unexpected stored value in {what}"))
}

fn unit_of(district: Option<i64>, service: Option<&str>) -> Result<Option<Unit>, ServerError> {
    match (district, service) {
        (Some(d), Some(s)) => Ok(Some(Unit {
            district: DistrictId(d),
            service: ServiceKind::parse(s).map_err(|_| corrupt("task.service_kind"))?,
        })),
        (None, None) => Ok(None),
        _ => Err(corrupt("task unit")),
    }
}

/// Inserts a resident (a person), from the intake.
pub async fn insert_resident(
    conn: &mut SqliteConnection,
    intake: &Intake,
    at: OffsetDateTime,
) -> Result<ResidentId, ServerError> {
    let gender = intake.gender.as_str();
    let at = timestamp(at);
    let id = sqlx::query_scalar!(
        r#"INSERT INTO resident (name, birth_year, gender, case_reference, created_at)
           VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id AS "id!""#,
        intake.name,
        intake.birth_year,
        gender,
        intake.case_reference,
        at
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(ResidentId(id))
}

/// Inserts a stay (and so its plan) under a routine version, with its children.
pub async fn insert_stay(
    conn: &mut SqliteConnection,
    resident: ResidentId,
    routine_version_id: i64,
    intake: &Intake,
    at: OffsetDateTime,
    by: UserId,
) -> Result<StayId, ServerError> {
    let referral = intake.referral.as_str();
    let target = intake.target.map(|(d, _)| d.0);
    let reason = intake.target.map(|(_, r)| r.as_str());
    let at = timestamp(at);
    let id = sqlx::query_scalar!(
        r#"INSERT INTO stay (resident_id, routine_version_id, arrival, referral, home_district_id,
                             target_district_id, target_reason, secret_address, language,
                             interpreter, created_at, created_by)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id AS "id!""#,
        resident.0,
        routine_version_id,
        intake.arrival,
        referral,
        intake.home.0,
        target,
        reason,
        intake.secret_address,
        intake.language,
        intake.interpreter,
        at,
        by.0
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(foreign_key_as("home"))?;
    for year in &intake.children {
        insert_child(conn, StayId(id), *year).await?;
    }
    Ok(StayId(id))
}

/// A foreign-key violation (an unknown district or service id) as an invalid field.
pub fn foreign_key_as(field: &'static str) -> impl FnOnce(sqlx::Error) -> ServerError {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => ServerError::Field(field),
        _ => ServerError::Database(e),
    }
}

/// Adds a child (its birth year) to a stay.
pub async fn insert_child(
    conn: &mut SqliteConnection,
    stay: StayId,
    birth_year: i32,
) -> Result<(), ServerError> {
    sqlx::query!(
        "INSERT INTO child (stay_id, birth_year) VALUES (?1, ?2)",
        stay.0,
        birth_year
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What the task rules and the services need of a stay.
#[derive(Clone, Debug)]
pub struct StayState {
    pub facts: StayFacts,
    pub routine_version_id: i64,
    pub version: i64,
    pub handover_started: bool,
}

/// The stay's facts for the task rules; `None` when there is no such stay.
pub async fn stay_state(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Option<StayState>, ServerError> {
    let Some(r) = sqlx::query!(
        r#"SELECT s.arrival AS "arrival: Date", s.home_district_id, s.target_district_id,
                  s.concern_registered AS "concern_registered: Date",
                  s.report_received AS "report_received: Date",
                  s.review_concluded AS "review_concluded: Date",
                  s.planned_move_out AS "planned_move_out: Date",
                  s.move_out AS "move_out: Date", s.outcome, s.routine_version_id, s.version,
                  s.handover_started_at, s.handover_ended_at,
                  EXISTS (SELECT 1 FROM child c WHERE c.stay_id = s.id) AS "children!: bool"
           FROM stay s WHERE s.id = ?1"#,
        stay.0
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let outcome = match r.outcome.as_deref() {
        Some(o) => Some(Outcome::parse(o).ok_or_else(|| corrupt("stay.outcome"))?),
        None => None,
    };
    Ok(Some(StayState {
        facts: StayFacts {
            arrival: r.arrival,
            home: DistrictId(r.home_district_id),
            target: r.target_district_id.map(DistrictId),
            children: r.children,
            concern_registered: r.concern_registered,
            report_received: r.report_received,
            review_concluded: r.review_concluded,
            planned_move_out: r.planned_move_out,
            move_out: r.move_out,
            outcome,
            handover_done: r.handover_ended_at.is_some(),
        },
        routine_version_id: r.routine_version_id,
        version: r.version,
        handover_started: r.handover_started_at.is_some(),
    }))
}

/// Raises the stay's version if it still is `expected`; false when someone changed it first.
pub async fn bump_stay_version(
    conn: &mut SqliteConnection,
    stay: StayId,
    expected: i64,
) -> Result<bool, ServerError> {
    let done = sqlx::query!(
        "UPDATE stay SET version = version + 1 WHERE id = ?1 AND version = ?2",
        stay.0,
        expected
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The facts staff edit on the plan page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StayUpdate {
    pub target: Option<(DistrictId, TargetReason)>,
    pub planned_move_out: Option<Date>,
    pub secret_address: bool,
    pub language: Option<String>,
    pub interpreter: bool,
}

/// Stores the edited facts.
pub async fn update_stay(
    conn: &mut SqliteConnection,
    stay: StayId,
    update: &StayUpdate,
) -> Result<(), ServerError> {
    let target = update.target.map(|(d, _)| d.0);
    let reason = update.target.map(|(_, r)| r.as_str());
    sqlx::query!(
        "UPDATE stay SET target_district_id = ?2, target_reason = ?3, planned_move_out = ?4,
                         secret_address = ?5, language = ?6, interpreter = ?7
         WHERE id = ?1",
        stay.0,
        target,
        reason,
        update.planned_move_out,
        update.secret_address,
        update.language,
        update.interpreter
    )
    .execute(&mut *conn)
    .await
    .map_err(foreign_key_as("target"))?;
    Ok(())
}

/// The child welfare report's dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConcernDates {
    pub registered: Option<Date>,
    pub sent: Option<Date>,
    pub received: Option<Date>,
}

/// Stores the dates of the report of concern.
pub async fn update_concern(
    conn: &mut SqliteConnection,
    stay: StayId,
    dates: ConcernDates,
) -> Result<(), ServerError> {
    sqlx::query!(
        "UPDATE stay SET concern_registered = ?2, report_sent = ?3, report_received = ?4
         WHERE id = ?1",
        stay.0,
        dates.registered,
        dates.sent,
        dates.received
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the day child welfare concluded its review (a possible start of § 2-2's period).
pub async fn set_review_concluded(
    conn: &mut SqliteConnection,
    stay: StayId,
    on: Option<Date>,
) -> Result<(), ServerError> {
    sqlx::query!(
        "UPDATE stay SET review_concluded = ?2 WHERE id = ?1",
        stay.0,
        on
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The move-out as staff register it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveOut {
    pub on: Date,
    pub outcome: Outcome,
    pub main_coordinator: crate::domain::ServiceId,
    pub no_exit_meeting_reason: Option<String>,
}

/// Stores the move-out.
pub async fn set_move_out(
    conn: &mut SqliteConnection,
    stay: StayId,
    move_out: &MoveOut,
) -> Result<(), ServerError> {
    let outcome = move_out.outcome.as_str();
    sqlx::query!(
        "UPDATE stay SET move_out = ?2, outcome = ?3, main_coordinator_id = ?4,
                         no_exit_meeting_reason = ?5
         WHERE id = ?1",
        stay.0,
        move_out.on,
        outcome,
        move_out.main_coordinator.0,
        move_out.no_exit_meeting_reason
    )
    .execute(&mut *conn)
    .await
    .map_err(foreign_key_as("main_coordinator"))?;
    Ok(())
}

/// Whether the exit meeting is recorded as held.
pub async fn exit_meeting_held(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<bool, ServerError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM exit_meeting WHERE stay_id = ?1 AND held = 1) AS "held!: bool""#,
        stay.0
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Marks the start or end of the hand-over to the target district.
pub async fn set_handover(
    conn: &mut SqliteConnection,
    stay: StayId,
    started: Option<OffsetDateTime>,
    ended: Option<OffsetDateTime>,
) -> Result<(), ServerError> {
    let started = started.map(timestamp);
    let ended = ended.map(timestamp);
    sqlx::query!(
        "UPDATE stay SET handover_started_at = coalesce(handover_started_at, ?2),
                         handover_ended_at = coalesce(handover_ended_at, ?3)
         WHERE id = ?1",
        stay.0,
        started,
        ended
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A task as the generator compares it with what the facts call for.
#[derive(Clone, Debug)]
pub struct ExistingTask {
    pub id: TaskId,
    pub rule: RuleId,
    pub step: Step,
    pub unit: Option<Unit>,
    pub due: Date,
    pub status: TaskStatus,
}

/// The stay's tasks, in creation order.
pub async fn stay_tasks(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Vec<ExistingTask>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", rule_id, step, district_id, service_kind, due_on AS "due_on: Date", status
           FROM task WHERE stay_id = ?1 ORDER BY id"#,
        stay.0
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(ExistingTask {
                id: TaskId(r.id),
                rule: RuleId(r.rule_id),
                step: Step::parse(&r.step).ok_or_else(|| corrupt("task.step"))?,
                unit: unit_of(r.district_id, r.service_kind.as_deref())?,
                due: r.due_on,
                status: TaskStatus::parse(&r.status).ok_or_else(|| corrupt("task.status"))?,
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
    pub unit: Option<Unit>,
    pub status: TaskStatus,
    pub assignee: Option<UserId>,
    pub reason: Option<String>,
    pub closed_on: Option<Date>,
    pub version: i64,
}

/// A task's place and state; `None` when there is no such task.
pub async fn task_state(
    conn: &mut SqliteConnection,
    task: TaskId,
) -> Result<Option<TaskState>, ServerError> {
    let Some(r) = sqlx::query!(
        r#"SELECT stay_id, rule_id, step, district_id, service_kind, status, assignee_id, reason,
                  closed_on AS "closed_on: Date", version
           FROM task WHERE id = ?1"#,
        task.0
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(TaskState {
        stay: StayId(r.stay_id),
        rule: RuleId(r.rule_id),
        step: Step::parse(&r.step).ok_or_else(|| corrupt("task.step"))?,
        unit: unit_of(r.district_id, r.service_kind.as_deref())?,
        status: TaskStatus::parse(&r.status).ok_or_else(|| corrupt("task.status"))?,
        assignee: r.assignee_id.map(UserId),
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

/// Writes a change if the task is still in `inbox` (a unit's, or the crisis center's with
/// `None`) with version `expected`; false otherwise (someone saved first).
pub async fn write_task(
    conn: &mut SqliteConnection,
    task: TaskId,
    inbox: Option<Unit>,
    expected: i64,
    write: &TaskWrite<'_>,
) -> Result<bool, ServerError> {
    let status = write.status.as_str();
    let assignee = write.assignee.map(|u| u.0);
    let district = inbox.map(|u| u.district.0);
    let service = inbox.map(|u| u.service.as_str());
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
        "INSERT INTO task_event (task_id, at, user_id, user_name, kind, status, due_on, comment)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        event.task.0,
        at,
        user,
        name,
        kind,
        status,
        event.due,
        event.comment
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Queues the notice that a unit's inbox has a new task (no personal data in it).
pub async fn queue_task_notice(
    conn: &mut SqliteConnection,
    at: OffsetDateTime,
    unit: Unit,
    task: TaskId,
) -> Result<(), ServerError> {
    let at = timestamp(at);
    let service = unit.service.as_str();
    sqlx::query!(
        "INSERT INTO outbox (created_at, kind, district_id, service_kind, task_id)
         VALUES (?1, 'task_assigned', ?2, ?3, ?4)",
        at,
        unit.district.0,
        service,
        task.0
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

/// The raw task row of the list queries.
struct RawTask {
    id: i64,
    stay_id: i64,
    resident: String,
    step: String,
    district: Option<String>,
    district_id: Option<i64>,
    service_kind: Option<String>,
    due_on: Date,
    extended_to: Option<Date>,
    status: String,
    assignee: Option<String>,
}

impl RawTask {
    fn into_row(self, today: Date, soon_days: u16) -> Result<TaskRow, ServerError> {
        let status = TaskStatus::parse(&self.status).ok_or_else(|| corrupt("task.status"))?;
        let due = self.extended_to.unwrap_or(self.due_on);
        Ok(TaskRow {
            id: TaskId(self.id),
            stay: StayId(self.stay_id),
            resident: self.resident,
            step: Step::parse(&self.step).ok_or_else(|| corrupt("task.step"))?,
            unit: unit_of(self.district_id, self.service_kind.as_deref())?,
            district: self.district,
            due: self.due_on,
            extended_to: self.extended_to,
            status,
            assignee: self.assignee,
            urgency: urgency(due, today, status.is_closed(), soon_days),
        })
    }
}

/// The open tasks of one inbox (a unit's, or the crisis center's with `None`), the earliest
/// (effective) due date first: overdue, then due soon, then the rest.
pub async fn inbox(
    conn: &mut SqliteConnection,
    unit: Option<Unit>,
    today: Date,
    soon_days: u16,
) -> Result<Vec<TaskRow>, ServerError> {
    let district = unit.map(|u| u.district.0);
    let service = unit.map(|u| u.service.as_str());
    let rows = sqlx::query_as!(
        RawTask,
        r#"SELECT t.id AS "id!", t.stay_id, r.name AS resident, t.step, t.district_id, t.service_kind,
                  t.due_on AS "due_on: Date", e.due_on AS "extended_to?: Date", t.status,
                  u.name AS "assignee?", d.name AS "district?"
           FROM task t
           JOIN stay s ON s.id = t.stay_id
           JOIN resident r ON r.id = s.resident_id
           LEFT JOIN task_extension e ON e.task_id = t.id
           LEFT JOIN app_user u ON u.id = t.assignee_id
           LEFT JOIN district d ON d.id = t.district_id
           WHERE t.district_id IS ?1 AND t.service_kind IS ?2
             AND t.status IN ('open', 'in_progress')
           ORDER BY coalesce(e.due_on, t.due_on), t.id"#,
        district,
        service
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| r.into_row(today, soon_days))
        .collect()
}

/// The tasks of one stay; `scope` keeps to one unit's tasks (a caseworker's view).
pub async fn plan_tasks(
    conn: &mut SqliteConnection,
    stay: StayId,
    scope: Option<Unit>,
    today: Date,
    soon_days: u16,
) -> Result<Vec<TaskRow>, ServerError> {
    let scoped = scope.is_some();
    let district = scope.map(|u| u.district.0);
    let service = scope.map(|u| u.service.as_str());
    let rows = sqlx::query_as!(
        RawTask,
        r#"SELECT t.id AS "id!", t.stay_id, r.name AS resident, t.step, t.district_id, t.service_kind,
                  t.due_on AS "due_on: Date", e.due_on AS "extended_to?: Date", t.status,
                  u.name AS "assignee?", d.name AS "district?"
           FROM task t
           JOIN stay s ON s.id = t.stay_id
           JOIN resident r ON r.id = s.resident_id
           LEFT JOIN task_extension e ON e.task_id = t.id
           LEFT JOIN app_user u ON u.id = t.assignee_id
           LEFT JOIN district d ON d.id = t.district_id
           WHERE t.stay_id = ?1
             AND (NOT ?2 OR (t.district_id IS ?3 AND t.service_kind IS ?4))
           ORDER BY coalesce(e.due_on, t.due_on), t.id"#,
        stay.0,
        scoped,
        district,
        service
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| r.into_row(today, soon_days))
        .collect()
}

/// Whether a unit has (or had) a task in a stay: what lets its caseworkers see the plan.
pub async fn unit_has_task(
    conn: &mut SqliteConnection,
    stay: StayId,
    unit: Unit,
) -> Result<bool, ServerError> {
    let service = unit.service.as_str();
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM task WHERE stay_id = ?1 AND district_id = ?2
                                              AND service_kind = ?3) AS "x!: bool""#,
        stay.0,
        unit.district.0,
        service
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// The crisis center's list: every stay not yet moved out, and every stay with open tasks,
/// with counts of overdue, due-soon and open tasks; the `limit` most urgent first, and how
/// many there are in all.
pub async fn plan_list(
    conn: &mut SqliteConnection,
    today: Date,
    soon_until: Date,
    limit: i64,
) -> Result<PlanList, ServerError> {
    let rows = sqlx::query!(
        r#"WITH counts AS (
               SELECT t.stay_id,
                      sum(coalesce(e.due_on, t.due_on) < ?1) AS overdue,
                      sum(coalesce(e.due_on, t.due_on) BETWEEN ?1 AND ?2) AS soon,
                      count(*) AS open
               FROM task t LEFT JOIN task_extension e ON e.task_id = t.id
               WHERE t.status IN ('open', 'in_progress')
               GROUP BY t.stay_id
           ),
           -- The stays with open tasks, and those still in the house without any.
           candidates AS (
               SELECT stay_id AS id, overdue, soon, open FROM counts
               UNION ALL
               SELECT s.id, 0, 0, 0 FROM stay s
               WHERE s.move_out IS NULL
                 AND NOT EXISTS (SELECT 1 FROM task t WHERE t.stay_id = s.id
                                                        AND t.status IN ('open', 'in_progress'))
           ),
           -- Ranked and cut before the per-row details, which are then worked out for the rows
           -- shown only (the total still counts them all).
           listed AS (
               SELECT c.id, c.overdue, c.soon, c.open, s.resident_id, s.arrival,
                      s.home_district_id, s.target_district_id, s.move_out,
                      count(*) OVER () AS total
               FROM candidates c JOIN stay s ON s.id = c.id
               ORDER BY c.overdue DESC, c.soon DESC, s.arrival, s.id
               LIMIT ?3
           )
           SELECT l.id AS "id!", r.name, r.birth_year, l.arrival AS "arrival: Date",
                  h.name AS home, g.name AS "target?", l.move_out AS "move_out: Date",
                  (SELECT count(*) FROM child c WHERE c.stay_id = l.id) AS "children!: i64",
                  EXISTS (SELECT 1 FROM stay p WHERE p.resident_id = l.resident_id
                                                 AND p.arrival < l.arrival) AS "returning!: bool",
                  l.overdue AS "overdue!: i64", l.soon AS "soon!: i64",
                  l.open AS "open!: i64", l.total AS "total!: i64"
           FROM listed l
           JOIN resident r ON r.id = l.resident_id
           JOIN district h ON h.id = l.home_district_id
           LEFT JOIN district g ON g.id = l.target_district_id
           ORDER BY l.overdue DESC, l.soon DESC, l.arrival, l.id"#,
        today,
        soon_until,
        limit
    )
    .fetch_all(&mut *conn)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let plans = rows
        .into_iter()
        .map(|r| PlanSummary {
            stay: StayId(r.id),
            resident: r.name,
            birth_year: i32::try_from(r.birth_year).unwrap_or_default(),
            arrival: r.arrival,
            home_district: r.home,
            target_district: r.target,
            children: r.children,
            move_out: r.move_out,
            returning: r.returning,
            overdue: r.overdue,
            due_soon: r.soon,
            open: r.open,
        })
        .collect();
    Ok(PlanList { plans, total })
}

/// The plan page's facts (without tasks, meeting and other stays). `None` when unknown.
pub async fn plan_facts(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Option<PlanDetail>, ServerError> {
    let Some(r) = sqlx::query!(
        r#"SELECT s.id AS "id!", s.version, v.version AS routine_version, r.name,
                  r.birth_year, r.gender, r.case_reference, s.referral,
                  s.arrival AS "arrival: Date", s.home_district_id, h.name AS home_name,
                  s.target_district_id, g.name AS "target_name?", s.target_reason,
                  s.secret_address AS "secret_address: bool", s.language,
                  s.interpreter AS "interpreter: bool",
                  s.concern_registered AS "concern_registered: Date",
                  s.report_sent AS "report_sent: Date",
                  s.report_received AS "report_received: Date",
                  s.review_concluded AS "review_concluded: Date",
                  s.planned_move_out AS "planned_move_out: Date",
                  m.name AS "main_coordinator?", s.no_exit_meeting_reason,
                  s.move_out AS "move_out: Date", s.outcome, s.handover_started_at,
                  s.handover_ended_at
           FROM stay s
           JOIN resident r ON r.id = s.resident_id
           JOIN routine_version v ON v.id = s.routine_version_id
           JOIN district h ON h.id = s.home_district_id
           LEFT JOIN district g ON g.id = s.target_district_id
           LEFT JOIN service m ON m.id = s.main_coordinator_id
           WHERE s.id = ?1"#,
        stay.0
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let children = sqlx::query!(
        "SELECT birth_year FROM child WHERE stay_id = ?1 ORDER BY birth_year, id",
        stay.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|c| ChildView {
        birth_year: i32::try_from(c.birth_year).unwrap_or_default(),
    })
    .collect();
    Ok(Some(PlanDetail {
        stay: StayId(r.id),
        version: r.version,
        routine_version: r.routine_version,
        name: r.name,
        birth_year: i32::try_from(r.birth_year).unwrap_or_default(),
        gender: Gender::parse(&r.gender),
        case_reference: r.case_reference,
        referral: Referral::parse(&r.referral),
        arrival: r.arrival,
        home: DistrictId(r.home_district_id),
        home_name: r.home_name,
        target: r.target_district_id.map(DistrictId),
        target_name: r.target_name,
        target_reason: r.target_reason.as_deref().and_then(TargetReason::parse),
        secret_address: r.secret_address,
        language: r.language,
        interpreter: r.interpreter,
        children,
        concern_registered: r.concern_registered,
        report_sent: r.report_sent,
        report_received: r.report_received,
        review_concluded: r.review_concluded,
        planned_move_out: r.planned_move_out,
        main_coordinator: r.main_coordinator,
        no_exit_meeting_reason: r.no_exit_meeting_reason,
        move_out: r.move_out,
        outcome: r.outcome.as_deref().and_then(Outcome::parse),
        handover_started_at: r.handover_started_at,
        handover_ended_at: r.handover_ended_at,
        exit_meeting: None,
        other_stays: Vec::new(),
        possible_matches: Vec::new(),
        merges: Vec::new(),
        services: Vec::new(),
        returning: false,
        tasks: Vec::new(),
        whole: false,
    }))
}

/// The exit meeting of a stay, if one is planned.
pub async fn exit_meeting(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Option<ExitMeetingView>, ServerError> {
    let Some(m) = sqlx::query!(
        r#"SELECT starts_at, held AS "held: bool", summary FROM exit_meeting WHERE stay_id = ?1"#,
        stay.0
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let services = sqlx::query!(
        "SELECT x.service_id, s.name, x.attendance
         FROM exit_meeting_service x JOIN service s ON s.id = x.service_id
         WHERE x.stay_id = ?1 ORDER BY s.district_id, s.kind, s.id",
        stay.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|s| {
        Ok(crate::domain::plan::MeetingService {
            service: crate::domain::ServiceId(s.service_id),
            name: s.name,
            attendance: crate::domain::plan::Attendance::parse(&s.attendance)
                .ok_or_else(|| corrupt("exit_meeting_service.attendance"))?,
        })
    })
    .collect::<Result<Vec<_>, ServerError>>()?;
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let starts_in_repeated_hour =
        time::PrimitiveDateTime::parse(&m.starts_at, &format).is_ok_and(|t| {
            crate::server::clock::oslo_local_time(t)
                == crate::server::clock::OsloLocalTime::Repeated
        });
    Ok(Some(ExitMeetingView {
        starts_at: m.starts_at,
        starts_in_repeated_hour,
        held: m.held,
        summary: m.summary,
        services,
    }))
}

/// Plans (or re-plans) the exit meeting: its time, and the invited services (answers of
/// services still invited are kept; services no longer invited are removed).
pub async fn save_exit_meeting(
    conn: &mut SqliteConnection,
    stay: StayId,
    starts_at: &str,
    invited: &[crate::domain::ServiceId],
) -> Result<(), ServerError> {
    sqlx::query!(
        "INSERT INTO exit_meeting (stay_id, starts_at) VALUES (?1, ?2)
         ON CONFLICT (stay_id) DO UPDATE SET starts_at = excluded.starts_at",
        stay.0,
        starts_at
    )
    .execute(&mut *conn)
    .await?;
    let keep = serde_json::to_string(&invited.iter().map(|s| s.0).collect::<Vec<_>>())
        .map_err(|e| ServerError::Pragma(e.to_string()))?;
    sqlx::query!(
        "DELETE FROM exit_meeting_service
         WHERE stay_id = ?1 AND service_id NOT IN (SELECT value FROM json_each(?2))",
        stay.0,
        keep
    )
    .execute(&mut *conn)
    .await?;
    for service in invited {
        sqlx::query!(
            "INSERT INTO exit_meeting_service (stay_id, service_id) VALUES (?1, ?2)
             ON CONFLICT DO NOTHING",
            stay.0,
            service.0
        )
        .execute(&mut *conn)
        .await
        .map_err(foreign_key_as("invited"))?;
    }
    Ok(())
}

/// A district's NAV office, child welfare service and violence coordinator.
pub async fn standard_services(
    conn: &mut SqliteConnection,
    district: DistrictId,
) -> Result<Vec<(crate::domain::ServiceId, ServiceKind)>, ServerError> {
    sqlx::query!(
        r#"SELECT id AS "id!", kind FROM service WHERE district_id = ?1 AND kind <> 'other' ORDER BY kind"#,
        district.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| {
        Ok((
            crate::domain::ServiceId(r.id),
            ServiceKind::parse(&r.kind).map_err(|_| corrupt("service.kind"))?,
        ))
    })
    .collect()
}

/// Every service of a district, by name.
pub async fn services_of(
    conn: &mut SqliteConnection,
    district: DistrictId,
) -> Result<Vec<crate::domain::plan::ServiceChoice>, ServerError> {
    Ok(sqlx::query!(
        r#"SELECT id AS "id!", name FROM service WHERE district_id = ?1 ORDER BY kind = 'other', kind, name"#,
        district.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| crate::domain::plan::ServiceChoice {
        service: crate::domain::ServiceId(r.id),
        name: r.name,
    })
    .collect())
}

/// Records how an invited service answered.
pub async fn set_attendance(
    conn: &mut SqliteConnection,
    stay: StayId,
    service: crate::domain::ServiceId,
    attendance: crate::domain::plan::Attendance,
) -> Result<(), ServerError> {
    let attendance = attendance.as_str();
    sqlx::query!(
        "UPDATE exit_meeting_service SET attendance = ?3 WHERE stay_id = ?1 AND service_id = ?2",
        stay.0,
        service.0,
        attendance
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Marks the exit meeting held, with its summary.
pub async fn mark_exit_meeting_held(
    conn: &mut SqliteConnection,
    stay: StayId,
    summary: Option<&str>,
) -> Result<(), ServerError> {
    sqlx::query!(
        "UPDATE exit_meeting SET held = 1, summary = ?2 WHERE stay_id = ?1",
        stay.0,
        summary
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Stays of the same person (other than `stay`), and stays that may be the same person: the
/// same case reference, or the same name and birth year under another resident record.
pub async fn related_stays(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<(Vec<OtherStay>, Vec<OtherStay>), ServerError> {
    let rows = sqlx::query!(
        r#"WITH me AS (
               SELECT r.id, r.name, r.birth_year, r.case_reference
               FROM stay s JOIN resident r ON r.id = s.resident_id WHERE s.id = ?1
           ), people AS (
               SELECT id FROM me
               UNION SELECT r.id FROM resident r, me
                     WHERE me.case_reference IS NOT NULL AND r.case_reference = me.case_reference
               UNION SELECT r.id FROM resident r, me
                     WHERE r.name = me.name COLLATE NOCASE AND r.birth_year = me.birth_year
           )
           SELECT o.id AS "id!", o.arrival AS "arrival: Date", o.move_out AS "move_out: Date",
                  o.outcome, (o.resident_id = (SELECT id FROM me)) AS "same!: bool"
           FROM stay o
           WHERE o.resident_id IN (SELECT id FROM people) AND o.id <> ?1
           ORDER BY o.arrival, o.id"#,
        stay.0
    )
    .fetch_all(&mut *conn)
    .await?;
    let (mut same, mut maybe) = (Vec::new(), Vec::new());
    for r in rows {
        let other = OtherStay {
            stay: StayId(r.id),
            arrival: r.arrival,
            move_out: r.move_out,
            outcome: r.outcome.as_deref().and_then(Outcome::parse),
        };
        if r.same {
            same.push(other)
        } else {
            maybe.push(other)
        }
    }
    Ok((same, maybe))
}

/// A task's history, oldest first.
pub async fn task_history(
    conn: &mut SqliteConnection,
    task: TaskId,
) -> Result<Vec<TaskEvent>, ServerError> {
    sqlx::query!(
        r#"SELECT at, user_name, kind, status, due_on AS "due_on: Date", comment
           FROM task_event WHERE task_id = ?1 ORDER BY id"#,
        task.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|e| {
        Ok(TaskEvent {
            at: e.at,
            by: e.user_name,
            kind: TaskEventKind::parse(&e.kind).ok_or_else(|| corrupt("task_event.kind"))?,
            status: TaskStatus::parse(&e.status).ok_or_else(|| corrupt("task_event.status"))?,
            due: e.due_on,
            comment: e.comment,
        })
    })
    .collect()
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

/// The task row of one task of `inbox` (a unit's, or `None` for the crisis center's), with the
/// resident's name, its reason and version. `None` when the task is unknown or in another inbox:
/// the inbox is in the SQL, not checked afterwards.
pub async fn task_row(
    conn: &mut SqliteConnection,
    task: TaskId,
    inbox: Option<Unit>,
    today: Date,
    soon_days: u16,
) -> Result<Option<(TaskRow, Option<String>, Option<UserId>, Option<String>, i64)>, ServerError> {
    let district = inbox.map(|u| u.district.0);
    let kind = inbox.map(|u| u.service.as_str());
    let Some(r) = sqlx::query!(
        r#"SELECT t.id AS "id!", t.stay_id, r.name AS resident, t.step, t.district_id, t.service_kind,
                  t.due_on AS "due_on: Date", e.due_on AS "extended_to?: Date", t.status,
                  u.name AS "assignee?", t.assignee_id, t.reason, t.version, d.name AS "district?"
           FROM task t
           JOIN stay s ON s.id = t.stay_id
           JOIN resident r ON r.id = s.resident_id
           LEFT JOIN task_extension e ON e.task_id = t.id
           LEFT JOIN app_user u ON u.id = t.assignee_id
           LEFT JOIN district d ON d.id = t.district_id
           WHERE t.id = ?1 AND t.district_id IS ?2 AND t.service_kind IS ?3"#,
        task.0,
        district,
        kind
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let row = RawTask {
        id: r.id,
        stay_id: r.stay_id,
        resident: r.resident,
        step: r.step,
        district: r.district.clone(),
        district_id: r.district_id,
        service_kind: r.service_kind,
        due_on: r.due_on,
        extended_to: r.extended_to,
        status: r.status,
        assignee: r.assignee,
    }
    .into_row(today, soon_days)?;
    Ok(Some((
        row,
        r.district,
        r.assignee_id.map(UserId),
        r.reason,
        r.version,
    )))
}

/// Counts of open tasks per district and service on an Oslo date: overdue, due soon, open.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeadlineCount {
    /// `None`: the crisis center.
    pub district: Option<String>,
    pub service: Option<ServiceKind>,
    pub overdue: i64,
    pub due_soon: i64,
    pub open: i64,
}

/// The deadline scan: every open task, counted per district and service.
pub async fn deadline_counts(
    conn: &mut SqliteConnection,
    district: Option<DistrictId>,
    today: Date,
    soon_until: Date,
) -> Result<Vec<DeadlineCount>, ServerError> {
    let district = district.map(|d| d.0);
    let rows = sqlx::query!(
        r#"SELECT d.name AS "district?", t.service_kind,
                  sum(coalesce(e.due_on, t.due_on) < ?1) AS "overdue!: i64",
                  sum(coalesce(e.due_on, t.due_on) BETWEEN ?1 AND ?2) AS "soon!: i64",
                  count(*) AS "open!: i64"
           FROM task t
           LEFT JOIN task_extension e ON e.task_id = t.id
           LEFT JOIN district d ON d.id = t.district_id
           WHERE t.status IN ('open', 'in_progress') AND (?3 IS NULL OR t.district_id = ?3)
           GROUP BY t.district_id, t.service_kind
           ORDER BY d.name IS NOT NULL, d.name, t.service_kind"#,
        today,
        soon_until,
        district
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(DeadlineCount {
                district: r.district,
                service: match r.service_kind.as_deref() {
                    Some(s) => {
                        Some(ServiceKind::parse(s).map_err(|_| corrupt("task.service_kind"))?)
                    }
                    None => None,
                },
                overdue: r.overdue,
                due_soon: r.soon,
                open: r.open,
            })
        })
        .collect()
}

/// The Oslo date `soon_days` after `today` (the end of the due-soon window).
pub fn soon_until(today: Date, soon_days: u16) -> Date {
    today.saturating_add(time::Duration::days(i64::from(soon_days)))
}
