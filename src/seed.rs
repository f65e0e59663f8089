//! The default dataset: the project's own copies of the quoted-figure files (data/facts/), compiled into
//! the binary so a first start needs nothing but the executable. Seeding goes through the same importer
//! and the same transactional write as any user import, and is skipped for files already imported.

use crate::domain::Dataset;
use crate::import::{facts, ImportError};
use crate::store::{Store, StoreError, WriteOutcome};
use sha2::{Digest, Sha256};

const QUOTED_LICENCE: &str = "Quoted figures, each attributed to its original publisher; the publishers' terms were \
not verified — attribution required, see the publisher's terms before reuse.";

/// A file shipped with the app and the dataset it becomes.
pub struct DefaultFile {
    pub name: &'static str,
    pub bytes: &'static [u8],
    pub dataset: fn() -> Dataset,
}

pub const DEFAULT_FILES: [DefaultFile; 2] = [
    DefaultFile {
        name: "data/facts/seed_facts.csv",
        bytes: include_bytes!("../data/facts/seed_facts.csv"),
        dataset: || Dataset {
            id: "seed-facts".into(),
            title: "Figures quoted in the founding articles".into(),
            publisher: "News reports (Global Times, ECNS and others), quoted".into(),
            source_url: Some("/sources/articles/".into()),
            licence: QUOTED_LICENCE.into(),
            retrieved: None,
            notes: "China cross-border e-commerce totals and growth, Yiwu regional figures and platform figures, \
                    each with the sentence it was quoted from. The articles are kept with the app."
                .into(),
        },
    },
    DefaultFile {
        name: "data/facts/cbec_platform_facts.csv",
        bytes: include_bytes!("../data/facts/cbec_platform_facts.csv"),
        dataset: || Dataset {
            id: "cbec-platform-facts".into(),
            title: "China CBEC totals, market shares and platform metrics (quoted)".into(),
            publisher: "GACC and MOFCOM statements; media and analyst reports, as quoted".into(),
            source_url: None,
            licence: QUOTED_LICENCE.into(),
            retrieved: None,
            notes: "Yearly CBEC totals from customs/MOFCOM statements, destination-market and category shares of \
                    CBEC exports, and platform GMV, users and downloads. Platform figures come from media and \
                    analysts, not audited filings. Each figure links its own source."
                .into(),
        },
    },
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Imports every default file not yet in the database (or changed since). Returns how many were written.
pub async fn seed_defaults(store: &Store) -> Result<usize, SeedError> {
    let mut written = 0;
    for file in &DEFAULT_FILES {
        let hash = content_hash(file.bytes);
        if store.dataset_hash(&(file.dataset)().id).await?.as_deref() == Some(hash.as_str()) {
            continue;
        }
        let batch = facts::parse(file.name, file.bytes, (file.dataset)())?;
        if store.write_dataset(&batch, &hash).await? == WriteOutcome::Written {
            written += 1;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SeriesFilter;

    #[tokio::test]
    async fn seeding_is_idempotent() {
        let store = Store::in_memory().await.unwrap();
        assert_eq!(seed_defaults(&store).await.unwrap(), 2);
        let first = store.counts().await.unwrap();
        assert_eq!(first.0, 2);
        assert_eq!(first.2, 20 + 79);
        assert_eq!(seed_defaults(&store).await.unwrap(), 0, "a second start writes nothing");
        assert_eq!(store.counts().await.unwrap(), first);
    }

    #[tokio::test]
    async fn seeded_data_reads_back_exactly() {
        let store = Store::in_memory().await.unwrap();
        seed_defaults(&store).await.unwrap();
        let filter = SeriesFilter { platform: Some("Temu".into()), category: Some("GMV".into()), ..Default::default() };
        let temu = store.series(&filter).await.unwrap();
        assert_eq!(temu.len(), 1);
        let obs = store.observations(&[temu[0].id.clone()], None, None).await.unwrap();
        let periods: Vec<String> = obs.iter().map(|o| o.period.to_string()).collect();
        assert_eq!(periods, ["2023", "2024-H1", "2024-Q2"]);
        assert_eq!(obs[0].value, 18.0);
        let from: crate::domain::Period = "2024".parse().unwrap();
        let later = store.observations(&[temu[0].id.clone()], Some(from), None).await.unwrap();
        assert_eq!(later.len(), 2);
        let missing = store.series_by_ids(&["nope".into(), temu[0].id.clone()]).await.unwrap();
        assert_eq!(missing, Err(vec!["nope".to_string()]));
    }

    #[tokio::test]
    async fn a_failed_write_leaves_no_trace() {
        let store = Store::in_memory().await.unwrap();
        seed_defaults(&store).await.unwrap();
        let before = store.counts().await.unwrap();
        // A second dataset that claims an existing series id must be refused whole.
        let file = &DEFAULT_FILES[0];
        let mut batch = facts::parse(file.name, file.bytes, (file.dataset)()).unwrap();
        batch.dataset.id = "clashing-copy".into();
        let err = store.write_dataset(&batch, "other-hash").await.unwrap_err();
        assert!(matches!(err, StoreError::SeriesClash(..)), "{err}");
        assert_eq!(store.counts().await.unwrap(), before);
    }
}
