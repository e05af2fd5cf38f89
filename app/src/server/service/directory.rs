//! The districts' service directory: reading it, and changing a unit's contact people.

use crate::domain::{
    ContactId, DistrictDetail, DistrictId, DistrictSlug, DistrictSummary, NewContact, ServiceId,
    ServicePlace, Unit,
};
use crate::server::repo::access_log::{self, ActorSnapshot, Entry, Outcome};
use crate::server::{ServerError, db, repo};
use sqlx::SqlitePool;
use time::OffsetDateTime;

/// The list of districts for the directory page.
#[tracing::instrument(skip_all)]
pub async fn list_districts(pool: &SqlitePool) -> Result<Vec<DistrictSummary>, ServerError> {
    let mut conn = pool.acquire().await?;
    repo::directory::list_districts(&mut conn).await
}

/// A district's page: its services, and their contact people when a `reader` is given. Contact
/// people are personal data (employees' names and addresses): their read is logged, one row in
/// the same transaction. Without a reader they are left out. `NotFound` for an unknown slug.
#[tracing::instrument(skip_all, fields(district = %slug))]
pub async fn district_detail(
    pool: &SqlitePool,
    slug: &DistrictSlug,
    reader: Option<(OffsetDateTime, &ActorSnapshot)>,
) -> Result<DistrictDetail, ServerError> {
    let Some((at, by)) = reader else {
        let mut conn = pool.acquire().await?;
        let mut detail = repo::directory::district_detail(&mut conn, slug)
            .await?
            .ok_or(ServerError::NotFound)?;
        for service in &mut detail.services {
            service.contacts.clear();
        }
        return Ok(detail);
    };
    let mut tx = db::begin_write(pool).await?;
    let detail = repo::directory::district_detail(&mut tx, slug)
        .await?
        .ok_or(ServerError::NotFound)?;
    access_log::append(
        &mut tx,
        &Entry {
            at,
            actor: Some(by),
            action: "directory.read_contacts",
            object_type: Some("district"),
            object_id: Some(detail.id.to_string()),
            district: Some(detail.id),
            reason: None,
            outcome: Outcome::Ok,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(detail)
}

/// Where a service sits (district and kind), for the access check. `NotFound` when unknown.
pub async fn service_place(
    pool: &SqlitePool,
    service: ServiceId,
) -> Result<ServicePlace, ServerError> {
    let mut conn = pool.acquire().await?;
    repo::directory::service_place(&mut conn, service)
        .await?
        .ok_or(ServerError::NotFound)
}

/// Where an active contact's service sits. `NotFound` when there is no such active contact.
pub async fn contact_place(
    pool: &SqlitePool,
    contact: ContactId,
) -> Result<ServicePlace, ServerError> {
    let mut conn = pool.acquire().await?;
    let service = repo::directory::contact_service(&mut conn, contact)
        .await?
        .ok_or(ServerError::NotFound)?;
    repo::directory::service_place(&mut conn, service)
        .await?
        .ok_or(ServerError::NotFound)
}

/// Adds a contact person to a service, with its access-log row, in one transaction. `scope`
/// keeps a caseworker to their own unit in the query as well (`None`: administrators).
#[tracing::instrument(skip_all, fields(service = %service))]
pub async fn add_contact(
    pool: &SqlitePool,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    scope: Option<Unit>,
    service: ServiceId,
    contact: &NewContact,
) -> Result<ContactId, ServerError> {
    let mut tx = db::begin_write(pool).await?;
    let place = repo::directory::service_place(&mut tx, service)
        .await?
        .ok_or(ServerError::NotFound)?;
    let id = repo::directory::insert_contact_scoped(&mut tx, service, contact, scope)
        .await?
        .ok_or(ServerError::NotFound)?;
    log_change(&mut tx, at, by, "contact.create", id, place.district).await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a contact person from the directory (marks the row inactive), with its access-log
/// row, in one transaction. `scope` as for [`add_contact`].
#[tracing::instrument(skip_all, fields(contact = %contact))]
pub async fn remove_contact(
    pool: &SqlitePool,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    scope: Option<Unit>,
    contact: ContactId,
) -> Result<ServicePlace, ServerError> {
    let mut tx = db::begin_write(pool).await?;
    let service = repo::directory::contact_service(&mut tx, contact)
        .await?
        .ok_or(ServerError::NotFound)?;
    let place = repo::directory::service_place(&mut tx, service)
        .await?
        .ok_or(ServerError::NotFound)?;
    if !repo::directory::deactivate_contact(&mut tx, contact, scope).await? {
        return Err(ServerError::NotFound);
    }
    log_change(&mut tx, at, by, "contact.remove", contact, place.district).await?;
    tx.commit().await?;
    Ok(place)
}

async fn log_change(
    conn: &mut sqlx::SqliteConnection,
    at: OffsetDateTime,
    by: &ActorSnapshot,
    action: &'static str,
    contact: ContactId,
    district: DistrictId,
) -> Result<(), ServerError> {
    access_log::append(
        conn,
        &Entry {
            at,
            actor: Some(by),
            action,
            object_type: Some("contact"),
            object_id: Some(contact.to_string()),
            district: Some(district),
            reason: None,
            outcome: Outcome::Ok,
        },
    )
    .await
}
