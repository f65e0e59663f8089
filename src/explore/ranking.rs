//! Ranking tables: every member of one family of series side by side, a row per place — "which
//! markets' imports from China grew fastest?" in one table, across all 187 partners, not 20 lines.
//!
//! A *table* is one dataset's indicator; its members differ by one place dimension (`by`: usually the
//! destination). Where the other dimensions really vary between places (a product community, a
//! platform), the reader picks one *slice*; dimensions that only describe each member (the mirror
//! data's "Imports (TOTAL), reported by Mexico") are not slices. Only members of one unit are ranked
//! together, and the World member of the same slice is the total a share is taken of — never a sum of
//! members, which is not what any source reported.
//!
//! Every number is an observation or derived from observations with its formula; a figure that cannot
//! be derived (a lower bound, a missing year, a zero base) is a gap with its reason, sorted last.

use crate::domain::{format_number, Dimension, Flags, Observation, Period, Series};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// Rows on one page of a ranking.
pub const PAGE_SIZE: usize = 50;
/// Most year columns the wide (place × year) view shows.
pub const MAX_WIDE_YEARS: usize = 25;
/// A table needs this many places to be worth ranking.
const MIN_MEMBERS: usize = 3;

/// A column a ranking can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Column {
    Place,
    From,
    To,
    Change,
    ChangePct,
    Cagr,
    Share,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Place,
        Column::From,
        Column::To,
        Column::Change,
        Column::ChangePct,
        Column::Cagr,
        Column::Share,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Column::Place => "place",
            Column::From => "from",
            Column::To => "to",
            Column::Change => "change",
            Column::ChangePct => "change_pct",
            Column::Cagr => "cagr",
            Column::Share => "share",
        }
    }

    fn parse(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// One ranking as it lives in the URL:
/// `?table=comtrade-mirror-china/reported_imports&from=2019&to=2024&sort=-cagr&page=2&view=wide`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankingQuery {
    /// `dataset/indicator`; empty = the default table.
    pub table: String,
    /// Chosen values of the slice dimensions (category, platform, the fixed place).
    pub slice: Vec<(Dimension, String)>,
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub sort: Column,
    pub desc: bool,
    /// 1-based.
    pub page: usize,
    /// Places × years instead of the ranking's columns.
    pub wide: bool,
    /// Also rank aggregates (World, regions, groups) with the economies.
    pub aggregates: bool,
    /// Only the places with the largest figures in the last year (how many): growth among markets
    /// that matter, not among the smallest whose few millions doubled.
    pub largest: Option<usize>,
}

impl Default for RankingQuery {
    fn default() -> Self {
        RankingQuery {
            table: String::new(),
            slice: Vec::new(),
            from: None,
            to: None,
            sort: Column::Cagr,
            desc: true,
            page: 1,
            wide: false,
            aggregates: false,
            largest: None,
        }
    }
}

/// The choices of [`RankingQuery::largest`] the page offers (any number from 1 to 1,000 is taken).
pub const LARGEST_CHOICES: [usize; 3] = [20, 50, 100];

/// What a ranking question asked for and could not have. Named to the reader in the page's language
/// (`text`); the API answers with the English (`Display`).
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// `from` or `to` is not a year.
    NotAYear { key: &'static str, value: String },
    NotAColumn(String),
    NotAPage(String),
    NotAView(String),
    NotALargest(String),
    UnknownParameter(String),
    FromNotBeforeTo(i32, i32),
    NotInTable(Dimension, String),
    DoesNotDivide(Dimension, String),
    /// The asked-for last year has no annual figures; the year used instead.
    NoFiguresTo { asked: i32, used: i32 },
    NoFiguresFrom { asked: i32, to: i32, used: i32 },
    UnknownTable(String),
}

impl Problem {
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::tf;
        let columns = match lang {
            crate::i18n::Lang::En => Column::ALL.map(Column::key).join(", "),
            crate::i18n::Lang::ZhHans => Column::ALL.map(|c| format!("`{}`", c.key())).join("、"),
        };
        match self {
            Problem::NotAYear { key, value } => {
                let example = if *key == "from" { "2019" } else { "2024" };
                tf(lang, "rankings.problem.year", &[("key", key), ("value", value), ("example", example)])
            }
            Problem::NotAColumn(v) => tf(lang, "rankings.problem.sort", &[("value", v), ("columns", &columns)]),
            Problem::NotAPage(v) => tf(lang, "rankings.problem.page", &[("value", v)]),
            Problem::NotAView(v) => tf(lang, "rankings.problem.view", &[("value", v)]),
            Problem::NotALargest(v) => tf(lang, "rankings.problem.largest", &[("value", v)]),
            Problem::UnknownParameter(k) => tf(lang, "rankings.problem.parameter", &[("key", k)]),
            Problem::FromNotBeforeTo(a, b) => {
                tf(lang, "rankings.problem.order", &[("from", &a.to_string()), ("to", &b.to_string())])
            }
            Problem::NotInTable(d, v) => tf(lang, "rankings.problem.not_in_table", &[("key", d.key()), ("value", v)]),
            Problem::DoesNotDivide(d, v) => tf(lang, "rankings.problem.not_a_slice", &[("key", d.key()), ("value", v)]),
            Problem::NoFiguresTo { asked, used } => tf(
                lang,
                "rankings.problem.no_to",
                &[("year", &asked.to_string()), ("used", &used.to_string())],
            ),
            Problem::NoFiguresFrom { asked, to, used } => tf(
                lang,
                "rankings.problem.no_from",
                &[("year", &asked.to_string()), ("to", &to.to_string()), ("used", &used.to_string())],
            ),
            Problem::UnknownTable(v) => tf(lang, "rankings.problem.table", &[("value", v)]),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(crate::i18n::Lang::En))
    }
}

fn year(v: &str) -> Option<i32> {
    v.trim().parse().ok().filter(|y| (1800..=2200).contains(y))
}

impl RankingQuery {
    /// Never fails: what cannot be used is dropped and named, as in the explorer's URL.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (RankingQuery, Vec<Problem>) {
        let mut q = RankingQuery::default();
        let mut problems = Vec::new();
        for (k, v) in pairs {
            let v = v.trim();
            match k {
                "table" if v.len() <= 200 && v.split('/').count() == 2 => q.table = v.to_string(),
                "origin" | "destination" | "platform" | "category" if v.is_empty() => {}
                "origin" | "destination" | "platform" | "category" if v.chars().count() <= 200 => {
                    let d = Dimension::ALL
                        .into_iter()
                        .find(|d| d.key() == k)
                        .expect("matched a dimension key");
                    q.slice.retain(|(x, _)| *x != d);
                    q.slice.push((d, v.to_string()));
                }
                "from" | "to" if v.is_empty() => {}
                "from" => match year(v) {
                    Some(y) => q.from = Some(y),
                    None => problems.push(Problem::NotAYear { key: "from", value: v.to_string() }),
                },
                "to" => match year(v) {
                    Some(y) => q.to = Some(y),
                    None => problems.push(Problem::NotAYear { key: "to", value: v.to_string() }),
                },
                "sort" => {
                    let (desc, key) = match v.strip_prefix('-') {
                        Some(k) => (true, k),
                        None => (false, v),
                    };
                    match Column::parse(key) {
                        Some(c) => (q.sort, q.desc) = (c, desc),
                        None => problems.push(Problem::NotAColumn(v.to_string())),
                    }
                }
                "page" => match v.parse::<usize>() {
                    Ok(p) if (1..=10_000).contains(&p) => q.page = p,
                    _ => problems.push(Problem::NotAPage(v.to_string())),
                },
                "view" => match v {
                    "wide" => q.wide = true,
                    "" | "ranking" => q.wide = false,
                    _ => problems.push(Problem::NotAView(v.to_string())),
                },
                "aggregates" => q.aggregates = v == "1",
                "largest" if v.is_empty() => {}
                "largest" => match v.parse::<usize>() {
                    Ok(n) if (1..=1000).contains(&n) => q.largest = Some(n),
                    _ => problems.push(Problem::NotALargest(v.to_string())),
                },
                "format" => {}
                _ => problems.push(Problem::UnknownParameter(k.to_string())),
            }
        }
        if let (Some(a), Some(b)) = (q.from, q.to) {
            if a >= b {
                problems.push(Problem::FromNotBeforeTo(a, b));
                (q.from, q.to) = (None, None);
            }
        }
        (q, problems)
    }

    pub fn parse_query(query: &str) -> (RankingQuery, Vec<Problem>) {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .into_owned()
            .collect();
        Self::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The query string, without defaults.
    pub fn to_query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        if !self.table.is_empty() {
            q.append_pair("table", &self.table);
        }
        for (d, v) in &self.slice {
            q.append_pair(d.key(), v);
        }
        if let Some(y) = self.from {
            q.append_pair("from", &y.to_string());
        }
        if let Some(y) = self.to {
            q.append_pair("to", &y.to_string());
        }
        if (self.sort, self.desc) != (Column::Cagr, true) {
            let sign = if self.desc { "-" } else { "" };
            q.append_pair("sort", &format!("{sign}{}", self.sort.key()));
        }
        if self.page > 1 {
            q.append_pair("page", &self.page.to_string());
        }
        if self.wide {
            q.append_pair("view", "wide");
        }
        if self.aggregates {
            q.append_pair("aggregates", "1");
        }
        if let Some(n) = self.largest {
            q.append_pair("largest", &n.to_string());
        }
        q.finish()
    }

    pub fn href(&self) -> String {
        match self.to_query() {
            q if q.is_empty() => "/rankings".to_string(),
            q => format!("/rankings?{q}"),
        }
    }

    /// The same ranking sorted by `column`: a second click on the sorted column turns the order.
    /// Growth and size sort largest first on the first click, places A–Z.
    pub fn sorted_by(&self, column: Column) -> RankingQuery {
        let desc = if self.sort == column {
            !self.desc
        } else {
            column != Column::Place
        };
        RankingQuery {
            sort: column,
            desc,
            page: 1,
            ..self.clone()
        }
    }

    pub fn at_page(&self, page: usize) -> RankingQuery {
        RankingQuery {
            page,
            ..self.clone()
        }
    }

    fn chosen(&self, d: Dimension) -> Option<&str> {
        self.slice.iter().find(|(x, _)| *x == d).map(|(_, v)| v.as_str())
    }
}

/// A table the reader can pick, with what its members differ by and the slices it offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableInfo {
    /// `dataset/indicator`.
    pub key: String,
    pub dataset: String,
    pub indicator: String,
    pub by: Dimension,
    /// Places in the largest slice.
    pub places: usize,
    /// Dimensions with values shared by several places, each with its values (most places first).
    pub slices: Vec<(Dimension, Vec<(String, usize)>)>,
}

impl TableInfo {
    /// The slice a query picks: its chosen value per slice dimension where the table has it, else the
    /// value with most places. Returns what was asked for and does not exist, for the reader.
    pub fn resolve_slice(&self, q: &RankingQuery) -> (Vec<(Dimension, String)>, Vec<Problem>) {
        let mut problems = Vec::new();
        let slice = self
            .slices
            .iter()
            .map(|(d, values)| {
                let chosen = q.chosen(*d).filter(|c| {
                    let known = values.iter().any(|(v, _)| v == c);
                    if !known {
                        problems.push(Problem::NotInTable(*d, c.to_string()));
                    }
                    known
                });
                let value = chosen.map(str::to_string).unwrap_or_else(|| values[0].0.clone());
                (*d, value)
            })
            .collect();
        for (d, v) in &q.slice {
            if !self.slices.iter().any(|(x, _)| x == d) {
                problems.push(Problem::DoesNotDivide(*d, v.clone()));
            }
        }
        (slice, problems)
    }
}

/// Which dimension a set of series differs by: the place dimension with the most values, if enough.
fn by_dimension(members: &[&Series]) -> Option<Dimension> {
    let distinct = |d: Dimension| {
        members
            .iter()
            .map(|s| s.dimension(d))
            .collect::<BTreeSet<_>>()
            .len()
    };
    let (o, d) = (distinct(Dimension::Origin), distinct(Dimension::Destination));
    let by = if d >= o { Dimension::Destination } else { Dimension::Origin };
    (o.max(d) >= MIN_MEMBERS).then_some(by)
}

/// The tables in a catalogue's series: one per dataset and indicator whose places differ enough.
pub fn tables(series: &[Series]) -> Vec<TableInfo> {
    let mut families: HashMap<(&str, &str), Vec<&Series>> = HashMap::new();
    for s in series {
        families
            .entry((s.dataset_id.as_str(), s.indicator.as_str()))
            .or_default()
            .push(s);
    }
    let mut out: Vec<TableInfo> = families
        .into_iter()
        .filter_map(|((dataset, indicator), members)| {
            let by = by_dimension(&members)?;
            let slices: Vec<(Dimension, Vec<(String, usize)>)> = [
                Dimension::Origin,
                Dimension::Destination,
                Dimension::Platform,
                Dimension::Category,
            ]
            .into_iter()
            .filter(|d| *d != by)
            .filter_map(|d| {
                // Places per value: a value one place has alone describes it, it does not slice;
                // a dimension slices where at least two values each cover several places.
                let mut places: HashMap<&str, BTreeSet<&str>> = HashMap::new();
                for s in &members {
                    places.entry(s.dimension(d)).or_default().insert(s.dimension(by));
                }
                if places.values().filter(|p| p.len() >= 2).count() < 2 {
                    return None;
                }
                let mut values: Vec<(String, usize)> = places
                    .into_iter()
                    .map(|(v, p)| (v.to_string(), p.len()))
                    .collect();
                values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                Some((d, values))
            })
            .collect();
            let places = slices
                .iter()
                .map(|(_, v)| v[0].1)
                .min()
                .unwrap_or_else(|| members.len());
            (places >= MIN_MEMBERS).then(|| TableInfo {
                key: format!("{dataset}/{indicator}"),
                dataset: dataset.to_string(),
                indicator: indicator.to_string(),
                by,
                places,
                slices,
            })
        })
        .collect();
    out.sort_by(|a, b| b.places.cmp(&a.places).then(a.key.cmp(&b.key)));
    out
}

/// A figure as a row shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub period: String,
    pub value: f64,
    /// "1,234", "> 1,234", "~1,234".
    pub display: String,
    pub flags: Flags,
}

impl Figure {
    fn of(o: &Observation) -> Figure {
        // A table of 187 places needs the size, not every decimal: 24,408,841.498 reads as 24,408,841
        // (the value itself, and the CSV, keep every digit).
        let shown = Observation {
            value: if o.value.abs() >= 1000.0 { o.value.round() } else { o.value },
            ..o.clone()
        };
        Figure {
            period: o.period.to_string(),
            value: o.value,
            display: shown.display_value(),
            flags: o.flags.clone(),
        }
    }
}

/// A derived number, or why there is none.
pub type Derived = Result<f64, String>;

/// One place's row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankingRow {
    /// 1-based position in the sorted ranking (of the whole table, not the page).
    pub rank: usize,
    pub series_id: String,
    pub place: String,
    /// ISO 3166 alpha-3 where known.
    pub code: String,
    pub aggregate: bool,
    pub from: Option<Figure>,
    pub to: Option<Figure>,
    /// Latest annual figure, whatever the chosen years.
    pub latest: Option<Figure>,
    pub change: Derived,
    pub change_pct: Derived,
    pub cagr: Derived,
    pub share: Derived,
    /// The wide view's figures, one per year of [`Ranking::years`] (empty unless asked for).
    pub by_year: Vec<Option<Figure>>,
}

/// A whole ranking: every row, sorted, before paging.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    pub table: TableInfo,
    pub slice: Vec<(Dimension, String)>,
    pub unit: String,
    /// Years with annual figures, oldest first.
    pub years: Vec<i32>,
    pub from: i32,
    pub to: i32,
    /// The wide view's years (at most [`MAX_WIDE_YEARS`], the latest).
    pub wide_years: Vec<i32>,
    pub rows: Vec<RankingRow>,
    /// The member the share is taken of, if the slice has one.
    pub total: Option<String>,
    /// What was left out and why ("3 series in another unit").
    pub notes: Vec<String>,
}

impl Ranking {
    /// The formulas of the derived columns, as the table header and the CSV name them.
    pub fn formulas(&self) -> [(Column, String); 4] {
        self.formulas_in(crate::i18n::Lang::En)
    }

    /// The formulas in `lang` (the page's column headers; the CSV and the API keep English).
    pub fn formulas_in(&self, lang: crate::i18n::Lang) -> [(Column, String); 4] {
        let (a, b) = (self.from, self.to);
        let value = crate::i18n::t(lang, "rankings.formula.value");
        let total = crate::i18n::dimension_value(lang, Dimension::Destination, self.total.as_deref().unwrap_or("World"));
        [
            (Column::Change, format!("{value} {b} − {value} {a}")),
            (Column::ChangePct, format!("({value} {b} ÷ {value} {a} − 1) × 100")),
            (
                Column::Cagr,
                format!("(({value} {b} ÷ {value} {a})^(1/{}) − 1) × 100", b - a),
            ),
            (Column::Share, format!("{value} {b} ÷ {total} {value} {b} × 100")),
        ]
    }

    pub fn pages(&self) -> usize {
        self.rows.len().div_ceil(PAGE_SIZE).max(1)
    }

    /// The rows of a page (clamped to the last page).
    pub fn page(&self, page: usize) -> &[RankingRow] {
        let page = page.clamp(1, self.pages());
        let start = (page - 1) * PAGE_SIZE;
        &self.rows[start.min(self.rows.len())..(start + PAGE_SIZE).min(self.rows.len())]
    }
}

/// A number for the table: derived values to one decimal, figures as their source stated them.
pub fn show_derived(d: &Derived, suffix: &str) -> String {
    match d {
        Ok(v) => {
            let sign = if *v > 0.0 { "+" } else { "" };
            let shown = if v.abs() >= 1000.0 { v.round() } else { (v * 10.0).round() / 10.0 };
            format!("{sign}{}{suffix}", format_number(shown))
        }
        Err(_) => "—".to_string(),
    }
}

fn annual<'a>(obs: &'a [Observation], y: i32) -> Option<&'a Observation> {
    obs.iter()
        .filter(|o| o.period == Period::Year(y))
        .min_by_key(|o| o.flags.provisional)
}

fn point(o: &Observation) -> Result<f64, String> {
    if o.flags.lower_bound || o.value_high.is_some() {
        Err(format!("{} is a bound or a range, not a measurement", o.period))
    } else {
        Ok(o.value)
    }
}

fn missing(y: i32) -> String {
    format!("no annual figure for {y}")
}

/// Change, change % and CAGR between two annual figures.
fn growth(a: Option<&Observation>, b: Option<&Observation>, years: i32) -> (Derived, Derived, Derived) {
    let pair = || -> Result<(f64, f64), String> {
        let (a, b) = (a.ok_or("no figure for the first year")?, b.ok_or("no figure for the last year")?);
        Ok((point(a)?, point(b)?))
    };
    let change = pair().map(|(a, b)| b - a);
    let ratio = pair().and_then(|(a, b)| {
        if a <= 0.0 || b < 0.0 {
            Err("growth through zero or from a negative value means nothing".to_string())
        } else {
            Ok(b / a)
        }
    });
    let pct = ratio.clone().map(|r| (r - 1.0) * 100.0);
    let cagr = ratio.and_then(|r| {
        if r == 0.0 {
            Err("the last value is zero".to_string())
        } else {
            Ok((r.powf(1.0 / years as f64) - 1.0) * 100.0)
        }
    });
    (change, pct, cagr)
}

/// The ranking of one table's slice. `observations` are the table's, any order; only annual figures
/// are used (part years are not compared with years). `is_aggregate` marks World, regions and groups.
pub fn rank(
    table: &TableInfo,
    series: &[&Series],
    observations: &HashMap<String, Vec<Observation>>,
    q: &RankingQuery,
) -> (Ranking, Vec<Problem>) {
    let (slice, mut problems) = table.resolve_slice(q);
    let mut notes = Vec::new();
    let in_slice: Vec<&Series> = series
        .iter()
        .copied()
        .filter(|s| s.dataset_id == table.dataset && s.indicator == table.indicator)
        .filter(|s| slice.iter().all(|(d, v)| s.dimension(*d) == v))
        .collect();
    // One unit: the most common.
    let mut units: HashMap<&str, usize> = HashMap::new();
    for s in &in_slice {
        *units.entry(s.unit.as_str()).or_default() += 1;
    }
    let unit = units
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(u, _)| u.to_string())
        .unwrap_or_default();
    let other_units = in_slice.iter().filter(|s| s.unit != unit).count();
    if other_units > 0 {
        notes.push(format!(
            "{other_units} series in another unit than {unit} are not ranked with these"
        ));
    }
    let members: Vec<&Series> = in_slice.into_iter().filter(|s| s.unit == unit).collect();
    let empty = Vec::new();
    let obs_of = |s: &Series| observations.get(&s.id).unwrap_or(&empty);

    // Years: those with annual figures; the last is the latest year at least half the places report.
    let mut per_year: HashMap<i32, usize> = HashMap::new();
    for s in &members {
        let years: BTreeSet<i32> = obs_of(s)
            .iter()
            .filter_map(|o| match o.period {
                Period::Year(y) => Some(y),
                _ => None,
            })
            .collect();
        for y in years {
            *per_year.entry(y).or_default() += 1;
        }
    }
    let mut years: Vec<i32> = per_year.keys().copied().collect();
    years.sort_unstable();
    let most = per_year.values().copied().max().unwrap_or(0);
    let default_to = years
        .iter()
        .rev()
        .find(|y| per_year[y] * 2 >= most)
        .copied()
        .unwrap_or(0);
    let mut to = q.to.unwrap_or(default_to);
    if q.to.is_some() && !years.contains(&to) && !years.is_empty() {
        problems.push(Problem::NoFiguresTo { asked: to, used: default_to });
        to = default_to;
    }
    let default_from = years
        .iter()
        .copied()
        .filter(|y| *y < to)
        .find(|y| *y >= to - 5)
        .or_else(|| years.iter().copied().find(|y| *y < to))
        .unwrap_or(to);
    let mut from = q.from.unwrap_or(default_from);
    if from >= to || (q.from.is_some() && !years.contains(&from)) {
        if q.from.is_some() {
            problems.push(Problem::NoFiguresFrom { asked: from, to, used: default_from });
        }
        from = default_from;
    }
    let total = members.iter().find(|s| {
        let code = match table.by {
            Dimension::Origin => &s.origin_code,
            _ => &s.destination_code,
        };
        code == "WLD"
    });
    let total_to = total.and_then(|t| annual(obs_of(t), to)).map(point);
    let wide_years: Vec<i32> = if q.wide {
        let span: Vec<i32> = years.iter().copied().filter(|y| *y <= to).collect();
        span[span.len().saturating_sub(MAX_WIDE_YEARS)..].to_vec()
    } else {
        Vec::new()
    };

    let mut rows: Vec<RankingRow> = members
        .iter()
        .filter(|s| {
            let kind = match table.by {
                Dimension::Origin => &s.origin_kind,
                _ => &s.destination_kind,
            };
            q.aggregates || kind != "aggregate"
        })
        .map(|s| {
            let obs = obs_of(s);
            let (a, b) = (annual(obs, from), annual(obs, to));
            let (change, change_pct, cagr) = growth(a, b, to - from);
            let share = match (&total_to, b) {
                (None, _) => Err("no World total in this table".to_string()),
                (_, None) => Err(missing(to)),
                (Some(Err(e)), _) => Err(format!("World: {e}")),
                (Some(Ok(t)), Some(b)) if *t > 0.0 => point(b).map(|v| v / t * 100.0),
                (Some(Ok(_)), Some(_)) => Err("the World total is zero".to_string()),
            };
            let latest = obs
                .iter()
                .filter(|o| matches!(o.period, Period::Year(_)))
                .max_by_key(|o| (o.period.end_month(), !o.flags.provisional));
            let (place, code, kind) = match table.by {
                Dimension::Origin => (&s.origin, &s.origin_code, &s.origin_kind),
                _ => (&s.destination, &s.destination_code, &s.destination_kind),
            };
            RankingRow {
                rank: 0,
                series_id: s.id.clone(),
                place: place.clone(),
                code: code.clone(),
                aggregate: kind == "aggregate",
                from: a.map(Figure::of),
                to: b.map(Figure::of),
                latest: latest.map(Figure::of),
                change,
                change_pct,
                cagr,
                share,
                by_year: wide_years
                    .iter()
                    .map(|y| annual(obs, *y).map(Figure::of))
                    .collect(),
            }
        })
        .collect();
    if let Some(n) = q.largest {
        let mut sizes: Vec<f64> = rows.iter().filter_map(|r| r.to.as_ref().map(|f| f.value)).collect();
        sizes.sort_by(|a, b| b.total_cmp(a));
        if let Some(&cut) = sizes.get(n.saturating_sub(1)) {
            rows.retain(|r| r.to.as_ref().is_some_and(|f| f.value >= cut));
        } else {
            rows.retain(|r| r.to.is_some());
        }
        notes.push(format!("only the {n} places with the largest figures in {to}"));
    }
    sort_rows(&mut rows, q.sort, q.desc);
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    if years.is_empty() {
        notes.push("this slice has no annual figures to rank".to_string());
    }
    let ranking = Ranking {
        table: table.clone(),
        slice,
        unit,
        years,
        from,
        to,
        wide_years,
        rows,
        total: total.map(|t| match table.by {
            Dimension::Origin => t.origin.clone(),
            _ => t.destination.clone(),
        }),
        notes,
    };
    (ranking, problems)
}

/// Sorts rows by a column; rows without a value for it go last in either direction, A–Z among them.
pub fn sort_rows(rows: &mut [RankingRow], column: Column, desc: bool) {
    let key = |r: &RankingRow| -> Option<f64> {
        match column {
            Column::Place => None,
            Column::From => r.from.as_ref().map(|f| f.value),
            Column::To => r.to.as_ref().map(|f| f.value),
            Column::Change => r.change.clone().ok(),
            Column::ChangePct => r.change_pct.clone().ok(),
            Column::Cagr => r.cagr.clone().ok(),
            Column::Share => r.share.clone().ok(),
        }
    };
    rows.sort_by(|a, b| {
        let order = if column == Column::Place {
            a.place.cmp(&b.place)
        } else {
            match (key(a), key(b)) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => return std::cmp::Ordering::Less,
                (None, Some(_)) => return std::cmp::Ordering::Greater,
                (None, None) => return a.place.cmp(&b.place),
            }
        };
        let order = if desc { order.reverse() } else { order };
        order.then_with(|| a.place.cmp(&b.place))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    // Made-up series and figures: for tests only.
    fn series(dest: &str, code: &str, category: &str) -> Series {
        Series {
            id: format!("t.{code}.{category}").to_lowercase(),
            dataset_id: "test".into(),
            indicator: "imports".into(),
            origin: "China".into(),
            origin_code: "CHN".into(),
            destination: dest.into(),
            destination_code: code.into(),
            destination_kind: if code == "WLD" { "aggregate" } else { "economy" }.into(),
            category: category.into(),
            unit: "USD".into(),
            ..Series::default()
        }
    }

    fn obs(s: &Series, figures: &[(i32, f64)]) -> (String, Vec<Observation>) {
        (
            s.id.clone(),
            figures
                .iter()
                .map(|&(y, v)| Observation::new(&s.id, Period::Year(y), v))
                .collect(),
        )
    }

    fn fixture() -> (Vec<Series>, HashMap<String, Vec<Observation>>) {
        let all = vec![
            series("Germany", "DEU", "Toys"),
            series("Poland", "POL", "Toys"),
            series("Mexico", "MEX", "Toys"),
            series("World", "WLD", "Toys"),
            series("Germany", "DEU", "Shoes"),
            series("Poland", "POL", "Shoes"),
            series("Mexico", "MEX", "Shoes"),
        ];
        let figures = HashMap::from([
            obs(&all[0], &[(2019, 100.0), (2024, 150.0)]),
            obs(&all[1], &[(2019, 10.0), (2024, 40.0)]),
            obs(&all[2], &[(2019, 50.0), (2023, 60.0)]),
            obs(&all[3], &[(2019, 1000.0), (2024, 2000.0)]),
        ]);
        (all, figures)
    }

    #[test]
    fn tables_slice_by_shared_values_only() {
        let (mut all, _) = fixture();
        // A category each place has alone only describes it (mirror data: "reported by Mexico").
        for s in &mut all[..3] {
            s.platform = format!("reported by {}", s.destination);
        }
        let t = &tables(&all)[0];
        assert_eq!(t.key, "test/imports");
        assert_eq!(t.by, Dimension::Destination);
        let dims: Vec<Dimension> = t.slices.iter().map(|(d, _)| *d).collect();
        assert_eq!(dims, [Dimension::Category]);
        assert_eq!(t.slices[0].1[0], ("Toys".to_string(), 4));
    }

    #[test]
    fn ranks_by_cagr_with_gaps_last_and_share_of_the_world_member() {
        let (all, figures) = fixture();
        let t = &tables(&all)[0];
        let refs: Vec<&Series> = all.iter().collect();
        let (r, problems) = rank(t, &refs, &figures, &RankingQuery::default());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!((r.from, r.to), (2019, 2024));
        let places: Vec<&str> = r.rows.iter().map(|r| r.place.as_str()).collect();
        // Poland ×4 before Germany ×1.5; Mexico has no 2024 figure: last, with its reason.
        assert_eq!(places, ["Poland", "Germany", "Mexico"]);
        let poland = &r.rows[0];
        let expected = (4f64.powf(1.0 / 5.0) - 1.0) * 100.0;
        assert!((poland.cagr.clone().unwrap() - expected).abs() < 1e-9);
        assert_eq!(poland.change_pct, Ok(300.0));
        assert_eq!(poland.share, Ok(2.0));
        assert_eq!(r.rows[2].cagr, Err("no figure for the last year".to_string()));
        assert_eq!(r.total.as_deref(), Some("World"));
        // The World is the total, not a ranked market, unless asked for.
        let with = rank(t, &refs, &figures, &RankingQuery { aggregates: true, ..Default::default() }).0;
        assert_eq!(with.rows.len(), 4);
    }

    #[test]
    fn lower_bounds_are_not_grown_and_unknown_slices_are_named() {
        let (all, mut figures) = fixture();
        figures.get_mut(&all[1].id).unwrap()[1].flags.lower_bound = true;
        let t = &tables(&all)[0];
        let refs: Vec<&Series> = all.iter().collect();
        let (q, _) = RankingQuery::parse_query("category=Hats&sort=-change");
        let (r, problems) = rank(t, &refs, &figures, &q);
        assert_eq!(problems, [Problem::NotInTable(Dimension::Category, "Hats".into())]);
        assert_eq!(problems[0].to_string(), "category: 'Hats' is not in this table");
        assert_eq!(problems[0].text(crate::i18n::Lang::ZhHans), "`category`：表中没有 `Hats`");
        let poland = r.rows.iter().find(|r| r.place == "Poland").unwrap();
        assert!(poland.change.as_ref().unwrap_err().contains("bound"));
        assert_eq!(r.rows[0].place, "Germany");
    }

    #[test]
    fn the_largest_places_only_when_asked() {
        let (all, figures) = fixture();
        let t = &tables(&all)[0];
        let refs: Vec<&Series> = all.iter().collect();
        let (q, problems) = RankingQuery::parse_query("largest=1");
        assert!(problems.is_empty());
        let (r, _) = rank(t, &refs, &figures, &q);
        // Germany (150 in 2024) is the largest; Poland grew faster but is smaller.
        let places: Vec<&str> = r.rows.iter().map(|r| r.place.as_str()).collect();
        assert_eq!(places, ["Germany"]);
        assert!(r.notes.iter().any(|n| n.contains("largest")));
        assert_eq!(RankingQuery::parse_query("largest=0").1.len(), 1);
    }

    #[test]
    fn query_round_trips_and_rejects_what_it_cannot_use() {
        let text = "table=test%2Fimports&category=Toys&from=2019&to=2024&sort=share&page=2&view=wide";
        let (q, problems) = RankingQuery::parse_query(text);
        assert!(problems.is_empty());
        assert_eq!(q.to_query(), text);
        assert_eq!(q.sorted_by(Column::Share).to_query().contains("sort=-share"), true);
        assert_eq!(q.sorted_by(Column::Cagr).page, 1);
        let (_, problems) = RankingQuery::parse_query("from=2024&to=2019&sort=size&page=0&x=1");
        assert_eq!(problems.len(), 4, "{problems:?}");
    }

    #[test]
    fn large_figures_are_shown_whole_and_kept_exact() {
        let o = Observation::new("x", Period::Year(2024), 24_408_841.498);
        let f = Figure::of(&o);
        assert_eq!((f.display.as_str(), f.value), ("24,408,841", 24_408_841.498));
        assert_eq!(show_derived(&Ok(1_234.56), ""), "+1,235");
        assert_eq!(show_derived(&Ok(-3.14159), " %"), "-3.1 %");
        assert_eq!(show_derived(&Err("why".into()), " %"), "—");
    }

    #[test]
    fn pages_are_bounded() {
        let (all, figures) = fixture();
        let t = &tables(&all)[0];
        let refs: Vec<&Series> = all.iter().collect();
        let (r, _) = rank(t, &refs, &figures, &RankingQuery::default());
        assert_eq!(r.pages(), 1);
        assert_eq!(r.page(7).len(), 3);
    }
}

/// A table the reader can choose, as the selector lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableChoice {
    pub key: String,
    pub label: String,
    pub places: usize,
}

/// What `/rankings` shows: the choices, and one page of the chosen ranking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankingData {
    pub query: RankingQuery,
    pub problems: Vec<String>,
    pub tables: Vec<TableChoice>,
    /// The ranking with only this page's rows.
    pub ranking: Option<Ranking>,
    pub label: String,
    pub total_rows: usize,
    pub pages: usize,
    pub source: Option<crate::chart::bundle::SourceRef>,
    pub dataset_title: String,
}

/// The table the site opens on: partner-reported imports from China, the longest recent series.
pub const DEFAULT_TABLE: &str = "comtrade-mirror-china/reported_imports";

#[cfg(feature = "ssr")]
pub use cache::Rankings;

#[cfg(feature = "ssr")]
mod cache {
    use super::*;
    use crate::chart::bundle::SourceRef;
    use crate::explore::catalogue::Catalogue;
    use crate::store::{Store, StoreError};
    use std::sync::{Arc, Mutex};

    /// Tables' figures kept per data version; more tables than this start the memory afresh.
    const MAX_TABLES: usize = 24;

    #[derive(Default)]
    struct Kept {
        version: String,
        tables: Option<Arc<Vec<TableInfo>>>,
        figures: HashMap<String, Arc<HashMap<String, Vec<Observation>>>>,
    }

    /// The ranking tables of the current data and their figures, read once per data version and
    /// table, so a ranking request costs a sort of one table's rows, not a scan of the store.
    #[derive(Clone, Default)]
    pub struct Rankings {
        kept: Arc<Mutex<Kept>>,
        /// Held while one request reads a table, so a burst reads it once.
        reading: Arc<tokio::sync::Mutex<()>>,
    }

    impl Rankings {
        fn with_version<T>(&self, version: &str, f: impl FnOnce(&mut Kept) -> T) -> Option<T> {
            let mut kept = self.kept.lock().ok()?;
            if kept.version != version {
                *kept = Kept {
                    version: version.to_string(),
                    ..Kept::default()
                };
            }
            Some(f(&mut kept))
        }

        pub fn tables(&self, cat: &Catalogue) -> Arc<Vec<TableInfo>> {
            if let Some(Some(t)) = self.with_version(&cat.version, |k| k.tables.clone()) {
                return t;
            }
            let built = Arc::new(tables(&cat.series));
            self.with_version(&cat.version, |k| k.tables = Some(built.clone()));
            built
        }

        async fn figures(
            &self,
            store: &Store,
            version: &str,
            table: &TableInfo,
        ) -> Result<Arc<HashMap<String, Vec<Observation>>>, StoreError> {
            let cached = || self.with_version(version, |k| k.figures.get(&table.key).cloned()).flatten();
            if let Some(f) = cached() {
                return Ok(f);
            }
            let _reading = self.reading.lock().await;
            if let Some(f) = cached() {
                return Ok(f);
            }
            let mut by_series: HashMap<String, Vec<Observation>> = HashMap::new();
            for o in store
                .indicator_observations(&table.dataset, &table.indicator, None, None)
                .await?
                .into_iter()
                .filter(|o| matches!(o.period, Period::Year(_)))
            {
                by_series.entry(o.series_id.clone()).or_default().push(o);
            }
            let figures = Arc::new(by_series);
            self.with_version(version, |k| {
                if k.figures.len() >= MAX_TABLES {
                    k.figures.clear();
                }
                k.figures.insert(table.key.clone(), figures.clone());
            });
            Ok(figures)
        }

        /// The whole ranking of a query (every row, sorted) with what could not be used.
        pub async fn ranking(
            &self,
            store: &Store,
            cat: &Catalogue,
            q: &RankingQuery,
        ) -> Result<(Option<Ranking>, Vec<Problem>), StoreError> {
            let tables = self.tables(cat);
            let mut problems = Vec::new();
            let key = if q.table.is_empty() { DEFAULT_TABLE } else { q.table.as_str() };
            let table = match tables.iter().find(|t| t.key == key) {
                Some(t) => t,
                None => {
                    if !q.table.is_empty() {
                        problems.push(Problem::UnknownTable(q.table.clone()));
                    }
                    match tables.iter().find(|t| t.key == DEFAULT_TABLE).or(tables.first()) {
                        Some(t) => t,
                        None => return Ok((None, problems)),
                    }
                }
            };
            let figures = self.figures(store, &cat.version, table).await?;
            let members: Vec<&Series> = cat
                .series
                .iter()
                .filter(|s| s.dataset_id == table.dataset && s.indicator == table.indicator)
                .collect();
            let (ranking, more) = rank(table, &members, &figures, q);
            problems.extend(more);
            Ok((Some(ranking), problems))
        }

        /// What `/rankings?query` shows: one page of the ranking, the choices, the source.
        pub async fn page(
            &self,
            store: &Store,
            cat: &Catalogue,
            query: &str,
            lang: crate::i18n::Lang,
        ) -> Result<RankingData, StoreError> {
            let (q, mut problems) = RankingQuery::parse_query(query);
            let (ranking, more) = self.ranking(store, cat, &q).await?;
            problems.extend(more);
            let problems: Vec<String> = problems.iter().map(|p| p.text(lang)).collect();
            let tables = self
                .tables(cat)
                .iter()
                .map(|t| TableChoice {
                    key: t.key.clone(),
                    label: table_label(cat, t, lang),
                    places: t.places,
                })
                .collect();
            let Some(mut ranking) = ranking else {
                return Ok(RankingData {
                    query: q,
                    problems,
                    tables,
                    ranking: None,
                    label: String::new(),
                    total_rows: 0,
                    pages: 0,
                    source: None,
                    dataset_title: String::new(),
                });
            };
            let dataset = cat.dataset(&ranking.table.dataset);
            let label = table_label(cat, &ranking.table, lang);
            let (total_rows, pages) = (ranking.rows.len(), ranking.pages());
            ranking.rows = ranking.page(q.page).to_vec();
            for row in &mut ranking.rows {
                row.place = crate::i18n::place(lang, &row.code, &row.place);
            }
            Ok(RankingData {
                query: q,
                problems,
                tables,
                label,
                total_rows,
                pages,
                source: dataset.map(|d| SourceRef {
                    label: d.publisher.clone(),
                    url: d
                        .source_url
                        .as_deref()
                        .and_then(crate::strings::safe_link)
                        .map(str::to_string),
                    licence: d.licence.clone(),
                }),
                dataset_title: dataset
                    .map(|d| crate::i18n::dataset_title(lang, &d.id, &d.title))
                    .unwrap_or_default(),
                ranking: Some(ranking),
            })
        }
    }

    /// "Imports from China, reported by each partner — Partners' reported imports from China (mirror
    /// data), 2014–2025".
    pub fn table_label(cat: &Catalogue, t: &TableInfo, lang: crate::i18n::Lang) -> String {
        let title = cat.dataset(&t.dataset).map_or_else(
            || t.dataset.clone(),
            |d| crate::i18n::dataset_title(lang, &d.id, &d.title),
        );
        let indicator = crate::i18n::dimension_value(lang, Dimension::Indicator, &t.indicator);
        format!("{indicator} — {title}")
    }
}

#[cfg(feature = "ssr")]
pub use cache::table_label;
