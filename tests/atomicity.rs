//! An import killed midway leaves no trace: the dataset is either whole or absent.
#![cfg(feature = "ssr")]

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tradewinds::store::Store;

#[tokio::test]
async fn killing_an_import_midway_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let csv = common::big_csv(dir.path(), "big.csv", 1_000_000);
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    // Create and migrate first, so the child only imports.
    Store::open(&db).await.unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tradewinds"))
        .args(["--database-url", &db, "import", csv.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once it has started writing (the WAL file grows), well before it can finish.
    let wal = dir.path().join("t.db-wal");
    let started = Instant::now();
    while std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) < 2_000_000
        && started.elapsed() < Duration::from_secs(60)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let finished_already = child.try_wait().unwrap().is_some();
    child.kill().ok();
    child.wait().unwrap();
    assert!(
        !finished_already,
        "the import finished before it could be killed; make the file bigger"
    );
    let store = Store::open(&db).await.unwrap();
    assert_eq!(
        store.counts().await.unwrap(),
        (0, 0, 0),
        "a killed import must leave nothing behind"
    );
}
