//! Internal control per district: the matrix of districts × the documents an audit asks for
//! (reviewers and administrators), one district's documents with their history (also its own
//! caseworkers), and recording a document's status (administrators). No personal data.

// A server function's arguments are its form's fields.
#![allow(clippy::too_many_arguments)]

use crate::domain::AppError;
use crate::domain::internal_control::{ControlMatrix, DistrictControl};
use leptos::prelude::*;

pub const CONTROL_MATRIX: &str = "control_matrix";
pub const DISTRICT_CONTROL: &str = "district_control";
pub const SAVE_CONTROL_DOCUMENT: &str = "control_document_save";
pub const OWN_DISTRICT: &str = "own_district";
pub const ADD_CONTROL_DOCUMENT: &str = "control_document_create";

/// A district's PDF of a document: downloaded with GET, uploaded with a multipart POST (a plain
/// route of the server, not a server function).
pub fn document_file_path(slug: &str, document: &str) -> String {
    format!("{CONTROL_PAGE}/{slug}/dokument/{document}")
}

/// The matrix of every district's documents.
pub const CONTROL_PAGE: &str = "/internkontroll";

/// One district's documents.
pub fn district_control_page(slug: &str) -> String {
    format!("{CONTROL_PAGE}/{slug}")
}

/// Every district × every document, on today's Oslo date.
#[server(prefix = "/api", endpoint = "control_matrix")]
pub async fn read_control_matrix() -> Result<ControlMatrix, AppError> {
    use crate::api::guard::{authorize, with_status};
    use crate::domain::{Action, Target};
    with_status(
        async {
            let call = authorize(Action::ReadInternalControl, Target::Global)?;
            let today = call.state.clock.oslo_today();
            Ok(crate::server::service::internal_control::matrix(&call.state.db, today).await?)
        }
        .await,
    )
}

/// The caller's own district (slug, name), for those bound to one (caseworkers and district
/// managers); `None` for the other roles. For the district manager's starting page.
#[server(prefix = "/api", endpoint = "own_district")]
pub async fn read_own_district() -> Result<Option<(String, String)>, AppError> {
    use crate::api::guard::{signed_in, with_status};
    with_status(
        async {
            let call = signed_in()?;
            let Some(id) = call.user.actor.district() else {
                return Ok(None);
            };
            Ok(
                crate::server::service::internal_control::district_by_id(&call.state.db, id)
                    .await?,
            )
        }
        .await,
    )
}

/// One district's documents and their history.
#[server(prefix = "/api", endpoint = "district_control")]
pub async fn read_district_control(slug: String) -> Result<DistrictControl, AppError> {
    use crate::api::guard::{signed_in, with_status};
    use crate::domain::{Action, Target};
    use crate::server::service::internal_control as service;
    with_status(
        async {
            let call = signed_in()?;
            let (id, name) = service::find_district(&call.state.db, &slug)
                .await?
                .ok_or_else(AppError::not_found)?;
            call.check(Action::ReadInternalControl, Target::District(id))?;
            let may_edit = crate::domain::permits(
                Some(&call.user.actor),
                Action::EditInternalControl,
                Target::District(id),
            );
            let today = call.state.clock.oslo_today();
            Ok(service::district(&call.state.db, id, slug, name, today, may_edit).await?)
        }
        .await,
    )
}

/// Records a district's status for one document (`version`: the entry's as read, 0 when
/// nothing was recorded). Adopted needs the date (not in the future), who adopted it and a
/// review date after it (empty: a year after adoption).
#[server(prefix = "/api", endpoint = "control_document_save")]
pub async fn save_control_document(
    district: i64,
    slug: String,
    document: String,
    version: i64,
    #[server(default)] status: String,
    #[server(default)] adopted_on: String,
    #[server(default)] adopted_by: String,
    #[server(default)] review_on: String,
    #[server(default)] link: String,
) -> Result<(), AppError> {
    use crate::api::guard::{authorize, finish_form};
    use crate::domain::internal_control::DocumentChange;
    use crate::domain::{Action, DistrictId, DistrictSlug, Target};
    let page = district_control_page(
        &DistrictSlug::parse(&slug).map_or(String::new(), |s| s.as_str().to_owned()),
    );
    let back = format!("{page}?dokument={}", slug_chars(&document));
    let result = async {
        let call = authorize(
            Action::EditInternalControl,
            Target::District(DistrictId(district)),
        )?;
        let today = call.state.clock.oslo_today();
        let change =
            DocumentChange::parse(&status, &adopted_on, &adopted_by, &review_on, &link, today)
                .map_err(AppError::invalid)?;
        let by = call.actor();
        crate::server::service::internal_control::save(
            &call.state.db,
            call.now(),
            &by,
            DistrictId(district),
            &document,
            version,
            change,
        )
        .await?;
        Ok(())
    }
    .await;
    let done = format!("{page}?ok=dokument");
    finish_form(result, &back, |_| done)
}

/// Adds a document to the list every district answers for (administrators): its address
/// name and its name in bokmål and English.
#[server(prefix = "/api", endpoint = "control_document_create")]
pub async fn add_control_document(
    #[server(default)] document_slug: String,
    #[server(default)] name_nb: String,
    #[server(default)] name_en: String,
) -> Result<(), AppError> {
    use crate::api::guard::{authorize, finish_form};
    use crate::domain::internal_control::NewDocument;
    use crate::domain::{Action, Target};
    let result = async {
        let call = authorize(Action::EditInternalControl, Target::Global)?;
        let document =
            NewDocument::parse(&document_slug, &name_nb, &name_en).map_err(AppError::invalid)?;
        crate::server::service::internal_control::add_document(
            &call.state.db,
            call.now(),
            &call.actor(),
            document,
        )
        .await?;
        Ok(())
    }
    .await;
    finish_form(result, CONTROL_PAGE, |_| {
        format!("{CONTROL_PAGE}?ok=dokument_ny")
    })
}

/// A document slug as it may appear in an address: its own characters only (a-z, 0-9, -).
#[cfg(feature = "ssr")]
pub fn slug_chars(slug: &str) -> String {
    slug.chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
        .take(60)
        .collect()
}
