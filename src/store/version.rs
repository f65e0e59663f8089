//! The data's version: one short hash that changes whenever a dataset is imported with different
//! content — by the web admin, or by the CLI writing the same database from another process. Caches
//! built from the data (the catalogue, rendered pages and images) are keyed by it.

use super::{Pool, Store, StoreError};
use sha2::{Digest, Sha256};
use sqlx::Row;

impl Store {
    /// A hex hash of every dataset's id and content hash; cheap (one row per dataset).
    pub async fn data_version(&self) -> Result<String, StoreError> {
        let sql = "SELECT id, content_hash FROM datasets ORDER BY id";
        let rows: Vec<(String, Option<String>)> = each_db!(&self.reads, Pool, |pool, Db| {
            sqlx::query(sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| (r.get("id"), r.get("content_hash")))
                .collect()
        });
        let mut h = Sha256::new();
        for (id, hash) in rows {
            h.update(id.as_bytes());
            h.update([0]);
            h.update(hash.unwrap_or_default().as_bytes());
            h.update([0]);
        }
        Ok(h.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect())
    }
}
