//! Authentication: checking an e-mail address and password. Every attempt leaves one
//! access-log row, success or failure. An unknown address, a wrong password and a deactivated
//! account give the same answer, and take about the same time (an unknown address is checked
//! against a dummy hash made with the same parameters), so the answer does not tell whether an
//! account exists.

use crate::domain::{Actor, EmailAddress};
use crate::domain::{ActorSnapshot, AuditAction, AuditOutcome, ObjectKind};
use crate::server::db::Db;
use crate::server::repo::access_log::{self, Entry};
use crate::server::repo::users;
use crate::server::session::SignedIn;
use crate::server::{ServerError, password};
use time::OffsetDateTime;
use tokio::sync::OnceCell;

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
/// account that must still wait after recent failures ([`is_throttled`]) is refused without
/// looking at the password, unless the attempt comes from a known device (`device`: the cookie's
/// token); the hash is computed either way, so the answer takes the same time.
#[tracing::instrument(skip_all)]
pub async fn authenticate(
    db: &Db,
    at: OffsetDateTime,
    email: &str,
    password_given: &str,
    device: Option<&str>,
) -> Result<Authenticated, AuthError> {
    let (user, throttled) = match EmailAddress::parse(email) {
        Ok(email) => {
            let mut conn = db.acquire().await?;
            let user = users::find_by_email(&mut conn, &email).await?;
            let throttled = match &user {
                Some(u) => {
                    let known = is_known_device(&mut conn, u.id, device, at).await?;
                    is_throttled(&mut conn, u.id, at, known).await?
                }
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
    let matches = password::verify(password_given.to_owned(), stored).await?;
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
    let mut tx = db.begin_write().await?;
    access_log::append(
        &mut tx,
        &Entry {
            at,
            actor: snapshot.as_ref(),
            action: AuditAction::SignIn,
            object_type: None,
            object_id: None,
            district: user.as_ref().and_then(|u| u.district()),
            reason: None,
            outcome: if accepted {
                AuditOutcome::Ok
            } else if throttled {
                AuditOutcome::Refused
            } else {
                AuditOutcome::Failed
            },
            stays: None,
        },
    )
    .await?;
    tx.commit().await?;

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
            manages: u.manages,
        },
        has_second_factor: u.totp_secret.is_some(),
        name: u.name,
        session_epoch: u.session_epoch,
        must_change_password: u.must_change_password,
    }
}

/// Whether the account has had too many failed attempts lately.
/// Whether the account must still wait before its next attempt is looked at
/// ([`crate::domain::sign_in_delay_seconds`] after its latest failure). A known device never
/// waits: failures from elsewhere cannot keep the account's owner out.
pub async fn is_throttled(
    conn: &mut sqlx::SqliteConnection,
    user: crate::domain::UserId,
    at: OffsetDateTime,
    known_device: bool,
) -> Result<bool, ServerError> {
    use crate::domain::{FAILURE_MEMORY_HOURS, sign_in_delay_seconds};
    if known_device {
        return Ok(false);
    }
    let since = at - time::Duration::hours(FAILURE_MEMORY_HOURS);
    let (failures, latest) = access_log::recent_failures(conn, user, since).await?;
    let wait = time::Duration::seconds(sign_in_delay_seconds(failures));
    Ok(latest.is_some_and(|latest| at < latest + wait))
}

/// A signed-in user proves they know their current password before a change of their own
/// credentials (a new password, a new second factor). A wrong password counts as a failed
/// sign-in (the same rules, the same per-account delay, a `failed` row under `action`), so it
/// cannot be guessed here instead of at the sign-in; while the account must wait the attempt is
/// refused (a `refused` row) with the same answer. The hash is computed either way, so the answer
/// takes the same time. Returns the user's row.
pub async fn prove_current_password(
    db: &Db,
    at: OffsetDateTime,
    who: &SignedIn,
    password_given: String,
    action: AuditAction,
) -> Result<users::UserRow, ServerError> {
    let (row, throttled) = {
        let mut conn = db.acquire().await?;
        let row = users::find_by_id(&mut conn, who.actor.user)
            .await?
            .ok_or(ServerError::NotFound)?;
        let throttled = is_throttled(&mut conn, who.actor.user, at, false).await?;
        (row, throttled)
    };
    let right = password::verify(password_given, row.password_hash.clone()).await? && !throttled;
    if right {
        return Ok(row);
    }
    let outcome = if throttled {
        AuditOutcome::Refused
    } else {
        AuditOutcome::Failed
    };
    log_failed_proof(db, at, who, action, outcome).await?;
    Err(ServerError::InvalidInput {
        field: "current_password",
        source: crate::domain::ParseError::Password,
    })
}

/// The `failed` (or `refused`) row of a wrong proof of a credential by a signed-in user; a
/// `failed` row counts towards the account's sign-in delay.
pub async fn log_failed_proof(
    db: &Db,
    at: OffsetDateTime,
    who: &SignedIn,
    action: AuditAction,
    outcome: AuditOutcome,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let touched =
        access_log::Touched::object(ObjectKind::User, who.actor.user, who.actor.district());
    access_log::append_by(
        &mut tx,
        at,
        &ActorSnapshot::of(who),
        action,
        touched,
        outcome,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `token` (the known-device cookie) is a genuine one of `user`.
pub async fn is_known_device(
    conn: &mut sqlx::SqliteConnection,
    user: crate::domain::UserId,
    token: Option<&str>,
    at: OffsetDateTime,
) -> Result<bool, ServerError> {
    let Some(token) = token else {
        return Ok(false);
    };
    // No key yet: no cookie can be one of ours.
    let Some(key) = crate::server::device::stored_key(conn).await? else {
        return Ok(false);
    };
    Ok(crate::server::device::is_known(
        &key,
        token,
        user,
        at.unix_timestamp(),
    ))
}

/// A known-device token for `user` to set as a cookie after a complete sign-in.
pub async fn device_token(
    db: &Db,
    user: crate::domain::UserId,
    at: OffsetDateTime,
) -> Result<String, ServerError> {
    let key = crate::server::device::key(db).await?;
    Ok(crate::server::device::token(
        &key,
        user,
        at.unix_timestamp(),
    ))
}

/// The user a session belongs to, if the session is still valid at `now` (Unix seconds): the
/// user exists and is active, the session's epoch is the user's current one, less than 12 hours
/// have passed since sign-in and less than 30 minutes since the last request.
/// `require_second_factor` is the operator's setting.
pub async fn resolve_session(
    db: &Db,
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
    let mut conn = db.acquire().await?;
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
                manages: u.manages,
            },
            name: u.name,
            must_change_password: u.must_change_password,
        }))
}

/// Signs the user out everywhere: raises the session epoch (ending every session of the user)
/// and logs it, in one transaction.
pub async fn sign_out(
    db: &Db,
    at: OffsetDateTime,
    who: &crate::server::session::SignedIn,
) -> Result<(), ServerError> {
    let snapshot = ActorSnapshot {
        user: who.actor.user,
        name: who.name.clone(),
        role: who.actor.role,
    };
    let mut tx = db.begin_write().await?;
    users::raise_session_epoch(&mut tx, who.actor.user).await?;
    access_log::append(
        &mut tx,
        &Entry {
            at,
            actor: Some(&snapshot),
            action: AuditAction::SignOut,
            object_type: None,
            object_id: None,
            district: who.actor.district(),
            reason: None,
            outcome: AuditOutcome::Ok,
            stays: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
