//! View code shared by pages. No SQL, no rules.

pub mod district_filter;
pub mod hydration;
pub mod layout;
pub mod messages;
