//! Re-establishment plans: intake, the facts staff record along the resident's path, the tasks
//! those facts call for, and the caseworkers' work on their tasks. Every change is one
//! `BEGIN IMMEDIATE` transaction with its access-log row, its task-history rows and its outbox
//! rows; every read of personal data leaves its access-log row before the data is returned.

use crate::domain::deadline::Period;
use crate::domain::plan::{
    Extension, Intake, PLAN_LIST_LIMIT, PlanDetail, PlanList, StayId, TaskChange, TaskDetail,
    TaskEventKind, TaskId, TaskRow, TaskStatus, wanted_tasks,
};
use crate::domain::routine::Step;
use crate::domain::{DistrictId, ServiceId, ServiceKind, Unit};
use crate::server::ServerError;
use crate::server::db::{Db, WriteTx};
use crate::server::repo::access_log::{self, ActorSnapshot, Touched};
use crate::server::repo::plans::{
    self as repo, ConcernDates, DeadlineCount, EventWrite, MoveOut, StayUpdate, TaskWrite,
};
use crate::server::repo::residents;
use sqlx::SqliteConnection;
use time::{Date, OffsetDateTime};

/// The moment of a call: the instant (for timestamps) and the Oslo date (for deadlines).
#[derive(Clone, Copy, Debug)]
pub struct When {
    pub at: OffsetDateTime,
    pub today: Date,
    /// The "due soon" window in days.
    pub soon_days: u16,
}

/// A task as a change addresses it: the caller's inbox (a unit's, or `None` for the crisis
/// center), the task, and the version the caller read.
#[derive(Clone, Copy, Debug)]
pub struct TaskRef {
    pub inbox: Option<Unit>,
    pub task: TaskId,
    pub version: i64,
}

/// Who looks at a plan: crisis center staff see all of it; a caseworker sees the plans their
/// unit has a task in, and of those only their unit's tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    CrisisCenter,
    Unit(Unit),
}

/// § 2-2: an investigation may be extended to six months from the date the period counts from.
pub const EXTENDED_INVESTIGATION: Period = Period::Months(6);

fn stay_touched(stay: StayId, district: DistrictId) -> Touched {
    Touched::object("stay", stay, Some(district))
}

/// A date staff plan (a move-out, the exit meeting): not before the arrival, and within
/// [`PLAN_AHEAD`] of today; a stay is planned in weeks, and a year such as 9999 is a typing error.
fn planned_date_fits(date: Date, arrival: Date, today: Date) -> bool {
    date >= arrival && date <= today.saturating_add(PLAN_AHEAD)
}

/// How far ahead a planned date may lie.
pub const PLAN_AHEAD: time::Duration = time::Duration::days(366);

/// Registers a new resident's stay and creates its plan under the newest routine version, with
/// the tasks that apply from the start.
#[tracing::instrument(skip_all)]
pub async fn create_plan(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    intake: &Intake,
) -> Result<StayId, ServerError> {
    let mut tx = db.begin_write().await?;
    // Each unknown district is named as its own field (the foreign key alone cannot say which).
    for (district, field) in [
        (Some(intake.home), "home"),
        (intake.target.map(|t| t.0), "target"),
    ] {
        if let Some(district) = district
            && !crate::server::repo::directory::district_exists(&mut tx, district).await?
        {
            return Err(ServerError::Field(field));
        }
    }
    let version = crate::server::repo::routines::latest_version_id(&mut tx).await?;
    let resident = repo::insert_resident(&mut tx, intake, when.at).await?;
    let stay = repo::insert_stay(&mut tx, resident, version, intake, when.at, by.user).await?;
    sync_tasks(&mut tx, stay, when).await?;
    access_log::append_ok(
        &mut tx,
        when.at,
        by,
        "plan.create",
        stay_touched(stay, intake.home),
    )
    .await?;
    tx.commit().await?;
    Ok(stay)
}

/// Brings a plan's tasks in line with its facts: creates the tasks whose conditions now hold
/// and whose dates are known, moves open tasks whose anchor date changed, withdraws open tasks
/// that no longer apply (and reopens them when they apply again), hands target-district tasks
/// over when the transfer is complete, and records the hand-over's start and end. Each new,
/// moved, withdrawn or reopened task gets a history row; new, moved and reopened ones a notice
/// for their unit. Tasks that people closed are never touched.
async fn sync_tasks(
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
    let mut facts = state.facts;
    let transfers = || existing.iter().filter(|t| t.step == Step::Transfer);
    if facts.target.is_some()
        && !facts.handover_done
        && transfers().next().is_some()
        && transfers().all(|t| t.status.is_finished())
    {
        repo::set_handover(conn, stay, Some(when.at), Some(when.at)).await?;
        facts.handover_done = true;
    }
    let wanted_now = wanted_tasks(&routine, &ids, &facts);
    let mut transfer_exists = false;
    for wanted in &wanted_now {
        transfer_exists |= wanted.step == Step::Transfer;
        // A task that opens now (new, or withdrawn before): its history row and a notice.
        let opened = match existing.iter().find(|t| t.rule == wanted.rule) {
            None => Some((
                repo::insert_task(conn, stay, wanted, when.at).await?,
                TaskEventKind::Created,
            )),
            Some(task) if task.status == TaskStatus::Withdrawn => {
                repo::reinstate_task(conn, task.id, wanted.unit, wanted.due).await?;
                Some((task.id, TaskEventKind::Status))
            }
            Some(task)
                if !task.status.is_closed()
                    && (task.due, task.unit) != (wanted.due, wanted.unit) =>
            {
                repo::retarget_task(conn, task.id, wanted.unit, wanted.due).await?;
                let kind = if task.unit == wanted.unit {
                    TaskEventKind::DueChanged
                } else {
                    TaskEventKind::Moved
                };
                portal_event(conn, task.id, when, kind, task.status, wanted.due).await?;
                if let (TaskEventKind::Moved, Some(unit)) = (kind, wanted.unit) {
                    repo::queue_task_notice(conn, when.at, unit, task.id).await?;
                }
                None
            }
            Some(_) => None,
        };
        if let Some((task, kind)) = opened {
            portal_event(conn, task, when, kind, TaskStatus::Open, wanted.due).await?;
            if let Some(unit) = wanted.unit {
                repo::queue_task_notice(conn, when.at, unit, task).await?;
            }
        }
    }
    let no_longer_wanted = existing
        .iter()
        .filter(|t| !t.status.is_closed() && !wanted_now.iter().any(|w| w.rule == t.rule));
    for task in no_longer_wanted {
        repo::withdraw_task(conn, task.id, when.today).await?;
        portal_event(
            conn,
            task.id,
            when,
            TaskEventKind::Status,
            TaskStatus::Withdrawn,
            task.due,
        )
        .await?;
    }
    if facts.target.is_some() && transfer_exists && !state.handover_started {
        repo::set_handover(conn, stay, Some(when.at), None).await?;
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
        },
    )
    .await
}

/// Closes the crisis center's open task of `step` because the fact it asks for is now recorded
/// (the report sent, the exit meeting held, the main coordinator named).
async fn close_by_fact(
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
        let state = repo::task_state(conn, task.id)
            .await?
            .ok_or(ServerError::NotFound)?;
        let write = TaskWrite {
            status: TaskStatus::Done,
            assignee: state.assignee,
            reason: None,
            closed_on: Some(when.today),
        };
        if !repo::write_task(conn, task.id, state.unit, state.version, &write).await? {
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
            },
        )
        .await?;
    }
    Ok(())
}

/// Begins a change of a stay's facts: the stay must exist and still have `version`.
async fn begin_stay_change(
    conn: &mut SqliteConnection,
    stay: StayId,
    version: i64,
) -> Result<repo::StayState, ServerError> {
    let state = repo::stay_state(conn, stay)
        .await?
        .ok_or(ServerError::NotFound)?;
    if !repo::bump_stay_version(conn, stay, version).await? {
        return Err(ServerError::Stale);
    }
    Ok(state)
}

/// The facts of the stay itself (target district, planned move-out, exit meeting) are closed
/// once the move-out is registered; the report of concern, children and links stay open.
fn refuse_after_move_out(state: &repo::StayState) -> Result<(), ServerError> {
    match state.facts.move_out {
        Some(_) => Err(ServerError::Field("move_out")),
        None => Ok(()),
    }
}

/// Ends a change of a stay: its access-log row, then the commit.
async fn finish_stay_change(
    mut tx: WriteTx,
    when: When,
    by: &ActorSnapshot,
    action: &'static str,
    stay: StayId,
    home: DistrictId,
) -> Result<(), ServerError> {
    access_log::append_ok(&mut tx, when.at, by, action, stay_touched(stay, home)).await?;
    tx.commit().await?;
    Ok(())
}

/// Begins a person's change of a task: the task must be in the caller's inbox (else
/// `NotFound`, as for a task that does not exist) and still have the version they read.
async fn begin_task_change(
    conn: &mut SqliteConnection,
    at: TaskRef,
) -> Result<repo::TaskState, ServerError> {
    let state = repo::task_state(conn, at.task)
        .await?
        .filter(|s| s.unit == at.inbox)
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
    action: &'static str,
    at: TaskRef,
) -> Result<(), ServerError> {
    let touched = Touched::object("task", at.task, at.inbox.map(|u| u.district));
    access_log::append_ok(&mut tx, when.at, by, action, touched).await?;
    tx.commit().await?;
    Ok(())
}

/// The crisis center's list of plans, the most urgent first (at most `PLAN_LIST_LIMIT`).
/// Names are personal data: one
/// access-log row per read.
#[tracing::instrument(skip_all)]
pub async fn plans(db: &Db, when: When, by: &ActorSnapshot) -> Result<PlanList, ServerError> {
    let mut tx = db.begin_read().await?;
    let list = repo::plan_list(
        &mut tx,
        when.today,
        repo::soon_until(when.today, when.soon_days),
        PLAN_LIST_LIMIT,
    )
    .await?;
    tx.commit().await?;
    let touched = Touched {
        stays: access_log::stay_list(list.plans.iter().map(|p| p.stay)),
        ..Touched::default()
    };
    log_read(db, when, by, "plan.list", touched).await?;
    Ok(list)
}

/// The access-log row of a read, in a short write transaction of its own after the read (which
/// ran in a read transaction, off the write lock); committed before the caller answers.
async fn log_read(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    action: &'static str,
    touched: Touched,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    access_log::append_ok(&mut tx, when.at, by, action, touched).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends a read that found nothing the caller may see (an unknown id, or one outside their
/// reach): a `refused` row, so that guessing ids leaves a trace, then `NotFound`, the same
/// answer in both cases. The row names the id asked for and the caller's own district.
async fn refuse_read<T>(
    read: sqlx::Transaction<'_, sqlx::Sqlite>,
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    action: &'static str,
    asked: Touched,
) -> Result<T, ServerError> {
    read.commit().await?;
    let mut tx = db.begin_write().await?;
    access_log::append_refused(&mut tx, when.at, by, action, asked).await?;
    tx.commit().await?;
    Err(ServerError::NotFound)
}

/// One plan, as `viewer` may see it. A caseworker whose unit has no task in the plan gets
/// `NotFound`, exactly as for a plan that does not exist.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn plan(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    viewer: Viewer,
    stay: StayId,
) -> Result<PlanDetail, ServerError> {
    let mut tx = db.begin_read().await?;
    let scope = match viewer {
        Viewer::CrisisCenter => None,
        Viewer::Unit(unit) => {
            if !repo::unit_has_task(&mut tx, stay, unit).await? {
                let touched = Touched::object("stay", stay, Some(unit.district));
                return refuse_read(tx, db, when, by, "plan.read", touched).await;
            }
            Some(unit)
        }
    };
    let Some(mut plan) = repo::plan_facts(&mut tx, stay).await? else {
        return refuse_read(
            tx,
            db,
            when,
            by,
            "plan.read",
            Touched::object("stay", stay, None),
        )
        .await;
    };
    plan.tasks = repo::plan_tasks(&mut tx, stay, scope, when.today, when.soon_days).await?;
    plan.exit_meeting = repo::exit_meeting(&mut tx, stay).await?;
    if viewer == Viewer::CrisisCenter {
        let (same, maybe) = repo::related_stays(&mut tx, stay).await?;
        plan.returning = same.iter().any(|o| o.arrival < plan.arrival);
        plan.other_stays = same;
        plan.possible_matches = maybe;
        plan.merges = residents::merges_into(&mut tx, stay).await?;
        for district in [Some(plan.home), plan.target].into_iter().flatten() {
            plan.services
                .extend(repo::services_of(&mut tx, district).await?);
        }
        plan.whole = true;
    } else {
        // A caseworker needs the person, the dates and the districts; not how they came, the
        // crisis center's case reference, other stays, or the meeting's summary.
        plan.referral = None;
        plan.case_reference = None;
        plan.gender = None;
        plan.no_exit_meeting_reason = None;
        if let Some(meeting) = &mut plan.exit_meeting {
            meeting.summary = None;
        }
    }
    tx.commit().await?;
    log_read(db, when, by, "plan.read", stay_touched(stay, plan.home)).await?;
    Ok(plan)
}

/// Changes the facts staff edit on the plan page (target district and why, planned move-out,
/// secret-address flag, language and interpreter), then brings the tasks in line.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn update_plan(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    update: &StayUpdate,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    refuse_after_move_out(&state)?;
    if update.target.is_some_and(|(d, _)| d == state.facts.home) {
        return Err(ServerError::Field("target"));
    }
    if update
        .planned_move_out
        .is_some_and(|d| !planned_date_fits(d, state.facts.arrival, when.today))
    {
        return Err(ServerError::Field("planned_move_out"));
    }
    if let Some((target, _)) = update.target
        && !crate::server::repo::directory::district_exists(&mut tx, target).await?
    {
        return Err(ServerError::Field("target"));
    }
    repo::update_stay(&mut tx, stay, update).await?;
    sync_tasks(&mut tx, stay, when).await?;
    finish_stay_change(tx, when, by, "plan.update", stay, state.facts.home).await
}

/// Adds a child to the stay (tasks that need children may appear).
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn add_child(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    birth_year: i32,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    repo::insert_child(&mut tx, stay, birth_year).await?;
    sync_tasks(&mut tx, stay, when).await?;
    finish_stay_change(tx, when, by, "plan.add_child", stay, state.facts.home).await
}

/// Records the report of concern to child welfare: when the need was registered, when the
/// report was sent and when child welfare received it. Sending it completes the crisis
/// center's task; receipt starts child welfare's legal periods.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn record_concern(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    dates: ConcernDates,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    check_concern_dates(&dates, state.facts.arrival, when.today)?;
    if !state.facts.children {
        return Err(ServerError::Field("concern_registered"));
    }
    repo::update_concern(&mut tx, stay, dates).await?;
    sync_tasks(&mut tx, stay, when).await?;
    if dates.sent.is_some() {
        close_by_fact(&mut tx, stay, Step::ConcernReport, when, by).await?;
    }
    finish_stay_change(tx, when, by, "plan.concern", stay, state.facts.home).await
}

/// The report's dates come in order, not before arrival and not after today.
fn check_concern_dates(
    dates: &ConcernDates,
    arrival: Date,
    today: Date,
) -> Result<(), ServerError> {
    let order = [
        ("concern_registered", dates.registered),
        ("report_sent", dates.sent),
        ("report_received", dates.received),
    ];
    let mut earliest = arrival;
    let mut known = true;
    for (field, date) in order {
        match date {
            Some(d) if !known || d < earliest || d > today => {
                return Err(ServerError::Field(field));
            }
            Some(d) => earliest = d,
            None => known = false,
        }
    }
    Ok(())
}

/// Registers the move-out: date, outcome and the main coordinating service after the stay.
/// Requires the exit meeting held, or a reason why not. A temporary outcome brings the
/// follow-up plan task; the move-out brings the follow-up contact.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn register_move_out(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    move_out: &MoveOut,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    if state.facts.move_out.is_some() {
        return Err(ServerError::Field("move_out"));
    }
    if move_out.on < state.facts.arrival || move_out.on > when.today {
        return Err(ServerError::Field("move_out"));
    }
    if move_out.no_exit_meeting_reason.is_none() && !repo::exit_meeting_held(&mut tx, stay).await? {
        return Err(ServerError::Field("no_exit_meeting_reason"));
    }
    let coordinator =
        crate::server::repo::directory::service_place(&mut tx, move_out.main_coordinator)
            .await?
            .ok_or(ServerError::Field("main_coordinator"))?;
    let districts = [Some(state.facts.home), state.facts.target];
    if !districts.contains(&Some(coordinator.district)) {
        return Err(ServerError::Field("main_coordinator"));
    }
    repo::set_move_out(&mut tx, stay, move_out).await?;
    sync_tasks(&mut tx, stay, when).await?;
    close_by_fact(&mut tx, stay, Step::MainCoordinator, when, by).await?;
    finish_stay_change(tx, when, by, "plan.move_out", stay, state.facts.home).await
}

/// Links a stay to a stay that may be the same person, as the plan page offers it (the same case
/// reference, or the same name and birth year under another resident record): every stay of
/// this stay's record moves to the other's record, and the later stay is a returning
/// resident's. The merge is a history row that can be undone; the log row names both stays.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn link_stay(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    other: StayId,
) -> Result<(), ServerError> {
    if stay == other {
        return Err(ServerError::Field("other"));
    }
    let mut tx = db.begin_write().await?;
    let (_, offered) = repo::related_stays(&mut tx, stay).await?;
    if !offered.iter().any(|o| o.stay == other) {
        return Err(ServerError::Field("other"));
    }
    let state = begin_stay_change(&mut tx, stay, version).await?;
    residents::merge(&mut tx, stay, other, when.at, by.user)
        .await?
        .ok_or(ServerError::Field("other"))?;
    let touched = stay_touched(stay, state.facts.home).with_stays([stay, other]);
    access_log::append_ok(&mut tx, when.at, by, "plan.link", touched).await?;
    tx.commit().await?;
    Ok(())
}

/// Undoes a link in force on this stay's resident record: the stays it moved go back to the
/// record they came from. The log row names every stay that moved back.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn unlink_stay(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    merge: i64,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    let moved = residents::undo_merge(&mut tx, stay, merge, when.at, by.user)
        .await?
        .ok_or(ServerError::Field("merge"))?;
    let touched =
        stay_touched(stay, state.facts.home).with_stays(std::iter::once(stay).chain(moved));
    access_log::append_ok(&mut tx, when.at, by, "plan.unlink", touched).await?;
    tx.commit().await?;
    Ok(())
}

/// The exit meeting as staff plan it: when (Oslo local time), and which kinds of service are
/// invited: those services of the home district and, when it differs, of the target district.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn plan_exit_meeting(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    starts_at: &str,
    kinds: &[ServiceKind],
) -> Result<(), ServerError> {
    if kinds.is_empty() {
        return Err(ServerError::Field("invited"));
    }
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    refuse_after_move_out(&state)?;
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let local = time::PrimitiveDateTime::parse(starts_at, &format)
        .map_err(|_| ServerError::Field("starts_at"))?;
    if !planned_date_fits(local.date(), state.facts.arrival, when.today) {
        return Err(ServerError::Field("starts_at"));
    }
    // The hour skipped when summer time begins is no time at all in Oslo. (The hour repeated in
    // October is taken as the earlier one, and the page says so.)
    if crate::server::clock::oslo_local_time(local) == crate::server::clock::OsloLocalTime::Skipped
    {
        return Err(ServerError::Field("starts_at"));
    }
    let mut invited = Vec::new();
    for district in [Some(state.facts.home), state.facts.target]
        .into_iter()
        .flatten()
    {
        for (service, kind) in repo::standard_services(&mut tx, district).await? {
            if kinds.contains(&kind) {
                invited.push(service);
            }
        }
    }
    repo::save_exit_meeting(&mut tx, stay, starts_at, &invited).await?;
    finish_stay_change(tx, when, by, "exit_meeting.plan", stay, state.facts.home).await
}

/// Records the exit meeting as held: each invited service's attendance and a short summary.
/// Completes the crisis center's exit-meeting task.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn record_exit_meeting(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    attendance: &[(ServiceId, crate::domain::plan::Attendance)],
    summary: Option<&str>,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    refuse_after_move_out(&state)?;
    let meeting = repo::exit_meeting(&mut tx, stay)
        .await?
        .ok_or(ServerError::Field("starts_at"))?;
    for invited in &meeting.services {
        let answer = attendance
            .iter()
            .find(|(s, _)| *s == invited.service)
            .map(|(_, a)| *a)
            .filter(|a| *a != crate::domain::plan::Attendance::Invited)
            .ok_or(ServerError::Field("attendance"))?;
        repo::set_attendance(&mut tx, stay, invited.service, answer).await?;
    }
    repo::mark_exit_meeting_held(&mut tx, stay, summary).await?;
    close_by_fact(&mut tx, stay, Step::ExitMeeting, when, by).await?;
    finish_stay_change(tx, when, by, "exit_meeting.record", stay, state.facts.home).await
}

/// An inbox: a unit's open tasks, or the crisis center's (`None`), overdue first, then due soon.
/// The residents' names are personal data: one access-log row per read.
#[tracing::instrument(skip_all)]
pub async fn inbox(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    unit: Option<Unit>,
) -> Result<Vec<TaskRow>, ServerError> {
    let mut tx = db.begin_read().await?;
    let rows = repo::inbox(&mut tx, unit, when.today, when.soon_days).await?;
    tx.commit().await?;
    let touched = Touched {
        object: None,
        district: unit.map(|u| u.district),
        stays: access_log::stay_list(rows.iter().map(|r| r.stay)),
    };
    log_read(db, when, by, "task.list", touched).await?;
    Ok(rows)
}

/// Where a task sits (its inbox), for the access check. `NotFound` when unknown.
pub async fn task_inbox(db: &Db, task: TaskId) -> Result<Option<Unit>, ServerError> {
    let mut conn = db.acquire().await?;
    Ok(repo::task_state(&mut conn, task)
        .await?
        .ok_or(ServerError::NotFound)?
        .unit)
}

/// One task with its history, for a member of its inbox (`inbox`: the caller's unit, or `None`
/// for the crisis center). A task of another inbox is `NotFound`.
#[tracing::instrument(skip_all, fields(task = %task))]
pub async fn task(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    inbox: Option<Unit>,
    task: TaskId,
) -> Result<TaskDetail, ServerError> {
    let mut tx = db.begin_read().await?;
    let district = inbox.map(|u| u.district);
    let Some((row, district_name, assignee_id, reason, version)) =
        repo::task_row(&mut tx, task, inbox, when.today, when.soon_days).await?
    else {
        return refuse_read(
            tx,
            db,
            when,
            by,
            "task.read",
            Touched::object("task", task, district),
        )
        .await;
    };
    let history = repo::task_history(&mut tx, task).await?;
    let extension = repo::task_extension(&mut tx, task).await?;
    tx.commit().await?;
    let touched = Touched::object("task", task, district).with_stays([row.stay]);
    log_read(db, when, by, "task.read", touched).await?;
    Ok(TaskDetail {
        row,
        district_name,
        assignee_id,
        reason,
        version,
        extension,
        history,
    })
}

/// A person's change to a task of their inbox: claim, release, done, not applicable (with a
/// reason), reopen, or a comment. Refused as `Stale` when someone saved the task since the
/// caller read `version`.
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
    let assignee = match change {
        TaskChange::Claim => Some(by.user),
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
        },
    )
    .await?;
    if state.step == Step::ChildWelfareReview && status != state.status {
        let concluded = (status == TaskStatus::Done).then_some(when.today);
        repo::set_review_concluded(&mut tx, state.stay, concluded).await?;
    }
    sync_tasks(&mut tx, state.stay, when).await?;
    finish_task_change(tx, when, by, "task.update", at).await
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
        },
    )
    .await?;
    finish_task_change(tx, when, by, "task.extend", at).await
}

/// The deadline scan: overdue, due-soon and open counts per district and service on `today`
/// (one district's, or all). No personal data.
pub async fn deadline_counts(
    db: &Db,
    today: Date,
    soon_days: u16,
    district: Option<DistrictId>,
) -> Result<Vec<DeadlineCount>, ServerError> {
    let mut conn = db.acquire().await?;
    repo::deadline_counts(
        &mut conn,
        district,
        today,
        repo::soon_until(today, soon_days),
    )
    .await
}

/// The home district of a stay (for parsing a target district against it). `NotFound` when the
/// stay does not exist.
pub async fn home_district(db: &Db, stay: StayId) -> Result<DistrictId, ServerError> {
    let mut conn = db.acquire().await?;
    Ok(repo::stay_state(&mut conn, stay)
        .await?
        .ok_or(ServerError::NotFound)?
        .facts
        .home)
}
