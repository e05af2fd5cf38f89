use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;

/// 404: for unknown paths and for things that do not exist (or that the viewer may not know of).
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <PageTitle text=t_string!(i18n, not_found_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, not_found_title)}</h1>
        <p class="ds-paragraph">{t!(i18n, not_found_text)}</p>
        <p><a class="ds-link" href="/">{t!(i18n, nav_home)}</a></p>
    }
}
