//! Files as they arrive from the open internet, imported end to end into a fresh store.
#![cfg(feature = "ssr")]

use tradewinds::import::{self, Input, Options, Progress, Summary};
use tradewinds::store::{SeriesFilter, Store};

/// Imports into a fresh store in a temporary folder (removed when the returned handle drops).
async fn import(
    name: &str,
    bytes: &[u8],
    opts: Options,
) -> Result<(tempfile::TempDir, Store, Summary), String> {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("t.db").display()))
        .await
        .unwrap();
    let summary = import::run(
        &store,
        Input::from_bytes(name, bytes.to_vec()),
        opts,
        Progress::default(),
    )
    .await
    .map_err(|e| e.to_string())?;
    Ok((dir, store, summary))
}

/// A Comtrade download re-saved by a spreadsheet: `;` between fields, an unnamed index column and
/// thousands separators (figures made up for this test).
const RESAVED: &str = "\
;refYear;period;reporterISO;reporterDesc;flowCode;flowDesc;partnerISO;partnerDesc;cmdCode;cmdDesc;primaryValue
0;2023;2023;CHN;China;X;Export;USA;USA;TOTAL;All Commodities;23,837,402,142.0
1;2023;2023;CHN;China;X;Export;JPN;Japan;TOTAL;All Commodities;1,234
";

#[tokio::test]
async fn a_resaved_semicolon_comtrade_download_is_read_and_the_summary_says_how() {
    let (_dir, store, summary) = import("TradeData.csv", RESAVED.as_bytes(), Options::default())
        .await
        .unwrap();
    assert_eq!(summary.format, import::Format::Comtrade);
    assert_eq!((summary.observations, summary.skipped_rows), (2, 0));
    assert!(
        summary.notes.starts_with(
            "Read as a ';'-separated table with decimal points and ',' between thousands \
             (as '23,837,402,142.0' (row 2, column 'primaryValue') shows)."
        ),
        "{}",
        summary.notes
    );
    let series = store.series(&SeriesFilter::default()).await.unwrap();
    let ids: Vec<String> = series.iter().map(|s| s.id.clone()).collect();
    let mut values: Vec<f64> = store
        .observations(&ids, None, None)
        .await
        .unwrap()
        .iter()
        .map(|o| o.value)
        .collect();
    values.sort_by(f64::total_cmp);
    assert_eq!(values, [1234.0, 23_837_402_142.0]);
}

#[tokio::test]
async fn decimal_commas_are_read_and_ambiguous_numbers_refused_naming_row_and_column() {
    let csv = "series_id\tperiod\tvalue\tunit\na\t2023\t1.234,5\tUSD\na\t2024\t12,5\tUSD\n";
    let (_dir, _, summary) = import("t.tsv", csv.as_bytes(), Options::default())
        .await
        .unwrap();
    assert_eq!(summary.observations, 2);
    assert!(
        summary
            .notes
            .contains("tab-separated table with decimal commas"),
        "{}",
        summary.notes
    );

    let ambiguous = "series_id;period;value;unit\na;2023;1,234;USD\n";
    let err = import("t.csv", ambiguous.as_bytes(), Options::default())
        .await
        .unwrap_err();
    assert!(
        err.starts_with("t.csv: ")
            && err.contains(
                "row 2, column 'value': '1,234' could be a thousands separator or a decimal mark"
            ),
        "{err}"
    );
}

#[tokio::test]
async fn a_dataset_id_without_letters_or_digits_is_refused() {
    let csv = "series_id,period,value,unit\na,2024,1,USD\n";
    let opts = Options {
        dataset: Some("+++".into()),
        ..Options::default()
    };
    let err = import("t.csv", csv.as_bytes(), opts).await.unwrap_err();
    assert!(
        err.contains("the dataset id '+++' has no letter or digit"),
        "{err}"
    );
}

#[tokio::test]
async fn cepii_original_semicolon_file_still_reads_through_the_relayout() {
    // The layout of CEPII's dist_cepii.csv (one made-up row in its format).
    let csv = "iso_o;iso_d;contig;comlang_off;comlang_ethno;colony;comcol;curcol;col45;smctry;dist;distcap;distw;distwces\n\
               ZAR;ROM;0;1;0;0;0;0;0;0;6242,916;6242,916;6196,471;.\n";
    let (_dir, store, summary) = import("dist_cepii.csv", csv.as_bytes(), Options::default())
        .await
        .unwrap();
    assert_eq!(summary.format, import::Format::CepiiDist);
    assert_eq!((summary.observations, summary.skipped_rows), (5, 0));
    assert!(
        summary.notes.contains("decimal commas"),
        "{}",
        summary.notes
    );
    let ids: Vec<String> = store
        .series(&SeriesFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .filter(|id| id.ends_with(".dist.zar.rom"))
        .collect();
    let values: Vec<f64> = store
        .observations(&ids, None, None)
        .await
        .unwrap()
        .iter()
        .map(|o| o.value)
        .collect();
    assert_eq!(values, [6242.916]);
}
