//! The hardening issue's findings (issue 14, numbered as there), replayed through the router, the
//! server's listener and the importers: each request or file that once did harm, and what it gets now.
//! One test per finding, named `finding_NN_…`; then the limits as a deployment behind a reverse proxy
//! (several instances, issue 15) sees them.
#![cfg(feature = "ssr")]

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::routing::get as route_get;
use axum::Router;
use common::{get, multipart, send, upload, wait_for, BOUNDARY};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tradewinds::config::Limits;
use tradewinds::routes::limits::{outer, Guards};

const TOKEN: &str = "t0ken";

/// The app over a fresh seeded database with the admin token set and `limits`.
async fn app_with_limits(limits: Limits) -> Router {
    let mut config = common::config(Some(TOKEN));
    config.limits = limits;
    common::app_with(common::seeded_store().await, config)
}

/// Uploads `bytes` as `name` with the token and `fields`; the job's last status.
async fn import(app: &Router, name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> serde_json::Value {
    let mut all = vec![("token", TOKEN)];
    all.extend_from_slice(fields);
    let r = send(app, upload(multipart(&all, Some((name, bytes))))).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    wait_for(app, r.json()["status"].as_str().unwrap(), TOKEN).await
}

/// A request from the client at `addr` (as the server's listener marks each request).
fn from(addr: &str, uri: &str) -> Request<Body> {
    let mut req = Request::get(uri).body(Body::empty()).unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr.parse::<std::net::SocketAddr>().unwrap()));
    req
}

/// A minimal .xlsx whose one sheet holds `rows` (raw `<row>` XML).
fn workbook(rows: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let ct = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let book = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let book_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let sheet = format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#);
    for (name, text) in [("[Content_Types].xml", ct), ("_rels/.rels", rels), ("xl/workbook.xml", book), ("xl/_rels/workbook.xml.rels", book_rels), ("xl/worksheets/sheet1.xml", &sheet)] {
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Finding 1: a 1.6 KB workbook with one cell at A1 and one at XFD1048576 made the reader allocate
/// ~550 GB and the process abort. Now the upload fails, naming the sheet and its extent.
#[tokio::test]
async fn finding_01_a_tiny_workbook_with_a_far_off_cell_is_refused_not_fatal() {
    let app = app_with_limits(Limits::default()).await;
    let bomb = workbook(r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>"#);
    assert!(bomb.len() < 2000);
    let failed = import(&app, "bomb.xlsx", &bomb, &[("format", "xlsx-long")]).await;
    assert_eq!(failed["state"], "failed", "{failed}");
    assert!(failed["error"].as_str().unwrap().contains("A1:XFD1048576"), "{failed}");
    assert_eq!(get(&app, "/api/v1/datasets", &[]).await.status, StatusCode::OK, "still serving");
}

/// Finding 2: anonymous requests scaled with stored data. Now: a client over its rate gets 429 with
/// `Retry-After`; expensive routes beyond the concurrency bound wait, then get 503 with `Retry-After`; an
/// answer that does not start in time is a 503; a series is drawn with at most 2,000 points.
#[tokio::test]
async fn finding_02_clients_and_expensive_work_are_bounded() {
    // Per client: 3 at once, then 1 a second; another client is not affected.
    let app = app_with_limits(Limits { rate: Some((1, 3)), ..Limits::default() }).await;
    let mut answered = 0;
    let r = loop {
        let r = send(&app, from("192.0.2.1:5000", "/theme?set=dark")).await;
        if r.status != StatusCode::SEE_OTHER {
            break r;
        }
        answered += 1;
        assert!(answered < 10, "never limited");
    };
    assert!(answered >= 3, "the burst is allowed");
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.header("retry-after").parse::<u64>().unwrap() >= 1);
    assert!(r.header("content-type").starts_with("text/plain"));
    assert!(r.text().contains("Too many requests from your address") && r.text().contains("try again"), "{}", r.text());
    assert_eq!(send(&app, from("192.0.2.2:5000", "/theme?set=dark")).await.status, StatusCode::SEE_OTHER);

    // One expensive request at a time: while a chart's body is still being sent, the next waits, then
    // is turned away; once the first is done, the next is drawn.
    let limits = Limits { heavy_concurrency: 1, heavy_wait: Duration::from_millis(300), ..Limits::default() };
    let app = app_with_limits(limits).await;
    use tower::ServiceExt;
    let chart = "/chart.svg?home=totals";
    let first = app.clone().oneshot(Request::get(chart).body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let busy = get(&app, "/chart.png?home=platforms", &[]).await;
    assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(busy.header("retry-after"), "5");
    assert!(busy.text().contains("busy"), "{}", busy.text());
    assert_eq!(get(&app, "/api/v1/datasets", &[]).await.status, StatusCode::OK, "cheap routes do not wait");
    drop(first);
    assert_eq!(get(&app, "/chart.png?home=platforms", &[]).await.status, StatusCode::OK);

    // An answer that does not start within the time limit.
    let slow = Router::new().route("/slow", route_get(|| async {
        tokio::time::sleep(Duration::from_secs(30)).await;
        "late"
    }));
    let guards = Guards::new(&Limits { request_timeout: Duration::from_millis(200), ..Limits::default() });
    let started = Instant::now();
    let r = send(&outer(slow, &guards), Request::get("/slow").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.header("retry-after").parse::<u64>().is_ok());
    assert!(started.elapsed() < Duration::from_secs(5));

    // A dense series (made-up figures: 2,160 months) is drawn with its latest 2,000 points, and says so.
    let mut csv = String::from("series_id,origin,destination,platform,category,period,value,unit,source\n");
    for y in 1840..2020 {
        for m in 1..=12 {
            csv.push_str(&format!("dense_test,China,Viet Nam,,made-up goods,{y}-{m:02},{},USD bn,made-up test data\n", y % 7 + m));
        }
    }
    let done = import(&app, "dense.csv", csv.as_bytes(), &[("dataset", "test-dense")]).await;
    assert_eq!(done["summary"]["observations"], 2160, "{done}");
    let id = get(&app, "/api/v1/series?indicator=dense_test", &[]).await.json()["series"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let page = get(&app, &format!("/explore?s={id}&chart=table"), &[]).await.text();
    assert!(page.contains("only the latest 2000 of 2160 figures"), "the page says what was left out");
    assert!(!page.contains(">1840-01<"), "the earliest months are not drawn");
}

/// Finding 4: `/theme?back=` sent browsers to other sites (`/%09/evil.example` → `http://evil.example/`).
#[tokio::test]
async fn finding_04_the_theme_switch_only_goes_back_to_this_site() {
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
async fn finding_03_script_links_are_refused_at_import_and_never_rendered() {
    let app = common::app_with(common::seeded_store().await, common::config(Some("t0ken")));
    // Made-up test data: one good row, one row with a script link.
    let csv = "series_id,origin,destination,platform,category,period,value,unit,source,source_url\n\
test_only,China,Viet Nam,,made-up goods,2023,1.5,USD bn,made-up test data,https://example.org/made-up\n\
test_only,China,Viet Nam,,made-up goods,2024,2.5,USD bn,made-up test data,javascript:alert(document.cookie)\n";
    let fields = [("token", "t0ken"), ("dataset", "test-links")];
    let r = common::send(&app, upload(multipart(&fields, Some(("links.csv", csv.as_bytes()))))).await;
    let done = wait_for(&app, r.json()["status"].as_str().unwrap(), "t0ken").await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["summary"]["observations"], 1);
    assert_eq!(done["summary"]["errors"][0]["row"], 3);
    assert_eq!(done["summary"]["errors"][0]["column"], "source_url");
    assert!(done["summary"]["errors"][0]["reason"].as_str().unwrap().contains("not a web address"));

    // The dataset-level link from the form: the whole file is refused, nothing written.
    let fields = [("token", "t0ken"), ("dataset", "test-links-2"), ("source_url", "javascript:alert(1)")];
    let r = common::send(&app, upload(multipart(&fields, Some(("links.csv", csv.as_bytes()))))).await;
    let failed = wait_for(&app, r.json()["status"].as_str().unwrap(), "t0ken").await;
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


/// A body that never ends: `first`, then 64 KB pieces for as long as it is read (counted in `pulled`).
fn endless(first: Vec<u8>, pulled: Arc<AtomicUsize>) -> Body {
    use futures_util::StreamExt;
    let piece = vec![b'x'; 64 << 10];
    Body::from_stream(
        futures_util::stream::iter([Ok::<_, std::io::Error>(first)]).chain(futures_util::stream::repeat_with(
            move || {
                pulled.fetch_add(1, Ordering::Relaxed);
                Ok(piece.clone())
            },
        )),
    )
}

fn upload_request(body: Body, bearer: Option<&str>) -> Request<Body> {
    let mut req = Request::post("/api/v1/admin/imports")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .header(header::ACCEPT, "application/json");
    if let Some(t) = bearer {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    req.body(body).unwrap()
}

/// Finding 5: the admin form read (and stored) up to 257 MB before checking the token. Now the token —
/// the `Authorization` header or the form's first field — is checked first: a wrong one is refused at
/// once, with almost nothing of an endless body read; text fields are capped at 4 KB.
#[tokio::test]
async fn finding_05_a_wrong_token_is_refused_before_the_body_is_read() {
    let app = app_with_limits(Limits::default()).await;
    let field = |name: &str, value: &str| {
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
    };
    let file_head = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n\r\n");
    let cases = [
        (format!("{}{file_head}", field("token", "wrong")), None, StatusCode::FORBIDDEN),
        (file_head.clone(), Some("wrong"), StatusCode::FORBIDDEN),
        (format!("{}{file_head}", field("dataset", "x")), None, StatusCode::UNAUTHORIZED),
        (format!("{}{}", field("token", TOKEN), field("title", &"t".repeat(10_000))), None, StatusCode::PAYLOAD_TOO_LARGE),
    ];
    for (head, bearer, status) in cases {
        let pulled = Arc::new(AtomicUsize::new(0));
        let req = upload_request(endless(head.into_bytes(), pulled.clone()), bearer);
        let r = tokio::time::timeout(Duration::from_secs(10), send(&app, req))
            .await
            .expect("answered without reading the whole body");
        assert_eq!(r.status, status, "{}", r.text());
        assert!(pulled.load(Ordering::Relaxed) < 16, "read {} pieces of 64 KB", pulled.load(Ordering::Relaxed));
    }
}

/// Finding 6: a half-sent request stayed open, SIGTERM cut requests off, a panic dropped the
/// connection and a > 2 MB server-function body gave 500. Now: dropped after the read timeout; a
/// stopping server finishes running requests; a panic is a plain 500; a big body a 413 that says so.
#[tokio::test]
async fn finding_06_slow_clients_panics_big_bodies_and_shutdown_are_handled() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;
    let slow = Router::new().route("/slow", route_get(|| async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        "done"
    }));
    let limits = Limits { read_timeout: Duration::from_secs(1), ..Limits::default() };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        tradewinds::server::serve(listener, slow, &limits, async {
            let _ = stopped.await;
        })
        .await
    });
    // Headers never finished: the connection is closed after the read timeout.
    let mut half = TcpStream::connect(addr).await.unwrap();
    half.write_all(b"GET /slow HTTP/1.1\r\nHost: localhost\r\n").await.unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(10), half.read_to_end(&mut buf)).await;
    assert!(closed.is_ok(), "the half-sent request was dropped");
    assert!(started.elapsed() >= Duration::from_millis(800), "{:?}", started.elapsed());
    // Stopping while a request runs: it is answered, then the server stops.
    let mut client = TcpStream::connect(addr).await.unwrap();
    client.write_all(b"GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    stop.send(()).unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), client.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("done"), "{answer}");
    tokio::time::timeout(Duration::from_secs(5), server).await.expect("the server stopped").unwrap();
    assert!(TcpStream::connect(addr).await.is_err(), "no new connections after the stop");

    // A panic while answering.
    let boom = Router::new().route("/boom", route_get(|| async {
        if std::hint::black_box(true) {
            panic!("made-up failure");
        }
        "unreachable"
    }));
    let r = send(&outer(boom, &Guards::new(&Limits::default())), Request::get("/boom").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(r.header("content-type").starts_with("text/plain"));
    assert!(r.text().contains("Something went wrong"), "{}", r.text());

    // More than 2 MB for a server function: declared, or sent without a length.
    let app = common::app().await;
    let big = Request::post("/api/load_admin_import")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, (3 << 20).to_string())
        .body(Body::from(vec![b'a'; 3 << 20]))
        .unwrap();
    let r = send(&app, big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("larger than 2 MB"), "{}", r.text());
    let pieces = futures_util::stream::iter((0..48).map(|_| Ok::<_, std::io::Error>(vec![b'a'; 64 << 10])));
    let chunked = Request::post("/api/load_admin_import")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from_stream(pieces))
        .unwrap();
    assert_eq!(send(&app, chunked).await.status, StatusCode::PAYLOAD_TOO_LARGE);
}

/// Finding 7: Chinese labels merged different series, and a value starting with a multi-byte character
/// panicked the import. Now each label has its own id, and such values are read or refused by row.
#[tokio::test]
async fn finding_07_chinese_labels_stay_apart_and_wide_characters_never_panic() {
    let app = app_with_limits(Limits::default()).await;
    // Made-up figures.
    let csv = "series_id,origin,destination,period,value,unit\n\
               出口,中国,美国,2024,1,亿元\n\
               进口,中国,日本,2024,2,亿元\n\
               出口,中国,美国,2023,\u{2212}5,亿元\n\
               出口,中国,美国,2022,€5,亿元\n";
    let done = import(&app, "zh.csv", csv.as_bytes(), &[("dataset", "test-zh"), ("format", "long")]).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["summary"]["series"], 2, "{done}");
    assert_eq!(done["summary"]["observations"], 3);
    assert_eq!(done["summary"]["errors"][0]["row"], 5);
    assert_eq!(done["summary"]["errors"][0]["column"], "value");
    let series = get(&app, "/api/v1/series?dataset=test-zh", &[]).await.json();
    let ids: Vec<&str> = series["series"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
}

/// Finding 8: `Host: evil.example` reached publicly cached answers (`/oembed`'s script address, share
/// tags). Now links come from `TRADEWINDS_PUBLIC_URL`, or from loopback and allowed Hosts only; answers
/// that follow the Host say `Vary: Host`; an exposed server without a public URL does not start.
#[tokio::test]
async fn finding_08_a_forged_host_never_reaches_links_or_caches() {
    let app = common::app().await;
    let forged = get(&app, "/", &[("host", "evil.example")]).await;
    assert_eq!(forged.status, StatusCode::OK);
    assert!(!forged.text().contains("evil.example"));
    let vary: Vec<&str> = forged.headers.get_all("vary").iter().map(|v| v.to_str().unwrap()).collect();
    assert!(vary.contains(&"host"), "{vary:?}");
    let o = get(&app, "/oembed?url=http%3A%2F%2Fevil.example%2Fexplore&format=json", &[("host", "evil.example")]).await;
    assert!(!o.text().contains("evil.example/embed.js"), "{}", o.text());
    let embed = get(&app, "/embed?home=totals", &[("host", "evil.example")]).await;
    assert!(!embed.text().contains("evil.example"));
    // Loopback and allowed Hosts still get their own links.
    assert!(get(&app, "/", &[("host", "127.0.0.1:3000")]).await.text().contains("http://127.0.0.1:3000/"));
    assert!(get(&app, "/", &[("host", "tradewinds.test")]).await.text().contains("http://tradewinds.test/"));
    // Listening on every interface without a public URL: the start is refused, saying why.
    let mut leptos = leptos::prelude::get_configuration(Some("Leptos.toml")).unwrap().leptos_options;
    leptos.site_addr = "0.0.0.0:3000".parse().unwrap();
    let config = tradewinds::config::Config::new("sqlite::memory:", leptos, None, None, None).unwrap();
    let e = config.check_exposure().unwrap_err().to_string();
    assert!(e.starts_with("TRADEWINDS_PUBLIC_URL:") && e.contains("0.0.0.0:3000"), "{e}");
}

fn made_up_dataset(id: &str) -> tradewinds::domain::Dataset {
    tradewinds::domain::Dataset {
        id: id.into(),
        title: "made-up test data".into(),
        publisher: "test".into(),
        source_url: None,
        licence: "test".into(),
        retrieved: None,
        notes: String::new(),
    }
}

/// Finding 9: a second writer failed after 5 s with "database is locked", and a failed import left the
/// WAL at its full size. Now writers queue (another process's import waits as long as the first
/// writes), imports in one server take turns, and the WAL is truncated after an import, failed or not.
#[tokio::test]
async fn finding_09_a_second_writer_waits_and_the_wal_is_truncated() {
    use tradewinds::import::{self, Format, Input, Options, Progress};
    use tradewinds::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let url = format!("sqlite://{}", path.display());
    let server = Store::open(&url).await.unwrap();
    let other_process = Store::open(&url).await.unwrap();
    let first = server.begin_dataset(&made_up_dataset("test-a"), "a").await.unwrap();
    let second = tokio::spawn(async move {
        let w = other_process.begin_dataset(&made_up_dataset("test-b"), "b").await?;
        w.commit().await
    });
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert!(!second.is_finished(), "the second writer still waits after SQLite's old 5 s");
    first.commit().await.unwrap();
    tokio::time::timeout(Duration::from_secs(20), second).await.expect("its turn came").unwrap().unwrap();

    let wal = dir.path().join("t.db-wal");
    let wal_len = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    let run = |name: &'static str, csv: &'static [u8]| {
        let opts = Options { format: Some(Format::Long), ..Options::default() };
        import::run(&server, Input::from_bytes(name, csv.to_vec()), opts, Progress::default())
    };
    // A failed import (no readable row) still folds the log back.
    assert!(run("bad.csv", b"series_id,period,value,unit\na,2020,x,USD\n").await.is_err());
    assert_eq!(wal_len(), 0, "truncated after a failed import");
    let good = run("good.csv", b"series_id,period,value,unit\na,2020,1.5,USD\n").await;
    assert!(good.is_ok(), "{good:?}");
    assert_eq!(wal_len(), 0, "truncated after an import");

    // Two uploads at once in one server: both land.
    let app = app_with_limits(Limits::default()).await;
    let csv = |v: &str| format!("series_id,origin,destination,platform,category,period,value,unit,source\nq_test_{v},China,Viet Nam,,made-up goods,2024,{v},USD bn,made-up test data\n");
    let (a, b) = (csv("1.5"), csv("2.5"));
    let (one, two) = tokio::join!(
        import(&app, "a.csv", a.as_bytes(), &[("dataset", "test-q1")]),
        import(&app, "b.csv", b.as_bytes(), &[("dataset", "test-q2")]),
    );
    assert_eq!((one["state"].as_str(), two["state"].as_str()), (Some("done"), Some("done")), "{one} {two}");
}

/// Log lines, collected (to check what failed admin attempts leave in the log).
#[derive(Clone, Default)]
struct Logs(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Logs;
    fn make_writer(&'a self) -> Logs {
        self.clone()
    }
}

/// The policy header that governs scripts, and the nonce it names.
fn script_policy(r: &common::Reply) -> (String, String) {
    let policy = r
        .headers
        .get_all("content-security-policy")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|p| p.starts_with("script-src"))
        .expect("a script policy");
    let nonce = policy.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string();
    (policy, nonce)
}

/// Every `<script>` of `html` carries `nonce`, and no element has an inline event handler.
fn scripts_carry(html: &str, nonce: &str) {
    // The embed snippets offered for partner pages (`<script async src="…/embed.js">`, inside the
    // builder's data) are text, not scripts of this page.
    let tags: Vec<&str> = html
        .split("<script")
        .skip(1)
        .map(|t| &t[..t.find('>').unwrap()])
        .filter(|t| !t.contains("/embed.js"))
        .collect();
    assert!(!tags.is_empty());
    for tag in tags {
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "<script{tag}>");
    }
    for handler in [" onclick=", " onload=", " onerror=", " onchange=", " onsubmit=", " oninput=", " onmouseover="] {
        assert!(!html.contains(handler), "{handler}");
    }
}

/// Finding 10: the only policy was `frame-ancestors`; no HSTS, no `Secure` cookies, no CORS on the API;
/// the admin token compare leaked its length, a configured token with a trailing newline never matched,
/// failed attempts were not logged, and a job's status was open to anyone with its id.
#[tokio::test]
async fn finding_10_headers_policies_and_the_admin_token() {
    let app = app_with_limits(Limits::default()).await;
    // A script policy with the page's nonce on every page, cached or not; embeds keep their framing.
    for url in ["/", "/explore", "/explore", "/markets", "/rankings", "/zh/explore", "/embed?home=totals"] {
        let r = get(&app, url, &[]).await;
        let (policy, nonce) = script_policy(&r);
        for part in ["script-src 'self' 'nonce-", "'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'none'", "form-action 'self'"] {
            assert!(policy.contains(part), "{url}: {policy}");
        }
        assert!(!policy.contains("unsafe-inline"));
        scripts_carry(&r.text(), &nonce);
    }
    assert_eq!(get(&app, "/embed?home=totals", &[]).await.header("content-security-policy"), "frame-ancestors *");
    // A revalidated page keeps the policy stored with the browser's copy.
    let page = get(&app, "/explore", &[]).await;
    let not_modified = get(&app, "/explore", &[("if-none-match", page.header("etag"))]).await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    assert_eq!(not_modified.header("content-security-policy"), "");
    // The read-only API may be read from any site; uploads may not.
    assert_eq!(get(&app, "/api/v1/datasets", &[]).await.header("access-control-allow-origin"), "*");
    let post = send(&app, upload(multipart(&[("token", "x")], None))).await;
    assert_eq!(post.header("access-control-allow-origin"), "");
    assert_eq!(get(&app, "/theme?set=dark", &[]).await.header("strict-transport-security"), "", "not over http");

    // Over https: HSTS, and cookies only over https.
    let leptos = leptos::prelude::get_configuration(Some("Leptos.toml")).unwrap().leptos_options;
    let https = tradewinds::config::Config::new("sqlite::memory:", leptos.clone(), Some("https://tw.example"), None, Some("s3cret\n")).unwrap();
    let app = common::app_with(common::seeded_store().await, https);
    let r = get(&app, "/theme?set=dark", &[]).await;
    assert!(r.header("strict-transport-security").starts_with("max-age="));
    assert!(r.header("set-cookie").contains("; Secure"), "{}", r.header("set-cookie"));

    // The configured token's trailing newline is not part of it; wrong tokens of any length are
    // refused alike, and logged with the client's address but not the token.
    let logs = Logs::default();
    let _log = tracing::subscriber::set_default(tracing_subscriber::fmt().with_writer(logs.clone()).with_ansi(false).finish());
    for wrong in ["s", "s3cre", "s3cret-but-longer", "s3cret \t"] {
        let mut req = upload_request(Body::from(multipart(&[], Some(("a.csv", &b"x"[..])))), Some(wrong));
        req.extensions_mut().insert(axum::extract::ConnectInfo("192.0.2.7:4000".parse::<std::net::SocketAddr>().unwrap()));
        let r = send(&app, req).await;
        let expected = if wrong.trim() == "s3cret" { StatusCode::ACCEPTED } else { StatusCode::FORBIDDEN };
        assert_eq!(r.status, expected, "{wrong:?}");
    }
    let log = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert_eq!(log.matches("admin upload refused (wrong token) from 192.0.2.7").count(), 3, "{log}");
    assert!(!log.contains("s3cre"), "no token in the log");
    // A job's status needs the token too.
    let csv = b"series_id,period,value,unit\na,2020,1.5,USD\n";
    let r = send(&app, upload_request(Body::from(multipart(&[("format", "long")], Some(("a.csv", &csv[..])))), Some("s3cret"))).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    let status = r.json()["status"].as_str().unwrap().to_string();
    assert_eq!(get(&app, &status, &[]).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&app, &status, &[("authorization", "Bearer nope")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(get(&app, &status, &[("authorization", "Bearer s3cret")]).await.status, StatusCode::OK);
}

/// Finding 11: a Comtrade download re-saved by a spreadsheet (`;`, an unnamed index column, thousands
/// separators) was refused. Now it is read, and the summary says what was assumed.
#[tokio::test]
async fn finding_11_a_resaved_semicolon_file_is_read_and_the_summary_says_how() {
    let app = app_with_limits(Limits::default()).await;
    // Made-up figures in the layout of a re-saved download.
    let csv = ";refYear;period;reporterISO;reporterDesc;flowCode;flowDesc;partnerISO;partnerDesc;cmdCode;cmdDesc;primaryValue\n\
               0;2023;2023;CHN;China;X;Export;USA;USA;TOTAL;All Commodities;23,837,402,142.0\n\
               1;2023;2023;CHN;China;X;Export;JPN;Japan;TOTAL;All Commodities;1,234\n";
    let done = import(&app, "TradeData.csv", csv.as_bytes(), &[("dataset", "test-resaved")]).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["summary"]["observations"], 2);
    assert!(done["summary"]["notes"].as_str().unwrap().contains("';'-separated"), "{done}");
}

/// Finding 10, the job page: `/admin/import?job=…` showed an import's progress and summary to whoever
/// held its id. Now the page, its server function and the job's status need the admin token, or the
/// cookie the uploading browser got (a digest, never the token; HttpOnly, SameSite=Strict).
#[tokio::test]
async fn finding_10_an_import_jobs_page_is_the_admins() {
    let app = app_with_limits(Limits::default()).await;
    let csv = b"series_id,period,value,unit\njob_page_test,2020,1.5,USD\n";
    let r = send(&app, upload(multipart(&[("token", TOKEN), ("format", "long")], Some(("a.csv", &csv[..]))))).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    let set_cookie = r.header("set-cookie").to_string();
    for part in ["tw_admin_jobs=", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(part), "{set_cookie}");
    }
    assert!(!set_cookie.contains(TOKEN), "the cookie never holds the token: {set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let v = r.json();
    let (page, status) = (v["page"].as_str().unwrap().to_string(), v["status"].as_str().unwrap().to_string());
    wait_for(&app, &status, TOKEN).await;

    // Without the token or the cookie, or with a made-up cookie: refused, saying how to get in.
    for headers in [vec![], vec![("cookie", "tw_admin_jobs=0123abcd")], vec![("authorization", "Bearer nope")]] {
        for url in [page.clone(), page.replace("/admin/", "/zh/admin/")] {
            let r = get(&app, &url, &headers).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{url} {headers:?}");
            assert!(r.text().contains("admin only") || r.text().contains("仅管理员可见"), "{}", r.text());
            assert!(!r.text().contains("a.csv"), "nothing of the job is shown");
        }
    }
    assert_eq!(get(&app, &status, &[("cookie", "tw_admin_jobs=0123abcd")]).await.status, StatusCode::UNAUTHORIZED);
    // The page's server function is an endpoint of its own: refused alike.
    let path = <tradewinds::pages::admin_import::LoadAdminImport as leptos::server_fn::ServerFn>::PATH;
    let job = page.split("job=").nth(1).unwrap();
    let call = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("job={job}")))
        .unwrap();
    let r = send(&app, call).await;
    assert!(r.text().contains("admin only"), "{} {}", r.status, r.text());
    assert!(!r.text().contains("a.csv"), "{}", r.text());

    // The uploading browser's cookie, or the token, opens the page and the status; the form is open.
    for headers in [vec![("cookie", cookie.as_str())], vec![("authorization", "Bearer t0ken")]] {
        let r = get(&app, &page, &headers).await;
        assert_eq!(r.status, StatusCode::OK, "{headers:?}");
        assert!(r.text().contains("class=\"job done\""), "{}", r.text());
        assert!(r.text().contains("a.csv"));
        assert_eq!(get(&app, &status, &headers).await.status, StatusCode::OK);
    }
    let other_cookies = format!("theme=dark; {cookie}; lang=en");
    assert_eq!(get(&app, &page, &[("cookie", &other_cookies)]).await.status, StatusCode::OK);
    assert_eq!(get(&app, "/admin/import", &[]).await.status, StatusCode::OK);
}

/// Behind a reverse proxy every request arrives from the proxy's address, so one client over its rate
/// would have the whole site refused. With the proxy trusted (`TRADEWINDS_TRUSTED_PROXIES`), each client
/// the proxy names has its own limit, and a client cannot dodge it by writing the header itself; from an
/// untrusted peer the header is ignored.
#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_rate_limit() {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    async fn ask(addr: SocketAddr, forwarded_for: &str) -> (u16, String) {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let req = format!("GET /who HTTP/1.0\r\nHost: localhost\r\nX-Forwarded-For: {forwarded_for}\r\n\r\n");
        s.write_all(req.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).await.unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let status = text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        (status, text.rsplit("\r\n\r\n").next().unwrap_or("").to_string())
    }
    async fn start(limits: Limits) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
        let who = Router::new().route(
            "/who",
            route_get(|ConnectInfo(client): ConnectInfo<SocketAddr>| async move { client.ip().to_string() }),
        );
        let app = outer(who, &Guards::new(&limits));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            tradewinds::server::serve(listener, app, &limits, async {
                let _ = stopped.await;
            })
            .await
        });
        (addr, stop)
    }
    // The test connects from 127.0.0.1: that is the proxy. A burst of 2 and 1 a second after it.
    let behind_proxy = Limits {
        rate: Some((1, 2)),
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        ..Limits::default()
    };
    let (addr, _stop) = start(behind_proxy).await;
    assert_eq!(ask(addr, "203.0.113.1").await, (200, "203.0.113.1".to_string()));
    assert_eq!(ask(addr, "203.0.113.1").await.0, 200);
    let (status, body) = ask(addr, "203.0.113.1").await;
    assert_eq!(status, 429, "the client's burst is spent: {body}");
    // Its neighbour behind the same proxy is not refused.
    assert_eq!(ask(addr, "203.0.113.2").await, (200, "203.0.113.2".to_string()));
    // Writing its own header does not help: the proxy appends the real address after it.
    assert_eq!(ask(addr, "198.51.100.9, 203.0.113.1").await.0, 429);

    // Nothing trusted: the header is a client's word and ignored.
    let (addr, _stop) = start(Limits { rate: None, ..Limits::default() }).await;
    assert_eq!(ask(addr, "203.0.113.7").await, (200, "127.0.0.1".to_string()));
}
