//! The market finder's arithmetic, as pure functions shared by the server and the ranking island (which
//! re-ranks in the browser as weights move): indicators, weights, scaling, the weighted score, ranks and
//! how stable a rank is when one weight moves.
//!
//! Scaling is by rank within the chosen markets (100 = best, 0 = worst, ties share the mean of their
//! places), not by distance between values: trade values span six orders of magnitude and a few hubs
//! (Hong Kong, the US) would squash every other market towards 0 on a linear scale. A market that lacks
//! an indicator is scored on the indicators it has, their weights re-normalised, and marked "k of n".

use crate::i18n::{tf, Lang};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What the finder weighs, in the order the page lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Indicator {
    /// The market's imports of the category from the World.
    Size,
    /// China's share of those imports.
    Share,
    /// Growth of China's exports of the category to the market.
    Growth,
    /// Growth of the market's imports of all goods from China, latest years (mirror data).
    AllGrowth,
    /// GDP per person.
    Income,
    /// Share of people using the internet.
    Internet,
    /// Logistics Performance Index.
    Logistics,
    /// Distance from China (nearer is better).
    Distance,
    /// The tariff the category's goods from China face there (lower is better; see `tariffs`).
    Tariff,
}

pub const INDICATORS: usize = 9;

impl Indicator {
    pub const ALL: [Indicator; INDICATORS] = [
        Indicator::Size,
        Indicator::Share,
        Indicator::Growth,
        Indicator::AllGrowth,
        Indicator::Income,
        Indicator::Internet,
        Indicator::Logistics,
        Indicator::Distance,
        Indicator::Tariff,
    ];

    /// The name in URLs, the API and translation keys.
    pub fn key(self) -> &'static str {
        match self {
            Indicator::Size => "size",
            Indicator::Share => "share",
            Indicator::Growth => "growth",
            Indicator::AllGrowth => "all_growth",
            Indicator::Income => "income",
            Indicator::Internet => "internet",
            Indicator::Logistics => "logistics",
            Indicator::Distance => "distance",
            Indicator::Tariff => "tariff",
        }
    }

    pub fn from_key(key: &str) -> Option<Indicator> {
        Indicator::ALL.into_iter().find(|i| i.key() == key)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether a larger raw value scores higher (everything but distance and tariffs).
    pub fn higher_is_better(self) -> bool {
        !matches!(self, Indicator::Distance | Indicator::Tariff)
    }
}

/// The largest weight one indicator can have; weights are whole points.
pub const MAX_WEIGHT: u8 = 100;

/// How much each indicator counts, 0–100 points each (they need not add up to 100: the score divides by
/// their sum).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weights(pub [u8; INDICATORS]);

/// Ready-made weightings for the questions sellers ask, by URL name.
pub const PRESETS: [(&str, Weights); 4] = [
    // Size first, the rest in proportion: the default question "where should I sell next?".
    ("balanced", Weights([30, 10, 15, 10, 10, 5, 5, 5, 10])),
    ("large", Weights([50, 10, 0, 0, 20, 10, 10, 0, 0])),
    ("growing", Weights([15, 10, 45, 30, 0, 0, 0, 0, 0])),
    ("reach", Weights([15, 0, 0, 0, 0, 15, 25, 25, 20])),
];

/// Why a weights parameter could not be read; the message says what to write instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WeightsError {
    UnknownIndicator(String),
    NotANumber(String),
    TooLarge(String),
    AllZero,
}

impl WeightsError {
    /// The message in `lang` (`Display` is the API's English).
    pub fn text(&self, lang: Lang) -> String {
        let names: Vec<&str> = Indicator::ALL.iter().map(|i| i.key()).collect();
        let presets = PRESETS.iter().map(|p| p.0).collect::<Vec<_>>().join(", ");
        let max = MAX_WEIGHT.to_string();
        match self {
            WeightsError::UnknownIndicator(k) => tf(
                lang,
                "weights.unknown",
                &[("key", k), ("names", &names.join(", ")), ("presets", &presets)],
            ),
            WeightsError::NotANumber(part) => tf(lang, "weights.not_number", &[("part", part)]),
            WeightsError::TooLarge(part) => tf(lang, "weights.too_large", &[("part", part), ("max", &max)]),
            WeightsError::AllZero => tf(lang, "weights.all_zero", &[]),
        }
    }
}

impl fmt::Display for WeightsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl Default for Weights {
    fn default() -> Self {
        PRESETS[0].1
    }
}

impl Weights {
    pub fn get(&self, i: Indicator) -> u8 {
        self.0[i.index()]
    }

    pub fn with(mut self, i: Indicator, w: u8) -> Weights {
        self.0[i.index()] = w.min(MAX_WEIGHT);
        self
    }

    pub fn total(&self) -> u32 {
        self.0.iter().map(|&w| w as u32).sum()
    }

    pub fn preset(name: &str) -> Option<Weights> {
        PRESETS.iter().find(|p| p.0 == name).map(|p| p.1)
    }

    /// The preset these weights are, if any.
    pub fn preset_name(&self) -> Option<&'static str> {
        PRESETS.iter().find(|p| p.1 == *self).map(|p| p.0)
    }

    /// `balanced` (a preset) or `size:40,growth:30,…` (indicators not named weigh 0).
    pub fn parse(text: &str) -> Result<Weights, WeightsError> {
        let text = text.trim();
        if let Some(w) = Weights::preset(text) {
            return Ok(w);
        }
        let mut w = Weights([0; INDICATORS]);
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, points) = part.split_once(':').unwrap_or((part, ""));
            let indicator = Indicator::from_key(key.trim())
                .ok_or_else(|| WeightsError::UnknownIndicator(key.trim().chars().take(40).collect()))?;
            let points: u32 = points
                .trim()
                .parse()
                .map_err(|_| WeightsError::NotANumber(part.chars().take(40).collect()))?;
            if points > MAX_WEIGHT as u32 {
                return Err(WeightsError::TooLarge(part.chars().take(40).collect()));
            }
            w.0[indicator.index()] = points as u8;
        }
        if w.total() == 0 {
            return Err(WeightsError::AllZero);
        }
        Ok(w)
    }

    /// The URL form: a preset's name, else the non-zero weights.
    pub fn to_param(&self) -> String {
        if let Some(name) = self.preset_name() {
            return name.to_string();
        }
        Indicator::ALL
            .iter()
            .filter(|i| self.get(**i) > 0)
            .map(|i| format!("{}:{}", i.key(), self.get(*i)))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Each value's place among the present values as 0–100 (100 = best); ties share the mean of their
/// places; a lone value is 100. Missing values stay missing.
pub fn scale(values: &[Option<f64>], higher_is_better: bool) -> Vec<Option<f64>> {
    let mut present: Vec<(f64, usize)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.filter(|x| x.is_finite()).map(|x| (x, i)))
        .collect();
    present.sort_by(|a, b| a.0.total_cmp(&b.0));
    if !higher_is_better {
        present.reverse();
    }
    let mut out = vec![None; values.len()];
    let n = present.len();
    if n == 1 {
        out[present[0].1] = Some(100.0);
        return out;
    }
    let mut start = 0;
    while start < n {
        let mut end = start;
        while end + 1 < n && present[end + 1].0 == present[start].0 {
            end += 1;
        }
        let place = (start + end) as f64 / 2.0;
        for item in &present[start..=end] {
            out[item.1] = Some(100.0 * place / (n - 1) as f64);
        }
        start = end + 1;
    }
    out
}

/// Scales every indicator within the given markets (rows of raw values, `None` where missing).
pub fn scale_all(raw: &[[Option<f64>; INDICATORS]]) -> Vec<[Option<f64>; INDICATORS]> {
    let mut out = vec![[None; INDICATORS]; raw.len()];
    for ind in Indicator::ALL {
        let column: Vec<Option<f64>> = raw.iter().map(|r| r[ind.index()]).collect();
        for (row, v) in scale(&column, ind.higher_is_better()).into_iter().enumerate() {
            out[row][ind.index()] = v;
        }
    }
    out
}

/// One market's score under some weights.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    /// 0–100: the weighted mean of the scaled indicators the market has.
    pub score: f64,
    /// Points each indicator adds to the score (they add up to it); `None` where missing or unweighted.
    pub contributions: [Option<f64>; INDICATORS],
    /// Weighted indicators the market has, of those weighted.
    pub have: usize,
    pub weighted: usize,
}

/// The score of one market's scaled values: Σ wᵢ·sᵢ / Σ wᵢ over the weighted indicators it has. `None`
/// when it has none of them.
pub fn score(scaled: &[Option<f64>; INDICATORS], w: &Weights) -> Option<Scored> {
    let mut sum_w = 0.0;
    let mut have = 0;
    let mut weighted = 0;
    for ind in Indicator::ALL {
        let wi = w.get(ind) as f64;
        if wi > 0.0 {
            weighted += 1;
            if scaled[ind.index()].is_some() {
                have += 1;
                sum_w += wi;
            }
        }
    }
    if have == 0 {
        return None;
    }
    let mut contributions = [None; INDICATORS];
    let mut total = 0.0;
    for ind in Indicator::ALL {
        let wi = w.get(ind) as f64;
        if let (true, Some(s)) = (wi > 0.0, scaled[ind.index()]) {
            let c = wi * s / sum_w;
            contributions[ind.index()] = Some(c);
            total += c;
        }
    }
    Some(Scored {
        score: total,
        contributions,
        have,
        weighted,
    })
}

/// Scores compare equal when they differ by less than this (rounding of the division).
const TIE: f64 = 1e-9;

/// Ranks (1 = best) for scores in the given order: equal scores share a rank ("1, 2, 2, 4"); markets
/// without a score get none.
pub fn ranks(scores: &[Option<f64>]) -> Vec<Option<usize>> {
    scores
        .iter()
        .map(|s| {
            s.map(|s| 1 + scores.iter().flatten().filter(|o| **o > s + TIE).count())
        })
        .collect()
}

/// Scores and ranks of every market (scaled rows) under `w`.
pub fn rank_all(scaled: &[[Option<f64>; INDICATORS]], w: &Weights) -> Vec<(Option<Scored>, Option<usize>)> {
    let scored: Vec<Option<Scored>> = scaled.iter().map(|r| score(r, w)).collect();
    let r = ranks(&scored.iter().map(|s| s.as_ref().map(|s| s.score)).collect::<Vec<_>>());
    scored.into_iter().zip(r).collect()
}

/// How far a weight moves in the stability check.
pub const STABILITY_STEP: u8 = 10;

/// For each market, the best and worst rank it takes when any one weight moves ±10 points (within
/// 0–100; a move that would leave every weight at 0 is skipped), the unchanged weights included.
pub fn stability(scaled: &[[Option<f64>; INDICATORS]], w: &Weights) -> Vec<Option<(usize, usize)>> {
    let mut out: Vec<Option<(usize, usize)>> =
        rank_all(scaled, w).into_iter().map(|(_, r)| r.map(|r| (r, r))).collect();
    for ind in Indicator::ALL {
        let base = w.get(ind);
        for moved in [base.saturating_sub(STABILITY_STEP), base.saturating_add(STABILITY_STEP).min(MAX_WEIGHT)] {
            if moved == base {
                continue;
            }
            let w2 = w.with(ind, moved);
            if w2.total() == 0 {
                continue;
            }
            for (slot, (_, r)) in out.iter_mut().zip(rank_all(scaled, &w2)) {
                if let (Some((best, worst)), Some(r)) = (slot.as_mut(), r) {
                    *best = (*best).min(r);
                    *worst = (*worst).max(r);
                }
            }
        }
    }
    out
}

/// The order to list markets in: by rank, then by how many indicators they have, then by `key`.
pub fn order<K: Ord>(ranked: &[(Option<Scored>, Option<usize>)], key: impl Fn(usize) -> K) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..ranked.len()).filter(|&i| ranked[i].1.is_some()).collect();
    idx.sort_by(|&a, &b| {
        ranked[a]
            .1
            .cmp(&ranked[b].1)
            .then(ranked[b].0.as_ref().map(|s| s.have).cmp(&ranked[a].0.as_ref().map(|s| s.have)))
            .then_with(|| key(a).cmp(&key(b)))
    });
    idx
}

/// How high a market must place on an indicator (0–100) for it to count as a strength: the top quarter.
pub const STRENGTH: f64 = 75.0;

/// The indicators a market stands out on under these weights: the largest contributions among those it
/// places in the top quarter on, at most two, largest first.
pub fn strengths(scaled: &[Option<f64>; INDICATORS], scored: &Scored) -> Vec<Indicator> {
    let mut s: Vec<(f64, Indicator)> = Indicator::ALL
        .into_iter()
        .filter_map(|i| {
            let c = scored.contributions[i.index()]?;
            (scaled[i.index()]? >= STRENGTH && c > 0.0).then_some((c, i))
        })
        .collect();
    s.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    s.into_iter().take(2).map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(v: [Option<f64>; INDICATORS]) -> [Option<f64>; INDICATORS] {
        v
    }

    #[test]
    fn scaling_is_by_place_with_ties_sharing_and_gaps_kept() {
        let s = scale(&[Some(10.0), None, Some(30.0), Some(20.0), Some(30.0)], true);
        assert_eq!(s, [Some(0.0), None, Some(83.33333333333333), Some(33.333333333333336), Some(83.33333333333333)]);
        // Nearer is better: the smallest distance scores 100.
        let d = scale(&[Some(2000.0), Some(11000.0), Some(7000.0)], false);
        assert_eq!(d, [Some(100.0), Some(0.0), Some(50.0)]);
        assert_eq!(scale(&[None, Some(5.0)], true), [None, Some(100.0)]);
        assert_eq!(scale(&[Some(f64::NAN), Some(1.0), Some(2.0)], true), [None, Some(0.0), Some(100.0)]);
        // An outlier does not squash the rest: 1, 2, 3 and 1000 are evenly spread.
        assert_eq!(
            scale(&[Some(1.0), Some(2.0), Some(3.0), Some(1000.0)], true),
            [Some(0.0), Some(100.0 / 3.0), Some(200.0 / 3.0), Some(100.0)]
        );
    }

    #[test]
    fn weights_parse_presets_custom_and_say_what_is_wrong() {
        assert_eq!(Weights::parse("growing").unwrap(), PRESETS[2].1);
        let w = Weights::parse("size:40, growth:30").unwrap();
        assert_eq!(w.get(Indicator::Size), 40);
        assert_eq!(w.get(Indicator::Growth), 30);
        assert_eq!(w.get(Indicator::Distance), 0);
        assert_eq!(w.to_param(), "size:40,growth:30");
        assert_eq!(Weights::parse(&w.to_param()).unwrap(), w);
        assert_eq!(Weights::default().to_param(), "balanced");
        assert_eq!(Weights::parse("sise:40"), Err(WeightsError::UnknownIndicator("sise".into())));
        assert!(Weights::parse("sise:40").unwrap_err().to_string().contains("size, share"));
        assert_eq!(Weights::parse("size:lots"), Err(WeightsError::NotANumber("size:lots".into())));
        assert_eq!(Weights::parse("size:-3"), Err(WeightsError::NotANumber("size:-3".into())));
        assert_eq!(Weights::parse("size:101"), Err(WeightsError::TooLarge("size:101".into())));
        assert_eq!(Weights::parse("size:0"), Err(WeightsError::AllZero));
        assert_eq!(Weights::parse(""), Err(WeightsError::AllZero));
    }

    #[test]
    fn score_is_the_weighted_mean_of_what_a_market_has() {
        let w = Weights([50, 0, 50, 0, 0, 0, 0, 0, 0]);
        let full = row([Some(100.0), Some(0.0), Some(50.0), None, None, None, None, None, None]);
        let s = score(&full, &w).unwrap();
        assert_eq!(s.score, 75.0);
        assert_eq!(s.contributions[0], Some(50.0));
        assert_eq!(s.contributions[2], Some(25.0));
        assert_eq!(s.contributions[1], None, "unweighted indicators add nothing");
        assert_eq!((s.have, s.weighted), (2, 2));
        // Missing growth: scored on size alone, and says so.
        let partial = row([Some(80.0), None, None, None, None, None, None, None, None]);
        let p = score(&partial, &w).unwrap();
        assert_eq!((p.score, p.have, p.weighted), (80.0, 1, 2));
        assert_eq!(score(&[None; INDICATORS], &w), None);
        // Contributions add up to the score.
        let c: f64 = s.contributions.iter().flatten().sum();
        assert!((c - s.score).abs() < 1e-12);
    }

    #[test]
    fn ties_share_a_rank_and_the_next_rank_skips() {
        assert_eq!(
            ranks(&[Some(50.0), Some(90.0), Some(50.0), None, Some(10.0)]),
            [Some(2), Some(1), Some(2), None, Some(4)]
        );
    }

    #[test]
    fn moving_a_weight_changes_the_order() {
        // A: big but slow; B: small but fast.
        let scaled = vec![
            row([Some(100.0), None, Some(0.0), None, None, None, None, None, None]),
            row([Some(0.0), None, Some(100.0), None, None, None, None, None, None]),
        ];
        let size_first = rank_all(&scaled, &Weights([60, 0, 40, 0, 0, 0, 0, 0, 0]));
        assert_eq!((size_first[0].1, size_first[1].1), (Some(1), Some(2)));
        let growth_first = rank_all(&scaled, &Weights([40, 0, 60, 0, 0, 0, 0, 0, 0]));
        assert_eq!((growth_first[0].1, growth_first[1].1), (Some(2), Some(1)));
        // Within ±10 of 52/48 the order flips, so both ranks are reachable; at 80/20 it holds.
        let near = stability(&scaled, &Weights([52, 0, 48, 0, 0, 0, 0, 0, 0]));
        assert_eq!(near, [Some((1, 2)), Some((1, 2))]);
        let far = stability(&scaled, &Weights([80, 0, 20, 0, 0, 0, 0, 0, 0]));
        assert_eq!(far, [Some((1, 1)), Some((2, 2))]);
    }

    #[test]
    fn keys_round_trip() {
        for i in Indicator::ALL {
            assert_eq!(Indicator::from_key(i.key()), Some(i));
            assert_eq!(Indicator::ALL[i.index()], i);
        }
    }

    #[test]
    fn stability_never_tries_all_zero_weights() {
        let scaled = vec![row([Some(100.0); INDICATORS]), row([Some(0.0); INDICATORS])];
        let only_size = Weights([10, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(stability(&scaled, &only_size), [Some((1, 1)), Some((2, 2))]);
    }

    #[test]
    fn order_puts_ties_with_more_data_first_then_by_key() {
        let scaled = vec![
            row([Some(50.0), None, None, None, None, None, None, None, None]),
            row([Some(50.0), None, Some(50.0), None, None, None, None, None, None]),
            row([Some(90.0), None, None, None, None, None, None, None, None]),
            row([None; INDICATORS]),
        ];
        let ranked = rank_all(&scaled, &Weights([50, 0, 50, 0, 0, 0, 0, 0, 0]));
        let names = ["b", "c", "a", "d"];
        let o = order(&ranked, |i| names[i]);
        assert_eq!(o, [2, 1, 0], "unscored markets are left out");
    }

    #[test]
    fn strengths_are_the_largest_strong_contributions() {
        let w = Weights::default();
        let scaled = row([Some(90.0), Some(70.0), Some(95.0), Some(10.0), Some(50.0), None, None, None, None]);
        let s = score(&scaled, &w).unwrap();
        // Size weighs 30 (×90), growth 15 (×95); share (70) is not in the top quarter.
        assert_eq!(strengths(&scaled, &s), [Indicator::Size, Indicator::Growth]);
        let weak = row([Some(10.0); INDICATORS]);
        assert!(strengths(&weak, &score(&weak, &w).unwrap()).is_empty());
    }
}
