//! Districts, services and contacts.

use crate::domain::{
    ContactId, ContactRole, ContactView, DistrictDetail, DistrictId, DistrictSlug, DistrictSummary,
    EmailAddress, NewContact, ParseError, PhoneNumber, ServiceId, ServiceInput, ServiceKind,
    ServicePlace, ServiceView, Unit,
};
use crate::server::ServerError;
use sqlx::SqliteConnection;

/// Every district with its number of services and active contacts, by name (Norwegian
/// collation is approximated by SQLite's NOCASE; the list is short).
pub async fn list_districts(
    conn: &mut SqliteConnection,
) -> Result<Vec<DistrictSummary>, ServerError> {
    let rows = sqlx::query!(
        r#"SELECT d.id AS "id!", d.slug, d.name,
                  (SELECT count(*) FROM service s WHERE s.district_id = d.id) AS "service_count!: i64",
                  (SELECT count(*) FROM contact c JOIN service s ON s.id = c.service_id
                    WHERE s.district_id = d.id AND c.active = 1) AS "contact_count!: i64"
           FROM district d
           ORDER BY d.name COLLATE NOCASE"#
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(DistrictSummary {
                id: DistrictId(r.id),
                slug: DistrictSlug::parse(&r.slug).map_err(ServerError::invalid("slug"))?,
                name: r.name,
                service_count: u32::try_from(r.service_count).unwrap_or(u32::MAX),
                contact_count: u32::try_from(r.contact_count).unwrap_or(u32::MAX),
            })
        })
        .collect()
}

/// One district with its services and their active contacts, in a single query (no N+1):
/// standard services first (NAV, child welfare, violence coordinator), then the others by name.
pub async fn district_detail(
    conn: &mut SqliteConnection,
    slug: &DistrictSlug,
) -> Result<Option<DistrictDetail>, ServerError> {
    let slug_str = slug.as_str();
    let rows = sqlx::query!(
        r#"SELECT d.id AS "district_id!", d.name AS "district_name!",
                  s.id AS "service_id?", s.kind AS "kind?", s.name AS "service_name?",
                  s.email AS "service_email?", s.phone AS "service_phone?",
                  c.id AS "contact_id?", c.name AS "contact_name?", c.role AS "role?",
                  c.email AS "contact_email?", c.phone AS "contact_phone?"
           FROM district d
           LEFT JOIN service s ON s.district_id = d.id
           LEFT JOIN contact c ON c.service_id = s.id AND c.active = 1
           WHERE d.slug = ?1
           ORDER BY CASE s.kind WHEN 'nav' THEN 0 WHEN 'child_welfare' THEN 1
                                WHEN 'violence_coordinator' THEN 2 ELSE 3 END,
                    s.name COLLATE NOCASE, s.id,
                    CASE c.role WHEN 'leader' THEN 0 WHEN 'caseworker' THEN 1 ELSE 2 END,
                    c.name COLLATE NOCASE, c.id"#,
        slug_str
    )
    .fetch_all(&mut *conn)
    .await?;

    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let mut detail = DistrictDetail {
        id: DistrictId(first.district_id),
        slug: slug.clone(),
        name: first.district_name.clone(),
        services: Vec::new(),
    };
    for row in rows {
        let (Some(service_id), Some(kind), Some(service_name)) =
            (row.service_id, row.kind, row.service_name)
        else {
            continue; // a district without services
        };
        if detail.services.last().map(|s| s.id) != Some(ServiceId(service_id)) {
            detail.services.push(ServiceView {
                id: ServiceId(service_id),
                kind: ServiceKind::parse(&kind).map_err(ServerError::invalid("kind"))?,
                name: service_name,
                email: optional(row.service_email, EmailAddress::parse, "email")?,
                phone: optional(row.service_phone, PhoneNumber::parse, "phone")?,
                contacts: Vec::new(),
                editable: false,
            });
        }
        if let (Some(id), Some(name), Some(role), Some(email)) = (
            row.contact_id,
            row.contact_name,
            row.role,
            row.contact_email,
        ) {
            let service = detail.services.last_mut().expect("pushed above");
            service.contacts.push(ContactView {
                id: ContactId(id),
                name,
                role: ContactRole::parse(&role).map_err(ServerError::invalid("role"))?,
                email: EmailAddress::parse(&email).map_err(ServerError::invalid("email"))?,
                phone: optional(row.contact_phone, PhoneNumber::parse, "phone")?,
            });
        }
    }
    Ok(Some(detail))
}

fn optional<T>(
    raw: Option<String>,
    parse: fn(&str) -> Result<T, ParseError>,
    field: &'static str,
) -> Result<Option<T>, ServerError> {
    raw.map(|r| parse(&r).map_err(ServerError::invalid(field)))
        .transpose()
}

/// A new district. Fails with `Conflict { field: "name" }` when the name or slug is taken.
pub async fn insert_district(
    conn: &mut SqliteConnection,
    slug: &DistrictSlug,
    name: &str,
) -> Result<DistrictId, ServerError> {
    let slug = slug.as_str();
    let id = sqlx::query_scalar!(
        "INSERT INTO district (slug, name) VALUES (?1, ?2) RETURNING id AS \"id!\"",
        slug,
        name
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| unique_violation(e, "name"))?;
    Ok(DistrictId(id))
}

/// A new service in a district. A second service of the same standard kind is refused.
pub async fn insert_service(
    conn: &mut SqliteConnection,
    district: DistrictId,
    kind: ServiceKind,
    name: &str,
    email: Option<&EmailAddress>,
    phone: Option<&PhoneNumber>,
) -> Result<ServiceId, ServerError> {
    let kind = kind.as_str();
    let email = email.map(EmailAddress::as_str);
    let phone = phone.map(PhoneNumber::as_str);
    let id = sqlx::query_scalar!(
        "INSERT INTO service (district_id, kind, name, email, phone) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id AS \"id!\"",
        district.0,
        kind,
        name,
        email,
        phone
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| {
        // Two unique rules: the name within the district, one service of each standard kind.
        let name_taken = matches!(&e, sqlx::Error::Database(db) if db.message().contains("service.name"));
        unique_violation(e, if name_taken { "name" } else { "kind" })
    })?;
    Ok(ServiceId(id))
}

/// A new contact person of a service.
pub async fn insert_contact(
    conn: &mut SqliteConnection,
    service: ServiceId,
    name: &str,
    role: ContactRole,
    email: &EmailAddress,
    phone: Option<&PhoneNumber>,
) -> Result<ContactId, ServerError> {
    let role = role.as_str();
    let email = email.as_str();
    let phone = phone.map(PhoneNumber::as_str);
    let id = sqlx::query_scalar!(
        "INSERT INTO contact (service_id, name, role, email, phone) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id AS \"id!\"",
        service.0,
        name,
        role,
        email,
        phone
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(ContactId(id))
}

/// How many districts exist (the demo seed runs only on an empty directory).
pub async fn count_districts(conn: &mut SqliteConnection) -> Result<i64, ServerError> {
    Ok(
        sqlx::query_scalar!(r#"SELECT count(*) AS "n!: i64" FROM district"#)
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// Whether a district with this id exists.
pub async fn district_exists(
    conn: &mut SqliteConnection,
    id: DistrictId,
) -> Result<bool, ServerError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM district WHERE id = ?1) AS "e!: bool""#,
        id.0
    )
    .fetch_one(&mut *conn)
    .await?)
}

fn unique_violation(err: sqlx::Error, field: &'static str) -> ServerError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => ServerError::Conflict { field },
        _ => ServerError::Database(err),
    }
}

/// Where a service belongs: its district (id and slug) and kind. `None` when it does not exist.
pub async fn service_place(
    conn: &mut SqliteConnection,
    service: ServiceId,
) -> Result<Option<ServicePlace>, ServerError> {
    let row = sqlx::query!(
        r#"SELECT s.district_id AS "district_id!", d.slug, s.kind
           FROM service s JOIN district d ON d.id = s.district_id WHERE s.id = ?1"#,
        service.0
    )
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(ServicePlace {
            service,
            district: DistrictId(r.district_id),
            slug: DistrictSlug::parse(&r.slug).map_err(ServerError::invalid("slug"))?,
            kind: ServiceKind::parse(&r.kind).map_err(ServerError::invalid("kind"))?,
        })
    })
    .transpose()
}

/// The service an active contact belongs to. `None` when there is no such active contact.
pub async fn contact_service(
    conn: &mut SqliteConnection,
    contact: ContactId,
) -> Result<Option<ServiceId>, ServerError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT service_id AS "service_id!" FROM contact WHERE id = ?1 AND active = 1"#,
        contact.0
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(ServiceId))
}

/// Marks a contact as no longer active (the row stays, for the access log's references). With
/// a `scope`, only a contact of that unit is touched: the query itself keeps a caseworker inside
/// their own unit. Returns whether a row changed.
pub async fn deactivate_contact(
    conn: &mut SqliteConnection,
    contact: ContactId,
    scope: Option<Unit>,
) -> Result<bool, ServerError> {
    let district = scope.map(|u| u.district.0);
    let kind = scope.map(|u| u.service.as_str());
    let done = sqlx::query!(
        "UPDATE contact SET active = 0
         WHERE id = ?1 AND active = 1
           AND service_id IN (SELECT id FROM service
                              WHERE ?2 IS NULL OR (district_id = ?2 AND kind = ?3))",
        contact.0,
        district,
        kind
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Adds a contact to a service; with a `scope`, only to a service of that unit (checked in the
/// query). `None` when the service does not exist or is outside the scope.
pub async fn insert_contact_scoped(
    conn: &mut SqliteConnection,
    service: ServiceId,
    contact: &NewContact,
    scope: Option<Unit>,
) -> Result<Option<ContactId>, ServerError> {
    let role = contact.role.as_str();
    let email = contact.email.as_str();
    let phone = contact.phone.as_ref().map(PhoneNumber::as_str);
    let district = scope.map(|u| u.district.0);
    let kind = scope.map(|u| u.service.as_str());
    let id = sqlx::query_scalar!(
        r#"INSERT INTO contact (service_id, name, role, email, phone)
           SELECT ?1, ?2, ?3, ?4, ?5
           WHERE EXISTS (SELECT 1 FROM service
                         WHERE id = ?1 AND (?6 IS NULL OR (district_id = ?6 AND kind = ?7)))
           RETURNING id AS "id!""#,
        service.0,
        contact.name,
        role,
        email,
        phone,
        district,
        kind
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id.map(ContactId))
}

/// Renames a district (its slug, and so its address, stays). Returns whether it exists.
pub async fn rename_district(
    conn: &mut SqliteConnection,
    id: DistrictId,
    name: &str,
) -> Result<bool, ServerError> {
    let done = sqlx::query!("UPDATE district SET name = ?2 WHERE id = ?1", id.0, name)
        .execute(&mut *conn)
        .await
        .map_err(|e| unique_violation(e, "name"))?;
    Ok(done.rows_affected() == 1)
}

/// Changes a service's name and shared channels. Returns whether it exists.
pub async fn update_service(
    conn: &mut SqliteConnection,
    id: ServiceId,
    input: &ServiceInput,
) -> Result<bool, ServerError> {
    let email = input.email.as_ref().map(EmailAddress::as_str);
    let phone = input.phone.as_ref().map(PhoneNumber::as_str);
    let done = sqlx::query!(
        "UPDATE service SET name = ?2, email = ?3, phone = ?4 WHERE id = ?1",
        id.0,
        input.name,
        email,
        phone
    )
    .execute(&mut *conn)
    .await
    .map_err(|e| unique_violation(e, "name"))?;
    Ok(done.rows_affected() == 1)
}

/// Changes an active contact; with a `scope`, only one of that unit (checked in the query).
/// Returns whether a row changed.
pub async fn update_contact_scoped(
    conn: &mut SqliteConnection,
    id: ContactId,
    contact: &NewContact,
    scope: Option<Unit>,
) -> Result<bool, ServerError> {
    let role = contact.role.as_str();
    let email = contact.email.as_str();
    let phone = contact.phone.as_ref().map(PhoneNumber::as_str);
    let district = scope.map(|u| u.district.0);
    let kind = scope.map(|u| u.service.as_str());
    let done = sqlx::query!(
        "UPDATE contact SET name = ?2, role = ?3, email = ?4, phone = ?5
         WHERE id = ?1 AND active = 1
           AND service_id IN (SELECT id FROM service
                              WHERE ?6 IS NULL OR (district_id = ?6 AND kind = ?7))",
        id.0,
        contact.name,
        role,
        email,
        phone,
        district,
        kind
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
