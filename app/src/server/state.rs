//! The state every route and server function gets: the database (never global, so each test has its
//! own database) and Leptos' options.

use super::db::Db;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;

#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    pub clock: super::clock::Clock,
    pub settings: Settings,
    /// The portal's address as users reach it (`PORTAL_BASE_URL`, no trailing `/`), for the
    /// calendar feed's address and its links.
    pub base_url: std::sync::Arc<str>,
}

/// Operator choices that change behaviour (from the command line or environment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Administrators and crisis center staff must use a one-time code at sign-in. On unless the
    /// operator turns it off (`PORTAL_REQUIRE_SECOND_FACTOR=false`; the demo does, and says so).
    pub require_second_factor: bool,
    /// The "due soon" window in days: an open task due within this many days of today (Oslo) is
    /// due soon (`PORTAL_DUE_SOON_DAYS`, default 3).
    pub due_soon_days: u16,
    /// A stay whose resident has been ready to move out (waiting only for housing) for more
    /// than this many days is flagged on the plan list (`PORTAL_READY_FLAG_DAYS`, default 14).
    pub ready_flag_days: u16,
    /// Cookies the portal sets are marked Secure (`PORTAL_SECURE_COOKIES`, default on).
    pub secure_cookies: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            require_second_factor: true,
            due_soon_days: 3,
            ready_flag_days: 14,
            secure_cookies: true,
        }
    }
}

impl AppState {
    /// The moment of a request, from the portal's clock: the instant, the Oslo date, and the
    /// operator's due-soon and ready-to-move windows.
    pub fn when(&self) -> super::service::plans::When {
        super::service::plans::When {
            at: self.clock.now(),
            today: self.clock.oslo_today(),
            soon_days: self.settings.due_soon_days,
            ready_days: self.settings.ready_flag_days,
        }
    }

    /// The state of the current server-function call or page render.
    pub fn current() -> Result<AppState, crate::domain::AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the Leptos context");
            crate::domain::AppError::unavailable()
        })
    }
}
