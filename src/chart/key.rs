//! The key to marker styles: which ways of stating a figure a chart shows (lower bounds, approximate,
//! provisional, part-year values), so the page and the image can explain exactly those under the chart.

use super::{is_part_year, ChartKind, ChartSpec};
use serde::{Deserialize, Serialize};

/// A marker style with a meaning of its own, in the order the key lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Marker {
    /// An upward tick: "at least".
    LowerBound,
    /// Hollow.
    Approximate,
    /// Hollow and never joined.
    Provisional,
    /// Hollow, its extent dashed, never joined to full years.
    PartYear,
}

impl Marker {
    /// The i18n key of the key's sentence.
    pub fn key(self) -> &'static str {
        match self {
            Marker::LowerBound => "chart.key.lower_bound",
            Marker::Approximate => "chart.key.approximate",
            Marker::Provisional => "chart.key.provisional",
            Marker::PartYear => "chart.key.part_year",
        }
    }
}

/// The marker styles among the visible points of a time chart (bars and bubbles draw no such markers).
pub fn marker_key(spec: &ChartSpec) -> Vec<Marker> {
    if !matches!(spec.kind, ChartKind::Line | ChartKind::Area) {
        return Vec::new();
    }
    let points: Vec<_> = spec
        .all_series()
        .filter(|s| !s.hidden)
        .flat_map(|s| s.points.iter().filter(|p| p.gap.is_none()))
        .collect();
    [
        (
            Marker::LowerBound,
            points.iter().any(|p| p.flags.lower_bound),
        ),
        (
            Marker::Approximate,
            points.iter().any(|p| p.flags.approximate),
        ),
        (
            Marker::Provisional,
            points.iter().any(|p| p.flags.provisional),
        ),
        (
            Marker::PartYear,
            points.iter().any(|p| is_part_year(&p.period)),
        ),
    ]
    .into_iter()
    .filter_map(|(m, present)| present.then_some(m))
    .collect()
}
