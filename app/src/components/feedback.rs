//! The answer to a form post: the server function sends the browser back with
//! `?feil=<code>&felt=<field>` (what was typed comes back too, see [`crate::components::kept`])
//! or on with `?ok=<what>`, and this component shows it, translated.

use crate::domain::ErrorCode;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Shows the outcome of the last form post on this page, if any. A refusal is an error summary
/// (as Designsystemet's): what went wrong, and the field to correct with why, linked to the
/// field's own message; a confirmation names what was done. Either takes the focus when the
/// page opens, so that a screen reader reads it first.
#[component]
pub fn FormFeedback() -> impl IntoView {
    let i18n = use_i18n();
    let (error, field, ok) = use_query_map().with_untracked(|q| {
        (
            q.get("feil").and_then(|c| ErrorCode::parse(&c)),
            q.get("felt"),
            q.get("ok"),
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
        // Only a field the portal knows is named: the query is typed by whoever made the link.
        let fix = field.and_then(|name| {
            let label = field_label(&name)?;
            let why = field_why(&name);
            let href = format!("#{}", crate::components::kept::error_id(&name));
            Some(view! {
                <p class="ds-paragraph">{t!(i18n, form_error_summary)}</p>
                <ul class="ds-list">
                    <li><a class="ds-link" href=href>{label}{why.map(|why| format!(": {why}"))}</a></li>
                </ul>
            })
        });
        return view! {
            <div class="ds-alert error-summary" data-color="danger" role="alert" tabindex="-1" autofocus id="skjemafeil">
                <h2 class="ds-heading" data-size="xs">{message}</h2>
                {fix}
            </div>
        }
        .into_any();
    }
    ok.map(|what| {
        let message = done_message(&what);
        view! {
            <div class="ds-alert" data-color="success" role="status" tabindex="-1" autofocus id="kvittering">
                <p class="ds-paragraph">{message}</p>
            </div>
        }
    })
    .into_any()
}

/// What a form post did, by the `ok=` its server function sent the browser on with.
fn done_message(what: &str) -> String {
    let i18n = use_i18n();
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    match what {
        "opprettet" if path.starts_with("/admin/brukere") => {
            t_string!(i18n, done_user_created).to_string()
        }
        "opprettet" => t_string!(i18n, done_plan_created).to_string(),
        "plan" => t_string!(i18n, done_plan).to_string(),
        "barn" => t_string!(i18n, done_child).to_string(),
        "bekymring" => t_string!(i18n, done_concern).to_string(),
        "samtykke" => t_string!(i18n, done_consent).to_string(),
        "rettet" => t_string!(i18n, done_correction).to_string(),
        "mote_planlagt" => t_string!(i18n, done_meeting_planned).to_string(),
        "mote_holdt" => t_string!(i18n, done_meeting_recorded).to_string(),
        "utflyttet" => t_string!(i18n, done_moved_out).to_string(),
        "koblet" => t_string!(i18n, done_linked).to_string(),
        "frakoblet" => t_string!(i18n, done_unlinked).to_string(),
        "oppgave" => t_string!(i18n, done_task).to_string(),
        "forlenget" => t_string!(i18n, done_extended).to_string(),
        "mottatt" => t_string!(i18n, done_receipt).to_string(),
        "avvik_opprettet" => t_string!(i18n, done_deviation_created).to_string(),
        "avvik" => t_string!(i18n, done_deviation).to_string(),
        "bruker" => t_string!(i18n, done_user).to_string(),
        "passord" => t_string!(i18n, done_password).to_string(),
        "engangskode" => t_string!(i18n, done_second_factor).to_string(),
        "varsler" => t_string!(i18n, done_notify).to_string(),
        "kalender" => t_string!(i18n, done_calendar).to_string(),
        "igjen" => t_string!(i18n, done_retry).to_string(),
        "pause" => t_string!(i18n, done_resumed).to_string(),
        "publisert" => t_string!(i18n, done_published).to_string(),
        "kontakt_lagt_til" => t_string!(i18n, done_contact_added).to_string(),
        "kontakt_fjernet" => t_string!(i18n, done_contact_removed).to_string(),
        "kontakt" => t_string!(i18n, done_contact).to_string(),
        "bydel_opprettet" => t_string!(i18n, done_district_created).to_string(),
        "bydel" => t_string!(i18n, done_district).to_string(),
        "tjeneste_opprettet" => t_string!(i18n, done_service_created).to_string(),
        "tjeneste" => t_string!(i18n, done_service).to_string(),
        "dokument" => t_string!(i18n, done_document).to_string(),
        "funn" => t_string!(i18n, done_finding).to_string(),
        "pdf" => t_string!(i18n, done_pdf).to_string(),
        "dokument_ny" => t_string!(i18n, done_document_added).to_string(),
        "tiltak" => t_string!(i18n, done_finding_step).to_string(),
        "tiltak_status" => t_string!(i18n, done_finding_step_status).to_string(),
        "funn_lukket" => t_string!(i18n, done_finding_closed).to_string(),
        _ => t_string!(i18n, form_saved).to_string(),
    }
}

/// Why a field's value was refused, in words, for the fields whose rule one sentence can say.
pub fn field_why(field: &str) -> Option<String> {
    let i18n = use_i18n();
    Some(match field {
        "new_password" | "password" => t_string!(i18n, password_rule).to_string(),
        "starts_at" => t_string!(i18n, exit_meeting_time_rule).to_string(),
        "meeting_held" => t_string!(i18n, exit_meeting_held_rule).to_string(),
        "name" => t_string!(i18n, why_name).to_string(),
        "birth_year" => t_string!(i18n, why_birth_year).to_string(),
        "gender" => t_string!(i18n, why_gender).to_string(),
        "case_reference" => t_string!(i18n, why_case_reference).to_string(),
        "arrival" => t_string!(i18n, why_arrival).to_string(),
        "referral" => t_string!(i18n, why_referral).to_string(),
        "answer" => t_string!(i18n, why_consent_answer).to_string(),
        "how"
        | "consent_nav_how"
        | "consent_child_welfare_how"
        | "consent_violence_coordinator_how" => t_string!(i18n, why_consent_how).to_string(),
        "decided_on" => t_string!(i18n, why_consent_decided_on).to_string(),
        "correct_name" => t_string!(i18n, why_name).to_string(),
        "correct_birth_year" => t_string!(i18n, why_birth_year).to_string(),
        "correct_gender" => t_string!(i18n, why_gender).to_string(),
        "correct_reason" => t_string!(i18n, why_correct_reason).to_string(),
        "correction" => t_string!(i18n, why_correction).to_string(),
        "consent_unit" => t_string!(i18n, why_consent_unit).to_string(),
        "home" => t_string!(i18n, why_home).to_string(),
        "target" => t_string!(i18n, why_target).to_string(),
        "target_reason" => t_string!(i18n, why_target_reason).to_string(),
        "children_years" => t_string!(i18n, why_children_years).to_string(),
        "language" => t_string!(i18n, why_language).to_string(),
        "planned_move_out" => t_string!(i18n, why_planned_move_out).to_string(),
        "ready_on" => t_string!(i18n, why_ready_on).to_string(),
        "concern_registered" => t_string!(i18n, why_concern_registered).to_string(),
        "report_sent" => t_string!(i18n, why_report_sent).to_string(),
        "report_received" => t_string!(i18n, why_report_received).to_string(),
        "expected_outcome" => t_string!(i18n, why_expected_outcome).to_string(),
        "assignee" => t_string!(i18n, why_assignee).to_string(),
        "invited" => t_string!(i18n, why_invited).to_string(),
        "attendance" => t_string!(i18n, why_attendance).to_string(),
        "summary" => t_string!(i18n, why_summary).to_string(),
        "move_out" => t_string!(i18n, why_move_out).to_string(),
        "outcome" => t_string!(i18n, why_outcome).to_string(),
        "cause" => t_string!(i18n, why_cause).to_string(),
        "measure" => t_string!(i18n, why_measure).to_string(),
        "main_coordinator" => t_string!(i18n, why_main_coordinator).to_string(),
        "no_exit_meeting_reason" => t_string!(i18n, why_no_exit_meeting_reason).to_string(),
        "reason" => t_string!(i18n, why_reason).to_string(),
        "comment" => t_string!(i18n, why_comment).to_string(),
        "granted_by" => t_string!(i18n, why_granted_by).to_string(),
        "email" => t_string!(i18n, why_email).to_string(),
        "role" => t_string!(i18n, why_role).to_string(),
        "unit" => t_string!(i18n, why_unit).to_string(),
        "phone" => t_string!(i18n, why_phone).to_string(),
        "duplicate" => t_string!(i18n, why_duplicate).to_string(),
        "duplicate_reason" => t_string!(i18n, why_duplicate_reason).to_string(),
        "offset" => t_string!(i18n, why_offset).to_string(),
        "year" => t_string!(i18n, why_year).to_string(),
        "status" => t_string!(i18n, why_status).to_string(),
        "adopted_on" => t_string!(i18n, why_adopted_on).to_string(),
        "found_on" => t_string!(i18n, why_found_on).to_string(),
        "file" => t_string!(i18n, why_file).to_string(),
        "import_file" => t_string!(i18n, why_import_file).to_string(),
        "document_slug" => t_string!(i18n, why_document_slug).to_string(),
        "name_nb" => t_string!(i18n, why_name_nb).to_string(),
        "name_en" => t_string!(i18n, why_name_en).to_string(),
        "legal_basis" => t_string!(i18n, why_legal_basis).to_string(),
        "finding_text" => t_string!(i18n, why_finding_text).to_string(),
        "owner" => t_string!(i18n, why_owner).to_string(),
        "step_text" => t_string!(i18n, why_step_text).to_string(),
        "due_on" => t_string!(i18n, why_due_on).to_string(),
        "closed_on" => t_string!(i18n, why_closed_on).to_string(),
        "closing_note" => t_string!(i18n, why_closing_note).to_string(),
        "finding" => t_string!(i18n, why_finding).to_string(),
        "adopted_by" => t_string!(i18n, why_adopted_by).to_string(),
        "review_on" => t_string!(i18n, why_review_on).to_string(),
        "link" => t_string!(i18n, why_link).to_string(),
        _ => return None,
    })
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
        "status" => t_string!(i18n, field_status).to_string(),
        "adopted_on" => t_string!(i18n, field_adopted_on).to_string(),
        "adopted_by" => t_string!(i18n, field_adopted_by).to_string(),
        "review_on" => t_string!(i18n, field_review_on).to_string(),
        "link" => t_string!(i18n, field_link).to_string(),
        "found_on" => t_string!(i18n, field_found_on).to_string(),
        "file" => t_string!(i18n, field_file).to_string(),
        "import_file" => t_string!(i18n, import_file).to_string(),
        "document_slug" => t_string!(i18n, field_document_slug).to_string(),
        "name_nb" => t_string!(i18n, field_name_nb).to_string(),
        "name_en" => t_string!(i18n, field_name_en).to_string(),
        "legal_basis" => t_string!(i18n, field_legal_basis).to_string(),
        "finding_text" => t_string!(i18n, field_finding_text).to_string(),
        "owner" => t_string!(i18n, field_owner).to_string(),
        "step_text" => t_string!(i18n, field_step_text).to_string(),
        "due_on" => t_string!(i18n, field_due_on).to_string(),
        "closed_on" => t_string!(i18n, field_closed_on).to_string(),
        "closing_note" => t_string!(i18n, finding_closing_note).to_string(),
        "finding" => t_string!(i18n, finding_title).to_string(),
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
        "expected_outcome" => t_string!(i18n, field_expected_outcome).to_string(),
        "assignee" => t_string!(i18n, field_assignee).to_string(),
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
        "duplicate" => t_string!(i18n, intake_duplicate_title).to_string(),
        "duplicate_reason" => t_string!(i18n, intake_duplicate_reason).to_string(),
        "answer" | "consent_nav" | "consent_child_welfare" | "consent_violence_coordinator" => {
            t_string!(i18n, field_consent_answer).to_string()
        }
        "how"
        | "consent_nav_how"
        | "consent_child_welfare_how"
        | "consent_violence_coordinator_how" => t_string!(i18n, field_consent_how).to_string(),
        "decided_on" => t_string!(i18n, field_consent_decided_on).to_string(),
        "correct_name" => t_string!(i18n, field_resident_name).to_string(),
        "correct_birth_year" => t_string!(i18n, field_birth_year).to_string(),
        "correct_gender" => t_string!(i18n, field_gender).to_string(),
        "correct_reason" => t_string!(i18n, correct_reason).to_string(),
        "correction" => t_string!(i18n, correct_title).to_string(),
        "consent_unit" => t_string!(i18n, field_consent_unit).to_string(),
        _ => return None,
    })
}
