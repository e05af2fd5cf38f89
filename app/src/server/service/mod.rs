//! Services: one use case per function. Writes run in one `BEGIN IMMEDIATE` transaction that also
//! holds their access-log row.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod compliance;
pub mod deviations;
pub mod directory;
pub mod findings;
pub mod imports;
pub mod internal_control;
pub mod notify;
pub mod plans;
pub mod routines;
pub mod second_factor;
pub mod stats;
