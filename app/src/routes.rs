//! The portal's page paths, each from one function, so that a link and the router cannot
//! disagree. The router's patterns are in `app.rs`; the server functions' paths come from their
//! endpoint names through [`api`].

use std::fmt::Display;

/// The crisis center's plan list.
pub const PLANS: &str = "/planer";
/// The intake of a new stay.
pub const NEW_PLAN: &str = "/planer/ny";
/// The caller's inbox.
pub const TASKS: &str = "/oppgaver";

/// One plan's page.
pub fn plan(stay: impl Display) -> String {
    format!("/planer/{stay}")
}

/// The resident's insight: the printable page, and the same as a JSON file.
pub fn insight(stay: impl Display) -> String {
    format!("/planer/{stay}/innsyn")
}

pub fn insight_json(stay: impl Display) -> String {
    format!("/planer/{stay}/innsyn.json")
}

/// One task's page.
pub fn task(task: impl Display) -> String {
    format!("/oppgaver/{task}")
}

/// One district's page (its services and contacts).
pub fn district(slug: impl Display) -> String {
    format!("/bydeler/{slug}")
}

/// One district's board of deadline counts.
pub fn district_board(slug: impl Display) -> String {
    format!("/bydeler/{slug}/frister")
}

/// The path of a server function, from its endpoint name.
pub fn api(endpoint: &str) -> String {
    format!("/api/{endpoint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_the_routers_patterns() {
        assert_eq!(plan(42), "/planer/42");
        assert_eq!(task(7), "/oppgaver/7");
        assert_eq!(district("st-hanshaugen"), "/bydeler/st-hanshaugen");
        assert_eq!(district_board("alna"), "/bydeler/alna/frister");
        assert_eq!(api("plan_create"), "/api/plan_create");
    }
}
