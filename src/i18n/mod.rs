//! The one translation layer: every user-facing string of the UI is looked up here by key.
//!
//! English (`en.rs`) is the reference; Simplified Chinese (`zh_hans.rs`, terms as in
//! `data/mappings/glossary.csv`) has every key too, with the same `{placeholders}` — tests check both.
//! A key missing from the tables shows itself (`⟦key⟧`) rather than failing silently.

use serde::{Deserialize, Serialize};

mod en;
pub mod numbers;
pub(crate) mod words;
mod zh_hans;
pub use words::Words;
use en::EN;
use zh_hans::ZH_HANS;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    ZhHans,
}

impl Lang {
    /// Every language the UI has, in the order language choices list them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhHans];

    /// The language's own name, for language choices (the same in every UI language).
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhHans => "简体中文",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHans => "zh-Hans",
        }
    }

    /// The language alone, without script or region ("zh"), as `strings::language_of` names a text's.
    pub fn base(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHans => "zh",
        }
    }

    /// Where the language's pages live: English at the root, Chinese under `/zh`.
    pub fn prefix(self) -> &'static str {
        match self {
            Lang::En => "",
            Lang::ZhHans => "/zh",
        }
    }

    /// A page of this site in this language: `/explore?s=…` → `/zh/explore?s=…`, `/` → `/zh`.
    /// Anything that is not a site path (a full URL, a #fragment) is left as it is.
    pub fn page(self, path: &str) -> String {
        match (self, path) {
            (Lang::ZhHans, "/") => "/zh".to_string(),
            (Lang::ZhHans, p) if p.starts_with('/') && !p.starts_with("//") => format!("/zh{p}"),
            _ => path.to_string(),
        }
    }

    /// The language of a page path and the same page's path in English: `/zh/explore` →
    /// (Chinese, `/explore`); `/zh` and `/zh/` → (Chinese, `/`).
    pub fn of_path(path: &str) -> (Lang, &str) {
        match path.strip_prefix("/zh") {
            Some("") => (Lang::ZhHans, "/"),
            Some(rest) if rest.starts_with('/') => (Lang::ZhHans, rest),
            _ => (Lang::En, path),
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "zh" | "zh-Hans" | "zh-CN" => Some(Lang::ZhHans),
            _ => None,
        }
    }
}



/// The language of the page being rendered: from the request's path on the server (`/zh/…` is
/// Chinese), from `<html lang>` in the browser.
pub fn current() -> Lang {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .map(|p| Lang::of_path(p.uri.path()).0)
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        if let Some(code) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
        {
            return Lang::from_code(&code).unwrap_or_default();
        }
        Lang::En
    }
}

/// A place's name in `lang`: on Chinese pages the UN Chinese name from the country-codes table where
/// it has one, else the name from data/mappings/places_zh.csv; otherwise the name as the source gave it.
pub fn place(lang: Lang, code: &str, name: &str) -> String {
    #[cfg(feature = "ssr")]
    if lang == Lang::ZhHans {
        if let Some(zh) = crate::geo::name_zh(code).or_else(|| crate::labels::place_zh(name)) {
            return zh.to_string();
        }
    }
    let _ = (lang, code);
    name.to_string()
}

/// A product category's name in `lang` (data/mappings/categories_zh.csv on Chinese pages).
pub fn category(lang: Lang, name: &str) -> String {
    #[cfg(feature = "ssr")]
    if lang == Lang::ZhHans {
        if let Some(zh) = crate::labels::category_zh(name) {
            return zh.to_string();
        }
        // The mirror data's category names its reporter: "Imports (TOTAL), reported by USA".
        if let Some(reporter) = name.strip_prefix("Imports (TOTAL), reported by ") {
            let code = crate::geo::harmonise(reporter).code;
            let who = code.as_deref().and_then(crate::geo::name_zh).unwrap_or(reporter);
            return format!("进口总额，{who}申报");
        }
    }
    let _ = lang;
    name.to_string()
}

/// A value of a picker dimension as the reader reads it: an indicator's name rather than its code,
/// places and categories in `lang`; platforms as they write themselves.
pub fn dimension_value(lang: Lang, dimension: crate::domain::Dimension, value: &str) -> String {
    #[cfg(feature = "ssr")]
    use crate::domain::Dimension;
    #[cfg(feature = "ssr")]
    match dimension {
        Dimension::Indicator => {
            let zh = (lang == Lang::ZhHans).then(|| crate::labels::indicator_zh(value)).flatten();
            zh.map_or_else(|| crate::labels::indicator(value), str::to_string)
        }
        Dimension::Origin | Dimension::Destination => {
            let code = crate::geo::harmonise(value).code.unwrap_or_default();
            place(lang, &code, value)
        }
        Dimension::Category => category(lang, value),
        Dimension::Platform => value.to_string(),
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (lang, dimension);
        value.to_string()
    }
}

/// A dataset's title in `lang`: shipped datasets have a Chinese title; imported ones keep theirs.
pub fn dataset_title(lang: Lang, id: &str, title: &str) -> String {
    #[cfg(feature = "ssr")]
    if lang == Lang::ZhHans {
        if let Some(zh) = crate::labels::dataset_title_zh(id) {
            return zh.to_string();
        }
    }
    let _ = (lang, id);
    title.to_string()
}

/// The string for `key` in `lang`.
pub fn t(lang: Lang, key: &str) -> &'static str {
    let table = match lang {
        Lang::En => EN,
        Lang::ZhHans => ZH_HANS,
    };
    table
        .iter()
        .chain(EN.iter())
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| missing(key))
}

/// The string for `key` with its named arguments filled in: `{market} ranks {rank}` with
/// `[("market", "Poland"), ("rank", "3rd")]`. Messages carry no plural logic; arguments are whole phrases.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    fill(t(lang, key), args)
}

/// Fills `{name}` placeholders of an already translated message (islands get messages as props).
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// "1st", "2nd", "3rd", "11th" in English; "第3" in Chinese.
pub fn ordinal(lang: Lang, n: usize) -> String {
    match lang {
        Lang::ZhHans => format!("第{n}"),
        Lang::En => {
            let suffix = match (n % 10, n % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{n}{suffix}")
        }
    }
}

/// Whether the English table (the reference) has `key`.
pub fn exists(key: &str) -> bool {
    EN.iter().any(|(k, _)| *k == key)
}

fn missing(key: &str) -> &'static str {
    // Leaks only for keys that are missing, which tests catch; keeps the signature allocation-free.
    Box::leak(format!("⟦{key}⟧").into_boxed_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_falls_back_to_english_and_flags_missing_keys() {
        assert_eq!(t(Lang::En, "nav.explore"), "Explore");
        assert_eq!(t(Lang::ZhHans, "nav.explore"), "探索");
        assert_eq!(t(Lang::ZhHans, "explore.apply"), "显示图表");
        assert_eq!(t(Lang::En, "no.such.key"), "⟦no.such.key⟧");
    }

    /// Every literal key the UI looks up exists in English, so no reader ever sees ⟦key⟧.
    #[test]
    fn every_key_used_in_the_source_exists() {
        let mut sources = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    sources.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        let mut used = Vec::new();
        for text in &sources {
            let text = text.replace("tf(lang, \"", "t(lang, \"");
            let mut parts = text.split("t(lang, \"");
            let mut before = parts.next().unwrap_or("");
            for part in parts {
                // `t(` or the embed pages' `text(` (which calls `t`), not any other name ending in t.
                let called = !before.ends_with(|c: char| c.is_alphanumeric() || c == '_')
                    || before.ends_with("tex");
                if let (true, Some(key)) = (called, part.split('"').next()) {
                    used.push(key.to_string());
                }
                before = part;
            }
        }
        // Keys built at run time.
        for v in ["line", "area", "bars", "bubble", "table"] {
            used.push(format!("explore.chart.{v}"));
        }
        for tf in ["abs", "yoy", "index", "share"] {
            used.push(format!("explore.tf.{tf}"));
        }
        // The market finder's indicators and presets (`markets::score`; this layer cannot name it).
        let indicators = ["size", "share", "growth", "all_growth", "income", "internet", "logistics", "distance", "tariff"];
        for kind in ["us", "group", "applied", "mfn"] {
            used.push(format!("markets.tariff.kind.{kind}"));
        }
        for i in indicators {
            for prefix in ["ind", "about", "strength"] {
                used.push(format!("markets.{prefix}.{i}"));
            }
        }
        for name in ["balanced", "large", "growing", "reach"] {
            used.push(format!("markets.preset.{name}"));
        }
        // The UN M49 regions the market finder offers (data/geo/places.csv).
        for region in ["africa", "americas", "asia", "europe", "oceania"] {
            used.push(format!("region.{region}"));
        }
        for format in ["auto", "long", "comtrade", "wdi", "wits", "imf-dots", "owid", "xlsx-long"] {
            used.push(format!("admin.format.{format}"));
        }
        for theme in ["auto", "light", "dark"] {
            used.push(format!("theme.{theme}"));
            used.push(format!("embed.theme.{theme}"));
        }
        assert!(used.len() > 40, "found {} keys", used.len());
        let missing: Vec<&String> = used
            .iter()
            .filter(|k| !EN.iter().any(|(e, _)| e == k))
            .collect();
        assert!(missing.is_empty(), "missing English strings: {missing:?}");
    }

    #[test]
    fn pages_live_under_their_language_prefix() {
        assert_eq!(Lang::ZhHans.page("/explore?s=a"), "/zh/explore?s=a");
        assert_eq!(Lang::ZhHans.page("/"), "/zh");
        assert_eq!(Lang::En.page("/explore"), "/explore");
        assert_eq!(Lang::ZhHans.page("https://example.org/"), "https://example.org/");
        assert_eq!(Lang::ZhHans.page("//evil.example/"), "//evil.example/");
        assert_eq!(Lang::of_path("/zh/markets"), (Lang::ZhHans, "/markets"));
        assert_eq!(Lang::of_path("/zh"), (Lang::ZhHans, "/"));
        assert_eq!(Lang::of_path("/zh/"), (Lang::ZhHans, "/"));
        assert_eq!(Lang::of_path("/zhx"), (Lang::En, "/zhx"));
        assert_eq!(Lang::of_path("/explore"), (Lang::En, "/explore"));
        for lang in Lang::ALL {
            for path in ["/", "/explore", "/markets"] {
                assert_eq!(Lang::of_path(&lang.page(path)), (lang, path));
            }
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn places_and_categories_take_their_chinese_names_on_chinese_pages() {
        assert_eq!(place(Lang::ZhHans, "VNM", "Viet Nam"), "越南");
        assert_eq!(place(Lang::En, "VNM", "Viet Nam"), "Viet Nam");
        assert_eq!(place(Lang::ZhHans, "", "Somewhere"), "Somewhere", "no code, the published name");
        assert_eq!(category(Lang::ZhHans, "Miscellaneous"), "杂项制品");
        assert_eq!(category(Lang::ZhHans, "Imports (TOTAL), reported by Japan"), "进口总额，日本申报");
        assert_eq!(category(Lang::En, "Miscellaneous"), "Miscellaneous");
    }

    #[test]
    fn arguments_and_ordinals() {
        assert_eq!(
            tf(Lang::En, "markets.why", &[("market", "Poland"), ("rank", "3rd"), ("reasons", "close")]),
            "Poland ranks 3rd: close."
        );
        let o: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].iter().map(|&n| ordinal(Lang::En, n)).collect();
        assert_eq!(o, ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]);
        assert_eq!(ordinal(Lang::ZhHans, 3), "第3");
    }

    /// A translation fills the same named arguments as the English message, and is never empty.
    #[test]
    fn translations_keep_every_placeholder() {
        fn names(message: &str) -> Vec<&str> {
            let mut found: Vec<&str> =
                message.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(n, _)| n)).collect();
            found.sort_unstable();
            found
        }
        for ((key, en), (_, zh)) in EN.iter().zip(ZH_HANS) {
            assert_eq!(names(zh), names(en), "{key}: {zh}");
            assert!(!zh.trim().is_empty(), "{key} is empty in Chinese");
        }
    }

    #[test]
    fn keys_are_unique() {
        for table in [EN, ZH_HANS] {
            let mut keys: Vec<&str> = table.iter().map(|(k, _)| *k).collect();
            keys.sort();
            let n = keys.len();
            keys.dedup();
            assert_eq!(keys.len(), n, "duplicate key");
        }
        let keys = |table: &[(&str, &str)]| -> Vec<String> { table.iter().map(|(k, _)| k.to_string()).collect() };
        assert_eq!(keys(ZH_HANS), keys(EN), "the Chinese table has exactly the English keys, in order");
    }
}
