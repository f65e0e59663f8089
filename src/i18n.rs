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
    ("explore.presets", "Quick views"),
    ("explore.preset.platforms", "Platform growth: Temu, Shein, TikTok Shop"),
    ("explore.preset.markets", "China → US vs new markets (index)"),
    ("explore.preset.bubbles", "Markets: size vs growth"),
    ("explore.preset.yiwu", "Yiwu"),
    ("explore.preset.sports", "Sports goods and the Olympics"),
    ("explore.search", "Search series"),
    ("explore.search.placeholder", "e.g. Vietnam exports"),
    ("explore.sorted_by_latest", "Largest latest value first, within each unit."),
    ("explore.add", "Add to chart:"),
    ("explore.max_series", "At most this many series on one chart:"),
    ("explore.view", "View"),
    ("explore.chart_type", "Chart type"),
    ("explore.chart.line", "Line"),
    ("explore.chart.area", "Stacked area"),
    ("explore.chart.bars", "Ranked bars"),
    ("explore.chart.bubble", "Bubbles"),
    ("explore.chart.table", "Table"),
    ("explore.transform", "Show as"),
    ("explore.tf.abs", "Values as published"),
    ("explore.tf.yoy", "Year-on-year change, %"),
    ("explore.tf.index", "Index (base period = 100)"),
    ("explore.tf.share", "Share of a total, %"),
    ("explore.base", "Index base period"),
    ("explore.total", "Total for shares"),
    ("explore.cagr_from", "CAGR from"),
    ("explore.cagr_to", "CAGR to"),
    ("explore.rank", "Rank bars by"),
    ("explore.rank.latest", "Latest value"),
    ("explore.rank.growth", "Growth (CAGR)"),
    ("explore.events", "Events"),
    ("explore.multiples", "One small chart per series"),
    ("explore.from_year", "First year shown"),
    ("explore.to_year", "Last year shown"),
    ("explore.all_periods", "Show all periods"),
    ("explore.cite", "Cite this chart"),
    ("explore.cite.lede", "Permalink, date of access and every source of the figures shown:"),
    ("table.derived", "How it was computed"),
    ("theme.label", "Colour theme"),
    ("theme.auto", "Auto"),
    ("theme.light", "Light"),
    ("theme.dark", "Dark"),
    ("embed.open", "Open in Tradewinds"),
    ("embed.ignored", "Ignored in this link"),
    ("embed.no_chart", "This link shows no chart: pick series in the explorer, then embed again."),
    ("embed.iframe_title", "Tradewinds chart"),
    ("embed.button", "Embed"),
    ("embed.dialog", "Embed this chart"),
    ("embed.width", "Width"),
    ("embed.width.responsive", "Fill the column"),
    ("embed.theme", "Theme"),
    ("embed.theme.light", "Light"),
    ("embed.theme.dark", "Dark"),
    ("embed.theme.auto", "Follow the reader's setting"),
    ("embed.controls", "Legend toggles and figures table"),
    ("embed.snippet.script", "Resizes itself (recommended)"),
    ("embed.snippet.iframe", "Iframe only: fixed height, no script"),
    ("embed.snippet.image", "Static image with a link"),
    ("embed.copy", "Copy"),
    ("embed.copied", "Copied"),
    ("embed.preview", "Preview"),
    ("embed.download_svg", "Download SVG"),
    ("embed.download_png", "Download PNG"),
    ("error.load", "Could not load the data"),
    ("notfound", "Page not found."),
];

const ZH_HANS: &[(&str, &str)] = &[
    ("app.tagline", "中国跨境电商，有据可查"),
    ("nav.home", "概览"),
    ("nav.explore", "探索"),
    ("explore.title", "探索数据序列"),
    ("explore.presets", "快速视图"),
    ("explore.search", "搜索序列"),
    ("explore.view", "视图"),
    ("explore.chart.line", "折线图"),
    ("explore.chart.area", "堆叠面积图"),
    ("explore.chart.bars", "排名条形图"),
    ("explore.chart.bubble", "气泡图"),
    ("explore.chart.table", "表格"),
    ("explore.events", "事件"),
    ("explore.cite", "引用此图表"),
    ("chart.sources", "来源"),
    ("embed.open", "在 Tradewinds 中打开"),
    ("embed.ignored", "此链接中被忽略的部分"),
    (
        "embed.no_chart",
        "此链接没有图表：请先在探索页选择数据系列，再重新嵌入。",
    ),
    ("embed.iframe_title", "Tradewinds 图表"),
    ("embed.button", "嵌入"),
    ("embed.dialog", "嵌入此图表"),
    ("embed.width", "宽度"),
    ("embed.width.responsive", "填满所在栏"),
    ("embed.theme", "主题"),
    ("embed.theme.light", "浅色"),
    ("embed.theme.dark", "深色"),
    ("embed.theme.auto", "跟随读者设置"),
    ("embed.controls", "图例开关和数据表"),
    ("embed.snippet.script", "自动调整高度（推荐）"),
    ("embed.snippet.iframe", "仅 iframe：固定高度，无脚本"),
    ("embed.snippet.image", "带链接的静态图片"),
    ("embed.copy", "复制"),
    ("embed.copied", "已复制"),
    ("embed.preview", "预览"),
    ("embed.download_svg", "下载 SVG"),
    ("embed.download_png", "下载 PNG"),
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
