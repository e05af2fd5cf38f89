//! SQLite set-up: connect with the pragmas this product relies on, check that they took, migrate.

use crate::server::ServerError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// The migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// How long a connection waits for a lock held by another writer before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens the pool: WAL, `synchronous=FULL`, foreign keys on, a busy timeout; creates the file
/// (and nothing else) if it is missing. Only the commands that set a portal up use this (see
/// [`connect_existing`] for the rest).
pub async fn connect(url: &str) -> Result<SqlitePool, ServerError> {
    connect_with(url, true).await
}

/// Opens the pool on a database file that exists: a mistyped path is an error, never a new,
/// empty database.
pub async fn connect_existing(url: &str) -> Result<SqlitePool, ServerError> {
    connect_with(url, false).await
}

async fn connect_with(url: &str, create: bool) -> Result<SqlitePool, ServerError> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(create)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT);
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await?;
    Ok(pool)
}

/// The pragmas as the database reports them on a pooled connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PragmaReport {
    pub sqlite_version: String,
    pub journal_mode: String,
    pub synchronous: i64,
    pub foreign_keys: i64,
    pub busy_timeout_ms: i64,
}

impl PragmaReport {
    /// True when every pragma has the value the product depends on.
    pub fn is_safe(&self) -> bool {
        self.journal_mode.eq_ignore_ascii_case("wal")
            && self.synchronous == 2
            && self.foreign_keys == 1
            && self.busy_timeout_ms > 0
    }
}

/// Reads the pragmas back from the database.
pub async fn pragmas(pool: &SqlitePool) -> Result<PragmaReport, ServerError> {
    let mut conn = pool.acquire().await?;
    let sqlite_version: String = sqlx::query_scalar("SELECT sqlite_version()")
        .fetch_one(&mut *conn)
        .await?;
    let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await?;
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await?;
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await?;
    let busy_timeout_ms: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&mut *conn)
        .await?;
    Ok(PragmaReport {
        sqlite_version,
        journal_mode,
        synchronous,
        foreign_keys,
        busy_timeout_ms,
    })
}

/// Refuses to go on when the pragmas did not take (e.g. a file system without WAL support).
pub async fn ensure_safe_pragmas(pool: &SqlitePool) -> Result<PragmaReport, ServerError> {
    let report = pragmas(pool).await?;
    if report.is_safe() {
        Ok(report)
    } else {
        Err(ServerError::Pragma(format!(
            "journal_mode={} synchronous={} foreign_keys={} busy_timeout={}",
            report.journal_mode, report.synchronous, report.foreign_keys, report.busy_timeout_ms
        )))
    }
}

/// Applies the pending migrations; a no-op when the database is current.
pub async fn migrate(pool: &SqlitePool) -> Result<(), ServerError> {
    MIGRATOR.run(pool).await?;
    Ok(())
}

/// How the database's applied migrations compare with the ones this binary carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MigrationStatus {
    /// The same migrations, with the same checksums.
    Current,
    /// This binary has migrations the database has not had (`portal migrate` applies them).
    Older { pending: Vec<i64> },
    /// The database has migrations this binary does not know: a newer portal wrote it.
    Newer { unknown: Vec<i64> },
    /// A migration was applied with other contents than this binary's, or failed half-way.
    Altered { versions: Vec<i64> },
}

/// Compares the applied migrations (`_sqlx_migrations`) with [`MIGRATOR`], without changing
/// anything. A database without the table has had none.
pub async fn migration_status(pool: &SqlitePool) -> Result<MigrationStatus, ServerError> {
    let has_table: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '_sqlx_migrations')",
    )
    .fetch_one(pool)
    .await?;
    let applied: Vec<(i64, Vec<u8>, bool)> = if has_table {
        sqlx::query_as("SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(pool)
            .await?
    } else {
        Vec::new()
    };
    let known: Vec<(i64, &[u8])> = MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .map(|m| (m.version, m.checksum.as_ref()))
        .collect();
    let unknown: Vec<i64> = applied
        .iter()
        .filter(|(v, ..)| !known.iter().any(|(k, _)| k == v))
        .map(|(v, ..)| *v)
        .collect();
    if !unknown.is_empty() {
        return Ok(MigrationStatus::Newer { unknown });
    }
    let altered: Vec<i64> = applied
        .iter()
        .filter(|(v, checksum, success)| {
            !success
                || known
                    .iter()
                    .any(|(k, c)| k == v && *c != checksum.as_slice())
        })
        .map(|(v, ..)| *v)
        .collect();
    if !altered.is_empty() {
        return Ok(MigrationStatus::Altered { versions: altered });
    }
    let pending: Vec<i64> = known
        .iter()
        .filter(|(k, _)| !applied.iter().any(|(v, ..)| v == k))
        .map(|(k, _)| *k)
        .collect();
    Ok(if pending.is_empty() {
        MigrationStatus::Current
    } else {
        MigrationStatus::Older { pending }
    })
}

/// SQLite's own check of the file: `quick_check` (`full`: `integrity_check`, which also compares
/// every index with its table). `Ok(vec![])` when the file is sound, else the problems SQLite
/// names (at most 20).
pub async fn check_integrity(pool: &SqlitePool, full: bool) -> Result<Vec<String>, ServerError> {
    let sql = if full {
        "PRAGMA integrity_check(20)"
    } else {
        "PRAGMA quick_check(20)"
    };
    let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(pool).await?;
    Ok(if rows == ["ok"] { Vec::new() } else { rows })
}

/// Starts a write transaction that takes the write lock up front (`BEGIN IMMEDIATE`), so a
/// transaction that reads before it writes cannot fail half-way on a lock upgrade.
pub async fn begin_write(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>, ServerError> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

/// Starts a read transaction (`BEGIN`, deferred): a consistent snapshot that never takes the
/// write lock, so readers neither wait for writers nor hold them up.
pub async fn begin_read(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>, ServerError> {
    Ok(pool.begin().await?)
}

/// One cheap round trip, for the health check.
pub async fn ping(pool: &SqlitePool) -> Result<(), ServerError> {
    let one: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(pool)
        .await?;
    if one >= 0 {
        Ok(())
    } else {
        Err(ServerError::Pragma("unexpected answer".into()))
    }
}
