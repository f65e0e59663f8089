//! World Bank Logistics Performance Index, the sheets of International_LPI_from_2007_to_2016.xlsx combined
//! by a third party: `"Country", "Code", "Overall LPI Score", "Overall LPI Rank"`, six component scores,
//! `Year` (every field quoted but Year). Codes are ISO3 with old ones (ROM, ZAR); a country's name is
//! spelled differently between years ("Cote d Ivoire"), so a series takes its first spelling.

use super::{
    series_with_places, slug, text::number, text::Rows, Defaults, Detect, FormatSpec, ImportError,
    Parse, RowError, SeriesCache, Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::{canonical_code, Place, PlaceKind};
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "lpi",
    defaults: Defaults {
        title: "Logistics Performance Index",
        publisher: "World Bank, Logistics Performance Index",
        source_url: Some("https://lpi.worldbank.org/"),
        licence: "CC BY 4.0 (World Bank)",
    },
    detect: Detect::Header(|h| h.starts_with("country,code,overall lpi score,overall lpi rank")),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

/// (column, indicator, unit, category).
const MEASURES: [(&str, &str, &str, &str); 8] = [
    (
        "overall lpi score",
        "lpi_score",
        "score 1–5",
        "Overall LPI score",
    ),
    ("overall lpi rank", "lpi_rank", "rank", "Overall LPI rank"),
    ("customs", "lpi_customs", "score 1–5", "Customs"),
    (
        "infrastructure",
        "lpi_infrastructure",
        "score 1–5",
        "Infrastructure",
    ),
    (
        "international shipments",
        "lpi_international_shipments",
        "score 1–5",
        "International shipments",
    ),
    (
        "logistics quality & competence",
        "lpi_logistics_competence",
        "score 1–5",
        "Logistics quality and competence",
    ),
    (
        "tracking & tracing",
        "lpi_tracking_tracing",
        "score 1–5",
        "Tracking and tracing",
    ),
    ("timeliness", "lpi_timeliness", "score 1–5", "Timeliness"),
];

pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let mut required = vec!["country", "code", "year"];
    required.extend(MEASURES.iter().map(|m| m.0));
    let (mut rows, _, columns) = Rows::open(file, reader, &required)?;
    let mut cache = SeriesCache::default();
    while let Some((row, record)) = rows.next(sink)? {
        let get = |name: &str| columns.get(record, name);
        let period: Period = match get("year").parse() {
            Ok(p) => p,
            Err(e) => {
                sink.skip(RowError {
                    row,
                    column: "Year".into(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let (country, code) = (get("country"), get("code"));
        for (column, indicator, unit, category) in MEASURES {
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
            let id = cache.id(sink, &[indicator, code], || {
                let s = Series {
                    id: format!("{dataset_id}.{}.{}", slug(indicator), slug(code)),
                    dataset_id: dataset_id.to_string(),
                    indicator: indicator.into(),
                    origin: country.to_string(),
                    category: category.into(),
                    unit: unit.into(),
                    ..Default::default()
                };
                let none = Place {
                    code: None,
                    kind: PlaceKind::Unknown,
                };
                series_with_places(s, canonical_code(code), none)
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

    #[test]
    fn imports_the_shipped_lpi_file() {
        let bytes = include_bytes!("../../data/raw/lpi/lpi.csv");
        let mut batch = ImportBatch::default();
        parse("lpi.csv", text::reader_for(bytes), "lpi", &mut batch).unwrap();
        assert!(batch.skipped.is_empty(), "{:?}", batch.skipped);
        // 630 rows × 8 measures; 167 codes × 8.
        assert_eq!(batch.observations.len(), 5_040);
        assert_eq!(batch.series.len(), 1_336);
        assert_eq!(batch.values("lpi.lpi_score.deu", "2010"), [4.11]);
        assert_eq!(batch.values("lpi.lpi_rank.deu", "2010"), [1.0]);
        assert_eq!(batch.values("lpi.lpi_score.deu", "2016"), [4.23]);
        assert_eq!(batch.values("lpi.lpi_score.chn", "2016"), [3.66]);
        assert_eq!(batch.values("lpi.lpi_rank.chn", "2016"), [27.0]);
        let rom = batch
            .series
            .iter()
            .find(|s| s.id == "lpi.lpi_score.rom")
            .unwrap();
        assert_eq!(
            (rom.origin_code.as_str(), rom.origin_kind.as_str()),
            ("ROU", "economy")
        );
        let zar = batch
            .series
            .iter()
            .find(|s| s.id == "lpi.lpi_score.zar")
            .unwrap();
        assert_eq!(zar.origin_code, "COD");
        let de = batch
            .series
            .iter()
            .find(|s| s.id == "lpi.lpi_customs.deu")
            .unwrap();
        assert_eq!(
            (de.origin.as_str(), de.unit.as_str()),
            ("Germany", "score 1–5")
        );
    }
}
