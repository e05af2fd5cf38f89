//! The crisis center's yearly figures: read every stay up to the year's end on one read
//! snapshot (those taken in through the intake and those imported alike), then compute
//! (`domain::stats`).

use crate::domain::stats::{YearStats, year_stats};
use crate::server::ServerError;
use crate::server::db::Db;
use crate::server::repo;
use time::{Date, Month};

/// The figures of `year`, with `today` (an Oslo date) bounding the nights of stays not ended.
pub async fn year(db: &Db, year: i32, today: Date) -> Result<YearStats, ServerError> {
    let end = Date::from_calendar_date(year, Month::December, 31)
        .map_err(|_| ServerError::Field("year"))?;
    let mut read = db.begin_read().await?;
    let mut stays = repo::stats::stay_records(&mut read, end).await?;
    stays.extend(repo::imports::stay_records(&mut read, end).await?);
    read.commit().await?;
    Ok(year_stats(year, today, &stays))
}

/// The year of the earliest arrival on record (intake or imported), if any.
pub async fn first_year(db: &Db) -> Result<Option<i32>, ServerError> {
    let mut read = db.begin_read().await?;
    let first = repo::stats::first_arrival(&mut read).await?;
    read.commit().await?;
    Ok(first.map(|d| d.year()))
}

/// The statistics page's year: `raw` from the address (this year when empty), from 1900 to this
/// year; and the years to choose from, newest first (from the first stay on record, or `year`).
pub async fn page_year(db: &Db, raw: &str, today: Date) -> Result<(i32, Vec<i32>), ServerError> {
    let year = match raw.trim() {
        "" => today.year(),
        raw => raw
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=today.year()).contains(y))
            .ok_or(ServerError::Field("year"))?,
    };
    let first = first_year(db)
        .await?
        .unwrap_or(today.year())
        .clamp(1900, today.year());
    Ok((year, (first.min(year)..=today.year()).rev().collect()))
}
