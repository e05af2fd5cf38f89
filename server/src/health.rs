//! `GET /healthz`: 200 after a database round trip, 503 when the database is unusable.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use sqlx::SqlitePool;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Health {
    pub pool: SqlitePool,
    /// The database file and its identity (device, inode) when the server started.
    pub file: Option<(PathBuf, (u64, u64))>,
}

impl Health {
    pub fn new(pool: SqlitePool, file: Option<PathBuf>) -> Self {
        let file = file.and_then(|path| {
            let meta = std::fs::metadata(&path).ok()?;
            Some((path, (meta.dev(), meta.ino())))
        });
        Health { pool, file }
    }

    /// Why the database is unusable, or `None` when it is fine. Open connections keep working
    /// on a file that was removed, replaced or made unreadable, so the file itself is checked
    /// too: it must still be the same file, readable and writable by its owner (the portal).
    pub async fn problem(&self) -> Option<&'static str> {
        if let Some((path, identity)) = &self.file {
            match tokio::fs::metadata(path).await {
                Err(_) => return Some("database file missing"),
                Ok(meta) if (meta.dev(), meta.ino()) != *identity => {
                    return Some("database file replaced");
                }
                Ok(meta) if meta.mode() & 0o600 != 0o600 => {
                    return Some("database file not readable and writable");
                }
                Ok(_) => {}
            }
        }
        app::server::db::ping(&self.pool)
            .await
            .err()
            .map(|_| "database query failed")
    }
}

pub async fn healthz(State(health): State<Health>) -> impl IntoResponse {
    match health.problem().await {
        None => (StatusCode::OK, "ok\n"),
        Some(problem) => {
            tracing::warn!(problem, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable\n")
        }
    }
}
