//! The HTTP surface: Leptos pages and server functions, health, the language switch, static
//! files, and the middleware every response passes (security headers, cross-site refusal,
//! compression, request tracing).

use crate::auth;
use crate::health::{Health, healthz};
use app::server::service::calendar::{FEED_PREFIX, render_feed, secret_of};
use app::server::{AppState, security};
use app::{App, LOCALE_COOKIE, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{Form, Path, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use serde::Deserialize;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// What the HTTP layer checks on every request, from the configuration.
#[derive(Clone, Debug)]
pub struct HttpPolicy {
    /// Host names (lower case, no port) the portal answers to; others get 421.
    pub hosts: Arc<Vec<String>>,
    /// Send `Strict-Transport-Security`.
    pub hsts: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: auth::TrustedProxies,
}

/// Builds the whole router around the given state.
pub fn router(
    state: AppState,
    health: Health,
    sessions: tower_sessions::SessionManagerLayer<crate::sessions::PortalStore>,
    limiter: auth::SignInLimiter,
    test_clock: bool,
    policy: HttpPolicy,
    assets: crate::assets::Assets,
) -> Router {
    let routes = generate_route_list(App);
    let leptos_options = state.leptos_options.clone();

    let context = {
        let state = state.clone();
        let head = app::server::head::HeadAssets::new(&leptos_options);
        move || {
            provide_context(state.clone());
            provide_context(head.clone());
        }
    };
    let hsts = policy.hsts;
    let hosts = policy.hosts.clone();
    let kept = crate::kept::KeptForms::default();
    Router::new()
        // `leptos_routes_with_context` below registers every server function at its own path;
        // what is left under /api/ is no function.
        .route("/api/{*fn_name}", post(unknown_function))
        .leptos_routes_with_context(&state, routes, context, {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .route("/pkg/{*file}", get(serve_asset(assets.clone())))
        .route("/favicon.svg", get(serve_asset(assets)))
        .route("/sprak", post(set_language))
        .route("/innlogging", post(auth::sign_in))
        .route("/innlogging/kode", post(auth::sign_in_code))
        .route("/utlogging", post(auth::sign_out))
        .route("/eksport/kontroll.csv", get(crate::export::compliance_csv))
        .route("/eksport/avvik.csv", get(crate::export::deviations_export))
        .route(
            "/internkontroll/{slug}/dokument/{document}",
            get(crate::documents::download)
                .post(crate::documents::upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::documents::BODY_LIMIT,
                )),
        )
        .route(
            "/planer/{stay}/innsyn.json",
            get(crate::insight::insight_json),
        )
        .route(
            "/admin/import/fil",
            post(crate::imports::upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::imports::BODY_LIMIT,
            )),
        )
        .merge(if test_clock {
            Router::new().route("/test/klokke", post(set_test_clock))
        } else {
            Router::new()
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(server_function_calls))
        // Inside the session layers: a refused form's values are kept per signed-in session.
        .layer(middleware::from_fn(move |req, next| {
            crate::kept::keep_typed(kept.clone(), req, next)
        }))
        .layer(middleware::from_fn(auth::require_sign_in))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::load_signed_in,
        ))
        .layer(sessions)
        .layer(axum::Extension(limiter))
        .layer(axum::Extension(policy.trusted_proxies))
        .with_state(state.clone())
        .merge(
            Router::new()
                .route("/healthz", get(healthz))
                .with_state(health),
        )
        // Calendar programs fetch a unit's feed without a session: the secret in the path is
        // the key (outside the session and sign-in layers).
        .merge(
            Router::new()
                .route("/kalender/{file}", get(calendar_feed))
                .with_state(state),
        )
        // A response that is not ready in 30 s is answered 503 rather than holding the
        // connection (a stuck page render must not pile up connections).
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            std::time::Duration::from_secs(30),
        ))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(refuse_cross_site))
        .layer(middleware::from_fn(move |req, next| {
            refuse_unknown_host(hosts.clone(), req, next)
        }))
        .layer(middleware::from_fn(move |req, next| {
            security_headers(hsts, req, next)
        }))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
                // Path only: query strings may one day carry what a person typed. A calendar
                // feed's path is its secret, so that one is not logged.
                let path = req.uri().path();
                let path = if path.starts_with(FEED_PREFIX) {
                    FEED_PREFIX
                } else {
                    path
                };
                tracing::info_span!("request", method = %req.method(), path = %path)
            }),
        )
}

/// `GET /kalender/<secret>.ics`: a unit's calendar feed (open deadlines and planned exit
/// meetings, neutral titles). A wrong, rotated or ended secret is 404 like any missing page.
async fn calendar_feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(secret) = secret_of(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match render_feed(&state.db, secret, &state.base_url).await {
        Ok(Some(ics)) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            ics,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "calendar feed not read");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[derive(Deserialize)]
struct ClockForm {
    /// RFC 3339, e.g. `2026-03-30T22:00:00Z`.
    at: String,
}

/// `POST /test/klokke`: sets the portal's clock. Mounted only with `PORTAL_TEST_CLOCK=true`
/// (end-to-end tests move time to see deadlines pass), never in production, and even then only
/// for a signed-in administrator.
async fn set_test_clock(
    State(state): State<AppState>,
    user: Option<axum::Extension<app::server::session::SignedIn>>,
    Form(form): Form<ClockForm>,
) -> StatusCode {
    if !user.is_some_and(|u| u.actor.role == app::domain::Role::Admin) {
        return StatusCode::FORBIDDEN;
    }
    match time::OffsetDateTime::parse(&form.at, &time::format_description::well_known::Rfc3339) {
        Ok(at) if state.clock.set(at) => {
            tracing::warn!(%at, "test clock set");
            StatusCode::NO_CONTENT
        }
        _ => StatusCode::BAD_REQUEST,
    }
}

/// The handler of a static file ([`crate::assets::serve`]).
fn serve_asset(
    assets: crate::assets::Assets,
) -> impl Fn(Request) -> std::pin::Pin<Box<dyn Future<Output = Response> + Send>> + Clone {
    move |req| Box::pin(crate::assets::serve(assets.clone(), req))
}

/// Adds the security headers every response carries. HTML pages set their own CSP (with the
/// script nonce) and `no-store` in the shell; everything else gets a CSP that allows nothing.
/// Static assets (`/pkg/`, the icon) keep the caching [`crate::assets::serve`] gave them
/// (revalidated on every use unless fingerprinted); all other responses are `no-store`.
async fn security_headers(hsts: bool, req: Request, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/pkg/") || req.uri().path() == "/favicon.svg";
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    for (name, value) in security::common_headers() {
        headers.insert(name, value);
    }
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(security::STRICT_TRANSPORT_SECURITY),
        );
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(csp) = HeaderValue::from_str(&security::content_security_policy(None))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_asset || is_html {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(crate::assets::REVALIDATE),
        );
    }
    res
}

/// Refuses a request whose `Host` is not one the portal answers to (421 Misdirected Request),
/// so that a page on a rebound DNS name cannot talk to the portal as if it were the same site.
/// The health check answers whatever the host, for load balancers that probe by address.
async fn refuse_unknown_host(hosts: Arc<Vec<String>>, req: Request, next: Next) -> Response {
    // HTTP/2 carries the host in the request's authority rather than a `Host` header.
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(host_without_port)
        .or_else(|| req.uri().host().map(str::to_ascii_lowercase));
    if req.uri().path() == "/healthz" || host.is_some_and(|h| hosts.contains(&h)) {
        next.run(req).await
    } else {
        tracing::debug!("request for an unknown host refused");
        (StatusCode::MISDIRECTED_REQUEST, "E-REQUEST (host)\n").into_response()
    }
}

/// The host name of a `Host` header, lower case, without the port (`[::1]:3000` → `[::1]`).
pub fn host_without_port(raw: &str) -> String {
    let raw = raw.trim();
    let host = if raw.starts_with('[') {
        raw.split_inclusive(']').next().unwrap_or(raw)
    } else {
        raw.rsplit_once(':').map_or(raw, |(h, _)| h)
    };
    host.to_ascii_lowercase()
}

/// `POST /api/<anything that is not a server function>`: a plain 404 (not Leptos' help text).
async fn unknown_function() -> Response {
    (StatusCode::NOT_FOUND, "E-NOT-FOUND\n").into_response()
}

/// Around every server-function call: a body that is neither a form nor JSON answers 415 (a call
/// without a body needs no type), and a call whose arguments do not decode answers 400 with the
/// stable code, never 500 (that is the caller's mistake, not the portal's, and it is logged at
/// debug level only).
async fn server_function_calls(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") || req.method() != Method::POST {
        return next.run(req).await;
    }
    let headers = req.headers();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    let no_body = headers.get(header::TRANSFER_ENCODING).is_none()
        && headers
            .get(header::CONTENT_LENGTH)
            .is_none_or(|v| v.as_bytes() == b"0");
    let accepted = match content_type.as_deref() {
        Some("application/x-www-form-urlencoded" | "application/json") => true,
        None => no_body,
        Some(_) => false,
    };
    if !accepted {
        tracing::debug!("server function called with an unsupported content type");
        return request_error(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    // Our functions set the status of every error they return (`guard::with_status`); a 500
    // here is the framework's answer to arguments that did not decode.
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return request_error(StatusCode::BAD_REQUEST);
    };
    let decode_failure = serde_json::from_slice::<app::domain::AppError>(&bytes)
        .is_ok_and(|e| e.code == app::domain::ErrorCode::Request);
    if decode_failure {
        tracing::debug!("server function arguments did not decode");
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The answer to a call that did not reach a server function's code: the stable code as JSON.
fn request_error(status: StatusCode) -> Response {
    let error = app::domain::AppError::new(app::domain::ErrorCode::Request);
    (status, axum::Json(error)).into_response()
}

/// Refuses state-changing requests that a browser marks as coming from another site. Requests
/// without `Sec-Fetch-Site` and `Origin` (scripts, curl) are not cross-site requests by a
/// browser and pass; sessions (next issue) add SameSite=Strict cookies on top.
async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) || is_same_site(&req) {
        next.run(req).await
    } else {
        tracing::warn!(method = %req.method(), path = %req.uri().path(), "cross-site request refused");
        (StatusCode::FORBIDDEN, "E-CROSS-SITE\n").into_response()
    }
}

fn is_same_site(req: &Request) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"))
                == Some(host)
        }
    }
}

#[derive(Deserialize)]
struct LanguageForm {
    lang: String,
    #[serde(default)]
    return_to: String,
}

/// `POST /sprak`: remembers the language in a cookie and goes back to the page (303).
async fn set_language(State(_): State<AppState>, Form(form): Form<LanguageForm>) -> Response {
    let lang = match form.lang.as_str() {
        "nb" | "en" => form.lang.as_str(),
        _ => return (StatusCode::BAD_REQUEST, "E-INVALID-INPUT (lang)\n").into_response(),
    };
    let cookie =
        format!("{LOCALE_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    let mut res = Redirect::to(&auth::local_path(&form.return_to)).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, value);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::host_without_port;

    #[test]
    fn the_host_header_is_compared_without_its_port() {
        assert_eq!(host_without_port("127.0.0.1:3000"), "127.0.0.1");
        assert_eq!(
            host_without_port("Portal.Example.ORG"),
            "portal.example.org"
        );
        assert_eq!(host_without_port("[::1]:3000"), "[::1]");
        assert_eq!(host_without_port("[::1]"), "[::1]");
    }
}
