//! Sign-in and sign-out over HTTP, and the middleware that finds the signed-in user of each
//! request. Sessions are tower-sessions with the portal's store ([`PortalStore`]): the cookie holds
//! only a random session id; HttpOnly, SameSite=Strict, Secure (localhost counts as secure in
//! browsers).

use crate::sessions::PortalStore;
use app::server::AppState;
use app::server::db::Db;
use app::server::service::auth::{self, AuthError};
use app::server::service::second_factor;
use app::server::session::{
    AUTH_KEY, AuthRecord, CODE_PAGE, CODE_PENDING_SECONDS, CodePending, IDLE_TIMEOUT_MINUTES,
    SignedIn, required_step,
};
use axum::extract::{Form, FromRequest, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "portal_session";

/// The session store in the portal's database (its table comes with the migrations).
pub fn session_store(db: Db) -> PortalStore {
    PortalStore::new(db)
}

/// Deletes expired sessions every 15 minutes; without it the session table only grows.
pub fn spawn_expired_session_cleanup(store: PortalStore) -> tokio::task::JoinHandle<()> {
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
pub fn session_layer(store: PortalStore, secure: bool) -> SessionManagerLayer<PortalStore> {
    SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            IDLE_TIMEOUT_MINUTES,
        )))
}

/// Sign-in attempts per client address: a burst of `burst`, refilled by one every 20 seconds.
pub type SignInLimiter = Arc<governor::DefaultKeyedRateLimiter<IpAddr>>;

/// The per-address limiter for sign-in attempts (password and one-time code alike). Every 10
/// minutes it forgets addresses whose allowance is full again, so that its memory does not grow
/// with every address ever seen; that task ends when the limiter is dropped.
pub fn sign_in_limiter(burst: u32) -> SignInLimiter {
    let burst = NonZeroU32::new(burst.max(1)).expect("at least one");
    let quota = governor::Quota::with_period(std::time::Duration::from_secs(20))
        .expect("non-zero period")
        .allow_burst(burst);
    let limiter: SignInLimiter = Arc::new(governor::RateLimiter::keyed(quota));
    let weak = Arc::downgrade(&limiter);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(10 * 60));
        tick.tick().await;
        loop {
            tick.tick().await;
            let Some(limiter) = weak.upgrade() else { break };
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    });
    limiter
}

/// The reverse proxies whose `X-Forwarded-For` is believed (`PORTAL_TRUSTED_PROXIES`).
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(pub Arc<Vec<IpAddr>>);

/// The client's address: the socket's peer, or, when the peer is a trusted proxy, the address
/// that proxy forwarded. A header from anyone else is ignored, so that a client cannot choose
/// the address its attempts are counted under.
fn client_address(req: &Request) -> Option<IpAddr> {
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())?;
    match req.extensions().get::<TrustedProxies>() {
        Some(TrustedProxies(proxies)) if proxies.contains(&peer) => {
            Some(forwarded_client(req.headers(), proxies).unwrap_or(peer))
        }
        _ => Some(peer),
    }
}

/// The client behind trusted proxies: the rightmost `X-Forwarded-For` address that is not a
/// trusted proxy itself (addresses further left were written by the client and prove nothing).
/// `None` when the header is missing or holds something that is not an address.
pub fn forwarded_client(headers: &axum::http::HeaderMap, proxies: &[IpAddr]) -> Option<IpAddr> {
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    for hop in hops.iter().rev() {
        let ip: IpAddr = hop.trim().parse().ok()?;
        if !proxies.contains(&ip) {
            return Some(ip);
        }
    }
    None
}

/// The known-device token the browser sent, if any (see `app::server::device`).
fn device_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == app::server::device::COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| v.len() <= 200)
}

/// A response that completes a sign-in: the redirect, with the known-device cookie renewed, so
/// that this browser gets past the per-account delay next time.
async fn signed_in_redirect(state: &AppState, user: app::domain::UserId, to: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    match auth::device_token(&state.db, user, state.clock.now()).await {
        Ok(token) => {
            let secure = if state.settings.secure_cookies {
                "; Secure"
            } else {
                ""
            };
            let cookie = format!(
                "{}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{secure}",
                app::server::device::COOKIE,
                app::server::device::LIFETIME_SECONDS
            );
            if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
                res.headers_mut()
                    .append(axum::http::header::SET_COOKIE, value);
            }
        }
        Err(err) => tracing::warn!(error = %err, "known-device cookie not set"),
    }
    res
}

/// Takes one attempt from the address's allowance; true when none is left.
fn address_throttled(limiter: &SignInLimiter, address: Option<IpAddr>) -> bool {
    let throttled = address.is_some_and(|ip| limiter.check_key(&ip).is_err());
    if throttled {
        tracing::warn!("sign-in attempts from one address throttled");
    }
    throttled
}

/// Puts the signed-in user (if the session is still valid) into the request's extensions, and
/// ends sessions that are no longer valid (deactivated user, signed out elsewhere, too old, idle
/// too long). A session that still owes its one-time code gets [`CodePending`] instead.
pub async fn load_signed_in(
    State(state): State<AppState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    // Static files are the same for everyone: no session lookup (a database read) for them.
    if is_asset(req.uri().path()) {
        return next.run(req).await;
    }
    let now = state.clock.unix();
    match session.get::<AuthRecord>(AUTH_KEY).await {
        Ok(Some(record)) => {
            match auth::resolve_session(
                &state.db,
                &record,
                now,
                state.settings.require_second_factor,
            )
            .await
            {
                Ok(Some(_))
                    if record.code_pending && now - record.signed_in_at >= CODE_PENDING_SECONDS =>
                {
                    let _ = session.flush().await;
                }
                Ok(Some(user)) if record.code_pending => {
                    req.extensions_mut().insert(CodePending {
                        user: user.actor.user,
                    });
                }
                Ok(Some(user)) => {
                    if now - record.last_seen >= 60 {
                        let seen = AuthRecord {
                            last_seen: now,
                            ..record
                        };
                        if let Err(err) = session.insert(AUTH_KEY, seen).await {
                            tracing::warn!(error = %err, "session not refreshed");
                        }
                    }
                    req.extensions_mut().insert(user);
                }
                Ok(None) => {
                    let _ = session.flush().await;
                }
                Err(err) => {
                    tracing::error!(error = %err, "session check failed");
                    return (StatusCode::SERVICE_UNAVAILABLE, "E-UNAVAILABLE\n").into_response();
                }
            }
        }
        Ok(None) => {}
        Err(err) => {
            tracing::warn!(error = %err, "unreadable session ignored");
            let _ = session.flush().await;
        }
    }
    next.run(req).await
}

/// The built site's static files (wasm, JS, CSS) and the icon.
fn is_asset(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg"
}

/// Paths anyone may fetch: the sign-in page and its form, the language switch, static files.
/// Server functions (`/api/`) answer for themselves (401 when not signed in).
fn is_public(path: &str) -> bool {
    matches!(path, "/logg-inn" | "/innlogging" | "/sprak")
        || is_asset(path)
        || path.starts_with("/api/")
}

/// Keeps pages behind sign-in: an anonymous request for a page goes to the sign-in page (which
/// then returns to the page); a session that owes its one-time code goes to the code page; a
/// user who must change their password or set up a second factor goes there first.
pub async fn require_sign_in(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    // The sign-out and the code form look at the session themselves.
    if is_public(path) || path == "/utlogging" || path == "/innlogging/kode" {
        return next.run(req).await;
    }
    if req.extensions().get::<CodePending>().is_some() {
        return if path == CODE_PAGE {
            next.run(req).await
        } else {
            Redirect::to(CODE_PAGE).into_response()
        };
    }
    match req.extensions().get::<SignedIn>() {
        Some(user) => match required_step(user) {
            Some(step) if path != step => Redirect::to(step).into_response(),
            _ => next.run(req).await,
        },
        None if req.method() == axum::http::Method::GET => {
            let target = format!("/logg-inn?neste={}", encode_component(path));
            Redirect::to(&target).into_response()
        }
        None => Redirect::to("/logg-inn").into_response(),
    }
}

/// Percent-encodes everything but unreserved characters and `/`.
fn encode_component(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// Where to go after signing in: a local path, never back to the sign-in pages.
fn after_sign_in(next: &str) -> String {
    let next = local_path(next);
    if next.starts_with("/logg-inn") {
        "/".to_owned()
    } else {
        next
    }
}

/// `POST /innlogging`: on success a new session id (rotation) and 303 to where the person was
/// going (or to the one-time-code page first); on failure 303 back to the sign-in page with one
/// general message, whatever the reason (unknown address, wrong password, deactivated account,
/// too many attempts from the account or from the client address).
pub async fn sign_in(
    State(state): State<AppState>,
    axum::Extension(limiter): axum::Extension<SignInLimiter>,
    session: Session,
    req: Request,
) -> Response {
    let address = client_address(&req);
    let device = device_cookie(req.headers());
    let Ok(Form(form)) = Form::<SignInForm>::from_request(req, &()).await else {
        return Redirect::to("/logg-inn?feil=1").into_response();
    };
    if address_throttled(&limiter, address) {
        return Redirect::to("/logg-inn?feil=1").into_response();
    }
    let now = state.clock.now();
    match auth::authenticate(
        &state.db,
        now,
        &form.email,
        &form.password,
        device.as_deref(),
    )
    .await
    {
        Ok(who) => {
            let record = AuthRecord {
                user: who.actor.user.0,
                epoch: who.session_epoch,
                signed_in_at: now.unix_timestamp(),
                last_seen: now.unix_timestamp(),
                code_pending: who.has_second_factor,
            };
            if let Err(err) = rotate_and_store(&session, record).await {
                tracing::error!(error = %err, "session not stored at sign-in");
                return (StatusCode::SERVICE_UNAVAILABLE, "E-UNAVAILABLE\n").into_response();
            }
            let next = after_sign_in(&form.next);
            if who.has_second_factor {
                Redirect::to(&format!("{CODE_PAGE}?neste={}", encode_component(&next)))
                    .into_response()
            } else {
                signed_in_redirect(&state, who.actor.user, &next).await
            }
        }
        Err(AuthError::Rejected) => Redirect::to("/logg-inn?feil=1").into_response(),
        Err(AuthError::Server(err)) => {
            tracing::error!(error = %err, "sign-in failed");
            (StatusCode::SERVICE_UNAVAILABLE, "E-UNAVAILABLE\n").into_response()
        }
    }
}

/// Gives the session a new id (against session fixation) and stores the sign-in in it.
async fn rotate_and_store(
    session: &Session,
    record: AuthRecord,
) -> Result<(), tower_sessions::session::Error> {
    session.cycle_id().await?;
    session.insert(AUTH_KEY, record).await
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
    #[serde(default)]
    next: String,
}

/// `POST /innlogging/kode`: the one-time code of a sign-in whose password was right. On success
/// the session id is rotated again and the sign-in is complete; on failure back to the code page
/// with one general message.
pub async fn sign_in_code(
    State(state): State<AppState>,
    axum::Extension(limiter): axum::Extension<SignInLimiter>,
    session: Session,
    req: Request,
) -> Response {
    let address = client_address(&req);
    let device = device_cookie(req.headers());
    let Some(pending) = req.extensions().get::<CodePending>().copied() else {
        return Redirect::to("/logg-inn").into_response();
    };
    let Ok(Form(form)) = Form::<CodeForm>::from_request(req, &()).await else {
        return Redirect::to(&format!("{CODE_PAGE}?feil=1")).into_response();
    };
    let next = after_sign_in(&form.next);
    let again = format!("{CODE_PAGE}?feil=1&neste={}", encode_component(&next));
    if address_throttled(&limiter, address) {
        return Redirect::to(&again).into_response();
    }
    let now = state.clock.now();
    match second_factor::check_sign_in_code(
        &state.db,
        now,
        pending.user,
        &form.code,
        device.as_deref(),
    )
    .await
    {
        Ok(()) => {
            let record = match session.get::<AuthRecord>(AUTH_KEY).await {
                Ok(Some(record)) => AuthRecord {
                    code_pending: false,
                    last_seen: now.unix_timestamp(),
                    ..record
                },
                _ => return Redirect::to("/logg-inn").into_response(),
            };
            if let Err(err) = rotate_and_store(&session, record).await {
                tracing::error!(error = %err, "session not stored after the code");
                return (StatusCode::SERVICE_UNAVAILABLE, "E-UNAVAILABLE\n").into_response();
            }
            signed_in_redirect(&state, pending.user, &next).await
        }
        Err(AuthError::Rejected) => Redirect::to(&again).into_response(),
        Err(AuthError::Server(err)) => {
            tracing::error!(error = %err, "sign-in code check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "E-UNAVAILABLE\n").into_response()
        }
    }
}

/// `POST /utlogging`: ends every session of the user and goes to the sign-in page.
pub async fn sign_out(State(state): State<AppState>, session: Session, req: Request) -> Response {
    if let Some(user) = req.extensions().get::<SignedIn>()
        && let Err(err) = auth::sign_out(&state.db, state.clock.now(), user).await
    {
        tracing::error!(error = %err, "sign-out failed");
        return (StatusCode::SERVICE_UNAVAILABLE, "E-UNAVAILABLE\n").into_response();
    }
    let _ = session.flush().await;
    Redirect::to("/logg-inn?ute=1").into_response()
}

/// A same-site path to go back to: anything else (another host, a scheme) becomes `/`.
pub fn local_path(candidate: &str) -> String {
    let ok = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.contains('\\')
        && !candidate.chars().any(char::is_control);
    if ok {
        candidate.to_owned()
    } else {
        "/".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    #[test]
    fn the_return_path_is_encoded_for_the_query() {
        assert_eq!(encode_component("/bydeler/alna"), "/bydeler/alna");
        assert_eq!(encode_component("/a b&c?d"), "/a%20b%26c%3Fd");
    }

    #[test]
    fn after_sign_in_the_person_goes_to_a_local_page_but_not_back_to_sign_in() {
        assert_eq!(after_sign_in("/bydeler"), "/bydeler");
        assert_eq!(after_sign_in("https://evil.example"), "/");
        assert_eq!(after_sign_in("/logg-inn/kode"), "/");
    }

    #[test]
    fn the_client_is_the_rightmost_forwarded_address_that_is_not_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let mut headers = HeaderMap::new();
        assert_eq!(forwarded_client(&headers, &[proxy]), None);
        headers.insert(
            "x-forwarded-for",
            "1.2.3.4, 203.0.113.7, 10.0.0.1".parse().unwrap(),
        );
        assert_eq!(
            forwarded_client(&headers, &[proxy]),
            Some("203.0.113.7".parse().unwrap()),
            "the client's own entries (1.2.3.4) are not believed"
        );
        headers.insert("x-forwarded-for", "not-an-address".parse().unwrap());
        assert_eq!(forwarded_client(&headers, &[proxy]), None);
    }

    #[test]
    fn the_language_switch_only_returns_to_local_paths() {
        assert_eq!(local_path("/bydeler?q=al"), "/bydeler?q=al");
        for bad in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "bydeler",
            "/a\nb",
        ] {
            assert_eq!(local_path(bad), "/", "{bad:?}");
        }
    }
}
