//! Audit findings, their closure steps and their history. No personal data.

use crate::domain::finding::{
    Closing, ClosureStep, Finding, FindingCounts, FindingEvent, FindingEventKind, FindingId,
    InboxStep, NewFinding, NewStep, OpenFinding, StepId, StepStatus,
};
use crate::domain::{ActorSnapshot, DistrictId, ServiceKind, Unit};
use crate::server::ServerError;
use sqlx::SqliteConnection;
use std::collections::HashMap;
use time::Date;

fn service(raw: &str) -> Result<ServiceKind, ServerError> {
    ServiceKind::parse(raw)
        .map_err(|_| ServerError::Pragma("unexpected stored value in finding_step".into()))
}

/// A district's findings, newest first, each with its steps in the order of their deadlines.
pub async fn district_findings(
    conn: &mut SqliteConnection,
    district: DistrictId,
) -> Result<Vec<Finding>, ServerError> {
    let findings = sqlx::query!(
        r#"SELECT id AS "id!: FindingId", found_on AS "found_on!: Date", legal_basis, text,
                  closed_on AS "closed_on?: Date", closing_note, version
           FROM control_finding WHERE district_id = ?1
           ORDER BY closed_on IS NOT NULL, found_on DESC, id DESC"#,
        district.0
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut steps: HashMap<FindingId, Vec<ClosureStep>> = HashMap::new();
    for step in steps_where(conn, Some(district), None).await? {
        steps.entry(step.finding).or_default().push(step);
    }
    Ok(findings
        .into_iter()
        .map(|f| Finding {
            steps: steps.remove(&f.id).unwrap_or_default(),
            id: f.id,
            found_on: f.found_on,
            legal_basis: f.legal_basis,
            text: f.text,
            closed_on: f.closed_on,
            closing_note: f.closing_note,
            version: f.version,
        })
        .collect())
}

/// A district's steps (only one service's open steps of open findings, when `unit_open` names
/// it), by deadline; with no district, every step of every open finding.
async fn steps_where(
    conn: &mut SqliteConnection,
    district: Option<DistrictId>,
    unit_open: Option<ServiceKind>,
) -> Result<Vec<ClosureStep>, ServerError> {
    let only = unit_open.map(ServiceKind::as_str);
    let district = district.map(|d| d.0);
    sqlx::query!(
        r#"SELECT s.id AS "id!: StepId", s.finding_id AS "finding!: FindingId",
                  s.service_kind, s.text, s.due_on AS "due_on!: Date",
                  s.status AS "status!: StepStatus", s.done_on AS "done_on?: Date", s.version
           FROM finding_step s JOIN control_finding f ON f.id = s.finding_id
           WHERE (?1 IS NULL OR s.district_id = ?1) AND (?1 IS NOT NULL OR f.closed_on IS NULL)
             AND (?2 IS NULL OR (s.service_kind = ?2 AND s.status = 'open'
                                 AND f.closed_on IS NULL))
           ORDER BY s.due_on, s.id"#,
        district,
        only
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| {
        Ok(ClosureStep {
            id: r.id,
            finding: r.finding,
            service: service(&r.service_kind)?,
            text: r.text,
            due_on: r.due_on,
            status: r.status,
            done_on: r.done_on,
            version: r.version,
        })
    })
    .collect()
}

/// Every district's open findings with their steps, by district name and date.
pub async fn open_findings(conn: &mut SqliteConnection) -> Result<Vec<OpenFinding>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT f.id AS "id!: FindingId", f.found_on AS "found_on!: Date", f.legal_basis,
                  f.text, f.version, d.slug, d.name
           FROM control_finding f JOIN district d ON d.id = f.district_id
           WHERE f.closed_on IS NULL
           ORDER BY d.name, f.found_on, f.id"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut steps: HashMap<FindingId, Vec<ClosureStep>> = HashMap::new();
    for step in steps_where(conn, None, None).await? {
        steps.entry(step.finding).or_default().push(step);
    }
    Ok(rows
        .into_iter()
        .map(|r| OpenFinding {
            district_slug: r.slug,
            district_name: r.name,
            finding: Finding {
                steps: steps.remove(&r.id).unwrap_or_default(),
                id: r.id,
                found_on: r.found_on,
                legal_basis: r.legal_basis,
                text: r.text,
                closed_on: None,
                closing_note: None,
                version: r.version,
            },
        })
        .collect())
}

/// The open steps of a unit's open findings, by deadline, with their finding's legal basis.
pub async fn unit_steps(
    conn: &mut SqliteConnection,
    unit: Unit,
) -> Result<Vec<InboxStep>, ServerError> {
    let steps = steps_where(conn, Some(unit.district), Some(unit.service)).await?;
    if steps.is_empty() {
        return Ok(Vec::new());
    }
    let basis: HashMap<FindingId, String> = sqlx::query!(
        r#"SELECT id AS "id!: FindingId", legal_basis FROM control_finding
           WHERE district_id = ?1 AND closed_on IS NULL"#,
        unit.district.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.legal_basis))
    .collect();
    let slug = sqlx::query_scalar!("SELECT slug FROM district WHERE id = ?1", unit.district.0)
        .fetch_one(&mut *conn)
        .await?;
    Ok(steps
        .into_iter()
        .map(|step| InboxStep {
            legal_basis: basis.get(&step.finding).cloned().unwrap_or_default(),
            district_slug: slug.clone(),
            step,
        })
        .collect())
}

/// A district's history of findings, newest first.
pub async fn history(
    conn: &mut SqliteConnection,
    district: DistrictId,
) -> Result<Vec<FindingEvent>, ServerError> {
    Ok(sqlx::query!(
        r#"SELECT e.finding_id AS "finding!: FindingId", e.step_id AS "step?: StepId", e.at,
                  e.user_name, e.what AS "what!: FindingEventKind"
           FROM control_finding_event e JOIN control_finding f ON f.id = e.finding_id
           WHERE f.district_id = ?1
           ORDER BY e.id DESC"#,
        district.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| FindingEvent {
        finding: r.finding,
        step: r.step,
        at: r.at,
        by: r.user_name,
        what: r.what,
    })
    .collect())
}

async fn event(
    conn: &mut SqliteConnection,
    at: &str,
    by: &ActorSnapshot,
    finding: FindingId,
    step: Option<StepId>,
    what: FindingEventKind,
) -> Result<(), ServerError> {
    let what = what.as_str();
    let step = step.map(|s| s.0);
    sqlx::query!(
        "INSERT INTO control_finding_event (finding_id, step_id, at, user_id, user_name, what)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        finding.0,
        step,
        at,
        by.user.0,
        by.name,
        what
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records a finding for a district, with its history row.
pub async fn record(
    conn: &mut SqliteConnection,
    at: &str,
    by: &ActorSnapshot,
    district: DistrictId,
    finding: &NewFinding,
) -> Result<FindingId, ServerError> {
    let id = sqlx::query_scalar!(
        r#"INSERT INTO control_finding (district_id, found_on, legal_basis, text, recorded_by,
                                        recorded_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id AS "id!: FindingId""#,
        district.0,
        finding.found_on,
        finding.legal_basis,
        finding.text,
        by.user.0,
        at
    )
    .fetch_one(&mut *conn)
    .await?;
    event(conn, at, by, id, None, FindingEventKind::Recorded).await?;
    Ok(id)
}

/// A finding's district, date and whether it is still open.
pub async fn finding_facts(
    conn: &mut SqliteConnection,
    finding: FindingId,
) -> Result<Option<(DistrictId, Date, bool)>, ServerError> {
    Ok(sqlx::query!(
        r#"SELECT district_id AS "district!: i64", found_on AS "found_on!: Date",
                  closed_on IS NULL AS "open!: bool"
           FROM control_finding WHERE id = ?1"#,
        finding.0
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (DistrictId(r.district), r.found_on, r.open)))
}

/// Adds a step to an open finding's closure plan, with its history row.
pub async fn add_step(
    conn: &mut SqliteConnection,
    at: &str,
    by: &ActorSnapshot,
    finding: FindingId,
    district: DistrictId,
    step: &NewStep,
) -> Result<StepId, ServerError> {
    let service = step.service.as_str();
    let id = sqlx::query_scalar!(
        r#"INSERT INTO finding_step (finding_id, district_id, service_kind, text, due_on,
                                     created_at, created_by)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id AS "id!: StepId""#,
        finding.0,
        district.0,
        service,
        step.text,
        step.due_on,
        at,
        by.user.0
    )
    .fetch_one(&mut *conn)
    .await?;
    event(conn, at, by, finding, Some(id), FindingEventKind::StepAdded).await?;
    Ok(id)
}

/// A step's finding, unit, and whether its finding is still open.
pub async fn step_facts(
    conn: &mut SqliteConnection,
    step: StepId,
) -> Result<Option<(FindingId, Unit, bool)>, ServerError> {
    let Some(r) = sqlx::query!(
        r#"SELECT s.finding_id AS "finding!: FindingId", s.district_id AS "district!: i64",
                  s.service_kind, f.closed_on IS NULL AS "open!: bool"
           FROM finding_step s JOIN control_finding f ON f.id = s.finding_id
           WHERE s.id = ?1"#,
        step.0
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let unit = Unit {
        district: DistrictId(r.district),
        service: service(&r.service_kind)?,
    };
    Ok(Some((r.finding, unit, r.open)))
}

/// Marks a step done on `done_on`, or open again (`None`), if it still has `version`; with its
/// history row. `Stale` when someone changed it since it was read.
pub async fn set_step(
    conn: &mut SqliteConnection,
    at: &str,
    by: &ActorSnapshot,
    finding: FindingId,
    step: StepId,
    version: i64,
    done_on: Option<Date>,
) -> Result<(), ServerError> {
    let status = if done_on.is_some() {
        StepStatus::Done
    } else {
        StepStatus::Open
    };
    let status_text = status.as_str();
    let changed = sqlx::query!(
        "UPDATE finding_step SET status = ?2, done_on = ?3, version = version + 1
         WHERE id = ?1 AND version = ?4 AND status <> ?2",
        step.0,
        status_text,
        done_on,
        version
    )
    .execute(&mut *conn)
    .await?;
    if changed.rows_affected() != 1 {
        return Err(ServerError::Stale);
    }
    let what = match status {
        StepStatus::Done => FindingEventKind::StepDone,
        StepStatus::Open => FindingEventKind::StepReopened,
    };
    event(conn, at, by, finding, Some(step), what).await
}

/// Closes a finding if it still has `version`, with its history row.
pub async fn close(
    conn: &mut SqliteConnection,
    at: &str,
    by: &ActorSnapshot,
    finding: FindingId,
    version: i64,
    closing: &Closing,
) -> Result<(), ServerError> {
    let changed = sqlx::query!(
        "UPDATE control_finding SET closed_on = ?2, closing_note = ?3, closed_by = ?4,
                version = version + 1
         WHERE id = ?1 AND version = ?5 AND closed_on IS NULL",
        finding.0,
        closing.closed_on,
        closing.note,
        by.user.0,
        version
    )
    .execute(&mut *conn)
    .await?;
    if changed.rows_affected() != 1 {
        return Err(ServerError::Stale);
    }
    event(conn, at, by, finding, None, FindingEventKind::Closed).await
}

/// Every district's open findings and the overdue steps of those findings on `today`, by
/// district id (districts with none are absent).
pub async fn counts(
    conn: &mut SqliteConnection,
    today: Date,
) -> Result<HashMap<i64, FindingCounts>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT f.district_id AS "district!: i64", count(*) AS "open!: i64",
                  coalesce(sum((SELECT count(*) FROM finding_step s
                                WHERE s.finding_id = f.id AND s.status = 'open'
                                  AND s.due_on < ?1)), 0) AS "overdue!: i64"
           FROM control_finding f WHERE f.closed_on IS NULL
           GROUP BY f.district_id"#,
        today
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.district,
                FindingCounts {
                    open: u32::try_from(r.open).unwrap_or(u32::MAX),
                    overdue_steps: u32::try_from(r.overdue).unwrap_or(u32::MAX),
                },
            )
        })
        .collect())
}
