//! The signed-in user's own account: changing the password (also the step required after an
//! administrator reset it).

use crate::components::feedback::FormFeedback;
use crate::domain::PASSWORD_LENGTH;
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;

/// `/konto/passord`: a plain form posting to the `change_password` server function.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    let required = crate::server::session::current_user().is_some_and(|u| u.must_change_password);
    #[cfg(not(feature = "ssr"))]
    let required = false;
    let min = PASSWORD_LENGTH.start().to_string();
    let max = PASSWORD_LENGTH.end().to_string();
    view! {
        <PageTitle text=t_string!(i18n, password_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, password_title)}</h1>
        {required.then(|| view! {
            <div class="ds-alert" data-color="info"><p class="ds-paragraph">{t!(i18n, password_required)}</p></div>
        })}
        <FormFeedback/>
        <p class="ds-paragraph">{t!(i18n, password_rule)}</p>
        <form class="form" method="post" action=crate::routes::api(crate::api::accounts::CHANGE_PASSWORD)>
            <div class="ds-field">
                <label class="ds-label" for="current-password">{t!(i18n, field_current_password)}</label>
                <input class="ds-input" id="current-password" name="current_password" type="password" autocomplete="current-password" required/>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="new-password">{t!(i18n, field_new_password)}</label>
                <input class="ds-input" id="new-password" name="new_password" type="password" autocomplete="new-password" minlength=min.clone() maxlength=max.clone() required/>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="repeat-password">{t!(i18n, field_repeat_password)}</label>
                <input class="ds-input" id="repeat-password" name="repeat_password" type="password" autocomplete="new-password" minlength=min maxlength=max required/>
            </div>
            <button class="ds-button" type="submit">{t!(i18n, password_submit)}</button>
        </form>
    }
}
