//! Embedding on partner sites, server side: static chart images (`/chart.svg`, `/chart.png`), oEmbed
//! (`/oembed`), the iframe resizer script (`/embed.js`), the routes of the embed pages (`/embed`,
//! `/embed/home`; the pages are in `pages/embed.rs`) and the framing and security headers of every
//! response ([`SecurityHeaders`]).
//!
//! Images are cached in memory, keyed by everything that shapes them: format, size, theme, the explorer
//! query, the data's version (the content hashes of the imported datasets) and the day, which is printed
//! in the image. The ETag is the hash of the image's bytes, so it is strong in the strict sense, and a
//! cached image answers `If-None-Match` without being drawn again.

use crate::chart::bundle::ChartBundle;
use crate::chart::export::{natural_height, png, standalone_svg, today_utc};
use crate::chart::Theme;
use crate::pages::embed::{embed_shell, split_query, EMBED_CHROME, EMBED_KEYS, HOME_CHARTS};
use crate::server::AppState;
use crate::store::{Store, StoreError};
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::{Request, Response, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use leptos::prelude::provide_context;
use sha2::{Digest, Sha256};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// How long browsers and CDNs may keep an image or an embed page before asking again (with the ETag).
const IMAGE_MAX_AGE: &str = "public, max-age=3600";
const PAGE_MAX_AGE: &str = "public, max-age=300";
/// Width of images and embeds when none is asked for: the charts' own logical width.
const DEFAULT_WIDTH: u32 = 720;
pub const WIDTH_RANGE: (u32, u32) = (200, 2000);
pub const HEIGHT_RANGE: (u32, u32) = (150, 2000);
/// Memory the image cache may hold.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;
pub fn router(state: &AppState) -> Router<AppState> {
    let cache: ImageCache = Arc::new(quick_cache::sync::Cache::with_weighter(
        512,
        CACHE_BYTES,
        ImageWeight,
    ));
    let svg_cache = cache.clone();
    let store = state.store.clone();
    let options = state.leptos_options.clone();
    let page = leptos_axum::render_app_async_with_context(
        move || provide_context(store.clone()),
        move || embed_shell(options.clone()),
    );
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
        .route(
            "/chart.svg",
            get(move |s, h, q| image(s, h, q, svg_cache.clone(), Format::Svg)),
        )
        .route(
            "/chart.png",
            get(move |s, h, q| image(s, h, q, cache.clone(), Format::Png)),
        )
        .route("/oembed", get(oembed))
        .route("/embed.js", get(embed_js))
        .route("/embed", get(page.clone()))
        .route("/embed/home", get(page))
}

// ---- Static images ----------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Svg,
    Png,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Svg => "image/svg+xml",
            Format::Png => "image/png",
        }
    }
}

/// The image's own parameters; the rest of the query is the explorer's.
const IMAGE_KEYS: [&str; 5] = ["width", "height", "theme", "download", "home"];

#[derive(Debug)]
struct ImageParams {
    width: Option<u32>,
    height: Option<u32>,
    dark: bool,
    download: bool,
    /// A home-page chart instead of an explorer state.
    home: Option<String>,
    explore_query: String,
}

fn parse_size(key: &str, value: &str, (min, max): (u32, u32)) -> Result<u32, String> {
    match value.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!(
            "{key} must be a whole number of pixels from {min} to {max}, e.g. {key}={} (got '{value}')",
            (min + max) / 4
        )),
    }
}

fn image_params(query: &str) -> Result<ImageParams, String> {
    let (mine, explore_query) = split_query(query, &IMAGE_KEYS);
    let mut p = ImageParams {
        width: None,
        height: None,
        dark: false,
        download: false,
        home: None,
        explore_query,
    };
    for (key, value) in &mine {
        match key.as_str() {
            "width" => p.width = Some(parse_size("width", value, WIDTH_RANGE)?),
            "height" => p.height = Some(parse_size("height", value, HEIGHT_RANGE)?),
            "theme" => {
                p.dark = match value.as_str() {
                    "light" | "" => false,
                    "dark" => true,
                    other => return Err(format!("theme must be light or dark (got '{other}')")),
                }
            }
            "download" => {
                p.download = match value.as_str() {
                    "1" | "true" => true,
                    "0" | "false" | "" => false,
                    other => return Err(format!("download must be 0 or 1 (got '{other}')")),
                }
            }
            _ => match HOME_CHARTS.contains(&value.as_str()) {
                true => p.home = Some(value.clone()),
                false => {
                    return Err(format!(
                        "home must be one of {} (got '{value}')",
                        HOME_CHARTS.join(", ")
                    ))
                }
            },
        }
    }
    if p.home.is_some() && !p.explore_query.is_empty() {
        return Err("home= draws a chart of the home page and takes no explorer parameters".into());
    }
    Ok(p)
}

#[derive(Clone)]
struct Image {
    body: Bytes,
    /// The SVG gzipped once, so cached SVGs are not compressed again for every request.
    gzip: Option<Bytes>,
    /// Hex hash of `body`; the gzipped variant's ETag adds "-gz".
    hash: String,
    filename: String,
}

#[derive(Clone)]
struct ImageWeight;

impl quick_cache::Weighter<String, Image> for ImageWeight {
    fn weight(&self, key: &String, image: &Image) -> u64 {
        (key.len() + image.body.len() + image.gzip.as_ref().map_or(0, |g| g.len()) + 64) as u64
    }
}

type ImageCache = Arc<quick_cache::sync::Cache<String, Image, ImageWeight>>;

enum ImageError {
    /// The request cannot be drawn; the message says why.
    Bad(String),
    Store(StoreError),
    Draw(String),
}

impl IntoResponse for ImageError {
    fn into_response(self) -> axum::response::Response {
        let (status, message) = match self {
            ImageError::Bad(m) => (
                StatusCode::BAD_REQUEST,
                format!("Cannot draw this chart: {m}.\n"),
            ),
            ImageError::Store(e) => {
                tracing::error!("chart image: {e}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "The data could not be read; please try again later.\n".to_string(),
                )
            }
            ImageError::Draw(e) => {
                tracing::error!("chart image: {e}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "The chart could not be drawn.\n".to_string(),
                )
            }
        };
        (
            status,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            message,
        )
            .into_response()
    }
}

/// The data's version: changes whenever a dataset is imported with different content (by the web
/// admin or the CLI, which writes the same database from another process).
async fn data_version(store: &Store) -> Result<String, StoreError> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT id, content_hash FROM datasets ORDER BY id")
            .fetch_all(store.pool())
            .await?;
    let mut h = Sha256::new();
    for (id, hash) in rows {
        h.update(id.as_bytes());
        h.update([0]);
        h.update(hash.unwrap_or_default().as_bytes());
        h.update([0]);
    }
    Ok(hex(&h.finalize()[..8]))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// "Temu · GMV" → "temu-gmv", for download file names.
fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s: String = s.trim_end_matches('-').chars().take(60).collect();
    match s.trim_end_matches('-') {
        "" => "chart".to_string(),
        s => s.to_string(),
    }
}

/// The chart an image request asks for.
async fn image_bundle(store: &Store, p: &ImageParams) -> Result<ChartBundle, ImageError> {
    if let Some(name) = &p.home {
        let charts = crate::pages::embed::ssr::home_charts(store, Some(name))
            .await
            .map_err(ImageError::Store)?;
        return charts
            .into_iter()
            .next()
            .ok_or_else(|| ImageError::Bad(format!("the home page has no '{name}' chart")));
    }
    let (_, chart, problems) = crate::pages::explore::ssr::chart_for_query(store, &p.explore_query)
        .await
        .map_err(ImageError::Store)?;
    if !problems.is_empty() {
        return Err(ImageError::Bad(problems.join("; ")));
    }
    chart.ok_or_else(|| {
        ImageError::Bad(
            "no series chosen; add s=ID[,ID…] (ids are in the explorer's links and /api/v1/series)"
                .into(),
        )
    })
}

async fn draw_image(
    store: &Store,
    p: &ImageParams,
    format: Format,
    date: String,
) -> Result<Image, ImageError> {
    let bundle = image_bundle(store, p).await?;
    if bundle.spec.is_empty() {
        return Err(ImageError::Bad(
            "the chosen series have no figures in this period".into(),
        ));
    }
    let width = p.width.unwrap_or(DEFAULT_WIDTH);
    let height = p
        .height
        .unwrap_or_else(|| natural_height(&bundle, width).clamp(HEIGHT_RANGE.0, HEIGHT_RANGE.1));
    let theme = if p.dark { Theme::DARK } else { Theme::LIGHT };
    let filename = format!("tradewinds-{}.{}", slug(&bundle.title), format.ext());
    // Drawing (and rasterising above all) is CPU work: keep it off the async workers.
    tokio::task::spawn_blocking(move || {
        let svg = standalone_svg(&bundle, width, height, &theme, &date);
        let (body, gzip) = match format {
            Format::Svg => {
                let gz = gzip(svg.as_bytes()).map_err(|e| ImageError::Draw(e.to_string()))?;
                (Bytes::from(svg), Some(Bytes::from(gz)))
            }
            Format::Png => (Bytes::from(png(&svg).map_err(ImageError::Draw)?), None),
        };
        let hash = hex(&Sha256::digest(&body)[..16]);
        Ok(Image {
            body,
            gzip,
            hash,
            filename,
        })
    })
    .await
    .map_err(|e| ImageError::Draw(e.to_string()))?
}

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes)?;
    enc.finish()
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| {
            let mut it = part.split(';').map(str::trim);
            let coding = it.next().unwrap_or("");
            let refused = it.any(|p| p.replace(' ', "") == "q=0" || p.starts_with("q=0.0"));
            (coding == "gzip" || coding == "*") && !refused
        })
}

/// Whether `If-None-Match` names one of `etags` (weak comparison, as RFC 9110 asks for this header).
fn not_modified(headers: &HeaderMap, etags: &[&str]) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || etags.contains(&t))
}

async fn image(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    cache: ImageCache,
    format: Format,
) -> axum::response::Response {
    let query = query.unwrap_or_default();
    let p = match image_params(&query) {
        Ok(p) => p,
        Err(m) => return ImageError::Bad(m).into_response(),
    };
    let version = match data_version(&app.store).await {
        Ok(v) => v,
        Err(e) => return ImageError::Store(e).into_response(),
    };
    let date = today_utc();
    let key = format!(
        "{}|{:?}|{:?}|{}|{:?}|{date}|{version}|{}",
        format.ext(),
        p.width,
        p.height,
        p.dark,
        p.home,
        p.explore_query
    );
    let image = match cache
        .get_or_insert_async(&key, draw_image(&app.store, &p, format, date))
        .await
    {
        Ok(image) => image,
        Err(e) => return e.into_response(),
    };

    let etag = format!("\"{}\"", image.hash);
    let gz_etag = format!("\"{}-gz\"", image.hash);
    let gzipped = image.gzip.as_ref().filter(|_| accepts_gzip(&headers));
    let mut res = Response::builder()
        .header(header::CACHE_CONTROL, IMAGE_MAX_AGE)
        .header(
            header::ETAG,
            if gzipped.is_some() { &gz_etag } else { &etag },
        );
    if format == Format::Svg {
        res = res.header(header::VARY, "accept-encoding");
    }
    if not_modified(&headers, &[&etag, &gz_etag]) {
        return res
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .unwrap_or_default();
    }
    res = res.header(header::CONTENT_TYPE, format.content_type());
    if p.download {
        res = res.header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", image.filename),
        );
    }
    let body = match gzipped {
        Some(gz) => {
            res = res.header(header::CONTENT_ENCODING, "gzip");
            gz.clone()
        }
        None => image.body.clone(),
    };
    res.body(Body::from(body)).unwrap_or_default()
}

// ---- oEmbed and the resizer script ------------------------------------------------------------------

/// The site's public origin for absolute URLs: `TRADEWINDS_PUBLIC_URL` if set, else the request's
/// `Host` (with `X-Forwarded-Proto: https` from a TLS proxy), else localhost.
pub fn public_origin(headers: Option<&HeaderMap>) -> String {
    if let Ok(url) = std::env::var("TRADEWINDS_PUBLIC_URL") {
        let url = url.trim().trim_end_matches('/');
        if url.starts_with("http://") || url.starts_with("https://") {
            return url.to_string();
        }
    }
    let value = |name: HeaderName| {
        headers
            .and_then(|h| h.get(name))
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let host = value(header::HOST).filter(|h| {
        !h.is_empty()
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
    });
    let scheme = match value(HeaderName::from_static("x-forwarded-proto")) {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{}", host.unwrap_or("localhost"))
}

/// What an oEmbed URL points at, if it is one of this site's charts.
enum Target {
    Home,
    /// The explorer query (without embed options).
    Explore(String),
}

fn target_of(url: &str, origin: &str) -> Option<Target> {
    let host_of = |u: &str| -> Option<String> {
        let rest = u
            .strip_prefix("https://")
            .or_else(|| u.strip_prefix("http://"))?;
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        Some(rest[..end].to_ascii_lowercase())
    };
    if host_of(url)? != host_of(origin)? {
        return None;
    }
    let rest = url.split_once("://")?.1;
    let rest = rest.split('#').next().unwrap_or(rest);
    let path_and_query = rest.find(['/', '?']).map_or("/", |i| &rest[i..]);
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    match path.trim_end_matches('/') {
        "" | "/embed/home" => Some(Target::Home),
        "/explore" | "/embed" => Some(Target::Explore(split_query(query, &EMBED_KEYS).1)),
        _ => None,
    }
}

fn html_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Height of an embed page showing `charts` at `width` CSS pixels.
fn embed_height(charts: &[ChartBundle], width: u32) -> u32 {
    charts
        .iter()
        .map(|b| {
            let chart = (width.saturating_sub(32)) as u64 * b.spec.height as u64
                / b.spec.width.max(1) as u64;
            // Each numbered event is listed under its chart, one line each at most widths.
            chart as u32 + EMBED_CHROME + 22 * b.events.len() as u32
        })
        .sum::<u32>()
        + 40
}

fn oembed_error(status: StatusCode, message: &str) -> axum::response::Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{message}\n"),
    )
        .into_response()
}

/// oEmbed 1.0 provider (https://oembed.com): `type: rich`, an iframe of the matching embed page.
async fn oembed(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> axum::response::Response {
    let query = query.unwrap_or_default();
    let (mut url, mut max_w, mut max_h) = (None, None, None);
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        let bound = |v: &str| v.trim().parse::<u32>().ok().filter(|n| *n > 0);
        match k.as_ref() {
            "url" => url = Some(v.into_owned()),
            "format" if v == "json" || v.is_empty() => {}
            "format" => {
                return oembed_error(StatusCode::NOT_IMPLEMENTED, "Only format=json is offered.")
            }
            "maxwidth" | "maxheight" => match bound(&v) {
                Some(n) if k == "maxwidth" => max_w = Some(n),
                Some(n) => max_h = Some(n),
                None => {
                    return oembed_error(
                        StatusCode::BAD_REQUEST,
                        &format!("{k} must be a positive whole number of pixels (got '{v}')"),
                    )
                }
            },
            _ => {}
        }
    }
    let Some(url) = url else {
        return oembed_error(
            StatusCode::BAD_REQUEST,
            "Give the page to embed as url=…, e.g. /oembed?url=https://…/explore?s=ID",
        );
    };
    let origin = public_origin(Some(&headers));
    let not_ours = || {
        oembed_error(
            StatusCode::NOT_FOUND,
            "Only this site's home page and explorer charts can be embedded.",
        )
    };
    let Some(target) = target_of(&url, &origin) else {
        return not_ours();
    };
    let (charts, title, embed_path, image_query) = match target {
        Target::Home => match crate::pages::embed::ssr::home_charts(&app.store, None).await {
            Ok(charts) => (
                charts,
                crate::i18n::t(crate::i18n::Lang::En, "home.title").to_string(),
                "/embed/home".to_string(),
                "home=totals".to_string(),
            ),
            Err(e) => return ImageError::Store(e).into_response(),
        },
        Target::Explore(q) => {
            match crate::pages::explore::ssr::chart_for_query(&app.store, &q).await {
                Ok((_, Some(chart), _)) => {
                    let title = chart.title.clone();
                    let path = match q.is_empty() {
                        true => "/embed".to_string(),
                        false => format!("/embed?{q}"),
                    };
                    (vec![chart], title, path, q)
                }
                Ok((_, None, _)) => {
                    return oembed_error(
                        StatusCode::NOT_FOUND,
                        "This explorer link shows no chart: pick series first.",
                    )
                }
                Err(e) => return ImageError::Store(e).into_response(),
            }
        }
    };

    // The embed is responsive: it takes the width it is given, and its height follows from that.
    let width = max_w.map_or(DEFAULT_WIDTH, |m| m.min(DEFAULT_WIDTH));
    let height = max_h.map_or(embed_height(&charts, width), |m| {
        m.min(embed_height(&charts, width))
    });
    let html = format!(
        "<iframe src=\"{origin}{}\" title=\"{}\" width=\"{width}\" height=\"{height}\" loading=\"lazy\" \
         style=\"border:0;width:100%;max-width:{width}px\" data-tradewinds></iframe>\
         <script async src=\"{origin}/embed.js\"></script>",
        html_attr(&embed_path),
        html_attr(&title)
    );
    let mut body = serde_json::json!({
        "version": "1.0",
        "type": "rich",
        "provider_name": "Tradewinds",
        "provider_url": format!("{origin}/"),
        "title": title,
        "html": html,
        "width": width,
        "height": height,
        "cache_age": 3600,
    });
    // The thumbnail keeps within maxwidth/maxheight too, at the chart's shape; none if that is too small.
    let tw = max_w.map_or(DEFAULT_WIDTH, |m| m.min(DEFAULT_WIDTH));
    let natural = charts
        .first()
        .map_or(400, |c| natural_height(c, DEFAULT_WIDTH));
    let th = (natural as u64 * tw as u64 / DEFAULT_WIDTH as u64) as u32;
    let (tw, th) = match max_h {
        Some(m) if th > m => ((tw as u64 * m as u64 / th as u64) as u32, m),
        _ => (tw, th),
    };
    if tw >= WIDTH_RANGE.0 && (HEIGHT_RANGE.0..=HEIGHT_RANGE.1).contains(&th) {
        let sep = if image_query.is_empty() { "" } else { "&" };
        body["thumbnail_url"] =
            format!("{origin}/chart.png?{image_query}{sep}width={tw}&height={th}").into();
        body["thumbnail_width"] = tw.into();
        body["thumbnail_height"] = th.into();
    }
    (
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (header::CACHE_CONTROL, IMAGE_MAX_AGE),
        ],
        body.to_string(),
    )
        .into_response()
}

/// Sizes `<iframe data-tradewinds>` elements to the height their embed reports. Checks that a message
/// comes from that very iframe (its window and origin), so no other frame can resize it.
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

// ---- Security headers -------------------------------------------------------------------------------

fn is_embed_path(path: &str) -> bool {
    path == "/embed" || path.starts_with("/embed/")
}

/// A tower layer setting framing and security headers on every response: `/embed` pages may be framed
/// by the allow-list (`TRADEWINDS_EMBED_ORIGINS`, space-separated, default any origin) and never set
/// cookies; everything else may be framed by this site only.
#[derive(Clone)]
pub struct SecurityHeaders {
    embed_csp: HeaderValue,
}

impl SecurityHeaders {
    pub fn from_env() -> SecurityHeaders {
        SecurityHeaders::new(std::env::var("TRADEWINDS_EMBED_ORIGINS").ok().as_deref())
    }

    /// `origins`: CSP sources such as `https://news.example` or `https://*.example.org`; tokens that are
    /// not sources are dropped (and logged). The site itself may always frame its embeds (the builder's
    /// preview does).
    pub fn new(origins: Option<&str>) -> SecurityHeaders {
        let ok = |t: &&str| {
            matches!(*t, "*" | "'self'" | "https:" | "http:")
                || (t
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:/*[]_".contains(&b))
                    && t.chars().any(|c| c.is_ascii_alphanumeric()))
        };
        let tokens: Vec<&str> = origins.unwrap_or("").split_whitespace().collect();
        for bad in tokens.iter().filter(|t| !ok(t)) {
            tracing::warn!("TRADEWINDS_EMBED_ORIGINS: '{bad}' is not an origin; ignored");
        }
        let mut sources: Vec<&str> = tokens.into_iter().filter(|t| ok(t)).collect();
        if sources.is_empty() {
            sources.push("*");
        } else if !sources.contains(&"*") && !sources.contains(&"'self'") {
            sources.insert(0, "'self'");
        }
        let csp = format!("frame-ancestors {}", sources.join(" "));
        SecurityHeaders {
            embed_csp: HeaderValue::from_str(&csp)
                .unwrap_or(HeaderValue::from_static("frame-ancestors *")),
        }
    }
}

impl<S> tower::Layer<S> for SecurityHeaders {
    type Service = SecurityHeadersService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SecurityHeadersService {
            inner,
            embed_csp: self.embed_csp.clone(),
        }
    }
}

#[derive(Clone)]
pub struct SecurityHeadersService<S> {
    inner: S,
    embed_csp: HeaderValue,
}

impl<S, ReqBody, ResBody> tower::Service<Request<ReqBody>> for SecurityHeadersService<S>
where
    S: tower::Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Future: Send + 'static,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<ReqBody>) -> Self::Future {
        let embed = is_embed_path(req.uri().path());
        let embed_csp = self.embed_csp.clone();
        let response = self.inner.call(req);
        Box::pin(async move {
            let mut res = response.await?;
            let h = res.headers_mut();
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            h.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("strict-origin-when-cross-origin"),
            );
            // Appended, not replaced: a page's own policy (if any) is enforced alongside.
            if embed {
                h.append(header::CONTENT_SECURITY_POLICY, embed_csp);
                h.remove(header::X_FRAME_OPTIONS);
                h.remove(header::SET_COOKIE);
            } else {
                h.append(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static("frame-ancestors 'self'"),
                );
                h.insert(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("SAMEORIGIN"),
                );
            }
            Ok(res)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_parameters_are_bounded_and_explained() {
        let p = image_params("s=a.b&width=800&theme=dark&download=1&from=2020").unwrap();
        assert_eq!(p.width, Some(800));
        assert!(p.dark && p.download);
        assert_eq!(p.explore_query, "s=a.b&from=2020");
        for (q, says) in [
            (
                "width=100",
                "width must be a whole number of pixels from 200 to 2000",
            ),
            ("width=abc", "(got 'abc')"),
            ("height=5000", "height must be"),
            ("theme=blue", "theme must be light or dark"),
            ("home=nope", "home must be one of totals, platforms, shares"),
            ("home=totals&s=x", "takes no explorer parameters"),
        ] {
            let e = image_params(q).unwrap_err();
            assert!(e.contains(says), "{q}: {e}");
        }
    }

    #[test]
    fn slugs_and_encodings() {
        assert_eq!(slug("Temu · GMV"), "temu-gmv");
        assert_eq!(slug("中文"), "chart");
        let mut h = HeaderMap::new();
        assert!(!accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br, gzip;q=0.8"),
        );
        assert!(accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip;q=0"),
        );
        assert!(!accepts_gzip(&h));
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", W/\"abc\""),
        );
        assert!(not_modified(&h, &["\"abc\""]));
        assert!(!not_modified(&h, &["\"abd\""]));
    }

    #[test]
    fn oembed_urls_must_be_this_sites_charts() {
        let o = "https://tradewinds.example";
        assert!(matches!(
            target_of("https://tradewinds.example/", o),
            Some(Target::Home)
        ));
        assert!(matches!(
            target_of("http://TRADEWINDS.example", o),
            Some(Target::Home)
        ));
        match target_of("https://tradewinds.example/explore?s=a&theme=dark#x", o) {
            Some(Target::Explore(q)) => assert_eq!(q, "s=a"),
            _ => panic!("explorer URL"),
        }
        assert!(target_of("https://evil.example/explore?s=a", o).is_none());
        assert!(target_of("https://tradewinds.example.evil/explore", o).is_none());
        assert!(target_of("https://tradewinds.example/admin/import", o).is_none());
        assert!(target_of("javascript:alert(1)", o).is_none());
    }

    #[test]
    fn frame_ancestors_allow_list() {
        let csp = |o: Option<&str>| {
            SecurityHeaders::new(o)
                .embed_csp
                .to_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(csp(None), "frame-ancestors *");
        assert_eq!(csp(Some("  ")), "frame-ancestors *");
        assert_eq!(
            csp(Some("https://news.example https://*.assoc.example")),
            "frame-ancestors 'self' https://news.example https://*.assoc.example"
        );
        assert_eq!(
            csp(Some("https://a.example; 'unsafe-inline' https://b.example")),
            "frame-ancestors 'self' https://b.example",
            "injection attempts are dropped token by token"
        );
    }
}
