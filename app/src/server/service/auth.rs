//! Authentication: checking an e-mail address and password. Every attempt leaves one
//! access-log row, success or failure. An unknown address, a wrong password and a deactivated
//! account give the same answer, and take about the same time (an unknown address is checked
//! against a dummy hash made with the same parameters), so the answer does not tell whether an
//! account exists.

use crate::domain::{Actor, EmailAddress};
use crate::server::repo::access_log::{self, ActorSnapshot, Entry, Outcome};
use crate::server::repo::users;
use crate::server::{ServerError, db, password};
use sqlx::SqlitePool;
use time::OffsetDateTime;
use tokio::sync::OnceCell;

/// After this many failed sign-ins within [`THROTTLE_WINDOW_MINUTES`], an account takes no more
/// attempts until the window has passed (or the password is reset).
pub const THROTTLE_FAILURES: i64 = 5;
/// The window for [`THROTTLE_FAILURES`].
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

/// A successful check: who signed in, and what the session must remember.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authenticated {
    pub actor: Actor,
    pub name: String,
    /// The user's session epoch at sign-in; raising it later ends this session.
    pub session_epoch: i64,
    /// The user must choose a new password before doing anything else.
    pub must_change_password: bool,
    /// The user has a second factor: the one-time code is asked for next.
    pub has_second_factor: bool,
}

/// Why a check failed. Deliberately one case for the person signing in: callers cannot tell an
/// unknown address, a wrong password, a deactivated account or a throttled one apart either.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("wrong e-mail address or password, or too many attempts")]
    Rejected,
    #[error(transparent)]
    Server(#[from] ServerError),
}

/// A hash of a random password with the same parameters as real ones, verified against when the
/// address is unknown so that such attempts cost as much as real ones.
async fn dummy_hash() -> Result<&'static str, ServerError> {
    static DUMMY: OnceCell<String> = OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| password::hash("not a password: timing equaliser".to_owned()))
        .await
        .map(String::as_str)
}

/// Checks the e-mail address and password, and logs the attempt in its own transaction. An
/// account with [`THROTTLE_FAILURES`] recent failures is refused without looking at the password
/// (the hash is still computed, so the answer takes the same time).
#[tracing::instrument(skip_all)]
pub async fn authenticate(
    pool: &SqlitePool,
    at: OffsetDateTime,
    email: &str,
    password_given: &str,
) -> Result<Authenticated, AuthError> {
    let (user, throttled) = match EmailAddress::parse(email) {
        Ok(email) => {
            let mut conn = pool.acquire().await.map_err(ServerError::from)?;
            let user = users::find_by_email(&mut conn, &email).await?;
            let throttled = match &user {
                Some(u) => is_throttled(&mut conn, u.id, at).await?,
                None => false,
            };
            (user, throttled)
        }
        Err(_) => (None, false),
    };
    let stored = match &user {
        Some(u) if !throttled => u.password_hash.clone(),
        _ => dummy_hash().await?.to_owned(),
    };
    let matches = password::verify(password_given.to_owned(), stored).await;
    let accepted = match &user {
        Some(u) => matches && u.active && !throttled,
        None => false,
    };

    let snapshot = user.as_ref().map(|u| ActorSnapshot {
        user: u.id,
        name: u.name.clone(),
        role: u.role,
    });
    // With a second factor, the sign-in is logged when the code has been checked (one row per
    // sign-in); without one, it is complete now.
    let pending_code = accepted && user.as_ref().is_some_and(|u| u.totp_secret.is_some());
    if pending_code {
        return Ok(authenticated(user.expect("accepted")));
    }
    let mut tx = db::begin_write(pool).await?;
    access_log::append(
        &mut tx,
        &Entry {
            at,
            actor: snapshot.as_ref(),
            action: "sign_in",
            object_type: None,
            object_id: None,
            district: user.as_ref().and_then(|u| u.unit.map(|unit| unit.district)),
            reason: None,
            outcome: if accepted {
                Outcome::Ok
            } else if throttled {
                Outcome::Refused
            } else {
                Outcome::Failed
            },
        },
    )
    .await?;
    tx.commit().await.map_err(ServerError::from)?;

    match user {
        Some(u) if accepted => Ok(authenticated(u)),
        _ => Err(AuthError::Rejected),
    }
}

fn authenticated(u: users::UserRow) -> Authenticated {
    Authenticated {
        actor: Actor {
            user: u.id,
            role: u.role,
            unit: u.unit,
        },
        has_second_factor: u.totp_secret.is_some(),
        name: u.name,
        session_epoch: u.session_epoch,
        must_change_password: u.must_change_password,
    }
}

/// Whether the account has had too many failed attempts lately.
async fn is_throttled(
    conn: &mut sqlx::SqliteConnection,
    user: crate::domain::UserId,
    at: OffsetDateTime,
) -> Result<bool, ServerError> {
    let since = at - time::Duration::minutes(THROTTLE_WINDOW_MINUTES);
    Ok(access_log::failed_sign_ins_since(conn, user, since).await? >= THROTTLE_FAILURES)
}

/// The user a session belongs to, if the session is still valid at `now` (Unix seconds): the
/// user exists and is active, the session's epoch is the user's current one, less than 12 hours
/// have passed since sign-in and less than 30 minutes since the last request.
/// `require_second_factor` is the operator's setting.
pub async fn resolve_session(
    pool: &SqlitePool,
    record: &crate::server::session::AuthRecord,
    now: i64,
    require_second_factor: bool,
) -> Result<Option<crate::server::session::SignedIn>, ServerError> {
    use crate::server::session::{ABSOLUTE_LIFETIME_SECONDS, IDLE_TIMEOUT_MINUTES, SignedIn};
    if now - record.signed_in_at >= ABSOLUTE_LIFETIME_SECONDS
        || now < record.signed_in_at
        || now - record.last_seen >= IDLE_TIMEOUT_MINUTES * 60
    {
        return Ok(None);
    }
    let mut conn = pool.acquire().await?;
    let user = users::find_by_id(&mut conn, crate::domain::UserId(record.user)).await?;
    Ok(user
        .filter(|u| u.active && u.session_epoch == record.epoch)
        .map(|u| SignedIn {
            must_enrol_second_factor: require_second_factor
                && u.role.requires_second_factor()
                && u.totp_secret.is_none(),
            has_second_factor: u.totp_secret.is_some(),
            actor: Actor {
                user: u.id,
                role: u.role,
                unit: u.unit,
            },
            name: u.name,
            must_change_password: u.must_change_password,
        }))
}

/// Signs the user out everywhere: raises the session epoch (ending every session of the user)
/// and logs it, in one transaction.
pub async fn sign_out(
    pool: &SqlitePool,
    at: OffsetDateTime,
    who: &crate::server::session::SignedIn,
) -> Result<(), ServerError> {
    let snapshot = ActorSnapshot {
        user: who.actor.user,
        name: who.name.clone(),
        role: who.actor.role,
    };
    let mut tx = db::begin_write(pool).await?;
    users::raise_session_epoch(&mut tx, who.actor.user).await?;
    access_log::append(
        &mut tx,
        &Entry {
            at,
            actor: Some(&snapshot),
            action: "sign_out",
            object_type: None,
            object_id: None,
            district: who.actor.unit.map(|u| u.district),
            reason: None,
            outcome: Outcome::Ok,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
