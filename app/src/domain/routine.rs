//! Routines: which steps a re-establishment plan has, who is responsible, in which district,
//! from which event the deadline counts, and when a step applies. A routine is data, stored in
//! versions (`routine_version`, `routine_rule`; version 1 is DOMAIN.md's default routine, seeded
//! by the migration). A published version never changes: each plan records the version it was
//! created under, so a new version never moves an existing plan's deadlines.
//!
//! Where is the 14-day housing-plan deadline? In the migration that seeds version 1
//! (`migrations/*_routines.sql`), as the rule `housing_plan`: NAV, home district, arrival + 14
//! days. This module gives those rows their meaning.

use super::ServiceKind;
use super::deadline::Period;
use serde::{Deserialize, Serialize};

super::id_newtype!(
    /// Primary key of a rule of a routine version.
    RuleId
);

stored_enum!(
    /// A step of the re-establishment plan.
    Step {
        /// Plan for finding housing (*plan for boligfremskaffelse*).
        HousingPlan = "housing_plan",
        /// Follow-up plan when the resident moves to temporary housing.
        FollowUpPlan = "follow_up_plan",
        /// Exit meeting held, attendance recorded.
        ExitMeeting = "exit_meeting",
        /// Report of concern to child welfare sent.
        ConcernReport = "concern_report",
        /// Child welfare reviews the report (barnevernsloven § 2-1).
        ChildWelfareReview = "child_welfare_review",
        /// Child welfare investigation concluded (§ 2-2).
        ChildWelfareInvestigation = "child_welfare_investigation",
        /// Individual plan offered.
        IndividualPlan = "individual_plan",
        /// The main coordinating service after the stay named in the plan.
        MainCoordinator = "main_coordinator",
        /// Case transferred to the target district.
        Transfer = "transfer",
        /// Follow-up contact after move-out.
        FollowUpContact = "follow_up_contact",
        /// The receiving district's child welfare takes over a transferred case.
        TransferReceipt = "transfer_receipt",
    }
);

stored_enum!(
    /// Who carries out a step: the crisis center, or a district service.
    Responsible {
        CrisisCenter = "crisis_center",
        Nav = "nav",
        ChildWelfare = "child_welfare",
        ViolenceCoordinator = "violence_coordinator",
    }
);

impl Responsible {
    /// The district service, if the step is a district's.
    pub fn service(self) -> Option<ServiceKind> {
        match self {
            Responsible::CrisisCenter => None,
            Responsible::Nav => Some(ServiceKind::Nav),
            Responsible::ChildWelfare => Some(ServiceKind::ChildWelfare),
            Responsible::ViolenceCoordinator => Some(ServiceKind::ViolenceCoordinator),
        }
    }
}

stored_enum!(
    /// Which district's service is responsible.
    DistrictRole {
        /// The resident's home district (*tilhørighetsbydel*).
        Home = "home",
        /// The district of the new home (the home district when no other is set).
        Target = "target",
        /// No district: a crisis center step.
        None = "none",
    }
);

stored_enum!(
    /// The event a deadline counts from.
    Anchor {
        Arrival = "arrival",
        /// The need for a report of concern was registered.
        ConcernRegistered = "concern_registered",
        /// Child welfare received the report of concern.
        ReportReceived = "report_received",
        /// Child welfare concluded its review of the report.
        ReviewConcluded = "review_concluded",
        PlannedMoveOut = "planned_move_out",
        MoveOut = "move_out",
        /// Child welfare received the report of concern when it has recorded that, else the
        /// crisis center sent it (so child welfare's period shows as soon as it is sent).
        ReportReceivedOrSent = "report_received_or_sent",
        /// The hand-over to the target district was completed.
        HandoverCompleted = "handover_completed",
    }
);

/// When a rule applies: every flag that is set must hold for the plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Condition {
    pub children: bool,
    pub concern: bool,
    pub target_differs: bool,
    pub temporary_outcome: bool,
    /// Staff expect a temporary outcome, and the move-out has not said otherwise.
    #[serde(default)]
    pub expected_temporary: bool,
}

/// What is known about a plan, for deciding which rules apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PlanFacts {
    pub children: bool,
    pub concern: bool,
    pub target_differs: bool,
    pub temporary_outcome: bool,
    pub expected_temporary: bool,
}

impl Condition {
    pub fn holds(self, facts: PlanFacts) -> bool {
        (!self.children || facts.children)
            && (!self.concern || facts.concern)
            && (!self.target_differs || facts.target_differs)
            && (!self.temporary_outcome || facts.temporary_outcome)
            && (!self.expected_temporary || facts.expected_temporary)
    }
}

/// One rule of a routine version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub step: Step,
    pub responsible: Responsible,
    pub district: DistrictRole,
    pub anchor: Anchor,
    pub offset: Period,
    pub condition: Condition,
    /// Missing this step's deadline opens a deviation (internal control).
    pub binding: bool,
}

/// The steps whose deadline the default routine makes binding: a miss opens a deviation.
pub const BINDING_BY_DEFAULT: [Step; 5] = [
    Step::HousingPlan,
    Step::ChildWelfareReview,
    Step::ChildWelfareInvestigation,
    Step::ExitMeeting,
    Step::FollowUpPlan,
];

/// A published routine version with its rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routine {
    pub version: i64,
    pub rules: Vec<Rule>,
}

impl Routine {
    /// The rules that apply to a plan with these facts (tasks whose conditions become true later
    /// are added then: ask again with the new facts).
    pub fn applicable(&self, facts: PlanFacts) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |r| r.condition.holds(facts))
    }
}

/// A rule with its id, as the routine page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleView {
    pub id: RuleId,
    pub rule: Rule,
}

/// A published version, for the list of versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionSummary {
    pub version: i64,
    /// UTC, as stored.
    pub published_at: String,
    /// `None` for version 1 (published by the migration).
    pub published_by: Option<String>,
    pub note: Option<String>,
    /// How many plans were created under it.
    pub plans: i64,
}

/// The routine in force (the newest version) and every version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutineView {
    pub version: i64,
    pub rules: Vec<RuleView>,
    pub versions: Vec<VersionSummary>,
}

/// An offset as the routine form sends it: a whole number and `days` or `months`, at most a
/// year either way.
pub fn parse_offset(amount: &str, unit: &str) -> Result<Period, &'static str> {
    let amount: i32 = amount.trim().parse().map_err(|_| "offset")?;
    match unit.trim() {
        "days" if (-366..=366).contains(&amount) => Ok(Period::Days(amount)),
        "months" if (-12..=12).contains(&amount) => Ok(Period::Months(amount)),
        _ => Err("offset"),
    }
}

/// Whether a rule is consistent: crisis center steps have no district, district steps have one.
pub fn rule_is_consistent(rule: &Rule) -> bool {
    (rule.responsible == Responsible::CrisisCenter) == (rule.district == DistrictRole::None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_forms_round_trip() {
        for s in Step::ALL {
            assert_eq!(Step::parse(s.as_str()), Some(*s));
        }
        for a in Anchor::ALL {
            assert_eq!(Anchor::parse(a.as_str()), Some(*a));
        }
        assert_eq!(
            Responsible::parse("nav").and_then(Responsible::service),
            Some(ServiceKind::Nav)
        );
        assert_eq!(DistrictRole::parse("elsewhere"), None);
    }

    #[test]
    fn an_offset_is_a_whole_number_of_days_or_months_within_a_year() {
        assert_eq!(parse_offset(" 10 ", "days"), Ok(Period::Days(10)));
        assert_eq!(parse_offset("6", "months"), Ok(Period::Months(6)));
        assert_eq!(parse_offset("-1", "days"), Ok(Period::Days(-1)));
        for (amount, unit) in [
            ("400", "days"),
            ("13", "months"),
            ("1.5", "days"),
            ("3", "weeks"),
            ("", "days"),
        ] {
            assert_eq!(parse_offset(amount, unit), Err("offset"), "{amount} {unit}");
        }
    }

    #[test]
    fn a_rule_applies_only_when_all_its_conditions_hold() {
        let transfer_of_child_welfare = Condition {
            children: true,
            target_differs: true,
            ..Condition::default()
        };
        let mut facts = PlanFacts {
            children: true,
            ..PlanFacts::default()
        };
        assert!(!transfer_of_child_welfare.holds(facts));
        facts.target_differs = true;
        assert!(transfer_of_child_welfare.holds(facts));
        assert!(
            Condition::default().holds(PlanFacts::default()),
            "no condition: always"
        );
    }
}
