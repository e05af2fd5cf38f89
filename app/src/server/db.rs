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
/// (and nothing else) if it is missing.
pub async fn connect(url: &str) -> Result<SqlitePool, ServerError> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
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

/// Starts a write transaction that takes the write lock up front (`BEGIN IMMEDIATE`), so a
/// transaction that reads before it writes cannot fail half-way on a lock upgrade.
pub async fn begin_write(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>, ServerError> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
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
