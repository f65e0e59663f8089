//! Reusable UI pieces.
pub mod chart_figure;
