#![recursion_limit = "256"]
//! Tradewinds: explore China's cross-border e-commerce by market, region, platform and category.
//!
//! Layout: `domain` (shared types), `transform` (derived numbers), `chart` (one drawing function for SVG
//! and canvas), `i18n` (every user-facing string), `app` + `pages` + `components` (Leptos UI, rendered on
//! the server and hydrated in the browser), and behind the `ssr` feature `store` (sqlx), `import`
//! (files → datasets), `seed` (the default dataset), `api` (JSON/CSV) and `server` (the axum router).

pub mod app;
pub mod chart;
pub mod components;
pub mod domain;
pub mod events;
pub mod i18n;
pub mod pages;
pub mod theme;
pub mod transform;

#[cfg(feature = "ssr")]
pub mod admin;
#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod cli;
#[cfg(feature = "ssr")]
pub mod embed;
#[cfg(feature = "ssr")]
pub mod geo;
#[cfg(feature = "ssr")]
pub mod import;
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
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
