//! Administrators edit districts and services; units edit their contact people. Every change
//! is one transaction with one access-log row; bad input stores nothing.

use crate::support::TestApp;
use crate::support::count;

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_administrator_adds_and_renames_a_district_and_its_services() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let (_, html) = admin.get_text("/bydeler").await;
    assert!(html.contains("Ny bydel"));

    let res = admin
        .post_form("/api/district_create", &[("name", "Sentrum")])
        .await;
    assert_eq!(location(&res), "/bydeler/sentrum?ok=bydel_opprettet");
    let res = admin
        .post_form("/api/district_create", &[("name", "sentrum ")])
        .await;
    assert_eq!(location(&res), "/bydeler?feil=E-CONFLICT&felt=name");
    let res = admin
        .post_form("/api/district_create", &[("name", "   ")])
        .await;
    assert_eq!(location(&res), "/bydeler?feil=E-INVALID-INPUT&felt=name");
    assert_eq!(count(&app, "SELECT count(*) FROM district").await, 16);

    let id = count(&app, "SELECT id FROM district WHERE slug = 'sentrum'")
        .await
        .to_string();
    let res = admin
        .post_form(
            "/api/district_rename",
            &[
                ("id", &id),
                ("slug", "sentrum"),
                ("name", "Sentrum og Marka"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/bydeler/sentrum?ok=bydel");

    let service = |kind: &'static str, name: &'static str| {
        let admin = &admin;
        let id = id.clone();
        async move {
            admin
                .post_form(
                    "/api/service_create",
                    &[
                        ("district", &id),
                        ("slug", "sentrum"),
                        ("kind", kind),
                        ("name", name),
                        ("email", "nav.sentrum@example.org"),
                    ],
                )
                .await
        }
    };
    let res = service("nav", "NAV Sentrum").await;
    assert!(location(&res).starts_with("/bydeler/sentrum?ok=tjeneste_opprettet#service-"));
    let res = service("nav", "NAV Sentrum 2").await;
    assert_eq!(
        location(&res),
        "/bydeler/sentrum?feil=E-CONFLICT&felt=kind",
        "one NAV office per district"
    );
    let service_id = count(&app, "SELECT id FROM service WHERE name = 'NAV Sentrum'")
        .await
        .to_string();
    let res = admin
        .post_form(
            "/api/service_update",
            &[
                ("service", &service_id),
                ("name", "NAV Sentrum og Marka"),
                ("phone", "not a phone"),
            ],
        )
        .await;
    assert_eq!(
        location(&res),
        "/bydeler/sentrum?feil=E-INVALID-INPUT&felt=phone"
    );
    let res = admin
        .post_form(
            "/api/service_update",
            &[
                ("service", &service_id),
                ("name", "NAV Sentrum og Marka"),
                ("phone", "00 12 34 56"),
            ],
        )
        .await;
    assert_eq!(
        location(&res),
        format!("/bydeler/sentrum?ok=tjeneste#service-{service_id}")
    );

    let (status, html) = admin.get_text("/bydeler/sentrum").await;
    assert_eq!(status, 200);
    assert!(html.contains("Sentrum og Marka") && html.contains("NAV Sentrum og Marka"));
    for action in [
        "district.create",
        "district.update",
        "service.create",
        "service.update",
    ] {
        let rows = count(
            &app,
            &format!("SELECT count(*) FROM access_log WHERE action = '{action}'"),
        )
        .await;
        assert_eq!(rows, 1, "{action}");
    }
}

#[tokio::test]
async fn a_caseworker_changes_a_contact_of_their_unit_but_not_of_another() {
    let app = TestApp::spawn().await;
    let nav = app.signed_in("nav.alna").await;
    let own = count(
        &app,
        "SELECT c.id FROM contact c JOIN service s ON s.id = c.service_id JOIN district d ON d.id = s.district_id
         WHERE d.slug = 'alna' AND s.kind = 'nav' LIMIT 1",
    )
    .await
    .to_string();
    let other = count(
        &app,
        "SELECT c.id FROM contact c JOIN service s ON s.id = c.service_id JOIN district d ON d.id = s.district_id
         WHERE d.slug = 'frogner' AND s.kind = 'nav' LIMIT 1",
    )
    .await
    .to_string();
    let form = |id: &str| {
        vec![
            ("contact", id.to_owned()),
            ("name", "Nytt Navn".to_owned()),
            ("role", "leader".to_owned()),
            ("email", "nytt.navn@example.org".to_owned()),
        ]
    };
    let send = |id: String| {
        let nav = &nav;
        async move {
            let f = form(&id);
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            nav.call("contact_update", &f).await
        }
    };
    assert_eq!(send(own).await.status(), 200);
    let a = send(other).await;
    let b = send("999999".into()).await;
    assert_eq!(
        (a.status(), b.status()),
        (
            reqwest::StatusCode::NOT_FOUND,
            reqwest::StatusCode::NOT_FOUND
        )
    );
    assert_eq!(a.text().await.unwrap(), b.text().await.unwrap());
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM contact WHERE name = 'Nytt Navn'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action = 'contact.update'"
        )
        .await,
        1
    );
    // Districts and services are the administrators'.
    assert_eq!(
        nav.call("district_create", &[("name", "Ny")])
            .await
            .status(),
        403
    );
}
