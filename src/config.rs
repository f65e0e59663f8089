//! Everything the server is configured with, read once at start: the database, Leptos' site options
//! (`Leptos.toml`, overridden by `LEPTOS_*`) and the `TRADEWINDS_*` variables. Request paths read this
//! struct (passed in the app state), never the environment; a bad value stops the start with a message
//! naming the variable.

use leptos::prelude::LeptosOptions;

/// The configuration of one server process.
#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL` (default: the embedded SQLite file).
    pub database_url: String,
    /// `DATABASE_READ_URL`: a PostgreSQL read replica for the pages and the API (imports and their
    /// checks go to `DATABASE_URL`).
    pub database_read_url: Option<String>,
    /// `Leptos.toml` with the `LEPTOS_*` overrides (`LEPTOS_SITE_ADDR`, …).
    pub leptos: LeptosOptions,
    /// `TRADEWINDS_PUBLIC_URL`: the origin used in snippets, citations and share tags, e.g.
    /// `https://tradewinds.example` (no trailing slash); `None`: the request's host.
    pub public_url: Option<String>,
    /// `TRADEWINDS_EMBED_ORIGINS`: who may frame `/embed…` pages, as CSP sources; empty: any origin.
    pub embed_origins: Vec<String>,
    /// `TRADEWINDS_ADMIN_TOKEN`: enables web uploads; `None` disables them.
    pub admin_token: Option<String>,
    /// `TRADEWINDS_PAGE_CACHE=off` renders every page anew (benchmarks of uncached rendering).
    pub page_cache: bool,
    /// `TRADEWINDS_ALLOWED_HOSTS`: without a public URL, the `Host` values (besides loopback ones) that
    /// links may be built from; any other Host gets `http://localhost` links.
    pub allowed_hosts: Vec<String>,
    /// What one client and the whole server may ask for at once, and how long anything may take.
    pub limits: Limits,
}

/// Request limits, generous by default: normal use and the end-to-end tests never meet them; a flood or
/// a client that holds connections open does.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// `TRADEWINDS_RATE_LIMIT=<per second>/<burst>` (default `100/1000`) per client address; `off`: none.
    pub rate: Option<(u32, u32)>,
    /// `TRADEWINDS_HEAVY_CONCURRENCY` (default 16): chart images, downloads and uncached page renders
    /// running at once; more wait up to `heavy_wait`, then get 503.
    pub heavy_concurrency: usize,
    /// `TRADEWINDS_HEAVY_WAIT` seconds (default 10).
    pub heavy_wait: std::time::Duration,
    /// `TRADEWINDS_REQUEST_TIMEOUT` seconds (default 60): time to start answering (headers); a streamed
    /// download may then take as long as it needs.
    pub request_timeout: std::time::Duration,
    /// `TRADEWINDS_READ_TIMEOUT` seconds (default 20): a client that sends its request headers, or a
    /// pause inside its body, slower than this is dropped.
    pub read_timeout: std::time::Duration,
    /// `TRADEWINDS_SHUTDOWN_GRACE` seconds (default 30): how long a stopping server lets running requests
    /// (and imports) finish.
    pub shutdown_grace: std::time::Duration,
    /// `TRADEWINDS_TRUSTED_PROXIES` (default none): addresses or networks, comma-separated, of the
    /// reverse proxies in front of this instance (`127.0.0.1,10.0.0.0/8`). A request from one of them
    /// is the client's its `X-Forwarded-For` names (see `routes::limits::client_address`): rate limits and
    /// logs then see each client, not the proxy. From anyone else the header is ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Default for Limits {
    fn default() -> Limits {
        use std::time::Duration;
        Limits {
            rate: Some((100, 1000)),
            heavy_concurrency: 16,
            heavy_wait: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            read_timeout: Duration::from_secs(20),
            shutdown_grace: Duration::from_secs(30),
            trusted_proxies: Vec::new(),
        }
    }
}

impl Limits {
    /// Reads the `TRADEWINDS_*` limit variables through `var`; unset ones keep their defaults.
    fn from_vars(
        var: impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
    ) -> Result<Limits, ConfigError> {
        let mut l = Limits::default();
        let bad = |variable: &'static str, v: &str, what: &str| ConfigError {
            variable,
            reason: format!("'{v}' is not {what}"),
        };
        let number = |name: &'static str| -> Result<Option<u64>, ConfigError> {
            match var(name)?.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => match v.parse::<u64>() {
                    Ok(n) if n > 0 => Ok(Some(n)),
                    _ => Err(bad(name, v, "a whole number above 0")),
                },
            }
        };
        let seconds = |name: &'static str, into: &mut std::time::Duration| -> Result<(), ConfigError> {
            if let Some(n) = number(name)? {
                *into = std::time::Duration::from_secs(n);
            }
            Ok(())
        };
        if let Some(v) = var("TRADEWINDS_RATE_LIMIT")?.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            l.rate = match v {
                "off" | "0" => None,
                _ => {
                    let (rate, burst) = v.split_once('/').unwrap_or((v, v));
                    match (rate.trim().parse::<u32>(), burst.trim().parse::<u32>()) {
                        (Ok(r), Ok(b)) if r > 0 && b > 0 => Some((r, b)),
                        _ => {
                            return Err(bad(
                                "TRADEWINDS_RATE_LIMIT",
                                v,
                                "<requests per second>/<burst> like 100/1000, or off",
                            ))
                        }
                    }
                }
            };
        }
        if let Some(n) = number("TRADEWINDS_HEAVY_CONCURRENCY")? {
            l.heavy_concurrency = n as usize;
        }
        seconds("TRADEWINDS_HEAVY_WAIT", &mut l.heavy_wait)?;
        seconds("TRADEWINDS_REQUEST_TIMEOUT", &mut l.request_timeout)?;
        seconds("TRADEWINDS_READ_TIMEOUT", &mut l.read_timeout)?;
        seconds("TRADEWINDS_SHUTDOWN_GRACE", &mut l.shutdown_grace)?;
        for entry in var("TRADEWINDS_TRUSTED_PROXIES")?.unwrap_or_default().split(',') {
            let entry = entry.trim();
            if entry.is_empty() {
                continue;
            }
            let net = entry
                .parse::<ipnet::IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    bad("TRADEWINDS_TRUSTED_PROXIES", entry, "an address or a network like 10.0.0.0/8")
                })?;
            l.trusted_proxies.push(net);
        }
        Ok(l)
    }
}

/// A variable that cannot be used, named, with what it should look like.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {reason}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub reason: String,
}

/// Whether a database address names PostgreSQL (`postgres://…`, `postgresql://…`); anything else is SQLite.
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl Config {
    /// Reads `Leptos.toml` and the environment. `database_url` comes from the command line (which
    /// falls back to `DATABASE_URL`).
    pub fn from_env(database_url: &str) -> Result<Config, ConfigError> {
        let leptos = leptos::prelude::get_configuration(Some("Leptos.toml"))
            .map_err(|e| ConfigError {
                variable: "Leptos.toml / LEPTOS_*",
                reason: format!("cannot read the site options (run from the project folder): {e}"),
            })?
            .leptos_options;
        let var = |name: &'static str| -> Result<Option<String>, ConfigError> {
            match std::env::var(name) {
                Ok(v) => Ok(Some(v)),
                Err(std::env::VarError::NotPresent) => Ok(None),
                Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError {
                    variable: name,
                    reason: "is not valid UTF-8".into(),
                }),
            }
        };
        let mut config = Config::new(
            database_url,
            leptos,
            var("TRADEWINDS_PUBLIC_URL")?.as_deref(),
            var("TRADEWINDS_EMBED_ORIGINS")?.as_deref(),
            var("TRADEWINDS_ADMIN_TOKEN")?.as_deref(),
        )?;
        config.page_cache = match var("TRADEWINDS_PAGE_CACHE")?.as_deref().map(str::trim) {
            None | Some("" | "on" | "1") => true,
            Some("off" | "0") => false,
            Some(other) => {
                return Err(ConfigError {
                    variable: "TRADEWINDS_PAGE_CACHE",
                    reason: format!("'{other}' is not on or off"),
                })
            }
        };
        config.database_read_url = match var("DATABASE_READ_URL")?.map(|u| u.trim().to_string()) {
            None => None,
            Some(u) if u.is_empty() => None,
            Some(u) if is_postgres_url(&u) => {
                if !is_postgres_url(&config.database_url) {
                    return Err(ConfigError {
                        variable: "DATABASE_READ_URL",
                        reason: "a read replica needs DATABASE_URL on PostgreSQL too (SQLite reads its own file)".into(),
                    });
                }
                Some(u)
            }
            Some(_) => {
                return Err(ConfigError {
                    variable: "DATABASE_READ_URL",
                    reason: "is not a postgres:// address of a read replica".into(),
                })
            }
        };
        config.limits = Limits::from_vars(&var)?;
        config.allowed_hosts = hosts(var("TRADEWINDS_ALLOWED_HOSTS")?.as_deref())?;
        config.check_exposure()?;
        Ok(config)
    }

    /// Checks and keeps the given values (tests build configurations this way, without the environment).
    pub fn new(
        database_url: &str,
        leptos: LeptosOptions,
        public_url: Option<&str>,
        embed_origins: Option<&str>,
        admin_token: Option<&str>,
    ) -> Result<Config, ConfigError> {
        let public_url = match public_url.map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(u) => Some(parse_public_url(u).ok_or_else(|| ConfigError {
                variable: "TRADEWINDS_PUBLIC_URL",
                reason: format!(
                    "'{u}' is not an origin like https://tradewinds.example (http or https, a host, no path)"
                ),
            })?),
        };
        let embed_origins: Vec<String> = embed_origins
            .unwrap_or("")
            .split_whitespace()
            .map(str::to_string)
            .collect();
        if let Some(bad) = embed_origins.iter().find(|t| !is_frame_source(t)) {
            return Err(ConfigError {
                variable: "TRADEWINDS_EMBED_ORIGINS",
                reason: format!(
                    "'{bad}' is not an origin; give space-separated origins like https://news.example https://*.example.org"
                ),
            });
        }
        Ok(Config {
            database_url: database_url.to_string(),
            database_read_url: None,
            leptos,
            public_url,
            embed_origins,
            admin_token: admin_token
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string),
            page_cache: true,
            allowed_hosts: Vec::new(),
            limits: Limits::default(),
        })
    }

    /// Whether links are https (`TRADEWINDS_PUBLIC_URL` says so): then HSTS and `Secure` cookies.
    pub fn https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }

    /// A server reachable from other machines must know its own name: otherwise every link, share tag
    /// and snippet (some publicly cached) would be built from whatever `Host` a stranger sends.
    pub fn check_exposure(&self) -> Result<(), ConfigError> {
        let addr = self.leptos.site_addr;
        if addr.ip().is_loopback() || self.public_url.is_some() || !self.allowed_hosts.is_empty() {
            return Ok(());
        }
        Err(ConfigError {
            variable: "TRADEWINDS_PUBLIC_URL",
            reason: format!(
                "the server would listen on {addr}, reachable from other machines, but links would be \
                 built from each request's Host header; set TRADEWINDS_PUBLIC_URL=https://your.site \
                 (or TRADEWINDS_ALLOWED_HOSTS=\"your.site other.site\"), or listen on 127.0.0.1"
            ),
        })
    }

    /// Whether `host` (a `Host` header value, maybe with a port) may be written into links: a loopback
    /// name or address, or one of `TRADEWINDS_ALLOWED_HOSTS`.
    pub fn host_allowed(&self, host: &str) -> bool {
        let name = strip_port(host);
        let loopback = name.eq_ignore_ascii_case("localhost")
            || name.to_ascii_lowercase().ends_with(".localhost")
            || name
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        loopback
            || self
                .allowed_hosts
                .iter()
                .any(|h| h.eq_ignore_ascii_case(host) || h.eq_ignore_ascii_case(name))
    }

    /// The site's public origin (`https://example.org`, no trailing slash) for absolute URLs:
    /// `TRADEWINDS_PUBLIC_URL` if set, else the request's `Host` when it is a loopback name or in
    /// `TRADEWINDS_ALLOWED_HOSTS` (with `X-Forwarded-Proto: https` from a TLS proxy), else localhost —
    /// never a stranger's Host.
    #[cfg(feature = "ssr")]
    pub fn public_origin(&self, headers: Option<&axum::http::HeaderMap>) -> String {
        use axum::http::header::{self, HeaderName};
        if let Some(url) = &self.public_url {
            return url.clone();
        }
        let value = |name: HeaderName| {
            headers
                .and_then(|h| h.get(name))
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let host = value(header::HOST).filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
                && self.host_allowed(h)
        });
        let scheme = match value(HeaderName::from_static("x-forwarded-proto")) {
            Some("https") => "https",
            _ => "http",
        };
        format!("{scheme}://{}", host.unwrap_or("localhost"))
    }
}

/// `host:port` → `host` (`[::1]:3000` → `[::1]`).
fn strip_port(host: &str) -> &str {
    match host.rfind(':') {
        Some(i) if !host[i..].contains(']') && host[i + 1..].bytes().all(|b| b.is_ascii_digit()) => {
            &host[..i]
        }
        _ => host,
    }
}

/// `TRADEWINDS_ALLOWED_HOSTS`: space-separated host names, each maybe with a port.
fn hosts(value: Option<&str>) -> Result<Vec<String>, ConfigError> {
    let hosts: Vec<String> = value.unwrap_or("").split_whitespace().map(str::to_string).collect();
    match hosts.iter().find(|h| {
        !h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
    }) {
        Some(bad) => Err(ConfigError {
            variable: "TRADEWINDS_ALLOWED_HOSTS",
            reason: format!("'{bad}' is not a host name; give space-separated names like tradewinds.example www.tradewinds.example:8080"),
        }),
        None => Ok(hosts),
    }
}

/// `https://host[:port]` with an optional trailing slash → the origin without it.
fn parse_public_url(url: &str) -> Option<String> {
    let url = url.trim_end_matches('/');
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    ok.then(|| url.to_string())
}

/// A CSP source that may appear in `frame-ancestors`: a scheme, a keyword or an origin pattern; never
/// a token that could end the directive or add another (`;`, quotes other than `'self'`).
pub fn is_frame_source(t: &str) -> bool {
    matches!(t, "*" | "'self'" | "https:" | "http:")
        || (t
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:/*[]_".contains(&b))
            && t.chars().any(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(public: Option<&str>, origins: Option<&str>, token: Option<&str>) -> Result<Config, ConfigError> {
        let leptos = leptos::prelude::get_configuration(Some("Leptos.toml")).unwrap().leptos_options;
        Config::new("sqlite::memory:", leptos, public, origins, token)
    }

    #[test]
    fn bad_values_name_their_variable() {
        let e = config(Some("tradewinds.example"), None, None).unwrap_err();
        assert_eq!(e.variable, "TRADEWINDS_PUBLIC_URL");
        assert!(e.to_string().starts_with("TRADEWINDS_PUBLIC_URL: 'tradewinds.example'"), "{e}");
        let e = config(Some("https://a.example/path"), None, None).unwrap_err();
        assert_eq!(e.variable, "TRADEWINDS_PUBLIC_URL");
        let e = config(None, Some("https://a.example; 'unsafe-inline'"), None).unwrap_err();
        assert_eq!(e.variable, "TRADEWINDS_EMBED_ORIGINS");
        assert!(e.reason.contains("'a.example;'") || e.reason.contains("https://a.example;"), "{e}");
    }

    #[test]
    fn good_values_are_normalised() {
        let c = config(
            Some(" https://tradewinds.example/ "),
            Some("https://news.example  https://*.assoc.example"),
            Some("  "),
        )
        .unwrap();
        assert_eq!(c.public_url.as_deref(), Some("https://tradewinds.example"));
        assert_eq!(c.embed_origins, ["https://news.example", "https://*.assoc.example"]);
        assert_eq!(c.admin_token, None, "a blank token disables uploads");
        assert_eq!(c.public_origin(None), "https://tradewinds.example");
    }

    #[test]
    fn origin_follows_the_request_without_a_public_url() {
        use axum::http::{HeaderMap, HeaderValue};
        let mut c = config(None, None, Some("t")).unwrap();
        c.allowed_hosts = vec!["example.org".into()];
        let mut h = HeaderMap::new();
        assert_eq!(c.public_origin(Some(&h)), "http://localhost");
        h.insert("host", HeaderValue::from_static("example.org:8080"));
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(c.public_origin(Some(&h)), "https://example.org:8080");
        h.insert("host", HeaderValue::from_static("evil\"><script>"));
        assert_eq!(c.public_origin(Some(&h)), "https://localhost");
    }

    #[test]
    fn only_loopback_and_allowed_hosts_make_links() {
        use axum::http::{HeaderMap, HeaderValue};
        let mut c = config(None, None, None).unwrap();
        let origin = |c: &Config, host: &'static str| {
            let mut h = HeaderMap::new();
            h.insert("host", HeaderValue::from_static(host));
            c.public_origin(Some(&h))
        };
        assert_eq!(origin(&c, "127.0.0.1:3000"), "http://127.0.0.1:3000");
        assert_eq!(origin(&c, "[::1]:3000"), "http://[::1]:3000");
        assert_eq!(origin(&c, "localhost:8080"), "http://localhost:8080");
        assert_eq!(origin(&c, "evil.example"), "http://localhost");
        c.allowed_hosts = vec!["tradewinds.example".into()];
        assert_eq!(origin(&c, "tradewinds.example:8443"), "http://tradewinds.example:8443");
        assert_eq!(origin(&c, "evil.example"), "http://localhost");
    }

    #[test]
    fn an_exposed_server_must_know_its_name() {
        let mut leptos = leptos::prelude::get_configuration(Some("Leptos.toml")).unwrap().leptos_options;
        leptos.site_addr = "0.0.0.0:3000".parse().unwrap();
        let mut c = Config::new("sqlite::memory:", leptos.clone(), None, None, None).unwrap();
        let e = c.check_exposure().unwrap_err();
        assert_eq!(e.variable, "TRADEWINDS_PUBLIC_URL");
        assert!(e.reason.contains("0.0.0.0:3000"), "{e}");
        c.allowed_hosts = vec!["tw.example".into()];
        assert!(c.check_exposure().is_ok());
        let c = Config::new("sqlite::memory:", leptos, Some("https://tw.example"), None, None).unwrap();
        assert!(c.check_exposure().is_ok());
    }

    #[test]
    fn limits_are_read_and_checked() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &'static str| -> Result<Option<String>, ConfigError> {
                Ok(pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()))
            }
        };
        assert_eq!(Limits::from_vars(vars(&[])).unwrap(), Limits::default());
        let l = Limits::from_vars(vars(&[("TRADEWINDS_RATE_LIMIT", "5/20"), ("TRADEWINDS_REQUEST_TIMEOUT", "3")])).unwrap();
        assert_eq!(l.rate, Some((5, 20)));
        assert_eq!(l.request_timeout, std::time::Duration::from_secs(3));
        assert_eq!(Limits::from_vars(vars(&[("TRADEWINDS_RATE_LIMIT", "off")])).unwrap().rate, None);
        let e = Limits::from_vars(vars(&[("TRADEWINDS_HEAVY_CONCURRENCY", "lots")])).unwrap_err();
        assert_eq!(e.variable, "TRADEWINDS_HEAVY_CONCURRENCY");
        let l = Limits::from_vars(vars(&[("TRADEWINDS_TRUSTED_PROXIES", " 127.0.0.1, 10.0.0.0/8 ,::1,")])).unwrap();
        let nets: Vec<String> = l.trusted_proxies.iter().map(|n| n.to_string()).collect();
        assert_eq!(nets, ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]);
        let e = Limits::from_vars(vars(&[("TRADEWINDS_TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal")])).unwrap_err();
        assert_eq!(e.variable, "TRADEWINDS_TRUSTED_PROXIES");
        assert!(e.reason.contains("'proxy.internal'"), "{e}");
    }
}
