use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The sign-in form: a plain POST to `/innlogging` (works without JavaScript). The failure
/// message is the same whatever went wrong.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let (failed, signed_out, next) = query.with_untracked(|q| {
        (
            q.get("feil").is_some(),
            q.get("ute").is_some(),
            q.get("neste").unwrap_or_default(),
        )
    });
    #[cfg(feature = "ssr")]
    let (already, second_factor_off) = (
        crate::server::session::current_user().is_some(),
        use_context::<crate::server::AppState>().is_some_and(|s| !s.settings.require_second_factor),
    );
    #[cfg(not(feature = "ssr"))]
    let (already, second_factor_off) = (false, false);
    view! {
        <PageTitle text=t_string!(i18n, sign_in_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, sign_in_title)}</h1>
        {failed.then(|| view! {
            <div class="ds-alert" data-color="danger" role="alert"><p class="ds-paragraph">{t!(i18n, sign_in_failed)}</p></div>
        })}
        {signed_out.then(|| view! {
            <div class="ds-alert" data-color="success" role="status"><p class="ds-paragraph">{t!(i18n, signed_out)}</p></div>
        })}
        {already.then(|| view! { <p class="ds-paragraph">{t!(i18n, sign_in_already)}</p> })}
        <p class="ds-paragraph">{t!(i18n, sign_in_intro)}</p>
        {second_factor_off.then(|| view! {
            <div class="ds-alert" data-color="warning"><p class="ds-paragraph">{t!(i18n, sign_in_second_factor_off)}</p></div>
        })}
        <form class="sign-in" method="post" action="/innlogging">
            <input type="hidden" name="next" value=next/>
            <div class="ds-field">
                <label class="ds-label" for="sign-in-email">{t!(i18n, sign_in_email)}</label>
                <input class="ds-input" id="sign-in-email" name="email" type="email" autocomplete="username" required/>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="sign-in-password">{t!(i18n, sign_in_password)}</label>
                <input class="ds-input" id="sign-in-password" name="password" type="password" autocomplete="current-password" required/>
            </div>
            <button class="ds-button" type="submit">{t!(i18n, sign_in_submit)}</button>
        </form>
    }
}
