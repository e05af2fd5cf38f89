//! Stays and their re-establishment plans: the facts staff record (intake, child welfare report,
//! planned move-out, move-out), which tasks those facts call for under the plan's routine
//! version, in which unit's inbox each task sits, and how a task's status may change.
//!
//! Where does a task come from? [`wanted_tasks`]: a rule of the plan's routine version gives a
//! task once its conditions hold *and* the date it counts from is known (a report received, a
//! planned move-out, a move-out). Its due date is the rule's offset from that date.

use super::input::{self, Lines};
use super::limits;
pub use super::routine::RuleId;
use super::routine::{Anchor, DistrictRole, PlanFacts, Routine, Step};
use super::{DistrictId, ServiceKind, Unit};
use serde::{Deserialize, Serialize};
use time::Date;

super::id_newtype!(
    /// Primary key of a stay (one stay is one re-establishment plan).
    StayId
);
super::id_newtype!(
    /// Primary key of a task of a plan.
    TaskId
);
super::id_newtype!(
    /// Primary key of a resident (a person, over all their stays).
    ResidentId
);

stored_enum!(
    /// Gender, for the statistics only.
    Gender { Female = "female", Male = "male", Other = "other", Unknown = "unknown" }
);

stored_enum!(
    /// How the resident came to the crisis center.
    Referral {
        Police = "police",
        ChildWelfare = "child_welfare",
        EmergencyServices = "emergency_services",
        SelfReferred = "self",
        Nav = "nav",
        Other = "other",
    }
);

stored_enum!(
    /// Why the new home's district differs from the home district.
    TargetReason { Threat = "threat", Wish = "wish", Other = "other" }
);

stored_enum!(
    /// Where the resident moved after the stay (*utflyttingsstatus*).
    Outcome {
        /// Back to the abuser.
        Abuser = "abuser",
        /// Own previous home, without the abuser.
        OwnHome = "own_home",
        /// A new home, without the abuser.
        NewHome = "new_home",
        /// Temporary housing from the municipality.
        TemporaryPublic = "temporary_public",
        /// Temporarily with family or friends.
        TemporaryPrivate = "temporary_private",
        /// Other or unknown.
        Other = "other",
    }
);

impl Outcome {
    /// A temporary outcome requires a follow-up plan.
    pub fn is_temporary(self) -> bool {
        matches!(self, Outcome::TemporaryPublic | Outcome::TemporaryPrivate)
    }
}

stored_enum!(
    /// A task's status.
    TaskStatus {
        Open = "open",
        InProgress = "in_progress",
        Done = "done",
        NotApplicable = "not_applicable",
        /// Closed by the portal: the plan changed and the step no longer applies. Nobody works
        /// on it; the portal reopens it when the step applies again.
        Withdrawn = "withdrawn",
    }
);

impl TaskStatus {
    /// Done, not applicable or withdrawn: never overdue.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            TaskStatus::Done | TaskStatus::NotApplicable | TaskStatus::Withdrawn
        )
    }

    /// Closed by a person (done or not applicable), as a hand-over needs.
    pub fn is_finished(self) -> bool {
        matches!(self, TaskStatus::Done | TaskStatus::NotApplicable)
    }
}

stored_enum!(
    /// How a service answered the invitation to the exit meeting.
    Attendance { Invited = "invited", Attended = "attended", Excused = "excused", Absent = "absent" }
);

stored_enum!(
    /// What a task history row records.
    TaskEventKind {
        Created = "created",
        Claimed = "claimed",
        Released = "released",
        Status = "status",
        Comment = "comment",
        DueChanged = "due_changed",
        Moved = "moved",
        Extended = "extended",
        /// Given to a named colleague of the same unit.
        Assigned = "assigned",
    }
);

/// A field that did not parse: the form field's name. Never the rejected value.
pub type FieldError = &'static str;

/// A one-line text of 1..=`max` visible characters (a name, a reference): NFC, trimmed, no
/// control or invisible characters (see [`super::input`]).
pub fn required_text(raw: &str, max: usize, field: FieldError) -> Result<String, FieldError> {
    input::required(raw, max, Lines::One).map_err(|_| field)
}

/// A one-line text of at most `max` characters; `None` when empty.
pub fn optional_text(
    raw: &str,
    max: usize,
    field: FieldError,
) -> Result<Option<String>, FieldError> {
    input::clean(raw, max, Lines::One).map_err(|_| field)
}

/// A text that may hold line breaks (a comment, a reason, a summary), 1..=`max` characters.
pub fn required_lines(raw: &str, max: usize, field: FieldError) -> Result<String, FieldError> {
    input::required(raw, max, Lines::Many).map_err(|_| field)
}

/// A text that may hold line breaks, at most `max` characters; `None` when empty.
pub fn optional_lines(
    raw: &str,
    max: usize,
    field: FieldError,
) -> Result<Option<String>, FieldError> {
    input::clean(raw, max, Lines::Many).map_err(|_| field)
}

/// A calendar date as a form sends it (`YYYY-MM-DD`).
pub fn parse_date(raw: &str, field: FieldError) -> Result<Date, FieldError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw.trim(), &format).map_err(|_| field)
}

/// An optional date: empty is `None`.
pub fn parse_optional_date(raw: &str, field: FieldError) -> Result<Option<Date>, FieldError> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(raw, field).map(Some)
    }
}

/// An optional outcome (the expected one): empty is `None` (not known yet).
pub fn parse_optional_outcome(raw: &str, field: FieldError) -> Result<Option<Outcome>, FieldError> {
    match raw.trim() {
        "" => Ok(None),
        code => Outcome::parse(code).map(Some).ok_or(field),
    }
}

/// A local date and time as a `datetime-local` field sends it (`YYYY-MM-DDTHH:MM`), normalised.
pub fn parse_local_datetime(raw: &str, field: FieldError) -> Result<String, FieldError> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let raw = raw.trim();
    let raw = raw.get(..16).unwrap_or(raw);
    time::PrimitiveDateTime::parse(raw, &format)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .ok_or(field)
}

/// A date's stored and form form, `YYYY-MM-DD`.
pub fn date_text(date: Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    date.format(&format).unwrap_or_default()
}

/// A birth year between 1900 and `this_year`.
pub fn parse_birth_year(raw: &str, this_year: i32, field: FieldError) -> Result<i32, FieldError> {
    match raw.trim().parse::<i32>() {
        Ok(year) if (1900..=this_year).contains(&year) => Ok(year),
        _ => Err(field),
    }
}

/// Children's birth years as a form sends them: separated by commas or spaces, e.g. "2019, 2022".
/// At most 15 children.
pub fn parse_children(raw: &str, this_year: i32) -> Result<Vec<i32>, FieldError> {
    let years = raw
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| match s.parse::<i32>() {
            Ok(y) if (this_year - 18..=this_year).contains(&y) => Ok(y),
            _ => Err("children_years"),
        })
        .collect::<Result<Vec<_>, _>>()?;
    if years.len() > 15 {
        return Err("children_years");
    }
    Ok(years)
}

/// The intake of a new resident's stay, parsed. The birth year must not be in the future, the
/// arrival not after today; a target district that equals the home district means "the same".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intake {
    pub name: String,
    pub birth_year: i32,
    pub gender: Gender,
    pub case_reference: Option<String>,
    pub arrival: Date,
    pub referral: Referral,
    pub home: DistrictId,
    pub target: Option<(DistrictId, TargetReason)>,
    pub children: Vec<i32>,
    pub secret_address: bool,
    pub language: Option<String>,
    pub interpreter: bool,
    /// Why staff register this stay although the same name and birth year has an open stay
    /// (without it, such an intake is refused as a likely duplicate).
    pub duplicate_reason: Option<String>,
    /// The consent answers asked at intake (none: not asked yet), for the services of the home
    /// district and of the target district.
    pub consents: Vec<super::consent::IntakeConsent>,
}

/// The intake form's fields as strings (what a form posts).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeForm {
    pub name: String,
    pub birth_year: String,
    pub gender: String,
    pub case_reference: String,
    pub arrival: String,
    pub referral: String,
    pub home: String,
    pub target: String,
    pub target_reason: String,
    pub children: String,
    pub secret_address: bool,
    pub language: String,
    pub interpreter: bool,
    pub duplicate_reason: String,
    /// Each standard service's consent answer and how (in `ServiceKind::STANDARD`'s order).
    pub consents: [(String, String); 3],
}

fn parse_district(raw: &str, field: FieldError) -> Result<DistrictId, FieldError> {
    raw.trim().parse::<i64>().map(DistrictId).map_err(|_| field)
}

/// The target district and its reason: none when empty or equal to the home district; else a
/// reason is required.
pub fn parse_target(
    home: DistrictId,
    target: &str,
    reason: &str,
) -> Result<Option<(DistrictId, TargetReason)>, FieldError> {
    if target.trim().is_empty() {
        return Ok(None);
    }
    let target = parse_district(target, "target")?;
    if target == home {
        return Ok(None);
    }
    let reason = TargetReason::parse(reason.trim()).ok_or("target_reason")?;
    Ok(Some((target, reason)))
}

impl IntakeForm {
    /// Parses the form, field by field in the form's order; `today` is the Oslo date.
    pub fn parse(&self, today: Date) -> Result<Intake, FieldError> {
        let name = required_text(&self.name, limits::NAME, "name")?;
        let birth_year = parse_birth_year(&self.birth_year, today.year(), "birth_year")?;
        let gender = Gender::parse(self.gender.trim()).ok_or("gender")?;
        let case_reference = optional_text(
            &self.case_reference,
            limits::CASE_REFERENCE,
            "case_reference",
        )?;
        let arrival = parse_date(&self.arrival, "arrival")?;
        if arrival > today || arrival.year() < today.year() - 5 {
            return Err("arrival");
        }
        let referral = Referral::parse(self.referral.trim()).ok_or("referral")?;
        let home = parse_district(&self.home, "home")?;
        let target = parse_target(home, &self.target, &self.target_reason)?;
        let children = parse_children(&self.children, today.year())?;
        let language = optional_text(&self.language, limits::LANGUAGE, "language")?;
        let duplicate_reason =
            optional_lines(&self.duplicate_reason, limits::REASON, "duplicate_reason")?;
        let mut consents = Vec::new();
        for (service, (answer, how)) in ServiceKind::STANDARD.into_iter().zip(&self.consents) {
            consents.extend(super::consent::parse_intake_answer(service, answer, how)?);
        }
        Ok(Intake {
            name,
            birth_year,
            gender,
            case_reference,
            arrival,
            referral,
            home,
            target,
            children,
            secret_address: self.secret_address,
            language,
            interpreter: self.interpreter,
            duplicate_reason,
            consents,
        })
    }
}

/// What the task rules need to know about a stay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StayFacts {
    pub arrival: Date,
    pub home: DistrictId,
    pub target: Option<DistrictId>,
    pub children: bool,
    pub concern_registered: Option<Date>,
    pub report_sent: Option<Date>,
    pub report_received: Option<Date>,
    pub review_concluded: Option<Date>,
    pub planned_move_out: Option<Date>,
    pub move_out: Option<Date>,
    pub outcome: Option<Outcome>,
    /// What staff expect the outcome to be, before the move-out.
    pub expected_outcome: Option<Outcome>,
    /// The Oslo date the hand-over to the target district was complete (every transfer task
    /// closed).
    pub handover_on: Option<Date>,
}

impl StayFacts {
    pub fn plan_facts(&self) -> PlanFacts {
        PlanFacts {
            children: self.children,
            concern: self.concern_registered.is_some(),
            target_differs: self.target.is_some(),
            temporary_outcome: self.outcome.is_some_and(Outcome::is_temporary),
            expected_temporary: self.expected_outcome.is_some_and(Outcome::is_temporary)
                && self.outcome.is_none_or(Outcome::is_temporary),
        }
    }

    /// The hand-over to the target district is complete.
    pub fn handover_done(&self) -> bool {
        self.handover_on.is_some()
    }

    /// The date a deadline counts from, once it is known. "Before the planned move-out" falls
    /// back to the move-out itself when no move-out was planned.
    pub fn anchor_date(&self, anchor: Anchor) -> Option<Date> {
        match anchor {
            Anchor::Arrival => Some(self.arrival),
            Anchor::ConcernRegistered => self.concern_registered,
            Anchor::ReportReceived => self.report_received,
            Anchor::ReviewConcluded => self.review_concluded,
            Anchor::PlannedMoveOut => self.planned_move_out.or(self.move_out),
            Anchor::MoveOut => self.move_out,
            Anchor::ReportReceivedOrSent => self.report_received.or(self.report_sent),
            Anchor::HandoverCompleted => self.handover_on,
        }
    }

    /// The district whose service carries a step. Steps of the target district stay with the
    /// home district until the hand-over is complete; then the target district receives them.
    pub fn district_for(&self, role: DistrictRole) -> Option<DistrictId> {
        match role {
            DistrictRole::None => None,
            DistrictRole::Home => Some(self.home),
            DistrictRole::Target => match self.target {
                Some(target) if self.handover_done() => Some(target),
                _ => Some(self.home),
            },
        }
    }
}

/// A task the facts call for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WantedTask {
    pub rule: RuleId,
    pub step: Step,
    /// The unit inbox; `None` for a crisis center task.
    pub unit: Option<Unit>,
    pub due: Date,
}

/// The tasks a plan with these facts has under `routine` (`rule_ids` in the routine's rule
/// order): every rule whose conditions hold and whose anchor date is known. Where two such rules
/// name the same step and service (the follow-up plan before the move-out when a temporary
/// outcome is expected, else after it), the first gives the task.
pub fn wanted_tasks(routine: &Routine, rule_ids: &[RuleId], facts: &StayFacts) -> Vec<WantedTask> {
    let plan_facts = facts.plan_facts();
    let mut given = Vec::new();
    routine
        .rules
        .iter()
        .zip(rule_ids)
        .filter(|(rule, _)| rule.condition.holds(plan_facts))
        .filter_map(|(rule, id)| {
            let anchor = facts.anchor_date(rule.anchor)?;
            if given.contains(&(rule.step, rule.responsible)) {
                return None;
            }
            given.push((rule.step, rule.responsible));
            let unit = match (
                rule.responsible.service(),
                facts.district_for(rule.district),
            ) {
                (Some(service), Some(district)) => Some(Unit { district, service }),
                _ => None,
            };
            Some(WantedTask {
                rule: *id,
                step: rule.step,
                unit,
                due: rule.offset.from(anchor),
            })
        })
        .collect()
}

/// A change a person makes to a task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskChange {
    /// Take the task: it becomes the caller's, and in progress.
    Claim,
    /// Give the task back to the unit.
    Release,
    /// Give the task to a named colleague of the same unit (or, for the crisis center's own
    /// tasks, another staff member): it becomes theirs, and in progress.
    Assign(super::UserId),
    Done,
    NotApplicable {
        reason: String,
    },
    Reopen,
    /// Only a comment.
    Comment,
}

impl TaskChange {
    /// Parses the form's button value (`change`), reason and chosen colleague (`assignee`, for
    /// `assign` only; the select starts empty).
    pub fn parse(change: &str, reason: &str, assignee: &str) -> Result<TaskChange, FieldError> {
        Ok(match change.trim() {
            "claim" => TaskChange::Claim,
            "release" => TaskChange::Release,
            "assign" => TaskChange::Assign(super::UserId(
                assignee.trim().parse().map_err(|_| "assignee")?,
            )),
            "done" => TaskChange::Done,
            "not_applicable" => TaskChange::NotApplicable {
                reason: required_lines(reason, limits::REASON, "reason")?,
            },
            "reopen" => TaskChange::Reopen,
            "comment" => TaskChange::Comment,
            _ => return Err("change"),
        })
    }

    /// The status after the change, or `None` when the change does not fit the current status
    /// (closing a closed task, reopening an open one, claiming a closed one).
    pub fn next_status(&self, now: TaskStatus) -> Option<TaskStatus> {
        use TaskStatus::*;
        match (self, now) {
            (TaskChange::Claim | TaskChange::Assign(_), Open | InProgress) => Some(InProgress),
            (TaskChange::Release, Open | InProgress) => Some(now),
            (TaskChange::Done | TaskChange::NotApplicable { .. }, Open | InProgress) => {
                Some(match self {
                    TaskChange::Done => Done,
                    _ => NotApplicable,
                })
            }
            (TaskChange::Reopen, Done | NotApplicable) => Some(Open),
            (TaskChange::Comment, s) => Some(s),
            _ => None,
        }
    }

    pub fn event_kind(&self) -> TaskEventKind {
        match self {
            TaskChange::Claim => TaskEventKind::Claimed,
            TaskChange::Release => TaskEventKind::Released,
            TaskChange::Assign(_) => TaskEventKind::Assigned,
            TaskChange::Comment => TaskEventKind::Comment,
            _ => TaskEventKind::Status,
        }
    }
}

pub use super::plan_view::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ServiceKind;
    use time::macros::date;

    use crate::domain::fixtures::version_one;

    fn arrival_only() -> StayFacts {
        StayFacts {
            arrival: date!(2026 - 03 - 16),
            home: DistrictId(12),
            target: None,
            children: false,
            concern_registered: None,
            report_sent: None,
            report_received: None,
            review_concluded: None,
            planned_move_out: None,
            move_out: None,
            outcome: None,
            expected_outcome: None,
            handover_on: None,
        }
    }

    fn steps(tasks: &[WantedTask]) -> Vec<Step> {
        tasks.iter().map(|t| t.step).collect()
    }

    #[test]
    fn a_new_plan_gets_the_housing_plan_for_nav_of_the_home_district_due_in_fourteen_days() {
        let (routine, ids) = version_one();
        let tasks = wanted_tasks(&routine, &ids, &arrival_only());
        assert_eq!(steps(&tasks), vec![Step::HousingPlan]);
        assert_eq!(tasks[0].due, date!(2026 - 03 - 30));
        assert_eq!(
            tasks[0].unit,
            Some(Unit {
                district: DistrictId(12),
                service: ServiceKind::Nav
            })
        );
    }

    #[test]
    fn tasks_appear_when_their_conditions_hold_and_their_date_is_known() {
        let (routine, ids) = version_one();
        let mut facts = arrival_only();
        facts.children = true;
        facts.concern_registered = Some(date!(2026 - 03 - 17));
        assert_eq!(
            steps(&wanted_tasks(&routine, &ids, &facts)),
            vec![Step::HousingPlan]
        );
        facts.report_received = Some(date!(2026 - 03 - 20));
        let tasks = wanted_tasks(&routine, &ids, &facts);
        assert_eq!(
            steps(&tasks),
            vec![
                Step::HousingPlan,
                Step::ChildWelfareReview,
                Step::ChildWelfareInvestigation
            ]
        );
        assert_eq!(tasks[1].due, date!(2026 - 03 - 27));
        assert_eq!(tasks[2].due, date!(2026 - 06 - 20));
        facts.target = Some(DistrictId(5));
        facts.planned_move_out = Some(date!(2026 - 04 - 20));
        assert_eq!(
            steps(&wanted_tasks(&routine, &ids, &facts)),
            vec![
                Step::HousingPlan,
                Step::ExitMeeting,
                Step::ChildWelfareReview,
                Step::ChildWelfareInvestigation,
                Step::Transfer
            ]
        );
    }

    #[test]
    fn target_district_steps_stay_home_until_the_hand_over_is_complete() {
        let (routine, ids) = version_one();
        let mut facts = arrival_only();
        facts.target = Some(DistrictId(5));
        facts.move_out = Some(date!(2026 - 04 - 21));
        facts.outcome = Some(Outcome::TemporaryPublic);
        let follow_up = |facts: &StayFacts| {
            wanted_tasks(&routine, &ids, facts)
                .into_iter()
                .filter(|t| matches!(t.step, Step::FollowUpContact | Step::FollowUpPlan))
                .map(|t| (t.step, t.unit.map(|u| u.district), t.due))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            follow_up(&facts),
            vec![
                (
                    Step::FollowUpPlan,
                    Some(DistrictId(12)),
                    date!(2026 - 04 - 21)
                ),
                (
                    Step::FollowUpContact,
                    Some(DistrictId(12)),
                    date!(2026 - 05 - 05)
                ),
            ]
        );
        facts.handover_on = Some(date!(2026 - 04 - 20));
        assert_eq!(
            follow_up(&facts),
            vec![
                (
                    Step::FollowUpPlan,
                    Some(DistrictId(5)),
                    date!(2026 - 04 - 21)
                ),
                (
                    Step::FollowUpContact,
                    Some(DistrictId(5)),
                    date!(2026 - 05 - 05)
                ),
            ]
        );
    }

    #[test]
    fn the_intake_form_parses_field_by_field_and_names_the_first_bad_field() {
        let today = date!(2026 - 03 - 16);
        let mut form = IntakeForm {
            name: " Kari ".into(),
            birth_year: "1990".into(),
            gender: "female".into(),
            arrival: "2026-03-16".into(),
            referral: "police".into(),
            home: "12".into(),
            target: "12".into(),
            children: "2019, 2022".into(),
            ..IntakeForm::default()
        };
        let intake = form.parse(today).unwrap();
        assert_eq!(intake.name, "Kari");
        assert_eq!(intake.target, None, "the same district is no transfer");
        assert_eq!(intake.children, vec![2019, 2022]);
        form.target = "5".into();
        assert_eq!(form.parse(today), Err("target_reason"));
        form.target_reason = "threat".into();
        assert_eq!(
            form.parse(today).unwrap().target,
            Some((DistrictId(5), TargetReason::Threat))
        );
        form.arrival = "2026-03-17".into();
        assert_eq!(form.parse(today), Err("arrival"), "not in the future");
        form.arrival = "16.03.2026".into();
        assert_eq!(form.parse(today), Err("arrival"));
        form.name = "  ".into();
        assert_eq!(form.parse(today), Err("name"));
        form.name = "Kari".into();
        form.arrival = "2026-03-16".into();
        form.children = "2019 1990".into();
        assert_eq!(
            form.parse(today),
            Err("children_years"),
            "a child is under 18"
        );
    }

    #[test]
    fn a_task_moves_open_in_progress_done_and_back_only_by_reopening() {
        use TaskStatus::*;
        assert_eq!(TaskChange::Claim.next_status(Open), Some(InProgress));
        assert_eq!(TaskChange::Done.next_status(InProgress), Some(Done));
        assert_eq!(TaskChange::Done.next_status(Done), None);
        assert_eq!(TaskChange::Reopen.next_status(Done), Some(Open));
        assert_eq!(TaskChange::Reopen.next_status(Open), None);
        assert_eq!(TaskChange::Claim.next_status(NotApplicable), None);
        assert_eq!(TaskChange::parse("not_applicable", " ", ""), Err("reason"));
        assert_eq!(
            TaskChange::parse("not_applicable", "Flyttet til annen kommune", "")
                .unwrap()
                .next_status(Open),
            Some(NotApplicable)
        );
        assert_eq!(TaskChange::parse("delete", "", ""), Err("change"));
        assert_eq!(TaskChange::parse("assign", "", ""), Err("assignee"));
        assert_eq!(
            TaskChange::parse("assign", "", " 7 "),
            Ok(TaskChange::Assign(crate::domain::UserId(7)))
        );
        assert_eq!(
            TaskChange::Assign(crate::domain::UserId(7)).next_status(TaskStatus::Done),
            None,
            "a closed task is given to nobody"
        );
        for change in [
            TaskChange::Claim,
            TaskChange::Release,
            TaskChange::Done,
            TaskChange::Reopen,
        ] {
            assert_eq!(
                change.next_status(Withdrawn),
                None,
                "the portal owns withdrawn tasks"
            );
        }
        assert_eq!(TaskChange::Comment.next_status(Withdrawn), Some(Withdrawn));
    }

    fn due_of(tasks: &[WantedTask], step: Step) -> Vec<(Option<Unit>, Date)> {
        tasks
            .iter()
            .filter(|t| t.step == step)
            .map(|t| (t.unit, t.due))
            .collect()
    }

    fn child_welfare(district: i64) -> Option<Unit> {
        Some(Unit {
            district: DistrictId(district),
            service: ServiceKind::ChildWelfare,
        })
    }

    #[test]
    fn with_children_the_crisis_center_considers_a_report_of_concern_a_week_after_arrival() {
        let (routine, ids) = crate::domain::fixtures::version_two();
        let mut facts = arrival_only();
        assert_eq!(
            due_of(&wanted_tasks(&routine, &ids, &facts), Step::ConcernReport),
            vec![]
        );
        facts.children = true;
        assert_eq!(
            due_of(&wanted_tasks(&routine, &ids, &facts), Step::ConcernReport),
            vec![(None, date!(2026 - 03 - 23))]
        );
    }

    #[test]
    fn child_welfares_review_counts_from_the_sending_until_child_welfare_records_the_receipt() {
        let (routine, ids) = crate::domain::fixtures::version_two();
        let mut facts = arrival_only();
        facts.children = true;
        facts.concern_registered = Some(date!(2026 - 03 - 17));
        assert_eq!(
            due_of(
                &wanted_tasks(&routine, &ids, &facts),
                Step::ChildWelfareReview
            ),
            vec![],
            "no review before the report is sent"
        );
        facts.report_sent = Some(date!(2026 - 03 - 18));
        assert_eq!(
            due_of(
                &wanted_tasks(&routine, &ids, &facts),
                Step::ChildWelfareReview
            ),
            vec![(child_welfare(12), date!(2026 - 03 - 25))]
        );
        facts.report_received = Some(date!(2026 - 03 - 20));
        assert_eq!(
            due_of(
                &wanted_tasks(&routine, &ids, &facts),
                Step::ChildWelfareReview
            ),
            vec![(child_welfare(12), date!(2026 - 03 - 27))]
        );
    }

    #[test]
    fn the_follow_up_plan_is_due_before_the_move_out_when_temporary_housing_is_expected() {
        let (routine, ids) = crate::domain::fixtures::version_two();
        let nav = Some(Unit {
            district: DistrictId(12),
            service: ServiceKind::Nav,
        });
        let mut facts = arrival_only();
        facts.planned_move_out = Some(date!(2026 - 04 - 20));
        facts.expected_outcome = Some(Outcome::TemporaryPublic);
        let expected = wanted_tasks(&routine, &ids, &facts);
        assert_eq!(
            due_of(&expected, Step::FollowUpPlan),
            vec![(nav, date!(2026 - 04 - 20))]
        );
        // The move-out confirms it: the same rule, one task.
        facts.move_out = Some(date!(2026 - 04 - 22));
        facts.outcome = Some(Outcome::TemporaryPrivate);
        let confirmed = wanted_tasks(&routine, &ids, &facts);
        let rules: Vec<RuleId> = confirmed
            .iter()
            .filter(|t| t.step == Step::FollowUpPlan)
            .map(|t| t.rule)
            .collect();
        let before: Vec<RuleId> = expected
            .iter()
            .filter(|t| t.step == Step::FollowUpPlan)
            .map(|t| t.rule)
            .collect();
        assert_eq!(rules, before);
        // The move-out says otherwise: no follow-up plan.
        facts.outcome = Some(Outcome::NewHome);
        assert_eq!(
            due_of(&wanted_tasks(&routine, &ids, &facts), Step::FollowUpPlan),
            vec![]
        );
        // Not expected, known at the move-out: a week after it.
        facts.expected_outcome = None;
        facts.outcome = Some(Outcome::TemporaryPublic);
        assert_eq!(
            due_of(&wanted_tasks(&routine, &ids, &facts), Step::FollowUpPlan),
            vec![(nav, date!(2026 - 04 - 29))]
        );
    }

    #[test]
    fn after_the_hand_over_the_receiving_districts_child_welfare_gets_its_task() {
        let (routine, ids) = crate::domain::fixtures::version_two();
        let mut facts = arrival_only();
        facts.children = true;
        facts.target = Some(DistrictId(5));
        facts.planned_move_out = Some(date!(2026 - 04 - 20));
        assert_eq!(
            due_of(&wanted_tasks(&routine, &ids, &facts), Step::TransferReceipt),
            vec![]
        );
        facts.handover_on = Some(date!(2026 - 04 - 10));
        assert_eq!(
            due_of(&wanted_tasks(&routine, &ids, &facts), Step::TransferReceipt),
            vec![(child_welfare(5), date!(2026 - 04 - 17))]
        );
    }
}
