//! Deviations (avvik): opened by the deadline scan when a binding step misses its deadline, or by
//! hand from a task; handled and closed by the unit that answers for it (the crisis center for
//! its own steps). Every change is one write transaction with its history row, its access-log
//! row and, for a new deviation of a unit, the message to the unit's leader contacts.

use crate::domain::deviation::{
    DEVIATION_PAGE, DeviationCase, DeviationCause, DeviationChange, DeviationEventKind,
    DeviationId, DeviationList, DeviationMeasure, DeviationStatus, check_close,
};
use crate::domain::plan::TaskId;
use crate::domain::{ActorSnapshot, AuditAction, AuditOutcome, ObjectKind, Unit};
use crate::server::ServerError;
use crate::server::db::Db;
use crate::server::repo::access_log::{self, Entry, Touched};
use crate::server::repo::deviations::{self as repo, DeviationWrite, EventWrite, Opened, Scope};
use crate::server::repo::outbox::LOOKBACK_DAYS;
use crate::server::service::plans::{When, log_read, refuse_read};
use sqlx::SqliteConnection;
use time::{Date, OffsetDateTime};

/// Who reads deviations, and so what they see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// Reviewers and administrators: every row, without free text; no case.
    Reviewer,
    /// A caseworker: their district's deviations, with the case.
    District(crate::domain::DistrictId),
    /// Crisis center staff: every deviation, with the case.
    CrisisCenter,
}

impl Reader {
    /// How `actor` reads deviations, or `None` when they may not: reviewers and administrators
    /// as reviewers, crisis center staff every one, a caseworker their unit's district's (a
    /// district manager none: their free text may name residents).
    pub fn of(actor: &crate::domain::Actor) -> Option<Reader> {
        use crate::domain::{Action, Role, Target, permits};
        let (reader, action, target) = match (actor.role, actor.unit) {
            (Role::Reviewer | Role::Admin, _) => {
                (Reader::Reviewer, Action::ReadCompliance, Target::Global)
            }
            (Role::CrisisCenter, _) => {
                (Reader::CrisisCenter, Action::WorkDeviations, Target::Global)
            }
            (Role::Caseworker, Some(unit)) => (
                Reader::District(unit.district),
                Action::WorkDeviations,
                Target::District(unit.district),
            ),
            (Role::Caseworker, None) | (Role::DistrictManager, _) => return None,
        };
        permits(Some(actor), action, target).then_some(reader)
    }

    fn scope(self) -> Scope {
        match self {
            Reader::District(d) => Scope::District(d),
            Reader::Reviewer | Reader::CrisisCenter => Scope::All,
        }
    }
}

fn touched(id: DeviationId, opened: &Opened) -> Touched {
    Touched::object(ObjectKind::Deviation, id.0, opened.unit.map(|u| u.district))
        .with_stays([opened.stay])
}

/// Opens, inside the scan's transaction, a deviation for every binding step that missed its
/// deadline before `today` (within the scan's look-back), each once, with its history row, its
/// access-log row (no person acted) and its leader message. Returns how many it opened.
pub async fn open_missed(
    conn: &mut SqliteConnection,
    now: OffsetDateTime,
    today: Date,
) -> Result<u64, ServerError> {
    let since = today - time::Duration::days(LOOKBACK_DAYS);
    let opened = repo::open_missed(conn, now, today, since).await?;
    for o in &opened {
        repo::append_event(
            conn,
            &EventWrite {
                deviation: o.id,
                at: now,
                by: None,
                kind: DeviationEventKind::Opened,
                cause: None,
                measure: None,
                note: None,
            },
        )
        .await?;
        let t = touched(o.id, o);
        let (object_type, object_id) = t.object.unzip();
        access_log::append(
            conn,
            &Entry {
                at: now,
                actor: None,
                action: AuditAction::DeviationOpen,
                object_type,
                object_id,
                district: t.district,
                reason: Some("deadline"),
                outcome: AuditOutcome::Ok,
                stays: t.stays,
            },
        )
        .await?;
        if let Some(unit) = o.unit {
            repo::queue_leader_notice(conn, now, o.id, unit).await?;
        }
    }
    Ok(opened.len() as u64)
}

/// Opens a deviation by hand from a task the caller reaches (`unit`: the caller's unit, for a
/// caseworker; `None`: crisis center staff, who reach every task). A task out of reach is
/// `NotFound`, as one that does not exist.
pub async fn open_by_hand(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    unit: Option<Unit>,
    task: TaskId,
    note: &str,
) -> Result<DeviationId, ServerError> {
    let mut tx = db.begin_write().await?;
    let asked = Touched::object(ObjectKind::Task, task.0, unit.map(|u| u.district));
    let reach = repo::task_unit(&mut tx, task).await?;
    let in_reach = match (reach, unit) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(task_unit), Some(mine)) => task_unit == Some(mine),
    };
    if !in_reach {
        access_log::append_refused(&mut tx, when.at, by, AuditAction::DeviationOpen, asked).await?;
        tx.commit().await?;
        return Err(ServerError::NotFound);
    }
    let Some(opened) = repo::open_manual(&mut tx, when.at, when.today, by.user, task, note).await?
    else {
        return Err(ServerError::NotFound);
    };
    repo::append_event(
        &mut tx,
        &EventWrite {
            deviation: opened.id,
            at: when.at,
            by: Some(by.user),
            kind: DeviationEventKind::Opened,
            cause: None,
            measure: None,
            note: Some(note),
        },
    )
    .await?;
    access_log::append_ok(
        &mut tx,
        when.at,
        by,
        AuditAction::DeviationOpen,
        touched(opened.id, &opened),
    )
    .await?;
    if let Some(unit) = opened.unit {
        repo::queue_leader_notice(&mut tx, when.at, opened.id, unit).await?;
    }
    tx.commit().await?;
    Ok(opened.id)
}

/// The deviations a reader may see, newest first: rows without personal data or free text.
pub async fn list(
    db: &Db,
    today: Date,
    reader: Reader,
    status: Option<DeviationStatus>,
) -> Result<DeviationList, ServerError> {
    let mut tx = db.begin_read().await?;
    let (rows, total) = repo::rows(&mut tx, reader.scope(), status, today, DEVIATION_PAGE).await?;
    tx.commit().await?;
    Ok(DeviationList {
        rows,
        may_open: reader != Reader::Reviewer,
        status,
        total,
    })
}

/// One deviation with its free text and history, for its district and the crisis center. The
/// free text may name a person: one access-log row per read; one out of reach is `NotFound` (a
/// refused row).
pub async fn case(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    reader: Reader,
    id: DeviationId,
) -> Result<DeviationCase, ServerError> {
    let mut tx = db.begin_read().await?;
    let district = match reader {
        Reader::District(d) => Some(d),
        _ => None,
    };
    let found = match reader {
        Reader::Reviewer => None,
        _ => repo::case(&mut tx, id, reader.scope(), when.today).await?,
    };
    let Some(mut case) = found else {
        return refuse_read(
            tx,
            db,
            when,
            by,
            AuditAction::DeviationRead,
            Touched::object(ObjectKind::Deviation, id.0, district),
        )
        .await;
    };
    tx.commit().await?;
    case.via_plan = reader == Reader::CrisisCenter;
    case.may_handle = match reader {
        Reader::District(_) => true,
        Reader::CrisisCenter => case.row.district.is_none(),
        Reader::Reviewer => false,
    };
    let t = Touched::object(ObjectKind::Deviation, id.0, district).with_stays([case.stay]);
    log_read(db, when, by, AuditAction::DeviationRead, t).await?;
    Ok(case)
}

/// What a person asks of a deviation.
#[derive(Clone, Debug)]
pub struct ChangeRequest<'a> {
    pub id: DeviationId,
    pub version: i64,
    pub change: DeviationChange,
    pub cause: Option<DeviationCause>,
    pub measure: Option<DeviationMeasure>,
    pub note: Option<&'a str>,
}

/// Handles, closes or reopens a deviation of the reader's reach. Closing needs a cause and a
/// measure (`Field("cause")` / `Field("measure")`); a change read at an older version is
/// `Stale`.
pub async fn change(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    reader: Reader,
    ask: &ChangeRequest<'_>,
) -> Result<(), ServerError> {
    // Reviewers never reach a deviation's case (the API refuses them first): as not found.
    if reader == Reader::Reviewer {
        return Err(ServerError::NotFound);
    }
    let mut tx = db.begin_write().await?;
    let Some(state) = repo::state(&mut tx, ask.id, reader.scope()).await? else {
        return Err(ServerError::NotFound);
    };
    // A district's deviation is the district's to handle: the crisis center reads it only.
    if reader == Reader::CrisisCenter && state.district.is_some() {
        return Err(ServerError::NotFound);
    }
    if state.version != ask.version {
        return Err(ServerError::Stale);
    }
    let status = ask
        .change
        .next_status(state.status)
        .ok_or(ServerError::Field("change"))?;
    // Reopening keeps what was found and done, to be revised; its own note is the reason.
    let (cause, measure, note, closed) = match ask.change {
        DeviationChange::Close => {
            let (c, m) = check_close(ask.cause, ask.measure).map_err(ServerError::Field)?;
            (Some(c), Some(m), ask.note, Some((when.today, by.user)))
        }
        DeviationChange::Handle => (ask.cause, ask.measure, ask.note, None),
        DeviationChange::Reopen => (state.cause, state.measure, state.note.as_deref(), None),
    };
    let write = DeviationWrite {
        status,
        cause,
        measure,
        note,
        closed,
    };
    if !repo::write(&mut tx, ask.id, ask.version, &write).await? {
        return Err(ServerError::Stale);
    }
    repo::append_event(
        &mut tx,
        &EventWrite {
            deviation: ask.id,
            at: when.at,
            by: Some(by.user),
            kind: ask.change.event_kind(),
            cause: ask.cause.and(cause),
            measure: ask.measure.and(measure),
            note: ask.note,
        },
    )
    .await?;
    let action = match ask.change {
        DeviationChange::Handle => AuditAction::DeviationHandle,
        DeviationChange::Close => AuditAction::DeviationClose,
        DeviationChange::Reopen => AuditAction::DeviationReopen,
    };
    let t =
        Touched::object(ObjectKind::Deviation, ask.id.0, state.district).with_stays([state.stay]);
    access_log::append_ok(&mut tx, when.at, by, action, t).await?;
    tx.commit().await?;
    Ok(())
}
