//! CSV as Norwegian Excel opens it: UTF-8 with a byte order mark, `;` between cells, CRLF
//! between lines. A cell that a spreadsheet would read as a formula (it starts with `=`, `+`,
//! `-`, `@`, a tab or a carriage return) gets a leading `'`, so a value can never run as one
//! (OWASP's CSV injection advice). No I/O.

use super::compliance::{
    ComplianceView, DistrictCompliance, MEETING_WITHIN, PartsRow, QuarterFigures, STEP_WITHIN,
    Shown,
};
use super::deviation::DeviationRow;

/// One cell, neutralised and quoted where needed.
pub fn cell(raw: &str) -> String {
    let neutral = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    if neutral.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

/// A whole file: the byte order mark, the header line, the rows.
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.join(";") + "\r\n";
    out.push_str(&line(header.iter().map(|h| cell(h)).collect()));
    for row in rows {
        out.push_str(&line(row.iter().map(|c| cell(c)).collect()));
    }
    out
}

/// A count as the page shows it.
fn shown(s: Shown) -> String {
    match s {
        Shown::Count(n) => n.to_string(),
        Shown::Under3 => "under 3".into(),
        Shown::Hidden => "skjult".into(),
    }
}

fn optional(v: Option<impl ToString>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The district's name, or the municipality's row.
fn district(d: &Option<(String, String)>) -> String {
    d.as_ref()
        .map_or_else(|| "Oslo kommune".to_owned(), |(_, name)| name.clone())
}

/// The first cells of a row of a period's table: the district (or the municipality) and the
/// period's dates.
fn row_start(view: &ComplianceView, d: &Option<(String, String)>) -> Vec<String> {
    vec![
        district(d),
        view.period.from.to_string(),
        view.period.to.to_string(),
    ]
}

/// The housing-plan table of `/kontroll`, as on the page.
pub fn housing_csv(view: &ComplianceView) -> String {
    let rows: Vec<Vec<String>> = view
        .housing
        .iter()
        .map(|r| {
            let mut row = row_start(view, &r.district);
            row.extend([
                shown(r.due),
                shown(r.done_in_time),
                optional(r.share_in_time),
                optional(r.median_days),
                optional(r.p90_days),
                shown(r.open_now),
                shown(r.overdue_now),
            ]);
            row
        })
        .collect();
    csv(
        &[
            "Bydel",
            "Fra",
            "Til",
            "Boligplaner med frist i perioden",
            "Gjort innen fristen",
            "Andel innen fristen (%)",
            "Median dager fra innflytting",
            "90. persentil dager",
            "Åpne nå",
            "Forfalt nå",
        ],
        &rows,
    )
}

/// One district's figures over the quarters (its page's table over time): a line per quarter
/// and per district or municipality.
pub fn quarters_csv(report: &DistrictCompliance) -> String {
    let figures = |name: &str, period: &super::compliance::Period, f: &QuarterFigures| {
        vec![
            name.to_owned(),
            period.from.to_string(),
            period.to.to_string(),
            shown(f.housing_due),
            optional(f.housing_share),
            shown(f.moved_out),
            optional(f.meeting_share),
            optional(f.follow_up_share),
            optional(f.review_share),
            optional(f.investigation_share),
            shown(f.transfers_completed),
            shown(f.waited_long),
            shown(f.deviations_opened),
        ]
    };
    let rows: Vec<Vec<String>> = report
        .over_time()
        .iter()
        .flat_map(|line| {
            [
                figures(&report.district.1, &line.period, &line.district),
                figures("Oslo kommune", &line.period, &line.municipality),
            ]
        })
        .collect();
    csv(
        &[
            "Bydel",
            "Fra",
            "Til",
            "Boligplaner med frist",
            "Boligplan innen fristen (%)",
            "Flyttet ut",
            "Utflyttingsmøte før utflytting (%)",
            "Oppfølgingsplan innen fristen (%)",
            "Gjennomgang av melding innen fristen (%)",
            "Undersøkelse innen fristen (%)",
            "Overføringer fullført",
            "Ventet over 14 dager på bolig",
            "Avvik åpnet",
        ],
        &rows,
    )
}

/// The deviation table of `/kontroll`, as on the page.
pub fn deviation_counts_csv(view: &ComplianceView) -> String {
    let rows: Vec<Vec<String>> = view
        .deviations
        .iter()
        .map(|r| {
            let mut row = row_start(view, &r.district);
            row.extend([shown(r.opened), shown(r.closed), shown(r.long_open)]);
            row
        })
        .collect();
    csv(
        &[
            "Bydel",
            "Fra",
            "Til",
            "Avvik åpnet",
            "Avvik lukket",
            "Åpne over 30 dager",
        ],
        &rows,
    )
}

/// The overdue table of `/kontroll` (open tasks past their due date on the day it was made, per
/// service and days past it), as on the page.
pub fn overdue_csv(view: &ComplianceView) -> String {
    let rows: Vec<Vec<String>> = view
        .overdue
        .iter()
        .map(|r| {
            let mut row = vec![district(&r.district), view.today.to_string()];
            row.extend(r.cells.iter().map(|&c| shown(c)));
            row
        })
        .collect();
    let mut header = vec!["Bydel".to_owned(), "Per dato".to_owned()];
    for service in ["NAV-kontor", "Barneverntjeneste", "Voldskoordinator"] {
        for band in ["1–7 dager", "8–30 dager", "over 30 dager"] {
            header.push(format!("{service}, {band} over fristen"));
        }
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    csv(&header, &rows)
}

/// A table of counts and parts of `/kontroll` (`within` as the table's), as on the page: each
/// part's count followed by its share (empty where hidden).
fn parts_csv(
    view: &ComplianceView,
    rows: &[PartsRow],
    within: &[Option<usize>],
    header: &[&str],
) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut row = row_start(view, &r.district);
            for (c, (cell, share)) in r.cells.iter().zip(&r.shares).enumerate() {
                row.push(shown(*cell));
                if within[c].is_some() {
                    row.push(optional(*share));
                }
            }
            row
        })
        .collect();
    csv(header, &rows)
}

/// The steps table of `/kontroll` (the follow-up plan and child welfare's legal periods).
pub fn steps_csv(view: &ComplianceView) -> String {
    parts_csv(
        view,
        &view.steps,
        &STEP_WITHIN,
        &[
            "Bydel",
            "Fra",
            "Til",
            "Oppfølgingsplaner med frist i perioden",
            "Gjort innen fristen",
            "Andel innen fristen (%)",
            "Avklaringer (7 dager) med frist i perioden",
            "Gjort innen fristen",
            "Andel innen fristen (%)",
            "Undersøkelser med frist i perioden",
            "Gjort innen fristen (med forlengelse)",
            "Andel innen fristen (%)",
            "Gjort innen 3 måneder (uten forlengelse)",
            "Andel innen 3 måneder (%)",
        ],
    )
}

/// The exit-meeting table of `/kontroll` (move-outs, meetings held before, attendance).
pub fn meetings_csv(view: &ComplianceView) -> String {
    parts_csv(
        view,
        &view.meetings,
        &MEETING_WITHIN,
        &[
            "Bydel",
            "Fra",
            "Til",
            "Utflyttinger",
            "Utflyttingsmøte holdt før utflytting",
            "Andel (%)",
            "NAV-kontor invitert",
            "NAV-kontor møtte",
            "Andel (%)",
            "Barneverntjeneste invitert",
            "Barneverntjeneste møtte",
            "Andel (%)",
            "Voldskoordinator invitert",
            "Voldskoordinator møtte",
            "Andel (%)",
        ],
    )
}

/// The transfer table of `/kontroll`, as on the page.
pub fn transfers_csv(view: &ComplianceView) -> String {
    let rows: Vec<Vec<String>> = view
        .transfers
        .iter()
        .map(|r| {
            let mut row = row_start(view, &r.district);
            row.extend([
                shown(r.started),
                shown(r.completed),
                optional(r.median_days),
                optional(r.p90_days),
            ]);
            row
        })
        .collect();
    csv(
        &[
            "Bydel",
            "Fra",
            "Til",
            "Overføringer startet",
            "Overføringer fullført",
            "Dager til fullført (median)",
            "Dager til fullført (90. persentil)",
        ],
        &rows,
    )
}

/// The waiting table of `/kontroll` (stays that went on for lack of housing), as on the page.
pub fn waits_csv(view: &ComplianceView) -> String {
    let rows: Vec<Vec<String>> = view
        .waits
        .iter()
        .map(|r| {
            let mut row = row_start(view, &r.district);
            row.extend([
                shown(r.moved_out),
                shown(r.waited_long),
                optional(r.share_long),
                optional(r.median_days),
                view.today.to_string(),
                shown(r.waiting_long_now),
            ]);
            row
        })
        .collect();
    csv(
        &[
            "Bydel",
            "Fra",
            "Til",
            "Flyttet ut etter å ha vært klar",
            "Ventet over 14 dager",
            "Andel (%)",
            "Dager fra klar til utflytting (median)",
            "Per dato",
            "Venter nå, over 14 dager",
        ],
        &rows,
    )
}

/// The list of deviations, as a reviewer sees it: no person, no free text.
pub fn deviations_csv(rows: &[DeviationRow]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.district.clone().unwrap_or_else(|| "Krisesenteret".into()),
                optional(r.service.map(|s| s.as_str())),
                r.step.as_str().to_owned(),
                r.origin.as_str().to_owned(),
                optional(r.due_on),
                r.opened_on.to_string(),
                optional(r.cause.map(|c| c.as_str())),
                optional(r.measure.map(|m| m.as_str())),
                r.status.as_str().to_owned(),
                optional(r.closed_on),
                r.days_open.to_string(),
            ]
        })
        .collect();
    csv(
        &[
            "Bydel",
            "Tjeneste",
            "Steg",
            "Hvordan",
            "Frist",
            "Registrert",
            "Årsak",
            "Tiltak",
            "Status",
            "Lukket",
            "Dager åpent",
        ],
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_run_are_neutralised_and_separators_quoted() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+47 123"), "'+47 123");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\rx"), "\"'\rx\"");
        assert_eq!(cell("Nordre Aker; Bjerke"), "\"Nordre Aker; Bjerke\"");
        assert_eq!(cell("Alna"), "Alna");
        assert_eq!(cell("12"), "12");
    }

    #[test]
    fn a_file_starts_with_the_byte_order_mark_and_ends_lines_with_crlf() {
        let f = csv(&["a", "b"], &[vec!["1".into(), "=2".into()]]);
        assert_eq!(f, "\u{feff}a;b\r\n1;'=2\r\n");
    }
}
