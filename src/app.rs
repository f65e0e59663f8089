//! The HTML shell and the router shared by server rendering and hydration.

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

/// The prefix of the build's asset URLs (`/v/<build hash>`, see `routes/assets.rs`), provided to
/// server renders; empty where there is none (then the plain `/pkg/…` paths are linked).
#[derive(Clone, Debug, Default)]
pub struct AssetRoot(pub String);

/// The URL of a file of the build, e.g. `asset("tradewinds.css")`.
pub fn asset(file: &str) -> String {
    let root = use_context::<AssetRoot>().unwrap_or_default().0;
    format!("{root}/pkg/{file}")
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The reader's theme cookie decides the class, so the server renders the right colours without JS.
    let theme = crate::theme::current();
    let asset_root = use_context::<AssetRoot>().unwrap_or_default().0;
    view! {
        <!DOCTYPE html>
        <html lang="en" class=theme.html_class()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <meta name="description" content="China's cross-border e-commerce by market, region, platform and category — every number with its source."/>
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

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = Lang::En;
    view! {
        <Stylesheet id="leptos" href=asset("tradewinds.css")/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Title text=t(lang, "app.name")/>
        <Router>
            <header class="site-header">
                <a class="brand" href="/">
                    <span class="brand-name">{t(lang, "app.name")}</span>
                    <span class="brand-tagline">{t(lang, "app.tagline")}</span>
                </a>
                <nav aria-label="Main">
                    <A href="/">{t(lang, "nav.home")}</A>
                    <A href="/markets">{t(lang, "nav.markets")}</A>
                    <A href="/explore">{t(lang, "nav.explore")}</A>
                    <A href="/rankings">{t(lang, "nav.rankings")}</A>
                    <A href="/api">{t(lang, "nav.api")}</A>
                </nav>
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
                </Routes>
            </main>
            // Pages redrawn in place (a live form's choice) announce their new heading here.
            <p id="announce" class="visually-hidden" role="status" aria-live="polite"></p>
            <footer class="site-footer">
                <p>{t(lang, "footer.data")}</p>
                <p><a href="/sources/articles/">{t(lang, "footer.articles")}</a>" · "<a href="/api/v1/datasets">{t(lang, "footer.datasets")}</a>" · "<a href="/admin/import">{t(lang, "footer.import")}</a></p>
            </footer>
        </Router>
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
