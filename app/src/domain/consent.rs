//! The resident's consent to share their data with a service of a district (krisesenterlova § 5).
//! Staff record each answer; the newest answer of a stay and unit is the one in force, and no
//! answer means "not asked yet". A unit sees the resident's personal data only while its answer
//! in force is "given", with the exception the law makes for child welfare's report of concern
//! (barnevernsloven § 13-2), which the database view `task_listing` applies.

use super::plan::{FieldError, StayId, parse_date};
use super::{DistrictId, ServiceKind, Unit};
use serde::{Deserialize, Serialize};
use time::Date;

stored_enum!(
    /// An answer staff record: given, refused, or withdrawn (after it was given).
    ConsentAnswer { Given = "given", Refused = "refused", Withdrawn = "withdrawn" }
);

stored_enum!(
    /// How the resident answered.
    ConsentHow { Oral = "oral", Written = "written" }
);

/// The intake's consent question for each standard service, answered for the services of the
/// home district and of the target district (if another): "not asked yet" (no answer), given or
/// refused, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeConsent {
    pub service: ServiceKind,
    pub answer: ConsentAnswer,
    pub how: ConsentHow,
}

/// The intake form's value for "not asked yet", the select's first option.
pub const NOT_ASKED: &str = "not_asked";

/// The intake field of a service's answer (`consent_nav` ...) and of how it was given.
pub fn intake_fields(service: ServiceKind) -> (&'static str, &'static str) {
    match service {
        ServiceKind::Nav => ("consent_nav", "consent_nav_how"),
        ServiceKind::ChildWelfare => ("consent_child_welfare", "consent_child_welfare_how"),
        _ => (
            "consent_violence_coordinator",
            "consent_violence_coordinator_how",
        ),
    }
}

/// One service's answer on the intake form: `answer` is `not_asked` (or empty), `given` or
/// `refused`; a given or refused answer needs how it was given.
pub fn parse_intake_answer(
    service: ServiceKind,
    answer: &str,
    how: &str,
) -> Result<Option<IntakeConsent>, FieldError> {
    let (answer_field, how_field) = intake_fields(service);
    let answer = match answer.trim() {
        "" | NOT_ASKED => return Ok(None),
        raw => match ConsentAnswer::parse(raw) {
            Some(a @ (ConsentAnswer::Given | ConsentAnswer::Refused)) => a,
            _ => return Err(answer_field),
        },
    };
    let how = ConsentHow::parse(how.trim()).ok_or(how_field)?;
    Ok(Some(IntakeConsent {
        service,
        answer,
        how,
    }))
}

/// A consent answer staff record on the plan page, parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentChange {
    pub unit: Unit,
    pub answer: ConsentAnswer,
    pub how: ConsentHow,
    pub decided_on: Date,
}

impl ConsentChange {
    /// Parses the plan page's consent form (`consent_unit`: [`unit_value`]); the day may not be after
    /// `today`.
    pub fn parse(
        unit: &str,
        answer: &str,
        how: &str,
        decided_on: &str,
        today: Date,
    ) -> Result<ConsentChange, FieldError> {
        let (district, service) = unit.trim().split_once(':').ok_or("consent_unit")?;
        let district = district
            .parse::<i64>()
            .map(DistrictId)
            .map_err(|_| "consent_unit")?;
        let service = match ServiceKind::parse(service) {
            Ok(kind) if kind != ServiceKind::Other => kind,
            _ => return Err("consent_unit"),
        };
        let answer = ConsentAnswer::parse(answer.trim()).ok_or("answer")?;
        let how = ConsentHow::parse(how.trim()).ok_or("how")?;
        let decided_on = parse_date(decided_on, "decided_on")?;
        if decided_on > today {
            return Err("decided_on");
        }
        Ok(ConsentChange {
            unit: Unit { district, service },
            answer,
            how,
            decided_on,
        })
    }
}

/// A unit as the consent form's select names it: `<district id>:<service kind>`.
pub fn unit_value(unit: Unit) -> String {
    format!("{}:{}", unit.district.0, unit.service.as_str())
}

/// Whether `next` may follow the answer in force (`None`: not asked yet): consent is given or
/// refused while it is not in force, and withdrawn only while it is.
pub fn may_follow(current: Option<ConsentAnswer>, next: ConsentAnswer) -> bool {
    match next {
        ConsentAnswer::Given | ConsentAnswer::Refused => current != Some(ConsentAnswer::Given),
        ConsentAnswer::Withdrawn => current == Some(ConsentAnswer::Given),
    }
}

/// One recorded answer, as the plan page's history shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub unit: Unit,
    pub district_name: String,
    pub answer: ConsentAnswer,
    pub how: ConsentHow,
    pub decided_on: Date,
    /// When it was recorded (UTC, as stored).
    pub recorded_at: String,
    pub recorded_by: String,
}

/// A unit a plan involves (a standard service of the home or target district, or one with a
/// task in the plan) and its answer in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitConsent {
    pub unit: Unit,
    pub district_name: String,
    pub current: Option<ConsentRecord>,
    /// Child welfare has the report of concern (shared without consent, § 13-2).
    pub by_report: bool,
}

impl UnitConsent {
    /// Whether the unit sees the resident's personal data now.
    pub fn sees_personal_data(&self) -> bool {
        self.by_report
            || self
                .current
                .as_ref()
                .is_some_and(|c| c.answer == ConsentAnswer::Given)
    }
}

/// A plan as a caseworker whose unit has no consent sees it: that it exists, and their unit's
/// tasks by step and due date, without the resident's name (every row `withheld`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithheldPlan {
    pub stay: StayId,
    pub tasks: Vec<super::plan_view::TaskRow>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn consent_is_withdrawn_only_while_given_and_given_only_while_not() {
        use ConsentAnswer::*;
        for current in [None, Some(Refused), Some(Withdrawn)] {
            assert!(may_follow(current, Given));
            assert!(may_follow(current, Refused));
            assert!(!may_follow(current, Withdrawn));
        }
        assert!(may_follow(Some(Given), Withdrawn));
        assert!(!may_follow(Some(Given), Given));
        assert!(!may_follow(Some(Given), Refused));
    }

    #[test]
    fn the_intake_answer_defaults_to_not_asked_and_a_given_answer_needs_how() {
        let nav = ServiceKind::Nav;
        assert_eq!(parse_intake_answer(nav, "", ""), Ok(None));
        assert_eq!(parse_intake_answer(nav, NOT_ASKED, "oral"), Ok(None));
        assert_eq!(
            parse_intake_answer(nav, "given", ""),
            Err("consent_nav_how")
        );
        assert_eq!(
            parse_intake_answer(nav, "withdrawn", "oral"),
            Err("consent_nav")
        );
        assert_eq!(
            parse_intake_answer(ServiceKind::ChildWelfare, "refused", "written"),
            Ok(Some(IntakeConsent {
                service: ServiceKind::ChildWelfare,
                answer: ConsentAnswer::Refused,
                how: ConsentHow::Written,
            }))
        );
    }

    #[test]
    fn a_consent_change_names_the_field_that_is_wrong() {
        let today = date!(2026 - 12 - 05);
        let ok = ConsentChange::parse("3:nav", "given", "oral", "2026-12-05", today).unwrap();
        assert_eq!(
            ok.unit,
            Unit {
                district: DistrictId(3),
                service: ServiceKind::Nav
            }
        );
        assert_eq!(unit_value(ok.unit), "3:nav");
        let wrong = |u: &str, a: &str, h: &str, on: &str| {
            ConsentChange::parse(u, a, h, on, today).unwrap_err()
        };
        assert_eq!(wrong("", "given", "oral", "2026-12-05"), "consent_unit");
        assert_eq!(
            wrong("x:nav", "given", "oral", "2026-12-05"),
            "consent_unit"
        );
        assert_eq!(
            wrong("3:other", "given", "oral", "2026-12-05"),
            "consent_unit"
        );
        assert_eq!(wrong("3:nav", "", "oral", "2026-12-05"), "answer");
        assert_eq!(wrong("3:nav", "given", "", "2026-12-05"), "how");
        assert_eq!(wrong("3:nav", "given", "oral", "2026-12-06"), "decided_on");
    }
}
