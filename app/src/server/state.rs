//! The state every route and server function gets: the pool (never global, so each test has its
//! own database) and Leptos' options.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::SqlitePool;

#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub pool: SqlitePool,
    pub leptos_options: LeptosOptions,
}

impl AppState {
    /// The state of the current server-function call or page render.
    pub fn current() -> Result<AppState, crate::domain::AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the Leptos context");
            crate::domain::AppError::unavailable()
        })
    }
}
