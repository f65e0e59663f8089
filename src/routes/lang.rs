//! The reader's language. Pages say theirs in the path (`/zh/…` is Chinese); `/lang?set=…&back=…`
//! remembers an explicit choice in a cookie (a plain link, so it works without JavaScript), and the
//! home page `/` follows that choice, or the browser's `Accept-Language` when there is none.

use crate::i18n::Lang;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// `GET /lang?set=zh-Hans&back=/zh/explore?…`: remembers the choice for a year and goes back.
pub async fn set_lang(
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let Some(lang) = q.get("set").and_then(|s| Lang::from_code(s)) else {
        return (
            StatusCode::BAD_REQUEST,
            "set must be en or zh-Hans, e.g. /lang?set=zh-Hans&back=/zh",
        )
            .into_response();
    };
    let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
    super::theme::remember_and_return(cookie, q.get("back").map(String::as_str), &lang.page("/"))
}

/// The language the reader chose with `/lang`, if any.
fn chosen(headers: &HeaderMap) -> Option<Lang> {
    super::http::cookie(headers, "lang").and_then(Lang::from_code)
}

/// The language a browser prefers among ours: the highest `q` wins, the earlier entry on a tie;
/// English when it names neither.
pub fn preferred(accept_language: &str) -> Lang {
    let mut best: Option<(f32, Lang)> = None;
    for entry in accept_language.split(',') {
        let mut parts = entry.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let lang = match tag.split('-').next() {
            Some("zh") => Lang::ZhHans,
            Some("en") => Lang::En,
            _ => continue,
        };
        if best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, l)| l).unwrap_or_default()
}

/// `GET /zh/`: the Chinese home is `/zh`, as the English one is `/` (a slash more, same page).
pub async fn zh_home(uri: axum::http::Uri) -> Response {
    let target = match uri.query() {
        Some(q) => format!("/zh?{q}"),
        None => "/zh".to_string(),
    };
    (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, target)]).into_response()
}

/// On `GET /`: a reader who chose Chinese, or whose browser prefers it and who has not chosen, goes to
/// `/zh`. The answer depends on both headers, and says so to caches.
pub async fn choose_home(req: Request, next: Next) -> Response {
    if req.method() != Method::GET || req.uri().path() != "/" {
        return next.run(req).await;
    }
    let lang = chosen(req.headers()).unwrap_or_else(|| {
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(preferred)
            .unwrap_or_default()
    });
    let mut res = match lang {
        Lang::En => next.run(req).await,
        other => {
            let target = match req.uri().query() {
                Some(q) => format!("{}?{q}", other.page("/")),
                None => other.page("/"),
            };
            (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response()
        }
    };
    res.headers_mut()
        .append(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_preference_with_the_highest_weight_wins() {
        assert_eq!(preferred("zh-CN,zh;q=0.9,en;q=0.8"), Lang::ZhHans);
        assert_eq!(preferred("en-US,en;q=0.9,zh-CN;q=0.8"), Lang::En);
        assert_eq!(preferred("fr-FR,zh-TW;q=0.7,en;q=0.5"), Lang::ZhHans);
        assert_eq!(preferred("de-DE,fr;q=0.8"), Lang::En);
        assert_eq!(preferred(""), Lang::En);
        assert_eq!(preferred("zh;q=nonsense"), Lang::ZhHans, "an unreadable weight counts as 1");
    }
}
