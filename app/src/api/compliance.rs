//! The municipality's compliance figures (reviewers, administrators and crisis center staff):
//! aggregates per district, small counts suppressed. No personal data, so no access-log row.

#[cfg(feature = "ssr")]
use crate::api::guard::with_status;
use crate::domain::AppError;
use crate::domain::compliance::{ComplianceView, DistrictCompliance};
use leptos::prelude::*;

pub const COMPLIANCE: &str = "compliance";
pub const DISTRICT_COMPLIANCE: &str = "district_compliance";

/// Every district's figures side by side.
pub const COMPLIANCE_PAGE: &str = "/kontroll";

/// A reviewer's call for the period the query names (nothing: the last whole quarter), and the
/// time it is made.
#[cfg(feature = "ssr")]
fn authorized_period(
    periode: &str,
    fra: &str,
    til: &str,
) -> Result<
    (
        crate::api::guard::Call,
        crate::domain::compliance::Period,
        time::OffsetDateTime,
    ),
    AppError,
> {
    use crate::domain::{Action, Target};
    let call = crate::api::guard::authorize(Action::ReadCompliance, Target::Global)?;
    let (period, now) = period_now(&call, periode, fra, til)?;
    Ok((call, period, now))
}

/// The period the query names (nothing: the last whole quarter) on today's Oslo date, and now.
#[cfg(feature = "ssr")]
fn period_now(
    call: &crate::api::guard::Call,
    periode: &str,
    fra: &str,
    til: &str,
) -> Result<(crate::domain::compliance::Period, time::OffsetDateTime), AppError> {
    let now = call.state.clock.now();
    let today = crate::server::clock::oslo_date(now);
    let period =
        crate::domain::compliance::Period::from_query(Some(periode), Some(fra), Some(til), today)
            .map_err(AppError::invalid)?;
    Ok((period, now))
}

/// Every district's figures for the period the query names (`periode=2026K3`, `periode=2026`,
/// or `fra`/`til`; nothing: the last whole quarter), or only those of the districts `bydel`
/// names (slugs; a slug no district has shows nothing), beside the municipality's.
#[server(prefix = "/api", endpoint = "compliance")]
pub async fn read_compliance(
    #[server(default)] periode: String,
    #[server(default)] fra: String,
    #[server(default)] til: String,
    #[server(default)] bydel: Vec<String>,
) -> Result<ComplianceView, AppError> {
    with_status(
        async {
            let (call, period, now) = authorized_period(&periode, &fra, &til)?;
            crate::domain::compliance::check_districts(&bydel).map_err(AppError::invalid)?;
            let view =
                crate::server::service::compliance::overview(&call.state.db, period, now).await?;
            Ok(view.only(&bydel))
        }
        .await,
    )
}

/// One district's figures for the period the query names and over the quarters up to its end,
/// beside the municipality's (its page and its print view): for those who read every district's,
/// and for the district's manager.
#[server(prefix = "/api", endpoint = "district_compliance")]
pub async fn read_district_compliance(
    slug: String,
    #[server(default)] periode: String,
    #[server(default)] fra: String,
    #[server(default)] til: String,
) -> Result<DistrictCompliance, AppError> {
    use crate::api::guard::signed_in;
    use crate::domain::{Action, Target};
    with_status(
        async {
            let call = signed_in()?;
            // Reviewers, administrators and crisis center staff read every district's page; a
            // district's manager their own district's.
            let district =
                crate::server::service::internal_control::find_district(&call.state.db, &slug)
                    .await?;
            let target = district
                .as_ref()
                .map_or(Target::Global, |(id, _)| Target::District(*id));
            call.check(Action::ReadDistrictReport, target)?;
            if district.is_none() {
                return Err(AppError::not_found());
            }
            let (period, now) = period_now(&call, &periode, &fra, &til)?;
            crate::server::service::compliance::district(&call.state.db, &slug, period, now)
                .await?
                .ok_or_else(AppError::not_found)
        }
        .await,
    )
}
