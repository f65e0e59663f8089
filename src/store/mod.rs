//! The database: datasets, series and observations behind sqlx.
//!
//! SQLite by default (a file under data/, created and migrated on first start); `DATABASE_URL=postgres://…`
//! puts the same store on PostgreSQL. The SQL is portable (`$n` placeholders, standard types) and
//! [`each_db!`] compiles every query once per database, so both keep their own types; what differs is
//! said where it differs: opening, the migrations (`migrations/sqlite/`, `migrations/postgres/`), how an
//! import takes the one writer's turn, and the bulk path for observation rows. Every import is written
//! in one transaction, replacing the dataset it names, so a dataset is always either whole or absent.
//!
//! Layout: this file opens the database and holds the shared types; `read` has the queries, `write` the
//! transactional dataset writer and `bulk` its fast paths for observation rows. Rows are read by column
//! name, never position. The store knows only domain types: importers hand it series and observations.

/// Runs `$body` for whichever database `$value` (a [`Pool`] or a transaction enum with the same two
/// variants) holds: `$x` is the concrete pool or transaction and `$db` its sqlx database type. The body
/// is compiled once per database, so queries keep their types on both without an `Any` driver.
macro_rules! each_db {
    ($value:expr, $kind:ident, |$x:ident, $db:ident| $body:expr) => {
        match $value {
            $kind::Sqlite($x) => {
                #[allow(dead_code)]
                type $db = sqlx::Sqlite;
                $body
            }
            $kind::Postgres($x) => {
                #[allow(dead_code)]
                type $db = sqlx::Postgres;
                $body
            }
        }
    };
}

mod bulk;
mod jobs;
mod read;
mod version;
mod write;

pub use jobs::KEEP_JOB_DAYS;
pub use write::{DatasetWriter, IMPORT_LOCK};

use crate::domain::Series;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::SqlitePool;
use std::str::FromStr;

/// The connection pool of the database in use.
#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// SQLite page cache sizes (negative: KiB) for reading connections and for an import's writer.
const READ_CACHE: &str = "-8192";
const WRITE_CACHE: &str = "-65536";

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tradewinds.db";

#[derive(Clone, Debug)]
pub struct Store {
    /// The primary: imports, and the reads an import makes.
    pool: Pool,
    /// Where pages and the API read: a PostgreSQL replica (`DATABASE_READ_URL`), else the primary.
    reads: Pool,
    /// One import writes at a time in this process; the next waits for its turn (SQLite has one
    /// writer, and an import holds it for its whole transaction; on PostgreSQL a lock in the database
    /// also queues the imports of other instances).
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// What the app's PostgreSQL sessions set, unless the URL's `options` name the setting. Pages ask for a
/// few series by key, and on a skewed table (a few huge series among many small ones) the planner
/// estimates thousands of rows per key: it then chose a parallel scan of `series` and a hash of every
/// note (13 ms for 20 series, 0.3 ms without) and JIT-compiled the home page's query (10 ms of 11).
/// The whole-table aggregates built once per data version ask for parallel workers themselves
/// (`read.rs`, `PARALLEL_SCAN`).
const PG_SESSION: [(&str, &str); 2] = [("jit", "off"), ("max_parallel_workers_per_gather", "0")];

/// The connection options for a PostgreSQL `url`, with [`PG_SESSION`] added where the URL is silent.
fn pg_options(url: &str) -> Result<PgConnectOptions, StoreError> {
    let mut options = PgConnectOptions::from_str(url)?;
    let theirs = options.get_options().unwrap_or_default().to_string();
    for (name, value) in PG_SESSION {
        if !theirs.contains(name) {
            options = options.options([(name, value)]);
        }
    }
    Ok(options)
}

/// A pool of [`pg_options`] connections to `url`: small, one per instance (the primary's and the
/// replica's alike).
async fn pg_pool(url: &str) -> Result<PgPool, StoreError> {
    Ok(PgPoolOptions::new().max_connections(8).connect_with(pg_options(url)?).await?)
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
    /// Opens (creating if needed) the database at `url` and brings its schema up to date:
    /// `postgres://…` or `postgresql://…` for PostgreSQL, anything else for SQLite.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        if crate::config::is_postgres_url(url) {
            return Store::open_postgres(url).await;
        }
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
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Store::with_pool(Pool::Sqlite(pool)))
    }

    /// PostgreSQL: the server holds the data; each instance keeps a small pool. Migrations take the
    /// database's own lock, so instances starting together migrate once.
    async fn open_postgres(url: &str) -> Result<Store, StoreError> {
        let pool = pg_pool(url).await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Store::with_pool(Pool::Postgres(pool)))
    }

    fn with_pool(pool: Pool) -> Store {
        Store {
            reads: pool.clone(),
            pool,
            writer: Default::default(),
        }
    }

    /// Sends the pages' and the API's reads to a PostgreSQL read replica at `url` (the primary keeps
    /// imports). A replica may lag: a committed import shows once it has arrived there.
    pub async fn with_read_replica(mut self, url: &str) -> Result<Store, StoreError> {
        self.reads = Pool::Postgres(pg_pool(url).await?);
        Ok(self)
    }

    /// Which database this is ("SQLite", "PostgreSQL"), for logs.
    pub fn backend(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "SQLite",
            Pool::Postgres(_) => "PostgreSQL",
        }
    }

    /// Waits until no import of this process is writing (a stopping server lets them finish).
    pub async fn writers_idle(&self) {
        let _turn = self.writer.lock().await;
    }

    /// Folds the write-ahead log into the database and truncates it, after an import (which may have
    /// grown it to the size of the data) or a failed one (a full disk leaves it at its full size).
    /// Best effort: a reader still on an old snapshot only delays it to the next import.
    /// (PostgreSQL manages its own log.)
    pub async fn checkpoint(&self) {
        let Pool::Sqlite(pool) = &self.pool else {
            return;
        };
        match sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(pool)
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
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Store::with_pool(Pool::Sqlite(pool)))
    }

    /// The SQLite pool, where the store is on SQLite (tests and maintenance that need SQLite's own
    /// statements); `None` on PostgreSQL.
    pub fn sqlite_pool(&self) -> Option<&SqlitePool> {
        match &self.pool {
            Pool::Sqlite(pool) => Some(pool),
            Pool::Postgres(_) => None,
        }
    }

    /// Closes every connection (tests that copy the database file afterwards).
    pub async fn close(&self) {
        each_db!(&self.pool, Pool, |pool, Db| pool.close().await)
    }
}

#[cfg(test)]
mod tests {
    use super::pg_options;

    #[test]
    fn postgres_sessions_turn_off_jit_and_parallel_plans_unless_the_url_says_otherwise() {
        let plain = pg_options("postgres://app@db.example/trade").unwrap();
        let plain = plain.get_options().unwrap();
        assert!(plain.contains("jit=off"), "{plain}");
        assert!(plain.contains("max_parallel_workers_per_gather=0"), "{plain}");

        // An operator's own setting in the URL is kept, and only the silent one is added.
        let theirs = pg_options("postgres://app@db.example/trade?options=-c%20jit%3Don").unwrap();
        let theirs = theirs.get_options().unwrap();
        assert!(theirs.contains("jit=on") && !theirs.contains("jit=off"), "{theirs}");
        assert!(theirs.contains("max_parallel_workers_per_gather=0"), "{theirs}");

        assert!(pg_options("postgres://app@db.example:notaport/trade").is_err());
    }
}
