//! The re-establishment portal: pages and islands (view code), server functions (`api`), shared
//! domain types (`domain`) and, behind the `ssr` feature, the server-only layers (`server`).
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;

mod app;
pub use app::{App, LOCALE_COOKIE, shell};

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

/// Entry point of the wasm bundle: hydrates the islands (and only the islands) of the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
