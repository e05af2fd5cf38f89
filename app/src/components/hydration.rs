//! Proof that the wasm bundle runs: an island that marks `<html data-hydrated="true">` once it
//! has hydrated. End-to-end tests wait for it, so a broken bundle cannot pass silently (forms
//! would otherwise fall back to plain POSTs and look fine).

use leptos::prelude::*;

#[island]
pub fn HydrationMarker() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
