//! WTO Tariff & Trade Data "indicators" download of MFN duties by MTN product group: one row per reporter ×
//! year × group, `simple_average` and `trade_weighted` in %, `duty_free_share` a fraction (0–1). Top-level
//! groups (A–V) and their sub-groups (A01…) are nested in one column, so they are never added; `UNSPECIFIED`,
//! `Z` and `Z99` ("Unspecified products") are kept as published. Empty cells are missing, not zero. The
//! reporter imposes the duty (the destination); MFN applies to goods from every member, so no origin.

use super::{
    series_with_places, slug, text::number, text::Rows, Defaults, Detect, FormatSpec, ImportError,
    Parse, RowError, SeriesCache, Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::{harmonise, Place, PlaceKind};
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "wto-mfn",
    defaults: Defaults {
        title: "MFN duties by MTN product group (WTO Tariff & Trade Data)",
        publisher: "WTO Tariff & Trade Data",
        source_url: Some("https://ttd.wto.org/"),
        licence: "WTO's terms for these data were not verified: attribute \"WTO Tariff & Trade Data\" and \
                  re-download from ttd.wto.org before a commercial release.",
    },
    detect: Detect::Header(|h| {
        h.starts_with("reporter_name,reporter_code,year,classification,classification_version,duty_scheme_code")
    }),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

/// (column, indicator, unit).
const MEASURES: [(&str, &str, &str); 3] = [
    (
        "simple_average",
        "wto_mfn_simple_average",
        "% (simple average)",
    ),
    (
        "trade_weighted",
        "wto_mfn_trade_weighted",
        "% (import-weighted average)",
    ),
    (
        "duty_free_share",
        "wto_duty_free_share",
        "fraction of tariff lines (0–1)",
    ),
];

pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let mut required = vec![
        "reporter_name",
        "reporter_code",
        "year",
        "duty_scheme_code",
        "duty_scheme_name",
        "product_code",
        "mtn_categories",
    ];
    required.extend(MEASURES.iter().map(|m| m.0));
    let (mut rows, _, columns) = Rows::open(file, reader, &required)?;
    let mut cache = SeriesCache::default();
    while let Some((row, record)) = rows.next(sink)? {
        let get = |name: &str| columns.get(record, name);
        let fail = |column: &str, reason: String| RowError {
            row,
            column: column.into(),
            reason,
        };
        let period: Period = match get("year").parse() {
            Ok(p) => p,
            Err(e) => {
                sink.skip(fail("year", e.to_string()));
                continue;
            }
        };
        let (reporter, reporter_code) = (get("reporter_name"), get("reporter_code"));
        let market = harmonise(reporter);
        if market.code.is_none() {
            sink.skip(fail(
                "reporter_name",
                format!("unknown reporter '{reporter}'"),
            ));
            continue;
        }
        let (product, group) = (get("product_code"), get("mtn_categories"));
        let scheme = format!("{} ({})", get("duty_scheme_name"), get("duty_scheme_code"));
        for (column, indicator, unit) in MEASURES {
            let value = match number(get(column)) {
                Ok(Some(v)) => v,
                Ok(None) => continue,
                Err(reason) => {
                    sink.skip(fail(column, reason));
                    continue;
                }
            };
            let id = cache.id(sink, &[indicator, reporter_code, product], || {
                let s = Series {
                    id: format!(
                        "{dataset_id}.{indicator}.{}.{}",
                        slug(reporter_code),
                        slug(product)
                    ),
                    dataset_id: dataset_id.to_string(),
                    indicator: indicator.into(),
                    destination: reporter.to_string(),
                    category: format!("MTN {product} {group}"),
                    unit: unit.into(),
                    notes: format!(
                        "Duty scheme as published: {scheme}; top-level groups A–V and sub-groups are nested: \
                         never add them. MFN rates overstate what goods pay under a trade agreement."
                    ),
                    ..Default::default()
                };
                let all = Place {
                    code: None,
                    kind: PlaceKind::Unknown,
                };
                series_with_places(s, all, market.clone())
            })?;
            sink.observation(Observation::new(&id, period, value))?;
        }
    }
    Ok("MFN duties by MTN product group; groups A–V and their sub-groups are nested, and there is no \
        all-products total. duty_free_share is a fraction (0–1), the averages are %."
        .into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{text, ImportBatch};

    #[test]
    fn imports_the_shipped_five_markets() {
        let bytes =
            include_bytes!("../../data/raw/wto_tariffs/indicators_mfn_applied_duty_2010.csv");
        assert_eq!(
            crate::import::detect("w.csv", &bytes[..4096], None).unwrap(),
            crate::import::Format::WtoMfn
        );
        let mut b = ImportBatch::default();
        parse("w.csv", text::reader_for(bytes), "w", &mut b).unwrap();
        // 7,491 rows: 7,332 simple averages and duty-free shares, 7,050 weighted (empty cells are missing).
        assert_eq!(
            (b.series.len(), b.observations.len(), b.skipped.len()),
            (1_410, 21_714, 0)
        );
        let clothing = |code: &str, year: &str| {
            let v = b.values(&format!("w.wto_mfn_simple_average.{code}.q"), year);
            (v[0] * 100.0).round() / 100.0
        };
        assert_eq!(
            ["u918", "c840", "c392", "c356", "c156"].map(|c| clothing(c, "2024")),
            [11.47, 11.70, 8.94, 21.16, 6.78]
        );
        assert_eq!(clothing("c156", "2018"), 16.05);
        let eu = b
            .series
            .iter()
            .find(|s| s.id == "w.wto_mfn_simple_average.u918.q")
            .unwrap();
        assert_eq!(
            (
                eu.destination_code.as_str(),
                eu.destination_kind.as_str(),
                eu.origin_code.as_str(),
                eu.category.as_str()
            ),
            ("EUU", "aggregate", "", "MTN Q Clothing")
        );
        assert!(eu.notes.starts_with(
            "Duty scheme as published: MFN statutory (legal/autonomous) duty (A0002); top-level groups A–V"
        ));
        let us = b
            .series
            .iter()
            .find(|s| s.id == "w.wto_duty_free_share.c840.t01")
            .unwrap();
        assert_eq!(
            (
                us.destination_code.as_str(),
                us.unit.as_str(),
                us.category.as_str()
            ),
            (
                "USA",
                "fraction of tariff lines (0–1)",
                "MTN T01 Electrical machinery"
            )
        );
        // "Unspecified products" (UNSPECIFIED, Z, Z99) have no value in any row: no series, nothing skipped.
        assert!(!b
            .series
            .iter()
            .any(|s| s.category.ends_with("Unspecified products")));
        // 2025 has simple averages but no weighted ones.
        assert!(b
            .values("w.wto_mfn_trade_weighted.c156.q", "2025")
            .is_empty());
        assert_eq!(b.values("w.wto_mfn_simple_average.c156.q", "2025").len(), 1);
    }
}
