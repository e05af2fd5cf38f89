//! Internal control per district: the documents an audit asks for (routines, the action plan,
//! the risk analysis, the cooperation agreement with the crisis center), each district's status
//! for each, and when it is past its review date. No personal data. No I/O.

use serde::{Deserialize, Serialize};
use time::Date;

stored_enum!(
    /// What a district has recorded for a document.
    DocumentStatus {
        Missing = "missing",
        Draft = "draft",
        /// Adopted by the district's management (for the agreement: implemented).
        Adopted = "adopted",
    }
);

/// A document's state on a given day, as the matrix shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentState {
    Missing,
    Draft,
    Adopted,
    /// Adopted, but its review date has passed (Oslo date).
    ReviewOverdue,
}

impl DocumentState {
    /// The state of an entry on `today`: adopted with a review date before `today` is overdue.
    pub fn of(status: DocumentStatus, review_on: Option<Date>, today: Date) -> DocumentState {
        match DocumentState::from(status) {
            DocumentState::Adopted if review_on.is_some_and(|r| r < today) => {
                DocumentState::ReviewOverdue
            }
            state => state,
        }
    }

    /// The class a cell carries (its colour; the text says the same without colour).
    pub fn class(self) -> &'static str {
        match self {
            DocumentState::Missing => "state-missing",
            DocumentState::Draft => "state-draft",
            DocumentState::Adopted => "state-adopted",
            DocumentState::ReviewOverdue => "state-overdue",
        }
    }
}

/// The state a status stands for, whatever the date (a history row's).
impl From<DocumentStatus> for DocumentState {
    fn from(status: DocumentStatus) -> DocumentState {
        match status {
            DocumentStatus::Missing => DocumentState::Missing,
            DocumentStatus::Draft => DocumentState::Draft,
            DocumentStatus::Adopted => DocumentState::Adopted,
        }
    }
}

/// One document of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlDocument {
    pub slug: String,
    pub name_nb: String,
    pub name_en: String,
    /// The cooperation agreement with the crisis center ("implemented or not").
    pub agreement: bool,
}

impl ControlDocument {
    /// The name in the page's language.
    pub fn name(&self, english: bool) -> &str {
        if english {
            &self.name_en
        } else {
            &self.name_nb
        }
    }
}

/// A district's counts over the documents, for the compliance pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlCounts {
    pub adopted: u32,
    pub draft: u32,
    pub missing: u32,
    pub review_overdue: u32,
}

impl ControlCounts {
    pub fn of(states: &[DocumentState]) -> ControlCounts {
        let mut counts = ControlCounts::default();
        for state in states {
            match state {
                DocumentState::Missing => counts.missing += 1,
                DocumentState::Draft => counts.draft += 1,
                DocumentState::Adopted => counts.adopted += 1,
                DocumentState::ReviewOverdue => counts.review_overdue += 1,
            }
        }
        counts
    }
}

/// One district's row of the matrix: a state per document, in the list's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub slug: String,
    pub name: String,
    pub states: Vec<DocumentState>,
    pub counts: ControlCounts,
    /// Its open audit findings and their closure steps past their deadline.
    pub findings: super::finding::FindingCounts,
}

/// Every district × every document, on `today`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlMatrix {
    pub documents: Vec<ControlDocument>,
    pub rows: Vec<MatrixRow>,
    pub today: Date,
}

/// A district's entry for one document, as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEntry {
    pub document: ControlDocument,
    pub status: DocumentStatus,
    pub state: DocumentState,
    pub adopted_on: Option<Date>,
    pub adopted_by: Option<String>,
    pub review_on: Option<Date>,
    pub link: Option<String>,
    /// The uploaded PDF, if any.
    pub file: Option<DocumentFile>,
    /// 0 when nothing was recorded yet.
    pub version: i64,
}

/// An uploaded PDF of a district's document: its size and when it came (UTC, as stored).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFile {
    pub bytes: i64,
    pub uploaded_at: String,
}

/// The largest PDF a district may upload for a document (10 MiB; the database's CHECK says
/// the same).
pub const MAX_PDF_BYTES: usize = 10 * 1024 * 1024;

/// Whether `content` may be stored as a document's PDF: not empty, at most [`MAX_PDF_BYTES`],
/// and a PDF by its first bytes (`%PDF-`). Refusal: the form field, `file`.
pub fn check_pdf(content: &[u8]) -> Result<(), FieldRefusal> {
    if content.len() > MAX_PDF_BYTES || !content.starts_with(b"%PDF-") {
        return Err("file");
    }
    Ok(())
}

/// One saved change of an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEvent {
    pub document: String,
    /// UTC, as stored.
    pub at: String,
    pub by: String,
    pub status: DocumentStatus,
    pub adopted_on: Option<Date>,
    pub review_on: Option<Date>,
    /// The size of the PDF uploaded (a history row of an upload), else `None`.
    pub file_bytes: Option<i64>,
}

/// A district's internal-control page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictControl {
    pub id: super::DistrictId,
    pub slug: String,
    pub name: String,
    pub entries: Vec<DocumentEntry>,
    pub history: Vec<DocumentEvent>,
    pub may_edit: bool,
    pub today: Date,
}

/// A review is due this long after adoption unless another date is given.
pub const REVIEW_AFTER_MONTHS: u8 = 12;

/// The default review date: a year after adoption (the 29th of February gives the 28th).
pub fn default_review(adopted_on: Date) -> Date {
    let year = adopted_on.year() + 1;
    Date::from_calendar_date(year, adopted_on.month(), adopted_on.day())
        .or_else(|_| Date::from_calendar_date(year, adopted_on.month(), 28))
        .unwrap_or(adopted_on)
}

/// A checked change of an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentChange {
    pub status: DocumentStatus,
    pub adopted_on: Option<Date>,
    pub adopted_by: Option<String>,
    pub review_on: Option<Date>,
    pub link: Option<String>,
}

/// Why a change was refused: the form field, for the message that says why.
pub type FieldRefusal = &'static str;

impl DocumentChange {
    /// Checks a form: a status; for adopted, the date (not after `today`), who adopted it, and a
    /// review date after it (empty: a year after); for the others no dates; a link, when given,
    /// an `https://` address.
    pub fn parse(
        status: &str,
        adopted_on: &str,
        adopted_by: &str,
        review_on: &str,
        link: &str,
        today: Date,
    ) -> Result<DocumentChange, FieldRefusal> {
        let status = DocumentStatus::parse(status.trim()).ok_or("status")?;
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let date = |raw: &str, field: FieldRefusal| -> Result<Option<Date>, FieldRefusal> {
            match raw.trim() {
                "" => Ok(None),
                raw => Date::parse(raw, &format).map(Some).map_err(|_| field),
            }
        };
        let link = match link.trim() {
            "" => None,
            raw => {
                let ok = raw.len() <= 2000
                    && raw.starts_with("https://")
                    && raw.len() > "https://".len()
                    && !raw.chars().any(|c| c.is_whitespace() || c.is_control());
                if !ok {
                    return Err("link");
                }
                Some(raw.to_owned())
            }
        };
        if status != DocumentStatus::Adopted {
            return Ok(DocumentChange {
                status,
                adopted_on: None,
                adopted_by: None,
                review_on: None,
                link,
            });
        }
        let adopted_on = date(adopted_on, "adopted_on")?.ok_or("adopted_on")?;
        if adopted_on > today || adopted_on.year() < 2000 {
            return Err("adopted_on");
        }
        let adopted_by = super::input::required(adopted_by, 200, super::input::Lines::One)
            .map_err(|_| "adopted_by")?;
        let review_on = date(review_on, "review_on")?.unwrap_or(default_review(adopted_on));
        let latest = Date::from_calendar_date(adopted_on.year() + 5, time::Month::December, 31)
            .map_err(|_| "review_on")?;
        if review_on <= adopted_on || review_on > latest {
            return Err("review_on");
        }
        Ok(DocumentChange {
            status,
            adopted_on: Some(adopted_on),
            adopted_by: Some(adopted_by),
            review_on: Some(review_on),
            link,
        })
    }
}

/// A checked new document for the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDocument {
    pub slug: String,
    pub name_nb: String,
    pub name_en: String,
}

impl NewDocument {
    /// The address name (2 to 60 of a-z, 0-9 and -, not starting or ending with -) and the
    /// name in bokmål and English (one line each, at most 300 characters).
    pub fn parse(slug: &str, name_nb: &str, name_en: &str) -> Result<NewDocument, FieldRefusal> {
        let slug = slug.trim();
        let ok = (2..=60).contains(&slug.len())
            && slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !slug.starts_with('-')
            && !slug.ends_with('-');
        if !ok {
            return Err("document_slug");
        }
        let one = |raw: &str, field| {
            super::input::required(raw, 300, super::input::Lines::One).map_err(|_| field)
        };
        Ok(NewDocument {
            slug: slug.to_owned(),
            name_nb: one(name_nb, "name_nb")?,
            name_en: one(name_en, "name_en")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn an_adopted_document_is_overdue_from_the_day_after_its_review_date() {
        let review = Some(date!(2026 - 12 - 04));
        let state = |today| DocumentState::of(DocumentStatus::Adopted, review, today);
        assert_eq!(state(date!(2026 - 12 - 04)), DocumentState::Adopted);
        assert_eq!(state(date!(2026 - 12 - 05)), DocumentState::ReviewOverdue);
        assert_eq!(
            DocumentState::of(DocumentStatus::Draft, review, date!(2030 - 01 - 01)),
            DocumentState::Draft
        );
    }

    #[test]
    fn the_review_date_defaults_to_a_year_after_adoption() {
        let today = date!(2026 - 12 - 04);
        let change =
            DocumentChange::parse("adopted", "2026-02-28", "Bydelsdirektør", "", "", today)
                .unwrap();
        assert_eq!(change.review_on, Some(date!(2027 - 02 - 28)));
        assert_eq!(default_review(date!(2024 - 02 - 29)), date!(2025 - 02 - 28));
    }

    #[test]
    fn a_form_that_does_not_make_sense_names_its_field() {
        let today = date!(2026 - 12 - 04);
        let parse = |status, adopted, by, review, link| {
            DocumentChange::parse(status, adopted, by, review, link, today)
        };
        assert_eq!(parse("", "", "", "", ""), Err("status"));
        assert_eq!(parse("adopted", "", "Leder", "", ""), Err("adopted_on"));
        assert_eq!(
            parse("adopted", "2026-12-05", "Leder", "", ""),
            Err("adopted_on")
        );
        assert_eq!(
            parse("adopted", "2026-01-05", " ", "", ""),
            Err("adopted_by")
        );
        assert_eq!(
            parse("adopted", "2026-01-05", "Leder", "2026-01-05", ""),
            Err("review_on")
        );
        assert_eq!(
            parse("draft", "", "", "", "http://intranett/rutine"),
            Err("link")
        );
        let draft = parse(
            "draft",
            "2026-01-05",
            "Leder",
            "",
            "https://x.oslo.kommune.no/r",
        )
        .unwrap();
        assert_eq!((draft.adopted_on, draft.adopted_by), (None, None));
        assert!(parse("missing", "", "", "", "").is_ok());
    }

    #[test]
    fn a_new_document_needs_an_address_name_and_both_names() {
        assert_eq!(
            NewDocument::parse(" beredskap ", "Beredskapsplan", "Contingency plan"),
            Ok(NewDocument {
                slug: "beredskap".into(),
                name_nb: "Beredskapsplan".into(),
                name_en: "Contingency plan".into()
            })
        );
        for slug in ["", "b", "Beredskap", "bered skap", "-x", "x-", "å-plan"] {
            assert_eq!(
                NewDocument::parse(slug, "a", "b"),
                Err("document_slug"),
                "{slug}"
            );
        }
        assert_eq!(NewDocument::parse("ok", " ", "b"), Err("name_nb"));
        assert_eq!(NewDocument::parse("ok", "a", "x\ny"), Err("name_en"));
    }

    #[test]
    fn only_a_pdf_within_the_limit_is_stored() {
        assert_eq!(check_pdf(b"%PDF-1.7\n%%EOF"), Ok(()));
        assert_eq!(check_pdf(b""), Err("file"));
        assert_eq!(check_pdf(b"<html>%PDF-</html>"), Err("file"));
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_PDF_BYTES, b' ');
        assert_eq!(check_pdf(&big), Ok(()));
        big.push(b' ');
        assert_eq!(check_pdf(&big), Err("file"));
    }

    #[test]
    fn counts_add_up_per_state() {
        let counts = ControlCounts::of(&[
            DocumentState::Adopted,
            DocumentState::Missing,
            DocumentState::Missing,
            DocumentState::ReviewOverdue,
        ]);
        assert_eq!(
            counts,
            ControlCounts {
                adopted: 1,
                draft: 0,
                missing: 2,
                review_overdue: 1
            }
        );
    }
}
