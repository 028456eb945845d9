#!/usr/bin/env python3
"""Derive pairwise UN General Assembly vote agreement per issue category.

Usage (from the repository root):

    python scripts/derive_vote_agreement.py \
        --votes ../shared/data/raw/unga_votes_1946-2019_unvotes.csv.gz \
        --roll-calls ../shared/data/raw/unga_roll_calls_1946-2019_unvotes.csv.gz \
        --issues ../shared/data/raw/unga_roll_call_issues_1946-2019_unvotes.csv \
        [--states data/states.yaml] [--out data/alignment]

Writes one lower-triangular CSV matrix per category (data/alignment/votes-<cat>.csv) and
prints a summary. The raw files are read from the given paths and never copied.

Rule (docs/data.md, "Issue-specific alignment"):
- window: sessions 65-74 (September 2010 - January 2020), the last ten in the raw file;
- a roll call counts for a pair when both states voted yes, no or abstain (absences are not in
  the file and are skipped);
- agreement on one roll call is 1 for the same vote, 0.5 when one abstained and the other did
  not, 0 for yes against no (Voeten's three-point coding, 1 - |a - b| / 2);
- a pair's figure is the mean over its shared roll calls, and is missing (an empty cell) when
  the pair shares fewer than MIN_SHARED roll calls in the category: missing is never 0.
The output is deterministic: the same inputs give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
from pathlib import Path

import yaml

SESSIONS = range(65, 75)  # 65-74: Sept 2010 - Jan 2020, the last ten sessions in the raw file
MIN_SHARED = 20  # fewer shared roll calls in a category gives no figure
CATEGORIES = ("me", "nu", "di", "hr", "co", "ec", "all")  # "all": every roll call in the window
DECIMALS = 3
# The raw file keeps Serbia under Yugoslavia's code (COW continuity); from session 61 (2006) on,
# "YU" is the Republic of Serbia.
CODE_FIX = {"YU": "SRB"}
VOTE_VALUE = {"yes": 0, "abstain": 1, "no": 2}


def _open(path: Path):
    return (
        gzip.open(path, "rt", encoding="utf-8", newline="")
        if path.suffix == ".gz"
        else open(path, encoding="utf-8", newline="")
    )


def read_window(votes: Path, roll_calls: Path, issues: Path) -> tuple[dict[str, set[str]], dict]:
    """The window's roll calls per category and every state's votes as {rcid: 0/1/2}."""
    with _open(roll_calls) as fh:
        in_window = {r["rcid"] for r in csv.DictReader(fh) if int(r["session"]) in SESSIONS}
    by_cat: dict[str, set[str]] = {c: set() for c in CATEGORIES}
    by_cat["all"] = set(in_window)
    with _open(issues) as fh:
        for r in csv.DictReader(fh):
            if r["rcid"] in in_window and r["short_name"] in by_cat:
                by_cat[r["short_name"]].add(r["rcid"])
    cast: dict[str, dict[str, int]] = {}
    with _open(votes) as fh:
        for r in csv.DictReader(fh):
            if r["rcid"] not in in_window:
                continue
            code = r["iso3"] or CODE_FIX.get(r["iso2"], "")
            if not code:
                raise SystemExit(f"derive_vote_agreement: no ISO3 code for {r['iso2']!r} ({r['country']})")
            cast.setdefault(code, {})[r["rcid"]] = VOTE_VALUE[r["vote"]]
    return by_cat, cast


def masks(rcids: list[str], votes: dict[str, int]) -> tuple[int, int, int]:
    """Bit masks of the roll calls (in `rcids` order) where the state voted yes, abstained, no."""
    out = [0, 0, 0]
    for i, rcid in enumerate(rcids):
        v = votes.get(rcid)
        if v is not None:
            out[v] |= 1 << i
    return out[0], out[1], out[2]


def pair_agreement(a: tuple[int, int, int], b: tuple[int, int, int]) -> tuple[float, int]:
    """(mean agreement, shared roll calls) of two states' vote masks."""
    ya, aa, na = a
    yb, ab, nb = b
    shared = ((ya | aa | na) & (yb | ab | nb)).bit_count()
    if shared == 0:
        return 0.0, 0
    same = (ya & yb).bit_count() + (aa & ab).bit_count() + (na & nb).bit_count()
    half = (ya & ab).bit_count() + (aa & yb).bit_count() + (na & ab).bit_count() + (aa & nb).bit_count()
    return (same + 0.5 * half) / shared, shared


def matrix_rows(codes: list[str], rcids: list[str], cast: dict[str, dict[str, int]]) -> list[list[str]]:
    """CSV rows: header, then per actor its code, its vote count and its agreement with earlier codes."""
    m = {c: masks(rcids, cast.get(c, {})) for c in codes}
    rows = [["code", "votes", *codes]]
    for i, ci in enumerate(codes):
        n_cast = (m[ci][0] | m[ci][1] | m[ci][2]).bit_count()
        row = [ci, str(n_cast)]
        for cj in codes[:i]:
            value, shared = pair_agreement(m[ci], m[cj])
            row.append(f"{value:.{DECIMALS}f}" if shared >= MIN_SHARED else "")
        rows.append(row)
    return rows


def actor_codes(states: Path) -> list[str]:
    """Every actor code in states.yaml, sorted (blocs and non-members get empty rows)."""
    with open(states, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    return sorted(str(a["code"]) for a in doc["actors"])


def main(argv: list[str] | None = None) -> int:
    repo = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--votes", required=True, type=Path)
    ap.add_argument("--roll-calls", required=True, type=Path)
    ap.add_argument("--issues", required=True, type=Path)
    ap.add_argument("--states", type=Path, default=repo / "data" / "states.yaml")
    ap.add_argument("--out", type=Path, default=repo / "data" / "alignment")
    args = ap.parse_args(argv)
    codes = actor_codes(args.states)
    by_cat, cast = read_window(args.votes, args.roll_calls, args.issues)
    unknown = sorted(set(cast) - set(codes))
    if unknown:
        print(f"derive_vote_agreement: voters not in states.yaml: {unknown}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for cat in CATEGORIES:
        rcids = sorted(by_cat[cat], key=int)
        rows = matrix_rows(codes, rcids, cast)
        path = args.out / f"votes-{cat}.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
        cells = [c for r in rows[1:] for c in r[2:]]
        filled = sum(1 for c in cells if c)
        print(
            f"{cat}: {len(rcids)} roll calls, {filled}/{len(cells)} pairs with a figure, "
            f"{path.stat().st_size} bytes",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
