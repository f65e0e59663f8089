//! Bubble charts: one bubble per market (x size, y growth, area share) with labels placed so they never
//! collide.

use super::frame::{
    draw_mesh, font, plot_area, plotted, projection, rgb, unit_label, value_label, visible,
    DrawResult,
};
use super::{series_color, ChartPoint, ChartSeries, Hit, Panel, Projection, Theme};
use crate::domain::format_number;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Markets as bubbles: x = size (the point's `bubble.0`), y = the value (growth), area = share.
/// Labels are placed by `labels::place_labels` so they never collide; a label that cannot be placed
/// is left out (the tooltip and the table still name the bubble).
pub(super) fn draw_bubble_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    panel_index: usize,
    log: bool,
    theme: &Theme,
    hits: &mut Vec<Hit>,
) -> DrawResult<Projection> {
    let s = theme.scale;
    let items: Vec<(usize, usize, &ChartSeries, &ChartPoint, f64, Option<f64>)> = visible(panel)
        .flat_map(|(si, series)| {
            series.points.iter().enumerate().filter_map(move |(pi, p)| {
                let (x, share) = p.bubble?;
                (p.gap.is_none()).then_some((si, pi, series, p, x, share))
            })
        })
        .filter(|item| plotted(item.4, log).is_some())
        .collect();
    let xs: Vec<f64> = items.iter().filter_map(|i| plotted(i.4, log)).collect();
    let ys: Vec<f64> = items.iter().map(|i| i.3.value).collect();
    let span = |v: &[f64], from_zero: bool| {
        let (lo, hi) = v
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        if v.is_empty() {
            return (0.0, 1.0);
        }
        let (lo, hi) = if from_zero {
            (lo.min(0.0), hi.max(0.0))
        } else {
            (lo, hi)
        };
        let pad = ((hi - lo) * 0.12).max(if hi.abs() > 0.0 { hi.abs() * 0.1 } else { 1.0 });
        (if from_zero && lo >= 0.0 { lo } else { lo - pad }, hi + pad)
    };
    let (x0, x1) = span(&xs, !log);
    let (y0, y1) = span(&ys, true);

    unit_label(area, &panel.unit, theme)?;
    let mut chart = plot_area(area, theme, 54.0, x0..x1, y0..y1)?;
    let x_fmt = move |x: &f64| value_label(if log { 10f64.powf(*x) } else { *x });
    draw_mesh(
        chart
            .configure_mesh()
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&|y| format!("{}%", format_number(*y))),
        theme,
    )?;
    if y0 < 0.0 {
        chart
            .draw_series(LineSeries::new(
                [(x0, 0.0), (x1, 0.0)],
                rgb(theme.muted).stroke_width(1),
            ))
            .map_err(|e| e.to_string())?;
    }
    // Area ∝ share: the largest possible bubble (share 100%) has radius 60 px.
    let radius = |share: Option<f64>| match share {
        Some(sh) => (60.0 * (sh / 100.0).sqrt()).max(4.0) * s,
        None => 9.0 * s,
    };
    let mut circles = Vec::with_capacity(items.len());
    let mut sizes = Vec::with_capacity(items.len());
    for &(si, pi, series, p, x, share) in &items {
        let at = (plotted(x, log).unwrap_or(x0), p.value);
        let color = rgb(series_color(series.style));
        let r = radius(share);
        let (px, py) = chart.backend_coord(&at);
        chart
            .draw_series([EmptyElement::at(at)
                + Circle::new((0, 0), r.round() as i32, color.mix(0.45).filled())])
            .map_err(|e| e.to_string())?;
        chart
            .draw_series([EmptyElement::at(at)
                + Circle::new(
                    (0, 0),
                    r.round() as i32,
                    color.stroke_width((1.5 * s).max(1.0) as u32),
                )])
            .map_err(|e| e.to_string())?;
        circles.push((px as f64, py as f64, r));
        sizes.push((series.label.chars().count() as f64 * 6.6 * s, 14.0 * s));
        hits.push(Hit {
            panel: panel_index,
            series: si,
            point: pi,
            px,
            py,
        });
    }
    let (w, h) = area.dim_in_pixel();
    let (bx, by) = area.get_base_pixel();
    let bounds = (
        bx as f64,
        by as f64,
        (bx + w as i32) as f64,
        (by + h as i32) as f64,
    );
    let labels = super::labels::place_labels(&circles, &sizes, bounds);
    let style = font(theme, 12.0).pos(Pos::new(HPos::Left, VPos::Top));
    for (item, at) in items.iter().zip(labels) {
        if let Some((lx, ly)) = at {
            area.draw_text(&item.2.label, &style, (lx as i32 - bx, ly as i32 - by))
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(projection(chart.as_coord_spec(), (x0, x1), (y0, y1)))
}
