//! Turning published files into datasets.
//!
//! Each format module reads its file and hands series and observations to a [`Sink`], reporting every row
//! it had to skip with the reason. [`run`] streams that into the store: the parser runs on a blocking
//! thread and sends chunks over a bounded channel to one database transaction, so memory stays flat
//! whatever the file size and a file lands whole or not at all (also if the process dies midway).
//!
//! Layout: this file holds what parsers share (rows, errors, sinks, options); `registry` lists the
//! formats (one `SPEC` per format module), `input` the file being read and `pipeline` the import itself.

pub mod cepii_dist;
pub mod cepii_geo;
pub mod comtrade;
pub mod comtrade_legacy;
pub mod datahub;
pub mod imf_dots;
mod input;
mod layout;
pub mod japan_customs;
pub mod long;
pub mod lpi;
pub mod oec_hs2;
pub mod ots;
pub mod ots_products;
pub mod ots_world;
pub mod owid;
mod pipeline;
mod registry;
pub mod sheet;
pub mod text;
pub mod us_tariffs_by_country;
pub mod us_tariffs_hs2;
pub mod wdi;
pub mod wdi_ddf;
pub mod wits;
pub mod wto_mfn;
pub mod xlsx_long;

pub use input::{Input, InputBytes, Progress};
pub use pipeline::{run, run_until, Summary, MAX_REPORTED_ERRORS};
pub use registry::{dataset_for, detect, parse, Defaults, Detect, Format, FormatSpec, Parse};

use crate::domain::{Observation, Series};
use crate::geo::Place;
use crate::store::StoreError;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A row (1-based, as a spreadsheet numbers them) the importer could not take, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    #[error("{file}: the source link '{link}' is not a web address (http:// or https://) or a path on this site")]
    BadLink { file: String, link: String },
    #[error("{file}: the dataset id '{id}' has no letter or digit; name the dataset with some")]
    EmptyId { file: String, id: String },
    #[error("{file}: unknown encoding '{name}'")]
    Encoding { file: String, name: String },
    #[error("{file}: {0}", file = .1)]
    Store(StoreError, String),
    #[error("{file}: the database could not be written — is the disk full? Nothing of this file was written ({reason})")]
    DiskFull { file: String, reason: String },
    #[error("import stopped: {0}")]
    Aborted(String),
    #[error("{file}: stopped by {why} before it finished; nothing of this file was written")]
    Stopped { file: String, why: String },
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

/// Series already built, by the raw fields that decide them: most rows repeat a series, and building
/// one (slugs, place look-ups) costs more than the row itself.
#[derive(Default)]
pub struct SeriesCache {
    known: HashMap<String, String>,
    set: SeriesSet,
    key: String,
}

impl SeriesCache {
    /// The id of the series these fields decide; `build` runs (and the series is emitted) the first time.
    pub fn id(
        &mut self,
        sink: &mut dyn Sink,
        fields: &[&str],
        build: impl FnOnce() -> Series,
    ) -> Result<String, ImportError> {
        self.key.clear();
        for f in fields {
            self.key.push_str(f);
            self.key.push('\u{1f}');
        }
        if let Some(id) = self.known.get(&self.key) {
            return Ok(id.clone());
        }
        let id = self.set.ensure(sink, build())?;
        self.known.insert(self.key.clone(), id.clone());
        Ok(id)
    }
}

/// The file's name without folders and extension, lower case: some files say in their name what their
/// columns do not (the reporter, the indicator).
pub fn base_stem(file: &str) -> String {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem.to_ascii_lowercase()
}

/// Identifiers from free text (dataset and series ids): the crate's readable slug, which keeps ASCII
/// letters and digits only. Text with other characters ("出口", "Côte d'Ivoire") would lose them, and
/// different labels would share an id, so its slug ends with a hash of the whole text: unique, and the
/// same at every import. ASCII text keeps its plain slug (existing ids appear in URLs).
pub fn slug(text: &str) -> String {
    let readable = crate::strings::slug(text);
    if text.is_ascii() {
        return readable;
    }
    let hash = short_hash(text);
    if readable.is_empty() {
        hash
    } else {
        format!("{readable}-{hash}")
    }
}

/// Ten hex digits of the text's SHA-256: stable across builds and platforms (std's hasher is not).
pub fn short_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())[..5]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
    /// The caller imports more files and refreshes the database's planner statistics once at the end
    /// (`Store::refresh_statistics`), instead of after each file.
    pub defer_statistics: bool,
}
