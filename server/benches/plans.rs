//! National scale: generates 40,000 stays with more than 250,000 tasks (five years of arrivals across the
//! districts, older plans mostly closed, a backlog of overdue tasks) and times the deadline scan
//! and the main list pages' queries. Prints figures; asserts nothing
//! (`cargo bench -p server --bench plans`).

use app::domain::ActorSnapshot;
use app::domain::plan::StayId;
use app::domain::{DistrictId, Role, ServiceKind, Unit, UserId};
use app::server::service::plans::{self, Viewer, When};
use std::time::{Duration, Instant};
use time::macros::{date, datetime};

#[path = "national/mod.rs"]
mod national;

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

/// The median time of `ROUNDS` GETs of `url`, in ms.
async fn median_ms(url: &str, client: &reqwest::Client) -> f64 {
    let mut samples = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let res = client.get(url).send().await.unwrap();
        res.bytes().await.unwrap();
        samples.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, url) = national::create(dir.path(), STAYS).await;
    let pool = db.read_pool().clone();

    let today = date!(2026 - 11 - 22);
    let when = When {
        at: datetime!(2026-11-22 09:00 UTC),
        today,
        soon_days: 3,
        ready_days: 14,
    };
    let (staff, nav): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT id FROM app_user WHERE role = 'crisis_center'),
                (SELECT id FROM app_user WHERE email LIKE 'nav.alna@%')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    // Ten years of deviations: one for every binding step done late or overdue now, those of
    // tasks done closed by then with a cause and a measure.
    {
        let mut tx = db.begin_write().await.unwrap();
        let opened = sqlx::query(
            "INSERT INTO deviation (stay_id, task_id, step, district_id, service_kind, origin,
                                    due_on, opened_on, opened_at)
             SELECT t.stay_id, t.id, t.step, t.district_id, t.service_kind, 'deadline', t.due_on,
                    date(t.due_on, '+1 day'), t.due_on || 'T23:00:00.000Z'
             FROM task t JOIN routine_rule r ON r.id = t.rule_id
             WHERE r.binding = 1
               AND ((t.status = 'done' AND t.closed_on > t.due_on)
                    OR (t.status IN ('open', 'in_progress') AND t.due_on < ?1))",
        )
        .bind(today)
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
        sqlx::query(
            "UPDATE deviation SET status = 'closed', cause = 'capacity', measure = 'training',
                                  closed_by = ?1,
                                  closed_on = (SELECT max(t.closed_on, deviation.opened_on)
                                               FROM task t WHERE t.id = deviation.task_id)
             WHERE task_id IN (SELECT id FROM task WHERE status = 'done')",
        )
        .bind(staff)
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        println!("  -> {opened} deviations in the dataset");
    }
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
        plans::deadline_counts(&db, today, 3, None)
    })
    .await
    .unwrap();
    let overdue: i64 = counts.iter().map(|c| c.overdue).sum();
    println!("  -> {} rows, {overdue} overdue tasks", counts.len());
    time("district board (one district)", || {
        plans::deadline_counts(&db, today, 3, Some(DistrictId(alna)))
    })
    .await
    .unwrap();
    let inbox = time("inbox of Alna NAV (with its log row)", || {
        plans::inbox(&db, when, &nav_actor, app::domain::Inbox::Unit(alna_nav))
    })
    .await
    .unwrap();
    println!("  -> {} open tasks", inbox.len());
    let list = time("crisis center's plan list (with its log row)", || {
        plans::plans(&db, when, &staff)
    })
    .await
    .unwrap();
    println!("  -> {} plans shown of {}", list.plans.len(), list.total);
    let newest = StayId(STAYS);
    time("one plan, whole (with its log row)", || {
        plans::plan(&db, when, &staff, Viewer::CrisisCenter, newest)
    })
    .await
    .unwrap();

    // The municipality's compliance overview: its aggregate SQL alone (the districts, the
    // housing-plan, deviation, overdue, step, exit-meeting, transfer and waiting counts: the
    // baseline, with each query's share), then the whole service (suppression included), then
    // the page below.
    use app::server::repo::compliance as figures;
    let quarter = app::domain::compliance::Period::quarter(2026, 3).unwrap();
    let year = app::domain::compliance::Period::year(2025).unwrap();
    let mut sql_ms = Vec::new();
    for (name, period) in [("quarter 3/2026", quarter), ("year 2025", year)] {
        let mut conn = db.acquire().await.unwrap();
        let mut parts = [Duration::ZERO; 8];
        for _ in 0..ROUNDS {
            let mut lap = Instant::now();
            let mut next = |i: usize, parts: &mut [Duration; 8]| {
                parts[i] += lap.elapsed();
                lap = Instant::now();
            };
            figures::districts(&mut conn).await.unwrap();
            next(0, &mut parts);
            figures::housing_counts(&mut conn, period, today)
                .await
                .unwrap();
            next(1, &mut parts);
            app::server::repo::deviations::period_counts(
                &mut conn,
                period.from,
                period.to,
                period.to.min(today),
                app::domain::deviation::LONG_OPEN_DAYS,
            )
            .await
            .unwrap();
            next(2, &mut parts);
            figures::overdue_counts(&mut conn, today).await.unwrap();
            next(3, &mut parts);
            figures::step_counts(&mut conn, period).await.unwrap();
            next(4, &mut parts);
            figures::meeting_counts(&mut conn, period).await.unwrap();
            next(5, &mut parts);
            figures::transfer_counts(&mut conn, period).await.unwrap();
            next(6, &mut parts);
            figures::wait_counts(&mut conn, period, today)
                .await
                .unwrap();
            next(7, &mut parts);
        }
        drop(conn);
        let ms = |d: Duration| d.as_secs_f64() * 1000.0 / ROUNDS as f64;
        let per: f64 = parts.iter().map(|&d| ms(d)).sum();
        println!(
            "{:<44} mean   {per:8.2} ms",
            format!("compliance SQL alone, {name}")
        );
        let names = [
            "districts",
            "housing",
            "deviations",
            "overdue",
            "steps",
            "meetings",
            "transfers",
            "waits",
        ];
        let each: Vec<String> = names
            .iter()
            .zip(parts)
            .map(|(n, d)| format!("{n} {:.1}", ms(d)))
            .collect();
        println!("  -> ms per query: {}", each.join(", "));
        sql_ms.push(per);
        time(&format!("compliance overview, {name}"), || {
            app::server::service::compliance::overview(&db, period, when.at)
        })
        .await
        .unwrap();
    }

    // The same lists as pages: the real router, server-side rendering included.
    let mut config = server::config::Config::local(url.clone(), dir.path().join("site"));
    config.sign_in_burst = 1000;
    let clock = app::server::Clock::manual(when.at);
    let router = server::build_router_with_clock(db.clone(), &config, clock)
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
        (
            "kontrollor",
            &[
                "/kontroll?periode=2026K3",
                "/kontroll?periode=2025",
                "/kontroll/alna?periode=2026K3",
                "/kontroll/alna/utskrift?periode=2025",
            ][..],
        ),
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
            if let Some(n) = ["/kontroll?periode=2026K3", "/kontroll?periode=2025"]
                .iter()
                .position(|p| p == path)
            {
                let page = median_ms(&format!("{base}{path}"), &client).await;
                println!(
                    "  -> page {page:.2} ms = {:.2} x its SQL alone ({:.2} ms); goal <= 50 ms and <= 2 x",
                    page / sql_ms[n],
                    sql_ms[n]
                );
            }
        }
    }
}
