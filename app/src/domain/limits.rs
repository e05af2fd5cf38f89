//! The longest text each form field takes, in characters: the parsers refuse longer text and
//! the forms set it as `maxlength`, both from these constants, so the two cannot drift apart.

/// A resident's name (or alias).
pub const NAME: usize = 200;
/// The crisis center's own case reference.
pub const CASE_REFERENCE: usize = 64;
/// The resident's language.
pub const LANGUAGE: usize = 60;
/// Why a task does not apply, why a period was extended, why no exit meeting was held.
pub const REASON: usize = 1000;
/// Who granted an extension.
pub const GRANTED_BY: usize = 200;
/// A comment on a task.
pub const COMMENT: usize = 2000;
/// What was agreed at the exit meeting.
pub const SUMMARY: usize = 2000;
/// The note of a published routine version.
pub const NOTE: usize = 1000;
