//! `portal backup FILE` and `portal restore FILE`: an online copy that is checked before it is
//! trusted, and a restore that will not pull the file from under a running server.
//!
//! A plain `cp` of the database during writes lost acknowledged writes in 5 of 12 copies (issue
//! 11): the WAL holds what the main file does not have yet. `VACUUM INTO` writes a consistent,
//! compact copy from one read transaction while the server goes on serving.

use app::server::ServerError;
use app::server::db::{self, Db};
use sqlx::SqlitePool;
use std::path::{Path, PathBuf};

/// The file a running `portal serve` holds a lock on, beside the database (see [`ServeLock`]).
pub fn lock_file(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".serve-lock");
    PathBuf::from(name)
}

/// Held by `portal serve` for as long as it runs (an advisory lock the operating system drops
/// when the process ends, even by kill -9), so that `portal restore` can tell that a server has
/// the database open.
pub struct ServeLock {
    _file: std::fs::File,
}

impl ServeLock {
    /// Takes the lock, or says that another server holds it.
    pub fn take(database: &Path) -> Result<ServeLock, ServerError> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_file(database))?;
        match file.try_lock() {
            Ok(()) => Ok(ServeLock { _file: file }),
            Err(_) => Err(ServerError::Config(format!(
                "another portal is serving {} (it holds {})",
                database.display(),
                lock_file(database).display()
            ))),
        }
    }
}

/// What a checked copy holds: each table's rows, and how its migrations compare with this
/// binary's (an older copy is fine: `portal migrate` or `serve` brings it up to date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub tables: Vec<(String, i64)>,
    pub migrations: db::MigrationStatus,
}

/// Row counts of every table of the portal's schema (not SQLite's own), by name.
async fn row_counts(pool: &SqlitePool) -> Result<Vec<(String, i64)>, ServerError> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    let mut counts = Vec::with_capacity(tables.len());
    for table in tables {
        // The name comes from the schema itself; quoted as an identifier.
        let sql = format!("SELECT count(*) FROM \"{}\"", table.replace('"', "\"\""));
        let n: i64 = sqlx::query_scalar(&sql).fetch_one(pool).await?;
        counts.push((table, n));
    }
    Ok(counts)
}

/// Opens `file` read-only and checks it: SQLite's `integrity_check`, migrations this binary's
/// own or older ones (never newer or altered), and the row count of every table.
pub async fn verify(file: &Path) -> Result<Verified, ServerError> {
    if !std::fs::metadata(file).is_ok_and(|m| m.len() > 0) {
        return Err(ServerError::Config(format!(
            "{} is missing or empty",
            file.display()
        )));
    }
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .immutable(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    let problems = db::check_integrity(&pool, true).await?;
    if !problems.is_empty() {
        pool.close().await;
        return Err(ServerError::Config(format!(
            "{} fails SQLite's integrity check: {}",
            file.display(),
            problems.join("; ")
        )));
    }
    let migrations = db::migration_status(&pool).await?;
    if matches!(
        migrations,
        db::MigrationStatus::Newer { .. } | db::MigrationStatus::Altered { .. }
    ) {
        pool.close().await;
        return Err(ServerError::Config(format!(
            "{}: {}",
            file.display(),
            crate::describe_migrations(&migrations)
        )));
    }
    let tables = row_counts(&pool).await?;
    pool.close().await;
    Ok(Verified { tables, migrations })
}

/// Copies the database `db` is open on into `to` (which must not exist) while it is in use,
/// readable by the owner only, and checks the copy ([`verify`]). Every table of the copy has at
/// most the rows the database had right after (writes may land while the copy is made), and
/// the tables are the same.
pub async fn backup(db: &Db, to: &Path) -> Result<Verified, ServerError> {
    use std::os::unix::fs::OpenOptionsExt;
    // VACUUM INTO takes a missing or empty file; made here first, so that it is private.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(to)
        .map_err(|err| ServerError::Config(format!("cannot create {}: {err}", to.display())))?;
    let target = to.to_string_lossy().into_owned();
    // On a connection of its own: the read connections may not write files, and the writer
    // must not wait for the copy.
    let mut side = db.side_connection().await?;
    let copied = sqlx::query("VACUUM INTO ?1")
        .bind(&target)
        .execute(&mut side)
        .await;
    let _ = sqlx::Connection::close(side).await;
    if let Err(err) = copied {
        let _ = std::fs::remove_file(to);
        return Err(err.into());
    }
    let source = row_counts(db.read_pool()).await?;
    let copy = verify(to).await?;
    let same_tables = source
        .iter()
        .map(|(t, _)| t)
        .eq(copy.tables.iter().map(|(t, _)| t));
    let none_more = copy
        .tables
        .iter()
        .zip(&source)
        .all(|((_, copied), (_, now))| copied <= now);
    if !same_tables || !none_more {
        return Err(ServerError::Config(format!(
            "the copy in {} does not match the database (tables or row counts)",
            to.display()
        )));
    }
    Ok(copy)
}

/// Replaces the database file `database` by the backup `from`, after checking the backup
/// ([`verify`]); refuses while a server holds the database ([`ServeLock`]). The file it replaces
/// is kept beside it as `<name>.before-restore-<unix time>` (with its WAL folded in), never
/// deleted. Returns where the old file went, if there was one.
pub async fn restore(
    database: &Path,
    from: &Path,
    now_unix: i64,
) -> Result<(Verified, Option<PathBuf>), ServerError> {
    let _lock = ServeLock::take(database).map_err(|_| {
        ServerError::Config(format!(
            "a portal is serving {}: stop it before restoring",
            database.display()
        ))
    })?;
    let verified = verify(from).await?;
    let kept = if database.exists() {
        // Fold the old file's WAL into it first, so that the file kept aside is whole.
        let old = Db::connect_existing(&format!("sqlite://{}", database.display())).await?;
        let mut conn = old.side_connection().await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut conn)
            .await?;
        let _ = sqlx::Connection::close(conn).await;
        old.close().await;
        let mut aside = database.as_os_str().to_owned();
        aside.push(format!(".before-restore-{now_unix}"));
        let aside = PathBuf::from(aside);
        std::fs::rename(database, &aside)?;
        for suffix in ["-wal", "-shm"] {
            let mut side = database.as_os_str().to_owned();
            side.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(side));
        }
        Some(aside)
    } else {
        None
    };
    // Copy to a temporary name beside the target, then rename: the database appears whole or
    // not at all.
    let mut partial = database.as_os_str().to_owned();
    partial.push(".restoring");
    let partial = PathBuf::from(partial);
    std::fs::copy(from, &partial)?;
    std::fs::set_permissions(
        &partial,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )?;
    std::fs::File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, database)?;
    Ok((verified, kept))
}

/// Nightly backups are named `portal-<UTC time>.db`; only files of this form are ever pruned.
const NIGHTLY_PREFIX: &str = "portal-";
const NIGHTLY_SUFFIX: &str = ".db";

/// One nightly backup: a checked copy ([`backup`]) in `dir` (made 0700 if missing), named by
/// `now`, then the oldest nightly copies beyond the newest `keep` deleted. Returns the copy.
pub async fn nightly(
    db: &Db,
    dir: &Path,
    keep: usize,
    now: time::OffsetDateTime,
) -> Result<PathBuf, ServerError> {
    use std::os::unix::fs::DirBuilderExt;
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let stamp = now
        .format(time::macros::format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .map_err(|err| ServerError::Config(err.to_string()))?;
    let file = dir.join(format!("{NIGHTLY_PREFIX}{stamp}{NIGHTLY_SUFFIX}"));
    backup(db, &file).await?;
    let mut copies: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(NIGHTLY_PREFIX) && n.ends_with(NIGHTLY_SUFFIX))
        })
        .collect();
    // The names sort by time.
    copies.sort();
    let excess = copies.len().saturating_sub(keep.max(1));
    for old in &copies[..excess] {
        std::fs::remove_file(old)?;
    }
    Ok(file)
}

/// Inside `serve`: a nightly backup at 03:30 Oslo time (outside the hour daylight saving
/// skips or repeats), into `dir`, keeping `keep`. A failure is logged as an error and tried
/// again the next night.
pub fn spawn_nightly(db: Db, dir: PathBuf, keep: usize) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let now = time::OffsetDateTime::now_utc();
            let next = app::server::clock::next_oslo_time(now, 3, 30);
            let wait = (next - now).try_into().unwrap_or_default();
            tokio::time::sleep(wait).await;
            match nightly(&db, &dir, keep, time::OffsetDateTime::now_utc()).await {
                Ok(file) => {
                    tracing::info!(file = %file.display(), "nightly backup written and checked")
                }
                Err(err) => tracing::error!(error = %err, "nightly backup failed"),
            }
        }
    })
}
