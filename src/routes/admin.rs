//! Admin-only imports over the web: `POST /api/v1/admin/imports` (multipart upload) starts an import job,
//! `GET /api/v1/admin/imports/{job}` reports its progress and summary.
//!
//! Both need the admin token from `TRADEWINDS_ADMIN_TOKEN`: as `Authorization: Bearer …`, or for the
//! upload form the first field, `token` — checked before anything else of the body is read, so a
//! stranger cannot make the server store a byte. With no token configured uploads are disabled (403); a
//! missing token is 401, a wrong one 403 (and logged with the client's address). Text fields are capped
//! at a few KB. Uploads are streamed to a temporary file, bounded in size, and imported by the same code
//! as the CLI: one transaction, so a failed or interrupted import leaves nothing behind.
//!
//! A job's progress is the admin's too: its status and its page (`/admin/import?job=…`) need the token
//! or the cookie an accepted upload sets ([`JOB_COOKIE`]: HttpOnly, SameSite=Strict, `Secure` under
//! https — a digest of the token, never the token), so the browser that uploaded follows its job and
//! whoever merely learns a job id sees nothing. The cookie opens job pages only, never uploads.

use crate::import::{self, Format, Input, Options, Progress, Summary};
use super::AppState;
use crate::store::Store;
use axum::body::Body;
use axum::extract::{
    ConnectInfo, DefaultBodyLimit, FromRequest, FromRequestParts, Multipart, Path, State,
};
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
/// Largest text field (title, licence, …) and most fields in one form.
const MAX_FIELD: usize = 4 << 10;
const MAX_FIELDS: usize = 32;

#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum JobState {
    Importing { bytes: u64, total: u64 },
    Done { summary: Summary, explore: String },
    Failed { error: String },
}

/// Running and finished imports, by job id (128 random bits). The status endpoint needs the token.
/// On PostgreSQL the states are also written to the database (`shared`), so that an instance other
/// than the one running a job can answer for it.
#[derive(Clone, Default)]
pub struct Jobs {
    counter: Arc<AtomicU64>,
    jobs: Arc<Mutex<HashMap<String, JobState>>>,
    shared: Option<Store>,
}

/// How often a running job's state is written to the shared table (also its sign of life).
const PUBLISH_EVERY: std::time::Duration = std::time::Duration::from_secs(1);
/// A shared job still importing but not written for this long lost its instance.
const ORPHANED_AFTER_S: f64 = 30.0;

impl Jobs {
    /// The jobs of an app on `store`: shared through it when it is PostgreSQL.
    pub fn new(store: &Store) -> Jobs {
        Jobs {
            shared: store.shares_jobs().then(|| store.clone()),
            ..Jobs::default()
        }
    }

    /// Writes a job's current state to the shared table (a failed write is logged: the job itself
    /// goes on, and this instance still answers for it).
    async fn publish(&self, id: &str, new: bool) {
        let (Some(store), Some(state)) = (&self.shared, self.local(id)) else { return };
        let json = serde_json::to_string(&state).unwrap_or_default();
        if let Err(e) = store.save_job(id, &json, new).await {
            tracing::warn!("import job {id}: its state could not be shared with other instances: {e}");
        }
    }

    /// Whether other instances see this instance's jobs (and it theirs).
    pub fn shared(&self) -> bool {
        self.shared.is_some()
    }

    fn local(&self, id: &str) -> Option<JobState> {
        self.jobs.lock().ok()?.get(id).cloned()
    }

    /// A job's state: this instance's own, or one another instance shared.
    pub async fn get(&self, id: &str) -> Option<JobState> {
        if let Some(state) = self.local(id) {
            return Some(state);
        }
        let store = self.shared.as_ref()?;
        let (json, age) = match store.job(id).await {
            Ok(found) => found?,
            Err(e) => {
                tracing::warn!("import job {id}: the shared state could not be read: {e}");
                return None;
            }
        };
        let state: JobState = serde_json::from_str(&json).ok()?;
        Some(match state {
            JobState::Importing { .. } if age > ORPHANED_AFTER_S => JobState::Failed {
                error: format!(
                    "The instance running this import stopped reporting {age:.0} s ago, before it \
                     finished. An import lands whole or not at all: the list of datasets shows whether \
                     this one did."
                ),
            },
            other => other,
        })
    }

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
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// Compares the SHA-256 digests of both in constant time: neither the token's bytes nor its length can
/// be learnt from response times.
fn same(a: &str, b: &str) -> bool {
    use sha2::{Digest, Sha256};
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The client's address, where the server knows it (not for the router driven in-process).
pub struct Peer(Option<std::net::SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Peer, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

/// [`check_token`], logging refusals with the client's address (never the token).
fn authorise(
    expected: Option<&str>,
    given: Option<&str>,
    peer: &Peer,
    what: &str,
) -> Result<(), Response> {
    let checked = check_token(expected, given);
    if checked.is_err() && expected.is_some() {
        let who = peer.0.map_or("in-process".to_string(), |a| a.ip().to_string());
        let why = if given.is_some_and(|g| !g.is_empty()) { "wrong token" } else { "no token" };
        tracing::warn!("admin {what} refused ({why}) from {who}");
    }
    checked
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

/// The cookie an accepted upload sets: it lets that browser follow its jobs without the token.
pub const JOB_COOKIE: &str = "tw_admin_jobs";
/// How long the cookie lasts: a day of following imports.
const JOB_COOKIE_AGE: u64 = 24 * 60 * 60;

/// What the job cookie holds: a digest of the token for this purpose only. The token cannot be read
/// back from it, and changing the token ends every such cookie.
fn job_cookie_value(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(format!("tradewinds admin job pages\0{token}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn job_cookie_header(token: &str) -> String {
    format!(
        "{JOB_COOKIE}={}; Path=/; Max-Age={JOB_COOKIE_AGE}; HttpOnly; SameSite=Strict",
        job_cookie_value(token)
    )
}

/// Whether a request may see import jobs: the token as `Authorization: Bearer …`, or the cookie an
/// accepted upload set. The refusal is the response to send (401 without either, 403 for a wrong one or
/// with uploads disabled), its message saying how to get in; refusals are logged with the address.
fn job_access(expected: Option<&str>, headers: &HeaderMap, peer: &Peer) -> Result<(), Response> {
    if let (Some(expected), Some(cookie)) = (expected, super::http::cookie(headers, JOB_COOKIE)) {
        if same(cookie, &job_cookie_value(expected)) {
            return Ok(());
        }
    }
    let token = bearer(headers);
    if token.is_none() && expected.is_some() {
        let who = peer.0.map_or("in-process".to_string(), |a| a.ip().to_string());
        tracing::warn!("admin job status refused (no token) from {who}");
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "import jobs are shown to the admin only: send the admin token (Authorization: Bearer …), \
             or follow the job in the browser that uploaded the file",
        ));
    }
    authorise(expected, token.as_deref(), peer, "job status")
}

/// `/admin/import?job=…` (and `/zh/…`): the page of one import job is refused (403, with how to get in)
/// without the token or the upload's cookie. The page without `job` (the upload form) is open.
pub async fn job_page_gate(
    State(state): State<AppState>,
    peer: Peer,
    req: Request<Body>,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let zh = path.starts_with("/zh/");
    let is_job_page = matches!(path, "/admin/import" | "/zh/admin/import")
        && form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
            .any(|(k, v)| k == "job" && !v.is_empty());
    if !is_job_page {
        return next.run(req).await;
    }
    match job_access(state.config.admin_token.as_deref(), req.headers(), &peer) {
        Ok(()) => next.run(req).await,
        Err(refused) => {
            let reason = refused.status();
            let message = match (state.config.admin_token.is_some(), zh) {
                (false, false) => "Uploads are disabled: the server has no TRADEWINDS_ADMIN_TOKEN.",
                (false, true) => "上传已停用：服务器未设置 TRADEWINDS_ADMIN_TOKEN。",
                (true, false) => {
                    "This import job is shown to the admin only. Open it in the browser that uploaded the \
                     file, or upload again with the admin token at /admin/import."
                }
                (true, true) => "此导入任务仅管理员可见。请在上传文件的浏览器中打开，或在 /zh/admin/import 用管理员令牌重新上传。",
            };
            let status = if reason == StatusCode::UNAUTHORIZED { StatusCode::FORBIDDEN } else { reason };
            (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
                message,
            )
                .into_response()
        }
    }
}

/// For the job page's server function (a public endpoint of its own): whether the request that calls it
/// may see import jobs, as [`job_page_gate`] decides for the page.
pub fn may_see_jobs(expected: Option<&str>, headers: &HeaderMap) -> bool {
    job_access(expected, headers, &Peer(None)).is_ok()
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

async fn job_status(
    State(state): State<AppState>,
    Path(job): Path<String>,
    headers: HeaderMap,
    peer: Peer,
) -> Response {
    if let Err(r) = job_access(state.config.admin_token.as_deref(), &headers, &peer) {
        return r;
    }
    match state.jobs.get(&job).await {
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

/// A text field, read up to [`MAX_FIELD`] bytes.
async fn read_field(field: &mut axum::extract::multipart::Field<'_>, name: &str) -> Result<String, Response> {
    let mut text = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(bytes)) => {
                if text.len() + bytes.len() > MAX_FIELD {
                    return Err(error(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        &format!("field '{name}' is longer than {} KB", MAX_FIELD >> 10),
                    ));
                }
                text.extend_from_slice(&bytes);
            }
            Ok(None) => break,
            Err(e) => {
                return Err(error(
                    e.status(),
                    &format!("could not read field '{name}': {}", e.body_text()),
                ))
            }
        }
    }
    String::from_utf8(text)
        .map_err(|_| error(StatusCode::BAD_REQUEST, &format!("field '{name}' is not UTF-8 text")))
}

/// Hands the body to the form parser one piece per poll. The parser (multer) reads every piece already
/// available before it looks at any, so a fast client's body would pile up in memory before the token
/// field is checked; this way it holds one piece beyond what it has looked at.
struct OnePieceAtATime<S> {
    inner: S,
    paused: bool,
}

impl<S: futures_util::Stream + Unpin> futures_util::Stream for OnePieceAtATime<S> {
    type Item = S::Item;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<S::Item>> {
        use std::task::Poll;
        if std::mem::take(&mut self.paused) {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let next = std::pin::Pin::new(&mut self.inner).poll_next(cx);
        self.paused = matches!(next, Poll::Ready(Some(_)));
        next
    }
}

async fn start_import(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: Peer,
    req: Request<Body>,
) -> Response {
    let req = req.map(|body| {
        Body::from_stream(OnePieceAtATime {
            inner: body.into_data_stream(),
            paused: false,
        })
    });
    let mut multipart = match Multipart::from_request(req, &state).await {
        Ok(m) => m,
        Err(e) => return error(e.status(), &e.body_text()),
    };
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    // The token comes first — in the header, or as the form's first field — and is checked before
    // another byte of the body is read.
    let header_token = bearer(&headers);
    let expected = state.config.admin_token.as_deref();
    if header_token.is_some() || expected.is_none() {
        if let Err(r) = authorise(expected, header_token.as_deref(), &peer, "upload") {
            return r;
        }
    }
    let mut authorised = header_token.is_some();
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
        if !authorised {
            let given = match name.as_str() {
                "token" => Some(match read_field(&mut field, &name).await {
                    Ok(t) => t.trim().to_string(),
                    Err(r) => return r,
                }),
                _ => None,
            };
            if let Err(r) = authorise(expected, given.as_deref(), &peer, "upload") {
                return r;
            }
            authorised = true;
            continue;
        }
        if name == "file" {
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
            if fields.0.len() >= MAX_FIELDS {
                return error(
                    StatusCode::BAD_REQUEST,
                    &format!("more than {MAX_FIELDS} form fields"),
                );
            }
            match read_field(&mut field, &name).await {
                Ok(text) => fields.0.insert(name, text),
                Err(r) => return r,
            };
        }
    }
    if !authorised {
        // An empty form: no token at all.
        if let Err(r) = authorise(expected, None, &peer, "upload") {
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
    // Shared before the answer, so that the status URL works on every instance at once.
    state.jobs.publish(&id, true).await;
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
        let run = import::run(&explorer.store, input, opts, progress);
        tokio::pin!(run);
        let result = loop {
            tokio::select! {
                result = &mut run => break result,
                _ = tokio::time::sleep(PUBLISH_EVERY) => jobs.publish(&id, false).await,
            }
        };
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
        jobs.publish(&id, false).await;
    });
    let status_url = format!("/api/v1/admin/imports/{id}");
    let page = format!("/admin/import?job={id}");
    // The uploading browser may follow its job (the token itself is never stored in it).
    let cookie = [(header::SET_COOKIE, expected.map(job_cookie_header).unwrap_or_default())];
    if wants_html {
        // Without JavaScript the form lands on the page that follows the job.
        // 303 See Other: the browser follows with a GET.
        return (cookie, Redirect::to(&page)).into_response();
    }
    (
        StatusCode::ACCEPTED,
        cookie,
        Json(json!({ "job": id, "status": status_url, "page": page })),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::RowError;

    /// Another instance reads a job back from the shared table exactly as it was written.
    #[test]
    fn a_job_state_reads_back_from_its_json() {
        let summary = Summary {
            file: "t.csv".into(),
            format: Format::Comtrade,
            dataset: "test".into(),
            series: 2,
            observations: 7,
            skipped_rows: 1,
            errors: vec![RowError { row: 3, column: "value".into(), reason: "not a number".into() }],
            unchanged: false,
            notes: "a note".into(),
        };
        for state in [
            JobState::Importing { bytes: 10, total: 20 },
            JobState::Done { summary, explore: "/explore?dataset=test".into() },
            JobState::Failed { error: "why".into() },
        ] {
            let json = serde_json::to_string(&state).unwrap();
            let back: JobState = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&back).unwrap(), json);
        }
        let unknown = r#"{"state":"done","explore":"/","summary":{"file":"f","format":"no-such-format","dataset":"d","series":0,"observations":0,"skipped_rows":0,"errors":[],"unchanged":false,"notes":""}}"#;
        assert!(serde_json::from_str::<JobState>(unknown).is_err(), "an unknown format is refused, not guessed");
    }
}
