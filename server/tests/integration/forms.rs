//! The forms that record facts: no select that records a fact starts with a value (one careless
//! click must not record a false fact), and a form sent without choosing is refused with the
//! field named and nothing stored. A refused form comes back as it was typed, with the field
//! marked and why; a likely duplicate is caught at intake.

use crate::plans::{create_plan, stay_version};
use crate::support::{TestApp, count};
use time::macros::datetime;

/// The values of the chosen options of select `name` (as [`options`] finds it).
fn chosen(html: &str, name: &str) -> Vec<String> {
    options(html, name)
        .into_iter()
        .filter(|(_, selected)| *selected)
        .map(|(v, _)| v)
        .collect()
}

/// The options of the select named `name` (or, for `#id`, with that id) in `html`: (value,
/// selected), in order.
fn options(html: &str, name: &str) -> Vec<(String, bool)> {
    let attribute = match name.strip_prefix('#') {
        Some(id) => format!(r#"id="{id}""#),
        None => format!(r#"name="{name}""#),
    };
    let start = html
        .find(&attribute)
        .unwrap_or_else(|| panic!("no select {name}"));
    let end = start + html[start..].find("</select>").unwrap();
    html[start..end]
        .split("<option")
        .skip(1)
        .map(|option| {
            let tag = &option[..option.find('>').unwrap()];
            let value = tag
                .split(r#"value=""#)
                .nth(1)
                .map(|v| v[..v.find('"').unwrap()].to_owned())
                .unwrap_or_default();
            (value, tag.contains("selected"))
        })
        .collect()
}

/// The select starts on an empty choice: its first option has no value and is the one
/// selected, and no other option is.
fn starts_empty(html: &str, name: &str) {
    let options = options(html, name);
    assert!(options.len() > 1, "{name}: {options:?}");
    assert_eq!(options[0].0, "", "{name} starts with a value: {options:?}");
    assert!(
        options[1..].iter().all(|(_, selected)| !selected),
        "{name}: {options:?}"
    );
}

#[tokio::test]
async fn no_select_that_records_a_fact_starts_with_a_value() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let (status, intake) = staff.get_text("/planer/ny").await;
    assert_eq!(status, 200);
    for name in ["gender", "referral", "home"] {
        starts_empty(&intake, name);
    }
    let stay = create_plan(&app, &staff, &[]).await;
    let s = stay.to_string();
    let v = stay_version(&app, stay).await;
    let res = staff
        .call(
            "plan_exit_meeting",
            &[
                ("stay", &s),
                ("version", &v),
                ("starts_at", "2026-03-20T10:00"),
                ("invited[nav]", "1"),
                ("invited[child_welfare]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let (_, page) = staff.get_text(&format!("/planer/{stay}")).await;
    for name in ["outcome", "main_coordinator"] {
        starts_empty(&page, name);
    }
    let services: Vec<i64> = sqlx::query_scalar(
        "SELECT service_id FROM exit_meeting_service WHERE stay_id = ?1 ORDER BY service_id",
    )
    .bind(stay)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(services.len(), 2);
    for service in &services {
        starts_empty(&page, &format!("attendance[{service}]"));
    }

    // Sent without choosing: refused, the field named, nothing stored.
    let v = stay_version(&app, stay).await;
    let keys: Vec<String> = services
        .iter()
        .map(|service| format!("attendance[{service}]"))
        .collect();
    let form = [
        ("stay", s.as_str()),
        ("version", v.as_str()),
        (keys[0].as_str(), "attended"),
        (keys[1].as_str(), ""),
    ];
    let res = staff.call("plan_exit_meeting_record", &form).await;
    assert_eq!(res.status(), 400);
    let error: serde_json::Value = res.json().await.unwrap();
    assert_eq!(error["field"], "attendance");
    for (field, form) in [
        ("gender", vec![("gender", "")]),
        ("referral", vec![("referral", "")]),
        ("home", vec![("home", "")]),
    ] {
        let res = crate::plans::call_create_plan(&app, &staff, &form).await;
        assert_eq!(res.status(), 400, "{field}");
        let error: serde_json::Value = res.json().await.unwrap();
        assert_eq!(error["field"], field);
    }
    assert_eq!(count(&app, "SELECT count(*) FROM stay").await, 1);
    assert_eq!(stay_version(&app, stay).await, v, "nothing stored");
}

#[tokio::test]
async fn a_new_user_contact_or_service_has_no_role_or_kind_until_one_is_chosen() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let (status, page) = admin.get_text("/admin/brukere/ny").await;
    assert_eq!(status, 200);
    starts_empty(&page, "role");
    let (_, page) = admin.get_text("/bydeler/alna").await;
    starts_empty(&page, "#new-service-kind");
    let service: i64 = sqlx::query_scalar(
        "SELECT s.id FROM service s JOIN district d ON d.id = s.district_id
         WHERE d.slug = 'alna' AND s.kind = 'nav'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let nav = app.signed_in("nav.alna").await;
    let (_, page) = nav.get_text("/bydeler/alna").await;
    starts_empty(&page, &format!("#add-{service}-role"));
    let res = nav
        .call(
            "contact_add",
            &[
                ("service", &service.to_string()),
                ("name", "Rolle Uvalgt"),
                ("email", "rolle.uvalgt@example.org"),
                ("role", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 400);
    let error: serde_json::Value = res.json().await.unwrap();
    assert_eq!(error["field"], "role");
}

#[tokio::test]
async fn an_exit_meeting_is_recorded_as_held_only_once_its_time_has_come() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await;
    let s = stay.to_string();
    let v = stay_version(&app, stay).await;
    let res = staff
        .call(
            "plan_exit_meeting",
            &[
                ("stay", &s),
                ("version", &v),
                ("starts_at", "2026-03-20T10:00"),
                ("invited[nav]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let service: i64 =
        sqlx::query_scalar("SELECT service_id FROM exit_meeting_service WHERE stay_id = ?1")
            .bind(stay)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let key = format!("attendance[{service}]");
    // 09:30 Oslo time (08:30 UTC) on the day: the meeting at 10:00 has not been held yet.
    for (at, status) in [
        (datetime!(2026-03-20 08:30 UTC), 400),
        (datetime!(2026-03-20 09:05 UTC), 200),
    ] {
        app.clock.set(at);
        let staff = app.signed_in("krisesenter").await;
        let v = stay_version(&app, stay).await;
        let res = staff
            .call(
                "plan_exit_meeting_record",
                &[("stay", &s), ("version", &v), (&key, "attended")],
            )
            .await;
        assert_eq!(res.status(), status, "{at}");
        if status == 400 {
            let error: serde_json::Value = res.json().await.unwrap();
            assert_eq!(error["field"], "meeting_held");
            assert_eq!(stay_version(&app, stay).await, v, "nothing stored");
            let (_, page) = staff
                .get_text(&format!(
                    "/planer/{stay}?feil=E-INVALID-INPUT&felt=meeting_held"
                ))
                .await;
            assert!(page.contains("først når tidspunktet er passert"));
        }
    }
}

#[tokio::test]
async fn a_refused_page_has_its_heading_and_no_page_links_to_a_board_that_refuses() {
    let app = TestApp::spawn().await;
    let nav = app.signed_in("nav.alna").await;
    let (_, own) = nav.get_text("/bydeler/alna").await;
    assert!(own.contains(r#"href="/bydeler/alna/frister""#));
    let (_, other) = nav.get_text("/bydeler/frogner").await;
    assert!(!other.contains(r#"href="/bydeler/frogner/frister""#));
    for path in [
        "/bydeler/frogner/frister",
        "/admin/brukere",
        "/kontroll/alna",
    ] {
        let (status, page) = nav.get_text(path).await;
        assert_eq!(status, 403, "{path}");
        let h1 = page
            .find("<h1")
            .map(|at| &page[at..at + page[at..].find("</h1>").unwrap()]);
        assert!(
            h1.is_some_and(|h1| h1.contains(">Ingen tilgang")),
            "{path}: {}",
            &page[page.find("<main").unwrap_or(0)..]
        );
        let title = &page[page.find("<title>").unwrap()..page.find("</title>").unwrap()];
        assert!(title.contains("Ingen tilgang"), "{path}: {title}");
    }
    // A reviewer is not told that a service has no contacts: contacts are not shown to them.
    let reviewer = app.signed_in("kontrollor").await;
    let (_, page) = reviewer.get_text("/bydeler/alna").await;
    assert!(!page.contains("Ingen kontaktpersoner registrert"));
    assert!(page.contains("Kontaktpersoner vises bare for ansatte"));
    assert!(page.contains(r#"href="/bydeler/alna/frister""#));
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_refused_intake_comes_back_as_typed_with_the_field_marked_and_why_once() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let home = crate::plans::district_id(&app, "alna").await.to_string();
    let target = crate::plans::district_id(&app, "frogner").await.to_string();
    let form = [
        ("name", "Typet Testesen"),
        ("birth_year", "1850"),
        ("gender", "female"),
        ("case_reference", "KS-77"),
        ("secret_address", "1"),
        ("language", "arabisk"),
        ("arrival", "2026-03-15"),
        ("referral", "police"),
        ("children_years", "2019, 2022"),
        ("home", home.as_str()),
        ("target", target.as_str()),
        ("target_reason", "wish"),
    ];
    let res = staff.post_form("/api/plan_create", &form).await;
    let to = location(&res);
    assert_eq!(to, "/planer/ny?feil=E-INVALID-INPUT&felt=birth_year");
    assert_eq!(
        count(&app, "SELECT count(*) FROM stay").await,
        0,
        "nothing stored"
    );
    let (status, html) = staff.get_text(&to).await;
    assert_eq!(status, 200);
    for typed in [
        r#"value="Typet Testesen""#,
        r#"value="1850""#,
        r#"value="KS-77""#,
        r#"value="arabisk""#,
        r#"value="2026-03-15""#,
        r#"value="2019, 2022""#,
    ] {
        assert!(html.contains(typed), "{typed} kept");
    }
    for (select, value) in [
        ("gender", "female"),
        ("referral", "police"),
        ("home", home.as_str()),
        ("target", target.as_str()),
        ("target_reason", "wish"),
    ] {
        assert_eq!(chosen(&html, select), [value], "{select} kept");
    }
    for checkbox in ["plan-secret", "plan-interpreter"] {
        let at = html.find(&format!(r#"id="{checkbox}""#)).unwrap();
        let tag = &html[html[..at].rfind('<').unwrap()..at + html[at..].find('>').unwrap()];
        assert_eq!(
            tag.contains("checked"),
            checkbox == "plan-secret",
            "{checkbox}: {tag}"
        );
    }
    // The refused field is marked and linked to why, and the summary takes the focus.
    let at = html.find(r#"id="plan-birth-year""#).unwrap();
    let tag = &html[at..at + html[at..].find('>').unwrap()];
    assert!(tag.contains(r#"aria-invalid="true""#), "{tag}");
    assert!(
        tag.contains(r#"aria-describedby="feil-birth_year""#),
        "{tag}"
    );
    assert!(html.contains(r#"id="feil-birth_year""#));
    assert!(html.contains("Fødselsåret må være mellom 1900 og i år"));
    assert!(html.contains(r##"href="#feil-birth_year""##));
    assert!(html.contains(r#"id="skjemafeil""#) && html.contains("autofocus"));
    assert!(
        !html.contains("E-INVALID-INPUT</"),
        "no code as the message"
    );
    // Shown once: a reload is the empty form; another session never sees it.
    let (_, again) = staff.get_text(&to).await;
    assert!(!again.contains("Typet Testesen"));
    let res = staff.post_form("/api/plan_create", &form).await;
    assert_eq!(location(&res), to);
    let other = app.signed_in("krisesenter").await;
    let (_, theirs) = other.get_text(&to).await;
    assert!(!theirs.contains("Typet Testesen"));
    let (_, mine) = staff.get_text(&to).await;
    assert!(
        mine.contains("Typet Testesen"),
        "still the staff member's own"
    );
}

#[tokio::test]
async fn a_refused_password_change_keeps_no_password() {
    let app = TestApp::spawn().await;
    let staff = app.signed_in("krisesenter").await;
    let secret = "Hemmelig-passord-som-ikke-lagres-9";
    let res = staff
        .post_form(
            "/api/change_password",
            &[
                ("current_password", secret),
                ("new_password", secret),
                ("repeat_password", "annet"),
            ],
        )
        .await;
    let to = location(&res);
    assert!(to.contains("feil="), "{to}");
    let (_, html) = staff.get_text(&to).await;
    assert!(!html.contains(secret));
}

#[tokio::test]
async fn the_same_name_and_birth_year_with_an_open_stay_is_caught_at_intake() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let first = create_plan(
        &app,
        &staff,
        &[("name", "Dobbel Testesen"), ("birth_year", "1980")],
    )
    .await;
    let home = crate::plans::district_id(&app, "alna").await.to_string();
    let mut form = vec![
        ("name", "dobbel testesen "),
        ("birth_year", "1980"),
        ("gender", "female"),
        ("arrival", "2026-03-16"),
        ("referral", "self"),
        ("home", home.as_str()),
    ];
    let res = staff.post_form("/api/plan_create", &form).await;
    let to = location(&res);
    assert_eq!(to, "/planer/ny?feil=E-CONFLICT&felt=duplicate");
    assert_eq!(count(&app, "SELECT count(*) FROM stay").await, 1);
    let (_, html) = staff.get_text(&to).await;
    assert!(
        html.contains(&format!(r#"href="/planer/{first}""#)),
        "open it"
    );
    assert!(
        html.contains(r#"name="duplicate_reason""#),
        "or register anyway"
    );
    assert!(html.contains(r#"value="dobbel testesen ""#));
    // A reason registers the new stay, and keeps the reason with it.
    form.push(("duplicate_reason", "Ny innflytting etter brudd"));
    let res = staff.post_form("/api/plan_create", &form).await;
    assert!(
        location(&res).ends_with("?ok=opprettet"),
        "{}",
        location(&res)
    );
    let reasons: Vec<Option<String>> =
        sqlx::query_scalar("SELECT duplicate_reason FROM stay ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        reasons,
        [None, Some("Ny innflytting etter brudd".to_owned())]
    );
    // Another birth year, or a stay that has ended, is no duplicate.
    create_plan(
        &app,
        &staff,
        &[("name", "Dobbel Testesen"), ("birth_year", "1981")],
    )
    .await;
    sqlx::query("UPDATE stay SET move_out = '2026-03-16', outcome = 'own_home'")
        .execute(&app.pool)
        .await
        .unwrap();
    create_plan(
        &app,
        &staff,
        &[("name", "Dobbel Testesen"), ("birth_year", "1980")],
    )
    .await;
}

#[tokio::test]
async fn a_comment_refused_as_stale_is_offered_again_beside_the_other_change() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await;
    let nav = app.signed_in("nav.alna").await;
    let (task, version) = crate::plans::task_of(&app, stay, "housing_plan", None).await;
    let res = nav
        .post_form(
            "/api/task_update",
            &[
                ("task", &task),
                ("version", &version),
                ("change", "claim"),
                ("comment", "Tar den."),
            ],
        )
        .await;
    assert!(location(&res).ends_with("?ok=oppgave"));
    let res = nav
        .post_form(
            "/api/task_update",
            &[
                ("task", &task),
                ("version", &version),
                ("change", "comment"),
                ("comment", "Ringte beboeren, avtalt møte fredag."),
            ],
        )
        .await;
    let to = location(&res);
    assert_eq!(to, format!("/oppgaver/{task}?feil=E-STALE"));
    let (_, page) = nav.get_text(&to).await;
    assert!(page.contains("Ringte beboeren, avtalt møte fredag.</textarea>"));
    assert!(page.contains("Tar den."), "the change that won is shown");
}

#[tokio::test]
async fn a_refused_contact_comes_back_as_typed_in_its_open_form() {
    let app = TestApp::spawn().await;
    let nav = app.signed_in("nav.alna").await;
    let service = crate::plans::service_id(&app, "alna", "nav")
        .await
        .to_string();
    let res = nav
        .post_form(
            "/api/contact_add",
            &[
                ("service", &service),
                ("name", "Typet Kontaktsen"),
                ("role", "leader"),
                ("email", "ikke en adresse"),
            ],
        )
        .await;
    let to = location(&res);
    assert!(to.contains("feil=E-INVALID-INPUT&felt=email"), "{to}");
    let (_, html) = nav.get_text(&to).await;
    assert!(html.contains(r#"value="Typet Kontaktsen""#));
    assert!(html.contains(r#"value="ikke en adresse""#));
    assert_eq!(chosen(&html, &format!("#add-{service}-role")), ["leader"]);
    let at = html.find(&format!(r#"id="add-{service}-email""#)).unwrap();
    let tag = &html[at..at + html[at..].find('>').unwrap()];
    assert!(tag.contains(r#"aria-invalid="true""#), "{tag}");
    let open: Vec<bool> = html
        .match_indices(r#"class="add-contact""#)
        .map(|(at, _)| {
            let start = html[..at].rfind('<').unwrap();
            let tag = &html[start..at + html[at..].find('>').unwrap()];
            tag.contains("open")
        })
        .collect();
    assert_eq!(open.iter().filter(|o| **o).count(), 1, "{open:?}");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM contact WHERE name = 'Typet Kontaktsen'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_refused_routine_version_comes_back_with_every_offset_as_set() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let rule = |step: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT id FROM routine_rule WHERE routine_version_id = 2 AND step = ?1",
            )
            .bind(step)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let (housing, exit) = (rule("housing_plan").await, rule("exit_meeting").await);
    let res = admin
        .post_form(
            "/api/routine_publish",
            &[
                ("based_on", "2"),
                (&format!("offset[{housing}]"), "10"),
                (&format!("offset[{exit}]"), "900"),
                ("note", "Kortere frister"),
            ],
        )
        .await;
    let to = location(&res);
    assert_eq!(to, "/admin/rutiner?feil=E-INVALID-INPUT&felt=offset");
    let (_, html) = admin.get_text(&to).await;
    let value_of = |id: String| {
        let at = html.find(&format!(r#"id="{id}""#)).unwrap();
        let tag = &html[at..at + html[at..].find('>').unwrap()];
        tag.split(r#"value=""#)
            .nth(1)
            .map(|v| v[..v.find('"').unwrap()].to_owned())
    };
    assert_eq!(value_of(format!("offset-{housing}")).as_deref(), Some("10"));
    assert_eq!(value_of(format!("offset-{exit}")).as_deref(), Some("900"));
    assert_eq!(
        value_of("routine-note".into()).as_deref(),
        Some("Kortere frister")
    );
    assert!(html.contains("høyst ett år fram eller tilbake"));
    assert_eq!(
        count(&app, "SELECT count(*) FROM routine_version").await,
        2,
        "nothing stored"
    );
}

#[tokio::test]
async fn a_refused_deviation_handling_and_user_change_come_back_as_typed() {
    let app = TestApp::spawn().await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await;
    let (task, _) = crate::plans::task_of(&app, stay, "housing_plan", None).await;
    let nav = app.signed_in("nav.alna").await;
    let res = nav
        .call(
            "deviation_open",
            &[("task", &task), ("note", "Planen kom sent.")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let id: i64 = res.json().await.unwrap();
    let id = id.to_string();
    // Closing needs a cause: the measure and the note typed come back, the cause is marked.
    let note = "Saksbehandler var syk, ingen stedfortreder.";
    let res = nav
        .post_form(
            "/api/deviation_update",
            &[
                ("id", id.as_str()),
                ("version", "1"),
                ("change", "close"),
                ("cause", ""),
                ("measure", "routine_changed"),
                ("note", note),
            ],
        )
        .await;
    let to = location(&res);
    assert!(to.contains("felt=cause"), "{to}");
    let (_, html) = nav.get_text(&to).await;
    assert!(
        html.contains(&format!("{note}</textarea>")),
        "the note is kept"
    );
    assert_eq!(chosen(&html, "#deviation-measure"), ["routine_changed"]);
    assert_eq!(chosen(&html, "#deviation-cause"), [""]);
    let at = html.find(r#"id="deviation-cause""#).unwrap();
    let tag = &html[at..at + html[at..].find('>').unwrap()];
    assert!(tag.contains(r#"aria-invalid="true""#), "{tag}");
    assert!(html.contains("Velg hva avviket skyldtes før du lukker det."));
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM deviation WHERE status = 'closed'"
        )
        .await,
        0
    );

    // An administrator's refused change of a user keeps the name and the role typed.
    let admin = app.signed_in("admin").await;
    let user: i64 = sqlx::query_scalar("SELECT id FROM app_user WHERE email LIKE 'nav.frogner%'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let user = user.to_string();
    let res = admin
        .post_form(
            "/api/user_update",
            &[
                ("id", user.as_str()),
                ("name", "Nytt Navn Skrevet"),
                ("role", "caseworker"),
                ("district", ""),
                ("service", "nav"),
                ("active", "1"),
            ],
        )
        .await;
    let to = location(&res);
    assert!(to.contains("felt=unit"), "{to}");
    let (_, html) = admin.get_text(&to).await;
    assert!(
        html.contains(r#"value="Nytt Navn Skrevet""#),
        "the name is kept"
    );
    assert_eq!(
        chosen(&html, "#user-district"),
        [""],
        "the district as sent, not as stored"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM app_user WHERE name = 'Nytt Navn Skrevet'"
        )
        .await,
        0
    );
}
