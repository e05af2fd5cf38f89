//! The application's one error type, with stable codes. The browser gets the code and a
//! translated message; the detail stays in the server log.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable error codes. They are part of the API: never renumber or rename one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The thing asked for does not exist (or the caller may not know that it does).
    NotFound,
    /// The input did not parse; the message says which field.
    InvalidInput,
    /// The thing to create exists already (e.g. a district name that is taken).
    Conflict,
    /// The database or another dependency failed; details are in the server log.
    Unavailable,
    /// A server-function call that did not reach our code (bad encoding, unknown endpoint).
    Request,
}

impl ErrorCode {
    /// The code as it appears in responses and logs, e.g. `E-NOT-FOUND`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "E-NOT-FOUND",
            ErrorCode::InvalidInput => "E-INVALID-INPUT",
            ErrorCode::Conflict => "E-CONFLICT",
            ErrorCode::Unavailable => "E-UNAVAILABLE",
            ErrorCode::Request => "E-REQUEST",
        }
    }
}

/// An error as the browser sees it: a code, and for invalid input the field that was wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppError {
    pub code: ErrorCode,
    /// For `InvalidInput`: the name of the field that failed to parse. Never user data.
    pub field: Option<String>,
}

impl AppError {
    pub fn not_found() -> Self {
        AppError {
            code: ErrorCode::NotFound,
            field: None,
        }
    }

    pub fn invalid(field: &str) -> Self {
        AppError {
            code: ErrorCode::InvalidInput,
            field: Some(field.to_owned()),
        }
    }

    pub fn unavailable() -> Self {
        AppError {
            code: ErrorCode::Unavailable,
            field: None,
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{} ({field})", self.code.as_str()),
            None => f.write_str(self.code.as_str()),
        }
    }
}

impl std::error::Error for AppError {}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(_value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        // The transport detail may echo request data; it is not passed on.
        AppError {
            code: ErrorCode::Request,
            field: None,
        }
    }
}
