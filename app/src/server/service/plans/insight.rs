//! The resident's insight (GDPR art. 15): everything about one person, for crisis center staff.

use super::*;
use crate::domain::insight::{Insight, InsightStay, TaskHistory};
use crate::server::repo::insight as log_repo;

/// Everything the portal holds about the person of `stay` (every stay of their resident record):
/// each plan with its tasks, their history, the consent answers, and every read and change of
/// their data. Producing it is itself an access-log row (after the rows it lists).
#[tracing::instrument(skip_all, fields(stay = %stay))]
pub async fn insight(
    db: &Db,
    when: When,
    by: &ActorSnapshot,
    stay: StayId,
) -> Result<Insight, ServerError> {
    let mut tx = db.begin_read().await?;
    let stays = log_repo::person_stays(&mut tx, stay).await?;
    if stays.is_empty() {
        let touched = Touched::object(ObjectKind::Stay, stay, None);
        return refuse_read(tx, db, when, by, AuditAction::PlanInsight, touched).await;
    }
    let mut shown = Vec::with_capacity(stays.len());
    let mut home = None;
    for &id in &stays {
        let mut plan = repo::plan_facts(&mut tx, id)
            .await?
            .ok_or(ServerError::NotFound)?;
        plan.tasks = repo::plan_tasks(&mut tx, id, None, when.today, when.soon_days).await?;
        plan.exit_meeting = repo::exit_meeting(&mut tx, id).await?;
        plan.consent_history = repo::consent_history(&mut tx, id).await?;
        plan.consents = repo::plan_units(&mut tx, id, &plan.consent_history).await?;
        plan.corrections = repo::corrections(&mut tx, id).await?;
        let histories = repo::stay_task_histories(&mut tx, id)
            .await?
            .into_iter()
            .map(|(task, events)| TaskHistory { task, events })
            .collect();
        if id == stay {
            home = Some(plan.home);
        }
        shown.push(InsightStay { plan, histories });
    }
    let log = log_repo::person_log(&mut tx, &stays).await?;
    tx.commit().await?;
    let touched = stay_touched(stay, home.ok_or(ServerError::NotFound)?).with_stays(stays);
    log_read(db, when, by, AuditAction::PlanInsight, touched).await?;
    Ok(Insight {
        asked: stay,
        produced_at: access_log::timestamp(when.at),
        produced_by: by.name.clone(),
        stays: shown,
        log,
    })
}
