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

/// SQLite's memory comes from mimalloc and it keeps no memory statistics (a global lock around
/// every allocation): both set before the first connection of the process opens.
#[tokio::test]
async fn sqlite_allocates_from_mimalloc_without_memory_statistics() {
    let _app = TestApp::spawn().await;
    assert!(db::sqlite_configured());
}

#[tokio::test]
async fn migrating_twice_is_a_no_op() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(dir.path());
    let db = server::open_database(&config).await.unwrap();
    db.close().await;
    let db = server::open_database(&config).await.unwrap();
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(db.read_pool())
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
            users: 10
        }
    );
    assert_eq!(
        demo::seed_demo(&pool).await.unwrap(),
        demo::SeedOutcome::AlreadyPresent
    );
    let districts: i64 = sqlx::query_scalar("SELECT count(*) FROM district")
        .fetch_one(pool.read_pool())
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

/// The rows of the tables migration 6 rebuilds, in a form that can be compared.
async fn task_tables(pool: &sqlx::SqlitePool) -> Vec<String> {
    let queries = [
        "SELECT json_group_array(json_array(id, stay_id, rule_id, step, district_id, service_kind,
                 due_on, status, assignee_id, reason, closed_on, version, created_at))
         FROM (SELECT * FROM task ORDER BY id)",
        "SELECT json_group_array(json_array(id, task_id, at, user_id, user_name, kind, status,
                 due_on, comment))
         FROM (SELECT * FROM task_event ORDER BY id)",
        "SELECT json_group_array(json_array(task_id, due_on, reason, granted_by, recorded_by,
                 recorded_at))
         FROM (SELECT * FROM task_extension ORDER BY task_id)",
        "SELECT json_group_array(json_array(id, created_at, kind, district_id, service_kind,
                 task_id, sent_at, attempts, last_error))
         FROM (SELECT * FROM outbox ORDER BY id)",
    ];
    let mut tables = Vec::new();
    for query in queries {
        tables.push(sqlx::query_scalar(query).fetch_one(pool).await.unwrap());
    }
    tables
}

/// Every access-log row but the column migration 7 added, as text.
async fn access_log_rows(pool: &sqlx::SqlitePool) -> String {
    sqlx::query_scalar(
        "SELECT json_group_array(json_array(id, at, user_id, user_name, user_role, action,
                object_type, object_id, district_id, reason, outcome)) FROM access_log",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A database as an earlier portal left it: the migrations before `first_missing` (a version
/// prefix such as `"20261202000006"`), with the demo directory and plans written by today's code.
/// Today's code writes columns later migrations added; the old schema gets them for the seeding
/// only, and loses them again before the test looks.
async fn seeded_before(first_missing: &str) -> (tempfile::TempDir, sqlx::SqlitePool) {
    let dir = tempfile::tempdir().unwrap();
    let before = dir.path().join("migrations");
    std::fs::create_dir(&before).unwrap();
    let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    for entry in std::fs::read_dir(&all).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.as_str() < first_missing {
            std::fs::copy(&path, before.join(&name)).unwrap();
        }
    }
    let url = format!("sqlite://{}", dir.path().join("portal.db").display());
    let portal = db::Db::connect(&url).await.unwrap();
    let pool = crate::support::side_pool(&url).await;
    sqlx::migrate::Migrator::new(before.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    // Migration 7 named the stays each access-log row touched; migration 12 gave the outbox its
    // key, audience and time of the next try; migration 14 marked the binding routine rules;
    // migration 17 added the day a resident is ready to move out; migration 18 the reason for
    // registering a likely duplicate.
    let mut added = Vec::new();
    if first_missing <= "20261202000007" {
        added.push(("access_log", "stays TEXT"));
    }
    if first_missing <= "20261203000012" {
        added.push(("outbox", "key TEXT"));
        added.push(("outbox", "audience TEXT"));
        added.push(("outbox", "next_try_at TEXT"));
    }
    if first_missing <= "20261203000014" {
        added.push(("routine_rule", "binding INTEGER NOT NULL DEFAULT 0"));
    }
    if first_missing <= "20261204000017" {
        added.push(("stay", "ready_on TEXT"));
    }
    if first_missing <= "20261204000018" {
        added.push(("stay", "duplicate_reason TEXT"));
    }
    // Migration 24: whom a task was given to.
    if first_missing <= "20261204000024" {
        added.push(("task_event", "assignee_name TEXT"));
    }
    // Migration 23: the expected outcome, and the rule condition that reads it.
    if first_missing <= "20261204000023" {
        added.push(("stay", "expected_outcome TEXT"));
        added.push((
            "routine_rule",
            "needs_expected_temporary INTEGER NOT NULL DEFAULT 0",
        ));
    }
    for (table, column) in &added {
        sqlx::query(&format!("ALTER TABLE {table} ADD COLUMN {column}"))
            .execute(&pool)
            .await
            .unwrap();
    }
    // Migration 26: the demo's intake records consent answers.
    let consent = first_missing <= "20261205000026";
    if consent {
        sqlx::query(
            "CREATE TABLE consent (id INTEGER PRIMARY KEY, stay_id, district_id, service_kind,
                                   answer, how, decided_on, recorded_at, recorded_by)",
        )
        .execute(&pool)
        .await
        .unwrap();
    }
    let outbox_key = first_missing <= "20261203000012";
    if outbox_key {
        sqlx::query("CREATE UNIQUE INDEX compat_outbox_key ON outbox (key)")
            .execute(&pool)
            .await
            .unwrap();
    }
    // Migration 20 added the district manager's role.
    let users: Vec<demo::DemoUser> = demo::DEMO_USERS
        .into_iter()
        .filter(|u| first_missing > "20261204000020" || u.2 != app::domain::Role::DistrictManager)
        .collect();
    demo::seed_demo_with(&portal, &users).await.unwrap();
    let now = time::macros::datetime!(2026-04-20 08:00 UTC);
    assert!(demo::seed_demo_plans(&portal, now).await.unwrap() > 0);
    if outbox_key {
        sqlx::query("DROP INDEX compat_outbox_key")
            .execute(&pool)
            .await
            .unwrap();
    }
    for (table, column) in &added {
        let name = column.split(' ').next().unwrap();
        sqlx::query(&format!("ALTER TABLE {table} DROP COLUMN {name}"))
            .execute(&pool)
            .await
            .unwrap();
    }
    if consent {
        sqlx::query("DROP TABLE consent")
            .execute(&pool)
            .await
            .unwrap();
    }
    portal.close().await;
    (dir, pool)
}

#[tokio::test]
async fn the_withdrawn_status_migration_keeps_every_task_its_history_and_its_notices() {
    // A database as the landed portal left it: migrations 1 to 5, with the demo plans.
    let (_dir, pool) = seeded_before("20261202000006").await;
    let old = task_tables(&pool).await;
    let log_rows = access_log_rows(&pool).await;
    let withdrawn =
        sqlx::query("UPDATE task SET status = 'withdrawn', closed_on = '2026-04-20' WHERE id = 1")
            .execute(&pool)
            .await;
    assert!(withdrawn.is_err(), "migration 5 has no withdrawn status");

    db::MIGRATOR.run(&pool).await.unwrap();

    assert_eq!(task_tables(&pool).await, old, "every row kept as it was");
    assert_eq!(
        access_log_rows(&pool).await,
        log_rows,
        "migration 7 keeps every access-log row"
    );
    let named: i64 = sqlx::query_scalar("SELECT count(*) FROM access_log WHERE stays IS NOT NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(named, 0, "earlier rows name no stays");
    assert!(old[0].contains("housing_plan") && old[1].contains("created") && old[3] != "[]");
    let dangling: i64 = sqlx::query_scalar("SELECT count(*) FROM pragma_foreign_key_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(dangling, 0);
    sqlx::query("UPDATE task SET status = 'withdrawn', closed_on = '2026-04-20' WHERE id = 1")
        .execute(&pool)
        .await
        .expect("migration 6 allows withdrawn");
    let history = sqlx::query("DELETE FROM task_event WHERE task_id = 1")
        .execute(&pool)
        .await;
    assert!(history.is_err(), "the history is still append-only");
    let orphan = sqlx::query("DELETE FROM task WHERE id = 1")
        .execute(&pool)
        .await;
    assert!(orphan.is_err(), "the history still refers to its task");
}

#[tokio::test]
async fn the_notifications_migration_keeps_every_outbox_row_as_pending_or_sent() {
    // A database as migration 11 left it, with the demo plans' notices, one of them sent.
    let (_dir, pool) = seeded_before("20261203000012").await;
    sqlx::query(
        "UPDATE outbox SET sent_at = '2026-04-20T08:05:00.000Z', attempts = 1 WHERE id = 1",
    )
    .execute(&pool)
    .await
    .unwrap();
    let old = task_tables(&pool).await;
    let notices: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(notices > 1);

    db::MIGRATOR.run(&pool).await.unwrap();

    assert_eq!(task_tables(&pool).await, old, "every row kept as it was");
    let states: Vec<(i64, String, String, String, bool)> = sqlx::query_as(
        "SELECT id, state, audience, key, next_try_at = created_at FROM outbox ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(states.len() as i64, notices);
    assert_eq!(states[0].1, "sent");
    assert!(
        states[1..].iter().all(|r| r.1 == "pending"),
        "unsent rows are due at once"
    );
    assert!(states.iter().all(|r| r.2 == "unit" && r.4));
    assert_eq!(
        states[0].3,
        format!("task_assigned:{}:row:1", {
            let task: i64 = sqlx::query_scalar("SELECT task_id FROM outbox WHERE id = 1")
                .fetch_one(&pool)
                .await
                .unwrap();
            task
        })
    );
    let users: Vec<(String, String)> = sqlx::query_as("SELECT language, notify FROM app_user")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(!users.is_empty());
    assert!(users.iter().all(|u| u.0 == "nb" && u.1 == "immediate"));
    let dangling: i64 = sqlx::query_scalar("SELECT count(*) FROM pragma_foreign_key_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(dangling, 0);
    let twice = sqlx::query(
        "INSERT INTO outbox (key, created_at, kind, district_id, service_kind, task_id, next_try_at)
         SELECT key, created_at, kind, district_id, service_kind, task_id, next_try_at
         FROM outbox WHERE id = 2",
    )
    .execute(&pool)
    .await;
    assert!(twice.is_err(), "a key is queued once");
}

#[tokio::test]
async fn the_calendar_feed_migration_keeps_every_row_and_takes_one_feed_per_unit() {
    // A database as migration 12 left it, with the demo plans and their messages.
    let (_dir, pool) = seeded_before("20261203000013").await;
    let old = task_tables(&pool).await;
    let log_rows = access_log_rows(&pool).await;
    let outbox: String = sqlx::query_scalar(
        "SELECT json_group_array(json_array(id, key, state, next_try_at)) FROM outbox",
    )
    .fetch_one(&pool)
    .await
    .unwrap();

    db::MIGRATOR.run(&pool).await.unwrap();

    assert_eq!(task_tables(&pool).await, old, "every row kept as it was");
    assert_eq!(access_log_rows(&pool).await, log_rows);
    let after: String = sqlx::query_scalar(
        "SELECT json_group_array(json_array(id, key, state, next_try_at)) FROM outbox",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(after, outbox);
    let insert = |hash: String| {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "INSERT INTO unit_calendar_feed (district_id, service_kind, token_hash, created_at)
                 VALUES (1, 'nav', ?1, '2026-04-20T08:00:00.000Z')",
            )
            .bind(hash)
            .execute(&pool)
            .await
        }
    };
    assert!(insert("a".repeat(64)).await.is_ok());
    assert!(insert("b".repeat(64)).await.is_err(), "one feed per unit");
    assert!(
        sqlx::query(
            "INSERT INTO unit_calendar_feed (district_id, service_kind, token_hash, created_at)
             VALUES (2, 'nav', 'short', '2026-04-20T08:00:00.000Z')"
        )
        .execute(&pool)
        .await
        .is_err(),
        "a hash, not a secret"
    );
}

#[tokio::test]
async fn the_deviations_migration_keeps_every_outbox_row_and_marks_the_default_binding_steps() {
    // A database as migration 13 left it, with the demo plans and their messages, one sent.
    let (_dir, pool) = seeded_before("20261203000014").await;
    sqlx::query(
        "UPDATE outbox SET state = 'sent', sent_at = '2026-04-20T08:05:00.000Z',
                           message_id = '<outbox.1@portal.example>', attempts = 1
         WHERE id = 1",
    )
    .execute(&pool)
    .await
    .unwrap();
    let old = task_tables(&pool).await;
    let log_rows = access_log_rows(&pool).await;
    let every_column = "SELECT json_group_array(json_array(id, key, created_at, kind, audience,
                            district_id, service_kind, user_id, task_id, stay_id, on_date, state,
                            attempts, next_try_at, claim, claimed_until, sent_at, message_id,
                            last_error)) FROM (SELECT * FROM outbox ORDER BY id)";
    let outbox: String = sqlx::query_scalar(every_column)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(outbox.len() > 10);
    let rules: i64 = sqlx::query_scalar("SELECT count(*) FROM routine_rule")
        .fetch_one(&pool)
        .await
        .unwrap();

    db::MIGRATOR.run(&pool).await.unwrap();

    assert_eq!(task_tables(&pool).await, old, "every row kept as it was");
    assert_eq!(access_log_rows(&pool).await, log_rows);
    let after: String = sqlx::query_scalar(every_column)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(after, outbox, "every outbox row and column kept");
    let binding: Vec<(String, bool)> = sqlx::query_as(
        "SELECT DISTINCT step, binding FROM routine_rule WHERE routine_version_id = 1
             ORDER BY step",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let expected: Vec<(String, bool)> = [
        ("child_welfare_investigation", true),
        ("child_welfare_review", true),
        ("concern_report", false),
        ("exit_meeting", true),
        ("follow_up_contact", false),
        ("follow_up_plan", true),
        ("housing_plan", true),
        ("individual_plan", false),
        ("main_coordinator", false),
        ("transfer", false),
    ]
    .into_iter()
    .map(|(s, b)| (s.to_owned(), b))
    .collect();
    assert_eq!(binding, expected);
    // Later migrations add versions (23: version 2); version 1 keeps every rule.
    let count: i64 =
        sqlx::query_scalar("SELECT count(*) FROM routine_rule WHERE routine_version_id = 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(count, rules);
    assert!(
        sqlx::query("UPDATE routine_rule SET binding = 0")
            .execute(&pool)
            .await
            .is_err(),
        "a published routine still does not change"
    );
    let dangling: i64 = sqlx::query_scalar("SELECT count(*) FROM pragma_foreign_key_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(dangling, 0);
}

#[tokio::test]
async fn the_ready_to_move_out_migration_keeps_every_stay_and_refuses_a_ready_day_before_arrival() {
    // A database as migration 16 left it, with the demo plans.
    let (_dir, pool) = seeded_before("20261204000017").await;
    let stays = || stay_rows(&pool, "");
    let before = stays().await;
    let old = task_tables(&pool).await;
    let log_rows = access_log_rows(&pool).await;
    assert!(before.len() > 10, "the demo plans are there");

    db::MIGRATOR.run(&pool).await.unwrap();

    assert_eq!(stays().await, before, "every stay kept as it was");
    assert_eq!(task_tables(&pool).await, old);
    assert_eq!(access_log_rows(&pool).await, log_rows);
    let ready: i64 = sqlx::query_scalar("SELECT count(*) FROM stay WHERE ready_on IS NOT NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(ready, 0);
    let first: i64 = sqlx::query_scalar("SELECT min(id) FROM stay")
        .fetch_one(&pool)
        .await
        .unwrap();
    let set = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query(sql).bind(first).execute(&pool).await }
    };
    assert!(
        set("UPDATE stay SET ready_on = date(arrival, '-1 day') WHERE id = ?1")
            .await
            .is_err(),
        "not before the arrival"
    );
    assert!(
        set("UPDATE stay SET ready_on = 'soon' WHERE id = ?1")
            .await
            .is_err()
    );
    assert!(
        set("UPDATE stay SET ready_on = arrival WHERE id = ?1")
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn the_duplicate_reason_migration_keeps_every_stay_and_bounds_the_reason() {
    // A database as migration 17 left it, with the demo plans.
    let (_dir, pool) = seeded_before("20261204000018").await;
    let stays = || stay_rows(&pool, "ready_on,");
    let before = stays().await;
    let old = task_tables(&pool).await;
    assert!(before.len() > 10, "the demo plans are there");

    db::MIGRATOR.run(&pool).await.unwrap();

    assert_eq!(stays().await, before, "every stay kept as it was");
    assert_eq!(task_tables(&pool).await, old);
    let reasons: i64 =
        sqlx::query_scalar("SELECT count(*) FROM stay WHERE duplicate_reason IS NOT NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(reasons, 0);
    let set = |reason: String| {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "UPDATE stay SET duplicate_reason = ?1 WHERE id = (SELECT min(id) FROM stay)",
            )
            .bind(reason)
            .execute(&pool)
            .await
        }
    };
    assert!(set(String::new()).await.is_err(), "not empty");
    assert!(set("x".repeat(1001)).await.is_err(), "not too long");
    assert!(set("Ny sak".to_owned()).await.is_ok());
}

/// Every stay's columns that migrations must keep, as one JSON text (with `more` columns, each
/// followed by a comma).
async fn stay_rows(pool: &sqlx::SqlitePool, more: &str) -> String {
    sqlx::query_scalar::<_, String>(&format!(
        "SELECT json_group_array(json_array(id, resident_id, arrival, home_district_id,
                target_district_id, planned_move_out, {more} move_out, outcome, version))
         FROM (SELECT * FROM stay ORDER BY id)"
    ))
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_district_manager_migration_keeps_every_user_and_what_refers_to_them() {
    // A database as migration 19 left it, with the demo users and plans.
    let (_dir, pool) = seeded_before("20261204000020").await;
    let users = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT json_group_array(json_array(id, email, name, role, district_id, service_kind,
                    password_hash, must_change_password, active, session_epoch, created_at,
                    totp_secret, totp_last_step, language, notify))
             FROM (SELECT * FROM app_user ORDER BY id)",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let before = users().await;
    let old = task_tables(&pool).await;
    let log_rows = access_log_rows(&pool).await;
    let listing = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT json_group_array(json_array(id, resident, assignee, district))
             FROM (SELECT * FROM task_listing ORDER BY id)",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let listed = listing().await;
    assert!(
        before.len() > 100 && old[0].len() > 100,
        "users and tasks are there"
    );

    db::MIGRATOR.run(&pool).await.unwrap();

    assert_eq!(
        users().await,
        before,
        "every user kept as it was, with its id"
    );
    assert_eq!(task_tables(&pool).await, old);
    assert_eq!(access_log_rows(&pool).await, log_rows);
    assert_eq!(listing().await, listed, "the view reads the same");
    let broken: Vec<(String, i64)> =
        sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    let on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(on, 1, "foreign keys are on again");
    let district: i64 = sqlx::query_scalar("SELECT id FROM district WHERE slug = 'alna'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let insert = |role: &'static str, service: Option<&'static str>| {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "INSERT INTO app_user (email, name, role, district_id, service_kind, password_hash)
                 VALUES (?1, 'Leder', ?2, ?3, ?4, '$argon2id$x')",
            )
            .bind(format!("{role}.{}@example.org", service.unwrap_or("none")))
            .bind(role)
            .bind(district)
            .bind(service)
            .execute(&pool)
            .await
        }
    };
    assert!(insert("district_manager", None).await.is_ok());
    assert!(
        insert("district_manager", Some("nav")).await.is_err(),
        "a district manager has no service"
    );
    assert!(
        insert("reviewer", None).await.is_err(),
        "other roles have no district"
    );
    assert!(insert("caseworker", Some("nav")).await.is_ok());
}

#[tokio::test]
async fn the_control_review_migration_keeps_every_outbox_row() {
    // A database as migration 20 left it, with the demo plans and their messages.
    let (_dir, pool) = seeded_before("20261204000021").await;
    let outbox = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT json_group_array(json_array(id, key, created_at, kind, audience, district_id,
                    service_kind, user_id, task_id, stay_id, deviation_id, on_date, state,
                    attempts, next_try_at, claim, claimed_until, sent_at, message_id, last_error))
             FROM (SELECT * FROM outbox ORDER BY id)",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let before = outbox().await;
    let old = task_tables(&pool).await;
    assert!(before.len() > 100, "the demo plans' messages are there");

    db::MIGRATOR.run(&pool).await.unwrap();

    assert_eq!(outbox().await, before, "every outbox row kept as it was");
    assert_eq!(task_tables(&pool).await, old);
    // A review message names its document and goes to leaders; no other message names one.
    let insert = |kind: &'static str, audience: &'static str, document: Option<i64>| {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "INSERT INTO outbox (key, created_at, kind, audience, district_id, service_kind,
                                     document_id, on_date, next_try_at)
                 VALUES (?1, '2026-06-01T09:00:00Z', ?2, ?3,
                         (SELECT id FROM district WHERE slug = 'alna'), 'nav', ?4, '2026-06-30',
                         '2026-06-01T09:00:00Z')",
            )
            .bind(format!("{kind}:{audience}:{document:?}"))
            .bind(kind)
            .bind(audience)
            .bind(document)
            .execute(&pool)
            .await
        }
    };
    assert!(
        insert("control_review_soon", "leader", Some(1))
            .await
            .is_ok()
    );
    assert!(
        insert("control_review_passed", "leader", None)
            .await
            .is_err()
    );
    assert!(
        insert("control_review_passed", "unit", Some(1))
            .await
            .is_err()
    );
    assert!(insert("unit_digest", "unit", Some(1)).await.is_err());
}

#[tokio::test]
async fn the_findings_migration_keeps_every_outbox_row_and_every_document_history_row() {
    // A database as migration 21 left it, with the demo plans' messages and a document's history.
    let (_dir, pool) = seeded_before("20261204000022").await;
    sqlx::query(
        "INSERT INTO district_document_event (district_id, document_id, at, user_id, user_name,
                                              status, adopted_on, adopted_by, review_on, link)
         VALUES ((SELECT id FROM district WHERE slug = 'alna'), 1, '2026-01-05T09:00:00.000Z',
                 (SELECT id FROM app_user WHERE role = 'admin'), 'Demo Administrator',
                 'adopted', '2026-01-05', 'Bydelsdirektør', '2027-01-05',
                 'https://alna.example/ros')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let outbox = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT json_group_array(json_array(id, key, created_at, kind, audience, district_id,
                    service_kind, user_id, task_id, stay_id, deviation_id, document_id, on_date,
                    state, attempts, next_try_at, claim, claimed_until, sent_at, message_id,
                    last_error))
             FROM (SELECT * FROM outbox ORDER BY id)",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let events = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT json_group_array(json_array(id, district_id, document_id, at, user_id,
                    user_name, status, adopted_on, adopted_by, review_on, link))
             FROM (SELECT * FROM district_document_event ORDER BY id)",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let (before, history) = (outbox().await, events().await);
    let old = task_tables(&pool).await;
    assert!(before.len() > 100, "the demo plans' messages are there");

    db::MIGRATOR.run(&pool).await.unwrap();

    assert_eq!(outbox().await, before, "every outbox row kept as it was");
    assert_eq!(events().await, history, "every history row kept as it was");
    assert_eq!(task_tables(&pool).await, old);
    assert_eq!(
        sqlx::query_scalar::<_, Option<i64>>("SELECT file_bytes FROM district_document_event")
            .fetch_one(&pool)
            .await
            .unwrap(),
        None,
        "an earlier row is a change of status, not an upload"
    );
    // A closure step's message names its step and goes to its unit; no other message names one.
    let insert = |kind: &'static str, audience: &'static str, step: Option<i64>| {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "INSERT INTO outbox (key, created_at, kind, audience, district_id, service_kind,
                                     step_id, on_date, next_try_at)
                 VALUES (?1, '2026-06-01T09:00:00Z', ?2, ?3,
                         (SELECT id FROM district WHERE slug = 'alna'), 'nav', ?4, '2026-06-30',
                         '2026-06-01T09:00:00Z')",
            )
            .bind(format!("{kind}:{audience}:{step:?}"))
            .bind(kind)
            .bind(audience)
            .bind(step)
            .execute(&pool)
            .await
        }
    };
    sqlx::query(
        "INSERT INTO control_finding (district_id, found_on, legal_basis, text, recorded_by,
                                      recorded_at)
         VALUES ((SELECT id FROM district WHERE slug = 'alna'), '2026-03-01', '§ 4', 'Funn',
                 (SELECT id FROM app_user WHERE role = 'admin'), '2026-03-01T09:00:00Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let step = |district: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "INSERT INTO finding_step (finding_id, district_id, service_kind, text, due_on,
                                           created_at, created_by)
                 VALUES (1, (SELECT id FROM district WHERE slug = ?1), 'nav', 'Tiltak',
                         '2026-04-01', '2026-03-01T09:00:00Z',
                         (SELECT id FROM app_user WHERE role = 'admin'))",
            )
            .bind(district)
            .execute(&pool)
            .await
        }
    };
    assert!(
        step("frogner").await.is_err(),
        "a step stays in its finding's district"
    );
    assert!(step("alna").await.is_ok());
    assert!(
        insert("finding_step_overdue", "unit", Some(1))
            .await
            .is_ok()
    );
    assert!(insert("finding_step_due_soon", "unit", None).await.is_err());
    assert!(
        insert("finding_step_due_soon", "leader", Some(1))
            .await
            .is_err()
    );
    assert!(insert("task_due_soon", "unit", Some(1)).await.is_err());
    // An uploaded document is a PDF.
    let upload = |content: &'static [u8]| {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "INSERT OR REPLACE INTO district_document_file (district_id, document_id, content,
                     bytes, sha256, uploaded_at, uploaded_by)
                 VALUES ((SELECT id FROM district WHERE slug = 'alna'), 1, ?1, length(?1),
                         printf('%064d', 0), '2026-03-01T09:00:00Z',
                         (SELECT id FROM app_user WHERE role = 'admin'))",
            )
            .bind(content)
            .execute(&pool)
            .await
        }
    };
    assert!(upload(b"<html>not a pdf</html>").await.is_err());
    assert!(upload(b"%PDF-1.7\n%%EOF\n").await.is_ok());
}

#[tokio::test]
async fn the_child_welfare_migration_keeps_every_rule_task_and_deviation_and_adds_version_two() {
    // A database as migration 22 left it, with the demo plans (under version 1) and a deviation.
    let (_dir, pool) = seeded_before("20261204000023").await;
    sqlx::query(
        "INSERT INTO deviation (stay_id, task_id, step, district_id, service_kind, origin, due_on,
                                opened_on, opened_at)
         SELECT stay_id, id, step, district_id, service_kind, 'deadline', due_on, '2026-04-20',
                '2026-04-20T08:00:00.000Z'
         FROM task WHERE district_id IS NOT NULL ORDER BY id LIMIT 1",
    )
    .execute(&pool)
    .await
    .unwrap();
    let rows = |query: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(query)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    const RULES: &str = "SELECT json_group_array(json_array(id, routine_version_id, step,
                             responsible, district_role, anchor, offset_unit, offset_amount,
                             needs_children, needs_concern, needs_target_differs, needs_temporary,
                             binding))
                         FROM (SELECT * FROM routine_rule ORDER BY id)";
    const DEVIATIONS: &str = "SELECT json_group_array(json_array(id, stay_id, task_id, step,
                                  district_id, service_kind, origin, due_on, opened_on, status))
                              FROM (SELECT * FROM deviation ORDER BY id)";
    const STAYS: &str = "SELECT json_group_array(json_array(id, routine_version_id, version,
                             concern_registered, report_sent, report_received, outcome))
                         FROM (SELECT * FROM stay ORDER BY id)";
    let (rules, deviations, stays) = (rows(RULES).await, rows(DEVIATIONS).await, rows(STAYS).await);
    let old = task_tables(&pool).await;
    assert!(deviations.len() > 10 && old[0].len() > 100);

    db::MIGRATOR.run(&pool).await.unwrap();

    assert_eq!(
        task_tables(&pool).await,
        old,
        "every task, event and notice kept"
    );
    assert_eq!(rows(DEVIATIONS).await, deviations, "every deviation kept");
    assert_eq!(
        rows(STAYS).await,
        stays,
        "every stay kept, under its version"
    );
    let now = rows(RULES).await;
    assert!(
        now.starts_with(rules.trim_end_matches(']')),
        "version 1's rules kept in place"
    );
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    let dangling: i64 = sqlx::query_scalar("SELECT count(*) FROM pragma_foreign_key_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(dangling, 0);
    let version_two: Vec<(String, String)> = sqlx::query_as(
        "SELECT r.step, r.anchor FROM routine_rule r
         JOIN routine_version v ON v.id = r.routine_version_id
         WHERE v.version = 2 ORDER BY r.id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(version_two.len(), 13);
    assert!(version_two.contains(&("transfer_receipt".into(), "handover_completed".into())));
    // The new step and the expected outcome are accepted; a wrong outcome is not.
    let expected = |outcome: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "UPDATE stay SET expected_outcome = ?1 WHERE id = (SELECT min(id) FROM stay)",
            )
            .bind(outcome)
            .execute(&pool)
            .await
        }
    };
    assert!(expected("temporary_public").await.is_ok());
    assert!(expected("somewhere").await.is_err());
    let receipt = sqlx::query(
        "INSERT INTO task (stay_id, rule_id, step, district_id, service_kind, due_on, created_at)
         SELECT s.id, r.id, 'transfer_receipt', s.home_district_id, 'child_welfare', '2026-05-01',
                '2026-04-20T08:00:00.000Z'
         FROM stay s, routine_rule r WHERE r.step = 'transfer_receipt' LIMIT 1",
    )
    .execute(&pool)
    .await;
    assert!(receipt.is_ok(), "{receipt:?}");
    // The rebuilt tables keep their guards: a deviation is never deleted, a rule never changed.
    assert!(
        sqlx::query("DELETE FROM deviation")
            .execute(&pool)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("UPDATE routine_rule SET offset_amount = 1")
            .execute(&pool)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_assigned_migration_keeps_every_task_history_row() {
    // A database as migration 23 left it, with the demo plans' task history.
    let (_dir, pool) = seeded_before("20261204000024").await;
    let old = task_tables(&pool).await;
    assert!(old[1].len() > 100, "the demo plans' history is there");

    db::MIGRATOR.run(&pool).await.unwrap();

    assert_eq!(
        task_tables(&pool).await,
        old,
        "every history row kept as it was"
    );
    let named: i64 =
        sqlx::query_scalar("SELECT count(*) FROM task_event WHERE assignee_name IS NOT NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(named, 0);
    let insert = |kind: &'static str, name: Option<&'static str>| {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "INSERT INTO task_event (task_id, at, kind, status, assignee_name)
                 VALUES ((SELECT min(id) FROM task), '2026-04-20T08:00:00.000Z', ?1,
                         'in_progress', ?2)",
            )
            .bind(kind)
            .bind(name)
            .execute(&pool)
            .await
        }
    };
    assert!(
        insert("assigned", None).await.is_err(),
        "an assignment names whom"
    );
    assert!(
        insert("claimed", Some("Kari")).await.is_err(),
        "only an assignment names one"
    );
    assert!(insert("assigned", Some("Kari")).await.is_ok());
    assert!(
        sqlx::query("DELETE FROM task_event")
            .execute(&pool)
            .await
            .is_err(),
        "the history stays append-only"
    );
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
}

#[tokio::test]
async fn the_imported_stays_migration_keeps_every_stay_and_task_and_refuses_a_half_stay() {
    // A database as migration 24 left it, with the demo plans.
    let (_dir, pool) = seeded_before("20261205000025").await;
    let stays = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT json_group_array(json_array(id, resident_id, arrival, move_out, referral,
                    outcome, home_district_id, version))
             FROM (SELECT * FROM stay ORDER BY id)",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let (before, old) = (stays().await, task_tables(&pool).await);
    assert!(before.len() > 20, "the demo stays are there");

    db::MIGRATOR.run(&pool).await.unwrap();

    assert_eq!(stays().await, before, "every stay kept as it was");
    assert_eq!(task_tables(&pool).await, old);
    let import: i64 = sqlx::query_scalar(
        "INSERT INTO stay_import (at, source, rows_added, rows_known)
         VALUES ('2026-12-05T10:00:00.000Z', 'command', 1, 0) RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let insert = |key: &'static str, arrival: &'static str, move_out: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "INSERT INTO imported_stay (import_id, person_key, gender, birth_year, arrival,
                                            move_out, children, referral, outcome)
                 VALUES (?1, ?2, 'female', 1980, ?3, ?4, 0, 'police', 'new_home')",
            )
            .bind(import)
            .bind(key)
            .bind(arrival)
            .bind(move_out)
            .execute(&pool)
            .await
        }
    };
    assert!(insert("K-1", "2024-01-01", "2024-02-01").await.is_ok());
    assert!(
        insert("K-1", "2024-01-01", "2024-03-01").await.is_err(),
        "one stay per person and arrival"
    );
    assert!(insert("K-2", "2024-02-01", "2024-01-01").await.is_err());
    assert!(insert("K-3", "2024-02-30", "2024-03-01").await.is_err());
    assert!(insert("", "2024-01-01", "2024-01-02").await.is_err());
}

#[tokio::test]
async fn the_consent_migration_keeps_every_task_and_shares_no_plan_until_consent_is_recorded() {
    // A database as migration 25 left it, with the demo plans (created before consent existed).
    let (_dir, pool) = seeded_before("20261205000026").await;
    let old = task_tables(&pool).await;
    let unit_tasks: i64 =
        sqlx::query_scalar("SELECT count(*) FROM task_listing WHERE district_id IS NOT NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(unit_tasks > 5, "the demo plans have unit tasks");

    db::MIGRATOR.run(&pool).await.unwrap();

    assert_eq!(task_tables(&pool).await, old, "every row kept as it was");
    let rows: Vec<(i64, String, String, bool)> = sqlx::query_as(
        "SELECT id, service_kind, step, shared FROM task_listing WHERE district_id IS NOT NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(rows.len() as i64, unit_tasks, "the view lists every task");
    // No consent is recorded for the plans made before: only child welfare with a report of
    // concern sees its stays (barnevernsloven § 13-2); the crisis center's own tasks stay shared.
    for (id, kind, _, shared) in &rows {
        let by_report: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM task t JOIN task x ON x.stay_id = t.stay_id
                            AND x.district_id = t.district_id
                            AND x.step IN ('child_welfare_review', 'child_welfare_investigation')
                            WHERE t.id = ?1)",
        )
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(*shared, kind == "child_welfare" && by_report, "task {id}");
    }
    assert!(rows.iter().any(|r| r.3), "child welfare keeps its reports");
    let center: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM task_listing WHERE district_id IS NULL AND shared = 0",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(center, 0);
}

#[tokio::test]
async fn the_correction_migration_keeps_every_resident() {
    // A database as migration 26 left it, with the demo plans.
    let (_dir, pool) = seeded_before("20261205000027").await;
    let residents = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT json_group_array(json_array(id, name, birth_year, gender, case_reference))
             FROM (SELECT * FROM resident ORDER BY id)",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let before = residents().await;
    assert!(
        before.contains("Demo Beboer"),
        "the demo residents are there"
    );

    db::MIGRATOR.run(&pool).await.unwrap();

    assert_eq!(residents().await, before, "every resident kept as it was");
    let corrections: i64 = sqlx::query_scalar("SELECT count(*) FROM resident_correction")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(corrections, 0);
}
