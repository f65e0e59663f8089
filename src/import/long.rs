//! The project's own long CSV: one row per figure — `series_id, origin, destination, platform, category,
//! period, value, unit` — plus, in the quoted-facts files, `source`/`source_url`, `quote`,
//! `attributed_to` and `caveat`. Streams row by row, so a million-row file needs little memory.
//!
//! How a figure was stated is kept, not smoothed over: "exceeded" becomes a lower bound, "about" an
//! approximation, "preliminary"/"target" provisional; a range such as "12-13" stays a range; a period
//! note such as "2024 (article date)" keeps its note in the caveat.

use super::{
    slug, text, text::Rows, Defaults, Detect, FormatSpec, ImportError, Parse, RowError, SeriesSet,
    Sink,
};
use crate::domain::{Flags, Observation, Period, Series};
use crate::geo::harmonise;
use std::collections::HashMap;
use std::io::Read;

/// The project's long CSV (series_id, origin, destination, platform, category, period, value, unit, …).
pub const SPEC: FormatSpec = FormatSpec {
    name: "long",
    defaults: Defaults {
        title: "Own data (long format)",
        publisher: "not stated — set --publisher",
        source_url: None,
        licence: "not stated; see the publisher's terms",
    },
    detect: Detect::Columns(&["series_id", "period", "value", "unit"]),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

/// Where the founding articles are served, so figures quoted from them link to their text.
pub const ARTICLE_ROUTE: &str = "/sources/articles/";

/// Dimension columns (origin, destination, platform, category) are optional; these are not.
const REQUIRED: [&str; 4] = ["series_id", "period", "value", "unit"];

pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let (mut rows, headers, columns) = Rows::open(file, reader, &REQUIRED)?;
    let width = headers.len();
    let mut set = SeriesSet::default();
    // Series already built, by their raw dimension fields: most rows repeat a series, and building
    // one (slugs, place look-ups) costs more than the row itself.
    let mut known: HashMap<String, String> = HashMap::new();
    // The raw fields behind each id: labels that slug alike ("A+B", "a b") must not share a series.
    let mut taken: HashMap<String, String> = HashMap::new();
    let mut key = String::new();
    while let Some((row, record)) = rows.next(sink)? {
        if record.len() > width && record.iter().skip(width).any(|f| !f.trim().is_empty()) {
            sink.skip(RowError {
                row,
                column: String::new(),
                reason: format!("{} fields, but the header has {width}", record.len()),
            });
            continue;
        }
        let get = |name: &str| columns.get(record, name);
        let fail = |column: &str, reason: String| RowError {
            row,
            column: column.into(),
            reason,
        };

        let (period_text, period_note) = split_note(get("period"));
        let period: Period = match period_text.parse() {
            Ok(p) => p,
            Err(e) => {
                sink.skip(fail("period", e.to_string()));
                continue;
            }
        };
        let (value, value_high) = match parse_value(get("value")) {
            Ok(v) => v,
            Err(reason) => {
                sink.skip(fail("value", reason));
                continue;
            }
        };
        let (unit, unit_says_lower_bound) = match get("unit") {
            "" => {
                sink.skip(fail("unit", "empty unit".into()));
                continue;
            }
            u => match u.strip_suffix("(lower bound)") {
                Some(base) => (base.trim().to_string(), true),
                None => (u.to_string(), false),
            },
        };
        let indicator = get("series_id");
        if indicator.is_empty() {
            sink.skip(fail("series_id", "empty series_id".into()));
            continue;
        }
        if slug(indicator).is_empty() {
            sink.skip(fail(
                "series_id",
                format!("'{indicator}' has no letter or digit to make an id from"),
            ));
            continue;
        }
        let (origin, destination) = (get("origin"), get("destination"));
        key.clear();
        for part in [
            indicator,
            origin,
            destination,
            get("platform"),
            get("category"),
            unit.as_str(),
        ] {
            key.push_str(part);
            key.push('\u{1f}');
        }
        let id = match known.get(&key) {
            Some(id) => id.clone(),
            None => {
                let series = Series {
                    id: String::new(),
                    dataset_id: dataset_id.to_string(),
                    indicator: indicator.to_string(),
                    origin: origin.to_string(),
                    destination: destination.to_string(),
                    platform: get("platform").to_string(),
                    category: get("category").to_string(),
                    unit,
                    ..Default::default()
                };
                let mut id = series_id(&series);
                if taken.get(&id).is_some_and(|k| *k != key) {
                    id = format!("{id}.{}", super::short_hash(&key));
                }
                taken.insert(id.clone(), key.clone());
                let series = super::series_with_places(
                    Series { id, ..series },
                    harmonise(origin),
                    harmonise(destination),
                );
                let id = set.ensure(sink, series)?;
                known.insert(key.clone(), id.clone());
                id
            }
        };

        let caveat = get("caveat");
        let caveat = match (caveat.is_empty(), period_note) {
            (true, None) => None,
            (false, None) => Some(caveat.to_string()),
            (true, Some(note)) => Some(format!("period: {note}")),
            (false, Some(note)) => Some(format!("{caveat}; period: {note}")),
        };
        let mut flags = flags_from_caveat(caveat.as_deref().unwrap_or(""));
        flags.lower_bound |= unit_says_lower_bound;
        let link = get("source_url");
        if !link.is_empty() && !crate::strings::is_web_url(link) {
            sink.skip(fail(
                "source_url",
                format!("'{link}' is not a web address (http:// or https://)"),
            ));
            continue;
        }
        let (source_url, attributed_to) = source_of(get("source"), link, get("attributed_to"));
        let quote = get("quote");
        sink.observation(Observation {
            series_id: id,
            period,
            value,
            value_high,
            flags,
            quote: (!quote.is_empty()).then(|| quote.to_string()),
            caveat,
            source_url,
            attributed_to,
        })?;
    }
    Ok(String::new())
}

/// Stable, readable id from the series' dimensions.
fn series_id(s: &Series) -> String {
    [
        &s.indicator,
        &s.origin,
        &s.destination,
        &s.platform,
        &s.category,
        &s.unit,
    ]
    .iter()
    .filter(|p| !p.is_empty())
    .map(|p| slug(p))
    .collect::<Vec<_>>()
    .join(".")
}

/// "2024 (article date)" → ("2024", Some("article date")).
fn split_note(raw: &str) -> (String, Option<String>) {
    match raw.split_once(" (") {
        Some((period, note)) => (
            period.trim().to_string(),
            Some(note.trim_end_matches(')').trim().to_string()),
        ),
        None => (raw.to_string(), None),
    }
}

/// A number, or a range "12-13" (lower end first). Thousands separators are accepted, and minus signs
/// and digits as Chinese keyboards write them (see [`text::plain_number`]).
fn parse_value(raw: &str) -> Result<(f64, Option<f64>), String> {
    let number = |s: &str| -> Result<f64, String> {
        text::plain_number(s).map_err(|e| e.replacen(&format!("'{s}'"), &format!("'{raw}'"), 1))
    };
    if raw.is_empty() {
        return Err("empty value".into());
    }
    // A range has a dash after its first character (so "-5" stays a negative number); the first
    // character may be several bytes long ("−5", "约12").
    let after_first = raw.chars().next().map_or(0, char::len_utf8);
    if let Some(pos) = raw[after_first..].find('-').map(|p| p + after_first) {
        let (lo, hi) = (number(&raw[..pos])?, number(&raw[pos + 1..])?);
        if hi < lo {
            return Err(format!("range '{raw}' ends below its start"));
        }
        return Ok((lo, Some(hi)));
    }
    Ok((number(raw)?, None))
}

/// Reads how the figure was stated from its caveat (which is shown beside it, so the flag can be checked).
fn flags_from_caveat(caveat: &str) -> Flags {
    let c = caveat.to_lowercase();
    let any = |words: &[&str]| words.iter().any(|w| c.contains(w));
    Flags {
        lower_bound: any(&[
            "lower bound",
            "surpass",
            "exceed",
            "more than",
            "surged past",
            "\"over\"",
        ]),
        approximate: any(&[
            "approximate",
            "\"about\"",
            "\"around\"",
            "\"circa\"",
            "约",
            "\"some\"",
        ]),
        provisional: any(&["preliminary", "projection", "target", "superseded"]),
    }
}

/// Per-figure source: a link where the file gives one, else the founding article it cites.
fn source_of(
    source: &str,
    source_url: &str,
    attributed_to: &str,
) -> (Option<String>, Option<String>) {
    let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    if !source_url.is_empty() {
        return (nonempty(source_url), nonempty(attributed_to));
    }
    // seed_facts cites "Publisher, year (seeds/NNN_hash.txt)": link the article copy the app serves.
    if let Some(start) = source.find("(seeds/") {
        let name = source[start + 7..].trim_end_matches(')');
        let label = source[..start].trim().to_string();
        return (Some(format!("{ARTICLE_ROUTE}{name}")), nonempty(&label));
    }
    (None, nonempty(source))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ImportBatch;

    fn run(bytes: &[u8]) -> Result<ImportBatch, ImportError> {
        let mut batch = ImportBatch::default();
        parse(
            "test",
            Box::new(std::io::Cursor::new(bytes.to_vec())),
            "facts",
            &mut batch,
        )?;
        Ok(batch)
    }

    #[test]
    fn imports_the_shipped_seed_facts() {
        let batch = run(include_bytes!("../../data/facts/seed_facts.csv")).unwrap();
        assert_eq!(batch.observations.len(), 20);
        assert!(batch.skipped.is_empty(), "{:?}", batch.skipped);
        let total = batch
            .observations
            .iter()
            .find(|o| {
                o.series_id.starts_with("cbec_trade_total.") && o.period.to_string() == "2024"
            })
            .unwrap();
        assert_eq!(total.value, 2.63);
        assert_eq!(
            total.source_url.as_deref(),
            Some("/sources/articles/001_66d3e9564b6bd9c5.txt")
        );
        assert!(total
            .quote
            .as_deref()
            .unwrap()
            .contains("2.63 trillion yuan"));
        let us = batch
            .observations
            .iter()
            .find(|o| o.series_id.starts_with("us_share_china_online_exports"))
            .unwrap();
        assert!(us.flags.lower_bound, "'more than a third' is a lower bound");
        let us_series = batch.series.iter().find(|s| s.id == us.series_id).unwrap();
        assert_eq!(
            us_series.unit, "% share",
            "the '(lower bound)' note moves from the unit to the flag"
        );
        assert_eq!(us_series.destination_code, "USA");
    }

    #[test]
    fn imports_the_shipped_platform_facts_with_ranges_and_period_notes() {
        let batch = run(include_bytes!("../../data/facts/cbec_platform_facts.csv")).unwrap();
        assert_eq!(batch.observations.len() + batch.skipped.len(), 79);
        assert!(batch.skipped.is_empty(), "{:?}", batch.skipped);
        let range = batch
            .observations
            .iter()
            .find(|o| o.value_high.is_some())
            .unwrap();
        assert_eq!((range.value, range.value_high), (12.0, Some(13.0)));
        assert!(range.flags.provisional, "a GMV target is not an outcome");
        let noted = batch
            .observations
            .iter()
            .find(|o| {
                o.caveat
                    .as_deref()
                    .is_some_and(|c| c.contains("period: spring"))
            })
            .unwrap();
        assert_eq!(noted.period.to_string(), "2020");
        // The narrow 2017 customs figure and the 2018+ series are different series.
        let narrow = batch
            .observations
            .iter()
            .find(|o| o.value == 90.24)
            .unwrap();
        let broad = batch.observations.iter().find(|o| o.value == 1.06).unwrap();
        assert_ne!(narrow.series_id, broad.series_id);
    }

    #[test]
    fn bad_rows_are_reported_with_row_and_column() {
        let csv = "series_id,origin,destination,platform,category,period,value,unit,source_url\n\
                   a,China,World,,x,2024,1.5,USD bn,https://example.org\n\
                   a,China,World,,x,2024-H3,2,USD bn,https://example.org\n\
                   a,China,World,,x,2023,lots,USD bn,https://example.org\n\
                   a,China,World,,x,2022,1,USD bn,https://example.org,extra\n";
        let batch = run(csv.as_bytes()).unwrap();
        assert_eq!(batch.observations.len(), 1);
        assert_eq!(
            batch.skipped[0],
            RowError {
                row: 3,
                column: "period".into(),
                reason: "'2024-H3' has no such month, quarter or half".into()
            }
        );
        assert_eq!(batch.skipped[1].row, 4);
        assert_eq!(batch.skipped[1].column, "value");
        assert!(
            batch.skipped[2].reason.contains("header has 9"),
            "{:?}",
            batch.skipped[2]
        );
    }

    #[test]
    fn a_header_without_required_columns_fails_whole() {
        assert!(matches!(
            run(b"just,a,header\n"),
            Err(ImportError::MissingColumn { .. })
        ));
    }

    #[test]
    fn labels_in_any_script_get_their_own_ids() {
        let csv = "series_id,origin,destination,period,value,unit\n\
                   出口,中国,美国,2024,1,亿元\n\
                   进口,中国,日本,2024,2,亿元\n\
                   exports,China,U S A,2024,3,USD bn\n\
                   exports,China,U.S.A.,2024,4,USD bn\n\
                   +++,China,USA,2024,5,USD bn\n\
                   出口,中国,美国,2023,6,亿元\n";
        let batch = run(csv.as_bytes()).unwrap();
        let ids: Vec<&str> = batch.series.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.len(), 4, "{ids:?}");
        assert!(ids.iter().all(|id| !id.is_empty()));
        assert_ne!(ids[0], ids[1], "出口 and 进口 are different series");
        // ASCII labels keep their readable ids; ids do not change from one import to the next.
        assert_eq!(ids[2], "exports.china.u-s-a.usd-bn");
        assert!(ids[3].starts_with("exports.china.u-s-a.usd-bn."), "{ids:?}");
        assert_eq!(run(csv.as_bytes()).unwrap().series[0].id, ids[0]);
        assert_eq!(batch.values(ids[0], "2023"), [6.0]);
        assert_eq!(batch.values(ids[1], "2024"), [2.0]);
        assert_eq!(batch.skipped.len(), 1);
        assert_eq!(
            (batch.skipped[0].row, batch.skipped[0].column.as_str()),
            (6, "series_id")
        );
    }

    #[test]
    fn values_starting_with_wide_characters_are_read_or_refused_never_panic() {
        let csv = "series_id,period,value,unit\n\
                   a,2020,\u{2212}5,USD\n\
                   a,2021,５,USD\n\
                   a,2022,约12,USD\n\
                   a,2023,€5,USD\n\
                   a,2024,１２\u{2212}１３,USD\n";
        let batch = run(csv.as_bytes()).unwrap();
        let id = &batch.series[0].id;
        assert_eq!(batch.values(id, "2020"), [-5.0]);
        assert_eq!(batch.values(id, "2021"), [5.0]);
        let skipped: Vec<(u64, &str, &str)> = batch
            .skipped
            .iter()
            .map(|e| (e.row, e.column.as_str(), e.reason.as_str()))
            .collect();
        assert_eq!(
            skipped,
            [
                (
                    4,
                    "value",
                    "'约12' is not a number ('约' is not part of one)"
                ),
                (5, "value", "'€5' is not a number ('€' is not part of one)"),
                (6, "value", "'１２−１３' is not a number"),
            ]
        );
    }

    #[test]
    fn values_and_flags() {
        assert_eq!(parse_value("-5"), Ok((-5.0, None)));
        assert_eq!(parse_value("175,700"), Ok((175700.0, None)));
        assert!(parse_value("13-12").is_err());
        assert!(flags_from_caveat("stated as \"surpassed\"").lower_bound);
        assert!(flags_from_caveat("\"约\" (about)").approximate);
        assert_eq!(flags_from_caveat(""), Flags::default());
    }
}
