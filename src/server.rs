//! The axum application: Leptos pages and server functions, the JSON/CSV API, the stored source articles
//! and static files. `router` builds it without binding a port, so tests drive it in-process.

use crate::app::{shell, App};
use crate::import::ImportError;
use crate::seed::seed_defaults;
use crate::store::{Store, StoreError};
use axum::extract::{FromRef, Path};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub jobs: crate::admin::Jobs,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, store: Store) -> AppState {
        AppState {
            leptos_options,
            store,
            jobs: Default::default(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The founding articles the seed figures were quoted from, served so every such figure has a link.
const ARTICLES: [(&str, &str); 5] = [
    (
        "000_3915ffba42cf580f.txt",
        include_str!("../data/articles/000_3915ffba42cf580f.txt"),
    ),
    (
        "001_66d3e9564b6bd9c5.txt",
        include_str!("../data/articles/001_66d3e9564b6bd9c5.txt"),
    ),
    (
        "002_d33dee5e12d0e6ae.txt",
        include_str!("../data/articles/002_d33dee5e12d0e6ae.txt"),
    ),
    (
        "003_eb5720a4825105f9.txt",
        include_str!("../data/articles/003_eb5720a4825105f9.txt"),
    ),
    (
        "004_263a283e39758018.txt",
        include_str!("../data/articles/004_263a283e39758018.txt"),
    ),
];

async fn article(Path(name): Path<String>) -> Response {
    match ARTICLES.iter().find(|(n, _)| *n == name) {
        Some((_, text)) => {
            ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], *text).into_response()
        }
        None => (StatusCode::NOT_FOUND, "No such article.").into_response(),
    }
}

async fn article_index() -> Html<String> {
    let items: String = ARTICLES
        .iter()
        .map(|(name, text)| {
            let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or(name);
            let title: String = first_line.chars().take(140).collect();
            let title = title.replace('&', "&amp;").replace('<', "&lt;");
            format!("<li><a href=\"/sources/articles/{name}\">{title}</a></li>")
        })
        .collect();
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>Founding articles · Tradewinds</title>\
         <h1>Founding articles</h1><p>The news articles Tradewinds' seed figures were quoted from, as plain text.</p><ul>{items}</ul></html>"
    ))
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let (store, jobs) = (state.store.clone(), state.jobs.clone());
    let options = state.leptos_options.clone();
    let context = move || {
        provide_context(store.clone());
        provide_context(jobs.clone());
    };
    Router::new()
        .merge(crate::api::router())
        .merge(crate::admin::router())
        .merge(crate::embed::router(&state))
        .route("/theme", get(crate::theme::set_theme))
        .route("/sources/articles/", get(article_index))
        .route("/sources/articles/{name}", get(article))
        .leptos_routes_with_context(&state, routes, context, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(CompressionLayer::new())
        .layer(crate::embed::SecurityHeaders::from_env())
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
