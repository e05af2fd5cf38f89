//! Task rows as lists and the task page read them; a caseworker's reads carry the unit in SQL.

use super::*;
use crate::domain::inbox::PlanContext;

/// The raw task row of the list queries.
struct RawTask {
    id: TaskId,
    stay_id: StayId,
    resident: String,
    step: Step,
    district: Option<String>,
    district_id: Option<i64>,
    service_kind: Option<String>,
    due_on: Date,
    extended_to: Option<Date>,
    status: TaskStatus,
    assignee: Option<String>,
    assignee_id: Option<i64>,
    /// The task's unit may see the resident's personal data (`task_listing.shared`).
    shared: bool,
}

/// A [`RawTask`] from a record of `query!` that selects the task columns under their names
/// (the queries that read more than a task row).
macro_rules! raw_task {
    ($r:expr, district: $district:expr) => {
        RawTask {
            id: $r.id,
            stay_id: $r.stay_id,
            resident: $r.resident,
            step: $r.step,
            district: $district,
            district_id: $r.district_id,
            service_kind: $r.service_kind,
            due_on: $r.due_on,
            extended_to: $r.extended_to,
            status: $r.status,
            assignee: $r.assignee,
            assignee_id: $r.assignee_id,
            shared: $r.shared,
        }
    };
}

impl RawTask {
    fn into_row(self, today: Date, soon_days: u16) -> Result<TaskRow, ServerError> {
        let status = self.status;
        let due = self.extended_to.unwrap_or(self.due_on);
        Ok(TaskRow {
            id: self.id,
            stay: self.stay_id,
            // Blanked here, where every list and task query passes: a unit without consent never
            // receives the name.
            resident: if self.shared {
                self.resident
            } else {
                String::new()
            },
            step: self.step,
            unit: unit_of(self.district_id, self.service_kind.as_deref())?,
            district: self.district,
            due: self.due_on,
            extended_to: self.extended_to,
            status,
            assignee: self.assignee,
            assignee_id: self.assignee_id.map(UserId),
            urgency: urgency(due, today, status.is_closed(), soon_days),
            withheld: !self.shared,
        })
    }
}

/// The open tasks of one inbox (a unit's, or the crisis center's with `None`), the earliest
/// (effective) due date first: overdue, then due soon, then the rest.
pub async fn inbox(
    conn: &mut SqliteConnection,
    inbox: Inbox,
    today: Date,
    soon_days: u16,
) -> Result<Vec<TaskRow>, ServerError> {
    let district = inbox.district().map(|d| d.0);
    let service = inbox.unit().map(|u| u.service.as_str());
    let rows = sqlx::query_as!(
        RawTask,
        r#"SELECT id AS "id!: TaskId", stay_id AS "stay_id!: StayId", resident AS "resident!",
                  step AS "step!: Step",
                  district_id, service_kind, due_on AS "due_on!: Date",
                  extended_to AS "extended_to?: Date", status AS "status!: TaskStatus",
                  assignee AS "assignee?", assignee_id, district AS "district?",
                  shared AS "shared!: bool"
           FROM task_listing
           WHERE district_id IS ?1 AND service_kind IS ?2 AND status IN ('open', 'in_progress')
           ORDER BY coalesce(extended_to, due_on), id"#,
        district,
        service
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| r.into_row(today, soon_days))
        .collect()
}

/// [`inbox`] with each row's plan context ([`plan_context`]) in the same query: the inbox page
/// reads both in one statement, without a transaction around two. A row without consent has no
/// context.
pub async fn inbox_with_context(
    conn: &mut SqliteConnection,
    inbox: Inbox,
    today: Date,
    soon_days: u16,
) -> Result<Vec<(TaskRow, Option<PlanContext>)>, ServerError> {
    let district = inbox.district().map(|d| d.0);
    let service = inbox.unit().map(|u| u.service.as_str());
    let rows = sqlx::query!(
        r#"SELECT l.id AS "id!: TaskId", l.stay_id AS "stay_id!: StayId", l.resident AS "resident!",
                  l.step AS "step!: Step",
                  l.district_id, l.service_kind, l.due_on AS "due_on!: Date",
                  l.extended_to AS "extended_to?: Date", l.status AS "status!: TaskStatus",
                  l.assignee AS "assignee?", l.assignee_id, l.district AS "district?",
                  l.shared AS "shared!: bool",
                  s.arrival AS "arrival!: Date",
                  (SELECT count(*) FROM child c WHERE c.stay_id = s.id) AS "children!: i64",
                  td.name AS "target?"
           FROM task_listing l
           JOIN stay s ON s.id = l.stay_id
           LEFT JOIN district td ON td.id = s.target_district_id
           WHERE l.district_id IS ?1 AND l.service_kind IS ?2
             AND l.status IN ('open', 'in_progress')
           ORDER BY coalesce(l.extended_to, l.due_on), l.id"#,
        district,
        service
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let context = r.shared.then(|| PlanContext {
                stay: r.stay_id,
                arrival: r.arrival,
                children: u32::try_from(r.children).unwrap_or(0),
                target: r.target.clone(),
            });
            let row = raw_task!(r, district: r.district).into_row(today, soon_days)?;
            Ok((row, context))
        })
        .collect()
}

/// The finished tasks (done or not applicable) of `inbox`, the most recently closed first, at
/// most `limit`.
pub async fn inbox_finished(
    conn: &mut SqliteConnection,
    inbox: Inbox,
    today: Date,
    soon_days: u16,
    limit: u32,
) -> Result<Vec<TaskRow>, ServerError> {
    let district = inbox.district().map(|d| d.0);
    let service = inbox.unit().map(|u| u.service.as_str());
    let rows = sqlx::query_as!(
        RawTask,
        r#"SELECT l.id AS "id!: TaskId", l.stay_id AS "stay_id!: StayId", l.resident AS "resident!",
                  l.step AS "step!: Step",
                  l.district_id, l.service_kind, l.due_on AS "due_on!: Date",
                  l.extended_to AS "extended_to?: Date", l.status AS "status!: TaskStatus",
                  l.assignee AS "assignee?", l.assignee_id, l.district AS "district?",
                  l.shared AS "shared!: bool"
           FROM task_listing l JOIN task t ON t.id = l.id
           WHERE l.district_id IS ?1 AND l.service_kind IS ?2
             AND l.status IN ('done', 'not_applicable')
           ORDER BY t.closed_on DESC, l.id DESC
           LIMIT ?3"#,
        district,
        service,
        limit
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| r.into_row(today, soon_days))
        .collect()
}

/// What an inbox row shows of each plan in `stays`: arrival, the number of children, and the
/// district of the new home if it is another.
pub async fn plan_context(
    conn: &mut SqliteConnection,
    stays: &[StayId],
) -> Result<Vec<PlanContext>, ServerError> {
    let ids = format!(
        "[{}]",
        stays
            .iter()
            .map(|s| s.0.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let rows = sqlx::query!(
        r#"SELECT s.id AS "id!", s.arrival AS "arrival!: Date",
                  (SELECT count(*) FROM child c WHERE c.stay_id = s.id) AS "children!: i64",
                  d.name AS "target?"
           FROM stay s LEFT JOIN district d ON d.id = s.target_district_id
           WHERE s.id IN (SELECT value FROM json_each(?1))"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PlanContext {
            stay: StayId(r.id),
            arrival: r.arrival,
            children: u32::try_from(r.children).unwrap_or(0),
            target: r.target,
        })
        .collect())
}

/// The tasks of one stay; `scope` keeps to one unit's tasks (a caseworker's view).
pub async fn plan_tasks(
    conn: &mut SqliteConnection,
    stay: StayId,
    scope: Option<Unit>,
    today: Date,
    soon_days: u16,
) -> Result<Vec<TaskRow>, ServerError> {
    let scoped = scope.is_some();
    let district = scope.map(|u| u.district.0);
    let service = scope.map(|u| u.service.as_str());
    let rows = sqlx::query_as!(
        RawTask,
        r#"SELECT id AS "id!: TaskId", stay_id AS "stay_id!: StayId", resident AS "resident!",
                  step AS "step!: Step",
                  district_id, service_kind, due_on AS "due_on!: Date",
                  extended_to AS "extended_to?: Date", status AS "status!: TaskStatus",
                  assignee AS "assignee?", assignee_id, district AS "district?",
                  shared AS "shared!: bool"
           FROM task_listing
           WHERE stay_id = ?1 AND (NOT ?2 OR (district_id IS ?3 AND service_kind IS ?4))
           ORDER BY coalesce(extended_to, due_on), id"#,
        stay.0,
        scoped,
        district,
        service
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| r.into_row(today, soon_days))
        .collect()
}

/// One task as its page reads it (its history and extension are read separately).
#[derive(Clone, Debug)]
pub struct TaskRecord {
    pub row: TaskRow,
    pub district_name: Option<String>,
    pub assignee_id: Option<UserId>,
    pub reason: Option<String>,
    pub version: i64,
}

/// The task row of one task of `inbox` (a unit's, or `None` for the crisis center's), with the
/// resident's name, its reason and version. `None` when the task is unknown or in another inbox:
/// the inbox is in the SQL, not checked afterwards.
pub async fn task_row(
    conn: &mut SqliteConnection,
    task: TaskId,
    inbox: Inbox,
    today: Date,
    soon_days: u16,
) -> Result<Option<TaskRecord>, ServerError> {
    let district = inbox.district().map(|d| d.0);
    let kind = inbox.unit().map(|u| u.service.as_str());
    let Some(r) = sqlx::query!(
        r#"SELECT id AS "id!: TaskId", stay_id AS "stay_id!: StayId", resident AS "resident!",
                  step AS "step!: Step",
                  district_id, service_kind, due_on AS "due_on!: Date",
                  extended_to AS "extended_to?: Date", status AS "status!: TaskStatus",
                  assignee AS "assignee?", assignee_id, reason, version AS "version!",
                  district AS "district?", shared AS "shared!: bool"
           FROM task_listing
           WHERE id = ?1 AND district_id IS ?2 AND service_kind IS ?3"#,
        task.0,
        district,
        kind
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let row = raw_task!(r, district: r.district.clone()).into_row(today, soon_days)?;
    Ok(Some(TaskRecord {
        row,
        district_name: r.district,
        assignee_id: r.assignee_id.map(UserId),
        reason: r.reason,
        version: r.version,
    }))
}
