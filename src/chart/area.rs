//! Stacked area charts: additive series of one family stacked over time, only where every shown series
//! has a value.

use super::frame::{
    draw_events, draw_mesh, draw_year_axis, plot_area, projection, rgb, unit_label, value_label,
    visible, DrawResult,
};
use super::lines::draw_marker;
use super::{period_x, series_color, ChartSeries, EventMark, Hit, Panel, Projection, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Series stacked over time, in legend order. Only periods where every visible series has a value are
/// stacked (a missing value would make the total lie); runs of neighbouring periods form the bands.
pub(super) fn draw_area_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    panel_index: usize,
    events: &[EventMark],
    theme: &Theme,
    hits: &mut Vec<Hit>,
) -> DrawResult<Projection> {
    let s = theme.scale;
    let shown: Vec<(usize, &ChartSeries)> = visible(panel).collect();
    let value_at = |series: &ChartSeries, period: &crate::domain::Period| {
        series
            .points
            .iter()
            .position(|p| p.gap.is_none() && p.period == *period)
    };
    let mut periods: Vec<crate::domain::Period> = shown
        .iter()
        .flat_map(|(_, s)| {
            s.points
                .iter()
                .filter(|p| p.gap.is_none())
                .map(|p| p.period)
        })
        .collect();
    periods.sort();
    periods.dedup();
    periods.retain(|p| shown.iter().all(|(_, s)| value_at(s, p).is_some()));
    // Cumulative tops per period, per shown series.
    let tops: Vec<Vec<f64>> = periods
        .iter()
        .map(|p| {
            let mut acc = 0.0;
            shown
                .iter()
                .map(|(_, s)| {
                    acc += s.points[value_at(s, p).unwrap_or(0)].value;
                    acc
                })
                .collect()
        })
        .collect();
    let (mut x0, mut x1) = periods.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        let (a, b) = p.span();
        (lo.min(a), hi.max(b))
    });
    if x0 > x1 {
        (x0, x1) = (2000.0, 2025.0);
    }
    x0 = x0.floor();
    x1 = x1.ceil().max(x0 + 1.0);
    let top = tops
        .iter()
        .filter_map(|t| t.last().copied())
        .fold(0.0f64, f64::max);
    let (y0, y1) = (0.0, if top > 0.0 { top * 1.08 } else { 1.0 });

    unit_label(area, &panel.unit, theme)?;
    let mut chart = plot_area(area, theme, 54.0, x0..x1, y0..y1)?;
    draw_mesh(
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(6)
            .y_label_formatter(&|y| value_label(*y)),
        theme,
    )?;
    draw_year_axis(area, &chart, (x0, x1), y0, theme)?;

    // Runs of neighbouring periods.
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for i in 0..periods.len() {
        match runs.last_mut() {
            Some(run) if periods[run.end - 1].is_followed_by(&periods[i]) => run.end = i + 1,
            _ => runs.push(i..i + 1),
        }
    }
    for (k, (series_index, series)) in shown.iter().enumerate() {
        let color = rgb(series_color(series.style));
        for run in &runs {
            let upper: Vec<(f64, f64)> = run
                .clone()
                .map(|i| (period_x(&periods[i]), tops[i][k]))
                .collect();
            let mut band = upper.clone();
            band.extend(run.clone().rev().map(|i| {
                (
                    period_x(&periods[i]),
                    if k == 0 { 0.0 } else { tops[i][k - 1] },
                )
            }));
            chart
                .draw_series([Polygon::new(band, color.mix(0.55).filled())])
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(LineSeries::new(
                    upper,
                    color.stroke_width((1.5 * s).max(1.0) as u32),
                ))
                .map_err(|e| e.to_string())?;
        }
        for (i, p) in periods.iter().enumerate() {
            let point_index = value_at(series, p).unwrap_or(0);
            let at = (period_x(p), tops[i][k]);
            draw_marker(
                &mut chart,
                at,
                series.style,
                &series.points[point_index],
                theme,
                color,
            )?;
            let (px, py) = chart.backend_coord(&at);
            hits.push(Hit {
                panel: panel_index,
                series: *series_index,
                point: point_index,
                px,
                py,
            });
        }
    }
    draw_events(&mut chart, events, (x0, x1), (y0, y1), theme)?;
    Ok(projection(chart.as_coord_spec(), (x0, x1), (y0, y1)))
}
