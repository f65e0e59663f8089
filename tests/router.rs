//! Integration tests through the whole axum router, in-process (no port): pages, API shapes and errors.
#![cfg(feature = "ssr")]

mod common;

use axum::http::StatusCode;
use axum::Router;
use serde_json::Value;

async fn get(app: &Router, uri: &str) -> (StatusCode, String, String) {
    let r = common::get(app, uri, &[]).await;
    (r.status, r.header("content-type").to_string(), r.text())
}

async fn json(app: &Router, uri: &str) -> (StatusCode, Value) {
    let (status, ctype, body) = get(app, uri).await;
    assert!(ctype.starts_with("application/json"), "{uri}: {ctype}");
    (status, serde_json::from_str(&body).unwrap())
}

const TEMU_GMV: &str = "platform_gmv.china.world.temu.gmv.usd-billion";

#[tokio::test]
async fn home_page_renders_charts_sources_and_cards() {
    let app = common::app().await;
    let (status, ctype, html) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.starts_with("text/html"));
    assert!(
        html.matches("<svg").count() >= 3,
        "three server-rendered charts"
    );
    assert!(html.contains("class=\"sources\""), "sources line");
    assert!(
        html.contains("english.gov.cn"),
        "the 2017 customs figure names its source"
    );
    assert!(html.contains("Customs (GACC): imports + exports"));
    assert!(
        html.contains("Customs retail-platform series (narrow, 2017)"),
        "narrow series kept separate"
    );
    assert!(html.contains("≥ 2.63"), "lower bound shown as such");
    assert!(html.contains("role=\"tooltip\""));
    assert!(html.contains("Yiwu"));
}

#[tokio::test]
async fn explorer_renders_the_chart_from_the_url() {
    let app = common::app().await;
    let (status, _, html) = get(&app, &format!("/explore?s={TEMU_GMV}&from=2023&scale=log")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<svg"));
    assert!(html.contains("Temu · GMV"));
    assert!(
        html.contains("value=\"log\" selected"),
        "scale from the URL is selected in the form"
    );
    // Legend entries are links that toggle the series in the URL (work without JavaScript).
    assert!(html.contains("hide=platform_gmv.china.world.temu.gmv.usd-billion"));
}

#[tokio::test]
async fn explorer_reports_what_it_could_not_use() {
    let app = common::app().await;
    let (status, _, html) = get(&app, "/explore?s=no.such.series&from=2024-H3&colour=red").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("no series with id &#x27;no.such.series&#x27;")
            || html.contains("no series with id 'no.such.series'"),
        "{}",
        &html[..2000]
    );
    assert!(html.contains("unknown parameter"));
    assert!(html.contains("Pick one or more series"));
}

#[tokio::test]
async fn api_datasets_and_series() {
    let app = common::app().await;
    let (status, v) = json(&app, "/api/v1/datasets").await;
    assert_eq!(status, StatusCode::OK);
    let datasets = v["datasets"].as_array().unwrap();
    assert_eq!(datasets.len(), tradewinds::seed::DEFAULT_FILES.len());
    assert!(datasets
        .iter()
        .all(|d| d["licence"].as_str().is_some_and(|l| !l.is_empty())));

    let (status, v) = json(&app, "/api/v1/series?platform=Temu&category=GMV").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["count"], 1);
    assert_eq!(v["series"][0]["id"], TEMU_GMV);
    assert_eq!(v["series"][0]["unit"], "USD billion");
}

#[tokio::test]
async fn api_observations_json_and_csv() {
    let app = common::app().await;
    let (status, v) = json(&app, &format!("/api/v1/observations?series={TEMU_GMV}&from=2024")).await;
    assert_eq!(status, StatusCode::OK);
    let s = &v["series"][0];
    assert_eq!(s["id"], TEMU_GMV);
    assert_eq!(s["dataset"]["id"], "cbec-platform-facts");
    let obs = s["observations"].as_array().unwrap();
    assert_eq!(obs.len(), 2);
    assert_eq!(obs[0]["period"], "2024-H1");
    assert_eq!(obs[0]["value"], 20.0);
    assert_eq!(obs[0]["flags"]["approximate"], true);
    assert!(obs[0]["quote"].as_str().unwrap().contains("20 billion"));

    let (status, ctype, csv) = get(&app, &format!(
        "/api/v1/observations?series={TEMU_GMV}&format=csv"
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.starts_with("text/csv"));
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("series_id,indicator,origin"));
    assert_eq!(lines.count(), 3);
}

#[tokio::test]
async fn api_bad_input_is_a_400_with_a_message() {
    let app = common::app().await;
    for (uri, needle) in [
        ("/api/v1/observations", "'series' is required"),
        (
            "/api/v1/observations?series=nope",
            "unknown series id(s): nope",
        ),
        ("/api/v1/observations?series=x&from=2024-13", "from:"),
        (
            "/api/v1/observations?series=x&from=2024&to=2020",
            "is after",
        ),
        (
            "/api/v1/observations?series=x&format=xml",
            "not json or csv",
        ),
        (
            "/api/v1/series?destnation=USA",
            "unknown parameter 'destnation'",
        ),
        ("/api/v1/series?platform=a&platform=b", "more than once"),
        ("/api/v1/datasets?x=1", "unknown parameter"),
    ] {
        let (status, v) = json(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        let msg = v["error"].as_str().unwrap_or_default();
        assert!(msg.contains(needle), "{uri}: {msg}");
    }
    let many: Vec<String> = (0..51).map(|i| format!("s{i}")).collect();
    let (status, _) = json(&app, &format!("/api/v1/observations?series={}", many.join(","))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn source_articles_are_served_and_unknown_pages_are_404() {
    let app = common::app().await;
    let (status, ctype, text) = get(&app, "/sources/articles/001_66d3e9564b6bd9c5.txt").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.starts_with("text/plain"));
    assert!(text.contains("2.63 trillion yuan"));
    assert_eq!(
        get(&app, "/sources/articles/../../etc/passwd").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(get(&app, "/no-such-page").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn places_match_across_publishers_spellings() {
    let app = common::app().await;
    // IMF writes "Vietnam", Comtrade "Viet Nam": one filter finds both, each labelled with its basis.
    let (status, _, html) = get(&app, "/explore?origin=China&destination=Vietnam").await;
    assert_eq!(status, StatusCode::OK);
    let labels: Vec<&str> = html
        .split("class=\"series-label\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap())
        .collect();
    assert!(
        html.contains("Exports, FOB, reported by China, P.R.: Mainland"),
        "China-reported (IMF DOTS): {labels:?}"
    );
    assert!(
        html.contains("Imports (TOTAL), reported by Viet Nam"),
        "partner-reported mirror (Comtrade)"
    );
    let (status, v) = json(&app, "/api/v1/series?origin_code=CHN&destination_code=vnm").await;
    assert_eq!(status, StatusCode::OK);
    assert!(v["count"].as_u64().unwrap() >= 2);
}

#[tokio::test]
async fn api_series_pages_through_every_series() {
    let app = common::app().await;
    let (status, first) = json(&app, "/api/v1/series?limit=10000").await;
    assert_eq!(status, StatusCode::OK);
    let total = first["count"].as_u64().unwrap() as usize;
    assert!(total > 10_000, "the default dataset has more than the largest page");
    assert_eq!(first["series"].as_array().unwrap().len(), 10_000, "a full largest page");
    // The same series in the same order, in pages of 10,000 and of 500.
    let mut lists: Vec<Vec<String>> = Vec::new();
    for limit in [10_000, 500] {
        let mut paged: Vec<String> = Vec::new();
        let mut url = format!("/api/v1/series?limit={limit}");
        loop {
            let (status, page) = json(&app, &url).await;
            assert_eq!(status, StatusCode::OK, "{url}");
            assert_eq!(page["count"].as_u64().unwrap() as usize, total);
            paged.extend(page["series"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_string()));
            match page["next"].as_str() {
                Some(next) => url = next.to_string(),
                None => break,
            }
        }
        assert_eq!(paged.len(), total, "limit {limit}");
        lists.push(paged);
    }
    let (every, paged) = (&lists[0], &lists[1]);
    let unique: std::collections::HashSet<&String> = every.iter().collect();
    assert_eq!(unique.len(), total, "no series repeated");
    assert_eq!(paged, every, "pages in order, none missed or repeated");
    // Filters travel with the next link.
    let (_, page) = json(&app, "/api/v1/series?origin_code=CHN&limit=1").await;
    assert!(page["next"].as_str().unwrap().contains("origin_code=CHN"));
    for bad in ["/api/v1/series?limit=10001", "/api/v1/series?offset=-1", "/api/v1/series?limit=ten"] {
        let (status, v) = json(&app, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(v["error"].as_str().unwrap().contains("must be a whole number"), "{bad}: {v}");
    }
}

#[tokio::test]
async fn a_whole_dataset_streams_as_json_with_every_figure() {
    let app = common::app().await;
    let (status, whole) = json(&app, "/api/v1/datasets/cbec-platform-facts/observations").await;
    assert_eq!(status, StatusCode::OK);
    let series = whole["series"].as_array().unwrap();
    assert!(series.len() > 5);
    assert!(series.iter().all(|s| s["dataset"]["id"] == "cbec-platform-facts"));
    let temu = series.iter().find(|s| s["id"] == TEMU_GMV).expect("Temu GMV in its dataset");
    let (_, one) = json(&app, &format!("/api/v1/observations?series={TEMU_GMV}")).await;
    assert_eq!(temu, &one["series"][0], "the same series, the same figures, whichever route");
    let (status, ctype, csv) = get(&app, "/api/v1/datasets/cbec-platform-facts/observations?format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.starts_with("text/csv"));
    let rows: usize = series.iter().map(|s| s["observations"].as_array().unwrap().len()).sum();
    let records = csv::Reader::from_reader(csv.as_bytes()).records().count();
    assert_eq!(records, rows, "one record per figure");
}

/// Building a router while another answers pages must not stall those pages: leptos lists the page
/// routes with resource loading switched off process-wide, and a render that started meanwhile used to
/// wait forever (it failed CI once, when parallel tests built their apps). Routers are built over and
/// over on another thread while this one renders uncached embed pages; each must finish.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn building_routers_never_stalls_a_render_elsewhere() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;
    let store = common::seeded_store().await;
    let mut config = common::config(None);
    config.page_cache = false;
    let app = common::app_with(store.clone(), config);
    let (done, built) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    let handle = tokio::runtime::Handle::current();
    let builder = std::thread::spawn({
        let (done, built) = (done.clone(), built.clone());
        move || {
            let _runtime = handle.enter();
            while !done.load(Ordering::Relaxed) {
                drop(common::app_with(store.clone(), common::config(None)));
                built.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    for n in 0..150 {
        let uri = format!("/embed?s={TEMU_GMV}&title=render+{n}");
        // A hang detector, not a speed check: a render takes well under a second.
        let r = tokio::time::timeout(std::time::Duration::from_secs(60), common::get(&app, &uri, &[])).await;
        let Ok(r) = r else {
            done.store(true, Ordering::Relaxed);
            panic!("render {n} stalled while routers were being built");
        };
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains("embed-chart"), "render {n} has its chart");
    }
    done.store(true, Ordering::Relaxed);
    builder.join().expect("router builder");
    assert!(built.load(Ordering::Relaxed) > 0, "routers were built while pages rendered");
}
