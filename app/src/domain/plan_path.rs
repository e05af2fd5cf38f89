//! Where a resident is on the path (arrival, housing plan, transfer, exit meeting, move-out,
//! follow-up), and the crisis center's next action: what the plan page's summary shows and which
//! of its forms it opens. Read from the plan's facts and tasks alone, no I/O.

use super::deadline::Urgency;
use super::plan::{PlanDetail, TaskRow, TaskStatus};
use super::routine::Step;
use serde::{Deserialize, Serialize};
use time::Date;

/// A stage of the resident's path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    Arrival,
    HousingPlan,
    /// Only when the new home is in another district.
    Transfer,
    ExitMeeting,
    MoveOut,
    FollowUp,
}

/// How far a stage has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageState {
    Done,
    /// Not done, and a task of it is past its deadline.
    Overdue,
    /// The first stage not done (and not overdue): where the resident is now.
    Current,
    /// Comes later.
    Later,
}

/// One stage as the summary shows it, with its date: the day it was done, or the deadline or
/// plan it waits for (`None` when there is none yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageView {
    pub stage: Stage,
    pub state: StageState,
    pub date: Option<Date>,
}

/// What the crisis center does next on this plan: the form the page opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NextAction {
    /// Consider (and send) the report of concern.
    ConcernReport,
    /// Set the planned move-out (and the target district, the expected outcome).
    Facts,
    PlanExitMeeting,
    RecordExitMeeting,
    MoveOut,
    /// Moved out: what is left is the districts'.
    None,
}

fn of_steps<'a>(tasks: &'a [TaskRow], steps: &'a [Step]) -> impl Iterator<Item = &'a TaskRow> {
    tasks
        .iter()
        .filter(move |t| steps.contains(&t.step) && t.status != TaskStatus::Withdrawn)
}

/// The state of a stage made of tasks: done when it has tasks and a person closed every one,
/// overdue when an open one is past its deadline; the date is the earliest open deadline.
fn task_stage(tasks: &[TaskRow], steps: &[Step]) -> (bool, bool, Option<Date>) {
    let mut any = false;
    let mut open_due: Option<Date> = None;
    let mut overdue = false;
    for task in of_steps(tasks, steps) {
        any = true;
        if !task.status.is_closed() {
            overdue |= task.urgency == Urgency::Overdue;
            let due = task.effective_due();
            open_due = Some(open_due.map_or(due, |d| d.min(due)));
        }
    }
    (any && open_due.is_none(), overdue, open_due)
}

/// The plan's stages in path order, the transfer only when there is one.
pub fn path(plan: &PlanDetail) -> Vec<StageView> {
    let tasks = &plan.tasks;
    let mut stages: Vec<(Stage, bool, bool, Option<Date>)> =
        vec![(Stage::Arrival, true, false, Some(plan.arrival))];
    let (done, overdue, date) = task_stage(tasks, &[Step::HousingPlan]);
    stages.push((Stage::HousingPlan, done, overdue, date));
    if plan.target.is_some() {
        let (_, overdue, date) = task_stage(tasks, &[Step::Transfer]);
        stages.push((
            Stage::Transfer,
            plan.handover_ended_at.is_some(),
            overdue,
            date,
        ));
    }
    let meeting = plan.exit_meeting.as_ref();
    let held = meeting.is_some_and(|m| m.held);
    let meeting_day = meeting.and_then(|m| {
        super::plan::parse_date(m.starts_at.get(..10).unwrap_or_default(), "starts_at").ok()
    });
    let (_, meeting_overdue, meeting_due) = task_stage(tasks, &[Step::ExitMeeting]);
    stages.push((
        Stage::ExitMeeting,
        held,
        meeting_overdue && !held,
        meeting_day.or(meeting_due),
    ));
    stages.push((
        Stage::MoveOut,
        plan.move_out.is_some(),
        false,
        plan.move_out.or(plan.planned_move_out),
    ));
    let follow_up = [Step::FollowUpPlan, Step::FollowUpContact];
    let (done, overdue, date) = task_stage(tasks, &follow_up);
    stages.push((
        Stage::FollowUp,
        done && plan.move_out.is_some(),
        overdue,
        date,
    ));
    let mut current_given = false;
    stages
        .into_iter()
        .map(|(stage, done, overdue, date)| {
            let state = if done {
                StageState::Done
            } else if overdue {
                current_given = true;
                StageState::Overdue
            } else if !current_given {
                current_given = true;
                StageState::Current
            } else {
                StageState::Later
            };
            StageView { stage, state, date }
        })
        .collect()
}

/// The crisis center's next action on the plan.
pub fn next_action(plan: &PlanDetail) -> NextAction {
    let concern_open = plan
        .tasks
        .iter()
        .any(|t| t.step == Step::ConcernReport && !t.status.is_closed());
    if plan.move_out.is_some() {
        return NextAction::None;
    }
    if concern_open {
        return NextAction::ConcernReport;
    }
    if plan.planned_move_out.is_none() {
        return NextAction::Facts;
    }
    match &plan.exit_meeting {
        None => NextAction::PlanExitMeeting,
        Some(m) if !m.held => NextAction::RecordExitMeeting,
        Some(_) => NextAction::MoveOut,
    }
}

/// The plan's open tasks past their deadline, the oldest deadline first: who owns what is late.
pub fn overdue(plan: &PlanDetail) -> Vec<&TaskRow> {
    let mut late: Vec<&TaskRow> = plan
        .tasks
        .iter()
        .filter(|t| !t.status.is_closed() && t.urgency == Urgency::Overdue)
        .collect();
    late.sort_by_key(|t| t.effective_due());
    late
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::plan::{ExitMeetingView, StayId, TaskId};
    use crate::domain::{DistrictId, ServiceKind, Unit};
    use time::macros::date;

    fn plan() -> PlanDetail {
        serde_json::from_value(serde_json::json!({
            "stay": 1, "version": 1, "routine_version": 2, "name": "A", "birth_year": 1990,
            "gender": null, "case_reference": null, "referral": null, "arrival": "2026-03-16",
            "home": 1, "home_name": "Alna", "target": null, "target_name": null,
            "target_reason": null, "secret_address": false, "language": null,
            "interpreter": false, "children": [], "concern_registered": null,
            "report_sent": null, "report_received": null, "review_concluded": null,
            "planned_move_out": null, "ready_on": null, "main_coordinator": null,
            "no_exit_meeting_reason": null, "move_out": null, "outcome": null,
            "expected_outcome": null, "handover_started_at": null, "handover_ended_at": null,
            "exit_meeting": null, "other_stays": [], "possible_matches": [], "merges": [],
            "services": [], "returning": false, "tasks": [], "consents": [],
            "consent_history": [], "corrections": []
        }))
        .expect("a plan")
    }

    fn task(id: i64, step: Step, due: Date, status: TaskStatus, urgency: Urgency) -> TaskRow {
        TaskRow {
            id: TaskId(id),
            stay: StayId(1),
            resident: String::new(),
            step,
            unit: Some(Unit {
                district: DistrictId(1),
                service: ServiceKind::Nav,
            }),
            district: Some("Alna".into()),
            due,
            extended_to: None,
            status,
            assignee: None,
            assignee_id: None,
            withheld: false,
            urgency,
        }
    }

    fn states(plan: &PlanDetail) -> Vec<(Stage, StageState)> {
        path(plan).into_iter().map(|s| (s.stage, s.state)).collect()
    }

    #[test]
    fn a_new_plan_is_at_its_housing_plan_and_waits_for_its_planned_move_out() {
        let mut plan = plan();
        plan.tasks = vec![task(
            1,
            Step::HousingPlan,
            date!(2026 - 03 - 30),
            TaskStatus::Open,
            Urgency::Open,
        )];
        use StageState::*;
        assert_eq!(
            states(&plan),
            vec![
                (Stage::Arrival, Done),
                (Stage::HousingPlan, Current),
                (Stage::ExitMeeting, Later),
                (Stage::MoveOut, Later),
                (Stage::FollowUp, Later),
            ]
        );
        assert_eq!(path(&plan)[1].date, Some(date!(2026 - 03 - 30)));
        assert_eq!(next_action(&plan), NextAction::Facts);
        assert!(overdue(&plan).is_empty());
    }

    #[test]
    fn an_overdue_housing_plan_is_named_with_its_owner_and_the_next_stage_is_current() {
        let mut plan = plan();
        plan.target = Some(DistrictId(5));
        plan.planned_move_out = Some(date!(2026 - 04 - 20));
        plan.tasks = vec![
            task(
                1,
                Step::HousingPlan,
                date!(2026 - 03 - 30),
                TaskStatus::InProgress,
                Urgency::Overdue,
            ),
            task(
                2,
                Step::Transfer,
                date!(2026 - 04 - 20),
                TaskStatus::Open,
                Urgency::Open,
            ),
        ];
        use StageState::*;
        assert_eq!(
            states(&plan),
            vec![
                (Stage::Arrival, Done),
                (Stage::HousingPlan, Overdue),
                (Stage::Transfer, Later),
                (Stage::ExitMeeting, Later),
                (Stage::MoveOut, Later),
                (Stage::FollowUp, Later),
            ]
        );
        assert_eq!(
            overdue(&plan).iter().map(|t| t.id).collect::<Vec<_>>(),
            vec![TaskId(1)]
        );
        assert_eq!(next_action(&plan), NextAction::PlanExitMeeting);
    }

    #[test]
    fn the_next_action_follows_the_path_from_the_report_to_the_move_out() {
        let mut plan = plan();
        plan.tasks = vec![task(
            1,
            Step::ConcernReport,
            date!(2026 - 03 - 23),
            TaskStatus::Open,
            Urgency::Open,
        )];
        plan.planned_move_out = Some(date!(2026 - 04 - 20));
        assert_eq!(next_action(&plan), NextAction::ConcernReport);
        plan.tasks[0].status = TaskStatus::Done;
        assert_eq!(next_action(&plan), NextAction::PlanExitMeeting);
        plan.exit_meeting = Some(ExitMeetingView {
            starts_at: "2026-04-17T10:00".into(),
            starts_in_repeated_hour: false,
            held: false,
            summary: None,
            services: vec![],
        });
        assert_eq!(next_action(&plan), NextAction::RecordExitMeeting);
        assert_eq!(path(&plan)[2].date, Some(date!(2026 - 04 - 17)));
        plan.exit_meeting.as_mut().unwrap().held = true;
        assert_eq!(next_action(&plan), NextAction::MoveOut);
        plan.move_out = Some(date!(2026 - 04 - 20));
        assert_eq!(next_action(&plan), NextAction::None);
        plan.tasks.push(task(
            2,
            Step::HousingPlan,
            date!(2026 - 03 - 30),
            TaskStatus::Done,
            Urgency::Open,
        ));
        let moved = path(&plan);
        assert_eq!(moved[3].state, StageState::Done);
        assert_eq!(moved[4].state, StageState::Current, "the follow-up is next");
    }
}
