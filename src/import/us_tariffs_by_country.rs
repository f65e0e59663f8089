//! Trade War Tracker's modelled US tariff layers by partner and policy step (`country-by-time.csv`:
//! `date,country_name,effective tariff,total imports,2024 tariff`, spaces in the names). A value holds from
//! its date until the next; several steps can fall in one month, so each observation is that month with the
//! exact date in its caveat. `EUROPEAN UNION` is one partner (an aggregate) and `SLOVAKIA` also has its own
//! row: the rows are never summed. Imports and the 2024 collected rate repeat on every date: stored once.

use super::us_tariffs_hs2::{census_place, title_case, united_states, TRACKER_LICENCE};
use super::{
    series_with_places, slug, text::number, text::Rows, Defaults, Detect, FormatSpec, ImportError,
    Parse, RowError, SeriesCache, Sink,
};
use crate::domain::{Observation, Period, Series};
use std::collections::HashMap;
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "us-tariffs-by-country",
    defaults: Defaults {
        title: "US tariffs added since 2025 by partner, modelled (Trade War Tracker)",
        publisher: "Trade War Tracker (tradewartracker.com), from US Census Bureau import data",
        source_url: Some("https://tradewartracker.com/"),
        licence: TRACKER_LICENCE,
    },
    detect: Detect::Header(|h| h.starts_with("date,country_name,effective tariff,total imports")),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

/// The tracker's snapshot: later dates are announced actions as modelled then.
const SNAPSHOT: &str = "2026-07-23";

const MODEL_NOTES: &str = "Model (Trade War Tracker), not a statutory or collected rate: tariff layers \
added since 2025 (IEEPA fentanyl and reciprocal duties, Section 232 sector duties, the 2026 Section 122 \
surcharge, 2026 Section 301/338 actions) in percentage points, weighted by the partner's 2024 HS10 imports. \
Excludes MFN and the 2018–19 Section 301 duties (those are in the 2024 collected rate). Each value holds from \
its date until the next.";

const COLLECTED_NOTES: &str =
    "Duty collected ÷ import value × 100 in 2024: includes MFN, Section 301 and \
232 duties as collected in 2024. Not a statutory rate.";

const IMPORTS_NOTES: &str = "US imports for consumption, calendar 2024 (Census).";

/// (indicator, category, unit, notes).
type Measure = (&'static str, &'static str, &'static str, &'static str);
const ADDED: Measure = (
    "us_tariff_added_model",
    "All goods: tariff added since 2025 (model)",
    "percentage points (model)",
    MODEL_NOTES,
);
const COLLECTED: Measure = (
    "us_tariff_collected",
    "All goods: duty collected, 2024",
    "% (duty collected ÷ import value)",
    COLLECTED_NOTES,
);
const IMPORTS: Measure = (
    "us_imports",
    "All goods: imports, 2024",
    "US$",
    IMPORTS_NOTES,
);

pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let required = [
        "date",
        "country_name",
        "effective tariff",
        "total imports",
        "2024 tariff",
    ];
    let (mut rows, _, columns) = Rows::open(file, reader, &required)?;
    let mut cache = SeriesCache::default();
    let destination = united_states();
    // Partner → (imports, collected rate) as first stored.
    let mut once: HashMap<String, (String, String)> = HashMap::new();
    let year: Period = "2024".parse().expect("a year");
    while let Some((row, record)) = rows.next(sink)? {
        let get = |name: &str| columns.get(record, name);
        let fail = |column: &str, reason: String| RowError {
            row,
            column: column.into(),
            reason,
        };
        let date = get("date");
        let month = date
            .get(..7)
            .filter(|_| date.len() == 10 && date.as_bytes()[7] == b'-')
            .and_then(|m| m.parse::<Period>().ok());
        let Some(month) = month else {
            sink.skip(fail("date", format!("'{date}' is not a date (YYYY-MM-DD)")));
            continue;
        };
        let country = get("country_name");
        let origin = census_place(country);
        let Some(code) = origin.code.clone() else {
            sink.skip(fail("country_name", format!("unknown partner '{country}'")));
            continue;
        };
        let mut series = |sink: &mut dyn Sink, (indicator, category, unit, notes): Measure| {
            cache.id(sink, &[indicator, &code], || {
                let s = Series {
                    id: format!("{dataset_id}.{indicator}.{}", slug(&code)),
                    dataset_id: dataset_id.to_string(),
                    indicator: indicator.into(),
                    origin: title_case(country),
                    destination: "United States".into(),
                    category: category.into(),
                    unit: unit.into(),
                    notes: notes.into(),
                    ..Default::default()
                };
                series_with_places(s, origin.clone(), destination.clone())
            })
        };
        match number(get("effective tariff")) {
            Ok(Some(v)) => {
                let id = series(sink, ADDED)?;
                let mut caveat = format!(
                    "policy step dated {date} (the tracker's date; some are announcement dates)"
                );
                if date > SNAPSHOT {
                    caveat.push_str("; announced action as modelled on 23 July 2026");
                }
                let mut o = Observation::new(&id, month, v);
                o.caveat = Some(caveat);
                sink.observation(o)?;
            }
            Ok(None) => {}
            Err(reason) => sink.skip(fail("effective tariff", reason)),
        }
        let pair = (
            get("total imports").to_string(),
            get("2024 tariff").to_string(),
        );
        match once.get(&code) {
            Some(first) if *first == pair => continue,
            Some(_) => {
                sink.skip(fail(
                    "total imports",
                    format!("2024 values for '{country}' differ from the partner's first row; the first are kept"),
                ));
                continue;
            }
            None => {
                once.insert(code.clone(), pair);
            }
        }
        for (column, measure) in [("total imports", IMPORTS), ("2024 tariff", COLLECTED)] {
            match number(get(column)) {
                Ok(Some(v)) => {
                    let id = series(sink, measure)?;
                    sink.observation(Observation::new(&id, year, v))?;
                }
                Ok(None) => {}
                Err(reason) => sink.skip(fail(column, reason)),
            }
        }
    }
    Ok("Modelled tariff layers by policy step (each value holds until the next step), plus 2024 imports and \
        collected-duty rates per partner. The European Union is one partner; Slovakia also appears on its own: \
        never add partners' rows."
        .into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{text, ImportBatch};

    #[test]
    fn imports_the_shipped_partners_by_policy_step() {
        let bytes = include_bytes!("../../data/raw/us_tariffs_on_china/country-by-time.csv");
        assert_eq!(
            crate::import::detect("c.csv", bytes, None).unwrap(),
            crate::import::Format::UsTariffsByCountry
        );
        let mut b = ImportBatch::default();
        parse("c.csv", text::reader_for(bytes), "t", &mut b).unwrap();
        // 51 partners × 3 series; 23 dates × 51 model values + 51 × 2 values for 2024.
        assert_eq!(
            (b.series.len(), b.observations.len(), b.skipped.len()),
            (153, 1_275, 0)
        );
        let china: Vec<(String, f64, String)> = b
            .observations
            .iter()
            .filter(|o| o.series_id == "t.us_tariff_added_model.chn")
            .map(|o| {
                (
                    o.period.to_string(),
                    (o.value * 10.0).round() / 10.0,
                    o.caveat.clone().unwrap(),
                )
            })
            .collect();
        assert_eq!(china.len(), 23);
        let at = |day: &str| {
            china
                .iter()
                .find(|(_, _, c)| c.contains(&format!("dated {day} ")))
                .unwrap()
                .1
        };
        let steps = [
            ("2025-02-04", 20.0),
            ("2025-04-05", 50.3),
            ("2025-04-08", 93.9),
            ("2025-04-09", 112.2),
            ("2025-04-11", 88.1),
            ("2025-05-12", 27.1),
            ("2025-08-07", 31.1),
            ("2025-11-01", 22.2),
            ("2025-11-14", 18.9),
            ("2026-02-20", 4.8),
            ("2026-02-24", 10.8),
            ("2026-04-06", 10.3),
            ("2026-07-24", 11.9),
        ];
        for (day, want) in steps {
            assert_eq!(at(day), want, "{day}");
        }
        let april: Vec<_> = china.iter().filter(|(p, _, _)| p == "2025-04").collect();
        assert_eq!(april.len(), 5);
        assert_eq!(
            april[3].2,
            "policy step dated 2025-04-09 (the tracker's date; some are announcement dates)"
        );
        let last = china.last().unwrap();
        assert_eq!(last.0, "2026-08");
        assert!(last
            .2
            .ends_with("announced action as modelled on 23 July 2026"));
        assert!(
            !china[19].2.contains("announced"),
            "2026-07-22 is before the snapshot"
        );
        assert!(china[20].2.contains("announced"), "2026-07-24 is after it");
        assert_eq!(
            b.values("t.us_tariff_collected.chn", "2024")[0],
            10.865954673194842
        );
        assert_eq!(b.values("t.us_imports.chn", "2024"), [429_425_828_419.0]);
        // 51 partners, every one placed; the EU as an aggregate beside Slovakia, never inside it.
        let partners: std::collections::HashSet<&str> =
            b.series.iter().map(|s| s.origin_code.as_str()).collect();
        assert_eq!(partners.len(), 51);
        assert!(partners.contains("KOR") && partners.contains("SVK"));
        let eu = b
            .series
            .iter()
            .find(|s| s.id == "t.us_tariff_added_model.euu")
            .unwrap();
        assert_eq!(
            (
                eu.origin.as_str(),
                eu.origin_kind.as_str(),
                eu.destination_code.as_str()
            ),
            ("European Union", "aggregate", "USA")
        );
        assert_eq!(b.values("t.us_tariff_added_model.svk", "2025-04").len(), 5);
        assert!(eu.notes.starts_with("Model"));
    }

    #[test]
    fn unknown_partners_and_dates_are_reported() {
        let csv = "date,country_name,effective tariff,total imports,2024 tariff\n\
                   2025-02-04,ATLANTIS,1.0,2.0,3.0\n\
                   2025-02,CHINA,1.0,2.0,3.0\n";
        let mut b = ImportBatch::default();
        parse("c.csv", text::reader_for(csv.as_bytes()), "t", &mut b).unwrap();
        assert!(b.skipped[0].reason.contains("'ATLANTIS'"));
        assert!(b.skipped[1].reason.contains("'2025-02'"));
        assert!(b.observations.is_empty());
    }
}
