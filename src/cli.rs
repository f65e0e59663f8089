//! `tradewinds import FILE…`: the importers on the command line, with the server's DATABASE_URL.
//!
//! Exit status 0 when every file was imported (rows it had to skip are reported), 1 when any file could
//! not be imported at all — then nothing of that file is written. SIGTERM or Ctrl-C stops the import
//! under way: its transaction is rolled back, the write-ahead log folded back and truncated, and the
//! status is 128 + the signal's number (143, 130); files already imported stay.

use crate::import::{self, Format, Input, Options, Progress, Summary};
use crate::store::Store;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Files to import.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// auto, long, comtrade, wdi, wits, imf-dots, owid or xlsx-long.
    #[arg(long, default_value = "auto")]
    pub format: String,
    /// Dataset id (default: format and file name); importing again replaces that dataset.
    #[arg(long)]
    pub dataset: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub publisher: Option<String>,
    #[arg(long)]
    pub source_url: Option<String>,
    #[arg(long)]
    pub licence: Option<String>,
    /// Text encoding (utf-8, windows-1252, latin1, gb18030, gbk, …); detected when not given.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Print one JSON summary per file to stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// WDI bulk downloads come with `Metadata_Country_<same name>` beside the data file.
fn wdi_metadata_beside(path: &Path) -> Option<Vec<u8>> {
    let name = path.file_name()?.to_str()?;
    let rest = name.strip_prefix("API_")?;
    std::fs::read(path.with_file_name(format!("Metadata_Country_API_{rest}"))).ok()
}

fn print_text(s: &Summary) {
    if s.unchanged {
        println!(
            "{}: unchanged since the last import (dataset {}: {} series, {} observations)",
            s.file, s.dataset, s.series, s.observations
        );
        return;
    }
    println!(
        "{}: imported as {} into dataset {}: {} series, {} observations, {} rows skipped",
        s.file, s.format, s.dataset, s.series, s.observations, s.skipped_rows
    );
    if !s.notes.is_empty() {
        println!("  {}", s.notes);
    }
    for e in s.errors.iter().take(20) {
        let column = if e.column.is_empty() {
            String::new()
        } else {
            format!(", column '{}'", e.column)
        };
        println!("  row {}{column}: {}", e.row, e.reason);
    }
    if s.skipped_rows > 20 {
        println!(
            "  … and {} more (use --json for the first {})",
            s.skipped_rows - 20,
            import::MAX_REPORTED_ERRORS
        );
    }
}

pub async fn import(database_url: &str, args: ImportArgs) -> ExitCode {
    let format = match args.format.as_str() {
        "auto" => None,
        f => match f.parse::<Format>() {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!("tradewinds import: {e}");
                return ExitCode::from(2);
            }
        },
    };
    if args.dataset.is_some() && args.files.len() > 1 {
        eprintln!(
            "tradewinds import: --dataset names one dataset; import one file at a time with it"
        );
        return ExitCode::from(2);
    }
    let store = match Store::open(database_url).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tradewinds import: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stop = std::pin::pin!(stop_signal());
    let mut failed = false;
    for path in &args.files {
        let input = Input::from_path(path);
        let opts = Options {
            format,
            dataset: args.dataset.clone(),
            title: args.title.clone(),
            publisher: args.publisher.clone(),
            source_url: args.source_url.clone(),
            licence: args.licence.clone(),
            encoding: args.encoding.clone(),
            wdi_metadata: wdi_metadata_beside(path),
            ..Options::default()
        };
        let bar = (!args.json && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(input.len().unwrap_or(0));
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_message(path.display().to_string());
            bar
        });
        let progress = match &bar {
            Some(b) => {
                let b = b.clone();
                Progress::new(move |n| b.set_position(n))
            }
            // Without a terminal (a service, a cron job, a pipe): a line at each tenth of the file read.
            None if !args.json => {
                let (name, total) = (path.display().to_string(), input.len().unwrap_or(0));
                let told = std::sync::atomic::AtomicU64::new(0);
                Progress::new(move |read| {
                    let tenth = read.saturating_mul(10) / total.max(1);
                    if (1..10).contains(&tenth)
                        && told.fetch_max(tenth, std::sync::atomic::Ordering::Relaxed) < tenth
                    {
                        eprintln!("tradewinds import: {name}: {}% read", tenth * 10);
                    }
                })
            }
            None => Progress::default(),
        };
        // A stop signal before the import commits rolls it back (after, it finishes).
        let mut stopped = None;
        let result = import::run_until(&store, input, opts, progress, async {
            let (name, status) = (&mut stop).await;
            stopped = Some(status);
            name.to_string()
        })
        .await;
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        match result {
            Ok(summary) if args.json => {
                println!("{}", serde_json::to_string(&summary).unwrap_or_default())
            }
            Ok(summary) => print_text(&summary),
            Err(e) if stopped.is_some() => {
                eprintln!("tradewinds import: {e}");
                // The last connection closed folds the log back into the database and removes it.
                store.close().await;
                return ExitCode::from(stopped.unwrap_or(1));
            }
            Err(e) => {
                failed = true;
                if args.json {
                    println!(
                        "{}",
                        serde_json::json!({ "file": path.display().to_string(), "error": e.to_string() })
                    );
                }
                eprintln!("tradewinds import: {e}");
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Resolves on SIGTERM (a service manager's stop, `kill`) or SIGINT (Ctrl-C) with the signal's name and
/// the exit status it stands for. Both are listened for from the start, so neither ends the process
/// with the import half-done.
async fn stop_signal() -> (&'static str, u8) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
            (Ok(mut term), Ok(mut int)) => tokio::select! {
                _ = term.recv() => ("SIGTERM", 143),
                _ = int.recv() => ("SIGINT", 130),
            },
            _ => std::future::pending().await,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        ("Ctrl-C", 130)
    }
}
