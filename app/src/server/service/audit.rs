//! Reading the access log (administrators). Reading it is itself logged, with the filter's
//! object and district, committed before the rows are returned.

use crate::domain::{AccessLogEntry, AccessLogFilter};
use crate::domain::{ActorSnapshot, AuditAction, ObjectKind};
use crate::server::ServerError;
use crate::server::db::Db;
use crate::server::repo::access_log::{self, Touched};
use time::OffsetDateTime;

/// The newest access-log rows that match `filter`, and one row saying that `by` read them.
#[tracing::instrument(skip_all)]
pub async fn read_access_log(
    db: &Db,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    filter: &AccessLogFilter,
) -> Result<Vec<AccessLogEntry>, ServerError> {
    // The search in a read transaction: a long search must not hold up the writer.
    let mut read = db.begin_read().await?;
    let rows = access_log::search(&mut read, filter).await?;
    read.commit().await?;
    let mut tx = db.begin_write().await?;
    let touched = Touched {
        object: filter.user.map(|u| (ObjectKind::User, u.to_string())),
        district: filter.district,
        stays: None,
    };
    access_log::append_ok(&mut tx, at, by, AuditAction::AccessLogRead, touched).await?;
    tx.commit().await?;
    Ok(rows)
}
