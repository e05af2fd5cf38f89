//! The exit meeting before move-out: planning it and recording who came.

use super::*;
use crate::domain::{ActorSnapshot, AuditAction};

/// The exit meeting as staff plan it: when (Oslo local time), and which kinds of service are
/// invited: those services of the home district and, when it differs, of the target district.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn plan_exit_meeting(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    starts_at: &str,
    kinds: &[ServiceKind],
) -> Result<(), ServerError> {
    if kinds.is_empty() {
        return Err(ServerError::Field("invited"));
    }
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    refuse_after_move_out(&state)?;
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let local = time::PrimitiveDateTime::parse(starts_at, &format)
        .map_err(|_| ServerError::Field("starts_at"))?;
    if !planned_date_fits(local.date(), state.facts.arrival, when.today) {
        return Err(ServerError::Field("starts_at"));
    }
    // The hour skipped when summer time begins is no time at all in Oslo. (The hour repeated in
    // October is taken as the earlier one, and the page says so.)
    if crate::server::clock::oslo_local_time(local) == crate::server::clock::OsloLocalTime::Skipped
    {
        return Err(ServerError::Field("starts_at"));
    }
    let mut invited = Vec::new();
    for district in [Some(state.facts.home), state.facts.target]
        .into_iter()
        .flatten()
    {
        for (service, kind) in repo::standard_services(&mut tx, district).await? {
            if kinds.contains(&kind) {
                invited.push(service);
            }
        }
    }
    repo::save_exit_meeting(&mut tx, stay, starts_at, &invited).await?;
    crate::server::repo::outbox::queue_invitations(&mut tx, when.at, stay).await?;
    finish_stay_change(
        tx,
        when,
        by,
        AuditAction::ExitMeetingPlan,
        stay,
        state.facts.home,
    )
    .await
}

/// Records the exit meeting as held: each invited service's attendance and a short summary.
/// Completes the crisis center's exit-meeting task.
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn record_exit_meeting(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
    version: i64,
    attendance: &[(ServiceId, crate::domain::plan::Attendance)],
    summary: Option<&str>,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let state = begin_stay_change(&mut tx, stay, version).await?;
    refuse_after_move_out(&state)?;
    let meeting = repo::exit_meeting(&mut tx, stay)
        .await?
        .ok_or(ServerError::Field("starts_at"))?;
    // A meeting is held once its time has come, not before.
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let starts = time::PrimitiveDateTime::parse(&meeting.starts_at, &format)
        .ok()
        .and_then(crate::server::clock::oslo_instant);
    if starts.is_none_or(|starts| starts > when.at) {
        return Err(ServerError::Field("meeting_held"));
    }
    for invited in &meeting.services {
        let answer = attendance
            .iter()
            .find(|(s, _)| *s == invited.service)
            .map(|(_, a)| *a)
            .filter(|a| *a != crate::domain::plan::Attendance::Invited)
            .ok_or(ServerError::Field("attendance"))?;
        repo::set_attendance(&mut tx, stay, invited.service, answer).await?;
    }
    repo::mark_exit_meeting_held(&mut tx, stay, summary).await?;
    close_by_fact(&mut tx, stay, Step::ExitMeeting, when, by).await?;
    finish_stay_change(
        tx,
        when,
        by,
        AuditAction::ExitMeetingRecord,
        stay,
        state.facts.home,
    )
    .await
}
