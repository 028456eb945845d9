"""Build data/case_vintage.yaml: population, GDP and UNGA alignment as of each back-test year.

Usage: python scripts/build_case_vintage.py [--raw DIR] [--out FILE]

For every year from FIRST_YEAR to LAST_YEAR (so that cases kept outside the project, such as a held-out
set run with `coalesce backtest --cases FILE`, find their year too) and any other year named in
data/cases.yaml (cases and failures) or data/signatures.yaml:
- population (millions, and as a share) and economy shares: the World Bank SP.POP.TOTL and NY.GDP.MKTP.CD values of that year
  divided by the World (WLD) aggregate of that year (raw files in /work/shared/data/raw);
- ideal points: the mean IdealPointAll of UNGA sessions (year - 1947) .. (year - 1945) in the Voeten
  file, sessions with fewer than 10 votes left out (the rule states.yaml uses), uncertainty the mean
  half-width of the 5-95% interval;
- the EU's member states as of 1 July of the year (accession and withdrawal dates from the EU).
World Bank series follow today's borders (Germany before 1990 includes the GDR; Russia is the Russian
Federation, not the USSR), while the Voeten file has the Federal Republic for Germany before 1990.
A state with no figure in the raw file for that year is listed under `missing` and keeps today's figure
in the back-test; nothing is filled with 0. Deterministic: the same raw files give the same file.
"""

from __future__ import annotations

import argparse
import csv
import statistics
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT.parent / "shared" / "data" / "raw"
MIN_VOTES = 10
FIRST_YEAR = 1970
LAST_YEAR = 2026
SHARE_DECIMALS = 6
ALIGN_DECIMALS = 3
# EU (and EC) membership: (code, first year counted as of 1 July, last year counted or None).
EU_MEMBERSHIP = [
    *[(c, 1958, None) for c in ("BEL", "FRA", "DEU", "ITA", "LUX", "NLD")],
    ("DNK", 1973, None),
    ("IRL", 1973, None),
    ("GBR", 1973, 2019),  # withdrew 31 January 2020
    ("GRC", 1981, None),
    ("ESP", 1986, None),
    ("PRT", 1986, None),
    *[(c, 1995, None) for c in ("AUT", "FIN", "SWE")],
    *[(c, 2004, None) for c in ("CYP", "CZE", "EST", "HUN", "LVA", "LTU", "MLT", "POL", "SVK", "SVN")],
    ("BGR", 2007, None),
    ("ROU", 2007, None),
    ("HRV", 2013, None),  # joined 1 July 2013
]
SOURCES = [
    {
        "id": "vintage-wb-population",
        "title": "Population, total (SP.POP.TOTL)",
        "publisher": "World Bank, World Development Indicators",
        "year": 2024,
        "url": "https://data.worldbank.org/indicator/SP.POP.TOTL",
        "quality": "primary",
        "note": "raw file worldbank_population_SP.POP.TOTL.csv; share = value / World (WLD) of the same year",
    },
    {
        "id": "vintage-wb-gdp",
        "title": "GDP (current US$) (NY.GDP.MKTP.CD)",
        "publisher": "World Bank, World Development Indicators",
        "year": 2024,
        "url": "https://data.worldbank.org/indicator/NY.GDP.MKTP.CD",
        "quality": "primary",
        "note": "raw file worldbank_gdp_NY.GDP.MKTP.CD.csv; share = value / World (WLD) of the same year",
    },
    {
        "id": "vintage-voeten-unga",
        "title": "United Nations General Assembly Voting Data (IdealpointestimatesAll_Jun2024)",
        "publisher": "Harvard Dataverse (Erik Voeten, Anton Strezhnev, Michael Bailey)",
        "year": 2024,
        "url": "https://doi.org/10.7910/DVN/LEJUQZ",
        "quality": "primary",
    },
    {
        "id": "vintage-eu-members",
        "title": "EU countries (members and the year each joined)",
        "publisher": "European Union",
        "year": 2024,
        "url": "https://european-union.europa.eu/principles-countries-history/eu-countries_en",
        "quality": "primary",
        "note": "Croatia joined 1 July 2013; the 2004 enlargement took effect 1 May 2004; the UK left 31 January 2020",
    },
]


def read_wb(path: Path) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = defaultdict(dict)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            value = row.get("Value", "").strip()
            if value:
                out[row["Country Code"]][int(row["Year"])] = float(value)
    return out


def read_ideal_points(path: Path) -> dict[str, dict[int, tuple[int, float, float, float]]]:
    out: dict[str, dict[int, tuple[int, float, float, float]]] = defaultdict(dict)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            try:
                rec = (
                    int(row["NVotesAll"]),
                    float(row["IdealPointAll"]),
                    float(row["Q5%All"]),
                    float(row["Q95%All"]),
                )
            except ValueError:
                continue
            out[row["iso3c"]][int(row["session"])] = rec
    return out


def years_needed() -> list[int]:
    years: set[int] = set(range(FIRST_YEAR, LAST_YEAR + 1))
    cases = yaml.safe_load((ROOT / "data" / "cases.yaml").read_text(encoding="utf-8"))
    for key in ("cases", "failures"):
        years |= {int(c["year"]) for c in cases.get(key) or []}
    signatures = ROOT / "data" / "signatures.yaml"
    if signatures.exists():
        doc = yaml.safe_load(signatures.read_text(encoding="utf-8"))
        years |= {int(d["year"]) for d in doc.get("decisions") or []}
    return sorted(years)


def state_codes() -> list[str]:
    states = yaml.safe_load((ROOT / "data" / "states.yaml").read_text(encoding="utf-8"))
    return sorted(a["code"] for a in states["actors"] if a.get("kind", "state") == "state")


def build(raw: Path) -> dict[str, object]:
    pop = read_wb(raw / "worldbank_population_SP.POP.TOTL.csv")
    gdp = read_wb(raw / "worldbank_gdp_NY.GDP.MKTP.CD.csv")
    ips = read_ideal_points(raw / "unga_idealpoints_IdealpointestimatesAll_Jun2024.csv")
    codes = state_codes()
    years: dict[str, object] = {}
    for year in years_needed():
        sessions = [year - 1945 - k for k in (2, 1, 0)]
        population: dict[str, float] = {}
        population_m: dict[str, float] = {}
        economy: dict[str, float] = {}
        alignment: dict[str, list[float]] = {}
        missing: dict[str, list[str]] = {"population": [], "economy": [], "alignment": []}
        for code in codes:
            for series, target, name in ((pop, population, "population"), (gdp, economy, "economy")):
                value = series.get(code, {}).get(year)
                world = series.get("WLD", {}).get(year)
                if value is None or not world:
                    missing[name].append(code)
                else:
                    target[code] = round(value / world, SHARE_DECIMALS)
                    if name == "population":
                        population_m[code] = round(value / 1e6, 3)
            used = [
                ips[code][s] for s in sessions if s in ips.get(code, {}) and ips[code][s][0] >= MIN_VOTES
            ]
            if used:
                ip = statistics.fmean(r[1] for r in used)
                unc = statistics.fmean((r[3] - r[2]) / 2 for r in used)
                alignment[code] = [round(ip, ALIGN_DECIMALS), round(unc, ALIGN_DECIMALS)]
            else:
                missing["alignment"].append(code)
        eu = sorted(c for c, first, last in EU_MEMBERSHIP if first <= year and (last is None or year <= last))
        years[str(year)] = {
            "sessions": sessions,
            "eu_members": eu,
            "population": population,
            "population_m": population_m,
            "economy": economy,
            "alignment": alignment,
            "missing": missing,
        }
    return {"schema_version": 1, "sources": SOURCES, "years": years}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=RAW)
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "case_vintage.yaml")
    args = parser.parse_args()
    doc = build(args.raw)
    header = (
        "# Generated by `python scripts/build_case_vintage.py` from the raw World Bank and Voeten files;\n"
        "# do not edit. Figures as of each back-test year; docs/backtest.md (protocol) says how they apply.\n"
    )
    text = yaml.safe_dump(doc, sort_keys=False, default_flow_style=None, width=110, allow_unicode=True)
    args.out.write_text(header + text, encoding="utf-8")
    print(f"wrote {args.out} ({len(doc['years'])} years)")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
