//! Translated names of the domain's enums, shared by the pages.

use crate::domain::{Role, ServiceKind};
use crate::i18n::*;

pub fn role_label(role: Role) -> String {
    let i18n = use_i18n();
    match role {
        Role::CrisisCenter => t_string!(i18n, role_crisis_center),
        Role::Caseworker => t_string!(i18n, role_caseworker),
        Role::Reviewer => t_string!(i18n, role_reviewer),
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
