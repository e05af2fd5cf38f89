//! A stay's plan as staff keep it: intake, the facts along the resident's path, move-out,
//! related stays, and the crisis center's list and counts.

use super::*;
use crate::domain::{ActorSnapshot, AuditAction, ObjectKind};

/// A date staff plan (a move-out, the exit meeting): not before the arrival, and within
/// [`PLAN_AHEAD`] of today; a stay is planned in weeks, and a year such as 9999 is a typing error.
pub(super) fn planned_date_fits(date: Date, arrival: Date, today: Date) -> bool {
    date >= arrival && date <= today.saturating_add(PLAN_AHEAD)
}

/// How far ahead a planned date may lie.
pub const PLAN_AHEAD: time::Duration = time::Duration::days(366);

/// Registers a new resident's stay and creates its plan under the newest routine version, with
/// the tasks that apply from the start.
#[tracing::instrument(skip_all)]
pub async fn create_plan(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    intake: &Intake,
) -> Result<StayId, ServerError> {
    let mut tx = db.begin_write().await?;
    // Each unknown district is named as its own field (the foreign key alone cannot say which).
    for (district, field) in [
        (Some(intake.home), "home"),
        (intake.target.map(|t| t.0), "target"),
    ] {
        if let Some(district) = district
            && !crate::server::repo::directory::district_exists(&mut tx, district).await?
        {
            return Err(ServerError::Field(field));
        }
    }
    // The same person registered twice would get two plans and twice the tasks: a likely
    // duplicate is refused unless staff say why this is a new stay.
    if intake.duplicate_reason.is_none()
        && !repo::open_stays_like(&mut tx, &intake.name, intake.birth_year)
            .await?
            .is_empty()
    {
        return Err(ServerError::Conflict { field: "duplicate" });
    }
    let version = crate::server::repo::routines::latest_version_id(&mut tx).await?;
    let resident = repo::insert_resident(&mut tx, intake, when.at).await?;
    let stay = repo::insert_stay(&mut tx, resident, version, intake, when.at, by.user).await?;
    if let Some(reason) = &intake.duplicate_reason {
        repo::set_duplicate_reason(&mut tx, stay, reason).await?;
    }
    let districts: Vec<DistrictId> = std::iter::once(intake.home)
        .chain(intake.target.map(|t| t.0))
        .collect();
    repo::insert_intake_consents(
        &mut tx,
        stay,
        &districts,
        &intake.consents,
        when.today,
        when.at,
        by.user,
    )
    .await?;
    sync_tasks(&mut tx, stay, when).await?;
    access_log::append_ok(
        &mut tx,
        when.at,
        by,
        AuditAction::PlanCreate,
        stay_touched(stay, intake.home),
    )
    .await?;
    tx.commit().await?;
    Ok(stay)
}

/// Begins a change of a stay's facts: the stay must exist and still have `version`.
pub(super) async fn begin_stay_change(
    conn: &mut SqliteConnection,
    stay: StayId,
    version: i64,
) -> Result<repo::StayState, ServerError> {
    let state = repo::stay_state(conn, stay)
        .await?
        .ok_or(ServerError::NotFound)?;
    if !repo::bump_stay_version(conn, stay, version).await? {
        return Err(ServerError::Stale);
    }
    Ok(state)
}

/// The facts of the stay itself (target district, planned move-out, exit meeting) are closed
/// once the move-out is registered; the report of concern, children and links stay open.
pub(super) fn refuse_after_move_out(state: &repo::StayState) -> Result<(), ServerError> {
    match state.facts.move_out {
        Some(_) => Err(ServerError::Field("move_out")),
        None => Ok(()),
    }
}

/// Ends a change of a stay: its access-log row, then the commit.
pub(super) async fn finish_stay_change(
    mut tx: WriteTx,
    when: When,
    by: &ActorSnapshot,
    action: AuditAction,
    stay: StayId,
    home: DistrictId,
) -> Result<(), ServerError> {
    access_log::append_ok(&mut tx, when.at, by, action, stay_touched(stay, home)).await?;
    tx.commit().await?;
    Ok(())
}

/// The open stays of a person with this name and birth year (what an intake refused as a likely
/// duplicate). The stays shown are named in the access log.
#[tracing::instrument(skip_all)]
pub async fn open_stays_like(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    name: &str,
    birth_year: i32,
) -> Result<Vec<OpenStay>, ServerError> {
    let stays = repo::open_stays_like(&mut *db.acquire().await?, name, birth_year).await?;
    let touched = Touched {
        stays: access_log::stay_list(stays.iter().map(|s| s.stay)),
        ..Touched::default()
    };
    log_read(db, when, by, AuditAction::PlanList, touched).await?;
    Ok(stays)
}

/// The crisis center's list of plans, the most urgent first (at most `PLAN_LIST_LIMIT`).
/// Names are personal data: one
/// access-log row per read.
#[tracing::instrument(skip_all)]
pub async fn plans(db: &Db, when: When, by: &ActorSnapshot) -> Result<PlanList, ServerError> {
    // One query (a snapshot of its own), shared by the staff who open the list at once.
    let key = format!("plan_list {} {}", when.today, when.soon_days);
    let list = db
        .shared_read(key, || async {
            repo::plan_list(
                &mut *db.acquire().await?,
                when.today,
                repo::soon_until(when.today, when.soon_days),
                PLAN_LIST_LIMIT,
            )
            .await
        })
        .await?;
    let mut list = PlanList::clone(&list);
    for plan in &mut list.plans {
        plan.waiting_flag = plan
            .ready_on
            .filter(|_| plan.move_out.is_none())
            .map(|ready| (when.today - ready).whole_days())
            .filter(|&days| days > i64::from(when.ready_days));
    }
    let touched = Touched {
        stays: access_log::stay_list(list.plans.iter().map(|p| p.stay)),
        ..Touched::default()
    };
    log_read(db, when, by, AuditAction::PlanList, touched).await?;
    Ok(list)
}

/// One plan, as `viewer` may see it: crisis center staff the whole plan, a caseworker their
/// unit's part (its own type and query, with the unit in the query). A caseworker whose unit has
/// no task in the plan gets `NotFound`, exactly as for a plan that does not exist.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn plan(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    viewer: Viewer,
    stay: StayId,
) -> Result<PlanView, ServerError> {
    let mut tx = db.begin_read().await?;
    let (view, home) = match viewer {
        Viewer::CrisisCenter => {
            let Some(mut plan) = repo::plan_facts(&mut tx, stay).await? else {
                let touched = Touched::object(ObjectKind::Stay, stay, None);
                return refuse_read(tx, db, when, by, AuditAction::PlanRead, touched).await;
            };
            plan.tasks = repo::plan_tasks(&mut tx, stay, None, when.today, when.soon_days).await?;
            plan.consent_history = repo::consent_history(&mut tx, stay).await?;
            plan.consents = repo::plan_units(&mut tx, stay, &plan.consent_history).await?;
            plan.corrections = repo::corrections(&mut tx, stay).await?;
            plan.exit_meeting = repo::exit_meeting(&mut tx, stay).await?;
            let (same, maybe) = repo::related_stays(&mut tx, stay).await?;
            plan.returning = same.iter().any(|o| o.arrival < plan.arrival);
            plan.other_stays = same;
            plan.possible_matches = maybe;
            plan.merges = residents::merges_into(&mut tx, stay).await?;
            for district in [Some(plan.home), plan.target].into_iter().flatten() {
                plan.services
                    .extend(repo::services_of(&mut tx, district).await?);
            }
            let home = plan.home;
            (PlanView::Whole(Box::new(plan)), home)
        }
        Viewer::Unit(unit) => {
            let tasks =
                repo::plan_tasks(&mut tx, stay, Some(unit), when.today, when.soon_days).await?;
            let Some(first) = tasks.first() else {
                let touched = Touched::object(ObjectKind::Stay, stay, Some(unit.district));
                return refuse_read(tx, db, when, by, AuditAction::PlanRead, touched).await;
            };
            if first.withheld {
                // No consent: the unit's tasks and nothing of the person, so the read is logged
                // without naming the stay as one whose data was shown.
                tx.commit().await?;
                let touched = Touched::object(ObjectKind::Stay, stay, Some(unit.district));
                log_read(db, when, by, AuditAction::PlanRead, touched).await?;
                return Ok(PlanView::Withheld(Box::new(WithheldPlan { stay, tasks })));
            }
            let Some(mut plan) = repo::unit_plan(&mut tx, stay, unit).await? else {
                let touched = Touched::object(ObjectKind::Stay, stay, Some(unit.district));
                return refuse_read(tx, db, when, by, AuditAction::PlanRead, touched).await;
            };
            plan.tasks = tasks;
            plan.exit_meeting = repo::unit_exit_meeting(&mut tx, stay).await?;
            let home = plan.home;
            (PlanView::Unit(Box::new(plan)), home)
        }
    };
    tx.commit().await?;
    log_read(
        db,
        when,
        by,
        AuditAction::PlanRead,
        stay_touched(stay, home).with_stays([stay]),
    )
    .await?;
    Ok(view)
}

/// Changes the facts staff edit on the plan page (target district and why, planned move-out, the
/// day the resident was ready to move out, secret-address flag, language and interpreter), then
/// brings the tasks in line.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn update_plan(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    update: &StayUpdate,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    refuse_after_move_out(&state)?;
    if update.target.is_some_and(|(d, _)| d == state.facts.home) {
        return Err(ServerError::Field("target"));
    }
    if update
        .planned_move_out
        .is_some_and(|d| !planned_date_fits(d, state.facts.arrival, when.today))
    {
        return Err(ServerError::Field("planned_move_out"));
    }
    // Ready is a fact of the past (or today), not before the arrival.
    if update
        .ready_on
        .is_some_and(|d| d < state.facts.arrival || d > when.today)
    {
        return Err(ServerError::Field("ready_on"));
    }
    if let Some((target, _)) = update.target
        && !crate::server::repo::directory::district_exists(&mut tx, target).await?
    {
        return Err(ServerError::Field("target"));
    }
    repo::update_stay(&mut tx, stay, update).await?;
    sync_tasks(&mut tx, stay, when).await?;
    finish_stay_change(
        tx,
        when,
        by,
        AuditAction::PlanUpdate,
        stay,
        state.facts.home,
    )
    .await
}

/// Adds a child to the stay (tasks that need children may appear).
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn add_child(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    birth_year: i32,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    repo::insert_child(&mut tx, stay, birth_year).await?;
    sync_tasks(&mut tx, stay, when).await?;
    finish_stay_change(
        tx,
        when,
        by,
        AuditAction::PlanAddChild,
        stay,
        state.facts.home,
    )
    .await
}

/// Records the report of concern to child welfare: when the need was registered and when the
/// report was sent. Sending it completes the crisis center's task and, under routines that count
/// from the sending, gives child welfare its review at once. The receipt is child welfare's to
/// record ([`record_receipt`](super::tasks::record_receipt)); `dates.received` is ignored and the
/// recorded one kept, and a sending date after it is refused.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn record_concern(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    dates: ConcernDates,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    let dates = ConcernDates {
        received: state.facts.report_received,
        ..dates
    };
    if dates.received.is_some() && dates.sent.is_none_or(|sent| Some(sent) > dates.received) {
        return Err(ServerError::Field("report_sent"));
    }
    check_concern_dates(&dates, state.facts.arrival, when.today)?;
    if !state.facts.children {
        return Err(ServerError::Field("concern_registered"));
    }
    repo::update_concern(&mut tx, stay, dates).await?;
    sync_tasks(&mut tx, stay, when).await?;
    if dates.sent.is_some() {
        close_by_fact(&mut tx, stay, Step::ConcernReport, when, by).await?;
    }
    finish_stay_change(
        tx,
        when,
        by,
        AuditAction::PlanConcern,
        stay,
        state.facts.home,
    )
    .await
}

/// Records the resident's answer for one unit the plan involves (given, refused, or withdrawn
/// while given): a row of its own, in the plan's consent history and the access log. From the
/// commit on, the unit sees the resident's personal data, or no longer does.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn record_consent(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    change: &ConsentChange,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    let history = repo::consent_history(&mut tx, stay).await?;
    let units = repo::plan_units(&mut tx, stay, &history).await?;
    let Some(unit) = units.iter().find(|u| u.unit == change.unit) else {
        return Err(ServerError::Field("consent_unit"));
    };
    if !may_follow(unit.current.as_ref().map(|c| c.answer), change.answer) {
        return Err(ServerError::Field("answer"));
    }
    repo::insert_consent(&mut tx, stay, change, when.at, by.user).await?;
    let touched = stay_touched(stay, state.facts.home).with_stays([stay]);
    access_log::append_ok(&mut tx, when.at, by, AuditAction::PlanConsent, touched).await?;
    tx.commit().await?;
    Ok(())
}

/// Corrects the person's name, birth year or gender: each changed value is a history row with
/// the value before and after and why, then the resident record holds the new value (for every
/// stay of the person). Nothing changed is refused as the field `correction`.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn correct_person(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    request: &CorrectionRequest,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    let (resident, facts) = repo::person_of(&mut tx, stay)
        .await?
        .ok_or(ServerError::NotFound)?;
    let changes = facts.changes(&request.facts);
    if changes.is_empty() {
        return Err(ServerError::Field("correction"));
    }
    for change in &changes {
        repo::insert_correction(
            &mut tx,
            resident,
            stay,
            change,
            &request.reason,
            when.at,
            by.user,
        )
        .await?;
    }
    repo::set_person(&mut tx, resident, &request.facts).await?;
    let touched = stay_touched(stay, state.facts.home).with_stays([stay]);
    access_log::append_ok(&mut tx, when.at, by, AuditAction::PlanCorrect, touched).await?;
    tx.commit().await?;
    Ok(())
}

/// The report's dates come in order, not before arrival and not after today.
fn check_concern_dates(
    dates: &ConcernDates,
    arrival: Date,
    today: Date,
) -> Result<(), ServerError> {
    let order = [
        ("concern_registered", dates.registered),
        ("report_sent", dates.sent),
        ("report_received", dates.received),
    ];
    let mut earliest = arrival;
    let mut known = true;
    for (field, date) in order {
        match date {
            Some(d) if !known || d < earliest || d > today => {
                return Err(ServerError::Field(field));
            }
            Some(d) => earliest = d,
            None => known = false,
        }
    }
    Ok(())
}

/// Registers the move-out: date, outcome and the main coordinating service after the stay.
/// Requires the exit meeting held, or a reason why not. A temporary outcome brings the
/// follow-up plan task; the move-out brings the follow-up contact.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn register_move_out(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    move_out: &MoveOut,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    if state.facts.move_out.is_some() {
        return Err(ServerError::Field("move_out"));
    }
    if move_out.on < state.facts.arrival || move_out.on > when.today {
        return Err(ServerError::Field("move_out"));
    }
    if move_out.no_exit_meeting_reason.is_none() && !repo::exit_meeting_held(&mut tx, stay).await? {
        return Err(ServerError::Field("no_exit_meeting_reason"));
    }
    let coordinator =
        crate::server::repo::directory::service_place(&mut tx, move_out.main_coordinator)
            .await?
            .ok_or(ServerError::Field("main_coordinator"))?;
    let districts = [Some(state.facts.home), state.facts.target];
    if !districts.contains(&Some(coordinator.district)) {
        return Err(ServerError::Field("main_coordinator"));
    }
    repo::set_move_out(&mut tx, stay, move_out).await?;
    sync_tasks(&mut tx, stay, when).await?;
    close_by_fact(&mut tx, stay, Step::MainCoordinator, when, by).await?;
    finish_stay_change(
        tx,
        when,
        by,
        AuditAction::PlanMoveOut,
        stay,
        state.facts.home,
    )
    .await
}

/// Links a stay to a stay that may be the same person, as the plan page offers it (the same case
/// reference, or the same name and birth year under another resident record): every stay of
/// this stay's record moves to the other's record, and the later stay is a returning
/// resident's. The merge is a history row that can be undone; the log row names both stays.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn link_stay(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    other: StayId,
) -> Result<(), ServerError> {
    if stay == other {
        return Err(ServerError::Field("other"));
    }
    let mut tx = db.begin_write().await?;
    let (_, offered) = repo::related_stays(&mut tx, stay).await?;
    if !offered.iter().any(|o| o.stay == other) {
        return Err(ServerError::Field("other"));
    }
    let state = begin_stay_change(&mut tx, stay, version).await?;
    residents::merge(&mut tx, stay, other, when.at, by.user)
        .await?
        .ok_or(ServerError::Field("other"))?;
    let touched = stay_touched(stay, state.facts.home).with_stays([stay, other]);
    access_log::append_ok(&mut tx, when.at, by, AuditAction::PlanLink, touched).await?;
    tx.commit().await?;
    Ok(())
}

/// Undoes a link in force on this stay's resident record: the stays it moved go back to the
/// record they came from. The log row names every stay that moved back.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn unlink_stay(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    merge: i64,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    let moved = residents::undo_merge(&mut tx, stay, merge, when.at, by.user)
        .await?
        .ok_or(ServerError::Field("merge"))?;
    let touched =
        stay_touched(stay, state.facts.home).with_stays(std::iter::once(stay).chain(moved));
    access_log::append_ok(&mut tx, when.at, by, AuditAction::PlanUnlink, touched).await?;
    tx.commit().await?;
    Ok(())
}

/// The deadline scan: overdue, due-soon and open counts per district and service on `today`
/// (one district's, or all). No personal data.
pub async fn deadline_counts(
    db: &Db,
    today: Date,
    soon_days: u16,
    district: Option<DistrictId>,
) -> Result<Vec<DeadlineCount>, ServerError> {
    let mut conn = db.acquire().await?;
    repo::deadline_counts(
        &mut conn,
        district,
        today,
        repo::soon_until(today, soon_days),
    )
    .await
}

/// How many residents moving to `district` have waited for housing, ready to move out, for more
/// than `days` on `today` (the district board's flag; a count, no personal data).
pub async fn waiting_for_housing(
    db: &Db,
    district: DistrictId,
    today: Date,
    days: u16,
) -> Result<i64, ServerError> {
    let since = today - time::Duration::days(i64::from(days));
    repo::waiting_since(&mut *db.acquire().await?, district, since).await
}

/// The home district of a stay (for parsing a target district against it). `NotFound` when the
/// stay does not exist.
pub async fn home_district(db: &Db, stay: StayId) -> Result<DistrictId, ServerError> {
    let mut conn = db.acquire().await?;
    Ok(repo::stay_state(&mut conn, stay)
        .await?
        .ok_or(ServerError::NotFound)?
        .facts
        .home)
}
