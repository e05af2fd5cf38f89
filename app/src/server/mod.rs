//! Server-only layers (feature `ssr`): database, repositories (SQL), services (use cases),
//! demo data and the application state handed to routes and server functions.

pub mod clock;
pub mod db;
pub mod demo;
pub mod device;
pub mod error;
pub mod head;
pub mod import;
pub mod notify;
pub mod password;
pub mod repo;
pub mod security;
pub mod service;
pub mod session;
pub mod state;
pub mod totp;

pub use clock::Clock;
pub use error::ServerError;
pub use state::{AppState, Settings};
