//! The HTML shell and the router shared by server rendering and hydration.

use crate::components::{asset, AssetRoot};
use crate::i18n::{t, Lang};
use crate::pages::{
    admin_import::AdminImportPage, api_docs::ApiDocsPage, explore::ExplorePage, home::HomePage,
    markets::MarketsPage, rankings::RankingsPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    SsrMode, StaticSegment,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The reader's theme cookie decides the class, so the server renders the right colours without JS.
    let theme = crate::theme::current();
    let asset_root = use_context::<AssetRoot>().unwrap_or_default().0;
    view! {
        <!DOCTYPE html>
        <html lang=crate::i18n::current().code() class=theme.html_class()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <meta name="description" content=t(crate::i18n::current(), "app.description")/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true root=asset_root/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Posts the page's height to the embedding page on load, whenever it changes and when the embedding
/// page asks (its /embed.js may arrive after this page loaded), for /embed.js (or any listener) to
/// size the iframe. Plain JavaScript, so it works before and without the wasm.
#[cfg(feature = "ssr")]
const HEIGHT_SCRIPT: &str = "(function(){if(parent===window)return;var last=0;function post(){\
var h=Math.ceil(document.documentElement.getBoundingClientRect().height);\
if(h&&h!==last){last=h;parent.postMessage({type:'tradewinds:height',height:h},'*');}}\
addEventListener('load',post);addEventListener('resize',post);\
addEventListener('message',function(e){if(e.source===parent&&e.data&&e.data.type==='tradewinds:ask'){last=0;post();}});\
if(window.ResizeObserver)new ResizeObserver(post).observe(document.documentElement);})();";

/// The HTML document of an embed: its own `<html>` (language, theme and accent from the query, read on
/// the server — the shell is never hydrated), no site chrome, links opening outside the iframe.
#[cfg(feature = "ssr")]
pub fn embed_shell(options: LeptosOptions) -> impl IntoView {
    use crate::explore::embed::{split_query, EmbedOptions, EMBED_KEYS};
    use crate::theme::ThemePref;
    use leptos_meta::MetaTags;
    let query = use_context::<axum::http::request::Parts>()
        .and_then(|p| p.uri.query().map(str::to_string))
        .unwrap_or_default();
    let (mine, _) = split_query(&query, &EMBED_KEYS);
    let (o, _) = EmbedOptions::from_pairs(mine.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let style = o.accent.map(|a| format!("--accent: {a}"));
    let asset_root = use_context::<AssetRoot>().unwrap_or_default().0;
    let color_scheme = match o.theme {
        ThemePref::Light => "light",
        ThemePref::Dark => "dark",
        ThemePref::Auto => "light dark",
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
                <script nonce=leptos::nonce::use_nonce() inner_html=HEIGHT_SCRIPT></script>
                <HydrationScripts options islands=true root=asset_root/>
                <MetaTags/>
            </head>
            <body class="embed-body">
                <crate::pages::embed::EmbedApp/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = crate::i18n::current();
    let page = move |path: &str| lang.page(path);
    view! {
        <Stylesheet id="leptos" href=asset("tradewinds.css")/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Title text=t(lang, "app.name")/>
        <Router>
            <Alternates/>
            <header class="site-header">
                <a class="brand" href=page("/")>
                    <span class="brand-name">{t(lang, "app.name")}</span>
                    <span class="brand-tagline">{t(lang, "app.tagline")}</span>
                </a>
                <nav aria-label=t(lang, "nav.label")>
                    <A href=page("/") exact=true>{t(lang, "nav.home")}</A>
                    <A href=page("/markets")>{t(lang, "nav.markets")}</A>
                    <A href=page("/explore")>{t(lang, "nav.explore")}</A>
                    <A href=page("/rankings")>{t(lang, "nav.rankings")}</A>
                    <A href=page("/api")>{t(lang, "nav.api")}</A>
                </nav>
                <LangSwitch lang=lang/>
                <ThemeSwitch lang=lang/>
            </header>
            <main id="main">
                // Async: the whole page, charts included, arrives as HTML — no JavaScript needed to see it.
                <Routes fallback=move || view! { <h1>{t(lang, "notfound")}</h1> }>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("explore") view=ExplorePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("markets") view=MarketsPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("rankings") view=RankingsPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("import")) view=AdminImportPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("api") view=ApiDocsPage ssr=SsrMode::Async/>
                    // Every page in both languages: `/explore` and `/zh/explore` are the same page.
                    <Route path=StaticSegment("zh") view=HomePage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("zh"), StaticSegment("explore")) view=ExplorePage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("zh"), StaticSegment("markets")) view=MarketsPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("zh"), StaticSegment("rankings")) view=RankingsPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("zh"), StaticSegment("admin"), StaticSegment("import")) view=AdminImportPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("zh"), StaticSegment("api")) view=ApiDocsPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            // Pages redrawn in place (a live form's choice) announce their new heading here.
            <p id="announce" class="visually-hidden" role="status" aria-live="polite"></p>
            <footer class="site-footer">
                <p>{t(lang, "footer.data")}</p>
                <p><a href="/sources/articles/">{t(lang, "footer.articles")}</a>" · "<a href="/api/v1/datasets">{t(lang, "footer.datasets")}</a>" · "<a href=page("/admin/import")>{t(lang, "footer.import")}</a></p>
            </footer>
        </Router>
    }
}

/// The page being shown, in English: its path (without a language prefix) and query.
fn english_address() -> String {
    let location = leptos_router::hooks::use_location();
    let (path, search) = (location.pathname.get_untracked(), location.search.get_untracked());
    let english = crate::i18n::Lang::of_path(&path).1.to_string();
    match search.trim_start_matches('?') {
        "" => english,
        q => format!("{english}?{q}"),
    }
}

/// The same page in every language, for search engines (`hreflang`); English is the default.
#[component]
fn Alternates() -> impl IntoView {
    let here = english_address();
    let origin = crate::components::share_meta::public_origin();
    view! {
        {Lang::ALL.into_iter().map(|l| view! {
            <Link rel="alternate" hreflang=l.code() href=format!("{origin}{}", l.page(&here))/>
        }).collect_view()}
        <Link rel="alternate" hreflang="x-default" href=format!("{origin}{here}")/>
    }
}

/// English / 简体中文: plain links to `/lang`, which remembers the choice and opens the same view in
/// that language.
#[component]
fn LangSwitch(lang: Lang) -> impl IntoView {
    let here = english_address();
    view! {
        <nav class="lang-switch" aria-label=t(lang, "lang.label")>
            {Lang::ALL.into_iter().map(|l| {
                let back = form_urlencoded::byte_serialize(l.page(&here).as_bytes()).collect::<String>();
                view! {
                    <a
                        href=format!("/lang?set={}&back={back}", l.code())
                        hreflang=l.code()
                        lang=l.code()
                        rel="nofollow"
                        aria-current=(l == lang).then_some("true")
                    >{l.name()}</a>
                }
            }).collect_view()}
        </nav>
    }
}

/// Auto / light / dark: plain links to `/theme`, which sets the cookie and comes back here.
#[component]
fn ThemeSwitch(lang: Lang) -> impl IntoView {
    let current = crate::theme::current();
    let location = leptos_router::hooks::use_location();
    let back = move || {
        let (path, search) = (location.pathname.get(), location.search.get());
        let here = if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        };
        form_urlencoded::byte_serialize(here.as_bytes()).collect::<String>()
    };
    view! {
        <nav class="theme-switch" aria-label=t(lang, "theme.label")>
            {crate::theme::ThemePref::ALL.into_iter().map(|pref| {
                let key = pref.key();
                view! {
                    <a
                        href=move || format!("/theme?set={key}&back={}", back())
                        rel="nofollow"
                        aria-current=(pref == current).then_some("true")
                    >{t(lang, &format!("theme.{key}"))}</a>
                }
            }).collect_view()}
        </nav>
    }
}
