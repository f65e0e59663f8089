//! `/api`: the API for people — each endpoint with its parameters, an example request to click and the
//! start of its real answer, the licence, the error format and the limits. The endpoints and their
//! parameters come from the OpenAPI description the routes are built from (`routes/openapi.rs`), and
//! the example answers are those requests run against the current data, so the page cannot drift from
//! the API. Plain HTML: no JavaScript.

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
pub async fn load_api_docs() -> Result<ApiDocs, ServerFnError> {
    let state = expect_context::<crate::routes::AppState>();
    crate::routes::openapi::with_examples(&state)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

#[component]
pub fn ApiDocsPage() -> impl IntoView {
    let lang = Lang::En;
    let data = Resource::new(|| (), |_| load_api_docs());
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
            <p>{t(lang, "api.basics.text")}" "<a href="/api/v1/openapi.json">"/api/v1/openapi.json"</a></p>
            <h3>{t(lang, "api.licence")}</h3>
            <p>{t(lang, "api.licence.text")}</p>
            <h3>{t(lang, "api.errors")}</h3>
            <p>{t(lang, "api.errors.text")}</p>
            <pre><code>"{\"error\": \"unknown parameter 'destnation'; this endpoint takes: indicator, origin, …\"}"</code></pre>
            <h3>{t(lang, "api.limits")}</h3>
            <ul>{limits.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
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
                            <td>{p.description.clone()}{p.example.clone().map(|x| view! { " " <span class="api-example-value">{t(lang, "api.param.example")}" "<code>{x}</code></span> })}</td>
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
            <p class="api-summary">{e.summary}</p>
            {(!e.description.is_empty()).then(|| view! { <p>{e.description}</p> })}
            {params}
            <h3>{t(lang, "api.example")}</h3>
            <p><a class="api-example" href=e.example.clone()><code>{e.example.clone()}</code></a></p>
            {(!e.response.is_empty()).then(|| view! {
                <h3>{t(lang, "api.response")}</h3>
                <pre class="api-response"><code>{e.response}</code></pre>
            })}
            <h3>{t(lang, "api.statuses")}</h3>
            <ul class="api-statuses">
                {e.statuses.into_iter().map(|(status, meaning)| view! { <li><code>{status}</code>" "{meaning}</li> }).collect_view()}
            </ul>
        </section>
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
