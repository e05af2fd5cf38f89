use crate::api::directory::list_districts;
use crate::components::district_filter::{DistrictFilter, FilterTexts};
use crate::components::messages::ErrorMessage;
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The list of districts, filterable by name (`?q=` without JavaScript).
#[component]
pub fn DistrictsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map().with_untracked(|q| q.get("q").unwrap_or_default());
    let texts = FilterTexts {
        label: t_string!(i18n, filter_label).to_string(),
        submit: t_string!(i18n, filter_submit).to_string(),
        count: t_string!(i18n, filter_count, shown = "{shown}", total = "{total}").to_string(),
        none: t_string!(i18n, filter_none).to_string(),
        col_district: t_string!(i18n, col_district).to_string(),
        col_services: t_string!(i18n, col_services).to_string(),
        col_contacts: t_string!(i18n, col_contacts).to_string(),
    };
    let districts = OnceResource::new(list_districts());
    view! {
        <PageTitle text=t_string!(i18n, districts_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, districts_title)}</h1>
        <p class="ds-paragraph">{t!(i18n, districts_intro)}</p>
        <crate::components::feedback::FormFeedback/>
        {crate::components::directory_forms::may(crate::domain::Action::EditDirectory)
            .then(|| view! { <crate::components::directory_forms::NewDistrictForm/> })}
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || {
                let query = query.clone();
                let texts = texts.clone();
                Suspend::new(async move {
                    match districts.await {
                        Ok(districts) => view! { <DistrictFilter districts query texts/> }.into_any(),
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
