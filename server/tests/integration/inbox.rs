//! An inbox for fifty tasks: NAV Alna with 55 open housing plans finds the overdue ones in two
//! actions (the inbox, then the overview's count), filters by whose and by name, pages by fifty,
//! sees how late each is and the plan's context, and finds its finished tasks. Only the stays on
//! the page shown are named in the access log.

use crate::plans::{create_plan, task_of};
use crate::support::{TestApp, count};
use serde_json::Value;
use time::macros::datetime;

async fn nav_alna_inbox(app: &TestApp) -> crate::support::Browser {
    // Arrivals from 1 March to 24 April: on 20 April the housing plans (arrival + 14 days) of
    // the arrivals up to 5 April are overdue.
    app.clock.set(datetime!(2026-04-24 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    for day in 0..55 {
        let arrival = time::macros::date!(2026 - 03 - 01) + time::Duration::days(day);
        let name = format!("Innboks Person{day:02}");
        let children = if day % 5 == 0 { "2020" } else { "" };
        create_plan(
            app,
            &staff,
            &[
                ("name", &name),
                ("arrival", &arrival.to_string()),
                ("children_years", children),
            ],
        )
        .await;
    }
    app.clock.set(datetime!(2026-04-20 09:00 UTC));
    app.signed_in("nav.alna").await
}

async fn inbox(nav: &crate::support::Browser, query: &[(&str, &str)]) -> Value {
    let res = nav.call("inbox", query).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn fifty_five_tasks_the_overdue_of_one_step_are_two_actions_away() {
    let app = TestApp::spawn().await;
    let nav = nav_alna_inbox(&app).await;
    let overdue = count(
        &app,
        "SELECT count(*) FROM task t JOIN district d ON d.id = t.district_id
         WHERE d.slug = 'alna' AND t.service_kind = 'nav' AND t.step = 'housing_plan'
           AND t.status IN ('open', 'in_progress') AND t.due_on < '2026-04-20'",
    )
    .await;
    assert_eq!(overdue, 36, "arrivals 1 March to 5 April");

    // Action 1: the inbox. Its overview links the overdue housing plans.
    let (status, html) = nav.get_text("/oppgaver").await;
    assert_eq!(status, 200);
    let link = r#"href="/oppgaver?frist=forfalt&amp;steg=housing_plan""#;
    let link_plain = r#"href="/oppgaver?frist=forfalt&steg=housing_plan""#;
    assert!(
        html.contains(link) || html.contains(link_plain),
        "the overview's link"
    );
    assert_eq!(
        html.matches("<tr data-urgency").count(),
        50,
        "fifty to a page"
    );
    // Action 2: that link.
    let (status, html) = nav
        .get_text("/oppgaver?frist=forfalt&steg=housing_plan")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        html.matches(r#"<tr data-urgency="overdue""#).count() as i64,
        overdue
    );
    assert_eq!(html.matches("<tr data-urgency").count() as i64, overdue);
    assert!(
        html.contains("36 dager over fristen"),
        "1 March's plan, due 15 March"
    );
    assert!(html.contains("Kom 01.03.2026"), "the plan's context");
    assert!(html.contains("1 barn"));
    // One link per row: the step (the resident's name is text).
    let row = &html[html.find("<tr data-urgency").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert_eq!(row.matches("<a ").count(), 1, "{row}");

    let page = inbox(&nav, &[("frist", "forfalt"), ("steg", "housing_plan")]).await;
    assert_eq!(page["matching"], overdue);
    let all = inbox(&nav, &[]).await;
    assert_eq!(all["rows"].as_array().unwrap().len(), 50);
    let second = inbox(&nav, &[("side", "2")]).await;
    assert_eq!(
        second["rows"].as_array().unwrap().len() as i64,
        (all["matching"].as_i64().unwrap() - 50).min(50)
    );
    assert_eq!(all["matching"], 55, "one housing plan per stay");
    // The access log names the stays of the page shown, not the whole inbox.
    let named: String = sqlx::query_scalar(
        "SELECT stays FROM access_log WHERE action = 'task.list' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        named.split(',').count(),
        second["rows"].as_array().unwrap().len()
    );
}

#[tokio::test]
async fn mine_unassigned_search_and_the_finished_tasks() {
    let app = TestApp::spawn().await;
    let nav = nav_alna_inbox(&app).await;
    let stay: i64 = sqlx::query_scalar(
        "SELECT s.id FROM stay s JOIN resident r ON r.id = s.resident_id WHERE r.name = 'Innboks Person07'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let (task, version) = task_of(&app, stay, "housing_plan", None).await;
    let res = nav
        .call(
            "task_update",
            &[("task", &task), ("version", &version), ("change", "claim")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let mine = inbox(&nav, &[("vis", "mine")]).await;
    assert_eq!(mine["matching"], 1);
    assert_eq!(mine["rows"][0]["id"].to_string(), task);
    let free = inbox(&nav, &[("vis", "ledige")]).await;
    let all = inbox(&nav, &[]).await;
    assert_eq!(
        free["matching"].as_i64().unwrap(),
        all["matching"].as_i64().unwrap() - 1
    );
    let found = inbox(&nav, &[("sok", "person0")]).await;
    let expected = count(
        &app,
        "SELECT count(*) FROM task t JOIN stay s ON s.id = t.stay_id
         JOIN resident r ON r.id = s.resident_id JOIN district d ON d.id = t.district_id
         WHERE d.slug = 'alna' AND t.service_kind = 'nav' AND t.status IN ('open', 'in_progress')
           AND r.name LIKE 'Innboks Person0_'",
    )
    .await;
    assert!(expected >= 10);
    assert_eq!(
        found["matching"], expected,
        "Person00 to Person09, in any case"
    );

    let (_, version) = task_of(&app, stay, "housing_plan", None).await;
    let res = nav
        .call(
            "task_update",
            &[("task", &task), ("version", &version), ("change", "done")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let finished = inbox(&nav, &[("ferdige", "1")]).await;
    assert_eq!(finished["matching"], 1);
    assert_eq!(finished["rows"][0]["status"], "done");
    let (_, html) = nav.get_text("/oppgaver?ferdige=1").await;
    assert!(html.contains("Innboks Person07"));
    assert!(html.contains("Vis åpne oppgaver"));
    // A view in the address that makes no sense is the default view, not an error.
    let (status, _) = nav
        .get_text("/oppgaver?vis=%3Cx%3E&steg=nope&side=-4&sorter=1")
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_front_page_is_each_roles_starting_point() {
    let app = TestApp::spawn().await;
    let nav = nav_alna_inbox(&app).await;
    let (status, home) = nav.get_text("/").await;
    assert_eq!(status, 200);
    // The text without Leptos' hydration markers between its parts.
    let home = home.replace("<!-- -->", "").replace("<!>", "");
    assert!(home.contains(r#"href="/oppgaver?frist=forfalt""#));
    assert!(home.contains("36 forfalt"), "the overdue housing plans");
    assert!(home.contains("55 åpne i alt"));
    assert!(home.contains("0 tatt av deg"));
    assert!(
        !home.contains(r#"href="/planer/ny""#),
        "intake is the crisis center's"
    );
    let counts: Value = nav.call("inbox_counts", &[]).await.json().await.unwrap();
    assert_eq!(counts["overdue"], 36);
    let staff = app.signed_in("krisesenter").await;
    let (_, home) = staff.get_text("/").await;
    assert!(home.contains(r#"href="/planer/ny""#) && home.contains("Dine oppgaver"));
    let reviewer = app.signed_in("kontrollor").await;
    let (_, home) = reviewer.get_text("/").await;
    assert!(home.contains(r#"href="/kontroll""#) && home.contains(r#"href="/avvik""#));
    assert!(!home.contains("Dine oppgaver"));
    let admin = app.signed_in("admin").await;
    let (_, home) = admin.get_text("/").await;
    assert!(home.contains(r#"href="/admin/brukere""#));
}
