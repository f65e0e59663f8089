//! `/embed?…` (any explorer state, same query) and `/embed/home` (the home dashboard's charts): the
//! chart alone — title, legend, sources line and an "Open in Tradewinds" link — for partner sites'
//! iframes. Server-rendered, with the charts interactive like the site's own (the same islands), but a
//! separate small app ([`EmbedApp`], its own [`embed_shell`]) without the site's header, footer or admin
//! links.
//!
//! Own parameters: `theme=light|dark|auto`, `accent=#rrggbb`, `controls=0|1`, `lang=en|zh-Hans` (and on
//! `/embed/home`, `chart=totals|platforms|shares` for one chart). Everything else is explorer state and
//! goes to the explorer's parser untouched.

use crate::chart::bundle::ChartBundle;
use crate::components::chart_figure::ChartFigure;
use crate::components::share_meta::ShareMeta;
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_query_map,
    SsrMode, StaticSegment,
};
use serde::{Deserialize, Serialize};

/// An embed string in `lang`, from the one translation layer.
pub fn text(lang: Lang, key: &str) -> &'static str {
    crate::i18n::t(lang, key)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmbedTheme {
    #[default]
    Light,
    Dark,
    /// The reader's `prefers-color-scheme`.
    Auto,
}

impl EmbedTheme {
    pub const ALL: [EmbedTheme; 3] = [EmbedTheme::Light, EmbedTheme::Dark, EmbedTheme::Auto];

    pub fn key(self) -> &'static str {
        match self {
            EmbedTheme::Light => "light",
            EmbedTheme::Dark => "dark",
            EmbedTheme::Auto => "auto",
        }
    }
}

/// How an embed looks; none of it is chart state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmbedOptions {
    pub theme: EmbedTheme,
    /// Links and focus rings, as `#rrggbb`.
    pub accent: Option<String>,
    /// `controls=0` hides the legend toggles and the figures table.
    pub controls_off: bool,
    pub lang: Lang,
}

/// The embed's own parameter names: split off before the explorer parses the query.
pub const EMBED_KEYS: [&str; 4] = ["theme", "accent", "controls", "lang"];

/// `#abc`, `abc`, `#aabbcc` or `aabbcc` → `#aabbcc`; anything else is not a colour we put into CSS.
pub fn parse_accent(value: &str) -> Option<String> {
    let hex = value.trim().trim_start_matches('#');
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(
            hex.chars()
                .flat_map(|c| [c, c])
                .fold(String::from("#"), |mut s, c| {
                    s.push(c.to_ascii_lowercase());
                    s
                }),
        ),
        _ => None,
    }
}

impl EmbedOptions {
    /// Reads the embed's own parameters (others are ignored here); a message for each unusable one.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (EmbedOptions, Vec<String>) {
        let mut o = EmbedOptions::default();
        let mut problems = Vec::new();
        for (key, value) in pairs {
            match key {
                "theme" => match EmbedTheme::ALL.iter().find(|t| t.key() == value) {
                    Some(t) => o.theme = *t,
                    None => problems.push(format!("theme '{value}' is not light, dark or auto")),
                },
                "accent" if value.is_empty() => {}
                "accent" => match parse_accent(value) {
                    Some(c) => o.accent = Some(c),
                    None => problems.push(format!(
                        "accent '{value}' is not a hex colour like %23c0392b (#c0392b)"
                    )),
                },
                "controls" => match value {
                    "0" => o.controls_off = true,
                    "1" | "" => o.controls_off = false,
                    other => problems.push(format!("controls '{other}' is not 0 or 1")),
                },
                "lang" => match Lang::from_code(value) {
                    Some(l) => o.lang = l,
                    None => problems.push(format!("lang '{value}' is not en or zh-Hans")),
                },
                _ => {}
            }
        }
        (o, problems)
    }

    /// The non-default options as query pairs, for links that keep them.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if self.theme != EmbedTheme::default() {
            pairs.push(("theme", self.theme.key().to_string()));
        }
        if let Some(a) = &self.accent {
            pairs.push(("accent", a.clone()));
        }
        if self.controls_off {
            pairs.push(("controls", "0".to_string()));
        }
        if self.lang != Lang::default() {
            pairs.push(("lang", self.lang.code().to_string()));
        }
        pairs
    }
}

/// Splits a query into the pairs named in `own` and the rest, re-encoded as a query string (no '?').
pub fn split_query(query: &str, own: &[&str]) -> (Vec<(String, String)>, String) {
    let mut mine = Vec::new();
    let mut rest = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
        match own.contains(&k.as_ref()) {
            true => mine.push((k.into_owned(), v.into_owned())),
            false => {
                rest.append_pair(&k, &v);
            }
        }
    }
    (mine, rest.finish())
}

/// What an embed page adds around a chart (title, legend, sources, figures, footer), in CSS pixels at
/// the default text size: for iframe heights where the page cannot report its own.
pub const EMBED_CHROME: u32 = 230;
/// Height for iframes without /embed.js: one chart at the default width with room for a long legend.
pub const EMBED_FIXED_HEIGHT: u32 = 640;

/// The home dashboard's charts by name (`chart=` on /embed/home, `home=` on the image routes).
pub const HOME_CHARTS: [&str; 3] = ["totals", "platforms", "shares"];

/// What an embed shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbedData {
    pub charts: Vec<ChartBundle>,
    pub problems: Vec<String>,
    /// The same view on the site: `/explore?…` or `/`.
    pub open_href: String,
    pub options: EmbedOptions,
}

#[server]
pub async fn load_embed(home: bool, query: String) -> Result<EmbedData, ServerFnError> {
    let store = expect_context::<crate::store::Store>();
    ssr::embed_data(&store, home, &query)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::chart::bundle::ChartBundle;
    use crate::store::{Store, StoreError};

    /// One of the home dashboard's charts by name, or all three.
    pub async fn home_charts(
        store: &Store,
        which: Option<&str>,
    ) -> Result<Vec<ChartBundle>, StoreError> {
        let d = crate::pages::home::ssr::home(store).await?;
        let all = [
            ("totals", d.totals),
            ("platforms", d.platforms),
            ("shares", d.shares),
        ];
        Ok(all
            .into_iter()
            .filter(|(name, _)| which.is_none_or(|w| w == *name))
            .map(|(_, b)| b)
            .collect())
    }

    pub async fn embed_data(
        store: &Store,
        home: bool,
        query: &str,
    ) -> Result<EmbedData, StoreError> {
        let own: Vec<&str> = match home {
            true => EMBED_KEYS.iter().copied().chain(["chart"]).collect(),
            false => EMBED_KEYS.to_vec(),
        };
        let (mine, rest) = split_query(query, &own);
        let (options, mut problems) =
            EmbedOptions::from_pairs(mine.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let mut charts = Vec::new();
        let open_href;
        if home {
            let which = mine
                .iter()
                .find(|(k, _)| k == "chart")
                .map(|(_, v)| v.as_str());
            let which = match which {
                Some(w) if !HOME_CHARTS.contains(&w) => {
                    problems.push(format!("chart '{w}' is not totals, platforms or shares"));
                    None
                }
                w => w,
            };
            charts = home_charts(store, which).await?;
            for unknown in form_urlencoded::parse(rest.as_bytes()) {
                problems.push(format!("unknown parameter '{}'", unknown.0));
            }
            open_href = "/".to_string();
        } else {
            let (_, chart, explore_problems) =
                crate::pages::explore::ssr::chart_for_query(store, &rest).await?;
            problems.extend(explore_problems);
            charts.extend(chart);
            open_href = match rest.is_empty() {
                true => "/explore".to_string(),
                false => format!("/explore?{rest}"),
            };
        }
        for chart in charts.iter_mut() {
            // Legend toggles stay inside the embed: no links to the explorer, no URL rewriting.
            chart.legend_links = vec![None; chart.legend_links.len()];
        }
        Ok(EmbedData {
            charts,
            problems,
            open_href,
            options,
        })
    }
}

/// Posts the page's height to the embedding page on load and whenever it changes, for /embed.js (or
/// any listener) to size the iframe. Plain JavaScript, so it works before and without the wasm.
#[cfg(feature = "ssr")]
const HEIGHT_SCRIPT: &str = "(function(){if(parent===window)return;var last=0;function post(){\
var h=Math.ceil(document.documentElement.getBoundingClientRect().height);\
if(h&&h!==last){last=h;parent.postMessage({type:'tradewinds:height',height:h},'*');}}\
addEventListener('load',post);addEventListener('resize',post);\
if(window.ResizeObserver)new ResizeObserver(post).observe(document.documentElement);})();";

/// The HTML document of an embed: its own `<html>` (language, theme and accent from the query, read on
/// the server — the shell is never hydrated), no site chrome, links opening outside the iframe.
#[cfg(feature = "ssr")]
pub fn embed_shell(options: LeptosOptions) -> impl IntoView {
    use leptos_meta::MetaTags;
    let query = use_context::<axum::http::request::Parts>()
        .and_then(|p| p.uri.query().map(str::to_string))
        .unwrap_or_default();
    let (mine, _) = split_query(&query, &EMBED_KEYS);
    let (o, _) = EmbedOptions::from_pairs(mine.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let style = o.accent.map(|a| format!("--accent: {a}"));
    let color_scheme = match o.theme {
        EmbedTheme::Light => "light",
        EmbedTheme::Dark => "dark",
        EmbedTheme::Auto => "light dark",
    };
    view! {
        <!DOCTYPE html>
        <html lang=o.lang.code() class=format!("embed-root theme-{}", o.theme.key()) style=style>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="robots" content="noindex"/>
                <meta name="color-scheme" content=color_scheme/>
                // Inside a partner's page, every link (sources, "open in Tradewinds") opens a new tab.
                <base target="_blank"/>
                <script inner_html=HEIGHT_SCRIPT></script>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body class="embed-body">
                <EmbedApp/>
            </body>
        </html>
    }
}

#[component]
pub fn EmbedApp() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/tradewinds.css"/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Router>
            <Routes fallback=|| view! { <p>"Not found"</p> }>
                <Route path=StaticSegment("embed") view=|| view! { <EmbedPage home=false/> } ssr=SsrMode::Async/>
                <Route path=(StaticSegment("embed"), StaticSegment("home")) view=|| view! { <EmbedPage home=true/> } ssr=SsrMode::Async/>
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
                    Ok(d) => view! { <EmbedBody data=d home=home/> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EmbedBody(data: EmbedData, home: bool) -> impl IntoView {
    let lang = data.options.lang;
    let title = match (home, data.charts.as_slice()) {
        (false, [one]) => one.title.clone(),
        _ => crate::i18n::t(lang, "home.title").to_string(),
    };
    let share_path = match home {
        true => "/".to_string(),
        false => data.open_href.clone(),
    };
    let ignored = data.problems.join("; ");
    let empty = data.charts.is_empty();
    view! {
        <Title text=format!("{title} · Tradewinds")/>
        <Link rel="canonical" href=data.open_href.clone()/>
        <ShareMeta path=share_path title=title/>
        <div class="embed" class:embed-controls-off=data.options.controls_off>
            {data.charts.into_iter().map(|b| {
                let events = b.events.clone();
                view! {
                    <ChartFigure bundle=b lang=lang controls=!data.options.controls_off zoom=false/>
                    // What the numbered marks on the time axis are, each with its source.
                    {(!events.is_empty()).then(|| view! {
                        <ol class="embed-events">
                            {events.into_iter().map(|e| view! {
                                <li>
                                    {e.title.clone()}" ("{e.dates()}") "
                                    <a href=e.source_url.clone() rel="noopener" title=e.quote.clone()>{e.publisher.clone()}</a>
                                </li>
                            }).collect_view()}
                        </ol>
                    })}
                }
            }).collect_view()}
            {empty.then(|| view! { <p class="embed-empty">{text(lang, "embed.no_chart")}</p> })}
            {(!ignored.is_empty()).then(|| view! {
                <p class="embed-problems">{text(lang, "embed.ignored")}": "{ignored}</p>
            })}
            <p class="embed-footer">
                <a class="embed-open" href=data.open_href target="_blank" rel="noopener">
                    {text(lang, "embed.open")}" ↗"
                </a>
            </p>
        </div>
    }
}
