//! The one translation layer: every user-facing string of the UI is looked up here by key.
//!
//! English is complete; Simplified Chinese is filled in as the market finder arrives. A key missing in a
//! language falls back to English, and a missing key shows itself (`⟦key⟧`) rather than failing silently.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    ZhHans,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHans => "zh-Hans",
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

const EN: &[(&str, &str)] = &[
    ("app.name", "Tradewinds"),
    ("app.tagline", "China's cross-border e-commerce, sourced"),
    ("nav.home", "At a glance"),
    ("nav.explore", "Explore"),
    ("nav.api", "API"),
    ("home.title", "China cross-border e-commerce at a glance"),
    ("home.lede", "Every figure below comes from a named source — open any figure to read the sentence it was quoted from. Derived numbers are marked as such."),
    ("home.card.total", "CBEC trade, latest year"),
    ("home.card.us_share", "US share of China's CBEC exports"),
    ("home.card.fastest", "Fastest-growing platform metric"),
    ("home.card.derived", "derived: change computed from two sourced figures"),
    ("home.card.stated_growth", "year on year, as stated"),
    ("home.chart.totals", "China's cross-border e-commerce trade"),
    ("home.chart.totals.note", "Customs (GACC) survey-based totals, the narrower 2017 customs-platform series and industry \"transaction scale\" estimates measure different things: they are separate series, never one line."),
    ("home.chart.platforms", "Platforms: GMV and users"),
    ("home.chart.platforms.note", "Sparse by nature: platforms rarely publish these figures. Most come from media and analysts."),
    ("home.chart.shares", "Destination markets: share of China's CBEC exports"),
    ("home.yiwu", "Yiwu, Zhejiang: the small-commodities hub"),
    ("home.yiwu.note", "Regional figures from the founding articles."),
    ("chart.sources", "Sources"),
    ("figure.source_quote", "Source and quote"),
    ("chart.figures", "Figures, quotes and caveats"),
    ("chart.legend", "Legend: select a series to hide or show it"),
    ("chart.no_data", "No data for this selection."),
    ("chart.hidden", "hidden"),
    ("table.series", "Series"),
    ("table.period", "Period"),
    ("table.value", "Value"),
    ("table.unit", "Unit"),
    ("table.source", "Source"),
    ("table.quote", "Quote"),
    ("table.caveat", "Caveat"),
    ("flag.lower_bound", "lower bound: the true value is at least this"),
    ("flag.approximate", "approximate"),
    ("flag.provisional", "provisional, preliminary or a target"),
    ("explore.title", "Explore the series"),
    ("explore.lede", "Pick series by indicator, origin, destination, platform or category and compare them on one chart. The chart's state lives in the address, so a link shows the same chart."),
    ("explore.filters", "Narrow the list"),
    ("explore.any", "any"),
    ("dim.indicator", "Indicator"),
    ("dim.origin", "Origin"),
    ("dim.destination", "Destination"),
    ("dim.platform", "Platform"),
    ("dim.category", "Category"),
    ("explore.series", "Series"),
    ("explore.apply", "Show chart"),
    ("explore.from", "From"),
    ("explore.to", "To"),
    ("explore.scale", "Scale"),
    ("explore.scale.linear", "Linear"),
    ("explore.scale.log", "Logarithmic"),
    ("explore.pick_some", "Pick one or more series to chart them."),
    ("explore.matching", "matching series"),
    ("explore.selected", "On the chart"),
    ("explore.remove", "Remove"),
    ("explore.bad_state", "Some of the address could not be used"),
    ("admin.title", "Import a data file"),
    ("admin.lede", "Upload a file as published by UN Comtrade, the World Bank (WDI, WITS), the IMF (DOTS), Our World in Data, or a long CSV/xlsx. It is imported in one piece or not at all; every row that cannot be used is listed with the reason."),
    ("admin.disabled", "Uploads are disabled on this server: it has no admin token (TRADEWINDS_ADMIN_TOKEN). Import files with `tradewinds import` instead."),
    ("admin.token", "Admin token"),
    ("admin.format", "Format"),
    ("admin.dataset", "Dataset id (optional; importing again replaces it)"),
    ("admin.dtitle", "Title (optional)"),
    ("admin.publisher", "Publisher (optional)"),
    ("admin.source_url", "Source link (optional)"),
    ("admin.licence", "Licence note (optional)"),
    ("admin.encoding", "Text encoding (optional)"),
    ("admin.file", "File"),
    ("admin.submit", "Upload and import"),
    ("admin.uploading", "Uploading"),
    ("admin.importing", "Importing…"),
    ("admin.failed", "The file could not be imported"),
    ("admin.nothing_written", "Nothing of it was written."),
    ("admin.done", "Imported"),
    ("admin.unchanged", "Already imported: the file has not changed"),
    ("admin.open_explorer", "Open in the explorer"),
    ("admin.skipped", "Rows that were skipped"),
    ("admin.download", "Download the dataset (CSV)"),
    ("explore.dataset", "Dataset"),
    ("explore.download", "Download the data behind this chart"),
    ("footer.data", "Data: published sources named beside every chart. Nothing is estimated or interpolated by Tradewinds."),
    ("footer.articles", "Founding articles"),
    ("footer.datasets", "All datasets (JSON)"),
    ("footer.import", "Admin: import data"),
    ("error.load", "Could not load the data"),
    ("notfound", "Page not found."),
];

const ZH_HANS: &[(&str, &str)] = &[
    ("app.tagline", "中国跨境电商，有据可查"),
    ("nav.home", "概览"),
    ("nav.explore", "探索"),
];

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
        assert_eq!(t(Lang::ZhHans, "explore.apply"), "Show chart");
        assert_eq!(t(Lang::En, "no.such.key"), "⟦no.such.key⟧");
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
        for (k, _) in ZH_HANS {
            assert!(
                EN.iter().any(|(e, _)| e == k),
                "{k} has no English original"
            );
        }
    }
}
