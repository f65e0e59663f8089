//! Words that come from sources or from the datasets' notes, shown as written and marked with the
//! language they are written in: quotes keep their original sentence (translating it would put words
//! in a source's mouth) and say which language that is where it differs from the page's.

use crate::i18n::{t, tf, Lang};
use crate::strings::language_of;
use leptos::prelude::*;

/// A quoted sentence as published, with `lang=` and, on a page in another language, "(English
/// original)" / "（英文原文）".
#[component]
pub fn Quote(text: String, lang: Lang) -> impl IntoView {
    let code = language_of(&text);
    let page = if lang == Lang::ZhHans { "zh" } else { "en" };
    let note = (code != page).then(|| {
        let language = t(lang, &format!("language.{code}"));
        tf(lang, "quote.original", &[("language", language)])
    });
    view! {
        <q lang=code>{text}</q>
        {note.map(|n| view! { <span class="quote-lang">" "{n}</span> })}
    }
}

/// A dataset's note or caveat, a publisher's name or a licence line: English as the dataset gives it
/// (Chinese where it is), marked so that readers and screen readers know.
#[component]
pub fn AsWritten(text: String, #[prop(optional)] class: &'static str) -> impl IntoView {
    let code = language_of(&text);
    view! { <span class=class lang=code>{text}</span> }
}

/// Text with `code` in backticks, as API descriptions and Chinese problem messages are written,
/// shown with `<code>` (parameter names and values stay as typed in a URL).
pub fn with_code(text: String) -> impl IntoView {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            let part = part.to_string();
            if i % 2 == 1 {
                view! { <code>{part}</code> }.into_any()
            } else {
                part.into_any()
            }
        })
        .collect_view()
}
