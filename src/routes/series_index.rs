//! What `/api/v1/series` filters and searches in: every series' dimensions in lower case, its
//! search text and the ISO code behind each place label, worked out once per catalogue (so once per
//! data version) rather than per request. A request then compares strings over the series it lists;
//! its cost does not grow with the number of stored observations.
//!
//! Filters ignore case, and a place may be given by ISO code or by any publisher's label:
//! `origin=china`, `origin=CHN` and `origin=China` all find China, also where IMF calls it
//! "China, P.R.: Mainland".

use crate::domain::{Dimension, Series};
use crate::explore::catalogue::Catalogue;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

pub struct SeriesIndex {
    /// The catalogue this index was built from; compared by pointer, so a rebuilt catalogue (after an
    /// import) gets a new index.
    catalogue: Weak<Catalogue>,
    /// Per series, in the catalogue's order: each dimension in lower case (`Dimension::ALL` order).
    dims: Vec<[String; 5]>,
    /// Per series: label and id in lower case, what `q=` looks in.
    text: Vec<String>,
    /// A place label in lower case → its ISO code, per dimension (origin, destination).
    code_of: HashMap<(Dimension, String), String>,
    /// Series per dataset id.
    per_dataset: HashMap<String, usize>,
}

/// One `/api/v1/series` question: filters as given (any case), ISO codes, and search words.
#[derive(Debug, Default, Clone)]
pub struct SeriesQuery {
    pub filters: Vec<(Dimension, String)>,
    pub origin_code: Option<String>,
    pub destination_code: Option<String>,
    pub q: Option<String>,
}

impl SeriesIndex {
    pub fn new(catalogue: &Arc<Catalogue>) -> SeriesIndex {
        let series = &catalogue.series;
        let mut code_of = HashMap::new();
        let mut per_dataset: HashMap<String, usize> = HashMap::new();
        for s in series {
            for (d, label, code) in [
                (Dimension::Origin, &s.origin, &s.origin_code),
                (Dimension::Destination, &s.destination, &s.destination_code),
            ] {
                if !code.is_empty() {
                    code_of.insert((d, label.to_lowercase()), code.clone());
                }
            }
            *per_dataset.entry(s.dataset_id.clone()).or_default() += 1;
        }
        SeriesIndex {
            catalogue: Arc::downgrade(catalogue),
            dims: series
                .iter()
                .map(|s| Dimension::ALL.map(|d| s.dimension(d).to_lowercase()))
                .collect(),
            text: series
                .iter()
                .map(|s| format!("{} {}", s.label(), s.id).to_lowercase())
                .collect(),
            code_of,
            per_dataset,
        }
    }

    /// The index of `catalogue`, built on first use and kept while the catalogue lives (a few at once:
    /// tests run several apps in one process).
    pub fn of(catalogue: &Arc<Catalogue>) -> Arc<SeriesIndex> {
        static KEPT: Mutex<Vec<Arc<SeriesIndex>>> = Mutex::new(Vec::new());
        let of_this = |i: &&Arc<SeriesIndex>| {
            i.catalogue
                .upgrade()
                .is_some_and(|c| Arc::ptr_eq(&c, catalogue))
        };
        if let Some(i) = KEPT.lock().ok().and_then(|k| k.iter().find(of_this).cloned()) {
            return i;
        }
        let built = Arc::new(SeriesIndex::new(catalogue));
        if let Ok(mut kept) = KEPT.lock() {
            kept.retain(|i| i.catalogue.strong_count() > 0);
            if kept.len() >= 4 {
                kept.remove(0);
            }
            kept.push(built.clone());
        }
        built
    }

    pub fn series_in(&self, dataset: &str) -> usize {
        self.per_dataset.get(dataset).copied().unwrap_or(0)
    }

    /// Positions (in the catalogue's order) of the series matching `query`.
    pub fn matching(&self, series: &[Series], query: &SeriesQuery) -> Vec<usize> {
        let words: Vec<String> = query
            .q
            .as_deref()
            .unwrap_or("")
            .to_lowercase()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        // Each filter resolved once: its value in lower case and, for a place, the code it stands for.
        let filters: Vec<(usize, String, Option<String>)> = query
            .filters
            .iter()
            .map(|(d, v)| {
                let v = v.trim().to_lowercase();
                let code = match d {
                    Dimension::Origin | Dimension::Destination => Some(
                        self.code_of
                            .get(&(*d, v.clone()))
                            .cloned()
                            .unwrap_or_else(|| v.to_uppercase()),
                    ),
                    _ => None,
                };
                let at = Dimension::ALL.iter().position(|x| x == d).unwrap_or(0);
                (at, v, code)
            })
            .collect();
        let upper = |c: &Option<String>| c.as_ref().map(|c| c.trim().to_uppercase());
        let (origin_code, destination_code) = (upper(&query.origin_code), upper(&query.destination_code));
        (0..series.len().min(self.dims.len()))
            .filter(|&i| {
                let s = &series[i];
                let code_at = |at: usize| match Dimension::ALL[at] {
                    Dimension::Origin => s.origin_code.as_str(),
                    Dimension::Destination => s.destination_code.as_str(),
                    _ => "",
                };
                filters.iter().all(|(at, v, code)| {
                    self.dims[i][*at] == *v
                        || code.as_deref().is_some_and(|c| !c.is_empty() && code_at(*at) == c)
                }) && origin_code.as_deref().is_none_or(|c| s.origin_code == c)
                    && destination_code.as_deref().is_none_or(|c| s.destination_code == c)
                    && words.iter().all(|w| self.text[i].contains(w.as_str()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(id: &str, origin: &str, origin_code: &str, destination: &str, destination_code: &str) -> Series {
        Series {
            id: id.into(),
            dataset_id: "d".into(),
            indicator: "exports".into(),
            origin: origin.into(),
            origin_code: origin_code.into(),
            destination: destination.into(),
            destination_code: destination_code.into(),
            category: "Goods".into(),
            unit: "USD".into(),
            ..Series::default()
        }
    }

    fn catalogue() -> Arc<Catalogue> {
        Arc::new(Catalogue::new(
            "v1".into(),
            vec![
                series("imf.chn.vnm", "China, P.R.: Mainland", "CHN", "Viet Nam", "VNM"),
                series("ct.chn.usa", "China", "CHN", "United States", "USA"),
                series("ct.deu.chn", "Germany", "DEU", "China", "CHN"),
            ],
            vec![],
            HashMap::new(),
            HashMap::new(),
        ))
    }

    fn ids(c: &Catalogue, found: Vec<usize>) -> Vec<&str> {
        found.into_iter().map(|i| c.series[i].id.as_str()).collect()
    }

    #[test]
    fn places_match_by_any_case_code_or_any_publishers_label() {
        let c = catalogue();
        let index = SeriesIndex::new(&c);
        for origin in ["china", "CHN", "China", "chn", " China ", "china, p.r.: mainland"] {
            let q = SeriesQuery {
                filters: vec![(Dimension::Origin, origin.into())],
                ..SeriesQuery::default()
            };
            assert_eq!(ids(&c, index.matching(&c.series, &q)), ["imf.chn.vnm", "ct.chn.usa"], "{origin}");
        }
        let q = SeriesQuery {
            filters: vec![(Dimension::Destination, "vietnam".into())],
            ..SeriesQuery::default()
        };
        assert!(index.matching(&c.series, &q).is_empty(), "a label no publisher uses finds nothing");
        let q = SeriesQuery {
            filters: vec![(Dimension::Indicator, "EXPORTS".into()), (Dimension::Destination, "viet nam".into())],
            ..SeriesQuery::default()
        };
        assert_eq!(ids(&c, index.matching(&c.series, &q)), ["imf.chn.vnm"]);
    }

    #[test]
    fn search_needs_every_word_in_label_or_id() {
        let c = catalogue();
        let index = SeriesIndex::new(&c);
        let q = |text: &str| SeriesQuery {
            q: Some(text.into()),
            ..SeriesQuery::default()
        };
        assert_eq!(ids(&c, index.matching(&c.series, &q("GERMANY china"))), ["ct.deu.chn"]);
        assert_eq!(ids(&c, index.matching(&c.series, &q("ct."))), ["ct.chn.usa", "ct.deu.chn"]);
        assert!(index.matching(&c.series, &q("germany usa")).is_empty());
        assert_eq!(index.matching(&c.series, &q("  ")).len(), 3, "no words: everything");
        let coded = SeriesQuery {
            destination_code: Some("chn".into()),
            ..SeriesQuery::default()
        };
        assert_eq!(ids(&c, index.matching(&c.series, &coded)), ["ct.deu.chn"]);
    }

    #[test]
    fn the_index_is_kept_per_catalogue() {
        let (a, b) = (catalogue(), catalogue());
        let first = SeriesIndex::of(&a);
        assert!(Arc::ptr_eq(&first, &SeriesIndex::of(&a)));
        assert!(!Arc::ptr_eq(&first, &SeriesIndex::of(&b)), "another catalogue, another index");
        assert_eq!(first.series_in("d"), 3);
    }
}
