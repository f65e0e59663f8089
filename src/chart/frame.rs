//! What every chart kind shares: fonts, axis labels, the plot area and mesh, the data ↔ pixel
//! projection, event marks and gap markers. Each kind's panel is drawn in its own module (`lines`,
//! `bars`, `area`, `bubbles`); [`super::draw`] picks the module.
//!
//! Only plotters' backend-neutral API is used, so SVG and canvas get the same picture; sizes go through
//! `Theme::scale` so a high-DPI canvas keeps the layout of the logical size.

use super::text::text_width;
use super::{series_color, year_ticks, ChartSeries, EventMark, Hit, Panel, Projection, Theme};
use crate::domain::format_number;
use plotters::chart::MeshStyle;
use plotters::coord::{types::RangedCoordf64, Shift};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
pub(super) type DrawResult<T> = Result<T, String>;

pub(super) fn rgb((r, g, b): (u8, u8, u8)) -> RGBColor {
    RGBColor(r, g, b)
}

pub(super) fn visible(panel: &Panel) -> impl Iterator<Item = (usize, &ChartSeries)> {
    panel.series.iter().enumerate().filter(|(_, s)| !s.hidden)
}

/// y value as plotted: log10 on a log scale (non-positive values cannot be shown there).
pub(super) fn plotted(v: f64, log: bool) -> Option<f64> {
    match log {
        true if v > 0.0 => Some(v.log10()),
        true => None,
        false => Some(v),
    }
}

pub(super) fn font(theme: &Theme, size: f64) -> TextStyle<'static> {
    TextStyle {
        font: ("sans-serif", size * theme.scale).into_font(),
        color: rgb(theme.foreground).to_backend_color(),
        pos: Pos::default(),
    }
}

pub(super) fn unit_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    unit: &str,
    theme: &Theme,
) -> DrawResult<()> {
    let s = theme.scale;
    let style = font(theme, 12.5).pos(Pos::new(HPos::Left, VPos::Top));
    area.draw_text(unit, &style, ((8.0 * s) as i32, (4.0 * s) as i32))
        .map_err(|e| e.to_string())
}

/// The time axis's ticks and year labels, drawn here rather than by the mesh: a year's tick stands at
/// its midpoint, where its annual value is drawn (plotters would put "2024" at 2024-01-01, half a year
/// before the value). Labels thin out to every 2nd, 5th, 10th… year when years are narrow.
pub(super) fn draw_year_axis<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &TimeChart<DB>,
    (x0, x1): (f64, f64),
    y0: f64,
    theme: &Theme,
) -> DrawResult<()> {
    let s = theme.scale;
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px_per_year =
        (chart.backend_coord(&(x0 + 1.0, y0)).0 - chart.backend_coord(&(x0, y0)).0) as f64;
    let ticks = year_ticks(x0, x1, px_per_year, 40.0 * s);
    let (bx, by) = area.get_base_pixel();
    let ink = rgb(theme.muted).stroke_width((1.0 * s).max(1.0) as u32);
    let label = font(theme, 12.0).pos(Pos::new(HPos::Center, VPos::Top));
    for (year, x, labelled) in ticks {
        let (px, py) = chart.backend_coord(&(x, y0));
        let (px, py) = (px - bx, py - by);
        area.draw(&PathElement::new(
            vec![(px, py), (px, py + (5.0 * s) as i32)],
            ink,
        ))
        .map_err(err)?;
        if labelled {
            area.draw_text(&year.to_string(), &label, (px, py + (7.0 * s) as i32))
                .map_err(err)?;
        }
    }
    Ok(())
}

pub(super) fn value_label(v: f64) -> String {
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

pub(super) fn projection(
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

pub(super) type TimeChart<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws a configured mesh (axes, grid, tick labels) in the theme's colours.
pub(super) fn draw_mesh<DB: DrawingBackend>(
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
pub(super) fn plot_area<'a, DB: DrawingBackend>(
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
pub(super) fn draw_events<DB: DrawingBackend>(
    chart: &mut TimeChart<DB>,
    events: &[EventMark],
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
    theme: &Theme,
) -> DrawResult<()> {
    let s = theme.scale;
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let ink = rgb(theme.muted);
    let size = 11.0;
    let label = font(theme, size)
        .color(&ink)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let mut lines = Vec::new();
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
        lines.push((x, chart.backend_coord(&(x, y1)).0, e.number));
    }
    // Labels that would still touch step down a row instead of printing over each other.
    let (mut last_right, mut row) = (None::<f64>, 0);
    for (x, px, text) in event_labels(&lines, 14.0 * s, 48.0 * s) {
        let half = text_width(&text, size * s) / 2.0;
        row = match last_right {
            Some(right) if px - half < right + 3.0 * s => row + 1,
            _ => 0,
        };
        last_right = Some(px + half);
        let dy = ((2.0 + 12.0 * row as f64) * s) as i32;
        chart
            .draw_series([EmptyElement::at((x, y1)) + Text::new(text, (0, dy), label.clone())])
            .map_err(err)?;
    }
    Ok(())
}

/// The numbers printed above event lines, from the lines `(x, pixel x, number)` in time order. Lines
/// closer than `near` px to the previous one share one label, as long as the group stays within `span`
/// px: a burst of events (the 2025 US tariff rounds, a month or two apart) reads "17–27" over its
/// lines instead of a column of eleven numbers. Each label sits at the middle of its lines:
/// `(x, pixel x, text)`.
pub(super) fn event_labels(lines: &[(f64, i32, usize)], near: f64, span: f64) -> Vec<(f64, f64, String)> {
    let mut groups: Vec<Vec<(f64, i32, usize)>> = Vec::new();
    for &line in lines {
        match groups.last_mut() {
            Some(group)
                if f64::from(line.1 - group[group.len() - 1].1) < near
                    && f64::from(line.1 - group[0].1) <= span =>
            {
                group.push(line)
            }
            _ => groups.push(vec![line]),
        }
    }
    groups
        .into_iter()
        .map(|group| {
            let (first, last) = (group[0], group[group.len() - 1]);
            let mut numbers: Vec<usize> = group.iter().map(|l| l.2).collect();
            numbers.sort_unstable();
            numbers.dedup();
            // Runs of consecutive numbers as "a–b", runs apart by ", ".
            let mut runs: Vec<(usize, usize)> = Vec::new();
            for n in numbers {
                match runs.last_mut() {
                    Some(run) if run.1 + 1 == n => run.1 = n,
                    _ => runs.push((n, n)),
                }
            }
            let text = runs
                .iter()
                .map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") })
                .collect::<Vec<_>>()
                .join(", ");
            ((first.0 + last.0) / 2.0, f64::from(first.1 + last.1) / 2.0, text)
        })
        .collect()
}

/// Points a transform could not compute: a small cross on the baseline, hoverable for the reason.
#[allow(clippy::too_many_arguments)]
pub(super) fn draw_gaps<DB: DrawingBackend>(
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
        let x = super::period_x(&p.period);
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

#[cfg(test)]
mod tests {
    use super::event_labels;

    fn texts(lines: &[(f64, i32, usize)]) -> Vec<String> {
        event_labels(lines, 14.0, 48.0).into_iter().map(|l| l.2).collect()
    }

    #[test]
    fn events_close_together_share_one_label() {
        // Far apart: one label each.
        assert_eq!(texts(&[(2019.0, 100, 1), (2021.0, 200, 2)]), ["1", "2"]);
        // A burst, a few px apart: one range at the middle of its lines.
        let burst: Vec<(f64, i32, usize)> = (17..=22).map(|n| (2025.0, 300 + (n as i32 - 17) * 5, n)).collect();
        let labels = event_labels(&burst, 14.0, 48.0);
        assert_eq!(labels.len(), 1);
        assert_eq!(labels[0].2, "17–22");
        assert_eq!(labels[0].1, 312.5);
        // Numbers that are not consecutive are listed; a lone one stays alone.
        assert_eq!(texts(&[(1.0, 10, 3), (1.0, 15, 5), (1.0, 20, 6), (2.0, 90, 7)]), ["3, 5–6", "7"]);
        // A long chain of close lines is cut into groups of at most `span` px.
        let chain: Vec<(f64, i32, usize)> = (1..=20).map(|n| (n as f64, n as i32 * 10, n)).collect();
        let groups = texts(&chain);
        assert!(groups.len() >= 4, "{groups:?}");
        assert_eq!(groups.first().map(String::as_str), Some("1–5"));
        assert!(texts(&[]).is_empty());
    }
}
