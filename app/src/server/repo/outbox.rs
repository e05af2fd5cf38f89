//! The outbox: every message the portal sends is a row here first, written in the transaction of
//! the change (or the scan) that causes it. The sender claims due rows, sends them and marks each
//! one. Rows hold ids, kinds, dates and states: no personal data.

use crate::domain::deviation::DeviationId;
use crate::domain::notice::{
    Audience, NoticeKind, NoticeState, OutboxEntry, PausedUnit, assignment_key,
};
use crate::domain::plan::{StayId, TaskId, TaskStatus};
use crate::domain::routine::Step;
use crate::domain::{DistrictId, Unit, UserId};
use crate::server::ServerError;
use crate::server::repo::access_log::timestamp;
use crate::server::repo::plans::unit_of;
use serde::Serialize;
use sqlx::SqliteConnection;
use time::{Date, OffsetDateTime};

/// Queues the message that a task landed in a unit's inbox.
pub async fn queue_assignment(
    conn: &mut SqliteConnection,
    at: OffsetDateTime,
    unit: Unit,
    task: TaskId,
) -> Result<(), ServerError> {
    let at = timestamp(at);
    let key = assignment_key(task, unit, &at);
    let service = unit.service.as_str();
    sqlx::query!(
        "INSERT INTO outbox (key, created_at, kind, audience, district_id, service_kind, task_id,
                             next_try_at)
         VALUES (?1, ?2, 'task_assigned', 'unit', ?3, ?4, ?5, ?2)
         ON CONFLICT (key) DO NOTHING",
        key,
        at,
        unit.district.0,
        service,
        task.0
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What one scan of the deadlines queued.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ScanCounts {
    pub due_soon: u64,
    pub overdue: u64,
    pub escalated: u64,
    pub digests: u64,
    /// Deviations opened for binding steps that missed their deadline.
    pub deviations: u64,
    /// Messages about internal-control documents' review dates (coming up, passed).
    pub control_reviews: u64,
    /// Messages about audit findings' closure steps (due soon, overdue).
    pub finding_steps: u64,
}

/// How far back a scan looks for tasks that passed their date: a task overdue longer than this
/// when the portal first sees it (a portal upgraded with old overdue tasks, a server down for
/// weeks) gets no message of its own; it is in the unit's digest and on its board.
pub const LOOKBACK_DAYS: i64 = 30;

/// Queues, for the Oslo date `today`, the due-soon message of every open unit task due within
/// `soon_days`, the overdue message of every open unit task past its date, and the leader's
/// message of every open unit task overdue by `escalate_after` days or more. The due date is the
/// extended one where a legal period was extended. Each message is queued once: its key names the
/// task and the due date, so running the scan again, or in two processes, adds nothing.
pub async fn queue_deadline_notices(
    conn: &mut SqliteConnection,
    now: OffsetDateTime,
    today: Date,
    soon_days: u16,
    escalate_after: u16,
) -> Result<ScanCounts, ServerError> {
    let days = |n: i64| time::Duration::days(n);
    let escalate = days(i64::from(escalate_after));
    let windows = [
        (
            NoticeKind::TaskDueSoon,
            Audience::Unit,
            today,
            today + days(i64::from(soon_days)),
        ),
        (
            NoticeKind::TaskOverdue,
            Audience::Unit,
            today - days(LOOKBACK_DAYS),
            today - days(1),
        ),
        (
            NoticeKind::TaskEscalated,
            Audience::Leader,
            today - escalate - days(LOOKBACK_DAYS),
            today - escalate,
        ),
    ];
    let mut queued = [0; 3];
    for (n, (kind, audience, from, to)) in windows.into_iter().enumerate() {
        queued[n] = queue_due_between(conn, now, today, kind, audience, from, to).await?;
    }
    Ok(ScanCounts {
        due_soon: queued[0],
        overdue: queued[1],
        escalated: queued[2],
        digests: 0,
        deviations: 0,
        control_reviews: 0,
        finding_steps: 0,
    })
}

/// Queues a `kind` message to `audience` for every open unit task whose (extended) due date is
/// from `from` to `to`, each once (the key names the task and its due date).
async fn queue_due_between(
    conn: &mut SqliteConnection,
    now: OffsetDateTime,
    today: Date,
    kind: NoticeKind,
    audience: Audience,
    from: Date,
    to: Date,
) -> Result<u64, ServerError> {
    let at = timestamp(now);
    let (kind, audience) = (kind.as_str(), audience.as_str());
    Ok(sqlx::query!(
        "INSERT INTO outbox (key, created_at, kind, audience, district_id, service_kind, task_id,
                             on_date, next_try_at)
         SELECT ?3 || ':' || t.id || ':' || coalesce(e.due_on, t.due_on), ?1, ?3, ?4,
                t.district_id, t.service_kind, t.id, ?2, ?1
         FROM task t LEFT JOIN task_extension e ON e.task_id = t.id
         WHERE t.status IN ('open', 'in_progress') AND t.district_id IS NOT NULL
           AND coalesce(e.due_on, t.due_on) BETWEEN ?5 AND ?6
         ORDER BY t.id
         ON CONFLICT (key) DO NOTHING",
        at,
        today,
        kind,
        audience,
        from,
        to
    )
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

/// Queues, for the Oslo date `today`, the daily digest of every unit with open tasks (to the
/// unit's address) and a copy for each of its caseworkers who chose the digest only. Once per
/// unit, user and day, however often it runs.
pub async fn queue_digests(
    conn: &mut SqliteConnection,
    now: OffsetDateTime,
    today: Date,
) -> Result<u64, ServerError> {
    let at = timestamp(now);
    let units = sqlx::query!(
        "INSERT INTO outbox (key, created_at, kind, audience, district_id, service_kind, on_date,
                             next_try_at)
         SELECT 'unit_digest:' || district_id || '/' || service_kind || ':' || ?2, ?1,
                'unit_digest', 'unit', district_id, service_kind, ?2, ?1
         FROM (SELECT DISTINCT district_id, service_kind FROM task
               WHERE status IN ('open', 'in_progress') AND district_id IS NOT NULL)
         WHERE true ORDER BY district_id, service_kind
         ON CONFLICT (key) DO NOTHING",
        at,
        today
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let users = sqlx::query!(
        "INSERT INTO outbox (key, created_at, kind, audience, district_id, service_kind, user_id,
                             on_date, next_try_at)
         SELECT 'unit_digest:' || u.district_id || '/' || u.service_kind || ':' || ?2 || ':user:'
                || u.id, ?1, 'unit_digest', 'user', u.district_id, u.service_kind, u.id, ?2, ?1
         FROM app_user u
         WHERE u.active = 1 AND u.notify = 'digest' AND u.district_id IS NOT NULL
           AND EXISTS (SELECT 1 FROM task t WHERE t.district_id = u.district_id
                       AND t.service_kind = u.service_kind
                       AND t.status IN ('open', 'in_progress'))
         ORDER BY u.id
         ON CONFLICT (key) DO NOTHING",
        at,
        today
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(units + users)
}

/// Queues, for the Oslo date `today`, the messages about adopted internal-control documents:
/// review date within [`CONTROL_REVIEW_SOON_DAYS`] (and not passed), and review date passed
/// (from the day after it, as the document's state says). Each goes to the leader contacts of
/// each of the district's standard services, once: the key names the kind, the district, the
/// document, the service and the review date, so a new review date is told again.
pub async fn queue_control_reviews(
    conn: &mut SqliteConnection,
    now: OffsetDateTime,
    today: Date,
) -> Result<u64, ServerError> {
    use crate::domain::notice::CONTROL_REVIEW_SOON_DAYS;
    let at = timestamp(now);
    let soon = today + time::Duration::days(CONTROL_REVIEW_SOON_DAYS);
    Ok(sqlx::query!(
        "INSERT INTO outbox (key, created_at, kind, audience, district_id, service_kind,
                             document_id, on_date, next_try_at)
         SELECT kind || ':' || district_id || '/' || document_id || '/' || service_kind || ':'
                || review_on, ?1, kind, 'leader', district_id, service_kind, document_id,
                review_on, ?1
         FROM (SELECT CASE WHEN dd.review_on < ?2 THEN 'control_review_passed'
                           ELSE 'control_review_soon' END AS kind,
                      dd.district_id, dd.document_id, s.kind AS service_kind, dd.review_on
               FROM district_document dd
               JOIN service s ON s.district_id = dd.district_id
                             AND s.kind IN ('nav', 'child_welfare', 'violence_coordinator')
               WHERE dd.status = 'adopted' AND dd.review_on IS NOT NULL
                 AND dd.review_on <= ?3)
         WHERE true ORDER BY district_id, document_id, service_kind
         ON CONFLICT (key) DO NOTHING",
        at,
        today,
        soon
    )
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

/// Queues, for the Oslo date `today`, the due-soon message of every open closure step of an
/// open finding due within `soon_days`, and the overdue message of every one past its deadline
/// (at most [`LOOKBACK_DAYS`] back), to the step's unit. Each once: the key names the kind, the
/// step and its deadline.
pub async fn queue_finding_steps(
    conn: &mut SqliteConnection,
    now: OffsetDateTime,
    today: Date,
    soon_days: u16,
) -> Result<u64, ServerError> {
    let at = timestamp(now);
    let soon = today + time::Duration::days(i64::from(soon_days));
    let back = today - time::Duration::days(LOOKBACK_DAYS);
    Ok(sqlx::query!(
        "INSERT INTO outbox (key, created_at, kind, audience, district_id, service_kind, step_id,
                             on_date, next_try_at)
         SELECT kind || ':' || id || ':' || due_on, ?1, kind, 'unit', district_id, service_kind,
                id, due_on, ?1
         FROM (SELECT CASE WHEN s.due_on < ?2 THEN 'finding_step_overdue'
                           ELSE 'finding_step_due_soon' END AS kind,
                      s.id, s.district_id, s.service_kind, s.due_on
               FROM finding_step s JOIN control_finding f ON f.id = s.finding_id
               WHERE s.status = 'open' AND f.closed_on IS NULL
                 AND s.due_on BETWEEN ?4 AND ?3)
         WHERE true ORDER BY id
         ON CONFLICT (key) DO NOTHING",
        at,
        today,
        soon,
        back
    )
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

/// A closure step as its message needs it: its deadline, whether it is still open in an open
/// finding, and its district's name.
pub async fn finding_step_facts(
    conn: &mut SqliteConnection,
    step: i64,
) -> Result<Option<(Date, bool, String)>, ServerError> {
    Ok(sqlx::query!(
        r#"SELECT s.due_on AS "due_on!: Date",
                  s.status = 'open' AND f.closed_on IS NULL AS "open!: bool",
                  d.name AS district
           FROM finding_step s JOIN control_finding f ON f.id = s.finding_id
           JOIN district d ON d.id = s.district_id
           WHERE s.id = ?1"#,
        step
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (r.due_on, r.open, r.district)))
}

/// What a review message says: the document's names, the district's name and slug, and the
/// entry as it is now (its status and review date), to tell whether the message still applies.
#[derive(Clone, Debug)]
pub struct ControlReviewFacts {
    pub name_nb: String,
    pub name_en: String,
    pub district_name: String,
    pub district_slug: String,
    pub adopted: bool,
    pub review_on: Option<Date>,
}

/// The facts of a review message about `document` of `district`; `None` when the district has
/// no entry for it (or either does not exist).
pub async fn control_review_facts(
    conn: &mut SqliteConnection,
    district: DistrictId,
    document: i64,
) -> Result<Option<ControlReviewFacts>, ServerError> {
    Ok(sqlx::query!(
        r#"SELECT c.name_nb, c.name_en, d.name AS district_name, d.slug AS district_slug,
                  dd.status = 'adopted' AS "adopted!: bool", dd.review_on AS "review_on?: Date"
           FROM district_document dd
           JOIN control_document c ON c.id = dd.document_id
           JOIN district d ON d.id = dd.district_id
           WHERE dd.district_id = ?1 AND dd.document_id = ?2"#,
        district.0,
        document
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| ControlReviewFacts {
        name_nb: r.name_nb,
        name_en: r.name_en,
        district_name: r.district_name,
        district_slug: r.district_slug,
        adopted: r.adopted,
        review_on: r.review_on,
    }))
}

/// Queues the exit meeting's invitation to each invited unit, for the meeting's time as it is
/// now planned (a meeting moved to another time is a new invitation).
pub async fn queue_invitations(
    conn: &mut SqliteConnection,
    now: OffsetDateTime,
    stay: StayId,
) -> Result<u64, ServerError> {
    let at = timestamp(now);
    Ok(sqlx::query!(
        "INSERT INTO outbox (key, created_at, kind, audience, district_id, service_kind, stay_id,
                             next_try_at)
         SELECT 'exit_meeting_invitation:' || m.stay_id || ':' || s.district_id || '/' || s.kind
                || ':' || m.starts_at, ?1, 'exit_meeting_invitation', 'unit', s.district_id,
                s.kind, m.stay_id, ?1
         FROM exit_meeting m
         JOIN exit_meeting_service ms ON ms.stay_id = m.stay_id
         JOIN service s ON s.id = ms.service_id
         WHERE m.stay_id = ?2 AND m.held = 0 AND s.kind <> 'other'
         ORDER BY s.id
         ON CONFLICT (key) DO NOTHING",
        at,
        stay.0
    )
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

/// One line of a unit's digest.
#[derive(Clone, Debug)]
pub struct DigestTask {
    pub task: TaskId,
    pub step: Step,
    pub due: Date,
}

/// The open tasks of a unit, most urgent first (at most `limit`), and how many there are.
pub async fn digest_tasks(
    conn: &mut SqliteConnection,
    unit: Unit,
    limit: i64,
) -> Result<(Vec<DigestTask>, i64), ServerError> {
    let service = unit.service.as_str();
    let rows = sqlx::query!(
        r#"SELECT t.id AS "id!: TaskId", t.step AS "step: Step",
                  coalesce(e.due_on, t.due_on) AS "due!: Date", count(*) OVER () AS "total!: i64"
           FROM task t LEFT JOIN task_extension e ON e.task_id = t.id
           WHERE t.district_id = ?1 AND t.service_kind = ?2
             AND t.status IN ('open', 'in_progress')
           ORDER BY 3, t.id LIMIT ?3"#,
        unit.district.0,
        service,
        limit
    )
    .fetch_all(&mut *conn)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    Ok((
        rows.into_iter()
            .map(|r| DigestTask {
                task: r.id,
                step: r.step,
                due: r.due,
            })
            .collect(),
        total,
    ))
}

/// How many open tasks of a unit are overdue and due soon on `today` (the digest's counts).
pub async fn unit_counts(
    conn: &mut SqliteConnection,
    unit: Unit,
    today: Date,
    soon: Date,
) -> Result<(i64, i64), ServerError> {
    let service = unit.service.as_str();
    let r = sqlx::query!(
        r#"SELECT coalesce(sum(d < ?3), 0) AS "overdue!: i64",
                  coalesce(sum(d BETWEEN ?3 AND ?4), 0) AS "soon!: i64"
           FROM (SELECT coalesce(e.due_on, t.due_on) AS d
                 FROM task t LEFT JOIN task_extension e ON e.task_id = t.id
                 WHERE t.district_id = ?1 AND t.service_kind = ?2
                   AND t.status IN ('open', 'in_progress'))"#,
        unit.district.0,
        service,
        today,
        soon
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok((r.overdue, r.soon))
}

/// A user who takes the digest: their address and language, while they are active, still take
/// the digest only, and still belong to `unit`.
pub async fn digest_user(
    conn: &mut SqliteConnection,
    user: UserId,
    unit: Unit,
) -> Result<Option<Recipient>, ServerError> {
    let service = unit.service.as_str();
    let row = sqlx::query!(
        "SELECT email, language FROM app_user
         WHERE id = ?1 AND active = 1 AND notify = 'digest' AND district_id = ?2
           AND service_kind = ?3",
        user.0,
        unit.district.0,
        service
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| Recipient {
        email: r.email,
        language: r.language,
    }))
}

/// The exit meeting's time (Oslo local, `YYYY-MM-DDTHH:MM`) while it is planned, not held, and
/// `unit` is still invited.
pub async fn invitation_time(
    conn: &mut SqliteConnection,
    stay: StayId,
    unit: Unit,
) -> Result<Option<String>, ServerError> {
    let service = unit.service.as_str();
    Ok(sqlx::query_scalar!(
        "SELECT m.starts_at FROM exit_meeting m
         JOIN exit_meeting_service ms ON ms.stay_id = m.stay_id
         JOIN service s ON s.id = ms.service_id
         WHERE m.stay_id = ?1 AND m.held = 0 AND s.district_id = ?2 AND s.kind = ?3",
        stay.0,
        unit.district.0,
        service
    )
    .fetch_optional(&mut *conn)
    .await?)
}

/// A row the sender has claimed.
#[derive(Clone, Debug)]
pub struct Claimed {
    pub id: i64,
    pub key: String,
    pub kind: NoticeKind,
    pub audience: Audience,
    pub unit: Option<Unit>,
    pub user: Option<UserId>,
    pub task: Option<TaskId>,
    pub stay: Option<StayId>,
    pub deviation: Option<DeviationId>,
    /// An internal-control document (`control_document.id`).
    pub document: Option<i64>,
    /// A closure step of an audit finding (`finding_step.id`).
    pub step: Option<i64>,
    pub on_date: Option<Date>,
    pub attempts: i64,
}

/// Claims up to `limit` pending rows that are due at `now` and not claimed by a sender whose
/// claim is still running, for `token` until `until`, and counts the attempt. One statement in
/// the caller's write transaction, so two senders on one database never claim the same row.
pub async fn claim_due(
    conn: &mut SqliteConnection,
    now: OffsetDateTime,
    until: OffsetDateTime,
    token: &str,
    limit: i64,
) -> Result<Vec<Claimed>, ServerError> {
    let now = timestamp(now);
    let until = timestamp(until);
    let rows = sqlx::query!(
        r#"UPDATE outbox SET claim = ?3, claimed_until = ?2, attempts = attempts + 1
           WHERE id IN (
               SELECT o.id FROM outbox o
               WHERE o.state = 'pending' AND o.next_try_at <= ?1
                 AND (o.claimed_until IS NULL OR o.claimed_until <= ?1)
                 AND NOT EXISTS (SELECT 1 FROM unit_mail_pause p
                                 WHERE p.district_id = o.district_id
                                   AND p.service_kind = o.service_kind)
               ORDER BY o.next_try_at, o.id LIMIT ?4)
           RETURNING id AS "id!", key AS "key!", kind AS "kind!: NoticeKind", audience AS "audience!: Audience",
                     district_id, service_kind, user_id AS "user_id: UserId",
                     task_id AS "task_id: TaskId", stay_id AS "stay_id: StayId", on_date AS "on_date: Date",
                     attempts AS "attempts!", deviation_id AS "deviation_id: DeviationId", document_id,
                     step_id"#,
        now,
        until,
        token,
        limit
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut claimed = rows
        .into_iter()
        .map(|r| {
            Ok(Claimed {
                id: r.id,
                key: r.key,
                kind: r.kind,
                audience: r.audience,
                unit: unit_of(r.district_id, r.service_kind.as_deref())?,
                user: r.user_id,
                task: r.task_id,
                stay: r.stay_id,
                deviation: r.deviation_id,
                document: r.document_id,
                step: r.step_id,
                on_date: r.on_date,
                attempts: r.attempts,
            })
        })
        .collect::<Result<Vec<_>, ServerError>>()?;
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

/// Marks a claimed row sent with the Message-ID it went out with. False when the claim was no
/// longer this sender's (it ran past its time and another sender took the row).
pub async fn mark_sent(
    conn: &mut SqliteConnection,
    id: i64,
    token: &str,
    at: OffsetDateTime,
    message_id: &str,
) -> Result<bool, ServerError> {
    let at = timestamp(at);
    let done = sqlx::query!(
        "UPDATE outbox SET state = 'sent', sent_at = ?3, message_id = ?4, claim = NULL,
                           claimed_until = NULL, last_error = NULL
         WHERE id = ?1 AND claim = ?2 AND state = 'pending'",
        id,
        token,
        at,
        message_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends a claimed row's attempt without sending: `Pending` with the time of the next try,
/// `Failed` or `Skipped` for good. `note` says why, without personal data.
pub async fn mark_unsent(
    conn: &mut SqliteConnection,
    id: i64,
    token: &str,
    state: NoticeState,
    next_try_at: OffsetDateTime,
    note: &str,
) -> Result<bool, ServerError> {
    let state = state.as_str();
    let next = timestamp(next_try_at);
    let note: String = note.chars().take(500).collect();
    let done = sqlx::query!(
        "UPDATE outbox SET state = ?3, next_try_at = ?4, last_error = ?5, claim = NULL,
                           claimed_until = NULL
         WHERE id = ?1 AND claim = ?2 AND state = 'pending'",
        id,
        token,
        state,
        next,
        note
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A task as its messages describe it: no personal data.
#[derive(Clone, Debug)]
pub struct TaskFacts {
    pub step: Step,
    pub due: Date,
    pub status: TaskStatus,
    pub unit: Option<Unit>,
    pub assignee: Option<UserId>,
    pub district_name: Option<String>,
}

/// The facts of a task that a message may carry.
pub async fn task_facts(
    conn: &mut SqliteConnection,
    task: TaskId,
) -> Result<Option<TaskFacts>, ServerError> {
    let row = sqlx::query!(
        r#"SELECT t.step AS "step: Step", coalesce(e.due_on, t.due_on) AS "due!: Date",
                  t.status AS "status: TaskStatus", t.district_id, t.service_kind,
                  t.assignee_id AS "assignee: UserId", d.name AS "district_name?"
           FROM task t LEFT JOIN task_extension e ON e.task_id = t.id
           LEFT JOIN district d ON d.id = t.district_id
           WHERE t.id = ?1"#,
        task.0
    )
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(TaskFacts {
            step: r.step,
            due: r.due,
            status: r.status,
            unit: unit_of(r.district_id, r.service_kind.as_deref())?,
            assignee: r.assignee,
            district_name: r.district_name,
        })
    })
    .transpose()
}

/// One address a message goes to, and the language to write it in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub email: String,
    pub language: String,
}

/// The unit's shared address in the directory (its service's e-mail), if it has one.
pub async fn unit_address(
    conn: &mut SqliteConnection,
    unit: Unit,
) -> Result<Option<String>, ServerError> {
    let service = unit.service.as_str();
    Ok(sqlx::query_scalar!(
        "SELECT email FROM service WHERE district_id = ?1 AND kind = ?2",
        unit.district.0,
        service
    )
    .fetch_optional(&mut *conn)
    .await?
    .flatten())
}

/// An active user's address, language and whether they take immediate messages.
pub async fn user_address(
    conn: &mut SqliteConnection,
    user: UserId,
) -> Result<Option<(Recipient, bool)>, ServerError> {
    let row = sqlx::query!(
        "SELECT email, language, notify FROM app_user WHERE id = ?1 AND active = 1",
        user.0
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| {
        (
            Recipient {
                email: r.email,
                language: r.language,
            },
            r.notify == "immediate",
        )
    }))
}

/// The active leader contacts of a unit's service in the directory.
pub async fn leader_addresses(
    conn: &mut SqliteConnection,
    unit: Unit,
) -> Result<Vec<String>, ServerError> {
    let service = unit.service.as_str();
    Ok(sqlx::query_scalar!(
        "SELECT c.email FROM contact c JOIN service s ON s.id = c.service_id
         WHERE s.district_id = ?1 AND s.kind = ?2 AND c.role = 'leader' AND c.active = 1
         ORDER BY c.id",
        unit.district.0,
        service
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// The district's name (not personal data).
pub async fn district_name(
    conn: &mut SqliteConnection,
    district: DistrictId,
) -> Result<Option<String>, ServerError> {
    Ok(
        sqlx::query_scalar!("SELECT name FROM district WHERE id = ?1", district.0)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// The rows operators look at: every pending and failed row (up to `limit` each), and the
/// `recent` latest sent or skipped ones.
pub async fn operator_rows(
    conn: &mut SqliteConnection,
    limit: i64,
    recent: i64,
) -> Result<Vec<OutboxEntry>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT * FROM (
               SELECT o.id AS "id!", o.kind AS "kind!: NoticeKind",
                      o.audience AS "audience!: Audience", d.slug AS "district?",
                      o.service_kind AS "service?", o.state AS "state!: NoticeState",
                      o.attempts AS "attempts!", o.created_at AS "created_at!",
                      o.next_try_at AS "next_try_at!", o.sent_at AS "sent_at?",
                      o.last_error AS "last_error?"
               FROM outbox o LEFT JOIN district d ON d.id = o.district_id
               WHERE o.state = 'pending' ORDER BY o.id LIMIT ?1)
           UNION ALL SELECT * FROM (
               SELECT o.id, o.kind, o.audience, d.slug, o.service_kind, o.state, o.attempts,
                      o.created_at, o.next_try_at, o.sent_at, o.last_error
               FROM outbox o LEFT JOIN district d ON d.id = o.district_id
               WHERE o.state = 'failed' ORDER BY o.id DESC LIMIT ?1)
           UNION ALL SELECT * FROM (
               SELECT o.id, o.kind, o.audience, d.slug, o.service_kind, o.state, o.attempts,
                      o.created_at, o.next_try_at, o.sent_at, o.last_error
               FROM outbox o LEFT JOIN district d ON d.id = o.district_id
               WHERE o.state IN ('sent', 'skipped') ORDER BY o.id DESC LIMIT ?2)"#,
        limit,
        recent
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| OutboxEntry {
            id: r.id,
            kind: r.kind,
            audience: r.audience,
            district: r.district,
            service: r.service,
            state: r.state,
            attempts: r.attempts,
            created_at: r.created_at,
            next_try_at: (r.state == NoticeState::Pending).then_some(r.next_try_at),
            sent_at: r.sent_at,
            last_error: r.last_error,
        })
        .collect())
}

/// How many rows are in each state.
pub async fn state_counts(
    conn: &mut SqliteConnection,
) -> Result<Vec<(NoticeState, i64)>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT state AS "state!: NoticeState", count(*) AS "n!: i64"
           FROM outbox GROUP BY state ORDER BY state"#
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.state, r.n)).collect())
}

/// Puts failed rows back in the queue, due at `now` with their attempts counted from zero:
/// one row (`Some(id)`) or all of them. Returns how many.
pub async fn retry_failed(
    conn: &mut SqliteConnection,
    now: OffsetDateTime,
    only: Option<i64>,
) -> Result<u64, ServerError> {
    let now = timestamp(now);
    let done = sqlx::query!(
        "UPDATE outbox SET state = 'pending', attempts = 0, next_try_at = ?1, claim = NULL,
                           claimed_until = NULL
         WHERE state = 'failed' AND (?2 IS NULL OR id = ?2)",
        now,
        only
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Pauses a unit's messages: the sender leaves them waiting. False when it was paused already.
pub async fn pause_unit(
    conn: &mut SqliteConnection,
    at: OffsetDateTime,
    unit: Unit,
    by: UserId,
) -> Result<bool, ServerError> {
    let at = timestamp(at);
    let service = unit.service.as_str();
    let done = sqlx::query!(
        "INSERT INTO unit_mail_pause (district_id, service_kind, paused_at, paused_by)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
        unit.district.0,
        service,
        at,
        by.0
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends a unit's pause: its waiting messages go out (the sender skips what no longer applies,
/// such as the digest of a day that is over). False when the unit was not paused.
pub async fn resume_unit(conn: &mut SqliteConnection, unit: Unit) -> Result<bool, ServerError> {
    let service = unit.service.as_str();
    let done = sqlx::query!(
        "DELETE FROM unit_mail_pause WHERE district_id = ?1 AND service_kind = ?2",
        unit.district.0,
        service
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The paused units, with how many of their messages wait.
pub async fn paused_units(conn: &mut SqliteConnection) -> Result<Vec<PausedUnit>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT p.district_id AS "district_id!", d.name AS district_name,
                  p.service_kind, p.paused_at, u.name AS "paused_by?",
                  (SELECT count(*) FROM outbox o WHERE o.state = 'pending'
                     AND o.district_id = p.district_id AND o.service_kind = p.service_kind)
                  AS "waiting!: i64"
           FROM unit_mail_pause p JOIN district d ON d.id = p.district_id
           LEFT JOIN app_user u ON u.id = p.paused_by
           ORDER BY d.name, p.service_kind"#
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let unit = unit_of(Some(r.district_id), Some(&r.service_kind))?
                .ok_or(ServerError::NotFound)?;
            Ok(PausedUnit {
                district: unit.district,
                district_name: r.district_name,
                service: unit.service,
                paused_at: r.paused_at,
                paused_by: r.paused_by,
                waiting: r.waiting,
            })
        })
        .collect()
}
