//! Reading Excel workbooks (calamine): cells as numbers, and opening a workbook with a clear error.

use super::ImportError;
use calamine::{Data, Sheets};
use std::io::Cursor;

/// A cell as a number: numbers as stored, numbers stored as text (as published files often do), empty
/// cells and placeholders as `None`.
pub fn number(cell: &Data) -> Result<Option<f64>, String> {
    match cell {
        Data::Float(f) => Ok(Some(*f)),
        Data::Int(i) => Ok(Some(*i as f64)),
        Data::String(s) => super::text::number(s),
        Data::Empty => Ok(None),
        other => Err(format!("'{other}' is not a number")),
    }
}

pub fn open<'a>(file: &str, bytes: &'a [u8]) -> Result<Sheets<Cursor<&'a [u8]>>, ImportError> {
    calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| ImportError::NotATable {
        file: file.into(),
        reason: format!("not a readable workbook: {e}"),
    })
}
