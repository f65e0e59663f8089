//! Rankings of the explorer's series: ranked bars (by latest value or by CAGR) and market bubbles
//! (size, growth, share). Values that cannot be computed are rows with their reason, never invented.

use super::derived::{derived_display, panel_unit, same_family, signed, sorted};
use super::state::{ExploreState, Rank};
use crate::chart::bundle::{add_to_panel, finish, point_and_figure, ChartBundle, FigureRow, SeriesData};
use crate::chart::{ChartKind, ChartPoint, ChartSeries, Panel};
use crate::domain::{format_number, Observation, Period};
use crate::i18n::{numbers, t, tf, Lang};
use crate::transform::{self, Cagr, Gap, Transform};

/// The latest figure a ranking can use, with the value to rank by (derived for transforms).
fn latest(
    sd: &SeriesData,
    transform: &Transform,
    lang: Lang,
) -> Result<(Observation, f64, Option<String>), Gap> {
    let obs = sorted(&sd.observations);
    if *transform == Transform::Absolute {
        let o = transform::latest_value(&obs).ok_or(Gap::NoEarlierPeriod)?;
        return Ok((o.clone(), o.value, None));
    }
    let points = transform::apply(transform, &obs, None);
    let last_ok = points
        .iter()
        .rev()
        .find(|p| p.value.is_ok())
        .ok_or_else(|| {
            points
                .last()
                .map_or(Gap::NoEarlierPeriod, |p| p.value.unwrap_err())
        })?;
    let v = *last_ok.value.as_ref().expect("found ok");
    Ok((last_ok.input.clone(), v, Some(last_ok.explain(transform, lang))))
}

/// CAGR between the state's periods, or between the first and last figures of the latest figure's
/// frequency in the range shown.
fn growth_of(sd: &SeriesData, state: &ExploreState) -> Result<Cagr, Gap> {
    let obs = sorted(&sd.observations);
    let (from, to) = match state.cagr {
        Some(range) => range,
        None => {
            let last = transform::latest_value(&obs).ok_or(Gap::NoEarlierPeriod)?;
            let freq = last.period.frequency();
            let first = obs
                .iter()
                .find(|o| o.period.frequency() == freq)
                .ok_or(Gap::NoEarlierPeriod)?;
            (first.period, last.period)
        }
    };
    transform::cagr(&obs, from, to)
}

fn cagr_explained(c: &Cagr, lang: Lang) -> String {
    let (from, to) = (numbers::period(lang, &c.from), numbers::period(lang, &c.to));
    tf(
        lang,
        "explain.cagr",
        &[
            ("v", &signed(c.pct)),
            ("to_value", &format_number(c.to_value)),
            ("from_value", &format_number(c.from_value)),
            ("years", &derived_display(c.years)),
            ("from", &from),
            ("to", &to),
        ],
    )
}

/// One bar per series, ranked (the drawing sorts rows by value, largest first).
pub(super) fn ranked_bars(
    id: &str,
    title: &str,
    note: &str,
    data: &[SeriesData],
    transform: &Transform,
    state: &ExploreState,
    size: (u32, u32),
    lang: Lang,
) -> ChartBundle {
    let shown: Vec<&SeriesData> = data
        .iter()
        .filter(|d| !state.hide.contains(&d.series.id))
        .collect();
    let mut panels: Vec<Panel> = Vec::new();
    let mut figures = Vec::new();
    for sd in shown {
        let label = sd.label();
        let (point, figure, unit) = match state.rank {
            Rank::Latest => {
                let unit = panel_unit(lang, transform, &sd.series.unit, None);
                match latest(sd, transform, lang) {
                    Ok((o, v, explained)) => {
                        let (mut point, mut figure) = point_and_figure(sd, &o, &label, &label, lang);
                        if let Some(e) = explained {
                            point.value = v;
                            point.display = derived_display(v);
                            point.unit_in_display = false;
                            point.derived = Some(e.clone());
                            figure.value = point.display.clone();
                            figure.unit = unit.clone();
                            figure.derived = Some(e);
                            figure.number = Some(v);
                        }
                        let period = numbers::period(lang, &o.period);
                        point.display = tf(lang, "explore.value_at", &[("value", &point.display), ("period", &period)]);
                        (point, figure, unit)
                    }
                    Err(gap) => gap_row(sd, &label, gap, unit, lang),
                }
            }
            Rank::Growth => {
                let unit = t(lang, "explore.unit.cagr").to_string();
                match growth_of(sd, state) {
                    Ok(c) => {
                        let obs = sorted(&sd.observations);
                        let end = obs
                            .iter()
                            .rev()
                            .find(|o| o.period == c.to)
                            .expect("cagr found it");
                        let (mut point, mut figure) = point_and_figure(sd, end, &label, &label, lang);
                        point.value = c.pct;
                        point.value_high = None;
                        point.unit_in_display = false;
                        let span = tf(lang, "explore.span", &[("from", &numbers::period(lang, &c.from)), ("to", &numbers::period(lang, &c.to))]);
                        point.display = tf(lang, "explore.value_at", &[("value", &format!("{}%", signed(c.pct))), ("period", &span)]);
                        point.derived = Some(cagr_explained(&c, lang));
                        figure.value = signed(c.pct);
                        figure.number = Some(c.pct);
                        figure.period = span;
                        figure.unit = unit.clone();
                        figure.derived = point.derived.clone();
                        (point, figure, unit)
                    }
                    Err(gap) => gap_row(sd, &label, gap, unit, lang),
                }
            }
        };
        figures.push(figure);
        let panel = match panels.iter_mut().position(|p| p.unit == unit) {
            Some(i) => &mut panels[i],
            None => {
                panels.push(Panel {
                    unit: unit.clone(),
                    series: vec![ChartSeries {
                        id: format!("{id}-ranked-{}", panels.len()),
                        label: match state.rank {
                            Rank::Latest => t(lang, "explore.rank.latest").into(),
                            Rank::Growth => t(lang, "explore.bars.growth").into(),
                        },
                        style: 0,
                        hidden: false,
                        points: Vec::new(),
                    }],
                });
                panels.last_mut().expect("just pushed")
            }
        };
        panel.series[0].points.push(point);
    }
    let mut bundle = finish(id, title, note, ChartKind::Bars, panels, figures, size, lang);
    // Bars need height per row.
    let rows = bundle
        .spec
        .panels
        .iter()
        .map(|p| p.series[0].points.len())
        .max()
        .unwrap_or(1) as u32;
    bundle.spec.height = bundle.spec.height.max(80 + rows * 34);
    bundle
}

/// A bar row that could not be computed: its label and the reason, no value.
fn gap_row(
    sd: &SeriesData,
    label: &str,
    gap: Gap,
    unit: String,
    lang: Lang,
) -> (ChartPoint, FigureRow, String) {
    let placeholder = Observation::new(&sd.series.id, Period::Year(2000), 0.0);
    let (mut point, mut figure) = point_and_figure(sd, &placeholder, label, label, lang);
    point.gap = Some(gap.text(lang));
    point.display = "—".into();
    figure.period = "—".into();
    figure.value = "—".into();
    figure.number = None;
    figure.unit = unit.clone();
    figure.derived = Some(gap.not_computed(lang));
    (point, figure, unit)
}

/// Markets as bubbles: x = latest value (sourced), y = CAGR (derived), area = share of the markets
/// shown — only when they are one family and their latest figures are for the same period; otherwise
/// equal bubbles and a note.
pub(super) fn bubbles(
    id: &str,
    title: &str,
    note: &str,
    data: &[SeriesData],
    state: &ExploreState,
    size: (u32, u32),
    problems: &mut Vec<String>,
    lang: Lang,
) -> ChartBundle {
    let latest_of: Vec<Option<Observation>> = data
        .iter()
        .map(|d| transform::latest_value(&sorted(&d.observations)).cloned())
        .collect();
    let shown: Vec<usize> = (0..data.len())
        .filter(|&i| !state.hide.contains(&data[i].series.id))
        .collect();
    let one_family = shown
        .windows(2)
        .all(|w| same_family(&data[w[0]], &data[w[1]]));
    let periods: Vec<Period> = shown
        .iter()
        .filter_map(|&i| latest_of[i].as_ref().map(|o| o.period))
        .collect();
    let same_period = periods.windows(2).all(|w| w[0] == w[1]);
    let sum: f64 = shown
        .iter()
        .filter_map(|&i| latest_of[i].as_ref())
        .filter(|o| !o.flags.lower_bound && o.value_high.is_none())
        .map(|o| o.value)
        .sum();
    let shares = one_family && same_period && sum > 0.0 && shown.len() > 1;
    if !shares && shown.len() > 1 {
        problems.push(t(lang, "explore.bubble.same_size").into());
    }
    let mut panels: Vec<Panel> = Vec::new();
    let mut figures = Vec::new();
    for (style, sd) in data.iter().enumerate() {
        let label = sd.label();
        let growth = growth_of(sd, state);
        let Some(o) = latest_of[style].clone() else {
            continue;
        };
        let (mut point, mut figure) = point_and_figure(sd, &o, &label, &label, lang);
        let share = (shares && !o.flags.lower_bound).then(|| o.value / sum * 100.0);
        point.bubble = Some((o.value, share));
        match &growth {
            Ok(c) => {
                point.value = c.pct;
                let x = numbers::amount_of(lang, &o.display_value(), o.value, &sd.series.unit);
                let share = share.map_or(String::new(), |s| tf(lang, "explain.bubble.share", &[("pct", &derived_display(s))]));
                let args = [("x", x.as_str()), ("period", &numbers::period(lang, &o.period)), ("y", &cagr_explained(c, lang)), ("share", &share)];
                point.derived = Some(tf(lang, "explain.bubble", &args));
                point.display = tf(lang, "explore.bubble.pct", &[("pct", &signed(c.pct))]);
                point.unit_in_display = false;
            }
            Err(gap) => point.gap = Some(gap.text(lang)),
        }
        figure.derived = point.derived.clone();
        figures.push(figure);
        let axes = tf(lang, "explore.bubble.axes", &[("unit", &numbers::unit(lang, &sd.series.unit))]);
        let unit = match shares {
            true => tf(lang, "explore.bubble.area", &[("axes", &axes)]),
            false => axes,
        };
        let series = ChartSeries {
            id: sd.series.id.clone(),
            label,
            style,
            hidden: false,
            points: vec![point],
        };
        add_to_panel(&mut panels, &unit, series);
    }
    let mut bundle = finish(id, title, note, ChartKind::Bubble, panels, figures, size, lang);
    bundle.spec.height = bundle.spec.height.max(440);
    bundle
}

