//! The municipality's compliance figures (reviewers, administrators and crisis center staff):
//! aggregates per district, small counts suppressed. No personal data, so no access-log row.

use crate::domain::AppError;
use crate::domain::compliance::ComplianceView;
use leptos::prelude::*;

pub const COMPLIANCE: &str = "compliance";

/// Every district's figures side by side.
pub const COMPLIANCE_PAGE: &str = "/kontroll";

/// Every district's figures for the period the query names (`periode=2026K3`, `periode=2026`,
/// or `fra`/`til`; nothing: the last whole quarter).
#[server(prefix = "/api", endpoint = "compliance")]
pub async fn read_compliance(
    #[server(default)] periode: String,
    #[server(default)] fra: String,
    #[server(default)] til: String,
) -> Result<ComplianceView, AppError> {
    use crate::api::guard::{authorize, with_status};
    use crate::domain::compliance::Period;
    use crate::domain::{Action, Target};
    with_status(
        async {
            let call = authorize(Action::ReadCompliance, Target::Global)?;
            let now = call.state.clock.now();
            let today = crate::server::clock::oslo_date(now);
            let period = Period::from_query(Some(&periode), Some(&fra), Some(&til), today)
                .map_err(AppError::invalid)?;
            Ok(crate::server::service::compliance::overview(&call.state.db, period, now).await?)
        }
        .await,
    )
}
