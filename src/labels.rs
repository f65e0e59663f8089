//! Human names for indicators whose source gives only a code (`NE.EXP.GNFS.CD`, `dots_exports-fob`):
//! the table in data/mappings/indicators.csv, in English and Simplified Chinese. An indicator missing
//! from it is shown by its code, so an imported file never loses its series' names. Also the Chinese
//! names of the shipped product categories, places without a UN Chinese name and dataset titles
//! (data/mappings/{categories,places,datasets}_zh.csv).

use std::collections::HashMap;
use std::sync::OnceLock;

struct Names {
    en: String,
    zh: String,
}

fn table() -> &'static HashMap<String, Names> {
    static TABLE: OnceLock<HashMap<String, Names>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut reader =
            csv::Reader::from_reader(include_str!("../data/mappings/indicators.csv").as_bytes());
        reader
            .records()
            .flatten()
            .map(|row| {
                let field = |i: usize| row.get(i).unwrap_or("").trim().to_string();
                (field(0), Names { en: field(1), zh: field(2) })
            })
            .collect()
    })
}

/// The indicator's English name, or its code.
pub fn indicator(code: &str) -> String {
    table()
        .get(code)
        .map_or_else(|| code.to_string(), |n| n.en.clone())
}

/// The indicator's Simplified Chinese name, where the table has one.
pub fn indicator_zh(code: &str) -> Option<&'static str> {
    table().get(code).map(|n| n.zh.as_str()).filter(|z| !z.is_empty())
}

/// A two-column mapping file (English key, Chinese name) as a table; rows without a name are skipped.
fn chinese_names(text: &'static str) -> HashMap<String, String> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .flatten()
        .filter_map(|row| Some((row.get(0)?.trim().to_string(), row.get(1)?.trim().to_string())))
        .filter(|(_, zh)| !zh.is_empty())
        .collect()
}

/// `key`'s Chinese name in the mapping file `text`, its table built on first use.
fn lookup(table: &'static OnceLock<HashMap<String, String>>, text: &'static str, key: &str) -> Option<&'static str> {
    table.get_or_init(|| chinese_names(text)).get(key.trim()).map(String::as_str)
}

/// A product category's Simplified Chinese name (OTS communities, Japan Customs groups, HS chapters,
/// WTO MTN groups, platform measures, as the shipped files spell them), where the table has one.
pub fn category_zh(category: &str) -> Option<&'static str> {
    static TABLE: OnceLock<HashMap<String, String>> = OnceLock::new();
    lookup(&TABLE, include_str!("../data/mappings/categories_zh.csv"), category)
}

/// The Chinese name of a place without a UN Chinese name by code: aggregates ("World", "High
/// income"), regions and sub-national places as the shipped files spell them (data/mappings/places_zh.csv).
pub fn place_zh(name: &str) -> Option<&'static str> {
    static TABLE: OnceLock<HashMap<String, String>> = OnceLock::new();
    lookup(&TABLE, include_str!("../data/mappings/places_zh.csv"), name)
}

/// A shipped dataset's Chinese title, by dataset id (data/mappings/datasets_zh.csv).
pub fn dataset_title_zh(id: &str) -> Option<&'static str> {
    static TABLE: OnceLock<HashMap<String, String>> = OnceLock::new();
    lookup(&TABLE, include_str!("../data/mappings/datasets_zh.csv"), id)
}

/// The Chinese of an API description text (an OpenAPI summary, parameter or status meaning), by its
/// exact English (data/mappings/api_zh.csv); a test checks every text of the description has one.
pub fn api_text_zh(english: &str) -> Option<&'static str> {
    static TABLE: OnceLock<HashMap<String, String>> = OnceLock::new();
    lookup(&TABLE, include_str!("../data/mappings/api_zh.csv"), english)
}

/// Whether the table names the indicator.
pub fn is_named(code: &str) -> bool {
    table().contains_key(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_categories_have_chinese_names() {
        assert_eq!(category_zh("Miscellaneous"), Some("杂项制品"));
        assert_eq!(category_zh("Footwear and Headwear"), Some("鞋帽"));
        assert_eq!(category_zh("No such category"), None);
    }

    #[test]
    fn codes_get_names_and_unknown_codes_stay_codes() {
        assert_eq!(indicator("NE.EXP.GNFS.CD"), "Exports of goods and services, current US$");
        assert_eq!(indicator_zh("SP.POP.TOTL"), Some("人口"));
        assert_eq!(indicator("my_own_indicator"), "my_own_indicator");
        // Every row has both names: a half-filled row would show a code to Chinese readers.
        for (code, n) in table() {
            assert!(!n.en.is_empty() && !n.zh.is_empty(), "{code}");
        }
    }
}
