//! The crisis center's yearly figures, from stay records alone (no I/O): who stayed, how long, how
//! they came and where they moved. The definitions are the yearly report's, written out in the
//! README and on the statistics page; [`year_stats`] is the one place that computes them.

use super::plan::{Gender, Outcome, Referral};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use time::{Date, Month};

/// The columns of the crisis center's file of past stays (`portal import-stays`), in order.
pub const IMPORT_COLUMNS: [&str; 9] = [
    "person_key",
    "gender",
    "birth_year",
    "arrival",
    "move_out",
    "children",
    "referral",
    "outcome",
    "home_district",
];

/// One stay as the statistics need it: whose it is, when, who came along, how it began and ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StayRecord {
    /// The person (the same key on two stays is the same person).
    pub person: i64,
    pub gender: Gender,
    pub arrival: Date,
    pub move_out: Option<Date>,
    /// Children who came along in this stay.
    pub children: u32,
    pub referral: Referral,
    pub outcome: Option<Outcome>,
    /// For a stay whose link to the person's other stays was removed (retention): what that link
    /// told the figures, fixed before it was removed. `person` is then the stay's own.
    pub frozen: Option<Frozen>,
}

/// What the link between a person's stays tells the yearly figures about one of them, fixed
/// before retention removes the link ([`freeze`]), so that every year's figures stay the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Frozen {
    /// The person had stayed before (an earlier arrival).
    pub returning: bool,
    /// From this year on (to the stay's last year) the stay is the person's first stay counting
    /// in the year, the one that makes them an adult of the year; `None`: in no year.
    pub first_year: Option<i32>,
}

/// The [`Frozen`] facts of each of one person's stays (all of them, in any order): a stay is
/// returning when another arrived earlier, and the first of the person in a year when no stay
/// that arrived before it (the earlier of two on the same day by their order here) still counts
/// in that year.
pub fn freeze(person_stays: &[StayRecord]) -> Vec<Frozen> {
    let end_year = |s: &StayRecord| s.move_out.map_or(i32::MAX, |d| d.year());
    person_stays
        .iter()
        .enumerate()
        .map(|(i, stay)| {
            let earlier = person_stays
                .iter()
                .enumerate()
                .filter(|(j, other)| (other.arrival, *j) < (stay.arrival, i));
            let returning = person_stays.iter().any(|o| o.arrival < stay.arrival);
            let covered = earlier.map(|(_, o)| end_year(o)).max();
            let from = match covered {
                Some(i32::MAX) => None,
                Some(year) => Some((year + 1).max(stay.arrival.year())),
                None => Some(stay.arrival.year()),
            };
            Frozen {
                returning,
                first_year: from.filter(|&y| y <= end_year(stay)),
            }
        })
        .collect()
}

/// Distinct adults by gender.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Adults {
    pub total: u64,
    pub female: u64,
    pub male: u64,
    pub other: u64,
    pub unknown: u64,
}

/// Adults who had stayed before.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Returning {
    pub count: u64,
    /// `count / adults.total`, three decimals (0 without adults).
    pub share: f64,
}

/// A year's figures: exactly the keys of `portal stats --json`.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct YearStats {
    pub year: i32,
    pub adults: Adults,
    pub children: u64,
    pub adult_nights: u64,
    /// `adult_nights / adults.total`, one decimal (0 without adults).
    pub nights_per_adult: f64,
    pub returning: Returning,
    /// Adults by the referral of their first stay counting in the year; every code, zeros too.
    pub referral: BTreeMap<String, u64>,
    /// Stays that ended in the year, by outcome; every code, zeros too.
    pub outcome: BTreeMap<String, u64>,
    pub stays_ended: u64,
    /// The median length in days of the stays that ended in the year (`None` when none did).
    pub median_stay_days: Option<f64>,
}

fn round(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

fn first_day(year: i32) -> Date {
    Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN)
}

fn last_day(year: i32) -> Date {
    Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MAX)
}

/// Whether `stay` counts in the year from `start` to `end`: it overlaps it.
fn counts_in(stay: &StayRecord, start: Date, end: Date) -> bool {
    stay.arrival <= end && stay.move_out.is_none_or(|out| out >= start)
}

/// The nights of `stay` in the year: the dates `d` in it with arrival ≤ d < move-out; for a stay
/// not ended, up to and including the earlier of the year's last day and yesterday.
fn nights_in(stay: &StayRecord, start: Date, end: Date, today: Date) -> u64 {
    let from = stay.arrival.max(start);
    let to = match stay.move_out {
        Some(out) => out.previous_day().unwrap_or(Date::MIN).min(end),
        None => today.previous_day().unwrap_or(Date::MIN).min(end),
    };
    if to < from {
        0
    } else {
        u64::try_from((to - from).whole_days() + 1).unwrap_or(0)
    }
}

/// The figures of `year` from every stay on record (stays of other years are needed to tell who
/// is returning); `today` bounds the nights of stays not ended.
pub fn year_stats(year: i32, today: Date, stays: &[StayRecord]) -> YearStats {
    let (start, end) = (first_day(year), last_day(year));
    // Each adult's first stay counting in the year, and their earliest arrival of all.
    let mut first: HashMap<i64, &StayRecord> = HashMap::new();
    let mut earliest: HashMap<i64, Date> = HashMap::new();
    let mut children = 0u64;
    let mut nights = 0u64;
    let mut outcome: BTreeMap<String, u64> = Outcome::ALL
        .iter()
        .map(|o| (o.as_str().to_owned(), 0))
        .collect();
    let mut lengths: Vec<i64> = Vec::new();
    for stay in stays {
        earliest
            .entry(stay.person)
            .and_modify(|d| *d = (*d).min(stay.arrival))
            .or_insert(stay.arrival);
        if !counts_in(stay, start, end) {
            continue;
        }
        first
            .entry(stay.person)
            .and_modify(|f| {
                if stay.arrival < f.arrival {
                    *f = stay;
                }
            })
            .or_insert(stay);
        children += u64::from(stay.children);
        nights += nights_in(stay, start, end, today);
        if let (Some(out), Some(how)) = (stay.move_out, stay.outcome)
            && (start..=end).contains(&out)
        {
            *outcome.entry(how.as_str().to_owned()).or_default() += 1;
            lengths.push((out - stay.arrival).whole_days());
        }
    }
    let mut adults = Adults::default();
    let mut referral: BTreeMap<String, u64> = Referral::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), 0))
        .collect();
    let mut returning = 0u64;
    for stay in first.values() {
        // An anonymised stay is its own person: whether it counts as the person's first stay
        // of the year, and whether they had stayed before, was fixed before the link went.
        let (counts, returned) = match stay.frozen {
            Some(frozen) => (
                frozen.first_year.is_some_and(|y| y <= year),
                frozen.returning,
            ),
            None => (
                true,
                earliest
                    .get(&stay.person)
                    .is_some_and(|d| *d < stay.arrival),
            ),
        };
        if !counts {
            continue;
        }
        adults.total += 1;
        match stay.gender {
            Gender::Female => adults.female += 1,
            Gender::Male => adults.male += 1,
            Gender::Other => adults.other += 1,
            Gender::Unknown => adults.unknown += 1,
        }
        *referral
            .entry(stay.referral.as_str().to_owned())
            .or_default() += 1;
        if returned {
            returning += 1;
        }
    }
    lengths.sort_unstable();
    let median = match lengths.len() {
        0 => None,
        n if n % 2 == 1 => Some(lengths[n / 2] as f64),
        n => Some((lengths[n / 2 - 1] + lengths[n / 2]) as f64 / 2.0),
    };
    let per = |part: u64, decimals: i32| {
        if adults.total == 0 {
            0.0
        } else {
            round(part as f64 / adults.total as f64, decimals)
        }
    };
    YearStats {
        year,
        children,
        adult_nights: nights,
        nights_per_adult: per(nights, 1),
        returning: Returning {
            count: returning,
            share: per(returning, 3),
        },
        referral,
        stays_ended: lengths.len() as u64,
        outcome,
        median_stay_days: median,
        adults,
    }
}

impl YearStats {
    /// The figures as `figure;value` rows (`adults.female;227`), for a spreadsheet: the header
    /// row first, a dot between an object's name and its key, an empty value for no median.
    pub fn csv_rows(&self) -> Vec<(String, String)> {
        let mut rows = vec![("year".to_owned(), self.year.to_string())];
        let a = &self.adults;
        for (key, value) in [
            ("total", a.total),
            ("female", a.female),
            ("male", a.male),
            ("other", a.other),
            ("unknown", a.unknown),
        ] {
            rows.push((format!("adults.{key}"), value.to_string()));
        }
        rows.push(("children".into(), self.children.to_string()));
        rows.push(("adult_nights".into(), self.adult_nights.to_string()));
        rows.push((
            "nights_per_adult".into(),
            format!("{:.1}", self.nights_per_adult),
        ));
        rows.push(("returning.count".into(), self.returning.count.to_string()));
        rows.push((
            "returning.share".into(),
            format!("{:.3}", self.returning.share),
        ));
        for (code, n) in &self.referral {
            rows.push((format!("referral.{code}"), n.to_string()));
        }
        for (code, n) in &self.outcome {
            rows.push((format!("outcome.{code}"), n.to_string()));
        }
        rows.push(("stays_ended".into(), self.stays_ended.to_string()));
        rows.push((
            "median_stay_days".into(),
            self.median_stay_days
                .map(|m| m.to_string())
                .unwrap_or_default(),
        ));
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn stay(person: i64, arrival: Date, move_out: Option<Date>) -> StayRecord {
        StayRecord {
            person,
            gender: Gender::Female,
            arrival,
            move_out,
            children: 0,
            referral: Referral::Police,
            outcome: move_out.map(|_| Outcome::NewHome),
            frozen: None,
        }
    }

    proptest::proptest! {
        /// Removing the link between a person's stays, after freezing what it told the figures,
        /// leaves every year's figures as they were: for any stays of a few persons (across year
        /// ends, returning, open), whichever persons are anonymised.
        #[test]
        fn freezing_then_unlinking_leaves_every_year_as_it_was(
            raw in proptest::collection::vec(
                (0i64..4, 0i64..2500, proptest::option::of(0i64..500), 0u32..3, 0usize..6),
                1..14,
            ),
            anonymised in proptest::collection::vec(proptest::bool::ANY, 4),
        ) {
            let base = date!(2018 - 01 - 01);
            let stays: Vec<StayRecord> = raw
                .iter()
                .map(|&(person, from, length, children, referral)| {
                    let arrival = base + time::Duration::days(from);
                    let mut s = stay(person, arrival, length.map(|l| arrival + time::Duration::days(l)));
                    s.children = children;
                    s.referral = Referral::ALL[referral];
                    s
                })
                .collect();
            let mut after: Vec<StayRecord> = stays
                .iter()
                .filter(|s| !anonymised[s.person as usize])
                .copied()
                .collect();
            for person in (0..4).filter(|&p| anonymised[p as usize]) {
                let mine: Vec<StayRecord> = stays.iter().filter(|s| s.person == person).copied().collect();
                for (n, (s, frozen)) in mine.iter().zip(freeze(&mine)).enumerate() {
                    after.push(StayRecord {
                        person: 1000 + person * 100 + n as i64,
                        frozen: Some(frozen),
                        ..*s
                    });
                }
            }
            let today = date!(2026 - 01 - 01);
            for year in 2017..=2026 {
                let (was, is) = (year_stats(year, today, &stays), year_stats(year, today, &after));
                proptest::prop_assert_eq!(was.adults, is.adults, "adults of {}", year);
                proptest::prop_assert_eq!(was.returning, is.returning, "returning of {}", year);
                proptest::prop_assert_eq!(was.referral, is.referral, "referral of {}", year);
                proptest::prop_assert_eq!(was.children, is.children);
                proptest::prop_assert_eq!(was.adult_nights, is.adult_nights);
            }
        }
    }

    #[test]
    fn a_stay_across_the_year_end_counts_in_both_years_with_its_nights_split() {
        let stays = [stay(1, date!(2025 - 12 - 30), Some(date!(2026 - 01 - 03)))];
        let today = date!(2026 - 06 - 01);
        let before = year_stats(2025, today, &stays);
        let after = year_stats(2026, today, &stays);
        // 30 and 31 December; 1, 2 January (the move-out day is no night).
        assert_eq!((before.adult_nights, after.adult_nights), (2, 2));
        assert_eq!((before.adults.total, after.adults.total), (1, 1));
        assert_eq!((before.stays_ended, after.stays_ended), (0, 1));
        assert_eq!(after.median_stay_days, Some(4.0));
        assert_eq!(after.outcome["new_home"], 1);
        assert_eq!(before.median_stay_days, None);
    }

    #[test]
    fn a_stay_not_ended_counts_nights_up_to_yesterday_or_the_year_end() {
        let stays = [stay(1, date!(2026 - 12 - 01), None)];
        assert_eq!(
            year_stats(2026, date!(2026 - 12 - 04), &stays).adult_nights,
            3
        );
        assert_eq!(
            year_stats(2026, date!(2027 - 02 - 01), &stays).adult_nights,
            31
        );
        assert_eq!(
            year_stats(2026, date!(2026 - 12 - 01), &stays).adult_nights,
            0,
            "arrived today: no night yet"
        );
    }

    #[test]
    fn a_person_counts_once_by_their_first_stay_and_returns_only_after_an_earlier_stay() {
        let mut second = stay(1, date!(2026 - 05 - 01), Some(date!(2026 - 05 - 11)));
        second.referral = Referral::SelfReferred;
        second.children = 2;
        let stays = [
            stay(1, date!(2026 - 02 - 01), Some(date!(2026 - 02 - 11))),
            second,
            stay(2, date!(2024 - 01 - 01), Some(date!(2024 - 01 - 05))),
            stay(2, date!(2026 - 03 - 01), Some(date!(2026 - 03 - 02))),
        ];
        let s = year_stats(2026, date!(2027 - 01 - 10), &stays);
        assert_eq!(s.adults.total, 2);
        assert_eq!(s.referral["police"], 2, "by the first stay in the year");
        assert_eq!(s.referral["self"], 0);
        assert_eq!(s.children, 2);
        // Person 1's first stay in 2026 has no earlier stay; person 2 stayed in 2024.
        assert_eq!(s.returning.count, 1);
        assert_eq!(s.returning.share, 0.5);
        assert_eq!(s.adult_nights, 10 + 10 + 1);
        assert_eq!(s.nights_per_adult, 10.5);
        // Lengths 1, 10, 10: the middle one.
        assert_eq!(s.median_stay_days, Some(10.0));
        assert_eq!(s.referral.len(), 6);
        assert_eq!(s.outcome.len(), 6);
    }

    #[test]
    fn an_even_number_of_ended_stays_has_the_mean_of_the_middle_two_as_median() {
        let stays = [
            stay(1, date!(2026 - 01 - 01), Some(date!(2026 - 01 - 04))),
            stay(2, date!(2026 - 01 - 01), Some(date!(2026 - 01 - 08))),
        ];
        assert_eq!(
            year_stats(2026, date!(2027 - 01 - 01), &stays).median_stay_days,
            Some(5.0)
        );
        let none = year_stats(2020, date!(2027 - 01 - 01), &stays);
        assert_eq!(none.adults.total, 0);
        assert_eq!(none.nights_per_adult, 0.0);
        assert_eq!(none.returning.share, 0.0);
    }

    #[test]
    fn the_csv_rows_name_every_figure() {
        let s = year_stats(
            2026,
            date!(2027 - 01 - 01),
            &[stay(1, date!(2026 - 01 - 01), None)],
        );
        let rows = s.csv_rows();
        // year, adults (5), children, nights, per adult, returning (2), 6 + 6 codes, ended, median.
        assert_eq!(rows.len(), 1 + 5 + 3 + 2 + 6 + 6 + 2);
        assert!(rows.contains(&("adults.female".into(), "1".into())));
        assert!(rows.contains(&("adult_nights".into(), "365".into())));
        assert!(rows.contains(&("referral.self".into(), "0".into())));
        assert!(rows.contains(&("median_stay_days".into(), String::new())));
    }
}
