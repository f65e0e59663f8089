//! The API as a client and a reader of its documentation meet it: the OpenAPI description covers every
//! `/api/v1/` route in the sources and every answer's shape, datasets and series link to each other,
//! filters ignore case, `q=` searches, and `/api` documents it all with working examples.
#![cfg(feature = "ssr")]

mod common;

use axum::http::StatusCode;
use axum::Router;
use serde_json::Value;

async fn json(app: &Router, uri: &str) -> (StatusCode, Value) {
    let r = common::get(app, uri, &[]).await;
    assert!(r.header("content-type").starts_with("application/json"), "{uri}: {}", r.header("content-type"));
    (r.status, serde_json::from_str(&r.text()).unwrap())
}

async fn ok(app: &Router, uri: &str) -> Value {
    let (status, v) = json(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {v}");
    v
}

/// Every `.route("/api/v1/…"` in `src/`, the routes registered by hand rather than through the
/// description.
fn hand_registered_routes() -> Vec<String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for piece in text.split(".route(").skip(1) {
                    let piece = piece.trim_start();
                    if let Some(rest) = piece.strip_prefix("\"/api/v1/") {
                        let end = rest.find('"').unwrap();
                        out.push(format!("/api/v1/{}", &rest[..end]));
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(std::path::Path::new("src"), &mut out);
    out
}

#[tokio::test]
async fn every_api_route_is_described_and_answers() {
    let app = common::app().await;
    let doc = ok(&app, "/api/v1/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{}", doc["openapi"]);
    let paths: Vec<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    for p in [
        "/api/v1/datasets",
        "/api/v1/datasets/{id}",
        "/api/v1/datasets/{id}/observations",
        "/api/v1/series",
        "/api/v1/observations",
        "/api/v1/markets",
        "/api/v1/markets.csv",
        "/api/v1/rankings",
        "/api/v1/rankings.csv",
        "/api/v1/openapi.json",
    ] {
        assert!(paths.contains(&p), "{p} is not described: {paths:?}");
    }
    // Routes added by hand anywhere must be described too. The admin imports are not public: they
    // need the admin token and are documented on /admin/import.
    let by_hand = hand_registered_routes();
    assert!(by_hand.contains(&"/api/v1/markets".to_string()), "the scan finds routes: {by_hand:?}");
    for route in by_hand.iter().filter(|r| !r.starts_with("/api/v1/admin/")) {
        assert!(paths.contains(&route.as_str()), "{route} is served but not described in /api/v1/openapi.json");
    }
    // Every described operation has a summary and answers its documented example (on /api) with 200.
    let html = common::get(&app, "/api", &[]).await.text();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let get = &item["get"];
        assert!(get["summary"].as_str().is_some_and(|s| !s.is_empty()), "{path} has no summary");
        assert!(html.contains(&format!("<code>GET {path}</code>")), "{path} is not on /api");
    }
    let examples: Vec<String> = html
        .split("<a ")
        .filter_map(|tag| tag.split('>').next())
        .filter(|tag| tag.contains("class=\"api-example\""))
        .map(|tag| tag.split("href=\"").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&"))
        .collect();
    assert_eq!(examples.len(), paths.len(), "one example per endpoint: {examples:?} in {}", &html[html.len().min(html.find("api-endpoint").unwrap_or(0))..][..3000.min(html.len())]);
    for example in &examples {
        let r = common::get(&app, example, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{example}: {}", r.text());
    }
}

/// The schema `$ref` points to, or the schema itself.
fn resolve<'a>(schema: &'a Value, doc: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap();
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// Fails where `value` has a field its schema does not describe, or lacks a required one.
fn conforms(value: &Value, schema: &Value, doc: &Value, at: &str) {
    let schema = resolve(schema, doc);
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = schema[key].as_array() {
            if value.is_null() {
                return;
            }
            let option = options.iter().find(|o| o["type"] != "null").unwrap();
            return conforms(value, option, doc, at);
        }
    }
    match value {
        Value::Object(fields) => {
            if let Some(props) = schema["properties"].as_object() {
                for (k, v) in fields {
                    let described = props.get(k).unwrap_or_else(|| panic!("{at}.{k} is not in the description"));
                    conforms(v, described, doc, &format!("{at}.{k}"));
                }
                for r in schema["required"].as_array().into_iter().flatten() {
                    assert!(fields.contains_key(r.as_str().unwrap()), "{at}.{r} is required but missing");
                }
            } else if schema["additionalProperties"].is_object() {
                for (k, v) in fields {
                    conforms(v, &schema["additionalProperties"], doc, &format!("{at}.{k}"));
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().take(3).enumerate() {
                conforms(item, &schema["items"], doc, &format!("{at}[{i}]"));
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn answers_have_the_described_shapes() {
    let app = common::app().await;
    let doc = ok(&app, "/api/v1/openapi.json").await;
    for (path, uri) in [
        ("/api/v1/datasets", "/api/v1/datasets"),
        ("/api/v1/datasets/{id}", "/api/v1/datasets/cbec-platform-facts"),
        ("/api/v1/series", "/api/v1/series?origin=china&limit=3"),
        ("/api/v1/observations", "/api/v1/observations?series=platform_gmv.china.world.temu.gmv.usd-billion"),
        ("/api/v1/datasets/{id}/observations", "/api/v1/datasets/cbec-platform-facts/observations"),
        ("/api/v1/markets", "/api/v1/markets?category=Footwear+and+Headwear"),
    ] {
        let v = ok(&app, uri).await;
        let schema = &doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert!(schema.is_object(), "{path} describes no JSON answer");
        conforms(&v, schema, &doc, uri);
    }
    let (status, v) = json(&app, "/api/v1/series?colour=red").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let error = &doc["paths"]["/api/v1/series"]["get"]["responses"]["400"]["content"]["application/json"]["schema"];
    conforms(&v, error, &doc, "error");
}

#[tokio::test]
async fn one_dataset_with_links_and_a_helpful_404() {
    let app = common::app().await;
    let d = ok(&app, "/api/v1/datasets/cbec-platform-facts").await;
    assert_eq!(d["id"], "cbec-platform-facts");
    assert!(d["licence"].as_str().is_some_and(|l| !l.is_empty()));
    assert!(d["series"].as_u64().unwrap() > 5);
    assert_eq!(d["links"]["self"], "/api/v1/datasets/cbec-platform-facts");
    assert_eq!(d["links"]["explorer"], "/explore?dataset=cbec-platform-facts");
    // The links lead somewhere: the dataset's series (all of them, and only them) and its figures.
    let series = ok(&app, d["links"]["series"].as_str().unwrap()).await;
    assert_eq!(series["total"], d["series"]);
    assert!(series["series"].as_array().unwrap().iter().all(|s| s["dataset_id"] == "cbec-platform-facts"));
    let figures = ok(&app, d["links"]["observations"].as_str().unwrap()).await;
    assert_eq!(figures["series"].as_array().unwrap().len() as u64, d["series"].as_u64().unwrap());
    let csv = common::get(&app, d["links"]["observations_csv"].as_str().unwrap(), &[]).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    // The list carries the same entries.
    let all = ok(&app, "/api/v1/datasets").await;
    let listed = all["datasets"].as_array().unwrap().iter().find(|x| x["id"] == "cbec-platform-facts").unwrap();
    assert_eq!(listed, &d);

    let (status, v) = json(&app, "/api/v1/datasets/no-such-data").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let error = v["error"].as_str().unwrap();
    assert!(error.contains("'no-such-data'") && error.contains("/api/v1/datasets"), "{error}");
    let (status, _) = json(&app, "/api/v1/datasets/cbec-platform-facts?x=1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn series_filters_ignore_case_and_take_codes_or_labels() {
    let app = common::app().await;
    let totals: Vec<u64> = {
        let mut t = Vec::new();
        for origin in ["china", "CHN", "China", "chn"] {
            let v = ok(&app, &format!("/api/v1/series?origin={origin}&limit=1")).await;
            assert_eq!(v["total"], v["count"]);
            t.push(v["total"].as_u64().unwrap());
        }
        t
    };
    assert!(totals[0] > 100, "China is the origin of many series: {totals:?}");
    assert!(totals.iter().all(|&t| t == totals[0]), "{totals:?}");
    // A destination by code or by either publisher's label (IMF "Viet Nam", Comtrade's own).
    let by_code = ok(&app, "/api/v1/series?origin=china&destination=vnm&limit=0").await["total"].clone();
    let by_label = ok(&app, "/api/v1/series?origin=China&destination=viet+nam&limit=0").await["total"].clone();
    assert!(by_code.as_u64().unwrap() >= 2);
    assert_eq!(by_code, by_label);
    let temu = ok(&app, "/api/v1/series?platform=TEMU&category=gmv").await;
    assert_eq!(temu["total"], 1);
    let s = &temu["series"][0];
    assert_eq!(s["id"], "platform_gmv.china.world.temu.gmv.usd-billion");
    assert_eq!(s["links"]["explorer"], "/explore?s=platform_gmv.china.world.temu.gmv.usd-billion");
    assert_eq!(s["links"]["dataset"], "/api/v1/datasets/cbec-platform-facts");
    for link in ["observations", "observations_csv", "dataset"] {
        let r = common::get(&app, s["links"][link].as_str().unwrap(), &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{link}");
    }
}

#[tokio::test]
async fn q_searches_labels_and_ids_a_page_at_a_time() {
    let app = common::app().await;
    let v = ok(&app, "/api/v1/series?q=TEMU+gmv").await;
    let ids: Vec<&str> = v["series"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"platform_gmv.china.world.temu.gmv.usd-billion"), "{ids:?}");
    assert!(v["series"].as_array().unwrap().iter().all(|s| {
        let text = format!("{} {}", s["label"], s["id"]).to_lowercase();
        text.contains("temu") && text.contains("gmv")
    }));
    let none = ok(&app, "/api/v1/series?q=temu+nosuchword").await;
    assert_eq!(none["total"], 0);
    assert!(none.get("next").is_none());
    // Paging a search: the next link keeps q and goes on where the page ended.
    let first = ok(&app, "/api/v1/series?q=china&limit=2").await;
    assert!(first["total"].as_u64().unwrap() > 2);
    let next = first["next"].as_str().unwrap();
    assert!(next.contains("q=china") && next.contains("offset=2"), "{next}");
    let second = ok(&app, next).await;
    assert_ne!(first["series"][0]["id"], second["series"][0]["id"]);
    let (status, v) = json(&app, "/api/v1/series?dataset=nope").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(v["error"].as_str().unwrap().contains("/api/v1/datasets"));
}

#[tokio::test]
async fn the_docs_page_is_linked_and_complete() {
    let app = common::app().await;
    let home = common::get(&app, "/", &[]).await.text();
    assert!(home.contains("href=\"/api\""), "the header links the docs");
    let r = common::get(&app, "/api", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    for needle in [
        "CC BY-NC 4.0",
        "At most 50 series per observations request",
        "10,000",
        "/api/v1/openapi.json",
        "<code>q</code>",
        "<code>offset</code>",
        "class=\"api-response\"",
        "HTTP 200 OK",
    ] {
        assert!(html.contains(needle), "/api lacks {needle}");
    }
    assert!(html.contains("&quot;links&quot;") || html.contains("\"links\""), "example answers show the links");
    assert!(!html.contains("<script src=") || html.contains("</main>"), "complete HTML");
}
