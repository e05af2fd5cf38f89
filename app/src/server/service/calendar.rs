//! The units' calendar feeds: making and ending a unit's secret address (logged), and the feed
//! a calendar program reads from it. The secret is 32 random bytes (hex); only its SHA-256 is
//! stored, so the address is shown once, when it is made. A feed carries step names, dates, a
//! neutral meeting title and links into the portal: no personal data.

use crate::domain::notice::FeedView;
use crate::domain::{ActorSnapshot, AuditAction, Unit};
use crate::server::ServerError;
use crate::server::db::Db;
use crate::server::notify::calendar::{self, FeedDeadline, FeedMeeting};
use crate::server::notify::render::{language, service_name};
use crate::server::repo::access_log::{self, Touched};
use crate::server::repo::{calendar as feeds, outbox, users};
use sha2::{Digest, Sha256};

/// The path every feed lives under.
pub const FEED_PREFIX: &str = "/kalender/";
/// The most deadlines, and the most meetings, one feed lists (soonest first).
pub const FEED_LIMIT: i64 = 1000;

/// A feed's path from its secret.
pub fn feed_path(secret: &str) -> String {
    format!("{FEED_PREFIX}{secret}.ics")
}

/// The secret in the last part of a feed's path (`<64 hex digits>.ics`), if it has that form.
pub fn secret_of(file: &str) -> Option<&str> {
    let secret = file.strip_suffix(".ics").unwrap_or(file);
    (secret.len() == 64
        && secret
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
    .then_some(secret)
}

fn new_secret() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Makes a new secret address for `unit`'s feed, ending the one it had; logged. The feed's
/// titles are in the language `by` reads their messages in. Returns the secret (only its hash
/// is stored).
pub async fn make_feed(
    db: &Db,
    at: time::OffsetDateTime,
    by: &ActorSnapshot,
    unit: Unit,
) -> Result<String, ServerError> {
    let secret = new_secret();
    let mut tx = db.begin_write().await?;
    let (_, lang) = users::notify_choices(&mut tx, by.user)
        .await?
        .ok_or(ServerError::NotFound)?;
    feeds::set_feed(&mut tx, at, unit, &hash(&secret), lang, by.user).await?;
    let touched = Touched::unit(unit);
    access_log::append_ok(&mut tx, at, by, AuditAction::CalendarFeedCreate, touched).await?;
    tx.commit().await?;
    Ok(secret)
}

/// Ends `unit`'s feed (its address stops working); logged. `NotFound` when it has none.
pub async fn end_feed(
    db: &Db,
    at: time::OffsetDateTime,
    by: &ActorSnapshot,
    unit: Unit,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    if !feeds::remove_feed(&mut tx, unit).await? {
        return Err(ServerError::NotFound);
    }
    let touched = Touched::unit(unit);
    access_log::append_ok(&mut tx, at, by, AuditAction::CalendarFeedRevoke, touched).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `unit` has a feed (when it was made and by whom), and the address made just now.
pub async fn feed_view(
    db: &Db,
    unit: Unit,
    new_url: Option<String>,
) -> Result<FeedView, ServerError> {
    let mut conn = db.acquire().await?;
    Ok(FeedView {
        active: feeds::feed_status(&mut conn, unit).await?,
        new_url,
    })
}

/// The iCalendar text of the feed whose secret is `secret`, with links under `base_url`;
/// `None` when no unit has that secret (a wrong, rotated or ended address).
pub async fn render_feed(
    db: &Db,
    secret: &str,
    base_url: &str,
) -> Result<Option<String>, ServerError> {
    let mut conn = db.acquire().await?;
    let Some((unit, lang)) = feeds::feed_by_hash(&mut conn, &hash(secret)).await? else {
        return Ok(None);
    };
    let lang = language(lang.as_str());
    let host = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or("portal");
    let (tasks, _) = outbox::digest_tasks(&mut conn, unit, FEED_LIMIT).await?;
    let deadlines: Vec<FeedDeadline> = tasks
        .into_iter()
        .map(|t| FeedDeadline {
            uid: format!("task-{}-due-{}@{host}", t.task.0, t.due),
            step: t.step,
            due: t.due,
            link: format!("{base_url}{}", crate::routes::task(t.task)),
        })
        .collect();
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let meetings: Vec<FeedMeeting> = feeds::planned_meetings(&mut conn, unit, FEED_LIMIT)
        .await?
        .into_iter()
        .filter_map(|(stay, starts_at)| {
            let local = time::PrimitiveDateTime::parse(&starts_at, &format).ok()?;
            Some(FeedMeeting {
                uid: format!("meeting-{}@{host}", stay.0),
                start: crate::server::clock::oslo_instant(local)?,
                link: format!("{base_url}{}", crate::routes::plan(stay)),
            })
        })
        .collect();
    let district = outbox::district_name(&mut conn, unit.district)
        .await?
        .unwrap_or_default();
    let portal = match lang {
        crate::i18n::Locale::nb => "Reetableringsportalen",
        crate::i18n::Locale::en => "Re-establishment portal",
    };
    let name = format!("{portal}: {}, {district}", service_name(unit.service, lang));
    Ok(Some(calendar::feed(&name, &deadlines, &meetings, lang)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_secret_of_the_right_form_is_looked_up() {
        let secret = new_secret();
        assert_eq!(secret.len(), 64);
        assert_eq!(secret_of(&format!("{secret}.ics")), Some(secret.as_str()));
        assert_eq!(secret_of(&secret), Some(secret.as_str()));
        assert_eq!(secret_of("abc.ics"), None);
        assert_eq!(secret_of(&"G".repeat(64)), None);
        assert_eq!(secret_of(&secret.to_uppercase()), None);
        assert_ne!(new_secret(), secret);
        assert_eq!(hash(&secret).len(), 64);
        assert_ne!(hash(&secret), secret);
    }
}
