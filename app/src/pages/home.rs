use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
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
            <section class="ds-card" aria-labelledby="home-coming">
                <h2 class="ds-heading" data-size="sm" id="home-coming">{t!(i18n, home_coming_title)}</h2>
                <p class="ds-paragraph">{t!(i18n, home_coming_text)}</p>
            </section>
        </div>
    }
}
