//! Deadline arithmetic: the offset of a routine step from its anchor date, and whether a task is
//! overdue or due soon. Deadlines are calendar dates in Europe/Oslo; which Oslo date "today" is
//! comes from the server's clock (`server::clock::oslo_date`), so this module has no time zones
//! and runs in the browser too.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

/// How far a due date lies from its anchor (arrival, report received, planned move-out ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "unit", content = "n", rename_all = "snake_case")]
pub enum Period {
    /// Calendar days; negative for "before the anchor".
    Days(i32),
    /// Calendar months: the same day of the month, or the month's last day when it is shorter
    /// (31 January + 1 month = 28 or 29 February). Used for barnevernsloven § 2-2's three months.
    Months(i32),
}

impl Period {
    /// The due date for an anchor date.
    pub fn from(self, anchor: Date) -> Date {
        match self {
            Period::Days(n) => anchor.saturating_add(Duration::days(i64::from(n))),
            Period::Months(n) => add_months(anchor, n),
        }
    }
}

/// `date` moved by whole calendar months, clamped to the last day of the target month.
pub fn add_months(date: Date, months: i32) -> Date {
    let index = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months;
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    let month = Month::try_from(u8::try_from(month).expect("1..=12")).expect("1..=12");
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

/// Where an open task stands on a given Oslo date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Today (in Oslo) is after the due date, and the task is not done.
    Overdue,
    /// Due today or within the "due soon" window.
    DueSoon,
    /// Due later.
    Open,
    /// Done or not applicable: never overdue.
    Closed,
}

/// The urgency of a task due on `due`, on the Oslo date `today`. `soon_days` is the "due soon"
/// window: 0 means only tasks due today are due soon.
pub fn urgency(due: Date, today: Date, closed: bool, soon_days: u16) -> Urgency {
    if closed {
        Urgency::Closed
    } else if today > due {
        Urgency::Overdue
    } else if (due - today).whole_days() <= i64::from(soon_days) {
        Urgency::DueSoon
    } else {
        Urgency::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn the_housing_plan_is_due_fourteen_days_after_arrival() {
        assert_eq!(
            Period::Days(14).from(date!(2026 - 03 - 16)),
            date!(2026 - 03 - 30)
        );
        assert_eq!(
            Period::Days(14).from(date!(2026 - 12 - 25)),
            date!(2027 - 01 - 08)
        );
        assert_eq!(
            Period::Days(-1).from(date!(2026 - 03 - 01)),
            date!(2026 - 02 - 28)
        );
    }

    #[test]
    fn months_keep_the_day_or_end_at_the_months_last_day() {
        assert_eq!(add_months(date!(2026 - 03 - 16), 3), date!(2026 - 06 - 16));
        assert_eq!(add_months(date!(2026 - 11 - 30), 3), date!(2027 - 02 - 28));
        assert_eq!(
            add_months(date!(2027 - 11 - 30), 3),
            date!(2028 - 02 - 29),
            "leap year"
        );
        assert_eq!(add_months(date!(2026 - 08 - 31), 6), date!(2027 - 02 - 28));
        assert_eq!(add_months(date!(2026 - 01 - 31), -2), date!(2025 - 11 - 30));
    }

    #[test]
    fn a_task_is_overdue_from_the_day_after_its_due_date() {
        let due = date!(2026 - 03 - 30);
        assert_eq!(
            urgency(due, date!(2026 - 03 - 30), false, 3),
            Urgency::DueSoon
        );
        assert_eq!(
            urgency(due, date!(2026 - 03 - 31), false, 3),
            Urgency::Overdue
        );
        assert_eq!(urgency(due, date!(2026 - 03 - 26), false, 3), Urgency::Open);
        assert_eq!(
            urgency(due, date!(2026 - 03 - 27), false, 3),
            Urgency::DueSoon
        );
        assert_eq!(
            urgency(due, date!(2026 - 05 - 01), true, 3),
            Urgency::Closed
        );
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (1990i32..2100, 1u16..=365).prop_map(|(y, d)| Date::from_ordinal_date(y, d).unwrap())
    }

    proptest! {
        #[test]
        fn a_day_period_moves_exactly_that_many_days(anchor in any_date(), n in -400i32..400) {
            let due = Period::Days(n).from(anchor);
            prop_assert_eq!((due - anchor).whole_days(), i64::from(n));
        }

        #[test]
        fn a_month_period_lands_in_the_right_month_on_a_valid_day(anchor in any_date(), n in -30i32..30) {
            let due = add_months(anchor, n);
            let months = (due.year() - anchor.year()) * 12
                + i32::from(u8::from(due.month())) - i32::from(u8::from(anchor.month()));
            prop_assert_eq!(months, n);
            prop_assert!(due.day() == anchor.day() || due.day() == due.month().length(due.year()));
            prop_assert!(due.day() <= anchor.day());
        }

        #[test]
        fn overdue_is_exactly_after_the_due_date(due in any_date(), today in any_date(), soon in 0u16..30) {
            let u = urgency(due, today, false, soon);
            prop_assert_eq!(u == Urgency::Overdue, today > due);
            prop_assert_eq!(urgency(due, today, true, soon), Urgency::Closed);
        }
    }
}
