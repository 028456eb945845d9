#!/usr/bin/env python3
"""Derive each actor's convener record: diplomatic network size and peace-process third-party record.

Usage (from the repository root):

    python scripts/derive_conveners.py \
        --lowy ../shared/data/raw/lowy_global_diplomacy_index_2016-2023_posts.csv.gz \
        --pax ../shared/data/raw/pax_all_agreements_data_v6.csv.gz \
        [--states data/states.yaml] [--out data/alignment/conveners.csv]

Columns of the output (one row per actor in states.yaml, sorted by code; an empty cell is missing):
- lowy_posts: diplomatic posts abroad in the Lowy Global Diplomacy Index, 2023 data (every
  embassy, high commission, consulate, permanent mission and other post, one row each in the
  index). Only the 66 networks the index covers have a figure; the rest are missing, not 0.
- lowy_embassies: of those, embassies and high commissions.
- pax_agreements: PA-X v6 agreements (15 Feb 1990 - 12 Jan 2023) that name the actor among the
  third parties (mediators, facilitators, guarantors, witnesses; column ThrdPart), leaving out
  agreements about a conflict located in the actor itself (Loc1ISO/Loc2ISO).
- pax_processes: distinct peace processes (PA-X column PP) among those agreements.
- pax_agreements_2010: the agreements dated 2010 or later.
- pax_hosted: PA-X agreements whose title names a city in the actor (Doha, Oslo, Geneva, ...),
  again leaving out conflicts located in the actor. The gazetteer is the Lowy 2023 post cities
  (city -> the country of the post), keeping names longer than three letters that lie in one
  country only; a venue without a foreign post (Dayton, Arusha) is not counted.
PA-X counts are 0 for an actor never named: the database covers every agreement it found, so
absence from every third-party list is a real zero, unlike the Lowy gaps.
Names are matched as whole words against the actor's name, aliases, ISO names and the variants
in EXTRA_NAMES (docs/data.md states the rule and its limits).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

import pycountry
import yaml

LOWY_YEAR = "2023"
LOWY_NAMES = {
    "Taiwan*": "TWN",
    "European External Action Service": "EU",
    "Laos": "LAO",
    "Palestine*": "PSE",
}
EMBASSY = "Embassy / High Commission"
RECENT_FROM = "2010"
# Extra spellings met in PA-X's third-party text. Adjectives only where they cannot be a language
# or a region ("French", "American", "Congolese" and "Korean" are left out on purpose).
EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "USA": ("USA", "U.S.", "U.S.A.", "US Government", "United States"),
    "GBR": ("UK", "U.K.", "Britain", "British Government", "United Kingdom"),
    "RUS": ("Russia", "Russian Federation", "Russian"),
    "NOR": ("Norwegian",),
    "CHE": ("Swiss",),
    "QAT": ("Qatari",),
    "EGY": ("Egyptian",),
    "KEN": ("Kenyan",),
    "DEU": ("German Government", "Federal Republic of Germany"),
    "ITA": ("Italian",),
    "ETH": ("Ethiopian",),
    "UGA": ("Ugandan",),
    "TZA": ("Tanzanian", "Tanzania"),
    "NGA": ("Nigerian",),
    "DZA": ("Algerian",),
    "SAU": ("Saudi", "Kingdom of Saudi Arabia"),
    "TUR": ("Turkey", "Türkiye", "Turkish"),
    "CHN": ("Chinese",),
    "JPN": ("Japanese",),
    "NLD": ("Netherlands", "Dutch"),
    "SWE": ("Swedish",),
    "CAN": ("Canadian",),
    "IRN": ("Iran", "Iranian"),
    "ARE": ("UAE", "U.A.E.", "Emirati"),
    "ZAF": ("South African",),
    "MYS": ("Malaysian",),
    "IDN": ("Indonesian",),
    "SYR": ("Syria",),
    "LBY": ("Libya",),
    "COD": ("DRC", "Democratic Republic of Congo"),
    "COG": ("Republic of Congo", "Congo-Brazzaville"),
    "CIV": ("Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"),
    "EU": ("European Union", "EU"),
}


def _open(path: Path):
    return (
        gzip.open(path, "rt", encoding="utf-8-sig", newline="")
        if path.suffix == ".gz"
        else open(path, encoding="utf-8-sig", newline="")
    )


def actor_names(states: Path) -> dict[str, list[str]]:
    """Actor code -> the names it may appear under (states.yaml, ISO, EXTRA_NAMES)."""
    with open(states, encoding="utf-8") as fh:
        actors = yaml.safe_load(fh)["actors"]
    out: dict[str, list[str]] = {}
    for a in actors:
        code = str(a["code"])
        names = {str(a["name"]), *map(str, a.get("aliases", [])), *EXTRA_NAMES.get(code, ())}
        country = pycountry.countries.get(alpha_3=code)
        if country is not None:
            names |= {
                getattr(country, f) for f in ("name", "official_name", "common_name") if hasattr(country, f)
            }
        # Two-letter aliases (US, UK, EU) are matched only as listed in EXTRA_NAMES
        out[code] = sorted(n for n in names if len(n) > 2 or n in EXTRA_NAMES.get(code, ()))
    return out


def name_matcher(names: dict[str, list[str]]):
    """A function text -> set of codes named in it (longest name first, so 'South Sudan' is not 'Sudan')."""
    pairs = sorted(((n, c) for c, ns in names.items() for n in ns), key=lambda p: -len(p[0]))
    pattern = re.compile("|".join(rf"(?<![\w.]){re.escape(n)}(?![\w])" for n, _ in pairs))
    code_of = {n: c for n, c in pairs}

    def match(text: str) -> set[str]:
        return {code_of[m.group(0)] for m in pattern.finditer(text)}

    return match


def lowy_networks(path: Path, names: dict[str, list[str]]) -> dict[str, tuple[int, int]]:
    """Code -> (posts, embassies and high commissions) in the LOWY_YEAR edition."""
    by_name = {n.casefold(): c for c, ns in names.items() for n in ns}
    posts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with _open(path) as fh:
        for row in csv.DictReader(fh):
            if row["year"] != LOWY_YEAR:
                continue
            name = row["COUNTRY"]
            code = LOWY_NAMES.get(name) or by_name.get(name.casefold())
            if code is None:
                raise SystemExit(f"derive_conveners: Lowy sender {name!r} is not an actor")
            posts[code][0] += 1
            posts[code][1] += row["TYPE OF POST"] == EMBASSY
    return {c: (p[0], p[1]) for c, p in posts.items()}


def lowy_gazetteer(path: Path, names: dict[str, list[str]]) -> dict[str, str]:
    """City -> actor code, from the LOWY_YEAR post cities (cities in one country only, over 3 letters)."""
    by_name = {n.casefold(): c for c, ns in names.items() for n in ns}
    seen: dict[str, set[str]] = defaultdict(set)
    with _open(path) as fh:
        for row in csv.DictReader(fh):
            if row["year"] != LOWY_YEAR:
                continue
            country = row["POST COUNTRY"].strip()
            code = LOWY_NAMES.get(country) or by_name.get(country.casefold())
            seen[row["POST CITY"].strip()].add(code or "?")
    return {city: next(iter(c)) for city, c in seen.items() if len(c) == 1 and "?" not in c and len(city) > 3}


def pax_third_parties(path: Path, match, cities: dict[str, str]) -> dict[str, dict[str, set[str]]]:
    """Code -> {'agreements', 'processes', 'recent', 'hosted'}: sets of PA-X AgtIds (PP ids for processes)."""
    out: dict[str, dict[str, set[str]]] = defaultdict(
        lambda: {"agreements": set(), "processes": set(), "recent": set(), "hosted": set()}
    )
    venue = re.compile("|".join(rf"\b{re.escape(c)}\b" for c in sorted(cities, key=lambda c: (-len(c), c))))
    with _open(path) as fh:
        for row in csv.DictReader(fh):
            located = {row["Loc1ISO"].strip(), row["Loc2ISO"].strip()}
            for city in set(venue.findall(row["Agt"])):
                if cities[city] not in located:
                    out[cities[city]]["hosted"].add(row["AgtId"])
            for code in match(row["ThrdPart"]) - located:
                out[code]["agreements"].add(row["AgtId"])
                out[code]["processes"].add(row["PP"])
                if row["Dat"][:4] >= RECENT_FROM:
                    out[code]["recent"].add(row["AgtId"])
    return out


def main(argv: list[str] | None = None) -> int:
    repo = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lowy", required=True, type=Path)
    ap.add_argument("--pax", required=True, type=Path)
    ap.add_argument("--states", type=Path, default=repo / "data" / "states.yaml")
    ap.add_argument("--out", type=Path, default=repo / "data" / "alignment" / "conveners.csv")
    args = ap.parse_args(argv)
    names = actor_names(args.states)
    lowy = lowy_networks(args.lowy, names)
    pax = pax_third_parties(args.pax, name_matcher(names), lowy_gazetteer(args.lowy, names))
    header = [
        "code",
        "lowy_posts",
        "lowy_embassies",
        "pax_agreements",
        "pax_processes",
        "pax_agreements_2010",
        "pax_hosted",
    ]
    rows = [header]
    for code in sorted(names):
        posts, embassies = lowy.get(code, (None, None))
        rec = pax.get(code, {"agreements": set(), "processes": set(), "recent": set(), "hosted": set()})
        rows.append(
            [
                code,
                "" if posts is None else str(posts),
                "" if embassies is None else str(embassies),
                str(len(rec["agreements"])),
                str(len(rec["processes"])),
                str(len(rec["recent"])),
                str(len(rec["hosted"])),
            ]
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    top = sorted(rows[1:], key=lambda r: -int(r[3]))[:15]
    print("top third parties:", ", ".join(f"{r[0]} {r[3]}/{r[4]}" for r in top), file=sys.stderr)
    hosts = sorted(rows[1:], key=lambda r: -int(r[6]))[:10]
    print("top hosts:", ", ".join(f"{r[0]} {r[6]}" for r in hosts), file=sys.stderr)
    print(f"Lowy networks: {len(lowy)}; wrote {args.out} ({args.out.stat().st_size} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
