//! `/admin/utsendinger`: the outbox for administrators: counts per state, what waits, what
//! failed (with a button that puts it back in the queue) and what went lately. Plain forms, so
//! it works without JavaScript. No personal data: kinds, units, states, times and errors.

use crate::api::directory::list_districts;
use crate::api::notify::{PAUSE_UNIT, RESUME_UNIT, RETRY_OUTBOX, read_outbox};
use crate::components::dates::timestamp_label;
use crate::components::feedback::FormFeedback;
use crate::components::labels::service_label;
use crate::components::messages::ErrorMessage;
use crate::domain::ServiceKind;
use crate::domain::notice::{Audience, NoticeKind, NoticeState, OutboxEntry, PausedUnit};
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;

fn kind_label(kind: NoticeKind) -> String {
    let i18n = use_i18n();
    match kind {
        NoticeKind::TaskAssigned => t_string!(i18n, notice_task_assigned),
        NoticeKind::TaskDueSoon => t_string!(i18n, notice_task_due_soon),
        NoticeKind::TaskOverdue => t_string!(i18n, notice_task_overdue),
        NoticeKind::TaskEscalated => t_string!(i18n, notice_task_escalated),
        NoticeKind::UnitDigest => t_string!(i18n, notice_unit_digest),
        NoticeKind::ExitMeetingInvitation => t_string!(i18n, notice_exit_meeting_invitation),
        NoticeKind::DeviationOpened => t_string!(i18n, notice_deviation_opened),
        NoticeKind::ControlReviewSoon => t_string!(i18n, notice_control_review_soon),
        NoticeKind::ControlReviewPassed => t_string!(i18n, notice_control_review_passed),
        NoticeKind::FindingStepDueSoon => t_string!(i18n, notice_finding_step_due_soon),
        NoticeKind::FindingStepOverdue => t_string!(i18n, notice_finding_step_overdue),
    }
    .to_string()
}

fn state_label(state: NoticeState) -> String {
    let i18n = use_i18n();
    match state {
        NoticeState::Pending => t_string!(i18n, notice_state_pending),
        NoticeState::Sent => t_string!(i18n, notice_state_sent),
        NoticeState::Failed => t_string!(i18n, notice_state_failed),
        NoticeState::Skipped => t_string!(i18n, notice_state_skipped),
    }
    .to_string()
}

fn audience_label(audience: Audience) -> String {
    let i18n = use_i18n();
    match audience {
        Audience::Unit => t_string!(i18n, notice_to_unit),
        Audience::Leader => t_string!(i18n, notice_to_leader),
        Audience::User => t_string!(i18n, notice_to_user),
    }
    .to_string()
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = OnceResource::new(read_outbox());
    let districts = OnceResource::new(list_districts());
    view! {
        <PageTitle text=t_string!(i18n, outbox_title).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, outbox_title)}</h1>
        <p class="ds-paragraph">{t!(i18n, outbox_intro)}</p>
        <FormFeedback/>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => {
                        let count = |state: NoticeState| {
                            overview.counts.iter().find(|(s, _)| *s == state).map_or(0, |(_, n)| *n)
                        };
                        let failed = count(NoticeState::Failed);
                        view! {
                            <dl class="outbox-counts">
                                {NoticeState::ALL.iter().map(|s| view! {
                                    <div><dt>{state_label(*s)}</dt><dd>{count(*s)}</dd></div>
                                }).collect_view()}
                            </dl>
                            {(failed > 0).then(|| view! {
                                <form class="form" method="post" action=crate::routes::api(RETRY_OUTBOX)>
                                    <button class="ds-button" type="submit">{t!(i18n, outbox_retry_all)}</button>
                                </form>
                            })}
                            <OutboxTable rows=overview.rows/>
                            <Pauses paused=overview.paused districts=districts.await.unwrap_or_default()/>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OutboxTable(rows: Vec<OutboxEntry>) -> impl IntoView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p class="ds-paragraph">{t!(i18n, outbox_empty)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="outbox-caption">
            <table class="ds-table outbox" data-border="true">
                <caption id="outbox-caption">{t!(i18n, outbox_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Id"</th>
                        <th scope="col">{t!(i18n, col_message)}</th>
                        <th scope="col">{t!(i18n, col_recipient)}</th>
                        <th scope="col">{t!(i18n, col_unit)}</th>
                        <th scope="col">{t!(i18n, col_status)}</th>
                        <th scope="col">{t!(i18n, col_tries)}</th>
                        <th scope="col">{t!(i18n, col_next_or_sent)}</th>
                        <th scope="col">{t!(i18n, col_last_error)}</th>
                        <th scope="col">{t!(i18n, col_actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let unit = match (r.district.as_deref(), r.service.as_deref().and_then(|s| ServiceKind::parse(s).ok())) {
                            (Some(d), Some(kind)) => format!("{}, {d}", service_label(kind)),
                            _ => "–".to_owned(),
                        };
                        let when = r.next_try_at.as_deref().or(r.sent_at.as_deref()).map_or_else(|| "–".into(), timestamp_label);
                        let retry = (r.state == NoticeState::Failed).then(|| {
                            let label = format!("{} ({})", t_string!(i18n, outbox_retry), r.id);
                            view! {
                                <form method="post" action=crate::routes::api(RETRY_OUTBOX)>
                                    <input type="hidden" name="id" value=r.id.to_string()/>
                                    <button class="ds-button" data-variant="secondary" data-size="sm" type="submit" aria-label=label>{t!(i18n, outbox_retry)}</button>
                                </form>
                            }
                        });
                        view! {
                            <tr>
                                <td>{r.id}</td>
                                <td>{kind_label(r.kind)}</td>
                                <td>{audience_label(r.audience)}</td>
                                <td>{unit}</td>
                                <td>{state_label(r.state)}</td>
                                <td>{r.attempts}</td>
                                <td>{when}</td>
                                <td>{r.last_error.unwrap_or_default()}</td>
                                <td>{retry}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }.into_any()
}

/// The paused units (each with a button to end its pause) and the form that pauses one.
#[component]
fn Pauses(
    paused: Vec<PausedUnit>,
    districts: Vec<crate::domain::DistrictSummary>,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = if paused.is_empty() {
        view! { <p class="ds-paragraph">{t!(i18n, pause_none)}</p> }.into_any()
    } else {
        view! {
            <ul>
                {paused.into_iter().map(|p| {
                    let unit = format!("{}, {}", service_label(p.service), p.district_name);
                    let label = format!("{}: {unit}", t_string!(i18n, pause_end));
                    let since = format!(
                        "{} {}{}. {}: {}",
                        t_string!(i18n, pause_since),
                        timestamp_label(&p.paused_at),
                        p.paused_by.map(|n| format!(" ({n})")).unwrap_or_default(),
                        t_string!(i18n, pause_waiting),
                        p.waiting
                    );
                    view! {
                        <li>
                            <strong>{unit}</strong> " " {since}
                            <form method="post" action=crate::routes::api(RESUME_UNIT)>
                                <input type="hidden" name="district" value=p.district.0.to_string()/>
                                <input type="hidden" name="service" value=p.service.as_str()/>
                                <button class="ds-button" data-variant="secondary" data-size="sm" type="submit" aria-label=label>{t!(i18n, pause_end)}</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="pause-heading">
            <h2 class="ds-heading" data-size="md" id="pause-heading">{t!(i18n, pause_heading)}</h2>
            <p class="ds-paragraph">{t!(i18n, pause_intro)}</p>
            {list}
            <form class="form pause-form" method="post" action=crate::routes::api(PAUSE_UNIT)>
                <div class="ds-field">
                    <label class="ds-label" for="pause-district">{t!(i18n, col_district)}</label>
                    <select class="ds-input" id="pause-district" name="district" required>
                        <option value="">{t!(i18n, choose)}</option>
                        {districts.into_iter().map(|d| view! { <option value=d.id.to_string()>{d.name}</option> }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="pause-service">{t!(i18n, field_service)}</label>
                    <select class="ds-input" id="pause-service" name="service" required>
                        <option value="">{t!(i18n, choose)}</option>
                        {ServiceKind::STANDARD.into_iter().map(|k| view! { <option value=k.as_str()>{service_label(k)}</option> }).collect_view()}
                    </select>
                </div>
                <button class="ds-button" type="submit">{t!(i18n, pause_start)}</button>
            </form>
        </section>
    }
}
