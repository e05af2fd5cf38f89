//! The compliance pages around the overview: chosen districts side by side, one district's page
//! with its quarters beside the municipality's, its print view, their CSV files; and the
//! reviewer's canary crawl over everything a reviewer reaches.

use crate::compliance::{CANARY, SMALL, generate};
use crate::plans::{create_plan, task_of};
use crate::support::{Browser, TestApp};
use app::domain::compliance::{ComplianceView, DistrictCompliance, Period, Shown};
use time::macros::datetime;

async fn json<T: serde::de::DeserializeOwned>(
    b: &Browser,
    endpoint: &str,
    q: &[(&str, &str)],
) -> T {
    let res = b.call(endpoint, q).await;
    assert_eq!(res.status(), 200, "{endpoint} {q:?}");
    res.json().await.unwrap()
}

/// The rows of `full` for the district `slug` and the municipality, table by table.
fn rows_of(full: ComplianceView, slug: &str) -> ComplianceView {
    full.only(&[slug.to_owned()])
}

#[tokio::test]
async fn a_reviewer_compares_chosen_districts_and_a_districts_quarters_are_those_of_the_overview() {
    let app = TestApp::spawn().await;
    generate(&app, 600).await;
    app.clock.set(datetime!(2026-07-10 09:00 UTC));
    let reviewer = app.signed_in("kontrollor").await;

    // Two districts chosen: their rows and the municipality's, as in the whole table.
    let whole: ComplianceView = json(&reviewer, "compliance", &[("periode", "2026K1")]).await;
    let two: ComplianceView = json(
        &reviewer,
        "compliance",
        &[
            ("periode", "2026K1"),
            ("bydel[0]", "alna"),
            ("bydel[1]", "stovner"),
        ],
    )
    .await;
    let slugs = |rows: &[app::domain::compliance::HousingRow]| -> Vec<String> {
        rows.iter()
            .map(|r| r.district.as_ref().map_or("-".to_owned(), |d| d.0.clone()))
            .collect()
    };
    assert_eq!(slugs(&two.housing), ["alna", "stovner", "-"]);
    for row in &two.housing {
        assert!(whole.housing.contains(row), "{row:?} as in the whole table");
    }
    assert_eq!(two.overdue.len(), 3);
    assert_eq!(two.waits.len(), 3);
    assert_eq!(two.districts.len(), 15, "every district stays choosable");
    let (status, page) = reviewer
        .get_text("/kontroll?periode=2026K1&bydel=alna&bydel=stovner")
        .await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"href="/kontroll/alna?periode=2026K1""#));
    assert!(page.contains(r#"href="/kontroll/stovner?periode=2026K1""#));
    assert!(!page.contains(r#"href="/kontroll/frogner?periode=2026K1""#));
    assert!(
        page.contains(r#"value="alna" checked"#),
        "the choice is kept in the form"
    );
    assert!(
        page.contains("periode=2026K1&amp;bydel=alna&amp;bydel=stovner&amp;tabell=boligplaner")
    );
    let csv = reviewer
        .get("/eksport/kontroll.csv?periode=2026K1&bydel=alna&bydel=stovner&tabell=boligplaner")
        .await;
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("kontroll-boligplaner-alna-stovner-2026-01-01-2026-03-31.csv")
    );
    let csv = csv.text().await.unwrap();
    let starts: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(';').next().unwrap())
        .collect();
    assert_eq!(starts, ["Alna", "Stovner", "Oslo kommune"]);
    // A name that is not a slug is refused, on the page, in the function and in the CSV.
    let (status, page) = reviewer.get_text("/kontroll?bydel=Alna%3Cb%3E").await;
    assert_eq!(status, 400);
    assert!(page.contains("Bydeler"), "the field is named");
    assert_eq!(
        reviewer
            .call("compliance", &[("bydel[0]", "../x")])
            .await
            .status(),
        400
    );
    assert_eq!(
        reviewer
            .get("/eksport/kontroll.csv?bydel=..%2Fx")
            .await
            .status(),
        400
    );

    // One district's page: each of its eight quarters is cut from that quarter's whole table,
    // so it shows nothing (and hides nothing) the overview of the quarter does not.
    let report: DistrictCompliance = json(
        &reviewer,
        "district_compliance",
        &[("slug", SMALL), ("periode", "2026K2")],
    )
    .await;
    assert_eq!(report.district.0, SMALL);
    let quarters = Period::quarter(2026, 2).unwrap().quarters_to(8);
    assert_eq!(report.quarters.len(), 8);
    for (got, quarter) in report.quarters.iter().zip(&quarters) {
        assert_eq!(got.period, *quarter);
        let query = quarter.query();
        let periode = query.trim_start_matches("periode=");
        let full = rows_of(
            json(&reviewer, "compliance", &[("periode", periode)]).await,
            SMALL,
        );
        assert_eq!(got.housing, full.housing, "{periode}");
        assert_eq!(got.meetings, full.meetings, "{periode}");
        assert_eq!(got.steps, full.steps, "{periode}");
        assert_eq!(got.transfers, full.transfers, "{periode}");
        assert_eq!(got.waits, full.waits, "{periode}");
        assert_eq!(got.deviations, full.deviations, "{periode}");
    }
    let now = rows_of(
        json(&reviewer, "compliance", &[("periode", "2026K2")]).await,
        SMALL,
    );
    assert_eq!(report.view.housing, now.housing);
    assert_eq!(report.view.overdue, now.overdue);
    // The small district's two plans of the first quarter stay "under 3" over time too.
    let lines = report.over_time();
    let q1 = lines.iter().find(|l| l.period == quarters[6]).unwrap();
    assert_eq!(q1.district.housing_due, Shown::Under3);
    assert_eq!(q1.district.housing_share, None);
    assert!(q1.municipality.housing_share.is_some());

    let (status, page) = reviewer
        .get_text(&format!("/kontroll/{SMALL}?periode=2026K2"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Kontroll av frister: Sagene"));
    assert!(page.contains("Kvartal for kvartal"));
    assert!(page.contains("1. kvartal 2026"));
    assert!(page.contains("under 3"));
    assert!(page.contains(r#"class="site-header""#));
    assert!(page.contains(&format!(
        r#"href="/kontroll/{SMALL}/utskrift?periode=2026K2""#
    )));
    assert!(page.contains(&format!(
        "periode=2026K2&amp;bydel={SMALL}&amp;tabell=kvartaler"
    )));

    // The print view: the same figures, no navigation, form or download link; the period and
    // the time the figures were made.
    let (status, print) = reviewer
        .get_text(&format!("/kontroll/{SMALL}/utskrift?periode=2026K2"))
        .await;
    assert_eq!(status, 200);
    for absent in [
        r#"class="site-header""#,
        "<nav",
        "<form",
        "/eksport/",
        "site-footer",
    ] {
        assert!(!print.contains(absent), "{absent} in the print view");
    }
    assert!(print.contains(
        "Periode 2. kvartal 2026 (01.04.2026–30.06.2026). Tallene er laget 10.07.2026 11:00."
    ));
    assert!(print.contains("Kvartal for kvartal"));
    assert_eq!(
        print.matches("<table").count(),
        page.matches("<table").count()
    );

    // The quarters as CSV: a line per quarter for the district and for the municipality.
    let res = reviewer
        .get(&format!(
            "/eksport/kontroll.csv?periode=2026K2&bydel={SMALL}&tabell=kvartaler"
        ))
        .await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    assert_eq!(csv.lines().count(), 1 + 16);
    assert!(
        csv.contains("\r\nSagene;2026-01-01;2026-03-31;under 3;;"),
        "{csv}"
    );
    assert_eq!(
        reviewer
            .get("/eksport/kontroll.csv?periode=2026K2&tabell=kvartaler")
            .await
            .status(),
        400,
        "the quarters are one district's"
    );

    // A district that does not exist.
    assert_eq!(reviewer.get_text("/kontroll/atlantis").await.0, 404);
    assert_eq!(
        reviewer
            .call("district_compliance", &[("slug", "atlantis")])
            .await
            .status(),
        404
    );
    // Caseworkers do not see the municipality's figures.
    let nav = app.signed_in("nav.alna").await;
    assert_eq!(nav.get_text("/kontroll/alna").await.0, 403);
    assert_eq!(nav.get_text("/kontroll/alna/utskrift").await.0, 403);
    assert_eq!(
        nav.get("/eksport/kontroll.csv?bydel=alna&tabell=kvartaler")
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn nothing_a_reviewer_reaches_carries_a_planted_name_reference_or_comment() {
    const NAME: &str = "Kanarifugl Hemmeligsen";
    const REFERENCE: &str = "KANARI-REF-77";
    const COMMENT: &str = "kanari-kommentar-fritekst";
    const NOTE: &str = "kanari-avvikstekst";
    let app = TestApp::spawn().await;
    generate(&app, 120).await;
    app.clock.set(datetime!(2026-03-16 09:00 UTC));
    let staff = app.signed_in("krisesenter").await;
    let stay = create_plan(
        &app,
        &staff,
        &[("name", NAME), ("case_reference", REFERENCE)],
    )
    .await;
    let (task, version) = task_of(&app, stay, "housing_plan", None).await;
    let nav = app.signed_in("nav.alna").await;
    let res = nav
        .call(
            "task_update",
            &[
                ("task", &task),
                ("version", &version),
                ("change", "comment"),
                ("comment", COMMENT),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = nav
        .call("deviation_open", &[("task", &task), ("note", NOTE)])
        .await;
    assert_eq!(res.status(), 200);
    let secrets = [NAME, REFERENCE, COMMENT, NOTE, CANARY];
    // The planted values are there for those who may see them (so the crawl below can fail).
    assert!(
        staff
            .get_text(&format!("/planer/{stay}"))
            .await
            .1
            .contains(NAME)
    );
    assert!(
        nav.get_text(&format!("/oppgaver/{task}"))
            .await
            .1
            .contains(COMMENT)
    );
    assert!(staff.get_text("/planer").await.1.contains(CANARY));

    app.clock.set(datetime!(2026-07-10 09:00 UTC));
    let reviewer = app.signed_in("kontrollor").await;
    let districts: Vec<String> = sqlx::query_scalar("SELECT slug FROM district")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let mut bodies: Vec<(String, String)> = Vec::new();
    let get = |path: String| {
        let reviewer = &reviewer;
        async move {
            let res = reviewer.get(&path).await;
            assert!(res.status().is_success(), "{path}: {}", res.status());
            (path, res.text().await.unwrap())
        }
    };
    let periods = [
        "periode=2026K1",
        "periode=2026K2",
        "periode=2026",
        "fra=2026-01-01&til=2026-07-10",
    ];
    for period in periods {
        bodies.push(get(format!("/kontroll?{period}")).await);
        bodies.push(get(format!("/kontroll?{period}&bydel=alna&bydel=sagene")).await);
        for table in [
            "boligplaner",
            "moter",
            "frister",
            "overforinger",
            "venter",
            "forfalte",
            "avvik",
        ] {
            bodies.push(get(format!("/eksport/kontroll.csv?{period}&tabell={table}")).await);
        }
    }
    for slug in &districts {
        bodies.push(get(format!("/kontroll/{slug}?periode=2026K2")).await);
        bodies.push(get(format!("/kontroll/{slug}/utskrift?periode=2026K2")).await);
        bodies.push(
            get(format!(
                "/eksport/kontroll.csv?periode=2026K2&bydel={slug}&tabell=kvartaler"
            ))
            .await,
        );
        bodies.push(get(format!("/bydeler/{slug}")).await);
    }
    for path in ["/", "/avvik", "/bydeler", "/konto", "/eksport/avvik.csv"] {
        bodies.push(get(path.to_owned()).await);
    }
    for (endpoint, query) in [
        ("compliance", vec![("periode", "2026K1")]),
        (
            "compliance",
            vec![("periode", "2026"), ("bydel[0]", "alna")],
        ),
        (
            "district_compliance",
            vec![("slug", "alna"), ("periode", "2026K1")],
        ),
        ("deviations", vec![]),
    ] {
        let res = reviewer.call(endpoint, &query).await;
        assert_eq!(res.status(), 200, "{endpoint}");
        bodies.push((format!("/api/{endpoint}"), res.text().await.unwrap()));
    }
    assert!(bodies.len() > 100);
    for (path, body) in &bodies {
        for secret in secrets {
            assert!(!body.contains(secret), "{path} shows {secret:?}");
        }
    }
}
