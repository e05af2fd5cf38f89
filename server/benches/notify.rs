//! Notifications at national scale (the plans benchmark's dataset: 40,000 stays, more than
//! 250,000 tasks): the deadline scan with enqueueing (first run, which queues every message, and
//! the runs after it, which find them queued), against the read-only deadline count over the same
//! tasks in the same run; then messages per second from the outbox to an SMTP server on
//! 127.0.0.1, against writing the same messages as .eml files. Prints figures; asserts nothing
//! (`cargo bench -p server --bench notify`).

use app::server::Clock;
use app::server::notify::{Mailer, NotifySettings, Sender};
use app::server::service::plans;
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::macros::{date, datetime};

#[path = "national/mod.rs"]
mod national;
// The integration tests' SMTP server; the bench counts messages and reads none of them.
#[allow(dead_code)]
#[path = "../tests/integration/smtp.rs"]
mod smtp;

const STAYS: i64 = 40_000;
const ROUNDS: usize = 10;
/// How many messages each transport sends.
const MESSAGES: usize = 2_000;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, _url) = national::create(dir.path(), STAYS).await;
    let today = date!(2026 - 11 - 22);
    let clock = Clock::manual(datetime!(2026-11-22 09:00 UTC));
    let settings = NotifySettings {
        due_soon_days: 3,
        escalate_after: 7,
        digest_at: Some((7, 0)),
    };
    let tasks: i64 = sqlx::query_scalar("SELECT count(*) FROM task")
        .fetch_one(db.read_pool())
        .await
        .unwrap();

    // Baseline: the read-only count of overdue and due-soon tasks over the same tasks.
    let mut counts = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        plans::deadline_counts(&db, today, 3, None).await.unwrap();
        counts.push(t.elapsed());
    }
    let baseline = median(counts);

    let t = Instant::now();
    let first = app::server::notify::scan(&db, &clock, &settings)
        .await
        .unwrap();
    let first_time = t.elapsed();
    let mut again = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let c = app::server::notify::scan(&db, &clock, &settings)
            .await
            .unwrap();
        assert_eq!(c, Default::default(), "a second scan queues nothing");
        again.push(t.elapsed());
    }
    let again = median(again);
    println!("{tasks} tasks; first scan queued {first:?}");
    println!(
        "{:<52} {:8.1} ms  ({:.1} x the deadline count)",
        "deadline scan with enqueueing, first run",
        ms(first_time),
        ms(first_time) / ms(baseline)
    );
    println!(
        "{:<52} {:8.1} ms  ({:.1} x the deadline count)",
        "deadline scan with enqueueing, later runs (median)",
        ms(again),
        ms(again) / ms(baseline)
    );
    println!(
        "{:<52} {:8.1} ms",
        "baseline: deadline count, read only (median)",
        ms(baseline)
    );

    let server = smtp::SmtpServer::start().await;
    let mail_dir = dir.path().join("mail");
    let transports = [
        ("SMTP to 127.0.0.1", Some(server.url())),
        ("baseline: .eml files", None),
    ];
    let mut rates = Vec::new();
    for (name, url) in transports {
        // The same messages for each transport: every row back to pending.
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query(
            "UPDATE outbox SET state = 'pending', sent_at = NULL, message_id = NULL, attempts = 0,
                               claim = NULL, claimed_until = NULL",
        )
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let mailer = Arc::new(
            Mailer::new(
                url.as_deref(),
                &mail_dir,
                "Portal <ikke-svar@portal.example>",
                "https://portal.example",
            )
            .unwrap(),
        );
        let sender = Sender::new(db.clone(), mailer, clock.clone(), settings.clone());
        let t = Instant::now();
        let report = sender.drain(MESSAGES).await.unwrap();
        let elapsed = t.elapsed();
        let rate = report.handled() as f64 / elapsed.as_secs_f64();
        println!(
            "{name:<52} {rate:8.0} messages/s  ({} sent, {} skipped, {} failed in {:.2} s)",
            report.sent,
            report.skipped,
            report.failed,
            elapsed.as_secs_f64()
        );
        rates.push(rate);
    }
    println!(
        "SMTP rate / file rate: {:.2}; the SMTP server received {} messages",
        rates[0] / rates[1],
        server.messages().len()
    );
    db.close().await;
}
