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
        #[cfg_attr(feature = "ssr", derive(::sqlx::Type))]
        #[cfg_attr(feature = "ssr", sqlx(transparent))]
        pub struct $name(pub i64);

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}
pub(crate) use id_newtype;

/// An enum stored as text (the values of a CHECK constraint in the migrations), with `ALL`,
/// `as_str` and `parse`; the same text is the form value.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize,
        )]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "ssr", derive(::sqlx::Type))]
        pub enum $name { $($(#[$vmeta])* #[cfg_attr(feature = "ssr", sqlx(rename = $text))] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored (and form) value; see the CHECK constraint in the migration.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Option<$name> {
                match raw { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

pub mod access;
pub mod audit;
pub mod compliance;
pub mod consent;
pub mod correction;
pub mod deadline;
pub mod deviation;
pub mod directory;
pub mod error;
pub mod export;
pub mod finding;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod inbox;
pub mod input;
pub mod insight;
pub mod internal_control;
pub mod limits;
pub mod notice;
pub mod plan;
pub mod plan_path;
pub mod plan_view;
pub mod reconcile;
pub mod routine;
pub mod stats;
pub mod text;

pub use access::*;
pub use audit::*;
pub use directory::*;
pub use error::{AppError, ErrorCode};
