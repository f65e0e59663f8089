//! Reading the store: datasets, series (by filter or id), observations and the counts and bounds the
//! pages and the API need. Rows are mapped by column name; computed columns get an `AS` name.

use super::write::flags_from_bits;
use super::{Pool, SeriesFilter, Store, StoreError};
use crate::domain::{Dataset, Observation, Period, Series};
use sqlx::{QueryBuilder, Row};
use std::collections::HashMap;

/// The rows of a whole-table aggregate (built once per data version) on `$pool`, one of `$store`'s read
/// pools, in a transaction of their own: on PostgreSQL with parallel workers allowed (`PARALLEL_SCAN`).
macro_rules! aggregate_rows {
    ($store:expr, $pool:expr, $sql:expr) => {{
        let mut tx = $pool.begin().await?;
        if matches!($store.reads, Pool::Postgres(_)) {
            sqlx::query(PARALLEL_SCAN).execute(&mut *tx).await?;
        }
        let rows = sqlx::query($sql).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        rows
    }};
}

/// A series from a row with [`SERIES_COLUMNS`] (a macro: rows of either database).
macro_rules! series_from_row {
    ($r:expr) => {{
        let r = $r;
        Series {
            id: r.get("id"),
            dataset_id: r.get("dataset_id"),
            indicator: r.get("indicator"),
            origin: r.get("origin"),
            destination: r.get("destination"),
            platform: r.get("platform"),
            category: r.get("category"),
            unit: r.get("unit"),
            origin_code: r.get("origin_code"),
            origin_kind: r.get("origin_kind"),
            destination_code: r.get("destination_code"),
            destination_kind: r.get("destination_kind"),
            notes: r.get("notes"),
        }
    }};
}

/// An observation from a row with the columns of [`SERIES_OBSERVATIONS`], or the corruption found.
macro_rules! observation_from_row {
    ($r:expr) => {{
        let r = $r;
        let (kind, start, end): (i32, i32, i32) =
            (r.get("period_kind"), r.get("start_month"), r.get("end_month"));
        match Period::from_stored(kind, start, end) {
            None => Err(StoreError::Corrupt(format!("period kind {kind} months {start}..{end}"))),
            Some(period) => Ok(Observation {
                series_id: r.get("series_id"),
                period,
                value: r.get("value"),
                flags: flags_from_bits(r.get("flags")),
                value_high: r.get("value_high"),
                quote: r.get("quote"),
                caveat: r.get("caveat"),
                source_url: r.get("source_url"),
                attributed_to: r.get("attributed_to"),
            }),
        }
    }};
}

impl Store {
    /// The content hash of a dataset as last imported (read on the primary, like every read an import
    /// makes, so a replica's lag never repeats or misreports an import).
    pub async fn dataset_hash(&self, id: &str) -> Result<Option<String>, StoreError> {
        let sql = "SELECT content_hash FROM datasets WHERE id = $1";
        Ok(each_db!(&self.pool, Pool, |pool, Db| {
            let row = sqlx::query(sql).bind(id).fetch_optional(pool).await?;
            row.and_then(|r| r.get::<Option<String>, _>("content_hash"))
        }))
    }

    /// (series, observations) of a dataset.
    pub async fn dataset_counts(&self, id: &str) -> Result<(usize, usize), StoreError> {
        let (series, obs): (i64, i64) = each_db!(&self.pool, Pool, |pool, Db| {
            let series = sqlx::query_scalar("SELECT COUNT(*) FROM series WHERE dataset_id = $1")
                .bind(id)
                .fetch_one(pool)
                .await?;
            let obs = sqlx::query_scalar(
                "SELECT COUNT(*) FROM observations WHERE series_num IN (SELECT num FROM series WHERE dataset_id = $1)",
            )
            .bind(id)
            .fetch_one(pool)
            .await?;
            (series, obs)
        });
        Ok((series as usize, obs as usize))
    }

    pub async fn datasets(&self) -> Result<Vec<Dataset>, StoreError> {
        let sql = "SELECT id, title, publisher, source_url, licence, retrieved, notes FROM datasets ORDER BY id";
        Ok(each_db!(&self.reads, Pool, |pool, Db| {
            sqlx::query(sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| Dataset {
                    id: r.get("id"),
                    title: r.get("title"),
                    publisher: r.get("publisher"),
                    source_url: r.get("source_url"),
                    licence: r.get("licence"),
                    retrieved: r.get("retrieved"),
                    notes: r.get("notes"),
                })
                .collect()
        }))
    }

    pub async fn series(&self, filter: &SeriesFilter) -> Result<Vec<Series>, StoreError> {
        let filters = [
            ("indicator", &filter.indicator),
            ("origin", &filter.origin),
            ("destination", &filter.destination),
            ("platform", &filter.platform),
            ("category", &filter.category),
            ("origin_code", &filter.origin_code),
            ("destination_code", &filter.destination_code),
        ];
        Ok(each_db!(&self.reads, Pool, |pool, Db| {
            let mut q: QueryBuilder<Db> =
                QueryBuilder::new(format!("SELECT {SERIES_COLUMNS} FROM series WHERE 1 = 1"));
            for (column, value) in filters {
                if let Some(v) = value {
                    q.push(format!(" AND {column} = ")).push_bind(v.clone());
                }
            }
            // The same order on both databases: ids compare as bytes, not by a collation.
            q.push(" ORDER BY indicator, id");
            let rows = q.build().fetch_all(pool).await?;
            rows.iter().map(|r| series_from_row!(r)).collect::<Vec<Series>>()
        }))
    }

    /// The series with these ids, in the order asked; ids that do not exist are returned as the error.
    pub async fn series_by_ids(
        &self,
        ids: &[String],
    ) -> Result<Result<Vec<Series>, Vec<String>>, StoreError> {
        if ids.is_empty() {
            return Ok(Ok(Vec::new()));
        }
        let found: Vec<Series> = each_db!(&self.reads, Pool, |pool, Db| {
            let mut q: QueryBuilder<Db> =
                QueryBuilder::new(format!("SELECT {SERIES_COLUMNS} FROM series WHERE id IN ("));
            let mut list = q.separated(", ");
            for id in ids {
                list.push_bind(id.clone());
            }
            q.push(")");
            q.build().fetch_all(pool).await?.iter().map(|r| series_from_row!(r)).collect()
        });
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
        each_db!(&self.reads, Pool, |pool, Db| {
            let mut q: QueryBuilder<Db> = QueryBuilder::new(
                "SELECT s.id AS series_id, o.period_kind AS period_kind, o.start_month AS start_month, \
                 o.end_month AS end_month, o.value AS value, o.flags AS flags, n.value_high AS value_high, \
                 n.quote AS quote, n.caveat AS caveat, src.source_url AS source_url, \
                 src.attributed_to AS attributed_to \
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
                q.push(" AND o.start_month >= ").push_bind(from.start_month());
            }
            if let Some(to) = to {
                q.push(" AND o.end_month <= ").push_bind(to.end_month());
            }
            q.push(" ORDER BY s.id, o.start_month, o.end_month, o.seq");
            let rows = q.build().fetch_all(pool).await?;
            rows.iter().map(|r| observation_from_row!(r)).collect()
        })
    }

    /// One series' observations in period order (within `from`..=`to`), read as they are sent: for
    /// downloads, which must not hold a whole series (or dataset) in memory.
    pub fn observation_stream<'a>(
        &'a self,
        id: &'a str,
        from: Option<Period>,
        to: Option<Period>,
    ) -> impl futures_util::Stream<Item = Result<Observation, StoreError>> + Send + 'a {
        use futures_util::StreamExt;
        let (from, to) = (from.map(|p| p.start_month()), to.map(|p| p.end_month()));
        each_db!(&self.reads, Pool, |pool, Db| {
            sqlx::query(SERIES_OBSERVATIONS)
                .bind(id)
                .bind(from)
                .bind(to)
                .fetch(pool)
                .map(|row| observation_from_row!(&row?))
                .boxed()
        })
    }

    /// Every observation of one indicator of one dataset (within `from`..=`to`), by series: what the
    /// market finder builds its table from once per data version, without listing thousands of ids.
    pub async fn indicator_observations(
        &self,
        dataset_id: &str,
        indicator: &str,
        from: Option<Period>,
        to: Option<Period>,
    ) -> Result<Vec<Observation>, StoreError> {
        let sql = "SELECT s.id AS series_id, o.period_kind AS period_kind, o.start_month AS start_month, \
             o.end_month AS end_month, o.value AS value, o.flags AS flags, NULL AS value_high, \
             NULL AS quote, NULL AS caveat, NULL AS source_url, NULL AS attributed_to \
             FROM series s JOIN observations o ON o.series_num = s.num \
             WHERE s.dataset_id = $1 AND s.indicator = $2 \
             AND ($3 IS NULL OR o.start_month >= $3) AND ($4 IS NULL OR o.end_month <= $4) \
             ORDER BY s.id, o.start_month, o.end_month, o.seq";
        let (from, to) = (from.map(|p| p.start_month()), to.map(|p| p.end_month()));
        each_db!(&self.reads, Pool, |pool, Db| {
            let rows = sqlx::query(sql)
                .bind(dataset_id)
                .bind(indicator)
                .bind(from)
                .bind(to)
                .fetch_all(pool)
                .await?;
            rows.iter().map(|r| observation_from_row!(r)).collect()
        })
    }

    /// Each series' latest figure (latest end month; final over provisional, longer over shorter), for
    /// ranking series by their latest value.
    pub async fn latest_observations(&self) -> Result<HashMap<String, Observation>, StoreError> {
        let sql = "SELECT s.id AS series_id, o.period_kind AS period_kind, o.start_month AS start_month, \
             o.end_month AS end_month, o.value AS value, o.flags AS flags \
             FROM observations o JOIN series s ON s.num = o.series_num \
             JOIN (SELECT series_num, MAX(end_month) AS last FROM observations GROUP BY series_num) l \
               ON l.series_num = o.series_num AND l.last = o.end_month";
        let mut candidates: HashMap<String, Vec<Observation>> = HashMap::new();
        each_db!(&self.reads, Pool, |pool, Db| {
            let rows = aggregate_rows!(self, pool, sql);
            for r in &rows {
                let id: String = r.get("series_id");
                let Some(period) =
                    Period::from_stored(r.get("period_kind"), r.get("start_month"), r.get("end_month"))
                else {
                    continue;
                };
                let mut o = Observation::new(&id, period, r.get("value"));
                o.flags = flags_from_bits(r.get("flags"));
                candidates.entry(id).or_default().push(o);
            }
        });
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
        let (lo, hi): (Option<i32>, Option<i32>) = each_db!(&self.reads, Pool, |pool, Db| {
            let mut q: QueryBuilder<Db> = QueryBuilder::new(
                "SELECT MIN(o.start_month) AS first_month, MAX(o.end_month) AS last_month \
                 FROM observations o JOIN series s ON s.num = o.series_num WHERE s.id IN (",
            );
            let mut list = q.separated(", ");
            for id in ids {
                list.push_bind(id.clone());
            }
            q.push(")");
            let row = q.build().fetch_one(pool).await?;
            (row.get("first_month"), row.get("last_month"))
        });
        Ok(lo
            .zip(hi)
            .map(|(lo, hi)| (lo.div_euclid(12), hi.div_euclid(12))))
    }

    /// Number of observations per series id.
    pub async fn observation_counts(&self) -> Result<HashMap<String, i64>, StoreError> {
        let sql = "SELECT s.id AS series_id, COUNT(*) AS observations \
             FROM observations o JOIN series s ON s.num = o.series_num GROUP BY s.id";
        Ok(each_db!(&self.reads, Pool, |pool, Db| {
            let rows = aggregate_rows!(self, pool, sql);
            rows.iter()
                .map(|r| (r.get::<String, _>("series_id"), r.get::<i64, _>("observations")))
                .collect()
        }))
    }

    /// Row counts (datasets, series, observations), for start-up logs and tests.
    pub async fn counts(&self) -> Result<(i64, i64, i64), StoreError> {
        let mut counts = [0i64; 3];
        for (n, table) in counts.iter_mut().zip(["datasets", "series", "observations"]) {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            *n = each_db!(&self.reads, Pool, |pool, Db| sqlx::query_scalar(&sql).fetch_one(pool).await?);
        }
        Ok((counts[0], counts[1], counts[2]))
    }
}

/// Lets PostgreSQL plan a whole-table aggregate with parallel workers (the planner's default of two),
/// which the app's sessions otherwise turn off (`PG_SESSION` in `mod.rs`): counting 5M observations per
/// series takes 0.95 s with them, 1.75 s without. For the rest of one transaction only.
const PARALLEL_SCAN: &str = "SET LOCAL max_parallel_workers_per_gather = 2";

const SERIES_COLUMNS: &str =
    "id, dataset_id, indicator, origin, destination, platform, category, unit, \
    origin_code, origin_kind, destination_code, destination_kind, notes";

/// One series' figures with their notes and sources, in period order; `$2`/`$3` bound the months.
const SERIES_OBSERVATIONS: &str = "SELECT s.id AS series_id, o.period_kind AS period_kind, \
     o.start_month AS start_month, o.end_month AS end_month, o.value AS value, o.flags AS flags, \
     n.value_high AS value_high, n.quote AS quote, n.caveat AS caveat, src.source_url AS source_url, \
     src.attributed_to AS attributed_to \
     FROM series s JOIN observations o ON o.series_num = s.num \
     LEFT JOIN observation_notes n ON n.series_num = o.series_num AND n.seq = o.seq \
     LEFT JOIN observation_sources src ON src.num = o.source_num \
     WHERE s.id = $1 AND ($2 IS NULL OR o.start_month >= $2) AND ($3 IS NULL OR o.end_month <= $3) \
     ORDER BY o.start_month, o.end_month, o.seq";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Flags;
    use crate::store::WriteOutcome;

    /// Made-up values, for tests only.
    fn dataset() -> Dataset {
        Dataset {
            id: "test-d".into(),
            title: "Test dataset".into(),
            publisher: "Nobody".into(),
            source_url: Some("https://example.org/d".into()),
            licence: "test licence".into(),
            retrieved: Some("2025-01-02".into()),
            notes: "test notes".into(),
        }
    }

    fn series(id: &str) -> Series {
        Series {
            id: id.into(),
            dataset_id: "test-d".into(),
            indicator: "exports".into(),
            origin: "China".into(),
            destination: "Atlantis".into(),
            platform: "p".into(),
            category: "c".into(),
            unit: "USD".into(),
            origin_code: "CHN".into(),
            origin_kind: "economy".into(),
            destination_code: "ATL".into(),
            destination_kind: "economy".into(),
            notes: "basis".into(),
        }
    }

    #[tokio::test]
    async fn a_written_dataset_reads_back_column_for_column() {
        let store = Store::in_memory().await.unwrap();
        let (a, b) = (series("test-a"), series("test-b"));
        let mut noted = Observation::new("test-a", "2021".parse().unwrap(), 2.0);
        noted.value_high = Some(3.0);
        noted.flags = Flags {
            lower_bound: false,
            approximate: true,
            provisional: true,
        };
        noted.quote = Some("about 2 to 3".into());
        noted.caveat = Some("made up".into());
        noted.source_url = Some("https://example.org/q".into());
        noted.attributed_to = Some("Someone".into());
        let observations = vec![
            Observation::new("test-a", "2019-H2".parse().unwrap(), 1.0),
            noted.clone(),
            Observation::new("test-b", "2023-01".parse().unwrap(), 7.0),
        ];
        let (d, all) = (dataset(), [a.clone(), b.clone()]);
        for outcome in [WriteOutcome::Written, WriteOutcome::Unchanged] {
            let written = store.write_dataset(&d, &all, &observations, "h1");
            assert_eq!(written.await.unwrap(), outcome);
        }

        assert_eq!(store.datasets().await.unwrap(), vec![dataset()]);
        assert_eq!(
            store.dataset_hash("test-d").await.unwrap().as_deref(),
            Some("h1")
        );
        assert_eq!(store.dataset_counts("test-d").await.unwrap(), (2, 3));
        assert_eq!(store.counts().await.unwrap(), (1, 2, 3));
        let filter = SeriesFilter {
            destination_code: Some("ATL".into()),
            ..SeriesFilter::default()
        };
        assert_eq!(
            store.series(&filter).await.unwrap(),
            vec![a.clone(), b.clone()]
        );
        let ids = vec!["test-b".to_string(), "test-a".to_string()];
        assert_eq!(
            store.series_by_ids(&ids).await.unwrap(),
            Ok(vec![b.clone(), a.clone()])
        );
        assert_eq!(
            store.observations(&ids, None, None).await.unwrap(),
            observations
        );
        assert_eq!(store.year_bounds(&ids).await.unwrap(), Some((2019, 2023)));
        let counts = store.observation_counts().await.unwrap();
        assert_eq!((counts["test-a"], counts["test-b"]), (2, 1));
        let latest = store.latest_observations().await.unwrap();
        assert_eq!(latest["test-a"].value, 2.0);
        assert_eq!(latest["test-a"].flags, noted.flags);
        assert_eq!(latest["test-b"].period, "2023-01".parse().unwrap());
    }

    #[tokio::test]
    async fn a_writer_that_waited_finds_the_same_content_already_written() {
        let store = Store::in_memory().await.unwrap();
        let mut first = store.begin_dataset(&dataset(), "same").await.unwrap();
        assert!(!first.already_current());
        let second = tokio::spawn({
            let store = store.clone();
            async move { store.begin_dataset(&dataset(), "same").await.unwrap().already_current() }
        });
        first.add_series(&[series("test-a")]).await.unwrap();
        first.commit().await.unwrap();
        assert!(second.await.unwrap(), "the second writer waited, then found the same file written");
        assert_eq!(store.counts().await.unwrap(), (1, 1, 0), "and changed nothing");
        let other = store.begin_dataset(&dataset(), "other").await.unwrap();
        assert!(!other.already_current(), "other content is written as usual");
    }
}
