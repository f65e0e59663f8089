//! CEPII GeoDist country file geo_cepii.csv (Mayer & Zignago 2011): `;`-separated, ISO-8859-1 ("Côte
//! d'Ivoire", "Pékin"), `.` for missing; one row per country and main city, so countries with two cities
//! (a capital and a largest city: AUS, BRA, DEU, USA, …) have two rows with the same area. The area and
//! the landlocked flag are stored once per country; a second city row is reported as skipped.

use super::cepii_dist::{Table, LICENCE, VINTAGE};
use crate::geo::labelled as place;
use super::{
    series_with_places, Defaults, Detect, FormatSpec, ImportError, Parse, RowError, SeriesCache,
    Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::{Place, PlaceKind};
use std::collections::HashMap;
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "cepii-geo",
    defaults: Defaults {
        title: "CEPII GeoDist: country area and geography",
        publisher: "CEPII, GeoDist (Mayer & Zignago 2011)",
        source_url: Some("https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=6"),
        licence: LICENCE,
    },
    detect: Detect::Header(|h| {
        h.starts_with("iso2;iso3;cnum;country;") || h.starts_with("iso2,iso3,cnum,country,")
    }),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

/// (column, indicator, unit) stored per country.
const MEASURES: [(&str, &str, &str); 2] = [
    ("area", "cepii_area", "km²"),
    ("landlocked", "cepii_landlocked", "0/1"),
];

pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let table = Table::read(file, reader, sink)?;
    let (iso3, country, city) = (
        table.column(file, "iso3")?,
        table.column(file, "country")?,
        table.column(file, "city_en")?,
    );
    let measures: Vec<(usize, &str, &str, &str)> = MEASURES
        .iter()
        .map(|&(c, ind, unit)| Ok((table.column(file, c)?, c, ind, unit)))
        .collect::<Result<_, ImportError>>()?;
    let mut cache = SeriesCache::default();
    // The first row's values and city per code: a second city row must repeat them.
    let mut seen: HashMap<String, (Vec<String>, String)> = HashMap::new();
    for (row, record) in &table.rows {
        let get = |i: usize| record.get(i).unwrap_or("").trim();
        let (code, name) = (get(iso3), get(country));
        if code.is_empty() {
            sink.skip(RowError {
                row: *row,
                column: "iso3".into(),
                reason: "missing country code".into(),
            });
            continue;
        }
        let values: Vec<String> = measures.iter().map(|m| get(m.0).to_string()).collect();
        if let Some((first, first_city)) = seen.get(code) {
            let reason = match *first == values {
                true => format!(
                    "{code} again for another city ({}; first row: {first_city}); area and landlocked repeat the first row",
                    get(city)
                ),
                false => format!("{code} again for another city ({}), with other values than the first row: kept the first", get(city)),
            };
            sink.skip(RowError {
                row: *row,
                column: "iso3".into(),
                reason,
            });
            continue;
        }
        seen.insert(code.to_string(), (values, get(city).to_string()));
        for &(i, column, indicator, unit) in &measures {
            let value = match table.number(get(i)) {
                Ok(Some(v)) => v,
                Ok(None) => continue,
                Err(reason) => {
                    sink.skip(RowError {
                        row: *row,
                        column: column.into(),
                        reason,
                    });
                    continue;
                }
            };
            let id = cache.id(sink, &[indicator, code], || {
                let (origin, _) = place(code);
                let s = Series {
                    id: format!("{dataset_id}.{column}.{}", super::slug(code)),
                    dataset_id: dataset_id.to_string(),
                    indicator: indicator.into(),
                    origin: name.to_string(),
                    unit: unit.into(),
                    ..Default::default()
                };
                let none = Place {
                    code: None,
                    kind: PlaceKind::Unknown,
                };
                series_with_places(s, origin, none)
            })?;
            let mut obs = Observation::new(&id, Period::Year(2011), value);
            obs.caveat = Some(VINTAGE.into());
            sink.observation(obs)?;
        }
    }
    Ok(String::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{text, ImportBatch};

    #[test]
    fn imports_the_shipped_latin1_country_file() {
        let bytes = include_bytes!("../../data/raw/cepii/geo_cepii.csv");
        let mut batch = ImportBatch::default();
        parse("geo_cepii.csv", text::reader_for(bytes), "cg", &mut batch).unwrap();
        // 238 rows for 225 countries: 13 second-city rows.
        assert_eq!(batch.skipped.len(), 13);
        assert!(batch
            .skipped
            .iter()
            .all(|e| e.reason.contains("repeat the first row")));
        assert_eq!((batch.series.len(), batch.observations.len()), (450, 450));
        let civ = batch.series.iter().find(|s| s.id == "cg.area.civ").unwrap();
        assert_eq!(civ.origin, "Côte d'Ivoire");
        assert_eq!(civ.origin_code, "CIV");
        assert_eq!(batch.values("cg.area.chn", "2011"), [9_572_378.0]);
        assert_eq!(batch.values("cg.landlocked.bol", "2011"), [1.0]);
        let rom = batch.series.iter().find(|s| s.id == "cg.area.rom").unwrap();
        assert_eq!(rom.origin_code, "ROU");
        assert!(batch
            .observations
            .iter()
            .all(|o| o.caveat.as_deref() == Some(VINTAGE)));
        let usa = batch
            .skipped
            .iter()
            .find(|e| e.reason.starts_with("USA"))
            .unwrap();
        assert!(usa.reason.contains("Washington, DC"), "{}", usa.reason);
    }
}
