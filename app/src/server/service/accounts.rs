//! User accounts: creating them (administrators, `portal create-admin`, the demo data).

use crate::domain::{
    EmailAddress, Role, Unit, UserId, check_new_password, check_person_name, unit_fits_role,
};
use crate::server::repo::access_log::{self, ActorSnapshot, Entry, Outcome};
use crate::server::repo::users::{self, NewUser};
use crate::server::{ServerError, db, password};
use sqlx::SqlitePool;

/// What it takes to create a user. The password is checked and hashed here.
#[derive(Clone, Debug)]
pub struct CreateUser {
    pub email: EmailAddress,
    pub name: String,
    pub role: Role,
    pub unit: Option<Unit>,
    pub password: String,
    /// The user must choose a new password at first sign-in (set when someone else chose it).
    pub must_change_password: bool,
}

/// Creates a user: validates, hashes the password off the async runtime, then inserts the user
/// and its access-log row in one transaction. `by` is the administrator, or `None` for the
/// operator's command line; `reason` says where the request came from.
#[tracing::instrument(skip_all, fields(role = input.role.as_str()))]
pub async fn create_user(
    pool: &SqlitePool,
    by: Option<&ActorSnapshot>,
    input: CreateUser,
    reason: &str,
) -> Result<UserId, ServerError> {
    let name = check_person_name(&input.name)
        .map_err(ServerError::invalid("name"))?
        .to_owned();
    check_new_password(&input.password).map_err(ServerError::invalid("password"))?;
    if !unit_fits_role(input.role, input.unit) {
        return Err(ServerError::InvalidInput {
            field: "unit",
            source: crate::domain::ParseError::Role,
        });
    }
    let password_hash = password::hash(input.password).await?;
    let user = NewUser {
        email: &input.email,
        name: &name,
        role: input.role,
        unit: input.unit,
        password_hash: &password_hash,
        must_change_password: input.must_change_password,
    };
    let mut tx = db::begin_write(pool).await?;
    let id = insert_user_logged(&mut tx, by, &user, reason).await?;
    tx.commit().await?;
    Ok(id)
}

/// Inserts a user (password already hashed) and its access-log row inside the caller's
/// transaction. The demo data uses it to create all demo users in its one transaction.
pub async fn insert_user_logged(
    conn: &mut sqlx::SqliteConnection,
    by: Option<&ActorSnapshot>,
    user: &NewUser<'_>,
    reason: &str,
) -> Result<UserId, ServerError> {
    let id = users::insert(conn, user).await?;
    access_log::append(
        conn,
        &Entry {
            actor: by,
            action: "user.create",
            object_type: Some("user"),
            object_id: Some(id.to_string()),
            district: user.unit.map(|u| u.district),
            reason: Some(reason),
            outcome: Outcome::Ok,
        },
    )
    .await?;
    Ok(id)
}
