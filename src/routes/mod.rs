//! The web's HTTP handlers, one module per job: chart images, oEmbed, the embed pages' routes, the
//! JSON/CSV API (with its OpenAPI description and series index), admin uploads, the theme and language switches, the founding articles, the browser assets, and the
//! layers around them: rendered-page cache and security headers.
//! The Leptos pages are in `pages/`; `server.rs` puts both into one router.

pub mod admin;
pub mod api;
pub mod articles;
pub mod assets;
pub mod downloads;
pub mod embed;
pub mod http;
pub mod images;
pub mod lang;
pub mod limits;
pub mod markets;
pub mod oembed;
pub mod openapi;
pub mod page_cache;
pub mod rankings;
pub mod security;
mod series_index;
mod state;
pub mod theme;

pub use state::AppState;
