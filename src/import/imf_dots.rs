//! IMF Direction of Trade Statistics Excel reports: per sheet a title ("Exports, FOB to Partner
//! Countries"), the reporter ("China, P.R.: Mainland"), the unit ("US Dollars, Millions"), a header row of
//! years stored as text, then one row per partner. Partners mix economies, IMF aggregates, residuals,
//! historical entities and a memorandum block; the project's partner table says which is which. A partner
//! row that repeats an earlier one is reported and skipped.

use super::{
    emit_wide, series_with_places, sheet, slug, Defaults, Detect, FormatSpec, ImportError, Parse,
    RowError, SeriesSet, Sink,
};
use crate::domain::{Period, Series};
use crate::geo::{harmonise, Place, PlaceKind};
use calamine::Data;
use std::collections::HashMap;

pub const SPEC: FormatSpec = FormatSpec {
    name: "imf-dots",
    defaults: Defaults {
        title: "IMF Direction of Trade Statistics",
        publisher: "International Monetary Fund (DOTS)",
        source_url: Some("https://data.imf.org/"),
        licence: "IMF terms of use; attribution required",
    },
    detect: Detect::Workbook(looks_like),
    parse: Parse::Workbook(parse),
};

/// IMF's classification of each partner row in DOTS reports (data/facts/imf_dots_partner_groups.csv).
fn partner_kinds() -> HashMap<String, PlaceKind> {
    let mut reader = csv::Reader::from_reader(
        include_str!("../../data/facts/imf_dots_partner_groups.csv").as_bytes(),
    );
    reader
        .records()
        .flatten()
        .map(|r| {
            let kind = match &r[1] {
                "economy" => PlaceKind::Economy,
                "residual" => PlaceKind::Residual,
                "historical_entity" => PlaceKind::Historical,
                _ => PlaceKind::Aggregate,
            };
            (r[0].trim().to_string(), kind)
        })
        .collect()
}

fn text(cell: &Data) -> Option<String> {
    match cell {
        Data::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Data::Float(f) => Some(f.to_string()),
        Data::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

/// True when a workbook has a DOTS title row in one of its sheets.
pub fn looks_like(bytes: &[u8]) -> bool {
    let Ok(sheets) = sheet::worksheets("", bytes) else {
        return false;
    };
    sheets.iter().any(|(_, range)| {
        range.rows().take(10).any(|r| {
            r.iter()
                .any(|c| text(c).is_some_and(|t| t.contains("Partner Countries")))
        })
    })
}

fn unit(raw: &str) -> String {
    match raw.to_ascii_lowercase().as_str() {
        "us dollars, millions" => "USD million".into(),
        "us dollars, billions" => "USD billion".into(),
        "us dollars" => "USD".into(),
        _ => raw.to_string(),
    }
}

pub fn parse(
    file: &str,
    bytes: &[u8],
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let kinds = partner_kinds();
    let mut set = SeriesSet::default();
    let mut sheets_read = 0;
    let mut notes = Vec::new();
    for (sheet, range) in sheet::worksheets(file, bytes)? {
        let rows: Vec<&[Data]> = range.rows().collect();
        let offset = range.start().map_or(0, |(r, _)| r as u64);
        let Some(title_at) = rows.iter().position(|r| {
            r.iter()
                .any(|c| text(c).is_some_and(|t| t.contains("Partner Countries")))
        }) else {
            continue;
        };
        let title = rows[title_at].iter().find_map(text).unwrap_or_default();
        let mut after = rows[title_at + 1..]
            .iter()
            .filter_map(|r| r.iter().find_map(text));
        let reporter = after.next().unwrap_or_default();
        let unit = unit(&after.next().unwrap_or_default());
        let Some(header_at) = rows.iter().position(|r| {
            r.iter()
                .filter_map(text)
                .filter(|t| t.parse::<Period>().is_ok())
                .count()
                >= 2
        }) else {
            return Err(ImportError::MissingColumn {
                file: file.into(),
                column: format!("{sheet}: year header row"),
            });
        };
        let years: Vec<(usize, Period)> = rows[header_at]
            .iter()
            .enumerate()
            .filter_map(|(i, c)| text(c)?.parse().ok().map(|p| (i, p)))
            .collect();
        let name_col = rows[header_at + 1..]
            .iter()
            .find_map(|r| r.iter().position(|c| matches!(c, Data::String(_))))
            .unwrap_or(1);
        let exports = title.to_ascii_lowercase().starts_with("exports");
        let flow = title
            .split(" to Partner")
            .next()
            .unwrap_or(&title)
            .split(" from Partner")
            .next()
            .unwrap_or(&title)
            .to_string();
        let reporter_place = harmonise(&reporter);
        let mut seen: HashMap<String, (u64, Vec<String>)> = HashMap::new();
        for (i, r) in rows.iter().enumerate().skip(header_at + 1) {
            let row = offset + i as u64 + 1;
            let Some(partner) = r.get(name_col).and_then(text) else {
                continue;
            };
            let values: Vec<String> = years
                .iter()
                .map(|(c, _)| r.get(*c).map(|d| d.to_string()).unwrap_or_default())
                .collect();
            if let Some((first, earlier)) = seen.get(&partner) {
                let reason = if *earlier == values {
                    format!("duplicate of row {first} (same partner, same values)")
                } else {
                    format!("partner appears again (first at row {first}) with different values; the first is kept")
                };
                sink.skip(RowError {
                    row,
                    column: format!("{sheet}: partner"),
                    reason,
                });
                continue;
            }
            seen.insert(partner.clone(), (row, values));
            let kind = kinds.get(&partner).copied();
            let mut partner_place = harmonise(&partner);
            match kind {
                Some(PlaceKind::Economy) => partner_place.kind = PlaceKind::Economy,
                Some(k) => {
                    partner_place = Place {
                        code: if k == PlaceKind::Aggregate {
                            partner_place.code
                        } else {
                            None
                        },
                        kind: k,
                    }
                }
                None => {}
            }
            let (origin, destination, o_place, d_place) = if exports {
                (
                    reporter.clone(),
                    partner.clone(),
                    reporter_place.clone(),
                    partner_place,
                )
            } else {
                (
                    partner.clone(),
                    reporter.clone(),
                    partner_place,
                    reporter_place.clone(),
                )
            };
            let series = Series {
                id: format!("{dataset_id}.{}.{}", slug(&flow), slug(&partner)),
                dataset_id: dataset_id.to_string(),
                indicator: format!("dots_{}", slug(&flow)),
                origin,
                destination,
                category: format!("{flow}, reported by {reporter}"),
                unit: unit.clone(),
                notes: format!("IMF DOTS: {title}; {reporter}-reported"),
                ..Default::default()
            };
            let series = series_with_places(series, o_place, d_place);
            let cells = years
                .iter()
                .map(|(c, p)| (*p, sheet::number(r.get(*c).unwrap_or(&Data::Empty))));
            emit_wide(sink, &mut set, &series, row, &format!("{sheet}: "), cells)?;
        }
        sheets_read += 1;
        notes.push(format!("{title} ({reporter}, {unit})"));
    }
    if sheets_read == 0 {
        return Err(ImportError::NotATable {
            file: file.into(),
            reason: "no sheet has a DOTS title row ('… Partner Countries')".into(),
        });
    }
    Ok(format!(
        "Sheets: {}. Partners include IMF aggregates, residuals and historical entities, marked as such.",
        notes.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ImportBatch;

    #[test]
    fn imports_the_shipped_dots_report() {
        let bytes = include_bytes!("../../data/raw/imf_dots/DOTS_40.xlsx");
        assert!(looks_like(bytes));
        let mut batch = ImportBatch::default();
        let notes = parse("DOTS_40.xlsx", bytes, "dots", &mut batch).unwrap();
        assert!(
            notes.contains("Exports, FOB") && notes.contains("Imports, CIF"),
            "{notes}"
        );
        // The first data row (Australia) repeats a later row in each sheet: reported, not doubled.
        let dups: Vec<_> = batch
            .skipped
            .iter()
            .filter(|e| e.reason.contains("duplicate") || e.reason.contains("appears again"))
            .collect();
        assert_eq!(dups.len(), 2, "{:?}", batch.skipped);
        let usa = batch
            .series
            .iter()
            .find(|s| s.destination_code == "USA" && s.category.starts_with("Exports"))
            .unwrap();
        assert_eq!(usa.unit, "USD million");
        assert_eq!(usa.origin_code, "CHN");
        let world = batch
            .series
            .iter()
            .find(|s| s.destination == "World" && s.category.starts_with("Exports"))
            .unwrap();
        assert_eq!(world.destination_kind, "aggregate");
        // World, 1978, as in the sheet: 9650.2.
        assert_eq!(batch.values(&world.id, "1978"), [9650.2]);
        let australia = batch
            .series
            .iter()
            .find(|s| s.destination == "Australia" && s.category.starts_with("Exports"))
            .unwrap();
        assert_eq!(batch.values(&australia.id, "1978").len(), 1);
        assert!(batch
            .series
            .iter()
            .any(|s| s.destination_kind == "historical" || s.origin_kind == "historical"));
    }

    #[test]
    fn a_workbook_without_dots_titles_is_refused() {
        let bytes = include_bytes!(
            "../../data/raw/cipf_comtrade/China_2.1.1_top_export_partners_reverse.xlsx"
        );
        assert!(!looks_like(bytes));
        assert!(matches!(
            parse("x.xlsx", bytes, "d", &mut ImportBatch::default()),
            Err(ImportError::NotATable { .. })
        ));
        assert!(matches!(
            parse(
                "x.xlsx",
                b"PK\x03\x04 truncated",
                "d",
                &mut ImportBatch::default()
            ),
            Err(ImportError::NotATable { .. })
        ));
    }
}
