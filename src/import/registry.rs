//! The file formats Tradewinds reads. Each format module describes itself in one [`FormatSpec`] (its
//! name, dataset defaults, how it is recognised and how it is read) and [`Format::ALL`] lists them, so
//! adding a format is a new module with its `SPEC` plus one line here. Detection, the dataset defaults
//! and the parse dispatch below only read the specs.

use super::input::XLSX_LIMIT;
use super::{
    cepii_dist, cepii_geo, comtrade, comtrade_legacy, datahub, imf_dots, japan_customs, layout,
    long, lpi, oec_hs2, ots, ots_products, ots_world, owid, slug, text, us_tariffs_by_country,
    us_tariffs_hs2, wdi, wdi_ddf, wits, wto_mfn, xlsx_long, ImportError, Input, Options, Progress,
    Sink,
};
use crate::domain::Dataset;
use serde::{Serialize, Serializer};
use std::fmt;
use std::io::Read;
use std::str::FromStr;

/// Everything the importer knows about one format.
pub struct FormatSpec {
    /// What users type after `--format` and summaries print: lowercase, words joined by '-'.
    pub name: &'static str,
    /// How a dataset from this format is titled and credited unless the user says otherwise.
    pub defaults: Defaults,
    pub detect: Detect,
    pub parse: Parse,
}

/// A dataset's metadata when the user gives none.
pub struct Defaults {
    /// Followed by " — " and the file's name.
    pub title: &'static str,
    pub publisher: &'static str,
    pub source_url: Option<&'static str>,
    pub licence: &'static str,
}

/// How [`detect`] recognises a format. Text rules see the first non-empty line, unquoted and lowercase.
pub enum Detect {
    /// A preamble line only this publisher writes above its table; tried before any header rule.
    Preamble(fn(&str) -> bool),
    /// A header only this publisher writes; tried in [`Format::ALL`] order.
    Header(fn(&str) -> bool),
    /// A header naming all these columns in any order; tried last, since any header may contain them.
    Columns(&'static [&'static str]),
    /// A workbook whose content shows it is this format.
    Workbook(fn(&[u8]) -> bool),
    /// Any other workbook.
    AnyWorkbook,
}

impl Detect {
    /// Text rules are tried in this order, the most specific first.
    fn rank(&self) -> u8 {
        match self {
            Detect::Preamble(_) => 0,
            Detect::Header(_) => 1,
            Detect::Columns(_) => 2,
            Detect::Workbook(_) | Detect::AnyWorkbook => 3,
        }
    }
}

/// The parser signature for text formats: file name (for messages), decoded text, dataset id, the user's
/// options, where rows go. Returns notes for the dataset (e.g. what a file's quirks meant).
pub type TextParser =
    fn(&str, Box<dyn Read + Send>, &str, &Options, &mut dyn Sink) -> Result<String, ImportError>;
/// The parser signature for workbooks: file name, the whole file, dataset id, where rows go.
pub type WorkbookParser = fn(&str, &[u8], &str, &mut dyn Sink) -> Result<String, ImportError>;

/// How a format is read.
pub enum Parse {
    /// Streamed as text, decoded from the encoding detected (or named) first.
    Text(TextParser),
    /// Read whole into memory (up to `XLSX_LIMIT`): workbooks cannot be streamed.
    Workbook(WorkbookParser),
}

/// A file format Tradewinds reads: a handle on its [`FormatSpec`]. Serialises as its name.
#[derive(Clone, Copy)]
pub struct Format(&'static FormatSpec);

// Formats for callers that pick one in code (the shipped files in `seed`); any format also parses from its
// name. Capitalised like enum variants because that is how they read at the call site.
#[allow(non_upper_case_globals)]
impl Format {
    pub const Long: Format = Format(&long::SPEC);
    pub const Comtrade: Format = Format(&comtrade::SPEC);
    pub const Wdi: Format = Format(&wdi::SPEC);
    pub const Wits: Format = Format(&wits::SPEC);
    pub const ImfDots: Format = Format(&imf_dots::SPEC);
    pub const Owid: Format = Format(&owid::SPEC);
    pub const XlsxLong: Format = Format(&xlsx_long::SPEC);
    pub const Ots: Format = Format(&ots::SPEC);
    pub const OtsWorld: Format = Format(&ots_world::SPEC);
    pub const OtsProducts: Format = Format(&ots_products::SPEC);
    pub const ComtradeLegacy: Format = Format(&comtrade_legacy::SPEC);
    pub const JapanCustoms: Format = Format(&japan_customs::SPEC);
    pub const OecHs2: Format = Format(&oec_hs2::SPEC);
    pub const Datahub: Format = Format(&datahub::SPEC);
    pub const CepiiDist: Format = Format(&cepii_dist::SPEC);
    pub const CepiiGeo: Format = Format(&cepii_geo::SPEC);
    pub const Lpi: Format = Format(&lpi::SPEC);
    pub const UsTariffsHs2: Format = Format(&us_tariffs_hs2::SPEC);
    pub const UsTariffsByCountry: Format = Format(&us_tariffs_by_country::SPEC);
    pub const WtoMfn: Format = Format(&wto_mfn::SPEC);
    pub const WdiDdf: Format = Format(&wdi_ddf::SPEC);
}

impl Format {
    /// Every format, in the order they are listed to users and tried by [`detect`].
    pub const ALL: &'static [Format] = &[
        Format(&long::SPEC),
        Format(&comtrade::SPEC),
        Format(&wdi::SPEC),
        Format(&wits::SPEC),
        Format(&imf_dots::SPEC),
        Format(&owid::SPEC),
        Format(&xlsx_long::SPEC),
        Format(&ots::SPEC),
        Format(&ots_world::SPEC),
        Format(&ots_products::SPEC),
        Format(&comtrade_legacy::SPEC),
        Format(&japan_customs::SPEC),
        Format(&oec_hs2::SPEC),
        Format(&datahub::SPEC),
        Format(&cepii_dist::SPEC),
        Format(&cepii_geo::SPEC),
        Format(&lpi::SPEC),
        Format(&us_tariffs_hs2::SPEC),
        Format(&us_tariffs_by_country::SPEC),
        Format(&wto_mfn::SPEC),
        Format(&wdi_ddf::SPEC),
    ];

    pub fn name(self) -> &'static str {
        self.0.name
    }
}

// Two handles on one spec may sit at different addresses (constants are copied): compare names.
impl PartialEq for Format {
    fn eq(&self, other: &Format) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Format {}

impl fmt::Debug for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Format({})", self.name())
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Format {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

// Read back by name (a job's summary another instance wrote to the database).
impl<'de> serde::Deserialize<'de> for Format {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown format '{s}'; use auto or one of: {}",
                    names.join(", ")
                )
            })
    }
}

/// Guesses the format from the file's first bytes; a workbook is opened (`full`) to tell IMF DOTS reports
/// from long tables.
pub fn detect(name: &str, head: &[u8], full: Option<&[u8]>) -> Result<Format, ImportError> {
    let unknown = |reason: &str| ImportError::UnknownFormat {
        file: name.to_string(),
        reason: reason.to_string(),
        formats: Format::ALL
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join("|"),
    };
    if head.is_empty() {
        return Err(ImportError::NotATable {
            file: name.into(),
            reason: "the file is empty".into(),
        });
    }
    if head.starts_with(b"PK\x03\x04") {
        // An Excel workbook: IMF DOTS reports say so in their title rows; anything else is a long table.
        let by_content = Format::ALL.iter().find(|f| match f.0.detect {
            Detect::Workbook(looks_like) => full.is_some_and(looks_like),
            _ => false,
        });
        let other = Format::ALL
            .iter()
            .find(|f| matches!(f.0.detect, Detect::AnyWorkbook));
        return by_content
            .or(other)
            .copied()
            .ok_or_else(|| unknown("a workbook of no known layout"));
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(unknown(
            "an old binary .xls workbook; save it as .xlsx or CSV",
        ));
    }
    let text = text::sniff_text(head).ok_or_else(|| ImportError::NotATable {
        file: name.into(),
        reason: "binary data, not text or a spreadsheet".into(),
    })?;
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    // Rules are written for commas: another separator is read as one.
    let delimiter = layout::delimiter(&text);
    let first = match delimiter {
        b',' => first.to_string(),
        d => first.replace(d as char, ","),
    };
    let first_h = first.replace('"', "").to_ascii_lowercase();
    let cols: Vec<&str> = first_h.split(',').map(str::trim).collect();
    let fits = |detect: &Detect| match detect {
        Detect::Preamble(rule) | Detect::Header(rule) => rule(&first_h),
        Detect::Columns(needed) => needed.iter().all(|c| cols.contains(c)),
        Detect::Workbook(_) | Detect::AnyWorkbook => false,
    };
    // The most specific rule that fits; among equally specific ones, the first listed.
    if let Some(format) = Format::ALL
        .iter()
        .filter(|f| fits(&f.0.detect))
        .min_by_key(|f| f.0.detect.rank())
    {
        return Ok(*format);
    }
    if cols.len() < 2 {
        return Err(ImportError::NotATable {
            file: name.into(),
            reason: "the first line has no separators: not a table with ',', ';', tab or '|' between fields".into(),
        });
    }
    Err(unknown("the header matches none of the known layouts"))
}

/// The dataset as stored: the user's options over the format's defaults.
pub fn dataset_for(input: &Input, format: Format, opts: &Options) -> Dataset {
    let defaults = &format.0.defaults;
    Dataset {
        id: opts
            .dataset
            .clone()
            .unwrap_or_else(|| format!("{}-{}", format.name(), slug(&input.stem()))),
        title: opts
            .title
            .clone()
            .unwrap_or_else(|| format!("{} — {}", defaults.title, input.stem())),
        publisher: opts
            .publisher
            .clone()
            .unwrap_or_else(|| defaults.publisher.to_string()),
        source_url: opts
            .source_url
            .clone()
            .or_else(|| defaults.source_url.map(str::to_string)),
        licence: opts
            .licence
            .clone()
            .unwrap_or_else(|| defaults.licence.to_string()),
        retrieved: opts.retrieved.clone(),
        notes: opts.notes.clone().unwrap_or_default(),
    }
}

/// Parses `input` in `format` into `sink`; returns notes for the dataset (e.g. what a file's quirks meant).
pub fn parse(
    input: &Input,
    format: Format,
    opts: &Options,
    dataset_id: &str,
    sink: &mut dyn Sink,
    progress: &Progress,
) -> Result<String, ImportError> {
    match format.0.parse {
        Parse::Workbook(parse) => {
            let bytes = input.read_all(XLSX_LIMIT)?;
            progress.set(bytes.len() as u64);
            parse(&input.name, &bytes, dataset_id, sink)
        }
        Parse::Text(parse) => {
            let head = input.head()?;
            let encoding = text::choose_encoding(&input.name, &head, opts.encoding.as_deref())?;
            let reader = text::decoding_reader(progress.wrap(input.open()?), encoding);
            let (head, _, _) = encoding.decode(&head);
            match layout::delimiter(&head) {
                // As published: every parser reads commas (CEPII's reads its own semicolons too).
                b',' => parse(&input.name, reader, dataset_id, opts, sink),
                d => {
                    let (reader, assumed) = layout::Relayout::new(&input.name, reader, &head, d)?;
                    let notes = parse(&input.name, Box::new(reader), dataset_id, opts, sink)?;
                    Ok(format!("{} {notes}", assumed.describe())
                        .trim_end()
                        .to_string())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_keep_their_names_in_summaries_and_messages() {
        let json = serde_json::to_string(&Format::ALL).unwrap();
        assert_eq!(
            json,
            r#"["long","comtrade","wdi","wits","imf-dots","owid","xlsx-long","ots","ots-world","ots-products","comtrade-legacy","japan-customs","oec-hs2","datahub","cepii-dist","cepii-geo","lpi","us-tariffs-hs2","us-tariffs-by-country","wto-mfn","wdi-ddf"]"#
        );
        for f in Format::ALL.iter() {
            assert_eq!(f.name().parse::<Format>(), Ok(*f));
        }
        assert_eq!(
            "xls".parse::<Format>().unwrap_err(),
            "unknown format 'xls'; use auto or one of: long, comtrade, wdi, wits, imf-dots, owid, xlsx-long, \
             ots, ots-world, ots-products, comtrade-legacy, japan-customs, oec-hs2, datahub, cepii-dist, cepii-geo, lpi, \
             us-tariffs-hs2, us-tariffs-by-country, wto-mfn, wdi-ddf"
        );
        assert_eq!(Format::ImfDots.to_string(), "imf-dots");
        assert_ne!(Format::Long, Format::XlsxLong);
    }

    #[test]
    fn publisher_layouts_win_over_generic_columns() {
        let both = b"reporterISO,partnerISO,flowCode,series_id,period,value,unit\n";
        assert_eq!(detect("x.csv", both, None).unwrap(), Format::Comtrade);
        let preamble = b"\"Data Source\",\"reporterISO\",\"partnerISO\",\"flowCode\"\n";
        assert_eq!(detect("x.csv", preamble, None).unwrap(), Format::Wdi);
    }

    #[test]
    fn formats_are_detected_from_the_shipped_files() {
        let cases: [(&str, &[u8], Format); 23] = [
            (
                "seed_facts.csv",
                include_bytes!("../../data/facts/seed_facts.csv"),
                Format::Long,
            ),
            (
                "TradeData.csv",
                include_bytes!("../../data/raw/comtrade_plus/TradeData_4_4_2025_15_19_17.csv"),
                Format::Comtrade,
            ),
            (
                "API.csv",
                include_bytes!("../../data/raw/wdi/API_NE.EXP.GNFS.CD_DS2_en_csv_v2_3025.csv"),
                Format::Wdi,
            ),
            (
                "wits.CSV",
                include_bytes!("../../data/raw/wits/en_CHN_AllYears_WITS_Trade_Summary.CSV"),
                Format::Wits,
            ),
            (
                "owid.csv",
                include_bytes!("../../data/raw/owid/merchandise-exports-gdp-cepii.csv"),
                Format::Owid,
            ),
            (
                "DOTS_40.xlsx",
                include_bytes!("../../data/raw/imf_dots/DOTS_40.xlsx"),
                Format::ImfDots,
            ),
            (
                "reverse.xlsx",
                include_bytes!(
                    "../../data/raw/cipf_comtrade/China_2.1.1_top_export_partners_reverse.xlsx"
                ),
                Format::XlsxLong,
            ),
            (
                "ots.csv",
                include_bytes!("../../data/derived/ots_china_trade_by_partner_community.csv"),
                Format::Ots,
            ),
            (
                "w.csv",
                include_bytes!("../../data/derived/ots_imports_by_community_2018.csv"),
                Format::OtsWorld,
            ),
            (
                "p.csv",
                include_bytes!("../../data/derived/ots_china_exports_by_product_2018.csv"),
                Format::OtsProducts,
            ),
            (
                "legacy.csv",
                include_bytes!("../../tests/fixtures/comtrade_legacy/china_sitc2_deu_hkg_jpn_kor_usa_2010_2014.csv"),
                Format::ComtradeLegacy,
            ),
            (
                "j.csv",
                include_bytes!("../../data/derived/japan_customs_trade_with_china_by_commodity.csv"),
                Format::JapanCustoms,
            ),
            (
                "pl.csv",
                include_bytes!("../../data/raw/oec_baci/poland_imports_from_china_hs2_2020_2024.csv"),
                Format::OecHs2,
            ),
            (
                "gdp.csv",
                include_bytes!("../../data/raw/datahub/gdp.csv"),
                Format::Datahub,
            ),
            (
                "API_IT.csv",
                include_bytes!("../../data/raw/wdi/API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv"),
                Format::Wdi,
            ),
            (
                "dist.csv",
                include_bytes!("../../data/derived/cepii_distances_from_china.csv"),
                Format::CepiiDist,
            ),
            (
                "dist_cepii.csv",
                b"iso_o;iso_d;contig;comlang_off;comlang_ethno;colony;comcol;curcol;col45;smctry;dist\n",
                Format::CepiiDist,
            ),
            (
                "geo_cepii.csv",
                include_bytes!("../../data/raw/cepii/geo_cepii.csv"),
                Format::CepiiGeo,
            ),
            (
                "lpi.csv",
                include_bytes!("../../data/raw/lpi/lpi.csv"),
                Format::Lpi,
            ),
            (
                "hs2.csv",
                include_bytes!("../../data/raw/us_tariffs_on_china/hs2-tariff-5700.csv"),
                Format::UsTariffsHs2,
            ),
            (
                "country.csv",
                include_bytes!("../../data/raw/us_tariffs_on_china/country-by-time.csv"),
                Format::UsTariffsByCountry,
            ),
            (
                "wto.csv",
                include_bytes!("../../data/raw/wto_tariffs/indicators_mfn_applied_duty_2010.csv"),
                Format::WtoMfn,
            ),
            (
                "ddf.csv",
                include_bytes!("../../data/raw/wdi_tariffs/ddf--datapoints--tm_tax_mrch_sm_fn_zs--by--economy--year.csv"),
                Format::WdiDdf,
            ),
        ];
        for (name, bytes, want) in cases {
            let head = &bytes[..bytes.len().min(1 << 16)];
            assert_eq!(detect(name, head, Some(bytes)).unwrap(), want, "{name}");
        }
    }

    #[test]
    fn garbage_empty_and_wrong_delimiters_are_refused_with_a_reason() {
        assert!(matches!(
            detect("x", b"", None),
            Err(ImportError::NotATable { .. })
        ));
        let garbage: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(matches!(
            detect("x.bin", &garbage, None),
            Err(ImportError::NotATable { .. })
        ));
        let err = detect("x.csv", b"just one column\n1\n", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no separators"), "{err}");
        // Semicolons, tabs and pipes are read as commas.
        for table in [
            &b"series_id;period;value;unit\na;2024;1,5;u\n"[..],
            b"series_id\tperiod\tvalue\tunit\na\t2024\t1\tu\n",
            b"series_id|period|value|unit\na|2024|1|u\n",
        ] {
            assert_eq!(detect("x.csv", table, None).unwrap(), Format::Long);
        }
        let other = b"name,age\nann,3\n";
        assert!(matches!(
            detect("x.csv", other, None),
            Err(ImportError::UnknownFormat { .. })
        ));
        assert_eq!("wdi".parse::<Format>(), Ok(Format::Wdi));
        assert!("xls".parse::<Format>().unwrap_err().contains("imf-dots"));
    }
}
