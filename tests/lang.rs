//! The two languages through the whole router: `/zh/…` pages in Chinese with `lang`, `hreflang` and a
//! switch that keeps the view; `/lang` remembers a choice (never an open redirect); `/` follows the
//! choice or the browser's preference, and says so to caches.
#![cfg(feature = "ssr")]

mod common;

use axum::http::StatusCode;
use common::{app, get};

/// Every `Vary` header of a reply, joined (layers add their own).
fn vary(r: &common::Reply) -> String {
    r.headers.get_all("vary").iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(", ")
}

const TEMU_GMV: &str = "platform_gmv.china.world.temu.gmv.usd-billion";

#[tokio::test]
async fn every_page_has_a_chinese_twin_with_the_same_view() {
    let app = app().await;
    for path in ["/", "/explore", "/markets", "/rankings", "/api", "/admin/import"] {
        let zh = if path == "/" { "/zh".to_string() } else { format!("/zh{path}") };
        let r = get(&app, &zh, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{zh}");
        let html = r.text();
        assert!(html.contains("<html lang=\"zh-Hans\""), "{zh}: lang attribute");
        assert!(html.contains("探索"), "{zh}: the navigation is in Chinese");
        assert!(html.contains("hreflang=\"en\""), "{zh}: the English alternate is named");
        let en = get(&app, path, &[]).await.text();
        assert!(en.contains("<html lang=\"en\""), "{path}");
        assert!(en.contains("hreflang=\"zh-Hans\""), "{path}");
    }
    // The switch opens the same chart in the other language; links inside stay in the language.
    let html = get(&app, &format!("/zh/explore?s={TEMU_GMV}"), &[]).await.text();
    assert!(html.contains(&format!("/lang?set=en&amp;back=%2Fexplore%3Fs%3D{TEMU_GMV}")), "switch to English keeps the view");
    assert!(html.contains("action=\"/zh/explore\""), "the picker stays on the Chinese page");
    assert!(html.contains("显示图表"), "the form's button is in Chinese");
    // The chart's own words follow the page: the indicator's and the places' Chinese names.
    assert!(html.contains("平台商品交易总额，Temu、GMV（中国 → "), "the chart's title is in Chinese");
    let en = get(&app, &format!("/explore?s={TEMU_GMV}"), &[]).await.text();
    assert!(en.contains("Platform gross merchandise value, Temu, GMV (China → World)"), "and in English on the English page");
    // Shared links keep the language: the Chinese address, an image drawn in Chinese, the locale.
    assert!(html.contains("property=\"og:locale\" content=\"zh_CN\""), "og:locale");
    assert!(html.contains(&format!("/zh/explore?s={TEMU_GMV}\"")), "og:url is the Chinese page");
    assert!(html.contains("&amp;width=1200&amp;height=630&amp;lang=zh-Hans"), "og:image is drawn in Chinese");
    assert!(!en.contains("lang=zh-Hans\""), "the English page shares English");
}

#[tokio::test]
async fn chinese_pages_read_money_and_periods_the_chinese_way() {
    let app = app().await;
    // The home page's total: CNY trillion in 万亿元 (the value says its unit), its period as 2024年.
    let home = get(&app, "/zh", &[]).await.text();
    assert!(home.contains("万亿元</span>"), "money in 万亿");
    assert!(home.contains("2024年"), "years as 2024年");
    let r = get(&app, "/", &[]).await;
    let en = r.text();
    assert!(!en.contains("万亿元</span>"), "English keeps its numbers");
    assert!(en.contains("CNY trillion</span>"), "and its units ({}: {})", r.status, &en[..en.len().min(300)]);
    // A quote in another language says which, on the Chinese page; English quotes say so too.
    assert!(home.contains("（英文原文）"), "English quotes are labelled on Chinese pages");
    assert!(home.contains("<q lang=\"en\">"), "quotes carry their language");
}

#[tokio::test]
async fn a_choice_is_remembered_and_the_home_page_follows_it() {
    let app = app().await;
    let r = get(&app, "/lang?set=zh-Hans&back=/zh/explore", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/zh/explore");
    assert!(r.header("set-cookie").starts_with("lang=zh-Hans;"));
    // Never an open redirect; a bad language says which ones there are.
    let r = get(&app, "/lang?set=zh&back=//evil.example/", &[]).await;
    assert_eq!(r.header("location"), "/zh");
    let r = get(&app, "/zh/?x=1", &[]).await;
    assert_eq!((r.status, r.header("location")), (StatusCode::PERMANENT_REDIRECT, "/zh?x=1"));
    let r = get(&app, "/lang?set=klingon", &[]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("en or zh-Hans"));

    let home = |headers: &'static [(&'static str, &'static str)]| {
        let app = app.clone();
        async move { get(&app, "/", headers).await }
    };
    let r = home(&[("accept-language", "zh-CN,zh;q=0.9,en;q=0.8")]).await;
    assert_eq!((r.status, r.header("location")), (StatusCode::SEE_OTHER, "/zh"));
    assert!(vary(&r).contains("Accept-Language"));
    // An explicit choice beats the browser's preference, both ways.
    let r = home(&[("accept-language", "zh-CN"), ("cookie", "lang=en")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("<html lang=\"en\""));
    let r = home(&[("accept-language", "en-US"), ("cookie", "theme=dark; lang=zh-Hans")]).await;
    assert_eq!((r.status, r.header("location")), (StatusCode::SEE_OTHER, "/zh"));
    let r = home(&[]).await;
    assert_eq!(r.status, StatusCode::OK, "no preference: English");
    assert!(vary(&r).contains("Cookie"));
}
