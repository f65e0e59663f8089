//! Server-side rendering of a chart to an SVG string (same drawing code as the browser's canvas).

use super::{draw, ChartSpec, Geometry, Theme};
use plotters::prelude::SVGBackend;

/// Draws `spec` at its logical size; the SVG scales with its container through its viewBox.
pub fn render_svg(spec: &ChartSpec, theme: &Theme) -> (String, Geometry) {
    let mut out = String::new();
    let geometry = {
        let backend = SVGBackend::with_string(&mut out, (spec.width, spec.height));
        draw(backend, spec, theme)
    };
    match geometry {
        Ok(g) => (out, g),
        // Drawing into a String cannot fail for I/O reasons; a failure is a bug worth seeing in the page.
        Err(e) => (
            format!("<p class=\"chart-error\">Chart could not be drawn: {e}</p>"),
            Geometry::default(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::made_up_series as series;
    use crate::chart::{ChartKind, Hit, Panel};

    fn spec(kind: ChartKind) -> ChartSpec {
        ChartSpec {
            kind,
            panels: vec![Panel {
                unit: "test unit".into(),
                series: vec![
                    series("a", 0, &[("2020", 1.0), ("2021", 2.0), ("2022", 4.0)]),
                    series("b", 1, &[("2020", 3.0), ("2022", 1.5)]),
                ],
            }],
            log_scale: false,
            width: 800,
            height: 400,
            events: Vec::new(),
        }
    }

    #[test]
    fn hits_sit_where_the_projection_says() {
        let (svg, g) = render_svg(&spec(ChartKind::Line), &Theme::LIGHT);
        assert!(svg.starts_with("<svg"), "{}", &svg[..60]);
        assert!(svg.contains("test unit"));
        assert_eq!(g.hits.len(), 5);
        let proj = g.panels[0];
        for hit in &g.hits {
            let s = &spec(ChartKind::Line).panels[0].series[hit.series];
            let p = &s.points[hit.point];
            assert_eq!(
                proj.to_pixel(p.period.midpoint(), p.value),
                (hit.px, hit.py)
            );
            // And back: the hit's pixel maps to data within one pixel's worth.
            let (x, y) = proj.to_data(hit.px as f64, hit.py as f64);
            let px_per_x = (proj.px_x.1 - proj.px_x.0) as f64 / (proj.x.1 - proj.x.0);
            let px_per_y = (proj.px_y.0 - proj.px_y.1) as f64 / (proj.y.1 - proj.y.0);
            assert!((x - p.period.midpoint()).abs() * px_per_x <= 1.0);
            assert!((y - p.value).abs() * px_per_y <= 1.0);
        }
        // Higher values are drawn higher up.
        assert!(g.hits[2].py < g.hits[0].py);
        // The plotting area lies inside the drawing.
        assert!(proj.px_x.0 > 0 && proj.px_x.1 < 800 && proj.px_y.1 > 0 && proj.px_y.0 < 400);
    }

    #[test]
    fn gaps_are_not_joined() {
        // Series b has 2020 and 2022 only: its points are drawn but no line joins them.
        let mut only_b = spec(ChartKind::Line);
        only_b.panels[0].series.remove(0);
        let (svg, g) = render_svg(&only_b, &Theme::LIGHT);
        assert_eq!(g.hits.len(), 2);
        let b_line = "stroke=\"#D55E00\"";
        assert!(
            !svg.lines()
                .any(|l| l.contains("<polyline") && l.contains(b_line)),
            "a line joins a gap"
        );
        let (svg_a, _) = render_svg(
            &spec(ChartKind::Line).with_hidden(&["b".into()]),
            &Theme::LIGHT,
        );
        let a_lines = svg_a
            .lines()
            .filter(|l| l.contains("<polyline") && l.contains("stroke=\"#0072B2\""))
            .count();
        assert_eq!(a_lines, 2, "2020–2021 and 2021–2022 are joined");
    }

    #[test]
    fn hidden_series_are_not_drawn_or_hit() {
        let (_, g) = render_svg(
            &spec(ChartKind::Line).with_hidden(&["a".into()]),
            &Theme::LIGHT,
        );
        assert_eq!(g.hits.len(), 2);
        assert!(g.hits.iter().all(|h| h.series == 1));
    }

    #[test]
    fn bars_and_log_scale_and_empty() {
        let (svg, g) = render_svg(&spec(ChartKind::Bars), &Theme::LIGHT);
        assert_eq!(g.hits.len(), 5);
        assert!(svg.contains("2021"), "row labels are drawn");
        let mut log = spec(ChartKind::Line);
        log.log_scale = true;
        let (_, g) = render_svg(&log, &Theme::LIGHT);
        assert_eq!(g.panels[0].y, (0.0, 1.0), "log10 of 1..4 spans one decade");
        let mut empty = spec(ChartKind::Line);
        empty.panels[0].series.clear();
        let (svg, g) = render_svg(&empty, &Theme::LIGHT);
        assert!(svg.contains("No data"));
        assert!(g.hits.is_empty());
    }

    #[test]
    fn events_draw_on_every_time_kind_with_numbers_that_do_not_collide() {
        use crate::chart::EventMark;
        let mark = |number: usize, start: f64, end: f64| EventMark {
            number,
            start,
            end,
            title: format!("made-up event {number}"),
        };
        for kind in [ChartKind::Line, ChartKind::Area] {
            let mut s = spec(kind);
            // Two events at almost the same moment and one span, within 2020–2022.
            s.events = vec![
                mark(1, 2020.5, 2020.5),
                mark(2, 2020.52, 2020.52),
                mark(3, 2021.0, 2022.0),
            ];
            let (svg, _) = render_svg(&s, &Theme::LIGHT);
            // Each number's text element, and where it sits vertically.
            let top_of = |n: &str| {
                let end = svg.find(&format!(">\n{n}\n</text>"))?;
                let start = svg[..end].rfind("<text")?;
                let dy = svg[start..end].split(" dy=\"").nth(1)?.split('"').next()?;
                let y = svg[start..end].split(" y=\"").nth(1)?.split('"').next()?;
                Some(format!("{y}+{dy}"))
            };
            // The two at one spot share one label; the span has its own.
            assert!(top_of("1–2").is_some() && top_of("3").is_some(), "{kind:?}");
        }
    }

    /// The x of the text element reading exactly `label`.
    fn text_x(svg: &str, label: &str) -> Option<i32> {
        let end = svg.find(&format!(">\n{label}\n</text>"))?;
        let start = svg[..end].rfind("<text")?;
        svg[start..end]
            .split(" x=\"")
            .nth(1)?
            .split('"')
            .next()?
            .parse()
            .ok()
    }

    #[test]
    fn annual_values_stand_at_their_year_ticks() {
        for kind in [ChartKind::Line, ChartKind::Area] {
            let s = spec(kind);
            let (svg, g) = render_svg(&s, &Theme::LIGHT);
            for hit in g.hits.iter().filter(|h| h.series == 0) {
                let p = &s.panels[0].series[0].points[hit.point];
                assert_eq!(
                    text_x(&svg, &p.period.to_string()),
                    Some(hit.px),
                    "{kind:?}: the {} label stands over its value",
                    p.period
                );
                // The hover geometry agrees: the projection puts the tick's x on the same pixel.
                let tick = crate::chart::year_ticks(g.panels[0].x.0, g.panels[0].x.1, 100.0, 1.0)
                    .into_iter()
                    .find(|t| t.0.to_string() == p.period.to_string())
                    .map(|t| g.panels[0].to_pixel(t.1, 0.0).0);
                assert_eq!(tick, Some(hit.px));
            }
        }
    }

    #[test]
    fn a_half_year_is_drawn_hollow_and_dashed_and_never_joined_to_years() {
        let mut s = spec(ChartKind::Line);
        s.panels[0].series = vec![series(
            "a",
            0,
            &[("2022", 1.0), ("2023", 2.0), ("2024-H1", 1.2)],
        )];
        let (svg, g) = render_svg(&s, &Theme::LIGHT);
        let [y22, y23, h1] = [g.hits[0], g.hits[1], g.hits[2]];
        let at = |h: Hit| format!("{},{}", h.px, h.py);
        let solid: Vec<&str> = svg
            .lines()
            .filter(|l| {
                l.contains("<polyline") && l.contains("stroke=\"#0072B2\" stroke-width=\"2\"")
            })
            .collect();
        assert_eq!(solid.len(), 1, "only 2022–2023 is joined: {solid:?}");
        assert!(solid[0].contains(&at(y22)) && solid[0].contains(&at(y23)));
        assert!(!svg
            .lines()
            .any(|l| l.contains("<polyline") && l.contains(&at(y23)) && l.contains(&at(h1))));
        // Hollow marker at the half year, its six months drawn as a dashed span (several short pieces).
        assert!(svg.contains(&format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"5\" opacity=\"1\" fill=\"#FFFFFF\"",
            h1.px, h1.py
        )));
        let dashes = svg
            .lines()
            .filter(|l| l.contains("<polyline") && l.contains(&format!(",{} ", h1.py)))
            .count();
        assert!(dashes > 3, "{dashes} dash pieces");
        // It sits inside 2024, left of the 2024 tick, below 2023: a half year, not a drop to read.
        let tick_2024 = text_x(&svg, "2024").unwrap();
        assert!(h1.px < tick_2024 && h1.px > y23.px);
    }
}
