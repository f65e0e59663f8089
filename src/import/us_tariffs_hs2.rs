//! Trade War Tracker's US tariffs on goods from one Census country by HS2 chapter (`hs2-tariff-5700.csv`:
//! `HS2,2024_imports,2024_duty,CTY_NAME,CTY_CODE,2025_tariff_increase,2024_tariff`), built by its author from
//! US Census import data. Chapters are text with leading zeros; 98 and 99 (special provisions) are kept.
//! `2024_tariff` is the collected-duty rate; `2025_tariff_increase` is the author's model, not a rate in force.

use super::{
    series_with_places, slug, text::number, text::Rows, Defaults, Detect, FormatSpec, ImportError,
    Parse, RowError, SeriesCache, Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::{canonical_code, harmonise, Place};
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "us-tariffs-hs2",
    defaults: Defaults {
        title: "US tariffs by HS chapter (Trade War Tracker)",
        publisher: "Trade War Tracker (tradewartracker.com), from US Census Bureau import data",
        source_url: Some("https://tradewartracker.com/"),
        licence: TRACKER_LICENCE,
    },
    detect: Detect::Header(|h| h.starts_with("hs2,2024_imports,2024_duty,cty_name")),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

pub const TRACKER_LICENCE: &str = "Repository MIT (© 2025 tradewartracker); Census data are US federal \
government works, generally public domain (Census API terms not checked). Attribute \"Trade War Tracker \
(tradewartracker.com), from US Census Bureau import data\".";

/// Census spellings the place table does not know.
const CENSUS_NAMES: [(&str, &str); 1] = [("KOREA, SOUTH", "KOR")];

/// The place a Census country name stands for.
pub(crate) fn census_place(name: &str) -> Place {
    match CENSUS_NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
    {
        Some((_, code)) => canonical_code(code),
        None => harmonise(name),
    }
}

/// "TRINIDAD AND TOBAGO" → "Trinidad and Tobago": Census names are upper case, labels read better.
pub(crate) fn title_case(name: &str) -> String {
    name.split(' ')
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i > 0 && matches!(lower.as_str(), "and" | "of" | "the") {
                return lower;
            }
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// The market that imposes these duties.
pub(crate) fn united_states() -> Place {
    canonical_code("USA")
}

const MODEL_CAVEAT: &str = "Trade War Tracker model as of 6 August 2025; its 34-point base is the \
2 April 2025 announcement, not the rate in force";

/// (column, indicator, unit, period, series notes).
const MEASURES: [(&str, &str, &str, &str, &str); 4] = [
    (
        "2024_imports",
        "us_imports",
        "US$",
        "2024",
        "US imports for consumption (Census CON_VAL_YR), calendar 2024, summed over the chapter's HS10 lines.",
    ),
    (
        "2024_duty",
        "us_duty_collected",
        "US$",
        "2024",
        "Calculated duty (Census CAL_DUT_YR), calendar 2024, summed over the chapter's HS10 lines.",
    ),
    (
        "2024_tariff",
        "us_tariff_collected",
        "% (duty collected ÷ import value)",
        "2024",
        "Duty collected ÷ import value × 100 in 2024: includes MFN, Section 301 and 232 duties as collected in \
         2024. Not a statutory rate (exclusions, duty-free lines and the product mix lower it).",
    ),
    (
        "2025_tariff_increase",
        "us_tariff_added_2025_model",
        "percentage points (model)",
        "2025",
        "Model (Trade War Tracker), not a statutory or collected rate: points the author's reading of the 2025 \
         orders adds to the 2024 collected rate, averaged over the chapter's HS10 lines with 2024 import weights \
         (34 base, 0 for Annex II lines, 20 for the 11 April 2025 electronics exemption, 50 steel, aluminium and \
         copper, 25 autos — each replaces the base).",
    ),
];

pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let mut required = vec!["hs2", "cty_name", "cty_code"];
    required.extend(MEASURES.iter().map(|m| m.0));
    let (mut rows, _, columns) = Rows::open(file, reader, &required)?;
    let mut cache = SeriesCache::default();
    let destination = united_states();
    while let Some((row, record)) = rows.next(sink)? {
        let get = |name: &str| columns.get(record, name);
        let fail = |column: &str, reason: String| RowError {
            row,
            column: column.into(),
            reason,
        };
        let hs2 = get("hs2");
        if hs2.len() != 2 || !hs2.bytes().all(|b| b.is_ascii_digit()) {
            sink.skip(fail(
                "HS2",
                format!("'{hs2}' is not a two-digit HS chapter"),
            ));
            continue;
        }
        let country = get("cty_name");
        let origin = census_place(country);
        let Some(origin_code) = origin.code.clone() else {
            sink.skip(fail("CTY_NAME", format!("unknown country '{country}'")));
            continue;
        };
        for (column, indicator, unit, period, notes) in MEASURES {
            let value = match number(get(column)) {
                Ok(Some(v)) => v,
                Ok(None) => continue,
                Err(reason) => {
                    sink.skip(fail(column, reason));
                    continue;
                }
            };
            let id = cache.id(sink, &[indicator, &origin_code, hs2], || {
                let s = Series {
                    id: format!("{dataset_id}.{indicator}.{}.hs-{hs2}", slug(&origin_code)),
                    dataset_id: dataset_id.to_string(),
                    indicator: indicator.into(),
                    origin: title_case(country),
                    destination: "United States".into(),
                    category: format!("HS {hs2}"),
                    unit: unit.into(),
                    notes: notes.into(),
                    ..Default::default()
                };
                series_with_places(s, origin.clone(), destination.clone())
            })?;
            let period: Period = period.parse().expect("a year");
            let mut o = Observation::new(&id, period, value);
            if indicator == "us_tariff_added_2025_model" {
                o.caveat = Some(MODEL_CAVEAT.into());
            }
            sink.observation(o)?;
        }
    }
    Ok("US$ and rates for calendar 2024 (collected duties include MFN and Section 301/232 duties); the \
        2025 add-on is the tracker's model as of 6 August 2025."
        .into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{text, ImportBatch};

    #[test]
    fn imports_the_shipped_china_chapters() {
        let bytes = include_bytes!("../../data/raw/us_tariffs_on_china/hs2-tariff-5700.csv");
        assert_eq!(
            crate::import::detect("hs2.csv", bytes, None).unwrap(),
            crate::import::Format::UsTariffsHs2
        );
        let mut b = ImportBatch::default();
        parse("hs2.csv", text::reader_for(bytes), "t", &mut b).unwrap();
        // 98 chapters (01–99 without 77) × 4 measures, one observation each.
        assert_eq!(
            (b.series.len(), b.observations.len(), b.skipped.len()),
            (392, 392, 0)
        );
        let sum = |ind: &str| -> f64 {
            b.observations
                .iter()
                .filter(|o| o.series_id.starts_with(&format!("t.{ind}.chn.")))
                .map(|o| o.value)
                .sum()
        };
        let (imports, duty) = (sum("us_imports"), sum("us_duty_collected"));
        assert_eq!((imports / 1e7).round(), 42_943.0);
        assert_eq!((duty / 1e7).round(), 4_666.0);
        assert_eq!((100_000.0 * duty / imports).round(), 10_866.0);
        let one = |id: &str, p: &str| b.values(id, p)[0];
        assert_eq!(
            (one("t.us_imports.chn.hs-85", "2024") / 1e8).round(),
            1_187.0
        );
        let rate =
            |hs: &str| (one(&format!("t.us_tariff_collected.chn.hs-{hs}"), "2024") * 100.0).round();
        assert_eq!((rate("85"), rate("95"), rate("61")), (719.0, 137.0, 2318.0));
        // Leading zeros kept, special provisions kept.
        assert_eq!(one("t.us_imports.chn.hs-01", "2024"), 14_914_360.0);
        assert_eq!(one("t.us_tariff_collected.chn.hs-99", "2024"), 0.0);
        // The model, weighted by 2024 imports: 30.88 points.
        let weighted: f64 = b
            .observations
            .iter()
            .filter(|o| o.series_id.starts_with("t.us_tariff_added_2025_model."))
            .map(|o| {
                let hs = o.series_id.rsplit('-').next().unwrap();
                o.value * one(&format!("t.us_imports.chn.hs-{hs}"), "2024")
            })
            .sum();
        assert_eq!((100.0 * weighted / imports).round(), 3_088.0);
        let model = b
            .observations
            .iter()
            .find(|o| o.series_id == "t.us_tariff_added_2025_model.chn.hs-85")
            .unwrap();
        assert_eq!(model.period.to_string(), "2025");
        assert!(model
            .caveat
            .as_deref()
            .unwrap()
            .contains("not the rate in force"));
        let s = b
            .series
            .iter()
            .find(|s| s.id == "t.us_tariff_added_2025_model.chn.hs-61")
            .unwrap();
        assert_eq!(
            (
                s.origin.as_str(),
                s.origin_code.as_str(),
                s.destination_code.as_str(),
                s.category.as_str(),
                s.unit.as_str()
            ),
            ("China", "CHN", "USA", "HS 61", "percentage points (model)")
        );
        assert!(s.notes.starts_with("Model"));
        let collected = b
            .series
            .iter()
            .find(|s| s.id == "t.us_tariff_collected.chn.hs-61")
            .unwrap();
        assert_eq!(collected.unit, "% (duty collected ÷ import value)");
        assert!(collected.notes.contains("MFN, Section 301 and 232"));
    }

    #[test]
    fn census_names_and_labels() {
        assert_eq!(census_place("KOREA, SOUTH").code.as_deref(), Some("KOR"));
        assert_eq!(census_place("EUROPEAN UNION").code.as_deref(), Some("EUU"));
        assert_eq!(title_case("TRINIDAD AND TOBAGO"), "Trinidad and Tobago");
        assert_eq!(title_case("KOREA, SOUTH"), "Korea, South");
    }
}
