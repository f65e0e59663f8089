//! The explorer's whole state, as it lives in the URL query: which series, which periods, which scale,
//! which series are hidden, and the dimension filters of the series picker.
//!
//! `?s=a,b&from=2015&to=2024&scale=log&hide=b&platform=Temu`. Parsing never fails: what cannot be used is
//! dropped and reported, so a mistyped link still shows a chart and says what was ignored.

use crate::domain::{Dimension, Period};
use serde::{Deserialize, Serialize};

/// How many series one chart may show; more is unreadable.
pub const MAX_SERIES: usize = 12;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExploreState {
    pub series: Vec<String>,
    pub from: Option<Period>,
    pub to: Option<Period>,
    pub log: bool,
    pub hide: Vec<String>,
    /// Exact-match filters for the picker, in `Dimension::ALL` order.
    pub filters: Vec<(Dimension, String)>,
    /// Only series of this dataset in the picker (e.g. right after an import).
    pub dataset: Option<String>,
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

impl ExploreState {
    /// Reads the state from query pairs; returns it with a message for each part that was ignored.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (ExploreState, Vec<String>) {
        let mut state = ExploreState::default();
        let mut problems = Vec::new();
        let ids = |value: &str, into: &mut Vec<String>, problems: &mut Vec<String>| {
            for id in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                if !valid_id(id) {
                    problems.push(format!("'{id}' is not a series id"));
                } else if !into.iter().any(|x| x == id) {
                    into.push(id.to_string());
                }
            }
        };
        for (key, value) in pairs {
            match key {
                "s" | "series" => ids(value, &mut state.series, &mut problems),
                "hide" => ids(value, &mut state.hide, &mut problems),
                "from" | "to" if value.trim().is_empty() => {}
                "from" | "to" => match value.parse::<Period>() {
                    Ok(p) if key == "from" => state.from = Some(p),
                    Ok(p) => state.to = Some(p),
                    Err(e) => problems.push(format!("{key}: {e}")),
                },
                "dataset" if value.trim().is_empty() => {}
                "dataset" if valid_id(value.trim()) => {
                    state.dataset = Some(value.trim().to_string())
                }
                "dataset" => problems.push(format!("'{value}' is not a dataset id")),
                "scale" => match value {
                    "log" => state.log = true,
                    "linear" | "" => state.log = false,
                    other => problems.push(format!("scale '{other}' is not linear or log")),
                },
                _ => match Dimension::ALL.iter().find(|d| d.key() == key) {
                    Some(_) if value.trim().is_empty() => {}
                    Some(d) => {
                        state.filters.retain(|(k, _)| k != d);
                        state.filters.push((*d, value.trim().to_string()));
                    }
                    None => problems.push(format!("unknown parameter '{key}'")),
                },
            }
        }
        if let (Some(f), Some(t)) = (state.from, state.to) {
            if f > t {
                problems.push(format!("from {f} is after to {t}; the range was swapped"));
                (state.from, state.to) = (Some(t), Some(f));
            }
        }
        if state.series.len() > MAX_SERIES {
            problems.push(format!(
                "at most {MAX_SERIES} series fit one chart; the rest were left out"
            ));
            state.series.truncate(MAX_SERIES);
        }
        state.hide.retain(|h| state.series.contains(h));
        state
            .filters
            .sort_by_key(|(d, _)| Dimension::ALL.iter().position(|x| x == d));
        (state, problems)
    }

    pub fn parse_query(query: &str) -> (ExploreState, Vec<String>) {
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
                .into_owned()
                .collect();
        Self::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The canonical query string (no leading '?'); `parse_query(to_query(s)) == s` for any parsed state.
    pub fn to_query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        if !self.series.is_empty() {
            q.append_pair("s", &self.series.join(","));
        }
        if let Some(f) = self.from {
            q.append_pair("from", &f.to_string());
        }
        if let Some(t) = self.to {
            q.append_pair("to", &t.to_string());
        }
        if self.log {
            q.append_pair("scale", "log");
        }
        if !self.hide.is_empty() {
            q.append_pair("hide", &self.hide.join(","));
        }
        for (d, v) in &self.filters {
            q.append_pair(d.key(), v);
        }
        if let Some(d) = &self.dataset {
            q.append_pair("dataset", d);
        }
        q.finish()
    }

    /// The query for `/api/v1/observations` that returns exactly the data behind this view.
    pub fn api_query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("series", &self.series.join(","));
        if let Some(f) = self.from {
            q.append_pair("from", &f.to_string());
        }
        if let Some(t) = self.to {
            q.append_pair("to", &t.to_string());
        }
        q.finish()
    }

    pub fn href(&self) -> String {
        match self.to_query() {
            q if q.is_empty() => "/explore".to_string(),
            q => format!("/explore?{q}"),
        }
    }

    pub fn filter(&self, d: Dimension) -> Option<&str> {
        self.filters
            .iter()
            .find(|(k, _)| *k == d)
            .map(|(_, v)| v.as_str())
    }

    /// The same state with one series' visibility flipped (legend links without JavaScript).
    pub fn toggled_hidden(&self, id: &str) -> ExploreState {
        let mut next = self.clone();
        match next.hide.iter().position(|h| h == id) {
            Some(i) => {
                next.hide.remove(i);
            }
            None => next.hide.push(id.to_string()),
        }
        next
    }

    /// The same state without one series.
    pub fn without_series(&self, id: &str) -> ExploreState {
        let mut next = self.clone();
        next.series.retain(|s| s != id);
        next.hide.retain(|s| s != id);
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_is_identity() {
        let q = "s=platform_gmv.china.world.shein.gmv.usd-billion,b&from=2018&to=2024-H1&scale=log&hide=b&platform=Temu+%26+co&category=GMV&dataset=imf-dots-china";
        let (state, problems) = ExploreState::parse_query(q);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(state.series.len(), 2);
        assert_eq!(state.filter(Dimension::Platform), Some("Temu & co"));
        let again = ExploreState::parse_query(&state.to_query()).0;
        assert_eq!(again, state);
        assert_eq!(
            ExploreState::parse_query(&again.to_query()).0.to_query(),
            state.to_query()
        );
    }

    #[test]
    fn repeated_and_comma_separated_series_both_work() {
        let (state, _) = ExploreState::parse_query("s=a&s=b,c&s=a");
        assert_eq!(state.series, ["a", "b", "c"]);
    }

    #[test]
    fn bad_parts_are_dropped_and_reported() {
        let (state, problems) =
            ExploreState::parse_query("s=ok,<script>&from=2024-H3&scale=cubic&colour=red&to=2020");
        assert_eq!(state.series, ["ok"]);
        assert_eq!(state.from, None);
        assert_eq!(state.to.map(|p| p.to_string()).as_deref(), Some("2020"));
        assert!(!state.log);
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems
            .iter()
            .any(|p| p.contains("unknown parameter 'colour'")));
    }

    #[test]
    fn reversed_range_is_swapped_and_hidden_must_be_selected() {
        let (state, problems) = ExploreState::parse_query("s=a&from=2024&to=2018&hide=a,zzz");
        assert_eq!(state.from.unwrap().to_string(), "2018");
        assert_eq!(problems.len(), 1);
        assert_eq!(state.hide, ["a"]);
        assert_eq!(state.toggled_hidden("a").hide, Vec::<String>::new());
        assert!(state.without_series("a").series.is_empty());
    }

    #[test]
    fn too_many_series_are_capped() {
        let ids: Vec<String> = (0..20).map(|i| format!("s{i}")).collect();
        let (state, problems) = ExploreState::parse_query(&format!("s={}", ids.join(",")));
        assert_eq!(state.series.len(), MAX_SERIES);
        assert_eq!(problems.len(), 1);
    }
}
