//! The tariff a category's goods from China face in a market: which published rate is used, and how it
//! is marked. Pure functions over candidate rates, so the selection rule is tested without a database.
//!
//! The rule, best first: (1) for the United States, the rate on goods *from China* by HS chapter — duty
//! collected in 2024 ÷ imports (MFN and Section 301/232 as collected) plus the Trade War Tracker's modelled
//! 2025 add-on, both summed over the category's chapters with 2024 import weights; (2) the WTO MFN simple
//! average of the category's MTN product group where the market is one of the five the WTO file covers
//! (the EU's rate for its members); (3) the World Bank's applied simple mean over all products; (4) its MFN
//! simple mean. A rate dated before the market's newest tariff event carries "before <event>".
//!
//! Categories map to HS chapters and MTN groups through `data/mappings/categories.csv`, with the reason
//! for each line: an Open Trade Statistics community is an HS section (the names are OEC's section names),
//! so its chapters are exact; MTN groups are defined at HS6, so a group for a section is marked approximate
//! unless the section lies almost wholly in it.

use crate::events::Event;
use serde::{Deserialize, Serialize};

/// One line of the category mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct CategoryMap {
    pub community: String,
    pub chapters: Vec<u8>,
    /// The MTN top-level group (A–V), if one fits.
    pub mtn: Option<String>,
    /// The group holds only part of the section (or more than it).
    pub approximate: bool,
    pub why: String,
}

/// "50-63" → 50..=63; "15" → [15].
fn chapters(range: &str) -> Vec<u8> {
    match range.split_once('-') {
        Some((a, b)) => match (a.trim().parse::<u8>(), b.trim().parse::<u8>()) {
            (Ok(a), Ok(b)) if a <= b => (a..=b).collect(),
            _ => Vec::new(),
        },
        None => range.trim().parse().map(|c| vec![c]).unwrap_or_default(),
    }
}

/// The mapping shipped in `data/mappings/categories.csv` (checked by a test).
pub fn category_map() -> &'static [CategoryMap] {
    static MAP: std::sync::OnceLock<Vec<CategoryMap>> = std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let mut reader = csv::Reader::from_reader(include_str!("../../data/mappings/categories.csv").as_bytes());
        reader
            .records()
            .flatten()
            .map(|r| CategoryMap {
                community: r[0].to_string(),
                chapters: chapters(&r[1]),
                mtn: Some(r[2].trim().to_string()).filter(|m| !m.is_empty()),
                approximate: &r[3] != "close",
                why: r[4].to_string(),
            })
            .collect()
    })
}

pub fn mapping_of(community: &str) -> Option<&'static CategoryMap> {
    category_map().iter().find(|m| m.community == community)
}

pub use super::finder::TariffKind;

/// A published (or computed from published) rate that could stand for a market.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    /// % (for the US: collected % plus model percentage points).
    pub value: f64,
    /// The year the rate is of; for the US model add-on, the model's date.
    pub year: i32,
    /// ISO date the rate holds at (end of its year, or the model's date).
    pub as_of: String,
    pub kind: TariffKind,
    /// The MTN group used ("Q Clothing"), for product-group rates.
    pub group: Option<String>,
    pub approximate: bool,
    /// US only: collected 2024 % and modelled add-on points.
    pub parts: Option<(f64, f64)>,
    pub datasets: Vec<String>,
    pub series: Vec<String>,
}

/// The rate that stands for a market: the US's China-specific rate, else the product group's, else the
/// all-products applied mean, else the all-products MFN mean.
pub fn choose(us: Option<Rate>, group: Option<Rate>, applied: Option<Rate>, mfn: Option<Rate>) -> Option<Rate> {
    us.or(group).or(applied).or(mfn)
}

/// The newest event concerning the market that is dated after the rate: the rate is then "before" it.
pub fn newer_event<'a>(rate: &Rate, events: &[&'a Event]) -> Option<&'a Event> {
    events
        .iter()
        .copied()
        .filter(|e| event_date(e).as_str() > rate.as_of.as_str())
        .max_by(|a, b| event_date(a).cmp(&event_date(b)))
}

/// An event's day (ISO), or the first day of its start period.
fn event_date(e: &Event) -> String {
    e.date.clone().unwrap_or_else(|| {
        let (y, m) = e.start.bounds().0;
        format!("{y:04}-{m:02}-01")
    })
}

/// Import-weighted combination of per-chapter US figures for a set of chapters: (collected %, add-on
/// points), each weighted by the chapter's 2024 imports from China. `None` without imports.
pub fn us_rate(chapters: &[(f64, f64, Option<f64>)]) -> Option<(f64, f64)> {
    // (imports, duty collected, add-on points)
    let imports: f64 = chapters.iter().map(|c| c.0).sum();
    if imports <= 0.0 {
        return None;
    }
    let duty: f64 = chapters.iter().map(|c| c.1).sum();
    let with_addon: f64 = chapters.iter().filter(|c| c.2.is_some()).map(|c| c.0).sum();
    let addon = if with_addon > 0.0 {
        chapters.iter().filter_map(|c| c.2.map(|a| a * c.0)).sum::<f64>() / with_addon
    } else {
        0.0
    };
    Some((100.0 * duty / imports, addon))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Period;

    fn rate(kind: TariffKind, value: f64, as_of: &str) -> Rate {
        Rate {
            value,
            year: as_of[..4].parse().unwrap(),
            as_of: as_of.into(),
            kind,
            group: None,
            approximate: false,
            parts: None,
            datasets: vec![],
            series: vec![],
        }
    }

    fn event(date: &str, title: &str) -> Event {
        Event {
            id: title.into(),
            start: date[..7].parse::<Period>().unwrap(),
            end: None,
            title: title.into(),
            title_zh: String::new(),
            description: String::new(),
            source_title: String::new(),
            source_url: "https://example.org/made-up".into(),
            publisher: "made-up test event".into(),
            quote: String::new(),
            date: Some(date.into()),
            market: Some("USA".into()),
        }
    }

    #[test]
    fn the_mapping_covers_every_community_with_its_reason() {
        let map = category_map();
        assert_eq!(map.len(), 22);
        assert!(map.iter().all(|m| !m.why.is_empty() && !m.chapters.is_empty()));
        let textiles = mapping_of("Textiles").unwrap();
        assert_eq!(textiles.chapters, (50..=63).collect::<Vec<u8>>());
        assert_eq!((textiles.mtn.as_deref(), textiles.approximate), (Some("Q"), true));
        let transport = mapping_of("Transportation").unwrap();
        assert_eq!((transport.mtn.as_deref(), transport.approximate), (Some("U"), false));
        assert_eq!(mapping_of("Foodstuffs").unwrap().mtn, None);
        // Every chapter 01–97 (but 77, unused) belongs to exactly one community.
        for ch in (1..=97u8).filter(|c| *c != 77) {
            assert_eq!(map.iter().filter(|m| m.chapters.contains(&ch)).count(), 1, "chapter {ch}");
        }
    }

    #[test]
    fn product_group_first_then_all_products_applied_then_mfn() {
        let g = rate(TariffKind::ProductGroupMfn, 11.7, "2024-12-31");
        let a = rate(TariffKind::AllProductsApplied, 3.0, "2021-12-31");
        let m = rate(TariffKind::AllProductsMfn, 4.0, "2022-12-31");
        let us = rate(TariffKind::UsOnChina, 40.0, "2025-08-06");
        assert_eq!(choose(None, Some(g.clone()), Some(a.clone()), Some(m.clone())).unwrap().kind, TariffKind::ProductGroupMfn);
        assert_eq!(choose(None, None, Some(a), Some(m.clone())).unwrap().kind, TariffKind::AllProductsApplied);
        assert_eq!(choose(None, None, None, Some(m)).unwrap().kind, TariffKind::AllProductsMfn);
        assert_eq!(choose(Some(us), Some(g), None, None).unwrap().kind, TariffKind::UsOnChina);
        assert_eq!(choose(None, None, None, None), None);
    }

    #[test]
    fn a_rate_older_than_the_newest_event_is_marked_before_it() {
        let e1 = event("2025-05-02", "de minimis ends");
        let e2 = event("2026-02-20", "court strikes down duties");
        let events = [&e1, &e2];
        let old = rate(TariffKind::AllProductsApplied, 3.0, "2021-12-31");
        assert_eq!(newer_event(&old, &events).unwrap().title, "court strikes down duties");
        let model = rate(TariffKind::UsOnChina, 40.0, "2025-08-06");
        assert_eq!(newer_event(&model, &events).unwrap().title, "court strikes down duties");
        let current = rate(TariffKind::UsOnChina, 40.0, "2026-03-01");
        assert_eq!(newer_event(&current, &events), None);
    }

    #[test]
    fn us_rates_are_import_weighted_over_chapters() {
        // Made-up chapters: 100 imports paying 10 duty (+20 points), 300 paying 3 (+40 points).
        let (collected, addon) = us_rate(&[(100.0, 10.0, Some(20.0)), (300.0, 3.0, Some(40.0))]).unwrap();
        assert!((collected - 100.0 * 13.0 / 400.0).abs() < 1e-12);
        assert!((addon - 35.0).abs() < 1e-12);
        assert_eq!(us_rate(&[]), None);
    }
}
