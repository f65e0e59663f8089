//! The built browser assets (`target/site/pkg`: wasm, its JS glue, the stylesheet), served from memory
//! like static files should be: read once at start, compressed once at the highest settings (brotli 11,
//! zopfli gzip — kept in `<site root>/.precompressed/` by content hash, so only the first start after a
//! build pays for it), under a content-hashed path (`/v/<hash>/pkg/…`) with `Cache-Control: immutable`,
//! so a browser fetches each build once and a new build is a new URL. The plain `/pkg/…` paths still
//! answer, briefly cacheable.

use super::http::{accepts, hex, not_modified};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Unversioned paths may change with the next build: browsers ask again after five minutes.
const SHORT: &str = "public, max-age=300";

struct Asset {
    content_type: &'static str,
    plain: Bytes,
    gzip: Option<Bytes>,
    brotli: Option<Bytes>,
    etag: String,
}

/// The assets of one build, by file name under `pkg/` (e.g. `tradewinds_bg.wasm`).
#[derive(Clone, Default)]
pub struct Assets {
    files: Arc<HashMap<String, Asset>>,
    /// Hash of every file: the version in `/v/<version>/pkg/…`.
    version: String,
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "map" => "application/json",
        _ => "application/octet-stream",
    }
}

fn brotli(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).ok()?;
    Some(out)
}

fn zopfli_gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    zopfli::compress(zopfli::Options::default(), zopfli::Format::Gzip, bytes, &mut out).ok()?;
    Some(out)
}

/// `compress(bytes)`, remembered on disk under the content's hash (`cache/<hash>.<ext>`); without a
/// writable cache folder it is computed each start.
fn compressed(
    cache: &std::path::Path,
    hash: &str,
    ext: &str,
    bytes: &[u8],
    compress: fn(&[u8]) -> Option<Vec<u8>>,
) -> Option<Bytes> {
    let path = cache.join(format!("{hash}.{ext}"));
    if let Ok(done) = std::fs::read(&path) {
        return Some(Bytes::from(done));
    }
    let out = compress(bytes)?;
    // Several processes may start at once (tests): each writes its own file, the rename is atomic.
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = cache.join(format!("{hash}.{ext}.{}-{n}.tmp", std::process::id()));
    if std::fs::create_dir_all(cache).is_ok() && std::fs::write(&tmp, &out).is_ok() {
        let _ = std::fs::rename(&tmp, &path);
    }
    Some(Bytes::from(out))
}

impl Assets {
    /// Reads and compresses every file under `site_root/pkg_dir`. A missing folder (tests, a build
    /// without the wasm) gives no assets: pages then link the plain `/pkg/…` paths.
    pub fn load(site_root: &str, pkg_dir: &str) -> Assets {
        let dir = std::path::Path::new(site_root).join(pkg_dir);
        let cache = std::path::Path::new(site_root).join(".precompressed");
        let mut files = HashMap::new();
        let mut all = Sha256::new();
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            entries.sort();
            for path in entries {
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                let name = path
                    .strip_prefix(&dir)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                all.update(name.as_bytes());
                all.update(Sha256::digest(&bytes));
                let ct = content_type(&name);
                let hash = hex(&Sha256::digest(&bytes)[..16]);
                // Tiny files gain nothing from compression.
                let compress = bytes.len() > 256;
                let asset = Asset {
                    content_type: ct,
                    gzip: compress
                        .then(|| compressed(&cache, &hash, "gz", &bytes, zopfli_gzip))
                        .flatten(),
                    brotli: compress
                        .then(|| compressed(&cache, &hash, "br", &bytes, brotli))
                        .flatten(),
                    etag: format!("\"{}\"", &hash[..24]),
                    plain: Bytes::from(bytes),
                };
                files.insert(name, asset);
            }
        }
        let version = if files.is_empty() {
            String::new()
        } else {
            hex(&all.finalize()[..6])
        };
        Assets {
            files: Arc::new(files),
            version,
        }
    }

    /// The prefix pages put before `/pkg/…`: `/v/<hash>`, or nothing without a build.
    pub fn root(&self) -> String {
        match self.version.is_empty() {
            true => String::new(),
            false => format!("/v/{}", self.version),
        }
    }

    fn serve(&self, name: &str, headers: &HeaderMap, cache_control: &'static str) -> Response {
        let Some(asset) = self.files.get(name) else {
            return super::http::plain(StatusCode::NOT_FOUND, "No such file.");
        };
        let mut res = Response::builder()
            .header(header::CACHE_CONTROL, cache_control)
            .header(header::ETAG, &asset.etag)
            .header(header::VARY, "accept-encoding");
        if not_modified(headers, &[&asset.etag]) {
            return res
                .status(StatusCode::NOT_MODIFIED)
                .body(Body::empty())
                .unwrap_or_default();
        }
        res = res.header(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
        let takes = |coding: &str| accepts(headers, coding);
        let body = match (&asset.brotli, &asset.gzip) {
            (Some(br), _) if takes("br") => {
                res = res.header(header::CONTENT_ENCODING, "br");
                br.clone()
            }
            (_, Some(gz)) if takes("gzip") => {
                res = res.header(header::CONTENT_ENCODING, "gzip");
                gz.clone()
            }
            _ => asset.plain.clone(),
        };
        res.body(Body::from(body)).unwrap_or_default()
    }
}

/// `GET /v/{version}/pkg/{*file}`: this build's file, cacheable for ever; another build's is gone.
pub async fn versioned(
    State(assets): State<Assets>,
    Path((version, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if version != assets.version {
        return super::http::plain(
            StatusCode::NOT_FOUND,
            "This file belongs to another build of the site; reload the page.",
        );
    }
    assets.serve(&file, &headers, IMMUTABLE)
}

/// `GET /pkg/{*file}`: the current build's file under its plain name.
pub async fn plain(
    State(assets): State<Assets>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> impl IntoResponse {
    assets.serve(&file, &headers, SHORT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_negotiated() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip, br;q=0.9"));
        assert!(accepts(&h, "br") && accepts(&h, "gzip"));
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip, br;q=0"));
        assert!(!accepts(&h, "br"));
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("identity"));
        assert!(!accepts(&h, "gzip"));
    }

    #[test]
    fn a_build_is_served_under_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("pkg");
        std::fs::create_dir_all(pkg.join("snippets")).unwrap();
        let css = "body { color: black; } ".repeat(40);
        std::fs::write(pkg.join("app.css"), &css).unwrap();
        std::fs::write(pkg.join("snippets/x.js"), "export const x = 1;").unwrap();
        let assets = Assets::load(dir.path().to_str().unwrap(), "pkg");
        assert_eq!(assets.root().len(), "/v/".len() + 12);
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("br, gzip"));
        let r = assets.serve("app.css", &h, IMMUTABLE);
        assert_eq!(r.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(r.headers()[header::CACHE_CONTROL], IMMUTABLE);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "text/css; charset=utf-8");
        let etag = r.headers()[header::ETAG].clone();
        h.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(assets.serve("app.css", &h, IMMUTABLE).status(), StatusCode::NOT_MODIFIED);
        assert_eq!(assets.serve("snippets/x.js", &HeaderMap::new(), SHORT).status(), StatusCode::OK);
        assert_eq!(assets.serve("nope.js", &HeaderMap::new(), SHORT).status(), StatusCode::NOT_FOUND);
        // A changed file is a new version.
        std::fs::write(pkg.join("app.css"), format!("{css} ")).unwrap();
        assert_ne!(Assets::load(dir.path().to_str().unwrap(), "pkg").root(), assets.root());
    }
}
