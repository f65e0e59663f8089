//! `/api`: the API for people — each endpoint with its parameters, an example request to click and the
//! start of its real answer, the licence, the error format and the limits. The endpoints and their
//! parameters come from the OpenAPI description the routes are built from (`routes/openapi.rs`), and
//! the example answers are those requests run against the current data, so the page cannot drift from
//! the API. Plain HTML: no JavaScript.

use crate::components::source_text::with_code;
use crate::i18n::{t, tf, Lang};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    /// In the path (`{id}`) rather than the query string.
    pub in_path: bool,
    pub required: bool,
    pub description: String,
    pub example: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub description: String,
    pub params: Vec<Param>,
    /// A request to click: the path with the parameters' examples.
    pub example: String,
    /// The statuses it answers with: `(status, meaning)`.
    pub statuses: Vec<(String, String)>,
    /// The start of the example's real answer.
    pub response: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiDocs {
    pub endpoints: Vec<Endpoint>,
    pub max_ids: usize,
    pub default_limit: usize,
    pub max_limit: usize,
}

impl Endpoint {
    /// The section's anchor: `get-api-v1-datasets-id`.
    pub fn anchor(&self) -> String {
        format!("{} {}", self.method, self.path)
            .to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    }
}

#[server]
pub async fn load_api_docs(lang: Lang) -> Result<ApiDocs, ServerFnError> {
    let state = expect_context::<crate::routes::AppState>();
    let mut docs = ssr::with_examples(&state)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))?;
    if lang == Lang::ZhHans {
        docs.translate();
    }
    Ok(docs)
}

impl ApiDocs {
    /// The descriptions in Chinese (data/mappings/api_zh.csv); a text without a row stays English.
    #[cfg(feature = "ssr")]
    pub fn translate(&mut self) {
        let zh = |text: &mut String| {
            if let Some(t) = crate::labels::api_text_zh(text) {
                *text = t.to_string();
            }
        };
        for e in &mut self.endpoints {
            zh(&mut e.summary);
            zh(&mut e.description);
            e.params.iter_mut().for_each(|p| zh(&mut p.description));
            e.statuses.iter_mut().for_each(|(_, meaning)| zh(meaning));
        }
    }
}

#[component]
pub fn ApiDocsPage() -> impl IntoView {
    let lang = crate::i18n::current();
    let data = Resource::new(|| (), move |_| load_api_docs(lang));
    view! {
        <Title text=format!("{} · {}", t(lang, "api.title"), t(lang, "app.name"))/>
        <Meta name="description" content=t(lang, "api.lede")/>
        <div class="api-docs">
            <h1>{t(lang, "api.title")}</h1>
            <p class="lede">{t(lang, "api.lede")}</p>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <Docs docs=d lang=lang/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{t(lang, "error.load")}": "{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Docs(docs: ApiDocs, lang: Lang) -> impl IntoView {
    let limits = [
        tf(lang, "api.limits.ids", &[("n", &docs.max_ids.to_string())]),
        tf(
            lang,
            "api.limits.page",
            &[
                ("default", &crate::domain::format_number(docs.default_limit as f64)),
                ("max", &crate::domain::format_number(docs.max_limit as f64)),
            ],
        ),
        t(lang, "api.limits.stream").to_string(),
    ];
    view! {
        <nav class="api-toc" aria-label=t(lang, "api.contents")>
            <h2>{t(lang, "api.contents")}</h2>
            <ul>
                {docs.endpoints.iter().map(|e| view! {
                    <li><a href=format!("#{}", e.anchor())><code>{format!("{} {}", e.method, e.path)}</code></a>" — "{e.summary.clone()}</li>
                }).collect_view()}
            </ul>
        </nav>
        <section class="api-basics" aria-labelledby="api-basics">
            <h2 id="api-basics">{t(lang, "api.basics")}</h2>
            <p>{t(lang, "api.basics.text")}" "<a href="/api/v1/openapi.json" translate="no">"/api/v1/openapi.json"</a></p>
            <h3>{t(lang, "api.licence")}</h3>
            <p>{t(lang, "api.licence.text")}</p>
            <h3>{t(lang, "api.errors")}</h3>
            <p>{with_code(t(lang, "api.errors.text").to_string())}</p>
            <pre><code>"{\"error\": \"unknown parameter 'destnation'; this endpoint takes: indicator, origin, …\"}"</code></pre>
            <h3>{t(lang, "api.limits")}</h3>
            <ul>{limits.into_iter().map(|l| view! { <li>{with_code(l)}</li> }).collect_view()}</ul>
        </section>
        {docs.endpoints.into_iter().map(|e| view! { <EndpointDocs e=e lang=lang/> }).collect_view()}
    }
}

#[component]
fn EndpointDocs(e: Endpoint, lang: Lang) -> impl IntoView {
    let (anchor, labelled_by) = (e.anchor(), e.anchor());
    let params = if e.params.is_empty() {
        view! { <p>{t(lang, "api.params.none")}</p> }.into_any()
    } else {
        view! {
            <table class="api-params">
                <caption>{t(lang, "api.params")}</caption>
                <thead><tr>
                    <th scope="col">{t(lang, "api.param.name")}</th>
                    <th scope="col">{t(lang, "api.param.in")}</th>
                    <th scope="col">{t(lang, "api.param.description")}</th>
                </tr></thead>
                <tbody>
                    {e.params.iter().map(|p| view! {
                        <tr>
                            <th scope="row"><code>{p.name.clone()}</code>{p.required.then(|| view! { " " <span class="api-required">{t(lang, "api.param.required")}</span> })}</th>
                            <td>{t(lang, if p.in_path { "api.param.path" } else { "api.param.query" })}</td>
                            <td>{with_code(p.description.clone())}{p.example.clone().map(|x| view! { " " <span class="api-example-value">{t(lang, "api.param.example")}" "<code>{x}</code></span> })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="api-endpoint" aria-labelledby=labelled_by>
            <h2 id=anchor><code>{format!("{} {}", e.method, e.path)}</code></h2>
            <p class="api-summary">{with_code(e.summary)}</p>
            {(!e.description.is_empty()).then(|| view! { <p>{with_code(e.description)}</p> })}
            {params}
            <h3>{t(lang, "api.example")}</h3>
            <p><a class="api-example" href=e.example.clone()><code>{e.example.clone()}</code></a></p>
            {(!e.response.is_empty()).then(|| view! {
                <h3>{t(lang, "api.response")}</h3>
                <pre class="api-response"><code>{e.response}</code></pre>
            })}
            <h3>{t(lang, "api.statuses")}</h3>
            <ul class="api-statuses">
                {e.statuses.into_iter().map(|(status, meaning)| view! { <li><code>{status}</code>" "{with_code(meaning)}</li> }).collect_view()}
            </ul>
        </section>
    }
}

/// The page's data from the OpenAPI description, and the examples run through the app's own routes.
#[cfg(feature = "ssr")]
mod ssr {
    use super::{ApiDocs, Endpoint, Param};
    use crate::routes::{openapi, AppState};
    use crate::store::StoreError;
    use axum::body::Body;
    use axum::http::{header, Request};
    use std::sync::Mutex;
    use tower::ServiceExt;
    use utoipa::openapi::path::{Operation, ParameterIn};
    use utoipa::openapi::{RefOr, Required};

    /// An operation of the description, as the docs page lists it: parameters with their descriptions,
    /// and an example request made of the parameters' examples.
    fn endpoint(path: &str, method: &str, op: &Operation) -> Endpoint {
        let params: Vec<Param> = op
            .parameters
            .iter()
            .flatten()
            .filter_map(|p| match p {
                RefOr::T(p) => Some(p),
                RefOr::Ref(_) => None,
            })
            .map(|p| Param {
                name: p.name.clone(),
                in_path: matches!(p.parameter_in, ParameterIn::Path),
                required: matches!(p.required, Required::True),
                description: p.description.clone().unwrap_or_default(),
                // `example` is private in utoipa's type (deprecated in OpenAPI 3.1); its JSON form has it.
                example: serde_json::to_value(p).ok().and_then(|v| v.get("example").cloned()).map(|e| match e {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                }),
            })
            .collect();
        let mut example = path.to_string();
        let mut query = form_urlencoded::Serializer::new(String::new());
        let mut any = false;
        for p in &params {
            if let Some(e) = &p.example {
                if p.in_path {
                    example = example.replace(&format!("{{{}}}", p.name), e);
                } else {
                    query.append_pair(&p.name, e);
                    any = true;
                }
            }
        }
        if any {
            example = format!("{example}?{}", query.finish());
        }
        let statuses = op
            .responses
            .responses
            .iter()
            .map(|(status, r)| match r {
                RefOr::T(r) => (status.clone(), r.description.clone()),
                RefOr::Ref(_) => (status.clone(), String::new()),
            })
            .collect();
        Endpoint {
            method: method.to_uppercase(),
            path: path.to_string(),
            summary: op.summary.clone().unwrap_or_default(),
            description: op.description.clone().unwrap_or_default(),
            params,
            example,
            statuses,
            response: String::new(),
        }
    }

    /// Every operation of the description, in its order, for the docs page (example responses not yet
    /// filled in).
    pub(super) fn endpoints() -> ApiDocs {
        let d = openapi::description();
        let mut endpoints = Vec::new();
        for (path, item) in &d.paths.paths {
            for (method, op) in [("get", &item.get), ("post", &item.post)] {
                if let Some(op) = op {
                    endpoints.push(endpoint(path, method, op));
                }
            }
        }
        ApiDocs {
            endpoints,
            max_ids: crate::routes::api::MAX_IDS,
            default_limit: crate::routes::api::DEFAULT_LIMIT,
            max_limit: crate::routes::api::MAX_LIMIT,
        }
    }

    /// The docs page's endpoints with each example's real answer (abbreviated), worked out once per data
    /// version: the examples run through the same routes a client calls.
    pub async fn with_examples(state: &AppState) -> Result<ApiDocs, StoreError> {
        static KEPT: Mutex<Option<(String, ApiDocs)>> = Mutex::new(None);
        let version = state.explorer.data_version().await?;
        if let Some((v, docs)) = KEPT.lock().ok().and_then(|k| k.clone()) {
            if v == version {
                return Ok(docs);
            }
        }
        let app = openapi::router()
            .merge(crate::routes::markets::router())
            .with_state(state.clone());
        let mut docs = endpoints();
        for e in &mut docs.endpoints {
            let Ok(request) = Request::get(&e.example).body(Body::empty()) else {
                continue;
            };
            let Ok(response) = app.clone().oneshot(request).await;
            let csv = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/csv"));
            let status = response.status();
            let Ok(body) = axum::body::to_bytes(response.into_body(), 8 << 20).await else {
                continue;
            };
            let text = String::from_utf8_lossy(&body);
            let shown = if csv { abbreviate_csv(&text) } else { abbreviate_json(&text) };
            e.response = format!("HTTP {status}\n{shown}");
        }
        if let Ok(mut k) = KEPT.lock() {
            *k = Some((version, docs.clone()));
        }
        Ok(docs)
    }

    /// Lines of an example answer shown at most.
    const SHOWN_LINES: usize = 40;

    /// The first rows of a CSV answer (its header and two records).
    fn abbreviate_csv(text: &str) -> String {
        let mut lines: Vec<String> = text.lines().take(3).map(|l| cut(l, 240)).collect();
        if text.lines().nth(3).is_some() {
            lines.push("…".into());
        }
        lines.join("\n")
    }

    /// A JSON answer with every list cut to its first item (and how many were left out) and long texts
    /// shortened, pretty-printed and cut to [`SHOWN_LINES`].
    fn abbreviate_json(text: &str) -> String {
        fn shorten(v: serde_json::Value) -> serde_json::Value {
            use serde_json::Value;
            match v {
                Value::Array(items) => {
                    let more = items.len().saturating_sub(1);
                    let mut kept: Vec<Value> = items.into_iter().take(1).map(shorten).collect();
                    if more > 0 {
                        kept.push(Value::String(format!("… {more} more")));
                    }
                    Value::Array(kept)
                }
                Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, shorten(v))).collect()),
                Value::String(s) => Value::String(cut(&s, 160)),
                other => other,
            }
        }
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
            return cut(text, 2000);
        };
        let pretty = serde_json::to_string_pretty(&shorten(value)).unwrap_or_default();
        let mut lines: Vec<&str> = pretty.lines().take(SHOWN_LINES).collect();
        if pretty.lines().nth(SHOWN_LINES).is_some() {
            lines.push("…");
        }
        lines.join("\n")
    }

    fn cut(text: &str, max: usize) -> String {
        match text.char_indices().nth(max) {
            Some((at, _)) => format!("{}…", &text[..at]),
            None => text.to_string(),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn answers_are_abbreviated_not_altered() {
            let shown = abbreviate_json(r#"{"series":[{"id":"a","value":1.5},{"id":"b"},{"id":"c"}],"total":3}"#);
            assert!(shown.contains("\"id\": \"a\""), "{shown}");
            assert!(shown.contains("1.5"));
            assert!(shown.contains("… 2 more"));
            assert!(!shown.contains("\"b\""));
            let csv = abbreviate_csv("h1,h2\n1,2\n3,4\n5,6\n");
            assert_eq!(csv, "h1,h2\n1,2\n3,4\n…");
            assert_eq!(cut("abcdef", 3), "abc…");
            assert_eq!(cut("abc", 3), "abc");
        }

        #[test]
        fn every_endpoint_has_a_summary_an_example_and_its_parameters() {
            let docs = endpoints();
            assert!(docs.endpoints.len() >= 8, "{:?}", docs.endpoints.iter().map(|e| &e.path).collect::<Vec<_>>());
            for e in &docs.endpoints {
                assert!(!e.summary.is_empty(), "{} has no summary", e.path);
                assert!(!e.example.contains('{'), "{}: example {} keeps a placeholder", e.path, e.example);
            }
            let series = docs.endpoints.iter().find(|e| e.path == "/api/v1/series").unwrap();
            let names: Vec<&str> = series.params.iter().map(|p| p.name.as_str()).collect();
            for name in ["indicator", "origin", "destination", "platform", "category", "q", "limit", "offset"] {
                assert!(names.contains(&name), "{name} missing from {names:?}");
            }
            assert!(series.example.starts_with("/api/v1/series?"), "{}", series.example);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_plain_words() {
        let e = Endpoint {
            method: "GET".into(),
            path: "/api/v1/datasets/{id}/observations".into(),
            summary: String::new(),
            description: String::new(),
            params: vec![],
            example: String::new(),
            statuses: vec![],
            response: String::new(),
        };
        assert_eq!(e.anchor(), "get-api-v1-datasets-id-observations");
    }
}
