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
use crate::i18n::{t, tf, Lang};
use crate::transform::{self, Transform};

/// The chart for `state` from its series' data; `total` is the share's total series when asked for.
/// Returns the bundle and what could not be done as asked (shown to the reader), both in `lang`:
/// titles, legend names, derived units and notes.
pub fn build_explorer(
    data: &[SeriesData],
    total: Option<&SeriesData>,
    events: &[Event],
    state: &ExploreState,
    size: (u32, u32),
    lang: Lang,
) -> (ChartBundle, Vec<String>) {
    let mut problems = Vec::new();
    let named = named_in(lang, data);
    let total = total.map(|t| named_in(lang, std::slice::from_ref(t)).remove(0));
    let total = total.as_ref();
    let (labelled, title) = short_labels(&named, lang);
    let data = labelled.as_slice();
    let transform = checked_transform(data, total, state, &mut problems, lang);
    let mut view = state.view;
    if view == View::Area {
        if let Err(why) = additive(data, &transform, lang) {
            problems.push(tf(lang, "explore.fallback.area", &[("why", &why)]));
            view = View::Line;
        }
    }
    let what = match &transform {
        Transform::Absolute => String::new(),
        Transform::YearOnYear => t(lang, "explore.note.yoy").to_string(),
        Transform::Index { .. } => panel_unit(lang, &transform, "", total),
        // English has always named the total by its id here; other languages by its name.
        Transform::Share { total: id } => {
            let name = match (lang, total) {
                (Lang::En, _) | (_, None) => id.clone(),
                (_, Some(t)) => t.label(),
            };
            tf(lang, "explore.note.share", &[("total", &name)])
        }
    };
    let note = match what.is_empty() {
        true => String::new(),
        false => tf(lang, "explore.note.derived", &[("what", &what)]),
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
                id, &title, &note, data, total, &transform, state, kind, size, lang,
            )
        }
        View::Bars => ranked_bars(id, &title, &note, data, &transform, state, size, lang),
        View::Bubble => bubbles(id, &title, &note, data, state, size, &mut problems, lang),
    };
    bundle.spec.log_scale = state.log && view != View::Bars;
    bundle.spec = bundle.spec.with_hidden(&state.hide);
    if state.events && view.is_over_time() {
        let relevant: Vec<Event> = events.iter().filter(|e| concerns(e, data)).cloned().collect();
        place_events(&mut bundle, &relevant, lang);
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

/// An indicator's human name in `lang` where the names table has one (the server; Chinese falls
/// back to English), else its code.
fn indicator_name(code: &str, lang: Lang) -> String {
    #[cfg(feature = "ssr")]
    return match lang.eq(&Lang::ZhHans).then(|| crate::labels::indicator_zh(code)).flatten() {
        Some(zh) => zh.to_string(),
        None => crate::labels::indicator(code),
    };
    #[cfg(not(feature = "ssr"))]
    {
        let _ = lang;
        code.to_string()
    }
}

/// A dimension of a series as the reader sees it in `lang`: the indicator's name, places and
/// categories by their names in that language (as the picker names them).
fn shown(s: &crate::domain::Series, d: Dimension, lang: Lang) -> String {
    match d {
        Dimension::Indicator => capitalised(&indicator_name(&s.indicator, lang)),
        Dimension::Origin => crate::i18n::place(lang, &s.origin_code, &s.origin),
        Dimension::Destination => crate::i18n::place(lang, &s.destination_code, &s.destination),
        Dimension::Category => crate::i18n::category(lang, &s.category),
        Dimension::Platform => s.platform.clone(),
    }
}

/// The series with their default legend names in `lang` (English: as they are). The series
/// themselves keep the names the data gave, which the title's comparisons rely on.
fn named_in(lang: Lang, data: &[SeriesData]) -> Vec<SeriesData> {
    if lang == Lang::En {
        return data.to_vec();
    }
    data.iter()
        .map(|sd| {
            let s = &sd.series;
            let label = sd.label.clone().unwrap_or_else(|| {
                // As the picker: the indicator names a series only where nothing else does.
                let indicator = match s.platform.is_empty() && s.category.is_empty() {
                    true => shown(s, Dimension::Indicator, lang),
                    false => s.indicator.clone(),
                };
                crate::domain::Series {
                    indicator,
                    category: shown(s, Dimension::Category, lang),
                    origin: shown(s, Dimension::Origin, lang),
                    destination: shown(s, Dimension::Destination, lang),
                    ..s.clone()
                }
                .label()
            });
            SeriesData { label: Some(label), ..sd.clone() }
        })
        .collect()
}

/// Items joined as a list in `lang` with `key` ("{a}, {b}", "{a} and {b}").
fn joined(lang: Lang, key: &str, items: Vec<String>) -> String {
    items
        .into_iter()
        .reduce(|a, b| tf(lang, key, &[("a", &a), ("b", &b)]))
        .unwrap_or_default()
}

/// A chart title that reads as a phrase: what the series share (indicator, category, platform,
/// route), then what they are compared by — "Imports from China, as each partner reports them
/// (mirror data): 6 markets compared", "Platform gross merchandise value, Temu (China → World)".
/// `varying` are the dimensions that differ (empty: one series, or nothing in common to name).
/// What to name is decided on the data's own (English) names; it is written in `lang`.
fn title_of(data: &[SeriesData], varying: &[Dimension], lang: Lang) -> String {
    let Some(first) = data.first() else {
        return String::new();
    };
    let s = &first.series;
    let shared = |d: Dimension| !varying.contains(&d) && data.iter().all(|x| x.series.dimension(d) == s.dimension(d));
    let n = data.len().to_string();
    if data.len() > 1 && varying.is_empty() {
        return tf(lang, "explore.title.series_compared", &[("n", &n)]);
    }
    let (english, mut title) = if shared(Dimension::Indicator) {
        (capitalised(&indicator_name(&s.indicator, Lang::En)), shown(s, Dimension::Indicator, lang))
    } else {
        (String::new(), String::new())
    };
    let lower = english.to_lowercase();
    // Letters and digits only: "GDP (current US$)" says nothing "GDP, current US$" does not.
    let bare = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    let mut quals: Vec<String> = Vec::new();
    for d in [Dimension::Platform, Dimension::Category] {
        let v = s.dimension(d);
        // A category that only restates its member ("Imports (TOTAL), reported by USA") is left out.
        let restates = d == Dimension::Category && (v.contains("reported by") || bare(&english).contains(&bare(v)));
        if shared(d) && !v.is_empty() && !lower.contains(&v.to_lowercase()) && !restates {
            quals.push(shown(s, d, lang));
        }
    }
    let place = |d: Dimension| {
        let v = s.dimension(d);
        (shared(d) && !v.is_empty() && !lower.contains(&v.to_lowercase())).then(|| shown(s, d, lang))
    };
    // "(China → USA)", "(from China)", or only the destination: "… (mirror data) — USA".
    let (route, dash) = match (place(Dimension::Origin), place(Dimension::Destination)) {
        (Some(o), Some(d)) => (format!("{o} → {d}"), false),
        (Some(o), None) => (tf(lang, "explore.title.from", &[("origin", &o)]), false),
        (None, Some(d)) => (d, true),
        (None, None) => (String::new(), false),
    };
    if !quals.is_empty() {
        let qualifiers = joined(lang, "explore.title.list", quals);
        if title.is_empty() {
            title = qualifiers;
        } else {
            title = tf(lang, "explore.title.qualified", &[("title", &title), ("qualifiers", &qualifiers)]);
        }
    }
    if !route.is_empty() {
        title = match (title.is_empty(), dash) {
            (true, _) => route,
            (false, false) => tf(lang, "explore.title.route", &[("title", &title), ("route", &route)]),
            (false, true) => tf(lang, "explore.title.to", &[("title", &title), ("destination", &route)]),
        };
    }
    if data.len() == 1 {
        return if title.is_empty() { first.label() } else { title };
    }
    let n = [("n", n.as_str())];
    let compared = match varying {
        [Dimension::Indicator] => tf(lang, "explore.title.compared.indicator", &n),
        [Dimension::Origin] => tf(lang, "explore.title.compared.origin", &n),
        [Dimension::Destination] => tf(lang, "explore.title.compared.market", &n),
        [Dimension::Platform] => tf(lang, "explore.title.compared.platform", &n),
        [Dimension::Category] => tf(lang, "explore.title.compared.category", &n),
        _ => {
            let nouns = varying
                .iter()
                .map(|d| match d {
                    Dimension::Indicator => t(lang, "explore.title.dim.indicator"),
                    Dimension::Origin => t(lang, "explore.title.dim.origin"),
                    Dimension::Destination => t(lang, "explore.title.dim.market"),
                    Dimension::Platform => t(lang, "explore.title.dim.platform"),
                    Dimension::Category => t(lang, "explore.title.dim.category"),
                })
                .map(str::to_string)
                .collect();
            let dimensions = joined(lang, "explore.title.and", nouns);
            tf(lang, "explore.title.series_by", &[n[0], ("dimensions", &dimensions)])
        }
    };
    if title.is_empty() {
        // Nothing shared worth naming: say what is compared.
        capitalised(&compared)
    } else {
        tf(lang, "explore.title.compared", &[("title", &title), ("compared", &compared)])
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Legend labels that say only what differs between the series ("Vietnam", "Mexico"), and a title
/// with what they share; full labels when the series have nothing in common or would read alike.
fn short_labels(data: &[SeriesData], lang: Lang) -> (Vec<SeriesData>, String) {
    if data.len() < 2 {
        return (data.to_vec(), title_of(data, &[], lang));
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
                .map(|d| shown(&sd.series, *d, lang))
                .filter(|v| !v.is_empty())
                .collect();
            parts.join(" · ")
        })
        .collect();
    let mut unique = labels.clone();
    unique.sort();
    unique.dedup();
    if varying.is_empty() || unique.len() < labels.len() || labels.iter().any(|l| l.is_empty()) {
        return (data.to_vec(), title_of(data, &varying, lang));
    }
    let title = title_of(data, &varying, lang);
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
    lang: Lang,
) -> Transform {
    let Transform::Share { total: total_id } = &state.transform else {
        return state.transform.clone();
    };
    let Some(total) = total else {
        problems.push(tf(lang, "explore.share.no_total", &[("total", total_id)]));
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
    let args = [("total", total.label()), ("series", joined(lang, "explore.title.list", strangers.clone()))];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    problems.push(match strangers.len() {
        1 => tf(lang, "explore.share.stranger", &args),
        _ => tf(lang, "explore.share.strangers", &args),
    });
    Transform::Absolute
}


/// Why these series cannot be stacked, if they cannot: parts of one total only.
fn additive(data: &[SeriesData], transform: &Transform, lang: Lang) -> Result<(), String> {
    if !matches!(transform, Transform::Absolute | Transform::Share { .. }) {
        return Err(t(lang, "explore.area.not_additive").into());
    }
    if data.windows(2).any(|w| !same_family(&w[0], &w[1])) {
        return Err(t(lang, "explore.area.one_family").into());
    }
    let aggregate = |k: &str| k == "aggregate" || k == "residual";
    if let Some(d) = data
        .iter()
        .find(|d| aggregate(&d.series.destination_kind) || aggregate(&d.series.origin_kind))
    {
        return Err(tf(lang, "explore.area.overlap", &[("series", &d.label())]));
    }
    if data
        .iter()
        .flat_map(|d| &d.observations)
        .any(|o| o.flags.lower_bound || o.value_high.is_some())
    {
        return Err(t(lang, "explore.area.bounds").into());
    }
    Ok(())
}




/// The CAGR note for a legend entry, when the state asks for one.
fn cagr_note(obs: &[Observation], state: &ExploreState, lang: Lang) -> Option<String> {
    let (a, b) = state.cagr?;
    let (from, to) = (a.to_string(), b.to_string());
    let span = [("from", from.as_str()), ("to", to.as_str())];
    Some(match transform::cagr(obs, a, b) {
        Ok(c) => tf(lang, "explore.cagr", &[span[0], span[1], ("pct", &signed(c.pct))]),
        Err(gap) => tf(lang, "explore.cagr.gap", &[span[0], span[1], ("why", &gap.text(lang))]),
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
    lang: Lang,
) -> ChartBundle {
    let total_obs = total.map(|t| sorted(&t.observations));
    let mut panels: Vec<Panel> = Vec::new();
    let mut figures = Vec::new();
    let mut cagr_notes = Vec::new();
    for (style, sd) in data.iter().enumerate() {
        let obs = sorted(&sd.observations);
        let unit = panel_unit(lang, transform, &sd.series.unit, total);
        let label = sd.label();
        if let Some(c) = cagr_note(&obs, state, lang) {
            cagr_notes.push(tf(lang, "explore.cagr.of", &[("series", &label), ("cagr", &c)]));
        }
        let mut points = Vec::with_capacity(obs.len());
        for p in transform::apply(transform, &obs, total_obs.as_deref()) {
            let (mut point, mut figure) = point_and_figure(sd, &p.input, &label, "", lang);
            if *transform != Transform::Absolute {
                let explained = p.explain(transform, lang);
                match &p.value {
                    Ok(v) => {
                        point.value = *v;
                        point.value_high = None;
                        point.display = derived_display(*v);
                        point.unit_in_display = false;
                        figure.value = point.display.clone();
                        point.derived = Some(explained.clone());
                        figure.number = Some(*v);
                    }
                    Err(gap) => {
                        point.gap = Some(gap.text(lang));
                        point.display = "—".into();
                        point.unit_in_display = false;
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
        .chain((!cagr_notes.is_empty()).then(|| {
            tf(lang, "explore.cagr.end", &[("notes", &joined(lang, "explore.cagr.more", cagr_notes))])
        }))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    finish(id, title, &note, kind, panels, figures, size, lang)
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
fn place_events(bundle: &mut ChartBundle, events: &[Event], lang: Lang) {
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
                title: e.title_in(lang).to_string(),
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
            Lang::En,
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
            Lang::En,
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
            Lang::En,
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
            Lang::En,
        );
        assert!(problems.is_empty());
        assert_eq!(ok.spec.kind, ChartKind::Area);
        let (lines, problems) = build_explorer(
            &[a.clone(), c],
            None,
            &[],
            &state("s=a,c&chart=area"),
            (720, 400),
            Lang::En,
        );
        assert_eq!(lines.spec.kind, ChartKind::Line);
        assert!(problems[0].contains("one family"), "{problems:?}");
        let (lines, problems) = build_explorer(
            &[a, b],
            None,
            &[],
            &state("s=a,b&chart=area&tf=yoy"),
            (720, 400),
            Lang::En,
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
            Lang::En,
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
            Lang::En,
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
        let (b2, _) = build_explorer(&[a.clone(), b], None, &[], &state("s=a,b"), (720, 400), Lang::En);
        let labels: Vec<&str> = b2.spec.all_series().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["Vietnam", "Mexico"]);
        // Always a phrase: the shared indicator, category and route, then what is compared.
        assert_eq!(b2.title, "Exports, made up (from Testland): 2 markets compared");
        let (one, _) = build_explorer(&[a.clone()], None, &[], &state("s=a"), (720, 400), Lang::En);
        assert_eq!(one.title, "Exports, made up (Testland → Vietnam)");
        let c = SeriesData { series: Series { category: "other".into(), ..a.series.clone() }, ..a.clone() };
        let (two_ways, _) = build_explorer(&[a.clone(), c], None, &[], &state("s=a,b"), (720, 400), Lang::En);
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
            Lang::En,
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

    /// Made-up data, for tests only: a series of real codes (so names have Chinese forms) and
    /// made-up values.
    #[cfg(feature = "ssr")]
    fn coded(id: &str, indicator: &str, (origin, o): (&str, &str), (dest, d): (&str, &str)) -> SeriesData {
        let mut x = sd(id, indicator, &[("2022", 1.0), ("2023", 2.0)]);
        x.series = Series {
            origin: origin.into(),
            origin_code: o.into(),
            destination: dest.into(),
            destination_code: d.into(),
            category: String::new(),
            ..x.series
        };
        x
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn chinese_pages_get_chinese_titles_and_legends() {
        // Mirror data, markets compared: the indicator's Chinese name, places by their Chinese names.
        let mirror = |id: &str, dest: (&str, &str)| {
            let mut x = coded(id, "reported_imports", ("China", "CHN"), dest);
            x.series.category = format!("Imports (TOTAL), reported by {}", dest.0);
            x
        };
        let data = [mirror("vn", ("Viet Nam", "VNM")), mirror("us", ("United States", "USA"))];
        let (en, _) = build_explorer(&data, None, &[], &state("s=vn,us"), (720, 400), Lang::En);
        assert_eq!(en.title, "Imports from China, as each partner reports them (mirror data): 2 markets compared");
        let (zh, _) = build_explorer(&data, None, &[], &state("s=vn,us"), (720, 400), Lang::ZhHans);
        assert_eq!(zh.title, "各伙伴申报的自华进口（镜像数据）：2个市场对比");
        let legend: Vec<&str> = zh.spec.all_series().map(|s| s.label.as_str()).collect();
        assert_eq!(legend, ["越南", "美利坚合众国"]);

        // A platform's series with its route.
        let mut temu = coded("temu", "platform_gmv", ("China", "CHN"), ("Viet Nam", "VNM"));
        temu.series.platform = "Temu".into();
        let (en, _) = build_explorer(&[temu.clone()], None, &[], &state("s=temu"), (720, 400), Lang::En);
        assert_eq!(en.title, "Platform gross merchandise value, Temu (China → Viet Nam)");
        let (zh, _) = build_explorer(&[temu.clone()], None, &[], &state("s=temu"), (720, 400), Lang::ZhHans);
        assert_eq!(zh.title, "平台商品交易总额，Temu（中国 → 越南）");
        assert_eq!(zh.spec.panels[0].series[0].label, "Temu (中国 → 越南)");

        // Two platforms from one origin: "from China" in Chinese too.
        let mut shein = coded("shein", "platform_gmv", ("China", "CHN"), ("", ""));
        shein.series.platform = "Shein".into();
        temu.series.destination = String::new();
        temu.series.destination_code = String::new();
        let (zh, _) = build_explorer(&[temu, shein], None, &[], &state("s=temu,shein"), (720, 400), Lang::ZhHans);
        assert_eq!(zh.title, "平台商品交易总额（来自中国）：2个平台对比");
    }

    #[test]
    fn chinese_pages_get_derived_units_notes_and_fallbacks_in_chinese() {
        let a = sd("a", "exports", &[("2015", 100.0), ("2018", 50.0), ("2024", 200.0)]);
        let c = sd("c", "imports", &[("2023", 3.0)]);
        let (b, _) = build_explorer(&[a.clone()], None, &[], &state("s=a&tf=index&base=2018"), (720, 400), Lang::ZhHans);
        assert_eq!(b.spec.panels[0].unit, "指数，2018年 = 100（推导值）");
        assert!(b.note.starts_with("指数，2018年 = 100（推导值）：由有来源的数字计算得出"), "{}", b.note);
        let (b, _) = build_explorer(&[a.clone()], None, &[], &state("s=a&tf=yoy&cagr=2015,2024"), (720, 400), Lang::ZhHans);
        assert_eq!(b.spec.panels[0].unit, "同比变化，%（推导值）");
        assert!(b.note.contains("CAGR 2015–2024：年均 +8"), "{}", b.note);
        assert!(b.note.ends_with("（推导值）。"), "{}", b.note);
        let (_, problems) = build_explorer(&[a.clone(), c], None, &[], &state("s=a,c&chart=area"), (720, 400), Lang::ZhHans);
        assert!(problems[0].starts_with("堆叠面积图需要同一类序列"), "{problems:?}");
        assert!(problems[0].ends_with("改为显示折线图。"), "{problems:?}");
        // English as it always was.
        let (b, _) = build_explorer(&[a], None, &[], &state("s=a&tf=yoy&cagr=2015,2024"), (720, 400), Lang::En);
        assert_eq!(b.spec.panels[0].unit, "% year on year (derived)");
        assert!(b.note.starts_with("year on year (derived): computed from the sourced figures; points that cannot be computed are marked ×. made up (Testland → a): CAGR 2015–2024: +8"), "{}", b.note);
        assert!(b.note.ends_with("% a year (derived)."), "{}", b.note);
    }

    /// The explorer's units in English are the transform's own words, unchanged.
    #[test]
    fn english_units_are_the_transforms_own() {
        let p = |s: &str| s.parse::<crate::domain::Period>().unwrap();
        for t in [
            Transform::Absolute,
            Transform::YearOnYear,
            Transform::Index { base: p("2020") },
            Transform::Share { total: "world".into() },
        ] {
            assert_eq!(panel_unit(Lang::En, &t, "CNY tn", None), transform::unit_label(&t, "CNY tn"));
        }
    }
}
