//! The explorer service, between the data (store, transforms, charts) and the web (pages, routes):
//! the explorer's URL state, the catalogue of series with its facets, "state → data → chart", the home
//! dashboard's data and what embeds show. Pages, embeds, chart images, oEmbed and the API call it; it
//! imports nothing from the web layer.
//!
//! The types are shared with the browser build (they travel in the pages' data); the functions that
//! read the store are server-only.

pub mod build;
pub mod catalogue;
mod derived;
pub mod embed;
pub mod home;
mod rank;
pub mod ranking;
pub mod service;
pub mod state;

#[cfg(feature = "ssr")]
pub use server::Explorer;

#[cfg(feature = "ssr")]
mod server {
    use super::catalogue::{Catalogue, Catalogues};
    use super::embed::EmbedData;
    use super::home::HomeData;
    use super::ranking::{Ranking, RankingData, RankingQuery, Rankings};
    use super::service::ExploreData;
    use super::state::ExploreState;
    use crate::chart::bundle::ChartBundle;
    use crate::store::{Store, StoreError};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    /// How long a read data version is trusted. Imports in this process reset it at once
    /// ([`Explorer::data_changed`]); an import by the CLI (another process on the same database) is
    /// noticed within this time.
    const VERSION_TTL: Duration = Duration::from_secs(1);

    /// The service as the web layer holds it: the store and the catalogue built from its current data.
    /// Cheap to clone (one per app, shared by every request).
    #[derive(Clone)]
    pub struct Explorer {
        pub store: Store,
        catalogues: Catalogues,
        rankings: Rankings,
        version: Arc<Mutex<Option<(String, Instant)>>>,
    }

    impl Explorer {
        pub fn new(store: Store) -> Explorer {
            Explorer {
                store,
                catalogues: Catalogues::default(),
                rankings: Rankings::default(),
                version: Arc::default(),
            }
        }

        /// The data's version, which every cache built from the data (catalogue, pages, images) is
        /// keyed by. Read from the store at most once a second, so a cached answer costs no query.
        pub async fn data_version(&self) -> Result<String, StoreError> {
            if let Ok(v) = self.version.lock() {
                if let Some((version, read)) = v.as_ref() {
                    if read.elapsed() < VERSION_TTL {
                        return Ok(version.clone());
                    }
                }
            }
            let version = self.store.data_version().await?;
            if let Ok(mut v) = self.version.lock() {
                *v = Some((version.clone(), Instant::now()));
            }
            Ok(version)
        }

        /// An import in this process committed: the next request reads the new version.
        pub fn data_changed(&self) {
            if let Ok(mut v) = self.version.lock() {
                *v = None;
            }
        }

        /// The catalogue of the current data (rebuilt only after an import).
        pub async fn catalogue(&self) -> Result<Arc<Catalogue>, StoreError> {
            let version = self.data_version().await?;
            self.catalogues.get(&self.store, &version).await
        }

        /// What `/explore?query` shows, its series named in `lang`.
        pub async fn explore(&self, query: &str, lang: crate::i18n::Lang) -> Result<ExploreData, StoreError> {
            super::service::explore(&self.store, &*self.catalogue().await?, query, lang).await
        }

        /// The chart of an explorer query on its own, its words in `lang`, with what could not be used.
        pub async fn chart_for_query(
            &self,
            query: &str,
            lang: crate::i18n::Lang,
        ) -> Result<(ExploreState, Option<ChartBundle>, Vec<String>), StoreError> {
            super::service::chart_for_query(&self.store, &*self.catalogue().await?, query, lang).await
        }

        /// What `/rankings?query` shows: one page of a ranking table.
        pub async fn ranking_page(
            &self,
            query: &str,
            lang: crate::i18n::Lang,
        ) -> Result<RankingData, StoreError> {
            let cat = self.catalogue().await?;
            self.rankings.page(&self.store, &cat, query, lang).await
        }

        /// A whole ranking (every row), for downloads and the API, with what could not be used.
        pub async fn ranking(
            &self,
            q: &RankingQuery,
        ) -> Result<(Option<Ranking>, Vec<crate::explore::ranking::Problem>), StoreError> {
            let cat = self.catalogue().await?;
            self.rankings.ranking(&self.store, &cat, q).await
        }

        /// The home dashboard, its own words in `lang`.
        pub async fn home(&self, lang: crate::i18n::Lang) -> Result<HomeData, StoreError> {
            super::home::home(&self.store, &*self.catalogue().await?, lang).await
        }

        /// One of the home dashboard's charts by name, or all three, their words in `lang`.
        pub async fn home_charts(
            &self,
            which: Option<&str>,
            lang: crate::i18n::Lang,
        ) -> Result<Vec<ChartBundle>, StoreError> {
            super::embed::home_charts(&self.store, &*self.catalogue().await?, which, lang).await
        }

        /// What an embed page shows for its query.
        pub async fn embed_data(&self, home: bool, query: &str) -> Result<EmbedData, StoreError> {
            super::embed::embed_data(&self.store, &*self.catalogue().await?, home, query).await
        }
    }
}
