//! The portal's idea of "now". Production reads the system clock; tests (and the end-to-end
//! server, when asked) use a manual clock they can set and move, so that expiry and deadlines are
//! tested without waiting and without depending on today's date.

use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};

#[derive(Clone, Debug)]
pub struct Clock(Arc<Source>);

#[derive(Debug)]
enum Source {
    System,
    Manual(Mutex<OffsetDateTime>),
}

impl Clock {
    /// The system clock (UTC).
    pub fn system() -> Clock {
        Clock(Arc::new(Source::System))
    }

    /// A clock that stands at `at` until it is set or advanced.
    pub fn manual(at: OffsetDateTime) -> Clock {
        Clock(Arc::new(Source::Manual(Mutex::new(at))))
    }

    /// The current instant, in UTC.
    pub fn now(&self) -> OffsetDateTime {
        match &*self.0 {
            Source::System => OffsetDateTime::now_utc(),
            Source::Manual(at) => *at.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Moves a manual clock forward (or back, with a negative duration). Returns false, and does
    /// nothing, on the system clock.
    pub fn advance(&self, by: Duration) -> bool {
        match &*self.0 {
            Source::System => false,
            Source::Manual(at) => {
                let mut at = at.lock().unwrap_or_else(|e| e.into_inner());
                *at += by;
                true
            }
        }
    }

    /// Sets a manual clock. Returns false, and does nothing, on the system clock.
    pub fn set(&self, to: OffsetDateTime) -> bool {
        match &*self.0 {
            Source::System => false,
            Source::Manual(at) => {
                *at.lock().unwrap_or_else(|e| e.into_inner()) = to;
                true
            }
        }
    }

    /// Unix seconds.
    pub fn unix(&self) -> i64 {
        self.now().unix_timestamp()
    }
}

/// The time zone deadlines are counted in.
pub const DEADLINE_ZONE: &str = "Europe/Oslo";

/// The calendar date in Oslo at the instant `at` (the tz database is bundled into the binary,
/// so this does not depend on the machine's zoneinfo files).
pub fn oslo_date(at: OffsetDateTime) -> time::Date {
    let local = in_oslo(at).date();
    let month =
        time::Month::try_from(u8::try_from(local.month()).expect("1..=12")).expect("1..=12");
    time::Date::from_calendar_date(
        i32::from(local.year()),
        month,
        u8::try_from(local.day()).expect("1..=31"),
    )
    .expect("a valid date")
}

/// How a wall-clock time in Oslo maps to instants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OsloLocalTime {
    /// One instant (almost always).
    Unique,
    /// No instant: the hour skipped when summer time begins (the last Sunday of March, 02:00 to
    /// 03:00).
    Skipped,
    /// Two instants: the hour repeated when summer time ends (the last Sunday of October, 02:00
    /// to 03:00). The portal means the earlier.
    Repeated,
}

/// Whether `local` (a wall-clock time in Oslo) exists, once or twice, by the bundled tz data.
pub fn oslo_local_time(local: time::PrimitiveDateTime) -> OsloLocalTime {
    use jiff::tz::AmbiguousOffset;
    let Ok(civil) = jiff::civil::DateTime::new(
        i16::try_from(local.year()).unwrap_or(i16::MAX),
        i8::try_from(u8::from(local.month())).unwrap_or(1),
        i8::try_from(local.day()).unwrap_or(1),
        i8::try_from(local.hour()).unwrap_or(0),
        i8::try_from(local.minute()).unwrap_or(0),
        0,
        0,
    ) else {
        return OsloLocalTime::Skipped;
    };
    match oslo_zone().to_ambiguous_timestamp(civil).offset() {
        AmbiguousOffset::Unambiguous { .. } => OsloLocalTime::Unique,
        AmbiguousOffset::Gap { .. } => OsloLocalTime::Skipped,
        AmbiguousOffset::Fold { .. } => OsloLocalTime::Repeated,
    }
}

/// The instant of a wall-clock time in Oslo: the earlier of two in the repeated hour, `None` in
/// the skipped hour.
pub fn oslo_instant(local: time::PrimitiveDateTime) -> Option<OffsetDateTime> {
    if oslo_local_time(local) == OsloLocalTime::Skipped {
        return None;
    }
    let civil = jiff::civil::DateTime::new(
        i16::try_from(local.year()).ok()?,
        i8::try_from(u8::from(local.month())).ok()?,
        i8::try_from(local.day()).ok()?,
        i8::try_from(local.hour()).ok()?,
        i8::try_from(local.minute()).ok()?,
        0,
        0,
    )
    .ok()?;
    let zoned = oslo_zone().to_ambiguous_zoned(civil).earlier().ok()?;
    OffsetDateTime::from_unix_timestamp(zoned.timestamp().as_second()).ok()
}

/// The Oslo wall-clock time of day at the instant `at`, as (hour, minute).
pub fn oslo_time_of_day(at: OffsetDateTime) -> (i8, i8) {
    let local = in_oslo(at);
    (local.hour(), local.minute())
}

/// The first instant after `after` when Oslo's clocks show `hour:minute` (pick a time outside
/// 02:00–03:00, which is skipped or repeated once a year).
pub fn next_oslo_time(after: OffsetDateTime, hour: i8, minute: i8) -> OffsetDateTime {
    let mut day = in_oslo(after).date();
    loop {
        let at = day
            .at(hour, minute, 0, 0)
            .to_zoned(oslo_zone().clone())
            .expect("a time in Oslo");
        if at.timestamp().as_second() > after.unix_timestamp() {
            return OffsetDateTime::from_unix_timestamp(at.timestamp().as_second())
                .expect("a representable instant");
        }
        day = day.tomorrow().expect("a date within jiff's range");
    }
}

/// The instant `at` on Oslo's clocks.
fn in_oslo(at: OffsetDateTime) -> jiff::Zoned {
    jiff::Timestamp::from_second(at.unix_timestamp())
        .expect("an instant within jiff's range")
        .to_zoned(oslo_zone().clone())
}

fn oslo_zone() -> &'static jiff::tz::TimeZone {
    use std::sync::OnceLock;
    static OSLO: OnceLock<jiff::tz::TimeZone> = OnceLock::new();
    OSLO.get_or_init(|| {
        jiff::tz::TimeZone::get(DEADLINE_ZONE).expect("the bundled tz database has Europe/Oslo")
    })
}

impl Clock {
    /// Today's date in Oslo, on this clock.
    pub fn oslo_today(&self) -> time::Date {
        oslo_date(self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use time::macros::{date, datetime};

    #[test]
    fn the_next_half_past_three_in_oslo_is_found_in_winter_summer_and_on_both_dst_days() {
        let cases = [
            // Winter (UTC+1): 03:30 is 02:30 UTC; after it, the next day's.
            (
                datetime!(2026-01-10 12:00 UTC),
                datetime!(2026-01-11 02:30 UTC),
            ),
            (
                datetime!(2026-01-10 01:00 UTC),
                datetime!(2026-01-10 02:30 UTC),
            ),
            (
                datetime!(2026-01-10 02:30 UTC),
                datetime!(2026-01-11 02:30 UTC),
            ),
            // Summer (UTC+2).
            (
                datetime!(2026-07-01 12:00 UTC),
                datetime!(2026-07-02 01:30 UTC),
            ),
            // The night summer time begins (29 March) and the night it ends (25 October).
            (
                datetime!(2026-03-28 12:00 UTC),
                datetime!(2026-03-29 01:30 UTC),
            ),
            (
                datetime!(2026-10-24 12:00 UTC),
                datetime!(2026-10-25 02:30 UTC),
            ),
        ];
        for (after, expected) in cases {
            assert_eq!(next_oslo_time(after, 3, 30), expected, "after {after}");
        }
    }

    #[test]
    fn an_oslo_wall_clock_time_is_the_right_instant_in_winter_summer_and_the_repeated_hour() {
        use time::macros::datetime as dt;
        assert_eq!(
            oslo_instant(dt!(2026-01-10 10:00)),
            Some(dt!(2026-01-10 09:00 UTC))
        );
        assert_eq!(
            oslo_instant(dt!(2026-07-01 10:00)),
            Some(dt!(2026-07-01 08:00 UTC))
        );
        assert_eq!(oslo_instant(dt!(2026-03-29 02:30)), None, "skipped");
        assert_eq!(
            oslo_instant(dt!(2026-10-25 02:30)),
            Some(dt!(2026-10-25 00:30 UTC)),
            "the earlier of the two"
        );
        assert_eq!(oslo_time_of_day(dt!(2026-03-29 05:00 UTC)), (7, 0));
        assert_eq!(oslo_time_of_day(dt!(2026-03-28 05:00 UTC)), (6, 0));
    }

    #[test]
    fn the_hour_skipped_and_the_hour_repeated_in_oslo_are_known() {
        for (local, kind) in [
            (datetime!(2026-03-29 01:59), OsloLocalTime::Unique),
            (datetime!(2026-03-29 02:30), OsloLocalTime::Skipped),
            (datetime!(2026-03-29 03:00), OsloLocalTime::Unique),
            (datetime!(2026-10-25 02:30), OsloLocalTime::Repeated),
            (datetime!(2026-10-25 03:00), OsloLocalTime::Unique),
            (datetime!(2026-06-01 02:30), OsloLocalTime::Unique),
        ] {
            assert_eq!(oslo_local_time(local), kind, "{local}");
        }
    }

    #[test]
    fn a_manual_clock_stands_still_until_moved() {
        let clock = Clock::manual(datetime!(2026-03-30 21:59 UTC));
        assert_eq!(clock.now(), datetime!(2026-03-30 21:59 UTC));
        assert!(clock.advance(Duration::minutes(2)));
        assert_eq!(clock.now(), datetime!(2026-03-30 22:01 UTC));
        let copy = clock.clone();
        assert!(copy.set(datetime!(2027-01-01 0:00 UTC)));
        assert_eq!(
            clock.now(),
            datetime!(2027-01-01 0:00 UTC),
            "clones share the time"
        );
    }

    #[test]
    fn the_system_clock_cannot_be_moved() {
        let clock = Clock::system();
        assert!(!clock.advance(Duration::hours(1)));
        assert!((clock.now() - OffsetDateTime::now_utc()).abs() < Duration::seconds(5));
    }

    /// The EU summer-time rule Norway follows since 1996, written out independently: UTC+2
    /// from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October,
    /// otherwise UTC+1.
    fn model_offset_hours(at: OffsetDateTime) -> i64 {
        let last_sunday = |month: time::Month| {
            let mut day =
                time::Date::from_calendar_date(at.year(), month, month.length(at.year())).unwrap();
            while day.weekday() != time::Weekday::Sunday {
                day = day.previous_day().unwrap();
            }
            day.with_hms(1, 0, 0).unwrap().assume_utc()
        };
        if at >= last_sunday(time::Month::March) && at < last_sunday(time::Month::October) {
            2
        } else {
            1
        }
    }

    #[test]
    fn the_oslo_date_turns_at_oslo_midnight_in_summer_and_in_winter() {
        assert_eq!(
            oslo_date(datetime!(2026-03-30 21:59 UTC)),
            date!(2026 - 03 - 30)
        );
        assert_eq!(
            oslo_date(datetime!(2026-03-30 22:00 UTC)),
            date!(2026 - 03 - 31)
        );
        assert_eq!(
            oslo_date(datetime!(2026-01-15 22:59 UTC)),
            date!(2026 - 01 - 15)
        );
        assert_eq!(
            oslo_date(datetime!(2026-01-15 23:00 UTC)),
            date!(2026 - 01 - 16)
        );
        // The nights the clocks change (29 March and 25 October 2026).
        assert_eq!(
            oslo_date(datetime!(2026-03-28 22:59 UTC)),
            date!(2026 - 03 - 28)
        );
        assert_eq!(
            oslo_date(datetime!(2026-03-29 21:59 UTC)),
            date!(2026 - 03 - 29)
        );
        assert_eq!(
            oslo_date(datetime!(2026-10-24 21:59 UTC)),
            date!(2026 - 10 - 24)
        );
        assert_eq!(
            oslo_date(datetime!(2026-10-25 22:59 UTC)),
            date!(2026 - 10 - 25)
        );
        assert_eq!(
            oslo_date(datetime!(2026-10-25 23:00 UTC)),
            date!(2026 - 10 - 26)
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn the_oslo_date_follows_the_eu_summer_time_rule(
            day in 0i64..14_975,
            second in (21 * 3600i64)..(25 * 3600),
        ) {
            // Days from 1997-01-01 to 2037-12-31, at 21:00 to 01:00 UTC: the hours in which the
            // Oslo date differs from the UTC date, where a wrong offset shows.
            let at = OffsetDateTime::from_unix_timestamp(852_076_800 + day * 86_400 + second).unwrap();
            let expected = (at + Duration::hours(model_offset_hours(at))).date();
            proptest::prop_assert_eq!(oslo_date(at), expected);
        }
    }
}
