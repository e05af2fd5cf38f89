//! What a session remembers about its signed-in user, and how a request finds its user.
//! The session itself (id, cookie, storage in SQLite) is tower-sessions' job, set up in the
//! server crate; this module is the part the pages and server functions share.

use crate::domain::Actor;
use serde::{Deserialize, Serialize};

/// The session key under which [`AuthRecord`] is stored.
pub const AUTH_KEY: &str = "auth";
/// A session ends 12 hours after sign-in, however active it is.
pub const ABSOLUTE_LIFETIME_SECONDS: i64 = 12 * 60 * 60;
/// A password-only session waits at most 5 minutes for its one-time code.
pub const CODE_PENDING_SECONDS: i64 = 5 * 60;
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
    /// Unix time of the last request, for the idle timeout (kept to the minute).
    pub last_seen: i64,
    /// The password was right, but the one-time code has not been given yet.
    pub code_pending: bool,
}

/// The signed-in user of the current request. The server's middleware puts it in the request's
/// extensions after checking the session against the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub actor: Actor,
    pub name: String,
    /// An administrator reset the password (or it is a first sign-in): a new one is needed
    /// before anything else.
    pub must_change_password: bool,
    /// The role requires a second factor and none is set up yet.
    pub must_enrol_second_factor: bool,
    /// A second factor is set up.
    pub has_second_factor: bool,
}

/// A request whose session passed the password but still owes the one-time code. The server's
/// middleware puts it in the request's extensions instead of [`SignedIn`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodePending {
    pub user: crate::domain::UserId,
}

/// Where a signed-in user must go before anything else, if anywhere: the password change, then
/// the set-up of a second factor. The middleware sends every other page there.
pub fn required_step(user: &SignedIn) -> Option<&'static str> {
    if user.must_change_password {
        Some(PASSWORD_PAGE)
    } else if user.must_enrol_second_factor {
        Some(SECOND_FACTOR_PAGE)
    } else {
        None
    }
}

/// The page where a user changes their password.
pub const PASSWORD_PAGE: &str = "/konto/passord";
/// The page where a user sets up (or replaces) their one-time-code app.
pub const SECOND_FACTOR_PAGE: &str = "/konto/engangskode";
/// The page that asks for the one-time code at sign-in.
pub const CODE_PAGE: &str = "/logg-inn/kode";

/// The signed-in user of the request being rendered or served, if any.
pub fn current_user() -> Option<SignedIn> {
    leptos::prelude::use_context::<http::request::Parts>()?
        .extensions
        .get::<SignedIn>()
        .cloned()
}
