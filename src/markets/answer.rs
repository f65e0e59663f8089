//! Answering one question from the table: the market set, scaling within it, scores, ranks, stability,
//! strengths and the markets left out for want of data. Memory only; a few hundred markets.

use super::finder::{FinderQuery, FinderResult, MarketEvent, MarketRow, Unavailable, ALL_GOODS};

/// Markets at the top of the ranking whose tariff events are listed.
const EVENT_MARKETS: usize = 10;
use super::score::{order, rank_all, scale_all, stability, strengths, Indicator, INDICATORS};
use super::table::MarketTable;
use crate::i18n::{t, tf, Lang};

impl MarketTable {
    /// The ranking for `q`. `errors` are the query's own problems (from parsing); problems found here
    /// (unknown category, region or market, an empty set) are added, and leave the ranking empty.
    pub fn answer(&self, q: &FinderQuery, errors: Vec<String>) -> FinderResult {
        self.answer_in(q, errors, Lang::En)
    }

    /// As `answer`, its errors in `lang`.
    pub fn answer_in(&self, q: &FinderQuery, mut errors: Vec<String>, lang: Lang) -> FinderResult {
        let mut result = FinderResult {
            query: q.clone(),
            categories: self.categories.clone(),
            regions: self.regions(),
            rows: Vec::new(),
            unavailable: Vec::new(),
            cbec: Vec::new(),
            events: Vec::new(),
            products: self.products.get(&q.category).cloned().unwrap_or_default(),
            top_destinations: self.top_destinations.get(&q.category).cloned().unwrap_or_default(),
            sources: self.sources.values().cloned().collect(),
            errors: Vec::new(),
        };
        let Some(rows) = self.rows(&q.category) else {
            let known: Vec<&str> = self.categories.iter().map(|c| c.0.as_str()).collect();
            errors.push(if known.is_empty() {
                t(lang, "finder.no_categories").to_string()
            } else {
                let category: String = q.category.chars().take(60).collect();
                let known = named_values(lang, &known, |c| crate::i18n::category(lang, c));
                tf(lang, "finder.unknown_category", &[("category", &category), ("all", ALL_GOODS), ("known", &known)])
            });
            result.errors = errors;
            return result;
        };
        let regions = self.regions();
        if let Some(r) = &q.region {
            if !regions.contains(r) {
                let region: String = r.chars().take(40).collect();
                let names: Vec<&str> = regions.iter().map(String::as_str).collect();
                let known = named_values(lang, &names, |r| t(lang, &format!("region.{}", r.to_lowercase())).to_string());
                errors.push(tf(lang, "finder.unknown_region", &[("region", &region), ("known", &known)]));
            }
        }
        for code in q.only.iter().chain(&q.exclude) {
            if !self.markets.iter().any(|m| &m.code == code) {
                errors.push(tf(lang, "finder.no_market", &[("code", code)]));
            }
        }
        if !errors.is_empty() {
            result.errors = errors;
            return result;
        }

        // The chosen set; those without the category's market size cannot be scored.
        let mut chosen: Vec<usize> = Vec::new();
        for (m, market) in self.markets.iter().enumerate() {
            let wanted = q.region.as_ref().is_none_or(|r| &market.region == r)
                && !q.exclude.contains(&market.code)
                && (q.only.is_empty() || q.only.contains(&market.code));
            if !wanted {
                continue;
            }
            if rows[m][Indicator::Size.index()].is_some() {
                chosen.push(m);
            } else {
                result.unavailable.push(Unavailable {
                    code: market.code.clone(),
                    name: market.name.clone(),
                    missing: Indicator::ALL
                        .into_iter()
                        .filter(|i| rows[m][i.index()].is_none())
                        .collect(),
                });
            }
        }
        if chosen.is_empty() {
            result.errors.push(t(lang, "finder.none_left").to_string());
            return result;
        }

        let raw: Vec<[Option<f64>; INDICATORS]> = chosen
            .iter()
            .map(|&m| std::array::from_fn(|i| rows[m][i].as_ref().map(|f| f.value)))
            .collect();
        let scaled = scale_all(&raw);
        let ranked = rank_all(&scaled, &q.weights);
        let stable = stability(&scaled, &q.weights);
        let names: Vec<&str> = chosen.iter().map(|&m| self.markets[m].name.as_str()).collect();
        for i in order(&ranked, |i| names[i]) {
            let m = chosen[i];
            let (Some(scored), Some(rank)) = (ranked[i].0.clone(), ranked[i].1) else {
                continue;
            };
            result.rows.push(MarketRow {
                code: self.markets[m].code.clone(),
                name: self.markets[m].name.clone(),
                region: self.markets[m].region.clone(),
                facts: rows[m].clone(),
                scaled: scaled[i],
                rank,
                score: scored.score,
                contributions: scored.contributions,
                have: scored.have,
                weighted: scored.weighted,
                stability: stable[i].unwrap_or((rank, rank)),
                strengths: strengths(&scaled[i], &scored),
            });
        }
        // What changed for the markets a seller looks at first (the first ten), newest first.
        for row in result.rows.iter().take(EVENT_MARKETS) {
            for e in crate::events::for_market(&row.code) {
                match result.events.iter_mut().find(|m| m.title == e.title && m.date == e.dates()) {
                    Some(known) => {
                        known.markets.push(row.name.clone());
                        known.codes.push(row.code.clone());
                    }
                    None => result.events.push(MarketEvent {
                        markets: vec![row.name.clone()],
                        codes: vec![row.code.clone()],
                        title: e.title.clone(),
                        title_zh: e.title_zh.clone(),
                        date: e.dates(),
                        quote: e.quote.clone(),
                        source_url: e.source_url.clone(),
                        publisher: e.publisher.clone(),
                    }),
                }
            }
        }
        result.events.sort_by(|a, b| b.date.cmp(&a.date));
        let ranked_codes: Vec<&str> = result.rows.iter().map(|r| r.code.as_str()).collect();
        result.cbec = self
            .cbec
            .iter()
            .filter(|c| ranked_codes.contains(&c.market.as_str()))
            .cloned()
            .collect();
        result
    }
}

/// The values a parameter takes, for an error: as typed in English ("Africa, Asia"); in Chinese with
/// the name first and the value to type after it ("非洲（`Africa`）、亚洲（`Asia`）").
fn named_values(lang: Lang, values: &[&str], name: impl Fn(&str) -> String) -> String {
    match lang {
        Lang::En => values.join(", "),
        Lang::ZhHans => values.iter().map(|v| format!("{}（`{v}`）", name(v))).collect::<Vec<_>>().join("、"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::finder::{Fact, FinderQuery};
    use super::super::score::{Indicator, Weights, INDICATORS};
    use super::super::table::{Market, MarketTable};

    fn fact(v: f64) -> Option<Fact> {
        Some(Fact { value: v, years: "2018".into(), datasets: vec!["made-up".into()], series: vec![], derived: false, tariff: None })
    }

    /// Made-up markets for tests only: A is big and slow, B small and fast, C has no size, D lacks growth.
    pub fn made_up_table() -> MarketTable {
        let market = |code: &str, region: &str| Market { code: code.into(), name: format!("Market {code}"), region: region.into() };
        let mut rows: Vec<[Option<Fact>; INDICATORS]> = vec![Default::default(); 4];
        rows[0][Indicator::Size.index()] = fact(900.0);
        rows[0][Indicator::Growth.index()] = fact(1.0);
        rows[1][Indicator::Size.index()] = fact(100.0);
        rows[1][Indicator::Growth.index()] = fact(30.0);
        rows[2][Indicator::Growth.index()] = fact(50.0);
        rows[3][Indicator::Size.index()] = fact(500.0);
        MarketTable::for_tests(
            vec![market("AAA", "Europe"), market("BBB", "Asia"), market("CCC", "Asia"), market("DDD", "Europe")],
            "Toys",
            rows,
        )
    }

    #[test]
    fn weights_change_the_order_and_gaps_are_marked() {
        let t = made_up_table();
        let q = |w: &str| FinderQuery { category: "Toys".into(), weights: Weights::parse(w).unwrap(), ..Default::default() };
        let by_size = t.answer(&q("size:80,growth:20"), vec![]);
        let order: Vec<&str> = by_size.rows.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(order, ["AAA", "DDD", "BBB"]);
        let by_growth = t.answer(&q("size:20,growth:80"), vec![]);
        let order: Vec<&str> = by_growth.rows.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(order, ["BBB", "DDD", "AAA"], "D is scored on size alone: 50 of 100");
        let d = by_growth.rows.iter().find(|r| r.code == "DDD").unwrap();
        assert_eq!((d.have, d.weighted), (1, 2));
        // C has no market size: not ranked, listed with what it lacks.
        assert_eq!(by_size.unavailable.len(), 1);
        assert_eq!(by_size.unavailable[0].code, "CCC");
        assert!(by_size.unavailable[0].missing.contains(&Indicator::Size));
    }

    #[test]
    fn sets_and_bad_questions() {
        let t = made_up_table();
        let europe = t.answer(&FinderQuery { category: "Toys".into(), region: Some("Europe".into()), ..Default::default() }, vec![]);
        assert_eq!(europe.rows.len(), 2);
        let no_a = t.answer(&FinderQuery { category: "Toys".into(), exclude: vec!["AAA".into()], ..Default::default() }, vec![]);
        assert!(no_a.rows.iter().all(|r| r.code != "AAA"));
        assert_eq!(no_a.rows[0].rank, 1);
        let unknown = t.answer(&FinderQuery { category: "Spaceships".into(), ..Default::default() }, vec![]);
        assert!(unknown.rows.is_empty());
        assert!(unknown.errors[0].contains("unknown category 'Spaceships'"), "{:?}", unknown.errors);
        assert!(unknown.errors[0].contains("Toys"));
        let empty = t.answer(&FinderQuery { category: "Toys".into(), only: vec!["CCC".into()], ..Default::default() }, vec![]);
        assert!(empty.rows.is_empty());
        assert!(empty.errors[0].contains("no market is left"), "{:?}", empty.errors);
        let bad = t.answer(&FinderQuery { category: "Toys".into(), region: Some("Atlantis".into()), exclude: vec!["ZZZ".into()], ..Default::default() }, vec![]);
        assert_eq!(bad.errors.len(), 2, "{:?}", bad.errors);
        // Parse errors are passed through and stop the ranking.
        let parsed = t.answer(&FinderQuery { category: "Toys".into(), ..Default::default() }, vec!["weights: nope".into()]);
        assert!(parsed.rows.is_empty());
        assert_eq!(parsed.errors, ["weights: nope"]);
    }
}
