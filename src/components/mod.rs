//! Reusable UI pieces.
pub mod chart_figure;
pub mod embed_builder;
pub mod picker;
pub mod share_meta;
pub mod market_ranking;
