//! The national dataset the benchmarks run on, generated in SQL: the demo directory, then
//! `stays` stays with their tasks (five years of arrivals across the districts, older plans
//! mostly closed, a backlog of overdue tasks). Shared by the benches (`#[path]` module).

use app::server::db::Db;
use std::time::Instant;

/// Residents, stays and tasks in bulk, in SQL: arrivals every ~1.1 hours over five years, home
/// districts in turn, a third with another target district, children in 40 %. Each stay has the
/// tasks of routine version 1 that apply to it (the transfer twice when the target differs,
/// child welfare's when there are children); tasks of stays that moved out are done, but one
/// in 40 is left open (the backlog of overdue tasks the board shows). Hand-overs, the day of
/// being ready to move out, and exit meetings with attendance fill the compliance figures.
pub const GENERATE: &str = r#"
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

-- The path's dates the compliance figures count: hand-overs to the target district (started
-- three weeks after the arrival, completed after 0 to 29 days once the resident moved out), the
-- day a quarter of the residents were ready to move out (0 to 39 days before the move, or ten
-- days after the arrival for those still in the house), and exit meetings for four in five
-- move-outs (held in six of seven, with the district's three services invited, each answer
-- in turn).
UPDATE stay SET
    handover_started_at = CASE WHEN target_district_id IS NOT NULL
                                    AND date(arrival, '+21 days') < '2026-11-22'
                               THEN date(arrival, '+21 days') || 'T09:00:00.000Z' END,
    handover_ended_at = CASE WHEN target_district_id IS NOT NULL AND move_out IS NOT NULL
                             THEN date(arrival, '+' || (21 + id % 30) || ' days') || 'T13:00:00.000Z'
                        END,
    ready_on = CASE WHEN id % 4 <> 0 THEN NULL
                    WHEN move_out IS NOT NULL THEN max(arrival, date(move_out, '-' || (id % 40) || ' days'))
                    WHEN date(arrival, '+10 days') <= '2026-11-22' THEN date(arrival, '+10 days') END;

INSERT INTO exit_meeting (stay_id, starts_at, held)
SELECT id, date(move_out, '-' || (id % 4) || ' days') || 'T10:00', id % 7 <> 0
FROM stay WHERE move_out IS NOT NULL AND id % 5 <> 0;

INSERT INTO exit_meeting_service (stay_id, service_id, attendance)
SELECT m.stay_id, v.id,
       CASE (m.stay_id + v.id) % 4 WHEN 0 THEN 'invited' WHEN 1 THEN 'absent'
                                   WHEN 2 THEN 'excused' ELSE 'attended' END
FROM exit_meeting m
JOIN stay s ON s.id = m.stay_id
JOIN service v ON v.district_id = coalesce(s.target_district_id, s.home_district_id)
              AND v.kind IN ('nav', 'child_welfare', 'violence_coordinator');
"#;

pub const TASKS: &str = r#"
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

/// The residents' consent to share: given at arrival to every unit with a task in nine stays of
/// ten; the tenth waits for consent (its units see their tasks without names).
pub const CONSENTS: &str = r#"
INSERT INTO consent (stay_id, district_id, service_kind, answer, how, decided_on, recorded_at,
                     recorded_by)
SELECT DISTINCT t.stay_id, t.district_id, t.service_kind, 'given', 'oral', s.arrival,
       s.created_at, (SELECT min(id) FROM app_user WHERE role = 'crisis_center')
FROM task t JOIN stay s ON s.id = t.stay_id
WHERE t.district_id IS NOT NULL AND t.stay_id % 10 <> 0;
"#;

/// A new database in `dir` with the demo directory and `stays` generated stays; prints its size.
pub async fn create(dir: &std::path::Path, stays: i64) -> (Db, String) {
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    let db = Db::connect(&url).await.expect("database");
    db.migrate().await.expect("migrations");
    app::server::demo::seed_demo(&db).await.expect("demo data");
    let t = Instant::now();
    let mut tx = db.begin_write().await.expect("writer");
    sqlx::raw_sql(&GENERATE.replace("?1", &stays.to_string()))
        .execute(&mut *tx)
        .await
        .expect("generate stays");
    sqlx::raw_sql(TASKS)
        .execute(&mut *tx)
        .await
        .expect("generate tasks");
    sqlx::raw_sql(CONSENTS)
        .execute(&mut *tx)
        .await
        .expect("generate consents");
    sqlx::raw_sql("ANALYZE")
        .execute(&mut *tx)
        .await
        .expect("analyze");
    tx.commit().await.expect("commit");
    let (stays, tasks, open): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM stay), (SELECT count(*) FROM task),
                (SELECT count(*) FROM task WHERE status IN ('open', 'in_progress'))",
    )
    .fetch_one(db.read_pool())
    .await
    .unwrap();
    let size = std::fs::metadata(dir.join("bench.db")).map_or(0, |m| m.len());
    println!(
        "generated {stays} stays, {tasks} tasks ({open} open) in {:.1} s; database {:.1} MB",
        t.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );
    assert!(tasks >= 6 * stays, "about seven tasks per stay");
    (db, url)
}
