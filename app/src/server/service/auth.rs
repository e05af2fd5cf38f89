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
}

/// Why a check failed. Deliberately one case: callers cannot tell the reasons apart either.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("wrong e-mail address or password")]
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

/// Checks the e-mail address and password, and logs the attempt in its own transaction.
#[tracing::instrument(skip_all)]
pub async fn authenticate(
    pool: &SqlitePool,
    email: &str,
    password_given: &str,
) -> Result<Authenticated, AuthError> {
    let user = match EmailAddress::parse(email) {
        Ok(email) => {
            let mut conn = pool.acquire().await.map_err(ServerError::from)?;
            users::find_by_email(&mut conn, &email).await?
        }
        Err(_) => None,
    };
    let stored = match &user {
        Some(u) => u.password_hash.clone(),
        None => dummy_hash().await?.to_owned(),
    };
    let matches = password::verify(password_given.to_owned(), stored).await;
    let accepted = match &user {
        Some(u) => matches && u.active,
        None => false,
    };

    let snapshot = user.as_ref().map(|u| ActorSnapshot {
        user: u.id,
        name: u.name.clone(),
        role: u.role,
    });
    let mut tx = db::begin_write(pool).await?;
    access_log::append(
        &mut tx,
        &Entry {
            actor: snapshot.as_ref(),
            action: "sign_in",
            object_type: None,
            object_id: None,
            district: user.as_ref().and_then(|u| u.unit.map(|unit| unit.district)),
            reason: None,
            outcome: if accepted {
                Outcome::Ok
            } else {
                Outcome::Failed
            },
        },
    )
    .await?;
    tx.commit().await.map_err(ServerError::from)?;

    match user {
        Some(u) if accepted => Ok(Authenticated {
            actor: Actor {
                user: u.id,
                role: u.role,
                unit: u.unit,
            },
            name: u.name,
            session_epoch: u.session_epoch,
            must_change_password: u.must_change_password,
        }),
        _ => Err(AuthError::Rejected),
    }
}

/// The user a session belongs to, if the session is still valid: the user exists and is
/// active, the session's epoch is the user's current one, and the absolute lifetime has not
/// passed at `now` (Unix seconds).
pub async fn resolve_session(
    pool: &SqlitePool,
    record: &crate::server::session::AuthRecord,
    now: i64,
) -> Result<Option<crate::server::session::SignedIn>, ServerError> {
    use crate::server::session::{ABSOLUTE_LIFETIME_SECONDS, SignedIn};
    if now - record.signed_in_at >= ABSOLUTE_LIFETIME_SECONDS || now < record.signed_in_at {
        return Ok(None);
    }
    let mut conn = pool.acquire().await?;
    let user = users::find_by_id(&mut conn, crate::domain::UserId(record.user)).await?;
    Ok(user
        .filter(|u| u.active && u.session_epoch == record.epoch)
        .map(|u| SignedIn {
            actor: Actor {
                user: u.id,
                role: u.role,
                unit: u.unit,
            },
            name: u.name,
        }))
}

/// Signs the user out everywhere: raises the session epoch (ending every session of the user)
/// and logs it, in one transaction.
pub async fn sign_out(
    pool: &SqlitePool,
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
