//! The default routine is seeded as version 1 and cannot be changed.

use crate::support::TestApp;
use app::domain::ServiceKind;
use app::domain::deadline::Period;
use app::domain::routine::{
    Anchor, DistrictRole, PlanFacts, Responsible, Step, rule_is_consistent,
};
use app::server::repo::routines;
use time::macros::date;

#[tokio::test]
async fn version_one_is_the_default_routine_of_the_domain_brief() {
    let app = TestApp::spawn().await;
    let mut conn = app.pool.acquire().await.unwrap();
    assert_eq!(routines::latest_version(&mut conn).await.unwrap(), Some(2));
    let routine = routines::load(&mut conn, 1)
        .await
        .unwrap()
        .expect("version 1");
    assert_eq!(routine.rules.len(), 11);
    assert!(routine.rules.iter().all(rule_is_consistent));
    assert!(routines::load(&mut conn, 3).await.unwrap().is_none());

    let housing = routine
        .rules
        .iter()
        .find(|r| r.step == Step::HousingPlan)
        .unwrap();
    assert_eq!(housing.responsible.service(), Some(ServiceKind::Nav));
    assert_eq!(
        (housing.district, housing.anchor, housing.offset),
        (DistrictRole::Home, Anchor::Arrival, Period::Days(14))
    );
    assert_eq!(
        housing.offset.from(date!(2026 - 03 - 16)),
        date!(2026 - 03 - 30)
    );
    let investigation = routine
        .rules
        .iter()
        .find(|r| r.step == Step::ChildWelfareInvestigation)
        .unwrap();
    assert_eq!(investigation.offset, Period::Months(3));
    assert_eq!(investigation.responsible, Responsible::ChildWelfare);

    // A plan without children, in its home district: no child welfare steps, no transfer.
    let plain: Vec<Step> = routine
        .applicable(PlanFacts::default())
        .map(|r| r.step)
        .collect();
    assert_eq!(
        plain,
        [
            Step::HousingPlan,
            Step::ExitMeeting,
            Step::IndividualPlan,
            Step::MainCoordinator,
            Step::FollowUpContact
        ]
    );
    // Children, concern, another target district, temporary outcome: every rule.
    let all = PlanFacts {
        children: true,
        concern: true,
        target_differs: true,
        temporary_outcome: true,
        expected_temporary: true,
    };
    assert_eq!(routine.applicable(all).count(), 11);
}

#[tokio::test]
async fn version_two_gives_child_welfare_its_review_at_sending_and_the_follow_up_plan_before_move_out()
 {
    let app = TestApp::spawn().await;
    let mut conn = app.pool.acquire().await.unwrap();
    let one = routines::load(&mut conn, 1).await.unwrap().unwrap();
    let two = routines::load(&mut conn, 2).await.unwrap().unwrap();
    assert_eq!(two.rules.len(), 13);
    assert!(two.rules.iter().all(rule_is_consistent));
    let rule = |step: Step, anchor: Anchor| {
        two.rules
            .iter()
            .find(|r| r.step == step && r.anchor == anchor)
            .unwrap_or_else(|| panic!("{step:?} from {anchor:?}"))
            .clone()
    };
    // The crisis center considers a report of concern a week after arrival when there are
    // children, whether or not a need is registered yet.
    let concern = rule(Step::ConcernReport, Anchor::Arrival);
    assert_eq!(concern.offset, Period::Days(7));
    assert!(concern.condition.children && !concern.condition.concern);
    // Child welfare's periods count from the receipt, else the sending.
    for step in [Step::ChildWelfareReview, Step::ChildWelfareInvestigation] {
        let old = one.rules.iter().find(|r| r.step == step).unwrap();
        let new = rule(step, Anchor::ReportReceivedOrSent);
        assert_eq!((new.offset, new.binding), (old.offset, old.binding));
    }
    // The follow-up plan: before the move-out when expected, a week after it when not.
    let before = rule(Step::FollowUpPlan, Anchor::PlannedMoveOut);
    let after = rule(Step::FollowUpPlan, Anchor::MoveOut);
    assert!(before.condition.expected_temporary && !before.condition.temporary_outcome);
    assert!(after.condition.temporary_outcome && !after.condition.expected_temporary);
    assert_eq!(after.offset, Period::Days(7));
    let position = |anchor| {
        two.rules
            .iter()
            .position(|r| r.step == Step::FollowUpPlan && r.anchor == anchor)
    };
    assert!(
        position(Anchor::PlannedMoveOut) < position(Anchor::MoveOut),
        "the expected one first"
    );
    // The receiving district's child welfare after the hand-over.
    let receipt = rule(Step::TransferReceipt, Anchor::HandoverCompleted);
    assert_eq!(
        (receipt.responsible, receipt.district, receipt.offset),
        (
            Responsible::ChildWelfare,
            DistrictRole::Target,
            Period::Days(7)
        )
    );
    // Every other rule as in version 1.
    let changed = [
        Step::ConcernReport,
        Step::ChildWelfareReview,
        Step::ChildWelfareInvestigation,
        Step::FollowUpPlan,
        Step::TransferReceipt,
    ];
    let kept = |r: &&app::domain::routine::Rule| !changed.contains(&r.step);
    assert_eq!(
        two.rules.iter().filter(kept).collect::<Vec<_>>(),
        one.rules.iter().filter(kept).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_published_routine_version_cannot_be_changed_from_the_apps_connection() {
    let app = TestApp::spawn().await;
    let update =
        sqlx::query("UPDATE routine_rule SET offset_amount = 30 WHERE step = 'housing_plan'")
            .execute(&app.pool)
            .await;
    assert!(update.is_err());
    let delete = sqlx::query("DELETE FROM routine_rule")
        .execute(&app.pool)
        .await;
    assert!(delete.is_err());
    let days: i64 =
        sqlx::query_scalar("SELECT offset_amount FROM routine_rule WHERE step = 'housing_plan'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(days, 14);
}

#[tokio::test]
async fn an_administrator_publishes_a_new_version_and_only_new_plans_get_its_deadlines() {
    use crate::plans::create_plan;
    let app = TestApp::spawn().await;
    app.clock.set(time::macros::datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let old = create_plan(&app, &staff, &[]).await;
    let admin = app.signed_in("admin").await;
    let housing: i64 = sqlx::query_scalar(
        "SELECT id FROM routine_rule WHERE routine_version_id = 2 AND step = 'housing_plan'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let field = format!("offset[{housing}]");
    let unit = format!("unit[{housing}]");
    // Unchanged offsets are no new version; a stale base version is refused.
    let res = admin
        .call("routine_publish", &[("based_on", "2"), (&field, "14")])
        .await;
    assert_eq!(res.status(), 400);
    let res = admin
        .call("routine_publish", &[("based_on", "7"), (&field, "10")])
        .await;
    assert_eq!(res.status(), 409);
    let res = admin
        .call(
            "routine_publish",
            &[("based_on", "2"), (&field, "2"), (&unit, "weeks")],
        )
        .await;
    assert_eq!(res.status(), 400);
    let res = staff
        .call("routine_publish", &[("based_on", "2"), (&field, "10")])
        .await;
    assert_eq!(res.status(), 403);
    let res = admin
        .post_form(
            "/api/routine_publish",
            &[
                ("based_on", "2"),
                (&field, "10"),
                ("note", "Kortere frist for boligplan"),
            ],
        )
        .await;
    assert_eq!(res.headers()["location"], "/admin/rutiner?ok=publisert");
    let (action, object): (String, String) = sqlx::query_as(
        "SELECT action, object_type || ':' || object_id FROM access_log ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (action.as_str(), object.as_str()),
        ("routine.publish", "routine_version:3")
    );

    let new = create_plan(&app, &staff, &[]).await;
    let due = |stay: i64| {
        let pool = app.pool.clone();
        async move {
            let (task, _) = task_of_pool(&pool, stay).await;
            sqlx::query_scalar::<_, String>("SELECT due_on FROM task WHERE id = ?1")
                .bind(task)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(due(old).await, "2026-03-30", "the old plan keeps version 2");
    assert_eq!(due(new).await, "2026-03-26", "the new plan has version 3");
    let view: serde_json::Value = staff.call("routine", &[]).await.json().await.unwrap();
    assert_eq!(view["version"], 3);
    assert_eq!(view["versions"][0]["plans"], 1);
    assert_eq!(view["versions"][0]["published_by"], "Demo Administrator");
    let (_, page) = admin.get_text("/admin/rutiner").await;
    assert!(page.contains("Kortere frist for boligplan"));
}

async fn task_of_pool(pool: &sqlx::SqlitePool, stay: i64) -> (i64, i64) {
    sqlx::query_as("SELECT id, version FROM task WHERE stay_id = ?1 AND step = 'housing_plan'")
        .bind(stay)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_administrator_decides_which_steps_are_binding_when_publishing_and_the_flags_carry_over()
{
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let rules: Vec<(i64, String, bool)> = sqlx::query_as(
        "SELECT id, step, binding FROM routine_rule WHERE routine_version_id = 2 ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let housing = rules.iter().find(|r| r.1 == "housing_plan").unwrap().0;
    let (_, page) = admin.get_text("/admin/rutiner").await;
    assert!(page.contains(&format!(r#"name="binding[{housing}]" value="1" checked"#)));
    // The form sends every ticked box; the housing plan's is not ticked any more.
    let names: Vec<String> = rules
        .iter()
        .filter(|r| r.2 && r.0 != housing)
        .map(|r| format!("binding[{}]", r.0))
        .collect();
    let mut form = vec![("based_on", "2"), ("bindings", "1")];
    form.extend(names.iter().map(|n| (n.as_str(), "1")));
    // A rule of another version is refused, and nothing is published.
    let mut wrong = form.clone();
    wrong.push(("binding[99999]", "1"));
    assert_eq!(admin.call("routine_publish", &wrong).await.status(), 400);
    let res = admin.call("routine_publish", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let flags = |version: i64| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_as::<_, (String, bool)>(
                "SELECT step, binding FROM routine_rule WHERE routine_version_id = ?1 ORDER BY id",
            )
            .bind(version)
            .fetch_all(&pool)
            .await
            .unwrap()
        }
    };
    let expected: Vec<(String, bool)> = rules
        .iter()
        .map(|(_, step, b)| (step.clone(), *b && step != "housing_plan"))
        .collect();
    assert_eq!(flags(3).await, expected);
    assert_eq!(flags(2).await[0].1, rules[0].2, "version 2 is as it was");
    // The same flags again are no change; a change of an offset alone keeps them.
    let mut same = form.clone();
    same[0] = ("based_on", "3");
    assert_eq!(admin.call("routine_publish", &same).await.status(), 400);
    let housing_2: i64 = sqlx::query_scalar(
        "SELECT id FROM routine_rule WHERE routine_version_id = 3 AND step = 'housing_plan'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let res = admin
        .call(
            "routine_publish",
            &[("based_on", "3"), (&format!("offset[{housing_2}]"), "10")],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(flags(4).await, expected);
}
