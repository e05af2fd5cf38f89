//! The access log as administrators read it: the filter and the rows.

use super::{DistrictId, UserId};
use serde::{Deserialize, Serialize};

/// What to look for in the access log. Empty fields do not filter. Dates are UTC calendar days,
/// `YYYY-MM-DD`, both ends included.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLogFilter {
    pub user: Option<UserId>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub district: Option<DistrictId>,
    pub from: Option<time_free::Day>,
    pub to: Option<time_free::Day>,
}

/// The newest rows a search returns at most.
pub const ACCESS_LOG_PAGE: i64 = 200;

/// One row of the access log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLogEntry {
    pub id: i64,
    /// UTC, e.g. `2026-03-30T21:59:00.000Z`.
    pub at: String,
    pub user: Option<UserId>,
    pub user_name: Option<String>,
    pub user_role: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub district: Option<DistrictId>,
    pub reason: Option<String>,
    pub outcome: String,
    /// The stays whose personal data the row touched, comma-separated.
    pub stays: Option<String>,
}

/// A calendar day without a time-zone library (the domain is compiled to wasm too).
pub mod time_free {
    use serde::{Deserialize, Serialize};

    /// A valid `YYYY-MM-DD` date.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
    pub struct Day {
        pub year: i32,
        pub month: u8,
        pub day: u8,
    }

    impl Day {
        /// Parses `YYYY-MM-DD` (years 1900 to 9999), checking the day of the month.
        pub fn parse(raw: &str) -> Option<Day> {
            let raw = raw.trim();
            let mut parts = raw.splitn(3, '-');
            let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
            if y.len() != 4 || m.len() != 2 || d.len() != 2 {
                return None;
            }
            let (year, month, day) = (
                y.parse::<i32>().ok()?,
                m.parse::<u8>().ok()?,
                d.parse::<u8>().ok()?,
            );
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            let days = match month {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return None,
            };
            ((1900..=9999).contains(&year) && (1..=days).contains(&day)).then_some(Day {
                year,
                month,
                day,
            })
        }
    }

    impl std::fmt::Display for Day {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::Day;

        #[test]
        fn days_are_checked_against_the_calendar() {
            assert_eq!(
                Day::parse("2028-02-29").map(|d| d.to_string()).as_deref(),
                Some("2028-02-29")
            );
            for bad in [
                "2026-02-29",
                "2026-13-01",
                "2026-04-31",
                "26-01-01",
                "2026-1-01",
                "",
                "x",
            ] {
                assert!(Day::parse(bad).is_none(), "{bad}");
            }
        }
    }
}
