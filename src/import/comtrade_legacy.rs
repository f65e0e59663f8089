//! The legacy UN Comtrade CSV (comtrade.un.org before Comtrade+): 35 columns from `Classification, Year,
//! Period, Period Desc., Aggregate Level` to `Trade Value (US$)` and `Flag`; one row per reporter, partner,
//! flow, commodity and period, as the reporter declared it. Commodity codes are text with leading zeros
//! ("00"); SITC (S1–S4) or HS (H0–H6) by `Classification`. "nes" areas have no ISO code: kept as residuals.
//! Comtrade's terms forbid redistribution, so these files are test fixtures, never shipped.

use super::{
    series_with_places, slug, text::number, text::Rows, Defaults, Detect, FormatSpec, ImportError,
    Parse, RowError, SeriesCache, Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::{canonical_code, harmonise, Place, PlaceKind};
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "comtrade-legacy",
    defaults: Defaults {
        title: "UN Comtrade (legacy CSV)",
        publisher: "United Nations Statistics Division (UN Comtrade)",
        source_url: Some("https://comtradeplus.un.org/"),
        licence: "UN Comtrade terms of use; redistribution requires the UN's permission",
    },
    detect: Detect::Header(|h| {
        h.starts_with("classification,year,period,period desc.,aggregate level")
    }),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

const REQUIRED: [&str; 11] = [
    "classification",
    "period",
    "trade flow",
    "reporter",
    "reporter iso",
    "partner",
    "partner iso",
    "commodity code",
    "commodity",
    "trade value (us$)",
    "year",
];

/// "201402" → "2014-02"; a year stays a year.
fn period(raw: &str) -> Result<Period, String> {
    let text = match raw.len() {
        6 if raw.bytes().all(|b| b.is_ascii_digit()) => format!("{}-{}", &raw[..4], &raw[4..]),
        _ => raw.to_string(),
    };
    text.parse().map_err(|e| format!("{e}"))
}

/// A Comtrade area: its ISO code (old ones mapped), or a residual "nes" area without one.
fn place(iso: &str, label: &str) -> Place {
    if iso.is_empty() {
        let place = harmonise(label);
        return match place.code {
            Some(_) => place,
            None => Place {
                code: None,
                kind: PlaceKind::Residual,
            },
        };
    }
    match canonical_code(iso) {
        Place { code: None, .. } => harmonise(label),
        known => known,
    }
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
        let fail = |column: &str, reason: String| RowError {
            row,
            column: column.into(),
            reason,
        };
        let period = match period(get("period")) {
            Ok(p) => p,
            Err(e) => {
                sink.skip(fail("Period", e));
                continue;
            }
        };
        let value = match number(get("trade value (us$)")) {
            Ok(Some(v)) => v,
            Ok(None) => {
                sink.skip(fail("Trade Value (US$)", "empty value".into()));
                continue;
            }
            Err(e) => {
                sink.skip(fail("Trade Value (US$)", e));
                continue;
            }
        };
        let flow = get("trade flow");
        let class = get("classification");
        let scheme = match class.chars().next() {
            Some('S' | 's') => "SITC",
            Some('H' | 'h') => "HS",
            _ => {
                sink.skip(fail(
                    "Classification",
                    format!("'{class}' is neither SITC (S…) nor HS (H…)"),
                ));
                continue;
            }
        };
        let outward = match flow.to_ascii_lowercase().as_str() {
            "export" | "re-export" => true,
            "import" | "re-import" => false,
            _ => {
                sink.skip(fail("Trade Flow", format!("unknown flow '{flow}'")));
                continue;
            }
        };
        let (reporter, reporter_iso, partner, partner_iso) = (
            get("reporter"),
            get("reporter iso"),
            get("partner"),
            get("partner iso"),
        );
        let (code, commodity) = (get("commodity code"), get("commodity"));
        let fields = [
            flow,
            reporter,
            reporter_iso,
            partner,
            partner_iso,
            class,
            code,
            commodity,
        ];
        let id = cache.id(sink, &fields, || {
            let key = |iso: &str, label: &str| match iso {
                "" => slug(label),
                iso => slug(iso),
            };
            let r = (place(reporter_iso, reporter), reporter);
            let p = (place(partner_iso, partner), partner);
            let (origin, destination) = if outward { (r, p) } else { (p, r) };
            let series = Series {
                id: format!(
                    "{dataset_id}.{}.{}.{}.{}-{}",
                    slug(flow),
                    key(reporter_iso, reporter),
                    key(partner_iso, partner),
                    slug(class),
                    slug(code)
                ),
                dataset_id: dataset_id.to_string(),
                indicator: format!("comtrade_{}", slug(flow)),
                origin: origin.1.to_string(),
                destination: destination.1.to_string(),
                category: format!("{scheme} {code} {commodity}"),
                unit: "US$".into(),
                notes: format!("As reported by {reporter} ({class})."),
                ..Default::default()
            };
            series_with_places(series, origin.0, destination.0)
        })?;
        sink.observation(Observation::new(&id, period, value))?;
    }
    Ok(String::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{text, ImportBatch};

    fn run(bytes: &[u8]) -> ImportBatch {
        let mut batch = ImportBatch::default();
        parse("legacy.csv", text::reader_for(bytes), "ct", &mut batch).unwrap();
        assert!(batch.skipped.is_empty(), "{:?}", &batch.skipped[..1]);
        batch
    }

    fn sum(batch: &ImportBatch, prefix: &str, period: &str) -> f64 {
        batch
            .observations
            .iter()
            .filter(|o| o.series_id.starts_with(prefix) && o.period.to_string() == period)
            .map(|o| o.value)
            .sum()
    }

    #[test]
    fn imports_the_four_legacy_fixtures() {
        let deu_2014 = run(include_bytes!(
            "../../tests/fixtures/comtrade_legacy/china_sitc2_deu_hkg_jpn_kor_usa_2010_2014.csv"
        ));
        assert_eq!(
            (deu_2014.series.len(), deu_2014.observations.len()),
            (645, 3_184)
        );
        // CHN→USA 2014 = 397.1 bn, summed over the 66 divisions (there is no total row).
        assert_eq!(
            sum(&deu_2014, "ct.export.chn.usa.", "2014"),
            397_099_249_674.0
        );
        let s = deu_2014
            .series
            .iter()
            .find(|s| s.id == "ct.export.chn.usa.s4-00")
            .unwrap();
        assert_eq!(s.indicator, "comtrade_export");
        assert_eq!(
            s.category,
            "SITC 00 Live animals other than animals of division 03"
        );
        assert_eq!(
            (s.origin_code.as_str(), s.destination_code.as_str()),
            ("CHN", "USA")
        );
        let hk = deu_2014
            .series
            .iter()
            .find(|s| s.destination_code == "HKG")
            .unwrap();
        assert_eq!(hk.destination, "China, Hong Kong SAR");

        let deu_2018 = run(include_bytes!(
            "../../tests/fixtures/comtrade_legacy/china_sitc2_deu_hkg_jpn_kor_usa_2015_2018.csv"
        ));
        assert_eq!(
            (deu_2018.series.len(), deu_2018.observations.len()),
            (647, 2_571)
        );
        // CHN←KOR 2018 = 204.6 bn: China's imports, origin Korea.
        assert_eq!(
            sum(&deu_2018, "ct.import.chn.kor.", "2018"),
            204_566_451_226.0
        );
        let m = deu_2018
            .series
            .iter()
            .find(|s| s.id.starts_with("ct.import.chn.kor."))
            .unwrap();
        assert_eq!(
            (m.origin_code.as_str(), m.destination_code.as_str()),
            ("KOR", "CHN")
        );
        assert!(
            deu_2018.series.iter().any(|s| s.category.contains('’')),
            "UTF-8 curly apostrophe"
        );

        let aus_2014 = run(include_bytes!(
            "../../tests/fixtures/comtrade_legacy/china_sitc2_aus_fra_ind_rus_vnm_2010_2014.csv"
        ));
        assert_eq!(
            (aus_2014.series.len(), aus_2014.observations.len()),
            (631, 3_071)
        );
        let aus_2018 = run(include_bytes!(
            "../../tests/fixtures/comtrade_legacy/china_sitc2_aus_fra_ind_rus_vnm_2015_2018.csv"
        ));
        assert_eq!(
            (aus_2018.series.len(), aus_2018.observations.len()),
            (644, 2_519)
        );
    }

    #[test]
    fn monthly_periods_hs_codes_and_nes_areas() {
        let csv = "Classification,Year,Period,Period Desc.,Aggregate Level,Is Leaf Code,Trade Flow Code,Trade Flow,Reporter Code,Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,Commodity Code,Commodity,Trade Value (US$)\n\
                   H5,2018,201802,February 2018,2,0,3,Re-export,156,China,CHN,899,\"Areas, nes\",,0101,Horses,12\n";
        let batch = run(csv.as_bytes());
        let s = &batch.series[0];
        assert_eq!(s.indicator, "comtrade_re-export");
        assert_eq!(s.category, "HS 0101 Horses");
        assert_eq!(
            (s.destination_code.as_str(), s.destination_kind.as_str()),
            ("", "residual")
        );
        assert_eq!(batch.observations[0].period.to_string(), "2018-02");
    }
}
