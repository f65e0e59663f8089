//! Writing the store: a dataset goes in through one transaction ([`Store::begin_dataset`] →
//! [`DatasetWriter`] → commit) that replaces any earlier version of it, so readers see it whole or not at
//! all. Also how flags are packed into bits and how per-figure sources are numbered and stored once.

use super::{bulk, Pool, Store, StoreError, WriteOutcome};
use crate::domain::{Dataset, Flags, Observation, Series};
use sqlx::{PgPool, Postgres, QueryBuilder, Sqlite, SqlitePool};
use std::collections::HashMap;

/// How long an import waits for another process's import before giving up.
const WAIT_FOR_OTHER_WRITER: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// An import's open transaction, on either database.
enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

/// What an import changes the planner's statistics of (PostgreSQL).
const ANALYZE: &str = "ANALYZE datasets, series, observations, observation_notes, observation_sources";

/// The PostgreSQL advisory lock every instance's import takes: one writer at a time across instances,
/// released with the transaction (commit, rollback or a dropped connection). Public so that an operator
/// (or a test) can hold imports back: `SELECT pg_advisory_lock(…)` on any connection makes every
/// instance's next import wait.
pub const IMPORT_LOCK: i64 = 0x7472_6164_6577_6e64; // "tradewnd"

impl Store {
    /// Refreshes the planner's statistics after a batch of imports that deferred it
    /// ([`DatasetWriter::defer_statistics`]); nothing to do on SQLite, which plans by its indexes.
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        if let Pool::Postgres(pool) = &self.pool {
            sqlx::query(ANALYZE).execute(pool).await?;
        }
        Ok(())
    }

    /// The writer's transaction: on SQLite `BEGIN IMMEDIATE`, which takes the write lock now; on
    /// PostgreSQL the import lock. Either waits (with a log line now and then) while another process
    /// imports, instead of failing halfway through.
    async fn begin_writing(&self, dataset: &str) -> Result<Tx, StoreError> {
        match &self.pool {
            Pool::Sqlite(pool) => Ok(Tx::Sqlite(begin_immediate(pool, dataset).await?)),
            Pool::Postgres(pool) => Ok(Tx::Postgres(begin_locked(pool, dataset).await?)),
        }
    }
}

async fn begin_locked(
    pool: &PgPool,
    dataset: &str,
) -> Result<sqlx::Transaction<'static, Postgres>, StoreError> {
    let mut tx = pool.begin().await?;
    let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
        .bind(IMPORT_LOCK)
        .fetch_one(&mut *tx)
        .await?;
    if !free {
        tracing::info!("{dataset}: another instance is importing; waiting for its turn");
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(IMPORT_LOCK)
            .execute(&mut *tx)
            .await?;
    }
    Ok(tx)
}

async fn begin_immediate(
    pool: &SqlitePool,
    dataset: &str,
) -> Result<sqlx::Transaction<'static, Sqlite>, StoreError> {
    {
        let started = std::time::Instant::now();
        loop {
            match pool.begin_with("BEGIN IMMEDIATE").await {
                Err(sqlx::Error::Database(e))
                    if e.message().contains("locked") && started.elapsed() < WAIT_FOR_OTHER_WRITER =>
                {
                    tracing::info!(
                        "{dataset}: another process is writing the database; still waiting ({} s)",
                        started.elapsed().as_secs()
                    );
                }
                other => return Ok(other?),
            }
        }
    }
}

impl Store {
    /// Starts writing a dataset in one transaction, replacing any earlier version of it. Nothing is
    /// visible to readers until [`DatasetWriter::commit`]; dropping the writer rolls everything back.
    pub async fn begin_dataset(
        &self,
        d: &Dataset,
        content_hash: &str,
    ) -> Result<DatasetWriter, StoreError> {
        // Imports queue: first for this process's turn, then for the database's write lock, which
        // another process (`tradewinds import` beside the server) may hold for minutes.
        let turn = match self.writer.clone().try_lock_owned() {
            Ok(turn) => turn,
            Err(_) => {
                tracing::info!("{}: another import is writing; waiting for its turn", d.id);
                self.writer.clone().lock_owned().await
            }
        };
        let mut tx = self.begin_writing(&d.id).await?;
        if let Tx::Sqlite(tx) = &mut tx {
            sqlx::query(&format!("PRAGMA cache_size = {}", super::WRITE_CACHE))
                .execute(&mut **tx)
                .await?;
        }
        // Another writer (an instance starting beside this one) may have written the same file while
        // this one waited for its turn: then there is nothing to do.
        let current: Option<Option<String>> = each_db!(&mut tx, Tx, |tx, Db| {
            sqlx::query_scalar("SELECT content_hash FROM datasets WHERE id = $1")
                .bind(&d.id)
                .fetch_optional(&mut **tx)
                .await?
        });
        let already_current = current.flatten().as_deref() == Some(content_hash);
        let (last_num, last_source): (Option<i64>, Option<i64>) = match already_current {
            true => (None, None),
            false => each_db!(&mut tx, Tx, |tx, Db| {
            // Children before parents, so foreign keys hold at every step.
            for delete in [
                "DELETE FROM observation_notes WHERE series_num IN (SELECT num FROM series WHERE dataset_id = $1)",
                "DELETE FROM observations WHERE series_num IN (SELECT num FROM series WHERE dataset_id = $1)",
                "DELETE FROM observation_sources WHERE dataset_id = $1",
                "DELETE FROM series WHERE dataset_id = $1",
                "DELETE FROM datasets WHERE id = $1",
            ] {
                sqlx::query(delete).bind(&d.id).execute(&mut **tx).await?;
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
            .execute(&mut **tx)
            .await?;
            let last_num = sqlx::query_scalar("SELECT MAX(num) FROM series").fetch_one(&mut **tx).await?;
            let last_source =
                sqlx::query_scalar("SELECT MAX(num) FROM observation_sources").fetch_one(&mut **tx).await?;
            (last_num, last_source)
        }),
        };
        Ok(DatasetWriter {
            _turn: turn,
            already_current,
            tx,
            dataset_id: d.id.clone(),
            first_num: last_num.unwrap_or(0) + 1,
            next_num: last_num.unwrap_or(0) + 1,
            keys: HashMap::new(),
            next_source: last_source.unwrap_or(0) + 1,
            sources: HashMap::new(),
            last_source: None,
            analyze: true,
            to_copy: Vec::new(),
        })
    }

    /// Writes a whole in-memory dataset (see [`Store::begin_dataset`]); unchanged content is skipped.
    pub async fn write_dataset(
        &self,
        dataset: &Dataset,
        series: &[Series],
        observations: &[Observation],
        content_hash: &str,
    ) -> Result<WriteOutcome, StoreError> {
        if self.dataset_hash(&dataset.id).await?.as_deref() == Some(content_hash) {
            return Ok(WriteOutcome::Unchanged);
        }
        let mut w = self.begin_dataset(dataset, content_hash).await?;
        if w.already_current() {
            return Ok(WriteOutcome::Unchanged);
        }
        w.add_series(series).await?;
        for chunk in observations.chunks(4096) {
            w.add_observations(chunk).await?;
        }
        w.commit().await?;
        Ok(WriteOutcome::Written)
    }
}

/// A dataset being written: one open transaction.
pub struct DatasetWriter {
    /// This process's writing turn, held until commit or rollback.
    _turn: tokio::sync::OwnedMutexGuard<()>,
    /// The dataset already holds this very content (written by another writer while this one waited):
    /// the caller drops the writer and reports it unchanged.
    already_current: bool,
    tx: Tx,
    dataset_id: String,
    /// The first series number this writer allocated: its rows are those from it on.
    first_num: i64,
    next_num: i64,
    /// Per series id written so far: its integer key and the last row number used (two figures may
    /// share a period, so rows are numbered rather than keyed by period).
    keys: HashMap<String, (i64, i64)>,
    next_source: i64,
    /// Per-figure sources (link, attribution) written so far, each stored once.
    sources: HashMap<SourceKey, i64>,
    /// PostgreSQL: observation rows waiting to be sent in one COPY.
    to_copy: Vec<bulk::Row>,
    /// Consecutive rows mostly share a source: checked before hashing.
    last_source: Option<(SourceKey, i64)>,
    /// PostgreSQL: refresh the planner's statistics on commit (off for a batch whose caller does it
    /// once at the end, [`Store::refresh_statistics`]).
    analyze: bool,
}

type SourceKey = (Option<String>, Option<String>);

fn flags_bits(f: &Flags) -> i64 {
    f.lower_bound as i64 | (f.approximate as i64) << 1 | (f.provisional as i64) << 2
}

pub(super) fn flags_from_bits(bits: i64) -> Flags {
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
/// Rows per PostgreSQL COPY (about 5 MB in its binary format).
const COPY_ROWS: usize = 65_536;

impl DatasetWriter {
    /// Whether the dataset already holds the content this writer was begun for (see
    /// [`Store::begin_dataset`]); nothing has been changed, and dropping the writer is all there is to do.
    pub fn already_current(&self) -> bool {
        self.already_current
    }

    /// Leaves the planner's statistics to the caller, who imports more files and then calls
    /// [`Store::refresh_statistics`] once (seeding: 26 files, one `ANALYZE` instead of 26).
    pub fn defer_statistics(&mut self) {
        self.analyze = false;
    }

    pub async fn add_series(&mut self, series: &[Series]) -> Result<(), StoreError> {
        let (keys, next_num, dataset_id) = (&mut self.keys, &mut self.next_num, &self.dataset_id);
        each_db!(&mut self.tx, Tx, |tx, Db| {
        for s in series {
            let owner: Option<String> =
                sqlx::query_scalar("SELECT dataset_id FROM series WHERE id = $1")
                    .bind(&s.id)
                    .fetch_optional(&mut **tx)
                    .await?;
            if let Some(owner) = owner {
                return Err(StoreError::SeriesClash(s.id.clone(), owner));
            }
        }
        for chunk in series.chunks(SERIES_ROWS) {
            let mut q: QueryBuilder<Db> = QueryBuilder::new(
                "INSERT INTO series (num, id, dataset_id, indicator, origin, destination, platform, category, \
                 unit, origin_code, origin_kind, destination_code, destination_kind, notes) ",
            );
            q.push_values(chunk, |mut b, s| {
                keys.insert(s.id.clone(), (*next_num, 0));
                b.push_bind(*next_num)
                    .push_bind(&s.id)
                    .push_bind(dataset_id)
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
            q.build().execute(&mut **tx).await?;
        }
        });
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
            let dataset_id = &self.dataset_id;
            each_db!(&mut self.tx, Tx, |tx, Db| {
                for part in new_sources.chunks(NOTE_ROWS) {
                    let mut q: QueryBuilder<Db> = QueryBuilder::new(
                        "INSERT INTO observation_sources (num, dataset_id, source_url, attributed_to) ",
                    );
                    q.push_values(part, |mut b, (num, (url, by))| {
                        b.push_bind(*num).push_bind(dataset_id).push_bind(url).push_bind(by);
                    });
                    q.build().execute(&mut **tx).await?;
                }
            });
            match &mut self.tx {
                Tx::Sqlite(tx) => {
                    let mut handle = tx.lock_handle().await?;
                    bulk::insert_observations(handle.as_raw_handle(), &numbers)
                        .map_err(StoreError::Bulk)?;
                }
                // Few large COPYs rather than one per chunk; notes refer to their rows, so rows with
                // notes are sent before the notes are.
                Tx::Postgres(_) => {
                    self.to_copy.extend(numbers);
                    if self.to_copy.len() >= COPY_ROWS || !notes.is_empty() {
                        self.send_copy().await?;
                    }
                }
            }
            each_db!(&mut self.tx, Tx, |tx, Db| {
                for part in notes.chunks(NOTE_ROWS) {
                    let mut q: QueryBuilder<Db> = QueryBuilder::new(
                        "INSERT INTO observation_notes (series_num, seq, value_high, quote, caveat) ",
                    );
                    q.push_values(part, |mut b, (num, seq, o)| {
                        b.push_bind(*num)
                            .push_bind(*seq)
                            .push_bind(o.value_high)
                            .push_bind(&o.quote)
                            .push_bind(&o.caveat);
                    });
                    q.build().execute(&mut **tx).await?;
                }
            });
        }
        Ok(())
    }

    /// Sends the rows waiting for PostgreSQL's COPY.
    async fn send_copy(&mut self) -> Result<(), StoreError> {
        if let (Tx::Postgres(tx), false) = (&mut self.tx, self.to_copy.is_empty()) {
            bulk::copy_observations(tx, &self.to_copy).await?;
            self.to_copy.clear();
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
        let dataset_id = &self.dataset_id;
        each_db!(&mut self.tx, Tx, |tx, Db| {
            sqlx::query("UPDATE datasets SET notes = $1 WHERE id = $2")
                .bind(notes)
                .bind(dataset_id)
                .execute(&mut **tx)
                .await?;
        });
        Ok(())
    }

    pub async fn commit(mut self) -> Result<(), StoreError> {
        self.send_copy().await?;
        match self.tx {
            Tx::Sqlite(mut tx) => {
                // The connection goes back to the pool for reading: its cache shrinks back with it.
                sqlx::query(&format!("PRAGMA cache_size = {}", super::READ_CACHE))
                    .execute(&mut *tx)
                    .await?;
                Ok(tx.commit().await?)
            }
            Tx::Postgres(mut tx) => {
                // The references PostgreSQL does not check row by row (migrations/postgres/0001), checked
                // once for every row this import wrote.
                let orphans: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM observations o \
                     LEFT JOIN series s ON s.num = o.series_num \
                     LEFT JOIN observation_sources src ON src.num = o.source_num \
                     WHERE o.series_num >= $1 \
                     AND (s.num IS NULL OR (o.source_num IS NOT NULL AND src.num IS NULL))",
                )
                .bind(self.first_num)
                .fetch_one(&mut *tx)
                .await?;
                if orphans > 0 {
                    return Err(StoreError::Corrupt(format!(
                        "{}: {orphans} observations refer to no series or source; nothing was written",
                        self.dataset_id
                    )));
                }
                // The planner's statistics, in the same transaction (ANALYZE counts this transaction's
                // own rows): without them a freshly loaded table is planned as unknown, and a query for
                // a few series by id scans every observation (110 ms instead of 9 on 1.4M rows, growing
                // with the data) until autovacuum gets round to it.
                if self.analyze {
                    sqlx::query(ANALYZE).execute(&mut *tx).await?;
                }
                Ok(tx.commit().await?)
            }
        }
    }
}
