//! SQLite set-up: connect with the pragmas this product relies on, check that they took, migrate.

use crate::server::ServerError;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection, Sqlite, SqlitePool, TransactionManager};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{OwnedMutexGuard, OwnedSemaphorePermit, Semaphore, watch};

/// The migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// How long a connection waits for a lock held by another process (a `portal` command run beside
/// the server) before giving up. Within the server, writers queue in [`Db::begin_write`] instead.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How many read connections the pool keeps at most.
const READERS: u32 = 8;

/// At most this many write transactions are committed together (one fsync for all of them).
const MAX_GROUP: usize = 64;

/// A member of a group whose commit has not come after this long commits the group itself (the
/// writer it waited for went away before taking its turn).
const GROUP_STALL: Duration = Duration::from_millis(50);

/// The database: a pool of read connections (`query_only`, so that no write can slip past the
/// writer) and one write connection that every write transaction goes through, in the order the
/// requests asked for it. Writers therefore wait in a fair queue in this process, never in
/// SQLite's busy handler, and transactions that finish while others wait are committed together
/// (group commit): one fsync for many, each caller answered only once its own rows are durable
/// (`synchronous=FULL`).
///
/// A write connection left in a state nobody knows (an error from `COMMIT`, from a rollback, or
/// after SQLite rolled a transaction back by itself, as it does on a full disk) is closed and a
/// new one opened for the next writer. Before every commit the database file is checked: when it
/// is gone, replaced, or no longer readable and writable, the group is rolled back and the
/// callers get [`ServerError::Unavailable`], so nothing is acknowledged that is not in the file.
#[derive(Clone)]
pub struct Db {
    read: SqlitePool,
    readers: Arc<Readers>,
    writer: Arc<Writer>,
    shared: Arc<SharedReads>,
}

/// Costly reads that many ask for at once ([`Db::shared_read`]): one runs at a time, and the
/// callers that arrive while one runs share the next one.
#[derive(Default)]
struct SharedReads {
    /// Per key, the round that has callers but has not started yet.
    pending: std::sync::Mutex<std::collections::HashMap<String, Arc<Round>>>,
    /// Held by the round that runs.
    running: tokio::sync::Mutex<()>,
}

/// One run of a shared read, and its result once it has one.
#[derive(Default)]
struct Round {
    value: std::sync::OnceLock<Arc<dyn std::any::Any + Send + Sync>>,
}

/// The read connections a request borrows ([`Db::acquire`], [`Db::begin_read`]). They are taken
/// from the pool once and then kept here: sqlx's pool tests a connection with a round trip to its
/// worker thread when it hands it out and again when it takes it back, which cost a page view more
/// thread switches than its own queries did. A connection comes back here as it is; a read
/// transaction left open is rolled back by its worker before the next command.
struct Readers {
    idle: std::sync::Mutex<Vec<PoolConnection<Sqlite>>>,
    permits: Arc<Semaphore>,
}

/// How much of the file a read connection maps into memory (address space, not memory: the
/// pages are the kernel's file cache, shared by every connection). Reads then take pages from the
/// mapping instead of copying them with a `read` call into each connection's own cache. Writes
/// do not use it.
const READ_MMAP_BYTES: u64 = 1 << 30;

/// How long a request waits for a read connection before it is refused (as the pool's own
/// acquire timeout did).
const READ_WAIT: Duration = Duration::from_secs(10);

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("file", &self.writer.file)
            .finish_non_exhaustive()
    }
}

struct Writer {
    /// How to open a new write connection (never creates the file).
    options: SqliteConnectOptions,
    /// The database file and its identity (device, inode) when it was opened; `None` in memory.
    file: Option<(PathBuf, (u64, u64))>,
    state: Arc<tokio::sync::Mutex<WriterState>>,
    /// Callers of [`Db::begin_write`] waiting for the write connection: while there are any, a
    /// finished transaction leaves the commit to the last of them.
    waiting: AtomicUsize,
    /// Write transactions committed, and the commits (fsyncs) that carried them.
    committed: AtomicU64,
    commits: AtomicU64,
}

/// How the writer has grouped its work since the database was opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteStats {
    /// Write transactions committed.
    pub transactions: u64,
    /// The commits (one fsync each) that carried them.
    pub commits: u64,
}

struct WriterState {
    /// `None` after an error left the connection in an unknown state: the next writer opens one.
    conn: Option<SqliteConnection>,
    /// The group whose outer transaction is open, with how many finished members it holds.
    group: Option<Group>,
}

struct Group {
    done: Arc<watch::Sender<Option<bool>>>,
    members: usize,
}

impl Db {
    /// Opens the database with WAL, `synchronous=FULL`, foreign keys on and a busy timeout;
    /// creates the file (and nothing else) if it is missing. Only the commands that set a portal
    /// up use this (see [`Db::connect_existing`] for the rest).
    pub async fn connect(url: &str) -> Result<Db, ServerError> {
        Self::connect_with(SqliteConnectOptions::from_str(url)?, true).await
    }

    /// Opens a database file that exists: a mistyped path is an error, never a new, empty
    /// database.
    pub async fn connect_existing(url: &str) -> Result<Db, ServerError> {
        Self::connect_with(SqliteConnectOptions::from_str(url)?, false).await
    }

    /// Opens the database with extra connection options (tests set SQLite's own size limit,
    /// `max_page_count`, to make the disk "full").
    pub async fn connect_with(
        options: SqliteConnectOptions,
        create: bool,
    ) -> Result<Db, ServerError> {
        configure_sqlite();
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let first = open(&options.clone().create_if_missing(create)).await?;
        let options = options.create_if_missing(false);
        // `sqlite::memory:` becomes a shared-cache URI of that name: no file to watch.
        let in_memory = options
            .get_filename()
            .to_str()
            .is_some_and(|name| name.starts_with("file:sqlx-in-memory-"));
        let file = if in_memory {
            None
        } else {
            let path = options.get_filename().to_path_buf();
            let meta = std::fs::metadata(&path)?;
            Some((path, (meta.dev(), meta.ino())))
        };
        let read = SqlitePoolOptions::new()
            .max_connections(READERS)
            .acquire_timeout(READ_WAIT)
            .after_connect(|conn, _| Box::pin(plan_once(conn)))
            .connect_with(
                options
                    .clone()
                    .pragma("query_only", "ON")
                    .pragma("mmap_size", READ_MMAP_BYTES.to_string()),
            )
            .await?;
        Ok(Db {
            read,
            readers: Arc::new(Readers {
                idle: std::sync::Mutex::new(Vec::new()),
                // One connection of the pool stays for `read_pool` (start-up checks, reports).
                permits: Arc::new(Semaphore::new(READERS as usize - 1)),
            }),
            shared: Arc::default(),
            writer: Arc::new(Writer {
                options,
                file,
                state: Arc::new(tokio::sync::Mutex::new(WriterState {
                    conn: Some(first),
                    group: None,
                })),
                waiting: AtomicUsize::new(0),
                committed: AtomicU64::new(0),
                commits: AtomicU64::new(0),
            }),
        })
    }

    /// The pool of read connections, for start-up checks and commands that never write. A
    /// request uses [`Db::acquire`] or [`Db::begin_read`].
    pub fn read_pool(&self) -> &SqlitePool {
        &self.read
    }

    /// A read connection, for one query or a few that need no common snapshot.
    pub async fn acquire(&self) -> Result<ReadConn, ServerError> {
        let permit = tokio::time::timeout(READ_WAIT, self.readers.permits.clone().acquire_owned())
            .await
            .map_err(|_| ServerError::Unavailable("no read connection free"))?
            .map_err(|_| ServerError::Unavailable("the database is closed"))?;
        let idle = self
            .readers
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop();
        let conn = match idle {
            Some(conn) => conn,
            None => self.read.acquire().await?,
        };
        Ok(ReadConn {
            conn: Some(conn),
            readers: self.readers.clone(),
            _permit: permit,
        })
    }

    /// A costly read that many callers may ask for at the same moment (the crisis center's plan
    /// list), shared: one such read runs at a time, and every caller that arrives while one runs
    /// joins the next run of its `key`, which starts after they all arrived, so each sees every
    /// write committed before it asked. Ten people opening the list at once cost about two runs
    /// instead of ten, and the list never takes more than one core from the writers. `compute`
    /// runs only when this caller's round has not been run by another caller; the callers of a
    /// round that failed each run it again.
    pub async fn shared_read<V, F, Fut>(
        &self,
        key: String,
        compute: F,
    ) -> Result<Arc<V>, ServerError>
    where
        V: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, ServerError>>,
    {
        let round = {
            let mut pending = self
                .shared
                .pending
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            pending.entry(key.clone()).or_default().clone()
        };
        let _turn = self.shared.running.lock().await;
        if let Some(value) = round.value.get()
            && let Ok(value) = value.clone().downcast::<V>()
        {
            return Ok(value);
        }
        // This round starts now: whoever asks from here on waits for the next one.
        {
            let mut pending = self
                .shared
                .pending
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if pending.get(&key).is_some_and(|r| Arc::ptr_eq(r, &round)) {
                pending.remove(&key);
            }
        }
        let value = Arc::new(compute().await?);
        let _ = round.value.set(value.clone());
        Ok(value)
    }

    /// Starts a read transaction (`BEGIN`, deferred) on a read connection: a consistent snapshot
    /// that never takes the write lock, so readers neither wait for writers nor hold them up.
    pub async fn begin_read(&self) -> Result<ReadTx, ServerError> {
        let mut conn = self.acquire().await?;
        sqlx::sqlite::SqliteTransactionManager::begin(&mut conn, None).await?;
        Ok(ReadTx { conn, open: true })
    }

    /// Starts a write transaction on the write connection, after the writers that asked before.
    /// It holds the write lock from its first statement (it runs inside the group's
    /// `BEGIN IMMEDIATE`), so a transaction that reads before it writes sees no other writer's
    /// changes appear half-way. Refused while the database file is not the one opened.
    ///
    /// Every other writer waits while it is held: hold it for the transaction's own statements
    /// only. Never await another `begin_write` (that waits for itself), a password hash or the
    /// network while holding one; read first, on a read connection, then write.
    pub async fn begin_write(&self) -> Result<WriteTx, ServerError> {
        self.begin_write_with(true).await
    }

    /// A write of one statement, in turn like [`Db::begin_write`] but without a savepoint of
    /// its own: a single statement is atomic by itself (SQLite undoes a statement that fails and
    /// keeps the transaction), so the savepoint would cost two round trips to the connection's
    /// thread for nothing. For the access-log row of a read. Run exactly one statement on it.
    /// Unlike [`Db::begin_write`], a statement that ran stands if the caller goes away before
    /// [`WriteTx::commit`]: it is committed with its group (the read it logs did happen).
    pub async fn begin_write_statement(&self) -> Result<WriteTx, ServerError> {
        self.begin_write_with(false).await
    }

    async fn begin_write_with(&self, savepoint: bool) -> Result<WriteTx, ServerError> {
        if let Some(problem) = self.file_problem() {
            return Err(ServerError::Unavailable(problem));
        }
        let mut state = {
            let _waiting = Waiting::enter(&self.writer.waiting);
            self.writer.state.clone().lock_owned().await
        };
        let conn = match state.conn.take() {
            Some(conn) => conn,
            None => open(&self.writer.options).await?,
        };
        state.conn = Some(conn);
        if state.group.is_none() {
            if let Err(err) = execute(&mut state, "BEGIN IMMEDIATE").await {
                discard_connection(&mut state).await;
                return Err(err);
            }
            state.group = Some(Group {
                done: Arc::new(watch::channel(None).0),
                members: 0,
            });
        }
        if savepoint && let Err(err) = execute(&mut state, "SAVEPOINT portal_write").await {
            fail_group(&mut state).await;
            return Err(err);
        }
        Ok(WriteTx {
            state: Some(state),
            writer: self.writer.clone(),
            savepoint,
        })
    }

    /// Applies the pending migrations on the write connection; a no-op when the database is
    /// current.
    pub async fn migrate(&self) -> Result<(), ServerError> {
        let mut state = self.writer.state.lock().await;
        if state.conn.is_none() {
            state.conn = Some(open(&self.writer.options).await?);
        }
        let conn = state.conn.as_mut().expect("opened above");
        MIGRATOR.run(conn).await?;
        Ok(())
    }

    /// A connection of its own, outside the read pool and the writer (for `VACUUM INTO`, which
    /// writes a new file and would hold the write connection for the whole copy).
    pub async fn side_connection(&self) -> Result<SqliteConnection, ServerError> {
        Ok(open(&self.writer.options).await?)
    }

    /// How many write transactions were committed, in how many commits.
    pub fn write_stats(&self) -> WriteStats {
        WriteStats {
            transactions: self.writer.committed.load(Ordering::Relaxed),
            commits: self.writer.commits.load(Ordering::Relaxed),
        }
    }

    /// The database file, unless the database is in memory.
    pub fn file(&self) -> Option<&Path> {
        self.writer.file.as_ref().map(|(path, _)| path.as_path())
    }

    /// Why the database file cannot take writes now, or `None` when it can. Open connections keep
    /// working on a file that was removed, replaced or made unreadable, so the file itself is
    /// checked: it must still be the file opened, readable and writable by its owner (the portal).
    pub fn file_problem(&self) -> Option<&'static str> {
        self.writer.file_problem()
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.readers.permits.close();
        let idle: Vec<_> = std::mem::take(
            &mut *self
                .readers
                .idle
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        drop(idle);
        self.read.close().await;
        let mut state = self.writer.state.lock().await;
        if let Some(conn) = state.conn.take() {
            let _ = conn.close().await;
        }
    }
}

impl Writer {
    fn file_problem(&self) -> Option<&'static str> {
        let (path, identity) = self.file.as_ref()?;
        match std::fs::metadata(path) {
            Err(_) => Some("database file missing"),
            Ok(meta) if (meta.dev(), meta.ino()) != *identity => Some("database file replaced"),
            Ok(meta) if meta.mode() & 0o600 != 0o600 => {
                Some("database file not readable and writable")
            }
            Ok(_) => None,
        }
    }

    /// Commits the open group and tells its members how it went.
    async fn commit_group(&self, state: &mut WriterState) -> Result<(), ServerError> {
        let Some(group) = state.group.take() else {
            return Ok(());
        };
        if let Some(problem) = self.file_problem() {
            // Not into a file that is no longer the database: roll back, and drop the connection
            // (it holds the old file open).
            discard_connection(state).await;
            group.done.send_replace(Some(false));
            return Err(ServerError::Unavailable(problem));
        }
        match execute(state, "COMMIT").await {
            Ok(()) => {
                self.commits.fetch_add(1, Ordering::Relaxed);
                self.committed
                    .fetch_add(group.members as u64, Ordering::Relaxed);
                group.done.send_replace(Some(true));
                Ok(())
            }
            Err(err) => {
                discard_connection(state).await;
                group.done.send_replace(Some(false));
                Err(err)
            }
        }
    }

    /// Leaves the open group to the writers waiting, or commits it when none is.
    async fn finish_turn(
        &self,
        mut state: OwnedMutexGuard<WriterState>,
        done: Arc<watch::Sender<Option<bool>>>,
    ) -> Result<(), ServerError> {
        let members = state.group.as_ref().map_or(0, |g| g.members);
        if self.waiting.load(Ordering::Acquire) > 0 && members < MAX_GROUP {
            drop(state);
            self.await_group(done).await
        } else {
            self.commit_group(&mut state).await
        }
    }

    /// Waits for the group's commit; commits it if it stalls (a writer left in the queue gave up).
    async fn await_group(&self, done: Arc<watch::Sender<Option<bool>>>) -> Result<(), ServerError> {
        let mut outcome = done.subscribe();
        loop {
            tokio::select! {
                seen = committed(&mut outcome) => {
                    return match seen {
                        Some(true) => Ok(()),
                        _ => Err(ServerError::Unavailable("the write was not committed")),
                    };
                }
                () = tokio::time::sleep(GROUP_STALL) => {
                    let mut state = self.state.lock().await;
                    if state.group.as_ref().is_some_and(|g| Arc::ptr_eq(&g.done, &done)) {
                        return self.commit_group(&mut state).await;
                    }
                }
            }
        }
    }

    /// Rolls back the savepoint of a write transaction that was dropped without a commit, then
    /// finishes its turn. A statement without a savepoint stands and counts as committed.
    async fn abandon(&self, mut state: OwnedMutexGuard<WriterState>, savepoint: bool) {
        if !savepoint {
            let Some(group) = state.group.as_mut() else {
                return;
            };
            group.members += 1;
            let done = group.done.clone();
            if let Err(err) = self.finish_turn(state, done).await {
                tracing::warn!(error = %err, "a group commit failed");
            }
            return;
        }
        if let Err(err) = execute(&mut state, "ROLLBACK TO portal_write").await {
            tracing::warn!(error = %err, "write connection replaced after a failed rollback");
            fail_group(&mut state).await;
            return;
        }
        if let Err(err) = execute(&mut state, "RELEASE portal_write").await {
            tracing::warn!(error = %err, "write connection replaced after a failed release");
            fail_group(&mut state).await;
            return;
        }
        let Some(group) = state.group.as_ref() else {
            return;
        };
        if group.members == 0 && self.waiting.load(Ordering::Acquire) == 0 {
            // Nothing of anyone's in it: end the transaction, so the write lock is not held.
            if execute(&mut state, "ROLLBACK").await.is_err() {
                discard_connection(&mut state).await;
            }
            if let Some(group) = state.group.take() {
                group.done.send_replace(Some(false));
            }
            return;
        }
        let done = group.done.clone();
        if let Err(err) = self.finish_turn(state, done).await {
            tracing::warn!(error = %err, "a group commit failed");
        }
    }
}

/// How the group ended (`None`: it will never be told, its sender is gone).
/// Opens a connection outside the read pool (the writer's, a side connection).
async fn open(options: &SqliteConnectOptions) -> Result<SqliteConnection, sqlx::Error> {
    let mut conn = options.connect().await?;
    plan_once(&mut conn).await?;
    Ok(conn)
}

/// Makes a connection plan each statement once, when it is prepared, from the schema and the
/// statistics (SQLite's "query planner stability guarantee"). Without it, the SQLite that sqlx
/// bundles (built with STAT4) prepares a statement again before every run whose bound values
/// differ from the last, as soon as `ANALYZE` has kept statistics: under load that was a tenth
/// of the inbox page's CPU, spent parsing the same SQL again.
async fn plan_once(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    use libsqlite3_sys::{SQLITE_DBCONFIG_ENABLE_QPSG, SQLITE_OK, sqlite3_db_config};
    let mut handle = conn.lock_handle().await?;
    let mut now: std::ffi::c_int = -1;
    // SAFETY: the handle is locked (sqlx's worker does not use the connection meanwhile) and
    // open; SQLITE_DBCONFIG_ENABLE_QPSG takes an int and a pointer to an int, as passed.
    let rc = unsafe {
        sqlite3_db_config(
            handle.as_raw_handle().as_ptr(),
            SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as std::ffi::c_int,
            &mut now as *mut std::ffi::c_int,
        )
    };
    if rc != SQLITE_OK || now != 1 {
        return Err(sqlx::Error::Configuration(
            format!("the query planner setting did not take (code {rc})").into(),
        ));
    }
    Ok(())
}

/// SQLite's process-wide settings, once, before the first connection is opened:
/// - no memory statistics (`SQLITE_CONFIG_MEMSTATUS`), which the portal never reads and which
///   take one global mutex around every allocation SQLite makes, on every connection's thread;
/// - SQLite's memory from mimalloc ([`ON_MIMALLOC`]), as the server's own, instead of glibc's
///   allocator, whose arenas SQLite's threads locked and consolidated (about a twentieth of the
///   inbox page's CPU).
///
/// When SQLite was already started in this process (a test opened a database first), it keeps
/// its settings.
fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use libsqlite3_sys::{
            SQLITE_CONFIG_MALLOC, SQLITE_CONFIG_MEMSTATUS, SQLITE_OK, sqlite3_config,
        };
        // SAFETY: SQLITE_CONFIG_MEMSTATUS takes one int, SQLITE_CONFIG_MALLOC a pointer to a
        // sqlite3_mem_methods (SQLite copies it); sqlite3_config only refuses (MISUSE) when
        // SQLite is already initialised, which leaves everything as it was.
        let rc = unsafe {
            let memstatus = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int);
            let malloc = sqlite3_config(
                SQLITE_CONFIG_MALLOC,
                &ON_MIMALLOC.0 as *const libsqlite3_sys::sqlite3_mem_methods,
            );
            if memstatus != SQLITE_OK {
                memstatus
            } else {
                malloc
            }
        };
        if rc != SQLITE_OK {
            tracing::debug!(
                code = rc,
                "SQLite was already started: it keeps its settings"
            );
        }
    });
}

/// Whether SQLite runs with [`configure_sqlite`]'s settings: a block SQLite allocates is
/// mimalloc's, and SQLite keeps no memory statistics (it reports none in use).
pub fn sqlite_configured() -> bool {
    // SAFETY: sqlite3_malloc and sqlite3_free pair up; mi_is_in_heap_region takes any pointer.
    unsafe {
        let block = libsqlite3_sys::sqlite3_malloc(64);
        if block.is_null() {
            return false;
        }
        let mimalloc = libmimalloc_sys::mi_is_in_heap_region(block.cast());
        let counted = libsqlite3_sys::sqlite3_memory_used();
        libsqlite3_sys::sqlite3_free(block);
        mimalloc && counted == 0
    }
}

/// SQLite's allocator calls on mimalloc. mimalloc's blocks are aligned to at least 8 bytes, as
/// SQLite needs, and know their usable size (`xSize` may answer more than was asked for).
static ON_MIMALLOC: MemMethods = {
    use libmimalloc_sys as mi;
    use std::ffi::{c_int, c_void};
    unsafe extern "C" fn x_malloc(n: c_int) -> *mut c_void {
        // SAFETY: mi_malloc takes any size; SQLite never asks for a negative one.
        unsafe { mi::mi_malloc(usize::try_from(n).unwrap_or(0)) }
    }
    unsafe extern "C" fn x_free(p: *mut c_void) {
        // SAFETY: SQLite frees only what x_malloc or x_realloc gave it (or null).
        unsafe { mi::mi_free(p) }
    }
    unsafe extern "C" fn x_realloc(p: *mut c_void, n: c_int) -> *mut c_void {
        // SAFETY: as for x_free; mi_realloc keeps the contents up to the smaller size.
        unsafe { mi::mi_realloc(p, usize::try_from(n).unwrap_or(0)) }
    }
    unsafe extern "C" fn x_size(p: *mut c_void) -> c_int {
        // SAFETY: `p` is a live block of mimalloc's (or null, which answers 0).
        let size = unsafe { mi::mi_usable_size(p) };
        c_int::try_from(size).unwrap_or(c_int::MAX)
    }
    unsafe extern "C" fn x_roundup(n: c_int) -> c_int {
        // SAFETY: a pure function of the size.
        let good = unsafe { mi::mi_good_size(usize::try_from(n).unwrap_or(0)) };
        c_int::try_from(good).unwrap_or(n)
    }
    unsafe extern "C" fn x_init(_: *mut c_void) -> c_int {
        libsqlite3_sys::SQLITE_OK
    }
    unsafe extern "C" fn x_shutdown(_: *mut c_void) {}
    MemMethods(libsqlite3_sys::sqlite3_mem_methods {
        xMalloc: Some(x_malloc),
        xFree: Some(x_free),
        xRealloc: Some(x_realloc),
        xSize: Some(x_size),
        xRoundup: Some(x_roundup),
        xInit: Some(x_init),
        xShutdown: Some(x_shutdown),
        pAppData: std::ptr::null_mut(),
    })
};

/// [`ON_MIMALLOC`]'s table: functions and a null pointer, never written, so it can be shared.
struct MemMethods(libsqlite3_sys::sqlite3_mem_methods);

// SAFETY: the table is immutable and its only pointer (`pAppData`) is null.
unsafe impl Sync for MemMethods {}

async fn committed(outcome: &mut watch::Receiver<Option<bool>>) -> Option<bool> {
    match outcome.wait_for(Option::is_some).await {
        Ok(seen) => *seen,
        Err(_) => None,
    }
}

/// Counts a caller waiting for the write connection, also when it gives up while waiting.
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn enter(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::AcqRel);
        Waiting(count)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

async fn execute(state: &mut WriterState, sql: &'static str) -> Result<(), ServerError> {
    let conn = state
        .conn
        .as_mut()
        .ok_or(ServerError::Unavailable("no write connection"))?;
    sqlx::query(sql).execute(conn).await?;
    Ok(())
}

/// Closes the write connection (SQLite rolls back what it had open); the next writer opens a new
/// one. The open group, if any, failed.
async fn discard_connection(state: &mut WriterState) {
    if let Some(conn) = state.conn.take() {
        let _ = conn.close().await;
    }
}

/// The group cannot commit: its members are told, and the connection is replaced.
async fn fail_group(state: &mut WriterState) {
    discard_connection(state).await;
    if let Some(group) = state.group.take() {
        group.done.send_replace(Some(false));
    }
}

/// A write transaction: the write connection, in turn, inside a savepoint of the open group.
/// Use it where a `&mut SqliteConnection` is wanted; [`WriteTx::commit`] answers once its rows are
/// durable. Dropped without a commit, its changes are rolled back (and nobody else's).
pub struct WriteTx {
    state: Option<OwnedMutexGuard<WriterState>>,
    writer: Arc<Writer>,
    /// Inside a savepoint of its own ([`Db::begin_write`]), or one statement without
    /// ([`Db::begin_write_statement`]).
    savepoint: bool,
}

impl WriteTx {
    /// Ends this transaction and returns once it is committed to the file, alone or with the
    /// transactions that finished while it ran.
    pub async fn commit(mut self) -> Result<(), ServerError> {
        let mut state = self
            .state
            .take()
            .expect("a write transaction holds the writer");
        if self.savepoint
            && let Err(err) = execute(&mut state, "RELEASE portal_write").await
        {
            fail_group(&mut state).await;
            return Err(err);
        }
        let Some(group) = state.group.as_mut() else {
            return Err(ServerError::Unavailable("the write was not committed"));
        };
        group.members += 1;
        let done = group.done.clone();
        self.writer.finish_turn(state, done).await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        self.state
            .as_ref()
            .and_then(|s| s.conn.as_ref())
            .expect("a write transaction holds the writer")
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.state
            .as_mut()
            .and_then(|s| s.conn.as_mut())
            .expect("a write transaction holds the writer")
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        let Some(mut state) = self.state.take() else {
            return;
        };
        match tokio::runtime::Handle::try_current() {
            // The rollback is async: it runs on its own task, which keeps the writer until done.
            Ok(runtime) => {
                let writer = self.writer.clone();
                let savepoint = self.savepoint;
                runtime.spawn(async move { writer.abandon(state, savepoint).await });
            }
            // No runtime to run it on: dropping the connection rolls the group back.
            Err(_) => {
                state.conn = None;
                if let Some(group) = state.group.take() {
                    group.done.send_replace(Some(false));
                }
            }
        }
    }
}

/// A read connection borrowed by a request ([`Db::acquire`]); it goes back when dropped. Use it
/// where a `&mut SqliteConnection` is wanted.
pub struct ReadConn {
    conn: Option<PoolConnection<Sqlite>>,
    readers: Arc<Readers>,
    _permit: OwnedSemaphorePermit,
}

impl std::ops::Deref for ReadConn {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        self.conn.as_ref().expect("held until dropped")
    }
}

impl std::ops::DerefMut for ReadConn {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.conn.as_mut().expect("held until dropped")
    }
}

impl Drop for ReadConn {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        // A transaction someone began on it and left (a request that went away): its worker
        // rolls it back before it runs the next borrower's first statement.
        if sqlx::sqlite::SqliteTransactionManager::get_transaction_depth(&conn) > 0 {
            sqlx::sqlite::SqliteTransactionManager::start_rollback(&mut conn);
        }
        if self.readers.permits.is_closed() {
            return;
        }
        self.readers
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(conn);
    }
}

/// A read transaction ([`Db::begin_read`]): one snapshot for all its queries. Dropped without
/// [`ReadTx::commit`], it is rolled back.
pub struct ReadTx {
    conn: ReadConn,
    open: bool,
}

impl ReadTx {
    /// Ends the snapshot.
    pub async fn commit(mut self) -> Result<(), ServerError> {
        sqlx::sqlite::SqliteTransactionManager::commit(&mut self.conn).await?;
        self.open = false;
        Ok(())
    }
}

impl std::ops::Deref for ReadTx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for ReadTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.conn
    }
}

impl Drop for ReadTx {
    fn drop(&mut self) {
        if self.open {
            sqlx::sqlite::SqliteTransactionManager::start_rollback(&mut self.conn);
        }
    }
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

/// The health check's probe: a read on a read connection, then a tiny write (the time of the
/// probe, in its own row) committed through the writer like every other write, so that a full
/// disk, a file that is gone or replaced, or a broken write connection shows.
pub async fn probe(db: &Db, unix_time: i64) -> Result<(), ServerError> {
    let _: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(db.read_pool())
        .await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE health_probe SET probed_at = ?1 WHERE id = 1")
        .bind(unix_time)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many times SQLite prepared the connection's cached statements again (its own count,
    /// `SQLITE_STMTSTATUS_REPREPARE`, summed over every statement the connection holds).
    async fn repreparations(conn: &mut SqliteConnection) -> i64 {
        use libsqlite3_sys::{SQLITE_STMTSTATUS_REPREPARE, sqlite3_next_stmt, sqlite3_stmt_status};
        let mut handle = conn.lock_handle().await.unwrap();
        let db = handle.as_raw_handle().as_ptr();
        let mut total = 0;
        // SAFETY: the handle is locked and open; the statements it lists stay alive while it is.
        unsafe {
            let mut stmt = sqlite3_next_stmt(db, std::ptr::null_mut());
            while !stmt.is_null() {
                total += i64::from(sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_REPREPARE, 0));
                stmt = sqlite3_next_stmt(db, stmt);
            }
        }
        total
    }

    const COUNT: &str = "SELECT count(*) FROM item WHERE kind = ?1 AND at >= ?2";

    #[tokio::test]
    async fn a_statement_is_planned_once_and_not_again_for_each_new_value_bound_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("plans.db").display());
        let db = Db::connect(&url).await.unwrap();
        // Skewed values and statistics with samples (STAT4): what makes SQLite plan again for
        // each new value unless told not to.
        let mut tx = db.begin_write().await.unwrap();
        sqlx::raw_sql(
            "CREATE TABLE item (id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, at INTEGER NOT NULL);
             CREATE INDEX item_by_kind ON item (kind, at);
             CREATE INDEX item_by_at ON item (at);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
             INSERT INTO item (kind, at) SELECT CASE WHEN i % 50 = 0 THEN i % 7 ELSE 0 END, i FROM n;
             ANALYZE;",
        )
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let mut read = db.acquire().await.unwrap();
        let mut writer = db.begin_write().await.unwrap();
        // What each connection had prepared again before (the writer's own statements, once,
        // after the schema changed under them) is not counted.
        let before = [
            repreparations(&mut read).await,
            repreparations(&mut writer).await,
        ];
        for i in 0..20_i64 {
            for conn in [&mut *read, &mut *writer] {
                let n: i64 = sqlx::query_scalar(COUNT)
                    .bind(i % 7)
                    .bind(i * 200)
                    .fetch_one(&mut *conn)
                    .await
                    .unwrap();
                assert!(n >= 0);
            }
        }
        assert_eq!(
            repreparations(&mut read).await - before[0],
            0,
            "a read connection"
        );
        assert_eq!(
            repreparations(&mut writer).await - before[1],
            0,
            "the write connection"
        );
        writer.commit().await.unwrap();
        let mut side = db.side_connection().await.unwrap();
        for i in 0..5_i64 {
            let _: i64 = sqlx::query_scalar(COUNT)
                .bind(i)
                .bind(i)
                .fetch_one(&mut side)
                .await
                .unwrap();
        }
        assert_eq!(repreparations(&mut side).await, 0, "a side connection");
    }
}
