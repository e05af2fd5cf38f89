//! Residents, stays (one stay is one plan), children, tasks and their history. Every function
//! takes the caller's connection, so the service owns the transaction. Queries that serve a
//! caseworker carry the unit in their SQL.

mod consents;
mod corrections;
mod exit_meetings;
mod lists;
mod stays;
mod task_rows;
mod tasks;

pub use consents::*;
pub use corrections::*;
pub use exit_meetings::*;
pub use lists::*;
pub use stays::*;
pub use task_rows::*;
pub use tasks::*;

use crate::domain::deadline::urgency;
use crate::domain::plan::{
    ChildView, Colleague, ExitMeetingView, Extension, Gender, Intake, OtherStay, Outcome,
    PlanDetail, PlanList, PlanSummary, Referral, ResidentId, RuleId, StayFacts, StayId,
    TargetReason, TaskEvent, TaskEventKind, TaskId, TaskRow, TaskStatus, WantedTask,
};
use crate::domain::reconcile::CurrentTask;
use crate::domain::routine::Step;
use crate::domain::{ActorSnapshot, DistrictId, Inbox, ServiceKind, Unit, UserId};
use crate::server::ServerError;
use crate::server::repo::access_log::timestamp;
use sqlx::SqliteConnection;
use time::{Date, OffsetDateTime};

fn corrupt(what: &'static str) -> ServerError {
    ServerError::Pragma(format!("unexpected stored value in {what}"))
}

/// The unit of a stored (district, service kind) pair; both NULL is the crisis center.
pub(crate) fn unit_of(
    district: Option<i64>,
    service: Option<&str>,
) -> Result<Option<Unit>, ServerError> {
    match (district, service) {
        (Some(d), Some(s)) => Ok(Some(Unit {
            district: DistrictId(d),
            service: ServiceKind::parse(s).map_err(|_| corrupt("task.service_kind"))?,
        })),
        (None, None) => Ok(None),
        _ => Err(corrupt("task unit")),
    }
}
