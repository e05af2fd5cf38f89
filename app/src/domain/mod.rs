//! Shared domain types: no I/O, compiled for both the server and the browser, so a form and the
//! server run the same checks.

pub mod directory;
pub mod error;
pub mod text;

pub use directory::*;
pub use error::{AppError, ErrorCode};
