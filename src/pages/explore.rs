//! `/explore`: pick series by dimension and compare them on one chart. All state is in the URL; the
//! picker is a plain GET form, so it works without JavaScript and every chart has a shareable link.

use super::explore_state::{ExploreState, Rank, SortKey, View, MAX_SERIES};
use crate::chart::bundle::{describe, ChartBundle};
use crate::components::chart_figure::{ChartFigure, FlaggedValue, SourceLink, SourcesLine};
use crate::components::embed_builder::EmbedBuilder;
use crate::components::share_meta::ShareMeta;
use crate::domain::Dimension;
use crate::i18n::{t, Lang};
use crate::transform::Transform;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Facet {
    pub dimension: Dimension,
    /// Values with the number of series that have them, most common first.
    pub options: Vec<(String, usize)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesSummary {
    pub id: String,
    pub label: String,
    pub unit: String,
    pub dataset: String,
    pub observations: i64,
    /// The latest figure as a person reads it ("1,234 USD million, 2020"), if any.
    pub latest: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExploreData {
    pub state: ExploreState,
    pub problems: Vec<String>,
    pub facets: Vec<Facet>,
    pub matching: Vec<SeriesSummary>,
    pub matching_total: usize,
    pub selected: Vec<SeriesSummary>,
    pub chart: Option<ChartBundle>,
    /// Series a share can be taken of: the selection's own family totals (e.g. exports to the World).
    pub totals: Vec<(String, String)>,
    /// First and last year of the selected series' data, for the range sliders.
    pub years: Option<(i32, i32)>,
    /// Today, for the citation ("accessed 2026-11-22").
    pub accessed: String,
}

/// Ready-made views for the founding articles' stories.
pub const PRESETS: [(&str, &str); 5] = [
    (
        "explore.preset.platforms",
        "s=platform_gmv.china.world.temu.gmv.usd-billion%2Cplatform_gmv.china.world.shein.gmv.usd-billion%2Cplatform_gmv.china.world.tiktok-shop.gmv.usd-billion&cagr=2022%2C2023",
    ),
    (
        "explore.preset.markets",
        "s=imf-dots-china.exports-fob.united-states%2Cimf-dots-china.exports-fob.vietnam%2Cimf-dots-china.exports-fob.mexico%2Cimf-dots-china.exports-fob.poland-rep-of&from=2010&tf=index&base=2010",
    ),
    (
        "explore.preset.bubbles",
        "s=imf-dots-china.exports-fob.united-states%2Cimf-dots-china.exports-fob.vietnam%2Cimf-dots-china.exports-fob.mexico%2Cimf-dots-china.exports-fob.poland-rep-of%2Cimf-dots-china.exports-fob.germany%2Cimf-dots-china.exports-fob.japan&chart=bubble&cagr=2015%2C2020",
    ),
    (
        "explore.preset.yiwu",
        "s=yiwu_trade_total.yiwu-zhejiang.world.all-goods-imports-exports.cny-billion%2Cyiwu_cbec_transactions_yoy.yiwu-zhejiang.world.cbec-transactions.year-on-year",
    ),
    (
        "explore.preset.sports",
        "s=yiwu_sports_exports.yiwu-zhejiang.world.sports-goods-and-equipment.cny-billion%2Calibaba_intl_olympic_sales.china.world.alibaba-com.olympic-economy-goods.cny-billion",
    ),
];

#[server]
pub async fn load_explorer(query: String) -> Result<ExploreData, ServerFnError> {
    let store = expect_context::<crate::store::Store>();
    ssr::explore(&store, &query)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::chart::bundle::SeriesData;
    use crate::chart::explorer::build_explorer;
    use crate::domain::{Observation, Series};
    use crate::store::{SeriesFilter, Store, StoreError};
    use crate::transform::Transform;
    use std::collections::HashMap;

    /// How many matching series the picker lists at once.
    const LIST_LIMIT: usize = 150;

    fn summary(
        s: &Series,
        datasets: &HashMap<String, String>,
        counts: &HashMap<String, i64>,
        latest: &HashMap<String, Observation>,
    ) -> SeriesSummary {
        SeriesSummary {
            id: s.id.clone(),
            label: s.label(),
            unit: s.unit.clone(),
            dataset: datasets.get(&s.dataset_id).cloned().unwrap_or_default(),
            observations: counts.get(&s.id).copied().unwrap_or(0),
            latest: latest.get(&s.id).map(|o| {
                // A list entry needs the size, not every decimal: 452,832.223 reads as 452,832.
                let v = o.value;
                let rounded = match v.abs() {
                    a if a >= 1000.0 => v.round(),
                    a if a >= 10.0 => (v * 10.0).round() / 10.0,
                    _ => v,
                };
                let shown = Observation {
                    value: rounded,
                    ..o.clone()
                };
                format!("{} {}, {}", shown.display_value(), s.unit, o.period)
            }),
        }
    }

    /// Every word of the search in the series' label or id, ignoring case.
    fn found(s: &Series, words: &[String]) -> bool {
        let text = format!("{} {}", s.label(), s.id).to_lowercase();
        words.iter().all(|w| text.contains(w.as_str()))
    }

    pub async fn explore(store: &Store, query: &str) -> Result<ExploreData, StoreError> {
        let (mut state, mut problems) = ExploreState::parse_query(query);
        let all = store.series(&SeriesFilter::default()).await?;
        let datasets: HashMap<String, String> = store
            .datasets()
            .await?
            .into_iter()
            .map(|d| (d.id.clone(), d.title))
            .collect();
        let counts = store.observation_counts().await?;
        let latest = store.latest_observations().await?;
        let words: Vec<String> = state
            .search
            .to_lowercase()
            .split_whitespace()
            .map(str::to_string)
            .collect();

        // A place filter matches the place, not the spelling: "Vietnam" (IMF) also finds "Viet Nam" (Comtrade).
        let mut code_of: HashMap<(Dimension, &str), &str> = HashMap::new();
        for s in &all {
            if !s.origin_code.is_empty() {
                code_of.insert(
                    (Dimension::Origin, s.origin.as_str()),
                    s.origin_code.as_str(),
                );
            }
            if !s.destination_code.is_empty() {
                code_of.insert(
                    (Dimension::Destination, s.destination.as_str()),
                    s.destination_code.as_str(),
                );
            }
        }
        let dimension_matches = |s: &Series, d: Dimension, v: &str| match (d, code_of.get(&(d, v)))
        {
            (Dimension::Origin, Some(code)) => s.origin_code == *code,
            (Dimension::Destination, Some(code)) => s.destination_code == *code,
            _ => s.dimension(d) == v,
        };
        let matches = |s: &Series, except: Option<Dimension>| {
            state.dataset.as_ref().is_none_or(|d| &s.dataset_id == d)
                && found(s, &words)
                && state
                    .filters
                    .iter()
                    .all(|(d, v)| Some(*d) == except || dimension_matches(s, *d, v))
        };
        // Each facet counts values among series matching the *other* filters, so choices never dead-end.
        let facets = Dimension::ALL
            .iter()
            .map(|&d| {
                let mut options: HashMap<&str, usize> = HashMap::new();
                for s in all.iter().filter(|s| matches(s, Some(d))) {
                    let v = s.dimension(d);
                    if !v.is_empty() {
                        *options.entry(v).or_default() += 1;
                    }
                }
                let mut options: Vec<(String, usize)> = options
                    .into_iter()
                    .map(|(k, n)| (k.to_string(), n))
                    .collect();
                options.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                Facet {
                    dimension: d,
                    options,
                }
            })
            .collect();
        let mut matching_all: Vec<&Series> = all.iter().filter(|s| matches(s, None)).collect();
        // Series on the chart head the list (checked), so they can be unticked wherever they sort; the
        // rest by latest value, largest first, within units (most common unit first) — values in
        // different units do not rank against each other.
        let mut per_unit: HashMap<&str, usize> = HashMap::new();
        for s in &matching_all {
            *per_unit.entry(s.unit.as_str()).or_default() += 1;
        }
        matching_all.sort_by(|a, b| {
            let value = |s: &Series| latest.get(&s.id).map_or(f64::MIN, |o| o.value);
            (!state.series.contains(&a.id))
                .cmp(&!state.series.contains(&b.id))
                .then(per_unit[b.unit.as_str()].cmp(&per_unit[a.unit.as_str()]))
                .then(a.unit.cmp(&b.unit))
                .then(value(b).total_cmp(&value(a)))
        });
        let matching = matching_all
            .iter()
            .take(LIST_LIMIT)
            .map(|s| summary(s, &datasets, &counts, &latest))
            .collect();

        let mut selected_series = Vec::new();
        for id in &state.series {
            match all.iter().find(|s| &s.id == id) {
                Some(s) => selected_series.push(s.clone()),
                None => problems.push(format!("no series with id '{id}'")),
            }
        }
        state
            .series
            .retain(|id| selected_series.iter().any(|s| &s.id == id));
        state.hide.retain(|id| state.series.contains(id));
        let selected = selected_series
            .iter()
            .map(|s| summary(s, &datasets, &counts, &latest))
            .collect();
        // Totals a share can be taken of: aggregates of the selection's own family (dataset,
        // indicator, unit), e.g. "exports to the World" for exports to Vietnam.
        let totals: Vec<(String, String)> = all
            .iter()
            .filter(|t| {
                (t.destination_kind == "aggregate" || t.destination_code == "WLD")
                    && selected_series.iter().any(|s| {
                        s.dataset_id == t.dataset_id
                            && s.indicator == t.indicator
                            && s.unit == t.unit
                    })
            })
            .take(30)
            .map(|t| (t.id.clone(), t.label()))
            .collect();

        // Fallbacks (lines instead of an area that would not add up…) are in the chart's note.
        let (chart, _fallbacks) = chart_for(store, &state, &selected_series).await?;
        let years = store.year_bounds(&state.series).await?;
        Ok(ExploreData {
            state,
            problems,
            facets,
            matching,
            matching_total: matching_all.len(),
            selected,
            chart,
            totals,
            years,
            accessed: crate::chart::export::today_utc(),
        })
    }

    /// The chart of an explorer state: what /explore shows, and what the static image and embed
    /// routes draw. `series` are the state's series, resolved (unknown ids already dropped). Returns
    /// what could not be drawn as asked, for the reader.
    pub async fn chart_for(
        store: &Store,
        state: &ExploreState,
        series: &[Series],
    ) -> Result<(Option<ChartBundle>, Vec<String>), StoreError> {
        if series.is_empty() {
            return Ok((None, Vec::new()));
        }
        let mut ids: Vec<String> = series.iter().map(|s| s.id.clone()).collect();
        let total_series = match &state.transform {
            Transform::Share { total } => store
                .series_by_ids(std::slice::from_ref(total))
                .await?
                .ok()
                .and_then(|mut found| found.pop()),
            _ => None,
        };
        if let Some(t) = &total_series {
            ids.push(t.id.clone());
        }
        let observations = store.observations(&ids, state.from, state.to).await?;
        let datasets = store.datasets().await?;
        let with_data = |s: &Series| SeriesData {
            series: s.clone(),
            dataset: datasets
                .iter()
                .find(|d| d.id == s.dataset_id)
                .cloned()
                .expect("series has a dataset (foreign key)"),
            observations: observations
                .iter()
                .filter(|o| o.series_id == s.id)
                .cloned()
                .collect(),
            label: None,
        };
        let data: Vec<SeriesData> = series.iter().map(with_data).collect();
        let total = total_series.as_ref().map(with_data);
        let (mut bundle, problems) = build_explorer(
            &data,
            total.as_ref(),
            crate::events::all(),
            state,
            (720, 400),
        );
        if !problems.is_empty() {
            bundle.note = [bundle.note.as_str()]
                .into_iter()
                .chain(problems.iter().map(String::as_str))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
        }
        Ok((Some(bundle), problems))
    }

    /// The chart of a URL query on its own (static images, embeds): the state's problems are returned
    /// for the caller to report, unknown series among them.
    pub async fn chart_for_query(
        store: &Store,
        query: &str,
    ) -> Result<(ExploreState, Option<ChartBundle>, Vec<String>), StoreError> {
        let (mut state, mut problems) = ExploreState::parse_query(query);
        let found = match store.series_by_ids(&state.series).await? {
            Ok(found) => found,
            Err(missing) => {
                for id in &missing {
                    problems.push(format!("no series with id '{id}'"));
                }
                state.series.retain(|id| !missing.contains(id));
                store
                    .series_by_ids(&state.series)
                    .await?
                    .unwrap_or_default()
            }
        };
        state.hide.retain(|id| state.series.contains(id));
        // What the chart could not do as asked (e.g. stack series that do not add up) is not an error
        // here: the drawing falls back and its note says why.
        let (chart, _fallbacks) = chart_for(store, &state, &found).await?;
        Ok((state, chart, problems))
    }
}

#[component]
pub fn ExplorePage() -> impl IntoView {
    let lang = Lang::En;
    let query = use_query_map();
    let data = Resource::new(
        // The raw query goes to the server, so what cannot be used is reported back, not silently dropped.
        move || query.with(|m| m.to_query_string()),
        load_explorer,
    );
    view! {
        <Title text=format!("{} · {}", t(lang, "explore.title"), t(lang, "app.name"))/>
        <h1>{t(lang, "explore.title")}</h1>
        <p class="lede">{t(lang, "explore.lede")}</p>
        <nav class="presets" aria-label=t(lang, "explore.presets")>
            <span class="presets-label">{t(lang, "explore.presets")}": "</span>
            {PRESETS.iter().map(|(key, q)| view! {
                <a class="preset" href=format!("/explore?{q}")>{t(lang, key)}</a>
            }).collect_view()}
        </nav>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Explorer data=d lang=lang/> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{t(lang, "error.load")}": "{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Explorer(data: ExploreData, lang: Lang) -> impl IntoView {
    let state = data.state.clone();
    let selected_ids = state.series.clone();
    // Selected series that the current filters hide from the list still travel with the form.
    let carried: Vec<String> = selected_ids
        .iter()
        .filter(|id| !data.matching.iter().any(|m| &m.id == *id))
        .cloned()
        .collect();
    let filters_open = !state.filters.is_empty() || state.dataset.is_some();
    let share_path = state.href();
    let title = data
        .chart
        .as_ref()
        .map(|c| c.title.clone())
        .unwrap_or_else(|| t(lang, "explore.title").to_string());
    view! {
        <ShareMeta path=share_path title=title/>
        {(!data.problems.is_empty()).then(|| view! {
            <div class="notice" role="status">
                <strong>{t(lang, "explore.bad_state")}": "</strong>
                <ul>{data.problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul>
            </div>
        })}
        <div class="explore">
            <form class="picker" method="get" action="/explore">
                <AutoSubmit/>
                <label class="search">
                    <span>{t(lang, "explore.search")}</span>
                    <input type="search" name="q" value=state.search.clone() placeholder=t(lang, "explore.search.placeholder")/>
                </label>
                <details class="filters" open=filters_open>
                    <summary>{t(lang, "explore.filters")}</summary>
                    {state.dataset.clone().map(|d| view! {
                        <label class="filter">
                            <span>{t(lang, "explore.dataset")}</span>
                            <select name="dataset">
                                <option value="">{t(lang, "explore.any")}</option>
                                <option value=d.clone() selected=true>{d.clone()}</option>
                            </select>
                        </label>
                    })}
                    {data.facets.iter().map(|f| {
                        let key = f.dimension.key();
                        let current = state.filter(f.dimension).unwrap_or("").to_string();
                        view! {
                            <label class="filter">
                                <span>{t(lang, &format!("dim.{key}"))}</span>
                                <select name=key>
                                    <option value="" selected=current.is_empty()>{t(lang, "explore.any")}</option>
                                    {f.options.iter().map(|(v, n)| view! {
                                        <option value=v.clone() selected=*v == current>{format!("{v} ({n})")}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                        }
                    }).collect_view()}
                </details>
                <fieldset class="series-list">
                    <legend>{format!("{} · {} {}", t(lang, "explore.series"), data.matching_total, t(lang, "explore.matching"))}</legend>
                    <p class="hint">{t(lang, "explore.sorted_by_latest")}</p>
                    <ul>
                        {data.matching.iter().map(|m| {
                            let checked = selected_ids.contains(&m.id);
                            let add = state.with_series(&m.id).href();
                            view! {
                                <li>
                                    <label>
                                        <input type="checkbox" name="s" value=m.id.clone() checked=checked/>
                                        <span class="series-label">{m.label.clone()}</span>
                                        <span class="series-meta">
                                            {m.latest.clone().map(|l| view! { <span class="series-latest">{l}</span>" · " })}
                                            {format!("{} obs. · {}", m.observations, m.dataset)}
                                        </span>
                                    </label>
                                    {(!checked).then(|| view! {
                                        <a class="add" href=add aria-label=format!("{} {}", t(lang, "explore.add"), m.label)>"+"</a>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {carried.into_iter().map(|id| view! { <input type="hidden" name="s" value=id/> }).collect_view()}
                </fieldset>
                <ViewOptions data=data.clone() lang=lang/>
                {(!state.hide.is_empty()).then(|| view! { <input type="hidden" name="hide" value=state.hide.join(",")/> })}
                <button type="submit" class="primary">{t(lang, "explore.apply")}</button>
                <p class="hint">{format!("{} {MAX_SERIES}.", t(lang, "explore.max_series"))}</p>
            </form>
            <section class="explore-chart" aria-live="polite">
                {(!data.selected.is_empty()).then(|| view! {
                    <div class="chips" aria-label=t(lang, "explore.selected")>
                        {data.selected.iter().map(|s| view! {
                            <span class="chip">{s.label.clone()}" "
                                <a href=state.without_series(&s.id).href() aria-label=format!("{} {}", t(lang, "explore.remove"), s.label)>"×"</a>
                            </span>
                        }).collect_view()}
                    </div>
                })}
                {match data.chart.clone() {
                    Some(bundle) => view! { <ChartArea bundle=bundle data=data.clone() lang=lang/> }.into_any(),
                    None => view! { <p class="empty">{t(lang, "explore.pick_some")}</p> }.into_any(),
                }}
            </section>
        </div>
    }
}

/// Chart type, transform, CAGR, ranking, events, layout, scale and period range: all plain form fields.
#[component]
fn ViewOptions(data: ExploreData, lang: Lang) -> impl IntoView {
    let state = data.state;
    let tf = match &state.transform {
        Transform::Absolute => "abs",
        Transform::YearOnYear => "yoy",
        Transform::Index { .. } => "index",
        Transform::Share { .. } => "share",
    };
    let base = match &state.transform {
        Transform::Index { base } => base.to_string(),
        _ => String::new(),
    };
    let total = match &state.transform {
        Transform::Share { total } => total.clone(),
        _ => String::new(),
    };
    let (cagr_from, cagr_to) = state
        .cagr
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .unwrap_or_default();
    let period_text =
        |p: Option<crate::domain::Period>| p.map(|p| p.to_string()).unwrap_or_default();
    let (lo, hi) = data.years.unwrap_or((2000, 2025));
    let from_year = state.from.map(|p| p.bounds().0 .0).unwrap_or(lo);
    let to_year = state.to.map(|p| p.bounds().1 .0).unwrap_or(hi);
    view! {
        <fieldset class="view-options">
            <legend>{t(lang, "explore.view")}</legend>
            <div class="segmented" role="radiogroup" aria-label=t(lang, "explore.chart_type")>
                {View::ALL.iter().map(|v| {
                    let key = v.key();
                    view! {
                        <label class="segment">
                            <input type="radio" name="chart" value=key checked=state.view == *v/>
                            <span>{t(lang, &format!("explore.chart.{key}"))}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
            <div class="option-grid">
                <label>
                    <span>{t(lang, "explore.transform")}</span>
                    <select name="tf">
                        {["abs", "yoy", "index", "share"].into_iter().map(|k| view! {
                            <option value=k selected=k == tf>{t(lang, &format!("explore.tf.{k}"))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>{t(lang, "explore.base")}</span>
                    <input name="base" size="8" placeholder="2018" value=base/>
                </label>
                <label class="wide">
                    <span>{t(lang, "explore.total")}</span>
                    <select name="total">
                        <option value="" selected=total.is_empty()>"—"</option>
                        {data.totals.iter().map(|(id, label)| view! {
                            <option value=id.clone() selected=*id == total>{label.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>{t(lang, "explore.cagr_from")}</span>
                    <input name="cagr_from" size="8" placeholder="2015" value=cagr_from/>
                </label>
                <label>
                    <span>{t(lang, "explore.cagr_to")}</span>
                    <input name="cagr_to" size="8" placeholder="2024" value=cagr_to/>
                </label>
                <label>
                    <span>{t(lang, "explore.rank")}</span>
                    <select name="rank">
                        <option value="latest" selected=state.rank == Rank::Latest>{t(lang, "explore.rank.latest")}</option>
                        <option value="growth" selected=state.rank == Rank::Growth>{t(lang, "explore.rank.growth")}</option>
                    </select>
                </label>
                <label>
                    <span>{t(lang, "explore.scale")}</span>
                    <select name="scale">
                        <option value="linear" selected=!state.log>{t(lang, "explore.scale.linear")}</option>
                        <option value="log" selected=state.log>{t(lang, "explore.scale.log")}</option>
                    </select>
                </label>
            </div>
            <div class="checks">
                // An unticked box sends nothing: the hidden field before it sends the "off".
                <input type="hidden" name="events" value="0"/>
                <label><input type="checkbox" name="events" value="1" checked=state.events/>" "{t(lang, "explore.events")}</label>
                <input type="hidden" name="multiples" value="0"/>
                <label><input type="checkbox" name="multiples" value="1" checked=state.multiples/>" "{t(lang, "explore.multiples")}</label>
            </div>
            <div class="range">
                <label>{t(lang, "explore.from")}" "
                    <input name="from" size="8" placeholder=lo.to_string() value=period_text(state.from)/>
                </label>
                <label>{t(lang, "explore.to")}" "
                    <input name="to" size="8" placeholder=hi.to_string() value=period_text(state.to)/>
                </label>
                <PeriodSliders lo=lo hi=hi from=from_year to=to_year lang=lang/>
                {(state.from.is_some() || state.to.is_some()).then(|| {
                    let mut all = state.clone();
                    (all.from, all.to) = (None, None);
                    view! { <a class="reset-range" href=all.href()>{t(lang, "explore.all_periods")}</a> }
                })}
            </div>
        </fieldset>
    }
}

/// The chart (or table) with its events, downloads, embed and citation.
#[component]
fn ChartArea(bundle: ChartBundle, data: ExploreData, lang: Lang) -> impl IntoView {
    let state = data.state.clone();
    let api = state.api_query();
    let query = state.to_query();
    let events = bundle.events.clone();
    let sources = bundle.sources.clone();
    let title = bundle.title.clone();
    let citation = {
        let names: Vec<String> = sources
            .iter()
            .map(|s| match &s.url {
                Some(u) => format!("{} ({u})", s.label),
                None => s.label.clone(),
            })
            .collect();
        let origin = crate::components::share_meta::public_origin();
        format!(
            "Tradewinds, \u{201c}{title}\u{201d}, {origin}{}, accessed {}. Sources: {}.",
            state.href(),
            data.accessed,
            names.join("; ")
        )
    };
    let main = if state.view == View::Table {
        view! { <DataTable bundle=bundle.clone() state=state.clone() lang=lang/> }.into_any()
    } else {
        view! { <ChartFigure bundle=bundle.clone() lang=lang controls=true zoom=true/> }.into_any()
    };
    view! {
        {main}
        {(!events.is_empty()).then(|| view! {
            <section class="events" aria-label=t(lang, "explore.events")>
                <h3>{t(lang, "explore.events")}</h3>
                <ol>
                    {events.into_iter().map(|e| view! {
                        <li>
                            <strong>{e.title.clone()}</strong>" "<span class="event-date">{format!("({})", e.dates())}</span>" — "
                            {e.description.clone()}" "
                            <a href=e.source_url.clone() rel="noopener" title=e.quote.clone()>{format!("{}, {}", e.publisher, e.source_title)}</a>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        })}
        <p class="downloads">{t(lang, "explore.download")}": "
            <a href=format!("/api/v1/observations?{api}&format=csv") download>"CSV"</a>" · "
            <a href=format!("/api/v1/observations?{api}&format=json")>"JSON"</a>" · "
            <a href=format!("/chart.svg?{query}&download=1") download>"SVG"</a>" · "
            <a href=format!("/chart.png?{query}&download=1") download>"PNG"</a>
        </p>
        <EmbedBuilder query=query.clone() lang=lang title=title/>
        <details class="cite">
            <summary>{t(lang, "explore.cite")}</summary>
            <p>{t(lang, "explore.cite.lede")}</p>
            <textarea readonly rows="4" aria-label=t(lang, "explore.cite")>{citation}</textarea>
            <ul class="cite-sources">
                {sources.into_iter().map(|s| view! { <li><SourceLink source=s.clone()/>" — "{s.licence.clone()}</li> }).collect_view()}
            </ul>
        </details>
    }
}

/// Exactly the figures behind the chart, sortable by column (links, so sorting works without JavaScript).
#[component]
fn DataTable(bundle: ChartBundle, state: ExploreState, lang: Lang) -> impl IntoView {
    let mut rows = bundle.figures.clone();
    if let Some((key, desc)) = state.sort {
        rows.sort_by(|a, b| {
            let order = match key {
                SortKey::Series => a.series.cmp(&b.series),
                SortKey::Period => a.period.cmp(&b.period),
                SortKey::Value => a
                    .number
                    .unwrap_or(f64::MIN)
                    .total_cmp(&b.number.unwrap_or(f64::MIN)),
            };
            if desc {
                order.reverse()
            } else {
                order
            }
        });
    }
    let header = move |key: SortKey, label: &'static str, class: &'static str| {
        let sort = match state.sort {
            Some((k, false)) if k == key => "ascending",
            Some((k, true)) if k == key => "descending",
            _ => "none",
        };
        view! {
            <th scope="col" class=class aria-sort=sort>
                <a href=state.sorted_by(key).href()>{label}</a>
            </th>
        }
    };
    view! {
        <figure class="chart data-table" id=bundle.id.clone()>
            <figcaption class="chart-title">
                <h2>{bundle.title.clone()}</h2>
                {(!bundle.note.is_empty()).then(|| view! { <p class="chart-note">{bundle.note.clone()}</p> })}
            </figcaption>
            <div class="table-scroll">
                <table>
                    <caption class="visually-hidden">{describe(&bundle)}</caption>
                    <thead><tr>
                        {header(SortKey::Series, t(lang, "table.series"), "")}
                        {header(SortKey::Period, t(lang, "table.period"), "")}
                        {header(SortKey::Value, t(lang, "table.value"), "num")}
                        <th scope="col">{t(lang, "table.unit")}</th>
                        <th scope="col">{t(lang, "table.derived")}</th>
                        <th scope="col">{t(lang, "table.source")}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|f| view! {
                            <tr>
                                <td>{f.series}</td>
                                <td class="period">{f.period}</td>
                                <td class="num"><FlaggedValue value=f.value flags=f.flags lang=lang/></td>
                                <td>{f.unit}</td>
                                <td class="derived">{f.derived}</td>
                                <td><SourceLink source=f.source/></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <SourcesLine sources=bundle.sources.clone() lang=lang/>
        </figure>
    }
}

/// With JavaScript, ticking a series or changing a choice redraws at once (typed fields still wait for
/// the button or Enter); without, the "Show chart" button does it. Listens on the enclosing form.
#[island]
fn AutoSubmit() -> impl IntoView {
    let marker = NodeRef::<leptos::html::Span>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        let Some(form) = marker
            .get()
            .and_then(|m| m.closest("form").ok().flatten())
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let target_form = form.clone();
        let on_change = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(
            move |ev: web_sys::Event| {
                let typed = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                    .is_some_and(|i| matches!(i.type_().as_str(), "text" | "search"));
                if !typed {
                    let _ = target_form.request_submit();
                }
            },
        );
        let _ = form.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();
    });
    view! { <span hidden node_ref=marker></span> }
}

/// Two year sliders (keyboard operable) that fill the form's from/to fields; they carry no name, so
/// without JavaScript the fields alone decide. Releasing a slider redraws through `AutoSubmit`.
#[island]
fn PeriodSliders(lo: i32, hi: i32, from: i32, to: i32, lang: Lang) -> impl IntoView {
    let from_year = RwSignal::new(from);
    let to_year = RwSignal::new(to);
    let slider = NodeRef::<leptos::html::Div>::new();
    // Writes a year into the form's text field of that name.
    let set_field = move |name: &str, year: i32| {
        #[cfg(feature = "hydrate")]
        if let Some(field) = slider
            .get_untracked()
            .and_then(|d| d.closest("form").ok().flatten())
            .and_then(|f| {
                f.query_selector(&format!("input[name={name}]"))
                    .ok()
                    .flatten()
            })
        {
            use wasm_bindgen::JsCast;
            if let Ok(input) = field.dyn_into::<web_sys::HtmlInputElement>() {
                input.set_value(&year.to_string());
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (name, year);
    };
    view! {
        <div class="sliders" node_ref=slider>
            <input type="range" min=lo max=hi step="1" aria-label=t(lang, "explore.from_year")
                prop:value=move || from_year.get().to_string()
                on:input=move |ev| {
                    let y = event_target_value(&ev).parse().unwrap_or(lo).min(to_year.get_untracked());
                    from_year.set(y);
                    set_field("from", y);
                }/>
            <input type="range" min=lo max=hi step="1" aria-label=t(lang, "explore.to_year")
                prop:value=move || to_year.get().to_string()
                on:input=move |ev| {
                    let y = event_target_value(&ev).parse().unwrap_or(hi).max(from_year.get_untracked());
                    to_year.set(y);
                    set_field("to", y);
                }/>
        </div>
    }
}
