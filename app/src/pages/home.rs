//! `/`: the starting point of each role. Caseworkers and crisis center staff see the counts of
//! their open tasks (overdue, due soon, taken by them), each a link to that view of the inbox;
//! staff also the plans and the intake; reviewers and administrators their own entry points; a
//! district manager their district's internal control and compliance figures.
//! Everyone finds the directory.

use crate::api::tasks::read_inbox_counts;
use crate::domain::Role;
use crate::domain::inbox::InboxCounts;
use crate::i18n::*;
use crate::pages::PageTitle;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    let role = crate::server::session::current_user().map(|u| u.actor.role);
    #[cfg(not(feature = "ssr"))]
    let role: Option<Role> = None;
    let works = matches!(role, Some(Role::Caseworker | Role::CrisisCenter));
    let reviews = matches!(role, Some(Role::Reviewer | Role::Admin));
    let counts = works.then(|| OnceResource::new(read_inbox_counts()));
    let manages = (role == Some(Role::DistrictManager))
        .then(|| OnceResource::new(crate::api::internal_control::read_own_district()));
    view! {
        <PageTitle text=t_string!(i18n, nav_home).to_string()/>
        <h1 class="ds-heading" data-size="lg">{t!(i18n, home_title)}</h1>
        <p class="ds-paragraph lead">{t!(i18n, home_intro)}</p>
        <div class="cards">
            {counts.map(|counts| view! {
                <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                    {move || Suspend::new(async move {
                        counts.await.ok().map(|counts| view! { <MyTasks counts/> })
                    })}
                </Suspense>
            })}
            {(role == Some(Role::Caseworker)).then(|| view! { <crate::pages::findings::HomeFindingSteps/> })}
            {manages.map(|district| view! {
                <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                    {move || Suspend::new(async move {
                        district.await.ok().flatten().map(|(slug, name)| view! { <ManagedDistrict slug name/> })
                    })}
                </Suspense>
            })}
            {(role == Some(Role::CrisisCenter)).then(|| view! {
                <section class="ds-card" aria-labelledby="home-plans">
                    <h2 class="ds-heading" data-size="sm" id="home-plans">{t!(i18n, nav_plans)}</h2>
                    <p class="ds-paragraph">{t!(i18n, home_plans_text)}</p>
                    <ul class="ds-list">
                        <li><a class="ds-link" href="/planer">{t!(i18n, home_plans_link)}</a></li>
                        <li><a class="ds-link" href="/planer/ny">{t!(i18n, plans_new)}</a></li>
                    </ul>
                </section>
            })}
            {reviews.then(|| view! {
                <section class="ds-card" aria-labelledby="home-compliance">
                    <h2 class="ds-heading" data-size="sm" id="home-compliance">{t!(i18n, compliance_title)}</h2>
                    <p class="ds-paragraph">{t!(i18n, compliance_intro)}</p>
                    <ul class="ds-list">
                        <li><a class="ds-link" href="/kontroll">{t!(i18n, home_compliance_link)}</a></li>
                        <li><a class="ds-link" href="/avvik">{t!(i18n, deviations_title)}</a></li>
                    </ul>
                </section>
            })}
            {(role == Some(Role::Admin)).then(|| view! {
                <section class="ds-card" aria-labelledby="home-admin">
                    <h2 class="ds-heading" data-size="sm" id="home-admin">{t!(i18n, home_admin_title)}</h2>
                    <ul class="ds-list">
                        <li><a class="ds-link" href="/admin/brukere">{t!(i18n, users_title)}</a></li>
                        <li><a class="ds-link" href="/admin/rutiner">{t!(i18n, routines_title)}</a></li>
                        <li><a class="ds-link" href="/admin/logg">{t!(i18n, log_title)}</a></li>
                        <li><a class="ds-link" href="/admin/utsendinger">{t!(i18n, outbox_title)}</a></li>
                    </ul>
                </section>
            })}
            <section class="ds-card" aria-labelledby="home-directory">
                <h2 class="ds-heading" data-size="sm" id="home-directory">{t!(i18n, home_directory_title)}</h2>
                <p class="ds-paragraph">{t!(i18n, home_directory_text)}</p>
                <p><a class="ds-link" href="/bydeler">{t!(i18n, home_directory_link)}</a></p>
            </section>
        </div>
    }
}

/// A district manager's district: its internal-control documents and its compliance figures.
#[component]
fn ManagedDistrict(slug: String, name: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="ds-card" aria-labelledby="home-district">
            <h2 class="ds-heading" data-size="sm" id="home-district">{name}</h2>
            <p class="ds-paragraph">{t!(i18n, home_manager_text)}</p>
            <ul class="ds-list">
                <li><a class="ds-link" href=crate::api::internal_control::district_control_page(&slug)>{t!(i18n, home_manager_control)}</a></li>
                <li><a class="ds-link" href=format!("/kontroll/{slug}")>{t!(i18n, home_manager_compliance)}</a></li>
            </ul>
        </section>
    }
}

/// The caller's open tasks in four counts, each a link to that view of the inbox.
#[component]
fn MyTasks(counts: InboxCounts) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="ds-card" aria-labelledby="home-tasks">
            <h2 class="ds-heading" data-size="sm" id="home-tasks">{t!(i18n, home_tasks_title)}</h2>
            <ul class="ds-list home-counts">
                <li><a class="ds-link" href="/oppgaver?frist=forfalt">{t!(i18n, home_tasks_overdue, n = counts.overdue)}</a></li>
                <li><a class="ds-link" href="/oppgaver?frist=snart">{t!(i18n, home_tasks_due_soon, n = counts.due_soon)}</a></li>
                <li><a class="ds-link" href="/oppgaver?vis=mine">{t!(i18n, home_tasks_mine, n = counts.mine)}</a></li>
                <li><a class="ds-link" href="/oppgaver">{t!(i18n, home_tasks_open, n = counts.open)}</a></li>
            </ul>
        </section>
    }
}
