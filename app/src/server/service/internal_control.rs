//! Internal control per district: the reviewer's matrix of districts × documents, a district's
//! page with its history, and a change of an entry (with its history row and access-log row, in
//! one transaction). No personal data, so reads write no access-log row.

use crate::domain::internal_control::{
    ControlCounts, ControlMatrix, DistrictControl, DocumentChange, DocumentState, DocumentStatus,
    MatrixRow,
};
use crate::domain::{ActorSnapshot, AuditAction, DistrictId, ObjectKind};
use crate::server::ServerError;
use crate::server::db::Db;
use crate::server::repo::access_log::{self, Touched};
use crate::server::repo::compliance::districts;
use crate::server::repo::internal_control as repo;
use time::Date;

/// Every district × every document on `today`, districts by name.
pub async fn matrix(db: &Db, today: Date) -> Result<ControlMatrix, ServerError> {
    let mut conn = db.acquire().await?;
    let documents = repo::documents(&mut conn).await?;
    let recorded: std::collections::HashMap<(i64, i64), (DocumentStatus, Option<Date>)> =
        repo::all_states(&mut conn)
            .await?
            .into_iter()
            .map(|(district, document, status, review)| ((district, document), (status, review)))
            .collect();
    let mut findings = crate::server::repo::findings::counts(&mut conn, today).await?;
    let rows = districts(&mut conn)
        .await?
        .into_iter()
        .map(|(id, slug, name)| {
            let states: Vec<DocumentState> = documents
                .iter()
                .map(|(document, _)| {
                    recorded
                        .get(&(id, *document))
                        .map_or(DocumentState::Missing, |(status, review)| {
                            DocumentState::of(*status, *review, today)
                        })
                })
                .collect();
            MatrixRow {
                findings: findings.remove(&id).unwrap_or_default(),
                slug,
                name,
                counts: ControlCounts::of(&states),
                states,
            }
        })
        .collect();
    Ok(ControlMatrix {
        documents: documents.into_iter().map(|(_, d)| d).collect(),
        rows,
        today,
    })
}

/// The district with `slug`: its id and name.
pub async fn find_district(
    db: &Db,
    slug: &str,
) -> Result<Option<(DistrictId, String)>, ServerError> {
    let mut conn = db.acquire().await?;
    Ok(districts(&mut conn)
        .await?
        .into_iter()
        .find(|(_, s, _)| s == slug)
        .map(|(id, _, name)| (DistrictId(id), name)))
}

/// The slug and name of a district, by id.
pub async fn district_by_id(
    db: &Db,
    id: DistrictId,
) -> Result<Option<(String, String)>, ServerError> {
    let mut conn = db.acquire().await?;
    Ok(districts(&mut conn)
        .await?
        .into_iter()
        .find(|(d, _, _)| *d == id.0)
        .map(|(_, slug, name)| (slug, name)))
}

/// One district's entries and history on `today`.
pub async fn district(
    db: &Db,
    district: DistrictId,
    slug: String,
    name: String,
    today: Date,
    may_edit: bool,
) -> Result<DistrictControl, ServerError> {
    let mut tx = db.begin_read().await?;
    let entries = repo::entries(&mut tx, district, today).await?;
    let history = repo::history(&mut tx, district).await?;
    tx.commit().await?;
    Ok(DistrictControl {
        id: district,
        slug,
        name,
        entries,
        history,
        may_edit,
        today,
    })
}

/// Saves a district's entry for the document `document` (its slug) if it still has `version`:
/// the entry, its history row and the access-log row in one transaction. `NotFound` for a
/// district or document that does not exist, `Stale` when someone saved the entry since it was read.
pub async fn save(
    db: &Db,
    now: time::OffsetDateTime,
    by: &ActorSnapshot,
    district: DistrictId,
    document: &str,
    version: i64,
    change: DocumentChange,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let id = entry_of(&mut tx, district, document).await?;
    let at = access_log::timestamp(now);
    repo::save(&mut tx, &at, by, district, id, version, &change).await?;
    let action = if change.status == DocumentStatus::Adopted {
        AuditAction::ControlDocumentAdopt
    } else {
        AuditAction::ControlDocumentUpdate
    };
    let touched = Touched::object(
        ObjectKind::ControlDocument,
        format!("{}/{document}", district.0),
        Some(district),
    );
    access_log::append_ok(&mut tx, now, by, action, touched).await?;
    tx.commit().await?;
    Ok(())
}

/// Stores a district's PDF of the document `document` (its slug): the file, its history row
/// and the access-log row in one transaction. `Field("file")` for what is not a PDF within the
/// limit; `NotFound` for a district or document that does not exist.
pub async fn upload(
    db: &Db,
    now: time::OffsetDateTime,
    by: &ActorSnapshot,
    district: DistrictId,
    document: &str,
    content: &[u8],
) -> Result<(), ServerError> {
    crate::domain::internal_control::check_pdf(content).map_err(ServerError::Field)?;
    let mut tx = db.begin_write().await?;
    let id = entry_of(&mut tx, district, document).await?;
    let at = access_log::timestamp(now);
    repo::save_file(&mut tx, &at, by, district, id, content).await?;
    let touched = Touched::object(
        ObjectKind::ControlDocument,
        format!("{}/{document}", district.0),
        Some(district),
    );
    access_log::append_ok(
        &mut tx,
        now,
        by,
        AuditAction::ControlDocumentUpload,
        touched,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A district's PDF of the document `document` (its slug), if one was uploaded.
pub async fn file(
    db: &Db,
    district: DistrictId,
    document: &str,
) -> Result<Option<Vec<u8>>, ServerError> {
    let mut conn = db.acquire().await?;
    let Some(id) = repo::document_id(&mut conn, document).await? else {
        return Ok(None);
    };
    repo::file(&mut conn, district, id).await
}

/// Adds a document to the list every district answers for, with its access-log row.
pub async fn add_document(
    db: &Db,
    now: time::OffsetDateTime,
    by: &ActorSnapshot,
    document: crate::domain::internal_control::NewDocument,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    repo::add_document(&mut tx, &document).await?;
    let touched = Touched::object(ObjectKind::ControlDocument, &document.slug, None);
    access_log::append_ok(
        &mut tx,
        now,
        by,
        AuditAction::ControlDocumentCreate,
        touched,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The id of the document `document` (its slug) of an existing district; `NotFound` when either
/// does not exist.
async fn entry_of(
    conn: &mut sqlx::SqliteConnection,
    district: DistrictId,
    document: &str,
) -> Result<i64, ServerError> {
    if !crate::server::repo::directory::district_exists(conn, district).await? {
        return Err(ServerError::NotFound);
    }
    repo::document_id(conn, document)
        .await?
        .ok_or(ServerError::NotFound)
}
