#!/usr/bin/env python3
"""Builds data/geo/places.csv: ISO 3166 alpha-3 codes with the names sources use for them.

Codes and World Bank names come from the WDI country metadata shipped in data/raw/wdi (an empty Region
marks an aggregate); the aliases below are the spellings of the IMF DOTS, UN Comtrade, WITS and the
project's quoted facts, checked against those files. datahub.io's country-codes (data/raw/datahub) adds the
Chinese short name (UNTERM, else the official Chinese name: UNTERM has none for HKG, MAC, TWN, …), ISO
alpha-2, the UN M49 region and sub-region, and the ISO codes WDI lacks. Run again after adding an alias.
"""
import csv, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
meta = root / "data/raw/wdi/Metadata_Country_API_NE.EXP.GNFS.CD_DS2_en_csv_v2_3025.csv"
codes = root / "data/raw/datahub/country-codes.csv"

ALIASES = {
    "USA": ["United States of America", "USA", "US", "U.S."],
    "HKG": ["China, P.R.: Hong Kong", "China, Hong Kong SAR", "Hong Kong, China", "Hong Kong"],
    "MAC": ["China, P.R.: Macao", "China, Macao SAR", "Macao, China", "Macao", "Macau"],
    "CHN": ["China, P.R.: Mainland", "China"],
    "TWN": ["Taiwan Province of China", "Taiwan", "Other Asia, nes"],
    "KOR": ["Korea, Rep. of", "Rep. of Korea", "Korea, Rep.", "South Korea"],
    "PRK": ["Korea, Dem. People's Rep. of", "Dem. People's Rep. of Korea", "North Korea"],
    "VNM": ["Vietnam", "Viet Nam"],
    "RUS": ["Russia", "Russian Federation"],
    "TUR": ["Turkey", "Türkiye", "Turkiye"],
    "NLD": ["Netherlands, The"],
    "SVK": ["Slovak Rep.", "Slovakia"],
    "CZE": ["Czech Rep.", "Czechia", "Czech Republic"],
    "LAO": ["Lao People's Dem. Rep.", "Laos"],
    "IRN": ["Iran, Islamic Rep. of", "Iran"],
    "EGY": ["Egypt, Arab Rep. of", "Egypt"],
    "SYR": ["Syrian Arab Rep.", "Syria"],
    "YEM": ["Yemen, Rep. of", "Yemen"],
    "KGZ": ["Kyrgyz Rep.", "Kyrgyzstan"],
    "COD": ["Congo, Dem. Rep. of the", "Dem. Rep. of the Congo"],
    "COG": ["Congo, Rep. of", "Congo"],
    "CAF": ["Central African Rep."],
    "DOM": ["Dominican Rep."],
    "TZA": ["Tanzania, United Rep. of", "United Rep. of Tanzania", "Tanzania"],
    "MDA": ["Moldova, Rep. of", "Rep. of Moldova", "Moldova"],
    "MKD": ["North Macedonia, Republic of", "North Macedonia"],
    "BIH": ["Bosnia Herzegovina"],
    "GMB": ["Gambia"],
    "STP": ["São Tomé and Príncipe, Dem. Rep. of", "Sao Tome and Principe"],
    "VCT": ["Saint Vincent and the Grenadines"],
    "LCA": ["Saint Lucia"],
    "KNA": ["Saint Kitts and Nevis"],
    "PSE": ["State of Palestine", "West Bank and Gaza"],
    "BOL": ["Bolivia (Plurinational State of)", "Bolivia"],
    "BHS": ["Bahamas"],
    "SLB": ["Solomon Isds"],
    "CYM": ["Cayman Isds"],
    "VEN": ["Venezuela, Rep. Bolivariana de", "Venezuela"],
    "FSM": ["Micronesia, Federated States of", "Micronesia"],
    "MHL": ["Marshall Islands, Rep. of the"],
    "TLS": ["Timor-Leste, Dem. Rep. of"],
    "ETH": ["Ethiopia, The Federal Dem. Rep. of"],
    "ERI": ["Eritrea, The State of"],
    "SWZ": ["Eswatini, Kingdom of"],
    "LSO": ["Lesotho, Kingdom of"],
    "BHR": ["Bahrain, Kingdom of"],
    "COM": ["Comoros, Union of the"],
    "ABW": ["Aruba, Kingdom of the Netherlands"],
    "CUW": ["Curaçao, Kingdom of the Netherlands"],
    "SXM": ["Sint Maarten, Kingdom of the Netherlands"],
    "GBR": ["United Kingdom", "UK"],
    "EUU": ["European Union (27)", "EU27", "EU"],
    "WLD": ["World", "OWID_WRL"],
}
# Not in the WDI list: kept as economies with their ISO code.
EXTRA = [("VAT", "Holy See"), ("MSR", "Montserrat"), ("TWN", "Taiwan"), ("NRU", "Nauru")]

rows = list(csv.reader(open(meta, encoding="utf-8-sig")))
places = {}
for r in rows[1:]:
    if len(r) < 5:
        continue
    code, region, name = r[0].strip(), r[1].strip(), r[4].strip()
    places[code] = {"name": name, "aggregate": region == "", "aliases": set()}
for code, name in EXTRA:
    places.setdefault(code, {"name": name, "aggregate": False, "aliases": set()})
for code, names in ALIASES.items():
    places[code]["aliases"].update(names)
for r in csv.DictReader(open(codes, encoding="utf-8")):
    code = r["ISO3166-1-Alpha-3"].strip()
    if not code:
        continue
    p = places.setdefault(code, {"name": r["official_name_en"].strip(), "aggregate": False, "aliases": set()})
    p["name_zh"] = r["UNTERM Chinese Short"].strip() or r["official_name_cn"].strip()
    p["iso2"] = r["ISO3166-1-Alpha-2"].strip()
    p["region"] = r["Region Name"].strip()
    p["subregion"] = r["Sub-region Name"].strip()
out = root / "data/geo/places.csv"
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["code", "name", "kind", "aliases", "name_zh", "iso2", "region", "subregion"])
    for code in sorted(places):
        p = places[code]
        w.writerow([code, p["name"], "aggregate" if p["aggregate"] else "economy", "|".join(sorted(p["aliases"] - {p["name"]})),
                    p.get("name_zh", ""), p.get("iso2", ""), p.get("region", ""), p.get("subregion", "")])
print(f"{out}: {len(places)} places")
