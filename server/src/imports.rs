//! The administrators' upload of past stays (`POST /admin/import/fil`, a multipart form with the
//! field `file`, at most the import's 16 MiB): the same import as `portal import-stays`, then back
//! to `/admin/import` with what it did, or with the file's problems by line and column (codes
//! only: the address never carries a value of the file). A plain route, so that the upload works
//! without JavaScript; the sign-in layer refuses anonymous requests before the body is read.

use app::domain::{Action, ActorSnapshot, Target, permits};
use app::server::AppState;
use app::server::import::MAX_BYTES;
use app::server::service::imports::{ImportRefused, ImportSource, import_stays};
use app::server::session::SignedIn;
use axum::Extension;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// The page the upload form is on.
pub const PAGE: &str = "/admin/import";
/// What the multipart body may hold beyond the file: the boundary lines and the part headers.
pub const BODY_LIMIT: usize = MAX_BYTES + 16 * 1024;
/// How many problems the address carries (the page says how many there were in all).
const CARRIED: usize = 50;

/// `POST /admin/import/fil`: imports the file and goes back to the page with the outcome.
pub async fn upload(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    multipart: Multipart,
) -> Response {
    let Some(Extension(user)) = user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    if !permits(Some(&user.actor), Action::ImportStays, Target::Global) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let content = match crate::documents::file_part(multipart, MAX_BYTES).await {
        Ok(Some(content)) if !content.is_empty() => content,
        // No file chosen, or a body the form would not send (cut off, or over the body limit).
        _ => {
            return Redirect::to(&format!("{PAGE}?feil=E-INVALID-INPUT&felt=import_file"))
                .into_response();
        }
    };
    let by = ActorSnapshot::of(&user);
    let today = state.clock.oslo_today();
    let result = import_stays(
        &state.db,
        state.clock.now(),
        today,
        Some(&by),
        ImportSource::Upload,
        &content,
        &|_, _| {},
    )
    .await;
    match result {
        Ok(summary) => Redirect::to(&format!(
            "{PAGE}?lagt_til={}&kjent={}",
            summary.added, summary.known
        ))
        .into_response(),
        Err(ImportRefused::Problems { total, listed }) => {
            let mut to = format!("{PAGE}?avvist={total}");
            for problem in listed.iter().take(CARRIED) {
                to.push_str("&p=");
                to.push_str(&problem.code());
            }
            Redirect::to(&to).into_response()
        }
        Err(ImportRefused::Server(error)) => {
            tracing::error!(%error, "stays not imported");
            Redirect::to(&format!("{PAGE}?feil=E-UNAVAILABLE")).into_response()
        }
    }
}
