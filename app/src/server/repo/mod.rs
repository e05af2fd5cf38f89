//! Repositories: SQL only. Each function takes `&mut SqliteConnection` so that the caller owns the
//! transaction; rows are converted to domain types here, and constraint violations become domain
//! errors here.

pub mod access_log;
pub mod calendar;
pub mod compliance;
pub mod deviations;
pub mod directory;
pub mod findings;
pub mod imports;
pub mod insight;
pub mod internal_control;
pub mod outbox;
pub mod plans;
pub mod residents;
pub mod routines;
pub mod stats;
pub mod users;
