//! Turning published files into datasets. Each format reads its file into an [`ImportBatch`] — the dataset,
//! its series and observations, and every row it had to skip with the reason — which the store then writes
//! in one transaction. Parsing never touches the database, so a file that cannot be read leaves no trace.

pub mod facts;

use crate::domain::{Dataset, Observation, Series};
use serde::Serialize;

/// One file's worth of data, ready to be written.
#[derive(Clone, Debug)]
pub struct ImportBatch {
    pub dataset: Dataset,
    pub series: Vec<Series>,
    pub observations: Vec<Observation>,
    pub skipped: Vec<RowError>,
}

/// A row (1-based, header = row 1) the importer could not take, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RowError {
    pub row: u64,
    pub column: String,
    pub reason: String,
}

/// Why a whole file could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: not a readable table: {reason}")]
    NotATable { file: String, reason: String },
    #[error("{file}: missing column '{column}' in the header")]
    MissingColumn { file: String, column: String },
    #[error("{file}: no rows could be imported ({skipped} skipped)")]
    Empty { file: String, skipped: usize },
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

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slug("AliExpress + Temu"), "aliexpress-temu");
        assert_eq!(slug("CBEC imports+exports (pilot cities)"), "cbec-imports-exports-pilot-cities");
        assert_eq!(slug("% of China CBEC exports"), "of-china-cbec-exports");
        assert_eq!(slug("platform_gmv"), "platform_gmv");
    }
}
