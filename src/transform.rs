//! Derived numbers, computed only from sourced values and only where the comparison is fair.
//!
//! Every result says what it was computed from, so the page can label it as derived and name its inputs.
//! Where a number cannot honestly be computed, the reason is returned instead of a value.

use crate::domain::{Observation, Period};
use serde::{Deserialize, Serialize};

/// Why a derived value is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Gap {
    #[error("no value for the same period a year earlier")]
    NoEarlierPeriod,
    #[error("periods of different length are not compared")]
    NotComparable,
    #[error("the earlier value is zero")]
    ZeroBase,
    #[error("one of the values is a bound or a range, not a measurement")]
    NotAPoint,
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

/// Growth between two observations of one series; refuses unequal periods, bounds, ranges and zero bases.
pub fn growth(earlier: &Observation, later: &Observation) -> Result<Growth, Gap> {
    if earlier.period.frequency() != later.period.frequency() {
        return Err(Gap::NotComparable);
    }
    let is_point = |o: &Observation| !o.flags.lower_bound && o.value_high.is_none();
    if !is_point(earlier) || !is_point(later) {
        return Err(Gap::NotAPoint);
    }
    if earlier.value == 0.0 {
        return Err(Gap::ZeroBase);
    }
    Ok(Growth {
        from: earlier.period,
        to: later.period,
        from_value: earlier.value,
        to_value: later.value,
        pct: (later.value / earlier.value - 1.0) * 100.0,
    })
}

/// Year-on-year change for every observation: compared with the same period one year earlier
/// (a half-year with the same half, a quarter with the same quarter), or the reason it cannot be.
pub fn year_on_year(obs: &[Observation]) -> Vec<(Period, Result<Growth, Gap>)> {
    obs.iter()
        .map(|o| {
            let target = o.period.year_earlier();
            // Provisional figures are superseded by final ones: prefer a final value for the base.
            let base = obs
                .iter()
                .filter(|e| e.period == target)
                .min_by_key(|e| e.flags.provisional);
            let result = match base {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(period: &str, value: f64) -> Observation {
        Observation::new("test-only", period.parse().unwrap(), value)
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
        let mut bound = obs("2024", 100.0);
        bound.flags.lower_bound = true;
        assert_eq!(growth(&obs("2023", 50.0), &bound), Err(Gap::NotAPoint));
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
        let mut prelim = obs("2023", 99.0);
        prelim.flags.provisional = true;
        let series = [prelim, obs("2023", 100.0), obs("2024", 110.0)];
        let latest = latest_year_on_year(&series).unwrap();
        assert!((latest.pct - 10.0).abs() < 1e-9);
    }
}
