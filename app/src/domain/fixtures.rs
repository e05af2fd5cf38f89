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

/// The rules migration 23 adds or changes in version 2, in its order: the report of concern
/// considered after the arrival, child welfare's review from the report's receipt or sending, the
/// follow-up plan before the move-out when a temporary outcome is expected (else after it), and
/// the receiving district's child welfare after a transfer.
pub(crate) fn version_two() -> (Routine, Vec<RuleId>) {
    use Anchor::*;
    use DistrictRole as D;
    use Responsible as R;
    use Step::*;
    let none = Condition::default();
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
                expected_temporary: true,
                ..none
            },
        ),
        rule(
            ConcernReport,
            R::CrisisCenter,
            D::None,
            Arrival,
            Period::Days(7),
            Condition {
                children: true,
                ..none
            },
        ),
        rule(
            ChildWelfareReview,
            R::ChildWelfare,
            D::Home,
            ReportReceivedOrSent,
            Period::Days(7),
            Condition {
                children: true,
                concern: true,
                ..none
            },
        ),
        rule(
            Transfer,
            R::ChildWelfare,
            D::Home,
            PlannedMoveOut,
            Period::Days(0),
            Condition {
                children: true,
                target_differs: true,
                ..none
            },
        ),
        rule(
            FollowUpPlan,
            R::Nav,
            D::Target,
            MoveOut,
            Period::Days(7),
            Condition {
                temporary_outcome: true,
                ..none
            },
        ),
        rule(
            TransferReceipt,
            R::ChildWelfare,
            D::Target,
            HandoverCompleted,
            Period::Days(7),
            Condition {
                children: true,
                target_differs: true,
                ..none
            },
        ),
    ];
    let ids = (101..101 + rules.len() as i64).map(RuleId).collect();
    (Routine { version: 2, rules }, ids)
}
