//! The market finder on the real default dataset: the API's shape and numbers (checked against the
//! shipped files themselves), weights that reorder, market sets, the page, the links to the series
//! behind each number, and bad questions answered with a 400 and a message.

mod common;

use axum::http::StatusCode;
use serde_json::Value;

/// China's 2018 exports of a community to a partner and the partner's imports of it from the World,
/// read straight from the shipped CSV files (not through the importers).
fn shipped_share(partner: &str, community: &str) -> f64 {
    let mut exports = csv::Reader::from_path("data/derived/ots_china_trade_by_partner_community.csv").unwrap();
    let mut x = None;
    for r in exports.records() {
        let r = r.unwrap();
        if &r[0] == "2018" && &r[1] == community && &r[2] == "chn" && &r[3] == partner {
            x = Some(r[4].parse::<f64>().unwrap());
        }
    }
    let mut imports = csv::Reader::from_path("data/derived/ots_imports_by_community_2018.csv").unwrap();
    let mut m = None;
    for r in imports.records() {
        let r = r.unwrap();
        if &r[1] == partner && &r[3] == community {
            m = Some(r[5].parse::<f64>().unwrap());
        }
    }
    100.0 * x.expect("export row") / m.expect("import row")
}

fn codes(v: &Value) -> Vec<String> {
    v["markets"].as_array().unwrap().iter().map(|m| m["code"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn api_ranks_markets_with_sourced_values() {
    let app = common::app().await;
    let r = common::get(&app, "/api/v1/markets?category=Footwear+and+Headwear", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    let markets = v["markets"].as_array().unwrap();
    assert!(markets.len() > 150, "{} markets", markets.len());
    assert_eq!(markets[0]["rank"], 1);
    assert!(v["licence"].as_str().unwrap().contains("CC BY-NC 4.0"));
    // Ranks never go down the list; scores never go up.
    for pair in markets.windows(2) {
        assert!(pair[0]["rank"].as_u64() <= pair[1]["rank"].as_u64());
        assert!(pair[0]["score"].as_f64() >= pair[1]["score"].as_f64());
    }
    // Poland's share is China's exports ÷ Poland's imports as the files have them, labelled derived.
    let pol = markets.iter().find(|m| m["code"] == "POL").expect("Poland ranked");
    let share = &pol["indicators"]["share"];
    let expected = shipped_share("pol", "Footwear and Headwear");
    assert!((share["value"].as_f64().unwrap() - expected).abs() < 1e-9, "{share} vs {expected}");
    assert_eq!(share["years"], "2018");
    assert_eq!(share["derived"], true);
    assert_eq!(pol["name"], "Poland");
    assert_eq!(pol["region"], "Europe");
    // Contributions add up to the score; scaled values lie in 0–100.
    let mut sum = 0.0;
    for (_, ind) in pol["indicators"].as_object().unwrap() {
        if let Some(c) = ind["contribution"].as_f64() {
            sum += c;
        }
        if let Some(s) = ind["scaled"].as_f64() {
            assert!((0.0..=100.0).contains(&s));
        }
    }
    assert!((sum - pol["score"].as_f64().unwrap()).abs() < 1e-9);
    let best = pol["rank_if_a_weight_moves_10"]["best"].as_u64().unwrap();
    let worst = pol["rank_if_a_weight_moves_10"]["worst"].as_u64().unwrap();
    assert!(best <= pol["rank"].as_u64().unwrap() && pol["rank"].as_u64().unwrap() <= worst);
    // The US distance comes from CEPII, the internet share from the WDI file.
    let usa = markets.iter().find(|m| m["code"] == "USA").unwrap();
    assert_eq!(usa["indicators"]["distance"]["datasets"][0], "cepii-distances-china");
    assert_eq!(usa["indicators"]["internet"]["datasets"][0], "wdi-internet-users");
}

#[tokio::test]
async fn weights_and_market_sets_change_the_answer() {
    let app = common::app().await;
    let large = common::get(&app, "/api/v1/markets?category=Miscellaneous&weights=large", &[]).await.json();
    let reach = common::get(&app, "/api/v1/markets?category=Miscellaneous&weights=reach", &[]).await.json();
    assert_ne!(codes(&large)[..10], codes(&reach)[..10], "different weights, different top ten");
    let custom = common::get(&app, "/api/v1/markets?category=Miscellaneous&weights=size:100", &[]).await.json();
    // Size alone: the largest importer of the category first.
    let first = &custom["markets"][0];
    let biggest = custom["markets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["indicators"]["size"]["value"].as_f64().unwrap())
        .fold(0.0, f64::max);
    assert_eq!(first["indicators"]["size"]["value"].as_f64().unwrap(), biggest);
    let no_us = common::get(&app, "/api/v1/markets?exclude=USA&region=Americas", &[]).await.json();
    let c = codes(&no_us);
    assert!(!c.contains(&"USA".to_string()) && c.contains(&"CAN".to_string()) && !c.contains(&"DEU".to_string()));
    let two = common::get(&app, "/api/v1/markets?markets=DEU,POL", &[]).await.json();
    assert_eq!(codes(&two).len(), 2);
}

#[tokio::test]
async fn bad_questions_get_a_400_that_says_why() {
    let app = common::app().await;
    for (uri, says) in [
        ("/api/v1/markets?category=Spaceships", "unknown category 'Spaceships'"),
        ("/api/v1/markets?weights=size:abc", "not a whole number"),
        ("/api/v1/markets?weights=size:0", "every weight is 0"),
        ("/api/v1/markets?region=Atlantis", "unknown region 'Atlantis'"),
        ("/api/v1/markets?markets=ZZZ", "no market data for 'ZZZ'"),
        ("/api/v1/markets?markets=DEU&exclude=DEU", "no market is left"),
        ("/api/v1/markets?format=xml", "format must be json or csv"),
        ("/api/v1/markets?colour=red", "unknown parameter 'colour'"),
    ] {
        let r = common::get(&app, uri, &[]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(r.text().contains(says), "{uri}: {}", r.text());
    }
}

#[tokio::test]
async fn csv_carries_the_licence_on_every_row() {
    let app = common::app().await;
    let json = common::get(&app, "/api/v1/markets?category=Textiles&region=Europe", &[]).await.json();
    let r = common::get(&app, "/api/v1/markets.csv?category=Textiles&region=Europe", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("text/csv"));
    let text = r.text();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "rank");
    assert!(header.iter().any(|h| h == "share_value"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), json["markets"].as_array().unwrap().len());
    let licence = header.iter().position(|h| h == "licence").unwrap();
    assert!(rows.iter().all(|r| r[licence].contains("CC BY-NC 4.0")));
    let same = common::get(&app, "/api/v1/markets?category=Textiles&region=Europe&format=csv", &[]).await;
    assert_eq!(same.text(), text);
}

#[tokio::test]
async fn page_answers_on_the_first_screen_and_explains_itself() {
    let app = common::app().await;
    let r = common::get(&app, "/markets?category=Footwear+and+Headwear&exclude=USA", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("ranks 1st:"), "the top market's sentence");
    assert!(html.contains("Footwear and Headwear"));
    assert!(html.contains("name=\"w_size\""), "weights are form fields without JavaScript");
    assert!(html.contains("non-commercial"), "the OTS licence is on the page");
    assert!(html.contains("How the ranking works"));
    assert!(html.contains("Rubber Footwear"), "the category's largest products");
    assert!(!html.contains(">United States of America<"), "the US is left out");
    let bad = common::get(&app, "/markets?category=Spaceships", &[]).await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.text().contains("unknown category"));
    assert!(bad.text().contains("role=\"alert\""));
}

#[tokio::test]
async fn every_number_links_to_its_series() {
    let app = common::app().await;
    let r = common::get(&app, "/markets/source?category=Textiles&market=POL&indicator=share", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.header("location");
    assert!(to.starts_with("/explore?s="), "{to}");
    let page = common::get(&app, to, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Poland"));
    let all = common::get(&app, "/markets/source?market=DEU&indicator=size", &[]).await;
    assert_eq!(all.status, StatusCode::SEE_OTHER);
    assert!(all.header("location").contains("dataset=ots-world-by-community-2018"));
    let none = common::get(&app, "/markets/source?market=DEU", &[]).await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn ranking_as_image_embed_and_oembed_keeps_its_sources() {
    let app = common::app().await;
    let svg = common::get(&app, "/markets/chart.svg?category=Textiles&weights=growing", &[]).await;
    assert_eq!(svg.status, StatusCode::OK, "{}", svg.text());
    assert_eq!(svg.header("content-type"), "image/svg+xml");
    let text = svg.text();
    assert!(text.contains("Where to sell Textiles: the top 15 of"), "title");
    assert!(text.contains("non-commercial"), "the OTS licence travels with the image");
    let png = common::get(&app, "/markets/chart.png?category=Textiles&width=600", &[]).await;
    assert_eq!(png.status, StatusCode::OK);
    assert_eq!(&png.body[1..4], b"PNG");
    let bad = common::get(&app, "/markets/chart.png?category=Spaceships", &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("unknown category"));

    let embed = common::get(&app, "/embed/markets?category=Textiles&lang=en&theme=dark", &[]).await;
    assert_eq!(embed.status, StatusCode::OK);
    let html = embed.text();
    assert!(html.contains("Where to sell Textiles"));
    assert!(html.contains("non-commercial"));
    assert!(html.contains("href=\"/markets?category=Textiles\""), "opens the full ranking");

    let url = "http://localhost/markets?category=Textiles";
    let o = common::get(&app, &format!("/oembed?url={}", url.replace('?', "%3F").replace('=', "%3D")), &[("host", "localhost")]).await;
    assert_eq!(o.status, StatusCode::OK, "{}", o.text());
    let v = o.json();
    assert!(v["html"].as_str().unwrap().contains("/embed/markets?category=Textiles"));
    assert!(v["thumbnail_url"].as_str().unwrap().contains("/markets/chart.png?category=Textiles"));
}

/// The US tariff on goods from China over some HS chapters, from the shipped file itself: duty collected
/// in 2024 ÷ imports, plus the modelled 2025 add-on weighted by imports.
fn shipped_us_tariff(chapters: std::ops::RangeInclusive<u8>) -> f64 {
    let mut r = csv::Reader::from_path("data/raw/us_tariffs_on_china/hs2-tariff-5700.csv").unwrap();
    let (mut imports, mut duty, mut addon) = (0.0, 0.0, 0.0);
    for row in r.records() {
        let row = row.unwrap();
        let Ok(ch) = row[0].parse::<u8>() else { continue };
        if chapters.contains(&ch) {
            let m: f64 = row[1].parse().unwrap();
            imports += m;
            duty += row[2].parse::<f64>().unwrap();
            addon += m * row[5].parse::<f64>().unwrap();
        }
    }
    100.0 * duty / imports + addon / imports
}

#[tokio::test]
async fn tariffs_faced_follow_the_selection_rule_and_move_the_ranking() {
    let app = common::app().await;
    let v = common::get(&app, "/api/v1/markets?category=Textiles&weights=size:50,tariff:50", &[]).await.json();
    let market = |code: &str| v["markets"].as_array().unwrap().iter().find(|m| m["code"] == code).unwrap().clone();
    // The US: its duty on goods from China over HS 50–63, with the date of the model and a "before" mark.
    let us = market("USA")["indicators"]["tariff"].clone();
    assert!((us["value"].as_f64().unwrap() - shipped_us_tariff(50..=63)).abs() < 1e-9, "{us}");
    assert_eq!(us["tariff"]["kind"], "UsOnChina");
    assert!(us["tariff"]["before"][0].as_str().is_some(), "newer US tariff events exist: {us}");
    // An EU member: the EU's MFN rate for clothing (MTN Q), 2024, marked approximate.
    let de = market("DEU")["indicators"]["tariff"].clone();
    assert!((de["value"].as_f64().unwrap() - 11.4653174603175).abs() < 1e-12, "{de}"); // README: 11.47
    assert_eq!(de["years"], "2024");
    assert_eq!(de["tariff"]["kind"], "ProductGroupMfn");
    assert_eq!(de["tariff"]["approximate"], true);
    // Elsewhere: the World Bank's all-products applied mean.
    let br = market("BRA")["indicators"]["tariff"].clone();
    assert_eq!(br["tariff"]["kind"], "AllProductsApplied", "{br}");
    // All goods: every chapter.
    let all = common::get(&app, "/api/v1/markets?markets=USA", &[]).await.json();
    let all_us = all["markets"][0]["indicators"]["tariff"]["value"].as_f64().unwrap();
    assert!((all_us - shipped_us_tariff(1..=99)).abs() < 1e-9);
    // A weight on tariffs changes the order.
    let without = common::get(&app, "/api/v1/markets?category=Textiles&weights=size:100", &[]).await.json();
    assert_ne!(codes(&v)[..10], codes(&without)[..10]);
    // The page says what the rates do not cover and lists what changed.
    let page = common::get(&app, "/markets?category=Textiles&region=Europe", &[]).await.text();
    assert!(page.contains("MFN averages overstate the duty where China has a free trade agreement"));
    assert!(page.contains("What changed"), "EU events concern the European markets ranked first");
    assert!(page.contains("approximate category match"));
    assert!(page.contains("class=\"market-tariff\""), "each top market's tariff is on the first screen");
}
