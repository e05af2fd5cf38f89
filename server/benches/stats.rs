//! The yearly statistics and the import of past stays at national scale: the national dataset
//! (40,000 stays over five years, with their tasks), then 100,000 past stays over the ten years
//! before it imported from one CSV file, then `portal stats` for every year. Prints figures, with
//! the cost of the parts as baselines measured in the same run (reading the file's rows without
//! storing them; reading the stay records without computing); asserts nothing
//! (`cargo bench -p server --bench stats`). Goals: import under 30 s, a year's figures under 1 s.

use app::server::service::imports::{ImportSource, import_stays};
use std::fmt::Write;
use std::time::{Duration, Instant};
use time::macros::{date, datetime};

#[path = "national/mod.rs"]
mod national;

const STAYS: i64 = 40_000;
const IMPORTED: usize = 100_000;

/// 100,000 closed stays of 2012–2021 in the center's file format: 40,000 persons, returning
/// ones among them, lengths of 1 to 90 days, children in some.
fn file() -> Vec<u8> {
    let mut text = String::from(
        "person_key,gender,birth_year,arrival,move_out,children,referral,outcome,home_district\n",
    );
    use app::domain::plan::{Outcome, Referral};
    let referrals: Vec<&str> = Referral::ALL.iter().map(|r| r.as_str()).collect();
    let outcomes: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
    let districts = ["alna", "stovner", "frogner", "", "sagene"];
    let start = date!(2012 - 01 - 01);
    for i in 0..IMPORTED {
        // Person p's k-th stay: persons take turns, so one person's stays are far apart.
        let (person, k) = (i % 40_000, i / 40_000);
        let arrival = start + time::Duration::days((person * 3 % 1200 + k * 1250) as i64);
        let move_out = arrival + time::Duration::days(1 + (i % 90) as i64);
        let _ = writeln!(
            text,
            "B-{person},{},{},{arrival},{move_out},{},{},{},{}",
            if person % 9 == 0 { "male" } else { "female" },
            1950 + person % 50,
            i % 3,
            referrals[i % 6],
            outcomes[i % 6],
            districts[i % 5]
        );
    }
    text.into_bytes()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, _url) = national::create(dir.path(), STAYS).await;
    let bytes = file();
    let today = date!(2026 - 11 - 22);

    // Baseline: the file read and checked, nothing stored.
    let t = Instant::now();
    let rows = app::server::import::parse_file(&bytes, today, &|_| true).expect("a good file");
    let parse = t.elapsed();
    assert_eq!(rows.len(), IMPORTED);

    let t = Instant::now();
    let summary = import_stays(
        &db,
        datetime!(2026-11-22 09:00 UTC),
        today,
        None,
        ImportSource::Command,
        &bytes,
        &|_, _| {},
    )
    .await
    .expect("imported");
    let import = t.elapsed();
    println!(
        "import-stays, {} rows ({:.1} MiB): {:8.0} ms (goal 30,000 ms); the file read and checked alone: {:6.0} ms ({:.1}x)",
        summary.added,
        bytes.len() as f64 / 1048576.0,
        ms(import),
        ms(parse),
        import.as_secs_f64() / parse.as_secs_f64()
    );
    let t = Instant::now();
    let again = import_stays(
        &db,
        datetime!(2026-11-22 09:05 UTC),
        today,
        None,
        ImportSource::Command,
        &bytes,
        &|_, _| {},
    )
    .await
    .expect("imported again");
    println!(
        "import-stays of the same file again: {:8.0} ms, {} added, {} known",
        ms(t.elapsed()),
        again.added,
        again.known
    );

    // A year's figures, for each year of the fifteen on record.
    let mut worst = (0, Duration::ZERO);
    let mut total = Duration::ZERO;
    for year in 2012..=2026 {
        let t = Instant::now();
        let stats = app::server::service::stats::year(&db, year, today)
            .await
            .expect("figures");
        let took = t.elapsed();
        total += took;
        if took > worst.1 {
            worst = (year, took);
        }
        if year == 2021 || year == 2026 {
            println!(
                "stats {year}: {} adults, {} nights, {} returning, {} ended ({:.1} ms)",
                stats.adults.total,
                stats.adult_nights,
                stats.returning.count,
                stats.stays_ended,
                ms(took)
            );
        }
    }
    // Baseline: the stay records of the last year read, nothing computed.
    let t = Instant::now();
    let mut read = db.begin_read().await.expect("read");
    let mut records = app::server::repo::stats::stay_records(&mut read, date!(2026 - 12 - 31))
        .await
        .expect("records");
    records.extend(
        app::server::repo::imports::stay_records(&mut read, date!(2026 - 12 - 31))
            .await
            .expect("imported"),
    );
    read.commit().await.expect("read");
    let baseline = t.elapsed();
    println!(
        "stats per year over {} stays: mean {:6.1} ms, slowest {} {:6.1} ms (goal 1,000 ms); reading the records alone {:6.1} ms (slowest {:.1}x)",
        records.len(),
        ms(total) / 15.0,
        worst.0,
        ms(worst.1),
        ms(baseline),
        worst.1.as_secs_f64() / baseline.as_secs_f64()
    );
}
