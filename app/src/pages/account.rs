//! The signed-in user's own account: notification choices and the unit's calendar feed
//! (`/konto`), and changing the password (also the step required after an administrator reset
//! it).

use crate::api::account::{
    END_CALENDAR_FEED, MAKE_CALENDAR_FEED, SAVE_NOTIFY_CHOICES, read_account,
};
use crate::components::feedback::FormFeedback;
use crate::components::labels::{role_label, service_label};
use crate::components::messages::ErrorMessage;
use crate::domain::PASSWORD_LENGTH;
use crate::domain::notice::{AccountView, FeedView, MailLanguage, NotifyChoice};
use crate::i18n::*;
use crate::pages::PageTitle;
use crate::routes::api;
use leptos::prelude::*;

/// `/konto`: who the user is, how they hear from the portal, the unit's calendar feed (for a
/// caseworker) and links to the password and one-time code pages. Plain forms.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let account = OnceResource::new(read_account());
    view! {
        <PageTitle text=t_string!(i18n, account_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, account_title)}</h1>
        <FormFeedback/>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(account) => view! { <Account account/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Account(account: AccountView) -> impl IntoView {
    let i18n = use_i18n();
    let unit = account
        .unit
        .as_ref()
        .map(|(district, kind)| format!("{}, {district}", service_label(*kind)));
    let takes_mail = account.feed.is_some();
    view! {
        <dl class="account-facts">
            <div><dt>{t!(i18n, field_name)}</dt><dd>{account.name.clone()}</dd></div>
            <div><dt>{t!(i18n, field_email)}</dt><dd>{account.email.clone()}</dd></div>
            <div><dt>{t!(i18n, field_role)}</dt><dd>{role_label(account.role)}</dd></div>
            {unit.map(|u| view! { <div><dt>{t!(i18n, field_unit)}</dt><dd>{u}</dd></div> })}
        </dl>
        <section aria-labelledby="notify-heading">
            <h2 class="ds-heading" data-size="md" id="notify-heading">{t!(i18n, account_notify_heading)}</h2>
            {if takes_mail {
                view! { <NotifyForm notify=account.notify language=account.language/> }.into_any()
            } else {
                view! { <p class="ds-paragraph">{t!(i18n, account_notify_none)}</p> }.into_any()
            }}
        </section>
        {account.feed.map(|feed| view! { <CalendarFeed feed/> })}
        <section aria-labelledby="sign-in-heading">
            <h2 class="ds-heading" data-size="md" id="sign-in-heading">{t!(i18n, account_sign_in_heading)}</h2>
            <ul>
                <li><a href="/konto/passord">{t!(i18n, password_title)}</a></li>
                <li><a href="/konto/engangskode">{t!(i18n, nav_second_factor)}</a></li>
            </ul>
        </section>
    }
}

#[component]
fn NotifyForm(notify: NotifyChoice, language: MailLanguage) -> impl IntoView {
    let i18n = use_i18n();
    let choice = move |value: NotifyChoice| {
        let label = match value {
            NotifyChoice::Immediate => t_string!(i18n, account_notify_immediate),
            NotifyChoice::Digest => t_string!(i18n, account_notify_digest),
        };
        let id = format!("notify-{}", value.as_str());
        view! {
            <div class="ds-field checkbox">
                <input class="ds-input" type="radio" id=id.clone() name="notify" value=value.as_str() checked=notify == value required/>
                <label class="ds-label" for=id>{label}</label>
            </div>
        }
    };
    let lang = move |value: MailLanguage, label: &'static str, code: &'static str| {
        let id = format!("language-{}", value.as_str());
        view! {
            <div class="ds-field checkbox">
                <input class="ds-input" type="radio" id=id.clone() name="language" value=value.as_str() checked=language == value required/>
                <label class="ds-label" for=id lang=code>{label}</label>
            </div>
        }
    };
    view! {
        <form class="form" method="post" action=api(SAVE_NOTIFY_CHOICES)>
            <fieldset class="ds-fieldset">
                <legend class="ds-label">{t!(i18n, account_notify_how)}</legend>
                {choice(NotifyChoice::Immediate)}
                {choice(NotifyChoice::Digest)}
            </fieldset>
            <fieldset class="ds-fieldset">
                <legend class="ds-label">{t!(i18n, account_notify_language)}</legend>
                {lang(MailLanguage::Nb, "Norsk (bokmål)", "nb")}
                {lang(MailLanguage::En, "English", "en")}
            </fieldset>
            <button class="ds-button" type="submit">{t!(i18n, account_notify_save)}</button>
        </form>
    }
}

#[component]
fn CalendarFeed(feed: FeedView) -> impl IntoView {
    let i18n = use_i18n();
    let new_url = feed.new_url.map(|url| {
        view! {
            <div class="ds-alert" data-color="success" role="status">
                <p class="ds-paragraph">{t!(i18n, feed_new_once)}</p>
                <div class="ds-field">
                    <label class="ds-label" for="feed-url">{t!(i18n, feed_address)}</label>
                    <input class="ds-input feed-url" id="feed-url" type="text" readonly value=url/>
                </div>
            </div>
        }
    });
    let state = match feed.active {
        Some((at, by)) => {
            let made = format!(
                "{} {}{}",
                t_string!(i18n, feed_made),
                at.get(..10).unwrap_or(&at),
                by.map(|name| format!(" ({name})")).unwrap_or_default()
            );
            view! {
                <p class="ds-paragraph">{made}</p>
                <div class="button-row">
                    <form method="post" action=api(MAKE_CALENDAR_FEED)>
                        <button class="ds-button" data-variant="secondary" type="submit">{t!(i18n, feed_rotate)}</button>
                    </form>
                    <form method="post" action=api(END_CALENDAR_FEED)>
                        <button class="ds-button" data-variant="secondary" type="submit">{t!(i18n, feed_end)}</button>
                    </form>
                </div>
            }
            .into_any()
        }
        None => view! {
            <p class="ds-paragraph">{t!(i18n, feed_none)}</p>
            <form method="post" action=api(MAKE_CALENDAR_FEED)>
                <button class="ds-button" type="submit">{t!(i18n, feed_make)}</button>
            </form>
        }
        .into_any(),
    };
    view! {
        <section id="kalender" aria-labelledby="feed-heading">
            <h2 class="ds-heading" data-size="md" id="feed-heading">{t!(i18n, feed_heading)}</h2>
            <p class="ds-paragraph">{t!(i18n, feed_intro)}</p>
            {new_url}
            {state}
        </section>
    }
}

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
