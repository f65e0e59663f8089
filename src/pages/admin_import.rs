//! `/admin/import`: upload a published file as an admin, follow the upload and the import, read the
//! summary (what was imported, every skipped row and why) and open the result in the explorer.
//!
//! Without JavaScript the form posts straight to the API, which redirects back here with `?job=…`; this
//! page then refreshes itself until the job is done. With JavaScript the upload shows its progress and
//! the job is polled in place.

use crate::i18n::{t, Lang, Words};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// A job as the page shows it (the server's `JobState`, flattened for the browser).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobView {
    pub running: bool,
    pub bytes: u64,
    pub total: u64,
    pub error: Option<String>,
    /// The import summary as JSON text (the CLI's `--json` shape), once done.
    pub file: String,
    pub format: String,
    pub dataset: String,
    pub series: usize,
    pub observations: usize,
    pub skipped_rows: usize,
    pub errors: Vec<(u64, String, String)>,
    pub unchanged: bool,
    pub explore: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminPageData {
    pub uploads_enabled: bool,
    pub job: Option<JobView>,
    pub max_upload_mb: u64,
}

#[server]
pub async fn load_admin_import(job: Option<String>) -> Result<AdminPageData, ServerFnError> {
    use crate::routes::admin::{JobState, Jobs, MAX_UPLOAD};
    let jobs = expect_context::<Jobs>();
    let config = expect_context::<std::sync::Arc<crate::config::Config>>();
    let job = match job.filter(|j| !j.is_empty()) {
        None => None,
        // A server function is a public endpoint: the job's progress is the admin's (the page's gate
        // answers 403 before rendering; this refuses direct calls alike).
        Some(_)
            if !use_context::<axum::http::request::Parts>().is_some_and(|p| {
                crate::routes::admin::may_see_jobs(config.admin_token.as_deref(), &p.headers)
            }) =>
        {
            return Err(ServerFnError::new(
                "import jobs are shown to the admin only: open the job in the browser that uploaded the file",
            ));
        }
        Some(id) => Some(match jobs.get(&id).await {
            None => JobView::failed(&if jobs.shared() {
                format!("No such import job (jobs are kept for {} days).", crate::store::KEEP_JOB_DAYS)
            } else {
                "No such import job (jobs are kept until the server restarts).".to_string()
            }),
            Some(JobState::Importing { bytes, total }) => JobView {
                running: true,
                bytes,
                total,
                ..JobView::failed("")
            },
            Some(JobState::Failed { error }) => JobView::failed(&error),
            Some(JobState::Done { summary, explore }) => JobView {
                running: false,
                bytes: 0,
                total: 0,
                error: None,
                file: summary.file,
                format: summary.format.to_string(),
                dataset: summary.dataset,
                series: summary.series,
                observations: summary.observations,
                skipped_rows: summary.skipped_rows,
                errors: summary
                    .errors
                    .into_iter()
                    .take(200)
                    .map(|e| (e.row, e.column, e.reason))
                    .collect(),
                unchanged: summary.unchanged,
                explore,
            },
        }),
    };
    Ok(AdminPageData {
        uploads_enabled: config.admin_token.is_some(),
        job,
        max_upload_mb: MAX_UPLOAD >> 20,
    })
}

// Only the server builds job views.
#[cfg(feature = "ssr")]
impl JobView {
    fn failed(error: &str) -> JobView {
        JobView {
            running: false,
            bytes: 0,
            total: 0,
            error: (!error.is_empty()).then(|| error.to_string()),
            file: String::new(),
            format: String::new(),
            dataset: String::new(),
            series: 0,
            observations: 0,
            skipped_rows: 0,
            errors: vec![],
            unchanged: false,
            explore: String::new(),
        }
    }
}

/// The importers a file can be read with; their names are `admin.format.{key}` in every language.
const FORMATS: [&str; 8] = ["auto", "long", "comtrade", "wdi", "wits", "imf-dots", "owid", "xlsx-long"];

/// The words of the upload form (an island).
const UPLOAD_WORDS: &[&str] = &[
    "admin.disabled",
    "admin.token",
    "admin.format",
    "admin.format.auto",
    "admin.format.long",
    "admin.format.comtrade",
    "admin.format.wdi",
    "admin.format.wits",
    "admin.format.imf-dots",
    "admin.format.owid",
    "admin.format.xlsx-long",
    "admin.dataset",
    "admin.dataset.example",
    "admin.dtitle",
    "admin.publisher",
    "admin.source_url",
    "admin.licence",
    "admin.encoding",
    "admin.encoding.example",
    "admin.file",
    "admin.submit",
    "admin.uploading",
    "admin.upload_failed",
    "admin.upload_interrupted",
];

#[component]
pub fn AdminImportPage() -> impl IntoView {
    let lang = crate::i18n::current();
    let query = use_query_map();
    let data = Resource::new(move || query.with(|q| q.get("job")), load_admin_import);
    view! {
        <Title text=format!("{} · {}", t(lang, "admin.title"), t(lang, "app.name"))/>
        <h1>{t(lang, "admin.title")}</h1>
        <p class="lede">{t(lang, "admin.lede")}</p>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(d) => {
                        // Keep following a running job: reload shortly (with JS) or refresh the page (without).
                        let running = d.job.as_ref().is_some_and(|j| j.running);
                        view! {
                            {d.job.clone().map(|j| view! { <JobPanel job=j lang=lang/> })}
                            {running.then(|| view! { <ReloadSoon/> })}
                            <UploadForm enabled=d.uploads_enabled max_mb=d.max_upload_mb words=Words::new(lang, &[UPLOAD_WORDS])/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn JobPanel(job: JobView, lang: Lang) -> impl IntoView {
    if job.running {
        let pct = if job.total > 0 {
            job.bytes as f64 * 100.0 / job.total as f64
        } else {
            0.0
        };
        return view! {
            // Without JavaScript the page refreshes itself; with it, the resource is refetched instead.
            <noscript inner_html=r#"<meta http-equiv="refresh" content="1">"#></noscript>
            <section class="job" role="status" aria-live="polite">
                <h2>{t(lang, "admin.importing")}</h2>
                <progress max="100" value=format!("{pct:.0}")></progress>
                <p>{format!("{:.0}% — {} of {} bytes read", pct, job.bytes, job.total)}</p>
            </section>
        }
        .into_any();
    }
    if let Some(e) = job.error {
        return view! {
            <section class="job failed" role="alert">
                <h2>{t(lang, "admin.failed")}</h2>
                <p>{e}</p>
                <p class="hint">{t(lang, "admin.nothing_written")}</p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="job done" role="status">
            <h2>{if job.unchanged { t(lang, "admin.unchanged") } else { t(lang, "admin.done") }}</h2>
            <p class="summary">
                {format!("{} — format {}, dataset {}: {} series, {} observations, {} rows skipped.", job.file, job.format, job.dataset, job.series, job.observations, job.skipped_rows)}
            </p>
            <p>
                <a class="button primary" href=lang.page(&job.explore)>{t(lang, "admin.open_explorer")}</a>" "
                <a href=format!("/api/v1/datasets/{}/observations?format=csv", job.dataset) download>{t(lang, "admin.download")}</a>
            </p>
            {(!job.errors.is_empty()).then(|| view! {
                <details open>
                    <summary>{t(lang, "admin.skipped")}" ("{job.skipped_rows}")"</summary>
                    <table class="skipped">
                        <thead><tr><th scope="col">{t(lang, "admin.col.row")}</th><th scope="col">{t(lang, "admin.col.column")}</th><th scope="col">{t(lang, "admin.col.reason")}</th></tr></thead>
                        <tbody>
                            {job.errors.into_iter().map(|(row, column, reason)| view! {
                                <tr><td class="num">{row}</td><td>{column}</td><td>{reason}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </details>
            })}
        </section>
    }
    .into_any()
}

/// Reloads the page after a moment: follows a running import with JavaScript (the `<noscript>` refresh
/// does it without).
#[island]
fn ReloadSoon() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    set_timeout(
        || {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        },
        std::time::Duration::from_millis(400),
    );
}

/// The upload form; with JavaScript it sends through XMLHttpRequest to show upload progress.
#[island]
fn UploadForm(enabled: bool, max_mb: u64, words: Words) -> impl IntoView {
    let text = |key: &str| words.t(key).to_string();
    // Upload progress (bytes sent, total) and any error of the in-page upload.
    let upload = RwSignal::new(None::<(f64, f64)>);
    let upload_error = RwSignal::new(None::<String>);
    if !enabled {
        return view! { <p class="notice" role="status">{crate::components::source_text::with_code(text("admin.disabled"))}</p> }
            .into_any();
    }
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let uploading = text("admin.uploading");
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let (failed, interrupted) = (text("admin.upload_failed"), text("admin.upload_interrupted"));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(form) = form_ref.get() {
            ev.prevent_default();
            xhr::send(form, upload, upload_error, failed.clone(), interrupted.clone());
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, form_ref, &failed, &interrupted);
    };
    view! {
        <form class="upload" method="post" action="/api/v1/admin/imports" enctype="multipart/form-data" node_ref=form_ref on:submit=on_submit>
            // The token comes before the file, so the server checks it before storing anything.
            <label>{text("admin.token")}<input type="password" name="token" required autocomplete="current-password"/></label>
            <label>{text("admin.format")}
                <select name="format">
                    {FORMATS.iter().map(|v| view! { <option value=*v>{text(&format!("admin.format.{v}"))}</option> }).collect_view()}
                </select>
            </label>
            <label>{text("admin.dataset")}<input name="dataset" translate="no" placeholder=text("admin.dataset.example")/></label>
            <label>{text("admin.dtitle")}<input name="title"/></label>
            <label>{text("admin.publisher")}<input name="publisher"/></label>
            <label>{text("admin.source_url")}<input name="source_url" type="url"/></label>
            <label>{text("admin.licence")}<input name="licence"/></label>
            <label>{text("admin.encoding")}<input name="encoding" placeholder=text("admin.encoding.example")/></label>
            <label class="file">{words.tf("admin.file", &[("mb", &max_mb.to_string())])}<input type="file" name="file" required/></label>
            <button type="submit" class="primary">{text("admin.submit")}</button>
            {move || upload.get().map(|(sent, total)| view! {
                <div class="upload-progress" role="status" aria-live="polite">
                    <progress max=total value=sent></progress>
                    <span>{format!("{} {:.0}%", uploading.clone(), if total > 0.0 { sent * 100.0 / total } else { 0.0 })}</span>
                </div>
            })}
            {move || upload_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </form>
    }
    .into_any()
}

#[cfg(feature = "hydrate")]
mod xhr {
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    /// Sends the form with XMLHttpRequest (the only browser API that reports upload progress), then opens
    /// the job's page, which follows the import.
    pub fn send(
        form: web_sys::HtmlFormElement,
        upload: RwSignal<Option<(f64, f64)>>,
        upload_error: RwSignal<Option<String>>,
        // "Upload failed (HTTP {status})" and "the upload was interrupted", in the page's language.
        failed: String,
        interrupted: String,
    ) {
        let (Ok(data), Ok(request)) = (
            web_sys::FormData::new_with_form(&form),
            web_sys::XmlHttpRequest::new(),
        ) else {
            return;
        };
        upload_error.set(None);
        upload.set(Some((0.0, 1.0)));
        if request.open("POST", "/api/v1/admin/imports").is_err() {
            return;
        }
        let _ = request.set_request_header("Accept", "application/json");
        let on_progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.length_computable() {
                    upload.set(Some((e.loaded(), e.total())));
                }
            });
        if let Ok(up) = request.upload() {
            up.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        }
        on_progress.forget();
        let req = request.clone();
        let on_load = Closure::<dyn FnMut()>::new(move || {
            let body = req.response_text().ok().flatten().unwrap_or_default();
            let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
            match (req.status().unwrap_or(0), json["page"].as_str()) {
                (202, Some(page)) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().assign(page);
                    }
                }
                (status, _) => {
                    upload.set(None);
                    let msg = json["error"]
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| failed.replace("{status}", &status.to_string()));
                    upload_error.set(Some(msg));
                }
            }
        });
        request.set_onload(Some(on_load.as_ref().unchecked_ref()));
        on_load.forget();
        let on_error = Closure::<dyn FnMut()>::new(move || {
            upload.set(None);
            upload_error.set(Some(interrupted.clone()));
        });
        request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        let _ = request.send_with_opt_form_data(Some(&data));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upload_form_lists_every_word_it_reads() {
        crate::i18n::words::assert_covers("UploadForm", include_str!("admin_import.rs"), UPLOAD_WORDS);
        for format in FORMATS {
            assert!(UPLOAD_WORDS.contains(&format!("admin.format.{format}").as_str()), "{format}");
        }
    }
}
