//! The store on PostgreSQL: the default dataset seeds through COPY and reads back exactly as on
//! SQLite, the whole app answers from it, a failed import leaves nothing, and two instances' imports
//! queue on the database's lock instead of interleaving.
//!
//! Needs a server: `TEST_POSTGRES_URL` (a role that may create databases). `scripts/test.sh` starts a
//! throwaway cluster with `pg_virtualenv` and sets it, with `TEST_POSTGRES_REQUIRED=1` so that a
//! missing server fails the run; a plain `cargo test` without it says so and skips these tests.
#![cfg(feature = "ssr")]

mod common;

use axum::http::StatusCode;
use common::get;
use std::sync::atomic::{AtomicUsize, Ordering};
use tradewinds::domain::{Dataset, Observation, Series};
use tradewinds::store::{SeriesFilter, Store};

/// A fresh database on the test server for one test, or `None` (with a note) when there is none.
async fn fresh_database(name: &str) -> Option<String> {
    let Ok(admin) = std::env::var("TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("TEST_POSTGRES_REQUIRED").is_err(),
            "TEST_POSTGRES_URL is not set, and these tests are required (scripts/test.sh sets it)"
        );
        eprintln!("{name}: skipped, no TEST_POSTGRES_URL (scripts/test.sh provides a server)");
        return None;
    };
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

    assert_eq!(pg.counts().await.unwrap(), lite.counts().await.unwrap(), "datasets, series, observations");
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
