//! Task rows as lists and the task page read them; a caseworker's reads carry the unit in SQL.

use super::*;

/// The raw task row of the list queries.
struct RawTask {
    id: i64,
    stay_id: i64,
    resident: String,
    step: String,
    district: Option<String>,
    district_id: Option<i64>,
    service_kind: Option<String>,
    due_on: Date,
    extended_to: Option<Date>,
    status: String,
    assignee: Option<String>,
}

impl RawTask {
    fn into_row(self, today: Date, soon_days: u16) -> Result<TaskRow, ServerError> {
        let status = TaskStatus::parse(&self.status).ok_or_else(|| corrupt("task.status"))?;
        let due = self.extended_to.unwrap_or(self.due_on);
        Ok(TaskRow {
            id: TaskId(self.id),
            stay: StayId(self.stay_id),
            resident: self.resident,
            step: Step::parse(&self.step).ok_or_else(|| corrupt("task.step"))?,
            unit: unit_of(self.district_id, self.service_kind.as_deref())?,
            district: self.district,
            due: self.due_on,
            extended_to: self.extended_to,
            status,
            assignee: self.assignee,
            urgency: urgency(due, today, status.is_closed(), soon_days),
        })
    }
}

/// The open tasks of one inbox (a unit's, or the crisis center's with `None`), the earliest
/// (effective) due date first: overdue, then due soon, then the rest.
pub async fn inbox(
    conn: &mut SqliteConnection,
    unit: Option<Unit>,
    today: Date,
    soon_days: u16,
) -> Result<Vec<TaskRow>, ServerError> {
    let district = unit.map(|u| u.district.0);
    let service = unit.map(|u| u.service.as_str());
    let rows = sqlx::query_as!(
        RawTask,
        r#"SELECT t.id AS "id!", t.stay_id, r.name AS resident, t.step, t.district_id, t.service_kind,
                  t.due_on AS "due_on: Date", e.due_on AS "extended_to?: Date", t.status,
                  u.name AS "assignee?", d.name AS "district?"
           FROM task t
           JOIN stay s ON s.id = t.stay_id
           JOIN resident r ON r.id = s.resident_id
           LEFT JOIN task_extension e ON e.task_id = t.id
           LEFT JOIN app_user u ON u.id = t.assignee_id
           LEFT JOIN district d ON d.id = t.district_id
           WHERE t.district_id IS ?1 AND t.service_kind IS ?2
             AND t.status IN ('open', 'in_progress')
           ORDER BY coalesce(e.due_on, t.due_on), t.id"#,
        district,
        service
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| r.into_row(today, soon_days))
        .collect()
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
        r#"SELECT t.id AS "id!", t.stay_id, r.name AS resident, t.step, t.district_id, t.service_kind,
                  t.due_on AS "due_on: Date", e.due_on AS "extended_to?: Date", t.status,
                  u.name AS "assignee?", d.name AS "district?"
           FROM task t
           JOIN stay s ON s.id = t.stay_id
           JOIN resident r ON r.id = s.resident_id
           LEFT JOIN task_extension e ON e.task_id = t.id
           LEFT JOIN app_user u ON u.id = t.assignee_id
           LEFT JOIN district d ON d.id = t.district_id
           WHERE t.stay_id = ?1
             AND (NOT ?2 OR (t.district_id IS ?3 AND t.service_kind IS ?4))
           ORDER BY coalesce(e.due_on, t.due_on), t.id"#,
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

/// Whether a unit has (or had) a task in a stay: what lets its caseworkers see the plan.
pub async fn unit_has_task(
    conn: &mut SqliteConnection,
    stay: StayId,
    unit: Unit,
) -> Result<bool, ServerError> {
    let service = unit.service.as_str();
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM task WHERE stay_id = ?1 AND district_id = ?2
                                              AND service_kind = ?3) AS "x!: bool""#,
        stay.0,
        unit.district.0,
        service
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// The task row of one task of `inbox` (a unit's, or `None` for the crisis center's), with the
/// resident's name, its reason and version. `None` when the task is unknown or in another inbox:
/// the inbox is in the SQL, not checked afterwards.
pub async fn task_row(
    conn: &mut SqliteConnection,
    task: TaskId,
    inbox: Option<Unit>,
    today: Date,
    soon_days: u16,
) -> Result<Option<(TaskRow, Option<String>, Option<UserId>, Option<String>, i64)>, ServerError> {
    let district = inbox.map(|u| u.district.0);
    let kind = inbox.map(|u| u.service.as_str());
    let Some(r) = sqlx::query!(
        r#"SELECT t.id AS "id!", t.stay_id, r.name AS resident, t.step, t.district_id, t.service_kind,
                  t.due_on AS "due_on: Date", e.due_on AS "extended_to?: Date", t.status,
                  u.name AS "assignee?", t.assignee_id, t.reason, t.version, d.name AS "district?"
           FROM task t
           JOIN stay s ON s.id = t.stay_id
           JOIN resident r ON r.id = s.resident_id
           LEFT JOIN task_extension e ON e.task_id = t.id
           LEFT JOIN app_user u ON u.id = t.assignee_id
           LEFT JOIN district d ON d.id = t.district_id
           WHERE t.id = ?1 AND t.district_id IS ?2 AND t.service_kind IS ?3"#,
        task.0,
        district,
        kind
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let row = RawTask {
        id: r.id,
        stay_id: r.stay_id,
        resident: r.resident,
        step: r.step,
        district: r.district.clone(),
        district_id: r.district_id,
        service_kind: r.service_kind,
        due_on: r.due_on,
        extended_to: r.extended_to,
        status: r.status,
        assignee: r.assignee,
    }
    .into_row(today, soon_days)?;
    Ok(Some((
        row,
        r.district,
        r.assignee_id.map(UserId),
        r.reason,
        r.version,
    )))
}
