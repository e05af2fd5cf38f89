//! Deviations (avvik) as internal control: a binding step that missed its deadline, or a failure
//! someone reported from a task, handled by the unit that answers for it with a cause and a
//! measure from fixed lists, and closed by a named person. Two views: the reviewer's row has no
//! personal data and no free text; the district's and the crisis center's case adds the free
//! text, the task and the history. No I/O.

use super::plan::{StayId, TaskId};
use super::routine::Step;
use super::{ServiceKind, UserId};
use serde::{Deserialize, Serialize};
use time::Date;

super::id_newtype!(
    /// Primary key of a deviation.
    DeviationId
);

stored_enum!(
    /// How a deviation was opened.
    DeviationOrigin {
        /// By the deadline scan: a binding step passed its (extended) due date.
        Deadline = "deadline",
        /// By a person, from a task.
        Manual = "manual",
    }
);

stored_enum!(
    /// Open, or closed with a cause and a measure.
    DeviationStatus { Open = "open", Closed = "closed" }
);

stored_enum!(
    /// Why the step failed (the list the unit chooses from).
    DeviationCause {
        Capacity = "capacity",
        RoutineUnknown = "routine_unknown",
        InformationMissing = "information_missing",
        WrongRecipient = "wrong_recipient",
        ResidentCircumstances = "resident_circumstances",
        Technical = "technical",
        Other = "other",
    }
);

stored_enum!(
    /// What the unit did about it.
    DeviationMeasure {
        Training = "training",
        RoutineChanged = "routine_changed",
        Staffing = "staffing",
        CooperationMeeting = "cooperation_meeting",
        CaseFollowedUp = "case_followed_up",
        NoneNeeded = "none_needed",
        Other = "other",
    }
);

stored_enum!(
    /// One row of a deviation's history.
    DeviationEventKind {
        Opened = "opened",
        Handled = "handled",
        Closed = "closed",
        Reopened = "reopened",
    }
);

/// A deviation open longer than this counts as "open past 30 days" in the compliance figures.
pub const LONG_OPEN_DAYS: i64 = 30;

/// The longest free text of a deviation.
pub const NOTE_LIMIT: usize = 2000;

/// A change to a deviation, as a form asks for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviationChange {
    /// Save the cause, measure and note; the deviation stays open.
    Handle,
    /// Save them and close: both a cause and a measure are required.
    Close,
    /// Open a closed deviation again (its cause and measure stay, to be revised).
    Reopen,
}

impl DeviationChange {
    pub fn parse(raw: &str) -> Option<DeviationChange> {
        match raw {
            "handle" => Some(DeviationChange::Handle),
            "close" => Some(DeviationChange::Close),
            "reopen" => Some(DeviationChange::Reopen),
            _ => None,
        }
    }

    /// The status after the change, or `None` where the change does not apply to `from`.
    pub fn next_status(&self, from: DeviationStatus) -> Option<DeviationStatus> {
        match (self, from) {
            (DeviationChange::Handle, DeviationStatus::Open) => Some(DeviationStatus::Open),
            (DeviationChange::Close, DeviationStatus::Open) => Some(DeviationStatus::Closed),
            (DeviationChange::Reopen, DeviationStatus::Closed) => Some(DeviationStatus::Open),
            _ => None,
        }
    }

    pub fn event_kind(&self) -> DeviationEventKind {
        match self {
            DeviationChange::Handle => DeviationEventKind::Handled,
            DeviationChange::Close => DeviationEventKind::Closed,
            DeviationChange::Reopen => DeviationEventKind::Reopened,
        }
    }
}

/// Checks a close: a cause and a measure are both chosen. `Err` names the missing field.
pub fn check_close(
    cause: Option<DeviationCause>,
    measure: Option<DeviationMeasure>,
) -> Result<(DeviationCause, DeviationMeasure), &'static str> {
    match (cause, measure) {
        (None, _) => Err("cause"),
        (_, None) => Err("measure"),
        (Some(c), Some(m)) => Ok((c, m)),
    }
}

/// A deviation as a reviewer sees it: where, which step, when, what was found and done. No
/// person, no free text, no task or stay id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviationRow {
    pub id: DeviationId,
    /// The district's name; `None`: the crisis center.
    pub district: Option<String>,
    pub service: Option<ServiceKind>,
    pub step: Step,
    pub origin: DeviationOrigin,
    pub due_on: Option<Date>,
    pub opened_on: Date,
    pub status: DeviationStatus,
    pub cause: Option<DeviationCause>,
    pub measure: Option<DeviationMeasure>,
    pub closed_on: Option<Date>,
    /// Days from opened to closed, or to today while open.
    pub days_open: i64,
}

/// One row of a deviation's history (the person is a staff member, named).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviationEvent {
    /// UTC, as stored.
    pub at: String,
    /// `None`: the deadline scan.
    pub by: Option<String>,
    pub kind: DeviationEventKind,
    pub cause: Option<DeviationCause>,
    pub measure: Option<DeviationMeasure>,
    pub note: Option<String>,
}

/// A deviation as its district and the crisis center see it: the row, the task it is about, the
/// free text, who closed it, and the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviationCase {
    pub row: DeviationRow,
    pub task: TaskId,
    pub stay: StayId,
    pub note: Option<String>,
    pub closed_by: Option<String>,
    pub opened_by: Option<UserId>,
    pub version: i64,
    /// Whether the reader reaches the task through the plan (crisis center staff) rather than
    /// their inbox.
    pub via_plan: bool,
    /// Whether the reader handles it: the district's people for the district's, crisis center
    /// staff for the crisis center's own (they read the districts' but do not close them).
    pub may_handle: bool,
    pub history: Vec<DeviationEvent>,
}

/// A list of deviations: the rows, and whether the reader may open each one (the district's
/// people and the crisis center do; reviewers see the rows only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviationList {
    pub rows: Vec<DeviationRow>,
    pub may_open: bool,
    /// The filter as given back to the form.
    pub status: Option<DeviationStatus>,
    /// How many rows matched (the list shows at most [`DEVIATION_PAGE`]).
    pub total: i64,
}

/// The most rows one list shows.
pub const DEVIATION_PAGE: i64 = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deviation_closes_only_with_a_cause_and_a_measure() {
        assert_eq!(
            check_close(None, Some(DeviationMeasure::Training)),
            Err("cause")
        );
        assert_eq!(
            check_close(Some(DeviationCause::Capacity), None),
            Err("measure")
        );
        assert_eq!(
            check_close(
                Some(DeviationCause::Capacity),
                Some(DeviationMeasure::Training)
            ),
            Ok((DeviationCause::Capacity, DeviationMeasure::Training))
        );
    }

    #[test]
    fn changes_apply_to_the_status_they_are_for() {
        use DeviationStatus::*;
        assert_eq!(DeviationChange::Close.next_status(Open), Some(Closed));
        assert_eq!(DeviationChange::Close.next_status(Closed), None);
        assert_eq!(DeviationChange::Handle.next_status(Closed), None);
        assert_eq!(DeviationChange::Reopen.next_status(Closed), Some(Open));
        assert_eq!(DeviationChange::Reopen.next_status(Open), None);
        for raw in ["handle", "close", "reopen"] {
            assert!(DeviationChange::parse(raw).is_some());
        }
        assert_eq!(DeviationChange::parse("delete"), None);
    }
}
