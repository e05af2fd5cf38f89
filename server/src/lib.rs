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

/// Opens the database, refuses to go on if the pragmas did not take, and migrates.
pub async fn open_database(config: &Config) -> Result<SqlitePool, app::server::ServerError> {
    let file = config.database_file();
    if let Some(dir) = file.as_deref().and_then(std::path::Path::parent)
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let pool = db::connect(&config.database_url).await?;
    db::ensure_safe_pragmas(&pool).await?;
    db::migrate(&pool).await?;
    Ok(pool)
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
        },
    };
    let limiter = auth::sign_in_limiter(config.sign_in_burst);
    let test_clock = config.test_clock.then(|| state.clock.clone());
    Ok(web::router(state, health, sessions, limiter, test_clock))
}
