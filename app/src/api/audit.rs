//! The access log, for administrators.

use crate::domain::{AccessLogEntry, AppError};
use leptos::prelude::*;

pub const READ_ACCESS_LOG: &str = "access_log";

/// The newest access-log rows matching the filter (fields as on the page's GET form; empty
/// fields do not filter). Administrators only; the read is logged.
#[server(prefix = "/api", endpoint = "access_log")]
pub async fn read_access_log(
    #[server(default)] user: String,
    #[server(default)] object_type: String,
    #[server(default)] object_id: String,
    #[server(default)] district: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<Vec<AccessLogEntry>, AppError> {
    use crate::api::guard::{authorize, with_status};

    use crate::domain::{Action, Target};
    use crate::server::service::audit;
    with_status(
        async {
            let call = authorize(Action::ReadAccessLog, Target::Global)?;
            let filter = parse_filter(&user, &object_type, &object_id, &district, &from, &to)?;
            let by = call.actor();
            Ok(audit::read_access_log(&call.state.db, call.now(), &by, &filter).await?)
        }
        .await,
    )
}

/// Parses the filter form. Exposed for the page, which shows what was filtered on.
pub fn parse_filter(
    user: &str,
    object_type: &str,
    object_id: &str,
    district: &str,
    from: &str,
    to: &str,
) -> Result<crate::domain::AccessLogFilter, AppError> {
    use crate::domain::time_free::Day;
    use crate::domain::{AccessLogFilter, DistrictId, UserId};
    fn text(raw: &str, field: &str) -> Result<Option<String>, AppError> {
        let raw = raw.trim();
        match raw.len() {
            0 => Ok(None),
            1..=64 => Ok(Some(raw.to_owned())),
            _ => Err(AppError::invalid(field)),
        }
    }
    fn id(raw: &str, field: &str) -> Result<Option<i64>, AppError> {
        let raw = raw.trim();
        if raw.is_empty() {
            Ok(None)
        } else {
            raw.parse().map(Some).map_err(|_| AppError::invalid(field))
        }
    }
    fn day(raw: &str, field: &str) -> Result<Option<Day>, AppError> {
        let raw = raw.trim();
        if raw.is_empty() {
            Ok(None)
        } else {
            Day::parse(raw)
                .map(Some)
                .ok_or_else(|| AppError::invalid(field))
        }
    }
    Ok(AccessLogFilter {
        user: id(user, "user")?.map(UserId),
        object_type: text(object_type, "object_type")?,
        object_id: text(object_id, "object_id")?,
        district: id(district, "district")?.map(DistrictId),
        from: day(from, "from")?,
        to: day(to, "to")?,
    })
}
