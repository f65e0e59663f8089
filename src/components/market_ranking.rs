//! The market finder's weights and ranking (an island). The server renders it with the ranking for the
//! URL's weights, inside the finder's GET form, so without JavaScript the sliders are form fields and
//! "Rank markets" reloads the page. With JavaScript, moving a slider re-ranks at once in the browser
//! (the same `markets::score` functions the server uses) and keeps the address and download links in
//! step. It receives its strings already translated and each market's scaled values, nothing more.

use crate::i18n::{fill, ordinal, Lang};
use crate::strings::escape_html;
use crate::markets::score::{self, Indicator, Weights, INDICATORS};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One market as the island needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
// Short field names: two hundred rows travel in the page as the island's props.
pub struct RankRow {
    #[serde(rename = "c")]
    pub code: String,
    #[serde(rename = "n")]
    pub name: String,
    /// The raw values (`None` where the market lacks the indicator); the island scales them within
    /// the markets it was given exactly as the server does.
    #[serde(rename = "r")]
    pub raw: [Option<f64>; INDICATORS],
    /// Each value as a person reads it, with its year ("US$ 32.5 bn, 2018").
    #[serde(rename = "v")]
    pub shown: [Option<String>; INDICATORS],
    /// China's share, for the sentence ("13.1 %").
    #[serde(rename = "p")]
    pub share: Option<String>,
}

/// The island's strings, translated on the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankText {
    pub lang: Lang,
    pub indicators: [String; INDICATORS],
    pub strengths: [String; INDICATORS],
    pub why: String,
    pub why_share: String,
    pub why_none: String,
    pub and: String,
    pub stable: String,
    pub stable_same: String,
    pub partial: String,
    pub weights: String,
    pub weight_of: String,
    pub score: String,
    pub show_all: String,
    pub missing: String,
    pub numbers: String,
    pub all_zero: String,
    pub change_weights: String,
    pub rank: String,
    pub market: String,
    pub indicators_used: String,
}

/// Markets shown before "All n ranked markets".
pub const FIRST: usize = 10;

/// The explanation of one market's place, e.g. "Poland ranks 3rd: a large market for this category and
/// China's exports of it grow fast. China already holds 13.1 % of it."
pub fn sentence(text: &RankText, row: &RankRow, rank: usize, strengths: &[Indicator]) -> String {
    // China's share is said with its number at the end; as a reason it would be said twice.
    let shown: Vec<Indicator> = strengths
        .iter()
        .copied()
        .filter(|i| *i != Indicator::Share || row.share.is_none())
        .collect();
    let strengths = if shown.is_empty() { strengths } else { &shown[..] };
    let reasons = if strengths.is_empty() {
        text.why_none.clone()
    } else {
        strengths
            .iter()
            .map(|i| text.strengths[i.index()].as_str())
            .collect::<Vec<_>>()
            .join(&text.and)
    };
    let mut s = fill(
        &text.why,
        &[("market", &row.name), ("rank", &ordinal(text.lang, rank)), ("reasons", &reasons)],
    );
    if let Some(share) = &row.share {
        s.push(' ');
        s.push_str(&fill(&text.why_share, &[("share", share)]));
    }
    s
}

/// One ranked market as HTML (the inside of its `<li>`): rank, score bar, the sentence, how stable the
/// rank is and its numbers, each linking to the series behind it. Written as one escaped string rather
/// than a view tree: a typed view of this size costs tens of KB of wasm, a string costs almost none.
fn market_item_html(
    row: &RankRow,
    text: &RankText,
    rank: usize,
    stable: (usize, usize),
    scored: &score::Scored,
    strengths: &[Indicator],
    source_query: &str,
) -> String {
    let e = escape_html;
    let why = sentence(text, row, rank, strengths);
    let mut meta = if stable.0 == stable.1 {
        text.stable_same.clone()
    } else {
        fill(&text.stable, &[("best", &stable.0.to_string()), ("worst", &stable.1.to_string())])
    };
    if scored.have < scored.weighted {
        meta.push_str(" · ");
        meta.push_str(&fill(
            &text.partial,
            &[("have", &scored.have.to_string()), ("weighted", &scored.weighted.to_string())],
        ));
    }
    let mut segments = String::new();
    let mut values = String::new();
    for ind in Indicator::ALL {
        let (key, name) = (ind.key(), &text.indicators[ind.index()]);
        if let Some(c) = scored.contributions[ind.index()] {
            segments += &format!(
                "<span class=\"seg seg-{key}\" style=\"width:{c:.2}%\" title=\"{}: {c:.1}\"></span>",
                e(name)
            );
        }
        let value = match &row.shown[ind.index()] {
            Some(v) => format!(
                "<a href=\"/markets/source?{}&amp;market={}&amp;indicator={key}\">{}</a>",
                e(source_query),
                e(&row.code),
                e(v)
            ),
            None => format!("<span class=\"gap\">{}</span>", e(&text.missing)),
        };
        values += &format!("<dt><span class=\"key seg-{key}\"></span>{}</dt><dd>{value}</dd>", e(name));
    }
    format!(
        "<span class=\"market-rank\">{rank}</span><div class=\"market-body\">\
         <h3 class=\"market-name\">{name} <span class=\"market-score\" title=\"{score_label}\">{score:.0}</span></h3>\
         <div class=\"score-bar\" role=\"img\" aria-label=\"{score_label} {score:.0} / 100\">{segments}</div>\
         <p class=\"market-why\">{why}</p>{tariff}<p class=\"market-meta\">{meta}</p>\
         <details class=\"market-values\"><summary>{numbers}</summary><dl>{values}</dl></details></div>",
        name = e(&row.name),
        score_label = e(&text.score),
        score = scored.score,
        why = e(&why),
        meta = e(&meta),
        numbers = e(&text.numbers),
        // What the market charges and since when, on the first screen (the rest of the numbers fold).
        tariff = match &row.shown[Indicator::Tariff.index()] {
            Some(v) => format!(
                "<p class=\"market-tariff\"><span class=\"key seg-tariff\"></span>{}: {}</p>",
                e(&text.indicators[Indicator::Tariff.index()]),
                e(v)
            ),
            None => String::new(),
        },
    )
}

#[island]
pub fn MarketRanking(
    rows: Vec<RankRow>,
    weights: [u8; INDICATORS],
    text: RankText,
    /// The question without its weights (`category=…&region=…`), for the address and the links.
    base_query: String,
    /// `category=…`, for the links to each number's series.
    source_query: String,
    /// Labels and paths that take the question's query: downloads, the chart image.
    links: Vec<(String, String)>,
) -> impl IntoView {
    let weights = RwSignal::new(Weights(weights));
    let raw: Vec<[Option<f64>; INDICATORS]> = rows.iter().map(|r| r.raw).collect();
    let scaled = score::scale_all(&raw);
    let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    let ranking = Memo::new(move |_| {
        let w = weights.get();
        if w.total() == 0 {
            return None;
        }
        let ranked = score::rank_all(&scaled, &w);
        let stable = score::stability(&scaled, &w);
        let order = score::order(&ranked, |i| names[i].clone());
        let strengths: Vec<Vec<Indicator>> = ranked
            .iter()
            .zip(&scaled)
            .map(|((s, _), sc)| s.as_ref().map(|s| score::strengths(sc, s)).unwrap_or_default())
            .collect();
        Some((ranked, stable, order, strengths))
    });
    let query = move || {
        let w = weights.get().to_param();
        let w: String = form_urlencoded::byte_serialize(w.as_bytes()).collect();
        match (base_query.is_empty(), w == "balanced") {
            (true, true) => String::new(),
            (true, false) => format!("?weights={w}"),
            (false, true) => format!("?{base_query}"),
            (false, false) => format!("?{base_query}&weights={w}"),
        }
    };
    let query = StoredValue::new(query);
    // Keep the address in step (not on the first run: the server's address is already right).
    #[cfg(feature = "hydrate")]
    Effect::new(move |ran: Option<()>| {
        let q = query.with_value(|f| f());
        if ran.is_some() {
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                // The page's own path: `/markets` or `/zh/markets`.
                let path = web_sys::window().and_then(|w| w.location().pathname().ok());
                let url = format!("{}{q}", path.unwrap_or_else(|| "/markets".into()));
                let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
        }
    });
    let (rows, text) = (StoredValue::new(rows), StoredValue::new(text));
    // Marks the list once the browser runs the island (tests wait for it; effects never run on the server).
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let sliders = Indicator::ALL
        .into_iter()
        .map(|ind| {
            let label = text.with_value(|t| t.indicators[ind.index()].clone());
            let aria = text.with_value(|t| fill(&t.weight_of, &[("indicator", &label)]));
            view! {
                <label class="weight">
                    <span class="weight-name"><span class=format!("key seg-{}", ind.key())></span>{label}</span>
                    <input type="range" name=format!("w_{}", ind.key()) min="0" max="100" step="5"
                        aria-label=aria data-live=""
                        prop:value=move || weights.get().get(ind).to_string()
                        value=weights.get_untracked().get(ind).to_string()
                        on:input=move |ev| {
                            let v: u8 = event_target_value(&ev).parse().unwrap_or(0);
                            weights.update(|w| *w = w.with(ind, v));
                        }/>
                    <output>{move || weights.get().get(ind)}</output>
                </label>
            }
        })
        .collect_view();
    let list = move || match ranking.get() {
        None => view! { <p class="error" role="alert">{text.with_value(|t| t.all_zero.clone())}</p> }.into_any(),
        Some((ranked, stable, order, strengths)) => {
            let (t, source_query) = (text.get_value(), source_query.clone());
            let n = order.iter().filter(|&&i| ranked[i].1.is_some()).count();
            let top: Vec<AnyView> = order
                .iter()
                .take(FIRST)
                .filter_map(|&i| {
                    let (scored, rank) = (ranked[i].0.as_ref()?, ranked[i].1?);
                    let html = rows.with_value(|r| {
                        market_item_html(&r[i], &t, rank, stable[i].unwrap_or((rank, rank)), scored, &strengths[i], &source_query)
                    });
                    let code = rows.with_value(|r| r[i].code.clone());
                    Some(view! { <li class="market" id=format!("m-{code}") data-code=code inner_html=html></li> }.into_any())
                })
                .collect();
            // The rest as a compact table: rank, market, score (the page stays light with 200 markets).
            let rest: String = order
                .iter()
                .skip(FIRST)
                .filter_map(|&i| {
                    let (scored, rank) = (ranked[i].0.as_ref()?, ranked[i].1?);
                    let partial = if scored.have < scored.weighted {
                        format!("{}/{}", scored.have, scored.weighted)
                    } else {
                        String::new()
                    };
                    Some(rows.with_value(|r| {
                        format!(
                            "<tr><td>{rank}</td><td>{}</td><td>{:.0}</td><td>{partial}</td></tr>",
                            escape_html(&r[i].name),
                            scored.score
                        )
                    }))
                })
                .collect();
            view! {
                <ol class="ranking">{top}</ol>
                {(!rest.is_empty()).then(|| view! {
                    <details class="ranking-rest">
                        <summary>{fill(&t.show_all, &[("n", &n.to_string())])}</summary>
                        <table class="ranking-table">
                            <thead><tr><th>{t.rank.clone()}</th><th>{t.market.clone()}</th><th>{t.score.clone()}</th><th>{t.indicators_used.clone()}</th></tr></thead>
                            <tbody inner_html=rest></tbody>
                        </table>
                    </details>
                })}
            }
            .into_any()
        }
    };
    view! {
        <div class="finder-body">
            <fieldset class="weights" id="weights">
                <legend>{text.with_value(|t| t.weights.clone())}</legend>
                {sliders}
            </fieldset>
            <div class="finder-results">
                <p class="finder-links">
                    <a class="to-weights" href="#weights">{text.with_value(|t| t.change_weights.clone())}</a>
                    {links.into_iter().map(|(label, path)| view! {
                        <a href=move || format!("{path}{}", query.with_value(|f| f()))>{label}</a>
                    }).collect_view()}
                </p>
                <div class="ranking-wrap" class:is-live=move || live.get()>{list}</div>
            </div>
        </div>
    }
}
