#!/usr/bin/env python3
"""Derive the number of intergovernmental organisations each pair of states shares (COW IGO v3, 2014).

Usage (from the repository root):

    python scripts/derive_igo_overlap.py \
        --igo ../shared/data/raw/cow_igo_v3_state_year_memberships.csv.gz \
        --ideal-points ../shared/data/raw/unga_idealpoints_IdealpointestimatesAll_Jun2024.csv \
        [--states data/states.yaml] [--out data/alignment/igo-shared.csv]

Rule: full memberships (status 1) in 2014, the last year of the data; associate members and
observers do not count. COW country codes are turned into ISO3 with the (ccode, iso3c) pairs of
the Voeten ideal-point file. The output has the votes matrices' layout: a header of actor codes,
then one row per actor with its own IGO count and its shared count with every earlier code. An
actor with no COW record (the EU, Palestine, and any state without a 2014 row) has empty cells.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
from pathlib import Path

import yaml

YEAR = "2014"
FULL_MEMBER = "1"
# COW keeps Serbia under Yugoslavia's code 345 ("yugoslaviaserb"); in 2014 that is the Republic of Serbia.
ISO_FIX = {"YUG": "SRB"}


def ccode_to_iso3(ideal_points: Path) -> dict[str, str]:
    """COW ccode -> ISO3, from the ideal-point file's own pairs (its latest session wins)."""
    out: dict[str, tuple[int, str]] = {}
    with open(ideal_points, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            iso = row["iso3c"]
            if iso and iso != "NA":
                session = int(row["session"])
                if row["ccode"] not in out or out[row["ccode"]][0] < session:
                    out[row["ccode"]] = (session, iso)
    return {c: ISO_FIX.get(iso, iso) for c, (_, iso) in out.items()}


def memberships(igo: Path, codes: dict[str, str]) -> dict[str, set[str]]:
    """ISO3 -> the IGOs it was a full member of in YEAR."""
    out: dict[str, set[str]] = {}
    with gzip.open(igo, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["year"] == YEAR and row["status"] == FULL_MEMBER and row["ccode"] in codes:
                out.setdefault(codes[row["ccode"]], set()).add(row["ioname"])
    return out


def main(argv: list[str] | None = None) -> int:
    repo = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--igo", required=True, type=Path)
    ap.add_argument("--ideal-points", required=True, type=Path)
    ap.add_argument("--states", type=Path, default=repo / "data" / "states.yaml")
    ap.add_argument("--out", type=Path, default=repo / "data" / "alignment" / "igo-shared.csv")
    args = ap.parse_args(argv)
    with open(args.states, encoding="utf-8") as fh:
        actors = sorted(str(a["code"]) for a in yaml.safe_load(fh)["actors"])
    member = memberships(args.igo, ccode_to_iso3(args.ideal_points))
    igos = sorted({i for s in member.values() for i in s})
    bit = {name: 1 << k for k, name in enumerate(igos)}
    mask = {c: sum(bit[i] for i in member[c]) for c in actors if c in member}
    rows = [["code", "igos", *actors]]
    for i, ci in enumerate(actors):
        row = [ci, str(mask[ci].bit_count()) if ci in mask else ""]
        for cj in actors[:i]:
            row.append(str((mask[ci] & mask[cj]).bit_count()) if ci in mask and cj in mask else "")
        rows.append(row)
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    missing = [c for c in actors if c not in mask]
    print(
        f"{len(mask)} actors with IGO data, missing {missing}; {len(igos)} IGOs; "
        f"wrote {args.out} ({args.out.stat().st_size} bytes)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
