//! Words for islands. An island that called [`super::t`] would pull both translation tables into the
//! browser's wasm; instead the server looks up the keys an island lists and hands the strings over as a
//! prop, and the island reads them by key. Each island keeps its list beside its code, and a test there
//! checks that every key it reads is on the list.

use super::{fill, missing, t, Lang};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Translated strings for one island, in the page's language. Cheap to clone (components inside an
/// island take their own copy).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Words {
    lang: Lang,
    pairs: Arc<[(String, String)]>,
}

impl Words {
    /// The strings of every key in `lists`, in `lang`. Called on the server, where pages render islands.
    pub fn new(lang: Lang, lists: &[&[&str]]) -> Words {
        let pairs = lists
            .iter()
            .flat_map(|keys| keys.iter())
            .map(|key| (key.to_string(), t(lang, key).to_string()))
            .collect();
        Words { lang, pairs }
    }

    /// The language the words are in (numbers and periods follow it).
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The string for `key`; a key the island did not list shows itself as `⟦key⟧`.
    pub fn t(&self, key: &str) -> &str {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| missing(key))
    }

    /// The string for `key` with its named arguments filled in.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }
}

/// The keys a source file reads through `words.t("…")`/`words.tf("…")` (any `.t("`/`.tf("`, and a
/// file's `text("…")` shorthand for them), for the tests that check an island's list covers them.
#[cfg(test)]
pub(crate) fn keys_read_in(source: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for call in [".t(\"", ".tf(\"", "text(\""] {
        for part in source.split(call).skip(1) {
            if let Some(key) = part.split('"').next() {
                keys.push(key.to_string());
            }
        }
    }
    keys
}

/// Fails with the keys `source` reads that `list` lacks, and the listed keys the tables lack.
#[cfg(test)]
pub(crate) fn assert_covers(name: &str, source: &str, list: &[&str]) {
    let unlisted: Vec<String> = keys_read_in(source)
        .into_iter()
        .filter(|k| !list.contains(&k.as_str()))
        .collect();
    assert!(unlisted.is_empty(), "{name} reads keys it does not list: {unlisted:?}");
    let unknown: Vec<&&str> = list.iter().filter(|k| !super::exists(k)).collect();
    assert!(unknown.is_empty(), "{name} lists keys the tables lack: {unknown:?}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_island_reads_the_words_it_was_given_in_their_language() {
        let zh = Words::new(Lang::ZhHans, &[&["chart.sources"], &["gap.not_computed"]]);
        assert_eq!(zh.t("chart.sources"), t(Lang::ZhHans, "chart.sources"));
        assert_ne!(zh.t("chart.sources"), t(Lang::En, "chart.sources"));
        assert_eq!(zh.lang(), Lang::ZhHans);
        let en = Words::new(Lang::En, &[&["gap.not_computed"]]);
        assert_eq!(en.tf("gap.not_computed", &[("why", "no base")]), "not computed: no base");
        assert_eq!(en.t("chart.sources"), "⟦chart.sources⟧", "an unlisted key shows itself");
        // A prop survives the trip to the browser.
        let json = serde_json::to_string(&zh).unwrap();
        assert_eq!(serde_json::from_str::<Words>(&json).unwrap(), zh);
    }

    #[test]
    fn the_keys_a_file_reads_are_found() {
        let source = r#"words.t("a.b"); w.tf("c", &[]); t(l, "not.this"); x.get("nor.this"); text("d")"#;
        assert_eq!(keys_read_in(source), ["a.b", "c", "d"]);
    }
}
