//! What an embed shows: the embed's own URL parameters (`theme`, `accent`, `controls`, `lang`, and an
//! editor's `title`, `subtitle` and `note`; on `/embed/home`, `chart=`), split off before the rest of the
//! query goes to the explorer's parser; the charts an embed, a chart image or oEmbed asks for; and how
//! tall an embed is at common widths, for iframes that cannot ask the page.

use crate::chart::bundle::ChartBundle;
use crate::i18n::Lang;
use crate::theme::ThemePref;
use serde::{Deserialize, Serialize};

/// How an embed looks; none of it is chart state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbedOptions {
    /// Light unless asked: an embed cannot read the reader's cookie (auto follows their system).
    pub theme: ThemePref,
    /// Links and focus rings, as `#rrggbb`.
    pub accent: Option<String>,
    /// `controls=0` hides the legend toggles and the figures table.
    pub controls_off: bool,
    pub lang: Lang,
    /// An editor's words around the chart; never in place of its sources.
    #[serde(default)]
    pub text: EmbedText,
}

/// The embed's own parameter names: split off before the explorer parses the query.
pub const EMBED_KEYS: [&str; 7] = ["theme", "accent", "controls", "lang", "title", "subtitle", "note"];

/// An editor's title, subtitle and note for an embed (`title=`, `subtitle=`, `note=`). Plain text:
/// escaped wherever it is written, single-spaced, and capped so a link cannot fill the frame.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedText {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub note: Option<String>,
}

/// The editable texts: parameter name and the most characters an embed shows of it.
pub const TEXT_CAPS: [(&str, usize); 3] = [("title", 120), ("subtitle", 200), ("note", 400)];

/// The cap of an editable text by its parameter name.
pub fn text_cap(key: &str) -> usize {
    TEXT_CAPS.iter().find(|(k, _)| *k == key).map_or(0, |(_, c)| *c)
}

/// An editor's text as the embed shows it: control characters and runs of white space become one
/// space; empty is none. Over `cap` characters it is cut at `cap` with "…", and the message says so.
pub fn clean_text(key: &str, value: &str, cap: usize, lang: Lang) -> (Option<String>, Option<String>) {
    let words: Vec<&str> = value
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect();
    let text = words.join(" ");
    let n = text.chars().count();
    match n {
        0 => (None, None),
        n if n <= cap => (Some(text), None),
        n => {
            let cut: String = text.chars().take(cap - 1).collect();
            let message = crate::i18n::tf(
                lang,
                "embed.problem.too_long",
                &[("key", key), ("n", &n.to_string()), ("cap", &cap.to_string())],
            );
            (Some(format!("{}…", cut.trim_end())), Some(message))
        }
    }
}

impl EmbedText {
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.subtitle.is_none() && self.note.is_none()
    }

    fn slot(&mut self, key: &str) -> Option<&mut Option<String>> {
        match key {
            "title" => Some(&mut self.title),
            "subtitle" => Some(&mut self.subtitle),
            "note" => Some(&mut self.note),
            _ => None,
        }
    }

    /// The texts set, as query pairs in a fixed order.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        [("title", &self.title), ("subtitle", &self.subtitle), ("note", &self.note)]
            .into_iter()
            .filter_map(|(k, v)| v.clone().map(|v| (k, v)))
            .collect()
    }
}

/// "en or zh-Hans": the languages an embed can be shown in, from [`Lang::ALL`].
fn lang_codes() -> String {
    let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
    match codes.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// `#abc`, `abc`, `#aabbcc` or `aabbcc` → `#aabbcc`; anything else is not a colour we put into CSS.
pub fn parse_accent(value: &str) -> Option<String> {
    let hex = value.trim().trim_start_matches('#');
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(
            hex.chars()
                .flat_map(|c| [c, c])
                .fold(String::from("#"), |mut s, c| {
                    s.push(c.to_ascii_lowercase());
                    s
                }),
        ),
        _ => None,
    }
}

impl Default for EmbedOptions {
    fn default() -> Self {
        EmbedOptions {
            theme: ThemePref::Light,
            accent: None,
            controls_off: false,
            lang: Lang::default(),
            text: EmbedText::default(),
        }
    }
}

impl EmbedOptions {
    /// Reads the embed's own parameters (others are ignored here); a message for each unusable one, in
    /// the embed's language (English where `lang=` itself cannot be used).
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (EmbedOptions, Vec<String>) {
        let pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
        let mut o = EmbedOptions::default();
        let mut problems = Vec::new();
        for (key, value) in &pairs {
            if *key == "lang" {
                match Lang::from_code(value) {
                    Some(l) => o.lang = l,
                    None => problems.push(crate::i18n::tf(
                        Lang::En,
                        "embed.problem.lang",
                        &[("value", value), ("codes", &lang_codes())],
                    )),
                }
            }
        }
        let lang = o.lang;
        let says = |key: &str, value: &str| crate::i18n::tf(lang, key, &[("value", value)]);
        for (key, value) in pairs {
            match key {
                "theme" => match ThemePref::from_key(value) {
                    Some(t) => o.theme = t,
                    None => problems.push(says("embed.problem.theme", value)),
                },
                "accent" if value.is_empty() => {}
                "accent" => match parse_accent(value) {
                    Some(c) => o.accent = Some(c),
                    None => problems.push(says("embed.problem.accent", value)),
                },
                "controls" => match value {
                    "0" => o.controls_off = true,
                    "1" | "" => o.controls_off = false,
                    other => problems.push(says("embed.problem.controls", other)),
                },
                "lang" => {}
                key => {
                    if let Some(slot) = o.text.slot(key) {
                        let (text, problem) = clean_text(key, value, text_cap(key), lang);
                        *slot = text;
                        problems.extend(problem);
                    }
                }
            }
        }
        (o, problems)
    }

    /// The non-default options as query pairs, for links that keep them.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if self.theme != EmbedOptions::default().theme {
            pairs.push(("theme", self.theme.key().to_string()));
        }
        if let Some(a) = &self.accent {
            pairs.push(("accent", a.clone()));
        }
        if self.controls_off {
            pairs.push(("controls", "0".to_string()));
        }
        if self.lang != Lang::default() {
            pairs.push(("lang", self.lang.code().to_string()));
        }
        pairs.extend(self.text.to_pairs());
        pairs
    }
}

/// Splits a query into the pairs named in `own` and the rest, re-encoded as a query string (no '?').
pub fn split_query(query: &str, own: &[&str]) -> (Vec<(String, String)>, String) {
    let mut mine = Vec::new();
    let mut rest = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
        match own.contains(&k.as_ref()) {
            true => mine.push((k.into_owned(), v.into_owned())),
            false => {
                rest.append_pair(&k, &v);
            }
        }
    }
    (mine, rest.finish())
}

/// Height for a fixed iframe when the chart's shape is not known yet (the builder before it has asked):
/// what one single-series chart with its events needs at 320–800 px (measured: 836 px at 320).
pub const EMBED_FIXED_HEIGHT: u32 = 860;

/// The column widths a fixed-height snippet is made to fit (phones to a wide article column).
pub const FIT_WIDTHS: [u32; 4] = [320, 480, 640, 800];

/// Below this iframe width (CSS px) the embed draws its server chart at [`NARROW_WIDTH`], so the text
/// stays readable before the canvas takes over; `style/main.css` repeats it in a media query.
pub const NARROW_BELOW: u32 = 600;
/// Logical width of the narrow server chart.
pub const NARROW_WIDTH: u32 = 360;

/// Logical height of the narrow server chart: taller than the desktop ratio, as on the site's phones.
pub fn narrow_height(panels: usize) -> u32 {
    panels.max(1) as u32 * 210 + 20
}

/// What sets an embedded chart's height: text lengths in characters, the drawing's ratio and panels.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartShape {
    pub ratio: (u32, u32),
    pub panels: usize,
    pub title: usize,
    pub note: usize,
    pub legend: Vec<usize>,
    pub sources: usize,
    pub events: Vec<usize>,
    /// Characters of the key to marker styles under the chart (0 when the chart shows none).
    #[serde(default)]
    pub key: usize,
}

impl ChartShape {
    pub fn of(b: &ChartBundle) -> ChartShape {
        let host = |url: &str| url.split("://").nth(1).unwrap_or(url).split('/').next().unwrap_or("").len();
        // As the sources line writes them: each source once, a licence once where the next repeats it.
        let mut licences: Vec<&str> = b.sources.iter().map(|s| s.licence.as_str()).collect();
        licences.dedup();
        let sources = "Sources: ".len()
            + b.sources.iter().map(|s| s.label.chars().count() + s.url.as_deref().map_or(0, |u| host(u) + 3) + 2).sum::<usize>()
            + licences.iter().map(|l| l.chars().count() + 3).sum::<usize>();
        ChartShape {
            ratio: (b.spec.width.max(1), b.spec.height.max(1)),
            panels: b.spec.panels.len().max(1),
            title: b.title.chars().count(),
            note: b.note.chars().count(),
            legend: b.spec.all_series().map(|s| s.label.chars().count()).collect(),
            sources,
            events: b.events.iter().map(|e| e.title.chars().count() + e.dates().len() + e.publisher.chars().count() + 4).collect(),
            // "Key: ↑ lower bound · ◌ part of a year …": about 30 characters a marker style.
            key: crate::chart::key::marker_key(&b.spec).len() * 30,
        }
    }
}

/// What an embed holds, for its height at a width: its charts, and whether the figures table shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmbedShape {
    pub charts: Vec<ChartShape>,
    pub controls: bool,
    /// Characters of the notice of ignored parameters, if any.
    pub problems: usize,
}

/// Lines a text of `chars` characters takes in `avail` CSS px at `px` per character; the margin stands
/// for words that do not fill a line. Fitted to Chromium's layout of the embed at 320–800 px.
fn lines(chars: usize, px: f64, avail: f64) -> f64 {
    match chars {
        0 => 0.0,
        n => (n as f64 * px / (avail - 40.0).max(60.0)).ceil(),
    }
}

/// Rows a flex-wrapped legend takes: items packed left to right as wide as their labels.
fn legend_rows(labels: &[usize], avail: f64) -> f64 {
    let mut rows = 0.0;
    let mut used = f64::INFINITY;
    for &n in labels {
        let w = (n as f64 * 7.6 + 34.0).min(avail);
        if used + 8.0 + w > avail {
            rows += 1.0;
            used = w;
        } else {
            used += 8.0 + w;
        }
    }
    rows
}

impl EmbedShape {
    /// The embed's estimated content height (CSS px) in an iframe `width` px wide, with the editor's
    /// texts; on the safe side, so a fixed iframe this tall does not cut the sources line.
    pub fn height(&self, width: u32, text: &EmbedText) -> u32 {
        let inner = width.max(200) as f64 - 24.0;
        let small = |t: &Option<String>, px: f64, line: f64| t.as_ref().map_or(0.0, |t| lines(t.chars().count(), px, inner) * line + 8.0);
        let mut h = 16.0 + 20.0 + 16.0; // padding, "Open in Tradewinds", slack
        h += small(&text.title, 10.5, 28.0) + small(&text.subtitle, 7.8, 22.0) + small(&text.note, 7.3, 21.0);
        h += lines(self.problems, 7.3, inner - 19.0) * 20.0 + if self.problems > 0 { 30.0 } else { 0.0 };
        for c in &self.charts {
            let frame = match width < NARROW_BELOW {
                true => inner * narrow_height(c.panels) as f64 / NARROW_WIDTH as f64,
                false => inner * c.ratio.1 as f64 / c.ratio.0 as f64,
            };
            h += 84.0 + frame;
            h += lines(c.title, 10.0, inner) * 26.7;
            h += match c.note { 0 => 0.0, n => lines(n, 7.8, inner) * 20.7 + 10.0 };
            h += legend_rows(&c.legend, inner) * 33.0;
            h += lines(c.sources, 7.0, inner) * 19.7;
            h += match c.key { 0 => 0.0, n => lines(n, 7.0, inner) * 19.7 + 6.0 };
            h += if self.controls { 21.0 } else { 0.0 };
            if !c.events.is_empty() {
                h += 12.0 + c.events.iter().map(|&n| lines(n, 7.0, inner - 24.0) * 19.7).sum::<f64>();
            }
        }
        h.ceil() as u32
    }
}

/// A fixed iframe height for the embed and the [`FIT_WIDTHS`] (up to `max_width`) it does not fit.
/// It fits every width unless that would leave a third of the frame empty at 640 px; then the widths
/// that need more are named, for the builder to say so (the resizing snippet fits them all).
pub fn fixed_height(shape: &EmbedShape, text: &EmbedText, max_width: Option<u32>) -> (u32, Vec<u32>) {
    let mut widths: Vec<u32> = FIT_WIDTHS.iter().copied().filter(|w| max_width.is_none_or(|m| *w <= m)).collect();
    if let Some(m) = max_width.filter(|m| !FIT_WIDTHS.contains(m)) {
        widths.push(m);
    }
    let heights: Vec<(u32, u32)> = widths.iter().map(|&w| (w, shape.height(w, text))).collect();
    let reference = shape.height(max_width.unwrap_or(640).min(640), text);
    let limit = reference + reference / 2;
    let fits = |h: u32| h <= limit;
    let height = heights.iter().map(|(_, h)| *h).filter(|h| fits(*h)).max().unwrap_or(reference);
    let unfit = heights.iter().filter(|(_, h)| *h > height).map(|(w, _)| *w).collect();
    (height, unfit)
}

/// The home dashboard's charts by name (`chart=` on /embed/home, `home=` on the image routes).
pub const HOME_CHARTS: [&str; 3] = ["totals", "platforms", "shares"];

/// What an embed shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbedData {
    pub charts: Vec<ChartBundle>,
    pub problems: Vec<String>,
    /// The same view on the site: `/explore?…` or `/`.
    pub open_href: String,
    pub options: EmbedOptions,
    /// The home page's charts rather than an explorer state.
    pub home: bool,
}

impl EmbedData {
    /// The embed's heading: the editor's title, else the one chart's, else the home page's.
    pub fn title(&self) -> String {
        match (&self.options.text.title, self.charts.as_slice()) {
            (Some(t), _) => t.clone(),
            (None, [one]) => one.title.clone(),
            _ => crate::i18n::t(self.options.lang, "home.title").to_string(),
        }
    }

    pub fn shape(&self) -> EmbedShape {
        EmbedShape {
            charts: self.charts.iter().map(ChartShape::of).collect(),
            controls: !self.options.controls_off,
            problems: self.problems.iter().map(|p| p.chars().count() + 2).sum(),
        }
    }
}

#[cfg(feature = "ssr")]
pub use ssr::{embed_data, home_charts};

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::explore::catalogue::Catalogue;
    use crate::store::{Store, StoreError};

    /// One of the home dashboard's charts by name, or all three.
    pub async fn home_charts(
        store: &Store,
        cat: &Catalogue,
        which: Option<&str>,
        lang: crate::i18n::Lang,
    ) -> Result<Vec<ChartBundle>, StoreError> {
        let d = crate::explore::home::home(store, cat, lang).await?;
        let all = [
            ("totals", d.totals),
            ("platforms", d.platforms),
            ("shares", d.shares),
        ];
        Ok(all
            .into_iter()
            .filter(|(name, _)| which.is_none_or(|w| w == *name))
            .map(|(_, b)| b)
            .collect())
    }

    pub async fn embed_data(
        store: &Store,
        cat: &Catalogue,
        home: bool,
        query: &str,
    ) -> Result<EmbedData, StoreError> {
        // On /embed, `chart=` is the explorer's (line, bars…); `home=` names a home chart as on images.
        let own: Vec<&str> = EMBED_KEYS.iter().copied().chain([if home { "chart" } else { "home" }]).collect();
        let (mine, rest) = split_query(query, &own);
        let (options, mut problems) =
            EmbedOptions::from_pairs(mine.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let which = mine
            .iter()
            .find(|(k, _)| k == "chart" || k == "home")
            .map(|(_, v)| v.as_str());
        // `/embed?home=NAME` shows what `/embed/home?chart=NAME` does.
        let home = home || which.is_some();
        let mut charts = Vec::new();
        let open_href;
        if home {
            let which = match which {
                Some(w) if !HOME_CHARTS.contains(&w) => {
                    let charts = match options.lang {
                        Lang::En => HOME_CHARTS.join(", "),
                        Lang::ZhHans => HOME_CHARTS.map(|c| format!("`{c}`")).join("、"),
                    };
                    problems.push(crate::i18n::tf(options.lang, "embed.problem.home_chart", &[("value", w), ("charts", &charts)]));
                    None
                }
                w => w,
            };
            charts = home_charts(store, cat, which, options.lang).await?;
            for unknown in form_urlencoded::parse(rest.as_bytes()) {
                problems.push(crate::i18n::tf(options.lang, "embed.problem.parameter", &[("key", &unknown.0)]));
            }
            open_href = "/".to_string();
        } else {
            let (_, chart, explore_problems) =
                crate::explore::service::chart_for_query(store, cat, &rest, options.lang).await?;
            problems.extend(explore_problems);
            charts.extend(chart);
            open_href = match rest.is_empty() {
                true => "/explore".to_string(),
                false => format!("/explore?{rest}"),
            };
        }
        for chart in charts.iter_mut() {
            // Legend toggles stay inside the embed: no links to the explorer, no URL rewriting.
            chart.legend_links = vec![None; chart.legend_links.len()];
        }
        Ok(EmbedData {
            charts,
            problems,
            open_href,
            options,
            home,
        })
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    fn options(query: &str) -> (EmbedOptions, Vec<String>) {
        let (mine, _) = split_query(query, &EMBED_KEYS);
        EmbedOptions::from_pairs(mine.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    #[test]
    fn an_editors_texts_are_read_cleaned_and_kept_in_links() {
        let (o, problems) = options("s=a&title=%3Cb%3EBig%3C%2Fb%3E+%26+bold&subtitle=++USD%0A%0Abn++&note=From+36Kr.&theme=dark");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(o.text.title.as_deref(), Some("<b>Big</b> & bold"), "kept as text; escaped where written");
        assert_eq!(o.text.subtitle.as_deref(), Some("USD bn"), "white space and line breaks single-spaced");
        assert_eq!(o.text.note.as_deref(), Some("From 36Kr."));
        assert_eq!(
            o.to_pairs(),
            [
                ("theme", "dark".to_string()),
                ("title", "<b>Big</b> & bold".to_string()),
                ("subtitle", "USD bn".to_string()),
                ("note", "From 36Kr.".to_string())
            ]
        );
        let (o, problems) = options("title=&note=%20%09");
        assert!(problems.is_empty() && o.text.is_empty(), "empty is none");
        let (o, _) = options("title=a%00b%1Bc");
        assert_eq!(o.text.title.as_deref(), Some("a b c"), "control characters are not passed on");
    }

    #[test]
    fn texts_over_their_caps_are_cut_and_said() {
        assert_eq!(TEXT_CAPS, [("title", 120), ("subtitle", 200), ("note", 400)]);
        let long = "é".repeat(121);
        let (o, problems) = options(&format!("title={long}"));
        let title = o.text.title.unwrap();
        assert_eq!(title.chars().count(), 120, "cut at the cap, in characters not bytes");
        assert!(title.ends_with('…'));
        assert_eq!(problems, ["title is 121 characters long; an embed shows at most 120, so it is cut — shorten it"]);
        let (o, problems) = options(&format!("note={}", "n".repeat(400)));
        assert!(problems.is_empty() && o.text.note.unwrap().len() == 400, "the cap itself is allowed");
        let (_, problems) = options(&format!("subtitle={}", "s".repeat(201)));
        assert!(problems[0].starts_with("subtitle is 201 characters"));
    }

    #[test]
    fn an_unknown_language_is_said_and_english_used() {
        let (o, problems) = options("lang=fr");
        assert_eq!(o.lang, Lang::En);
        assert_eq!(problems, ["lang 'fr' is not en or zh-Hans; shown in English"]);
        assert_eq!(options("lang=zh-Hans").0.lang, Lang::ZhHans);
    }

    fn shape(legend: usize, sources: usize, events: usize) -> EmbedShape {
        EmbedShape {
            charts: vec![ChartShape {
                ratio: (720, 400),
                panels: 1,
                title: 26,
                note: 0,
                legend: vec![26; legend],
                sources,
                events: vec![55; events],
                key: 0,
            }],
            controls: true,
            problems: 0,
        }
    }

    #[test]
    fn heights_cover_what_chromium_measured() {
        // Measured with Playwright: the content height less the chart frame's (CSS px), for one series
        // with six events (Temu GMV).
        let temu = shape(1, 281, 6);
        let none = EmbedText::default();
        for (w, measured) in [(320, 586), (480, 428), (640, 389), (800, 369)] {
            let inner = w as f64 - 24.0;
            let frame = match w < NARROW_BELOW {
                true => inner * 230.0 / 360.0,
                false => inner * 400.0 / 720.0,
            };
            let h = temu.height(w, &none) - frame.ceil() as u32;
            assert!(h >= measured && h <= measured + 100, "{w}: {h} vs {measured}");
        }
        // Narrow frames draw the chart taller (the narrow SVG), wide ones wider: both grow the page.
        assert!(temu.height(320, &none) > temu.height(640, &none));
        // An editor's words add their lines.
        let words = EmbedText { title: Some("t".repeat(120)), subtitle: Some("s".repeat(200)), note: Some("n".repeat(400)) };
        assert!(temu.height(320, &words) > temu.height(320, &none) + 200);
    }

    #[test]
    fn the_fixed_height_fits_every_width_or_names_those_it_does_not() {
        let none = EmbedText::default();
        let s = shape(1, 281, 6);
        let (h, unfit) = fixed_height(&s, &none, None);
        assert!(unfit.is_empty());
        assert_eq!(h, FIT_WIDTHS.iter().map(|&w| s.height(w, &none)).max().unwrap());
        // A width chosen in the builder: the heights up to it.
        let (h480, _) = fixed_height(&s, &none, Some(480));
        assert_eq!(h480, s.height(320, &none).max(s.height(480, &none)));
        // Very long sources at phone width would leave most of a wide frame empty: named instead.
        let s = shape(1, 4000, 0);
        let (h, unfit) = fixed_height(&s, &none, None);
        assert_eq!(unfit, [320]);
        assert!(h < s.height(320, &none));
    }

    #[test]
    fn the_narrow_drawing_is_taller_per_panel() {
        assert_eq!(narrow_height(1), 230);
        assert_eq!(narrow_height(2), 440);
        assert!(NARROW_WIDTH < NARROW_BELOW);
    }
}
