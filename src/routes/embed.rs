//! The embed pages' routes (`/embed`, `/embed/home`; the pages themselves, and the document shell the
//! server passes in, are in `pages/embed.rs`) and the iframe resizer script `/embed.js`.

use super::AppState;
use crate::explore::embed::split_query;
use axum::body::Body;
use axum::http::header::{self, HeaderValue};
use axum::http::{Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use leptos::prelude::{IntoView, LeptosOptions};

/// How long browsers and CDNs may keep an embed page before asking again.
const PAGE_MAX_AGE: &str = "public, max-age=300";

/// `shell` renders an embed's whole HTML document (routes sit beside the pages, so the server hands it in).
pub fn router<V>(state: &AppState, shell: fn(LeptosOptions) -> V) -> Router<AppState>
where
    V: IntoView + 'static,
{
    let context = state.context();
    let options = state.leptos_options.clone();
    let page =
        leptos_axum::render_app_async_with_context(context, move || shell(options.clone()));
    let page = move |mut req: Request<Body>| {
        let page = page.clone();
        // An embed depends on its URL alone, so CDNs may share it and blocked third-party cookies
        // change nothing: the reader's cookies are dropped and the page's theme is passed the way
        // the site's own pages receive it.
        let theme = split_query(req.uri().query().unwrap_or(""), &["theme"]).0;
        let headers = req.headers_mut();
        headers.remove(header::COOKIE);
        if let Some((_, t @ ("light" | "dark"))) = theme.last().map(|(k, v)| (k, v.as_str())) {
            if let Ok(v) = HeaderValue::from_str(&format!("theme={t}")) {
                headers.insert(header::COOKIE, v);
            }
        }
        async move {
            let mut res = page(req).await;
            if res.status() == StatusCode::OK {
                res.headers_mut().insert(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static(PAGE_MAX_AGE),
                );
            }
            res
        }
    };
    Router::new()
        .route("/embed.js", get(embed_js))
        .route("/embed", get(page.clone()))
        .route("/embed/home", get(page.clone()))
        .route("/embed/markets", get(page))
}

/// Sizes `<iframe data-tradewinds>` elements to the height their embed reports. Checks that a message
/// comes from that very iframe (its window and origin), so no other frame can resize it. Frames that
/// loaded before the script are asked to report again.
const EMBED_JS: &str = r#"(function () {
  if (window.__tradewindsEmbed) return;
  window.__tradewindsEmbed = true;
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || data.type !== 'tradewinds:height' || typeof data.height !== 'number') return;
    var frames = document.querySelectorAll('iframe[data-tradewinds]');
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      try { if (new URL(frame.src, location.href).origin !== event.origin) continue; } catch (e) { continue; }
      frame.style.height = Math.max(100, Math.min(Math.ceil(data.height), 20000)) + 'px';
    }
  });
  // Loaded after its iframes (the snippet's script is async): ask them for their height again.
  var loaded = document.querySelectorAll('iframe[data-tradewinds]');
  for (var j = 0; j < loaded.length; j++) {
    try { loaded[j].contentWindow.postMessage({ type: 'tradewinds:ask' }, new URL(loaded[j].src, location.href).origin); } catch (e) {}
  }
})();
"#;

async fn embed_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (
                header::CACHE_CONTROL,
                "public, max-age=86400, stale-while-revalidate=604800",
            ),
        ],
        EMBED_JS,
    )
}

