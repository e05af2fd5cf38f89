//! The outbox for administrators: what is waiting, what failed and what went, and putting failed
//! messages back in the queue. Kinds, units, states and errors: no personal data.

use crate::domain::AppError;
use crate::domain::notice::OutboxOverview;
use leptos::prelude::*;

pub const READ_OUTBOX: &str = "outbox";
pub const RETRY_OUTBOX: &str = "outbox_retry";
pub const OUTBOX_PAGE: &str = "/admin/utsendinger";

/// Counts per state, every pending and failed message (up to 200 each) and the 50 latest sent
/// or skipped ones. Administrators only.
#[server(prefix = "/api", endpoint = "outbox")]
pub async fn read_outbox() -> Result<OutboxOverview, AppError> {
    use crate::api::guard::{authorize, with_status};
    use crate::domain::{Action, Target};
    with_status(
        async {
            let call = authorize(Action::ManageNotifications, Target::Global)?;
            Ok(crate::server::service::notify::overview(&call.state.db).await?)
        }
        .await,
    )
}

/// Puts one failed message (`id`) or every failed message (no `id`) back in the queue, due now;
/// logged. Administrators only.
#[server(prefix = "/api", endpoint = "outbox_retry")]
pub async fn retry_outbox(#[server(default)] id: String) -> Result<u64, AppError> {
    use crate::api::guard::{authorize, finish_form};
    use crate::domain::{Action, Target};
    let result = async {
        let call = authorize(Action::ManageNotifications, Target::Global)?;
        let id = match id.trim() {
            "" => None,
            raw => Some(raw.parse::<i64>().map_err(|_| AppError::invalid("id"))?),
        };
        Ok(
            crate::server::service::notify::retry(&call.state.db, call.now(), &call.actor(), id)
                .await?,
        )
    }
    .await;
    finish_form(result, OUTBOX_PAGE, |_| format!("{OUTBOX_PAGE}?ok=igjen"))
}
