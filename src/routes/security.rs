//! Framing and security headers on every response: `/embed…` pages may be framed by the configured
//! origins (`TRADEWINDS_EMBED_ORIGINS`, default any) and never set cookies; everything else may be framed
//! by this site only. Every HTML page gets a Content-Security-Policy whose `script-src` allows only this
//! site's files and the inline scripts carrying the response's nonce (hydration, the embed height
//! script); HSTS and `Secure` cookies when the public URL is https; `Vary: Host` while links follow the
//! Host; `Access-Control-Allow-Origin: *` on the read-only API. A hand-written tower layer because the
//! rules depend on the path and on the response.
//!
//! The nonce is made here for each request and handed to the render through the request's extensions
//! ([`provide_nonce`]); a page served from the page cache carries the nonce it was rendered with (in the
//! response's extensions), since its bytes are the cached ones. A cached page's nonce is only as fresh as
//! its render: a page differs by URL, so markup injected through a URL gets its own render and nonce.

use axum::http::header::{self, HeaderValue};
use axum::http::{Method, Request, Response, StatusCode};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// The CSP nonce of one response: made per request, or the one a cached page was rendered with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CspNonce(pub Arc<str>);

impl CspNonce {
    fn fresh() -> CspNonce {
        CspNonce(leptos::nonce::Nonce::new().as_inner().clone())
    }
}

/// Puts the request's nonce where Leptos' hydration scripts and `use_nonce()` find it (called in every
/// render's context; the request's parts are in the context by then).
pub fn provide_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(n) = use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(n.0));
    }
}

/// The script policy of an HTML page rendered with `nonce`. `'wasm-unsafe-eval'` lets the islands'
/// WebAssembly compile; no inline event handlers, no plugins, no `<base href>`, forms only to this site.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; form-action 'self'"
    )
}

fn is_embed_path(path: &str) -> bool {
    path == "/embed" || path.starts_with("/embed/")
}

/// A tower layer setting framing and security headers on every response: `/embed` pages may be framed
/// by the allow-list (`TRADEWINDS_EMBED_ORIGINS`, space-separated, default any origin) and never set
/// cookies; everything else may be framed by this site only.
#[derive(Clone)]
pub struct SecurityHeaders {
    embed_csp: HeaderValue,
    /// The public URL is https: HSTS and `Secure` cookies.
    https: bool,
    /// Links follow the request's Host (no public URL): caches must keep answers apart by Host.
    vary_host: bool,
}

impl SecurityHeaders {
    /// From the configuration (its origins were checked at start).
    pub fn from_config(config: &crate::config::Config) -> SecurityHeaders {
        SecurityHeaders {
            https: config.https(),
            vary_host: config.public_url.is_none(),
            ..SecurityHeaders::new(Some(&config.embed_origins.join(" ")))
        }
    }

    /// `origins`: CSP sources such as `https://news.example` or `https://*.example.org`; tokens that are
    /// not sources are dropped (and logged). The site itself may always frame its embeds (the builder's
    /// preview does).
    pub fn new(origins: Option<&str>) -> SecurityHeaders {
        let ok = |t: &&str| crate::config::is_frame_source(t);
        let tokens: Vec<&str> = origins.unwrap_or("").split_whitespace().collect();
        for bad in tokens.iter().filter(|t| !ok(t)) {
            tracing::warn!("TRADEWINDS_EMBED_ORIGINS: '{bad}' is not an origin; ignored");
        }
        let mut sources: Vec<&str> = tokens.into_iter().filter(|t| ok(t)).collect();
        if sources.is_empty() {
            sources.push("*");
        } else if !sources.contains(&"*") && !sources.contains(&"'self'") {
            sources.insert(0, "'self'");
        }
        let csp = format!("frame-ancestors {}", sources.join(" "));
        SecurityHeaders {
            embed_csp: HeaderValue::from_str(&csp)
                .unwrap_or(HeaderValue::from_static("frame-ancestors *")),
            https: false,
            vary_host: true,
        }
    }
}

impl<S> tower::Layer<S> for SecurityHeaders {
    type Service = SecurityHeadersService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SecurityHeadersService {
            inner,
            config: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct SecurityHeadersService<S> {
    inner: S,
    config: SecurityHeaders,
}

impl<S, ReqBody, ResBody> tower::Service<Request<ReqBody>> for SecurityHeadersService<S>
where
    S: tower::Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Future: Send + 'static,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<ReqBody>) -> Self::Future {
        let path = req.uri().path();
        let embed = is_embed_path(path);
        let public_api = (req.method() == Method::GET || req.method() == Method::HEAD)
            && path.starts_with("/api/v1/")
            && !path.starts_with("/api/v1/admin/");
        let config = self.config.clone();
        let nonce = CspNonce::fresh();
        req.extensions_mut().insert(nonce.clone());
        let response = self.inner.call(req);
        Box::pin(async move {
            let mut res = response.await?;
            // A cached page keeps the nonce it was rendered with.
            let nonce = res.extensions().get::<CspNonce>().cloned().unwrap_or(nonce);
            let html = res
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| t.starts_with("text/html"));
            let revalidated = res.status() == StatusCode::NOT_MODIFIED;
            let h = res.headers_mut();
            if config.https {
                h.insert(
                    header::STRICT_TRANSPORT_SECURITY,
                    HeaderValue::from_static("max-age=31536000"),
                );
                secure_cookies(h);
            }
            if config.vary_host {
                h.append(header::VARY, HeaderValue::from_static("host"));
            }
            if public_api {
                h.insert(
                    header::ACCESS_CONTROL_ALLOW_ORIGIN,
                    HeaderValue::from_static("*"),
                );
            }
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            h.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("strict-origin-when-cross-origin"),
            );
            // A 304 carries no policy: the browser keeps the one stored with its copy of the page, whose
            // nonce matches that copy (a policy here would replace it).
            if revalidated {
                return Ok(res);
            }
            // Appended, not replaced: a page's own policy (if any) is enforced alongside.
            if embed {
                h.append(header::CONTENT_SECURITY_POLICY, config.embed_csp);
                h.remove(header::X_FRAME_OPTIONS);
                h.remove(header::SET_COOKIE);
            } else {
                h.append(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static("frame-ancestors 'self'"),
                );
                h.insert(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("SAMEORIGIN"),
                );
            }
            // A second policy header: both are enforced.
            if html {
                if let Ok(v) = HeaderValue::from_str(&page_csp(&nonce.0)) {
                    h.append(header::CONTENT_SECURITY_POLICY, v);
                }
            }
            Ok(res)
        })
    }
}

/// Adds `Secure` to every cookie the response sets (the site is served over https).
fn secure_cookies(h: &mut axum::http::HeaderMap) {
    let cookies: Vec<HeaderValue> = h.get_all(header::SET_COOKIE).iter().cloned().collect();
    if cookies.is_empty() {
        return;
    }
    h.remove(header::SET_COOKIE);
    for c in cookies {
        let secure = c
            .to_str()
            .ok()
            .filter(|s| !s.to_ascii_lowercase().contains("; secure"))
            .and_then(|s| HeaderValue::from_str(&format!("{s}; Secure")).ok());
        h.append(header::SET_COOKIE, secure.unwrap_or(c));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_ancestors_allow_list() {
        let csp = |o: Option<&str>| {
            SecurityHeaders::new(o)
                .embed_csp
                .to_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(csp(None), "frame-ancestors *");
        assert_eq!(csp(Some("  ")), "frame-ancestors *");
        assert_eq!(
            csp(Some("https://news.example https://*.assoc.example")),
            "frame-ancestors 'self' https://news.example https://*.assoc.example"
        );
        assert_eq!(
            csp(Some("https://a.example; 'unsafe-inline' https://b.example")),
            "frame-ancestors 'self' https://b.example",
            "injection attempts are dropped token by token"
        );
    }
}
