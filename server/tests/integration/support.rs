//! Boots the real application for a test: a fresh database file in a temporary directory,
//! migrated and seeded with the demo directory, served on an ephemeral port.

use server::config::{Config, LogFormat};
use sqlx::SqlitePool;
use std::path::PathBuf;

pub struct TestApp {
    pub base: String,
    pub pool: SqlitePool,
    pub db_file: PathBuf,
    pub http: reqwest::Client,
    _dir: tempfile::TempDir,
}

pub fn config_for(dir: &std::path::Path) -> Config {
    Config {
        database_url: format!("sqlite://{}", dir.join("portal.db").display()),
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: dir.join("site"),
        secure_cookies: true,
        log: "warn".into(),
        log_format: LogFormat::Text,
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = config_for(dir.path());
        let pool = server::open_database(&config).await.expect("database");
        app::server::demo::seed_demo(&pool)
            .await
            .expect("demo data");
        let router = server::build_router(pool.clone(), &config)
            .await
            .expect("router");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
        // A stuck request fails its test after 30 s instead of stalling the whole run (one
        // request hung once in about 14 runs; see the note on issue 3).
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap();
        TestApp {
            base: format!("http://{addr}"),
            pool,
            db_file: config.database_file().unwrap(),
            http,
            _dir: dir,
        }
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
