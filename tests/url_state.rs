//! Property tests of the URL states (explorer, rankings, market finder): any query string, however
//! hostile, parses without panicking into a state whose own query string reads back to the same state.
//! (Issue 14: these run in the normal suite; the fuzz targets run the same parsers longer.)

use proptest::prelude::*;
use tradewinds::explore::ranking::RankingQuery;
use tradewinds::explore::state::ExploreState;
use tradewinds::markets::finder::FinderQuery;

/// Keys the parsers know, and some they do not.
const KEYS: &[&str] = &[
    "s", "series", "hide", "from", "to", "chart", "tf", "base", "total", "cagr", "cagr_from", "cagr_to",
    "rank", "events", "multiples", "sort", "q", "dataset", "scale", "indicator", "origin", "destination",
    "platform", "category", "table", "page", "view", "wide", "weights", "markets", "exclude_us", "region",
    "w_size", "w_growth", "lang", "x", "",
];

/// Values near what the parsers expect (periods, ids, numbers, lists) and plain noise.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        (1990i32..2030).prop_map(|y| y.to_string()),
        (1990i32..2030, 1u8..=2).prop_map(|(y, h)| format!("{y}-H{h}")),
        (1990i32..2030, 0u8..=13).prop_map(|(y, m)| format!("{y}-{m:02}")),
        (1990i32..2030, 1990i32..2030).prop_map(|(a, b)| format!("{a},{b}")),
        "[a-z0-9._:-]{1,30}",
        "[a-z0-9._-]{1,12}(,[a-z0-9._-]{1,12}){0,5}",
        "-?(series|period|value|change|cagr|share|latest)",
        "(line|area|bars|bubble|table|abs|yoy|index|share|log|linear|growth|0|1|on|off)",
        "[a-z]{2,8}:[0-9]{1,3}(,[a-z]{2,8}:[0-9]{1,3}){0,4}",
        any::<String>().prop_map(|s| s.chars().take(40).collect()),
    ]
}

fn query() -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(KEYS), value()), 0..8).prop_map(|pairs| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            q.append_pair(k, &v);
        }
        q.finish()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn explorer_states_read_back_from_their_own_query(q in query()) {
        let (state, _) = ExploreState::parse_query(&q);
        let (again, problems) = ExploreState::parse_query(&state.to_query());
        prop_assert_eq!(&again, &state, "{}", state.to_query());
        prop_assert!(problems.is_empty(), "a state's own query has no problems: {:?}", problems);
    }

    #[test]
    fn ranking_queries_read_back_from_their_own_query(q in query()) {
        let (ranking, _) = RankingQuery::parse_query(&q);
        let (again, problems) = RankingQuery::parse_query(&ranking.to_query());
        prop_assert_eq!(&again, &ranking);
        prop_assert!(problems.is_empty(), "{:?}", problems);
    }

    #[test]
    fn finder_questions_read_back_from_their_own_query(q in query()) {
        let (question, _) = FinderQuery::parse(&q);
        let (again, errors) = FinderQuery::parse(&question.to_query());
        prop_assert_eq!(&again, &question);
        prop_assert!(errors.is_empty(), "{:?}", errors);
    }

    #[test]
    fn raw_noise_never_panics(q in any::<String>()) {
        let _ = ExploreState::parse_query(&q);
        let _ = RankingQuery::parse_query(&q);
        let _ = FinderQuery::parse(&q);
    }
}
