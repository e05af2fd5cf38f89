//! The HTTP surface: Leptos pages and server functions, health, the language switch, static
//! files, and the middleware every response passes (security headers, cross-site refusal,
//! compression, request tracing).

use crate::auth;
use crate::health::{Health, healthz};
use app::server::{AppState, security};
use app::{App, LOCALE_COOKIE, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{Form, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use serde::Deserialize;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Builds the whole router around the given state.
pub fn router(
    state: AppState,
    health: Health,
    sessions: tower_sessions::SessionManagerLayer<tower_sessions_sqlx_store::SqliteStore>,
    limiter: auth::SignInLimiter,
    test_clock: Option<app::server::Clock>,
) -> Router {
    let routes = generate_route_list(App);
    let leptos_options = state.leptos_options.clone();

    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let server_fns = {
        let context = context.clone();
        move |req: Request<Body>| handle_server_fns_with_context(context.clone(), req)
    };

    Router::new()
        .route("/api/{*fn_name}", post(server_fns))
        .leptos_routes_with_context(&state, routes, context, {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .route("/sprak", post(set_language))
        .route("/innlogging", post(auth::sign_in))
        .route("/innlogging/kode", post(auth::sign_in_code))
        .route("/utlogging", post(auth::sign_out))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(auth::require_sign_in))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::load_signed_in,
        ))
        .layer(sessions)
        .layer(axum::Extension(limiter))
        .with_state(state)
        .merge(
            Router::new()
                .route("/healthz", get(healthz))
                .with_state(health),
        )
        .merge(match test_clock {
            Some(clock) => Router::new()
                .route("/test/klokke", post(set_test_clock))
                .with_state(clock),
            None => Router::new(),
        })
        // A response that is not ready in 30 s is answered 503 rather than holding the
        // connection (a stuck page render must not pile up connections).
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            std::time::Duration::from_secs(30),
        ))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(refuse_cross_site))
        .layer(middleware::from_fn(security_headers))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
                // Path only: query strings may one day carry what a person typed.
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
            }),
        )
}

#[derive(Deserialize)]
struct ClockForm {
    /// RFC 3339, e.g. `2026-03-30T22:00:00Z`.
    at: String,
}

/// `POST /test/klokke`: sets the portal's clock. Mounted only with `PORTAL_TEST_CLOCK=true`
/// (end-to-end tests move time to see deadlines pass); never in production.
async fn set_test_clock(
    State(clock): State<app::server::Clock>,
    Form(form): Form<ClockForm>,
) -> StatusCode {
    match time::OffsetDateTime::parse(&form.at, &time::format_description::well_known::Rfc3339) {
        Ok(at) if clock.set(at) => {
            tracing::warn!(%at, "test clock set");
            StatusCode::NO_CONTENT
        }
        _ => StatusCode::BAD_REQUEST,
    }
}

/// Adds the security headers every response carries. HTML pages set their own CSP (with the
/// script nonce) and `no-store` in the shell; everything else gets a CSP that allows nothing.
/// Static assets (`/pkg/`, the icon) may be cached but are revalidated on every use; all other
/// responses are `no-store`.
async fn security_headers(req: Request, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/pkg/") || req.uri().path() == "/favicon.svg";
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    for (name, value) in security::common_headers() {
        headers.insert(name, value);
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
    let cache = if is_asset && !is_html {
        "no-cache"
    } else {
        "no-store"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
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
    let mut res = Redirect::to(&local_path(&form.return_to)).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, value);
    }
    res
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
    use super::local_path;

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
