use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    let reviews = {
        use crate::domain::{Action, Target, permits};
        let user = crate::server::session::current_user();
        permits(
            user.as_ref().map(|u| &u.actor),
            Action::ReadCompliance,
            Target::Global,
        )
    };
    #[cfg(not(feature = "ssr"))]
    let reviews = false;
    view! {
        <PageTitle text=t_string!(i18n, nav_home).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, home_title)}</h1>
        <p class="ds-paragraph lead">{t!(i18n, home_intro)}</p>
        <div class="cards">
            <section class="ds-card" aria-labelledby="home-directory">
                <h2 class="ds-heading" data-size="sm" id="home-directory">{t!(i18n, home_directory_title)}</h2>
                <p class="ds-paragraph">{t!(i18n, home_directory_text)}</p>
                <p><a class="ds-link" href="/bydeler">{t!(i18n, home_directory_link)}</a></p>
            </section>
            {reviews.then(|| view! {
                <section class="ds-card" aria-labelledby="home-compliance">
                    <h2 class="ds-heading" data-size="sm" id="home-compliance">{t!(i18n, compliance_title)}</h2>
                    <p class="ds-paragraph">{t!(i18n, compliance_intro)}</p>
                    <p><a class="ds-link" href="/kontroll">{t!(i18n, home_compliance_link)}</a></p>
                </section>
            })}
        </div>
    }
}
