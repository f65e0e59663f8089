//! Tradewinds: explore China's cross-border e-commerce by market, region, platform and category.
//!
//! Layout: `domain` (shared types), `transform` (derived numbers), `chart` (one drawing function for SVG
//! and canvas), `i18n` (every user-facing string), `app` + `pages` + `components` (Leptos UI, rendered on
//! the server and hydrated in the browser), and behind the `ssr` feature `store` (sqlx), `import`
//! (files → datasets), `api` (JSON/CSV) and `server` (the axum router).

pub mod chart;
pub mod domain;
pub mod transform;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;
