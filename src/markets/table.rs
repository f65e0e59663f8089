//! The finder's table: for every category and market, each indicator's raw value with its years, series
//! and datasets. Built from the store once per data version (about 200 markets × 23 categories × 8
//! numbers), so answering a question reads memory only, whatever the number of stored observations.
//!
//! Which data feeds which indicator (see the method section of `/markets`):
//! - size: the market's imports of the category from the World, 2018 (Open Trade Statistics, yrc2018);
//! - share: China's exports of the category to the market ÷ size, 2018 (both OTS, importer-reported);
//! - growth: China's exports of the category to the market, yearly growth 2013–2018 (OTS);
//! - all_growth: the market's reported imports of all goods from China, yearly growth over the latest
//!   five years to 2024 (UN Comtrade mirror data; 2025 is left out: too few markets have reported it);
//! - income: GDP ÷ population, latest common year (World Bank); internet: latest year (WDI);
//!   logistics: LPI overall score, latest edition (2016); distance: CEPII's weighted distance from China.
//!
//! Mirror (importer-reported) and China-reported figures are never mixed: every trade number here is
//! importer-reported, so share and growth compare like with like.

use super::finder::{CbecFact, Fact, Source, TariffNote, ALL_GOODS};
use super::tariffs::{self, Rate, TariffKind};
use super::score::{Indicator, INDICATORS};
use crate::domain::{Dataset, Observation, Period};
use crate::explore::catalogue::Catalogue;
use crate::store::{Store, StoreError};
use std::collections::{BTreeMap, HashMap, HashSet};

pub const OTS_PARTNERS: &str = "ots-china-partners";
pub const OTS_WORLD: &str = "ots-world-by-community-2018";
pub const MIRROR: &str = "comtrade-mirror-china";
pub const GDP: &str = "wb-gdp";
pub const POPULATION: &str = "wb-population";
pub const INTERNET: &str = "wdi-internet-users";
pub const LPI: &str = "wb-lpi";
pub const DISTANCE: &str = "cepii-distances-china";
pub const PRODUCTS: &str = "ots-china-products-2018";
pub const US_TARIFFS: &str = "us-tariffs-china-hs2";
pub const WTO_MFN: &str = "wto-mfn-product-groups";
pub const WDI_APPLIED: &str = "wdi-tariff-applied-simple";
pub const WDI_MFN: &str = "wdi-tariff-mfn-simple";
/// The date of the Trade War Tracker's chapter model (its file's last change).
const US_MODEL_DATE: &str = "2025-08-06";
/// Markets charted per category in the explorer link (the explorer's limit is 20).
const TOP_DESTINATIONS: usize = 10;
/// Products listed per category in its overview.
const TOP_PRODUCTS: usize = 8;
/// Quoted CBEC figures shown beside the ranking.
const CBEC_DATASETS: [&str; 2] = ["cbec-platform-facts", "seed-facts"];

/// The year market size and share are of (the only year of OTS's by-community imports), and the start
/// of the category growth rate.
pub const SIZE_YEAR: i32 = 2018;
pub const GROWTH_FROM: i32 = 2013;
/// Mirror data: the latest year used, and the span of the growth rate.
const MIRROR_LAST: i32 = 2024;
const MIRROR_SPAN: i32 = 5;

#[derive(Clone, Debug, PartialEq)]
pub struct Market {
    pub code: String,
    pub name: String,
    pub region: String,
}

type Row = [Option<Fact>; INDICATORS];

#[derive(Debug, Default)]
pub struct MarketTable {
    pub version: String,
    /// Communities with China's 2018 exports to all partners (US$), largest first.
    pub categories: Vec<(String, f64)>,
    pub markets: Vec<Market>,
    /// Category (or [`ALL_GOODS`]) → a row per market, in `markets` order.
    facts: HashMap<String, Vec<Row>>,
    pub cbec: Vec<CbecFact>,
    pub sources: BTreeMap<String, Source>,
    /// Per category (and all goods): the series of China's exports to its largest markets in 2018,
    /// largest first — the explorer shows them over time.
    pub top_destinations: HashMap<String, Vec<String>>,
    /// Per category: China's largest exports in it, 2018 — `(product, US$, series id)`.
    pub products: HashMap<String, Vec<(String, f64, String)>>,
}

impl MarketTable {
    pub fn rows(&self, category: &str) -> Option<&Vec<Row>> {
        self.facts.get(category)
    }

    pub fn regions(&self) -> Vec<String> {
        let mut r: Vec<String> = self
            .markets
            .iter()
            .map(|m| m.region.clone())
            .filter(|r| !r.is_empty())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        r.sort();
        r
    }

    /// Reads what the finder needs: a handful of queries, each over one indicator of one dataset.
    pub async fn build(store: &Store, catalogue: &Catalogue) -> Result<MarketTable, StoreError> {
        let year = |y: i32| Some(Period::Year(y));
        let by_id: HashMap<&str, &crate::domain::Series> =
            catalogue.series.iter().map(|s| (s.id.as_str(), s)).collect();
        let annual = |obs: Vec<Observation>| -> Vec<(String, i32, f64)> {
            obs.into_iter()
                .filter_map(|o| match o.period {
                    Period::Year(y) => Some((o.series_id, y, o.value)),
                    _ => None,
                })
                .collect()
        };

        // Market size per (market, category), 2018; the markets are the economies that report it.
        let mut table = MarketTable {
            version: catalogue.version.clone(),
            ..Default::default()
        };
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut size: HashMap<(usize, String), (f64, String)> = HashMap::new();
        for (id, y, v) in annual(
            store
                .indicator_observations(OTS_WORLD, "ots_world_imports", year(SIZE_YEAR), year(SIZE_YEAR))
                .await?,
        ) {
            let Some(s) = by_id.get(id.as_str()) else { continue };
            if s.destination_kind != "economy" || s.destination_code == "CHN" || y != SIZE_YEAR {
                continue;
            }
            let m = *index.entry(s.destination_code.clone()).or_insert_with(|| {
                table.markets.push(Market {
                    code: s.destination_code.clone(),
                    name: crate::geo::name_of(&s.destination_code)
                        .map(str::to_string)
                        .unwrap_or_else(|| s.destination.clone()),
                    region: crate::geo::region_of(&s.destination_code).unwrap_or_default().to_string(),
                });
                table.markets.len() - 1
            });
            size.insert((m, s.category.clone()), (v, id));
        }

        // China's exports per (market, category) and year, 2013–2018 (OTS, importer-reported).
        let mut exports: HashMap<(usize, String), BTreeMap<i32, (f64, String)>> = HashMap::new();
        let mut by_category: HashMap<String, f64> = HashMap::new();
        let mut destinations: HashMap<String, Vec<(f64, String)>> = HashMap::new();
        for (id, y, v) in annual(
            store
                .indicator_observations(OTS_PARTNERS, "ots_exports", year(GROWTH_FROM), year(SIZE_YEAR))
                .await?,
        ) {
            let Some(s) = by_id.get(id.as_str()) else { continue };
            if s.origin_code != "CHN" || s.destination_code == "CHN" {
                continue;
            }
            if y == SIZE_YEAR {
                *by_category.entry(s.category.clone()).or_default() += v;
                destinations.entry(s.category.clone()).or_default().push((v, id.clone()));
            }
            if let Some(&m) = index.get(&s.destination_code) {
                exports.entry((m, s.category.clone())).or_default().insert(y, (v, id));
            }
        }
        for (category, mut list) in destinations {
            list.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let top = list.into_iter().take(TOP_DESTINATIONS).map(|(_, id)| id).collect();
            table.top_destinations.insert(category, top);
        }
        table.categories = by_category.into_iter().collect();
        table.categories.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));

        // Indicators that do not depend on the category, per market.
        let n = table.markets.len();
        let mut common: Vec<Row> = vec![Default::default(); n];
        let latest = |obs: Vec<(String, i32, f64)>, code_of: &dyn Fn(&str) -> Option<String>| {
            let mut out: HashMap<String, (i32, f64, String)> = HashMap::new();
            for (id, y, v) in obs {
                let Some(code) = code_of(&id) else { continue };
                if out.get(&code).is_none_or(|(ly, _, _)| y > *ly) {
                    out.insert(code, (y, v, id));
                }
            }
            out
        };
        let origin = |id: &str| by_id.get(id).map(|s| s.origin_code.clone()).filter(|c| !c.is_empty());
        let destination_from_china = |id: &str| {
            by_id
                .get(id)
                .filter(|s| s.origin_code == "CHN")
                .map(|s| s.destination_code.clone())
                .filter(|c| !c.is_empty())
        };
        let sourced = |value: f64, y: i32, dataset: &str, id: String| Fact {
            value,
            years: y.to_string(),
            datasets: vec![dataset.to_string()],
            series: vec![id],
            derived: false,
            tariff: None,
        };
        let internet = latest(annual(store.indicator_observations(INTERNET, "IT.NET.USER.ZS", None, None).await?), &origin);
        let lpi = latest(annual(store.indicator_observations(LPI, "lpi_score", None, None).await?), &origin);
        let distance = latest(
            annual(store.indicator_observations(DISTANCE, "cepii_distw", None, None).await?),
            &destination_from_china,
        );
        // GDP per person: both in the same year, the latest such year.
        let mut gdp: HashMap<String, BTreeMap<i32, (f64, String)>> = HashMap::new();
        for (id, y, v) in annual(store.indicator_observations(GDP, "NY.GDP.MKTP.CD", None, None).await?) {
            if let Some(c) = origin(&id) {
                gdp.entry(c).or_default().insert(y, (v, id));
            }
        }
        let mut population: HashMap<String, BTreeMap<i32, (f64, String)>> = HashMap::new();
        for (id, y, v) in annual(store.indicator_observations(POPULATION, "SP.POP.TOTL", None, None).await?) {
            if let Some(c) = origin(&id) {
                population.entry(c).or_default().insert(y, (v, id));
            }
        }
        // The market's reported imports of all goods from China (mirror), growth over five years.
        let mut mirror: HashMap<String, BTreeMap<i32, (f64, String)>> = HashMap::new();
        for (id, y, v) in annual(store.indicator_observations(MIRROR, "reported_imports", None, year(MIRROR_LAST)).await?) {
            if let Some(c) = destination_from_china(&id) {
                mirror.entry(c).or_default().insert(y, (v, id));
            }
        }
        for (m, market) in table.markets.iter().enumerate() {
            let row = &mut common[m];
            if let Some((y, v, id)) = internet.get(&market.code) {
                row[Indicator::Internet.index()] = Some(sourced(*v, *y, INTERNET, id.clone()));
            }
            if let Some((y, v, id)) = lpi.get(&market.code) {
                row[Indicator::Logistics.index()] = Some(sourced(*v, *y, LPI, id.clone()));
            }
            if let Some((y, v, id)) = distance.get(&market.code) {
                row[Indicator::Distance.index()] = Some(sourced(*v, *y, DISTANCE, id.clone()));
            }
            if let (Some(g), Some(p)) = (gdp.get(&market.code), population.get(&market.code)) {
                if let Some((y, (gv, gid), (pv, pid))) =
                    g.iter().rev().find_map(|(y, gv)| p.get(y).filter(|p| p.0 > 0.0).map(|pv| (*y, gv, pv)))
                {
                    row[Indicator::Income.index()] = Some(Fact {
                        value: gv / pv,
                        years: y.to_string(),
                        datasets: vec![GDP.into(), POPULATION.into()],
                        series: vec![gid.clone(), pid.clone()],
                        derived: true,
                        tariff: None,
                    });
                }
            }
            if let Some(years) = mirror.get(&market.code) {
                if let Some((&last, (lv, id))) = years.iter().next_back() {
                    if let Some((fv, _)) = years.get(&(last - MIRROR_SPAN)) {
                        if let Some(g) = cagr(*fv, *lv, MIRROR_SPAN) {
                            row[Indicator::AllGrowth.index()] = Some(Fact {
                                value: g,
                                years: format!("{}–{last}", last - MIRROR_SPAN),
                                datasets: vec![MIRROR.into()],
                                series: vec![id.clone()],
                                derived: true,
                                tariff: None,
                            });
                        }
                    }
                }
            }
        }

        // Tariff candidates (see `tariffs`): WTO MFN by (market, MTN group), World Bank means by market,
        // US duties on goods from China by HS chapter.
        let destination = |id: &str| by_id.get(id).map(|s| s.destination_code.clone()).filter(|c| !c.is_empty());
        let mut wto: HashMap<(String, String), (i32, f64, String, String)> = HashMap::new();
        for (id, y, v) in annual(store.indicator_observations(WTO_MFN, "wto_mfn_simple_average", None, None).await?) {
            let Some(s) = by_id.get(id.as_str()) else { continue };
            // "MTN Q Clothing": top-level groups have one letter.
            let mut words = s.category.splitn(3, ' ');
            let (Some(_), Some(group), label) = (words.next(), words.next(), words.next()) else { continue };
            if group.len() != 1 {
                continue;
            }
            let key = (s.destination_code.clone(), group.to_string());
            if wto.get(&key).is_none_or(|(ly, ..)| y > *ly) {
                wto.insert(key, (y, v, id.clone(), format!("{group} {}", label.unwrap_or(""))));
            }
        }
        let applied = latest(annual(store.indicator_observations(WDI_APPLIED, "TM.TAX.MRCH.SM.AR.ZS", None, None).await?), &destination);
        let mfn = latest(annual(store.indicator_observations(WDI_MFN, "TM.TAX.MRCH.SM.FN.ZS", None, None).await?), &destination);
        // Chapter → (imports, duty, add-on points, series ids).
        let mut us: BTreeMap<u8, (f64, f64, Option<f64>, Vec<String>)> = BTreeMap::new();
        for indicator in ["us_imports", "us_duty_collected", "us_tariff_added_2025_model"] {
            for (id, _, v) in annual(store.indicator_observations(US_TARIFFS, indicator, None, None).await?) {
                let Some(s) = by_id.get(id.as_str()).filter(|s| s.origin_code == "CHN") else { continue };
                let Some(ch) = s.category.strip_prefix("HS ").and_then(|c| c.parse::<u8>().ok()) else { continue };
                let entry = us.entry(ch).or_insert((0.0, 0.0, None, Vec::new()));
                match indicator {
                    "us_imports" => entry.0 = v,
                    "us_duty_collected" => entry.1 = v,
                    _ => entry.2 = Some(v),
                }
                entry.3.push(id);
            }
        }
        let tariff_of = |code: &str, category: &str| -> Option<Fact> {
            let mapping = (category != ALL_GOODS).then(|| tariffs::mapping_of(category)).flatten();
            let us_rate = (code == "USA").then(|| {
                let wanted: Vec<&(f64, f64, Option<f64>, Vec<String>)> = us
                    .iter()
                    .filter(|(ch, _)| mapping.is_none_or(|m| m.chapters.contains(ch)))
                    .map(|(_, v)| v)
                    .collect();
                let (collected, addon) =
                    tariffs::us_rate(&wanted.iter().map(|c| (c.0, c.1, c.2)).collect::<Vec<_>>())?;
                Some(Rate {
                    value: collected + addon,
                    year: 2025,
                    as_of: US_MODEL_DATE.into(),
                    kind: TariffKind::UsOnChina,
                    group: None,
                    approximate: false,
                    parts: Some((collected, addon)),
                    datasets: vec![US_TARIFFS.into()],
                    series: wanted.iter().flat_map(|c| c.3.iter().cloned()).collect(),
                })
            });
            let wto_code = if crate::events::EU_MEMBERS.contains(&code) { "EUU" } else { code };
            let group = mapping.and_then(|m| {
                let g = m.mtn.as_ref()?;
                let (y, v, id, label) = wto.get(&(wto_code.to_string(), g.clone()))?;
                Some(Rate {
                    value: *v,
                    year: *y,
                    as_of: format!("{y}-12-31"),
                    kind: TariffKind::ProductGroupMfn,
                    group: Some(label.clone()),
                    approximate: m.approximate,
                    parts: None,
                    datasets: vec![WTO_MFN.into()],
                    series: vec![id.clone()],
                })
            });
            let all_products = |map: &HashMap<String, (i32, f64, String)>, kind, dataset: &str| {
                map.get(code).map(|(y, v, id)| Rate {
                    value: *v,
                    year: *y,
                    as_of: format!("{y}-12-31"),
                    kind,
                    group: None,
                    approximate: false,
                    parts: None,
                    datasets: vec![dataset.to_string()],
                    series: vec![id.clone()],
                })
            };
            let chosen = tariffs::choose(
                us_rate.flatten(),
                group,
                all_products(&applied, TariffKind::AllProductsApplied, WDI_APPLIED),
                all_products(&mfn, TariffKind::AllProductsMfn, WDI_MFN),
            )?;
            let newer = tariffs::newer_event(&chosen, &crate::events::for_market(code));
            let before = newer.map(|e| (e.title.clone(), e.dates()));
            let before_zh = newer.map(|e| e.title_zh.clone()).filter(|t| !t.is_empty());
            Some(Fact {
                value: chosen.value,
                years: match chosen.kind {
                    TariffKind::UsOnChina => format!("2024 + {US_MODEL_DATE}"),
                    _ => chosen.year.to_string(),
                },
                derived: chosen.kind == TariffKind::UsOnChina,
                datasets: chosen.datasets.clone(),
                series: chosen.series.clone(),
                tariff: Some(TariffNote {
                    kind: chosen.kind,
                    group: chosen.group.clone(),
                    approximate: chosen.approximate,
                    parts: chosen.parts,
                    before,
                    before_zh,
                }),
            })
        };

        // Per category: size, share and growth, then the common indicators.
        let categories: Vec<String> = table.categories.iter().map(|c| c.0.clone()).collect();
        for category in categories.iter().map(String::as_str).chain([ALL_GOODS]) {
            let mut rows = common.clone();
            for (m, row) in rows.iter_mut().enumerate() {
                let parts: Vec<&String> = if category == ALL_GOODS {
                    categories.iter().collect()
                } else {
                    vec![categories.iter().find(|c| *c == category).expect("listed")]
                };
                // Size: one series, or the sum of the communities the market reports (derived).
                let found: Vec<&(f64, String)> =
                    parts.iter().filter_map(|c| size.get(&(m, (*c).clone()))).collect();
                if found.is_empty() {
                    continue;
                }
                let total: f64 = found.iter().map(|f| f.0).sum();
                row[Indicator::Size.index()] = Some(Fact {
                    value: total,
                    years: SIZE_YEAR.to_string(),
                    datasets: vec![OTS_WORLD.into()],
                    series: found.iter().map(|f| f.1.clone()).collect(),
                    derived: found.len() > 1,
                    tariff: None,
                });
                let at = |y: i32| -> Option<(f64, Vec<String>)> {
                    let hits: Vec<&(f64, String)> = parts
                        .iter()
                        .filter_map(|c| exports.get(&(m, (*c).clone())).and_then(|e| e.get(&y)))
                        .collect();
                    (!hits.is_empty())
                        .then(|| (hits.iter().map(|h| h.0).sum(), hits.iter().map(|h| h.1.clone()).collect()))
                };
                if let Some((v, ids)) = at(SIZE_YEAR) {
                    if total > 0.0 {
                        let mut series = ids.clone();
                        series.extend(found.iter().map(|f| f.1.clone()));
                        row[Indicator::Share.index()] = Some(Fact {
                            value: 100.0 * v / total,
                            years: SIZE_YEAR.to_string(),
                            datasets: vec![OTS_PARTNERS.into(), OTS_WORLD.into()],
                            series,
                            derived: true,
                            tariff: None,
                        });
                    }
                    if let Some((first, _)) = at(GROWTH_FROM) {
                        if let Some(g) = cagr(first, v, SIZE_YEAR - GROWTH_FROM) {
                            row[Indicator::Growth.index()] = Some(Fact {
                                value: g,
                                years: format!("{GROWTH_FROM}–{SIZE_YEAR}"),
                                datasets: vec![OTS_PARTNERS.into()],
                                series: ids,
                                derived: true,
                                tariff: None,
                            });
                        }
                    }
                }
            }
            for (m, row) in rows.iter_mut().enumerate() {
                row[Indicator::Tariff.index()] = tariff_of(&table.markets[m].code, category);
            }
            table.facts.insert(category.to_string(), rows);
        }

        // What each category holds: its largest products in China's 2018 exports.
        for (id, _, v) in annual(
            store
                .indicator_observations(PRODUCTS, "ots_product_exports", year(SIZE_YEAR), year(SIZE_YEAR))
                .await?,
        ) {
            let Some(s) = by_id.get(id.as_str()) else { continue };
            if let Some((community, product)) = s.category.split_once(" › ") {
                table.products.entry(community.to_string()).or_default().push((product.to_string(), v, id));
            }
        }
        for list in table.products.values_mut() {
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(TOP_PRODUCTS);
        }

        // Quoted CBEC figures about these markets.
        let codes: HashSet<&str> = table.markets.iter().map(|m| m.code.as_str()).collect();
        for s in &catalogue.series {
            if CBEC_DATASETS.contains(&s.dataset_id.as_str()) && codes.contains(s.destination_code.as_str()) {
                if let Some(o) = catalogue.latest(&s.id) {
                    table.cbec.push(CbecFact {
                        market: s.destination_code.clone(),
                        label: s.label(),
                        label_zh: catalogue.summary(s, crate::i18n::Lang::ZhHans).label,
                        value: o.value,
                        shown: o.display_value(),
                        unit: s.unit.clone(),
                        period: o.period,
                        series: s.id.clone(),
                    });
                }
            }
        }

        for id in [OTS_PARTNERS, OTS_WORLD, PRODUCTS, MIRROR, GDP, POPULATION, INTERNET, LPI, DISTANCE, US_TARIFFS, WTO_MFN, WDI_APPLIED, WDI_MFN]
            .into_iter()
            .chain(CBEC_DATASETS)
        {
            if let Some(d) = catalogue.dataset(id) {
                table.sources.insert(id.to_string(), source_of(d));
            }
        }
        Ok(table)
    }
}

fn source_of(d: &Dataset) -> Source {
    Source {
        id: d.id.clone(),
        title: d.title.clone(),
        publisher: d.publisher.clone(),
        link: d.source_url.clone().filter(|u| crate::strings::safe_link(u).is_some()),
        licence: d.licence.clone(),
    }
}

/// Compound yearly growth in % from `first` to `last` over `years`; none unless both are positive.
pub fn cagr(first: f64, last: f64, years: i32) -> Option<f64> {
    (first > 0.0 && last > 0.0 && years > 0).then(|| 100.0 * ((last / first).powf(1.0 / years as f64) - 1.0))
}

#[cfg(test)]
mod tests {
    use super::cagr;

    #[test]
    fn cagr_needs_two_positive_ends() {
        let g = cagr(100.0, 200.0, 5).unwrap();
        assert!((g - 14.869835499703509).abs() < 1e-9, "{g}");
        assert_eq!(cagr(0.0, 200.0, 5), None);
        assert_eq!(cagr(100.0, -1.0, 5), None);
        assert!((cagr(200.0, 100.0, 1).unwrap() + 50.0).abs() < 1e-12);
    }
}

#[cfg(test)]
impl MarketTable {
    /// A table of one category from rows given directly (made-up data in tests).
    pub fn for_tests(markets: Vec<Market>, category: &str, rows: Vec<Row>) -> MarketTable {
        MarketTable {
            version: "test".into(),
            categories: vec![(category.to_string(), 0.0)],
            markets,
            facts: HashMap::from([(category.to_string(), rows)]),
            ..Default::default()
        }
    }
}
