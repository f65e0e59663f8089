//! A database created by an earlier version keeps every figure when the schema moves on: observations
//! written in the 0001–0003 shape (text periods, texts on every row) read back identically after
//! migration 0004 (numeric rows, sources stored once, notes aside).
#![cfg(feature = "ssr")]

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::SqlitePool;
use std::str::FromStr;
use tradewinds::domain::Period;
use tradewinds::store::Store;

#[tokio::test]
async fn migration_0004_keeps_every_figure() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old-migrations");
    std::fs::create_dir(&old).unwrap();
    for entry in std::fs::read_dir("migrations/sqlite").unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name.as_str() < "0004" {
            std::fs::copy(&path, old.join(&name)).unwrap();
        }
    }
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let options = SqliteConnectOptions::from_str(&url)
        .unwrap()
        .create_if_missing(true);
    let pool = SqlitePool::connect_with(options).await.unwrap();
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    // Made-up figures for this test, one per period kind, with and without texts.
    sqlx::query(
        "INSERT INTO datasets (id, title, publisher, licence) VALUES ('test-only', 'Test', 'Nobody', 'none');
         INSERT INTO series (id, dataset_id, indicator, unit) VALUES
           ('b', 'test-only', 'made up', 'USD'), ('a', 'test-only', 'made up', 'USD');
         INSERT INTO observations (series_id, seq, period, start_month, end_month, value, value_high,
             lower_bound, approximate, provisional, quote, caveat, source_url, attributed_to) VALUES
           ('a', 1, '2024', 24288, 24299, 1.5, NULL, TRUE, FALSE, FALSE, 'a quote', NULL, 'https://example.org/x', NULL),
           ('a', 2, '2024-H2', 24294, 24299, 2.5, NULL, FALSE, TRUE, FALSE, NULL, 'a caveat', 'https://example.org/x', NULL),
           ('b', 1, '2023-Q3', 24282, 24284, 3.5, 4.5, FALSE, FALSE, TRUE, NULL, NULL, NULL, 'Someone'),
           ('b', 2, '2025-02', 24301, 24301, 4.0, NULL, FALSE, FALSE, FALSE, NULL, NULL, NULL, NULL),
           ('b', 3, '2024-01/2024-08', 24288, 24295, 5.0, NULL, FALSE, FALSE, FALSE, NULL, NULL, NULL, NULL);",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let store = Store::open(&url).await.unwrap();
    let obs = store
        .observations(&["a".to_string(), "b".to_string()], None, None)
        .await
        .unwrap();
    let shown: Vec<String> = obs
        .iter()
        .map(|o| {
            format!(
                "{} {} {} {:?} {}{}{} {:?} {:?} {:?} {:?}",
                o.series_id,
                o.period,
                o.value,
                o.value_high,
                o.flags.lower_bound as u8,
                o.flags.approximate as u8,
                o.flags.provisional as u8,
                o.quote,
                o.caveat,
                o.source_url,
                o.attributed_to
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            "a 2024 1.5 None 100 Some(\"a quote\") None Some(\"https://example.org/x\") None",
            "a 2024-H2 2.5 None 010 None Some(\"a caveat\") Some(\"https://example.org/x\") None",
            "b 2023-Q3 3.5 Some(4.5) 001 None None None Some(\"Someone\")",
            "b 2024-01/2024-08 5 None 000 None None None None",
            "b 2025-02 4 None 000 None None None None",
        ]
    );
    assert_eq!("2024-H2".parse::<Period>().unwrap().start_month(), 24294);
    // The shared link is stored once; writing after the migration continues the numbering.
    let sources: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM observation_sources")
        .fetch_one(store.sqlite_pool().expect("SQLite"))
        .await
        .unwrap();
    assert_eq!(sources, 2);
    assert_eq!(store.counts().await.unwrap(), (1, 2, 5));
}
