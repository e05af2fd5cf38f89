//! Audit findings and their closure plans: a reviewer records a finding for Alna, Alna's
//! management plans the closure as steps of its own services, each unit sees and finishes its
//! own step from its inbox, the compliance pages count open findings and overdue steps, and a
//! reviewer closes the finding. Who may do what, the messages, and a form that does not make
//! sense.

use crate::support::{Browser, TestApp, count};
use app::domain::finding::{DistrictFindings, OpenFindings, StepStatus, UnitSteps};
use app::domain::internal_control::ControlMatrix;
use time::macros::datetime;

async fn alna_id(app: &TestApp) -> String {
    count(app, "SELECT id FROM district WHERE slug = 'alna'")
        .await
        .to_string()
}

/// A server function without arguments, read as JSON.
async fn read<T: serde::de::DeserializeOwned>(browser: &Browser, endpoint: &str) -> T {
    let res = browser.call(endpoint, &[]).await;
    assert_eq!(res.status(), 200, "{endpoint}");
    res.json().await.unwrap()
}

async fn findings(browser: &Browser) -> DistrictFindings {
    let res = browser.call("district_findings", &[("slug", "alna")]).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn record(reviewer: &Browser, alna: &str) -> i64 {
    let res = reviewer
        .call(
            "finding_record",
            &[
                ("district", alna),
                ("slug", "alna"),
                ("found_on", "2026-03-01"),
                ("legal_basis", "Krisesenterlova § 4 andre ledd"),
                (
                    "finding_text",
                    "Bydelen har ingen rutine for å tilby individuell plan.",
                ),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn add_step(browser: &Browser, finding: i64, owner: &str, due: &str) -> u16 {
    let finding = finding.to_string();
    browser
        .call(
            "finding_step_add",
            &[
                ("finding", &finding),
                ("slug", "alna"),
                ("owner", owner),
                ("step_text", "Vedta rutine for individuell plan"),
                ("due_on", due),
            ],
        )
        .await
        .status()
        .as_u16()
}

async fn set_step(browser: &Browser, step: i64, version: i64, done: &str) -> u16 {
    let (step, version) = (step.to_string(), version.to_string());
    browser
        .call(
            "finding_step_set",
            &[
                ("step", &step),
                ("version", &version),
                ("done", done),
                ("slug", "alna"),
            ],
        )
        .await
        .status()
        .as_u16()
}

fn alna_counts(matrix: &ControlMatrix) -> (u32, u32) {
    let row = matrix.rows.iter().find(|r| r.slug == "alna").unwrap();
    (row.findings.open, row.findings.overdue_steps)
}

async fn matrix(reviewer: &Browser) -> ControlMatrix {
    read(reviewer, "control_matrix").await
}

#[tokio::test]
async fn a_finding_is_recorded_planned_by_the_district_worked_by_its_units_and_closed_by_a_reviewer()
 {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let alna = alna_id(&app).await;
    let reviewer = app.signed_in("kontrollor").await;
    let manager = app.signed_in("leder.alna").await;
    let nav = app.signed_in("nav.alna").await;
    let child_welfare = app.signed_in("barnevern.alna").await;
    let frogner = app.signed_in("nav.frogner").await;

    // Only reviewers and administrators record findings.
    let form = [
        ("district", alna.as_str()),
        ("slug", "alna"),
        ("found_on", "2026-03-01"),
        ("legal_basis", "§ 4"),
        ("finding_text", "Tekst"),
    ];
    for who in [&manager, &nav] {
        assert_eq!(who.call("finding_record", &form).await.status(), 403);
    }
    let finding = record(&reviewer, &alna).await;
    assert_eq!(alna_counts(&matrix(&reviewer).await), (1, 0));

    // Alna's management plans the closure: one step for NAV, one for child welfare. The
    // reviewer does not plan it, and Frogner's caseworker does not even read it.
    assert_eq!(add_step(&manager, finding, "nav", "2026-04-01").await, 200);
    assert_eq!(
        add_step(&manager, finding, "child_welfare", "2026-05-01").await,
        200
    );
    assert_eq!(add_step(&reviewer, finding, "nav", "2026-04-01").await, 403);
    assert_eq!(add_step(&nav, finding, "nav", "2026-04-01").await, 403);
    assert_eq!(
        frogner
            .call("district_findings", &[("slug", "alna")])
            .await
            .status(),
        403
    );
    let page = findings(&manager).await;
    assert!(page.may_plan && !page.may_record);
    let steps = &page.findings[0].steps;
    assert_eq!(steps.len(), 2);
    let (nav_step, cw_step) = (steps[0].id.0, steps[1].id.0);

    // Each unit has its own step in its inbox, and only its own.
    let inbox: UnitSteps = read(&nav, "unit_finding_steps").await;
    assert_eq!(inbox.steps.len(), 1);
    assert_eq!(inbox.steps[0].step.id.0, nav_step);
    let (status, html) = nav.get_text("/oppgaver").await;
    assert_eq!(status, 200);
    assert!(html.contains("Tiltak etter tilsyn"), "the inbox section");
    assert!(html.contains("Vedta rutine for individuell plan"));
    assert!(html.contains("Krisesenterlova § 4 andre ledd"));
    let frogner_inbox: UnitSteps = read(&frogner, "unit_finding_steps").await;
    assert!(frogner_inbox.steps.is_empty());

    // Past NAV's deadline: the step is overdue on the page and in the counts.
    app.clock.set(datetime!(2026-04-02 09:00 UTC));
    let reviewer = app.signed_in("kontrollor").await;
    let manager = app.signed_in("leder.alna").await;
    let nav = app.signed_in("nav.alna").await;
    let child_welfare_now = app.signed_in("barnevern.alna").await;
    drop(child_welfare);
    assert_eq!(alna_counts(&matrix(&reviewer).await), (1, 1));
    let (_, html) = nav.get_text("/oppgaver").await;
    assert!(html.contains("Fristen er passert"), "overdue in words");
    for path in ["/kontroll/alna", "/kontroll/alna/utskrift"] {
        let (status, html) = reviewer.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("Krisesenterlova § 4 andre ledd"), "{path}");
        assert!(html.contains("Fristen er passert"), "{path}");
    }
    let (_, overview) = reviewer.get_text("/kontroll").await;
    assert!(overview.contains("Tiltak over frist") && overview.contains("Åpne funn"));
    // Every district's open findings side by side, with the overdue step named.
    let open: OpenFindings = read(&reviewer, "open_findings").await;
    assert_eq!(open.findings.len(), 1);
    assert_eq!(open.findings[0].district_slug, "alna");
    let (_, html) = reviewer.get_text("/internkontroll").await;
    assert!(html.contains("Åpne tilsynsfunn i alle bydeler"));
    assert!(html.contains("0 av 2"), "no step done yet");
    assert!(html.contains("NAV-kontor: Vedta rutine for individuell plan (01.04.2026)"));
    // NAV's start page counts its steps, the overdue one too.
    let (_, home) = nav.get_text("/").await;
    assert!(
        home.contains("Enheten eier 1 åpne tiltak etter tilsyn; 1 har passert fristen."),
        "the start page"
    );

    // Child welfare cannot finish NAV's step; NAV can, and a stale second try is refused.
    assert_eq!(set_step(&child_welfare_now, nav_step, 1, "1").await, 403);
    assert_eq!(set_step(&reviewer, nav_step, 1, "1").await, 403);
    assert_eq!(set_step(&nav, nav_step, 1, "1").await, 200);
    assert_eq!(set_step(&nav, nav_step, 1, "1").await, 409);
    assert_eq!(alna_counts(&matrix(&reviewer).await), (1, 0));
    let page = findings(&reviewer).await;
    let done = page.findings[0]
        .steps
        .iter()
        .find(|s| s.id.0 == nav_step)
        .unwrap();
    assert_eq!(done.status, StepStatus::Done);
    assert_eq!(done.done_on, Some(time::macros::date!(2026 - 04 - 02)));
    let nav_inbox: UnitSteps = read(&nav, "unit_finding_steps").await;
    assert!(nav_inbox.steps.is_empty(), "a done step leaves the inbox");

    // The manager does not close the finding; the reviewer does, with a date and a note.
    let id = finding.to_string();
    let close = [
        ("finding", id.as_str()),
        ("version", "1"),
        ("slug", "alna"),
        ("closed_on", "2026-04-02"),
        ("closing_note", "Rutinen er vedtatt og tatt i bruk."),
    ];
    assert_eq!(manager.call("finding_close", &close).await.status(), 403);
    assert_eq!(reviewer.call("finding_close", &close).await.status(), 200);
    assert_eq!(alna_counts(&matrix(&reviewer).await), (0, 0));
    let open: OpenFindings = read(&reviewer, "open_findings").await;
    assert!(open.findings.is_empty(), "closed");
    // A closed finding's plan no longer changes.
    assert_eq!(set_step(&child_welfare_now, cw_step, 1, "1").await, 400);
    assert_eq!(add_step(&manager, finding, "nav", "2026-05-01").await, 400);
    let cw_inbox: UnitSteps = read(&child_welfare_now, "unit_finding_steps").await;
    assert!(
        cw_inbox.steps.is_empty(),
        "a closed finding's steps leave the inbox"
    );

    // Every change is a history row and an access-log row.
    assert_eq!(
        count(&app, "SELECT count(*) FROM control_finding_event").await,
        5,
        "recorded, two steps added, one done, closed"
    );
    for (action, n) in [
        ("finding.record", 1),
        ("finding_step.add", 2),
        ("finding_step.done", 1),
        ("finding.close", 1),
    ] {
        assert_eq!(
            count(
                &app,
                &format!(
                    "SELECT count(*) FROM access_log WHERE action = '{action}' AND outcome = 'ok'"
                )
            )
            .await,
            n,
            "{action}"
        );
    }
    let page = findings(&reviewer).await;
    assert_eq!(page.history.len(), 5);
    assert_eq!(
        page.findings[0].closing_note.as_deref(),
        Some("Rutinen er vedtatt og tatt i bruk.")
    );
}

/// A reviewer records and closes findings, and changes nothing else: not a district's
/// documents, not a closure plan, not a step.
#[tokio::test]
async fn reviewers_edit_nothing_but_findings() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let alna = alna_id(&app).await;
    let reviewer = app.signed_in("kontrollor").await;
    let manager = app.signed_in("leder.alna").await;
    let finding = record(&reviewer, &alna).await;
    assert_eq!(add_step(&manager, finding, "nav", "2026-04-01").await, 200);
    let step = findings(&manager).await.findings[0].steps[0].id.0;
    let document = [
        ("district", alna.as_str()),
        ("slug", "alna"),
        ("document", "ros"),
        ("version", "0"),
        ("status", "draft"),
    ];
    assert_eq!(
        reviewer
            .call("control_document_save", &document)
            .await
            .status(),
        403
    );
    assert_eq!(add_step(&reviewer, finding, "nav", "2026-04-01").await, 403);
    assert_eq!(set_step(&reviewer, step, 1, "1").await, 403);
    let page = findings(&reviewer).await;
    assert!(page.may_record && !page.may_plan && page.may_complete.is_empty());
    assert_eq!(
        count(&app, "SELECT count(*) FROM district_document").await,
        0
    );
    assert_eq!(count(&app, "SELECT count(*) FROM finding_step").await, 1);
}

#[tokio::test]
async fn a_finding_form_that_does_not_make_sense_comes_back_naming_its_field_and_stores_nothing() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let alna = alna_id(&app).await;
    let reviewer = app.signed_in("kontrollor").await;
    let res = reviewer
        .post_form(
            "/api/finding_record",
            &[
                ("district", &alna),
                ("slug", "alna"),
                ("found_on", "2026-03-17"),
                ("legal_basis", "Krisesenterlova § 4"),
                ("finding_text", "Funn skrevet før datoen"),
            ],
        )
        .await;
    assert_eq!(res.status(), 302);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        to.starts_with("/internkontroll/alna?") && to.contains("felt=found_on"),
        "{to}"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM control_finding").await, 0);
    assert_eq!(
        count(&app, "SELECT count(*) FROM control_finding_event").await,
        0
    );
    let (status, html) = reviewer.get_text(&to).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"skjemafeil\""), "error summary");
    assert!(
        html.contains("kan ikke være fram i tid"),
        "why, in Norwegian"
    );
    assert!(html.contains("Funn skrevet før datoen"), "kept as typed");
    assert!(
        html.contains("value=\"Krisesenterlova § 4\""),
        "kept as typed"
    );
    assert!(
        html.contains("id=\"finding-found-on\"") && html.contains("aria-invalid=\"true\""),
        "the field is marked"
    );

    // A step without an owner says which field, and stores nothing.
    let finding = record(&reviewer, &alna).await.to_string();
    let manager = app.signed_in("leder.alna").await;
    let res = manager
        .post_form(
            "/api/finding_step_add",
            &[
                ("finding", &finding),
                ("slug", "alna"),
                ("owner", ""),
                ("step_text", "Vedta rutinen"),
                ("due_on", "2026-04-01"),
            ],
        )
        .await;
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.contains("felt=owner"), "{to}");
    assert_eq!(count(&app, "SELECT count(*) FROM finding_step").await, 0);
    let (_, html) = manager.get_text(&to).await;
    assert!(html.contains("Velg hvilken av bydelens tjenester"), "why");
    assert!(html.contains(">Vedta rutinen</textarea>"), "kept as typed");
}

/// A closure step due soon and overdue: one message each to the step's unit, once however often
/// the scan runs; a step done before its message goes is skipped; the message names no text.
#[tokio::test]
async fn closure_steps_due_soon_and_overdue_go_to_their_unit_once_each() {
    use crate::notifications::{sender, settings};
    let app = TestApp::spawn().await;
    let smtp = crate::smtp::SmtpServer::start().await;
    let s = sender(&app, &smtp.url());
    let settings = settings();
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let alna = alna_id(&app).await;
    let reviewer = app.signed_in("kontrollor").await;
    let manager = app.signed_in("leder.alna").await;
    let finding = record(&reviewer, &alna).await;
    assert_eq!(add_step(&manager, finding, "nav", "2026-04-01").await, 200);
    assert_eq!(
        add_step(&manager, finding, "child_welfare", "2026-04-01").await,
        200
    );
    let scan = |at| {
        app.clock.set(at);
        app::server::notify::scan(&app.db, &app.clock, &settings)
    };
    let queued = |kind: &'static str| {
        let app = &app;
        async move {
            count(
                app,
                &format!("SELECT count(*) FROM outbox WHERE kind = '{kind}'"),
            )
            .await
        }
    };
    // Two weeks ahead: nothing yet.
    scan(datetime!(2026-03-18 09:00 UTC)).await.unwrap();
    assert_eq!(queued("finding_step_due_soon").await, 0);
    // Within the due-soon window: one per step, once.
    scan(datetime!(2026-03-31 09:00 UTC)).await.unwrap();
    scan(datetime!(2026-03-31 10:00 UTC)).await.unwrap();
    assert_eq!(queued("finding_step_due_soon").await, 2);
    s.drain(100).await.unwrap();
    let soon = smtp.messages();
    assert_eq!(soon.len(), 2);
    let units: Vec<String> = sqlx::query_scalar(
        "SELECT s.email FROM service s JOIN district d ON d.id = s.district_id
         WHERE d.slug = 'alna' AND s.kind IN ('nav', 'child_welfare') ORDER BY s.email",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let mut got: Vec<String> = soon.iter().flat_map(|m| m.rcpt_to.clone()).collect();
    got.sort();
    assert_eq!(got, units, "the units' shared addresses");
    for m in &soon {
        assert!(
            m.subject().starts_with("Fristen nærmer seg"),
            "{}",
            m.subject()
        );
        assert!(m.text().contains("01.04.2026"), "{}", m.text());
        assert!(m.text().contains("/oppgaver"), "{}", m.text());
        assert!(
            !m.everything().contains("individuell plan"),
            "no free text in the message"
        );
    }

    // NAV finishes its step before the day after the deadline; child welfare does not.
    app.clock.set(datetime!(2026-04-01 12:00 UTC));
    let nav = app.signed_in("nav.alna").await;
    let nav_step: i64 =
        sqlx::query_scalar("SELECT id FROM finding_step WHERE service_kind = 'nav'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(set_step(&nav, nav_step, 1, "1").await, 200);
    // 2 April in Oslo: child welfare's step is overdue, once.
    scan(datetime!(2026-04-01 22:00 UTC)).await.unwrap();
    scan(datetime!(2026-04-02 09:00 UTC)).await.unwrap();
    assert_eq!(queued("finding_step_overdue").await, 1);
    s.drain(100).await.unwrap();
    let all = smtp.messages();
    assert_eq!(all.len(), 3);
    let overdue = &all[2];
    assert!(overdue.subject().starts_with("Fristen er passert"));
    let child_welfare: String = sqlx::query_scalar(
        "SELECT s.email FROM service s JOIN district d ON d.id = s.district_id
         WHERE d.slug = 'alna' AND s.kind = 'child_welfare'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        overdue.rcpt_to,
        vec![child_welfare],
        "the unit whose step is open"
    );
}

/// Without JavaScript: a unit marks its step done from the inbox, and the inbox confirms it.
#[tokio::test]
async fn a_step_marked_done_from_the_inbox_comes_back_to_the_inbox_with_a_confirmation() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let alna = alna_id(&app).await;
    let finding = record(&app.signed_in("kontrollor").await, &alna).await;
    let manager = app.signed_in("leder.alna").await;
    assert_eq!(add_step(&manager, finding, "nav", "2026-04-01").await, 200);
    let nav = app.signed_in("nav.alna").await;
    let step = findings(&nav).await.findings[0].steps[0].id.0.to_string();
    let res = nav
        .post_form(
            "/api/finding_step_set",
            &[
                ("step", &step),
                ("version", "1"),
                ("done", "1"),
                ("slug", "alna"),
                ("from", "innboks"),
            ],
        )
        .await;
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(to, "/oppgaver?ok=tiltak_status");
    let (_, html) = nav.get_text(&to).await;
    assert!(html.contains("id=\"kvittering\""), "the confirmation");
    assert!(html.contains("Tiltakets status er lagret."));
    assert!(!html.contains("Tiltak etter tilsyn"), "no open step left");
}
