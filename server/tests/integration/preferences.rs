//! What users choose and administrators hold: a caseworker's notification choices (a message
//! per event or the daily digest only, and the language), a paused unit whose messages wait,
//! and a unit's calendar feed behind a secret address that can be replaced and ended.

use crate::notifications::{mailer, sender, with_digest};
use crate::plans::{create_plan, stay_version, task_of};
use crate::smtp::SmtpServer;
use crate::support::{Browser, TestApp, count};
use app::server::notify::Sender;
use time::macros::datetime;

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

async fn alna(app: &TestApp) -> String {
    sqlx::query_scalar::<_, i64>("SELECT id FROM district WHERE slug = 'alna'")
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_caseworker_who_takes_the_digest_only_gets_it_in_their_language_and_no_message_per_event()
{
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let nav = app.signed_in("nav.alna").await;
    let (status, page) = nav.get_text("/konto").await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"value="immediate" checked"#), "{page}");
    assert!(page.contains(r#"value="nb" checked"#));

    // A value the form does not offer is refused, and nothing changes.
    let res = nav
        .post_form(
            "/api/account_notify",
            &[("notify", "weekly"), ("language", "en")],
        )
        .await;
    assert_eq!(location(&res), "/konto?feil=E-INVALID-INPUT&felt=notify");
    let res = nav
        .post_form(
            "/api/account_notify",
            &[("notify", "digest"), ("language", "en")],
        )
        .await;
    assert_eq!(location(&res), "/konto?ok=varsler");
    let (_, page) = nav.get_text("/konto?ok=varsler").await;
    assert!(page.contains(r#"value="digest" checked"#), "{page}");
    assert!(page.contains(r#"value="en" checked"#));
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action = 'user.preferences' AND outcome = 'ok'"
        )
        .await,
        1
    );

    // The caseworker claims the housing plan; it turns due soon.
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await;
    let (task, version) = task_of(&app, stay, "housing_plan", None).await;
    let res = nav
        .call(
            "task_update",
            &[("task", &task), ("version", &version), ("change", "claim")],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let s = Sender::new(
        app.db.clone(),
        mailer(&smtp.url()),
        app.clock.clone(),
        with_digest(),
    );
    s.drain(100).await.unwrap();
    app.clock.set(datetime!(2026-03-28 09:00 UTC));
    app::server::notify::scan(&app.db, &app.clock, &with_digest())
        .await
        .unwrap();
    s.drain(100).await.unwrap();
    let due_soon: (String, Option<String>) = sqlx::query_as(
        "SELECT state, last_error FROM outbox WHERE kind = 'task_due_soon' AND task_id = ?1",
    )
    .bind(&task)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        due_soon,
        (
            "skipped".into(),
            Some("the caseworker takes the daily digest only".into())
        )
    );
    let caseworker = app::server::demo::demo_email("nav.alna");
    let to_them: Vec<String> = smtp
        .messages()
        .iter()
        .filter(|m| m.rcpt_to == [caseworker.clone()])
        .map(|m| m.subject())
        .collect();
    assert_eq!(to_them.len(), 1, "{to_them:?}");
    assert!(
        to_them[0].starts_with("Today's overview for NAV office, Alna"),
        "{to_them:?}"
    );
}

#[tokio::test]
async fn a_paused_units_messages_wait_and_go_once_when_the_pause_ends() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let alna = alna(&app).await;
    let unit = [("district", alna.as_str()), ("service", "nav")];
    let nav = app.signed_in("nav.alna").await;
    assert_eq!(nav.call("unit_mail_pause", &unit).await.status(), 403);
    let admin = app.signed_in("admin").await;
    let res = admin.post_form("/api/unit_mail_pause", &unit).await;
    assert_eq!(location(&res), "/admin/utsendinger?ok=pause");
    let again = admin.post_form("/api/unit_mail_pause", &unit).await;
    assert_eq!(
        location(&again),
        "/admin/utsendinger?feil=E-CONFLICT&felt=service"
    );
    let bad = admin
        .post_form(
            "/api/unit_mail_pause",
            &[("district", alna.as_str()), ("service", "other")],
        )
        .await;
    assert_eq!(
        location(&bad),
        "/admin/utsendinger?feil=E-INVALID-INPUT&felt=service"
    );

    let staff = app.signed_in("krisesenter").await;
    create_plan(&app, &staff, &[]).await;
    let s = sender(&app, &smtp.url());
    assert_eq!(
        s.drain(100).await.unwrap().sent,
        1,
        "the coordinator's only"
    );
    assert!(
        smtp.messages()
            .iter()
            .all(|m| m.rcpt_to != ["postmottak.nav.alna@example.org"])
    );
    let (_, page) = admin.get_text("/admin/utsendinger").await;
    assert!(
        page.contains("Avslutt pausen: NAV-kontor, Alna")
            && page.contains("Meldinger som venter: 1"),
        "{page}"
    );

    // Paused over two digest mornings: the first day's digest is dropped at the end of the
    // pause, today's goes with the assignment.
    for at in [
        datetime!(2026-03-17 09:00 UTC),
        datetime!(2026-03-18 09:00 UTC),
    ] {
        app.clock.set(at);
        app::server::notify::scan(&app.db, &app.clock, &with_digest())
            .await
            .unwrap();
        s.drain(100).await.unwrap();
    }
    let before = smtp.messages().len();
    // Two days on, the administrator signs in again.
    let admin = app.signed_in("admin").await;
    let res = admin.post_form("/api/unit_mail_resume", &unit).await;
    assert_eq!(location(&res), "/admin/utsendinger?ok=pause");
    assert_eq!(s.drain(100).await.unwrap().sent, 2);
    let subjects: Vec<String> = smtp.messages()[before..]
        .iter()
        .filter(|m| m.rcpt_to == ["postmottak.nav.alna@example.org"])
        .map(|m| m.subject())
        .collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(subjects.iter().any(|s| s.starts_with("Ny oppgave")));
    assert!(subjects.iter().any(|s| s.starts_with("Dagens oversikt")));
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE state = 'skipped'
             AND last_error = 'the day of the digest is over' AND service_kind = 'nav'"
        )
        .await,
        1
    );
    assert_eq!(s.drain(100).await.unwrap().handled(), 0, "nothing twice");
    let again = admin.post_form("/api/unit_mail_resume", &unit).await;
    assert_eq!(location(&again), "/admin/utsendinger?feil=E-NOT-FOUND");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action IN ('unit.mail_pause', 'unit.mail_resume')
             AND outcome = 'ok' AND object_type = 'unit'"
        )
        .await,
        2
    );
}

/// The feed's path in a page that shows it (after it was made).
fn feed_path_in(page: &str) -> Option<String> {
    let start = page.find("/kalender/")?;
    Some(page[start..start + "/kalender/".len() + 64 + ".ics".len()].to_owned())
}

/// Makes a new feed address for the caseworker's unit through the account page's form, and
/// reads it from the page that shows it once.
async fn make_feed(browser: &Browser) -> String {
    let res = browser.post_form("/api/calendar_feed_make", &[]).await;
    assert_eq!(location(&res), "/konto?ok=kalender#kalender");
    let (_, page) = browser.get_text("/konto?ok=kalender").await;
    let path = feed_path_in(&page).expect("the new address on the page");
    let (_, later) = browser.get_text("/konto").await;
    assert!(!later.contains(&path), "shown once");
    assert!(later.contains("Enheten har en kalenderlenke, laget"));
    path
}

#[tokio::test]
async fn a_units_calendar_feed_lists_its_deadlines_and_meetings_and_a_new_address_ends_the_old() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await;
    let (housing, _) = task_of(&app, stay, "housing_plan", None).await;
    let v = stay_version(&app, stay).await;
    let res = staff
        .call(
            "plan_exit_meeting",
            &[
                ("stay", &stay.to_string()),
                ("version", &v),
                ("starts_at", "2026-04-17T10:00"),
                ("invited[nav]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // Only a caseworker has a unit's feed.
    for who in ["krisesenter", "admin", "kontrollor"] {
        let b = app.signed_in(who).await;
        assert_eq!(
            b.call("calendar_feed_make", &[]).await.status(),
            403,
            "{who}"
        );
    }
    let nav = app.signed_in("nav.alna").await;
    let (_, page) = nav.get_text("/konto").await;
    assert!(page.contains("Enheten har ingen kalenderlenke."));
    let first = make_feed(&nav).await;
    let secret = first
        .trim_start_matches("/kalender/")
        .trim_end_matches(".ics");
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) FROM unit_calendar_feed WHERE token_hash = '{secret}'")
        )
        .await,
        0,
        "only the hash is stored"
    );

    let res = app.get(&first).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    assert_eq!(res.headers()["cache-control"], "no-store");
    let ics = res.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    assert!(
        ics.contains("SUMMARY:Frist: Plan for boligfremskaffelse"),
        "{ics}"
    );
    assert!(ics.contains("DTSTART;VALUE=DATE:20260330"), "{ics}");
    assert!(ics.contains(&format!("/oppgaver/{housing}")), "{ics}");
    assert!(ics.contains("SUMMARY:Møte (reetableringsportalen)"));
    assert!(
        ics.contains("DTSTART:20260417T080000Z"),
        "10:00 in Oslo: {ics}"
    );
    assert!(ics.contains("NAV-kontor, Alna"));
    // The coordinator's task is another unit's.
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2, "{ics}");

    // A new address ends the old one; turning the feed off ends the new one.
    let second = make_feed(&nav).await;
    assert_ne!(first, second);
    assert_eq!(app.get(&first).await.status(), 404);
    assert_eq!(app.get(&second).await.status(), 200);
    let res = nav.post_form("/api/calendar_feed_end", &[]).await;
    assert_eq!(location(&res), "/konto?ok=kalender#kalender");
    assert_eq!(app.get(&second).await.status(), 404);
    let again = nav.post_form("/api/calendar_feed_end", &[]).await;
    assert_eq!(location(&again), "/konto?feil=E-NOT-FOUND");
    for wrong in [
        "/kalender/abc.ics".to_owned(),
        format!("/kalender/{}.ics", "0".repeat(64)),
        format!("/kalender/{}.ics", "A".repeat(64)),
    ] {
        assert_eq!(app.get(&wrong).await.status(), 404, "{wrong}");
    }
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action = 'calendar_feed.create' AND outcome = 'ok'"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action = 'calendar_feed.revoke' AND outcome = 'ok'"
        )
        .await,
        1
    );
}
