//! A long-format spreadsheet (first sheet, one header row): either the project's long columns
//! (series_id, period, value, unit, …) or Comtrade-style columns (refYear/period, reporterDesc,
//! partnerDesc, flowCode, a value column), such as the cipf-comtrade mirror-data files. Unnamed index
//! columns are ignored.

use super::{
    series_with_places, sheet, slug, Defaults, Detect, FormatSpec, ImportError, Parse, RowError,
    SeriesSet, Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::harmonise;
use calamine::Data;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Cursor;

/// Any workbook that is not a report of a known layout is read as a long table.
pub const SPEC: FormatSpec = FormatSpec {
    name: "xlsx-long",
    defaults: Defaults {
        title: "Spreadsheet (long format)",
        publisher: "not stated — set --publisher",
        source_url: None,
        licence: "not stated; see the publisher's terms",
    },
    detect: Detect::AnyWorkbook,
    parse: Parse::Workbook(parse),
};

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string().trim().to_string(),
    }
}

pub fn parse(
    file: &str,
    bytes: &[u8],
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let Some((sheet, range)) = sheet::first_worksheet(file, bytes)? else {
        return Err(ImportError::NotATable {
            file: file.into(),
            reason: "the workbook has no sheets".into(),
        });
    };
    let offset = range.start().map_or(0, |(r, _)| r as u64);
    let mut rows = range.rows().enumerate();
    let Some((_, header)) = rows
        .by_ref()
        .find(|(_, r)| r.iter().filter(|c| matches!(c, Data::String(_))).count() >= 2)
    else {
        return Err(ImportError::NotATable {
            file: file.into(),
            reason: format!("sheet '{sheet}' has no header row"),
        });
    };
    let col: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, c)| (cell_text(c).to_ascii_lowercase(), i))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    let find = |names: &[&str]| names.iter().find_map(|n| col.get(*n).copied());

    if ["series_id", "period", "value", "unit"]
        .iter()
        .all(|c| col.contains_key(*c))
    {
        // The project's long layout in a workbook: re-read as CSV by the long importer.
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(header.iter().map(cell_text));
        for (_, r) in rows {
            let _ = w.write_record(r.iter().map(cell_text));
        }
        let csv = w.into_inner().unwrap_or_default();
        return super::long::parse(file, Box::new(Cursor::new(csv)), dataset_id, sink);
    }

    let (Some(period_c), Some(reporter_c), Some(partner_c), Some(value_c)) = (
        find(&["refyear", "period", "year"]),
        find(&["reporterdesc", "reporter"]),
        find(&["partnerdesc", "partner"]),
        find(&["primaryvalue", "partner_sum", "value", "tradevalue"]),
    ) else {
        return Err(ImportError::MissingColumn {
            file: file.into(),
            column: "series_id/period/value/unit, or refYear, reporterDesc, partnerDesc and a value column".into(),
        });
    };
    let flow_c = find(&["flowcode", "flow"]);
    let cmd_c = find(&["cmdcode", "cmddesc"]);
    let value_name = cell_text(&header[value_c]);
    let mut set = SeriesSet::default();
    let rows: Vec<(usize, &[Data])> = rows.collect();
    // First pass: reporters per year, so a year that only a few reporters have reported yet (mirror data
    // fills in over years) is flagged on every figure, not just in the notes.
    let mut reporters_per_year: BTreeMap<Period, BTreeSet<String>> = BTreeMap::new();
    for (_, r) in &rows {
        let get = |c: usize| r.get(c).map(cell_text).unwrap_or_default();
        if let Ok(p) = get(period_c).parse::<Period>() {
            reporters_per_year
                .entry(p)
                .or_default()
                .insert(get(reporter_c));
        }
    }
    let most = reporters_per_year
        .values()
        .map(BTreeSet::len)
        .max()
        .unwrap_or(0);
    let thin = |p: &Period| {
        reporters_per_year
            .get(p)
            .map(BTreeSet::len)
            .filter(|n| n * 2 < most)
    };
    for (i, r) in rows.iter().copied() {
        let row = offset + i as u64 + 1;
        let get = |c: usize| r.get(c).map(cell_text).unwrap_or_default();
        if r.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        let period: Period = match get(period_c).parse() {
            Ok(p) => p,
            Err(e) => {
                sink.skip(RowError {
                    row,
                    column: cell_text(&header[period_c]),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let value = match sheet::number(r.get(value_c).unwrap_or(&Data::Empty)) {
            Ok(Some(v)) => v,
            Ok(None) => {
                sink.skip(RowError {
                    row,
                    column: value_name.clone(),
                    reason: "no value".into(),
                });
                continue;
            }
            Err(reason) => {
                sink.skip(RowError {
                    row,
                    column: value_name.clone(),
                    reason,
                });
                continue;
            }
        };
        let (reporter, partner) = (get(reporter_c), get(partner_c));
        let flow = flow_c.map(get).unwrap_or_else(|| "M".into());
        let commodity = cmd_c.map(get).unwrap_or_else(|| "TOTAL".into());
        let imports = flow.starts_with('M');
        let (origin, destination) = if imports {
            (partner.clone(), reporter.clone())
        } else {
            (reporter.clone(), partner.clone())
        };
        let what = if imports { "Imports" } else { "Exports" };
        let series = Series {
            id: format!(
                "{dataset_id}.{}.{}.{}.{}",
                slug(&flow),
                slug(&origin),
                slug(&destination),
                slug(&commodity)
            ),
            dataset_id: dataset_id.to_string(),
            indicator: format!("reported_{}", what.to_ascii_lowercase()),
            origin: origin.clone(),
            destination: destination.clone(),
            category: format!("{what} ({commodity}), reported by {reporter}"),
            unit: "USD".into(),
            notes: format!(
                "{what} as reported by {reporter}: for trade with {partner} this is mirror data"
            ),
            ..Default::default()
        };
        let series = series_with_places(series, harmonise(&origin), harmonise(&destination));
        let id = set.ensure(sink, series)?;
        let mut caveats = Vec::new();
        if reporter == partner {
            caveats.push(format!(
                "{reporter} reporting trade with itself (re-imports or re-exports)"
            ));
        }
        let incomplete = thin(&period);
        if let Some(n) = incomplete {
            caveats.push(format!(
                "incomplete year: {n} reporters so far (up to {most} in other years)"
            ));
        }
        sink.observation(Observation {
            caveat: (!caveats.is_empty()).then(|| caveats.join("; ")),
            flags: crate::domain::Flags {
                provisional: incomplete.is_some(),
                ..Default::default()
            },
            ..Observation::new(&id, period, value)
        })?;
    }
    // Say which years are incomplete: far fewer reporters than the best-covered year.
    let thin: Vec<String> = reporters_per_year
        .keys()
        .filter_map(|p| thin(p).map(|n| format!("{p}: {n} reporters")))
        .collect();
    let mut notes =
        format!("Values from column '{value_name}' in US$, as reported by each reporter.");
    if !thin.is_empty() {
        notes.push_str(&format!(
            " Incomplete years (other years have up to {most} reporters): {}.",
            thin.join(", ")
        ));
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ImportBatch;

    #[test]
    fn a_sheet_with_a_stray_far_cell_is_refused_not_laid_out() {
        // 1.6 KB on the wire; read as a dense grid it would be 17 billion cells.
        let bomb = crate::import::sheet::test_workbook(
            "Exports",
            r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>"#,
        );
        let mut batch = ImportBatch::default();
        let err = parse("bomb.xlsx", &bomb, "x", &mut batch)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("bomb.xlsx: ") && err.contains("sheet 'Exports' spans A1:XFD1048576"),
            "{err}"
        );
        assert_eq!(
            crate::import::detect("bomb.xlsx", &bomb, Some(&bomb)).unwrap(),
            crate::import::Format::XlsxLong
        );
    }

    #[test]
    fn imports_the_shipped_mirror_data() {
        let bytes = include_bytes!(
            "../../data/raw/cipf_comtrade/China_2.1.1_top_export_partners_reverse.xlsx"
        );
        let mut batch = ImportBatch::default();
        let notes = parse("reverse.xlsx", bytes, "mirror", &mut batch).unwrap();
        assert!(
            batch.skipped.is_empty(),
            "{:?}",
            &batch.skipped[..batch.skipped.len().min(3)]
        );
        assert_eq!(batch.observations.len(), 1862);
        assert!(notes.contains("2025: 13 reporters"), "{notes}");
        // Figures of the incomplete year are flagged, those of complete years are not.
        let y2025: Vec<_> = batch
            .observations
            .iter()
            .filter(|o| o.period.to_string() == "2025")
            .collect();
        assert!(!y2025.is_empty() && y2025.iter().all(|o| o.flags.provisional));
        assert!(y2025[0]
            .caveat
            .as_deref()
            .unwrap()
            .contains("incomplete year: 13 reporters"));
        assert!(batch
            .observations
            .iter()
            .filter(|o| o.period.to_string() == "2014")
            .all(|o| !o.flags.provisional));
        // USA's imports from China, 2014, as in the sheet: 486296238006.
        let usa = batch
            .series
            .iter()
            .find(|s| s.destination_code == "USA")
            .unwrap();
        assert_eq!(usa.origin_code, "CHN");
        assert_eq!(batch.values(&usa.id, "2014"), [486296238006.0]);
        assert!(
            batch.series.iter().any(|s| s.destination_code == "HKG"),
            "China, Hong Kong SAR harmonised"
        );
        assert!(batch
            .observations
            .iter()
            .any(|o| o.caveat.as_deref().is_some_and(|c| c.contains("itself"))));
    }
}
