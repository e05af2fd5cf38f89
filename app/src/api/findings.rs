//! Audit findings and their closure plans: a district's findings (those who read its internal
//! control), recording and closing a finding (reviewers and administrators), adding a closure
//! step (the district's management and administrators), marking a step done or open again (the
//! step's unit, the district's management, administrators), and a unit's open steps for its
//! inbox. No personal data.

// A server function's arguments are its form's fields.
#![allow(clippy::too_many_arguments)]

use crate::domain::AppError;
use crate::domain::finding::{DistrictFindings, OpenFindings, UnitSteps};
use leptos::prelude::*;

pub const DISTRICT_FINDINGS: &str = "district_findings";
pub const RECORD_FINDING: &str = "finding_record";
pub const ADD_FINDING_STEP: &str = "finding_step_add";
pub const SET_FINDING_STEP: &str = "finding_step_set";
pub const CLOSE_FINDING: &str = "finding_close";
pub const UNIT_FINDING_STEPS: &str = "unit_finding_steps";
pub const OPEN_FINDINGS: &str = "open_findings";

/// The district page of a slug as posted (its own characters only).
#[cfg(feature = "ssr")]
fn findings_page(slug: &str) -> String {
    let slug =
        crate::domain::DistrictSlug::parse(slug).map_or(String::new(), |s| s.as_str().to_owned());
    crate::api::internal_control::district_control_page(&slug)
}

/// A district's findings with their steps and history.
#[server(prefix = "/api", endpoint = "district_findings")]
pub async fn read_district_findings(slug: String) -> Result<DistrictFindings, AppError> {
    use crate::api::guard::{signed_in, with_status};
    use crate::domain::finding::may_complete;
    use crate::domain::{Action, ServiceKind, Target, Unit, permits};
    use crate::server::service::{findings as service, internal_control};
    with_status(
        async {
            let call = signed_in()?;
            let (id, _) = internal_control::find_district(&call.state.db, &slug)
                .await?
                .ok_or_else(AppError::not_found)?;
            call.check(Action::ReadInternalControl, Target::District(id))?;
            let actor = Some(&call.user.actor);
            let plan = permits(actor, Action::EditInternalControl, Target::District(id));
            let complete = ServiceKind::STANDARD
                .into_iter()
                .filter(|&service| {
                    may_complete(
                        actor,
                        Unit {
                            district: id,
                            service,
                        },
                    )
                })
                .collect();
            let rights = service::Rights {
                record: permits(actor, Action::RecordFindings, Target::District(id)),
                plan,
                complete,
            };
            let today = call.state.clock.oslo_today();
            Ok(service::district(&call.state.db, id, today, rights).await?)
        }
        .await,
    )
}

/// Records a finding for a district: its date (not in the future), legal basis and text.
#[server(prefix = "/api", endpoint = "finding_record")]
pub async fn record_finding(
    district: i64,
    slug: String,
    #[server(default)] found_on: String,
    #[server(default)] legal_basis: String,
    #[server(default)] finding_text: String,
) -> Result<i64, AppError> {
    use crate::api::guard::{authorize, finish_form};
    use crate::domain::finding::NewFinding;
    use crate::domain::{Action, DistrictId, Target};
    let page = findings_page(&slug);
    let result = async {
        let call = authorize(
            Action::RecordFindings,
            Target::District(DistrictId(district)),
        )?;
        let today = call.state.clock.oslo_today();
        let finding = NewFinding::parse(&found_on, &legal_basis, &finding_text, today)
            .map_err(AppError::invalid)?;
        let id = crate::server::service::findings::record(
            &call.state.db,
            call.now(),
            &call.actor(),
            DistrictId(district),
            finding,
        )
        .await?;
        Ok(id.0)
    }
    .await;
    finish_form(result, &page, |_| format!("{page}?ok=funn"))
}

/// Adds a step to an open finding's closure plan: the owning service of the finding's
/// district, what is to be done, and the deadline.
#[server(prefix = "/api", endpoint = "finding_step_add")]
pub async fn add_finding_step(
    finding: i64,
    slug: String,
    #[server(default)] owner: String,
    #[server(default)] step_text: String,
    #[server(default)] due_on: String,
) -> Result<i64, AppError> {
    use crate::api::guard::{finish_form, signed_in};
    use crate::domain::finding::{FindingId, NewStep};
    use crate::domain::{Action, Target};
    use crate::server::service::findings as service;
    let page = findings_page(&slug);
    let result = async {
        let call = signed_in()?;
        let (district, _, _) = service::finding(&call.state.db, FindingId(finding)).await?;
        call.check(Action::EditInternalControl, Target::District(district))?;
        let today = call.state.clock.oslo_today();
        let step = NewStep::parse(&owner, &step_text, &due_on, today).map_err(AppError::invalid)?;
        let id = service::add_step(
            &call.state.db,
            call.now(),
            &call.actor(),
            FindingId(finding),
            step,
        )
        .await?;
        Ok(id.0)
    }
    .await;
    finish_form(result, &page, |_| format!("{page}?ok=tiltak"))
}

/// Marks a closure step done today (`done` = "1") or open again: the step's unit, the
/// district's management and administrators. `from` = "innboks" goes back to the inbox.
#[server(prefix = "/api", endpoint = "finding_step_set")]
pub async fn set_finding_step(
    step: i64,
    version: i64,
    #[server(default)] done: String,
    #[server(default)] slug: String,
    #[server(default)] from: String,
) -> Result<(), AppError> {
    use crate::api::guard::{finish_form, signed_in};
    use crate::domain::finding::StepId;
    use crate::server::service::findings as service;
    let page = if from == "innboks" {
        crate::routes::TASKS.to_owned()
    } else {
        findings_page(&slug)
    };
    let result = async {
        let call = signed_in()?;
        let (_, unit) = service::step(&call.state.db, StepId(step)).await?;
        if !crate::domain::finding::may_complete(Some(&call.user.actor), unit) {
            return Err(AppError::forbidden());
        }
        let done = match done.as_str() {
            "1" => true,
            "0" => false,
            _ => return Err(AppError::invalid("done")),
        };
        service::set_step(
            &call.state.db,
            call.now(),
            call.state.clock.oslo_today(),
            &call.actor(),
            StepId(step),
            version,
            done,
        )
        .await?;
        Ok(())
    }
    .await;
    finish_form(result, &page, |_| format!("{page}?ok=tiltak_status"))
}

/// Closes a finding: the date (from the finding's date to today) and a note.
#[server(prefix = "/api", endpoint = "finding_close")]
pub async fn close_finding(
    finding: i64,
    version: i64,
    slug: String,
    #[server(default)] closed_on: String,
    #[server(default)] closing_note: String,
) -> Result<(), AppError> {
    use crate::api::guard::{finish_form, signed_in};
    use crate::domain::finding::{Closing, FindingId};
    use crate::domain::{Action, Target};
    use crate::server::service::findings as service;
    let page = findings_page(&slug);
    let result = async {
        let call = signed_in()?;
        let (district, _, _) = service::finding(&call.state.db, FindingId(finding)).await?;
        call.check(Action::RecordFindings, Target::District(district))?;
        let today = call.state.clock.oslo_today();
        service::close(
            &call.state.db,
            call.now(),
            &call.actor(),
            FindingId(finding),
            version,
            |found_on| Closing::parse(&closed_on, &closing_note, found_on, today),
        )
        .await?;
        Ok(())
    }
    .await;
    finish_form(result, &page, |_| format!("{page}?ok=funn_lukket"))
}

/// The open closure steps of the caller's unit (none for those without one).
#[server(prefix = "/api", endpoint = "unit_finding_steps")]
pub async fn read_unit_finding_steps() -> Result<UnitSteps, AppError> {
    use crate::api::guard::{signed_in, with_status};
    with_status(
        async {
            let call = signed_in()?;
            let today = call.state.clock.oslo_today();
            let steps = match call.user.actor.unit {
                Some(unit) => {
                    crate::server::service::findings::unit_steps(&call.state.db, unit).await?
                }
                None => Vec::new(),
            };
            Ok(UnitSteps { steps, today })
        }
        .await,
    )
}

/// Every district's open findings with their closure plans (those who read every district's
/// internal control: reviewers and administrators).
#[server(prefix = "/api", endpoint = "open_findings")]
pub async fn read_open_findings() -> Result<OpenFindings, AppError> {
    use crate::api::guard::{authorize, with_status};
    use crate::domain::{Action, Target};
    with_status(
        async {
            let call = authorize(Action::ReadInternalControl, Target::Global)?;
            let today = call.state.clock.oslo_today();
            Ok(crate::server::service::findings::open_findings(&call.state.db, today).await?)
        }
        .await,
    )
}
