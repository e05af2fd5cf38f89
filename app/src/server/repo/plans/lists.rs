//! The crisis center's plan list and the deadline counts of the boards.

use super::*;

/// The crisis center's list: every stay not yet moved out, and every stay with open tasks,
/// with counts of overdue, due-soon and open tasks; the `limit` most urgent first, and how
/// many there are in all.
pub async fn plan_list(
    conn: &mut SqliteConnection,
    today: Date,
    soon_until: Date,
    limit: i64,
) -> Result<PlanList, ServerError> {
    let rows = sqlx::query!(
        r#"WITH counts AS (
               SELECT t.stay_id,
                      sum(coalesce(e.due_on, t.due_on) < ?1) AS overdue,
                      sum(coalesce(e.due_on, t.due_on) BETWEEN ?1 AND ?2) AS soon,
                      count(*) AS open
               FROM task t LEFT JOIN task_extension e ON e.task_id = t.id
               WHERE t.status IN ('open', 'in_progress')
               GROUP BY t.stay_id
           ),
           -- The stays with open tasks, and those still in the house without any.
           candidates AS (
               SELECT stay_id AS id, overdue, soon, open FROM counts
               UNION ALL
               SELECT s.id, 0, 0, 0 FROM stay s
               WHERE s.move_out IS NULL
                 AND NOT EXISTS (SELECT 1 FROM task t WHERE t.stay_id = s.id
                                                        AND t.status IN ('open', 'in_progress'))
           ),
           -- Ranked and cut before the per-row details, which are then worked out for the rows
           -- shown only (the total still counts them all).
           listed AS (
               SELECT c.id, c.overdue, c.soon, c.open, s.resident_id, s.arrival,
                      s.home_district_id, s.target_district_id, s.move_out, s.ready_on,
                      count(*) OVER () AS total
               FROM candidates c JOIN stay s ON s.id = c.id
               ORDER BY c.overdue DESC, c.soon DESC, s.arrival, s.id
               LIMIT ?3
           )
           SELECT l.id AS "id!", r.name, r.birth_year, l.arrival AS "arrival: Date",
                  h.name AS home, g.name AS "target?", l.move_out AS "move_out: Date",
                  l.ready_on AS "ready_on: Date",
                  (SELECT count(*) FROM child c WHERE c.stay_id = l.id) AS "children!: i64",
                  EXISTS (SELECT 1 FROM stay p WHERE p.resident_id = l.resident_id
                                                 AND p.arrival < l.arrival) AS "returning!: bool",
                  l.overdue AS "overdue!: i64", l.soon AS "soon!: i64",
                  l.open AS "open!: i64", l.total AS "total!: i64"
           FROM listed l
           JOIN resident r ON r.id = l.resident_id
           JOIN district h ON h.id = l.home_district_id
           LEFT JOIN district g ON g.id = l.target_district_id
           ORDER BY l.overdue DESC, l.soon DESC, l.arrival, l.id"#,
        today,
        soon_until,
        limit
    )
    .fetch_all(&mut *conn)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let plans = rows
        .into_iter()
        .map(|r| PlanSummary {
            stay: StayId(r.id),
            resident: r.name,
            birth_year: i32::try_from(r.birth_year).unwrap_or_default(),
            arrival: r.arrival,
            home_district: r.home,
            target_district: r.target,
            children: r.children,
            move_out: r.move_out,
            returning: r.returning,
            overdue: r.overdue,
            due_soon: r.soon,
            open: r.open,
            ready_on: r.ready_on,
            waiting_flag: None,
        })
        .collect();
    Ok(PlanList { plans, total })
}

/// How many residents still in the house, moving to `district` (their target district, or else
/// their home district), have been ready to move out since before `since` (a count only).
pub async fn waiting_since(
    conn: &mut SqliteConnection,
    district: DistrictId,
    since: Date,
) -> Result<i64, ServerError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!: i64" FROM stay
           WHERE move_out IS NULL AND ready_on < ?2
             AND coalesce(target_district_id, home_district_id) = ?1"#,
        district.0,
        since
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Counts of open tasks per district and service on an Oslo date: overdue, due soon, open.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeadlineCount {
    /// `None`: the crisis center.
    pub district: Option<String>,
    pub service: Option<ServiceKind>,
    pub overdue: i64,
    pub due_soon: i64,
    pub open: i64,
}

/// The deadline scan: every open task, counted per district and service.
pub async fn deadline_counts(
    conn: &mut SqliteConnection,
    district: Option<DistrictId>,
    today: Date,
    soon_until: Date,
) -> Result<Vec<DeadlineCount>, ServerError> {
    let district = district.map(|d| d.0);
    let rows = sqlx::query!(
        r#"SELECT d.name AS "district?", t.service_kind,
                  sum(coalesce(e.due_on, t.due_on) < ?1) AS "overdue!: i64",
                  sum(coalesce(e.due_on, t.due_on) BETWEEN ?1 AND ?2) AS "soon!: i64",
                  count(*) AS "open!: i64"
           FROM task t
           LEFT JOIN task_extension e ON e.task_id = t.id
           LEFT JOIN district d ON d.id = t.district_id
           WHERE t.status IN ('open', 'in_progress') AND (?3 IS NULL OR t.district_id = ?3)
           GROUP BY t.district_id, t.service_kind
           ORDER BY d.name IS NOT NULL, d.name, t.service_kind"#,
        today,
        soon_until,
        district
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(DeadlineCount {
                district: r.district,
                service: match r.service_kind.as_deref() {
                    Some(s) => {
                        Some(ServiceKind::parse(s).map_err(|_| corrupt("task.service_kind"))?)
                    }
                    None => None,
                },
                overdue: r.overdue,
                due_soon: r.soon,
                open: r.open,
            })
        })
        .collect()
}

/// The Oslo date `soon_days` after `today` (the end of the due-soon window).
pub fn soon_until(today: Date, soon_days: u16) -> Date {
    today.saturating_add(time::Duration::days(i64::from(soon_days)))
}
