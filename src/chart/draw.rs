//! The one drawing function, [`draw`]: sizes the panels and hands each to its chart kind's module
//! (`lines`, `bars`, `area`, `bubbles`), which draw on what `frame` shares.

use super::area::draw_area_panel;
use super::bars::draw_bar_panel;
use super::bubbles::draw_bubble_panel;
use super::frame::{font, rgb, DrawResult};
use super::lines::draw_line_panel;
use super::{ChartKind, ChartSpec, Geometry, Theme};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

