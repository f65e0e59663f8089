//! Ranking tables outside their page:
//! - `GET /api/v1/rankings?table=&category=&from=&to=&sort=&aggregates=` — every row of a ranking as
//!   JSON: the figures of both years, the derived columns (change, change %, CAGR, share) or the reason
//!   each is missing, with the formulas and the source.
//! - `GET /api/v1/rankings.csv?…` (or `format=csv`) — the same as a table with the formula in each
//!   derived column's name and the source and licence on every row; `view=wide` gives places × years.
//!
//! Unlike the page, which shows what it can, the API answers a query it cannot use in full with a 400
//! naming each problem: a script should not silently get another table than it asked for.

use super::downloads::neutralise;
use super::http::{plain, store_failed};
use super::AppState;
use crate::explore::ranking::{Column, Derived, Figure, Ranking, RankingQuery};
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/rankings", get(api_json))
        .route("/api/v1/rankings.csv", get(api_csv))
}

fn bad_request(errors: Vec<String>) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "errors": errors }))).into_response()
}

/// The whole ranking a query asks for, or the 400 saying what cannot be used. Returns whether CSV was
/// asked for with `format=csv`.
async fn ranking(state: &AppState, query: &str) -> Result<(Ranking, RankingQuery, bool), Response> {
    let (q, problems) = RankingQuery::parse_query(query);
    let mut errors: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let mut csv = false;
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        match (k.as_ref(), v.as_ref()) {
            ("format", "csv") => csv = true,
            ("format", "json") => {}
            ("format", other) => errors.push(format!(
                "format must be json or csv (got '{}')",
                other.chars().take(20).collect::<String>()
            )),
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(bad_request(errors));
    }
    let (ranking, problems) = state
        .explorer
        .ranking(&q)
        .await
        .map_err(|e| store_failed("rankings", e))?;
    if !problems.is_empty() {
        return Err(bad_request(problems.iter().map(ToString::to_string).collect()));
    }
    match ranking {
        Some(r) => Ok((r, q, csv)),
        None => Err(plain(StatusCode::NOT_FOUND, "no table has enough places to rank")),
    }
}

fn derived_json(d: &Derived) -> serde_json::Value {
    match d {
        Ok(v) => json!({ "value": v }),
        Err(reason) => json!({ "value": null, "reason": reason }),
    }
}

/// A ranking table as JSON
///
/// Every place's figures for two years with change, change %, CAGR and share of the World figure —
/// each derived value with its formula, or the reason it is missing.
#[utoipa::path(get, path = "/api/v1/rankings", tag = "rankings", params(super::openapi::RankingParams),
    responses((status = 200, description = "The ranking, every row", content_type = "application/json"),
        (status = 400, description = "A query it cannot use as asked: every problem with it", body = super::openapi::MarketErrors)))]
pub(super) async fn api_json(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let (r, q, csv) = match ranking(&state, query.as_deref().unwrap_or("")).await {
        Ok(x) => x,
        Err(resp) => return resp,
    };
    if csv {
        return csv_response(&state, &r, &q).await;
    }
    let dataset = dataset_of(&state, &r).await;
    let formulas: serde_json::Map<String, serde_json::Value> = r
        .formulas()
        .into_iter()
        .map(|(c, f)| (c.key().to_string(), json!(f)))
        .collect();
    Json(json!({
        "table": r.table.key,
        "by": r.table.by.key(),
        "slice": r.slice.iter().map(|(d, v)| (d.key().to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "unit": r.unit,
        "from": r.from,
        "to": r.to,
        "years": r.years,
        "sort": format!("{}{}", if q.desc { "-" } else { "" }, q.sort.key()),
        "derived_formulas": formulas,
        "total": r.total,
        "notes": r.notes,
        "source": dataset.as_ref().map(|d| json!({
            "dataset": d.id, "title": d.title, "publisher": d.publisher,
            "url": d.source_url, "licence": d.licence,
        })),
        "page": RankingQuery { page: 1, ..q.clone() }.href(),
        "rows": r.rows.iter().map(|row| json!({
            "rank": row.rank,
            "place": row.place,
            "code": row.code,
            "aggregate": row.aggregate,
            "series": row.series_id,
            "from": row.from,
            "to": row.to,
            "latest": row.latest,
            "change": derived_json(&row.change),
            "change_pct": derived_json(&row.change_pct),
            "cagr_pct": derived_json(&row.cagr),
            "share_pct": derived_json(&row.share),
            "links": {
                "explorer": format!("/explore?s={}", row.series_id),
                "observations": format!("/api/v1/observations?series={}", row.series_id),
            },
        })).collect::<Vec<_>>(),
    }))
    .into_response()
}

/// A ranking table as CSV
///
/// The same rows, the formula in each derived column's name, source and licence on every row;
/// `view=wide` gives places × years.
#[utoipa::path(get, path = "/api/v1/rankings.csv", tag = "rankings", params(super::openapi::RankingParams),
    responses((status = 200, description = "One place per row", content_type = "text/csv", body = String),
        (status = 400, description = "A query it cannot use as asked: every problem with it", body = super::openapi::MarketErrors)))]
pub(super) async fn api_csv(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    match ranking(&state, query.as_deref().unwrap_or("")).await {
        Ok((r, q, _)) => csv_response(&state, &r, &q).await,
        Err(resp) => resp,
    }
}

async fn dataset_of(state: &AppState, r: &Ranking) -> Option<crate::domain::Dataset> {
    let cat = state.explorer.catalogue().await.ok()?;
    cat.dataset(&r.table.dataset).cloned()
}

fn figure_cells(f: &Option<Figure>) -> [String; 2] {
    match f {
        Some(f) => [f.value.to_string(), flags_text(f)],
        None => [String::new(), String::new()],
    }
}

fn flags_text(f: &Figure) -> String {
    let mut out = Vec::new();
    if f.flags.lower_bound {
        out.push("lower bound");
    }
    if f.flags.approximate {
        out.push("approximate");
    }
    if f.flags.provisional {
        out.push("provisional");
    }
    out.join("; ")
}

fn derived_cell(d: &Derived) -> String {
    d.as_ref().map(|v| format!("{v:.4}")).unwrap_or_default()
}

async fn csv_response(state: &AppState, r: &Ranking, q: &RankingQuery) -> Response {
    let dataset = dataset_of(state, r).await;
    let (publisher, url, licence) = dataset
        .as_ref()
        .map(|d| (d.publisher.clone(), d.source_url.clone().unwrap_or_default(), d.licence.clone()))
        .unwrap_or_default();
    let slice: String = r
        .slice
        .iter()
        .map(|(d, v)| format!("{}={v}", d.key()))
        .collect::<Vec<_>>()
        .join("; ");
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut ok = true;
    let mut write = |fields: Vec<String>| ok &= w.write_record(fields.iter().map(|f| neutralise(f))).is_ok();
    let common_head = ["place", "iso3", "aggregate", "series_id"].map(String::from);
    let tail_head = ["unit", "table", "slice", "source", "source_url", "licence"].map(String::from);
    let tail = |unit: &str| vec![unit.to_string(), r.table.key.clone(), slice.clone(), publisher.clone(), url.clone(), licence.clone()];
    if q.wide {
        let mut head = common_head.to_vec();
        head.extend(r.wide_years.iter().map(|y| y.to_string()));
        head.extend(tail_head);
        write(head);
        for row in &r.rows {
            let mut fields = vec![row.place.clone(), row.code.clone(), row.aggregate.to_string(), row.series_id.clone()];
            fields.extend(row.by_year.iter().map(|f| f.as_ref().map(|f| f.value.to_string()).unwrap_or_default()));
            fields.extend(tail(&r.unit));
            write(fields);
        }
    } else {
        let formulas = r.formulas();
        let formula = |c: Column| formulas.iter().find(|(x, _)| *x == c).map(|(_, f)| f.clone()).unwrap_or_default();
        let mut head = vec!["rank".to_string()];
        head.extend(common_head);
        head.extend([
            format!("value_{}", r.from),
            format!("flags_{}", r.from),
            format!("value_{}", r.to),
            format!("flags_{}", r.to),
            format!("change (derived: {})", formula(Column::Change)),
            format!("change_pct (derived: {})", formula(Column::ChangePct)),
            format!("cagr_pct (derived: {})", formula(Column::Cagr)),
            format!("share_pct (derived: {})", formula(Column::Share)),
            "why_not_derived".to_string(),
        ]);
        head.extend(tail_head);
        write(head);
        for row in &r.rows {
            let mut fields = vec![row.rank.to_string(), row.place.clone(), row.code.clone(), row.aggregate.to_string(), row.series_id.clone()];
            fields.extend(figure_cells(&row.from));
            fields.extend(figure_cells(&row.to));
            let derived = [&row.change, &row.change_pct, &row.cagr, &row.share];
            fields.extend(derived.iter().map(|d| derived_cell(d)));
            let mut reasons: Vec<String> = Vec::new();
            for (name, d) in ["change", "change_pct", "cagr_pct", "share_pct"].iter().zip(derived) {
                if let Err(why) = d {
                    reasons.push(format!("{name}: {why}"));
                }
            }
            fields.push(reasons.join("; "));
            fields.extend(tail(&r.unit));
            write(fields);
        }
    }
    let name = format!(
        "tradewinds-ranking-{}-{}-{}{}.csv",
        crate::strings::slug(&r.table.key),
        r.from,
        r.to,
        if q.wide { "-wide" } else { "" }
    );
    match (ok, w.into_inner()) {
        (true, Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            bytes,
        )
            .into_response(),
        _ => plain(StatusCode::INTERNAL_SERVER_ERROR, "could not write the CSV"),
    }
}
