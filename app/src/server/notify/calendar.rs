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

/// A deadline's neutral title: the step's name only.
pub fn deadline_title(step: Step, lang: Locale) -> String {
    match lang {
        Locale::nb => format!("Frist: {}", step_name(step, lang)),
        Locale::en => format!("Deadline: {}", step_name(step, lang)),
    }
}

/// A unit's feed: every open task as an all-day event on its due date, and every planned exit
/// meeting the unit is invited to as an hour from its start. Titles say only "deadline" with the
/// step's name, or "meeting"; the description is the link into the portal.
pub fn feed(
    name: &str,
    deadlines: &[FeedDeadline],
    meetings: &[FeedMeeting],
    lang: Locale,
) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    for d in deadlines {
        let event = icalendar::Event::new()
            .uid(&d.uid)
            .summary(&deadline_title(d.step, lang))
            .description(&d.link)
            .url(&d.link)
            .all_day(icalendar::DatePerhapsTime::from(d.due).date_naive())
            .done();
        calendar.push(event);
    }
    for m in meetings {
        let event = icalendar::Event::new()
            .uid(&m.uid)
            .summary(meeting_title(lang))
            .description(&m.link)
            .url(&m.link)
            .starts(m.start)
            .ends(m.start + MEETING_LENGTH)
            .done();
        calendar.push(event);
    }
    calendar.done().to_string()
}

/// A deadline in a unit's feed.
#[derive(Clone, Debug)]
pub struct FeedDeadline {
    pub uid: String,
    pub step: Step,
    pub due: time::Date,
    pub link: String,
}

/// An exit meeting in a unit's feed.
#[derive(Clone, Debug)]
pub struct FeedMeeting {
    pub uid: String,
    pub start: OffsetDateTime,
    pub link: String,
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

    #[test]
    fn the_feed_has_all_day_deadlines_and_timed_meetings_with_neutral_titles() {
        let ics = feed(
            "Frister: NAV-kontor, Alna",
            &[FeedDeadline {
                uid: "task-7@p.example".into(),
                step: Step::HousingPlan,
                due: time::macros::date!(2026 - 03 - 30),
                link: "https://p.example/oppgaver/7".into(),
            }],
            &[FeedMeeting {
                uid: "meeting-3@p.example".into(),
                start: time::macros::datetime!(2026-04-20 08:00 UTC),
                link: "https://p.example/planer/3".into(),
            }],
            Locale::en,
        );
        assert!(ics.contains("X-WR-CALNAME:Frister: NAV-kontor"), "{ics}");
        assert!(ics.contains("SUMMARY:Deadline: Housing plan"), "{ics}");
        assert!(ics.contains("DTSTART;VALUE=DATE:20260330"), "{ics}");
        assert!(ics.contains("SUMMARY:Meeting (re-establishment portal)"));
        assert!(ics.contains("DTSTART:20260420T080000Z"), "{ics}");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
    }
}
