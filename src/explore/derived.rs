//! How derived values are written and which series may be combined — shared by the explorer's time
//! charts and its rankings.

use crate::chart::bundle::SeriesData;
use crate::domain::{format_number, Observation};
use crate::i18n::{t, tf, Lang};
use crate::transform::Transform;

/// One family: same dataset, indicator and unit — series that may be parts of one whole.
pub fn same_family(a: &SeriesData, b: &SeriesData) -> bool {
    a.series.dataset_id == b.series.dataset_id
        && a.series.indicator == b.series.indicator
        && a.series.unit == b.series.unit
}

/// The figures in period order.
pub fn sorted(obs: &[Observation]) -> Vec<Observation> {
    let mut obs = obs.to_vec();
    obs.sort_by(|a, b| a.period.cmp(&b.period));
    obs
}

/// A derived value as shown: one decimal.
pub fn derived_display(v: f64) -> String {
    format_number((v * 10.0).round() / 10.0)
}

/// The unit of a panel after the transform in `lang` (a share names its total); derived units say so.
pub fn panel_unit(lang: Lang, transform: &Transform, unit: &str, total: Option<&SeriesData>) -> String {
    match (transform, total) {
        (Transform::Share { .. }, Some(t)) => tf(lang, "explore.unit.share", &[("total", &t.label())]),
        (Transform::Share { total }, None) => tf(lang, "explore.unit.share", &[("total", total)]),
        (Transform::Absolute, _) => crate::i18n::numbers::unit(lang, unit),
        (Transform::YearOnYear, _) => t(lang, "explore.unit.yoy").to_string(),
        (Transform::Index { base }, _) => {
            tf(lang, "explore.unit.index", &[("base", &crate::i18n::numbers::period(lang, base))])
        }
    }
}

/// A derived change with its sign: "+3.2", "-1.5".
pub fn signed(v: f64) -> String {
    let text = derived_display(v);
    if v > 0.0 {
        format!("+{text}")
    } else {
        text
    }
}
