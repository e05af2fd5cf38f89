//! The second factor: setting it up (enrolment) and checking the code at sign-in. Each
//! outcome leaves its access-log row; a successful code completes the sign-in's one `sign_in`
//! row, a wrong one leaves a failed `sign_in.code` row that counts for throttling.

use crate::domain::UserId;
use crate::domain::{ActorSnapshot, AuditAction, AuditOutcome, ObjectKind};
use crate::server::db::Db;
use crate::server::repo::access_log::{self, Entry, Touched};
use crate::server::repo::users;
use crate::server::service::auth::{self, AuthError};
use crate::server::session::SignedIn;
use crate::server::{ServerError, totp};
use time::OffsetDateTime;

/// What a user gives to set up (or replace) their second factor.
pub struct Enrolment<'a> {
    /// The secret the set-up page showed (kept in the session until now).
    pub secret: &'a str,
    /// A code the app shows for that secret, proving the app is set up.
    pub code: &'a str,
    /// The user's current password: a session left open somewhere must not be enough to
    /// replace the factor.
    pub current_password: String,
    /// When a factor is set up already: a code from the app in use now.
    pub current_code: &'a str,
}

/// Stores the secret as the user's second factor once they proved who they are (their current
/// password, and a code of the factor in use when one is set up) and showed a right code for
/// the new secret. Replaces an earlier factor, and ends every other session of the user
/// (including one that never gave a code); returns the new session epoch, which the caller
/// stores in the current session after rotating its id. A wrong password or current code counts
/// as a failed sign-in.
#[tracing::instrument(skip_all)]
pub async fn enrol(
    db: &Db,
    at: OffsetDateTime,
    who: &SignedIn,
    enrolment: Enrolment<'_>,
) -> Result<i64, ServerError> {
    const ACTION: AuditAction = AuditAction::UserEnrolSecondFactor;
    let row = auth::prove_current_password(db, at, who, enrolment.current_password, ACTION).await?;
    let now = at.unix_timestamp();
    let current_step = match &row.totp_secret {
        Some(current) => match totp::check(current, enrolment.current_code, now) {
            Some(step) => Some(step),
            None => {
                auth::log_failed_proof(db, at, who, ACTION, AuditOutcome::Failed).await?;
                return Err(ServerError::InvalidInput {
                    field: "current_code",
                    source: crate::domain::ParseError::Password,
                });
            }
        },
        None => None,
    };
    let step =
        totp::check(enrolment.secret, enrolment.code, now).ok_or(ServerError::InvalidInput {
            field: "code",
            source: crate::domain::ParseError::Password,
        })?;
    let mut tx = db.begin_write().await?;
    // The current factor's code works once, like at sign-in.
    if let Some(current_step) = current_step
        && !users::use_totp_step(&mut tx, who.actor.user, current_step).await?
    {
        return Err(ServerError::InvalidInput {
            field: "current_code",
            source: crate::domain::ParseError::Password,
        });
    }
    users::set_totp_secret(&mut tx, who.actor.user, Some(enrolment.secret)).await?;
    users::use_totp_step(&mut tx, who.actor.user, step).await?;
    users::raise_session_epoch(&mut tx, who.actor.user).await?;
    let touched = Touched::object(
        ObjectKind::User,
        who.actor.user,
        who.actor.unit.map(|u| u.district),
    );
    access_log::append_ok(&mut tx, at, &ActorSnapshot::of(who), ACTION, touched).await?;
    let epoch = users::find_by_id(&mut tx, who.actor.user)
        .await?
        .ok_or(ServerError::NotFound)?
        .session_epoch;
    tx.commit().await?;
    Ok(epoch)
}

/// Checks the one-time code of a sign-in whose password was right. A code works once (its time
/// step is recorded); an account with too many recent failures is refused.
#[tracing::instrument(skip_all)]
pub async fn check_sign_in_code(
    db: &Db,
    at: OffsetDateTime,
    user: UserId,
    code: &str,
    device: Option<&str>,
) -> Result<(), AuthError> {
    let mut tx = db.begin_write().await?;
    let Some(row) = users::find_by_id(&mut tx, user).await? else {
        return Err(AuthError::Rejected);
    };
    let known = auth::is_known_device(&mut tx, user, device, at).await?;
    let throttled = auth::is_throttled(&mut tx, user, at, known).await?;
    let step = match (&row.totp_secret, throttled, row.active) {
        (Some(secret), false, true) => totp::check(secret, code, at.unix_timestamp()),
        _ => None,
    };
    let accepted = match step {
        Some(step) => users::use_totp_step(&mut tx, user, step).await?,
        None => false,
    };
    access_log::append(
        &mut tx,
        &Entry {
            at,
            actor: Some(&ActorSnapshot {
                user,
                name: row.name.clone(),
                role: row.role,
            }),
            action: if accepted {
                AuditAction::SignIn
            } else {
                AuditAction::SignInCode
            },
            object_type: None,
            object_id: None,
            district: row.unit.map(|u| u.district),
            reason: None,
            outcome: match (accepted, throttled) {
                (true, _) => AuditOutcome::Ok,
                (false, true) => AuditOutcome::Refused,
                (false, false) => AuditOutcome::Failed,
            },
            stays: None,
        },
    )
    .await?;
    tx.commit().await?;
    if accepted {
        Ok(())
    } else {
        Err(AuthError::Rejected)
    }
}
