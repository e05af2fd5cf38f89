//! Notifications over a real SMTP conversation on 127.0.0.1 ([`crate::smtp`]): delivery, an
//! outage, two senders and a restart, the deadline scan across a DST night, the operators' view,
//! and the canary: no message carries a resident's name, case reference or a typed comment.

use crate::plans::{create_plan, task_of};
use crate::smtp::{Received, SmtpServer};
use crate::support::{TestApp, count};
use app::server::notify::{Mailer, NotifySettings, Sender};
use mail_parser::MimeHeaders;
use std::collections::HashSet;
use std::sync::Arc;
use time::macros::datetime;

/// The settings of the tests of task messages: no digests.
pub(crate) fn settings() -> NotifySettings {
    NotifySettings {
        due_soon_days: 3,
        escalate_after: 7,
        digest_at: None,
    }
}

/// The production settings: digests from 07:00 Oslo time.
pub(crate) fn with_digest() -> NotifySettings {
    NotifySettings {
        digest_at: Some((7, 0)),
        ..settings()
    }
}

pub(crate) fn mailer(url: &str) -> Arc<Mailer> {
    Arc::new(
        Mailer::new(
            Some(url),
            std::path::Path::new("unused"),
            "Reetableringsportalen <ikke-svar@portal.example>",
            "https://portal.example",
        )
        .unwrap(),
    )
}

pub(crate) fn sender(app: &TestApp, url: &str) -> Sender {
    Sender::new(app.db.clone(), mailer(url), app.clock.clone(), settings())
}

/// (kind, state, attempts, message_id) of every outbox row, in id order.
async fn rows(app: &TestApp) -> Vec<(String, String, i64, Option<String>)> {
    sqlx::query_as("SELECT kind, state, attempts, message_id FROM outbox ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

/// The Message-IDs the server received, each once (the test fails on a duplicate).
fn unique_ids(messages: &[Received]) -> HashSet<String> {
    let mut ids = HashSet::new();
    for m in messages {
        let id = m.message_id();
        assert!(ids.insert(id.clone()), "{id} delivered twice");
    }
    ids
}

/// The Message-IDs the outbox recorded as sent.
async fn sent_ids(app: &TestApp) -> HashSet<String> {
    sqlx::query_scalar::<_, String>("SELECT message_id FROM outbox WHERE state = 'sent'")
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

#[tokio::test]
async fn a_task_landing_in_an_inbox_is_mailed_to_the_units_shared_address_once() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await;
    let (housing, _) = task_of(&app, stay, "housing_plan", None).await;
    assert_eq!(
        rows(&app).await,
        vec![
            ("task_assigned".into(), "pending".into(), 0, None),
            ("task_assigned".into(), "pending".into(), 0, None),
        ],
        "queued with the plan, in its transaction"
    );

    let report = sender(&app, &smtp.url()).drain(100).await.unwrap();
    assert_eq!((report.sent, report.retried, report.failed), (2, 0, 0));
    let messages = smtp.messages();
    assert_eq!(messages.len(), 2);
    assert_eq!(unique_ids(&messages), sent_ids(&app).await);
    let nav = messages
        .iter()
        .find(|m| m.rcpt_to == ["postmottak.nav.alna@example.org"])
        .expect("NAV Alna's shared address");
    assert_eq!(
        nav.subject(),
        "Ny oppgave: Plan for boligfremskaffelse (frist 30.03.2026)"
    );
    let link = format!("https://portal.example/oppgaver/{housing}");
    assert!(nav.text().contains(&link), "{}", nav.text());
    assert!(nav.text().contains("NAV-kontor, Alna"));
    assert!(
        nav.html().contains(&format!("href=\"{link}\"")),
        "{}",
        nav.html()
    );
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.rcpt_to.len() == 1
                && m.rcpt_to[0].starts_with("postmottak.")
                && m.rcpt_to[0].ends_with(".alna@example.org"))
            .count(),
        2,
        "the coordinator's task goes to its own unit's address"
    );
    assert_eq!(
        sender(&app, &smtp.url())
            .drain(100)
            .await
            .unwrap()
            .handled(),
        0,
        "nothing twice"
    );
    assert_eq!(smtp.messages().len(), 2);
}

#[tokio::test]
async fn with_the_mail_server_down_changes_commit_and_every_message_goes_once_when_it_is_up() {
    let port = SmtpServer::free_port().await;
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    for _ in 0..3 {
        create_plan(&app, &staff, &[]).await;
    }
    assert_eq!(
        count(&app, "SELECT count(*) FROM stay").await,
        3,
        "committed"
    );
    let url = format!("smtp://{port}");
    let s = sender(&app, &url);
    let down = s.drain(100).await.unwrap();
    assert_eq!((down.sent, down.retried), (0, 6));
    let errors: Vec<(String, i64)> =
        sqlx::query_as("SELECT last_error, attempts FROM outbox WHERE state = 'pending'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(errors.len(), 6);
    assert!(
        errors
            .iter()
            .all(|(e, n)| e == "the mail server could not be reached" && *n == 1),
        "{errors:?}"
    );
    assert_eq!(
        s.drain(100).await.unwrap().handled(),
        0,
        "not due again yet"
    );

    // Still down at the second try; up before the third.
    app.clock.advance(time::Duration::seconds(31));
    assert_eq!(s.drain(100).await.unwrap().retried, 6);
    let smtp = SmtpServer::start_on(port).await;
    app.clock.advance(time::Duration::seconds(59));
    assert_eq!(
        s.drain(100).await.unwrap().handled(),
        0,
        "the backoff doubled"
    );
    app.clock.advance(time::Duration::seconds(2));
    let up = s.drain(100).await.unwrap();
    assert_eq!((up.sent, up.retried, up.failed), (6, 0, 0));
    let messages = smtp.messages();
    assert_eq!(messages.len(), 6, "each message once");
    assert_eq!(unique_ids(&messages), sent_ids(&app).await);
    assert!(rows(&app).await.iter().all(|r| r.1 == "sent" && r.2 == 3));
    app.clock.advance(time::Duration::hours(2));
    assert_eq!(s.drain(100).await.unwrap().handled(), 0);
    assert_eq!(smtp.messages().len(), 6);
}

#[tokio::test]
async fn two_senders_on_one_database_and_a_sender_that_died_mid_batch_send_each_message_once() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    for _ in 0..10 {
        create_plan(&app, &staff, &[]).await;
    }
    assert_eq!(count(&app, "SELECT count(*) FROM outbox").await, 20);

    // A sender sends three and stops (a restart): the rest are the next sender's.
    let first = sender(&app, &smtp.url());
    assert_eq!(first.send_due(3).await.unwrap().sent, 3);
    // A sender that claimed four rows and died before sending them.
    {
        let now = app.clock.now();
        let mut tx = app.db.begin_write().await.unwrap();
        let claimed = app::server::repo::outbox::claim_due(
            &mut tx,
            now,
            now + app::server::notify::CLAIM,
            "dead-sender",
            4,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(claimed.len(), 4);
    }
    // Two processes on the same file: a second Db with its own writer and pool.
    let url = format!("sqlite://{}", app.db_file.display());
    let other_db = app::server::db::Db::connect(&url).await.unwrap();
    let a = sender(&app, &smtp.url());
    let b = Sender::new(
        other_db.clone(),
        mailer(&smtp.url()),
        app.clock.clone(),
        settings(),
    );
    let (ra, rb) = tokio::join!(a.drain(100), b.drain(100));
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.sent + rb.sent, 13, "every unclaimed row, by one of them");
    assert_eq!(smtp.messages().len(), 16);

    // The dead sender's claim runs out; then its rows go, once.
    app.clock.advance(time::Duration::minutes(9));
    assert_eq!(b.drain(100).await.unwrap().handled(), 0, "still claimed");
    app.clock.advance(time::Duration::minutes(2));
    assert_eq!(a.drain(100).await.unwrap().sent, 4);
    let messages = smtp.messages();
    assert_eq!(messages.len(), 20);
    assert_eq!(unique_ids(&messages), sent_ids(&app).await);
    assert_eq!(
        count(&app, "SELECT count(*) FROM outbox WHERE state = 'sent'").await,
        20
    );
    other_db.close().await;
}

#[tokio::test]
async fn a_task_turning_overdue_unseen_gets_its_message_and_after_the_delay_the_leaders_once_each_across_the_dst_night()
 {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn().await;
    // Arrival 15 March: the housing plan is due 29 March, the night summer time begins.
    app.clock.set(datetime!(2026-03-15 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    create_plan(&app, &staff, &[("arrival", "2026-03-15")]).await;
    let s = sender(&app, &smtp.url());
    assert_eq!(s.drain(100).await.unwrap().sent, 2, "the two assignments");
    let scan = |app: &TestApp| {
        let (db, clock) = (app.db.clone(), app.clock.clone());
        async move {
            app::server::notify::scan(&db, &clock, &settings())
                .await
                .unwrap()
        }
    };

    // 26 March, 10:00 in Oslo: due within three days.
    app.clock.set(datetime!(2026-03-26 09:00 UTC));
    let c = scan(&app).await;
    assert_eq!((c.due_soon, c.overdue, c.escalated), (1, 0, 0));
    assert_eq!(scan(&app).await.due_soon, 0, "queued once");
    assert_eq!(s.drain(100).await.unwrap().sent, 1);
    let soon = smtp.messages().pop().unwrap();
    assert_eq!(
        soon.subject(),
        "Frist snart: Plan for boligfremskaffelse (frist 29.03.2026)"
    );
    // 29 March, 23:59 in Oslo (UTC+2 since 02:00 that night): not overdue yet.
    app.clock.set(datetime!(2026-03-29 21:59 UTC));
    let c = scan(&app).await;
    assert_eq!((c.overdue, c.deviations), (0, 0));
    // 30 March, 00:00 in Oslo: overdue, and the binding step's deviation is opened.
    app.clock.set(datetime!(2026-03-29 22:00 UTC));
    let c = scan(&app).await;
    assert_eq!((c.overdue, c.deviations), (1, 1));
    assert_eq!(scan(&app).await.overdue, 0, "queued once");
    assert_eq!(
        s.drain(100).await.unwrap().sent,
        2,
        "the overdue message and the deviation's message to the leaders"
    );
    let messages = smtp.messages();
    let overdue = messages
        .iter()
        .find(|m| m.subject().starts_with("Fristen er passert"))
        .expect("the overdue message");
    assert_eq!(overdue.rcpt_to, ["postmottak.nav.alna@example.org"]);
    assert_eq!(
        overdue.subject(),
        "Fristen er passert: Plan for boligfremskaffelse (frist 29.03.2026)"
    );

    // Seven days overdue: 5 April in Oslo.
    app.clock.set(datetime!(2026-04-04 21:59 UTC));
    assert_eq!(scan(&app).await.escalated, 0);
    app.clock.set(datetime!(2026-04-04 22:00 UTC));
    assert_eq!(scan(&app).await.escalated, 1);
    assert_eq!(scan(&app).await, Default::default(), "nothing twice");
    assert_eq!(s.drain(100).await.unwrap().sent, 1);
    let escalated = smtp.messages().pop().unwrap();
    let leaders: Vec<String> = sqlx::query_scalar(
        "SELECT c.email FROM contact c JOIN service s ON s.id = c.service_id
         JOIN district d ON d.id = s.district_id
         WHERE d.slug = 'alna' AND s.kind = 'nav' AND c.role = 'leader'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(!leaders.is_empty());
    assert_eq!(escalated.rcpt_to, leaders);
    assert_eq!(
        escalated.subject(),
        "Forfalt i 7 dager: Plan for boligfremskaffelse (NAV-kontor, Alna)"
    );
    assert_eq!(smtp.messages().len(), 6);
}

/// An SMTP server, a portal whose NAV Alna has no shared address in the directory, a plan for a
/// resident of Alna (NAV's housing plan and the coordinator's individual plan queued), and a
/// sender.
async fn plan_for_a_unit_without_an_address() -> (SmtpServer, TestApp, Sender) {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    sqlx::query(
        "UPDATE service SET email = NULL WHERE kind = 'nav'
         AND district_id = (SELECT id FROM district WHERE slug = 'alna')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let staff = app.signed_in("krisesenter").await;
    create_plan(&app, &staff, &[]).await;
    let s = sender(&app, &smtp.url());
    (smtp, app, s)
}

#[tokio::test]
async fn messages_for_a_unit_without_an_address_fail_visibly_and_a_retried_row_goes_once() {
    let (smtp, app, s) = plan_for_a_unit_without_an_address().await;
    let r = s.drain(100).await.unwrap();
    assert_eq!((r.sent, r.failed), (1, 1));
    let report = server::outbox::report(&app.db, 20, false).await.unwrap();
    assert!(
        report.starts_with("Outbox: pending 0 failed 1 sent 1 skipped 0"),
        "{report}"
    );
    assert!(report.contains("the unit has no shared e-mail address in the directory"));
    let json: serde_json::Value =
        serde_json::from_str(&server::outbox::report(&app.db, 20, true).await.unwrap()).unwrap();
    assert_eq!(json["counts"]["failed"], 1);
    assert_eq!(json["rows"][0]["state"], "failed");
    assert_eq!(json["rows"][0]["district"], "alna");

    sqlx::query("UPDATE service SET email = 'nav.alna@example.org' WHERE email IS NULL")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        server::outbox::retry_failed(&app.db, app.clock.now())
            .await
            .unwrap(),
        1
    );
    assert_eq!(s.drain(100).await.unwrap().sent, 1);
    assert_eq!(s.drain(100).await.unwrap().handled(), 0);
    let to: Vec<Vec<String>> = smtp.messages().into_iter().map(|m| m.rcpt_to).collect();
    assert_eq!(
        to.iter()
            .filter(|t| *t == &["nav.alna@example.org"])
            .count(),
        1,
        "{to:?}"
    );
}

#[tokio::test]
async fn no_message_of_any_kind_nor_the_calendar_feed_carries_the_residents_name_case_reference_or_a_typed_comment()
 {
    const NAME: &str = "Kanarifugl Sangersen";
    const REFERENCE: &str = "KANARI-REF-7781";
    const COMMENT: &str = "kanari-kommentar-hemmelig";
    const NOTE: &str = "kanari-avviksnotat-hemmelig";
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(
        &app,
        &staff,
        &[
            ("name", NAME),
            ("case_reference", REFERENCE),
            ("birth_year", "1957"),
        ],
    )
    .await;
    // NAV Alna claims the housing plan with a comment: its messages now go to the caseworker.
    let nav = app.signed_in("nav.alna").await;
    let (task, version) = task_of(&app, stay, "housing_plan", None).await;
    let res = nav
        .call(
            "task_update",
            &[
                ("task", &task),
                ("version", &version),
                ("change", "claim"),
                ("comment", COMMENT),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // And reports a deviation on it, with a free text: its leaders are told, without the text.
    let res = nav
        .call("deviation_open", &[("task", &task), ("note", NOTE)])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let v = crate::plans::stay_version(&app, stay).await;
    let res = staff
        .call(
            "plan_exit_meeting",
            &[
                ("stay", &stay.to_string()),
                ("version", &v),
                ("starts_at", "2026-04-17T10:00"),
                ("invited[nav]", "1"),
                ("invited[child_welfare]", "1"),
                ("invited[violence_coordinator]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let settings = with_digest();
    let s = Sender::new(
        app.db.clone(),
        mailer(&smtp.url()),
        app.clock.clone(),
        settings.clone(),
    );
    // Every kind of message the scan makes: due soon, overdue, escalated, the digest.
    for at in [
        datetime!(2026-03-28 09:00 UTC),
        datetime!(2026-03-31 09:00 UTC),
        datetime!(2026-04-07 09:00 UTC),
    ] {
        app.clock.set(at);
        app::server::notify::scan(&app.db, &app.clock, &settings)
            .await
            .unwrap();
        s.drain(100).await.unwrap();
    }
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT kind FROM outbox WHERE state = 'sent' ORDER BY kind")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        kinds,
        [
            "deviation_opened",
            "exit_meeting_invitation",
            "task_assigned",
            "task_due_soon",
            "task_escalated",
            "task_overdue",
            "unit_digest"
        ],
        "every kind of message"
    );
    let messages = smtp.messages();
    assert!(messages.len() >= 5);
    let caseworker = app::server::demo::demo_email("nav.alna");
    assert!(
        messages.iter().any(|m| m.rcpt_to == [caseworker.clone()]),
        "the claimed task's messages go to its caseworker"
    );
    for m in &messages {
        let all = m.everything().to_lowercase();
        for secret in [
            NAME,
            "Kanarifugl",
            "Sangersen",
            REFERENCE,
            COMMENT,
            NOTE,
            "1957",
        ] {
            assert!(
                !all.contains(&secret.to_lowercase()),
                "{secret:?} in a message: {}",
                m.subject()
            );
        }
    }
    // Nor does the unit's calendar feed, with the task and the meeting in it.
    let nav = app.signed_in("nav.alna").await;
    let res = nav.call("calendar_feed_make", &[]).await;
    assert_eq!(res.status(), 200);
    let url: String = res.json().await.unwrap();
    let path = &url[url.find("/kalender/").expect("a feed address")..];
    let ics = app.get(path).await.text().await.unwrap();
    assert!(
        ics.contains("SUMMARY:Frist: Plan for boligfremskaffelse"),
        "{ics}"
    );
    assert!(
        ics.contains("SUMMARY:Møte (reetableringsportalen)"),
        "{ics}"
    );
    for secret in [
        NAME,
        "Kanarifugl",
        "Sangersen",
        REFERENCE,
        COMMENT,
        NOTE,
        "1957",
    ] {
        assert!(
            !ics.to_lowercase().contains(&secret.to_lowercase()),
            "{secret:?} in the calendar feed"
        );
    }
    // The outbox rows themselves hold no personal data either.
    let stored: String = sqlx::query_scalar(
        "SELECT group_concat(key || coalesce(last_error, '') || coalesce(message_id, ''), ' ')
         FROM outbox",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(!stored.contains("Kanari") && !stored.contains(REFERENCE));
}

#[tokio::test]
async fn each_unit_gets_one_digest_a_day_from_seven_in_oslo_across_the_dst_night() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    create_plan(&app, &staff, &[]).await;
    // A caseworker of NAV Alna who takes the digest only.
    sqlx::query("UPDATE app_user SET notify = 'digest', language = 'en' WHERE email = ?1")
        .bind(app::server::demo::demo_email("nav.alna"))
        .execute(&app.pool)
        .await
        .unwrap();
    let s = Sender::new(
        app.db.clone(),
        mailer(&smtp.url()),
        app.clock.clone(),
        with_digest(),
    );
    s.drain(100).await.unwrap();
    let scan = |at| {
        app.clock.set(at);
        let (db, clock) = (app.db.clone(), app.clock.clone());
        async move {
            app::server::notify::scan(&db, &clock, &with_digest())
                .await
                .unwrap()
                .digests
        }
    };
    // 28 March (winter time, UTC+1): 06:59 and 07:00 in Oslo.
    assert_eq!(scan(datetime!(2026-03-28 05:59 UTC)).await, 0);
    assert_eq!(
        scan(datetime!(2026-03-28 06:00 UTC)).await,
        3,
        "NAV Alna, the coordinator of Alna, and the caseworker's own copy"
    );
    assert_eq!(scan(datetime!(2026-03-28 18:00 UTC)).await, 0, "once a day");
    assert_eq!(
        s.drain(100).await.unwrap().sent,
        4,
        "three digests and the housing plan's due-soon message"
    );
    // 29 March, the night summer time begins (UTC+2): 07:00 in Oslo is 05:00 UTC.
    assert_eq!(scan(datetime!(2026-03-29 04:59 UTC)).await, 0);
    assert_eq!(scan(datetime!(2026-03-29 05:00 UTC)).await, 3);
    assert_eq!(scan(datetime!(2026-03-29 05:01 UTC)).await, 0);
    assert_eq!(s.drain(100).await.unwrap().sent, 3);

    let messages = smtp.messages();
    let digests: Vec<&Received> = messages
        .iter()
        .filter(|m| m.subject().contains("overview") || m.subject().contains("oversikt"))
        .collect();
    assert_eq!(digests.len(), 6);
    let nav = digests
        .iter()
        .find(|m| m.rcpt_to == ["postmottak.nav.alna@example.org"])
        .unwrap();
    assert_eq!(
        nav.subject(),
        "Dagens oversikt for NAV-kontor, Alna: 0 forfalt, 1 med frist snart"
    );
    assert!(
        nav.text()
            .contains("- 30.03.2026: Plan for boligfremskaffelse"),
        "{}",
        nav.text()
    );
    let own = digests
        .iter()
        .find(|m| m.rcpt_to == [app::server::demo::demo_email("nav.alna")])
        .expect("the caseworker's copy");
    assert!(
        own.subject()
            .starts_with("Today's overview for NAV office, Alna"),
        "{}",
        own.subject()
    );
}

#[tokio::test]
async fn an_exit_meeting_invites_each_invited_unit_with_a_calendar_entry_and_a_moved_meeting_again()
{
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-04-01 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await.to_string();
    let s = sender(&app, &smtp.url());
    s.drain(100).await.unwrap();
    let before = smtp.messages().len();
    let app = &app;
    let plan = |at: &'static str| {
        let (staff, stay) = (&staff, stay.clone());
        async move {
            let v = crate::plans::stay_version(app, stay.parse().unwrap()).await;
            let res = staff
                .call(
                    "plan_exit_meeting",
                    &[
                        ("stay", &stay),
                        ("version", &v),
                        ("starts_at", at),
                        ("invited[nav]", "1"),
                        ("invited[violence_coordinator]", "1"),
                    ],
                )
                .await;
            assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        }
    };
    plan("2026-04-17T10:00").await;
    assert_eq!(
        s.drain(100).await.unwrap().sent,
        2,
        "NAV and the coordinator"
    );
    let messages = smtp.messages();
    let invitation = messages[before..]
        .iter()
        .find(|m| m.rcpt_to == ["postmottak.nav.alna@example.org"])
        .unwrap();
    assert_eq!(
        invitation.subject(),
        "Invitasjon: avsluttende møte 17.04.2026 kl. 10:00"
    );
    let parsed = invitation.parsed();
    let ics = parsed
        .attachments()
        .find(|a| a.attachment_name() == Some("invitasjon.ics"))
        .expect("the calendar entry");
    let ics = String::from_utf8_lossy(ics.contents()).into_owned();
    assert!(
        ics.contains("DTSTART:20260417T080000Z"),
        "10:00 in Oslo, summer time: {ics}"
    );
    assert!(ics.contains(&format!("UID:exit-meeting-{stay}@portal.example")));
    assert!(ics.contains("SUMMARY:Møte (reetableringsportalen)"));

    // Planned again at the same time: nothing new. Moved: a new invitation, same UID.
    plan("2026-04-17T10:00").await;
    assert_eq!(s.drain(100).await.unwrap().handled(), 0);
    plan("2026-04-17T13:00").await;
    assert_eq!(s.drain(100).await.unwrap().sent, 2);
    let moved = smtp.messages().pop().unwrap();
    assert!(moved.subject().ends_with("13:00"), "{}", moved.subject());
}

#[tokio::test]
async fn an_administrator_sees_a_failed_message_on_the_outbox_page_and_retries_it_once() {
    let (smtp, app, s) = plan_for_a_unit_without_an_address().await;
    assert_eq!(s.drain(100).await.unwrap().failed, 1);
    let failed: i64 = sqlx::query_scalar("SELECT id FROM outbox WHERE state = 'failed'")
        .fetch_one(&app.pool)
        .await
        .unwrap();

    let admin = app.signed_in("admin").await;
    let (status, page) = admin.get_text("/admin/utsendinger").await;
    assert_eq!(status, 200);
    assert!(page.contains("Feilet") && page.contains("the unit has no shared e-mail address"));
    assert!(
        page.contains(&format!("Prøv igjen ({failed})")),
        "a retry button per failed row"
    );
    assert!(!page.contains("Kari Testesen"), "no personal data");

    sqlx::query("UPDATE service SET email = 'nav.alna@example.org' WHERE email IS NULL")
        .execute(&app.pool)
        .await
        .unwrap();
    let res = admin
        .post_form("/api/outbox_retry", &[("id", &failed.to_string())])
        .await;
    assert_eq!(res.status(), 302);
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        "/admin/utsendinger?ok=igjen"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action = 'outbox.retry' AND outcome = 'ok'"
        )
        .await,
        1
    );
    assert_eq!(s.drain(100).await.unwrap().sent, 1);
    assert_eq!(s.drain(100).await.unwrap().handled(), 0);
    let again = admin
        .post_form("/api/outbox_retry", &[("id", &failed.to_string())])
        .await;
    assert_eq!(
        again.headers()["location"].to_str().unwrap(),
        "/admin/utsendinger?feil=E-NOT-FOUND",
        "a sent row is not sent again"
    );
    assert_eq!(
        smtp.messages()
            .iter()
            .filter(|m| m.rcpt_to == ["nav.alna@example.org"])
            .count(),
        1
    );
}
