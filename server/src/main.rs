//! `portal`: serve (default), migrate, seed-demo, create-admin, check, deadlines, import-stays,
//! stats, backup and restore. Thin: the work is in the library.

use app::server::demo;
use clap::Parser;
use server::config::{Cli, Command, Config, LogFormat};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

/// mimalloc: a page view allocates and frees thousands of small blocks on two threads at once,
/// where glibc's allocator spent about a fifth of the inbox page's CPU. A password hash's 19 MiB
/// come from the system allocator instead (`app::server::password`), so they are given back.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(&cli.config);
    let command = cli
        .command
        .clone()
        .unwrap_or(Command::Serve { seed_demo: false });
    match run(cli.config, command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "portal stopped");
            eprintln!("portal: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config, command: Command) -> Result<(), Box<dyn std::error::Error>> {
    match command {
        Command::Migrate => {
            server::open_database(&config).await?;
            println!("migrations applied: {}", config.database_url);
        }
        Command::SeedDemo => {
            let db = server::open_database(&config).await?;
            report_seed(demo::seed_demo(&db).await?);
            report_demo_plans(&db).await?;
        }
        Command::CreateAdmin { email, name } => {
            let db = server::open_database(&config).await?;
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                eprintln!("Password for {email} (at least 12 characters), then Enter:");
            }
            let mut password = String::new();
            std::io::stdin().read_line(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let id = server::create_admin(&db, &email, &name, password).await?;
            println!("administrator created: user {id}");
        }
        Command::Check { full } => {
            let (lines, ok) = server::check(&config, full).await?;
            for line in lines {
                println!("{line}");
            }
            if !ok {
                return Err(
                    "the database is not as the portal needs it (see the FAILED lines and the pragmas)"
                        .into(),
                );
            }
        }
        Command::Backup { file } => {
            let db = server::open_file(&config).await?;
            let copy = server::backup::backup(&db, &file).await?;
            db.close().await;
            println!("backup written and checked: {}", file.display());
            report_tables(&copy);
        }
        Command::Restore { file } => {
            let database = config
                .database_file()
                .ok_or("PORTAL_DATABASE_URL does not name a file")?;
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let (copy, kept) = server::backup::restore(&database, &file, now).await?;
            println!("restored {} from {}", database.display(), file.display());
            if let Some(kept) = kept {
                println!("the replaced database is kept as {}", kept.display());
            }
            report_tables(&copy);
            if copy.migrations != app::server::db::MigrationStatus::Current {
                println!("{}", server::describe_migrations(&copy.migrations));
            }
        }
        Command::Outbox {
            json,
            retry_failed,
            recent,
        } => {
            let db = server::open_existing(&config).await?;
            if retry_failed {
                let n = server::outbox::retry_failed(&db, time::OffsetDateTime::now_utc()).await?;
                println!("{n} failed messages queued again");
            }
            print!("{}", server::outbox::report(&db, recent, json).await?);
            db.close().await;
        }
        Command::Deadlines { as_of, json } => {
            let today = match as_of {
                Some(raw) => app::domain::plan::parse_date(&raw, "as_of")
                    .map_err(|_| format!("--as-of: expected YYYY-MM-DD, got {raw:?}"))?,
                None => app::server::Clock::system().oslo_today(),
            };
            let db = server::open_existing(&config).await?;
            print!(
                "{}",
                server::deadlines::report(&db, today, config.due_soon_days, json).await?
            );
        }
        Command::ImportStays { file } => {
            let db = server::open_existing(&config).await?;
            let result = server::import::run(&db, &file).await;
            db.close().await;
            result?;
        }
        Command::Stats { year, json, csv } => {
            let format = match (json, csv) {
                (true, _) => server::stats::Format::Json,
                (_, true) => server::stats::Format::Csv,
                _ => server::stats::Format::Text,
            };
            let today = app::server::Clock::system().oslo_today();
            let db = server::open_existing(&config).await?;
            print!("{}", server::stats::report(&db, year, today, format).await?);
            db.close().await;
        }
        Command::Serve { seed_demo } => {
            let db = server::open_database(&config).await?;
            // Held while serving: `portal restore` refuses to replace the file under us.
            let _serving = match config.database_file() {
                Some(file) => Some(server::backup::ServeLock::take(&file)?),
                None => None,
            };
            if seed_demo {
                report_seed(demo::seed_demo(&db).await?);
                report_demo_plans(&db).await?;
            }
            let clock = server::clock(&config);
            let app = server::build_router_with_clock(db.clone(), &config, clock.clone()).await?;
            let cleanup = server::auth::spawn_expired_session_cleanup(server::auth::session_store(
                db.clone(),
            ));
            let nightly = config.backup_dir.clone().map(|dir| {
                tracing::info!(dir = %dir.display(), keep = config.backup_keep, "nightly backups at 03:30 Oslo time");
                server::backup::spawn_nightly(db.clone(), dir, config.backup_keep)
            });
            let mailer = std::sync::Arc::new(config.mailer()?);
            let sender = if config.send_mail {
                tracing::info!(
                    transport = mailer.describe(),
                    "sending the outbox's messages"
                );
                Some(app::server::notify::spawn(
                    app::server::notify::Sender::new(
                        db.clone(),
                        mailer,
                        clock,
                        config.notify_settings(),
                    ),
                ))
            } else {
                tracing::warn!("PORTAL_SEND_MAIL is off: messages wait in the outbox");
                None
            };
            let listener = tokio::net::TcpListener::bind(config.addr).await?;
            let addr = listener.local_addr()?;
            tracing::info!(%addr, "listening");
            println!("Reetableringsportalen kjører på http://{addr}  (Ctrl-C stopper)");
            let limits = server::ServeLimits {
                header_read: server::ServeLimits::HEADER_READ,
                shutdown: std::time::Duration::from_secs(config.shutdown_seconds),
            };
            server::serve_until(listener, app, shutdown_signal(), limits).await?;
            cleanup.abort();
            if let Some(sender) = sender {
                sender.abort();
            }
            if let Some(nightly) = nightly {
                nightly.abort();
            }
            db.close().await;
            tracing::info!("stopped");
        }
    }
    Ok(())
}

fn report_tables(copy: &server::backup::Verified) {
    for (table, rows) in &copy.tables {
        println!("  {table:<28} {rows:>9} rows");
    }
}

fn report_seed(outcome: demo::SeedOutcome) {
    match outcome {
        demo::SeedOutcome::Created {
            districts,
            services,
            contacts,
            users,
        } => {
            println!(
                "demo data created: {districts} districts, {services} services, {contacts} contacts, {users} users"
            );
            println!("demo logins (password for all: {}):", demo::DEMO_PASSWORD);
            for (local, name, ..) in demo::DEMO_USERS {
                println!("  {:<36} {name}", demo::demo_email(local));
            }
        }
        demo::SeedOutcome::AlreadyPresent => {
            println!("demo data: the directory is not empty, nothing added")
        }
    }
}

/// Adds the demo plans (dated from today) when there are no stays yet.
async fn report_demo_plans(db: &app::server::db::Db) -> Result<(), app::server::ServerError> {
    let created = demo::seed_demo_plans(db, time::OffsetDateTime::now_utc()).await?;
    if created > 0 {
        println!("demo plans created: {created} (fictitious residents, dated from today)");
    }
    Ok(())
}

fn init_tracing(config: &Config) {
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the server stops.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received");
}
