//! The `portal` binary's library: configuration, start-up and the router, so that integration
//! tests boot exactly what production runs.

pub mod assets;
pub mod auth;
pub mod backup;
pub mod config;
pub mod deadlines;
pub mod documents;
pub mod export;
pub mod health;
pub mod import;
pub mod imports;
pub mod insight;
pub mod kept;
pub mod outbox;
pub mod sessions;
pub mod stats;
pub mod web;

use app::server::db::Db;
use app::server::{AppState, db};
use config::Config;
use leptos::config::LeptosOptions;

/// Opens the database, refuses to go on if the pragmas did not take, and migrates. The file (and
/// the folder the portal makes for it) is readable by its owner only: a new file is created
/// with mode 0600 (SQLite gives its WAL and shared-memory files the database file's mode), and
/// an existing one is brought to 0600.
///
/// For the commands that set a portal up (`serve`, `migrate`, `seed-demo`, `create-admin`): a
/// missing file is created, but an existing empty file is refused (SQLite would take it for a new
/// database, and the portal would serve with no data where data was expected).
pub async fn open_database(config: &Config) -> Result<Db, app::server::ServerError> {
    if let Some(file) = config.database_file() {
        if std::fs::metadata(&file).is_ok_and(|m| m.len() == 0) {
            return Err(app::server::ServerError::Config(format!(
                "{} is an empty file, not a portal database: restore a backup, or delete the file to start a new portal",
                file.display()
            )));
        }
        private_database_file(&file)?;
    }
    let db = Db::connect(&config.database_url).await?;
    db::ensure_safe_pragmas(db.read_pool()).await?;
    db.migrate().await?;
    Ok(db)
}

/// Opens a database that must exist and be current, for the commands that only read or report
/// (`deadlines`): a missing or empty file, or one whose migrations differ from this binary's, is
/// an error that says which. Never creates a file and never migrates (a report must not upgrade
/// the schema under a running server of the older version).
pub async fn open_existing(config: &Config) -> Result<Db, app::server::ServerError> {
    let db = open_file(config).await?;
    match db::migration_status(db.read_pool()).await? {
        db::MigrationStatus::Current => Ok(db),
        other => Err(app::server::ServerError::Config(describe_migrations(
            &other,
        ))),
    }
}

/// Opens a database file that exists and is not empty, with the portal's pragmas, whatever its
/// migrations (`portal backup` copies an older one before an upgrade). Creates nothing.
pub async fn open_file(config: &Config) -> Result<Db, app::server::ServerError> {
    use app::server::ServerError;
    if let Some(file) = config.database_file() {
        match std::fs::metadata(&file) {
            Err(_) => {
                return Err(ServerError::Config(format!(
                    "there is no database at {} (check PORTAL_DATABASE_URL)",
                    file.display()
                )));
            }
            Ok(m) if m.len() == 0 => {
                return Err(ServerError::Config(format!(
                    "{} is an empty file, not a portal database",
                    file.display()
                )));
            }
            Ok(_) => {}
        }
    }
    let db = Db::connect_existing(&config.database_url).await?;
    db::ensure_safe_pragmas(db.read_pool()).await?;
    Ok(db)
}

/// The migration status in words, for operators.
pub fn describe_migrations(status: &db::MigrationStatus) -> String {
    let list = |v: &[i64]| {
        v.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match status {
        db::MigrationStatus::Current => "the database's migrations are this binary's".to_owned(),
        db::MigrationStatus::Older { pending } => format!(
            "the database is older than this binary: migrations {} are not applied (run `portal migrate`)",
            list(pending)
        ),
        db::MigrationStatus::Newer { unknown } => format!(
            "the database is newer than this binary: it has migrations {} that this binary does not know (use the newer portal)",
            list(unknown)
        ),
        db::MigrationStatus::Altered { versions } => format!(
            "the database's migrations {} differ from this binary's or did not complete",
            list(versions)
        ),
    }
}

/// `portal check`: the pragmas, SQLite's check of the file (`quick_check`, or `integrity_check`
/// with `full`) and the migrations, as `key=value` lines, and whether all is well. Opens only an
/// existing file.
pub async fn check(
    config: &Config,
    full: bool,
) -> Result<(Vec<String>, bool), app::server::ServerError> {
    if let Some(file) = config.database_file()
        && !std::fs::metadata(&file).is_ok_and(|m| m.len() > 0)
    {
        return Err(app::server::ServerError::Config(format!(
            "there is no database at {} (a missing or empty file; check PORTAL_DATABASE_URL)",
            file.display()
        )));
    }
    let db = Db::connect_existing(&config.database_url).await?;
    let pool = db.read_pool();
    let report = db::pragmas(pool).await?;
    let mut lines = vec![
        format!("sqlite_version={}", report.sqlite_version),
        format!("journal_mode={}", report.journal_mode),
        format!("synchronous={}", report.synchronous),
        format!("foreign_keys={}", report.foreign_keys),
        format!("busy_timeout={}", report.busy_timeout_ms),
    ];
    let problems = db::check_integrity(pool, full).await?;
    let check_name = if full {
        "integrity_check"
    } else {
        "quick_check"
    };
    lines.push(if problems.is_empty() {
        format!("{check_name}=ok")
    } else {
        format!("{check_name}=FAILED: {}", problems.join("; "))
    });
    let migrations = db::migration_status(pool).await?;
    lines.push(format!(
        "migrations={}",
        match &migrations {
            db::MigrationStatus::Current => "current".to_owned(),
            other => format!("FAILED: {}", describe_migrations(other)),
        }
    ));
    for (key, value) in config.describe() {
        lines.push(format!("{key}={value}"));
    }
    let mail_ok = match config.mailer() {
        Ok(mailer) => {
            lines.push(format!("mail_transport={}", mailer.describe()));
            true
        }
        Err(err) => {
            lines.push(format!("mail_transport=FAILED: {err}"));
            false
        }
    };
    db.close().await;
    let ok = report.is_safe()
        && problems.is_empty()
        && migrations == db::MigrationStatus::Current
        && mail_ok;
    Ok((lines, ok))
}

/// Creates the database file (and its folder, 0700) readable by the owner only, or narrows the
/// mode of an existing file and its WAL and shared-memory files to 0600.
fn private_database_file(file: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    if let Some(dir) = file.parent()
        && !dir.as_os_str().is_empty()
        && !dir.exists()
    {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(file)
    {
        Ok(_) => {}
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(err) => return Err(err),
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut path = file.as_os_str().to_owned();
        path.push(suffix);
        let path = std::path::PathBuf::from(path);
        if path.exists() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

/// `portal create-admin`: an administrator with the given password (checked and hashed), logged
/// in the access log as created from the operator's command line.
pub async fn create_admin(
    db: &Db,
    email: &str,
    name: &str,
    password: String,
) -> Result<app::domain::UserId, app::server::ServerError> {
    use app::domain::{EmailAddress, Role};
    use app::server::service::accounts::{CreateUser, create_user};
    let email = EmailAddress::parse(email).map_err(app::server::ServerError::invalid("email"))?;
    let input = CreateUser {
        email,
        name: name.to_owned(),
        role: Role::Admin,
        unit: None,
        manages: None,
        password,
        must_change_password: false,
    };
    create_user(
        db,
        time::OffsetDateTime::now_utc(),
        None,
        input,
        "portal create-admin",
    )
    .await
}

/// Leptos' options for this configuration. Built here rather than read from cargo-leptos'
/// environment, so that the binary runs the same on its own as under `cargo leptos`.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    leptos_options_with(config, None)
}

/// Leptos' options, linking the fingerprinted file names when `hash_file` holds them
/// ([`assets::Assets::fingerprint`]).
fn leptos_options_with(config: &Config, hash_file: Option<&std::path::Path>) -> LeptosOptions {
    let builder = LeptosOptions::builder()
        .output_name("portal")
        .site_root(config.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(config.addr);
    match hash_file {
        // Leptos looks for it beside the executable unless the path is absolute.
        Some(file) => builder
            .hash_files(true)
            .hash_file(std::sync::Arc::<str>::from(
                std::path::absolute(file)
                    .unwrap_or_else(|_| file.to_path_buf())
                    .to_string_lossy()
                    .as_ref(),
            ))
            .build(),
        None => builder.build(),
    }
}

/// The portal's clock: the system's, or with `PORTAL_TEST_CLOCK` one that `POST /test/klokke`
/// sets. Made once per process and shared by the router and the sender.
pub fn clock(config: &Config) -> app::server::Clock {
    if config.test_clock {
        tracing::warn!("PORTAL_TEST_CLOCK is on: POST /test/klokke sets the portal's clock");
        app::server::Clock::manual(time::OffsetDateTime::now_utc())
    } else {
        app::server::Clock::system()
    }
}

/// The full router for a database and configuration, on [`clock`].
pub async fn build_router(
    db: Db,
    config: &Config,
) -> Result<axum::Router, app::server::ServerError> {
    build_router_with_clock(db, config, clock(config)).await
}

/// The full router with a given clock (tests pass a manual one).
pub async fn build_router_with_clock(
    db: Db,
    config: &Config,
    clock: app::server::Clock,
) -> Result<axum::Router, app::server::ServerError> {
    let health = health::Health::new(db.clone(), clock.clone());
    let sessions = auth::session_layer(auth::session_store(db.clone()), config.secure_cookies);
    let hash_file = assets::hash_file(&config.site_root);
    let (assets, leptos_options) = match assets::Assets::fingerprint(&config.site_root, &hash_file)
    {
        Some(assets) => (assets, leptos_options_with(config, Some(&hash_file))),
        None => (
            assets::Assets::plain(&config.site_root),
            leptos_options(config),
        ),
    };
    let state = AppState {
        db,
        leptos_options,
        clock,
        settings: app::server::Settings {
            require_second_factor: config.require_second_factor,
            due_soon_days: config.due_soon_days,
            ready_flag_days: config.ready_flag_days,
            secure_cookies: config.secure_cookies,
        },
        base_url: config.base_url().trim_end_matches('/').into(),
    };
    let limiter = auth::sign_in_limiter(config.sign_in_burst);
    let policy = web::HttpPolicy {
        hosts: std::sync::Arc::new(
            config
                .allowed_hosts()
                .map_err(app::server::ServerError::Config)?,
        ),
        hsts: config.hsts(),
        trusted_proxies: auth::TrustedProxies(std::sync::Arc::new(config.trusted_proxies.clone())),
    };
    Ok(web::router(
        state,
        health,
        sessions,
        limiter,
        config.test_clock,
        policy,
        assets,
    ))
}

/// Turns Nagle's algorithm off on an accepted connection: without it, a response written in two
/// parts on a keep-alive connection waits about 40 ms for the client's delayed ACK, and every
/// page's CSS, JS and wasm with it.
fn set_no_delay(stream: &mut tokio::net::TcpStream) {
    if let Err(err) = stream.set_nodelay(true) {
        tracing::warn!(error = %err, "TCP_NODELAY not set on a connection");
    }
}

/// Limits of the HTTP connections `serve_until` accepts.
#[derive(Clone, Copy, Debug)]
pub struct ServeLimits {
    /// A client must send a request's headers within this time, or the connection is closed (a
    /// slow client must not hold a connection open).
    pub header_read: std::time::Duration,
    /// After the stop signal, requests in flight get this long; then the remaining connections
    /// are closed (a client that sent half its headers must not keep the process from stopping).
    pub shutdown: std::time::Duration,
}

impl ServeLimits {
    /// The header-read timeout in production.
    pub const HEADER_READ: std::time::Duration = std::time::Duration::from_secs(10);
}

/// Serves `app` on `listener` until `stop` resolves; then stops accepting, lets requests in
/// flight finish, and closes what is still open after `limits.shutdown`. Each connection gets
/// `TCP_NODELAY`, the client's address (`ConnectInfo`) and a header-read timeout. Written on
/// hyper's own server builder, because `axum::serve` does not offer the header-read timeout.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
    limits: ServeLimits,
) -> std::io::Result<()> {
    use axum::extract::ConnectInfo;
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use tower::ServiceExt;
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(stop);
    loop {
        let (mut stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        set_no_delay(&mut stream);
        let service = app.clone().map_request(
            move |mut req: axum::extract::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(addr));
                req
            },
        );
        let service = hyper_util::service::TowerToHyperService::new(service);
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown) => {
            tracing::warn!(
                seconds = limits.shutdown.as_secs(),
                "connections still open at the shutdown deadline were closed"
            );
        }
    }
    Ok(())
}
