//! The stylesheet link and the hydration scripts in every page's `<head>`, exactly as Leptos's
//! `HashedStylesheet` and `HydrationScripts` render them, but made once per process.
//!
//! Those two components look for the build's hash file and read it from disk on every page view
//! (`current_exe`, a `stat`, an open and a read each). The server fingerprints its files once, when
//! it builds its router, so the fragment is rendered then, with a nonce of its own, and each page
//! puts its own nonce in its place. A unit test compares the result with the components' own
//! output.

use leptos::config::LeptosOptions;
use leptos::hydration::HydrationScripts;
use leptos::nonce::{provide_nonce, use_nonce};
use leptos::prelude::*;
use leptos::tachys::html::InertElement;
use leptos_meta::HashedStylesheet;
use std::sync::Arc;

/// The fragment made once: its HTML, and the nonce it was made with (`None`: made without one).
struct Fragment {
    html: String,
    nonce: Option<String>,
}

/// The fragment for one site's options, with a nonce and without, made when the router is built
/// and handed to every page through the context.
#[derive(Clone)]
pub struct HeadAssets(Arc<[Fragment; 2]>);

impl HeadAssets {
    pub fn new(options: &LeptosOptions) -> HeadAssets {
        HeadAssets(Arc::new([render(options, true), render(options, false)]))
    }
}

/// What Leptos renders for the page's stylesheet and islands, in a fresh owner of its own.
fn render(options: &LeptosOptions, with_nonce: bool) -> Fragment {
    Owner::new().with(|| {
        if with_nonce {
            provide_nonce();
        }
        let nonce = use_nonce().map(|n| n.to_string());
        let html = view! {
            <HashedStylesheet options=options.clone()/>
            <HydrationScripts options=options.clone() islands=true/>
        }
        .to_html();
        Fragment { html, nonce }
    })
}

/// The `<head>` assets for this request, with the request's nonce (if it has one), from the
/// [`HeadAssets`] in the context (made afresh when there is none). Like `HydrationScripts` in
/// islands mode, tells the shared context that the page is not hydrated as a whole (only its
/// islands are).
pub fn head_assets(options: &LeptosOptions) -> InertElement {
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let made = use_context::<HeadAssets>().unwrap_or_else(|| HeadAssets::new(options));
    let [with_nonce, without] = &*made.0;
    let html = match (use_nonce(), &with_nonce.nonce) {
        (Some(nonce), Some(placeholder)) => with_nonce
            .html
            .replace(placeholder.as_str(), &nonce.to_string()),
        _ => without.html.clone(),
    };
    InertElement::new(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leptos_own(options: &LeptosOptions) -> String {
        view! {
            <HashedStylesheet options=options.clone()/>
            <HydrationScripts options=options.clone() islands=true/>
        }
        .to_html()
    }

    #[test]
    fn the_fragment_is_what_leptos_renders_with_each_pages_nonce() {
        let options = LeptosOptions::builder().output_name("portal").build();
        let made = HeadAssets::new(&options);
        for provided in [true, false] {
            Owner::new().with(|| {
                if provided {
                    provide_context(made.clone());
                }
                provide_nonce();
                let nonce = use_nonce().unwrap().to_string();
                let ours = head_assets(&options).to_html();
                assert!(ours.contains(&format!("nonce=\"{nonce}\"")), "{ours}");
                assert_eq!(ours, leptos_own(&options));
            });
        }
        Owner::new().with(|| {
            let ours = head_assets(&options).to_html();
            assert!(!ours.contains("nonce="), "{ours}");
            assert_eq!(ours, leptos_own(&options));
        });
    }
}
