//! The municipality's compliance figures: on a generated dataset, each figure the portal shows
//! equals the same figure counted here from the raw rows; small counts are suppressed so that
//! subtraction from the municipality's total gives none away; and nothing a reviewer reaches
//! carries a resident's name or reference.

use crate::support::{TestApp, count};
use app::domain::compliance::{
    ComplianceView, HousingCounts, MeetingCounts, OverdueCounts, Period, Shown, StepCounts,
    TransferCounts, WaitCounts, housing_table, meeting_table, overdue_table, step_table,
    transfer_table, wait_table,
};
use time::macros::{date, datetime};
use time::{Date, Duration};

/// The district that gets exactly two housing plans due in the first quarter of 2026.
pub(crate) const SMALL: &str = "sagene";
pub(crate) const CANARY: &str = "Kontrollkanari";

/// A small deterministic random number generator (no dependency for a test's dice).
pub(crate) struct Dice(pub(crate) u64);

impl Dice {
    pub(crate) fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

/// Stays with one housing-plan task each, in NAV's inbox of their home district: arrivals over
/// the first half of 2026, a mix of done (in time or late), not applicable, withdrawn and open
/// tasks, some with an extension; the district [`SMALL`] gets two plans due in the first quarter
/// and none else then.
pub(crate) async fn generate(app: &TestApp, stays: u64) {
    let rule: i64 = sqlx::query_scalar(
        "SELECT id FROM routine_rule WHERE routine_version_id = 1 AND step = 'housing_plan'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let districts: Vec<(i64, String)> = sqlx::query_as("SELECT id, slug FROM district ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let small = districts.iter().find(|(_, s)| s == SMALL).unwrap().0;
    let others: Vec<i64> = districts
        .iter()
        .filter(|(_, s)| s != SMALL)
        .map(|(id, _)| *id)
        .collect();
    let admin: i64 = sqlx::query_scalar("SELECT id FROM app_user WHERE role = 'admin' LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let mut dice = Dice(7);
    let mut tx = app.pool.begin().await.unwrap();
    for i in 0..stays {
        let (district, arrival) = if i < 2 {
            (small, date!(2026 - 02 - 01) + Duration::days(i as i64 * 5))
        } else {
            let d = others[dice.next(others.len() as u64) as usize];
            // Late arrivals of the small district fall due in the second quarter.
            let d = if dice.next(20) == 0 { small } else { d };
            let offset = if d == small {
                90
            } else {
                dice.next(170) as i64
            };
            (d, date!(2026 - 01 - 01) + Duration::days(offset))
        };
        let due = arrival + Duration::days(14);
        let (status, closed): (&str, Option<Date>) = match dice.next(10) {
            0..=5 => ("done", Some(arrival + Duration::days(dice.next(30) as i64))),
            6 => ("not_applicable", Some(arrival + Duration::days(3))),
            7 => ("withdrawn", Some(arrival + Duration::days(2))),
            8 => ("in_progress", None),
            _ => ("open", None),
        };
        let resident: i64 = sqlx::query_scalar(
            "INSERT INTO resident (name, birth_year, gender, case_reference, created_at)
             VALUES (?1, 1980, 'female', ?2, '2026-01-01T00:00:00.000Z') RETURNING id",
        )
        .bind(format!("{CANARY} Beboer {i}"))
        .bind(format!("KANARI-{i}"))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let stay: i64 = sqlx::query_scalar(
            "INSERT INTO stay (resident_id, routine_version_id, arrival, referral,
                               home_district_id, created_at)
             VALUES (?1, 1, ?2, 'police', ?3, '2026-01-01T00:00:00.000Z') RETURNING id",
        )
        .bind(resident)
        .bind(arrival)
        .bind(district)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let task: i64 = sqlx::query_scalar(
            "INSERT INTO task (stay_id, rule_id, step, district_id, service_kind, due_on, status,
                               reason, closed_on, created_at)
             VALUES (?1, ?2, 'housing_plan', ?3, 'nav', ?4, ?5, ?6, ?7,
                     '2026-01-01T00:00:00.000Z') RETURNING id",
        )
        .bind(stay)
        .bind(rule)
        .bind(district)
        .bind(due)
        .bind(status)
        .bind((status == "not_applicable").then_some("Generert"))
        .bind(closed)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        if i >= 2 && dice.next(8) == 0 {
            sqlx::query(
                "INSERT INTO task_extension (task_id, due_on, reason, granted_by, recorded_by,
                                             recorded_at)
                 VALUES (?1, ?2, 'Generert', 'Leder', ?3, '2026-01-01T00:00:00.000Z')",
            )
            .bind(task)
            .bind(due + Duration::days(20))
            .bind(admin)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

/// Every district: id, slug and name, in the page's order (by name).
async fn districts_in_page_order(app: &TestApp) -> Vec<(i64, String, String)> {
    let mut districts: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, slug, name FROM district")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    districts.sort_by_key(|(_, _, name)| name.to_lowercase());
    districts
}

/// The housing-plan counts of every district (in the page's order, by name), counted here in
/// Rust from the raw rows.
async fn counted(
    app: &TestApp,
    period: Period,
    today: Date,
) -> Vec<((String, String), HousingCounts)> {
    type Raw = (i64, String, Date, Option<Date>, Option<Date>, Date);
    let raw: Vec<Raw> = sqlx::query_as(
        "SELECT t.district_id, t.status, t.due_on, e.due_on, t.closed_on, s.arrival
         FROM task t JOIN stay s ON s.id = t.stay_id
         LEFT JOIN task_extension e ON e.task_id = t.id
         WHERE t.step = 'housing_plan'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    districts_in_page_order(app)
        .await
        .into_iter()
        .map(|(id, slug, name)| {
            let mut c = HousingCounts::default();
            for (d, status, due, extended, closed, arrival) in &raw {
                if *d != id {
                    continue;
                }
                let due = extended.unwrap_or(*due);
                let open = status == "open" || status == "in_progress";
                if open {
                    c.open_now += 1;
                    if due < today {
                        c.overdue_now += 1;
                    }
                }
                if (open || status == "done") && period.from <= due && due <= period.to {
                    c.due += 1;
                    if status == "done" {
                        let closed = closed.unwrap();
                        if closed <= due {
                            c.done_in_time += 1;
                        }
                        c.days_to_done.push((closed - *arrival).whole_days());
                    }
                }
            }
            c.days_to_done.sort_unstable();
            ((slug, name), c)
        })
        .collect()
}

/// The page of the quarter `periode` shows `heading`; the CSV of `tabell` starts with `header`
/// (after "Bydel;") and has a line for each of the table's `rows` under it; neither holds a
/// planted name or reference. Gives the page and the CSV.
async fn page_and_csv(
    reviewer: &crate::support::Browser,
    periode: &str,
    heading: &str,
    tabell: &str,
    header: &str,
    rows: usize,
) -> (String, String) {
    let (status, page) = reviewer
        .get_text(&format!("/kontroll?periode={periode}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains(heading), "{heading}");
    let res = reviewer
        .get(&format!(
            "/eksport/kontroll.csv?periode={periode}&tabell={tabell}"
        ))
        .await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with(&format!("\u{feff}Bydel;{header}")), "{csv}");
    assert_eq!(csv.lines().count(), 1 + rows);
    assert!(!csv.contains(CANARY) && !page.contains(CANARY));
    (page, csv)
}

async fn portal_view(browser: &crate::support::Browser, query: &[(&str, &str)]) -> ComplianceView {
    let res = browser.call("compliance", query).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn every_districts_housing_plan_figures_equal_a_count_of_the_raw_rows_with_small_counts_suppressed()
 {
    let app = TestApp::spawn().await;
    generate(&app, 1_200).await;
    app.clock.set(datetime!(2026-05-10 09:00 UTC));
    let today = date!(2026 - 05 - 10);
    let reviewer = app.signed_in("kontrollor").await;
    for (query, period) in [
        (
            vec![("periode", "2026K1")],
            Period::quarter(2026, 1).unwrap(),
        ),
        (vec![("periode", "2026")], Period::year(2026).unwrap()),
        (
            vec![("fra", "2026-02-10"), ("til", "2026-04-20")],
            Period::range(date!(2026 - 02 - 10), date!(2026 - 04 - 20)).unwrap(),
        ),
        // Nothing chosen: the last whole quarter before 10 May.
        (vec![], Period::quarter(2026, 1).unwrap()),
    ] {
        let view = portal_view(&reviewer, &query).await;
        assert_eq!(view.period, period, "{query:?}");
        assert_eq!(view.today, today);
        let expected = housing_table(&counted(&app, period, today).await);
        assert_eq!(view.housing, expected, "{query:?}");
    }

    // The district with two plans due in the quarter: "under 3", and the subtraction attack
    // (the municipality's total minus every shown count) leaves a sum of two or more hidden
    // counts, one of them large enough to balance any value of the small one.
    let q1 = portal_view(&reviewer, &[("periode", "2026K1")]).await;
    let rows = &q1.housing[..q1.housing.len() - 1];
    let small = rows
        .iter()
        .find(|r| r.district.as_ref().unwrap().0 == SMALL)
        .unwrap();
    assert_eq!(small.due, Shown::Under3);
    assert_eq!(small.share_in_time, None);
    let counts = counted(&app, Period::quarter(2026, 1).unwrap(), today).await;
    let Shown::Count(total) = q1.housing.last().unwrap().due else {
        panic!("the municipality's total is shown");
    };
    let shown: i64 = rows.iter().filter_map(|r| r.due.count()).sum();
    let hidden: Vec<i64> = rows
        .iter()
        .zip(&counts)
        .filter(|(r, _)| r.due.count().is_none())
        .map(|(_, (_, c))| c.due)
        .collect();
    assert_eq!(total - shown, hidden.iter().sum::<i64>());
    assert!(hidden.len() >= 2, "{hidden:?}");
    assert!(hidden.contains(&2));
    assert!(hidden.iter().any(|&n| n >= 4), "{hidden:?}");

    // The page a reviewer reads says the same, and nothing of a person.
    let (status, page) = reviewer.get_text("/kontroll?periode=2026K1").await;
    assert_eq!(status, 200);
    assert!(page.contains("under 3"), "the small district's count");
    assert!(page.contains("skjult"), "its complement");
    assert!(page.contains("<svg"), "the chart");
    for (status, body) in [(status, page), {
        let res = reviewer.call("compliance", &[("periode", "2026")]).await;
        (res.status(), res.text().await.unwrap())
    }] {
        assert_eq!(status, 200);
        assert!(!body.contains(CANARY) && !body.contains("KANARI-"));
    }
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action LIKE 'plan.%'"
        )
        .await,
        0,
        "no personal data read"
    );
}

#[tokio::test]
async fn a_period_that_makes_no_sense_is_named_and_caseworkers_see_no_other_district() {
    let app = TestApp::spawn().await;
    let reviewer = app.signed_in("kontrollor").await;
    let (status, page) = reviewer
        .get_text("/kontroll?fra=2026-04-01&til=2026-03-01")
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("Perioden kan ikke brukes"), "{page}");
    assert!(page.contains("Til dato"));
    let res = reviewer.call("compliance", &[("periode", "2026K7")]).await;
    assert_eq!(res.status(), 400);
    let nav = app.signed_in("nav.alna").await;
    assert_eq!(nav.call("compliance", &[]).await.status(), 403);
    assert_eq!(nav.get("/kontroll").await.status(), 403);
}

/// The open tasks past their due date on `today` per district (in the page's order), service
/// and band, counted here from the raw rows.
async fn counted_overdue(app: &TestApp, today: Date) -> Vec<((String, String), OverdueCounts)> {
    type Raw = (Option<i64>, Option<String>, String, Date, Option<Date>);
    let raw: Vec<Raw> = sqlx::query_as(
        "SELECT t.district_id, t.service_kind, t.status, t.due_on, e.due_on
         FROM task t LEFT JOIN task_extension e ON e.task_id = t.id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    districts_in_page_order(app)
        .await
        .into_iter()
        .map(|(id, slug, name)| {
            let mut c = OverdueCounts::default();
            for (d, service, status, due, extended) in &raw {
                if *d != Some(id) || !(status == "open" || status == "in_progress") {
                    continue;
                }
                let late = (today - extended.unwrap_or(*due)).whole_days();
                let service = match service.as_deref() {
                    Some("nav") => 0,
                    Some("child_welfare") => 1,
                    _ => 2,
                };
                let band = match late {
                    ..=0 => continue,
                    1..=7 => 0,
                    8..=30 => 1,
                    _ => 2,
                };
                c.tasks[service][band] += 1;
            }
            ((slug, name), c)
        })
        .collect()
}

#[tokio::test]
async fn open_tasks_past_their_deadline_per_service_and_age_equal_a_count_of_the_raw_rows() {
    let app = TestApp::spawn().await;
    generate(&app, 1_500).await;
    // Every service: a third of the tasks go to child welfare, a third to the coordinator.
    sqlx::query(
        "UPDATE task SET service_kind = CASE id % 3 WHEN 1 THEN 'child_welfare'
                                             WHEN 2 THEN 'violence_coordinator' ELSE 'nav' END",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    app.clock.set(datetime!(2026-05-10 09:00 UTC));
    let today = date!(2026 - 05 - 10);
    let expected_counts = counted_overdue(&app, today).await;
    // The dataset reaches every band of every service.
    let total =
        |s: usize, b: usize| -> i64 { expected_counts.iter().map(|(_, c)| c.tasks[s][b]).sum() };
    for s in 0..3 {
        for b in 0..3 {
            assert!(total(s, b) > 0, "service {s}, band {b} is empty");
        }
    }
    let reviewer = app.signed_in("kontrollor").await;
    let view = portal_view(&reviewer, &[("periode", "2026K1")]).await;
    assert_eq!(view.overdue, overdue_table(&expected_counts));

    let (status, page) = reviewer.get_text("/kontroll?periode=2026K1").await;
    assert_eq!(status, 200);
    assert!(page.contains("Oppgaver over fristen nå"));
    assert!(
        page.contains("Barneverntjeneste, over 30 dager"),
        "the column headers"
    );
    let res = reviewer
        .get("/eksport/kontroll.csv?periode=2026K1&tabell=forfalte")
        .await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    assert!(
        csv.starts_with("\u{feff}Bydel;Per dato;NAV-kontor, 1–7 dager over fristen;"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + view.overdue.len());
    assert!(!csv.contains(CANARY) && !page.contains(CANARY));
}

/// The follow-up plan and child welfare counts of every district (in the page's order), counted
/// here in Rust from the raw rows.
async fn counted_steps(app: &TestApp, period: Period) -> Vec<((String, String), StepCounts)> {
    type Raw = (
        Option<i64>,
        String,
        String,
        Date,
        Option<Date>,
        Option<Date>,
    );
    let raw: Vec<Raw> = sqlx::query_as(
        "SELECT t.district_id, t.step, t.status, t.due_on, e.due_on, t.closed_on
         FROM task t LEFT JOIN task_extension e ON e.task_id = t.id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let steps = [
        "follow_up_plan",
        "child_welfare_review",
        "child_welfare_investigation",
    ];
    districts_in_page_order(app)
        .await
        .into_iter()
        .map(|(id, slug, name)| {
            let mut c = StepCounts::default();
            for (d, step, status, own, extended, closed) in &raw {
                let Some(i) = steps.iter().position(|s| s == step) else {
                    continue;
                };
                if *d != Some(id) || !["open", "in_progress", "done"].contains(&status.as_str()) {
                    continue;
                }
                let due = extended.unwrap_or(*own);
                if due < period.from || due > period.to {
                    continue;
                }
                c.due[i] += 1;
                if status == "done" {
                    let closed = closed.unwrap();
                    c.in_time[i] += i64::from(closed <= due);
                    c.in_own_time[i] += i64::from(closed <= *own);
                }
            }
            ((slug, name), c)
        })
        .collect()
}

#[tokio::test]
async fn follow_up_plans_and_child_welfare_periods_done_in_time_equal_a_count_of_the_raw_rows() {
    let app = TestApp::spawn().await;
    generate(&app, 1_500).await;
    // A third each: follow-up plans (NAV), child welfare's reviews and investigations.
    sqlx::query(
        "UPDATE task SET
             step = CASE id % 3 WHEN 0 THEN 'follow_up_plan' WHEN 1 THEN 'child_welfare_review'
                                ELSE 'child_welfare_investigation' END,
             service_kind = CASE id % 3 WHEN 0 THEN 'nav' ELSE 'child_welfare' END",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    app.clock.set(datetime!(2026-07-10 09:00 UTC));
    let reviewer = app.signed_in("kontrollor").await;
    for (query, period) in [
        ("2026K1", Period::quarter(2026, 1).unwrap()),
        ("2026K2", Period::quarter(2026, 2).unwrap()),
    ] {
        let expected = counted_steps(&app, period).await;
        let total =
            |f: &dyn Fn(&StepCounts) -> i64| -> i64 { expected.iter().map(|(_, c)| f(c)).sum() };
        // The dataset reaches every case: each step late and in time, and investigations done
        // in time only thanks to their extension.
        for i in 0..3 {
            assert!(
                total(&|c| c.in_time[i]) > 0,
                "{query}: step {i} never in time"
            );
            assert!(
                total(&|c| c.in_time[i]) < total(&|c| c.due[i]),
                "{query}: step {i} never late"
            );
        }
        assert!(total(&|c| c.in_own_time[2]) < total(&|c| c.in_time[2]));
        let view = portal_view(&reviewer, &[("periode", query)]).await;
        assert_eq!(view.steps, step_table(&expected), "{query}");
    }
    // Sagene's two tasks of the first quarter are one and one of two steps: "under 3".
    let view = portal_view(&reviewer, &[("periode", "2026K1")]).await;
    let sagene = view
        .steps
        .iter()
        .find(|r| r.district.as_ref().is_some_and(|(slug, _)| slug == SMALL))
        .unwrap();
    assert!(sagene.cells.contains(&Shown::Under3), "{sagene:?}");

    let (page, csv) = page_and_csv(
        &reviewer,
        "2026K2",
        "Oppfølgingsplaner og barnevernets lovfrister",
        "frister",
        "Fra;Til;Oppfølgingsplaner med frist i perioden;",
        view.steps.len(),
    )
    .await;
    assert!(page.contains("utført innen 3 måneder (uten forlengelse)"));
    assert!(
        csv.lines().all(|l| l.split(';').count() == 14),
        "every line has every column"
    );
}

/// Stays that moved out in the first half of 2026, a third of them to another district, most
/// with an exit meeting (held or not, before or after the move) to which the services of the
/// district moved to (and some of the home district's NAV offices) were invited, with every
/// kind of answer.
async fn generate_moves(app: &TestApp, stays: u64) {
    let districts: Vec<i64> = sqlx::query_scalar("SELECT id FROM district ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let services: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, district_id, kind FROM service WHERE kind <> 'other' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let mut dice = Dice(11);
    let mut tx = app.pool.begin().await.unwrap();
    for i in 0..stays {
        let home = districts[dice.next(districts.len() as u64) as usize];
        let target = (dice.next(3) == 0)
            .then(|| districts[dice.next(districts.len() as u64) as usize])
            .filter(|&t| t != home);
        let arrival = date!(2025 - 12 - 01) + Duration::days(dice.next(150) as i64);
        let move_out = arrival + Duration::days(10 + dice.next(60) as i64);
        let resident: i64 = sqlx::query_scalar(
            "INSERT INTO resident (name, birth_year, gender, case_reference, created_at)
             VALUES (?1, 1985, 'female', ?2, '2026-01-01T00:00:00.000Z') RETURNING id",
        )
        .bind(format!("{CANARY} Flytter {i}"))
        .bind(format!("KANARI-F-{i}"))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let stay: i64 = sqlx::query_scalar(
            "INSERT INTO stay (resident_id, routine_version_id, arrival, referral,
                               home_district_id, target_district_id, target_reason, move_out,
                               outcome, created_at)
             VALUES (?1, 1, ?2, 'police', ?3, ?4, ?5, ?6, 'new_home',
                     '2026-01-01T00:00:00.000Z') RETURNING id",
        )
        .bind(resident)
        .bind(arrival)
        .bind(home)
        .bind(target)
        .bind(target.map(|_| "wish"))
        .bind(move_out)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        if dice.next(5) == 0 {
            continue;
        }
        let starts = move_out - Duration::days(dice.next(12) as i64 - 3);
        sqlx::query(
            "INSERT INTO exit_meeting (stay_id, starts_at, held) VALUES (?1, ?2 || 'T10:00', ?3)",
        )
        .bind(stay)
        .bind(starts)
        .bind(i64::from(dice.next(4) != 0))
        .execute(&mut *tx)
        .await
        .unwrap();
        let to = target.unwrap_or(home);
        for (service, district, kind) in &services {
            let invited = *district == to || (*district == home && kind == "nav");
            if !invited {
                continue;
            }
            let attendance =
                ["invited", "attended", "attended", "excused", "absent"][dice.next(5) as usize];
            sqlx::query(
                "INSERT INTO exit_meeting_service (stay_id, service_id, attendance)
                 VALUES (?1, ?2, ?3)",
            )
            .bind(stay)
            .bind(service)
            .bind(attendance)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

/// The exit-meeting counts of every district (in the page's order), counted here in Rust from
/// the raw rows.
async fn counted_meetings(app: &TestApp, period: Period) -> Vec<((String, String), MeetingCounts)> {
    type Move = (i64, Option<i64>, Option<Date>, Option<i64>, Option<String>);
    let moves: Vec<Move> = sqlx::query_as(
        "SELECT s.home_district_id, s.target_district_id, s.move_out, m.held, m.starts_at
         FROM stay s LEFT JOIN exit_meeting m ON m.stay_id = s.id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    type Invitation = (i64, String, String, Option<Date>);
    let invitations: Vec<Invitation> = sqlx::query_as(
        "SELECT v.district_id, v.kind, x.attendance, s.move_out
         FROM exit_meeting_service x JOIN service v ON v.id = x.service_id
         JOIN stay s ON s.id = x.stay_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let within = |d: &Option<Date>| d.is_some_and(|d| period.from <= d && d <= period.to);
    districts_in_page_order(app)
        .await
        .into_iter()
        .map(|(id, slug, name)| {
            let mut c = MeetingCounts::default();
            for (home, target, move_out, held, starts) in &moves {
                if target.unwrap_or(*home) != id || !within(move_out) {
                    continue;
                }
                c.moved_out += 1;
                let day = starts.as_deref().map(|s| &s[..10]);
                if *held == Some(1) && day.unwrap() <= move_out.unwrap().to_string().as_str() {
                    c.held_before += 1;
                }
            }
            for (district, kind, attendance, move_out) in &invitations {
                let s = match kind.as_str() {
                    "nav" => 0,
                    "child_welfare" => 1,
                    _ => 2,
                };
                if *district == id && within(move_out) {
                    c.invited[s] += 1;
                    c.attended[s] += i64::from(attendance == "attended");
                }
            }
            ((slug, name), c)
        })
        .collect()
}

#[tokio::test]
async fn exit_meetings_held_before_move_out_and_attendance_per_service_equal_a_count_of_the_raw_rows()
 {
    let app = TestApp::spawn().await;
    generate_moves(&app, 1_200).await;
    app.clock.set(datetime!(2026-07-10 09:00 UTC));
    let reviewer = app.signed_in("kontrollor").await;
    for (query, period) in [
        ("2026K1", Period::quarter(2026, 1).unwrap()),
        ("2026K2", Period::quarter(2026, 2).unwrap()),
    ] {
        let expected = counted_meetings(&app, period).await;
        let total =
            |f: &dyn Fn(&MeetingCounts) -> i64| -> i64 { expected.iter().map(|(_, c)| f(c)).sum() };
        // The dataset reaches every case: meetings held before and not, each service coming
        // and not.
        assert!(
            0 < total(&|c| c.held_before) && total(&|c| c.held_before) < total(&|c| c.moved_out)
        );
        for s in 0..3 {
            assert!(
                0 < total(&|c| c.attended[s]),
                "{query}: service {s} never came"
            );
            assert!(total(&|c| c.attended[s]) < total(&|c| c.invited[s]));
        }
        let view = portal_view(&reviewer, &[("periode", query)]).await;
        assert_eq!(view.meetings, meeting_table(&expected), "{query}");
    }
    let view = portal_view(&reviewer, &[("periode", "2026K1")]).await;
    let (page, csv) = page_and_csv(
        &reviewer,
        "2026K1",
        "Utflyttingsmøter",
        "moter",
        "Fra;Til;Utflyttinger;Utflyttingsmøte holdt før utflytting;",
        view.meetings.len(),
    )
    .await;
    assert!(page.contains("NAV-kontor: møtte"), "the column headers");
    assert!(csv.lines().all(|l| l.split(';').count() == 15));
}

/// Stays whose case is handed over to another district: hand-overs started over the first half
/// of 2026 at any hour (some late in the evening, Oslo's next day in UTC's terms), most of them
/// completed after 0 to 40 days.
async fn generate_transfers(app: &TestApp, stays: u64) {
    let districts: Vec<i64> = sqlx::query_scalar("SELECT id FROM district ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let mut dice = Dice(23);
    let mut tx = app.pool.begin().await.unwrap();
    for i in 0..stays {
        let home = districts[dice.next(districts.len() as u64) as usize];
        let target = districts
            .iter()
            .copied()
            .find(|&d| d != home && dice.next(4) == 0)
            .unwrap_or(if home == districts[0] {
                districts[1]
            } else {
                districts[0]
            });
        let mut started =
            datetime!(2025-12-15 00:00 UTC) + Duration::minutes(dice.next(200 * 24 * 60) as i64);
        let mut ended = (dice.next(5) != 0)
            .then(|| started + Duration::minutes(dice.next(40 * 24 * 60) as i64));
        // Some at the quarters' edge: 31 March 22:30 UTC is 1 April in Oslo (summer time).
        if i % 40 == 0 {
            started = datetime!(2026-03-31 22:30 UTC);
            ended = Some(started + Duration::days(dice.next(10) as i64));
        } else if i % 40 == 1 {
            started = datetime!(2026-03-20 10:00 UTC);
            ended = Some(datetime!(2026-03-31 22:30 UTC));
        }
        let stamp = |at: time::OffsetDateTime| {
            at.format(&time::format_description::well_known::Rfc3339)
                .unwrap()
        };
        let resident: i64 = sqlx::query_scalar(
            "INSERT INTO resident (name, birth_year, gender, case_reference, created_at)
             VALUES (?1, 1990, 'female', ?2, '2026-01-01T00:00:00.000Z') RETURNING id",
        )
        .bind(format!("{CANARY} Overført {i}"))
        .bind(format!("KANARI-O-{i}"))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO stay (resident_id, routine_version_id, arrival, referral,
                               home_district_id, target_district_id, target_reason,
                               handover_started_at, handover_ended_at, created_at)
             VALUES (?1, 1, '2025-12-01', 'police', ?2, ?3, 'threat', ?4, ?5,
                     '2026-01-01T00:00:00.000Z')",
        )
        .bind(resident)
        .bind(home)
        .bind(target)
        .bind(stamp(started))
        .bind(ended.map(stamp))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// The transfer counts of every district (in the page's order), counted here in Rust from the
/// raw rows, on Oslo dates.
async fn counted_transfers(
    app: &TestApp,
    period: Period,
) -> Vec<((String, String), TransferCounts)> {
    let raw: Vec<(i64, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT home_district_id, handover_started_at, handover_ended_at FROM stay")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let day = |at: &str| {
        app::server::clock::oslo_date(
            time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
                .unwrap(),
        )
    };
    let within = |d: Date| period.from <= d && d <= period.to;
    districts_in_page_order(app)
        .await
        .into_iter()
        .map(|(id, slug, name)| {
            let mut c = TransferCounts::default();
            for (district, started, ended) in &raw {
                let (true, Some(started)) = (*district == id, started.as_deref().map(day)) else {
                    continue;
                };
                c.started += i64::from(within(started));
                if let Some(ended) = ended.as_deref().map(day).filter(|&d| within(d)) {
                    c.completed += 1;
                    c.days.push((ended - started).whole_days());
                }
            }
            c.days.sort_unstable();
            ((slug, name), c)
        })
        .collect()
}

#[tokio::test]
async fn transfers_started_and_completed_and_their_days_equal_a_count_of_the_raw_rows() {
    let app = TestApp::spawn().await;
    generate_transfers(&app, 900).await;
    app.clock.set(datetime!(2026-07-10 09:00 UTC));
    let reviewer = app.signed_in("kontrollor").await;
    for (query, period) in [
        ("2026K1", Period::quarter(2026, 1).unwrap()),
        ("2026K2", Period::quarter(2026, 2).unwrap()),
    ] {
        let expected = counted_transfers(&app, period).await;
        let started: i64 = expected.iter().map(|(_, c)| c.started).sum();
        let completed: i64 = expected.iter().map(|(_, c)| c.completed).sum();
        assert!(
            started > 100 && completed > 100,
            "{query}: {started}, {completed}"
        );
        let view = portal_view(&reviewer, &[("periode", query)]).await;
        assert_eq!(view.transfers, transfer_table(&expected), "{query}");
        assert!(view.transfers.last().unwrap().median_days.is_some());
    }
    let view = portal_view(&reviewer, &[("periode", "2026K1")]).await;
    page_and_csv(
        &reviewer,
        "2026K1",
        "Overføringer til ny bydel",
        "overforinger",
        "Fra;Til;Overføringer startet;Overføringer fullført;",
        view.transfers.len(),
    )
    .await;
}

/// Stays ready to move out (waiting only for housing) some days before they moved out in the
/// first half of 2026, a third of them to another district; and residents still in the house,
/// ready since some days before 10 July.
async fn generate_waits(app: &TestApp, stays: u64) {
    let districts: Vec<i64> = sqlx::query_scalar("SELECT id FROM district ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let mut dice = Dice(31);
    let mut tx = app.pool.begin().await.unwrap();
    for i in 0..stays {
        let home = districts[dice.next(districts.len() as u64) as usize];
        let target = (dice.next(3) == 0)
            .then(|| districts[dice.next(districts.len() as u64) as usize])
            .filter(|&t| t != home);
        let arrival = date!(2025 - 12 - 01) + Duration::days(dice.next(150) as i64);
        let ready = arrival + Duration::days(5 + dice.next(30) as i64);
        let in_house = dice.next(4) == 0;
        let move_out = (!in_house).then(|| ready + Duration::days(dice.next(40) as i64));
        let ready = if in_house {
            date!(2026 - 07 - 10) - Duration::days(dice.next(30) as i64)
        } else {
            ready
        };
        let resident: i64 = sqlx::query_scalar(
            "INSERT INTO resident (name, birth_year, gender, case_reference, created_at)
             VALUES (?1, 1975, 'female', ?2, '2026-01-01T00:00:00.000Z') RETURNING id",
        )
        .bind(format!("{CANARY} Venter {i}"))
        .bind(format!("KANARI-V-{i}"))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO stay (resident_id, routine_version_id, arrival, referral,
                               home_district_id, target_district_id, target_reason, ready_on,
                               move_out, outcome, created_at)
             VALUES (?1, 1, ?2, 'police', ?3, ?4, ?5, ?6, ?7, ?8, '2026-01-01T00:00:00.000Z')",
        )
        .bind(resident)
        .bind(arrival)
        .bind(home)
        .bind(target)
        .bind(target.map(|_| "wish"))
        .bind(ready)
        .bind(move_out)
        .bind(move_out.map(|_| "new_home"))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// The waiting counts of every district (in the page's order), counted here in Rust from the
/// raw rows.
async fn counted_waits(
    app: &TestApp,
    period: Period,
    today: Date,
) -> Vec<((String, String), WaitCounts)> {
    type Raw = (i64, Option<i64>, Option<Date>, Option<Date>);
    let raw: Vec<Raw> =
        sqlx::query_as("SELECT home_district_id, target_district_id, ready_on, move_out FROM stay")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    districts_in_page_order(app)
        .await
        .into_iter()
        .map(|(id, slug, name)| {
            let mut c = WaitCounts::default();
            for (home, target, ready, move_out) in &raw {
                let Some(ready) = ready else { continue };
                if target.unwrap_or(*home) != id {
                    continue;
                }
                match move_out {
                    Some(out) if period.from <= *out && *out <= period.to => {
                        let days = (*out - *ready).whole_days();
                        c.moved_out += 1;
                        c.waited_long += i64::from(days > 14);
                        c.days.push(days);
                    }
                    None if (today - *ready).whole_days() > 14 => c.waiting_long_now += 1,
                    _ => {}
                }
            }
            c.days.sort_unstable();
            ((slug, name), c)
        })
        .collect()
}

#[tokio::test]
async fn waits_for_housing_from_ready_to_move_out_equal_a_count_of_the_raw_rows() {
    let app = TestApp::spawn().await;
    generate_waits(&app, 1_000).await;
    app.clock.set(datetime!(2026-07-10 09:00 UTC));
    let today = date!(2026 - 07 - 10);
    let reviewer = app.signed_in("kontrollor").await;
    for (query, period) in [
        ("2026K1", Period::quarter(2026, 1).unwrap()),
        ("2026K2", Period::quarter(2026, 2).unwrap()),
    ] {
        let expected = counted_waits(&app, period, today).await;
        let total =
            |f: &dyn Fn(&WaitCounts) -> i64| -> i64 { expected.iter().map(|(_, c)| f(c)).sum() };
        let (moved, long, now) = (
            total(&|c| c.moved_out),
            total(&|c| c.waited_long),
            total(&|c| c.waiting_long_now),
        );
        assert!(
            0 < long && long < moved && now > 0,
            "{query}: {moved}, {long}, {now}"
        );
        let view = portal_view(&reviewer, &[("periode", query)]).await;
        assert_eq!(view.waits, wait_table(&expected), "{query}");
        assert!(view.waits.last().unwrap().median_days.is_some());
    }
    let view = portal_view(&reviewer, &[("periode", "2026K2")]).await;
    page_and_csv(
        &reviewer,
        "2026K2",
        "Venter på bolig",
        "venter",
        "Fra;Til;Flyttet ut etter å ha vært klar;",
        view.waits.len(),
    )
    .await;
}
