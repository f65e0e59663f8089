//! The "Embed" dialog, for an explorer chart or one of the home page's charts: copy-ready snippets for
//! partner sites (an iframe that sizes itself with /embed.js, a plain fixed-height iframe, a static
//! image with a link), options that update them (width, theme, language, legend toggles, and an
//! editor's title, subtitle and note), download links and a live preview. A `<details>` element, so it
//! opens and its snippets can be selected and copied without JavaScript too (the options then keep
//! their defaults).
//!
//! The fixed-height snippet takes the height the embed needs at the common column widths
//! ([`fixed_height`]), from the chart's shape asked of the server when the dialog opens, and says
//! which widths it does not fit.

use crate::components::share_meta::public_origin;
use crate::explore::embed::{fixed_height, text_cap, EmbedShape, EmbedText, EMBED_FIXED_HEIGHT, FIT_WIDTHS};
use crate::i18n::{t as text, Lang, Words};
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

/// What the snippets are of and how they look.
#[derive(Clone, Debug, PartialEq)]
pub struct SnippetOptions<'a> {
    pub origin: &'a str,
    /// The explorer state (its URL query, without '?'), when `home` is none.
    pub query: &'a str,
    /// One of the home page's charts by name.
    pub home: Option<&'a str>,
    /// The chart's own title, for the iframe's title and the image's alt text.
    pub title: &'a str,
    pub width: Option<u32>,
    pub theme: ThemePref,
    pub controls: bool,
    pub lang: Lang,
    pub text: &'a EmbedText,
    /// "Note" in the embed's language, before an editor's note in the image's caption.
    pub note_label: &'a str,
    /// The fixed iframe's height.
    pub height: u32,
}

pub fn snippets(o: &SnippetOptions) -> Snippets {
    let origin = o.origin;
    // The chart's own query: the embed's, the image's and the page's.
    let (embed_path, chart_query, page) = match o.home {
        Some(h) => (format!("/embed/home?chart={h}"), format!("home={h}"), format!("{origin}/")),
        None => (format!("/embed?{}", o.query), o.query.to_string(), format!("{origin}/explore?{}", o.query)),
    };
    let mut embed_query = form_urlencoded::Serializer::new(format!("{origin}{embed_path}"));
    if o.theme != ThemePref::Light {
        embed_query.append_pair("theme", o.theme.key());
    }
    if !o.controls {
        embed_query.append_pair("controls", "0");
    }
    if o.lang != Lang::En {
        embed_query.append_pair("lang", o.lang.code());
    }
    embed_query.extend_pairs(o.text.to_pairs());
    let embed_src = embed_query.finish();
    let title = o.text.title.as_deref().unwrap_or(o.title);
    let (width_attr, style) = match o.width {
        Some(w) => (
            w.to_string(),
            format!("border:0;width:100%;max-width:{w}px"),
        ),
        None => ("100%".to_string(), "border:0;width:100%".to_string()),
    };
    let iframe = format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"{width_attr}\" height=\"{}\" \
         style=\"{style}\" loading=\"lazy\" data-tradewinds></iframe>",
        attr(&embed_src),
        attr(title),
        o.height
    );
    let script = format!("{iframe}\n<script async src=\"{origin}/embed.js\"></script>");
    let image_width = o.width.unwrap_or(720);
    let image_src = |dark: bool| {
        attr(&format!(
            "{origin}/chart.png?{chart_query}&width={image_width}{}",
            if dark { "&theme=dark" } else { "" }
        ))
    };
    let img = format!(
        "<img src=\"{}\" alt=\"{}\" width=\"{image_width}\" style=\"max-width:100%;height:auto\">",
        image_src(o.theme == ThemePref::Dark),
        attr(title)
    );
    // "Follow the reader's setting" for an image: the dark image where the reader prefers dark.
    let img = match o.theme {
        ThemePref::Auto => format!(
            "<picture><source srcset=\"{}\" media=\"(prefers-color-scheme: dark)\">{img}</picture>",
            image_src(true)
        ),
        _ => img,
    };
    let linked = format!("<a href=\"{}\">{img}</a>", attr(&page));
    // The image keeps its own burnt-in title and sources; the editor's words go in a caption beside it.
    let caption: Vec<String> = [
        o.text.title.as_ref().map(|t| format!("<strong>{}</strong>", attr(t))),
        o.text.subtitle.as_ref().map(|s| attr(s)),
        o.text.note.as_ref().map(|n| format!("{}: {}", attr(o.note_label), attr(n))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let image = match caption.is_empty() {
        true => linked,
        false => format!(
            "<figure style=\"margin:0\">{linked}<figcaption>{}</figcaption></figure>",
            caption.join("<br>")
        ),
    };
    Snippets {
        embed_src,
        script,
        iframe,
        image,
    }
}

/// What an embed holds, for the fixed height: asked of the server when the dialog first opens.
#[server]
pub async fn ask_embed_shape(home: Option<String>, query: String) -> Result<EmbedShape, ServerFnError> {
    let query = match &home {
        Some(h) => format!("chart={}", form_urlencoded::byte_serialize(h.as_bytes()).collect::<String>()),
        None => query,
    };
    expect_context::<crate::explore::Explorer>()
        .embed_data(home.is_some(), &query)
        .await
        .map(|d| d.shape())
        .map_err(|e| ServerFnError::new(e.to_string()))
}

/// "320, 480 and 640": widths for a sentence.
fn width_list(lang: Lang, widths: &[u32]) -> String {
    let names: Vec<String> = widths.iter().map(|w| w.to_string()).collect();
    match (lang, names.split_last()) {
        (_, None) => String::new(),
        (_, Some((last, []))) => last.clone(),
        (Lang::ZhHans, _) => names.join("、"),
        (Lang::En, Some((last, rest))) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The sentence under the fixed-height snippet: its height, and the widths it fits or does not.
pub fn fit_message(words: &Words, height: u32, unfit: &[u32], max_width: Option<u32>) -> String {
    let h = height.to_string();
    match unfit.is_empty() {
        true => {
            let widths: Vec<u32> = FIT_WIDTHS.iter().copied().filter(|w| max_width.is_none_or(|m| *w <= m)).chain(max_width.filter(|m| !FIT_WIDTHS.contains(m))).collect();
            let span = match (widths.first(), widths.last()) {
                (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
                (Some(a), _) => a.to_string(),
                _ => String::new(),
            };
            words.tf("embed.fixed.fits", &[("h", &h), ("widths", &span)])
        }
        false => words.tf("embed.fixed.unfit", &[("h", &h), ("widths", &width_list(words.lang(), unfit))]),
    }
}

/// The words of the embed dialog.
pub const EMBED_WORDS: &[&str] = &[
    "embed.dialog",
    "embed.width",
    "embed.width.responsive",
    "embed.theme",
    "embed.theme.light",
    "embed.theme.dark",
    "embed.theme.auto",
    "embed.lang",
    "embed.controls",
    "embed.text",
    "embed.title",
    "embed.subtitle",
    "embed.note",
    "embed.text.cap",
    "embed.snippet.script",
    "embed.snippet.iframe",
    "embed.snippet.image",
    "embed.copy",
    "embed.copied",
    "embed.fixed.fits",
    "embed.fixed.unfit",
    "embed.download_svg",
    "embed.download_png",
    "embed.preview",
];

/// The "Embed" button and dialog for the explorer state `query` (its URL query, without '?'), or for
/// the home page's chart `home`, in `lang`.
#[component]
pub fn EmbedBuilder(
    query: String,
    lang: Lang,
    /// The chart's title, for the iframe's title and the image's alt text.
    title: String,
    /// One of the home page's charts (`totals`, `platforms`, `shares`) instead of an explorer state.
    #[prop(optional)]
    home: Option<String>,
    /// The button's label key, when "Embed" alone would not say which chart.
    #[prop(optional)]
    label: Option<String>,
) -> impl IntoView {
    let title = match title.is_empty() {
        true => text(lang, "embed.iframe_title").to_string(),
        false => title,
    };
    let button = text(lang, label.as_deref().unwrap_or("embed.button")).to_string();
    // An editor's note is labelled in the embed's language, which the dialog lets them choose.
    let note_labels: Vec<(Lang, String)> =
        Lang::ALL.iter().map(|l| (*l, text(*l, "embed.note").to_string())).collect();
    let words = Words::new(lang, &[EMBED_WORDS]);
    view! { <EmbedDialog query title home button words note_labels/> }
}

/// The dialog itself; an island: the options and copy buttons run in the browser.
#[island]
fn EmbedDialog(
    query: String,
    title: String,
    home: Option<String>,
    button: String,
    words: Words,
    note_labels: Vec<(Lang, String)>,
) -> impl IntoView {
    let origin = public_origin();
    let lang = words.lang();
    let w = StoredValue::new(words.clone());
    let text = move |key: &str| w.with_value(|w| w.t(key).to_string());
    let width = RwSignal::new(None::<u32>);
    let theme = RwSignal::new(ThemePref::Light);
    let controls = RwSignal::new(true);
    let embed_lang = RwSignal::new(lang);
    let editor = RwSignal::new(EmbedText::default());
    let shape = RwSignal::new(None::<EmbedShape>);
    let copied = RwSignal::new(None::<usize>);
    let fit = move || {
        let text = editor.get();
        match shape.get() {
            Some(mut s) => {
                s.controls = controls.get();
                fixed_height(&s, &text, width.get())
            }
            None => (EMBED_FIXED_HEIGHT, Vec::new()),
        }
    };
    let current = {
        let (query, home, origin) = (query.clone(), home.clone(), origin.clone());
        move || {
            let text = editor.get();
            let embed_lang = embed_lang.get();
            let note_label = note_labels.iter().find(|(l, _)| *l == embed_lang).map_or("", |(_, n)| n.as_str());
            snippets(&SnippetOptions {
                origin: &origin,
                query: &query,
                home: home.as_deref(),
                title: &title,
                width: width.get(),
                theme: theme.get(),
                controls: controls.get(),
                lang: embed_lang,
                text: &text,
                note_label,
                height: fit().0,
            })
        }
    };
    let asked = StoredValue::new(false);
    let ask_shape = {
        let (query, home) = (query.clone(), home.clone());
        move |_| {
            if asked.get_value() {
                return;
            }
            asked.set_value(true);
            let (query, home) = (query.clone(), home.clone());
            leptos::task::spawn_local(async move {
                if let Ok(s) = ask_embed_shape(home, query).await {
                    shape.set(Some(s));
                }
            });
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
        let origin = origin.clone();
        move || {
            // Same-origin path, so the preview also works where the public origin differs.
            let src = current().embed_src;
            src.strip_prefix(&origin).map(str::to_string).unwrap_or(src)
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
            attr(&text("embed.preview"))
        )
    };
    let chart_query = match &home {
        Some(h) => format!("home={h}"),
        None => query.clone(),
    };
    let download = move |ext: &str| format!("/chart.{ext}?{chart_query}&download=1");
    // Ids unique in a page that holds one builder per home chart.
    let prefix = match &home {
        Some(h) => format!("embed-{h}-"),
        None => "embed-".to_string(),
    };
    // One input per editable text, capped as the embed caps it.
    let text_input = |key: &'static str, field: fn(&mut EmbedText) -> &mut Option<String>| {
        let cap = text_cap(key);
        let input_id = format!("{prefix}{key}");
        let set = move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            editor.update(|w| {
                let v = v.trim();
                *field(w) = (!v.is_empty()).then(|| v.chars().take(cap).collect());
            });
        };
        let hint = w.with_value(|w| w.tf("embed.text.cap", &[("n", &cap.to_string())]));
        let input = match key {
            "note" => view! { <textarea id=input_id.clone() rows="2" maxlength=cap.to_string() on:input=set></textarea> }.into_any(),
            _ => view! { <input id=input_id.clone() type="text" maxlength=cap.to_string() on:input=set/> }.into_any(),
        };
        view! {
            <label for=input_id>{text(&format!("embed.{key}"))}" "<span class="embed-cap">"("{hint}")"</span></label>
            {input}
        }
    };

    view! {
        <details class="embed-builder" on:toggle=ask_shape>
            <summary class="embed-button">{button}</summary>
            <section class="embed-dialog" aria-label=text("embed.dialog")>
                <h2>{text("embed.dialog")}</h2>
                <div class="embed-options">
                    <label>
                        {text("embed.width")}" "
                        <select on:change=move |ev| width.set(event_target_value(&ev).parse().ok())>
                            <option value="" selected>{text("embed.width.responsive")}</option>
                            {WIDTHS.iter().map(|w| view! { <option value=w.to_string()>{format!("{w} px")}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>
                        {text("embed.theme")}" "
                        <select on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(t) = THEMES.iter().find(|t| t.key() == v) {
                                theme.set(*t);
                            }
                        }>
                            {THEMES.iter().map(|t| view! {
                                <option value=t.key() selected=*t == ThemePref::Light>{text(&format!("embed.theme.{}", t.key()))}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>
                        {text("embed.lang")}" "
                        <select class="embed-lang" on:change=move |ev| {
                            if let Some(l) = Lang::from_code(&event_target_value(&ev)) {
                                embed_lang.set(l);
                            }
                        }>
                            {Lang::ALL.iter().map(|l| view! {
                                <option value=l.code() lang=l.code() selected=*l == lang>{l.name()}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>
                        <input type="checkbox" checked on:change=move |ev| controls.set(event_target_checked(&ev))/>
                        " "{text("embed.controls")}
                    </label>
                </div>
                <fieldset class="embed-text">
                    <legend>{text("embed.text")}</legend>
                    {text_input("title", |w| &mut w.title)}
                    {text_input("subtitle", |w| &mut w.subtitle)}
                    {text_input("note", |w| &mut w.note)}
                </fieldset>
                {fields.into_iter().map(|(i, key, initial, pick)| {
                    let current = current.clone();
                    let snippet_id = format!("{prefix}snippet-{i}");
                    let value = move || pick(&current());
                    let value_for_copy = value.clone();
                    view! {
                        <div class="embed-snippet">
                            <label for=snippet_id.clone()>{text(key)}</label>
                            <textarea id=snippet_id readonly rows="4" translate="no" prop:value=value>{initial}</textarea>
                            <button type="button" class="embed-copy" on:click=move |_| {
                                copy(&value_for_copy());
                                copied.set(Some(i));
                            }>
                                {move || text(if copied.get() == Some(i) { "embed.copied" } else { "embed.copy" })}
                            </button>
                            {(i == 1).then(|| view! {
                                // Said once the chart's shape is known, never guessed.
                                <p class="embed-fit" aria-live="polite">{move || shape.with(Option::is_some).then(|| {
                                    let (h, unfit) = fit();
                                    w.with_value(|w| fit_message(w, h, &unfit, width.get()))
                                })}</p>
                            })}
                        </div>
                    }
                }).collect_view()}
                <p class="embed-downloads">
                    <a href=download("svg") download>{text("embed.download_svg")}</a>
                    " · "
                    <a href=download("png") download>{text("embed.download_png")}</a>
                </p>
                <h3>{text("embed.preview")}</h3>
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

    fn opts<'a>(query: &'a str, text: &'a EmbedText) -> SnippetOptions<'a> {
        SnippetOptions {
            origin: "https://tw.example",
            query,
            home: None,
            title: "Temu · GMV",
            width: None,
            theme: ThemePref::Light,
            controls: true,
            lang: Lang::En,
            text,
            note_label: "Note",
            height: 700,
        }
    }

    #[test]
    fn snippets_follow_the_options() {
        let none = EmbedText::default();
        let s = snippets(&opts("s=a.b&from=2020", &none));
        assert_eq!(s.embed_src, "https://tw.example/embed?s=a.b&from=2020");
        assert!(s
            .iframe
            .contains("src=\"https://tw.example/embed?s=a.b&amp;from=2020\""));
        assert!(s.iframe.contains("width=\"100%\"") && s.iframe.contains("data-tradewinds"));
        assert!(s.iframe.contains("height=\"700\""));
        assert!(s
            .script
            .ends_with("<script async src=\"https://tw.example/embed.js\"></script>"));
        assert!(s
            .image
            .starts_with("<a href=\"https://tw.example/explore?s=a.b&amp;from=2020\">"));
        assert!(s
            .image
            .contains("/chart.png?s=a.b&amp;from=2020&amp;width=720\""));

        let s = snippets(&SnippetOptions { width: Some(480), theme: ThemePref::Dark, controls: false, lang: Lang::ZhHans, ..opts("s=a", &none) });
        assert_eq!(
            s.embed_src,
            "https://tw.example/embed?s=a&theme=dark&controls=0&lang=zh-Hans"
        );
        assert!(s.iframe.contains("max-width:480px"));
        assert!(s.image.contains("width=480&amp;theme=dark"));

        let s = snippets(&SnippetOptions { theme: ThemePref::Auto, ..opts("s=a", &none) });
        assert!(s.image.contains("<picture><source srcset=\"https://tw.example/chart.png?s=a&amp;width=720&amp;theme=dark\""));
    }

    #[test]
    fn an_editors_words_are_encoded_in_the_link_and_escaped_in_the_markup() {
        let words = EmbedText {
            title: Some("Temu <b>grows</b> & \"more\"".into()),
            subtitle: Some("GMV, USD bn".into()),
            note: Some("Figures from 36Kr's reporting".into()),
        };
        let s = snippets(&opts("s=a", &words));
        assert_eq!(
            s.embed_src,
            "https://tw.example/embed?s=a&title=Temu+%3Cb%3Egrows%3C%2Fb%3E+%26+%22more%22&subtitle=GMV%2C+USD+bn&note=Figures+from+36Kr%27s+reporting"
        );
        assert!(s.iframe.contains("title=\"Temu &lt;b&gt;grows&lt;/b&gt; &amp; &quot;more&quot;\""));
        assert!(!s.iframe.contains("<b>") && !s.image.contains("<b>"));
        assert!(s.image.contains("alt=\"Temu &lt;b&gt;grows"));
        assert!(s.image.contains("<figcaption><strong>Temu &lt;b&gt;"));
        assert!(s.image.contains("Note: Figures from 36Kr&#39;s reporting</figcaption></figure>"));
    }

    #[test]
    fn a_home_chart_embeds_by_name() {
        let none = EmbedText::default();
        let s = snippets(&SnippetOptions { home: Some("shares"), ..opts("", &none) });
        assert_eq!(s.embed_src, "https://tw.example/embed/home?chart=shares");
        assert!(s.image.starts_with("<a href=\"https://tw.example/\">"));
        assert!(s.image.contains("/chart.png?home=shares&amp;width=720\""));
    }

    #[test]
    fn the_fit_sentence_names_widths() {
        let en = Words::new(Lang::En, &[EMBED_WORDS]);
        assert_eq!(
            fit_message(&en, 900, &[], None),
            "Fixed height 900 px: fits this chart in columns 320–800 px wide (wider ones leave space below)."
        );
        assert!(fit_message(&en, 900, &[320], Some(640)).contains("in columns 320 px wide"));
        assert!(fit_message(&en, 900, &[], Some(720)).contains("320–720 px"));
        let zh = Words::new(Lang::ZhHans, &[EMBED_WORDS]);
        assert!(fit_message(&zh, 900, &[320, 480], None).contains("320、480"));
        assert_eq!(width_list(Lang::En, &[320, 480, 640]), "320, 480 and 640");
    }

    #[test]
    fn the_dialog_lists_every_word_it_reads() {
        crate::i18n::words::assert_covers("EmbedDialog", include_str!("embed_builder.rs"), EMBED_WORDS);
        for key in ["title", "subtitle", "note"] {
            assert!(EMBED_WORDS.contains(&format!("embed.{key}").as_str()));
        }
        for theme in THEMES {
            assert!(EMBED_WORDS.contains(&format!("embed.theme.{}", theme.key()).as_str()));
        }
    }
}
