//! Faults at start: a database file that is not a database, or one cut short, is refused with a message
//! naming the problem, and left exactly as it was (never silently replaced by a fresh one).
#![cfg(feature = "ssr")]

mod common;

use tradewinds::server::open_and_seed;

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("faults");
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let path = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_refused_and_kept() {
    let path = scratch("not-a-database.db");
    let junk = b"These are somebody's notes, not a database.\n".repeat(200);
    std::fs::write(&path, &junk).unwrap();
    let err = open_and_seed(&format!("sqlite://{}", path.display()))
        .await
        .err()
        .expect("a text file is not opened as the database");
    let message = err.to_string();
    assert!(message.contains("not a database") || message.contains("file is"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), junk, "the file is left as it was");
}

#[tokio::test]
async fn a_database_cut_short_is_refused_and_kept() {
    // The seeded database, cut to half its length (a copy that stopped halfway, a full disk).
    let store = common::seeded_store().await;
    let source: String = sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
        .fetch_one(store.sqlite_pool().expect("SQLite"))
        .await
        .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(store.sqlite_pool().expect("SQLite")).await.unwrap();
    let whole = std::fs::read(&source).unwrap();
    let path = scratch("cut-short.db");
    let half = &whole[..whole.len() / 2];
    std::fs::write(&path, half).unwrap();
    let err = open_and_seed(&format!("sqlite://{}", path.display()))
        .await
        .err()
        .expect("half a database is not opened as if whole");
    assert!(err.to_string().contains("malformed"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), half, "the damaged file is left for its owner");
}
