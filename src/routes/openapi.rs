//! The API's OpenAPI 3 description and its routes, from one list: every `/api/v1/…` handler of
//! `api.rs` is registered here through its own `#[utoipa::path]` annotation (utoipa-axum), so a route
//! cannot be served without being described, nor described at another path than it is served. The
//! market finder's routes (`markets.rs`, registered there) are described by their annotations too;
//! `tests/api.rs` checks that every `/api/v1/` route in the sources is in the description and answers.
//!
//! - `GET /api/v1/openapi.json` — the description.
//!
//! Streamed answers (observations) and the finder's JSON are built as text or `json!`, so their
//! shapes are written down here as schemas; the tests compare real answers with them.

use super::api;
use super::AppState;
use crate::pages::api_docs::{ApiDocs, Endpoint, Param};
use axum::{Json, Router};
use std::collections::BTreeMap;
use crate::store::StoreError;
use axum::body::Body;
use axum::http::{header, Request};
use std::sync::{Mutex, OnceLock};
use tower::ServiceExt;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{OpenApi as Description, RefOr, Required};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tradewinds API",
        version = "1",
        description = "China's cross-border e-commerce trade data with the source of every number. \
            Read-only; every answer is JSON unless CSV is asked for. Errors are `{\"error\": \"…\"}` \
            (the market finder's: `{\"errors\": [\"…\"]}`) with status 400 for a request that cannot \
            be answered as asked and 404 for an unknown resource. Open Trade Statistics data is \
            CC BY-NC 4.0 (non-commercial use only); each dataset carries its licence, and so does \
            every CSV row. Human documentation: /api.",
        license(name = "Each dataset's own licence (see `licence`)")
    ),
    paths(super::markets::api_json, super::markets::api_csv),
    tags(
        (name = "datasets", description = "Who published what, under which licence"),
        (name = "series", description = "Find series by dimension or text"),
        (name = "observations", description = "The figures, with flags, quotes and sources"),
        (name = "markets", description = "The market finder's ranking"),
        (name = "description", description = "This description"),
    )
)]
struct ApiDoc;

/// The routes and their description, from the handlers' annotations.
fn described() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(api::datasets))
        .routes(routes!(api::dataset))
        .routes(routes!(api::series))
        .routes(routes!(api::observations))
        .routes(routes!(api::dataset_observations))
        .routes(routes!(openapi_json))
}

/// The `/api/v1/…` routes of `api.rs` and `/api/v1/openapi.json`.
pub fn router() -> Router<AppState> {
    described().split_for_parts().0
}

/// The whole description, built once.
pub fn description() -> &'static Description {
    static DESCRIPTION: OnceLock<Description> = OnceLock::new();
    DESCRIPTION.get_or_init(|| described().into_openapi())
}

/// This API's OpenAPI description
///
/// OpenAPI 3, generated from the handlers themselves.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "description",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json")))]
async fn openapi_json() -> Json<&'static Description> {
    Json(description())
}

/// A dataset as observations carry it.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DatasetRecord {
    id: String,
    title: String,
    publisher: String,
    source_url: Option<String>,
    licence: String,
    retrieved: Option<String>,
    notes: String,
}

/// How a figure was stated by its source.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FlagsRecord {
    /// "more than", "exceeded": the true value is at least this.
    lower_bound: bool,
    /// "about", "around", "circa".
    approximate: bool,
    /// Preliminary, later revised, or a projection rather than an outcome.
    provisional: bool,
}

/// One value for one period.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ObservationRecord {
    series_id: String,
    /// As published: `2024`, `2024-H1`, `2024-Q3`, `2025-02`, `2024-01/2024-08`.
    period: String,
    value: f64,
    /// Upper end where the source gave a range; `value` is then the lower end.
    value_high: Option<f64>,
    flags: FlagsRecord,
    /// The sentence the figure was quoted from, where there is one.
    quote: Option<String>,
    caveat: Option<String>,
    /// A per-figure source that overrides the dataset's link.
    source_url: Option<String>,
    /// Who the figure is attributed to, as the source says.
    attributed_to: Option<String>,
}

/// A series with its dataset and observations.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SeriesObservations {
    id: String,
    dataset_id: String,
    indicator: String,
    origin: String,
    destination: String,
    platform: String,
    category: String,
    unit: String,
    origin_code: String,
    origin_kind: String,
    destination_code: String,
    destination_kind: String,
    notes: String,
    dataset: DatasetRecord,
    observations: Vec<ObservationRecord>,
}

/// Observations, series by series.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ObservationsBody {
    series: Vec<SeriesObservations>,
}

/// The market finder's question. Any other parameter is refused.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct MarketParams {
    /// An Open Trade Statistics product community (e.g. `Footwear and Headwear`) or `all`.
    #[param(example = "Footwear and Headwear")]
    category: Option<String>,
    /// A preset (`balanced`, `large`, `growing`, `reach`) or points per indicator, e.g. `size:40,growth:30`.
    #[param(example = "growing")]
    weights: Option<String>,
    /// A UN M49 region, e.g. `Europe`.
    region: Option<String>,
    /// ISO codes of markets to leave out, comma-separated.
    exclude: Option<String>,
    /// Only these markets (ISO codes, comma-separated).
    markets: Option<String>,
    /// `json` (default) or `csv` (only on `/api/v1/markets`).
    format: Option<String>,
}

/// The question as understood.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct MarketsQuery {
    category: String,
    weights: String,
    region: Option<String>,
    exclude: Vec<String>,
    markets: Vec<String>,
}

/// Best and worst rank when any one weight moves ±10 points.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct RankRange {
    best: usize,
    worst: usize,
}

/// One indicator of one market.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct MarketIndicator {
    value: Option<f64>,
    years: Option<String>,
    unit: String,
    /// Computed from sourced figures (see the method).
    derived: Option<bool>,
    datasets: Option<Vec<String>>,
    series: Option<Vec<String>>,
    /// 0–100 by rank within the chosen markets.
    scaled: Option<f64>,
    weight: f64,
    contribution: Option<f64>,
    /// For the tariff: its kind, product group and date.
    #[schema(value_type = Option<Object>)]
    tariff: Option<()>,
}

/// A ranked market.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct RankedMarket {
    rank: usize,
    /// ISO 3166 alpha-3.
    code: String,
    name: String,
    region: String,
    score: f64,
    indicators_used: usize,
    indicators_weighted: usize,
    rank_if_a_weight_moves_10: RankRange,
    strengths: Vec<String>,
    /// By indicator key: size, share, growth, all_growth, income, internet, logistics, distance, tariff.
    indicators: BTreeMap<String, MarketIndicator>,
}

/// A market left out, and the indicators it lacks.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UnrankedMarket {
    code: String,
    name: String,
    missing: Vec<String>,
}

/// The market finder's answer.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct MarketsBody {
    query: MarketsQuery,
    method: String,
    /// The licence that applies to the whole answer (Open Trade Statistics: CC BY-NC 4.0).
    licence: String,
    markets: Vec<RankedMarket>,
    unavailable: Vec<UnrankedMarket>,
    /// Every source used, with publisher, link and licence.
    #[schema(value_type = Vec<Object>)]
    sources: Vec<()>,
    /// The same question on `/markets`.
    page: String,
}

/// The finder's refusal: every problem with the question.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct MarketErrors {
    errors: Vec<String>,
}

/// An operation of the description, as the docs page lists it: parameters with their descriptions,
/// and an example request made of the parameters' examples.
fn endpoint(path: &str, method: &str, op: &Operation) -> Endpoint {
    let params: Vec<Param> = op
        .parameters
        .iter()
        .flatten()
        .filter_map(|p| match p {
            RefOr::T(p) => Some(p),
            RefOr::Ref(_) => None,
        })
        .map(|p| Param {
            name: p.name.clone(),
            in_path: matches!(p.parameter_in, ParameterIn::Path),
            required: matches!(p.required, Required::True),
            description: p.description.clone().unwrap_or_default(),
            // `example` is private in utoipa's type (deprecated in OpenAPI 3.1); its JSON form has it.
            example: serde_json::to_value(p).ok().and_then(|v| v.get("example").cloned()).map(|e| match e {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            }),
        })
        .collect();
    let mut example = path.to_string();
    let mut query = form_urlencoded::Serializer::new(String::new());
    let mut any = false;
    for p in &params {
        if let Some(e) = &p.example {
            if p.in_path {
                example = example.replace(&format!("{{{}}}", p.name), e);
            } else {
                query.append_pair(&p.name, e);
                any = true;
            }
        }
    }
    if any {
        example = format!("{example}?{}", query.finish());
    }
    let statuses = op
        .responses
        .responses
        .iter()
        .map(|(status, r)| match r {
            RefOr::T(r) => (status.clone(), r.description.clone()),
            RefOr::Ref(_) => (status.clone(), String::new()),
        })
        .collect();
    Endpoint {
        method: method.to_uppercase(),
        path: path.to_string(),
        summary: op.summary.clone().unwrap_or_default(),
        description: op.description.clone().unwrap_or_default(),
        params,
        example,
        statuses,
        response: String::new(),
    }
}

/// Every operation of the description, in its order, for the docs page (example responses not yet
/// filled in).
pub fn endpoints() -> ApiDocs {
    let d = description();
    let mut endpoints = Vec::new();
    for (path, item) in &d.paths.paths {
        for (method, op) in [("get", &item.get), ("post", &item.post)] {
            if let Some(op) = op {
                endpoints.push(endpoint(path, method, op));
            }
        }
    }
    ApiDocs {
        endpoints,
        max_ids: api::MAX_IDS,
        default_limit: api::DEFAULT_LIMIT,
        max_limit: api::MAX_LIMIT,
    }
}

/// The docs page's endpoints with each example's real answer (abbreviated), worked out once per data
/// version: the examples run through the same routes a client calls.
pub async fn with_examples(state: &AppState) -> Result<ApiDocs, StoreError> {
    static KEPT: Mutex<Option<(String, ApiDocs)>> = Mutex::new(None);
    let version = state.explorer.data_version().await?;
    if let Some((v, docs)) = KEPT.lock().ok().and_then(|k| k.clone()) {
        if v == version {
            return Ok(docs);
        }
    }
    let app = router()
        .merge(super::markets::router())
        .with_state(state.clone());
    let mut docs = endpoints();
    for e in &mut docs.endpoints {
        let Ok(request) = Request::get(&e.example).body(Body::empty()) else {
            continue;
        };
        let Ok(response) = app.clone().oneshot(request).await;
        let csv = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/csv"));
        let status = response.status();
        let Ok(body) = axum::body::to_bytes(response.into_body(), 8 << 20).await else {
            continue;
        };
        let text = String::from_utf8_lossy(&body);
        let shown = if csv { abbreviate_csv(&text) } else { abbreviate_json(&text) };
        e.response = format!("HTTP {status}\n{shown}");
    }
    if let Ok(mut k) = KEPT.lock() {
        *k = Some((version, docs.clone()));
    }
    Ok(docs)
}

/// Lines of an example answer shown at most.
const SHOWN_LINES: usize = 40;

/// The first rows of a CSV answer (its header and two records).
fn abbreviate_csv(text: &str) -> String {
    let mut lines: Vec<String> = text.lines().take(3).map(|l| cut(l, 240)).collect();
    if text.lines().nth(3).is_some() {
        lines.push("…".into());
    }
    lines.join("\n")
}

/// A JSON answer with every list cut to its first item (and how many were left out) and long texts
/// shortened, pretty-printed and cut to [`SHOWN_LINES`].
fn abbreviate_json(text: &str) -> String {
    fn shorten(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::Array(items) => {
                let more = items.len().saturating_sub(1);
                let mut kept: Vec<Value> = items.into_iter().take(1).map(shorten).collect();
                if more > 0 {
                    kept.push(Value::String(format!("… {more} more")));
                }
                Value::Array(kept)
            }
            Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, shorten(v))).collect()),
            Value::String(s) => Value::String(cut(&s, 160)),
            other => other,
        }
    }
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return cut(text, 2000);
    };
    let pretty = serde_json::to_string_pretty(&shorten(value)).unwrap_or_default();
    let mut lines: Vec<&str> = pretty.lines().take(SHOWN_LINES).collect();
    if pretty.lines().nth(SHOWN_LINES).is_some() {
        lines.push("…");
    }
    lines.join("\n")
}

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_abbreviated_not_altered() {
        let shown = abbreviate_json(r#"{"series":[{"id":"a","value":1.5},{"id":"b"},{"id":"c"}],"total":3}"#);
        assert!(shown.contains("\"id\": \"a\""), "{shown}");
        assert!(shown.contains("1.5"));
        assert!(shown.contains("… 2 more"));
        assert!(!shown.contains("\"b\""));
        let csv = abbreviate_csv("h1,h2\n1,2\n3,4\n5,6\n");
        assert_eq!(csv, "h1,h2\n1,2\n3,4\n…");
        assert_eq!(cut("abcdef", 3), "abc…");
        assert_eq!(cut("abc", 3), "abc");
    }

    #[test]
    fn every_endpoint_has_a_summary_an_example_and_its_parameters() {
        let docs = endpoints();
        assert!(docs.endpoints.len() >= 8, "{:?}", docs.endpoints.iter().map(|e| &e.path).collect::<Vec<_>>());
        for e in &docs.endpoints {
            assert!(!e.summary.is_empty(), "{} has no summary", e.path);
            assert!(!e.example.contains('{'), "{}: example {} keeps a placeholder", e.path, e.example);
        }
        let series = docs.endpoints.iter().find(|e| e.path == "/api/v1/series").unwrap();
        let names: Vec<&str> = series.params.iter().map(|p| p.name.as_str()).collect();
        for name in ["indicator", "origin", "destination", "platform", "category", "q", "limit", "offset"] {
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
        assert!(series.example.starts_with("/api/v1/series?"), "{}", series.example);
    }
}
