//! Editing contact people: administrators everywhere, a caseworker in their own unit only. A
//! guessed id in another district answers exactly like an id that does not exist.

use crate::support::TestApp;

async fn service_id(app: &TestApp, district: &str, kind: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT s.id FROM service s JOIN district d ON d.id = s.district_id WHERE d.slug = ?1 AND s.kind = ?2",
    )
    .bind(district)
    .bind(kind)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn a_contact_of(app: &TestApp, service: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM contact WHERE service_id = ?1 AND active = 1 LIMIT 1")
        .bind(service)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn snapshot(app: &TestApp) -> (i64, i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM contact), (SELECT count(*) FROM contact WHERE active = 1), (SELECT count(*) FROM access_log)",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

fn contact_form(service: &str) -> Vec<(&'static str, String)> {
    vec![
        ("service", service.to_owned()),
        ("name", "Testperson Kontaktsen".to_owned()),
        ("role", "caseworker".to_owned()),
        ("email", "ola@example.org".to_owned()),
    ]
}

#[tokio::test]
async fn a_caseworker_adds_and_removes_contacts_of_their_own_unit() {
    let app = TestApp::spawn().await;
    let nav = app.signed_in("nav.alna").await;
    let service = service_id(&app, "alna", "nav").await.to_string();
    let form = contact_form(&service);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = nav.post_form("/api/contact_add", &form).await;
    assert_eq!(res.status(), 302);
    assert_eq!(
        res.headers()["location"],
        format!("/bydeler/alna?ok=kontakt_lagt_til#service-{service}").as_str()
    );
    let (_, html) = nav.get_text("/bydeler/alna").await;
    assert!(html.contains("Testperson Kontaktsen"));
    assert!(html.contains("Legg til kontaktperson"));
    let id: i64 = sqlx::query_scalar("SELECT id FROM contact WHERE email = 'ola@example.org'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let res = nav
        .post_form("/api/contact_remove", &[("contact", &id.to_string())])
        .await;
    assert_eq!(
        res.headers()["location"],
        "/bydeler/alna?ok=kontakt_fjernet"
    );
    let active: i64 = sqlx::query_scalar("SELECT active FROM contact WHERE id = ?1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(active, 0);
    let (_, html) = nav.get_text("/bydeler/alna").await;
    assert!(!html.contains("Testperson Kontaktsen"));
    let logged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM access_log WHERE object_type = 'contact' AND object_id = ?1",
    )
    .bind(id.to_string())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(logged, 2, "one row for the addition, one for the removal");
}

#[tokio::test]
async fn another_districts_ids_answer_exactly_like_ids_that_do_not_exist() {
    let app = TestApp::spawn().await;
    let nav = app.signed_in("nav.alna").await;
    let frogner_nav = service_id(&app, "frogner", "nav").await;
    let alna_child_welfare = service_id(&app, "alna", "child_welfare").await;
    let before = snapshot(&app).await;

    let mut answers = Vec::new();
    for service in [frogner_nav, alna_child_welfare, 999_999] {
        let form = contact_form(&service.to_string());
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = nav.call("contact_add", &form).await;
        answers.push((res.status(), res.text().await.unwrap()));
    }
    for contact in [
        a_contact_of(&app, frogner_nav).await,
        a_contact_of(&app, alna_child_welfare).await,
        999_999,
    ] {
        let res = nav
            .call("contact_remove", &[("contact", &contact.to_string())])
            .await;
        answers.push((res.status(), res.text().await.unwrap()));
    }
    for (status, body) in &answers {
        assert_eq!(
            (status.as_u16(), body.as_str()),
            (answers[0].0.as_u16(), answers[0].1.as_str())
        );
    }
    assert_eq!(answers[0].0, 404);
    assert_eq!(
        snapshot(&app).await,
        before,
        "nothing stored, nothing logged"
    );

    // The Frogner page shows no editing controls to an Alna caseworker.
    let (_, html) = nav.get_text("/bydeler/frogner").await;
    assert!(!html.contains("contact_add") && !html.contains("contact_remove"));
}

#[tokio::test]
async fn an_administrator_edits_every_unit_and_others_edit_none() {
    let app = TestApp::spawn().await;
    let frogner_nav = service_id(&app, "frogner", "nav").await.to_string();
    let form = contact_form(&frogner_nav);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let admin = app.signed_in("admin").await;
    assert_eq!(admin.call("contact_add", &form).await.status(), 200);
    for local in ["krisesenter", "kontrollor"] {
        let user = app.signed_in(local).await;
        assert_eq!(
            user.call("contact_add", &form).await.status(),
            403,
            "{local}"
        );
    }
}
