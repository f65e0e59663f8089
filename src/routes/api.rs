//! The read-only JSON/CSV API, version 1.
//!
//! - `GET /api/v1/datasets`
//! - `GET /api/v1/series?indicator=&origin=&destination=&platform=&category=`
//! - `GET /api/v1/observations?series=ID[,ID…]&from=&to=&format=json|csv`
//!
//! Bad input (unknown parameters or ids, malformed periods) gets a 400 with a JSON message a person can
//! act on; only a database failure is a 500, and its details go to the log, not the client.

use crate::chart::bundle::source_of;
use crate::domain::{Dataset, Dimension, Observation, Period, Series};
use super::AppState;
use crate::store::{SeriesFilter, StoreError};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
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
    let datasets = state.store.datasets().await?;
    Ok(Json(json!({ "datasets": datasets })).into_response())
}

async fn series(
    State(state): State<AppState>,
    Query(params): Params,
) -> Result<Response, ApiError> {
    let mut keys: Vec<&str> = Dimension::ALL.iter().map(|d| d.key()).collect();
    keys.extend(["origin_code", "destination_code"]);
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
    let series = state.store.series(&filter).await?;
    Ok(Json(json!({ "count": series.len(), "series": series })).into_response())
}

#[derive(Serialize)]
struct SeriesWithData {
    #[serde(flatten)]
    series: Series,
    dataset: Dataset,
    observations: Vec<Observation>,
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
    let format = single(&params, "format")?.unwrap_or("json");
    if !matches!(format, "json" | "csv") {
        return Err(ApiError::BadRequest(format!(
            "format '{format}' is not json or csv"
        )));
    }
    let series = match state.store.series_by_ids(&ids).await? {
        Ok(s) => s,
        Err(missing) => {
            return Err(ApiError::BadRequest(format!(
                "unknown series id(s): {} (see /api/v1/series)",
                missing.join(", ")
            )))
        }
    };
    respond(&state, series, from, to, format, "tradewinds-observations").await
}

/// Every observation of one dataset, as JSON or CSV (`format=csv`).
async fn dataset_observations(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Params,
) -> Result<Response, ApiError> {
    check_keys(&params, &["format"])?;
    let format = single(&params, "format")?.unwrap_or("json");
    if !matches!(format, "json" | "csv") {
        return Err(ApiError::BadRequest(format!(
            "format '{format}' is not json or csv"
        )));
    }
    let datasets = state.store.datasets().await?;
    if !datasets.iter().any(|d| d.id == id) {
        return Err(ApiError::BadRequest(format!(
            "unknown dataset id '{id}' (see /api/v1/datasets)"
        )));
    }
    let series: Vec<Series> = state
        .store
        .series(&SeriesFilter::default())
        .await?
        .into_iter()
        .filter(|s| s.dataset_id == id)
        .collect();
    respond(
        &state,
        series,
        None,
        None,
        format,
        &format!("tradewinds-{}", crate::strings::slug(&id)),
    )
    .await
}

async fn respond(
    state: &AppState,
    series: Vec<Series>,
    from: Option<Period>,
    to: Option<Period>,
    format: &str,
    file_stem: &str,
) -> Result<Response, ApiError> {
    let ids: Vec<String> = series.iter().map(|s| s.id.clone()).collect();
    let observations = state.store.observations(&ids, from, to).await?;
    let datasets = state.store.datasets().await?;
    let mut out = Vec::with_capacity(series.len());
    for s in series {
        let dataset = datasets
            .iter()
            .find(|d| d.id == s.dataset_id)
            .cloned()
            .ok_or_else(|| {
                ApiError::Internal(StoreError::Corrupt(format!(
                    "series {} has no dataset",
                    s.id
                )))
            })?;
        let obs = observations
            .iter()
            .filter(|o| o.series_id == s.id)
            .cloned()
            .collect();
        out.push(SeriesWithData {
            series: s,
            dataset,
            observations: obs,
        });
    }
    if format == "csv" {
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file_stem}.csv\""),
                ),
            ],
            to_csv(&out),
        )
            .into_response());
    }
    Ok(Json(json!({ "series": out })).into_response())
}

/// A spreadsheet opens a cell starting with = + - @ (or tab/CR) as a formula: prefix such text with '.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn to_csv(data: &[SeriesWithData]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "series_id",
        "indicator",
        "origin",
        "destination",
        "platform",
        "category",
        "unit",
        "period",
        "value",
        "value_high",
        "lower_bound",
        "approximate",
        "provisional",
        "source",
        "source_url",
        "quote",
        "caveat",
        "dataset",
        "publisher",
        "licence",
    ];
    // Writing to a Vec cannot fail.
    let _ = w.write_record(header);
    for sd in data {
        let s = &sd.series;
        for o in &sd.observations {
            let source = source_of(o, &sd.dataset);
            let text = |v: &str| neutralise(v);
            let row = [
                text(&s.id),
                text(&s.indicator),
                text(&s.origin),
                text(&s.destination),
                text(&s.platform),
                text(&s.category),
                text(&s.unit),
                o.period.to_string(),
                o.value.to_string(),
                o.value_high.map(|v| v.to_string()).unwrap_or_default(),
                o.flags.lower_bound.to_string(),
                o.flags.approximate.to_string(),
                o.flags.provisional.to_string(),
                text(&source.label),
                text(source.url.as_deref().unwrap_or("")),
                text(o.quote.as_deref().unwrap_or("")),
                text(o.caveat.as_deref().unwrap_or("")),
                text(&sd.dataset.title),
                text(&sd.dataset.publisher),
                text(&sd.dataset.licence),
            ];
            let _ = w.write_record(&row);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-1+2"), "'-1+2");
        assert_eq!(neutralise("China"), "China");
    }
}
