//! An inbox for fifty tasks: what a caseworker filters, sorts and pages by, kept in the page's
//! address (`/oppgaver?frist=forfalt&steg=housing_plan`) so that a view can be bookmarked and
//! the back button works, and how a list of task rows is cut to it. The rules live here, in plain
//! Rust; the service only fetches the rows.

use super::UserId;
use super::deadline::Urgency;
use super::plan::{StayId, TaskRow};
use super::routine::Step;
use serde::{Deserialize, Serialize};
use time::Date;

/// Rows per page of the inbox.
pub const INBOX_PAGE: usize = 50;
/// The finished tasks shown: the most recently closed, at most this many.
pub const FINISHED_SHOWN: u32 = 200;
/// The longest search text (a name or part of one).
pub const SEARCH_LIMIT: usize = 100;

/// Whose tasks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Who {
    #[default]
    All,
    /// Taken by the caller.
    Mine,
    /// Taken by nobody.
    Unassigned,
}

/// Which deadlines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DueFilter {
    #[default]
    All,
    Overdue,
    /// Due today or within the due-soon window (not overdue).
    DueSoon,
}

/// The order of the rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum InboxSort {
    /// The earliest (extended) due date first.
    #[default]
    Due,
    /// By step, in the order of the path, then by due date.
    Step,
    /// By resident's name, then by due date.
    Resident,
}

/// One view of an inbox, as the address gives it. Unknown values fall back to the default view
/// (an address is typed by whoever made it), never to an error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxFilter {
    pub who: Who,
    pub due: DueFilter,
    pub step: Option<Step>,
    /// A name or part of one, compared without case; empty: every resident.
    pub search: String,
    pub sort: InboxSort,
    /// The finished tasks (done or not applicable) instead of the open ones.
    pub finished: bool,
    /// From 1.
    pub page: u32,
}

impl Default for InboxFilter {
    /// Every open task, the earliest due first, page 1.
    fn default() -> Self {
        InboxFilter {
            who: Who::All,
            due: DueFilter::All,
            step: None,
            search: String::new(),
            sort: InboxSort::Due,
            finished: false,
            page: 1,
        }
    }
}

impl InboxFilter {
    /// The filter of the address's query values (`get(name)` gives a value, if any).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> InboxFilter {
        let who = match get("vis").as_deref() {
            Some("mine") => Who::Mine,
            Some("ledige") => Who::Unassigned,
            _ => Who::All,
        };
        let due = match get("frist").as_deref() {
            Some("forfalt") => DueFilter::Overdue,
            Some("snart") => DueFilter::DueSoon,
            _ => DueFilter::All,
        };
        let sort = match get("sorter").as_deref() {
            Some("steg") => InboxSort::Step,
            Some("beboer") => InboxSort::Resident,
            _ => InboxSort::Due,
        };
        let search: String = get("sok")
            .unwrap_or_default()
            .trim()
            .chars()
            .take(SEARCH_LIMIT)
            .collect();
        InboxFilter {
            who,
            due,
            step: get("steg").as_deref().and_then(Step::parse),
            search,
            sort,
            finished: get("ferdige").is_some_and(|v| v == "1"),
            page: get("side")
                .and_then(|p| p.parse::<u32>().ok())
                .filter(|&p| p >= 1)
                .unwrap_or(1),
        }
    }

    /// The query values of this filter (defaults left out), for links and the server function.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        match self.who {
            Who::All => {}
            Who::Mine => pairs.push(("vis", "mine".to_owned())),
            Who::Unassigned => pairs.push(("vis", "ledige".to_owned())),
        }
        match self.due {
            DueFilter::All => {}
            DueFilter::Overdue => pairs.push(("frist", "forfalt".to_owned())),
            DueFilter::DueSoon => pairs.push(("frist", "snart".to_owned())),
        }
        if let Some(step) = self.step {
            pairs.push(("steg", step.as_str().to_owned()));
        }
        if !self.search.is_empty() {
            pairs.push(("sok", self.search.clone()));
        }
        match self.sort {
            InboxSort::Due => {}
            InboxSort::Step => pairs.push(("sorter", "steg".to_owned())),
            InboxSort::Resident => pairs.push(("sorter", "beboer".to_owned())),
        }
        if self.finished {
            pairs.push(("ferdige", "1".to_owned()));
        }
        if self.page > 1 {
            pairs.push(("side", self.page.to_string()));
        }
        pairs
    }

    /// The inbox address of this filter.
    pub fn href(&self) -> String {
        let query = self
            .pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect::<Vec<_>>()
            .join("&");
        if query.is_empty() {
            "/oppgaver".to_owned()
        } else {
            format!("/oppgaver?{query}")
        }
    }

    /// The same view on another page.
    pub fn on_page(&self, page: u32) -> InboxFilter {
        InboxFilter {
            page,
            ..self.clone()
        }
    }

    /// Whether `row` is in this view (`me`: the caller).
    pub fn keeps(&self, row: &TaskRow, me: UserId) -> bool {
        let who = match self.who {
            Who::All => true,
            Who::Mine => row.assignee_id == Some(me),
            Who::Unassigned => row.assignee_id.is_none(),
        };
        let due = match self.due {
            DueFilter::All => true,
            DueFilter::Overdue => row.urgency == Urgency::Overdue,
            DueFilter::DueSoon => row.urgency == Urgency::DueSoon,
        };
        let step = self.step.is_none_or(|s| s == row.step);
        let search = self.search.is_empty()
            || row
                .resident
                .to_lowercase()
                .contains(&self.search.to_lowercase());
        who && due && step && search
    }

    /// Cuts `rows` to this view: filtered, sorted, and the page asked for (the last one if it
    /// asked for more). Returns the page's rows, how many rows matched, and the page shown.
    pub fn apply(&self, rows: Vec<TaskRow>, me: UserId) -> (Vec<TaskRow>, usize, u32) {
        let mut rows: Vec<TaskRow> = rows.into_iter().filter(|r| self.keeps(r, me)).collect();
        match self.sort {
            // Finished tasks come most recently closed first, as the query gives them.
            InboxSort::Due if self.finished => {}
            InboxSort::Due => rows.sort_by_key(|r| (r.effective_due(), r.id.0)),
            InboxSort::Step => rows.sort_by_key(|r| (r.step, r.effective_due(), r.id.0)),
            InboxSort::Resident => rows.sort_by(|a, b| {
                (a.resident.to_lowercase(), a.effective_due(), a.id.0).cmp(&(
                    b.resident.to_lowercase(),
                    b.effective_due(),
                    b.id.0,
                ))
            }),
        }
        let matching = rows.len();
        let pages = matching.div_ceil(INBOX_PAGE).max(1) as u32;
        let page = self.page.clamp(1, pages);
        let start = (page as usize - 1) * INBOX_PAGE;
        let shown = rows.into_iter().skip(start).take(INBOX_PAGE).collect();
        (shown, matching, page)
    }
}

/// A query value, percent-encoded (what `application/x-www-form-urlencoded` would send).
fn encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// How many of the open tasks are overdue and due soon, for one step: the inbox's overview,
/// each count a link to that view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepCount {
    pub step: Step,
    pub overdue: u32,
    pub due_soon: u32,
    pub open: u32,
}

/// The counts per step of `rows` (open tasks), in the order of the path.
pub fn step_counts(rows: &[TaskRow]) -> Vec<StepCount> {
    let mut counts: Vec<StepCount> = Vec::new();
    for row in rows {
        let i = match counts.iter().position(|c| c.step == row.step) {
            Some(i) => i,
            None => {
                counts.push(StepCount {
                    step: row.step,
                    overdue: 0,
                    due_soon: 0,
                    open: 0,
                });
                counts.len() - 1
            }
        };
        let count = &mut counts[i];
        count.open += 1;
        match row.urgency {
            Urgency::Overdue => count.overdue += 1,
            Urgency::DueSoon => count.due_soon += 1,
            _ => {}
        }
    }
    counts.sort_by_key(|c| c.step);
    counts
}

/// The front page's counts of the caller's open tasks: no names, so no access-log row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxCounts {
    pub overdue: u32,
    pub due_soon: u32,
    pub open: u32,
    /// Taken by the caller.
    pub mine: u32,
}

impl InboxCounts {
    /// The counts of `rows` (open tasks) for `me`.
    pub fn of(rows: &[TaskRow], me: UserId) -> InboxCounts {
        let count =
            |keep: &dyn Fn(&TaskRow) -> bool| rows.iter().filter(|r| keep(r)).count() as u32;
        InboxCounts {
            overdue: count(&|r| r.urgency == Urgency::Overdue),
            due_soon: count(&|r| r.urgency == Urgency::DueSoon),
            open: rows.len() as u32,
            mine: count(&|r| r.assignee_id == Some(me)),
        }
    }
}

/// What the inbox row says about the plan behind a task: when the resident arrived, how many
/// children came along, and the district of the new home if it is another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanContext {
    pub stay: StayId,
    pub arrival: Date,
    pub children: u32,
    pub target: Option<String>,
}

/// One page of an inbox as the caller asked for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxPage {
    pub filter: InboxFilter,
    pub rows: Vec<TaskRow>,
    /// The rows of the view on every page.
    pub matching: usize,
    /// The page shown (from 1).
    pub page: u32,
    /// The open tasks per step, for the overview (every open task of the inbox).
    pub counts: Vec<StepCount>,
    /// The plans of the rows shown.
    pub context: Vec<PlanContext>,
    /// Today in Oslo, for "N days overdue".
    pub today: Date,
    /// A unit's open steps of its district's audit findings (in the open view only).
    pub finding_steps: Vec<super::finding::InboxStep>,
}

impl InboxPage {
    /// How many pages the view has.
    pub fn pages(&self) -> u32 {
        (self.matching.div_ceil(INBOX_PAGE).max(1)) as u32
    }

    /// The plan context of `stay`, if it is on the page.
    pub fn context_of(&self, stay: StayId) -> Option<&PlanContext> {
        self.context.iter().find(|c| c.stay == stay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::plan::{TaskId, TaskStatus};
    use time::macros::date;

    fn row(id: i64, step: Step, due: Date, urgency: Urgency, assignee: Option<i64>) -> TaskRow {
        TaskRow {
            id: TaskId(id),
            stay: StayId(id),
            resident: format!("Person {id}"),
            step,
            unit: None,
            district: None,
            due,
            extended_to: None,
            status: TaskStatus::Open,
            assignee: assignee.map(|a| format!("User {a}")),
            assignee_id: assignee.map(UserId),
            urgency,
            withheld: false,
        }
    }

    fn fifty() -> Vec<TaskRow> {
        (1..=50)
            .map(|i| {
                let step = [Step::HousingPlan, Step::ExitMeeting, Step::Transfer][i as usize % 3];
                let urgency = [Urgency::Overdue, Urgency::DueSoon, Urgency::Open][i as usize % 2];
                let assignee = (i % 4 == 0).then_some(7);
                row(
                    i,
                    step,
                    date!(2026 - 03 - 01) + time::Duration::days(i),
                    urgency,
                    assignee,
                )
            })
            .collect()
    }

    #[test]
    fn the_overdue_tasks_of_one_step_are_one_address_away() {
        let filter = InboxFilter::from_query(|k| match k {
            "frist" => Some("forfalt".into()),
            "steg" => Some("exit_meeting".into()),
            _ => None,
        });
        assert_eq!(filter.href(), "/oppgaver?frist=forfalt&steg=exit_meeting");
        let (rows, matching, page) = filter.apply(fifty(), UserId(7));
        assert_eq!(page, 1);
        assert_eq!(rows.len(), matching);
        let expected = fifty()
            .into_iter()
            .filter(|r| r.step == Step::ExitMeeting && r.urgency == Urgency::Overdue)
            .count();
        assert_eq!(matching, expected);
        assert!(matching > 0);
        assert!(
            rows.windows(2)
                .all(|w| w[0].effective_due() <= w[1].effective_due())
        );
    }

    #[test]
    fn mine_unassigned_search_and_sorting() {
        let me = UserId(7);
        let mine = InboxFilter {
            who: Who::Mine,
            ..InboxFilter::default()
        };
        assert!(
            mine.apply(fifty(), me)
                .0
                .iter()
                .all(|r| r.assignee_id == Some(me))
        );
        assert_eq!(mine.apply(fifty(), me).1, 12);
        let free = InboxFilter {
            who: Who::Unassigned,
            ..InboxFilter::default()
        };
        assert_eq!(free.apply(fifty(), me).1, 38);
        let search = InboxFilter::from_query(|k| (k == "sok").then(|| " person 4".into()));
        let found = search.apply(fifty(), me).0;
        assert_eq!(
            found.iter().map(|r| r.id.0).collect::<Vec<_>>(),
            [4, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49]
        );
        let by_step = InboxFilter {
            sort: InboxSort::Step,
            ..InboxFilter::default()
        };
        let steps: Vec<Step> = by_step
            .apply(fifty(), me)
            .0
            .iter()
            .map(|r| r.step)
            .collect();
        assert!(steps.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn pages_of_fifty_with_the_last_page_for_a_page_too_far() {
        let mut rows = fifty();
        rows.extend((51..=63).map(|i| {
            row(
                i,
                Step::HousingPlan,
                date!(2026 - 06 - 01),
                Urgency::Open,
                None,
            )
        }));
        let first = InboxFilter::default().apply(rows.clone(), UserId(1));
        assert_eq!((first.0.len(), first.1, first.2), (50, 63, 1));
        let far = InboxFilter::from_query(|k| (k == "side").then(|| "9".into()));
        let last = far.apply(rows, UserId(1));
        assert_eq!((last.0.len(), last.1, last.2), (13, 63, 2));
    }

    #[test]
    fn unknown_values_give_the_default_view_and_the_address_round_trips() {
        let odd = InboxFilter::from_query(|k| match k {
            "vis" => Some("alle andre".into()),
            "steg" => Some("<script>".into()),
            "side" => Some("-1".into()),
            _ => None,
        });
        assert_eq!(odd, InboxFilter::default());
        let filter = InboxFilter {
            who: Who::Unassigned,
            due: DueFilter::DueSoon,
            step: Some(Step::Transfer),
            search: "Åse & Ola".into(),
            sort: InboxSort::Resident,
            finished: true,
            page: 3,
        };
        assert_eq!(
            filter.href(),
            "/oppgaver?vis=ledige&frist=snart&steg=transfer&sok=%C3%85se+%26+Ola&sorter=beboer&ferdige=1&side=3"
        );
        let pairs = filter.pairs();
        let back = InboxFilter::from_query(|k| {
            pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())
        });
        assert_eq!(back, filter);
    }

    #[test]
    fn the_overview_counts_each_step_in_the_order_of_the_path() {
        let counts = step_counts(&fifty());
        assert_eq!(counts.iter().map(|c| c.step).collect::<Vec<_>>(), {
            let mut steps = vec![Step::HousingPlan, Step::ExitMeeting, Step::Transfer];
            steps.sort();
            steps
        });
        assert_eq!(counts.iter().map(|c| c.open).sum::<u32>(), 50);
        assert_eq!(
            counts.iter().map(|c| c.overdue).sum::<u32>() as usize,
            fifty()
                .iter()
                .filter(|r| r.urgency == Urgency::Overdue)
                .count()
        );
    }
}
