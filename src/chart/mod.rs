//! Charts: one drawing function, generic over plotters' `DrawingBackend`.
//!
//! The server draws a [`ChartSpec`] to SVG so pages show charts before (and without) JavaScript; the
//! browser draws the very same spec to a canvas after hydration and makes it interactive. Both get back a
//! [`Geometry`]: the chart's own data ↔ pixel mapping and the pixel position of every point, which hover,
//! keyboard stepping and hit-testing use.

mod area;
mod bars;
mod bubbles;
pub mod bundle;
mod draw;
pub mod export;
mod frame;
mod geometry;
pub mod key;
mod labels;
mod lines;
pub mod readout;
#[cfg(feature = "ssr")]
pub mod svg;
pub mod text;

pub use draw::draw;
pub use geometry::{is_part_year, period_x, year_ticks, Geometry, Hit, Projection};

use crate::domain::{Flags, Period};
use serde::{Deserialize, Serialize};

/// Everything needed to draw a chart, shipped from server to browser in the page's hydration data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartSpec {
    pub kind: ChartKind,
    /// One panel per unit: series in different units never share an axis.
    pub panels: Vec<Panel>,
    pub log_scale: bool,
    /// Logical size in CSS pixels; the canvas keeps the SVG's aspect ratio.
    pub width: u32,
    pub height: u32,
    /// Dated events drawn on time panels, numbered as in the list under the chart.
    #[serde(default)]
    pub events: Vec<EventMark>,
}

/// An event on the time axis: a line (or a band when it spans time, `start < end`) with its number on top.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventMark {
    pub number: usize,
    /// Start and end in fractional years.
    pub start: f64,
    pub end: f64,
    pub title: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChartKind {
    /// Values over time; x is the period's midpoint.
    Line,
    /// Horizontal bars, one row per category, one bar per series (e.g. per period) in each row.
    Bars,
    /// Series stacked over time (additive series of one family only).
    Area,
    /// One bubble per point: x and size from `ChartPoint::bubble`, y the value.
    Bubble,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Panel {
    pub unit: String,
    pub series: Vec<ChartSeries>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartSeries {
    pub id: String,
    pub label: String,
    /// Index into the palette and marker shapes; stable across panels and redraws.
    pub style: usize,
    pub hidden: bool,
    pub points: Vec<ChartPoint>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartPoint {
    pub period: Period,
    /// Row label for bar charts (a market, a category); empty for line charts.
    pub category: String,
    pub value: f64,
    pub value_high: Option<f64>,
    pub flags: Flags,
    /// Value as a person reads it ("≥ 33.3"), unit excluded, except where `unit_in_display`.
    pub display: String,
    /// The display already names its unit (Chinese money: "579亿美元"); the tooltip does not repeat it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unit_in_display: bool,
    /// "Publisher or attribution — link", for the tooltip.
    pub source: String,
    pub caveat: Option<String>,
    /// How a derived value was computed ("index 112.4 = 2.63 / 2.34 × 100"); `None` for sourced values.
    #[serde(default)]
    pub derived: Option<String>,
    /// Why there is no value here (a transform could not be computed): drawn as a gap marker, never a
    /// value; `value` is then meaningless.
    #[serde(default)]
    pub gap: Option<String>,
    /// Bubble charts: x position and share (bubble area).
    #[serde(default)]
    pub bubble: Option<(f64, Option<f64>)>,
}

/// Colours and sizes; the scale multiplies every size so a high-DPI canvas draws the same layout.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    pub background: (u8, u8, u8),
    pub foreground: (u8, u8, u8),
    pub muted: (u8, u8, u8),
    pub grid: (u8, u8, u8),
    pub scale: f64,
}

impl Theme {
    pub const LIGHT: Theme = Theme {
        background: (255, 255, 255),
        foreground: (33, 37, 41),
        muted: (88, 96, 105),
        grid: (226, 230, 234),
        scale: 1.0,
    };

    /// Dark pages (prefers-color-scheme or the theme toggle); series colours stay the palette's.
    pub const DARK: Theme = Theme {
        background: (24, 26, 29),
        foreground: (230, 232, 235),
        muted: (170, 176, 184),
        grid: (58, 62, 68),
        scale: 1.0,
    };

    pub fn scaled(self, scale: f64) -> Theme {
        Theme { scale, ..self }
    }
}

/// Series colours: Okabe–Ito-derived, each ≥ 3:1 against white so lines and markers stay visible.
pub const PALETTE: [(u8, u8, u8); 8] = [
    (0, 114, 178),   // blue
    (213, 94, 0),    // vermillion
    (0, 140, 100),   // bluish green
    (204, 121, 167), // reddish purple
    (150, 110, 0),   // ochre
    (86, 180, 233),  // sky blue
    (90, 90, 90),    // grey
    (160, 40, 60),   // wine
];

pub fn series_color(style: usize) -> (u8, u8, u8) {
    PALETTE[style % PALETTE.len()]
}

/// CSS colour for a legend swatch.
pub fn series_css_color(style: usize) -> String {
    let (r, g, b) = series_color(style);
    format!("rgb({r},{g},{b})")
}

impl ChartSpec {
    pub fn is_empty(&self) -> bool {
        self.panels
            .iter()
            .all(|p| p.series.iter().all(|s| s.points.is_empty()))
    }

    /// All series across panels, in legend order.
    pub fn all_series(&self) -> impl Iterator<Item = &ChartSeries> {
        self.panels.iter().flat_map(|p| p.series.iter())
    }

    /// The same chart with the given series hidden (legend toggles, `hide=` in the URL).
    pub fn with_hidden(&self, hidden: &[String]) -> ChartSpec {
        let mut spec = self.clone();
        for s in spec.panels.iter_mut().flat_map(|p| p.series.iter_mut()) {
            s.hidden = hidden.iter().any(|h| h == &s.id);
        }
        spec
    }

    /// Height that keeps every panel readable: the base height for one panel, more for several.
    pub fn height_for_panels(base: u32, panels: usize) -> u32 {
        match panels {
            0 | 1 => base,
            n => base / 2 * n as u32 + 40,
        }
    }
}

/// Made-up series for the chart tests only: one point per period, the period doubling as the category.
#[cfg(test)]
pub(crate) fn made_up_series(id: &str, style: usize, values: &[(&str, f64)]) -> ChartSeries {
    ChartSeries {
        id: id.into(),
        label: id.into(),
        style,
        hidden: false,
        points: values
            .iter()
            .map(|(p, v)| ChartPoint {
                period: p.parse::<crate::domain::Period>().unwrap(),
                category: p.to_string(),
                value: *v,
                value_high: None,
                flags: crate::domain::Flags::default(),
                display: v.to_string(),
                unit_in_display: false,
                source: "test".into(),
                caveat: None,
                derived: None,
                gap: None,
                bubble: None,
            })
            .collect(),
    }
}
