//! Administration of users through the portal's forms, the forced password change, and the
//! access log page.

use crate::support::{Browser, TestApp};
use app::server::demo::{DEMO_PASSWORD, demo_email};

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

async fn log_count(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM access_log WHERE action = ?1")
        .bind(action)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM app_user WHERE email = ?1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn create_caseworker(admin: &Browser, email: &str) -> reqwest::Response {
    admin
        .post_form(
            "/api/user_create",
            &[
                ("name", "Kari Nordmann"),
                ("email", email),
                ("role", "caseworker"),
                ("district", "1"),
                ("service", "child_welfare"),
                ("password", "midlertidig-passord-1"),
            ],
        )
        .await
}

#[tokio::test]
async fn an_administrator_creates_a_user_who_must_choose_a_new_password_first() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let res = create_caseworker(&admin, "kari@example.org").await;
    assert_eq!(res.status(), 302);
    let id = user_id(&app, "kari@example.org").await;
    assert_eq!(location(&res), format!("/admin/brukere/{id}?ok=opprettet"));
    assert_eq!(
        log_count(&app, "user.create").await,
        11,
        "10 demo users and this one"
    );
    let (status, html) = admin
        .get_text(&format!("/admin/brukere/{id}?ok=opprettet"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Kari Nordmann") && html.contains("Brukeren er opprettet."));

    // The new user signs in and is sent to the password change, and nowhere else.
    let kari = app.browser();
    let res = kari
        .post_form(
            "/innlogging",
            &[
                ("email", "kari@example.org"),
                ("password", "midlertidig-passord-1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    for path in ["/", "/bydeler"] {
        let res = kari.get(path).await;
        assert_eq!(res.status(), 303, "{path}");
        assert_eq!(location(&res), "/konto/passord");
    }
    assert_eq!(kari.call("districts", &[]).await.status(), 401);
    let (status, html) = kari.get_text("/konto/passord").await;
    assert_eq!(status, 200);
    assert!(html.contains("Du må velge et nytt passord"));

    // A mismatch, then a wrong current password, then the real change.
    let change = |current: &'static str, new: &'static str, repeat: &'static str| {
        let kari = &kari;
        async move {
            kari.post_form(
                "/api/change_password",
                &[
                    ("current_password", current),
                    ("new_password", new),
                    ("repeat_password", repeat),
                ],
            )
            .await
        }
    };
    let res = change(
        "midlertidig-passord-1",
        "et nytt langt passord",
        "noe annet helt",
    )
    .await;
    assert_eq!(
        location(&res),
        "/konto/passord?feil=E-INVALID-INPUT&felt=repeat_password"
    );
    let res = change(
        "feil-passord-her",
        "et nytt langt passord",
        "et nytt langt passord",
    )
    .await;
    assert_eq!(
        location(&res),
        "/konto/passord?feil=E-INVALID-INPUT&felt=current_password"
    );
    let res = change(
        "midlertidig-passord-1",
        "et nytt langt passord",
        "et nytt langt passord",
    )
    .await;
    assert_eq!(location(&res), "/?passord=endret");
    assert_eq!(
        kari.get("/bydeler").await.status(),
        200,
        "the session goes on"
    );
    // The wrong current password left a failed row (it counts like a failed sign-in).
    assert_eq!(log_count(&app, "user.change_password").await, 2);
}

#[tokio::test]
async fn bad_input_goes_back_to_the_form_with_a_translated_message_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let before = log_count(&app, "user.create").await;
    for (form, field) in [
        (
            [
                ("name", "A"),
                ("email", "not-an-address"),
                ("role", "reviewer"),
                ("password", "langt nok passord"),
            ],
            "email",
        ),
        (
            [
                ("name", "A"),
                ("email", "a@example.org"),
                ("role", "caseworker"),
                ("password", "langt nok passord"),
            ],
            "unit",
        ),
        (
            [
                ("name", "A"),
                ("email", "a@example.org"),
                ("role", "reviewer"),
                ("password", "kort"),
            ],
            "password",
        ),
        (
            [
                ("name", "A"),
                ("email", &demo_email("nav.alna")),
                ("role", "reviewer"),
                ("password", "langt nok passord"),
            ],
            "email",
        ),
    ] {
        let res = admin.post_form("/api/user_create", &form).await;
        let to = location(&res);
        assert!(to.starts_with("/admin/brukere/ny?feil=E-"), "{to}");
        assert!(to.ends_with(&format!("felt={field}")), "{to}");
        let (status, html) = admin.get_text(&to).await;
        assert_eq!(status, 200);
        assert!(html.contains("Skjemaet ble ikke lagret"), "{to}");
    }
    assert_eq!(log_count(&app, "user.create").await, before);
}

#[tokio::test]
async fn deactivating_a_user_through_the_form_ends_their_sessions_and_admins_cannot_lock_themselves_out()
 {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let nav = app.signed_in("nav.alna").await;
    let id = user_id(&app, &demo_email("nav.alna")).await.to_string();
    let res = admin
        .post_form(
            "/api/user_update",
            &[
                ("id", &id),
                ("name", "Demo NAV Alna"),
                ("role", "caseworker"),
                ("district", "12"),
                ("service", "nav"),
            ],
        )
        .await;
    assert_eq!(location(&res), format!("/admin/brukere/{id}?ok=bruker"));
    assert_eq!(nav.get("/bydeler").await.status(), 303, "session ended");
    assert_eq!(log_count(&app, "user.deactivate").await, 1);

    let own = user_id(&app, &demo_email("admin")).await.to_string();
    let res = admin
        .post_form(
            "/api/user_update",
            &[
                ("id", &own),
                ("name", "Demo Administrator"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(
        location(&res),
        format!("/admin/brukere/{own}?feil=E-INVALID-INPUT&felt=self")
    );
    assert_eq!(
        admin.get("/admin/brukere").await.status(),
        200,
        "still an admin"
    );
}

#[tokio::test]
async fn a_password_reset_ends_the_users_sessions_and_requires_a_new_password() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let staff = app.signed_in("krisesenter").await;
    let id = user_id(&app, &demo_email("krisesenter")).await.to_string();
    let res = admin
        .post_form(
            "/api/user_reset_password",
            &[("id", &id), ("password", "midlertidig-passord-2")],
        )
        .await;
    assert_eq!(location(&res), format!("/admin/brukere/{id}?ok=passord"));
    assert_eq!(staff.get("/").await.status(), 303);
    let again = app.browser();
    again
        .post_form(
            "/innlogging",
            &[
                ("email", &demo_email("krisesenter")),
                ("password", "midlertidig-passord-2"),
            ],
        )
        .await;
    assert_eq!(location(&again.get("/").await), "/konto/passord");
    let old = app.browser();
    let res = old
        .post_form(
            "/innlogging",
            &[
                ("email", &demo_email("krisesenter")),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        location(&res),
        "/logg-inn?feil=1",
        "the old password is gone"
    );
}

#[tokio::test]
async fn reading_the_user_list_and_the_access_log_is_logged_and_for_administrators_only() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let (status, html) = admin.get_text("/admin/brukere").await;
    assert_eq!(status, 200);
    assert!(html.contains(&demo_email("nav.frogner")));
    assert_eq!(log_count(&app, "user.list").await, 1);

    app.signed_in("nav.alna").await;
    let nav = user_id(&app, &demo_email("nav.alna")).await.to_string();
    let (status, html) = admin
        .get_text(&format!("/admin/logg?user={nav}&from=2000-01-01"))
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("user.create"),
        "the demo seed created the user"
    );
    assert!(html.contains("sign_in"), "the user signed in");
    assert!(!html.contains("Demo NAV Frogner"), "filtered on one user");
    assert_eq!(log_count(&app, "access_log.read").await, 1);
    let (status, html) = admin.get_text("/admin/logg?from=2026-02-30").await;
    assert_eq!(status, 400);
    assert!(html.contains("Periode"), "names the bad field");

    for local in ["krisesenter", "nav.alna", "kontrollor"] {
        let user = app.signed_in(local).await;
        for path in [
            "/admin/brukere",
            "/admin/logg",
            "/admin/brukere/1",
            "/admin/brukere/ny",
        ] {
            let (status, html) = user.get_text(path).await;
            assert_eq!(status, 403, "{local} {path}");
            assert!(!html.contains("@demo.example.org") || html.contains(&demo_email(local)));
        }
        assert_eq!(user.call("access_log", &[]).await.status(), 403, "{local}");
        assert_eq!(user.call("users", &[]).await.status(), 403, "{local}");
    }
    assert_eq!(log_count(&app, "access_log.read").await, 1);
    assert_eq!(log_count(&app, "user.list").await, 1);
}

#[tokio::test]
async fn an_administrator_makes_a_district_manager_with_a_district_and_no_service() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let alna: i64 =
        crate::support::count(&app, "SELECT id FROM district WHERE slug = 'alna'").await;
    let alna = alna.to_string();
    async fn create(admin: &Browser, district: &str) -> reqwest::Response {
        admin
            .post_form(
                "/api/user_create",
                &[
                    ("name", "Liv Leder"),
                    ("email", "liv@example.org"),
                    ("role", "district_manager"),
                    ("district", district),
                    ("service", ""),
                    ("password", "midlertidig-passord-1"),
                ],
            )
            .await
    }
    // Without a district: refused, with why, and nothing stored.
    let res = create(&admin, "").await;
    assert_eq!(res.status(), 302);
    let (_, html) = admin.get_text(&location(&res)).await;
    assert!(html.contains("bydelsledelsen bare en bydel"), "{html}");
    assert_eq!(
        crate::support::count(
            &app,
            "SELECT count(*) FROM app_user WHERE email = 'liv@example.org'"
        )
        .await,
        0
    );
    // With Alna: a district manager of Alna, with no service.
    let res = create(&admin, &alna).await;
    assert_eq!(res.status(), 302);
    let (role, stored, service): (String, i64, Option<String>) = sqlx::query_as(
        "SELECT role, district_id, service_kind FROM app_user WHERE email = 'liv@example.org'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (role.as_str(), stored.to_string(), service),
        ("district_manager", alna, None)
    );
    let (_, list) = admin.get_text("/admin/brukere").await;
    assert!(list.contains("Liv Leder") && list.contains("Bydelsledelse"));
}

#[tokio::test]
async fn the_access_log_shows_oslo_time_and_filters_by_oslo_days() {
    let app = TestApp::spawn().await;
    // 00:30 on 31 March in Oslo (summer time) is still 30 March in UTC.
    app.clock
        .set(time::macros::datetime!(2026-03-30 22:30:15 UTC));
    let nav = user_id(&app, &demo_email("nav.alna")).await.to_string();
    app.signed_in("nav.alna").await;
    let admin = app.signed_in("admin").await;
    let (_, html) = admin
        .get_text(&format!(
            "/admin/logg?user={nav}&from=2026-03-31&to=2026-03-31"
        ))
        .await;
    assert!(html.contains("31.03.2026 kl. 00:30:15"), "Oslo time");
    assert!(!html.contains("2026-03-30 22:30"), "not the stored UTC");
    let (_, html) = admin
        .get_text(&format!(
            "/admin/logg?user={nav}&from=2026-03-30&to=2026-03-30"
        ))
        .await;
    assert!(
        !html.contains("sign_in"),
        "the sign-in was on 31 March in Oslo"
    );
}
