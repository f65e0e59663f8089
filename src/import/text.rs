//! Text files as published: UTF-8 with or without BOM, UTF-16, Windows-1252/Latin-1 (Comtrade downloads),
//! GB18030/GBK (Chinese sellers' spreadsheets). The encoding is detected from the first bytes unless named.

use super::{ImportError, RowError, Sink};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use std::collections::HashMap;
use std::io::Read;

/// Column positions of a CSV header, by trimmed lower-case name.
pub struct Columns(HashMap<String, usize>);

impl Columns {
    /// The field of `record` in column `name` (trimmed), or "" when the row is shorter or the column absent.
    pub fn get<'r>(&self, record: &'r csv::StringRecord, name: &str) -> &'r str {
        self.0
            .get(name)
            .and_then(|&i| record.get(i))
            .unwrap_or("")
            .trim()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
}

/// The data rows of a CSV table, numbered as a spreadsheet numbers them (header = row 1).
pub struct Rows {
    reader: csv::Reader<Box<dyn Read + Send>>,
    record: csv::StringRecord,
    row: u64,
    file: String,
}

impl Rows {
    /// Reads the header (any number of fields per row is accepted, and checked by the caller) and
    /// fails, naming the column, when a required one is missing.
    pub fn open(
        file: &str,
        reader: Box<dyn Read + Send>,
        required: &[&str],
    ) -> Result<(Rows, csv::StringRecord, Columns), ImportError> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let headers = reader
            .headers()
            .map_err(|e| ImportError::NotATable {
                file: file.into(),
                reason: e.to_string(),
            })?
            .clone();
        let columns = Columns(
            headers
                .iter()
                .enumerate()
                .map(|(i, h)| (h.trim().to_ascii_lowercase(), i))
                .collect(),
        );
        if let Some(missing) = required.iter().find(|c| !columns.has(c)) {
            return Err(ImportError::MissingColumn {
                file: file.into(),
                column: missing.to_string(),
            });
        }
        Ok((
            Rows {
                reader,
                record: csv::StringRecord::new(),
                row: 1,
                file: file.into(),
            },
            headers,
            columns,
        ))
    }

    /// The next readable row; rows the CSV reader cannot read (bad quoting, invalid text) are reported
    /// to `sink` and skipped. A failing file (I/O) ends the import.
    pub fn next(
        &mut self,
        sink: &mut dyn Sink,
    ) -> Result<Option<(u64, &csv::StringRecord)>, ImportError> {
        loop {
            self.row += 1;
            match self.reader.read_record(&mut self.record) {
                Ok(true) => return Ok(Some((self.row, &self.record))),
                Ok(false) => return Ok(None),
                Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                    return Err(ImportError::Unreadable {
                        file: self.file.clone(),
                        reason: e.to_string(),
                    })
                }
                Err(e) => sink.skip(RowError {
                    row: self.row,
                    column: String::new(),
                    reason: e.to_string(),
                }),
            }
        }
    }
}

/// The head decoded for sniffing, or `None` when it looks like binary data.
pub fn sniff_text(head: &[u8]) -> Option<String> {
    let encoding = detect_encoding(head);
    let (text, _, _) = encoding.decode(head);
    let control = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    let replaced = text.chars().filter(|&c| c == '\u{FFFD}').count();
    let n = text.chars().count().max(1);
    ((control + replaced) * 20 < n).then(|| text.into_owned())
}

/// BOM first; then valid UTF-8; otherwise the statistical guess of chardetng (as browsers do).
pub fn detect_encoding(head: &[u8]) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(head) {
        return enc;
    }
    match std::str::from_utf8(head) {
        Ok(_) => return UTF_8,
        // A multi-byte character cut off at the end of the sniffed bytes is still UTF-8.
        Err(e) if e.error_len().is_none() => return UTF_8,
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(head, false);
    detector.guess(None, false)
}

/// The encoding to read with: the one named (`--encoding`), else the detected one.
pub fn choose_encoding(
    file: &str,
    head: &[u8],
    named: Option<&str>,
) -> Result<&'static Encoding, ImportError> {
    match named {
        Some(name) => {
            let label = match name.to_ascii_lowercase().as_str() {
                "latin1" | "latin-1" => "iso-8859-1".to_string(),
                other => other.to_string(),
            };
            Encoding::for_label(label.as_bytes()).ok_or_else(|| ImportError::Encoding {
                file: file.into(),
                name: name.into(),
            })
        }
        None => Ok(detect_encoding(head)),
    }
}

/// A reader that yields UTF-8 (BOM removed) from bytes in `encoding`, streaming.
pub fn decoding_reader(
    inner: Box<dyn Read + Send>,
    encoding: &'static Encoding,
) -> Box<dyn Read + Send> {
    let bom_only = encoding == UTF_8 || encoding == UTF_16LE || encoding == UTF_16BE;
    Box::new(
        encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(if bom_only { None } else { Some(encoding) })
            .bom_sniffing(true)
            .strip_bom(true)
            .build(inner),
    )
}

/// A decoding reader over bytes in memory, encoding detected (tests on the shipped sample files).
#[cfg(test)]
pub fn reader_for(bytes: &[u8]) -> Box<dyn Read + Send> {
    decoding_reader(
        Box::new(std::io::Cursor::new(bytes.to_vec())),
        detect_encoding(bytes),
    )
}

/// Parses a number as statistical files write it: trimmed, thousands separators allowed;
/// empty cells and placeholders ("...", "..", "-", "n/a") are `Ok(None)`.
pub fn number(raw: &str) -> Result<Option<f64>, String> {
    let s = raw.trim().trim_matches('"').trim();
    if s.is_empty() || matches!(s, "..." | ".." | "-" | "–" | "n/a" | "NA" | "N/A") {
        return Ok(None);
    }
    plain_number(s).map(Some)
}

/// A number with optional thousands commas, written as keyboards write it: the minus sign (U+2212) and
/// full-width digits and signs (Chinese and Japanese input) read as their ASCII forms. Anything else
/// (a currency sign, "约" = about) is refused, saying which character: guessing would change the figure's
/// meaning, and such words belong in the unit or the caveat.
pub fn plain_number(raw: &str) -> Result<f64, String> {
    let ascii: String = raw
        .trim()
        .chars()
        .filter(|&c| c != ',' && c != '，')
        .map(|c| match c {
            '\u{2212}' | '－' => '-',
            '＋' => '+',
            '．' => '.',
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .collect();
    if let Some(c) = ascii.chars().find(|c| !c.is_ascii()) {
        return Err(format!(
            "'{raw}' is not a number ('{c}' is not part of one)"
        ));
    }
    match ascii.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("'{raw}' is not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8], named: Option<&str>) -> String {
        let enc = choose_encoding("test", bytes, named).unwrap();
        let mut out = String::new();
        decoding_reader(Box::new(std::io::Cursor::new(bytes.to_vec())), enc)
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn detects_utf8_bom_latin1_and_gb18030() {
        assert_eq!(decode_all(b"\xEF\xBB\xBFa,b\n", None), "a,b\n");
        // "Côte d'Ivoire,São Tomé" in Windows-1252 (made-up test text).
        let latin =
            b"Country,Value\nC\xf4te d'Ivoire,1\nS\xe3o Tom\xe9 and Pr\xedncipe,2\nCura\xe7ao,3\n";
        assert!(decode_all(latin, None).contains("Côte d'Ivoire"));
        // "义乌,跨境电商,出口" in GB18030 (made-up test text).
        let (gb, _, _) = encoding_rs::GB18030
            .encode("地区,类别,数值\n义乌,跨境电商出口,5.02\n浙江省金华市义乌,体育用品,42.3\n");
        assert!(
            decode_all(&gb, None).contains("义乌"),
            "{}",
            decode_all(&gb, None)
        );
        assert!(decode_all(&gb, Some("gbk")).contains("跨境电商"));
        assert!(matches!(
            choose_encoding("f", b"", Some("klingon")),
            Err(ImportError::Encoding { .. })
        ));
    }

    #[test]
    fn numbers_as_published() {
        assert_eq!(number("       14279900.00"), Ok(Some(14279900.0)));
        assert_eq!(number("\"1,234.5\""), Ok(Some(1234.5)));
        assert_eq!(number("..."), Ok(None));
        assert_eq!(number(""), Ok(None));
        assert!(number("12abc").is_err());
        assert!(number("inf").is_err());
        // Minus signs and digits as Chinese and Japanese keyboards and typesetting write them.
        assert_eq!(number("\u{2212}5"), Ok(Some(-5.0)));
        assert_eq!(number("５"), Ok(Some(5.0)));
        assert_eq!(number("１，２３４．５"), Ok(Some(1234.5)));
        assert_eq!(
            number("€5"),
            Err("'€5' is not a number ('€' is not part of one)".into())
        );
        assert!(number("约12").is_err());
    }
}
