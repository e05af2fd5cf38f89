//! A district's internal-control document as a PDF: uploaded by those who record the district's
//! documents (`POST /internkontroll/{slug}/dokument/{document}`, a multipart form with the field
//! `file`, at most `MAX_PDF_BYTES`), and served only to those who read them (the district's own
//! users, administrators and reviewers) as a download. Plain routes, so that the upload works
//! without JavaScript; the sign-in layer refuses anonymous requests before the body is read.

use app::api::internal_control::district_control_page;
use app::domain::internal_control::MAX_PDF_BYTES;
use app::domain::{Action, ActorSnapshot, DistrictId, Target, permits};
use app::server::AppState;
use app::server::service::internal_control as service;
use app::server::session::SignedIn;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// What the multipart body may hold beyond the file: the boundary lines and the part headers.
pub const BODY_LIMIT: usize = MAX_PDF_BYTES + 16 * 1024;

/// The district with `slug`.
async fn district(state: &AppState, slug: &str) -> Result<DistrictId, Response> {
    match service::find_district(&state.db, slug).await {
        Ok(Some((id, _))) => Ok(id),
        Ok(None) => Err(StatusCode::NOT_FOUND.into_response()),
        Err(error) => {
            tracing::error!(%error, "district not looked up");
            Err(StatusCode::SERVICE_UNAVAILABLE.into_response())
        }
    }
}

/// The signed-in user and the district with `slug`, when the user may do `action` on it.
async fn authorized(
    state: &AppState,
    user: Option<Extension<SignedIn>>,
    slug: &str,
    action: Action,
) -> Result<(SignedIn, DistrictId), Response> {
    let Some(Extension(user)) = user else {
        return Err(StatusCode::UNAUTHORIZED.into_response());
    };
    let district = district(state, slug).await?;
    if !permits(Some(&user.actor), action, Target::District(district)) {
        return Err(StatusCode::FORBIDDEN.into_response());
    }
    Ok((user, district))
}

/// The district page again, with the document's form open and why the file was refused.
fn refused(slug: &str, document: &str, code: &str) -> Response {
    let document = app::api::internal_control::slug_chars(document);
    let page = district_control_page(slug);
    Redirect::to(&format!("{page}?dokument={document}&feil={code}&felt=file")).into_response()
}

/// The form's part `file`, read up to `limit` bytes: a larger file comes back as `limit + 1`
/// zero bytes (told apart from one of exactly the limit without holding more of it).
pub(crate) async fn file_part(
    mut multipart: Multipart,
    limit: usize,
) -> Result<Option<Vec<u8>>, ()> {
    while let Some(mut field) = multipart.next_field().await.map_err(|_| ())? {
        if field.name() != Some("file") {
            continue;
        }
        let mut content = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| ())? {
            if content.len() + chunk.len() > limit {
                return Ok(Some(vec![0; limit + 1]));
            }
            content.extend_from_slice(&chunk);
        }
        return Ok(Some(content));
    }
    Ok(None)
}

/// `POST /internkontroll/{slug}/dokument/{document}`: stores the PDF and goes back to the
/// district's page, or back to the document's form saying why (not a PDF, too large, no file).
pub async fn upload(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    Path((slug, document)): Path<(String, String)>,
    multipart: Multipart,
) -> Response {
    let (user, district) = match authorized(&state, user, &slug, Action::EditInternalControl).await
    {
        Ok(found) => found,
        Err(res) => return res,
    };
    let content = match file_part(multipart, MAX_PDF_BYTES).await {
        Ok(Some(content)) => content,
        // No file chosen, or a body the form would not send (cut off, or over the body limit).
        Ok(None) | Err(()) => return refused(&slug, &document, "E-INVALID-INPUT"),
    };
    let by = ActorSnapshot::of(&user);
    match service::upload(
        &state.db,
        state.clock.now(),
        &by,
        district,
        &document,
        &content,
    )
    .await
    {
        Ok(()) => Redirect::to(&format!("{}?ok=pdf", district_control_page(&slug))).into_response(),
        Err(app::server::ServerError::Field(_)) => refused(&slug, &document, "E-INVALID-INPUT"),
        Err(app::server::ServerError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "document not stored");
            refused(&slug, &document, "E-UNAVAILABLE")
        }
    }
}

/// `GET /internkontroll/{slug}/dokument/{document}`: the district's PDF of the document, as a
/// download, to those who read the district's internal control.
pub async fn download(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    Path((slug, document)): Path<(String, String)>,
) -> Response {
    let district = match authorized(&state, user, &slug, Action::ReadInternalControl).await {
        Ok((_, district)) => district,
        Err(res) => return res,
    };
    match service::file(&state.db, district, &document).await {
        Ok(Some(content)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    // Both slugs are the portal's own (checked above and by the lookup).
                    format!("attachment; filename=\"{slug}-{document}.pdf\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            content,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "document not read");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
