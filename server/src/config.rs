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
    /// Check an existing database: the pragmas in force, SQLite's `quick_check`, and whether its
    /// migrations are this binary's; print them and the configuration (secrets masked). Exits
    /// non-zero on a missing, corrupt, older or newer database.
    Check {
        /// Run `integrity_check` (slower: also compares every index with its table).
        #[arg(long)]
        full: bool,
    },
    /// Copy the database, while it is in use, into FILE (which must not exist), then check the
    /// copy (integrity, migrations, row counts). A plain file copy during writes can lose writes.
    Backup {
        /// Where the copy goes, e.g. `/var/backups/portal/portal-2026-12-03.db`.
        file: std::path::PathBuf,
    },
    /// Replace the database by a backup FILE, after checking it; refused while a portal serves
    /// the database. The replaced file is kept beside it as `<name>.before-restore-<time>`.
    Restore {
        /// The backup to restore, as `portal backup` made it.
        file: std::path::PathBuf,
    },
    /// List the outbox for operators: pending and failed messages and the latest sent ones (kind,
    /// unit, state, attempts, next try, last error; no personal data).
    Outbox {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Put every failed message back in the queue (sent once when the sender next runs).
        #[arg(long)]
        retry_failed: bool,
        /// How many sent or skipped messages to list.
        #[arg(long, default_value_t = 20)]
        recent: i64,
    },
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
    /// Import past, closed stays from a CSV file (UTF-8, a header row, comma-separated:
    /// person_key,gender,birth_year,arrival,move_out,children,referral,outcome,home_district).
    /// The whole file is checked first; on any problem nothing is stored and every problem is
    /// listed by line and column. Stays imported before are skipped.
    ImportStays {
        /// The CSV file.
        file: std::path::PathBuf,
    },
    /// Print the crisis center's figures of one year from the stays (residents by gender,
    /// children, nights, returning residents, referral, outcome, length of stay). Counts only.
    Stats {
        /// The calendar year (`YYYY`).
        #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=9999))]
        year: i32,
        /// Print one JSON object.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print `figure;value` rows for a spreadsheet.
        #[arg(long)]
        csv: bool,
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
    /// seconds. (Each account also waits longer after each failure beyond the third, up to 15
    /// minutes, except on a device where its user signed in before.)
    #[arg(
        long,
        env = "PORTAL_SIGN_IN_BURST",
        default_value_t = 30,
        global = true
    )]
    pub sign_in_burst: u32,
    /// Addresses of reverse proxies in front of the portal. Only a request from one of these has
    /// its client address taken from `X-Forwarded-For` (for the per-address sign-in limit);
    /// from anyone else the header is ignored. Comma-separated IP addresses; none by default.
    #[arg(
        long,
        env = "PORTAL_TRUSTED_PROXIES",
        value_delimiter = ',',
        global = true
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Host names the portal answers to (the `Host` header), comma-separated, against DNS
    /// rebinding; a request for another host gets 421. Default: the listen address (and
    /// `localhost` when it is a loopback address). Required when listening on all addresses.
    #[arg(long, env = "PORTAL_HOSTS", value_delimiter = ',', global = true)]
    pub hosts: Vec<String>,
    /// Send `Strict-Transport-Security` (browsers then use only HTTPS for this host for a year).
    /// Default: on when cookies are Secure.
    #[arg(long, env = "PORTAL_HSTS", action = clap::ArgAction::Set, global = true)]
    pub hsts: Option<bool>,
    /// The "due soon" window: open tasks due within this many days (Oslo dates) are flagged.
    #[arg(long, env = "PORTAL_DUE_SOON_DAYS", default_value_t = 3, global = true)]
    pub due_soon_days: u16,
    /// A stay whose resident has been ready to move out, waiting only for housing, for more than
    /// this many days is flagged on the crisis center's plan list.
    #[arg(
        long,
        env = "PORTAL_READY_FLAG_DAYS",
        default_value_t = 14,
        global = true
    )]
    pub ready_flag_days: u16,
    /// An open task overdue by this many days is reported to the unit's leader contacts.
    #[arg(
        long,
        env = "PORTAL_ESCALATION_DAYS",
        default_value_t = 7,
        global = true
    )]
    pub escalation_days: u16,
    /// The Oslo time of day (`HH:MM`) from which each unit's daily digest is sent (a portal
    /// started later that day sends it then). Pick a time outside 02:00 to 03:00.
    #[arg(long, env = "PORTAL_DIGEST_TIME", default_value = "07:00", value_parser = parse_time_of_day, global = true)]
    pub digest_time: (u8, u8),
    /// SMTP server for outgoing mail, in lettre's URL form: `smtp://host:25` (plain),
    /// `smtp://user:password@host:587?tls=required` (STARTTLS), `smtps://user:password@host`
    /// (TLS). Unset: each message is written as an `.eml` file to `PORTAL_MAIL_DIR`.
    #[arg(long, env = "PORTAL_SMTP_URL", global = true)]
    pub smtp_url: Option<String>,
    /// Where messages are written as `.eml` files when `PORTAL_SMTP_URL` is unset.
    #[arg(
        long,
        env = "PORTAL_MAIL_DIR",
        default_value = "data/mail",
        global = true
    )]
    pub mail_dir: PathBuf,
    /// The sender of the portal's messages (`Name <address>` or `address`).
    #[arg(
        long,
        env = "PORTAL_MAIL_FROM",
        default_value = "Reetableringsportalen <ikke-svar@portal.localhost>",
        global = true
    )]
    pub mail_from: String,
    /// The portal's address as users reach it, for the links in messages (e.g.
    /// `https://reetablering.oslo.kommune.no`). Default: `http://` and the listen address.
    #[arg(long, env = "PORTAL_BASE_URL", global = true)]
    pub base_url: Option<String>,
    /// Whether `serve` sends the outbox's messages and scans the deadlines. Turn off only on a
    /// second server that must not send (the messages wait in the outbox).
    #[arg(long, env = "PORTAL_SEND_MAIL", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub send_mail: bool,
    /// For end-to-end tests only: the portal's clock stands still and `POST /test/klokke` sets
    /// it. Never turn this on in production.
    #[arg(long, env = "PORTAL_TEST_CLOCK", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub test_clock: bool,
    /// After SIGTERM or Ctrl-C, how many seconds requests in flight get to finish before the
    /// remaining connections are closed.
    #[arg(
        long,
        env = "PORTAL_SHUTDOWN_SECONDS",
        default_value_t = 20,
        global = true
    )]
    pub shutdown_seconds: u64,
    /// Where `serve` writes a checked backup every night at 03:30 Oslo time (`portal backup`'s
    /// copy, named by the time it was taken). Unset: no nightly backup.
    #[arg(long, env = "PORTAL_BACKUP_DIR", global = true)]
    pub backup_dir: Option<PathBuf>,
    /// How many nightly backups to keep in `PORTAL_BACKUP_DIR` (the oldest go first).
    #[arg(long, env = "PORTAL_BACKUP_KEEP", default_value_t = 7, global = true)]
    pub backup_keep: usize,
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
    /// The defaults for a portal on `database_url`, listening on an ephemeral loopback port,
    /// with the second factor off: what tests and benchmarks start from (one place to add a new
    /// setting's default).
    pub fn local(database_url: String, site_root: PathBuf) -> Config {
        Config {
            database_url,
            addr: "127.0.0.1:0".parse().expect("a socket address"),
            site_root,
            secure_cookies: true,
            require_second_factor: false,
            sign_in_burst: 30,
            trusted_proxies: Vec::new(),
            hosts: Vec::new(),
            hsts: None,
            due_soon_days: 3,
            ready_flag_days: 14,
            escalation_days: 7,
            digest_time: (7, 0),
            smtp_url: None,
            mail_dir: PathBuf::from("data/mail"),
            mail_from: "Reetableringsportalen <ikke-svar@portal.localhost>".into(),
            base_url: None,
            send_mail: true,
            test_clock: false,
            shutdown_seconds: 20,
            backup_dir: None,
            backup_keep: 7,
            log: "warn".into(),
            log_format: LogFormat::Text,
        }
    }

    /// The database file behind the URL, if it is a file (not `sqlite::memory:`).
    pub fn database_file(&self) -> Option<PathBuf> {
        let rest = self
            .database_url
            .strip_prefix("sqlite://")
            .or_else(|| self.database_url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or(rest);
        (!path.is_empty() && !path.starts_with(":memory:")).then(|| PathBuf::from(path))
    }

    /// The host names the portal answers to: `PORTAL_HOSTS`, else the listen address (and
    /// `localhost` for a loopback address). Lower case, without port. An error when nothing can
    /// be derived (listening on all addresses without `PORTAL_HOSTS`).
    pub fn allowed_hosts(&self) -> Result<Vec<String>, String> {
        if !self.hosts.is_empty() {
            return Ok(self
                .hosts
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty())
                .collect());
        }
        let ip = self.addr.ip();
        if ip.is_unspecified() {
            return Err(format!(
                "PORTAL_HOSTS must name the host names to answer to when listening on {}",
                self.addr
            ));
        }
        let mut hosts = vec![match ip {
            std::net::IpAddr::V4(v4) => v4.to_string(),
            std::net::IpAddr::V6(v6) => format!("[{v6}]"),
        }];
        if ip.is_loopback() {
            hosts.push("localhost".to_owned());
        }
        Ok(hosts)
    }

    /// The portal's address for links: `PORTAL_BASE_URL`, else `http://` and the listen address.
    pub fn base_url(&self) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
    }

    /// The mailer these settings describe (checks them).
    pub fn mailer(&self) -> Result<app::server::notify::Mailer, app::server::ServerError> {
        app::server::notify::Mailer::new(
            self.smtp_url.as_deref(),
            &self.mail_dir,
            &self.mail_from,
            &self.base_url(),
        )
    }

    /// The scan's and sender's settings.
    pub fn notify_settings(&self) -> app::server::notify::NotifySettings {
        app::server::notify::NotifySettings {
            due_soon_days: self.due_soon_days,
            escalate_after: self.escalation_days,
            digest_at: Some(self.digest_time),
        }
    }

    /// Whether `Strict-Transport-Security` is sent: `PORTAL_HSTS`, else when cookies are Secure.
    pub fn hsts(&self) -> bool {
        self.hsts.unwrap_or(self.secure_cookies)
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
            (
                "PORTAL_TRUSTED_PROXIES",
                self.trusted_proxies
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            (
                "PORTAL_HOSTS",
                self.allowed_hosts().unwrap_or_default().join(","),
            ),
            ("PORTAL_HSTS", self.hsts().to_string()),
            ("PORTAL_DUE_SOON_DAYS", self.due_soon_days.to_string()),
            ("PORTAL_READY_FLAG_DAYS", self.ready_flag_days.to_string()),
            ("PORTAL_ESCALATION_DAYS", self.escalation_days.to_string()),
            (
                "PORTAL_DIGEST_TIME",
                format!("{:02}:{:02}", self.digest_time.0, self.digest_time.1),
            ),
            (
                "PORTAL_SMTP_URL",
                self.smtp_url
                    .as_deref()
                    .map_or("(none: .eml files)".to_owned(), mask_url_credentials),
            ),
            ("PORTAL_MAIL_DIR", self.mail_dir.display().to_string()),
            ("PORTAL_MAIL_FROM", self.mail_from.clone()),
            ("PORTAL_BASE_URL", self.base_url()),
            ("PORTAL_SEND_MAIL", self.send_mail.to_string()),
            ("PORTAL_TEST_CLOCK", self.test_clock.to_string()),
            ("PORTAL_SHUTDOWN_SECONDS", self.shutdown_seconds.to_string()),
            (
                "PORTAL_BACKUP_DIR",
                self.backup_dir
                    .as_ref()
                    .map_or("(none)".to_owned(), |d| d.display().to_string()),
            ),
            ("PORTAL_BACKUP_KEEP", self.backup_keep.to_string()),
            ("PORTAL_LOG", self.log.clone()),
            (
                "PORTAL_LOG_FORMAT",
                format!("{:?}", self.log_format).to_lowercase(),
            ),
        ]
    }
}

/// `HH:MM`, 00:00 to 23:59.
fn parse_time_of_day(raw: &str) -> Result<(u8, u8), String> {
    let bad = || format!("expected a time of day as HH:MM, got {raw:?}");
    let (h, m) = raw.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u8, u8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 || raw.trim().len() != 5 {
        return Err(bad());
    }
    Ok((h, m))
}

/// Replaces a password in `scheme://user:password@host` with `***` (one function for the
/// database and the SMTP URL).
pub use app::server::notify::mailer::mask_password as mask_url_credentials;

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
    fn the_digest_time_is_a_time_of_day() {
        assert_eq!(parse_time_of_day("07:00"), Ok((7, 0)));
        assert_eq!(parse_time_of_day("23:59"), Ok((23, 59)));
        for bad in ["7:00", "24:00", "07:60", "0700", "", "ab:cd"] {
            assert!(parse_time_of_day(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_database_file_is_found_in_the_url() {
        let cfg = |url: &str| Config::local(url.into(), "target/site".into());
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

    #[test]
    fn the_allowed_hosts_default_to_the_listen_address() {
        let mut c = Cli::try_parse_from(["portal"]).unwrap().config;
        c.hosts.clear();
        c.hsts = None;
        c.secure_cookies = true;
        c.addr = "127.0.0.1:3000".parse().unwrap();
        assert_eq!(c.allowed_hosts().unwrap(), ["127.0.0.1", "localhost"]);
        c.addr = "10.0.0.5:3000".parse().unwrap();
        assert_eq!(c.allowed_hosts().unwrap(), ["10.0.0.5"]);
        c.addr = "0.0.0.0:3000".parse().unwrap();
        assert!(
            c.allowed_hosts().is_err(),
            "all addresses need PORTAL_HOSTS"
        );
        c.hosts = vec!["Portal.Oslo.Kommune.no".into()];
        assert_eq!(c.allowed_hosts().unwrap(), ["portal.oslo.kommune.no"]);
        assert!(c.hsts(), "on with Secure cookies");
        c.secure_cookies = false;
        assert!(!c.hsts());
    }
}
