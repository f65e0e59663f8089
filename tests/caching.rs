//! Rendered pages and chart images are cached — and never shown stale: a strong ETag with 304s, one
//! entry per theme and language, and an import that changes the data changes every page and image
//! that shows it.
#![cfg(feature = "ssr")]

mod common;

use axum::http::StatusCode;
use common::{get, multipart, upload, wait_for};

const TEMU_GMV: &str = "platform_gmv.china.world.temu.gmv.usd-billion";

#[tokio::test]
async fn pages_are_served_again_with_a_strong_etag_and_304s() {
    let app = common::app().await;
    let url = format!("/explore?s={TEMU_GMV}");
    let gz = [("accept-encoding", "gzip")];
    let first = get(&app, &url, &gz).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("content-encoding"), "gzip");
    let etag = first.header("etag").to_string();
    assert!(etag.starts_with('"') && !etag.starts_with("W/"), "strong: {etag}");
    let again = get(&app, &url, &gz).await;
    assert_eq!(again.header("etag"), etag);
    assert_eq!(again.body, first.body);
    let revalidated = get(&app, &url, &[("accept-encoding", "gzip"), ("if-none-match", &etag)]).await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert!(revalidated.body.is_empty());
    let plain = get(&app, &url, &[]).await;
    assert_eq!(plain.header("content-encoding"), "");
    assert_ne!(plain.header("etag"), etag, "each encoding has its own tag");
    assert!(plain.text().contains("Temu · GMV"));
    // Another query is another page.
    let other = get(&app, &format!("{url}&scale=log"), &gz).await;
    assert_ne!(other.header("etag"), etag);
}

#[tokio::test]
async fn themes_and_languages_never_share_an_entry() {
    let app = common::app().await;
    let light = get(&app, "/", &[("cookie", "theme=light")]).await;
    let dark = get(&app, "/", &[("cookie", "theme=dark")]).await;
    assert_ne!(light.header("etag"), dark.header("etag"));
    assert!(light.text().contains("class=\"theme-light\""));
    assert!(dark.text().contains("class=\"theme-dark\""));
    let light_again = get(&app, "/", &[("cookie", "theme=light")]).await;
    assert_eq!(light_again.body, light.body);

    let en = get(&app, "/embed/home?chart=totals", &[]).await;
    let zh = get(&app, "/embed/home?chart=totals&lang=zh-Hans", &[]).await;
    assert_ne!(en.header("etag"), zh.header("etag"));
    assert!(en.text().contains("lang=\"en\""));
    assert!(zh.text().contains("lang=\"zh-Hans\""));
}

// Made-up test data, twice: the second file changes one value of the same dataset.
const V1: &str = "series_id,origin,destination,platform,category,period,value,unit,source\n\
test_only,China,Viet Nam,,made-up goods,2023,1.5,USD bn,made-up test data\n\
test_only,China,Viet Nam,,made-up goods,2024,2.5,USD bn,made-up test data\n";
const V2: &str = "series_id,origin,destination,platform,category,period,value,unit,source\n\
test_only,China,Viet Nam,,made-up goods,2023,1.5,USD bn,made-up test data\n\
test_only,China,Viet Nam,,made-up goods,2024,987.25,USD bn,made-up test data\n";

#[tokio::test]
async fn an_import_changes_every_page_and_image_that_shows_its_data() {
    let app = common::app_with(common::seeded_store().await, common::config(Some("t0ken")));
    let import = |csv: &'static str| {
        let app = app.clone();
        async move {
            let fields = [("token", "t0ken"), ("dataset", "test-upload")];
            let r = common::send(&app, upload(multipart(&fields, Some(("test.csv", csv.as_bytes()))))).await;
            assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
            let done = wait_for(&app, r.json()["status"].as_str().unwrap(), "t0ken").await;
            assert_eq!(done["state"], "done", "{done}");
        }
    };
    // Before: the search finds nothing, and that page is cached.
    let search = "/explore?q=made-up+goods";
    let before = get(&app, search, &[]).await;
    assert!(!before.text().contains("made-up goods ·"), "nothing yet");
    let home = get(&app, "/", &[]).await;

    import(V1).await;
    let found = get(&app, search, &[]).await;
    assert_ne!(found.body, before.body, "the cached search page was not served again");
    let id = common::get(&app, "/api/v1/series?indicator=test_only", &[]).await.json()["series"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let page_url = format!("/explore?s={id}&chart=table");
    let page = get(&app, &page_url, &[]).await;
    assert!(page.text().contains("2.5"), "the figure is on the page");
    let image_url = format!("/chart.svg?s={id}");
    let image = get(&app, &image_url, &[]).await;
    assert_eq!(image.status, StatusCode::OK);

    import(V2).await;
    let page_after = get(&app, &page_url, &[]).await;
    assert!(page_after.text().contains("987.25"), "the new figure, not the cached page");
    assert_ne!(page_after.header("etag"), page.header("etag"));
    let image_after = get(&app, &image_url, &[]).await;
    assert_ne!(image_after.body, image.body, "the image is drawn from the new data");
    // A page whose content did not change keeps its tag: caches stay valid.
    let home_after = get(&app, "/", &[]).await;
    assert_eq!(home_after.header("etag"), home.header("etag"));
}

/// Made-up test data: a logistics score for Germany, uploaded over the LPI dataset.
const MADE_UP_LPI: &str = "series_id,origin,destination,platform,category,period,value,unit,source\n\
lpi_score,Germany,,,made-up LPI,2016,1.5,score 1-5,made-up test data\n";

#[tokio::test]
async fn the_market_finder_follows_an_import() {
    let app = common::app_with(common::seeded_store().await, common::config(Some("t0ken")));
    let api = "/api/v1/markets?markets=DEU,POL";
    let logistics = |v: &serde_json::Value| {
        v["markets"].as_array().unwrap().iter().find(|m| m["code"] == "DEU").unwrap()["indicators"]["logistics"]["value"]
            .as_f64()
    };
    assert_eq!(logistics(&get(&app, api, &[]).await.json()), Some(4.23));
    let page = get(&app, "/markets?markets=DEU,POL", &[]).await;
    let again = get(&app, "/markets?markets=DEU,POL", &[]).await;
    assert_eq!(page.header("etag"), again.header("etag"), "cached");

    let fields = [("token", "t0ken"), ("dataset", "wb-lpi")];
    let r = common::send(&app, upload(multipart(&fields, Some(("lpi.csv", MADE_UP_LPI.as_bytes()))))).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    assert_eq!(wait_for(&app, r.json()["status"].as_str().unwrap(), "t0ken").await["state"], "done");

    assert_eq!(logistics(&get(&app, api, &[]).await.json()), Some(1.5), "the table is rebuilt");
    let after = get(&app, "/markets?markets=DEU,POL", &[]).await;
    assert_ne!(after.header("etag"), page.header("etag"), "the cached page is not served again");
    assert!(after.text().contains("1.50 of 5"));
}

#[tokio::test]
async fn rankings_and_the_api_docs_are_cached_pages_too() {
    let app = common::app().await;
    for url in ["/rankings", "/zh/rankings?view=wide", "/api", "/zh/api"] {
        let first = get(&app, url, &[("accept-encoding", "gzip")]).await;
        assert_eq!(first.status, StatusCode::OK, "{url}");
        let etag = first.header("etag").to_string();
        assert!(etag.starts_with('"'), "{url} is kept: {etag:?}");
        let again = get(&app, url, &[("accept-encoding", "gzip"), ("if-none-match", &etag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{url}");
    }
    // The admin's page is never kept: it may show a job.
    let admin = get(&app, "/admin/import", &[]).await;
    assert_eq!(admin.header("etag"), "", "the admin page is not cached");
}


/// The API's answers built from the data and the address alone are cached like pages: a strong ETag
/// and 304s, the same bytes again, their own headers (a CSV's file name, the open CORS rule) kept, one
/// entry whatever the reader's theme; observations and downloads are not kept.
#[tokio::test]
async fn api_lists_rankings_and_the_finder_are_cached_answers() {
    let app = common::app().await;
    for url in [
        "/api/v1/datasets",
        "/api/v1/series?limit=50",
        "/api/v1/rankings",
        "/api/v1/rankings.csv",
        "/api/v1/markets?category=Textiles",
        "/api/v1/markets.csv?category=Textiles",
        "/api/v1/datasets/wb-lpi",
    ] {
        let first = get(&app, url, &[]).await;
        assert_eq!(first.status, StatusCode::OK, "{url}: {}", first.text());
        let etag = first.header("etag").to_string();
        assert!(etag.starts_with('"'), "{url} is kept: {etag:?}");
        assert_eq!(first.header("access-control-allow-origin"), "*", "{url}");
        let again = get(&app, url, &[("cookie", "theme=dark")]).await;
        assert_eq!(again.header("etag"), etag, "{url}: one entry for every theme");
        assert_eq!(again.body, first.body, "{url}");
        assert_eq!(again.header("content-type"), first.header("content-type"), "{url}");
        assert_eq!(again.header("content-disposition"), first.header("content-disposition"), "{url}");
        assert_eq!(again.header("vary"), "accept-encoding", "{url}: no theme, no cookie");
        let revalidated = get(&app, url, &[("if-none-match", &etag)]).await;
        assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED, "{url}");
    }
    let csv = get(&app, "/api/v1/rankings.csv", &[]).await;
    assert!(csv.header("content-disposition").contains("attachment"), "the download keeps its file name");
    // Errors are answered as they are, not kept.
    let bad = get(&app, "/api/v1/series?limit=lots", &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.header("etag"), "");
    let series = get(&app, "/api/v1/series?limit=1", &[]).await.json();
    let one = series["series"][0]["id"].as_str().unwrap();
    let observations = get(&app, &format!("/api/v1/observations?series={one}"), &[]).await;
    assert_eq!(observations.status, StatusCode::OK);
    assert_eq!(observations.header("etag"), "", "observations are not kept");
}

/// A page nobody has asked for yet, asked for by many at once, is rendered once: the others wait for
/// that render instead of each starting their own (a cold page under load).
#[tokio::test]
async fn a_cold_page_asked_for_at_once_is_rendered_once() {
    use axum::routing::get as route_get;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let state = tradewinds::routes::AppState::new(common::config(None), common::seeded_store().await);
    let renders = Arc::new(AtomicUsize::new(0));
    let counted = renders.clone();
    // A stand-in for a slow render, at a cached page's path.
    let app = axum::Router::new()
        .route(
            "/explore",
            route_get(move || {
                let counted = counted.clone();
                async move {
                    counted.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                    "<p>rendered</p>"
                }
            }),
        )
        .layer(axum::middleware::from_fn_with_state(state.clone(), tradewinds::routes::page_cache::serve))
        .with_state(state);
    let asks: Vec<_> = (0..8)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { get(&app, "/explore?q=cold", &[]).await })
        })
        .collect();
    for ask in asks {
        let r = ask.await.unwrap();
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.text(), "<p>rendered</p>");
    }
    assert_eq!(renders.load(Ordering::SeqCst), 1, "eight requests, one render");
}
