//! The all-series readout at a hovered point (as Our World in Data shows it): every visible series'
//! value at the same period — or, on bar charts, in the same row — sorted largest first, with how each
//! figure was stated. Pure, so the tooltip's content is tested without a browser.

use super::{is_part_year, ChartKind, ChartPoint, ChartSpec, Hit};
use crate::i18n::Lang;

#[derive(Clone, Debug, PartialEq)]
pub struct ReadoutRow {
    pub label: String,
    /// Palette index, for the swatch.
    pub style: usize,
    /// The value as shown ("≥ 33.3"); `None` where the series has no figure there.
    pub value: Option<String>,
    pub unit: String,
    /// i18n keys of the figure's flags (lower bound, approximate, provisional, part-year).
    pub flags: Vec<&'static str>,
    /// The hovered point's own row.
    pub current: bool,
}

/// What a row's flags are called, as i18n keys.
pub fn flag_keys(p: &ChartPoint) -> Vec<&'static str> {
    [
        (p.flags.lower_bound, "chart.flag.lower_bound"),
        (p.flags.approximate, "chart.flag.approximate"),
        (p.flags.provisional, "chart.flag.provisional"),
        (is_part_year(&p.period), "chart.flag.part_year"),
    ]
    .into_iter()
    .filter_map(|(on, key)| on.then_some(key))
    .collect()
}

/// The readout for `hit`: its heading (the period, or the bar row's name) and one row per series not
/// in `hidden` (the legend's current state) — grouped by panel (unit), largest value first, series
/// without a figure there last. Bubble charts get none (each bubble is its own period and position).
pub fn readout(
    spec: &ChartSpec,
    hit: &Hit,
    hidden: &[String],
    lang: Lang,
) -> Option<(String, Vec<ReadoutRow>)> {
    let point = spec
        .panels
        .get(hit.panel)?
        .series
        .get(hit.series)?
        .points
        .get(hit.point)?;
    let bars = match spec.kind {
        ChartKind::Line | ChartKind::Area => false,
        ChartKind::Bars => true,
        ChartKind::Bubble => return None,
    };
    let same = |p: &ChartPoint| match bars {
        true => p.category == point.category,
        false => p.period == point.period,
    };
    let mut rows: Vec<(usize, Option<f64>, ReadoutRow)> = Vec::new();
    for (panel_index, panel) in spec.panels.iter().enumerate() {
        for (series_index, series) in panel.series.iter().enumerate() {
            if hidden.contains(&series.id) {
                continue;
            }
            let found = series.points.iter().find(|p| same(p) && p.gap.is_none());
            rows.push((
                panel_index,
                found.map(|p| p.value),
                ReadoutRow {
                    label: series.label.clone(),
                    style: series.style,
                    value: found.map(|p| p.display.clone()),
                    unit: match found.is_some_and(|p| p.unit_in_display) {
                        true => String::new(),
                        false => panel.unit.clone(),
                    },
                    flags: found.map(flag_keys).unwrap_or_default(),
                    current: panel_index == hit.panel && series_index == hit.series,
                },
            ));
        }
    }
    rows.sort_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| match (a.1, b.1) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (x, y) => y.is_some().cmp(&x.is_some()),
        })
    });
    let heading = match bars {
        true => point.category.clone(),
        false => crate::i18n::numbers::period(lang, &point.period),
    };
    Some((heading, rows.into_iter().map(|(_, _, r)| r).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::made_up_series as series;
    use crate::chart::Panel;

    #[test]
    fn every_visible_series_at_the_hovered_period_largest_first() {
        let mut low = series("low", 0, &[("2023", 1.0), ("2024", 2.0)]);
        low.points[1].flags.lower_bound = true;
        let spec = ChartSpec {
            kind: ChartKind::Line,
            panels: vec![Panel {
                unit: "USD bn".into(),
                series: vec![
                    low,
                    series("high", 1, &[("2024", 9.0)]),
                    series("missing", 2, &[("2023", 5.0), ("2024-H1", 4.0)]),
                    series("hidden", 3, &[("2024", 99.0)]),
                ],
            }],
            log_scale: false,
            width: 720,
            height: 400,
            events: Vec::new(),
        };
        let hide = vec!["hidden".to_string()];
        let hit = Hit {
            panel: 0,
            series: 0,
            point: 1,
            px: 0,
            py: 0,
        };
        let (heading, rows) = readout(&spec, &hit, &hide, Lang::En).unwrap();
        assert_eq!(heading, "2024");
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            ["high", "low", "missing"],
            "sorted; hidden left out; no figure last"
        );
        assert!(rows[1].current && !rows[0].current);
        assert_eq!(rows[1].flags, ["chart.flag.lower_bound"]);
        assert_eq!(rows[2].value, None, "a half year is not the year");
        // Hovering the half year reads it as part-year.
        let h1 = Hit {
            panel: 0,
            series: 2,
            point: 1,
            px: 0,
            py: 0,
        };
        let (heading, rows) = readout(&spec, &h1, &hide, Lang::En).unwrap();
        assert_eq!(heading, "2024-H1");
        assert_eq!(rows[0].flags, ["chart.flag.part_year"]);
        assert_eq!(rows.iter().filter(|r| r.value.is_some()).count(), 1);
    }
}
