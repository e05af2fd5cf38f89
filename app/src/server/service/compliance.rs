//! The municipality's compliance pages: the figures of every district for a period, with small
//! counts suppressed. Aggregates only: nothing here reads a person's fields, so nothing is
//! written to the access log.

use crate::domain::compliance::{
    ComplianceView, DistrictCompliance, Period, QUARTERS_SHOWN, deviation_table, housing_table,
    meeting_table, overdue_table, step_table, transfer_table, wait_table,
};
use crate::server::ServerError;
use crate::server::db::Db;
use crate::server::repo::compliance as repo;

/// Every district's figures for `period`, side by side, and the municipality's.
pub async fn overview(
    db: &Db,
    period: Period,
    now: time::OffsetDateTime,
) -> Result<ComplianceView, ServerError> {
    figures(db, period, now, true).await
}

/// One district's figures for `period` and over the quarters up to its end, beside the
/// municipality's; `None` when no district has the slug.
pub async fn district(
    db: &Db,
    slug: &str,
    period: Period,
    now: time::OffsetDateTime,
) -> Result<Option<DistrictCompliance>, ServerError> {
    let district = {
        let mut conn = db.acquire().await?;
        repo::districts(&mut conn)
            .await?
            .into_iter()
            .find(|(_, s, _)| s == slug)
    };
    let Some((_, slug, name)) = district else {
        return Ok(None);
    };
    let only = [slug.clone()];
    let view = figures(db, period, now, true).await?.only(&only);
    let mut quarters = Vec::with_capacity(QUARTERS_SHOWN);
    for quarter in period.quarters_to(QUARTERS_SHOWN) {
        quarters.push(figures(db, quarter, now, false).await?.only(&only));
    }
    Ok(Some(DistrictCompliance {
        district: (slug, name),
        view,
        quarters,
    }))
}

/// The figures of `period`; the overdue table (a "now" figure, the same for every period) only
/// when `overdue` asks for it.
async fn figures(
    db: &Db,
    period: Period,
    now: time::OffsetDateTime,
    overdue: bool,
) -> Result<ComplianceView, ServerError> {
    let today = crate::server::clock::oslo_date(now);
    let (hour, minute) = crate::server::clock::oslo_time_of_day(now);
    let made_at = format!(
        "{:02}.{:02}.{} {hour:02}:{minute:02}",
        today.day(),
        u8::from(today.month()),
        today.year()
    );
    // Three groups of queries of about the same cost, each on a read connection of its own, at
    // once: each query was already a snapshot of its own (no common transaction), and on the
    // 2-core machine the year's figures come in about half the time they take one after another.
    let as_of = period.to.min(today);
    let (
        (districts, mut housing, mut steps),
        (mut deviations, mut transfers, mut waits),
        (mut overdue, mut meetings),
    ) = tokio::try_join!(
        async {
            let mut conn = db.acquire().await?;
            Ok::<_, ServerError>((
                repo::districts(&mut conn).await?,
                repo::housing_counts(&mut conn, period, today).await?,
                repo::step_counts(&mut conn, period).await?,
            ))
        },
        async {
            let mut conn = db.acquire().await?;
            Ok::<_, ServerError>((
                crate::server::repo::deviations::period_counts(
                    &mut conn,
                    period.from,
                    period.to,
                    as_of,
                    crate::domain::deviation::LONG_OPEN_DAYS,
                )
                .await?,
                repo::transfer_counts(&mut conn, period).await?,
                repo::wait_counts(&mut conn, period, today).await?,
            ))
        },
        async {
            let mut conn = db.acquire().await?;
            let overdue = if overdue {
                repo::overdue_counts(&mut conn, today).await?
            } else {
                Default::default()
            };
            Ok::<_, ServerError>((overdue, repo::meeting_counts(&mut conn, period).await?))
        },
    )?;
    let mut housing_rows = Vec::with_capacity(districts.len());
    let mut deviation_rows = Vec::with_capacity(districts.len());
    let mut overdue_rows = Vec::with_capacity(districts.len());
    let mut step_rows = Vec::with_capacity(districts.len());
    let mut meeting_rows = Vec::with_capacity(districts.len());
    let mut transfer_rows = Vec::with_capacity(districts.len());
    let mut wait_rows = Vec::with_capacity(districts.len());
    let mut names = Vec::with_capacity(districts.len());
    for (id, slug, name) in districts {
        let key = (slug, name);
        names.push(key.clone());
        housing_rows.push((key.clone(), housing.remove(&id).unwrap_or_default()));
        deviation_rows.push((key.clone(), deviations.remove(&id).unwrap_or_default()));
        overdue_rows.push((key.clone(), overdue.remove(&id).unwrap_or_default()));
        step_rows.push((key.clone(), steps.remove(&id).unwrap_or_default()));
        meeting_rows.push((key.clone(), meetings.remove(&id).unwrap_or_default()));
        transfer_rows.push((key.clone(), transfers.remove(&id).unwrap_or_default()));
        wait_rows.push((key, waits.remove(&id).unwrap_or_default()));
    }
    Ok(ComplianceView {
        period,
        today,
        made_at,
        districts: names,
        housing: housing_table(&housing_rows),
        deviations: deviation_table(&deviation_rows),
        overdue: overdue_table(&overdue_rows),
        steps: step_table(&step_rows),
        meetings: meeting_table(&meeting_rows),
        transfers: transfer_table(&transfer_rows),
        waits: wait_table(&wait_rows),
    })
}
