//! Services: one use case per function. Writes run in one `BEGIN IMMEDIATE` transaction.

pub mod directory;
