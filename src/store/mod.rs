//! The database: datasets, series and observations behind sqlx.
//!
//! SQLite by default (a file under data/, created and migrated on first start); the SQL is kept portable
//! (`$n` placeholders, standard types) so PostgreSQL can follow. Every import is written in one
//! transaction, replacing the dataset it names, so a dataset is always either whole or absent.
//!
//! Layout: this file opens the database and holds the shared types; `read` has the queries, `write` the
//! transactional dataset writer and `bulk` its fast path for observation rows. Rows are read by column
//! name, never position. The store knows only domain types: importers hand it series and observations.

mod bulk;
mod read;
mod version;
mod write;

pub use write::DatasetWriter;

use crate::domain::Series;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::SqlitePool;
use std::str::FromStr;

/// SQLite page cache sizes (negative: KiB) for reading connections and for an import's writer.
const READ_CACHE: &str = "-8192";
const WRITE_CACHE: &str = "-65536";

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tradewinds.db";

#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    /// One import writes at a time in this process; the next waits for its turn (SQLite has one
    /// writer, and an import holds it for its whole transaction).
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// How long a connection waits for a lock another connection holds (a checkpoint, another process's
/// import beginning) before SQLite reports "database is locked"; imports queue beyond it (see
/// `begin_dataset`).
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Exact-match filters on series dimensions; `None` means any.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SeriesFilter {
    pub indicator: Option<String>,
    pub origin: Option<String>,
    pub destination: Option<String>,
    pub platform: Option<String>,
    pub category: Option<String>,
    /// ISO 3166 alpha-3 codes: match a place whatever each publisher calls it.
    pub origin_code: Option<String>,
    pub destination_code: Option<String>,
}

impl SeriesFilter {
    /// Whether `s` passes every filter (what [`Store::series`] asks of the database, for series in
    /// memory).
    pub fn matches(&self, s: &Series) -> bool {
        let is = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        is(&self.indicator, &s.indicator)
            && is(&self.origin, &s.origin)
            && is(&self.destination, &s.destination)
            && is(&self.platform, &s.platform)
            && is(&self.category, &s.category)
            && is(&self.origin_code, &s.origin_code)
            && is(&self.destination_code, &s.destination_code)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error("series '{0}' already belongs to dataset '{1}'")]
    SeriesClash(String, String),
    #[error("observation for series '{0}', which this import did not declare")]
    UnknownSeries(String),
    #[error("cannot write observations: {0}")]
    Bulk(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// What writing a dataset did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteOutcome {
    Written,
    /// The same file (same content hash) was already imported.
    Unchanged,
}

impl Store {
    /// Opens (creating if needed) the database at `url` and brings its schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or(path);
            if let Some(dir) = std::path::Path::new(path)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir)
                    .map_err(|e| StoreError::Folder(dir.display().to_string(), e))?;
            }
        }
        // WAL with synchronous=NORMAL: a commit is durable against process crashes and atomic always;
        // only a power cut may lose the very last commit, never half of one.
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
            // 8 MB of page cache per connection keeps the server's memory flat whatever the data size
            // (eight connections, 64 MB at most); an import's writer takes more while it writes.
            .pragma("cache_size", READ_CACHE)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Store::with_pool(pool))
    }

    fn with_pool(pool: SqlitePool) -> Store {
        Store {
            pool,
            writer: Default::default(),
        }
    }

    /// Waits until no import of this process is writing (a stopping server lets them finish).
    pub async fn writers_idle(&self) {
        let _turn = self.writer.lock().await;
    }

    /// Folds the write-ahead log into the database and truncates it, after an import (which may have
    /// grown it to the size of the data) or a failed one (a full disk leaves it at its full size).
    /// Best effort: a reader still on an old snapshot only delays it to the next import.
    pub async fn checkpoint(&self) {
        match sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&self.pool)
            .await
        {
            Ok((0, _, _)) => {}
            Ok(_) => tracing::debug!("WAL checkpoint: readers busy, the log is truncated later"),
            Err(e) => tracing::warn!("WAL checkpoint failed: {e}"),
        }
    }

    /// An empty in-memory database (tests and benchmarks).
    pub async fn in_memory() -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        // One connection: every connection to :memory: is its own database.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Store::with_pool(pool))
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}
