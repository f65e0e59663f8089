//! Fitting text to a width without font metrics: a generous average advance per character, greedy word
//! wrap, and a visible "…" wherever something had to be shortened. Pure functions, shared by the bar
//! labels drawn on the chart and the texts around standalone images.

/// A generous average advance of sans-serif faces (DejaVu Sans above all, the images' font) in ems:
/// lines wrap a little early rather than overflow.
pub const ADVANCE: f64 = 0.62;

/// Estimated width of `s` in pixels at font size `size`.
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * ADVANCE
}

/// How many characters fit in `width` pixels at `size` (at least one).
pub fn chars_in(width: f64, size: f64) -> usize {
    ((width / (size * ADVANCE)).floor() as usize).max(1)
}

/// Greedy word wrap to lines of at most `max_chars`; a word longer than a line is broken across lines,
/// never cut, so every character of `text` is kept (sources and legends lose nothing this way).
pub fn wrap(text: &str, max_chars: usize) -> Vec<String> {
    let max_chars = max_chars.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let (used, len) = (current.chars().count(), word.chars().count());
        if !current.is_empty() && used + 1 + len <= max_chars {
            current.push(' ');
            current.push_str(word);
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        let chars: Vec<char> = word.chars().collect();
        let mut pieces = chars
            .chunks(max_chars)
            .map(|c| c.iter().collect::<String>());
        let mut last = pieces.next().unwrap_or_default();
        for piece in pieces {
            lines.push(std::mem::replace(&mut last, piece));
        }
        current = last;
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Like [`wrap`], but at most `max_lines`: what does not fit is shortened, the last line ending in "…".
/// For labels whose full text is shown elsewhere (the tooltip, the figures table, the page title).
pub fn wrap_short(text: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    let max_chars = max_chars.max(2);
    let mut lines = wrap(text, max_chars);
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            let keep = max_chars - 1;
            *last = last
                .chars()
                .take(keep)
                .collect::<String>()
                .trim_end()
                .to_string()
                + "…";
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_character_and_lines_short() {
        let text = "China's cross-border e-commerce trade by destination market and platform";
        let lines = wrap(text, 20);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= 20), "{lines:?}");
        assert_eq!(lines.join(" "), text, "nothing lost");
        // A word longer than a line (a long host name) is broken, not cut.
        let long = format!("see {}", "x".repeat(45));
        let lines = wrap(&long, 20);
        assert!(lines.iter().all(|l| l.chars().count() <= 20));
        assert_eq!(lines.concat().replace(' ', ""), long.replace(' ', ""));
        assert!(wrap("", 12).is_empty());
        assert!(wrap("   ", 12).is_empty());
    }

    #[test]
    fn short_wrapping_says_when_it_cuts() {
        let label = "United Kingdom of Great Britain and Northern Ireland";
        let two = wrap_short(label, 16, 2);
        assert_eq!(two.len(), 2);
        assert!(two.iter().all(|l| l.chars().count() <= 16), "{two:?}");
        assert!(two[1].ends_with('…'));
        assert_eq!(
            wrap_short("Poland", 16, 1),
            ["Poland"],
            "what fits is untouched"
        );
        let one = wrap_short(label, 10, 1);
        assert!(
            one[0].ends_with('…') && one[0].chars().count() <= 10,
            "{one:?}"
        );
    }

    #[test]
    fn widths_and_capacities_agree() {
        let n = chars_in(300.0, 12.0);
        assert!(text_width(&"m".repeat(n), 12.0) <= 300.0);
        assert!(text_width(&"m".repeat(n + 1), 12.0) > 300.0);
        assert_eq!(chars_in(1.0, 12.0), 1);
    }
}
