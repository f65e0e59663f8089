//! The axum application: the Leptos pages and server functions with every route of `routes/`, static
//! files and the layers around them. `router` builds it without binding a port, so tests drive it
//! in-process; `open_and_seed` prepares the database on start.

use crate::app::{embed_shell, shell, App};
use crate::import::ImportError;
use crate::routes::{self, articles, security::SecurityHeaders};
use crate::seed::seed_defaults;
use crate::store::{Store, StoreError};
use axum::routing::get;
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;

pub use crate::routes::AppState;

pub fn router(state: AppState) -> Router {
    let pages = generate_route_list(App);
    let options = state.leptos_options.clone();
    let security = SecurityHeaders::from_config(&state.config);
    // Pages that show the app's own routes at work (the API docs' examples) find the state too.
    let context = {
        let (provide, state) = (state.context(), state.clone());
        move || {
            provide();
            leptos::prelude::provide_context(state.clone());
        }
    };
    Router::new()
        .merge(routes::openapi::router())
        .merge(routes::markets::router())
        .merge(routes::rankings::router())
        .merge(routes::admin::router())
        .merge(routes::images::router())
        .merge(routes::embed::router(&state, embed_shell))
        .route("/oembed", get(routes::oembed::oembed))
        .route("/theme", get(routes::theme::set_theme))
        .route("/lang", get(routes::lang::set_lang))
        .route("/zh/", get(routes::lang::zh_home))
        .route("/sources/articles/", get(articles::article_index))
        .route("/sources/articles/{name}", get(articles::article))
        .route("/v/{version}/pkg/{*file}", get(routes::assets::versioned))
        .route("/pkg/{*file}", get(routes::assets::plain))
        .leptos_routes_with_context(&state, pages, context, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            routes::page_cache::serve,
        ))
        // Outside the page cache: `/` is the English home only for readers who want English.
        .layer(axum::middleware::from_fn(routes::lang::choose_home))
        .layer(CompressionLayer::new())
        .layer(security)
        .with_state(state)
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("seeding the default dataset failed: {0}")]
    Seed(#[from] ImportError),
}

/// Opens the database (creating and migrating it when new) and imports the default dataset if missing.
pub async fn open_and_seed(database_url: &str) -> Result<Store, StartError> {
    let store = Store::open(database_url).await?;
    let started = std::time::Instant::now();
    let summaries = seed_defaults(&store).await?;
    let written = summaries.iter().filter(|s| !s.unchanged).count();
    let (d, s, o) = store.counts().await?;
    tracing::info!(
        "database ready: {d} datasets, {s} series, {o} observations ({written} default files imported in {:.2} s)",
        started.elapsed().as_secs_f64()
    );
    Ok(store)
}
