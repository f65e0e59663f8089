//! The home dashboard's data: headline cards, the CBEC totals chart, platforms, destination-market
//! shares and Yiwu's figures — the quoted figures of the default dataset, each with its source; derived
//! ones say so.

use crate::chart::bundle::{ChartBundle, FigureRow, SourceRef};
use serde::{Deserialize, Serialize};

/// A headline figure with its period and source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// i18n key of the card's title.
    pub title_key: String,
    pub figure: FigureRow,
    /// A second line: growth as stated, a derived change, or the previous value.
    pub detail: Option<String>,
    pub detail_derived: bool,
    pub detail_source: Option<SourceRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeData {
    pub cards: Vec<Card>,
    pub totals: ChartBundle,
    pub platforms: ChartBundle,
    pub shares: ChartBundle,
    pub yiwu: Vec<FigureRow>,
}

#[cfg(feature = "ssr")]
pub use ssr::home;

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::chart::bundle::{build, build_bars_by_period, source_of, SeriesData};
    use crate::domain::{format_number, Dataset, Observation, Series};
    use crate::explore::catalogue::Catalogue;
    use crate::i18n::{numbers, t, Lang};
    use crate::store::{Store, StoreError};
    use crate::transform::latest_year_on_year;

    /// The quoted figures' series with their data.
    struct Quoted {
        series: Vec<Series>,
        datasets: Vec<Dataset>,
        observations: Vec<Observation>,
        lang: Lang,
    }

    impl Quoted {
        fn data(&self, s: &Series, label: Option<&str>) -> SeriesData {
            SeriesData {
                series: s.clone(),
                dataset: self
                    .datasets
                    .iter()
                    .find(|d| d.id == s.dataset_id)
                    .cloned()
                    .expect("series has a dataset"),
                observations: self
                    .observations
                    .iter()
                    .filter(|o| o.series_id == s.id)
                    .cloned()
                    .collect(),
                // The page's own names for its charts' series, else the series' name in the reader's language.
                label: Some(label.map_or_else(
                    || crate::explore::catalogue::label_in(s, self.lang),
                    |key| t(self.lang, key).to_string(),
                )),
            }
        }

        /// The series of `indicator` whose category and unit match, if the data has it.
        fn find(&self, indicator: &str, category: &str, unit: &str) -> Option<&Series> {
            self.series
                .iter()
                .find(|s| s.indicator == indicator && s.category == category && s.unit == unit)
        }

        fn figure(&self, sd: &SeriesData, o: &Observation) -> FigureRow {
            crate::chart::bundle::point_and_figure(sd, o, &sd.label(), "", self.lang).1
        }
    }

    pub async fn home(store: &Store, catalogue: &Catalogue, lang: Lang) -> Result<HomeData, StoreError> {
        // The dashboard shows the quoted figures (the first two default files), not the bulk statistics:
        // loading only those keeps the page fast however much a researcher imports.
        let quoted: Vec<&str> = crate::seed::DEFAULT_FILES[..2]
            .iter()
            .map(|f| f.dataset)
            .collect();
        let series: Vec<Series> = catalogue
            .series
            .iter()
            .filter(|s| quoted.contains(&s.dataset_id.as_str()))
            .cloned()
            .collect();
        let ids: Vec<String> = series.iter().map(|s| s.id.clone()).collect();
        let cat = Quoted {
            observations: store.observations(&ids, None, None).await?,
            datasets: catalogue.datasets.values().cloned().collect(),
            series,
            lang,
        };

        // CBEC totals: survey-based customs totals and the narrow customs-platform and pilot-city figures,
        // each its own series; different units go to different panels. Industry "transaction scale"
        // estimates (incl. B2B, ~15 tn CNY) measure something else and would flatten these to a line
        // along the axis: they stay in the explorer, named in the note.
        let totals_wanted = [
            (
                "cbec_trade_china_customs",
                "CBEC imports+exports",
                "CNY trillion",
                "home.label.customs",
            ),
            (
                "cbec_trade_china_customs",
                "CBEC imports+exports (customs retail platform)",
                "CNY billion",
                "home.label.retail_platform",
            ),
            (
                "cbec_trade_china_customs",
                "CBEC imports+exports (pilot cities)",
                "CNY billion",
                "home.label.pilot_cities",
            ),
        ];
        let totals_data: Vec<SeriesData> = totals_wanted
            .iter()
            .filter_map(|(i, c, u, label)| cat.find(i, c, u).map(|s| cat.data(s, Some(label))))
            .collect();
        let totals = build(
            "totals",
            t(lang, "home.chart.totals"),
            t(lang, "home.chart.totals.note"),
            &totals_data,
            (720, 400),
            lang,
        );

        // Platforms: GMV (USD billion) and users (million), worldwide or Europe-wide figures only.
        let platform_data: Vec<SeriesData> = cat
            .series
            .iter()
            .filter(|s| {
                let gmv = matches!(
                    s.indicator.as_str(),
                    "platform_gmv" | "platform_gmv_analyst_estimate"
                ) && s.unit == "USD billion";
                let users = matches!(s.indicator.as_str(), "platform_mau" | "platform_users")
                    && s.unit == "million"
                    && s.origin == "China"
                    && matches!(
                        s.destination.as_str(),
                        "World" | "Europe" | "European Union" | "European Union (27)"
                    );
                gmv || users
            })
            .map(|s| cat.data(s, None))
            .collect();
        let platforms = build(
            "platforms",
            t(lang, "home.chart.platforms"),
            t(lang, "home.chart.platforms.note"),
            &platform_data,
            (720, 440),
            lang,
        );

        // Destination markets' shares of China's CBEC exports.
        let share_data: Vec<SeriesData> = cat
            .series
            .iter()
            .filter(|s| s.indicator == "cbec_export_destination_share")
            .map(|s| cat.data(s, None))
            .collect();
        let shares = build_bars_by_period(
            "shares",
            t(lang, "home.chart.shares"),
            "",
            &share_data,
            (720, 360),
            lang,
        );

        let mut cards = Vec::new();
        // Latest annual CBEC total, with growth as stated by its source where one exists, else derived.
        if let Some(s) = cat.find(
            "cbec_trade_china_customs",
            "CBEC imports+exports",
            "CNY trillion",
        ) {
            let sd = cat.data(s, Some("home.label.cbec_total"));
            if let Some(latest) = sd
                .observations
                .iter()
                .filter(|o| o.period.months() == 12)
                .max_by_key(|o| o.period)
            {
                let stated = cat
                    .series
                    .iter()
                    .filter(|s| s.indicator == "cbec_trade_total_yoy")
                    .find_map(|ys| {
                        let yd = cat.data(ys, None);
                        yd.observations
                            .iter()
                            .find(|o| o.period == latest.period)
                            .map(|o| (o.clone(), yd.dataset.clone()))
                    });
                let (detail, derived, detail_source) = match stated {
                    Some((o, d)) => (
                        Some(format!(
                            "+{}% {}",
                            format_number(o.value),
                            t(lang, "home.card.stated_growth")
                        )),
                        false,
                        Some(source_of(&o, &d)),
                    ),
                    None => match latest_year_on_year(&sd.observations) {
                        Some(g) => (
                            Some(format!("{:+.1}% {} → {}", g.pct, numbers::period(lang, &g.from), numbers::period(lang, &g.to))),
                            true,
                            None,
                        ),
                        None => (None, false, None),
                    },
                };
                cards.push(Card {
                    title_key: "home.card.total".into(),
                    figure: cat.figure(&sd, latest),
                    detail,
                    detail_derived: derived,
                    detail_source,
                });
            }
        }
        // US share of CBEC exports: latest, with the previous figure beside it.
        if let Some(s) = cat.series.iter().find(|s| {
            s.indicator == "cbec_export_destination_share" && s.destination == "United States"
        }) {
            let sd = cat.data(s, Some("home.label.us"));
            let mut obs = sd.observations.clone();
            obs.sort_by_key(|o| o.period);
            if let Some(latest) = obs.last() {
                let detail = obs
                    .iter()
                    .rev()
                    .nth(1)
                    .map(|prev| format!("{}: {}%", numbers::period(lang, &prev.period), prev.display_value()));
                cards.push(Card {
                    title_key: "home.card.us_share".into(),
                    figure: cat.figure(&sd, latest),
                    detail,
                    detail_derived: false,
                    detail_source: None,
                });
            }
        }
        // Fastest-growing platform metric: the largest year-on-year change computable from sourced figures
        // (final figures only; targets and projections are not outcomes).
        let best = cat
            .series
            .iter()
            .filter(|s| !s.platform.is_empty())
            .filter_map(|s| {
                let sd = cat.data(s, None);
                let finals: Vec<Observation> = sd
                    .observations
                    .iter()
                    .filter(|o| !o.flags.provisional)
                    .cloned()
                    .collect();
                latest_year_on_year(&finals).map(|g| (sd, g))
            })
            .max_by(|a, b| a.1.pct.total_cmp(&b.1.pct));
        if let Some((sd, g)) = best {
            if let Some(latest) = sd
                .observations
                .iter()
                .find(|o| o.period == g.to && o.value == g.to_value)
            {
                let detail = format!(
                    "{:+.0}% {} → {} ({} → {})",
                    g.pct,
                    numbers::period(lang, &g.from),
                    numbers::period(lang, &g.to),
                    numbers::amount(lang, g.from_value, &sd.series.unit),
                    numbers::amount(lang, g.to_value, &sd.series.unit),
                );
                cards.push(Card {
                    title_key: "home.card.fastest".into(),
                    figure: cat.figure(&sd, latest),
                    detail: Some(detail),
                    detail_derived: true,
                    detail_source: None,
                });
            }
        }

        // Yiwu's figures, plus the Olympic-season sales that Yiwu's merchants rode.
        let yiwu = cat
            .series
            .iter()
            .filter(|s| s.origin.starts_with("Yiwu") || s.indicator == "alibaba_intl_olympic_sales")
            .flat_map(|s| {
                let sd = cat.data(s, None);
                sd.observations
                    .iter()
                    .map(|o| cat.figure(&sd, o))
                    .collect::<Vec<_>>()
            })
            .collect();

        Ok(HomeData {
            cards,
            totals,
            platforms,
            shares,
            yiwu,
        })
    }
}

