//! Admin uploads through the router: the token gate, size limits, a whole import with its summary,
//! re-import idempotence, a failed import leaving nothing behind, and dataset exports (CSV neutralised).
//! One test: its steps build on each other.
#![cfg(feature = "ssr")]

mod common;

use axum::body::Body;
use common::{multipart, upload, wait_for, BOUNDARY};
use axum::http::{header, Request, StatusCode};
use serde_json::Value;
use tradewinds::store::Store;

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, Value, String) {
    let r = common::send(app, req).await;
    (r.status, r.json(), r.text())
}

// Made-up test data; one category is a spreadsheet formula to check neutralisation on export.
const CSV: &str = "series_id,origin,destination,platform,category,period,value,unit,source\n\
test_only,China,Viet Nam,,=HYPERLINK(\"http://x\"),2023,1.5,USD bn,made-up test data\n\
test_only,China,Viet Nam,,=HYPERLINK(\"http://x\"),2024,2.5,USD bn,made-up test data\n\
test_only,China,Viet Nam,,=HYPERLINK(\"http://x\"),2024-H3,9,USD bn,made-up test data\n";

#[tokio::test]
async fn admin_uploads_end_to_end() {
    let store = Store::in_memory().await.unwrap();

    // No token configured: uploads are disabled.
    let disabled = common::app_with(store.clone(), common::config(None));
    let (status, v, _) = send(
        &disabled,
        upload(multipart(
            &[("token", "x")],
            Some(("a.csv", CSV.as_bytes())),
        )),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(v["error"].as_str().unwrap().contains("disabled"));

    let app = common::app_with(store.clone(), common::config(Some("s3cret-test-token")));
    let (status, _, _) = send(
        &app,
        upload(multipart(&[], Some(("a.csv", CSV.as_bytes())))),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no token");
    let (status, _, _) = send(
        &app,
        upload(multipart(
            &[("token", "wrong")],
            Some(("a.csv", CSV.as_bytes())),
        )),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "wrong token");
    assert_eq!(
        store.counts().await.unwrap(),
        (0, 0, 0),
        "refused uploads write nothing"
    );

    // A 2 GB upload is refused from its Content-Length, before its body is read.
    let huge = Request::post("/api/v1/admin/imports")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::CONTENT_LENGTH, "2147483648")
        .header(header::AUTHORIZATION, "Bearer s3cret-test-token")
        .body(Body::empty())
        .unwrap();
    let (status, v, _) = send(&app, huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(v["error"].as_str().unwrap().contains("MB"));

    // A good upload: accepted, imported in the background, summary with the skipped row.
    let fields = [
        ("token", "s3cret-test-token"),
        ("dataset", "Test Upload"),
        ("publisher", "Test publisher"),
    ];
    let (status, v, _) = send(
        &app,
        upload(multipart(&fields, Some(("test.csv", CSV.as_bytes())))),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{v}");
    let done = wait_for(&app, v["status"].as_str().unwrap(), "s3cret-test-token").await;
    assert_eq!(done["state"], "done", "{done}");
    let summary = &done["summary"];
    assert_eq!(summary["dataset"], "test-upload");
    assert_eq!(summary["format"], "long");
    assert_eq!(summary["observations"], 2);
    assert_eq!(summary["skipped_rows"], 1);
    assert_eq!(summary["errors"][0]["row"], 4);
    assert_eq!(summary["errors"][0]["column"], "period");
    assert_eq!(done["explore"], "/explore?dataset=test-upload");

    // The explorer opens on it; the series is harmonised to ISO codes.
    let (status, _, html) = send(
        &app,
        Request::get("/explore?dataset=test-upload")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("1 matching series") || html.contains("· 1 "),
        "the picker lists the imported series"
    );
    let series = store.series(&Default::default()).await.unwrap();
    assert_eq!(series[0].destination_code, "VNM");

    // The same file again: recognised, nothing rewritten.
    let (_, v, _) = send(
        &app,
        upload(multipart(&fields, Some(("test.csv", CSV.as_bytes())))),
    )
    .await;
    let again = wait_for(&app, v["status"].as_str().unwrap(), "s3cret-test-token").await;
    assert_eq!(again["summary"]["unchanged"], true);

    // A file that cannot be imported at all: the job fails and the earlier dataset is untouched.
    let before = store.counts().await.unwrap();
    let garbage: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 11) as u8)
        .collect();
    let (_, v, _) = send(
        &app,
        upload(multipart(&fields, Some(("garbage.bin", &garbage)))),
    )
    .await;
    let failed = wait_for(&app, v["status"].as_str().unwrap(), "s3cret-test-token").await;
    assert_eq!(failed["state"], "failed");
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .contains("not a readable table"),
        "{failed}"
    );
    assert_eq!(store.counts().await.unwrap(), before);

    // Export: the dataset as CSV, with the formula cell neutralised.
    let (status, _, csv) = send(
        &app,
        Request::get("/api/v1/datasets/test-upload/observations?format=csv")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"));
    let (status, v, _) = send(
        &app,
        Request::get("/api/v1/datasets/nope/observations")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(v["error"].as_str().unwrap().contains("unknown dataset"));
}
