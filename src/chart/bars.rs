//! Bar charts: horizontal bars, one row per category and one bar per series, each labelled with its
//! value (or why it has none).

use super::frame::{
    draw_mesh, font, plot_area, projection, rgb, unit_label, value_label, visible, DrawResult,
};
use super::text::{chars_in, text_width, wrap_short};
use super::{series_color, ChartPoint, ChartSeries, Hit, Panel, Projection, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Horizontal bars: one row per category (sorted by the last visible series, largest first),
/// one bar per visible series in each row, value written at the bar's end.
pub(super) fn draw_bar_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    panel_index: usize,
    theme: &Theme,
    hits: &mut Vec<Hit>,
) -> DrawResult<Projection> {
    let s = theme.scale;
    let shown: Vec<(usize, &ChartSeries)> = visible(panel).collect();
    let mut rows: Vec<&str> = Vec::new();
    for (_, series) in &shown {
        for p in &series.points {
            if !rows.contains(&p.category.as_str()) {
                rows.push(&p.category);
            }
        }
    }
    if let Some((_, last)) = shown.last() {
        let value_of = |row: &str| {
            last.points
                .iter()
                .find(|p| p.category == row && p.gap.is_none())
                .map_or(f64::MIN, |p| p.value)
        };
        rows.sort_by(|a, b| value_of(b).total_cmp(&value_of(a)));
    }
    let n = rows.len().max(1) as f64;
    let values = || {
        shown
            .iter()
            .flat_map(|(_, s)| s.points.iter().filter(|p| p.gap.is_none()))
    };
    let max = values()
        .map(|p| p.value_high.unwrap_or(p.value))
        .fold(0.0f64, f64::max);
    // Growth can be negative: bars then grow leftwards from zero, their labels left of their ends.
    let min = values().map(|p| p.value).fold(0.0f64, f64::min);
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as f64, h as f64);
    let (label_size, value_size) = (12.0 * s, 11.5 * s);
    // The row labels' column: as wide as the longest label needs, at most 36 % of the width (a phone
    // keeps room for its bars); longer labels wrap to two lines or are shortened with "…" — the
    // tooltip and the figures table keep them whole.
    let widest = rows
        .iter()
        .map(|r| text_width(r, label_size))
        .fold(0.0, f64::max);
    let column = (widest + 10.0 * s).clamp(48.0 * s, (0.36 * w).max(48.0 * s));
    let plot_w = (w - column - 24.0 * s).max(1.0);
    let row_px = (h - 56.0 * s) / n;
    let label_lines = if row_px >= 30.0 * s { 2 } else { 1 };
    let label_chars = chars_in(column - 10.0 * s, label_size);
    // A note every value label shares ("(2008–2009)") is said once, after the unit, not on every bar.
    let displays: Vec<&str> = values().map(|p| p.display.as_str()).collect();
    let shared = shared_note(&displays).map(str::to_string);
    let shown_value = |p: &ChartPoint| match &shared {
        Some(note) => p.display.trim_end_matches(note.as_str()).to_string(),
        None => p.display.clone(),
    };
    let label_px = |p: &ChartPoint| text_width(&shown_value(p), value_size) + 8.0 * s;
    let right = values()
        .filter(|p| p.value >= 0.0)
        .map(label_px)
        .fold(0.0, f64::max);
    let left = values()
        .filter(|p| p.value < 0.0)
        .map(label_px)
        .fold(0.0, f64::max);
    let (x0, x1) = bar_range(min, max, left, right, plot_w);

    let unit = match &shared {
        Some(note) => format!(
            "{} · {}",
            panel.unit,
            note.trim().trim_start_matches('(').trim_end_matches(')')
        ),
        None => panel.unit.clone(),
    };
    unit_label(area, &unit, theme)?;
    let mut chart = plot_area(area, theme, column / s, x0..x1, 0.0..n)?;
    draw_mesh(
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(6)
            .x_label_formatter(&|x| value_label(*x)),
        theme,
    )?;

    let k = shown.len().max(1) as f64;
    let band = 0.72 / k;
    let label_style = font(theme, 12.0).pos(Pos::new(HPos::Right, VPos::Center));
    let value_style = font(theme, 11.5).pos(Pos::new(HPos::Left, VPos::Center));
    let negative_style = font(theme, 11.5).pos(Pos::new(HPos::Right, VPos::Center));
    let muted = rgb(theme.muted);
    let gap_style = font(theme, 11.5)
        .color(&muted)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let base = area.get_base_pixel();
    let paper = rgb(theme.background);
    // Row labels stand left of the plotting area, never at zero (which negative bars put mid-plot).
    let left_edge = chart.backend_coord(&(x0, 0.0)).0;
    let line_px = (14.0 * s) as i32;
    for (row_index, row) in rows.iter().enumerate() {
        let top = n - row_index as f64;
        let ly = chart.backend_coord(&(x0, top - 0.5)).1;
        let lines = wrap_short(row, label_chars, label_lines);
        let first = ly - (lines.len() as i32 - 1) * line_px / 2;
        for (i, line) in lines.iter().enumerate() {
            area.draw_text(
                line,
                &label_style,
                (
                    left_edge - (6.0 * s) as i32 - base.0,
                    first + i as i32 * line_px - base.1,
                ),
            )
            .map_err(|e| e.to_string())?;
        }
        for (j, (series_index, series)) in shown.iter().enumerate() {
            let Some((point_index, p)) = series
                .points
                .iter()
                .enumerate()
                .find(|(_, p)| p.category == *row)
            else {
                continue;
            };
            let y_top = top - 0.14 - j as f64 * band;
            let y_bottom = y_top - band * 0.9;
            let mid = (y_top + y_bottom) / 2.0;
            // A bar ends at its value, labelled with it (beyond its end, also for negative bars); a
            // row without a value says why, from zero, shortened to the room there is.
            let (text, style, end) = match &p.gap {
                Some(reason) => {
                    let room =
                        chart.backend_coord(&(x1, 0.0)).0 - chart.backend_coord(&(0.0, 0.0)).0;
                    let text = wrap_short(
                        &format!("no value: {reason}"),
                        chars_in(room as f64, value_size),
                        1,
                    );
                    (text.concat(), &gap_style, 0.0)
                }
                None => {
                    let color = rgb(series_color(series.style));
                    let fill: ShapeStyle = if p.flags.approximate || p.flags.provisional {
                        color.mix(0.45).filled()
                    } else {
                        color.filled()
                    };
                    chart
                        .draw_series([Rectangle::new([(0.0, y_bottom), (p.value, y_top)], fill)])
                        .map_err(|e| e.to_string())?;
                    (shown_value(p), &value_style, p.value)
                }
            };
            let (px, py) = chart.backend_coord(&(end, mid));
            let zero = chart.backend_coord(&(0.0, mid)).0;
            let (plot_l, plot_r) = (left_edge, chart.backend_coord(&(x1, 0.0)).0);
            let width = text_width(&text, value_size) as i32;
            let pad = (4.0 * s) as i32;
            // Beyond the bar's end where it fits, else inside the bar (in the background colour), else
            // on the other side of zero: a label never runs over the axis or out of the plot.
            let negative = end < 0.0 && p.gap.is_none();
            let bar_px = (px - zero).abs();
            let place = match negative {
                false if px + pad + width <= plot_r || p.gap.is_some() => (px + pad, style.clone()),
                true if px - pad - width >= plot_l => (px - pad, negative_style.clone()),
                false if bar_px >= width + 2 * pad => (px - pad, negative_style.color(&paper)),
                true if bar_px >= width + 2 * pad => (px + pad, value_style.color(&paper)),
                false => (zero - pad, negative_style.clone()),
                true => (zero + pad, value_style.clone()),
            };
            area.draw_text(&text, &place.1, (place.0 - base.0, py - base.1))
                .map_err(|e| e.to_string())?;
            hits.push(Hit {
                panel: panel_index,
                series: *series_index,
                point: point_index,
                px,
                py,
            });
        }
    }
    Ok(projection(chart.as_coord_spec(), (x0, x1), (0.0, n)))
}

/// The value axis of a bar chart: from `lo` to `hi` (zero included) with room beyond the bars for their
/// value labels — `left_px` left of the most negative bar, `right_px` right of the longest — in a
/// plotting area `plot_px` wide. Labels get at most 60 % of the width, so bars never vanish.
pub(super) fn bar_range(lo: f64, hi: f64, left_px: f64, right_px: f64, plot_px: f64) -> (f64, f64) {
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    let hi = if hi - lo <= 0.0 { lo + 1.0 } else { hi };
    let total = left_px + right_px;
    if total <= 0.0 || plot_px <= 0.0 {
        return (lo, hi);
    }
    let room = (total / plot_px).min(0.6);
    let span = (hi - lo) / (1.0 - room);
    (
        lo - span * room * left_px / total,
        hi + span * room * right_px / total,
    )
}

/// The parenthesised note every value label ends with (" (2008–2009)" on a CAGR ranking), when there
/// are at least two labels and they all share it.
pub(super) fn shared_note<'a>(displays: &[&'a str]) -> Option<&'a str> {
    let first = displays.first()?;
    let note = &first[first.rfind(" (")?..];
    let shared = displays.len() > 1
        && note.ends_with(')')
        && displays
            .iter()
            .all(|d| d.ends_with(note) && d.len() > note.len());
    shared.then_some(note)
}

#[cfg(test)]
mod tests {
    use super::{bar_range, shared_note};

    #[test]
    fn a_note_shared_by_every_label_is_said_once() {
        let labels = ["+46.2% (2008–2009)", "-5% (2008–2009)"];
        assert_eq!(shared_note(&labels), Some(" (2008–2009)"));
        assert_eq!(
            shared_note(&["+46.2% (2008–2009)", "-5% (2010–2012)"]),
            None
        );
        assert_eq!(
            shared_note(&["+46.2% (2008–2009)"]),
            None,
            "one label keeps its note"
        );
        assert_eq!(shared_note(&["12", "13"]), None);
    }

    #[test]
    fn bar_labels_get_their_room_on_both_sides() {
        // −20 … 60 over 400 px with 40 px of label each side: 80 px of 400 are labels.
        let (x0, x1) = bar_range(-20.0, 60.0, 40.0, 40.0, 400.0);
        let px = |v: f64| (v - x0) / (x1 - x0) * 400.0;
        assert!(
            (px(-20.0) - 40.0).abs() < 1e-6,
            "the negative label fits left of its bar"
        );
        assert!(
            (400.0 - px(60.0) - 40.0).abs() < 1e-6,
            "the longest bar's label fits right"
        );
        // Only positive values: no room wasted on the left.
        assert_eq!(bar_range(0.0, 10.0, 0.0, 50.0, 500.0).0, 0.0);
        // Labels wider than the plot: capped, the bars keep 40 % of the width.
        let (x0, x1) = bar_range(0.0, 10.0, 0.0, 900.0, 300.0);
        assert!((10.0 - x0) / (x1 - x0) >= 0.4 - 1e-9);
        assert_eq!(bar_range(0.0, 0.0, 0.0, 0.0, 100.0), (0.0, 1.0));
    }
}
