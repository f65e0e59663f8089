//! Ranking tables on the real default dataset: the researcher's question "which markets' imports
//! from China grew fastest, as CSV?" answered by the API, the CSV and the page, every derived number
//! checked against the observations the API serves, and bad queries answered with a 400.

mod common;

use axum::http::StatusCode;

/// One annual figure of a series, read through the observations API.
async fn figure(app: &axum::Router, series: &str, year: i64) -> f64 {
    let r = common::get(app, &format!("/api/v1/observations?series={series}&format=json"), &[]).await;
    let v = r.json();
    v["series"][0]["observations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["period"] == year.to_string())
        .and_then(|o| o["value"].as_f64())
        .unwrap_or_else(|| panic!("{series} has no {year} figure"))
}

#[tokio::test]
async fn mirror_imports_rank_by_growth_with_checked_derived_numbers() {
    let app = common::app().await;
    let r = common::get(&app, "/api/v1/rankings", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["table"], "comtrade-mirror-china/reported_imports");
    assert_eq!(v["sort"], "-cagr");
    let (from, to) = (v["from"].as_i64().unwrap(), v["to"].as_i64().unwrap());
    assert_eq!(to - from, 5, "five years by default");
    let rows = v["rows"].as_array().unwrap();
    assert!(rows.len() > 150, "{} markets ranked together", rows.len());
    // Growth never rises down the list; markets without a growth figure come last, with the reason.
    let growth: Vec<Option<f64>> = rows.iter().map(|r| r["cagr_pct"]["value"].as_f64()).collect();
    let first_gap = growth.iter().position(Option::is_none).unwrap_or(growth.len());
    assert!(growth[first_gap..].iter().all(Option::is_none));
    assert!(growth[..first_gap].windows(2).all(|w| w[0] >= w[1]));
    for r in &rows[first_gap..] {
        assert!(r["cagr_pct"]["reason"].as_str().is_some_and(|s| !s.is_empty()));
    }
    // The first row's numbers, recomputed from the observations themselves.
    let top = &rows[0];
    let series = top["series"].as_str().unwrap();
    let (a, b) = (figure(&app, series, from).await, figure(&app, series, to).await);
    assert_eq!(top["from"]["value"].as_f64(), Some(a));
    assert_eq!(top["to"]["value"].as_f64(), Some(b));
    let cagr = ((b / a).powf(1.0 / (to - from) as f64) - 1.0) * 100.0;
    assert!((top["cagr_pct"]["value"].as_f64().unwrap() - cagr).abs() < 1e-9);
    assert!((top["change_pct"]["value"].as_f64().unwrap() - (b / a - 1.0) * 100.0).abs() < 1e-9);
    assert!(v["derived_formulas"]["cagr"].as_str().unwrap().contains("^(1/5)"));
    // No World figure in this table: no share is invented from a sum of partners.
    assert!(top["share_pct"]["value"].is_null());
    assert!(v["source"]["publisher"].as_str().unwrap().contains("UN Comtrade"));
}

#[tokio::test]
async fn csv_has_derived_columns_with_formulas_and_the_licence_on_every_row() {
    let app = common::app().await;
    let r = common::get(&app, "/api/v1/rankings.csv?from=2019&to=2024", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.header("content-disposition").contains("2019-2024"));
    let text = r.text();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert!(head.contains(&"value_2019".to_string()) && head.contains(&"value_2024".to_string()));
    let cagr = head.iter().position(|h| h.starts_with("cagr_pct (derived: ((value 2024 ÷ value 2019)^(1/5)")).expect("cagr column");
    let licence = head.iter().position(|h| h == "licence").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.len() > 150);
    assert!(rows.iter().all(|r| !r[licence].is_empty()));
    assert!(!rows[0][cagr].is_empty());

    // The wide view: one column per year, as published.
    let r = common::get(&app, "/api/v1/rankings.csv?view=wide&to=2024", &[]).await;
    let text = r.text();
    let head = text.lines().next().unwrap();
    assert!(head.contains(",2014,") && head.contains(",2024,"), "{head}");
}

#[tokio::test]
async fn a_product_community_slices_the_ots_table_and_its_licence_shows() {
    let app = common::app().await;
    let r = common::get(&app, "/api/v1/rankings?table=ots-china-partners/ots_exports&category=Footwear+and+Headwear&from=2013&to=2018&sort=-to", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["slice"]["category"], "Footwear and Headwear");
    assert!(v["source"]["licence"].as_str().unwrap().contains("CC BY-NC"));
    let values: Vec<f64> = v["rows"].as_array().unwrap().iter().filter_map(|r| r["to"]["value"].as_f64()).collect();
    assert!(values.len() > 100 && values.windows(2).all(|w| w[0] >= w[1]));
}

#[tokio::test]
async fn bad_queries_get_a_400_naming_each_problem() {
    let app = common::app().await;
    for (query, needle) in [
        ("table=nope/none", "not a ranking table"),
        ("sort=size", "not a column"),
        ("from=2024&to=2019", "not before"),
        ("category=Toys", "does not divide this table"),
        ("format=xml", "json or csv"),
        ("destnation=Germany", "not a ranking parameter"),
        ("to=1850", "no annual figures"),
    ] {
        let r = common::get(&app, &format!("/api/v1/rankings?{query}"), &[]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(r.text().contains(needle), "{query}: {}", r.text());
    }
}

#[tokio::test]
async fn the_page_ranks_sorts_and_pages_without_javascript() {
    let app = common::app().await;
    let r = common::get(&app, "/rankings", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("<table class=\"rank-table\""));
    // Sorting and paging are links; the derived columns say so and give their formula.
    assert!(html.contains("href=\"/rankings?table=comtrade-mirror-china%2Freported_imports"));
    assert!(html.contains("sort=-change_pct"));
    assert!(html.contains("rel=\"next\""));
    assert!(html.contains("(derived)"));
    assert!(html.contains("/api/v1/rankings.csv?"));
    let page2 = common::get(&app, "/rankings?page=2", &[]).await.text();
    assert!(page2.contains(">51</td>"), "the second page starts at rank 51");
    let wide = common::get(&app, "/rankings?view=wide", &[]).await.text();
    assert!(wide.contains("<table class=\"rank-table wide\""));
}

#[tokio::test]
async fn the_explorer_opens_on_a_chart_and_finds_plain_questions() {
    let app = common::app().await;
    let html = common::get(&app, "/explore", &[]).await.text();
    // The largest markets' partner-reported imports, picked from the data, titled as a phrase.
    let h2 = html.split("<h2").nth(1).unwrap_or("").chars().take(300).collect::<String>();
    assert!(html.contains("Imports from China, as each partner reports them (mirror data): 6 markets compared"), "{h2}");
    assert!(html.contains("comtrade-mirror-china.m.china.usa.total"));
    // The chart comes before the long list of series, with a skip link to it.
    let chart = html.find("id=\"chart\"").expect("chart section");
    let list = html.find("class=\"picker\"").expect("picker form");
    assert!(chart < list);
    assert!(html.contains("href=\"#chart\""));

    let found = common::get(&app, "/explore?q=imports+from+China", &[]).await.text();
    assert!(found.contains("value=\"comtrade-mirror-china.m.china.usa.total\""), "mirror imports found by a phrase");
    let vietnam = common::get(&app, "/explore?q=exports+to+Vietnam", &[]).await.text();
    assert!(vietnam.contains("Viet Nam") || vietnam.contains("Vietnam"));
    assert!(!vietnam.contains("No series match"));
    let none = common::get(&app, "/explore?q=zzqx", &[]).await.text();
    assert!(none.contains("No series match “zzqx”"), "zero results say what to try");
}

#[tokio::test]
async fn growth_among_the_largest_markets_only() {
    let app = common::app().await;
    let v = common::get(&app, "/api/v1/rankings?largest=20", &[]).await.json();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 20, "the 20 largest markets in the last year");
    let all = common::get(&app, "/api/v1/rankings?sort=-to", &[]).await.json();
    let largest: Vec<&str> = all["rows"].as_array().unwrap()[..20].iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert!(rows.iter().all(|r| largest.contains(&r["code"].as_str().unwrap())));
    assert!(v["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("20 places with the largest")));
}
