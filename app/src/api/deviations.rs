//! Deviations (avvik): the list (everyone who works with plans, and reviewers without free
//! text), one deviation with its history (its district and the crisis center), opening one by
//! hand from a task, and handling, closing and reopening it.

use crate::domain::AppError;
use crate::domain::deviation::{DeviationCase, DeviationList};
use leptos::prelude::*;

pub const LIST_DEVIATIONS: &str = "deviations";
pub const GET_DEVIATION: &str = "deviation";
pub const OPEN_DEVIATION: &str = "deviation_open";
pub const UPDATE_DEVIATION: &str = "deviation_update";

/// The list of deviations.
pub const DEVIATIONS_PAGE: &str = "/avvik";

/// One deviation's page.
pub fn deviation_page(id: i64) -> String {
    format!("{DEVIATIONS_PAGE}/{id}")
}

/// Who the caller reads deviations as ([`Reader::of`]); refused when they may not.
#[cfg(feature = "ssr")]
fn reader_of(
    call: &crate::api::guard::Call,
) -> Result<crate::server::service::deviations::Reader, AppError> {
    crate::server::service::deviations::Reader::of(&call.user.actor).ok_or_else(AppError::forbidden)
}

/// The deviations the caller may see, newest first; `status` is `open`, `closed` or empty (both).
#[server(prefix = "/api", endpoint = "deviations")]
pub async fn list_deviations(#[server(default)] status: String) -> Result<DeviationList, AppError> {
    use crate::api::guard::{signed_in, with_status};
    use crate::domain::deviation::DeviationStatus;
    with_status(
        async {
            let call = signed_in()?;
            let reader = reader_of(&call)?;
            let status = match status.trim() {
                "" => None,
                s => Some(DeviationStatus::parse(s).ok_or(AppError::invalid("status"))?),
            };
            let today = call.state.clock.oslo_today();
            Ok(
                crate::server::service::deviations::list(&call.state.db, today, reader, status)
                    .await?,
            )
        }
        .await,
    )
}

/// One deviation with its free text and history, for its district and the crisis center.
#[server(prefix = "/api", endpoint = "deviation")]
pub async fn get_deviation(id: i64) -> Result<DeviationCase, AppError> {
    use crate::api::guard::{signed_in, with_status};
    use crate::domain::deviation::DeviationId;
    with_status(
        async {
            let call = signed_in()?;
            let reader = reader_of(&call)?;
            if reader == crate::server::service::deviations::Reader::Reviewer {
                return Err(AppError::forbidden());
            }
            let by = call.actor();
            Ok(crate::server::service::deviations::case(
                &call.state.db,
                call.when(),
                &by,
                reader,
                DeviationId(id),
            )
            .await?)
        }
        .await,
    )
}

/// Opens a deviation by hand on a task the caller reaches, with what happened (`note`): from
/// the task's page, or from its plan's (`plan`: the stay, where a refusal goes back to; the task
/// then chosen in a select that starts empty).
#[server(prefix = "/api", endpoint = "deviation_open")]
pub async fn open_deviation(
    #[server(default)] task: String,
    #[server(default)] note: String,
    #[server(default)] plan: Option<i64>,
) -> Result<i64, AppError> {
    use crate::api::guard::{finish_form, signed_in};
    use crate::domain::plan::{TaskId, required_lines};
    use crate::domain::{Action, Role, Target};
    let chosen = task.trim().parse::<i64>().ok();
    let back = match (plan, chosen) {
        (Some(stay), _) => crate::routes::plan(stay),
        (None, Some(task)) => crate::routes::task(task),
        (None, None) => crate::routes::TASKS.to_owned(),
    };
    let result = async {
        let task = chosen.ok_or(AppError::invalid("task"))?;
        let call = signed_in()?;
        let actor = &call.user.actor;
        let unit = match (actor.role, actor.unit) {
            (Role::CrisisCenter, _) => {
                call.check(Action::WorkDeviations, Target::Global)?;
                None
            }
            (Role::Caseworker, Some(unit)) => {
                call.check(Action::WorkDeviations, Target::District(unit.district))?;
                Some(unit)
            }
            _ => return Err(AppError::forbidden()),
        };
        let note = required_lines(
            &note,
            crate::domain::deviation::NOTE_LIMIT,
            "deviation_note",
        )
        .map_err(AppError::invalid)?;
        let by = call.actor();
        let id = crate::server::service::deviations::open_by_hand(
            &call.state.db,
            call.when(),
            &by,
            unit,
            TaskId(task),
            &note,
        )
        .await?;
        Ok(id.0)
    }
    .await;
    finish_form(result, &back, |id| {
        format!("{}?ok=avvik_opprettet", deviation_page(*id))
    })
}

/// Handles (`change=handle`: saves cause, measure and note), closes (`close`: a cause and a
/// measure are required) or reopens (`reopen`, with the reason in `note`) a deviation;
/// `version` is the version the form was read at.
#[server(prefix = "/api", endpoint = "deviation_update")]
pub async fn update_deviation(
    id: i64,
    version: i64,
    change: String,
    #[server(default)] cause: String,
    #[server(default)] measure: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use crate::api::guard::{finish_form, signed_in};
    use crate::domain::deviation::{
        DeviationCause, DeviationChange, DeviationId, DeviationMeasure, NOTE_LIMIT,
    };
    use crate::domain::plan::optional_lines;
    use crate::server::service::deviations::{ChangeRequest, Reader};
    let back = deviation_page(id);
    let result = async {
        let call = signed_in()?;
        let reader = reader_of(&call)?;
        if reader == Reader::Reviewer {
            return Err(AppError::forbidden());
        }
        let change = DeviationChange::parse(&change).ok_or(AppError::invalid("change"))?;
        let cause = match cause.trim() {
            "" => None,
            c => Some(DeviationCause::parse(c).ok_or(AppError::invalid("cause"))?),
        };
        let measure = match measure.trim() {
            "" => None,
            m => Some(DeviationMeasure::parse(m).ok_or(AppError::invalid("measure"))?),
        };
        let note =
            optional_lines(&note, NOTE_LIMIT, "deviation_note").map_err(AppError::invalid)?;
        let by = call.actor();
        let ask = ChangeRequest {
            id: DeviationId(id),
            version,
            change,
            cause,
            measure,
            note: note.as_deref(),
        };
        Ok(crate::server::service::deviations::change(
            &call.state.db,
            call.when(),
            &by,
            reader,
            &ask,
        )
        .await?)
    }
    .await;
    let done = format!("{back}?ok=avvik");
    finish_form(result, &back, |_| done)
}
