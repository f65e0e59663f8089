//! oEmbed 1.0 (`/oembed`, https://oembed.com): a pasted link to this site's home page or an explorer
//! chart becomes an iframe of the matching embed page, with a thumbnail (a chart image) that keeps
//! within the consumer's maximum size. An editor's `title=`, `subtitle=` and `note=` on the link are
//! kept in the iframe (the title also as the oEmbed title); the height is the embed's at that width.

use super::images::{DEFAULT_WIDTH, HEIGHT_RANGE, IMAGE_MAX_AGE, WIDTH_RANGE};
use super::AppState;
use crate::chart::bundle::ChartBundle;
use crate::chart::export::natural_height;
use crate::explore::embed::{split_query, ChartShape, EmbedOptions, EmbedShape, EMBED_KEYS, HOME_CHARTS};
use crate::strings::escape_html;
use axum::extract::{RawQuery, State};
use axum::http::header::{self, HeaderMap};
use axum::http::StatusCode;
use axum::response::IntoResponse;

/// What an oEmbed URL points at, if it is one of this site's charts.
enum Target {
    /// The home page's charts, or one of them by name.
    Home(Option<String>),
    /// The explorer query (without embed options).
    Explore(String),
    /// The market finder's question (without embed options).
    Markets(String),
}

/// The target and the embed's own parameters on the link (theme, title…).
fn target_of(url: &str, origin: &str) -> Option<(Target, Vec<(String, String)>)> {
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
    let home_key = |key: &str| {
        let (mine, rest) = split_query(query, &[key]);
        (mine.into_iter().next().map(|(_, v)| v), rest)
    };
    let (mine, _) = split_query(query, &EMBED_KEYS);
    let target = match path.trim_end_matches('/') {
        "" => Target::Home(None),
        "/embed/home" => Target::Home(home_key("chart").0),
        "/explore" | "/embed" => match home_key("home") {
            (Some(name), _) if path.starts_with("/embed") => Target::Home(Some(name)),
            _ => Target::Explore(split_query(query, &EMBED_KEYS).1),
        },
        "/markets" | "/embed/markets" => Target::Markets(split_query(query, &EMBED_KEYS).1),
        _ => return None,
    };
    Some((target, mine))
}

/// Height of an embed page showing `charts` at `width` CSS pixels, with the editor's texts.
fn embed_height(charts: &[ChartBundle], width: u32, options: &EmbedOptions) -> u32 {
    let shape = EmbedShape {
        charts: charts.iter().map(ChartShape::of).collect(),
        controls: !options.controls_off,
        problems: 0,
    };
    shape.height(width, &options.text)
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
pub async fn oembed(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> axum::response::Response {
    let query = query.unwrap_or_default();
    let (mut url, mut max_w, mut max_h, mut lang) = (None, None, None, None);
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        let bound = |v: &str| v.trim().parse::<u32>().ok().filter(|n| *n > 0);
        match k.as_ref() {
            "url" => url = Some(v.into_owned()),
            "lang" => match super::images::parse_lang(&v) {
                Ok(l) => lang = Some(l),
                Err(m) => return oembed_error(StatusCode::BAD_REQUEST, &m),
            },
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
    let origin = app.config.public_origin(Some(&headers));
    let not_ours = || {
        oembed_error(
            StatusCode::NOT_FOUND,
            "Only this site's home page, explorer charts and market finder rankings can be embedded.",
        )
    };
    let Some((target, mine)) = target_of(&url, &origin) else {
        return not_ours();
    };
    let (mut options, problems) = EmbedOptions::from_pairs(mine.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if !problems.is_empty() {
        return oembed_error(
            StatusCode::BAD_REQUEST,
            &format!("The link's embed options cannot be used: {}.", problems.join("; ")),
        );
    }
    // The asked-for language, else the link's own: the title, the iframe and the thumbnail's words.
    if let Some(l) = lang {
        options.lang = l;
    }
    let lang = options.lang;
    let mut image_path = "/chart.png";
    let (charts, title, embed_path, image_query) = match target {
        Target::Markets(q) => match app.markets.answer(&app.explorer, &q).await {
            Ok(r) if r.errors.is_empty() => {
                let chart = crate::markets::chart::ranking_bundle(&r, lang);
                let title = chart.title.clone();
                image_path = "/markets/chart.png";
                let q = r.query.to_query();
                let path = match q.is_empty() {
                    true => "/embed/markets".to_string(),
                    false => format!("/embed/markets?{q}"),
                };
                (vec![chart], title, path, if q.is_empty() { "category=all".to_string() } else { q })
            }
            Ok(r) => return oembed_error(StatusCode::NOT_FOUND, &r.errors.join("; ")),
            Err(e) => return super::http::store_failed("oembed", e),
        },
        Target::Home(which) => {
            if let Some(w) = which.as_deref().filter(|w| !HOME_CHARTS.contains(w)) {
                return oembed_error(
                    StatusCode::NOT_FOUND,
                    &format!("The home page has no '{w}' chart; it has {}.", HOME_CHARTS.join(", ")),
                );
            }
            match app.explorer.home_charts(which.as_deref(), lang).await {
                Ok(charts) => {
                    let (title, path, image) = match (&which, charts.as_slice()) {
                        (Some(w), [one]) => (one.title.clone(), format!("/embed/home?chart={w}"), format!("home={w}")),
                        _ => (
                            crate::i18n::t(lang, "home.title").to_string(),
                            "/embed/home".to_string(),
                            "home=totals".to_string(),
                        ),
                    };
                    (charts, title, path, image)
                }
                Err(e) => return super::http::store_failed("oembed", e),
            }
        }
        Target::Explore(q) => {
            match app.explorer.chart_for_query(&q, lang).await {
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
                Err(e) => return super::http::store_failed("oembed", e),
            }
        }
    };

    // The editor's texts and language go with the iframe; the title is theirs where they gave one.
    let title = options.text.title.clone().unwrap_or(title);
    let extra: Vec<(&str, String)> = options
        .to_pairs()
        .into_iter()
        .filter(|(k, _)| matches!(*k, "title" | "subtitle" | "note" | "lang"))
        .collect();
    let embed_path = match extra.is_empty() {
        true => embed_path,
        false => {
            let mut q = form_urlencoded::Serializer::new(String::new());
            q.extend_pairs(extra.iter().map(|(k, v)| (*k, v.as_str())));
            let sep = if embed_path.contains('?') { '&' } else { '?' };
            format!("{embed_path}{sep}{}", q.finish())
        }
    };
    // The embed is responsive: it takes the width it is given, and its height follows from that.
    let width = max_w.map_or(DEFAULT_WIDTH, |m| m.min(DEFAULT_WIDTH));
    let natural = embed_height(&charts, width, &options);
    let height = max_h.map_or(natural, |m| m.min(natural));
    let html = format!(
        "<iframe src=\"{origin}{}\" title=\"{}\" width=\"{width}\" height=\"{height}\" loading=\"lazy\" \
         style=\"border:0;width:100%;max-width:{width}px\" data-tradewinds></iframe>\
         <script async src=\"{origin}/embed.js\"></script>",
        escape_html(&embed_path),
        escape_html(&title)
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
        .map_or(400, |c| natural_height(c, DEFAULT_WIDTH, lang));
    let th = (natural as u64 * tw as u64 / DEFAULT_WIDTH as u64) as u32;
    let (tw, th) = match max_h {
        Some(m) if th > m => ((tw as u64 * m as u64 / th as u64) as u32, m),
        _ => (tw, th),
    };
    if tw >= WIDTH_RANGE.0 && (HEIGHT_RANGE.0..=HEIGHT_RANGE.1).contains(&th) {
        let sep = if image_query.is_empty() { "" } else { "&" };
        let lang = match lang {
            crate::i18n::Lang::En => String::new(),
            other => format!("&lang={}", other.code()),
        };
        body["thumbnail_url"] =
            format!("{origin}{image_path}?{image_query}{sep}width={tw}&height={th}{lang}").into();
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


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oembed_urls_must_be_this_sites_charts() {
        let o = "https://tradewinds.example";
        assert!(matches!(
            target_of("https://tradewinds.example/", o),
            Some((Target::Home(None), _))
        ));
        assert!(matches!(
            target_of("http://TRADEWINDS.example", o),
            Some((Target::Home(None), _))
        ));
        match target_of("https://tradewinds.example/explore?s=a&theme=dark&title=Hi#x", o) {
            Some((Target::Explore(q), mine)) => {
                assert_eq!(q, "s=a");
                assert_eq!(mine, [("theme".to_string(), "dark".to_string()), ("title".to_string(), "Hi".to_string())]);
            }
            _ => panic!("explorer URL"),
        }
        for url in ["https://tradewinds.example/embed/home?chart=shares", "https://tradewinds.example/embed?home=shares"] {
            match target_of(url, o) {
                Some((Target::Home(Some(name)), _)) => assert_eq!(name, "shares"),
                _ => panic!("one home chart: {url}"),
            }
        }
        assert!(target_of("https://evil.example/explore?s=a", o).is_none());
        assert!(target_of("https://tradewinds.example.evil/explore", o).is_none());
        assert!(target_of("https://tradewinds.example/admin/import", o).is_none());
        assert!(target_of("javascript:alert(1)", o).is_none());
    }
}
