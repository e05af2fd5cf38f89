//! Forms that forgive: when a plain form post is refused (the server function sends the browser
//! back to the form with `feil=` in the address), what the person typed is kept for their
//! session, in this process's memory only, and the page the browser is sent back to gets it once
//! (as [`KeptForm`] in the request's extensions) to fill the form in again.
//!
//! What was typed never goes into an address, a log or the database: it may be a resident's name.
//! Passwords and one-time codes are not kept at all. Each session keeps at most one form, for at
//! most [`KEPT_FOR`], and the whole store holds at most [`MOST_FORMS`] (the oldest goes first);
//! only signed-in sessions keep anything, so an anonymous request cannot fill it.

use app::components::kept::KeptForm;
use app::server::session::SignedIn;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a refused form's values wait for the page that shows them.
pub const KEPT_FOR: Duration = Duration::from_secs(5 * 60);
/// How many sessions' forms are kept at once.
pub const MOST_FORMS: usize = 1_000;
/// A form body larger than this is not kept (the portal's longest fields are a few thousand
/// characters).
pub const MOST_BYTES: usize = 64 * 1024;
/// Fields whose values are never kept: they are typed again.
const NEVER_KEPT: &[&str] = &[
    "password",
    "current_password",
    "new_password",
    "repeat_password",
    "code",
    "current_code",
];

/// The refused forms waiting for their pages, by session id.
#[derive(Clone, Default)]
pub struct KeptForms {
    forms: Arc<Mutex<HashMap<String, Entry>>>,
}

struct Entry {
    user: i64,
    at: Instant,
    /// The page the browser was sent back to (its path).
    page: String,
    form: KeptForm,
}

impl KeptForms {
    fn put(&self, session: String, entry: Entry) {
        let mut forms = self.forms.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        forms.retain(|_, e| now.duration_since(e.at) < KEPT_FOR);
        if forms.len() >= MOST_FORMS
            && !forms.contains_key(&session)
            && let Some(oldest) = forms
                .iter()
                .min_by_key(|(_, e)| e.at)
                .map(|(k, _)| k.clone())
        {
            forms.remove(&oldest);
        }
        forms.insert(session, entry);
    }

    /// The session's kept form, if it is the user's, still fresh, and meant for `page`; taken
    /// out (shown once).
    fn take(&self, session: &str, user: i64, page: &str) -> Option<KeptForm> {
        let mut forms = self.forms.lock().unwrap_or_else(|e| e.into_inner());
        let entry = forms.get(session)?;
        if entry.page != page {
            return None;
        }
        let entry = forms.remove(session)?;
        (entry.user == user && entry.at.elapsed() < KEPT_FOR).then_some(entry.form)
    }
}

/// The middleware: keeps the values of a refused form post, and hands them to the page the
/// browser is sent back to.
pub async fn keep_typed(kept: KeptForms, req: Request, next: Next) -> Response {
    let user = req.extensions().get::<SignedIn>().map(|u| u.actor.user.0);
    let session = req
        .extensions()
        .get::<tower_sessions::Session>()
        .and_then(|s| s.id())
        .map(|id| id.to_string());
    let (Some(user), Some(session)) = (user, session) else {
        return next.run(req).await;
    };
    if req.method() == Method::GET {
        let mut req = req;
        if req.uri().query().is_some_and(|q| q.contains("feil=")) {
            let page = req.uri().path().to_owned();
            if let Some(form) = kept.take(&session, user, &page) {
                req.extensions_mut().insert(form);
            }
        }
        return next.run(req).await;
    }
    if !is_form_post(&req) {
        return next.run(req).await;
    }
    let endpoint = req.uri().path().to_owned();
    let (parts, body) = req.into_parts();
    // The length was checked against MOST_BYTES; a body longer than it said is refused here as
    // the body limit would refuse it.
    let Ok(bytes) = axum::body::to_bytes(body, MOST_BYTES).await else {
        return (axum::http::StatusCode::PAYLOAD_TOO_LARGE, "E-REQUEST\n").into_response();
    };
    let res = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    let back = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .filter(|to| res.status().is_redirection() && to.contains("feil="))
        .map(|to| to.split(['?', '#']).next().unwrap_or(to).to_owned());
    if let Some(page) = back
        && let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
    {
        let fields = fields
            .into_iter()
            .filter(|(name, _)| !NEVER_KEPT.contains(&name.as_str()))
            .collect();
        kept.put(
            session,
            Entry {
                user,
                at: Instant::now(),
                page,
                form: KeptForm { endpoint, fields },
            },
        );
    }
    res
}

/// A form post from a browser to a server function, small enough to keep.
fn is_form_post(req: &Request) -> bool {
    let headers = req.headers();
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    req.method() == Method::POST
        && req.uri().path().starts_with("/api/")
        && text(header::CONTENT_TYPE)
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
        && text(header::ACCEPT).is_some_and(|v| v.contains("text/html"))
        && text(header::CONTENT_LENGTH)
            .and_then(|v| v.parse::<usize>().ok())
            .is_some_and(|n| n <= MOST_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(user: i64, page: &str) -> Entry {
        Entry {
            user,
            at: Instant::now(),
            page: page.to_owned(),
            form: KeptForm {
                endpoint: "/api/plan_create".to_owned(),
                fields: vec![("name".to_owned(), "Kari".to_owned())],
            },
        }
    }

    #[test]
    fn the_store_is_bounded_and_gives_a_form_once_to_its_own_user_and_page() {
        let kept = KeptForms::default();
        for session in 0..MOST_FORMS + 10 {
            kept.put(session.to_string(), entry(1, "/planer/ny"));
        }
        assert_eq!(kept.forms.lock().unwrap().len(), MOST_FORMS);
        kept.put("s".to_owned(), entry(7, "/planer/ny"));
        assert_eq!(kept.take("s", 7, "/oppgaver"), None, "another page");
        assert_eq!(kept.take("s", 8, "/planer/ny"), None, "another user");
        assert_eq!(
            kept.take("s", 7, "/planer/ny"),
            None,
            "gone after a wrong try"
        );
        kept.put("t".to_owned(), entry(7, "/planer/ny"));
        assert!(kept.take("t", 7, "/planer/ny").is_some());
        assert_eq!(kept.take("t", 7, "/planer/ny"), None, "once");
    }
}
