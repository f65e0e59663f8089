//! The live forms' helpers (islands): redraw in place as soon as a choice changes, and year sliders that
//! fill the period fields. Without JavaScript the forms work on their own: these add speed, not function.

use leptos::prelude::*;

/// With JavaScript, ticking a series or changing a choice redraws at once, and the search box narrows
/// the list as one types; the page is not reloaded — `live` swaps in the server's page for the new
/// address, so the scroll position and focus stay. Typed fields other than the search wait for Enter
/// or the button. Without JavaScript the form's button does all of it with a page load. Listens on the
/// enclosing form and marks it `data-live-form` once it does.
#[island]
pub fn AutoSubmit() -> impl IntoView {
    let marker = NodeRef::<leptos::html::Span>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use live::History;
        use wasm_bindgen::{closure::Closure, JsCast};
        let Some(form) = marker
            .get()
            .and_then(|m| m.closest("form").ok().flatten())
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        live::listen_document();
        let field = |ev: &web_sys::Event| {
            ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        };
        // The form a field belongs to *now*: a page swap may have moved the field (the search box
        // being typed in) into the new page's form, and the old form is gone.
        fn go_from(form: Option<web_sys::HtmlFormElement>, history: History) {
            let Some(form) = form else { return };
            match live::form_address(&form) {
                Some(address) => live::go(address, history, None),
                None => form.submit().unwrap_or_default(),
            }
        }
        let form_of = |ev: &web_sys::Event| {
            ev.target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("form").ok().flatten())
                .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
        };
        let on_change = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            // `data-live` fields act by themselves (the market finder's weights); typed text waits
            // for Enter, the search box for a pause in typing.
            let typed = field(&ev).is_some_and(|i| {
                matches!(i.type_().as_str(), "text" | "search") || i.has_attribute("data-live")
            });
            if !typed {
                go_from(form_of(&ev), History::Push);
            }
        });
        let on_submit = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            ev.prevent_default();
            go_from(form_of(&ev), History::Push);
        });
        // Search as you type: a quarter second after the last key, the current entry is rewritten.
        let typing = std::rc::Rc::new(std::cell::Cell::new(0u32));
        let on_input = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let Some(input) = field(&ev).filter(|i| i.type_() == "search") else {
                return;
            };
            let ticket = typing.get().wrapping_add(1);
            typing.set(ticket);
            let typing = typing.clone();
            let later = Closure::once_into_js(move || {
                if typing.get() == ticket && input.is_connected() {
                    go_from(input.form(), History::Replace);
                }
            });
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), 250);
            }
        });
        for (name, handler) in [("change", &on_change), ("submit", &on_submit), ("input", &on_input)] {
            let _ = form.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref());
        }
        // The form lives as long as the page shows it; a swapped-out form takes its listeners along.
        on_change.forget();
        on_submit.forget();
        on_input.forget();
        let _ = form.set_attribute("data-live-form", "");
    });
    view! { <span hidden node_ref=marker></span> }
}

/// Two year sliders (keyboard operable) that fill the form's from/to fields; they carry no name, so
/// without JavaScript the fields alone decide. Releasing a slider redraws through `AutoSubmit`.
/// `labels`: the two sliders' accessible names, in the page's language.
#[island]
pub fn PeriodSliders(lo: i32, hi: i32, from: i32, to: i32, labels: (String, String)) -> impl IntoView {
    let (from_label, to_label) = labels;
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
            <input type="range" min=lo max=hi step="1" aria-label=from_label
                prop:value=move || from_year.get().to_string()
                on:input=move |ev| {
                    let y = event_target_value(&ev).parse().unwrap_or(lo).min(to_year.get_untracked());
                    from_year.set(y);
                    set_field("from", y);
                }/>
            <input type="range" min=lo max=hi step="1" aria-label=to_label
                prop:value=move || to_year.get().to_string()
                on:input=move |ev| {
                    let y = event_target_value(&ev).parse().unwrap_or(hi).max(from_year.get_untracked());
                    to_year.set(y);
                    set_field("to", y);
                }/>
        </div>
    }
}

/// In-place navigation for the pages with a live form (explorer, rankings, market finder): a changed
/// choice, a submitted form, a same-page link or the back button fetches the server's page for the new
/// address and swaps its `<main>` in, then hydrates the islands that came with it. The address and the
/// history follow; the scroll position and the field being typed in stay put. If anything fails the
/// browser simply loads the address, so the worst case is the page load it replaces.
#[cfg(feature = "hydrate")]
pub mod live {
    use std::cell::Cell;
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Document, Element, HtmlFormElement, HtmlInputElement, Url, UrlSearchParams};

    thread_local! {
        /// The newest navigation: a slower, older answer never overwrites a newer one.
        static LATEST: Cell<u32> = const { Cell::new(0) };
        /// The document-wide listeners (links, back button) are attached once per page load.
        static LISTENING: Cell<bool> = const { Cell::new(false) };
        /// The address (path and query) whose page is shown, so Back after following a #fragment
        /// does not fetch the same page again.
        static SHOWN: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }

    fn without_fragment(address: &str) -> String {
        address.split('#').next().unwrap_or_default().to_string()
    }

    /// How a navigation enters the history.
    #[derive(Clone, Copy, PartialEq)]
    pub enum History {
        /// A new entry: a tick, a choice, a link (Back undoes it).
        Push,
        /// The current entry rewritten: typing in the search box.
        Replace,
        /// None: the browser already moved (Back, Forward).
        Keep,
    }

    /// The address a GET form leads to now. Empty fields are left out (the server reads them as
    /// absent), and `hide` comes from the address, where the chart's legend keeps it.
    pub fn form_address(form: &HtmlFormElement) -> Option<String> {
        let data = web_sys::FormData::new_with_form(form).ok()?;
        let all = UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
        let params = UrlSearchParams::new().ok()?;
        let entries = js_sys::try_iter(&all).ok()??;
        for entry in entries.flatten() {
            let pair: js_sys::Array = entry.unchecked_into();
            let (key, value) = (pair.get(0).as_string()?, pair.get(1).as_string()?);
            if !value.is_empty() && key != "hide" {
                params.append(&key, &value);
            }
        }
        if all.has("hide") {
            let here = Url::new(&web_sys::window()?.location().href().ok()?).ok()?;
            if let Some(hide) = here.search_params().get("hide").filter(|h| !h.is_empty()) {
                params.append("hide", &hide);
            }
        }
        let action = Url::new(&form.action()).ok()?;
        let query = params.to_string().as_string().unwrap_or_default();
        Some(match query.is_empty() {
            true => action.pathname(),
            false => format!("{}?{query}", action.pathname()),
        })
    }

    /// Goes to `address` (same origin and path family) without a page load.
    pub fn go(address: String, history: History, to_top_of: Option<&'static str>) {
        let ticket = LATEST.with(|n| {
            n.set(n.get().wrapping_add(1));
            n.get()
        });
        leptos::task::spawn_local(async move {
            let Some(window) = web_sys::window() else { return };
            match fetch_page(&address).await {
                Some(page) if LATEST.with(Cell::get) == ticket => {
                    if swap_main(&page).is_none() {
                        let _ = window.location().assign(&address);
                        return;
                    }
                    SHOWN.with(|s| *s.borrow_mut() = without_fragment(&address));
                    if let Ok(h) = window.history() {
                        let _ = match history {
                            History::Push => h.push_state_with_url(&JsValue::NULL, "", Some(&address)),
                            History::Replace => h.replace_state_with_url(&JsValue::NULL, "", Some(&address)),
                            History::Keep => Ok(()),
                        };
                    }
                    if let Some(selector) = to_top_of {
                        bring_into_view(selector);
                    }
                }
                Some(_) => {} // overtaken by a newer navigation
                None => {
                    let _ = window.location().assign(&address);
                }
            }
        });
    }

    async fn fetch_page(address: &str) -> Option<Document> {
        let window = web_sys::window()?;
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str(address)).await.ok()?.dyn_into().ok()?;
        // Error pages (a 4xx for a bad address) are pages too: they say what is wrong.
        let is_html = response
            .headers()
            .get("content-type")
            .ok()
            .flatten()
            .is_some_and(|t| t.starts_with("text/html"));
        if !is_html {
            return None;
        }
        let text = JsFuture::from(response.text().ok()?).await.ok()?.as_string()?;
        web_sys::DomParser::new()
            .ok()?
            .parse_from_string(&text, web_sys::SupportedType::TextHtml)
            .ok()
    }

    /// Replaces the page's `<main>` with the fetched page's, keeps the field being typed in (its
    /// text, caret and focus), and hydrates the new islands.
    fn swap_main(page: &Document) -> Option<()> {
        let document = web_sys::window()?.document()?;
        let old_main = document.get_element_by_id("main")?;
        let new_main = document.adopt_node(page.get_element_by_id("main")?.as_ref()).ok()?;
        let new_main: Element = new_main.dyn_into().ok()?;
        let focused = document
            .active_element()
            .filter(|e| old_main.contains(Some(e)))
            .and_then(|e| counterpart(&e, &new_main).map(|c| (e, c)));
        old_main.replace_with_with_node_1(&new_main).ok()?;
        if let Some((old, new)) = focused {
            let typing = old
                .dyn_ref::<HtmlInputElement>()
                .is_some_and(|i| matches!(i.type_().as_str(), "text" | "search"));
            if typing {
                let input: &HtmlInputElement = old.unchecked_ref();
                let caret = (input.selection_start().ok().flatten(), input.selection_end().ok().flatten());
                new.replace_with_with_node_1(&old).ok()?;
                let _ = input.focus();
                if let (Some(a), Some(b)) = caret {
                    let _ = input.set_selection_range(a, b);
                }
            } else if let Some(e) = new.dyn_ref::<web_sys::HtmlElement>() {
                let _ = e.focus();
            }
        }
        // The header's links carry the address to come back to (theme switch): theirs are new too.
        if let (Some(old), Some(new)) = (
            document.query_selector(".site-header").ok().flatten(),
            page.query_selector(".site-header").ok().flatten(),
        ) {
            if let Ok(new) = document.adopt_node(&new) {
                let _ = old.replace_with_with_node_1(&new);
            }
        }
        document.set_title(&page.title());
        // The swapped-in content is new to assistive technology: say what is shown now.
        if let (Some(status), Ok(Some(heading))) = (
            document.get_element_by_id("announce"),
            new_main.query_selector("#chart h2, .ranking-summary, h1"),
        ) {
            status.set_text_content(heading.text_content().as_deref());
        }
        hydrate_islands(&new_main);
        Some(())
    }

    /// The element in the new page that stands where `old` stood, so keyboard users keep their
    /// place: the same field of the form (and value, for boxes and radios), else a link with the same
    /// words (a column head, "Next"), else whatever is focusable at the same position.
    fn counterpart(old: &Element, new_main: &Element) -> Option<Element> {
        const FOCUSABLE: &str = "a[href], input, select, button, textarea, summary";
        let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        let tag = old.tag_name().to_lowercase();
        if let Some(name) = old.get_attribute("name") {
            let selector = match old.dyn_ref::<HtmlInputElement>() {
                Some(i) if matches!(i.type_().as_str(), "checkbox" | "radio") => {
                    format!("{tag}[name=\"{}\"][value=\"{}\"]", quote(&name), quote(&i.value()))
                }
                _ => format!("{tag}[name=\"{}\"]", quote(&name)),
            };
            return new_main.query_selector(&selector).ok().flatten();
        }
        let all = |root: &Element| -> Vec<Element> {
            let Ok(list) = root.query_selector_all(FOCUSABLE) else { return Vec::new() };
            (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
        };
        let fresh = all(new_main);
        let words = old.text_content().unwrap_or_default();
        let words = words.trim();
        if tag == "a" && !words.is_empty() {
            let same = fresh.iter().find(|e| {
                e.tag_name().eq_ignore_ascii_case("a")
                    && e.text_content().unwrap_or_default().trim() == words
                    && e.get_attribute("rel") == old.get_attribute("rel")
            });
            if let Some(e) = same {
                return Some(e.clone());
            }
        }
        // The old element is still in the old page here (the swap has not happened yet).
        let at = old.closest("#main").ok().flatten().map(|m| all(&m)).and_then(|old_all| {
            old_all.iter().position(|e| e == old)
        })?;
        fresh.get(at.min(fresh.len().checked_sub(1)?)).cloned()
    }

    /// Each island of the new content, hydrated by the function the page's hydration script
    /// exposes (`__hydrateIsland`, the same one that hydrates a page on load).
    fn hydrate_islands(root: &Element) {
        let Some(window) = web_sys::window() else { return };
        let Ok(hydrate) = js_sys::Reflect::get(&window, &JsValue::from_str("__hydrateIsland")) else {
            return;
        };
        let Some(hydrate) = hydrate.dyn_ref::<js_sys::Function>() else { return };
        let Ok(islands) = root.query_selector_all("leptos-island") else { return };
        for i in 0..islands.length() {
            if let Some(island) = islands.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                let id = island.get_attribute("data-component").unwrap_or_default();
                let _ = hydrate.call2(&JsValue::NULL, &island, &JsValue::from_str(&id));
            }
        }
    }

    /// Scrolls to the first element matching `selector` if its top is above the window.
    fn bring_into_view(selector: &str) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        if let Ok(Some(e)) = document.query_selector(selector) {
            if e.get_bounding_client_rect().top() < 0.0 {
                e.scroll_into_view();
            }
        }
    }

    /// Once per page load: same-page links inside `<main>` and the back/forward buttons navigate in
    /// place while a live form is on the page.
    pub fn listen_document() {
        if LISTENING.with(|l| l.replace(true)) {
            return;
        }
        let Some(window) = web_sys::window() else { return };
        let location = window.location();
        SHOWN.with(|s| {
            *s.borrow_mut() = format!(
                "{}{}",
                location.pathname().unwrap_or_default(),
                location.search().unwrap_or_default()
            )
        });
        let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(|ev: web_sys::MouseEvent| {
            if ev.default_prevented()
                || ev.button() != 0
                || ev.meta_key()
                || ev.ctrl_key()
                || ev.shift_key()
                || ev.alt_key()
            {
                return;
            }
            let Some(link) = ev
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|e| e.closest("#main a[href]").ok().flatten())
            else {
                return;
            };
            if link.has_attribute("download") || link.has_attribute("target") || !live_page() {
                return;
            }
            let Some(here) = web_sys::window().and_then(|w| w.location().href().ok()) else { return };
            let (Ok(to), Ok(from)) = (
                Url::new_with_base(&link.get_attribute("href").unwrap_or_default(), &here),
                Url::new(&here),
            ) else {
                return;
            };
            // Only the same page with other choices; a bare #fragment is the browser's to follow.
            if to.origin() != from.origin() || to.pathname() != from.pathname() || to.search() == from.search() {
                return;
            }
            ev.prevent_default();
            let pager = link
                .get_attribute("rel")
                .is_some_and(|r| r.contains("next") || r.contains("prev"));
            let address = format!("{}{}{}", to.pathname(), to.search(), to.hash());
            go(address, History::Push, pager.then_some("#main table"));
        });
        let _ = window.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        on_click.forget();
        let on_pop = Closure::<dyn Fn(web_sys::Event)>::new(|_| {
            let Some(location) = web_sys::window().map(|w| w.location()) else { return };
            let address = format!(
                "{}{}",
                location.pathname().unwrap_or_default(),
                location.search().unwrap_or_default()
            );
            if live_page() && SHOWN.with(|s| *s.borrow() != address) {
                go(address, History::Keep, None);
            }
        });
        let _ = window.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
        on_pop.forget();
    }

    /// Whether the page shown has a live form.
    fn live_page() -> bool {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("#main form[data-live-form]").ok().flatten())
            .is_some()
    }
}
