//! `portal import-stays FILE`: past stays from the crisis center's CSV file. A progress bar on a
//! terminal, a plain summary otherwise; on a refused file, every problem by line and column (up
//! to the first 200) on stderr and a non-zero exit, with nothing stored.

use app::server::db::Db;
use app::server::service::imports::{ImportRefused, ImportSource, import_stays};
use std::io::IsTerminal;
use std::path::Path;

/// Reads and imports `file`; the error says why nothing was stored.
pub async fn run(db: &Db, file: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let size = std::fs::metadata(file)
        .map_err(|e| format!("{}: {e}", file.display()))?
        .len();
    if size > app::server::import::MAX_BYTES as u64 {
        return Err(format!(
            "{}: larger than {} MiB; split it into several files",
            file.display(),
            app::server::import::MAX_BYTES >> 20
        )
        .into());
    }
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} stays written")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let progress = |done: u64, all: u64| {
        if let Some(bar) = &bar {
            bar.set_length(all);
            bar.set_position(done);
        }
    };
    let now = time::OffsetDateTime::now_utc();
    let today = app::server::Clock::system().oslo_today();
    let result = import_stays(
        db,
        now,
        today,
        None,
        ImportSource::Command,
        &bytes,
        &progress,
    )
    .await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(summary) if summary.added == 0 => {
            println!(
                "nothing added: all {} stays of the file were imported before",
                summary.known
            );
            Ok(())
        }
        Ok(summary) => {
            println!(
                "{} stays imported ({} rows, {} imported before and skipped)",
                summary.added, summary.rows, summary.known
            );
            Ok(())
        }
        Err(ImportRefused::Problems { total, listed }) => {
            for problem in &listed {
                eprintln!("{}: {problem}", file.display());
            }
            if total > listed.len() {
                eprintln!("... and {} more", total - listed.len());
            }
            Err(format!("the file was refused ({total} problems); nothing was imported").into())
        }
        Err(ImportRefused::Server(e)) => Err(e.into()),
    }
}
