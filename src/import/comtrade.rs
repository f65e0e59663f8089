//! UN Comtrade+ download CSV: one row per reporter × partner × flow × commodity × period.
//!
//! Quirks handled: Latin-1 text (decoded before it gets here), a header with one field fewer than every
//! row (trailing comma), numbers quoted as text, empty cif/fob while primaryValue is set. One series per
//! reporter × partner × flow × commodity; the value is primaryValue (US$), as Comtrade recommends.

use super::{
    series_with_places, slug, text::number, text::Rows, Defaults, Detect, FormatSpec, ImportError,
    Parse, RowError, SeriesSet, Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::from_code;
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "comtrade",
    defaults: Defaults {
        title: "UN Comtrade download",
        publisher: "United Nations Statistics Division (UN Comtrade)",
        source_url: Some("https://comtradeplus.un.org/"),
        licence: "UN Comtrade terms of use; attribution required",
    },
    detect: Detect::Header(|h| {
        h.contains("reporteriso") && h.contains("partneriso") && h.contains("flowcode")
    }),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

const REQUIRED: [&str; 8] = [
    "period",
    "reporteriso",
    "reporterdesc",
    "flowcode",
    "partneriso",
    "partnerdesc",
    "cmddesc",
    "primaryvalue",
];

/// Comtrade periods: "2023" (annual) or "202301" (monthly).
fn period(raw: &str) -> Result<Period, String> {
    let s = raw.trim();
    if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        return format!("{}-{}", &s[..4], &s[4..])
            .parse()
            .map_err(|e: crate::domain::PeriodError| e.to_string());
    }
    s.parse()
        .map_err(|e: crate::domain::PeriodError| e.to_string())
}

pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let (mut rows, headers, columns) = Rows::open(file, reader, &REQUIRED)?;
    let mut set = SeriesSet::default();
    let mut trailing_field_rows = 0u64;
    while let Some((row, record)) = rows.next(sink)? {
        // Comtrade+ writes one more field per row than its header has: an empty trailing one.
        if record.len() == headers.len() + 1
            && record.get(headers.len()).is_some_and(|f| f.is_empty())
        {
            trailing_field_rows += 1;
        }
        let get = |name: &str| columns.get(record, name);
        let period = match period(get("period")) {
            Ok(p) => p,
            Err(reason) => {
                sink.skip(RowError {
                    row,
                    column: "period".into(),
                    reason,
                });
                continue;
            }
        };
        let value = match number(get("primaryvalue")) {
            Ok(Some(v)) => v,
            Ok(None) => {
                sink.skip(RowError {
                    row,
                    column: "primaryValue".into(),
                    reason: "no value".into(),
                });
                continue;
            }
            Err(reason) => {
                sink.skip(RowError {
                    row,
                    column: "primaryValue".into(),
                    reason,
                });
                continue;
            }
        };
        let (reporter, partner) = (
            (get("reporteriso"), get("reporterdesc")),
            (get("partneriso"), get("partnerdesc")),
        );
        let flow = get("flowcode");
        let flow_desc = match get("flowdesc") {
            "" => flow,
            d => d,
        };
        // Exports go from reporter to partner; imports (and re-imports) from partner to reporter.
        let exports = flow.starts_with('X') || flow.eq_ignore_ascii_case("RX");
        let ((o_code, o_label), (d_code, d_label)) = if exports {
            (reporter, partner)
        } else {
            (partner, reporter)
        };
        let commodity = get("cmddesc");
        let basis = if exports { "FOB" } else { "CIF" };
        let series = Series {
            id: format!(
                "{dataset_id}.{}.{}.{}.{}",
                slug(flow),
                slug(o_code),
                slug(d_code),
                slug(get("cmdcode"))
            ),
            dataset_id: dataset_id.to_string(),
            indicator: format!("comtrade_{}", slug(flow_desc)),
            origin: o_label.to_string(),
            destination: d_label.to_string(),
            platform: String::new(),
            category: format!("{flow_desc}: {commodity}"),
            unit: "USD".into(),
            notes: format!(
                "{flow_desc} as reported by {}, {basis} (UN Comtrade primary value)",
                reporter.1
            ),
            ..Default::default()
        };
        let series = series_with_places(
            series,
            from_code(o_code, o_label),
            from_code(d_code, d_label),
        );
        let id = set.ensure(sink, series)?;
        sink.observation(Observation::new(&id, period, value))?;
    }
    let mut notes = String::from("Values are Comtrade's primaryValue in US$ (CIF for imports, FOB for exports, as reported).");
    if trailing_field_rows > 0 {
        notes.push_str(&format!(" {trailing_field_rows} rows had one trailing empty field more than the header; it was ignored."));
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{text, ImportBatch};

    #[test]
    fn imports_the_shipped_latin1_download() {
        let bytes = include_bytes!("../../data/raw/comtrade_plus/TradeData_4_4_2025_15_19_17.csv");
        let reader = text::reader_for(bytes);
        let mut batch = ImportBatch::default();
        let notes = parse("TradeData.csv", reader, "comtrade", &mut batch).unwrap();
        assert!(notes.contains("trailing empty field"), "{notes}");
        let lines = String::from_utf8_lossy(bytes).lines().count() - 1;
        assert_eq!(batch.observations.len() + batch.skipped.len(), lines);
        // Albania's imports from the World, 2023: the first row of the file.
        let alb = batch
            .series
            .iter()
            .find(|s| s.destination_code == "ALB" && s.origin_code == "WLD")
            .unwrap();
        assert_eq!(alb.origin_kind, "aggregate");
        assert!(alb.category.starts_with("Import"));
        // Latin-1 names decoded correctly somewhere in the file.
        assert!(batch.series.iter().any(|s| s.origin.contains("Côte")
            || s.destination.contains("Côte")
            || s.destination.contains("Curaçao")));
    }

    #[test]
    fn periods() {
        assert_eq!(period("202301").unwrap().to_string(), "2023-01");
        assert_eq!(period("2023").unwrap().to_string(), "2023");
        assert!(period("2023-13").is_err());
    }
}
