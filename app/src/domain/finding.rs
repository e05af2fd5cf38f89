//! Audit findings and their closure plans: a finding for a district (its date, legal basis and
//! text, recorded by an administrator or reviewer), the steps the district plans to close it
//! (each owned by one of the district's services, with a deadline, in that unit's inbox), and
//! the reviewer's closing (a date and a note). About a district's routines, never about a
//! person. No I/O.

use super::input::{Lines, required};
use super::{Action, Actor, DistrictId, ServiceKind, Target, Unit, permits};
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

id_newtype!(
    /// A finding's row id.
    FindingId
);
id_newtype!(
    /// A closure step's row id.
    StepId
);

stored_enum!(
    /// Where a closure step stands.
    StepStatus {
        Open = "open",
        Done = "done",
    }
);

stored_enum!(
    /// What a history row of a finding records.
    FindingEventKind {
        Recorded = "recorded",
        StepAdded = "step_added",
        StepDone = "step_done",
        StepReopened = "step_reopened",
        Closed = "closed",
    }
);

/// A step of a closure plan, as the district's page and the unit's inbox show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureStep {
    pub id: StepId,
    pub finding: FindingId,
    pub service: ServiceKind,
    pub text: String,
    pub due_on: Date,
    pub status: StepStatus,
    pub done_on: Option<Date>,
    pub version: i64,
}

impl ClosureStep {
    /// Open past its due date (Oslo date `today`), as a plan task is.
    pub fn overdue(&self, today: Date) -> bool {
        self.status == StepStatus::Open && self.due_on < today
    }
}

/// A finding with its closure plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub id: FindingId,
    pub found_on: Date,
    pub legal_basis: String,
    pub text: String,
    pub closed_on: Option<Date>,
    pub closing_note: Option<String>,
    pub version: i64,
    pub steps: Vec<ClosureStep>,
}

impl Finding {
    pub fn is_open(&self) -> bool {
        self.closed_on.is_none()
    }

    /// How many of its steps are overdue on `today` (none once the finding is closed).
    pub fn overdue_steps(&self, today: Date) -> usize {
        if !self.is_open() {
            return 0;
        }
        self.steps.iter().filter(|s| s.overdue(today)).count()
    }
}

/// One saved change of a finding or one of its steps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingEvent {
    pub finding: FindingId,
    pub step: Option<StepId>,
    /// UTC, as stored.
    pub at: String,
    pub by: String,
    pub what: FindingEventKind,
}

/// A district's findings, newest first, with their history and what the reader may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictFindings {
    pub district: DistrictId,
    pub findings: Vec<Finding>,
    pub history: Vec<FindingEvent>,
    /// Administrators and reviewers: record findings and close them.
    pub may_record: bool,
    /// The district's management and administrators: plan closure steps.
    pub may_plan: bool,
    /// The services whose steps the reader may mark done (every one for the district's
    /// management and administrators; their own for caseworkers).
    pub may_complete: Vec<ServiceKind>,
    pub today: Date,
}

/// A district's open findings and overdue closure steps, for the compliance pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingCounts {
    pub open: u32,
    pub overdue_steps: u32,
}

/// A closure step in a unit's inbox: the step with its finding's district and legal basis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxStep {
    pub step: ClosureStep,
    pub district_slug: String,
    pub legal_basis: String,
}

/// An open finding with its district, for the list of every district's open findings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenFinding {
    pub district_slug: String,
    pub district_name: String,
    pub finding: Finding,
}

/// Every district's open findings on `today`, by district name and date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenFindings {
    pub findings: Vec<OpenFinding>,
    pub today: Date,
}

/// A unit's open closure steps on `today`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSteps {
    pub steps: Vec<InboxStep>,
    pub today: Date,
}

/// Whether `actor` may mark a closure step of `unit` done or open again: the unit's own
/// caseworkers, and those who plan the district's closure (its manager, administrators).
pub fn may_complete(actor: Option<&Actor>, unit: Unit) -> bool {
    permits(actor, Action::WorkTasks, Target::Unit(unit))
        || permits(
            actor,
            Action::EditInternalControl,
            Target::District(unit.district),
        )
}

/// How far ahead a step's deadline or a finding's date may be set.
pub const MAX_YEARS_AHEAD: i64 = 3;

/// Why a form was refused: the field, for the message that says why.
pub type FieldRefusal = &'static str;

fn parse_date(raw: &str, field: FieldRefusal) -> Result<Date, FieldRefusal> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw.trim(), &format).map_err(|_| field)
}

/// A checked new finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFinding {
    pub found_on: Date,
    pub legal_basis: String,
    pub text: String,
}

impl NewFinding {
    /// The date (not after `today`, not before 2000), the legal basis (one line) and the text.
    pub fn parse(
        found_on: &str,
        legal_basis: &str,
        text: &str,
        today: Date,
    ) -> Result<NewFinding, FieldRefusal> {
        let found_on = parse_date(found_on, "found_on")?;
        if found_on > today || found_on.year() < 2000 {
            return Err("found_on");
        }
        let legal_basis = required(legal_basis, 300, Lines::One).map_err(|_| "legal_basis")?;
        let text = required(text, 4000, Lines::Many).map_err(|_| "finding_text")?;
        Ok(NewFinding {
            found_on,
            legal_basis,
            text,
        })
    }
}

/// A checked new closure step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewStep {
    pub service: ServiceKind,
    pub text: String,
    pub due_on: Date,
}

impl NewStep {
    /// The owning service (one of the district's standard three), what is to be done and the
    /// deadline (from `today` to [`MAX_YEARS_AHEAD`] years ahead).
    pub fn parse(
        service: &str,
        text: &str,
        due_on: &str,
        today: Date,
    ) -> Result<NewStep, FieldRefusal> {
        let service = ServiceKind::parse(service.trim())
            .ok()
            .filter(|s| ServiceKind::STANDARD.contains(s))
            .ok_or("owner")?;
        let text = required(text, 1000, Lines::Many).map_err(|_| "step_text")?;
        let due_on = parse_date(due_on, "due_on")?;
        if due_on < today || due_on > today + Duration::days(365 * MAX_YEARS_AHEAD) {
            return Err("due_on");
        }
        Ok(NewStep {
            service,
            text,
            due_on,
        })
    }
}

/// A checked closing of a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closing {
    pub closed_on: Date,
    pub note: String,
}

impl Closing {
    /// The date (from the finding's date to `today`) and the note.
    pub fn parse(
        closed_on: &str,
        note: &str,
        found_on: Date,
        today: Date,
    ) -> Result<Closing, FieldRefusal> {
        let closed_on = parse_date(closed_on, "closed_on")?;
        if closed_on < found_on || closed_on > today {
            return Err("closed_on");
        }
        let note = required(note, 4000, Lines::Many).map_err(|_| "closing_note")?;
        Ok(Closing { closed_on, note })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn step(due_on: Date, status: StepStatus) -> ClosureStep {
        ClosureStep {
            id: StepId(1),
            finding: FindingId(1),
            service: ServiceKind::Nav,
            text: "Vedta rutine".into(),
            due_on,
            status,
            done_on: (status == StepStatus::Done).then_some(due_on),
            version: 1,
        }
    }

    #[test]
    fn a_step_is_overdue_from_the_day_after_its_deadline_while_open() {
        let due = date!(2026 - 12 - 04);
        assert!(!step(due, StepStatus::Open).overdue(date!(2026 - 12 - 04)));
        assert!(step(due, StepStatus::Open).overdue(date!(2026 - 12 - 05)));
        assert!(!step(due, StepStatus::Done).overdue(date!(2027 - 01 - 01)));
        let mut finding = Finding {
            id: FindingId(1),
            found_on: date!(2026 - 11 - 01),
            legal_basis: "Krisesenterlova § 4".into(),
            text: "Mangler rutine".into(),
            closed_on: None,
            closing_note: None,
            version: 1,
            steps: vec![step(due, StepStatus::Open), step(due, StepStatus::Done)],
        };
        assert_eq!(finding.overdue_steps(date!(2026 - 12 - 05)), 1);
        finding.closed_on = Some(date!(2026 - 12 - 05));
        assert_eq!(finding.overdue_steps(date!(2026 - 12 - 06)), 0);
    }

    #[test]
    fn forms_that_do_not_make_sense_name_their_field() {
        let today = date!(2026 - 12 - 04);
        let finding = |d, b, t| NewFinding::parse(d, b, t, today);
        assert_eq!(finding("", "§ 4", "Tekst"), Err("found_on"));
        assert_eq!(finding("2026-12-05", "§ 4", "Tekst"), Err("found_on"));
        assert_eq!(finding("2026-11-01", " ", "Tekst"), Err("legal_basis"));
        assert_eq!(finding("2026-11-01", "§ 4", ""), Err("finding_text"));
        assert!(finding("2026-11-01", "Krisesenterlova § 4", "Mangler\nrutine").is_ok());

        let step = |s, t, d| NewStep::parse(s, t, d, today);
        assert_eq!(step("", "Vedta", "2027-01-01"), Err("owner"));
        assert_eq!(step("other", "Vedta", "2027-01-01"), Err("owner"));
        assert_eq!(step("nav", "", "2027-01-01"), Err("step_text"));
        assert_eq!(step("nav", "Vedta", "2026-12-03"), Err("due_on"));
        assert_eq!(step("nav", "Vedta", "2040-01-01"), Err("due_on"));
        assert_eq!(
            step("child_welfare", "Vedta", "2026-12-04").map(|s| s.service),
            Ok(ServiceKind::ChildWelfare)
        );

        let found = date!(2026 - 11 - 01);
        let close = |d, n| Closing::parse(d, n, found, today);
        assert_eq!(close("2026-10-31", "Lukket"), Err("closed_on"));
        assert_eq!(close("2026-12-05", "Lukket"), Err("closed_on"));
        assert_eq!(close("2026-12-04", " "), Err("closing_note"));
        assert!(close("2026-11-01", "Rutinen er vedtatt").is_ok());
    }
}
