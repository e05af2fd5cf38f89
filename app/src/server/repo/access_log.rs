//! The access log: append-only (the schema's triggers refuse UPDATE and DELETE).

use crate::domain::plan::StayId;
use crate::domain::{
    ACCESS_LOG_PAGE, AccessLogEntry, AccessLogFilter, ActorSnapshot, AuditAction, AuditOutcome,
    DistrictId, ObjectKind, UserId,
};
use crate::server::ServerError;
use sqlx::SqliteConnection;

/// One access-log row.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    /// When, from the portal's clock (UTC).
    pub at: time::OffsetDateTime,
    pub actor: Option<&'a ActorSnapshot>,
    pub action: AuditAction,
    pub object_type: Option<ObjectKind>,
    pub object_id: Option<String>,
    pub district: Option<DistrictId>,
    pub reason: Option<&'a str>,
    pub outcome: AuditOutcome,
    /// The stays whose personal data the action touched, comma-separated (see [`Touched`]).
    pub stays: Option<String>,
}

/// Appends a row inside the caller's transaction, so it commits (or not) with the work.
pub async fn append(conn: &mut SqliteConnection, entry: &Entry<'_>) -> Result<(), ServerError> {
    let user_id = entry.actor.map(|a| a.user.0);
    let user_name = entry.actor.map(|a| a.name.as_str());
    let user_role = entry.actor.map(|a| a.role.as_str());
    let district = entry.district.map(|d| d.0);
    let outcome = entry.outcome.as_str();
    let action = entry.action.as_str();
    let object_type = entry.object_type.map(ObjectKind::as_str);
    let at = timestamp(entry.at);
    sqlx::query!(
        "INSERT INTO access_log (user_id, user_name, user_role, action, object_type, object_id, district_id, reason, outcome, at, stays)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        user_id,
        user_name,
        user_role,
        action,
        object_type,
        entry.object_id,
        district,
        entry.reason,
        outcome,
        at,
        entry.stays
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What a successful action touched: an object (type and id), its district, and the stays
/// whose personal data it showed or changed (the ids a list showed, the stay of a task, both
/// stays of a link), so that a person's insight finds every row.
#[derive(Clone, Debug, Default)]
pub struct Touched {
    pub object: Option<(ObjectKind, String)>,
    pub district: Option<DistrictId>,
    pub stays: Option<String>,
}

impl Touched {
    pub fn object(
        object_type: ObjectKind,
        id: impl ToString,
        district: Option<DistrictId>,
    ) -> Touched {
        Touched {
            object: Some((object_type, id.to_string())),
            district,
            stays: None,
        }
    }

    /// A unit (a district's service of a kind), named `<district id>/<kind>`.
    pub fn unit(unit: crate::domain::Unit) -> Touched {
        Touched::object(
            ObjectKind::Unit,
            format!("{}/{}", unit.district.0, unit.service.as_str()),
            Some(unit.district),
        )
    }

    /// The stays the action touched (ids in the order given, without repeats; none: no change).
    pub fn with_stays(mut self, stays: impl IntoIterator<Item = StayId>) -> Touched {
        self.stays = stay_list(stays);
        self
    }
}

/// Stay ids as the log stores them: comma-separated, each once, `None` for none.
pub fn stay_list(stays: impl IntoIterator<Item = StayId>) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    let ids: Vec<String> = stays
        .into_iter()
        .filter(|s| seen.insert(*s))
        .map(|s| s.0.to_string())
        .collect();
    (!ids.is_empty()).then(|| ids.join(","))
}

/// Appends the row of a successful read or change by a signed-in user, without a reason: the
/// common case of [`append`].
pub async fn append_ok(
    conn: &mut SqliteConnection,
    at: time::OffsetDateTime,
    by: &ActorSnapshot,
    action: AuditAction,
    touched: Touched,
) -> Result<(), ServerError> {
    append_by(conn, at, by, action, touched, AuditOutcome::Ok).await
}

/// Appends the row of a refused read or change by a signed-in user (an id outside their reach,
/// or one that does not exist): what they asked for, with outcome `refused`.
pub async fn append_refused(
    conn: &mut SqliteConnection,
    at: time::OffsetDateTime,
    by: &ActorSnapshot,
    action: AuditAction,
    asked: Touched,
) -> Result<(), ServerError> {
    append_by(conn, at, by, action, asked, AuditOutcome::Refused).await
}

/// Appends a row of a signed-in user's action with the given outcome, without a reason.
pub async fn append_by(
    conn: &mut SqliteConnection,
    at: time::OffsetDateTime,
    by: &ActorSnapshot,
    action: AuditAction,
    touched: Touched,
    outcome: AuditOutcome,
) -> Result<(), ServerError> {
    let (object_type, object_id) = touched.object.unzip();
    append(
        conn,
        &Entry {
            at,
            actor: Some(by),
            action,
            object_type,
            object_id,
            district: touched.district,
            reason: None,
            outcome,
            stays: touched.stays,
        },
    )
    .await
}

/// The stored form of a timestamp: UTC, milliseconds, e.g. `2026-03-30T21:59:00.000Z` (sorts as
/// text in time order).
pub fn timestamp(at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.millisecond()
    )
}

/// The stored timestamp of the instant a day starts in Oslo (midnight is never skipped there).
fn oslo_day_start(day: time::Date) -> String {
    let midnight = time::PrimitiveDateTime::new(day, time::Time::MIDNIGHT);
    crate::server::clock::oslo_instant(midnight)
        .map_or_else(|| format!("{day}T00:00:00.000Z"), timestamp)
}

/// The user's failed sign-ins (password, code, or the current password or code given when changing
/// a credential) since `since` and since their last successful sign-in: how many, and the latest.
pub async fn recent_failures(
    conn: &mut SqliteConnection,
    user: UserId,
    since: time::OffsetDateTime,
) -> Result<(i64, Option<time::OffsetDateTime>), ServerError> {
    let since = timestamp(since);
    let row = sqlx::query!(
        r#"SELECT count(*) AS "n!: i64", max(at) AS "latest?: String" FROM access_log
           WHERE user_id = ?1
             AND action IN ('sign_in', 'sign_in.code', 'user.change_password',
                            'user.enrol_second_factor')
             AND outcome = 'failed' AND at >= ?2
             -- After the last successful sign-in (by row order: the same millisecond can hold both).
             AND id > coalesce((SELECT max(id) FROM access_log
                                WHERE user_id = ?1 AND action = 'sign_in' AND outcome = 'ok'), 0)"#,
        user.0,
        since
    )
    .fetch_one(&mut *conn)
    .await?;
    let latest = row.latest.and_then(|t| {
        time::OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339).ok()
    });
    Ok((row.n, latest))
}

/// The newest rows that match the filter, at most [`ACCESS_LOG_PAGE`]. One query; every filter
/// is optional (`NULL` matches everything). The user filter matches what the user did and what
/// was done to their account.
pub async fn search(
    conn: &mut SqliteConnection,
    filter: &AccessLogFilter,
) -> Result<Vec<AccessLogEntry>, ServerError> {
    let user = filter.user.map(|u| u.0);
    let district = filter.district.map(|d| d.0);
    // Days are Oslo days, as the log page shows its times: from the start of the first day to
    // the start of the day after the last (the end day is included).
    let date = |d: crate::domain::audit::time_free::Day| {
        time::Month::try_from(d.month)
            .ok()
            .and_then(|m| time::Date::from_calendar_date(d.year, m, d.day).ok())
    };
    let from = filter.from.and_then(date).map(oslo_day_start);
    let to = filter
        .to
        .and_then(date)
        .and_then(time::Date::next_day)
        .map(oslo_day_start);
    let limit = ACCESS_LOG_PAGE;
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", at, user_id, user_name, user_role, action, object_type, object_id,
                  district_id, reason, outcome, stays
           FROM access_log
           WHERE (?1 IS NULL OR user_id = ?1 OR (object_type = 'user' AND object_id = CAST(?1 AS TEXT)))
             AND (((?2 IS NULL OR object_type = ?2) AND (?3 IS NULL OR object_id = ?3))
                  -- A stay is also found in the rows that name it among the stays they touched
                  -- (lists, task reads, links).
                  OR (?3 IS NOT NULL AND (?2 IS NULL OR ?2 = 'stay')
                      AND instr(',' || stays || ',', ',' || ?3 || ',') > 0))
             AND (?4 IS NULL OR district_id = ?4)
             AND (?5 IS NULL OR at >= ?5)
             AND (?6 IS NULL OR at < ?6)
           ORDER BY at DESC, id DESC
           LIMIT ?7"#,
        user,
        filter.object_type,
        filter.object_id,
        district,
        from,
        to,
        limit
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AccessLogEntry {
            id: r.id,
            at: r.at,
            user: r.user_id.map(UserId),
            user_name: r.user_name,
            user_role: r.user_role,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            district: r.district_id.map(DistrictId),
            reason: r.reason,
            outcome: r.outcome,
            stays: r.stays,
        })
        .collect())
}
