//! User accounts: creating and changing them (administrators, `portal create-admin`, the demo
//! data), password changes and resets, and the second factor's reset. Each change is one
//! transaction with its access-log row; changes to what a user may do end their sessions.

use crate::domain::{ActorSnapshot, AuditAction, AuditOutcome, ObjectKind};
use crate::domain::{
    DistrictId, EmailAddress, ParseError, Role, Unit, UserId, UserSummary, check_new_password,
    check_person_name, fits_role,
};
use crate::server::db::Db;
use crate::server::repo::access_log::{self, Entry, Touched};
use crate::server::repo::users::{self, NewUser, UserChange, UserRow};
use crate::server::service::auth;
use crate::server::session::SignedIn;
use crate::server::{ServerError, password};
use time::OffsetDateTime;

/// What it takes to create a user. The password is checked and hashed here.
#[derive(Clone, Debug)]
pub struct CreateUser {
    pub email: EmailAddress,
    pub name: String,
    pub role: Role,
    pub unit: Option<Unit>,
    /// A district manager's district.
    pub manages: Option<DistrictId>,
    pub password: String,
    /// The user must choose a new password at first sign-in (set when someone else chose it).
    pub must_change_password: bool,
}

impl ActorSnapshot {
    /// The snapshot of a signed-in user for the access log.
    pub fn of(user: &SignedIn) -> ActorSnapshot {
        ActorSnapshot {
            user: user.actor.user,
            name: user.name.clone(),
            role: user.actor.role,
        }
    }
}

fn check_unit(
    role: Role,
    unit: Option<Unit>,
    manages: Option<DistrictId>,
) -> Result<(), ServerError> {
    if fits_role(role, unit, manages) {
        Ok(())
    } else {
        Err(ServerError::InvalidInput {
            field: "unit",
            source: ParseError::Role,
        })
    }
}

/// Creates a user: validates, hashes the password off the async runtime, then inserts the user
/// and its access-log row in one transaction. `by` is the administrator, or `None` for the
/// operator's command line; `reason` says where the request came from.
#[tracing::instrument(skip_all, fields(role = input.role.as_str()))]
pub async fn create_user(
    db: &Db,
    at: OffsetDateTime,
    by: Option<&ActorSnapshot>,
    input: CreateUser,
    reason: &str,
) -> Result<UserId, ServerError> {
    let name = check_person_name(&input.name)
        .map_err(ServerError::invalid("name"))?
        .to_owned();
    check_unit(input.role, input.unit, input.manages)?;
    check_new_password(&input.password).map_err(ServerError::invalid("password"))?;
    check_hard_to_guess(
        &input.password,
        "password",
        &[input.email.as_str(), name.as_str()],
    )?;
    let password_hash = password::hash(input.password).await?;
    let user = NewUser {
        email: &input.email,
        name: &name,
        role: input.role,
        unit: input.unit,
        manages: input.manages,
        password_hash: &password_hash,
        must_change_password: input.must_change_password,
    };
    let mut tx = db.begin_write().await?;
    let id = insert_user_logged(&mut tx, at, by, &user, reason).await?;
    tx.commit().await?;
    Ok(id)
}

/// Inserts a user (password already hashed) and its access-log row inside the caller's
/// transaction. The demo data uses it to create all demo users in its one transaction.
pub async fn insert_user_logged(
    conn: &mut sqlx::SqliteConnection,
    at: OffsetDateTime,
    by: Option<&ActorSnapshot>,
    user: &NewUser<'_>,
    reason: &str,
) -> Result<UserId, ServerError> {
    let id = users::insert(conn, user).await?;
    access_log::append(
        conn,
        &Entry {
            at,
            actor: by,
            action: AuditAction::UserCreate,
            object_type: Some(ObjectKind::User),
            object_id: Some(id.to_string()),
            district: user.unit.map(|u| u.district).or(user.manages),
            reason: Some(reason),
            outcome: AuditOutcome::Ok,
            stays: None,
        },
    )
    .await?;
    Ok(id)
}

fn summary(row: UserRow) -> Result<UserSummary, ServerError> {
    Ok(UserSummary {
        id: row.id,
        email: EmailAddress::parse(&row.email).map_err(ServerError::invalid("email"))?,
        name: row.name,
        role: row.role,
        unit: row.unit,
        manages: row.manages,
        active: row.active,
        must_change_password: row.must_change_password,
        has_second_factor: row.totp_secret.is_some(),
    })
}

/// Every user, for the administrators' list. The read is logged (names and addresses are
/// personal data) before the list is returned; the list itself is read off the writer.
#[tracing::instrument(skip_all)]
pub async fn list_users(
    db: &Db,
    at: OffsetDateTime,
    by: &ActorSnapshot,
) -> Result<Vec<UserSummary>, ServerError> {
    let mut read = db.begin_read().await?;
    let rows = users::list(&mut read).await?;
    read.commit().await?;
    let mut tx = db.begin_write().await?;
    log(&mut tx, at, by, AuditAction::UserList, None, None).await?;
    tx.commit().await?;
    rows.into_iter().map(summary).collect()
}

/// One user, for the edit form. Logged like every read of personal data.
#[tracing::instrument(skip_all, fields(user = %id))]
pub async fn get_user(
    db: &Db,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    id: UserId,
) -> Result<UserSummary, ServerError> {
    let mut read = db.begin_read().await?;
    let row = users::find_by_id(&mut read, id)
        .await?
        .ok_or(ServerError::NotFound)?;
    read.commit().await?;
    let district = row.district();
    let mut tx = db.begin_write().await?;
    log(&mut tx, at, by, AuditAction::UserRead, Some(id), district).await?;
    tx.commit().await?;
    summary(row)
}

/// What an administrator changes of a user.
#[derive(Clone, Debug)]
pub struct EditUser {
    pub name: String,
    pub role: Role,
    pub unit: Option<Unit>,
    pub manages: Option<DistrictId>,
    pub active: bool,
}

/// Changes a user's name, role, unit or active flag. A change of role, unit or active flag ends
/// the user's sessions (what they may see changed). Administrators cannot deactivate themselves
/// or take away their own role, so that the portal is never left without one.
#[tracing::instrument(skip_all, fields(user = %id))]
pub async fn update_user(
    db: &Db,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    id: UserId,
    edit: EditUser,
) -> Result<(), ServerError> {
    let name = check_person_name(&edit.name).map_err(ServerError::invalid("name"))?;
    check_unit(edit.role, edit.unit, edit.manages)?;
    if id == by.user && (!edit.active || edit.role != Role::Admin) {
        return Err(ServerError::InvalidInput {
            field: "self",
            source: ParseError::Role,
        });
    }
    let mut tx = db.begin_write().await?;
    let before = users::find_by_id(&mut tx, id)
        .await?
        .ok_or(ServerError::NotFound)?;
    users::update(
        &mut tx,
        id,
        &UserChange {
            name: &name,
            role: edit.role,
            unit: edit.unit,
            manages: edit.manages,
            active: edit.active,
        },
    )
    .await?;
    if before.role != edit.role
        || before.unit != edit.unit
        || before.manages != edit.manages
        || before.active != edit.active
    {
        users::raise_session_epoch(&mut tx, id).await?;
    }
    let action = match (before.active, edit.active) {
        (true, false) => AuditAction::UserDeactivate,
        (false, true) => AuditAction::UserReactivate,
        _ => AuditAction::UserUpdate,
    };
    let district = edit
        .unit
        .map(|u| u.district)
        .or(edit.manages)
        .or(before.district());
    log(&mut tx, at, by, action, Some(id), district).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives a user a temporary password chosen by an administrator. The user must choose a new one
/// at next sign-in, and their sessions end.
#[tracing::instrument(skip_all, fields(user = %id))]
pub async fn reset_password(
    db: &Db,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    id: UserId,
    temporary: String,
) -> Result<(), ServerError> {
    check_new_password(&temporary).map_err(ServerError::invalid("password"))?;
    let row = {
        let mut conn = db.acquire().await?;
        users::find_by_id(&mut conn, id)
            .await?
            .ok_or(ServerError::NotFound)?
    };
    check_hard_to_guess(&temporary, "password", &[&row.email, &row.name])?;
    let hash = password::hash(temporary).await?;
    let mut tx = db.begin_write().await?;
    users::set_password(&mut tx, id, &hash, true).await?;
    users::raise_session_epoch(&mut tx, id).await?;
    let district = row.district();
    log(
        &mut tx,
        at,
        by,
        AuditAction::UserResetPassword,
        Some(id),
        district,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a user's second factor (a lost phone). Their sessions end; if their role requires a
/// second factor they set up a new one at next sign-in.
#[tracing::instrument(skip_all, fields(user = %id))]
pub async fn reset_second_factor(
    db: &Db,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    id: UserId,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let row = users::find_by_id(&mut tx, id)
        .await?
        .ok_or(ServerError::NotFound)?;
    users::set_totp_secret(&mut tx, id, None).await?;
    users::raise_session_epoch(&mut tx, id).await?;
    let district = row.district();
    log(
        &mut tx,
        at,
        by,
        AuditAction::UserResetSecondFactor,
        Some(id),
        district,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A user changes their own password: the current one must be right
/// ([`auth::prove_current_password`]: it counts as a sign-in attempt) and the new one must differ,
/// be long enough and hard to guess. Other sessions of the user end; returns the new session epoch, which the caller stores in the
/// current session (after rotating its id) so that it goes on.
#[tracing::instrument(skip_all)]
pub async fn change_own_password(
    db: &Db,
    at: OffsetDateTime,
    who: &SignedIn,
    current: String,
    new: String,
) -> Result<i64, ServerError> {
    check_new_password(&new).map_err(ServerError::invalid("new_password"))?;
    if current == new {
        return Err(ServerError::InvalidInput {
            field: "new_password",
            source: ParseError::Password,
        });
    }
    let row =
        auth::prove_current_password(db, at, who, current, AuditAction::UserChangePassword).await?;
    check_hard_to_guess(&new, "new_password", &[&row.email, &row.name])?;
    let by = ActorSnapshot::of(who);
    let district = who.actor.district();
    let hash = password::hash(new).await?;
    let mut tx = db.begin_write().await?;
    users::set_password(&mut tx, who.actor.user, &hash, false).await?;
    users::raise_session_epoch(&mut tx, who.actor.user).await?;
    log(
        &mut tx,
        at,
        &by,
        AuditAction::UserChangePassword,
        Some(who.actor.user),
        district,
    )
    .await?;
    let epoch = users::find_by_id(&mut tx, who.actor.user)
        .await?
        .ok_or(ServerError::NotFound)?
        .session_epoch;
    tx.commit().await?;
    Ok(epoch)
}

/// A new password that passes the length rule must also be hard to guess, given what is known
/// about the user (their e-mail address and name).
fn check_hard_to_guess(
    new: &str,
    field: &'static str,
    context: &[&str],
) -> Result<(), ServerError> {
    if password::hard_to_guess(new, context) {
        Ok(())
    } else {
        Err(ServerError::InvalidInput {
            field,
            source: ParseError::Password,
        })
    }
}

async fn log(
    conn: &mut sqlx::SqliteConnection,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    action: AuditAction,
    user: Option<UserId>,
    district: Option<crate::domain::DistrictId>,
) -> Result<(), ServerError> {
    let touched = Touched {
        object: user.map(|u| (ObjectKind::User, u.to_string())),
        district,
        stays: None,
    };
    access_log::append_ok(conn, at, by, action, touched).await
}

/// The signed-in user's own account page: who they are, their notification choices, and for a
/// caseworker of a unit, the unit's calendar feed (with the address made just now, if any).
pub async fn own_account(
    db: &Db,
    who: &SignedIn,
    new_feed_url: Option<String>,
) -> Result<crate::domain::notice::AccountView, ServerError> {
    let mut conn = db.acquire().await?;
    let row = users::find_by_id(&mut conn, who.actor.user)
        .await?
        .ok_or(ServerError::NotFound)?;
    let (notify, language) = users::notify_choices(&mut conn, who.actor.user)
        .await?
        .ok_or(ServerError::NotFound)?;
    let unit = match row.unit {
        Some(unit) => Some((
            crate::server::repo::outbox::district_name(&mut conn, unit.district)
                .await?
                .unwrap_or_default(),
            unit.service,
        )),
        None => None,
    };
    drop(conn);
    let feed = match row.unit {
        Some(unit) if row.role == Role::Caseworker => {
            Some(crate::server::service::calendar::feed_view(db, unit, new_feed_url).await?)
        }
        _ => None,
    };
    Ok(crate::domain::notice::AccountView {
        name: row.name,
        email: row.email,
        role: row.role,
        unit,
        notify,
        language,
        feed,
    })
}

/// A user sets their own notification choices; logged as `user.preferences`.
pub async fn set_notify_choices(
    db: &Db,
    at: OffsetDateTime,
    who: &SignedIn,
    notify: crate::domain::notice::NotifyChoice,
    language: crate::domain::notice::MailLanguage,
) -> Result<(), ServerError> {
    let by = ActorSnapshot::of(who);
    let mut tx = db.begin_write().await?;
    if !users::set_notify_choices(&mut tx, who.actor.user, notify, language).await? {
        return Err(ServerError::NotFound);
    }
    let district = who.actor.district();
    log(
        &mut tx,
        at,
        &by,
        AuditAction::UserPreferences,
        Some(who.actor.user),
        district,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
