//! The second factor: setting it up (enrolment) and checking the code at sign-in. Each
//! outcome leaves its access-log row; a successful code completes the sign-in's one `sign_in`
//! row, a wrong one leaves a failed `sign_in.code` row that counts for throttling.

use crate::domain::UserId;
use crate::server::repo::access_log::{self, ActorSnapshot, Entry, Outcome, Touched};
use crate::server::repo::users;
use crate::server::service::auth::{AuthError, THROTTLE_FAILURES, THROTTLE_WINDOW_MINUTES};
use crate::server::session::SignedIn;
use crate::server::{ServerError, db, totp};
use sqlx::SqlitePool;
use time::OffsetDateTime;

/// Stores `secret` as the user's second factor once they showed a right code for it (so the
/// app is set up correctly). Replaces an earlier one.
#[tracing::instrument(skip_all)]
pub async fn enrol(
    pool: &SqlitePool,
    at: OffsetDateTime,
    who: &SignedIn,
    secret: &str,
    code: &str,
) -> Result<(), ServerError> {
    let step = totp::check(secret, code, at.unix_timestamp()).ok_or(ServerError::InvalidInput {
        field: "code",
        source: crate::domain::ParseError::Password,
    })?;
    let mut tx = db::begin_write(pool).await?;
    users::set_totp_secret(&mut tx, who.actor.user, Some(secret)).await?;
    users::use_totp_step(&mut tx, who.actor.user, step).await?;
    let touched = Touched::object("user", who.actor.user, who.actor.unit.map(|u| u.district));
    access_log::append_ok(
        &mut tx,
        at,
        &ActorSnapshot::of(who),
        "user.enrol_second_factor",
        touched,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Checks the one-time code of a sign-in whose password was right. A code works once (its time
/// step is recorded); an account with too many recent failures is refused.
#[tracing::instrument(skip_all)]
pub async fn check_sign_in_code(
    pool: &SqlitePool,
    at: OffsetDateTime,
    user: UserId,
    code: &str,
) -> Result<(), AuthError> {
    let mut tx = db::begin_write(pool).await?;
    let Some(row) = users::find_by_id(&mut tx, user).await? else {
        return Err(AuthError::Rejected);
    };
    let since = at - time::Duration::minutes(THROTTLE_WINDOW_MINUTES);
    let throttled =
        access_log::failed_sign_ins_since(&mut tx, user, since).await? >= THROTTLE_FAILURES;
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
            action: if accepted { "sign_in" } else { "sign_in.code" },
            object_type: None,
            object_id: None,
            district: row.unit.map(|u| u.district),
            reason: None,
            outcome: match (accepted, throttled) {
                (true, _) => Outcome::Ok,
                (false, true) => Outcome::Refused,
                (false, false) => Outcome::Failed,
            },
        },
    )
    .await?;
    tx.commit().await.map_err(ServerError::from)?;
    if accepted {
        Ok(())
    } else {
        Err(AuthError::Rejected)
    }
}
