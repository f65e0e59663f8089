//! Our World in Data grapher CSV: `Entity, Code, Year, <value column named by its long title>`. Regions
//! have an empty Code (aggregates); OWID_WRL is the World. The file may lack a final newline.

use super::{
    series_with_places, slug, text::number, text::Rows, Defaults, Detect, FormatSpec, ImportError,
    Parse, RowError, SeriesSet, Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::{from_code, Place, PlaceKind};
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "owid",
    defaults: Defaults {
        title: "Our World in Data grapher data",
        publisher: "Our World in Data",
        source_url: Some("https://ourworldindata.org/"),
        licence: "see the original data provider's terms; attribution required",
    },
    detect: Detect::Header(|h| h.starts_with("entity,code,year,")),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

fn unit(title: &str) -> String {
    let t = title.to_ascii_lowercase();
    if t.contains("share of gdp") || t.contains("% of gdp") {
        "% of GDP".into()
    } else if let Some(u) = super::wdi::unit_from_name(title) {
        u
    } else {
        "value".into()
    }
}

pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let (mut rows, headers, _) = Rows::open(file, reader, &[])?;
    let names: Vec<&str> = headers.iter().map(str::trim).collect();
    if names.len() < 4 || names[..3] != ["Entity", "Code", "Year"] {
        return Err(ImportError::MissingColumn {
            file: file.into(),
            column: "Entity, Code, Year".into(),
        });
    }
    let titles: Vec<String> = names[3..].iter().map(|s| s.to_string()).collect();
    let mut set = SeriesSet::default();
    while let Some((row, record)) = rows.next(sink)? {
        let (entity, code, year) = (
            record.get(0).unwrap_or("").trim(),
            record.get(1).unwrap_or("").trim(),
            record.get(2).unwrap_or("").trim(),
        );
        let period: Period = match year.parse() {
            Ok(p) => p,
            Err(e) => {
                sink.skip(RowError {
                    row,
                    column: "Year".into(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        for (k, title) in titles.iter().enumerate() {
            let value = match number(record.get(3 + k).unwrap_or("")) {
                Ok(Some(v)) => v,
                Ok(None) => continue,
                Err(reason) => {
                    sink.skip(RowError {
                        row,
                        column: title.clone(),
                        reason,
                    });
                    continue;
                }
            };
            let series = Series {
                id: format!(
                    "{dataset_id}.{}.{}",
                    slug(title).chars().take(60).collect::<String>(),
                    slug(if code.is_empty() { entity } else { code })
                ),
                dataset_id: dataset_id.to_string(),
                indicator: slug(title).chars().take(80).collect(),
                origin: entity.to_string(),
                category: title.clone(),
                unit: unit(title),
                ..Default::default()
            };
            let series = series_with_places(
                series,
                from_code(code, entity),
                Place {
                    code: None,
                    kind: PlaceKind::Unknown,
                },
            );
            let id = set.ensure(sink, series)?;
            sink.observation(Observation::new(&id, period, value))?;
        }
    }
    Ok("Entities without a code are regions (aggregates); OWID_WRL is the World.".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{text, ImportBatch};

    #[test]
    fn imports_the_shipped_owid_file() {
        let bytes = include_bytes!("../../data/raw/owid/merchandise-exports-gdp-cepii.csv");
        assert_ne!(
            bytes.last(),
            Some(&b'\n'),
            "the sample has no final newline"
        );
        let reader = text::reader_for(bytes);
        let mut batch = ImportBatch::default();
        parse("owid.csv", reader, "owid", &mut batch).unwrap();
        assert!(batch.skipped.is_empty());
        let rows = String::from_utf8_lossy(bytes).lines().count() - 1;
        assert_eq!(
            batch.observations.len(),
            rows,
            "every row, including the last one without newline"
        );
        assert_eq!(batch.series.len(), 211);
        let afg = batch
            .series
            .iter()
            .find(|s| s.origin_code == "AFG")
            .unwrap();
        assert_eq!(afg.unit, "% of GDP");
        assert_eq!(batch.values(&afg.id, "1956"), [21.65766]);
        let world = batch
            .series
            .iter()
            .find(|s| s.origin_code == "WLD")
            .unwrap();
        assert_eq!(world.origin_kind, "aggregate");
        assert!(
            batch
                .series
                .iter()
                .any(|s| s.origin_code.is_empty() && s.origin_kind == "aggregate"),
            "regions without code"
        );
    }
}
