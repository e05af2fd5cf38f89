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

pub const PAUSE_UNIT: &str = "unit_mail_pause";
pub const RESUME_UNIT: &str = "unit_mail_resume";

/// The unit a pause form names: a district id and one of the three standard services.
#[cfg(feature = "ssr")]
fn unit_of_form(district: &str, service: &str) -> Result<crate::domain::Unit, AppError> {
    use crate::domain::{DistrictId, ServiceKind, Unit};
    let district = district
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::invalid("district"))?;
    let service = ServiceKind::parse(service.trim())
        .ok()
        .filter(|s| ServiceKind::STANDARD.contains(s))
        .ok_or_else(|| AppError::invalid("service"))?;
    Ok(Unit {
        district: DistrictId(district),
        service,
    })
}

/// Pauses a unit's messages: they wait in the outbox until the pause ends. Logged;
/// administrators only.
#[server(prefix = "/api", endpoint = "unit_mail_pause")]
pub async fn pause_unit(
    #[server(default)] district: String,
    #[server(default)] service: String,
) -> Result<(), AppError> {
    set_paused(&district, &service, true).await
}

/// Ends a unit's pause: its waiting messages go out (digests of past days are skipped).
/// Logged; administrators only.
#[server(prefix = "/api", endpoint = "unit_mail_resume")]
pub async fn resume_unit(
    #[server(default)] district: String,
    #[server(default)] service: String,
) -> Result<(), AppError> {
    set_paused(&district, &service, false).await
}

#[cfg(feature = "ssr")]
async fn set_paused(district: &str, service: &str, paused: bool) -> Result<(), AppError> {
    use crate::api::guard::{authorize, finish_form};
    use crate::domain::{Action, Target};
    use crate::server::service::notify;
    let result = async {
        let call = authorize(Action::ManageNotifications, Target::Global)?;
        let unit = unit_of_form(district, service)?;
        let (db, at, by) = (&call.state.db, call.now(), call.actor());
        if paused {
            notify::pause(db, at, &by, unit).await?;
        } else {
            notify::resume(db, at, &by, unit).await?;
        }
        Ok(())
    }
    .await;
    finish_form(result, OUTBOX_PAGE, |_| format!("{OUTBOX_PAGE}?ok=pause"))
}
