//! The municipality's compliance figures: counts per district, from queries that select no
//! field of a person (no name, birth year, reference or free text; only dates turned into day
//! counts and statuses). What may be shown of them is decided in `domain::compliance`.

use crate::domain::ServiceKind;
use crate::domain::compliance::{
    DEADLINE_STEPS, HousingCounts, MeetingCounts, OverdueCounts, Period, StepCounts,
    TransferCounts, WAIT_LIMIT_DAYS, WaitCounts, overdue_band,
};
use crate::domain::routine::Step;
use crate::server::ServerError;
use sqlx::SqliteConnection;
use std::collections::BTreeMap;
use time::Date;

/// Every district: id, slug and name, in name order (the rows of the tables).
pub async fn districts(
    conn: &mut SqliteConnection,
) -> Result<Vec<(i64, String, String)>, ServerError> {
    Ok(
        sqlx::query!(
            r#"SELECT id AS "id!", slug, name FROM district ORDER BY name COLLATE NOCASE"#
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.slug, r.name))
        .collect(),
    )
}

/// The housing-plan counts of each district (by id): the plans whose (extended) due date lies
/// in `period` (closed as not applicable or withdrawn ones left out), how many were done by
/// that date, the days from arrival to done of each one done; and, on `today`, the open plans
/// and the overdue ones among them.
pub async fn housing_counts(
    conn: &mut SqliteConnection,
    period: Period,
    today: Date,
) -> Result<BTreeMap<i64, HousingCounts>, ServerError> {
    let mut counts: BTreeMap<i64, HousingCounts> = BTreeMap::new();
    // Grouped by the days it took (of plans done; NULL for the rest): a district sends a row
    // per distinct number of days, not one per plan.
    let rows = sqlx::query!(
        r#"SELECT t.district_id AS "district!: i64", count(*) AS "plans!: i64",
                  coalesce(sum(t.status = 'done' AND t.closed_on <= coalesce(e.due_on, t.due_on)), 0)
                      AS "in_time!: i64",
                  CASE WHEN t.status = 'done'
                       THEN CAST(julianday(t.closed_on) - julianday(s.arrival) AS INTEGER) END
                      AS "days: i64"
           FROM task t
           JOIN stay s ON s.id = t.stay_id
           LEFT JOIN task_extension e ON e.task_id = t.id
           WHERE t.step = 'housing_plan' AND t.district_id IS NOT NULL
             AND t.status IN ('open', 'in_progress', 'done')
             -- An extension moves a due date later by months at most: the task's own date is
             -- within a year before the period (so the index on step and due date serves).
             AND t.due_on BETWEEN date(?1, '-1 year') AND ?2
             AND coalesce(e.due_on, t.due_on) BETWEEN ?1 AND ?2
           GROUP BY 1, 4"#,
        period.from,
        period.to
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        let c = counts.entry(r.district).or_default();
        c.due += r.plans;
        c.done_in_time += r.in_time;
        if let Some(days) = r.days {
            c.days_to_done.extend(std::iter::repeat_n(
                days,
                usize::try_from(r.plans).unwrap_or(0),
            ));
        }
    }
    let now = sqlx::query!(
        r#"SELECT t.district_id AS "district!: i64", count(*) AS "open!: i64",
                  coalesce(sum(coalesce(e.due_on, t.due_on) < ?1), 0) AS "overdue!: i64"
           FROM task t LEFT JOIN task_extension e ON e.task_id = t.id
           WHERE t.step = 'housing_plan' AND t.district_id IS NOT NULL
             AND t.status IN ('open', 'in_progress')
           GROUP BY t.district_id"#,
        today
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in now {
        let c = counts.entry(r.district).or_default();
        c.open_now = r.open;
        c.overdue_now = r.overdue;
    }
    for c in counts.values_mut() {
        c.days_to_done.sort_unstable();
    }
    Ok(counts)
}

/// The open tasks past their (extended) due date on `today`, per district (by id), service and
/// age band. Days past the due date are counted in SQL up to 31 (the last band's start), so a
/// district sends at most 31 rows per service.
pub async fn overdue_counts(
    conn: &mut SqliteConnection,
    today: Date,
) -> Result<BTreeMap<i64, OverdueCounts>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT t.district_id AS "district!: i64", t.service_kind AS "service!",
                  min(CAST(julianday(?1) - julianday(coalesce(e.due_on, t.due_on)) AS INTEGER), 31)
                      AS "days!: i64",
                  count(*) AS "tasks!: i64"
           FROM task t LEFT JOIN task_extension e ON e.task_id = t.id
           WHERE t.district_id IS NOT NULL AND t.status IN ('open', 'in_progress')
             AND coalesce(e.due_on, t.due_on) < ?1
           GROUP BY 1, 2, 3"#,
        today
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut counts: BTreeMap<i64, OverdueCounts> = BTreeMap::new();
    for r in rows {
        let service = ServiceKind::parse(&r.service)
            .ok()
            .and_then(|s| ServiceKind::STANDARD.iter().position(|&k| k == s));
        if let (Some(service), Some(band)) = (service, overdue_band(r.days)) {
            counts.entry(r.district).or_default().tasks[service][band] += r.tasks;
        }
    }
    Ok(counts)
}

/// The counts of each of [`DEADLINE_STEPS`] per district (by id): tasks whose (extended) due
/// date lies in `period` (not applicable and withdrawn ones left out), done by that date, and
/// done by the task's own date.
pub async fn step_counts(
    conn: &mut SqliteConnection,
    period: Period,
) -> Result<BTreeMap<i64, StepCounts>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT t.district_id AS "district!: i64", t.step AS "step!: Step",
                  count(*) AS "due!: i64",
                  coalesce(sum(t.status = 'done' AND t.closed_on <= coalesce(e.due_on, t.due_on)), 0)
                      AS "in_time!: i64",
                  coalesce(sum(t.status = 'done' AND t.closed_on <= t.due_on), 0)
                      AS "in_own_time!: i64"
           FROM task t
           LEFT JOIN task_extension e ON e.task_id = t.id
           WHERE t.step IN ('follow_up_plan', 'child_welfare_review', 'child_welfare_investigation')
             AND t.district_id IS NOT NULL
             AND t.status IN ('open', 'in_progress', 'done')
             -- As for housing plans: an extension moves a date by months at most.
             AND t.due_on BETWEEN date(?1, '-1 year') AND ?2
             AND coalesce(e.due_on, t.due_on) BETWEEN ?1 AND ?2
           GROUP BY 1, 2"#,
        period.from,
        period.to
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut counts: BTreeMap<i64, StepCounts> = BTreeMap::new();
    for r in rows {
        if let Some(i) = DEADLINE_STEPS.iter().position(|&s| s == r.step) {
            let c = counts.entry(r.district).or_default();
            c.due[i] = r.due;
            c.in_time[i] = r.in_time;
            c.in_own_time[i] = r.in_own_time;
        }
    }
    Ok(counts)
}

/// The move-outs of each district (by id) in `period` and their exit meetings: a move-out
/// belongs to the district the resident moves to (the target district, or the home district);
/// an invitation to the district of the service invited.
pub async fn meeting_counts(
    conn: &mut SqliteConnection,
    period: Period,
) -> Result<BTreeMap<i64, MeetingCounts>, ServerError> {
    let mut counts: BTreeMap<i64, MeetingCounts> = BTreeMap::new();
    let moves = sqlx::query!(
        r#"SELECT coalesce(s.target_district_id, s.home_district_id) AS "district!: i64",
                  count(*) AS "moved_out!: i64",
                  coalesce(sum(m.held = 1 AND substr(m.starts_at, 1, 10) <= s.move_out), 0)
                      AS "held_before!: i64"
           FROM stay s LEFT JOIN exit_meeting m ON m.stay_id = s.id
           WHERE s.move_out IS NOT NULL AND s.move_out BETWEEN ?1 AND ?2
           GROUP BY 1"#,
        period.from,
        period.to
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in moves {
        let c = counts.entry(r.district).or_default();
        c.moved_out = r.moved_out;
        c.held_before = r.held_before;
    }
    let invitations = sqlx::query!(
        r#"SELECT v.district_id AS "district!: i64", v.kind AS "kind!",
                  count(*) AS "invited!: i64",
                  coalesce(sum(x.attendance = 'attended'), 0) AS "attended!: i64"
           FROM stay s
           JOIN exit_meeting_service x ON x.stay_id = s.id
           JOIN service v ON v.id = x.service_id
           WHERE s.move_out IS NOT NULL AND s.move_out BETWEEN ?1 AND ?2
           GROUP BY 1, 2"#,
        period.from,
        period.to
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in invitations {
        let service = ServiceKind::parse(&r.kind)
            .ok()
            .and_then(|s| ServiceKind::STANDARD.iter().position(|&k| k == s));
        if let Some(s) = service {
            let c = counts.entry(r.district).or_default();
            c.invited[s] = r.invited;
            c.attended[s] = r.attended;
        }
    }
    Ok(counts)
}

/// The transfers of each district (by id: the home district, which hands the case over) whose
/// hand-over started or was completed in `period` (Oslo dates of the stored times), and the
/// days from start to completion of those completed in it.
pub async fn transfer_counts(
    conn: &mut SqliteConnection,
    period: Period,
) -> Result<BTreeMap<i64, TransferCounts>, ServerError> {
    // The stored times are UTC; a day either side of the period covers every Oslo date in it.
    let from = (period.from - time::Duration::days(1)).to_string();
    let to = (period.to + time::Duration::days(2)).to_string();
    let rows = sqlx::query!(
        r#"SELECT home_district_id AS "district!: i64",
                  handover_started_at AS "started!", handover_ended_at AS "ended?"
           FROM stay
           WHERE handover_started_at IS NOT NULL
             AND (handover_started_at BETWEEN ?1 AND ?2 OR handover_ended_at BETWEEN ?1 AND ?2)"#,
        from,
        to
    )
    .fetch_all(&mut *conn)
    .await?;
    let day = |at: &str| {
        time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
            .map(crate::server::clock::oslo_date)
            .map_err(|_| {
                ServerError::Pragma("unexpected stored value in stay's hand-over times".into())
            })
    };
    let within = |d: Date| period.from <= d && d <= period.to;
    let mut counts: BTreeMap<i64, TransferCounts> = BTreeMap::new();
    for r in rows {
        let started = day(&r.started)?;
        let ended = r.ended.as_deref().map(day).transpose()?;
        let c = counts.entry(r.district).or_default();
        if within(started) {
            c.started += 1;
        }
        if let Some(ended) = ended.filter(|&d| within(d)) {
            c.completed += 1;
            c.days.push((ended - started).whole_days());
        }
    }
    for c in counts.values_mut() {
        c.days.sort_unstable();
    }
    Ok(counts)
}

/// The waits for housing of each district (by id: the district moved to, or else the home
/// district): move-outs in `period` after a recorded day of being ready, grouped by the days
/// waited; and on `today` the residents in the house who have been ready for longer than
/// [`WAIT_LIMIT_DAYS`].
pub async fn wait_counts(
    conn: &mut SqliteConnection,
    period: Period,
    today: Date,
) -> Result<BTreeMap<i64, WaitCounts>, ServerError> {
    let moves = sqlx::query!(
        r#"SELECT coalesce(target_district_id, home_district_id) AS "district!: i64",
                  CAST(julianday(move_out) - julianday(ready_on) AS INTEGER) AS "days!: i64",
                  count(*) AS "stays!: i64"
           FROM stay
           WHERE move_out IS NOT NULL AND move_out BETWEEN ?1 AND ?2 AND ready_on IS NOT NULL
           GROUP BY 1, 2"#,
        period.from,
        period.to
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut counts: BTreeMap<i64, WaitCounts> = BTreeMap::new();
    for r in moves {
        let c = counts.entry(r.district).or_default();
        c.moved_out += r.stays;
        if r.days > WAIT_LIMIT_DAYS {
            c.waited_long += r.stays;
        }
        c.days.extend(std::iter::repeat_n(
            r.days,
            usize::try_from(r.stays).unwrap_or(0),
        ));
    }
    let waiting_since = today - time::Duration::days(WAIT_LIMIT_DAYS);
    let now = sqlx::query!(
        r#"SELECT coalesce(target_district_id, home_district_id) AS "district!: i64",
                  count(*) AS "stays!: i64"
           FROM stay
           WHERE move_out IS NULL AND ready_on < ?1
           GROUP BY 1"#,
        waiting_since
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in now {
        counts.entry(r.district).or_default().waiting_long_now = r.stays;
    }
    for c in counts.values_mut() {
        c.days.sort_unstable();
    }
    Ok(counts)
}
