//! The axum application: the Leptos pages and server functions with every route of `routes/`, static
//! files and the layers around them. `router` builds it without binding a port, so tests drive it
//! in-process; `serve` runs it on a listener (header read timeout, graceful shutdown); `open_and_seed`
//! prepares the database on start.

use crate::app::{embed_shell, shell, App};
use crate::config::Limits;
use crate::import::ImportError;
use crate::routes::limits::{client_address, Guards};
use crate::routes::{self, articles, security::SecurityHeaders};
use crate::seed::seed_defaults;
use crate::store::{Store, StoreError};
use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;
use tower_http::compression::CompressionLayer;

pub use crate::routes::AppState;

/// The pages' routes, listed once per process. Leptos lists them by running the app with resource
/// loading suppressed through a process-wide flag, and a resource that starts loading meanwhile, in a
/// render on another thread, never finishes (leptos issue #4773). Listing them once, before the first
/// router can answer, keeps any later router (tests build many, on parallel threads) from doing it again.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let pages = page_routes();
    let options = state.leptos_options.clone();
    let security = SecurityHeaders::from_config(&state.config);
    let guards = Guards::new(&state.config.limits);
    // Pages that show the app's own routes at work (the API docs' examples) find the state too.
    let context = {
        let (provide, state) = (state.context(), state.clone());
        move || {
            provide();
            leptos::prelude::provide_context(state.clone());
        }
    };
    let app = Router::new()
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
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            state.context(),
            shell,
        ))
        // An import job's page is the admin's (the token or the upload's cookie).
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            routes::admin::job_page_gate,
        ))
        // Behind the page cache: only renders, images and downloads wait for a turn.
        .layer(axum::middleware::from_fn_with_state(
            guards.clone(),
            routes::limits::heavy,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            routes::page_cache::serve,
        ))
        // Outside the page cache: `/` is the English home only for readers who want English.
        .layer(axum::middleware::from_fn(routes::lang::choose_home))
        .layer(CompressionLayer::new())
        .with_state(state);
    routes::limits::outer(app, &guards).layer(security)
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets open requests finish (up to
/// `limits.shutdown_grace`). Unlike `axum::serve`, a client that has not sent its request headers within
/// `limits.read_timeout` is dropped, and each request knows its client's address (`ConnectInfo`, for the
/// per-client rate limit and the logs): the peer's, or behind a trusted proxy the one it forwarded
/// ([`client_address`]).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: &Limits,
    shutdown: impl std::future::Future<Output = ()>,
) {
    use axum::extract::ConnectInfo;
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::service::TowerToHyperService;
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.read_timeout);
    builder.http2().timer(TokioTimer::new());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let trusted: std::sync::Arc<[ipnet::IpNet]> = limits.trusted_proxies.clone().into();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // E.g. out of file descriptors: wait a moment instead of spinning.
                    tracing::warn!("accepting a connection failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        // Responses are often written in more than one piece (headers, then a streamed body): without
        // TCP_NODELAY, Nagle's algorithm holds the second piece for the client's delayed ACK (~40 ms).
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("TCP_NODELAY: {e}");
        }
        let trusted = trusted.clone();
        let service = tower::ServiceExt::map_request(
            app.clone(),
            move |mut req: axum::http::Request<hyper::body::Incoming>| {
                let client = if trusted.is_empty() {
                    peer
                } else {
                    let forwarded: Vec<&str> = req
                        .headers()
                        .get_all("x-forwarded-for")
                        .iter()
                        .filter_map(|v| v.to_str().ok())
                        .collect();
                    SocketAddr::new(client_address(peer.ip(), &forwarded, &trusted), peer.port())
                };
                req.extensions_mut().insert(ConnectInfo(client));
                req.map(axum::body::Body::new)
            },
        );
        let conn = builder
            .serve_connection_with_upgrades(TokioIo::new(tcp), TowerToHyperService::new(service))
            .into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!("connection from {peer}: {e}");
            }
        });
    }
    drop(listener);
    let open = graceful.count();
    if open > 0 {
        tracing::info!("stopping: waiting for {open} open connections to finish");
    }
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "stopping: requests still running after {} s were cut off",
            limits.shutdown_grace.as_secs()
        );
    }
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
        "database ready ({}): {d} datasets, {s} series, {o} observations ({written} default files imported in {:.2} s)",
        store.backend(),
        started.elapsed().as_secs_f64()
    );
    Ok(store)
}
