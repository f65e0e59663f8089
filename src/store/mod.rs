//! The database: datasets, series and observations behind sqlx.
//!
//! SQLite by default (a file under data/, created and migrated on first start); the SQL is kept portable
//! (`$n` placeholders, standard types) so PostgreSQL can follow. Every import is written in one
//! transaction, replacing the dataset it names, so a dataset is always either whole or absent.

mod bulk;
mod version;

use crate::domain::{Dataset, Flags, Observation, Period, Series};
use crate::import::ImportBatch;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};
use std::collections::HashMap;
use std::str::FromStr;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tradewinds.db";

#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
}

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
            .pragma("cache_size", "-65536")
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Store { pool })
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
        Ok(Store { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub async fn dataset_hash(&self, id: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT content_hash FROM datasets WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.and_then(|r| r.get::<Option<String>, _>(0)))
    }

    /// Starts writing a dataset in one transaction, replacing any earlier version of it. Nothing is
    /// visible to readers until [`DatasetWriter::commit`]; dropping the writer rolls everything back.
    pub async fn begin_dataset(
        &self,
        d: &Dataset,
        content_hash: &str,
    ) -> Result<DatasetWriter, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Children before parents, so foreign keys hold at every step.
        for delete in [
            "DELETE FROM observation_notes WHERE series_num IN (SELECT num FROM series WHERE dataset_id = $1)",
            "DELETE FROM observations WHERE series_num IN (SELECT num FROM series WHERE dataset_id = $1)",
            "DELETE FROM observation_sources WHERE dataset_id = $1",
            "DELETE FROM series WHERE dataset_id = $1",
            "DELETE FROM datasets WHERE id = $1",
        ] {
            sqlx::query(delete).bind(&d.id).execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO datasets (id, title, publisher, source_url, licence, retrieved, notes, content_hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&d.id)
        .bind(&d.title)
        .bind(&d.publisher)
        .bind(&d.source_url)
        .bind(&d.licence)
        .bind(&d.retrieved)
        .bind(&d.notes)
        .bind(content_hash)
        .execute(&mut *tx)
        .await?;
        let last_num: Option<i64> = sqlx::query_scalar("SELECT MAX(num) FROM series")
            .fetch_one(&mut *tx)
            .await?;
        let last_source: Option<i64> =
            sqlx::query_scalar("SELECT MAX(num) FROM observation_sources")
                .fetch_one(&mut *tx)
                .await?;
        Ok(DatasetWriter {
            tx,
            dataset_id: d.id.clone(),
            next_num: last_num.unwrap_or(0) + 1,
            keys: HashMap::new(),
            next_source: last_source.unwrap_or(0) + 1,
            sources: HashMap::new(),
            last_source: None,
        })
    }

    /// Writes a whole in-memory dataset (see [`Store::begin_dataset`]); unchanged content is skipped.
    pub async fn write_dataset(
        &self,
        dataset: &Dataset,
        batch: &ImportBatch,
        content_hash: &str,
    ) -> Result<WriteOutcome, StoreError> {
        if self.dataset_hash(&dataset.id).await?.as_deref() == Some(content_hash) {
            return Ok(WriteOutcome::Unchanged);
        }
        let mut w = self.begin_dataset(dataset, content_hash).await?;
        w.add_series(&batch.series).await?;
        for chunk in batch.observations.chunks(4096) {
            w.add_observations(chunk).await?;
        }
        w.commit().await?;
        Ok(WriteOutcome::Written)
    }

    /// (series, observations) of a dataset.
    pub async fn dataset_counts(&self, id: &str) -> Result<(usize, usize), StoreError> {
        let series: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM series WHERE dataset_id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        let obs: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM observations WHERE series_num IN (SELECT num FROM series WHERE dataset_id = $1)",
        )
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok((series as usize, obs as usize))
    }

    pub async fn datasets(&self) -> Result<Vec<Dataset>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, title, publisher, source_url, licence, retrieved, notes FROM datasets ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Dataset {
                id: r.get(0),
                title: r.get(1),
                publisher: r.get(2),
                source_url: r.get(3),
                licence: r.get(4),
                retrieved: r.get(5),
                notes: r.get(6),
            })
            .collect())
    }

    pub async fn series(&self, filter: &SeriesFilter) -> Result<Vec<Series>, StoreError> {
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("SELECT {SERIES_COLUMNS} FROM series WHERE 1 = 1"));
        for (column, value) in [
            ("indicator", &filter.indicator),
            ("origin", &filter.origin),
            ("destination", &filter.destination),
            ("platform", &filter.platform),
            ("category", &filter.category),
            ("origin_code", &filter.origin_code),
            ("destination_code", &filter.destination_code),
        ] {
            if let Some(v) = value {
                q.push(format!(" AND {column} = ")).push_bind(v.clone());
            }
        }
        q.push(" ORDER BY indicator, id");
        let rows = q.build().fetch_all(&self.pool).await?;
        Ok(rows.iter().map(series_from_row).collect())
    }

    /// The series with these ids, in the order asked; ids that do not exist are returned as the error.
    pub async fn series_by_ids(
        &self,
        ids: &[String],
    ) -> Result<Result<Vec<Series>, Vec<String>>, StoreError> {
        if ids.is_empty() {
            return Ok(Ok(Vec::new()));
        }
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("SELECT {SERIES_COLUMNS} FROM series WHERE id IN ("));
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(id.clone());
        }
        q.push(")");
        let found: Vec<Series> = q
            .build()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(series_from_row)
            .collect();
        let mut ordered = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in ids {
            match found.iter().find(|s| &s.id == id) {
                Some(s) => ordered.push(s.clone()),
                None => missing.push(id.clone()),
            }
        }
        Ok(if missing.is_empty() {
            Ok(ordered)
        } else {
            Err(missing)
        })
    }

    /// Observations of the given series, in period order, optionally limited to periods that lie
    /// within `from`..=`to` (a period counts when it starts at or after `from` and ends by `to`).
    pub async fn observations(
        &self,
        ids: &[String],
        from: Option<Period>,
        to: Option<Period>,
    ) -> Result<Vec<Observation>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT s.id, o.period_kind, o.start_month, o.end_month, o.value, o.flags, n.value_high, n.quote, \
             n.caveat, src.source_url, src.attributed_to \
             FROM observations o JOIN series s ON s.num = o.series_num \
             LEFT JOIN observation_notes n ON n.series_num = o.series_num AND n.seq = o.seq \
             LEFT JOIN observation_sources src ON src.num = o.source_num \
             WHERE s.id IN (",
        );
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(id.clone());
        }
        q.push(")");
        if let Some(from) = from {
            q.push(" AND o.start_month >= ")
                .push_bind(from.start_month());
        }
        if let Some(to) = to {
            q.push(" AND o.end_month <= ").push_bind(to.end_month());
        }
        q.push(" ORDER BY s.id, o.start_month, o.end_month, o.seq");
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let (kind, start, end): (i32, i32, i32) = (r.get(1), r.get(2), r.get(3));
                let period = Period::from_stored(kind, start, end).ok_or_else(|| {
                    StoreError::Corrupt(format!("period kind {kind} months {start}..{end}"))
                })?;
                Ok(Observation {
                    series_id: r.get(0),
                    period,
                    value: r.get(4),
                    flags: flags_from_bits(r.get(5)),
                    value_high: r.get(6),
                    quote: r.get(7),
                    caveat: r.get(8),
                    source_url: r.get(9),
                    attributed_to: r.get(10),
                })
            })
            .collect()
    }

    /// Each series' latest figure (latest end month; final over provisional, longer over shorter), for
    /// ranking series by their latest value.
    pub async fn latest_observations(&self) -> Result<HashMap<String, Observation>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.id, o.period_kind, o.start_month, o.end_month, o.value, o.flags \
             FROM observations o JOIN series s ON s.num = o.series_num \
             JOIN (SELECT series_num, MAX(end_month) AS last FROM observations GROUP BY series_num) l \
               ON l.series_num = o.series_num AND l.last = o.end_month",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut candidates: HashMap<String, Vec<Observation>> = HashMap::new();
        for r in &rows {
            let id: String = r.get(0);
            let Some(period) = Period::from_stored(r.get(1), r.get(2), r.get(3)) else {
                continue;
            };
            let mut o = Observation::new(&id, period, r.get(4));
            o.flags = flags_from_bits(r.get(5));
            candidates.entry(id).or_default().push(o);
        }
        Ok(candidates
            .into_iter()
            .filter_map(|(id, obs)| {
                crate::transform::latest_value(&obs)
                    .cloned()
                    .map(|o| (id, o))
            })
            .collect())
    }

    /// First and last year covered by the given series, whatever range is shown.
    pub async fn year_bounds(&self, ids: &[String]) -> Result<Option<(i32, i32)>, StoreError> {
        if ids.is_empty() {
            return Ok(None);
        }
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT MIN(o.start_month), MAX(o.end_month) FROM observations o \
             JOIN series s ON s.num = o.series_num WHERE s.id IN (",
        );
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(id.clone());
        }
        q.push(")");
        let row = q.build().fetch_one(&self.pool).await?;
        let (lo, hi): (Option<i32>, Option<i32>) = (row.get(0), row.get(1));
        Ok(lo
            .zip(hi)
            .map(|(lo, hi)| (lo.div_euclid(12), hi.div_euclid(12))))
    }

    /// Number of observations per series id.
    pub async fn observation_counts(&self) -> Result<HashMap<String, i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.id, COUNT(*) FROM observations o JOIN series s ON s.num = o.series_num GROUP BY s.id",
        )
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| (r.get::<String, _>(0), r.get::<i64, _>(1)))
            .collect())
    }

    /// Row counts (datasets, series, observations), for start-up logs and tests.
    pub async fn counts(&self) -> Result<(i64, i64, i64), StoreError> {
        let count = |table: &'static str| {
            let pool = self.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
                    .fetch_one(&pool)
                    .await
            }
        };
        Ok((
            count("datasets").await?,
            count("series").await?,
            count("observations").await?,
        ))
    }
}

const SERIES_COLUMNS: &str =
    "id, dataset_id, indicator, origin, destination, platform, category, unit, \
    origin_code, origin_kind, destination_code, destination_kind, notes";

/// A dataset being written: one open transaction.
pub struct DatasetWriter {
    tx: sqlx::Transaction<'static, Sqlite>,
    dataset_id: String,
    next_num: i64,
    /// Per series id written so far: its integer key and the last row number used (two figures may
    /// share a period, so rows are numbered rather than keyed by period).
    keys: HashMap<String, (i64, i64)>,
    next_source: i64,
    /// Per-figure sources (link, attribution) written so far, each stored once.
    sources: HashMap<SourceKey, i64>,
    /// Consecutive rows mostly share a source: checked before hashing.
    last_source: Option<(SourceKey, i64)>,
}

type SourceKey = (Option<String>, Option<String>);

fn flags_bits(f: &Flags) -> i64 {
    f.lower_bound as i64 | (f.approximate as i64) << 1 | (f.provisional as i64) << 2
}

fn flags_from_bits(bits: i64) -> Flags {
    Flags {
        lower_bound: bits & 1 != 0,
        approximate: bits & 2 != 0,
        provisional: bits & 4 != 0,
    }
}

/// Rows per multi-row INSERT: SQLite's bundled build allows 32,766 bound values per statement.
const OBSERVATION_ROWS: usize = 4000;
const NOTE_ROWS: usize = 1000;
const SERIES_ROWS: usize = 1000;

impl DatasetWriter {
    pub async fn add_series(&mut self, series: &[Series]) -> Result<(), StoreError> {
        for s in series {
            let owner: Option<String> =
                sqlx::query_scalar("SELECT dataset_id FROM series WHERE id = $1")
                    .bind(&s.id)
                    .fetch_optional(&mut *self.tx)
                    .await?;
            if let Some(owner) = owner {
                return Err(StoreError::SeriesClash(s.id.clone(), owner));
            }
        }
        for chunk in series.chunks(SERIES_ROWS) {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO series (num, id, dataset_id, indicator, origin, destination, platform, category, \
                 unit, origin_code, origin_kind, destination_code, destination_kind, notes) ",
            );
            let (keys, next_num) = (&mut self.keys, &mut self.next_num);
            q.push_values(chunk, |mut b, s| {
                keys.insert(s.id.clone(), (*next_num, 0));
                b.push_bind(*next_num)
                    .push_bind(&s.id)
                    .push_bind(&self.dataset_id)
                    .push_bind(&s.indicator)
                    .push_bind(&s.origin)
                    .push_bind(&s.destination)
                    .push_bind(&s.platform)
                    .push_bind(&s.category)
                    .push_bind(&s.unit)
                    .push_bind(&s.origin_code)
                    .push_bind(&s.origin_kind)
                    .push_bind(&s.destination_code)
                    .push_bind(&s.destination_kind)
                    .push_bind(&s.notes);
                *next_num += 1;
            });
            q.build().execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    pub async fn add_observations(
        &mut self,
        observations: &[Observation],
    ) -> Result<(), StoreError> {
        for chunk in observations.chunks(OBSERVATION_ROWS) {
            let mut rows = Vec::with_capacity(chunk.len());
            let mut notes = Vec::new();
            for o in chunk {
                let Some((num, seq)) = self.keys.get_mut(o.series_id.as_str()) else {
                    return Err(StoreError::UnknownSeries(o.series_id.clone()));
                };
                *seq += 1;
                rows.push((*num, *seq, o));
                if o.value_high.is_some() || o.quote.is_some() || o.caveat.is_some() {
                    notes.push((*num, *seq, o));
                }
            }
            let mut new_sources = Vec::new();
            let mut numbers: Vec<bulk::Row> = Vec::with_capacity(rows.len());
            for &(num, seq, o) in &rows {
                let p = &o.period;
                let (kind, start, end) = (p.kind_code(), p.start_month(), p.end_month());
                let source = self.source_num(o, &mut new_sources);
                numbers.push((
                    num,
                    seq,
                    kind,
                    start,
                    end,
                    o.value,
                    flags_bits(&o.flags),
                    source,
                ));
            }
            for part in new_sources.chunks(NOTE_ROWS) {
                let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                    "INSERT INTO observation_sources (num, dataset_id, source_url, attributed_to) ",
                );
                q.push_values(part, |mut b, (num, (url, by))| {
                    b.push_bind(*num)
                        .push_bind(&self.dataset_id)
                        .push_bind(url)
                        .push_bind(by);
                });
                q.build().execute(&mut *self.tx).await?;
            }
            let mut handle = self.tx.lock_handle().await?;
            bulk::insert_observations(handle.as_raw_handle(), &numbers)
                .map_err(StoreError::Bulk)?;
            drop(handle);
            for part in notes.chunks(NOTE_ROWS) {
                let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                    "INSERT INTO observation_notes (series_num, seq, value_high, quote, caveat) ",
                );
                q.push_values(part, |mut b, (num, seq, o)| {
                    b.push_bind(*num)
                        .push_bind(*seq)
                        .push_bind(o.value_high)
                        .push_bind(&o.quote)
                        .push_bind(&o.caveat);
                });
                q.build().execute(&mut *self.tx).await?;
            }
        }
        Ok(())
    }

    /// The stored number of the figure's source, allocating one (into `new`) on first sight.
    fn source_num(&mut self, o: &Observation, new: &mut Vec<(i64, SourceKey)>) -> Option<i64> {
        if o.source_url.is_none() && o.attributed_to.is_none() {
            return None;
        }
        if let Some(((url, by), num)) = &self.last_source {
            if *url == o.source_url && *by == o.attributed_to {
                return Some(*num);
            }
        }
        let key = (o.source_url.clone(), o.attributed_to.clone());
        let num = match self.sources.get(&key) {
            Some(&num) => num,
            None => {
                let num = self.next_source;
                self.next_source += 1;
                self.sources.insert(key.clone(), num);
                new.push((num, key.clone()));
                num
            }
        };
        self.last_source = Some((key, num));
        Some(num)
    }

    pub async fn set_notes(&mut self, notes: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE datasets SET notes = $1 WHERE id = $2")
            .bind(notes)
            .bind(&self.dataset_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        Ok(self.tx.commit().await?)
    }
}

fn series_from_row(r: &sqlx::sqlite::SqliteRow) -> Series {
    Series {
        id: r.get(0),
        dataset_id: r.get(1),
        indicator: r.get(2),
        origin: r.get(3),
        destination: r.get(4),
        platform: r.get(5),
        category: r.get(6),
        unit: r.get(7),
        origin_code: r.get(8),
        origin_kind: r.get(9),
        destination_code: r.get(10),
        destination_kind: r.get(11),
        notes: r.get(12),
    }
}
