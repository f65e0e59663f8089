//! `/embed?…` (any explorer state, same query) and `/embed/home` (the home dashboard's charts): the
//! chart alone — title, legend, sources line and an "Open in Tradewinds" link — for partner sites'
//! iframes. Server-rendered, with the charts interactive like the site's own (the same islands), but a
//! separate small app ([`EmbedApp`], its own document shell, `app::embed_shell`) without the site's header, footer or admin
//! links.
//!
//! Own parameters: `theme=light|dark|auto`, `accent=#rrggbb`, `controls=0|1`, `lang=en|zh-Hans`, an
//! editor's `title=`, `subtitle=` and `note=` (and on `/embed/home`, `chart=totals|platforms|shares`
//! for one chart; `/embed?home=NAME` is the same). Everything else is explorer state and goes to the
//! explorer's parser untouched.
//!
//! Before the canvas takes over (or without JavaScript) the chart is the server's SVG; in frames
//! narrower than [`NARROW_BELOW`] a second SVG drawn at [`NARROW_WIDTH`] stands in its place, so the
//! drawing fills the frame and its text stays readable at phone widths.

use crate::components::chart_figure::ChartFigure;
use crate::components::share_meta::ShareMeta;
use crate::components::source_text::with_code;
use crate::explore::embed::{narrow_height, EmbedData, EmbedText, NARROW_WIDTH};
#[allow(unused_imports)] // named in the docs above
use crate::explore::embed::NARROW_BELOW;
use crate::i18n::t as text;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_query_map,
    SsrMode, StaticSegment,
};


#[server]
pub async fn load_embed(home: bool, query: String) -> Result<EmbedData, ServerFnError> {
    expect_context::<crate::explore::Explorer>()
        .embed_data(home, &query)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

/// What `/embed/markets?…` shows: the finder's ranking as a chart, the embed's language, the page it
/// opens, and what could not be answered.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MarketsEmbed {
    pub chart: Option<crate::chart::bundle::ChartBundle>,
    pub lang: crate::i18n::Lang,
    pub controls: bool,
    pub open_href: String,
    pub licence_note: bool,
    pub problems: Vec<String>,
    #[serde(default)]
    pub text: EmbedText,
}

#[server]
pub async fn load_embed_markets(query: String) -> Result<MarketsEmbed, ServerFnError> {
    use crate::explore::embed::{split_query, EmbedOptions, EMBED_KEYS};
    let (mine, finder_query) = split_query(&query, &EMBED_KEYS);
    let (o, mut problems) = EmbedOptions::from_pairs(mine.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let explorer = expect_context::<crate::explore::Explorer>();
    let result = expect_context::<crate::markets::Markets>()
        .answer_in(&explorer, &finder_query, o.lang)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))?;
    problems.extend(result.errors.iter().cloned());
    Ok(MarketsEmbed {
        chart: (!result.rows.is_empty()).then(|| crate::markets::chart::ranking_bundle(&result, o.lang)),
        lang: o.lang,
        controls: !o.controls_off,
        open_href: result.query.href(),
        licence_note: result.non_commercial(),
        problems,
        text: o.text,
    })
}

#[component]
pub fn EmbedApp() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href=crate::components::asset("tradewinds.css")/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Router>
            <Routes fallback=|| view! { <p>"Not found"</p> }>
                <Route path=StaticSegment("embed") view=|| view! { <EmbedPage home=false/> } ssr=SsrMode::Async/>
                <Route path=(StaticSegment("embed"), StaticSegment("home")) view=|| view! { <EmbedPage home=true/> } ssr=SsrMode::Async/>
                <Route path=(StaticSegment("embed"), StaticSegment("markets")) view=EmbedMarketsPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

#[component]
fn EmbedPage(home: bool) -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || query.with(|m| m.to_query_string()),
        move |q| load_embed(home, q),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <EmbedBody data=d/> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EmbedBody(data: EmbedData) -> impl IntoView {
    let lang = data.options.lang;
    let title = data.title();
    let share_path = match data.home {
        true => "/".to_string(),
        false => data.open_href.clone(),
    };
    let ignored = data.problems.join("; ");
    let empty = data.charts.is_empty();
    let titled = data.charts.len() == 1 && has_heading(&data.options.text);
    let text_opts = data.options.text.clone();
    view! {
        <Title text=document_title(&title)/>
        <Link rel="canonical" href=data.open_href.clone()/>
        <ShareMeta path=share_path title=title.clone()/>
        <div class="embed" class:embed-controls-off=data.options.controls_off class:embed-titled=titled>
            <EmbedHeading words=text_opts.clone() title=title/>
            {data.charts.into_iter().map(|b| {
                let events = b.events.clone();
                let narrow = narrow_svg(&b);
                let ratio = format!("--narrow-ratio: {NARROW_WIDTH} / {}", narrow_height(b.spec.panels.len()));
                view! {
                    <div class="embed-chart" style=ratio>
                        <ChartFigure bundle=b lang=lang controls=!data.options.controls_off zoom=false/>
                        <div class="chart-svg embed-static" aria-hidden="true" inner_html=narrow></div>
                    </div>
                    // What the numbered marks on the time axis are, each with its source.
                    {(!events.is_empty()).then(|| view! {
                        <ol class="embed-events">
                            {events.into_iter().map(|e| view! {
                                <li>
                                    <span lang=crate::strings::language_of(e.title_in(lang))>{e.title_in(lang).to_string()}</span>" ("{e.dates()}") "
                                    <a href=crate::strings::safe_link(&e.source_url).map(str::to_string) rel="noopener" title=e.quote.clone() lang=crate::strings::language_of(&e.publisher)>{e.publisher.clone()}</a>
                                </li>
                            }).collect_view()}
                        </ol>
                    })}
                }
            }).collect_view()}
            {empty.then(|| view! { <p class="embed-empty">{text(lang, "embed.no_chart")}</p> })}
            <EmbedNote words=text_opts lang=lang/>
            {(!ignored.is_empty()).then(|| view! {
                <p class="embed-problems">{text(lang, "embed.ignored")}": "{with_code(ignored)}</p>
            })}
            <p class="embed-footer">
                <a class="embed-open" href=data.open_href target="_blank" rel="noopener">
                    {text(lang, "embed.open")}" ↗"
                </a>
            </p>
        </div>
    }
}

/// The `<title>`: leptos_meta writes it unescaped on the server, and an editor's title comes from the
/// URL, so it is escaped here (the embed document is never hydrated, so nothing escapes it twice).
fn document_title(title: &str) -> String {
    crate::strings::escape_html(&format!("{title} · Tradewinds"))
}

fn has_heading(t: &EmbedText) -> bool {
    t.title.is_some() || t.subtitle.is_some()
}

/// An editor's title and subtitle above the chart(s) — `title` is theirs or the embed's own. Over one
/// chart it stands in for the chart's title (hidden by CSS), which the subtitle would otherwise precede.
#[component]
fn EmbedHeading(words: EmbedText, title: String) -> impl IntoView {
    has_heading(&words).then(|| view! {
        <header class="embed-head">
            <h1 class="embed-title">{title}</h1>
            {words.subtitle.map(|s| view! { <p class="embed-subtitle">{s}</p> })}
        </header>
    })
}

/// An editor's note, under the chart and its sources: it adds to the attribution, never replaces it.
#[component]
fn EmbedNote(words: EmbedText, lang: crate::i18n::Lang) -> impl IntoView {
    words.note.map(|n| view! {
        <p class="embed-note"><strong>{text(lang, "embed.note")}": "</strong>{n}</p>
    })
}

/// The chart drawn by the server at the narrow logical size (empty in the browser: the embed document
/// is not hydrated, only its islands are).
fn narrow_svg(b: &crate::chart::bundle::ChartBundle) -> String {
    #[cfg(feature = "ssr")]
    {
        let mut spec = b.spec.clone();
        spec.width = NARROW_WIDTH;
        spec.height = narrow_height(spec.panels.len());
        crate::chart::svg::render_svg(&spec, &crate::theme::current().chart_theme(false)).0
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = b;
        String::new()
    }
}

/// `/embed/markets?…`: the market finder's ranking for a partner's page — the chart with its method note,
/// sources and licence, and a link to the full ranking.
#[component]
fn EmbedMarketsPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.with(|m| m.to_query_string()), load_embed_markets);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let lang = d.lang;
                        let title = d.text.title.clone().or_else(|| d.chart.as_ref().map(|c| c.title.clone())).unwrap_or_else(|| text(lang, "markets.title").to_string());
                        let problems = d.problems.join("; ");
                        let titled = d.chart.is_some() && has_heading(&d.text);
                        view! {
                            <Title text=document_title(&title)/>
                            <Link rel="canonical" href=d.open_href.clone()/>
                            <ShareMeta path=d.open_href.clone() title=title.clone()/>
                            <div class="embed" class:embed-titled=titled>
                                <EmbedHeading words=d.text.clone() title=title/>
                                {d.chart.map(|b| view! { <ChartFigure bundle=b lang=lang controls=d.controls zoom=false/> })}
                                {d.licence_note.then(|| view! { <p class="embed-licence">{text(lang, "markets.method.licence")}</p> })}
                                <EmbedNote words=d.text.clone() lang=lang/>
                                {(!problems.is_empty()).then(|| view! {
                                    <p class="embed-problems" role="alert">{text(lang, "embed.ignored")}": "{with_code(problems)}</p>
                                })}
                                <p class="embed-footer">
                                    <a class="embed-open" href=d.open_href target="_blank" rel="noopener">{text(lang, "embed.open")}" ↗"</a>
                                </p>
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
