//! Open Trade Statistics, each reporter's trade with the World by product community, as summed by the
//! extract's script from OTS's HS4 table (`yrc`): `year, reporter_iso, reporter_fullname_english,
//! community_name, export_value_usd, import_value_usd, products_summed`. How many product rows went into
//! a figure differs row by row, so it is the observation's caveat. Same zero rule as [`super::ots`].

use super::ots::{flow_value, MIRROR_NOTES};
use super::{
    series_with_places, slug, text::Rows, Defaults, Detect, FormatSpec, ImportError, Parse,
    RowError, SeriesCache, Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::{canonical_code, Place, PlaceKind};
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "ots-world",
    defaults: Defaults {
        title: "Open Trade Statistics: each reporter's trade with the World by product community",
        publisher: "Open Trade Statistics (tradestatistics.io), built from UN Comtrade",
        source_url: Some("https://tradestatistics.io/"),
        licence: super::ots::LICENCE,
    },
    detect: Detect::Header(|h| {
        h.starts_with("year,reporter_iso,reporter_fullname_english,community_name,export_value_usd,import_value_usd")
    }),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

const REQUIRED: [&str; 7] = [
    "year",
    "reporter_iso",
    "reporter_fullname_english",
    "community_name",
    "export_value_usd",
    "import_value_usd",
    "products_summed",
];

pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let (mut rows, _, columns) = Rows::open(file, reader, &REQUIRED)?;
    let mut cache = SeriesCache::default();
    let world = || Place {
        code: Some("WLD".into()),
        kind: PlaceKind::Aggregate,
    };
    while let Some((row, record)) = rows.next(sink)? {
        let get = |name: &str| columns.get(record, name);
        let (year, summed) = (get("year"), get("products_summed"));
        let period: Period = match year.parse() {
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
        let (reporter, label, community) = (
            get("reporter_iso"),
            get("reporter_fullname_english"),
            get("community_name"),
        );
        for (column, flow) in [("export_value_usd", "x"), ("import_value_usd", "m")] {
            let Some(value) = flow_value(get(column), column, row, sink) else {
                continue;
            };
            let id = cache.id(sink, &[flow, reporter, label, community], || {
                let r = canonical_code(reporter);
                let (indicator, origin, destination) = match flow {
                    "x" => ("ots_world_exports", (r, label), (world(), "World")),
                    _ => ("ots_world_imports", (world(), "World"), (r, label)),
                };
                let series = Series {
                    id: format!("{dataset_id}.{flow}.{}.{}", slug(reporter), slug(community)),
                    dataset_id: dataset_id.to_string(),
                    indicator: indicator.into(),
                    origin: origin.1.to_string(),
                    destination: destination.1.to_string(),
                    category: community.to_string(),
                    unit: "USD".into(),
                    notes: MIRROR_NOTES.into(),
                    ..Default::default()
                };
                series_with_places(series, origin.0, destination.0)
            })?;
            let mut o = Observation::new(&id, period, value);
            o.caveat = Some(format!("sum of {summed} HS4 product rows of yrc{year}"));
            sink.observation(o)?;
        }
    }
    Ok(String::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{ots::ZERO_REASON, text, ImportBatch};

    #[test]
    fn imports_the_shipped_world_trade_by_community() {
        let bytes = include_bytes!("../../data/derived/ots_imports_by_community_2018.csv");
        let mut batch = ImportBatch::default();
        parse("w.csv", text::reader_for(bytes), "w", &mut batch).unwrap();
        assert_eq!(batch.observations.len() + batch.skipped.len(), 2 * 4_929);
        assert!(batch.skipped.iter().all(|e| e.reason == ZERO_REASON));
        let zero = |col: &str| batch.skipped.iter().filter(|e| e.column == col).count();
        assert_eq!((zero("export_value_usd"), zero("import_value_usd")), ZEROS);
        assert_eq!(batch.series.len(), SERIES);
        let usa = batch
            .series
            .iter()
            .find(|s| s.id == "w.m.usa.machines")
            .unwrap();
        assert_eq!(
            usa.destination,
            "USA, Puerto Rico and US Virgin Islands (excludes Virgin Islands until 1981)"
        );
        assert_eq!(
            (usa.origin_code.as_str(), usa.origin_kind.as_str()),
            ("WLD", "aggregate")
        );
        assert_eq!(usa.destination_code, "USA");
        let rom = batch
            .series
            .iter()
            .find(|s| s.id.starts_with("w.x.rom."))
            .unwrap();
        assert_eq!(rom.origin_code, "ROU");
        let first = &batch.observations[0];
        assert_eq!(first.series_id, "w.x.afg.animal-hides");
        assert_eq!(first.value, 16_410_969.0);
        assert_eq!(
            first.caveat.as_deref(),
            Some("sum of 19 HS4 product rows of yrc2018")
        );
        // One set of importer records read both ways: world imports = world exports (22,686 bn).
        let total = |ind: &str| -> f64 {
            let ids: std::collections::HashSet<&str> = batch
                .series
                .iter()
                .filter(|s| s.indicator == ind)
                .map(|s| s.id.as_str())
                .collect();
            batch
                .observations
                .iter()
                .filter(|o| ids.contains(o.series_id.as_str()))
                .map(|o| o.value)
                .sum()
        };
        assert_eq!((total("ots_world_imports") / 1e9).round(), 22_686.0);
        assert_eq!((total("ots_world_exports") / 1e9).round(), 22_686.0);
    }

    const ZEROS: (usize, usize) = (98, 42);
    // 9,718 observations: one series per reporter, flow and community.
    const SERIES: usize = 9_718;
}
