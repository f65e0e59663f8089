//! Link previews and oEmbed discovery for a page state: Open Graph and Twitter card tags with the chart
//! image of the page's exact state, and the `<link rel="alternate" type="application/json+oembed">`
//! that lets CMSs (WordPress, Ghost, …) turn a pasted Tradewinds link into an embed.

use crate::explore::embed::{split_query, EMBED_KEYS};
use crate::explore::state::ExploreState;
use leptos::prelude::*;
use leptos_meta::{Link, Meta};

/// Size of link-preview images (what Facebook, LinkedIn and X recommend for large cards).
pub const PREVIEW_SIZE: (u32, u32) = (1200, 630);

/// The site's public origin (`https://example.org`, no trailing slash), for absolute URLs in tags and
/// snippets that leave the site. The server takes `TRADEWINDS_PUBLIC_URL`, else the request's host; the
/// browser its own location, which agrees with either.
pub fn public_origin() -> String {
    #[cfg(feature = "ssr")]
    {
        let headers = use_context::<axum::http::request::Parts>().map(|p| p.headers);
        match use_context::<std::sync::Arc<crate::config::Config>>() {
            Some(config) => config.public_origin(headers.as_ref()),
            None => String::new(),
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        if let Some(origin) = web_sys::window().and_then(|w| w.location().origin().ok()) {
            return origin;
        }
        String::new()
    }
}

/// The chart image URL (site-relative) for a page path with its query, if that page has one chart:
/// the explorer (and its embed) with series chosen, or the home page's totals chart.
pub fn chart_image_path(path_and_query: &str) -> Option<String> {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    match path {
        "" | "/" | "/embed/home" => Some("/chart.png?home=totals".to_string()),
        "/markets" | "/embed/markets" => {
            let query = &split_query(query, &EMBED_KEYS).1;
            // Always with a query, so size parameters can follow.
            Some(match query.is_empty() {
                true => "/markets/chart.png?category=all".to_string(),
                false => format!("/markets/chart.png?{query}"),
            })
        }
        "/explore" | "/embed" => {
            // An embed's own options (theme, …) are not explorer state.
            let query = &split_query(query, &EMBED_KEYS).1;
            let (state, problems) = ExploreState::parse_query(query);
            (!state.series.is_empty() && problems.is_empty()).then(|| format!("/chart.png?{query}"))
        }
        _ => None,
    }
}

/// Open Graph, Twitter card and oEmbed discovery tags for the page at `path` (path and query, e.g.
/// `/explore?s=…`), titled `title`.
#[component]
pub fn ShareMeta(#[prop(into)] path: String, #[prop(into)] title: String) -> impl IntoView {
    let origin = public_origin();
    // A Chinese page shares its Chinese address and an image drawn in Chinese.
    let lang = crate::i18n::current();
    let url = format!("{origin}{}", lang.page(&path));
    let oembed = format!(
        "{origin}/oembed?format=json&url={}",
        form_urlencoded::byte_serialize(url.as_bytes()).collect::<String>()
    );
    let (w, h) = PREVIEW_SIZE;
    let image_lang = match lang {
        crate::i18n::Lang::ZhHans => "&lang=zh-Hans",
        crate::i18n::Lang::En => "",
    };
    let image = chart_image_path(&path).map(|p| format!("{origin}{p}&width={w}&height={h}{image_lang}"));
    view! {
        <Link rel="alternate" type_="application/json+oembed" href=oembed title=title.clone()/>
        <Meta property="og:site_name" content="Tradewinds"/>
        <Meta property="og:type" content="website"/>
        <Meta property="og:locale" content=if lang == crate::i18n::Lang::ZhHans { "zh_CN" } else { "en_US" }/>
        <Meta property="og:title" content=title.clone()/>
        <Meta property="og:url" content=url/>
        <Meta name="twitter:title" content=title.clone()/>
        {match image {
            Some(image) => view! {
                <Meta property="og:image" content=image.clone()/>
                <Meta property="og:image:width" content=w.to_string()/>
                <Meta property="og:image:height" content=h.to_string()/>
                <Meta property="og:image:alt" content=title/>
                <Meta name="twitter:card" content="summary_large_image"/>
                <Meta name="twitter:image" content=image/>
            }
            .into_any(),
            None => view! { <Meta name="twitter:card" content="summary"/> }.into_any(),
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_only_for_pages_with_one_chart() {
        assert_eq!(
            chart_image_path("/").as_deref(),
            Some("/chart.png?home=totals")
        );
        assert_eq!(
            chart_image_path("/explore?s=a.b&scale=log").as_deref(),
            Some("/chart.png?s=a.b&scale=log")
        );
        assert_eq!(chart_image_path("/explore"), None, "no series, no chart");
        assert_eq!(chart_image_path("/explore?s=a&scale=wobbly"), None);
        assert_eq!(chart_image_path("/admin/import"), None);
        assert_eq!(
            chart_image_path("/embed?s=a&theme=dark").as_deref(),
            Some("/chart.png?s=a")
        );
    }
}
