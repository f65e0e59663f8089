//! Derived numbers, computed only from sourced values and only where the comparison is fair.
//!
//! Every result says what it was computed from, so the page can label it as derived and name its inputs.
//! Where a number cannot honestly be computed, the reason is returned instead of a value. Nothing is
//! interpolated: a missing period stays missing. Lower bounds ("more than 33.3") and ranges ("12–13")
//! are statements about a value, not measurements, so no arithmetic is done with them.

use crate::domain::{format_number, Frequency, Observation, Period};
use crate::i18n::{numbers, tf, Lang};
use serde::{Deserialize, Serialize};

/// Why a derived value is missing. The message is shown to the reader in place of the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Gap {
    #[error("no value for the same period a year earlier")]
    NoEarlierPeriod,
    #[error("periods of a different kind or different months are not compared")]
    NotComparable,
    #[error("the base value is zero")]
    ZeroBase,
    #[error("one of the values is a bound or a range, not a measurement")]
    NotAPoint,
    #[error("no value for the base period {0}")]
    MissingBase(Period),
    #[error("no value of the total for the same period")]
    NoTotal,
    #[error("no value for {0}")]
    MissingPeriod(Period),
    #[error("the end period must start after the start period")]
    NotLater,
    #[error("the base value is negative, so a ratio to it would mislead")]
    NegativeBase,
    #[error("compound growth needs positive values at both ends")]
    NotPositive,
}

impl Gap {
    /// The reason in the reader's language (the `Display` text is the API's, always English).
    pub fn text(&self, lang: Lang) -> String {
        let (key, period) = match self {
            Gap::NoEarlierPeriod => ("gap.no_earlier", None),
            Gap::NotComparable => ("gap.not_comparable", None),
            Gap::ZeroBase => ("gap.zero_base", None),
            Gap::NotAPoint => ("gap.not_a_point", None),
            Gap::MissingBase(p) => ("gap.missing_base", Some(p)),
            Gap::NoTotal => ("gap.no_total", None),
            Gap::MissingPeriod(p) => ("gap.missing_period", Some(p)),
            Gap::NotLater => ("gap.not_later", None),
            Gap::NegativeBase => ("gap.negative_base", None),
            Gap::NotPositive => ("gap.not_positive", None),
        };
        let period = period.map(|p| numbers::period(lang, p)).unwrap_or_default();
        tf(lang, key, &[("period", &period)])
    }

    /// "not computed: …" in the reader's language.
    pub fn not_computed(&self, lang: Lang) -> String {
        tf(lang, "gap.not_computed", &[("why", &self.text(lang))])
    }
}

/// A sourced measurement, not a bound or a range: only those enter arithmetic.
fn is_point(o: &Observation) -> bool {
    !o.flags.lower_bound && o.value_high.is_none()
}

/// Same frequency and, for ranges, the same calendar months: Jan–Aug is not compared with Mar–Oct.
fn comparable(a: &Period, b: &Period) -> bool {
    a.frequency() == b.frequency()
        && match a.frequency() {
            Frequency::Range(_) => a.bounds().0 .1 == b.bounds().0 .1,
            _ => true,
        }
}

/// The figure for exactly `period`; a final figure supersedes a provisional one, so it is preferred.
fn figure_for<'a>(
    candidates: impl IntoIterator<Item = &'a Observation>,
    period: &Period,
) -> Option<&'a Observation> {
    candidates
        .into_iter()
        .filter(|o| o.period == *period)
        .min_by_key(|o| o.flags.provisional)
}

/// `value / base`, refusing bounds, ranges and bases that would make the ratio meaningless.
fn ratio(value: &Observation, base: &Observation) -> Result<f64, Gap> {
    if !is_point(value) || !is_point(base) {
        return Err(Gap::NotAPoint);
    }
    if base.value == 0.0 {
        return Err(Gap::ZeroBase);
    }
    if base.value < 0.0 {
        return Err(Gap::NegativeBase);
    }
    Ok(value.value / base.value)
}

/// Percentage change from one observation to another, labelled with both periods.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Growth {
    pub from: Period,
    pub to: Period,
    pub from_value: f64,
    pub to_value: f64,
    pub pct: f64,
}

/// Growth between two observations of one series; refuses unequal periods, bounds, ranges and zero or
/// negative bases (a change from −10 to −5 would read as −50 %).
pub fn growth(earlier: &Observation, later: &Observation) -> Result<Growth, Gap> {
    if !comparable(&earlier.period, &later.period) {
        return Err(Gap::NotComparable);
    }
    let r = ratio(later, earlier)?;
    Ok(Growth {
        from: earlier.period,
        to: later.period,
        from_value: earlier.value,
        to_value: later.value,
        pct: (r - 1.0) * 100.0,
    })
}

/// Year-on-year change for every observation: compared with the same period one year earlier
/// (a half-year with the same half, a month with the same month, a range with the same months),
/// or the reason it cannot be.
pub fn year_on_year(obs: &[Observation]) -> Vec<(Period, Result<Growth, Gap>)> {
    obs.iter()
        .map(|o| {
            let result = match figure_for(obs, &o.period.year_earlier()) {
                Some(b) => growth(b, o),
                None => Err(Gap::NoEarlierPeriod),
            };
            (o.period, result)
        })
        .collect()
}

/// The most recent year-on-year change of a series that can be computed, if any.
pub fn latest_year_on_year(obs: &[Observation]) -> Option<Growth> {
    year_on_year(obs)
        .into_iter()
        .filter_map(|(_, g)| g.ok())
        .max_by(|a, b| a.to.cmp(&b.to))
}

/// What the explorer shows for a series. Serialised as `{"kind": "index", "base": "2020"}` so it can
/// travel in the API and the page state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Transform {
    /// The sourced values as published.
    #[default]
    Absolute,
    /// Percentage change on the same period a year earlier.
    YearOnYear,
    /// 100 at the base period; only points of the base's frequency.
    Index { base: Period },
    /// Percentage of another series (by id) for the same period.
    Share { total: String },
}

/// One output value of [`apply`]: the period, the value or why there is none, and the sourced figures
/// it came from, so a tooltip can cite them ("index 112.4 = 2.63 / 2.34 × 100").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub period: Period,
    pub value: Result<f64, Gap>,
    /// The sourced figure for this period, with its flags, quote and source.
    pub input: Observation,
    /// The other sourced figure in the calculation: the same period a year earlier, the base period or
    /// the total. `None` for absolute values and where that figure is missing.
    pub reference: Option<Observation>,
}

impl Point {
    /// How the value was reached, in words a tooltip can show, in the reader's language.
    pub fn explain(&self, transform: &Transform, lang: Lang) -> String {
        let v = match &self.value {
            Ok(v) => *v,
            Err(gap) => return gap.not_computed(lang),
        };
        let input = format_number(self.input.value);
        let reference = self
            .reference
            .as_ref()
            .map_or_else(String::new, |r| format_number(r.value));
        let args = |v: String| [("v", v), ("input", input.clone()), ("reference", reference.clone())];
        let filled = |key: &str, extra: &[(&str, String)], v: String| {
            let mut all: Vec<(&str, String)> = args(v).to_vec();
            all.extend(extra.iter().cloned());
            let pairs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
            tf(lang, key, &pairs)
        };
        match transform {
            Transform::Absolute => self.input.display_value(),
            Transform::YearOnYear => {
                let earlier = self.reference.as_ref().map(|r| numbers::period(lang, &r.period)).unwrap_or_default();
                let periods = [("period", numbers::period(lang, &self.period)), ("earlier", earlier)];
                filled("explain.yoy", &periods, format!("{v:+.1}"))
            }
            Transform::Index { .. } => filled("explain.index", &[], format!("{v:.1}")),
            Transform::Share { .. } => filled("explain.share", &[], format!("{v:.1}")),
        }
    }
}

/// Applies a transform to one series, giving one [`Point`] per observation in input order.
///
/// `Absolute` passes every sourced value through, bounds and ranges included: their flags travel in
/// [`Point::input`] so the chart marks them. The derived transforms refuse bounds and ranges. Where a
/// period has a provisional and a final figure, the final one is used as the base.
///
/// For `Share`, `total` holds the total series' observations (only those whose `series_id` is the
/// transform's `total` are used). Whether that total is of the same family and unit as `obs` is the
/// caller's check; this only matches exact periods.
pub fn apply(
    transform: &Transform,
    obs: &[Observation],
    total: Option<&[Observation]>,
) -> Vec<Point> {
    obs.iter()
        .map(|o| {
            let (value, reference) = match transform {
                Transform::Absolute => (Ok(o.value), None),
                Transform::YearOnYear => match figure_for(obs, &o.period.year_earlier()) {
                    Some(e) => (growth(e, o).map(|g| g.pct), Some(e.clone())),
                    None => (Err(Gap::NoEarlierPeriod), None),
                },
                Transform::Index { base } if !comparable(&o.period, base) => {
                    (Err(Gap::NotComparable), None)
                }
                Transform::Index { base } => match figure_for(obs, base) {
                    Some(b) => (ratio(o, b).map(|r| r * 100.0), Some(b.clone())),
                    None => (Err(Gap::MissingBase(*base)), None),
                },
                Transform::Share { total: id } => {
                    let totals = total.unwrap_or_default().iter();
                    match figure_for(totals.filter(|t| t.series_id == *id), &o.period) {
                        Some(t) => (ratio(o, t).map(|r| r * 100.0), Some(t.clone())),
                        None => (Err(Gap::NoTotal), None),
                    }
                }
            };
            Point {
                period: o.period,
                value,
                input: o.clone(),
                reference,
            }
        })
        .collect()
}

/// The axis and legend unit for a transformed series; derived units say so.
pub fn unit_label(transform: &Transform, unit: &str) -> String {
    match transform {
        Transform::Absolute => unit.to_string(),
        Transform::YearOnYear => "% year on year (derived)".to_string(),
        Transform::Index { base } => format!("index, {base} = 100 (derived)"),
        Transform::Share { total } => format!("% of {total} (derived)"),
    }
}

/// Compound annual growth between two periods, with the figures it was computed from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cagr {
    pub from: Period,
    pub to: Period,
    pub from_value: f64,
    pub to_value: f64,
    /// Years between the starts of the two periods (2020-H1 → 2023-H2 is 3.5).
    pub years: f64,
    pub pct: f64,
}

/// Compound annual growth rate, `(to / from)^(12 / months) − 1`, where months run from the start of
/// `from` to the start of `to`. Both periods must be of one frequency, `to` must start later, and both
/// values must be positive measurements (a rate through zero or a sign change means nothing).
pub fn cagr(obs: &[Observation], from: Period, to: Period) -> Result<Cagr, Gap> {
    if !comparable(&from, &to) {
        return Err(Gap::NotComparable);
    }
    let months = to.start_month() - from.start_month();
    if months <= 0 {
        return Err(Gap::NotLater);
    }
    let a = figure_for(obs, &from).ok_or(Gap::MissingPeriod(from))?;
    let b = figure_for(obs, &to).ok_or(Gap::MissingPeriod(to))?;
    if !is_point(a) || !is_point(b) {
        return Err(Gap::NotAPoint);
    }
    if a.value == 0.0 {
        return Err(Gap::ZeroBase);
    }
    if a.value < 0.0 || b.value <= 0.0 {
        return Err(Gap::NotPositive);
    }
    let years = months as f64 / 12.0;
    Ok(Cagr {
        from,
        to,
        from_value: a.value,
        to_value: b.value,
        years,
        pct: ((b.value / a.value).powf(1.0 / years) - 1.0) * 100.0,
    })
}

/// The observation to sort a series by: the latest period by end month; on a tie a final figure over a
/// provisional one, then the longer period (a full year over its last half, as series are usually
/// compared by year), then the first in input order. Flags stay on the result for the reader.
pub fn latest_value(obs: &[Observation]) -> Option<&Observation> {
    let key = |o: &Observation| {
        (
            o.period.end_month(),
            !o.flags.provisional,
            o.period.months(),
        )
    };
    let mut best: Option<&Observation> = None;
    for o in obs {
        if best.is_none_or(|b| key(o) > key(b)) {
            best = Some(o);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn obs(period: &str, value: f64) -> Observation {
        Observation::new("test-only", p(period), value)
    }

    fn bound(period: &str, value: f64) -> Observation {
        let mut o = obs(period, value);
        o.flags.lower_bound = true;
        o
    }

    fn range(period: &str, low: f64, high: f64) -> Observation {
        let mut o = obs(period, low);
        o.value_high = Some(high);
        o
    }

    fn provisional(period: &str, value: f64) -> Observation {
        let mut o = obs(period, value);
        o.flags.provisional = true;
        o
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn at<'a>(points: &'a [Point], period: &str) -> &'a Point {
        points
            .iter()
            .find(|pt| pt.period == p(period))
            .unwrap_or_else(|| panic!("no point for {period}"))
    }

    #[test]
    fn growth_between_comparable_periods() {
        let g = growth(&obs("2022", 30.0), &obs("2023", 45.0)).unwrap();
        assert!((g.pct - 50.0).abs() < 1e-9);
        assert_eq!(g.from.to_string(), "2022");
    }

    #[test]
    fn growth_refuses_what_is_not_comparable() {
        assert_eq!(
            growth(&obs("2023", 18.0), &obs("2024-H1", 20.0)),
            Err(Gap::NotComparable)
        );
        assert_eq!(
            growth(&obs("2023", 0.0), &obs("2024", 5.0)),
            Err(Gap::ZeroBase)
        );
        assert_eq!(
            growth(&obs("2023", -10.0), &obs("2024", -5.0)),
            Err(Gap::NegativeBase)
        );
        assert_eq!(
            growth(&obs("2023", 50.0), &bound("2024", 100.0)),
            Err(Gap::NotAPoint)
        );
        assert_eq!(
            growth(&obs("2023-01/2023-08", 5.0), &obs("2024-03/2024-10", 6.0)),
            Err(Gap::NotComparable),
            "ranges of equal length but other months"
        );
    }

    #[test]
    fn year_on_year_matches_same_half_and_leaves_gaps() {
        let series = [
            obs("2023-H1", 1.1),
            obs("2023", 2.38),
            obs("2024-H1", 1.25),
            obs("2024", 2.63),
            obs("2022", 2.1),
        ];
        let yoy = year_on_year(&series);
        let h1 = &yoy[2];
        assert_eq!(h1.0.to_string(), "2024-H1");
        assert!((h1.1.as_ref().unwrap().pct - (1.25 / 1.1 - 1.0) * 100.0).abs() < 1e-9);
        assert_eq!(yoy[0].1, Err(Gap::NoEarlierPeriod));
        let latest = latest_year_on_year(&series).unwrap();
        assert_eq!(latest.to.to_string(), "2024");
        assert!((latest.pct - (2.63 / 2.38 - 1.0) * 100.0).abs() < 1e-9);
    }

    #[test]
    fn year_on_year_prefers_final_over_provisional_base() {
        let series = [
            provisional("2023", 99.0),
            obs("2023", 100.0),
            obs("2024", 110.0),
        ];
        let latest = latest_year_on_year(&series).unwrap();
        assert!((latest.pct - 10.0).abs() < 1e-9);
    }

    #[test]
    fn absolute_passes_sourced_values_through_with_their_flags() {
        let series = [
            obs("2023", 2.38),
            bound("2024", 3.0),
            range("2025", 4.0, 5.0),
        ];
        let pts = apply(&Transform::Absolute, &series, None);
        assert_eq!(pts.len(), 3);
        assert_eq!(pts[0].value, Ok(2.38));
        assert!(pts[1].input.flags.lower_bound);
        assert_eq!(pts[2].input.value_high, Some(5.0));
        assert!(pts.iter().all(|pt| pt.reference.is_none()));
        assert_eq!(pts[1].explain(&Transform::Absolute, Lang::En), "≥ 3");
    }

    #[test]
    fn apply_year_on_year_half_with_same_half() {
        let series = [
            obs("2023-H1", 1.1),
            obs("2023-H2", 1.3),
            obs("2024-H1", 1.25),
            obs("2024-H2", 1.43),
        ];
        let pts = apply(&Transform::YearOnYear, &series, None);
        let h1 = at(&pts, "2024-H1");
        assert!(close(h1.value.unwrap(), (1.25 / 1.1 - 1.0) * 100.0));
        assert_eq!(h1.reference.as_ref().unwrap().period, p("2023-H1"));
        let h2 = at(&pts, "2024-H2");
        assert!(close(h2.value.unwrap(), (1.43 / 1.3 - 1.0) * 100.0));
        assert_eq!(h2.reference.as_ref().unwrap().period, p("2023-H2"));
        assert_eq!(at(&pts, "2023-H1").value, Err(Gap::NoEarlierPeriod));
        assert_eq!(
            h1.explain(&Transform::YearOnYear, Lang::En),
            "+13.6% = 1.25 / 1.1 − 1 (2024-H1 on 2023-H1)"
        );
        assert_eq!(
            h1.explain(&Transform::YearOnYear, Lang::ZhHans),
            "+13.6% = 1.25 / 1.1 − 1（2024年上半年对比2023年上半年）"
        );
    }

    #[test]
    fn apply_year_on_year_month_with_same_month_only() {
        let series = [
            obs("2023-03", 10.0),
            obs("2024-02", 11.0),
            obs("2024-03", 12.0),
            obs("2024-04", 13.0),
        ];
        let pts = apply(&Transform::YearOnYear, &series, None);
        let march = at(&pts, "2024-03");
        assert!(close(march.value.unwrap(), 20.0));
        assert_eq!(march.reference.as_ref().unwrap().period, p("2023-03"));
        // The previous month is right there, but it is not the same month a year earlier.
        assert_eq!(at(&pts, "2024-04").value, Err(Gap::NoEarlierPeriod));
        assert!(at(&pts, "2024-04").reference.is_none());
    }

    #[test]
    fn apply_year_on_year_year_is_not_compared_with_a_half() {
        let series = [obs("2023-H2", 1.3), obs("2024", 2.6)];
        let pts = apply(&Transform::YearOnYear, &series, None);
        assert_eq!(at(&pts, "2024").value, Err(Gap::NoEarlierPeriod));
    }

    #[test]
    fn apply_year_on_year_ranges_only_with_the_same_months() {
        let series = [
            obs("2023-01/2023-08", 8.0),
            obs("2024-01/2024-08", 10.0),
            obs("2023-02/2023-09", 9.0),
            obs("2024-02/2024-10", 11.0),
        ];
        let pts = apply(&Transform::YearOnYear, &series, None);
        assert!(close(at(&pts, "2024-01/2024-08").value.unwrap(), 25.0));
        assert_eq!(
            at(&pts, "2024-02/2024-10").value,
            Err(Gap::NoEarlierPeriod),
            "2023-02/2023-09 covers other months"
        );
    }

    #[test]
    fn apply_year_on_year_refuses_bounds_ranges_and_zero() {
        let series = [
            obs("2021", 0.0),
            obs("2022", 5.0),
            bound("2023", 6.0),
            obs("2024", 7.0),
            range("2025", 8.0, 9.0),
        ];
        let pts = apply(&Transform::YearOnYear, &series, None);
        assert_eq!(at(&pts, "2022").value, Err(Gap::ZeroBase));
        assert_eq!(at(&pts, "2023").value, Err(Gap::NotAPoint));
        assert_eq!(at(&pts, "2024").value, Err(Gap::NotAPoint));
        assert_eq!(at(&pts, "2025").value, Err(Gap::NotAPoint));
        assert_eq!(
            at(&pts, "2023").explain(&Transform::YearOnYear, Lang::En),
            "not computed: one of the values is a bound or a range, not a measurement"
        );
    }

    #[test]
    fn index_is_100_at_the_base() {
        let series = [obs("2020", 2.34), obs("2023", 2.38), obs("2024", 2.63)];
        let t = Transform::Index { base: p("2020") };
        let pts = apply(&t, &series, None);
        assert!(close(at(&pts, "2020").value.unwrap(), 100.0));
        let last = at(&pts, "2024");
        assert!(close(last.value.unwrap(), 2.63 / 2.34 * 100.0));
        assert_eq!(last.reference.as_ref().unwrap().period, p("2020"));
        assert_eq!(last.explain(&t, Lang::En), "index 112.4 = 2.63 / 2.34 × 100");
    }

    #[test]
    fn index_other_frequency_is_not_comparable() {
        let series = [obs("2020", 2.34), obs("2024-H1", 1.25), obs("2024-03", 0.2)];
        let pts = apply(&Transform::Index { base: p("2020") }, &series, None);
        assert_eq!(at(&pts, "2024-H1").value, Err(Gap::NotComparable));
        assert_eq!(at(&pts, "2024-03").value, Err(Gap::NotComparable));
        // A half-year base indexes every half, not just the same half.
        let halves = [obs("2020-H1", 1.0), obs("2020-H2", 1.5), obs("2021", 3.0)];
        let pts = apply(&Transform::Index { base: p("2020-H1") }, &halves, None);
        assert!(close(at(&pts, "2020-H2").value.unwrap(), 150.0));
        assert_eq!(at(&pts, "2021").value, Err(Gap::NotComparable));
    }

    #[test]
    fn index_missing_zero_negative_and_bound_bases() {
        let t = Transform::Index { base: p("2019") };
        let pts = apply(&t, &[obs("2020", 2.0)], None);
        assert_eq!(pts[0].value, Err(Gap::MissingBase(p("2019"))));
        assert_eq!(
            pts[0].explain(&t, Lang::En),
            "not computed: no value for the base period 2019"
        );
        assert_eq!(pts[0].explain(&t, Lang::ZhHans), "未计算：基期2019年没有数值");
        // The reader's text and the API's (Display) agree in English.
        for gap in [Gap::NoEarlierPeriod, Gap::NotAPoint, Gap::MissingPeriod(p("2024-03")), Gap::NotPositive] {
            assert_eq!(gap.text(Lang::En), gap.to_string());
        }
        let t = Transform::Index { base: p("2020") };
        let zero = apply(&t, &[obs("2020", 0.0), obs("2021", 2.0)], None);
        assert_eq!(zero[1].value, Err(Gap::ZeroBase));
        let negative = apply(&t, &[obs("2020", -1.0), obs("2021", 2.0)], None);
        assert_eq!(negative[1].value, Err(Gap::NegativeBase));
        let bounded = apply(&t, &[bound("2020", 1.0), obs("2021", 2.0)], None);
        assert_eq!(bounded[1].value, Err(Gap::NotAPoint));
        let ranged = apply(&t, &[obs("2020", 1.0), range("2021", 2.0, 3.0)], None);
        assert_eq!(ranged[1].value, Err(Gap::NotAPoint));
    }

    #[test]
    fn index_prefers_the_final_base() {
        let series = [provisional("2020", 1.0), obs("2020", 2.0), obs("2021", 3.0)];
        let pts = apply(&Transform::Index { base: p("2020") }, &series, None);
        assert!(close(pts[2].value.unwrap(), 150.0));
        assert!(!pts[2].reference.as_ref().unwrap().flags.provisional);
    }

    #[test]
    fn share_of_a_total_for_the_exact_period() {
        let t = Transform::Share {
            total: "total".into(),
        };
        let series = [
            obs("2022", 5.0),
            obs("2023", 10.0),
            obs("2024", 12.0),
            obs("2024-H1", 6.0),
            bound("2025", 20.0),
        ];
        let totals = [
            Observation::new("total", p("2023"), 40.0),
            Observation::new("total", p("2024"), 0.0),
            Observation::new("total", p("2025"), 50.0),
            // Another series' figure for 2022 must not stand in for the total.
            Observation::new("other", p("2022"), 100.0),
        ];
        let pts = apply(&t, &series, Some(&totals));
        let y2023 = at(&pts, "2023");
        assert!(close(y2023.value.unwrap(), 25.0));
        assert_eq!(y2023.reference.as_ref().unwrap().series_id, "total");
        assert_eq!(y2023.explain(&t, Lang::En), "25.0% = 10 / 40 × 100");
        assert_eq!(at(&pts, "2022").value, Err(Gap::NoTotal));
        assert_eq!(at(&pts, "2024").value, Err(Gap::ZeroBase));
        assert_eq!(at(&pts, "2024-H1").value, Err(Gap::NoTotal));
        assert_eq!(at(&pts, "2025").value, Err(Gap::NotAPoint));
        let none = apply(&t, &series, None);
        assert!(none.iter().all(|pt| pt.value == Err(Gap::NoTotal)));
    }

    #[test]
    fn unit_labels_say_derived() {
        assert_eq!(unit_label(&Transform::Absolute, "CNY tn"), "CNY tn");
        assert_eq!(
            unit_label(&Transform::YearOnYear, "CNY tn"),
            "% year on year (derived)"
        );
        assert_eq!(
            unit_label(&Transform::Index { base: p("2020") }, "CNY tn"),
            "index, 2020 = 100 (derived)"
        );
        assert_eq!(
            unit_label(
                &Transform::Share {
                    total: "all-goods".into()
                },
                "USD"
            ),
            "% of all-goods (derived)"
        );
    }

    #[test]
    fn transform_and_points_serialise() {
        let t = Transform::Index { base: p("2020-H1") };
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"kind":"index","base":"2020-H1"}"#);
        assert_eq!(serde_json::from_str::<Transform>(&json).unwrap(), t);
        assert_eq!(
            serde_json::from_str::<Transform>(r#"{"kind":"year_on_year"}"#).unwrap(),
            Transform::YearOnYear
        );
        assert_eq!(Transform::default(), Transform::Absolute);
        let pts = apply(&t, &[obs("2021", 1.0)], None);
        let back: Vec<Point> = serde_json::from_str(&serde_json::to_string(&pts).unwrap()).unwrap();
        assert_eq!(back, pts);
    }

    #[test]
    fn cagr_over_two_years() {
        let series = [obs("2020", 100.0), obs("2021", 130.0), obs("2022", 121.0)];
        let c = cagr(&series, p("2020"), p("2022")).unwrap();
        // 121 / 100 = 1.21 = 1.1², so 10 % a year.
        assert!(close(c.years, 2.0));
        assert!(close(c.pct, 10.0));
        assert_eq!((c.from_value, c.to_value), (100.0, 121.0));
    }

    #[test]
    fn cagr_over_three_and_a_half_years() {
        let series = [obs("2020-H1", 50.0), obs("2023-H2", 200.0)];
        let c = cagr(&series, p("2020-H1"), p("2023-H2")).unwrap();
        // 2020-01 to 2023-07 is 42 months = 3.5 years; 4^(1/3.5) = 2^(4/7) ≈ 1.485994.
        assert!(close(c.years, 3.5));
        assert!((c.pct - 48.5994).abs() < 1e-3, "{}", c.pct);
        assert!(close(c.pct, (2f64.powf(4.0 / 7.0) - 1.0) * 100.0));
    }

    #[test]
    fn cagr_gaps() {
        let series = [
            obs("2019", 0.0),
            obs("2020", 100.0),
            obs("2021", -5.0),
            obs("2022", 0.0),
            bound("2023", 150.0),
            range("2024", 160.0, 170.0),
            obs("2024-H1", 80.0),
        ];
        let c = |a: &str, b: &str| cagr(&series, p(a), p(b));
        assert_eq!(c("2020", "2020"), Err(Gap::NotLater));
        assert_eq!(c("2022", "2020"), Err(Gap::NotLater));
        assert_eq!(c("2020", "2024-H1"), Err(Gap::NotComparable));
        assert_eq!(c("2018", "2020"), Err(Gap::MissingPeriod(p("2018"))));
        assert_eq!(c("2020", "2025"), Err(Gap::MissingPeriod(p("2025"))));
        assert_eq!(c("2020", "2023"), Err(Gap::NotAPoint));
        assert_eq!(c("2020", "2024"), Err(Gap::NotAPoint));
        assert_eq!(c("2019", "2020"), Err(Gap::ZeroBase));
        assert_eq!(c("2021", "2023"), Err(Gap::NotAPoint));
        assert_eq!(c("2021", "2022"), Err(Gap::NotPositive));
        assert_eq!(c("2020", "2021"), Err(Gap::NotPositive));
        assert_eq!(c("2020", "2022"), Err(Gap::NotPositive));
        assert_eq!(
            Gap::MissingPeriod(p("2018")).to_string(),
            "no value for 2018"
        );
    }

    #[test]
    fn cagr_prefers_final_figures() {
        let series = [
            obs("2020", 100.0),
            provisional("2022", 150.0),
            obs("2022", 121.0),
        ];
        assert!(close(
            cagr(&series, p("2020"), p("2022")).unwrap().pct,
            10.0
        ));
    }

    #[test]
    fn latest_value_by_end_month_final_first() {
        assert!(latest_value(&[]).is_none());
        let series = [
            obs("2023", 1.0),
            provisional("2024", 2.0),
            obs("2024", 3.0),
            obs("2024-H1", 4.0),
            obs("2022", 5.0),
        ];
        assert_eq!(latest_value(&series).unwrap().value, 3.0);
        // A later end month wins even when provisional.
        let mut later = series.to_vec();
        later.push(provisional("2025-02", 0.3));
        assert_eq!(latest_value(&later).unwrap().period, p("2025-02"));
        // Same end month: the full year over its second half, in either input order.
        let tie = [obs("2024-H2", 1.5), obs("2024", 3.0)];
        assert_eq!(latest_value(&tie).unwrap().value, 3.0);
        let tie = [obs("2024", 3.0), obs("2024-H2", 1.5)];
        assert_eq!(latest_value(&tie).unwrap().value, 3.0);
    }
}
