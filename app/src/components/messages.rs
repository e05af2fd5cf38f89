//! Error and status messages, translated, with the stable error code.

use crate::domain::{AppError, ErrorCode};
use crate::i18n::*;
use leptos::prelude::*;

/// Shows an error from a server function: a translated message and its code, never a detail.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    if error.code == ErrorCode::NotFound {
        return view! { <crate::pages::not_found::NotFound/> }.into_any();
    }
    view! {
        <div class="ds-alert" data-color="danger" role="alert">
            <h2 class="ds-heading" data-size="xs">{t!(i18n, error_title)}</h2>
            <p class="ds-paragraph">{t!(i18n, error_unavailable)}</p>
            <p class="ds-paragraph" data-size="sm">{t!(i18n, error_code)} ": " <code>{error.code.as_str()}</code></p>
        </div>
    }
    .into_any()
}
