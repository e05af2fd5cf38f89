//! Sign-in and sign-out over HTTP, and the middleware that finds the signed-in user of each
//! request. Sessions are tower-sessions with its SQLite store: the cookie holds only a random
//! session id; HttpOnly, SameSite=Strict, Secure (localhost counts as secure in browsers).

use crate::web::local_path;
use app::server::AppState;
use app::server::service::auth::{self, AuthError};
use app::server::session::{AUTH_KEY, AuthRecord, IDLE_TIMEOUT_MINUTES, SignedIn};
use axum::extract::{Form, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sqlx::SqlitePool;
use tower_sessions::cookie::SameSite;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, Session, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "portal_session";

/// The session store in the portal's database; creates its table when missing.
pub async fn session_store(pool: SqlitePool) -> Result<SqliteStore, sqlx::Error> {
    let store = SqliteStore::new(pool);
    store.migrate().await?;
    Ok(store)
}

/// Deletes expired sessions every 15 minutes; without it the session table only grows.
pub fn spawn_expired_session_cleanup(store: SqliteStore) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
        loop {
            tick.tick().await;
            if let Err(err) = store.delete_expired().await {
                tracing::warn!(error = %err, "expired-session cleanup failed");
            }
        }
    })
}

/// The session layer: idle timeout 30 minutes (the absolute lifetime is checked per request).
pub fn session_layer(store: SqliteStore, secure: bool) -> SessionManagerLayer<SqliteStore> {
    SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            IDLE_TIMEOUT_MINUTES,
        )))
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Puts the signed-in user (if the session is still valid) into the request's extensions, and
/// ends sessions that are no longer valid (deactivated user, signed out elsewhere, too old).
pub async fn load_signed_in(
    State(pool): State<SqlitePool>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    match session.get::<AuthRecord>(AUTH_KEY).await {
        Ok(Some(record)) => match auth::resolve_session(&pool, &record, now()).await {
            Ok(Some(user)) => {
                req.extensions_mut().insert(user);
            }
            Ok(None) => {
                let _ = session.flush().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "session check failed");
                return (StatusCode::SERVICE_UNAVAILABLE, "E-UNAVAILABLE\n").into_response();
            }
        },
        Ok(None) => {}
        Err(err) => {
            tracing::warn!(error = %err, "unreadable session ignored");
            let _ = session.flush().await;
        }
    }
    next.run(req).await
}

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// `POST /innlogging`: on success a new session id (rotation) and 303 to where the person was
/// going; on failure 303 back to the sign-in page with a general message.
pub async fn sign_in(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<SignInForm>,
) -> Response {
    match auth::authenticate(&state.pool, &form.email, &form.password).await {
        Ok(who) => {
            let record = AuthRecord {
                user: who.actor.user.0,
                epoch: who.session_epoch,
                signed_in_at: now(),
            };
            if session.cycle_id().await.is_err() || session.insert(AUTH_KEY, record).await.is_err()
            {
                return (StatusCode::SERVICE_UNAVAILABLE, "E-UNAVAILABLE\n").into_response();
            }
            let next = local_path(&form.next);
            Redirect::to(if next.starts_with("/logg-inn") {
                "/"
            } else {
                &next
            })
            .into_response()
        }
        Err(AuthError::Rejected) => Redirect::to("/logg-inn?feil=1").into_response(),
        Err(AuthError::Server(err)) => {
            tracing::error!(error = %err, "sign-in failed");
            (StatusCode::SERVICE_UNAVAILABLE, "E-UNAVAILABLE\n").into_response()
        }
    }
}

/// `POST /utlogging`: ends every session of the user and goes to the sign-in page.
pub async fn sign_out(State(state): State<AppState>, session: Session, req: Request) -> Response {
    if let Some(user) = req.extensions().get::<SignedIn>()
        && let Err(err) = auth::sign_out(&state.pool, user).await
    {
        tracing::error!(error = %err, "sign-out failed");
        return (StatusCode::SERVICE_UNAVAILABLE, "E-UNAVAILABLE\n").into_response();
    }
    let _ = session.flush().await;
    Redirect::to("/logg-inn?ute=1").into_response()
}
