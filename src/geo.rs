//! Harmonising place names from different publishers to ISO 3166 alpha-3 codes.
//!
//! "China, P.R.: Hong Kong" (IMF), "China, Hong Kong SAR" (Comtrade) and "Hong Kong, China" (WITS) are one
//! place: HKG. The table (data/geo/places.csv, built by scripts/gen_places.py from the World Bank's country
//! metadata plus the spellings found in the shipped files) also says which names are aggregates (World,
//! regions, income groups), so they are never mistaken for countries. Each source's own label is kept for
//! display; the code is what joins series across sources. The table also carries each code's English and
//! Chinese short names, ISO alpha-2 and UN M49 region (from datahub.io's country-codes), and
//! [`canonical_code`] maps the codes older files still use (ROM, ZAR, SUN, …) onto today's.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// What a place name stands for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlaceKind {
    /// An economy with an ISO code.
    Economy,
    /// World, regions, income or IMF analytical groups.
    Aggregate,
    /// "not specified", "other" rows that close a total.
    Residual,
    /// Entities that no longer exist (USSR, Yugoslavia, …).
    Historical,
    /// Not recognised: kept with the source's label and no code.
    #[default]
    Unknown,
}

impl PlaceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Economy => "economy",
            PlaceKind::Aggregate => "aggregate",
            PlaceKind::Residual => "residual",
            PlaceKind::Historical => "historical",
            PlaceKind::Unknown => "",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub code: Option<String>,
    pub kind: PlaceKind,
}

/// What the table says about one code.
struct Entry {
    kind: PlaceKind,
    name: String,
    name_zh: String,
    region: String,
    subregion: String,
}

struct Table {
    by_name: HashMap<String, (String, PlaceKind)>,
    by_code: HashMap<String, Entry>,
}

fn normalise(name: &str) -> String {
    name.trim()
        .trim_end_matches('.')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut by_name = HashMap::new();
        let mut by_code = HashMap::new();
        let mut reader =
            csv::Reader::from_reader(include_str!("../data/geo/places.csv").as_bytes());
        for row in reader.records().flatten() {
            let (code, name, kind, aliases) = (&row[0], &row[1], &row[2], &row[3]);
            let kind = if kind == "aggregate" {
                PlaceKind::Aggregate
            } else {
                PlaceKind::Economy
            };
            let field = |i: usize| row.get(i).unwrap_or("").to_string();
            by_code.insert(
                code.to_string(),
                Entry {
                    kind,
                    name: name.to_string(),
                    name_zh: field(4),
                    region: field(6),
                    subregion: field(7),
                },
            );
            for n in std::iter::once(name).chain(aliases.split('|').filter(|a| !a.is_empty())) {
                by_name.insert(normalise(n), (code.to_string(), kind));
            }
        }
        Table { by_name, by_code }
    })
}

/// Finds the place a name (or an ISO code) stands for.
pub fn harmonise(name: &str) -> Place {
    let t = table();
    let key = normalise(name);
    if key.is_empty() {
        return Place {
            code: None,
            kind: PlaceKind::Unknown,
        };
    }
    if let Some((code, kind)) = t.by_name.get(&key) {
        return Place {
            code: Some(code.clone()),
            kind: *kind,
        };
    }
    let upper = name.trim().to_uppercase();
    if upper.len() == 3 {
        if let Some(entry) = t.by_code.get(&upper) {
            return Place {
                code: Some(upper),
                kind: entry.kind,
            };
        }
    }
    // IMF style "Poland, Rep. of", "Bahrain, Kingdom of": try the name before the comma.
    if let Some((head, _)) = name.split_once(", ") {
        if let Some((code, kind)) = t.by_name.get(&normalise(head)) {
            return Place {
                code: Some(code.clone()),
                kind: *kind,
            };
        }
    }
    let lower = key.as_str();
    let kind = if lower.contains("not specified")
        || lower.contains("nes") && lower.contains("other")
        || lower.starts_with("other ")
    {
        PlaceKind::Residual
    } else {
        PlaceKind::Unknown
    };
    Place { code: None, kind }
}

/// A place's code for an ISO-coded source (Comtrade, OWID): codes are checked against the table,
/// OWID's own "OWID_WRL" is the World, and an empty code marks a region (an aggregate).
pub fn from_code(code: &str, label: &str) -> Place {
    let code = code.trim();
    if code.is_empty() {
        return Place {
            code: None,
            kind: PlaceKind::Aggregate,
        };
    }
    if code == "OWID_WRL" || code == "W00" {
        return Place {
            code: Some("WLD".into()),
            kind: PlaceKind::Aggregate,
        };
    }
    match table().by_code.get(code) {
        Some(entry) => Place {
            code: Some(code.to_string()),
            kind: entry.kind,
        },
        None => harmonise(label),
    }
}

/// Codes of places that no longer exist, with the name files use for them: kept as their own code.
const HISTORICAL: [(&str, &str); 8] = [
    ("ANT", "Netherlands Antilles"),
    ("CSK", "Czechoslovakia"),
    ("DDR", "German Democratic Republic"),
    ("PCI", "Pacific Islands (Trust Territory)"),
    ("SCG", "Serbia and Montenegro"),
    ("SUN", "USSR"),
    ("YMD", "Yemen, Democratic"),
    ("YUG", "Yugoslavia"),
];

/// Superseded codes of places that still exist (CEPII, LPI and OTS keep the old ones).
const RENAMED: [(&str, &str); 4] = [
    ("ROM", "ROU"),
    ("ZAR", "COD"),
    ("TMP", "TLS"),
    ("PAL", "PSE"),
];

/// The place an ISO3-like code stands for, in any case: today's code for a superseded one (ROM → ROU),
/// historical places under their own code, unknown codes with no code (the caller keeps its label).
pub fn canonical_code(code: &str) -> Place {
    let upper = code.trim().to_ascii_uppercase();
    if let Some((_, new)) = RENAMED.iter().find(|(old, _)| *old == upper) {
        return Place {
            code: Some(new.to_string()),
            kind: PlaceKind::Economy,
        };
    }
    if HISTORICAL.iter().any(|(c, _)| *c == upper) {
        return Place {
            code: Some(upper),
            kind: PlaceKind::Historical,
        };
    }
    match table().by_code.get(&upper) {
        Some(entry) => Place {
            code: Some(upper),
            kind: entry.kind,
        },
        None => Place {
            code: None,
            kind: PlaceKind::Unknown,
        },
    }
}

fn entry(code: &str) -> Option<&'static Entry> {
    table().by_code.get(code)
}

fn nonempty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// The English name of a code (the World Bank's spelling where it has one), historical codes included.
pub fn name_of(code: &str) -> Option<&'static str> {
    match entry(code) {
        Some(e) => nonempty(&e.name),
        None => HISTORICAL.iter().find(|(c, _)| *c == code).map(|(_, n)| *n),
    }
}

/// A source's code (any case, old codes included) as a place with a label to show: the table's English
/// name, else the code itself, upper-cased (sources that give codes without names: OTS, CEPII).
pub fn labelled(code: &str) -> (Place, String) {
    let place = canonical_code(code);
    let label = place
        .code
        .as_deref()
        .and_then(name_of)
        .map_or_else(|| code.to_ascii_uppercase(), str::to_string);
    (place, label)
}

/// The Chinese short name (UNTERM, else the official Chinese name).
pub fn name_zh(code: &str) -> Option<&'static str> {
    entry(code).and_then(|e| nonempty(&e.name_zh))
}

/// The UN M49 region ("Asia", "Europe", …); none for aggregates.
pub fn region_of(code: &str) -> Option<&'static str> {
    entry(code).and_then(|e| nonempty(&e.region))
}

/// The UN M49 sub-region ("Eastern Asia", …).
pub fn subregion_of(code: &str) -> Option<&'static str> {
    entry(code).and_then(|e| nonempty(&e.subregion))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_place_under_many_names() {
        for name in [
            "China, P.R.: Hong Kong",
            "China, Hong Kong SAR",
            "Hong Kong, China",
            "hong kong  sar, china",
        ] {
            assert_eq!(harmonise(name).code.as_deref(), Some("HKG"), "{name}");
        }
        assert_eq!(harmonise("USA").code.as_deref(), Some("USA"));
        assert_eq!(harmonise("Rep. of Korea").code.as_deref(), Some("KOR"));
        assert_eq!(harmonise("Poland, Rep. of").code.as_deref(), Some("POL"));
        assert_eq!(harmonise("Viet Nam").code.as_deref(), Some("VNM"));
        assert_eq!(harmonise("Vietnam").code.as_deref(), Some("VNM"));
    }

    #[test]
    fn aggregates_are_not_countries() {
        assert_eq!(harmonise("World").kind, PlaceKind::Aggregate);
        assert_eq!(harmonise("Euro area").kind, PlaceKind::Aggregate);
        assert_eq!(harmonise("European Union").kind, PlaceKind::Aggregate);
        assert_eq!(harmonise("Germany").kind, PlaceKind::Economy);
        assert_eq!(from_code("", "Africa").kind, PlaceKind::Aggregate);
        assert_eq!(from_code("OWID_WRL", "World").code.as_deref(), Some("WLD"));
        assert_eq!(harmonise("Atlantis").kind, PlaceKind::Unknown);
        assert_eq!(
            harmonise("Countries & Areas not specified").kind,
            PlaceKind::Residual
        );
    }

    #[test]
    fn chinese_names_regions_and_old_codes() {
        assert_eq!(name_zh("CHN"), Some("中国"));
        assert_eq!(name_zh("USA"), Some("美利坚合众国"));
        assert_eq!(name_zh("DEU"), Some("德国"));
        // UNTERM has no short name for Hong Kong: the official Chinese name stands in.
        assert_eq!(name_zh("HKG"), Some("中国香港特别行政区"));
        assert_eq!(name_zh("TWN"), Some("台湾"));
        assert_eq!(region_of("DEU"), Some("Europe"));
        assert_eq!(subregion_of("CHN"), Some("Eastern Asia"));
        assert_eq!(region_of("WLD"), None);
        assert_eq!(name_of("CHN"), Some("China"));
        assert_eq!(name_of("SUN"), Some("USSR"));
        assert_eq!(
            canonical_code("rom"),
            Place {
                code: Some("ROU".into()),
                kind: PlaceKind::Economy
            }
        );
        assert_eq!(canonical_code("ZAR").code.as_deref(), Some("COD"));
        assert_eq!(
            canonical_code("sun"),
            Place {
                code: Some("SUN".into()),
                kind: PlaceKind::Historical
            }
        );
        assert_eq!(canonical_code("wld").kind, PlaceKind::Aggregate);
        assert_eq!(
            canonical_code("ALA").kind,
            PlaceKind::Economy,
            "added from country-codes"
        );
        assert_eq!(canonical_code("XYZ").code, None);
    }
}
