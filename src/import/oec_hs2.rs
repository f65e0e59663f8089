//! One country's imports from China and from the World by HS chapter (CEPII BACI, queried from the OEC
//! API by a third-party analysis project): `year, hs2_code, hs2_label, imports_from_china,
//! total_<adjective>_imports, china_share_pct, data_source, year_coverage`. The importing country is not a
//! column: the file is named for it (`poland_imports_from_china_hs2_2020_2024.csv`). Chapter codes keep
//! their leading zeros and OEC's labels are kept as published, typos included; values keep their binary
//! noise (`6282234.999999999`).

use super::{
    base_stem, series_with_places, slug, text::number, text::Rows, Defaults, Detect, FormatSpec,
    ImportError, Parse, RowError, SeriesCache, Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::{harmonise, name_of, Place, PlaceKind};
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "oec-hs2",
    defaults: Defaults {
        title: "Imports from China and the World by HS chapter (CEPII BACI via OEC)",
        publisher: "CEPII BACI via the OEC API, queried by a third-party analysis project",
        source_url: Some("https://oec.world/"),
        licence: "BACI is reported to be under Etalab Open Licence 2.0 (not verified); OEC API terms not verified",
    },
    detect: Detect::Header(|h| h.starts_with("year,hs2_code,hs2_label,imports_from_china,")),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

pub const SHARE_NOTES: &str =
    "China's share of the country's imports in the chapter, computed by the analysis \
project that queried OEC (imports from China ÷ imports from the World × 100); stored as published.";

/// "poland_imports_from_china_hs2_2020_2024" → Poland.
fn importer(file: &str) -> Result<(Place, String), ImportError> {
    let stem = base_stem(file);
    let not_found = |what: &str| ImportError::NotATable {
        file: file.into(),
        reason: format!("the importing country is not a column; {what}"),
    };
    let (country, _) = stem
        .split_once("_imports_from_china")
        .ok_or_else(|| not_found("name the file <country>_imports_from_china….csv"))?;
    let place = harmonise(&country.replace('_', " "));
    let label = place.code.as_deref().and_then(name_of).ok_or_else(|| {
        not_found(&format!(
            "'{country}' in the file name is not a known country"
        ))
    })?;
    Ok((place, label.to_string()))
}

pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let (importer, label) = importer(file)?;
    let required = [
        "year",
        "hs2_code",
        "hs2_label",
        "imports_from_china",
        "china_share_pct",
    ];
    let (mut rows, headers, columns) = Rows::open(file, reader, &required)?;
    // The World column is named with the adjective ("total_polish_imports"): any total_…_imports.
    let total_column = headers
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .find(|h| h.starts_with("total_") && h.ends_with("_imports"))
        .ok_or_else(|| ImportError::MissingColumn {
            file: file.into(),
            column: "total_<country>_imports".into(),
        })?;
    let china = (harmonise("CHN"), "China");
    let world = (
        Place {
            code: Some("WLD".into()),
            kind: PlaceKind::Aggregate,
        },
        "World",
    );
    let mut cache = SeriesCache::default();
    while let Some((row, record)) = rows.next(sink)? {
        let get = |name: &str| columns.get(record, name);
        let period: Period = match get("year").parse() {
            Ok(p) => p,
            Err(e) => {
                sink.skip(RowError {
                    row,
                    column: "year".into(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let (code, chapter) = (get("hs2_code"), get("hs2_label"));
        let measures = [
            (
                "imports_from_china",
                "baci_imports_from_china",
                "from-china",
                &china,
                "USD",
            ),
            (
                total_column.as_str(),
                "baci_imports_from_world",
                "from-world",
                &world,
                "USD",
            ),
            (
                "china_share_pct",
                "baci_china_share_pct",
                "china-share",
                &china,
                "% of imports",
            ),
        ];
        for (column, indicator, key, origin, unit) in measures {
            let value = match number(get(column)) {
                Ok(Some(v)) => v,
                Ok(None) => continue,
                Err(reason) => {
                    sink.skip(RowError {
                        row,
                        column: column.into(),
                        reason,
                    });
                    continue;
                }
            };
            let id = cache.id(sink, &[indicator, code, chapter], || {
                let s = Series {
                    id: format!("{dataset_id}.{key}.{}", slug(code)),
                    dataset_id: dataset_id.to_string(),
                    indicator: indicator.into(),
                    origin: origin.1.into(),
                    destination: label.clone(),
                    category: format!("HS {code} {chapter}"),
                    unit: unit.into(),
                    notes: match indicator {
                        "baci_china_share_pct" => SHARE_NOTES.into(),
                        _ => String::new(),
                    },
                    ..Default::default()
                };
                series_with_places(s, origin.0.clone(), importer.clone())
            })?;
            sink.observation(Observation::new(&id, period, value))?;
        }
    }
    Ok(String::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{text, ImportBatch};

    const NAME: &str = "data/raw/oec_baci/poland_imports_from_china_hs2_2020_2024.csv";

    #[test]
    fn imports_the_shipped_poland_file() {
        let bytes =
            include_bytes!("../../data/raw/oec_baci/poland_imports_from_china_hs2_2020_2024.csv");
        let mut batch = ImportBatch::default();
        parse(NAME, text::reader_for(bytes), "pl", &mut batch).unwrap();
        assert!(batch.skipped.is_empty(), "{:?}", batch.skipped);
        // 96 chapters × 3 measures; 480 rows × 3 values.
        assert_eq!(batch.series.len(), 288);
        assert_eq!(batch.observations.len(), 1_440);
        let total = |prefix: &str, year: &str| -> f64 {
            batch
                .observations
                .iter()
                .filter(|o| o.series_id.starts_with(prefix) && o.period.to_string() == year)
                .map(|o| o.value)
                .sum()
        };
        assert_eq!((total("pl.from-china.", "2020") / 1e8).round(), 346.0);
        let share_2024 = total("pl.from-china.", "2024") / total("pl.from-world.", "2024") * 100.0;
        assert_eq!((share_2024 * 10.0).round(), 130.0);
        let s = batch
            .series
            .iter()
            .find(|s| s.id == "pl.from-china.67")
            .unwrap();
        assert_eq!(
            s.category,
            "HS 67 Feather articles, feathers, artificial flowers, & articles of human hair"
        );
        assert_eq!(
            (
                s.origin_code.as_str(),
                s.destination.as_str(),
                s.destination_code.as_str()
            ),
            ("CHN", "Poland", "POL")
        );
        assert_eq!(
            batch.values("pl.china-share.67", "2020"),
            [76.3556336944714]
        );
        let share = batch
            .series
            .iter()
            .find(|s| s.id == "pl.china-share.67")
            .unwrap();
        assert_eq!(share.unit, "% of imports");
        let world = batch
            .series
            .iter()
            .find(|s| s.id == "pl.from-world.67")
            .unwrap();
        assert_eq!(world.origin_code, "WLD");
        assert!(
            batch.series.iter().any(|s| s.id == "pl.from-china.01"),
            "leading zeros kept"
        );
    }

    #[test]
    fn the_importer_comes_from_the_file_name() {
        let err = importer("atlantis_imports_from_china_hs2.csv")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("atlantis_imports_from_china_hs2.csv") && err.contains("'atlantis'"),
            "{err}"
        );
        assert!(importer("trade_exposure.csv").is_err());
    }
}
