//! Routine versions and their rules (read only: a published version never changes).

use crate::domain::deadline::Period;
use crate::domain::plan::RuleId;
use crate::domain::routine::{Anchor, Condition, DistrictRole, Responsible, Routine, Rule, Step};
use crate::server::ServerError;
use sqlx::SqliteConnection;

fn invalid(field: &'static str) -> ServerError {
    ServerError::InvalidInput {
        field,
        source: crate::domain::ParseError::Name,
    }
}

/// The newest published version number.
pub async fn latest_version(conn: &mut SqliteConnection) -> Result<Option<i64>, ServerError> {
    Ok(
        sqlx::query_scalar!(r#"SELECT max(version) AS "v: i64" FROM routine_version"#)
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// A published version with its rules, in a stable order. `None` when there is no such version.
pub async fn load(
    conn: &mut SqliteConnection,
    version: i64,
) -> Result<Option<Routine>, ServerError> {
    Ok(load_where(conn, Some(version), None)
        .await?
        .map(|(routine, _)| routine))
}

/// The newest version's row id (what a new plan records).
pub async fn latest_version_id(conn: &mut SqliteConnection) -> Result<i64, ServerError> {
    sqlx::query_scalar!(r#"SELECT id AS "id!" FROM routine_version ORDER BY version DESC LIMIT 1"#)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| ServerError::Pragma("no routine version is published".into()))
}

/// The version a plan was created under (by the version's row id), with its rules' ids in the
/// rules' order. `None` when there is no such version.
pub async fn load_for_plan(
    conn: &mut SqliteConnection,
    routine_version_id: i64,
) -> Result<Option<(Routine, Vec<RuleId>)>, ServerError> {
    load_where(conn, None, Some(routine_version_id)).await
}

async fn load_where(
    conn: &mut SqliteConnection,
    version: Option<i64>,
    version_id: Option<i64>,
) -> Result<Option<(Routine, Vec<RuleId>)>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT r.id, v.version, r.step, r.responsible, r.district_role, r.anchor, r.offset_unit,
                  r.offset_amount, r.needs_children AS "needs_children: bool",
                  r.needs_concern AS "needs_concern: bool",
                  r.needs_target_differs AS "needs_target_differs: bool",
                  r.needs_temporary AS "needs_temporary: bool", r.binding AS "binding: bool",
                  r.needs_expected_temporary AS "needs_expected_temporary: bool"
           FROM routine_rule r JOIN routine_version v ON v.id = r.routine_version_id
           WHERE (?1 IS NULL OR v.version = ?1) AND (?2 IS NULL OR v.id = ?2)
           ORDER BY r.id"#,
        version,
        version_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let version = first.version;
    let ids = rows.iter().map(|r| RuleId(r.id)).collect();
    let rules = rows
        .into_iter()
        .map(|r| {
            let amount = i32::try_from(r.offset_amount).map_err(|_| invalid("offset"))?;
            Ok(Rule {
                step: Step::parse(&r.step).ok_or_else(|| invalid("step"))?,
                responsible: Responsible::parse(&r.responsible)
                    .ok_or_else(|| invalid("responsible"))?,
                district: DistrictRole::parse(&r.district_role)
                    .ok_or_else(|| invalid("district_role"))?,
                anchor: Anchor::parse(&r.anchor).ok_or_else(|| invalid("anchor"))?,
                offset: match r.offset_unit.as_str() {
                    "days" => Period::Days(amount),
                    "months" => Period::Months(amount),
                    _ => return Err(invalid("offset_unit")),
                },
                condition: Condition {
                    children: r.needs_children,
                    concern: r.needs_concern,
                    target_differs: r.needs_target_differs,
                    temporary_outcome: r.needs_temporary,
                    expected_temporary: r.needs_expected_temporary,
                },
                binding: r.binding,
            })
        })
        .collect::<Result<Vec<_>, ServerError>>()?;
    Ok(Some((Routine { version, rules }, ids)))
}

/// Every published version, newest first, with the number of plans created under it.
pub async fn versions(
    conn: &mut SqliteConnection,
) -> Result<Vec<crate::domain::routine::VersionSummary>, ServerError> {
    Ok(sqlx::query!(
        r#"SELECT v.version, v.published_at, u.name AS "published_by?", v.note,
                  (SELECT count(*) FROM stay s WHERE s.routine_version_id = v.id) AS "plans!: i64"
           FROM routine_version v LEFT JOIN app_user u ON u.id = v.published_by
           ORDER BY v.version DESC"#
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| crate::domain::routine::VersionSummary {
        version: r.version,
        published_at: r.published_at,
        published_by: r.published_by,
        note: r.note,
        plans: r.plans,
    })
    .collect())
}

/// The newest version with its rules' ids (what a new plan would get).
pub async fn latest(
    conn: &mut SqliteConnection,
) -> Result<Option<(Routine, Vec<RuleId>)>, ServerError> {
    match latest_version(conn).await? {
        Some(version) => load_where(conn, Some(version), None).await,
        None => Ok(None),
    }
}

/// Publishes `rules` as the next version; returns its number.
pub async fn publish(
    conn: &mut SqliteConnection,
    at: time::OffsetDateTime,
    by: crate::domain::UserId,
    note: Option<&str>,
    rules: &[Rule],
) -> Result<i64, ServerError> {
    let at = crate::server::repo::access_log::timestamp(at);
    let (id, version) = sqlx::query!(
        r#"INSERT INTO routine_version (version, published_at, published_by, note)
           VALUES ((SELECT coalesce(max(version), 0) + 1 FROM routine_version), ?1, ?2, ?3)
           RETURNING id AS "id!", version"#,
        at,
        by.0,
        note
    )
    .fetch_one(&mut *conn)
    .await
    .map(|r| (r.id, r.version))?;
    for rule in rules {
        let (unit, amount) = match rule.offset {
            Period::Days(n) => ("days", n),
            Period::Months(n) => ("months", n),
        };
        let (step, responsible) = (rule.step.as_str(), rule.responsible.as_str());
        let (district, anchor) = (rule.district.as_str(), rule.anchor.as_str());
        let c = rule.condition;
        sqlx::query!(
            "INSERT INTO routine_rule (routine_version_id, step, responsible, district_role, anchor,
                                       offset_unit, offset_amount, needs_children, needs_concern,
                                       needs_target_differs, needs_temporary, binding,
                                       needs_expected_temporary)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            id,
            step,
            responsible,
            district,
            anchor,
            unit,
            amount,
            c.children,
            c.concern,
            c.target_differs,
            c.temporary_outcome,
            rule.binding,
            c.expected_temporary
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(version)
}
