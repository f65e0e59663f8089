//! Observations as a download (CSV or JSON), streamed: a task reads the figures row by row from the
//! store and sends the text in 64 KB chunks through a small channel, so a whole dataset of millions of
//! figures goes out in constant memory, the first bytes leave at once, and a client that hangs up stops
//! the reading.

use crate::chart::bundle::source_of;
use crate::domain::{Dataset, Observation, Period, Series};
use futures_util::StreamExt;
use crate::store::Store;
use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::collections::HashMap;

/// Text is sent in chunks of about this size.
const CHUNK: usize = 64 * 1024;
/// Chunks in flight between the reader and the client: the memory one download may hold.
const IN_FLIGHT: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

const CSV_HEADER: [&str; 20] = [
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

/// A spreadsheet opens a cell starting with = + - @ (or tab/CR) as a formula: prefix such text with '.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn csv_row(out: &mut Vec<u8>, s: &Series, dataset: &Dataset, o: &Observation) {
    let source = source_of(o, dataset);
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
        text(&dataset.title),
        text(&dataset.publisher),
        text(&dataset.licence),
    ];
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(out);
    // Writing to memory cannot fail.
    let _ = w.write_record(&row);
    let _ = w.flush();
}

/// One series in the JSON download: its fields, its dataset, then its observations.
#[derive(Serialize)]
struct SeriesHead<'a> {
    #[serde(flatten)]
    series: &'a Series,
    dataset: &'a Dataset,
}

/// `{…series fields…,"dataset":{…},"observations":[` — the series' opening in the JSON download.
fn json_series_open(out: &mut Vec<u8>, first: bool, s: &Series, dataset: &Dataset) {
    if !first {
        out.push(b',');
    }
    let head = serde_json::to_vec(&SeriesHead { series: s, dataset }).unwrap_or_default();
    out.extend_from_slice(&head[..head.len().saturating_sub(1)]);
    out.extend_from_slice(b",\"observations\":[");
}

/// The observations of `series` (in the order given, each in period order, limited to `from`..`to`)
/// as a streamed response; `file_stem` names a CSV download.
pub fn stream(
    store: Store,
    series: Vec<Series>,
    datasets: HashMap<String, Dataset>,
    from: Option<Period>,
    to: Option<Period>,
    format: Format,
    file_stem: &str,
) -> Response {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(IN_FLIGHT);
    tokio::spawn(async move {
        let mut buf: Vec<u8> = Vec::with_capacity(CHUNK * 2);
        match format {
            Format::Csv => {
                let mut w = csv::Writer::from_writer(&mut buf);
                let _ = w.write_record(CSV_HEADER);
                let _ = w.flush();
            }
            Format::Json => buf.extend_from_slice(b"{\"series\":["),
        }
        for (i, s) in series.iter().enumerate() {
            let Some(dataset) = datasets.get(&s.dataset_id) else {
                tracing::error!("download: series {} has no dataset", s.id);
                let _ = tx.send(Err(std::io::Error::other("stored data is corrupt"))).await;
                return;
            };
            if format == Format::Json {
                json_series_open(&mut buf, i == 0, s, dataset);
            }
            let rows = store.observation_stream(&s.id, from, to);
            futures_util::pin_mut!(rows);
            let mut first = true;
            while let Some(row) = rows.next().await {
                let o = match row {
                    Ok(o) => o,
                    Err(e) => {
                        // The status line has gone: end the body with an error, which the client
                        // sees as a broken download rather than a complete file.
                        tracing::error!("download: {e}");
                        let _ = tx.send(Err(std::io::Error::other("the data could not be read"))).await;
                        return;
                    }
                };
                match format {
                    Format::Csv => csv_row(&mut buf, s, dataset, &o),
                    Format::Json => {
                        if !first {
                            buf.push(b',');
                        }
                        let _ = serde_json::to_writer(&mut buf, &o);
                    }
                }
                first = false;
                if buf.len() >= CHUNK && tx.send(Ok(Bytes::from(std::mem::take(&mut buf)))).await.is_err() {
                    return; // the client hung up
                }
            }
            if format == Format::Json {
                buf.extend_from_slice(b"]}");
            }
        }
        if format == Format::Json {
            buf.extend_from_slice(b"]}");
        }
        let _ = tx.send(Ok(Bytes::from(buf))).await;
    });
    let body = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let content_type = match format {
        Format::Csv => "text/csv; charset=utf-8",
        Format::Json => "application/json",
    };
    let mut res = ([(header::CONTENT_TYPE, content_type)], Body::from_stream(body)).into_response();
    if format == Format::Csv {
        if let Ok(v) = format!("attachment; filename=\"{file_stem}.csv\"").parse() {
            res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-1+2"), "'-1+2");
        assert_eq!(neutralise("China"), "China");
    }
}
