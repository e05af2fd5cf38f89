//! Configuration: command-line flags, each with an environment variable and a default.
//! `portal --help` lists them; `portal check` prints them with secrets masked.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "portal",
    version,
    about = "Reetableringsportalen: re-establishment after a stay at the crisis center"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the portal (the default).
    Serve {
        /// Seed the demo directory (Oslo's districts, fictitious contacts) when it is empty.
        #[arg(long, env = "PORTAL_SEED_DEMO")]
        seed_demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Migrate, then add the demo data when the directory is empty.
    SeedDemo,
    /// Create an administrator; the password is read from standard input (one line).
    CreateAdmin {
        /// The administrator's work e-mail address (the sign-in name).
        #[arg(long)]
        email: String,
        /// The administrator's name as shown in the portal and the access log.
        #[arg(long)]
        name: String,
    },
    /// Print the SQLite version, the pragmas in force and the configuration (secrets masked).
    Check,
    /// Print the open tasks that are overdue or due soon, per district and service (no personal
    /// data), for operators and scripts.
    Deadlines {
        /// The Oslo calendar date to count for (`YYYY-MM-DD`); today in Oslo when left out.
        #[arg(long)]
        as_of: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// SQLite database URL; the file is created if missing.
    #[arg(
        long,
        env = "PORTAL_DATABASE_URL",
        default_value = "sqlite://data/portal.db",
        global = true
    )]
    pub database_url: String,
    /// Address to listen on.
    #[arg(
        long,
        env = "PORTAL_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: SocketAddr,
    /// Directory with the built site (wasm, JS, CSS), as cargo-leptos writes it.
    #[arg(
        long,
        env = "PORTAL_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: PathBuf,
    /// Mark the session cookie Secure (browsers accept that on http://localhost and 127.0.0.1
    /// too). Turn off only for plain HTTP on another host, never in production.
    #[arg(long, env = "PORTAL_SECURE_COOKIES", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub secure_cookies: bool,
    /// Require a one-time code (TOTP) at sign-in for administrators and crisis center staff.
    /// Turn off only for a demonstration; the sign-in page then says that it is off.
    #[arg(long, env = "PORTAL_REQUIRE_SECOND_FACTOR", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub require_second_factor: bool,
    /// Sign-in attempts one client address may make in a burst; after that one more every 20
    /// seconds. (Each account also takes at most 5 failures per 15 minutes.)
    #[arg(
        long,
        env = "PORTAL_SIGN_IN_BURST",
        default_value_t = 30,
        global = true
    )]
    pub sign_in_burst: u32,
    /// The "due soon" window: open tasks due within this many days (Oslo dates) are flagged.
    #[arg(long, env = "PORTAL_DUE_SOON_DAYS", default_value_t = 3, global = true)]
    pub due_soon_days: u16,
    /// For end-to-end tests only: the portal's clock stands still and `POST /test/klokke` sets
    /// it. Never turn this on in production.
    #[arg(long, env = "PORTAL_TEST_CLOCK", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub test_clock: bool,
    /// Log filter (tracing's EnvFilter syntax).
    #[arg(
        long,
        env = "PORTAL_LOG",
        default_value = "info,sqlx=warn",
        global = true
    )]
    pub log: String,
    /// Log format.
    #[arg(long, env = "PORTAL_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

impl Config {
    /// The database file behind the URL, if it is a file (not `sqlite::memory:`).
    pub fn database_file(&self) -> Option<PathBuf> {
        let rest = self
            .database_url
            .strip_prefix("sqlite://")
            .or_else(|| self.database_url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or(rest);
        (!path.is_empty() && !path.starts_with(":memory:")).then(|| PathBuf::from(path))
    }

    /// The configuration as `key=value` lines, secrets masked (credentials in URLs).
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "PORTAL_DATABASE_URL",
                mask_url_credentials(&self.database_url),
            ),
            ("PORTAL_ADDR", self.addr.to_string()),
            ("PORTAL_SITE_ROOT", self.site_root.display().to_string()),
            ("PORTAL_SECURE_COOKIES", self.secure_cookies.to_string()),
            (
                "PORTAL_REQUIRE_SECOND_FACTOR",
                self.require_second_factor.to_string(),
            ),
            ("PORTAL_SIGN_IN_BURST", self.sign_in_burst.to_string()),
            ("PORTAL_DUE_SOON_DAYS", self.due_soon_days.to_string()),
            ("PORTAL_TEST_CLOCK", self.test_clock.to_string()),
            ("PORTAL_LOG", self.log.clone()),
            (
                "PORTAL_LOG_FORMAT",
                format!("{:?}", self.log_format).to_lowercase(),
            ),
        ]
    }
}

/// Replaces a password in `scheme://user:password@host` with `***`.
pub fn mask_url_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => {
            let user = rest[..at].split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{}", &rest[at + 1..])
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_masked() {
        assert_eq!(
            mask_url_credentials("smtp://mail:secret@example.org:587"),
            "smtp://mail:***@example.org:587"
        );
        assert_eq!(
            mask_url_credentials("sqlite://data/portal.db"),
            "sqlite://data/portal.db"
        );
    }

    #[test]
    fn the_database_file_is_found_in_the_url() {
        let cfg = |url: &str| Config {
            database_url: url.into(),
            addr: "127.0.0.1:0".parse().unwrap(),
            site_root: "target/site".into(),
            secure_cookies: true,
            require_second_factor: true,
            sign_in_burst: 30,
            due_soon_days: 3,
            test_clock: false,
            log: "info".into(),
            log_format: LogFormat::Text,
        };
        assert_eq!(
            cfg("sqlite://data/portal.db").database_file(),
            Some(PathBuf::from("data/portal.db"))
        );
        assert_eq!(
            cfg("sqlite:/tmp/x.db?mode=rwc").database_file(),
            Some(PathBuf::from("/tmp/x.db"))
        );
        assert_eq!(cfg("sqlite::memory:").database_file(), None);
    }
}
