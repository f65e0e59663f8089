//! Static chart images: `/chart.svg` and `/chart.png` for any explorer query (or `home=` for a home
//! page chart), with title, sources and date burnt in.
//!
//! Images are cached in memory, keyed by everything that shapes them: format, size, theme, the explorer
//! query, the data's version (the content hashes of the imported datasets) and the day, which is printed
//! in the image. The ETag is the hash of the image's bytes, so it is strong in the strict sense, and a
//! cached image answers `If-None-Match` without being drawn again.

use super::http::{accepts_gzip, gzip, hex, not_modified, plain};
use super::AppState;
use crate::chart::bundle::ChartBundle;
use crate::chart::export::{natural_height, png, standalone_svg, today_utc};
use crate::chart::Theme;
use crate::explore::embed::{split_query, HOME_CHARTS};
use crate::i18n::Lang;
use crate::store::StoreError;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::header::{self, HeaderMap};
use axum::http::{Response, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// How long browsers and CDNs may keep an image before asking again (with the ETag).
pub const IMAGE_MAX_AGE: &str = "public, max-age=3600";
/// Width of images and embeds when none is asked for: the charts' own logical width.
pub const DEFAULT_WIDTH: u32 = 720;
pub const WIDTH_RANGE: (u32, u32) = (200, 2000);
pub const HEIGHT_RANGE: (u32, u32) = (150, 2000);
/// Memory the image cache may hold.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    let cache: ImageCache = Arc::new(quick_cache::sync::Cache::with_weighter(
        512,
        CACHE_BYTES,
        ImageWeight,
    ));
    let (svg_cache, finder_svg, finder_png) = (cache.clone(), cache.clone(), cache.clone());
    Router::new()
        .route(
            "/chart.svg",
            get(move |s, h, q| image(s, h, q, svg_cache.clone(), Format::Svg, false)),
        )
        .route(
            "/chart.png",
            get(move |s, h, q| image(s, h, q, cache.clone(), Format::Png, false)),
        )
        // The market finder's ranking; the rest of the query is the finder's question.
        .route(
            "/markets/chart.svg",
            get(move |s, h, q| image(s, h, q, finder_svg.clone(), Format::Svg, true)),
        )
        .route(
            "/markets/chart.png",
            get(move |s, h, q| image(s, h, q, finder_png.clone(), Format::Png, true)),
        )
}


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
const IMAGE_KEYS: [&str; 6] = ["width", "height", "theme", "download", "home", "lang"];

#[derive(Debug)]
struct ImageParams {
    width: Option<u32>,
    height: Option<u32>,
    dark: bool,
    download: bool,
    /// The language of the image's own words (labels of the sources, events and marker lines).
    lang: Lang,
    /// A home-page chart instead of an explorer state.
    home: Option<String>,
    /// The market finder's ranking instead of an explorer state.
    finder: bool,
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

/// `lang=`: the language of an image's own words; absent is English.
pub(super) fn parse_lang(value: &str) -> Result<Lang, String> {
    Lang::from_code(value.trim())
        .ok_or_else(|| format!("lang must be en, zh, zh-Hans or zh-CN (got '{value}')"))
}

fn image_params(query: &str, finder: bool) -> Result<ImageParams, String> {
    let (mine, explore_query) = split_query(query, &IMAGE_KEYS);
    let mut p = ImageParams {
        width: None,
        height: None,
        dark: false,
        download: false,
        lang: Lang::En,
        home: None,
        finder,
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
            "lang" => p.lang = parse_lang(value)?,
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

/// Reads an image request's query as `/chart.svg` (or `/markets/chart.svg` when `finder`) does before
/// drawing: the image's own parameters, then the explorer's state or the finder's question from the
/// rest. The messages are those a bad request is answered with. (The fuzz target `image_query` drives
/// this; the handler uses the same two steps.)
pub fn read_image_query(query: &str, finder: bool) -> Result<Vec<String>, String> {
    let p = image_params(query, finder)?;
    Ok(match (p.finder, &p.home) {
        (true, _) => crate::markets::finder::FinderQuery::parse_in(&p.explore_query, p.lang).1,
        (false, Some(_)) => Vec::new(),
        (false, None) => crate::explore::state::ExploreState::parse_query_in(&p.explore_query, p.lang).1,
    })
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
        match self {
            ImageError::Bad(m) => plain(StatusCode::BAD_REQUEST, &format!("Cannot draw this chart: {m}.")),
            ImageError::Store(e) => super::http::store_failed("chart image", e),
            ImageError::Draw(e) => {
                tracing::error!("chart image: {e}");
                plain(StatusCode::INTERNAL_SERVER_ERROR, "The chart could not be drawn.")
            }
        }
    }
}

/// The chart an image request asks for.
async fn image_bundle(app: &AppState, p: &ImageParams) -> Result<ChartBundle, ImageError> {
    let explorer = &app.explorer;
    if p.finder {
        let result = app
            .markets
            .answer(explorer, &p.explore_query)
            .await
            .map_err(ImageError::Store)?;
        if !result.errors.is_empty() {
            return Err(ImageError::Bad(result.errors.join("; ")));
        }
        return Ok(crate::markets::chart::ranking_bundle(&result, p.lang));
    }
    if let Some(name) = &p.home {
        let charts = explorer.home_charts(Some(name), p.lang)
            .await
            .map_err(ImageError::Store)?;
        return charts
            .into_iter()
            .next()
            .ok_or_else(|| ImageError::Bad(format!("the home page has no '{name}' chart")));
    }
    let (_, chart, problems) = explorer.chart_for_query(&p.explore_query, p.lang)
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
    app: &AppState,
    p: &ImageParams,
    format: Format,
    date: String,
) -> Result<Image, ImageError> {
    let bundle = image_bundle(app, p).await?;
    if bundle.spec.is_empty() {
        return Err(ImageError::Bad(
            "the chosen series have no figures in this period".into(),
        ));
    }
    let width = p.width.unwrap_or(DEFAULT_WIDTH);
    // Without a height the image grows until the whole legend and every source fit, wrapped to the
    // width; an asked-for size too small for them is drawn larger and scaled down (never cut).
    let height = p
        .height
        .unwrap_or_else(|| natural_height(&bundle, width, p.lang).clamp(HEIGHT_RANGE.0, HEIGHT_RANGE.1));
    let theme = if p.dark { Theme::DARK } else { Theme::LIGHT };
    let lang = p.lang;
    let filename = format!("tradewinds-{}.{}", crate::strings::file_stem(&bundle.title), format.ext());
    // Drawing (and rasterising above all) is CPU work: keep it off the async workers.
    tokio::task::spawn_blocking(move || {
        let svg = standalone_svg(&bundle, width, height, &theme, &date, lang);
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

async fn image(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    cache: ImageCache,
    format: Format,
    finder: bool,
) -> axum::response::Response {
    let query = query.unwrap_or_default();
    let p = match image_params(&query, finder) {
        Ok(p) => p,
        Err(m) => return ImageError::Bad(m).into_response(),
    };
    let version = match app.explorer.data_version().await {
        Ok(v) => v,
        Err(e) => return ImageError::Store(e).into_response(),
    };
    let date = today_utc();
    let key = format!(
        "{}|{:?}|{:?}|{}|{}|{:?}|{}|{date}|{version}|{}",
        format.ext(),
        p.width,
        p.height,
        p.dark,
        p.lang.code(),
        p.home,
        p.finder,
        p.explore_query
    );
    let image = match cache
        .get_or_insert_async(&key, draw_image(&app, &p, format, date))
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


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_parameters_are_bounded_and_explained() {
        let p = image_params("s=a.b&width=800&theme=dark&download=1&from=2020", false).unwrap();
        assert_eq!(p.width, Some(800));
        assert!(p.dark && p.download);
        assert_eq!(p.explore_query, "s=a.b&from=2020");
        assert_eq!(p.lang, Lang::En, "English unless asked");
        for code in ["en", "zh", "zh-Hans", "zh-CN"] {
            let p = image_params(&format!("s=a&lang={code}"), false).unwrap();
            assert_eq!(Some(p.lang), Lang::from_code(code));
            assert_eq!(p.explore_query, "s=a", "lang is the image's, not the explorer's");
        }
        for (q, says) in [
            (
                "width=100",
                "width must be a whole number of pixels from 200 to 2000",
            ),
            ("width=abc", "(got 'abc')"),
            ("height=5000", "height must be"),
            ("theme=blue", "theme must be light or dark"),
            ("lang=xx", "lang must be en, zh, zh-Hans or zh-CN (got 'xx')"),
            ("lang=", "lang must be en, zh"),
            ("home=nope", "home must be one of totals, platforms, shares"),
            ("home=totals&s=x", "takes no explorer parameters"),
        ] {
            let e = image_params(q, false).unwrap_err();
            assert!(e.contains(says), "{q}: {e}");
        }
    }


    #[test]
    fn download_names_come_from_titles() {
        assert_eq!(crate::strings::file_stem("Temu · GMV"), "temu-gmv");
        assert_eq!(crate::strings::file_stem("中文"), "chart");
    }
}
