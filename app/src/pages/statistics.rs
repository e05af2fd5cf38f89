//! `/statistikk`: the crisis center's yearly figures for its report, from the stays (intake and
//! imported alike): a year selector, the figures, bar charts drawn here as SVG with their tables
//! (the tables are what assistive technology reads), and how each figure is counted.

use crate::api::stats::{STATISTICS_PAGE, StatisticsView, statistics};
use crate::components::labels::{gender_label, outcome_label, referral_label};
use crate::components::messages::ErrorMessage;
use crate::domain::plan::{Gender, Outcome, Referral};
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StatisticsPage() -> impl IntoView {
    let i18n = use_i18n();
    let year = use_query_map().with_untracked(|q| q.get("aar").unwrap_or_default());
    let view = OnceResource::new(statistics(year));
    view! {
        <PageTitle text=t_string!(i18n, stats_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, stats_title)}</h1>
        <p class="ds-paragraph lead">{t!(i18n, stats_intro)}</p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(view) => view! { <Statistics view/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error page=true/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A number as Norwegians write it in the Norwegian UI (a decimal comma), else with a point.
fn decimal(value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    match use_i18n().get_locale_untracked() {
        Locale::nb => text.replace('.', ","),
        Locale::en => text,
    }
}

#[component]
fn Statistics(view: StatisticsView) -> impl IntoView {
    let i18n = use_i18n();
    let s = view.stats;
    let year = s.year;
    let options = view
        .years
        .iter()
        .map(|y| view! { <option value=y.to_string() selected=*y == year>{y.to_string()}</option> })
        .collect_view();
    let figure = |label: String, value: String| {
        view! { <div><dt>{label}</dt><dd>{value}</dd></div> }
    };
    let a = &s.adults;
    let genders: Vec<(String, u64)> = vec![
        (gender_label(Gender::Female), a.female),
        (gender_label(Gender::Male), a.male),
        (gender_label(Gender::Other), a.other),
        (gender_label(Gender::Unknown), a.unknown),
    ];
    let referrals: Vec<(String, u64)> = Referral::ALL
        .iter()
        .map(|r| {
            (
                referral_label(*r),
                s.referral.get(r.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    let outcomes: Vec<(String, u64)> = Outcome::ALL
        .iter()
        .map(|o| {
            (
                outcome_label(*o),
                s.outcome.get(o.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    let median = s
        .median_stay_days
        .map_or_else(|| "–".to_owned(), |m| decimal(m, 1));
    view! {
        <form class="form period-form" method="get" action=STATISTICS_PAGE>
            <div class="ds-field">
                <label class="ds-label" for="stats-year">{t!(i18n, stats_year)}</label>
                <select class="ds-input" id="stats-year" name="aar">{options}</select>
            </div>
            <button class="ds-button" type="submit">{t!(i18n, compliance_show)}</button>
        </form>
        {view.may_import.then(|| view! {
            <p class="ds-paragraph"><a class="ds-link" href="/admin/import">{t!(i18n, stats_import_link)}</a></p>
        })}
        <section aria-labelledby="stats-summary">
            <h2 class="ds-heading" data-size="md" id="stats-summary">{t!(i18n, stats_summary, year = year)}</h2>
            <dl class="account-facts stats-figures">
                {figure(t_string!(i18n, stats_adults).to_string(), a.total.to_string())}
                {figure(t_string!(i18n, stats_children).to_string(), s.children.to_string())}
                {figure(t_string!(i18n, stats_adult_nights).to_string(), s.adult_nights.to_string())}
                {figure(t_string!(i18n, stats_nights_per_adult).to_string(), decimal(s.nights_per_adult, 1))}
                {figure(t_string!(i18n, stats_returning).to_string(), format!("{} ({} %)", s.returning.count, decimal(s.returning.share * 100.0, 1)))}
                {figure(t_string!(i18n, stats_stays_ended).to_string(), s.stays_ended.to_string())}
                {figure(t_string!(i18n, stats_median).to_string(), median)}
            </dl>
        </section>
        <Chart id="stats-gender" title=t_string!(i18n, stats_by_gender).to_string() rows=genders/>
        <Chart id="stats-referral" title=t_string!(i18n, stats_by_referral).to_string() rows=referrals/>
        <Chart id="stats-outcome" title=t_string!(i18n, stats_by_outcome).to_string() rows=outcomes/>
        <section aria-labelledby="stats-definitions">
            <h2 class="ds-heading" data-size="md" id="stats-definitions">{t!(i18n, stats_definitions)}</h2>
            <ul class="ds-list">
                <li>{t!(i18n, stats_def_counts)}</li>
                <li>{t!(i18n, stats_def_adults)}</li>
                <li>{t!(i18n, stats_def_children)}</li>
                <li>{t!(i18n, stats_def_nights)}</li>
                <li>{t!(i18n, stats_def_returning)}</li>
                <li>{t!(i18n, stats_def_referral)}</li>
                <li>{t!(i18n, stats_def_outcome)}</li>
                <li>{t!(i18n, stats_def_median)}</li>
            </ul>
        </section>
    }
}

/// A horizontal bar chart drawn on the server, and the table with its numbers. The chart is a
/// picture of the table (hidden from assistive technology, which reads the table).
#[component]
fn Chart(id: &'static str, title: String, rows: Vec<(String, u64)>) -> impl IntoView {
    let i18n = use_i18n();
    const ROW: usize = 28;
    const LABEL: usize = 260;
    const BAR: usize = 300;
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let height = rows.len() * ROW + 8;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, (label, n))| {
            let y = i * ROW + 4;
            let width = (*n as usize * BAR).div_ceil(max as usize);
            view! {
                <text x="0" y=(y + 18).to_string() class="chart-label">{label.clone()}</text>
                <rect x=LABEL.to_string() y=(y + 4).to_string() width=width.to_string() height="18" class="chart-bar"></rect>
                <text x=(LABEL + width + 6).to_string() y=(y + 18).to_string() class="chart-value">{n.to_string()}</text>
            }
        })
        .collect_view();
    let table_rows = rows
        .into_iter()
        .map(|(label, n)| view! { <tr><th scope="row">{label}</th><td class="num">{n}</td></tr> })
        .collect_view();
    view! {
        <section aria-labelledby=id class="stats-chart">
            <h2 class="ds-heading" data-size="sm" id=id>{title.clone()}</h2>
            <svg class="chart" viewBox=format!("0 0 {} {height}", LABEL + BAR + 60) aria-hidden="true" focusable="false">
                {bars}
            </svg>
            <table class="ds-table stats-table" data-border="true">
                <caption class="ds-sr-only">{title}</caption>
                <thead><tr><th scope="col">{t!(i18n, stats_col_group)}</th><th scope="col" class="num">{t!(i18n, stats_col_count)}</th></tr></thead>
                <tbody>{table_rows}</tbody>
            </table>
        </section>
    }
}
