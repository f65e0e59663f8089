//! The market finder's question as it lives in the URL, and its answer: which category, which markets,
//! which weights → every market's raw indicator values (with years and sources), scaled values, score,
//! rank and strengths. Shared by the page, the ranking island, the API and the chart image.
//!
//! `?category=Footwear+and+Headwear&weights=growing&region=Europe&exclude=USA&markets=DEU,POL`

use super::score::{Indicator, Weights, INDICATORS};
use crate::i18n::{tf, Lang};
use serde::{Deserialize, Serialize};

/// The category meaning "all goods" in URLs (the sum of the 22 communities).
pub const ALL_GOODS: &str = "all";

/// Most markets a custom list may name, and most characters of any one parameter read.
const MAX_LISTED: usize = 300;
const MAX_PARAM: usize = 2000;

/// What the seller asked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FinderQuery {
    /// A community name as Open Trade Statistics writes it, or [`ALL_GOODS`].
    pub category: String,
    pub weights: Weights,
    /// Only markets in this UN M49 region ("Europe", "Asia", …).
    pub region: Option<String>,
    /// Markets left out (ISO3), e.g. the US after its tariffs.
    pub exclude: Vec<String>,
    /// Only these markets (ISO3), when set.
    pub only: Vec<String>,
}

impl Default for FinderQuery {
    fn default() -> Self {
        FinderQuery {
            category: ALL_GOODS.into(),
            weights: Weights::default(),
            region: None,
            exclude: Vec::new(),
            only: Vec::new(),
        }
    }
}

/// ISO3 codes from a comma-separated list, upper-cased; anything else is an error naming it.
fn codes(list: &str, param: &str, errors: &mut Vec<String>, lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if part.len() == 3 && part.chars().all(|c| c.is_ascii_alphabetic()) {
            let code = part.to_ascii_uppercase();
            if !out.contains(&code) {
                out.push(code);
            }
        } else {
            let value: String = part.chars().take(20).collect();
            errors.push(tf(lang, "finder.not_iso", &[("param", param), ("value", &value)]));
        }
        if out.len() > MAX_LISTED {
            errors.push(tf(lang, "finder.too_many", &[("param", param), ("n", &MAX_LISTED.to_string())]));
            out.truncate(MAX_LISTED);
            break;
        }
    }
    out
}

impl FinderQuery {
    /// Reads the query string. Weights come as `weights=` (a preset or `size:40,…`) or, from the form
    /// without JavaScript, as one `w_<indicator>` field each. What cannot be used is an error a person
    /// can act on; the rest of the question still stands.
    pub fn parse(query: &str) -> (FinderQuery, Vec<String>) {
        Self::parse_in(query, Lang::En)
    }

    /// As `parse`, the errors in `lang` (the page's; the API keeps English).
    pub fn parse_in(query: &str, lang: Lang) -> (FinderQuery, Vec<String>) {
        let mut q = FinderQuery::default();
        let mut errors = Vec::new();
        let mut fields = Weights([0; INDICATORS]);
        let mut has_fields = false;
        // Leptos hands the page its query with the '?'.
        let query = query.strip_prefix('?').unwrap_or(query);
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            if value.len() > MAX_PARAM {
                errors.push(tf(lang, "finder.too_long", &[("key", &key), ("n", &MAX_PARAM.to_string())]));
                continue;
            }
            let value = value.trim();
            match &*key {
                "category" => {
                    q.category = if value.is_empty() { ALL_GOODS.into() } else { value.to_string() }
                }
                "weights" if !value.is_empty() => match Weights::parse(value) {
                    Ok(w) => q.weights = w,
                    Err(e) => errors.push(tf(lang, "finder.weights", &[("error", &e.text(lang))])),
                },
                "region" => q.region = Some(value.to_string()).filter(|r| !r.is_empty()),
                "exclude" => q.exclude = codes(value, "exclude", &mut errors, lang),
                "markets" => q.only = codes(value, "markets", &mut errors, lang),
                k if k.starts_with("w_") => match Indicator::from_key(&k[2..]) {
                    Some(i) => match value.parse::<u8>() {
                        Ok(w) if w <= super::score::MAX_WEIGHT => {
                            has_fields = true;
                            fields = fields.with(i, w);
                        }
                        _ => errors.push(tf(lang, "finder.weight", &[("key", k), ("value", value)])),
                    },
                    None => errors.push(tf(lang, "finder.unknown", &[("key", k)])),
                },
                // The form's buttons and a language choice carry no question.
                "weights" | "go" | "lang" => {}
                other => {
                    let key: String = other.chars().take(40).collect();
                    errors.push(tf(lang, "finder.unknown_use", &[("key", &key)]))
                }
            }
        }
        if has_fields {
            if fields.total() == 0 {
                let e = super::score::WeightsError::AllZero.text(lang);
                errors.push(tf(lang, "finder.weights", &[("error", &e)]));
            } else {
                q.weights = fields;
            }
        }
        (q, errors)
    }

    /// The canonical query string (defaults left out), so each question has one URL.
    pub fn to_query(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if self.category != ALL_GOODS {
            s.append_pair("category", &self.category);
        }
        if self.weights != Weights::default() {
            s.append_pair("weights", &self.weights.to_param());
        }
        if let Some(r) = &self.region {
            s.append_pair("region", r);
        }
        if !self.exclude.is_empty() {
            s.append_pair("exclude", &self.exclude.join(","));
        }
        if !self.only.is_empty() {
            s.append_pair("markets", &self.only.join(","));
        }
        s.finish()
    }

    /// This question at `path` (`/markets`, `/api/v1/markets`, `/embed/markets`, …).
    pub fn href_at(&self, path: &str) -> String {
        match self.to_query() {
            q if q.is_empty() => path.to_string(),
            q => format!("{path}?{q}"),
        }
    }

    pub fn href(&self) -> String {
        self.href_at("/markets")
    }

    pub fn is_all_goods(&self) -> bool {
        self.category == ALL_GOODS
    }
}

/// One sourced or derived number behind an indicator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub value: f64,
    /// The year, or "2013–2018" for a growth rate.
    pub years: String,
    /// Datasets the number comes from.
    pub datasets: Vec<String>,
    /// The series behind it (the explorer shows them).
    pub series: Vec<String>,
    /// Computed here from sourced values (the formula is on the page), not published as such.
    pub derived: bool,
    /// For the tariff: which kind of rate it is and what it does not cover.
    #[serde(default)]
    pub tariff: Option<TariffNote>,
}

/// What kind of rate a market's tariff figure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TariffKind {
    /// US duty on goods from China: collected 2024 plus the modelled 2025 add-on, by HS chapter.
    UsOnChina,
    /// WTO MFN simple average of the category's MTN group.
    ProductGroupMfn,
    /// World Bank, applied simple mean, all products, all partners.
    AllProductsApplied,
    /// World Bank, MFN simple mean, all products.
    AllProductsMfn,
}

impl TariffKind {
    pub fn key(self) -> &'static str {
        match self {
            TariffKind::UsOnChina => "us",
            TariffKind::ProductGroupMfn => "group",
            TariffKind::AllProductsApplied => "applied",
            TariffKind::AllProductsMfn => "mfn",
        }
    }
}

/// How a market's tariff figure was chosen, shown beside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TariffNote {
    pub kind: TariffKind,
    /// The MTN group used ("Q Clothing") for a product-group rate.
    pub group: Option<String>,
    /// The category ↔ group (or chapter) correspondence is approximate.
    pub approximate: bool,
    /// US: collected 2024 % and the modelled add-on in points.
    pub parts: Option<(f64, f64)>,
    /// The newest tariff event for the market after the rate's date: (title, date).
    pub before: Option<(String, String)>,
    /// That event's Chinese title, where the events file gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_zh: Option<String>,
}

/// A market as the finder lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarketRow {
    pub code: String,
    pub name: String,
    pub region: String,
    pub facts: [Option<Fact>; INDICATORS],
    /// 0–100 within the chosen markets (see `score::scale`).
    pub scaled: [Option<f64>; INDICATORS],
    pub rank: usize,
    pub score: f64,
    pub contributions: [Option<f64>; INDICATORS],
    /// Weighted indicators it has / weighted indicators.
    pub have: usize,
    pub weighted: usize,
    /// Best and worst rank when any one weight moves ±10 points.
    pub stability: (usize, usize),
    pub strengths: Vec<Indicator>,
}

/// A market left out of the ranking, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unavailable {
    pub code: String,
    pub name: String,
    /// The indicators it lacks.
    pub missing: Vec<Indicator>,
}

/// A quoted CBEC figure about a market, shown beside the ranking and never scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CbecFact {
    pub market: String,
    pub label: String,
    pub label_zh: String,
    pub value: f64,
    /// The value as published ("≥ 33.3").
    pub shown: String,
    pub unit: String,
    pub period: crate::domain::Period,
    pub series: String,
}

impl CbecFact {
    /// "Label: value (period)" parts in `lang`.
    pub fn parts(&self, lang: crate::i18n::Lang) -> (String, String, String) {
        use crate::i18n::{numbers, Lang};
        let label = if lang == Lang::ZhHans { self.label_zh.clone() } else { self.label.clone() };
        let value = numbers::amount_of(lang, &self.shown, self.value, &self.unit);
        (label, value, numbers::period(lang, &self.period))
    }
}

/// A dated tariff or de minimis event concerning ranked markets (never scored).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarketEvent {
    /// The ranked markets it concerns (names), among the first shown.
    pub markets: Vec<String>,
    /// Their ISO codes, in the same order (for their names in the reader's language).
    #[serde(default)]
    pub codes: Vec<String>,
    pub title: String,
    /// The Chinese title, where the events file gives one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title_zh: String,
    pub date: String,
    pub quote: String,
    pub source_url: String,
    pub publisher: String,
}

/// A dataset as the finder cites it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub link: Option<String>,
    pub licence: String,
}

/// The finder's answer to one question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FinderResult {
    pub query: FinderQuery,
    /// Categories offered: `(name, China's 2018 exports of it to all partners in US$)`, largest first.
    pub categories: Vec<(String, f64)>,
    /// Regions offered (UN M49).
    pub regions: Vec<String>,
    /// In rank order.
    pub rows: Vec<MarketRow>,
    pub unavailable: Vec<Unavailable>,
    pub cbec: Vec<CbecFact>,
    /// Tariff events concerning the first markets of the ranking, newest first.
    #[serde(default)]
    pub events: Vec<MarketEvent>,
    /// China's exports of the category to its ten largest markets (series ids, largest first).
    pub top_destinations: Vec<String>,
    /// The category's largest products in China's 2018 exports: `(name, US$, series id)`.
    pub products: Vec<(String, f64, String)>,
    pub sources: Vec<Source>,
    /// Problems with the question, as messages a person can act on; with any, `rows` may be empty.
    pub errors: Vec<String>,
}

impl FinderResult {
    /// Whether a non-commercial licence applies (Open Trade Statistics is an input of every ranking).
    pub fn non_commercial(&self) -> bool {
        self.sources.iter().any(|s| s.licence.contains("NC"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reads_presets_fields_and_lists_and_round_trips() {
        let (q, e) = FinderQuery::parse("category=Footwear+and+Headwear&weights=growing&exclude=usa,CAN&region=Europe");
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(q.category, "Footwear and Headwear");
        assert_eq!(q.weights, Weights::parse("growing").unwrap());
        assert_eq!(q.exclude, ["USA", "CAN"]);
        assert_eq!(q.region.as_deref(), Some("Europe"));
        let (again, _) = FinderQuery::parse(&q.to_query());
        assert_eq!(again, q);
        let (with_mark, e) = FinderQuery::parse(&format!("?{}", q.to_query()));
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(with_mark, q);
        assert_eq!(FinderQuery::default().href(), "/markets");
    }

    #[test]
    fn form_fields_become_weights() {
        let (q, e) = FinderQuery::parse("w_size=70&w_growth=30&w_share=0&go=1");
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(q.weights.to_param(), "size:70,growth:30");
        let (_, e) = FinderQuery::parse("w_size=0&w_growth=0");
        assert_eq!(e.len(), 1);
        assert!(e[0].contains("every weight is 0"), "{e:?}");
    }

    #[test]
    fn bad_input_is_named_not_fatal() {
        let (q, e) = FinderQuery::parse("weights=size:abc&markets=DEU,Poland,1&w_speed=3&colour=red");
        assert_eq!(q.weights, Weights::default(), "bad weights leave the default");
        assert_eq!(q.only, ["DEU"]);
        assert_eq!(e.len(), 5, "{e:?}");
        assert!(e[0].contains("size:abc"));
        assert!(e[1].contains("'Poland' is not a three-letter"));
        assert!(e[3].contains("w_speed"));
        assert!(e[4].contains("colour"));
    }
}
