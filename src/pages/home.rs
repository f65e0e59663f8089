//! `/`: China cross-border e-commerce at a glance — headline cards, the CBEC totals chart, platforms,
//! destination-market shares and Yiwu's figures. Every number carries its source; derived ones say so.

use crate::chart::bundle::FigureRow;
use crate::chart::bundle::ChartBundle;
use crate::components::chart_figure::{ChartFigure, FlaggedValue, SourceLink, FLAG_WORDS};
use crate::components::embed_builder::EmbedBuilder;
use crate::components::share_meta::ShareMeta;
use crate::components::source_text::{AsWritten, Quote, QUOTE_WORDS};
use crate::explore::home::{Card, HomeData};
use crate::i18n::{t, Lang, Words};
use leptos::prelude::*;
use leptos_meta::Title;

#[server]
pub async fn load_home(lang: Lang) -> Result<HomeData, ServerFnError> {
    expect_context::<crate::explore::Explorer>()
        .home(lang)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

/// Category entry points into the market finder: Open Trade Statistics communities, named by what
/// sellers make (the community's largest products in China's 2018 exports).
const HOME_CATEGORIES: [(&str, &str); 5] = [
    ("markets.quick.misc", "category=Miscellaneous"),
    ("markets.quick.textiles", "category=Textiles"),
    ("markets.quick.footwear", "category=Footwear+and+Headwear"),
    ("markets.quick.machines", "category=Machines"),
    ("markets.quick.no_us", "exclude=USA&weights=growing"),
];

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = crate::i18n::current();
    let data = Resource::new(|| (), move |_| load_home(lang));
    view! {
        <Title text=format!("{} · {}", t(lang, "home.title"), t(lang, "app.name"))/>
        <ShareMeta path="/" title=t(lang, "home.title")/>
        <h1>{t(lang, "home.title")}</h1>
        <p class="lede">{t(lang, "home.lede")}</p>
        // A seller's first question, one click away.
        <a class="home-finder" href=lang.page("/markets")>
            <strong>{t(lang, "markets.entry")}</strong>
            <span>{t(lang, "markets.entry.note")}</span>
        </a>
        <nav class="presets" aria-label=t(lang, "markets.entry.quick")>
            <span class="presets-label">{t(lang, "markets.entry.quick")}": "</span>
            {HOME_CATEGORIES.iter().map(|(key, q)| view! {
                <a class="preset" href=lang.page(&format!("/markets?{q}"))>{t(lang, key)}</a>
            }).collect_view()}
        </nav>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Dashboard data=d lang=lang/> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{t(lang, "error.load")}": "{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Dashboard(data: HomeData, lang: Lang) -> impl IntoView {
    view! {
        <section class="cards" aria-label=t(lang, "home.cards")>
            {data.cards.into_iter().map(|c| view! { <HeadlineCard card=c lang=lang/> }).collect_view()}
        </section>
        <HomeChart bundle=data.totals name="totals" lang=lang/>
        <div class="two-up">
            <HomeChart bundle=data.platforms name="platforms" lang=lang/>
            <HomeChart bundle=data.shares name="shares" lang=lang/>
        </div>
        <section class="yiwu">
            <h2>{t(lang, "home.yiwu")}</h2>
            <p class="chart-note">{t(lang, "home.yiwu.note")}</p>
            <ul class="figure-grid">
                {data.yiwu.into_iter().map(|f| { let details = f.clone(); view! {
                    <li class="figure-card">
                        <span class="figure-value"><FlaggedValue value=f.value flags=f.flags words=Words::new(lang, &[FLAG_WORDS])/>" "<span class="unit">{f.unit}</span></span>
                        <span class="figure-label">{f.series}</span>
                        <span class="figure-period">{f.period}</span>
                        <SourceDetails figure=details lang=lang/>
                    </li>
                }}).collect_view()}
            </ul>
        </section>
    }
}

/// A dashboard chart with its own "Embed" entry: the builder for `/embed/home?chart=NAME`.
#[component]
fn HomeChart(bundle: ChartBundle, name: &'static str, lang: Lang) -> impl IntoView {
    let title = bundle.title.clone();
    view! {
        <div class="home-chart">
            <ChartFigure bundle=bundle lang=lang controls=true zoom=false/>
            <EmbedBuilder query=String::new() lang=lang title=title home=name.to_string() label="embed.home".to_string()/>
        </div>
    }
}

#[component]
fn HeadlineCard(card: Card, lang: Lang) -> impl IntoView {
    let f = card.figure;
    let details = f.clone();
    view! {
        <article class="card">
            <h2 class="card-title">{t(lang, &card.title_key)}</h2>
            <p class="card-value"><FlaggedValue value=f.value flags=f.flags words=Words::new(lang, &[FLAG_WORDS])/>" "<span class="unit">{f.unit}</span></p>
            <p class="card-series">{f.series}" · "<span class="period">{f.period}</span></p>
            {card.detail.map(|d| view! {
                <p class="card-detail" class:derived=card.detail_derived>
                    {d}
                    {card.detail_derived.then(|| view! { <span class="derived-note">" — "{t(lang, "home.card.derived")}</span> })}
                    {card.detail_source.map(|s| view! { " · "<SourceLink source=s/> })}
                </p>
            })}
            <SourceDetails figure=details lang=lang/>
        </article>
    }
}

/// A figure's source, quote and caveat, one click away (works without JavaScript).
#[component]
fn SourceDetails(figure: FigureRow, lang: Lang) -> impl IntoView {
    view! {
        <details>
            <summary>{t(lang, "figure.source_quote")}</summary>
            <SourceLink source=figure.source/>
            {figure.quote.map(|q| view! { <p><Quote text=q words=Words::new(lang, &[QUOTE_WORDS])/></p> })}
            {figure.caveat.map(|c| view! { <p class="caveat"><AsWritten text=c/></p> })}
        </details>
    }
}
