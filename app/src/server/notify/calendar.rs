//! iCalendar (RFC 5545) entries with neutral titles: the exit meeting's invitation, and (for the
//! units' feeds) deadlines. A title or description never says more than a message may: no name,
//! no place, only that there is a meeting or a deadline, and a link into the portal.

use super::render::step_name;
use crate::domain::routine::Step;
use crate::i18n::Locale;
use icalendar::{Calendar, Component, EventLike};
use time::OffsetDateTime;

/// How long an exit meeting is put in the calendar for.
pub const MEETING_LENGTH: time::Duration = time::Duration::hours(1);

/// The neutral title of an exit meeting.
pub fn meeting_title(lang: Locale) -> &'static str {
    match lang {
        Locale::nb => "Møte (reetableringsportalen)",
        Locale::en => "Meeting (re-establishment portal)",
    }
}

/// The exit meeting as a calendar with one event: `uid` stays the same when the meeting moves,
/// and `sequence` grows, so a calendar program moves its entry instead of adding a second one.
pub fn invitation(
    uid: &str,
    sequence: i64,
    start: OffsetDateTime,
    link: &str,
    lang: Locale,
) -> String {
    let event = icalendar::Event::new()
        .uid(uid)
        .sequence(u32::try_from(sequence).unwrap_or(u32::MAX))
        .summary(meeting_title(lang))
        .description(link)
        .url(link)
        .starts(start)
        .ends(start + MEETING_LENGTH)
        .done();
    let mut calendar = Calendar::new();
    calendar.append_property(("METHOD", "PUBLISH"));
    calendar.push(event);
    calendar.done().to_string()
}

/// A deadline as an all-day event: the step's name and the unit only.
pub fn deadline_event(uid: &str, step: Step, due: time::Date, link: &str) -> icalendar::Event {
    icalendar::Event::new()
        .uid(uid)
        .summary(&format!("Frist: {}", step_name(step, Locale::nb)))
        .description(link)
        .url(link)
        .all_day(icalendar::DatePerhapsTime::from(due).date_naive())
        .done()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_invitation_is_one_event_in_utc_with_a_neutral_title() {
        let ics = invitation(
            "exit-meeting-3@p.example",
            12,
            time::macros::datetime!(2026-04-20 08:00 UTC),
            "https://p.example/planer/3",
            Locale::nb,
        );
        assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
        assert!(ics.contains("METHOD:PUBLISH"));
        assert!(ics.contains("UID:exit-meeting-3@p.example"));
        assert!(ics.contains("SEQUENCE:12"));
        assert!(ics.contains("SUMMARY:Møte (reetableringsportalen)"));
        assert!(ics.contains("DTSTART:20260420T080000Z"), "{ics}");
        assert!(ics.contains("DTEND:20260420T090000Z"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
    }
}
