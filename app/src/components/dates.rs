//! Stored UTC timestamps shown as Oslo local time, where people read them (histories, the hand-
//! over, a routine's publication): `16.12.2026 kl. 14:05` in Norwegian, `2026-12-16 14:05` in
//! English. These pages render on the server (no island shows a timestamp); a build without the
//! server's time zone data shows the stored text.

use crate::i18n::*;

/// The Oslo date and time of a stored UTC timestamp (`2026-12-16T13:05:00.000Z`), in the
/// reader's language.
pub fn timestamp_label(at: &str) -> String {
    in_oslo(at, use_i18n().get_locale_untracked())
        .unwrap_or_else(|| at.get(..16).unwrap_or(at).replace('T', " "))
}

/// `at` as Oslo local time in `locale`; `None` when it is no timestamp (or, off the server,
/// without the time zone data).
fn in_oslo(at: &str, locale: Locale) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let instant =
            time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()?;
        let date = crate::server::clock::oslo_date(instant);
        let (hour, minute) = crate::server::clock::oslo_time_of_day(instant);
        Some(match locale {
            Locale::nb => format!(
                "{:02}.{:02}.{} kl. {hour:02}:{minute:02}",
                date.day(),
                u8::from(date.month()),
                date.year()
            ),
            Locale::en => format!(
                "{} {hour:02}:{minute:02}",
                crate::domain::plan::date_text(date)
            ),
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (at, locale);
        None
    }
}

/// The Oslo date of a stored UTC timestamp (`2026-03-18T22:30:00.000Z` is 19 March in Oslo).
pub fn timestamp_date(at: &str) -> String {
    #[cfg(feature = "ssr")]
    if let Ok(instant) =
        time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
    {
        return crate::domain::plan::date_text(crate::server::clock::oslo_date(instant));
    }
    at.get(..10).unwrap_or_default().to_owned()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_timestamp_is_shown_in_oslo_time() {
        // Summer time: UTC+2, and the late evening is the next day in Oslo.
        let late = "2026-03-30T22:05:00.000Z";
        assert_eq!(in_oslo(late, Locale::nb).unwrap(), "31.03.2026 kl. 00:05");
        assert_eq!(in_oslo(late, Locale::en).unwrap(), "2026-03-31 00:05");
        assert_eq!(timestamp_date(late), "2026-03-31");
        // Winter time: UTC+1.
        let winter = "2026-12-16T13:05:00.000Z";
        assert_eq!(in_oslo(winter, Locale::nb).unwrap(), "16.12.2026 kl. 14:05");
        assert_eq!(in_oslo("not a time", Locale::nb), None);
    }
}
