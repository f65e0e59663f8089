//! Line charts: values over time, one line and marker shape per series, ranges of months drawn as their
//! extent, and the markers (shared with stacked areas) that show how a figure was stated.

use super::frame::{
    draw_events, draw_gaps, draw_mesh, draw_year_axis, plot_area, plotted, projection, rgb,
    unit_label, value_label, visible, DrawResult,
};
use super::{
    is_part_year, period_x, series_color, ChartPoint, ChartSeries, EventMark, Hit, Panel,
    Projection, Theme,
};
use plotters::coord::{types::RangedCoordf64, Shift};
use plotters::prelude::*;

pub(super) fn draw_line_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    panel_index: usize,
    log: bool,
    events: &[EventMark],
    theme: &Theme,
    hits: &mut Vec<Hit>,
) -> DrawResult<Projection> {
    let s = theme.scale;
    // The axes fit what is visible; with everything hidden they keep the full range so the frame stays put.
    let shown: Vec<&ChartSeries> = match visible(panel).count() {
        0 => panel.series.iter().collect(),
        _ => visible(panel).map(|(_, s)| s).collect(),
    };
    let points = || {
        shown
            .iter()
            .flat_map(|s| s.points.iter())
            .filter(|p| p.gap.is_none())
    };
    let (mut x0, mut x1) = points().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        let (a, b) = p.period.span();
        (lo.min(a), hi.max(b))
    });
    if x0 > x1 {
        (x0, x1) = (2000.0, 2025.0);
    }
    x0 = x0.floor();
    x1 = x1.ceil().max(x0 + 1.0);
    let ys: Vec<f64> = points()
        .flat_map(|p| [Some(p.value), p.value_high].into_iter().flatten())
        .filter_map(|v| plotted(v, log))
        .collect();
    let (mut y0, mut y1) = ys
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    if ys.is_empty() {
        (y0, y1) = (0.0, 1.0);
    }
    if log {
        y0 = y0.floor();
        y1 = y1.ceil().max(y0 + 1.0);
    } else {
        y0 = y0.min(0.0);
        y1 = if y1 <= y0 {
            y0 + 1.0
        } else {
            y1 + (y1 - y0) * 0.08
        };
    }

    unit_label(area, &panel.unit, theme)?;
    let mut chart = plot_area(area, theme, 54.0, x0..x1, y0..y1)?;
    let y_fmt = move |y: &f64| -> String {
        if log {
            if (y - y.round()).abs() < 1e-9 {
                value_label(10f64.powf(*y))
            } else {
                String::new()
            }
        } else {
            value_label(*y)
        }
    };
    draw_mesh(
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(if log { (y1 - y0) as usize + 1 } else { 6 })
            .y_label_formatter(&y_fmt),
        theme,
    )?;
    draw_year_axis(area, &chart, (x0, x1), y0, theme)?;
    draw_events(&mut chart, events, (x0, x1), (y0, y1), theme)?;

    for (series_index, series) in visible(panel) {
        let color = rgb(series_color(series.style));
        let line = color.stroke_width((2.0 * s).max(1.0) as u32);
        draw_gaps(
            &mut chart,
            panel_index,
            series_index,
            series,
            (x0, x1),
            y0,
            theme,
            hits,
        )?;
        // Index into `series.points` kept with each plotted point: hits must name the right point.
        let pts: Vec<(usize, &ChartPoint, f64)> = series
            .points
            .iter()
            .enumerate()
            .filter(|(_, p)| p.gap.is_none())
            .filter_map(|(i, p)| plotted(p.value, log).map(|y| (i, p, y)))
            .collect();
        // Join only neighbouring periods of one frequency (so a half year is never joined to a year);
        // provisional figures stand alone; part-year runs are joined dashed, like their extents.
        for pair in pts.windows(2) {
            let ((_, a, ya), (_, b, yb)) = (pair[0], pair[1]);
            if !joined(a, b) {
                continue;
            }
            let ends = [(period_x(&a.period), ya), (period_x(&b.period), yb)];
            match is_part_year(&a.period) {
                false => chart.draw_series(LineSeries::new(ends, line)),
                true => chart.draw_series(DashedLineSeries::new(
                    ends,
                    (5.0 * s) as u32,
                    (3.0 * s) as u32,
                    line,
                )),
            }
            .map_err(|e| e.to_string())?;
        }
        for &(point_index, p, ref y) in &pts {
            let x = period_x(&p.period);
            // A part-year value is drawn across its extent, dashed, so 2024-H1 reads as half a year
            // (and 18 months never pass for one year).
            if is_part_year(&p.period) {
                let (a, b) = p.period.span();
                chart
                    .draw_series(DashedLineSeries::new(
                        [(a, *y), (b, *y)],
                        (4.0 * s) as u32,
                        (3.0 * s) as u32,
                        color.stroke_width((1.5 * s).max(1.0) as u32),
                    ))
                    .map_err(|e| e.to_string())?;
            }
            if let Some(high) = p.value_high.and_then(|v| plotted(v, log)) {
                chart
                    .draw_series(LineSeries::new([(x, *y), (x, high)], line))
                    .map_err(|e| e.to_string())?;
            }
            draw_marker(&mut chart, (x, *y), series.style, p, theme, color)?;
            let (px, py) = chart.backend_coord(&(x, *y));
            hits.push(Hit {
                panel: panel_index,
                series: series_index,
                point: point_index,
                px,
                py,
            });
        }
    }
    Ok(projection(chart.as_coord_spec(), (x0, x1), (y0, y1)))
}

/// Marker shape by series (circle, square, triangle, diamond) so series differ without colour;
/// hollow for approximate or provisional figures; an upward tick for lower bounds ("at least").
pub(super) fn draw_marker<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    at: (f64, f64),
    style: usize,
    p: &ChartPoint,
    theme: &Theme,
    color: RGBColor,
) -> DrawResult<()> {
    let s = theme.scale;
    let r = (4.5 * s).round() as i32;
    let hollow = p.flags.approximate || p.flags.provisional || is_part_year(&p.period);
    let stroke = (1.5 * s).max(1.0) as u32;
    let fill: ShapeStyle = if hollow {
        rgb(theme.background).filled()
    } else {
        color.filled()
    };
    let edge = color.stroke_width(stroke);
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    match style % 4 {
        0 => {
            chart
                .draw_series([EmptyElement::at(at) + Circle::new((0, 0), r, fill)])
                .map_err(err)?;
            chart
                .draw_series([EmptyElement::at(at) + Circle::new((0, 0), r, edge)])
                .map_err(err)?;
        }
        1 => {
            chart
                .draw_series([EmptyElement::at(at) + Rectangle::new([(-r, -r), (r, r)], fill)])
                .map_err(err)?;
            chart
                .draw_series([EmptyElement::at(at) + Rectangle::new([(-r, -r), (r, r)], edge)])
                .map_err(err)?;
        }
        2 => {
            let tri = vec![(0, -r - 1), (r + 1, r), (-r - 1, r)];
            chart
                .draw_series([EmptyElement::at(at) + Polygon::new(tri.clone(), fill)])
                .map_err(err)?;
            let mut outline = tri;
            outline.push(outline[0]);
            chart
                .draw_series([EmptyElement::at(at) + PathElement::new(outline, edge)])
                .map_err(err)?;
        }
        _ => {
            let dia = vec![(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)];
            chart
                .draw_series([EmptyElement::at(at) + Polygon::new(dia.clone(), fill)])
                .map_err(err)?;
            let mut outline = dia;
            outline.push(outline[0]);
            chart
                .draw_series([EmptyElement::at(at) + PathElement::new(outline, edge)])
                .map_err(err)?;
        }
    }
    if p.flags.lower_bound {
        let top = -r - (9.0 * s) as i32;
        let head = (3.0 * s).round() as i32;
        chart
            .draw_series([EmptyElement::at(at) + PathElement::new(vec![(0, -r), (0, top)], edge)])
            .map_err(err)?;
        chart
            .draw_series([EmptyElement::at(at)
                + PathElement::new(
                    vec![(-head, top + head), (0, top), (head, top + head)],
                    edge,
                )])
            .map_err(err)?;
    }
    Ok(())
}

/// Whether a line joins two neighbouring plotted points: periods of one frequency that follow each
/// other, neither provisional. An annual value and a half year are never joined.
pub(super) fn joined(a: &ChartPoint, b: &ChartPoint) -> bool {
    a.period.is_followed_by(&b.period) && !a.flags.provisional && !b.flags.provisional
}
