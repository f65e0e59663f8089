//! Explorer state → data → chart: what `/explore` shows for a URL query, and the chart of a query on its
//! own, which the static images, the embeds and oEmbed draw.

use super::catalogue::{Facet, SeriesSummary};
use super::state::ExploreState;
use crate::chart::bundle::ChartBundle;
use serde::{Deserialize, Serialize};

/// Everything the explorer page shows for one URL query.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExploreData {
    pub state: ExploreState,
    pub problems: Vec<String>,
    pub facets: Vec<Facet>,
    pub matching: Vec<SeriesSummary>,
    pub matching_total: usize,
    pub selected: Vec<SeriesSummary>,
    pub chart: Option<ChartBundle>,
    /// Series a share can be taken of: the selection's own family totals (e.g. exports to the World).
    pub totals: Vec<(String, String)>,
    /// First and last year of the selected series' data, for the range sliders.
    pub years: Option<(i32, i32)>,
    /// Today, for the citation ("accessed 2026-11-22").
    pub accessed: String,
}

#[cfg(feature = "ssr")]
pub use ssr::*;

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::chart::bundle::SeriesData;
    use crate::domain::Series;
    use crate::explore::build::build_explorer;
    use crate::explore::catalogue::Catalogue;
    use crate::store::{Store, StoreError};
    use crate::transform::Transform;

    /// How many matching series the picker lists at once.
    const LIST_LIMIT: usize = 150;
    /// How many values a filter offers at once (the most common; a search narrows the rest).
    const FACET_LIMIT: usize = 200;

    /// The explorer page for a URL query: the state (what cannot be used is listed in `problems`), the
    /// picker's facets and matching series, and the chart.
    pub async fn explore(
        store: &Store,
        cat: &Catalogue,
        query: &str,
        lang: crate::i18n::Lang,
    ) -> Result<ExploreData, StoreError> {
        let (mut state, mut problems) = ExploreState::parse_query_in(query, lang);
        if query.trim_start_matches('?').is_empty() {
            state = opening_state(cat);
        }
        let facets = cat
            .facets(&state)
            .into_iter()
            .map(|f| {
                let chosen = state.filter(f.dimension).map(str::to_string);
                f.bounded(FACET_LIMIT, chosen.as_deref())
            })
            .collect();
        let matching_all = cat.matching(&state);
        let matching = matching_all
            .iter()
            .take(LIST_LIMIT)
            .map(|s| cat.summary(s, lang))
            .collect();

        let (selected_series, missing) = cat.resolve(&state.series);
        for id in &missing {
            problems.push(crate::i18n::tf(lang, "state.no_series", &[("id", id)]));
        }
        state.series.retain(|id| !missing.contains(id));
        state.hide.retain(|id| state.series.contains(id));
        let selected = selected_series.iter().map(|s| cat.summary(s, lang)).collect();
        let totals = cat.share_totals(&selected_series);

        // Fallbacks (lines instead of an area that would not add up…) are in the chart's note.
        let (chart, _fallbacks) = chart_for(store, cat, &state, &selected_series, lang).await?;
        let years = store.year_bounds(&state.series).await?;
        Ok(ExploreData {
            state,
            problems,
            facets,
            matching_total: matching_all.len(),
            matching,
            selected,
            chart,
            totals,
            years,
            accessed: crate::chart::export::today_utc(),
        })
    }

    /// What `/explore` opens on before anything is picked: the largest markets' imports from China as
    /// they report them (mirror data, to the latest year), so the first screen answers a question.
    pub fn opening_state(cat: &Catalogue) -> ExploreState {
        ExploreState {
            series: cat.largest(OPENING.0, OPENING.1, 6),
            ..ExploreState::default()
        }
    }

    /// The dataset and indicator of the opening chart.
    const OPENING: (&str, &str) = ("comtrade-mirror-china", "reported_imports");

    /// The chart of an explorer state: what /explore shows, and what the static image and embed
    /// routes draw. `series` are the state's series, resolved (unknown ids already dropped). Returns
    /// what could not be drawn as asked, for the reader. The chart's words are in `lang`.
    pub async fn chart_for(
        store: &Store,
        cat: &Catalogue,
        state: &ExploreState,
        series: &[Series],
        lang: crate::i18n::Lang,
    ) -> Result<(Option<ChartBundle>, Vec<String>), StoreError> {
        if series.is_empty() {
            return Ok((None, Vec::new()));
        }
        let mut ids: Vec<String> = series.iter().map(|s| s.id.clone()).collect();
        let total_series = match &state.transform {
            Transform::Share { total } => cat.get(total).cloned(),
            _ => None,
        };
        if let Some(t) = &total_series {
            ids.push(t.id.clone());
        }
        let observations = store.observations(&ids, state.from, state.to).await?;
        let with_data = |s: &Series| -> Result<SeriesData, StoreError> {
            Ok(SeriesData {
                series: s.clone(),
                dataset: cat.dataset(&s.dataset_id).cloned().ok_or_else(|| {
                    StoreError::Corrupt(format!("series {} has no dataset", s.id))
                })?,
                observations: observations
                    .iter()
                    .filter(|o| o.series_id == s.id)
                    .cloned()
                    .collect(),
                label: None,
            })
        };
        let data: Vec<SeriesData> = series.iter().map(with_data).collect::<Result<_, _>>()?;
        let total = total_series.as_ref().map(with_data).transpose()?;
        let (mut bundle, problems) = build_explorer(
            &data,
            total.as_ref(),
            crate::events::all(),
            state,
            (720, 400),
            lang,
        );
        if !problems.is_empty() {
            bundle.note = [bundle.note.as_str()]
                .into_iter()
                .chain(problems.iter().map(String::as_str))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
        }
        Ok((Some(bundle), problems))
    }

    /// The chart of a URL query on its own (static images, embeds): the state's problems are returned
    /// for the caller to report, unknown series among them. The chart's words are in `lang`.
    pub async fn chart_for_query(
        store: &Store,
        cat: &Catalogue,
        query: &str,
        lang: crate::i18n::Lang,
    ) -> Result<(ExploreState, Option<ChartBundle>, Vec<String>), StoreError> {
        let (mut state, mut problems) = ExploreState::parse_query_in(query, lang);
        let (found, missing) = cat.resolve(&state.series);
        for id in &missing {
            problems.push(crate::i18n::tf(lang, "state.no_series", &[("id", id)]));
        }
        state.series.retain(|id| !missing.contains(id));
        state.hide.retain(|id| state.series.contains(id));
        // What the chart could not do as asked (e.g. stack series that do not add up) is not an error
        // here: the drawing falls back and its note says why.
        let (chart, _fallbacks) = chart_for(store, cat, &state, &found, lang).await?;
        Ok((state, chart, problems))
    }
}
