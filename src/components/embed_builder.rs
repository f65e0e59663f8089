//! The explorer's "Embed" dialog: copy-ready snippets for partner sites (an iframe that sizes itself
//! with /embed.js, a plain fixed-height iframe, a static image with a link), width/theme/controls options
//! that update them, download links and a live preview. A `<details>` element, so it opens and its
//! snippets can be selected and copied without JavaScript too (the options then keep their defaults).

use crate::components::share_meta::public_origin;
use crate::explore::embed::EMBED_FIXED_HEIGHT;
use crate::i18n::{t as text, Lang};
use crate::strings::escape_html as attr;
use crate::theme::ThemePref;
use leptos::prelude::*;

/// Fixed widths offered besides filling the column.
const WIDTHS: [u32; 4] = [480, 640, 720, 960];

/// The themes offered, in the order the dialog lists them (embeds default to light).
const THEMES: [ThemePref; 3] = [ThemePref::Light, ThemePref::Dark, ThemePref::Auto];

/// The snippets for one set of options; pure, so server and browser agree on every character.
#[derive(Clone, Debug, PartialEq)]
pub struct Snippets {
    pub embed_src: String,
    pub script: String,
    pub iframe: String,
    pub image: String,
}

pub fn snippets(
    origin: &str,
    query: &str,
    title: &str,
    width: Option<u32>,
    theme: ThemePref,
    controls: bool,
    lang: Lang,
) -> Snippets {
    let mut embed_query = form_urlencoded::Serializer::new(query.to_string());
    if theme != ThemePref::Light {
        embed_query.append_pair("theme", theme.key());
    }
    if !controls {
        embed_query.append_pair("controls", "0");
    }
    if lang != Lang::En {
        embed_query.append_pair("lang", lang.code());
    }
    let embed_src = format!("{origin}/embed?{}", embed_query.finish());
    let (width_attr, style) = match width {
        Some(w) => (
            w.to_string(),
            format!("border:0;width:100%;max-width:{w}px"),
        ),
        None => ("100%".to_string(), "border:0;width:100%".to_string()),
    };
    let iframe = format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"{width_attr}\" height=\"{EMBED_FIXED_HEIGHT}\" \
         style=\"{style}\" loading=\"lazy\" data-tradewinds></iframe>",
        attr(&embed_src),
        attr(title)
    );
    let script = format!("{iframe}\n<script async src=\"{origin}/embed.js\"></script>");
    let image_width = width.unwrap_or(720);
    let image_src = |dark: bool| {
        attr(&format!(
            "{origin}/chart.png?{query}&width={image_width}{}",
            if dark { "&theme=dark" } else { "" }
        ))
    };
    let img = format!(
        "<img src=\"{}\" alt=\"{}\" width=\"{image_width}\" style=\"max-width:100%;height:auto\">",
        image_src(theme == ThemePref::Dark),
        attr(title)
    );
    // "Follow the reader's setting" for an image: the dark image where the reader prefers dark.
    let img = match theme {
        ThemePref::Auto => format!(
            "<picture><source srcset=\"{}\" media=\"(prefers-color-scheme: dark)\">{img}</picture>",
            image_src(true)
        ),
        _ => img,
    };
    let image = format!(
        "<a href=\"{}\">{img}</a>",
        attr(&format!("{origin}/explore?{query}"))
    );
    Snippets {
        embed_src,
        script,
        iframe,
        image,
    }
}

/// The "Embed" button and dialog for the explorer state `query` (its URL query, without '?'). An island:
/// the options and copy buttons run in the browser.
#[island]
pub fn EmbedBuilder(
    query: String,
    lang: Lang,
    /// The chart's title, for the iframe's title and the image's alt text.
    title: String,
) -> impl IntoView {
    let origin = public_origin();
    let title = match title.is_empty() {
        true => text(lang, "embed.iframe_title").to_string(),
        false => title,
    };
    let width = RwSignal::new(None::<u32>);
    let theme = RwSignal::new(ThemePref::Light);
    let controls = RwSignal::new(true);
    let copied = RwSignal::new(None::<usize>);
    let current = {
        let query = query.clone();
        move || {
            snippets(
                &origin,
                &query,
                &title,
                width.get(),
                theme.get(),
                controls.get(),
                lang,
            )
        }
    };
    let initial = current.clone()();
    let fields: [(usize, &'static str, String, fn(&Snippets) -> String); 3] = [
        (0, "embed.snippet.script", initial.script, |s| {
            s.script.clone()
        }),
        (1, "embed.snippet.iframe", initial.iframe, |s| {
            s.iframe.clone()
        }),
        (2, "embed.snippet.image", initial.image, |s| s.image.clone()),
    ];
    let preview_src = {
        let current = current.clone();
        move || {
            // Same-origin path, so the preview also works where the public origin differs.
            let src = current().embed_src;
            match src.find("/embed?") {
                Some(i) => src[i..].to_string(),
                None => src,
            }
        }
    };
    let preview = move || {
        let style = match width.get() {
            Some(w) => format!("width:100%;max-width:{w}px;border:0"),
            None => "width:100%;border:0".to_string(),
        };
        format!(
            "<iframe src=\"{}\" title=\"{}\" height=\"{EMBED_FIXED_HEIGHT}\" style=\"{style}\" \
             loading=\"lazy\" data-tradewinds></iframe>",
            attr(&preview_src()),
            attr(text(lang, "embed.preview"))
        )
    };
    let download = |ext: &str| format!("/chart.{ext}?{query}&download=1");

    view! {
        <details class="embed-builder">
            <summary class="embed-button">{text(lang, "embed.button")}</summary>
            <section class="embed-dialog" aria-label=text(lang, "embed.dialog")>
                <h2>{text(lang, "embed.dialog")}</h2>
                <div class="embed-options">
                    <label>
                        {text(lang, "embed.width")}" "
                        <select on:change=move |ev| width.set(event_target_value(&ev).parse().ok())>
                            <option value="" selected>{text(lang, "embed.width.responsive")}</option>
                            {WIDTHS.iter().map(|w| view! { <option value=w.to_string()>{format!("{w} px")}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>
                        {text(lang, "embed.theme")}" "
                        <select on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(t) = THEMES.iter().find(|t| t.key() == v) {
                                theme.set(*t);
                            }
                        }>
                            {THEMES.iter().map(|t| view! {
                                <option value=t.key() selected=*t == ThemePref::Light>{text(lang, &format!("embed.theme.{}", t.key()))}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>
                        <input type="checkbox" checked on:change=move |ev| controls.set(event_target_checked(&ev))/>
                        " "{text(lang, "embed.controls")}
                    </label>
                </div>
                {fields.into_iter().map(|(i, key, initial, pick)| {
                    let current = current.clone();
                    let id = format!("embed-snippet-{i}");
                    let value = move || pick(&current());
                    let value_for_copy = value.clone();
                    view! {
                        <div class="embed-snippet">
                            <label for=id.clone()>{text(lang, key)}</label>
                            <textarea id=id readonly rows="4" prop:value=value>{initial}</textarea>
                            <button type="button" class="embed-copy" on:click=move |_| {
                                copy(&value_for_copy());
                                copied.set(Some(i));
                            }>
                                {move || text(lang, if copied.get() == Some(i) { "embed.copied" } else { "embed.copy" })}
                            </button>
                        </div>
                    }
                }).collect_view()}
                <p class="embed-downloads">
                    <a href=download("svg") download>{text(lang, "embed.download_svg")}</a>
                    " · "
                    <a href=download("png") download>{text(lang, "embed.download_png")}</a>
                </p>
                <h3>{text(lang, "embed.preview")}</h3>
                // Markup rather than an element: `loading="lazy"` keeps the preview from loading (a whole
                // embed page) until the dialog is opened.
                <div class="embed-preview" inner_html=preview></div>
                <script async src="/embed.js"></script>
            </section>
        </details>
    }
}

/// Puts `text` on the clipboard (browsers only; the textareas stay selectable by hand).
fn copy(text: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        // The promise is dropped: success shows as "Copied", failure leaves the text to select.
        let _ = w.navigator().clipboard().write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_follow_the_options() {
        let s = snippets(
            "https://tw.example",
            "s=a.b&from=2020",
            "Temu · GMV",
            None,
            ThemePref::Light,
            true,
            Lang::En,
        );
        assert_eq!(s.embed_src, "https://tw.example/embed?s=a.b&from=2020");
        assert!(s
            .iframe
            .contains("src=\"https://tw.example/embed?s=a.b&amp;from=2020\""));
        assert!(s.iframe.contains("width=\"100%\"") && s.iframe.contains("data-tradewinds"));
        assert!(s
            .script
            .ends_with("<script async src=\"https://tw.example/embed.js\"></script>"));
        assert!(s
            .image
            .starts_with("<a href=\"https://tw.example/explore?s=a.b&amp;from=2020\">"));
        assert!(s
            .image
            .contains("/chart.png?s=a.b&amp;from=2020&amp;width=720\""));

        let s = snippets(
            "https://tw.example",
            "s=a",
            "T",
            Some(480),
            ThemePref::Dark,
            false,
            Lang::ZhHans,
        );
        assert_eq!(
            s.embed_src,
            "https://tw.example/embed?s=a&theme=dark&controls=0&lang=zh-Hans"
        );
        assert!(s.iframe.contains("max-width:480px"));
        assert!(s.image.contains("width=480&amp;theme=dark"));

        let s = snippets(
            "https://tw.example",
            "s=a",
            "T",
            None,
            ThemePref::Auto,
            true,
            Lang::En,
        );
        assert!(s.image.contains("<picture><source srcset=\"https://tw.example/chart.png?s=a&amp;width=720&amp;theme=dark\""));
    }
}
