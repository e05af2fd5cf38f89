//! Deviations (avvik): a missed binding deadline opens exactly one at Oslo midnight, in the
//! task's district, with a message to the unit's leaders; it closes only with a cause and a
//! measure, by a named person, and reopens as a new history row; a deviation reported by hand
//! keeps its free text inside the district and the crisis center; reviewers see rows without
//! personal data or free text.

use crate::notifications::settings;
use crate::plans::{create_plan, task_of};
use crate::support::{TestApp, count};
use app::domain::compliance::{ComplianceView, Shown};
use time::macros::datetime;

async fn scan(app: &TestApp) -> u64 {
    app::server::notify::scan(&app.db, &app.clock, &settings())
        .await
        .unwrap()
        .deviations
}

#[tokio::test]
async fn a_missed_housing_plan_opens_one_deviation_at_oslo_midnight_that_closes_only_with_a_cause_and_a_measure()
 {
    let app = TestApp::spawn().await;
    // Arrival 15 March: the housing plan is due 29 March, the night summer time begins.
    app.clock.set(datetime!(2026-03-15 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[("arrival", "2026-03-15")]).await;
    let (task, _) = task_of(&app, stay, "housing_plan", None).await;

    // 29 March, 23:59 in Oslo: not missed yet.
    app.clock.set(datetime!(2026-03-29 21:59 UTC));
    assert_eq!(scan(&app).await, 0);
    // 30 March, 00:00 in Oslo: one deviation, however often the scan runs.
    app.clock.set(datetime!(2026-03-29 22:00 UTC));
    assert_eq!(scan(&app).await, 1);
    assert_eq!(scan(&app).await, 0);
    app.clock.set(datetime!(2026-04-02 10:00 UTC));
    assert_eq!(scan(&app).await, 0, "still one, days later");
    let row: (i64, String, String, String, String, String, Option<i64>) = sqlx::query_as(
        "SELECT v.task_id, d.slug, v.service_kind, v.origin, v.due_on, v.opened_on, v.opened_by
         FROM deviation v JOIN district d ON d.id = v.district_id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        row,
        (
            task.parse().unwrap(),
            "alna".into(),
            "nav".into(),
            "deadline".into(),
            "2026-03-29".into(),
            "2026-03-30".into(),
            None
        )
    );
    // The unit's leaders are told (once), and the log says the portal opened it.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE kind = 'deviation_opened' AND audience = 'leader'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action = 'deviation.open' AND user_id IS NULL"
        )
        .await,
        1
    );
    let id: i64 = sqlx::query_scalar("SELECT id FROM deviation")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let id_text = id.to_string();
    // The municipality's figures count it for Alna in the first quarter, as "under 3".
    let reviewer = app.signed_in("kontrollor").await;
    let res = reviewer.call("compliance", &[("periode", "2026K1")]).await;
    assert_eq!(res.status(), 200);
    let view: ComplianceView = res.json().await.unwrap();
    let alna = view
        .deviations
        .iter()
        .find(|r| r.district.as_ref().is_some_and(|(slug, _)| slug == "alna"))
        .unwrap();
    assert_eq!(
        (alna.opened, alna.closed, alna.long_open),
        (Shown::Under3, Shown::Count(0), Shown::Count(0))
    );
    let others: i64 = view
        .deviations
        .iter()
        .filter(|r| r.district.as_ref().is_some_and(|(slug, _)| slug != "alna"))
        .map(|r| r.opened.count().unwrap())
        .sum();
    assert_eq!(others, 0);

    // NAV Alna sees it in its list and opens it.
    let nav = app.signed_in("nav.alna").await;
    let res = nav.call("deviations", &[]).await;
    assert_eq!(res.status(), 200);
    let list: serde_json::Value = res.json().await.unwrap();
    assert_eq!(list["rows"].as_array().unwrap().len(), 1);
    assert_eq!(list["may_open"], true);
    let res = nav.call("deviation", &[("id", &id_text)]).await;
    assert_eq!(res.status(), 200);
    let case: serde_json::Value = res.json().await.unwrap();
    let version = case["version"].to_string();

    // Closing without a cause, or without a measure, is refused and changes nothing.
    let close = |cause: &'static str, measure: &'static str, version: String| {
        let (nav, id) = (&nav, id_text.clone());
        async move {
            nav.call(
                "deviation_update",
                &[
                    ("id", &id),
                    ("version", &version),
                    ("change", "close"),
                    ("cause", cause),
                    ("measure", measure),
                ],
            )
            .await
        }
    };
    for (cause, measure, field) in [
        ("", "", "cause"),
        ("", "training", "cause"),
        ("capacity", "", "measure"),
    ] {
        let res = close(cause, measure, version.clone()).await;
        assert_eq!(res.status(), 400, "{cause:?} {measure:?}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["field"], field);
    }
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM deviation WHERE status = 'open' AND version = 1"
        )
        .await,
        1
    );
    assert_eq!(count(&app, "SELECT count(*) FROM deviation_event").await, 1);

    // With both, it closes, by a named person.
    let res = close("capacity", "staffing", version.clone()).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let closed: (String, String, String, String, String) = sqlx::query_as(
        "SELECT v.status, v.cause, v.measure, v.closed_on, u.email
         FROM deviation v JOIN app_user u ON u.id = v.closed_by",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        closed,
        (
            "closed".into(),
            "capacity".into(),
            "staffing".into(),
            "2026-04-02".into(),
            app::server::demo::demo_email("nav.alna")
        )
    );
    // A second close with the old version is stale.
    assert_eq!(close("capacity", "staffing", version).await.status(), 409);

    // Reopening is a new history row; what was found and done stays, to be revised.
    let v: i64 = sqlx::query_scalar("SELECT version FROM deviation")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let res = nav
        .call(
            "deviation_update",
            &[
                ("id", &id_text),
                ("version", &v.to_string()),
                ("change", "reopen"),
                ("note", "Tiltaket virket ikke"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let events: Vec<String> = sqlx::query_scalar("SELECT kind FROM deviation_event ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(events, ["opened", "closed", "reopened"]);
    let reopened: (String, Option<String>, Option<String>, Option<String>) =
        sqlx::query_as("SELECT status, cause, measure, closed_on FROM deviation")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        reopened,
        (
            "open".into(),
            Some("capacity".into()),
            Some("staffing".into()),
            None
        )
    );
    // Deviations are never deleted.
    assert!(
        sqlx::query("DELETE FROM deviation")
            .execute(&app.pool)
            .await
            .is_err()
    );

    // Another district's caseworker neither lists nor opens it; the attempt is logged.
    let frogner = app.signed_in("nav.frogner").await;
    let list: serde_json::Value = frogner.call("deviations", &[]).await.json().await.unwrap();
    assert_eq!(list["rows"].as_array().unwrap().len(), 0);
    assert_eq!(
        frogner
            .call("deviation", &[("id", &id_text)])
            .await
            .status(),
        404
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action = 'deviation.read' AND outcome = 'refused'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_deviation_reported_by_hand_keeps_its_text_in_the_district_and_reviewers_see_rows_only() {
    const NAME: &str = "Avvikskanari Hemmeligsen";
    const REFERENCE: &str = "AVVIK-KANARI-42";
    const NOTE: &str = "avvikskanari-fritekst";
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(
        &app,
        &staff,
        &[("name", NAME), ("case_reference", REFERENCE)],
    )
    .await;
    let (task, _) = task_of(&app, stay, "housing_plan", None).await;
    let nav = app.signed_in("nav.alna").await;
    // A deviation needs to say what happened.
    let res = nav
        .call("deviation_open", &[("task", &task), ("note", "  ")])
        .await;
    assert_eq!(res.status(), 400);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["field"], "deviation_note");
    // Another district's caseworker cannot report on Alna's task (as if it did not exist).
    let frogner = app.signed_in("nav.frogner").await;
    let res = frogner
        .call("deviation_open", &[("task", &task), ("note", NOTE)])
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(count(&app, "SELECT count(*) FROM deviation").await, 0);
    let res = nav
        .call("deviation_open", &[("task", &task), ("note", NOTE)])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let id: i64 = res.json().await.unwrap();
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE kind = 'deviation_opened' AND district_id IS NOT NULL"
        )
        .await,
        1
    );
    // Inside the district (child welfare Alna) and at the crisis center, the text is there.
    for who in ["barnevern.alna", "krisesenter"] {
        let b = app.signed_in(who).await;
        let res = b.call("deviation", &[("id", &id.to_string())]).await;
        assert_eq!(res.status(), 200, "{who}");
        assert!(res.text().await.unwrap().contains(NOTE), "{who}");
    }
    let (status, page) = nav.get_text(&format!("/avvik/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains(NOTE));

    // A reviewer lists it, and nothing of the person or the text is in what they reach.
    let reviewer = app.signed_in("kontrollor").await;
    let res = reviewer.call("deviations", &[]).await;
    assert_eq!(res.status(), 200);
    let list = res.text().await.unwrap();
    let (status, page) = reviewer.get_text("/avvik").await;
    assert_eq!(status, 200);
    assert!(page.contains("Alna"), "the district is shown");
    for text in [&list, &page] {
        for secret in [NAME, "Avvikskanari", REFERENCE, NOTE] {
            assert!(!text.contains(secret), "{secret} reached a reviewer");
        }
    }
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["rows"].as_array().unwrap().len(), 1);
    assert_eq!(list["may_open"], false);
    assert_eq!(
        reviewer
            .call("deviation", &[("id", &id.to_string())])
            .await
            .status(),
        403
    );
    assert_eq!(reviewer.get_text(&format!("/avvik/{id}")).await.0, 403);
    let res = reviewer
        .call(
            "deviation_update",
            &[
                ("id", &id.to_string()),
                ("version", "1"),
                ("change", "close"),
                ("cause", "capacity"),
                ("measure", "training"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    // The crisis center reads the district's deviation but does not close it.
    let res = staff
        .call(
            "deviation_update",
            &[
                ("id", &id.to_string()),
                ("version", "1"),
                ("change", "close"),
                ("cause", "capacity"),
                ("measure", "training"),
            ],
        )
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        count(&app, "SELECT count(*) FROM deviation WHERE status = 'open'").await,
        1
    );
}

#[tokio::test]
async fn the_exports_are_csv_for_norwegian_excel_with_the_pages_rights_and_no_personal_data() {
    const NAME: &str = "Eksportkanari Skjultsen";
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-15 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    create_plan(&app, &staff, &[("arrival", "2026-03-15"), ("name", NAME)]).await;
    app.clock.set(datetime!(2026-03-29 22:00 UTC));
    assert_eq!(scan(&app).await, 1);

    let reviewer = app.signed_in("kontrollor").await;
    let (status, kind, housing) = csv_get(&reviewer, "/eksport/kontroll.csv?periode=2026K1").await;
    assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
    assert!(housing.starts_with("\u{feff}Bydel;Fra;Til;"), "{housing}");
    let lines: Vec<&str> = housing.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines.len(),
        1 + 15 + 1,
        "a header, the districts, the municipality"
    );
    assert!(
        lines
            .last()
            .unwrap()
            .starts_with("Oslo kommune;2026-01-01;2026-03-31;")
    );
    let (_, _, counts) = csv_get(
        &reviewer,
        "/eksport/kontroll.csv?periode=2026K1&tabell=avvik",
    )
    .await;
    assert!(
        counts.contains("\r\nAlna;2026-01-01;2026-03-31;under 3;0;0\r\n"),
        "{counts}"
    );
    let (status, _, list) = csv_get(&reviewer, "/eksport/avvik.csv").await;
    assert_eq!(status, 200);
    assert!(
        list.contains("\r\nAlna;nav;housing_plan;deadline;2026-03-29;2026-03-30;;;open;;0\r\n"),
        "{list}"
    );
    for text in [&housing, &counts, &list] {
        assert!(!text.contains("Eksportkanari"), "a name reached an export");
    }
    // The pages' rights: a caseworker has no municipal figures, but their district's list.
    let nav = app.signed_in("nav.alna").await;
    assert_eq!(
        csv_get(&nav, "/eksport/kontroll.csv?periode=2026K1")
            .await
            .0,
        403
    );
    let (status, _, own) = csv_get(&nav, "/eksport/avvik.csv?status=open").await;
    assert_eq!(status, 200);
    assert!(own.contains("\r\nAlna;nav;housing_plan;"));
    let frogner = app.signed_in("nav.frogner").await;
    let (_, _, none) = csv_get(&frogner, "/eksport/avvik.csv").await;
    assert_eq!(none.split("\r\n").filter(|l| !l.is_empty()).count(), 1);
    assert_eq!(
        csv_get(&reviewer, "/eksport/kontroll.csv?periode=2026K9")
            .await
            .0,
        400
    );
    assert_eq!(
        csv_get(&reviewer, "/eksport/avvik.csv?status=deleted")
            .await
            .0,
        400
    );
    let anonymous = app.browser();
    assert_eq!(csv_get(&anonymous, "/eksport/avvik.csv").await.0, 303);
}

/// (status, content type, body) of a GET.
async fn csv_get(b: &crate::support::Browser, path: &str) -> (u16, String, String) {
    let res = b.get(path).await;
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, res.text().await.unwrap())
}

#[tokio::test]
async fn crisis_center_staff_report_a_deviation_on_a_districts_step_from_the_plan_page() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await;
    let (task, _) = task_of(&app, stay, "housing_plan", Some("nav")).await;
    let (_, page) = staff.get_text(&format!("/planer/{stay}")).await;
    assert!(page.contains("Meld et avvik på et steg i planen"));
    assert!(page.contains(&format!(r#"<option value="{task}">"#)));
    assert!(page.contains(&format!(r#"name="plan" value="{stay}""#)));
    // No step chosen: back to the plan page, the field named, nothing stored.
    let res = staff
        .post_form(
            "/api/deviation_open",
            &[
                ("task", ""),
                ("note", "Ingen møtte."),
                ("plan", &stay.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("/planer/{stay}?")),
        "{location}"
    );
    assert!(location.contains("felt=task"), "{location}");
    assert_eq!(count(&app, "SELECT count(*) FROM deviation").await, 0);
    let res = staff
        .post_form(
            "/api/deviation_open",
            &[
                ("task", &task),
                ("note", "Ingen møtte."),
                ("plan", &stay.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), 302);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/avvik/")
    );
    // It answers to the district's NAV office, which sees it.
    let (district, kind): (String, String) = sqlx::query_as(
        "SELECT d.slug, v.service_kind FROM deviation v JOIN district d ON d.id = v.district_id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((district.as_str(), kind.as_str()), ("alna", "nav"));
    let nav = app.signed_in("nav.alna").await;
    let list: serde_json::Value = nav.call("deviations", &[]).await.json().await.unwrap();
    assert_eq!(list["rows"].as_array().unwrap().len(), 1);
    // A caseworker's plan page offers their own unit's steps only.
    let (_, page) = nav.get_text(&format!("/planer/{stay}")).await;
    assert!(page.contains(&format!(r#"<option value="{task}">"#)));
    let others: Vec<i64> = sqlx::query_scalar(
        "SELECT t.id FROM task t LEFT JOIN district d ON d.id = t.district_id
         WHERE t.stay_id = ?1 AND NOT (d.slug IS 'alna' AND t.service_kind IS 'nav')",
    )
    .bind(stay)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(!others.is_empty());
    for other in others {
        assert!(
            !page.contains(&format!(r#"<option value="{other}">"#)),
            "{other}"
        );
    }
}
