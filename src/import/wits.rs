//! World Bank WITS trade summary CSV: a wide table with years descending, numbers padded with spaces,
//! `...` for "no value" (where Reporter/Partner/Product don't apply too), and many indicators in one file
//! (Indicator Type + Indicator), each with its own unit in the indicator's name.

use super::{
    emit_wide, series_with_places, slug, text::number, text::Rows, Defaults, Detect, FormatSpec,
    ImportError, Parse, RowError, SeriesSet, Sink,
};
use crate::domain::{Period, Series};
use crate::geo::harmonise;
use std::io::Read;

pub const SPEC: FormatSpec = FormatSpec {
    name: "wits",
    defaults: Defaults {
        title: "WITS trade summary",
        publisher: "World Bank (WITS)",
        source_url: Some("https://wits.worldbank.org/"),
        licence: "World Bank WITS terms; attribution required",
    },
    detect: Detect::Header(|h| {
        h.starts_with("reporter,partner,product categories,indicator type,indicator")
    }),
    parse: Parse::Text(|file, reader, dataset_id, _, sink| parse(file, reader, dataset_id, sink)),
};

/// "Trade (US$ Mil)" → "US$ million"; "Export Product share(%)" → "%"; counts have no parenthesis.
fn unit(indicator: &str) -> String {
    let raw = super::wdi::unit_from_name(indicator);
    match raw.as_deref() {
        Some(u) => u
            .replace(" Mil", " million")
            .replace("US$ Thousand", "US$ thousand")
            .trim()
            .to_string(),
        None if indicator.to_ascii_lowercase().starts_with("no. of") => "count".into(),
        None => "value".into(),
    }
}

fn dimension(s: &str) -> &str {
    match s.trim() {
        "..." => "",
        other => other,
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
    for (i, want) in [
        "Reporter",
        "Partner",
        "Product categories",
        "Indicator Type",
        "Indicator",
    ]
    .iter()
    .enumerate()
    {
        if names.get(i) != Some(want) {
            return Err(ImportError::MissingColumn {
                file: file.into(),
                column: want.to_string(),
            });
        }
    }
    let years: Vec<(usize, Period)> = names
        .iter()
        .enumerate()
        .skip(5)
        .filter_map(|(i, h)| h.parse().ok().map(|p| (i, p)))
        .collect();
    let mut set = SeriesSet::default();
    while let Some((row, record)) = rows.next(sink)? {
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let (reporter, partner, product, kind, indicator) = (
            dimension(field(0)),
            dimension(field(1)),
            dimension(field(2)),
            field(3),
            field(4),
        );
        if indicator.is_empty() {
            sink.skip(RowError {
                row,
                column: "Indicator".into(),
                reason: "empty indicator".into(),
            });
            continue;
        }
        let category = match product {
            "" => indicator.to_string(),
            p => format!("{indicator}: {p}"),
        };
        let series = Series {
            id: format!(
                "{dataset_id}.{}.{}.{}.{}",
                slug(kind),
                slug(indicator),
                slug(partner),
                slug(product)
            ),
            dataset_id: dataset_id.to_string(),
            indicator: format!("wits_{}", slug(&format!("{kind} {indicator}"))),
            origin: reporter.to_string(),
            destination: partner.to_string(),
            category,
            unit: unit(indicator),
            notes: format!("WITS indicator type: {kind}"),
            ..Default::default()
        };
        let series = series_with_places(series, harmonise(reporter), harmonise(partner));
        let cells = years.iter().map(|(i, p)| (*p, number(field(*i))));
        emit_wide(sink, &mut set, &series, row, "", cells)?;
    }
    Ok("Years are published in descending order and values padded with spaces; '...' marks no value.".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{text, ImportBatch};

    #[test]
    fn imports_the_shipped_wits_summary() {
        let bytes = include_bytes!("../../data/raw/wits/en_CHN_AllYears_WITS_Trade_Summary.CSV");
        let reader = text::reader_for(bytes);
        let mut batch = ImportBatch::default();
        parse("wits.CSV", reader, "wits", &mut batch).unwrap();
        assert!(
            batch.skipped.is_empty(),
            "{:?}",
            &batch.skipped[..batch.skipped.len().min(3)]
        );
        let gdp = batch
            .series
            .iter()
            .find(|s| s.category == "GDP (current US$ Mil)")
            .unwrap();
        assert_eq!(gdp.unit, "current US$ million");
        assert_eq!(gdp.destination, "", "'...' partner means none");
        assert_eq!(
            batch.values(&gdp.id, "2019"),
            [14279900.0],
            "space-padded number read exactly"
        );
        let partners = batch
            .series
            .iter()
            .find(|s| s.category == "No. Of Export partners")
            .unwrap();
        assert_eq!(partners.unit, "count");
        assert!(
            batch.series.iter().any(|s| s.destination_code == "VNM"),
            "Vietnam harmonised"
        );
        assert!(batch
            .series
            .iter()
            .any(|s| s.category.contains("Textiles and Clothing")));
    }
}
