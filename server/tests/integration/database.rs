use crate::support::{TestApp, config_for};
use app::server::{db, demo};

#[tokio::test]
async fn the_database_runs_with_wal_full_sync_and_foreign_keys() {
    let app = TestApp::spawn().await;
    let report = db::pragmas(&app.pool).await.unwrap();
    assert_eq!(report.journal_mode, "wal");
    assert_eq!(report.synchronous, 2);
    assert_eq!(report.foreign_keys, 1);
    assert!(report.busy_timeout_ms >= 1000);
    assert!(report.is_safe());
}

#[tokio::test]
async fn migrating_twice_is_a_no_op() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(dir.path());
    let pool = server::open_database(&config).await.unwrap();
    pool.close().await;
    let pool = server::open_database(&config).await.unwrap();
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(applied, db::MIGRATOR.iter().count() as i64);
}

#[tokio::test]
async fn the_demo_seed_runs_once_and_creates_oslos_fifteen_districts() {
    let dir = tempfile::tempdir().unwrap();
    let pool = server::open_database(&config_for(dir.path()))
        .await
        .unwrap();
    let first = demo::seed_demo(&pool).await.unwrap();
    assert_eq!(
        first,
        demo::SeedOutcome::Created {
            districts: 15,
            services: 46,
            contacts: 138,
            users: 9
        }
    );
    assert_eq!(
        demo::seed_demo(&pool).await.unwrap(),
        demo::SeedOutcome::AlreadyPresent
    );
    let districts: i64 = sqlx::query_scalar("SELECT count(*) FROM district")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(districts, 15);
}

#[tokio::test]
async fn the_schema_refuses_values_outside_the_enums_and_dangling_references() {
    let app = TestApp::spawn().await;
    let bad_kind =
        sqlx::query("INSERT INTO service (district_id, kind, name) VALUES (1, 'police', 'X')")
            .execute(&app.pool)
            .await;
    assert!(bad_kind.is_err(), "CHECK constraint on service.kind");
    let orphan =
        sqlx::query("INSERT INTO service (district_id, kind, name) VALUES (9999, 'other', 'X')")
            .execute(&app.pool)
            .await;
    assert!(orphan.is_err(), "foreign key on service.district_id");
    let second_nav =
        sqlx::query("INSERT INTO service (district_id, kind, name) VALUES (1, 'nav', 'NAV 2')")
            .execute(&app.pool)
            .await;
    assert!(second_nav.is_err(), "one NAV office per district");
}

#[tokio::test]
async fn startup_refuses_a_database_it_cannot_make_safe() {
    // An in-memory database cannot use WAL: the pragma check must refuse it.
    let mut config = config_for(tempfile::tempdir().unwrap().path());
    config.database_url = "sqlite::memory:".into();
    let err = server::open_database(&config)
        .await
        .expect_err("must refuse");
    assert!(err.to_string().contains("journal_mode"), "{err}");
}
