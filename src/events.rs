//! Dated events drawn as annotations on time charts (tariff rounds, platform launches, the Olympics).
//!
//! The list is curated in data/events.csv, and every row cites the article or fact it comes from with the
//! sentence that supports it; an event without such a source is not listed. Dates are as precise as the
//! source is, never finer.
//!
//! Tariff and de minimis events come from data/facts/tariff_events.csv (`date,title,region,source_url,quote,
//! publisher,note`): each keeps its exact day beside its month on the axis and the market that imposes the
//! measure, so a market's page can list the events that concern it ([`for_market`]).

use crate::domain::Period;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub start: Period,
    /// Last period the event covers, when it spans more than `start`.
    pub end: Option<Period>,
    pub title: String,
    pub title_zh: String,
    pub description: String,
    pub source_title: String,
    pub source_url: String,
    pub publisher: String,
    pub quote: String,
    /// The exact day where the source gives one ("2025-05-02"); `start` is then its month.
    #[serde(default)]
    pub date: Option<String>,
    /// The market that imposes the measure (ISO3; the EU is `EUU`), where the event concerns one.
    #[serde(default)]
    pub market: Option<String>,
}

impl Event {
    /// The title in `lang`: the Chinese title where the file gives one, else the English.
    pub fn title_in(&self, lang: crate::i18n::Lang) -> &str {
        match lang {
            crate::i18n::Lang::ZhHans if !self.title_zh.is_empty() => &self.title_zh,
            _ => &self.title,
        }
    }

    /// Start and end on a time axis, in fractional years.
    pub fn span(&self) -> (f64, f64) {
        (self.start.span().0, self.end.unwrap_or(self.start).span().1)
    }

    pub fn dates(&self) -> String {
        if let Some(day) = &self.date {
            return day.clone();
        }
        match self.end {
            Some(end) => format!("{}–{end}", self.start),
            None => self.start.to_string(),
        }
    }
}

/// Every curated event, parsed once (the files are compiled in and checked by a test), in date order.
#[cfg(feature = "ssr")]
pub fn all() -> &'static [Event] {
    static EVENTS: std::sync::OnceLock<Vec<Event>> = std::sync::OnceLock::new();
    EVENTS.get_or_init(|| {
        let mut events =
            parse(include_str!("../data/events.csv")).expect("data/events.csv is checked by a test");
        events.extend(
            parse_tariffs(include_str!("../data/facts/tariff_events.csv"))
                .expect("data/facts/tariff_events.csv is checked by a test"),
        );
        events.sort_by(|a, b| a.start.cmp(&b.start));
        events
    })
}

/// The 27 members of the European Union since 1 February 2020 (the UK left on 31 January 2020); the EU
/// lists them at https://european-union.europa.eu/principles-countries-history/eu-countries_en (not
/// fetched here: written from that well-known list). Neither the place table nor datahub's
/// country-codes.csv flags EU membership, hence this list. EU measures in the events all date from 2026,
/// so membership over time does not matter yet. Shared with the browser build (charts place events).
pub const EU_MEMBERS: [&str; 27] = [
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
    "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE",
];

/// The events about measures a market imposes: its own, and the EU's for an EU member.
#[cfg(feature = "ssr")]
pub fn for_market(code: &str) -> Vec<&'static Event> {
    let in_eu = EU_MEMBERS.contains(&code);
    all()
        .iter()
        .filter(|e| match e.market.as_deref() {
            Some(m) => m == code || (m == "EUU" && in_eu),
            None => false,
        })
        .collect()
}

/// Parses the tariff events table (`date,title,title_zh,region,source_url,quote,publisher,note`): a day-precise date,
/// the imposing market by name, the note (which date it is, further sentences) as the description.
#[cfg(feature = "ssr")]
pub fn parse_tariffs(text: &str) -> Result<Vec<Event>, String> {
    #[derive(Deserialize)]
    struct Row {
        date: String,
        title: String,
        #[serde(default)]
        title_zh: String,
        region: String,
        source_url: String,
        quote: String,
        publisher: String,
        note: String,
    }
    let mut events = Vec::new();
    for (i, row) in csv::Reader::from_reader(text.as_bytes())
        .deserialize::<Row>()
        .enumerate()
    {
        let line = i + 2;
        let r = row.map_err(|e| format!("tariff events row {line}: {e}"))?;
        let day = r.date.trim();
        let valid_day = day.len() == 10
            && day.as_bytes()[7] == b'-'
            && day
                .get(8..)
                .and_then(|d| d.parse::<u8>().ok())
                .is_some_and(|d| (1..=31).contains(&d));
        let start = day
            .get(..7)
            .filter(|_| valid_day)
            .and_then(|m| m.parse::<Period>().ok())
            .ok_or_else(|| format!("tariff events row {line}: '{day}' is not a date (YYYY-MM-DD)"))?;
        let market = crate::geo::harmonise(&r.region)
            .code
            .ok_or_else(|| format!("tariff events row {line}: unknown region '{}'", r.region))?;
        let linked = r.source_url.starts_with("http://") || r.source_url.starts_with("https://");
        if !linked || r.quote.trim().is_empty() {
            return Err(format!(
                "tariff events row {line} ({day}): every event needs a web link and the quoted sentence"
            ));
        }
        let slug: String = crate::strings::slug(&r.title).chars().take(48).collect();
        events.push(Event {
            id: format!("tariff-{day}-{}", slug.trim_end_matches('-')),
            start,
            end: None,
            title: r.title,
            title_zh: r.title_zh,
            description: r.note,
            source_title: String::new(),
            source_url: r.source_url,
            publisher: r.publisher,
            quote: r.quote,
            date: Some(day.to_string()),
            market: Some(market),
        });
    }
    events.sort_by(|a, b| a.date.cmp(&b.date));
    Ok(events)
}

/// Parses the events table; the error names the row and what is wrong with it.
#[cfg(feature = "ssr")]
pub fn parse(text: &str) -> Result<Vec<Event>, String> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        start: String,
        end: String,
        title: String,
        title_zh: String,
        description: String,
        source_title: String,
        source_url: String,
        publisher: String,
        quote: String,
    }
    let mut events = Vec::new();
    for (i, row) in csv::Reader::from_reader(text.as_bytes())
        .deserialize::<Row>()
        .enumerate()
    {
        let line = i + 2;
        let r = row.map_err(|e| format!("events row {line}: {e}"))?;
        let start = r
            .start
            .parse::<Period>()
            .map_err(|e| format!("events row {line}, start: {e}"))?;
        let end = match r.end.trim() {
            "" => None,
            s => Some(
                s.parse::<Period>()
                    .map_err(|e| format!("events row {line}, end: {e}"))?,
            ),
        };
        if r.source_url.is_empty() || r.quote.is_empty() {
            return Err(format!(
                "events row {line} ({}): every event needs a source link and the quoted sentence",
                r.id
            ));
        }
        events.push(Event {
            id: r.id,
            start,
            end,
            title: r.title,
            title_zh: r.title_zh,
            description: r.description,
            source_title: r.source_title,
            source_url: r.source_url,
            publisher: r.publisher,
            quote: r.quote,
            date: None,
            market: None,
        });
    }
    events.sort_by(|a, b| a.start.cmp(&b.start));
    Ok(events)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn shipped_events_parse_and_each_has_a_source() {
        let events = parse(include_str!("../data/events.csv")).unwrap();
        assert!(events.len() >= 5);
        for e in &events {
            assert!(e.source_url.starts_with("http"), "{}", e.id);
            assert!(e.span().0 < e.span().1);
        }
        let pilots = events
            .iter()
            .find(|e| e.id == "cbec-export-pilots-2013")
            .unwrap();
        assert_eq!(pilots.dates(), "2013-07–2014-12");
        assert!(events.windows(2).all(|w| w[0].start <= w[1].start));
    }

    #[test]
    fn tariff_events_load_with_their_day_market_and_quote() {
        let tariffs = parse_tariffs(include_str!("../data/facts/tariff_events.csv")).unwrap();
        assert_eq!(tariffs.len(), 20);
        for e in &tariffs {
            assert!(e.source_url.starts_with("http://") || e.source_url.starts_with("https://"));
            assert!(!e.quote.is_empty(), "{}", e.id);
        }
        let ids: std::collections::HashSet<&str> = tariffs.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), 20, "ids are unique");
        let eu = tariffs.iter().filter(|e| e.market.as_deref() == Some("EUU")).count();
        assert_eq!(eu, 2);
        assert!(tariffs.iter().all(|e| matches!(e.market.as_deref(), Some("USA" | "EUU"))));

        let usa = for_market("USA");
        let de_minimis = usa
            .iter()
            .find(|e| e.date.as_deref() == Some("2025-05-02"))
            .unwrap();
        assert!(de_minimis.title.contains("de minimis"));
        assert_eq!((de_minimis.start.to_string(), de_minimis.dates()), ("2025-05".into(), "2025-05-02".into()));
        assert_eq!(usa.len(), 18);
        let poland = for_market("POL");
        assert!(poland.iter().any(|e| e.title.contains("€150") && e.date.as_deref() == Some("2026-02-11")));
        assert_eq!(poland.len(), 2);
        assert!(for_market("EUU").len() == 2 && for_market("CHN").is_empty());
        // Both tables in one list, in date order.
        assert_eq!(all().len(), parse(include_str!("../data/events.csv")).unwrap().len() + 20);
        assert!(all().windows(2).all(|w| w[0].start <= w[1].start));
    }

    #[test]
    fn a_tariff_event_without_a_day_or_link_is_refused() {
        let head = "date,title,region,source_url,quote,publisher,note\n";
        let month = format!("{head}2025-05,T,United States,https://x.org,q,p,n\n");
        assert!(parse_tariffs(&month).unwrap_err().contains("not a date"));
        let nolink = format!("{head}2025-05-02,T,United States,x.org,q,p,n\n");
        assert!(parse_tariffs(&nolink).unwrap_err().contains("web link"));
        let nowhere = format!("{head}2025-05-02,T,Atlantis,https://x.org,q,p,n\n");
        assert!(parse_tariffs(&nowhere).unwrap_err().contains("'Atlantis'"));
    }

    #[test]
    fn an_event_without_a_source_is_refused() {
        let csv =
            "id,start,end,title,title_zh,description,source_title,source_url,publisher,quote\n\
                   made-up,2024,,Made up,,test only,,,,\n";
        let err = parse(csv).unwrap_err();
        assert!(
            err.contains("row 2") && err.contains("needs a source"),
            "{err}"
        );
        let csv =
            "id,start,end,title,title_zh,description,source_title,source_url,publisher,quote\n\
                   made-up,2024-13,,Made up,,test only,,https://example.org,,q\n";
        assert!(parse(csv).unwrap_err().contains("row 2, start"));
    }
}
