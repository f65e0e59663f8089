//! The data's version: one short hash that changes whenever a dataset is imported with different
//! content — by the web admin, or by the CLI writing the same database from another process. Caches
//! built from the data (the catalogue, rendered pages and images) are keyed by it.

use super::{Store, StoreError};
use sha2::{Digest, Sha256};
use sqlx::Row;

impl Store {
    /// A hex hash of every dataset's id and content hash; cheap (one row per dataset).
    pub async fn data_version(&self) -> Result<String, StoreError> {
        let rows = sqlx::query("SELECT id, content_hash FROM datasets ORDER BY id")
            .fetch_all(self.pool())
            .await?;
        let mut h = Sha256::new();
        for r in rows {
            let id: String = r.get("id");
            let hash: Option<String> = r.get("content_hash");
            h.update(id.as_bytes());
            h.update([0]);
            h.update(hash.unwrap_or_default().as_bytes());
            h.update([0]);
        }
        Ok(h.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect())
    }
}
