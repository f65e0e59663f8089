//! Import jobs' states shared between instances: on PostgreSQL, where several instances serve one
//! database behind a proxy, the instance running an import writes its job's state here (about once a
//! second), so whichever instance a status request reaches can answer it. SQLite serves one process,
//! whose jobs stay in its memory; writing them to the file would also wait behind the import's own
//! write lock.

use super::{Pool, Store, StoreError};

/// How long a finished job stays readable; older rows go when a new job is written.
pub const KEEP_JOB_DAYS: i32 = 7;

impl Store {
    /// Whether jobs are shared through the database (PostgreSQL).
    pub fn shares_jobs(&self) -> bool {
        matches!(self.pool, Pool::Postgres(_))
    }

    /// Writes a job's state (JSON) and the time it was written; a no-op on SQLite.
    pub async fn save_job(&self, id: &str, state: &str, new: bool) -> Result<(), StoreError> {
        let Pool::Postgres(pool) = &self.pool else { return Ok(()) };
        if new {
            sqlx::query("DELETE FROM import_jobs WHERE updated < now() - make_interval(days => $1)")
                .bind(KEEP_JOB_DAYS)
                .execute(pool)
                .await?;
        }
        sqlx::query(
            "INSERT INTO import_jobs (id, state, updated) VALUES ($1, $2, now()) \
             ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated = excluded.updated",
        )
        .bind(id)
        .bind(state)
        .execute(pool)
        .await?;
        Ok(())
    }

    /// A job's state (JSON) and how many seconds ago it was written; `None` on SQLite. Read from the
    /// primary: a replica may not have the row yet.
    pub async fn job(&self, id: &str) -> Result<Option<(String, f64)>, StoreError> {
        let Pool::Postgres(pool) = &self.pool else { return Ok(None) };
        Ok(sqlx::query_as(
            "SELECT state, EXTRACT(EPOCH FROM now() - updated)::float8 FROM import_jobs WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?)
    }
}
