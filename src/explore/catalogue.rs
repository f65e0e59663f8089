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
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Facet {
    pub dimension: Dimension,
    /// Values with the number of series that have them, most common first.
    pub options: Vec<(String, usize)>,
    /// Values left out of `options` (see [`Facet::bounded`]).
    #[serde(default)]
    pub more: usize,
}

impl Facet {
    /// At most `limit` options (the most common), plus the chosen value wherever it sorts: a page lists
    /// a bounded number of choices however many categories the data has; a search narrows the rest.
    pub fn bounded(mut self, limit: usize, chosen: Option<&str>) -> Facet {
        if self.options.len() > limit {
            let kept_chosen = chosen.and_then(|c| {
                self.options.iter().skip(limit).find(|(v, _)| v == c).cloned()
            });
            self.more = self.options.len() - limit;
            self.options.truncate(limit);
            if let Some(c) = kept_chosen {
                self.options.push(c);
                self.more -= 1;
            }
        }
        self
    }
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
#[derive(Debug, Default)]
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
    /// Per series (same order as `series`): the text a search looks in (label and id, lower case) and
    /// the latest value (for ranking), so a request never rebuilds either.
    search_text: Vec<String>,
    latest_value: Vec<f64>,
    /// The picker for each search and set of filters asked of this catalogue (bounded).
    pickers: Mutex<HashMap<String, Arc<Picker>>>,
}

/// What the picker shows for one dataset, search and set of filters, whichever series are chosen:
/// the facets, and the matching series in ranking order. Kept with the catalogue, so changing the
/// chart's series or options does not work them out again.
#[derive(Debug)]
struct Picker {
    facets: Vec<Facet>,
    ranked: Vec<usize>,
}

/// Pickers kept per catalogue; more distinct searches than this start the memory afresh.
const MAX_PICKERS: usize = 512;

/// A picker filter, resolved once per request: places by code where the label has one.
enum Want<'a> {
    Code(Dimension, &'a str),
    Label(Dimension, &'a str),
}

/// The state's dataset, search terms and filters, ready to test series against.
struct Query<'a> {
    dataset: Option<&'a str>,
    /// Every term must match; a term matches when the series' text contains any of its spellings.
    terms: Vec<Term>,
    filters: Vec<Want<'a>>,
}

/// Words a plain question has that say nothing about which series: "imports *from* China".
const STOP_WORDS: [&str; 12] = [
    "a", "an", "and", "by", "for", "from", "in", "of", "on", "the", "to", "with",
];

/// What a search looks in: the series' label and id, its indicator's human name, its places' ISO
/// codes, and (on the server) the Chinese names of both, lower case.
fn search_text(s: &Series) -> String {
    #[allow(unused_mut)]
    let mut text = format!(
        "{} {} {} {} {}",
        s.label(),
        s.id,
        s.indicator,
        s.origin_code,
        s.destination_code
    );
    #[cfg(feature = "ssr")]
    {
        text.push(' ');
        text.push_str(&crate::labels::indicator(&s.indicator));
        for zh in [
            crate::labels::indicator_zh(&s.indicator),
            crate::geo::name_zh(&s.origin_code),
            crate::geo::name_zh(&s.destination_code),
        ]
        .into_iter()
        .flatten()
        {
            text.push(' ');
            text.push_str(zh);
        }
    }
    text.to_lowercase()
}

/// One word or place name of a search. A place after "to" or "from" must be the series' destination
/// or origin, so "exports to Vietnam" finds exports to Viet Nam, not Viet Nam's exports.
#[derive(Debug, PartialEq)]
struct Term {
    spellings: Vec<String>,
    /// The dimension and ISO3 code a place must have, where the question said which.
    role: Option<(Dimension, String)>,
}

/// A search as terms: stop words dropped; a place name of one or two words ("vietnam", "viet nam",
/// "united states") also matches by its ISO code, however the series' publisher spells it.
fn search_terms(search: &str) -> Vec<Term> {
    let words: Vec<String> = search.to_lowercase().split_whitespace().map(str::to_string).collect();
    let code_of = |name: &str| -> Option<String> {
        #[cfg(feature = "ssr")]
        {
            let place = crate::geo::harmonise(name);
            return place.code.filter(|c| c.len() == 3).map(|c| c.to_lowercase());
        }
        #[cfg(not(feature = "ssr"))]
        {
            let _ = name;
            None
        }
    };
    let mut terms = Vec::new();
    let mut direction = None;
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        if STOP_WORDS.contains(&word.as_str()) {
            direction = match word.as_str() {
                "to" => Some(Dimension::Destination),
                "from" => Some(Dimension::Origin),
                _ => direction,
            };
            i += 1;
            continue;
        }
        let pair = words.get(i + 1).map(|next| format!("{word} {next}"));
        let (spellings, code, used) = match pair.as_deref().and_then(|p| code_of(p).map(|c| (p, c))) {
            Some((pair, code)) => (vec![pair.to_string(), code.clone()], Some(code), 2),
            None => {
                let code = code_of(word);
                let mut spellings = vec![word.clone()];
                spellings.extend(code.clone().filter(|c| c != word));
                (spellings, code, 1)
            }
        };
        let role = code.and_then(|c| direction.take().map(|d| (d, c.to_uppercase())));
        terms.push(Term { spellings, role });
        direction = None;
        i += used;
    }
    terms
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
        let search_text = series.iter().map(search_text).collect();
        let latest_value = series
            .iter()
            .map(|s| latest.get(&s.id).map_or(f64::MIN, |o| o.value))
            .collect();
        Catalogue {
            version,
            pickers: Mutex::default(),
            search_text,
            latest_value,
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

    /// The series as the picker lists it, named in `lang`.
    pub fn summary(&self, s: &Series, lang: crate::i18n::Lang) -> SeriesSummary {
        let label = label_in(s, lang);
        SeriesSummary {
            id: s.id.clone(),
            label,
            unit: s.unit.clone(),
            dataset: self
                .datasets
                .get(&s.dataset_id)
                .map(|d| crate::i18n::dataset_title(lang, &d.id, &d.title))
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
                let value = crate::i18n::numbers::amount_of(lang, &shown.display_value(), rounded, &s.unit);
                let period = crate::i18n::numbers::period(lang, &o.period);
                crate::i18n::tf(lang, "explore.latest", &[("value", &value), ("period", &period)])
            }),
        }
    }

    fn query<'a>(&'a self, state: &'a ExploreState) -> Query<'a> {
        Query {
            dataset: state.dataset.as_deref(),
            terms: search_terms(&state.search),
            filters: state
                .filters
                .iter()
                .map(|(d, v)| match self.code_of.get(&(*d, v.clone())) {
                    Some(code) if matches!(d, Dimension::Origin | Dimension::Destination) => {
                        Want::Code(*d, code.as_str())
                    }
                    _ => Want::Label(*d, v.as_str()),
                })
                .collect(),
        }
    }

    /// Whether series `i` matches the query's dataset, search words and filters (but the filter on
    /// `except`).
    fn matches(&self, i: usize, q: &Query, except: Option<Dimension>) -> bool {
        let s = &self.series[i];
        q.dataset.is_none_or(|d| s.dataset_id == d)
            && q.terms.iter().all(|t| {
                // A place with a direction is checked against the series' own code where it has one.
                let placed = t.role.as_ref().and_then(|(d, code)| {
                    let have = match d {
                        Dimension::Origin => &s.origin_code,
                        _ => &s.destination_code,
                    };
                    (!have.is_empty()).then(|| have == code)
                });
                placed.unwrap_or_else(|| t.spellings.iter().any(|w| self.search_text[i].contains(w.as_str())))
            })
            && q.filters.iter().all(|f| match *f {
                Want::Code(d, _) | Want::Label(d, _) if Some(d) == except => true,
                Want::Code(Dimension::Origin, code) => s.origin_code == code,
                Want::Code(_, code) => s.destination_code == code,
                Want::Label(d, v) => s.dimension(d) == v,
            })
    }

    /// The picker of the state's dataset, search and filters, worked out once.
    fn picker(&self, state: &ExploreState) -> Arc<Picker> {
        let key = format!("{:?}\n{}\n{:?}", state.dataset, state.search, state.filters);
        if let Some(p) = self.pickers.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return p;
        }
        let q = self.query(state);
        let picker = Arc::new(Picker {
            facets: self.compute_facets(&q),
            ranked: self.rank(&q),
        });
        if let Ok(mut m) = self.pickers.lock() {
            if m.len() >= MAX_PICKERS {
                m.clear();
            }
            m.insert(key, picker.clone());
        }
        picker
    }

    /// Each facet counts values among series matching the *other* filters, so choices never dead-end.
    pub fn facets(&self, state: &ExploreState) -> Vec<Facet> {
        self.picker(state).facets.clone()
    }

    fn compute_facets(&self, q: &Query) -> Vec<Facet> {
        Dimension::ALL
            .iter()
            .map(|&d| {
                let mut options: HashMap<&str, usize> = HashMap::new();
                for i in (0..self.series.len()).filter(|&i| self.matches(i, q, Some(d))) {
                    let v = self.series[i].dimension(d);
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
                    more: 0,
                }
            })
            .collect()
    }

    /// The series matching the state's search and filters: the state's own series first (so they can
    /// be unticked wherever they sort), then by latest value, largest first, within units (most common
    /// unit first) — values in different units do not rank against each other.
    pub fn matching(&self, state: &ExploreState) -> Vec<&Series> {
        let picker = self.picker(state);
        let chosen = |i: &usize| state.series.contains(&self.series[*i].id);
        let first = picker.ranked.iter().filter(|i| chosen(i));
        let rest = picker.ranked.iter().filter(|i| !chosen(i));
        first.chain(rest).map(|&i| &self.series[i]).collect()
    }

    /// The matching series' indices by unit (most common first), then latest value, largest first.
    fn rank(&self, q: &Query) -> Vec<usize> {
        let matching: Vec<usize> = (0..self.series.len())
            .filter(|&i| self.matches(i, q, None))
            .collect();
        let mut per_unit: HashMap<&str, usize> = HashMap::new();
        for &i in &matching {
            *per_unit.entry(self.series[i].unit.as_str()).or_default() += 1;
        }
        // Each series' sort key is worked out once, not in every comparison.
        let mut keyed: Vec<(std::cmp::Reverse<usize>, &str, f64, usize)> = matching
            .into_iter()
            .map(|i| {
                let s = &self.series[i];
                (
                    std::cmp::Reverse(per_unit[s.unit.as_str()]),
                    s.unit.as_str(),
                    self.latest_value[i],
                    i,
                )
            })
            .collect();
        keyed.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(b.2.total_cmp(&a.2)));
        keyed.into_iter().map(|k| k.3).collect()
    }

    /// The `n` economies (no aggregates) with the largest latest figure of one dataset's indicator:
    /// what the explorer opens on, chosen from the data rather than written down.
    pub fn largest(&self, dataset: &str, indicator: &str, n: usize) -> Vec<String> {
        let mut found: Vec<(f64, &str)> = self
            .series
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s.dataset_id == dataset && s.indicator == indicator && s.destination_kind == "economy"
            })
            .map(|(i, s)| (self.latest_value[i], s.id.as_str()))
            .collect();
        found.sort_by(|a, b| b.0.total_cmp(&a.0));
        found.into_iter().take(n).map(|(_, id)| id.to_string()).collect()
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

/// A series' label in `lang`: on the server an indicator's code gives way to its name where the label
/// has nothing else, and places and categories take their names in the reader's language.
pub fn label_in(s: &Series, lang: crate::i18n::Lang) -> String {
    #[cfg(feature = "ssr")]
    {
        use crate::i18n::{category, dimension_value, place};
        let indicator = match s.platform.is_empty() && s.category.is_empty() {
            false => s.indicator.clone(),
            true => dimension_value(lang, Dimension::Indicator, &s.indicator),
        };
        Series {
            indicator,
            category: category(lang, &s.category),
            origin: place(lang, &s.origin_code, &s.origin),
            destination: place(lang, &s.destination_code, &s.destination),
            ..s.clone()
        }
        .label()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = lang;
        s.label()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_questions_become_terms_and_place_names_match_by_code() {
        let terms = search_terms("Imports from China");
        assert_eq!(terms[0].spellings, ["imports"]);
        assert!(terms[1].spellings.contains(&"china".to_string()));
        assert_eq!(terms.len(), 2, "'from' says nothing about which series");
        #[cfg(feature = "ssr")]
        {
            let to_vietnam = search_terms("exports to Viet Nam");
            assert_eq!(to_vietnam[1].spellings, ["viet nam", "vnm"]);
            assert_eq!(to_vietnam[1].role, Some((Dimension::Destination, "VNM".into())));
            assert_eq!(terms[1].role, Some((Dimension::Origin, "CHN".into())));
            assert_eq!(search_terms("vietnam exports")[0].role, None, "no direction was said");
            assert!(search_terms("vietnam")[0].spellings.contains(&"vnm".to_string()));
            let s = Series {
                id: "x".into(),
                indicator: "reported_imports".into(),
                origin: "China".into(),
                origin_code: "CHN".into(),
                destination: "Viet Nam".into(),
                destination_code: "VNM".into(),
                ..Series::default()
            };
            let text = search_text(&s);
            assert!(text.contains("imports from china") && text.contains("vnm") && text.contains("越南"), "{text}");
        }
    }

    /// "exports to Vietnam" keeps China's exports to Viet Nam and drops Viet Nam's own exports,
    /// which mention both words too. Made-up series, for tests only.
    #[cfg(feature = "ssr")]
    #[test]
    fn a_place_after_to_or_from_must_be_the_destination_or_origin() {
        let series = |id: &str, from: (&str, &str), to: (&str, &str)| Series {
            id: id.into(),
            dataset_id: "test".into(),
            indicator: "exports".into(),
            origin: from.0.into(),
            origin_code: from.1.into(),
            destination: to.0.into(),
            destination_code: to.1.into(),
            ..Series::default()
        };
        let catalogue = Catalogue::new(
            "test".into(),
            vec![
                series("china-to-vietnam", ("China", "CHN"), ("Viet Nam", "VNM")),
                series("vietnam-to-world", ("Viet Nam", "VNM"), ("World", "WLD")),
            ],
            Vec::new(),
            HashMap::new(),
            HashMap::new(),
        );
        let found = |search: &str| -> Vec<&str> {
            let state = ExploreState { search: search.into(), ..ExploreState::default() };
            let q = catalogue.query(&state);
            (0..2).filter(|&i| catalogue.matches(i, &q, None)).map(|i| catalogue.series[i].id.as_str()).collect()
        };
        assert_eq!(found("exports to Vietnam"), ["china-to-vietnam"]);
        assert_eq!(found("exports from Viet Nam"), ["vietnam-to-world"]);
        assert_eq!(found("Vietnam exports"), ["china-to-vietnam", "vietnam-to-world"]);
    }

    #[test]
    fn facets_are_bounded_but_keep_the_chosen_value() {
        let f = Facet {
            dimension: Dimension::Category,
            options: (0..10).map(|i| (format!("c{i}"), 10 - i)).collect(),
            more: 0,
        };
        let b = f.clone().bounded(3, Some("c7"));
        let values: Vec<&str> = b.options.iter().map(|o| o.0.as_str()).collect();
        assert_eq!(values, ["c0", "c1", "c2", "c7"]);
        assert_eq!(b.more, 6);
        assert_eq!(f.clone().bounded(3, None).more, 7);
        assert_eq!(f.bounded(20, None).more, 0);
    }
}
