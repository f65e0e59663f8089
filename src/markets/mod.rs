//! The market finder service: "where should I sell my category next, and why?". For a product category
//! and a set of destination markets it ranks each market by a weighted score of sourced indicators
//! (market size, China's share, growth, income, internet use, logistics, distance), every number with
//! its year and source. Pages, the ranking island, the API, chart images and embeds call it.
//!
//! `score` (the arithmetic) and `finder` (the question and answer types) are shared with the browser;
//! the table built from the store and the answering are server-only.

pub mod finder;
pub mod score;
#[cfg(feature = "ssr")]
pub mod tariffs;

#[cfg(feature = "ssr")]
mod answer;
#[cfg(feature = "ssr")]
pub mod chart;
#[cfg(feature = "ssr")]
pub mod table;

#[cfg(feature = "ssr")]
pub use server::Markets;

#[cfg(feature = "ssr")]
mod server {
    use super::finder::{FinderQuery, FinderResult};
    use super::table::MarketTable;
    use crate::explore::Explorer;
    use crate::store::StoreError;
    use std::sync::{Arc, Mutex};

    /// The finder as the web layer holds it: the table of the current data version, rebuilt after an
    /// import. Cheap to clone.
    #[derive(Clone, Default)]
    pub struct Markets {
        current: Arc<Mutex<Option<Arc<MarketTable>>>>,
        building: Arc<tokio::sync::Mutex<()>>,
    }

    impl Markets {
        /// The table of the explorer's current data (the explorer keeps the data version).
        pub async fn table(&self, explorer: &Explorer) -> Result<Arc<MarketTable>, StoreError> {
            let version = explorer.data_version().await?;
            if let Some(t) = self.cached(&version) {
                return Ok(t);
            }
            let _building = self.building.lock().await;
            if let Some(t) = self.cached(&version) {
                return Ok(t);
            }
            let catalogue = explorer.catalogue().await?;
            let built = Arc::new(MarketTable::build(&explorer.store, &catalogue).await?);
            if let Ok(mut current) = self.current.lock() {
                *current = Some(built.clone());
            }
            Ok(built)
        }

        fn cached(&self, version: &str) -> Option<Arc<MarketTable>> {
            let current = self.current.lock().ok()?;
            current.as_ref().filter(|t| t.version == version).cloned()
        }

        /// The answer to a `/markets?…` query string.
        pub async fn answer(&self, explorer: &Explorer, query: &str) -> Result<FinderResult, StoreError> {
            self.answer_in(explorer, query, crate::i18n::Lang::En).await
        }

        /// As `answer`, what cannot be used said in `lang` (the pages').
        pub async fn answer_in(
            &self,
            explorer: &Explorer,
            query: &str,
            lang: crate::i18n::Lang,
        ) -> Result<FinderResult, StoreError> {
            let (q, errors) = FinderQuery::parse_in(query, lang);
            Ok(self.table(explorer).await?.answer_in(&q, errors, lang))
        }
    }
}
