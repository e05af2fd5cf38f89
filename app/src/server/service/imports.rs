//! Importing past stays (`portal import-stays FILE`, and the administrators' upload page as
//! `ImportSource::Upload`): the whole file is checked first (every field, one person's stays not
//! overlapping, in the file and against earlier imports, districts of the directory), then every
//! new row is written in one transaction with the import's record and its access-log row, or
//! nothing is. A stay already imported (the same person key and arrival) is known and skipped, so
//! a second import of the same file adds nothing. Imported stays create no plan and no task.

use crate::domain::audit::{ActorSnapshot, AuditAction, AuditOutcome, ObjectKind};
use crate::server::ServerError;
use crate::server::db::Db;
use crate::server::import::{
    ImportError, ImportRow, LISTED_PROBLEMS, Problem, overlaps, parse_file,
};
use crate::server::repo;
use time::{Date, OffsetDateTime};

/// Where an import came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportSource {
    Command,
    Upload,
}

impl ImportSource {
    fn as_str(self) -> &'static str {
        match self {
            ImportSource::Command => "command",
            ImportSource::Upload => "upload",
        }
    }
}

/// What an import did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportSummary {
    /// Data rows in the file.
    pub rows: u64,
    /// New stays stored.
    pub added: u64,
    /// Stays already imported before (skipped).
    pub known: u64,
}

/// Why an import stored nothing.
#[derive(Debug)]
pub enum ImportRefused {
    /// The file's problems: how many in all, and the first [`LISTED_PROBLEMS`] by line.
    Problems {
        total: usize,
        listed: Vec<ImportError>,
    },
    Server(ServerError),
}

impl From<ServerError> for ImportRefused {
    fn from(e: ServerError) -> Self {
        ImportRefused::Server(e)
    }
}

fn refuse(mut errors: Vec<ImportError>) -> ImportRefused {
    errors.sort_by_key(|e| e.line);
    let total = errors.len();
    errors.truncate(LISTED_PROBLEMS);
    ImportRefused::Problems {
        total,
        listed: errors,
    }
}

/// Imports the stays of `bytes` (the file as read). `today` (an Oslo date) bounds the dates;
/// `progress` is told how many rows are written, now and then.
pub async fn import_stays(
    db: &Db,
    at: OffsetDateTime,
    today: Date,
    by: Option<&ActorSnapshot>,
    source: ImportSource,
    bytes: &[u8],
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<ImportSummary, ImportRefused> {
    let districts = {
        let mut read = db.begin_read().await?;
        let districts = repo::imports::district_ids(&mut read).await?;
        read.commit().await?;
        districts
    };
    let rows = parse_file(bytes, today, &|slug| districts.contains_key(slug)).map_err(refuse)?;
    // Checked again against the stays imported until now, under the write lock.
    let mut tx = db.begin_write().await?;
    let mut known_periods = repo::imports::periods(&mut tx).await?;
    let mut errors = Vec::new();
    let mut new: Vec<(&ImportRow, Option<i64>)> = Vec::new();
    let mut known = 0u64;
    for row in &rows {
        let district = match &row.home_district {
            None => None,
            Some(slug) => match districts.get(slug) {
                Some(id) => Some(*id),
                None => {
                    errors.push(ImportError {
                        line: row.line,
                        column: Some("home_district"),
                        problem: Problem::District,
                    });
                    continue;
                }
            },
        };
        let earlier = known_periods.get(&row.person_key);
        if earlier.is_some_and(|p| p.iter().any(|(arrival, _)| *arrival == row.arrival)) {
            known += 1;
            continue;
        }
        if earlier.is_some_and(|p| {
            p.iter()
                .any(|period| overlaps(*period, (row.arrival, row.move_out)))
        }) {
            errors.push(ImportError {
                line: row.line,
                column: Some("arrival"),
                problem: Problem::OverlapImported,
            });
            continue;
        }
        new.push((row, district));
    }
    if !errors.is_empty() {
        drop(tx); // rolled back: nothing was written
        return Err(refuse(errors));
    }
    let (total, added) = (rows.len() as u64, new.len() as u64);
    let import = repo::imports::insert_import(
        &mut tx,
        at,
        by.map(|b| b.user.0),
        source.as_str(),
        added as i64,
        known as i64,
    )
    .await?;
    for (n, (row, district)) in new.iter().enumerate() {
        repo::imports::insert_stay(&mut tx, import, row, *district).await?;
        known_periods
            .entry(row.person_key.clone())
            .or_default()
            .push((row.arrival, row.move_out));
        if n % 1000 == 999 {
            progress(n as u64 + 1, added);
        }
    }
    progress(added, added);
    repo::access_log::append(
        &mut tx,
        &repo::access_log::Entry {
            at,
            actor: by,
            action: AuditAction::StaysImport,
            object_type: Some(ObjectKind::StayImport),
            object_id: Some(import.to_string()),
            district: None,
            reason: None,
            outcome: AuditOutcome::Ok,
            stays: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ImportSummary {
        rows: total,
        added,
        known,
    })
}

/// The district slugs a file may name, sorted.
pub async fn district_slugs(db: &Db) -> Result<Vec<String>, ServerError> {
    let mut read = db.begin_read().await?;
    let mut slugs: Vec<String> = repo::imports::district_ids(&mut read)
        .await?
        .into_keys()
        .collect();
    read.commit().await?;
    slugs.sort();
    Ok(slugs)
}
