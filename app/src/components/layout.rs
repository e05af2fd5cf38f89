//! The page frame: skip link, header with product name, navigation and language switch, the main
//! landmark, and the footer.

use crate::components::hydration::HydrationMarker;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let path = location.pathname.get_untracked();
    let search = location.search.get_untracked();
    let return_to = if search.is_empty() {
        path.clone()
    } else {
        format!("{path}?{search}")
    };
    let (other_locale, other_lang) = match i18n.get_locale_untracked() {
        Locale::nb => ("en", "en"),
        Locale::en => ("nb", "nb"),
    };
    #[cfg(feature = "ssr")]
    let signed_in = crate::server::session::current_user();
    #[cfg(feature = "ssr")]
    let (signed_in_name, is_admin, is_staff, has_inbox, reviews) = {
        use crate::domain::{Action, Role, Target, permits};
        let actor = signed_in.as_ref().map(|u| &u.actor);
        (
            signed_in.as_ref().map(|u| u.name.clone()),
            permits(actor, Action::ManageUsers, Target::Global),
            permits(actor, Action::ManagePlans, Target::Global),
            actor.is_some_and(|a| {
                a.role == Role::CrisisCenter || (a.role == Role::Caseworker && a.unit.is_some())
            }),
            permits(actor, Action::ReadCompliance, Target::Global),
        )
    };
    #[cfg(not(feature = "ssr"))]
    let (signed_in_name, is_admin, is_staff, has_inbox, reviews): (
        Option<String>,
        bool,
        bool,
        bool,
        bool,
    ) = (None, false, false, false, false);
    let show_nav = signed_in_name.is_some();
    // A print view (a district's report for the internal-control report) is the page alone: no
    // header, navigation or footer.
    if is_print_view(&path) {
        return view! {
            <main id="main" tabindex="-1" class="site-main site-main--print">
                {children()}
            </main>
        }
        .into_any();
    }
    let current = |href: &'static str| {
        let active = if href == "/" {
            path == "/"
        } else {
            path == href || path.starts_with(&format!("{href}/"))
        };
        active.then_some("page")
    };
    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="site-header__brand" href="/">
                    <span class="site-header__name">{t!(i18n, app_name)}</span>
                    <span class="site-header__tagline">{t!(i18n, app_tagline)}</span>
                </a>
                <nav class="site-nav" aria-label=t_string!(i18n, nav_label).to_string()>
                    <ul>
                        <li><a href="/" aria-current=current("/")>{t!(i18n, nav_home)}</a></li>
                        {is_staff.then(|| view! {
                            <li><a href="/planer" aria-current=current("/planer")>{t!(i18n, nav_plans)}</a></li>
                        })}
                        {has_inbox.then(|| view! {
                            <li><a href="/oppgaver" aria-current=current("/oppgaver")>{t!(i18n, nav_tasks)}</a></li>
                        })}
                        {show_nav.then(|| view! {
                            <li><a href="/bydeler" aria-current=current("/bydeler")>{t!(i18n, nav_districts)}</a></li>
                        })}
                        {reviews.then(|| view! {
                            <li><a href="/kontroll" aria-current=current("/kontroll")>{t!(i18n, nav_compliance)}</a></li>
                        })}
                        {(has_inbox || reviews).then(|| view! {
                            <li><a href="/avvik" aria-current=current("/avvik")>{t!(i18n, nav_deviations)}</a></li>
                        })}
                        {(is_staff || is_admin).then(|| view! {
                            <li><a href="/statistikk" aria-current=current("/statistikk")>{t!(i18n, nav_statistics)}</a></li>
                        })}
                        {is_admin.then(|| view! {
                            <li><a href="/admin/brukere" aria-current=current("/admin/brukere")>{t!(i18n, nav_admin_users)}</a></li>
                            <li><a href="/admin/logg" aria-current=current("/admin/logg")>{t!(i18n, nav_admin_log)}</a></li>
                            <li><a href="/admin/rutiner" aria-current=current("/admin/rutiner")>{t!(i18n, nav_admin_routines)}</a></li>
                            <li><a href="/admin/utsendinger" aria-current=current("/admin/utsendinger")>{t!(i18n, nav_admin_outbox)}</a></li>
                        })}
                    </ul>
                </nav>
                {signed_in_name.map_or_else(
                    || view! {
                        <a class="site-header__account" href="/logg-inn" aria-current=current("/logg-inn")>{t!(i18n, nav_sign_in)}</a>
                    }.into_any(),
                    |name| view! {
                        <form class="site-header__account" method="post" action="/utlogging">
                            <span class="site-header__user">{t!(i18n, signed_in_as)} " " {name}</span>
                            <a class="site-header__link" href="/konto" aria-current=current("/konto")>{t!(i18n, nav_account)}</a>
                            <button type="submit" class="ds-button" data-variant="tertiary">{t!(i18n, sign_out)}</button>
                        </form>
                    }.into_any(),
                )}
                <form class="lang-switch" method="post" action="/sprak">
                    <input type="hidden" name="lang" value=other_locale/>
                    <input type="hidden" name="return_to" value=return_to/>
                    <button type="submit" class="ds-button" data-variant="tertiary" lang=other_lang>
                        {t!(i18n, language_switch)}
                    </button>
                </form>
            </div>
        </header>
        <main id="main" tabindex="-1" class="site-main">
            {children()}
        </main>
        <footer class="site-footer">
            <p>{t!(i18n, footer_text)}</p>
            <HydrationMarker/>
        </footer>
    }
    .into_any()
}

/// Whether `path` is a print view (`/kontroll/<district>/utskrift`).
fn is_print_view(path: &str) -> bool {
    path.strip_prefix("/kontroll/")
        .and_then(|rest| rest.strip_suffix("/utskrift"))
        .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::is_print_view;

    #[test]
    fn only_a_districts_compliance_printout_is_a_print_view() {
        assert!(is_print_view("/kontroll/alna/utskrift"));
        for path in [
            "/kontroll/utskrift",
            "/kontroll//utskrift",
            "/kontroll/alna",
            "/kontroll/alna/x/utskrift",
            "/planer/1/utskrift",
        ] {
            assert!(!is_print_view(path), "{path}");
        }
    }
}
