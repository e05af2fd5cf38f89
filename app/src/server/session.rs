//! What a session remembers about its signed-in user, and how a request finds its user.
//! The session itself (id, cookie, storage in SQLite) is tower-sessions' job, set up in the
//! server crate; this module is the part the pages and server functions share.

use crate::domain::Actor;
use serde::{Deserialize, Serialize};

/// The session key under which [`AuthRecord`] is stored.
pub const AUTH_KEY: &str = "auth";
/// A session ends 12 hours after sign-in, however active it is.
pub const ABSOLUTE_LIFETIME_SECONDS: i64 = 12 * 60 * 60;
/// A session ends after 30 minutes without a request.
pub const IDLE_TIMEOUT_MINUTES: i64 = 30;

/// Stored in the session at sign-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthRecord {
    pub user: i64,
    /// The user's session epoch at sign-in: raising the epoch ends the session.
    pub epoch: i64,
    /// Unix time of sign-in, for the absolute lifetime.
    pub signed_in_at: i64,
}

/// The signed-in user of the current request. The server's middleware puts it in the request's
/// extensions after checking the session against the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub actor: Actor,
    pub name: String,
}

/// The signed-in user of the request being rendered or served, if any.
pub fn current_user() -> Option<SignedIn> {
    leptos::prelude::use_context::<http::request::Parts>()?
        .extensions
        .get::<SignedIn>()
        .cloned()
}
