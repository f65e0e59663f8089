//! Harmonising place names from different publishers to ISO 3166 alpha-3 codes.
//!
//! "China, P.R.: Hong Kong" (IMF), "China, Hong Kong SAR" (Comtrade) and "Hong Kong, China" (WITS) are one
//! place: HKG. The table (data/geo/places.csv, built by scripts/gen_places.py from the World Bank's country
//! metadata plus the spellings found in the shipped files) also says which names are aggregates (World,
//! regions, income groups), so they are never mistaken for countries. Each source's own label is kept for
//! display; the code is what joins series across sources.

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

struct Table {
    by_name: HashMap<String, (String, PlaceKind)>,
    by_code: HashMap<String, PlaceKind>,
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
            by_code.insert(code.to_string(), kind);
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
        if let Some(kind) = t.by_code.get(&upper) {
            return Place {
                code: Some(upper),
                kind: *kind,
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
        Some(kind) => Place {
            code: Some(code.to_string()),
            kind: *kind,
        },
        None => harmonise(label),
    }
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
}

// TEMPORARY until the country-codes table lands (importers branch): names and regions by code.
pub fn name_of(_code: &str) -> Option<&'static str> {
    None
}
pub fn region_of(_code: &str) -> Option<&'static str> {
    None
}
