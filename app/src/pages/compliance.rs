//! `/kontroll`: every district's deadline compliance for a period, side by side, for the
//! municipality's reviewers (and administrators and crisis center staff). A GET form chooses the
//! period, so a view can be bookmarked and works without JavaScript. Each chart is an SVG drawn
//! on the server, with its table beside it. Counts under 3 are shown as "under 3" and some others
//! hidden so that they cannot be worked out (see `domain::compliance`).

use crate::api::compliance::read_compliance;
use crate::components::feedback::field_label;
use crate::components::messages::ErrorMessage;
use crate::domain::ErrorCode;
use crate::domain::ServiceKind;
use crate::domain::compliance::{
    ComplianceView, DEADLINE_STEPS, DeviationCountRow, HousingRow, MEETING_WITHIN, OverdueRow,
    PartsRow, Period, PeriodKind, STEP_WITHIN, Shown, TransferRow, WaitRow,
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
                            <Meetings rows=view.meetings.clone() period=view.period/>
                            <Steps rows=view.steps.clone() period=view.period/>
                            <Transfers rows=view.transfers.clone() period=view.period/>
                            <Waits rows=view.waits.clone() period=view.period today=view.today/>
                            <Overdue rows=view.overdue.clone() period=view.period today=view.today/>
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
    let period = period_span(&view.period);
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
                district_text(row.district),
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
    view! { <FiguresTable id="housing-caption" caption headers rows/> }
}

/// A district's name, or the municipality's for its row.
fn district_text(district: Option<(String, String)>) -> String {
    let i18n = use_i18n();
    district.map_or_else(
        || t_string!(i18n, compliance_municipality).to_string(),
        |(_, name)| name,
    )
}

/// A table of figures: a row per district (its name as the row's header), the last row (the
/// municipality's) in the table's foot.
#[component]
fn FiguresTable(
    id: &'static str,
    caption: String,
    headers: Vec<String>,
    rows: Vec<(String, Vec<String>)>,
) -> impl IntoView {
    let line = |(name, cells): (String, Vec<String>)| {
        view! {
            <tr>
                <th scope="row">{name}</th>
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
                <tbody>{rows.into_iter().map(line).collect_view()}</tbody>
                <tfoot>{total.map(line)}</tfoot>
            </table>
        </div>
    }
}

/// The follow-up plan and child welfare's legal periods in the period: per step, how many fell
/// due and how many were done in time (with the share); the investigation also without its
/// extension.
#[component]
fn Steps(rows: Vec<PartsRow>, period: Period) -> impl IntoView {
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
            <FiguresTable id="steps-caption" caption headers rows/>
            <p class="ds-paragraph print-hide"><a class="ds-link" href=format!("/eksport/kontroll.csv?{}&tabell=frister", period.query()) download="">{t!(i18n, compliance_download_csv)}</a></p>
        </section>
    }
}

/// Transfers of a case to another district: started and completed in the period, and the days
/// a completed hand-over took.
#[component]
fn Transfers(rows: Vec<TransferRow>, period: Period) -> impl IntoView {
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
                district_text(row.district),
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
            <FiguresTable id="transfers-caption" caption headers rows/>
            <p class="ds-paragraph print-hide"><a class="ds-link" href=format!("/eksport/kontroll.csv?{}&tabell=overforinger", period.query()) download="">{t!(i18n, compliance_download_csv)}</a></p>
        </section>
    }
}

/// Stays that went on for lack of housing: how long residents who were ready to move out waited
/// for it, and how many wait too long today.
#[component]
fn Waits(rows: Vec<WaitRow>, period: Period, today: time::Date) -> impl IntoView {
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
                district_text(row.district),
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
            <FiguresTable id="waits-caption" caption headers rows/>
            <p class="ds-paragraph print-hide"><a class="ds-link" href=format!("/eksport/kontroll.csv?{}&tabell=venter", period.query()) download="">{t!(i18n, compliance_download_csv)}</a></p>
        </section>
    }
}

/// The rows of a table of counts and parts: each part's count with its share beside it.
fn parts_rows(rows: Vec<PartsRow>, within: &[Option<usize>]) -> Vec<(String, Vec<String>)> {
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
            (district_text(row.district), cells)
        })
        .collect()
}

/// Move-outs in the period and their exit meetings: how many were held before the move, and
/// how often each service came when invited.
#[component]
fn Meetings(rows: Vec<PartsRow>, period: Period) -> impl IntoView {
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
            <FiguresTable id="meetings-caption" caption headers rows/>
            <p class="ds-paragraph print-hide"><a class="ds-link" href=format!("/eksport/kontroll.csv?{}&tabell=moter", period.query()) download="">{t!(i18n, compliance_download_csv)}</a></p>
        </section>
    }
}

/// Open tasks past their due date today, per district, service and how long past it.
#[component]
fn Overdue(rows: Vec<OverdueRow>, period: Period, today: time::Date) -> impl IntoView {
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
                district_text(row.district),
                row.cells.into_iter().map(shown_text).collect(),
            )
        })
        .collect();
    let caption = t_string!(i18n, compliance_overdue_caption).to_string();
    view! {
        <section aria-labelledby="overdue-heading">
            <h2 class="ds-heading" data-size="md" id="overdue-heading">{t!(i18n, compliance_overdue_heading)}</h2>
            <p class="ds-paragraph">{t!(i18n, compliance_overdue_scope)} " " {date_text(today)} "."</p>
            <FiguresTable id="overdue-caption" caption headers rows/>
            <p class="ds-paragraph print-hide"><a class="ds-link" href=format!("/eksport/kontroll.csv?{}&tabell=forfalte", period.query()) download="">{t!(i18n, compliance_download_csv)}</a></p>
        </section>
    }
}

/// Deviations per district in the period: opened, closed, and open past 30 days at its end.
#[component]
fn Deviations(rows: Vec<DeviationCountRow>, period: Period, today: time::Date) -> impl IntoView {
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
                district_text(row.district),
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
            <FiguresTable id="deviations-caption" caption headers rows/>
            <p class="ds-paragraph print-hide"><a class="ds-link" href=format!("/eksport/kontroll.csv?{}&tabell=avvik", period.query()) download="">{t!(i18n, compliance_download_csv)}</a></p>
        </section>
    }
}
