//! Light and dark pages. The reader's choice lives in a `theme` cookie (set by `/theme?set=…`, a plain
//! link, so it works without JavaScript) and the server renders that theme — charts included. With no
//! choice the page follows `prefers-color-scheme`.

use crate::chart::Theme;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemePref {
    /// Follow the system (prefers-color-scheme).
    #[default]
    Auto,
    Light,
    Dark,
}

impl ThemePref {
    pub const ALL: [ThemePref; 3] = [ThemePref::Auto, ThemePref::Light, ThemePref::Dark];

    pub fn key(self) -> &'static str {
        match self {
            ThemePref::Auto => "auto",
            ThemePref::Light => "light",
            ThemePref::Dark => "dark",
        }
    }

    pub fn from_key(key: &str) -> Option<ThemePref> {
        ThemePref::ALL.into_iter().find(|t| t.key() == key)
    }

    /// The class on `<html>`: none for auto, so the CSS media query decides.
    pub fn html_class(self) -> &'static str {
        match self {
            ThemePref::Auto => "",
            ThemePref::Light => "theme-light",
            ThemePref::Dark => "theme-dark",
        }
    }

    /// The chart colours: the server draws auto as light (CSS adapts it to a dark system); the browser
    /// knows the system preference and draws exactly.
    pub fn chart_theme(self, system_dark: bool) -> Theme {
        match self {
            ThemePref::Dark => Theme::DARK,
            ThemePref::Auto if system_dark => Theme::DARK,
            _ => Theme::LIGHT,
        }
    }

    /// The preference in a `Cookie` header, if any.
    pub fn from_cookie_header(header: &str) -> ThemePref {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == "theme")
            .and_then(|(_, v)| ThemePref::from_key(v.trim()))
            .unwrap_or_default()
    }
}

/// The preference of the request being rendered (server) or of the page (browser).
pub fn current() -> ThemePref {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|p| {
                p.headers
                    .get(axum::http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(ThemePref::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        if let Some(class) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .map(|e| e.class_name())
        {
            if class.contains("theme-dark") {
                return ThemePref::Dark;
            }
            if class.contains("theme-light") {
                return ThemePref::Light;
            }
        }
        ThemePref::Auto
    }
}

/// Whether the system asks for dark pages (browser only; the server cannot know).
pub fn system_dark() -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|m| m.matches())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_header_is_read_and_bad_values_mean_auto() {
        assert_eq!(
            ThemePref::from_cookie_header("a=1; theme=dark; b=2"),
            ThemePref::Dark
        );
        assert_eq!(
            ThemePref::from_cookie_header("theme=purple"),
            ThemePref::Auto
        );
        assert_eq!(ThemePref::from_cookie_header(""), ThemePref::Auto);
        assert_eq!(ThemePref::Dark.chart_theme(false), Theme::DARK);
        assert_eq!(ThemePref::Auto.chart_theme(true), Theme::DARK);
        assert_eq!(ThemePref::Light.chart_theme(true), Theme::LIGHT);
    }
}
