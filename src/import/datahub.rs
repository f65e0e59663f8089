//! datahub.io "core" Data Packages of World Bank indicators: a long CSV `Country Name, Country Code, Year,
//! Value` (CRLF, floats with many decimals, no final newline in gdp.csv). The indicator is not in the
//! file, only in its name: `gdp.csv` is NY.GDP.MKTP.CD, `population.csv` SP.POP.TOTL; any other file keeps
//! its name as the indicator. Countries and aggregates (World, regions) are told apart by the place table.

use super::{
    base_stem, series_with_places, slug, text::number, text::Rows, Defaults, Detect, FormatSpec,
    ImportError, Parse, RowError, SeriesCache, Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::{from_code, Place, PlaceKind};
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "datahub",
    defaults: Defaults {
        title: "World Bank indicator (datahub.io data package)",
        publisher: "World Bank, World Development Indicators, packaged by datahub.io",
        source_url: Some("https://datahub.io/core"),
        licence: "Package ODC-PDDL-1.0; the data are the World Bank's (CC BY 4.0): attribute \"World Bank, World Development Indicators\"",
    },
    detect: Detect::Header(|h| h == "country name,country code,year,value"),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

const REQUIRED: [&str; 4] = ["country name", "country code", "year", "value"];

/// (indicator code, its name as category, unit) for a package's file name.
fn indicator(file: &str) -> (String, String, String) {
    match base_stem(file).as_str() {
        "gdp" => (
            "NY.GDP.MKTP.CD".into(),
            "GDP (current US$)".into(),
            "current US$".into(),
        ),
        "population" => (
            "SP.POP.TOTL".into(),
            "Population, total".into(),
            "people".into(),
        ),
        other => (slug(other), other.to_string(), "value".into()),
    }
}

pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let (indicator, category, unit) = indicator(file);
    let (mut rows, _, columns) = Rows::open(file, reader, &REQUIRED)?;
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
                sink.skip(fail("Year", e.to_string()));
                continue;
            }
        };
        let value = match number(get("value")) {
            Ok(Some(v)) => v,
            Ok(None) => continue,
            Err(e) => {
                sink.skip(fail("Value", e));
                continue;
            }
        };
        let (name, code) = (get("country name"), get("country code"));
        if code.is_empty() {
            sink.skip(fail("Country Code", "empty country code".into()));
            continue;
        }
        let id = cache.id(sink, &[name, code], || {
            let s = Series {
                id: format!("{dataset_id}.{}.{}", slug(&indicator), slug(code)),
                dataset_id: dataset_id.to_string(),
                indicator: indicator.clone(),
                origin: name.to_string(),
                category: category.clone(),
                unit: unit.clone(),
                ..Default::default()
            };
            let none = Place {
                code: None,
                kind: PlaceKind::Unknown,
            };
            series_with_places(s, from_code(code, name), none)
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
        let mut batch = ImportBatch::default();
        parse(name, text::reader_for(bytes), "d", &mut batch).unwrap();
        assert!(batch.skipped.is_empty(), "{:?}", batch.skipped);
        batch
    }

    #[test]
    fn imports_the_shipped_gdp_and_population() {
        let gdp = run(
            "data/raw/datahub/gdp.csv",
            include_bytes!("../../data/raw/datahub/gdp.csv"),
        );
        assert_eq!((gdp.series.len(), gdp.observations.len()), (262, 13_979));
        let v = |b: &ImportBatch, id: &str, p: &str| b.values(id, p)[0];
        assert!((v(&gdp, "d.ny-gdp-mktp-cd.chn", "2023") / 1e12 - 17.795).abs() < 0.001);
        assert!((v(&gdp, "d.ny-gdp-mktp-cd.usa", "2023") / 1e12 - 27.361).abs() < 0.001);
        assert_eq!(
            (v(&gdp, "d.ny-gdp-mktp-cd.wld", "2023") / 1e11).round(),
            1_054.0
        );
        // The last line has no newline and still counts, to the last digit.
        let last = gdp.observations.last().unwrap();
        assert_eq!(last.value, 26_538_273_498.846_14);
        let world = gdp.series.iter().find(|s| s.origin_code == "WLD").unwrap();
        assert_eq!(world.origin_kind, "aggregate");
        let china = gdp.series.iter().find(|s| s.origin_code == "CHN").unwrap();
        assert_eq!(
            (
                china.indicator.as_str(),
                china.category.as_str(),
                china.unit.as_str(),
                china.origin_kind.as_str()
            ),
            (
                "NY.GDP.MKTP.CD",
                "GDP (current US$)",
                "current US$",
                "economy"
            )
        );

        let pop = run(
            "population.csv",
            include_bytes!("../../data/raw/datahub/population.csv"),
        );
        assert_eq!((pop.series.len(), pop.observations.len()), (265, 17_195));
        assert_eq!(pop.values("d.sp-pop-totl.chn", "2024"), [1_408_975_000.0]);
        assert_eq!(pop.values("d.sp-pop-totl.ind", "2024"), [1_450_935_791.0]);
        assert_eq!(pop.series[0].unit, "people");
    }

    #[test]
    fn other_packages_keep_their_file_name_as_indicator() {
        let b = run(
            "co2-emissions.csv",
            b"Country Name,Country Code,Year,Value\r\nChina,CHN,2020,1.5",
        );
        assert_eq!(
            (b.series[0].indicator.as_str(), b.series[0].unit.as_str()),
            ("co2-emissions", "value")
        );
    }
}
