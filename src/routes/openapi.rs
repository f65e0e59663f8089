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
use axum::{Json, Router};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use utoipa::openapi::OpenApi as Description;
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
    tags(
        (name = "datasets", description = "Who published what, under which licence"),
        (name = "series", description = "Find series by dimension or text"),
        (name = "observations", description = "The figures, with flags, quotes and sources"),
        (name = "markets", description = "The market finder's ranking"),
        (name = "rankings", description = "One indicator across all its places, with derived columns"),
        (name = "description", description = "This description"),
    )
)]
struct ApiDoc;

/// The market finder's routes, registered in `markets.rs`, described after the others.
#[derive(OpenApi)]
#[openapi(paths(super::markets::api_json, super::markets::api_csv))]
struct MarketsDoc;

/// The ranking tables' routes, registered in `rankings.rs`, described after the others.
#[derive(OpenApi)]
#[openapi(paths(super::rankings::api_json, super::rankings::api_csv))]
struct RankingsDoc;

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
    DESCRIPTION.get_or_init(|| {
        let mut d = described().into_openapi();
        d.merge(MarketsDoc::openapi());
        d.merge(RankingsDoc::openapi());
        d
    })
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

/// What a ranking table is asked for (see `/rankings`).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct RankingParams {
    /// `dataset/indicator`; without it, partners' reported imports from China.
    #[param(example = "comtrade-mirror-china/reported_imports")]
    table: Option<String>,
    /// A value of a dimension that divides the table (`category`, `platform`, `origin`, `destination`).
    category: Option<String>,
    /// First year of the comparison (default: five years before `to`).
    #[param(example = 2019)]
    from: Option<i32>,
    /// Last year (default: the latest year at least half the places report).
    #[param(example = 2024)]
    to: Option<i32>,
    /// `place`, `from`, `to`, `change`, `change_pct`, `cagr` or `share`; a leading `-` sorts largest first (default `-cagr`).
    #[param(example = "-cagr")]
    sort: Option<String>,
    /// `wide` for places × years (CSV), else the ranking's columns.
    view: Option<String>,
    /// `1` to rank World, regions and groups too.
    aggregates: Option<String>,
    /// Only the places with the largest figures in the last year (1–1000), e.g. growth among the 50 largest markets.
    #[param(example = 50)]
    largest: Option<usize>,
    /// `json` (default) or `csv` (only on `/api/v1/rankings`).
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
