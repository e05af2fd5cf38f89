use crate::support::{Browser, TestApp};
use app::server::demo::{DEMO_PASSWORD, demo_email};

/// The session cookie's `name=value` from a response, if it set one.
fn session_cookie(res: &reqwest::Response) -> Option<(String, String)> {
    res.headers().get_all("set-cookie").iter().find_map(|v| {
        let v = v.to_str().ok()?;
        v.starts_with("portal_session=")
            .then(|| (v.split(';').next().unwrap().to_owned(), v.to_owned()))
    })
}

async fn sign_in(app: &TestApp, local: &str, password: &str) -> reqwest::Response {
    app.http
        .post(app.url("/innlogging"))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("email", demo_email(local).as_str()),
            ("password", password),
            ("next", "/bydeler"),
        ])
        .send()
        .await
        .unwrap()
}

/// The page header of the home page for this cookie; empty when the home page is not shown (the
/// request was sent to the sign-in page).
async fn header_of(app: &TestApp, cookie: &str) -> String {
    let res = app
        .http
        .get(app.url("/"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    if res.status() != 200 {
        return String::new();
    }
    let html = res.text().await.unwrap();
    let start = html.find("<header").unwrap();
    html[start..html.find("</header>").unwrap()].to_owned()
}

#[tokio::test]
async fn signing_in_sets_a_strict_http_only_secure_session_cookie_and_shows_the_user() {
    let app = TestApp::spawn().await;
    let res = sign_in(&app, "krisesenter", DEMO_PASSWORD).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/bydeler");
    let (cookie, full) = session_cookie(&res).expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(full.contains(attribute), "{attribute} in {full}");
    }
    let header = header_of(&app, &cookie).await;
    assert!(header.contains("Demo Krisesenteransatt"), "{header}");
    assert!(header.contains(r#"action="/utlogging""#));
}

#[tokio::test]
async fn a_wrong_password_goes_back_to_the_form_without_a_session() {
    let app = TestApp::spawn().await;
    let res = sign_in(&app, "krisesenter", "demo-passord-2025").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/logg-inn?feil=1");
    assert!(session_cookie(&res).is_none());
    let (_, html) = app.get_text("/logg-inn?feil=1").await;
    assert!(html.contains("Feil e-postadresse eller passord."));
}

#[tokio::test]
async fn the_session_id_is_rotated_at_sign_in() {
    let app = TestApp::spawn().await;
    let (first, _) = session_cookie(&sign_in(&app, "admin", DEMO_PASSWORD).await).unwrap();
    let again = app
        .http
        .post(app.url("/innlogging"))
        .header("cookie", &first)
        .form(&[
            ("email", demo_email("admin").as_str()),
            ("password", DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let (second, _) = session_cookie(&again).expect("a new cookie");
    assert_ne!(
        first, second,
        "signing in with an existing session gives a new id"
    );
    assert!(
        !header_of(&app, &first).await.contains("Demo Administrator"),
        "the old id is dead"
    );
    assert!(
        header_of(&app, &second)
            .await
            .contains("Demo Administrator")
    );
}

#[tokio::test]
async fn signing_out_ends_every_session_of_the_user() {
    let app = TestApp::spawn().await;
    let (laptop, _) = session_cookie(&sign_in(&app, "nav.alna", DEMO_PASSWORD).await).unwrap();
    let (phone, _) = session_cookie(&sign_in(&app, "nav.alna", DEMO_PASSWORD).await).unwrap();
    let (other_user, _) =
        session_cookie(&sign_in(&app, "nav.frogner", DEMO_PASSWORD).await).unwrap();
    let res = app
        .http
        .post(app.url("/utlogging"))
        .header("cookie", &laptop)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/logg-inn?ute=1");
    assert!(!header_of(&app, &laptop).await.contains("Demo NAV Alna"));
    assert!(
        !header_of(&app, &phone).await.contains("Demo NAV Alna"),
        "the other session ended too"
    );
    assert!(
        header_of(&app, &other_user)
            .await
            .contains("Demo NAV Frogner"),
        "other users keep theirs"
    );
    let logged: i64 =
        sqlx::query_scalar("SELECT count(*) FROM access_log WHERE action = 'sign_out'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn deactivating_a_user_ends_their_sessions() {
    let app = TestApp::spawn().await;
    let (cookie, _) =
        session_cookie(&sign_in(&app, "barnevern.frogner", DEMO_PASSWORD).await).unwrap();
    assert!(
        header_of(&app, &cookie)
            .await
            .contains("Demo Barnevern Frogner")
    );
    app.deactivate("barnevern.frogner").await;
    assert!(
        !header_of(&app, &cookie)
            .await
            .contains("Demo Barnevern Frogner")
    );
}

#[tokio::test]
async fn cross_site_sign_in_and_sign_out_are_refused() {
    let app = TestApp::spawn().await;
    for path in ["/innlogging", "/utlogging"] {
        let res = app
            .http
            .post(app.url(path))
            .header("sec-fetch-site", "cross-site")
            .form(&[
                ("email", demo_email("admin").as_str()),
                ("password", DEMO_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{path}");
        assert!(session_cookie(&res).is_none());
    }
    assert_eq!(app.get("/innlogging").await.status(), 405);
    assert_eq!(app.get("/utlogging").await.status(), 405);
}

#[tokio::test]
async fn expired_sessions_are_deleted_and_live_ones_kept() {
    let app = TestApp::spawn().await;
    let (live, _) = session_cookie(&sign_in(&app, "kontrollor", DEMO_PASSWORD).await).unwrap();
    sqlx::query("INSERT INTO tower_sessions (id, data, expiry_date) VALUES ('old', x'00', '2020-01-01T00:00:00.5Z')")
        .execute(&app.pool)
        .await
        .unwrap();
    let store = server::auth::session_store(app.db.clone());
    store.delete_expired().await.unwrap();
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM tower_sessions")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(!ids.contains(&"old".to_owned()));
    assert_eq!(ids.len(), 1, "the live session stays");
    assert!(header_of(&app, &live).await.contains("Demo Kontrollør"));
}

#[tokio::test]
async fn a_session_ends_after_thirty_idle_minutes_on_the_portals_clock() {
    let app = TestApp::spawn().await;
    let user = app.signed_in("nav.alna").await;
    app.clock.advance(time::Duration::minutes(29));
    assert_eq!(user.get("/bydeler").await.status(), 200, "29 idle minutes");
    app.clock.advance(time::Duration::minutes(29));
    assert_eq!(
        user.get("/bydeler").await.status(),
        200,
        "activity keeps it"
    );
    app.clock.advance(time::Duration::minutes(30));
    let res = user.get("/bydeler").await;
    assert_eq!(res.status(), 303, "30 idle minutes end it");
    assert_eq!(res.headers()["location"], "/logg-inn?neste=/bydeler");
}

#[tokio::test]
async fn a_session_ends_twelve_hours_after_sign_in_however_active() {
    let app = TestApp::spawn().await;
    let user = app.signed_in("nav.alna").await;
    for _ in 0..(12 * 60 / 20 - 1) {
        app.clock.advance(time::Duration::minutes(20));
        assert_eq!(user.get("/").await.status(), 200);
    }
    app.clock.advance(time::Duration::minutes(20));
    assert_eq!(user.get("/").await.status(), 303, "12 h after sign-in");
}

/// Where a sign-in attempt from `browser` sends it.
async fn attempt(browser: &Browser, email: &str, password: &str) -> String {
    let res = browser
        .post_form("/innlogging", &[("email", email), ("password", password)])
        .await;
    res.headers()["location"].to_str().unwrap().to_owned()
}

async fn sign_in_rows(app: &TestApp, outcome: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM access_log WHERE action = 'sign_in' AND outcome = ?1")
        .bind(outcome)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn failures_make_an_account_wait_longer_but_never_keep_out_its_owners_known_device() {
    let app = TestApp::spawn().await;
    let email = demo_email("nav.frogner");
    // The caseworker's own browser, where they signed in before (it keeps the device cookie).
    let own = app.signed_in("nav.frogner").await;
    own.post_form("/utlogging", &[]).await;
    let ok_before = sign_in_rows(&app, "ok").await;

    // Someone who knows the address fails on purpose: the first three cost nothing, the fourth
    // makes the account wait 2 s before its next attempt is looked at.
    let stranger = app.browser();
    let fail = || async {
        assert_eq!(
            attempt(&stranger, &email, "wrong-password-123").await,
            "/logg-inn?feil=1"
        );
    };
    for _ in 0..4 {
        fail().await;
    }
    assert_eq!(sign_in_rows(&app, "failed").await, 4);
    // Within the wait even the right password is refused from an unknown browser, with the same
    // answer as a wrong one, and a refused row.
    assert_eq!(
        attempt(&stranger, &email, DEMO_PASSWORD).await,
        "/logg-inn?feil=1"
    );
    assert_eq!(sign_in_rows(&app, "refused").await, 1);
    // The owner's own browser gets in at once: failures elsewhere cannot keep them out.
    assert_eq!(attempt(&own, &email, DEMO_PASSWORD).await, "/");
    assert_eq!(sign_in_rows(&app, "ok").await, ok_before + 1);

    // The failures go on: the wait doubles with each one after the third (4 s after the fifth).
    for _ in 0..4 {
        fail().await;
    }
    app.clock.advance(time::Duration::seconds(3));
    fail().await;
    app.clock.advance(time::Duration::seconds(3));
    assert_eq!(
        attempt(&stranger, &email, DEMO_PASSWORD).await,
        "/logg-inn?feil=1"
    );
    assert_eq!(sign_in_rows(&app, "refused").await, 2, "still waiting");
    // Refused attempts do not make the wait longer: 4 s after the last failure, any browser
    // gets in with the right password.
    app.clock.advance(time::Duration::seconds(2));
    assert_eq!(attempt(&stranger, &email, DEMO_PASSWORD).await, "/");
    // Other accounts were never affected.
    app.signed_in("nav.alna").await;
}

#[tokio::test]
async fn a_device_cookie_of_another_user_or_a_forged_one_does_not_skip_the_wait() {
    let app = TestApp::spawn().await;
    let email = demo_email("nav.frogner");
    let other = app.signed_in("nav.alna").await;
    for _ in 0..4 {
        assert_eq!(
            attempt(&other, &email, "wrong-password-123").await,
            "/logg-inn?feil=1"
        );
    }
    assert_eq!(
        attempt(&other, &email, DEMO_PASSWORD).await,
        "/logg-inn?feil=1",
        "nav.alna's device is not nav.frogner's"
    );
    let forged = app
        .http
        .post(app.url("/innlogging"))
        .header("cookie", "portal_device=2.1000.00ff")
        .form(&[("email", email.as_str()), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.headers()["location"], "/logg-inn?feil=1");
}

#[tokio::test]
async fn one_client_address_gets_a_limited_burst_of_sign_in_attempts() {
    let app = TestApp::spawn_with(|c| c.sign_in_burst = 3).await;
    let browser = app.browser();
    for _ in 0..3 {
        let res = browser
            .post_form(
                "/innlogging",
                &[("email", "ingen@example.org"), ("password", "x")],
            )
            .await;
        assert_eq!(res.headers()["location"], "/logg-inn?feil=1");
    }
    // Even the right password of a real account is refused from this address now.
    let res = browser
        .post_form(
            "/innlogging",
            &[
                ("email", &demo_email("nav.alna")),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.headers()["location"], "/logg-inn?feil=1");
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_burst_and_from_others_the_header_is_ignored()
 {
    let sign_in_as =
        |app: &TestApp, forwarded: &'static str, email: String, password: &'static str| {
            let http = app.http.clone();
            let url = app.url("/innlogging");
            async move {
                let res = http
                    .post(url)
                    .header("x-forwarded-for", forwarded)
                    .form(&[("email", email.as_str()), ("password", password)])
                    .send()
                    .await
                    .unwrap();
                res.headers()["location"].to_str().unwrap().to_owned()
            }
        };
    let sign_in_from = |app: &TestApp, forwarded: &'static str| {
        let attempt = sign_in_as(app, forwarded, "ingen@example.org".into(), "x");
        async move { assert_eq!(attempt.await, "/logg-inn?feil=1") }
    };
    let right = |app: &TestApp, forwarded: &'static str| {
        sign_in_as(app, forwarded, demo_email("nav.alna"), DEMO_PASSWORD)
    };
    // The test connects from 127.0.0.1, configured as the proxy.
    let app = TestApp::spawn_with(|c| {
        c.sign_in_burst = 3;
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    for _ in 0..3 {
        sign_in_from(&app, "203.0.113.5").await;
    }
    assert_eq!(
        right(&app, "203.0.113.5").await,
        "/logg-inn?feil=1",
        "that client is throttled"
    );
    assert_eq!(
        right(&app, "203.0.113.6").await,
        "/",
        "another client behind the proxy is not"
    );

    // Without the setting, the header is the client's own claim and changes nothing.
    let app = TestApp::spawn_with(|c| c.sign_in_burst = 3).await;
    for forwarded in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        sign_in_from(&app, forwarded).await;
    }
    assert_eq!(right(&app, "203.0.113.9").await, "/logg-inn?feil=1");
}
