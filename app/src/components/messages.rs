//! Error and status messages, translated, with the stable error code.

use crate::domain::{AppError, ErrorCode};
use crate::i18n::*;
use leptos::prelude::*;

/// Shows an error from a server function: a translated message and its code, never a detail.
/// With `page`, the error is the whole page (nothing else was shown): it gets the page's `h1`.
#[component]
pub fn ErrorMessage(error: AppError, #[prop(optional)] page: bool) -> impl IntoView {
    let i18n = use_i18n();
    if error.code == ErrorCode::NotFound {
        return view! { <crate::pages::not_found::NotFound/> }.into_any();
    }
    // The page answers with the error's status (403 for a page the role may not see).
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = http::StatusCode::from_u16(error.code.http_status())
    {
        res.set_status(status);
    }
    let why = (error.code == ErrorCode::InvalidInput)
        .then(|| {
            error
                .field
                .as_deref()
                .and_then(crate::components::feedback::field_why)
        })
        .flatten();
    let message = match error.code {
        ErrorCode::Forbidden => t_string!(i18n, error_forbidden).to_string(),
        ErrorCode::Unauthorized => t_string!(i18n, error_unauthorized).to_string(),
        // A bad value in the address (a year, a period): why, in words.
        ErrorCode::InvalidInput if why.is_some() => why.unwrap_or_default(),
        _ => t_string!(i18n, error_unavailable).to_string(),
    };
    let title = match error.code {
        ErrorCode::Forbidden => t_string!(i18n, error_forbidden_title),
        ErrorCode::Unauthorized => t_string!(i18n, error_unauthorized_title),
        _ => t_string!(i18n, error_title),
    }
    .to_string();
    let (above, inside) = if page {
        let above = view! {
            <crate::pages::PageTitle text=title.clone()/>
            <h1 class="ds-heading" data-size="lg">{title}</h1>
        };
        (Some(above), None)
    } else {
        (
            None,
            Some(view! { <h2 class="ds-heading" data-size="xs">{title}</h2> }),
        )
    };
    view! {
        {above}
        <div class="ds-alert" data-color="danger" role="alert">
            {inside}
            <p class="ds-paragraph">{message}</p>
            <p class="ds-paragraph" data-size="sm">{t!(i18n, error_code)} ": " <code>{error.code.as_str()}</code></p>
        </div>
    }
    .into_any()
}

/// Renders `children` only when the signed-in user's role permits `action` (globally); otherwise
/// a 403 page. Wraps the routes of pages that belong to one role (administration), so that the
/// page itself refuses before it loads anything.
#[component]
pub fn RequirePermission(action: crate::domain::Action, children: Children) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let permitted = crate::server::session::current_user().is_some_and(|u| {
        crate::domain::permits(Some(&u.actor), action, crate::domain::Target::Global)
    });
    #[cfg(not(feature = "ssr"))]
    let permitted = {
        let _ = action;
        false
    };
    if permitted {
        children().into_any()
    } else {
        view! { <ErrorMessage error=AppError::forbidden() page=true/> }.into_any()
    }
}
