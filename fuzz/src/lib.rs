//! What each fuzz target checks, one function per target, shared with the normal test suite:
//! `tests/fuzz_regressions.rs` includes this file and replays every input the fuzzers ever found harmful
//! (`tests/fixtures/fuzz/<target>/`) through the same function. Each panics on what must not happen.

use tradewinds::explore::embed::EmbedOptions;
use tradewinds::explore::ranking::RankingQuery;
use tradewinds::explore::state::ExploreState;
use tradewinds::i18n::Lang;
use tradewinds::import::{detect, imf_dots, parse, sheet, Format, ImportBatch, Input, Options, Progress};
use tradewinds::markets::finder::FinderQuery;
use tradewinds::routes::images::read_image_query;

/// Names the shipped files have, so formats that read the name get one they understand.
const NAMES: &[&str] = &[
    "upload.csv",
    "TradeData.csv",
    "API_NE.EXP.GNFS.CD_DS2_en_csv_v2_3025.csv",
    "DOTS_40.xlsx",
    "deu_2018_hs4.csv",
    "oec_hs2_usa.csv",
    "ny.gdp.mktp.cd.csv",
    "data.xlsx",
];

/// Any bytes as an uploaded or named file: format detection, then the chosen importer, as `import::run`
/// does before it writes (the same `detect` and `parse`, into memory instead of the database).
///
/// The first byte picks the file name (some formats read the reporter, year or indicator from it) and
/// whether `--format` names the format or it is detected; the rest is the file.
pub fn import_file(data: &[u8]) {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let name = NAMES[(pick & 7) as usize];
    // pick >> 3: 0..=31; 0..=9 detect, the rest name a format (as --format does).
    let forced = match (pick >> 3) as usize {
        n if n < 10 => None,
        n => Some(Format::ALL[(n - 10) % Format::ALL.len()]),
    };
    let format = match forced {
        Some(f) => f,
        None => {
            let head = &file[..file.len().min(1 << 16)];
            let full = head.starts_with(b"PK\x03\x04").then_some(file);
            match detect(name, head, full) {
                Ok(f) => f,
                Err(e) => {
                    assert!(e.to_string().contains(name), "an error names the file: {e}");
                    return;
                }
            }
        }
    };
    let input = Input::from_bytes(name, file.to_vec());
    let opts = Options {
        format: Some(format),
        ..Options::default()
    };
    let mut batch = ImportBatch::default();
    match parse(&input, format, &opts, "fuzz", &mut batch, &Progress::default()) {
        Ok(_) => {
            for e in &batch.skipped {
                assert!(!e.reason.is_empty(), "a skipped row says why: {e:?}");
            }
            for o in &batch.observations {
                assert!(o.value.is_finite(), "a stored value is a number: {o:?}");
            }
        }
        Err(e) => assert!(e.to_string().contains(name), "an error names the file: {e}"),
    }
}

/// Any bytes as a workbook: the bounded reader (`sheet::worksheets`, `first_worksheet`), IMF DOTS
/// recognition and the two workbook importers. Seeded from the shipped .xlsx files, so the fuzzer
/// mutates real zips.
pub fn workbook(data: &[u8]) {
    let name = "book.xlsx";
    match sheet::worksheets(name, data) {
        Ok(sheets) => {
            let cells: usize = sheets.iter().map(|(_, r)| r.get_size().0 * r.get_size().1).sum();
            assert!(cells <= 5_000_000, "the cell budget holds: {cells}");
        }
        Err(e) => assert!(e.to_string().contains(name), "an error names the file: {e}"),
    }
    let _ = sheet::first_worksheet(name, data);
    let _ = imf_dots::looks_like(data);
    let input = Input::from_bytes(name, data.to_vec());
    for format in [Format::XlsxLong, Format::ImfDots] {
        let opts = Options {
            format: Some(format),
            ..Options::default()
        };
        let mut batch = ImportBatch::default();
        if let Err(e) = parse(&input, format, &opts, "fuzz", &mut batch, &Progress::default()) {
            assert!(e.to_string().contains(name), "an error names the file: {e}");
        }
    }
}

/// Any query string as the explorer's URL state, in both languages: it parses without panicking, and
/// the state's own query string reads back to the same state with no complaints.
pub fn explore_query(data: &[u8]) {
    let query = String::from_utf8_lossy(data);
    for lang in [Lang::En, Lang::ZhHans] {
        let (state, _) = ExploreState::parse_query_in(&query, lang);
        let again = state.to_query();
        let (back, problems) = ExploreState::parse_query_in(&again, lang);
        assert_eq!(back, state, "{query:?} → {again:?}");
        assert!(problems.is_empty(), "its own query is clean: {again:?}: {problems:?}");
    }
    // The pairs as the page hands them over (undecoded keys and values).
    let pairs: Vec<(&str, &str)> = query
        .split('&')
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    let _ = ExploreState::from_pairs_in(pairs, Lang::ZhHans);
}

/// Any query string as the market finder's question and as a rankings table's query: each parses
/// without panicking, and its own query string reads back to the same value with no complaints.
pub fn finder_ranking_query(data: &[u8]) {
    let query = String::from_utf8_lossy(data);
    for lang in [Lang::En, Lang::ZhHans] {
        let (q, _) = FinderQuery::parse_in(&query, lang);
        let again = q.to_query();
        let (back, problems) = FinderQuery::parse_in(&again, lang);
        assert_eq!(back, q, "{query:?} → {again:?}");
        assert!(problems.is_empty(), "its own query is clean: {again:?}: {problems:?}");
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let (r, _) = RankingQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let again = r.to_query();
    let (back, problems) = RankingQuery::parse_query(&again);
    assert_eq!(back, r, "{query:?} → {again:?}");
    assert!(problems.is_empty(), "its own query is clean: {again:?}: {problems:?}");
}

/// Any query string as an embed's options and as a chart image request (`/chart.svg`,
/// `/markets/chart.svg`): parsed without panicking; the embed options' own pairs read back the same.
pub fn embed_image_query(data: &[u8]) {
    let query = String::from_utf8_lossy(data);
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let (o, _) = EmbedOptions::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let own = o.to_pairs();
    let (back, problems) = EmbedOptions::from_pairs(own.iter().map(|(k, v)| (*k, v.as_str())));
    assert_eq!(back, o, "{query:?} → {own:?}");
    assert!(problems.is_empty(), "its own pairs are clean: {own:?}: {problems:?}");
    for finder in [false, true] {
        if let Err(m) = read_image_query(&query, finder) {
            assert!(!m.is_empty(), "a refusal says why");
        }
    }
}
