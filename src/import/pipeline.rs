//! The streaming, transactional import: [`run`] detects the format, skips a file already imported,
//! parses on a blocking thread and writes chunks sent over a bounded channel in one transaction, so
//! memory stays flat whatever the file size and a file lands whole or not at all.

use super::input::XLSX_LIMIT;
use super::{
    dataset_for, detect, parse, Format, ImportError, Input, Options, Progress, RowError, Sink,
};
use crate::domain::{Observation, Series};
use crate::store::{DatasetWriter, Store, StoreError};
use serde::Serialize;
use std::sync::Arc;

/// What an import did, as the CLI's `--json` prints it and the upload page shows it.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct Summary {
    pub file: String,
    pub format: Format,
    pub dataset: String,
    pub series: usize,
    pub observations: usize,
    pub skipped_rows: usize,
    /// The first skipped rows with reasons (all of them up to `MAX_REPORTED_ERRORS`).
    pub errors: Vec<RowError>,
    /// True when the same file was already imported and nothing was written.
    pub unchanged: bool,
    /// What the importer noted or had to assume about the file (also kept in the dataset's notes): how a
    /// `;`-separated file's numbers were read, incomplete years, ….
    pub notes: String,
}

/// How many row errors a summary lists; the count covers all of them.
pub const MAX_REPORTED_ERRORS: usize = 1000;

/// Messages from the parser thread to the database writer.
enum Chunk {
    Series(Vec<Series>),
    Observations(Vec<Observation>),
}

/// Sends rows to the writer in chunks; blocks when the writer is behind (bounded memory).
struct ChannelSink {
    tx: tokio::sync::mpsc::Sender<Chunk>,
    series: Vec<Series>,
    observations: Vec<Observation>,
    skipped: usize,
    errors: Vec<RowError>,
    observation_count: usize,
}

const CHUNK: usize = 4096;

impl ChannelSink {
    fn flush(&mut self) -> Result<(), ImportError> {
        let gone = |_| ImportError::Aborted("the database writer stopped".into());
        if !self.series.is_empty() {
            self.tx
                .blocking_send(Chunk::Series(std::mem::take(&mut self.series)))
                .map_err(gone)?;
        }
        if !self.observations.is_empty() {
            self.tx
                .blocking_send(Chunk::Observations(std::mem::take(&mut self.observations)))
                .map_err(gone)?;
        }
        Ok(())
    }
}

impl Sink for ChannelSink {
    fn series(&mut self, s: Series) -> Result<(), ImportError> {
        self.series.push(s);
        Ok(())
    }
    fn observation(&mut self, o: Observation) -> Result<(), ImportError> {
        self.observation_count += 1;
        // A series must be written before its observations (foreign key).
        if !self.series.is_empty()
            && (self.series.len() >= CHUNK || self.observations.len() >= CHUNK)
        {
            self.flush()?;
        }
        self.observations.push(o);
        if self.observations.len() >= CHUNK {
            self.flush()?;
        }
        Ok(())
    }
    fn skip(&mut self, e: RowError) {
        self.skipped += 1;
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(e);
        }
    }
}

/// Imports one file into the store in one transaction. Returns what was imported, or why nothing was.
/// Imports queue for the database (one writes at a time); afterwards, written or failed, the
/// write-ahead log is folded back and truncated.
pub async fn run(
    store: &Store,
    input: Input,
    opts: Options,
    progress: Progress,
) -> Result<Summary, ImportError> {
    run_until(store, input, opts, progress, std::future::pending()).await
}

/// As [`run`], stopped when `stop` resolves (with what stopped it: "SIGTERM") before the import
/// commits: then it is rolled back and the error says so. Once it commits, it finishes: the answer is
/// never "stopped" for a file that was written.
pub async fn run_until(
    store: &Store,
    input: Input,
    opts: Options,
    progress: Progress,
    stop: impl std::future::Future<Output = String>,
) -> Result<Summary, ImportError> {
    let file = input.name.clone();
    let result = match tokio::select! {
        written = write(store, input, opts, progress) => Ok(written),
        why = stop => Err(why),
    } {
        // The import was dropped with the `select!`: its transaction rolled back.
        Err(why) => Err(ImportError::Stopped { file, why }),
        Ok(Err(e)) => Err(e),
        Ok(Ok(Written::Unchanged(summary))) => Ok(summary),
        Ok(Ok(Written::Ready(writer, summary))) => writer
            .commit()
            .await
            .map(|_| summary)
            .map_err(|e| store_error(&file, e)),
    };
    if !result.as_ref().is_ok_and(|s| s.unchanged) {
        store.checkpoint().await;
    }
    result
}

/// A store error while importing `file`; a write the disk refused (full, or a file-size limit) says so.
fn store_error(file: &str, e: StoreError) -> ImportError {
    // SQLITE_IOERR (10) and SQLITE_FULL (13), with their extended codes.
    let refused = match &e {
        StoreError::Db(sqlx::Error::Database(d)) => d
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|c| matches!(c & 0xff, 10 | 13)),
        StoreError::Bulk(m) => m.contains("disk is full") || m.contains("disk I/O error"),
        _ => false,
    };
    match refused {
        true => ImportError::DiskFull {
            file: file.to_string(),
            reason: e.to_string(),
        },
        false => ImportError::Store(e, file.to_string()),
    }
}

/// A file read and written, short of the commit.
enum Written {
    /// The same file was imported before: nothing was written.
    Unchanged(Summary),
    /// Everything is in the open transaction; committing makes it visible.
    Ready(DatasetWriter, Summary),
}

async fn write(
    store: &Store,
    input: Input,
    opts: Options,
    progress: Progress,
) -> Result<Written, ImportError> {
    if let Some(link) = opts.source_url.as_deref().filter(|l| crate::strings::safe_link(l).is_none()) {
        return Err(ImportError::BadLink {
            file: input.name.clone(),
            link: link.to_string(),
        });
    }
    let input = Arc::new(input);
    let format = match opts.format {
        Some(f) => f,
        None => {
            let i = input.clone();
            tokio::task::spawn_blocking(move || {
                let head = i.head()?;
                match head.starts_with(b"PK\x03\x04") {
                    true => detect(&i.name, &head, Some(&i.read_all(XLSX_LIMIT)?)),
                    false => detect(&i.name, &head, None),
                }
            })
            .await
            .map_err(|e| ImportError::Aborted(e.to_string()))??
        }
    };
    let mut dataset = dataset_for(&input, format, &opts);
    if !dataset.id.chars().any(char::is_alphanumeric) {
        return Err(ImportError::EmptyId {
            file: input.name.clone(),
            id: dataset.id,
        });
    }
    let hash = {
        let i = input.clone();
        tokio::task::spawn_blocking(move || i.content_hash())
            .await
            .map_err(|e| ImportError::Aborted(e.to_string()))??
    };
    let file = input.name.clone();
    let store_err = |e: StoreError| store_error(&file, e);
    if store.dataset_hash(&dataset.id).await.map_err(store_err)?.as_deref() == Some(hash.as_str()) {
        return Ok(Written::Unchanged(unchanged(store, &file, format, dataset.id).await?));
    }

    let defer_statistics = opts.defer_statistics;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Chunk>(8);
    let parser = {
        let input = input.clone();
        let dataset_id = dataset.id.clone();
        tokio::task::spawn_blocking(move || {
            let mut sink = ChannelSink {
                tx,
                series: vec![],
                observations: vec![],
                skipped: 0,
                errors: vec![],
                observation_count: 0,
            };
            let notes = parse(&input, format, &opts, &dataset_id, &mut sink, &progress);
            let flushed = sink.flush();
            notes
                .and_then(|n| flushed.map(|_| n))
                .map(|n| (n, sink.observation_count, sink.skipped, sink.errors))
        })
    };
    let mut writer = store
        .begin_dataset(&dataset, &hash)
        .await
        .map_err(store_err)?;
    if defer_statistics {
        writer.defer_statistics();
    }
    if writer.already_current() {
        // Written by another writer while this one waited for its turn (two instances starting).
        drop((writer, rx));
        let _ = parser.await;
        return Ok(Written::Unchanged(unchanged(store, &file, format, dataset.id).await?));
    }
    let mut series_count = 0;
    let mut write_error = None;
    while let Some(chunk) = rx.recv().await {
        let result = match chunk {
            Chunk::Series(s) => {
                series_count += s.len();
                writer.add_series(&s).await
            }
            Chunk::Observations(o) => writer.add_observations(&o).await,
        };
        if let Err(e) = result {
            // Dropping the receiver stops the parser; dropping the writer rolls everything back.
            write_error = Some(e);
            break;
        }
    }
    drop(rx);
    let parsed = parser
        .await
        .map_err(|e| ImportError::Aborted(e.to_string()))?;
    if let Some(e) = write_error {
        return Err(store_err(e));
    }
    let (notes, observations, skipped, errors) = parsed?;
    if observations == 0 {
        let first = errors
            .first()
            .map(|e| {
                format!(
                    "; first: row {}, column '{}': {}",
                    e.row, e.column, e.reason
                )
            })
            .unwrap_or_default();
        return Err(ImportError::Empty {
            file: input.name.clone(),
            skipped,
            first,
        });
    }
    if !notes.is_empty() {
        dataset.notes = if dataset.notes.is_empty() {
            notes.clone()
        } else {
            format!("{} {notes}", dataset.notes)
        };
        writer.set_notes(&dataset.notes).await.map_err(store_err)?;
    }
    Ok(Written::Ready(writer, Summary {
        file: input.name.clone(),
        format,
        dataset: dataset.id,
        series: series_count,
        observations,
        skipped_rows: skipped,
        errors,
        unchanged: false,
        notes,
    }))
}

/// The summary of a file imported before: nothing written, the dataset as it stands.
async fn unchanged(store: &Store, file: &str, format: Format, dataset: String) -> Result<Summary, ImportError> {
    let (series, observations) = store
        .dataset_counts(&dataset)
        .await
        .map_err(|e| store_error(file, e))?;
    Ok(Summary {
        file: file.to_string(),
        format,
        dataset,
        series,
        observations,
        skipped_rows: 0,
        errors: vec![],
        unchanged: true,
        notes: String::new(),
    })
}
