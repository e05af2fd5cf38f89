//! Corrections of a resident's name, birth year or gender (`resident_correction`, append-only).

use super::*;
use crate::domain::correction::{CorrectedField, Correction, PersonFacts};

/// The resident record of `stay` and the facts a correction may change.
pub async fn person_of(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Option<(ResidentId, PersonFacts)>, ServerError> {
    let Some(r) = sqlx::query!(
        r#"SELECT r.id AS "id!: ResidentId", r.name, r.birth_year, r.gender AS "gender!: Gender"
           FROM stay s JOIN resident r ON r.id = s.resident_id WHERE s.id = ?1"#,
        stay.0
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some((
        r.id,
        PersonFacts {
            name: r.name,
            birth_year: i32::try_from(r.birth_year).map_err(|_| corrupt("resident.birth_year"))?,
            gender: r.gender,
        },
    )))
}

/// Records one changed value and sets it on the resident.
pub async fn insert_correction(
    conn: &mut SqliteConnection,
    resident: ResidentId,
    stay: StayId,
    (field, old, new): &(CorrectedField, String, String),
    reason: &str,
    at: OffsetDateTime,
    by: UserId,
) -> Result<(), ServerError> {
    let at = timestamp(at);
    sqlx::query!(
        "INSERT INTO resident_correction (resident_id, stay_id, field, old_value, new_value,
                                          reason, at, by_user_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        resident.0,
        stay.0,
        field,
        old,
        new,
        reason,
        at,
        by.0
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Sets the corrected facts on the resident record.
pub async fn set_person(
    conn: &mut SqliteConnection,
    resident: ResidentId,
    facts: &PersonFacts,
) -> Result<(), ServerError> {
    let gender = facts.gender.as_str();
    sqlx::query!(
        "UPDATE resident SET name = ?2, birth_year = ?3, gender = ?4 WHERE id = ?1",
        resident.0,
        facts.name,
        facts.birth_year,
        gender
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The corrections of the resident record of `stay`, the newest first.
pub async fn corrections(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Vec<Correction>, ServerError> {
    Ok(sqlx::query!(
        r#"SELECT c.field AS "field!: CorrectedField", c.old_value, c.new_value, c.reason, c.at,
                  u.name AS by_name
           FROM stay s
           JOIN resident_correction c ON c.resident_id = s.resident_id
           JOIN app_user u ON u.id = c.by_user_id
           WHERE s.id = ?1
           ORDER BY c.id DESC"#,
        stay.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| Correction {
        field: r.field,
        old_value: r.old_value,
        new_value: r.new_value,
        reason: r.reason,
        at: r.at,
        by: r.by_name,
    })
    .collect())
}
