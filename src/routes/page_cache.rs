//! Rendered pages, cached: the site's public pages (`/`, `/explore`, `/markets`, the embeds) depend only on their
//! path and query, the reader's theme cookie, the data and the day (citations carry the access date), so
//! a rendered page is kept — bounded in memory — under (path, query, theme, data version, day) and served
//! again without rendering, gzipped once, with a
//! strong ETag (the hash of its bytes) that answers `If-None-Match` with 304. An import changes the data
//! version, so no page outlives the data it shows. The API's answers that are built from the data and
//! the address alone (lists, rankings, the finder) are kept the same way.

use super::http::{accepts_gzip, gzip, hex, not_modified};
use super::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Memory the page cache may hold (bodies and their gzipped copies).
const CACHE_BYTES: u64 = 96 * 1024 * 1024;
/// A page bigger than this is kept out of the cache.
const MAX_KEPT: usize = 4 * 1024 * 1024;
/// Pages are read whole before they are kept; none is near this (requests are capped well below).
const MAX_PAGE: usize = 64 * 1024 * 1024;

/// The pages that are the same for every reader with the same theme. (The admin page follows a job;
/// it is never cached.)
fn cacheable_path(path: &str) -> bool {
    // Pages that show only the data and the address (never an admin's or a visitor's own state).
    const PAGES: [&str; 5] = ["/", "/explore", "/markets", "/rankings", "/api"];
    // API answers of the same kind. Observations stay out: they are cheap by key already, and whole
    // datasets stream (a download must never be read into memory to be kept).
    const API: [&str; 7] = [
        "/api/v1/datasets",
        "/api/v1/series",
        "/api/v1/rankings",
        "/api/v1/rankings.csv",
        "/api/v1/markets",
        "/api/v1/markets.csv",
        "/api/v1/openapi.json",
    ];
    let one_dataset = path
        .strip_prefix("/api/v1/datasets/")
        .is_some_and(|id| !id.is_empty() && !id.contains('/'));
    matches!(path, "/embed" | "/embed/home" | "/embed/markets")
        || PAGES.contains(&crate::i18n::Lang::of_path(path).1)
        || API.contains(&path)
        || one_dataset
}

#[derive(Clone)]
pub struct CachedPage {
    body: Bytes,
    gzip: Bytes,
    /// Hex hash of `body`; the gzipped variant's ETag adds "-gz".
    hash: String,
    /// The answer's own headers (type, cache rules, a download's file name), without those this cache
    /// writes itself.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// The CSP nonce the page was rendered with: its policy must name this one.
    nonce: Option<super::security::CspNonce>,
}

#[derive(Clone)]
pub struct PageWeight;

impl quick_cache::Weighter<String, CachedPage> for PageWeight {
    fn weight(&self, key: &String, page: &CachedPage) -> u64 {
        (key.len() + page.body.len() + page.gzip.len() + 128) as u64
    }
}

/// The cache, shared by every request of one app.
pub type PageCache = Arc<quick_cache::sync::Cache<String, CachedPage, PageWeight>>;

pub fn new_cache() -> PageCache {
    Arc::new(quick_cache::sync::Cache::with_weighter(
        4096,
        CACHE_BYTES,
        PageWeight,
    ))
}

/// The theme a page is rendered in: the cookie (embeds get theirs from the query, which is in the key).
fn theme_of(req: &Request) -> &'static str {
    let cookie = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(";");
    crate::theme::ThemePref::from_cookie_header(&cookie).key()
}

/// The middleware: answers cacheable GETs from the cache, or renders, keeps and answers.
pub async fn serve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if req.method() != Method::GET || !cacheable_path(path) || !state.config.page_cache {
        return next.run(req).await;
    }
    let version = match state.explorer.data_version().await {
        Ok(v) => v,
        Err(e) => return super::http::store_failed("page", e),
    };
    // The day is part of the key (the explorer's citation says when the page was accessed), and so is
    // the origin pages write into their share tags and snippets: without TRADEWINDS_PUBLIC_URL it comes
    // from the request's Host, and one visitor's Host must never reach another's page.
    // An API answer has no theme: one entry for every reader.
    let api = path.starts_with("/api/v1/");
    let key = format!(
        "{path}\n{}\n{}\n{version}\n{}\n{}",
        req.uri().query().unwrap_or(""),
        if api { "" } else { theme_of(&req) },
        crate::chart::export::today_utc(),
        state.config.public_origin(Some(req.headers())),
    );
    let headers = req.headers().clone();
    // One render per missing page: requests for the same page meanwhile wait for it (a cold page
    // under load is rendered once, not once per request). If the render cannot be kept, the next
    // waiter renders.
    let page = match state.pages.get_value_or_guard_async(&key).await {
        Ok(page) => page,
        Err(guard) => {
            let nonce = req.extensions().get::<super::security::CspNonce>().cloned();
            let res = next.run(req).await;
            match keep(res, nonce).await {
                Ok(page) => {
                    let _ = guard.insert(page.clone());
                    page
                }
                // Errors, redirects and oversized pages go out as they are, uncached.
                Err(res) => return res,
            }
        }
    };
    let etag = format!("\"{}\"", page.hash);
    let gz_etag = format!("\"{}-gz\"", page.hash);
    let gzipped = accepts_gzip(&headers);
    let mut res = Response::builder()
        .header(header::ETAG, if gzipped { &gz_etag } else { &etag })
        .header(header::VARY, if api { "accept-encoding" } else { "accept-encoding, cookie" });
    if let Some(nonce) = &page.nonce {
        res = res.extension(nonce.clone());
    }
    if not_modified(&headers, &[&etag, &gz_etag]) {
        if let Some((_, cc)) = page.headers.iter().find(|(name, _)| name == header::CACHE_CONTROL) {
            res = res.header(header::CACHE_CONTROL, cc);
        }
        return res
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .unwrap_or_default();
    }
    for (name, value) in &page.headers {
        res = res.header(name, value);
    }
    let body = if gzipped {
        res = res.header(header::CONTENT_ENCODING, "gzip");
        page.gzip.clone()
    } else {
        page.body.clone()
    };
    res.body(Body::from(body)).unwrap_or_default()
}

/// The hash of a page's content. Every render has its own CSP nonce on its script tags; it is left
/// out, so a page that renders the same after an import keeps its ETag and browsers' copies stay valid
/// (a 304 carries no policy, so the browser's copy keeps the policy with its own nonce).
fn content_hash(body: &[u8]) -> String {
    let nonce = body
        .windows(7)
        .position(|w| w == b"nonce=\"")
        .map(|i| i + 7)
        .and_then(|start| {
            let len = body[start..].iter().position(|&b| b == b'"')?;
            Some(&body[start..start + len])
        })
        .filter(|n| !n.is_empty());
    let mut h = Sha256::new();
    match nonce {
        None => h.update(body),
        Some(nonce) => {
            let mut rest = body;
            while let Some(i) = rest.windows(nonce.len()).position(|w| w == nonce) {
                h.update(&rest[..i]);
                rest = &rest[i + nonce.len()..];
            }
            h.update(rest);
        }
    }
    hex(&h.finalize()[..16])
}

/// A rendered page worth keeping: a 200 with a body, no cookie set, not too big.
async fn keep(
    res: Response,
    nonce: Option<super::security::CspNonce>,
) -> Result<CachedPage, Response> {
    let keepable = res.status() == StatusCode::OK
        && !res.headers().contains_key(header::SET_COOKIE)
        && !res.headers().contains_key(header::CONTENT_ENCODING);
    if !keepable {
        return Err(res);
    }
    let (parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, MAX_PAGE).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!("page too big to cache or unreadable: {e}");
            return Err(super::http::plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be rendered; please try again later.",
            ));
        }
    };
    if body.len() > MAX_KEPT {
        return Err(Response::from_parts(parts, Body::from(body)));
    }
    let gz = match gzip(&body) {
        Ok(g) => Bytes::from(g),
        Err(_) => {
            return Err(Response::from_parts(parts, Body::from(body)));
        }
    };
    let own = [header::CONTENT_LENGTH, header::TRANSFER_ENCODING, header::ETAG, header::VARY];
    let mut headers: Vec<(HeaderName, HeaderValue)> = parts
        .headers
        .iter()
        .filter(|(name, _)| !own.contains(name))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    if !parts.headers.contains_key(header::CONTENT_TYPE) {
        headers.push((header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")));
    }
    Ok(CachedPage {
        hash: content_hash(&body),
        headers,
        nonce,
        body,
        gzip: gz,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_render_nonce_does_not_change_the_tag() {
        let a = br#"<link crossorigin="abc123"><script nonce="abc123">x</script>"#;
        let b = br#"<link crossorigin="zz9"><script nonce="zz9">x</script>"#;
        let c = br#"<link crossorigin="zz9"><script nonce="zz9">y</script>"#;
        assert_eq!(content_hash(a), content_hash(b));
        assert_ne!(content_hash(b), content_hash(c));
        assert_ne!(content_hash(b"plain"), content_hash(b"plain!"));
    }
}
