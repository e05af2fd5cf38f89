//! Demo data: Oslo's 15 districts, each with NAV, child welfare and a violence coordinator, and
//! fictitious contact people. E-mail addresses use the reserved `example.org` domain; phone
//! numbers start with 00, which no Norwegian subscriber number does. Created only when asked for
//! (`portal seed-demo`, or `portal serve --seed-demo`), and only into an empty directory.

use crate::domain::{
    ContactRole, DistrictId, DistrictSlug, EmailAddress, PhoneNumber, Role, ServiceKind, Unit,
};
use crate::server::db::Db;
use crate::server::repo::users::NewUser;
use crate::server::service::accounts::insert_user_logged;
use crate::server::{ServerError, password, repo};

/// Oslo's districts (bydeler), in the municipality's usual order.
pub const OSLO_DISTRICTS: [&str; 15] = [
    "Gamle Oslo",
    "Grünerløkka",
    "Sagene",
    "St. Hanshaugen",
    "Frogner",
    "Ullern",
    "Vestre Aker",
    "Nordre Aker",
    "Bjerke",
    "Grorud",
    "Stovner",
    "Alna",
    "Østensjø",
    "Nordstrand",
    "Søndre Nordstrand",
];

const FIRST_NAMES: [&str; 12] = [
    "Kari", "Ola", "Ingrid", "Lars", "Aisha", "Jonas", "Marte", "Ahmed", "Silje", "Even", "Nora",
    "Tobias",
];
const LAST_NAMES: [&str; 10] = [
    "Nordmann", "Hansen", "Berg", "Dahl", "Haugen", "Lien", "Moen", "Bakke", "Strand", "Eide",
];

/// The password of every demo user. For the demo only: the demo data is never created unless
/// asked for, and the README lists these logins.
pub const DEMO_PASSWORD: &str = "demo-passord-2026";

/// A demo user: e-mail local part, name, role, and for caseworkers the district slug and service
/// (for a district manager the district slug alone).
pub type DemoUser = (
    &'static str,
    &'static str,
    Role,
    Option<&'static str>,
    Option<ServiceKind>,
);

/// The demo users: one of each role, NAV, child welfare and violence coordinator caseworkers for
/// Alna and Frogner, and Alna's district manager.
pub const DEMO_USERS: [DemoUser; 10] = [
    ("admin", "Demo Administrator", Role::Admin, None, None),
    (
        "krisesenter",
        "Demo Krisesenteransatt",
        Role::CrisisCenter,
        None,
        None,
    ),
    ("kontrollor", "Demo Kontrollør", Role::Reviewer, None, None),
    (
        "nav.alna",
        "Demo NAV Alna",
        Role::Caseworker,
        Some("alna"),
        Some(ServiceKind::Nav),
    ),
    (
        "barnevern.alna",
        "Demo Barnevern Alna",
        Role::Caseworker,
        Some("alna"),
        Some(ServiceKind::ChildWelfare),
    ),
    (
        "vold.alna",
        "Demo Voldskoordinator Alna",
        Role::Caseworker,
        Some("alna"),
        Some(ServiceKind::ViolenceCoordinator),
    ),
    (
        "nav.frogner",
        "Demo NAV Frogner",
        Role::Caseworker,
        Some("frogner"),
        Some(ServiceKind::Nav),
    ),
    (
        "barnevern.frogner",
        "Demo Barnevern Frogner",
        Role::Caseworker,
        Some("frogner"),
        Some(ServiceKind::ChildWelfare),
    ),
    (
        "vold.frogner",
        "Demo Voldskoordinator Frogner",
        Role::Caseworker,
        Some("frogner"),
        Some(ServiceKind::ViolenceCoordinator),
    ),
    (
        "leder.alna",
        "Demo Bydelsledelse Alna",
        Role::DistrictManager,
        Some("alna"),
        None,
    ),
];

/// The e-mail address of a demo user, e.g. `nav.alna@demo.example.org`.
pub fn demo_email(local: &str) -> String {
    format!("{local}@demo.example.org")
}

/// What the seed did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOutcome {
    Created {
        districts: usize,
        services: usize,
        contacts: usize,
        users: usize,
    },
    AlreadyPresent,
}

/// Seeds the demo directory and demo users in one transaction; does nothing when any district
/// exists. The demo password is hashed once and shared by all demo users.
pub async fn seed_demo(db: &Db) -> Result<SeedOutcome, ServerError> {
    seed_demo_with(db, &DEMO_USERS).await
}

/// [`seed_demo`] with these users (the migration tests leave out roles an older schema does not
/// know).
pub async fn seed_demo_with(db: &Db, demo_users: &[DemoUser]) -> Result<SeedOutcome, ServerError> {
    let password_hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut tx = db.begin_write().await?;
    if repo::directory::count_districts(&mut tx).await? > 0 {
        return Ok(SeedOutcome::AlreadyPresent);
    }
    let (mut services, mut contacts) = (0, 0);
    let mut district_ids = std::collections::HashMap::new();
    for (d, name) in OSLO_DISTRICTS.iter().enumerate() {
        let slug = DistrictSlug::from_name(name).map_err(ServerError::invalid("slug"))?;
        let district = repo::directory::insert_district(&mut tx, &slug, name).await?;
        district_ids.insert(slug.as_str().to_owned(), district);
        let mut kinds: Vec<(ServiceKind, String)> = ServiceKind::STANDARD
            .iter()
            .map(|k| (*k, standard_service_name(*k, name)))
            .collect();
        if name == &"Alna" {
            kinds.push((ServiceKind::Other, format!("Boligkontoret i bydel {name}")));
        }
        for (s, (kind, service_name)) in kinds.into_iter().enumerate() {
            let inbox = email(&format!("postmottak.{}.{}", kind_slug(kind), slug.as_str()))?;
            let phone = fake_phone(d, s, 0)?;
            let service = repo::directory::insert_service(
                &mut tx,
                district,
                kind,
                &service_name,
                Some(&inbox),
                Some(&phone),
            )
            .await?;
            services += 1;
            for (c, role) in [
                ContactRole::Leader,
                ContactRole::Caseworker,
                ContactRole::Caseworker,
            ]
            .iter()
            .enumerate()
            {
                let n = d * 7 + s * 3 + c;
                let first = FIRST_NAMES[n % FIRST_NAMES.len()];
                let last = LAST_NAMES[(n / FIRST_NAMES.len() + d + c) % LAST_NAMES.len()];
                let address = email(&format!(
                    "{}.{}.{}",
                    first.to_lowercase(),
                    last.to_lowercase(),
                    slug.as_str()
                ))?;
                let phone = fake_phone(d, s, c + 1)?;
                repo::directory::insert_contact(
                    &mut tx,
                    service,
                    &format!("{first} {last}"),
                    *role,
                    &address,
                    Some(&phone),
                )
                .await?;
                contacts += 1;
            }
        }
    }
    for &(local, name, role, district, service) in demo_users {
        let district: Option<DistrictId> = match district {
            Some(slug) => Some(*district_ids.get(slug).ok_or(ServerError::NotFound)?),
            None => None,
        };
        let (unit, manages) = match (district, service) {
            (Some(district), Some(service)) => (Some(Unit { district, service }), None),
            (district, _) => (None, district),
        };
        let email =
            EmailAddress::parse(&demo_email(local)).map_err(ServerError::invalid("email"))?;
        let user = NewUser {
            email: &email,
            name,
            role,
            unit,
            manages,
            password_hash: &password_hash,
            must_change_password: false,
        };
        insert_user_logged(
            &mut tx,
            time::OffsetDateTime::now_utc(),
            None,
            &user,
            "demo data",
        )
        .await?;
    }
    tx.commit().await?;
    Ok(SeedOutcome::Created {
        districts: OSLO_DISTRICTS.len(),
        services,
        contacts,
        users: demo_users.len(),
    })
}

fn standard_service_name(kind: ServiceKind, district: &str) -> String {
    match kind {
        ServiceKind::Nav => format!("NAV {district}"),
        ServiceKind::ChildWelfare => format!("Barneverntjenesten i bydel {district}"),
        ServiceKind::ViolenceCoordinator => format!("Voldskoordinator i bydel {district}"),
        ServiceKind::Other => district.to_owned(),
    }
}

fn kind_slug(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::Nav => "nav",
        ServiceKind::ChildWelfare => "barnevern",
        ServiceKind::ViolenceCoordinator => "voldskoordinator",
        ServiceKind::Other => "bolig",
    }
}

fn email(local: &str) -> Result<EmailAddress, ServerError> {
    EmailAddress::parse(&format!("{local}@example.org")).map_err(ServerError::invalid("email"))
}

fn fake_phone(district: usize, service: usize, person: usize) -> Result<PhoneNumber, ServerError> {
    PhoneNumber::parse(&format!(
        "+47 00 {:02} {:02} {:02}",
        district + 10,
        service + 10,
        person + 10
    ))
    .map_err(ServerError::invalid("phone"))
}

/// Demo plans, dated relative to `now` so that the inboxes show something at once: one whose
/// Child welfare of Alna (the demo caseworker) records the day it received the demo plan's report
/// of concern, on its review task, as a caseworker does. Under routine version 1 the review only
/// comes with the receipt, so there is no task to record it on (the migration tests seed
/// databases of that time): then nothing is recorded.
async fn record_demo_receipt(
    db: &Db,
    when: crate::server::service::plans::When,
    stay: crate::domain::plan::StayId,
    received: time::Date,
) -> Result<(), ServerError> {
    use crate::domain::{ActorSnapshot, Inbox, ServiceKind, Unit};
    let email = demo_email("barnevern.alna");
    let mut conn = db.acquire().await?;
    let user = sqlx::query!(
        r#"SELECT id AS "id!", name, district_id AS "district!" FROM app_user WHERE email = ?1"#,
        email
    )
    .fetch_one(&mut *conn)
    .await?;
    let Some(task) = sqlx::query!(
        r#"SELECT id AS "id!", version FROM task
           WHERE stay_id = ?1 AND step = 'child_welfare_review'"#,
        stay.0
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    drop(conn);
    let by = ActorSnapshot {
        user: crate::domain::UserId(user.id),
        name: user.name,
        role: Role::Caseworker,
    };
    let at = crate::server::service::plans::TaskRef {
        inbox: Inbox::Unit(Unit {
            district: crate::domain::DistrictId(user.district),
            service: ServiceKind::ChildWelfare,
        }),
        task: crate::domain::plan::TaskId(task.id),
        version: task.version,
    };
    crate::server::service::plans::record_receipt(db, when, &by, at, received).await
}

/// housing plan is overdue (Alna), one with children, a report of concern and a move to Frogner,
/// and a fresh one in Frogner. Written through the services as the demo crisis center user, so
/// they carry their access-log rows and task history like any other plan. Only when there are
/// no stays yet; returns how many plans were created.
pub async fn seed_demo_plans(db: &Db, now: time::OffsetDateTime) -> Result<usize, ServerError> {
    use crate::domain::ActorSnapshot;
    use crate::domain::plan::{IntakeForm, StayId, date_text};
    use crate::server::repo::plans::ConcernDates;
    use crate::server::service::plans::{When, create_plan, record_concern};

    let mut conn = db.acquire().await?;
    let stays: i64 = sqlx::query_scalar!(r#"SELECT count(*) AS "n!: i64" FROM stay"#)
        .fetch_one(&mut *conn)
        .await?;
    let email = demo_email("krisesenter");
    let staff = sqlx::query!(
        r#"SELECT id AS "id!", name FROM app_user WHERE email = ?1"#,
        email
    )
    .fetch_optional(&mut *conn)
    .await?;
    let districts: Vec<(i64, String)> =
        sqlx::query!(r#"SELECT id AS "id!", slug FROM district WHERE slug IN ('alna', 'frogner')"#)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|r| (r.id, r.slug))
            .collect();
    drop(conn);
    let (Some(staff), 0) = (staff, stays) else {
        return Ok(0);
    };
    let id_of = |slug: &str| {
        districts
            .iter()
            .find(|(_, s)| s == slug)
            .map(|(id, _)| id.to_string())
            .unwrap_or_default()
    };
    let by = ActorSnapshot {
        user: crate::domain::UserId(staff.id),
        name: staff.name,
        role: Role::CrisisCenter,
    };
    let today = crate::server::clock::oslo_date(now);
    let when = When {
        at: now,
        today,
        soon_days: 3,
        ready_days: 14,
    };
    let days_ago = |n: i64| date_text(today - time::Duration::days(n));
    let plans = [
        ("Demo Beboer Alfa", "1987", "", days_ago(20), "alna", "", ""),
        (
            "Demo Beboer Bravo",
            "1993",
            "2017, 2020",
            days_ago(10),
            "alna",
            "frogner",
            "threat",
        ),
        (
            "Demo Beboer Charlie",
            "1979",
            "",
            days_ago(3),
            "frogner",
            "",
            "",
        ),
    ];
    for (i, (name, year, children, arrival, home, target, reason)) in plans.iter().enumerate() {
        let form = IntakeForm {
            name: (*name).to_owned(),
            birth_year: (*year).to_owned(),
            gender: "female".into(),
            case_reference: format!("DEMO-{}", i + 1),
            arrival: arrival.clone(),
            referral: "police".into(),
            home: id_of(home),
            target: if target.is_empty() {
                String::new()
            } else {
                id_of(target)
            },
            target_reason: (*reason).to_owned(),
            children: (*children).to_owned(),
            // The resident consented orally to share with each service at intake; Charlie was
            // not yet asked about the violence coordinator (whose inbox says "awaiting consent").
            consents: std::array::from_fn(|k| {
                if i == 2 && k == 2 {
                    (String::new(), String::new())
                } else {
                    ("given".into(), "oral".into())
                }
            }),
            ..IntakeForm::default()
        };
        let intake = form.parse(today).map_err(ServerError::Field)?;
        let stay: StayId = create_plan(db, when, &by, &intake).await?;
        if !children.is_empty() {
            let reported = today - time::Duration::days(8);
            let dates = ConcernDates {
                registered: Some(reported),
                sent: Some(reported),
                received: None,
            };
            let version = sqlx::query_scalar!("SELECT version FROM stay WHERE id = ?1", stay.0)
                .fetch_one(&mut *db.acquire().await?)
                .await?;
            record_concern(db, when, &by, stay, version, dates).await?;
            record_demo_receipt(db, when, stay, reported + time::Duration::days(1)).await?;
        }
    }
    Ok(plans.len())
}
