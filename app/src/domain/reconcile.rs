//! Task reconciliation: the tasks a plan's facts call for (see [`wanted_tasks`]) compared with
//! the tasks the plan has, as a list of operations. No I/O: the service applies each operation
//! with its history row and its notice, in the order given.
//!
//! The rules it keeps:
//! - a task the facts call for and the plan does not have is created;
//! - an open task whose due date or unit changed is moved (a due-date change, or a move to
//!   another unit's inbox);
//! - an open task the facts no longer call for is withdrawn, and reopened, with the unit and due
//!   date the routine names then, when they call for it again;
//! - a task a person closed (done, not applicable) is never touched;
//! - when every transfer task is closed by a person, the hand-over to the target district is
//!   complete, and the target district's tasks move there in the same reconciliation.

use super::Unit;
use super::plan::wanted_tasks;
use super::plan::{RuleId, StayFacts, StayId, TaskEventKind, TaskId, TaskStatus, WantedTask};
use super::routine::{Routine, Step};
use time::Date;

/// A task of a plan as reconciliation compares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentTask {
    pub id: TaskId,
    pub stay: StayId,
    pub rule: RuleId,
    pub step: Step,
    pub unit: Option<Unit>,
    pub due: Date,
    pub status: TaskStatus,
}

/// What a plan is reconciled from: its routine version (rules with their ids, in rule order),
/// its facts, and whether its hand-over to the target district has started.
#[derive(Clone, Copy, Debug)]
pub struct PlanState<'a> {
    pub stay: StayId,
    pub routine: &'a Routine,
    pub rule_ids: &'a [RuleId],
    pub facts: &'a StayFacts,
    pub handover_started: bool,
    /// The Oslo date of the reconciliation: the hand-over's end when it completes now.
    pub today: Date,
}

/// One thing to do to bring a plan's tasks in line with its facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaskOp {
    /// Every transfer task is closed by a person: the hand-over is complete (and started, if
    /// that was not recorded). Comes first: the target district's tasks follow it.
    CompleteHandover,
    /// A task the facts call for and the plan does not have.
    Create(WantedTask),
    /// A withdrawn task the facts call for again: open, with the unit and due date of now.
    Reopen {
        task: TaskId,
        unit: Option<Unit>,
        due: Date,
    },
    /// An open task whose due date or unit changed (`from` is its unit before).
    Retarget {
        task: TaskId,
        from: Option<Unit>,
        unit: Option<Unit>,
        due: Date,
        status: TaskStatus,
    },
    /// An open task the facts no longer call for (`due` is its due date, kept in the history).
    Withdraw { task: TaskId, due: Date },
    /// A transfer task is called for and the hand-over's start is not recorded yet. Comes last.
    StartHandover,
}

impl TaskOp {
    /// The task's history row for this operation: its kind, the status it leaves, the due date.
    /// `None` for the operations on the stay (the hand-over).
    pub fn history(&self) -> Option<(TaskEventKind, TaskStatus, Date)> {
        match self {
            TaskOp::Create(wanted) => Some((TaskEventKind::Created, TaskStatus::Open, wanted.due)),
            TaskOp::Reopen { due, .. } => Some((TaskEventKind::Status, TaskStatus::Open, *due)),
            TaskOp::Retarget {
                from,
                unit,
                due,
                status,
                ..
            } => {
                let kind = if from == unit {
                    TaskEventKind::DueChanged
                } else {
                    TaskEventKind::Moved
                };
                Some((kind, *status, *due))
            }
            TaskOp::Withdraw { due, .. } => {
                Some((TaskEventKind::Status, TaskStatus::Withdrawn, *due))
            }
            TaskOp::CompleteHandover | TaskOp::StartHandover => None,
        }
    }

    /// The unit whose inbox gets a notice: a task that opens in it, or moves into it.
    pub fn notify(&self) -> Option<Unit> {
        match self {
            TaskOp::Create(wanted) => wanted.unit,
            TaskOp::Reopen { unit, .. } => *unit,
            TaskOp::Retarget { from, unit, .. } if from != unit => *unit,
            _ => None,
        }
    }
}

/// The operations that bring `existing` (the plan's tasks) in line with the plan's facts.
/// Tasks of another stay in `existing` are ignored.
pub fn reconcile(plan: PlanState<'_>, existing: &[CurrentTask]) -> Vec<TaskOp> {
    let existing: Vec<&CurrentTask> = existing.iter().filter(|t| t.stay == plan.stay).collect();
    let mut ops = Vec::new();
    let mut facts = plan.facts.clone();
    let mut transfers = existing
        .iter()
        .filter(|t| t.step == Step::Transfer)
        .peekable();
    if facts.target.is_some()
        && !facts.handover_done()
        && transfers.peek().is_some()
        && transfers.all(|t| t.status.is_finished())
    {
        ops.push(TaskOp::CompleteHandover);
        facts.handover_on = Some(plan.today);
    }
    let wanted = wanted_tasks(plan.routine, plan.rule_ids, &facts);
    for task in &wanted {
        match existing.iter().find(|t| t.rule == task.rule) {
            None => ops.push(TaskOp::Create(task.clone())),
            Some(have) if have.status == TaskStatus::Withdrawn => ops.push(TaskOp::Reopen {
                task: have.id,
                unit: task.unit,
                due: task.due,
            }),
            Some(have)
                if !have.status.is_closed() && (have.due, have.unit) != (task.due, task.unit) =>
            {
                ops.push(TaskOp::Retarget {
                    task: have.id,
                    from: have.unit,
                    unit: task.unit,
                    due: task.due,
                    status: have.status,
                })
            }
            Some(_) => {}
        }
    }
    for have in &existing {
        if !have.status.is_closed() && !wanted.iter().any(|w| w.rule == have.rule) {
            ops.push(TaskOp::Withdraw {
                task: have.id,
                due: have.due,
            });
        }
    }
    if facts.target.is_some()
        && wanted.iter().any(|w| w.step == Step::Transfer)
        && !plan.handover_started
    {
        ops.push(TaskOp::StartHandover);
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::version_one;
    use crate::domain::plan::Outcome;
    use crate::domain::{DistrictId, ServiceKind};
    use proptest::prelude::*;
    use time::macros::date;

    const STAY: StayId = StayId(7);

    fn plan_of<'a>(
        routine: &'a Routine,
        rule_ids: &'a [RuleId],
        facts: &'a StayFacts,
        handover_started: bool,
    ) -> PlanState<'a> {
        PlanState {
            stay: STAY,
            routine,
            rule_ids,
            facts,
            handover_started,
            today: TODAY,
        }
    }
    const OTHER_STAY: StayId = StayId(8);
    const TODAY: Date = date!(2026 - 05 - 01);

    /// Applies `ops` as the service does, to the tasks and the facts: what a second
    /// reconciliation starts from.
    fn apply(
        ops: &[TaskOp],
        tasks: &mut Vec<CurrentTask>,
        facts: &mut StayFacts,
        started: &mut bool,
    ) {
        for op in ops {
            let find = |tasks: &mut Vec<CurrentTask>, id: TaskId| {
                let at = tasks
                    .iter()
                    .position(|t| t.id == id)
                    .expect("a task of the plan");
                assert_eq!(tasks[at].stay, STAY, "an operation on another stay's task");
                at
            };
            match op {
                TaskOp::CompleteHandover => {
                    facts.handover_on.get_or_insert(TODAY);
                    *started = true;
                }
                TaskOp::StartHandover => *started = true,
                TaskOp::Create(wanted) => {
                    let id = TaskId(1000 + tasks.len() as i64);
                    tasks.push(CurrentTask {
                        id,
                        stay: STAY,
                        rule: wanted.rule,
                        step: wanted.step,
                        unit: wanted.unit,
                        due: wanted.due,
                        status: TaskStatus::Open,
                    });
                }
                TaskOp::Reopen { task, unit, due } => {
                    let at = find(tasks, *task);
                    tasks[at].status = TaskStatus::Open;
                    tasks[at].unit = *unit;
                    tasks[at].due = *due;
                }
                TaskOp::Retarget {
                    task, unit, due, ..
                } => {
                    let at = find(tasks, *task);
                    tasks[at].unit = *unit;
                    tasks[at].due = *due;
                }
                TaskOp::Withdraw { task, .. } => {
                    let at = find(tasks, *task);
                    tasks[at].status = TaskStatus::Withdrawn;
                }
            }
        }
    }

    fn facts() -> impl Strategy<Value = StayFacts> {
        let day = |from: i32| {
            (0i64..120)
                .prop_map(move |d| date!(2026 - 01 - 01) + time::Duration::days(from as i64 + d))
        };
        (
            day(0),
            1i64..=15,
            proptest::option::of(1i64..=15),
            any::<bool>(),
            proptest::option::of((
                day(0),
                proptest::option::of((day(0), proptest::option::of(day(0)))),
            )),
            proptest::option::of(day(30)),
            proptest::option::of((day(40), proptest::sample::select(Outcome::ALL.to_vec()))),
            any::<bool>(),
        )
            .prop_map(
                |(arrival, home, target, children, concern, planned, moved, handover_done)| {
                    let (registered, received, concluded) = match concern {
                        None => (None, None, None),
                        Some((r, None)) => (Some(r), None, None),
                        Some((r, Some((rc, c)))) => (Some(r), Some(rc), c),
                    };
                    StayFacts {
                        arrival,
                        home: DistrictId(home),
                        target: target.filter(|t| *t != home).map(DistrictId),
                        children,
                        concern_registered: registered,
                        report_sent: received,
                        report_received: received,
                        review_concluded: concluded,
                        planned_move_out: planned,
                        move_out: moved.map(|m| m.0),
                        outcome: moved.map(|m| m.1),
                        expected_outcome: None,
                        handover_on: handover_done.then_some(TODAY),
                    }
                },
            )
    }

    fn unit() -> impl Strategy<Value = Option<Unit>> {
        proptest::option::of(
            (
                1i64..=15,
                proptest::sample::select(ServiceKind::STANDARD.to_vec()),
            )
                .prop_map(|(district, service)| Unit {
                    district: DistrictId(district),
                    service,
                }),
        )
    }

    /// Tasks a plan may have: for some of the routine's rules one task each (any status, unit,
    /// due date), and tasks of another stay mixed in.
    fn tasks() -> impl Strategy<Value = Vec<CurrentTask>> {
        let (routine, ids) = version_one();
        let rules: Vec<(RuleId, Step)> = ids
            .iter()
            .copied()
            .zip(routine.rules.iter().map(|r| r.step))
            .collect();
        let count = rules.len();
        proptest::collection::vec(
            (
                any::<bool>(),
                any::<bool>(),
                proptest::sample::select(TaskStatus::ALL.to_vec()),
                unit(),
                0i64..200,
            ),
            count,
        )
        .prop_map(move |choices| {
            choices
                .into_iter()
                .zip(&rules)
                .enumerate()
                .filter(|(_, ((present, _, _, _, _), _))| *present)
                .map(
                    |(i, ((_, other, status, unit, day), (rule, step)))| CurrentTask {
                        id: TaskId(i as i64 + 1),
                        stay: if other { OTHER_STAY } else { STAY },
                        rule: *rule,
                        step: *step,
                        unit,
                        due: date!(2026 - 01 - 01) + time::Duration::days(day),
                        status,
                    },
                )
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn reconciling_again_after_applying_the_operations_gives_none(
            facts in facts(),
            tasks in tasks(),
            started in any::<bool>(),
        ) {
            let (routine, ids) = version_one();
            let (mut tasks, mut facts, mut started) = (tasks, facts, started);
            let plan = plan_of(&routine, &ids, &facts, started);
            let ops = reconcile(plan, &tasks);
            apply(&ops, &mut tasks, &mut facts, &mut started);
            let plan = plan_of(&routine, &ids, &facts, started);
            prop_assert_eq!(reconcile(plan, &tasks), vec![]);
        }

        #[test]
        fn no_operation_touches_a_task_a_person_closed_or_a_task_of_another_stay(
            facts in facts(),
            tasks in tasks(),
            started in any::<bool>(),
        ) {
            let (routine, ids) = version_one();
            let plan = plan_of(&routine, &ids, &facts, started);
            for op in reconcile(plan, &tasks) {
                let touched = match op {
                    TaskOp::Reopen { task, .. } | TaskOp::Retarget { task, .. } | TaskOp::Withdraw { task, .. } => task,
                    TaskOp::Create(wanted) => {
                        prop_assert!(!tasks.iter().any(|t| t.stay == STAY && t.rule == wanted.rule), "a second task for one rule");
                        continue;
                    }
                    TaskOp::CompleteHandover | TaskOp::StartHandover => continue,
                };
                let task = tasks.iter().find(|t| t.id == touched).expect("a known task");
                prop_assert_eq!(task.stay, STAY);
                prop_assert!(!task.status.is_finished(), "touched a task a person closed: {:?}", task);
            }
        }

        #[test]
        fn a_withdrawn_task_comes_back_with_the_unit_and_date_the_routine_names_now(
            facts in facts(),
            tasks in tasks(),
            started in any::<bool>(),
        ) {
            let (routine, ids) = version_one();
            let plan = plan_of(&routine, &ids, &facts, started);
            let ops = reconcile(plan, &tasks);
            let mut after = facts.clone();
            if ops.contains(&TaskOp::CompleteHandover) {
                after.handover_on.get_or_insert(TODAY);
            }
            let wanted = wanted_tasks(&routine, &ids, &after);
            for op in &ops {
                if let TaskOp::Reopen { task, unit, due } = op {
                    let have = tasks.iter().find(|t| t.id == *task).expect("a known task");
                    prop_assert_eq!(have.status, TaskStatus::Withdrawn);
                    let now = wanted.iter().find(|w| w.rule == have.rule).expect("called for");
                    prop_assert_eq!((*unit, *due), (now.unit, now.due));
                }
            }
        }
    }

    fn nav(district: i64) -> Option<Unit> {
        Some(Unit {
            district: DistrictId(district),
            service: ServiceKind::Nav,
        })
    }

    fn moving_to_stovner() -> StayFacts {
        StayFacts {
            arrival: date!(2026 - 03 - 16),
            home: DistrictId(1),
            target: Some(DistrictId(12)),
            children: false,
            concern_registered: None,
            report_sent: None,
            report_received: None,
            review_concluded: None,
            planned_move_out: Some(date!(2026 - 04 - 20)),
            move_out: None,
            outcome: None,
            expected_outcome: None,
            handover_on: None,
        }
    }

    fn task(
        id: i64,
        rule: i64,
        step: Step,
        unit: Option<Unit>,
        due: Date,
        status: TaskStatus,
    ) -> CurrentTask {
        CurrentTask {
            id: TaskId(id),
            stay: STAY,
            rule: RuleId(rule),
            step,
            unit,
            due,
            status,
        }
    }

    #[test]
    fn a_new_plan_creates_its_tasks_and_starts_the_hand_over() {
        let (routine, ids) = version_one();
        let facts = moving_to_stovner();
        let plan = plan_of(&routine, &ids, &facts, false);
        let ops = reconcile(plan, &[]);
        let created: Vec<Step> = ops
            .iter()
            .filter_map(|op| match op {
                TaskOp::Create(w) => Some(w.step),
                _ => None,
            })
            .collect();
        assert_eq!(
            created,
            vec![Step::HousingPlan, Step::ExitMeeting, Step::Transfer]
        );
        assert_eq!(ops.last(), Some(&TaskOp::StartHandover));
        assert_eq!(ops[0].notify(), nav(1));
    }

    #[test]
    fn the_closed_transfer_completes_the_hand_over_and_moves_the_target_districts_tasks() {
        let (routine, ids) = version_one();
        let mut facts = moving_to_stovner();
        facts.outcome = Some(Outcome::TemporaryPublic);
        facts.move_out = Some(date!(2026 - 04 - 20));
        let due = date!(2026 - 04 - 20);
        let existing = [
            task(
                1,
                1,
                Step::HousingPlan,
                nav(1),
                date!(2026 - 03 - 30),
                TaskStatus::Done,
            ),
            task(2, 2, Step::FollowUpPlan, nav(1), due, TaskStatus::Open),
            task(3, 3, Step::ExitMeeting, None, due, TaskStatus::Done),
            task(4, 6, Step::Transfer, nav(1), due, TaskStatus::Done),
        ];
        let plan = plan_of(&routine, &ids, &facts, true);
        let ops = reconcile(plan, &existing);
        assert_eq!(ops[0], TaskOp::CompleteHandover);
        let moved = TaskOp::Retarget {
            task: TaskId(2),
            from: nav(1),
            unit: nav(12),
            due,
            status: TaskStatus::Open,
        };
        assert!(ops.contains(&moved), "{ops:?}");
        assert_eq!(moved.notify(), nav(12));
        assert_eq!(moved.history().map(|h| h.0), Some(TaskEventKind::Moved));
    }

    #[test]
    fn a_task_no_longer_called_for_is_withdrawn_with_its_due_date_in_the_history() {
        let (routine, ids) = version_one();
        let mut facts = moving_to_stovner();
        facts.target = None;
        let due = date!(2026 - 04 - 20);
        let existing = [task(
            4,
            6,
            Step::Transfer,
            nav(1),
            due,
            TaskStatus::InProgress,
        )];
        let plan = plan_of(&routine, &ids, &facts, true);
        let ops = reconcile(plan, &existing);
        let withdraw = TaskOp::Withdraw {
            task: TaskId(4),
            due,
        };
        assert!(ops.contains(&withdraw), "{ops:?}");
        assert_eq!(
            withdraw.history(),
            Some((TaskEventKind::Status, TaskStatus::Withdrawn, due))
        );
        assert_eq!(withdraw.notify(), None);
    }
}
