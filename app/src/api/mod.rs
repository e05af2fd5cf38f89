//! Server functions: public HTTP endpoints under `/api/`, each with a stable name. Each one gets
//! the state, authorizes (from the access issue on), parses its input, calls one service
//! function and maps the error. Nothing else.

pub mod directory;
#[cfg(feature = "ssr")]
pub mod guard;

/// Every server function's endpoint, as served under `/api/`. The router test checks that this
/// list and the registered server functions agree, so that a new one cannot slip in unlisted.
pub const ENDPOINTS: &[&str] = &[directory::LIST_DISTRICTS, directory::GET_DISTRICT];
