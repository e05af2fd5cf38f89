//! National scale: generates 40,000 stays with more than 250,000 tasks (five years of arrivals across the
//! districts, older plans mostly closed, a backlog of overdue tasks) and times the deadline scan
//! and the main list pages' queries. Prints figures; asserts nothing
//! (`cargo bench -p server --bench plans`).

use app::domain::plan::StayId;
use app::domain::{DistrictId, Role, ServiceKind, Unit, UserId};
use app::server::repo::access_log::ActorSnapshot;
use app::server::service::plans::{self, Viewer, When};
use std::time::{Duration, Instant};
use time::macros::{date, datetime};

/// About seven tasks per stay: 40,000 stays give more than 250,000 tasks.
const STAYS: i64 = 40_000;
const ROUNDS: usize = 20;

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<44} median {:8.2} ms   p90 {:8.2} ms   max {:8.2} ms",
        ms(samples[samples.len() / 2]),
        ms(samples[samples.len() * 9 / 10]),
        ms(samples[samples.len() - 1]),
    );
}

async fn time<T, F: std::future::Future<Output = T>>(name: &str, mut f: impl FnMut() -> F) -> T {
    let mut samples = Vec::with_capacity(ROUNDS);
    let mut last = None;
    for _ in 0..ROUNDS {
        let t = Instant::now();
        last = Some(f().await);
        samples.push(t.elapsed());
    }
    summary(name, samples);
    last.expect("at least one round")
}

/// Residents, stays and tasks in bulk, in SQL: arrivals every ~1.1 hours over five years, home
/// districts in turn, a third with another target district, children in 40 %. Each stay has the
/// tasks of routine version 1 that apply to it (the transfer twice when the target differs,
/// child welfare's when there are children); tasks of stays that moved out are done, but one
/// in 40 is left open (the backlog of overdue tasks the board shows).
const GENERATE: &str = r#"
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
INSERT INTO resident (id, name, birth_year, gender, case_reference, created_at)
SELECT i, 'Beboer ' || i, 1960 + i % 45, CASE WHEN i % 10 = 0 THEN 'male' ELSE 'female' END,
       'KS-' || i, '2022-01-01T00:00:00.000Z'
FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
INSERT INTO stay (id, resident_id, routine_version_id, arrival, referral, home_district_id,
                  target_district_id, target_reason, planned_move_out, move_out, outcome,
                  main_coordinator_id, no_exit_meeting_reason, created_at)
SELECT i, i, 1, a.arrival, 'police', a.home,
       CASE WHEN i % 3 = 0 THEN 1 + (a.home % 15) END,
       CASE WHEN i % 3 = 0 THEN 'threat' END,
       date(a.arrival, '+28 days'),
       CASE WHEN date(a.arrival, '+35 days') < '2026-11-22' THEN date(a.arrival, '+35 days') END,
       CASE WHEN date(a.arrival, '+35 days') < '2026-11-22'
            THEN CASE i % 6 WHEN 0 THEN 'temporary_public' WHEN 1 THEN 'abuser' ELSE 'new_home' END END,
       NULL,
       CASE WHEN date(a.arrival, '+35 days') < '2026-11-22' THEN 'Generert' END,
       a.arrival || 'T08:00:00.000Z'
FROM (SELECT i, date('2022-01-01', '+' || (i * 1786 / ?1) || ' days') AS arrival,
             1 + (i % 15) AS home FROM n) a;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
INSERT INTO child (stay_id, birth_year) SELECT i, 2015 + i % 10 FROM n WHERE i % 5 < 2;
"#;

const TASKS: &str = r#"
INSERT INTO task (stay_id, rule_id, step, district_id, service_kind, due_on, status, closed_on,
                  reason, created_at)
SELECT s.id, r.id, r.step,
       CASE r.district_role WHEN 'none' THEN NULL
            WHEN 'home' THEN s.home_district_id
            ELSE coalesce(s.target_district_id, s.home_district_id) END,
       CASE r.responsible WHEN 'crisis_center' THEN NULL ELSE r.responsible END,
       date(CASE r.anchor WHEN 'arrival' THEN s.arrival
                          WHEN 'move_out' THEN coalesce(s.move_out, s.planned_move_out)
                          WHEN 'planned_move_out' THEN s.planned_move_out
                          ELSE date(s.arrival, '+3 days') END,
            '+' || r.offset_amount || ' ' || r.offset_unit),
       CASE WHEN s.move_out IS NOT NULL AND (s.id + r.id) % 40 <> 0 THEN 'done' ELSE 'open' END,
       CASE WHEN s.move_out IS NOT NULL AND (s.id + r.id) % 40 <> 0 THEN s.move_out END,
       NULL,
       s.created_at
FROM stay s JOIN routine_rule r ON r.routine_version_id = 1
WHERE (r.needs_children = 0 OR s.id % 5 < 2)
  AND (r.needs_target_differs = 0 OR s.target_district_id IS NOT NULL)
  AND (r.needs_temporary = 0 OR s.outcome = 'temporary_public')
  AND (r.anchor <> 'move_out' OR s.move_out IS NOT NULL);
"#;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let pool = app::server::db::connect(&url).await.expect("database");
    app::server::db::migrate(&pool).await.expect("migrations");
    app::server::demo::seed_demo(&pool)
        .await
        .expect("demo data");

    let t = Instant::now();
    sqlx::raw_sql(&GENERATE.replace("?1", &STAYS.to_string()))
        .execute(&pool)
        .await
        .expect("generate stays");
    sqlx::raw_sql(TASKS)
        .execute(&pool)
        .await
        .expect("generate tasks");
    sqlx::raw_sql("ANALYZE")
        .execute(&pool)
        .await
        .expect("analyze");
    let (stays, tasks, open): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM stay), (SELECT count(*) FROM task),
                (SELECT count(*) FROM task WHERE status IN ('open', 'in_progress'))",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let size = std::fs::metadata(dir.path().join("bench.db")).map_or(0, |m| m.len());
    println!(
        "generated {stays} stays, {tasks} tasks ({open} open) in {:.1} s; database {:.1} MB",
        t.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );
    assert!(
        stays >= 25_000 && tasks >= 250_000,
        "the dataset is national scale"
    );

    let today = date!(2026 - 11 - 22);
    let when = When {
        at: datetime!(2026-11-22 09:00 UTC),
        today,
        soon_days: 3,
    };
    let (staff, nav): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT id FROM app_user WHERE role = 'crisis_center'),
                (SELECT id FROM app_user WHERE email LIKE 'nav.alna@%')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let staff = ActorSnapshot {
        user: UserId(staff),
        name: "Bench".into(),
        role: Role::CrisisCenter,
    };
    let nav_actor = ActorSnapshot {
        user: UserId(nav),
        name: "Bench".into(),
        role: Role::Caseworker,
    };
    let alna: i64 = sqlx::query_scalar("SELECT id FROM district WHERE slug = 'alna'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let alna_nav = Unit {
        district: DistrictId(alna),
        service: ServiceKind::Nav,
    };

    let counts = time("deadline scan (all districts and services)", || {
        plans::deadline_counts(&pool, today, 3, None)
    })
    .await
    .unwrap();
    let overdue: i64 = counts.iter().map(|c| c.overdue).sum();
    println!("  -> {} rows, {overdue} overdue tasks", counts.len());
    time("district board (one district)", || {
        plans::deadline_counts(&pool, today, 3, Some(DistrictId(alna)))
    })
    .await
    .unwrap();
    let inbox = time("inbox of Alna NAV (with its log row)", || {
        plans::inbox(&pool, when, &nav_actor, Some(alna_nav))
    })
    .await
    .unwrap();
    println!("  -> {} open tasks", inbox.len());
    let list = time("crisis center's plan list (with its log row)", || {
        plans::plans(&pool, when, &staff)
    })
    .await
    .unwrap();
    println!("  -> {} plans shown of {}", list.plans.len(), list.total);
    let newest = StayId(STAYS);
    time("one plan, whole (with its log row)", || {
        plans::plan(&pool, when, &staff, Viewer::CrisisCenter, newest)
    })
    .await
    .unwrap();

    // The same lists as pages: the real router, server-side rendering included.
    let mut config = server::config::Config::local(url.clone(), dir.path().join("site"));
    config.sign_in_burst = 1000;
    let clock = app::server::Clock::manual(when.at);
    let router = server::build_router_with_clock(pool.clone(), &config, clock)
        .await
        .expect("router");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap()
    });
    for (user, paths) in [
        ("nav.alna", &["/oppgaver", "/bydeler/alna/frister"][..]),
        ("krisesenter", &["/planer", "/planer/40000"][..]),
    ] {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let res = client
            .post(format!("{base}/innlogging"))
            .form(&[
                ("email", app::server::demo::demo_email(user)),
                ("password", app::server::demo::DEMO_PASSWORD.to_owned()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        for path in paths {
            let bytes = time(&format!("GET {path} as {user} (page)"), || async {
                let res = client.get(format!("{base}{path}")).send().await.unwrap();
                assert_eq!(res.status(), 200, "{path}");
                res.bytes().await.unwrap().len()
            })
            .await;
            println!("  -> {:.0} KB of HTML", bytes as f64 / 1024.0);
        }
    }
}
