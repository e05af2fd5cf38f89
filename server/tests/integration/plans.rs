//! The resident's path, step by step: intake, tasks in the right inboxes with the right due
//! dates, overdue by the Oslo calendar, the child welfare periods, the transfer, the exit
//! meeting, the move-out and the follow-up; returning residents; concurrent edits; the access log.

use crate::support::count;
use crate::support::{Browser, TestApp};
use serde_json::Value;
use time::macros::datetime;

/// The id of a district by slug.
pub async fn district_id(app: &TestApp, slug: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM district WHERE slug = ?1")
        .bind(slug)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// A service id by district slug and kind.
pub async fn service_id(app: &TestApp, slug: &str, kind: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT s.id FROM service s JOIN district d ON d.id = s.district_id WHERE d.slug = ?1 AND s.kind = ?2",
    )
    .bind(slug)
    .bind(kind)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

/// Creates a plan as crisis center staff (`extra` overrides or adds fields); returns the stay id.
pub async fn create_plan(app: &TestApp, staff: &Browser, extra: &[(&str, &str)]) -> i64 {
    let res = call_create_plan(app, staff, extra).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json::<i64>().await.unwrap()
}

/// Calls `plan_create` with a valid intake of a resident of Alna who consents to share with every
/// service, `extra` overriding or adding fields.
pub async fn call_create_plan(
    app: &TestApp,
    staff: &Browser,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let home = district_id(app, "alna").await.to_string();
    // Each plan is a person of its own (the same name and birth year with an open stay is
    // refused as a likely duplicate); tests that want the same person say so.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);
    let name = format!(
        "Kari Testesen {}",
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let mut form: Vec<(&str, &str)> = vec![
        ("name", &name),
        ("birth_year", "1990"),
        ("gender", "female"),
        ("arrival", "2026-03-16"),
        ("referral", "police"),
        ("home", &home),
        // The resident consents to share with every service (tests of consent say otherwise).
        ("consent_nav", "given"),
        ("consent_nav_how", "oral"),
        ("consent_child_welfare", "given"),
        ("consent_child_welfare_how", "oral"),
        ("consent_violence_coordinator", "given"),
        ("consent_violence_coordinator_how", "written"),
    ];
    for (k, v) in extra {
        form.retain(|(key, _)| key != k);
        form.push((k, v));
    }
    staff.call("plan_create", &form).await
}

/// The stay's version (for the optimistic check).
pub async fn stay_version(app: &TestApp, stay: i64) -> String {
    sqlx::query_scalar::<_, i64>("SELECT version FROM stay WHERE id = ?1")
        .bind(stay)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .to_string()
}

/// (task id, version) of the stay's task of `step` (and service kind, when given).
pub async fn task_of(app: &TestApp, stay: i64, step: &str, kind: Option<&str>) -> (String, String) {
    let (id, version): (i64, i64) = sqlx::query_as(
        "SELECT id, version FROM task WHERE stay_id = ?1 AND step = ?2 AND (?3 IS NULL OR service_kind = ?3)",
    )
    .bind(stay)
    .bind(step)
    .bind(kind)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    (id.to_string(), version.to_string())
}

/// The stay's tasks as (step, district slug or "-", service kind or "-", due, status).
async fn tasks(app: &TestApp, stay: i64) -> Vec<(String, String, String, String, String)> {
    sqlx::query_as(
        "SELECT t.step, coalesce(d.slug, '-'), coalesce(t.service_kind, '-'), t.due_on, t.status
         FROM task t LEFT JOIN district d ON d.id = t.district_id WHERE t.stay_id = ?1 ORDER BY t.id",
    )
    .bind(stay)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

fn row(
    step: &str,
    district: &str,
    kind: &str,
    due: &str,
    status: &str,
) -> (String, String, String, String, String) {
    (
        step.into(),
        district.into(),
        kind.into(),
        due.into(),
        status.into(),
    )
}

/// Moves the portal's clock. Sessions end after 30 idle minutes, so sign in again afterwards.
pub async fn set_today(app: &TestApp, at: time::OffsetDateTime) {
    app.clock.set(at);
}

/// The urgency of each task in a caller's inbox, by task id.
async fn inbox(browser: &Browser) -> Vec<(i64, String)> {
    let res = browser.call("tasks", &[]).await;
    assert_eq!(res.status(), 200);
    let rows: Vec<Value> = res.json().await.unwrap();
    rows.iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap(),
                r["urgency"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_stay_arriving_16_march_gets_the_housing_plan_due_30_march_overdue_from_oslo_midnight() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await;
    assert_eq!(
        tasks(&app, stay).await,
        vec![
            row("housing_plan", "alna", "nav", "2026-03-30", "open"),
            row(
                "individual_plan",
                "alna",
                "violence_coordinator",
                "2026-04-15",
                "open"
            ),
        ]
    );
    let (housing, _) = task_of(&app, stay, "housing_plan", None).await;
    let housing: i64 = housing.parse().unwrap();

    // 23:59 in Oslo on 30 March (summer time since the 29th: UTC+2).
    set_today(&app, datetime!(2026-03-30 21:59 UTC)).await;
    let nav = app.signed_in("nav.alna").await;
    assert_eq!(inbox(&nav).await, vec![(housing, "due_soon".into())]);
    // 00:00 in Oslo on 31 March.
    set_today(&app, datetime!(2026-03-30 22:00 UTC)).await;
    assert_eq!(inbox(&nav).await, vec![(housing, "overdue".into())]);
    let staff = app.signed_in("krisesenter").await;

    // The crisis center's list flags it too.
    let res = staff.call("plans", &[]).await;
    let list: Value = res.json().await.unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["plans"][0]["stay"], stay);
    assert_eq!(list["plans"][0]["overdue"], 1);
    // And the district's board counts it, without names.
    let board = nav.call("district_board", &[("slug", "alna")]).await;
    let board: Value = board.json().await.unwrap();
    assert_eq!(board["rows"][0]["service"], "nav");
    assert_eq!(board["rows"][0]["overdue"], 1);
    assert!(!board.to_string().contains("Kari"));
}

#[tokio::test]
async fn the_whole_path_with_children_and_another_target_district() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let frogner = district_id(&app, "frogner").await.to_string();
    let stay = create_plan(
        &app,
        &staff,
        &[
            ("children_years", "2019, 2022"),
            ("target", &frogner),
            ("target_reason", "threat"),
        ],
    )
    .await;
    // With children, the crisis center considers a report of concern within a week.
    assert!(tasks(&app, stay).await.contains(&row(
        "concern_report",
        "-",
        "-",
        "2026-03-23",
        "open"
    )));
    // A report of concern: registered and sent. Sending completes the crisis center's task and
    // gives child welfare of the home district its review at once, due a week after sending.
    set_today(&app, datetime!(2026-03-18 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let v = stay_version(&app, stay).await;
    let s = stay.to_string();
    let res = staff
        .call(
            "plan_concern",
            &[
                ("stay", &s),
                ("version", &v),
                ("concern_registered", "2026-03-17"),
                ("report_sent", "2026-03-17"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert!(tasks(&app, stay).await.contains(&row(
        "child_welfare_review",
        "alna",
        "child_welfare",
        "2026-03-24",
        "open"
    )));
    // Child welfare records the receipt on its task: its periods count from the receipt.
    let barnevern = app.signed_in("barnevern.alna").await;
    let (review, version) = task_of(&app, stay, "child_welfare_review", None).await;
    let res = barnevern
        .call(
            "task_receipt",
            &[
                ("task", &review),
                ("version", &version),
                ("report_received", "2026-03-18"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // The planned move-out brings the exit meeting, the main coordinator and the transfer.
    let v = stay_version(&app, stay).await;
    let res = staff
        .call(
            "plan_update",
            &[
                ("stay", &s),
                ("version", &v),
                ("target", &frogner),
                ("target_reason", "threat"),
                ("planned_move_out", "2026-04-20"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(
        tasks(&app, stay).await,
        vec![
            row("housing_plan", "alna", "nav", "2026-03-30", "open"),
            row("concern_report", "-", "-", "2026-03-23", "done"),
            row(
                "individual_plan",
                "alna",
                "violence_coordinator",
                "2026-04-15",
                "open"
            ),
            row(
                "child_welfare_review",
                "alna",
                "child_welfare",
                "2026-03-25",
                "open"
            ),
            row(
                "child_welfare_investigation",
                "alna",
                "child_welfare",
                "2026-06-18",
                "open"
            ),
            row("exit_meeting", "-", "-", "2026-04-20", "open"),
            row("main_coordinator", "-", "-", "2026-04-20", "open"),
            row("transfer", "alna", "nav", "2026-04-20", "open"),
            row("transfer", "alna", "child_welfare", "2026-04-20", "open"),
        ]
    );
    let started: Option<String> =
        sqlx::query_scalar("SELECT handover_started_at FROM stay WHERE id = ?1")
            .bind(stay)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(
        started.is_some(),
        "the hand-over started with the transfer tasks"
    );

    // NAV and child welfare of the home district complete the transfer.
    for (user, kind) in [("nav.alna", "nav"), ("barnevern.alna", "child_welfare")] {
        let worker = app.signed_in(user).await;
        let (task, version) = task_of(&app, stay, "transfer", Some(kind)).await;
        let res = worker
            .call(
                "task_update",
                &[("task", &task), ("version", &version), ("change", "done")],
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    let ended: Option<String> =
        sqlx::query_scalar("SELECT handover_ended_at FROM stay WHERE id = ?1")
            .bind(stay)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(
        ended.is_some(),
        "the hand-over ended when both transfers were done"
    );
    // The receiving district's child welfare takes the case over within a week.
    assert!(tasks(&app, stay).await.contains(&row(
        "transfer_receipt",
        "frogner",
        "child_welfare",
        "2026-03-25",
        "open"
    )));

    // Without the exit meeting (and without a reason) the move-out is refused, nothing stored.
    set_today(&app, datetime!(2026-04-20 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let coordinator = service_id(&app, "frogner", "violence_coordinator")
        .await
        .to_string();
    let v = stay_version(&app, stay).await;
    let move_out = |v: String| {
        vec![
            ("stay", s.clone()),
            ("version", v),
            ("move_out", "2026-04-20".to_owned()),
            ("outcome", "temporary_public".to_owned()),
            ("main_coordinator", coordinator.clone()),
        ]
    };
    let form = move_out(v.clone());
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = staff.call("plan_move_out", &form).await;
    assert_eq!(res.status(), 400);
    let error: Value = res.json().await.unwrap();
    assert_eq!(error["field"], "no_exit_meeting_reason");
    assert_eq!(stay_version(&app, stay).await, v, "nothing stored");

    // The exit meeting: planned with the three services of both districts, then recorded.
    let res = staff
        .call(
            "plan_exit_meeting",
            &[
                ("stay", &s),
                ("version", &v),
                ("starts_at", "2026-04-17T10:00"),
                ("invited[nav]", "1"),
                ("invited[child_welfare]", "1"),
                ("invited[violence_coordinator]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let invited: Vec<i64> =
        sqlx::query_scalar("SELECT service_id FROM exit_meeting_service WHERE stay_id = ?1")
            .bind(stay)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(invited.len(), 6);
    let v = stay_version(&app, stay).await;
    let mut form = vec![
        ("stay".to_owned(), s.clone()),
        ("version".to_owned(), v.clone()),
    ];
    for (i, service) in invited.iter().enumerate() {
        let answer = if i == 0 { "absent" } else { "attended" };
        form.push((format!("attendance[{service}]"), answer.to_owned()));
    }
    form.push((
        "summary".into(),
        "Gjennomgått plan for bolig og oppfølging.".into(),
    ));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = staff.call("plan_exit_meeting_record", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM exit_meeting_service WHERE attendance = 'absent'"
        )
        .await,
        1
    );

    // The move-out, temporary and not expected before: the follow-up plan (a week after the
    // move-out) and contact go to the target district.
    let form = move_out(stay_version(&app, stay).await);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = staff.call("plan_move_out", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let all = tasks(&app, stay).await;
    assert!(all.contains(&row("exit_meeting", "-", "-", "2026-04-20", "done")));
    assert!(all.contains(&row("main_coordinator", "-", "-", "2026-04-20", "done")));
    assert!(all.contains(&row(
        "follow_up_plan",
        "frogner",
        "nav",
        "2026-04-27",
        "open"
    )));
    assert!(all.contains(&row(
        "follow_up_contact",
        "frogner",
        "violence_coordinator",
        "2026-05-04",
        "open"
    )));

    // Frogner's coordinator sees the follow-up; Alna's NAV no longer has anything open of it.
    let vold = app.signed_in("vold.frogner").await;
    let (follow_up, _) = task_of(&app, stay, "follow_up_contact", None).await;
    assert_eq!(inbox(&vold).await.len(), 1);
    let res = vold.call("task", &[("task", &follow_up)]).await;
    assert_eq!(res.status(), 200);
    let res = vold.call("plan", &[("stay", &s)]).await;
    assert_eq!(res.status(), 200);
    let plan: Value = res.json().await.unwrap();
    assert_eq!(
        plan["tasks"].as_array().unwrap().len(),
        1,
        "only their unit's tasks"
    );
    assert_eq!(plan["referral"], Value::Null);
    assert_eq!(plan["case_reference"], Value::Null);
    // Outbox rows for Frogner's units (no names): three tasks landed in their inboxes (the case
    // received, the follow-up plan, the follow-up contact), and its three services were invited
    // to the exit meeting.
    let notices = |kind: &'static str| {
        let app = &app;
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM outbox o JOIN district d ON d.id = o.district_id
                 WHERE d.slug = 'frogner' AND o.kind = ?1",
            )
            .bind(kind)
            .fetch_one(&app.pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(notices("task_assigned").await, 3);
    assert_eq!(notices("exit_meeting_invitation").await, 3);
}

#[tokio::test]
async fn a_caseworker_of_another_district_sees_nothing_of_a_plan() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await.to_string();
    let (task, version) = task_of(&app, stay.parse().unwrap(), "housing_plan", None).await;
    let before = count(&app, "SELECT count(*) FROM task_event").await;
    for user in ["nav.frogner", "barnevern.alna"] {
        let other = app.signed_in(user).await;
        assert!(inbox(&other).await.is_empty(), "{user}");
        let missing = other.call("plan", &[("stay", "999999")]).await;
        let missing = (missing.status(), missing.text().await.unwrap());
        let res = other.call("plan", &[("stay", &stay)]).await;
        assert_eq!(
            (res.status(), res.text().await.unwrap()),
            missing,
            "{user}: like a missing plan"
        );
        let res = other.call("task", &[("task", &task)]).await;
        assert_eq!(res.status(), 404, "{user}");
        let res = other
            .call(
                "task_update",
                &[("task", &task), ("version", &version), ("change", "done")],
            )
            .await;
        assert_eq!(res.status(), 404, "{user}");
        let (status, html) = other.get_text(&format!("/planer/{stay}")).await;
        assert!(!html.contains("Kari Testesen"), "{user}: {status}");
    }
    assert_eq!(count(&app, "SELECT count(*) FROM task_event").await, before);
    assert_eq!(
        count(&app, "SELECT count(*) FROM task WHERE status <> 'open'").await,
        0
    );
}

#[tokio::test]
async fn the_second_of_two_saves_of_the_same_task_is_refused_as_stale() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await;
    let (task, version) = task_of(&app, stay, "housing_plan", None).await;
    let first = app.signed_in("nav.alna").await;
    let second = app.signed_in("nav.alna").await;
    let res = first
        .call(
            "task_update",
            &[("task", &task), ("version", &version), ("change", "claim")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = second
        .call(
            "task_update",
            &[
                ("task", &task),
                ("version", &version),
                ("change", "not_applicable"),
                ("reason", "Flyttet"),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    let error: Value = res.json().await.unwrap();
    assert_eq!(error["code"], "stale");
    // As a plain form: back to the task with the code, which the page explains.
    let res = second
        .post_form(
            "/api/task_update",
            &[("task", &task), ("version", &version), ("change", "done")],
        )
        .await;
    assert_eq!(res.status(), 302);
    assert_eq!(
        res.headers()["location"],
        format!("/oppgaver/{task}?feil=E-STALE").as_str()
    );
    let status: String = sqlx::query_scalar("SELECT status FROM task WHERE id = ?1")
        .bind(task.parse::<i64>().unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "in_progress");
}

#[tokio::test]
async fn a_task_moves_through_its_states_and_keeps_its_history() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await;
    let nav = app.signed_in("nav.alna").await;
    let (task, _) = task_of(&app, stay, "housing_plan", None).await;
    let steps: [&[(&str, &str)]; 6] = [
        &[("change", "claim")],
        &[("change", "comment"), ("comment", "Ringt utleier.")],
        &[("change", "not_applicable")],
        &[("change", "done")],
        &[("change", "reopen"), ("comment", "Boligen falt bort.")],
        &[
            ("change", "not_applicable"),
            ("reason", "Flytter til annen kommune"),
        ],
    ];
    let expected = [200, 200, 400, 200, 200, 200];
    for (step, status) in steps.iter().zip(expected) {
        let (_, version) = task_of(&app, stay, "housing_plan", None).await;
        let mut form = vec![("task", task.as_str()), ("version", version.as_str())];
        form.extend_from_slice(step);
        let res = nav.call("task_update", &form).await;
        assert_eq!(res.status(), status, "{step:?}");
    }
    let res = nav.call("task", &[("task", &task)]).await;
    let detail: Value = res.json().await.unwrap();
    let kinds: Vec<&str> = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "created", "claimed", "comment", "status", "status", "status"
        ]
    );
    assert_eq!(detail["row"]["status"], "not_applicable");
    assert_eq!(detail["reason"], "Flytter til annen kommune");
    assert_eq!(detail["history"][1]["by"], "Demo NAV Alna");
    assert_eq!(
        detail["history"][0]["by"],
        Value::Null,
        "created by the portal"
    );
}

#[tokio::test]
async fn the_investigation_is_extended_by_a_record_not_by_an_edited_date() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[("children_years", "2020")]).await;
    let s = stay.to_string();
    let v = stay_version(&app, stay).await;
    let res = staff
        .call(
            "plan_concern",
            &[
                ("stay", &s),
                ("version", &v),
                ("concern_registered", "2026-03-16"),
                ("report_sent", "2026-03-16"),
                ("report_received", "2026-03-16"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let cw = app.signed_in("barnevern.alna").await;
    let (task, version) = task_of(&app, stay, "child_welfare_investigation", None).await;
    let log = || count(&app, "SELECT count(*) FROM access_log");
    let logged = log().await;
    let res = cw
        .call(
            "task_extend",
            &[
                ("task", &task),
                ("version", &version),
                ("reason", " "),
                ("granted_by", "Leder"),
            ],
        )
        .await;
    assert_eq!(res.status(), 400, "a reason is required");
    assert_eq!(log().await, logged, "bad input logs nothing");
    let res = cw
        .call(
            "task_extend",
            &[
                ("task", &task),
                ("version", &version),
                ("reason", "Særlige tilfeller: sakkyndig vurdering"),
                ("granted_by", "Leder barnevern Alna"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let last: String = sqlx::query_scalar("SELECT action FROM access_log ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!((log().await, last.as_str()), (logged + 1, "task.extend"));
    let detail: Value = cw
        .call("task", &[("task", &task)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        detail["row"]["due"], "2026-06-16",
        "the task's own date is unchanged"
    );
    assert_eq!(detail["row"]["extended_to"], "2026-09-16");
    assert_eq!(detail["extension"]["granted_by"], "Leder barnevern Alna");
    // A second extension is refused.
    let (_, version) = task_of(&app, stay, "child_welfare_investigation", None).await;
    let res = cw
        .call(
            "task_extend",
            &[
                ("task", &task),
                ("version", &version),
                ("reason", "Igjen"),
                ("granted_by", "X"),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    // Another unit's task cannot be extended.
    let (housing, version) = task_of(&app, stay, "housing_plan", None).await;
    let res = cw
        .call(
            "task_extend",
            &[
                ("task", &housing),
                ("version", &version),
                ("reason", "x"),
                ("granted_by", "y"),
            ],
        )
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        log().await,
        logged + 2,
        "the extension and one read; the refusals log nothing"
    );
}

#[tokio::test]
async fn publishing_a_new_routine_version_leaves_existing_plans_due_dates_unchanged() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let old = create_plan(&app, &staff, &[]).await;
    sqlx::query(
        "INSERT INTO routine_version (id, version, published_at, note) VALUES (3, 3, '2026-03-16T10:00:00.000Z', 'Kortere frist');
         INSERT INTO routine_rule (routine_version_id, step, responsible, district_role, anchor, offset_unit, offset_amount)
         VALUES (3, 'housing_plan', 'nav', 'home', 'arrival', 'days', 10)",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    // A change to the old plan re-derives its tasks: under version 2 still.
    let v = stay_version(&app, old).await;
    let res = staff
        .call(
            "plan_update",
            &[
                ("stay", &old.to_string()),
                ("version", &v),
                ("planned_move_out", "2026-04-30"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let new = create_plan(&app, &staff, &[]).await;
    assert_eq!(
        tasks(&app, old).await[0],
        row("housing_plan", "alna", "nav", "2026-03-30", "open")
    );
    assert_eq!(
        tasks(&app, new).await,
        vec![row("housing_plan", "alna", "nav", "2026-03-26", "open")]
    );
    let plan: Value = staff
        .call("plan", &[("stay", &old.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plan["routine_version"], 2);
}

#[tokio::test]
async fn bad_intake_input_is_refused_by_field_and_stores_nothing() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let home = district_id(&app, "alna").await.to_string();
    let frogner = district_id(&app, "frogner").await.to_string();
    let before = (
        count(&app, "SELECT count(*) FROM resident").await,
        count(&app, "SELECT count(*) FROM access_log").await,
    );
    for (field, value) in [
        ("birth_year", "1850"),
        ("arrival", "2026-03-17"),
        ("referral", "neighbour"),
        ("home", "999999"),
        ("children_years", "1980"),
        ("target_reason", ""),
    ] {
        let mut form = vec![
            ("name", "Kari"),
            ("birth_year", "1990"),
            ("gender", "female"),
            ("arrival", "2026-03-16"),
            ("referral", "police"),
            ("home", home.as_str()),
            ("target", frogner.as_str()),
            ("target_reason", "wish"),
        ];
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let res = staff.post_form("/api/plan_create", &form).await;
        assert_eq!(res.status(), 302, "{field}");
        let to = res.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(
            to,
            format!("/planer/ny?feil=E-INVALID-INPUT&felt={field}"),
            "{field}"
        );
        assert!(!to.contains("Kari"));
    }
    let after = (
        count(&app, "SELECT count(*) FROM resident").await,
        count(&app, "SELECT count(*) FROM access_log").await,
    );
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_returning_resident_is_found_by_name_and_birth_year_and_linked() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let first = create_plan(&app, &staff, &[("arrival", "2026-01-05")]).await;
    let first_name: String = sqlx::query_scalar(
        "SELECT r.name FROM resident r JOIN stay s ON s.resident_id = r.id WHERE s.id = ?1",
    )
    .bind(first)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let same = first_name.to_lowercase();
    // The same name (in any case) and birth year with an open stay is a likely duplicate: refused
    // until staff say why this is a new stay.
    let res = call_create_plan(&app, &staff, &[("name", &same)]).await;
    assert_eq!(res.status(), 409, "{}", res.text().await.unwrap());
    let second = create_plan(
        &app,
        &staff,
        &[
            ("name", &same),
            ("duplicate_reason", "Ny sak, samme person"),
        ],
    )
    .await;
    let s = second.to_string();
    let plan: Value = staff
        .call("plan", &[("stay", &s)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plan["returning"], false);
    assert_eq!(plan["possible_matches"][0]["stay"], first);
    let v = stay_version(&app, second).await;
    let res = staff
        .call(
            "plan_link",
            &[("stay", &s), ("version", &v), ("other", &first.to_string())],
        )
        .await;
    assert_eq!(res.status(), 200);
    let plan: Value = staff
        .call("plan", &[("stay", &s)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plan["returning"], true);
    assert_eq!(plan["other_stays"][0]["stay"], first);
    // Both records are kept (the link is a merge row that can be undone), the stays share one.
    assert_eq!(count(&app, "SELECT count(*) FROM resident").await, 2);
    assert_eq!(
        count(&app, "SELECT count(DISTINCT resident_id) FROM stay").await,
        1
    );
    let list: Value = staff.call("plans", &[]).await.json().await.unwrap();
    let marked: Vec<bool> = list["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["returning"].as_bool().unwrap())
        .collect();
    assert_eq!(marked.iter().filter(|r| **r).count(), 1);
}

#[tokio::test]
async fn every_read_and_change_of_a_plan_leaves_one_access_log_row() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let nav = app.signed_in("nav.alna").await;
    let log = || count(&app, "SELECT count(*) FROM access_log");
    let last = || async {
        sqlx::query_scalar::<_, String>("SELECT action FROM access_log ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    let before = log().await;
    let stay = create_plan(&app, &staff, &[]).await;
    assert_eq!(
        (log().await, last().await),
        (before + 1, "plan.create".into())
    );
    let s = stay.to_string();
    staff.call("plan", &[("stay", &s)]).await;
    assert_eq!(
        (log().await, last().await),
        (before + 2, "plan.read".into())
    );
    staff.call("plans", &[]).await;
    assert_eq!(
        (log().await, last().await),
        (before + 3, "plan.list".into())
    );
    nav.call("tasks", &[]).await;
    assert_eq!(
        (log().await, last().await),
        (before + 4, "task.list".into())
    );
    let (task, version) = task_of(&app, stay, "housing_plan", None).await;
    nav.call("task", &[("task", &task)]).await;
    assert_eq!(
        (log().await, last().await),
        (before + 5, "task.read".into())
    );
    nav.call(
        "task_update",
        &[("task", &task), ("version", &version), ("change", "claim")],
    )
    .await;
    assert_eq!(
        (log().await, last().await),
        (before + 6, "task.update".into())
    );
    let v = stay_version(&app, stay).await;
    staff
        .call(
            "plan_add_child",
            &[("stay", &s), ("version", &v), ("birth_year", "2021")],
        )
        .await;
    assert_eq!(
        (log().await, last().await),
        (before + 7, "plan.add_child".into())
    );
    // The log row of a change names the object and the district, never the person.
    let (object, district): (String, i64) = sqlx::query_as(
        "SELECT object_type || ':' || object_id, district_id FROM access_log ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(object, format!("stay:{stay}"));
    assert_eq!(district, district_id(&app, "alna").await);
}

#[tokio::test]
async fn the_pages_work_without_javascript_and_show_a_caseworker_only_their_part() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let home = district_id(&app, "alna").await.to_string();
    let res = staff
        .post_form(
            "/api/plan_create",
            &[
                ("name", "Kari Testesen"),
                ("birth_year", "1990"),
                ("gender", "female"),
                ("case_reference", "KS-2026-0042"),
                ("arrival", "2026-03-16"),
                ("referral", "police"),
                ("home", &home),
                ("secret_address", "1"),
                ("consent_nav", "given"),
                ("consent_nav_how", "oral"),
            ],
        )
        .await;
    assert_eq!(res.status(), 302);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        to.starts_with("/planer/") && to.ends_with("?ok=opprettet"),
        "{to}"
    );
    let stay: i64 = to["/planer/".len()..to.find('?').unwrap()].parse().unwrap();

    let (status, html) = staff.get_text(&to).await;
    assert_eq!(status, 200);
    for text in [
        "Kari Testesen",
        "KS-2026-0042",
        "Politiet",
        "Hemmelig adresse",
        "Plan for boligfremskaffelse",
        "Registrer utflytting",
    ] {
        assert!(html.contains(text), "staff see {text:?}");
    }
    let (_, list) = staff.get_text("/planer").await;
    assert!(list.contains("Kari Testesen"));

    set_today(&app, datetime!(2026-03-31 07:00 UTC)).await;
    let nav = app.signed_in("nav.alna").await;
    let (status, inbox) = nav.get_text("/oppgaver").await;
    assert_eq!(status, 200);
    assert!(
        inbox.contains("data-urgency=\"overdue\""),
        "the housing plan is overdue"
    );
    let (status, html) = nav.get_text(&format!("/planer/{stay}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Kari Testesen") && html.contains("Hemmelig adresse"));
    for hidden in [
        "KS-2026-0042",
        "Politiet",
        "Registrer utflytting",
        "Voldskoordinator",
    ] {
        assert!(
            !html.contains(hidden),
            "a caseworker does not see {hidden:?}"
        );
    }
    // The task page's forms post without JavaScript and come back with the outcome.
    let (task, version) = task_of(&app, stay, "housing_plan", None).await;
    let (status, page) = nav.get_text(&format!("/oppgaver/{task}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("name=\"change\" value=\"done\""));
    let res = nav
        .post_form(
            "/api/task_update",
            &[
                ("task", &task),
                ("version", &version),
                ("change", "done"),
                ("comment", "Plan sendt."),
            ],
        )
        .await;
    assert_eq!(
        res.headers()["location"],
        format!("/oppgaver/{task}?ok=oppgave").as_str()
    );
    let (_, page) = nav
        .get_text(&format!("/oppgaver/{task}?feil=E-STALE"))
        .await;
    assert!(page.contains("E-STALE") && page.contains("Plan sendt."));
}

#[tokio::test]
async fn portal_deadlines_prints_overdue_and_due_soon_counts_per_district_and_service() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    create_plan(&app, &staff, &[]).await;
    create_plan(&app, &staff, &[("arrival", "2026-03-14")]).await;
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
            .arg("--database-url")
            .arg(format!("sqlite://{}", app.db_file.display()))
            .arg("--log")
            .arg("error")
            .args(args)
            .output()
            .expect("run portal");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    // 29 March: the housing plans (due 28 and 30 March) are overdue and due soon.
    let json: Value =
        serde_json::from_str(&run(&["deadlines", "--as-of", "2026-03-29", "--json"])).unwrap();
    assert_eq!(json["as_of"], "2026-03-29");
    let alna_nav = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["district"] == "Alna" && r["service"] == "nav")
        .expect("a row for Alna NAV");
    assert_eq!(
        (alna_nav["overdue"].as_i64(), alna_nav["due_soon"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(json["total_overdue"], 1);
    let table = run(&["deadlines", "--as-of", "2026-03-31"]);
    assert!(table.contains("Alna") && table.contains("nav"), "{table}");
    assert!(!table.contains("Kari"), "no personal data");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .args([
            "--database-url",
            &format!("sqlite://{}", app.db_file.display()),
        ])
        .args(["deadlines", "--as-of", "31.03.2026"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "a bad date is refused");
}

#[tokio::test]
async fn the_demo_plans_fill_the_inboxes_once() {
    let app = TestApp::spawn().await;
    let now = datetime!(2026-11-22 09:00 UTC);
    set_today(&app, now).await;
    assert_eq!(
        app::server::demo::seed_demo_plans(&app.db, now)
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        app::server::demo::seed_demo_plans(&app.db, now)
            .await
            .unwrap(),
        0
    );
    let nav = app.signed_in("nav.alna").await;
    let urgencies: Vec<String> = inbox(&nav).await.into_iter().map(|(_, u)| u).collect();
    assert_eq!(urgencies.first().map(String::as_str), Some("overdue"));
    let child_welfare = app.signed_in("barnevern.alna").await;
    assert_eq!(
        inbox(&child_welfare).await.len(),
        2,
        "review and investigation"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM access_log WHERE action = 'plan.create'"
        )
        .await,
        3
    );
}

#[tokio::test]
async fn the_crisis_centers_list_shows_the_200_most_urgent_plans_and_says_how_many_there_are() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let urgent = create_plan(&app, &staff, &[("arrival", "2026-03-01")]).await;
    sqlx::raw_sql(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 204)
         INSERT INTO resident (id, name, birth_year, gender, created_at)
         SELECT 1000 + i, 'Beboer ' || i, 1980, 'female', '2026-03-16T09:00:00.000Z' FROM n;
         INSERT INTO stay (resident_id, routine_version_id, arrival, referral, home_district_id, created_at)
         SELECT id, 1, '2026-03-10', 'self', (SELECT id FROM district WHERE slug = 'alna'), created_at
         FROM resident WHERE id > 1000;",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let list: Value = staff.call("plans", &[]).await.json().await.unwrap();
    assert_eq!(list["total"], 205);
    assert_eq!(list["plans"].as_array().unwrap().len(), 200);
    assert_eq!(list["plans"][0]["stay"], urgent, "the overdue plan first");
    let (_, html) = staff.get_text("/planer").await;
    assert!(html.contains("Viser de 200 mest hastende av 205 planer."));
}

#[tokio::test]
async fn after_the_move_out_the_plans_facts_and_exit_meeting_no_longer_change() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await;
    let s = stay.to_string();
    let coordinator = service_id(&app, "alna", "violence_coordinator")
        .await
        .to_string();
    let v = stay_version(&app, stay).await;
    let res = staff
        .call(
            "plan_move_out",
            &[
                ("stay", &s),
                ("version", &v),
                ("move_out", "2026-03-16"),
                ("outcome", "new_home"),
                ("main_coordinator", &coordinator),
                ("no_exit_meeting_reason", "Akutt utflytting"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let before = tasks(&app, stay).await;
    let v = stay_version(&app, stay).await;
    let res = staff
        .call(
            "plan_update",
            &[
                ("stay", &s),
                ("version", &v),
                ("planned_move_out", "2026-04-30"),
            ],
        )
        .await;
    assert_eq!(res.status(), 400);
    let error: Value = res.json().await.unwrap();
    assert_eq!(error["field"], "move_out");
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
    assert_eq!(res.status(), 400);
    assert_eq!(stay_version(&app, stay).await, v, "nothing stored");
    assert_eq!(tasks(&app, stay).await, before);
}

#[tokio::test]
async fn tasks_whose_conditions_stop_holding_are_withdrawn_and_come_back_when_they_hold_again() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let frogner = district_id(&app, "frogner").await.to_string();
    let stay = create_plan(&app, &staff, &[("children_years", "2019")]).await;
    let transfers = || async {
        tasks(&app, stay)
            .await
            .into_iter()
            .filter(|t| t.0 == "transfer")
            .collect::<Vec<_>>()
    };
    update_as(&app, &staff, stay, &frogner, "threat", "2026-04-20").await;
    assert_eq!(
        transfers().await,
        vec![
            row("transfer", "alna", "nav", "2026-04-20", "open"),
            row("transfer", "alna", "child_welfare", "2026-04-20", "open"),
        ]
    );
    let (nav_transfer, _) = task_of(&app, stay, "transfer", Some("nav")).await;
    let nav = app.signed_in("nav.alna").await;
    assert!(
        inbox(&nav)
            .await
            .iter()
            .any(|(id, _)| id.to_string() == nav_transfer)
    );

    // The new home will be in Alna after all: the transfer no longer applies. It is withdrawn
    // by the portal (closed, never overdue), with a history row, not left open in the inboxes.
    set_today(&app, datetime!(2026-04-22 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    update_as(&app, &staff, stay, "", "", "2026-04-20").await;
    assert_eq!(
        transfers().await,
        vec![
            row("transfer", "alna", "nav", "2026-04-20", "withdrawn"),
            row(
                "transfer",
                "alna",
                "child_welfare",
                "2026-04-20",
                "withdrawn"
            ),
        ]
    );
    let nav = app.signed_in("nav.alna").await;
    assert!(
        !inbox(&nav)
            .await
            .iter()
            .any(|(id, _)| id.to_string() == nav_transfer)
    );
    let events: Vec<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT kind, status, user_id FROM task_event WHERE task_id = ?1 ORDER BY id",
    )
    .bind(&nav_transfer)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        events.last().unwrap(),
        &("status".to_owned(), "withdrawn".to_owned(), None)
    );
    // Nobody can work on a withdrawn task; the portal owns it.
    let (_, v) = task_of(&app, stay, "transfer", Some("nav")).await;
    let res = nav
        .call(
            "task_update",
            &[
                ("task", nav_transfer.as_str()),
                ("version", &v),
                ("change", "reopen"),
            ],
        )
        .await;
    assert_eq!(res.status(), 400);
    let closed_on: Option<String> = sqlx::query_scalar("SELECT closed_on FROM task WHERE id = ?1")
        .bind(&nav_transfer)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(closed_on.as_deref(), Some("2026-04-22"));

    // Without a planned move-out, the steps anchored to it are withdrawn too.
    update_as(&app, &staff, stay, "", "", "").await;
    for step in ["exit_meeting", "main_coordinator"] {
        let status: String =
            sqlx::query_scalar("SELECT status FROM task WHERE stay_id = ?1 AND step = ?2")
                .bind(stay)
                .bind(step)
                .fetch_one(&app.pool)
                .await
                .unwrap();
        assert_eq!(status, "withdrawn", "{step}");
    }

    // Frogner again, with a new date: the same tasks come back open, with the new due date,
    // and their units get a notice again.
    let notices_before = count(&app, "SELECT count(*) FROM outbox").await;
    update_as(&app, &staff, stay, &frogner, "threat", "2026-05-04").await;
    assert_eq!(
        transfers().await,
        vec![
            row("transfer", "alna", "nav", "2026-05-04", "open"),
            row("transfer", "alna", "child_welfare", "2026-05-04", "open"),
        ]
    );
    let closed: i64 = count(
        &app,
        "SELECT count(*) FROM task WHERE closed_on IS NOT NULL OR status = 'withdrawn'",
    )
    .await;
    assert_eq!(closed, 0, "every withdrawn task is back");
    assert_eq!(
        count(&app, "SELECT count(*) FROM outbox").await,
        notices_before + 2,
        "a notice for each unit's reinstated transfer"
    );
}

/// Sends the plan form with these facts.
async fn update_as(
    app: &TestApp,
    staff: &Browser,
    stay: i64,
    target: &str,
    reason: &str,
    planned: &str,
) {
    let v = stay_version(app, stay).await;
    let s = stay.to_string();
    let res = staff
        .call(
            "plan_update",
            &[
                ("stay", s.as_str()),
                ("version", &v),
                ("target", target),
                ("target_reason", reason),
                ("planned_move_out", planned),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn the_plan_list_holds_stays_in_the_house_and_stays_with_open_tasks_most_overdue_first() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let mut stays = Vec::new();
    for name in ["Anna Aas", "Berit Berg", "Cecilie Dahl", "Dina Eng"] {
        stays.push(create_plan(&app, &staff, &[("name", name)]).await);
    }
    let [all_open, none_open, moved_one_open, moved_none_open] = stays[..] else {
        unreachable!()
    };
    // Set up with the test's own connection: Berit's and Dina's tasks done, Cecilie's all but
    // one; Cecilie and Dina moved out.
    for sql in [
        format!(
            "UPDATE task SET status = 'done', closed_on = '2026-03-16'
             WHERE stay_id IN ({none_open}, {moved_none_open})"
        ),
        format!(
            "UPDATE task SET status = 'done', closed_on = '2026-03-16'
             WHERE stay_id = {moved_one_open}
               AND id <> (SELECT min(id) FROM task WHERE stay_id = {moved_one_open})"
        ),
        format!(
            "UPDATE stay SET move_out = '2026-03-16', outcome = 'new_home'
             WHERE id IN ({moved_one_open}, {moved_none_open})"
        ),
    ] {
        sqlx::query(&sql).execute(&app.pool).await.unwrap();
    }
    // A month on, Anna's open tasks are overdue, and so is Cecilie's one.
    set_today(&app, datetime!(2026-04-20 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let list: Value = staff.call("plans", &[]).await.json().await.unwrap();
    let listed: Vec<(i64, i64, i64)> = list["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["stay"].as_i64().unwrap(),
                p["overdue"].as_i64().unwrap(),
                p["open"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(list["total"], 3, "{listed:?}");
    assert_eq!(
        listed.iter().map(|(s, ..)| *s).collect::<Vec<_>>(),
        [all_open, moved_one_open, none_open],
        "the most overdue first; a stay moved out with nothing open is not listed: {listed:?}"
    );
    assert!(listed[0].1 > 1 && listed[1] == (moved_one_open, 1, 1) && listed[2].2 == 0);
}

/// The keys of a JSON object, sorted.
fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

fn sorted(keys: &[&str]) -> Vec<String> {
    let mut keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn a_caseworker_gets_only_the_fields_of_their_own_view_of_a_plan() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(
        &app,
        &staff,
        &[
            ("case_reference", "KS-2026-0042"),
            ("children_years", "2019"),
            ("planned_move_out", "2026-04-20"),
        ],
    )
    .await;
    let s = stay.to_string();
    let v = stay_version(&app, stay).await;
    let res = staff
        .call(
            "plan_exit_meeting",
            &[
                ("stay", &s),
                ("version", &v),
                ("starts_at", "2026-04-17T10:00"),
                ("invited[nav]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    // Every key a caseworker's answer may hold, listed here on purpose: a field added to the
    // crisis center's view must not appear in it.
    let nav = app.signed_in("nav.alna").await;
    let res = nav.call("plan", &[("stay", &s)]).await;
    assert_eq!(res.status(), 200);
    let plan: Value = res.json().await.unwrap();
    assert_eq!(plan["view"], "unit");
    assert_eq!(
        keys(&plan),
        sorted(&[
            "view",
            "stay",
            "routine_version",
            "name",
            "birth_year",
            "arrival",
            "home",
            "home_name",
            "target_name",
            "target_reason",
            "handover_started_at",
            "handover_ended_at",
            "secret_address",
            "language",
            "interpreter",
            "children",
            "planned_move_out",
            "main_coordinator",
            "move_out",
            "outcome",
            "exit_meeting",
            "tasks",
        ])
    );
    assert_eq!(
        keys(&plan["exit_meeting"]),
        sorted(&["starts_at", "starts_in_repeated_hour", "held", "services"])
    );
    assert!(!plan.to_string().contains("KS-2026-0042"));

    // Crisis center staff get the whole plan, the crisis center's own details included.
    let res = staff.call("plan", &[("stay", &s)]).await;
    let whole: Value = res.json().await.unwrap();
    assert_eq!(whole["view"], "whole");
    assert_eq!(whole["case_reference"], "KS-2026-0042");
    assert!(whole.get("referral").is_some() && whole["exit_meeting"].get("summary").is_some());
}

#[tokio::test]
async fn the_day_a_resident_is_ready_to_move_out_is_kept_checked_and_flagged_on_the_list_after_the_limit()
 {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[("name", "Vera Venter")]).await;
    let s = stay.to_string();
    set_today(&app, datetime!(2026-04-01 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let send = |ready: &'static str| {
        let (app, staff, s) = (&app, &staff, s.clone());
        async move {
            let v = stay_version(app, stay).await;
            staff
                .call(
                    "plan_update",
                    &[("stay", s.as_str()), ("version", &v), ("ready_on", ready)],
                )
                .await
        }
    };
    // Before the arrival, or a day not yet come: refused by field, nothing stored.
    for bad in ["2026-03-15", "2026-04-02", "2026-13-01"] {
        let res = send(bad).await;
        assert_eq!(res.status(), 400, "{bad}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["field"], "ready_on", "{bad}: {body}");
    }
    let stored = || async {
        sqlx::query_scalar::<_, Option<String>>("SELECT ready_on FROM stay WHERE id = ?1")
            .bind(stay)
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    assert_eq!(stored().await, None);
    let res = send("2026-03-25").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(stored().await.as_deref(), Some("2026-03-25"));
    let plan: Value = staff
        .call("plan", &[("stay", &s)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plan["view"], "whole");
    assert_eq!(plan["ready_on"], "2026-03-25", "{plan}");

    // The flag: ready 7 days ago is within the limit (14 days); 15 days ago is not.
    let flag = |list: &Value| {
        list["plans"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["stay"] == stay)
            .map(|p| p["waiting_flag"].clone())
            .unwrap()
    };
    let list: Value = staff.call("plans", &[]).await.json().await.unwrap();
    assert_eq!(flag(&list), Value::Null);
    let (_, page) = staff.get_text("/planer").await;
    assert!(!page.contains("Venter på bolig i"));
    set_today(&app, datetime!(2026-04-09 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let list: Value = staff.call("plans", &[]).await.json().await.unwrap();
    assert_eq!(flag(&list), 15);
    let (_, page) = staff.get_text("/planer").await;
    assert!(
        page.contains("Venter på bolig i 15 dager"),
        "the flag on the list"
    );
    // And on the board of the district the resident moves to (here the home district, Alna).
    let nav = app.signed_in("nav.alna").await;
    let board: Value = nav
        .call("district_board", &[("slug", "alna")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(board["waiting_long"], 1, "{board}");
    let (_, page) = nav.get_text("/bydeler/alna/frister").await;
    assert!(
        page.contains("har ventet i mer enn 14 dager"),
        "the flag on the board"
    );
    let other: Value = staff
        .call("district_board", &[("slug", "frogner")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(other["waiting_long"], 0);
    // Once moved out, no flag.
    sqlx::query("UPDATE stay SET move_out = '2026-04-09', outcome = 'new_home' WHERE id = ?1")
        .bind(stay)
        .execute(&app.pool)
        .await
        .unwrap();
    set_today(&app, datetime!(2026-04-10 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let list: Value = staff.call("plans", &[]).await.json().await.unwrap();
    assert_eq!(flag(&list), Value::Null);
}

#[tokio::test]
async fn child_welfare_reviews_a_report_from_its_sending_until_it_records_the_receipt() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-20 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[("children_years", "2020")]).await;
    let s = stay.to_string();
    let concern = |sent: &'static str| {
        let (app, staff, s) = (&app, &staff, s.clone());
        async move {
            let v = stay_version(app, stay).await;
            staff
                .call(
                    "plan_concern",
                    &[
                        ("stay", &s),
                        ("version", &v),
                        ("concern_registered", "2026-03-17"),
                        ("report_sent", sent),
                    ],
                )
                .await
        }
    };
    let barnevern = app.signed_in("barnevern.alna").await;
    assert!(
        inbox(&barnevern).await.is_empty(),
        "nothing before the report is sent"
    );
    let res = concern("2026-03-18").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let review = row(
        "child_welfare_review",
        "alna",
        "child_welfare",
        "2026-03-25",
        "open",
    );
    assert!(tasks(&app, stay).await.contains(&review));
    assert_eq!(
        inbox(&barnevern).await.len(),
        2,
        "the review and the investigation"
    );
    // The task page shows both dates; the receipt is not recorded yet.
    let (task, version) = task_of(&app, stay, "child_welfare_review", None).await;
    let (_, page) = barnevern.get_text(&format!("/oppgaver/{task}")).await;
    assert!(page.contains("2026-03-18") && page.contains("ikke registrert av barnevernet ennå"));
    let receipt = |date: &'static str, version: String| {
        let (barnevern, task) = (&barnevern, task.clone());
        async move {
            barnevern
                .call(
                    "task_receipt",
                    &[
                        ("task", &task),
                        ("version", &version),
                        ("report_received", date),
                    ],
                )
                .await
        }
    };
    // Not before the sending, not after today; nothing stored.
    for date in ["2026-03-17", "2026-03-21", "19.03.2026"] {
        let res = receipt(date, version.clone()).await;
        assert_eq!(res.status(), 400, "{date}");
        let error: Value = res.json().await.unwrap();
        assert_eq!(error["field"], "report_received", "{date}");
    }
    assert!(tasks(&app, stay).await.contains(&review));
    // The crisis center cannot record it: the task is not in its inbox.
    let res = staff
        .call(
            "task_receipt",
            &[
                ("task", &task),
                ("version", &version),
                ("report_received", "2026-03-19"),
            ],
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = receipt("2026-03-19", version.clone()).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let all = tasks(&app, stay).await;
    assert!(all.contains(&row(
        "child_welfare_review",
        "alna",
        "child_welfare",
        "2026-03-26",
        "open"
    )));
    assert!(all.contains(&row(
        "child_welfare_investigation",
        "alna",
        "child_welfare",
        "2026-06-19",
        "open"
    )));
    let dates: (Option<String>, Option<String>) =
        sqlx::query_as("SELECT report_sent, report_received FROM stay WHERE id = ?1")
            .bind(stay)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        dates,
        (Some("2026-03-18".into()), Some("2026-03-19".into())),
        "both kept"
    );
    let last: (String, String) =
        sqlx::query_as("SELECT action, outcome FROM access_log ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(last, ("task.receipt".into(), "ok".into()));
    let moved: i64 = count(
        &app,
        "SELECT count(*) FROM task_event WHERE kind = 'due_changed' AND due_on = '2026-03-26'",
    )
    .await;
    assert_eq!(moved, 1, "the new deadline is in the task's history");
    // A stale version is refused; the crisis center's form keeps the receipt and cannot send
    // the report after it was received.
    assert_eq!(receipt("2026-03-19", version).await.status(), 409);
    let res = concern("2026-03-20").await;
    assert_eq!(res.status(), 400);
    let error: Value = res.json().await.unwrap();
    assert_eq!(error["field"], "report_sent");
    let res = concern("2026-03-17").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let received: Option<String> =
        sqlx::query_scalar("SELECT report_received FROM stay WHERE id = ?1")
            .bind(stay)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(received.as_deref(), Some("2026-03-19"));
}

#[tokio::test]
async fn the_follow_up_plan_comes_before_the_move_out_when_temporary_housing_is_expected() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await;
    let s = stay.to_string();
    let update = |expected: &'static str| {
        let (app, staff, s) = (&app, &staff, s.clone());
        async move {
            let v = stay_version(app, stay).await;
            staff
                .call(
                    "plan_update",
                    &[
                        ("stay", &s),
                        ("version", &v),
                        ("planned_move_out", "2026-04-20"),
                        ("expected_outcome", expected),
                    ],
                )
                .await
        }
    };
    let res = update("somewhere").await;
    assert_eq!(res.status(), 400);
    let error: Value = res.json().await.unwrap();
    assert_eq!(error["field"], "expected_outcome");
    let follow_up = || {
        let app = &app;
        async move {
            tasks(app, stay)
                .await
                .into_iter()
                .filter(|t| t.0 == "follow_up_plan")
                .map(|t| (t.3, t.4))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(update("").await.status(), 200);
    assert_eq!(
        follow_up().await,
        vec![],
        "not known yet: no follow-up plan"
    );
    assert_eq!(update("temporary_public").await.status(), 200);
    assert_eq!(
        follow_up().await,
        vec![("2026-04-20".into(), "open".into())],
        "expected: due on the planned move-out"
    );
    let (_, page) = staff.get_text(&format!("/planer/{s}")).await;
    assert!(page.contains(r#"<option value="temporary_public" selected"#));
    // Expected otherwise again: withdrawn; expected again: the same task back.
    assert_eq!(update("new_home").await.status(), 200);
    assert_eq!(
        follow_up().await,
        vec![("2026-04-20".into(), "withdrawn".into())]
    );
    assert_eq!(update("temporary_private").await.status(), 200);
    assert_eq!(
        follow_up().await,
        vec![("2026-04-20".into(), "open".into())]
    );
}

#[tokio::test]
async fn a_caseworker_gives_a_task_to_a_named_colleague_of_the_same_unit() {
    let app = TestApp::spawn().await;
    set_today(&app, datetime!(2026-03-16 09:00 UTC)).await;
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(&app, &staff, &[]).await;
    // Two more users of NAV Alna, one no longer active.
    let alna = district_id(&app, "alna").await;
    for (email, name, active) in [
        ("kollega.alna@example.no", "Kari Kollega", 1),
        ("sluttet.alna@example.no", "Sluttet Saksbehandler", 0),
    ] {
        sqlx::query(
            "INSERT INTO app_user (email, name, role, district_id, service_kind, password_hash,
                                   active)
             VALUES (?1, ?2, 'caseworker', ?3, 'nav', '$argon2id$v=19$m=19456,t=2,p=1$x$y', ?4)",
        )
        .bind(email)
        .bind(name)
        .bind(alna)
        .bind(active)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let id_of = |email: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM app_user WHERE email LIKE ?1")
                .bind(email)
                .fetch_one(&pool)
                .await
                .unwrap()
                .to_string()
        }
    };
    let (colleague, gone, frogner) = (
        id_of("kollega.alna@example.no").await,
        id_of("sluttet.alna@example.no").await,
        id_of("nav.frogner@%").await,
    );
    let nav = app.signed_in("nav.alna").await;
    let (task, version) = task_of(&app, stay, "housing_plan", None).await;
    let (_, page) = nav.get_text(&format!("/oppgaver/{task}")).await;
    assert!(page.contains("Velg kollega"));
    assert!(page.contains("Kari Kollega") && page.contains("Demo NAV Alna"));
    assert!(!page.contains("Sluttet Saksbehandler") && !page.contains("Demo NAV Frogner"));
    let assign = |to: String, version: String| {
        let (nav, task) = (&nav, task.clone());
        async move {
            nav.call(
                "task_update",
                &[
                    ("task", task.as_str()),
                    ("version", &version),
                    ("change", "assign"),
                    ("assignee", &to),
                ],
            )
            .await
        }
    };
    // Nobody chosen, someone of another unit, someone who left: refused by field, nothing kept.
    for to in [String::new(), frogner, gone] {
        let res = assign(to.clone(), version.clone()).await;
        assert_eq!(res.status(), 400, "{to}");
        let error: Value = res.json().await.unwrap();
        assert_eq!(error["field"], "assignee", "{to}");
    }
    let before = count(&app, "SELECT count(*) FROM task_event").await;
    let res = assign(colleague.clone(), version.clone()).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let (assignee, status): (i64, String) =
        sqlx::query_as("SELECT assignee_id, status FROM task WHERE id = ?1")
            .bind(&task)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (assignee.to_string(), status.as_str()),
        (colleague, "in_progress")
    );
    let event: (String, String, String) = sqlx::query_as(
        "SELECT kind, user_name, assignee_name FROM task_event ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        event,
        (
            "assigned".into(),
            "Demo NAV Alna".into(),
            "Kari Kollega".into()
        )
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM task_event").await,
        before + 1
    );
    let (_, page) = nav.get_text(&format!("/oppgaver/{task}")).await;
    assert!(page.contains("Gitt til Kari Kollega"));
    // The history's times are Oslo's (09:00 UTC is 10:00 in March), not UTC.
    assert!(page.contains("16.03.2026 kl. 10:00") && !page.contains(" UTC"));
    // The old version is stale; a closed task is given to nobody.
    assert_eq!(
        assign(id_of("kollega.alna@example.no").await, version)
            .await
            .status(),
        409
    );
    let (_, version) = task_of(&app, stay, "housing_plan", None).await;
    let res = nav
        .call(
            "task_update",
            &[
                ("task", task.as_str()),
                ("version", &version),
                ("change", "done"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let (_, version) = task_of(&app, stay, "housing_plan", None).await;
    let res = assign(id_of("kollega.alna@example.no").await, version).await;
    assert_eq!(res.status(), 400);
}
