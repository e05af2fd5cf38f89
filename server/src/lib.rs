//! The `portal` binary's library: configuration, start-up and the router, so that integration
//! tests boot exactly what production runs.

pub mod auth;
pub mod config;
pub mod deadlines;
pub mod health;
pub mod web;

use app::server::{AppState, db};
use config::Config;
use leptos::config::LeptosOptions;
use sqlx::SqlitePool;

/// Opens the database, refuses to go on if the pragmas did not take, and migrates. The file (and
/// the folder the portal makes for it) is readable by its owner only: a new file is created
/// with mode 0600 (SQLite gives its WAL and shared-memory files the database file's mode), and
/// an existing one is brought to 0600.
pub async fn open_database(config: &Config) -> Result<SqlitePool, app::server::ServerError> {
    if let Some(file) = config.database_file() {
        private_database_file(&file)?;
    }
    let pool = db::connect(&config.database_url).await?;
    db::ensure_safe_pragmas(&pool).await?;
    db::migrate(&pool).await?;
    Ok(pool)
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
    pool: &SqlitePool,
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
        password,
        must_change_password: false,
    };
    create_user(
        pool,
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
    LeptosOptions::builder()
        .output_name("portal")
        .site_root(config.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build()
}

/// The full router for a pool and configuration, on the system clock.
pub async fn build_router(
    pool: SqlitePool,
    config: &Config,
) -> Result<axum::Router, app::server::ServerError> {
    let clock = if config.test_clock {
        tracing::warn!("PORTAL_TEST_CLOCK is on: POST /test/klokke sets the portal's clock");
        app::server::Clock::manual(time::OffsetDateTime::now_utc())
    } else {
        app::server::Clock::system()
    };
    build_router_with_clock(pool, config, clock).await
}

/// The full router with a given clock (tests pass a manual one).
pub async fn build_router_with_clock(
    pool: SqlitePool,
    config: &Config,
    clock: app::server::Clock,
) -> Result<axum::Router, app::server::ServerError> {
    let health = health::Health::new(pool.clone(), config.database_file());
    let store = auth::session_store(pool.clone()).await?;
    let sessions = auth::session_layer(store, config.secure_cookies);
    let state = AppState {
        pool,
        leptos_options: leptos_options(config),
        clock,
        settings: app::server::Settings {
            require_second_factor: config.require_second_factor,
            due_soon_days: config.due_soon_days,
            secure_cookies: config.secure_cookies,
        },
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
    ))
}
