//! Consent to share (issue 17, part 1): a unit sees the resident's name and other personal data
//! only while its consent holds; child welfare sees the stay through the report of concern
//! without consent; every answer is in the plan's consent history and the access log.

use crate::plans::{create_plan, district_id, set_today, stay_version, task_of};
use crate::support::{Browser, TestApp, count};
use serde_json::Value;
use time::macros::datetime;

const NAME: &str = "Samtykke Testesen";

/// Everything a caseworker can ask about the stay: the inbox page, the task page, the plan page
/// (with their hydration payloads), and the server functions behind them. Returns the texts.
async fn seen_by(who: &Browser, stay: i64, task: &str) -> Vec<(String, String)> {
    let mut seen = Vec::new();
    for path in [
        "/oppgaver".to_owned(),
        format!("/oppgaver/{task}"),
        format!("/planer/{stay}"),
    ] {
        let (status, html) = who.get_text(&path).await;
        assert_eq!(status, 200, "{path}");
        seen.push((path, html.replace("<!>", "")));
    }
    let s = stay.to_string();
    for (endpoint, form) in [
        ("tasks", vec![]),
        ("inbox", vec![]),
        ("inbox (finished)", vec![("ferdige", "1")]),
        ("task", vec![("task", task)]),
        ("plan", vec![("stay", s.as_str())]),
    ] {
        let res = who.call(endpoint.split(' ').next().unwrap(), &form).await;
        assert_eq!(res.status(), 200, "{endpoint}");
        seen.push((endpoint.to_owned(), res.text().await.unwrap()));
    }
    seen
}

/// Whether every view names the resident (`true`) or none does (`false`); panics on a mix.
async fn sees_name(who: &Browser, stay: i64, task: &str) -> bool {
    let seen = seen_by(who, stay, task).await;
    let naming: Vec<&str> = seen
        .iter()
        .filter(|(_, text)| text.contains(NAME))
        .map(|(what, _)| what.as_str())
        .collect();
    if naming.is_empty() {
        // Without the name, the inbox and the task page say why.
        for (what, text) in &seen[..2] {
            assert!(text.contains("Venter på samtykke"), "{what}");
        }
        // And nothing else that is personal: the birth year and the children's.
        for (what, text) in &seen {
            assert!(!text.contains("1984"), "{what} shows the birth year");
            assert!(!text.contains("2019"), "{what} shows a child's birth year");
        }
        return false;
    }
    // Every view names the resident, but the finished tasks (the open task is not among them).
    let silent: Vec<&str> = seen
        .iter()
        .filter(|(_, text)| !text.contains(NAME))
        .map(|(what, _)| what.as_str())
        .collect();
    assert_eq!(
        silent,
        ["inbox (finished)"],
        "only some views name the resident: {naming:?}"
    );
    true
}

/// Plans the move-out (20 April) of a stay moving to `target` for a threat: NAV and child welfare
/// of the home district get the transfer.
async fn plan_move_out(app: &TestApp, staff: &Browser, stay: i64, target: &str) {
    let (s, v) = (stay.to_string(), stay_version(app, stay).await);
    let res = staff
        .call(
            "plan_update",
            &[
                ("stay", &s),
                ("version", &v),
                ("target", target),
                ("target_reason", "threat"),
                ("planned_move_out", "2026-04-20"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

async fn record(staff: &Browser, app: &TestApp, stay: i64, unit: &str, answer: &str) -> u16 {
    let v = stay_version(app, stay).await;
    let s = stay.to_string();
    let res = staff
        .call(
            "plan_consent",
            &[
                ("stay", &s),
                ("version", &v),
                ("consent_unit", unit),
                ("answer", answer),
                ("how", "written"),
                ("decided_on", "2026-03-17"),
            ],
        )
        .await;
    res.status().as_u16()
}

#[tokio::test]
async fn each_service_sees_the_resident_only_while_its_consent_holds() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let frogner = district_id(&app, "frogner").await.to_string();
    let alna = district_id(&app, "alna").await;
    // Not asked yet, for every service (the intake's default).
    let stay = create_plan(
        &app,
        &staff,
        &[
            ("name", NAME),
            ("birth_year", "1984"),
            ("children_years", "2019"),
            ("target", &frogner),
            ("target_reason", "threat"),
            ("consent_nav", "not_asked"),
            ("consent_child_welfare", ""),
            ("consent_violence_coordinator", "not_asked"),
        ],
    )
    .await;
    assert_eq!(count(&app, "SELECT count(*) FROM consent").await, 0);
    // The planned move-out gives NAV and child welfare of Alna the transfer to Frogner.
    plan_move_out(&app, &staff, stay, &frogner).await;
    let s = stay.to_string();

    set_today(&app, datetime!(2026-03-17 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    for (user, kind, step) in [
        ("nav.alna", "nav", "housing_plan"),
        ("vold.alna", "violence_coordinator", "individual_plan"),
        ("barnevern.alna", "child_welfare", "transfer"),
    ] {
        let (task, _) = task_of(&app, stay, step, Some(kind)).await;
        let unit = format!("{alna}:{kind}");
        let caseworker = app.signed_in(user).await;
        assert!(
            !sees_name(&caseworker, stay, &task).await,
            "{user} before consent"
        );
        // Withdrawing what was never given is refused, and stores nothing.
        assert_eq!(record(&staff, &app, stay, &unit, "withdrawn").await, 400);
        assert_eq!(record(&staff, &app, stay, &unit, "given").await, 200);
        assert!(
            sees_name(&caseworker, stay, &task).await,
            "{user} after consent"
        );
        // Given twice is refused.
        assert_eq!(record(&staff, &app, stay, &unit, "given").await, 400);
        assert_eq!(record(&staff, &app, stay, &unit, "withdrawn").await, 200);
        assert!(
            !sees_name(&caseworker, stay, &task).await,
            "{user} after withdrawal"
        );
    }
    // Two rows per service, nothing of the refusals.
    assert_eq!(count(&app, "SELECT count(*) FROM consent").await, 6);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action = 'plan.consent'"
        )
        .await,
        6
    );

    // A refusal is recorded too, and shares nothing; the unit's tasks still count on the board.
    let nav = app.signed_in("nav.alna").await;
    let unit = format!("{alna}:nav");
    assert_eq!(record(&staff, &app, stay, &unit, "refused").await, 200);
    let (housing, _) = task_of(&app, stay, "housing_plan", None).await;
    assert!(!sees_name(&nav, stay, &housing).await);
    let board: Value = nav
        .call("district_board", &[("slug", "alna")])
        .await
        .json()
        .await
        .unwrap();
    let nav_row = board["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["service"] == "nav")
        .unwrap();
    assert!(nav_row["open"].as_i64().unwrap() >= 1, "{board}");

    // The plan page shows staff every answer, the newest first, with who recorded it.
    let plan: Value = staff
        .call("plan", &[("stay", &s)])
        .await
        .json()
        .await
        .unwrap();
    let history = plan["consent_history"].as_array().unwrap();
    assert_eq!(history.len(), 7);
    assert_eq!(history[0]["answer"], "refused");
    assert_eq!(history[0]["unit"]["service"], "nav");
    let units = plan["consents"].as_array().unwrap();
    // Alna's three services and Frogner's three.
    assert_eq!(units.len(), 6, "{units:?}");
    let (_, html) = staff.get_text(&format!("/planer/{s}")).await;
    let html = html.replace("<!>", "");
    assert!(html.contains("Samtykke til deling"));
    assert!(html.contains("Nektet"));
    assert!(html.contains("barnevernsloven § 13-2"));

    // The report of concern reaches child welfare without consent (§ 13-2): once it is sent,
    // child welfare of Alna sees the stay, on every task it has in it.
    let barnevern = app.signed_in("barnevern.alna").await;
    let (transfer, _) = task_of(&app, stay, "transfer", Some("child_welfare")).await;
    assert!(!sees_name(&barnevern, stay, &transfer).await);
    let v = stay_version(&app, stay).await;
    let res = staff
        .call(
            "plan_concern",
            &[
                ("stay", &s),
                ("version", &v),
                ("concern_registered", "2026-03-16"),
                ("report_sent", "2026-03-17"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let (review, _) = task_of(&app, stay, "child_welfare_review", None).await;
    assert!(sees_name(&barnevern, stay, &review).await);
    assert!(sees_name(&barnevern, stay, &transfer).await);
    // NAV still does not.
    assert!(!sees_name(&nav, stay, &housing).await);
}

#[tokio::test]
async fn the_intake_records_consent_for_the_home_and_target_districts_and_refuses_a_half_answer() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let frogner = district_id(&app, "frogner").await.to_string();
    // Given without saying how: refused by its field, nothing stored.
    let res = crate::plans::call_create_plan(
        &app,
        &staff,
        &[("consent_nav", "given"), ("consent_nav_how", "")],
    )
    .await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["field"], "consent_nav_how", "{body}");
    assert_eq!(count(&app, "SELECT count(*) FROM stay").await, 0);
    assert_eq!(count(&app, "SELECT count(*) FROM consent").await, 0);

    let stay = create_plan(
        &app,
        &staff,
        &[
            ("target", &frogner),
            ("target_reason", "wish"),
            ("consent_child_welfare", "refused"),
            ("consent_violence_coordinator", "not_asked"),
        ],
    )
    .await;
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT d.slug, c.service_kind, c.answer FROM consent c JOIN district d ON d.id = c.district_id
         WHERE c.stay_id = ?1 ORDER BY d.slug, c.service_kind",
    )
    .bind(stay)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let rows: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("alna", "child_welfare", "refused"),
            ("alna", "nav", "given"),
            ("frogner", "child_welfare", "refused"),
            ("frogner", "nav", "given"),
        ]
    );
    // The intake form asks, starting on "not asked yet", never pre-ticked.
    let (_, html) = staff.get_text("/planer/ny").await;
    for field in [
        "consent_nav",
        "consent_child_welfare",
        "consent_violence_coordinator",
    ] {
        let select = html
            .split(&format!("name=\"{field}\""))
            .nth(1)
            .unwrap()
            .split("</select>")
            .next()
            .unwrap();
        let selected: Vec<&str> = select
            .split("<option")
            .filter(|o| o.contains("selected"))
            .collect();
        assert_eq!(selected.len(), 1, "{field}: {select}");
        assert!(
            selected[0].contains("value=\"not_asked\""),
            "{field}: {select}"
        );
    }
    // The consent table is append-only.
    let update = sqlx::query("UPDATE consent SET answer = 'given'")
        .execute(&app.pool)
        .await;
    assert!(update.is_err());
    let delete = sqlx::query("DELETE FROM consent").execute(&app.pool).await;
    assert!(delete.is_err());
}

/// The insight's log rows as (user, action), the reads only.
fn reads(insight: &Value) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = insight["log"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| app::domain::insight::READS.contains(&r["action"].as_str().unwrap()))
        .map(|r| {
            (
                r["user_name"].as_str().unwrap().to_owned(),
                r["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    rows.sort();
    rows
}

#[tokio::test]
async fn the_insight_of_a_person_read_by_three_users_lists_exactly_those_reads() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    // Child welfare has no consent; NAV and the violence coordinator have.
    let frogner_id = district_id(&app, "frogner").await.to_string();
    let stay = create_plan(
        &app,
        &staff,
        &[
            ("name", NAME),
            ("consent_child_welfare", "refused"),
            ("children_years", "2019"),
            ("target", &frogner_id),
            ("target_reason", "threat"),
        ],
    )
    .await;
    let other = create_plan(&app, &staff, &[("name", "Annen Person")]).await;
    let s = stay.to_string();
    // The planned move-out gives child welfare of Alna the transfer (without consent).
    plan_move_out(&app, &staff, stay, &frogner_id).await;

    // Three users read the person's data: NAV its task, the coordinator its inbox, staff the plan.
    let nav = app.signed_in("nav.alna").await;
    let (housing, _) = task_of(&app, stay, "housing_plan", None).await;
    assert_eq!(nav.get_text(&format!("/oppgaver/{housing}")).await.0, 200);
    let vold = app.signed_in("vold.alna").await;
    assert_eq!(vold.get_text("/oppgaver").await.0, 200);
    assert_eq!(staff.get_text(&format!("/planer/{s}")).await.0, 200);
    // Reads that show nothing of the person are not among them: child welfare without consent,
    // NAV reading another person's task, a caseworker of another district refused.
    let barnevern = app.signed_in("barnevern.alna").await;
    let (transfer, _) = task_of(&app, stay, "transfer", Some("child_welfare")).await;
    for path in [
        format!("/planer/{s}"),
        format!("/oppgaver/{transfer}"),
        "/oppgaver".to_owned(),
    ] {
        assert_eq!(barnevern.get_text(&path).await.0, 200, "{path}");
    }
    let (other_task, _) = task_of(&app, other, "housing_plan", None).await;
    assert_eq!(
        nav.get_text(&format!("/oppgaver/{other_task}")).await.0,
        200
    );
    let frogner = app.signed_in("nav.frogner").await;
    assert_eq!(frogner.get_text(&format!("/planer/{s}")).await.0, 404);

    let res = staff.get(&format!("/planer/{s}/innsyn.json")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-disposition"],
        format!("attachment; filename=\"innsyn-{s}.json\"").as_str()
    );
    let insight: Value = res.json().await.unwrap();
    assert_eq!(
        reads(&insight),
        [
            ("Demo Krisesenteransatt".to_owned(), "plan.read".to_owned()),
            ("Demo NAV Alna".to_owned(), "task.read".to_owned()),
            (
                "Demo Voldskoordinator Alna".to_owned(),
                "task.list".to_owned()
            ),
        ]
    );
    // The changes are there too (the intake), with the reader's service.
    let log = insight["log"].as_array().unwrap();
    assert!(log.iter().any(|r| r["action"] == "plan.create"));
    let nav_row = log.iter().find(|r| r["action"] == "task.read").unwrap();
    assert_eq!(nav_row["unit"]["service"], "nav");
    assert_eq!(nav_row["district_name"], "Alna");
    // Every stay, plan, task with its history and consent answer; nothing of the other person.
    let stays = insight["stays"].as_array().unwrap();
    assert_eq!(stays.len(), 1);
    assert_eq!(stays[0]["plan"]["name"], NAME);
    assert!(!stays[0]["histories"].as_array().unwrap().is_empty());
    // Three answers for each of Alna's and Frogner's services.
    assert_eq!(
        stays[0]["plan"]["consent_history"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert!(!insight.to_string().contains("Annen Person"));

    // Producing it is logged, and the next insight lists it; the page shows the same.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action = 'plan.insight'"
        )
        .await,
        1
    );
    let (status, html) = staff.get_text(&format!("/planer/{s}/innsyn")).await;
    assert_eq!(status, 200);
    let html = html.replace("<!>", "");
    for text in [
        "Innsyn",
        NAME,
        "Demo NAV Alna",
        "Leste en oppgave",
        "Hentet innsyn",
        "Samtykke til deling",
    ] {
        assert!(html.contains(text), "{text}");
    }
    // Caseworkers, reviewers and administrators may not produce it.
    for who in ["nav.alna", "kontrollor", "admin"] {
        let b = app.signed_in(who).await;
        assert_eq!(
            b.get(&format!("/planer/{s}/innsyn.json")).await.status(),
            403,
            "{who}"
        );
    }
}

#[tokio::test]
async fn a_correction_of_name_and_birth_year_is_history_not_an_overwrite() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[("name", "Kari Feilskrevet")]).await;
    let s = stay.to_string();
    let correct = |name: &'static str, year: &'static str, reason: &'static str| {
        let (staff, app) = (&staff, &app);
        async move {
            let v = stay_version(app, stay).await;
            let res = staff
                .call(
                    "plan_correct",
                    &[
                        ("stay", &stay.to_string()),
                        ("version", &v),
                        ("correct_name", name),
                        ("correct_birth_year", year),
                        ("correct_gender", "female"),
                        ("correct_reason", reason),
                    ],
                )
                .await;
            let status = res.status().as_u16();
            (status, res.text().await.unwrap())
        }
    };
    // Without a reason, or with nothing changed: refused by field, nothing stored.
    let (status, body) = correct("Kari Riktig", "1991", " ").await;
    assert_eq!(status, 400);
    assert!(body.contains("correct_reason"), "{body}");
    let (status, body) = correct("Kari Feilskrevet", "1990", "Ingen endring").await;
    assert_eq!(status, 400);
    assert!(body.contains("\"correction\""), "{body}");
    assert_eq!(
        count(&app, "SELECT count(*) FROM resident_correction").await,
        0
    );

    let (status, body) = correct("Kari Riktig", "1991", "Stavet feil ved innflytting").await;
    assert_eq!(status, 200, "{body}");
    let plan: Value = staff
        .call("plan", &[("stay", &s)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plan["name"], "Kari Riktig");
    assert_eq!(plan["birth_year"], 1991);
    let corrections = plan["corrections"].as_array().unwrap();
    assert_eq!(corrections.len(), 2);
    let name = corrections.iter().find(|c| c["field"] == "name").unwrap();
    assert_eq!(name["old_value"], "Kari Feilskrevet");
    assert_eq!(name["new_value"], "Kari Riktig");
    assert_eq!(name["reason"], "Stavet feil ved innflytting");
    assert_eq!(name["by"], "Demo Krisesenteransatt");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action = 'plan.correct'"
        )
        .await,
        1
    );
    let (_, html) = staff.get_text(&format!("/planer/{s}")).await;
    let html = html.replace("<!>", "");
    assert!(
        html.contains("Kari Feilskrevet → Kari Riktig"),
        "the page shows the history"
    );
    // The history cannot be rewritten.
    assert!(
        sqlx::query("UPDATE resident_correction SET old_value = 'x'")
            .execute(&app.pool)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM resident_correction")
            .execute(&app.pool)
            .await
            .is_err()
    );
}
