//! User accounts. The password hash stays in [`UserRow`], which is never sent to a browser.

use crate::domain::notice::{MailLanguage, NotifyChoice};
use crate::domain::{DistrictId, EmailAddress, Role, ServiceKind, Unit, UserId};
use crate::server::ServerError;
use sqlx::SqliteConnection;

/// A user as stored, including the password hash: server-side only.
#[derive(Clone, Debug)]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub unit: Option<Unit>,
    /// A district manager's district.
    pub manages: Option<DistrictId>,
    pub password_hash: String,
    pub must_change_password: bool,
    pub active: bool,
    pub session_epoch: i64,
    /// The TOTP secret (base32), when a second factor is set up.
    pub totp_secret: Option<String>,
    /// The last TOTP time step accepted (a code works once).
    pub totp_last_step: Option<i64>,
}

impl UserRow {
    /// The district the user belongs to (a caseworker's unit's, a district manager's own).
    pub fn district(&self) -> Option<DistrictId> {
        self.unit.map(|u| u.district).or(self.manages)
    }
}

/// What creating a user needs (the hash is made by the service).
#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    pub email: &'a EmailAddress,
    pub name: &'a str,
    pub role: Role,
    pub unit: Option<Unit>,
    pub manages: Option<DistrictId>,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

/// Inserts a user. An e-mail address that is taken (in any letter case) is a `Conflict`.
pub async fn insert(
    conn: &mut SqliteConnection,
    user: &NewUser<'_>,
) -> Result<UserId, ServerError> {
    let email = user.email.as_str();
    let role = user.role.as_str();
    let district = user.unit.map(|u| u.district).or(user.manages).map(|d| d.0);
    let service = user.unit.map(|u| u.service.as_str());
    let id = sqlx::query_scalar!(
        r#"INSERT INTO app_user (email, name, role, district_id, service_kind, password_hash, must_change_password)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id AS "id!""#,
        email,
        user.name,
        role,
        district,
        service,
        user.password_hash,
        user.must_change_password
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => ServerError::Conflict { field: "email" },
        _ => ServerError::Database(e),
    })?;
    Ok(UserId(id))
}

/// The row as SQLite returns it, before parsing.
struct UserRecord {
    id: i64,
    email: String,
    name: String,
    role: String,
    district_id: Option<i64>,
    service_kind: Option<String>,
    password_hash: String,
    must_change_password: bool,
    active: bool,
    session_epoch: i64,
    totp_secret: Option<String>,
    totp_last_step: Option<i64>,
}

impl TryFrom<UserRecord> for UserRow {
    type Error = ServerError;

    fn try_from(r: UserRecord) -> Result<Self, Self::Error> {
        let (unit, manages) = match (r.district_id, r.service_kind) {
            (Some(d), Some(s)) => (
                Some(Unit {
                    district: DistrictId(d),
                    service: ServiceKind::parse(&s)
                        .map_err(ServerError::invalid("service_kind"))?,
                }),
                None,
            ),
            (Some(d), None) => (None, Some(DistrictId(d))),
            _ => (None, None),
        };
        Ok(UserRow {
            id: UserId(r.id),
            email: r.email,
            name: r.name,
            role: Role::parse(&r.role).map_err(ServerError::invalid("role"))?,
            unit,
            manages,
            password_hash: r.password_hash,
            must_change_password: r.must_change_password,
            active: r.active,
            session_epoch: r.session_epoch,
            totp_secret: r.totp_secret,
            totp_last_step: r.totp_last_step,
        })
    }
}

/// Finds a user by e-mail address, whatever the letter case.
pub async fn find_by_email(
    conn: &mut SqliteConnection,
    email: &EmailAddress,
) -> Result<Option<UserRow>, ServerError> {
    let email = email.as_str();
    sqlx::query_as!(
        UserRecord,
        r#"SELECT id AS "id!", email, name, role, district_id, service_kind, password_hash,
                  must_change_password AS "must_change_password: bool", active AS "active: bool", session_epoch,
                  totp_secret, totp_last_step
           FROM app_user WHERE email = ?1"#,
        email
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(UserRow::try_from)
    .transpose()
}

/// Finds a user by id (for the signed-in user of a session).
pub async fn find_by_id(
    conn: &mut SqliteConnection,
    id: UserId,
) -> Result<Option<UserRow>, ServerError> {
    sqlx::query_as!(
        UserRecord,
        r#"SELECT id AS "id!", email, name, role, district_id, service_kind, password_hash,
                  must_change_password AS "must_change_password: bool", active AS "active: bool", session_epoch,
                  totp_secret, totp_last_step
           FROM app_user WHERE id = ?1"#,
        id.0
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(UserRow::try_from)
    .transpose()
}

/// Raises the user's session epoch, which ends every session the user has.
pub async fn raise_session_epoch(
    conn: &mut SqliteConnection,
    id: UserId,
) -> Result<(), ServerError> {
    sqlx::query!(
        "UPDATE app_user SET session_epoch = session_epoch + 1 WHERE id = ?1",
        id.0
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Every user, for the administration list: active ones first, then by name.
pub async fn list(conn: &mut SqliteConnection) -> Result<Vec<UserRow>, ServerError> {
    sqlx::query_as!(
        UserRecord,
        r#"SELECT id AS "id!", email, name, role, district_id, service_kind, password_hash,
                  must_change_password AS "must_change_password: bool", active AS "active: bool", session_epoch,
                  totp_secret, totp_last_step
           FROM app_user ORDER BY active DESC, name COLLATE NOCASE, id"#
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(UserRow::try_from)
    .collect()
}

/// What an administrator may change of a user.
#[derive(Clone, Debug)]
pub struct UserChange<'a> {
    pub name: &'a str,
    pub role: Role,
    pub unit: Option<Unit>,
    pub manages: Option<DistrictId>,
    pub active: bool,
}

/// Changes a user's name, role, unit and active flag. `NotFound` when the user does not exist.
pub async fn update(
    conn: &mut SqliteConnection,
    id: UserId,
    change: &UserChange<'_>,
) -> Result<(), ServerError> {
    let role = change.role.as_str();
    let district = change
        .unit
        .map(|u| u.district)
        .or(change.manages)
        .map(|d| d.0);
    let service = change.unit.map(|u| u.service.as_str());
    let done = sqlx::query!(
        "UPDATE app_user SET name = ?2, role = ?3, district_id = ?4, service_kind = ?5, active = ?6
         WHERE id = ?1",
        id.0,
        change.name,
        role,
        district,
        service,
        change.active
    )
    .execute(&mut *conn)
    .await?;
    found(done.rows_affected())
}

/// Replaces the password hash; `must_change` makes the user choose a new one at next sign-in.
pub async fn set_password(
    conn: &mut SqliteConnection,
    id: UserId,
    password_hash: &str,
    must_change: bool,
) -> Result<(), ServerError> {
    let done = sqlx::query!(
        "UPDATE app_user SET password_hash = ?2, must_change_password = ?3 WHERE id = ?1",
        id.0,
        password_hash,
        must_change
    )
    .execute(&mut *conn)
    .await?;
    found(done.rows_affected())
}

/// Sets (or with `None` removes) the user's TOTP secret, forgetting the last used step.
pub async fn set_totp_secret(
    conn: &mut SqliteConnection,
    id: UserId,
    secret: Option<&str>,
) -> Result<(), ServerError> {
    let done = sqlx::query!(
        "UPDATE app_user SET totp_secret = ?2, totp_last_step = NULL WHERE id = ?1",
        id.0,
        secret
    )
    .execute(&mut *conn)
    .await?;
    found(done.rows_affected())
}

/// Records the TOTP time step just used, if it is later than the last one. Returns false when
/// the step was used already (a replayed code).
pub async fn use_totp_step(
    conn: &mut SqliteConnection,
    id: UserId,
    step: i64,
) -> Result<bool, ServerError> {
    let done = sqlx::query!(
        "UPDATE app_user SET totp_last_step = ?2
         WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
        id.0,
        step
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

fn found(rows: u64) -> Result<(), ServerError> {
    if rows == 0 {
        Err(ServerError::NotFound)
    } else {
        Ok(())
    }
}

/// How many users exist.
pub async fn count(conn: &mut SqliteConnection) -> Result<i64, ServerError> {
    Ok(
        sqlx::query_scalar!(r#"SELECT count(*) AS "n!: i64" FROM app_user"#)
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// A user's notification choices: how (a message per event, or the daily digest only) and in
/// which language.
pub async fn notify_choices(
    conn: &mut SqliteConnection,
    id: UserId,
) -> Result<Option<(NotifyChoice, MailLanguage)>, ServerError> {
    let row = sqlx::query!(
        r#"SELECT notify AS "notify: NotifyChoice", language AS "language: MailLanguage"
           FROM app_user WHERE id = ?1"#,
        id.0
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| (r.notify, r.language)))
}

/// Stores a user's notification choices. False when there is no such user.
pub async fn set_notify_choices(
    conn: &mut SqliteConnection,
    id: UserId,
    notify: NotifyChoice,
    language: MailLanguage,
) -> Result<bool, ServerError> {
    let (notify, language) = (notify.as_str(), language.as_str());
    let done = sqlx::query!(
        "UPDATE app_user SET notify = ?2, language = ?3 WHERE id = ?1",
        id.0,
        notify,
        language
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
