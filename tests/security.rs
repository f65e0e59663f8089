//! The hardening issue's findings, replayed through the router and the importers: each request or file
//! that once did harm, and what it gets now. (Findings 3, 4 and part of 8 so far; the rest are still open.)
#![cfg(feature = "ssr")]

mod common;

use axum::http::StatusCode;
use common::{get, multipart, upload, wait_for};

/// Finding 4: `/theme?back=` sent browsers to other sites (`/%09/evil.example` → `http://evil.example/`).
#[tokio::test]
async fn the_theme_switch_only_goes_back_to_this_site() {
    let app = common::app().await;
    for back in ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example", "/%0d%0aSet-Cookie:x=1", "evil"] {
        let r = get(&app, &format!("/theme?set=dark&back={back}"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{back}");
        assert_eq!(r.header("location"), "/", "{back}");
    }
    let r = get(&app, "/theme?set=dark&back=/explore%3Fs%3Da%26scale%3Dlog", &[]).await;
    assert_eq!(r.header("location"), "/explore?s=a&scale=log", "a path on this site is kept");
}

/// Finding 3: a `javascript:` source link in an uploaded file or the upload form was rendered as a link.
#[tokio::test]
async fn script_links_are_refused_at_import_and_never_rendered() {
    let app = common::app_with(common::seeded_store().await, common::config(Some("t0ken")));
    // Made-up test data: one good row, one row with a script link.
    let csv = "series_id,origin,destination,platform,category,period,value,unit,source,source_url\n\
test_only,China,Viet Nam,,made-up goods,2023,1.5,USD bn,made-up test data,https://example.org/made-up\n\
test_only,China,Viet Nam,,made-up goods,2024,2.5,USD bn,made-up test data,javascript:alert(document.cookie)\n";
    let fields = [("token", "t0ken"), ("dataset", "test-links")];
    let r = common::send(&app, upload(multipart(&fields, Some(("links.csv", csv.as_bytes()))))).await;
    let done = wait_for(&app, r.json()["status"].as_str().unwrap()).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["summary"]["observations"], 1);
    assert_eq!(done["summary"]["errors"][0]["row"], 3);
    assert_eq!(done["summary"]["errors"][0]["column"], "source_url");
    assert!(done["summary"]["errors"][0]["reason"].as_str().unwrap().contains("not a web address"));

    // The dataset-level link from the form: the whole file is refused, nothing written.
    let fields = [("token", "t0ken"), ("dataset", "test-links-2"), ("source_url", "javascript:alert(1)")];
    let r = common::send(&app, upload(multipart(&fields, Some(("links.csv", csv.as_bytes()))))).await;
    let failed = wait_for(&app, r.json()["status"].as_str().unwrap()).await;
    assert_eq!(failed["state"], "failed");
    assert!(failed["error"].as_str().unwrap().contains("not a web address"), "{failed}");

    // Nothing on the pages that show the dataset is a script link.
    let id = get(&app, "/api/v1/series?indicator=test_only", &[]).await.json()["series"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for url in [format!("/explore?s={id}"), format!("/explore?s={id}&chart=table"), format!("/embed?s={id}")] {
        let page = get(&app, &url, &[]).await.text();
        assert!(page.contains("example.org/made-up"), "{url}: the good link is there");
        assert!(!page.to_lowercase().contains("javascript:"), "{url}");
    }
}

/// Finding 8, as far as cached pages go: a request's Host header is written into share tags; a page
/// rendered for one Host must never be served to a request for another.
#[tokio::test]
async fn a_forged_host_never_reaches_another_visitors_page() {
    let app = common::app().await;
    let forged = get(&app, "/", &[("host", "evil.example")]).await;
    assert!(forged.text().contains("http://evil.example/"), "rendered for the Host it was asked with");
    let honest = get(&app, "/", &[("host", "tradewinds.test")]).await;
    assert!(!honest.text().contains("evil.example"), "the cached page of another Host is not served");
    assert!(honest.text().contains("http://tradewinds.test/"));
}
