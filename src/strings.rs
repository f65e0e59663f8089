//! Small text helpers every layer shares: identifiers from free text, download file names, and HTML
//! escaping for the few places that write HTML by hand (Leptos escapes everything it renders).

/// A lowercase ASCII identifier from free text: "AliExpress + Temu" → "aliexpress-temu". Underscores are
/// kept (indicator ids use them); anything else that is not a letter or digit becomes one hyphen.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c == '_' {
            out.push('_');
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A download file name's stem from a title: its slug, at most 60 characters, or "chart" when the title
/// has no ASCII letters or digits ("中文").
pub fn file_stem(title: &str) -> String {
    let s: String = slug(title).chars().take(60).collect();
    match s.trim_end_matches(['-', '_']) {
        "" => "chart".to_string(),
        s => s.to_string(),
    }
}

/// Text made safe for HTML element content and double- or single-quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether `url` is a web address (`http://` or `https://`, any case) with nothing a browser would
/// read differently from what it shows: no spaces, control characters or backslashes.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = match () {
        _ if lower.starts_with("https://") => &url[8..],
        _ if lower.starts_with("http://") => &url[7..],
        _ => return false,
    };
    // A host must follow the scheme.
    rest.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '[')
        && !url.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\')
}

/// Whether `path` is a path on this site: `/` then anything but a second `/` (a protocol-relative
/// address elsewhere), without control characters or backslashes (which browsers may read as `/`).
pub fn is_site_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.chars().any(|c| c.is_control() || c == '\\')
}

/// A link safe to put in `href`: a web address or a path on this site; anything else (`javascript:`,
/// `data:`, …) is not a link.
pub fn safe_link(url: &str) -> Option<&str> {
    let url = url.trim();
    (is_web_url(url) || is_site_path(url)).then_some(url)
}

/// The language a quoted sentence is written in, as a BCP 47 code, guessed from its script and its
/// commonest words: "zh", "de", "it", "fr", "es" or else "en". Quotes are shown as published; this
/// only labels them (`lang=` for screen readers, and a note on pages in another language).
pub fn language_of(text: &str) -> &'static str {
    // Chinese where its characters outnumber the Latin words ("海关总署 (GACC) latest data, as
    // reported" is English naming a Chinese body).
    let han = text.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count();
    let latin_words = text.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() > 1).count();
    if han > latin_words {
        return "zh";
    }
    const WORDS: [(&str, &[&str]); 4] = [
        ("de", &["der", "die", "das", "und", "ist", "nicht", "mit", "zufolge", "von", "den", "im", "auf"]),
        ("it", &["il", "di", "che", "della", "del", "le", "gli", "sono", "secondo", "per", "una", "hanno"]),
        ("fr", &["le", "les", "des", "est", "une", "du", "pour", "selon", "dans", "sont", "qui"]),
        ("es", &["el", "los", "las", "del", "según", "para", "una", "es", "con", "por"]),
    ];
    const ENGLISH: &[&str] = &["the", "and", "of", "to", "in", "is", "was", "with", "for", "from", "that"];
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let score = |list: &[&str]| words.iter().filter(|w| list.contains(&w.as_str())).count();
    let english = score(ENGLISH);
    WORDS
        .iter()
        .map(|(code, list)| (*code, score(list)))
        .filter(|(_, n)| *n > english && *n >= 2)
        .max_by_key(|(_, n)| *n)
        .map_or("en", |(code, _)| code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slug("AliExpress + Temu"), "aliexpress-temu");
        assert_eq!(
            slug("CBEC imports+exports (pilot cities)"),
            "cbec-imports-exports-pilot-cities"
        );
        assert_eq!(slug("platform_gmv"), "platform_gmv");
    }

    #[test]
    fn file_stems_fall_back_and_stay_short() {
        assert_eq!(file_stem("Temu · GMV"), "temu-gmv");
        assert_eq!(file_stem("中文"), "chart");
        assert_eq!(file_stem(&"ab ".repeat(40)).len(), 59, "cut at 60, no trailing hyphen");
    }

    #[test]
    fn only_web_addresses_and_site_paths_are_links() {
        for ok in ["https://example.org/x?a=1", "HTTP://EXAMPLE.ORG", "/sources/articles/001.txt", " https://a.example "] {
            assert!(safe_link(ok).is_some(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "https://a.example/\nx",
            "https://",
            "vbscript:x",
            "",
        ] {
            assert!(safe_link(bad).is_none(), "{bad:?}");
        }
        assert!(!is_web_url("/sources/x") && is_site_path("/sources/x"));
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn quotes_are_labelled_with_their_language() {
        assert_eq!(language_of("According to statistics from China Customs, in 2022 the scale was 2.1 trillion yuan."), "en");
        assert_eq!(language_of("据官方报告数据:2025年上半年,Temu在欧盟27国的平均月度活跃用户约1.157亿。"), "zh");
        assert_eq!(language_of("Secondo le statistiche, in ambito d'esportazione, da luglio del 2013 a fine dicembre del 2014, 16 città pilota hanno lanciato"), "it");
        assert_eq!(language_of("Offiziellen Angaben zufolge ist der Umsatz mit der Plattform und den Händlern gestiegen"), "de");
        assert_eq!(language_of(""), "en");
        assert_eq!(language_of("海关总署 (GACC) latest data, as reported 2024-08-02"), "en");
        assert_eq!(language_of("海关总署"), "zh");
        assert_eq!(language_of("\"约\" (about)"), "en");
    }
}
