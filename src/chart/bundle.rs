//! A chart as a page shows it: the spec to draw, plus the sources line and the table of figures (with
//! quotes and caveats) that sit under it. Built from series and observations by pure functions.

use super::{ChartKind, ChartPoint, ChartSeries, ChartSpec, Panel};
use crate::domain::{Dataset, Flags, Observation, Period, Series};
use crate::i18n::{numbers, tf, Lang};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartBundle {
    /// DOM id prefix, unique in the page.
    pub id: String,
    pub title: String,
    pub note: String,
    pub spec: ChartSpec,
    pub sources: Vec<SourceRef>,
    pub figures: Vec<FigureRow>,
    /// For each series (legend order): a link that toggles it in the URL, where the page keeps state there.
    pub legend_links: Vec<Option<String>>,
    /// Events drawn on the chart, numbered from 1 in this order.
    #[serde(default)]
    pub events: Vec<crate::events::Event>,
}

/// A named source with its link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    pub label: String,
    pub url: Option<String>,
    /// The dataset's licence note.
    pub licence: String,
}

/// One figure in the table under a chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureRow {
    pub series: String,
    pub period: String,
    pub value: String,
    pub unit: String,
    pub flags: Flags,
    pub source: SourceRef,
    pub quote: Option<String>,
    pub caveat: Option<String>,
    /// For derived values: how it was computed, or why it could not be.
    #[serde(default)]
    pub derived: Option<String>,
    /// The value as a number, for sorting; `None` where there is none.
    #[serde(default)]
    pub number: Option<f64>,
}

/// A series with its observations and the dataset it comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesData {
    pub series: Series,
    pub dataset: Dataset,
    pub observations: Vec<Observation>,
    /// Legend label; defaults to `Series::label()`.
    pub label: Option<String>,
}

impl SeriesData {
    pub fn label(&self) -> String {
        self.label.clone().unwrap_or_else(|| self.series.label())
    }
}

/// The source of one figure: its own attribution and link where it has one, else its dataset's.
pub fn source_of(o: &Observation, d: &Dataset) -> SourceRef {
    SourceRef {
        label: o
            .attributed_to
            .clone()
            .unwrap_or_else(|| d.publisher.clone()),
        // Only web addresses and this site's paths become links (never `javascript:` and the like,
        // whatever a file or a form said).
        url: [&o.source_url, &d.source_url]
            .into_iter()
            .flatten()
            .find_map(|u| crate::strings::safe_link(u).map(str::to_string)),
        licence: d.licence.clone(),
    }
}

/// "example.org" from a link, for compact source lines; site-relative links name the app.
pub fn link_host(url: &str) -> String {
    if url.starts_with('/') {
        return "Tradewinds copy".into();
    }
    let rest = url.split("://").nth(1).unwrap_or(url);
    let host = rest.split('/').next().unwrap_or(rest);
    host.trim_start_matches("www.").to_string()
}

/// The chart point and the table row for one observation; `category` is the bar row (empty for lines).
/// On Chinese pages money reads in 万/亿 with its currency ("579亿美元") and periods as 2024年上半年.
pub(crate) fn point_and_figure(
    sd: &SeriesData,
    o: &Observation,
    series_label: &str,
    category: &str,
    lang: Lang,
) -> (ChartPoint, FigureRow) {
    let source = source_of(o, &sd.dataset);
    let display = o.display_value();
    let reads = numbers::amount_of(lang, &display, o.value, &sd.series.unit);
    // Chinese money carries its unit in the figure ("579亿美元"), so the unit is not said twice.
    let (display, unit_in_display) = match numbers::money_unit(lang, &sd.series.unit) {
        Some(_) if reads != display && !reads.contains(' ') => (reads, true),
        _ => (display, false),
    };
    let point = ChartPoint {
        period: o.period,
        category: category.to_string(),
        value: o.value,
        value_high: o.value_high,
        flags: o.flags,
        display: display.clone(),
        unit_in_display,
        source: match &source.url {
            Some(u) => format!("{} ({})", source.label, link_host(u)),
            None => source.label.clone(),
        },
        caveat: o.caveat.clone(),
        derived: None,
        gap: None,
        bubble: None,
    };
    let figure = FigureRow {
        series: series_label.to_string(),
        period: numbers::period(lang, &o.period),
        value: display,
        // Chinese money already says its unit in the value ("579亿美元").
        unit: match unit_in_display {
            true => String::new(),
            false => numbers::unit(lang, &sd.series.unit),
        },
        flags: o.flags,
        source,
        quote: o.quote.clone(),
        caveat: o.caveat.clone(),
        derived: None,
        number: Some(o.value),
    };
    (point, figure)
}

/// Keeps the latest [`MAX_POINTS_PER_SERIES`] points of each series (and only their rows in the table);
/// what was left out is added to `note`.
fn cap_points(panels: &mut [Panel], figures: &mut Vec<FigureRow>, note: &mut String, lang: Lang) {
    let mut dropped: Vec<(String, String)> = Vec::new();
    for series in panels.iter_mut().flat_map(|p| p.series.iter_mut()) {
        let total = series.points.len();
        if total <= MAX_POINTS_PER_SERIES {
            continue;
        }
        series.points.sort_by(|a, b| a.period.cmp(&b.period));
        let left_out: Vec<ChartPoint> = series.points.drain(..total - MAX_POINTS_PER_SERIES).collect();
        // The table's rows name their periods as the page reads them (point_and_figure).
        dropped.extend(left_out.iter().map(|p| (series.label.clone(), numbers::period(lang, &p.period))));
        let capped = tf(
            lang,
            "chart.points_capped",
            &[("series", &series.label), ("n", &MAX_POINTS_PER_SERIES.to_string()), ("total", &total.to_string())],
        );
        *note = format!("{note}{}{capped}", if note.is_empty() { "" } else { " " });
    }
    if !dropped.is_empty() {
        let dropped: std::collections::HashSet<(String, String)> = dropped.into_iter().collect();
        figures.retain(|f| !dropped.contains(&(f.series.clone(), f.period.clone())));
    }
}

pub(crate) fn finish(
    id: &str,
    title: &str,
    note: &str,
    kind: ChartKind,
    mut panels: Vec<Panel>,
    mut figures: Vec<FigureRow>,
    size: (u32, u32),
    lang: Lang,
) -> ChartBundle {
    let mut note = note.to_string();
    cap_points(&mut panels, &mut figures, &mut note, lang);
    let mut sources: Vec<SourceRef> = Vec::new();
    for f in &figures {
        if !sources.contains(&f.source) {
            sources.push(f.source.clone());
        }
    }
    let legend = panels.iter().map(|p| p.series.len()).sum();
    let height = ChartSpec::height_for_panels(size.1, panels.len());
    ChartBundle {
        id: id.into(),
        title: title.into(),
        note: note.into(),
        spec: ChartSpec {
            kind,
            panels,
            log_scale: false,
            width: size.0,
            height,
            events: Vec::new(),
        },
        sources,
        figures,
        legend_links: vec![None; legend],
        events: Vec::new(),
    }
}

/// Adds `series` to the panel headed `unit`, opening that panel (after the others) if there is none yet:
/// series in different units never share an axis.
pub(crate) fn add_to_panel(panels: &mut Vec<Panel>, unit: &str, series: ChartSeries) {
    match panels.iter_mut().find(|p| p.unit == unit) {
        Some(panel) => panel.series.push(series),
        None => panels.push(Panel {
            unit: unit.to_string(),
            series: vec![series],
        }),
    }
}

/// The most figures drawn (and listed) per series: a chart of 20 series stays a page and an image of
/// bounded size whatever the stored data holds (a monthly series of a century has 1,200). Beyond it the
/// latest are drawn and the chart's note says how many were left out.
pub const MAX_POINTS_PER_SERIES: usize = 2000;

/// A time chart of `data`: one panel per unit (in order of first appearance), one series per entry.
pub fn build(
    id: &str,
    title: &str,
    note: &str,
    data: &[SeriesData],
    size: (u32, u32),
    lang: Lang,
) -> ChartBundle {
    let mut panels: Vec<Panel> = Vec::new();
    let mut figures = Vec::new();
    for (style, sd) in data.iter().enumerate() {
        let label = sd.label();
        let mut obs = sd.observations.clone();
        obs.sort_by(|a, b| a.period.cmp(&b.period));
        let mut points = Vec::with_capacity(obs.len());
        for o in &obs {
            let (point, figure) = point_and_figure(sd, o, &label, "", lang);
            points.push(point);
            figures.push(figure);
        }
        let series = ChartSeries {
            id: sd.series.id.clone(),
            label,
            style,
            hidden: false,
            points,
        };
        add_to_panel(&mut panels, &numbers::unit(lang, &sd.series.unit), series);
    }
    finish(id, title, note, ChartKind::Line, panels, figures, size, lang)
}

/// Horizontal bars comparing markets: one row per series (labelled by its destination), one bar per
/// period, and the periods are the legend entries. All series must share one unit (e.g. "% of exports").
pub fn build_bars_by_period(
    id: &str,
    title: &str,
    note: &str,
    data: &[SeriesData],
    size: (u32, u32),
    lang: Lang,
) -> ChartBundle {
    let mut periods: Vec<Period> = data
        .iter()
        .flat_map(|d| d.observations.iter().map(|o| o.period))
        .collect();
    periods.sort();
    periods.dedup();
    let mut figures = Vec::new();
    let series: Vec<ChartSeries> = periods
        .iter()
        .enumerate()
        .map(|(style, period)| {
            let mut points = Vec::new();
            for sd in data {
                for o in sd.observations.iter().filter(|o| o.period == *period) {
                    let (point, figure) =
                        {
                        let market = crate::i18n::place(lang, &sd.series.destination_code, &sd.series.destination);
                        point_and_figure(sd, o, &market, &market, lang)
                    };
                    points.push(point);
                    figures.push(figure);
                }
            }
            ChartSeries {
                id: format!("{id}-{period}"),
                label: numbers::period(lang, period),
                style,
                hidden: false,
                points,
            }
        })
        .collect();
    let unit = data
        .first()
        .map(|d| numbers::unit(lang, &d.series.unit))
        .unwrap_or_default();
    finish(
        id,
        title,
        note,
        ChartKind::Bars,
        vec![Panel { unit, series }],
        figures,
        size,
        lang,
    )
}

/// A sentence describing the chart for screen readers in `lang`: what is plotted and over which periods.
pub fn describe(bundle: &ChartBundle, lang: Lang) -> String {
    let series: Vec<&ChartSeries> = bundle.spec.all_series().collect();
    let periods: Vec<_> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.period))
        .collect();
    let range = match (periods.iter().min(), periods.iter().max()) {
        (Some(a), Some(b)) if a == b => tf(lang, "chart.describe.period", &[("period", &a.to_string())]),
        (Some(a), Some(b)) => {
            tf(lang, "chart.describe.span", &[("from", &a.to_string()), ("to", &b.to_string())])
        }
        _ => String::new(),
    };
    let names = series
        .iter()
        .map(|s| s.label.clone())
        .reduce(|a, b| tf(lang, "chart.describe.names", &[("a", &a), ("b", &b)]))
        .unwrap_or_default();
    let n = series.len().to_string();
    let args = [("title", bundle.title.as_str()), ("n", &n), ("names", &names), ("range", &range)];
    tf(lang, "chart.describe", &args)
}

/// Made-up series for tests only: from "Testland" to a place named like the id, in one made-up dataset.
#[cfg(test)]
pub(crate) fn made_up(id: &str, indicator: &str, unit: &str, values: &[(&str, f64)]) -> SeriesData {
    SeriesData {
        series: Series {
            id: id.into(),
            dataset_id: "test".into(),
            indicator: indicator.into(),
            origin: "Testland".into(),
            destination: id.into(),
            category: "made up".into(),
            unit: unit.into(),
            ..Default::default()
        },
        dataset: Dataset {
            id: "test".into(),
            title: "Made-up test data".into(),
            publisher: "Test publisher".into(),
            source_url: Some("https://www.example.org/data".into()),
            licence: "test".into(),
            retrieved: None,
            notes: String::new(),
        },
        observations: values
            .iter()
            .map(|(p, v)| Observation::new(id, p.parse().unwrap(), *v))
            .collect(),
        label: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sd(id: &str, unit: &str, values: &[(&str, f64)]) -> SeriesData {
        made_up(id, "i", unit, values)
    }

    #[test]
    fn one_panel_per_unit_and_sources_deduplicated() {
        let data = [
            sd("a", "USD bn", &[("2023", 2.0), ("2022", 1.0)]),
            sd("b", "million", &[("2023", 5.0)]),
            sd("c", "USD bn", &[("2021", 1.0)]),
        ];
        let b = build("x", "T", "", &data, (720, 400), Lang::En);
        assert_eq!(b.spec.panels.len(), 2);
        assert_eq!(
            b.spec.panels[0].series.len(),
            2,
            "a and c share the USD bn axis"
        );
        assert_eq!(
            b.spec.panels[0].series[0].points[0].period.to_string(),
            "2022",
            "points in period order"
        );
        assert_eq!(b.sources.len(), 1);
        assert_eq!(b.figures.len(), 4);
        assert_eq!(
            b.spec.panels[0].series[0].points[0].source,
            "Test publisher (example.org)"
        );
        assert!(describe(&b, Lang::En).contains("3 series"));
        assert!(describe(&b, Lang::En).contains("2021 to 2023"));
        assert!(describe(&b, Lang::En).ends_with(". The figures are listed in the table below the chart."));
        let zh = describe(&b, Lang::ZhHans);
        assert!(zh.contains("：3个序列（") && zh.contains("，2021至2023。"), "{zh}");
    }

    #[test]
    fn bars_pivot_periods_into_series_and_markets_into_rows() {
        let mut us = sd("us", "%", &[("2022", 34.3), ("2024-H1", 34.2)]);
        us.series.destination = "United States".into();
        let mut uk = sd("uk", "%", &[("2022", 6.5), ("2024-H1", 8.1)]);
        uk.series.destination = "United Kingdom".into();
        let b = build_bars_by_period("shares", "T", "", &[us, uk], (720, 400), Lang::En);
        let labels: Vec<&str> = b.spec.all_series().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["2022", "2024-H1"]);
        let h1 = &b.spec.panels[0].series[1];
        assert_eq!(h1.points[1].category, "United Kingdom");
        assert_eq!(h1.points[1].value, 8.1);
        assert_eq!(b.figures.len(), 4);
        assert_eq!(b.legend_links.len(), 2);
    }

    #[test]
    fn a_dense_series_is_drawn_with_its_latest_points_and_says_so() {
        let periods: Vec<String> = (1840..2020)
            .flat_map(|y| (1..=12).map(move |m| format!("{y}-{m:02}")))
            .collect();
        let values: Vec<(&str, f64)> = periods.iter().map(|p| (p.as_str(), 1.0)).collect();
        let b = build("x", "T", "A note.", &[sd("dense", "USD bn", &values)], (720, 400), Lang::En);
        let points = &b.spec.panels[0].series[0].points;
        assert_eq!(points.len(), MAX_POINTS_PER_SERIES);
        assert_eq!(points.last().unwrap().period.to_string(), "2019-12", "the latest are kept");
        assert_eq!(b.figures.len(), MAX_POINTS_PER_SERIES);
        assert!(b.note.starts_with("A note. "), "{}", b.note);
        assert!(b.note.contains("only the latest 2000 of 2160 figures"), "{}", b.note);
        // On a Chinese page too: its table names periods as 2019年12月, and still loses the same rows.
        let zh = build("x", "T", "", &[sd("dense", "USD bn", &values)], (720, 400), Lang::ZhHans);
        assert_eq!(zh.figures.len(), MAX_POINTS_PER_SERIES);
        assert!(zh.note.contains("只绘制最近的 2000 个"), "{}", zh.note);
    }
}
