#!/usr/bin/env python3
"""Extract the existing GPU clusters of Epoch AI's "Data on GPU Clusters" file into a small CSV.

Usage (from the repository root):

    git --git-dir=$REPO show a64f15ae:dist/data/EpochAI/gpu_clusters/gpu_clusters.csv > gpu.csv
    python scripts/data_epoch_clusters_extract.py gpu.csv data/raw/epoch_gpu_clusters_existing_extract.csv

$REPO is the bare git directory of `cnyke/cnyke.github.io`, whose commit a64f15ae (17 Dec 2025) holds
a copy of Epoch AI's GPU-cluster CSV (https://epoch.ai/data/gpu-clusters, CC BY 4.0), 786 rows and 57
columns. Provenance: data/raw/README.md.

The script keeps the rows whose Status is "Existing" and five columns as printed (Name, Country,
First Operational Date, Include in Standard Analysis, 16-bit OP/s). It checks that every 16-bit
OP/s is empty or a non-negative number and that the inclusion flag is "True" or empty. Names repeat
(Epoch lists several "Anonymized Chinese System" rows), so rows keep the file's order. Nothing is
computed.
"""

from __future__ import annotations

import sys

import csv_extract_cli

COLUMNS = {
    "Name": "name",
    "Country": "country",
    "First Operational Date": "first_operational_date",
    "Include in Standard Analysis": "include_in_standard_analysis",
    "16-bit OP/s": "op_s_16bit",
}
STATUS = "Existing"


class ExtractError(Exception):
    """The file does not look as expected."""


def extract(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for line, r in enumerate(rows, start=2):
        if r["Status"].strip() != STATUS:
            continue
        name = r["Name"].strip()
        op = r["16-bit OP/s"].strip()
        if op:
            try:
                value = float(op)
            except ValueError:
                raise ExtractError(f"line {line}: 16-bit OP/s {op!r} of {name!r} is not a number") from None
            if value < 0:
                raise ExtractError(f"line {line}: 16-bit OP/s of {name!r} is negative")
        flag = r["Include in Standard Analysis"].strip()
        if flag not in ("True", ""):
            raise ExtractError(f"line {line}: inclusion flag {flag!r} of {name!r} is neither True nor empty")
        out.append({new: r[old].strip() for old, new in COLUMNS.items()})
    if not out:
        raise ExtractError(f"no row with Status {STATUS!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    return csv_extract_cli.run(
        argv,
        prog="data_epoch_clusters_extract",
        description=__doc__.split("\n\n")[0],
        source_help="Epoch's CSV (gpu_clusters.csv)",
        need=set(COLUMNS) | {"Status"},
        fields=list(COLUMNS.values()),
        extract=extract,
        error=ExtractError,
        noun="clusters",
    )


if __name__ == "__main__":
    sys.exit(main())
