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
    /// Not signed in (or the session has ended).
    Unauthorized,
    /// Signed in, but the role may not do this.
    Forbidden,
    /// Too many failed attempts; try again later.
    Throttled,
    /// Someone else saved the same thing first; reload and try again.
    Stale,
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
            ErrorCode::Unauthorized => "E-UNAUTHORIZED",
            ErrorCode::Forbidden => "E-FORBIDDEN",
            ErrorCode::Throttled => "E-THROTTLED",
            ErrorCode::Stale => "E-STALE",
        }
    }

    /// The HTTP status a server function answers with for this code.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::NotFound => 404,
            ErrorCode::InvalidInput | ErrorCode::Request => 400,
            ErrorCode::Conflict | ErrorCode::Stale => 409,
            ErrorCode::Unavailable => 503,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::Throttled => 429,
        }
    }

    /// Parses [`ErrorCode::as_str`] back (for codes carried in a redirect after a form post).
    pub fn parse(raw: &str) -> Option<Self> {
        use ErrorCode::*;
        [
            NotFound,
            InvalidInput,
            Conflict,
            Unavailable,
            Request,
            Unauthorized,
            Forbidden,
            Throttled,
            Stale,
        ]
        .into_iter()
        .find(|c| c.as_str() == raw)
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
        AppError::new(ErrorCode::Unavailable)
    }

    pub fn unauthorized() -> Self {
        AppError::new(ErrorCode::Unauthorized)
    }

    pub fn forbidden() -> Self {
        AppError::new(ErrorCode::Forbidden)
    }

    pub fn new(code: ErrorCode) -> Self {
        AppError { code, field: None }
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
