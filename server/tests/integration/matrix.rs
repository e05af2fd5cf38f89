//! The authorization matrix: every server function and every page route, called by every kind
//! of user, against objects of Alna's NAV unit. "Own" is Alna's NAV caseworker, "other" is
//! Frogner's. Driven from the tables below; the coverage tests fail when a server function or
//! route exists without a row.

use crate::support::{Browser, TestApp};
use app::server::demo::demo_email;

/// Who calls, in the order of the status columns below.
const WHO: [Option<&str>; 7] = [
    None,                // anonymous
    Some("krisesenter"), // crisis center staff
    Some("nav.alna"),    // caseworker of the object's own unit
    Some("nav.frogner"), // caseworker of another district
    Some("kontrollor"),  // municipal reviewer
    Some("admin"),       // administrator
    Some("leder.alna"),  // district manager of the object's own district
];

const SIGNED_IN: [u16; 7] = [401, 200, 200, 200, 200, 200, 200];
const ADMIN_ONLY: [u16; 7] = [401, 403, 403, 403, 403, 200, 403];
const OWN_UNIT: [u16; 7] = [401, 403, 200, 404, 403, 200, 403];
const STAFF_ONLY: [u16; 7] = [401, 200, 403, 403, 403, 403, 403];
/// A task of Alna's NAV: its caseworkers only; anyone else with an inbox finds nothing.
const OWN_TASK: [u16; 7] = [401, 404, 200, 404, 403, 403, 403];

/// The ids the rows need, looked up once.
struct Ids {
    /// A plan of a resident of Alna, with the housing-plan task in Alna NAV's inbox.
    stay: i64,
    housing_task: i64,
    alna_vold_service: i64,
    alna_district: i64,
    alna_nav_service: i64,
    child_welfare_alna_user: i64,
    child_welfare_alna_district: i64,
    /// A deviation on a housing-plan task of Alna's NAV.
    deviation: i64,
    /// An open audit finding of Alna.
    finding: i64,
}

/// An administrator, as the access log records them.
async fn admin_snapshot(pool: &sqlx::SqlitePool) -> app::domain::ActorSnapshot {
    let user: i64 = sqlx::query_scalar("SELECT id FROM app_user WHERE role = 'admin' LIMIT 1")
        .fetch_one(pool)
        .await
        .unwrap();
    app::domain::ActorSnapshot {
        user: app::domain::UserId(user),
        name: "Matrise".into(),
        role: app::domain::Role::Admin,
    }
}

/// An open audit finding of Alna (dated 1 March 2026), recorded by an administrator through the
/// service.
async fn fresh_finding(db: &app::server::db::Db, pool: &sqlx::SqlitePool) -> i64 {
    use app::domain::finding::NewFinding;
    let district: i64 = sqlx::query_scalar("SELECT id FROM district WHERE slug = 'alna'")
        .fetch_one(pool)
        .await
        .unwrap();
    let by = admin_snapshot(pool).await;
    let finding = NewFinding {
        found_on: time::macros::date!(2026 - 03 - 01),
        legal_basis: "Krisesenterlova § 4".into(),
        text: "Mangler rutine".into(),
    };
    let at = time::macros::datetime!(2026-03-16 09:00 UTC);
    app::server::service::findings::record(db, at, &by, app::domain::DistrictId(district), finding)
        .await
        .unwrap()
        .0
}

/// A fresh open closure step of Alna's NAV (version 1) on a fresh finding.
async fn fresh_step(db: &app::server::db::Db, pool: &sqlx::SqlitePool) -> i64 {
    use app::domain::finding::{FindingId, NewStep};
    let finding = fresh_finding(db, pool).await;
    let by = admin_snapshot(pool).await;
    let step = NewStep {
        service: app::domain::ServiceKind::Nav,
        text: "Vedta rutinen".into(),
        due_on: time::macros::date!(2026 - 06 - 01),
    };
    let at = time::macros::datetime!(2026-03-16 09:00 UTC);
    app::server::service::findings::add_step(db, at, &by, FindingId(finding), step)
        .await
        .unwrap()
        .0
}

/// A deviation on a fresh plan's housing-plan task of Alna's NAV, reported by crisis center
/// staff through the service.
async fn fresh_deviation(db: app::server::db::Db, pool: sqlx::SqlitePool) -> i64 {
    let (_, task) = fresh_plan(db.clone(), false).await;
    let (by, when) = staff_now(&pool).await;
    app::server::service::deviations::open_by_hand(
        &db,
        when,
        &by,
        None,
        app::domain::plan::TaskId(task),
        "Matriseavvik",
    )
    .await
    .unwrap()
    .0
}

/// What a row sends: the form for one call (a fresh object where a call consumes one).
type Args = fn(&TestApp, &Ids, usize) -> futures_like::BoxFuture<Vec<(String, String)>>;

mod futures_like {
    pub type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>;
}

/// A fresh plan of a resident of Alna (with a child when asked), made as crisis center staff
/// through the service: (stay, housing-plan task).
async fn fresh_plan(db: app::server::db::Db, children: bool) -> (i64, i64) {
    fresh_plan_of(db, children, "Matrise Beboersen").await
}

/// Crisis center staff as the matrix's services act, at the matrix's moment.
async fn staff_now(
    pool: &sqlx::SqlitePool,
) -> (
    app::domain::ActorSnapshot,
    app::server::service::plans::When,
) {
    use app::domain::ActorSnapshot;
    use app::server::service::plans::When;
    let user: i64 =
        sqlx::query_scalar("SELECT id FROM app_user WHERE role = 'crisis_center' LIMIT 1")
            .fetch_one(pool)
            .await
            .unwrap();
    let by = ActorSnapshot {
        user: app::domain::UserId(user),
        name: "Matrise".into(),
        role: app::domain::Role::CrisisCenter,
    };
    let when = When {
        at: time::macros::datetime!(2026-03-16 09:00 UTC),
        today: time::macros::date!(2026 - 03 - 16),
        soon_days: 3,
        ready_days: 14,
    };
    (by, when)
}

/// [`fresh_plan`] of a resident with another name (the link rule matches names).
async fn fresh_plan_of(db: app::server::db::Db, children: bool, name: &str) -> (i64, i64) {
    use app::domain::plan::IntakeForm;
    use app::server::service::plans::create_plan;
    let home: i64 = sqlx::query_scalar("SELECT id FROM district WHERE slug = 'alna'")
        .fetch_one(db.read_pool())
        .await
        .unwrap();
    let (by, when) = staff_now(db.read_pool()).await;
    let form = IntakeForm {
        name: name.into(),
        birth_year: "1988".into(),
        gender: "female".into(),
        arrival: "2026-03-16".into(),
        referral: "self".into(),
        home: home.to_string(),
        children: if children {
            "2020".into()
        } else {
            String::new()
        },
        // The fixtures register one name many times: each is a new stay, and says so.
        duplicate_reason: "Matrisetest".into(),
        ..IntakeForm::default()
    };
    let intake = form.parse(when.today).unwrap();
    let stay = create_plan(&db, when, &by, &intake).await.unwrap();
    let task =
        sqlx::query_scalar("SELECT id FROM task WHERE stay_id = ?1 AND step = 'housing_plan'")
            .bind(stay.0)
            .fetch_one(db.read_pool())
            .await
            .unwrap();
    (stay.0, task)
}

async fn stay_version(pool: &sqlx::SqlitePool, stay: i64) -> String {
    sqlx::query_scalar::<_, i64>("SELECT version FROM stay WHERE id = ?1")
        .bind(stay)
        .fetch_one(pool)
        .await
        .unwrap()
        .to_string()
}

fn pairs(items: &[(&str, String)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

/// One row per server function: endpoint, arguments, expected status per caller.
fn endpoint_rows() -> Vec<(&'static str, Args, [u16; 7])> {
    vec![
        ("districts", |_, _, _| Box::pin(async { vec![] }), SIGNED_IN),
        (
            "district",
            |_, _, _| Box::pin(async { pairs(&[("slug", "alna".into())]) }),
            SIGNED_IN,
        ),
        (
            "contact_add",
            |_, ids, n| {
                let service = ids.alna_nav_service;
                Box::pin(async move {
                    pairs(&[
                        ("service", service.to_string()),
                        ("name", "Matrise Testesen".into()),
                        ("role", "caseworker".into()),
                        ("email", format!("matrise{n}@example.org")),
                    ])
                })
            },
            OWN_UNIT,
        ),
        (
            "contact_remove",
            |app, ids, n| {
                let pool = app.pool.clone();
                let service = ids.alna_nav_service;
                Box::pin(async move {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO contact (service_id, name, role, email) VALUES (?1, 'Fjernes Testesen', 'other', ?2) RETURNING id",
                    )
                    .bind(service)
                    .bind(format!("fjernes{n}@example.org"))
                    .fetch_one(&pool)
                    .await
                    .unwrap();
                    pairs(&[("contact", id.to_string())])
                })
            },
            OWN_UNIT,
        ),
        (
            "contact_update",
            |app, ids, n| {
                let pool = app.pool.clone();
                let service = ids.alna_nav_service;
                Box::pin(async move {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO contact (service_id, name, role, email) VALUES (?1, 'Endres Testesen', 'other', ?2) RETURNING id",
                    )
                    .bind(service)
                    .bind(format!("endres{n}@example.org"))
                    .fetch_one(&pool)
                    .await
                    .unwrap();
                    pairs(&[
                        ("contact", id.to_string()),
                        ("name", "Endret Testesen".into()),
                        ("role", "leader".into()),
                        ("email", format!("endret{n}@example.org")),
                    ])
                })
            },
            OWN_UNIT,
        ),
        (
            "district_create",
            |_, _, n| Box::pin(async move { pairs(&[("name", format!("Testbydel {n}"))]) }),
            ADMIN_ONLY,
        ),
        (
            "district_rename",
            |_, ids, _| {
                let id = ids.alna_district;
                Box::pin(async move {
                    pairs(&[
                        ("id", id.to_string()),
                        ("slug", "alna".into()),
                        ("name", "Alna".into()),
                    ])
                })
            },
            ADMIN_ONLY,
        ),
        (
            "control_matrix",
            |_, _, _| Box::pin(async { pairs(&[]) }),
            [401, 403, 403, 403, 200, 200, 403],
        ),
        (
            "district_control",
            |_, _, _| Box::pin(async { pairs(&[("slug", "alna".into())]) }),
            // Alna's own caseworkers read their district's documents; other districts do not.
            [401, 403, 200, 403, 200, 200, 200],
        ),
        (
            "own_district",
            |_, _, _| Box::pin(async { vec![] }),
            SIGNED_IN,
        ),
        (
            "control_document_save",
            |_, ids, n| {
                let id = ids.alna_district;
                Box::pin(async move {
                    // The administrator's and the district manager's calls are saved, each on
                    // a document of its own; the others are refused first.
                    let document = if n % 2 == 0 { "ros" } else { "internkontroll" };
                    pairs(&[
                        ("district", id.to_string()),
                        ("slug", "alna".into()),
                        ("document", document.into()),
                        ("version", "0".into()),
                        ("status", "draft".into()),
                    ])
                })
            },
            // Administrators for every district; Alna's district manager for Alna.
            [401, 403, 403, 403, 403, 200, 200],
        ),
        (
            "control_document_create",
            |_, _, n| {
                Box::pin(async move {
                    pairs(&[
                        ("document_slug", format!("matrise-{n}")),
                        ("name_nb", format!("Matrisedokument {n}")),
                        ("name_en", format!("Matrix document {n}")),
                    ])
                })
            },
            ADMIN_ONLY,
        ),
        (
            "district_findings",
            |_, _, _| Box::pin(async { pairs(&[("slug", "alna".into())]) }),
            // As the district's documents.
            [401, 403, 200, 403, 200, 200, 200],
        ),
        (
            "finding_record",
            |_, ids, _| {
                let id = ids.alna_district;
                Box::pin(async move {
                    pairs(&[
                        ("district", id.to_string()),
                        ("slug", "alna".into()),
                        ("found_on", "2026-03-01".into()),
                        ("legal_basis", "Krisesenterlova § 4".into()),
                        ("finding_text", "Mangler rutine".into()),
                    ])
                })
            },
            // Reviewers and administrators.
            [401, 403, 403, 403, 200, 200, 403],
        ),
        (
            "finding_step_add",
            |_, ids, _| {
                let id = ids.finding;
                Box::pin(async move {
                    pairs(&[
                        ("finding", id.to_string()),
                        ("slug", "alna".into()),
                        ("owner", "nav".into()),
                        ("step_text", "Vedta rutinen".into()),
                        ("due_on", "2026-06-01".into()),
                    ])
                })
            },
            // The district's management and administrators plan the closure.
            [401, 403, 403, 403, 403, 200, 200],
        ),
        (
            "finding_step_set",
            |app, _, _| {
                let (db, pool) = (app.db.clone(), app.pool.clone());
                Box::pin(async move {
                    let step = fresh_step(&db, &pool).await;
                    pairs(&[
                        ("step", step.to_string()),
                        ("version", "1".into()),
                        ("done", "1".into()),
                        ("slug", "alna".into()),
                    ])
                })
            },
            // The step's unit, the district's management and administrators.
            [401, 403, 200, 403, 403, 200, 200],
        ),
        (
            "finding_close",
            |app, _, _| {
                let (db, pool) = (app.db.clone(), app.pool.clone());
                Box::pin(async move {
                    let finding = fresh_finding(&db, &pool).await;
                    pairs(&[
                        ("finding", finding.to_string()),
                        ("version", "1".into()),
                        ("slug", "alna".into()),
                        ("closed_on", "2026-03-16".into()),
                        ("closing_note", "Rutinen er vedtatt".into()),
                    ])
                })
            },
            // Reviewers and administrators.
            [401, 403, 403, 403, 200, 200, 403],
        ),
        (
            "open_findings",
            |_, _, _| Box::pin(async { vec![] }),
            // Those who read every district's internal control.
            [401, 403, 403, 403, 200, 200, 403],
        ),
        (
            "unit_finding_steps",
            |_, _, _| Box::pin(async { vec![] }),
            SIGNED_IN,
        ),
        (
            "service_create",
            |_, ids, n| {
                let id = ids.alna_district;
                Box::pin(async move {
                    pairs(&[
                        ("district", id.to_string()),
                        ("slug", "alna".into()),
                        ("kind", "other".into()),
                        ("name", format!("Testtjeneste {n}")),
                    ])
                })
            },
            ADMIN_ONLY,
        ),
        (
            "service_update",
            |_, ids, _| {
                let id = ids.alna_nav_service;
                Box::pin(async move {
                    pairs(&[("service", id.to_string()), ("name", "NAV Alna".into())])
                })
            },
            ADMIN_ONLY,
        ),
        (
            "change_password",
            // A wrong current password: whoever gets past the access check gets 400.
            |_, _, _| {
                Box::pin(async {
                    pairs(&[
                        ("current_password", "not the password".into()),
                        ("new_password", "a long new password".into()),
                        ("repeat_password", "a long new password".into()),
                    ])
                })
            },
            [401, 400, 400, 400, 400, 400, 400],
        ),
        ("users", |_, _, _| Box::pin(async { vec![] }), ADMIN_ONLY),
        (
            "user",
            |_, ids, _| {
                let id = ids.child_welfare_alna_user;
                Box::pin(async move { pairs(&[("id", id.to_string())]) })
            },
            ADMIN_ONLY,
        ),
        (
            "user_create",
            |_, _, n| {
                Box::pin(async move {
                    pairs(&[
                        ("email", format!("ny{n}@example.org")),
                        ("name", "Ny Bruker".into()),
                        ("role", "reviewer".into()),
                        ("password", "a long temporary one".into()),
                    ])
                })
            },
            ADMIN_ONLY,
        ),
        (
            "user_update",
            |_, ids, _| {
                let (id, district) = (ids.child_welfare_alna_user, ids.child_welfare_alna_district);
                Box::pin(async move {
                    pairs(&[
                        ("id", id.to_string()),
                        ("name", "Demo Barnevern Alna".into()),
                        ("role", "caseworker".into()),
                        ("district", district.to_string()),
                        ("service", "child_welfare".into()),
                        ("active", "1".into()),
                    ])
                })
            },
            ADMIN_ONLY,
        ),
        (
            "user_reset_password",
            |_, ids, _| {
                let id = ids.child_welfare_alna_user;
                Box::pin(async move {
                    pairs(&[
                        ("id", id.to_string()),
                        ("password", "a long temporary one".into()),
                    ])
                })
            },
            ADMIN_ONLY,
        ),
        (
            "user_reset_second_factor",
            |_, ids, _| {
                let id = ids.child_welfare_alna_user;
                Box::pin(async move { pairs(&[("id", id.to_string())]) })
            },
            ADMIN_ONLY,
        ),
        (
            "access_log",
            |_, _, _| Box::pin(async { vec![] }),
            ADMIN_ONLY,
        ),
        ("outbox", |_, _, _| Box::pin(async { vec![] }), ADMIN_ONLY),
        (
            "outbox_retry",
            // Nothing has failed: whoever gets past the access check finds nothing to retry.
            |_, _, _| Box::pin(async { pairs(&[("id", "1".into())]) }),
            [401, 403, 403, 403, 403, 404, 403],
        ),
        (
            "unit_mail_pause",
            // Each call pauses another district's NAV (a second pause of one unit is 409).
            |app, _, n| {
                let pool = app.pool.clone();
                Box::pin(async move {
                    let district: i64 =
                        sqlx::query_scalar("SELECT id FROM district ORDER BY id LIMIT 1 OFFSET ?1")
                            .bind(i64::try_from(n % 15).unwrap())
                            .fetch_one(&pool)
                            .await
                            .unwrap();
                    pairs(&[
                        ("district", district.to_string()),
                        ("service", "nav".into()),
                    ])
                })
            },
            ADMIN_ONLY,
        ),
        (
            "unit_mail_resume",
            // Nothing is paused there: whoever gets past the access check finds nothing.
            |_, ids, _| {
                let district = ids.child_welfare_alna_district;
                Box::pin(async move {
                    pairs(&[
                        ("district", district.to_string()),
                        ("service", "child_welfare".into()),
                    ])
                })
            },
            [401, 403, 403, 403, 403, 404, 403],
        ),
        ("account", |_, _, _| Box::pin(async { vec![] }), SIGNED_IN),
        // Aggregates of every district: not for a caseworker, who sees their own district's.
        (
            "compliance",
            |_, _, _| Box::pin(async { pairs(&[("periode", "2026K1".into())]) }),
            [401, 200, 403, 403, 200, 200, 403],
        ),
        (
            "district_compliance",
            |_, _, _| {
                Box::pin(async { pairs(&[("slug", "alna".into()), ("periode", "2026K1".into())]) })
            },
            // Alna's manager reads Alna's page; caseworkers do not.
            [401, 200, 403, 403, 200, 200, 200],
        ),
        // Deviations: rows for everyone signed in (a caseworker their district's); a case for its
        // district and the crisis center; reviewers and administrators see rows only.
        (
            "deviations",
            |_, _, _| Box::pin(async { pairs(&[]) }),
            // A district manager reads no deviations (their free text may name residents).
            [401, 200, 200, 200, 200, 200, 403],
        ),
        (
            "deviation",
            |_, ids, _| {
                let id = ids.deviation;
                Box::pin(async move { pairs(&[("id", id.to_string())]) })
            },
            [401, 200, 200, 404, 403, 403, 403],
        ),
        (
            "deviation_open",
            |_, ids, _| {
                let task = ids.housing_task;
                Box::pin(async move {
                    pairs(&[("task", task.to_string()), ("note", "Matriseavvik".into())])
                })
            },
            [401, 200, 200, 404, 403, 403, 403],
        ),
        (
            "deviation_update",
            |app, _, _| {
                let (db, pool) = (app.db.clone(), app.pool.clone());
                Box::pin(async move {
                    let id = fresh_deviation(db, pool).await;
                    pairs(&[
                        ("id", id.to_string()),
                        ("version", "1".into()),
                        ("change", "handle".into()),
                        ("cause", "capacity".into()),
                    ])
                })
            },
            // The crisis center reads a district's deviation but does not handle it.
            [401, 404, 200, 404, 403, 403, 403],
        ),
        (
            "account_notify",
            |_, _, _| {
                Box::pin(async {
                    pairs(&[("notify", "immediate".into()), ("language", "nb".into())])
                })
            },
            SIGNED_IN,
        ),
        // A unit's calendar feed: its caseworkers (every caseworker has their own unit's).
        (
            "calendar_feed_make",
            |_, _, _| Box::pin(async { vec![] }),
            [401, 403, 200, 200, 403, 403, 403],
        ),
        (
            "calendar_feed_end",
            |_, _, _| Box::pin(async { vec![] }),
            [401, 403, 200, 200, 403, 403, 403],
        ),
        (
            "second_factor_setup",
            |_, _, _| Box::pin(async { vec![] }),
            SIGNED_IN,
        ),
        (
            "second_factor_enrol",
            // No set-up started in this session: whoever gets past the access check gets 400.
            |_, _, _| Box::pin(async { pairs(&[("code", "123456".into())]) }),
            [401, 400, 400, 400, 400, 400, 400],
        ),
        ("plans", |_, _, _| Box::pin(async { vec![] }), STAFF_ONLY),
        (
            "plan",
            |_, ids, _| {
                let stay = ids.stay;
                Box::pin(async move { pairs(&[("stay", stay.to_string())]) })
            },
            // Crisis center, and Alna NAV (it has a task in the plan); Frogner finds nothing.
            [401, 200, 200, 404, 403, 403, 403],
        ),
        (
            "plan_insight",
            |_, ids, _| {
                let stay = ids.stay;
                Box::pin(async move { pairs(&[("stay", stay.to_string())]) })
            },
            STAFF_ONLY,
        ),
        (
            "plan_create",
            |app, ids, _| {
                let alna = ids.alna_district;
                let _ = app;
                Box::pin(async move {
                    pairs(&[
                        ("name", "Matrise Ny".into()),
                        ("birth_year", "1991".into()),
                        ("gender", "female".into()),
                        ("arrival", "2026-03-16".into()),
                        ("referral", "police".into()),
                        ("home", alna.to_string()),
                    ])
                })
            },
            STAFF_ONLY,
        ),
        (
            "plan_duplicates",
            |_, _, _| {
                Box::pin(async {
                    pairs(&[("name", "Matrise Ny".into()), ("birth_year", "1991".into())])
                })
            },
            STAFF_ONLY,
        ),
        (
            "plan_update",
            |app, _, _| {
                let pool = app.pool.clone();
                let db = app.db.clone();
                Box::pin(async move {
                    let (stay, _) = fresh_plan(db.clone(), false).await;
                    pairs(&[
                        ("stay", stay.to_string()),
                        ("version", stay_version(&pool, stay).await),
                        ("planned_move_out", "2026-04-20".into()),
                    ])
                })
            },
            STAFF_ONLY,
        ),
        (
            "plan_add_child",
            |app, _, _| {
                let pool = app.pool.clone();
                let db = app.db.clone();
                Box::pin(async move {
                    let (stay, _) = fresh_plan(db.clone(), false).await;
                    pairs(&[
                        ("stay", stay.to_string()),
                        ("version", stay_version(&pool, stay).await),
                        ("birth_year", "2021".into()),
                    ])
                })
            },
            STAFF_ONLY,
        ),
        (
            "plan_concern",
            |app, _, _| {
                let pool = app.pool.clone();
                let db = app.db.clone();
                Box::pin(async move {
                    let (stay, _) = fresh_plan(db.clone(), true).await;
                    pairs(&[
                        ("stay", stay.to_string()),
                        ("version", stay_version(&pool, stay).await),
                        ("concern_registered", "2026-03-16".into()),
                    ])
                })
            },
            STAFF_ONLY,
        ),
        (
            "plan_consent",
            |app, _, _| {
                let pool = app.pool.clone();
                let db = app.db.clone();
                Box::pin(async move {
                    let (stay, _) = fresh_plan(db.clone(), false).await;
                    let alna: i64 =
                        sqlx::query_scalar("SELECT id FROM district WHERE slug = 'alna'")
                            .fetch_one(&pool)
                            .await
                            .unwrap();
                    pairs(&[
                        ("stay", stay.to_string()),
                        ("version", stay_version(&pool, stay).await),
                        ("consent_unit", format!("{alna}:nav")),
                        ("answer", "given".into()),
                        ("how", "oral".into()),
                        ("decided_on", "2026-03-16".into()),
                    ])
                })
            },
            STAFF_ONLY,
        ),
        (
            "plan_correct",
            |app, _, _| {
                let pool = app.pool.clone();
                let db = app.db.clone();
                Box::pin(async move {
                    let (stay, _) = fresh_plan(db.clone(), false).await;
                    pairs(&[
                        ("stay", stay.to_string()),
                        ("version", stay_version(&pool, stay).await),
                        ("correct_name", "Matrise Rettet".into()),
                        ("correct_birth_year", "1988".into()),
                        ("correct_gender", "female".into()),
                        ("correct_reason", "Matrisetest".into()),
                    ])
                })
            },
            STAFF_ONLY,
        ),
        (
            "plan_exit_meeting",
            |app, _, _| {
                let pool = app.pool.clone();
                let db = app.db.clone();
                Box::pin(async move {
                    let (stay, _) = fresh_plan(db.clone(), false).await;
                    pairs(&[
                        ("stay", stay.to_string()),
                        ("version", stay_version(&pool, stay).await),
                        ("starts_at", "2026-04-17T10:00".into()),
                        ("invited[nav]", "1".into()),
                    ])
                })
            },
            STAFF_ONLY,
        ),
        (
            "plan_exit_meeting_record",
            // A meeting with Alna's NAV invited, held that morning (the clock stands at 10:00
            // Oslo time), recorded as attended.
            |app, ids, _| {
                let pool = app.pool.clone();
                let db = app.db.clone();
                let nav = ids.alna_nav_service;
                Box::pin(async move {
                    let (stay, _) = fresh_plan(db.clone(), false).await;
                    sqlx::query(
                        "INSERT INTO exit_meeting (stay_id, starts_at) VALUES (?1, '2026-03-16T09:00');
                         INSERT INTO exit_meeting_service (stay_id, service_id) VALUES (?1, ?2)",
                    )
                    .bind(stay)
                    .bind(nav)
                    .execute(&pool)
                    .await
                    .unwrap();
                    let attendance = format!("attendance[{nav}]");
                    pairs(&[
                        ("stay", stay.to_string()),
                        ("version", stay_version(&pool, stay).await),
                        (attendance.as_str(), "attended".into()),
                    ])
                })
            },
            STAFF_ONLY,
        ),
        (
            "plan_move_out",
            |app, ids, _| {
                let pool = app.pool.clone();
                let db = app.db.clone();
                let coordinator = ids.alna_vold_service;
                Box::pin(async move {
                    let (stay, _) = fresh_plan(db.clone(), false).await;
                    pairs(&[
                        ("stay", stay.to_string()),
                        ("version", stay_version(&pool, stay).await),
                        ("move_out", "2026-03-16".into()),
                        ("outcome", "new_home".into()),
                        ("main_coordinator", coordinator.to_string()),
                        ("no_exit_meeting_reason", "Akutt utflytting".into()),
                    ])
                })
            },
            STAFF_ONLY,
        ),
        // The link rule: a stay the plan page does not offer (another person) is refused.
        (
            "plan_link",
            |app, _, _| {
                let pool = app.pool.clone();
                let db = app.db.clone();
                Box::pin(async move {
                    let (stay, _) = fresh_plan(db.clone(), false).await;
                    let (other, _) = fresh_plan_of(db.clone(), false, "Annen Person").await;
                    pairs(&[
                        ("stay", stay.to_string()),
                        ("version", stay_version(&pool, stay).await),
                        ("other", other.to_string()),
                    ])
                })
            },
            [401, 400, 403, 403, 403, 403, 403],
        ),
        (
            "plan_unlink",
            |app, ids, _| {
                let pool = app.pool.clone();
                let db = app.db.clone();
                let other = ids.stay;
                Box::pin(async move {
                    let (stay, _) = fresh_plan(db.clone(), false).await;
                    let (by, when) = staff_now(&pool).await;
                    let version = stay_version(&pool, stay).await.parse().unwrap();
                    use app::domain::plan::StayId;
                    app::server::service::plans::link_stay(
                        &db,
                        when,
                        &by,
                        StayId(stay),
                        version,
                        StayId(other),
                    )
                    .await
                    .unwrap();
                    let merge: i64 =
                        sqlx::query_scalar("SELECT max(id) FROM resident_merge WHERE stay_id = ?1")
                            .bind(stay)
                            .fetch_one(&pool)
                            .await
                            .unwrap();
                    pairs(&[
                        ("stay", stay.to_string()),
                        ("version", stay_version(&pool, stay).await),
                        ("merge", merge.to_string()),
                    ])
                })
            },
            STAFF_ONLY,
        ),
        (
            "plan_link",
            |app, ids, _| {
                let pool = app.pool.clone();
                let db = app.db.clone();
                let other = ids.stay;
                Box::pin(async move {
                    let (stay, _) = fresh_plan(db.clone(), false).await;
                    pairs(&[
                        ("stay", stay.to_string()),
                        ("version", stay_version(&pool, stay).await),
                        ("other", other.to_string()),
                    ])
                })
            },
            STAFF_ONLY,
        ),
        // Every role with an inbox sees its own (Frogner's is empty).
        (
            "tasks",
            |_, _, _| Box::pin(async { vec![] }),
            [401, 200, 200, 200, 403, 403, 403],
        ),
        (
            "inbox",
            |_, _, _| Box::pin(async { pairs(&[("frist", "forfalt".into())]) }),
            [401, 200, 200, 200, 403, 403, 403],
        ),
        (
            "inbox_counts",
            |_, _, _| Box::pin(async { vec![] }),
            [401, 200, 200, 200, 403, 403, 403],
        ),
        (
            "task",
            |_, ids, _| {
                let task = ids.housing_task;
                Box::pin(async move { pairs(&[("task", task.to_string())]) })
            },
            OWN_TASK,
        ),
        (
            "task_update",
            |app, _, _| {
                let db = app.db.clone();
                Box::pin(async move {
                    let (_, task) = fresh_plan(db, false).await;
                    pairs(&[
                        ("task", task.to_string()),
                        ("version", "1".into()),
                        ("change", "comment".into()),
                        ("comment", "Matrisekommentar".into()),
                    ])
                })
            },
            OWN_TASK,
        ),
        (
            "task_extend",
            // Only an investigation can be extended: Alna NAV gets past the checks to a 400.
            |app, _, _| {
                let db = app.db.clone();
                Box::pin(async move {
                    let (_, task) = fresh_plan(db, false).await;
                    pairs(&[
                        ("task", task.to_string()),
                        ("version", "1".into()),
                        ("reason", "Særlige grunner".into()),
                        ("granted_by", "Leder".into()),
                    ])
                })
            },
            [401, 404, 400, 404, 403, 403, 403],
        ),
        (
            "task_receipt",
            // Only child welfare's review takes a receipt: Alna NAV gets past the checks to a 400.
            |app, _, _| {
                let db = app.db.clone();
                Box::pin(async move {
                    let (_, task) = fresh_plan(db, false).await;
                    pairs(&[
                        ("task", task.to_string()),
                        ("version", "1".into()),
                        ("report_received", "2026-03-16".into()),
                    ])
                })
            },
            [401, 404, 400, 404, 403, 403, 403],
        ),
        (
            "district_board",
            |_, _, _| Box::pin(async { pairs(&[("slug", "alna".into())]) }),
            // Counts only: everyone but a caseworker of another district.
            [401, 200, 200, 403, 200, 200, 200],
        ),
        // The crisis center's yearly figures: its staff and administrators.
        (
            "statistics",
            |_, _, _| Box::pin(async { pairs(&[("year", "2026".into())]) }),
            [401, 200, 403, 403, 403, 200, 403],
        ),
        (
            "import_info",
            |_, _, _| Box::pin(async { vec![] }),
            ADMIN_ONLY,
        ),
        ("routine", |_, _, _| Box::pin(async { vec![] }), SIGNED_IN),
        (
            "routine_publish",
            |app, _, n| {
                let pool = app.pool.clone();
                Box::pin(async move {
                    let (version, rule): (i64, i64) = sqlx::query_as(
                        "SELECT v.version, r.id FROM routine_version v JOIN routine_rule r ON r.routine_version_id = v.id
                         WHERE r.step = 'individual_plan' ORDER BY v.version DESC LIMIT 1",
                    )
                    .fetch_one(&pool)
                    .await
                    .unwrap();
                    pairs(&[
                        ("based_on", version.to_string()),
                        // A new offset each call, within the year an offset may be.
                        (&format!("offset[{rule}]"), (40 + n % 300).to_string()),
                    ])
                })
            },
            ADMIN_ONLY,
        ),
    ]
}

/// One row per page route: the route as Leptos lists it, a concrete path, expected GET status
/// per caller (303: sent to the sign-in page).
fn route_rows(ids: &Ids) -> Vec<(&'static str, String, [u16; 7])> {
    let pages = [303, 200, 200, 200, 200, 200, 200];
    let admin = [303, 403, 403, 403, 403, 200, 403];
    vec![
        ("/", "/".into(), pages),
        ("/bydeler", "/bydeler".into(), pages),
        ("/bydeler/{slug}", "/bydeler/alna".into(), pages),
        ("/logg-inn", "/logg-inn".into(), [200; 7]),
        ("/konto", "/konto".into(), pages),
        (
            "/kontroll",
            "/kontroll".into(),
            [303, 200, 403, 403, 200, 200, 403],
        ),
        (
            "/internkontroll",
            "/internkontroll".into(),
            [303, 403, 403, 403, 200, 200, 403],
        ),
        (
            "/internkontroll/{slug}",
            "/internkontroll/alna".into(),
            [303, 403, 200, 403, 200, 200, 200],
        ),
        (
            "/kontroll/{slug}",
            "/kontroll/alna".into(),
            [303, 200, 403, 403, 200, 200, 200],
        ),
        (
            "/kontroll/{slug}/utskrift",
            // Not Alna's manager.
            "/kontroll/frogner/utskrift".into(),
            [303, 200, 403, 403, 200, 200, 403],
        ),
        // A district manager reads no deviations (their free text may name residents).
        (
            "/avvik",
            "/avvik".into(),
            [303, 200, 200, 200, 200, 200, 403],
        ),
        ("/admin/import", "/admin/import".into(), admin),
        (
            "/statistikk",
            "/statistikk".into(),
            [303, 200, 403, 403, 403, 200, 403],
        ),
        (
            "/avvik/{id}",
            format!("/avvik/{}", ids.deviation),
            [303, 200, 200, 404, 403, 403, 403],
        ),
        ("/konto/passord", "/konto/passord".into(), pages),
        ("/konto/engangskode", "/konto/engangskode".into(), pages),
        ("/logg-inn/kode", "/logg-inn/kode".into(), pages),
        ("/admin/brukere", "/admin/brukere".into(), admin),
        ("/admin/brukere/ny", "/admin/brukere/ny".into(), admin),
        (
            "/admin/brukere/{id}",
            format!("/admin/brukere/{}", ids.child_welfare_alna_user),
            admin,
        ),
        ("/admin/logg", "/admin/logg".into(), admin),
        ("/admin/rutiner", "/admin/rutiner".into(), admin),
        ("/admin/utsendinger", "/admin/utsendinger".into(), admin),
        (
            "/planer",
            "/planer".into(),
            [303, 200, 403, 403, 403, 403, 403],
        ),
        (
            "/planer/ny",
            "/planer/ny".into(),
            [303, 200, 403, 403, 403, 403, 403],
        ),
        (
            "/planer/{id}",
            format!("/planer/{}", ids.stay),
            [303, 200, 200, 404, 403, 403, 403],
        ),
        (
            "/planer/{id}/innsyn",
            format!("/planer/{}/innsyn", ids.stay),
            [303, 200, 403, 403, 403, 403, 403],
        ),
        (
            "/oppgaver",
            "/oppgaver".into(),
            [303, 200, 200, 200, 403, 403, 403],
        ),
        (
            "/oppgaver/{id}",
            format!("/oppgaver/{}", ids.housing_task),
            [303, 404, 200, 404, 403, 403, 403],
        ),
        (
            "/bydeler/{slug}/frister",
            "/bydeler/alna/frister".into(),
            [303, 200, 200, 403, 200, 200, 200],
        ),
    ]
}

async fn ids(app: &TestApp) -> Ids {
    let alna_nav_service = sqlx::query_scalar(
        "SELECT s.id FROM service s JOIN district d ON d.id = s.district_id WHERE d.slug = 'alna' AND s.kind = 'nav'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let (child_welfare_alna_user, child_welfare_alna_district): (i64, i64) =
        sqlx::query_as("SELECT id, district_id FROM app_user WHERE email = ?1")
            .bind(demo_email("barnevern.alna"))
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let alna_district = sqlx::query_scalar("SELECT id FROM district WHERE slug = 'alna'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let alna_vold_service = sqlx::query_scalar(
        "SELECT s.id FROM service s JOIN district d ON d.id = s.district_id WHERE d.slug = 'alna' AND s.kind = 'violence_coordinator'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    // The plans are dated 16 March 2026; the portal's clock stands there too.
    app.clock.set(time::macros::datetime!(2026-03-16 09:00 UTC));
    let (stay, housing_task) = fresh_plan(app.db.clone(), false).await;
    let deviation = fresh_deviation(app.db.clone(), app.pool.clone()).await;
    let finding = fresh_finding(&app.db, &app.pool).await;
    Ids {
        finding,
        stay,
        housing_task,
        alna_vold_service,
        alna_district,
        alna_nav_service,
        child_welfare_alna_user,
        child_welfare_alna_district,
        deviation,
    }
}

async fn browsers(app: &TestApp) -> Vec<Browser> {
    let mut all = Vec::new();
    for who in WHO {
        all.push(match who {
            None => app.browser(),
            Some(local) => app.signed_in(local).await,
        });
    }
    all
}

#[tokio::test]
async fn every_server_function_answers_every_kind_of_user_as_the_policy_says() {
    let app = TestApp::spawn().await;
    let ids = ids(&app).await;
    let browsers = browsers(&app).await;
    let mut failures = Vec::new();
    let mut n = 0;
    for (endpoint, args, expected) in endpoint_rows() {
        for (who, browser) in browsers.iter().enumerate() {
            n += 1;
            let form = args(&app, &ids, n).await;
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let status = browser.call(endpoint, &form).await.status().as_u16();
            if status != expected[who] {
                failures.push(format!(
                    "{endpoint} as {:?}: {status}, expected {}",
                    WHO[who], expected[who]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The access-log action each server function of plans, tasks and routines writes when it
/// succeeds; `None`: it returns no personal data (counts, the routine) and logs nothing.
const LOGGED: &[(&str, Option<&str>)] = &[
    ("plans", Some("plan.list")),
    ("plan", Some("plan.read")),
    ("plan_insight", Some("plan.insight")),
    ("plan_create", Some("plan.create")),
    ("plan_duplicates", Some("plan.list")),
    ("plan_update", Some("plan.update")),
    ("plan_add_child", Some("plan.add_child")),
    ("plan_concern", Some("plan.concern")),
    ("plan_consent", Some("plan.consent")),
    ("plan_correct", Some("plan.correct")),
    ("plan_exit_meeting", Some("exit_meeting.plan")),
    ("plan_exit_meeting_record", Some("exit_meeting.record")),
    ("plan_move_out", Some("plan.move_out")),
    ("plan_link", Some("plan.link")),
    ("plan_unlink", Some("plan.unlink")),
    ("tasks", Some("task.list")),
    ("inbox", Some("task.list")),
    ("inbox_counts", None),
    ("task", Some("task.read")),
    ("task_update", Some("task.update")),
    ("task_extend", Some("task.extend")),
    ("task_receipt", Some("task.receipt")),
    ("district_board", None),
    ("routine", None),
    ("routine_publish", Some("routine.publish")),
];

/// Reads by id: a refusal (404, the same for an unknown id and one outside the caller's reach)
/// leaves a `refused` row, so that enumeration leaves a trace.
const READS_BY_ID: &[&str] = &["plan", "task"];

#[tokio::test]
async fn every_plan_and_task_function_logs_one_row_when_it_succeeds_and_a_refused_read_by_id_too() {
    let app = TestApp::spawn().await;
    let ids = ids(&app).await;
    let browsers = browsers(&app).await;
    let rows = endpoint_rows();
    for (name, _) in LOGGED {
        assert!(
            rows.iter().any(|r| r.0 == *name),
            "{name} is no server function"
        );
    }
    for (name, _, _) in &rows {
        if ["plan", "task", "routine", "district_board"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
        {
            assert!(
                LOGGED.iter().any(|(n, _)| n == name),
                "say in LOGGED what {name} writes to the access log"
            );
        }
    }
    let log = || async {
        sqlx::query_as::<_, (i64, Option<String>)>(
            "SELECT count(*), (SELECT action || ':' || outcome FROM access_log ORDER BY id DESC LIMIT 1)
             FROM access_log",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap()
    };
    let mut failures = Vec::new();
    let mut n = 0;
    let mut seen = std::collections::BTreeSet::new();
    for (endpoint, args, _) in rows {
        let Some(&(_, action)) = LOGGED.iter().find(|(name, _)| *name == endpoint) else {
            continue;
        };
        for (who, browser) in browsers.iter().enumerate() {
            n += 1;
            let form = args(&app, &ids, n).await;
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let (before, _) = log().await;
            let status = browser.call(endpoint, &form).await.status().as_u16();
            let (after, last) = log().await;
            let expected = match action {
                Some(action) if status == 200 => (before + 1, Some(format!("{action}:ok"))),
                // A read by id that finds nothing the caller may see leaves a refused row.
                Some(action) if status == 404 && READS_BY_ID.contains(&endpoint) => {
                    (before + 1, Some(format!("{action}:refused")))
                }
                _ => (before, None),
            };
            let got = (after, last.filter(|_| after > before));
            if got != expected {
                failures.push(format!(
                    "{endpoint} as {:?} ({status}): {got:?}, expected {expected:?}",
                    WHO[who]
                ));
            }
            if let Some(last) = got.1.filter(|l| l.ends_with(":ok")) {
                seen.insert(last.trim_end_matches(":ok").to_owned());
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // No caller here owns an investigation, the only task that can be extended, or a review,
    // the only task that takes a receipt; `plans::the_investigation_is_extended_by_a_record_not_
    // by_an_edited_date` and `plans::child_welfare_reviews_a_report_from_its_sending_until_it_
    // records_the_receipt` log those.
    let all: std::collections::BTreeSet<String> = LOGGED
        .iter()
        .filter_map(|(_, action)| {
            action
                .filter(|a| *a != "task.extend" && *a != "task.receipt")
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(seen, all, "every action was seen succeeding at least once");
}

#[tokio::test]
async fn every_page_answers_every_kind_of_user_as_the_policy_says() {
    let app = TestApp::spawn().await;
    let ids = ids(&app).await;
    let browsers = browsers(&app).await;
    let mut failures = Vec::new();
    for (_, path, expected) in route_rows(&ids) {
        for (who, browser) in browsers.iter().enumerate() {
            let status = browser.get(&path).await.status().as_u16();
            if status != expected[who] {
                failures.push(format!(
                    "GET {path} as {:?}: {status}, expected {}",
                    WHO[who], expected[who]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn the_matrix_has_a_row_for_every_server_function_and_every_route() {
    let mut registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    registered.sort();
    let mut rows: Vec<String> = endpoint_rows().iter().map(|r| r.0.to_owned()).collect();
    rows.sort();
    // A function may have more than one row (the link rule's refusal beside its success).
    rows.dedup();
    assert_eq!(registered, rows, "add a row for the new server function");

    let app = TestApp::spawn().await;
    let ids = ids(&app).await;
    let mut routes: Vec<String> = leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    routes.sort();
    routes.dedup();
    let mut listed: Vec<String> = route_rows(&ids).iter().map(|r| r.0.to_owned()).collect();
    listed.sort();
    assert_eq!(routes, listed, "add a row for the new page route");
}

#[tokio::test]
async fn the_reviewers_pages_and_responses_contain_no_personal_data() {
    let app = TestApp::spawn().await;
    let ids = ids(&app).await;
    let reviewer = app.signed_in("kontrollor").await;
    let mut personal: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM contact UNION ALL SELECT email FROM contact UNION ALL SELECT name FROM resident",
    )
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let others: Vec<String> = sqlx::query_scalar(
        "SELECT email FROM app_user WHERE email <> ?1 UNION ALL SELECT name FROM app_user WHERE email <> ?1",
    )
    .bind(demo_email("kontrollor"))
    .fetch_all(&app.pool)
    .await
    .unwrap();
    personal.extend(others);
    let mut bodies = Vec::new();
    for (_, path, expected) in route_rows(&ids) {
        let (status, html) = reviewer.get_text(&path).await;
        assert_eq!(status.as_u16(), expected[4], "{path}");
        bodies.push((path, html));
    }
    for slug in ["alna", "frogner", "gamle-oslo"] {
        let path = format!("/bydeler/{slug}");
        bodies.push((path.clone(), reviewer.get_text(&path).await.1));
    }
    for (endpoint, args, _) in endpoint_rows() {
        let form = args(&app, &ids, 0).await;
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let body = reviewer.call(endpoint, &form).await.text().await.unwrap();
        bodies.push((format!("/api/{endpoint}"), body));
    }
    for (path, body) in &bodies {
        for value in &personal {
            assert!(!body.contains(value.as_str()), "{path} shows {value:?}");
        }
    }
}

/// The routes outside Leptos (plain axum handlers). They are the same for everyone by design:
/// signing in and out, the language switch and the health check; what they do depends on the
/// session, not on a role. (method, path, form, expected status per caller.)
/// (method, path, form, expected status per caller)
type PlainRoute = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
    [u16; 7],
);

fn plain_route_rows() -> Vec<PlainRoute> {
    vec![
        ("GET", "/healthz", vec![], [200; 7]),
        (
            "POST",
            "/sprak",
            vec![("lang", "nb"), ("return_to", "/")],
            [303; 7],
        ),
        // Wrong password: back to the form, for everyone.
        (
            "POST",
            "/innlogging",
            vec![("email", "ingen@example.org"), ("password", "x")],
            [303; 7],
        ),
        // No code owed: back to the sign-in page.
        (
            "POST",
            "/innlogging/kode",
            vec![("code", "123456")],
            [303; 7],
        ),
        // Last, as it ends the sessions.
        ("POST", "/utlogging", vec![], [303; 7]),
    ]
}

#[tokio::test]
async fn the_plain_routes_answer_everyone_alike() {
    let app = TestApp::spawn().await;
    let browsers = browsers(&app).await;
    let mut failures = Vec::new();
    for (method, path, form, expected) in plain_route_rows() {
        for (who, browser) in browsers.iter().enumerate() {
            let res = if method == "GET" {
                browser.get(path).await
            } else {
                browser.post_form(path, &form).await
            };
            let status = res.status().as_u16();
            if status != expected[who] {
                failures.push(format!(
                    "{method} {path} as {:?}: {status}, expected {}",
                    WHO[who], expected[who]
                ));
            }
            if path == "/innlogging/kode" {
                assert_eq!(res.headers()["location"], "/logg-inn", "no code is owed");
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn a_caseworker_of_another_district_gets_no_resident_of_alna_from_any_page_or_function() {
    let app = TestApp::spawn().await;
    let ids = ids(&app).await;
    let frogner = app.signed_in("nav.frogner").await;
    let mut bodies = Vec::new();
    for (_, path, _) in route_rows(&ids) {
        bodies.push((path.clone(), frogner.get_text(&path).await.1));
    }
    for (endpoint, args, _) in endpoint_rows() {
        let form = args(&app, &ids, 0).await;
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let body = frogner.call(endpoint, &form).await.text().await.unwrap();
        bodies.push((format!("/api/{endpoint}"), body));
    }
    // Every resident in the database lives in Alna (the rows above made more of them).
    let residents: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT r.name FROM resident r JOIN stay s ON s.resident_id = r.id
         JOIN district d ON d.id = s.home_district_id WHERE d.slug = 'alna'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(!residents.is_empty());
    for (path, body) in &bodies {
        for name in &residents {
            assert!(
                !body.contains(name.as_str()),
                "{path} shows {name:?} to Frogner"
            );
        }
    }
}
