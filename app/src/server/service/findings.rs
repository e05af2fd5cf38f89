//! Audit findings and their closure plans: reading a district's, recording a finding, adding a
//! closure step, marking a step done or open again, closing a finding. Each change is one
//! transaction with its history row and its access-log row. No personal data.

use crate::domain::finding::{
    Closing, DistrictFindings, FindingId, InboxStep, NewFinding, NewStep, StepId,
};
use crate::domain::{ActorSnapshot, AuditAction, DistrictId, ObjectKind, ServiceKind, Unit};
use crate::server::ServerError;
use crate::server::db::Db;
use crate::server::repo::access_log::{self, Touched};
use crate::server::repo::findings as repo;
use time::{Date, OffsetDateTime};

/// What the reader may do on a district's findings.
pub struct Rights {
    pub record: bool,
    pub plan: bool,
    pub complete: Vec<ServiceKind>,
}

/// A district's findings with their steps and history.
pub async fn district(
    db: &Db,
    district: DistrictId,
    today: Date,
    rights: Rights,
) -> Result<DistrictFindings, ServerError> {
    let mut tx = db.begin_read().await?;
    let findings = repo::district_findings(&mut tx, district).await?;
    let history = repo::history(&mut tx, district).await?;
    tx.commit().await?;
    Ok(DistrictFindings {
        district,
        findings,
        history,
        may_record: rights.record,
        may_plan: rights.plan,
        may_complete: rights.complete,
        today,
    })
}

/// Every district's open findings on `today`.
pub async fn open_findings(
    db: &Db,
    today: Date,
) -> Result<crate::domain::finding::OpenFindings, ServerError> {
    let mut tx = db.begin_read().await?;
    let findings = repo::open_findings(&mut tx).await?;
    tx.commit().await?;
    Ok(crate::domain::finding::OpenFindings { findings, today })
}

/// The open closure steps in a unit's inbox.
pub async fn unit_steps(db: &Db, unit: Unit) -> Result<Vec<InboxStep>, ServerError> {
    let mut conn = db.acquire().await?;
    repo::unit_steps(&mut conn, unit).await
}

/// A finding's district, date and whether it is open.
pub async fn finding(db: &Db, finding: FindingId) -> Result<(DistrictId, Date, bool), ServerError> {
    let mut conn = db.acquire().await?;
    repo::finding_facts(&mut conn, finding)
        .await?
        .ok_or(ServerError::NotFound)
}

/// A step's finding and unit.
pub async fn step(db: &Db, step: StepId) -> Result<(FindingId, Unit), ServerError> {
    let mut conn = db.acquire().await?;
    repo::step_facts(&mut conn, step)
        .await?
        .map(|(finding, unit, _)| (finding, unit))
        .ok_or(ServerError::NotFound)
}

/// Records a finding for an existing district.
pub async fn record(
    db: &Db,
    now: OffsetDateTime,
    by: &ActorSnapshot,
    district: DistrictId,
    finding: NewFinding,
) -> Result<FindingId, ServerError> {
    let mut tx = db.begin_write().await?;
    if !crate::server::repo::directory::district_exists(&mut tx, district).await? {
        return Err(ServerError::NotFound);
    }
    let at = access_log::timestamp(now);
    let id = repo::record(&mut tx, &at, by, district, &finding).await?;
    let touched = Touched::object(ObjectKind::Finding, id, Some(district));
    access_log::append_ok(&mut tx, now, by, AuditAction::FindingRecord, touched).await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds a step to an open finding's plan. `Field("finding")` once the finding is closed.
pub async fn add_step(
    db: &Db,
    now: OffsetDateTime,
    by: &ActorSnapshot,
    finding: FindingId,
    step: NewStep,
) -> Result<StepId, ServerError> {
    let mut tx = db.begin_write().await?;
    let (district, _, open) = repo::finding_facts(&mut tx, finding)
        .await?
        .ok_or(ServerError::NotFound)?;
    if !open {
        return Err(ServerError::Field("finding"));
    }
    let at = access_log::timestamp(now);
    let id = repo::add_step(&mut tx, &at, by, finding, district, &step).await?;
    let touched = Touched::object(ObjectKind::FindingStep, id, Some(district));
    access_log::append_ok(&mut tx, now, by, AuditAction::FindingStepAdd, touched).await?;
    tx.commit().await?;
    Ok(id)
}

/// Marks a step of an open finding done today, or open again (`done: false`).
pub async fn set_step(
    db: &Db,
    now: OffsetDateTime,
    today: Date,
    by: &ActorSnapshot,
    step: StepId,
    version: i64,
    done: bool,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let (finding, unit, open) = repo::step_facts(&mut tx, step)
        .await?
        .ok_or(ServerError::NotFound)?;
    if !open {
        return Err(ServerError::Field("finding"));
    }
    let at = access_log::timestamp(now);
    repo::set_step(
        &mut tx,
        &at,
        by,
        finding,
        step,
        version,
        done.then_some(today),
    )
    .await?;
    let action = if done {
        AuditAction::FindingStepDone
    } else {
        AuditAction::FindingStepReopen
    };
    let touched = Touched::object(ObjectKind::FindingStep, step, Some(unit.district));
    access_log::append_ok(&mut tx, now, by, action, touched).await?;
    tx.commit().await?;
    Ok(())
}

/// Closes a finding (parsed against its date by `parse`) if it still has `version`.
pub async fn close(
    db: &Db,
    now: OffsetDateTime,
    by: &ActorSnapshot,
    finding: FindingId,
    version: i64,
    parse: impl FnOnce(Date) -> Result<Closing, &'static str>,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let (district, found_on, open) = repo::finding_facts(&mut tx, finding)
        .await?
        .ok_or(ServerError::NotFound)?;
    if !open {
        return Err(ServerError::Stale);
    }
    let closing = parse(found_on).map_err(ServerError::Field)?;
    let at = access_log::timestamp(now);
    repo::close(&mut tx, &at, by, finding, version, &closing).await?;
    let touched = Touched::object(ObjectKind::Finding, finding, Some(district));
    access_log::append_ok(&mut tx, now, by, AuditAction::FindingClose, touched).await?;
    tx.commit().await?;
    Ok(())
}
