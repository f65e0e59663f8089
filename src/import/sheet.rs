//! Reading Excel workbooks (calamine): cells as numbers, and worksheets read within bounds.
//!
//! A workbook is small on the wire and can be huge in memory: calamine lays a sheet out as a dense
//! rows × columns grid, so one cell at A1 and one at XFD1048576 ask for 17 billion cells (an abort, not
//! a panic), and a zip part can unpack to a thousand times its size. So the unpacked size is counted
//! first, and each sheet is read cell by cell, its extent checked before the grid is allocated.

use super::ImportError;
use calamine::{Cell, Data, DataRef, Range, Reader, Xlsb, Xlsx, XlsxError};
use std::fmt::Display;
use std::io::{Cursor, Read};

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

/// What a workbook may cost to read.
struct Limits {
    /// Cells laid out in memory, summed over the sheets read (about 32 bytes each, plus text).
    cells: u64,
    /// Bytes the zip parts unpack to, all together.
    unpacked: u64,
}

/// 5 million cells (~160 MB) hold any table the app shows; bigger tables stream fine as CSV.
const LIMITS: Limits = Limits {
    cells: 5_000_000,
    unpacked: 1 << 30,
};

/// Every worksheet of the workbook with its cells (chart sheets are empty).
pub fn worksheets(file: &str, bytes: &[u8]) -> Result<Vec<(String, Range<Data>)>, ImportError> {
    read(file, bytes, usize::MAX, &LIMITS)
}

/// The first sheet of the workbook, if it has any.
pub fn first_worksheet(
    file: &str,
    bytes: &[u8],
) -> Result<Option<(String, Range<Data>)>, ImportError> {
    Ok(read(file, bytes, 1, &LIMITS)?.into_iter().next())
}

fn read(
    file: &str,
    bytes: &[u8],
    max_sheets: usize,
    limits: &Limits,
) -> Result<Vec<(String, Range<Data>)>, ImportError> {
    let fail = |reason: String| ImportError::NotATable {
        file: file.into(),
        reason,
    };
    // Before calamine opens it: opening reads the shared strings whole.
    check_unpacked(bytes, limits.unpacked).map_err(fail)?;
    let mut budget = limits.cells;
    let mut out = Vec::new();
    if let Ok(mut book) = Xlsx::new(Cursor::new(bytes)) {
        for name in book.sheet_names().into_iter().take(max_sheets) {
            let range = match book.worksheet_cells_reader(&name) {
                Ok(mut cells) => collect(&name, || cells.next_cell(), &mut budget),
                Err(XlsxError::NotAWorksheet(_)) => Ok(Range::empty()),
                Err(e) => Err(format!("sheet '{name}': {e}")),
            };
            out.push((name, range.map_err(fail)?));
        }
    } else if let Ok(mut book) = Xlsb::new(Cursor::new(bytes)) {
        for name in book.sheet_names().into_iter().take(max_sheets) {
            let range = match book.worksheet_cells_reader(&name) {
                Ok(mut cells) => collect(&name, || cells.next_cell(), &mut budget),
                Err(e) => Err(format!("sheet '{name}': {e}")),
            };
            out.push((name, range.map_err(fail)?));
        }
    } else {
        // OpenDocument and old .xls workbooks are parsed whole when opened, before any check can run.
        return Err(fail(
            "not a readable Excel workbook (.xlsx or .xlsb); save it as .xlsx or CSV".into(),
        ));
    }
    Ok(out)
}

/// Counts what the zip parts actually unpack to (their declared sizes may lie), stopping just past `limit`.
fn check_unpacked(bytes: &[u8], limit: u64) -> Result<(), String> {
    let unreadable = |e: &dyn Display| format!("not a readable workbook: {e}");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let mut total = 0;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| unreadable(&e))?;
        let name = part.name().to_string();
        let left = limit - total;
        total += std::io::copy(&mut (&mut part).take(left + 1), &mut std::io::sink())
            .map_err(|e| unreadable(&format!("part '{name}': {e}")))?;
        if total > limit {
            return Err(format!(
                "the workbook unpacks to more than {} MB (part '{name}'); at most {} MB are read from a \
                 workbook: save the table as CSV",
                limit >> 20,
                limit >> 20
            ));
        }
    }
    Ok(())
}

/// Reads a sheet's cells one at a time into a range, refusing (and naming the sheet and its extent) when
/// the rectangle they span would take more than `budget` cells; `budget` is reduced by what is taken.
fn collect<'a, E: Display>(
    sheet: &str,
    mut next: impl FnMut() -> Result<Option<Cell<DataRef<'a>>>, E>,
    budget: &mut u64,
) -> Result<Range<Data>, String> {
    let mut cells = Vec::new();
    let (mut top, mut left, mut bottom, mut right) = (u32::MAX, u32::MAX, 0, 0);
    let mut over = false;
    while let Some(cell) = next().map_err(|e| format!("sheet '{sheet}': {e}"))? {
        // Formatted but empty cells do not widen the table (calamine skips them too).
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (r, c) = cell.get_position();
        (top, left, bottom, right) = (top.min(r), left.min(c), bottom.max(r), right.max(c));
        // Past the budget, keep reading positions only, to report the sheet's whole extent.
        over = over || extent(top, left, bottom, right) > *budget;
        if over {
            cells = Vec::new();
        } else {
            cells.push(Cell::new((r, c), Data::from(cell.get_value().clone())));
        }
    }
    if over {
        let (rows, cols) = (bottom - top + 1, right - left + 1);
        return Err(format!(
            "sheet '{sheet}' spans {}:{} ({rows} rows × {cols} columns = {} cells); at most {budget} cells \
             are read from a workbook: delete stray cells far from the table, or save it as CSV",
            cell_name(top, left),
            cell_name(bottom, right),
            extent(top, left, bottom, right),
        ));
    }
    if !cells.is_empty() {
        *budget -= extent(top, left, bottom, right);
    }
    Ok(Range::from_sparse(cells))
}

fn extent(top: u32, left: u32, bottom: u32, right: u32) -> u64 {
    (u64::from(bottom - top) + 1) * (u64::from(right - left) + 1)
}

/// A cell's name as spreadsheets show it, from 0-based row and column: (0, 0) → "A1".
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

#[cfg(test)]
/// A minimal .xlsx for tests: one sheet named `sheet` whose data is `rows` (raw `<row>` XML).
pub(crate) fn test_workbook(sheet: &str, rows: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#),
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stray_far_cell_is_refused_naming_the_sheet_and_its_extent() {
        let bomb = test_workbook(
            "Data",
            r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>"#,
        );
        assert!(bomb.len() < 2000, "{} bytes", bomb.len());
        let err = first_worksheet("bomb.xlsx", &bomb).unwrap_err().to_string();
        assert!(
            err.contains("bomb.xlsx")
                && err.contains("sheet 'Data' spans A1:XFD1048576")
                && err.contains("1048576 rows × 16384 columns"),
            "{err}"
        );
    }

    #[test]
    fn a_sheet_within_bounds_reads_as_before() {
        let book = test_workbook(
            "Data",
            r#"<row r="2"><c r="B2" t="inlineStr"><is><t>year</t></is></c><c r="C2"><v>7</v></c></row><row r="4"><c r="D4"><v>1.5</v></c></row>"#,
        );
        let (name, range) = first_worksheet("ok.xlsx", &book).unwrap().unwrap();
        assert_eq!(name, "Data");
        assert_eq!((range.start(), range.end()), (Some((1, 1)), Some((3, 3))));
        assert_eq!(range.get_value((1, 1)), Some(&Data::String("year".into())));
        assert_eq!(range.get_value((3, 3)), Some(&Data::Float(1.5)));
        // Just under and just over a small budget.
        let limits = |cells| Limits {
            cells,
            unpacked: 1 << 20,
        };
        assert!(read("ok.xlsx", &book, 1, &limits(9)).is_ok());
        let err = read("ok.xlsx", &book, 1, &limits(8))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("spans B2:D4 (3 rows × 3 columns = 9 cells)"),
            "{err}"
        );
    }

    #[test]
    fn a_workbook_that_unpacks_too_large_is_refused_before_it_is_opened() {
        let row = r#"<row><c t="inlineStr"><is><t>padding padding padding</t></is></c></row>"#;
        let book = test_workbook("Data", &row.repeat(2000));
        let limits = Limits {
            cells: 1 << 20,
            unpacked: 64 << 10,
        };
        let err = read("big.xlsx", &book, 1, &limits).unwrap_err().to_string();
        assert!(
            err.contains("big.xlsx") && err.contains("part 'xl/worksheets/sheet1.xml'"),
            "{err}"
        );
        assert!(read("big.xlsx", &book, 1, &LIMITS).is_ok());
    }

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }
}
