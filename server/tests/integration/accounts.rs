use crate::support::{TestApp, config_for};
use app::domain::{EmailAddress, Role, ServiceKind, Unit};
use app::server::demo;
use app::server::repo::users;
use app::server::{ServerError, password};

#[tokio::test]
async fn create_admin_stores_an_argon2id_hash_and_one_access_log_row() {
    let app = TestApp::spawn().await;
    let id = server::create_admin(
        &app.db,
        "Ny.Admin@Example.org",
        "Ny Administrator",
        "et langt passord".into(),
    )
    .await
    .unwrap();
    let mut conn = app.pool.acquire().await.unwrap();
    let user = users::find_by_email(
        &mut conn,
        &EmailAddress::parse("ny.admin@example.org").unwrap(),
    )
    .await
    .unwrap()
    .expect("found whatever the letter case");
    drop(conn);
    assert_eq!((user.id, user.role, user.unit), (id, Role::Admin, None));
    assert!(user.password_hash.starts_with("$argon2id$"));
    assert!(
        password::verify("et langt passord".into(), user.password_hash.clone())
            .await
            .unwrap()
    );
    let rows: Vec<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT action, object_id, reason FROM access_log WHERE object_type = 'user' AND object_id = ?1",
    )
    .bind(id.0.to_string())
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![(
            "user.create".into(),
            Some(id.0.to_string()),
            "portal create-admin".into()
        )]
    );
}

#[tokio::test]
async fn a_rejected_user_leaves_nothing_behind() {
    let app = TestApp::spawn().await;
    let count = |pool: sqlx::SqlitePool| async move {
        let users: i64 = sqlx::query_scalar("SELECT count(*) FROM app_user")
            .fetch_one(&pool)
            .await
            .unwrap();
        let log: i64 = sqlx::query_scalar("SELECT count(*) FROM access_log")
            .fetch_one(&pool)
            .await
            .unwrap();
        (users, log)
    };
    let before = count(app.pool.clone()).await;
    let short = server::create_admin(&app.db, "a@example.org", "A", "for kort".into()).await;
    assert!(
        matches!(
            short,
            Err(ServerError::InvalidInput {
                field: "password",
                ..
            })
        ),
        "{short:?}"
    );
    let taken = server::create_admin(
        &app.db,
        &demo::demo_email("ADMIN"),
        "B",
        "et langt passord".into(),
    )
    .await;
    assert!(
        matches!(taken, Err(ServerError::Conflict { field: "email" })),
        "{taken:?}"
    );
    let bad_email =
        server::create_admin(&app.db, "not-an-address", "C", "et langt passord".into()).await;
    assert!(
        matches!(
            bad_email,
            Err(ServerError::InvalidInput { field: "email", .. })
        ),
        "{bad_email:?}"
    );
    assert_eq!(count(app.pool.clone()).await, before);
}

#[tokio::test]
async fn the_access_log_cannot_be_altered_through_sql() {
    let app = TestApp::spawn().await;
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM access_log")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(rows > 0, "the demo data logged its users");
    let update = sqlx::query("UPDATE access_log SET reason = 'rewritten'")
        .execute(&app.pool)
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM access_log")
        .execute(&app.pool)
        .await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM access_log")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(after, rows);
}

#[tokio::test]
async fn the_demo_data_has_a_user_of_every_role_and_caseworkers_for_alna_and_frogner() {
    let app = TestApp::spawn().await;
    let mut conn = app.pool.acquire().await.unwrap();
    let mut roles = Vec::new();
    for (local, _, role, district, service) in demo::DEMO_USERS {
        let email = EmailAddress::parse(&demo::demo_email(local)).unwrap();
        let user = users::find_by_email(&mut conn, &email)
            .await
            .unwrap()
            .expect(local);
        assert_eq!(user.role, role);
        assert_eq!(user.unit.map(|u| u.service), service);
        if let (Some(Unit { district: id, .. }), Some(slug)) = (user.unit, district) {
            let found: String = sqlx::query_scalar("SELECT slug FROM district WHERE id = ?1")
                .bind(id.0)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            assert_eq!(found, slug);
        }
        roles.push(role);
    }
    for role in Role::ALL {
        assert!(roles.contains(&role), "{role:?}");
    }
    let services: Vec<_> = demo::DEMO_USERS.iter().filter_map(|u| u.4).collect();
    for kind in ServiceKind::STANDARD {
        assert_eq!(
            services.iter().filter(|s| **s == kind).count(),
            2,
            "{kind:?} in Alna and Frogner"
        );
    }
    let demo_hash = users::find_by_email(
        &mut conn,
        &EmailAddress::parse(&demo::demo_email("admin")).unwrap(),
    )
    .await
    .unwrap()
    .unwrap()
    .password_hash;
    assert!(
        password::verify(demo::DEMO_PASSWORD.into(), demo_hash)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn the_schema_refuses_a_caseworker_without_a_unit_and_a_unit_on_other_roles() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(dir.path());
    let _db = server::open_database(&config).await.unwrap();
    let pool = crate::support::side_pool(&config.database_url).await;
    let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
    let caseworker_without_unit = sqlx::query(
        "INSERT INTO app_user (email, name, role, password_hash) VALUES ('a@example.org', 'A', 'caseworker', ?1)",
    )
    .bind(hash)
    .execute(&pool)
    .await;
    assert!(caseworker_without_unit.is_err());
    let plain_text_password = sqlx::query(
        "INSERT INTO app_user (email, name, role, password_hash) VALUES ('b@example.org', 'B', 'admin', 'hunter2')",
    )
    .execute(&pool)
    .await;
    assert!(
        plain_text_password.is_err(),
        "only argon2id hashes are stored"
    );
}
