//! What the integration tests share: the whole app in-process over a database seeded with the default
//! dataset once per test binary (each test gets its own copy of that file, so tests may write), a
//! configuration built without the environment, and requests that collect their replies.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use tower::ServiceExt;
use tradewinds::config::Config;
use tradewinds::server::{router, AppState};
use tradewinds::store::Store;

/// The test configuration: `Leptos.toml`, no public URL (links follow loopback Hosts and the allowed
/// `tradewinds.test`), any embed origin, and the given admin token.
pub fn config(admin_token: Option<&str>) -> Config {
    let leptos = leptos::prelude::get_configuration(Some("Leptos.toml"))
        .expect("Leptos.toml")
        .leptos_options;
    let mut config = Config::new("sqlite::memory:", leptos, None, None, admin_token)
        .expect("test configuration");
    config.allowed_hosts = vec!["tradewinds.test".into()];
    // A debug build on a busy CI machine renders slowly: the production time limits would turn a slow
    // answer into a 503 and a failing test (tests/security.rs checks the limits with its own values).
    config.limits.request_timeout = std::time::Duration::from_secs(600);
    config.limits.heavy_wait = std::time::Duration::from_secs(600);
    config
}

/// This binary's scratch folder under cargo's target dir; emptied when the binary first needs it.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let exe = std::env::current_exe().expect("test binary path");
        let name = exe.file_stem().and_then(|s| s.to_str()).unwrap_or("tests");
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    })
}

/// The database seeded with the default dataset, built once per test binary (on its own thread and
/// runtime, since tests run on several) and closed, so the file holds everything.
fn seeded_template() -> &'static PathBuf {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let path = scratch().join("seeded.db");
        let url = format!("sqlite://{}", path.display());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().expect("runtime");
            rt.block_on(async {
                let store = Store::open(&url).await.expect("template database");
                tradewinds::seed::seed_defaults(&store)
                    .await
                    .expect("seeding the default dataset");
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(store.sqlite_pool().expect("SQLite"))
                    .await
                    .expect("checkpoint");
                store.sqlite_pool().expect("SQLite").close().await;
            });
        })
        .join()
        .expect("seeding thread");
        path
    })
}

/// A fresh copy of the seeded database, for one test.
pub async fn seeded_store() -> Store {
    static N: AtomicUsize = AtomicUsize::new(0);
    let copy = scratch().join(format!("copy-{}.db", N.fetch_add(1, Ordering::Relaxed)));
    std::fs::copy(seeded_template(), &copy).expect("copying the seeded database");
    Store::open(&format!("sqlite://{}", copy.display()))
        .await
        .expect("opening the copy")
}

/// The app over a fresh copy of the seeded database.
pub async fn app() -> Router {
    router(AppState::new(config(None), seeded_store().await))
}

/// The app over `store` with `config`.
pub fn app_with(store: Store, config: Config) -> Router {
    router(AppState::new(config, store))
}

/// A reply, collected.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// Sends `req` through the app.
pub async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

/// `GET uri` with the given headers.
pub async fn get(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

// ---- Admin uploads ---------------------------------------------------------------------------------

pub const BOUNDARY: &str = "tradewinds-test-boundary";

/// A multipart form body with `fields` and optionally a file.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A POST of a multipart body to the admin import endpoint (asking for JSON).
pub fn upload(body: Vec<u8>) -> Request<Body> {
    Request::post("/api/v1/admin/imports")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::ACCEPT, "application/json")
        .body(Body::from(body))
        .unwrap()
}

/// Follows an import job (its status needs the admin `token`) until it is done or failed; its last
/// status.
pub async fn wait_for(app: &Router, status_url: &str, token: &str) -> serde_json::Value {
    let auth = format!("Bearer {token}");
    for _ in 0..400 {
        let v = get(app, status_url, &[("authorization", &auth)]).await.json();
        if v["state"] != "importing" {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("import did not finish");
}


// ---- Big files for fault tests ---------------------------------------------------------------------

/// A long-format CSV of `rows` made-up observations in `dir` (fifty synthetic series), big enough that
/// importing it takes a while.
pub fn big_csv(dir: &std::path::Path, name: &str, rows: u32) -> PathBuf {
    use std::io::Write;
    let path = dir.join(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    // Synthetic rows, made up for the tests.
    writeln!(f, "series_id,origin,destination,platform,category,period,value,unit,source").unwrap();
    for i in 0..rows {
        writeln!(
            f,
            "test_only,Testland,Exampleland {},,made-up,{}-{:02},{},USD,made-up test data",
            i % 50,
            1000 + i / 600,
            i % 12 + 1,
            i
        )
        .unwrap();
    }
    path
}
