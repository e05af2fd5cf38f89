//! Internal control per district: the matrix of districts × the audit's documents, a review date
//! passing at Oslo midnight, who may read and record, and a form that does not make sense.

use crate::support::{TestApp, count};
use app::domain::internal_control::{ControlMatrix, DistrictControl, DocumentState};
use time::macros::datetime;

async fn alna_id(app: &TestApp) -> String {
    count(app, "SELECT id FROM district WHERE slug = 'alna'")
        .await
        .to_string()
}

async fn matrix(app: &TestApp) -> ControlMatrix {
    let reviewer = app.signed_in("kontrollor").await;
    let res = reviewer.call("control_matrix", &[]).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn alna_state(matrix: &ControlMatrix, document: &str) -> DocumentState {
    let column = matrix
        .documents
        .iter()
        .position(|d| d.slug == document)
        .unwrap();
    let row = matrix.rows.iter().find(|r| r.slug == "alna").unwrap();
    row.states[column]
}

#[tokio::test]
async fn an_adopted_routine_is_missing_until_recorded_and_overdue_from_oslo_midnight_after_its_review_date()
 {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-01-10 09:00 UTC));
    let before = matrix(&app).await;
    assert_eq!(before.rows.len(), 15, "every district");
    assert_eq!(before.documents.len(), 9, "the audit's list");
    assert!(
        before
            .rows
            .iter()
            .all(|r| r.states.iter().all(|s| *s == DocumentState::Missing))
    );

    let admin = app.signed_in("admin").await;
    let alna = alna_id(&app).await;
    let res = admin
        .call(
            "control_document_save",
            &[
                ("district", &alna),
                ("slug", "alna"),
                ("document", "reetablering"),
                ("version", "0"),
                ("status", "adopted"),
                ("adopted_on", "2026-01-05"),
                ("adopted_by", "Bydelsdirektør"),
                ("review_on", "2026-06-30"),
                (
                    "link",
                    "https://bydel-alna.oslo.kommune.no/rutiner/reetablering",
                ),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let after = matrix(&app).await;
    assert_eq!(alna_state(&after, "reetablering"), DocumentState::Adopted);
    let alna_row = after.rows.iter().find(|r| r.slug == "alna").unwrap();
    assert_eq!((alna_row.counts.adopted, alna_row.counts.missing), (1, 8));

    // 30 June, 23:59 in Oslo (summer time): still within its review date.
    app.clock.set(datetime!(2026-06-30 21:59 UTC));
    assert_eq!(
        alna_state(&matrix(&app).await, "reetablering"),
        DocumentState::Adopted
    );
    // 1 July, 00:00 in Oslo: past it.
    app.clock.set(datetime!(2026-06-30 22:00 UTC));
    assert_eq!(
        alna_state(&matrix(&app).await, "reetablering"),
        DocumentState::ReviewOverdue
    );

    // The change is a history row and an access-log row, in the same transaction.
    assert_eq!(
        count(&app, "SELECT count(*) FROM district_document_event").await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action = 'control_document.adopt'
             AND object_type = 'control_document' AND outcome = 'ok'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn administrators_and_the_districts_manager_record_documents_and_a_district_reads_only_its_own()
 {
    let app = TestApp::spawn().await;
    let alna = alna_id(&app).await;
    async fn save_draft(browser: &crate::support::Browser, alna: &str) -> u16 {
        let form = [
            ("district", alna),
            ("slug", "alna"),
            ("document", "ros"),
            ("version", "0"),
            ("status", "draft"),
        ];
        browser
            .call("control_document_save", &form)
            .await
            .status()
            .as_u16()
    }
    for who in ["nav.alna", "nav.frogner", "kontrollor", "krisesenter"] {
        let browser = app.signed_in(who).await;
        assert_eq!(
            save_draft(&browser, &alna).await,
            403,
            "{who} may not record"
        );
    }
    assert_eq!(
        count(&app, "SELECT count(*) FROM district_document").await,
        0
    );

    // Alna's caseworker reads Alna's documents, not Frogner's.
    let own = app.signed_in("nav.alna").await;
    let res = own.call("district_control", &[("slug", "alna")]).await;
    assert_eq!(res.status(), 200);
    let page: DistrictControl = res.json().await.unwrap();
    assert!(!page.may_edit);
    assert_eq!(page.entries.len(), 9);
    let res = own.call("district_control", &[("slug", "frogner")]).await;
    assert_eq!(res.status(), 403);

    // Two administrators read version 0; the second save is refused as stale.
    let admin = app.signed_in("admin").await;
    assert_eq!(save_draft(&admin, &alna).await, 200);
    assert_eq!(save_draft(&admin, &alna).await, 409);
    // A district or a document that does not exist is not found, and nothing is stored.
    assert_eq!(save_draft(&admin, "999999").await, 404);
    let unknown = [
        ("district", alna.as_str()),
        ("slug", "alna"),
        ("document", "finnes-ikke"),
        ("version", "0"),
        ("status", "draft"),
    ];
    let res = admin.call("control_document_save", &unknown).await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        count(&app, "SELECT count(*) FROM district_document_event").await,
        1
    );

    // Alna's district manager records Alna's documents, and neither reads nor records
    // Frogner's; the stored row and the access log name who did it.
    let manager = app.signed_in("leder.alna").await;
    let res = manager.call("district_control", &[("slug", "alna")]).await;
    assert_eq!(res.status(), 200);
    let page: DistrictControl = res.json().await.unwrap();
    assert!(page.may_edit);
    let internkontroll = [
        ("district", alna.as_str()),
        ("slug", "alna"),
        ("document", "internkontroll"),
        ("version", "0"),
        ("status", "draft"),
    ];
    let res = manager.call("control_document_save", &internkontroll).await;
    assert_eq!(res.status(), 200);
    let frogner: String = count(&app, "SELECT id FROM district WHERE slug = 'frogner'")
        .await
        .to_string();
    let theirs = [
        ("district", frogner.as_str()),
        ("slug", "frogner"),
        ("document", "ros"),
        ("version", "0"),
        ("status", "draft"),
    ];
    let res = manager.call("control_document_save", &theirs).await;
    assert_eq!(res.status(), 403);
    let res = manager
        .call("district_control", &[("slug", "frogner")])
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(manager.call("control_matrix", &[]).await.status(), 403);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM district_document d JOIN app_user u ON u.id = d.updated_by
             WHERE u.role = 'district_manager'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log
             WHERE action = 'control_document.update' AND user_role = 'district_manager'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_form_that_does_not_make_sense_comes_back_naming_its_field_and_stores_nothing() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-01-10 09:00 UTC));
    let admin = app.signed_in("admin").await;
    let alna = alna_id(&app).await;
    let res = admin
        .post_form(
            "/api/control_document_save",
            &[
                ("district", &alna),
                ("slug", "alna"),
                ("document", "ros"),
                ("version", "0"),
                ("status", "adopted"),
                ("adopted_on", "2026-02-01"),
                ("adopted_by", "Bydelsdirektør"),
            ],
        )
        .await;
    assert_eq!(res.status(), 302);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        to.starts_with("/internkontroll/alna?dokument=ros") && to.contains("felt=adopted_on"),
        "{to}"
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM district_document").await,
        0
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM district_document_event").await,
        0
    );
    // The page comes back with the document's form open, what was typed in it, the field
    // marked and why (without JavaScript: the kept form goes to the next page view).
    let (status, html) = admin.get_text(&to).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"skjemafeil\""), "error summary");
    assert!(
        html.contains("kan ikke være fram i tid"),
        "why, in Norwegian"
    );
    assert!(html.contains("value=\"Bydelsdirektør\""), "kept as typed");
    assert!(html.contains("value=\"2026-02-01\""), "kept as typed");
    assert!(
        html.contains("id=\"doc-ros-adopted_on\"") && html.contains("aria-invalid=\"true\""),
        "the field is marked"
    );
}

#[tokio::test]
async fn the_compliance_pages_carry_the_documents_for_those_who_may_read_them() {
    let app = TestApp::spawn().await;
    let routine = "Rutiner for samarbeid med krisesenteret i reetableringsfasen";
    let reviewer = app.signed_in("kontrollor").await;
    for path in ["/kontroll", "/kontroll/alna", "/kontroll/alna/utskrift"] {
        let (status, html) = reviewer.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            html.contains("Internkontroll") && html.contains("Mangler"),
            "{path}"
        );
    }
    let (_, district) = reviewer.get_text("/kontroll/alna").await;
    assert!(district.contains(routine));
    // The crisis center reads the deadline figures, not the districts' internal control.
    let staff = app.signed_in("krisesenter").await;
    let (status, html) = staff.get_text("/kontroll/alna").await;
    assert_eq!(status, 200);
    assert!(!html.contains(routine));
    // Alna's district manager reads Alna's page with its documents, without the links to every
    // district's figures and the CSV files, which are not theirs; Frogner's page is refused.
    let manager = app.signed_in("leder.alna").await;
    for path in ["/kontroll/alna", "/kontroll/alna/utskrift"] {
        let (status, html) = manager.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(routine), "{path}");
        assert!(!html.contains("href=\"/kontroll?"), "{path}");
        assert!(!html.contains("/eksport/kontroll.csv"), "{path}");
    }
    let (_, home) = manager.get_text("/").await;
    assert!(
        home.contains("href=\"/kontroll/alna\"") && home.contains("href=\"/internkontroll/alna\"")
    );
    assert_eq!(manager.get_text("/kontroll/frogner").await.0, 403);
    assert_eq!(manager.get_text("/kontroll").await.0, 403);
}

/// A review date 30 days ahead and passed: the leader contacts of each of Alna's services get
/// one message each, once however often the scan runs, naming the document and the date and
/// nobody; a document no longer adopted when its turn comes is skipped.
#[tokio::test]
async fn review_dates_coming_up_and_passed_go_to_the_districts_leaders_once_each() {
    use crate::notifications::{sender, settings};
    let app = TestApp::spawn().await;
    let smtp = crate::smtp::SmtpServer::start().await;
    let s = sender(&app, &smtp.url());
    let settings = settings();
    let scan = |at| {
        app.clock.set(at);
        app::server::notify::scan(&app.db, &app.clock, &settings)
    };
    app.clock.set(datetime!(2026-05-01 09:00 UTC));
    let alna = alna_id(&app).await;
    // Signed in afresh each time: moving the clock by weeks ends a session.
    let adopt = |document: &'static str,
                 version: &'static str,
                 status: &'static str,
                 review: &'static str| {
        let (app, alna) = (&app, alna.clone());
        async move {
            let admin = app.signed_in("admin").await;
            let res = admin
                .call(
                    "control_document_save",
                    &[
                        ("district", alna.as_str()),
                        ("slug", "alna"),
                        ("document", document),
                        ("version", version),
                        ("status", status),
                        ("adopted_on", "2026-01-05"),
                        ("adopted_by", "Direktør Hemmeligsen"),
                        ("review_on", review),
                    ],
                )
                .await;
            assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        }
    };
    adopt("reetablering", "0", "adopted", "2026-06-30").await;
    adopt("ros", "0", "adopted", "2026-06-20").await;
    let queued = |kind: &'static str| {
        let app = &app;
        async move {
            count(
                app,
                &format!(
                    "SELECT count(*) FROM outbox WHERE kind = '{kind}' AND audience = 'leader'"
                ),
            )
            .await
        }
    };

    // 60 days ahead: nothing yet.
    scan(datetime!(2026-05-01 09:00 UTC)).await.unwrap();
    assert_eq!(queued("control_review_soon").await, 0);
    // 29 days ahead: one message per service of Alna and document, and once only.
    scan(datetime!(2026-06-01 09:00 UTC)).await.unwrap();
    scan(datetime!(2026-06-01 10:00 UTC)).await.unwrap();
    assert_eq!(queued("control_review_soon").await, 6);
    // The ROS analysis is set back to a draft before its messages go: they are skipped.
    adopt("ros", "1", "draft", "").await;
    s.drain(100).await.unwrap();
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE kind = 'control_review_soon' AND state = 'sent'"
        )
        .await,
        3
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE kind = 'control_review_soon' AND state = 'skipped'"
        )
        .await,
        3
    );
    let soon = smtp.messages();
    assert_eq!(soon.len(), 3);
    let leaders: Vec<String> = sqlx::query_scalar(
        "SELECT c.email FROM contact c JOIN service s ON s.id = c.service_id
         JOIN district d ON d.id = s.district_id
         WHERE d.slug = 'alna' AND c.role = 'leader' AND c.active = 1
           AND s.kind IN ('nav', 'child_welfare', 'violence_coordinator')
         ORDER BY c.email",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let mut got: Vec<String> = soon.iter().flat_map(|m| m.rcpt_to.clone()).collect();
    got.sort();
    assert_eq!(got, leaders, "the leaders of Alna's services");
    for m in &soon {
        assert!(
            m.subject().starts_with("Revisjonsdatoen nærmer seg"),
            "{}",
            m.subject()
        );
        assert!(m.text().contains("30.06.2026"), "{}", m.text());
        assert!(m.text().contains("/internkontroll/alna"), "{}", m.text());
        assert!(
            !m.everything().contains("Hemmeligsen"),
            "no person is named"
        );
    }

    // The day after the review date, from Oslo midnight: passed, once per service.
    scan(datetime!(2026-06-30 21:30 UTC)).await.unwrap();
    assert_eq!(
        queued("control_review_passed").await,
        0,
        "still 30 June in Oslo"
    );
    scan(datetime!(2026-06-30 22:30 UTC)).await.unwrap();
    scan(datetime!(2026-07-02 08:00 UTC)).await.unwrap();
    assert_eq!(queued("control_review_passed").await, 3);
    s.drain(100).await.unwrap();
    let passed: Vec<_> = smtp
        .messages()
        .into_iter()
        .filter(|m| m.subject().starts_with("Revisjonsdatoen er passert"))
        .collect();
    assert_eq!(passed.len(), 3);
}

/// A district's document as a PDF: its manager uploads it, its own users, administrators and
/// reviewers download it, nobody else does; what is not a PDF, or is over the limit, is refused
/// saying why, and nothing is stored.
#[tokio::test]
async fn a_districts_pdf_is_stored_within_its_limit_and_served_only_to_those_who_read_it() {
    use app::domain::internal_control::MAX_PDF_BYTES;
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let path = "/internkontroll/alna/dokument/ros";
    let stored = || count(&app, "SELECT count(*) FROM district_document_file");
    let manager = app.signed_in("leder.alna").await;

    // Not a PDF: back to the document's form with why, nothing stored.
    let res = manager.post_file(path, "file", b"<html>hello</html>").await;
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        to.starts_with("/internkontroll/alna?dokument=ros") && to.contains("felt=file"),
        "{to}"
    );
    assert_eq!(stored().await, 0);
    let (status, html) = manager.get_text(&to).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"skjemafeil\""), "error summary");
    assert!(
        html.contains("Velg en PDF-fil på høyst 10 MB"),
        "why, in Norwegian"
    );
    assert!(
        html.contains("id=\"doc-ros-file\"") && html.contains("aria-invalid=\"true\""),
        "the field is marked"
    );
    // One byte over the limit: refused the same way.
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(MAX_PDF_BYTES + 1, b' ');
    let res = manager.post_file(path, "file", &big).await;
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("felt=file")
    );
    assert_eq!(stored().await, 0);
    // Far over the limit: the body limit refuses it before it is read.
    big.resize(MAX_PDF_BYTES * 2, b' ');
    let res = manager.post_file(path, "file", &big).await;
    assert!(
        res.status() == 413
            || res.headers()["location"]
                .to_str()
                .unwrap()
                .contains("felt=file"),
        "{}",
        res.status()
    );
    assert_eq!(stored().await, 0);

    // A PDF: stored, with a history row and an access-log row; a second replaces the first.
    let pdf = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
    let res = manager.post_file(path, "file", pdf).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        "/internkontroll/alna?ok=pdf"
    );
    let res = manager.post_file(path, "file", pdf).await;
    assert_eq!(res.status(), 303);
    assert_eq!(stored().await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM district_document_event WHERE file_bytes IS NOT NULL"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action = 'control_document.upload'"
        )
        .await,
        2
    );
    let (_, html) = manager.get_text("/internkontroll/alna").await;
    assert!(
        html.contains(&format!("href=\"{path}\"")),
        "the page links it"
    );

    // Who downloads it: Alna's users, administrators and reviewers.
    for who in ["leder.alna", "nav.alna", "admin", "kontrollor"] {
        let res = app.signed_in(who).await.get(path).await;
        assert_eq!(res.status(), 200, "{who}");
        assert_eq!(res.headers()["content-type"], "application/pdf", "{who}");
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment"),
            "{who}"
        );
        assert_eq!(res.bytes().await.unwrap().as_ref(), pdf, "{who}");
    }
    for who in ["nav.frogner", "krisesenter"] {
        assert_eq!(
            app.signed_in(who).await.get(path).await.status(),
            403,
            "{who}"
        );
    }
    assert_eq!(
        app.browser().get(path).await.status(),
        303,
        "anonymous: sign in first"
    );
    // Only those who record the district's documents upload: not its caseworkers, not
    // reviewers, not another district's manager's district.
    for who in ["nav.alna", "kontrollor"] {
        let res = app.signed_in(who).await.post_file(path, "file", pdf).await;
        assert_eq!(res.status(), 403, "{who}");
    }
    let frogner = "/internkontroll/frogner/dokument/ros";
    let res = manager.post_file(frogner, "file", pdf).await;
    assert_eq!(res.status(), 403);
    assert_eq!(stored().await, 1);
    // Frogner's own PDF (an administrator's upload) is not for Alna's manager or caseworker.
    let admin = app.signed_in("admin").await;
    assert_eq!(admin.post_file(frogner, "file", pdf).await.status(), 303);
    assert_eq!(stored().await, 2);
    for who in [&manager, &app.signed_in("nav.alna").await] {
        assert_eq!(who.get(frogner).await.status(), 403);
    }
    assert_eq!(
        app.signed_in("nav.frogner")
            .await
            .get(frogner)
            .await
            .status(),
        200
    );
    assert_eq!(
        manager
            .get("/internkontroll/alna/dokument/handlingsplan")
            .await
            .status(),
        404,
        "no file uploaded for that document"
    );
}

/// Administrators extend the list of documents: every district has the new one, missing until
/// recorded; a taken short name is refused saying why, and nobody else adds to the list.
#[tokio::test]
async fn administrators_extend_the_list_of_documents() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let form = [
        ("document_slug", "beredskapsplan"),
        ("name_nb", "Beredskapsplan for krisesentertilbudet"),
        ("name_en", "Contingency plan for the crisis center service"),
    ];
    for who in ["leder.alna", "kontrollor", "nav.alna"] {
        let res = app
            .signed_in(who)
            .await
            .call("control_document_create", &form)
            .await;
        assert_eq!(res.status(), 403, "{who}");
    }
    let res = admin.post_form("/api/control_document_create", &form).await;
    assert_eq!(res.status(), 302);
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        "/internkontroll?ok=dokument_ny"
    );
    let after = matrix(&app).await;
    assert_eq!(after.documents.len(), 10);
    assert_eq!(after.documents[9].slug, "beredskapsplan", "at the end");
    assert_eq!(alna_state(&after, "beredskapsplan"), DocumentState::Missing);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action = 'control_document.create'"
        )
        .await,
        1
    );
    // The same short name again: back to the form, kept, with why; nothing added.
    let res = admin
        .post_form(
            "/api/control_document_create",
            &[
                ("document_slug", "beredskapsplan"),
                ("name_nb", "Annen plan"),
                ("name_en", "Other plan"),
            ],
        )
        .await;
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.contains("felt=document_slug"), "{to}");
    let (_, html) = admin.get_text(&to).await;
    assert!(html.contains("ikke allerede i bruk"), "why");
    assert!(html.contains("value=\"Annen plan\""), "kept as typed");
    assert_eq!(
        count(&app, "SELECT count(*) FROM control_document").await,
        10
    );
    // Alna's page lists it, for its manager to record.
    let (_, html) = app
        .signed_in("leder.alna")
        .await
        .get_text("/internkontroll/alna")
        .await;
    assert!(html.contains("Beredskapsplan for krisesentertilbudet"));
}
