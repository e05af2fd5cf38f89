//! Translated names of the domain's enums, shared by the pages.

use crate::domain::{Role, ServiceKind};
use crate::i18n::*;

pub fn role_label(role: Role) -> String {
    let i18n = use_i18n();
    match role {
        Role::CrisisCenter => t_string!(i18n, role_crisis_center),
        Role::Caseworker => t_string!(i18n, role_caseworker),
        Role::Reviewer => t_string!(i18n, role_reviewer),
        Role::DistrictManager => t_string!(i18n, role_district_manager),
        Role::Admin => t_string!(i18n, role_admin),
    }
    .to_string()
}

pub fn service_label(kind: ServiceKind) -> String {
    let i18n = use_i18n();
    match kind {
        ServiceKind::Nav => t_string!(i18n, service_kind_nav),
        ServiceKind::ChildWelfare => t_string!(i18n, service_kind_child_welfare),
        ServiceKind::ViolenceCoordinator => t_string!(i18n, service_kind_violence_coordinator),
        ServiceKind::Other => t_string!(i18n, service_kind_other),
    }
    .to_string()
}

pub fn step_label(step: crate::domain::routine::Step) -> String {
    use crate::domain::routine::Step;
    let i18n = use_i18n();
    match step {
        Step::HousingPlan => t_string!(i18n, step_housing_plan),
        Step::FollowUpPlan => t_string!(i18n, step_follow_up_plan),
        Step::ExitMeeting => t_string!(i18n, step_exit_meeting),
        Step::ConcernReport => t_string!(i18n, step_concern_report),
        Step::ChildWelfareReview => t_string!(i18n, step_child_welfare_review),
        Step::ChildWelfareInvestigation => t_string!(i18n, step_child_welfare_investigation),
        Step::IndividualPlan => t_string!(i18n, step_individual_plan),
        Step::MainCoordinator => t_string!(i18n, step_main_coordinator),
        Step::Transfer => t_string!(i18n, step_transfer),
        Step::FollowUpContact => t_string!(i18n, step_follow_up_contact),
        Step::TransferReceipt => t_string!(i18n, step_transfer_receipt),
    }
    .to_string()
}

pub fn status_label(status: crate::domain::plan::TaskStatus) -> String {
    use crate::domain::plan::TaskStatus;
    let i18n = use_i18n();
    match status {
        TaskStatus::Open => t_string!(i18n, status_open),
        TaskStatus::InProgress => t_string!(i18n, status_in_progress),
        TaskStatus::Done => t_string!(i18n, status_done),
        TaskStatus::NotApplicable => t_string!(i18n, status_not_applicable),
        TaskStatus::Withdrawn => t_string!(i18n, status_withdrawn),
    }
    .to_string()
}

/// The urgency's label and the Designsystemet colour of its tag.
pub fn urgency_label(urgency: crate::domain::deadline::Urgency) -> (String, &'static str) {
    use crate::domain::deadline::Urgency;
    let i18n = use_i18n();
    match urgency {
        Urgency::Overdue => (t_string!(i18n, urgency_overdue).to_string(), "danger"),
        Urgency::DueSoon => (t_string!(i18n, urgency_due_soon).to_string(), "warning"),
        Urgency::Open => (t_string!(i18n, urgency_open).to_string(), "neutral"),
        Urgency::Closed => (t_string!(i18n, urgency_closed).to_string(), "success"),
    }
}

pub fn outcome_label(outcome: crate::domain::plan::Outcome) -> String {
    use crate::domain::plan::Outcome;
    let i18n = use_i18n();
    match outcome {
        Outcome::Abuser => t_string!(i18n, outcome_abuser),
        Outcome::OwnHome => t_string!(i18n, outcome_own_home),
        Outcome::NewHome => t_string!(i18n, outcome_new_home),
        Outcome::TemporaryPublic => t_string!(i18n, outcome_temporary_public),
        Outcome::TemporaryPrivate => t_string!(i18n, outcome_temporary_private),
        Outcome::Other => t_string!(i18n, outcome_other),
    }
    .to_string()
}

pub fn referral_label(referral: crate::domain::plan::Referral) -> String {
    use crate::domain::plan::Referral;
    let i18n = use_i18n();
    match referral {
        Referral::Police => t_string!(i18n, referral_police),
        Referral::ChildWelfare => t_string!(i18n, referral_child_welfare),
        Referral::EmergencyServices => t_string!(i18n, referral_emergency_services),
        Referral::SelfReferred => t_string!(i18n, referral_self),
        Referral::Nav => t_string!(i18n, referral_nav),
        Referral::Other => t_string!(i18n, referral_other),
    }
    .to_string()
}

pub fn gender_label(gender: crate::domain::plan::Gender) -> String {
    use crate::domain::plan::Gender;
    let i18n = use_i18n();
    match gender {
        Gender::Female => t_string!(i18n, gender_female),
        Gender::Male => t_string!(i18n, gender_male),
        Gender::Other => t_string!(i18n, gender_other),
        Gender::Unknown => t_string!(i18n, gender_unknown),
    }
    .to_string()
}

pub fn target_reason_label(reason: crate::domain::plan::TargetReason) -> String {
    use crate::domain::plan::TargetReason;
    let i18n = use_i18n();
    match reason {
        TargetReason::Threat => t_string!(i18n, target_reason_threat),
        TargetReason::Wish => t_string!(i18n, target_reason_wish),
        TargetReason::Other => t_string!(i18n, target_reason_other),
    }
    .to_string()
}

pub fn attendance_label(attendance: crate::domain::plan::Attendance) -> String {
    use crate::domain::plan::Attendance;
    let i18n = use_i18n();
    match attendance {
        Attendance::Invited => t_string!(i18n, attendance_invited),
        Attendance::Attended => t_string!(i18n, attendance_attended),
        Attendance::Excused => t_string!(i18n, attendance_excused),
        Attendance::Absent => t_string!(i18n, attendance_absent),
    }
    .to_string()
}

pub fn event_label(kind: crate::domain::plan::TaskEventKind) -> String {
    use crate::domain::plan::TaskEventKind;
    let i18n = use_i18n();
    match kind {
        TaskEventKind::Created => t_string!(i18n, event_created),
        TaskEventKind::Claimed => t_string!(i18n, event_claimed),
        TaskEventKind::Assigned => t_string!(i18n, event_assigned),
        TaskEventKind::Released => t_string!(i18n, event_released),
        TaskEventKind::Status => t_string!(i18n, event_status),
        TaskEventKind::Comment => t_string!(i18n, event_comment),
        TaskEventKind::DueChanged => t_string!(i18n, event_due_changed),
        TaskEventKind::Moved => t_string!(i18n, event_moved),
        TaskEventKind::Extended => t_string!(i18n, event_extended),
    }
    .to_string()
}

/// Who carries a task: the crisis center, or a district's service (named by the district when
/// it is known).
pub fn responsible_label(unit: Option<crate::domain::Unit>, district: Option<&str>) -> String {
    let i18n = use_i18n();
    match (unit, district) {
        (None, _) => t_string!(i18n, crisis_center).to_string(),
        (Some(u), Some(d)) => format!("{}, {d}", service_label(u.service)),
        (Some(u), None) => service_label(u.service),
    }
}

/// Labels made once per value for a long list (a table of fifty tasks asks for the same few
/// labels on every row; each would otherwise look up the language again).
pub struct Memo<K, V> {
    made: Vec<(K, V)>,
}

impl<K: PartialEq + Clone, V: Clone> Memo<K, V> {
    pub fn new() -> Self {
        Memo { made: Vec::new() }
    }

    /// The label of `key`, made by `make` the first time.
    pub fn get(&mut self, key: &K, make: impl FnOnce(&K) -> V) -> V {
        if let Some((_, value)) = self.made.iter().find(|(k, _)| k == key) {
            return value.clone();
        }
        let value = make(key);
        self.made.push((key.clone(), value.clone()));
        value
    }
}

impl<K: PartialEq + Clone, V: Clone> Default for Memo<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

pub fn consent_answer_label(answer: crate::domain::consent::ConsentAnswer) -> String {
    use crate::domain::consent::ConsentAnswer;
    let i18n = use_i18n();
    match answer {
        ConsentAnswer::Given => t_string!(i18n, consent_given),
        ConsentAnswer::Refused => t_string!(i18n, consent_refused),
        ConsentAnswer::Withdrawn => t_string!(i18n, consent_withdrawn),
    }
    .to_string()
}

pub fn consent_how_label(how: crate::domain::consent::ConsentHow) -> String {
    use crate::domain::consent::ConsentHow;
    let i18n = use_i18n();
    match how {
        ConsentHow::Oral => t_string!(i18n, consent_oral),
        ConsentHow::Written => t_string!(i18n, consent_written),
    }
    .to_string()
}
