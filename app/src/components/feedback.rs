//! The answer to a form post without JavaScript: the server function sends the browser back with
//! `?feil=<code>&felt=<field>` or on with `?ok=<what>`, and this component shows it, translated.

use crate::domain::ErrorCode;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Shows the outcome of the last form post on this page, if any: an error (with its code and the
/// field to check) or a confirmation.
#[component]
pub fn FormFeedback() -> impl IntoView {
    let i18n = use_i18n();
    let (error, field, ok) = use_query_map().with_untracked(|q| {
        (
            q.get("feil").and_then(|c| ErrorCode::parse(&c)),
            q.get("felt"),
            q.get("ok").is_some(),
        )
    });
    if let Some(code) = error {
        let message = match code {
            ErrorCode::InvalidInput => t_string!(i18n, form_error_invalid).to_string(),
            ErrorCode::Conflict => t_string!(i18n, form_error_conflict).to_string(),
            ErrorCode::Forbidden => t_string!(i18n, error_forbidden).to_string(),
            ErrorCode::Unauthorized => t_string!(i18n, error_unauthorized).to_string(),
            ErrorCode::NotFound => t_string!(i18n, error_not_found).to_string(),
            ErrorCode::Stale => t_string!(i18n, error_stale).to_string(),
            ErrorCode::Throttled => t_string!(i18n, error_throttled).to_string(),
            ErrorCode::Unavailable | ErrorCode::Request => {
                t_string!(i18n, error_unavailable).to_string()
            }
        };
        // Why the value was refused, where one message can say it: the rule, in words.
        let why = match (code, field.as_deref()) {
            (ErrorCode::InvalidInput, Some("new_password" | "password")) => {
                Some(t_string!(i18n, password_rule).to_string())
            }
            (ErrorCode::InvalidInput, Some("starts_at")) => {
                Some(t_string!(i18n, exit_meeting_time_rule).to_string())
            }
            (ErrorCode::InvalidInput, Some("meeting_held")) => {
                Some(t_string!(i18n, exit_meeting_held_rule).to_string())
            }
            _ => None,
        };
        // Only a field the portal knows is named: the query is typed by whoever made the link.
        let field = field.and_then(|f| field_label(&f));
        return view! {
            <div class="ds-alert" data-color="danger" role="alert">
                <p class="ds-paragraph">{message}</p>
                {field.map(|f| view! { <p class="ds-paragraph">{t!(i18n, form_error_field)} ": " <strong>{f}</strong></p> })}
                {why.map(|why| view! { <p class="ds-paragraph">{why}</p> })}
                <p class="ds-paragraph" data-size="sm">{t!(i18n, error_code)} ": " <code>{code.as_str()}</code></p>
            </div>
        }
        .into_any();
    }
    ok.then(|| {
        view! {
            <div class="ds-alert" data-color="success" role="status">
                <p class="ds-paragraph">{t!(i18n, form_saved)}</p>
            </div>
        }
    })
    .into_any()
}

/// The label of a form field, by its (stable, non-personal) name in the error; `None` for a name
/// the portal does not use (never shown as it came).
pub fn field_label(field: &str) -> Option<String> {
    let i18n = use_i18n();
    Some(match field {
        "email" => t_string!(i18n, field_email).to_string(),
        "name" => t_string!(i18n, field_name).to_string(),
        "role" => t_string!(i18n, field_role).to_string(),
        "unit" | "district" | "service" => t_string!(i18n, field_unit).to_string(),
        "password" => t_string!(i18n, field_password).to_string(),
        "current_password" => t_string!(i18n, field_current_password).to_string(),
        "new_password" => t_string!(i18n, field_new_password).to_string(),
        "repeat_password" => t_string!(i18n, field_repeat_password).to_string(),
        "self" => t_string!(i18n, field_self).to_string(),
        "phone" => t_string!(i18n, field_phone).to_string(),
        "code" => t_string!(i18n, field_code).to_string(),
        "current_code" => t_string!(i18n, field_current_code).to_string(),
        "from" | "to" => t_string!(i18n, field_period).to_string(),
        "birth_year" => t_string!(i18n, field_birth_year).to_string(),
        "gender" => t_string!(i18n, field_gender).to_string(),
        "case_reference" => t_string!(i18n, field_case_reference).to_string(),
        "arrival" => t_string!(i18n, field_arrival).to_string(),
        "referral" => t_string!(i18n, field_referral).to_string(),
        "home" => t_string!(i18n, field_home).to_string(),
        "target" => t_string!(i18n, field_target).to_string(),
        "target_reason" => t_string!(i18n, field_target_reason).to_string(),
        "children_years" => t_string!(i18n, field_children).to_string(),
        "language" => t_string!(i18n, field_language).to_string(),
        "notify" => t_string!(i18n, account_notify_how).to_string(),
        "periode" => t_string!(i18n, compliance_period).to_string(),
        "fra" => t_string!(i18n, compliance_from).to_string(),
        "til" => t_string!(i18n, compliance_to).to_string(),
        "bydel" => t_string!(i18n, field_districts).to_string(),
        "task" => t_string!(i18n, deviation_plan_step).to_string(),
        "meeting_held" => t_string!(i18n, exit_meeting_record).to_string(),
        "binding" => t_string!(i18n, routines_col_binding).to_string(),
        "cause" => t_string!(i18n, deviation_col_cause).to_string(),
        "measure" => t_string!(i18n, deviation_col_measure).to_string(),
        "deviation_note" => t_string!(i18n, deviation_note).to_string(),
        "planned_move_out" => t_string!(i18n, field_planned_move_out).to_string(),
        "ready_on" => t_string!(i18n, field_ready_on).to_string(),
        "concern_registered" => t_string!(i18n, field_concern_registered).to_string(),
        "report_sent" => t_string!(i18n, field_report_sent).to_string(),
        "report_received" => t_string!(i18n, field_report_received).to_string(),
        "starts_at" => t_string!(i18n, field_starts_at).to_string(),
        "invited" => t_string!(i18n, field_invited).to_string(),
        "attendance" => t_string!(i18n, field_attendance).to_string(),
        "summary" => t_string!(i18n, field_summary).to_string(),
        "move_out" => t_string!(i18n, field_move_out).to_string(),
        "outcome" => t_string!(i18n, field_outcome).to_string(),
        "main_coordinator" => t_string!(i18n, field_main_coordinator).to_string(),
        "no_exit_meeting_reason" => t_string!(i18n, field_no_exit_meeting_reason).to_string(),
        "reason" => t_string!(i18n, field_reason).to_string(),
        "comment" => t_string!(i18n, field_comment).to_string(),
        "granted_by" => t_string!(i18n, field_granted_by).to_string(),
        "offset" => t_string!(i18n, routines_col_offset).to_string(),
        "note" => t_string!(i18n, routines_note).to_string(),
        "change" | "extension" | "other" | "merge" => t_string!(i18n, task_work_title).to_string(),
        _ => return None,
    })
}
