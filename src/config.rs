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
}

/// A variable that cannot be used, named, with what it should look like.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {reason}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub reason: String,
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
            leptos,
            public_url,
            embed_origins,
            admin_token: admin_token
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string),
            page_cache: true,
        })
    }

    /// The site's public origin (`https://example.org`, no trailing slash) for absolute URLs:
    /// `TRADEWINDS_PUBLIC_URL` if set, else the request's `Host` (with `X-Forwarded-Proto: https` from
    /// a TLS proxy), else localhost.
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
        });
        let scheme = match value(HeaderName::from_static("x-forwarded-proto")) {
            Some("https") => "https",
            _ => "http",
        };
        format!("{scheme}://{}", host.unwrap_or("localhost"))
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
        let c = config(None, None, Some("t")).unwrap();
        let mut h = HeaderMap::new();
        assert_eq!(c.public_origin(Some(&h)), "http://localhost");
        h.insert("host", HeaderValue::from_static("example.org:8080"));
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(c.public_origin(Some(&h)), "https://example.org:8080");
        h.insert("host", HeaderValue::from_static("evil\"><script>"));
        assert_eq!(c.public_origin(Some(&h)), "https://localhost");
    }
}
