//! How long a sign-in attempt takes for an unknown address, a wrong password and the right
//! password. The three should be about the same, so that timing does not tell whether an
//! account exists. Prints figures; asserts nothing (`cargo bench -p server --bench sign_in`).

use app::server::demo::{DEMO_PASSWORD, demo_email, seed_demo};
use app::server::service::auth::authenticate;
use std::time::{Duration, Instant};

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
    let pool = app::server::db::connect(&url).await.expect("database");
    app::server::db::migrate(&pool).await.expect("migrations");
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
        let _ = authenticate(&pool, start, email, password).await;
    }
    let mut medians = Vec::new();
    for (name, email, password) in &cases {
        let mut samples = Vec::with_capacity(ROUNDS);
        for round in 0..ROUNDS {
            // Attempts 16 minutes apart on the portal's clock: the account is never throttled.
            let at = start + time::Duration::minutes(16 * (round as i64 + 1));
            let t = Instant::now();
            let _ = authenticate(&pool, at, email, password).await;
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
}
