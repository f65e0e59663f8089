//! The default dataset: the project's own copies of published files (data/facts/, data/raw/), compiled
//! into the binary so a first start needs nothing but the executable. Seeding goes through the same
//! importers and the same transactional write as any user import, and skips files already imported.

use crate::import::{self, Format, ImportError, Input, Options, Progress, Summary};
use crate::store::Store;

const UNVERIFIED: &str = "The publisher's terms were not verified here — attribution required; see the publisher's terms before reuse.";
const QUOTED: &str = "Quoted figures, each attributed to its original publisher; the publishers' terms were not verified — \
attribution required, see the publisher's terms before reuse.";

/// A file shipped with the app and how it becomes a dataset.
pub struct DefaultFile {
    pub name: &'static str,
    pub bytes: &'static [u8],
    pub format: Format,
    pub dataset: &'static str,
    pub title: &'static str,
    pub publisher: &'static str,
    pub source_url: Option<&'static str>,
    pub licence: &'static str,
    pub retrieved: Option<&'static str>,
    pub notes: &'static str,
    /// The WDI Metadata_Country file of a WDI download (marks aggregates).
    pub wdi_metadata: Option<&'static [u8]>,
}

const OTS_LICENCE: &str = crate::import::ots::LICENCE;
const OTS_SOURCE: Option<&str> = Some("https://tradestatistics.io/");
const OTS_PUBLISHER: &str = "Open Trade Statistics (tradestatistics.io), built from UN Comtrade";
const WB_LICENCE: &str = "CC BY 4.0 — attribute \"World Bank, World Development Indicators\"";
const DATAHUB_LICENCE: &str = "ODC-PDDL-1.0 for the datahub.io package; the data are the World Bank's (CC BY 4.0): attribute \"World Bank, World Development Indicators\"";
const CEPII_LICENCE: &str = crate::import::cepii_dist::LICENCE;
const TRACKER_PUBLISHER: &str =
    "Trade War Tracker (tradewartracker.com), from US Census Bureau import data";
const TRACKER_LICENCE: &str = crate::import::us_tariffs_hs2::TRACKER_LICENCE;
const WTO_LICENCE: &str = "WTO's terms for Tariff & Trade Data downloads were not verified (no licence file in the \
repository that holds the file): attribute \"WTO Tariff & Trade Data\"; re-download from ttd.wto.org and check the terms \
before a commercial release.";
const WDI_DDF_PUBLISHER: &str =
    "World Bank, World Development Indicators (DDF export by the open-numbers project)";
const WDI_DDF_NOTES: &str = "A different WDI vintage in each tariff file: compare economies within one file, not \
across files. 2019 jumps for many economies and falls back in 2020 in these vintages (US MFN simple mean 4.20 → \
10.17 → 3.52): treat 2019 as suspect. EU members repeat the EU value (in the applied files also before accession): \
never add the EU and its members, or regions and countries. An average over all partners — not the rate goods \
from China pay.";

pub const DEFAULT_FILES: [DefaultFile; 26] = [
    DefaultFile {
        name: "data/facts/seed_facts.csv",
        bytes: include_bytes!("../data/facts/seed_facts.csv"),
        format: Format::Long,
        dataset: "seed-facts",
        title: "Figures quoted in the founding articles",
        publisher: "News reports (Global Times, ECNS and others), quoted",
        source_url: Some("/sources/articles/"),
        licence: QUOTED,
        retrieved: None,
        notes: "China cross-border e-commerce totals and growth, Yiwu regional figures and platform figures, each with the sentence it was quoted from. The articles are kept with the app.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/facts/cbec_platform_facts.csv",
        bytes: include_bytes!("../data/facts/cbec_platform_facts.csv"),
        format: Format::Long,
        dataset: "cbec-platform-facts",
        title: "China CBEC totals, market shares and platform metrics (quoted)",
        publisher: "GACC and MOFCOM statements; media and analyst reports, as quoted",
        source_url: None,
        licence: QUOTED,
        retrieved: None,
        notes: "Yearly CBEC totals from customs/MOFCOM statements, destination-market and category shares of CBEC exports, and platform GMV, users and downloads. Platform figures come from media and analysts, not audited filings. Each figure links its own source.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/imf_dots/DOTS_40.xlsx",
        bytes: include_bytes!("../data/raw/imf_dots/DOTS_40.xlsx"),
        format: Format::ImfDots,
        dataset: "imf-dots-china",
        title: "China (mainland): exports and imports by partner, 1961 and 1978–2020 (IMF DOTS)",
        publisher: "International Monetary Fund, Direction of Trade Statistics",
        source_url: Some("https://data.imf.org/"),
        licence: UNVERIFIED,
        retrieved: None,
        notes: "China-reported exports (FOB) and imports (CIF) by partner, US$ million.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/cipf_comtrade/China_2.1.1_top_export_partners_reverse.xlsx",
        bytes: include_bytes!("../data/raw/cipf_comtrade/China_2.1.1_top_export_partners_reverse.xlsx"),
        format: Format::XlsxLong,
        dataset: "comtrade-mirror-china",
        title: "Partners' reported imports from China (mirror data), 2014–2025",
        publisher: "UN Comtrade, processed by the cipf-comtrade project",
        source_url: Some("https://comtradeplus.un.org/"),
        licence: UNVERIFIED,
        retrieved: None,
        notes: "Each partner's reported imports from China (usually CIF) — mirror data, not China-reported exports (FOB); the two are never summed.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/wdi/API_NE.EXP.GNFS.CD_DS2_en_csv_v2_3025.csv",
        bytes: include_bytes!("../data/raw/wdi/API_NE.EXP.GNFS.CD_DS2_en_csv_v2_3025.csv"),
        format: Format::Wdi,
        dataset: "wdi-exports-goods-services",
        title: "Exports of goods and services, current US$, all countries (WDI)",
        publisher: "World Bank, World Development Indicators",
        source_url: Some("https://data.worldbank.org/indicator/NE.EXP.GNFS.CD"),
        licence: "CC BY 4.0 (World Bank)",
        retrieved: None,
        notes: "Goods and services — not comparable with merchandise-only series.",
        wdi_metadata: Some(include_bytes!(
            "../data/raw/wdi/Metadata_Country_API_NE.EXP.GNFS.CD_DS2_en_csv_v2_3025.csv"
        )),
    },
    DefaultFile {
        name: "data/raw/wits/en_CHN_AllYears_WITS_Trade_Summary.CSV",
        bytes: include_bytes!("../data/raw/wits/en_CHN_AllYears_WITS_Trade_Summary.CSV"),
        format: Format::Wits,
        dataset: "wits-china-summary",
        title: "China trade summary: exports by product group, partners, tariffs, 1988–2019 (WITS)",
        publisher: "World Bank, World Integrated Trade Solution",
        source_url: Some("https://wits.worldbank.org/CountryProfile/en/CHN"),
        licence: UNVERIFIED,
        retrieved: None,
        notes: "",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/comtrade_plus/TradeData_4_4_2025_15_19_17.csv",
        bytes: include_bytes!("../data/raw/comtrade_plus/TradeData_4_4_2025_15_19_17.csv"),
        format: Format::Comtrade,
        dataset: "comtrade-2023-world",
        title: "Total imports and exports with the World, 152 reporters, 2023 (UN Comtrade)",
        publisher: "United Nations Statistics Division, UN Comtrade",
        source_url: Some("https://comtradeplus.un.org/"),
        licence: UNVERIFIED,
        retrieved: Some("2025-04-04"),
        notes: "",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/owid/merchandise-exports-gdp-cepii.csv",
        bytes: include_bytes!("../data/raw/owid/merchandise-exports-gdp-cepii.csv"),
        format: Format::Owid,
        dataset: "owid-merchandise-exports-gdp",
        title: "Merchandise exports as a share of GDP, 1827–2014 (Fouquin & Hugot, CEPII, via Our World in Data)",
        publisher: "Our World in Data; Fouquin and Hugot (CEPII 2016)",
        source_url: Some("https://ourworldindata.org/grapher/merchandise-exports-gdp-cepii"),
        licence: UNVERIFIED,
        retrieved: None,
        notes: "Merchandise only.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/derived/ots_china_trade_by_partner_community.csv",
        bytes: include_bytes!("../data/derived/ots_china_trade_by_partner_community.csv"),
        format: Format::Ots,
        dataset: "ots-china-partners",
        title: "China's trade by partner and product community, 1962–2018 (Open Trade Statistics, mirror data)",
        publisher: OTS_PUBLISHER,
        source_url: OTS_SOURCE,
        licence: OTS_LICENCE,
        retrieved: None,
        notes: "Importer-reported (mirror) values, which overstate China's own exports (2018: 3,217 bn vs 2,487 bn China-reported): never add them to China-reported series. A 0 in the source means nothing was reported and is not stored. Partner China = re-imports.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/derived/ots_imports_by_community_2018.csv",
        bytes: include_bytes!("../data/derived/ots_imports_by_community_2018.csv"),
        format: Format::OtsWorld,
        dataset: "ots-world-by-community-2018",
        title: "Each reporter's trade with the World by product community, 2018 (Open Trade Statistics)",
        publisher: OTS_PUBLISHER,
        source_url: OTS_SOURCE,
        licence: OTS_LICENCE,
        retrieved: None,
        notes: "Sums over each reporter's HS4 product rows (OTS yrc2018), computed by the extract's script; importer-reported basis, so world imports equal world exports.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/derived/ots_china_exports_by_product_2018.csv",
        bytes: include_bytes!("../data/derived/ots_china_exports_by_product_2018.csv"),
        format: Format::OtsProducts,
        dataset: "ots-china-products-2018",
        title: "China's trade with the World by HS4 product, 2018 (Open Trade Statistics)",
        publisher: OTS_PUBLISHER,
        source_url: OTS_SOURCE,
        licence: OTS_LICENCE,
        retrieved: None,
        notes: "Products by short English name only (no HS code); names repeat across communities, so each is shown with its community. Importer-reported (mirror) basis.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/derived/japan_customs_trade_with_china_by_commodity.csv",
        bytes: include_bytes!("../data/derived/japan_customs_trade_with_china_by_commodity.csv"),
        format: Format::JapanCustoms,
        dataset: "japan-customs-china",
        title: "Japan's trade with China and with all areas by goods group, 2009–2026 (Japan Customs)",
        publisher: "Ministry of Finance Japan, Trade Statistics of Japan; annual sums computed by the R package author",
        source_url: Some("https://www.customs.go.jp/toukei/info/index_e.htm"),
        licence: "Japan Customs' terms of use were not verified; cite \"Ministry of Finance, Trade Statistics of Japan\" and say that the annual sums were computed by the R package author (package code MIT).",
        retrieved: None,
        notes: "Billion yen. Goods groups are nested: never add them. 2026 covers January–March only; goods relabelled in April 2017 have part-year 2017 figures.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/oec_baci/poland_imports_from_china_hs2_2020_2024.csv",
        bytes: include_bytes!("../data/raw/oec_baci/poland_imports_from_china_hs2_2020_2024.csv"),
        format: Format::OecHs2,
        dataset: "oec-poland-hs2",
        title: "Poland's imports from China and the World by HS chapter, 2020–2024 (CEPII BACI via OEC)",
        publisher: "CEPII BACI (HS2017) via the OEC API, queried by a third-party analysis project",
        source_url: Some("https://oec.world/"),
        licence: "BACI is reported to be under the Etalab Open Licence 2.0 (not verified); the OEC API's terms and the analysis project's terms were not verified.",
        retrieved: None,
        notes: "US$, reconciled BACI flows. China's share per chapter was computed by the analysis project.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/datahub/gdp.csv",
        bytes: include_bytes!("../data/raw/datahub/gdp.csv"),
        format: Format::Datahub,
        dataset: "wb-gdp",
        title: "GDP, current US$, all countries, 1960–2023 (World Bank via datahub.io)",
        publisher: "World Bank, World Development Indicators (NY.GDP.MKTP.CD), packaged by datahub.io",
        source_url: Some("https://datahub.io/core/gdp"),
        licence: DATAHUB_LICENCE,
        retrieved: None,
        notes: "Countries and aggregates (World, regions, income groups) in one table: aggregates are marked.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/datahub/population.csv",
        bytes: include_bytes!("../data/raw/datahub/population.csv"),
        format: Format::Datahub,
        dataset: "wb-population",
        title: "Population, all countries, 1960–2024 (World Bank via datahub.io)",
        publisher: "World Bank, World Development Indicators (SP.POP.TOTL), packaged by datahub.io",
        source_url: Some("https://datahub.io/core/population"),
        licence: DATAHUB_LICENCE,
        retrieved: None,
        notes: "Countries and aggregates in one table: aggregates are marked.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/wdi/API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv",
        bytes: include_bytes!("../data/raw/wdi/API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv"),
        format: Format::Wdi,
        dataset: "wdi-internet-users",
        title: "Individuals using the Internet, % of population, 1960–2023 (WDI, ITU data)",
        publisher: "World Bank, World Development Indicators (ITU data)",
        source_url: Some("https://data.worldbank.org/indicator/IT.NET.USER.ZS"),
        licence: WB_LICENCE,
        retrieved: None,
        notes: "2023 is filled for only some economies: use each country's latest year and show it.",
        wdi_metadata: Some(include_bytes!(
            "../data/raw/wdi/Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv"
        )),
    },
    DefaultFile {
        name: "data/derived/cepii_distances_from_china.csv",
        bytes: include_bytes!("../data/derived/cepii_distances_from_china.csv"),
        format: Format::CepiiDist,
        dataset: "cepii-distances-china",
        title: "Distances from China to every country (CEPII GeoDist, 2011 vintage)",
        publisher: "CEPII, GeoDist (Mayer & Zignago 2011)",
        source_url: Some("https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=6"),
        licence: CEPII_LICENCE,
        retrieved: None,
        notes: "Kilometres; contiguity and common official language as 0/1. A 2011 vintage, not observations of 2011.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/cepii/geo_cepii.csv",
        bytes: include_bytes!("../data/raw/cepii/geo_cepii.csv"),
        format: Format::CepiiGeo,
        dataset: "cepii-geo",
        title: "Country area and landlocked status (CEPII GeoDist, 2011 vintage)",
        publisher: "CEPII, GeoDist (Mayer & Zignago 2011)",
        source_url: Some("https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=6"),
        licence: CEPII_LICENCE,
        retrieved: None,
        notes: "Countries with two main cities have two rows in the file; their area and landlocked flag are stored once.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/lpi/lpi.csv",
        bytes: include_bytes!("../data/raw/lpi/lpi.csv"),
        format: Format::Lpi,
        dataset: "wb-lpi",
        title: "Logistics Performance Index, 2010–2016 (World Bank)",
        publisher: "World Bank, Logistics Performance Index (sheets combined by a third party)",
        source_url: Some("https://lpi.worldbank.org/"),
        licence: "World Bank data, CC BY 4.0; the combined file itself carries no licence.",
        retrieved: None,
        notes: "Scores 1–5 and ranks for 2010, 2012, 2014 and 2016. Country names as the third-party file spells them.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/us_tariffs_on_china/hs2-tariff-5700.csv",
        bytes: include_bytes!("../data/raw/us_tariffs_on_china/hs2-tariff-5700.csv"),
        format: Format::UsTariffsHs2,
        dataset: "us-tariffs-china-hs2",
        title: "US imports from China, duties collected and the 2025 tariff add-on (model) by HS chapter, 2024",
        publisher: TRACKER_PUBLISHER,
        source_url: Some("https://tradewartracker.com/"),
        licence: TRACKER_LICENCE,
        retrieved: None,
        notes: "Collected-duty rates (duty ÷ imports, 2024) include MFN and Section 301/232 duties; never add an MFN average to them. The 2025 add-on is the tracker's model as of 6 August 2025 (its 34-point base is the 2 April 2025 announcement, not the rate in force).",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/us_tariffs_on_china/country-by-time.csv",
        bytes: include_bytes!("../data/raw/us_tariffs_on_china/country-by-time.csv"),
        format: Format::UsTariffsByCountry,
        dataset: "us-tariffs-by-country",
        title: "US tariff layers added since 2025 by partner and policy step, modelled (Trade War Tracker), 2025–2026",
        publisher: TRACKER_PUBLISHER,
        source_url: Some("https://tradewartracker.com/"),
        licence: TRACKER_LICENCE,
        retrieved: None,
        notes: "Model outputs, not statutory or collected rates; they exclude MFN and 2018–19 Section 301 duties, which the 2024 collected rate includes. Dates are the tracker's (some are announcement dates); steps after 23 July 2026 are announced actions as modelled then. The European Union is one partner; Slovakia also appears on its own — never add them.",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/wto_tariffs/indicators_mfn_applied_duty_2010.csv",
        bytes: include_bytes!("../data/raw/wto_tariffs/indicators_mfn_applied_duty_2010.csv"),
        format: Format::WtoMfn,
        dataset: "wto-mfn-product-groups",
        title: "MFN duties by MTN product group: China, EU, India, Japan, United States, 2010–2025 (WTO)",
        publisher: "WTO Tariff & Trade Data",
        source_url: Some("https://ttd.wto.org/"),
        licence: WTO_LICENCE,
        retrieved: None,
        notes: "MFN statutory duties: they overstate what goods pay under a free trade agreement or other preference. Product groups are nested (A–V and their sub-groups): never add them; there is no all-products total. The duty-free share is a fraction of tariff lines (0–1).",
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/wdi_tariffs/ddf--datapoints--tm_tax_mrch_sm_ar_zs--by--economy--year.csv",
        bytes: include_bytes!("../data/raw/wdi_tariffs/ddf--datapoints--tm_tax_mrch_sm_ar_zs--by--economy--year.csv"),
        format: Format::WdiDdf,
        dataset: "wdi-tariff-applied-simple",
        title: "Tariff rate, applied, simple mean, all products, 1988–2021 (WDI)",
        publisher: WDI_DDF_PUBLISHER,
        source_url: Some("https://data.worldbank.org/indicator/TM.TAX.MRCH.SM.AR.ZS"),
        licence: WB_LICENCE,
        retrieved: None,
        notes: WDI_DDF_NOTES,
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/wdi_tariffs/ddf--datapoints--tm_tax_mrch_wm_ar_zs--by--economy--year.csv",
        bytes: include_bytes!("../data/raw/wdi_tariffs/ddf--datapoints--tm_tax_mrch_wm_ar_zs--by--economy--year.csv"),
        format: Format::WdiDdf,
        dataset: "wdi-tariff-applied-weighted",
        title: "Tariff rate, applied, weighted mean, all products, 1988–2019 (WDI)",
        publisher: WDI_DDF_PUBLISHER,
        source_url: Some("https://data.worldbank.org/indicator/TM.TAX.MRCH.WM.AR.ZS"),
        licence: WB_LICENCE,
        retrieved: None,
        notes: WDI_DDF_NOTES,
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/wdi_tariffs/ddf--datapoints--tm_tax_mrch_sm_fn_zs--by--economy--year.csv",
        bytes: include_bytes!("../data/raw/wdi_tariffs/ddf--datapoints--tm_tax_mrch_sm_fn_zs--by--economy--year.csv"),
        format: Format::WdiDdf,
        dataset: "wdi-tariff-mfn-simple",
        title: "Tariff rate, most favoured nation, simple mean, all products, 1988–2022 (WDI)",
        publisher: WDI_DDF_PUBLISHER,
        source_url: Some("https://data.worldbank.org/indicator/TM.TAX.MRCH.SM.FN.ZS"),
        licence: WB_LICENCE,
        retrieved: None,
        notes: WDI_DDF_NOTES,
        wdi_metadata: None,
    },
    DefaultFile {
        name: "data/raw/wdi_tariffs/ddf--datapoints--tm_tax_manf_sm_ar_zs--by--economy--year.csv",
        bytes: include_bytes!("../data/raw/wdi_tariffs/ddf--datapoints--tm_tax_manf_sm_ar_zs--by--economy--year.csv"),
        format: Format::WdiDdf,
        dataset: "wdi-tariff-manufactures",
        title: "Tariff rate, applied, simple mean, manufactured products, 1988–2020 (WDI)",
        publisher: WDI_DDF_PUBLISHER,
        source_url: Some("https://data.worldbank.org/indicator/TM.TAX.MANF.SM.AR.ZS"),
        licence: WB_LICENCE,
        retrieved: None,
        notes: WDI_DDF_NOTES,
        wdi_metadata: None,
    },
];

impl DefaultFile {
    pub fn options(&self) -> Options {
        Options {
            format: Some(self.format),
            dataset: Some(self.dataset.into()),
            title: Some(self.title.into()),
            publisher: Some(self.publisher.into()),
            source_url: self.source_url.map(Into::into),
            licence: Some(self.licence.into()),
            encoding: None,
            retrieved: self.retrieved.map(Into::into),
            notes: Some(self.notes.into()).filter(|n: &String| !n.is_empty()),
            wdi_metadata: self.wdi_metadata.map(<[u8]>::to_vec),
            defer_statistics: false,
        }
    }
}

/// Imports every default file not yet in the database (or changed since); the planner's statistics
/// are refreshed once at the end, not after each file.
pub async fn seed_defaults(store: &Store) -> Result<Vec<Summary>, ImportError> {
    let mut out = Vec::new();
    for file in &DEFAULT_FILES {
        let options = Options {
            defer_statistics: true,
            ..file.options()
        };
        let summary = import::run(store, Input::from_bytes(file.name, file.bytes), options, Progress::default())
            .await?;
        out.push(summary);
    }
    if out.iter().any(|s| !s.unchanged) {
        store
            .refresh_statistics()
            .await
            .map_err(|e| ImportError::Store(e, "the default files".into()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SeriesFilter;

    #[tokio::test]
    async fn seeding_is_idempotent() {
        let store = Store::in_memory().await.unwrap();
        let first = seed_defaults(&store).await.unwrap();
        assert!(first.iter().all(|s| !s.unchanged));
        let counts = store.counts().await.unwrap();
        assert_eq!(counts.0, DEFAULT_FILES.len() as i64);
        let again = seed_defaults(&store).await.unwrap();
        assert!(
            again.iter().all(|s| s.unchanged),
            "a second start writes nothing"
        );
        assert_eq!(store.counts().await.unwrap(), counts);
    }

    #[tokio::test]
    async fn seeded_data_reads_back_exactly() {
        let store = Store::in_memory().await.unwrap();
        seed_defaults(&store).await.unwrap();
        let filter = SeriesFilter {
            platform: Some("Temu".into()),
            category: Some("GMV".into()),
            ..Default::default()
        };
        let temu = store.series(&filter).await.unwrap();
        assert_eq!(temu.len(), 1);
        let obs = store
            .observations(&[temu[0].id.clone()], None, None)
            .await
            .unwrap();
        let periods: Vec<String> = obs.iter().map(|o| o.period.to_string()).collect();
        assert_eq!(periods, ["2023", "2024-H1", "2024-Q2"]);
        assert_eq!(obs[0].value, 18.0);
        let from: crate::domain::Period = "2024".parse().unwrap();
        let later = store
            .observations(&[temu[0].id.clone()], Some(from), None)
            .await
            .unwrap();
        assert_eq!(later.len(), 2);
        let missing = store
            .series_by_ids(&["nope".into(), temu[0].id.clone()])
            .await
            .unwrap();
        assert_eq!(missing, Err(vec!["nope".to_string()]));
        // China → Vietnam from two sources with two bases, told apart by their category.
        let to_vietnam = store
            .series(&SeriesFilter {
                origin_code: Some("CHN".into()),
                destination_code: Some("VNM".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            to_vietnam.iter().any(|s| s.destination == "Vietnam"),
            "IMF's spelling"
        );
        assert!(
            to_vietnam.iter().any(|s| s.destination == "Viet Nam"),
            "Comtrade's spelling"
        );
        assert!(to_vietnam.iter().any(|s| s.dataset_id == "imf-dots-china"));
        assert!(to_vietnam
            .iter()
            .any(|s| s.dataset_id == "comtrade-mirror-china"));
    }

    #[tokio::test]
    async fn a_failed_write_leaves_no_trace() {
        let store = Store::in_memory().await.unwrap();
        seed_defaults(&store).await.unwrap();
        let before = store.counts().await.unwrap();
        // A copy of a default file under another dataset id claims existing series ids: refused whole.
        let file = &DEFAULT_FILES[0];
        let opts = Options {
            dataset: Some("clashing-copy".into()),
            ..file.options()
        };
        let err = import::run(
            &store,
            Input::from_bytes("copy.csv", file.bytes),
            opts,
            Progress::default(),
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("already belongs"), "{err}");
        assert_eq!(store.counts().await.unwrap(), before);
    }
}
