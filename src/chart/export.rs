//! Charts as standalone images (`/chart.svg`, `/chart.png`, link previews): the page's own drawing, with
//! the title, a legend, the sources line and a "Tradewinds · date" stamp burnt in, so an image copied out
//! of its page still says what it shows and where the figures come from.
#![cfg(feature = "ssr")]

use super::bundle::{link_host, ChartBundle};
use super::key::marker_key;
use super::text::{chars_in, text_width, wrap};
use super::{series_css_color, svg::render_svg, ChartKind, Theme};
use crate::i18n::{t, Lang};
use resvg::{tiny_skia, usvg};
use std::sync::{Arc, OnceLock};

/// The fonts of server-drawn images (licences and provenance in data/fonts/). PNGs are drawn with these
/// alone, so they look the same on every machine and never depend on installed fonts: DejaVu Sans for
/// Latin and symbols, then a Noto Sans CJK SC subset (scripts/gen_cjk_font.sh) for Chinese.
pub const FONT: &[u8] = include_bytes!("../../data/fonts/DejaVuSans.ttf");
const FONT_FAMILY: &str = "DejaVu Sans";
/// Regular weight only: resvg does not synthesise bold, so bold Chinese (the title) is drawn Regular.
pub const CJK_FONT: &[u8] = include_bytes!("../../data/fonts/NotoSansCJKsc-Regular-subset.otf");
const CJK_FAMILY: &str = "Noto Sans CJK SC";
/// Browsers viewing the SVG get DejaVu where installed, else a similarly wide face; Chinese in a
/// Simplified Chinese face (so a Japanese-locale system does not pick Japanese glyph forms).
const CSS_FONTS: &str =
    "'DejaVu Sans', Verdana, 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

const PAD: f64 = 16.0;
const TITLE: f64 = 18.0;
const TEXT: f64 = 12.5;
const SMALL: f64 = 11.5;
const LINE: f64 = 1.35;
/// Below this the chart is too small to read: the image grows rather than shrink the chart further.
const MIN_CHART: f64 = 90.0;
/// Legend swatch and the gap after it; the gap between legend entries.
const SWATCH: f64 = 18.0;
const ENTRY_GAP: f64 = 14.0;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn css((r, g, b): (u8, u8, u8)) -> String {
    format!("rgb({r},{g},{b})")
}

/// One piece of a legend row: the series' style (`None` for the continuation of a wrapped label), its
/// text and its x offset within the row.
type LegendPiece = (Option<usize>, String, f64);

/// The legend wrapped to `inner` pixels: entries flow left to right, a row breaks before an entry that
/// does not fit, and a label wider than a whole row wraps under its own swatch. Every visible series is
/// named in full — an image copied out of its page must not lose what its lines are.
fn legend_rows(labels: &[(usize, &str)], inner: f64) -> Vec<Vec<LegendPiece>> {
    let mut rows: Vec<Vec<LegendPiece>> = Vec::new();
    let mut x = 0.0;
    for &(style, label) in labels {
        let w = SWATCH + text_width(label, TEXT);
        if w > inner {
            let lines = wrap(label, chars_in(inner - SWATCH, TEXT));
            for (i, line) in lines.into_iter().enumerate() {
                rows.push(vec![(
                    (i == 0).then_some(style),
                    line,
                    SWATCH * (i > 0) as u8 as f64,
                )]);
            }
            x = inner;
            continue;
        }
        if rows.is_empty() || x + w > inner {
            rows.push(Vec::new());
            x = 0.0;
        }
        if let Some(row) = rows.last_mut() {
            row.push((Some(style), label.to_string(), x));
        }
        x += w + ENTRY_GAP;
    }
    rows
}

/// The texts around the chart, wrapped for one width. Nothing is cut: the image grows instead.
struct Texts {
    title: Vec<String>,
    note: Vec<String>,
    legend: Vec<Vec<LegendPiece>>,
    /// What the marker styles mean, when the chart has such points.
    key: Vec<String>,
    /// What the numbered marks on the time axis are.
    events: Vec<String>,
    sources: Vec<String>,
    stamp: String,
}

impl Texts {
    /// The image's own words (the labels of the key, events and sources lines, the stamp) are in
    /// `lang`; the title, legend and sources themselves are the bundle's.
    fn new(bundle: &ChartBundle, width: f64, date: &str, lang: Lang) -> Texts {
        let inner = width - 2.0 * PAD;
        let labels: Vec<(usize, &str)> = bundle
            .spec
            .all_series()
            .filter(|s| !s.hidden)
            .map(|s| (s.style, s.label.as_str()))
            .collect();
        let small = |text: &str| wrap(text, chars_in(inner, SMALL));
        let sources = sources_list(bundle);
        let events: Vec<String> = bundle
            .spec
            .events
            .iter()
            .map(|e| format!("{} {}", e.number, e.title))
            .collect();
        let key: Vec<String> = marker_key(&bundle.spec)
            .into_iter()
            .map(|k| t(lang, k.key()))
            .map(str::to_string)
            .collect();
        // "Label: a; b" in English, "标签：a；b" in Chinese.
        let (colon, semicolon) = match lang {
            Lang::En => (": ", "; "),
            Lang::ZhHans => ("：", "；"),
        };
        let line = |key: &str, items: &[String]| match items.is_empty() {
            true => Vec::new(),
            false => small(&format!("{}{colon}{}", t(lang, key), items.join(semicolon))),
        };
        Texts {
            title: wrap(&bundle.title, chars_in(inner, TITLE)),
            note: small(&bundle.note),
            legend: legend_rows(&labels, inner),
            key: line("chart.key", &key),
            events: line("explore.events", &events),
            sources: line("chart.sources", &sources),
            stamp: format!("{} · {date}", t(lang, "app.name")),
        }
    }

    fn above(&self) -> f64 {
        PAD + self.title.len() as f64 * TITLE * LINE
            + self.note.len() as f64 * SMALL * LINE
            + 6.0
            + self.legend.len() as f64 * TEXT * 1.6
            + 4.0
    }

    fn below(&self) -> f64 {
        let lines = self.key.len() + self.events.len() + self.sources.len() + 1;
        8.0 + lines as f64 * SMALL * LINE + PAD * 0.75
    }
}

/// Every source of the chart as the image prints it: "label (host)".
fn sources_list(bundle: &ChartBundle) -> Vec<String> {
    bundle
        .sources
        .iter()
        .map(|s| match &s.url {
            Some(u) => format!("{} ({})", s.label, link_host(u)),
            None => s.label.clone(),
        })
        .collect()
}

/// The least height of the chart itself: bar charts keep ~30 px a row (room for two-line labels),
/// others `MIN_CHART`.
fn min_chart(bundle: &ChartBundle) -> f64 {
    match bundle.spec.kind {
        ChartKind::Bars => {
            let mut rows: Vec<&str> = bundle
                .spec
                .all_series()
                .filter(|s| !s.hidden)
                .flat_map(|s| s.points.iter().map(|p| p.category.as_str()))
                .collect();
            rows.sort_unstable();
            rows.dedup();
            (rows.len() as f64 * 30.0 + 70.0).max(MIN_CHART)
        }
        _ => MIN_CHART,
    }
}

/// The height that shows the chart at its own aspect ratio at `width`, texts included (bar charts at
/// least tall enough for readable rows).
pub fn natural_height(bundle: &ChartBundle, width: u32, lang: Lang) -> u32 {
    let texts = Texts::new(bundle, width as f64, "0000-00-00", lang);
    let spec = &bundle.spec;
    let chart = (width as f64 - 2.0 * PAD) * spec.height as f64 / spec.width.max(1) as f64;
    (texts.above() + chart.max(min_chart(bundle)) + texts.below()).ceil() as u32
}

/// The least height that holds every text of an image `width` wide in full and a readable chart.
pub fn min_height(bundle: &ChartBundle, width: u32, lang: Lang) -> u32 {
    let texts = Texts::new(bundle, width as f64, "0000-00-00", lang);
    (texts.above() + min_chart(bundle) + texts.below()).ceil() as u32
}

/// The layout size for an image of `width` × `height`: the image's own size when every text and a
/// readable chart fit, else a larger canvas of the same shape on which they do (the image then shows
/// it scaled down — smaller, but no legend entry or source is ever left out).
fn layout_size(bundle: &ChartBundle, width: u32, height: u32, lang: Lang) -> (u32, u32) {
    let mut lw = width;
    for _ in 0..24 {
        let lh = (lw as u64 * height as u64 / width.max(1) as u64) as u32;
        if min_height(bundle, lw, lang) <= lh {
            return (lw, lh);
        }
        lw = lw + lw / 4 + 1;
    }
    (lw, min_height(bundle, lw, lang))
}

/// The chart as one SVG document of exactly `width` × `height` pixels: title, note, legend, the chart
/// (drawn by [`render_svg`] at the size it gets, so its text keeps its size), the marker key, the
/// events and the sources line, all wrapped to the width. A height too small for all of it (below
/// [`min_height`]) is met by laying it out larger and scaling it down (see [`layout_size`]).
pub fn standalone_svg(
    bundle: &ChartBundle,
    width: u32,
    height: u32,
    theme: &Theme,
    date: &str,
    lang: Lang,
) -> String {
    let (image_w, image_h) = (width, height);
    let (width, height) = layout_size(bundle, width, height, lang);
    let (w, h) = (width as f64, height as f64);
    let texts = Texts::new(bundle, w, date, lang);
    let chart_y = texts.above();
    let chart_h = (h - chart_y - texts.below()).max(40.0);
    let mut spec = bundle.spec.clone();
    spec.width = (w - 2.0 * PAD).max(1.0) as u32;
    spec.height = chart_h as u32;
    let (chart, _) = render_svg(&spec, theme);

    let (fg, muted) = (css(theme.foreground), css(theme.muted));
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{image_w}\" height=\"{image_h}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"{CSS_FONTS}\" lang=\"{}\">\
         <title>{}</title><rect width=\"100%\" height=\"100%\" fill=\"{}\"/>",
        lang.code(),
        escape(&bundle.title),
        css(theme.background)
    );
    let mut y = PAD;
    for line in &texts.title {
        y += TITLE * LINE;
        out += &format!(
            "<text x=\"{PAD}\" y=\"{:.1}\" font-size=\"{TITLE}\" font-weight=\"bold\" fill=\"{fg}\">{}</text>",
            y - TITLE * 0.3,
            escape(line)
        );
    }
    for line in &texts.note {
        y += SMALL * LINE;
        out += &format!(
            "<text x=\"{PAD}\" y=\"{:.1}\" font-size=\"{SMALL}\" fill=\"{muted}\">{}</text>",
            y - SMALL * 0.3,
            escape(line)
        );
    }
    y += 6.0;
    for row in &texts.legend {
        y += TEXT * 1.6;
        for (style, label, x) in row {
            let x = PAD + x;
            let text_x = match *style {
                None => x,
                Some(style) => {
                    out += &format!(
                        "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{}\"/>",
                        y - TEXT * 0.55 - 8.0,
                        series_css_color(style)
                    );
                    x + SWATCH
                }
            };
            out += &format!(
                "<text x=\"{text_x:.1}\" y=\"{:.1}\" font-size=\"{TEXT}\" fill=\"{fg}\">{}</text>",
                y - TEXT * 0.55,
                escape(label)
            );
        }
    }
    // The chart as a nested document at its place; plotters writes its own <svg> with the size it got.
    match chart.strip_prefix("<svg") {
        Some(rest) => out += &format!("<svg x=\"{PAD}\" y=\"{chart_y:.1}\"{rest}"),
        None => {
            out += &format!(
                "<text x=\"{PAD}\" y=\"{:.1}\" font-size=\"{TEXT}\" fill=\"{fg}\">{}</text>",
                chart_y + 20.0,
                t(lang, "chart.not_drawn")
            )
        }
    }
    let mut y = chart_y + chart_h + 8.0;
    let footer = texts.key.iter().chain(&texts.events).chain(&texts.sources);
    for line in footer.chain(std::iter::once(&texts.stamp)) {
        y += SMALL * LINE;
        // Each line says its language: sources are named as published (often English on a Chinese image).
        out += &format!(
            "<text x=\"{PAD}\" y=\"{:.1}\" font-size=\"{SMALL}\" fill=\"{muted}\" lang=\"{}\">{}</text>",
            y - SMALL * 0.3,
            crate::strings::language_of(line),
            escape(line)
        );
    }
    out += "</svg>";
    out
}

/// The fonts resvg may use — the two bundled faces only, loaded once — and the Chinese face's id.
fn fonts() -> (Arc<usvg::fontdb::Database>, Option<usvg::fontdb::ID>) {
    static DB: OnceLock<(Arc<usvg::fontdb::Database>, Option<usvg::fontdb::ID>)> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT.to_vec());
        db.load_font_data(CJK_FONT.to_vec());
        // Plotters asks for the generic "sans-serif"; the outer texts name DejaVu first.
        db.set_sans_serif_family(FONT_FAMILY);
        let cjk = db
            .faces()
            .find(|f| f.families.iter().any(|(name, _)| name == CJK_FAMILY))
            .map(|f| f.id);
        (Arc::new(db), cjk)
    })
    .clone()
}

/// How usvg finds a face for a character the chosen one lacks (every text asks for DejaVu Sans,
/// directly or as "sans-serif"): the Chinese face first, unless it was already tried for this text;
/// then usvg's own search of the database. Text is shaped per face and only the glyphs a face lacks
/// are taken from the next one, so Latin in a Chinese title stays DejaVu.
fn font_resolver(cjk: Option<usvg::fontdb::ID>) -> usvg::FontResolver<'static> {
    let search = usvg::FontResolver::default_fallback_selector();
    usvg::FontResolver {
        select_fallback: Box::new(move |c, tried, db| match cjk {
            Some(id) if !tried.contains(&id) => Some(id),
            _ => search(c, tried, db),
        }),
        ..Default::default()
    }
}

/// The SVG document parsed, its texts shaped with the bundled fonts.
fn tree(svg: &str) -> Result<usvg::Tree, String> {
    let (fontdb, cjk) = fonts();
    let options = usvg::Options {
        fontdb,
        font_family: FONT_FAMILY.into(),
        font_resolver: font_resolver(cjk),
        ..Default::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())
}

/// Rasterises an SVG document at its own size (1 px per SVG unit).
pub fn png(svg: &str) -> Result<Vec<u8>, String> {
    let tree = tree(svg)?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| format!("cannot draw an image of {size:?}"))?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| e.to_string())
}

/// Today's date (UTC) as YYYY-MM-DD, for the stamp on images.
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_date((secs / 86_400) as i64)
}

/// Days since 1970-01-01 → YYYY-MM-DD (proleptic Gregorian; H. Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(20_454), "2026-01-01");
        assert_eq!(today_utc().len(), 10);
    }

    #[test]
    fn png_has_the_svg_size_and_draws_text_with_the_bundled_font() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"160\">\
                   <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\
                   <text x=\"10\" y=\"80\" font-size=\"30\" font-family=\"sans-serif\">≥ 2.63</text></svg>";
        let png = png(svg).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let (w, h) = (
            u32::from_be_bytes(png[16..20].try_into().unwrap()),
            u32::from_be_bytes(png[20..24].try_into().unwrap()),
        );
        assert_eq!((w, h), (240, 160));
        let blank = super::png(&svg.replace("≥ 2.63", "")).unwrap();
        assert_ne!(png, blank, "the text was drawn");
        assert!(super::png("not svg").is_err());
    }

    type Glyph = (String, String, u16);

    /// Every glyph of the document's texts — its text, the family of the face it comes from and its
    /// glyph id (0 is .notdef, the empty box of a missing character) — and where the texts end on the
    /// right, as shaped with the real faces.
    fn glyphs_and_right(svg: &str) -> (Vec<Glyph>, f32) {
        fn walk(g: &usvg::Group, db: &usvg::fontdb::Database, out: &mut (Vec<Glyph>, f32)) {
            for node in g.children() {
                match node {
                    usvg::Node::Group(g) => walk(g, db, out),
                    usvg::Node::Text(text) => {
                        out.1 = out.1.max(text.abs_bounding_box().right());
                        let out = &mut out.0;
                        for glyph in text.layouted().iter().flat_map(|s| &s.positioned_glyphs) {
                            let family = db.face(glyph.font).map(|f| f.families[0].0.clone());
                            out.push((glyph.text.clone(), family.unwrap_or_default(), glyph.id.0));
                        }
                    }
                    _ => {}
                }
            }
        }
        let tree = tree(svg).unwrap();
        let mut out = (Vec::new(), 0.0);
        walk(tree.root(), tree.fontdb(), &mut out);
        out
    }

    /// The number of pixels of a PNG that are not white.
    fn ink(png: &[u8]) -> usize {
        let pixmap = tiny_skia::Pixmap::decode_png(png).unwrap();
        pixmap
            .pixels()
            .iter()
            .filter(|p| (p.red(), p.green(), p.blue()) != (255, 255, 255))
            .count()
    }

    #[test]
    fn chinese_text_is_drawn_with_the_chinese_face() {
        // Both ways images ask for fonts: the outer texts' family list, plotters' "sans-serif".
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"120\" \
             font-family=\"{CSS_FONTS}\"><rect width=\"100%\" height=\"100%\" fill=\"white\"/>\
             <text x=\"10\" y=\"50\" font-size=\"36\" font-weight=\"bold\">中国跨境电商</text>\
             <text x=\"10\" y=\"100\" font-size=\"24\" font-family=\"sans-serif\">China，2024年</text></svg>"
        );
        let (glyphs, _) = glyphs_and_right(&svg);
        assert_eq!(glyphs.len(), 6 + 11, "{glyphs:?}");
        for (text, family, id) in &glyphs {
            assert_ne!(*id, 0, "'{text}' is drawn as .notdef");
            let chinese = text.chars().all(super::super::text::is_wide);
            let want = if chinese { CJK_FAMILY } else { FONT_FAMILY };
            assert_eq!(family, want, "'{text}'");
        }
        // The glyphs have ink, and not the ink of DejaVu's empty boxes: drawing with DejaVu alone
        // (what images did before) gives another picture.
        let png = png(&svg).unwrap();
        let blank = super::png(&svg.replace("中国跨境电商", "")).unwrap();
        assert!(
            ink(&png) > ink(&blank) + 2_000,
            "{} vs {}",
            ink(&png),
            ink(&blank)
        );
        let mut latin_only = usvg::fontdb::Database::new();
        latin_only.load_font_data(FONT.to_vec());
        latin_only.set_sans_serif_family(FONT_FAMILY);
        let options = usvg::Options {
            fontdb: Arc::new(latin_only),
            font_family: FONT_FAMILY.into(),
            ..Default::default()
        };
        let tree = usvg::Tree::from_str(&svg, &options).unwrap();
        let mut boxes = tiny_skia::Pixmap::new(400, 120).unwrap();
        resvg::render(&tree, tiny_skia::Transform::default(), &mut boxes.as_mut());
        assert_ne!(
            png,
            boxes.encode_png().unwrap(),
            "drawn differently from empty boxes"
        );
    }

    #[test]
    fn the_chinese_face_covers_every_chinese_character_the_repository_writes() {
        // The same places and blocks that scripts/gen_cjk_font.sh reads.
        fn files(dir: &std::path::Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    files(&path, ext, out);
                } else if path.extension().is_some_and(|e| e == ext) {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        files(&root.join("src"), "rs", &mut paths);
        files(&root.join("data/mappings"), "csv", &mut paths);
        files(&root.join("data/geo"), "csv", &mut paths);
        let mut chars: Vec<char> = paths
            .iter()
            .flat_map(|p| {
                std::fs::read_to_string(p)
                    .unwrap_or_default()
                    .chars()
                    .collect::<Vec<_>>()
            })
            .filter(|&c| {
                matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
                    | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
            })
            .collect();
        chars.sort_unstable();
        chars.dedup();
        assert!(chars.len() > 50, "the Chinese UI text was found");
        let text: String = chars.iter().collect();
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\
             <text y=\"10\" font-size=\"10\">{}</text></svg>",
            escape(&text)
        );
        let missing: String = glyphs_and_right(&svg)
            .0
            .into_iter()
            .filter(|g| g.2 == 0 || g.1 != CJK_FAMILY)
            .map(|g| g.0)
            .collect();
        assert!(
            missing.is_empty(),
            "data/fonts/NotoSansCJKsc-Regular-subset.otf lacks '{missing}': run scripts/gen_cjk_font.sh"
        );
    }

    /// Made-up chart for tests only, in Chinese: a title, two series and a bar chart of two markets.
    fn made_up_chinese(bars: bool) -> ChartBundle {
        let data: Vec<_> = [("美国", 1.0), ("东南亚市场（东盟十国）", 2.0)]
            .iter()
            .enumerate()
            .map(|(i, (market, v))| {
                let mut sd = crate::chart::bundle::made_up(
                    &format!("s{i}"),
                    "i",
                    "十亿美元",
                    &[("2022", *v), ("2023", v + 1.0)],
                );
                sd.series.destination = market.to_string();
                sd.label = Some(format!("中国对{market}的跨境电商出口（虚构数据）"));
                sd.dataset.publisher = "虚构统计局".into();
                sd
            })
            .collect();
        let title = "中国跨境电商出口按目的地市场划分，2022–2023年（虚构数据，仅供测试）";
        match bars {
            true => crate::chart::bundle::build_bars_by_period("zh", title, "", &data, (720, 400), Lang::ZhHans),
            false => crate::chart::bundle::build("zh", title, "单位：十亿美元", &data, (720, 400), Lang::ZhHans),
        }
    }

    #[test]
    fn chinese_chart_images_have_every_glyph_and_stay_inside() {
        for bars in [false, true] {
            let bundle = made_up_chinese(bars);
            for width in [320, 720, 1200] {
                let height = natural_height(&bundle, width, Lang::ZhHans);
                let svg = standalone_svg(&bundle, width, height, &Theme::LIGHT, "2025-01-01", Lang::ZhHans);
                assert!(svg.contains(">来源：虚构统计局 (example.org)<"), "the image's own words are Chinese");
                let (glyphs, right) = glyphs_and_right(&svg);
                let missing: Vec<_> = glyphs.iter().filter(|g| g.2 == 0).collect();
                assert!(missing.is_empty(), "{width} px: {missing:?}");
                let chinese = glyphs.iter().filter(|g| g.1 == CJK_FAMILY).count();
                assert!(chinese > 40, "{width} px: {chinese} Chinese glyphs");
                // Every text, as shaped with the real faces, ends within the image.
                assert!(
                    right <= width as f32,
                    "{width} px, bars {bars}: text reaches {right}"
                );
                // To look at them: CHART_PNG_DIR=/tmp/x cargo test --features ssr --lib chinese_chart
                if let Ok(dir) = std::env::var("CHART_PNG_DIR") {
                    let name = format!(
                        "{dir}/chinese-{}-{width}.png",
                        ["lines", "bars"][bars as usize]
                    );
                    std::fs::write(name, png(&svg).unwrap()).unwrap();
                }
            }
        }
    }

    /// Made-up chart for tests only: `n` series with long names, each from its own made-up publisher.
    fn busy(n: usize) -> ChartBundle {
        let data: Vec<_> = (0..n)
            .map(|i| {
                let mut sd = crate::chart::bundle::made_up(
                    &format!("s{i}"),
                    "i",
                    "USD bn",
                    &[
                        ("2022", 1.0 + i as f64),
                        ("2023", 2.0 + i as f64),
                        ("2024-H1", 1.5),
                    ],
                );
                sd.label = Some(format!(
                    "Made-up series number {i} · Testland to Elsewhere {i} · all goods"
                ));
                sd.dataset.publisher = format!("Made-up Statistics Office {i}");
                sd.dataset.source_url = Some(format!("https://stats{i}.example.org/tables"));
                sd
            })
            .collect();
        crate::chart::bundle::build(
            "busy",
            "A made-up chart with very many series from many publishers",
            "",
            &data,
            (720, 400),
            Lang::En,
        )
    }

    /// Every text of an SVG document (outer texts and plotters' own), in order.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("</text>")
            .filter_map(|part| {
                part.rsplit_once('>')
                    .map(|(_, t)| t.trim().replace("&amp;", "&"))
            })
            .filter(|t| !t.is_empty())
            .collect()
    }

    #[test]
    fn images_name_every_source_and_series_at_any_width() {
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        for n in [1, 6, 20] {
            let bundle = busy(n);
            assert_eq!(bundle.sources.len(), n);
            for width in [200, 320, 720, 1200] {
                for height in [natural_height(&bundle, width, Lang::En), 150] {
                    let svg = standalone_svg(&bundle, width, height, &Theme::LIGHT, "2025-01-01", Lang::En);
                    let all = texts(&svg);
                    let joined = squash(&all.join(" "));
                    for s in &bundle.sources {
                        let named =
                            format!("{} ({})", s.label, link_host(s.url.as_deref().unwrap()));
                        assert!(
                            joined.contains(&squash(&named)),
                            "{n} series, {width} px: {named} missing"
                        );
                    }
                    for series in bundle.spec.all_series() {
                        assert!(
                            joined.contains(&squash(&series.label)),
                            "{width} px: {} missing",
                            series.label
                        );
                    }
                    assert!(
                        !all.iter().any(|t| t.contains('…') || t.contains("more")),
                        "{width} px: something was cut"
                    );
                    // Exactly the size asked for; laid out on a canvas that holds it all (scaled down
                    // when the asked height is too small), so no text falls below the bottom edge.
                    let attr = |name: &str| {
                        let rest = svg.split(&format!(" {name}=\"")).nth(1).unwrap();
                        rest.split('"').next().unwrap().to_string()
                    };
                    assert_eq!(
                        (attr("width"), attr("height")),
                        (width.to_string(), height.to_string())
                    );
                    let view: Vec<f64> = attr("viewBox")
                        .split(' ')
                        .map(|v| v.parse().unwrap())
                        .collect();
                    assert!(
                        view[3] >= min_height(&bundle, view[2] as u32, Lang::En) as f64,
                        "{width}×{height}: {view:?}"
                    );
                    let shape = view[3] / view[2] - height as f64 / width as f64;
                    assert!(shape.abs() < 0.01, "same shape");
                    // Every outer line fits the width it was laid out at.
                    for line in svg.split("<text x=\"16\"").skip(1) {
                        let size = line.split("font-size=\"").nth(1).unwrap();
                        let size: f64 = size.split('"').next().unwrap().parse().unwrap();
                        let text = line.split('>').nth(1).unwrap().split('<').next().unwrap();
                        assert!(
                            text_width(text, size) <= view[2] - 2.0 * PAD + 0.1,
                            "{width} px: '{text}' overflows"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn legends_wrap_into_rows_and_long_names_under_their_swatch() {
        let labels = [
            (0, "Short"),
            (1, "Another short one"),
            (2, &*"Long name ".repeat(12)),
        ];
        let rows = legend_rows(&labels, 288.0);
        assert_eq!(rows[0].len(), 2, "two short entries share a row");
        assert_eq!(rows[1][0].0, Some(2));
        assert!(rows.len() > 2, "the long name wraps");
        assert!(rows[2..]
            .iter()
            .all(|r| r[0].0.is_none() && r[0].2 == SWATCH));
        let words: String = rows
            .iter()
            .flatten()
            .map(|p| p.1.clone())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            words,
            format!("Short Another short one {}", labels[2].1.trim())
        );
    }

    #[test]
    fn images_with_part_year_values_carry_the_marker_key() {
        let svg = standalone_svg(&busy(2), 720, 500, &Theme::LIGHT, "2025-01-01", Lang::En);
        assert!(texts(&svg)
            .join(" ")
            .contains("Markers: hollow with a dashed span"));
    }
}
