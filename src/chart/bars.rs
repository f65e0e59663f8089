//! Bar charts: horizontal bars, one row per category and one bar per series, each labelled with its
//! value (or why it has none).

use super::frame::{
    draw_mesh, font, plot_area, projection, rgb, unit_label, value_label, visible, DrawResult,
};
use super::{series_color, ChartSeries, Hit, Panel, Projection, Theme};
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
    // Growth can be negative: bars then grow leftwards from zero.
    let min = values().map(|p| p.value).fold(0.0f64, f64::min);
    let x1 = if max > 0.0 { max * 1.18 } else { 1.0 };
    let x0 = min * 1.18;

    unit_label(area, &panel.unit, theme)?;
    let mut chart = plot_area(area, theme, 118.0, x0..x1, 0.0..n)?;
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
    let muted = rgb(theme.muted);
    let gap_style = font(theme, 11.5)
        .color(&muted)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (row_index, row) in rows.iter().enumerate() {
        let top = n - row_index as f64;
        let (lx, ly) = chart.backend_coord(&(0.0, top - 0.5));
        area.draw_text(
            row,
            &label_style,
            (
                lx - (6.0 * s) as i32 - area.get_base_pixel().0,
                ly - area.get_base_pixel().1,
            ),
        )
        .map_err(|e| e.to_string())?;
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
            // A bar ends at its value, labelled with it; a row without a value says why, from zero.
            let (text, style, end) = match &p.gap {
                Some(reason) => (format!("no value: {reason}"), &gap_style, 0.0),
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
                    (p.display.clone(), &value_style, p.value)
                }
            };
            let (px, py) = chart.backend_coord(&(end, mid));
            let base = area.get_base_pixel();
            area.draw_text(&text, style, (px + (4.0 * s) as i32 - base.0, py - base.1))
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
