//! Every route in Chinese, read as a Chinese reader sees it: the visible text and the words of
//! alt texts, ARIA labels, tooltips, placeholders and share tags. Any English word there fails the
//! test, unless it sits in an element that says it is another language (`lang="en"`: a quote or a
//! publisher's name as published) or not to be translated (`translate="no"`: codes, ids, formulas),
//! or is one of the few names and abbreviations in `ALLOWED`.
#![cfg(feature = "ssr")]

mod common;

use axum::http::StatusCode;
use common::{app, get};
use scraper::{ElementRef, Html, Node};

/// Words a Chinese page may show as they are: brands and publishers written in Latin letters, units
/// and standard abbreviations Chinese trade writing uses too. Keep it short: anything else belongs
/// in the translation tables, or in an element marked `lang` or `translate="no"`.
const ALLOWED: &[&str] = &[
    // Platforms and brands, as they write themselves.
    "Temu", "Shein", "SHEIN", "AliExpress", "TikTok", "Shop", "Amazon", "eBay", "Tradewinds",
    // Units, currencies and abbreviations used as such in Chinese.
    "USD", "CNY", "EUR", "JPY", "PLN", "GMV", "GDP", "HS", "CAGR", "API", "CSV", "JSON", "PNG",
    "SVG", "URL", "px", "ISO", "UN", "CIF", "FOB", "LPI", "MFN", "MTN", "DSA", "RCEP", "IEEPA", "tn",
    "bn", "km", "kg", "SQLite", "ID", "id", "alpha",
    "UTF", "GB", "MB", "Excel", "xlsx", "ods", "OpenAPI", "oEmbed", "iframe", "JavaScript", "JS", "Markdown", "HTML",
];

/// Publishers and projects that write their names in Latin letters (a Chinese page names them as
/// published), taken out of a text before its words are read.
const NAMES: &[&str] = &[
    "Open Trade Statistics", "UN Comtrade", "Comtrade", "Our World in Data", "Trade War Tracker",
    "World Bank", "WDI", "WITS", "CEPII", "GeoDist", "BACI", "OEC", "IMF", "DOTS", "WTO", "GACC",
    "datahub.io", "CC BY-NC", "CC BY", "Alibaba.com", "Tmall Global", "PDD Holdings", "Pinduoduo",
    "Fouquin", "Hugot", "data/mappings/categories.csv", "DHgate", "Alibaba International Digital Commerce",
    "Lazada", "Daraz", "Trendyol",
];

/// The words of `html` a reader gets in the interface: text and the attributes read aloud or shown
/// on hover, outside `<script>`, `<style>`, `<code>` and elements in another language or marked not
/// to be translated.
fn interface_words(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut out = Vec::new();
    walk(doc.root_element(), &mut out);
    out
}

/// Code, and quotes (shown as published, whatever their language: a Chinese quote names "AMAR").
const SKIPPED: &[&str] = &["script", "style", "code", "pre", "kbd", "samp", "template", "q", "blockquote"];
const READ_ATTRIBUTES: &[&str] = &["alt", "title", "aria-label", "placeholder", "aria-description"];

fn walk(el: ElementRef, out: &mut Vec<String>) {
    let e = el.value();
    if SKIPPED.contains(&e.name()) || e.attr("translate") == Some("no") {
        return;
    }
    if let Some(lang) = e.attr("lang") {
        if !lang.starts_with("zh") {
            return;
        }
    }
    for a in READ_ATTRIBUTES {
        if let Some(v) = e.attr(a) {
            out.push(v.to_string());
        }
    }
    if e.name() == "meta"
        && matches!(
            e.attr("name").or(e.attr("property")),
            Some("description" | "og:title" | "og:description" | "twitter:title" | "twitter:description" | "og:image:alt")
        )
    {
        out.extend(e.attr("content").map(str::to_string));
    }
    if e.name() == "input" && matches!(e.attr("type"), Some("submit" | "button")) {
        out.extend(e.attr("value").map(str::to_string));
    }
    for child in el.children() {
        match child.value() {
            // ZH_DEBUG=1 names each English text's place in the page (element.class chain).
            Node::Text(t) => match std::env::var("ZH_DEBUG").is_ok() && !english(&[t.to_string()]).is_empty() {
                true => out.push(format!("[{}] {}", chain(el), &**t)),
                false => out.push(t.to_string()),
            },
            Node::Element(_) => walk(ElementRef::wrap(child).expect("element"), out),
            _ => {}
        }
    }
}

/// "section.events>ol>li": where a text sits, for ZH_DEBUG.
fn chain(el: ElementRef) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(el);
    while let Some(e) = cur {
        let v = e.value();
        parts.push(format!("{}{}", v.name(), v.attr("class").map(|c| format!(".{}", c.split_whitespace().next().unwrap_or(""))).unwrap_or_default()));
        cur = e.parent().and_then(ElementRef::wrap);
        if parts.len() > 3 { break; }
    }
    parts.reverse();
    parts.join(">")
}

/// The English words in `texts`: runs of two or more Latin letters not in `ALLOWED` or `NAMES`.
fn english(texts: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for text in texts {
        let named = NAMES.iter().fold(text.clone(), |t, name| t.replace(name, " "));
        for word in named.split(|c: char| !c.is_ascii_alphabetic()) {
            if word.len() >= 2 && !ALLOWED.contains(&word) && !found.contains(&text.trim().to_string()) {
                found.push(text.trim().to_string());
            }
        }
    }
    found
}

/// The Chinese pages: every route, the explorer with each view, and the error pages.
fn routes() -> Vec<String> {
    let two = "s=comtrade-mirror-china.m.china.viet-nam.total,comtrade-mirror-china.m.china.usa.total";
    let mut r: Vec<String> = [
        "/zh",
        "/zh/explore",
        "/zh/markets",
        "/zh/rankings",
        "/zh/rankings?table=comtrade-mirror-china%2Freported_imports",
        "/zh/api",
        "/zh/admin/import",
        "/zh/no-such-page",
    ]
    .map(String::from)
    .to_vec();
    for chart in ["line", "area", "bars", "table", "bubble"] {
        r.push(format!("/zh/explore?{two}&chart={chart}&tf=yoy&cagr=2018,2024"));
    }
    r.push("/zh/explore?s=no.such.series&from=abc&chart=pie".into());
    r.push("/zh/explore?q=imports+from+china".into());
    // What cannot be used is said in Chinese too.
    // (An unknown category is echoed as typed: the reader's own words, here Chinese.)
    r.push("/zh/markets?category=火箭&weights=speed:5&markets=DEU,Poland&colour=red".into());
    r.push("/zh/markets?category=Textiles&weights=size:0&region=Atlantis".into());
    r.push("/zh/rankings?from=abc&to=1999&sort=size&page=0&view=tall&largest=many&table=no%2Fsuch&category=Hats&colour=red".into());
    r.push(format!("/embed?{two}&lang=zh"));
    r.push("/embed/home?chart=totals&lang=zh".into());
    let long = "长".repeat(130);
    r.push(format!("/embed?{two}&lang=zh&theme=neon&controls=2&accent=red&title={long}"));
    r.push("/embed/home?chart=nope&lang=zh&extra=1".into());
    r.push("/embed/markets?lang=zh".into());
    // Chart images draw their own words.
    r.push(format!("/chart.svg?{two}&lang=zh-Hans"));
    r.push("/chart.svg?s=platform_gmv.china.world.temu.gmv.usd-billion,platform_gmv.china.world.shein.gmv.usd-billion&lang=zh-Hans".into());
    r.push("/chart.svg?home=shares&lang=zh-Hans".into());
    r.push("/markets/chart.svg?category=Textiles&lang=zh-Hans".into());
    r
}

#[tokio::test]
async fn chinese_pages_have_no_english_interface_words() {
    let app = app().await;
    let mut report = Vec::new();
    for path in routes() {
        let r = get(&app, &path, &[]).await;
        assert!(
            r.status == StatusCode::OK || r.status == StatusCode::NOT_FOUND || r.status == StatusCode::BAD_REQUEST,
            "{path}: {}",
            r.status
        );
        let found = english(&interface_words(&r.text()));
        if !found.is_empty() {
            report.push(format!("{path}:\n  {}", found.join("\n  ")));
        }
    }
    // The upload form, as a server with an admin token shows it.
    let admin = common::app_with(common::seeded_store().await, common::config(Some("token")));
    let r = get(&admin, "/zh/admin/import", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("name=\"file\""), "the form is shown");
    let found = english(&interface_words(&r.text()));
    if !found.is_empty() {
        report.push(format!("/zh/admin/import (uploads on):\n  {}", found.join("\n  ")));
    }
    assert!(report.is_empty(), "English on Chinese pages:\n{}", report.join("\n"));
}

#[test]
fn the_reader_skips_what_is_marked_and_catches_the_rest() {
    let html = r#"<html lang="zh-Hans"><body><p>中国 exports</p><q lang="en">as published</q>
        <span translate="no">reported_imports</span><img alt="Chart"><script>var x</script>
        <p>Temu 的 GMV</p></body></html>"#;
    assert_eq!(english(&interface_words(html)), ["中国 exports", "Chart"]);
}
