//! The yearly statistics and the import of past stays: a generated set of several years (stays
//! across year ends, returning persons, children, stays not ended) written to the database or
//! imported from a CSV file; `portal stats --year --json` gives, for every year, exactly the
//! figures computed here independently from the same rows. A bad file is refused whole, with its
//! problems by line, and leaves nothing behind; a second import of a file adds nothing.

use crate::compliance::Dice;
use crate::support::{TestApp, count};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use time::{Date, Duration, Month};

const GENDERS: [&str; 4] = ["female", "male", "other", "unknown"];
const REFERRALS: [&str; 6] = [
    "police",
    "child_welfare",
    "emergency_services",
    "self",
    "nav",
    "other",
];
const OUTCOMES: [&str; 6] = [
    "abuser",
    "own_home",
    "new_home",
    "temporary_public",
    "temporary_private",
    "other",
];

#[derive(Clone, Debug)]
struct Row {
    person: usize,
    arrival: Date,
    move_out: Option<Date>,
    children: u32,
    referral: &'static str,
    outcome: Option<&'static str>,
}

/// Persons with one to three stays each between 2010 and 2014, one after another, some across a
/// year end; the last stay of every seventh person has not ended.
fn generate() -> (Vec<&'static str>, Vec<Row>) {
    let mut rng = Dice(42);
    let mut genders = Vec::new();
    let mut rows = Vec::new();
    let start = Date::from_calendar_date(2010, Month::January, 1).unwrap();
    for person in 0..80 {
        genders.push(GENDERS[rng.next(4) as usize]);
        let mut day = start + Duration::days(rng.next(1500) as i64);
        let stays = 1 + rng.next(3);
        for n in 0..stays {
            let length = rng.next(90) as i64;
            let open = n + 1 == stays && person % 7 == 0;
            let move_out = (!open).then(|| day + Duration::days(length));
            rows.push(Row {
                person,
                arrival: day,
                move_out,
                children: rng.next(4) as u32,
                referral: REFERRALS[rng.next(6) as usize],
                outcome: move_out.map(|_| OUTCOMES[rng.next(6) as usize]),
            });
            match move_out {
                Some(out) => day = out + Duration::days(1 + rng.next(400) as i64),
                None => break,
            }
        }
    }
    // The edges: a stay that ends on New Year's Day (one night in the old year, none in the
    // new, yet it counts in both), and one that arrives on New Year's Eve.
    let day = |y, m, d| Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap();
    for (arrival, move_out) in [
        (day(2011, 12, 31), day(2012, 1, 1)),
        (day(2012, 12, 31), day(2013, 1, 2)),
    ] {
        genders.push("female");
        rows.push(Row {
            person: genders.len() - 1,
            arrival,
            move_out: Some(move_out),
            children: 1,
            referral: "self",
            outcome: Some("own_home"),
        });
    }
    (genders, rows)
}

/// The figures of `year`, straight from the definitions, day by day.
fn expected(year: i32, today: Date, genders: &[&str], rows: &[Row]) -> Value {
    let first = Date::from_calendar_date(year, Month::January, 1).unwrap();
    let last = Date::from_calendar_date(year, Month::December, 31).unwrap();
    let counts = |r: &Row| r.arrival <= last && r.move_out.is_none_or(|o| o >= first);
    let counted: Vec<&Row> = rows.iter().filter(|r| counts(r)).collect();
    let persons: BTreeSet<usize> = counted.iter().map(|r| r.person).collect();
    let total = persons.len() as u64;
    let by_gender = |g: &str| persons.iter().filter(|p| genders[**p] == g).count();
    let mut nights = 0u64;
    let mut d = first;
    while d <= last {
        for r in &counted {
            let before_end = match r.move_out {
                Some(out) => d < out,
                None => d < today,
            };
            if r.arrival <= d && before_end {
                nights += 1;
            }
        }
        d = d.next_day().unwrap();
    }
    let mut returning = 0u64;
    let mut referral: BTreeMap<&str, u64> = REFERRALS.iter().map(|r| (*r, 0)).collect();
    for p in &persons {
        let mine: Vec<&&Row> = counted.iter().filter(|r| r.person == *p).collect();
        let first_stay = mine.iter().min_by_key(|r| r.arrival).unwrap();
        *referral.get_mut(first_stay.referral).unwrap() += 1;
        if rows
            .iter()
            .any(|r| r.person == *p && r.arrival < first_stay.arrival)
        {
            returning += 1;
        }
    }
    let ended: Vec<&Row> = rows
        .iter()
        .filter(|r| r.move_out.is_some_and(|o| o.year() == year))
        .collect();
    let mut outcome: BTreeMap<&str, u64> = OUTCOMES.iter().map(|o| (*o, 0)).collect();
    for r in &ended {
        *outcome.get_mut(r.outcome.unwrap()).unwrap() += 1;
    }
    let mut lengths: Vec<i64> = ended
        .iter()
        .map(|r| (r.move_out.unwrap() - r.arrival).whole_days())
        .collect();
    lengths.sort();
    let median = match lengths.len() {
        0 => Value::Null,
        n if n % 2 == 1 => json!(lengths[n / 2] as f64),
        n => json!((lengths[n / 2 - 1] + lengths[n / 2]) as f64 / 2.0),
    };
    let ratio = |x: u64, places: f64| {
        if total == 0 {
            0.0
        } else {
            (x as f64 / total as f64 * places).round() / places
        }
    };
    json!({
        "year": year,
        "adults": {
            "total": total, "female": by_gender("female"), "male": by_gender("male"),
            "other": by_gender("other"), "unknown": by_gender("unknown"),
        },
        "children": counted.iter().map(|r| u64::from(r.children)).sum::<u64>(),
        "adult_nights": nights,
        "nights_per_adult": ratio(nights, 10.0),
        "returning": { "count": returning, "share": ratio(returning, 1000.0) },
        "referral": referral,
        "outcome": outcome,
        "stays_ended": ended.len(),
        "median_stay_days": median,
    })
}

async fn insert(app: &TestApp, genders: &[&str], rows: &[Row]) {
    let mut tx = app.pool.begin().await.unwrap();
    let mut residents = Vec::new();
    for (n, gender) in genders.iter().enumerate() {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO resident (name, birth_year, gender, created_at)
             VALUES (?1, 1980, ?2, '2010-01-01T00:00:00.000Z') RETURNING id",
        )
        .bind(format!("Statistikk Person {n}"))
        .bind(gender)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        residents.push(id);
    }
    for r in rows {
        let stay: i64 = sqlx::query_scalar(
            "INSERT INTO stay (resident_id, routine_version_id, arrival, referral, home_district_id,
                               move_out, outcome, created_at)
             VALUES (?1, 1, ?2, ?3, 1, ?4, ?5, '2010-01-01T00:00:00.000Z') RETURNING id",
        )
        .bind(residents[r.person])
        .bind(r.arrival.to_string())
        .bind(r.referral)
        .bind(r.move_out.map(|d| d.to_string()))
        .bind(r.outcome)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        for _ in 0..r.children {
            sqlx::query("INSERT INTO child (stay_id, birth_year) VALUES (?1, 2008)")
                .bind(stay)
                .execute(&mut *tx)
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn portal_stats_gives_every_figure_of_every_year_as_computed_from_the_rows() {
    let app = TestApp::spawn().await;
    let (genders, rows) = generate();
    // The generated set has what the definitions are about.
    assert!(
        rows.iter()
            .any(|r| r.move_out.is_some_and(|o| o.year() > r.arrival.year()))
    );
    assert!(rows.iter().any(|r| r.move_out.is_none()));
    assert!(
        rows.iter().filter(|r| r.person == 1).count() > 1
            || rows.iter().filter(|r| r.person == 2).count() > 1
    );
    insert(&app, &genders, &rows).await;
    let today = app::server::Clock::system().oslo_today();
    for year in 2010..=2015 {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
            .arg("--database-url")
            .arg(format!("sqlite://{}", app.db_file.display()))
            .arg("--log")
            .arg("error")
            .args(["stats", "--year", &year.to_string(), "--json"])
            .output()
            .expect("run portal");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got: Value = serde_json::from_slice(&out.stdout).unwrap();
        let want = expected(year, today, &genders, &rows);
        assert_eq!(got, want, "{year}");
        assert!(want["adults"]["total"].as_u64().unwrap() > 0 || year == 2015);
        assert!(year != 2012 || want["returning"]["count"].as_u64().unwrap() > 0);
    }
    // The same figures for a spreadsheet.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("--database-url")
        .arg(format!("sqlite://{}", app.db_file.display()))
        .args(["--log", "error", "stats", "--year", "2012", "--csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    let want = expected(2012, today, &genders, &rows);
    assert!(csv.starts_with("figure;value\r\n"));
    assert!(csv.contains(&format!(
        "\r\nadults.female;{}\r\n",
        want["adults"]["female"]
    )));
    assert!(csv.contains(&format!("\r\nadult_nights;{}\r\n", want["adult_nights"])));
}

/// Runs the portal binary on the test's database.
fn portal(app: &TestApp, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("--database-url")
        .arg(format!("sqlite://{}", app.db_file.display()))
        .args(["--log", "error"])
        .args(args)
        .output()
        .expect("run portal")
}

/// The rows as the crisis center's CSV file.
fn csv_file(genders: &[&str], rows: &[Row]) -> String {
    let mut text = String::from(
        "person_key,gender,birth_year,arrival,move_out,children,referral,outcome,home_district\n",
    );
    let districts = ["alna", "stovner", "", "frogner"];
    for (n, r) in rows.iter().enumerate() {
        text.push_str(&format!(
            "P-{},{},{},{},{},{},{},{},{}\n",
            r.person,
            genders[r.person],
            1970 + r.person % 30,
            r.arrival,
            r.move_out.unwrap(),
            r.children,
            r.referral,
            r.outcome.unwrap(),
            districts[n % districts.len()]
        ));
    }
    text
}

#[tokio::test]
async fn stays_imported_from_a_file_give_every_figure_and_a_second_import_adds_nothing() {
    let app = TestApp::spawn().await;
    let (genders, mut rows) = generate();
    // Imported stays are closed: the open ones end at the end of 2014.
    let end = Date::from_calendar_date(2014, Month::December, 31).unwrap();
    for r in &mut rows {
        if r.move_out.is_none() {
            r.move_out = Some(end.max(r.arrival));
            r.outcome = Some("other");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("opphold.csv");
    std::fs::write(&file, csv_file(&genders, &rows)).unwrap();
    let file = file.to_str().unwrap();
    let (tasks, stays) = (
        count(&app, "SELECT count(*) FROM task").await,
        count(&app, "SELECT count(*) FROM stay").await,
    );
    let out = portal(&app, &["import-stays", file]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        said.contains(&format!("{} stays imported", rows.len())),
        "{said}"
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM imported_stay").await,
        rows.len() as i64
    );
    // No plan and no task.
    assert_eq!(count(&app, "SELECT count(*) FROM task").await, tasks);
    assert_eq!(count(&app, "SELECT count(*) FROM stay").await, stays);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action = 'stays.import' AND user_id IS NULL"
        )
        .await,
        1
    );
    let today = app::server::Clock::system().oslo_today();
    for year in 2010..=2015 {
        let out = portal(&app, &["stats", "--year", &year.to_string(), "--json"]);
        let got: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(got, expected(year, today, &genders, &rows), "{year}");
    }
    // The same file again: nothing added, and it says so.
    let out = portal(&app, &["import-stays", file]);
    assert!(out.status.success());
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.contains("nothing added"), "{said}");
    assert_eq!(
        count(&app, "SELECT count(*) FROM imported_stay").await,
        rows.len() as i64
    );
}

#[tokio::test]
async fn a_bad_file_is_refused_whole_with_its_problems_by_line_and_leaves_nothing() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    const HEADER: &str =
        "person_key,gender,birth_year,arrival,move_out,children,referral,outcome,home_district\n";
    const GOOD: &str = "G-1,female,1980,2024-01-01,2024-01-10,1,police,new_home,alna\n";
    let earlier = dir.path().join("earlier.csv");
    std::fs::write(
        &earlier,
        format!("{HEADER}E-1,male,1975,2023-05-01,2023-06-01,0,nav,own_home,\n"),
    )
    .unwrap();
    assert!(
        portal(&app, &["import-stays", earlier.to_str().unwrap()])
            .status
            .success()
    );
    let mut broken =
        format!("{HEADER}{GOOD}B-1,female,1980,2024-01-01,2024-01-10,0,self,other,").into_bytes();
    broken.extend_from_slice(b"\xC3\x28\n");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "a wrong header",
            format!("name,gender\n{GOOD}").into_bytes(),
            "line 1: the first line must be the header",
        ),
        (
            "a bad date",
            format!("{HEADER}{GOOD}D-1,female,1980,2024-02-30,2024-03-01,0,police,other,\n")
                .into_bytes(),
            "line 3, column arrival: a date YYYY-MM-DD",
        ),
        (
            "an unknown code",
            format!("{HEADER}{GOOD}C-1,female,1980,2024-02-01,2024-03-01,0,taxi,other,\n")
                .into_bytes(),
            "line 3, column referral",
        ),
        (
            "an unknown district",
            format!("{HEADER}{GOOD}C-2,female,1980,2024-02-01,2024-03-01,0,nav,other,atlantis\n")
                .into_bytes(),
            "line 3, column home_district",
        ),
        (
            "an overlap in the file",
            format!("{HEADER}{GOOD}G-1,female,1980,2024-01-05,2024-02-01,0,police,other,\n")
                .into_bytes(),
            "line 3, column arrival: overlaps the same person's stay on line 2",
        ),
        (
            "an overlap with an earlier import",
            format!("{HEADER}{GOOD}E-1,male,1975,2023-05-20,2023-07-01,0,nav,other,\n")
                .into_bytes(),
            "line 3, column arrival: overlaps a stay of the same person imported earlier",
        ),
        (
            "a move-out before the arrival",
            format!("{HEADER}{GOOD}M-1,female,1980,2024-03-01,2024-02-01,0,police,other,\n")
                .into_bytes(),
            "line 3, column move_out: the move-out is before the arrival",
        ),
        (
            "a broken UTF-8 byte",
            broken,
            "line 3, column home_district: not UTF-8 text",
        ),
        ("an empty file", Vec::new(), "line 1: the file is empty"),
    ];
    for (what, bytes, says) in cases {
        let file = dir.path().join("bad.csv");
        std::fs::write(&file, bytes).unwrap();
        let out = portal(&app, &["import-stays", file.to_str().unwrap()]);
        assert!(!out.status.success(), "{what}: refused");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{what}: {stderr}");
        assert!(stderr.contains("nothing was imported"), "{what}");
        assert_eq!(
            count(&app, "SELECT count(*) FROM imported_stay").await,
            1,
            "{what}: nothing stored"
        );
        assert_eq!(
            count(&app, "SELECT count(*) FROM stay_import").await,
            1,
            "{what}"
        );
        assert!(!stderr.contains("G-1"), "{what}: no key in the messages");
    }
}

#[tokio::test]
async fn the_statistics_page_shows_the_figures_of_portal_stats() {
    let app = TestApp::spawn().await;
    let (genders, rows) = generate();
    insert(&app, &genders, &rows).await;
    let out = portal(&app, &["stats", "--year", "2012", "--json"]);
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    let staff = app.signed_in("krisesenter").await;
    let (status, html) = staff.get_text("/statistikk?aar=2012").await;
    assert_eq!(status, 200);
    let html = html.replace("<!>", ""); // the renderer's markers between text nodes
    let dd = |value: &Value| format!("<dd>{value}</dd>");
    for figure in [
        &cli["adults"]["total"],
        &cli["children"],
        &cli["adult_nights"],
        &cli["stays_ended"],
    ] {
        assert!(html.contains(&dd(figure)), "{figure} on the page");
    }
    assert!(
        html.contains(r#"<option value="2010""#),
        "the years with stays to choose from"
    );
    assert!(html.contains("<svg"), "a chart");
    // A year that is no year is refused with why.
    let (status, html) = staff.get_text("/statistikk?aar=tjue").await;
    assert_eq!(status, 400);
    assert!(html.contains("Velg et år fra 1900 til i år."), "{html}");
    // A caseworker has no statistics page.
    let nav = app.signed_in("nav.alna").await;
    assert_eq!(nav.get_text("/statistikk").await.0, 403);
}

#[tokio::test]
async fn an_administrator_uploads_a_file_sees_its_problems_by_line_then_imports_it() {
    let app = TestApp::spawn().await;
    const HEADER: &str =
        "person_key,gender,birth_year,arrival,move_out,children,referral,outcome,home_district\n";
    let good = format!(
        "{HEADER}U-1,female,1980,2024-01-01,2024-01-10,1,police,new_home,alna\n\
         U-2,male,1975,2024-02-01,2024-02-03,0,nav,other,\n"
    );
    let bad = good.replace("2024-02-03,0,nav", "2024-02-03,0,taxi");
    let location = |res: &reqwest::Response| res.headers()["location"].to_str().unwrap().to_owned();
    // Only administrators: a caseworker and crisis center staff are refused, nothing stored.
    for local in ["nav.alna", "krisesenter"] {
        let user = app.signed_in(local).await;
        let res = user
            .post_file("/admin/import/fil", "file", good.as_bytes())
            .await;
        assert_eq!(res.status(), 403, "{local}");
        assert_eq!(user.get_text("/admin/import").await.0, 403, "{local}");
    }
    assert_eq!(
        app.get("/admin/import").await.status(),
        303,
        "anonymous: to sign-in"
    );
    let admin = app.signed_in("admin").await;
    let res = admin
        .post_file("/admin/import/fil", "file", bad.as_bytes())
        .await;
    let to = location(&res);
    assert_eq!(to, "/admin/import?avvist=1&p=3.referral.referral");
    let (status, html) = admin.get_text(&to).await;
    assert_eq!(status, 200);
    let html = html.replace("<!>", "");
    assert!(html.contains("Filen ble avvist, og ingenting ble lagret. 1 feil:"));
    assert!(html.contains(
        "Linje 3, kolonne referral: må være police, child_welfare, emergency_services, self, nav eller other"
    ));
    assert_eq!(count(&app, "SELECT count(*) FROM imported_stay").await, 0);
    let res = admin
        .post_file("/admin/import/fil", "file", good.as_bytes())
        .await;
    assert_eq!(location(&res), "/admin/import?lagt_til=2&kjent=0");
    let (_, html) = admin.get_text("/admin/import?lagt_til=2&kjent=0").await;
    assert!(html.replace("<!>", "").contains("2 opphold ble importert"));
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log a JOIN stay_import i ON i.id = CAST(a.object_id AS INTEGER)
             WHERE a.action = 'stays.import' AND a.user_id = i.by_user_id AND i.source = 'upload'"
        )
        .await,
        1
    );
    // Again: nothing added, and the page says so.
    let res = admin
        .post_file("/admin/import/fil", "file", good.as_bytes())
        .await;
    assert_eq!(location(&res), "/admin/import?lagt_til=0&kjent=2");
    // No file: why, on the form.
    let res = admin.post_file("/admin/import/fil", "file", b"").await;
    assert_eq!(
        location(&res),
        "/admin/import?feil=E-INVALID-INPUT&felt=import_file"
    );
    let (_, html) = admin.get_text(&location(&res)).await;
    assert!(
        html.replace("<!>", "")
            .contains("Velg en CSV-fil med opphold")
    );
    // The statistics page leads administrators here.
    let (_, html) = admin.get_text("/statistikk?aar=2024").await;
    assert!(html.contains(r#"href="/admin/import""#));
}
