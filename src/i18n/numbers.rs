//! Values, units and periods as each language's reader reads them. English keeps the site's
//! formatting ("57.9 USD billion", "2024-H1"); Chinese counts money in 万 and 亿 (579亿美元,
//! 2.63万亿元) and writes periods as 2024年、2024年上半年、2025年2月. One place, keyed by the
//! source's unit, so every page, tooltip and image says an amount the same way.

use super::Lang;
use crate::domain::{format_number, Period};

/// A currency unit as sources spell it: the currency's Chinese name and the unit's scale.
fn money(unit: &str) -> Option<(&'static str, f64)> {
    let u = unit.trim().trim_start_matches("in ").trim_start_matches("current ");
    let (currency, rest) = [("USD", "美元"), ("US$", "美元"), ("CNY", "元"), ("EUR", "欧元"), ("JPY", "日元")]
        .iter()
        .find_map(|(code, zh)| u.strip_prefix(code).map(|rest| (*zh, rest.trim())))?;
    let scale = match rest {
        "" => 1.0,
        "thousand" => 1e3,
        "million" => 1e6,
        "billion" => 1e9,
        "trillion" => 1e12,
        _ => return None,
    };
    Some((currency, scale))
}

/// The currency a Chinese amount names after its number ("美元"), for money units on Chinese pages.
pub fn money_unit(lang: Lang, unit: &str) -> Option<String> {
    (lang == Lang::ZhHans).then(|| money(unit)).flatten().map(|(currency, _)| currency.to_string())
}

/// Other units sources use, in Chinese. Shares and rates keep the % sign and say of what in brackets.
const UNITS_ZH: &[(&str, &str)] = &[
    ("%", "%"),
    ("% of GDP", "%（占GDP）"),
    ("% year on year", "%（同比）"),
    ("% share", "%（占比）"),
    ("% of China CBEC exports", "%（占中国跨境电商出口）"),
    ("% of top sellers", "%（占头部卖家）"),
    ("% of platform GMV", "%（占平台GMV）"),
    ("% of Amazon's user base", "%（占Amazon用户）"),
    ("million", "百万"),
    ("value", "数值"),
    ("count", "个"),
    ("entities", "个主体"),
    ("enterprises", "家企业"),
    ("brands", "个品牌"),
    ("USD per second", "美元/秒"),
    ("km", "公里"),
];

/// A unit's name in `lang` (axis titles, table headers): "USD billion" → "十亿美元".
pub fn unit(lang: Lang, unit: &str) -> String {
    if lang == Lang::En {
        return unit.to_string();
    }
    if let Some((currency, scale)) = money(unit) {
        let prefix = match scale as u64 {
            1 => "",
            1_000 => "千",
            1_000_000 => "百万",
            1_000_000_000 => "十亿",
            _ => "万亿",
        };
        return format!("{prefix}{currency}");
    }
    UNITS_ZH.iter().find(|(en, _)| *en == unit.trim()).map_or_else(|| unit.to_string(), |(_, zh)| zh.to_string())
}

/// A number with its unit: "57.9 USD billion" in English; in Chinese, money in 万/亿 ("579亿美元",
/// "2.63万亿元", "8,500美元") and other units after the number ("12.5%", "3个品牌").
pub fn amount(lang: Lang, value: f64, unit_name: &str) -> String {
    amount_of(lang, &format_number(value), value, unit_name)
}

/// As `amount`, for an already formatted value (bounds and ranges keep their marks: "≥ 33.3").
/// Chinese money is re-expressed only when `shown` is the plain number of `value`.
pub fn amount_of(lang: Lang, shown: &str, value: f64, unit_name: &str) -> String {
    if lang == Lang::En {
        return if unit_name.is_empty() { shown.to_string() } else { format!("{shown} {unit_name}") };
    }
    if let Some((currency, scale)) = money(unit_name) {
        if shown == format_number(value) {
            return format!("{}{currency}", wan_yi(value * scale));
        }
    }
    let u = unit(lang, unit_name);
    // "12.5%（占GDP）", "3个品牌"; a unit without a translation keeps a space before it.
    let joined = u.starts_with('%') || u.is_empty() || money(unit_name).is_some() || UNITS_ZH.iter().any(|(_, zh)| *zh == u);
    if joined { format!("{shown}{u}") } else { format!("{shown} {u}") }
}

/// A plain amount in 万/亿/万亿 with up to three significant decimals: 5.79e10 → "579亿".
pub fn wan_yi(v: f64) -> String {
    let a = v.abs();
    if !v.is_finite() || a < 1e4 {
        return format_number((v * 100.0).round() / 100.0);
    }
    let (divisor, suffix) = if a >= 1e12 {
        (1e12, "万亿")
    } else if a >= 1e8 {
        (1e8, "亿")
    } else {
        (1e4, "万")
    };
    let scaled = v / divisor;
    // Three significant figures at most, as the English figures show: 579亿, 2.63万亿, 1.05万.
    let digits = scaled.abs().log10().floor() as i32 + 1;
    let decimals = (3 - digits).clamp(0, 2) as usize;
    let rounded = format!("{scaled:.decimals$}");
    let trimmed = if rounded.contains('.') { rounded.trim_end_matches('0').trim_end_matches('.') } else { &rounded };
    format!("{trimmed}{suffix}")
}

/// A period in `lang`: "2024-H1" in English, "2024年上半年" in Chinese.
pub fn period(lang: Lang, p: &Period) -> String {
    if lang == Lang::En {
        return p.to_string();
    }
    match *p {
        Period::Year(y) => format!("{y}年"),
        Period::Half(y, 1) => format!("{y}年上半年"),
        Period::Half(y, _) => format!("{y}年下半年"),
        Period::Quarter(y, q) => format!("{y}年第{}季度", ["一", "二", "三", "四"][(q.clamp(1, 4) - 1) as usize]),
        Period::Month(y, m) => format!("{y}年{m}月"),
        Period::Range { from, to } if from.0 == to.0 => format!("{}年{}–{}月", from.0, from.1, to.1),
        Period::Range { from, to } => format!("{}年{}月–{}年{}月", from.0, from.1, to.0, to.1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Lang::{En, ZhHans as Zh};

    #[test]
    fn chinese_money_counts_in_wan_and_yi() {
        assert_eq!(amount(Zh, 57.9, "USD billion"), "579亿美元");
        assert_eq!(amount(Zh, 2.63, "CNY trillion"), "2.63万亿元");
        assert_eq!(amount(Zh, 2630.0, "CNY billion"), "2.63万亿元");
        assert_eq!(amount(Zh, 8500.0, "current US$"), "8,500美元");
        assert_eq!(amount(Zh, 23_837_402_142.0, "USD"), "238亿美元");
        assert_eq!(amount(Zh, 1.5, "US$ million"), "150万美元");
        assert_eq!(amount(Zh, -3.2, "USD million"), "-320万美元");
        assert_eq!(amount(Zh, 12.5, "% of GDP"), "12.5%（占GDP）");
        assert_eq!(amount(Zh, 3.0, "brands"), "3个品牌");
        assert_eq!(amount(Zh, 3.0, "widgets"), "3 widgets");
        assert_eq!(amount(Zh, 12.5, "%"), "12.5%");
    }

    #[test]
    fn english_keeps_the_number_and_the_unit() {
        assert_eq!(amount(En, 57.9, "USD billion"), "57.9 USD billion");
        assert_eq!(amount(En, 1234.5, "USD"), "1,234.5 USD");
        assert_eq!(unit(En, "USD billion"), "USD billion");
        assert_eq!(period(En, &Period::Half(2024, 1)), "2024-H1");
    }

    #[test]
    fn marked_values_keep_their_marks() {
        assert_eq!(amount_of(Zh, "≥ 33.3", 33.3, "USD billion"), "≥ 33.3十亿美元");
        assert_eq!(amount_of(En, "≥ 33.3", 33.3, "USD billion"), "≥ 33.3 USD billion");
    }

    #[test]
    fn units_and_periods_in_chinese() {
        assert_eq!(unit(Zh, "USD billion"), "十亿美元");
        assert_eq!(unit(Zh, "in US$ million"), "百万美元");
        assert_eq!(unit(Zh, "something new"), "something new");
        assert_eq!(period(Zh, &Period::Year(2024)), "2024年");
        assert_eq!(period(Zh, &Period::Half(2024, 1)), "2024年上半年");
        assert_eq!(period(Zh, &Period::Month(2025, 2)), "2025年2月");
        assert_eq!(period(Zh, &Period::Quarter(2023, 4)), "2023年第四季度");
        assert_eq!(period(Zh, &Period::Range { from: (2024, 1), to: (2024, 8) }), "2024年1–8月");
    }

    #[test]
    fn wan_yi_keeps_three_significant_figures() {
        assert_eq!(wan_yi(5.79e10), "579亿");
        assert_eq!(wan_yi(1.05e4), "1.05万");
        assert_eq!(wan_yi(123.0), "123");
        assert_eq!(wan_yi(0.5), "0.5");
        assert_eq!(wan_yi(0.0), "0");
        assert_eq!(wan_yi(-2.5e8), "-2.5亿");
    }
}
