//! Boots the real application for a test: a fresh database file in a temporary directory,
//! migrated and seeded with the demo directory, served on an ephemeral port.

use server::config::Config;
use sqlx::SqlitePool;
use std::path::PathBuf;

pub struct TestApp {
    pub base: String,
    /// The server's database (service calls go through it, as the server's do).
    pub db: app::server::db::Db,
    /// The test's own connections to the file ([`side_pool`]).
    pub pool: SqlitePool,
    pub db_file: PathBuf,
    /// A client without cookies (anonymous unless a test adds a cookie header).
    pub http: reqwest::Client,
    /// The portal's clock: manual, starting at the real time; tests move it.
    pub clock: app::server::Clock,
    _dir: tempfile::TempDir,
}

/// A signed-in browser: a client with its own cookie jar.
pub struct Browser {
    pub base: String,
    pub http: reqwest::Client,
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> (reqwest::StatusCode, String) {
        let res = self.get(path).await;
        let status = res.status();
        (status, res.text().await.unwrap())
    }

    /// A same-origin form post, as the browser sends it (asking for HTML back).
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header("sec-fetch-site", "same-origin")
            .header("accept", "text/html")
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    /// A same-origin file upload, as the browser sends a form with `enctype="multipart/form-data"`
    /// and one file input `field`.
    pub async fn post_file(&self, path: &str, field: &str, content: &[u8]) -> reqwest::Response {
        let boundary = "----portaltestboundary7MA4YWxkTrZu0gW";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; \
             filename=\"rutine.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.http
            .post(self.url(path))
            .header("sec-fetch-site", "same-origin")
            .header("accept", "text/html")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .expect("POST")
    }

    /// A server-function call as a script makes it (JSON back).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(&format!("/api/{endpoint}")))
            .form(form)
            .send()
            .await
            .expect("POST")
    }
}

pub fn client() -> reqwest::Client {
    // A stuck request fails its test after 30 s instead of stalling the whole run (one
    // request hung once in about 14 runs; see the note on issue 3).
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .cookie_store(true)
        .build()
        .unwrap()
}

pub fn config_for(dir: &std::path::Path) -> Config {
    // Tests of the second factor turn it on (see `spawn_with`); the rest sign in like the demo,
    // with the password only.
    Config::local(
        format!("sqlite://{}", dir.join("portal.db").display()),
        dir.join("site"),
    )
}

/// A test's own connections to a database file, beside the server's (as an operator's `sqlite3`
/// would be): reads, and the writes that set up a case the portal would not make. One
/// connection, so that a schema change a test makes is seen by its next statement (a second
/// connection can prepare against the schema it loaded before).
pub async fn side_pool(url: &str) -> SqlitePool {
    use std::str::FromStr;
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)
        .expect("database url")
        .busy_timeout(std::time::Duration::from_secs(10));
    sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .expect("side pool")
}

/// The value of a one-number query, e.g. `SELECT count(*) FROM stay`.
pub async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    /// Boots with a changed configuration.
    pub async fn spawn_with(configure: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = config_for(dir.path());
        configure(&mut config);
        let db = server::open_database(&config).await.expect("database");
        app::server::demo::seed_demo(&db).await.expect("demo data");
        let pool = side_pool(&config.database_url).await;
        let clock = app::server::Clock::manual(time::OffsetDateTime::now_utc());
        let router = server::build_router_with_clock(db.clone(), &config, clock.clone())
            .await
            .expect("router");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let forever = std::future::pending::<()>();
            let limits = server::ServeLimits {
                header_read: server::ServeLimits::HEADER_READ,
                shutdown: std::time::Duration::from_secs(20),
            };
            server::serve_until(listener, router, forever, limits)
                .await
                .expect("serve")
        });
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap();
        TestApp {
            base: format!("http://{addr}"),
            db,
            pool,
            db_file: config.database_file().unwrap(),
            http,
            clock,
            _dir: dir,
        }
    }

    /// A new browser that is not signed in.
    pub fn browser(&self) -> Browser {
        Browser {
            base: self.base.clone(),
            http: client(),
        }
    }

    /// A browser signed in as a demo user (by the local part of the e-mail address).
    pub async fn signed_in(&self, local: &str) -> Browser {
        let browser = self.browser();
        let res = browser
            .post_form(
                "/innlogging",
                &[
                    ("email", &app::server::demo::demo_email(local)),
                    ("password", app::server::demo::DEMO_PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status(), 303, "sign-in of {local}");
        assert!(
            !res.headers()["location"].to_str().unwrap().contains("feil"),
            "sign-in of {local} refused"
        );
        browser
    }

    /// Deactivates a demo user (by the local part of their e-mail address).
    pub async fn deactivate(&self, local: &str) {
        sqlx::query("UPDATE app_user SET active = 0 WHERE email = ?1")
            .bind(app::server::demo::demo_email(local))
            .execute(&self.pool)
            .await
            .unwrap();
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> (reqwest::StatusCode, String) {
        let res = self.get(path).await;
        let status = res.status();
        (status, res.text().await.unwrap())
    }
}
