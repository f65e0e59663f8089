//! Domain types shared by the server and the browser: datasets, series, observations and periods.
//!
//! Everything here is plain data with serde, so server functions, the JSON API and the charts all speak
//! the same language. Nothing here talks to a database or the DOM.

use serde::{Deserialize, Serialize};
use std::{cmp::Ordering, fmt, str::FromStr};

/// A published source of observations: a file from a statistics office, or a set of quoted figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub id: String,
    pub title: String,
    pub publisher: String,
    /// Where the data can be found; `None` only where the publisher gave no link.
    pub source_url: Option<String>,
    /// What the publisher allows; shown next to every chart that uses the dataset.
    pub licence: String,
    /// When the file or figures were retrieved (ISO date), if known.
    pub retrieved: Option<String>,
    pub notes: String,
}

/// One line of numbers: a single indicator for one origin/destination/platform/category, in one unit.
///
/// Dimensions that do not apply are empty strings (never "n/a"), so filters can compare them directly.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub id: String,
    pub dataset_id: String,
    pub indicator: String,
    pub origin: String,
    pub destination: String,
    pub platform: String,
    pub category: String,
    pub unit: String,
    /// ISO 3166 alpha-3 codes where the place is known ("" otherwise), and what the place is
    /// ("economy", "aggregate", "residual", "historical" or ""): labels differ between publishers, codes don't.
    #[serde(default)]
    pub origin_code: String,
    #[serde(default)]
    pub origin_kind: String,
    #[serde(default)]
    pub destination_code: String,
    #[serde(default)]
    pub destination_kind: String,
    /// The basis of the figures where it needs saying ("partner-reported imports, CIF").
    #[serde(default)]
    pub notes: String,
}

impl Series {
    /// A short human label: the most specific dimensions first, as a legend entry needs them.
    pub fn label(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if !self.platform.is_empty() {
            parts.push(&self.platform);
        }
        if !self.category.is_empty() {
            parts.push(&self.category);
        }
        // Nothing else names it (CEPII's distances): the indicator does, rather than an empty label.
        if parts.is_empty() {
            parts.push(&self.indicator);
        }
        let route = match (self.origin.is_empty(), self.destination.is_empty()) {
            (false, false) => format!("{} → {}", self.origin, self.destination),
            (false, true) => self.origin.clone(),
            (true, false) => format!("→ {}", self.destination),
            (true, true) => String::new(),
        };
        let mut label = parts.join(" · ");
        if !route.is_empty() {
            label.push_str(&format!(" ({route})"));
        }
        label
    }

    pub fn dimension(&self, dim: Dimension) -> &str {
        match dim {
            Dimension::Indicator => &self.indicator,
            Dimension::Origin => &self.origin,
            Dimension::Destination => &self.destination,
            Dimension::Platform => &self.platform,
            Dimension::Category => &self.category,
        }
    }
}

/// The dimensions a researcher can pick series by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dimension {
    Indicator,
    Origin,
    Destination,
    Platform,
    Category,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Indicator,
        Dimension::Origin,
        Dimension::Destination,
        Dimension::Platform,
        Dimension::Category,
    ];

    /// The query-string key (also the API parameter name).
    pub fn key(self) -> &'static str {
        match self {
            Dimension::Indicator => "indicator",
            Dimension::Origin => "origin",
            Dimension::Destination => "destination",
            Dimension::Platform => "platform",
            Dimension::Category => "category",
        }
    }
}

/// How a figure was stated by its source. Shown next to the value; never silently dropped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flags {
    /// "more than", "exceeded": the true value is at least this.
    pub lower_bound: bool,
    /// "about", "around", "circa".
    pub approximate: bool,
    /// Preliminary, later revised or a projection/target rather than an outcome.
    pub provisional: bool,
}

/// One value for one period of a series, with the words it was published in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub series_id: String,
    pub period: Period,
    pub value: f64,
    /// Upper end where the source gave a range ("12-13"); `value` is then the lower end.
    pub value_high: Option<f64>,
    pub flags: Flags,
    /// The sentence the figure was quoted from, where there is one.
    pub quote: Option<String>,
    pub caveat: Option<String>,
    /// A per-figure source that overrides the dataset's link (quoted-figure datasets have one per row).
    pub source_url: Option<String>,
    /// Who the figure is attributed to, as the source says.
    pub attributed_to: Option<String>,
}

impl Observation {
    /// A plain figure, as statistical tables give them: no flags, quote, caveat or own source.
    pub fn new(series_id: &str, period: Period, value: f64) -> Observation {
        Observation {
            series_id: series_id.to_string(),
            period,
            value,
            value_high: None,
            flags: Flags::default(),
            quote: None,
            caveat: None,
            source_url: None,
            attributed_to: None,
        }
    }

    /// The value as a person should read it: "≥ 33.3", "≈ 20", "12–13".
    pub fn display_value(&self) -> String {
        let number = match self.value_high {
            Some(high) => format!("{}–{}", format_number(self.value), format_number(high)),
            None => format_number(self.value),
        };
        if self.flags.lower_bound {
            format!("≥ {number}")
        } else if self.flags.approximate {
            format!("≈ {number}")
        } else {
            number
        }
    }
}

/// Formats a value with thousands separators and no more decimals than it needs (up to 3).
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let decimals = if v.fract() == 0.0 {
        0
    } else {
        let mut d = 1;
        while d < 3 && ((v * 10f64.powi(d)).round() - v * 10f64.powi(d)).abs() > 1e-6 {
            d += 1;
        }
        d
    };
    let s = format!("{:.*}", decimals as usize, v.abs());
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A reporting period, as sources publish them: a year, a half, a quarter, a month, or a range of months.
///
/// Internally every period is a closed interval of months, so periods of different kinds can be ordered
/// and placed on a time axis without pretending they are the same length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    Year(i32),
    Half(i32, u8),
    Quarter(i32, u8),
    Month(i32, u8),
    /// Inclusive range of months, e.g. 2024-01/2024-08.
    Range {
        from: (i32, u8),
        to: (i32, u8),
    },
}

/// What kind of period this is; a year-on-year comparison is only fair between periods of one frequency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Frequency {
    Annual,
    HalfYear,
    Quarterly,
    Monthly,
    /// A range, identified by its length in months.
    Range(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("empty period")]
    Empty,
    #[error("'{0}' is not a period: use 2024, 2024-H1, 2024-Q3, 2025-02 or 2024-01/2024-08")]
    Syntax(String),
    #[error("year {0} is out of range (1000–9999)")]
    Year(i32),
    #[error("'{0}' has no such month, quarter or half")]
    Part(String),
    #[error("range '{0}' ends before it starts")]
    Backwards(String),
}

const MIN_YEAR: i32 = 1000;
const MAX_YEAR: i32 = 9999;

fn parse_year(s: &str, whole: &str) -> Result<i32, PeriodError> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PeriodError::Syntax(whole.to_string()));
    }
    let y: i32 = s
        .parse()
        .map_err(|_| PeriodError::Syntax(whole.to_string()))?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return Err(PeriodError::Year(y));
    }
    Ok(y)
}

fn parse_small(s: &str, max: u8, whole: &str) -> Result<u8, PeriodError> {
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PeriodError::Syntax(whole.to_string()));
    }
    let n: u8 = s
        .parse()
        .map_err(|_| PeriodError::Syntax(whole.to_string()))?;
    if n == 0 || n > max {
        return Err(PeriodError::Part(whole.to_string()));
    }
    Ok(n)
}

/// A month endpoint of a range: "2024-01", or a bare year (which means January for a start, December for an end).
fn parse_endpoint(s: &str, is_end: bool, whole: &str) -> Result<(i32, u8), PeriodError> {
    match s.split_once('-') {
        Some((y, m)) => Ok((parse_year(y, whole)?, parse_small(m, 12, whole)?)),
        None => Ok((parse_year(s, whole)?, if is_end { 12 } else { 1 })),
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(PeriodError::Empty);
        }
        if let Some((a, b)) = s.split_once('/') {
            let from = parse_endpoint(a.trim(), false, s)?;
            let to = parse_endpoint(b.trim(), true, s)?;
            if month_index(to) < month_index(from) {
                return Err(PeriodError::Backwards(s.to_string()));
            }
            return Ok(Period::Range { from, to });
        }
        let Some((y, rest)) = s.split_once('-') else {
            return Ok(Period::Year(parse_year(s, s)?));
        };
        let year = parse_year(y, s)?;
        let upper = rest.to_ascii_uppercase();
        if let Some(h) = upper.strip_prefix('H') {
            Ok(Period::Half(year, parse_small(h, 2, s)?))
        } else if let Some(q) = upper.strip_prefix('Q') {
            Ok(Period::Quarter(year, parse_small(q, 4, s)?))
        } else if rest.len() == 2 {
            Ok(Period::Month(year, parse_small(rest, 12, s)?))
        } else {
            Err(PeriodError::Syntax(s.to_string()))
        }
    }
}

fn month_index((year, month): (i32, u8)) -> i32 {
    year * 12 + (month as i32 - 1)
}

impl Period {
    /// First and last month covered, as (year, month) pairs.
    pub fn bounds(&self) -> ((i32, u8), (i32, u8)) {
        match *self {
            Period::Year(y) => ((y, 1), (y, 12)),
            Period::Half(y, h) => ((y, (h - 1) * 6 + 1), (y, h * 6)),
            Period::Quarter(y, q) => ((y, (q - 1) * 3 + 1), (y, q * 3)),
            Period::Month(y, m) => ((y, m), (y, m)),
            Period::Range { from, to } => (from, to),
        }
    }

    /// First month as a running month number (year × 12 + month − 1), for storage and range filters.
    pub fn start_month(&self) -> i32 {
        month_index(self.bounds().0)
    }

    /// Last month as a running month number.
    pub fn end_month(&self) -> i32 {
        month_index(self.bounds().1)
    }

    pub fn months(&self) -> u32 {
        (self.end_month() - self.start_month() + 1) as u32
    }

    pub fn frequency(&self) -> Frequency {
        match self {
            Period::Year(_) => Frequency::Annual,
            Period::Half(..) => Frequency::HalfYear,
            Period::Quarter(..) => Frequency::Quarterly,
            Period::Month(..) => Frequency::Monthly,
            Period::Range { .. } => Frequency::Range(self.months()),
        }
    }

    /// The middle of the period in fractional years (2024 → 2024.5): where it sits on a time axis.
    pub fn midpoint(&self) -> f64 {
        (self.start_month() as f64 + self.end_month() as f64 + 1.0) / 2.0 / 12.0
    }

    /// Start and end in fractional years (2024-H1 → 2024.0..2024.5).
    pub fn span(&self) -> (f64, f64) {
        (
            self.start_month() as f64 / 12.0,
            (self.end_month() + 1) as f64 / 12.0,
        )
    }

    /// True when `next` is the period straight after `self` at the same frequency (2023 → 2024,
    /// 2024-H1 → 2024-H2). Charts only join such neighbours with a line: a gap stays a gap.
    pub fn is_followed_by(&self, next: &Period) -> bool {
        self.frequency() == next.frequency() && next.start_month() == self.end_month() + 1
    }

    /// The same period one year earlier, for year-on-year comparisons.
    pub fn year_earlier(&self) -> Period {
        match *self {
            Period::Year(y) => Period::Year(y - 1),
            Period::Half(y, h) => Period::Half(y - 1, h),
            Period::Quarter(y, q) => Period::Quarter(y - 1, q),
            Period::Month(y, m) => Period::Month(y - 1, m),
            Period::Range { from, to } => Period::Range {
                from: (from.0 - 1, from.1),
                to: (to.0 - 1, to.1),
            },
        }
    }

    /// How the period is stored: a kind code beside its start and end months (numbers index and
    /// insert much faster than text). 0 year, 1 half, 2 quarter, 3 month, 4 range.
    pub fn kind_code(&self) -> i32 {
        match self {
            Period::Year(_) => 0,
            Period::Half(..) => 1,
            Period::Quarter(..) => 2,
            Period::Month(..) => 3,
            Period::Range { .. } => 4,
        }
    }

    /// The inverse of ([`Period::kind_code`], [`Period::start_month`], [`Period::end_month`]);
    /// `None` when the three do not describe a period.
    pub fn from_stored(kind: i32, start_month: i32, end_month: i32) -> Option<Period> {
        let ym = |m: i32| (m.div_euclid(12), (m.rem_euclid(12) + 1) as u8);
        let ((y, m), to) = (ym(start_month), ym(end_month));
        let p = match kind {
            0 => Period::Year(y),
            1 => Period::Half(y, (m - 1) / 6 + 1),
            2 => Period::Quarter(y, (m - 1) / 3 + 1),
            3 => Period::Month(y, m),
            4 => Period::Range { from: (y, m), to },
            _ => return None,
        };
        (p.start_month() == start_month && p.end_month() == end_month).then_some(p)
    }
}

impl Ord for Period {
    /// Chronological by start, then shorter first (2024-01 before 2024-Q1 before 2024-H1 before 2024).
    fn cmp(&self, other: &Self) -> Ordering {
        self.start_month()
            .cmp(&other.start_month())
            .then(self.end_month().cmp(&other.end_month()))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Half(y, h) => write!(f, "{y}-H{h}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
            Period::Range { from, to } => {
                write!(f, "{}-{:02}/{}-{:02}", from.0, from.1, to.0, to.1)
            }
        }
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn stored_form_round_trips_and_rejects_mismatches() {
        for s in [
            "2024",
            "2024-H2",
            "2024-Q3",
            "2025-02",
            "2024-01/2024-12",
            "2013-07/2014-12",
            "1978",
        ] {
            let period = p(s);
            let back =
                Period::from_stored(period.kind_code(), period.start_month(), period.end_month());
            assert_eq!(back, Some(period), "{s}");
        }
        // A "year" that does not start in January, or an unknown kind, is not a period.
        let y = p("2024");
        assert_eq!(
            Period::from_stored(0, y.start_month() + 1, y.end_month()),
            None
        );
        assert_eq!(Period::from_stored(9, y.start_month(), y.end_month()), None);
    }

    #[test]
    fn parses_and_displays_every_published_form() {
        for s in [
            "2024",
            "2024-H1",
            "2024-Q3",
            "2025-02",
            "2024-01/2024-08",
            "2013-07/2014-12",
        ] {
            assert_eq!(p(s).to_string(), s);
        }
        assert_eq!(p(" 2024-h2 "), Period::Half(2024, 2));
        assert_eq!(p("2019/2021").to_string(), "2019-01/2021-12");
    }

    #[test]
    fn rejects_bad_input_with_a_reason() {
        assert_eq!("".parse::<Period>(), Err(PeriodError::Empty));
        for bad in [
            "24",
            "2024-H3",
            "2024-Q0",
            "2024-13",
            "2024-1x",
            "abcd",
            "2024-W05",
            "2024-08/2024-01",
            "0999",
            "2024-",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad} should be rejected");
        }
        assert!(matches!(
            "2024-08/2024-01".parse::<Period>(),
            Err(PeriodError::Backwards(_))
        ));
        assert!(matches!(
            "2024-H3".parse::<Period>(),
            Err(PeriodError::Part(_))
        ));
    }

    #[test]
    fn orders_chronologically_shorter_first() {
        let mut v = vec![
            p("2024"),
            p("2024-H1"),
            p("2023"),
            p("2024-Q1"),
            p("2024-01"),
            p("2013-07/2014-12"),
            p("2024-01/2024-08"),
        ];
        v.sort();
        let got: Vec<String> = v.iter().map(|x| x.to_string()).collect();
        assert_eq!(
            got,
            [
                "2013-07/2014-12",
                "2023",
                "2024-01",
                "2024-Q1",
                "2024-H1",
                "2024-01/2024-08",
                "2024"
            ]
        );
    }

    #[test]
    fn bounds_frequency_and_axis_position() {
        assert_eq!(p("2024-Q3").bounds(), ((2024, 7), (2024, 9)));
        assert_eq!(p("2013-07/2014-12").months(), 18);
        assert_eq!(p("2013-07/2014-12").frequency(), Frequency::Range(18));
        assert_eq!(p("2024").midpoint(), 2024.5);
        assert_eq!(p("2024-H1").span(), (2024.0, 2024.5));
    }

    #[test]
    fn neighbours_only_at_one_frequency() {
        assert!(p("2023").is_followed_by(&p("2024")));
        assert!(
            !p("2022").is_followed_by(&p("2024")),
            "a missing year is a gap"
        );
        assert!(p("2024-H1").is_followed_by(&p("2024-H2")));
        assert!(
            !p("2023").is_followed_by(&p("2024-H1")),
            "a year is not followed by a half"
        );
        assert_eq!(p("2024-H1").year_earlier(), p("2023-H1"));
    }

    #[test]
    fn serde_uses_the_display_form() {
        let json = serde_json::to_string(&p("2024-01/2024-08")).unwrap();
        assert_eq!(json, "\"2024-01/2024-08\"");
        assert_eq!(
            serde_json::from_str::<Period>("\"2025-02\"").unwrap(),
            p("2025-02")
        );
        assert!(serde_json::from_str::<Period>("\"2025-14\"").is_err());
    }

    #[test]
    fn values_read_as_stated() {
        assert_eq!(format_number(175700.0), "175,700");
        assert_eq!(format_number(2.63), "2.63");
        assert_eq!(format_number(-1234.5), "-1,234.5");
        let mut o = Observation {
            series_id: "x".into(),
            period: p("2025"),
            value: 33.3,
            value_high: None,
            flags: Flags {
                lower_bound: true,
                ..Flags::default()
            },
            quote: None,
            caveat: None,
            source_url: None,
            attributed_to: None,
        };
        assert_eq!(o.display_value(), "≥ 33.3");
        o.flags = Flags::default();
        o.value = 12.0;
        o.value_high = Some(13.0);
        assert_eq!(o.display_value(), "12–13");
    }
}
