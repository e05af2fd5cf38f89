//! `GET /planer/{stay}/innsyn.json`: the resident's insight as a file (the page
//! `/planer/{stay}/innsyn` shows the same), for crisis center staff. Producing it is logged by
//! the service, as for the page.

use app::domain::plan::StayId;
use app::domain::{Action, ActorSnapshot, Target, permits};
use app::server::service::plans::insight;
use app::server::session::SignedIn;
use app::server::{AppState, ServerError};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

pub async fn insight_json(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    Path(file): Path<String>,
) -> Response {
    let Some(Extension(user)) = user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    if !permits(Some(&user.actor), Action::ManagePlans, Target::Global) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let Some(stay) = file.parse::<i64>().ok().map(StayId) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match insight(&state.db, state.when(), &ActorSnapshot::of(&user), stay).await {
        Ok(found) => match serde_json::to_string_pretty(&found) {
            Ok(body) => (
                [
                    (header::CONTENT_TYPE, "application/json".to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        // The stay id only: no name in a file name.
                        format!("attachment; filename=\"innsyn-{}.json\"", stay.0),
                    ),
                    (header::CACHE_CONTROL, "private, no-store".to_owned()),
                ],
                body,
            )
                .into_response(),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        Err(ServerError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "insight not produced");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
