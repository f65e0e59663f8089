//! `/markets`: the market finder — "where should I sell my category next, and why?". The question lives
//! in the URL (category, market set, weights); the form is a plain GET, and the ranking island re-ranks
//! in the browser as weights move. Below the ranking: markets left out for want of data, what CBEC sources
//! say about the ranked markets (never scored), the method and the sources with their licences.

use crate::components::market_ranking::{MarketRanking, RankRow, RankText};
use crate::components::picker::AutoSubmit;
use crate::components::share_meta::ShareMeta;
use crate::i18n::{t, tf, Lang};
use crate::markets::finder::{Fact, FinderResult, ALL_GOODS};
use crate::markets::score::{Indicator, PRESETS};
use crate::components::source_text::{with_code, AsWritten};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[server]
pub async fn load_markets(query: String, lang: Lang) -> Result<FinderResult, ServerFnError> {
    let explorer = expect_context::<crate::explore::Explorer>();
    expect_context::<crate::markets::Markets>()
        .answer_in(&explorer, &query, lang)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

#[component]
pub fn MarketsPage() -> impl IntoView {
    let lang = crate::i18n::current();
    let query = use_query_map();
    let data = Resource::new(move || query.with(|m| m.to_query_string()), move |q| load_markets(q, lang));
    view! {
        <Title text=format!("{} · {}", t(lang, "markets.title"), t(lang, "app.name"))/>
        <Meta name="description" content=t(lang, "markets.lede")/>
        <h1>{t(lang, "markets.title")}</h1>
        <p class="lede">{t(lang, "markets.lede")}</p>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Finder data=d lang=lang/> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{t(lang, "error.load")}": "{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "US$ 32.5 bn", "13.1 %", "+8.2 % a year": a value as a seller reads it, with its year(s).
pub fn shown(lang: Lang, ind: Indicator, f: &Fact) -> String {
    let v = f.value;
    let number = match ind {
        Indicator::Size => money(lang, v),
        Indicator::Share | Indicator::Internet => tf(lang, "markets.fmt.pct", &[("v", &format!("{v:.1}"))]),
        Indicator::Growth | Indicator::AllGrowth => tf(lang, "markets.fmt.growth", &[("v", &format!("{v:+.1}"))]),
        Indicator::Income => tf(lang, "markets.fmt.usd", &[("v", &crate::domain::format_number(v.round()))]),
        Indicator::Logistics => tf(lang, "markets.fmt.lpi", &[("v", &format!("{v:.2}"))]),
        Indicator::Distance => tf(lang, "markets.fmt.km", &[("v", &crate::domain::format_number(v.round()))]),
        Indicator::Tariff => return tariff_shown(lang, f),
    };
    let derived = if f.derived { format!(" · {}", t(lang, "markets.derived")) } else { String::new() };
    match ind {
        Indicator::Distance => format!("{number}{derived}"),
        _ => format!("{}{derived}", tf(lang, "markets.fmt.with_years", &[("value", &number), ("years", &f.years)])),
    }
}

/// "11.7 %, 2024 · MFN simple average, MTN group Q Clothing · approximate category match · before: …".
fn tariff_shown(lang: Lang, f: &Fact) -> String {
    let Some(note) = &f.tariff else {
        return tf(lang, "markets.fmt.pct", &[("v", &format!("{:.1}", f.value))]);
    };
    let mut out = match note.parts {
        Some((collected, addon)) => tf(
            lang,
            "markets.fmt.us_tariff",
            &[("v", &format!("{:.1}", f.value)), ("collected", &format!("{collected:.1}")), ("addon", &format!("{addon:.1}"))],
        ),
        None => {
            let value = tf(lang, "markets.fmt.pct", &[("v", &format!("{:.1}", f.value))]);
            tf(lang, "markets.fmt.with_years", &[("value", &value), ("years", &f.years)])
        }
    };
    out.push_str(" · ");
    out.push_str(&tf(
        lang,
        &format!("markets.tariff.kind.{}", note.kind.key()),
        &[("group", &note.group.as_deref().map(|g| mtn_group(lang, g)).unwrap_or_default())],
    ));
    if note.approximate {
        out.push_str(" · ");
        out.push_str(t(lang, "markets.tariff.approximate"));
    }
    if let Some((title, date)) = &note.before {
        let title = match (&note.before_zh, lang) {
            (Some(zh), Lang::ZhHans) => zh,
            _ => title,
        };
        out.push_str(" · ");
        out.push_str(&tf(lang, "markets.tariff.before", &[("event", title), ("date", date)]));
    }
    out
}

/// An HS4 product of the category in `lang` (the categories table names it "Textiles › Knit Sweaters").
fn product_name(lang: Lang, category: &str, product: &str) -> String {
    let full = format!("{category} › {product}");
    let named = crate::i18n::category(lang, &full);
    match named.rsplit_once(" › ") {
        Some((_, heading)) if named != full => heading.to_string(),
        _ => product.to_string(),
    }
}

/// An MTN product group ("Q Clothing") in `lang`: Chinese from the categories table ("MTN Q 服装").
fn mtn_group(lang: Lang, group: &str) -> String {
    let named = crate::i18n::category(lang, &format!("MTN {group}"));
    match named.strip_prefix("MTN ") {
        Some(_) if lang == Lang::En => group.to_string(),
        Some(rest) if named != format!("MTN {group}") => rest.to_string(),
        _ => group.to_string(),
    }
}

fn money(lang: Lang, v: f64) -> String {
    // Chinese counts in 万/亿 ("579亿美元"); English in millions and billions.
    if lang == Lang::ZhHans {
        return crate::i18n::numbers::amount(lang, (v / 1e5).round() * 1e5, "USD");
    }
    if v >= 1e9 {
        tf(lang, "markets.fmt.usd_bn", &[("v", &format!("{:.1}", v / 1e9))])
    } else if v >= 1e6 {
        tf(lang, "markets.fmt.usd_m", &[("v", &format!("{:.1}", v / 1e6))])
    } else {
        tf(lang, "markets.fmt.usd", &[("v", &crate::domain::format_number(v.round()))])
    }
}

pub fn rank_text(lang: Lang) -> RankText {
    let per = |prefix: &str| Indicator::ALL.map(|i| t(lang, &format!("markets.{prefix}.{}", i.key())).to_string());
    RankText {
        lang,
        indicators: per("ind"),
        strengths: per("strength"),
        why: t(lang, "markets.why").into(),
        why_share: t(lang, "markets.why.share").into(),
        why_none: t(lang, "markets.why.none").into(),
        and: t(lang, "markets.and").into(),
        stable: t(lang, "markets.stable").into(),
        stable_same: t(lang, "markets.stable.same").into(),
        partial: t(lang, "markets.partial").into(),
        weights: t(lang, "markets.weights").into(),
        weight_of: t(lang, "markets.weight_of").into(),
        score: t(lang, "markets.score").into(),
        show_all: t(lang, "markets.show_all").into(),
        missing: t(lang, "markets.missing").into(),
        numbers: t(lang, "markets.numbers").into(),
        all_zero: t(lang, "markets.all_zero").into(),
        change_weights: t(lang, "markets.change_weights").into(),
        rank: t(lang, "markets.rank").into(),
        market: t(lang, "markets.market").into(),
        indicators_used: t(lang, "markets.indicators_used").into(),
    }
}

pub fn rank_rows(lang: Lang, data: &FinderResult) -> Vec<RankRow> {
    data.rows
        .iter()
        .map(|r| RankRow {
            code: r.code.clone(),
            name: crate::i18n::place(lang, &r.code, &r.name),
            raw: std::array::from_fn(|i| r.facts[i].as_ref().map(|f| f.value)),
            shown: std::array::from_fn(|i| r.facts[i].as_ref().map(|f| shown(lang, Indicator::ALL[i], f))),
            share: r.facts[Indicator::Share.index()]
                .as_ref()
                .map(|f| tf(lang, "markets.fmt.pct", &[("v", &format!("{:.1}", f.value))])),
        })
        .collect()
}

#[component]
fn Finder(data: FinderResult, lang: Lang) -> impl IntoView {
    let q = data.query.clone();
    let without_weights = {
        let mut w = q.clone();
        w.weights = Default::default();
        w.to_query()
    };
    let source_query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("category", &q.category)
        .finish();
    let links = vec![
        (t(lang, "markets.download.csv").to_string(), "/api/v1/markets.csv".to_string()),
        (t(lang, "markets.download.json").to_string(), "/api/v1/markets".to_string()),
        (t(lang, "markets.download.png").to_string(), "/markets/chart.png".to_string()),
        (t(lang, "markets.download.svg").to_string(), "/markets/chart.svg".to_string()),
    ];
    let preset_href = |name: &str| {
        let mut p = q.clone();
        p.weights = crate::markets::score::Weights::preset(name).unwrap_or_default();
        lang.page(&p.href())
    };
    let current_preset = q.weights.preset_name();
    let explore_category = (!q.is_all_goods()).then(|| {
        let s: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("dataset", "ots-china-partners")
            .append_pair("indicator", "ots_exports")
            .append_pair("category", &q.category)
            .finish();
        lang.page(&format!("/explore?{s}"))
    });
    let has_rows = !data.rows.is_empty();
    let rows = rank_rows(lang, &data);
    let non_commercial = data.non_commercial();
    let share_title = if q.is_all_goods() {
        t(lang, "markets.title").to_string()
    } else {
        format!("{} — {}", t(lang, "markets.title"), crate::i18n::category(lang, &q.category))
    };
    view! {
        <ShareMeta path=q.href() title=share_title/>
        {(!data.errors.is_empty()).then(|| view! {
            <div class="error" role="alert">
                <p><strong>{t(lang, "markets.errors")}</strong></p>
                <ul>{data.errors.iter().map(|e| view! { <li>{with_code(e.clone())}</li> }).collect_view()}</ul>
            </div>
        })}
        <form method="get" action=lang.page("/markets") class="finder">
            <AutoSubmit/>
            <div class="finder-question">
                <label>
                    <span>{t(lang, "markets.category")}</span>
                    <select name="category">
                        <option value=ALL_GOODS selected=q.is_all_goods()>{t(lang, "markets.all_goods")}</option>
                        {data.categories.iter().map(|(c, _)| view! {
                            <option value=c.clone() selected=*c == q.category>{crate::i18n::category(lang, c)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>{t(lang, "markets.region")}</span>
                    <select name="region">
                        <option value="" selected=q.region.is_none()>{t(lang, "markets.region.all")}</option>
                        {data.regions.iter().map(|r| view! {
                            <option value=r.clone() selected=q.region.as_deref() == Some(r.as_str())>{t(lang, &format!("region.{}", r.to_lowercase()))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" name="exclude" value="USA" checked=q.exclude.iter().any(|c| c == "USA")/>
                    {t(lang, "markets.exclude_us")}
                </label>
                // Open when a list is set; folded otherwise, so a phone shows the answer sooner.
                <details class="more-choices" open=!q.only.is_empty()>
                    <summary>{t(lang, "markets.only")}</summary>
                    <label>
                        <input type="text" name="markets" value=q.only.join(",") placeholder="DEU,POL,FRA" translate="no" size="14"
                            autocomplete="off" spellcheck="false" aria-label=t(lang, "markets.only")
                            aria-describedby="markets-only-hint"/>
                        <small id="markets-only-hint" class="hint">{t(lang, "markets.only.hint")}</small>
                    </label>
                </details>
                {q.exclude.iter().filter(|c| *c != "USA").map(|c| view! { <input type="hidden" name="exclude" value=c.clone()/> }).collect_view()}
            </div>
            <nav class="presets" aria-label=t(lang, "markets.presets")>
                <span class="presets-label">{t(lang, "markets.presets")}": "</span>
                {PRESETS.iter().map(|(name, _)| view! {
                    <a class="preset" href=preset_href(name) aria-current=(current_preset == Some(*name)).then_some("true")>
                        {t(lang, &format!("markets.preset.{name}"))}
                    </a>
                }).collect_view()}
            </nav>
            // The cards are h3s: this heading keeps the outline in order (h1, h2, h3).
            {has_rows.then(|| view! {
                <h2 class="visually-hidden">{crate::i18n::tf(lang, "markets.ranking_heading", &[("category", &if q.is_all_goods() { t(lang, "markets.all_goods").to_string() } else { crate::i18n::category(lang, &q.category) })])}</h2>
                <MarketRanking rows=rows weights=q.weights.0 text=rank_text(lang)
                    base_query=without_weights source_query=source_query links=links/>
            })}
            <p><button type="submit" name="go" value="1">{t(lang, "markets.apply")}</button></p>
        </form>
        {non_commercial.then(|| view! { <p class="licence-note">{t(lang, "markets.method.licence")}</p> })}
        {has_rows.then(|| {
            let origin = crate::components::share_meta::public_origin();
            let src = q.href_at("/embed/markets");
            let snippet = format!(
                "<iframe src=\"{origin}{src}\" title=\"Tradewinds\" width=\"800\" height=\"640\" loading=\"lazy\" style=\"border:0;width:100%;max-width:800px\" data-tradewinds></iframe><script async src=\"{origin}/embed.js\"></script>"
            );
            view! {
                <details class="finder-embed">
                    <summary>{t(lang, "markets.embed")}</summary>
                    <p class="note">{with_code(t(lang, "markets.embed.note").to_string())}</p>
                    <textarea readonly rows="4" translate="no" aria-label=t(lang, "markets.embed")>{snippet}</textarea>
                    <p><a href=src>{t(lang, "embed.preview")}</a></p>
                </details>
            }
        })}
        {(!data.products.is_empty()).then(|| view! {
            <section class="products">
                <h2>{t(lang, "markets.products")}</h2>
                <p class="note">{t(lang, "markets.products.note")}</p>
                <ol class="product-list">{data.products.iter().map(|(name, v, id)| view! {
                    <li><a href=lang.page(&format!("/explore?s={id}"))>{product_name(lang, &data.query.category, name)}</a>" — "{money(lang, *v)}</li>
                }).collect_view()}</ol>
            </section>
        })}
        {(!data.top_destinations.is_empty()).then(|| view! {
            <p><a href=lang.page(&format!("/explore?s={}&from=2000", data.top_destinations.join(",")))>{t(lang, "markets.category_top")}</a></p>
        })}
        {explore_category.map(|href| view! { <p><a href=href>{t(lang, "markets.category_view")}</a></p> })}
        {(!data.unavailable.is_empty()).then(|| view! {
            <details class="unavailable">
                <summary>{tf(lang, "markets.unavailable", &[("n", &data.unavailable.len().to_string())])}</summary>
                <p class="note">{t(lang, "markets.unavailable.note")}</p>
                <ul>{data.unavailable.iter().map(|u| {
                    let lacks: Vec<&str> = u.missing.iter().map(|i| t(lang, &format!("markets.ind.{}", i.key()))).collect();
                    view! { <li>{u.name.clone()}" — "{t(lang, "markets.lacks")}" "{lacks.join(", ")}</li> }
                }).collect_view()}</ul>
            </details>
        })}
        {(!data.events.is_empty()).then(|| view! {
            <section class="market-events">
                <h2>{t(lang, "markets.events")}</h2>
                <ul>{data.events.iter().map(|e| view! {
                    <li>
                        <strong>{e.date.clone()}</strong>" "<AsWritten text=if lang == Lang::ZhHans && !e.title_zh.is_empty() { e.title_zh.clone() } else { e.title.clone() }/>" — "{e.markets.iter().zip(e.codes.iter().map(String::as_str).chain(std::iter::repeat(""))).map(|(name, code)| crate::i18n::place(lang, code, name)).collect::<Vec<_>>().join(t(lang, "list.separator"))}
                        <blockquote lang=crate::strings::language_of(&e.quote)>{e.quote.clone()}</blockquote>
                        <a href=crate::strings::safe_link(&e.source_url).map(str::to_string) rel="noopener" lang=crate::strings::language_of(&e.publisher)>{e.publisher.clone()}</a>
                    </li>
                }).collect_view()}</ul>
            </section>
        })}
        {(!data.cbec.is_empty()).then(|| view! {
            <aside class="cbec-facts">
                <h2>{t(lang, "markets.cbec")}</h2>
                <p class="note">{t(lang, "markets.cbec.note")}</p>
                <ul>{data.cbec.iter().map(|c| {
                    let (label, value, period) = c.parts(lang);
                    view! {
                        <li><a href=lang.page(&format!("/explore?s={}", c.series))>{label}</a>{tf(lang, "markets.cbec.fact", &[("value", &value), ("period", &period)])}</li>
                    }
                }).collect_view()}</ul>
            </aside>
        })}
        <section class="method">
            <h2>{t(lang, "markets.method")}</h2>
            <p>{t(lang, "markets.method.scale")}</p>
            <dl>
                {Indicator::ALL.into_iter().map(|i| view! {
                    <dt>{t(lang, &format!("markets.ind.{}", i.key()))}</dt>
                    <dd>{t(lang, &format!("markets.about.{}", i.key()))}</dd>
                }).collect_view()}
            </dl>
            <p>{t(lang, "markets.method.mirror")}</p>
            <p>{t(lang, "markets.method.not")}</p>
        </section>
        <section class="sources">
            <h2>{t(lang, "markets.sources")}</h2>
            <ul>{data.sources.iter().map(|s| view! {
                <li>
                    {let title = crate::i18n::dataset_title(lang, &s.id, &s.title);
                    match s.link.clone() {
                        Some(l) => view! { <a href=l rel="noopener">{title}</a> }.into_any(),
                        None => view! { <span>{title}</span> }.into_any(),
                    }}
                    " — "<AsWritten text=s.publisher.clone()/>". "<AsWritten text=s.licence.clone() class="licence"/>
                </li>
            }).collect_view()}</ul>
        </section>
    }
}
