//! The districts' service directory: reading it, and changing a unit's contact people.

use crate::domain::{ActorSnapshot, AuditAction, ObjectKind};
use crate::domain::{
    ContactId, DistrictDetail, DistrictId, DistrictSlug, DistrictSummary, NewContact, ServiceId,
    ServiceInput, ServiceKind, ServicePlace, Unit, check_district_name,
};
use crate::server::db::Db;
use crate::server::repo::access_log::{self, Touched};
use crate::server::{ServerError, repo};
use time::OffsetDateTime;

/// The list of districts for the directory page.
#[tracing::instrument(skip_all)]
pub async fn list_districts(db: &Db) -> Result<Vec<DistrictSummary>, ServerError> {
    let mut conn = db.acquire().await?;
    repo::directory::list_districts(&mut conn).await
}

/// A district's page: its services, and their contact people when a `reader` is given. Contact
/// people are personal data (employees' names and addresses): their read is logged, one row
/// committed before the page is returned (the page itself is read off the writer). Without a
/// reader they are left out. `NotFound` for an unknown slug.
#[tracing::instrument(skip_all, fields(district = %slug))]
pub async fn district_detail(
    db: &Db,
    slug: &DistrictSlug,
    reader: Option<(OffsetDateTime, &ActorSnapshot)>,
) -> Result<DistrictDetail, ServerError> {
    let Some((at, by)) = reader else {
        let mut conn = db.acquire().await?;
        let mut detail = repo::directory::district_detail(&mut conn, slug)
            .await?
            .ok_or(ServerError::NotFound)?;
        for service in &mut detail.services {
            service.contacts.clear();
        }
        return Ok(detail);
    };
    let mut read = db.begin_read().await?;
    let detail = repo::directory::district_detail(&mut read, slug)
        .await?
        .ok_or(ServerError::NotFound)?;
    read.commit().await?;
    let mut tx = db.begin_write().await?;
    let touched = Touched::object(ObjectKind::District, detail.id, Some(detail.id));
    access_log::append_ok(&mut tx, at, by, AuditAction::DirectoryReadContacts, touched).await?;
    tx.commit().await?;
    Ok(detail)
}

/// Where a service sits (district and kind), for the access check. `NotFound` when unknown.
pub async fn service_place(db: &Db, service: ServiceId) -> Result<ServicePlace, ServerError> {
    let mut conn = db.acquire().await?;
    repo::directory::service_place(&mut conn, service)
        .await?
        .ok_or(ServerError::NotFound)
}

/// Where an active contact's service sits. `NotFound` when there is no such active contact.
pub async fn contact_place(db: &Db, contact: ContactId) -> Result<ServicePlace, ServerError> {
    let mut conn = db.acquire().await?;
    place_of_contact(&mut conn, contact).await
}

/// Where an active contact's service sits, inside the caller's transaction.
async fn place_of_contact(
    conn: &mut sqlx::SqliteConnection,
    contact: ContactId,
) -> Result<ServicePlace, ServerError> {
    let service = repo::directory::contact_service(conn, contact)
        .await?
        .ok_or(ServerError::NotFound)?;
    repo::directory::service_place(conn, service)
        .await?
        .ok_or(ServerError::NotFound)
}

/// Adds a contact person to a service, with its access-log row, in one transaction. `scope`
/// keeps a caseworker to their own unit in the query as well (`None`: administrators).
#[tracing::instrument(skip_all, fields(service = %service))]
pub async fn add_contact(
    db: &Db,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    scope: Option<Unit>,
    service: ServiceId,
    contact: &NewContact,
) -> Result<ContactId, ServerError> {
    let mut tx = db.begin_write().await?;
    let place = repo::directory::service_place(&mut tx, service)
        .await?
        .ok_or(ServerError::NotFound)?;
    let id = repo::directory::insert_contact_scoped(&mut tx, service, contact, scope)
        .await?
        .ok_or(ServerError::NotFound)?;
    log_change(
        &mut tx,
        at,
        by,
        AuditAction::ContactCreate,
        id,
        place.district,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a contact person from the directory (marks the row inactive), with its access-log
/// row, in one transaction. `scope` as for [`add_contact`].
#[tracing::instrument(skip_all, fields(contact = %contact))]
pub async fn remove_contact(
    db: &Db,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    scope: Option<Unit>,
    contact: ContactId,
) -> Result<ServicePlace, ServerError> {
    let mut tx = db.begin_write().await?;
    let place = place_of_contact(&mut tx, contact).await?;
    if !repo::directory::deactivate_contact(&mut tx, contact, scope).await? {
        return Err(ServerError::NotFound);
    }
    log_change(
        &mut tx,
        at,
        by,
        AuditAction::ContactRemove,
        contact,
        place.district,
    )
    .await?;
    tx.commit().await?;
    Ok(place)
}

async fn log_change(
    conn: &mut sqlx::SqliteConnection,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    action: AuditAction,
    contact: ContactId,
    district: DistrictId,
) -> Result<(), ServerError> {
    let touched = Touched::object(ObjectKind::Contact, contact, Some(district));
    access_log::append_ok(conn, at, by, action, touched).await
}

/// Adds a district (administrators). The slug comes from the name. One transaction with its
/// access-log row; a name or slug that is taken is a `Conflict`.
#[tracing::instrument(skip_all)]
pub async fn create_district(
    db: &Db,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    name: &str,
) -> Result<DistrictSlug, ServerError> {
    let (name, slug) = check_district_name(name).map_err(ServerError::invalid("name"))?;
    let mut tx = db.begin_write().await?;
    let id = repo::directory::insert_district(&mut tx, &slug, &name).await?;
    access_log::append_ok(
        &mut tx,
        at,
        by,
        AuditAction::DistrictCreate,
        Touched::object(ObjectKind::District, id.0, Some(id)),
    )
    .await?;
    tx.commit().await?;
    Ok(slug)
}

/// Renames a district; its address (slug) stays.
#[tracing::instrument(skip_all, fields(district = %id))]
pub async fn rename_district(
    db: &Db,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    id: DistrictId,
    name: &str,
) -> Result<(), ServerError> {
    let (name, _) = check_district_name(name).map_err(ServerError::invalid("name"))?;
    let mut tx = db.begin_write().await?;
    if !repo::directory::rename_district(&mut tx, id, &name).await? {
        return Err(ServerError::NotFound);
    }
    access_log::append_ok(
        &mut tx,
        at,
        by,
        AuditAction::DistrictUpdate,
        Touched::object(ObjectKind::District, id.0, Some(id)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a service to a district. A second NAV office (or child welfare service, or violence
/// coordinator) in one district is a `Conflict`.
#[tracing::instrument(skip_all, fields(district = %district))]
pub async fn create_service(
    db: &Db,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    district: DistrictId,
    kind: ServiceKind,
    input: &ServiceInput,
) -> Result<ServiceId, ServerError> {
    let mut tx = db.begin_write().await?;
    let id = repo::directory::insert_service(
        &mut tx,
        district,
        kind,
        &input.name,
        input.email.as_ref(),
        input.phone.as_ref(),
    )
    .await
    .map_err(|e| match e {
        ServerError::Database(sqlx::Error::Database(db)) if db.is_foreign_key_violation() => {
            ServerError::NotFound
        }
        other => other,
    })?;
    access_log::append_ok(
        &mut tx,
        at,
        by,
        AuditAction::ServiceCreate,
        Touched::object(ObjectKind::Service, id.0, Some(district)),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a service's name, inbox and phone.
#[tracing::instrument(skip_all, fields(service = %id))]
pub async fn update_service(
    db: &Db,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    id: ServiceId,
    input: &ServiceInput,
) -> Result<ServicePlace, ServerError> {
    let mut tx = db.begin_write().await?;
    let place = repo::directory::service_place(&mut tx, id)
        .await?
        .ok_or(ServerError::NotFound)?;
    repo::directory::update_service(&mut tx, id, input).await?;
    access_log::append_ok(
        &mut tx,
        at,
        by,
        AuditAction::ServiceUpdate,
        Touched::object(ObjectKind::Service, id.0, Some(place.district)),
    )
    .await?;
    tx.commit().await?;
    Ok(place)
}

/// Changes a contact person; `scope` as for [`add_contact`].
#[tracing::instrument(skip_all, fields(contact = %id))]
pub async fn update_contact(
    db: &Db,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    scope: Option<Unit>,
    id: ContactId,
    contact: &NewContact,
) -> Result<(), ServerError> {
    let mut tx = db.begin_write().await?;
    let place = place_of_contact(&mut tx, id).await?;
    if !repo::directory::update_contact_scoped(&mut tx, id, contact, scope).await? {
        return Err(ServerError::NotFound);
    }
    log_change(
        &mut tx,
        at,
        by,
        AuditAction::ContactUpdate,
        id,
        place.district,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
