//! The explorer form's helpers (islands): redraw as soon as a choice changes, and year sliders that fill
//! the period fields. Without JavaScript the form works on its own: they add speed, not function.

use crate::i18n::{t, Lang};
use leptos::prelude::*;

/// Where the reader was on the page when a choice redrew it, kept for the next load of the same path.
#[cfg(feature = "hydrate")]
const SCROLL_KEY: &str = "tradewinds-scroll";

/// With JavaScript, ticking a series or changing a choice redraws at once (typed fields still wait for
/// the button or Enter); without, the "Show chart" button does it. Listens on the enclosing form. The
/// redraw is a page load, so the scroll position is carried over it: ticking the 30th series of a list
/// leaves the reader at the 30th series, not at the top of the page.
#[island]
pub fn AutoSubmit() -> impl IntoView {
    let marker = NodeRef::<leptos::html::Span>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        let window = web_sys::window();
        let path = window.as_ref().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
        let storage = window.as_ref().and_then(|w| w.session_storage().ok().flatten());
        if let (Some(w), Some(s)) = (&window, &storage) {
            if let Ok(Some(kept)) = s.get_item(SCROLL_KEY) {
                let _ = s.remove_item(SCROLL_KEY);
                if let Some((p, y)) = kept.rsplit_once(' ') {
                    if p == path {
                        w.scroll_to_with_x_and_y(0.0, y.parse().unwrap_or(0.0));
                    }
                }
            }
        }
        let Some(form) = marker
            .get()
            .and_then(|m| m.closest("form").ok().flatten())
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let target_form = form.clone();
        let on_change = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(
            move |ev: web_sys::Event| {
                let typed = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                    // `data-live` fields act at once by themselves (the market finder's weights).
                    .is_some_and(|i| {
                        matches!(i.type_().as_str(), "text" | "search") || i.has_attribute("data-live")
                    });
                if !typed {
                    if let (Some(w), Some(s)) = (&window, &storage) {
                        let y = w.scroll_y().unwrap_or(0.0);
                        let _ = s.set_item(SCROLL_KEY, &format!("{path} {y}"));
                    }
                    let _ = target_form.request_submit();
                }
            },
        );
        let _ = form.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();
    });
    view! { <span hidden node_ref=marker></span> }
}

/// Two year sliders (keyboard operable) that fill the form's from/to fields; they carry no name, so
/// without JavaScript the fields alone decide. Releasing a slider redraws through `AutoSubmit`.
#[island]
pub fn PeriodSliders(lo: i32, hi: i32, from: i32, to: i32, lang: Lang) -> impl IntoView {
    let from_year = RwSignal::new(from);
    let to_year = RwSignal::new(to);
    let slider = NodeRef::<leptos::html::Div>::new();
    // Writes a year into the form's text field of that name.
    let set_field = move |name: &str, year: i32| {
        #[cfg(feature = "hydrate")]
        if let Some(field) = slider
            .get_untracked()
            .and_then(|d| d.closest("form").ok().flatten())
            .and_then(|f| {
                f.query_selector(&format!("input[name={name}]"))
                    .ok()
                    .flatten()
            })
        {
            use wasm_bindgen::JsCast;
            if let Ok(input) = field.dyn_into::<web_sys::HtmlInputElement>() {
                input.set_value(&year.to_string());
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (name, year);
    };
    view! {
        <div class="sliders" node_ref=slider>
            <input type="range" min=lo max=hi step="1" aria-label=t(lang, "explore.from_year")
                prop:value=move || from_year.get().to_string()
                on:input=move |ev| {
                    let y = event_target_value(&ev).parse().unwrap_or(lo).min(to_year.get_untracked());
                    from_year.set(y);
                    set_field("from", y);
                }/>
            <input type="range" min=lo max=hi step="1" aria-label=t(lang, "explore.to_year")
                prop:value=move || to_year.get().to_string()
                on:input=move |ev| {
                    let y = event_target_value(&ev).parse().unwrap_or(hi).max(from_year.get_untracked());
                    to_year.set(y);
                    set_field("to", y);
                }/>
        </div>
    }
}
