//! Routines: the one in force (every signed-in user may read the deadline rules) and publishing
//! a new version (administrators).

use crate::domain::AppError;
use crate::domain::routine::RoutineView;
use leptos::prelude::*;
use std::collections::HashMap;

pub const GET_ROUTINE: &str = "routine";
pub const PUBLISH_ROUTINE: &str = "routine_publish";
pub const ROUTINES_PAGE: &str = "/admin/rutiner";

/// The routine in force, and the list of versions.
#[server(prefix = "/api", endpoint = "routine")]
pub async fn get_routine() -> Result<RoutineView, AppError> {
    use crate::api::guard::{authorize, with_status};
    use crate::domain::{Action, Target};
    with_status(
        async {
            let call = authorize(Action::ReadDirectory, Target::Global)?;
            Ok(crate::server::service::routines::routine(&call.state.db).await?)
        }
        .await,
    )
}

/// Publishes a new version with the given offsets (`offset[<rule id>]=14`,
/// `unit[<rule id>]=days|months`), edited from version `based_on`. With `bindings=1` (the
/// form's, which lists every rule) the binding steps are those named `binding[<rule id>]=1`
/// (a box not ticked sends nothing); without it, every rule keeps its flag.
#[server(prefix = "/api", endpoint = "routine_publish")]
pub async fn publish_routine(
    based_on: i64,
    #[server(default)] offset: HashMap<String, String>,
    #[server(default)] unit: HashMap<String, String>,
    #[server(default)] bindings: String,
    #[server(default)] binding: HashMap<String, String>,
    #[server(default)] note: String,
) -> Result<i64, AppError> {
    use crate::api::guard::{authorize, finish_form};

    use crate::domain::plan::{RuleId, optional_lines};
    use crate::domain::routine::parse_offset;
    use crate::domain::{Action, Target};
    let result = async {
        let call = authorize(Action::ManageRoutines, Target::Global)?;
        let offsets = offset
            .iter()
            .map(|(id, amount)| {
                let rule = id
                    .parse()
                    .map(RuleId)
                    .map_err(|_| AppError::invalid("offset"))?;
                let unit = unit.get(id).map_or("days", String::as_str);
                Ok((rule, parse_offset(amount, unit).map_err(AppError::invalid)?))
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let binding = if bindings == "1" {
            let ids = binding
                .keys()
                .map(|id| {
                    id.parse()
                        .map(RuleId)
                        .map_err(|_| AppError::invalid("binding"))
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            Some(ids)
        } else {
            None
        };
        let note = optional_lines(&note, crate::domain::limits::NOTE, "note")
            .map_err(AppError::invalid)?;
        let by = call.actor();
        let at = call.now();
        Ok(crate::server::service::routines::publish(
            &call.state.db,
            at,
            &by,
            based_on,
            &offsets,
            binding.as_deref(),
            note.as_deref(),
        )
        .await?)
    }
    .await;
    finish_form(result, ROUTINES_PAGE, |_| {
        format!("{ROUTINES_PAGE}?ok=publisert")
    })
}
