//! Test fixtures shared by the domain's unit tests.

use super::deadline::Period;
use super::routine::RuleId;
use super::routine::{Anchor, Condition, DistrictRole, Responsible, Routine, Rule, Step};

fn rule(
    step: Step,
    responsible: Responsible,
    district: DistrictRole,
    anchor: Anchor,
    offset: Period,
    condition: Condition,
) -> Rule {
    Rule {
        step,
        responsible,
        district,
        anchor,
        offset,
        condition,
        binding: super::routine::BINDING_BY_DEFAULT.contains(&step),
    }
}

pub(crate) fn version_one() -> (Routine, Vec<RuleId>) {
    use Anchor::*;
    use DistrictRole as D;
    use Responsible as R;
    use Step::*;
    let none = Condition::default();
    let kids = Condition {
        children: true,
        concern: true,
        ..none
    };
    let rules = vec![
        rule(
            HousingPlan,
            R::Nav,
            D::Home,
            Arrival,
            Period::Days(14),
            none,
        ),
        rule(
            FollowUpPlan,
            R::Nav,
            D::Target,
            PlannedMoveOut,
            Period::Days(0),
            Condition {
                temporary_outcome: true,
                ..none
            },
        ),
        rule(
            ExitMeeting,
            R::CrisisCenter,
            D::None,
            PlannedMoveOut,
            Period::Days(0),
            none,
        ),
        rule(
            ChildWelfareReview,
            R::ChildWelfare,
            D::Home,
            ReportReceived,
            Period::Days(7),
            kids,
        ),
        rule(
            ChildWelfareInvestigation,
            R::ChildWelfare,
            D::Home,
            ReportReceived,
            Period::Months(3),
            kids,
        ),
        rule(
            Transfer,
            R::Nav,
            D::Home,
            PlannedMoveOut,
            Period::Days(0),
            Condition {
                target_differs: true,
                ..none
            },
        ),
        rule(
            FollowUpContact,
            R::ViolenceCoordinator,
            D::Target,
            MoveOut,
            Period::Days(14),
            none,
        ),
    ];
    let ids = (1..=rules.len() as i64).map(RuleId).collect();
    (Routine { version: 1, rules }, ids)
}
