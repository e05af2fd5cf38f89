//! CSV downloads for the municipality's review: each table of `/kontroll` for a period
//! (`/eksport/kontroll.csv?periode=2026K1&tabell=boligplaner|moter|frister|overforinger|
//! venter|forfalte|avvik`, only some districts' rows with `&bydel=alna&bydel=stovner`, and one
//! district's figures over the quarters with `&bydel=alna&tabell=kvartaler`) and the list of
//! deviations
//! (`/eksport/avvik.csv?status=open|closed`). The same figures, the same suppression and the same
//! rights as the pages; aggregates and rows without personal data only. See `domain::export`
//! for the format.

use app::domain::compliance::Period;
use app::domain::export::{
    deviation_counts_csv, deviations_csv, housing_csv, meetings_csv, overdue_csv, quarters_csv,
    steps_csv, transfers_csv, waits_csv,
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

/// `GET /eksport/kontroll.csv`: one table of `/kontroll` for the period the query names, with
/// every district's rows or those `bydel` names; `tabell=kvartaler` is one district's table over
/// the quarters (its page's).
pub async fn compliance_csv(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let Some(Extension(user)) = user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    if !permits(Some(&user.actor), Action::ReadCompliance, Target::Global) {
        return StatusCode::FORBIDDEN.into_response();
    }
    // The last value of each named field; every `bydel`, at most as many as a page names.
    let value = |name: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let slugs: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "bydel")
        .map(|(_, v)| v.clone())
        .collect();
    if app::domain::compliance::check_districts(&slugs).is_err() {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let now = state.clock.now();
    let today = app::server::clock::oslo_date(now);
    let Ok(period) = Period::from_query(
        Some(value("periode")),
        Some(value("fra")),
        Some(value("til")),
        today,
    ) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let file = |table: &str, body: String| {
        let districts = slugs.iter().map(|s| format!("-{s}")).collect::<String>();
        csv_file(
            &format!(
                "kontroll-{table}{districts}-{}-{}.csv",
                period.from, period.to
            ),
            body,
        )
    };
    let failed = |err: app::server::ServerError| {
        tracing::error!(error = %err, "compliance export failed");
        StatusCode::SERVICE_UNAVAILABLE.into_response()
    };
    let table = value("tabell");
    if table == "kvartaler" {
        let [slug] = slugs.as_slice() else {
            return StatusCode::BAD_REQUEST.into_response();
        };
        return match app::server::service::compliance::district(&state.db, slug, period, now).await
        {
            Ok(Some(report)) => file("kvartaler", quarters_csv(&report)),
            Ok(None) => StatusCode::NOT_FOUND.into_response(),
            Err(err) => failed(err),
        };
    }
    let make: fn(&app::domain::compliance::ComplianceView) -> String = match table {
        "avvik" => deviation_counts_csv,
        "forfalte" => overdue_csv,
        "frister" => steps_csv,
        "moter" => meetings_csv,
        "overforinger" => transfers_csv,
        "venter" => waits_csv,
        "" | "boligplaner" => housing_csv,
        _ => return StatusCode::BAD_REQUEST.into_response(),
    };
    let name = if table.is_empty() {
        "boligplaner"
    } else {
        table
    };
    match app::server::service::compliance::overview(&state.db, period, now).await {
        Ok(view) => file(name, make(&view.only(&slugs))),
        Err(err) => failed(err),
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
