//! The district list with a name filter. An island: with JavaScript the list filters as you
//! type; without it, the same markup is a plain GET form (`?q=`) that the server answers with the
//! filtered list. Both run [`matches_filter`], so they agree.

use crate::domain::{DistrictSummary, text::matches_filter};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The translated texts the island shows. Islands get their texts as props, so the translation
/// tables stay on the server and out of the wasm bundle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilterTexts {
    pub label: String,
    pub submit: String,
    /// "Viser {shown} av {total} bydeler": the placeholders are filled in by the island.
    pub count: String,
    pub none: String,
    pub col_district: String,
    pub col_services: String,
    pub col_contacts: String,
}

fn count_text(template: &str, shown: usize, total: usize) -> String {
    template
        .replace("{shown}", &shown.to_string())
        .replace("{total}", &total.to_string())
}

#[island]
pub fn DistrictFilter(
    districts: Vec<DistrictSummary>,
    query: String,
    texts: FilterTexts,
) -> impl IntoView {
    let total = districts.len();
    let all = StoredValue::new(districts);
    let query = RwSignal::new(query);
    let shown = Memo::new(move |_| {
        let q = query.get();
        all.with_value(|d| {
            d.iter()
                .filter(|d| matches_filter(&d.name, &q))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let count_template = texts.count.clone();
    // The column names each stacked cell shows on a narrow screen (`Copy`, for the row closure).
    let (col_services, col_contacts) = (
        StoredValue::new(texts.col_services.clone()),
        StoredValue::new(texts.col_contacts.clone()),
    );
    view! {
        <form class="district-filter" method="get" action="/bydeler" role="search">
            <div class="ds-field">
                <label class="ds-label" for="district-filter-q">{texts.label.clone()}</label>
                <div class="district-filter__row">
                    <input id="district-filter-q" class="ds-input" type="search" name="q" autocomplete="off"
                        value=query.get_untracked()
                        prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))/>
                    <button type="submit" class="ds-button" data-variant="secondary">{texts.submit.clone()}</button>
                </div>
            </div>
        </form>
        <p class="ds-paragraph district-filter__count" role="status" aria-live="polite">
            {move || count_text(&count_template, shown.with(Vec::len), total)}
        </p>
        <Show
            when=move || shown.with(|s| !s.is_empty())
            fallback={
                let none = texts.none.clone();
                move || view! { <p class="ds-paragraph">{none.clone()}</p> }
            }
        >
            <table class="ds-table district-table stack" data-border="true">
                <thead>
                    <tr>
                        <th scope="col">{texts.col_district.clone()}</th>
                        <th scope="col" class="num">{texts.col_services.clone()}</th>
                        <th scope="col" class="num">{texts.col_contacts.clone()}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || shown.get() key=|d| d.id let:d>
                        <tr>
                            <th scope="row">
                                <a class="ds-link" href=crate::routes::district(&d.slug)>{d.name.clone()}</a>
                            </th>
                            <td class="num" data-label=col_services.get_value()>{d.service_count}</td>
                            <td class="num" data-label=col_contacts.get_value()>{d.contact_count}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_text_fills_in_both_placeholders() {
        assert_eq!(
            count_text("Viser {shown} av {total} bydeler", 3, 15),
            "Viser 3 av 15 bydeler"
        );
    }
}
