use crate::support::TestApp;
use app::domain::Role;
use app::server::demo::{DEMO_PASSWORD, demo_email};
use app::server::service::auth::{AuthError, authenticate};

async fn sign_in_rows(app: &TestApp) -> Vec<(Option<i64>, String)> {
    sqlx::query_as("SELECT user_id, outcome FROM access_log WHERE action = 'sign_in' ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_right_password_signs_in_and_leaves_one_access_log_row() {
    let app = TestApp::spawn().await;
    let who = authenticate(
        &app.db,
        time::OffsetDateTime::now_utc(),
        &demo_email("NAV.Alna"),
        DEMO_PASSWORD,
        None,
    )
    .await
    .unwrap();
    assert_eq!(who.actor.role, Role::Caseworker);
    assert!(who.actor.unit.is_some());
    assert!(!who.must_change_password);
    assert_eq!(
        sign_in_rows(&app).await,
        vec![(Some(who.actor.user.0), "ok".to_owned())]
    );
}

#[tokio::test]
async fn unknown_address_wrong_password_and_deactivated_account_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.deactivate("vold.frogner").await;
    let attempts = [
        (demo_email("finnes.ikke"), DEMO_PASSWORD),
        ("not an address".to_owned(), DEMO_PASSWORD),
        (demo_email("admin"), "demo-passord-2025"),
        (demo_email("vold.frogner"), DEMO_PASSWORD),
    ];
    let mut messages = Vec::new();
    for (email, password) in &attempts {
        let err = authenticate(
            &app.db,
            time::OffsetDateTime::now_utc(),
            email,
            password,
            None,
        )
        .await
        .expect_err(email);
        assert!(matches!(err, AuthError::Rejected), "{email}: {err:?}");
        messages.push(err.to_string());
    }
    messages.dedup();
    assert_eq!(messages.len(), 1, "one message for every failure");
    let rows = sign_in_rows(&app).await;
    assert_eq!(rows.len(), attempts.len(), "one row per attempt");
    assert!(rows.iter().all(|(_, outcome)| outcome == "failed"));
    assert_eq!(
        rows.iter().filter(|(user, _)| user.is_none()).count(),
        2,
        "unknown addresses name no user"
    );
}
