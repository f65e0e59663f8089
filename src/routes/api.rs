//! The read-only JSON/CSV API, version 1.
//!
//! - `GET /api/v1/datasets`
//! - `GET /api/v1/series?indicator=&origin=&destination=&platform=&category=`
//! - `GET /api/v1/observations?series=ID[,ID…]&from=&to=&format=json|csv`
//!
//! Bad input (unknown parameters or ids, malformed periods) gets a 400 with a JSON message a person can
//! act on; only a database failure is a 500, and its details go to the log, not the client.

use super::downloads::{self, Format};
use super::AppState;
use crate::domain::{Dimension, Period, Series};
use crate::store::{SeriesFilter, StoreError};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

/// Most series one observations request may ask for.
pub const MAX_IDS: usize = 50;

#[derive(Debug)]
pub enum ApiError {
    BadRequest(String),
    Internal(StoreError),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::Internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::BadRequest(message) => {
                (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
            }
            ApiError::Internal(e) => {
                tracing::error!("api: {e}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(json!({ "error": "internal error; it has been logged" })),
                )
                    .into_response()
            }
        }
    }
}

type Params = Query<Vec<(String, String)>>;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/datasets", get(datasets))
        .route("/api/v1/series", get(series))
        .route("/api/v1/observations", get(observations))
        .route(
            "/api/v1/datasets/{id}/observations",
            get(dataset_observations),
        )
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

async fn datasets(
    State(state): State<AppState>,
    Query(params): Params,
) -> Result<Response, ApiError> {
    check_keys(&params, &[])?;
    let datasets = state.explorer.store.datasets().await?;
    Ok(Json(json!({ "datasets": datasets })).into_response())
}

/// Series listed at once unless `limit` says otherwise, and the most one page may hold.
const DEFAULT_LIMIT: usize = 1000;
const MAX_LIMIT: usize = 10_000;

async fn series(
    State(state): State<AppState>,
    Query(params): Params,
) -> Result<Response, ApiError> {
    let mut keys: Vec<&str> = Dimension::ALL.iter().map(|d| d.key()).collect();
    keys.extend(["origin_code", "destination_code", "limit", "offset"]);
    check_keys(&params, &keys)?;
    let get = |d: Dimension| -> Result<Option<String>, ApiError> {
        Ok(single(&params, d.key())?.map(str::to_string))
    };
    let filter = SeriesFilter {
        indicator: get(Dimension::Indicator)?,
        origin: get(Dimension::Origin)?,
        destination: get(Dimension::Destination)?,
        platform: get(Dimension::Platform)?,
        category: get(Dimension::Category)?,
        origin_code: single(&params, "origin_code")?.map(|c| c.trim().to_ascii_uppercase()),
        destination_code: single(&params, "destination_code")?
            .map(|c| c.trim().to_ascii_uppercase()),
    };
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
    // The catalogue is in memory (built once per data version): no query grows with the data.
    let catalogue = state.explorer.catalogue().await?;
    let matching: Vec<&Series> = catalogue.series.iter().filter(|s| filter.matches(s)).collect();
    let page: Vec<&Series> = matching.iter().skip(offset).take(limit).copied().collect();
    let mut body = json!({
        "count": matching.len(),
        "offset": offset,
        "limit": limit,
        "series": page,
    });
    if offset + page.len() < matching.len() {
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
        body["next"] = format!("/api/v1/series?{query}").into();
    }
    Ok(Json(body).into_response())
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

async fn observations(
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

/// Every observation of one dataset, as JSON or CSV (`format=csv`).
async fn dataset_observations(
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
