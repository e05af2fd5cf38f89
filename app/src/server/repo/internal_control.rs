//! Internal control per district: the list of documents, each district's entries and their
//! history. No personal data.

use crate::domain::internal_control::{
    ControlDocument, DocumentChange, DocumentEntry, DocumentEvent, DocumentFile, DocumentState,
    DocumentStatus,
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
                  e.version AS "version?", f.bytes AS "file_bytes?", f.uploaded_at AS "uploaded_at?"
           FROM control_document c
           LEFT JOIN district_document e ON e.document_id = c.id AND e.district_id = ?1
           LEFT JOIN district_document_file f ON f.document_id = c.id AND f.district_id = ?1
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
                file: r
                    .file_bytes
                    .zip(r.uploaded_at)
                    .map(|(bytes, uploaded_at)| DocumentFile { bytes, uploaded_at }),
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
                  e.adopted_on AS "adopted_on?: Date", e.review_on AS "review_on?: Date",
                  e.file_bytes
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
        file_bytes: r.file_bytes,
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

/// Stores `content` (a checked PDF) as the district's file for a document, replacing an earlier
/// one, with a history row that keeps the entry's status as it is and names the file's size.
pub async fn save_file(
    conn: &mut SqliteConnection,
    at: &str,
    by: &ActorSnapshot,
    district: DistrictId,
    document: i64,
    content: &[u8],
) -> Result<(), ServerError> {
    use sha2::Digest;
    let bytes = i64::try_from(content.len()).map_err(|_| ServerError::Field("file"))?;
    let sha256 = hex::encode(sha2::Sha256::digest(content));
    sqlx::query!(
        "INSERT INTO district_document_file (district_id, document_id, content, bytes, sha256,
                                             uploaded_at, uploaded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (district_id, document_id) DO UPDATE
         SET content = excluded.content, bytes = excluded.bytes, sha256 = excluded.sha256,
             uploaded_at = excluded.uploaded_at, uploaded_by = excluded.uploaded_by",
        district.0,
        document,
        content,
        bytes,
        sha256,
        at,
        by.user.0
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"INSERT INTO district_document_event (district_id, document_id, at, user_id, user_name,
               status, adopted_on, adopted_by, review_on, link, file_bytes)
           SELECT ?1, ?2, ?3, ?4, ?5, coalesce(e.status, 'missing'), e.adopted_on, e.adopted_by,
                  e.review_on, e.link, ?6
           FROM (SELECT 1) LEFT JOIN district_document e
                ON e.district_id = ?1 AND e.document_id = ?2"#,
        district.0,
        document,
        at,
        by.user.0,
        by.name,
        bytes
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The district's PDF of a document, if one was uploaded.
pub async fn file(
    conn: &mut SqliteConnection,
    district: DistrictId,
    document: i64,
) -> Result<Option<Vec<u8>>, ServerError> {
    Ok(sqlx::query_scalar!(
        "SELECT content FROM district_document_file WHERE district_id = ?1 AND document_id = ?2",
        district.0,
        document
    )
    .fetch_optional(&mut *conn)
    .await?)
}

/// Adds a document at the end of the list. `Conflict { field: "document_slug" }` when the
/// address name is taken.
pub async fn add_document(
    conn: &mut SqliteConnection,
    document: &crate::domain::internal_control::NewDocument,
) -> Result<i64, ServerError> {
    sqlx::query_scalar!(
        r#"INSERT INTO control_document (slug, name_nb, name_en, agreement, position)
           VALUES (?1, ?2, ?3, 0, (SELECT coalesce(max(position), 0) + 10 FROM control_document))
           RETURNING id AS "id!""#,
        document.slug,
        document.name_nb,
        document.name_en
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|err| match err {
        sqlx::Error::Database(db) if db.is_unique_violation() => ServerError::Conflict {
            field: "document_slug",
        },
        other => other.into(),
    })
}
