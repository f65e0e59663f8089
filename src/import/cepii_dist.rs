//! CEPII GeoDist dyadic distances (Mayer & Zignago 2011): `iso_o, iso_d, contig, comlang_off, …, dist,
//! distcap, distw, distwces`, one row per country pair. CEPII's own dist_cepii.csv is `;`-separated with
//! decimal commas; extracts saved again (our derived China rows) use `,` and dots: the header says which.
//! `.` means missing. Codes are the 2011 ones (ROM, ZAR, TMP, PAL, YUG, ANT). The figures are a 2011
//! vintage, not observations of 2011: the period says 2011 and the caveat says what it means.

use super::{
    series_with_places, slug, Defaults, Detect, FormatSpec, ImportError, Parse, RowError,
    SeriesCache, Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::labelled as place;
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "cepii-dist",
    defaults: Defaults {
        title: "CEPII GeoDist: distances between countries",
        publisher: "CEPII, GeoDist (Mayer & Zignago 2011)",
        source_url: Some("https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=6"),
        licence: LICENCE,
    },
    detect: Detect::Header(|h| h.starts_with("iso_o,iso_d,") || h.starts_with("iso_o;iso_d;")),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

pub const LICENCE: &str = "Cite Mayer, T. & Zignago, S. (2011), \"Notes on CEPII's distances measures: the GeoDist \
database\", CEPII Working Paper 2011-25. CEPII's terms were not verified here (reported as Etalab Open Licence 2.0).";

pub const VINTAGE: &str = "GeoDist 2011 vintage";

/// (column, indicator, unit) stored from each pair.
const MEASURES: [(&str, &str, &str); 5] = [
    ("distw", "cepii_distw", "km"),
    ("distcap", "cepii_distcap", "km"),
    ("dist", "cepii_dist", "km"),
    ("contig", "cepii_contig", "0/1"),
    ("comlang_off", "cepii_comlang_off", "0/1"),
];

/// A CEPII table read whole (the files are a few MB): rows split on the separator its header uses.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(u64, csv::StringRecord)>,
    /// `;`-separated files write decimal commas.
    pub decimal_comma: bool,
}

impl Table {
    pub fn read(
        file: &str,
        mut reader: Box<dyn Read + Send>,
        sink: &mut dyn Sink,
    ) -> Result<Table, ImportError> {
        let mut text = String::new();
        reader
            .read_to_string(&mut text)
            .map_err(|e| ImportError::Unreadable {
                file: file.into(),
                reason: e.to_string(),
            })?;
        let first = text.lines().next().unwrap_or("");
        let delimiter = if first.contains(';') { b';' } else { b',' };
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(text.as_bytes());
        let header = csv
            .headers()
            .map_err(|e| ImportError::NotATable {
                file: file.into(),
                reason: e.to_string(),
            })?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let mut rows = Vec::new();
        for (i, record) in csv.records().enumerate() {
            let row = i as u64 + 2;
            match record {
                Ok(r) => rows.push((row, r)),
                Err(e) => sink.skip(RowError {
                    row,
                    column: String::new(),
                    reason: e.to_string(),
                }),
            }
        }
        Ok(Table {
            header,
            rows,
            decimal_comma: delimiter == b';',
        })
    }

    pub fn column(&self, file: &str, name: &str) -> Result<usize, ImportError> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| ImportError::MissingColumn {
                file: file.into(),
                column: name.into(),
            })
    }

    /// A number as CEPII writes it: `.` (or empty) is missing; decimal commas in `;` files.
    pub fn number(&self, raw: &str) -> Result<Option<f64>, String> {
        let s = raw.trim();
        if s.is_empty() || s == "." {
            return Ok(None);
        }
        let parsed = match self.decimal_comma {
            true => s.replace(',', ".").parse::<f64>(),
            false => s.parse::<f64>(),
        };
        match parsed {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(format!("'{s}' is not a number")),
        }
    }
}


pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let table = Table::read(file, reader, sink)?;
    let (o, d) = (table.column(file, "iso_o")?, table.column(file, "iso_d")?);
    let measures: Vec<(usize, &str, &str, &str)> = MEASURES
        .iter()
        .map(|&(c, ind, unit)| Ok((table.column(file, c)?, c, ind, unit)))
        .collect::<Result<_, ImportError>>()?;
    let mut cache = SeriesCache::default();
    for (row, record) in &table.rows {
        let (iso_o, iso_d) = (
            record.get(o).unwrap_or("").trim(),
            record.get(d).unwrap_or("").trim(),
        );
        if iso_o.is_empty() || iso_d.is_empty() {
            sink.skip(RowError {
                row: *row,
                column: "iso_o".into(),
                reason: "missing country code".into(),
            });
            continue;
        }
        for &(i, column, indicator, unit) in &measures {
            let value = match table.number(record.get(i).unwrap_or("")) {
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
            let id = cache.id(sink, &[indicator, iso_o, iso_d], || {
                let (origin, o_label) = place(iso_o);
                let (destination, d_label) = place(iso_d);
                let s = Series {
                    id: format!("{dataset_id}.{column}.{}.{}", slug(iso_o), slug(iso_d)),
                    dataset_id: dataset_id.to_string(),
                    indicator: indicator.into(),
                    origin: o_label,
                    destination: d_label,
                    unit: unit.into(),
                    ..Default::default()
                };
                series_with_places(s, origin, destination)
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

    fn run(bytes: &[u8]) -> ImportBatch {
        let mut batch = ImportBatch::default();
        parse("dist.csv", text::reader_for(bytes), "cd", &mut batch).unwrap();
        assert!(batch.skipped.is_empty(), "{:?}", batch.skipped);
        batch
    }

    #[test]
    fn imports_the_shipped_distances_from_china() {
        let batch = run(include_bytes!(
            "../../data/derived/cepii_distances_from_china.csv"
        ));
        // 224 pairs × 5 measures, less 5 missing distw ('.': CCK, CXR, MAC, MSR, PCN).
        assert_eq!(batch.observations.len(), 1_115);
        assert_eq!(batch.series.len(), 1_115);
        assert_eq!(batch.values("cd.distcap.chn.jpn", "2011"), [2098.111]);
        assert_eq!(batch.values("cd.distcap.chn.usa", "2011"), [11159.25]);
        assert_eq!(batch.values("cd.distcap.chn.deu", "2011"), [7363.33]);
        assert!(batch.values("cd.distw.chn.mac", "2011").is_empty());
        let contiguous: Vec<&str> = batch
            .observations
            .iter()
            .filter(|o| o.series_id.starts_with("cd.contig.") && o.value == 1.0)
            .map(|o| o.series_id.as_str())
            .collect();
        assert_eq!(contiguous.len(), 16);
        assert!(
            contiguous.contains(&"cd.contig.chn.hkg") && contiguous.contains(&"cd.contig.chn.mac")
        );
        assert!(batch
            .observations
            .iter()
            .all(|o| o.caveat.as_deref() == Some(VINTAGE)));
        let rom = batch
            .series
            .iter()
            .find(|s| s.id == "cd.dist.chn.rom")
            .unwrap();
        assert_eq!(
            (rom.destination_code.as_str(), rom.destination.as_str()),
            ("ROU", "Romania")
        );
        let yug = batch
            .series
            .iter()
            .find(|s| s.id == "cd.dist.chn.yug")
            .unwrap();
        assert_eq!(yug.destination_kind, "historical");
    }

    #[test]
    fn reads_cepii_original_semicolons_and_decimal_commas() {
        let csv = "iso_o;iso_d;contig;comlang_off;comlang_ethno;colony;comcol;curcol;col45;smctry;dist;distcap;distw;distwces\n\
                   ZAR;ROM;0;1;0;0;0;0;0;0;6242,916;6242,916;6196,471;.\n";
        let batch = run(csv.as_bytes());
        assert_eq!(batch.values("cd.dist.zar.rom", "2011"), [6242.916]);
        assert_eq!(batch.values("cd.distw.zar.rom", "2011"), [6196.471]);
        assert_eq!(batch.observations.len(), 5);
        let s = batch
            .series
            .iter()
            .find(|s| s.id == "cd.dist.zar.rom")
            .unwrap();
        assert_eq!(
            (s.origin_code.as_str(), s.destination_code.as_str()),
            ("COD", "ROU")
        );
    }
}
