//! Re-establishment plans: the crisis center's list and intake, the plan page, and the facts
//! staff record along the way. Crisis center staff run plans (`ManagePlans`); a caseworker reads
//! a plan their unit has a task in, and of it only what their tasks need. A plan outside the
//! caller's reach answers exactly like one that does not exist.

// A server function takes one argument per form field; the client side that `#[server]`
// generates has the same arity, so the allowance is for the module.
#![allow(clippy::too_many_arguments)]

use crate::domain::AppError;
use crate::domain::plan::{PlanList, PlanView, StayId};
use leptos::prelude::*;
use std::collections::HashMap;

pub const LIST_PLANS: &str = "plans";
pub const GET_PLAN: &str = "plan";
pub const CREATE_PLAN: &str = "plan_create";
pub const INTAKE_DUPLICATES: &str = "plan_duplicates";
pub const UPDATE_PLAN: &str = "plan_update";
pub const ADD_CHILD: &str = "plan_add_child";
pub const RECORD_CONCERN: &str = "plan_concern";
pub const RECORD_CONSENT: &str = "plan_consent";
pub const PLAN_INSIGHT: &str = "plan_insight";
pub const CORRECT_PERSON: &str = "plan_correct";
pub const PLAN_EXIT_MEETING: &str = "plan_exit_meeting";
pub const RECORD_EXIT_MEETING: &str = "plan_exit_meeting_record";
pub const MOVE_OUT: &str = "plan_move_out";
pub const LINK_STAY: &str = "plan_link";
pub const UNLINK_STAY: &str = "plan_unlink";

/// The plan page, where every plan form returns.
pub fn plan_page(stay: i64) -> String {
    crate::routes::plan(stay)
}

#[cfg(feature = "ssr")]
mod support {
    use crate::api::guard::{Call, authorize};
    use crate::domain::ActorSnapshot;
    use crate::domain::{Action, AppError, Target};

    /// Crisis center staff, else `E-UNAUTHORIZED` / `E-FORBIDDEN`.
    pub fn staff() -> Result<(Call, ActorSnapshot), AppError> {
        let call = authorize(Action::ManagePlans, Target::Global)?;
        let by = call.actor();
        Ok((call, by))
    }
}

/// The crisis center's plans, the most urgent first (at most `PLAN_LIST_LIMIT`), and the total.
#[server(prefix = "/api", endpoint = "plans")]
pub async fn list_plans() -> Result<PlanList, AppError> {
    use crate::api::guard::with_status;
    with_status(
        async {
            let (call, by) = support::staff()?;
            Ok(crate::server::service::plans::plans(&call.state.db, call.when(), &by).await?)
        }
        .await,
    )
}

/// One plan: whole for crisis center staff, a caseworker's part for a caseworker whose unit has
/// a task in it.
#[server(prefix = "/api", endpoint = "plan")]
pub async fn get_plan(stay: i64) -> Result<PlanView, AppError> {
    use crate::api::guard::{signed_in, with_status};

    use crate::domain::{Action, Role, Target};
    use crate::server::service::plans::{self, Viewer};
    with_status(
        async {
            let call = signed_in()?;
            let viewer = match (call.user.actor.role, call.user.actor.unit) {
                (Role::CrisisCenter, _) => {
                    call.check(Action::ManagePlans, Target::Global)?;
                    Viewer::CrisisCenter
                }
                (Role::Caseworker, Some(unit)) => {
                    call.check(Action::WorkTasks, Target::Unit(unit))?;
                    Viewer::Unit(unit)
                }
                _ => return Err(AppError::forbidden()),
            };
            let by = call.actor();
            Ok(plans::plan(&call.state.db, call.when(), &by, viewer, StayId(stay)).await?)
        }
        .await,
    )
}

/// Everything the portal holds about the person of a stay (the resident's insight, GDPR
/// art. 15): crisis center staff only; producing it is logged.
#[server(prefix = "/api", endpoint = "plan_insight")]
pub async fn plan_insight(stay: i64) -> Result<crate::domain::insight::Insight, AppError> {
    use crate::api::guard::with_status;
    with_status(
        async {
            let (call, by) = support::staff()?;
            Ok(crate::server::service::plans::insight(
                &call.state.db,
                call.when(),
                &by,
                StayId(stay),
            )
            .await?)
        }
        .await,
    )
}

/// Registers a new resident's stay and creates the plan. (One argument per form field.)
#[server(prefix = "/api", endpoint = "plan_create")]
pub async fn create_plan(
    name: String,
    birth_year: String,
    gender: String,
    #[server(default)] case_reference: String,
    arrival: String,
    referral: String,
    home: String,
    #[server(default)] target: String,
    #[server(default)] target_reason: String,
    #[server(default)] children_years: String,
    #[server(default)] secret_address: Option<String>,
    #[server(default)] language: String,
    #[server(default)] interpreter: Option<String>,
    #[server(default)] duplicate_reason: String,
    #[server(default)] consent_nav: String,
    #[server(default)] consent_nav_how: String,
    #[server(default)] consent_child_welfare: String,
    #[server(default)] consent_child_welfare_how: String,
    #[server(default)] consent_violence_coordinator: String,
    #[server(default)] consent_violence_coordinator_how: String,
) -> Result<StayId, AppError> {
    use crate::api::guard::finish_form;
    use crate::domain::plan::IntakeForm;
    let result = async {
        let (call, by) = support::staff()?;
        let when = call.when();
        let form = IntakeForm {
            name,
            birth_year,
            gender,
            case_reference,
            arrival,
            referral,
            home,
            target,
            target_reason,
            children: children_years,
            secret_address: secret_address.is_some(),
            language,
            interpreter: interpreter.is_some(),
            duplicate_reason,
            consents: [
                (consent_nav, consent_nav_how),
                (consent_child_welfare, consent_child_welfare_how),
                (
                    consent_violence_coordinator,
                    consent_violence_coordinator_how,
                ),
            ],
        };
        let intake = form.parse(when.today).map_err(AppError::invalid)?;
        Ok(crate::server::service::plans::create_plan(&call.state.db, when, &by, &intake).await?)
    }
    .await;
    finish_form(result, "/planer/ny", |stay| {
        format!("{}?ok=opprettet", plan_page(stay.0))
    })
}

/// The open stays of a person with this name (in any case) and birth year: what the intake
/// shows when it refused a likely duplicate, to open the stay that is already there. Crisis center
/// staff only; names the stays it shows in the access log.
#[server(prefix = "/api", endpoint = "plan_duplicates")]
pub async fn intake_duplicates(
    name: String,
    birth_year: String,
) -> Result<Vec<crate::domain::plan::OpenStay>, AppError> {
    use crate::api::guard::with_status;
    use crate::domain::plan::{parse_birth_year, required_text};
    with_status(
        async {
            let (call, by) = support::staff()?;
            let when = call.when();
            let name = required_text(&name, crate::domain::limits::NAME, "name")
                .map_err(AppError::invalid)?;
            let birth_year = parse_birth_year(&birth_year, when.today.year(), "birth_year")
                .map_err(AppError::invalid)?;
            Ok(crate::server::service::plans::open_stays_like(
                &call.state.db,
                when,
                &by,
                &name,
                birth_year,
            )
            .await?)
        }
        .await,
    )
}

/// Changes the plan's facts: target district and why, planned move-out, the day the resident was
/// ready to move out, the secret-address flag, language and interpreter. (One argument per form
/// field.)
#[server(prefix = "/api", endpoint = "plan_update")]
pub async fn update_plan(
    stay: i64,
    version: i64,
    #[server(default)] target: String,
    #[server(default)] target_reason: String,
    #[server(default)] planned_move_out: String,
    #[server(default)] ready_on: String,
    #[server(default)] secret_address: Option<String>,
    #[server(default)] language: String,
    #[server(default)] interpreter: Option<String>,
    #[server(default)] expected_outcome: String,
) -> Result<(), AppError> {
    use crate::api::guard::finish_form;
    use crate::domain::plan::{optional_text, parse_optional_date, parse_target};
    use crate::server::repo::plans::StayUpdate;
    let back = plan_page(stay);
    let result = async {
        let (call, by) = support::staff()?;
        let pool = &call.state.db;
        let home = crate::server::service::plans::home_district(pool, StayId(stay)).await?;
        let update = StayUpdate {
            target: parse_target(home, &target, &target_reason).map_err(AppError::invalid)?,
            planned_move_out: parse_optional_date(&planned_move_out, "planned_move_out")
                .map_err(AppError::invalid)?,
            ready_on: parse_optional_date(&ready_on, "ready_on").map_err(AppError::invalid)?,
            secret_address: secret_address.is_some(),
            language: optional_text(&language, crate::domain::limits::LANGUAGE, "language")
                .map_err(AppError::invalid)?,
            interpreter: interpreter.is_some(),
            expected_outcome: crate::domain::plan::parse_optional_outcome(
                &expected_outcome,
                "expected_outcome",
            )
            .map_err(AppError::invalid)?,
        };
        let when = call.when();
        Ok(crate::server::service::plans::update_plan(
            pool,
            when,
            &by,
            StayId(stay),
            version,
            &update,
        )
        .await?)
    }
    .await;
    let done = format!("{back}?ok=plan");
    finish_form(result, &back, |_| done)
}

/// Adds a child (birth year) to the stay.
#[server(prefix = "/api", endpoint = "plan_add_child")]
pub async fn add_child(stay: i64, version: i64, birth_year: String) -> Result<(), AppError> {
    use crate::api::guard::finish_form;
    let back = plan_page(stay);
    let result = async {
        let (call, by) = support::staff()?;
        let when = call.when();
        let year = match crate::domain::plan::parse_children(&birth_year, when.today.year())
            .map_err(|_| AppError::invalid("birth_year"))?[..]
        {
            [year] => year,
            _ => return Err(AppError::invalid("birth_year")),
        };
        let pool = &call.state.db;
        Ok(
            crate::server::service::plans::add_child(pool, when, &by, StayId(stay), version, year)
                .await?,
        )
    }
    .await;
    let done = format!("{back}?ok=barn");
    finish_form(result, &back, |_| done)
}

/// Records the report of concern to child welfare: when the need was registered and when the
/// report was sent (child welfare records its receipt itself, on its task).
#[server(prefix = "/api", endpoint = "plan_concern")]
pub async fn record_concern(
    stay: i64,
    version: i64,
    concern_registered: String,
    #[server(default)] report_sent: String,
) -> Result<(), AppError> {
    use crate::api::guard::finish_form;
    use crate::domain::plan::parse_optional_date;
    use crate::server::repo::plans::ConcernDates;
    let back = plan_page(stay);
    let result = async {
        let (call, by) = support::staff()?;
        let dates = ConcernDates {
            registered: Some(
                crate::domain::plan::parse_date(&concern_registered, "concern_registered")
                    .map_err(AppError::invalid)?,
            ),
            sent: parse_optional_date(&report_sent, "report_sent").map_err(AppError::invalid)?,
            received: None,
        };
        let (pool, when) = (&call.state.db, call.when());
        Ok(crate::server::service::plans::record_concern(
            pool,
            when,
            &by,
            StayId(stay),
            version,
            dates,
        )
        .await?)
    }
    .await;
    let done = format!("{back}?ok=bekymring");
    finish_form(result, &back, |_| done)
}

/// Records the resident's consent answer for one unit of the plan (`consent_unit`: `<district id>:<kind>`):
/// given, refused or withdrawn, how, and on which day.
#[server(prefix = "/api", endpoint = "plan_consent")]
pub async fn record_consent(
    stay: i64,
    version: i64,
    #[server(default)] consent_unit: String,
    #[server(default)] answer: String,
    #[server(default)] how: String,
    #[server(default)] decided_on: String,
) -> Result<(), AppError> {
    use crate::api::guard::finish_form;
    use crate::domain::consent::ConsentChange;
    let back = plan_page(stay);
    let result = async {
        let (call, by) = support::staff()?;
        let when = call.when();
        let change = ConsentChange::parse(&consent_unit, &answer, &how, &decided_on, when.today)
            .map_err(AppError::invalid)?;
        Ok(crate::server::service::plans::record_consent(
            &call.state.db,
            when,
            &by,
            StayId(stay),
            version,
            &change,
        )
        .await?)
    }
    .await;
    let done = format!("{back}?ok=samtykke#samtykke");
    finish_form(result, &back, |_| done)
}

/// Corrects the person's name, birth year or gender, with why (each changed value is a history
/// row).
#[server(prefix = "/api", endpoint = "plan_correct")]
pub async fn correct_person(
    stay: i64,
    version: i64,
    #[server(default)] correct_name: String,
    #[server(default)] correct_birth_year: String,
    #[server(default)] correct_gender: String,
    #[server(default)] correct_reason: String,
) -> Result<(), AppError> {
    use crate::api::guard::finish_form;
    use crate::domain::correction::CorrectionRequest;
    let back = plan_page(stay);
    let result = async {
        let (call, by) = support::staff()?;
        let when = call.when();
        let request = CorrectionRequest::parse(
            &correct_name,
            &correct_birth_year,
            &correct_gender,
            &correct_reason,
            when.today,
        )
        .map_err(AppError::invalid)?;
        Ok(crate::server::service::plans::correct_person(
            &call.state.db,
            when,
            &by,
            StayId(stay),
            version,
            &request,
        )
        .await?)
    }
    .await;
    let done = format!("{back}?ok=rettet#rett-person");
    finish_form(result, &back, |_| done)
}

/// Plans the exit meeting: the time, and which services (of the home and target districts) are
/// invited (`invited[nav]=1` ...).
#[server(prefix = "/api", endpoint = "plan_exit_meeting")]
pub async fn plan_exit_meeting(
    stay: i64,
    version: i64,
    starts_at: String,
    #[server(default)] invited: HashMap<String, String>,
) -> Result<(), AppError> {
    use crate::api::guard::finish_form;
    use crate::domain::ServiceKind;
    let back = plan_page(stay);
    let result = async {
        let (call, by) = support::staff()?;
        let starts_at = crate::domain::plan::parse_local_datetime(&starts_at, "starts_at")
            .map_err(AppError::invalid)?;
        let kinds = invited
            .keys()
            .map(|k| match ServiceKind::parse(k) {
                Ok(kind) if kind != ServiceKind::Other => Ok(kind),
                _ => Err(AppError::invalid("invited")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (pool, when) = (&call.state.db, call.when());
        Ok(crate::server::service::plans::plan_exit_meeting(
            pool,
            when,
            &by,
            StayId(stay),
            version,
            &starts_at,
            &kinds,
        )
        .await?)
    }
    .await;
    let done = format!("{back}?ok=mote_planlagt#avsluttende-mote");
    finish_form(result, &back, |_| done)
}

/// Records the exit meeting as held: each invited service's attendance
/// (`attendance[<service id>]=attended|excused|absent`) and a short summary.
#[server(prefix = "/api", endpoint = "plan_exit_meeting_record")]
pub async fn record_exit_meeting(
    stay: i64,
    version: i64,
    #[server(default)] attendance: HashMap<String, String>,
    #[server(default)] summary: String,
) -> Result<(), AppError> {
    use crate::api::guard::finish_form;
    use crate::domain::ServiceId;
    use crate::domain::plan::{Attendance, optional_lines};
    let back = plan_page(stay);
    let result = async {
        let (call, by) = support::staff()?;
        let answers = attendance
            .iter()
            .map(
                |(service, answer)| match (service.parse::<i64>(), Attendance::parse(answer)) {
                    (Ok(id), Some(a)) => Ok((ServiceId(id), a)),
                    _ => Err(AppError::invalid("attendance")),
                },
            )
            .collect::<Result<Vec<_>, _>>()?;
        let summary = optional_lines(&summary, crate::domain::limits::SUMMARY, "summary")
            .map_err(AppError::invalid)?;
        let (pool, when) = (&call.state.db, call.when());
        Ok(crate::server::service::plans::record_exit_meeting(
            pool,
            when,
            &by,
            StayId(stay),
            version,
            &answers,
            summary.as_deref(),
        )
        .await?)
    }
    .await;
    let done = format!("{back}?ok=mote_holdt#avsluttende-mote");
    finish_form(result, &back, |_| done)
}

/// Registers the move-out: date, outcome, the main coordinating service after the stay, and why
/// there was no exit meeting (if there was none).
#[server(prefix = "/api", endpoint = "plan_move_out")]
pub async fn move_out(
    stay: i64,
    version: i64,
    move_out: String,
    outcome: String,
    main_coordinator: String,
    #[server(default)] no_exit_meeting_reason: String,
) -> Result<(), AppError> {
    use crate::api::guard::finish_form;
    use crate::domain::ServiceId;
    use crate::domain::plan::{Outcome, optional_text, parse_date};
    use crate::server::repo::plans::MoveOut;
    let back = plan_page(stay);
    let result = async {
        let (call, by) = support::staff()?;
        let registered = MoveOut {
            on: parse_date(&move_out, "move_out").map_err(AppError::invalid)?,
            outcome: Outcome::parse(outcome.trim()).ok_or_else(|| AppError::invalid("outcome"))?,
            main_coordinator: main_coordinator
                .trim()
                .parse()
                .map(ServiceId)
                .map_err(|_| AppError::invalid("main_coordinator"))?,
            no_exit_meeting_reason: optional_text(
                &no_exit_meeting_reason,
                crate::domain::limits::REASON,
                "no_exit_meeting_reason",
            )
            .map_err(AppError::invalid)?,
        };
        let (pool, when) = (&call.state.db, call.when());
        Ok(crate::server::service::plans::register_move_out(
            pool,
            when,
            &by,
            StayId(stay),
            version,
            &registered,
        )
        .await?)
    }
    .await;
    let done = format!("{back}?ok=utflyttet");
    finish_form(result, &back, |_| done)
}

/// Links the stay to another stay of the same person (a returning resident).
#[server(prefix = "/api", endpoint = "plan_link")]
pub async fn link_stay(stay: i64, version: i64, other: i64) -> Result<(), AppError> {
    use crate::api::guard::finish_form;
    let back = plan_page(stay);
    let result = async {
        let (call, by) = support::staff()?;
        let (pool, when) = (&call.state.db, call.when());
        Ok(crate::server::service::plans::link_stay(
            pool,
            when,
            &by,
            StayId(stay),
            version,
            StayId(other),
        )
        .await?)
    }
    .await;
    let done = format!("{back}?ok=koblet");
    finish_form(result, &back, |_| done)
}

/// Undoes a link of stays (the stays it moved go back to their own resident record).
#[server(prefix = "/api", endpoint = "plan_unlink")]
pub async fn unlink_stay(stay: i64, version: i64, merge: i64) -> Result<(), AppError> {
    use crate::api::guard::finish_form;
    let back = plan_page(stay);
    let result = async {
        let (call, by) = support::staff()?;
        let (pool, when) = (&call.state.db, call.when());
        Ok(crate::server::service::plans::unlink_stay(
            pool,
            when,
            &by,
            StayId(stay),
            version,
            merge,
        )
        .await?)
    }
    .await;
    let done = format!("{back}?ok=frakoblet");
    finish_form(result, &back, |_| done)
}
