//! `/internkontroll`: every district × the documents an audit asks for, with the state in each
//! cell as text (the colour repeats it), for reviewers and administrators. `/internkontroll/:slug`:
//! one district's documents with dates, who adopted them and their history; administrators
//! record a status there (one form per document, behind a disclosure, kept as typed when refused).

use crate::api::internal_control::{
    ADD_CONTROL_DOCUMENT, CONTROL_PAGE, SAVE_CONTROL_DOCUMENT, district_control_page,
    document_file_path, read_control_matrix, read_district_control,
};
use crate::components::dates::date_label;
use crate::components::directory_forms::TextField;
use crate::components::feedback::FormFeedback;
use crate::components::kept::{FieldError, Typed};
use crate::components::messages::ErrorMessage;
use crate::domain::internal_control::{
    ControlMatrix, DistrictControl, DocumentEntry, DocumentState, DocumentStatus,
};
use crate::domain::plan::date_text;
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn english() -> bool {
    use_i18n().get_locale_untracked() == Locale::en
}

/// A state in words; the agreement's "adopted" reads as implemented.
fn state_label(state: DocumentState, agreement: bool) -> String {
    let i18n = use_i18n();
    match state {
        DocumentState::Missing => t_string!(i18n, control_state_missing),
        DocumentState::Draft => t_string!(i18n, control_state_draft),
        DocumentState::Adopted if agreement => t_string!(i18n, control_agreement_in_use),
        DocumentState::Adopted => t_string!(i18n, control_state_adopted),
        DocumentState::ReviewOverdue => t_string!(i18n, control_state_overdue),
    }
    .to_string()
}

fn status_label(status: DocumentStatus, agreement: bool) -> String {
    state_label(status.into(), agreement)
}

#[component]
pub fn ControlMatrixPage() -> impl IntoView {
    let i18n = use_i18n();
    let matrix = OnceResource::new(read_control_matrix());
    view! {
        <PageTitle text=t_string!(i18n, control_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, control_title)}</h1>
        <FormFeedback/>
        <p class="ds-paragraph">{t!(i18n, control_intro)}</p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match matrix.await {
                    Ok(matrix) => view! { <Matrix matrix/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error page=true/> }.into_any(),
                }
            })}
        </Suspense>
        <crate::pages::findings::OpenFindingsSection/>
        {crate::components::directory_forms::may(crate::domain::Action::EditInternalControl)
            .then(|| view! { <NewDocumentForm/> })}
    }
}

/// Administrators: a document added to the list every district answers for.
#[component]
fn NewDocumentForm() -> impl IntoView {
    let i18n = use_i18n();
    let t = Typed::of(&crate::routes::api(ADD_CONTROL_DOCUMENT), &[]);
    view! {
        <h2 class="ds-heading" data-size="md">{t!(i18n, control_list_title)}</h2>
        <p class="ds-paragraph">{t!(i18n, control_list_intro)}</p>
        <details class="editor" open=t.is_kept()>
            <summary>{t!(i18n, control_add_document)}</summary>
            <form class="form" method="post" action=crate::routes::api(ADD_CONTROL_DOCUMENT)>
                <TextField id="new-document-name-nb".into() name="name_nb" required=true label=t_string!(i18n, field_name_nb).to_string() typed=t.clone()/>
                <TextField id="new-document-name-en".into() name="name_en" required=true label=t_string!(i18n, field_name_en).to_string() typed=t.clone()/>
                <TextField id="new-document-slug".into() name="document_slug" required=true label=t_string!(i18n, field_document_slug).to_string() typed=t.clone()/>
                <p class="ds-paragraph" data-size="sm">{t!(i18n, control_slug_hint)}</p>
                <button class="ds-button" type="submit">{t!(i18n, control_add_document_save)}</button>
            </form>
        </details>
    }
}

#[component]
fn Matrix(matrix: ControlMatrix) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let headers = matrix
        .documents
        .iter()
        .map(|d| view! { <th scope="col" class="control-doc">{d.name(en).to_owned()}</th> })
        .collect_view();
    let agreements: Vec<bool> = matrix.documents.iter().map(|d| d.agreement).collect();
    let rows = matrix
        .rows
        .into_iter()
        .map(|row| {
            let cells = row
                .states
                .iter()
                .zip(&agreements)
                .map(|(state, agreement)| {
                    view! { <td class=format!("control-cell {}", state.class())>{state_label(*state, *agreement)}</td> }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row"><a class="ds-link" href=district_control_page(&row.slug)>{row.name}</a></th>
                    <td class="num">{row.counts.adopted}</td>
                    <td class="num">{row.counts.missing}</td>
                    <td class="num">{row.counts.review_overdue}</td>
                    <td class="num">{row.findings.open}</td>
                    <td class="num">{row.findings.overdue_steps}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="ds-paragraph" data-size="sm">{t!(i18n, control_legend)}</p>
        <div class="table-scroll" role="region" aria-labelledby="control-caption" tabindex="0">
            <table class="ds-table control-matrix" data-size="sm">
                <caption id="control-caption">{t!(i18n, control_matrix_caption)} " " {date_label(matrix.today)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, control_col_district)}</th>
                        <th scope="col">{t!(i18n, control_col_adopted)}</th>
                        <th scope="col">{t!(i18n, control_col_missing)}</th>
                        <th scope="col">{t!(i18n, control_col_overdue)}</th>
                        <th scope="col">{t!(i18n, control_col_open_findings)}</th>
                        <th scope="col">{t!(i18n, control_col_overdue_steps)}</th>
                        {headers}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
pub fn DistrictControlPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let page = OnceResource::new(read_district_control(slug));
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <District page/> }.into_any(),
                    Err(error) => view! {
                        <PageTitle text=t_string!(i18n, control_district_title).to_string()/>
                        <ErrorMessage error page=true/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn District(page: DistrictControl) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let title = format!(
        "{} – {}",
        t_string!(i18n, control_district_title),
        page.name
    );
    let may_see_matrix =
        crate::components::directory_forms::may(crate::domain::Action::ReadInternalControl);
    let forms = page.may_edit.then(|| {
        let id = page.id.0.to_string();
        page.entries
            .iter()
            .map(|e| view! { <DocumentForm entry=e.clone() district=id.clone() slug=page.slug.clone()/> })
            .collect_view()
    });
    let history = if page.history.is_empty() {
        view! { <p class="ds-paragraph">{t!(i18n, control_history_none)}</p> }.into_any()
    } else {
        let names: Vec<(String, String, bool)> = page
            .entries
            .iter()
            .map(|e| {
                (
                    e.document.slug.clone(),
                    e.document.name(en).to_owned(),
                    e.document.agreement,
                )
            })
            .collect();
        let rows = page
            .history
            .iter()
            .map(|h| {
                let (name, agreement) = names
                    .iter()
                    .find(|(slug, _, _)| *slug == h.document)
                    .map_or((h.document.clone(), false), |(_, n, a)| (n.clone(), *a));
                view! {
                    <tr>
                        <td data-label=t_string!(i18n, control_col_when).to_string()>{h.at.clone()}</td>
                        <td data-label=t_string!(i18n, control_col_document).to_string()>{name}</td>
                        <td data-label=t_string!(i18n, control_col_status).to_string()>{match h.file_bytes {
                            Some(bytes) => t_string!(i18n, control_pdf_uploaded, size = pdf_size(bytes)).to_string(),
                            None => status_label(h.status, agreement),
                        }}</td>
                        <td data-label=t_string!(i18n, control_col_adopted_on).to_string()>{h.adopted_on.map(date_label)}</td>
                        <td data-label=t_string!(i18n, control_col_review_on).to_string()>{h.review_on.map(date_label)}</td>
                        <td data-label=t_string!(i18n, control_col_by).to_string()>{h.by.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="ds-table stack" data-size="sm">
                    <thead><tr>
                        <th scope="col">{t!(i18n, control_col_when)}</th>
                        <th scope="col">{t!(i18n, control_col_document)}</th>
                        <th scope="col">{t!(i18n, control_col_status)}</th>
                        <th scope="col">{t!(i18n, control_col_adopted_on)}</th>
                        <th scope="col">{t!(i18n, control_col_review_on)}</th>
                        <th scope="col">{t!(i18n, control_col_by)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <PageTitle text=title.clone()/>
        {may_see_matrix.then(|| view! {
            <p class="back-link"><a class="ds-link" href=CONTROL_PAGE>{t!(i18n, control_to_matrix)}</a></p>
        })}
        <h1 class="ds-heading" data-size="lg">{title}</h1>
        <FormFeedback/>
        <p class="ds-paragraph">{t!(i18n, control_district_intro)}</p>
        <DocumentsTable entries=page.entries.clone() today=page.today slug=page.slug.clone()/>
        {forms.map(|forms| view! {
            <h2 class="ds-heading" data-size="md">{t!(i18n, control_edit)}</h2>
            {forms}
        })}
        <crate::pages::findings::FindingsSection slug=page.slug.clone()/>
        <h2 class="ds-heading" data-size="md">{t!(i18n, control_history)}</h2>
        {history}
    }
}

/// A district's documents: status (in words, the colour repeating it), dates, who adopted them
/// and the link. Also in the district's compliance report and its print view.
#[component]
pub fn DocumentsTable(
    entries: Vec<DocumentEntry>,
    today: time::Date,
    slug: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let rows = entries
        .iter()
        .map(|e| {
            let agreement = e.document.agreement;
            view! {
                <tr>
                    <th scope="row" data-label=t_string!(i18n, control_col_document).to_string()>{e.document.name(en).to_owned()}</th>
                    <td data-label=t_string!(i18n, control_col_status).to_string() class=format!("control-cell {}", e.state.class())>{state_label(e.state, agreement)}</td>
                    <td data-label=t_string!(i18n, control_col_adopted_on).to_string()>{e.adopted_on.map(date_label)}</td>
                    <td data-label=t_string!(i18n, control_col_adopted_by).to_string()>{e.adopted_by.clone()}</td>
                    <td data-label=t_string!(i18n, control_col_review_on).to_string()>{e.review_on.map(date_label)}</td>
                    <td data-label=t_string!(i18n, control_col_link).to_string()>{e.link.clone().map(|link| view! {
                        <a class="ds-link" href=link rel="noopener noreferrer">{t!(i18n, control_open_link)}</a>
                    })}{e.file.clone().map(|file| view! {
                        " "
                        <a class="ds-link" href=document_file_path(&slug, &e.document.slug) download="">
                            {t!(i18n, control_pdf_link, size = pdf_size(file.bytes))}
                            <span class="ds-sr-only">": " {e.document.name(en).to_owned()}</span>
                        </a>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="ds-table stack control-documents" data-size="sm">
                <caption>{t!(i18n, control_matrix_caption)} " " {date_label(today)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, control_col_document)}</th>
                    <th scope="col">{t!(i18n, control_col_status)}</th>
                    <th scope="col">{t!(i18n, control_col_adopted_on)}</th>
                    <th scope="col">{t!(i18n, control_col_adopted_by)}</th>
                    <th scope="col">{t!(i18n, control_col_review_on)}</th>
                    <th scope="col">{t!(i18n, control_col_link)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// On the compliance pages, for those who may read internal control: a district's documents
/// (its report and print view; `print`: without the link to edit them).
#[component]
pub fn DistrictControlSection(slug: String, print: bool) -> impl IntoView {
    let i18n = use_i18n();
    // Those who read every district's, and those bound to a district (who read their own: the
    // server function decides, and a refusal shows nothing here).
    #[cfg(feature = "ssr")]
    let bound =
        crate::server::session::current_user().is_some_and(|u| u.actor.district().is_some());
    #[cfg(not(feature = "ssr"))]
    let bound = false;
    if !bound
        && !crate::components::directory_forms::may(crate::domain::Action::ReadInternalControl)
    {
        return ().into_any();
    }
    let page = OnceResource::new(read_district_control(slug.clone()));
    view! {
        <h2 class="ds-heading" data-size="md">{t!(i18n, control_district_title)}</h2>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! {
                            <DocumentsTable entries=page.entries today=page.today slug=slug.clone()/>
                            <crate::pages::findings::FindingsSection slug=slug.clone() print=true/>
                            {(!print).then(|| view! {
                                <p class="ds-paragraph print-hide"><a class="ds-link" href=district_control_page(&slug)>{t!(i18n, control_to_district)}</a></p>
                            })}
                        }.into_any(),
                        Err(error) if error.code == crate::domain::ErrorCode::Forbidden => ().into_any(),
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

/// On `/kontroll`, for those who may read internal control: each district's counts of the
/// audit's documents and its cooperation agreement's state (only the districts `only` names,
/// when it names any).
#[component]
pub fn ControlCountsSection(only: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    if !crate::components::directory_forms::may(crate::domain::Action::ReadInternalControl) {
        return ().into_any();
    }
    let matrix = OnceResource::new(read_control_matrix());
    view! {
        <h2 class="ds-heading" data-size="md">{t!(i18n, control_title)}</h2>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || {
                let only = only.clone();
                Suspend::new(async move {
                    match matrix.await {
                        Ok(matrix) => view! { <ControlCounts matrix only/> }.into_any(),
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
fn ControlCounts(matrix: ControlMatrix, only: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let agreement = matrix.documents.iter().position(|d| d.agreement);
    let rows = matrix
        .rows
        .into_iter()
        .filter(|r| only.is_empty() || only.contains(&r.slug))
        .map(|row| {
            let state = agreement.and_then(|i| row.states.get(i).copied());
            view! {
                <tr>
                    <th scope="row"><a class="ds-link" href=district_control_page(&row.slug)>{row.name}</a></th>
                    <td class="num">{row.counts.adopted}</td>
                    <td class="num">{row.counts.draft}</td>
                    <td class="num">{row.counts.missing}</td>
                    <td class="num">{row.counts.review_overdue}</td>
                    {state.map(|s| view! { <td class=format!("control-cell {}", s.class())>{state_label(s, true)}</td> })}
                    <td class="num">{row.findings.open}</td>
                    <td class="num">{row.findings.overdue_steps}</td>
                </tr>
            }
        })
        .collect_view();
    let agreement_header = agreement.map(|i| {
        let name = matrix.documents[i].name(english()).to_owned();
        view! { <th scope="col">{name}</th> }
    });
    view! {
        <div class="table-scroll">
            <table class="ds-table control-counts" data-size="sm">
                <caption>{t!(i18n, control_matrix_caption)} " " {date_label(matrix.today)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, control_col_district)}</th>
                    <th scope="col">{t!(i18n, control_col_adopted)}</th>
                    <th scope="col">{t!(i18n, control_state_draft)}</th>
                    <th scope="col">{t!(i18n, control_col_missing)}</th>
                    <th scope="col">{t!(i18n, control_col_overdue)}</th>
                    {agreement_header}
                    <th scope="col">{t!(i18n, control_col_open_findings)}</th>
                    <th scope="col">{t!(i18n, control_col_overdue_steps)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="ds-paragraph print-hide"><a class="ds-link" href=CONTROL_PAGE>{t!(i18n, control_to_matrix)}</a></p>
    }
}

/// An administrator's form for one document: the status (empty until chosen when nothing was
/// recorded yet), the dates, who adopted it and the link.
#[component]
fn DocumentForm(entry: DocumentEntry, district: String, slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let document = entry.document.slug.clone();
    let t = Typed::of(
        &crate::routes::api(SAVE_CONTROL_DOCUMENT),
        &[("district", &district), ("document", &document)],
    );
    let asked = use_query_map().with_untracked(|q| q.get("dokument")) == Some(document.clone());
    let upload = Typed::refused_field("file", asked);
    let open = t.is_kept() || asked;
    let slug_for_file = slug.clone();
    let prefix = format!("doc-{document}");
    let id = move |name: &str| format!("{prefix}-{name}");
    let recorded = (entry.version > 0).then_some(entry.status);
    let options = DocumentStatus::ALL
        .iter()
        .map(|&s| {
            let selected = t.selected("status", s.as_str(), recorded == Some(s));
            view! { <option value=s.as_str() selected=selected>{status_label(s, entry.document.agreement)}</option> }
        })
        .collect_view();
    let date_value = |d: Option<time::Date>| d.map(date_text).unwrap_or_default();
    view! {
        <details class="editor" open=open>
            <summary>{entry.document.name(en).to_owned()}</summary>
            <form class="form" method="post" action=crate::routes::api(SAVE_CONTROL_DOCUMENT)>
                <input type="hidden" name="district" value=district.clone()/>
                <input type="hidden" name="slug" value=slug/>
                <input type="hidden" name="document" value=document.clone()/>
                <input type="hidden" name="version" value=entry.version.to_string()/>
                <div class="ds-field">
                    <label class="ds-label" for=id("status")>{t!(i18n, field_status)}</label>
                    <select class="ds-input" id=id("status") name="status" required
                        aria-invalid=t.aria_invalid("status") aria-describedby=t.described_by("status", None)>
                        <option value="" selected=recorded.is_none() && !t.is_kept()>{t!(i18n, control_choose_status)}</option>
                        {options}
                    </select>
                    <FieldError typed=t.clone() name="status"/>
                </div>
                <TextField id=id("adopted_on") name="adopted_on" kind="date" label=t_string!(i18n, field_adopted_on).to_string() value=date_value(entry.adopted_on) typed=t.clone()/>
                <TextField id=id("adopted_by") name="adopted_by" label=t_string!(i18n, field_adopted_by).to_string() value=entry.adopted_by.clone().unwrap_or_default() typed=t.clone()/>
                <p class="ds-paragraph" data-size="sm">{t!(i18n, control_adopted_by_hint)}</p>
                <TextField id=id("review_on") name="review_on" kind="date" label=t_string!(i18n, field_review_on).to_string() value=date_value(entry.review_on) typed=t.clone()/>
                <p class="ds-paragraph" data-size="sm">{t!(i18n, control_review_hint)}</p>
                <TextField id=id("link") name="link" kind="url" label=t_string!(i18n, field_link).to_string() value=entry.link.clone().unwrap_or_default() typed=t.clone()/>
                <button class="ds-button" type="submit">{t!(i18n, control_save)}</button>
            </form>
            <form class="form" method="post" enctype="multipart/form-data" action=document_file_path(&slug_for_file, &document)>
                <div class="ds-field">
                    <label class="ds-label" for=id("file")>{t!(i18n, field_file)}</label>
                    <p class="ds-paragraph" data-size="sm" id=id("file-help")>{t!(i18n, control_pdf_help)}</p>
                    <input class="ds-input" id=id("file") name="file" type="file" accept="application/pdf,.pdf" required
                        aria-invalid=upload.aria_invalid("file") aria-describedby=upload.described_by("file", Some(&id("file-help")))/>
                    <FieldError typed=upload.clone() name="file"/>
                </div>
                <button class="ds-button" data-variant="secondary" type="submit">{t!(i18n, control_pdf_upload)}</button>
            </form>
        </details>
    }
}

/// A file's size in words: kilobytes under a megabyte, else megabytes with one decimal.
fn pdf_size(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} kB", (bytes + 1023) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
    }
}
