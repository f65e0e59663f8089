//! The explorer's whole state, as it lives in the URL query: which series, which periods, which scale,
//! which series are hidden, and the dimension filters of the series picker.
//!
//! `?s=a,b&from=2015&to=2024&scale=log&hide=b&platform=Temu&chart=line&tf=index&base=2018&cagr=2018,2024`.
//! Parsing never fails: what cannot be used is dropped and reported, so a mistyped link still shows a
//! chart and says what was ignored.

use crate::domain::{Dimension, Period, PeriodError};
use crate::i18n::{tf, Lang};
use crate::transform::Transform;
use serde::{Deserialize, Serialize};

/// How many series one chart may show; more is unreadable.
pub const MAX_SERIES: usize = 20;

/// How the selected series are drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum View {
    /// Values over time.
    #[default]
    Line,
    /// Stacked over time; only for additive series of one family.
    Area,
    /// One bar per series, ranked.
    Bars,
    /// Markets: x = size, y = growth (CAGR), bubble = share.
    Bubble,
    /// The figures behind the chart, as a sortable table.
    Table,
}

impl View {
    pub const ALL: [View; 5] = [
        View::Line,
        View::Area,
        View::Bars,
        View::Bubble,
        View::Table,
    ];

    pub fn key(self) -> &'static str {
        match self {
            View::Line => "line",
            View::Area => "area",
            View::Bars => "bars",
            View::Bubble => "bubble",
            View::Table => "table",
        }
    }

    /// Time on the x axis (events and the period range apply).
    pub fn is_over_time(self) -> bool {
        matches!(self, View::Line | View::Area)
    }
}

/// What ranked bars are ranked by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rank {
    #[default]
    Latest,
    /// Compound annual growth over the chosen (or shown) periods.
    Growth,
}

/// A table column to sort by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    Series,
    Period,
    Value,
}

impl SortKey {
    pub const ALL: [SortKey; 3] = [SortKey::Series, SortKey::Period, SortKey::Value];

    pub fn key(self) -> &'static str {
        match self {
            SortKey::Series => "series",
            SortKey::Period => "period",
            SortKey::Value => "value",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    pub view: View,
    pub transform: Transform,
    /// Compound annual growth between these two periods, shown in the legend and table.
    pub cagr: Option<(Period, Period)>,
    pub rank: Rank,
    /// Event annotations on time charts (on unless `events=0`).
    pub events: bool,
    /// One small chart per series instead of one shared chart.
    pub multiples: bool,
    /// Table view order: column and descending.
    pub sort: Option<(SortKey, bool)>,
    /// Free-text search in the series picker.
    pub search: String,
}

impl Default for ExploreState {
    fn default() -> Self {
        ExploreState {
            series: Vec::new(),
            from: None,
            to: None,
            log: false,
            hide: Vec::new(),
            filters: Vec::new(),
            dataset: None,
            view: View::default(),
            transform: Transform::default(),
            cagr: None,
            rank: Rank::default(),
            events: true,
            multiples: false,
            sort: None,
            search: String::new(),
        }
    }
}

/// "from: 'abc' is not a period: use 2024, …" in `lang`.
fn period_problem(lang: Lang, key: &str, e: &PeriodError) -> String {
    let (message, value) = match e {
        PeriodError::Empty => ("period.empty", String::new()),
        PeriodError::Syntax(v) => ("period.syntax", v.clone()),
        PeriodError::Year(y) => ("period.year", y.to_string()),
        PeriodError::Part(v) => ("period.part", v.clone()),
        PeriodError::Backwards(v) => ("period.backwards", v.clone()),
    };
    let message = tf(lang, message, &[("value", &value)]);
    tf(lang, "state.period", &[("key", key), ("message", &message)])
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

impl ExploreState {
    /// Reads the state from query pairs; returns it with a message for each part that was ignored
    /// (in English: the API's words).
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (ExploreState, Vec<String>) {
        Self::from_pairs_in(pairs, Lang::En)
    }

    /// As `from_pairs`, the messages in `lang` (the pages').
    pub fn from_pairs_in<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        lang: Lang,
    ) -> (ExploreState, Vec<String>) {
        let mut state = ExploreState::default();
        let mut problems = Vec::new();
        let say = |key: &str, args: &[(&str, &str)]| tf(lang, key, args);
        let ids = |value: &str, into: &mut Vec<String>, problems: &mut Vec<String>| {
            for id in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                if !valid_id(id) {
                    problems.push(say("state.not_series", &[("id", id)]));
                } else if !into.iter().any(|x| x == id) {
                    into.push(id.to_string());
                }
            }
        };
        let (mut tf, mut base, mut total) = (None, None, None);
        // The form sends the CAGR periods as two fields; links use `cagr=a,b`.
        let (mut cagr_from, mut cagr_to) = (None, None);
        let period =
            |key: &str, value: &str, problems: &mut Vec<String>| match value.parse::<Period>() {
                Ok(p) => Some(p),
                Err(e) => {
                    problems.push(period_problem(lang, key, &e));
                    None
                }
            };
        for (key, value) in pairs {
            let value = value.trim();
            match key {
                "chart" => match View::ALL.iter().find(|v| v.key() == value) {
                    Some(v) => state.view = *v,
                    None => problems.push(say("state.chart", &[("value", value)])),
                },
                "tf" => tf = Some(value.to_string()),
                "base" if !value.is_empty() => base = period(key, value, &mut problems),
                "total" if !value.is_empty() => match valid_id(value) {
                    true => total = Some(value.to_string()),
                    false => problems.push(say("state.total", &[("value", value)])),
                },
                "base" | "total" | "q" if value.is_empty() => {}
                // Trimmed again after the cut, which may end on a space: the state's own query must
                // read back to it.
                "q" => state.search = value.chars().take(100).collect::<String>().trim_end().to_string(),
                "cagr_from" | "cagr_to" if value.is_empty() => {}
                "cagr_from" => cagr_from = period(key, value, &mut problems),
                "cagr_to" => cagr_to = period(key, value, &mut problems),
                "cagr" if value.is_empty() => {}
                "cagr" => match value.split_once(',') {
                    Some((a, b)) => {
                        if let (Some(a), Some(b)) =
                            (period(key, a, &mut problems), period(key, b, &mut problems))
                        {
                            match a < b {
                                true => state.cagr = Some((a, b)),
                                false => problems.push(say("state.cagr_order", &[("a", &a.to_string()), ("b", &b.to_string())])),
                            }
                        }
                    }
                    None => problems.push(say("state.cagr_two", &[("value", value)])),
                },
                "rank" => match value {
                    "latest" | "" => state.rank = Rank::Latest,
                    "growth" => state.rank = Rank::Growth,
                    other => problems.push(say("state.rank", &[("value", other)])),
                },
                "events" | "multiples" => match value {
                    "1" | "on" | "true" => {
                        *(if key == "events" {
                            &mut state.events
                        } else {
                            &mut state.multiples
                        }) = true
                    }
                    "0" | "off" | "false" | "" => {
                        *(if key == "events" {
                            &mut state.events
                        } else {
                            &mut state.multiples
                        }) = false
                    }
                    other => problems.push(say("state.switch", &[("key", key), ("value", other)])),
                },
                "sort" if value.is_empty() => {}
                "sort" => {
                    let (name, desc) = match value.strip_prefix('-') {
                        Some(rest) => (rest, true),
                        None => (value, false),
                    };
                    match SortKey::ALL.iter().find(|k| k.key() == name) {
                        Some(k) => state.sort = Some((*k, desc)),
                        None => problems.push(say("state.sort", &[("value", value)])),
                    }
                }
                "s" | "series" => ids(value, &mut state.series, &mut problems),
                "hide" => ids(value, &mut state.hide, &mut problems),
                "from" | "to" if value.trim().is_empty() => {}
                "from" | "to" => match value.parse::<Period>() {
                    Ok(p) if key == "from" => state.from = Some(p),
                    Ok(p) => state.to = Some(p),
                    Err(e) => problems.push(period_problem(lang, key, &e)),
                },
                "dataset" if value.trim().is_empty() => {}
                "dataset" if valid_id(value.trim()) => {
                    state.dataset = Some(value.trim().to_string())
                }
                "dataset" => problems.push(say("state.dataset", &[("value", value)])),
                "scale" => match value {
                    "log" => state.log = true,
                    "linear" | "" => state.log = false,
                    other => problems.push(say("state.scale", &[("value", other)])),
                },
                _ => match Dimension::ALL.iter().find(|d| d.key() == key) {
                    Some(_) if value.trim().is_empty() => {}
                    Some(d) => {
                        state.filters.retain(|(k, _)| k != d);
                        state.filters.push((*d, value.trim().to_string()));
                    }
                    None => problems.push(say("state.unknown", &[("key", key)])),
                },
            }
        }
        match (cagr_from, cagr_to) {
            (Some(a), Some(b)) if a < b => state.cagr = Some((a, b)),
            (Some(a), Some(b)) => problems.push(say("state.cagr_order", &[("a", &a.to_string()), ("b", &b.to_string())])),
            (Some(_), None) | (None, Some(_)) => problems.push(say("state.cagr_both", &[])),
            (None, None) => {}
        }
        state.transform = match (tf.as_deref(), base, total) {
            (None | Some("") | Some("abs"), _, _) => Transform::Absolute,
            (Some("yoy"), _, _) => Transform::YearOnYear,
            (Some("index"), Some(base), _) => Transform::Index { base },
            (Some("index"), None, _) => {
                problems.push(say("state.index_base", &[]));
                Transform::Absolute
            }
            (Some("share"), _, Some(total)) => Transform::Share { total },
            (Some("share"), _, None) => {
                problems.push(say("state.share_total", &[]));
                Transform::Absolute
            }
            (Some(other), _, _) => {
                problems.push(say("state.tf", &[("value", other)]));
                Transform::Absolute
            }
        };
        if let (Some(f), Some(t)) = (state.from, state.to) {
            if f > t {
                problems.push(say("state.swapped", &[("from", &f.to_string()), ("to", &t.to_string())]));
                (state.from, state.to) = (Some(t), Some(f));
            }
        }
        if state.series.len() > MAX_SERIES {
            problems.push(say("state.too_many", &[("n", &MAX_SERIES.to_string())]));
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

    /// As `parse_query`, the messages in `lang`.
    pub fn parse_query_in(query: &str, lang: Lang) -> (ExploreState, Vec<String>) {
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
                .into_owned()
                .collect();
        Self::from_pairs_in(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), lang)
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
        if self.view != View::Line {
            q.append_pair("chart", self.view.key());
        }
        match &self.transform {
            Transform::Absolute => {}
            Transform::YearOnYear => {
                q.append_pair("tf", "yoy");
            }
            Transform::Index { base } => {
                q.append_pair("tf", "index");
                q.append_pair("base", &base.to_string());
            }
            Transform::Share { total } => {
                q.append_pair("tf", "share");
                q.append_pair("total", total);
            }
        }
        if let Some((a, b)) = self.cagr {
            q.append_pair("cagr", &format!("{a},{b}"));
        }
        if self.rank == Rank::Growth {
            q.append_pair("rank", "growth");
        }
        if !self.events {
            q.append_pair("events", "0");
        }
        if self.multiples {
            q.append_pair("multiples", "1");
        }
        if let Some((k, desc)) = self.sort {
            q.append_pair(
                "sort",
                &format!("{}{}", if desc { "-" } else { "" }, k.key()),
            );
        }
        if !self.search.is_empty() {
            q.append_pair("q", &self.search);
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

    /// The same state with one more series (one-click add from the picker).
    pub fn with_series(&self, id: &str) -> ExploreState {
        let mut next = self.clone();
        if !next.series.iter().any(|s| s == id) && next.series.len() < MAX_SERIES {
            next.series.push(id.to_string());
        }
        next
    }

    /// `with_series(id).href()` for many ids at the cost of one (the picker's "+" links): the state's
    /// query is encoded once and each id appended to the series list, which leads the query.
    pub fn adding_series_href(&self) -> impl Fn(&str) -> String + '_ {
        let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let mut rest = self.clone();
        rest.series.clear();
        let rest = rest.to_query();
        let current = enc(&self.series.join(","));
        let unchanged = self.href();
        move |id| {
            if self.series.iter().any(|s| s == id) || self.series.len() >= MAX_SERIES {
                return unchanged.clone();
            }
            let s = match current.is_empty() {
                true => enc(id),
                false => format!("{current}%2C{}", enc(id)),
            };
            match rest.is_empty() {
                true => format!("/explore?s={s}"),
                false => format!("/explore?s={s}&{rest}"),
            }
        }
    }

    /// The same state sorted by a table column: ascending first, then descending.
    pub fn sorted_by(&self, key: SortKey) -> ExploreState {
        let mut next = self.clone();
        next.sort = match self.sort {
            Some((k, false)) if k == key => Some((key, true)),
            _ => Some((key, false)),
        };
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
    fn problems_read_in_the_page_language_and_the_api_keeps_english() {
        for e in [
            PeriodError::Empty,
            PeriodError::Syntax("abc".into()),
            PeriodError::Year(99999),
            PeriodError::Part("2024-13".into()),
            PeriodError::Backwards("2024-05/2024-01".into()),
        ] {
            assert_eq!(period_problem(Lang::En, "from", &e), format!("from: {e}"));
        }
        let q = "from=abc&chart=pie&tf=index";
        let (_, en) = ExploreState::parse_query(q);
        let (_, zh) = ExploreState::parse_query_in(q, Lang::ZhHans);
        assert_eq!(en.len(), zh.len());
        assert!(en[0].contains("is not a period"), "{en:?}");
        assert!(zh.iter().any(|p| p.contains("不是时期")), "{zh:?}");
        assert!(zh.iter().any(|p| p.contains("指数需要基期")), "{zh:?}");
    }

    #[test]
    fn adding_links_are_the_states_with_each_series() {
        for q in [
            "",
            "s=a.b&from=2018&scale=log&platform=Temu+%26+co&chart=bars",
            "s=x%2Fy,z w&hide=z w&q=imports from china",
            &format!("s={}", (0..MAX_SERIES).map(|i| format!("s{i}")).collect::<Vec<_>>().join(",")),
        ] {
            let (state, _) = ExploreState::parse_query(q);
            let add = state.adding_series_href();
            for id in ["new.id", "a.b", "with space & amp", "中文", "s3"] {
                assert_eq!(add(id), state.with_series(id).href(), "{q} + {id}");
            }
        }
    }

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
    fn view_transform_and_options_round_trip() {
        for q in [
            "s=a%2Cb&chart=area&tf=index&base=2018&events=0",
            "s=a&chart=bars&tf=yoy&cagr=2015%2C2024&rank=growth",
            "s=a%2Cb&chart=table&tf=share&total=world_total&multiples=1&sort=-value",
            "s=a&chart=bubble&cagr=2024-H1%2C2025-H1&q=viet+nam",
        ] {
            let (state, problems) = ExploreState::parse_query(q);
            assert!(problems.is_empty(), "{q}: {problems:?}");
            assert_eq!(state.to_query(), q, "canonical form");
            assert_eq!(ExploreState::parse_query(&state.to_query()).0, state);
        }
        let (state, _) = ExploreState::parse_query("s=a&tf=index&base=2018");
        assert_eq!(
            state.transform,
            Transform::Index {
                base: "2018".parse().unwrap()
            }
        );
        assert!(
            ExploreState::parse_query("s=a").0.events,
            "events are on by default"
        );
    }

    #[test]
    fn form_fields_for_cagr_become_the_canonical_pair() {
        let (state, problems) = ExploreState::parse_query("s=a&cagr_from=2015&cagr_to=2024");
        assert!(problems.is_empty());
        assert_eq!(state.to_query(), "s=a&cagr=2015%2C2024");
        let (_, problems) = ExploreState::parse_query("s=a&cagr_from=2015");
        assert_eq!(problems, ["a CAGR needs both periods, from and to"]);
        assert_eq!(
            ExploreState::parse_query("s=a").0.with_series("b").series,
            ["a", "b"]
        );
        let sorted = ExploreState::default().sorted_by(SortKey::Value);
        assert_eq!(sorted.sort, Some((SortKey::Value, false)));
        assert_eq!(
            sorted.sorted_by(SortKey::Value).sort,
            Some((SortKey::Value, true))
        );
    }

    #[test]
    fn bad_view_parameters_say_what_to_do() {
        let cases = [
            ("tf=index", "needs a base period"),
            ("tf=share", "needs the total's series id"),
            ("tf=log", "tf 'log' is not abs, yoy, index or share"),
            ("chart=pie", "chart 'pie' is not one of"),
            ("cagr=2024,2015", "give the earlier period first"),
            ("cagr=2015", "needs two periods"),
            ("sort=colour", "sort 'colour'"),
            ("events=maybe", "events 'maybe' is not 0 or 1"),
            ("base=2024-H3&tf=index", "base: '2024-H3' has no such month"),
        ];
        for (q, expected) in cases {
            let (state, problems) = ExploreState::parse_query(q);
            assert!(
                problems.iter().any(|p| p.contains(expected)),
                "{q}: {problems:?}"
            );
            assert_eq!(state.transform, Transform::Absolute, "{q}");
        }
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
        let ids: Vec<String> = (0..MAX_SERIES + 5).map(|i| format!("s{i}")).collect();
        let (state, problems) = ExploreState::parse_query(&format!("s={}", ids.join(",")));
        assert_eq!(state.series.len(), MAX_SERIES);
        assert_eq!(problems.len(), 1);
    }
}
