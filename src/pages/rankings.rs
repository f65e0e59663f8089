//! `/rankings`: one indicator across every place at once — "which markets' imports from China grew
//! fastest?" as a sortable, paginated table with its derived columns and their formulas, a wide
//! place × year view, and downloads of exactly what is shown. All state is in the URL; sorting and
//! paging are links, the form a plain GET, so it works without JavaScript.

use crate::components::chart_figure::{FlaggedValue, SourcesLine, CHART_WORDS, FLAG_WORDS};
use crate::components::picker::AutoSubmit;
use crate::components::share_meta::ShareMeta;
use crate::components::source_text::with_code;
use crate::explore::ranking::{show_derived, Column, Derived, Figure, RankingData, RankingQuery, RankingRow, LARGEST_CHOICES};
use crate::i18n::{t, tf, Lang, Words};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[server]
pub async fn load_rankings(query: String, lang: Lang) -> Result<RankingData, ServerFnError> {
    expect_context::<crate::explore::Explorer>()
        .ranking_page(&query, lang)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

#[component]
pub fn RankingsPage() -> impl IntoView {
    let lang = crate::i18n::current();
    let query = use_query_map();
    let data = Resource::new(move || query.with(|m| m.to_query_string()), move |q| load_rankings(q, lang));
    view! {
        <Title text=format!("{} · {}", t(lang, "rankings.title"), t(lang, "app.name"))/>
        <Meta name="description" content=t(lang, "rankings.lede")/>
        <h1>{t(lang, "rankings.title")}</h1>
        <p class="lede">{t(lang, "rankings.lede")}</p>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Rankings data=d lang=lang/> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{t(lang, "error.load")}": "{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Rankings(data: RankingData, lang: Lang) -> impl IntoView {
    let q = data.query.clone();
    let problems = data.problems.clone();
    let Some(r) = data.ranking.clone() else {
        return view! { <p class="empty">{t(lang, "rankings.none")}</p> }.into_any();
    };
    // The query as shown (the table and years actually used), for links and downloads.
    let shown = RankingQuery {
        table: r.table.key.clone(),
        slice: r.slice.clone(),
        from: Some(r.from),
        to: Some(r.to),
        ..q.clone()
    };
    let download = RankingQuery { page: 1, ..shown.clone() }.to_query();
    let top: Vec<String> = r.rows.iter().take(10).map(|row| row.series_id.clone()).collect();
    let chart_href = lang.page(&format!(
        "/explore?s={}&from={}&to={}",
        top.join("%2C"),
        r.from,
        r.to
    ));
    let sorted_by = t(lang, &format!("rankings.col.{}", q.sort.key()));
    let summary = tf(
        lang,
        "rankings.summary",
        &[
            ("n", &data.total_rows.to_string()),
            ("by", sorted_by),
            ("from", &r.from.to_string()),
            ("to", &r.to.to_string()),
        ],
    );
    let years = r.years.clone();
    let year_select = move |name: &'static str, current: i32| {
        let years = years.clone();
        view! {
            <label class="filter">
                <span>{t(lang, &format!("rankings.{name}"))}</span>
                <select name=name>
                    {years.into_iter().rev().map(|y| view! {
                        <option value=y.to_string() selected=y == current>{y.to_string()}</option>
                    }).collect_view()}
                </select>
            </label>
        }
    };
    let wide_href = lang.page(&RankingQuery { wide: true, page: 1, ..shown.clone() }.href());
    let ranking_href = lang.page(&RankingQuery { wide: false, page: 1, ..shown.clone() }.href());
    view! {
        <ShareMeta path=shown.href() title=data.label.clone()/>
        {(!problems.is_empty()).then(|| view! {
            <div class="notice" role="status">
                <strong>{t(lang, "explore.bad_state")}": "</strong>
                <ul>{problems.into_iter().map(|p| view! { <li>{with_code(p)}</li> }).collect_view()}</ul>
            </div>
        })}
        <form class="ranking-form" method="get" action=lang.page("/rankings")>
            <AutoSubmit/>
            <label class="filter wide">
                <span>{t(lang, "rankings.table")}</span>
                <select name="table">
                    {data.tables.iter().map(|c| view! {
                        <option value=c.key.clone() selected=c.key == r.table.key>
                            {tf(lang, "rankings.table.option", &[("label", &c.label), ("n", &c.places.to_string())])}
                        </option>
                    }).collect_view()}
                </select>
            </label>
            {r.table.slices.iter().map(|(d, values)| {
                let current = r.slice.iter().find(|(x, _)| x == d).map(|(_, v)| v.clone()).unwrap_or_default();
                view! {
                    <label class="filter">
                        <span>{t(lang, &format!("dim.{}", d.key()))}</span>
                        <select name=d.key()>
                            {values.iter().map(|(v, n)| view! {
                                <option value=v.clone() selected=*v == current>{format!("{v} ({n})")}</option>
                            }).collect_view()}
                        </select>
                    </label>
                }
            }).collect_view()}
            {year_select("from", r.from)}
            {year_select("to", r.to)}
            <label class="filter">
                <span>{t(lang, "rankings.largest")}</span>
                <select name="largest">
                    <option value="" selected=q.largest.is_none()>{t(lang, "rankings.largest.all")}</option>
                    {LARGEST_CHOICES.into_iter().chain(q.largest.filter(|n| !LARGEST_CHOICES.contains(n))).map(|n| view! {
                        <option value=n.to_string() selected=q.largest == Some(n)>{tf(lang, "rankings.largest.n", &[("n", &n.to_string())])}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="check">
                <input type="checkbox" name="aggregates" value="1" checked=q.aggregates/>" "{t(lang, "rankings.aggregates")}
            </label>
            {(q.sort != Column::Cagr || !q.desc).then(|| {
                let sign = if q.desc { "-" } else { "" };
                view! { <input type="hidden" name="sort" value=format!("{sign}{}", q.sort.key())/> }
            })}
            {q.wide.then(|| view! { <input type="hidden" name="view" value="wide"/> })}
            <button type="submit" class="primary">{t(lang, "rankings.show")}</button>
        </form>
        <p class="ranking-summary">
            <strong>{summary}</strong>" · "{data.dataset_title.clone()}
            {(!r.unit.is_empty()).then(|| format!(" · {}: {}", t(lang, "table.unit"), r.unit))}
        </p>
        {(!r.notes.is_empty()).then(|| view! {
            <ul class="ranking-notes">{r.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
        })}
        <nav class="ranking-actions" aria-label=t(lang, "rankings.actions")>
            <span class="segmented-links">
                <a href=ranking_href aria-current=(!q.wide).then_some("page")>{t(lang, "rankings.view.ranking")}</a>
                <a href=wide_href aria-current=q.wide.then_some("page")>{t(lang, "rankings.view.wide")}</a>
            </span>
            <span>{t(lang, "explore.download")}": "
                <a href=format!("/api/v1/rankings.csv?{download}") download>{t(lang, "rankings.csv")}</a>" · "
                <a href=format!("/api/v1/rankings.csv?{download}&view=wide") download>{t(lang, "rankings.csv_wide")}</a>" · "
                <a href=format!("/api/v1/rankings?{download}")>"JSON"</a>
            </span>
            {(!top.is_empty()).then(|| view! {
                <a class="chart-top" href=chart_href>{tf(lang, "rankings.chart_top", &[("n", &top.len().to_string())])}</a>
            })}
        </nav>
        {if q.wide {
            view! { <WideTable data=data.clone() lang=lang/> }.into_any()
        } else {
            view! { <RankTable data=data.clone() query=shown.clone() lang=lang/> }.into_any()
        }}
        <Pages data=data.clone() query=shown lang=lang/>
        <section class="ranking-method">
            <h2>{t(lang, "rankings.method")}</h2>
            <dl>
                {r.formulas_in(lang).into_iter().filter(|(c, _)| *c != Column::Share || r.total.is_some()).map(|(c, f)| view! {
                    <dt>{t(lang, &format!("rankings.col.{}", c.key()))}" "<span class="derived-mark">{t(lang, "rankings.derived")}</span></dt>
                    <dd><code>{f}</code></dd>
                }).collect_view()}
            </dl>
            <p>{t(lang, "rankings.method.note")}</p>
            {data.source.clone().map(|s| view! { <SourcesLine sources=vec![s] words=Words::new(lang, &[CHART_WORDS])/> })}
        </section>
    }
    .into_any()
}

/// A derived cell: the number, or a dash whose reason is read out and shown on hover.
#[component]
fn DerivedCell(value: Derived, suffix: &'static str) -> impl IntoView {
    match value {
        Ok(_) => view! { <td class="num derived">{show_derived(&value, suffix)}</td> }.into_any(),
        Err(reason) => view! {
            <td class="num gap"><span title=reason.clone()>"—"</span><span class="visually-hidden">{reason}</span></td>
        }.into_any(),
    }
}

#[component]
fn FigureCell(figure: Option<Figure>, words: Words) -> impl IntoView {
    match figure {
        Some(f) => view! { <td class="num"><FlaggedValue value=f.display flags=f.flags words=words/></td> }.into_any(),
        None => view! { <td class="num gap">"—"</td> }.into_any(),
    }
}

fn place_cell(row: &RankingRow, lang: Lang) -> impl IntoView {
    let href = lang.page(&format!("/explore?s={}", row.series_id));
    view! {
        <th scope="row" class="place">
            <a href=href>{row.place.clone()}</a>
            {row.aggregate.then(|| view! { <span class="aggregate-mark">" "{t(lang, "rankings.aggregate")}</span> })}
        </th>
    }
}

#[component]
fn RankTable(data: RankingData, query: RankingQuery, lang: Lang) -> impl IntoView {
    let flags = Words::new(lang, &[FLAG_WORDS]);
    let r = data.ranking.clone().expect("a ranking to show");
    let formulas = r.formulas_in(lang);
    // Without a World figure in the table there is no share to show (the API says why per row).
    let has_share = r.total.is_some();
    let columns: Vec<Column> = Column::ALL.into_iter().filter(|c| *c != Column::Share || has_share).collect();
    let header = move |c: Column| {
        let sort = match (query.sort == c, query.desc) {
            (true, true) => "descending",
            (true, false) => "ascending",
            _ => "none",
        };
        let label = match c {
            Column::From => r.from.to_string(),
            Column::To => r.to.to_string(),
            _ => t(lang, &format!("rankings.col.{}", c.key())).to_string(),
        };
        let formula = formulas.iter().find(|(x, _)| *x == c).map(|(_, f)| f.clone());
        let class = if c == Column::Place { "" } else { "num" };
        view! {
            <th scope="col" class=class aria-sort=sort>
                <a href=lang.page(&query.sorted_by(c).href()) title=formula.clone()>{label}</a>
                {formula.is_some().then(|| view! { <span class="derived-mark">" "{t(lang, "rankings.derived")}</span> })}
            </th>
        }
    };
    view! {
        <div class="table-scroll">
            <table class="rank-table">
                <caption class="visually-hidden">{data.label.clone()}</caption>
                <thead><tr>
                    <th scope="col" class="num">"#"</th>
                    {columns.into_iter().map(header.clone()).collect_view()}
                </tr></thead>
                <tbody>
                    {r.rows.iter().map(|row| view! {
                        <tr>
                            <td class="num rank">{row.rank}</td>
                            {place_cell(row, lang)}
                            <FigureCell figure=row.from.clone() words=flags.clone()/>
                            <FigureCell figure=row.to.clone() words=flags.clone()/>
                            <DerivedCell value=row.change.clone() suffix=""/>
                            <DerivedCell value=row.change_pct.clone() suffix=" %"/>
                            <DerivedCell value=row.cagr.clone() suffix=" %"/>
                            {has_share.then(|| view! { <DerivedCell value=row.share.clone() suffix=" %"/> })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Places × years: the figures as published, no derived numbers.
#[component]
fn WideTable(data: RankingData, lang: Lang) -> impl IntoView {
    let flags = Words::new(lang, &[FLAG_WORDS]);
    let r = data.ranking.clone().expect("a ranking to show");
    view! {
        <div class="table-scroll">
            <table class="rank-table wide">
                <caption class="visually-hidden">{data.label.clone()}</caption>
                <thead><tr>
                    <th scope="col">{t(lang, "rankings.col.place")}</th>
                    {r.wide_years.iter().map(|y| view! { <th scope="col" class="num">{y.to_string()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {r.rows.iter().map(|row| view! {
                        <tr>
                            {place_cell(row, lang)}
                            {row.by_year.iter().map(|f| view! { <FigureCell figure=f.clone() words=flags.clone()/> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Pages(data: RankingData, query: RankingQuery, lang: Lang) -> impl IntoView {
    let (page, pages) = (query.page.clamp(1, data.pages.max(1)), data.pages);
    (pages > 1).then(|| {
        view! {
            <nav class="pages" aria-label=t(lang, "rankings.pages")>
                {(page > 1).then(|| view! { <a rel="prev" href=lang.page(&query.at_page(page - 1).href())>{t(lang, "rankings.prev")}</a> })}
                <span>{tf(lang, "rankings.page_of", &[("page", &page.to_string()), ("pages", &pages.to_string())])}</span>
                {(page < pages).then(|| view! { <a rel="next" href=lang.page(&query.at_page(page + 1).href())>{t(lang, "rankings.next")}</a> })}
            </nav>
        }
    })
}
