#!/usr/bin/env python3
"""Compare the regime lists in data/curation/groupings.yaml with the CIA World Factbook.

Usage (from the repository root):

    python scripts/check_regimes.py \
        --factbook ../shared/data/raw/cia_factbook_intl_org_participation_2026-01.csv \
        [--groupings data/curation/groupings.yaml] [--states data/states.yaml]

The groupings cite each regime's own list; the Factbook (January 2026) is a second reading with
known errors. This prints, per regime, who is only in ours and who is only in the Factbook, and
exits 1 when a difference is not one of the explained ones in EXPLAINED (each is documented in
docs/data.md, "Regime memberships"). A Factbook row counts as membership only without a
qualifier ("observer", "associate", "enhanced engagement" and the like are not membership).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import pycountry
import yaml

# Factbook organisation label(s) -> grouping id
FACTBOOK_ORG = {
    "NSG": ("NSG",),
    "Zangger": ("ZC",),
    "Australia-Group": ("Australia Group", "Australian Group"),
    "Wassenaar": ("Wassenaar Arrangement",),
    "FATF": ("FATF",),
    "Paris-Club": ("Paris Club",),
    "IEA": ("IEA",),
    "G7": ("G-7",),
    "G20": ("G-20",),
    "OECD": ("OECD",),
    "Quad": ("Quad",),
}
# Factbook names that are not actors, or that pycountry does not resolve
FACTBOOK_NAMES = {
    "European Union": "EU",
    "Russia": "RUS",
    "South Korea": "KOR",
    "Turkey": "TUR",
    "Hong Kong": "(HKG)",
    "Aruba": "(ABW)",
    "Curacao": "(CUW)",
}
# Every known difference: (grouping, code) -> why ours differs from the Factbook
EXPLAINED = {
    ("Australia-Group", "IND"): "India joined on 19 January 2018; the Factbook omits it",
    ("FATF", "IDN"): "Indonesia joined in October 2023; the Factbook omits it",
    ("FATF", "ISR"): "Israel joined in December 2018; the Factbook omits it",
    ("FATF", "MYS"): "Malaysia joined in February 2016; the Factbook omits it",
    ("FATF", "SAU"): "Saudi Arabia joined in June 2019; the Factbook omits it",
    ("FATF", "RUS"): "suspended since 24 February 2023; left out of ours",
    ("FATF", "(HKG)"): "Hong Kong, China is a member but not an actor here",
    ("FATF", "(ABW)"): "part of the Kingdom of the Netherlands' membership, not a member of its own",
    ("FATF", "(CUW)"): "part of the Kingdom of the Netherlands' membership, not a member of its own",
    ("Zangger", "NZL"): "in the Factbook's 2017 appendix (39 members) but not its 2026 country entry",
    ("Paris-Club", "BRA"): "a permanent member since 2016; the Factbook calls it an associate",
    ("Paris-Club", "KOR"): "a permanent member since 2016; the Factbook calls it an associate",
    ("IEA", "LTU"): "Lithuania joined in 2022; the Factbook omits it",
    ("IEA", "LVA"): "Latvia joined in 2024; the Factbook omits it",
    ("IEA", "MEX"): "Mexico joined in 2018; the Factbook omits it",
    ("IEA", "EU"): "the European Commission takes part but is not a member",
    ("OECD", "COL"): "Colombia joined on 28 April 2020; the Factbook omits it",
    ("OECD", "CRI"): "Costa Rica joined on 25 May 2021; the Factbook omits it",
    ("OECD", "LVA"): "Latvia joined on 1 July 2016; the Factbook omits it",
    ("OECD", "CHL"): "a member since 2010; the Factbook calls it 'enhanced engagement'",
    ("OECD", "IND"): "not a member; the Factbook lists it",
    ("OECD", "EU"): "the European Union takes part in the OECD's work but is not a member",
}


def factbook_members(path: Path, name_to_code: dict[str, str]) -> dict[str, set[str]]:
    """Grouping id -> the codes the Factbook lists as full members."""
    label_to_id = {label: gid for gid, labels in FACTBOOK_ORG.items() for label in labels}
    out: dict[str, set[str]] = {gid: set() for gid in FACTBOOK_ORG}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            gid = label_to_id.get(row["organization"])
            if gid is None or row["qualifier"].strip():
                continue
            name = row["name"]
            code = FACTBOOK_NAMES.get(name) or name_to_code.get(name.casefold())
            if code is None:
                country = pycountry.countries.get(name=name) or pycountry.countries.get(common_name=name)
                if country is None:
                    raise SystemExit(f"check_regimes: cannot map Factbook name {name!r}")
                code = country.alpha_3
            out[gid].add(code)
    return out


def differences(ours: dict[str, set[str]], theirs: dict[str, set[str]]) -> list[tuple[str, str, str]]:
    """(grouping, code, 'only ours' | 'only Factbook') for every difference."""
    out = []
    for gid in sorted(theirs):
        out += [(gid, c, "only ours") for c in sorted(ours.get(gid, set()) - theirs[gid])]
        out += [(gid, c, "only Factbook") for c in sorted(theirs[gid] - ours.get(gid, set()))]
    return out


def main(argv: list[str] | None = None) -> int:
    repo = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--factbook", required=True, type=Path)
    ap.add_argument("--groupings", type=Path, default=repo / "data" / "curation" / "groupings.yaml")
    ap.add_argument("--states", type=Path, default=repo / "data" / "states.yaml")
    args = ap.parse_args(argv)
    with open(args.states, encoding="utf-8") as fh:
        actors = yaml.safe_load(fh)["actors"]
    name_to_code = {}
    for a in actors:
        for name in [a["name"], *a.get("aliases", [])]:
            name_to_code[str(name).casefold()] = a["code"]
    with open(args.groupings, encoding="utf-8") as fh:
        ours = {g["id"]: {str(m) for m in g["members"]} for g in yaml.safe_load(fh)["groupings"]}
    theirs = factbook_members(args.factbook, name_to_code)
    unexplained = 0
    for gid, code, side in differences(ours, theirs):
        why = EXPLAINED.get((gid, code))
        unexplained += why is None
        print(f"{gid:16} {code:6} {side:14} {why or 'UNEXPLAINED'}")
    for gid in sorted(theirs):
        print(f"{gid:16} ours {len(ours.get(gid, ()))}, Factbook {len(theirs[gid])}", file=sys.stderr)
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
