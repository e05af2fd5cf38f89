//! Correcting a resident's name, birth year or gender: staff give the right values and why; each
//! changed value becomes a history row (before, after, why, when, who), never a silent overwrite.

use super::limits;
use super::plan::{FieldError, Gender, parse_birth_year, required_lines, required_text};
use serde::{Deserialize, Serialize};
use time::Date;

stored_enum!(
    /// What a correction changed.
    CorrectedField { Name = "name", BirthYear = "birth_year", Gender = "gender" }
);

/// The person's facts a correction may change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFacts {
    pub name: String,
    pub birth_year: i32,
    pub gender: Gender,
}

impl PersonFacts {
    /// The fields where `to` differs, with the value before and after (as stored).
    pub fn changes(&self, to: &PersonFacts) -> Vec<(CorrectedField, String, String)> {
        let mut changed = Vec::new();
        if self.name != to.name {
            changed.push((CorrectedField::Name, self.name.clone(), to.name.clone()));
        }
        if self.birth_year != to.birth_year {
            changed.push((
                CorrectedField::BirthYear,
                self.birth_year.to_string(),
                to.birth_year.to_string(),
            ));
        }
        if self.gender != to.gender {
            changed.push((
                CorrectedField::Gender,
                self.gender.as_str().to_owned(),
                to.gender.as_str().to_owned(),
            ));
        }
        changed
    }
}

/// The correction form, parsed: the right values and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionRequest {
    pub facts: PersonFacts,
    pub reason: String,
}

impl CorrectionRequest {
    /// Parses the form's fields (`correct_name`, `correct_birth_year`, `correct_gender`,
    /// `correct_reason`); `today` bounds the birth year.
    pub fn parse(
        name: &str,
        birth_year: &str,
        gender: &str,
        reason: &str,
        today: Date,
    ) -> Result<CorrectionRequest, FieldError> {
        let name = required_text(name, limits::NAME, "correct_name")?;
        let birth_year = parse_birth_year(birth_year, today.year(), "correct_birth_year")?;
        let gender = Gender::parse(gender.trim()).ok_or("correct_gender")?;
        let reason = required_lines(reason, limits::REASON, "correct_reason")?;
        Ok(CorrectionRequest {
            facts: PersonFacts {
                name,
                birth_year,
                gender,
            },
            reason,
        })
    }
}

/// One recorded correction, as the plan page and the insight show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub field: CorrectedField,
    pub old_value: String,
    pub new_value: String,
    pub reason: String,
    /// UTC, as stored.
    pub at: String,
    pub by: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_correction_names_each_changed_field_with_before_and_after() {
        let today = date!(2026 - 12 - 05);
        let before = PersonFacts {
            name: "Kari".into(),
            birth_year: 1990,
            gender: Gender::Female,
        };
        let asked =
            CorrectionRequest::parse(" Kari Nordmann ", "1991", "female", "Feil i navn", today)
                .unwrap();
        assert_eq!(
            before.changes(&asked.facts),
            [
                (CorrectedField::Name, "Kari".into(), "Kari Nordmann".into()),
                (CorrectedField::BirthYear, "1990".into(), "1991".into()),
            ]
        );
        assert!(before.changes(&before).is_empty());
        let wrong = |n: &str, y: &str, g: &str, r: &str| {
            CorrectionRequest::parse(n, y, g, r, today).unwrap_err()
        };
        assert_eq!(wrong("", "1990", "female", "x"), "correct_name");
        assert_eq!(wrong("Kari", "3000", "female", "x"), "correct_birth_year");
        assert_eq!(wrong("Kari", "1990", "", "x"), "correct_gender");
        assert_eq!(wrong("Kari", "1990", "female", " "), "correct_reason");
    }
}
