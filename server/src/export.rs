//! CSV downloads for the municipality's review: each table of `/kontroll` for a period
//! (`/eksport/kontroll.csv?periode=2026K1&tabell=boligplaner|moter|frister|overforinger|
//! venter|forfalte|avvik`) and the list of deviations
//! (`/eksport/avvik.csv?status=open|closed`). The same figures, the same suppression and the same
//! rights as the pages; aggregates and rows without personal data only. See `domain::export`
//! for the format.

use app::domain::compliance::Period;
use app::domain::export::{
    deviation_counts_csv, deviations_csv, housing_csv, meetings_csv, overdue_csv, steps_csv,
    transfers_csv, waits_csv,
};
use app::domain::{Action, Target, permits};
use app::server::AppState;
use app::server::service::deviations::Reader;
use app::server::session::SignedIn;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    #[serde(default)]
    periode: String,
    #[serde(default)]
    fra: String,
    #[serde(default)]
    til: String,
    #[serde(default)]
    tabell: String,
    #[serde(default)]
    status: String,
}

fn csv_file(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /eksport/kontroll.csv`: one table of `/kontroll` for the period the query names.
pub async fn compliance_csv(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    Query(q): Query<ExportQuery>,
) -> Response {
    let Some(Extension(user)) = user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    if !permits(Some(&user.actor), Action::ReadCompliance, Target::Global) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let now = state.clock.now();
    let today = app::server::clock::oslo_date(now);
    let Ok(period) = Period::from_query(Some(&q.periode), Some(&q.fra), Some(&q.til), today) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    match app::server::service::compliance::overview(&state.db, period, now).await {
        Ok(view) => {
            let (table, body) = match q.tabell.as_str() {
                "avvik" => ("avvik", deviation_counts_csv(&view)),
                "forfalte" => ("forfalte", overdue_csv(&view)),
                "frister" => ("frister", steps_csv(&view)),
                "moter" => ("moter", meetings_csv(&view)),
                "overforinger" => ("overforinger", transfers_csv(&view)),
                "venter" => ("venter", waits_csv(&view)),
                "" | "boligplaner" => ("boligplaner", housing_csv(&view)),
                _ => return StatusCode::BAD_REQUEST.into_response(),
            };
            csv_file(
                &format!("kontroll-{table}-{}-{}.csv", period.from, period.to),
                body,
            )
        }
        Err(err) => {
            tracing::error!(error = %err, "compliance export failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// `GET /eksport/avvik.csv`: the deviations the caller may see, as rows without personal data
/// or free text.
pub async fn deviations_export(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    Query(q): Query<ExportQuery>,
) -> Response {
    use app::domain::deviation::DeviationStatus;
    let Some(Extension(user)) = user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Some(reader) = Reader::of(&user.actor) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let status = match q.status.trim() {
        "" => None,
        s => match DeviationStatus::parse(s) {
            Some(s) => Some(s),
            None => return StatusCode::BAD_REQUEST.into_response(),
        },
    };
    let today = state.clock.oslo_today();
    match app::server::service::deviations::list(&state.db, today, reader, status).await {
        Ok(list) => csv_file(&format!("avvik-{today}.csv"), deviations_csv(&list.rows)),
        Err(err) => {
            tracing::error!(error = %err, "deviation export failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
