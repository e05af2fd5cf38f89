//! `/kontroll`: every district's deadline compliance for a period, side by side (or only the
//! districts chosen), for the municipality's reviewers (and administrators and crisis center
//! staff); `/kontroll/<district>`: one district's figures for the period and over the quarters
//! up to it, beside the municipality's; `/kontroll/<district>/utskrift`: the same as a printout
//! for the yearly internal-control report. GET forms choose the period and the districts, so a
//! view can be bookmarked and works without JavaScript. Each chart is an SVG drawn on the
//! server, with its table beside it. Counts under 3 are shown as "under 3" and some others
//! hidden so that they cannot be worked out (see `domain::compliance`).

use crate::api::compliance::{read_compliance, read_district_compliance};
use crate::components::feedback::field_label;
use crate::components::messages::ErrorMessage;
use crate::domain::ErrorCode;
use crate::domain::ServiceKind;
use crate::domain::compliance::{
    ComplianceView, DEADLINE_STEPS, DeviationCountRow, DistrictCompliance, HousingRow,
    MEETING_WITHIN, OverdueRow, PartsRow, Period, PeriodKind, QuarterFigures, QuarterLine,
    STEP_WITHIN, Shown, TransferRow, WaitRow,
};
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[derive(Clone, Default)]
struct Query {
    periode: String,
    fra: String,
    til: String,
    bydel: Vec<String>,
}

fn read_query() -> Query {
    use_query_map().with_untracked(|q| Query {
        periode: q.get("periode").unwrap_or_default(),
        fra: q.get("fra").unwrap_or_default(),
        til: q.get("til").unwrap_or_default(),
        bydel: q.get_all("bydel").unwrap_or_default(),
    })
}

/// Where a page's tables point: the query of their CSV files (without the table's name;
/// `None` in the print view), and the period's query for links to each district's page (`None`
/// on a district's own page).
#[derive(Clone)]
struct Links {
    csv: Option<String>,
    districts: Option<String>,
}

/// The link to one table's CSV file.
#[component]
fn CsvLink(links: Links, table: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    links.csv.map(|q| {
        view! {
            <p class="ds-paragraph print-hide"><a class="ds-link" href=format!("/eksport/kontroll.csv?{q}&tabell={table}") download="">{t!(i18n, compliance_download_csv)}</a></p>
        }
    })
}

#[component]
pub fn CompliancePage() -> impl IntoView {
    let i18n = use_i18n();
    let q = read_query();
    let view = {
        let q = q.clone();
        OnceResource::new(read_compliance(q.periode, q.fra, q.til, q.bydel))
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
                        Ok(view) => {
                            let period_query = view.period.query();
                            let csv = q.bydel.iter().fold(period_query.clone(), |all, slug| format!("{all}&bydel={slug}"));
                            let links = Links { csv: Some(csv), districts: Some(period_query) };
                            let choose = Some((view.districts.clone(), q.bydel.clone()));
                            view! {
                                <PeriodForm q=q.clone() action="/kontroll".into() period=Some(view.period) today=Some(view.today) choose/>
                                <p class="ds-paragraph" data-size="sm">{t!(i18n, compliance_made_at)} " " {view.made_at.clone()}. <span class="print-hide">{t!(i18n, compliance_print_hint)}</span></p>
                                <Figures view links/>
                                <crate::pages::internal_control::ControlCountsSection only=q.bydel.clone()/>
                            }.into_any()
                        }
                        Err(error) if error.code == ErrorCode::InvalidInput => view! {
                            <BadPeriod error/>
                            <PeriodForm q action="/kontroll".into() period=None today=None choose=None/>
                        }.into_any(),
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Every table of a period's figures.
#[component]
fn Figures(view: ComplianceView, links: Links) -> impl IntoView {
    view! {
        <Housing view=view.clone() links=links.clone()/>
        <Meetings rows=view.meetings.clone() period=view.period links=links.clone()/>
        <Steps rows=view.steps.clone() period=view.period links=links.clone()/>
        <Transfers rows=view.transfers.clone() period=view.period links=links.clone()/>
        <Waits rows=view.waits.clone() period=view.period today=view.today links=links.clone()/>
        <Overdue rows=view.overdue.clone() today=view.today links=links.clone()/>
        <Deviations rows=view.deviations period=view.period today=view.today links/>
    }
}

/// What is wrong with the period (or the districts) asked for.
#[component]
fn BadPeriod(error: crate::domain::AppError) -> impl IntoView {
    let i18n = use_i18n();
    let field = field_label(error.field.as_deref().unwrap_or_default());
    view! {
        <div class="ds-alert" data-color="danger" role="alert">
            <p class="ds-paragraph">{t!(i18n, compliance_bad_period)} " " <strong>{field}</strong></p>
        </div>
    }
}

/// `/kontroll/<district>` (and, with `print`, its print view `/kontroll/<district>/utskrift`):
/// one district's figures for the period and over the quarters up to it, beside the
/// municipality's. The print view has no navigation, form or download link: the report as the
/// yearly internal-control report takes it, on A4.
#[component]
pub fn DistrictCompliancePage(print: bool) -> impl IntoView {
    let i18n = use_i18n();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let q = read_query();
    let report = {
        let q = q.clone();
        let slug = slug.clone();
        OnceResource::new(read_district_compliance(slug, q.periode, q.fra, q.til))
    };
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || {
                let q = q.clone();
                let slug = slug.clone();
                Suspend::new(async move {
                    match report.await {
                        Ok(report) => view! { <DistrictReport report q print/> }.into_any(),
                        Err(error) if error.code == ErrorCode::InvalidInput => view! {
                            <PageTitle text=t_string!(i18n, compliance_title).to_string()/>
                            <h1 class="ds-heading" data-size="lg">{t!(i18n, compliance_title)}</h1>
                            <BadPeriod error/>
                            <PeriodForm q action=format!("/kontroll/{slug}") period=None today=None choose=None/>
                        }.into_any(),
                        Err(error) => view! { <ErrorMessage error page=true/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn DistrictReport(report: DistrictCompliance, q: Query, print: bool) -> impl IntoView {
    let i18n = use_i18n();
    let (slug, name) = report.district.clone();
    let view = report.view.clone();
    let period_query = view.period.query();
    let title = format!("{}: {name}", t_string!(i18n, compliance_title));
    // The CSV files and the other districts are for those who read every district's figures.
    let all = crate::components::directory_forms::may(crate::domain::Action::ReadCompliance);
    let links = Links {
        csv: (!print && all).then(|| format!("{period_query}&bydel={slug}")),
        districts: None,
    };
    let lines = report.over_time();
    let made = format!(
        "{} {}. {} {}.",
        t_string!(i18n, compliance_period),
        period_span(&view.period),
        t_string!(i18n, compliance_made_at),
        view.made_at
    );
    view! {
        <PageTitle text=title.clone()/>
        <h1 class="ds-heading" data-size="lg">{title}</h1>
        <p class="ds-paragraph">{t!(i18n, compliance_district_intro)}</p>
        {(!print).then(|| view! {
            <ul class="link-row print-hide">
                {all.then(|| view! {
                    <li><a class="ds-link" href=format!("/kontroll?{period_query}")>{t!(i18n, compliance_all_districts)}</a></li>
                })}
                <li><a class="ds-link" href=format!("/kontroll/{slug}/utskrift?{period_query}")>{t!(i18n, compliance_print_view)}</a></li>
            </ul>
            <PeriodForm q action=format!("/kontroll/{slug}") period=Some(view.period) today=Some(view.today) choose=None/>
        })}
        {print.then(|| view! {
            <p class="ds-paragraph print-hide"><a class="ds-link" href=format!("/kontroll/{slug}?{period_query}")>{t!(i18n, compliance_back_to_district)}</a> " " {t!(i18n, compliance_print_now)}</p>
        })}
        <p class="ds-paragraph" data-size="sm">{made}</p>
        <OverTime lines name=name.clone() csv=links.csv.clone()/>
        <Figures view links/>
        <crate::pages::internal_control::DistrictControlSection slug=slug.clone() print/>
    }
}

/// The district's figures over the quarters, beside the municipality's: a chart of the housing
/// plans done in time, and two tables (shares, counts).
#[component]
fn OverTime(lines: Vec<QuarterLine>, name: String, csv: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let oslo = t_string!(i18n, compliance_municipality).to_string();
    let bars: Vec<Bar> = lines
        .iter()
        .flat_map(|line| {
            let quarter = line.period.numbers();
            [
                Bar {
                    name: format!("{quarter} {name}"),
                    share: line.district.housing_share,
                    total: false,
                },
                Bar {
                    name: format!("{quarter} {oslo}"),
                    share: line.municipality.housing_share,
                    total: true,
                },
            ]
        })
        .collect();
    let pair = |what: String| [format!("{what}: {name}"), format!("{what}: {oslo}")];
    let mut share_headers = vec![t_string!(i18n, compliance_col_quarter).to_string()];
    let steps: Vec<String> = DEADLINE_STEPS
        .iter()
        .map(|&s| crate::components::labels::step_label(s))
        .collect();
    for what in [
        t_string!(i18n, compliance_housing_heading).to_string(),
        t_string!(i18n, compliance_col_meeting_before).to_string(),
        steps[0].clone(),
        steps[1].clone(),
        steps[2].clone(),
    ] {
        share_headers.extend(pair(what));
    }
    let share_rows = quarter_rows(&lines, |f| {
        [
            f.housing_share,
            f.meeting_share,
            f.follow_up_share,
            f.review_share,
            f.investigation_share,
        ]
        .map(|v| optional_text(v, " %"))
    });
    let mut count_headers = vec![t_string!(i18n, compliance_col_quarter).to_string()];
    for what in [
        t_string!(i18n, compliance_col_housing_due).to_string(),
        t_string!(i18n, compliance_col_moved_out).to_string(),
        t_string!(i18n, compliance_col_transfers_completed).to_string(),
        t_string!(i18n, compliance_col_waited_long_count).to_string(),
        t_string!(i18n, compliance_col_deviations_opened).to_string(),
    ] {
        count_headers.extend(pair(what));
    }
    let count_rows = quarter_rows(&lines, |f| {
        [
            f.housing_due,
            f.moved_out,
            f.transfers_completed,
            f.waited_long,
            f.deviations_opened,
        ]
        .map(shown_text)
    });
    let links = Links {
        csv,
        districts: None,
    };
    view! {
        <section aria-labelledby="quarters-heading">
            <h2 class="ds-heading" data-size="md" id="quarters-heading">{t!(i18n, compliance_quarters_heading)}</h2>
            <p class="ds-paragraph">{t!(i18n, compliance_quarters_note)}</p>
            <BarChart bars label=t_string!(i18n, compliance_quarters_chart).to_string()/>
            <QuarterTable id="quarters-shares-caption" caption=t_string!(i18n, compliance_quarters_shares_caption).to_string() headers=share_headers rows=share_rows/>
            <QuarterTable id="quarters-counts-caption" caption=t_string!(i18n, compliance_quarters_counts_caption).to_string() headers=count_headers rows=count_rows/>
            <CsvLink links table="kvartaler"/>
        </section>
    }
}

/// A row per quarter: its name, then each figure of the district beside the municipality's.
fn quarter_rows<const N: usize>(
    lines: &[QuarterLine],
    cells: impl Fn(&QuarterFigures) -> [String; N],
) -> Vec<(String, Vec<String>)> {
    lines
        .iter()
        .map(|line| {
            let pairs = cells(&line.district)
                .into_iter()
                .zip(cells(&line.municipality))
                .flat_map(|(d, m)| [d, m])
                .collect();
            (period_label(&line.period), pairs)
        })
        .collect()
}

/// A table with a row per quarter (its name as the row's header) and no total.
#[component]
fn QuarterTable(
    id: &'static str,
    caption: String,
    headers: Vec<String>,
    rows: Vec<(String, Vec<String>)>,
) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby=id>
            <table class="ds-table compliance" data-border="true">
                <caption id=id>{caption}</caption>
                <thead>
                    <tr>{headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|(name, cells)| view! {
                        <tr>
                            <th scope="row">{name}</th>
                            {cells.into_iter().map(|c| view! { <td class="num">{c}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
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

/// A period's name with its dates: "3. kvartal 2026 (01.07.2026–30.09.2026)".
fn period_span(period: &Period) -> String {
    format!(
        "{} ({}–{})",
        period_label(period),
        date_text(period.from),
        date_text(period.to)
    )
}

fn date_text(d: time::Date) -> String {
    crate::components::dates::date_label(d)
}

/// The districts to compare: every district's slug and name, and the slugs chosen.
type Choice = (Vec<(String, String)>, Vec<String>);

/// The period form: the last eight quarters and three years to choose from, or any dates; on
/// `/kontroll` also the districts to compare (`choose`: every district, and those chosen; none
/// chosen shows them all).
#[component]
fn PeriodForm(
    q: Query,
    action: String,
    period: Option<Period>,
    today: Option<time::Date>,
    choose: Option<Choice>,
) -> impl IntoView {
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
    let districts = choose.map(|(all, chosen)| {
        let open = !chosen.is_empty();
        view! {
            <details class="district-choice" open=open>
                <summary>{t!(i18n, compliance_choose_districts)}</summary>
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{t!(i18n, compliance_districts_legend)}</legend>
                    <ul class="checkbox-grid">
                        {all.into_iter().map(|(slug, name)| {
                            let id = format!("compare-{slug}");
                            let checked = chosen.contains(&slug);
                            view! {
                                <li>
                                    <input class="ds-input" type="checkbox" id=id.clone() name="bydel" value=slug checked=checked/>
                                    <label class="ds-label" data-weight="regular" for=id>{name}</label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </fieldset>
            </details>
        }
    });
    view! {
        <form class="form period-form" method="get" action=action>
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
            {districts}
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
fn Housing(view: ComplianceView, links: Links) -> impl IntoView {
    let i18n = use_i18n();
    let period = period_span(&view.period);
    let scope = format!(
        "{} {period}. {} {}.",
        t_string!(i18n, compliance_housing_scope),
        t_string!(i18n, compliance_now_scope),
        date_text(view.today)
    );
    let bars = view
        .housing
        .iter()
        .map(|row| Bar {
            name: district_text(row.district.clone()),
            share: row.share_in_time,
            total: row.district.is_none(),
        })
        .collect();
    view! {
        <section aria-labelledby="housing-heading">
            <h2 class="ds-heading" data-size="md" id="housing-heading">{t!(i18n, compliance_housing_heading)}</h2>
            <p class="ds-paragraph">{scope}</p>
            <BarChart bars=bars label=t_string!(i18n, compliance_housing_chart).to_string()/>
            <HousingTable rows=view.housing links=links.clone()/>
            <CsvLink links table="boligplaner"/>
            <p class="ds-paragraph" data-size="sm">{t!(i18n, compliance_suppression_note)}</p>
        </section>
    }
}

/// One bar of a chart of shares: its name, its share (`None`: hidden), and whether it is the
/// municipality's (drawn in another colour).
struct Bar {
    name: String,
    share: Option<u32>,
    total: bool,
}

/// Bars of shares done in time; a hidden share is a labelled gap. Drawn on the server; the
/// table beside it holds the same figures.
#[component]
fn BarChart(bars: Vec<Bar>, label: String) -> impl IntoView {
    let i18n = use_i18n();
    const ROW: i32 = 22;
    const LABEL: i32 = 170;
    const BAR: i32 = 340;
    let height = ROW * i32::try_from(bars.len()).unwrap_or(0) + 8;
    let hidden = t_string!(i18n, compliance_share_hidden).to_string();
    view! {
        <svg class="chart" role="img" aria-label=label viewBox=format!("0 0 560 {height}") preserveAspectRatio="xMinYMin meet">
            {bars.into_iter().enumerate().map(|(i, bar)| {
                let y = i32::try_from(i).unwrap_or(0) * ROW + 4;
                let (width, text) = match bar.share {
                    Some(p) => (i32::try_from(p).unwrap_or(0) * BAR / 100, format!("{p} %")),
                    None => (0, hidden.clone()),
                };
                let class = if bar.total { "chart__bar chart__bar--total" } else { "chart__bar" };
                view! {
                    <g>
                        <text x="0" y=y + 15 class="chart__label">{bar.name}</text>
                        <rect x=LABEL y=y width=width height=ROW - 6 class=class/>
                        <text x=LABEL + width + 6 y=y + 15 class="chart__value">{text}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

#[component]
fn HousingTable(rows: Vec<HousingRow>, links: Links) -> impl IntoView {
    let i18n = use_i18n();
    let headers = vec![
        t_string!(i18n, col_district).to_string(),
        t_string!(i18n, compliance_col_due).to_string(),
        t_string!(i18n, compliance_col_in_time).to_string(),
        t_string!(i18n, compliance_col_share).to_string(),
        t_string!(i18n, compliance_col_median).to_string(),
        t_string!(i18n, compliance_col_p90).to_string(),
        t_string!(i18n, compliance_col_open).to_string(),
        t_string!(i18n, compliance_col_overdue).to_string(),
    ];
    let rows = rows
        .into_iter()
        .map(|row| {
            (
                row.district,
                vec![
                    shown_text(row.due),
                    shown_text(row.done_in_time),
                    optional_text(row.share_in_time, " %"),
                    optional_text(row.median_days, ""),
                    optional_text(row.p90_days, ""),
                    shown_text(row.open_now),
                    shown_text(row.overdue_now),
                ],
            )
        })
        .collect();
    let caption = t_string!(i18n, compliance_housing_caption).to_string();
    view! { <FiguresTable id="housing-caption" caption headers rows links/> }
}

/// A district's name, or the municipality's for its row.
fn district_text(district: Option<(String, String)>) -> String {
    let i18n = use_i18n();
    district.map_or_else(
        || t_string!(i18n, compliance_municipality).to_string(),
        |(_, name)| name,
    )
}

/// A table's row: the district (`None`: the municipality) and its cells as shown.
type Line = (Option<(String, String)>, Vec<String>);

/// A table of figures: a row per district (its name as the row's header, a link to its page
/// where `links` has the period for it), the last row (the municipality's) in the table's foot.
#[component]
fn FiguresTable(
    id: &'static str,
    caption: String,
    headers: Vec<String>,
    rows: Vec<Line>,
    links: Links,
) -> impl IntoView {
    let line = move |(district, cells): Line| {
        let href = match (&district, &links.districts) {
            (Some((slug, _)), Some(period)) => Some(format!("/kontroll/{slug}?{period}")),
            _ => None,
        };
        let name = district_text(district);
        let header = match href {
            Some(href) => view! { <a class="ds-link" href=href>{name}</a> }.into_any(),
            None => name.into_any(),
        };
        view! {
            <tr>
                <th scope="row">{header}</th>
                {cells.into_iter().map(|c| view! { <td class="num">{c}</td> }).collect_view()}
            </tr>
        }
    };
    let mut rows = rows;
    let total = rows.pop();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby=id>
            <table class="ds-table compliance" data-border="true">
                <caption id=id>{caption}</caption>
                <thead>
                    <tr>{headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{rows.into_iter().map(line.clone()).collect_view()}</tbody>
                <tfoot>{total.map(line)}</tfoot>
            </table>
        </div>
    }
}

/// The follow-up plan and child welfare's legal periods in the period: per step, how many fell
/// due and how many were done in time (with the share); the investigation also without its
/// extension.
#[component]
fn Steps(rows: Vec<PartsRow>, period: Period, links: Links) -> impl IntoView {
    let i18n = use_i18n();
    let due = t_string!(i18n, compliance_col_due).to_lowercase();
    let in_time = t_string!(i18n, compliance_col_in_time).to_lowercase();
    let mut headers = vec![t_string!(i18n, col_district).to_string()];
    for step in DEADLINE_STEPS {
        let step = crate::components::labels::step_label(step);
        headers.push(format!("{step}: {due}"));
        headers.push(format!("{step}: {in_time}"));
    }
    let investigation = crate::components::labels::step_label(DEADLINE_STEPS[2]);
    headers.push(format!(
        "{investigation}: {}",
        t_string!(i18n, compliance_col_in_own_time)
    ));
    let rows = parts_rows(rows, &STEP_WITHIN);
    let caption = t_string!(i18n, compliance_steps_caption).to_string();
    let scope = format!(
        "{} {}.",
        t_string!(i18n, compliance_steps_scope),
        period_span(&period)
    );
    view! {
        <section aria-labelledby="steps-heading">
            <h2 class="ds-heading" data-size="md" id="steps-heading">{t!(i18n, compliance_steps_heading)}</h2>
            <p class="ds-paragraph">{scope} " " {t!(i18n, compliance_steps_note)}</p>
            <FiguresTable id="steps-caption" caption headers rows links=links.clone()/>
            <CsvLink links=links.clone() table="frister"/>
        </section>
    }
}

/// Transfers of a case to another district: started and completed in the period, and the days
/// a completed hand-over took.
#[component]
fn Transfers(rows: Vec<TransferRow>, period: Period, links: Links) -> impl IntoView {
    let i18n = use_i18n();
    let headers = vec![
        t_string!(i18n, col_district).to_string(),
        t_string!(i18n, compliance_col_started).to_string(),
        t_string!(i18n, compliance_col_completed).to_string(),
        t_string!(i18n, compliance_col_transfer_median).to_string(),
        t_string!(i18n, compliance_col_transfer_p90).to_string(),
    ];
    let rows = rows
        .into_iter()
        .map(|row| {
            (
                row.district,
                vec![
                    shown_text(row.started),
                    shown_text(row.completed),
                    optional_text(row.median_days, ""),
                    optional_text(row.p90_days, ""),
                ],
            )
        })
        .collect();
    let caption = t_string!(i18n, compliance_transfers_caption).to_string();
    let scope = format!(
        "{} {}.",
        t_string!(i18n, compliance_transfers_scope),
        period_span(&period)
    );
    view! {
        <section aria-labelledby="transfers-heading">
            <h2 class="ds-heading" data-size="md" id="transfers-heading">{t!(i18n, compliance_transfers_heading)}</h2>
            <p class="ds-paragraph">{scope} " " {t!(i18n, compliance_transfers_note)}</p>
            <FiguresTable id="transfers-caption" caption headers rows links=links.clone()/>
            <CsvLink links=links.clone() table="overforinger"/>
        </section>
    }
}

/// Stays that went on for lack of housing: how long residents who were ready to move out waited
/// for it, and how many wait too long today.
#[component]
fn Waits(rows: Vec<WaitRow>, period: Period, today: time::Date, links: Links) -> impl IntoView {
    let i18n = use_i18n();
    let headers = vec![
        t_string!(i18n, col_district).to_string(),
        t_string!(i18n, compliance_col_ready_moved).to_string(),
        t_string!(i18n, compliance_col_waited_long).to_string(),
        t_string!(i18n, compliance_col_wait_median).to_string(),
        format!(
            "{} {}",
            t_string!(i18n, compliance_col_waiting_now),
            date_text(today)
        ),
    ];
    let rows = rows
        .into_iter()
        .map(|row| {
            let long = match row.share_long {
                Some(share) => format!("{} ({share} %)", shown_text(row.waited_long)),
                None => shown_text(row.waited_long),
            };
            (
                row.district,
                vec![
                    shown_text(row.moved_out),
                    long,
                    optional_text(row.median_days, ""),
                    shown_text(row.waiting_long_now),
                ],
            )
        })
        .collect();
    let caption = t_string!(i18n, compliance_waits_caption).to_string();
    let scope = format!(
        "{} {}.",
        t_string!(i18n, compliance_waits_scope),
        period_span(&period)
    );
    view! {
        <section aria-labelledby="waits-heading">
            <h2 class="ds-heading" data-size="md" id="waits-heading">{t!(i18n, compliance_waits_heading)}</h2>
            <p class="ds-paragraph">{scope} " " {t!(i18n, compliance_waits_note)}</p>
            <FiguresTable id="waits-caption" caption headers rows links=links.clone()/>
            <CsvLink links=links.clone() table="venter"/>
        </section>
    }
}

/// The rows of a table of counts and parts: each part's count with its share beside it.
fn parts_rows(rows: Vec<PartsRow>, within: &[Option<usize>]) -> Vec<Line> {
    rows.into_iter()
        .map(|row| {
            let cells = row
                .cells
                .iter()
                .enumerate()
                .map(|(c, &cell)| match (within[c], row.shares[c]) {
                    (Some(_), Some(share)) => format!("{} ({share} %)", shown_text(cell)),
                    _ => shown_text(cell),
                })
                .collect();
            (row.district, cells)
        })
        .collect()
}

/// Move-outs in the period and their exit meetings: how many were held before the move, and
/// how often each service came when invited.
#[component]
fn Meetings(rows: Vec<PartsRow>, period: Period, links: Links) -> impl IntoView {
    let i18n = use_i18n();
    let mut headers = vec![
        t_string!(i18n, col_district).to_string(),
        t_string!(i18n, compliance_col_moved_out).to_string(),
        t_string!(i18n, compliance_col_held_before).to_string(),
    ];
    for service in ServiceKind::STANDARD {
        let service = crate::components::labels::service_label(service);
        headers.push(format!(
            "{service}: {}",
            t_string!(i18n, compliance_col_invited)
        ));
        headers.push(format!(
            "{service}: {}",
            t_string!(i18n, compliance_col_attended)
        ));
    }
    let rows = parts_rows(rows, &MEETING_WITHIN);
    let caption = t_string!(i18n, compliance_meetings_caption).to_string();
    let scope = format!(
        "{} {}.",
        t_string!(i18n, compliance_meetings_scope),
        period_span(&period)
    );
    view! {
        <section aria-labelledby="meetings-heading">
            <h2 class="ds-heading" data-size="md" id="meetings-heading">{t!(i18n, compliance_meetings_heading)}</h2>
            <p class="ds-paragraph">{scope} " " {t!(i18n, compliance_meetings_note)}</p>
            <FiguresTable id="meetings-caption" caption headers rows links=links.clone()/>
            <CsvLink links=links.clone() table="moter"/>
        </section>
    }
}

/// Open tasks past their due date today, per district, service and how long past it.
#[component]
fn Overdue(rows: Vec<OverdueRow>, today: time::Date, links: Links) -> impl IntoView {
    let i18n = use_i18n();
    let bands = [
        t_string!(i18n, compliance_band_1_7).to_string(),
        t_string!(i18n, compliance_band_8_30).to_string(),
        t_string!(i18n, compliance_band_over_30).to_string(),
    ];
    let mut headers = vec![t_string!(i18n, col_district).to_string()];
    for service in ServiceKind::STANDARD {
        let service = crate::components::labels::service_label(service);
        headers.extend(bands.iter().map(|band| format!("{service}, {band}")));
    }
    let rows = rows
        .into_iter()
        .map(|row| {
            (
                row.district,
                row.cells.into_iter().map(shown_text).collect(),
            )
        })
        .collect();
    let caption = t_string!(i18n, compliance_overdue_caption).to_string();
    view! {
        <section aria-labelledby="overdue-heading">
            <h2 class="ds-heading" data-size="md" id="overdue-heading">{t!(i18n, compliance_overdue_heading)}</h2>
            <p class="ds-paragraph">{t!(i18n, compliance_overdue_scope)} " " {date_text(today)} "."</p>
            <FiguresTable id="overdue-caption" caption headers rows links=links.clone()/>
            <CsvLink links=links.clone() table="forfalte"/>
        </section>
    }
}

/// Deviations per district in the period: opened, closed, and open past 30 days at its end.
#[component]
fn Deviations(
    rows: Vec<DeviationCountRow>,
    period: Period,
    today: time::Date,
    links: Links,
) -> impl IntoView {
    let i18n = use_i18n();
    let as_of = date_text(period.to.min(today));
    let headers = vec![
        t_string!(i18n, col_district).to_string(),
        t_string!(i18n, compliance_col_opened).to_string(),
        t_string!(i18n, compliance_col_closed).to_string(),
        t_string!(i18n, compliance_col_long_open).to_string(),
    ];
    let rows = rows
        .into_iter()
        .map(|row| {
            (
                row.district,
                vec![
                    shown_text(row.opened),
                    shown_text(row.closed),
                    shown_text(row.long_open),
                ],
            )
        })
        .collect();
    let caption = t_string!(i18n, compliance_deviations_caption).to_string();
    view! {
        <section aria-labelledby="deviations-heading">
            <h2 class="ds-heading" data-size="md" id="deviations-heading">{t!(i18n, compliance_deviations_heading)}</h2>
            <p class="ds-paragraph">{t!(i18n, compliance_deviations_scope)} " " {as_of} ". " <a class="ds-link" href="/avvik">{t!(i18n, compliance_deviations_list)}</a></p>
            <FiguresTable id="deviations-caption" caption headers rows links=links.clone()/>
            <CsvLink links=links.clone() table="avvik"/>
        </section>
    }
}
