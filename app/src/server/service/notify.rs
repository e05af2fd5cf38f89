//! The outbox as administrators see and act on it.

use crate::domain::notice::OutboxOverview;
use crate::domain::{ActorSnapshot, AuditAction, ObjectKind, Unit};
use crate::server::ServerError;
use crate::server::db::Db;
use crate::server::repo::access_log::{self, Touched};
use crate::server::repo::outbox;

/// How many pending and how many failed rows the overview lists at most.
pub const LIST_LIMIT: i64 = 200;
/// How many of the latest sent or skipped rows it lists.
pub const RECENT: i64 = 50;

/// Counts per state and the rows operators look at.
pub async fn overview(db: &Db) -> Result<OutboxOverview, ServerError> {
    let mut conn = db.acquire().await?;
    Ok(OutboxOverview {
        counts: outbox::state_counts(&mut conn).await?,
        rows: outbox::operator_rows(&mut conn, LIST_LIMIT, RECENT).await?,
        paused: outbox::paused_units(&mut conn).await?,
    })
}

/// Puts one failed row (or all) back in the queue, due at `at`, with its access-log row in the
/// same transaction. A row that is not failed (or does not exist) is `NotFound`.
pub async fn retry(
    db: &Db,
    at: time::OffsetDateTime,
    by: &ActorSnapshot,
    id: Option<i64>,
) -> Result<u64, ServerError> {
    let mut tx = db.begin_write().await?;
    let n = outbox::retry_failed(&mut tx, at, id).await?;
    if id.is_some() && n == 0 {
        return Err(ServerError::NotFound);
    }
    let object = id.map_or_else(|| "failed".to_owned(), |id| id.to_string());
    let touched = Touched::object(ObjectKind::OutboxMessage, object, None);
    access_log::append_ok(&mut tx, at, by, AuditAction::OutboxRetry, touched).await?;
    tx.commit().await?;
    Ok(n)
}

/// Pauses a unit's messages (they wait in the outbox); logged. `Conflict` when it is paused
/// already.
pub async fn pause(
    db: &Db,
    at: time::OffsetDateTime,
    by: &ActorSnapshot,
    unit: Unit,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    if outbox::district_name(&mut tx, unit.district)
        .await?
        .is_none()
    {
        return Err(ServerError::Field("district"));
    }
    if !outbox::pause_unit(&mut tx, at, unit, by.user).await? {
        return Err(ServerError::Conflict { field: "service" });
    }
    access_log::append_ok(
        &mut tx,
        at,
        by,
        AuditAction::UnitMailPause,
        Touched::unit(unit),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends a unit's pause (its waiting messages go out; digests of past days are skipped by the
/// sender); logged. `NotFound` when it was not paused.
pub async fn resume(
    db: &Db,
    at: time::OffsetDateTime,
    by: &ActorSnapshot,
    unit: Unit,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    if !outbox::resume_unit(&mut tx, unit).await? {
        return Err(ServerError::NotFound);
    }
    access_log::append_ok(
        &mut tx,
        at,
        by,
        AuditAction::UnitMailResume,
        Touched::unit(unit),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
