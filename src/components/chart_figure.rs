//! A chart on a page: server-rendered SVG first, then (after hydration) the same drawing on a canvas,
//! with hover/keyboard tooltips and a legend that hides and shows series. Under it: the sources line and
//! every figure with its quote and caveat, one click away in a `<details>` that works without JavaScript.

use crate::chart::bundle::{describe, link_host, ChartBundle, FigureRow, SourceRef};
use crate::chart::key::{marker_key, Marker};
use crate::chart::readout::{readout, ReadoutRow};
use crate::chart::{series_css_color, ChartSpec, Geometry};
use crate::components::source_text::{AsWritten, Quote, QUOTE_WORDS};
use crate::i18n::{numbers, Lang, Words};
use crate::strings::language_of;
use leptos::prelude::*;

/// What the tooltip shows, positioned in CSS pixels over the chart.
#[derive(Clone, Debug, PartialEq)]
struct Tip {
    x: f64,
    y: f64,
    index: usize,
    series: String,
    period: String,
    value: String,
    unit: String,
    source: String,
    caveat: Option<String>,
    /// How a derived value was computed, or why there is none.
    derived: Option<String>,
    /// Every visible series at the same period (or bar row): its heading and rows; empty with one series.
    readout: Option<(String, Vec<ReadoutRow>)>,
}

fn tip_for(
    spec: &ChartSpec,
    geometry: &Geometry,
    index: usize,
    dpr: f64,
    hidden: &[String],
    words: &Words,
) -> Option<Tip> {
    let lang = words.lang();
    let hit = geometry.hits.get(index)?;
    let panel = spec.panels.get(hit.panel)?;
    let series = panel.series.get(hit.series)?;
    let point = series.points.get(hit.point)?;
    Some(Tip {
        x: hit.px as f64 / dpr,
        y: hit.py as f64 / dpr,
        index,
        series: series.label.clone(),
        period: if point.category.is_empty() {
            numbers::period(lang, &point.period)
        } else {
            format!("{} · {}", point.category, numbers::period(lang, &point.period))
        },
        value: point.display.clone(),
        unit: if point.unit_in_display { String::new() } else { panel.unit.clone() },
        source: point.source.clone(),
        caveat: point.caveat.clone(),
        derived: match &point.gap {
            Some(reason) => Some(words.tf("gap.not_computed", &[("why", reason)])),
            None => point.derived.clone(),
        },
        readout: readout(spec, hit, hidden, lang).filter(|(_, rows)| rows.len() > 1),
    })
}

/// Where the tooltip's top-left corner goes, in CSS pixels within the chart frame, for a box of `size`
/// pointing at `point`: centred above the point, slid sideways to stay inside the frame (so inside a
/// phone's viewport), below the point when there is no room above, and never above the frame's top.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn place_tip(point: (f64, f64), size: (f64, f64), frame: (f64, f64)) -> (f64, f64) {
    const GAP: f64 = 14.0;
    let (w, h) = size;
    let left = (point.0 - w / 2.0).min(frame.0 - w).max(0.0);
    let above = point.1 - h - GAP;
    let top = match above >= 0.0 {
        true => above,
        false => (point.1 + GAP).min((frame.1 - h).max(0.0)),
    };
    (left, top.max(0.0))
}

/// The words a chart shows: tooltip, readout, key to markers, legend, sources and figures table.
pub const CHART_WORDS: &[&str] = &[
    "gap.not_computed",
    "chart.readout",
    "chart.readout.none",
    "chart.flag.lower_bound",
    "chart.flag.approximate",
    "chart.flag.provisional",
    "chart.flag.part_year",
    "chart.key",
    "chart.key.lower_bound",
    "chart.key.approximate",
    "chart.key.provisional",
    "chart.key.part_year",
    "chart.legend",
    "chart.sources",
    "chart.figures",
    "table.series",
    "table.period",
    "table.value",
    "table.unit",
    "table.source",
    "table.quote",
];

/// The words of a value's flags ([`FlaggedValue`]).
pub const FLAG_WORDS: &[&str] =
    &["flag.lower_bound", "flag.approximate", "flag.provisional", "flag.provisional.short"];

/// A chart on a page, in `lang`: the server looks up its words and its description for screen
/// readers, and hands them to the island with the chart.
/// `controls`: legend toggles and the figures table (embeds may turn them off; the legend then only
/// names the series). `zoom`: dragging across a time chart sets the URL's `from`/`to` (the explorer).
#[component]
pub fn ChartFigure(bundle: ChartBundle, lang: Lang, controls: bool, zoom: bool) -> impl IntoView {
    let words = Words::new(lang, &[CHART_WORDS, FLAG_WORDS, QUOTE_WORDS]);
    let description = describe(&bundle, lang);
    view! { <LiveChart bundle=bundle words=words description=description controls=controls zoom=zoom/> }
}

/// An island: the one part of a chart page that runs in the browser.
#[island]
fn LiveChart(bundle: ChartBundle, words: Words, description: String, controls: bool, zoom: bool) -> impl IntoView {
    let stored_words = StoredValue::new(words.clone());
    let spec = StoredValue::new(bundle.spec.clone());
    let initially_hidden: Vec<String> = bundle
        .spec
        .all_series()
        .filter(|s| s.hidden)
        .map(|s| s.id.clone())
        .collect();
    let hidden = RwSignal::new(initially_hidden);
    let live = RwSignal::new(false);
    let tip = RwSignal::new(None::<Tip>);
    // The tooltip's measured place; `None` while it is laid out hidden to be measured.
    let place = RwSignal::new(None::<(f64, f64)>);
    let tip_ref = NodeRef::<leptos::html::Div>::new();
    let geometry = StoredValue::new(None::<(Geometry, f64)>);
    let frame_ref = NodeRef::<leptos::html::Div>::new();
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();

    // The server draws the SVG; in the browser this string is empty and hydration keeps the server's markup.
    #[cfg(feature = "ssr")]
    let svg =
        crate::chart::svg::render_svg(&bundle.spec, &crate::theme::current().chart_theme(false)).0;
    #[cfg(not(feature = "ssr"))]
    let svg = String::new();

    #[cfg(feature = "hydrate")]
    {
        let redraw = move || {
            let (Some(frame), Some(canvas)) =
                (frame_ref.get_untracked(), canvas_ref.get_untracked())
            else {
                return;
            };
            let spec = spec.with_value(|s| s.with_hidden(&hidden.get_untracked()));
            if let Some(drawn) = canvas::draw(&frame, &canvas, &spec) {
                geometry.set_value(Some(drawn));
                tip.set(None);
                live.set(true);
            }
        };
        Effect::new(move |_| {
            hidden.track();
            if canvas_ref.get().is_some() {
                redraw();
            }
        });
        let handle = window_event_listener(leptos::ev::resize, move |_| redraw());
        on_cleanup(move || handle.remove());
        // A new tooltip is laid out hidden, measured in the next frame, then placed inside the frame.
        Effect::new(move |_| {
            if tip.with(|t| t.is_none()) {
                return;
            }
            request_animation_frame(move || {
                let (Some(el), Some(frame)) = (tip_ref.get_untracked(), frame_ref.get_untracked())
                else {
                    return;
                };
                let size = (el.offset_width() as f64, el.offset_height() as f64);
                let box_ = (frame.client_width() as f64, frame.client_height() as f64);
                let at = tip.with_untracked(|t| t.as_ref().map(|t| (t.x, t.y)));
                place.set(at.map(|p| place_tip(p, size, box_)));
            });
        });
    }

    let show_hit = move |index: Option<usize>| {
        let next = index.and_then(|i| {
            geometry.with_value(|g| {
                g.as_ref()
                    .and_then(|(g, dpr)| {
                        hidden.with_untracked(|h| spec.with_value(|s| stored_words.with_value(|w| tip_for(s, g, i, *dpr, h, w))))
                    })
            })
        });
        place.set(None);
        tip.set(next);
    };
    // A drag on a time chart: start and current x in CSS pixels.
    let brush = RwSignal::new(None::<(f64, f64)>);
    let zoomable = zoom
        && matches!(
            bundle.spec.kind,
            crate::chart::ChartKind::Line | crate::chart::ChartKind::Area
        );
    let on_down = move |ev: leptos::ev::MouseEvent| {
        if zoomable && ev.button() == 0 {
            ev.prevent_default();
            let x = ev.offset_x() as f64;
            brush.set(Some((x, x)));
        }
    };
    let on_up = move |_ev: leptos::ev::MouseEvent| {
        let Some((a, b)) = brush.get_untracked() else {
            return;
        };
        brush.set(None);
        let years = geometry.with_value(|g| {
            g.as_ref().and_then(|(g, dpr)| {
                g.panels
                    .first()
                    .and_then(|p| p.zoom_years(a * dpr, b * dpr))
            })
        });
        #[cfg(feature = "hydrate")]
        if let Some((from, to)) = years {
            canvas::go_to_range(from, to);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = years;
    };
    let on_move = move |ev: leptos::ev::MouseEvent| {
        if let Some((a, _)) = brush.get_untracked() {
            brush.set(Some((a, ev.offset_x() as f64)));
        }
        let found = geometry.with_value(|g| {
            g.as_ref().and_then(|(g, dpr)| {
                let (x, y) = (ev.offset_x() as f64 * dpr, ev.offset_y() as f64 * dpr);
                g.nearest(x, y, 28.0 * dpr).and_then(|h| g.hit_index(&h))
            })
        });
        show_hit(found);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let forward = match ev.key().as_str() {
            "ArrowRight" | "ArrowDown" => true,
            "ArrowLeft" | "ArrowUp" => false,
            "Escape" => {
                tip.set(None);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        let current = tip.with_untracked(|t| t.as_ref().map(|t| t.index));
        let next = geometry.with_value(|g| g.as_ref().and_then(|(g, _)| g.step(current, forward)));
        show_hit(next);
    };

    let id = bundle.id.clone();
    let group_label = description.clone();
    let (w, h) = (bundle.spec.width, bundle.spec.height);
    let panels = bundle.spec.panels.len().max(1);
    let key = marker_key(&bundle.spec);
    // Bar charts get height per row on phones (CSS reads --rows), so bars stay thick enough to read.
    let bars = bundle.spec.kind == crate::chart::ChartKind::Bars;
    let rows = {
        let mut names: Vec<&str> = bundle
            .spec
            .all_series()
            .flat_map(|s| s.points.iter().map(|p| p.category.as_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        names.len()
    };
    let legend_entries: Vec<(String, String, usize, Option<String>)> = bundle
        .spec
        .all_series()
        .enumerate()
        .map(|(i, s)| {
            (
                s.id.clone(),
                s.label.clone(),
                s.style,
                bundle.legend_links.get(i).cloned().flatten(),
            )
        })
        .collect();

    view! {
        <figure class="chart" id=id.clone()>
            <figcaption class="chart-title">
                <h2>{bundle.title.clone()}</h2>
                {(!bundle.note.is_empty()).then(|| view! { <p class="chart-note">{bundle.note.clone()}</p> })}
            </figcaption>
            <div
                class="chart-frame"
                class:is-live=move || live.get()
                class:is-bars=bars
                style=format!("--ratio: {w} / {h}; --panels: {panels}; --rows: {rows}")
                node_ref=frame_ref
                tabindex="0"
                role="group"
                aria-label=group_label
                aria-describedby=format!("{id}-tip")
                on:keydown=on_key
            >
                <div class="chart-svg" role="img" aria-label=description inner_html=svg></div>
                <canvas
                    class="chart-canvas"
                    node_ref=canvas_ref
                    aria-hidden="true"
                    on:mousemove=on_move
                    on:mousedown=on_down
                    on:mouseup=on_up
                    on:mouseleave=move |_| { tip.set(None); brush.set(None); }
                ></canvas>
                <div
                    class="chart-brush"
                    hidden=move || brush.with(|b| !b.is_some_and(|(a, b)| (a - b).abs() >= 8.0))
                    style=move || brush.with(|b| b.map(|(a, b)| format!("left:{}px;width:{}px", a.min(b), (a - b).abs())).unwrap_or_default())
                ></div>
                <div
                    class="chart-marker"
                    hidden=move || tip.with(|t| t.is_none())
                    style=move || tip.with(|t| t.as_ref().map(|t| format!("left:{}px;top:{}px", t.x, t.y)).unwrap_or_default())
                ></div>
                <div
                    id=format!("{id}-tip")
                    class="chart-tooltip"
                    role="tooltip"
                    node_ref=tip_ref
                    hidden=move || tip.with(|t| t.is_none())
                    style=move || place.get().map(|(l, t)| format!("left:{l}px;top:{t}px")).unwrap_or_else(|| "left:0;top:0;visibility:hidden".into())
                >
                    {move || tip.get().map(|t| view! {
                        <strong class="tip-series">{t.series}</strong>
                        <span class="tip-period">{t.period}</span>
                        <span class="tip-value">{t.value}" "<span class="tip-unit">{t.unit}</span></span>
                        {t.derived.map(|d| view! { <span class="tip-derived">{d}</span> })}
                        <span class="tip-source">{t.source}</span>
                        {t.caveat.map(|c| view! { <span class="tip-caveat">{c}</span> })}
                        {t.readout.map(|(heading, rows)| view! { <Readout heading=heading rows=rows words=stored_words.get_value()/> })}
                    })}
                </div>
            </div>
            {(!key.is_empty()).then(|| view! { <MarkerKey markers=key words=words.clone()/> })}
            <ul class="legend" aria-label=words.t("chart.legend").to_string()>
                {legend_entries.into_iter().map(|(sid, label, style, link)| {
                    let sid_for_state = sid.clone();
                    let is_hidden = move || hidden.with(|h| h.contains(&sid_for_state));
                    // Only the browser rewrites the URL; the server never runs the click handler.
                    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
                    let in_url = link.is_some();
                    let toggle = move |ev: leptos::ev::MouseEvent| {
                        ev.prevent_default();
                        hidden.update(|h| match h.iter().position(|x| *x == sid) {
                            Some(i) => { h.remove(i); }
                            None => h.push(sid.clone()),
                        });
                        #[cfg(feature = "hydrate")]
                        if in_url {
                            canvas::set_query_param("hide", &hidden.get_untracked().join(","));
                        }
                    };
                    let swatch = view! { <span class="swatch" style=format!("background:{}", series_css_color(style))></span> };
                    let body = view! { {swatch}<span class="legend-label">{label}</span> };
                    match (controls, link) {
                        (false, _) => view! {
                            <li><span class="legend-item">{body}</span></li>
                        }.into_any(),
                        (true, Some(href)) => view! {
                            <li><a class="legend-item" class:is-hidden=is_hidden.clone() href=href aria-pressed=move || (!is_hidden()).to_string() role="button" on:click=toggle>{body}</a></li>
                        }.into_any(),
                        (true, None) => view! {
                            <li><button type="button" class="legend-item" class:is-hidden=is_hidden.clone() aria-pressed=move || (!is_hidden()).to_string() on:click=toggle>{body}</button></li>
                        }.into_any(),
                    }
                }).collect_view()}
            </ul>
            <SourcesLine sources=bundle.sources.clone() words=words.clone()/>
            {controls.then(|| view! { <FiguresTable figures=bundle.figures.clone() words=words/> })}
        </figure>
    }
}

/// Every visible series at the hovered period, in the tooltip: swatch, name, value and flags.
#[component]
fn Readout(heading: String, rows: Vec<ReadoutRow>, words: Words) -> impl IntoView {
    view! {
        <span class="tip-readout-title">{words.tf("chart.readout", &[("period", &heading)])}</span>
        <ol class="tip-readout">
            {rows.into_iter().map(|r| {
                let flags: Vec<&str> = r.flags.iter().map(|k| words.t(k)).collect();
                view! {
                    <li class:is-current=r.current>
                        <span class="swatch" style=format!("background:{}", series_css_color(r.style))></span>
                        <span class="readout-label">{r.label}</span>
                        <span class="readout-value">{r.value.unwrap_or_else(|| words.t("chart.readout.none").to_string())}</span>
                        {(!flags.is_empty()).then(|| view! { <span class="readout-flags">{flags.join(", ")}</span> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// What the marker styles on this chart mean, for the styles it shows.
#[component]
fn MarkerKey(markers: Vec<Marker>, words: Words) -> impl IntoView {
    view! {
        <p class="marker-key">
            <span class="marker-key-label">{words.t("chart.key").to_string()}": "</span>
            {markers.into_iter().enumerate().map(|(i, m)| view! {
                {(i > 0).then_some("; ")}
                <span class=format!("marker-key-item marker-{m:?}")>{words.t(m.key()).to_string()}</span>
            }).collect_view()}
        </p>
    }
}

#[component]
pub fn SourcesLine(sources: Vec<SourceRef>, words: Words) -> impl IntoView {
    let mut licences: Vec<String> = sources.iter().map(|s| s.licence.clone()).collect();
    licences.dedup();
    view! {
        <p class="sources">
            <span class="sources-label">{words.t("chart.sources").to_string()}": "</span>
            {sources.into_iter().enumerate().map(|(i, s)| view! {
                {(i > 0).then_some("; ")}
                <SourceLink source=s/>
            }).collect_view()}
            {licences.into_iter().map(|l| view! { " — "<AsWritten text=l class="licence"/> }).collect_view()}
        </p>
    }
}

#[component]
pub fn SourceLink(source: SourceRef) -> impl IntoView {
    match source.url.as_deref().and_then(crate::strings::safe_link) {
        Some(url) => {
            let url = url.to_string();
            let host = link_host(&url);
            view! { <a href=url rel="noopener" class="source-link" lang=language_of(&source.label)>{source.label.clone()}" ("<span translate="no">{host}</span>")"</a> }
                .into_any()
        }
        None => view! { <span lang=language_of(&source.label)>{source.label.clone()}</span> }.into_any(),
    }
}

#[component]
pub fn FiguresTable(figures: Vec<FigureRow>, words: Words) -> impl IntoView {
    let count = figures.len();
    let text = |key| words.t(key).to_string();
    view! {
        <details class="figures">
            <summary>{text("chart.figures")}" ("{count}")"</summary>
            <div class="table-scroll">
                <table>
                    <thead><tr>
                        <th scope="col">{text("table.series")}</th>
                        <th scope="col">{text("table.period")}</th>
                        <th scope="col" class="num">{text("table.value")}</th>
                        <th scope="col">{text("table.unit")}</th>
                        <th scope="col">{text("table.source")}</th>
                        <th scope="col">{text("table.quote")}</th>
                    </tr></thead>
                    <tbody>
                        {figures.into_iter().map(|f| view! {
                            <tr>
                                <td>{f.series}</td>
                                <td class="period">{f.period}</td>
                                <td class="num">
                                    <FlaggedValue value=f.value flags=f.flags words=words.clone()/>
                                </td>
                                <td>{f.unit}</td>
                                <td><SourceLink source=f.source/></td>
                                <td class="quote">
                                    {f.quote.map(|q| view! { <Quote text=q words=words.clone()/> })}
                                    {f.caveat.map(|c| view! { " "<AsWritten text=c class="caveat"/> })}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

/// A value with its flags spelled out for screen readers and on hover.
#[component]
pub fn FlaggedValue(value: String, flags: crate::domain::Flags, words: Words) -> impl IntoView {
    let mut notes = Vec::new();
    if flags.lower_bound {
        notes.push(words.t("flag.lower_bound"));
    }
    if flags.approximate {
        notes.push(words.t("flag.approximate"));
    }
    if flags.provisional {
        notes.push(words.t("flag.provisional"));
    }
    let title = notes.join("; ");
    let short = words.t("flag.provisional.short").to_string();
    view! {
        <span class="value" title=title.clone()>{value}</span>
        {flags.provisional.then(|| view! { <span class="flag" title=title>" ("{short}")"</span> })}
    }
}

#[cfg(feature = "hydrate")]
mod canvas {
    use crate::chart::{draw as draw_chart, ChartSpec, Geometry};
    use plotters_canvas::CanvasBackend;

    /// Sizes the canvas backing store to the frame × devicePixelRatio and draws the spec into it.
    /// Returns the geometry (in backing pixels) and the ratio, or `None` while the frame has no width.
    pub fn draw(
        frame: &web_sys::HtmlDivElement,
        canvas: &web_sys::HtmlCanvasElement,
        spec: &ChartSpec,
    ) -> Option<(Geometry, f64)> {
        let css_w = frame.client_width() as f64;
        if css_w <= 0.0 {
            return None;
        }
        // The frame's box decides the size (CSS gives phones a taller chart than the SVG's ratio).
        let css_h = match frame.client_height() as f64 {
            h if h > 0.0 => h,
            _ => css_w * spec.height as f64 / spec.width as f64,
        };
        let dpr = web_sys::window()
            .map(|w| w.device_pixel_ratio())
            .unwrap_or(1.0)
            .max(1.0);
        canvas.set_width((css_w * dpr).round() as u32);
        canvas.set_height((css_h * dpr).round() as u32);
        let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
        let theme = crate::theme::current().chart_theme(crate::theme::system_dark());
        let geometry = draw_chart(backend, spec, &theme.scaled(dpr)).ok()?;
        Some((geometry, dpr))
    }

    /// Opens the current view with its period range set to `from`–`to` (a drag across the chart).
    pub fn go_to_range(from: i32, to: i32) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Ok(url) = window
            .location()
            .href()
            .and_then(|href| web_sys::Url::new(&href))
        else {
            return;
        };
        let params = url.search_params();
        params.set("from", &from.to_string());
        params.set("to", &to.to_string());
        url.set_search(&params.to_string().as_string().unwrap_or_default());
        let _ = window.location().set_href(&url.href());
    }

    /// Rewrites one query parameter of the current URL without navigating (legend state in the URL).
    pub fn set_query_param(key: &str, value: &str) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Ok(href) = window.location().href() else {
            return;
        };
        let Ok(url) = web_sys::Url::new(&href) else {
            return;
        };
        let params = url.search_params();
        if value.is_empty() {
            params.delete(key);
        } else {
            params.set(key, value);
        }
        url.set_search(&params.to_string().as_string().unwrap_or_default());
        if let Ok(history) = window.history() {
            let _ =
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_lists_every_word_it_reads() {
        let lists = [CHART_WORDS, FLAG_WORDS].concat();
        crate::i18n::words::assert_covers("LiveChart", include_str!("chart_figure.rs"), &lists);
        // Keys chosen at run time: the readout's flags and the key's markers.
        use crate::chart::key::Marker;
        for m in [Marker::LowerBound, Marker::Approximate, Marker::Provisional, Marker::PartYear] {
            assert!(CHART_WORDS.contains(&m.key()), "{m:?}");
        }
        let flagged = crate::chart::ChartPoint {
            period: "2024-H1".parse().unwrap(),
            category: String::new(),
            value: 1.0,
            value_high: None,
            flags: crate::domain::Flags { lower_bound: true, approximate: true, provisional: true },
            display: "≥ 1".into(),
            unit_in_display: false,
            source: String::new(),
            caveat: None,
            derived: None,
            gap: None,
            bubble: None,
        };
        let keys = crate::chart::readout::flag_keys(&flagged);
        assert_eq!(keys.len(), 4);
        assert!(keys.iter().all(|k| CHART_WORDS.contains(k)), "{keys:?}");
    }

    #[test]
    fn tooltips_stay_inside_a_phone_sized_frame() {
        // A 358 px frame (a 390 px phone less the page's padding), a 220 × 120 tooltip.
        let (frame, size) = ((358.0, 250.0), (220.0, 120.0));
        for x in [0.0, 5.0, 100.0, 179.0, 300.0, 358.0] {
            for y in [0.0, 30.0, 140.0, 250.0] {
                let (l, t) = place_tip((x, y), size, frame);
                assert!(l >= 0.0 && l + size.0 <= frame.0, "x {x}: left {l}");
                assert!(t >= 0.0, "y {y}: top {t}");
            }
        }
        assert_eq!(place_tip((179.0, 200.0), size, frame), (69.0, 66.0), "centred above");
        assert_eq!(place_tip((179.0, 40.0), size, frame).1, 54.0, "below when no room above");
        // Wider than the frame: pinned to its left edge (CSS caps the width at the frame's).
        assert_eq!(place_tip((50.0, 200.0), (400.0, 100.0), frame).0, 0.0);
    }
}
