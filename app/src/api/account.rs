//! The signed-in user's own account page: notification choices, and for a caseworker, the
//! unit's calendar feed. Forms post here directly (no JavaScript needed).

use crate::domain::AppError;
use crate::domain::notice::AccountView;
use leptos::prelude::*;

pub const ACCOUNT: &str = "account";
pub const SAVE_NOTIFY_CHOICES: &str = "account_notify";
pub const MAKE_CALENDAR_FEED: &str = "calendar_feed_make";
pub const END_CALENDAR_FEED: &str = "calendar_feed_end";

/// The account page.
pub const ACCOUNT_PAGE: &str = "/konto";

/// The session key of a feed address made just now: the page shows it once, then it is gone
/// (only its hash is stored).
#[cfg(feature = "ssr")]
const NEW_FEED_URL: &str = "calendar_feed_new";

#[cfg(feature = "ssr")]
fn session() -> Result<tower_sessions::Session, AppError> {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<tower_sessions::Session>().cloned())
        .ok_or_else(AppError::unavailable)
}

/// The caller's unit, when they are a caseworker of one (the feed is the unit's).
#[cfg(feature = "ssr")]
fn own_unit(call: &crate::api::guard::Call) -> Result<crate::domain::Unit, AppError> {
    use crate::domain::{Action, Target};
    let unit = call.user.actor.unit.ok_or_else(AppError::forbidden)?;
    call.check(Action::WorkTasks, Target::Unit(unit))?;
    Ok(unit)
}

/// Who the caller is and their notification choices; for a caseworker, the unit's calendar
/// feed, with the address made just now (shown this once).
#[server(prefix = "/api", endpoint = "account")]
pub async fn read_account() -> Result<AccountView, AppError> {
    use crate::api::guard::{signed_in, with_status};
    with_status(
        async {
            let call = signed_in()?;
            let new_url = match session() {
                Ok(session) => session.remove::<String>(NEW_FEED_URL).await.ok().flatten(),
                Err(_) => None,
            };
            Ok(
                crate::server::service::accounts::own_account(&call.state.db, &call.user, new_url)
                    .await?,
            )
        }
        .await,
    )
}

/// The caller chooses a message per event or the daily digest only, and the messages' language.
#[server(prefix = "/api", endpoint = "account_notify")]
pub async fn save_notify_choices(
    #[server(default)] notify: String,
    #[server(default)] language: String,
) -> Result<(), AppError> {
    use crate::api::guard::{finish_form, signed_in};
    use crate::domain::notice::{MailLanguage, NotifyChoice};
    let result = async {
        let call = signed_in()?;
        let notify = NotifyChoice::parse(&notify).ok_or_else(|| AppError::invalid("notify"))?;
        let language =
            MailLanguage::parse(&language).ok_or_else(|| AppError::invalid("language"))?;
        crate::server::service::accounts::set_notify_choices(
            &call.state.db,
            call.now(),
            &call.user,
            notify,
            language,
        )
        .await?;
        Ok(())
    }
    .await;
    finish_form(result, ACCOUNT_PAGE, |_| {
        format!("{ACCOUNT_PAGE}?ok=varsler")
    })
}

/// A caseworker makes a new secret address for their unit's calendar feed; the old one stops
/// working. The address is the answer (and, for a form post, shown once on the account page).
#[server(prefix = "/api", endpoint = "calendar_feed_make")]
pub async fn make_calendar_feed() -> Result<String, AppError> {
    use crate::api::guard::{finish_form, signed_in};
    use crate::server::service::calendar;
    let result = async {
        let call = signed_in()?;
        let unit = own_unit(&call)?;
        let secret = calendar::make_feed(&call.state.db, call.now(), &call.actor(), unit).await?;
        let url = format!("{}{}", call.state.base_url, calendar::feed_path(&secret));
        session()?
            .insert(NEW_FEED_URL, url.clone())
            .await
            .map_err(|_| AppError::unavailable())?;
        Ok(url)
    }
    .await;
    finish_form(result, ACCOUNT_PAGE, |_| {
        format!("{ACCOUNT_PAGE}?ok=kalender#kalender")
    })
}

/// A caseworker ends their unit's calendar feed: its address stops working.
#[server(prefix = "/api", endpoint = "calendar_feed_end")]
pub async fn end_calendar_feed() -> Result<(), AppError> {
    use crate::api::guard::{finish_form, signed_in};
    let result = async {
        let call = signed_in()?;
        let unit = own_unit(&call)?;
        crate::server::service::calendar::end_feed(&call.state.db, call.now(), &call.actor(), unit)
            .await?;
        Ok(())
    }
    .await;
    finish_form(result, ACCOUNT_PAGE, |_| {
        format!("{ACCOUNT_PAGE}?ok=kalender#kalender")
    })
}
