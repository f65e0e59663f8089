//! The explorer's chart: the selected series through the view's transform, drawn as lines (or small
//! multiples), a stacked area, ranked bars, bubbles, or listed as a table; CAGR in the legend; dated
//! events on the time axis. Pure: the page and the static-image routes both call it.
//!
//! Honesty rules live here: a derived value says how it was computed, a value that cannot be computed
//! is a gap with its reason, shares need a total of the same family, and only additive series of one
//! family are stacked. Where a request cannot be honoured the chart falls back and says why.

use super::derived::{derived_display, panel_unit, same_family, signed, sorted};
use super::rank::{bubbles, ranked_bars};
use super::state::{ExploreState, View};
use crate::chart::bundle::{add_to_panel, finish, point_and_figure, ChartBundle, SeriesData};
use crate::chart::{ChartKind, ChartSeries, EventMark, Panel};
use crate::domain::{Dimension, Observation};
use crate::events::Event;
use crate::transform::{self, Transform};

/// The chart for `state` from its series' data; `total` is the share's total series when asked for.
/// Returns the bundle and what could not be done as asked (shown to the reader).
pub fn build_explorer(
    data: &[SeriesData],
    total: Option<&SeriesData>,
    events: &[Event],
    state: &ExploreState,
    size: (u32, u32),
) -> (ChartBundle, Vec<String>) {
    let mut problems = Vec::new();
    let (labelled, title) = short_labels(data);
    let data = labelled.as_slice();
    let transform = checked_transform(data, total, state, &mut problems);
    let mut view = state.view;
    if view == View::Area {
        if let Err(why) = additive(data, &transform) {
            problems.push(format!("A stacked area {why}; showing lines instead."));
            view = View::Line;
        }
    }
    let note = match &transform {
        Transform::Absolute => String::new(),
        t => format!(
            "{}: computed from the sourced figures; points that cannot be computed are marked ×.",
            transform::unit_label(t, "").trim_start_matches("% ")
        ),
    };
    let id = "explore-chart";
    let mut bundle = match view {
        View::Line | View::Table | View::Area => {
            let kind = if view == View::Area {
                ChartKind::Area
            } else {
                ChartKind::Line
            };
            over_time(
                id, &title, &note, data, total, &transform, state, kind, size,
            )
        }
        View::Bars => ranked_bars(id, &title, &note, data, &transform, state, size),
        View::Bubble => bubbles(id, &title, &note, data, state, size, &mut problems),
    };
    bundle.spec.log_scale = state.log && view != View::Bars;
    bundle.spec = bundle.spec.with_hidden(&state.hide);
    if state.events && view.is_over_time() {
        let relevant: Vec<Event> = events.iter().filter(|e| concerns(e, data)).cloned().collect();
        place_events(&mut bundle, &relevant);
    }
    bundle.legend_links = bundle
        .spec
        .all_series()
        .map(|s| {
            data.iter()
                .any(|d| d.series.id == s.id)
                .then(|| state.toggled_hidden(&s.id).href())
        })
        .collect();
    (bundle, problems)
}

/// An indicator's human name where the names table has one (the server), else its code.
fn indicator_name(code: &str) -> String {
    #[cfg(feature = "ssr")]
    return crate::labels::indicator(code);
    #[cfg(not(feature = "ssr"))]
    code.to_string()
}

/// A chart title that reads as a phrase: what the series share (indicator, category, platform,
/// route), then what they are compared by — "Imports from China, as each partner reports them
/// (mirror data): 6 markets compared", "Platform gross merchandise value, Temu (China → World)".
/// `varying` are the dimensions that differ (empty: one series, or nothing in common to name).
fn title_of(data: &[SeriesData], varying: &[Dimension]) -> String {
    let Some(first) = data.first() else {
        return String::new();
    };
    let s = &first.series;
    let shared = |d: Dimension| !varying.contains(&d) && data.iter().all(|x| x.series.dimension(d) == s.dimension(d));
    if data.len() > 1 && varying.is_empty() {
        return format!("{} series compared", data.len());
    }
    let mut title = if shared(Dimension::Indicator) {
        capitalised(&indicator_name(&s.indicator))
    } else {
        String::new()
    };
    let lower = title.to_lowercase();
    // Letters and digits only: "GDP (current US$)" says nothing "GDP, current US$" does not.
    let bare = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    let mut quals: Vec<String> = Vec::new();
    for d in [Dimension::Platform, Dimension::Category] {
        let v = s.dimension(d);
        // A category that only restates its member ("Imports (TOTAL), reported by USA") is left out.
        let restates = d == Dimension::Category && (v.contains("reported by") || bare(&title).contains(&bare(v)));
        if shared(d) && !v.is_empty() && !lower.contains(&v.to_lowercase()) && !restates {
            quals.push(v.to_string());
        }
    }
    let place = |d: Dimension| {
        let v = s.dimension(d);
        (shared(d) && !v.is_empty() && !lower.contains(&v.to_lowercase())).then(|| v.to_string())
    };
    // "(China → USA)", "(from China)", or only the destination: "… (mirror data) — USA".
    let (route, dash) = match (place(Dimension::Origin), place(Dimension::Destination)) {
        (Some(o), Some(d)) => (format!("{o} → {d}"), false),
        (Some(o), None) => (format!("from {o}"), false),
        (None, Some(d)) => (d, true),
        (None, None) => (String::new(), false),
    };
    if !quals.is_empty() {
        if title.is_empty() {
            title = quals.join(", ");
        } else {
            title = format!("{title}, {}", quals.join(", "));
        }
    }
    if !route.is_empty() {
        title = match (title.is_empty(), dash) {
            (true, _) => route,
            (false, false) => format!("{title} ({route})"),
            (false, true) => format!("{title} — {route}"),
        };
    }
    if data.len() == 1 {
        return if title.is_empty() { first.label() } else { title };
    }
    let nouns: Vec<&str> = varying
        .iter()
        .map(|d| match d {
            Dimension::Indicator => "indicator",
            Dimension::Origin => "origin",
            Dimension::Destination => "market",
            Dimension::Platform => "platform",
            Dimension::Category => "category",
        })
        .collect();
    let compared = match nouns.as_slice() {
        [one] => format!("{} {} compared", data.len(), plural(one)),
        _ => format!("{} series by {}", data.len(), nouns.join(" and ")),
    };
    if title.is_empty() {
        // Nothing shared worth naming: say what is compared.
        capitalised(&compared)
    } else {
        format!("{title}: {compared}")
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn plural(noun: &str) -> String {
    match noun {
        "category" => "categories".to_string(),
        n => format!("{n}s"),
    }
}

/// Legend labels that say only what differs between the series ("Vietnam", "Mexico"), and a title
/// with what they share; full labels when the series have nothing in common or would read alike.
fn short_labels(data: &[SeriesData]) -> (Vec<SeriesData>, String) {
    if data.len() < 2 {
        return (data.to_vec(), title_of(data, &[]));
    }
    let differs = |d: Dimension| {
        data.iter()
            .any(|x| x.series.dimension(d) != data[0].series.dimension(d))
    };
    // A category that names its own place ("Imports (TOTAL), reported by USA") only restates the
    // place: it is not a second thing the series differ by.
    let restated = |d: Dimension| {
        d == Dimension::Category
            && data.iter().all(|x| {
                let c = &x.series.category;
                [&x.series.destination, &x.series.origin]
                    .iter()
                    .any(|p| !p.is_empty() && c.contains(p.as_str()))
            })
    };
    let varying: Vec<Dimension> = Dimension::ALL
        .into_iter()
        .filter(|d| differs(*d) && !restated(*d))
        .collect();
    let labels: Vec<String> = data
        .iter()
        .map(|sd| {
            let parts: Vec<String> = varying
                .iter()
                .map(|d| match d {
                    Dimension::Indicator => capitalised(&indicator_name(&sd.series.indicator)),
                    _ => sd.series.dimension(*d).to_string(),
                })
                .filter(|v| !v.is_empty())
                .collect();
            parts.join(" · ")
        })
        .collect();
    let mut unique = labels.clone();
    unique.sort();
    unique.dedup();
    if varying.is_empty() || unique.len() < labels.len() || labels.iter().any(|l| l.is_empty()) {
        return (data.to_vec(), title_of(data, &varying));
    }
    let title = title_of(data, &varying);
    let relabelled = data
        .iter()
        .zip(labels)
        .map(|(sd, label)| SeriesData {
            label: Some(label),
            ..sd.clone()
        })
        .collect();
    (relabelled, title)
}

/// The transform as asked, unless it cannot be honest: a share needs its total, of the same family.
fn checked_transform(
    data: &[SeriesData],
    total: Option<&SeriesData>,
    state: &ExploreState,
    problems: &mut Vec<String>,
) -> Transform {
    let Transform::Share { total: total_id } = &state.transform else {
        return state.transform.clone();
    };
    let Some(total) = total else {
        problems.push(format!(
            "no series '{total_id}' to take shares of; showing the values as published"
        ));
        return Transform::Absolute;
    };
    let strangers: Vec<String> = data
        .iter()
        .filter(|d| !same_family(d, total))
        .map(|d| d.label())
        .collect();
    if strangers.is_empty() {
        return state.transform.clone();
    }
    problems.push(format!(
        "shares of '{}' are only taken for series of the same dataset, indicator and unit; {} {} not, \
         so the values are shown as published",
        total.label(),
        strangers.join(", "),
        if strangers.len() == 1 { "is" } else { "are" }
    ));
    Transform::Absolute
}


/// Why these series cannot be stacked, if they cannot: parts of one total only.
fn additive(data: &[SeriesData], transform: &Transform) -> Result<(), String> {
    if !matches!(transform, Transform::Absolute | Transform::Share { .. }) {
        return Err("adds values up, which growth rates and indices are not".into());
    }
    if data.windows(2).any(|w| !same_family(&w[0], &w[1])) {
        return Err(
            "needs series of one family (same dataset, indicator and unit): others measure \
             different things"
                .into(),
        );
    }
    let aggregate = |k: &str| k == "aggregate" || k == "residual";
    if let Some(d) = data
        .iter()
        .find(|d| aggregate(&d.series.destination_kind) || aggregate(&d.series.origin_kind))
    {
        return Err(format!(
            "cannot include '{}', a group that overlaps the others",
            d.label()
        ));
    }
    if data
        .iter()
        .flat_map(|d| &d.observations)
        .any(|o| o.flags.lower_bound || o.value_high.is_some())
    {
        return Err("cannot add up lower bounds or ranges".into());
    }
    Ok(())
}




/// The CAGR note for a legend entry, when the state asks for one.
fn cagr_note(obs: &[Observation], state: &ExploreState) -> Option<String> {
    let (a, b) = state.cagr?;
    Some(match transform::cagr(obs, a, b) {
        Ok(c) => format!("CAGR {a}–{b}: {}% a year (derived)", signed(c.pct)),
        Err(gap) => format!("CAGR {a}–{b}: not computed ({gap})"),
    })
}


#[allow(clippy::too_many_arguments)]
fn over_time(
    id: &str,
    title: &str,
    note: &str,
    data: &[SeriesData],
    total: Option<&SeriesData>,
    transform: &Transform,
    state: &ExploreState,
    kind: ChartKind,
    size: (u32, u32),
) -> ChartBundle {
    let total_obs = total.map(|t| sorted(&t.observations));
    let mut panels: Vec<Panel> = Vec::new();
    let mut figures = Vec::new();
    let mut cagr_notes = Vec::new();
    for (style, sd) in data.iter().enumerate() {
        let obs = sorted(&sd.observations);
        let unit = panel_unit(transform, &sd.series.unit, total);
        let label = sd.label();
        if let Some(c) = cagr_note(&obs, state) {
            cagr_notes.push(format!("{label}: {c}"));
        }
        let mut points = Vec::with_capacity(obs.len());
        for p in transform::apply(transform, &obs, total_obs.as_deref()) {
            let (mut point, mut figure) = point_and_figure(sd, &p.input, &label, "");
            if *transform != Transform::Absolute {
                let explained = p.explain(transform);
                match &p.value {
                    Ok(v) => {
                        point.value = *v;
                        point.value_high = None;
                        point.display = derived_display(*v);
                        figure.value = point.display.clone();
                        point.derived = Some(explained.clone());
                        figure.number = Some(*v);
                    }
                    Err(gap) => {
                        point.gap = Some(gap.to_string());
                        point.display = "—".into();
                        figure.value = "—".into();
                        figure.number = None;
                    }
                }
                figure.unit = unit.clone();
                figure.derived = Some(explained);
            }
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
        // Small multiples: a panel per series; otherwise a panel per unit.
        let key = if state.multiples {
            format!("{} · {unit}", sd.label())
        } else {
            unit.clone()
        };
        add_to_panel(&mut panels, &key, series);
    }
    // Derived growth in its own place under the title, never glued into a series' name.
    let note = std::iter::once(note.to_string())
        .chain((!cagr_notes.is_empty()).then(|| format!("{}.", cagr_notes.join("; "))))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    finish(id, title, &note, kind, panels, figures, size)
}

/// Whether an event belongs on a chart of these series: events of no particular market always do; a
/// market's tariff event only where a series concerns that market (the EU's, its members too).
fn concerns(e: &Event, data: &[SeriesData]) -> bool {
    let Some(market) = e.market.as_deref() else { return true };
    data.iter().any(|d| {
        [d.series.origin_code.as_str(), d.series.destination_code.as_str()].iter().any(|code| {
            *code == market || (market == "EUU" && crate::events::EU_MEMBERS.contains(code))
        })
    })
}

/// Numbers the events that fall within the chart's periods and puts them on the spec and the bundle.
fn place_events(bundle: &mut ChartBundle, events: &[Event]) {
    let (lo, hi) = bundle
        .spec
        .all_series()
        .flat_map(|s| s.points.iter())
        .filter(|p| p.gap.is_none())
        .map(|p| p.period.span())
        .fold((f64::MAX, f64::MIN), |(lo, hi), (a, b)| {
            (lo.min(a), hi.max(b))
        });
    if lo > hi {
        return;
    }
    let (lo, hi) = (lo.floor(), hi.ceil());
    for e in events {
        let (a, b) = e.span();
        if b > lo && a < hi {
            // Only an event with an end spans time (a band); one dated to a year or a half is a moment
            // known to that precision: a line at the period's middle, not a year-wide band.
            let (start, end) = match e.end {
                Some(_) => (a, b),
                None => (e.start.midpoint(), e.start.midpoint()),
            };
            bundle.events.push(e.clone());
            bundle.spec.events.push(EventMark {
                number: bundle.events.len(),
                start,
                end,
                title: e.title.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Series;

    fn sd(id: &str, indicator: &str, values: &[(&str, f64)]) -> SeriesData {
        crate::chart::bundle::made_up(id, indicator, "USD", values)
    }

    fn state(q: &str) -> ExploreState {
        let (s, problems) = ExploreState::parse_query(q);
        assert!(problems.is_empty(), "{problems:?}");
        s
    }

    #[test]
    fn index_marks_points_it_cannot_compute_as_gaps_with_reasons() {
        let a = sd(
            "a",
            "exports",
            &[("2018", 50.0), ("2019", 55.0), ("2019-H1", 20.0)],
        );
        let (b, problems) = build_explorer(
            &[a],
            None,
            &[],
            &state("s=a&tf=index&base=2018"),
            (720, 400),
        );
        assert!(problems.is_empty());
        assert_eq!(b.spec.panels[0].unit, "index, 2018 = 100 (derived)");
        let points = &b.spec.panels[0].series[0].points;
        let shown: Vec<(String, Option<&str>)> = points
            .iter()
            .map(|p| (p.display.clone(), p.gap.as_deref()))
            .collect();
        assert_eq!(shown[0], ("100".into(), None));
        assert_eq!(shown[2], ("110".into(), None), "2019 = 55 / 50 × 100");
        assert!(shown[1].1.is_some(), "a half-year has no annual base");
        assert!(points[2].derived.as_deref().unwrap().contains("55"));
        assert!(b.figures.iter().all(|f| f.derived.is_some()));
    }

    #[test]
    fn shares_need_a_total_of_the_same_family() {
        let total = sd("world", "exports", &[("2023", 200.0)]);
        let a = sd("a", "exports", &[("2023", 50.0)]);
        let (b, problems) = build_explorer(
            &[a.clone()],
            Some(&total),
            &[],
            &state("s=a&tf=share&total=world"),
            (720, 400),
        );
        assert!(problems.is_empty());
        assert_eq!(b.spec.panels[0].series[0].points[0].value, 25.0);
        assert_eq!(
            b.spec.panels[0].unit,
            format!("% of {} (derived)", total.label())
        );
        let imports = sd("world", "imports", &[("2023", 200.0)]);
        let (b, problems) = build_explorer(
            &[a],
            Some(&imports),
            &[],
            &state("s=a&tf=share&total=world"),
            (720, 400),
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            b.spec.panels[0].series[0].points[0].value, 50.0,
            "as published"
        );
    }

    #[test]
    fn stacking_is_refused_for_series_that_do_not_add_up() {
        let a = sd("a", "exports", &[("2023", 1.0)]);
        let b = sd("b", "exports", &[("2023", 2.0)]);
        let c = sd("c", "imports", &[("2023", 3.0)]);
        let (ok, problems) = build_explorer(
            &[a.clone(), b.clone()],
            None,
            &[],
            &state("s=a,b&chart=area"),
            (720, 400),
        );
        assert!(problems.is_empty());
        assert_eq!(ok.spec.kind, ChartKind::Area);
        let (lines, problems) = build_explorer(
            &[a.clone(), c],
            None,
            &[],
            &state("s=a,c&chart=area"),
            (720, 400),
        );
        assert_eq!(lines.spec.kind, ChartKind::Line);
        assert!(problems[0].contains("one family"), "{problems:?}");
        let (lines, problems) = build_explorer(
            &[a, b],
            None,
            &[],
            &state("s=a,b&chart=area&tf=yoy"),
            (720, 400),
        );
        assert_eq!(lines.spec.kind, ChartKind::Line);
        assert!(problems[0].contains("growth rates"));
    }

    #[test]
    fn ranked_bars_by_growth_and_bubbles_with_shares() {
        let a = sd("a", "exports", &[("2015", 100.0), ("2024", 200.0)]);
        let b = sd("b", "exports", &[("2015", 100.0), ("2024", 300.0)]);
        let c = sd("c", "exports", &[("2024", 50.0)]);
        let (bars, _) = build_explorer(
            &[a.clone(), b.clone(), c.clone()],
            None,
            &[],
            &state("s=a,b,c&chart=bars&rank=growth"),
            (720, 400),
        );
        let pts = &bars.spec.panels[0].series[0].points;
        assert_eq!(pts.len(), 3);
        let expected = (2f64.powf(1.0 / 9.0) - 1.0) * 100.0;
        assert!((pts[0].value - expected).abs() < 1e-9);
        assert!(pts[2].gap.is_some(), "one figure has no growth");
        let (bubble, problems) = build_explorer(
            &[a, b],
            None,
            &[],
            &state("s=a,b&chart=bubble&cagr=2015,2024"),
            (720, 400),
        );
        assert!(problems.is_empty(), "{problems:?}");
        let p = &bubble.spec.panels[0].series[1].points[0];
        assert_eq!(p.bubble, Some((300.0, Some(60.0))));
        assert!((p.value - (3f64.powf(1.0 / 9.0) - 1.0) * 100.0).abs() < 1e-9);
    }

    #[test]
    fn labels_say_what_differs_and_the_title_what_is_shared() {
        let a = sd("Vietnam", "exports", &[("2023", 1.0)]);
        let b = sd("Mexico", "exports", &[("2023", 2.0)]);
        let (b2, _) = build_explorer(&[a.clone(), b], None, &[], &state("s=a,b"), (720, 400));
        let labels: Vec<&str> = b2.spec.all_series().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["Vietnam", "Mexico"]);
        // Always a phrase: the shared indicator, category and route, then what is compared.
        assert_eq!(b2.title, "Exports, made up (from Testland): 2 markets compared");
        let (one, _) = build_explorer(&[a.clone()], None, &[], &state("s=a"), (720, 400));
        assert_eq!(one.title, "Exports, made up (Testland → Vietnam)");
        let c = SeriesData { series: Series { category: "other".into(), ..a.series.clone() }, ..a.clone() };
        let (two_ways, _) = build_explorer(&[a.clone(), c], None, &[], &state("s=a,b"), (720, 400));
        assert_eq!(two_ways.title, "Exports (Testland → Vietnam): 2 categories compared");
    }

    #[test]
    fn a_markets_tariff_events_go_only_on_its_charts() {
        let mut e = crate::events::parse(
            "id,start,end,title,title_zh,description,source_title,source_url,publisher,quote\n\
             eu,2026-07,,EU parcel duty,,,,https://example.org/made-up,made-up test event,a made-up sentence\n",
        )
        .unwrap()
        .remove(0);
        e.market = Some("EUU".into());
        let series = |dest: &str| SeriesData {
            series: crate::domain::Series { id: dest.into(), destination_code: dest.into(), origin_code: "CHN".into(), ..Default::default() },
            dataset: crate::domain::Dataset {
                id: "d".into(), title: String::new(), publisher: String::new(), source_url: None,
                licence: String::new(), retrieved: None, notes: String::new(),
            },
            observations: vec![],
            label: None,
        };
        assert!(concerns(&e, &[series("POL")]), "Poland is in the EU");
        assert!(!concerns(&e, &[series("JPN")]));
        e.market = None;
        assert!(concerns(&e, &[series("JPN")]), "events of no market go everywhere");
    }

    #[test]
    fn cagr_goes_to_the_legend_and_events_inside_the_range_are_numbered() {
        let a = sd("a", "exports", &[("2015", 100.0), ("2024", 200.0)]);
        let events = crate::events::parse(
            "id,start,end,title,title_zh,description,source_title,source_url,publisher,quote\n\
             in,2020,,Inside (test),,made up,t,https://example.org,p,q\n\
             out,2030,,Outside (test),,made up,t,https://example.org,p,q\n",
        )
        .unwrap();
        let (b, _) = build_explorer(
            &[a],
            None,
            &events,
            &state("s=a&cagr=2015,2024"),
            (720, 400),
        );
        // Growth is a derived note of its own, not part of the series' name.
        assert!(b.note.contains("CAGR 2015–2024: +8"), "{}", b.note);
        assert!(!b.spec.panels[0].series[0].label.contains("CAGR"));
        assert_eq!(b.spec.events.len(), 1);
        assert_eq!(b.spec.events[0].number, 1);
        assert_eq!(b.events[0].id, "in");
        // Dated to a year: a line at mid-year, not a band over the whole year.
        assert_eq!(
            (b.spec.events[0].start, b.spec.events[0].end),
            (2020.5, 2020.5)
        );
    }
}
