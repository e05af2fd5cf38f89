//! Residents and their stays: intake, the facts staff record, the hand-over, related stays.

use super::*;
use crate::domain::plan::{OpenStay, UnitPlan};

/// Inserts a resident (a person), from the intake.
pub async fn insert_resident(
    conn: &mut SqliteConnection,
    intake: &Intake,
    at: OffsetDateTime,
) -> Result<ResidentId, ServerError> {
    let gender = intake.gender.as_str();
    let at = timestamp(at);
    let id = sqlx::query_scalar!(
        r#"INSERT INTO resident (name, birth_year, gender, case_reference, created_at)
           VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id AS "id!""#,
        intake.name,
        intake.birth_year,
        gender,
        intake.case_reference,
        at
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(ResidentId(id))
}

/// Inserts a stay (and so its plan) under a routine version, with its children.
pub async fn insert_stay(
    conn: &mut SqliteConnection,
    resident: ResidentId,
    routine_version_id: i64,
    intake: &Intake,
    at: OffsetDateTime,
    by: UserId,
) -> Result<StayId, ServerError> {
    let referral = intake.referral.as_str();
    let target = intake.target.map(|(d, _)| d.0);
    let reason = intake.target.map(|(_, r)| r.as_str());
    let at = timestamp(at);
    let id = sqlx::query_scalar!(
        r#"INSERT INTO stay (resident_id, routine_version_id, arrival, referral, home_district_id,
                             target_district_id, target_reason, secret_address, language,
                             interpreter, created_at, created_by)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id AS "id!""#,
        resident.0,
        routine_version_id,
        intake.arrival,
        referral,
        intake.home.0,
        target,
        reason,
        intake.secret_address,
        intake.language,
        intake.interpreter,
        at,
        by.0
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(foreign_key_as("home"))?;
    for year in &intake.children {
        insert_child(conn, StayId(id), *year).await?;
    }
    Ok(StayId(id))
}

/// The open stays (no move-out yet) of a person with this name, compared without case, and birth
/// year, the earliest arrival first.
pub async fn open_stays_like(
    conn: &mut SqliteConnection,
    name: &str,
    birth_year: i32,
) -> Result<Vec<OpenStay>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT s.id AS "id!", s.arrival AS "arrival!: Date"
           FROM resident r JOIN stay s ON s.resident_id = r.id
           WHERE r.name = ?1 COLLATE NOCASE AND r.birth_year = ?2 AND s.move_out IS NULL
           ORDER BY s.arrival, s.id"#,
        name,
        birth_year
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| OpenStay {
            stay: StayId(r.id),
            arrival: r.arrival,
        })
        .collect())
}

/// Keeps why staff registered a stay although the person seemed to have an open one.
pub async fn set_duplicate_reason(
    conn: &mut SqliteConnection,
    stay: StayId,
    reason: &str,
) -> Result<(), ServerError> {
    sqlx::query!(
        "UPDATE stay SET duplicate_reason = ?2 WHERE id = ?1",
        stay.0,
        reason
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A foreign-key violation (an unknown district or service id) as an invalid field.
pub fn foreign_key_as(field: &'static str) -> impl FnOnce(sqlx::Error) -> ServerError {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => ServerError::Field(field),
        _ => ServerError::Database(e),
    }
}

/// Adds a child (its birth year) to a stay.
pub async fn insert_child(
    conn: &mut SqliteConnection,
    stay: StayId,
    birth_year: i32,
) -> Result<(), ServerError> {
    sqlx::query!(
        "INSERT INTO child (stay_id, birth_year) VALUES (?1, ?2)",
        stay.0,
        birth_year
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What the task rules and the services need of a stay.
#[derive(Clone, Debug)]
pub struct StayState {
    pub facts: StayFacts,
    pub routine_version_id: i64,
    pub version: i64,
    pub handover_started: bool,
}

/// The stay's facts for the task rules; `None` when there is no such stay.
pub async fn stay_state(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Option<StayState>, ServerError> {
    let Some(r) = sqlx::query!(
        r#"SELECT s.arrival AS "arrival: Date", s.home_district_id, s.target_district_id,
                  s.concern_registered AS "concern_registered: Date",
                  s.report_sent AS "report_sent: Date",
                  s.report_received AS "report_received: Date",
                  s.review_concluded AS "review_concluded: Date",
                  s.planned_move_out AS "planned_move_out: Date",
                  s.move_out AS "move_out: Date", s.outcome, s.expected_outcome,
                  s.routine_version_id, s.version, s.handover_started_at, s.handover_ended_at,
                  EXISTS (SELECT 1 FROM child c WHERE c.stay_id = s.id) AS "children!: bool"
           FROM stay s WHERE s.id = ?1"#,
        stay.0
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let outcome = match r.outcome.as_deref() {
        Some(o) => Some(Outcome::parse(o).ok_or_else(|| corrupt("stay.outcome"))?),
        None => None,
    };
    let expected_outcome = match r.expected_outcome.as_deref() {
        Some(o) => Some(Outcome::parse(o).ok_or_else(|| corrupt("stay.expected_outcome"))?),
        None => None,
    };
    let handover_on = match r.handover_ended_at.as_deref() {
        Some(at) => Some(
            time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
                .map(crate::server::clock::oslo_date)
                .map_err(|_| corrupt("stay.handover_ended_at"))?,
        ),
        None => None,
    };
    Ok(Some(StayState {
        facts: StayFacts {
            arrival: r.arrival,
            home: DistrictId(r.home_district_id),
            target: r.target_district_id.map(DistrictId),
            children: r.children,
            concern_registered: r.concern_registered,
            report_sent: r.report_sent,
            report_received: r.report_received,
            review_concluded: r.review_concluded,
            planned_move_out: r.planned_move_out,
            move_out: r.move_out,
            outcome,
            expected_outcome,
            handover_on,
        },
        routine_version_id: r.routine_version_id,
        version: r.version,
        handover_started: r.handover_started_at.is_some(),
    }))
}

/// Raises the stay's version if it still is `expected`; false when someone changed it first.
pub async fn bump_stay_version(
    conn: &mut SqliteConnection,
    stay: StayId,
    expected: i64,
) -> Result<bool, ServerError> {
    let done = sqlx::query!(
        "UPDATE stay SET version = version + 1 WHERE id = ?1 AND version = ?2",
        stay.0,
        expected
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The facts staff edit on the plan page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StayUpdate {
    pub target: Option<(DistrictId, TargetReason)>,
    pub planned_move_out: Option<Date>,
    /// The day the resident was ready to move out, waiting only for housing.
    pub ready_on: Option<Date>,
    pub secret_address: bool,
    pub language: Option<String>,
    pub interpreter: bool,
    /// What staff expect the outcome to be (a temporary one brings the follow-up plan before
    /// the move-out, under routines that say so).
    pub expected_outcome: Option<Outcome>,
}

/// Stores the edited facts.
pub async fn update_stay(
    conn: &mut SqliteConnection,
    stay: StayId,
    update: &StayUpdate,
) -> Result<(), ServerError> {
    let target = update.target.map(|(d, _)| d.0);
    let reason = update.target.map(|(_, r)| r.as_str());
    let expected = update.expected_outcome.map(Outcome::as_str);
    sqlx::query!(
        "UPDATE stay SET target_district_id = ?2, target_reason = ?3, planned_move_out = ?4,
                         secret_address = ?5, language = ?6, interpreter = ?7, ready_on = ?8,
                         expected_outcome = ?9
         WHERE id = ?1",
        stay.0,
        target,
        reason,
        update.planned_move_out,
        update.secret_address,
        update.language,
        update.interpreter,
        update.ready_on,
        expected
    )
    .execute(&mut *conn)
    .await
    .map_err(foreign_key_as("target"))?;
    Ok(())
}

/// The child welfare report's dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConcernDates {
    pub registered: Option<Date>,
    pub sent: Option<Date>,
    pub received: Option<Date>,
}

/// Child welfare's receipt of the report of concern (a change of the stay's facts: its version
/// is raised, so a concurrent edit of the plan's report form gets E-STALE).
pub async fn set_report_received(
    conn: &mut SqliteConnection,
    stay: StayId,
    received: Date,
) -> Result<(), ServerError> {
    sqlx::query!(
        "UPDATE stay SET report_received = ?2, version = version + 1 WHERE id = ?1",
        stay.0,
        received
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Stores the dates of the report of concern.
pub async fn update_concern(
    conn: &mut SqliteConnection,
    stay: StayId,
    dates: ConcernDates,
) -> Result<(), ServerError> {
    sqlx::query!(
        "UPDATE stay SET concern_registered = ?2, report_sent = ?3, report_received = ?4
         WHERE id = ?1",
        stay.0,
        dates.registered,
        dates.sent,
        dates.received
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the day child welfare concluded its review (a possible start of § 2-2's period).
pub async fn set_review_concluded(
    conn: &mut SqliteConnection,
    stay: StayId,
    on: Option<Date>,
) -> Result<(), ServerError> {
    sqlx::query!(
        "UPDATE stay SET review_concluded = ?2 WHERE id = ?1",
        stay.0,
        on
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The move-out as staff register it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveOut {
    pub on: Date,
    pub outcome: Outcome,
    pub main_coordinator: crate::domain::ServiceId,
    pub no_exit_meeting_reason: Option<String>,
}

/// Stores the move-out.
pub async fn set_move_out(
    conn: &mut SqliteConnection,
    stay: StayId,
    move_out: &MoveOut,
) -> Result<(), ServerError> {
    let outcome = move_out.outcome.as_str();
    sqlx::query!(
        "UPDATE stay SET move_out = ?2, outcome = ?3, main_coordinator_id = ?4,
                         no_exit_meeting_reason = ?5
         WHERE id = ?1",
        stay.0,
        move_out.on,
        outcome,
        move_out.main_coordinator.0,
        move_out.no_exit_meeting_reason
    )
    .execute(&mut *conn)
    .await
    .map_err(foreign_key_as("main_coordinator"))?;
    Ok(())
}

/// Marks the start or end of the hand-over to the target district.
pub async fn set_handover(
    conn: &mut SqliteConnection,
    stay: StayId,
    started: Option<OffsetDateTime>,
    ended: Option<OffsetDateTime>,
) -> Result<(), ServerError> {
    let started = started.map(timestamp);
    let ended = ended.map(timestamp);
    sqlx::query!(
        "UPDATE stay SET handover_started_at = coalesce(handover_started_at, ?2),
                         handover_ended_at = coalesce(handover_ended_at, ?3)
         WHERE id = ?1",
        stay.0,
        started,
        ended
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The plan page's facts (without tasks, meeting and other stays). `None` when unknown.
pub async fn plan_facts(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Option<PlanDetail>, ServerError> {
    let Some(r) = sqlx::query!(
        r#"SELECT s.id AS "id!", s.version, v.version AS routine_version, r.name,
                  r.birth_year, r.gender, r.case_reference, s.referral,
                  s.arrival AS "arrival: Date", s.home_district_id, h.name AS home_name,
                  s.target_district_id, g.name AS "target_name?", s.target_reason,
                  s.secret_address AS "secret_address: bool", s.language,
                  s.interpreter AS "interpreter: bool",
                  s.concern_registered AS "concern_registered: Date",
                  s.report_sent AS "report_sent: Date",
                  s.report_received AS "report_received: Date",
                  s.review_concluded AS "review_concluded: Date",
                  s.planned_move_out AS "planned_move_out: Date",
                  s.ready_on AS "ready_on: Date",
                  m.name AS "main_coordinator?", s.no_exit_meeting_reason,
                  s.move_out AS "move_out: Date", s.outcome, s.handover_started_at,
                  s.handover_ended_at, s.expected_outcome
           FROM stay s
           JOIN resident r ON r.id = s.resident_id
           JOIN routine_version v ON v.id = s.routine_version_id
           JOIN district h ON h.id = s.home_district_id
           LEFT JOIN district g ON g.id = s.target_district_id
           LEFT JOIN service m ON m.id = s.main_coordinator_id
           WHERE s.id = ?1"#,
        stay.0
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let children = children_of(conn, stay).await?;
    Ok(Some(PlanDetail {
        stay: StayId(r.id),
        version: r.version,
        routine_version: r.routine_version,
        name: r.name,
        birth_year: i32::try_from(r.birth_year).unwrap_or_default(),
        gender: Gender::parse(&r.gender),
        case_reference: r.case_reference,
        referral: Referral::parse(&r.referral),
        arrival: r.arrival,
        home: DistrictId(r.home_district_id),
        home_name: r.home_name,
        target: r.target_district_id.map(DistrictId),
        target_name: r.target_name,
        target_reason: r.target_reason.as_deref().and_then(TargetReason::parse),
        secret_address: r.secret_address,
        language: r.language,
        interpreter: r.interpreter,
        children,
        concern_registered: r.concern_registered,
        report_sent: r.report_sent,
        report_received: r.report_received,
        review_concluded: r.review_concluded,
        planned_move_out: r.planned_move_out,
        ready_on: r.ready_on,
        main_coordinator: r.main_coordinator,
        no_exit_meeting_reason: r.no_exit_meeting_reason,
        move_out: r.move_out,
        outcome: r.outcome.as_deref().and_then(Outcome::parse),
        expected_outcome: r.expected_outcome.as_deref().and_then(Outcome::parse),
        handover_started_at: r.handover_started_at,
        handover_ended_at: r.handover_ended_at,
        exit_meeting: None,
        other_stays: Vec::new(),
        possible_matches: Vec::new(),
        merges: Vec::new(),
        services: Vec::new(),
        returning: false,
        tasks: Vec::new(),
        consents: Vec::new(),
        consent_history: Vec::new(),
        corrections: Vec::new(),
    }))
}

/// A plan as a caseworker of `unit` sees it (without tasks and exit meeting, which the caller
/// adds); `None` when there is no such stay or `unit` has no task in it.
pub async fn unit_plan(
    conn: &mut SqliteConnection,
    stay: StayId,
    unit: Unit,
) -> Result<Option<UnitPlan>, ServerError> {
    let service = unit.service.as_str();
    let Some(r) = sqlx::query!(
        r#"SELECT s.id AS "id!", v.version AS routine_version, r.name, r.birth_year,
                  s.arrival AS "arrival: Date", s.home_district_id, h.name AS home_name,
                  g.name AS "target_name?", s.target_reason, s.handover_started_at, s.handover_ended_at,
                  s.secret_address AS "secret_address: bool", s.language,
                  s.interpreter AS "interpreter: bool",
                  s.planned_move_out AS "planned_move_out: Date",
                  m.name AS "main_coordinator?", s.move_out AS "move_out: Date", s.outcome
           FROM stay s
           JOIN resident r ON r.id = s.resident_id
           JOIN routine_version v ON v.id = s.routine_version_id
           JOIN district h ON h.id = s.home_district_id
           LEFT JOIN district g ON g.id = s.target_district_id
           LEFT JOIN service m ON m.id = s.main_coordinator_id
           WHERE s.id = ?1
             AND EXISTS (SELECT 1 FROM task t WHERE t.stay_id = s.id
                                                AND t.district_id = ?2 AND t.service_kind = ?3)"#,
        stay.0,
        unit.district.0,
        service
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(UnitPlan {
        stay: StayId(r.id),
        routine_version: r.routine_version,
        name: r.name,
        birth_year: i32::try_from(r.birth_year).unwrap_or_default(),
        arrival: r.arrival,
        home: DistrictId(r.home_district_id),
        home_name: r.home_name,
        target_name: r.target_name,
        target_reason: r.target_reason.as_deref().and_then(TargetReason::parse),
        handover_started_at: r.handover_started_at,
        handover_ended_at: r.handover_ended_at,
        secret_address: r.secret_address,
        language: r.language,
        interpreter: r.interpreter,
        children: children_of(conn, stay).await?,
        planned_move_out: r.planned_move_out,
        main_coordinator: r.main_coordinator,
        move_out: r.move_out,
        outcome: r.outcome.as_deref().and_then(Outcome::parse),
        exit_meeting: None,
        tasks: Vec::new(),
    }))
}

/// The children of a stay (their birth years), youngest last.
async fn children_of(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Vec<ChildView>, ServerError> {
    Ok(sqlx::query!(
        "SELECT birth_year FROM child WHERE stay_id = ?1 ORDER BY birth_year, id",
        stay.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|c| ChildView {
        birth_year: i32::try_from(c.birth_year).unwrap_or_default(),
    })
    .collect())
}

/// Stays of the same person (other than `stay`), and stays that may be the same person: the
/// same case reference, or the same name and birth year under another resident record.
pub async fn related_stays(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<(Vec<OtherStay>, Vec<OtherStay>), ServerError> {
    let rows = sqlx::query!(
        r#"WITH me AS (
               SELECT r.id, r.name, r.birth_year, r.case_reference
               FROM stay s JOIN resident r ON r.id = s.resident_id WHERE s.id = ?1
           ), people AS (
               SELECT id FROM me
               UNION SELECT r.id FROM resident r, me
                     WHERE me.case_reference IS NOT NULL AND r.case_reference = me.case_reference
               UNION SELECT r.id FROM resident r, me
                     WHERE r.name = me.name COLLATE NOCASE AND r.birth_year = me.birth_year
           )
           SELECT o.id AS "id!", o.arrival AS "arrival: Date", o.move_out AS "move_out: Date",
                  o.outcome, (o.resident_id = (SELECT id FROM me)) AS "same!: bool"
           FROM stay o
           WHERE o.resident_id IN (SELECT id FROM people) AND o.id <> ?1
           ORDER BY o.arrival, o.id"#,
        stay.0
    )
    .fetch_all(&mut *conn)
    .await?;
    let (mut same, mut maybe) = (Vec::new(), Vec::new());
    for r in rows {
        let other = OtherStay {
            stay: StayId(r.id),
            arrival: r.arrival,
            move_out: r.move_out,
            outcome: r.outcome.as_deref().and_then(Outcome::parse),
        };
        if r.same {
            same.push(other)
        } else {
            maybe.push(other)
        }
    }
    Ok((same, maybe))
}
