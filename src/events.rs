//! Dated events drawn as annotations on time charts (tariff rounds, platform launches, the Olympics).
//!
//! The list is curated in data/events.csv, and every row cites the article or fact it comes from with the
//! sentence that supports it; an event without such a source is not listed. Dates are as precise as the
//! source is, never finer.

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
}

impl Event {
    /// Start and end on a time axis, in fractional years.
    pub fn span(&self) -> (f64, f64) {
        (self.start.span().0, self.end.unwrap_or(self.start).span().1)
    }

    pub fn dates(&self) -> String {
        match self.end {
            Some(end) => format!("{}–{end}", self.start),
            None => self.start.to_string(),
        }
    }
}

/// Every curated event, parsed once (the file is compiled in and checked by a test).
#[cfg(feature = "ssr")]
pub fn all() -> &'static [Event] {
    static EVENTS: std::sync::OnceLock<Vec<Event>> = std::sync::OnceLock::new();
    EVENTS.get_or_init(|| {
        parse(include_str!("../data/events.csv")).expect("data/events.csv is checked by a test")
    })
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
