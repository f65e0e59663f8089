//! Open Trade Statistics, one reporter's trade with the World by HS4 product (short English name only, no
//! HS code): `community_name, product_shortname_english, export_value_usd, import_value_usd`. The reporter
//! and year are not columns: the extract names them in the file name (`ots_china_exports_by_product_2018`).
//! Product names repeat across communities (Asphalt, Mica, …), so the community is part of the category.
//! Same zero rule as [`super::ots`].

use super::ots::{flow_value, MIRROR_NOTES};
use super::{
    base_stem, series_with_places, slug, text::Rows, Defaults, Detect, FormatSpec, ImportError,
    Parse, SeriesCache, Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::{harmonise, name_of, Place, PlaceKind};
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "ots-products",
    defaults: Defaults {
        title: "Open Trade Statistics: one reporter's trade with the World by product",
        publisher: "Open Trade Statistics (tradestatistics.io), built from UN Comtrade",
        source_url: Some("https://tradestatistics.io/"),
        licence: super::ots::LICENCE,
    },
    detect: Detect::Header(|h| {
        h.starts_with("community_name,product_shortname_english,export_value_usd,import_value_usd")
    }),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

const REQUIRED: [&str; 4] = [
    "community_name",
    "product_shortname_english",
    "export_value_usd",
    "import_value_usd",
];

/// "ots_china_exports_by_product_2018" → (China, 2018).
fn reporter_and_year(file: &str) -> Result<(Place, String, Period), ImportError> {
    let stem = base_stem(file);
    let bad = || {
        ImportError::NotATable {
        file: file.into(),
        reason: "the reporter and year are not columns: name the file ots_<country>_exports_by_product_<year>.csv".into(),
    }
    };
    let rest = stem.strip_prefix("ots_").ok_or_else(bad)?;
    let (country, year) = rest.split_once("_exports_by_product_").ok_or_else(bad)?;
    let place = harmonise(&country.replace('_', " "));
    let period: Period = year.parse().map_err(|_| bad())?;
    let label = place.code.as_deref().and_then(name_of).ok_or_else(bad)?;
    Ok((place, label.to_string(), period))
}

pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let (reporter, label, period) = reporter_and_year(file)?;
    let (mut rows, _, columns) = Rows::open(file, reader, &REQUIRED)?;
    let mut cache = SeriesCache::default();
    let world = Place {
        code: Some("WLD".into()),
        kind: PlaceKind::Aggregate,
    };
    while let Some((row, record)) = rows.next(sink)? {
        let get = |name: &str| columns.get(record, name);
        let (community, product) = (get("community_name"), get("product_shortname_english"));
        for (column, flow) in [("export_value_usd", "x"), ("import_value_usd", "m")] {
            let Some(value) = flow_value(get(column), column, row, sink) else {
                continue;
            };
            let id = cache.id(sink, &[flow, community, product], || {
                let (indicator, origin, destination) = match flow {
                    "x" => (
                        "ots_product_exports",
                        (reporter.clone(), label.as_str()),
                        (world.clone(), "World"),
                    ),
                    _ => (
                        "ots_product_imports",
                        (world.clone(), "World"),
                        (reporter.clone(), label.as_str()),
                    ),
                };
                let series = Series {
                    id: format!("{dataset_id}.{flow}.{}.{}", slug(community), slug(product)),
                    dataset_id: dataset_id.to_string(),
                    indicator: indicator.into(),
                    origin: origin.1.to_string(),
                    destination: destination.1.to_string(),
                    category: format!("{community} › {product}"),
                    unit: "USD".into(),
                    notes: MIRROR_NOTES.into(),
                    ..Default::default()
                };
                series_with_places(series, origin.0, destination.0)
            })?;
            sink.observation(Observation::new(&id, period, value))?;
        }
    }
    Ok(String::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{ots::ZERO_REASON, text, ImportBatch};

    #[test]
    fn imports_the_shipped_china_products() {
        let bytes = include_bytes!("../../data/derived/ots_china_exports_by_product_2018.csv");
        let mut batch = ImportBatch::default();
        let name = "data/derived/ots_china_exports_by_product_2018.csv";
        parse(name, text::reader_for(bytes), "p", &mut batch).unwrap();
        // 1,222 rows, one export written as 0.
        assert_eq!(batch.skipped.len(), 1);
        assert_eq!(batch.skipped[0].reason, ZERO_REASON);
        assert_eq!(batch.skipped[0].column, "export_value_usd");
        assert_eq!(batch.observations.len(), 2 * 1_222 - 1);
        assert_eq!(batch.series.len(), 2 * 1_222 - 1);
        let exports: f64 = batch
            .observations
            .iter()
            .filter(|o| o.series_id.starts_with("p.x."))
            .map(|o| o.value)
            .sum();
        // Equals the chn.rds 2018 total over partners (3,216.8 bn).
        assert_eq!(exports, 3_216_750_702_803.0);
        // Asphalt sits in two communities: two series.
        let asphalt: Vec<_> = batch
            .series
            .iter()
            .filter(|s| s.indicator == "ots_product_exports" && s.category.ends_with("› Asphalt"))
            .collect();
        assert_eq!(asphalt.len(), 2);
        let s = batch
            .series
            .iter()
            .find(|s| s.id == "p.m.unspecified.unspecified")
            .unwrap();
        assert_eq!(
            (
                s.origin_code.as_str(),
                s.destination.as_str(),
                s.destination_code.as_str()
            ),
            ("WLD", "China", "CHN")
        );
        assert_eq!(s.category, "Unspecified › Unspecified");
        assert_eq!(batch.values(&s.id, "2018"), [78_906_528_235.0]);
        assert!(matches!(
            reporter_and_year("products.csv"),
            Err(ImportError::NotATable { .. })
        ));
    }
}
