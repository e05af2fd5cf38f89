//! `/admin/import`: administrators bring the crisis center's past years in from its own file of
//! stays (the same import as `portal import-stays`). The form posts the file to a plain route
//! (`/admin/import/fil`), which comes back here with what it did, or with every problem of the
//! file by line and column (codes in the address, never a value of the file).

use crate::api::stats::{STATISTICS_PAGE, import_info};
use crate::components::feedback::FormFeedback;
use crate::components::messages::ErrorMessage;
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Where the upload form posts.
pub const UPLOAD: &str = "/admin/import/fil";

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let info = OnceResource::new(import_info());
    view! {
        <PageTitle text=t_string!(i18n, import_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, import_title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(districts) => view! { <Import districts/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error page=true/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One problem of a refused file, in words: `line.column.code` as the upload route wrote it.
fn problem_text(carried: &str) -> Option<String> {
    let i18n = use_i18n();
    let mut parts = carried.splitn(3, '.');
    let line: u64 = parts.next()?.parse().ok()?;
    let column = parts.next()?;
    let code = parts.next()?;
    let what = match code {
        "empty" => t_string!(i18n, import_p_empty).to_string(),
        "too_large" => t_string!(i18n, import_p_too_large).to_string(),
        "header" => t_string!(i18n, import_p_header).to_string(),
        "field_count" => t_string!(i18n, import_p_field_count).to_string(),
        "not_utf8" => t_string!(i18n, import_p_not_utf8).to_string(),
        "unreadable" => t_string!(i18n, import_p_unreadable).to_string(),
        "person_key" => t_string!(i18n, import_p_person_key).to_string(),
        "gender" => t_string!(i18n, import_p_gender).to_string(),
        "birth_year" => t_string!(i18n, import_p_birth_year).to_string(),
        "date" => t_string!(i18n, import_p_date).to_string(),
        "future" => t_string!(i18n, import_p_future).to_string(),
        "move_out_before_arrival" => t_string!(i18n, import_p_move_out_before_arrival).to_string(),
        "children" => t_string!(i18n, import_p_children).to_string(),
        "referral" => t_string!(i18n, import_p_referral).to_string(),
        "outcome" => t_string!(i18n, import_p_outcome).to_string(),
        "district" => t_string!(i18n, import_p_district).to_string(),
        "overlap_imported" => t_string!(i18n, import_p_overlap_imported).to_string(),
        other => {
            let with: u64 = other.strip_prefix("overlap_")?.parse().ok()?;
            t_string!(i18n, import_p_overlap, line = with).to_string()
        }
    };
    let column = match column {
        "-" => None,
        c if crate::domain::stats::IMPORT_COLUMNS.contains(&c) => Some(c),
        _ => return None,
    };
    Some(match column {
        Some(column) => t_string!(
            i18n,
            import_line_column,
            line = line,
            column = column,
            what = what
        )
        .to_string(),
        None => t_string!(i18n, import_line, line = line, what = what).to_string(),
    })
}

#[component]
fn Import(districts: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map().get_untracked();
    let added = query.get("lagt_til").and_then(|n| n.parse::<u64>().ok());
    let known = query
        .get("kjent")
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0);
    let refused = query.get("avvist").and_then(|n| n.parse::<u64>().ok());
    let problems: Vec<String> = query
        .get_all("p")
        .unwrap_or_default()
        .iter()
        .filter_map(|p| problem_text(p))
        .collect();
    let outcome = match (added, refused) {
        (Some(0), _) => Some(view! {
            <div class="ds-alert" data-color="info" role="status">
                <p class="ds-paragraph">{t!(i18n, import_nothing_added, known = known)}</p>
            </div>
        }.into_any()),
        (Some(added), _) => Some(view! {
            <div class="ds-alert" data-color="success" role="status">
                <p class="ds-paragraph">{t!(i18n, import_added, added = added, known = known)}</p>
                <p class="ds-paragraph"><a class="ds-link" href=STATISTICS_PAGE>{t!(i18n, import_to_statistics)}</a></p>
            </div>
        }.into_any()),
        (None, Some(total)) => {
            let shown = problems.len() as u64;
            Some(view! {
                <div class="ds-error-summary" role="alert" tabindex="-1" id="import-problems">
                    <h2 class="ds-heading" data-size="xs">{t!(i18n, import_refused, total = total)}</h2>
                    <ul class="ds-list">
                        {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                    {(total > shown).then(|| view! { <p class="ds-paragraph">{t!(i18n, import_more, more = total - shown)}</p> })}
                </div>
            }.into_any())
        }
        (None, None) => None,
    };
    let file_refused = query.get("felt").as_deref() == Some("import_file");
    view! {
        <p class="ds-paragraph lead">{t!(i18n, import_intro)}</p>
        <FormFeedback/>
        {outcome}
        <form class="form" method="post" action=UPLOAD enctype="multipart/form-data">
            <div class="ds-field">
                <label class="ds-label" for="import-file">{t!(i18n, import_file)}</label>
                <p class="ds-paragraph" data-size="sm" id="import-file-help">{t!(i18n, import_file_help)}</p>
                <input class="ds-input" type="file" id="import-file" name="file" accept=".csv,text/csv" required
                    aria-invalid=file_refused.then_some("true")
                    aria-describedby=if file_refused { "import-file-help feil-import_file" } else { "import-file-help" }/>
                {file_refused.then(|| view! {
                    <p class="ds-validation-message" data-color="danger" id="feil-import_file">{t!(i18n, why_import_file)}</p>
                })}
            </div>
            <button class="ds-button" type="submit">{t!(i18n, import_submit)}</button>
        </form>
        <section aria-labelledby="import-format">
            <h2 class="ds-heading" data-size="md" id="import-format">{t!(i18n, import_format_title)}</h2>
            <p class="ds-paragraph"><code>"person_key,gender,birth_year,arrival,move_out,children,referral,outcome,home_district"</code></p>
            <ul class="ds-list">
                <li><code>"person_key"</code> ": " {t!(i18n, import_format_person_key)}</li>
                <li><code>"gender"</code> ": " <code>"female, male, other, unknown"</code></li>
                <li><code>"birth_year"</code> ": " {t!(i18n, import_format_birth_year)}</li>
                <li><code>"arrival, move_out"</code> ": " {t!(i18n, import_format_dates)}</li>
                <li><code>"children"</code> ": " {t!(i18n, import_format_children)}</li>
                <li><code>"referral"</code> ": " <code>"police, child_welfare, emergency_services, self, nav, other"</code></li>
                <li><code>"outcome"</code> ": " <code>"abuser, own_home, new_home, temporary_public, temporary_private, other"</code></li>
                <li><code>"home_district"</code> ": " {t!(i18n, import_format_district)} " " <code>{districts.join(", ")}</code></li>
            </ul>
            <p class="ds-paragraph">{t!(i18n, import_format_rules)}</p>
        </section>
    }
}
