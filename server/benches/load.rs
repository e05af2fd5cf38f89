//! Under load: the release router with the server's own accept loop, on 127.0.0.1, over the
//! national dataset, driven by keep-alive HTTP/1.1 clients in the same process. Prints, side by
//! side in one run: a static file of the inbox page's size, the inbox page, the plans list, a task
//! change, and 10 readers of the plans list with 10 writers creating plans; requests/s, p50 and
//! p99, and each one's ratio to the static file. And how much a browser's second page view
//! transfers. Asserts nothing; the goals are printed beside the figures
//! (`cargo bench -p server --bench load`).

use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "national/mod.rs"]
mod national;

/// The same allocator as the portal's own binary (see its `main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// About 29,700 stays: the dataset the load-and-faults issue was measured on.
const STAYS: i64 = 29_700;
/// How long each scenario runs.
const RUN: Duration = Duration::from_secs(6);

#[derive(Clone, Copy)]
struct Figures {
    requests: usize,
    errors: usize,
    per_second: f64,
    p50: Duration,
    p99: Duration,
    /// The process's CPU time (user and system, server and clients) per request: steadier
    /// between runs than requests/s when the machine's neighbours take some of its time.
    cpu_per_request: Duration,
}

/// The process's CPU time so far (user + system), from `/proc/self/stat` (in clock ticks of
/// 10 ms: over a 6 s run on 2 cores, about 1,200 of them).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which ends with the last ')'): utime and stime are
    // the 12th and 13th of them.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A client with one keep-alive connection, signed in as `user` when given.
async fn client(base: &str, user: Option<&str>) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(1)
        .http1_only()
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    if let Some(user) = user {
        let res = client
            .post(format!("{base}/innlogging"))
            .header("sec-fetch-site", "same-origin")
            .form(&[
                ("email", app::server::demo::demo_email(user)),
                ("password", app::server::demo::DEMO_PASSWORD.to_owned()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "sign-in of {user}");
    }
    client
}

/// One request of a scenario: the status it got.
type Request = Arc<
    dyn Fn(
            reqwest::Client,
            usize,
            u64,
        ) -> std::pin::Pin<Box<dyn std::future::Future<Output = u16> + Send>>
        + Send
        + Sync,
>;

/// Runs `request` on each client in a loop for [`RUN`]; returns the figures over all of them.
async fn run(clients: &[reqwest::Client], request: Request) -> Figures {
    let start = Instant::now();
    let cpu_start = cpu_time();
    let tasks: Vec<_> = clients
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, client)| {
            let request = request.clone();
            tokio::spawn(async move {
                let mut samples = Vec::new();
                let mut errors = 0;
                let mut n = 0;
                while start.elapsed() < RUN {
                    let t = Instant::now();
                    let status = request(client.clone(), i, n).await;
                    samples.push(t.elapsed());
                    if status >= 500 {
                        errors += 1;
                    }
                    n += 1;
                }
                (samples, errors)
            })
        })
        .collect();
    let mut samples = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (s, e) = task.await.unwrap();
        samples.extend(s);
        errors += e;
    }
    let elapsed = start.elapsed();
    let cpu = cpu_time().saturating_sub(cpu_start);
    samples.sort();
    Figures {
        cpu_per_request: cpu / u32::try_from(samples.len().max(1)).unwrap_or(u32::MAX),
        requests: samples.len(),
        errors,
        per_second: samples.len() as f64 / elapsed.as_secs_f64(),
        p50: samples[samples.len() / 2],
        p99: samples[samples.len() * 99 / 100],
    }
}

fn print(name: &str, f: Figures, baseline: Option<Figures>) {
    let ratio = baseline.map_or(String::new(), |b| {
        format!(
            "   {:5.1} % of its req/s, p99 {:5.1}x, cpu {:4.1}x",
            100.0 * f.per_second / b.per_second,
            ms(f.p99) / ms(b.p99),
            f.cpu_per_request.as_secs_f64() / b.cpu_per_request.as_secs_f64().max(1e-9)
        )
    });
    println!(
        "{name:<28} {:6} req {:7.0} req/s   p50 {:7.2} ms   p99 {:7.2} ms   cpu {:5.0} us/req   5xx {:>3}{ratio}",
        f.requests,
        f.per_second,
        ms(f.p50),
        ms(f.p99),
        f.cpu_per_request.as_secs_f64() * 1e6,
        f.errors
    );
}

fn get(path: &'static str, base: Arc<str>) -> Request {
    Arc::new(move |client, _, _| {
        let url = format!("{base}{path}");
        Box::pin(async move {
            let res = client.get(url).send().await.unwrap();
            let status = res.status().as_u16();
            res.bytes().await.unwrap();
            status
        })
    })
}

/// The static file and the inbox again, driven by wrk (an external client in C, as the issue's
/// probe used) when it is installed: the in-process clients above take CPU from the server.
async fn wrk_figures(base: &str) {
    if std::process::Command::new("wrk")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("(wrk is not installed: no figures with an external client)");
        return;
    }
    let signed_in = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{base}/innlogging"))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("email", app::server::demo::demo_email("nav.alna")),
            ("password", app::server::demo::DEMO_PASSWORD.to_owned()),
        ])
        .send()
        .await
        .unwrap();
    let cookie = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let mut baseline = None;
    for (name, path) in [
        ("static file (wrk)", "/pkg/static.bin"),
        ("inbox page (wrk)", "/oppgaver"),
    ] {
        let (header, url) = (format!("Cookie: {cookie}"), format!("{base}{path}"));
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new("wrk")
                .args(["-t2", "-c16", "-d6s", "--latency", "-H", &header, &url])
                .output()
        })
        .await
        .unwrap()
        .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let field = |label: &str| {
            text.lines()
                .find_map(|l| l.trim().strip_prefix(label))
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        let per_second: f64 = field("Requests/sec:").parse().unwrap_or(0.0);
        let (p50, p99) = (field("50%"), field("99%"));
        let non_2xx = field("Non-2xx or 3xx responses:");
        let ratio = baseline.map_or(String::new(), |b: f64| {
            format!("   {:5.1} % of its req/s", 100.0 * per_second / b)
        });
        println!(
            "{name:<28} {per_second:14.0} req/s   p50 {p50:>9}   p99 {p99:>9}   non-2xx {}{ratio}",
            if non_2xx.is_empty() { "0" } else { &non_2xx }
        );
        baseline.get_or_insert(per_second);
    }
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, url) = national::create(dir.path(), STAYS).await;
    // For studying one query with the sqlite3 shell: `LOAD_KEEP_DB=/tmp/national.db`.
    if let Ok(keep) = std::env::var("LOAD_KEEP_DB") {
        sqlx::query("VACUUM INTO ?1")
            .bind(keep)
            .execute(&mut db.side_connection().await.expect("a connection"))
            .await
            .expect("a copy of the database");
    }
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    // The built site's files, when there are (`./test.sh` or `cargo leptos build` made them), so
    // that pages link them fingerprinted as in production.
    let built = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site");
    let mut have_site = true;
    for file in [
        "pkg/portal.css",
        "pkg/portal.js",
        "pkg/portal.wasm",
        "favicon.svg",
    ] {
        have_site &= std::fs::copy(built.join(file), site.join(file)).is_ok();
    }
    let mut config = server::config::Config::local(url, site.clone());
    config.sign_in_burst = 1000;
    let clock = app::server::Clock::manual(time::macros::datetime!(2026-11-22 09:00 UTC));
    let router = server::build_router_with_clock(db.clone(), &config, clock)
        .await
        .expect("router");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base: Arc<str> = format!("http://{}", listener.local_addr().unwrap()).into();
    tokio::spawn(server::serve_until(
        listener,
        router,
        std::future::pending(),
        server::ServeLimits {
            header_read: server::ServeLimits::HEADER_READ,
            shutdown: Duration::from_secs(1),
        },
    ));

    // The static file has the size of NAV Alna's inbox page (incompressible, like a page that
    // is not compressed: these clients do not ask for compression).
    let nav = client(&base, Some("nav.alna")).await;
    let inbox = nav
        .get(format!("{base}/oppgaver"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let noise: Vec<u8> = (0..inbox.len() as u64)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(site.join("pkg").join("static.bin"), &noise).unwrap();
    println!(
        "16 keep-alive connections unless said; each scenario {} s; inbox page {:.0} KB",
        RUN.as_secs(),
        inbox.len() as f64 / 1024.0
    );

    let mut anonymous = Vec::new();
    let mut caseworkers = Vec::new();
    let mut staff = Vec::new();
    for _ in 0..16 {
        anonymous.push(client(&base, None).await);
        caseworkers.push(client(&base, Some("nav.alna")).await);
        staff.push(client(&base, Some("krisesenter")).await);
    }

    let baseline = run(&anonymous, get("/pkg/static.bin", base.clone())).await;
    print("static file", baseline, None);
    let inbox_page = run(&caseworkers, get("/oppgaver", base.clone())).await;
    print("inbox page (NAV Alna)", inbox_page, Some(baseline));
    wrk_figures(&base).await;
    // A browser's second page view: the page (compressed, as browsers ask for it) and whatever
    // it must ask about the files the page links. Measured here, before the scenarios below add
    // thousands of plans (and their tasks) to this inbox.
    let page = nav
        .get(format!("{base}/oppgaver"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    let encoding = page
        .headers()
        .get("content-encoding")
        .map_or("none".to_owned(), |v| v.to_str().unwrap().to_owned());
    let html_bytes = page.bytes().await.unwrap();
    let html = String::from_utf8_lossy(&inbox);
    let mut asked = 0;
    let mut asset_bytes = 0;
    for link in html
        .split('"')
        .filter(|part| part.starts_with("/pkg/") || *part == "/favicon.svg")
    {
        let first = nav.get(format!("{base}{link}")).send().await.unwrap();
        let cache = first.headers()["cache-control"]
            .to_str()
            .unwrap()
            .to_owned();
        let modified = first.headers().get("last-modified").cloned();
        if cache.contains("immutable") {
            continue;
        }
        asked += 1;
        let mut again = nav.get(format!("{base}{link}"));
        if let Some(modified) = modified {
            again = again.header("if-modified-since", modified);
        }
        asset_bytes += again.send().await.unwrap().bytes().await.unwrap().len();
    }
    println!(
        "second page view (inbox): page {:.1} KB ({encoding}), {asked} files revalidated with {asset_bytes} bytes of body{}",
        html_bytes.len() as f64 / 1024.0,
        if have_site {
            ""
        } else {
            " (no built site: run ./test.sh or cargo leptos build first)"
        }
    );

    // For profiling one page (`LOAD_ONLY=inbox perf record …`): stop here.
    if std::env::var("LOAD_ONLY").is_ok_and(|only| only == "inbox") {
        return;
    }
    let plans_page = run(&staff, get("/planer", base.clone())).await;
    print("plans list (crisis center)", plans_page, Some(baseline));

    // A task change: each connection comments on an open task of its own in Alna NAV's inbox.
    let tasks: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT t.id, t.version FROM task t JOIN district d ON d.id = t.district_id
         WHERE d.slug = 'alna' AND t.service_kind = 'nav' AND t.status IN ('open', 'in_progress')
         ORDER BY t.id LIMIT 16",
    )
    .fetch_all(db.read_pool())
    .await
    .unwrap();
    assert_eq!(tasks.len(), 16, "open tasks to change");
    let versions: Arc<Vec<std::sync::atomic::AtomicI64>> = Arc::new(
        tasks
            .iter()
            .map(|(_, v)| std::sync::atomic::AtomicI64::new(*v))
            .collect(),
    );
    let ids: Arc<Vec<i64>> = Arc::new(tasks.iter().map(|(id, _)| *id).collect());
    let change: Request = {
        let base = base.clone();
        Arc::new(move |client, i, _| {
            let url = format!("{base}/api/task_update");
            let versions = versions.clone();
            let task = ids[i];
            Box::pin(async move {
                let version = versions[i].load(std::sync::atomic::Ordering::Relaxed);
                let res = client
                    .post(url)
                    .form(&[
                        ("task", task.to_string()),
                        ("version", version.to_string()),
                        ("change", "comment".to_owned()),
                        ("comment", "Ringt, venter på svar".to_owned()),
                    ])
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                res.bytes().await.unwrap();
                assert_eq!(status, 200, "task change");
                versions[i].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                status
            })
        })
    };
    let before = db.write_stats();
    let changes = run(&caseworkers, change).await;
    print("task change (comment)", changes, Some(baseline));
    let after = db.write_stats();
    println!(
        "  -> {} write transactions in {} commits ({:.1} per fsync)",
        after.transactions - before.transactions,
        after.commits - before.commits,
        (after.transactions - before.transactions) as f64
            / (after.commits - before.commits).max(1) as f64
    );

    // 10 people reading the plans list while 10 create plans.
    let home: i64 = sqlx::query_scalar("SELECT id FROM district WHERE slug = 'alna'")
        .fetch_one(db.read_pool())
        .await
        .unwrap();
    let create: Request = {
        let base = base.clone();
        Arc::new(move |client, i, n| {
            let url = format!("{base}/api/plan_create");
            Box::pin(async move {
                let res = client
                    .post(url)
                    .form(&[
                        ("name", format!("Last Testesen {i}-{n}")),
                        ("birth_year", "1990".to_owned()),
                        ("gender", "female".to_owned()),
                        ("arrival", "2026-11-20".to_owned()),
                        ("referral", "police".to_owned()),
                        ("home", home.to_string()),
                    ])
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                res.bytes().await.unwrap();
                status
            })
        })
    };
    let stays_before: i64 = sqlx::query_scalar("SELECT count(*) FROM stay")
        .fetch_one(db.read_pool())
        .await
        .unwrap();
    let before = db.write_stats();
    let (readers, writers) = tokio::join!(
        run(&staff[..10], get("/planer", base.clone())),
        run(&staff[10..], create)
    );
    let after = db.write_stats();
    let stays_after: i64 = sqlx::query_scalar("SELECT count(*) FROM stay")
        .fetch_one(db.read_pool())
        .await
        .unwrap();
    print("10 readers: plans list", readers, Some(baseline));
    print("10 writers: create plan", writers, Some(baseline));
    println!(
        "  -> {} plans created and found afterwards, {} write transactions in {} commits ({:.1} per fsync)",
        stays_after - stays_before,
        after.transactions - before.transactions,
        after.commits - before.commits,
        (after.transactions - before.transactions) as f64
            / (after.commits - before.commits).max(1) as f64
    );
    println!("  (the readers and writers ran at once: each one's cpu is the whole process's)");

    println!();
    println!(
        "goals: inbox >= 25 % of the static file's req/s (is {:.1} %), p99 <= 8x (is {:.1}x)",
        100.0 * inbox_page.per_second / baseline.per_second,
        ms(inbox_page.p99) / ms(baseline.p99)
    );
    println!(
        "       10 readers + 10 writers: >= 300 writes/s (is {:.0}), write p99 < 250 ms (is {:.0} ms), no 5xx (is {})",
        writers.per_second,
        ms(writers.p99),
        readers.errors + writers.errors
    );
    println!(
        "       second page view < 10 KB (is {:.1} KB of bodies)",
        (html_bytes.len() + asset_bytes) as f64 / 1024.0
    );
}
