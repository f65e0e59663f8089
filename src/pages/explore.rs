//! `/explore`: pick series by dimension and compare them on one chart. All state is in the URL; the
//! picker is a plain GET form, so it works without JavaScript and every chart has a shareable link.

use super::explore_state::{ExploreState, MAX_SERIES};
use crate::chart::bundle::ChartBundle;
use crate::components::chart_figure::ChartFigure;
use crate::domain::Dimension;
use crate::i18n::{t, Lang};
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
}

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
    use crate::domain::Series;
    use crate::store::{SeriesFilter, Store, StoreError};
    use crate::transform::Transform;
    use std::collections::HashMap;

    /// How many matching series the picker lists at once.
    const LIST_LIMIT: usize = 150;

    fn summary(
        s: &Series,
        datasets: &HashMap<String, String>,
        counts: &HashMap<String, i64>,
    ) -> SeriesSummary {
        SeriesSummary {
            id: s.id.clone(),
            label: s.label(),
            unit: s.unit.clone(),
            dataset: datasets.get(&s.dataset_id).cloned().unwrap_or_default(),
            observations: counts.get(&s.id).copied().unwrap_or(0),
        }
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
        // Series on the chart head the list (checked), so they can be unticked wherever they sort.
        matching_all.sort_by_key(|s| !state.series.contains(&s.id));
        let matching = matching_all
            .iter()
            .take(LIST_LIMIT)
            .map(|s| summary(s, &datasets, &counts))
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
            .map(|s| summary(s, &datasets, &counts))
            .collect();

        // Fallbacks (lines instead of an area that would not add up…) are in the chart's note.
        let (chart, _fallbacks) = chart_for(store, &state, &selected_series).await?;
        Ok(ExploreData {
            state,
            problems,
            facets,
            matching,
            matching_total: matching_all.len(),
            selected,
            chart,
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
    view! {
        {(!data.problems.is_empty()).then(|| view! {
            <div class="notice" role="status">
                <strong>{t(lang, "explore.bad_state")}": "</strong>
                <ul>{data.problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul>
            </div>
        })}
        <div class="explore">
            <form class="picker" method="get" action="/explore">
                <fieldset class="filters">
                    <legend>{t(lang, "explore.filters")}</legend>
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
                </fieldset>
                <fieldset class="series-list">
                    <legend>{format!("{} · {} {}", t(lang, "explore.series"), data.matching_total, t(lang, "explore.matching"))}</legend>
                    <ul>
                        {data.matching.iter().map(|m| {
                            let checked = selected_ids.contains(&m.id);
                            view! {
                                <li>
                                    <label>
                                        <input type="checkbox" name="s" value=m.id.clone() checked=checked/>
                                        <span class="series-label">{m.label.clone()}</span>
                                        <span class="series-meta">{format!("{} · {} obs. · {}", m.unit, m.observations, m.dataset)}</span>
                                    </label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {carried.into_iter().map(|id| view! { <input type="hidden" name="s" value=id/> }).collect_view()}
                </fieldset>
                <fieldset class="range">
                    <label>{t(lang, "explore.from")}" "<input name="from" size="8" placeholder="2015" value=state.from.map(|p| p.to_string()).unwrap_or_default()/></label>
                    <label>{t(lang, "explore.to")}" "<input name="to" size="8" placeholder="2024" value=state.to.map(|p| p.to_string()).unwrap_or_default()/></label>
                    <label>{t(lang, "explore.scale")}" "
                        <select name="scale">
                            <option value="linear" selected=!state.log>{t(lang, "explore.scale.linear")}</option>
                            <option value="log" selected=state.log>{t(lang, "explore.scale.log")}</option>
                        </select>
                    </label>
                </fieldset>
                {(!state.hide.is_empty()).then(|| view! { <input type="hidden" name="hide" value=state.hide.join(",")/> })}
                <button type="submit" class="primary">{t(lang, "explore.apply")}</button>
                <p class="hint">{format!("Up to {MAX_SERIES} series.")}</p>
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
                {match data.chart {
                    Some(bundle) => {
                        let api = state.api_query();
                        view! {
                            <ChartFigure bundle=bundle lang=lang/>
                            <p class="downloads">{t(lang, "explore.download")}": "
                                <a href=format!("/api/v1/observations?{api}&format=csv") download>"CSV"</a>" · "
                                <a href=format!("/api/v1/observations?{api}&format=json")>"JSON"</a>
                            </p>
                        }.into_any()
                    }
                    None => view! { <p class="empty">{t(lang, "explore.pick_some")}</p> }.into_any(),
                }}
            </section>
        </div>
    }
}
