//! Admin-only imports over the web: `POST /api/v1/admin/imports` (multipart upload) starts an import job,
//! `GET /api/v1/admin/imports/{job}` reports its progress and summary.
//!
//! Writes need the admin token from `TRADEWINDS_ADMIN_TOKEN` (as `Authorization: Bearer …` or a `token`
//! form field). With no token configured uploads are disabled (403); a missing token is 401, a wrong one
//! 403. Uploads are streamed to a temporary file, bounded in size, and imported by the same code as the
//! CLI: one transaction, so a failed or interrupted import leaves nothing behind.

use crate::import::{self, Format, Input, Options, Progress, Summary};
use super::AppState;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Largest accepted upload. Bigger files: use `tradewinds import` on the server.
pub const MAX_UPLOAD: u64 = 256 << 20;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum JobState {
    Importing { bytes: u64, total: u64 },
    Done { summary: Summary, explore: String },
    Failed { error: String },
}

/// Running and finished imports, by job id. The id is unguessable (128 random bits), so the job's page
/// can be followed without the token, like a capability link.
#[derive(Clone, Default)]
pub struct Jobs {
    counter: Arc<AtomicU64>,
    jobs: Arc<Mutex<HashMap<String, JobState>>>,
}

impl Jobs {
    fn new_id(&self) -> String {
        use std::hash::BuildHasher;
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let a = std::collections::hash_map::RandomState::new().hash_one(n);
        let b = std::collections::hash_map::RandomState::new().hash_one((n, a));
        format!("{a:016x}{b:016x}")
    }

    fn set(&self, id: &str, state: JobState) {
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.insert(id.to_string(), state);
        }
    }

    pub fn get(&self, id: &str) -> Option<JobState> {
        self.jobs.lock().ok()?.get(id).cloned()
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// Compares in constant time, so the token cannot be guessed byte by byte from response times.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Checks a given token against the configured one (`TRADEWINDS_ADMIN_TOKEN`, read at start).
fn check_token(expected: Option<&str>, given: Option<&str>) -> Result<(), Response> {
    let Some(expected) = expected else {
        return Err(error(
            StatusCode::FORBIDDEN,
            "uploads are disabled: the server has no TRADEWINDS_ADMIN_TOKEN",
        ));
    };
    match given {
        None | Some("") => Err(error(
            StatusCode::UNAUTHORIZED,
            "an admin token is required (Authorization: Bearer …, or the token field)",
        )),
        Some(t) if same(t, expected) => Ok(()),
        Some(_) => Err(error(StatusCode::FORBIDDEN, "wrong admin token")),
    }
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(|t| t.trim().to_string())
}

/// Refuses oversized uploads from their Content-Length, before reading a byte of them.
async fn limit_size(req: Request<Body>, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_UPLOAD + (1 << 20)) {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("uploads are limited to {} MB; import bigger files with `tradewinds import` on the server", MAX_UPLOAD >> 20),
        );
    }
    next.run(req).await
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/admin/imports", post(start_import))
        .route("/api/v1/admin/imports/{job}", get(job_status))
        .layer(axum::middleware::from_fn(limit_size))
        .layer(DefaultBodyLimit::max((MAX_UPLOAD + (1 << 20)) as usize))
}

async fn job_status(State(state): State<AppState>, Path(job): Path<String>) -> Response {
    match state.jobs.get(&job) {
        Some(s) => Json(s).into_response(),
        None => error(StatusCode::NOT_FOUND, "no such import job"),
    }
}

/// Form fields other than the file, as text.
#[derive(Default)]
struct Fields(HashMap<String, String>);

impl Fields {
    fn get(&self, k: &str) -> Option<String> {
        self.0
            .get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }
}

async fn start_import(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    // The bearer header can be checked before reading the body; a form token once its field arrives.
    let header_token = bearer(&headers);
    let expected = state.config.admin_token.as_deref();
    if header_token.is_some() {
        if let Err(r) = check_token(expected, header_token.as_deref()) {
            return r;
        }
    } else if expected.is_none() {
        return check_token(None, None).unwrap_err();
    }
    let mut fields = Fields::default();
    let mut upload: Option<(String, tempfile::NamedTempFile, u64)> = None;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                return error(
                    e.status(),
                    &format!("could not read the upload: {}", e.body_text()),
                )
            }
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            if header_token.is_none() {
                // The token field must come before the file, so no unauthenticated upload is stored.
                if let Err(r) = check_token(expected, fields.get("token").as_deref()) {
                    return r;
                }
            }
            let file_name = field
                .file_name()
                .unwrap_or("upload")
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or("upload")
                .to_string();
            let mut tmp = match tempfile::NamedTempFile::new() {
                Ok(t) => t,
                Err(e) => {
                    return error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        &format!("cannot store the upload: {e}"),
                    )
                }
            };
            let mut size = 0u64;
            loop {
                match field.chunk().await {
                    Ok(Some(bytes)) => {
                        size += bytes.len() as u64;
                        if size > MAX_UPLOAD {
                            return error(
                                StatusCode::PAYLOAD_TOO_LARGE,
                                &format!("uploads are limited to {} MB", MAX_UPLOAD >> 20),
                            );
                        }
                        if let Err(e) = tmp.write_all(&bytes) {
                            return error(
                                StatusCode::INTERNAL_SERVER_ERROR,
                                &format!("cannot store the upload: {e}"),
                            );
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        return error(
                            e.status(),
                            &format!("the upload was interrupted: {}", e.body_text()),
                        )
                    }
                }
            }
            upload = Some((file_name, tmp, size));
        } else {
            let text = match field.text().await {
                Ok(t) => t,
                Err(e) => {
                    return error(
                        e.status(),
                        &format!("could not read field '{name}': {}", e.body_text()),
                    )
                }
            };
            fields.0.insert(name, text);
        }
    }
    if header_token.is_none() {
        if let Err(r) = check_token(expected, fields.get("token").as_deref()) {
            return r;
        }
    }
    let Some((file_name, tmp, size)) = upload else {
        return error(
            StatusCode::BAD_REQUEST,
            "no file in the upload (field 'file')",
        );
    };
    if size == 0 {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("{file_name}: the file is empty"),
        );
    }
    let format = match fields.get("format").as_deref() {
        None | Some("auto") => None,
        Some(f) => match f.parse::<Format>() {
            Ok(f) => Some(f),
            Err(e) => return error(StatusCode::BAD_REQUEST, &e),
        },
    };
    let opts = Options {
        format,
        dataset: fields.get("dataset").map(|d| import::slug(&d)),
        title: fields.get("title"),
        publisher: fields.get("publisher"),
        source_url: fields.get("source_url"),
        licence: fields.get("licence"),
        encoding: fields.get("encoding"),
        ..Options::default()
    };
    let id = state.jobs.new_id();
    state.jobs.set(
        &id,
        JobState::Importing {
            bytes: 0,
            total: size,
        },
    );
    let (jobs, explorer, job_id) = (state.jobs.clone(), state.explorer.clone(), id.clone());
    tokio::spawn(async move {
        let id = job_id;
        let progress = {
            let (jobs, id) = (jobs.clone(), id.clone());
            Progress::new(move |bytes| jobs.set(&id, JobState::Importing { bytes, total: size }))
        };
        // The temporary file lives until the import is done; the name shown is the uploaded one.
        let input = Input {
            name: file_name,
            bytes: import::InputBytes::File(tmp.path().to_path_buf()),
        };
        let result = import::run(&explorer.store, input, opts, progress).await;
        drop(tmp);
        // Cached pages, images and the catalogue are keyed by the data version: read it anew.
        explorer.data_changed();
        jobs.set(
            &id,
            match result {
                Ok(summary) => {
                    let explore = format!("/explore?dataset={}", summary.dataset);
                    JobState::Done { summary, explore }
                }
                Err(e) => JobState::Failed {
                    error: e.to_string(),
                },
            },
        );
    });
    let status_url = format!("/api/v1/admin/imports/{id}");
    let page = format!("/admin/import?job={id}");
    if wants_html {
        // Without JavaScript the form lands on the page that follows the job.
        // 303 See Other: the browser follows with a GET.
        return Redirect::to(&page).into_response();
    }
    (
        StatusCode::ACCEPTED,
        Json(json!({ "job": id, "status": status_url, "page": page })),
    )
        .into_response()
}
