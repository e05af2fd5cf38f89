//! View code shared by pages. No SQL, no rules.

pub mod dates;
pub mod directory_forms;
pub mod district_filter;
pub mod feedback;
pub mod hydration;
pub mod kept;
pub mod labels;
pub mod layout;
pub mod messages;
pub mod tasks;
