//! The ranking as a chart (ranked bars of the score), for `/markets/chart.svg|png` and share cards: the
//! same bundle the explorer's charts use, so images carry their title, method note and sources with the
//! non-commercial licence where it applies.

use super::finder::{FinderResult, ALL_GOODS};
use crate::chart::bundle::{ChartBundle, SourceRef};
use crate::chart::{ChartKind, ChartPoint, ChartSeries, ChartSpec, Panel};
use crate::domain::{Flags, Period};
use crate::i18n::{t, tf, Lang};

/// Markets drawn in the image: the top of the ranking (the page and the CSV have all of them).
pub const IMAGE_MARKETS: usize = 15;

pub fn ranking_bundle(r: &FinderResult, lang: Lang) -> ChartBundle {
    let category = if r.query.category == ALL_GOODS {
        t(lang, "markets.all_goods").to_string()
    } else {
        crate::i18n::category(lang, &r.query.category)
    };
    let shown = r.rows.len().min(IMAGE_MARKETS);
    let points = r
        .rows
        .iter()
        .take(IMAGE_MARKETS)
        .map(|m| ChartPoint {
            period: Period::Year(super::table::SIZE_YEAR),
            category: format!("{}. {}", m.rank, crate::i18n::place(lang, &m.code, &m.name)),
            value: m.score,
            value_high: None,
            flags: Flags::default(),
            display: format!("{:.0}", m.score),
            unit_in_display: false,
            source: String::new(),
            caveat: None,
            derived: Some(t(lang, "markets.chart.derived").to_string()),
            gap: None,
            bubble: None,
        })
        .collect();
    let weights: Vec<String> = super::score::Indicator::ALL
        .into_iter()
        .filter(|i| r.query.weights.get(*i) > 0)
        .map(|i| format!("{} {}", t(lang, &format!("markets.ind.{}", i.key())), r.query.weights.get(i)))
        .collect();
    // One entry per publisher (the World Bank publishes four of the inputs), so the line fits.
    let mut sources: Vec<SourceRef> = Vec::new();
    for s in &r.sources {
        if !sources.iter().any(|known| known.label == s.publisher) {
            sources.push(SourceRef { label: s.publisher.clone(), url: s.link.clone(), licence: s.licence.clone() });
        }
    }
    // The licence goes in the note, which is never cut, rather than at the end of the sources line.
    let mut note = tf(lang, "markets.chart.note", &[("weights", &weights.join(", "))]);
    if r.non_commercial() {
        note = format!("{} {note}", t(lang, "markets.chart.licence"));
    }
    ChartBundle {
        id: "markets".into(),
        title: tf(
            lang,
            "markets.chart.title",
            &[("category", &category), ("shown", &shown.to_string()), ("n", &r.rows.len().to_string())],
        ),
        note,
        spec: ChartSpec {
            kind: ChartKind::Bars,
            panels: vec![Panel {
                unit: t(lang, "markets.chart.unit").to_string(),
                series: vec![ChartSeries {
                    id: "score".into(),
                    label: t(lang, "markets.score").to_string(),
                    style: 0,
                    hidden: false,
                    points,
                }],
            }],
            log_scale: false,
            width: 800,
            height: 40 + 26 * shown.max(1) as u32,
            events: Vec::new(),
        },
        sources,
        figures: Vec::new(),
        legend_links: vec![None],
        events: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markets::finder::FinderQuery;
    use crate::markets::score::Weights;

    #[test]
    fn the_image_names_the_weights_and_ranks_with_the_scores() {
        let table = crate::markets::answer::tests::made_up_table();
        let q = FinderQuery { category: "Toys".into(), weights: Weights::parse("size:80,growth:20").unwrap(), ..Default::default() };
        let r = table.answer(&q, vec![]);
        let b = ranking_bundle(&r, Lang::En);
        assert!(b.note.contains("Weights: Market size 80, Growth of China's exports 20."), "{}", b.note);
        assert_eq!(b.title, "Where to sell Toys: the top 3 of 3 markets");
        let points = &b.spec.panels[0].series[0].points;
        let rows: Vec<(&str, f64)> = points.iter().map(|p| (p.category.as_str(), p.value)).collect();
        assert_eq!(rows, [("1. Market AAA", 80.0), ("2. Market DDD", 50.0), ("3. Market BBB", 20.0)]);
    }
}
