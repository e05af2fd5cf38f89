//! Server-side errors. The detail is logged here; the browser only ever sees an [`AppError`].

use crate::domain::{AppError, ErrorCode, ParseError};

/// Everything that can go wrong below the API layer.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("not found")]
    NotFound,
    #[error("invalid input: {field}")]
    InvalidInput {
        field: &'static str,
        source: ParseError,
    },
    /// A rule of the path was not met (e.g. a move-out without an exit meeting or a reason);
    /// the field is the form field to fix.
    #[error("refused: {0}")]
    Field(&'static str),
    /// Someone else changed the object since the caller read it (optimistic version check).
    #[error("stale version")]
    Stale,
    #[error("conflict: {field} already exists")]
    Conflict { field: &'static str },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database check failed: {0}")]
    Pragma(String),
    /// The configuration cannot work (e.g. no host names to answer to).
    #[error("configuration: {0}")]
    Config(String),
    #[error("password hashing: {0}")]
    Crypto(String),
    /// Too much work is waiting (the password-hashing queue is full); try again shortly.
    #[error("busy")]
    Busy,
    /// The database cannot take writes now (its file is gone, replaced or unwritable, or a
    /// commit failed); nothing was stored.
    #[error("database unavailable: {0}")]
    Unavailable(&'static str),
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
}

impl ServerError {
    pub fn invalid(field: &'static str) -> impl FnOnce(ParseError) -> ServerError {
        move |source| ServerError::InvalidInput { field, source }
    }
}

impl From<ServerError> for AppError {
    fn from(err: ServerError) -> Self {
        match err {
            ServerError::NotFound => AppError::not_found(),
            ServerError::InvalidInput { field, .. } => AppError::invalid(field),
            ServerError::Field(field) => AppError::invalid(field),
            ServerError::Stale => AppError::new(ErrorCode::Stale),
            ServerError::Busy => AppError::unavailable(),
            ServerError::Conflict { field } => AppError {
                code: ErrorCode::Conflict,
                field: Some(field.to_owned()),
            },
            other => {
                // The database message can contain row data: it goes to the log, not the user.
                tracing::error!(error = %other, "request failed");
                AppError::unavailable()
            }
        }
    }
}
