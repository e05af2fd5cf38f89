//! The HTML shell, the router and the locale of the request.

use crate::components::layout::Layout;
use crate::components::messages::RequirePermission;
use crate::domain::Action;
use crate::i18n::Locale;
use crate::pages::{
    account::{AccountPage, ChangePasswordPage},
    admin_log::AccessLogPage,
    admin_outbox::OutboxPage,
    admin_routines::RoutinesPage,
    admin_users::{EditUserPage, NewUserPage, UsersPage},
    compliance::{CompliancePage, DistrictCompliancePage},
    deviations::{DeviationPage, DeviationsPage},
    district::DistrictPage,
    districts::DistrictsPage,
    home::HomePage,
    internal_control::{ControlMatrixPage, DistrictControlPage},
    not_found::NotFound,
    plans::{NewPlanPage, PlanPage, PlansPage},
    second_factor::{CodePage, SecondFactorPage},
    sign_in::SignInPage,
    tasks::{BoardPage, TaskPage, TasksPage},
};
use leptos::prelude::*;
use leptos_i18n::{I18nContext, Locale as _};
#[cfg(not(feature = "ssr"))]
use leptos_meta::HashedStylesheet;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// The cookie that remembers the chosen language (`nb` or `en`). Set by `POST /sprak`.
pub const LOCALE_COOKIE: &str = "lang";

/// The whole HTML document. Rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = request_locale();
    #[cfg(feature = "ssr")]
    crate::server::security::set_html_headers(use_nonce().as_deref());
    // The stylesheet and the islands' scripts, as Leptos renders them, but made once.
    #[cfg(feature = "ssr")]
    let assets = crate::server::head::head_assets(&options);
    #[cfg(not(feature = "ssr"))]
    let assets = view! {
        <HashedStylesheet options=options.clone()/>
        <HydrationScripts options islands=true/>
    };
    view! {
        <!DOCTYPE html>
        <html lang=locale.as_str()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                {assets}
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: the i18n context for the request's locale, the layout and the routes.
/// Every route renders completely before the response starts (`SsrMode::Async`), so the status
/// code and headers reflect the page's data (a missing district answers 404).
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n: I18nContext<Locale> =
        leptos_i18n::context::init_i18n_subcontext(Some(Signal::stored(request_locale())));
    provide_context(i18n);
    view! {
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/bydeler") view=DistrictsPage ssr=SsrMode::Async/>
                    <Route path=path!("/bydeler/:slug") view=DistrictPage ssr=SsrMode::Async/>
                    <Route path=path!("/bydeler/:slug/frister") view=BoardPage ssr=SsrMode::Async/>
                    <Route path=path!("/planer") ssr=SsrMode::Async
                        view=|| view! { <RequirePermission action=Action::ManagePlans><PlansPage/></RequirePermission> }/>
                    <Route path=path!("/planer/ny") ssr=SsrMode::Async
                        view=|| view! { <RequirePermission action=Action::ManagePlans><NewPlanPage/></RequirePermission> }/>
                    <Route path=path!("/planer/:id") view=PlanPage ssr=SsrMode::Async/>
                    <Route path=path!("/planer/:id/innsyn") view=crate::pages::insight::InsightPage ssr=SsrMode::Async/>
                    <Route path=path!("/oppgaver") view=TasksPage ssr=SsrMode::Async/>
                    <Route path=path!("/oppgaver/:id") view=TaskPage ssr=SsrMode::Async/>
                    <Route path=path!("/logg-inn") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/logg-inn/kode") view=CodePage ssr=SsrMode::Async/>
                    <Route path=path!("/konto") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/kontroll") ssr=SsrMode::Async
                        view=|| view! { <RequirePermission action=Action::ReadCompliance><CompliancePage/></RequirePermission> }/>
                    // A district's page is also its manager's: its server function decides.
                    <Route path=path!("/kontroll/:slug") ssr=SsrMode::Async
                        view=|| view! { <DistrictCompliancePage print=false/> }/>
                    <Route path=path!("/kontroll/:slug/utskrift") ssr=SsrMode::Async
                        view=|| view! { <DistrictCompliancePage print=true/> }/>
                    <Route path=path!("/internkontroll") ssr=SsrMode::Async
                        view=|| view! { <RequirePermission action=Action::ReadInternalControl><ControlMatrixPage/></RequirePermission> }/>
                    <Route path=path!("/internkontroll/:slug") view=DistrictControlPage ssr=SsrMode::Async/>
                    <Route path=path!("/avvik") view=DeviationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/statistikk") view=crate::pages::statistics::StatisticsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/import") view=crate::pages::admin_import::ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/avvik/:id") view=DeviationPage ssr=SsrMode::Async/>
                    <Route path=path!("/konto/passord") view=ChangePasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/konto/engangskode") view=SecondFactorPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/brukere") ssr=SsrMode::Async
                        view=|| view! { <RequirePermission action=Action::ManageUsers><UsersPage/></RequirePermission> }/>
                    <Route path=path!("/admin/brukere/ny") ssr=SsrMode::Async
                        view=|| view! { <RequirePermission action=Action::ManageUsers><NewUserPage/></RequirePermission> }/>
                    <Route path=path!("/admin/brukere/:id") ssr=SsrMode::Async
                        view=|| view! { <RequirePermission action=Action::ManageUsers><EditUserPage/></RequirePermission> }/>
                    <Route path=path!("/admin/logg") ssr=SsrMode::Async
                        view=|| view! { <RequirePermission action=Action::ReadAccessLog><AccessLogPage/></RequirePermission> }/>
                    <Route path=path!("/admin/utsendinger") ssr=SsrMode::Async
                        view=|| view! { <RequirePermission action=Action::ManageNotifications><OutboxPage/></RequirePermission> }/>
                    <Route path=path!("/admin/rutiner") ssr=SsrMode::Async
                        view=|| view! { <RequirePermission action=Action::ManageRoutines><RoutinesPage/></RequirePermission> }/>
                </Routes>
            </Layout>
        </Router>
    }
}

/// The locale of the current request: the `lang` cookie when it names a supported locale,
/// otherwise Norwegian bokmål. (The browser's Accept-Language is deliberately not used: the
/// portal is Norwegian first, and a page must not change language behind a person's back.)
pub fn request_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                locale_from_cookie_header(parts.headers.get(http::header::COOKIE)?.to_str().ok()?)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Locale::default()
    }
}

/// Finds the locale cookie in a `Cookie:` header.
#[cfg(any(feature = "ssr", test))]
pub fn locale_from_cookie_header(header: &str) -> Option<Locale> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LOCALE_COOKIE)
        .and_then(|(_, value)| value.trim().parse::<Locale>().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locale_comes_from_the_lang_cookie() {
        assert_eq!(
            locale_from_cookie_header("a=1; lang=en; b=2"),
            Some(Locale::en)
        );
        assert_eq!(locale_from_cookie_header("lang=nb"), Some(Locale::nb));
    }

    #[test]
    fn an_unknown_or_missing_locale_cookie_is_ignored() {
        assert_eq!(locale_from_cookie_header("lang=de"), None);
        assert_eq!(locale_from_cookie_header("xlang=en"), None);
        assert_eq!(locale_from_cookie_header(""), None);
    }

    #[test]
    fn norwegian_bokmal_is_the_default_locale() {
        assert_eq!(Locale::default(), Locale::nb);
    }
}
