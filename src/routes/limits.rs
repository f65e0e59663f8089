//! What stands between a client and the routes, so that no client (or flood of clients) can take the
//! server for itself: per-client rate limits, a bound on expensive work running at once (chart images,
//! downloads, uncached page renders), a time limit for starting an answer, bounded and timed request
//! bodies, and a panic answered as a plain 500 instead of a dropped connection. Every refusal is a
//! plain-text message saying what to do, with `Retry-After` where waiting helps. The limits come from
//! `Config::limits` (the `TRADEWINDS_*` variables, read once at start).

use super::http::plain;
use crate::config::Limits;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use http_body_util::BodyExt;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Largest request body outside the admin upload (which has its own, larger bound): server functions
/// and forms are small.
pub const MAX_BODY: usize = 2 << 20;

/// The shared state of the limits: one per router.
#[derive(Clone)]
pub struct Guards {
    limits: Limits,
    rate: Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>,
    heavy: Arc<Semaphore>,
    requests: Arc<AtomicU64>,
}

impl Guards {
    pub fn new(limits: &Limits) -> Guards {
        let rate = limits.rate.map(|(per_second, burst)| {
            let n = |v: u32| NonZeroU32::new(v).unwrap_or(NonZeroU32::MIN);
            Arc::new(RateLimiter::keyed(
                Quota::per_second(n(per_second)).allow_burst(n(burst)),
            ))
        });
        Guards {
            limits: limits.clone(),
            rate,
            heavy: Arc::new(Semaphore::new(limits.heavy_concurrency.max(1))),
            requests: Arc::new(AtomicU64::new(0)),
        }
    }
}

/// The outer guards around a whole router (inner to outer: body limit, time limit, rate limit, panics,
/// body read timeout). The expensive-work bound is [`heavy`], placed inside the page cache so that
/// cached pages never wait for it.
pub fn outer(router: Router, guards: &Guards) -> Router {
    router
        .layer(axum::middleware::from_fn(limit_body))
        .layer(axum::middleware::from_fn_with_state(guards.clone(), time_limit))
        .layer(axum::middleware::from_fn_with_state(guards.clone(), rate_limit))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        // A body that stalls longer than this between two pieces is dropped (a half-sent upload).
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            guards.limits.read_timeout,
        ))
}

fn retry_after(mut res: Response, seconds: u64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&seconds.max(1).to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// The rate limit's key: the client's address; an IPv6 client owns its whole /64.
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    }
}

/// The client's address as the rate limit and the logs should see it: the connecting `peer`, or, when
/// the peer is one of the `trusted` proxies, the address the proxies forwarded. `forwarded_for` holds the
/// `X-Forwarded-For` values in order; each proxy appends the address it was reached from, so the walk
/// goes from the right and stops at the first entry that is not itself a trusted proxy. Whatever a client
/// wrote into the header sits further left and is never reached past that entry, so a client cannot
/// choose its own address. An unreadable entry ends the walk at the last readable hop.
pub fn client_address(peer: IpAddr, forwarded_for: &[&str], trusted: &[ipnet::IpNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(&ip.to_canonical()));
    if !is_trusted(peer) {
        return peer;
    }
    let mut client = peer;
    for entry in forwarded_for.iter().rev().flat_map(|value| value.rsplit(',')) {
        let entry = entry.trim();
        // Plain addresses; some proxies add a port ("192.0.2.1:4711", "[2001:db8::1]:4711").
        let Some(ip) = entry
            .parse::<IpAddr>()
            .ok()
            .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
        else {
            break;
        };
        client = ip.to_canonical();
        if !is_trusted(client) {
            break;
        }
    }
    client
}

/// Per-client rate limit (GCRA: a steady rate with bursts). Requests without a peer address (the router
/// driven in-process) are not limited.
async fn rate_limit(State(g): State<Guards>, req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if let (Some(limiter), Some(ip)) = (&g.rate, peer) {
        // Forget idle clients now and then, so the table stays small.
        if g.requests.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        if let Err(not_until) = limiter.check_key(&client_key(ip)) {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let (rate, burst) = g.limits.rate.unwrap_or_default();
            let seconds = wait.as_secs() + 1;
            return retry_after(
                plain(
                    StatusCode::TOO_MANY_REQUESTS,
                    &format!(
                        "Too many requests from your address (the limit is {rate} a second, {burst} at once). \
                         Wait {seconds} s and try again; for much data, download whole datasets \
                         (/api/v1/datasets/{{id}}/observations?format=csv) instead of many small requests."
                    ),
                ),
                seconds,
            );
        }
    }
    next.run(req).await
}

/// A route that costs real work per request: chart images, downloads, CSV, rankings and market answers,
/// and pages (cheap when the page cache has them: this guard sits behind it).
fn is_heavy(method: &Method, path: &str) -> bool {
    if method != Method::GET && method != Method::HEAD {
        return false;
    }
    let cheap_prefix = ["/pkg/", "/v/", "/theme", "/lang", "/oembed", "/sources/", "/favicon", "/embed.js"];
    if path.starts_with("/chart.")
        || path.starts_with("/markets/chart.")
        || path.ends_with(".csv")
        || path.contains("/observations")
        || path.starts_with("/api/v1/markets")
        || path.starts_with("/api/v1/rankings")
    {
        return true;
    }
    // Pages: everything else that is not the API, an asset or a switch.
    !path.starts_with("/api/") && !cheap_prefix.iter().any(|p| path.starts_with(p)) && !path.contains('.')
}

/// Bounds the expensive requests running at once; the permit is held until the answer's body has been
/// sent (streamed downloads included). A request that cannot start within `heavy_wait` gets a 503.
pub async fn heavy(State(g): State<Guards>, req: Request, next: Next) -> Response {
    if !is_heavy(req.method(), req.uri().path()) {
        return next.run(req).await;
    }
    let permit = match tokio::time::timeout(g.limits.heavy_wait, g.heavy.clone().acquire_owned()).await {
        Ok(Ok(p)) => p,
        _ => {
            tracing::warn!(
                "busy: {} expensive requests running, {} refused",
                g.limits.heavy_concurrency,
                req.uri().path()
            );
            return retry_after(
                plain(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The server is busy drawing charts and preparing downloads for others. Please try \
                     again in a few seconds.",
                ),
                5,
            );
        }
    };
    let (parts, body) = next.run(req).await.into_parts();
    let body = body.map_frame(move |frame| {
        let _held = &permit;
        frame
    });
    Response::from_parts(parts, Body::new(body))
}

/// Gives up on a request whose answer has not started within `request_timeout` (a streamed download,
/// once started, may take as long as it needs).
async fn time_limit(State(g): State<Guards>, req: Request, next: Next) -> Response {
    let limit = g.limits.request_timeout;
    let path = req.uri().path().to_string();
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!("{path}: no answer within {} s; gave up", limit.as_secs());
            retry_after(
                plain(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &format!(
                        "The answer took longer than {} s and was given up. Try again in a minute, or ask \
                         for less (fewer series, fewer years, a smaller image).",
                        limit.as_secs()
                    ),
                ),
                60,
            )
        }
    }
}

fn too_large() -> Response {
    plain(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!(
            "The request body is larger than {} MB, more than any form or server function here takes. \
             To import a big file use the admin upload (/admin/import) or `tradewinds import` on the server.",
            MAX_BODY >> 20
        ),
    )
}

/// Refuses bodies over [`MAX_BODY`] with a 413 that says so (not the 500 a server function would give
/// when its body cannot be read): by `Content-Length` before reading, or while reading a chunked body.
/// The admin upload has its own, larger bound.
async fn limit_body(req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/v1/admin/") {
        return next.run(req).await;
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(n) if n > MAX_BODY as u64 => too_large(),
        Some(_) => next.run(req).await,
        None if axum::body::HttpBody::is_end_stream(req.body()) => next.run(req).await,
        None => {
            let (parts, body) = req.into_parts();
            match axum::body::to_bytes(body, MAX_BODY).await {
                Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
                Err(_) => too_large(),
            }
        }
    }
}

/// A panic while answering: logged with its message, answered with a plain 500.
fn panicked(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!("a request panicked: {what}");
    plain(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on the server while answering this request; it has been logged. Please \
         try again later, and if it keeps happening, tell us the address you asked for.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expensive_routes_are_known() {
        let get = Method::GET;
        for heavy in ["/chart.png", "/chart.svg", "/markets/chart.svg", "/explore", "/", "/zh/markets", "/embed", "/api/v1/observations", "/api/v1/datasets/x/observations", "/api/v1/rankings.csv"] {
            assert!(is_heavy(&get, heavy), "{heavy}");
        }
        for cheap in ["/pkg/tradewinds.wasm", "/v/abc/pkg/x.js", "/theme", "/api/v1/series", "/embed.js", "/oembed", "/favicon.svg"] {
            assert!(!is_heavy(&get, cheap), "{cheap}");
        }
        assert!(!is_heavy(&Method::POST, "/api/some_server_fn"));
    }

    #[test]
    fn ipv6_clients_are_limited_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        let v4: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(client_key(v4), "10.0.0.1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn the_client_behind_a_trusted_proxy_is_the_one_it_names() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let nets = |list: &[&str]| -> Vec<ipnet::IpNet> { list.iter().map(|n| n.parse().unwrap()).collect() };
        let proxies = nets(&["127.0.0.1/32", "10.0.0.0/8"]);
        let proxy = ip("127.0.0.1");
        // No proxy configured, or a peer that is not one: the header is whatever a client wrote.
        assert_eq!(client_address(ip("198.51.100.7"), &["203.0.113.1"], &proxies), ip("198.51.100.7"));
        assert_eq!(client_address(proxy, &["203.0.113.1"], &[]), proxy);
        // One proxy: it appended the client's address.
        assert_eq!(client_address(proxy, &["203.0.113.1"], &proxies), ip("203.0.113.1"));
        // A client's own "X-Forwarded-For: 192.0.2.66" is kept by the proxy and sits left: not believed.
        assert_eq!(client_address(proxy, &["192.0.2.66, 203.0.113.1"], &proxies), ip("203.0.113.1"));
        // Two proxies (one in 10/8), also as two header lines; ports and IPv6 in brackets.
        assert_eq!(client_address(proxy, &["192.0.2.66", "203.0.113.1:4711, 10.1.2.3"], &proxies), ip("203.0.113.1"));
        assert_eq!(client_address(proxy, &["[2001:db8::5]:80"], &proxies), ip("2001:db8::5"));
        // The proxy's IPv4 seen as IPv4-mapped IPv6 is still the proxy.
        assert_eq!(client_address(ip("::ffff:127.0.0.1"), &["203.0.113.1"], &proxies), ip("203.0.113.1"));
        // No header, or only proxies in it: the nearest proxy's side is all that is known.
        assert_eq!(client_address(proxy, &[], &proxies), proxy);
        assert_eq!(client_address(proxy, &["10.9.9.9"], &proxies), ip("10.9.9.9"));
        // Garbage ends the walk at the last readable hop, never past it.
        assert_eq!(client_address(proxy, &["203.0.113.1, unknown, 10.1.2.3"], &proxies), ip("10.1.2.3"));
        assert_eq!(client_address(proxy, &["not an address"], &proxies), proxy);
    }
}
