//! Words that come from sources or from the datasets' notes, shown as written and marked with the
//! language they are written in: quotes keep their original sentence (translating it would put words
//! in a source's mouth) and say which language that is where it differs from the page's.

use crate::i18n::Words;
use crate::strings::language_of;
use leptos::prelude::*;

/// The words a [`Quote`] may need: its note, and the name of any language a quote is written in
/// ([`language_of`] tells them apart).
pub const QUOTE_WORDS: &[&str] = &[
    "quote.original",
    "language.en",
    "language.zh",
    "language.de",
    "language.it",
    "language.fr",
    "language.es",
];

/// A quoted sentence as published, with `lang=` and, on a page in another language, "(English
/// original)" / "（英文原文）". Also shown inside chart islands, hence words rather than a language.
#[component]
pub fn Quote(text: String, words: Words) -> impl IntoView {
    let code = language_of(&text);
    let note = (code != words.lang().base()).then(|| {
        let language = words.t(&format!("language.{code}"));
        words.tf("quote.original", &[("language", language)])
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_can_name_every_language_it_tells_apart() {
        for text in ["Sales grew by a third.", "销售额增长了三分之一。", "Der Umsatz ist gestiegen und wird weiter wachsen.", "Le chiffre d'affaires a augmenté et les ventes sont en hausse.", "Il fatturato è cresciuto e le vendite sono in aumento.", "Las ventas crecieron y los ingresos de la empresa son altos."] {
            let key = format!("language.{}", language_of(text));
            assert!(QUOTE_WORDS.contains(&key.as_str()), "{key} for {text}");
        }
        crate::i18n::words::assert_covers("Quote", include_str!("source_text.rs"), QUOTE_WORDS);
    }
}
