//! Reading past stays from the crisis center's CSV file (UTF-8, a header row, comma-separated):
//! `person_key,gender,birth_year,arrival,move_out,children,referral,outcome,home_district`.
//! The whole file is checked before anything is stored; every problem is named by its line and
//! column, never by the value (a key or a year is the center's data, and messages end up in
//! terminals and pages).

use crate::domain::plan::{Gender, Outcome, Referral};
use time::Date;

/// The header, in this order.
pub use crate::domain::stats::IMPORT_COLUMNS as COLUMNS;

/// The largest file taken (bytes): about 300,000 rows.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;
/// The most children one stay may have.
pub const MAX_CHILDREN: u32 = 30;
/// How many problems a refusal lists (the count says how many there were).
pub const LISTED_PROBLEMS: usize = 200;

/// One stay as the file gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRow {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub person_key: String,
    pub gender: Gender,
    pub birth_year: i32,
    pub arrival: Date,
    pub move_out: Date,
    pub children: u32,
    pub referral: Referral,
    pub outcome: Outcome,
    /// A district slug; `None` for outside the municipality.
    pub home_district: Option<String>,
}

/// What is wrong with a file, a line or a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The file is empty.
    Empty,
    /// The file is larger than [`MAX_BYTES`].
    TooLarge,
    /// The first line is not the header.
    Header,
    /// A line has another number of fields than the header.
    FieldCount,
    /// Bytes that are not UTF-8.
    NotUtf8,
    /// The CSV itself is broken (an unclosed quote).
    Unreadable,
    /// 1 to 64 characters, no control characters (spaces at either end are trimmed).
    PersonKey,
    Gender,
    /// Four digits, from 1900 to this year.
    BirthYear,
    /// Not a date `YYYY-MM-DD`.
    Date,
    /// A date after today (imported stays are past stays).
    Future,
    MoveOutBeforeArrival,
    /// A whole number from 0 to [`MAX_CHILDREN`].
    Children,
    Referral,
    Outcome,
    /// Not a district slug of the directory.
    District,
    /// Overlaps another stay of the same person in the file (`with` names its line).
    Overlap {
        with: u64,
    },
    /// Overlaps a stay of the same person imported earlier.
    OverlapImported,
}

/// A problem and where: the line (1 is the header) and the column, when it is one field's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub line: u64,
    pub column: Option<&'static str>,
    pub problem: Problem,
}

impl Problem {
    /// What is wrong, in English, for the command line.
    pub fn english(self) -> String {
        match self {
            Problem::Empty => "the file is empty".into(),
            Problem::TooLarge => format!("the file is larger than {} MiB", MAX_BYTES >> 20),
            Problem::Header => format!("the first line must be the header {}", COLUMNS.join(",")),
            Problem::FieldCount => format!("expected {} fields", COLUMNS.len()),
            Problem::NotUtf8 => "not UTF-8 text".into(),
            Problem::Unreadable => "not readable as CSV (a quote not closed?)".into(),
            Problem::PersonKey => "1 to 64 characters, without control characters".into(),
            Problem::Gender => "one of female, male, other, unknown".into(),
            Problem::BirthYear => "a year of four digits, from 1900 to this year".into(),
            Problem::Date => "a date YYYY-MM-DD".into(),
            Problem::Future => "after today (only past stays are imported)".into(),
            Problem::MoveOutBeforeArrival => "the move-out is before the arrival".into(),
            Problem::Children => format!("a whole number from 0 to {MAX_CHILDREN}"),
            Problem::Referral => {
                "one of police, child_welfare, emergency_services, self, nav, other".into()
            }
            Problem::Outcome => {
                "one of abuser, own_home, new_home, temporary_public, temporary_private, other"
                    .into()
            }
            Problem::District => {
                "a district of the directory (its short name, e.g. alna), or empty".into()
            }
            Problem::Overlap { with } => {
                format!("overlaps the same person's stay on line {with}")
            }
            Problem::OverlapImported => {
                "overlaps a stay of the same person imported earlier".into()
            }
        }
    }
}

impl Problem {
    /// The problem's short code, as the upload page's address carries it (no value of the file).
    pub fn code(self) -> String {
        match self {
            Problem::Empty => "empty".into(),
            Problem::TooLarge => "too_large".into(),
            Problem::Header => "header".into(),
            Problem::FieldCount => "field_count".into(),
            Problem::NotUtf8 => "not_utf8".into(),
            Problem::Unreadable => "unreadable".into(),
            Problem::PersonKey => "person_key".into(),
            Problem::Gender => "gender".into(),
            Problem::BirthYear => "birth_year".into(),
            Problem::Date => "date".into(),
            Problem::Future => "future".into(),
            Problem::MoveOutBeforeArrival => "move_out_before_arrival".into(),
            Problem::Children => "children".into(),
            Problem::Referral => "referral".into(),
            Problem::Outcome => "outcome".into(),
            Problem::District => "district".into(),
            Problem::Overlap { with } => format!("overlap_{with}"),
            Problem::OverlapImported => "overlap_imported".into(),
        }
    }
}

impl ImportError {
    /// `line.column.code` (column `-` for the whole line), as the upload page's address carries it.
    pub fn code(&self) -> String {
        format!(
            "{}.{}.{}",
            self.line,
            self.column.unwrap_or("-"),
            self.problem.code()
        )
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.column {
            Some(column) => write!(
                f,
                "line {}, column {column}: {}",
                self.line,
                self.problem.english()
            ),
            None => write!(f, "line {}: {}", self.line, self.problem.english()),
        }
    }
}

fn field_error(line: u64, column: usize, problem: Problem) -> ImportError {
    ImportError {
        line,
        column: COLUMNS.get(column).copied(),
        problem,
    }
}

fn date(raw: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    (raw.len() == 10)
        .then(|| Date::parse(raw, &format).ok())
        .flatten()
}

/// One data line's fields (already UTF-8), checked one by one; every problem of the line.
fn parse_row(
    line: u64,
    fields: &[&str],
    today: Date,
    district_known: &dyn Fn(&str) -> bool,
) -> Result<ImportRow, Vec<ImportError>> {
    let mut errors = Vec::new();
    let mut check = |column: usize, problem: Problem, ok: bool| {
        if !ok {
            errors.push(field_error(line, column, problem));
        }
    };
    let key = fields[0];
    check(
        0,
        Problem::PersonKey,
        (1..=64).contains(&key.chars().count()) && !key.chars().any(char::is_control),
    );
    let gender = Gender::parse(fields[1]);
    check(1, Problem::Gender, gender.is_some());
    let birth_year = (fields[2].len() == 4 && fields[2].bytes().all(|b| b.is_ascii_digit()))
        .then(|| fields[2].parse::<i32>().ok())
        .flatten()
        .filter(|y| (1900..=today.year()).contains(y));
    check(2, Problem::BirthYear, birth_year.is_some());
    let arrival = date(fields[3]);
    check(3, Problem::Date, arrival.is_some());
    let move_out = date(fields[4]);
    check(4, Problem::Date, move_out.is_some());
    if let Some(a) = arrival {
        check(3, Problem::Future, a <= today);
    }
    if let Some(m) = move_out {
        check(4, Problem::Future, m <= today);
    }
    if let (Some(a), Some(m)) = (arrival, move_out) {
        check(4, Problem::MoveOutBeforeArrival, m >= a);
    }
    let children = (!fields[5].is_empty() && fields[5].bytes().all(|b| b.is_ascii_digit()))
        .then(|| fields[5].parse::<u32>().ok())
        .flatten()
        .filter(|n| *n <= MAX_CHILDREN);
    check(5, Problem::Children, children.is_some());
    let referral = Referral::parse(fields[6]);
    check(6, Problem::Referral, referral.is_some());
    let outcome = Outcome::parse(fields[7]);
    check(7, Problem::Outcome, outcome.is_some());
    let district = fields[8];
    check(
        8,
        Problem::District,
        district.is_empty() || district_known(district),
    );
    match (
        gender, birth_year, arrival, move_out, children, referral, outcome,
    ) {
        (
            Some(gender),
            Some(birth_year),
            Some(arrival),
            Some(move_out),
            Some(children),
            Some(referral),
            Some(outcome),
        ) if errors.is_empty() => Ok(ImportRow {
            line,
            person_key: key.to_owned(),
            gender,
            birth_year,
            arrival,
            move_out,
            children,
            referral,
            outcome,
            home_district: (!district.is_empty()).then(|| district.to_owned()),
        }),
        _ => Err(errors),
    }
}

/// Whether two stays overlap: a night in common (one may arrive the day the other moves out).
pub fn overlaps(a: (Date, Date), b: (Date, Date)) -> bool {
    a.0 < b.1 && b.0 < a.1 || a.0 == b.0
}

/// Every row of the file, or every problem found (the file is taken whole or not at all). Checks
/// each field (a district against `district_known`, the directory's slugs), and that no two stays
/// of one person in the file overlap.
pub fn parse_file(
    bytes: &[u8],
    today: Date,
    district_known: &dyn Fn(&str) -> bool,
) -> Result<Vec<ImportRow>, Vec<ImportError>> {
    let whole = |problem| {
        Err(vec![ImportError {
            line: 1,
            column: None,
            problem,
        }])
    };
    if bytes.len() > MAX_BYTES {
        return whole(Problem::TooLarge);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return whole(Problem::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut first = true;
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, csv::Position::line);
                errors.push(ImportError {
                    line,
                    column: None,
                    problem: if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                        Problem::NotUtf8
                    } else {
                        Problem::Unreadable
                    },
                });
                break;
            }
        }
        let line = record.position().map_or(line, csv::Position::line);
        let mut fields = Vec::with_capacity(record.len());
        let mut utf8 = true;
        for (column, raw) in record.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(text) => fields.push(text.trim_matches(|c| c == '\r')),
                Err(_) => {
                    utf8 = false;
                    errors.push(field_error(line, column, Problem::NotUtf8));
                }
            }
        }
        if std::mem::take(&mut first) {
            let header: Vec<&str> = fields.iter().map(|f| f.trim()).collect();
            if !utf8 || header != COLUMNS {
                errors.push(ImportError {
                    line,
                    column: None,
                    problem: Problem::Header,
                });
                break;
            }
            continue;
        }
        if !utf8 {
            continue;
        }
        if fields.len() == 1 && fields[0].trim().is_empty() {
            continue; // a blank line
        }
        if fields.len() != COLUMNS.len() {
            errors.push(ImportError {
                line,
                column: None,
                problem: Problem::FieldCount,
            });
            continue;
        }
        let fields: Vec<&str> = fields.iter().map(|f| f.trim()).collect();
        match parse_row(line, &fields, today, district_known) {
            Ok(row) => rows.push(row),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if first || (rows.is_empty() && errors.is_empty()) {
        return whole(Problem::Empty); // not even a header, or no stay after it
    }
    // Two stays of one person may not overlap: sorted by person and arrival, each stay against
    // the one before.
    let mut order: Vec<&ImportRow> = rows.iter().collect();
    order.sort_by(|a, b| (&a.person_key, a.arrival).cmp(&(&b.person_key, b.arrival)));
    for pair in order.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.person_key == b.person_key
            && overlaps((a.arrival, a.move_out), (b.arrival, b.move_out))
        {
            let (earlier, later) = if a.line < b.line { (a, b) } else { (b, a) };
            errors.push(ImportError {
                line: later.line,
                column: Some("arrival"),
                problem: Problem::Overlap { with: earlier.line },
            });
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 04);
    const HEADER: &str =
        "person_key,gender,birth_year,arrival,move_out,children,referral,outcome,home_district\n";

    fn alna(slug: &str) -> bool {
        slug == "alna"
    }

    fn file(lines: &[&str]) -> Vec<u8> {
        let mut text = HEADER.to_owned();
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
        text.into_bytes()
    }

    fn problems(bytes: &[u8]) -> Vec<(u64, Option<&'static str>, Problem)> {
        parse_file(bytes, TODAY, &alna)
            .expect_err("refused")
            .into_iter()
            .map(|e| (e.line, e.column, e.problem))
            .collect()
    }

    #[test]
    fn a_good_file_gives_its_rows_with_their_lines() {
        let rows = parse_file(
            &file(&[
                "K-1,female,1985,2024-01-10,2024-02-01,2,police,new_home,alna",
                "\"K,2\",unknown,1990,2024-03-01,2024-03-01,0,self,other,",
                "",
            ]),
            TODAY,
            &alna,
        )
        .expect("taken");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].home_district.as_deref(), Some("alna"));
        assert_eq!(rows[1].person_key, "K,2");
        assert_eq!(rows[1].home_district, None);
        assert_eq!(rows[1].referral, Referral::SelfReferred);
    }

    #[test]
    fn each_bad_field_is_named_by_line_and_column() {
        let got = problems(&file(&[
            "K-1,woman,85,2024-02-30,2024-01-01,-1,police,gone,Alna",
            "K-2,male,1980,2024-01-01,2024-01-01,1,taxi,other,nowhere",
        ]));
        assert_eq!(
            got,
            [
                (2, Some("gender"), Problem::Gender),
                (2, Some("birth_year"), Problem::BirthYear),
                (2, Some("arrival"), Problem::Date),
                (2, Some("children"), Problem::Children),
                (2, Some("outcome"), Problem::Outcome),
                (2, Some("home_district"), Problem::District),
                (3, Some("referral"), Problem::Referral),
                (3, Some("home_district"), Problem::District),
            ]
        );
    }

    #[test]
    fn the_file_as_a_whole_is_checked() {
        assert_eq!(problems(b""), [(1, None, Problem::Empty)]);
        assert_eq!(problems(b"\n \n"), [(1, None, Problem::Empty)]);
        assert_eq!(problems(HEADER.as_bytes()), [(1, None, Problem::Empty)]);
        assert_eq!(
            problems(b"person_key,gender\nK,female\n"),
            [(1, None, Problem::Header)]
        );
        assert_eq!(
            problems(&file(&["K-1,female,1985,2024-01-10"])),
            [(2, None, Problem::FieldCount)]
        );
        let mut broken = file(&["K-1,female,1985,2024-01-10,2024-02-01,2,police,new_home,alna"]);
        let at = broken.len() - 5;
        broken[at] = 0xFF;
        assert_eq!(
            problems(&broken),
            [(2, Some("home_district"), Problem::NotUtf8)]
        );
        assert_eq!(
            problems(&vec![b'a'; MAX_BYTES + 1]),
            [(1, None, Problem::TooLarge)]
        );
    }

    #[test]
    fn dates_make_sense_and_one_persons_stays_do_not_overlap() {
        let got = problems(&file(&[
            "K-1,female,1985,2024-01-10,2024-01-05,0,police,new_home,",
            "K-1,female,1985,2027-01-01,2027-01-02,0,police,new_home,",
            "K-2,female,1985,2024-01-10,2024-02-10,0,police,new_home,",
            "K-3,female,1985,2024-01-10,2024-02-10,0,police,new_home,",
            "K-2,female,1985,2024-02-01,2024-03-01,0,police,new_home,",
            "K-3,female,1985,2024-02-10,2024-03-01,0,police,new_home,",
        ]));
        assert_eq!(
            got,
            [
                (2, Some("move_out"), Problem::MoveOutBeforeArrival),
                (3, Some("arrival"), Problem::Future),
                (3, Some("move_out"), Problem::Future),
                (6, Some("arrival"), Problem::Overlap { with: 4 }),
            ],
            "K-3 arrives again the day it moved out: no overlap"
        );
    }

    #[test]
    fn the_messages_name_no_value() {
        let key = format!("Hemmelig-Nøkkel-{}", "7".repeat(60));
        let line = format!("{key},female,1985,x,y,0,police,new_home,");
        let errors = parse_file(&file(&[&line]), TODAY, &alna).unwrap_err();
        for e in &errors {
            assert!(!e.to_string().contains("Hemmelig"), "{e}");
        }
        assert_eq!(
            errors[0].to_string(),
            "line 2, column person_key: 1 to 64 characters, without control characters"
        );
    }

    proptest::proptest! {
        #[test]
        fn no_input_makes_the_parser_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = parse_file(&bytes, TODAY, &alna);
        }

        #[test]
        fn no_line_after_the_header_makes_it_panic(line in "[ -~,\"\\n\\r\u{80}-\u{10FFFF}]{0,120}") {
            let mut bytes = HEADER.as_bytes().to_vec();
            bytes.extend_from_slice(line.as_bytes());
            let _ = parse_file(&bytes, TODAY, &alna);
        }
    }
}
