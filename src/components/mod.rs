//! Reusable UI pieces.
pub mod chart_figure;
pub mod embed_builder;
pub mod picker;
pub mod share_meta;
pub mod source_text;
pub mod market_ranking;

use leptos::prelude::use_context;

/// The prefix of the build's asset URLs (`/v/<build hash>`, see `routes/assets.rs`), provided to
/// server renders; empty where there is none (then the plain `/pkg/…` paths are linked).
#[derive(Clone, Debug, Default)]
pub struct AssetRoot(pub String);

/// The URL of a file of the build, e.g. `asset("tradewinds.css")`.
pub fn asset(file: &str) -> String {
    let root = use_context::<AssetRoot>().unwrap_or_default().0;
    format!("{root}/pkg/{file}")
}
