//! One component per route. View code only: data comes from `api`, rules from `domain`.

pub mod account;
pub mod admin_import;
pub mod admin_log;
pub mod admin_outbox;
pub mod admin_routines;
pub mod admin_users;
pub mod compliance;
pub mod consent;
pub mod correction;
pub mod deviations;
pub mod district;
pub mod districts;
pub mod findings;
pub mod home;
pub mod insight;
pub mod internal_control;
pub mod not_found;
pub mod plans;
pub mod second_factor;
pub mod sign_in;
pub mod statistics;
pub mod tasks;

use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

/// The document title: "<page> – <product>".
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    let i18n = use_i18n();
    let full = format!("{text} – {}", t_string!(i18n, app_name));
    view! { <Title text=full/> }
}
