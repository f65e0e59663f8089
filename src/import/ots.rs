//! Open Trade Statistics (tradestatistics.io) country extract as CSV: `year, community_name, reporter_iso,
//! partner_iso, export_value_usd, import_value_usd` — one row per reporter, partner, product community and
//! year, both flows in one row. OTS builds both flows from importers' records (mirror data), so a row's
//! export is the partner's reported import: never add it to the reporter's own figures.
//!
//! OTS writes 0 where nothing was reported (the extract summed with missing values removed), so a 0 is
//! not a measured zero: that flow is skipped with the reason, the other flow of the row is kept. Codes are
//! lower-case ISO3 with old ones (`rom`, `sun`, `yug`); partner = reporter means re-imports, kept.

use super::{
    series_with_places, slug, text::number, text::Rows, Defaults, Detect, FormatSpec, ImportError,
    Parse, RowError, SeriesCache, Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::labelled as place;
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "ots",
    defaults: Defaults {
        title: "Open Trade Statistics: trade by partner and product community",
        publisher: "Open Trade Statistics (tradestatistics.io), built from UN Comtrade",
        source_url: Some("https://tradestatistics.io/"),
        licence: LICENCE,
    },
    detect: Detect::Header(|h| {
        h.starts_with(
            "year,community_name,reporter_iso,partner_iso,export_value_usd,import_value_usd",
        )
    }),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

pub const LICENCE: &str =
    "CC BY-NC 4.0 — non-commercial use only (Open Trade Statistics, built from UN Comtrade)";

/// Why a 0 is not stored (OTS files only).
pub const ZERO_REASON: &str =
    "0: no trade reported in this direction (Open Trade Statistics writes 0 where nothing was reported)";

pub const MIRROR_NOTES: &str =
    "Importer-reported (mirror) values: Open Trade Statistics builds both flows from \
the importing country's records, so exports are the partner's reported imports. Never add them to \
exporter-reported figures.";

const REQUIRED: [&str; 6] = [
    "year",
    "community_name",
    "reporter_iso",
    "partner_iso",
    "export_value_usd",
    "import_value_usd",
];

/// One flow's value under the zero rule: `None` (and the row reported to `sink`) for 0 or unreadable.
pub fn flow_value(raw: &str, column: &str, row: u64, sink: &mut dyn Sink) -> Option<f64> {
    let reason = match number(raw) {
        Ok(Some(v)) if v != 0.0 => return Some(v),
        Ok(Some(_)) => ZERO_REASON.to_string(),
        Ok(None) => "empty value".to_string(),
        Err(e) => e,
    };
    sink.skip(RowError {
        row,
        column: column.into(),
        reason,
    });
    None
}


pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let (mut rows, _, columns) = Rows::open(file, reader, &REQUIRED)?;
    let mut cache = SeriesCache::default();
    while let Some((row, record)) = rows.next(sink)? {
        let get = |name: &str| columns.get(record, name);
        let period: Period = match get("year").parse() {
            Ok(p) => p,
            Err(e) => {
                sink.skip(RowError {
                    row,
                    column: "year".into(),
                    reason: format!("{e}"),
                });
                continue;
            }
        };
        let (community, reporter, partner) = (
            get("community_name"),
            get("reporter_iso"),
            get("partner_iso"),
        );
        for (column, flow) in [("export_value_usd", "x"), ("import_value_usd", "m")] {
            let Some(value) = flow_value(get(column), column, row, sink) else {
                continue;
            };
            let id = cache.id(sink, &[flow, reporter, partner, community], || {
                let (r, r_label) = place(reporter);
                let (p, p_label) = place(partner);
                let (indicator, origin, destination) = match flow {
                    "x" => ("ots_exports", (r, r_label), (p, p_label)),
                    _ => ("ots_imports", (p, p_label), (r, r_label)),
                };
                let series = Series {
                    id: format!(
                        "{dataset_id}.{flow}.{}.{}.{}",
                        slug(reporter),
                        slug(partner),
                        slug(community)
                    ),
                    dataset_id: dataset_id.to_string(),
                    indicator: indicator.into(),
                    origin: origin.1,
                    destination: destination.1,
                    category: community.to_string(),
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
    use crate::import::{text, ImportBatch};

    #[test]
    fn imports_the_shipped_china_extract_with_the_zero_rule() {
        let bytes = include_bytes!("../../data/derived/ots_china_trade_by_partner_community.csv");
        let mut batch = ImportBatch::default();
        parse("ots.csv", text::reader_for(bytes), "ots", &mut batch).unwrap();
        // 155,833 rows × 2 flows = observations + zeros skipped.
        assert_eq!(batch.observations.len() + batch.skipped.len(), 2 * 155_833);
        assert!(batch.skipped.iter().all(|e| e.reason == ZERO_REASON));
        let zero = |col: &str| batch.skipped.iter().filter(|e| e.column == col).count();
        assert_eq!(zero("export_value_usd"), ZERO_EXPORTS);
        assert_eq!(zero("import_value_usd"), ZERO_IMPORTS);
        assert_eq!(batch.observations.len(), OBSERVATIONS);
        assert_eq!(batch.series.len(), SERIES);
        // awk -F, '$1==2018 && $4=="usa" {s+=$5} END {printf "%.0f\n", s}' data/derived/ots_china_trade_by_partner_community.csv
        let to_usa: f64 = batch
            .observations
            .iter()
            .filter(|o| o.series_id.starts_with("ots.x.chn.usa.") && o.period.to_string() == "2018")
            .map(|o| o.value)
            .sum();
        assert_eq!(to_usa, CHN_USA_2018);
        let s = batch
            .series
            .iter()
            .find(|s| s.id == "ots.x.chn.usa.machines")
            .unwrap();
        assert_eq!(
            (
                s.origin.as_str(),
                s.origin_code.as_str(),
                s.destination.as_str(),
                s.destination_code.as_str()
            ),
            ("China", "CHN", "United States", "USA")
        );
        assert_eq!(s.indicator, "ots_exports");
        let m = batch
            .series
            .iter()
            .find(|s| s.id == "ots.m.chn.usa.machines")
            .unwrap();
        assert_eq!(
            (m.origin_code.as_str(), m.destination_code.as_str()),
            ("USA", "CHN")
        );
        // Old codes: rom is Romania, sun the USSR (historical, its own code).
        let rom = batch
            .series
            .iter()
            .find(|s| s.id.starts_with("ots.x.chn.rom."))
            .unwrap();
        assert_eq!(
            (rom.destination_code.as_str(), rom.destination.as_str()),
            ("ROU", "Romania")
        );
        let sun = batch
            .series
            .iter()
            .find(|s| s.id.starts_with("ots.x.chn.sun."))
            .unwrap();
        assert_eq!(sun.destination_kind, "historical");
        // Re-imports (partner chn) are kept as published.
        assert!(batch
            .series
            .iter()
            .any(|s| s.id.starts_with("ots.m.chn.chn.")));
        assert!(batch
            .series
            .iter()
            .all(|s| !s.origin_code.is_empty() && !s.destination_code.is_empty()));
    }

    const ZERO_EXPORTS: usize = 2_613;
    const ZERO_IMPORTS: usize = 73_689;
    const OBSERVATIONS: usize = 235_364;
    const SERIES: usize = 9_085;
    // 579.3 bn, the README's check.
    const CHN_USA_2018: f64 = 579_315_837_443.0;
}
