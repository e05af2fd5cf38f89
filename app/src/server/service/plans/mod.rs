//! Re-establishment plans: intake, the facts staff record along the resident's path, the tasks
//! those facts call for, and the caseworkers' work on their tasks. Every change is one
//! `BEGIN IMMEDIATE` transaction with its access-log row, its task-history rows and its outbox
//! rows; every read of personal data leaves its access-log row before the data is returned.

mod exit_meetings;
mod insight;
mod stays;
mod task_sync;
mod tasks;

pub use exit_meetings::*;
pub use insight::*;
pub use stays::*;
use task_sync::*;
pub use tasks::*;

use crate::domain::consent::{ConsentChange, WithheldPlan, may_follow};
use crate::domain::correction::CorrectionRequest;
use crate::domain::deadline::Period;
use crate::domain::plan::{
    Extension, Intake, OpenStay, PLAN_LIST_LIMIT, PlanList, PlanView, ReportDates, StayId,
    TaskChange, TaskDetail, TaskEventKind, TaskId, TaskRow, TaskStatus,
};
use crate::domain::reconcile::{PlanState, TaskOp, reconcile};
use crate::domain::routine::Step;
use crate::domain::{ActorSnapshot, AuditAction, ObjectKind};
use crate::domain::{DistrictId, Inbox, ServiceId, ServiceKind, Unit};
use crate::server::ServerError;
use crate::server::db::{Db, WriteTx};
use crate::server::repo::access_log::{self, Touched};
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
    /// How many days a resident may wait for housing, ready to move out, before the plan list
    /// flags the stay.
    pub ready_days: u16,
}

/// A task as a change addresses it: the caller's inbox (a unit's, or `None` for the crisis
/// center), the task, and the version the caller read.
#[derive(Clone, Copy, Debug)]
pub struct TaskRef {
    pub inbox: Inbox,
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

fn stay_touched(stay: StayId, district: DistrictId) -> Touched {
    Touched::object(ObjectKind::Stay, stay, Some(district))
}

/// The access-log row of a read, in a short write transaction of its own after the read (which
/// ran in a read transaction, off the write lock); committed before the caller answers.
pub(crate) async fn log_read(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    action: AuditAction,
    touched: Touched,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write_statement().await?;
    access_log::append_ok(&mut tx, when.at, by, action, touched).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends a read that found nothing the caller may see (an unknown id, or one outside their
/// reach): a `refused` row, so that guessing ids leaves a trace, then `NotFound`, the same
/// answer in both cases. The row names the id asked for and the caller's own district.
pub(crate) async fn refuse_read<T>(
    read: crate::server::db::ReadTx,
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    action: AuditAction,
    asked: Touched,
) -> Result<T, ServerError> {
    read.commit().await?;
    let mut tx = db.begin_write_statement().await?;
    access_log::append_refused(&mut tx, when.at, by, action, asked).await?;
    tx.commit().await?;
    Err(ServerError::NotFound)
}
