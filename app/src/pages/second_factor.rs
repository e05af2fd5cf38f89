//! The second factor's pages: setting up an authenticator app (`/konto/engangskode`), and the
//! one-time code asked for at sign-in (`/logg-inn/kode`). Plain forms.

use crate::api::second_factor::{ENROL_SECOND_FACTOR, second_factor_setup};
use crate::components::feedback::FormFeedback;
use crate::components::messages::ErrorMessage;
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/konto/engangskode`: the QR code to scan, the secret as text, and the code to confirm.
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    let required =
        crate::server::session::current_user().is_some_and(|u| u.must_enrol_second_factor);
    #[cfg(not(feature = "ssr"))]
    let required = false;
    let setup = OnceResource::new(second_factor_setup());
    view! {
        <PageTitle text=t_string!(i18n, second_factor_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, second_factor_title)}</h1>
        {required.then(|| view! {
            <div class="ds-alert" data-color="info"><p class="ds-paragraph">{t!(i18n, second_factor_required)}</p></div>
        })}
        <FormFeedback/>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match setup.await {
                    Ok(setup) => view! {
                        {setup.replaces.then(|| view! { <p class="ds-paragraph">{t!(i18n, second_factor_replaces)}</p> })}
                        <ol class="steps">
                            <li>{t!(i18n, second_factor_step_app)}</li>
                            <li>
                                {t!(i18n, second_factor_step_scan)}
                                <div class="qr" role="img" aria-label=t_string!(i18n, second_factor_qr_label).to_string() inner_html=setup.qr_svg></div>
                                <p class="ds-paragraph">{t!(i18n, second_factor_manual)} " " <code class="secret">{setup.secret}</code></p>
                            </li>
                            <li>{t!(i18n, second_factor_step_code)}</li>
                        </ol>
                        <form class="form" method="post" action=crate::routes::api(ENROL_SECOND_FACTOR)>
                            <div class="ds-field">
                                <label class="ds-label" for="enrol-code">{t!(i18n, field_code)}</label>
                                <input class="ds-input" id="enrol-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required/>
                            </div>
                            <p class="ds-paragraph">{t!(i18n, second_factor_confirm)}</p>
                            <div class="ds-field">
                                <label class="ds-label" for="enrol-password">{t!(i18n, field_current_password)}</label>
                                <input class="ds-input" id="enrol-password" name="current_password" type="password" autocomplete="current-password" required/>
                            </div>
                            {setup.replaces.then(|| view! {
                                <div class="ds-field">
                                    <label class="ds-label" for="enrol-current-code">{t!(i18n, field_current_code)}</label>
                                    <input class="ds-input" id="enrol-current-code" name="current_code" inputmode="numeric" autocomplete="off" pattern="[0-9 ]{6,7}" required/>
                                </div>
                            })}
                            <button class="ds-button" type="submit">{t!(i18n, second_factor_submit)}</button>
                        </form>
                    }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/logg-inn/kode`: the one-time code after a right password.
#[component]
pub fn CodePage() -> impl IntoView {
    let i18n = use_i18n();
    let (failed, next) = use_query_map()
        .with_untracked(|q| (q.get("feil").is_some(), q.get("neste").unwrap_or_default()));
    view! {
        <PageTitle text=t_string!(i18n, code_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, code_title)}</h1>
        {failed.then(|| view! {
            <div class="ds-alert" data-color="danger" role="alert"><p class="ds-paragraph">{t!(i18n, code_failed)}</p></div>
        })}
        <p class="ds-paragraph">{t!(i18n, code_intro)}</p>
        <form class="sign-in" method="post" action="/innlogging/kode">
            <input type="hidden" name="next" value=next/>
            <div class="ds-field">
                <label class="ds-label" for="sign-in-code">{t!(i18n, field_code)}</label>
                <input class="ds-input" id="sign-in-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required/>
            </div>
            <button class="ds-button" type="submit">{t!(i18n, sign_in_submit)}</button>
        </form>
        <form method="post" action="/utlogging">
            <button class="ds-button" data-variant="tertiary" type="submit">{t!(i18n, code_cancel)}</button>
        </form>
    }
}
