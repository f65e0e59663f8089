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
    ("home.chart.totals.note", "Customs (GACC) survey-based totals, the narrower 2017 customs-platform series and the pilot-city figures measure different things: separate series, never one line. Industry \"transaction scale\" estimates (incl. B2B) measure something else again and are far larger; they are in the explorer, not on this chart."),
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
    ("chart.key", "Markers"),
    ("chart.key.lower_bound", "arrow up: a lower bound, the true value is at least this"),
    ("chart.key.approximate", "hollow: approximate"),
    ("chart.key.provisional", "hollow and not joined: provisional, preliminary or a target"),
    ("chart.key.part_year", "hollow with a dashed span: part of a year (half, quarter, months), not comparable with full years and never joined to them"),
    ("chart.readout", "All series at {period}"),
    ("chart.readout.none", "no figure"),
    ("chart.flag.lower_bound", "lower bound"),
    ("chart.flag.approximate", "approx."),
    ("chart.flag.provisional", "provisional"),
    ("chart.flag.part_year", "part-year"),
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
    ("nav.markets", "Where to sell"),
    ("nav.rankings", "Rankings"),
    ("rankings.title", "Rank every market at once"),
    ("rankings.lede", "One indicator across all its markets: the figures of two years, the change between them and the compound annual growth, sorted as you choose and downloadable with the derived columns and their formulas."),
    ("rankings.none", "No table has enough markets to rank."),
    ("rankings.table", "Indicator"),
    ("rankings.table.option", "{label} ({n} places)"),
    ("rankings.from", "From year"),
    ("rankings.to", "To year"),
    ("rankings.aggregates", "Include World, regions and groups"),
    ("rankings.largest", "Among"),
    ("rankings.largest.all", "all places"),
    ("rankings.largest.n", "the {n} largest in the last year"),
    ("rankings.show", "Show ranking"),
    ("rankings.summary", "{n} places, sorted by {by}, {from}–{to}"),
    ("rankings.actions", "Views and downloads"),
    ("rankings.view.ranking", "Ranking"),
    ("rankings.view.wide", "Places × years"),
    ("rankings.csv", "CSV with derived columns"),
    ("rankings.csv_wide", "CSV places × years"),
    ("rankings.chart_top", "Chart the first {n}"),
    ("rankings.col.place", "Place"),
    ("rankings.col.from", "first year"),
    ("rankings.col.to", "last year"),
    ("rankings.col.change", "Change"),
    ("rankings.col.change_pct", "Change %"),
    ("rankings.col.cagr", "CAGR % a year"),
    ("rankings.col.share", "Share of World %"),
    ("rankings.derived", "(derived)"),
    ("rankings.method", "How the derived columns are computed"),
    ("rankings.method.note", "Only annual figures are compared (part years never are). A lower bound, a missing year, a zero or negative base leaves a dash with its reason, sorted last. The share is taken of the World figure of the same table as its publisher reported it, never of a sum of the places."),
    ("rankings.pages", "Pages"),
    ("rankings.prev", "← Previous"),
    ("rankings.next", "Next →"),
    ("rankings.page_of", "Page {page} of {pages}"),
    ("markets.title", "Where should I sell next?"),
    ("markets.lede", "Destination markets for China's exports of a product category, ranked by the weights you choose. Every number shows its year and source; the score is a comparison, not a forecast."),
    ("markets.category", "Product category"),
    ("markets.all_goods", "All goods"),
    ("markets.region", "Markets"),
    ("markets.region.all", "All regions"),
    ("markets.only", "Only these markets"),
    ("markets.only.hint", "ISO codes, comma-separated; empty = all"),
    ("markets.exclude_us", "Leave out the United States"),
    ("markets.weights", "What matters to you"),
    ("markets.presets", "Ready-made weights"),
    ("markets.preset.balanced", "Balanced"),
    ("markets.preset.large", "Large markets"),
    ("markets.preset.growing", "Fast growing"),
    ("markets.preset.reach", "Easy to reach"),
    ("markets.apply", "Rank markets"),
    ("markets.ranking_heading", "Markets ranked for {category}"),
    ("markets.ind.size", "Market size"),
    ("markets.ind.share", "China's share"),
    ("markets.ind.growth", "Growth of China's exports"),
    ("markets.ind.all_growth", "Imports from China, all goods"),
    ("markets.ind.income", "GDP per person"),
    ("markets.ind.internet", "Internet use"),
    ("markets.ind.logistics", "Logistics (LPI)"),
    ("markets.ind.distance", "Distance from China"),
    ("markets.ind.tariff", "Tariff faced"),
    ("markets.about.size", "The market's imports of the category from the World, 2018 (Open Trade Statistics, importer-reported). For all goods: the sum of the 22 categories."),
    ("markets.about.share", "China's exports of the category to the market ÷ the market's imports of it, 2018 — both importer-reported (Open Trade Statistics), so like is compared with like."),
    ("markets.about.growth", "Yearly growth of China's exports of the category to the market, 2013–2018 (compound: (2018 ÷ 2013)^(1/5) − 1; Open Trade Statistics)."),
    ("markets.about.all_growth", "Yearly growth of the market's reported imports of all goods from China over the latest five years to 2024 (UN Comtrade mirror data; the years are shown per market; 2025 is left out because few markets have reported it)."),
    ("markets.about.income", "GDP ÷ population, current US$, latest year with both (World Bank)."),
    ("markets.about.internet", "Individuals using the internet, % of population, latest year reported (World Bank WDI, ITU data)."),
    ("markets.about.logistics", "Logistics Performance Index, overall score 1–5, 2016 edition, the latest in the data (World Bank)."),
    ("markets.about.tariff", "The duty these goods from China meet at the border, lower scores higher. The best rate the data have: for the US, the duty on goods from China — collected in 2024 (MFN, Section 301 and 232 as collected) plus the Trade War Tracker's modelled 2025 add-on, over the category's HS chapters with 2024 import weights; for the EU, Japan and India, the WTO MFN simple average of the category's MTN product group (2024); elsewhere the World Bank's applied simple mean over all products (latest year), else its MFN mean. Each rate shows its kind and year; one older than the market's newest tariff event says \"before\" it. Category ↔ product group matches are approximate where marked (data/mappings/categories.csv gives the reason for each). Not covered: MFN averages overstate the duty where China has a free trade agreement (RCEP, ASEAN, Korea, Australia and others); China-specific duties outside the US (e.g. EU duties on Chinese electric vehicles, anti-dumping duties) are not in these files; nor are VAT and de minimis rules (those appear as events)."),
    ("markets.about.distance", "Population-weighted distance between China and the market, km (CEPII GeoDist, 2011 vintage). Nearer scores higher."),
    ("markets.strength.size", "one of the larger markets for these goods"),
    ("markets.strength.share", "Chinese goods already hold a large share"),
    ("markets.strength.growth", "China's exports of it grow fast"),
    ("markets.strength.all_growth", "imports from China are rising"),
    ("markets.strength.income", "high income per person"),
    ("markets.strength.internet", "most people are online"),
    ("markets.strength.logistics", "good logistics"),
    ("markets.strength.distance", "close to China"),
    ("markets.strength.tariff", "low tariffs on these goods"),
    ("markets.why", "{market} ranks {rank}: {reasons}."),
    ("markets.why.share", "China already holds {share} of it."),
    ("markets.why.none", "no indicator stands out under these weights"),
    ("markets.and", " and "),
    ("markets.stable", "rank {best}–{worst} if any one weight moves ±10 points"),
    ("markets.stable.same", "keeps this rank if any one weight moves ±10 points"),
    ("markets.partial", "scored on {have} of {weighted} indicators"),
    ("markets.score", "Score"),
    ("markets.rank", "Rank"),
    ("markets.market", "Market"),
    ("markets.show_all", "All {n} ranked markets, as a table"),
    ("markets.contributions", "What makes up the score"),
    ("markets.derived", "derived"),
    ("markets.missing", "no data"),
    ("markets.unavailable", "Not ranked for want of data ({n})"),
    ("markets.unavailable.note", "A market needs the category's market size to be ranked; other gaps are scored on what the market has and marked \"k of n indicators\". Nothing is estimated."),
    ("markets.lacks", "lacks"),
    ("markets.cbec", "What CBEC sources say about these markets"),
    ("markets.cbec.note", "Quoted figures, shown for context and never part of the score."),
    ("markets.method", "How the ranking works"),
    ("markets.method.scale", "Each indicator is scaled 0–100 within the markets you chose, by rank: the best market gets 100, the worst 0, ties share their places. Ranks, not distances, because trade values span six orders of magnitude and a few hubs would otherwise flatten everyone else. The sentence under each market names its strengths: indicators where it is in the top quarter (75 or more) and that add most to its score. The score is the weighted mean of the scaled indicators a market has (weights divided by their sum)."),
    ("markets.method.mirror", "Trade figures are importer-reported (mirror) data: what each market says it imported from China. They differ from China's own export figures (e.g. 2018: 579 bn US$ reported by the US vs 480 bn reported by China) and are never mixed with them here."),
    ("markets.method.not", "What the score is not: a forecast, a measure of profit or of competition, or a statement about tariffs and regulations. The category data end in 2018; the all-goods growth runs to 2024."),
    ("markets.method.licence", "Open Trade Statistics data are licensed CC BY-NC 4.0: non-commercial use only. The ranking uses them, so it carries the same licence."),
    ("markets.sources", "Sources"),
    ("markets.download", "Download"),
    ("markets.download.csv", "Ranking as CSV"),
    ("markets.download.json", "JSON (API)"),
    ("markets.download.png", "Chart image (PNG)"),
    ("markets.errors", "This question could not be answered as asked"),
    ("markets.weight_of", "Weight of {indicator}"),
    ("markets.entry", "Where should I sell next? Rank markets for your product category"),
    ("markets.entry.note", "Market size, China's share, growth, income, internet use, logistics and distance, weighted your way."),
    ("markets.category_view", "All markets for this category in the explorer"),
    ("markets.category_top", "Chart China's exports of this category to its ten largest markets, 2000–2018"),
    ("markets.numbers", "The numbers and their sources"),
    ("markets.change_weights", "Change what matters ↓"),
    ("markets.indicators_used", "Indicators (if not all)"),
    ("markets.all_zero", "Every weight is 0: give at least one indicator some points."),
    ("markets.fmt.usd_bn", "US$ {v} bn"),
    ("markets.fmt.usd_m", "US$ {v} m"),
    ("markets.fmt.usd", "US$ {v}"),
    ("markets.fmt.pct", "{v} %"),
    ("markets.fmt.growth", "{v} % a year"),
    ("markets.fmt.lpi", "{v} of 5"),
    ("markets.fmt.km", "{v} km"),
    ("markets.entry.quick", "Where to sell"),
    ("markets.quick.misc", "Toys, sports goods, furniture"),
    ("markets.quick.textiles", "Clothing and textiles"),
    ("markets.quick.footwear", "Footwear and headwear"),
    ("markets.quick.machines", "Electronics and machines"),
    ("markets.quick.no_us", "Fast-growing markets besides the US"),
    ("markets.products", "What this category holds: China's largest exports in it, 2018"),
    ("markets.products.note", "HS4 products by their short English names (Open Trade Statistics, importer-reported, 2018)."),
    ("markets.chart.title", "Where to sell {category}: the top {shown} of {n} markets"),
    ("markets.chart.note", "Score 0–100 (derived): the weighted mean of the indicators, each scaled by rank within the markets compared. Weights: {weights}. Not a forecast."),
    ("markets.chart.licence", "Open Trade Statistics data: CC BY-NC 4.0, non-commercial use only."),
    ("markets.chart.unit", "score, 0–100 (derived)"),
    ("markets.chart.derived", "weighted mean of indicators scaled by rank"),
    ("markets.download.svg", "Chart (SVG)"),
    ("markets.embed", "Embed this ranking"),
    ("markets.embed.note", "Paste into your page: the chart keeps its sources and licence, sizes itself, and links back to the full ranking. Add lang=zh-Hans or theme=dark to the address if you like."),
    ("markets.fmt.us_tariff", "{v} % on goods from China: {collected} % collected in 2024 + {addon} points modelled for 2025"),
    ("markets.tariff.kind.us", "US duty on goods from China, the category's HS chapters (Trade War Tracker model of 6 Aug 2025 for the add-on)"),
    ("markets.tariff.kind.group", "MFN simple average, MTN group {group}"),
    ("markets.tariff.kind.applied", "applied simple mean, all products, all partners"),
    ("markets.tariff.kind.mfn", "MFN simple mean, all products"),
    ("markets.tariff.approximate", "approximate category match"),
    ("markets.tariff.before", "before: {event} ({date})"),
    ("markets.events", "What changed: tariff and de minimis events"),
    ("markets.noncommercial", "CC BY-NC 4.0 — non-commercial use only"),
    ("explore.preset.category", "Toys, sports goods, furniture: China's exports to six markets"),
    ("explore.preset.finder", "Where to sell next →"),
    ("explore.more_options", "… {n} more: search to narrow the list"),
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
    ("explore.skip_to_chart", "Skip to the chart"),
    ("explore.preset.rankings", "Fastest-growing markets: all of them, ranked →"),
    ("explore.no_match", "No series match “{q}”. Try fewer words, a country name or ISO code (Vietnam, VNM), a flow such as imports or exports, or a product such as toys."),
    ("explore.no_match.rankings", "Or rank every market of one indicator →"),
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
    ("explore.preset.markets", "China → US vs new markets to 2024 (index)"),
    ("explore.preset.bubbles", "Markets: size vs growth, 2019–2024"),
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
    ("embed.lang", "Language"),
    ("embed.text", "Your words (optional; the sources line always stays)"),
    ("embed.title", "Title"),
    ("embed.subtitle", "Subtitle"),
    ("embed.note", "Note"),
    ("embed.text.cap", "up to {n} characters"),
    ("embed.fixed.fits", "Fixed height {h} px: fits this chart in columns {widths} px wide (wider ones leave space below)."),
    ("embed.fixed.unfit", "Fixed height {h} px: in columns {widths} px wide this chart needs more and its bottom is cut — use the resizing snippet there."),
    ("embed.home", "Embed this chart"),
    ("error.load", "Could not load the data"),
    ("notfound", "Page not found."),
    ("api.title", "The Tradewinds API"),
    ("api.lede", "Every dataset, series and figure on this site as JSON or CSV, with its source and licence. Read-only, no key needed. Each example below is a link: open it to see the whole answer."),
    ("api.contents", "Endpoints"),
    ("api.basics", "Before you start"),
    ("api.basics.text", "Answers are JSON unless you ask for CSV. Datasets link to their series and figures, and series to their figures, their dataset and the explorer, so you can follow links instead of building URLs. The machine-readable OpenAPI 3 description, generated from the same code that answers, is at"),
    ("api.licence", "Licence"),
    ("api.licence.text", "Each dataset carries its publisher's licence, and every CSV row repeats it. Open Trade Statistics data is CC BY-NC 4.0: non-commercial use only, with attribution. Cite the original publisher as well as Tradewinds."),
    ("api.errors", "Errors"),
    ("api.errors.text", "A request that cannot be answered as asked (an unknown or repeated parameter, an unknown id, a malformed period) gets status 400 and one sentence saying what to change; an unknown dataset in the path gets 404. The market finder lists every problem at once as {\"errors\": [\"…\"]}."),
    ("api.limits", "Limits"),
    ("api.limits.ids", "At most {n} series per observations request."),
    ("api.limits.page", "Series come a page at a time: {default} by default, at most {max} (limit=); offset= and the next link page through the rest."),
    ("api.limits.stream", "Whole datasets and observations are streamed, so even millions of figures start at once."),
    ("api.params", "Parameters"),
    ("api.params.none", "No parameters."),
    ("api.param.name", "Name"),
    ("api.param.in", "In"),
    ("api.param.description", "What it does"),
    ("api.param.required", "required"),
    ("api.param.path", "path"),
    ("api.param.query", "query"),
    ("api.param.example", "Example:"),
    ("api.example", "Example request"),
    ("api.response", "Its answer now (lists cut to their first item)"),
    ("api.statuses", "Statuses"),
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
    fn arguments_and_ordinals() {
        assert_eq!(
            tf(Lang::En, "markets.why", &[("market", "Poland"), ("rank", "3rd"), ("reasons", "close")]),
            "Poland ranks 3rd: close."
        );
        let o: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].iter().map(|&n| ordinal(Lang::En, n)).collect();
        assert_eq!(o, ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]);
        assert_eq!(ordinal(Lang::ZhHans, 3), "第3");
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
