use crate::support::TestApp;
use app::server::demo::OSLO_DISTRICTS;

#[tokio::test]
async fn the_districts_page_lists_all_fifteen_districts_in_norwegian() {
    let app = TestApp::spawn().await;
    let user = app.signed_in("nav.alna").await;
    let (status, html) = user.get_text("/bydeler").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="nb""#), "html lang");
    assert!(html.contains("Viser 15 av 15 bydeler"));
    for name in OSLO_DISTRICTS {
        assert!(html.contains(&format!(">{name}<")), "{name} missing");
    }
}

#[tokio::test]
async fn the_filter_works_as_a_plain_get_form_without_javascript() {
    let app = TestApp::spawn().await;
    let user = app.signed_in("nav.alna").await;
    let (status, html) = user.get_text("/bydeler?q=nord").await;
    assert_eq!(status, 200);
    assert!(html.contains("Viser 3 av 15 bydeler"));
    for name in ["Nordre Aker", "Nordstrand", "Søndre Nordstrand"] {
        assert!(html.contains(&format!(">{name}<")), "{name} missing");
    }
    assert!(!html.contains(">Alna<"));
    assert!(
        html.contains(r#"value="nord""#),
        "the query stays in the field"
    );
}

#[tokio::test]
async fn a_filter_that_matches_nothing_says_so() {
    let app = TestApp::spawn().await;
    let user = app.signed_in("nav.alna").await;
    let (_, html) = user.get_text("/bydeler?q=bergen").await;
    assert!(html.contains("Ingen bydeler passer til filteret."));
}

#[tokio::test]
async fn a_district_page_shows_its_services_and_contacts() {
    let app = TestApp::spawn().await;
    let user = app.signed_in("nav.alna").await;
    let (status, html) = user.get_text("/bydeler/alna").await;
    assert_eq!(status, 200);
    for text in [
        "NAV Alna",
        "Barneverntjenesten i bydel Alna",
        "Voldskoordinator i bydel Alna",
        "Boligkontoret i bydel Alna",
        "NAV-kontor",
        "Leder",
        "Saksbehandler",
        "@example.org",
    ] {
        assert!(html.contains(text), "{text} missing");
    }
    // Standard services come first, in the routine's order.
    let nav = html.find("NAV Alna").unwrap();
    let bv = html.find("Barneverntjenesten i bydel Alna").unwrap();
    let other = html.find("Boligkontoret i bydel Alna").unwrap();
    assert!(nav < bv && bv < other);
}

#[tokio::test]
async fn an_unknown_district_answers_404_with_a_translated_page() {
    let app = TestApp::spawn().await;
    let user = app.signed_in("nav.alna").await;
    for path in ["/bydeler/bergen", "/bydeler/NOT..valid", "/no/such/page"] {
        let (status, html) = user.get_text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Fant ikke siden"), "{path}");
    }
}

#[tokio::test]
async fn the_directory_server_functions_answer_json() {
    let app = TestApp::spawn().await;
    let user = app.signed_in("nav.alna").await;
    let res = user
        .http
        .post(user.url("/api/districts"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let list: Vec<app::domain::DistrictSummary> =
        serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert_eq!(list.len(), 15);
    let alna = list.iter().find(|d| d.name == "Alna").unwrap();
    assert_eq!((alna.service_count, alna.contact_count), (4, 12));

    let res = user
        .http
        .post(user.url("/api/district"))
        .form(&[("slug", "frogner")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let frogner: app::domain::DistrictDetail =
        serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert_eq!(frogner.services.len(), 3);

    let res = user
        .http
        .post(user.url("/api/district"))
        .form(&[("slug", "../../etc")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error() || res.status().is_server_error());
    let body = res.text().await.unwrap();
    assert!(body.contains("not_found"), "{body}");
    assert!(!body.contains("etc"), "the error does not echo the input");
}

#[tokio::test]
async fn the_directory_is_behind_sign_in() {
    let app = TestApp::spawn().await;
    for path in ["/", "/bydeler", "/bydeler/alna", "/no/such/page"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 303, "{path}");
        assert_eq!(
            res.headers()["location"],
            format!("/logg-inn?neste={path}").as_str(),
            "{path}"
        );
    }
    for endpoint in ["districts", "district"] {
        let res = app
            .http
            .post(app.url(&format!("/api/{endpoint}")))
            .form(&[("slug", "alna")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "{endpoint}");
        assert!(res.text().await.unwrap().contains("unauthorized"));
    }
}

#[tokio::test]
async fn the_reviewer_sees_services_but_no_contact_people() {
    let app = TestApp::spawn().await;
    let reviewer = app.signed_in("kontrollor").await;
    let (status, html) = reviewer.get_text("/bydeler/alna").await;
    assert_eq!(status, 200);
    assert!(html.contains("NAV Alna"));
    let res = reviewer.call("district", &[("slug", "alna")]).await;
    let detail: app::domain::DistrictDetail =
        serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert!(detail.services.iter().all(|s| s.contacts.is_empty()));
    // Others do see them.
    let staff = app.signed_in("krisesenter").await;
    let res = staff.call("district", &[("slug", "alna")]).await;
    let detail: app::domain::DistrictDetail =
        serde_json::from_str(&res.text().await.unwrap()).unwrap();
    let contact = &detail.services[0].contacts[0];
    assert!(!html.contains(&contact.name), "no contact person's name");
    assert!(
        !html.contains(contact.email.as_str()),
        "no contact person's address"
    );
    assert!(!html.contains("contacts"), "no contact table");
}

async fn contact_reads(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM access_log WHERE action = 'directory.read_contacts'")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn each_read_of_contact_people_leaves_exactly_one_access_log_row() {
    let app = TestApp::spawn().await;
    let user = app.signed_in("krisesenter").await;
    assert_eq!(user.get("/bydeler/alna").await.status(), 200);
    assert_eq!(contact_reads(&app).await, 1, "one page view, one row");
    assert_eq!(
        user.call("district", &[("slug", "frogner")]).await.status(),
        200
    );
    assert_eq!(contact_reads(&app).await, 2);
    let (district, who): (i64, String) = sqlx::query_as(
        "SELECT district_id, user_name FROM access_log WHERE action = 'directory.read_contacts' ORDER BY id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(who, "Demo Krisesenteransatt");
    let alna: i64 = sqlx::query_scalar("SELECT id FROM district WHERE slug = 'alna'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(district, alna);
    // The list has counts only, and the reviewer gets no contact people: nothing to log.
    user.get("/bydeler").await;
    let reviewer = app.signed_in("kontrollor").await;
    reviewer.get("/bydeler/alna").await;
    assert_eq!(contact_reads(&app).await, 2);
}
