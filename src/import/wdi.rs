//! World Bank WDI bulk CSV (`API_<indicator>_DS2_…csv`): a BOM, preamble lines ("Data Source", "Last
//! Updated Date") — absent in some downloads, which also lack the trailing comma — then a wide table — one row per country or aggregate, one column per year, a trailing
//! comma on every line and empty strings for missing values. The `Metadata_Country_…csv` beside it tells
//! economies (with a region) from aggregates (without); without it, the built-in place table decides.

use super::{
    emit_wide, series_with_places, slug, text::number, Defaults, Detect, FormatSpec, ImportError,
    Parse, RowError, SeriesSet, Sink,
};
use crate::domain::{Period, Series};
use crate::geo::{from_code, Place, PlaceKind};
use std::collections::HashMap;
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "wdi",
    defaults: Defaults {
        title: "World Development Indicators",
        publisher: "World Bank (WDI)",
        source_url: Some("https://data.worldbank.org/"),
        licence: "CC BY 4.0 (World Bank)",
    },
    // The preamble, or the header itself in files saved without one.
    detect: Detect::Preamble(|line| {
        line.starts_with("data source,")
            || line.starts_with("country name,country code,indicator name,indicator code,")
    }),
    parse: Parse::Text(|file, reader, dataset_id, opts, sink| {
        parse(file, reader, dataset_id, opts.wdi_metadata.as_deref(), sink)
    }),
};

/// Country code → is an aggregate, from a Metadata_Country file.
pub fn aggregates_from_metadata(bytes: &[u8]) -> HashMap<String, bool> {
    let text = String::from_utf8_lossy(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let Ok(headers) = reader.headers().cloned() else {
        return HashMap::new();
    };
    let find = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(code), Some(region)) = (find("Country Code"), find("Region")) else {
        return HashMap::new();
    };
    reader
        .records()
        .flatten()
        .filter_map(|r| {
            Some((
                r.get(code)?.trim().to_string(),
                r.get(region)?.trim().is_empty(),
            ))
        })
        .collect()
}

/// "Exports of goods and services (current US$)" → "current US$".
pub fn unit_from_name(name: &str) -> Option<String> {
    let open = name.rfind('(')?;
    let inner = name[open + 1..].trim_end().strip_suffix(')')?;
    (!inner.trim().is_empty()).then(|| inner.trim().to_string())
}

pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    metadata: Option<&[u8]>,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let aggregates = metadata.map(aggregates_from_metadata).unwrap_or_default();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(reader);
    let mut record = csv::StringRecord::new();
    let mut row = 0u64;
    let mut years: Vec<(usize, Period)> = Vec::new();
    // Skip the preamble up to the header row.
    loop {
        row += 1;
        match reader.read_record(&mut record) {
            Ok(true)
                if record
                    .get(0)
                    .map(|f| f.trim().trim_start_matches('\u{feff}'))
                    == Some("Country Name") =>
            {
                for (i, h) in record.iter().enumerate().skip(4) {
                    if let Ok(p) = h.trim().parse::<Period>() {
                        years.push((i, p));
                    }
                }
                break;
            }
            Ok(true) => continue,
            Ok(false) => {
                return Err(ImportError::MissingColumn {
                    file: file.into(),
                    column: "Country Name (the WDI header row)".into(),
                })
            }
            Err(e) => {
                return Err(ImportError::NotATable {
                    file: file.into(),
                    reason: e.to_string(),
                })
            }
        }
    }
    if years.is_empty() {
        return Err(ImportError::NotATable {
            file: file.into(),
            reason: "the header row has no year columns".into(),
        });
    }
    let mut set = SeriesSet::default();
    loop {
        row += 1;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                sink.skip(RowError {
                    row,
                    column: String::new(),
                    reason: e.to_string(),
                });
                continue;
            }
        }
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let (name, code, indicator_name, indicator_code) = (
            record.get(0).unwrap_or("").trim(),
            record.get(1).unwrap_or("").trim(),
            record.get(2).unwrap_or("").trim(),
            record.get(3).unwrap_or("").trim(),
        );
        if code.is_empty() || indicator_code.is_empty() {
            sink.skip(RowError {
                row,
                column: "Country Code".into(),
                reason: "missing country or indicator code".into(),
            });
            continue;
        }
        let place = match aggregates.get(code) {
            Some(true) => Place {
                code: Some(code.to_string()),
                kind: PlaceKind::Aggregate,
            },
            Some(false) => Place {
                code: Some(code.to_string()),
                kind: PlaceKind::Economy,
            },
            None => from_code(code, name),
        };
        let series = Series {
            id: format!("{dataset_id}.{}.{}", slug(indicator_code), slug(code)),
            dataset_id: dataset_id.to_string(),
            indicator: indicator_code.to_string(),
            origin: name.to_string(),
            category: indicator_name.to_string(),
            unit: unit_from_name(indicator_name).unwrap_or_else(|| "value".into()),
            ..Default::default()
        };
        let series = series_with_places(
            series,
            place,
            Place {
                code: None,
                kind: PlaceKind::Unknown,
            },
        );
        let cells = years
            .iter()
            .map(|(i, p)| (*p, number(record.get(*i).unwrap_or(""))));
        emit_wide(sink, &mut set, &series, row, "", cells)?;
    }
    Ok(match metadata {
        Some(_) => "Aggregates (regions, income groups, World) are marked using the World Bank's country metadata.".into(),
        None => "Aggregates are marked using Tradewinds' place table (no Metadata_Country file was given).".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{text, ImportBatch};

    #[test]
    fn imports_the_shipped_wdi_file_with_metadata() {
        let bytes = include_bytes!("../../data/raw/wdi/API_NE.EXP.GNFS.CD_DS2_en_csv_v2_3025.csv");
        let meta = include_bytes!(
            "../../data/raw/wdi/Metadata_Country_API_NE.EXP.GNFS.CD_DS2_en_csv_v2_3025.csv"
        );
        let reader = text::reader_for(bytes);
        let mut batch = ImportBatch::default();
        parse("API.csv", reader, "wdi", Some(meta), &mut batch).unwrap();
        assert!(
            batch.skipped.is_empty(),
            "{:?}",
            &batch.skipped[..batch.skipped.len().min(3)]
        );
        let aruba = batch
            .series
            .iter()
            .find(|s| s.origin_code == "ABW")
            .unwrap();
        assert_eq!(aruba.unit, "current US$");
        assert_eq!(aruba.origin_kind, "economy");
        let afe = batch
            .series
            .iter()
            .find(|s| s.origin_code == "AFE")
            .unwrap();
        assert_eq!(afe.origin_kind, "aggregate");
        // Aruba 1995, its first value, as printed in the file: 1121229050.27933.
        assert_eq!(batch.values(&aruba.id, "1995"), [1121229050.27933]);
        // Empty strings are missing values, not zeros: Aruba has nothing before 1995.
        assert!(batch.values(&aruba.id, "1994").is_empty());
        let chn = batch
            .series
            .iter()
            .find(|s| s.origin_code == "CHN")
            .unwrap();
        assert!(
            batch
                .observations
                .iter()
                .filter(|o| o.series_id == chn.id)
                .count()
                > 40
        );
    }

    #[test]
    fn imports_a_file_without_preamble_or_trailing_comma() {
        let bytes = include_bytes!("../../data/raw/wdi/API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv");
        let meta = include_bytes!(
            "../../data/raw/wdi/Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv"
        );
        let head = &bytes[..4096];
        assert_eq!(
            crate::import::detect("API.csv", head, None).unwrap(),
            crate::import::Format::Wdi
        );
        let mut batch = ImportBatch::default();
        parse(
            "API.csv",
            text::reader_for(bytes),
            "net",
            Some(meta),
            &mut batch,
        )
        .unwrap();
        assert!(batch.skipped.is_empty(), "{:?}", &batch.skipped[..1]);
        // 77.5 %, 92.5 % and 67.4 % as the README rounds them.
        assert_eq!(batch.values("net.it-net-user-zs.chn", "2023"), [77.4827]);
        assert_eq!(batch.values("net.it-net-user-zs.deu", "2023"), [92.4764]);
        assert_eq!(batch.values("net.it-net-user-zs.wld", "2023"), [67.4]);
        let wld = batch
            .series
            .iter()
            .find(|s| s.origin_code == "WLD")
            .unwrap();
        assert_eq!(
            (wld.origin_kind.as_str(), wld.unit.as_str()),
            ("aggregate", "% of population")
        );
        assert_eq!(batch.series.len(), SERIES);
        assert_eq!(batch.observations.len(), OBSERVATIONS);
    }

    // 266 rows, 5 of them without any value.
    const SERIES: usize = 261;
    const OBSERVATIONS: usize = 8_320;

    #[test]
    fn unit_from_indicator_name() {
        assert_eq!(
            unit_from_name("Exports of goods and services (current US$)").as_deref(),
            Some("current US$")
        );
        assert_eq!(unit_from_name("GDP"), None);
    }
}
