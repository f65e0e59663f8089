//! `/sources/articles/`: the founding news articles the seed figures were quoted from, served as plain
//! text so every such figure has a link.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// The founding articles the seed figures were quoted from, served so every such figure has a link.
const ARTICLES: [(&str, &str); 5] = [
    (
        "000_3915ffba42cf580f.txt",
        include_str!("../../data/articles/000_3915ffba42cf580f.txt"),
    ),
    (
        "001_66d3e9564b6bd9c5.txt",
        include_str!("../../data/articles/001_66d3e9564b6bd9c5.txt"),
    ),
    (
        "002_d33dee5e12d0e6ae.txt",
        include_str!("../../data/articles/002_d33dee5e12d0e6ae.txt"),
    ),
    (
        "003_eb5720a4825105f9.txt",
        include_str!("../../data/articles/003_eb5720a4825105f9.txt"),
    ),
    (
        "004_263a283e39758018.txt",
        include_str!("../../data/articles/004_263a283e39758018.txt"),
    ),
];

pub async fn article(Path(name): Path<String>) -> Response {
    match ARTICLES.iter().find(|(n, _)| *n == name) {
        Some((_, text)) => {
            ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], *text).into_response()
        }
        None => (StatusCode::NOT_FOUND, "No such article.").into_response(),
    }
}

pub async fn article_index() -> Html<String> {
    let items: String = ARTICLES
        .iter()
        .map(|(name, text)| {
            let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or(name);
            let title: String = first_line.chars().take(140).collect();
            let title = crate::strings::escape_html(&title);
            format!("<li><a href=\"/sources/articles/{name}\">{title}</a></li>")
        })
        .collect();
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>Founding articles · Tradewinds</title>\
         <h1>Founding articles</h1><p>The news articles Tradewinds' seed figures were quoted from, as plain text.</p><ul>{items}</ul></html>"
    ))
}

