//! Setting up the second factor (an authenticator app). The secret being set up waits in the
//! server-side session until the person shows a right code for it.

use crate::domain::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const SECOND_FACTOR_SETUP: &str = "second_factor_setup";
pub const ENROL_SECOND_FACTOR: &str = "second_factor_enrol";

/// The session key of the secret being set up.
#[cfg(feature = "ssr")]
const PENDING_SECRET: &str = "totp_pending";

/// What the set-up page shows: the QR code (SVG) and the same secret as text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticatorSetup {
    pub qr_svg: String,
    pub secret: String,
    /// A second factor is set up already (this replaces it).
    pub replaces: bool,
}

#[cfg(feature = "ssr")]
fn session() -> Result<tower_sessions::Session, AppError> {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<tower_sessions::Session>().cloned())
        .ok_or_else(AppError::unavailable)
}

/// Starts (or continues) setting up a second factor for the signed-in user.
#[server(prefix = "/api", endpoint = "second_factor_setup")]
pub async fn second_factor_setup() -> Result<AuthenticatorSetup, AppError> {
    use crate::api::guard::{signed_in_any_step, with_status};
    use crate::server::totp;
    with_status(
        async {
            let call = signed_in_any_step()?;
            let session = session()?;
            let secret = match session.get::<String>(PENDING_SECRET).await {
                Ok(Some(secret)) => secret,
                _ => {
                    let secret = totp::new_secret();
                    session
                        .insert(PENDING_SECRET, secret.clone())
                        .await
                        .map_err(|_| AppError::unavailable())?;
                    secret
                }
            };
            let email = {
                let mut conn = call
                    .state
                    .db
                    .acquire()
                    .await
                    .map_err(|_| AppError::unavailable())?;
                crate::server::repo::users::find_by_id(&mut conn, call.user.actor.user)
                    .await?
                    .ok_or_else(AppError::unauthorized)?
                    .email
            };
            let url = totp::enrolment_url(&secret, &email).ok_or_else(AppError::unavailable)?;
            let svg = totp::qr_svg(&url).ok_or_else(AppError::unavailable)?;
            // The XML declaration has no place inside HTML.
            let qr_svg = svg
                .find("<svg")
                .map_or(svg.clone(), |i| svg[i..].to_owned());
            Ok(AuthenticatorSetup {
                qr_svg,
                secret,
                replaces: call.user.has_second_factor,
            })
        }
        .await,
    )
}

/// Finishes the set-up with a code from the app, the current password and, when a factor is set
/// up already, a code from the app in use now. Every other session of the user ends; this one
/// goes on under a new id.
#[server(prefix = "/api", endpoint = "second_factor_enrol")]
pub async fn enrol_second_factor(
    code: String,
    #[server(default)] current_password: String,
    #[server(default)] current_code: String,
) -> Result<(), AppError> {
    use crate::api::guard::{continue_session, finish_form, signed_in_any_step};
    use crate::server::service::second_factor::{self, Enrolment};
    use crate::server::session::SECOND_FACTOR_PAGE;
    let result = async {
        let call = signed_in_any_step()?;
        let session = session()?;
        let secret = session
            .get::<String>(PENDING_SECRET)
            .await
            .ok()
            .flatten()
            .ok_or_else(|| AppError::invalid("code"))?;
        let enrolment = Enrolment {
            secret: &secret,
            code: &code,
            current_password,
            current_code: &current_code,
        };
        let epoch = second_factor::enrol(&call.state.db, call.now(), &call.user, enrolment).await?;
        let _ = session.remove::<String>(PENDING_SECRET).await;
        continue_session(&session, epoch).await
    }
    .await;
    finish_form(result, SECOND_FACTOR_PAGE, |_| {
        "/?engangskode=ok".to_owned()
    })
}
