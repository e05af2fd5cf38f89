//! Deviations: opened by the deadline scan or by hand, handled and closed by their unit. Rows
//! and history are never deleted (the schema's triggers refuse it).

use crate::domain::deviation::{
    DeviationCase, DeviationCause, DeviationEvent, DeviationEventKind, DeviationId,
    DeviationMeasure, DeviationOrigin, DeviationRow, DeviationStatus,
};
use crate::domain::plan::{StayId, TaskId};
use crate::domain::routine::Step;
use crate::domain::{DistrictId, Unit, UserId};
use crate::server::ServerError;
use crate::server::repo::access_log::timestamp;
use crate::server::repo::plans::unit_of;
use sqlx::SqliteConnection;
use time::{Date, OffsetDateTime};

/// A deviation the scan opened: its id, the unit that answers for it (`None`: the crisis
/// center) and its stay.
#[derive(Clone, Copy, Debug)]
pub struct Opened {
    pub id: DeviationId,
    pub unit: Option<Unit>,
    pub stay: StayId,
}

/// Opens a deviation for every task of a binding rule that missed its (extended) due date on or
/// after `since`: still open after it on `today`, or done after it (a day the scan did not run).
/// Once per task: the unique index makes a second scan (or a second process) open nothing.
pub async fn open_missed(
    conn: &mut SqliteConnection,
    now: OffsetDateTime,
    today: Date,
    since: Date,
) -> Result<Vec<Opened>, ServerError> {
    let at = timestamp(now);
    let rows = sqlx::query!(
        r#"INSERT INTO deviation (stay_id, task_id, step, district_id, service_kind, origin, due_on,
                                  opened_on, opened_at)
           SELECT t.stay_id, t.id, t.step, t.district_id, t.service_kind, 'deadline',
                  coalesce(e.due_on, t.due_on), ?2, ?1
           FROM task t
           JOIN routine_rule r ON r.id = t.rule_id
           LEFT JOIN task_extension e ON e.task_id = t.id
           WHERE r.binding = 1
             AND coalesce(e.due_on, t.due_on) BETWEEN ?3 AND date(?2, '-1 day')
             AND (t.status IN ('open', 'in_progress')
                  OR (t.status = 'done' AND t.closed_on > coalesce(e.due_on, t.due_on)))
           ORDER BY t.id
           ON CONFLICT (task_id) WHERE origin = 'deadline' DO NOTHING
           RETURNING id AS "id!: DeviationId", district_id AS "district_id?: i64",
                     service_kind AS "service_kind?", stay_id AS "stay!: StayId""#,
        at,
        today,
        since
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Opened {
                id: r.id,
                unit: unit_of(r.district_id, r.service_kind.as_deref())?,
                stay: r.stay,
            })
        })
        .collect()
}

/// Opens a deviation by hand for `task`; returns it with its unit and stay, or `None` when there
/// is no such task.
pub async fn open_manual(
    conn: &mut SqliteConnection,
    now: OffsetDateTime,
    today: Date,
    by: UserId,
    task: TaskId,
    note: &str,
) -> Result<Option<Opened>, ServerError> {
    let at = timestamp(now);
    let row = sqlx::query!(
        r#"INSERT INTO deviation (stay_id, task_id, step, district_id, service_kind, origin,
                                  opened_on, opened_at, opened_by, note)
           SELECT t.stay_id, t.id, t.step, t.district_id, t.service_kind, 'manual', ?2, ?1, ?3, ?5
           FROM task t WHERE t.id = ?4
           RETURNING id AS "id!: DeviationId", district_id AS "district_id?: i64",
                     service_kind AS "service_kind?", stay_id AS "stay!: StayId""#,
        at,
        today,
        by.0,
        task.0,
        note
    )
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Opened {
            id: r.id,
            unit: unit_of(r.district_id, r.service_kind.as_deref())?,
            stay: r.stay,
        })
    })
    .transpose()
}

/// What a history row records.
#[derive(Clone, Copy, Debug)]
pub struct EventWrite<'a> {
    pub deviation: DeviationId,
    pub at: OffsetDateTime,
    pub by: Option<UserId>,
    pub kind: DeviationEventKind,
    pub cause: Option<DeviationCause>,
    pub measure: Option<DeviationMeasure>,
    pub note: Option<&'a str>,
}

/// Appends a history row.
pub async fn append_event(
    conn: &mut SqliteConnection,
    event: &EventWrite<'_>,
) -> Result<(), ServerError> {
    let at = timestamp(event.at);
    let by = event.by.map(|u| u.0);
    let kind = event.kind.as_str();
    let cause = event.cause.map(DeviationCause::as_str);
    let measure = event.measure.map(DeviationMeasure::as_str);
    sqlx::query!(
        "INSERT INTO deviation_event (deviation_id, at, user_id, kind, cause, measure, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        event.deviation.0,
        at,
        by,
        kind,
        cause,
        measure,
        event.note
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Queues the message to the unit's leader contacts that a deviation was opened (once).
pub async fn queue_leader_notice(
    conn: &mut SqliteConnection,
    now: OffsetDateTime,
    deviation: DeviationId,
    unit: Unit,
) -> Result<(), ServerError> {
    let at = timestamp(now);
    let key = format!("deviation_opened:{}", deviation.0);
    let service = unit.service.as_str();
    sqlx::query!(
        "INSERT INTO outbox (key, created_at, kind, audience, district_id, service_kind,
                             deviation_id, next_try_at)
         VALUES (?1, ?2, 'deviation_opened', 'leader', ?3, ?4, ?5, ?2)
         ON CONFLICT (key) DO NOTHING",
        key,
        at,
        unit.district.0,
        service,
        deviation.0
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Which deviations a reader may see: every one, or one district's (not the crisis center's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    District(DistrictId),
}

impl Scope {
    fn district(self) -> Option<i64> {
        match self {
            Scope::All => None,
            Scope::District(d) => Some(d.0),
        }
    }
}

fn days_open(opened: Date, closed: Option<Date>, today: Date) -> i64 {
    (closed.unwrap_or(today) - opened).whole_days().max(0)
}

/// The deviations in `scope`, newest first (at most `limit`), with `status` (none: both), and
/// how many match. Selects no field of a person and no free text.
pub async fn rows(
    conn: &mut SqliteConnection,
    scope: Scope,
    status: Option<DeviationStatus>,
    today: Date,
    limit: i64,
) -> Result<(Vec<DeviationRow>, i64), ServerError> {
    select_rows(conn, scope, status, None, today, limit).await
}

async fn select_rows(
    conn: &mut SqliteConnection,
    scope: Scope,
    status: Option<DeviationStatus>,
    id: Option<DeviationId>,
    today: Date,
    limit: i64,
) -> Result<(Vec<DeviationRow>, i64), ServerError> {
    let district = scope.district();
    let status = status.map(DeviationStatus::as_str);
    let id = id.map(|d| d.0);
    let rows = sqlx::query!(
        r#"SELECT v.id AS "id!: DeviationId", d.name AS "district?", v.district_id,
                  v.service_kind, v.step AS "step: Step", v.origin AS "origin: DeviationOrigin",
                  v.due_on AS "due_on: Date", v.opened_on AS "opened_on: Date",
                  v.status AS "status: DeviationStatus", v.cause AS "cause: DeviationCause",
                  v.measure AS "measure: DeviationMeasure", v.closed_on AS "closed_on: Date",
                  count(*) OVER () AS "total!: i64"
           FROM deviation v LEFT JOIN district d ON d.id = v.district_id
           WHERE (?1 IS NULL OR v.district_id = ?1) AND (?2 IS NULL OR v.status = ?2)
             AND (?4 IS NULL OR v.id = ?4)
           ORDER BY v.opened_on DESC, v.id DESC
           LIMIT ?3"#,
        district,
        status,
        limit,
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let rows = rows
        .into_iter()
        .map(|r| {
            let unit = unit_of(r.district_id, r.service_kind.as_deref())?;
            Ok(DeviationRow {
                id: r.id,
                district: r.district,
                service: unit.map(|u| u.service),
                step: r.step,
                origin: r.origin,
                due_on: r.due_on,
                opened_on: r.opened_on,
                status: r.status,
                cause: r.cause,
                measure: r.measure,
                closed_on: r.closed_on,
                days_open: days_open(r.opened_on, r.closed_on, today),
            })
        })
        .collect::<Result<Vec<_>, ServerError>>()?;
    Ok((rows, total))
}

/// One deviation in `scope`, with its free text and history; `None` when there is no such
/// deviation in reach.
pub async fn case(
    conn: &mut SqliteConnection,
    id: DeviationId,
    scope: Scope,
    today: Date,
) -> Result<Option<DeviationCase>, ServerError> {
    let (mut rows, _) = select_rows(conn, scope, None, Some(id), today, 1).await?;
    let Some(row) = rows.pop() else {
        return Ok(None);
    };
    let r = sqlx::query!(
        r#"SELECT v.task_id AS "task!: TaskId", v.stay_id AS "stay!: StayId", v.note,
                  u.name AS "closed_by?", v.opened_by AS "opened_by: UserId", v.version
           FROM deviation v LEFT JOIN app_user u ON u.id = v.closed_by
           WHERE v.id = ?1"#,
        id.0
    )
    .fetch_one(&mut *conn)
    .await?;
    let history = sqlx::query!(
        r#"SELECT e.at, u.name AS "by?", e.kind AS "kind: DeviationEventKind",
                  e.cause AS "cause: DeviationCause", e.measure AS "measure: DeviationMeasure",
                  e.note
           FROM deviation_event e LEFT JOIN app_user u ON u.id = e.user_id
           WHERE e.deviation_id = ?1 ORDER BY e.id"#,
        id.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|e| DeviationEvent {
        at: e.at,
        by: e.by,
        kind: e.kind,
        cause: e.cause,
        measure: e.measure,
        note: e.note,
    })
    .collect();
    Ok(Some(DeviationCase {
        row,
        task: r.task,
        stay: r.stay,
        note: r.note,
        closed_by: r.closed_by,
        opened_by: r.opened_by,
        version: r.version,
        via_plan: false,
        may_handle: false,
        history,
    }))
}

/// A deviation's state before a change: its status, version, unit and stay.
#[derive(Clone, Debug)]
pub struct DeviationState {
    pub status: DeviationStatus,
    pub version: i64,
    pub cause: Option<DeviationCause>,
    pub measure: Option<DeviationMeasure>,
    pub district: Option<DistrictId>,
    pub stay: StayId,
    pub note: Option<String>,
}

/// The state of a deviation in `scope`, or `None`.
pub async fn state(
    conn: &mut SqliteConnection,
    id: DeviationId,
    scope: Scope,
) -> Result<Option<DeviationState>, ServerError> {
    let district = scope.district();
    Ok(sqlx::query!(
        r#"SELECT status AS "status: DeviationStatus", version, district_id,
                  stay_id AS "stay!: StayId", cause AS "cause: DeviationCause",
                  measure AS "measure: DeviationMeasure", note
           FROM deviation WHERE id = ?1 AND (?2 IS NULL OR district_id = ?2)"#,
        id.0,
        district
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| DeviationState {
        status: r.status,
        version: r.version,
        cause: r.cause,
        measure: r.measure,
        note: r.note,
        district: r.district_id.map(DistrictId),
        stay: r.stay,
    }))
}

/// What a change writes.
#[derive(Clone, Copy, Debug)]
pub struct DeviationWrite<'a> {
    pub status: DeviationStatus,
    pub cause: Option<DeviationCause>,
    pub measure: Option<DeviationMeasure>,
    pub note: Option<&'a str>,
    pub closed: Option<(Date, UserId)>,
}

/// Writes a change if the deviation still has `version`; `false` when someone saved it since.
pub async fn write(
    conn: &mut SqliteConnection,
    id: DeviationId,
    version: i64,
    w: &DeviationWrite<'_>,
) -> Result<bool, ServerError> {
    let status = w.status.as_str();
    let cause = w.cause.map(DeviationCause::as_str);
    let measure = w.measure.map(DeviationMeasure::as_str);
    let closed_on = w.closed.map(|(d, _)| d);
    let closed_by = w.closed.map(|(_, u)| u.0);
    Ok(sqlx::query!(
        "UPDATE deviation SET status = ?3, cause = ?4, measure = ?5, note = ?6, closed_on = ?7,
                              closed_by = ?8, version = version + 1
         WHERE id = ?1 AND version = ?2",
        id.0,
        version,
        status,
        cause,
        measure,
        w.note,
        closed_on,
        closed_by
    )
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1)
}

/// The district of a task and whether it is a unit task (for opening by hand: the caller must
/// reach the task).
pub async fn task_unit(
    conn: &mut SqliteConnection,
    task: TaskId,
) -> Result<Option<Option<Unit>>, ServerError> {
    let row = sqlx::query!(
        "SELECT district_id, service_kind FROM task WHERE id = ?1",
        task.0
    )
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| unit_of(r.district_id, r.service_kind.as_deref()))
        .transpose()
}

/// The facts of a deviation for its leader message: step, unit, dates. No person.
#[derive(Clone, Debug)]
pub struct NoticeFacts {
    pub step: Step,
    pub unit: Option<Unit>,
    pub district_name: Option<String>,
    pub due_on: Option<Date>,
    pub opened_on: Date,
    pub status: DeviationStatus,
}

pub async fn notice_facts(
    conn: &mut SqliteConnection,
    id: DeviationId,
) -> Result<Option<NoticeFacts>, ServerError> {
    let row = sqlx::query!(
        r#"SELECT v.step AS "step: Step", v.district_id, v.service_kind, d.name AS "district?",
                  v.due_on AS "due_on: Date", v.opened_on AS "opened_on: Date",
                  v.status AS "status: DeviationStatus"
           FROM deviation v LEFT JOIN district d ON d.id = v.district_id WHERE v.id = ?1"#,
        id.0
    )
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(NoticeFacts {
            step: r.step,
            unit: unit_of(r.district_id, r.service_kind.as_deref())?,
            district_name: r.district,
            due_on: r.due_on,
            opened_on: r.opened_on,
            status: r.status,
        })
    })
    .transpose()
}

/// The deviation counts of each district (by id) for a period: opened in it, closed in it, and
/// open on `as_of` after more than `long` days. The crisis center's own are left out.
pub async fn period_counts(
    conn: &mut SqliteConnection,
    from: Date,
    to: Date,
    as_of: Date,
    long: i64,
) -> Result<std::collections::BTreeMap<i64, crate::domain::compliance::DeviationCounts>, ServerError>
{
    Ok(sqlx::query!(
        r#"SELECT district_id AS "district!: i64",
                  coalesce(sum(opened_on BETWEEN ?1 AND ?2), 0) AS "opened!: i64",
                  coalesce(sum(closed_on BETWEEN ?1 AND ?2), 0) AS "closed!: i64",
                  coalesce(sum(opened_on <= ?3 AND (closed_on IS NULL OR closed_on > ?3)
                               AND julianday(?3) - julianday(opened_on) > ?4), 0)
                      AS "long_open!: i64"
           -- Every deviation these count is open, or was closed on the period's first day or
           -- later (one opened in the period was closed after it was opened).
           FROM (SELECT district_id, opened_on, closed_on FROM deviation
                 WHERE status = 'open' AND district_id IS NOT NULL
                 UNION ALL
                 SELECT district_id, opened_on, closed_on FROM deviation
                 WHERE closed_on >= ?1 AND district_id IS NOT NULL)
           GROUP BY district_id"#,
        from,
        to,
        as_of,
        long
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| {
        (
            r.district,
            crate::domain::compliance::DeviationCounts {
                opened: r.opened,
                closed: r.closed,
                long_open: r.long_open,
            },
        )
    })
    .collect())
}
