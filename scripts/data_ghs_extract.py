#!/usr/bin/env python3
"""Extract the 2021 overall scores of the GHS Index's own data file into a small CSV.

Usage (from the repository root):

    git --git-dir=$REPO show 9a228655:data/2021-GHS-Index-April-2022.csv > ghs.csv
    python scripts/data_ghs_extract.py ghs.csv data/raw/ghs_index_2021_overall_extract.csv

$REPO is the bare git directory of `mchxo/157_data`, whose commit 9a228655 holds an unmodified copy
of the index's data file (https://www.ghsindex.org/wp-content/uploads/2022/04/2021-GHS-Index-April-2022.csv,
Nuclear Threat Initiative and Johns Hopkins Center for Health Security, 2021 Global Health Security
Index, data file of April 2022). Provenance and the cross-check against a second copy:
data/raw/README.md.

The script keeps the rows of year 2021 and the columns `Country` and `OVERALL SCORE`, as printed, and
checks that there are 195 of them, that no country repeats and that every score is a number in
[0, 100]. Rows are written sorted by country. Nothing is computed.
"""

from __future__ import annotations

import sys

import csv_extract_cli

FIELDS = ("country", "year", "overall_score")
YEAR = "2021"
EXPECTED = 195


class ExtractError(Exception):
    """The file does not look as expected."""


def extract(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for line, r in enumerate(rows, start=2):
        if r.get("Year", "").strip() != YEAR:
            continue
        country = r["Country"].strip()
        score = r["OVERALL SCORE"].strip()
        try:
            value = float(score)
        except ValueError:
            raise ExtractError(
                f"line {line}: OVERALL SCORE {score!r} of {country!r} is not a number"
            ) from None
        if not 0.0 <= value <= 100.0:
            raise ExtractError(f"line {line}: OVERALL SCORE {value} of {country!r} is outside [0, 100]")
        if country in out:
            raise ExtractError(f"line {line}: {country!r} appears twice for {YEAR}")
        out[country] = {"country": country, "year": YEAR, "overall_score": score}
    if len(out) != EXPECTED:
        raise ExtractError(f"{len(out)} countries for {YEAR}, expected {EXPECTED}")
    return [out[c] for c in sorted(out)]


def main(argv: list[str] | None = None) -> int:
    return csv_extract_cli.run(
        argv,
        prog="data_ghs_extract",
        description=__doc__.split("\n\n")[0],
        source_help="the index's CSV (2021-GHS-Index-April-2022.csv)",
        need={"Country", "Year", "OVERALL SCORE"},
        fields=FIELDS,
        extract=extract,
        error=ExtractError,
        noun="countries",
    )


if __name__ == "__main__":
    sys.exit(main())
