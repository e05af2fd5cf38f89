//! How long a sign-in attempt takes for an unknown address, a wrong password and the right
//! password. The three should be about the same, so that timing does not tell whether an
//! account exists. Then the memory of 100 sign-ins at once through the real router (argon2 on
//! its bounded workers), against the same 100 hashes run unbounded on Tokio's blocking pool (as
//! the portal did before) in the same run. Prints figures; asserts nothing
//! (`cargo bench -p server --bench sign_in`).

use app::server::demo::{DEMO_PASSWORD, demo_email, seed_demo};
use app::server::service::auth::authenticate;
use std::time::{Duration, Instant};

/// The same allocator as the portal's own binary (see its `main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROUNDS: usize = 40;

fn summary(name: &str, mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = samples.iter().map(|d| ms(*d)).sum::<f64>() / samples.len() as f64;
    println!(
        "{name:<16} median {:7.2} ms   mean {mean:7.2} ms   p10 {:7.2} ms   p90 {:7.2} ms",
        ms(samples[samples.len() / 2]),
        ms(samples[samples.len() / 10]),
        ms(samples[samples.len() * 9 / 10]),
    );
    ms(samples[samples.len() / 2])
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let pool = app::server::db::Db::connect(&url).await.expect("database");
    pool.migrate().await.expect("migrations");
    seed_demo(&pool).await.expect("demo data");
    let start = time::OffsetDateTime::now_utc();
    let cases: [(&str, String, &str); 3] = [
        (
            "unknown address",
            "ingen.her@example.org".to_owned(),
            DEMO_PASSWORD,
        ),
        ("wrong password", demo_email("nav.alna"), "not the password"),
        ("right password", demo_email("nav.frogner"), DEMO_PASSWORD),
    ];
    // Warm-up (the dummy hash is made on first use).
    for (_, email, password) in &cases {
        let _ = authenticate(&pool, start, email, password, None).await;
    }
    let mut medians = Vec::new();
    for (name, email, password) in &cases {
        let mut samples = Vec::with_capacity(ROUNDS);
        for round in 0..ROUNDS {
            // Attempts 16 minutes apart on the portal's clock: longer than the longest wait, so
            // the account is never held back.
            let at = start + time::Duration::minutes(16 * (round as i64 + 1));
            let t = Instant::now();
            let _ = authenticate(&pool, at, email, password, None).await;
            samples.push(t.elapsed());
        }
        medians.push(summary(name, samples));
    }
    let (lo, hi) = medians
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), m| (lo.min(*m), hi.max(*m)));
    println!(
        "largest difference of medians: {:.2} ms ({:.1} %)",
        hi - lo,
        (hi - lo) / lo * 100.0
    );
    drop(pool);
    concurrent_memory().await;
}

/// A line of `/proc/self/status` in MiB (`VmRSS`, `VmHWM`).
fn status_mib(key: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kib: f64 = status
        .lines()
        .find_map(|l| {
            l.strip_prefix(key)?
                .trim_start_matches(':')
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .expect("the key");
    kib / 1024.0
}

/// Starts the peak (VmHWM) over from the current resident size.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("clear_refs");
}

const CONCURRENT: usize = 100;

async fn concurrent_memory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = server::config::Config::local(
        format!("sqlite://{}", dir.path().join("memory.db").display()),
        dir.path().join("site"),
    );
    config.sign_in_burst = 100_000;
    let pool = server::open_database(&config).await.expect("database");
    seed_demo(&pool).await.expect("demo data");
    let router = server::build_router(pool.clone(), &config)
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
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(CONCURRENT)
        .build()
        .unwrap();
    let users = [
        "nav.alna",
        "nav.frogner",
        "barnevern.alna",
        "vold.alna",
        "krisesenter",
    ];
    let attempt = |i: usize| {
        let client = client.clone();
        let url = format!("{base}/innlogging");
        // Right passwords, wrong ones and unknown addresses mixed: every attempt hashes.
        let (email, password) = match i % 3 {
            0 => (demo_email(users[i % users.len()]), DEMO_PASSWORD),
            1 => (demo_email(users[i % users.len()]), "not the password"),
            _ => (format!("ingen{i}@example.org"), DEMO_PASSWORD),
        };
        async move {
            let res = client
                .post(url)
                .form(&[("email", email.as_str()), ("password", password)])
                .send()
                .await
                .expect("sign-in");
            res.status().as_u16()
        }
    };
    // Warm-up: one sign-in, so the workers, the dummy hash and the pool exist.
    attempt(0).await;
    let before = status_mib("VmRSS");
    reset_peak();
    let t = Instant::now();
    let statuses = futures_join_all((0..CONCURRENT).map(attempt)).await;
    let took = t.elapsed();
    let peak = status_mib("VmHWM");
    let after = status_mib("VmRSS");
    let answered = statuses.iter().filter(|s| **s == 303).count();
    let busy = statuses.iter().filter(|s| **s == 503).count();
    println!(
        "{CONCURRENT} concurrent sign-ins (bounded workers, {} cores): {answered} answered, {busy} busy (503), {:.2} s",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        took.as_secs_f64()
    );
    println!(
        "  resident before {before:.0} MiB, peak {peak:.0} MiB (+{:.0}), after {after:.0} MiB",
        peak - before
    );
    // Two more rounds: what stays resident must not grow from round to round.
    for round in 2..=3 {
        reset_peak();
        futures_join_all((0..CONCURRENT).map(attempt)).await;
        println!(
            "  round {round}: peak {:.0} MiB, after {:.0} MiB",
            status_mib("VmHWM"),
            status_mib("VmRSS")
        );
    }

    // The baseline, in the same process: the same number of hashes at once on the blocking pool.
    let stored = app::server::password::hash(DEMO_PASSWORD.to_owned())
        .await
        .expect("hash");
    let before_unbounded = status_mib("VmRSS");
    reset_peak();
    let t = Instant::now();
    let handles: Vec<_> = (0..CONCURRENT)
        .map(|_| {
            let stored = stored.clone();
            tokio::task::spawn_blocking(move || {
                use argon2::password_hash::{PasswordHash, PasswordVerifier};
                let parsed = PasswordHash::new(&stored).expect("hash");
                argon2::Argon2::default()
                    .verify_password(DEMO_PASSWORD.as_bytes(), &parsed)
                    .is_ok()
            })
        })
        .collect();
    for h in handles {
        h.await.expect("join");
    }
    let took_unbounded = t.elapsed();
    let peak_unbounded = status_mib("VmHWM");
    println!(
        "baseline: {CONCURRENT} hashes unbounded on the blocking pool: {:.2} s, resident before {before_unbounded:.0} MiB, peak {peak_unbounded:.0} MiB (+{:.0}), after {:.0} MiB",
        took_unbounded.as_secs_f64(),
        peak_unbounded - before_unbounded,
        status_mib("VmRSS")
    );
    println!(
        "growth at peak: bounded {:.0} MiB, unbounded {:.0} MiB ({:.1} times as much)",
        peak - before,
        peak_unbounded - before_unbounded,
        (peak_unbounded - before_unbounded) / (peak - before).max(1.0)
    );
}

/// Runs the futures at once and collects their outputs in order.
async fn futures_join_all<F: std::future::Future<Output = u16> + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<u16> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.expect("join"));
    }
    out
}
