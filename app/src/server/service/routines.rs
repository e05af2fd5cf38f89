//! Routines: reading the one in force, and publishing a new version (administrators). A new
//! version changes the deadlines of plans created after it; plans keep the version they were
//! created under.

use crate::domain::deadline::Period;
use crate::domain::plan::RuleId;
use crate::domain::routine::{RoutineView, RuleView};
use crate::domain::{ActorSnapshot, AuditAction, ObjectKind};
use crate::server::db::Db;
use crate::server::repo::access_log::{self, Touched};
use crate::server::{ServerError, repo};
use time::OffsetDateTime;

/// The newest version with its rules, and the list of versions. Not personal data.
pub async fn routine(db: &Db) -> Result<RoutineView, ServerError> {
    let mut conn = db.acquire().await?;
    let (routine, ids) = repo::routines::latest(&mut conn)
        .await?
        .ok_or(ServerError::NotFound)?;
    let versions = repo::routines::versions(&mut conn).await?;
    Ok(RoutineView {
        version: routine.version,
        rules: ids
            .into_iter()
            .zip(routine.rules)
            .map(|(id, rule)| RuleView { id, rule })
            .collect(),
        versions,
    })
}

/// Publishes a new version: the newest version's rules with the given offsets. `based_on` is
/// the version the administrator edited; if another was published since, `Stale`. A version
/// that changes nothing is refused (`offset`). One transaction with its access-log row.
#[tracing::instrument(skip_all, fields(based_on))]
pub async fn publish(
    db: &Db,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    based_on: i64,
    offsets: &[(RuleId, Period)],
    binding: Option<&[RuleId]>,
    note: Option<&str>,
) -> Result<i64, ServerError> {
    let mut tx = db.begin_write().await?;
    let (mut routine, ids) = repo::routines::latest(&mut tx)
        .await?
        .ok_or(ServerError::NotFound)?;
    if routine.version != based_on {
        return Err(ServerError::Stale);
    }
    let mut changed = false;
    for (id, offset) in offsets {
        let index = ids
            .iter()
            .position(|i| i == id)
            .ok_or(ServerError::Field("offset"))?;
        changed |= routine.rules[index].offset != *offset;
        routine.rules[index].offset = *offset;
    }
    if let Some(binding) = binding {
        if binding.iter().any(|id| !ids.contains(id)) {
            return Err(ServerError::Field("binding"));
        }
        for (index, id) in ids.iter().enumerate() {
            let flag = binding.contains(id);
            changed |= routine.rules[index].binding != flag;
            routine.rules[index].binding = flag;
        }
    }
    if !changed {
        return Err(ServerError::Field("offset"));
    }
    let version = repo::routines::publish(&mut tx, at, by.user, note, &routine.rules).await?;
    let touched = Touched::object(ObjectKind::RoutineVersion, version, None);
    access_log::append_ok(&mut tx, at, by, AuditAction::RoutinePublish, touched).await?;
    tx.commit().await?;
    Ok(version)
}
