//! What every handler and page shares: the configuration read at start, the explorer service (with the
//! store and its catalogue cache), the market finder and the admin import jobs.

use super::admin::Jobs;
use super::assets::Assets;
use super::page_cache::{self, PageCache};
use crate::components::AssetRoot;
use crate::config::Config;
use crate::explore::Explorer;
use crate::markets::Markets;
use crate::store::Store;
use axum::extract::FromRef;
use leptos::prelude::{provide_context, LeptosOptions};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    /// `config.leptos`, kept beside it because Leptos' handlers take it by value.
    pub leptos_options: LeptosOptions,
    /// The explorer service, which also holds the store (`explorer.store`).
    pub explorer: Explorer,
    /// The market finder's table of the current data.
    pub markets: Markets,
    pub jobs: Jobs,
    /// The built browser assets, in memory.
    pub assets: Assets,
    /// Rendered pages by (path, query, theme, data version, day, origin).
    pub pages: PageCache,
}


impl AppState {
    pub fn new(config: Config, store: Store) -> AppState {
        let assets = Assets::load(&config.leptos.site_root, &config.leptos.site_pkg_dir);
        AppState {
            assets,
            pages: page_cache::new_cache(),
            leptos_options: config.leptos.clone(),
            config: Arc::new(config),
            jobs: Jobs::new(&store),
            explorer: Explorer::new(store),
            markets: Markets::default(),
        }
    }

    /// What server-rendered pages and server functions find in their context.
    pub fn context(&self) -> impl Fn() + Clone + Send + 'static {
        let (config, explorer, markets, jobs) = (
            self.config.clone(),
            self.explorer.clone(),
            self.markets.clone(),
            self.jobs.clone(),
        );
        let root = AssetRoot(self.assets.root());
        move || {
            provide_context(config.clone());
            provide_context(explorer.clone());
            provide_context(markets.clone());
            provide_context(jobs.clone());
            provide_context(root.clone());
            super::security::provide_nonce();
        }
    }
}

impl FromRef<AppState> for Assets {
    fn from_ref(state: &AppState) -> Self {
        state.assets.clone()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
