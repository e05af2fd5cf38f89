//! Accounts: a user's own password, and the administrators' user management. Forms post here
//! directly (no JavaScript needed); see [`crate::api::guard::finish_form`].

use crate::domain::{AppError, UserId, UserSummary};
use leptos::prelude::*;

pub const CHANGE_PASSWORD: &str = "change_password";
pub const LIST_USERS: &str = "users";
pub const GET_USER: &str = "user";
pub const CREATE_USER: &str = "user_create";
pub const UPDATE_USER: &str = "user_update";
pub const RESET_PASSWORD: &str = "user_reset_password";
pub const RESET_SECOND_FACTOR: &str = "user_reset_second_factor";

/// The administration list of users.
pub const USERS_PAGE: &str = "/admin/brukere";

/// The signed-in user changes their own password (also the step required after a reset).
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    repeat_password: String,
) -> Result<(), AppError> {
    use crate::api::guard::{continue_session, finish_form, signed_in_any_step};
    use crate::server::service::accounts;
    use crate::server::session::PASSWORD_PAGE;
    let result = async {
        let call = signed_in_any_step()?;
        if new_password != repeat_password {
            return Err(AppError::invalid("repeat_password"));
        }
        let epoch = accounts::change_own_password(
            &call.state.db,
            call.now(),
            &call.user,
            current_password,
            new_password,
        )
        .await?;
        // This session goes on under a new id with the new epoch; every other session of the
        // user has ended.
        let session = use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<tower_sessions::Session>().cloned())
            .ok_or_else(AppError::unavailable)?;
        continue_session(&session, epoch).await
    }
    .await;
    finish_form(result, PASSWORD_PAGE, |_| "/?passord=endret".to_owned())
}

/// Every user (administrators only). The read is logged.
#[server(prefix = "/api", endpoint = "users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    use crate::api::guard::{authorize, with_status};

    use crate::domain::{Action, Target};
    use crate::server::service::accounts;
    with_status(
        async {
            let call = authorize(Action::ManageUsers, Target::Global)?;
            let by = call.actor();
            Ok(accounts::list_users(&call.state.db, call.now(), &by).await?)
        }
        .await,
    )
}

/// One user, for the edit form (administrators only). The read is logged.
#[server(prefix = "/api", endpoint = "user")]
pub async fn get_user(id: i64) -> Result<UserSummary, AppError> {
    use crate::api::guard::{authorize, with_status};

    use crate::domain::{Action, Target};
    use crate::server::service::accounts;
    with_status(
        async {
            let call = authorize(Action::ManageUsers, Target::Global)?;
            let by = call.actor();
            Ok(accounts::get_user(&call.state.db, call.now(), &by, UserId(id)).await?)
        }
        .await,
    )
}

/// Creates a user with a temporary password that they must change at first sign-in.
#[server(prefix = "/api", endpoint = "user_create")]
pub async fn create_user(
    email: String,
    name: String,
    role: String,
    #[server(default)] district: String,
    #[server(default)] service: String,
    password: String,
) -> Result<UserId, AppError> {
    use crate::api::guard::{authorize, finish_form};

    use crate::domain::{Action, EmailAddress, Target, parse_role_and_unit};
    use crate::server::service::accounts::{self, CreateUser};
    let result = async {
        let call = authorize(Action::ManageUsers, Target::Global)?;
        let email = EmailAddress::parse(&email).map_err(|_| AppError::invalid("email"))?;
        let (role, unit, manages) =
            parse_role_and_unit(&role, &district, &service).map_err(AppError::invalid)?;
        let by = call.actor();
        let input = CreateUser {
            email,
            name,
            role,
            unit,
            manages,
            password,
            must_change_password: true,
        };
        Ok(accounts::create_user(
            &call.state.db,
            call.now(),
            Some(&by),
            input,
            "administrator",
        )
        .await?)
    }
    .await;
    finish_form(result, "/admin/brukere/ny", |id| {
        format!("{USERS_PAGE}/{id}?ok=opprettet")
    })
}

/// Changes a user's name, role, unit and whether the account is active.
#[server(prefix = "/api", endpoint = "user_update")]
pub async fn update_user(
    id: i64,
    name: String,
    role: String,
    #[server(default)] district: String,
    #[server(default)] service: String,
    #[server(default)] active: Option<String>,
) -> Result<(), AppError> {
    use crate::api::guard::{authorize, finish_form};

    use crate::domain::{Action, Target, parse_role_and_unit};
    use crate::server::service::accounts::{self, EditUser};
    let result = async {
        let call = authorize(Action::ManageUsers, Target::Global)?;
        let (role, unit, manages) =
            parse_role_and_unit(&role, &district, &service).map_err(AppError::invalid)?;
        let by = call.actor();
        let edit = EditUser {
            name,
            role,
            unit,
            manages,
            active: active.is_some(),
        };
        accounts::update_user(&call.state.db, call.now(), &by, UserId(id), edit).await?;
        Ok(())
    }
    .await;
    finish_form(result, &format!("{USERS_PAGE}/{id}"), |_| {
        format!("{USERS_PAGE}/{id}?ok=bruker")
    })
}

/// Gives a user a temporary password; they must choose a new one at next sign-in.
#[server(prefix = "/api", endpoint = "user_reset_password")]
pub async fn reset_password(id: i64, password: String) -> Result<(), AppError> {
    use crate::api::guard::{authorize, finish_form};

    use crate::domain::{Action, Target};
    use crate::server::service::accounts;
    let result = async {
        let call = authorize(Action::ManageUsers, Target::Global)?;
        let by = call.actor();
        accounts::reset_password(&call.state.db, call.now(), &by, UserId(id), password).await?;
        Ok(())
    }
    .await;
    finish_form(result, &format!("{USERS_PAGE}/{id}"), |_| {
        format!("{USERS_PAGE}/{id}?ok=passord")
    })
}

/// Removes a user's second factor (a lost phone); they set up a new one at next sign-in.
#[server(prefix = "/api", endpoint = "user_reset_second_factor")]
pub async fn reset_second_factor(id: i64) -> Result<(), AppError> {
    use crate::api::guard::{authorize, finish_form};

    use crate::domain::{Action, Target};
    use crate::server::service::accounts;
    let result = async {
        let call = authorize(Action::ManageUsers, Target::Global)?;
        let by = call.actor();
        accounts::reset_second_factor(&call.state.db, call.now(), &by, UserId(id)).await?;
        Ok(())
    }
    .await;
    finish_form(result, &format!("{USERS_PAGE}/{id}"), |_| {
        format!("{USERS_PAGE}/{id}?ok=engangskode")
    })
}
