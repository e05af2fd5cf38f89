//! What every server function does first: find the signed-in user and ask the policy
//! ([`crate::domain::permits`]). A refusal returns at once, with the HTTP status of its code. Also
//! the answer to a plain HTML form post (no JavaScript): a redirect to where the person goes next,
//! or back to the form with the error code.

use crate::domain::{Action, AppError, Target};
use crate::server::AppState;
use crate::server::session::{SignedIn, current_user};
use leptos::prelude::*;

/// The state and the signed-in user of a server-function call that passed its first check.
pub struct Call {
    pub state: AppState,
    pub user: SignedIn,
}

/// Signed in and past every sign-in step (a required password change or second-factor set-up
/// comes first), else `E-UNAUTHORIZED`.
pub fn signed_in() -> Result<Call, AppError> {
    let call = signed_in_any_step()?;
    if crate::server::session::required_step(&call.user).is_some() {
        return Err(AppError::unauthorized());
    }
    Ok(call)
}

/// Signed in, possibly with a step still required: only for the server functions of those
/// steps (changing the password, setting up the second factor).
pub fn signed_in_any_step() -> Result<Call, AppError> {
    let state = AppState::current()?;
    let user = current_user().ok_or_else(AppError::unauthorized)?;
    Ok(Call { state, user })
}

/// Signed in and permitted `action` on `target`, else `E-UNAUTHORIZED` / `E-FORBIDDEN`.
pub fn authorize(action: Action, target: Target) -> Result<Call, AppError> {
    let call = signed_in()?;
    call.check(action, target)?;
    Ok(call)
}

impl Call {
    /// Who acts, as the access log records them.
    pub fn actor(&self) -> crate::domain::ActorSnapshot {
        crate::domain::ActorSnapshot::of(&self.user)
    }

    /// The moment of the call, from the portal's clock: the instant, the Oslo date, and the
    /// due-soon window.
    pub fn when(&self) -> crate::server::service::plans::When {
        self.state.when()
    }

    /// The instant of the call, from the portal's clock.
    pub fn now(&self) -> time::OffsetDateTime {
        self.state.clock.now()
    }

    /// Asks the policy again for a target found after the first check (e.g. the unit a contact
    /// belongs to). Refusal is `E-FORBIDDEN`.
    pub fn check(&self, action: Action, target: Target) -> Result<(), AppError> {
        if crate::domain::permits(Some(&self.user.actor), action, target) {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }

    /// Like [`Call::check`], but a refusal looks exactly like a missing object (`E-NOT-FOUND`):
    /// for objects addressed by id, so that guessing ids tells nothing about other districts.
    pub fn check_or_hide(&self, action: Action, target: Target) -> Result<(), AppError> {
        self.check(action, target)
            .map_err(|_| AppError::not_found())
    }
}

/// After a change of the user's own credentials (password, second factor), which raised their
/// session epoch and so ended every session of theirs: this session goes on, under a new id
/// (against fixation) and with the new epoch.
pub async fn continue_session(
    session: &tower_sessions::Session,
    epoch: i64,
) -> Result<(), AppError> {
    use crate::server::session::{AUTH_KEY, AuthRecord};
    let record = session
        .get::<AuthRecord>(AUTH_KEY)
        .await
        .ok()
        .flatten()
        .ok_or_else(AppError::unauthorized)?;
    session.cycle_id().await.map_err(|err| {
        tracing::error!(error = %err, "session id not rotated");
        AppError::unavailable()
    })?;
    session
        .insert(AUTH_KEY, AuthRecord { epoch, ..record })
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "session not stored");
            AppError::unavailable()
        })
}

/// Sets the response status from the error code, so that API clients see 401/403/404/...
pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result
        && let Some(res) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = http::StatusCode::from_u16(error.code.http_status())
    {
        res.set_status(status);
    }
    result
}

/// Whether the current call is a plain HTML form post (the browser asks for HTML back).
fn is_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// Finishes a server function that a plain form posts to. For a form post, the browser is sent
/// to `done(value)` on success and back to `form` with `feil=<code>` (and `felt=<field>`) on
/// failure; API clients get the value or the error with its status, as usual.
pub fn finish_form<T>(
    result: Result<T, AppError>,
    form: &str,
    done: impl FnOnce(&T) -> String,
) -> Result<T, AppError> {
    let result = with_status(result);
    if is_form_post() {
        let to = match &result {
            Ok(value) => done(value),
            Err(error) => error_location(form, error),
        };
        leptos_axum::redirect(&to);
    }
    result
}

/// `form` with the error's code (and field) in the query, replacing earlier ones.
pub fn error_location(form: &str, error: &AppError) -> String {
    let (path, query) = form.split_once('?').unwrap_or((form, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("feil=") && !p.starts_with("felt="))
        .map(str::to_owned)
        .collect();
    pairs.push(format!("feil={}", error.code.as_str()));
    if let Some(field) = &error.field {
        pairs.push(format!("felt={field}"));
    }
    format!("{path}?{}", pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_error_goes_back_with_its_code_and_field() {
        assert_eq!(
            error_location("/admin/brukere/ny", &AppError::invalid("email")),
            "/admin/brukere/ny?feil=E-INVALID-INPUT&felt=email"
        );
        assert_eq!(
            error_location("/x?a=1&feil=E-CONFLICT&felt=name", &AppError::forbidden()),
            "/x?a=1&feil=E-FORBIDDEN"
        );
    }
}
