//! What an embed shows: the embed's own URL parameters (`theme`, `accent`, `controls`, `lang`; and on
//! `/embed/home`, `chart=`), split off before the rest of the query goes to the explorer's parser, and
//! the charts an embed, a chart image or oEmbed asks for.

use crate::chart::bundle::ChartBundle;
use crate::i18n::Lang;
use crate::theme::ThemePref;
use serde::{Deserialize, Serialize};

/// How an embed looks; none of it is chart state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbedOptions {
    /// Light unless asked: an embed cannot read the reader's cookie (auto follows their system).
    pub theme: ThemePref,
    /// Links and focus rings, as `#rrggbb`.
    pub accent: Option<String>,
    /// `controls=0` hides the legend toggles and the figures table.
    pub controls_off: bool,
    pub lang: Lang,
}

/// The embed's own parameter names: split off before the explorer parses the query.
pub const EMBED_KEYS: [&str; 4] = ["theme", "accent", "controls", "lang"];

/// `#abc`, `abc`, `#aabbcc` or `aabbcc` → `#aabbcc`; anything else is not a colour we put into CSS.
pub fn parse_accent(value: &str) -> Option<String> {
    let hex = value.trim().trim_start_matches('#');
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(
            hex.chars()
                .flat_map(|c| [c, c])
                .fold(String::from("#"), |mut s, c| {
                    s.push(c.to_ascii_lowercase());
                    s
                }),
        ),
        _ => None,
    }
}

impl Default for EmbedOptions {
    fn default() -> Self {
        EmbedOptions {
            theme: ThemePref::Light,
            accent: None,
            controls_off: false,
            lang: Lang::default(),
        }
    }
}

impl EmbedOptions {
    /// Reads the embed's own parameters (others are ignored here); a message for each unusable one.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (EmbedOptions, Vec<String>) {
        let mut o = EmbedOptions::default();
        let mut problems = Vec::new();
        for (key, value) in pairs {
            match key {
                "theme" => match ThemePref::from_key(value) {
                    Some(t) => o.theme = t,
                    None => problems.push(format!("theme '{value}' is not light, dark or auto")),
                },
                "accent" if value.is_empty() => {}
                "accent" => match parse_accent(value) {
                    Some(c) => o.accent = Some(c),
                    None => problems.push(format!(
                        "accent '{value}' is not a hex colour like %23c0392b (#c0392b)"
                    )),
                },
                "controls" => match value {
                    "0" => o.controls_off = true,
                    "1" | "" => o.controls_off = false,
                    other => problems.push(format!("controls '{other}' is not 0 or 1")),
                },
                "lang" => match Lang::from_code(value) {
                    Some(l) => o.lang = l,
                    None => problems.push(format!("lang '{value}' is not en or zh-Hans")),
                },
                _ => {}
            }
        }
        (o, problems)
    }

    /// The non-default options as query pairs, for links that keep them.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if self.theme != EmbedOptions::default().theme {
            pairs.push(("theme", self.theme.key().to_string()));
        }
        if let Some(a) = &self.accent {
            pairs.push(("accent", a.clone()));
        }
        if self.controls_off {
            pairs.push(("controls", "0".to_string()));
        }
        if self.lang != Lang::default() {
            pairs.push(("lang", self.lang.code().to_string()));
        }
        pairs
    }
}

/// Splits a query into the pairs named in `own` and the rest, re-encoded as a query string (no '?').
pub fn split_query(query: &str, own: &[&str]) -> (Vec<(String, String)>, String) {
    let mut mine = Vec::new();
    let mut rest = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
        match own.contains(&k.as_ref()) {
            true => mine.push((k.into_owned(), v.into_owned())),
            false => {
                rest.append_pair(&k, &v);
            }
        }
    }
    (mine, rest.finish())
}

/// What an embed page adds around a chart (title, legend, sources, figures, footer), in CSS pixels at
/// the default text size: for iframe heights where the page cannot report its own.
pub const EMBED_CHROME: u32 = 230;
/// Height for iframes without /embed.js: one chart at the default width with room for a long legend.
pub const EMBED_FIXED_HEIGHT: u32 = 640;

/// The home dashboard's charts by name (`chart=` on /embed/home, `home=` on the image routes).
pub const HOME_CHARTS: [&str; 3] = ["totals", "platforms", "shares"];

/// What an embed shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbedData {
    pub charts: Vec<ChartBundle>,
    pub problems: Vec<String>,
    /// The same view on the site: `/explore?…` or `/`.
    pub open_href: String,
    pub options: EmbedOptions,
}

#[cfg(feature = "ssr")]
pub use ssr::{embed_data, home_charts};

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::explore::catalogue::Catalogue;
    use crate::store::{Store, StoreError};

    /// One of the home dashboard's charts by name, or all three.
    pub async fn home_charts(
        store: &Store,
        cat: &Catalogue,
        which: Option<&str>,
    ) -> Result<Vec<ChartBundle>, StoreError> {
        let d = crate::explore::home::home(store, cat).await?;
        let all = [
            ("totals", d.totals),
            ("platforms", d.platforms),
            ("shares", d.shares),
        ];
        Ok(all
            .into_iter()
            .filter(|(name, _)| which.is_none_or(|w| w == *name))
            .map(|(_, b)| b)
            .collect())
    }

    pub async fn embed_data(
        store: &Store,
        cat: &Catalogue,
        home: bool,
        query: &str,
    ) -> Result<EmbedData, StoreError> {
        let own: Vec<&str> = match home {
            true => EMBED_KEYS.iter().copied().chain(["chart"]).collect(),
            false => EMBED_KEYS.to_vec(),
        };
        let (mine, rest) = split_query(query, &own);
        let (options, mut problems) =
            EmbedOptions::from_pairs(mine.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let mut charts = Vec::new();
        let open_href;
        if home {
            let which = mine
                .iter()
                .find(|(k, _)| k == "chart")
                .map(|(_, v)| v.as_str());
            let which = match which {
                Some(w) if !HOME_CHARTS.contains(&w) => {
                    problems.push(format!("chart '{w}' is not totals, platforms or shares"));
                    None
                }
                w => w,
            };
            charts = home_charts(store, cat, which).await?;
            for unknown in form_urlencoded::parse(rest.as_bytes()) {
                problems.push(format!("unknown parameter '{}'", unknown.0));
            }
            open_href = "/".to_string();
        } else {
            let (_, chart, explore_problems) =
                crate::explore::service::chart_for_query(store, cat, &rest).await?;
            problems.extend(explore_problems);
            charts.extend(chart);
            open_href = match rest.is_empty() {
                true => "/explore".to_string(),
                false => format!("/explore?{rest}"),
            };
        }
        for chart in charts.iter_mut() {
            // Legend toggles stay inside the embed: no links to the explorer, no URL rewriting.
            chart.legend_links = vec![None; chart.legend_links.len()];
        }
        Ok(EmbedData {
            charts,
            problems,
            open_href,
            options,
        })
    }
}

