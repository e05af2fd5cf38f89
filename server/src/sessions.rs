//! The session store: tower-sessions' records in the portal's database, in the table and format
//! tower-sessions' SQLite store used before (sessions survive the change), but written through
//! the portal's one writer ([`Db::begin_write`]) like every other write, so that a sign-in never
//! waits for the write lock in SQLite's busy handler. Expiry times are stored as that store
//! stored them (sqlx's text form of a UTC time), so they compare as times.

use app::server::db::Db;
use async_trait::async_trait;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// Sessions in the `tower_sessions` table.
#[derive(Clone, Debug)]
pub struct PortalStore {
    db: Db,
}

impl PortalStore {
    pub fn new(db: Db) -> Self {
        PortalStore { db }
    }

    /// Deletes the sessions whose expiry has passed.
    pub async fn delete_expired(&self) -> Result<u64, app::server::ServerError> {
        let mut tx = self.db.begin_write().await?;
        let done =
            sqlx::query("DELETE FROM tower_sessions WHERE datetime(expiry_date) < datetime('now')")
                .execute(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn encode(record: &Record) -> session_store::Result<Vec<u8>> {
    rmp_serde::to_vec(record).map_err(|err| session_store::Error::Encode(err.to_string()))
}

#[async_trait]
impl SessionStore for PortalStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = encode(record)?;
        let mut tx = self.db.begin_write().await.map_err(backend)?;
        loop {
            let inserted = sqlx::query(
                "INSERT OR IGNORE INTO tower_sessions (id, data, expiry_date) VALUES (?1, ?2, ?3)",
            )
            .bind(record.id.to_string())
            .bind(&data)
            .bind(record.expiry_date)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                break;
            }
            // An id already in use (one in 2^128): draw another.
            record.id = Id::default();
        }
        tx.commit().await.map_err(backend)
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = encode(record)?;
        let mut tx = self.db.begin_write().await.map_err(backend)?;
        sqlx::query(
            "INSERT INTO tower_sessions (id, data, expiry_date) VALUES (?1, ?2, ?3) \
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date",
        )
        .bind(record.id.to_string())
        .bind(&data)
        .bind(record.expiry_date)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let data: Option<Vec<u8>> = sqlx::query_scalar(
            "SELECT data FROM tower_sessions WHERE id = ?1 AND expiry_date > ?2",
        )
        .bind(id.to_string())
        .bind(OffsetDateTime::now_utc())
        .fetch_optional(&mut *self.db.acquire().await.map_err(backend)?)
        .await
        .map_err(backend)?;
        data.map(|data| {
            rmp_serde::from_slice(&data)
                .map_err(|err| session_store::Error::Decode(err.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let mut tx = self.db.begin_write().await.map_err(backend)?;
        sqlx::query("DELETE FROM tower_sessions WHERE id = ?1")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }
}
