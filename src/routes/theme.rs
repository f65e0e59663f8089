//! `/theme?set=…&back=…`: remembers the reader's light/dark choice in a cookie (a plain link, so it
//! works without JavaScript) and goes back to the page it came from.

use crate::theme::ThemePref;

/// `GET /theme?set=dark&back=/explore?…`: remembers the choice for a year and goes back.
pub async fn set_theme(
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let Some(pref) = q.get("set").and_then(|s| ThemePref::from_key(s)) else {
        return (
            StatusCode::BAD_REQUEST,
            "set must be auto, light or dark, e.g. /theme?set=dark",
        )
            .into_response();
    };
    let cookie = match pref {
        ThemePref::Auto => "theme=; Path=/; Max-Age=0; SameSite=Lax".to_string(),
        p => format!("theme={}; Path=/; Max-Age=31536000; SameSite=Lax", p.key()),
    };
    remember_and_return(cookie, q.get("back").map(String::as_str), "/")
}

/// Sets a preference cookie and goes back to `back`, which must be a path on this site (never an
/// open redirect); `otherwise` where it is not. Shared with the language switch.
pub fn remember_and_return(cookie: String, back: Option<&str>, otherwise: &str) -> axum::response::Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    let back = back.filter(|b| crate::strings::is_site_path(b)).unwrap_or(otherwise).to_string();
    (StatusCode::SEE_OTHER, [(header::LOCATION, back), (header::SET_COOKIE, cookie)]).into_response()
}

