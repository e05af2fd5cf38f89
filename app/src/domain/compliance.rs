//! Compliance as the municipality reviews it: the period a figure covers (a quarter, a year, or
//! from/to, kept in the URL), and the rule that no figure tells about fewer than three people.
//!
//! **Small cells.** A count of 1 or 2 is shown as "under 3" (primary suppression). A table whose
//! columns add up to a shown total (the municipality's row) would give such a cell away by
//! subtraction, so every column with a suppressed cell gets a second one: the smallest other
//! positive count of the column is hidden too (complementary suppression), and when the column
//! has no such count, its total is hidden. A figure computed from a count (a share, a median)
//! is hidden with it. No I/O: the repository counts, this decides what may be shown.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// The smallest count shown as it is.
pub const SMALLEST_SHOWN: i64 = 3;

/// The smallest count that hides another one: a hidden count this large can be one more or one
/// less (and stay a count that is hidden rather than "under 3"), so a total minus the shown
/// cells never pins a small count down.
const FREE: i64 = SMALLEST_SHOWN + 1;

/// The longest period one figure may cover (ten years, as the national dataset holds).
pub const LONGEST_PERIOD_DAYS: i64 = 3_660;

/// The dates a figure covers, both included, and how it was chosen (for its label and link).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: Date,
    pub to: Date,
    pub kind: PeriodKind,
}

/// How a period was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeriodKind {
    /// A calendar quarter (1 to 4).
    Quarter(i32, u8),
    /// A calendar year.
    Year(i32),
    /// Any dates.
    Range,
}

impl Period {
    /// The calendar quarter `q` (1 to 4) of `year`.
    pub fn quarter(year: i32, q: u8) -> Option<Period> {
        if !(1..=4).contains(&q) || !(2000..=2100).contains(&year) {
            return None;
        }
        let first = Month::try_from(q * 3 - 2).ok()?;
        let last = Month::try_from(q * 3).ok()?;
        Some(Period {
            from: Date::from_calendar_date(year, first, 1).ok()?,
            to: Date::from_calendar_date(year, last, last.length(year)).ok()?,
            kind: PeriodKind::Quarter(year, q),
        })
    }

    /// The calendar year.
    pub fn year(year: i32) -> Option<Period> {
        if !(2000..=2100).contains(&year) {
            return None;
        }
        Some(Period {
            from: Date::from_calendar_date(year, Month::January, 1).ok()?,
            to: Date::from_calendar_date(year, Month::December, 31).ok()?,
            kind: PeriodKind::Year(year),
        })
    }

    /// Any dates from `from` to `to` (at most [`LONGEST_PERIOD_DAYS`]).
    pub fn range(from: Date, to: Date) -> Option<Period> {
        let days = (to - from).whole_days();
        (0..=LONGEST_PERIOD_DAYS).contains(&days).then_some(Period {
            from,
            to,
            kind: PeriodKind::Range,
        })
    }

    /// The last whole quarter before `today`: what a reviewer sees first.
    pub fn last_quarter(today: Date) -> Period {
        let q = (u8::from(today.month()) - 1) / 3 + 1;
        let (year, q) = if q == 1 {
            (today.year() - 1, 4)
        } else {
            (today.year(), q - 1)
        };
        Period::quarter(year, q).unwrap_or(Period {
            from: today,
            to: today,
            kind: PeriodKind::Range,
        })
    }

    /// The period a page's query names: `periode=2026K3` (a quarter), `periode=2026` (a year),
    /// or `fra=YYYY-MM-DD&til=YYYY-MM-DD`; nothing named is the last whole quarter. `Err` names
    /// the field that does not make sense.
    pub fn from_query(
        periode: Option<&str>,
        fra: Option<&str>,
        til: Option<&str>,
        today: Date,
    ) -> Result<Period, &'static str> {
        match (nonempty(periode), nonempty(fra), nonempty(til)) {
            (Some(p), _, _) => parse_period(p).ok_or("periode"),
            (None, Some(f), Some(t)) => {
                let f = parse_date(f).ok_or("fra")?;
                let t = parse_date(t).ok_or("til")?;
                Period::range(f, t).ok_or("til")
            }
            (None, Some(_), None) => Err("til"),
            (None, None, Some(_)) => Err("fra"),
            (None, None, None) => Ok(Period::last_quarter(today)),
        }
    }

    /// The query that names this period again (for links and the CSV's address).
    pub fn query(&self) -> String {
        match self.kind {
            PeriodKind::Quarter(y, q) => format!("periode={y}K{q}"),
            PeriodKind::Year(y) => format!("periode={y}"),
            PeriodKind::Range => format!("fra={}&til={}", self.from, self.to),
        }
    }

    /// A short label: `3. kvartal 2026`, `2026`, or `01.01.2026–31.03.2026` (the words are the
    /// page's; this gives the numbers).
    pub fn numbers(&self) -> String {
        match self.kind {
            PeriodKind::Quarter(y, q) => format!("{q}/{y}"),
            PeriodKind::Year(y) => y.to_string(),
            PeriodKind::Range => format!("{}–{}", day_text(self.from), day_text(self.to)),
        }
    }

    /// The `n` quarters up to and including the one `self` ends in, oldest first (the district
    /// page's figures over time).
    pub fn quarters_to(&self, n: usize) -> Vec<Period> {
        let mut year = self.to.year();
        let mut q = (u8::from(self.to.month()) - 1) / 3 + 1;
        let mut all = Vec::with_capacity(n);
        for _ in 0..n {
            if let Some(p) = Period::quarter(year, q) {
                all.push(p);
            }
            if q == 1 {
                year -= 1;
                q = 4;
            } else {
                q -= 1;
            }
        }
        all.reverse();
        all
    }
}

fn nonempty(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

fn parse_period(raw: &str) -> Option<Period> {
    match raw.split_once(['K', 'k', 'Q', 'q']) {
        Some((y, q)) => Period::quarter(y.parse().ok()?, q.parse().ok()?),
        None if raw.len() == 4 => Period::year(raw.parse().ok()?),
        None => None,
    }
}

fn parse_date(raw: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw, &format).ok()
}

fn day_text(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

/// One cell as a reviewer may see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shown {
    /// The count as it is (0, or 3 and more; or any count that gives nobody away).
    Count(i64),
    /// 1 or 2: shown as "under 3".
    Under3,
    /// Hidden so that an "under 3" elsewhere cannot be worked out (or computed from one).
    Hidden,
}

impl Shown {
    pub fn count(self) -> Option<i64> {
        match self {
            Shown::Count(n) => Some(n),
            _ => None,
        }
    }
}

/// A table of counts as it may be shown: `cells[column][row]`, and each column's total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppressed {
    pub cells: Vec<Vec<Shown>>,
    pub totals: Vec<Shown>,
}

/// Decides what of a table of counts may be shown. `columns[c][r]` is the count of row `r`
/// (a district) in column `c`; each column's total (the municipality) is the sum of its rows.
/// `within[c] = Some(d)` says column `c` counts a part of column `d` (done by the deadline,
/// of all due): where `d` is not shown, neither is `c`.
pub fn suppress(columns: &[Vec<i64>], within: &[Option<usize>]) -> Suppressed {
    let shown = |n: i64| {
        if (1..SMALLEST_SHOWN).contains(&n) {
            Shown::Under3
        } else {
            Shown::Count(n)
        }
    };
    let mut cells: Vec<Vec<Shown>> = columns
        .iter()
        .map(|col| col.iter().map(|&n| shown(n)).collect())
        .collect();
    let mut totals: Vec<Shown> = columns.iter().map(|col| shown(col.iter().sum())).collect();
    loop {
        let mut changed = false;
        // A part is hidden where its whole is not shown.
        for (c, whole) in within.iter().enumerate() {
            let Some(d) = *whole else { continue };
            for r in 0..cells[c].len() {
                if cells[d][r].count().is_none() && cells[c][r].count().is_some() {
                    cells[c][r] = Shown::Hidden;
                    changed = true;
                }
            }
            if totals[d].count().is_none() && totals[c].count().is_some() {
                totals[c] = Shown::Hidden;
                changed = true;
            }
        }
        // A column with its total shown and a cell not shown needs a second cell not shown,
        // one of them at least FREE: then the total minus the shown cells is a sum that the
        // free cell can balance for any other value of a small one.
        // Wholes before their parts, one complement at a time: a part hidden with its whole
        // may already be the company a column needs.
        let order = (0..cells.len())
            .filter(|&c| within.get(c).copied().flatten().is_none())
            .chain((0..cells.len()).filter(|&c| within.get(c).copied().flatten().is_some()));
        for c in order {
            if totals[c].count().is_none() {
                continue;
            }
            let not_shown: Vec<i64> = columns[c]
                .iter()
                .zip(&cells[c])
                .filter(|(_, s)| s.count().is_none())
                .map(|(&n, _)| n)
                .collect();
            let safe = not_shown.is_empty()
                || (not_shown.len() >= 2 && not_shown.iter().any(|&n| n >= FREE));
            if safe {
                continue;
            }
            let complement = cells[c]
                .iter()
                .enumerate()
                .filter_map(|(r, s)| s.count().filter(|&n| n >= FREE).map(|n| (n, r)))
                .min();
            match complement {
                Some((_, r)) => cells[c][r] = Shown::Hidden,
                None => totals[c] = Shown::Hidden,
            }
            changed = true;
            break;
        }
        if !changed {
            return Suppressed { cells, totals };
        }
    }
}

/// A share in whole percent, shown only when both counts are.
pub fn share(part: Shown, whole: Shown) -> Option<u32> {
    match (part.count(), whole.count()) {
        (Some(p), Some(w)) if w > 0 => u32::try_from((p * 100 + w / 2) / w).ok(),
        _ => None,
    }
}

/// The value at `pct` percent of sorted `values` (nearest rank), or `None` over fewer than
/// [`SMALLEST_SHOWN`] values (a median of two people tells about each of them).
pub fn percentile(sorted: &[i64], pct: u32) -> Option<i64> {
    if (sorted.len() as i64) < SMALLEST_SHOWN {
        return None;
    }
    let rank = (u64::from(pct) * sorted.len() as u64).div_ceil(100).max(1);
    sorted.get(usize::try_from(rank - 1).ok()?).copied()
}

/// The housing-plan figures of one district (or the municipality) for a period: plans whose
/// (extended) due date lies in the period, how many were done by it, the days from arrival to
/// done; and what is open and overdue now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HousingCounts {
    pub due: i64,
    pub done_in_time: i64,
    /// Days from arrival to done, of every plan done (sorted).
    pub days_to_done: Vec<i64>,
    pub open_now: i64,
    pub overdue_now: i64,
}

/// One row of the housing-plan table as a reviewer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HousingRow {
    /// The district's slug and name; `None` for the municipality as a whole.
    pub district: Option<(String, String)>,
    pub due: Shown,
    pub done_in_time: Shown,
    pub share_in_time: Option<u32>,
    pub median_days: Option<i64>,
    pub p90_days: Option<i64>,
    pub open_now: Shown,
    pub overdue_now: Shown,
}

/// The housing-plan table: a row per district, then the municipality's, with small cells
/// suppressed across the districts (the municipality's row is the columns' totals).
pub fn housing_table(rows: &[((String, String), HousingCounts)]) -> Vec<HousingRow> {
    let column = |f: fn(&HousingCounts) -> i64| rows.iter().map(|(_, c)| f(c)).collect();
    let columns: Vec<Vec<i64>> = vec![
        column(|c| c.due),
        column(|c| c.done_in_time),
        column(|c| c.open_now),
        column(|c| c.overdue_now),
    ];
    let s = suppress(&columns, &[None, Some(0), None, Some(2)]);
    let mut all_days: Vec<i64> = rows
        .iter()
        .flat_map(|(_, c)| c.days_to_done.iter().copied())
        .collect();
    all_days.sort_unstable();
    let row = |district: Option<(String, String)>, cell: &dyn Fn(usize) -> Shown, days: &[i64]| {
        // Days are shown only where the count of plans they come from is.
        let days_shown = cell(0).count().is_some();
        HousingRow {
            district,
            due: cell(0),
            done_in_time: cell(1),
            share_in_time: share(cell(1), cell(0)),
            median_days: days_shown.then(|| percentile(days, 50)).flatten(),
            p90_days: days_shown.then(|| percentile(days, 90)).flatten(),
            open_now: cell(2),
            overdue_now: cell(3),
        }
    };
    let mut table: Vec<HousingRow> = rows
        .iter()
        .enumerate()
        .map(|(r, (district, counts))| {
            row(
                Some(district.clone()),
                &|c| s.cells[c][r],
                &counts.days_to_done,
            )
        })
        .collect();
    table.push(row(None, &|c| s.totals[c], &all_days));
    table
}

/// The deviation counts of one district for a period: opened in it, closed in it, and open at
/// its end (or today, for a period not yet over) for more than
/// [`crate::domain::deviation::LONG_OPEN_DAYS`] days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviationCounts {
    pub opened: i64,
    pub closed: i64,
    pub long_open: i64,
}

/// One row of the deviation table as a reviewer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviationCountRow {
    /// The district's slug and name; `None` for the municipality as a whole.
    pub district: Option<(String, String)>,
    pub opened: Shown,
    pub closed: Shown,
    pub long_open: Shown,
}

/// The deviation table: a row per district, then the municipality's, small cells suppressed as
/// in [`housing_table`].
pub fn deviation_table(rows: &[((String, String), DeviationCounts)]) -> Vec<DeviationCountRow> {
    let column = |f: fn(&DeviationCounts) -> i64| rows.iter().map(|(_, c)| f(c)).collect();
    let columns: Vec<Vec<i64>> = vec![
        column(|c| c.opened),
        column(|c| c.closed),
        column(|c| c.long_open),
    ];
    let s = suppress(&columns, &[None, None, None]);
    let mut table: Vec<DeviationCountRow> = rows
        .iter()
        .enumerate()
        .map(|(r, (district, _))| DeviationCountRow {
            district: Some(district.clone()),
            opened: s.cells[0][r],
            closed: s.cells[1][r],
            long_open: s.cells[2][r],
        })
        .collect();
    table.push(DeviationCountRow {
        district: None,
        opened: s.totals[0],
        closed: s.totals[1],
        long_open: s.totals[2],
    });
    table
}

/// The age bands of an open task past its (extended) due date, in whole days past it: 1–7,
/// 8–30 and over 30.
pub const OVERDUE_BANDS: usize = 3;

/// The band of a task `days` past its due date; `None` when it is not past it.
pub fn overdue_band(days: i64) -> Option<usize> {
    match days {
        ..=0 => None,
        1..=7 => Some(0),
        8..=30 => Some(1),
        _ => Some(2),
    }
}

/// One district's open tasks past their (extended) due date today, per service (in the order of
/// [`crate::domain::ServiceKind::STANDARD`]) and age band.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueCounts {
    pub tasks: [[i64; OVERDUE_BANDS]; 3],
}

/// One row of the overdue table as a reviewer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueRow {
    /// The district's slug and name; `None` for the municipality as a whole.
    pub district: Option<(String, String)>,
    /// Service by service, band by band: NAV 1–7, NAV 8–30, NAV over 30, child welfare 1–7, …
    pub cells: Vec<Shown>,
}

/// The overdue table: a row per district, then the municipality's, small cells suppressed as in
/// [`housing_table`] (each task is one stay's, so a small count is a few people).
pub fn overdue_table(rows: &[((String, String), OverdueCounts)]) -> Vec<OverdueRow> {
    let columns: Vec<Vec<i64>> = (0..3 * OVERDUE_BANDS)
        .map(|c| {
            rows.iter()
                .map(|(_, o)| o.tasks[c / OVERDUE_BANDS][c % OVERDUE_BANDS])
                .collect()
        })
        .collect();
    let s = suppress(&columns, &[None; 3 * OVERDUE_BANDS]);
    let mut table: Vec<OverdueRow> = rows
        .iter()
        .enumerate()
        .map(|(r, (district, _))| OverdueRow {
            district: Some(district.clone()),
            cells: s.cells.iter().map(|column| column[r]).collect(),
        })
        .collect();
    table.push(OverdueRow {
        district: None,
        cells: s.totals.clone(),
    });
    table
}

/// The steps with a deadline set by law or by the routine whose share done in time a reviewer
/// follows beside the housing plan: the follow-up plan after a move to temporary housing, and
/// child welfare's review of a report (7 days) and investigation (3 months, or longer when
/// extended).
pub const DEADLINE_STEPS: [crate::domain::routine::Step; 3] = [
    crate::domain::routine::Step::FollowUpPlan,
    crate::domain::routine::Step::ChildWelfareReview,
    crate::domain::routine::Step::ChildWelfareInvestigation,
];

/// One district's tasks of each of [`DEADLINE_STEPS`] whose (extended) due date lies in the
/// period (not applicable and withdrawn ones left out): how many, how many were done by that
/// date, and how many by the task's own date (before any extension).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepCounts {
    pub due: [i64; 3],
    pub in_time: [i64; 3],
    pub in_own_time: [i64; 3],
}

/// The columns of the steps table: each step's due and done in time; the investigation's done
/// by its own date (without extension) too, as the law's three months.
pub const STEP_COLUMNS: usize = 7;

/// Which column of the steps table counts a part of which (its "in time" of its due).
pub const STEP_WITHIN: [Option<usize>; STEP_COLUMNS] =
    [None, Some(0), None, Some(2), None, Some(4), Some(4)];

/// One row of a table of counts and parts of them (the steps table, the exit-meeting table) as
/// a reviewer sees it: the cells, and for each cell that counts a part of another (see the
/// table's `within`) the share of that whole (`None` where either is not shown).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartsRow {
    /// The district's slug and name; `None` for the municipality as a whole.
    pub district: Option<(String, String)>,
    pub cells: Vec<Shown>,
    pub shares: Vec<Option<u32>>,
}

/// A table of counts and parts of them: a row per district (`rows[r].1[c]` is column `c`), then
/// the municipality's, small cells suppressed as in [`housing_table`] (a part hidden with its
/// whole), and the shares of the parts.
pub fn parts_table(
    rows: &[((String, String), Vec<i64>)],
    within: &[Option<usize>],
) -> Vec<PartsRow> {
    let columns: Vec<Vec<i64>> = (0..within.len())
        .map(|c| rows.iter().map(|(_, counts)| counts[c]).collect())
        .collect();
    let s = suppress(&columns, within);
    let row = |district: Option<(String, String)>, cells: Vec<Shown>| {
        let shares = within
            .iter()
            .enumerate()
            .map(|(c, whole)| whole.and_then(|w| share(cells[c], cells[w])))
            .collect();
        PartsRow {
            district,
            cells,
            shares,
        }
    };
    let mut table: Vec<PartsRow> = rows
        .iter()
        .enumerate()
        .map(|(r, (district, _))| {
            row(
                Some(district.clone()),
                s.cells.iter().map(|column| column[r]).collect(),
            )
        })
        .collect();
    table.push(row(None, s.totals.clone()));
    table
}

/// The steps table: follow-up plan (due, in time), review (due, in time), investigation (due,
/// in time with extension, in time without).
pub fn step_table(rows: &[((String, String), StepCounts)]) -> Vec<PartsRow> {
    let rows: Vec<((String, String), Vec<i64>)> = rows
        .iter()
        .map(|(district, c)| {
            (
                district.clone(),
                vec![
                    c.due[0],
                    c.in_time[0],
                    c.due[1],
                    c.in_time[1],
                    c.due[2],
                    c.in_time[2],
                    c.in_own_time[2],
                ],
            )
        })
        .collect();
    parts_table(&rows, &STEP_WITHIN)
}

/// One district's move-outs in a period and their exit meetings: how many moved out, how many
/// of them had the meeting held on or before the day they moved, and per service (in the order
/// of [`crate::domain::ServiceKind::STANDARD`]) of the district, how many of its invitations to
/// those meetings it had and how many times it came.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingCounts {
    pub moved_out: i64,
    pub held_before: i64,
    pub invited: [i64; 3],
    pub attended: [i64; 3],
}

/// Which column of the exit-meeting table counts a part of which: held before of moved out,
/// and each service's attended of its invitations.
pub const MEETING_WITHIN: [Option<usize>; 8] =
    [None, Some(0), None, Some(2), None, Some(4), None, Some(6)];

/// The exit-meeting table: moved out, held before; then invited and attended per service.
pub fn meeting_table(rows: &[((String, String), MeetingCounts)]) -> Vec<PartsRow> {
    let rows: Vec<((String, String), Vec<i64>)> = rows
        .iter()
        .map(|(district, c)| {
            let mut counts = vec![c.moved_out, c.held_before];
            for s in 0..3 {
                counts.extend([c.invited[s], c.attended[s]]);
            }
            (district.clone(), counts)
        })
        .collect();
    parts_table(&rows, &MEETING_WITHIN)
}

/// One district's transfers of a case to another district (counted in the district that hands
/// the case over: its NAV office and child welfare service own the step): hand-overs started in
/// the period, completed in it, and the days from start to completion of each completed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferCounts {
    pub started: i64,
    pub completed: i64,
    /// Days from the hand-over's start to its completion, of each completed in the period
    /// (sorted).
    pub days: Vec<i64>,
}

/// One row of the transfer table as a reviewer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferRow {
    /// The district's slug and name; `None` for the municipality as a whole.
    pub district: Option<(String, String)>,
    pub started: Shown,
    pub completed: Shown,
    pub median_days: Option<i64>,
    pub p90_days: Option<i64>,
}

/// The transfer table: a row per district, then the municipality's, small cells suppressed as
/// in [`housing_table`]; days shown only where the count of completed transfers is.
pub fn transfer_table(rows: &[((String, String), TransferCounts)]) -> Vec<TransferRow> {
    let columns: Vec<Vec<i64>> = vec![
        rows.iter().map(|(_, c)| c.started).collect(),
        rows.iter().map(|(_, c)| c.completed).collect(),
    ];
    let s = suppress(&columns, &[None, None]);
    let row =
        |district: Option<(String, String)>, started: Shown, completed: Shown, days: &[i64]| {
            let days_shown = completed.count().is_some();
            TransferRow {
                district,
                started,
                completed,
                median_days: days_shown.then(|| percentile(days, 50)).flatten(),
                p90_days: days_shown.then(|| percentile(days, 90)).flatten(),
            }
        };
    let mut all_days: Vec<i64> = rows
        .iter()
        .flat_map(|(_, c)| c.days.iter().copied())
        .collect();
    all_days.sort_unstable();
    let mut table: Vec<TransferRow> = rows
        .iter()
        .enumerate()
        .map(|(r, (district, c))| {
            row(
                Some(district.clone()),
                s.cells[0][r],
                s.cells[1][r],
                &c.days,
            )
        })
        .collect();
    table.push(row(None, s.totals[0], s.totals[1], &all_days));
    table
}

/// How long a resident ready to move out may wait for housing before the municipality counts
/// the wait as too long (the crisis center's annual report's most frequent failure).
pub const WAIT_LIMIT_DAYS: i64 = 14;

/// One district's stays that went on for lack of housing (counted in the district the resident
/// moves to, or else the home district): move-outs in the period after a recorded day of being
/// ready, how many of them waited more than [`WAIT_LIMIT_DAYS`], the days each waited; and,
/// today, the residents still in the house who have waited longer than that.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitCounts {
    pub moved_out: i64,
    pub waited_long: i64,
    /// Days from ready to move-out, of each move-out counted (sorted).
    pub days: Vec<i64>,
    pub waiting_long_now: i64,
}

/// One row of the waiting table as a reviewer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitRow {
    /// The district's slug and name; `None` for the municipality as a whole.
    pub district: Option<(String, String)>,
    pub moved_out: Shown,
    pub waited_long: Shown,
    pub share_long: Option<u32>,
    pub median_days: Option<i64>,
    pub waiting_long_now: Shown,
}

/// The waiting table: a row per district, then the municipality's, small cells suppressed as
/// in [`housing_table`]; the median shown only where the count of move-outs is.
pub fn wait_table(rows: &[((String, String), WaitCounts)]) -> Vec<WaitRow> {
    let columns: Vec<Vec<i64>> = vec![
        rows.iter().map(|(_, c)| c.moved_out).collect(),
        rows.iter().map(|(_, c)| c.waited_long).collect(),
        rows.iter().map(|(_, c)| c.waiting_long_now).collect(),
    ];
    let s = suppress(&columns, &[None, Some(0), None]);
    let row =
        |district: Option<(String, String)>, cell: &dyn Fn(usize) -> Shown, days: &[i64]| WaitRow {
            district,
            moved_out: cell(0),
            waited_long: cell(1),
            share_long: share(cell(1), cell(0)),
            median_days: cell(0).count().and_then(|_| percentile(days, 50)),
            waiting_long_now: cell(2),
        };
    let mut all_days: Vec<i64> = rows
        .iter()
        .flat_map(|(_, c)| c.days.iter().copied())
        .collect();
    all_days.sort_unstable();
    let mut table: Vec<WaitRow> = rows
        .iter()
        .enumerate()
        .map(|(r, (district, c))| row(Some(district.clone()), &|col| s.cells[col][r], &c.days))
        .collect();
    table.push(row(None, &|col| s.totals[col], &all_days));
    table
}

/// The compliance overview of every district for a period, as a reviewer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceView {
    pub period: Period,
    /// The Oslo date the "now" figures are of.
    pub today: Date,
    /// When the figures were made, Oslo time (`03.12.2026 21:30`), for a printed report.
    pub made_at: String,
    /// Every district's slug and name (to choose the districts to compare), whichever rows the
    /// tables keep.
    pub districts: Vec<(String, String)>,
    /// A row per district, then the municipality's.
    pub housing: Vec<HousingRow>,
    /// A row per district, then the municipality's (the crisis center's own deviations are on
    /// `/avvik`, not here).
    pub deviations: Vec<DeviationCountRow>,
    /// Open tasks past their due date today, per district, service and age band; a row per
    /// district, then the municipality's.
    pub overdue: Vec<OverdueRow>,
    /// The follow-up plan and child welfare's legal periods in the period; a row per district,
    /// then the municipality's.
    pub steps: Vec<PartsRow>,
    /// Move-outs in the period and their exit meetings; a row per district, then the
    /// municipality's.
    pub meetings: Vec<PartsRow>,
    /// Transfers to another district started and completed in the period; a row per district,
    /// then the municipality's.
    pub transfers: Vec<TransferRow>,
    /// Stays that went on for lack of housing: the wait from ready to move-out in the period,
    /// and those waiting long today; a row per district, then the municipality's.
    pub waits: Vec<WaitRow>,
}

/// The most districts a comparison names (Oslo has 15; more is not a request a page makes).
pub const MOST_DISTRICTS: usize = 20;

/// Checks the districts a comparison names: slugs, and not more than [`MOST_DISTRICTS`]
/// (`Err` names the field). A slug no district has shows nothing.
pub fn check_districts(slugs: &[String]) -> Result<(), &'static str> {
    let slugs_only = slugs
        .iter()
        .all(|slug| crate::domain::DistrictSlug::parse(slug).is_ok());
    if slugs.len() <= MOST_DISTRICTS && slugs_only {
        Ok(())
    } else {
        Err("bydel")
    }
}

/// How many quarters a district's page shows its figures over (two years: a quarter beside the
/// same quarter a year before).
pub const QUARTERS_SHOWN: usize = 8;

impl ComplianceView {
    /// The same view with only the rows of the districts `slugs` names (every district's when
    /// it names none) and the municipality's. Small cells were already suppressed across every
    /// district, so a part of the table shows nothing the whole does not.
    pub fn only(self, slugs: &[String]) -> ComplianceView {
        if slugs.is_empty() {
            return self;
        }
        fn keep<T>(
            rows: Vec<T>,
            slugs: &[String],
            of: fn(&T) -> &Option<(String, String)>,
        ) -> Vec<T> {
            rows.into_iter()
                .filter(|row| {
                    of(row)
                        .as_ref()
                        .is_none_or(|(slug, _)| slugs.contains(slug))
                })
                .collect()
        }
        ComplianceView {
            housing: keep(self.housing, slugs, |r| &r.district),
            deviations: keep(self.deviations, slugs, |r| &r.district),
            overdue: keep(self.overdue, slugs, |r| &r.district),
            steps: keep(self.steps, slugs, |r| &r.district),
            meetings: keep(self.meetings, slugs, |r| &r.district),
            transfers: keep(self.transfers, slugs, |r| &r.district),
            waits: keep(self.waits, slugs, |r| &r.district),
            ..self
        }
    }
}

/// One district's page: its figures for the period beside the municipality's, and the same over
/// the [`QUARTERS_SHOWN`] quarters up to the period's end. Each quarter's figures are cut from
/// that quarter's whole table (suppressed across every district), so this page shows nothing
/// the overview of the same quarter does not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictCompliance {
    /// The district's slug and name.
    pub district: (String, String),
    /// The period's figures: in each table the district's row, then the municipality's.
    pub view: ComplianceView,
    /// The quarters, oldest first, each as `view` (their "now" figures left out).
    pub quarters: Vec<ComplianceView>,
}

/// One district's (or the municipality's) figures of one quarter, as its page follows them over
/// time: the shares done in time and the counts behind them, as the quarter's tables show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuarterFigures {
    pub housing_due: Shown,
    pub housing_share: Option<u32>,
    pub moved_out: Shown,
    /// Share of the move-outs with the exit meeting held before.
    pub meeting_share: Option<u32>,
    pub follow_up_share: Option<u32>,
    pub review_share: Option<u32>,
    /// Share of investigations done in time (with an extension where one was granted).
    pub investigation_share: Option<u32>,
    pub transfers_completed: Shown,
    pub waited_long: Shown,
    pub deviations_opened: Shown,
}

impl QuarterFigures {
    /// The figures of row `row` of each table of `view`; `None` where a table lacks it.
    fn of(view: &ComplianceView, row: usize) -> Option<QuarterFigures> {
        let housing = view.housing.get(row)?;
        let meetings = view.meetings.get(row)?;
        let steps = view.steps.get(row)?;
        Some(QuarterFigures {
            housing_due: housing.due,
            housing_share: housing.share_in_time,
            moved_out: meetings.cells[0],
            meeting_share: meetings.shares[1],
            follow_up_share: steps.shares[1],
            review_share: steps.shares[3],
            investigation_share: steps.shares[5],
            transfers_completed: view.transfers.get(row)?.completed,
            waited_long: view.waits.get(row)?.waited_long,
            deviations_opened: view.deviations.get(row)?.opened,
        })
    }
}

/// One quarter of a district's page: the district's figures and the municipality's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuarterLine {
    pub period: Period,
    pub district: QuarterFigures,
    pub municipality: QuarterFigures,
}

impl DistrictCompliance {
    /// The quarters, oldest first, the district's figures beside the municipality's.
    pub fn over_time(&self) -> Vec<QuarterLine> {
        self.quarters
            .iter()
            .filter(|view| view.housing.len() == 2)
            .filter_map(|view| {
                Some(QuarterLine {
                    period: view.period,
                    district: QuarterFigures::of(view, 0)?,
                    municipality: QuarterFigures::of(view, view.housing.len().checked_sub(1)?)?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn a_view_of_chosen_districts_keeps_their_rows_as_suppressed_in_the_whole_table() {
        let name = |n: &str| (n.to_owned(), n.to_owned());
        let counts = |due: i64| HousingCounts {
            due,
            ..HousingCounts::default()
        };
        let rows = [
            (name("a"), counts(2)),
            (name("b"), counts(9)),
            (name("c"), counts(12)),
        ];
        let whole = housing_table(&rows);
        let view = ComplianceView {
            period: Period::quarter(2026, 1).unwrap(),
            today: date!(2026 - 04 - 02),
            made_at: String::new(),
            districts: rows.iter().map(|(d, _)| d.clone()).collect(),
            housing: whole.clone(),
            deviations: Vec::new(),
            overdue: Vec::new(),
            steps: Vec::new(),
            meetings: Vec::new(),
            transfers: Vec::new(),
            waits: Vec::new(),
        };
        let b = view.clone().only(&["b".to_owned()]);
        // b's 9 is hidden as the complement of a's "under 3", here as in the whole table.
        assert_eq!(b.housing, vec![whole[1].clone(), whole[3].clone()]);
        assert_eq!(b.housing[0].due, Shown::Hidden);
        assert_eq!(b.districts.len(), 3);
        assert_eq!(view.clone().only(&[]), view);
    }

    #[test]
    fn a_task_falls_in_the_band_of_its_days_past_the_deadline() {
        let bands: Vec<Option<usize>> = [-3, 0, 1, 7, 8, 30, 31, 400]
            .into_iter()
            .map(overdue_band)
            .collect();
        assert_eq!(
            bands,
            [
                None,
                None,
                Some(0),
                Some(0),
                Some(1),
                Some(1),
                Some(2),
                Some(2)
            ]
        );
    }

    #[test]
    fn the_overdue_table_suppresses_a_small_cell_and_a_complement_in_its_column() {
        let mut small = OverdueCounts::default();
        small.tasks[1][2] = 2;
        let mut large = OverdueCounts::default();
        large.tasks[1][2] = 9;
        let mut larger = OverdueCounts::default();
        larger.tasks[1][2] = 12;
        let name = |n: &str| (n.to_owned(), n.to_owned());
        let table = overdue_table(&[(name("a"), small), (name("b"), large), (name("c"), larger)]);
        let column = 3 + 2;
        assert_eq!(table[0].cells[column], Shown::Under3);
        assert_eq!(table[1].cells[column], Shown::Hidden);
        assert_eq!(table[2].cells[column], Shown::Count(12));
        assert_eq!(table[3].cells[column], Shown::Count(23));
        assert_eq!(table[3].district, None);
        assert_eq!(table[0].cells[0], Shown::Count(0));
    }

    #[test]
    fn periods_come_from_the_query_and_go_back_into_it() {
        let today = date!(2026 - 12 - 03);
        let q = Period::from_query(Some("2026K3"), None, None, today).unwrap();
        assert_eq!(
            (q.from, q.to),
            (date!(2026 - 07 - 01), date!(2026 - 09 - 30))
        );
        assert_eq!(q.query(), "periode=2026K3");
        let y = Period::from_query(Some("2025"), None, None, today).unwrap();
        assert_eq!(
            (y.from, y.to),
            (date!(2025 - 01 - 01), date!(2025 - 12 - 31))
        );
        let r = Period::from_query(None, Some("2026-02-01"), Some("2026-02-28"), today).unwrap();
        assert_eq!(r.query(), "fra=2026-02-01&til=2026-02-28");
        assert_eq!(
            Period::from_query(None, None, None, today).unwrap(),
            Period::quarter(2026, 3).unwrap()
        );
        assert_eq!(
            Period::last_quarter(date!(2026 - 02 - 10)),
            Period::quarter(2025, 4).unwrap()
        );
        assert_eq!(
            Period::from_query(Some("2026K5"), None, None, today),
            Err("periode")
        );
        assert_eq!(
            Period::from_query(Some("x"), None, None, today),
            Err("periode")
        );
        assert_eq!(
            Period::from_query(None, Some("2026-03-01"), Some("2026-02-01"), today),
            Err("til")
        );
        assert_eq!(
            Period::from_query(None, Some("2026-02-30"), Some("2026-03-01"), today),
            Err("fra")
        );
        assert_eq!(
            Period::from_query(None, Some("2026-02-01"), None, today),
            Err("til")
        );
        let quarters = Period::quarter(2026, 2).unwrap().quarters_to(3);
        assert_eq!(
            quarters,
            vec![
                Period::quarter(2025, 4).unwrap(),
                Period::quarter(2026, 1).unwrap(),
                Period::quarter(2026, 2).unwrap()
            ]
        );
    }

    #[test]
    fn a_count_under_three_gets_a_second_hidden_cell_in_its_column() {
        let s = suppress(&[vec![2, 10, 7, 3, 0]], &[None]);
        assert_eq!(
            s.cells[0],
            [
                Shown::Under3,
                Shown::Count(10),
                Shown::Hidden,
                Shown::Count(3),
                Shown::Count(0)
            ]
        );
        assert_eq!(s.totals[0], Shown::Count(22));
        // Nothing else of 4 or more to hide: the total goes instead.
        let s = suppress(&[vec![1, 0, 3]], &[None]);
        assert_eq!(
            s.cells[0],
            [Shown::Under3, Shown::Count(0), Shown::Count(3)]
        );
        assert_eq!(s.totals[0], Shown::Hidden);
        let s = suppress(&[vec![1, 0]], &[None]);
        assert_eq!(s.totals[0], Shown::Under3);
        // Two small counts alone would still give each other away (1 + 1 = 2).
        let s = suppress(&[vec![1, 1, 9, 5]], &[None]);
        assert_eq!(
            s.cells[0],
            [Shown::Under3, Shown::Under3, Shown::Count(9), Shown::Hidden]
        );
    }

    #[test]
    fn a_part_of_a_hidden_whole_is_hidden_and_gets_its_own_complement() {
        // District 0 has 2 plans due, none done in time: the 0 is hidden with the 2, and its
        // column hides another count so the total does not give it back.
        let s = suppress(&[vec![2, 8, 9], vec![0, 5, 4]], &[None, Some(0)]);
        assert_eq!(s.cells[0], [Shown::Under3, Shown::Hidden, Shown::Count(9)]);
        assert_eq!(s.cells[1][0], Shown::Hidden);
        assert_eq!(s.cells[1][1], Shown::Hidden, "its whole is hidden");
        assert_eq!(s.cells[1][2], Shown::Count(4));
        assert_eq!(s.totals, [Shown::Count(19), Shown::Count(9)]);
    }

    #[test]
    fn shares_and_percentiles_need_shown_counts_of_three_or_more() {
        assert_eq!(share(Shown::Count(2), Shown::Count(3)), Some(67));
        assert_eq!(share(Shown::Count(0), Shown::Count(0)), None);
        assert_eq!(share(Shown::Hidden, Shown::Count(5)), None);
        assert_eq!(percentile(&[4, 9], 50), None);
        assert_eq!(percentile(&[1, 2, 3], 50), Some(2));
        assert_eq!(percentile(&[1, 2, 3, 4], 50), Some(2));
        assert_eq!(percentile(&(1..=10).collect::<Vec<_>>(), 90), Some(9));
        assert_eq!(percentile(&(1..=10).collect::<Vec<_>>(), 100), Some(10));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The subtraction attack: with a column's total shown, the total minus every shown
        /// cell is the sum of the hidden ones. It must never be one cell alone, and no cell of
        /// 1 or 2 is ever shown as it is.
        #[test]
        fn no_small_count_can_be_worked_out_from_a_total(
            table in prop::collection::vec(prop::collection::vec(0i64..12, 2..16), 1..4),
            parts in prop::collection::vec(any::<bool>(), 4),
        ) {
            let rows = table.iter().map(Vec::len).min().unwrap();
            let columns: Vec<Vec<i64>> = table.iter().map(|c| c[..rows].to_vec()).collect();
            // Column c may count a part of column 0 (then its counts are made no larger).
            let mut columns = columns;
            let within: Vec<Option<usize>> = (0..columns.len())
                .map(|c| (c > 0 && parts[c]).then_some(0))
                .collect();
            let first = columns[0].clone();
            for (c, col) in columns.iter_mut().enumerate().skip(1) {
                if within[c].is_some() {
                    for (n, &whole) in col.iter_mut().zip(&first) {
                        *n = (*n).min(whole);
                    }
                }
            }
            let s = suppress(&columns, &within);
            for (c, col) in columns.iter().enumerate() {
                for (r, &n) in col.iter().enumerate() {
                    match s.cells[c][r] {
                        Shown::Count(shown) => {
                            prop_assert_eq!(shown, n);
                            prop_assert!(!(1..SMALLEST_SHOWN).contains(&n));
                        }
                        Shown::Under3 => prop_assert!((1..SMALLEST_SHOWN).contains(&n)),
                        Shown::Hidden => {}
                    }
                    if let Some(d) = within[c]
                        && s.cells[d][r].count().is_none()
                    {
                        prop_assert!(s.cells[c][r].count().is_none());
                    }
                }
                let total: i64 = col.iter().sum();
                if let Shown::Count(shown_total) = s.totals[c] {
                    prop_assert_eq!(shown_total, total);
                    let hidden: Vec<i64> = col
                        .iter()
                        .zip(&s.cells[c])
                        .filter(|(_, s)| s.count().is_none())
                        .map(|(&n, _)| n)
                        .collect();
                    // A cell not shown has company, and among them one that can balance
                    // any other value of the rest.
                    if !hidden.is_empty() {
                        prop_assert!(hidden.len() >= 2, "{:?} {:?}", col, s.cells[c]);
                        prop_assert!(hidden.iter().any(|&n| n >= FREE),
                            "{:?} {:?}", col, s.cells[c]);
                    }
                }
            }
        }
    }
}
