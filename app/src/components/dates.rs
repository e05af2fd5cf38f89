//! Dates and times as people read them: `16.12.2026` and `16.12.2026 kl. 14:05` in Norwegian,
//! `2026-12-16` and `2026-12-16 14:05` in English. Stored UTC timestamps (histories, the hand-over,
//! a routine's publication) are shown in Oslo local time. These pages render on the server (no
//! island shows a date); a build without the server's time zone data shows the stored text. Form
//! fields keep the ISO form (`type="date"` needs it): only what is read goes through here.

use crate::i18n::*;
use time::Date;

/// A date in the reader's language: `16.12.2026` in Norwegian, `2026-12-16` in English.
pub fn date_label(date: Date) -> String {
    date_in(date, use_i18n().get_locale_untracked())
}

/// An optional date, or a dash.
pub fn date_label_or_dash(date: Option<Date>) -> String {
    date.map_or_else(|| "–".to_owned(), date_label)
}

fn date_in(date: Date, locale: Locale) -> String {
    match locale {
        Locale::nb => format!(
            "{:02}.{:02}.{}",
            date.day(),
            u8::from(date.month()),
            date.year()
        ),
        Locale::en => crate::domain::plan::date_text(date),
    }
}

/// The Oslo date and time of a stored UTC timestamp (`2026-12-16T13:05:00.000Z`), in the
/// reader's language.
pub fn timestamp_label(at: &str) -> String {
    in_oslo(at, use_i18n().get_locale_untracked())
        .unwrap_or_else(|| at.get(..16).unwrap_or(at).replace('T', " "))
}

/// A local Oslo date and time as stored for an exit meeting (`2026-12-16T14:05`), in the reader's
/// language: `16.12.2026 kl. 14:05` or `2026-12-16 14:05`.
pub fn local_time_label(local: &str) -> String {
    local_time_in(local, use_i18n().get_locale_untracked())
}

fn local_time_in(local: &str, locale: Locale) -> String {
    let date = local
        .get(..10)
        .and_then(|d| crate::domain::plan::parse_date(d, "starts_at").ok());
    match (date, local.get(11..16)) {
        (Some(date), Some(time)) => match locale {
            Locale::nb => format!("{} kl. {time}", date_in(date, locale)),
            Locale::en => format!("{} {time}", date_in(date, locale)),
        },
        _ => local.replace('T', " "),
    }
}

/// A stored UTC timestamp to the second, as the access log shows it (`16.12.2026 kl. 14:05:09`):
/// Oslo's offset is whole hours, so the seconds are the stored ones.
pub fn timestamp_precise(at: &str) -> String {
    let label = timestamp_label(at);
    match at.get(17..19) {
        Some(seconds) if seconds.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{label}:{seconds}")
        }
        _ => label,
    }
}

/// `at` as Oslo local time in `locale`; `None` when it is no timestamp (or, off the server,
/// without the time zone data).
fn in_oslo(at: &str, locale: Locale) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let instant =
            time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()?;
        Some(instant_in(instant, locale))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (at, locale);
        None
    }
}

/// An instant as Oslo local date and time in `locale`.
#[cfg(feature = "ssr")]
fn instant_in(instant: time::OffsetDateTime, locale: Locale) -> String {
    let date = date_in(crate::server::clock::oslo_date(instant), locale);
    let (hour, minute) = crate::server::clock::oslo_time_of_day(instant);
    match locale {
        Locale::nb => format!("{date} kl. {hour:02}:{minute:02}"),
        Locale::en => format!("{date} {hour:02}:{minute:02}"),
    }
}

/// An instant (the server clock's now) as Oslo local date and time, in the reader's language.
#[cfg(feature = "ssr")]
pub fn instant_label(instant: time::OffsetDateTime) -> String {
    instant_in(instant, use_i18n().get_locale_untracked())
}

/// The Oslo date of a stored UTC timestamp (`2026-03-18T22:30:00.000Z` is 19 March in Oslo), in
/// the reader's language.
pub fn timestamp_date(at: &str) -> String {
    timestamp_date_in(at, use_i18n().get_locale_untracked())
}

fn timestamp_date_in(at: &str, locale: Locale) -> String {
    #[cfg(feature = "ssr")]
    if let Ok(instant) =
        time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
    {
        return date_in(crate::server::clock::oslo_date(instant), locale);
    }
    let _ = locale;
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
        assert_eq!(timestamp_date_in(late, Locale::en), "2026-03-31");
        assert_eq!(timestamp_date_in(late, Locale::nb), "31.03.2026");
        // Winter time: UTC+1.
        let winter = "2026-12-16T13:05:00.000Z";
        assert_eq!(in_oslo(winter, Locale::nb).unwrap(), "16.12.2026 kl. 14:05");
        assert_eq!(in_oslo("not a time", Locale::nb), None);
    }

    #[test]
    fn a_date_is_written_as_the_reader_writes_it() {
        let date = time::macros::date!(2026 - 01 - 05);
        assert_eq!(date_in(date, Locale::nb), "05.01.2026");
        assert_eq!(date_in(date, Locale::en), "2026-01-05");
        assert_eq!(
            local_time_in("2026-01-05T09:30", Locale::nb),
            "05.01.2026 kl. 09:30"
        );
        assert_eq!(
            local_time_in("2026-01-05T09:30", Locale::en),
            "2026-01-05 09:30"
        );
    }
}
