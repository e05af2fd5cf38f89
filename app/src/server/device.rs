//! The known-device cookie. A browser where a user signed in successfully gets a signed token
//! naming the user and the day it was issued. With it, the right password gets in even while the
//! account waits out the per-account delay that failures from elsewhere caused, so that someone
//! who knows a caseworker's address cannot keep them out by failing on purpose. The token holds no
//! secret of the user and no personal data: a user id, a time and an HMAC-SHA256 under a key the
//! portal makes for itself on first use (stored in its database, never logged).

use crate::domain::UserId;
use crate::server::ServerError;
use crate::server::db::Db;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::SqliteConnection;

/// The cookie's name.
pub const COOKIE: &str = "portal_device";
/// How long a device stays known after a sign-in there.
pub const LIFETIME_SECONDS: i64 = 180 * 24 * 3600;

/// The signing key, if one was made (a read: checking a cookie never writes).
pub async fn stored_key(conn: &mut SqliteConnection) -> Result<Option<[u8; 32]>, ServerError> {
    let stored = sqlx::query_scalar!("SELECT value FROM portal_secret WHERE name = 'device_key'")
        .fetch_optional(&mut *conn)
        .await?;
    stored.map(as_key).transpose()
}

/// The signing key, made (32 random bytes) on first use. Read first, so that a sign-in does not
/// wait for the writer once the key exists.
pub async fn key(db: &Db) -> Result<[u8; 32], ServerError> {
    if let Some(key) = stored_key(&mut *db.acquire().await?).await? {
        return Ok(key);
    }
    let mut fresh = [0u8; 32];
    OsRng.fill_bytes(&mut fresh);
    let fresh = fresh.to_vec();
    let mut tx = db.begin_write().await?;
    // Two first sign-ins at once: the first key stored wins, both use it.
    sqlx::query!(
        "INSERT OR IGNORE INTO portal_secret (name, value) VALUES ('device_key', ?1)",
        fresh
    )
    .execute(&mut *tx)
    .await?;
    let stored = sqlx::query_scalar!("SELECT value FROM portal_secret WHERE name = 'device_key'")
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    as_key(stored)
}

fn as_key(stored: Vec<u8>) -> Result<[u8; 32], ServerError> {
    stored
        .try_into()
        .map_err(|_| ServerError::Config("portal_secret.device_key is not 32 bytes".into()))
}

fn mac(key: &[u8; 32], payload: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(payload.as_bytes());
    mac
}

/// A token for `user`, issued at `now` (Unix seconds): `<user>.<issued>.<hmac hex>`.
pub fn token(key: &[u8; 32], user: UserId, now: i64) -> String {
    let payload = format!("{}.{now}", user.0);
    let tag = mac(key, &payload).finalize().into_bytes();
    format!("{payload}.{}", hex::encode(tag))
}

/// Whether `token` is a genuine, unexpired token of `user` at `now`. The tag is compared in
/// constant time.
pub fn is_known(key: &[u8; 32], token: &str, user: UserId, now: i64) -> bool {
    let mut parts = token.splitn(3, '.');
    let (Some(id), Some(issued), Some(tag)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let (Ok(id), Ok(issued), Ok(tag)) =
        (id.parse::<i64>(), issued.parse::<i64>(), hex::decode(tag))
    else {
        return false;
    };
    if id != user.0 || issued > now + 60 || now - issued >= LIFETIME_SECONDS {
        return false;
    }
    mac(key, &format!("{id}.{issued}"))
        .verify_slice(&tag)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_known_for_its_user_until_it_expires_and_a_changed_one_is_not() {
        let key = [7u8; 32];
        let t = token(&key, UserId(12), 1_000_000);
        assert!(is_known(&key, &t, UserId(12), 1_000_000 + 3600));
        assert!(!is_known(&key, &t, UserId(13), 1_000_000), "another user");
        assert!(
            !is_known(&[8u8; 32], &t, UserId(12), 1_000_000),
            "another key"
        );
        assert!(!is_known(
            &key,
            &t,
            UserId(12),
            1_000_000 + LIFETIME_SECONDS
        ));
        let forged = t.replacen("12.", "13.", 1);
        assert!(!is_known(&key, &forged, UserId(13), 1_000_000));
        assert!(!is_known(&key, "12.1000000.zz", UserId(12), 1_000_000));
        assert!(!is_known(&key, "", UserId(12), 1_000_000));
    }
}
