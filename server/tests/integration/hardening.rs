//! Issue 10: what an outside probe of the running portal found, one test (or more) per finding.

use crate::plans::{create_plan, district_id, stay_version};
use crate::support::TestApp;
use crate::support::count;
use serde_json::Value;
use time::macros::datetime;

async fn resident_name(app: &TestApp, stay: i64) -> String {
    sqlx::query_scalar(
        "SELECT r.name FROM stay s JOIN resident r ON r.id = s.resident_id WHERE s.id = ?1",
    )
    .bind(stay)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

// Finding 1: linking stays merged any two people.
#[tokio::test]
async fn linking_a_stay_to_a_stay_the_match_rule_does_not_offer_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let frogner = district_id(&app, "frogner").await.to_string();
    let alna_stay = create_plan(&app, &staff, &[]).await;
    let stranger = create_plan(
        &app,
        &staff,
        &[
            ("name", "Ola Fremmed"),
            ("birth_year", "1975"),
            ("home", &frogner),
        ],
    )
    .await;
    let (residents, log) = (
        count(&app, "SELECT count(*) FROM resident").await,
        count(&app, "SELECT count(*) FROM access_log").await,
    );
    let v = stay_version(&app, alna_stay).await;
    let res = staff
        .call(
            "plan_link",
            &[
                ("stay", &alna_stay.to_string()),
                ("version", &v),
                ("other", &stranger.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["field"], "other");
    assert!(
        resident_name(&app, alna_stay)
            .await
            .starts_with("Kari Testesen")
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM resident").await,
        residents
    );
    assert_eq!(count(&app, "SELECT count(*) FROM resident_merge").await, 0);
    assert_eq!(
        count(&app, "SELECT count(*) FROM access_log").await,
        log,
        "a refused link writes no change row"
    );
    assert_eq!(
        stay_version(&app, alna_stay).await,
        v,
        "nothing half stored"
    );
}

#[tokio::test]
async fn a_link_is_a_merge_row_that_logs_both_stays_keeps_both_records_and_can_be_undone() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let frogner = district_id(&app, "frogner").await.to_string();
    let first = create_plan(
        &app,
        &staff,
        &[("arrival", "2026-01-05"), ("home", &frogner)],
    )
    .await;
    let name: String = sqlx::query_scalar(
        "SELECT r.name FROM resident r JOIN stay s ON s.resident_id = r.id WHERE s.id = ?1",
    )
    .bind(first)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let second = create_plan(
        &app,
        &staff,
        &[
            ("name", &name.to_lowercase()),
            ("duplicate_reason", "Ny sak"),
        ],
    )
    .await;
    let s = second.to_string();
    let v = stay_version(&app, second).await;
    let res = staff
        .call(
            "plan_link",
            &[("stay", &s), ("version", &v), ("other", &first.to_string())],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(
        count(&app, "SELECT count(*) FROM resident").await,
        2,
        "no resident record is deleted"
    );
    let (action, stays, object): (String, String, String) =
        sqlx::query_as("SELECT action, stays, object_id FROM access_log ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(action, "plan.link");
    assert_eq!(object, s);
    let mut logged: Vec<i64> = stays.split(',').map(|x| x.parse().unwrap()).collect();
    logged.sort();
    assert_eq!(logged, vec![first, second], "the row names both stays");

    let plan: Value = staff
        .call("plan", &[("stay", &s)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plan["returning"], true);
    let merge = plan["merges"][0]["merge"]
        .as_i64()
        .expect("the merge is shown");
    assert_eq!(plan["merges"][0]["stays"], serde_json::json!([second]));

    let v = stay_version(&app, second).await;
    let res = staff
        .call(
            "plan_unlink",
            &[("stay", &s), ("version", &v), ("merge", &merge.to_string())],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let plan: Value = staff
        .call("plan", &[("stay", &s)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plan["returning"], false);
    assert_eq!(plan["other_stays"], serde_json::json!([]));
    assert_eq!(plan["merges"], serde_json::json!([]));
    assert_eq!(resident_name(&app, second).await, name.to_lowercase());
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM resident_merge WHERE undone_at IS NOT NULL"
        )
        .await,
        1
    );
    // An undone merge is not undone twice.
    let v = stay_version(&app, second).await;
    let res = staff
        .call(
            "plan_unlink",
            &[("stay", &s), ("version", &v), ("merge", &merge.to_string())],
        )
        .await;
    assert_eq!(res.status(), 400);
}

// Finding 6: a caseworker saw the internal resident id.
#[tokio::test]
async fn a_caseworker_is_not_sent_the_internal_resident_id() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await;
    let nav = app.signed_in("nav.alna").await;
    let plan: Value = nav
        .call("plan", &[("stay", &stay.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert!(plan["name"].as_str().unwrap().starts_with("Kari Testesen"));
    assert!(plan.get("resident").is_none(), "{plan}");
    let tasks: Value = nav.call("tasks", &[]).await.json().await.unwrap();
    assert!(tasks.to_string().contains("Kari Testesen"));
    assert!(!tasks.to_string().contains("resident_id"), "{tasks}");
}

async fn last_log(app: &TestApp) -> (String, String, Option<String>, Option<String>) {
    sqlx::query_as(
        "SELECT action, outcome, object_id, stays FROM access_log ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

// Finding 5: the access log missed refused reads, the stays a list showed, a task read's stay.
#[tokio::test]
async fn refused_reads_lists_and_task_reads_name_what_they_touched_in_the_access_log() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let first = create_plan(&app, &staff, &[]).await;
    let second = create_plan(&app, &staff, &[("name", "Kari Annen")]).await;
    let frogner_nav = app.signed_in("nav.frogner").await;

    // Another district's plan, and an id that does not exist: the same 404, and a refused row.
    for stay in [first, 999_999] {
        let res = frogner_nav
            .call("plan", &[("stay", &stay.to_string())])
            .await;
        assert_eq!(res.status(), 404);
        let (action, outcome, object, _) = last_log(&app).await;
        assert_eq!(
            (action.as_str(), outcome.as_str(), object),
            ("plan.read", "refused", Some(stay.to_string()))
        );
    }
    let (task, _) = crate::plans::task_of(&app, first, "housing_plan", None).await;
    assert_eq!(
        frogner_nav.call("task", &[("task", &task)]).await.status(),
        404
    );
    let (action, outcome, object, _) = last_log(&app).await;
    assert_eq!(
        (action.as_str(), outcome.as_str(), object),
        ("task.read", "refused", Some(task.clone()))
    );

    // Lists name the stays they showed; a task read names its stay.
    assert_eq!(staff.call("plans", &[]).await.status(), 200);
    let (action, _, _, stays) = last_log(&app).await;
    assert_eq!(action, "plan.list");
    let mut shown: Vec<i64> = stays
        .unwrap()
        .split(',')
        .map(|s| s.parse().unwrap())
        .collect();
    shown.sort();
    // The demo data has plans of its own; ours are among those shown.
    assert!(
        shown.contains(&first) && shown.contains(&second),
        "{shown:?}"
    );

    let nav = app.signed_in("nav.alna").await;
    assert_eq!(nav.call("tasks", &[]).await.status(), 200);
    let (action, _, _, stays) = last_log(&app).await;
    assert_eq!(action, "task.list");
    let stays = stays.unwrap();
    assert!(stays.split(',').any(|s| s == first.to_string()), "{stays}");
    assert_eq!(nav.call("task", &[("task", &task)]).await.status(), 200);
    let (action, outcome, _, stays) = last_log(&app).await;
    assert_eq!(
        (action.as_str(), outcome.as_str(), stays),
        ("task.read", "ok", Some(first.to_string()))
    );

    // The administrator's log search by stay finds the list and task rows that name it.
    let admin = app.signed_in("admin").await;
    let (status, page) = admin
        .get_text(&format!("/admin/logg?object_type=stay&object_id={first}"))
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("task.read") && page.contains("plan.list"),
        "{page}"
    );
}

// Finding 8: text from the URL appeared in the error box.
#[tokio::test]
async fn the_error_box_names_only_fields_the_portal_knows_never_text_from_the_url() {
    let app = TestApp::spawn().await;
    let staff = app.signed_in("krisesenter").await;
    let (status, page) = staff
        .get_text("/planer/ny?feil=E-INVALID-INPUT&felt=Ring%2099887766%20straks")
        .await;
    assert_eq!(status, 200);
    let alert = page
        .split("role=\"alert\"")
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .expect("the error is still shown");
    assert!(
        !alert.contains("99887766"),
        "text from the URL is not shown: {alert}"
    );
    let (_, page) = staff
        .get_text("/planer/ny?feil=E-INVALID-INPUT&felt=birth_year")
        .await;
    assert!(page.contains("Fødselsår"), "a known field is named");
}

async fn intake_error(app: &TestApp, extra: &[(&str, &str)]) -> (u16, Value) {
    let staff = app.signed_in("krisesenter").await;
    let res = crate::plans::call_create_plan(app, &staff, extra).await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

// Finding 9: control, zero-width and bidi characters, the wrong field named, dates in 9999.
#[tokio::test]
async fn names_and_references_refuse_invisible_characters_and_each_field_is_named_rightly() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let stays = count(&app, "SELECT count(*) FROM stay").await;
    for (field, value) in [
        ("name", "\u{0}Kari"),
        ("name", "Kari\u{202E}nesetseT"),
        ("name", "\u{200B}\u{200B}"),
        ("case_reference", "ref\u{2066}1\u{2069}"),
        ("case_reference", "ref\u{1}"),
        ("language", "norsk\u{FEFF}"),
    ] {
        let (status, body) = intake_error(&app, &[(field, value)]).await;
        assert_eq!(
            (status, body["field"].as_str()),
            (400, Some(field)),
            "{value:?}"
        );
    }
    let (status, body) =
        intake_error(&app, &[("target", "999999"), ("target_reason", "threat")]).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("target")));
    let (status, body) = intake_error(&app, &[("home", "999999")]).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("home")));
    assert_eq!(
        count(&app, "SELECT count(*) FROM stay").await,
        stays,
        "nothing stored"
    );

    // A name typed with a combining ring is stored as one "å" (NFC).
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[("name", "Ha\u{030A}kon Testesen")]).await;
    assert_eq!(resident_name(&app, stay).await, "H\u{e5}kon Testesen");

    // A planned move-out or an exit meeting years ahead is a typing error.
    let s = stay.to_string();
    for (endpoint, field, form) in [
        (
            "plan_update",
            "planned_move_out",
            vec![("planned_move_out", "9999-03-16")],
        ),
        (
            "plan_exit_meeting",
            "starts_at",
            vec![("starts_at", "9999-03-16T10:00"), ("invited[nav]", "1")],
        ),
    ] {
        let v = stay_version(&app, stay).await;
        let mut form = form;
        form.push(("stay", &s));
        form.push(("version", &v));
        let res = staff.call(endpoint, &form).await;
        assert_eq!(res.status(), 400, "{endpoint}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["field"], field);
    }
    let v = stay_version(&app, stay).await;
    let res = staff
        .call(
            "plan_update",
            &[
                ("stay", &s),
                ("version", &v),
                ("planned_move_out", "2026-04-20"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "a date within the window is taken");
}

// Finding 9, the directory: names of people and services refuse control characters too.
#[tokio::test]
async fn a_contact_name_with_a_nul_or_a_bidi_override_is_refused() {
    let app = TestApp::spawn().await;
    let nav = app.signed_in("nav.alna").await;
    let service: i64 = crate::plans::service_id(&app, "alna", "nav").await;
    for name in ["\u{0}Nils", "Nils\u{202E}nesrevO"] {
        let res = nav
            .call(
                "contact_add",
                &[
                    ("service", &service.to_string()),
                    ("name", name),
                    ("role", "caseworker"),
                    ("email", "nils@example.org"),
                ],
            )
            .await;
        assert_eq!(res.status(), 400, "{name:?}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["field"], "name");
    }
}

/// A strong new password (zxcvbn score 4).
const NEW_PASSWORD: &str = "Blåbær-syltetøy på fjelltur 7";

async fn change_password(
    browser: &crate::support::Browser,
    current: &str,
    new: &str,
) -> (u16, Value) {
    let res = browser
        .call(
            "change_password",
            &[
                ("current_password", current),
                ("new_password", new),
                ("repeat_password", new),
            ],
        )
        .await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn log_rows(app: &TestApp, action: &str, outcome: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM access_log WHERE action = ?1 AND outcome = ?2")
        .bind(action)
        .bind(outcome)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

// Finding 2: the current password could be guessed through the password change.
#[tokio::test]
async fn the_current_password_cannot_be_guessed_through_the_password_change() {
    let app = TestApp::spawn().await;
    let nav = app.signed_in("nav.alna").await;
    for guess in [
        "gjett-nummer-001",
        "gjett-nummer-002",
        "gjett-nummer-003",
        "gjett-nummer-004",
    ] {
        let (status, body) = change_password(&nav, guess, NEW_PASSWORD).await;
        assert_eq!(
            (status, body["field"].as_str()),
            (400, Some("current_password"))
        );
    }
    assert_eq!(log_rows(&app, "user.change_password", "failed").await, 4);
    // Like the sign-in, the account now waits: even the right password is refused, and logged.
    let (status, body) =
        change_password(&nav, app::server::demo::DEMO_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("current_password"))
    );
    assert_eq!(log_rows(&app, "user.change_password", "refused").await, 1);
    // The failures count at the sign-in too: an unknown browser waits as well.
    let res = app
        .browser()
        .post_form(
            "/innlogging",
            &[
                ("email", &app::server::demo::demo_email("nav.alna")),
                ("password", app::server::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.headers()["location"], "/logg-inn?feil=1");
    app.clock.advance(time::Duration::seconds(3));
    let (status, _) = change_password(&nav, app::server::demo::DEMO_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(status, 200, "after the wait the right password is taken");
    assert_eq!(log_rows(&app, "user.change_password", "ok").await, 1);
}

/// The session cookie (`portal_session=...`) a response sets, if any.
fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers().get_all("set-cookie").iter().find_map(|v| {
        let v = v.to_str().ok()?;
        v.starts_with("portal_session=")
            .then(|| v.split(';').next().unwrap().to_owned())
    })
}

async fn status_with_cookie(app: &TestApp, cookie: &str, path: &str) -> u16 {
    app.http
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

// Finding 4: a password change kept the session id.
#[tokio::test]
async fn a_password_change_rotates_this_session_and_ends_every_other() {
    let app = TestApp::spawn().await;
    let sign_in = || async {
        let res = app
            .http
            .post(app.url("/innlogging"))
            .form(&[
                ("email", app::server::demo::demo_email("nav.alna").as_str()),
                ("password", app::server::demo::DEMO_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        session_cookie(&res).expect("signed in")
    };
    let (this, other) = (sign_in().await, sign_in().await);
    let res = app
        .http
        .post(app.url("/api/change_password"))
        .header("cookie", &this)
        .form(&[
            ("current_password", app::server::demo::DEMO_PASSWORD),
            ("new_password", NEW_PASSWORD),
            ("repeat_password", NEW_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let rotated = session_cookie(&res).expect("a new session id");
    assert_ne!(rotated, this);
    assert_eq!(status_with_cookie(&app, &rotated, "/oppgaver").await, 200);
    assert_eq!(
        status_with_cookie(&app, &this, "/oppgaver").await,
        303,
        "the old id is dead"
    );
    assert_eq!(
        status_with_cookie(&app, &other, "/oppgaver").await,
        303,
        "other sessions end"
    );
}

// Finding 10: the password rule was length only.
#[tokio::test]
async fn common_and_personal_passwords_are_refused_with_the_rule_explained() {
    let app = TestApp::spawn().await;
    let nav = app.signed_in("nav.alna").await;
    for weak in [
        "            ",
        "123456789012",
        "passwordpassword",
        "nav.alna@demo.example.org",
        "qwertyuiopåasdf",
    ] {
        let (status, body) = change_password(&nav, app::server::demo::DEMO_PASSWORD, weak).await;
        assert_eq!(
            (status, body["field"].as_str()),
            (400, Some("new_password")),
            "{weak:?}"
        );
    }
    assert_eq!(log_rows(&app, "user.change_password", "ok").await, 0);
    // Without JavaScript the form comes back with the rule in words.
    let res = nav
        .post_form(
            "/api/change_password",
            &[
                ("current_password", app::server::demo::DEMO_PASSWORD),
                ("new_password", "123456789012"),
                ("repeat_password", "123456789012"),
            ],
        )
        .await;
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(to, "/konto/passord?feil=E-INVALID-INPUT&felt=new_password");
    let (_, html) = nav.get_text(&to).await;
    assert!(html.contains("vanskelig å gjette"), "the rule is explained");

    // An administrator's temporary password is held to the same rule.
    let admin = app.signed_in("admin").await;
    let res = admin
        .call(
            "user_create",
            &[
                ("name", "Kari Nordmann"),
                ("email", "kari.nordmann@example.org"),
                ("role", "crisis_center"),
                ("password", "kari.nordmann@example.org"),
            ],
        )
        .await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["field"], "password");
}

// Finding 7: malformed input to a server function gave 500 and an ERROR line.
#[tokio::test]
async fn malformed_calls_answer_400_unsupported_bodies_415_and_unknown_functions_a_plain_404() {
    let app = TestApp::spawn().await;
    let anonymous = app.browser();
    let res = anonymous.call("task", &[("task", "x")]).await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "request");
    let nav = app.signed_in("nav.alna").await;
    for (endpoint, form) in [
        ("task", vec![("task", "x")]),
        ("task", vec![]),
        ("plan", vec![("stay", "99999999999999999999999")]),
    ] {
        let res = nav.call(endpoint, &form).await;
        assert_eq!(res.status(), 400, "{endpoint} {form:?}");
    }
    for content_type in [
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/xml",
    ] {
        let res = nav
            .http
            .post(nav.url("/api/tasks"))
            .header("content-type", content_type)
            .body("x=1")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 415, "{content_type}");
    }
    let res = nav
        .http
        .post(nav.url("/api/tasks"))
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "a form with its charset is a form");
    let res = anonymous.call("finnes_ikke", &[]).await;
    assert_eq!(res.status(), 404);
    let text = res.text().await.unwrap();
    assert!(!text.contains("server function"), "{text}");
}

// Finding 11: headers, file modes, the Host header, the test clock.
#[tokio::test]
async fn responses_carry_hsts_and_a_permissions_policy() {
    let app = TestApp::spawn().await;
    for path in ["/logg-inn", "/healthz", "/api/tasks"] {
        let res = app.get(path).await;
        let headers = res.headers();
        assert_eq!(
            headers["strict-transport-security"], "max-age=31536000; includeSubDomains",
            "{path}"
        );
        let policy = headers["permissions-policy"].to_str().unwrap();
        assert!(
            policy.contains("camera=()") && policy.contains("geolocation=()"),
            "{path}"
        );
    }
    let plain = TestApp::spawn_with(|c| c.secure_cookies = false).await;
    assert!(
        plain
            .get("/logg-inn")
            .await
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
}

#[tokio::test]
async fn the_database_and_its_wal_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let app = TestApp::spawn().await;
    // A write, so that the WAL exists.
    app.signed_in("nav.alna").await;
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", app.db_file.display());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{path}: {mode:o}");
    }
}

#[tokio::test]
async fn a_request_for_another_host_name_is_refused() {
    let app = TestApp::spawn().await;
    let port = app.base.rsplit(':').next().unwrap().to_owned();
    for (host, expected) in [
        (format!("127.0.0.1:{port}"), 200),
        (format!("localhost:{port}"), 200),
        (format!("rebound.attacker.example:{port}"), 421),
        ("rebound.attacker.example".to_owned(), 421),
    ] {
        let res = app
            .http
            .get(app.url("/logg-inn"))
            .header("host", &host)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), expected, "{host}");
    }
    let res = app
        .http
        .get(app.url("/healthz"))
        .header("host", "10.1.2.3")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        200,
        "load balancers probe the health check by address"
    );
    let named = TestApp::spawn_with(|c| c.hosts = vec!["portal.example.org".into()]).await;
    let res = named
        .http
        .get(named.url("/logg-inn"))
        .header("host", "portal.example.org")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        named.get("/logg-inn").await.status(),
        421,
        "the address is not a configured name"
    );
}

#[tokio::test]
async fn the_test_clock_takes_orders_from_an_administrator_only() {
    let app = TestApp::spawn_with(|c| c.test_clock = true).await;
    let before = app.clock.now();
    let set = |browser: crate::support::Browser| async move {
        browser
            .post_form("/test/klokke", &[("at", "2026-03-30T22:00:00Z")])
            .await
            .status()
            .as_u16()
    };
    assert_eq!(set(app.browser()).await, 303, "anonymous: to the sign-in");
    assert_eq!(set(app.signed_in("nav.alna").await).await, 403);
    assert_eq!(set(app.signed_in("krisesenter").await).await, 403);
    assert_eq!(app.clock.now(), before, "the clock did not move");
    assert_eq!(set(app.signed_in("admin").await).await, 204);
    assert_eq!(app.clock.now(), datetime!(2026-03-30 22:00 UTC));
}
