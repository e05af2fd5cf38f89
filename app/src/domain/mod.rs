//! Shared domain types: no I/O, compiled for both the server and the browser, so a form and the
//! server run the same checks.

/// A newtype around an `i64` primary key, so that ids of different tables cannot be mixed up.
macro_rules! id_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize, ::serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}
pub(crate) use id_newtype;

pub mod access;
pub mod audit;
pub mod deadline;
pub mod directory;
pub mod error;
pub mod plan;
pub mod routine;
pub mod text;

pub use access::*;
pub use audit::*;
pub use directory::*;
pub use error::{AppError, ErrorCode};
