//! World Bank WDI indicators in the DDF format of the open-numbers project
//! (`ddf--datapoints--<indicator>--by--economy--year.csv`: `economy,year,<indicator>`). Economies are
//! lower-case WB codes — ISO3 except `chi` (Channel Islands) and `xkx` (Kosovo) — plus aggregates (`wld`,
//! `eas`, `euu` …), which the place table marks. Values carry 10 decimals; rows are sparse. Tariff rates
//! are imposed by the economy, so it is the destination.

use super::{
    series_with_places, slug, text::number, text::Rows, Defaults, Detect, FormatSpec, ImportError,
    Parse, RowError, SeriesCache, Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::{canonical_code, name_of, Place, PlaceKind};
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "wdi-ddf",
    defaults: Defaults {
        title: "World Development Indicators (open-numbers DDF)",
        publisher: "World Bank, World Development Indicators (DDF export by open-numbers)",
        source_url: Some("https://data.worldbank.org/"),
        licence: "CC BY 4.0 — attribute \"World Bank, World Development Indicators\"",
    },
    detect: Detect::Header(|h| h.starts_with("economy,year,") && h.split(',').count() == 3),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

/// (WDI code, name, unit) of the indicators Tradewinds ships; others keep their code as name.
const KNOWN: [(&str, &str, &str); 4] = [
    (
        "TM.TAX.MRCH.SM.AR.ZS",
        "Tariff rate, applied, simple mean, all products (%)",
        "% (simple mean)",
    ),
    (
        "TM.TAX.MRCH.WM.AR.ZS",
        "Tariff rate, applied, weighted mean, all products (%)",
        "% (weighted mean)",
    ),
    (
        "TM.TAX.MRCH.SM.FN.ZS",
        "Tariff rate, most favored nation, simple mean, all products (%)",
        "% (simple mean)",
    ),
    (
        "TM.TAX.MANF.SM.AR.ZS",
        "Tariff rate, applied, simple mean, manufactured products (%)",
        "% (simple mean)",
    ),
];

pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let (mut rows, headers, columns) = Rows::open(file, reader, &["economy", "year"])?;
    let column = headers.get(2).unwrap_or("").trim().to_ascii_lowercase();
    if column.is_empty() {
        return Err(ImportError::MissingColumn {
            file: file.into(),
            column: "the indicator (third column)".into(),
        });
    }
    // tm_tax_mrch_sm_ar_zs → TM.TAX.MRCH.SM.AR.ZS
    let indicator = column.to_ascii_uppercase().replace('_', ".");
    let (category, unit) = KNOWN
        .iter()
        .find(|k| k.0 == indicator)
        .map_or((indicator.clone(), "value"), |k| (k.1.to_string(), k.2));
    let mut cache = SeriesCache::default();
    while let Some((row, record)) = rows.next(sink)? {
        let get = |name: &str| columns.get(record, name);
        let fail = |column: &str, reason: String| RowError {
            row,
            column: column.into(),
            reason,
        };
        let period: Period = match get("year").parse() {
            Ok(p) => p,
            Err(e) => {
                sink.skip(fail("year", e.to_string()));
                continue;
            }
        };
        let value = match number(get(&column)) {
            Ok(Some(v)) => v,
            Ok(None) => continue,
            Err(e) => {
                sink.skip(fail(&column, e));
                continue;
            }
        };
        let economy = get("economy");
        let market = canonical_code(economy);
        let Some(code) = market.code.clone() else {
            sink.skip(fail("economy", format!("unknown economy code '{economy}'")));
            continue;
        };
        let id = cache.id(sink, &[economy], || {
            let s = Series {
                id: format!("{dataset_id}.{}.{}", slug(&indicator), slug(economy)),
                dataset_id: dataset_id.to_string(),
                indicator: indicator.clone(),
                destination: name_of(&code).unwrap_or(&code).to_string(),
                category: category.clone(),
                unit: unit.into(),
                ..Default::default()
            };
            let none = Place {
                code: None,
                kind: PlaceKind::Unknown,
            };
            series_with_places(s, none, market.clone())
        })?;
        sink.observation(Observation::new(&id, period, value))?;
    }
    Ok(String::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{text, ImportBatch};

    fn run(name: &str, bytes: &[u8]) -> ImportBatch {
        assert_eq!(
            crate::import::detect(name, bytes, None).unwrap(),
            crate::import::Format::WdiDdf
        );
        let mut b = ImportBatch::default();
        parse(name, text::reader_for(bytes), "d", &mut b).unwrap();
        b
    }

    fn at(b: &ImportBatch, id: &str, year: &str) -> f64 {
        b.values(id, year)[0]
    }

    #[test]
    fn imports_the_four_shipped_tariff_files() {
        let simple = run(
            "ddf--datapoints--tm_tax_mrch_sm_ar_zs--by--economy--year.csv",
            include_bytes!("../../data/raw/wdi_tariffs/ddf--datapoints--tm_tax_mrch_sm_ar_zs--by--economy--year.csv"),
        );
        let weighted = run(
            "ddf--datapoints--tm_tax_mrch_wm_ar_zs--by--economy--year.csv",
            include_bytes!("../../data/raw/wdi_tariffs/ddf--datapoints--tm_tax_mrch_wm_ar_zs--by--economy--year.csv"),
        );
        let mfn = run(
            "ddf--datapoints--tm_tax_mrch_sm_fn_zs--by--economy--year.csv",
            include_bytes!("../../data/raw/wdi_tariffs/ddf--datapoints--tm_tax_mrch_sm_fn_zs--by--economy--year.csv"),
        );
        let manf = run(
            "ddf--datapoints--tm_tax_manf_sm_ar_zs--by--economy--year.csv",
            include_bytes!("../../data/raw/wdi_tariffs/ddf--datapoints--tm_tax_manf_sm_ar_zs--by--economy--year.csv"),
        );
        // One series per economy or aggregate, one observation per line, nothing skipped.
        let counts = |b: &ImportBatch| (b.series.len(), b.observations.len(), b.skipped.len());
        assert_eq!(counts(&simple), (206, 4_449, 0));
        assert_eq!(counts(&weighted), (206, 4_137, 0));
        assert_eq!(counts(&mfn), (189, 3_798, 0));
        assert_eq!(counts(&manf), (190, 3_827, 0));

        let fnz = "d.tm-tax-mrch-sm-fn-zs.chn";
        assert_eq!(
            [
                at(&mfn, fnz, "2018"),
                at(&mfn, fnz, "2019"),
                at(&mfn, fnz, "2022")
            ],
            [9.86, 7.45, 7.57]
        );
        let ar = "d.tm-tax-mrch-sm-ar-zs.chn";
        assert_eq!(
            [
                at(&simple, ar, "2018"),
                at(&simple, ar, "2019"),
                at(&simple, ar, "2021")
            ],
            [7.56, 5.39, 5.31]
        );
        let wm = "d.tm-tax-mrch-wm-ar-zs.chn";
        assert_eq!(
            [at(&weighted, wm, "2018"), at(&weighted, wm, "2019")],
            [3.39, 2.53]
        );
        let mf = "d.tm-tax-manf-sm-ar-zs.chn";
        assert_eq!(
            [
                at(&manf, mf, "2018"),
                at(&manf, mf, "2019"),
                at(&manf, mf, "2020")
            ],
            [7.50, 5.21, 5.13]
        );
        assert_eq!(at(&simple, "d.tm-tax-mrch-sm-ar-zs.euu", "2018"), 2.46);
        assert_eq!(at(&weighted, "d.tm-tax-mrch-wm-ar-zs.euu", "2018"), 1.83);
        assert_eq!(at(&simple, "d.tm-tax-mrch-sm-ar-zs.wld", "2017"), 5.17);

        let series = |b: &ImportBatch, code: &str| {
            b.series
                .iter()
                .find(|s| s.destination_code == code)
                .unwrap()
                .clone()
        };
        let china = series(&mfn, "CHN");
        assert_eq!(
            (
                china.indicator.as_str(),
                china.category.as_str(),
                china.unit.as_str(),
                china.destination.as_str(),
                china.destination_kind.as_str(),
                china.origin_code.as_str()
            ),
            (
                "TM.TAX.MRCH.SM.FN.ZS",
                "Tariff rate, most favored nation, simple mean, all products (%)",
                "% (simple mean)",
                "China",
                "economy",
                ""
            )
        );
        for code in ["WLD", "EAS", "EUU", "MNA"] {
            assert_eq!(
                series(&simple, code).destination_kind,
                "aggregate",
                "{code}"
            );
        }
        assert_eq!(series(&weighted, "USA").unit, "% (weighted mean)");
        // The MFN file has no aggregates.
        assert!(mfn.series.iter().all(|s| s.destination_kind == "economy"));
    }

    #[test]
    fn world_bank_codes_and_unknown_ones() {
        let csv =
            "economy,year,tm_tax_x_zs\nxkx,2020,1.5000000000\nchi,2020,2.0000000000\nzzz,2020,1\n";
        let b = run("x.csv", csv.as_bytes());
        let names: Vec<(&str, &str)> = b
            .series
            .iter()
            .map(|s| (s.destination.as_str(), s.destination_code.as_str()))
            .collect();
        assert_eq!(names, [("Kosovo", "XKX"), ("Channel Islands", "CHI")]);
        assert_eq!(
            (b.series[0].indicator.as_str(), b.series[0].unit.as_str()),
            ("TM.TAX.X.ZS", "value")
        );
        assert!(b.skipped[0].reason.contains("'zzz'"));
    }
}
