//! The store on PostgreSQL: the default dataset seeds through COPY and reads back exactly as on
//! SQLite, the whole app answers from it, a failed import leaves nothing, two instances' imports
//! queue on the database's lock instead of interleaving (in one process, and as two server processes),
//! and reads go to a replica while writes go to the primary.
//!
//! Needs a server: `TEST_POSTGRES_URL` (a role that may create databases) and a streaming replica of it,
//! `TEST_POSTGRES_REPLICA_URL`. `scripts/test.sh` starts a throwaway cluster with `pg_virtualenv` and a
//! replica beside it (`scripts/lib/pg_replica.sh`), with `TEST_POSTGRES_REQUIRED=1` so that a missing
//! server fails the run; a plain `cargo test` without them says so and skips these tests.
#![cfg(feature = "ssr")]

mod common;

use axum::http::StatusCode;
use common::get;
use std::sync::atomic::{AtomicUsize, Ordering};
use tradewinds::domain::{Dataset, Observation, Series};
use tradewinds::store::{SeriesFilter, Store};

/// A variable the test script sets, or `None` (with a note, so the test skips) when it is missing and
/// the tests are not required.
fn test_server_var(var: &str) -> Option<String> {
    let value = std::env::var(var).ok();
    if value.is_none() {
        assert!(
            std::env::var("TEST_POSTGRES_REQUIRED").is_err(),
            "{var} is not set, and these tests are required (scripts/test.sh sets it)"
        );
        eprintln!("skipped, no {var} (scripts/test.sh starts a server and a replica)");
    }
    value
}

/// A fresh database on the test server for one test, or `None` (with a note) when there is none.
async fn fresh_database(name: &str) -> Option<String> {
    let admin = test_server_var("TEST_POSTGRES_URL")?;
    static N: AtomicUsize = AtomicUsize::new(0);
    let db = format!("tw_{}_{}_{}", name, std::process::id(), N.fetch_add(1, Ordering::Relaxed));
    let pool = sqlx::PgPool::connect(&admin).await.expect("the test server");
    sqlx::query(&format!("CREATE DATABASE {db}")).execute(&pool).await.expect("a test database");
    pool.close().await;
    let (base, _) = admin.rsplit_once('/').expect("a database in TEST_POSTGRES_URL");
    Some(format!("{base}/{db}"))
}

/// Made-up rows, for tests only.
fn dataset(id: &str) -> Dataset {
    Dataset {
        id: id.into(),
        title: "Test only".into(),
        publisher: "Nobody".into(),
        source_url: None,
        licence: "none".into(),
        retrieved: None,
        notes: String::new(),
    }
}

fn series(dataset: &str, id: &str) -> Series {
    Series {
        id: id.into(),
        dataset_id: dataset.into(),
        indicator: "made up".into(),
        unit: "USD".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_default_dataset_reads_back_the_same_as_on_sqlite_and_the_app_answers_from_it() {
    let Some(url) = fresh_database("seed").await else { return };
    let pg = Store::open(&url).await.expect("PostgreSQL store");
    assert_eq!(pg.backend(), "PostgreSQL");
    tradewinds::seed::seed_defaults(&pg).await.expect("seeding PostgreSQL");
    let lite = common::seeded_store().await;

    let counts = pg.counts().await.unwrap();
    assert_eq!(counts, lite.counts().await.unwrap(), "datasets, series, observations");
    // Each import leaves the planner statistics of what it wrote (a table never analysed has
    // reltuples = -1, and queries by series id were planned as scans of every observation).
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let observations = counts.2;
    let planned: f32 = sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE relname = 'observations'")
        .fetch_one(&pool)
        .await
        .unwrap();
    // An estimate from a sample: close, not exact.
    let off = (f64::from(planned) - observations as f64).abs() / observations as f64;
    assert!(off < 0.1, "the planner knows the observations table: {planned} planned, {observations} stored");
    assert_eq!(pg.datasets().await.unwrap(), lite.datasets().await.unwrap());
    assert_eq!(pg.data_version().await.unwrap(), lite.data_version().await.unwrap(), "the same data, the same version");
    let all = SeriesFilter::default();
    let (pg_series, lite_series) = (pg.series(&all).await.unwrap(), lite.series(&all).await.unwrap());
    assert_eq!(pg_series, lite_series, "every series, in the same order");
    assert_eq!(pg.observation_counts().await.unwrap(), lite.observation_counts().await.unwrap());
    assert_eq!(pg.latest_observations().await.unwrap(), lite.latest_observations().await.unwrap());
    // Every figure with its flags, notes and sources, a few hundred series at a time.
    let ids: Vec<String> = lite_series.iter().map(|s| s.id.clone()).collect();
    for chunk in ids.chunks(500) {
        assert_eq!(
            pg.observations(chunk, None, None).await.unwrap(),
            lite.observations(chunk, None, None).await.unwrap(),
            "observations of {}…",
            chunk[0]
        );
    }

    // The whole app on PostgreSQL: pages, API, a chart image and a download.
    let app = common::app_with(pg, common::config(None));
    for path in ["/", "/explore", "/zh/markets?category=Textiles", "/rankings", "/api/v1/datasets"] {
        let r = get(&app, path, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
    }
    let temu = "platform_gmv.china.world.temu.gmv.usd-billion";
    let svg = get(&app, &format!("/chart.svg?s={temu}"), &[]).await;
    assert_eq!(svg.status, StatusCode::OK);
    assert!(svg.text().contains("<svg"));
    let csv = get(&app, &format!("/api/v1/observations?series={temu}&format=csv"), &[]).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.text());
    assert!(csv.text().lines().count() > 2, "the download has the figures");
}

#[tokio::test]
async fn a_failed_import_leaves_nothing_and_two_instances_imports_queue() {
    let Some(url) = fresh_database("writers").await else { return };
    // Two instances: two stores (two pools) on one database.
    let (a, b) = (Store::open(&url).await.unwrap(), Store::open(&url).await.unwrap());

    // An import dropped halfway (a failure, a stopped process) leaves nothing behind.
    let mut w = a.begin_dataset(&dataset("test-dropped"), "h0").await.unwrap();
    w.add_series(&[series("test-dropped", "test-dropped.s")]).await.unwrap();
    w.add_observations(&[Observation::new("test-dropped.s", "2020".parse().unwrap(), 1.0)]).await.unwrap();
    drop(w);
    assert_eq!(a.counts().await.unwrap(), (0, 0, 0));

    // Instance A imports; instance B's import waits on the database's lock until A commits.
    let mut first = a.begin_dataset(&dataset("test-a"), "ha").await.unwrap();
    first.add_series(&[series("test-a", "test-a.s")]).await.unwrap();
    let second = tokio::spawn({
        let b = b.clone();
        async move {
            let mut w = b.begin_dataset(&dataset("test-b"), "hb").await.unwrap();
            // By the time B has its turn, A's import is whole and visible.
            assert_eq!(b.datasets().await.unwrap().len(), 1, "A committed before B wrote");
            w.add_series(&[series("test-b", "test-b.s")]).await.unwrap();
            let figures: Vec<Observation> = (2000..2020)
                .map(|y| Observation::new("test-b.s", y.to_string().parse().unwrap(), y as f64 + 0.125))
                .collect();
            w.add_observations(&figures).await.unwrap();
            w.commit().await.unwrap();
        }
    });
    // Wait (bounded) until B is seen waiting for the lock, so the order is proven, not timed.
    let admin = sqlx::PgPool::connect(&url).await.unwrap();
    let mut waiting = false;
    for _ in 0..200 {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
        )
        .fetch_one(&admin)
        .await
        .unwrap();
        if n > 0 {
            waiting = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(waiting, "the second import waits for the first");
    first
        .add_observations(&[Observation::new("test-a.s", "2024-H1".parse().unwrap(), 2.5)])
        .await
        .unwrap();
    first.commit().await.unwrap();
    second.await.expect("the second import");
    assert_eq!(b.counts().await.unwrap(), (2, 2, 21), "both imports landed whole");
    let back = a.observations(&["test-b.s".to_string()], None, None).await.unwrap();
    assert_eq!(back.len(), 20);
    assert_eq!(back[3].value, 2003.125, "values come back exactly");
}

// Made-up test data.
const CSV: &str = "series_id,origin,destination,platform,category,period,value,unit,source\n\
test_only,China,Viet Nam,,Toys,2023,1.5,USD bn,made-up test data\n\
test_only,China,Viet Nam,,Toys,2024,2.5,USD bn,made-up test data\n";

#[tokio::test]
async fn an_import_through_one_instance_shows_on_the_other() {
    let Some(url) = fresh_database("instances").await else { return };
    let token = "test-token-instances";
    let a = common::app_with(Store::open(&url).await.unwrap(), common::config(Some(token)));
    let b = common::app_with(Store::open(&url).await.unwrap(), common::config(Some(token)));
    // B has answered (and cached) before the import.
    let before = get(&b, "/api/v1/datasets", &[]).await.json();
    assert_eq!(before["datasets"].as_array().map(Vec::len), Some(0), "{before}");
    assert_eq!(get(&b, "/explore", &[]).await.status, StatusCode::OK);

    let fields = [("token", token), ("dataset", "test-instances"), ("publisher", "Test publisher")];
    let r = common::send(&a, common::upload(common::multipart(&fields, Some(("t.csv", CSV.as_bytes()))))).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    let done = common::wait_for(&a, r.json()["status"].as_str().unwrap(), token).await;
    assert_eq!(done["state"], "done", "{done}");

    // B reads the data version at most a second old: within a few seconds its API, pages and images
    // show the import (bounded wait, not a timing assertion).
    let mut seen = false;
    for _ in 0..100 {
        let v = get(&b, "/api/v1/series?dataset=test-instances", &[]).await.json();
        if v["total"] == 1 {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(seen, "instance B sees instance A's import");
    let series = get(&b, "/api/v1/series?dataset=test-instances", &[]).await.json();
    let id = series["series"][0]["id"].as_str().expect("the imported series").to_string();
    let page = get(&b, &format!("/explore?s={id}"), &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Toys"), "B's page draws the imported series");
    let svg = get(&b, &format!("/chart.svg?s={id}"), &[]).await;
    assert_eq!(svg.status, StatusCode::OK);
    assert!(svg.text().contains("Toys"), "B's image draws it too");
}

#[tokio::test]
async fn reads_go_to_the_replica_and_imports_to_the_primary() {
    let Some(primary) = fresh_database("primary").await else { return };
    let Some(replica) = fresh_database("replica").await else { return };
    // Another database stands in for a replica that has not caught up yet: it has the schema only.
    drop(Store::open(&replica).await.unwrap());
    let store = Store::open(&primary).await.unwrap().with_read_replica(&replica).await.unwrap();
    let figures = [Observation::new("test-r.s", "2024".parse().unwrap(), 1.0)];
    store
        .write_dataset(&dataset("test-r"), &[series("test-r", "test-r.s")], &figures, "hr")
        .await
        .unwrap();
    assert_eq!(store.dataset_hash("test-r").await.unwrap().as_deref(), Some("hr"), "the import's own check reads the primary");
    assert_eq!(store.dataset_counts("test-r").await.unwrap(), (1, 1));
    assert!(store.datasets().await.unwrap().is_empty(), "pages read the replica, which has not caught up");
    assert_eq!(store.counts().await.unwrap(), (0, 0, 0));
    let on_primary = Store::open(&primary).await.unwrap();
    assert_ne!(store.data_version().await.unwrap(), on_primary.data_version().await.unwrap(), "the version comes from where the data is read");
}

/// The replica the test script started beside the test server (`scripts/lib/pg_replica.sh`), as a URL
/// for the database `db`; `None` (with a note) when there is none.
fn replica_of(db_url: &str) -> Option<String> {
    let replica = test_server_var("TEST_POSTGRES_REPLICA_URL")?;
    let (base, _) = replica.rsplit_once('/')?;
    let (_, db) = db_url.rsplit_once('/')?;
    Some(format!("{base}/{db}"))
}

#[tokio::test]
async fn a_streaming_replica_serves_the_reads_and_the_primary_every_write() {
    let Some(primary) = fresh_database("streamed").await else { return };
    let Some(replica) = replica_of(&primary) else { return };
    drop(Store::open(&primary).await.unwrap());
    // The new database and its schema reach the replica through the WAL (bounded wait).
    let mut on_replica = None;
    for _ in 0..400 {
        if let Ok(pool) = sqlx::PgPool::connect(&replica).await {
            let migrated: Result<i64, _> = sqlx::query_scalar("SELECT COUNT(*) FROM datasets").fetch_one(&pool).await;
            if migrated.is_ok() {
                on_replica = Some(pool);
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let on_replica = on_replica.expect("the replica caught up with the new database");
    let in_recovery: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()").fetch_one(&on_replica).await.unwrap();
    assert!(in_recovery, "TEST_POSTGRES_REPLICA_URL is a standby");
    let refused = sqlx::query("INSERT INTO import_jobs (id, state, updated) VALUES ('x', '{}', now())")
        .execute(&on_replica)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("read-only"), "a standby takes no writes: {refused}");

    // The app on primary + replica: an import (a write, which the standby would refuse) lands, and the
    // pages and API, which read the replica, show it once it has streamed over.
    let store = Store::open(&primary).await.unwrap().with_read_replica(&replica).await.unwrap();
    let token = "test-token-streamed";
    let app = common::app_with(store, common::config(Some(token)));
    let fields = [("token", token), ("dataset", "test-streamed"), ("publisher", "Test publisher")];
    let r = common::send(&app, common::upload(common::multipart(&fields, Some(("t.csv", CSV.as_bytes()))))).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    let done = common::wait_for(&app, r.json()["status"].as_str().unwrap(), token).await;
    assert_eq!(done["state"], "done", "{done}");
    let mut total = serde_json::Value::Null;
    for _ in 0..100 {
        total = get(&app, "/api/v1/series?dataset=test-streamed", &[]).await.json()["total"].clone();
        if total == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(total, 1, "the import reached the replica and the app's reads");
    let streamed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM observations").fetch_one(&on_replica).await.unwrap();
    assert_eq!(streamed, 2, "the replica holds the import whole");
}

#[tokio::test]
async fn killing_an_import_midway_writes_nothing_and_frees_the_lock() {
    let Some(url) = fresh_database("killed").await else { return };
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("big.csv");
    {
        use std::io::Write;
        // Synthetic rows, made up for this test.
        let mut f = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
        writeln!(f, "series_id,origin,destination,platform,category,period,value,unit,source").unwrap();
        for i in 0..1_000_000u32 {
            let (place, year, month) = (i % 50, 1000 + i / 600, i % 12 + 1);
            writeln!(f, "test_only,Testland,Exampleland {place},,made-up,{year}-{month:02},{i},USD,made-up test data").unwrap();
        }
    }
    let store = Store::open(&url).await.unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tradewinds"))
        .args(["--database-url", &url, "import", csv.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once rows are flowing (a COPY into observations is running), well before it can finish.
    let watch = sqlx::PgPool::connect(&url).await.unwrap();
    let mut copying = false;
    for _ in 0..1200 {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'COPY observations%' AND state = 'active'",
        )
        .fetch_one(&watch)
        .await
        .unwrap();
        if n > 0 || child.try_wait().unwrap().is_some() {
            copying = n > 0;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    child.kill().ok();
    child.wait().unwrap();
    assert!(copying, "the import was seen writing rows before it was killed");
    assert_eq!(store.counts().await.unwrap(), (0, 0, 0), "a killed import leaves nothing behind");
    // The dead connection's import lock went with it: the next import takes its turn at once.
    let figures = [Observation::new("test-after.s", "2024".parse().unwrap(), 1.0)];
    let (after, after_series) = (dataset("test-after"), [series("test-after", "test-after.s")]);
    let next = store.write_dataset(&after, &after_series, &figures, "h");
    tokio::time::timeout(std::time::Duration::from_secs(60), next)
        .await
        .expect("the lock was freed")
        .unwrap();
    assert_eq!(store.counts().await.unwrap(), (1, 1, 1));
}

// ---- Two server processes on one database ---------------------------------------------------------

/// A server process of the app's own binary, killed when dropped (also when an assertion fails).
struct Server {
    child: std::process::Child,
    port: u16,
    log: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(url: &str, token: &str, dir: &std::path::Path, name: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = dir.join(format!("{name}.log"));
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_tradewinds"))
            .args(["--database-url", url, "serve"])
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("TRADEWINDS_ADMIN_TOKEN", token)
            .env("TRADEWINDS_RATE_LIMIT", "off")
            .env("RUST_LOG", "info,sqlx=warn")
            .env_remove("DATABASE_READ_URL")
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::fs::File::create(dir.join(format!("{name}.err"))).unwrap())
            .spawn()
            .unwrap();
        Server { child, port, log }
    }

    /// Waits (bounded) until the server answers; its log when it died or never answered.
    fn wait_ready(&mut self) {
        for _ in 0..2400 {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the server exited ({status}): {}", self.logs());
            }
            if self.try_request("GET", "/api/v1/datasets", &[], &[]).is_ok() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
        panic!("the server did not answer within 10 minutes: {}", self.logs());
    }

    fn logs(&self) -> String {
        let err = self.log.with_extension("err");
        format!(
            "{}{}",
            std::fs::read_to_string(&self.log).unwrap_or_default(),
            std::fs::read_to_string(err).unwrap_or_default()
        )
    }

    /// One HTTP/1.0 request (the server closes the connection after the body): status and body.
    fn try_request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<(u16, String)> {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port))?;
        s.set_read_timeout(Some(std::time::Duration::from_secs(120)))?;
        let mut head = format!("{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n", body.len());
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes())?;
        s.write_all(body)?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw)?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        Ok((status, body.to_string()))
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.try_request("GET", path, &[], &[]).unwrap()
    }

    fn json(&self, path: &str, token: &str) -> serde_json::Value {
        let auth = format!("Bearer {token}");
        let (status, body) = self.try_request("GET", path, &[("Authorization", &auth)], &[]).unwrap();
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
    }

    /// Uploads `csv` as dataset `id` through the admin endpoint; the job's status URL.
    fn upload(&self, token: &str, id: &str, csv: &str) -> String {
        let fields = [("token", token), ("dataset", id), ("publisher", "Test publisher")];
        let body = common::multipart(&fields, Some(("t.csv", csv.as_bytes())));
        let kind = format!("multipart/form-data; boundary={}", common::BOUNDARY);
        let (status, reply) = self
            .try_request("POST", "/api/v1/admin/imports", &[("Content-Type", &kind), ("Accept", "application/json")], &body)
            .unwrap();
        assert_eq!(status, 202, "{reply}");
        let v: serde_json::Value = serde_json::from_str(&reply).unwrap();
        v["status"].as_str().unwrap().to_string()
    }
}

/// The admin page following a job, from its status URL.
fn done_page(status_url: &str) -> String {
    format!("/admin/import?job={}", status_url.rsplit('/').next().unwrap())
}

/// How many connections wait for the import lock right now.
async fn waiting_for_import_lock(pool: &sqlx::PgPool) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted \
         AND ((classid::bigint << 32) | objid::bigint) = $1",
    )
    .bind(tradewinds::store::IMPORT_LOCK)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// The issue's two-instance test with real processes: two servers start at once on an empty database
/// (both seed it; one waits and finds it done), an import through each queues on the database lock
/// and lands whole, and each instance's pages, API and images show the other's import.
#[tokio::test]
async fn two_server_processes_seed_once_queue_their_imports_and_see_each_others() {
    let Some(url) = fresh_database("processes").await else { return };
    let token = "test-token-processes";
    let dir = tempfile::tempdir().unwrap();
    let mut a = Server::start(&url, token, dir.path(), "a");
    let mut b = Server::start(&url, token, dir.path(), "b");
    a.wait_ready();
    b.wait_ready();
    let datasets = |s: &Server| s.json("/api/v1/datasets", token)["datasets"].as_array().unwrap().len();
    let seeded = datasets(&a);
    assert!(seeded > 0, "the default dataset was seeded");
    assert_eq!(datasets(&b), seeded, "both instances read the same seeded data");
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM datasets").fetch_one(&pool).await.unwrap();
    assert_eq!(rows as usize, seeded, "seeded once, not twice");
    // Both have rendered (and cached) pages from the seeded data.
    assert_eq!(a.get("/explore").0, 200);
    assert_eq!(b.get("/explore").0, 200);

    // Hold imports back, then upload one file through each instance: both wait for the one lock.
    let mut holder = pool.acquire().await.unwrap();
    sqlx::query("SELECT pg_advisory_lock($1)").bind(tradewinds::store::IMPORT_LOCK).execute(&mut *holder).await.unwrap();
    let job_a = a.upload(token, "test-through-a", &CSV.replace("Viet Nam", "Kenya"));
    let job_b = b.upload(token, "test-through-b", CSV);
    let mut both_waiting = false;
    for _ in 0..1200 {
        if waiting_for_import_lock(&pool).await == 2 {
            both_waiting = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(both_waiting, "both instances' imports wait for the lock: {}{}", a.logs(), b.logs());
    // Each instance answers for both jobs: the one it runs and the one the other runs (shared state).
    for server in [&a, &b] {
        for job in [&job_a, &job_b] {
            assert_eq!(server.json(job, token)["state"], "importing", "{job} on port {}", server.port);
        }
    }
    sqlx::query("SELECT pg_advisory_unlock($1)").bind(tradewinds::store::IMPORT_LOCK).execute(&mut *holder).await.unwrap();
    drop(holder);

    for (server, job) in [(&a, &job_a), (&b, &job_b)] {
        let mut state = server.json(job, token);
        for _ in 0..1200 {
            if state["state"] != "importing" {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
            state = server.json(job, token);
        }
        assert_eq!(state["state"], "done", "{state}");
    }
    for id in ["test-through-a", "test-through-b"] {
        let (series, observations): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM series WHERE dataset_id = $1), \
             (SELECT COUNT(*) FROM observations o JOIN series s ON s.num = o.series_num WHERE s.dataset_id = $1)",
        )
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!((series, observations), (1, 2), "{id} landed whole");
    }
    // The other instance reports the finished job whole, on its API and its page.
    let done = b.json(&job_a, token);
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["summary"]["dataset"], "test-through-a");
    assert_eq!(done["summary"]["observations"], 2);
    let page_url = done_page(&job_a);
    let auth = format!("Bearer {token}");
    let (status, page) = b.try_request("GET", &page_url, &[("Authorization", &auth)], &[]).unwrap();
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("test-through-a"), "B's job page shows A's finished import");
    // A job whose instance died while importing is said to be orphaned, not left "importing" forever.
    sqlx::query("INSERT INTO import_jobs (id, state, updated) VALUES ('orphan', $1, now() - interval '5 minutes')")
        .bind(r#"{"state":"importing","bytes":1,"total":2}"#)
        .execute(&pool)
        .await
        .unwrap();
    let orphan = a.json("/api/v1/admin/imports/orphan", token);
    assert_eq!(orphan["state"], "failed", "{orphan}");
    assert!(orphan["error"].as_str().unwrap().contains("stopped reporting"), "{orphan}");

    // Each instance shows the other's import (its data version is at most a second old): API, page
    // and image. Bounded waits, not timing assertions.
    for (server, id, place) in [(&b, "test-through-a", "Kenya"), (&a, "test-through-b", "Viet Nam")] {
        let path = format!("/api/v1/series?dataset={id}");
        let mut found = server.json(&path, token);
        for _ in 0..100 {
            if found["total"] == 1 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
            found = server.json(&path, token);
        }
        assert_eq!(found["total"], 1, "{id} is in the other instance's API: {found}");
        let series = found["series"][0]["id"].as_str().unwrap().to_string();
        let (status, page) = server.get(&format!("/explore?s={series}"));
        assert_eq!(status, 200);
        assert!(page.contains(place) && page.contains("Toys"), "the other instance's page draws {id}");
        let (status, svg) = server.get(&format!("/chart.svg?s={series}"));
        assert_eq!(status, 200);
        assert!(svg.contains(place), "the other instance's image draws {id}");
    }
}
