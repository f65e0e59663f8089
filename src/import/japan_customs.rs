//! Japan Customs' trade statistics as annual sums by an R data package, one area at a time: `ex_im, area,
//! goods, year, value, unit, complete` (area "Grand Total" = all areas, i.e. the World). Values are float
//! sums of monthly figures, stored as published.
//!
//! `complete = no` marks part years, which must not pass for full years: 2026 holds January–March only,
//! and goods labels changed in April 2017, so a label's 2017 figure covers January–March if the label
//! existed before 2017 and April–December if it did not. Those rows wait until the whole file is read.

use super::{
    series_with_places, slug, text::number, text::Rows, Defaults, Detect, FormatSpec, ImportError,
    Parse, RowError, SeriesCache, Sink,
};
use crate::domain::{Observation, Period, Series};
use crate::geo::{harmonise, Place, PlaceKind};
use std::collections::HashSet;
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "japan-customs",
    defaults: Defaults {
        title: "Japan Customs: trade by area and goods group (annual sums)",
        publisher: "Ministry of Finance Japan, Trade Statistics of Japan; annual sums computed by the R package author",
        source_url: Some("https://www.customs.go.jp/toukei/info/index_e.htm"),
        licence: "Japan Customs' terms of use were not verified; cite \"Ministry of Finance, Trade Statistics of Japan\" and say that the annual sums were computed.",
    },
    detect: Detect::Header(|h| h.starts_with("ex_im,area,goods,year,value,unit")),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

const REQUIRED: [&str; 7] = [
    "ex_im", "area", "goods", "year", "value", "unit", "complete",
];

pub const NOTES: &str = "Goods groups are nested (Grand Total ⊃ sections ⊃ 'of which' items): never add them. \
Exports FOB by final destination, imports CIF by country of origin. Area 'Grand Total' (all areas) is stored as World.";

/// A row marked incomplete, kept until the whole file shows which labels existed before its year.
struct PartYear {
    row: u64,
    flow: String,
    area: String,
    goods: String,
    unit: String,
    year: i32,
    value: f64,
}

pub fn parse(
    file: &str,
    reader: Box<dyn Read + Send>,
    dataset_id: &str,
    sink: &mut dyn Sink,
) -> Result<String, ImportError> {
    let (mut rows, _, columns) = Rows::open(file, reader, &REQUIRED)?;
    let mut cache = SeriesCache::default();
    // (flow, goods) labels with a complete year before 2017.
    let mut before_2017: HashSet<(String, String)> = HashSet::new();
    let mut part_years = Vec::new();
    while let Some((row, record)) = rows.next(sink)? {
        let get = |name: &str| columns.get(record, name);
        let fail = |column: &str, reason: String| RowError {
            row,
            column: column.into(),
            reason,
        };
        let year: i32 = match get("year").parse() {
            Ok(y) => y,
            Err(_) => {
                sink.skip(fail("year", format!("'{}' is not a year", get("year"))));
                continue;
            }
        };
        let value = match number(get("value")) {
            Ok(Some(v)) => v,
            Ok(None) => {
                sink.skip(fail("value", "empty value".into()));
                continue;
            }
            Err(e) => {
                sink.skip(fail("value", e));
                continue;
            }
        };
        let (flow, area, goods, unit) = (get("ex_im"), get("area"), get("goods"), get("unit"));
        if flow != "export" && flow != "import" {
            sink.skip(fail(
                "ex_im",
                format!("'{flow}' is neither export nor import"),
            ));
            continue;
        }
        match get("complete") {
            "yes" => {
                if year < 2017 {
                    before_2017.insert((flow.to_string(), goods.to_string()));
                }
                let id = series(&mut cache, sink, dataset_id, flow, area, goods, unit)?;
                sink.observation(Observation::new(&id, Period::Year(year), value))?;
            }
            "no" => part_years.push(PartYear {
                row,
                flow: flow.into(),
                area: area.into(),
                goods: goods.into(),
                unit: unit.into(),
                year,
                value,
            }),
            other => sink.skip(fail("complete", format!("'{other}' is neither yes nor no"))),
        }
    }
    for p in part_years {
        let existed = before_2017.contains(&(p.flow.clone(), p.goods.clone()));
        let (period, caveat) = match p.year {
            2026 => (
                "2026-01/2026-03",
                "January–March 2026 only (the source's last update is March 2026)",
            ),
            2017 if existed => (
                "2017-01/2017-03",
                "January–March 2017 only: this goods label was replaced in April 2017",
            ),
            2017 => (
                "2017-04/2017-12",
                "April–December 2017 only: this goods label was introduced in April 2017",
            ),
            _ => {
                sink.skip(RowError {
                    row: p.row,
                    column: "complete".into(),
                    reason: format!(
                        "{}: marked incomplete, but which months it covers is not known",
                        p.year
                    ),
                });
                continue;
            }
        };
        let id = series(
            &mut cache, sink, dataset_id, &p.flow, &p.area, &p.goods, &p.unit,
        )?;
        let mut o = Observation::new(&id, period.parse().expect("a valid range"), p.value);
        o.caveat = Some(caveat.to_string());
        sink.observation(o)?;
    }
    Ok(String::new())
}

fn series(
    cache: &mut SeriesCache,
    sink: &mut dyn Sink,
    dataset_id: &str,
    flow: &str,
    area: &str,
    goods: &str,
    unit: &str,
) -> Result<String, ImportError> {
    cache.id(sink, &[flow, area, goods, unit], || {
        let (partner, label) = match area {
            "Grand Total" => (
                Place {
                    code: Some("WLD".into()),
                    kind: PlaceKind::Aggregate,
                },
                "World".to_string(),
            ),
            other => (harmonise(other), other.to_string()),
        };
        let japan = (harmonise("Japan"), "Japan".to_string());
        let (indicator, f, origin, destination) = match flow {
            "export" => ("japan_customs_exports", "x", japan, (partner, label)),
            _ => ("japan_customs_imports", "m", (partner, label), japan),
        };
        let s = Series {
            id: format!("{dataset_id}.{f}.{}.{}", slug(area), slug(goods)),
            dataset_id: dataset_id.to_string(),
            indicator: indicator.into(),
            origin: origin.1,
            destination: destination.1,
            category: goods.to_string(),
            unit: unit.to_string(),
            notes: NOTES.into(),
            ..Default::default()
        };
        series_with_places(s, origin.0, destination.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{text, ImportBatch};

    #[test]
    fn imports_the_shipped_japan_file_with_part_years() {
        let bytes =
            include_bytes!("../../data/derived/japan_customs_trade_with_china_by_commodity.csv");
        let mut batch = ImportBatch::default();
        parse("j.csv", text::reader_for(bytes), "j", &mut batch).unwrap();
        assert!(batch.skipped.is_empty(), "{:?}", batch.skipped);
        assert_eq!(batch.observations.len(), 3_718);
        assert_eq!(batch.series.len(), SERIES);
        let near = |id: &str, period: &str, want: f64| {
            let v = batch.values(id, period);
            assert_eq!(v.len(), 1, "{id} {period}");
            assert!(
                (v[0] - want).abs() < 0.05,
                "{id} {period}: {} vs {want}",
                v[0]
            );
        };
        near("j.x.grand-total.grand-total", "2024", 107_087.5);
        near("j.m.china.grand-total", "2024", 25_313.2);
        near("j.x.china.grand-total", "2024", 18_862.5);
        let world = batch
            .series
            .iter()
            .find(|s| s.id == "j.x.grand-total.grand-total")
            .unwrap();
        assert_eq!(
            (world.origin_code.as_str(), world.destination_code.as_str()),
            ("JPN", "WLD")
        );
        assert_eq!(world.destination_kind, "aggregate");
        assert_eq!(world.unit, "billion yen per year");
        let from_china = batch
            .series
            .iter()
            .find(|s| s.id == "j.m.china.grand-total")
            .unwrap();
        assert_eq!(
            (
                from_china.origin_code.as_str(),
                from_china.destination_code.as_str()
            ),
            ("CHN", "JPN")
        );
        // Part years: never a full 2026 or a full 2017 for relabelled goods.
        assert!(batch.values("j.x.china.grand-total", "2026").is_empty());
        assert_eq!(
            batch
                .values("j.x.china.grand-total", "2026-01/2026-03")
                .len(),
            1
        );
        assert_eq!(
            batch
                .values("j.x.china.audio-apparatus", "2017-01/2017-03")
                .len(),
            1
        );
        assert_eq!(
            batch
                .values("j.x.china.audio-visual-apparatus", "2017-04/2017-12")
                .len(),
            1
        );
        assert!(batch
            .values("j.x.china.audio-visual-apparatus", "2017")
            .is_empty());
        let ranges = |p: &str| {
            batch
                .observations
                .iter()
                .filter(|o| o.period.to_string() == p)
                .count()
        };
        assert_eq!(ranges("2026-01/2026-03"), 206);
        assert_eq!(ranges("2017-01/2017-03") + ranges("2017-04/2017-12"), 16);
        assert_eq!(ranges("2017-01/2017-03"), PRE_APRIL_2017);
        assert!(batch
            .observations
            .iter()
            .filter(|o| matches!(o.period, Period::Range { .. }))
            .all(|o| o.caveat.is_some()));
    }

    // 54 goods labels per flow × 2 areas × 2 flows.
    const SERIES: usize = 216;
    // 4 labels replaced in April 2017 × 2 areas (the other 4 were introduced then).
    const PRE_APRIL_2017: usize = 8;
}
