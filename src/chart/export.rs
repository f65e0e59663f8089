//! Charts as standalone images (`/chart.svg`, `/chart.png`, link previews): the page's own drawing, with
//! the title, a legend, the sources line and a "Tradewinds · date" stamp burnt in, so an image copied out
//! of its page still says what it shows and where the figures come from.
#![cfg(feature = "ssr")]

use super::bundle::{link_host, ChartBundle};
use super::{series_css_color, svg::render_svg, Theme};
use resvg::{tiny_skia, usvg};
use std::sync::{Arc, OnceLock};

/// The one font of server-drawn images (DejaVu Sans; licence in data/fonts/). PNGs are drawn with it
/// alone, so they look the same on every machine and never depend on installed fonts.
pub const FONT: &[u8] = include_bytes!("../../data/fonts/DejaVuSans.ttf");
const FONT_FAMILY: &str = "DejaVu Sans";
/// Browsers viewing the SVG get DejaVu where installed, else a similarly wide face.
const CSS_FONTS: &str = "'DejaVu Sans', Verdana, sans-serif";

const PAD: f64 = 16.0;
const TITLE: f64 = 18.0;
const TEXT: f64 = 12.5;
const SMALL: f64 = 11.5;
const LINE: f64 = 1.35;
/// A generous average advance of DejaVu Sans in ems: lines wrap a little early rather than overflow,
/// without needing font metrics.
const ADVANCE: f64 = 0.62;
/// Below this the chart is too small to read; the texts around it get fewer lines instead.
const MIN_CHART: f64 = 90.0;

fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * ADVANCE
}

/// Greedy word wrap into at most `max_lines`; the last line ends in "…" when text was left out.
fn wrap(text: &str, size: f64, width: f64, max_lines: usize) -> Vec<String> {
    let max_chars = ((width / (size * ADVANCE)) as usize).max(8);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let fits = current.chars().count() + 1 + word.chars().count() <= max_chars;
        if current.is_empty() || fits {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        } else {
            lines.push(std::mem::take(&mut current));
            current.push_str(word);
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    // Single words longer than a line are cut too.
    for line in lines.iter_mut() {
        if line.chars().count() > max_chars {
            *line = line.chars().take(max_chars - 1).collect::<String>() + "…";
        }
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let keep = max_chars.saturating_sub(2).min(last.chars().count());
            *last = last.chars().take(keep).collect::<String>() + " …";
        }
    }
    lines
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn css((r, g, b): (u8, u8, u8)) -> String {
    format!("rgb({r},{g},{b})")
}

/// How many lines each text around the chart may take; `compact` when the image is short.
struct Limits {
    title: usize,
    note: usize,
    legend_rows: usize,
    sources: usize,
}

const FULL: Limits = Limits {
    title: 2,
    note: 2,
    legend_rows: 4,
    sources: 3,
};
const COMPACT: Limits = Limits {
    title: 1,
    note: 0,
    legend_rows: 1,
    sources: 1,
};

/// The texts around the chart, wrapped for one width.
struct Texts {
    title: Vec<String>,
    note: Vec<String>,
    /// Rows of (legend style, label, x offset).
    legend: Vec<Vec<(usize, String, f64)>>,
    /// What the numbered marks on the time axis are.
    events: Vec<String>,
    sources: Vec<String>,
    stamp: String,
}

impl Texts {
    fn new(bundle: &ChartBundle, width: f64, date: &str, limits: &Limits) -> Texts {
        let inner = width - 2.0 * PAD;
        let mut legend: Vec<Vec<(usize, String, f64)>> = Vec::new();
        let mut x = 0.0;
        let visible: Vec<_> = bundle.spec.all_series().filter(|s| !s.hidden).collect();
        for (i, s) in visible.iter().enumerate() {
            let label: String = s.label.chars().take(60).collect();
            let w = 18.0 + text_width(&label, TEXT);
            if legend.is_empty() || (x + w > inner && x > 0.0) {
                if legend.len() == limits.legend_rows {
                    // No room for the rest: say how many are left out rather than dropping them silently.
                    if let Some(row) = legend.last_mut() {
                        let x = row.pop().map(|(_, _, x)| x).unwrap_or(0.0);
                        row.push((usize::MAX, format!("+{} more", visible.len() - i + 1), x));
                    }
                    break;
                }
                legend.push(Vec::new());
                x = 0.0;
            }
            if let Some(row) = legend.last_mut() {
                row.push((s.style, label, x));
            }
            x += w + 14.0;
        }
        let sources = bundle
            .sources
            .iter()
            .map(|s| match &s.url {
                Some(u) => format!("{} ({})", s.label, link_host(u)),
                None => s.label.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ");
        Texts {
            title: wrap(&bundle.title, TITLE, inner, limits.title),
            note: wrap(&bundle.note, SMALL, inner, limits.note),
            legend,
            events: match bundle.spec.events.is_empty() {
                true => Vec::new(),
                false => {
                    let list: Vec<String> = bundle
                        .spec
                        .events
                        .iter()
                        .map(|e| format!("{} {}", e.number, e.title))
                        .collect();
                    wrap(
                        &format!("Events: {}", list.join("; ")),
                        SMALL,
                        inner,
                        limits.note,
                    )
                }
            },
            sources: match sources.is_empty() {
                true => Vec::new(),
                false => wrap(&format!("Sources: {sources}"), SMALL, inner, limits.sources),
            },
            stamp: format!("Tradewinds · {date}"),
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
        8.0 + (self.events.len() + self.sources.len() + 1) as f64 * SMALL * LINE + PAD * 0.75
    }
}

/// The height that shows the chart at its own aspect ratio at `width`, texts included.
pub fn natural_height(bundle: &ChartBundle, width: u32) -> u32 {
    let texts = Texts::new(bundle, width as f64, "0000-00-00", &FULL);
    let spec = &bundle.spec;
    let chart = (width as f64 - 2.0 * PAD) * spec.height as f64 / spec.width.max(1) as f64;
    (texts.above() + chart + texts.below()).ceil() as u32
}

/// The chart as one SVG document of exactly `width` × `height` pixels: title, note, legend, the chart
/// (drawn by [`render_svg`] at the size it gets, so its text keeps its size) and the sources line.
pub fn standalone_svg(
    bundle: &ChartBundle,
    width: u32,
    height: u32,
    theme: &Theme,
    date: &str,
) -> String {
    let (w, h) = (width as f64, height as f64);
    let mut texts = Texts::new(bundle, w, date, &FULL);
    if h - texts.above() - texts.below() < MIN_CHART {
        texts = Texts::new(bundle, w, date, &COMPACT);
    }
    let chart_y = texts.above();
    let chart_h = (h - chart_y - texts.below()).max(40.0);
    let mut spec = bundle.spec.clone();
    spec.width = (w - 2.0 * PAD).max(1.0) as u32;
    spec.height = chart_h as u32;
    let (chart, _) = render_svg(&spec, theme);

    let (fg, muted) = (css(theme.foreground), css(theme.muted));
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"{CSS_FONTS}\">\
         <title>{}</title><rect width=\"100%\" height=\"100%\" fill=\"{}\"/>",
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
                usize::MAX => x,
                style => {
                    out += &format!(
                        "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{}\"/>",
                        y - TEXT * 0.55 - 8.0,
                        series_css_color(style)
                    );
                    x + 18.0
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
                "<text x=\"{PAD}\" y=\"{:.1}\" font-size=\"{TEXT}\" fill=\"{fg}\">The chart could not be drawn.</text>",
                chart_y + 20.0
            )
        }
    }
    let mut y = chart_y + chart_h + 8.0;
    let footer = texts.events.iter().chain(&texts.sources);
    for line in footer.chain(std::iter::once(&texts.stamp)) {
        y += SMALL * LINE;
        out += &format!(
            "<text x=\"{PAD}\" y=\"{:.1}\" font-size=\"{SMALL}\" fill=\"{muted}\">{}</text>",
            y - SMALL * 0.3,
            escape(line)
        );
    }
    out += "</svg>";
    out
}

/// The fonts resvg may use: the bundled font only, loaded once.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT.to_vec());
        // Plotters asks for the generic "sans-serif"; the outer texts name DejaVu first.
        db.set_sans_serif_family(FONT_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Rasterises an SVG document at its own size (1 px per SVG unit).
pub fn png(svg: &str) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        fontdb: fonts(),
        font_family: FONT_FAMILY.into(),
        ..Default::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
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
    fn wrapping_keeps_lines_short_and_says_when_it_cuts() {
        let text = "China's cross-border e-commerce trade by destination market and platform";
        let lines = wrap(text, 18.0, 300.0, 5);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, 18.0) <= 300.0));
        assert_eq!(lines.join(" "), text, "nothing lost when it fits");
        let cut = wrap(text, 18.0, 300.0, 1);
        assert_eq!(cut.len(), 1);
        assert!(cut[0].ends_with('…'));
        assert!(wrap("", 12.0, 300.0, 2).is_empty());
        assert!(wrap(&"x".repeat(500), 12.0, 300.0, 2)[0].ends_with('…'));
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
}
