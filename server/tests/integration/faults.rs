//! Issue 11: what a run under load and faults found, one test (or more) per finding.

use crate::plans::{create_plan, stay_version};
use crate::support::TestApp;
use serde_json::Value;
use time::macros::datetime;

#[tokio::test]
async fn an_exit_meeting_in_the_hour_oslo_skips_is_refused_and_one_in_the_repeated_hour_is_marked()
{
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await;
    let s = stay.to_string();
    let plan_meeting = |at: &'static str| {
        let staff = &staff;
        let app = &app;
        let s = s.clone();
        async move {
            let v = stay_version(app, stay).await;
            staff
                .call(
                    "plan_exit_meeting",
                    &[
                        ("stay", &s),
                        ("version", &v),
                        ("starts_at", at),
                        ("invited[nav]", "1"),
                    ],
                )
                .await
        }
    };
    // 02:30 on 29 March 2026 never happens in Oslo: the clocks go from 02:00 to 03:00.
    let res = plan_meeting("2026-03-29T02:30").await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["field"], "starts_at");
    let meeting: Value = staff
        .call("plan", &[("stay", &s)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(meeting["exit_meeting"], Value::Null, "nothing stored");
    // Without JavaScript the form says why.
    let (_, html) = staff
        .get_text(&format!(
            "/planer/{stay}?feil=E-INVALID-INPUT&felt=starts_at"
        ))
        .await;
    assert!(
        html.contains("hoppes timen 02:00–03:00 over"),
        "the rule in words"
    );

    // 02:30 on 25 October 2026 happens twice: taken as the first, and the plan says so.
    assert_eq!(plan_meeting("2026-10-25T02:30").await.status(), 200);
    let plan: Value = staff
        .call("plan", &[("stay", &s)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plan["exit_meeting"]["starts_in_repeated_hour"], true);
    let (_, html) = staff.get_text(&format!("/planer/{stay}")).await;
    assert!(html.contains("kommer to ganger"), "the page says which one");
    assert_eq!(plan_meeting("2026-03-29T03:00").await.status(), 200);
}

#[tokio::test]
async fn a_client_that_sends_its_headers_too_slowly_is_disconnected() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "ok" }));
    let limits = server::ServeLimits {
        header_read: std::time::Duration::from_millis(300),
        shutdown: std::time::Duration::from_secs(1),
    };
    tokio::spawn(server::serve_until(
        listener,
        app,
        std::future::pending(),
        limits,
    ));
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .unwrap();
    // The server closes the connection (with or without a 408 first); the bound only guards
    // against a hanging test.
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        slow.read_to_end(&mut rest),
    )
    .await;
    assert!(closed.is_ok(), "the connection was closed by the server");
    // A client that sends its request in time is served.
    let mut quick = tokio::net::TcpStream::connect(addr).await.unwrap();
    quick
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    quick.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_client_that_sent_half_its_headers_does_not_keep_the_server_from_stopping() {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "ok" }));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let limits = server::ServeLimits {
        // Longer than the test: the shutdown deadline is what ends the connection here.
        header_read: std::time::Duration::from_secs(60),
        shutdown: std::time::Duration::from_millis(500),
    };
    let server = tokio::spawn(server::serve_until(
        listener,
        app,
        async move {
            let _ = stopped.await;
        },
        limits,
    ));
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.send(()).unwrap();
    // Without the deadline this never finishes (the probe saw 85 s and counting); the bound is
    // only a guard against hanging the test run.
    let result = tokio::time::timeout(std::time::Duration::from_secs(10), server).await;
    assert!(result.is_ok(), "the server stopped after its deadline");
    result.unwrap().unwrap().unwrap();
}

#[tokio::test]
async fn setting_up_refuses_an_empty_file_and_reports_never_create_or_migrate_a_database() {
    use crate::support::config_for;
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(dir.path());
    let file = config.database_file().unwrap();

    // A report on a mistyped path fails, and leaves no file behind.
    let err = server::open_existing(&config)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("no database"), "{err}");
    assert!(!file.exists(), "nothing was created");
    let err = server::check(&config, false).await.unwrap_err().to_string();
    assert!(err.contains("no database"), "{err}");
    assert!(!file.exists(), "portal check creates nothing");

    // An empty file is not a new database.
    std::fs::write(&file, b"").unwrap();
    let err = server::open_database(&config)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("empty"), "{err}");
    let err = server::open_existing(&config)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("empty"), "{err}");
    assert_eq!(std::fs::metadata(&file).unwrap().len(), 0, "still empty");

    // Set up, then one migration undone: a report refuses the older database, and migrates
    // nothing (a running server of the older version keeps its schema).
    std::fs::remove_file(&file).unwrap();
    let _db = server::open_database(&config).await.unwrap();
    let pool = crate::support::side_pool(&config.database_url).await;
    assert!(server::open_existing(&config).await.is_ok());
    let last = app::server::db::MIGRATOR
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = ?1")
        .bind(last)
        .execute(&pool)
        .await
        .unwrap();
    let err = server::open_existing(&config)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("older") && err.contains(&last.to_string()),
        "{err}"
    );
    let applied: i64 =
        sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE version = ?1")
            .bind(last)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(applied, 0, "the report did not migrate");
}

#[tokio::test]
async fn portal_check_says_which_when_the_database_is_older_newer_or_corrupt() {
    use crate::support::config_for;
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(dir.path());
    let db = server::open_database(&config).await.unwrap();
    app::server::demo::seed_demo(&db).await.unwrap();
    db.close().await;
    let pool = crate::support::side_pool(&config.database_url).await;
    let (lines, ok) = server::check(&config, false).await.unwrap();
    assert!(ok, "{lines:?}");
    assert!(lines.contains(&"quick_check=ok".to_owned()), "{lines:?}");
    assert!(
        lines.contains(&"migrations=current".to_owned()),
        "{lines:?}"
    );

    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (29991231000001, 'from the future', 1, x'00', 0)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let (lines, ok) = server::check(&config, false).await.unwrap();
    assert!(!ok);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("newer") && l.contains("29991231000001")),
        "{lines:?}"
    );
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 29991231000001")
        .execute(&pool)
        .await
        .unwrap();
    // The page a table of the directory starts at (a page in use, not a free one).
    let (root, page): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT rootpage FROM sqlite_schema WHERE name = 'contact'), (SELECT page_size FROM pragma_page_size)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    // Everything into the main file first, so that the page is there.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    // Garbage written over that page (as a failing disk might).
    let file = config.database_file().unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    let (start, len) = ((root as usize - 1) * page as usize, page as usize);
    bytes[start..start + len].fill(0x5a);
    std::fs::write(&file, &bytes).unwrap();
    match server::check(&config, true).await {
        Ok((lines, ok)) => {
            assert!(!ok, "{lines:?}");
            assert!(
                lines
                    .iter()
                    .any(|l| l.starts_with("integrity_check=FAILED")),
                "{lines:?}"
            );
        }
        Err(err) => assert!(err.to_string().contains("malformed"), "{err}"),
    }
}

async fn stays(pool: &sqlx::SqlitePool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM stay")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_backup_taken_during_writes_is_consistent_checked_and_private_and_restores() {
    use std::os::unix::fs::PermissionsExt;
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    for _ in 0..3 {
        create_plan(&app, &staff, &[]).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("backup.db");
    // Plans keep being created while the copy is made.
    let writer = {
        let base = app.base.clone();
        let staff = crate::support::Browser {
            base,
            http: staff.http.clone(),
        };
        let home = crate::plans::district_id(&app, "alna").await.to_string();
        tokio::spawn(async move {
            for i in 0..20 {
                let name = format!("Skriver Nummer{i}");
                let res = staff
                    .call(
                        "plan_create",
                        &[
                            ("name", name.as_str()),
                            ("birth_year", "1990"),
                            ("gender", "female"),
                            ("arrival", "2026-03-16"),
                            ("referral", "police"),
                            ("home", home.as_str()),
                        ],
                    )
                    .await;
                assert_eq!(res.status(), 200);
            }
        })
    };
    let verified = server::backup::backup(&app.db, &copy).await.unwrap();
    writer.await.unwrap();
    let copied = verified.tables.iter().find(|(t, _)| t == "stay").unwrap().1;
    assert!(copied >= 3 && copied <= stays(&app.pool).await, "{copied}");
    assert_eq!(
        std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o600,
        "the copy is private"
    );
    assert!(
        server::backup::backup(&app.db, &copy).await.is_err(),
        "an existing file is never overwritten"
    );

    // Restore into another portal's database: the old file is kept aside, never deleted.
    let config = crate::support::config_for(dir.path());
    let target = config.database_file().unwrap();
    let fresh = server::open_database(&config).await.unwrap();
    fresh.close().await;
    let (_, kept) = server::backup::restore(&target, &copy, 1_800_000_000)
        .await
        .unwrap();
    assert!(kept.unwrap().exists());
    let restored = server::open_existing(&config).await.unwrap();
    assert_eq!(stays(restored.read_pool()).await, copied);
    restored.close().await;

    // Not while a portal serves it; not from a damaged file.
    let serving = server::backup::ServeLock::take(&target).unwrap();
    let err = server::backup::restore(&target, &copy, 1_800_000_001)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("serving"), "{err}");
    drop(serving);
    let damaged = dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&copy).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 4096].fill(0x5a);
    std::fs::write(&damaged, &bytes).unwrap();
    assert!(
        server::backup::restore(&target, &damaged, 1_800_000_002)
            .await
            .is_err()
    );
    let still = server::open_existing(&config).await.unwrap();
    assert_eq!(
        stays(still.read_pool()).await,
        copied,
        "the database was not touched"
    );
}

/// A migrated database in `dir` with a table to fill (`filler`), and its URL.
async fn filler_database(dir: &std::path::Path) -> (app::server::db::Db, String) {
    let url = format!("sqlite://{}", dir.join("filler.db").display());
    let db = app::server::db::Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    sqlx::query("CREATE TABLE filler (n INTEGER PRIMARY KEY, data BLOB NOT NULL)")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (db, url)
}

/// A database whose writer may use at most `extra_pages` pages more than the migrated schema
/// takes (SQLite's own size limit: the disk is "full" beyond it), with a table to fill.
async fn nearly_full_database(dir: &std::path::Path, extra_pages: i64) -> app::server::db::Db {
    use std::str::FromStr;
    let (db, url) = filler_database(dir).await;
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(db.read_pool())
        .await
        .unwrap();
    db.close().await;
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
        .unwrap()
        .pragma("max_page_count", (pages + extra_pages).to_string());
    app::server::db::Db::connect_with(options, false)
        .await
        .unwrap()
}

async fn insert_filler(db: &app::server::db::Db, n: i64, bytes: i64) -> bool {
    let Ok(mut tx) = db.begin_write().await else {
        return false;
    };
    let inserted = sqlx::query("INSERT INTO filler (n, data) VALUES (?1, zeroblob(?2))")
        .bind(n)
        .bind(bytes)
        .execute(&mut *tx)
        .await;
    if inserted.is_err() {
        return false;
    }
    tx.commit().await.is_ok()
}

#[tokio::test]
async fn after_a_full_disk_the_writer_recovers_and_nothing_unacknowledged_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = nearly_full_database(dir.path(), 40).await;
    // Fill it: 4 KiB rows until SQLite says the database is full.
    let mut n = 0;
    while insert_filler(&db, n, 4000).await {
        n += 1;
        assert!(n < 1000, "the size limit did not take");
    }
    let acknowledged = n;
    // Twenty more attempts fail the same clean way (before, each failure could leave a pooled
    // connection unusable, "begin_with at non-zero transaction depth").
    for attempt in 0..20 {
        assert!(!insert_filler(&db, 10_000 + attempt, 4000).await);
    }
    // Room again: the same writer goes on, for a delete and then for new rows.
    let mut tx = db
        .begin_write()
        .await
        .expect("the writer works after the failures");
    sqlx::query("DELETE FROM filler WHERE n < 10")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        insert_filler(&db, 20_000, 100).await,
        "a small row fits again"
    );
    let rows: Vec<i64> = sqlx::query_scalar("SELECT n FROM filler ORDER BY n")
        .fetch_all(db.read_pool())
        .await
        .unwrap();
    let expected: Vec<i64> = (10..acknowledged).chain([20_000]).collect();
    assert_eq!(rows, expected, "every acknowledged row, and no other");
    assert!(app::server::db::probe(&db, 1).await.is_ok());
}

#[tokio::test]
async fn writers_at_once_near_a_full_disk_get_an_answer_each_and_only_acknowledged_rows_stay() {
    // Many writers at once: they are committed in groups. A group that fails (the disk is full
    // half-way through it) fails for all its members; none of them may find its row stored, and
    // every member told "committed" must.
    let dir = tempfile::tempdir().unwrap();
    let db = nearly_full_database(dir.path(), 30).await;
    let writers: Vec<_> = (0..200)
        .map(|n| {
            let db = db.clone();
            // Mostly small rows, every fifth a large one.
            let bytes = if n % 5 == 0 { 3000 } else { 200 };
            tokio::spawn(async move { (n, insert_filler(&db, n, bytes).await) })
        })
        .collect();
    let mut acknowledged = Vec::new();
    let mut refused = 0;
    for writer in writers {
        let (n, ok) = writer.await.unwrap();
        if ok {
            acknowledged.push(n);
        } else {
            refused += 1;
        }
    }
    assert!(refused > 0, "the disk filled up");
    assert!(!acknowledged.is_empty(), "some writes fit");
    acknowledged.sort_unstable();
    let stored: Vec<i64> = sqlx::query_scalar("SELECT n FROM filler ORDER BY n")
        .fetch_all(db.read_pool())
        .await
        .unwrap();
    assert_eq!(stored, acknowledged);
}

#[tokio::test]
async fn writes_are_refused_while_the_database_file_is_gone_or_replaced_and_resume_when_it_is_back()
{
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    create_plan(&app, &staff, &[]).await;
    let stays = || async { crate::support::count(&app, "SELECT count(*) FROM stay").await };
    assert_eq!(stays().await, 1);
    let aside = app.db_file.with_extension("moved");

    // Moved away (as `rm` or a mistaken `mv` does): no write is acknowledged.
    std::fs::rename(&app.db_file, &aside).unwrap();
    let res = crate::plans::call_create_plan(&app, &staff, &[]).await;
    assert_eq!(res.status(), 503);
    assert_eq!(app.get("/healthz").await.status(), 503);
    std::fs::rename(&aside, &app.db_file).unwrap();
    assert_eq!(stays().await, 1, "the refused write is nowhere");

    // Back: writes go on.
    assert_eq!(app.get("/healthz").await.status(), 200);
    create_plan(&app, &staff, &[]).await;
    assert_eq!(stays().await, 2);

    // Replaced by another file (a copy, as a careless restore makes): refused, and the copy
    // is not written to.
    std::fs::copy(&app.db_file, &aside).unwrap();
    std::fs::rename(&app.db_file, app.db_file.with_extension("original")).unwrap();
    std::fs::rename(&aside, &app.db_file).unwrap();
    let res = crate::plans::call_create_plan(&app, &staff, &[]).await;
    assert_eq!(res.status(), 503);
    assert_eq!(app.get("/healthz").await.status(), 503);
}

#[tokio::test]
async fn healthz_commits_a_write_and_is_unhealthy_when_no_write_can_commit() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    let probed: i64 = crate::support::count(&app, "SELECT probed_at FROM health_probe").await;
    assert_eq!(probed, app.clock.unix(), "the probe's write is in the file");
    // A writer that cannot commit (the probe's row is locked away by another process holding
    // the write lock past the busy timeout would take 5 s; a trigger that refuses the update is
    // the same for the check): unhealthy.
    sqlx::query(
        "CREATE TRIGGER no_probe BEFORE UPDATE ON health_probe BEGIN SELECT RAISE(ABORT, 'no'); END",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    app.clock.advance(time::Duration::seconds(10));
    assert_eq!(app.get("/healthz").await.status(), 503);
    // Rate limited: within five seconds the answer is the last probe's.
    sqlx::query("DROP TRIGGER no_probe")
        .execute(&app.pool)
        .await
        .unwrap();
    app.clock.advance(time::Duration::seconds(2));
    assert_eq!(app.get("/healthz").await.status(), 503);
    app.clock.advance(time::Duration::seconds(5));
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn writers_at_once_are_committed_together_and_each_finds_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = filler_database(dir.path()).await;
    let before = db.write_stats();
    let writers: Vec<_> = (0..100)
        .map(|n| {
            let db = db.clone();
            tokio::spawn(async move { insert_filler(&db, n, 10).await })
        })
        .collect();
    for writer in writers {
        assert!(writer.await.unwrap(), "every write is acknowledged");
    }
    let after = db.write_stats();
    assert_eq!(after.transactions - before.transactions, 100);
    let commits = after.commits - before.commits;
    assert!(
        commits < 100,
        "writers that waited were committed together: {commits} commits for 100 writes"
    );
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM filler")
        .fetch_one(db.read_pool())
        .await
        .unwrap();
    assert_eq!(stored, 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_during_a_burst_of_writes_keeps_every_acknowledged_write() {
    use std::sync::{Arc, Mutex};
    let dir = tempfile::tempdir().unwrap();
    let config = crate::support::config_for(dir.path());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .args(["serve", "--seed-demo"])
        .env("PORTAL_DATABASE_URL", &config.database_url)
        .env("PORTAL_ADDR", format!("127.0.0.1:{port}"))
        .env("PORTAL_SITE_ROOT", &config.site_root)
        // The demo's messages go to the test's own folder, not `data/mail/` of the checkout.
        .env("PORTAL_MAIL_DIR", dir.path().join("mail"))
        .env("PORTAL_REQUIRE_SECOND_FACTOR", "false")
        .env("PORTAL_SIGN_IN_BURST", "100")
        .env("PORTAL_LOG", "error")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let http = crate::support::client();
    let mut ready = false;
    for _ in 0..100 {
        if let Ok(res) = http.get(format!("{base}/healthz")).send().await {
            ready = res.status() == 200;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(ready, "the server started");
    let home: i64 = {
        let pool = crate::support::side_pool(&config.database_url).await;
        let id = sqlx::query_scalar("SELECT id FROM district WHERE slug = 'alna'")
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        id
    };

    // Eight people create plans as fast as the server answers; every plan the server said it
    // created is noted. The server is killed (SIGKILL) in the middle of it.
    let acknowledged: Arc<Mutex<Vec<i64>>> = Arc::default();
    let mut writers = Vec::new();
    for w in 0..8 {
        let staff = crate::support::client();
        let res = staff
            .post(format!("{base}/innlogging"))
            .header("sec-fetch-site", "same-origin")
            .form(&[
                ("email", app::server::demo::demo_email("krisesenter")),
                ("password", app::server::demo::DEMO_PASSWORD.to_owned()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let acknowledged = acknowledged.clone();
        let base = base.clone();
        writers.push(tokio::spawn(async move {
            for n in 0.. {
                let sent = staff
                    .post(format!("{base}/api/plan_create"))
                    .form(&[
                        ("name", format!("Kill Testesen {w}-{n}")),
                        ("birth_year", "1990".to_owned()),
                        ("gender", "female".to_owned()),
                        (
                            "arrival",
                            time::OffsetDateTime::now_utc().date().to_string(),
                        ),
                        ("referral", "police".to_owned()),
                        ("home", home.to_string()),
                    ])
                    .send()
                    .await;
                let Ok(res) = sent else { break };
                if res.status() != 200 {
                    break;
                }
                let Ok(stay) = res.json::<i64>().await else {
                    break;
                };
                acknowledged.lock().unwrap().push(stay);
            }
        }));
    }
    while acknowledged.lock().unwrap().len() < 150 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    // After a restart (the opening `serve` does), every acknowledged plan is there with its
    // access-log row, and SQLite finds the file sound.
    let db = server::open_database(&config).await.unwrap();
    let pool = db.read_pool();
    let ok: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(pool)
        .await
        .unwrap();
    assert_eq!(ok, ["ok"]);
    for stay in &acknowledged {
        let (stays, logged): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM stay WHERE id = ?1),
                    (SELECT count(*) FROM access_log
                     WHERE action = 'plan.create' AND object_type = 'stay' AND object_id = ?2)",
        )
        .bind(stay)
        .bind(stay.to_string())
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(
            (stays, logged),
            (1, 1),
            "stay {stay} and its access-log row"
        );
    }
    assert!(acknowledged.len() >= 150);
}

#[tokio::test]
async fn nightly_backups_are_checked_copies_and_only_the_newest_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let app = TestApp::spawn().await;
    let dir = app.db_file.parent().unwrap().join("nightly");
    // Someone else's file in the folder is never touched.
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "keep me").unwrap();
    let mut made = Vec::new();
    for night in 1..=4 {
        let at = time::OffsetDateTime::from_unix_timestamp(1_800_000_000 + night * 86_400).unwrap();
        made.push(server::backup::nightly(&app.db, &dir, 2, at).await.unwrap());
    }
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    let newest: Vec<String> = made[2..]
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_owned())
        .collect();
    assert_eq!(left, ["notes.txt", newest[0].as_str(), newest[1].as_str()]);
    assert_eq!(newest[0], "portal-20270118T080000Z.db");
    for copy in &made[2..] {
        let verified = server::backup::verify(copy).await.unwrap();
        assert!(
            verified
                .tables
                .iter()
                .any(|(t, n)| t == "district" && *n == 15)
        );
        assert_eq!(
            std::fs::metadata(copy).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[tokio::test]
async fn a_read_transaction_left_open_is_rolled_back_before_its_connection_is_used_again() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = filler_database(dir.path()).await;
    assert!(insert_filler(&db, 1, 10).await);
    // A request that goes away in the middle of its read transaction.
    let mut read = db.begin_read().await.unwrap();
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM filler")
        .fetch_one(&mut *read)
        .await
        .unwrap();
    assert_eq!(seen, 1);
    drop(read);
    assert!(insert_filler(&db, 2, 10).await);
    // Every read connection (the one left behind among them) starts a new transaction and sees
    // the row written after the abandoned snapshot.
    let mut held = Vec::new();
    for _ in 0..7 {
        let mut read = db.begin_read().await.unwrap();
        let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM filler")
            .fetch_one(&mut *read)
            .await
            .unwrap();
        assert_eq!(
            seen, 2,
            "a snapshot of before the second write was left open"
        );
        held.push(read);
    }
    for read in held {
        read.commit().await.unwrap();
    }
    let mut conn = db.acquire().await.unwrap();
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM filler")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(seen, 2);
}

#[tokio::test]
async fn a_one_statement_write_commits_with_its_group_and_one_that_fails_spoils_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = filler_database(dir.path()).await;
    let statement = |n: i64| {
        let db = db.clone();
        async move {
            let mut tx = db.begin_write_statement().await?;
            sqlx::query("INSERT INTO filler (n, data) VALUES (?1, zeroblob(10))")
                .bind(n)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        }
    };
    statement(1).await.unwrap();
    // Writers at once: with and without savepoints, and one statement that fails (row 1 is
    // there already).
    let mut writers = Vec::new();
    for n in 2..40 {
        let db = db.clone();
        writers.push(tokio::spawn(async move { insert_filler(&db, n, 10).await }));
        let one = statement(100 + n);
        writers.push(tokio::spawn(async move { one.await.is_ok() }));
    }
    let failing = statement(1);
    let failed = tokio::spawn(async move { failing.await.is_err() });
    for writer in writers {
        assert!(writer.await.unwrap(), "every other write is acknowledged");
    }
    assert!(failed.await.unwrap(), "the duplicate row is refused");
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM filler")
        .fetch_one(db.read_pool())
        .await
        .unwrap();
    assert_eq!(stored, 1 + 38 * 2);
    assert!(insert_filler(&db, 1000, 10).await, "the writer goes on");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callers_of_a_shared_read_share_the_next_run_and_each_sees_what_was_written_before_it_asked()
 {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = filler_database(dir.path()).await;
    assert!(insert_filler(&db, 1, 10).await);
    let runs = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    // A run of the read: counts the rows, then waits for the gate to finish.
    let read = |db: app::server::db::Db,
                runs: Arc<AtomicUsize>,
                gate: Arc<tokio::sync::Semaphore>| async move {
        db.shared_read("filler".to_owned(), || async {
            let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM filler")
                .fetch_one(&mut *db.acquire().await?)
                .await?;
            runs.fetch_add(1, Ordering::SeqCst);
            gate.acquire().await.expect("open").forget();
            Ok(rows)
        })
        .await
        .map(|rows| *rows)
    };
    let first = tokio::spawn(read(db.clone(), runs.clone(), gate.clone()));
    while runs.load(Ordering::SeqCst) < 1 {
        tokio::task::yield_now().await;
    }
    // Written while the first run is under way: it has counted already; those who ask now must
    // see the new row.
    assert!(insert_filler(&db, 2, 10).await);
    let later: Vec<_> = (0..10)
        .map(|_| tokio::spawn(read(db.clone(), runs.clone(), gate.clone())))
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    gate.add_permits(100);
    assert_eq!(first.await.unwrap().unwrap(), 1);
    for caller in later {
        assert_eq!(
            caller.await.unwrap().unwrap(),
            2,
            "a caller got a run that began before it asked"
        );
    }
    assert_eq!(
        runs.load(Ordering::SeqCst),
        2,
        "the ten who asked during the first run shared one"
    );
}
