//! What each role sees of plans and tasks: the view (wire) types. A role's view of a plan is its
//! own type, built by its own query, so that a field added to one role's view cannot reach
//! another role without a change to that role's type: crisis center staff get [`PlanDetail`], a
//! caseworker gets [`UnitPlan`] (their unit's part), a reviewer neither.

use super::deadline::Urgency;
use super::plan::{
    Attendance, Gender, Outcome, Referral, StayId, TargetReason, TaskEventKind, TaskId, TaskStatus,
};
use super::routine::Step;
use super::{DistrictId, Unit, UserId};
use serde::{Deserialize, Serialize};
use time::Date;

/// A task as lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    pub id: TaskId,
    pub stay: StayId,
    /// The resident's name or alias; empty where the viewer may not see it.
    pub resident: String,
    pub step: Step,
    pub unit: Option<Unit>,
    /// The name of the unit's district.
    pub district: Option<String>,
    pub due: Date,
    /// The due date after a recorded extension, if any.
    pub extended_to: Option<Date>,
    pub status: TaskStatus,
    pub assignee: Option<String>,
    /// Who has taken the task (a colleague of the same unit, or crisis center staff).
    pub assignee_id: Option<UserId>,
    pub urgency: Urgency,
    /// The task's unit has no consent to see the resident's personal data: `resident` is empty,
    /// and the row says "awaiting consent".
    pub withheld: bool,
}

impl TaskRow {
    /// The date that counts: the extension's, if one was granted.
    pub fn effective_due(&self) -> Date {
        self.extended_to.unwrap_or(self.due)
    }

    /// The urgency as a stable key (for styling and tests).
    pub fn urgency_key(&self) -> &'static str {
        match self.urgency {
            Urgency::Overdue => "overdue",
            Urgency::DueSoon => "due_soon",
            Urgency::Open => "open",
            Urgency::Closed => "closed",
        }
    }
}

/// One row of a task's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskEvent {
    /// UTC, as stored.
    pub at: String,
    /// `None`: the portal itself.
    pub by: Option<String>,
    pub kind: TaskEventKind,
    pub status: TaskStatus,
    pub due: Option<Date>,
    pub comment: Option<String>,
    /// Whom the task was given to (an `assigned` row).
    #[serde(default)]
    pub assignee: Option<String>,
}

/// A colleague a task can be given to: an active user of the same inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colleague {
    pub id: UserId,
    pub name: String,
}

/// A recorded extension of a legal period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub due: Date,
    pub reason: String,
    pub granted_by: String,
}

/// A task with its history, for the task page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDetail {
    pub row: TaskRow,
    pub district_name: Option<String>,
    pub assignee_id: Option<UserId>,
    pub reason: Option<String>,
    pub version: i64,
    pub extension: Option<Extension>,
    pub history: Vec<TaskEvent>,
    /// For child welfare's review and investigation: when the crisis center sent the report of
    /// concern and when child welfare recorded receiving it.
    pub report: Option<ReportDates>,
    /// Who the task can be given to (the inbox's active users, the caller included).
    pub colleagues: Vec<Colleague>,
}

impl TaskDetail {
    /// The task as a unit without consent sees it: the step, dates and statuses of its history
    /// stay, every free text (comments, reasons) goes, since it may speak of the resident.
    pub fn without_free_text(mut self) -> TaskDetail {
        self.reason = None;
        if let Some(extension) = &mut self.extension {
            extension.reason = String::new();
        }
        for event in &mut self.history {
            event.comment = None;
        }
        self
    }
}

/// The report of concern's two dates a legal period may count from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDates {
    pub sent: Option<Date>,
    pub received: Option<Date>,
}

/// A plan as the crisis center's list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub stay: StayId,
    pub resident: String,
    pub birth_year: i32,
    pub arrival: Date,
    pub home_district: String,
    pub target_district: Option<String>,
    pub children: i64,
    pub move_out: Option<Date>,
    pub returning: bool,
    pub overdue: i64,
    pub due_soon: i64,
    pub open: i64,
    /// The day the resident was ready to move out, waiting only for housing.
    pub ready_on: Option<Date>,
    /// Days the resident has waited for housing, ready to move out, when that is longer than
    /// the operator's limit (`PORTAL_READY_FLAG_DAYS`) and they are still in the house: the
    /// plan list's flag.
    pub waiting_flag: Option<i64>,
}

/// How many plans the crisis center's list shows at most (the most urgent first).
pub const PLAN_LIST_LIMIT: i64 = 200;

/// The crisis center's list: the most urgent plans, and how many there are in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanList {
    pub plans: Vec<PlanSummary>,
    pub total: i64,
}

/// A child in a stay: only the birth year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildView {
    pub birth_year: i32,
}

/// An invited service's answer at the exit meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingService {
    pub service: super::ServiceId,
    pub name: String,
    pub attendance: Attendance,
}

/// A service staff may choose (as the main coordinating service after the stay).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceChoice {
    pub service: super::ServiceId,
    /// The service's name (it names its district, e.g. "NAV Alna").
    pub name: String,
}

/// The exit meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitMeetingView {
    /// Oslo local time, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    /// The time falls in the hour repeated when summer time ends: the earlier one is meant.
    pub starts_in_repeated_hour: bool,
    pub held: bool,
    pub summary: Option<String>,
    pub services: Vec<MeetingService>,
}

/// An earlier (or later) stay of the same person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherStay {
    pub stay: StayId,
    pub arrival: Date,
    pub move_out: Option<Date>,
    pub outcome: Option<Outcome>,
}

/// An open stay of a person with the name and birth year an intake gave: where staff go instead
/// of registering the person twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenStay {
    pub stay: StayId,
    pub arrival: Date,
}

/// A link of stays as one person's, in force: when, by whom, and the stays it moved onto the
/// resident record (all the stays of the record it left).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeView {
    pub merge: i64,
    pub at: String,
    pub by: String,
    pub stays: Vec<StayId>,
}

/// A plan as crisis center staff see it: all of it. Never sent to a caseworker ([`UnitPlan`] is
/// theirs) or a reviewer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanDetail {
    pub stay: StayId,
    pub version: i64,
    pub routine_version: i64,
    pub name: String,
    pub birth_year: i32,
    pub gender: Option<Gender>,
    pub case_reference: Option<String>,
    pub referral: Option<Referral>,
    pub arrival: Date,
    pub home: DistrictId,
    pub home_name: String,
    pub target: Option<DistrictId>,
    pub target_name: Option<String>,
    pub target_reason: Option<TargetReason>,
    pub secret_address: bool,
    pub language: Option<String>,
    pub interpreter: bool,
    pub children: Vec<ChildView>,
    pub concern_registered: Option<Date>,
    pub report_sent: Option<Date>,
    pub report_received: Option<Date>,
    pub review_concluded: Option<Date>,
    pub planned_move_out: Option<Date>,
    /// The day the resident was ready to move out, waiting only for housing.
    pub ready_on: Option<Date>,
    pub main_coordinator: Option<String>,
    pub no_exit_meeting_reason: Option<String>,
    pub move_out: Option<Date>,
    pub outcome: Option<Outcome>,
    /// What staff expect the outcome to be, before the move-out.
    pub expected_outcome: Option<Outcome>,
    pub handover_started_at: Option<String>,
    pub handover_ended_at: Option<String>,
    pub exit_meeting: Option<ExitMeetingView>,
    pub other_stays: Vec<OtherStay>,
    /// Stays under another resident record that may be the same person (the same case
    /// reference, or the same name and birth year): candidates for linking.
    pub possible_matches: Vec<OtherStay>,
    /// Links to other stays in force that brought stays onto this stay's resident record; staff
    /// can undo each.
    pub merges: Vec<MergeView>,
    /// The services of the home and target districts (for choosing the main coordinator).
    pub services: Vec<ServiceChoice>,
    pub returning: bool,
    pub tasks: Vec<TaskRow>,
    /// The units the plan involves and their consent answer in force.
    pub consents: Vec<super::consent::UnitConsent>,
    /// Every consent answer recorded, the newest first.
    pub consent_history: Vec<super::consent::ConsentRecord>,
    /// Every correction of the person's name, birth year or gender, the newest first.
    pub corrections: Vec<super::correction::Correction>,
}

/// A plan as a caseworker sees it: the person, the dates and the districts, and their own unit's
/// tasks; not how the resident came, the crisis center's case reference, gender, other stays, or
/// what was said at the exit meeting. Built by its own query, which carries the unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitPlan {
    pub stay: StayId,
    pub routine_version: i64,
    pub name: String,
    pub birth_year: i32,
    pub arrival: Date,
    pub home: DistrictId,
    pub home_name: String,
    pub target_name: Option<String>,
    pub target_reason: Option<TargetReason>,
    pub handover_started_at: Option<String>,
    pub handover_ended_at: Option<String>,
    pub secret_address: bool,
    pub language: Option<String>,
    pub interpreter: bool,
    pub children: Vec<ChildView>,
    pub planned_move_out: Option<Date>,
    pub main_coordinator: Option<String>,
    pub move_out: Option<Date>,
    pub outcome: Option<Outcome>,
    pub exit_meeting: Option<UnitMeetingView>,
    /// The caseworker's unit's tasks in this plan.
    pub tasks: Vec<TaskRow>,
}

/// The exit meeting as a caseworker sees it: when, whether it was held, who was invited and
/// came; not its summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitMeetingView {
    pub starts_at: String,
    pub starts_in_repeated_hour: bool,
    pub held: bool,
    pub services: Vec<MeetingService>,
}

/// One plan, as the viewer's role may see it (the `view` key names which).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "view", rename_all = "snake_case")]
pub enum PlanView {
    /// Crisis center staff.
    Whole(Box<PlanDetail>),
    /// A caseworker whose unit has a task in the plan.
    Unit(Box<UnitPlan>),
    /// A caseworker whose unit has a task in the plan but no consent: the tasks, no person.
    Withheld(Box<super::consent::WithheldPlan>),
}
