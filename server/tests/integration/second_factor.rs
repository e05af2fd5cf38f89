//! The second factor (TOTP): required set-up for administrators and crisis center staff when the
//! operator requires it, the code at sign-in, replay refusal, reset by an administrator.

use crate::support::{Browser, TestApp};
use app::server::demo::{DEMO_PASSWORD, demo_email};
use app::server::totp;

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

async fn password_step(app: &TestApp, local: &str) -> (Browser, String) {
    let browser = app.browser();
    let res = browser
        .post_form(
            "/innlogging",
            &[
                ("email", &demo_email(local)),
                ("password", DEMO_PASSWORD),
                ("next", "/bydeler"),
            ],
        )
        .await;
    let to = location(&res);
    (browser, to)
}

async fn completed_sign_ins(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM access_log WHERE action = 'sign_in' AND outcome = 'ok'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

/// The secret the set-up page shows `browser`.
async fn setup_secret(browser: &Browser) -> String {
    let (status, html) = browser.get_text("/konto/engangskode").await;
    assert_eq!(status, 200);
    assert!(html.contains("<svg"), "the QR code is inline SVG");
    html.split(r#"<code class="secret">"#)
        .nth(1)
        .and_then(|r| r.split('<').next())
        .expect("the secret as text")
        .to_owned()
}

/// Sets up the second factor in `browser`'s session (the first one: no current code); returns
/// the secret.
async fn enrol(app: &TestApp, browser: &Browser) -> String {
    let secret = setup_secret(browser).await;
    let wrong = browser
        .post_form(
            "/api/second_factor_enrol",
            &[("code", "000000"), ("current_password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(
        location(&wrong),
        "/konto/engangskode?feil=E-INVALID-INPUT&felt=code"
    );
    let code = totp::code_at(&secret, app.clock.unix()).unwrap();
    let res = browser
        .post_form(
            "/api/second_factor_enrol",
            &[("code", &code), ("current_password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(location(&res), "/?engangskode=ok");
    secret
}

#[tokio::test]
async fn an_administrator_must_set_up_a_second_factor_and_then_give_a_code_at_every_sign_in() {
    let app = TestApp::spawn_with(|c| c.require_second_factor = true).await;
    let (admin, to) = password_step(&app, "admin").await;
    assert_eq!(to, "/bydeler", "no factor yet: signed in, but ...");
    let res = admin.get("/bydeler").await;
    assert_eq!(
        location(&res),
        "/konto/engangskode",
        "... the set-up comes first"
    );
    assert_eq!(admin.call("users", &[]).await.status(), 401);
    let secret = enrol(&app, &admin).await;
    assert_eq!(admin.get("/admin/brukere").await.status(), 200);

    // The next sign-in asks for the code; nothing else is reachable before it.
    app.clock.advance(time::Duration::seconds(90));
    let before = completed_sign_ins(&app).await;
    let (browser, to) = password_step(&app, "admin").await;
    assert_eq!(to, "/logg-inn/kode?neste=/bydeler");
    assert_eq!(location(&browser.get("/bydeler").await), "/logg-inn/kode");
    assert_eq!(browser.call("users", &[]).await.status(), 401);
    let (status, html) = browser.get_text("/logg-inn/kode").await;
    assert_eq!(status, 200);
    assert!(html.contains("autocomplete=\"one-time-code\""));
    assert_eq!(completed_sign_ins(&app).await, before, "not complete yet");

    let res = browser
        .post_form(
            "/innlogging/kode",
            &[("code", "123456"), ("next", "/bydeler")],
        )
        .await;
    assert_eq!(location(&res), "/logg-inn/kode?feil=1&neste=/bydeler");
    let code = totp::code_at(&secret, app.clock.unix()).unwrap();
    let res = browser
        .post_form("/innlogging/kode", &[("code", &code), ("next", "/bydeler")])
        .await;
    assert_eq!(location(&res), "/bydeler");
    assert_eq!(browser.get("/admin/brukere").await.status(), 200);
    assert_eq!(
        completed_sign_ins(&app).await,
        before + 1,
        "exactly one row"
    );

    // A password-only session waits five minutes for its code, no longer.
    let (late, _) = password_step(&app, "admin").await;
    app.clock.advance(time::Duration::minutes(5));
    let res = late.get("/logg-inn/kode").await;
    assert_eq!(
        location(&res),
        "/logg-inn?neste=/logg-inn/kode",
        "the half sign-in ended"
    );
    let late_code = totp::code_at(&secret, app.clock.unix()).unwrap();
    let res = late
        .post_form("/innlogging/kode", &[("code", &late_code), ("next", "/")])
        .await;
    assert_eq!(location(&res), "/logg-inn");

    // The same code cannot be used again.
    let (replay, _) = password_step(&app, "admin").await;
    let res = replay
        .post_form("/innlogging/kode", &[("code", &code), ("next", "/")])
        .await;
    assert!(
        location(&res).contains("feil=1"),
        "a replayed code is refused"
    );
}

#[tokio::test]
async fn a_reset_second_factor_must_be_set_up_again_and_caseworkers_may_go_without() {
    let app = TestApp::spawn_with(|c| c.require_second_factor = true).await;
    let (staff, _) = password_step(&app, "krisesenter").await;
    enrol(&app, &staff).await;

    let (admin, _) = password_step(&app, "admin").await;
    enrol(&app, &admin).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM app_user WHERE email = ?1")
        .bind(demo_email("krisesenter"))
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let res = admin
        .post_form("/api/user_reset_second_factor", &[("id", &id.to_string())])
        .await;
    assert_eq!(
        location(&res),
        format!("/admin/brukere/{id}?ok=engangskode")
    );
    assert_eq!(
        staff.get("/").await.status(),
        303,
        "the reset ends their sessions"
    );
    let (again, to) = password_step(&app, "krisesenter").await;
    assert_eq!(to, "/bydeler", "no code asked: there is no factor now");
    assert_eq!(location(&again.get("/").await), "/konto/engangskode");

    // A caseworker's role does not require a factor; they may set one up.
    let (nav, to) = password_step(&app, "nav.alna").await;
    assert_eq!(to, "/bydeler");
    assert_eq!(nav.get("/bydeler").await.status(), 200);
    enrol(&app, &nav).await;
    let (_, to) = password_step(&app, "nav.alna").await;
    assert!(to.starts_with("/logg-inn/kode"), "{to}");
}

#[tokio::test]
async fn the_sign_in_page_says_when_the_second_factor_is_off() {
    let off = TestApp::spawn().await;
    let (_, html) = off.get_text("/logg-inn").await;
    assert!(html.contains("Engangskode ved innlogging er slått av"));
    let on = TestApp::spawn_with(|c| c.require_second_factor = true).await;
    let (_, html) = on.get_text("/logg-inn").await;
    assert!(!html.contains("Engangskode ved innlogging er slått av"));
}

async fn enrolments(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM access_log WHERE action = 'user.enrol_second_factor' AND outcome = 'ok'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn setting_up_a_factor_needs_the_password_and_replacing_one_the_current_code_too() {
    let app = TestApp::spawn().await;
    let nav = app.signed_in("nav.alna").await;
    let secret = setup_secret(&nav).await;
    let code = totp::code_at(&secret, app.clock.unix()).unwrap();
    for (password, field) in [
        ("", "current_password"),
        ("demo-passord-2025", "current_password"),
    ] {
        let res = nav
            .post_form(
                "/api/second_factor_enrol",
                &[("code", &code), ("current_password", password)],
            )
            .await;
        assert_eq!(
            location(&res),
            format!("/konto/engangskode?feil=E-INVALID-INPUT&felt={field}")
        );
    }
    let failed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM access_log WHERE action = 'user.enrol_second_factor' AND outcome = 'failed'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(failed, 2, "a wrong password counts like a failed sign-in");
    assert_eq!(enrolments(&app).await, 0, "nothing stored");
    let first = enrol(&app, &nav).await;

    // Replacing it: a new secret, and the code of the app in use now is asked for.
    app.clock.advance(time::Duration::seconds(60));
    let second = setup_secret(&nav).await;
    assert_ne!(first, second);
    let code = totp::code_at(&second, app.clock.unix()).unwrap();
    let res = nav
        .post_form(
            "/api/second_factor_enrol",
            &[
                ("code", &code),
                ("current_password", DEMO_PASSWORD),
                ("current_code", "000000"),
            ],
        )
        .await;
    assert_eq!(
        location(&res),
        "/konto/engangskode?feil=E-INVALID-INPUT&felt=current_code"
    );
    let current = totp::code_at(&first, app.clock.unix()).unwrap();
    let res = nav
        .post_form(
            "/api/second_factor_enrol",
            &[
                ("code", &code),
                ("current_password", DEMO_PASSWORD),
                ("current_code", &current),
            ],
        )
        .await;
    assert_eq!(location(&res), "/?engangskode=ok");
    let stored: Option<String> =
        sqlx::query_scalar("SELECT totp_secret FROM app_user WHERE email = ?1")
            .bind(demo_email("nav.alna"))
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored.as_deref(), Some(second.as_str()));
}

/// The `portal_session=...` pair a browser's cookie jar would send.
fn session_of(res: &reqwest::Response) -> Option<String> {
    res.headers().get_all("set-cookie").iter().find_map(|v| {
        let v = v.to_str().ok()?;
        v.starts_with("portal_session=")
            .then(|| v.split(';').next().unwrap().to_owned())
    })
}

#[tokio::test]
async fn a_new_factor_ends_every_other_session_even_one_that_never_gave_its_code_and_rotates_this_one()
 {
    let app = TestApp::spawn().await;
    let laptop = app.signed_in("nav.alna").await;
    let secret = enrol(&app, &laptop).await;

    // Elsewhere: a full session (password and code), and one that only gave the password.
    app.clock.advance(time::Duration::seconds(60));
    let (phone, _) = password_step(&app, "nav.alna").await;
    let code = totp::code_at(&secret, app.clock.unix()).unwrap();
    let res = phone
        .post_form("/innlogging/kode", &[("code", &code), ("next", "/")])
        .await;
    assert_eq!(location(&res), "/");
    let (half, to) = password_step(&app, "nav.alna").await;
    assert!(to.starts_with("/logg-inn/kode"));
    assert_eq!(phone.get("/oppgaver").await.status(), 200);

    // The laptop replaces the factor.
    app.clock.advance(time::Duration::seconds(60));
    let new_secret = setup_secret(&laptop).await;
    let res = laptop
        .post_form(
            "/api/second_factor_enrol",
            &[
                (
                    "code",
                    &totp::code_at(&new_secret, app.clock.unix()).unwrap(),
                ),
                ("current_password", DEMO_PASSWORD),
                (
                    "current_code",
                    &totp::code_at(&secret, app.clock.unix()).unwrap(),
                ),
            ],
        )
        .await;
    assert_eq!(location(&res), "/?engangskode=ok");
    assert!(session_of(&res).is_some(), "this session got a new id");
    assert_eq!(laptop.get("/oppgaver").await.status(), 200, "and goes on");
    assert_eq!(
        phone.get("/oppgaver").await.status(),
        303,
        "the other session ended"
    );
    // The half sign-in cannot finish with the old factor's next code.
    app.clock.advance(time::Duration::seconds(30));
    let res = half
        .post_form(
            "/innlogging/kode",
            &[
                ("code", &totp::code_at(&secret, app.clock.unix()).unwrap()),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/logg-inn", "the half sign-in ended too");
    assert_eq!(enrolments(&app).await, 2);
}
