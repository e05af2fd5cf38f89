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
    assert_eq!(routines::latest_version(&mut conn).await.unwrap(), Some(1));
    let routine = routines::load(&mut conn, 1)
        .await
        .unwrap()
        .expect("version 1");
    assert_eq!(routine.rules.len(), 11);
    assert!(routine.rules.iter().all(rule_is_consistent));
    assert!(routines::load(&mut conn, 2).await.unwrap().is_none());

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
    };
    assert_eq!(routine.applicable(all).count(), 11);
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
