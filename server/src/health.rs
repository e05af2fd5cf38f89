//! `GET /healthz`: 200 when the database can be read and a write can commit into the file the
//! server opened; 503 otherwise.

use app::server::Clock;
use app::server::db::{self, Db};
use axum::{extract::State, http::StatusCode, response::IntoResponse};
use std::sync::Arc;
use tokio::sync::Mutex;

/// The write probe runs at most this often; in between, a check reuses its outcome (a health
/// check must not become a way to make the server write at will).
const PROBE_EVERY_SECONDS: i64 = 5;

/// When the last write probe ran (unix seconds) and what it found.
type Probe = (i64, Option<&'static str>);

#[derive(Clone, Debug)]
pub struct Health {
    db: Db,
    clock: Clock,
    last_probe: Arc<Mutex<Option<Probe>>>,
}

impl Health {
    pub fn new(db: Db, clock: Clock) -> Self {
        Health {
            db,
            clock,
            last_probe: Arc::new(Mutex::new(None)),
        }
    }

    /// Why the database is unusable, or `None` when it is fine: the file must still be the one
    /// opened (checked on every call, it costs a `stat`), and a tiny write must commit (at most
    /// every few seconds).
    pub async fn problem(&self) -> Option<&'static str> {
        if let Some(problem) = self.db.file_problem() {
            return Some(problem);
        }
        let now = self.clock.unix();
        let mut last = self.last_probe.lock().await;
        if let Some((at, found)) = *last
            && (0..PROBE_EVERY_SECONDS).contains(&(now - at))
        {
            return found;
        }
        let found = match db::probe(&self.db, now).await {
            Ok(()) => None,
            Err(err) => {
                tracing::warn!(error = %err, "health probe failed");
                Some("database write failed")
            }
        };
        *last = Some((now, found));
        found
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
