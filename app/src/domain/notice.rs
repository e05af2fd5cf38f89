//! Notifications as the domain sees them: what a message is about, who gets it, the unique key
//! that makes a scan queue each message once, and how long the sender waits before it tries a
//! failed message again. No I/O: the outbox (`server::repo::outbox`) stores these, the sender
//! (`server::notify`) sends them.
//!
//! A message carries step names, dates, counts and a link into the portal: never a name, a birth
//! year, a case reference or text typed by a person. The templates get no such value to print.

use crate::domain::plan::TaskId;
use crate::domain::{DistrictId, Role, ServiceKind, Unit};
use serde::{Deserialize, Serialize};
use time::Date;

stored_enum!(
    /// What a message is about (the outbox's `kind`).
    NoticeKind {
        /// A task landed in a unit's inbox (created, reopened or moved there).
        TaskAssigned = "task_assigned",
        /// An open task is due within the due-soon window.
        TaskDueSoon = "task_due_soon",
        /// An open task passed its due date.
        TaskOverdue = "task_overdue",
        /// An open task has been overdue for the escalation delay: to the unit's leader.
        TaskEscalated = "task_escalated",
        /// A unit's daily digest.
        UnitDigest = "unit_digest",
        /// An invitation to an exit meeting, with its calendar entry.
        ExitMeetingInvitation = "exit_meeting_invitation",
        /// A deviation was opened: to the unit's leader contacts.
        DeviationOpened = "deviation_opened",
        /// An adopted internal-control document's review date is within
        /// [`CONTROL_REVIEW_SOON_DAYS`]: to the leader contacts of the district's services.
        ControlReviewSoon = "control_review_soon",
        /// An adopted internal-control document's review date passed: the same leaders.
        ControlReviewPassed = "control_review_passed",
        /// An open step of an audit finding's closure plan is due within the due-soon window:
        /// to the step's unit.
        FindingStepDueSoon = "finding_step_due_soon",
        /// An open closure step passed its deadline: to the step's unit.
        FindingStepOverdue = "finding_step_overdue",
    }
);

/// How many days before a document's review date its leaders are told.
pub const CONTROL_REVIEW_SOON_DAYS: i64 = 30;

stored_enum!(
    /// Who receives a message (the outbox's `audience`).
    Audience {
        /// The unit's shared address; for a task a caseworker has claimed, that caseworker.
        Unit = "unit",
        /// The unit's leader contacts in the directory.
        Leader = "leader",
        /// One user.
        User = "user",
    }
);

stored_enum!(
    /// Where a message is on its way out (the outbox's `state`).
    NoticeState {
        Pending = "pending",
        Sent = "sent",
        /// Given up after the last try, or refused for good by the mail server; an operator can
        /// retry it.
        Failed = "failed",
        /// Not sent because it no longer applied when its turn came (the task was closed or
        /// moved, the unit has no address): the reason is in `last_error`.
        Skipped = "skipped",
    }
);

/// One outbox row as operators see it: what, to whom, for which unit, where it is on its way,
/// and the last error. No personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub id: i64,
    pub kind: NoticeKind,
    pub audience: Audience,
    /// The district's slug.
    pub district: Option<String>,
    /// The service kind's stored value.
    pub service: Option<String>,
    pub state: NoticeState,
    pub attempts: i64,
    /// UTC timestamps as stored (`2026-03-30T21:59:00.000Z`).
    pub created_at: String,
    /// Only while pending.
    pub next_try_at: Option<String>,
    pub sent_at: Option<String>,
    pub last_error: Option<String>,
}

/// The outbox for operators: counts per state, the rows to look at, and the paused units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxOverview {
    pub counts: Vec<(NoticeState, i64)>,
    pub rows: Vec<OutboxEntry>,
    pub paused: Vec<PausedUnit>,
}

/// A unit whose messages an administrator paused: they wait in the outbox until the pause ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PausedUnit {
    pub district: DistrictId,
    pub district_name: String,
    pub service: ServiceKind,
    /// UTC timestamp as stored.
    pub paused_at: String,
    /// The administrator's name.
    pub paused_by: Option<String>,
    /// How many of its messages wait.
    pub waiting: i64,
}

stored_enum!(
    /// How a user wants to hear about their unit's tasks (`app_user.notify`).
    NotifyChoice {
        /// A message per event (a task claimed by them turns due soon or overdue).
        Immediate = "immediate",
        /// Only the unit's daily digest, sent to them too.
        Digest = "digest",
    }
);

stored_enum!(
    /// The language of the messages a user gets (`app_user.language`).
    MailLanguage {
        Nb = "nb",
        En = "en",
    }
);

/// The signed-in user's own account page: who they are and their notification choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The unit of a caseworker: district name and service kind.
    pub unit: Option<(String, ServiceKind)>,
    pub notify: NotifyChoice,
    pub language: MailLanguage,
    /// For a caseworker of a unit: the unit's calendar feed.
    pub feed: Option<FeedView>,
}

/// A unit's calendar feed as its caseworkers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedView {
    /// When the address in use was made (UTC timestamp as stored) and by whom; `None`: the unit
    /// has no feed.
    pub active: Option<(String, Option<String>)>,
    /// The address made just now, shown this once: it is not stored, only its hash is.
    pub new_url: Option<String>,
}

/// The unique key of a scan's message about a task (due soon, overdue, escalated). It names the
/// due date, so an extension that moves the date gives the new date its own messages.
pub fn task_key(kind: NoticeKind, task: TaskId, due: Date) -> String {
    format!("{}:{}:{}", kind.as_str(), task.0, due)
}

/// The unique key of a task's assignment to a unit. It names the moment (a stored timestamp),
/// since a task can land in the same inbox again after it was withdrawn.
pub fn assignment_key(task: TaskId, unit: Unit, at: &str) -> String {
    format!(
        "{}:{}:{}/{}:{at}",
        NoticeKind::TaskAssigned.as_str(),
        task.0,
        unit.district.0,
        unit.service.as_str()
    )
}

/// The unique key of a unit's digest for an Oslo date.
pub fn digest_key(unit: Unit, day: Date) -> String {
    format!(
        "{}:{}/{}:{day}",
        NoticeKind::UnitDigest.as_str(),
        unit.district.0,
        unit.service.as_str()
    )
}

/// How many times the sender tries a message before it marks it failed. With the backoff below
/// that is about a day of trying, so a mail server that is down overnight loses nothing.
pub const MAX_ATTEMPTS: i64 = 30;

/// The wait before try number `attempts + 1` after `attempts` failed ones: 30 seconds, doubling,
/// at most an hour.
pub fn retry_delay(attempts: i64) -> time::Duration {
    let exponent = attempts.clamp(1, 20) - 1;
    let seconds = 30_i64.saturating_mul(1_i64 << exponent);
    time::Duration::seconds(seconds.min(3_600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_retry_delay_doubles_from_thirty_seconds_up_to_an_hour() {
        let secs: Vec<i64> = (1..=9).map(|n| retry_delay(n).whole_seconds()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(retry_delay(0).whole_seconds(), 30);
        assert_eq!(retry_delay(1_000).whole_seconds(), 3_600);
        let total: i64 = (1..MAX_ATTEMPTS)
            .map(|n| retry_delay(n).whole_seconds())
            .sum();
        assert!(
            (20 * 3_600..48 * 3_600).contains(&total),
            "about a day of tries: {total} s"
        );
    }

    #[test]
    fn task_keys_name_the_kind_the_task_and_the_date() {
        let due = time::macros::date!(2026 - 04 - 30);
        assert_eq!(
            task_key(NoticeKind::TaskOverdue, TaskId(7), due),
            "task_overdue:7:2026-04-30"
        );
        assert_ne!(
            task_key(NoticeKind::TaskOverdue, TaskId(7), due),
            task_key(NoticeKind::TaskDueSoon, TaskId(7), due)
        );
    }
}
