//! The access log: append-only (the schema's triggers refuse UPDATE and DELETE).

use crate::domain::{DistrictId, Role, UserId};
use crate::server::ServerError;
use sqlx::SqliteConnection;

/// Who did it, as the row remembers them even after the user changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActorSnapshot {
    pub user: UserId,
    pub name: String,
    pub role: Role,
}

/// How the attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Refused,
    Failed,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
        }
    }
}

/// One access-log row. `action` is a stable dotted name such as `user.create` or `sign_in`.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub actor: Option<&'a ActorSnapshot>,
    pub action: &'static str,
    pub object_type: Option<&'static str>,
    pub object_id: Option<String>,
    pub district: Option<DistrictId>,
    pub reason: Option<&'a str>,
    pub outcome: Outcome,
}

/// Appends a row inside the caller's transaction, so it commits (or not) with the work.
pub async fn append(conn: &mut SqliteConnection, entry: &Entry<'_>) -> Result<(), ServerError> {
    let user_id = entry.actor.map(|a| a.user.0);
    let user_name = entry.actor.map(|a| a.name.as_str());
    let user_role = entry.actor.map(|a| a.role.as_str());
    let district = entry.district.map(|d| d.0);
    let outcome = entry.outcome.as_str();
    sqlx::query!(
        "INSERT INTO access_log (user_id, user_name, user_role, action, object_type, object_id, district_id, reason, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        user_id,
        user_name,
        user_role,
        entry.action,
        entry.object_type,
        entry.object_id,
        district,
        entry.reason,
        outcome
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
