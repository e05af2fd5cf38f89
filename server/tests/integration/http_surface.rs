use crate::support::TestApp;
use std::os::unix::fs::PermissionsExt;

#[tokio::test]
async fn healthz_answers_200_after_a_database_round_trip() {
    let app = TestApp::spawn().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn healthz_answers_503_when_the_database_file_is_made_unreadable() {
    let app = TestApp::spawn().await;
    std::fs::set_permissions(&app.db_file, std::fs::Permissions::from_mode(0o000)).unwrap();
    assert_eq!(app.get("/healthz").await.status(), 503);
    std::fs::set_permissions(&app.db_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn healthz_answers_503_when_the_database_file_is_gone() {
    let app = TestApp::spawn().await;
    std::fs::rename(&app.db_file, app.db_file.with_extension("moved")).unwrap();
    assert_eq!(app.get("/healthz").await.status(), 503);
}

#[tokio::test]
async fn html_pages_carry_a_nonce_based_csp_and_no_store() {
    let app = TestApp::spawn().await;
    let res = app.get("/logg-inn").await;
    assert_eq!(res.status(), 200);
    let headers = res.headers().clone();
    let html = res.text().await.unwrap();
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a nonce in the CSP");
    assert!(nonce.len() >= 16);
    assert!(
        html.contains(&format!(r#"nonce="{nonce}""#)),
        "the hydration script carries the CSP nonce"
    );
    // Every script element carries the nonce (no inline script can run without it).
    for tag in html.split("<script").skip(1) {
        let open = tag.split('>').next().unwrap();
        assert!(
            open.contains(&format!(r#"nonce="{nonce}""#)),
            "script without nonce: <script{open}>"
        );
    }
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    // A new nonce for each response.
    let again = app.get("/logg-inn").await.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_ne!(csp, again);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/healthz", "/no/such/page", "/bydeler/alna"] {
        let res = app.get(path).await;
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
    }
    let res = app
        .http
        .post(app.url("/api/districts"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
}

#[tokio::test]
async fn the_language_switch_remembers_english_and_goes_back() {
    let app = TestApp::spawn().await;
    let res = app
        .http
        .post(app.url("/sprak"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("lang", "en"), ("return_to", "/bydeler?q=al")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/bydeler?q=al");
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("lang=en;") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let html = app
        .http
        .get(app.url("/logg-inn"))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"<html lang="en""#));
    assert!(html.contains("Sign in"));
    assert!(html.contains("Skip to main content"));
}

#[tokio::test]
async fn the_language_switch_refuses_unknown_languages_and_foreign_return_addresses() {
    let app = TestApp::spawn().await;
    let res = app
        .http
        .post(app.url("/sprak"))
        .form(&[("lang", "de"), ("return_to", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let res = app
        .http
        .post(app.url("/sprak"))
        .form(&[("lang", "nb"), ("return_to", "https://evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/");
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = TestApp::spawn().await;
    let host = app.base.trim_start_matches("http://").to_owned();
    let cases: [(&str, &str, u16); 5] = [
        ("sec-fetch-site", "cross-site", 403),
        ("sec-fetch-site", "same-site", 403),
        ("origin", "https://evil.example", 403),
        ("sec-fetch-site", "same-origin", 303),
        ("origin", &format!("http://{host}"), 303),
    ];
    for (header, value, expected) in cases {
        let res = app
            .http
            .post(app.url("/sprak"))
            .header(header, value)
            .form(&[("lang", "en"), ("return_to", "/")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), expected, "{header}: {value}");
        assert!(expected != 403 || res.headers().get("set-cookie").is_none());
    }
    let res = app
        .http
        .post(app.url("/api/districts"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn no_mutating_endpoint_accepts_get() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/sprak?lang=en&return_to=/").await.status(), 405);
    for endpoint in app::api::ENDPOINTS {
        let status = app.get(&format!("/api/{endpoint}")).await.status();
        assert_eq!(status, 405, "/api/{endpoint}");
    }
}

#[tokio::test]
async fn every_registered_server_function_is_listed_in_the_api_endpoints() {
    let mut registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _method)| path.trim_start_matches("/api/").to_owned())
        .collect();
    registered.sort();
    let mut listed: Vec<String> = app::api::ENDPOINTS
        .iter()
        .map(|e| (*e).to_owned())
        .collect();
    listed.sort();
    assert_eq!(
        registered, listed,
        "add the new server function to app::api::ENDPOINTS (and its tests)"
    );
}

#[tokio::test]
async fn the_test_clock_endpoint_exists_only_when_the_operator_turns_it_on() {
    let app = TestApp::spawn().await;
    let res = app
        .browser()
        .post_form("/test/klokke", &[("at", "2026-03-30T22:00:00Z")])
        .await;
    assert_ne!(res.status(), 204, "off by default");
    let before = app.clock.now();
    assert_ne!(before, time::macros::datetime!(2026-03-30 22:00 UTC));

    let app = TestApp::spawn_with(|c| c.test_clock = true).await;
    let browser = app.signed_in("admin").await;
    let res = browser
        .post_form("/test/klokke", &[("at", "2026-03-30T22:00:00Z")])
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        app.clock.now(),
        time::macros::datetime!(2026-03-30 22:00 UTC)
    );
    // Moving the clock back ended the session (it began in the clock's future): sign in again.
    let browser = app.signed_in("admin").await;
    let res = browser
        .post_form("/test/klokke", &[("at", "i morgen")])
        .await;
    assert_eq!(res.status(), 400);
}

/// A site folder with the three files a page links.
fn fake_site(config: &mut server::config::Config) {
    let pkg = config.site_root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("portal.css"), "body { color: black }\n").unwrap();
    std::fs::write(pkg.join("portal.js"), "export default function() {}\n").unwrap();
    std::fs::write(pkg.join("portal.wasm"), b"\0asm\x01\0\0\0").unwrap();
}

#[tokio::test]
async fn pages_link_fingerprinted_assets_that_are_cached_for_a_year_and_the_rest_answers_304() {
    let app = TestApp::spawn_with(fake_site).await;
    let (_, html) = app.browser().get_text("/logg-inn").await;
    let linked = |ext: &str| {
        html.match_indices("/pkg/portal.")
            .map(|(i, _)| html[i..].split('"').next().unwrap())
            .find(|link| link.ends_with(ext))
            .unwrap_or_else(|| panic!("a link to the {ext} file in {html}"))
            .to_owned()
    };
    let css = linked(".css");
    for link in [&css, &linked(".js"), &linked(".wasm")] {
        let print = link.split('.').nth(1).unwrap();
        assert_eq!(print.len(), 20, "a fingerprint in {link}");
        let res = app.get(link).await;
        assert_eq!(res.status(), 200, "{link}");
        assert_eq!(
            res.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
    }
    assert_eq!(
        app.get(&css).await.text().await.unwrap(),
        "body { color: black }\n"
    );
    // Another fingerprint (yesterday's file) is not served as today's.
    assert_eq!(
        app.get("/pkg/portal.00000000000000000000.css")
            .await
            .status(),
        404
    );
    // The plain name is revalidated: a browser that has it gets 304 and no body.
    let res = app.get("/pkg/portal.css").await;
    assert_eq!(res.headers()["cache-control"], "no-cache");
    let modified = res.headers()["last-modified"].clone();
    let again = app
        .http
        .get(app.url("/pkg/portal.css"))
        .header("if-modified-since", modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["cache-control"], "no-cache");
    assert!(again.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn without_the_built_files_pages_link_the_plain_names() {
    let app = TestApp::spawn().await;
    let (_, html) = app.browser().get_text("/logg-inn").await;
    assert!(html.contains("/pkg/portal.css"), "{html}");
}
