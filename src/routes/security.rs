//! Framing and security headers on every response: `/embed…` pages may be framed by the configured
//! origins (`TRADEWINDS_EMBED_ORIGINS`, default any) and never set cookies; everything else may be framed
//! by this site only. A hand-written tower layer because the embed rule depends on the path.

use axum::http::header::{self, HeaderValue};
use axum::http::{Request, Response};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

fn is_embed_path(path: &str) -> bool {
    path == "/embed" || path.starts_with("/embed/")
}

/// A tower layer setting framing and security headers on every response: `/embed` pages may be framed
/// by the allow-list (`TRADEWINDS_EMBED_ORIGINS`, space-separated, default any origin) and never set
/// cookies; everything else may be framed by this site only.
#[derive(Clone)]
pub struct SecurityHeaders {
    embed_csp: HeaderValue,
}

impl SecurityHeaders {
    /// From the configuration (its origins were checked at start).
    pub fn from_config(config: &crate::config::Config) -> SecurityHeaders {
        SecurityHeaders::new(Some(&config.embed_origins.join(" ")))
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
        }
    }
}

impl<S> tower::Layer<S> for SecurityHeaders {
    type Service = SecurityHeadersService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SecurityHeadersService {
            inner,
            embed_csp: self.embed_csp.clone(),
        }
    }
}

#[derive(Clone)]
pub struct SecurityHeadersService<S> {
    inner: S,
    embed_csp: HeaderValue,
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

    fn call(&mut self, req: Request<ReqBody>) -> Self::Future {
        let embed = is_embed_path(req.uri().path());
        let embed_csp = self.embed_csp.clone();
        let response = self.inner.call(req);
        Box::pin(async move {
            let mut res = response.await?;
            let h = res.headers_mut();
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            h.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("strict-origin-when-cross-origin"),
            );
            // Appended, not replaced: a page's own policy (if any) is enforced alongside.
            if embed {
                h.append(header::CONTENT_SECURITY_POLICY, embed_csp);
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
            Ok(res)
        })
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
