//! Internal control per district: the list of documents, each district's entries and their
//! history. No personal data.

use crate::domain::internal_control::{
    ControlDocument, DocumentChange, DocumentEntry, DocumentEvent, DocumentState, DocumentStatus,
};
use crate::domain::{ActorSnapshot, DistrictId};
use crate::server::ServerError;
use sqlx::SqliteConnection;
use time::Date;

/// The documents in the matrix's order, with their ids.
pub async fn documents(
    conn: &mut SqliteConnection,
) -> Result<Vec<(i64, ControlDocument)>, ServerError> {
    Ok(sqlx::query!(
        r#"SELECT id AS "id!", slug, name_nb, name_en, agreement AS "agreement: bool"
           FROM control_document ORDER BY position, id"#
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| {
        (
            r.id,
            ControlDocument {
                slug: r.slug,
                name_nb: r.name_nb,
                name_en: r.name_en,
                agreement: r.agreement,
            },
        )
    })
    .collect())
}

/// Every recorded entry: (district id, document id, status, review date).
pub async fn all_states(
    conn: &mut SqliteConnection,
) -> Result<Vec<(i64, i64, DocumentStatus, Option<Date>)>, ServerError> {
    Ok(sqlx::query!(
        r#"SELECT district_id AS "district_id!", document_id AS "document_id!",
                  status AS "status!: DocumentStatus", review_on AS "review_on?: Date"
           FROM district_document"#
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.district_id, r.document_id, r.status, r.review_on))
    .collect())
}

/// One district's entry for every document (missing, version 0, where nothing was recorded).
pub async fn entries(
    conn: &mut SqliteConnection,
    district: DistrictId,
    today: Date,
) -> Result<Vec<DocumentEntry>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT c.slug, c.name_nb, c.name_en, c.agreement AS "agreement: bool",
                  e.status AS "status?: DocumentStatus", e.adopted_on AS "adopted_on?: Date",
                  e.adopted_by, e.review_on AS "review_on?: Date", e.link,
                  e.version AS "version?"
           FROM control_document c
           LEFT JOIN district_document e ON e.document_id = c.id AND e.district_id = ?1
           ORDER BY c.position, c.id"#,
        district.0
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = r.status.unwrap_or(DocumentStatus::Missing);
            DocumentEntry {
                document: ControlDocument {
                    slug: r.slug,
                    name_nb: r.name_nb,
                    name_en: r.name_en,
                    agreement: r.agreement,
                },
                status,
                state: DocumentState::of(status, r.review_on, today),
                adopted_on: r.adopted_on,
                adopted_by: r.adopted_by,
                review_on: r.review_on,
                link: r.link,
                version: r.version.unwrap_or(0),
            }
        })
        .collect())
}

/// One district's history, newest first.
pub async fn history(
    conn: &mut SqliteConnection,
    district: DistrictId,
) -> Result<Vec<DocumentEvent>, ServerError> {
    Ok(sqlx::query!(
        r#"SELECT c.slug, e.at, e.user_name, e.status AS "status!: DocumentStatus",
                  e.adopted_on AS "adopted_on?: Date", e.review_on AS "review_on?: Date"
           FROM district_document_event e JOIN control_document c ON c.id = e.document_id
           WHERE e.district_id = ?1
           ORDER BY e.id DESC"#,
        district.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| DocumentEvent {
        document: r.slug,
        at: r.at,
        by: r.user_name,
        status: r.status,
        adopted_on: r.adopted_on,
        review_on: r.review_on,
    })
    .collect())
}

/// The id of a document by its slug.
pub async fn document_id(
    conn: &mut SqliteConnection,
    slug: &str,
) -> Result<Option<i64>, ServerError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM control_document WHERE slug = ?1"#,
        slug
    )
    .fetch_optional(&mut *conn)
    .await?)
}

/// Saves a district's entry for a document if it still has `version` (0: nothing recorded
/// yet), with its history row. `Stale` when someone saved it since.
pub async fn save(
    conn: &mut SqliteConnection,
    at: &str,
    by: &ActorSnapshot,
    district: DistrictId,
    document: i64,
    version: i64,
    change: &DocumentChange,
) -> Result<(), ServerError> {
    let status = change.status.as_str();
    let saved = if version == 0 {
        sqlx::query!(
            r#"INSERT INTO district_document (district_id, document_id, status, adopted_on,
                   adopted_by, review_on, link, version, updated_at, updated_by)
               VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9)
               ON CONFLICT (district_id, document_id) DO NOTHING"#,
            district.0,
            document,
            status,
            change.adopted_on,
            change.adopted_by,
            change.review_on,
            change.link,
            at,
            by.user.0
        )
        .execute(&mut *conn)
        .await?
    } else {
        sqlx::query!(
            r#"UPDATE district_document
               SET status = ?3, adopted_on = ?4, adopted_by = ?5, review_on = ?6, link = ?7,
                   version = version + 1, updated_at = ?8, updated_by = ?9
               WHERE district_id = ?1 AND document_id = ?2 AND version = ?10"#,
            district.0,
            document,
            status,
            change.adopted_on,
            change.adopted_by,
            change.review_on,
            change.link,
            at,
            by.user.0,
            version
        )
        .execute(&mut *conn)
        .await?
    };
    if saved.rows_affected() != 1 {
        return Err(ServerError::Stale);
    }
    sqlx::query!(
        r#"INSERT INTO district_document_event (district_id, document_id, at, user_id, user_name,
               status, adopted_on, adopted_by, review_on, link)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"#,
        district.0,
        document,
        at,
        by.user.0,
        by.name,
        status,
        change.adopted_on,
        change.adopted_by,
        change.review_on,
        change.link
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
