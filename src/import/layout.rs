//! Text tables as spreadsheets save them outside the English-speaking world: `;`, tab or `|` between
//! fields, and numbers with decimal commas ("1.234,5"). The separator is sniffed from the file's head;
//! such files are re-written, streaming, as the comma-separated, decimal-point text every parser reads.
//!
//! The decimal mark is taken from evidence only: "12,5", "0,25" or "1.234,5" show decimal commas,
//! "12.5" or "23,837,402,142.0" decimal points. "1,234" alone could be either, so it is refused (naming
//! row and column) until another value has shown which; values that contradict the mark are refused
//! too. Comma-separated files are passed through untouched, as before.

use super::ImportError;
use std::io::{self, Read};
use std::sync::{Arc, Mutex};

/// The separators tried, the comma first: it wins ties.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many records of the head the separator is judged on.
const SNIFF_RECORDS: usize = 50;

/// The field separator that splits the head's records most consistently into two or more fields.
pub fn delimiter(head: &str) -> u8 {
    // Only whole lines: the head may end mid-record.
    let whole = head.rfind('\n').map_or(head, |end| &head[..end]);
    let score = |d: u8| {
        let mut counts = std::collections::HashMap::<usize, usize>::new();
        csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(whole.as_bytes())
            .records()
            .take(SNIFF_RECORDS)
            .filter_map(Result::ok)
            .filter(|r| r.len() >= 2)
            .for_each(|r| *counts.entry(r.len()).or_default() += 1);
        counts.into_values().max().unwrap_or(0)
    };
    let scores = DELIMITERS.map(score);
    let best = (0..DELIMITERS.len())
        .max_by_key(|&i| (scores[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    DELIMITERS[best]
}

/// Names a separator in messages.
pub fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".into(),
        d => format!("'{}'", d as char),
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mark {
    Point,
    Comma,
}

/// What one field says about the decimal mark.
#[derive(Debug, PartialEq)]
enum Says {
    /// Not a number with separators (text, "12", "2024").
    Nothing,
    Mark(Mark),
    /// "1,234" or "1.234": thousands or decimals, depending on the file.
    Either,
}

fn says(field: &str) -> Says {
    let s = field.trim();
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !s.bytes().any(|b| b.is_ascii_digit())
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
    {
        return Says::Nothing;
    }
    let (commas, points) = (s.matches(',').count(), s.matches('.').count());
    // Groups of three after the first group of one to three digits, as thousands separators write them.
    let grouped = |int: &str, sep: char| {
        let mut groups = int.split(sep);
        let first = groups.next().unwrap_or("");
        (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
    };
    let one = |sep: char, mark: Mark| {
        let (before, after) = s.split_once(sep).unwrap_or((s, ""));
        if after.len() == 3 && (1..=3).contains(&before.len()) && !before.starts_with('0') {
            Says::Either
        } else {
            Says::Mark(mark)
        }
    };
    match (commas, points) {
        (0, 0) => Says::Nothing,
        (1, 0) => one(',', Mark::Comma),
        (0, 1) => one('.', Mark::Point),
        (_, 0) if grouped(s, ',') => Says::Mark(Mark::Point),
        (0, _) if grouped(s, '.') => Says::Mark(Mark::Comma),
        _ => {
            // Both: the last one is the decimal mark, the other groups thousands.
            let last = s.rfind([',', '.']).unwrap_or(0);
            let (int, mark, sep) = match s.as_bytes()[last] {
                b',' => (&s[..last], Mark::Comma, '.'),
                _ => (&s[..last], Mark::Point, ','),
            };
            if grouped(int, sep) && !int.contains(if sep == '.' { ',' } else { '.' }) {
                Says::Mark(mark)
            } else {
                Says::Nothing
            }
        }
    }
}

/// A value that showed the decimal mark, for messages and notes.
#[derive(Clone, Debug)]
struct Evidence {
    mark: Mark,
    text: String,
    row: u64,
    column: String,
}

impl Evidence {
    fn at(&self) -> String {
        format!(
            "'{}' (row {}, column '{}')",
            self.text, self.row, self.column
        )
    }
}

/// What was assumed in reading a re-laid-out file, for the dataset notes and the import summary.
#[derive(Clone)]
pub struct Assumed(Arc<Mutex<(u8, Option<Evidence>)>>);

impl Assumed {
    pub fn describe(&self) -> String {
        let Ok(state) = self.0.lock() else {
            return String::new();
        };
        let (d, evidence) = &*state;
        let marks = match evidence {
            Some(e) => {
                let (mark, thousands) = match e.mark {
                    Mark::Comma => ("commas", '.'),
                    Mark::Point => ("points", ','),
                };
                format!(
                    " with decimal {mark} and '{thousands}' between thousands (as {} shows)",
                    e.at()
                )
            }
            None => " (no number had a decimal or thousands separator)".into(),
        };
        format!("Read as a {}-separated table{marks}.", delimiter_name(*d))
    }
}

/// The decimal mark as judged so far, and the header naming columns in messages.
struct Judge {
    header: Vec<String>,
    assumed: Assumed,
}

impl Judge {
    /// Learns from one field and says how to write it: `Ok(Some(text))` when it must be re-written with
    /// a decimal point. A value that contradicts the mark is an error; so is one that could be read
    /// either way while nothing has shown the mark, unless `head` (the head is judged whole first).
    fn field(
        &self,
        row: u64,
        col: usize,
        text: &str,
        head: bool,
    ) -> Result<Option<String>, String> {
        let says = says(text);
        if says == Says::Nothing {
            return Ok(None);
        }
        let Ok(mut state) = self.assumed.0.lock() else {
            return Err("internal error: the decimal mark is unknown".into());
        };
        let column = || {
            self.header
                .get(col)
                .filter(|h| !h.is_empty())
                .cloned()
                .unwrap_or_else(|| format!("#{}", col + 1))
        };
        let known = state.1.as_ref().map(|e| e.mark);
        match (says, known) {
            (Says::Mark(mark), None) => {
                state.1 = Some(Evidence {
                    mark,
                    text: text.trim().into(),
                    row,
                    column: column(),
                })
            }
            (Says::Mark(mark), Some(known)) if mark != known => {
                let shown = state.1.as_ref().map(Evidence::at).unwrap_or_default();
                return Err(format!(
                    "row {row}, column '{}': '{}' has a decimal {}, but {shown} has a decimal {}; \
                     a file must use one decimal mark",
                    column(),
                    text.trim(),
                    mark_name(mark),
                    mark_name(known),
                ));
            }
            (Says::Either, None) if head => return Ok(None),
            (Says::Either, None) => {
                return Err(format!(
                    "row {row}, column '{}': '{}' could be a thousands separator or a decimal mark, \
                     and no value before it shows which this file uses; write it without separators",
                    column(),
                    text.trim()
                ))
            }
            _ => {}
        }
        // Parsers read decimal points and drop commas: only decimal commas need re-writing.
        Ok((state.1.as_ref().map(|e| e.mark) == Some(Mark::Comma))
            .then(|| text.trim().replace('.', "").replace(',', ".")))
    }
}

fn mark_name(mark: Mark) -> &'static str {
    match mark {
        Mark::Point => "point",
        Mark::Comma => "comma",
    }
}

/// Re-writes a table separated by another character as comma-separated text with decimal points, one
/// record at a time, so that every text parser reads it unchanged.
pub struct Relayout {
    reader: csv::Reader<Box<dyn Read + Send>>,
    record: csv::StringRecord,
    judge: Judge,
    row: u64,
    out: Vec<u8>,
    pos: usize,
}

impl Relayout {
    /// Judges the decimal mark on the head (decoded) first, so that "1,234" in row 2 is read by what
    /// row 9 shows; values in the head that disagree fail the file.
    pub fn new(
        file: &str,
        inner: Box<dyn Read + Send>,
        head: &str,
        delimiter: u8,
    ) -> Result<(Relayout, Assumed), ImportError> {
        let assumed = Assumed(Arc::new(Mutex::new((delimiter, None))));
        let mut judge = Judge {
            header: Vec::new(),
            assumed: assumed.clone(),
        };
        let whole = head.rfind('\n').map_or(head, |end| &head[..end]);
        let records = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(whole.as_bytes())
            .into_records();
        for (i, record) in records.enumerate() {
            let Ok(record) = record else { break };
            if i == 0 {
                judge.header = record.iter().map(|h| h.trim().to_string()).collect();
            }
            for (c, text) in record.iter().enumerate() {
                judge.field(i as u64 + 1, c, text, true).map_err(|reason| {
                    ImportError::NotATable {
                        file: file.into(),
                        reason,
                    }
                })?;
            }
        }
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(inner);
        let relayout = Relayout {
            reader,
            record: csv::StringRecord::new(),
            judge,
            row: 0,
            out: Vec::new(),
            pos: 0,
        };
        Ok((relayout, assumed))
    }

    /// Writes the next record to `out` as CSV; false at the end.
    fn next_record(&mut self) -> io::Result<bool> {
        let invalid = |reason: String| io::Error::new(io::ErrorKind::InvalidData, reason);
        self.row += 1;
        let row = self.row;
        match self.reader.read_record(&mut self.record) {
            Ok(true) => {}
            Ok(false) => return Ok(false),
            Err(e) => return Err(invalid(format!("row {row}: {e}"))),
        }
        self.out.clear();
        self.pos = 0;
        for (c, text) in self.record.iter().enumerate() {
            if c > 0 {
                self.out.push(b',');
            }
            let text = match self.judge.field(row, c, text, false).map_err(invalid)? {
                Some(rewritten) => std::borrow::Cow::Owned(rewritten),
                None => std::borrow::Cow::Borrowed(text),
            };
            if text.contains([',', '"', '\n', '\r']) {
                self.out.push(b'"');
                self.out
                    .extend_from_slice(text.replace('"', "\"\"").as_bytes());
                self.out.push(b'"');
            } else {
                self.out.extend_from_slice(text.as_bytes());
            }
        }
        self.out.push(b'\n');
        Ok(true)
    }
}

impl Read for Relayout {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.out.len() && !self.next_record()? {
            return Ok(0);
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relayout(text: &str) -> Result<(String, String), String> {
        let d = delimiter(text);
        let (mut r, assumed) = Relayout::new(
            "t.csv",
            Box::new(io::Cursor::new(text.as_bytes().to_vec())),
            text,
            d,
        )
        .map_err(|e| e.to_string())?;
        let mut out = String::new();
        r.read_to_string(&mut out).map_err(|e| e.to_string())?;
        Ok((out, assumed.describe()))
    }

    #[test]
    fn separators_are_sniffed_the_comma_winning_ties() {
        assert_eq!(delimiter("a;b;c\n1,5;2;3\n4;5;6\n"), b';');
        assert_eq!(delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(delimiter("a|b|c\n1|2|3\n"), b'|');
        assert_eq!(delimiter("a,b;c\n1,2;3\n"), b',');
        // A comma file whose free text has semicolons, and one with a preamble line.
        assert_eq!(delimiter("a,b,c\n1,x; y,3\n2,z,4\n"), b',');
        assert_eq!(
            delimiter("\"Data Source\",\"WDI\"\n\ncountry,1990,1991,1992\nx,1,2,3\n"),
            b','
        );
    }

    #[test]
    fn what_a_value_says_about_the_decimal_mark() {
        use Mark::*;
        assert_eq!(says("12,5"), Says::Mark(Comma));
        assert_eq!(says("0,250"), Says::Mark(Comma));
        assert_eq!(says("1234,567"), Says::Mark(Comma));
        assert_eq!(says("1.234.567"), Says::Mark(Comma));
        assert_eq!(says("-1.234,5"), Says::Mark(Comma));
        assert_eq!(says("12.5"), Says::Mark(Point));
        assert_eq!(says("1,234,567"), Says::Mark(Point));
        assert_eq!(says("23,837,402,142.0"), Says::Mark(Point));
        assert_eq!(says("1,234"), Says::Either);
        assert_eq!(says("1.234"), Says::Either);
        for nothing in ["2024", "abc", "1.2.3,4,5", "", "1,23,4"] {
            assert_ne!(says(nothing), Says::Mark(Point), "{nothing}");
        }
        assert_eq!(says("2024"), Says::Nothing);
    }

    #[test]
    fn a_resaved_comtrade_download_is_rewritten_with_its_thousands_commas() {
        let text = ";refYear;reporterDesc;primaryValue\n0;2023;China;23,837,402,142.0\n1;2023;India;1,234\n";
        let (out, assumed) = relayout(text).unwrap();
        assert_eq!(
            out,
            ",refYear,reporterDesc,primaryValue\n0,2023,China,\"23,837,402,142.0\"\n1,2023,India,\"1,234\"\n"
        );
        assert_eq!(
            assumed,
            "Read as a ';'-separated table with decimal points and ',' between thousands (as \
             '23,837,402,142.0' (row 2, column 'primaryValue') shows)."
        );
    }

    #[test]
    fn decimal_commas_are_rewritten_as_points() {
        let text = "land\twert\nA\t1.234\nB\t12,5\nC\t\"x, y\"\n";
        let (out, assumed) = relayout(text).unwrap();
        assert_eq!(out, "land,wert\nA,1234\nB,12.5\nC,\"x, y\"\n");
        assert!(
            assumed.starts_with("Read as a tab-separated table with decimal commas"),
            "{assumed}"
        );
    }

    #[test]
    fn ambiguous_or_contradicting_values_are_refused_with_row_and_column() {
        let err = relayout("a;value\nx;1,234\n").unwrap_err();
        assert!(
            err.contains(
                "row 2, column 'value': '1,234' could be a thousands separator or a decimal mark"
            ),
            "{err}"
        );
        let err = relayout("a;value\nx;12,5\ny;1,234.5\n").unwrap_err();
        assert!(
            err.starts_with("t.csv: ") && err.contains("row 3, column 'value': '1,234.5' has a decimal point, but '12,5' (row 2, column 'value') has a decimal comma"),
            "{err}"
        );
        // No separators at all: nothing to assume.
        let (out, assumed) = relayout("a;b\n1;2\n").unwrap();
        assert_eq!(out, "a,b\n1,2\n");
        assert!(assumed.contains("no number had"), "{assumed}");
    }
}
