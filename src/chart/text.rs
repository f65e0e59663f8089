//! Fitting text to a width without font metrics: a generous average advance per character (a full em
//! for Chinese and other full-width characters), greedy line breaking at spaces and between Chinese
//! characters, and a visible "…" wherever something had to be shortened. Pure functions, shared by the
//! bar labels drawn on the chart and the texts around standalone images.

/// A generous average advance of sans-serif faces (DejaVu Sans above all, the images' font) in ems:
/// lines wrap a little early rather than overflow. Widths and capacities below count in "columns" of
/// this advance; a full-width character takes [`WIDE`] ems.
pub const ADVANCE: f64 = 0.62;
/// The advance of a full-width character (hanzi, kana, hangul, CJK punctuation, full-width forms) in
/// ems: CJK faces (Noto Sans CJK in images) draw them one em wide.
pub const WIDE: f64 = 1.0;

/// Whether `c` is drawn full width (East Asian Wide or Fullwidth, roughly).
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F // Hangul Jamo leading consonants
        | 0x2E80..=0x303E // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
        | 0x3041..=0x33FF // kana, bopomofo, Hangul compatibility jamo, kanbun, CJK strokes, enclosed
        | 0x3400..=0x4DBF // CJK Unified Ideographs Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xA000..=0xA4CF // Yi
        | 0xAC00..=0xD7A3 // Hangul syllables
        | 0xF900..=0xFAFF // CJK Compatibility Ideographs
        | 0xFE10..=0xFE19 // vertical forms
        | 0xFE30..=0xFE6F // CJK compatibility forms, small form variants
        | 0xFF01..=0xFF60 // full-width forms
        | 0xFFE0..=0xFFE6 // full-width signs
        | 0x20000..=0x3FFFD // supplementary ideographs
    )
}

/// The width of `c` in columns of [`ADVANCE`].
fn columns(c: char) -> f64 {
    match is_wide(c) {
        true => WIDE / ADVANCE,
        false => 1.0,
    }
}

fn columns_of(s: &str) -> f64 {
    s.chars().map(columns).sum()
}

/// Estimated width of `s` in pixels at font size `size`.
pub fn text_width(s: &str, size: f64) -> f64 {
    columns_of(s) * size * ADVANCE
}

/// How many columns — ordinary characters; a full-width one takes about 1.6 — fit in `width` pixels at
/// `size` (at least one).
pub fn chars_in(width: f64, size: f64) -> usize {
    ((width / (size * ADVANCE)).floor() as usize).max(1)
}

/// Closing punctuation that must not begin a line, and opening punctuation that must not end one
/// (the common Chinese line-breaking rules).
fn no_break_before(c: char) -> bool {
    "，。、；：？！）》」』】〉〕］｝”’…·%％,.;:?!)]}".contains(c)
}

fn no_break_after(c: char) -> bool {
    "（《「『【〈〔［｛“‘([{".contains(c)
}

/// A word's pieces that a line may break between: a run of ordinary characters is one piece, each
/// full-width character is its own, punctuation sticking to its neighbour.
fn pieces(word: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    for c in word.chars() {
        let breaks = prev.is_some_and(|p| {
            (is_wide(c) || is_wide(p)) && !no_break_before(c) && !no_break_after(p)
        });
        match out.last_mut() {
            Some(last) if !breaks => last.push(c),
            _ => out.push(c.to_string()),
        }
        prev = Some(c);
    }
    out
}

/// Greedy line breaking to lines of at most `max_chars` columns (see [`chars_in`]): at spaces, and
/// between Chinese characters, which need none. A piece longer than a line is broken across lines,
/// never cut, so every character of `text` is kept (sources and legends lose nothing this way).
pub fn wrap(text: &str, max_chars: usize) -> Vec<String> {
    let max = max_chars.max(1) as f64 + 1e-9;
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        for (i, piece) in pieces(word).into_iter().enumerate() {
            let sep = if i == 0 && !current.is_empty() {
                " "
            } else {
                ""
            };
            if !current.is_empty()
                && columns_of(&current) + columns_of(sep) + columns_of(&piece) <= max
            {
                current.push_str(sep);
                current.push_str(&piece);
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            // The piece starts a line; what does not fit goes on to the next lines.
            for c in piece.chars() {
                if !current.is_empty() && columns_of(&current) + columns(c) > max {
                    lines.push(std::mem::take(&mut current));
                }
                current.push(c);
            }
        }
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
            let room = (max_chars - 1) as f64 + 1e-9;
            let mut used = 0.0;
            let kept: String = last
                .chars()
                .take_while(|&c| {
                    used += columns(c);
                    used <= room
                })
                .collect();
            *last = kept.trim_end().to_string() + "…";
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
        // Chinese characters are a full em wide.
        assert_eq!(text_width("中国跨境电商", 10.0), 60.0);
        assert_eq!(text_width("China 中国", 10.0), 6.0 * 6.2 + 20.0);
        assert!(is_wide('，') && is_wide('中') && !is_wide('a') && !is_wide('…'));
    }

    #[test]
    fn chinese_wraps_between_characters_within_the_width() {
        // Made-up title: Chinese needs no spaces, so lines break between characters.
        let title = "中国跨境电商出口按目的地市场和平台划分，2019–2024年（十亿美元）";
        for size in [12.0, 18.0] {
            for width in [60.0, 150.0, 288.0] {
                let lines = wrap(title, chars_in(width, size));
                assert!(lines.len() > 1, "{width}: {lines:?}");
                assert_eq!(lines.concat(), title, "nothing lost, no space added");
                for line in &lines {
                    assert!(
                        text_width(line, size) <= width.max(size),
                        "{width}: '{line}' overflows"
                    );
                    // Closing punctuation never begins a line, opening punctuation never ends one.
                    assert!(!line.starts_with(['，', '）']), "{lines:?}");
                    assert!(!line.ends_with('（'), "{lines:?}");
                }
            }
        }
        // Mixed text: spaces stay between words; Latin words are not broken when they fit.
        let mixed = "Tradewinds 中国对 United States 的出口";
        let lines = wrap(mixed, 16);
        assert_eq!(lines.concat().replace(' ', ""), mixed.replace(' ', ""));
        assert!(lines.iter().all(|l| columns_of(l) <= 16.0), "{lines:?}");
        assert!(
            lines.iter().any(|l| l.contains("United States")),
            "{lines:?}"
        );
        // Shortened Chinese keeps within its width too.
        let short = wrap_short(title, 20, 1);
        assert!(
            short[0].ends_with('…') && columns_of(&short[0]) <= 20.0,
            "{short:?}"
        );
    }
}
