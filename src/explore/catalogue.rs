//! The catalogue of series: every series with its dataset, observation count and latest figure, and
//! the picker's questions asked of it — which series match a search and filters, which values each
//! filter offers, which totals a share can be taken of.
//!
//! A catalogue is built once per data version ([`Catalogues`]) and shared by every request until an
//! import changes the data, so a page's cost does not grow with the number of stored observations.

use super::state::ExploreState;
use crate::domain::{Dataset, Dimension, Observation, Series};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Facet {
    pub dimension: Dimension,
    /// Values with the number of series that have them, most common first.
    pub options: Vec<(String, usize)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesSummary {
    pub id: String,
    pub label: String,
    pub unit: String,
    pub dataset: String,
    pub observations: i64,
    /// The latest figure as a person reads it ("1,234 USD million, 2020"), if any.
    pub latest: Option<String>,
}

/// Every series and what the picker shows of it.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    /// The data version this catalogue was built from.
    pub version: String,
    /// In the store's order (indicator, id).
    pub series: Vec<Series>,
    index: HashMap<String, usize>,
    pub datasets: HashMap<String, Dataset>,
    counts: HashMap<String, i64>,
    latest: HashMap<String, Observation>,
    /// A place's label → its ISO code, per dimension: "Vietnam" (IMF) finds "Viet Nam" (Comtrade).
    code_of: HashMap<(Dimension, String), String>,
}

impl Catalogue {
    pub fn new(
        version: String,
        series: Vec<Series>,
        datasets: Vec<Dataset>,
        counts: HashMap<String, i64>,
        latest: HashMap<String, Observation>,
    ) -> Catalogue {
        let mut code_of = HashMap::new();
        for s in &series {
            if !s.origin_code.is_empty() {
                code_of.insert((Dimension::Origin, s.origin.clone()), s.origin_code.clone());
            }
            if !s.destination_code.is_empty() {
                code_of.insert(
                    (Dimension::Destination, s.destination.clone()),
                    s.destination_code.clone(),
                );
            }
        }
        Catalogue {
            version,
            index: series
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.clone(), i))
                .collect(),
            series,
            datasets: datasets.into_iter().map(|d| (d.id.clone(), d)).collect(),
            counts,
            latest,
            code_of,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Series> {
        self.index.get(id).map(|&i| &self.series[i])
    }

    pub fn dataset(&self, id: &str) -> Option<&Dataset> {
        self.datasets.get(id)
    }

    pub fn latest(&self, id: &str) -> Option<&Observation> {
        self.latest.get(id)
    }

    /// The series with these ids in the order asked, and the ids that do not exist.
    pub fn resolve(&self, ids: &[String]) -> (Vec<Series>, Vec<String>) {
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for id in ids {
            match self.get(id) {
                Some(s) => found.push(s.clone()),
                None => missing.push(id.clone()),
            }
        }
        (found, missing)
    }

    pub fn summary(&self, s: &Series) -> SeriesSummary {
        SeriesSummary {
            id: s.id.clone(),
            label: s.label(),
            unit: s.unit.clone(),
            dataset: self
                .datasets
                .get(&s.dataset_id)
                .map(|d| d.title.clone())
                .unwrap_or_default(),
            observations: self.counts.get(&s.id).copied().unwrap_or(0),
            latest: self.latest.get(&s.id).map(|o| {
                // A list entry needs the size, not every decimal: 452,832.223 reads as 452,832.
                let v = o.value;
                let rounded = match v.abs() {
                    a if a >= 1000.0 => v.round(),
                    a if a >= 10.0 => (v * 10.0).round() / 10.0,
                    _ => v,
                };
                let shown = Observation {
                    value: rounded,
                    ..o.clone()
                };
                format!("{} {}, {}", shown.display_value(), s.unit, o.period)
            }),
        }
    }

    /// Whether `s` has value `v` in dimension `d`; places match by code where the label has one.
    fn dimension_matches(&self, s: &Series, d: Dimension, v: &str) -> bool {
        match (d, self.code_of.get(&(d, v.to_string()))) {
            (Dimension::Origin, Some(code)) => s.origin_code == *code,
            (Dimension::Destination, Some(code)) => s.destination_code == *code,
            _ => s.dimension(d) == v,
        }
    }

    /// Whether `s` matches the state's dataset, search words and filters (but the filter on `except`).
    fn matches(&self, s: &Series, state: &ExploreState, words: &[String], except: Option<Dimension>) -> bool {
        state.dataset.as_ref().is_none_or(|d| &s.dataset_id == d)
            && found(s, words)
            && state
                .filters
                .iter()
                .all(|(d, v)| Some(*d) == except || self.dimension_matches(s, *d, v))
    }

    /// Each facet counts values among series matching the *other* filters, so choices never dead-end.
    pub fn facets(&self, state: &ExploreState) -> Vec<Facet> {
        let words = search_words(state);
        Dimension::ALL
            .iter()
            .map(|&d| {
                let mut options: HashMap<&str, usize> = HashMap::new();
                for s in self.series.iter().filter(|s| self.matches(s, state, &words, Some(d))) {
                    let v = s.dimension(d);
                    if !v.is_empty() {
                        *options.entry(v).or_default() += 1;
                    }
                }
                let mut options: Vec<(String, usize)> = options
                    .into_iter()
                    .map(|(k, n)| (k.to_string(), n))
                    .collect();
                options.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                Facet {
                    dimension: d,
                    options,
                }
            })
            .collect()
    }

    /// The series matching the state's search and filters: the state's own series first (so they can
    /// be unticked wherever they sort), then by latest value, largest first, within units (most common
    /// unit first) — values in different units do not rank against each other.
    pub fn matching(&self, state: &ExploreState) -> Vec<&Series> {
        let words = search_words(state);
        let mut matching: Vec<&Series> = self
            .series
            .iter()
            .filter(|s| self.matches(s, state, &words, None))
            .collect();
        let mut per_unit: HashMap<&str, usize> = HashMap::new();
        for s in &matching {
            *per_unit.entry(s.unit.as_str()).or_default() += 1;
        }
        matching.sort_by(|a, b| {
            let value = |s: &Series| self.latest.get(&s.id).map_or(f64::MIN, |o| o.value);
            (!state.series.contains(&a.id))
                .cmp(&!state.series.contains(&b.id))
                .then(per_unit[b.unit.as_str()].cmp(&per_unit[a.unit.as_str()]))
                .then(a.unit.cmp(&b.unit))
                .then(value(b).total_cmp(&value(a)))
        });
        matching
    }

    /// Totals a share can be taken of: aggregates of the selection's own family (dataset, indicator,
    /// unit), e.g. "exports to the World" for exports to Vietnam.
    pub fn share_totals(&self, selected: &[Series]) -> Vec<(String, String)> {
        self.series
            .iter()
            .filter(|t| {
                (t.destination_kind == "aggregate" || t.destination_code == "WLD")
                    && selected.iter().any(|s| {
                        s.dataset_id == t.dataset_id && s.indicator == t.indicator && s.unit == t.unit
                    })
            })
            .take(30)
            .map(|t| (t.id.clone(), t.label()))
            .collect()
    }
}

fn search_words(state: &ExploreState) -> Vec<String> {
    state
        .search
        .to_lowercase()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Every word of the search in the series' label or id, ignoring case.
fn found(s: &Series, words: &[String]) -> bool {
    if words.is_empty() {
        return true;
    }
    let text = format!("{} {}", s.label(), s.id).to_lowercase();
    words.iter().all(|w| text.contains(w.as_str()))
}

#[cfg(feature = "ssr")]
pub use cache::Catalogues;

#[cfg(feature = "ssr")]
mod cache {
    use super::Catalogue;
    use crate::store::{SeriesFilter, Store, StoreError};
    use std::sync::{Arc, Mutex};

    /// The current catalogue, rebuilt when the data version changes. Cheap to clone; one per app.
    #[derive(Clone, Default)]
    pub struct Catalogues {
        current: Arc<Mutex<Option<Arc<Catalogue>>>>,
        /// Held while one request rebuilds, so a burst after an import builds it once.
        building: Arc<tokio::sync::Mutex<()>>,
    }

    impl Catalogues {
        /// The catalogue of the store's data at `version` (see [`crate::explore::Explorer::data_version`]).
        pub async fn get(&self, store: &Store, version: &str) -> Result<Arc<Catalogue>, StoreError> {
            if let Some(c) = self.cached(version) {
                return Ok(c);
            }
            let _building = self.building.lock().await;
            if let Some(c) = self.cached(version) {
                return Ok(c);
            }
            let built = Arc::new(Catalogue::new(
                version.to_string(),
                store.series(&SeriesFilter::default()).await?,
                store.datasets().await?,
                store.observation_counts().await?,
                store.latest_observations().await?,
            ));
            if let Ok(mut current) = self.current.lock() {
                *current = Some(built.clone());
            }
            Ok(built)
        }

        fn cached(&self, version: &str) -> Option<Arc<Catalogue>> {
            let current = self.current.lock().ok()?;
            current.as_ref().filter(|c| c.version == version).cloned()
        }
    }
}
