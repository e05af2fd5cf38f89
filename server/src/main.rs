//! `portal`: serve (default), migrate, seed-demo, check. Thin: the work is in the library.

use app::server::{db, demo};
use clap::Parser;
use server::config::{Cli, Command, Config, LogFormat};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

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
            let pool = server::open_database(&config).await?;
            report_seed(demo::seed_demo(&pool).await?);
            report_demo_plans(&pool).await?;
        }
        Command::CreateAdmin { email, name } => {
            let pool = server::open_database(&config).await?;
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                eprintln!("Password for {email} (at least 12 characters), then Enter:");
            }
            let mut password = String::new();
            std::io::stdin().read_line(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let id = server::create_admin(&pool, &email, &name, password).await?;
            println!("administrator created: user {id}");
        }
        Command::Check => {
            let pool = db::connect(&config.database_url).await?;
            let report = db::pragmas(&pool).await?;
            println!("sqlite_version={}", report.sqlite_version);
            println!("journal_mode={}", report.journal_mode);
            println!("synchronous={}", report.synchronous);
            println!("foreign_keys={}", report.foreign_keys);
            println!("busy_timeout={}", report.busy_timeout_ms);
            for (key, value) in config.describe() {
                println!("{key}={value}");
            }
            if !report.is_safe() {
                return Err("the database pragmas are not the ones the portal needs".into());
            }
        }
        Command::Deadlines { as_of, json } => {
            let today = match as_of {
                Some(raw) => app::domain::plan::parse_date(&raw, "as_of")
                    .map_err(|_| format!("--as-of: expected YYYY-MM-DD, got {raw:?}"))?,
                None => app::server::Clock::system().oslo_today(),
            };
            let pool = server::open_database(&config).await?;
            print!(
                "{}",
                server::deadlines::report(&pool, today, config.due_soon_days, json).await?
            );
        }
        Command::Serve { seed_demo } => {
            let pool = server::open_database(&config).await?;
            if seed_demo {
                report_seed(demo::seed_demo(&pool).await?);
                report_demo_plans(&pool).await?;
            }
            let app = server::build_router(pool.clone(), &config).await?;
            let cleanup = server::auth::spawn_expired_session_cleanup(
                server::auth::session_store(pool.clone()).await?,
            );
            let listener = tokio::net::TcpListener::bind(config.addr).await?;
            let addr = listener.local_addr()?;
            tracing::info!(%addr, "listening");
            println!("Reetableringsportalen kjører på http://{addr}  (Ctrl-C stopper)");
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(shutdown_signal())
            .await?;
            cleanup.abort();
            pool.close().await;
            tracing::info!("stopped");
        }
    }
    Ok(())
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
async fn report_demo_plans(pool: &sqlx::SqlitePool) -> Result<(), app::server::ServerError> {
    let created = demo::seed_demo_plans(pool, time::OffsetDateTime::now_utc()).await?;
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
