//! The one drawing function. It only uses plotters' backend-neutral API, so SVG and canvas get the same
//! picture; sizes go through `Theme::scale` so a high-DPI canvas keeps the layout of the logical size.

use super::{
    series_color, ChartKind, ChartPoint, ChartSeries, ChartSpec, EventMark, Geometry, Hit, Panel,
    Projection, Theme,
};
use crate::domain::{format_number, Frequency};
use plotters::chart::MeshStyle;
use plotters::coord::{types::RangedCoordf64, Shift};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

type DrawResult<T> = Result<T, String>;

fn rgb((r, g, b): (u8, u8, u8)) -> RGBColor {
    RGBColor(r, g, b)
}

/// Draws `spec` onto `backend` and returns where everything landed.
pub fn draw<DB: DrawingBackend>(
    backend: DB,
    spec: &ChartSpec,
    theme: &Theme,
) -> DrawResult<Geometry> {
    let root = backend.into_drawing_area();
    let (w, h) = root.dim_in_pixel();
    root.fill(&rgb(theme.background))
        .map_err(|e| e.to_string())?;
    let mut geometry = Geometry {
        size: (w, h),
        ..Geometry::default()
    };
    if spec.is_empty() || spec.panels.is_empty() {
        let style = TextStyle {
            color: rgb(theme.muted).to_backend_color(),
            ..font(theme, 15.0)
        }
        .pos(Pos::new(HPos::Center, VPos::Center));
        root.draw_text(
            "No data for this selection",
            &style,
            (w as i32 / 2, h as i32 / 2),
        )
        .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
        return Ok(geometry);
    }
    let areas = root.split_evenly((spec.panels.len(), 1));
    for (index, (area, panel)) in areas.iter().zip(&spec.panels).enumerate() {
        let projection = match spec.kind {
            ChartKind::Line => draw_line_panel(
                area,
                panel,
                index,
                spec.log_scale,
                &spec.events,
                theme,
                &mut geometry.hits,
            )?,
            ChartKind::Bars => draw_bar_panel(area, panel, index, theme, &mut geometry.hits)?,
            ChartKind::Area => {
                draw_area_panel(area, panel, index, &spec.events, theme, &mut geometry.hits)?
            }
            ChartKind::Bubble => draw_bubble_panel(
                area,
                panel,
                index,
                spec.log_scale,
                theme,
                &mut geometry.hits,
            )?,
        };
        geometry.panels.push(projection);
    }
    root.present().map_err(|e| e.to_string())?;
    Ok(geometry)
}

fn visible(panel: &Panel) -> impl Iterator<Item = (usize, &ChartSeries)> {
    panel.series.iter().enumerate().filter(|(_, s)| !s.hidden)
}

/// y value as plotted: log10 on a log scale (non-positive values cannot be shown there).
fn plotted(v: f64, log: bool) -> Option<f64> {
    match log {
        true if v > 0.0 => Some(v.log10()),
        true => None,
        false => Some(v),
    }
}

fn font(theme: &Theme, size: f64) -> TextStyle<'static> {
    TextStyle {
        font: ("sans-serif", size * theme.scale).into_font(),
        color: rgb(theme.foreground).to_backend_color(),
        pos: Pos::default(),
    }
}

fn unit_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    unit: &str,
    theme: &Theme,
) -> DrawResult<()> {
    let s = theme.scale;
    let style = font(theme, 12.5).pos(Pos::new(HPos::Left, VPos::Top));
    area.draw_text(unit, &style, ((8.0 * s) as i32, (4.0 * s) as i32))
        .map_err(|e| e.to_string())
}

/// Tick labels on a time axis: years only, so half-year ticks stay unlabelled rather than read "2024.5".
fn year_label(x: &f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{:.0}", x)
    } else {
        String::new()
    }
}

fn value_label(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{}bn", format_number(v / 1e9))
    } else if a >= 1e6 {
        format!("{}M", format_number(v / 1e6))
    } else if a >= 1e4 {
        format!("{}k", format_number(v / 1e3))
    } else {
        format_number(v)
    }
}

fn draw_line_panel<DB: DrawingBackend>(
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
            .x_labels(((x1 - x0) as usize + 1).min(9))
            .y_labels(if log { (y1 - y0) as usize + 1 } else { 6 })
            .x_label_formatter(&year_label)
            .y_label_formatter(&y_fmt),
        theme,
    )?;
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
        // Join only neighbouring periods of one frequency; provisional figures stand alone.
        for pair in pts.windows(2) {
            let ((_, a, ya), (_, b, yb)) = (pair[0], pair[1]);
            if a.period.is_followed_by(&b.period) && !a.flags.provisional && !b.flags.provisional {
                chart
                    .draw_series(LineSeries::new(
                        [(a.period.midpoint(), ya), (b.period.midpoint(), yb)],
                        line,
                    ))
                    .map_err(|e| e.to_string())?;
            }
        }
        for &(point_index, p, ref y) in &pts {
            let x = p.period.midpoint();
            // A range of months is drawn as its extent, so 18 months never pass for one year.
            if matches!(p.period.frequency(), Frequency::Range(_)) {
                let (a, b) = p.period.span();
                chart
                    .draw_series(LineSeries::new(
                        [(a, *y), (b, *y)],
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

fn projection(
    spec: &Cartesian2d<RangedCoordf64, RangedCoordf64>,
    x: (f64, f64),
    y: (f64, f64),
) -> Projection {
    let lo = spec.translate(&(x.0, y.0));
    let hi = spec.translate(&(x.1, y.1));
    Projection {
        px_x: (lo.0, hi.0),
        px_y: (lo.1, hi.1),
        x,
        y,
    }
}

/// Marker shape by series (circle, square, triangle, diamond) so series differ without colour;
/// hollow for approximate or provisional figures; an upward tick for lower bounds ("at least").
fn draw_marker<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    at: (f64, f64),
    style: usize,
    p: &ChartPoint,
    theme: &Theme,
    color: RGBColor,
) -> DrawResult<()> {
    let s = theme.scale;
    let r = (4.5 * s).round() as i32;
    let hollow = p.flags.approximate || p.flags.provisional;
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

/// Horizontal bars: one row per category (sorted by the last visible series, largest first),
/// one bar per visible series in each row, value written at the bar's end.
fn draw_bar_panel<DB: DrawingBackend>(
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

type TimeChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws a configured mesh (axes, grid, tick labels) in the theme's colours.
fn draw_mesh<DB: DrawingBackend>(
    mesh: &mut MeshStyle<'_, '_, RangedCoordf64, RangedCoordf64, DB>,
    theme: &Theme,
) -> DrawResult<()> {
    mesh.label_style(font(theme, 12.0))
        .axis_style(rgb(theme.muted))
        .bold_line_style(rgb(theme.grid))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(|e| e.to_string())
}

/// The plotting area every panel kind shares: room for the unit label on top and the axis labels
/// (`y_labels` px wide on the left, scaled with the theme).
fn plot_area<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    y_labels: f64,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
) -> DrawResult<TimeChart<'a, DB>> {
    let s = theme.scale;
    ChartBuilder::on(area)
        .margin_top((26.0 * s) as i32)
        .margin_right((18.0 * s) as i32)
        .margin_left((6.0 * s) as i32)
        .margin_bottom((4.0 * s) as i32)
        .x_label_area_size((26.0 * s) as i32)
        .y_label_area_size((y_labels * s) as i32)
        .build_cartesian_2d(x, y)
        .map_err(|e| e.to_string())
}

/// Events within the x range: a thin line (or a light band when the event spans time) with its number
/// at the top, matching the numbered list under the chart.
fn draw_events<DB: DrawingBackend>(
    chart: &mut TimeChart<DB>,
    events: &[EventMark],
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
    theme: &Theme,
) -> DrawResult<()> {
    let s = theme.scale;
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let ink = rgb(theme.muted);
    let label = font(theme, 11.0)
        .color(&ink)
        .pos(Pos::new(HPos::Center, VPos::Top));
    // Numbers of events close together step down a row instead of printing over each other.
    let (mut last_px, mut row) = (None::<i32>, 0);
    for e in events.iter().filter(|e| e.end >= x0 && e.start <= x1) {
        let (a, b) = (e.start.max(x0), e.end.min(x1));
        if b - a > 0.1 {
            chart
                .draw_series([Rectangle::new([(a, y0), (b, y1)], ink.mix(0.12).filled())])
                .map_err(err)?;
        }
        let x = (a + b) / 2.0;
        chart
            .draw_series(DashedLineSeries::new(
                [(x, y0), (x, y1)],
                (4.0 * s) as u32,
                (3.0 * s) as u32,
                ink.mix(0.7).stroke_width((1.0 * s).max(1.0) as u32),
            ))
            .map_err(err)?;
        let px = chart.backend_coord(&(x, y1)).0;
        row = match last_px {
            Some(last) if px - last < (14.0 * s) as i32 => row + 1,
            _ => 0,
        };
        last_px = Some(px);
        let dy = ((2.0 + 12.0 * row as f64) * s) as i32;
        chart
            .draw_series([
                EmptyElement::at((x, y1)) + Text::new(e.number.to_string(), (0, dy), label.clone())
            ])
            .map_err(err)?;
    }
    Ok(())
}

/// Points a transform could not compute: a small cross on the baseline, hoverable for the reason.
#[allow(clippy::too_many_arguments)]
fn draw_gaps<DB: DrawingBackend>(
    chart: &mut TimeChart<DB>,
    panel_index: usize,
    series_index: usize,
    series: &ChartSeries,
    (x0, x1): (f64, f64),
    y0: f64,
    theme: &Theme,
    hits: &mut Vec<Hit>,
) -> DrawResult<()> {
    let s = theme.scale;
    let r = (3.5 * s).round() as i32;
    let style = rgb(series_color(series.style)).stroke_width((1.5 * s).max(1.0) as u32);
    for (point_index, p) in series.points.iter().enumerate() {
        let x = p.period.midpoint();
        if p.gap.is_none() || x < x0 || x > x1 {
            continue;
        }
        let lift = (6.0 * s) as i32;
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        for stroke in [
            vec![(-r, -r - lift), (r, r - lift)],
            vec![(-r, r - lift), (r, -r - lift)],
        ] {
            chart
                .draw_series([EmptyElement::at((x, y0)) + PathElement::new(stroke, style)])
                .map_err(err)?;
        }
        let (px, py) = chart.backend_coord(&(x, y0));
        let py = py - lift;
        hits.push(Hit {
            panel: panel_index,
            series: series_index,
            point: point_index,
            px,
            py,
        });
    }
    Ok(())
}

/// Series stacked over time, in legend order. Only periods where every visible series has a value are
/// stacked (a missing value would make the total lie); runs of neighbouring periods form the bands.
fn draw_area_panel<DB: DrawingBackend>(
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
            .x_labels(((x1 - x0) as usize + 1).min(9))
            .y_labels(6)
            .x_label_formatter(&year_label)
            .y_label_formatter(&|y| value_label(*y)),
        theme,
    )?;

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
                .map(|i| (periods[i].midpoint(), tops[i][k]))
                .collect();
            let mut band = upper.clone();
            band.extend(run.clone().rev().map(|i| {
                (
                    periods[i].midpoint(),
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
            let at = (p.midpoint(), tops[i][k]);
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

/// Markets as bubbles: x = size (the point's `bubble.0`), y = the value (growth), area = share.
/// Labels are placed by `transform::place_labels` so they never collide; a label that cannot be placed
/// is left out (the tooltip and the table still name the bubble).
fn draw_bubble_panel<DB: DrawingBackend>(
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
    let labels = crate::transform::place_labels(&circles, &sizes, bounds);
    let style = font(theme, 12.0).pos(Pos::new(HPos::Left, VPos::Top));
    for (item, at) in items.iter().zip(labels) {
        if let Some((lx, ly)) = at {
            area.draw_text(&item.2.label, &style, (lx as i32 - bx, ly as i32 - by))
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(projection(chart.as_coord_spec(), (x0, x1), (y0, y1)))
}
