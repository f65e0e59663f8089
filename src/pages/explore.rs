//! `/explore`: pick series by dimension and compare them on one chart. All state is in the URL; the
//! picker is a plain GET form, so it works without JavaScript and every chart has a shareable link.

use crate::chart::bundle::{describe, ChartBundle};
use crate::components::chart_figure::{ChartFigure, FlaggedValue, SourceLink, SourcesLine, CHART_WORDS, FLAG_WORDS};
use crate::components::embed_builder::EmbedBuilder;
use crate::components::picker::{AutoSubmit, PeriodSliders};
use crate::components::share_meta::ShareMeta;
use crate::explore::service::ExploreData;
use crate::explore::state::{ExploreState, Rank, SortKey, View, MAX_SERIES};
use crate::components::source_text::{with_code, AsWritten};
use crate::i18n::{t, tf, Lang, Words};
use crate::strings::language_of;
use crate::transform::Transform;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Ready-made views for the founding articles' stories; market views use the partner-reported
/// (mirror) data, which runs to 2024, not IMF DOTS, which ends in 2020.
pub const PRESETS: [(&str, &str); 6] = [
    (
        "explore.preset.category",
        "s=ots-china-partners.x.chn.usa.miscellaneous%2Cots-china-partners.x.chn.jpn.miscellaneous%2Cots-china-partners.x.chn.deu.miscellaneous%2Cots-china-partners.x.chn.gbr.miscellaneous%2Cots-china-partners.x.chn.pol.miscellaneous%2Cots-china-partners.x.chn.vnm.miscellaneous&from=2000",
    ),
    (
        "explore.preset.platforms",
        "s=platform_gmv.china.world.temu.gmv.usd-billion%2Cplatform_gmv.china.world.shein.gmv.usd-billion%2Cplatform_gmv.china.world.tiktok-shop.gmv.usd-billion&cagr=2022%2C2023",
    ),
    (
        "explore.preset.markets",
        "s=comtrade-mirror-china.m.china.usa.total%2Ccomtrade-mirror-china.m.china.viet-nam.total%2Ccomtrade-mirror-china.m.china.mexico.total%2Ccomtrade-mirror-china.m.china.poland.total&tf=index&base=2018",
    ),
    (
        "explore.preset.bubbles",
        "s=comtrade-mirror-china.m.china.usa.total%2Ccomtrade-mirror-china.m.china.viet-nam.total%2Ccomtrade-mirror-china.m.china.mexico.total%2Ccomtrade-mirror-china.m.china.poland.total%2Ccomtrade-mirror-china.m.china.germany.total%2Ccomtrade-mirror-china.m.china.japan.total&chart=bubble&cagr=2019%2C2024",
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
pub async fn load_explorer(query: String, lang: Lang) -> Result<ExploreData, ServerFnError> {
    expect_context::<crate::explore::Explorer>()
        .explore(&query, lang)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

#[component]
pub fn ExplorePage() -> impl IntoView {
    let lang = crate::i18n::current();
    let query = use_query_map();
    let data = Resource::new(
        // The raw query goes to the server, so what cannot be used is reported back, not silently dropped.
        move || query.with(|m| m.to_query_string()),
        move |q| load_explorer(q, lang),
    );
    view! {
        <Title text=format!("{} · {}", t(lang, "explore.title"), t(lang, "app.name"))/>
        <h1>{t(lang, "explore.title")}</h1>
        <p class="lede">{t(lang, "explore.lede")}</p>
        <a class="skip-link" href="#chart">{t(lang, "explore.skip_to_chart")}</a>
        <nav class="presets" aria-label=t(lang, "explore.presets")>
            <span class="presets-label">{t(lang, "explore.presets")}": "</span>
            {PRESETS.iter().map(|(key, q)| view! {
                <a class="preset" href=lang.page(&format!("/explore?{q}"))>{t(lang, key)}</a>
            }).collect_view()}
            <a class="preset" href=lang.page("/rankings")>{t(lang, "explore.preset.rankings")}</a>
            <a class="preset" href=lang.page("/markets")>{t(lang, "explore.preset.finder")}</a>
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
    let adding = state.adding_series_href();
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
                <ul>{data.problems.iter().map(|p| view! { <li>{with_code(p.clone())}</li> }).collect_view()}</ul>
            </div>
        })}
        <div class="explore">
            <section class="explore-chart" id="chart" aria-live="polite">
                {(!data.selected.is_empty()).then(|| view! {
                    <div class="chips" aria-label=t(lang, "explore.selected")>
                        {data.selected.iter().map(|s| view! {
                            <span class="chip">{s.label.clone()}" "
                                <a href=lang.page(&state.without_series(&s.id).href()) aria-label=format!("{} {}", t(lang, "explore.remove"), s.label)>"×"</a>
                            </span>
                        }).collect_view()}
                    </div>
                })}
                {match data.chart.clone() {
                    Some(bundle) => view! { <ChartArea bundle=bundle state=state.clone() accessed=data.accessed.clone() lang=lang/> }.into_any(),
                    None => view! { <p class="empty">{t(lang, "explore.pick_some")}</p> }.into_any(),
                }}
            </section>
            <form class="picker" method="get" action=lang.page("/explore")>
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
                        let dimension = f.dimension;
                        let current = state.filter(f.dimension).unwrap_or("").to_string();
                        view! {
                            <label class="filter">
                                <span>{t(lang, &format!("dim.{key}"))}</span>
                                <select name=key>
                                    <option value="" selected=current.is_empty()>{t(lang, "explore.any")}</option>
                                    {f.options.iter().map(|(v, n)| view! {
                                        <option value=v.clone() selected=*v == current>{format!("{} ({n})", crate::i18n::dimension_value(lang, dimension, v))}</option>
                                    }).collect_view()}
                                    {(f.more > 0).then(|| view! {
                                        <option value="" disabled=true>{crate::i18n::tf(lang, "explore.more_options", &[("n", &f.more.to_string())])}</option>
                                    })}
                                </select>
                            </label>
                        }
                    }).collect_view()}
                </details>
                <fieldset class="series-list">
                    <legend>{format!("{} · {} {}", t(lang, "explore.series"), data.matching_total, t(lang, "explore.matching"))}</legend>
                    {(data.matching_total == 0 && !state.search.is_empty()).then(|| view! {
                        <p class="notice" role="status">
                            {crate::i18n::tf(lang, "explore.no_match", &[("q", &state.search)])}" "
                            <a href=lang.page("/rankings")>{t(lang, "explore.no_match.rankings")}</a>
                        </p>
                    })}
                    <p class="hint">{t(lang, "explore.sorted_by_latest")}</p>
                    <ul>
                        {data.matching.iter().map(|m| {
                            let checked = selected_ids.contains(&m.id);
                            let add = adding(&m.id);
                            view! {
                                <li>
                                    <label>
                                        <input type="checkbox" name="s" value=m.id.clone() checked=checked/>
                                        <span class="series-label">{m.label.clone()}</span>
                                        <span class="series-meta">
                                            {m.latest.clone().map(|l| view! { <span class="series-latest">{l}</span>" · " })}
                                            {tf(lang, "explore.series_meta", &[("n", &m.observations.to_string()), ("dataset", &m.dataset)])}
                                        </span>
                                    </label>
                                    {(!checked).then(|| view! {
                                        <a class="add" href=lang.page(&add) aria-label=format!("{} {}", t(lang, "explore.add"), m.label)>"+"</a>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {carried.into_iter().map(|id| view! { <input type="hidden" name="s" value=id/> }).collect_view()}
                </fieldset>
                <ViewOptions state=state.clone() totals=data.totals.clone() years=data.years lang=lang/>
                // Always present: with JavaScript the legend's hiding (kept in the address) travels with it.
                <input type="hidden" name="hide" value=state.hide.join(",")/>
                <button type="submit" class="primary">{t(lang, "explore.apply")}</button>
                <p class="hint">{format!("{} {MAX_SERIES}.", t(lang, "explore.max_series"))}</p>
            </form>
        </div>
    }
}

/// Chart type, transform, CAGR, ranking, events, layout, scale and period range: all plain form fields.
#[component]
fn ViewOptions(
    state: ExploreState,
    totals: Vec<(String, String)>,
    years: Option<(i32, i32)>,
    lang: Lang,
) -> impl IntoView {
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
    let (lo, hi) = years.unwrap_or((2000, 2025));
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
                        {totals.iter().map(|(id, label)| view! {
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
                <PeriodSliders lo=lo hi=hi from=from_year to=to_year
                    labels=(t(lang, "explore.from_year").to_string(), t(lang, "explore.to_year").to_string())/>
                {(state.from.is_some() || state.to.is_some()).then(|| {
                    let mut all = state.clone();
                    (all.from, all.to) = (None, None);
                    view! { <a class="reset-range" href=lang.page(&all.href())>{t(lang, "explore.all_periods")}</a> }
                })}
            </div>
        </fieldset>
    }
}

/// The chart (or table) with its events, downloads, embed and citation.
#[component]
fn ChartArea(bundle: ChartBundle, state: ExploreState, accessed: String, lang: Lang) -> impl IntoView {
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
        let address = format!("{origin}{}", lang.page(&state.href()));
        tf(
            lang,
            "explore.citation",
            &[("title", &title), ("address", &address), ("accessed", &accessed), ("sources", &names.join("; "))],
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
                            <strong lang=language_of(e.title_in(lang))>{e.title_in(lang).to_string()}</strong>" "<span class="event-date">{format!("({})", e.dates())}</span>" — "
                            <AsWritten text=e.description.clone()/>" "
                            <a href=crate::strings::safe_link(&e.source_url).map(str::to_string) rel="noopener" title=e.quote.clone() lang=language_of(&e.publisher)>{if e.source_title.is_empty() { e.publisher.clone() } else { format!("{}, {}", e.publisher, e.source_title) }}</a>
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
            <textarea readonly rows="4" translate="no" aria-label=t(lang, "explore.cite")>{citation}</textarea>
            <ul class="cite-sources">
                {sources.into_iter().map(|s| view! { <li><SourceLink source=s.clone()/>" — "<AsWritten text=s.licence.clone()/></li> }).collect_view()}
            </ul>
        </details>
    }
}

/// Exactly the figures behind the chart, sortable by column (links, so sorting works without JavaScript).
#[component]
fn DataTable(bundle: ChartBundle, state: ExploreState, lang: Lang) -> impl IntoView {
    let flags = Words::new(lang, &[FLAG_WORDS]);
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
                <a href=lang.page(&state.sorted_by(key).href())>{label}</a>
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
                    <caption class="visually-hidden">{describe(&bundle, lang)}</caption>
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
                                <td class="num"><FlaggedValue value=f.value flags=f.flags words=flags.clone()/></td>
                                <td>{f.unit}</td>
                                <td class="derived">{f.derived}</td>
                                <td><SourceLink source=f.source/></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <SourcesLine sources=bundle.sources.clone() words=Words::new(lang, &[CHART_WORDS])/>
        </figure>
    }
}
