//! The resident's insight (GDPR art. 15): everything the portal holds about one person, every
//! stay with its plan, tasks and their history, consent answers, and every access-log row of who
//! read or changed their data, for crisis center staff to hand over on request.

use super::plan::{PlanDetail, StayId, TaskEvent, TaskId};
use super::{Role, Unit};
use serde::{Deserialize, Serialize};

/// One stay of the person: the plan as crisis center staff see it (without other persons'
/// stays), and each task's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsightStay {
    pub plan: PlanDetail,
    pub histories: Vec<TaskHistory>,
}

/// The history of one task of a stay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskHistory {
    pub task: TaskId,
    pub events: Vec<TaskEvent>,
}

/// One access-log row about the person: who read or changed their data, when, and what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsightRead {
    /// UTC, as stored.
    pub at: String,
    /// The user's name as it was then (`None`: the portal itself).
    pub user_name: Option<String>,
    pub role: Option<Role>,
    /// The user's service today (a caseworker's unit), with its district's name.
    pub unit: Option<Unit>,
    pub district_name: Option<String>,
    /// The action's code (`plan.read`, `task.update` ...).
    pub action: String,
}

impl InsightRead {
    /// Whether the row is a read (else a change).
    pub fn is_read(&self) -> bool {
        READS.contains(&self.action.as_str())
    }
}

/// The actions that read a person's data without changing it. Such a row counts for the person
/// only when it names their stays among those whose data it showed (a read of a task without
/// consent shows none).
pub const READS: &[&str] = &[
    "plan.list",
    "plan.read",
    "plan.insight",
    "task.list",
    "task.read",
];

/// Everything the portal holds about one person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Insight {
    /// The stay the insight was asked for (one of `stays`).
    pub asked: StayId,
    /// When it was produced (UTC) and by whom.
    pub produced_at: String,
    pub produced_by: String,
    pub stays: Vec<InsightStay>,
    /// Every read and change of the person's data, the oldest first.
    pub log: Vec<InsightRead>,
}
