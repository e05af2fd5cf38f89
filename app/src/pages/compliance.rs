//! `/kontroll`: every district's deadline compliance for a period, side by side, for the
//! municipality's reviewers (and administrators and crisis center staff). A GET form chooses the
//! period, so a view can be bookmarked and works without JavaScript. Each chart is an SVG drawn
//! on the server, with its table beside it. Counts under 3 are shown as "under 3" and some others
//! hidden so that they cannot be worked out (see `domain::compliance`).

use crate::api::compliance::read_compliance;
use crate::components::feedback::field_label;
use crate::components::messages::ErrorMessage;
use crate::domain::ErrorCode;
use crate::domain::compliance::{
    ComplianceView, DeviationCountRow, HousingRow, Period, PeriodKind, Shown,
};
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Default)]
struct Query {
    periode: String,
    fra: String,
    til: String,
}

#[component]
pub fn CompliancePage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map().with_untracked(|q| Query {
        periode: q.get("periode").unwrap_or_default(),
        fra: q.get("fra").unwrap_or_default(),
        til: q.get("til").unwrap_or_default(),
    });
    let view = {
        let q = q.clone();
        OnceResource::new(read_compliance(q.periode, q.fra, q.til))
    };
    view! {
        <PageTitle text=t_string!(i18n, compliance_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, compliance_title)}</h1>
        <p class="ds-paragraph">{t!(i18n, compliance_intro)}</p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || {
                let q = q.clone();
                Suspend::new(async move {
                    match view.await {
                        Ok(view) => view! {
                            <PeriodForm q period=Some(view.period) today=Some(view.today)/>
                            <p class="ds-paragraph" data-size="sm">{t!(i18n, compliance_made_at)} " " {view.made_at.clone()}. <span class="print-hide">{t!(i18n, compliance_print_hint)}</span></p>
                            <Housing view=view.clone()/>
                            <Deviations rows=view.deviations period=view.period today=view.today/>
                        }.into_any(),
                        Err(error) if error.code == ErrorCode::InvalidInput => {
                            let field = field_label(error.field.as_deref().unwrap_or_default());
                            view! {
                                <div class="ds-alert" data-color="danger" role="alert">
                                    <p class="ds-paragraph">{t!(i18n, compliance_bad_period)} " " <strong>{field}</strong></p>
                                </div>
                                <PeriodForm q period=None today=None/>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A period's name: "3. kvartal 2026", "2026", or its dates.
fn period_label(period: &Period) -> String {
    let i18n = use_i18n();
    match period.kind {
        PeriodKind::Quarter(y, q) => match i18n.get_locale_untracked() {
            Locale::nb => format!("{q}. kvartal {y}"),
            Locale::en => format!("Q{q} {y}"),
        },
        PeriodKind::Year(y) => y.to_string(),
        PeriodKind::Range => period.numbers(),
    }
}

fn date_text(d: time::Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

/// The period form: the last eight quarters and three years to choose from, or any dates.
#[component]
fn PeriodForm(q: Query, period: Option<Period>, today: Option<time::Date>) -> impl IntoView {
    let i18n = use_i18n();
    let mut choices: Vec<Period> = Vec::new();
    if let Some(today) = today {
        choices.extend(Period::last_quarter(today).quarters_to(8).into_iter().rev());
        for y in (today.year() - 2..=today.year()).rev() {
            choices.extend(Period::year(y));
        }
    }
    let chosen = period.map(|p| p.query());
    let custom = matches!(period.map(|p| p.kind), Some(PeriodKind::Range)) || period.is_none();
    view! {
        <form class="form period-form" method="get" action="/kontroll">
            <div class="ds-field">
                <label class="ds-label" for="compliance-period">{t!(i18n, compliance_period)}</label>
                <select class="ds-input" id="compliance-period" name="periode">
                    {choices.into_iter().map(|p| {
                        let value = p.query().trim_start_matches("periode=").to_owned();
                        let selected = chosen.as_deref() == Some(p.query().as_str());
                        view! { <option value=value selected=selected>{period_label(&p)}</option> }
                    }).collect_view()}
                    <option value="" selected=custom>{t!(i18n, compliance_period_custom)}</option>
                </select>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="compliance-from">{t!(i18n, compliance_from)}</label>
                <input class="ds-input" id="compliance-from" name="fra" type="date" value=q.fra/>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="compliance-to">{t!(i18n, compliance_to)}</label>
                <input class="ds-input" id="compliance-to" name="til" type="date" value=q.til/>
            </div>
            <button class="ds-button" type="submit">{t!(i18n, compliance_show)}</button>
        </form>
    }
}

/// A count as a reviewer may see it.
fn shown_text(shown: Shown) -> String {
    let i18n = use_i18n();
    match shown {
        Shown::Count(n) => n.to_string(),
        Shown::Under3 => t_string!(i18n, compliance_under_3).to_string(),
        Shown::Hidden => t_string!(i18n, compliance_hidden).to_string(),
    }
}

fn optional_text(value: Option<impl ToString>, suffix: &str) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{}{suffix}", v.to_string()))
}

#[component]
fn Housing(view: ComplianceView) -> impl IntoView {
    let i18n = use_i18n();
    let period = format!(
        "{} ({}–{})",
        period_label(&view.period),
        date_text(view.period.from),
        date_text(view.period.to)
    );
    let scope = format!(
        "{} {period}. {} {}.",
        t_string!(i18n, compliance_housing_scope),
        t_string!(i18n, compliance_now_scope),
        date_text(view.today)
    );
    view! {
        <section aria-labelledby="housing-heading">
            <h2 class="ds-heading" data-size="md" id="housing-heading">{t!(i18n, compliance_housing_heading)}</h2>
            <p class="ds-paragraph">{scope}</p>
            <ShareChart rows=view.housing.clone() label=t_string!(i18n, compliance_housing_chart).to_string()/>
            <HousingTable rows=view.housing/>
            <p class="ds-paragraph print-hide"><a class="ds-link" href=format!("/eksport/kontroll.csv?{}&tabell=boligplaner", view.period.query()) download="">{t!(i18n, compliance_download_csv)}</a></p>
            <p class="ds-paragraph" data-size="sm">{t!(i18n, compliance_suppression_note)}</p>
        </section>
    }
}

/// Bars of the share done in time, one per district and the municipality's; a hidden share is
/// a labelled gap. Drawn on the server; the table beside it holds the same figures.
#[component]
fn ShareChart(rows: Vec<HousingRow>, label: String) -> impl IntoView {
    let i18n = use_i18n();
    const ROW: i32 = 22;
    const LABEL: i32 = 150;
    const BAR: i32 = 360;
    let height = ROW * i32::try_from(rows.len()).unwrap_or(0) + 8;
    let oslo = t_string!(i18n, compliance_municipality).to_string();
    let hidden = t_string!(i18n, compliance_share_hidden).to_string();
    view! {
        <svg class="chart" role="img" aria-label=label viewBox=format!("0 0 560 {height}") preserveAspectRatio="xMinYMin meet">
            {rows.into_iter().enumerate().map(|(i, row)| {
                let y = i32::try_from(i).unwrap_or(0) * ROW + 4;
                let name = row.district.map_or_else(|| oslo.clone(), |(_, name)| name);
                let (width, text) = match row.share_in_time {
                    Some(p) => (i32::try_from(p).unwrap_or(0) * BAR / 100, format!("{p} %")),
                    None => (0, hidden.clone()),
                };
                view! {
                    <g>
                        <text x="0" y=y + 15 class="chart__label">{name}</text>
                        <rect x=LABEL y=y width=width height=ROW - 6 class="chart__bar"/>
                        <text x=LABEL + width + 6 y=y + 15 class="chart__value">{text}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

#[component]
fn HousingTable(rows: Vec<HousingRow>) -> impl IntoView {
    let i18n = use_i18n();
    let oslo = t_string!(i18n, compliance_municipality).to_string();
    let line = move |row: HousingRow| {
        let name = row.district.map_or_else(|| oslo.clone(), |(_, name)| name);
        view! {
            <th scope="row">{name}</th>
            <td class="num">{shown_text(row.due)}</td>
            <td class="num">{shown_text(row.done_in_time)}</td>
            <td class="num">{optional_text(row.share_in_time, " %")}</td>
            <td class="num">{optional_text(row.median_days, "")}</td>
            <td class="num">{optional_text(row.p90_days, "")}</td>
            <td class="num">{shown_text(row.open_now)}</td>
            <td class="num">{shown_text(row.overdue_now)}</td>
        }
    };
    let mut rows = rows;
    let total = rows.pop();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="housing-caption">
            <table class="ds-table compliance" data-border="true">
                <caption id="housing-caption">{t!(i18n, compliance_housing_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, col_district)}</th>
                        <th scope="col">{t!(i18n, compliance_col_due)}</th>
                        <th scope="col">{t!(i18n, compliance_col_in_time)}</th>
                        <th scope="col">{t!(i18n, compliance_col_share)}</th>
                        <th scope="col">{t!(i18n, compliance_col_median)}</th>
                        <th scope="col">{t!(i18n, compliance_col_p90)}</th>
                        <th scope="col">{t!(i18n, compliance_col_open)}</th>
                        <th scope="col">{t!(i18n, compliance_col_overdue)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <tr>{line(row)}</tr> }).collect_view()}
                </tbody>
                <tfoot>
                    {total.map(|row| view! { <tr>{line(row)}</tr> })}
                </tfoot>
            </table>
        </div>
    }
}

/// Deviations per district in the period: opened, closed, and open past 30 days at its end.
#[component]
fn Deviations(rows: Vec<DeviationCountRow>, period: Period, today: time::Date) -> impl IntoView {
    let i18n = use_i18n();
    let oslo = t_string!(i18n, compliance_municipality).to_string();
    let as_of = date_text(period.to.min(today));
    let line = move |row: DeviationCountRow| {
        let name = row.district.map_or_else(|| oslo.clone(), |(_, name)| name);
        view! {
            <th scope="row">{name}</th>
            <td class="num">{shown_text(row.opened)}</td>
            <td class="num">{shown_text(row.closed)}</td>
            <td class="num">{shown_text(row.long_open)}</td>
        }
    };
    let mut rows = rows;
    let total = rows.pop();
    view! {
        <section aria-labelledby="deviations-heading">
            <h2 class="ds-heading" data-size="md" id="deviations-heading">{t!(i18n, compliance_deviations_heading)}</h2>
            <p class="ds-paragraph">{t!(i18n, compliance_deviations_scope)} " " {as_of} ". " <a class="ds-link" href="/avvik">{t!(i18n, compliance_deviations_list)}</a></p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="deviations-caption">
                <table class="ds-table compliance" data-border="true">
                    <caption id="deviations-caption">{t!(i18n, compliance_deviations_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, col_district)}</th>
                            <th scope="col">{t!(i18n, compliance_col_opened)}</th>
                            <th scope="col">{t!(i18n, compliance_col_closed)}</th>
                            <th scope="col">{t!(i18n, compliance_col_long_open)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|row| view! { <tr>{line(row)}</tr> }).collect_view()}
                    </tbody>
                    <tfoot>
                        {total.map(|row| view! { <tr>{line(row)}</tr> })}
                    </tfoot>
                </table>
            </div>
            <p class="ds-paragraph print-hide"><a class="ds-link" href=format!("/eksport/kontroll.csv?{}&tabell=avvik", period.query()) download="">{t!(i18n, compliance_download_csv)}</a></p>
        </section>
    }
}
