//! The market finder outside its page:
//! - `GET /api/v1/markets?category=&weights=&region=&exclude=&markets=` — the ranking as JSON: each
//!   market with rank, score and, per indicator, value, years, unit, sources, scaled score and
//!   contribution; `/api/v1/markets.csv` (or `format=csv`) the same as a table with the licence per row.
//! - `GET /markets/source?category=&market=&indicator=` — a 303 to the explorer showing the series
//!   behind one number of the ranking.
//!
//! A question that cannot be answered (unknown category, weights that do not parse, an empty market
//! set) gets a 400 with the messages the page would show.

use super::downloads::neutralise;
use super::http::{plain, store_failed};
use super::AppState;
use crate::explore::embed::split_query;
use crate::explore::state::{ExploreState, MAX_SERIES};
use crate::markets::finder::{FinderQuery, FinderResult};
use crate::domain::Dimension;
use crate::markets::score::Indicator;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/markets", get(api_json))
        .route("/api/v1/markets.csv", get(api_csv))
        .route("/markets/source", get(source))
}

/// The unit each indicator's raw value is in.
pub fn unit(i: Indicator) -> &'static str {
    match i {
        Indicator::Size | Indicator::Income => "US$",
        Indicator::Share => "% of the market's imports of the category",
        Indicator::Growth | Indicator::AllGrowth => "% a year (compound)",
        Indicator::Internet => "% of population",
        Indicator::Logistics => "LPI score, 1–5",
        Indicator::Distance => "km",
        Indicator::Tariff => "% (kind and year in `tariff`)",
    }
}

/// The answer, or the 400 that says why there is none. `format` is taken off the query first.
async fn answer(state: &AppState, query: &str) -> Result<FinderResult, Response> {
    let result = state
        .markets
        .answer(&state.explorer, query)
        .await
        .map_err(|e| store_failed("markets", e))?;
    if result.errors.is_empty() {
        Ok(result)
    } else {
        Err((StatusCode::BAD_REQUEST, Json(json!({ "errors": result.errors }))).into_response())
    }
}

/// The query without `format=…`, and whether it asked for CSV.
fn split_format(query: &str) -> Result<(String, bool), Response> {
    let (mine, rest) = split_query(query, &["format"]);
    let mut csv = false;
    for (_, v) in mine {
        match v.as_str() {
            "csv" => csv = true,
            "json" => {}
            other => {
                return Err((
                    StatusCode::BAD_REQUEST,
                    Json(json!({ "errors": [format!("format must be json or csv (got '{}')", other.chars().take(20).collect::<String>())] })),
                )
                    .into_response())
            }
        }
    }
    Ok((rest, csv))
}

/// The market finder's ranking
///
/// "Where should I sell my category next, and why?": every market ranked by the weighted mean of its
/// scaled indicators, each with its value, years, unit and source series. `format=csv` answers as
/// `/api/v1/markets.csv` does.
#[utoipa::path(get, path = "/api/v1/markets", tag = "markets", params(super::openapi::MarketParams),
    responses((status = 200, description = "The ranking", body = super::openapi::MarketsBody),
        (status = 400, description = "A question it cannot answer: every problem with it", body = super::openapi::MarketErrors)))]
pub(super) async fn api_json(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let (query, csv) = match split_format(query.as_deref().unwrap_or("")) {
        Ok(q) => q,
        Err(r) => return r,
    };
    if csv {
        return csv_response(&state, &query).await;
    }
    let r = match answer(&state, &query).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let markets: Vec<serde_json::Value> = r
        .rows
        .iter()
        .map(|m| {
            let indicators: serde_json::Map<String, serde_json::Value> = Indicator::ALL
                .into_iter()
                .map(|i| {
                    let f = m.facts[i.index()].as_ref();
                    (
                        i.key().to_string(),
                        json!({
                            "value": f.map(|f| f.value),
                            "years": f.map(|f| f.years.clone()),
                            "unit": unit(i),
                            "derived": f.map(|f| f.derived),
                            "datasets": f.map(|f| f.datasets.clone()),
                            "series": f.map(|f| f.series.clone()),
                            "scaled": m.scaled[i.index()],
                            "weight": r.query.weights.get(i),
                            "contribution": m.contributions[i.index()],
                            "tariff": f.and_then(|f| f.tariff.clone()),
                        }),
                    )
                })
                .collect();
            json!({
                "rank": m.rank,
                "code": m.code,
                "name": m.name,
                "region": m.region,
                "score": m.score,
                "indicators_used": m.have,
                "indicators_weighted": m.weighted,
                "rank_if_a_weight_moves_10": { "best": m.stability.0, "worst": m.stability.1 },
                "strengths": m.strengths.iter().map(|s| s.key()).collect::<Vec<_>>(),
                "indicators": indicators,
            })
        })
        .collect();
    Json(json!({
        "query": {
            "category": r.query.category,
            "weights": r.query.weights.to_param(),
            "region": r.query.region,
            "exclude": r.query.exclude,
            "markets": r.query.only,
        },
        "method": "Each indicator is scaled 0–100 by rank within the chosen markets (best 100, worst 0, ties share); the score is the weighted mean of the scaled indicators a market has. Not a forecast.",
        "licence": if r.non_commercial() { "Uses Open Trade Statistics data: CC BY-NC 4.0, non-commercial use only." } else { "" },
        "markets": markets,
        "unavailable": r.unavailable.iter().map(|u| json!({
            "code": u.code, "name": u.name,
            "missing": u.missing.iter().map(|i| i.key()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "sources": r.sources,
        "page": r.query.href(),
    }))
    .into_response()
}

/// The market finder's ranking as CSV
///
/// One market per row: rank, score and per indicator value, years, scaled score and contribution, with
/// the category, the weights and the licence on every row.
#[utoipa::path(get, path = "/api/v1/markets.csv", tag = "markets", params(super::openapi::MarketParams),
    responses((status = 200, description = "The ranking, one market per row", content_type = "text/csv", body = String),
        (status = 400, description = "A question it cannot answer: every problem with it", body = super::openapi::MarketErrors)))]
pub(super) async fn api_csv(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    match split_format(query.as_deref().unwrap_or("")) {
        Ok((query, _)) => csv_response(&state, &query).await,
        Err(r) => r,
    }
}

async fn csv_response(state: &AppState, query: &str) -> Response {
    let r = match answer(state, query).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> =
        ["rank", "code", "market", "score", "indicators_used", "indicators_weighted", "best_rank_weight_10", "worst_rank_weight_10"]
            .map(String::from)
            .to_vec();
    for i in Indicator::ALL {
        for part in ["value", "years", "scaled", "contribution"] {
            header.push(format!("{}_{part}", i.key()));
        }
    }
    header.extend(["category".into(), "weights".into(), "licence".into()]);
    let licence = if r.non_commercial() {
        "Open Trade Statistics data, CC BY-NC 4.0 (non-commercial); see /markets for all sources"
    } else {
        "see /markets for sources"
    };
    let mut write = |fields: Vec<String>| w.write_record(fields.iter().map(|f| neutralise(f)));
    let mut ok = write(header).is_ok();
    for m in &r.rows {
        let mut row = vec![
            m.rank.to_string(),
            m.code.clone(),
            m.name.clone(),
            format!("{:.2}", m.score),
            m.have.to_string(),
            m.weighted.to_string(),
            m.stability.0.to_string(),
            m.stability.1.to_string(),
        ];
        for i in Indicator::ALL {
            let f = m.facts[i.index()].as_ref();
            row.push(f.map(|f| f.value.to_string()).unwrap_or_default());
            row.push(f.map(|f| f.years.clone()).unwrap_or_default());
            row.push(m.scaled[i.index()].map(|v| format!("{v:.2}")).unwrap_or_default());
            row.push(m.contributions[i.index()].map(|v| format!("{v:.2}")).unwrap_or_default());
        }
        row.extend([r.query.category.clone(), r.query.weights.to_param(), licence.to_string()]);
        ok &= write(row).is_ok();
    }
    match (ok, w.into_inner()) {
        (true, Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"tradewinds-markets.csv\""),
            ],
            bytes,
        )
            .into_response(),
        _ => plain(StatusCode::INTERNAL_SERVER_ERROR, "could not write the CSV"),
    }
}

/// The explorer view of the series behind one number of the ranking.
async fn source(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let (finder, market, indicator) = split_source_query(query.as_deref().unwrap_or(""));
    let (Some(market), Some(indicator)) = (market, indicator) else {
        return plain(
            StatusCode::BAD_REQUEST,
            "name a market (ISO3 code) and an indicator (size, share, growth, all_growth, income, internet, logistics or distance)",
        );
    };
    let (q, errors) = FinderQuery::parse(&finder);
    if !errors.is_empty() {
        return plain(StatusCode::BAD_REQUEST, &errors.join("; "));
    }
    let table = match state.markets.table(&state.explorer).await {
        Ok(t) => t,
        Err(e) => return store_failed("markets/source", e),
    };
    let fact = table.rows(&q.category).and_then(|rows| {
        let m = table.markets.iter().position(|m| m.code == market)?;
        rows[m][indicator.index()].clone()
    });
    let Some(fact) = fact else {
        return plain(StatusCode::NOT_FOUND, "this market has no such number for this category");
    };
    let state_catalogue = &state.explorer;
    let mut state = ExploreState::default();
    if fact.series.len() <= MAX_SERIES {
        state.series = fact.series.clone();
    } else {
        // A sum of many series (all goods): the explorer lists them, filtered to this market.
        state.dataset = fact.datasets.first().cloned();
        if let Ok(catalogue) = state_catalogue.catalogue().await {
            if let Some(s) = fact.series.first().and_then(|id| catalogue.get(id)) {
                state.filters.push((Dimension::Destination, s.destination.clone()));
                state.filters.push((Dimension::Indicator, s.indicator.clone()));
            }
        }
    }
    Redirect::to(&state.href()).into_response()
}

/// `market` and `indicator` off a source link's query, and the finder's question that remains.
fn split_source_query(query: &str) -> (String, Option<String>, Option<Indicator>) {
    let (mine, rest) = split_query(query, &["market", "indicator"]);
    let (mut market, mut indicator) = (None, None);
    for (k, v) in mine {
        match k.as_str() {
            "market" => market = Some(v.trim().to_ascii_uppercase()),
            _ => indicator = Indicator::from_key(v.trim()),
        }
    }
    (rest, market, indicator)
}
