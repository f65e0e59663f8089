//! Turning published files into datasets.
//!
//! Each format module reads its file and hands series and observations to a [`Sink`], reporting every row
//! it had to skip with the reason. [`run`] streams that into the store: the parser runs on a blocking
//! thread and sends chunks over a bounded channel to one database transaction, so memory stays flat
//! whatever the file size and a file lands whole or not at all (also if the process dies midway).

pub mod comtrade;
pub mod imf_dots;
pub mod long;
pub mod owid;
pub mod sheet;
pub mod text;
pub mod wdi;
pub mod wits;
pub mod xlsx_long;

use crate::domain::{Dataset, Observation, Series};
use crate::geo::Place;
use crate::store::{Store, StoreError};
use serde::Serialize;
use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use std::str::FromStr;
use std::sync::Arc;

/// The file formats Tradewinds reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// The project's long CSV (series_id, origin, destination, platform, category, period, value, unit, …).
    Long,
    Comtrade,
    Wdi,
    Wits,
    ImfDots,
    Owid,
    XlsxLong,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Long,
        Format::Comtrade,
        Format::Wdi,
        Format::Wits,
        Format::ImfDots,
        Format::Owid,
        Format::XlsxLong,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Long => "long",
            Format::Comtrade => "comtrade",
            Format::Wdi => "wdi",
            Format::Wits => "wits",
            Format::ImfDots => "imf-dots",
            Format::Owid => "owid",
            Format::XlsxLong => "xlsx-long",
        }
    }

    fn is_excel(self) -> bool {
        matches!(self, Format::ImfDots | Format::XlsxLong)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown format '{s}'; use auto or one of: {}",
                    names.join(", ")
                )
            })
    }
}

/// A row (1-based, as a spreadsheet numbers them) the importer could not take, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RowError {
    pub row: u64,
    pub column: String,
    pub reason: String,
}

/// Why a whole file could not be imported. Nothing of such a file is written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: cannot read: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("{file}: not a readable table: {reason}")]
    NotATable { file: String, reason: String },
    #[error("{file}: unknown format ({reason}); name it with --format {formats}")]
    UnknownFormat {
        file: String,
        reason: String,
        formats: String,
    },
    #[error("{file}: missing column '{column}' in the header")]
    MissingColumn { file: String, column: String },
    #[error("{file}: no rows could be imported ({skipped} skipped){first}")]
    Empty {
        file: String,
        skipped: usize,
        first: String,
    },
    #[error("{file}: unknown encoding '{name}'")]
    Encoding { file: String, name: String },
    #[error("{file}: {0}", file = .1)]
    Store(StoreError, String),
    #[error("import stopped: {0}")]
    Aborted(String),
}

/// Where parsed rows go: an in-memory batch (tests, seeding small files) or the streaming writer.
pub trait Sink {
    fn series(&mut self, s: Series) -> Result<(), ImportError>;
    fn observation(&mut self, o: Observation) -> Result<(), ImportError>;
    fn skip(&mut self, e: RowError);
}

/// One file's worth of data held in memory.
#[derive(Clone, Debug, Default)]
pub struct ImportBatch {
    pub series: Vec<Series>,
    pub observations: Vec<Observation>,
    pub skipped: Vec<RowError>,
}

impl Sink for ImportBatch {
    fn series(&mut self, s: Series) -> Result<(), ImportError> {
        self.series.push(s);
        Ok(())
    }
    fn observation(&mut self, o: Observation) -> Result<(), ImportError> {
        self.observations.push(o);
        Ok(())
    }
    fn skip(&mut self, e: RowError) {
        self.skipped.push(e);
    }
}

#[cfg(test)]
impl ImportBatch {
    /// The values of one series in one period (tests check them against the file).
    pub fn values(&self, series_id: &str, period: &str) -> Vec<f64> {
        self.observations
            .iter()
            .filter(|o| o.series_id == series_id && o.period.to_string() == period)
            .map(|o| o.value)
            .collect()
    }
}

/// Emits each series once, the first time one of its observations is seen.
#[derive(Default)]
pub struct SeriesSet {
    seen: HashSet<String>,
}

impl SeriesSet {
    /// Returns the series id, emitting the series to `sink` if it is new.
    pub fn ensure(&mut self, sink: &mut dyn Sink, series: Series) -> Result<String, ImportError> {
        let id = series.id.clone();
        if self.seen.insert(id.clone()) {
            sink.series(series)?;
        }
        Ok(id)
    }

    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

/// A lowercase ASCII identifier from free text: "AliExpress + Temu" → "aliexpress-temu".
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c == '_' {
            out.push('_');
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A series with its places harmonised: `origin`/`destination` keep the source's labels.
pub fn series_with_places(mut s: Series, origin: Place, destination: Place) -> Series {
    s.origin_code = origin.code.unwrap_or_default();
    s.origin_kind = origin.kind.as_str().to_string();
    s.destination_code = destination.code.unwrap_or_default();
    s.destination_kind = destination.kind.as_str().to_string();
    s
}

/// Emits one wide row (a value per period), creating the series at its first value so that a row of
/// placeholders makes no empty series. Unreadable cells are reported with the period as their column.
pub fn emit_wide(
    sink: &mut dyn Sink,
    set: &mut SeriesSet,
    series: &Series,
    row: u64,
    column_prefix: &str,
    cells: impl Iterator<Item = (crate::domain::Period, Result<Option<f64>, String>)>,
) -> Result<(), ImportError> {
    let mut id: Option<String> = None;
    for (period, cell) in cells {
        match cell {
            Ok(Some(v)) => {
                let sid = match &id {
                    Some(s) => s,
                    None => id.insert(set.ensure(sink, series.clone())?),
                };
                sink.observation(Observation::new(sid, period, v))?;
            }
            Ok(None) => {}
            Err(reason) => sink.skip(RowError {
                row,
                column: format!("{column_prefix}{period}"),
                reason,
            }),
        }
    }
    Ok(())
}

/// What the user said about the dataset; unset fields take the format's defaults.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub format: Option<Format>,
    pub dataset: Option<String>,
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub source_url: Option<String>,
    pub licence: Option<String>,
    pub encoding: Option<String>,
    pub retrieved: Option<String>,
    pub notes: Option<String>,
    /// Metadata_Country file for WDI (marks aggregates); the CLI finds it beside the data file.
    pub wdi_metadata: Option<Vec<u8>>,
}

/// A file to import: its name (for messages and the default dataset id) and its bytes.
pub struct Input {
    pub name: String,
    pub bytes: InputBytes,
}

pub enum InputBytes {
    Memory(Arc<[u8]>),
    File(std::path::PathBuf),
}

impl Input {
    pub fn from_bytes(name: &str, bytes: impl Into<Arc<[u8]>>) -> Input {
        Input {
            name: name.to_string(),
            bytes: InputBytes::Memory(bytes.into()),
        }
    }

    pub fn from_path(path: &std::path::Path) -> Input {
        Input {
            name: path.display().to_string(),
            bytes: InputBytes::File(path.to_path_buf()),
        }
    }

    fn open(&self) -> Result<Box<dyn Read + Send>, ImportError> {
        match &self.bytes {
            InputBytes::Memory(b) => Ok(Box::new(std::io::Cursor::new(b.clone()))),
            InputBytes::File(p) => std::fs::File::open(p)
                .map(|f| {
                    Box::new(std::io::BufReader::with_capacity(1 << 16, f)) as Box<dyn Read + Send>
                })
                .map_err(|e| ImportError::Unreadable {
                    file: self.name.clone(),
                    reason: e.to_string(),
                }),
        }
    }

    pub fn len(&self) -> Option<u64> {
        match &self.bytes {
            InputBytes::Memory(b) => Some(b.len() as u64),
            InputBytes::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The first 64 KiB, for sniffing the format and encoding.
    fn head(&self) -> Result<Vec<u8>, ImportError> {
        let mut head = Vec::with_capacity(1 << 16);
        self.open()?
            .take(1 << 16)
            .read_to_end(&mut head)
            .map_err(|e| ImportError::Unreadable {
                file: self.name.clone(),
                reason: e.to_string(),
            })?;
        Ok(head)
    }

    fn read_all(&self, limit: u64) -> Result<Vec<u8>, ImportError> {
        let mut all = Vec::new();
        self.open()?
            .take(limit + 1)
            .read_to_end(&mut all)
            .map_err(|e| ImportError::Unreadable {
                file: self.name.clone(),
                reason: e.to_string(),
            })?;
        if all.len() as u64 > limit {
            return Err(ImportError::NotATable {
                file: self.name.clone(),
                reason: format!(
                    "spreadsheets over {} MB are not supported; export it as CSV",
                    limit >> 20
                ),
            });
        }
        Ok(all)
    }

    fn stem(&self) -> String {
        let base = self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name);
        base.rsplit_once('.').map_or(base, |(s, _)| s).to_string()
    }

    /// SHA-256 of the content: re-importing an unchanged file is recognised and skipped.
    pub fn content_hash(&self) -> Result<String, ImportError> {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        let mut reader = self.open()?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = reader.read(&mut buf).map_err(|e| ImportError::Unreadable {
                file: self.name.clone(),
                reason: e.to_string(),
            })?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        Ok(hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect())
    }
}

const XLSX_LIMIT: u64 = 200 << 20;

/// Guesses the format from the file's first bytes; a workbook is opened (`full`) to tell IMF DOTS reports
/// from long tables.
pub fn detect(name: &str, head: &[u8], full: Option<&[u8]>) -> Result<Format, ImportError> {
    let unknown = |reason: &str| ImportError::UnknownFormat {
        file: name.to_string(),
        reason: reason.to_string(),
        formats: Format::ALL
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join("|"),
    };
    if head.is_empty() {
        return Err(ImportError::NotATable {
            file: name.into(),
            reason: "the file is empty".into(),
        });
    }
    if head.starts_with(b"PK\x03\x04") {
        // An Excel workbook: IMF DOTS reports say so in their title rows; anything else is a long table.
        return Ok(if full.is_some_and(imf_dots::looks_like) {
            Format::ImfDots
        } else {
            Format::XlsxLong
        });
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(unknown(
            "an old binary .xls workbook; save it as .xlsx or CSV",
        ));
    }
    let text = text::sniff_text(head).ok_or_else(|| ImportError::NotATable {
        file: name.into(),
        reason: "binary data, not text or a spreadsheet".into(),
    })?;
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let header = |l: &str| l.replace('"', "").to_ascii_lowercase();
    let first_h = header(first);
    if first_h.starts_with("data source,") {
        return Ok(Format::Wdi);
    }
    if first_h.contains("reporteriso")
        && first_h.contains("partneriso")
        && first_h.contains("flowcode")
    {
        return Ok(Format::Comtrade);
    }
    if first_h.starts_with("reporter,partner,product categories,indicator type,indicator") {
        return Ok(Format::Wits);
    }
    if first_h.starts_with("entity,code,year,") {
        return Ok(Format::Owid);
    }
    let cols: Vec<&str> = first_h.split(',').map(str::trim).collect();
    if ["series_id", "period", "value", "unit"]
        .iter()
        .all(|c| cols.contains(c))
    {
        return Ok(Format::Long);
    }
    if cols.len() < 2 {
        return Err(ImportError::NotATable {
            file: name.into(),
            reason: "the first line has no commas: not a comma-separated table (semicolons or tabs are not supported)".into(),
        });
    }
    Err(unknown("the header matches none of the known layouts"))
}

/// The dataset as stored: the user's options over the format's defaults.
pub fn dataset_for(input: &Input, format: Format, opts: &Options) -> Dataset {
    let defaults = match format {
        Format::Long => (
            "Own data (long format)",
            "not stated — set --publisher",
            None,
            "not stated; see the publisher's terms",
        ),
        Format::Comtrade => (
            "UN Comtrade download",
            "United Nations Statistics Division (UN Comtrade)",
            Some("https://comtradeplus.un.org/"),
            "UN Comtrade terms of use; attribution required",
        ),
        Format::Wdi => (
            "World Development Indicators",
            "World Bank (WDI)",
            Some("https://data.worldbank.org/"),
            "CC BY 4.0 (World Bank)",
        ),
        Format::Wits => (
            "WITS trade summary",
            "World Bank (WITS)",
            Some("https://wits.worldbank.org/"),
            "World Bank WITS terms; attribution required",
        ),
        Format::ImfDots => (
            "IMF Direction of Trade Statistics",
            "International Monetary Fund (DOTS)",
            Some("https://data.imf.org/"),
            "IMF terms of use; attribution required",
        ),
        Format::Owid => (
            "Our World in Data grapher data",
            "Our World in Data",
            Some("https://ourworldindata.org/"),
            "see the original data provider's terms; attribution required",
        ),
        Format::XlsxLong => (
            "Spreadsheet (long format)",
            "not stated — set --publisher",
            None,
            "not stated; see the publisher's terms",
        ),
    };
    Dataset {
        id: opts
            .dataset
            .clone()
            .unwrap_or_else(|| format!("{}-{}", format.name(), slug(&input.stem()))),
        title: opts
            .title
            .clone()
            .unwrap_or_else(|| format!("{} — {}", defaults.0, input.stem())),
        publisher: opts
            .publisher
            .clone()
            .unwrap_or_else(|| defaults.1.to_string()),
        source_url: opts
            .source_url
            .clone()
            .or_else(|| defaults.2.map(str::to_string)),
        licence: opts
            .licence
            .clone()
            .unwrap_or_else(|| defaults.3.to_string()),
        retrieved: opts.retrieved.clone(),
        notes: opts.notes.clone().unwrap_or_default(),
    }
}

/// Parses `input` in `format` into `sink`; returns notes for the dataset (e.g. what a file's quirks meant).
pub fn parse(
    input: &Input,
    format: Format,
    opts: &Options,
    dataset_id: &str,
    sink: &mut dyn Sink,
    progress: &Progress,
) -> Result<String, ImportError> {
    if format.is_excel() {
        let bytes = input.read_all(XLSX_LIMIT)?;
        progress.set(bytes.len() as u64);
        return match format {
            Format::ImfDots => imf_dots::parse(&input.name, &bytes, dataset_id, sink),
            _ => xlsx_long::parse(&input.name, &bytes, dataset_id, sink),
        };
    }
    let head = input.head()?;
    let encoding = text::choose_encoding(&input.name, &head, opts.encoding.as_deref())?;
    let reader = text::decoding_reader(progress.wrap(input.open()?), encoding);
    match format {
        Format::Long => long::parse(&input.name, reader, dataset_id, sink),
        Format::Comtrade => comtrade::parse(&input.name, reader, dataset_id, sink),
        Format::Wdi => wdi::parse(
            &input.name,
            reader,
            dataset_id,
            opts.wdi_metadata.as_deref(),
            sink,
        ),
        Format::Wits => wits::parse(&input.name, reader, dataset_id, sink),
        Format::Owid => owid::parse(&input.name, reader, dataset_id, sink),
        Format::ImfDots | Format::XlsxLong => unreachable!("handled above"),
    }
}

/// Byte progress of a running import (a terminal bar, an upload page), if anyone is watching.
#[derive(Clone, Default)]
pub struct Progress(Option<Arc<dyn Fn(u64) + Send + Sync>>);

impl Progress {
    pub fn new(f: impl Fn(u64) + Send + Sync + 'static) -> Progress {
        Progress(Some(Arc::new(f)))
    }

    fn set(&self, bytes: u64) {
        if let Some(f) = &self.0 {
            f(bytes);
        }
    }

    fn wrap(&self, inner: Box<dyn Read + Send>) -> Box<dyn Read + Send> {
        match &self.0 {
            None => inner,
            Some(f) => Box::new(CountingReader {
                inner,
                read: 0,
                report: f.clone(),
            }),
        }
    }
}

struct CountingReader {
    inner: Box<dyn Read + Send>,
    read: u64,
    report: Arc<dyn Fn(u64) + Send + Sync>,
}

impl Read for CountingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        (self.report)(self.read);
        Ok(n)
    }
}

/// What an import did, as the CLI's `--json` prints it and the upload page shows it.
#[derive(Clone, Debug, Serialize)]
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
pub async fn run(
    store: &Store,
    input: Input,
    opts: Options,
    progress: Progress,
) -> Result<Summary, ImportError> {
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
    let hash = {
        let i = input.clone();
        tokio::task::spawn_blocking(move || i.content_hash())
            .await
            .map_err(|e| ImportError::Aborted(e.to_string()))??
    };
    let file = input.name.clone();
    let store_err = |e: StoreError| ImportError::Store(e, file.clone());
    if store
        .dataset_hash(&dataset.id)
        .await
        .map_err(store_err)?
        .as_deref()
        == Some(hash.as_str())
    {
        let (series, observations) = store.dataset_counts(&dataset.id).await.map_err(store_err)?;
        return Ok(Summary {
            file: input.name.clone(),
            format,
            dataset: dataset.id,
            series,
            observations,
            skipped_rows: 0,
            errors: vec![],
            unchanged: true,
        });
    }

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
            notes
        } else {
            format!("{} {notes}", dataset.notes)
        };
        writer.set_notes(&dataset.notes).await.map_err(store_err)?;
    }
    writer.commit().await.map_err(store_err)?;
    Ok(Summary {
        file: input.name.clone(),
        format,
        dataset: dataset.id,
        series: series_count,
        observations,
        skipped_rows: skipped,
        errors,
        unchanged: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slug("AliExpress + Temu"), "aliexpress-temu");
        assert_eq!(
            slug("CBEC imports+exports (pilot cities)"),
            "cbec-imports-exports-pilot-cities"
        );
        assert_eq!(slug("platform_gmv"), "platform_gmv");
    }

    #[test]
    fn formats_are_detected_from_the_shipped_files() {
        let cases: [(&str, &[u8], Format); 7] = [
            (
                "seed_facts.csv",
                include_bytes!("../../data/facts/seed_facts.csv"),
                Format::Long,
            ),
            (
                "TradeData.csv",
                include_bytes!("../../data/raw/comtrade_plus/TradeData_4_4_2025_15_19_17.csv"),
                Format::Comtrade,
            ),
            (
                "API.csv",
                include_bytes!("../../data/raw/wdi/API_NE.EXP.GNFS.CD_DS2_en_csv_v2_3025.csv"),
                Format::Wdi,
            ),
            (
                "wits.CSV",
                include_bytes!("../../data/raw/wits/en_CHN_AllYears_WITS_Trade_Summary.CSV"),
                Format::Wits,
            ),
            (
                "owid.csv",
                include_bytes!("../../data/raw/owid/merchandise-exports-gdp-cepii.csv"),
                Format::Owid,
            ),
            (
                "DOTS_40.xlsx",
                include_bytes!("../../data/raw/imf_dots/DOTS_40.xlsx"),
                Format::ImfDots,
            ),
            (
                "reverse.xlsx",
                include_bytes!(
                    "../../data/raw/cipf_comtrade/China_2.1.1_top_export_partners_reverse.xlsx"
                ),
                Format::XlsxLong,
            ),
        ];
        for (name, bytes, want) in cases {
            let head = &bytes[..bytes.len().min(1 << 16)];
            assert_eq!(detect(name, head, Some(bytes)).unwrap(), want, "{name}");
        }
    }

    #[test]
    fn garbage_empty_and_wrong_delimiters_are_refused_with_a_reason() {
        assert!(matches!(
            detect("x", b"", None),
            Err(ImportError::NotATable { .. })
        ));
        let garbage: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(matches!(
            detect("x.bin", &garbage, None),
            Err(ImportError::NotATable { .. })
        ));
        let semicolons = b"series_id;period;value;unit\na;2024;1;u\n";
        let err = detect("x.csv", semicolons, None).unwrap_err().to_string();
        assert!(err.contains("not a comma-separated table"), "{err}");
        let other = b"name,age\nann,3\n";
        assert!(matches!(
            detect("x.csv", other, None),
            Err(ImportError::UnknownFormat { .. })
        ));
        assert_eq!("wdi".parse::<Format>(), Ok(Format::Wdi));
        assert!("xls".parse::<Format>().unwrap_err().contains("imf-dots"));
    }
}
