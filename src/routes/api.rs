//! The read-only JSON/CSV API, version 1.
//!
//! - `GET /api/v1/datasets` and `GET /api/v1/datasets/{id}`: datasets with their licence and links
//! - `GET /api/v1/series?indicator=&origin=&destination=&platform=&category=&q=&limit=&offset=`
//! - `GET /api/v1/observations?series=ID[,ID…]&from=&to=&format=json|csv`
//! - `GET /api/v1/datasets/{id}/observations?format=json|csv`
//!
//! Each handler carries its OpenAPI description (`#[utoipa::path]`); `openapi.rs` routes them from
//! that description, so what is served and what is described are one list.
//!
//! Bad input (unknown parameters or ids, malformed periods) gets a 400 with a JSON message a person can
//! act on; only a database failure is a 500, and its details go to the log, not the client.

use super::downloads::{self, Format};
use super::series_index::{SeriesIndex, SeriesQuery};
use super::AppState;
use crate::domain::{Dataset, Dimension, Period, Series};
use crate::explore::state::ExploreState;
use crate::store::StoreError;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

/// Most series one observations request may ask for.
pub const MAX_IDS: usize = 50;
/// Series listed at once unless `limit` says otherwise, and the most one page may hold.
pub const DEFAULT_LIMIT: usize = 1000;
pub const MAX_LIMIT: usize = 10_000;

#[derive(Debug)]
pub enum ApiError {
    BadRequest(String),
    NotFound(String),
    Internal(StoreError),
}

/// Every error the API returns: one sentence saying what was wrong and what to do instead.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// What was wrong with the request, and where to look.
    #[schema(example = "unknown parameter 'destnation'; this endpoint takes: indicator, origin, destination, …")]
    pub error: String,
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::Internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, error) = match self {
            ApiError::BadRequest(message) => (StatusCode::BAD_REQUEST, message),
            ApiError::NotFound(message) => (StatusCode::NOT_FOUND, message),
            ApiError::Internal(e) => {
                tracing::error!("api: {e}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error; it has been logged".to_string(),
                )
            }
        };
        (status, Json(ErrorBody { error })).into_response()
    }
}

type Params = Query<Vec<(String, String)>>;

/// A value for a query string.
fn encoded(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

/// Where to go next from a dataset.
#[derive(Serialize, ToSchema)]
pub struct DatasetLinks {
    /// This dataset (`/api/v1/datasets/{id}`).
    #[serde(rename = "self")]
    pub this: String,
    /// Its series (`/api/v1/series?dataset=…`).
    pub series: String,
    /// Every observation of the dataset as JSON.
    pub observations: String,
    /// The same as CSV, one figure per row with its source and licence.
    pub observations_csv: String,
    /// The dataset in the explorer.
    pub explorer: String,
}

/// A dataset: who published it, where, under what licence, and links to its series and figures.
#[derive(Serialize, ToSchema)]
pub struct DatasetOut {
    #[schema(example = "cbec-platform-facts")]
    pub id: String,
    pub title: String,
    pub publisher: String,
    /// Where the data can be found; null only where the publisher gave no link.
    pub source_url: Option<String>,
    /// What the publisher allows (Open Trade Statistics data is CC BY-NC 4.0: non-commercial only).
    pub licence: String,
    /// When the file or figures were retrieved (ISO date), if known.
    pub retrieved: Option<String>,
    pub notes: String,
    /// How many series the dataset holds.
    pub series: usize,
    pub links: DatasetLinks,
}

impl DatasetOut {
    fn new(d: &Dataset, series: usize) -> DatasetOut {
        let id = encoded(&d.id);
        let explorer = ExploreState {
            dataset: Some(d.id.clone()),
            ..ExploreState::default()
        };
        DatasetOut {
            id: d.id.clone(),
            title: d.title.clone(),
            publisher: d.publisher.clone(),
            source_url: d.source_url.clone(),
            licence: d.licence.clone(),
            retrieved: d.retrieved.clone(),
            notes: d.notes.clone(),
            series,
            links: DatasetLinks {
                this: format!("/api/v1/datasets/{id}"),
                series: format!("/api/v1/series?dataset={id}"),
                observations: format!("/api/v1/datasets/{id}/observations?format=json"),
                observations_csv: format!("/api/v1/datasets/{id}/observations?format=csv"),
                explorer: explorer.href(),
            },
        }
    }
}

/// Every dataset, by id.
#[derive(Serialize, ToSchema)]
pub struct DatasetsBody {
    pub datasets: Vec<DatasetOut>,
}

/// Where to go next from a series.
#[derive(Serialize, ToSchema)]
pub struct SeriesLinks {
    /// Its observations as JSON.
    pub observations: String,
    /// Its observations as CSV.
    pub observations_csv: String,
    /// The series charted in the explorer.
    pub explorer: String,
    /// The dataset it belongs to.
    pub dataset: String,
}

/// One line of numbers: one indicator for one origin/destination/platform/category, in one unit.
/// Dimensions that do not apply are empty strings.
#[derive(Serialize, ToSchema)]
pub struct SeriesOut {
    #[schema(example = "platform_gmv.china.world.temu.gmv.usd-billion")]
    pub id: String,
    pub dataset_id: String,
    pub indicator: String,
    pub origin: String,
    pub destination: String,
    pub platform: String,
    pub category: String,
    pub unit: String,
    /// ISO 3166 alpha-3 code of the origin where it is a known place, else "".
    pub origin_code: String,
    /// "economy", "aggregate", "residual", "historical" or "".
    pub origin_kind: String,
    pub destination_code: String,
    pub destination_kind: String,
    /// The basis of the figures where it needs saying ("partner-reported imports, CIF").
    pub notes: String,
    /// A short human label, as the explorer's legend shows it.
    pub label: String,
    pub links: SeriesLinks,
}

impl SeriesOut {
    fn new(s: &Series) -> SeriesOut {
        let id = encoded(&s.id);
        let explorer = ExploreState {
            series: vec![s.id.clone()],
            ..ExploreState::default()
        };
        SeriesOut {
            id: s.id.clone(),
            dataset_id: s.dataset_id.clone(),
            indicator: s.indicator.clone(),
            origin: s.origin.clone(),
            destination: s.destination.clone(),
            platform: s.platform.clone(),
            category: s.category.clone(),
            unit: s.unit.clone(),
            origin_code: s.origin_code.clone(),
            origin_kind: s.origin_kind.clone(),
            destination_code: s.destination_code.clone(),
            destination_kind: s.destination_kind.clone(),
            notes: s.notes.clone(),
            label: s.label(),
            links: SeriesLinks {
                observations: format!("/api/v1/observations?series={id}&format=json"),
                observations_csv: format!("/api/v1/observations?series={id}&format=csv"),
                explorer: explorer.href(),
                dataset: format!("/api/v1/datasets/{}", encoded(&s.dataset_id)),
            },
        }
    }
}

/// One page of the series matching a question.
#[derive(Serialize, ToSchema)]
pub struct SeriesPage {
    /// How many series match, on every page.
    pub total: usize,
    /// The same as `total` (the name earlier clients read).
    pub count: usize,
    pub offset: usize,
    pub limit: usize,
    /// The following page, with the same filters; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    pub series: Vec<SeriesOut>,
}

/// `/api/v1/series` parameters. Text filters ignore case; a place may be given by ISO code or by any
/// publisher's label ("china", "CHN" and "China" all match, as does "China, P.R.: Mainland").
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SeriesParams {
    /// Indicator id, e.g. `reported_imports`, `platform_gmv`.
    indicator: Option<String>,
    /// Where the goods come from: ISO code or label.
    #[param(example = "china")]
    origin: Option<String>,
    /// Where they go: ISO code or label.
    #[param(example = "VNM")]
    destination: Option<String>,
    /// Selling platform, e.g. `Temu`.
    platform: Option<String>,
    /// Product category or measure, e.g. `GMV`.
    category: Option<String>,
    /// Only the series of this dataset (its id, see `/api/v1/datasets`).
    dataset: Option<String>,
    /// Free text: every word must appear in the series' label or id (any case).
    q: Option<String>,
    /// ISO 3166 alpha-3 code of the origin, exactly.
    origin_code: Option<String>,
    /// ISO 3166 alpha-3 code of the destination, exactly.
    destination_code: Option<String>,
    /// Series per page: 0 to 10,000 (default 1,000).
    #[param(example = 5, maximum = 10000)]
    limit: Option<usize>,
    /// How many matching series to skip (default 0); `next` carries it forward.
    offset: Option<usize>,
}

/// `/api/v1/observations` parameters.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ObservationParams {
    /// One or more series ids, comma-separated (at most 50), from `/api/v1/series`.
    #[param(example = "platform_gmv.china.world.temu.gmv.usd-billion")]
    series: String,
    /// First period: `2018`, `2024-H1`, `2024-Q3` or `2025-02`.
    #[param(example = "2023")]
    from: Option<String>,
    /// Last period, as `from`.
    to: Option<String>,
    /// `json` (default) or `csv`.
    format: Option<String>,
}

/// `format=json|csv`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct FormatParam {
    /// `json` (default) or `csv`.
    format: Option<String>,
}

/// A dataset id in the path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct DatasetId {
    /// The dataset's id, from `/api/v1/datasets`.
    #[param(example = "cbec-platform-facts")]
    id: String,
}

/// Rejects parameters the endpoint does not know, so typos ("destnation") do not silently match all.
fn check_keys(params: &[(String, String)], allowed: &[&str]) -> Result<(), ApiError> {
    for (k, _) in params {
        if !allowed.contains(&k.as_str()) {
            return Err(ApiError::BadRequest(format!(
                "unknown parameter '{k}'; this endpoint takes: {}",
                if allowed.is_empty() {
                    "no parameters".to_string()
                } else {
                    allowed.join(", ")
                }
            )));
        }
    }
    Ok(())
}

fn single<'a>(params: &'a [(String, String)], key: &str) -> Result<Option<&'a str>, ApiError> {
    let mut values = params
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str());
    let first = values.next();
    if values.next().is_some() {
        return Err(ApiError::BadRequest(format!(
            "parameter '{key}' is given more than once"
        )));
    }
    Ok(first)
}

/// Every dataset
///
/// Each with its publisher, source link, licence note, number of series and links to its series, its
/// observations (JSON, CSV) and the explorer.
#[utoipa::path(get, path = "/api/v1/datasets", tag = "datasets",
    responses((status = 200, description = "Every dataset, by id", body = DatasetsBody),
        (status = 400, description = "A parameter was given (this endpoint takes none)", body = ErrorBody)))]
pub(super) async fn datasets(
    State(state): State<AppState>,
    Query(params): Params,
) -> Result<Json<DatasetsBody>, ApiError> {
    check_keys(&params, &[])?;
    let catalogue = state.explorer.catalogue().await?;
    let index = SeriesIndex::of(&catalogue);
    let mut datasets: Vec<&Dataset> = catalogue.datasets.values().collect();
    datasets.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Json(DatasetsBody {
        datasets: datasets
            .into_iter()
            .map(|d| DatasetOut::new(d, index.series_in(&d.id)))
            .collect(),
    }))
}

/// One dataset
///
/// The dataset's metadata and links to its series, its observations and the explorer.
#[utoipa::path(get, path = "/api/v1/datasets/{id}", tag = "datasets", params(DatasetId),
    responses((status = 200, description = "The dataset", body = DatasetOut),
        (status = 404, description = "No dataset has this id", body = ErrorBody)))]
pub(super) async fn dataset(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Params,
) -> Result<Json<DatasetOut>, ApiError> {
    check_keys(&params, &[])?;
    let catalogue = state.explorer.catalogue().await?;
    match catalogue.dataset(&id) {
        Some(d) => Ok(Json(DatasetOut::new(d, SeriesIndex::of(&catalogue).series_in(&d.id)))),
        None => Err(ApiError::NotFound(format!(
            "no dataset has the id '{}'; every dataset is listed at /api/v1/datasets",
            id.chars().take(100).collect::<String>()
        ))),
    }
}

/// Series, filtered and searched
///
/// The series matching every filter given, in a stable order, a page at a time. Filters ignore case,
/// and a place may be named by ISO code or by any publisher's label. `q` finds series whose label or
/// id contains every word.
#[utoipa::path(get, path = "/api/v1/series", tag = "series", params(SeriesParams),
    responses((status = 200, description = "One page of matching series", body = SeriesPage),
        (status = 400, description = "An unknown or repeated parameter, or a bad limit/offset", body = ErrorBody)))]
pub(super) async fn series(
    State(state): State<AppState>,
    Query(params): Params,
) -> Result<Json<SeriesPage>, ApiError> {
    let mut keys: Vec<&str> = Dimension::ALL.iter().map(|d| d.key()).collect();
    keys.extend(["dataset", "q", "origin_code", "destination_code", "limit", "offset"]);
    check_keys(&params, &keys)?;
    let mut query = SeriesQuery::default();
    for d in Dimension::ALL {
        if let Some(v) = single(&params, d.key())?.filter(|v| !v.trim().is_empty()) {
            query.filters.push((d, v.to_string()));
        }
    }
    query.origin_code = single(&params, "origin_code")?.map(str::to_string);
    query.destination_code = single(&params, "destination_code")?.map(str::to_string);
    query.q = single(&params, "q")?.map(|q| q.chars().take(200).collect());
    let dataset = single(&params, "dataset")?.map(str::trim).filter(|d| !d.is_empty());
    let number = |key: &str, default: usize, max: usize| -> Result<usize, ApiError> {
        match single(&params, key)? {
            None | Some("") => Ok(default),
            Some(v) => match v.trim().parse::<usize>() {
                Ok(n) if n <= max => Ok(n),
                _ => Err(ApiError::BadRequest(format!(
                    "{key} must be a whole number from 0 to {max} (got '{v}')"
                ))),
            },
        }
    };
    let limit = number("limit", DEFAULT_LIMIT, MAX_LIMIT)?;
    let offset = number("offset", 0, usize::MAX)?;
    // The catalogue and its index are in memory (built once per data version): no query grows with
    // the data.
    let catalogue = state.explorer.catalogue().await?;
    if let Some(d) = dataset {
        if catalogue.dataset(d).is_none() {
            return Err(ApiError::BadRequest(format!(
                "unknown dataset id '{}' (see /api/v1/datasets)",
                d.chars().take(100).collect::<String>()
            )));
        }
    }
    let matching: Vec<&Series> = SeriesIndex::of(&catalogue)
        .matching(&catalogue.series, &query)
        .into_iter()
        .map(|i| &catalogue.series[i])
        .filter(|s| dataset.is_none_or(|d| s.dataset_id == d))
        .collect();
    let page: Vec<SeriesOut> = matching
        .iter()
        .skip(offset)
        .take(limit)
        .map(|s| SeriesOut::new(s))
        .collect();
    let next = (offset + page.len() < matching.len()).then(|| {
        let mut next: Vec<(String, String)> = params
            .iter()
            .filter(|(k, _)| k != "offset" && k != "limit")
            .cloned()
            .collect();
        next.push(("limit".into(), limit.to_string()));
        next.push(("offset".into(), (offset + page.len()).to_string()));
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(next)
            .finish();
        format!("/api/v1/series?{query}")
    });
    Ok(Json(SeriesPage {
        total: matching.len(),
        count: matching.len(),
        offset,
        limit,
        next,
        series: page,
    }))
}

fn period_param(params: &[(String, String)], key: &str) -> Result<Option<Period>, ApiError> {
    match single(params, key)? {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|e| ApiError::BadRequest(format!("{key}: {e}"))),
    }
}

/// Observations of chosen series
///
/// Values with their flags (lower bound, approximate, provisional), the quoted sentence, caveat and
/// source, series by series; CSV has one figure per row with its dataset, publisher and licence.
/// Streamed, so large answers start at once.
#[utoipa::path(get, path = "/api/v1/observations", tag = "observations", params(ObservationParams),
    responses((status = 200, description = "The series with their observations (JSON), or one row per figure (`format=csv`)",
            content((super::openapi::ObservationsBody = "application/json"), (String = "text/csv"))),
        (status = 400, description = "No or too many series, an unknown id, a malformed period or format", body = ErrorBody)))]
pub(super) async fn observations(
    State(state): State<AppState>,
    Query(params): Params,
) -> Result<Response, ApiError> {
    check_keys(&params, &["series", "from", "to", "format"])?;
    let ids: Vec<String> = params
        .iter()
        .filter(|(k, _)| k == "series")
        .flat_map(|(_, v)| v.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if ids.is_empty() {
        return Err(ApiError::BadRequest("parameter 'series' is required: one or more series ids, comma-separated (see /api/v1/series)".into()));
    }
    if ids.len() > MAX_IDS {
        return Err(ApiError::BadRequest(format!(
            "at most {MAX_IDS} series per request; {} were asked for",
            ids.len()
        )));
    }
    let from = period_param(&params, "from")?;
    let to = period_param(&params, "to")?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(ApiError::BadRequest(format!(
                "'from' ({f}) is after 'to' ({t})"
            )));
        }
    }
    let format = format_param(&params)?;
    let catalogue = state.explorer.catalogue().await?;
    let (series, missing) = catalogue.resolve(&ids);
    if !missing.is_empty() {
        return Err(ApiError::BadRequest(format!(
            "unknown series id(s): {} (see /api/v1/series)",
            missing.join(", ")
        )));
    }
    Ok(downloads::stream(
        state.explorer.store.clone(),
        series,
        catalogue.datasets.clone(),
        from,
        to,
        format,
        "tradewinds-observations",
    ))
}

/// Every observation of one dataset
///
/// The whole dataset in the shape of `/api/v1/observations`, streamed series by series.
#[utoipa::path(get, path = "/api/v1/datasets/{id}/observations", tag = "observations", params(DatasetId, FormatParam),
    responses((status = 200, description = "The dataset's series with their observations (JSON), or one row per figure (`format=csv`)",
            content((super::openapi::ObservationsBody = "application/json"), (String = "text/csv"))),
        (status = 400, description = "An unknown dataset id or format", body = ErrorBody)))]
pub(super) async fn dataset_observations(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Params,
) -> Result<Response, ApiError> {
    check_keys(&params, &["format"])?;
    let format = format_param(&params)?;
    let catalogue = state.explorer.catalogue().await?;
    if catalogue.dataset(&id).is_none() {
        return Err(ApiError::BadRequest(format!(
            "unknown dataset id '{id}' (see /api/v1/datasets)"
        )));
    }
    let series: Vec<Series> = catalogue
        .series
        .iter()
        .filter(|s| s.dataset_id == id)
        .cloned()
        .collect();
    Ok(downloads::stream(
        state.explorer.store.clone(),
        series,
        catalogue.datasets.clone(),
        None,
        None,
        format,
        &format!("tradewinds-{}", crate::strings::slug(&id)),
    ))
}

/// `format=json|csv` (default json).
fn format_param(params: &[(String, String)]) -> Result<Format, ApiError> {
    match single(params, "format")?.unwrap_or("json") {
        "json" => Ok(Format::Json),
        "csv" => Ok(Format::Csv),
        other => Err(ApiError::BadRequest(format!(
            "format '{other}' is not json or csv"
        ))),
    }
}
