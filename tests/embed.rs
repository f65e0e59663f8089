//! Embeds through the whole router, in-process: static images (headers, ETag/304, validation, PNG size),
//! the /embed pages, /embed.js, oEmbed, and the framing and security headers of every route.
#![cfg(feature = "ssr")]

mod common;

use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use common::{app, Reply};
use serde_json::Value;
use tradewinds::routes::security::SecurityHeaders;

const TEMU_GMV: &str = "platform_gmv.china.world.temu.gmv.usd-billion";
const SHEIN_GMV: &str = "platform_gmv.china.world.shein.gmv.usd-billion";

async fn send(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Reply {
    common::get(app, uri, headers).await
}

fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&png[12..16], b"IHDR");
    (
        u32::from_be_bytes(png[16..20].try_into().unwrap()),
        u32::from_be_bytes(png[20..24].try_into().unwrap()),
    )
}

fn assert_not_frameable(r: &Reply, what: &str) {
    assert_eq!(
        r.header("content-security-policy"),
        "frame-ancestors 'self'",
        "{what}"
    );
    assert_eq!(r.header("x-frame-options"), "SAMEORIGIN", "{what}");
    assert_eq!(r.header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(
        r.header("referrer-policy"),
        "strict-origin-when-cross-origin",
        "{what}"
    );
}

#[tokio::test]
async fn chart_svg_is_cached_validated_and_downloadable() {
    let app = app().await;
    let uri = format!("/chart.svg?s={TEMU_GMV},{SHEIN_GMV}&from=2020");
    let r = send(&app, &uri, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header("content-type"), "image/svg+xml");
    assert!(r.header("cache-control").starts_with("public, max-age="));
    let etag = r.header("etag").to_string();
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && etag.len() > 20,
        "strong ETag: {etag}"
    );
    assert_not_frameable(&r, "chart.svg");
    let svg = r.text();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\""));
    let title = svg
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next());
    let title = title.filter(|t| !t.is_empty()).expect("a title");
    // Burnt in, possibly wrapped over lines: every word is drawn as well as named in <title>.
    for word in title.split_whitespace() {
        assert!(svg.matches(word).count() >= 2, "title word {word} burnt in");
    }
    assert!(svg.contains(">Temu") && svg.contains(">Shein"), "legend");
    assert!(svg.contains("Sources: "), "sources line");
    assert!(svg.contains("Tradewinds · 20"), "date stamp");
    assert!(svg.matches("<svg").count() == 2, "the chart nested once");

    // Same request with the ETag: 304, no body, same validator; a stale one gets the image.
    let r = send(&app, &uri, &[("if-none-match", &etag)]).await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    assert!(r.body.is_empty());
    assert_eq!(r.header("etag"), etag);
    let r = send(&app, &uri, &[("if-none-match", "\"stale\"")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("etag"), etag, "the same bytes every time");

    // Gzip is done once per cached image; its variant has its own ETag and validates too.
    let r = send(&app, &uri, &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(r.header("content-encoding"), "gzip");
    assert_eq!(r.header("vary"), "accept-encoding");
    let gz_etag = r.header("etag").to_string();
    assert_ne!(gz_etag, etag);
    assert!(r.body.len() < svg.len() / 2);
    let r = send(
        &app,
        &uri,
        &[("accept-encoding", "gzip"), ("if-none-match", &gz_etag)],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);

    let r = send(&app, &format!("/chart.svg?s={TEMU_GMV}&download=1"), &[]).await;
    assert_eq!(
        r.header("content-disposition"),
        "attachment; filename=\"tradewinds-platform-gross-merchandise-value-temu-gmv-china-world.svg\""
    );
    let r = send(&app, &format!("/chart.svg?s={TEMU_GMV}&theme=dark"), &[]).await;
    assert!(
        r.text().contains("fill=\"rgb(24,26,29)\""),
        "dark background"
    );
    let r = send(&app, "/chart.svg?home=totals&width=1200&height=630", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("width=\"1200\" height=\"630\""));
}

#[tokio::test]
async fn chart_png_has_the_requested_size() {
    let app = app().await;
    let r = send(
        &app,
        &format!("/chart.png?s={TEMU_GMV}&width=640&height=360&download=1"),
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header("content-type"), "image/png");
    assert_eq!(png_size(&r.body), (640, 360));
    assert!(r.header("etag").starts_with('"'));
    assert_eq!(
        r.header("content-encoding"),
        "",
        "PNGs are not re-compressed"
    );
    assert!(
        r.header("content-disposition")
            .starts_with("attachment; filename=\"tradewinds-platform-gross-merchandise-value-temu"),
        "{}",
        r.header("content-disposition")
    );
    let r = send(&app, &format!("/chart.png?s={TEMU_GMV}"), &[]).await;
    let (w, h) = png_size(&r.body);
    assert_eq!(w, 720, "default width");
    assert!((300..=800).contains(&h), "height follows the chart: {h}");
    let r = send(&app, "/chart.png?home=platforms&width=200&height=150", &[]).await;
    assert_eq!(png_size(&r.body), (200, 150), "smallest size still draws");
}

#[tokio::test]
async fn lang_puts_the_images_own_words_in_chinese() {
    // The fixture's series and title stay as they are; the image's own labels follow lang=.
    let app = app().await;
    let en = send(&app, &format!("/chart.svg?s={TEMU_GMV}"), &[])
        .await
        .text();
    assert!(
        en.contains(">Sources: ") && en.contains(" lang=\"en\""),
        "English unless asked"
    );
    for code in ["zh", "zh-Hans", "zh-CN"] {
        let r = send(&app, &format!("/chart.svg?s={TEMU_GMV}&lang={code}"), &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{code}: {}", r.text());
        let zh = r.text();
        assert!(
            zh.contains(">来源："),
            "{code}: the sources line's label is Chinese"
        );
        assert!(!zh.contains("Sources:"), "{code}");
        assert!(zh.contains(" lang=\"zh-Hans\""), "{code}");
    }
    // The PNG draws the other label (a cache entry and an ETag of its own); the size is the same.
    let uri = format!("/chart.png?s={TEMU_GMV}&width=480");
    let en = send(&app, &uri, &[]).await;
    let zh = send(&app, &format!("{uri}&lang=zh"), &[]).await;
    assert_eq!(zh.status, StatusCode::OK, "{}", zh.text());
    assert_eq!(png_size(&zh.body).0, 480);
    assert_ne!(en.body, zh.body, "the Chinese label is drawn");
    assert_ne!(en.header("etag"), zh.header("etag"));
    let again = send(
        &app,
        &format!("{uri}&lang=zh-Hans"),
        &[("if-none-match", zh.header("etag"))],
    )
    .await;
    assert_eq!(
        again.status,
        StatusCode::NOT_MODIFIED,
        "zh and zh-Hans are one image"
    );
    // The market finder's ranking takes it too.
    let r = send(&app, "/markets/chart.svg?category=Textiles&lang=zh", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains(" lang=\"zh-Hans\""));
    for uri in [
        format!("/chart.png?s={TEMU_GMV}&lang=xx"),
        format!("/chart.svg?s={TEMU_GMV}&lang=fr"),
        "/markets/chart.png?category=Textiles&lang=EN".to_string(),
    ] {
        let r = send(&app, &uri, &[]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(
            r.text()
                .contains("lang must be en, zh, zh-Hans or zh-CN (got '"),
            "{uri}: {}",
            r.text()
        );
    }
}

#[tokio::test]
async fn image_parameters_are_validated_with_messages() {
    let app = app().await;
    let cases = [
        (
            format!("/chart.svg?s={TEMU_GMV}&width=100"),
            "width must be a whole number of pixels from 200 to 2000",
        ),
        (
            format!("/chart.png?s={TEMU_GMV}&height=99999"),
            "height must be a whole number of pixels from 150 to 2000",
        ),
        (
            format!("/chart.svg?s={TEMU_GMV}&width=wide"),
            "(got 'wide')",
        ),
        (
            format!("/chart.svg?s={TEMU_GMV}&theme=blue"),
            "theme must be light or dark",
        ),
        (
            "/chart.svg?s=no.such.series".to_string(),
            "no series with id 'no.such.series'",
        ),
        (
            format!("/chart.svg?s={TEMU_GMV}&colour=red"),
            "unknown parameter 'colour'",
        ),
        ("/chart.svg".to_string(), "no series chosen; add s=ID"),
        (
            "/chart.png?home=everything".to_string(),
            "home must be one of totals, platforms, shares",
        ),
        (
            format!("/chart.png?s={TEMU_GMV}&lang=xx"),
            "lang must be en, zh, zh-Hans or zh-CN (got 'xx')",
        ),
    ];
    for (uri, says) in cases {
        let r = send(&app, &uri, &[]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(r.header("content-type").starts_with("text/plain"), "{uri}");
        assert_eq!(r.header("cache-control"), "no-store", "{uri}");
        let text = r.text();
        assert!(
            text.starts_with("Cannot draw this chart: ") && text.contains(says),
            "{uri}: {text}"
        );
    }
}

#[tokio::test]
async fn embed_pages_frame_anywhere_set_no_cookies_and_keep_to_the_chart() {
    let app = app().await;
    let r = send(
        &app,
        &format!("/embed?s={TEMU_GMV}&from=2020&theme=dark&accent=%23C0392B&controls=0"),
        &[("host", "tradewinds.test")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("text/html"));
    assert_eq!(r.header("content-security-policy"), "frame-ancestors *");
    assert_eq!(r.header("x-frame-options"), "", "embeds may be framed");
    assert_eq!(r.header("set-cookie"), "", "embeds set no cookies");
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert!(r.header("cache-control").starts_with("public"));
    let html = r.text();
    assert!(html.contains("class=\"embed-root theme-dark\""));
    assert!(html.contains("--accent: #c0392b"));
    assert!(html.contains("<base target=\"_blank\""));
    assert!(html.contains("tradewinds:height"), "reports its height");
    assert!(html.contains("<svg"), "the chart is server-rendered");
    assert!(html.contains("Temu · GMV"));
    assert!(html.contains("class=\"sources\""));
    assert!(html.contains("embed-controls-off"));
    assert!(html.contains("Open in Tradewinds"));
    assert!(html.contains(&format!("href=\"/explore?s={TEMU_GMV}&amp;from=2020\"")));
    assert!(
        !html.contains("site-header") && !html.contains("/admin"),
        "no site chrome"
    );
    assert!(
        !html.contains("hide="),
        "legend toggles stay in the embed, not links to the explorer"
    );
    // Link previews and oEmbed discovery for the same state.
    assert!(html.contains(&format!(
        "property=\"og:image\" content=\"http://tradewinds.test/chart.png?s={TEMU_GMV}&amp;from=2020&amp;width=1200&amp;height=630\""
    )));
    assert!(html.contains("type=\"application/json+oembed\""));
    assert!(html.contains("http://tradewinds.test/oembed?format=json&amp;url=http%3A%2F%2Ftradewinds.test%2Fexplore%3Fs%3D"));

    let r = send(&app, "/embed/home", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-security-policy"), "frame-ancestors *");
    let html = r.text();
    assert_eq!(html.matches("class=\"chart\"").count(), 3, "three charts");
    assert!(html.contains("href=\"/\""));
    let r = send(&app, "/embed/home?chart=shares&lang=zh-Hans", &[]).await;
    let html = r.text();
    assert_eq!(html.matches("class=\"chart\"").count(), 1);
    assert!(html.contains("<html lang=\"zh-Hans\""));
    assert!(html.contains("在 Tradewinds 中打开"));

    // What cannot be used is said, not silently dropped.
    let html = send(
        &app,
        &format!("/embed?s={TEMU_GMV}&accent=red&theme=neon"),
        &[],
    )
    .await
    .text();
    assert!(
        html.contains("accent &#x27;red&#x27; is not a hex colour")
            || html.contains("accent 'red' is not a hex colour")
    );
    assert!(html.contains("theme"));
    let html = send(&app, "/embed", &[]).await.text();
    assert!(html.contains("This link shows no chart"));

    // Everything else may only be framed by the site itself.
    for uri in [
        "/",
        "/explore",
        "/api/v1/datasets",
        "/embed.js",
        "/oembed",
        "/no/such/page",
    ] {
        let r = send(&app, uri, &[]).await;
        assert_not_frameable(&r, uri);
    }
}

#[tokio::test]
async fn embed_js_resizes_only_its_own_iframes() {
    let app = app().await;
    let r = send(&app, "/embed.js", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "text/javascript; charset=utf-8");
    assert!(r.header("cache-control").contains("max-age=86400"));
    let js = r.text();
    assert!(js.contains("iframe[data-tradewinds]"));
    assert!(js.contains("frame.contentWindow !== event.source"));
    assert!(js.contains("'tradewinds:height'"));
}

#[tokio::test]
async fn oembed_gives_a_rich_iframe_within_the_bounds() {
    let app = app().await;
    let host = [("host", "tradewinds.test")];
    let page = format!("http://tradewinds.test/explore?s={TEMU_GMV}&scale=log");
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let r = send(
        &app,
        &format!("/oembed?url={}&format=json", enc(&page)),
        &host,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header("content-type"), "application/json; charset=utf-8");
    assert_eq!(r.header("access-control-allow-origin"), "*");
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["version"], "1.0");
    assert_eq!(v["type"], "rich");
    assert_eq!(v["provider_name"], "Tradewinds");
    assert_eq!(v["provider_url"], "http://tradewinds.test/");
    assert!(v["title"].as_str().unwrap().starts_with("Platform gross merchandise value, Temu"), "{}", v["title"]);
    assert_eq!(v["width"], 720);
    let height = v["height"].as_u64().unwrap();
    assert!((400..=1000).contains(&height), "{height}");
    let html = v["html"].as_str().unwrap();
    assert!(html.starts_with(&format!(
        "<iframe src=\"http://tradewinds.test/embed?s={TEMU_GMV}&amp;scale=log\""
    )));
    assert!(html.contains("data-tradewinds") && html.contains("/embed.js"));
    assert_eq!(
        v["thumbnail_url"].as_str().unwrap(),
        format!(
            "http://tradewinds.test/chart.png?s={TEMU_GMV}&scale=log&width=720&height={}",
            v["thumbnail_height"]
        )
    );

    // maxwidth/maxheight bound the embed and the thumbnail.
    let r = send(
        &app,
        &format!("/oembed?url={}&maxwidth=400&maxheight=300", enc(&page)),
        &host,
    )
    .await;
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["width"], 400);
    assert!(v["height"].as_u64().unwrap() <= 300);
    assert!(v["thumbnail_width"].as_u64().unwrap() <= 400);
    assert!(v["thumbnail_height"].as_u64().unwrap() <= 300);
    // The thumbnail URL is one the image route accepts.
    let thumb = v["thumbnail_url"].as_str().unwrap();
    let thumb_path = thumb.trim_start_matches("http://tradewinds.test");
    let t = send(&app, thumb_path, &[]).await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.text());
    assert_eq!(
        png_size(&t.body),
        (
            v["thumbnail_width"].as_u64().unwrap() as u32,
            v["thumbnail_height"].as_u64().unwrap() as u32
        )
    );
    let r = send(
        &app,
        &format!("/oembed?url={}&maxwidth=150", enc(&page)),
        &host,
    )
    .await;
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["width"], 150);
    assert!(
        v.get("thumbnail_url").is_none(),
        "no thumbnail below 200 px"
    );

    // lang= (or the link's own lang) goes to the iframe and the thumbnail; an unknown one is refused.
    for query in [
        format!("url={}&lang=zh", enc(&page)),
        format!("url={}", enc(&format!("{page}&lang=zh-Hans"))),
    ] {
        let r = send(&app, &format!("/oembed?{query}"), &host).await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.text());
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert!(
            v["html"].as_str().unwrap().contains("lang=zh-Hans"),
            "{query}: {}",
            v["html"]
        );
        let thumb = v["thumbnail_url"].as_str().unwrap();
        assert!(thumb.ends_with("&lang=zh-Hans"), "{query}: {thumb}");
        let t = send(
            &app,
            thumb.trim_start_matches("http://tradewinds.test"),
            &[],
        )
        .await;
        assert_eq!(t.status, StatusCode::OK, "{}", t.text());
    }
    let r = send(&app, &format!("/oembed?url={}&lang=xx", enc(&page)), &host).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.text()
            .contains("lang must be en, zh, zh-Hans or zh-CN (got 'xx')"),
        "{}",
        r.text()
    );

    // The home page embeds as the dashboard.
    let r = send(&app, "/oembed?url=http%3A%2F%2Ftradewinds.test%2F", &host).await;
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["type"], "rich");
    assert!(v["html"]
        .as_str()
        .unwrap()
        .contains("src=\"http://tradewinds.test/embed/home\""));
    assert!(v["thumbnail_url"].as_str().unwrap().contains("home=totals"));

    for (uri, status) in [
        (
            format!("/oembed?url={}&format=xml", enc(&page)),
            StatusCode::NOT_IMPLEMENTED,
        ),
        (
            format!(
                "/oembed?url={}",
                enc("https://elsewhere.example/explore?s=x")
            ),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/oembed?url={}", enc("http://tradewinds.test/admin/import")),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/oembed?url={}", enc("http://tradewinds.test/explore")),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/oembed?url={}&maxwidth=wide", enc(&page)),
            StatusCode::BAD_REQUEST,
        ),
        ("/oembed".to_string(), StatusCode::BAD_REQUEST),
    ] {
        let r = send(&app, &uri, &host).await;
        assert_eq!(r.status, status, "{uri}: {}", r.text());
    }
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn an_editors_title_subtitle_and_note_are_escaped_and_never_replace_the_sources() {
    let app = app().await;
    let title = "<script>alert(1)</script> Temu & co";
    let uri = format!(
        "/embed?s={TEMU_GMV}&title={}&subtitle={}&note={}",
        enc(title),
        enc("GMV, \"USD bn\""),
        enc("Figures as <i>reported</i>.\nSee sources.")
    );
    let r = send(&app, &uri, &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(!html.contains("<script>alert(1)"), "never markup");
    assert!(html.contains("class=\"embed-title\">&lt;script&gt;alert(1)&lt;/script&gt; Temu &amp; co</h1>"));
    assert!(html.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; Temu &amp; co · Tradewinds</title>"), "escaped in the document title too");
    assert!(html.contains("class=\"embed-subtitle\">GMV, &quot;USD bn&quot;</p>") || html.contains("class=\"embed-subtitle\">GMV, \"USD bn\"</p>"));
    assert!(html.contains("</strong>Figures as &lt;i&gt;reported&lt;/i&gt;. See sources.</p>"));
    // Over one chart the heading stands in for its title; the sources line is all there.
    assert!(html.contains("embed-titled"));
    assert!(html.contains("class=\"sources\"") && html.contains("(nsn.asia)"), "sources kept");
    assert!(!html.contains("embed-problems"), "nothing ignored");
    let out = send(&app, &format!("/embed?s={TEMU_GMV}&title={}", enc("</title><script>x()</script>")), &[]).await.text();
    assert!(!out.contains("<script>x()"), "no way out of <title>");

    // Over the cap: cut, and said in the embed.
    let html = send(&app, &format!("/embed?s={TEMU_GMV}&title={}", "T".repeat(130)), &[]).await.text();
    assert!(html.contains(&format!("{}…</h1>", "T".repeat(119))));
    assert!(html.contains("title is 130 characters long; an embed shows at most 120"));
    assert!(html.contains("class=\"sources\""));

    // An unknown language: said, and English.
    let html = send(&app, &format!("/embed?s={TEMU_GMV}&lang=fr"), &[]).await.text();
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("lang &#x27;fr&#x27; is not en or zh-Hans; shown in English") || html.contains("lang 'fr' is not en or zh-Hans; shown in English"));

    // The market finder's embed takes them too.
    let html = send(&app, "/embed/markets?category=Textiles&title=Where+to+sell&note=Our+pick", &[]).await.text();
    assert!(html.contains("class=\"embed-title\">Where to sell</h1>"));
    assert!(html.contains("</strong>Our pick"));
    assert!(html.contains("class=\"sources\""));
}

#[tokio::test]
async fn each_home_chart_embeds_alone_and_the_home_page_offers_it() {
    let app = app().await;
    for uri in ["/embed/home?chart=shares", "/embed?home=shares"] {
        let r = send(&app, uri, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        let html = r.text();
        assert_eq!(html.matches("class=\"chart\"").count(), 1, "{uri}: one chart");
        assert!(html.contains("Destination markets: share of China"), "{uri}");
        assert!(html.contains("<title>Destination markets: share of China&#39;s CBEC exports · Tradewinds</title>"), "{uri}: the chart's own title");
        assert!(html.contains("href=\"/\" target=\"_blank\" rel=\"noopener\" class=\"embed-open\""), "{uri}");
        assert!(!html.contains("embed-problems"), "{uri}: nothing refused");
    }
    let html = send(&app, "/embed?home=maps", &[]).await.text();
    assert!(html.contains("chart &#x27;maps&#x27; is not totals, platforms, shares") || html.contains("chart 'maps' is not totals, platforms, shares"));

    // The home page: an "Embed this chart" entry under each chart, its snippets for that chart alone.
    let html = send(&app, "/", &[]).await.text();
    assert_eq!(html.matches("Embed this chart</summary>").count(), 3);
    for name in ["totals", "platforms", "shares"] {
        assert!(html.contains(&format!("id=\"embed-{name}-snippet-0\"")), "{name}");
        // (A textarea's text: leptos writes it as is; the snippet's own attribute escaping is all there is.)
        assert!(html.contains(&format!("/embed/home?chart={name}\" title=")), "{name}");
        assert!(html.contains(&format!("/chart.png?home={name}&amp;width=720")), "{name}");
    }
    // The builder's language list comes from the UI's languages.
    assert!(html.contains("<option value=\"zh-Hans\" lang=\"zh-Hans\">简体中文</option>"));
}

#[tokio::test]
async fn before_the_canvas_a_narrow_frame_shows_a_drawing_made_for_it() {
    let app = app().await;
    let html = send(&app, &format!("/embed?s={TEMU_GMV}"), &[]).await.text();
    assert!(html.contains("--narrow-ratio: 360 / 230"));
    assert!(html.contains("aria-hidden=\"true\" class=\"chart-svg embed-static\"><svg"));
    assert!(html.contains("viewBox=\"0 0 360 230\""), "drawn at the narrow size");
    assert_eq!(html.matches("<svg").count() >= 2, true, "the wide drawing too");
}

#[tokio::test]
async fn oembed_carries_an_editors_title_and_the_height_that_fits() {
    let app = app().await;
    let host = [("host", "tradewinds.test")];
    let page = format!("http://tradewinds.test/explore?s={TEMU_GMV}&title={}&subtitle=USD+bn", enc("Temu <grows>"));
    let r = send(&app, &format!("/oembed?url={}", enc(&page)), &host).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["title"], "Temu <grows>", "JSON carries text; the consumer escapes it");
    let html = v["html"].as_str().unwrap();
    assert!(html.contains(&format!("src=\"http://tradewinds.test/embed?s={TEMU_GMV}&amp;title=Temu+%3Cgrows%3E&amp;subtitle=USD+bn\"")), "{html}");
    assert!(html.contains("title=\"Temu &lt;grows&gt;\""));
    // A longer text needs a taller frame.
    let plain = send(&app, &format!("/oembed?url={}", enc(&format!("http://tradewinds.test/explore?s={TEMU_GMV}"))), &host).await;
    let plain: Value = serde_json::from_slice(&plain.body).unwrap();
    assert!(v["height"].as_u64() > plain["height"].as_u64());

    // Over the cap: refused with the reason.
    let long = format!("http://tradewinds.test/explore?s={TEMU_GMV}&note={}", "n".repeat(401));
    let r = send(&app, &format!("/oembed?url={}", enc(&long)), &host).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("note is 401 characters long"));

    // One home chart.
    for url in ["http://tradewinds.test/embed/home?chart=platforms", "http://tradewinds.test/embed?home=platforms"] {
        let r = send(&app, &format!("/oembed?url={}", enc(url)), &host).await;
        assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.text());
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert!(v["title"].as_str().unwrap().starts_with("Platforms"), "{url}");
        assert!(v["html"].as_str().unwrap().contains("src=\"http://tradewinds.test/embed/home?chart=platforms\""));
        assert!(v["thumbnail_url"].as_str().unwrap().contains("home=platforms"));
    }
    let r = send(&app, &format!("/oembed?url={}", enc("http://tradewinds.test/embed/home?chart=maps")), &host).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_embed_allow_list_and_cookie_stripping() {
    let app = Router::new()
        .route(
            "/embed",
            get(|| async {
                (
                    [("set-cookie", "x=1"), ("x-frame-options", "DENY")],
                    "embed",
                )
            }),
        )
        .route(
            "/other",
            get(|| async { ([("set-cookie", "x=1")], "other") }),
        )
        .layer(SecurityHeaders::new(Some(
            "https://news.example https://*.assoc.example",
        )));
    let r = send(&app, "/embed", &[]).await;
    assert_eq!(
        r.header("content-security-policy"),
        "frame-ancestors 'self' https://news.example https://*.assoc.example"
    );
    assert_eq!(r.header("set-cookie"), "");
    assert_eq!(r.header("x-frame-options"), "");
    let r = send(&app, "/other", &[]).await;
    assert_eq!(
        r.header("content-security-policy"),
        "frame-ancestors 'self'"
    );
    assert_eq!(
        r.header("set-cookie"),
        "x=1",
        "other routes keep their cookies"
    );
}
