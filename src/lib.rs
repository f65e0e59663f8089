#![recursion_limit = "256"]
//! Tradewinds: explore China's cross-border e-commerce by market, region, platform and category.
//!
//! Layers, each importing only from those before it (README, "What is where"; `tests/layers.rs` checks):
//! 1. foundation — `domain` (shared types), `strings`, `i18n`, `events`, `geo`, `config`;
//! 2. data — `transform` (derived numbers), `chart` (one drawing function for SVG and canvas), `theme`,
//!    `store` (sqlx), `import` (files → datasets), `seed` (the default dataset);
//! 3. services — `explore` (URL state, catalogue, state → data → chart, home dashboard, embeds) and
//!    `markets` (the market finder: indicators per category and market, scores, ranks);
//! 4. web — `app` + `pages` + `components` (Leptos UI, rendered on the server, islands hydrated in the
//!    browser) and `routes` (images, oEmbed, embeds, API, admin, theme, articles, security headers);
//! 5. `server` (the axum router), `cli` and `main`.
//!
//! Server-only modules are behind the `ssr` feature.

pub mod app;
pub mod chart;
pub mod components;
pub mod domain;
pub mod events;
pub mod explore;
pub mod i18n;
pub mod markets;
pub mod pages;
pub mod strings;
pub mod theme;
pub mod transform;

#[cfg(feature = "ssr")]
pub mod cli;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod geo;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod labels;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;

/// Browser entry point: hydrates the islands (charts, the explorer's form helpers, uploads, the embed
/// dialog); the rest of every page is server-rendered HTML and needs no wasm.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Panic messages in the console while developing; release builds leave the hook's formatting code
    // out of the wasm (first-visit bytes).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
