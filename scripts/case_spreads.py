#!/usr/bin/env python3
"""Recompute the alignment spread of every calibration negotiation in data/cases.yaml.

The spread of a negotiation is the range (max - min) of the UN General Assembly ideal points
(column ``IdealPointAll``) of its negotiating states, in the session that covers the year the talks
started (session = start year - 1945). The party list is the negotiation's ``party_codes``; with
``all_un: true`` it is every state with an ideal point in that session.

Usage:
    python scripts/case_spreads.py RAW_IDEALPOINTS_CSV [--cases data/cases.yaml] [--verbose]

RAW_IDEALPOINTS_CSV is the Voeten/Strezhnev/Bailey session file
(``IdealpointestimatesAll_Jun2024.csv``). The script prints one line per negotiation and, for every
shipped ``spread`` that differs from the recomputed value (rounded to 3 decimals), a MISMATCH line.
Exit status: 0 when every shipped value matches, 1 on any mismatch or missing input, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
from pathlib import Path

import yaml

FIRST_SESSION_YEAR = 1945  # session n covers (roughly) the year 1945 + n


class _StrictBoolLoader(yaml.SafeLoader):
    """Safe loader where only ``true``/``false`` are booleans (so ``NO`` stays a string)."""


_StrictBoolLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _bool_constructor(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    value = loader.construct_scalar(node)
    return {"true": True, "false": False}.get(str(value), value)


_StrictBoolLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))
_StrictBoolLoader.add_constructor("tag:yaml.org,2002:bool", _bool_constructor)


def load_ideal_points(path: Path) -> dict[int, list[tuple[str, float]]]:
    """Return {session: [(iso3, ideal_point), ...]} for every row with a numeric ideal point."""
    by_session: dict[int, list[tuple[str, float]]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"session", "IdealPointAll", "iso3c"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
        for row in reader:
            raw = (row.get("IdealPointAll") or "").strip()
            if raw in ("", "NA"):
                continue
            try:
                value = float(raw)
                session = int(row["session"])
            except ValueError:
                continue
            if math.isnan(value):
                continue
            by_session.setdefault(session, []).append((row["iso3c"].strip(), value))
    return by_session


def session_for(start: str) -> int:
    return int(str(start)[:4]) - FIRST_SESSION_YEAR


def spread_of(negotiation: dict, ideal_points: dict[int, list[tuple[str, float]]]):
    """Return (spread, session, used_codes, absent_codes) or raise ValueError."""
    session = session_for(negotiation["start"])
    rows = ideal_points.get(session)
    if not rows:
        raise ValueError(f"no ideal points for session {session}")
    if negotiation.get("all_un") is True:
        values = [v for _, v in rows]
        used = sorted({c for c, _ in rows})
        absent: list[str] = []
    else:
        codes = negotiation.get("party_codes")
        if not codes:
            raise ValueError("neither party_codes nor all_un: true")
        wanted = {str(c) for c in codes}
        values = [v for c, v in rows if c in wanted]
        used = sorted(wanted & {c for c, _ in rows})
        absent = sorted(wanted - set(used))
    if len(values) < 2:
        raise ValueError(f"fewer than two parties with an ideal point in session {session}")
    return round(max(values) - min(values), 3), session, used, absent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw_csv", type=Path, help="IdealpointestimatesAll_Jun2024.csv")
    parser.add_argument(
        "--cases",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "data" / "cases.yaml",
        help="cases file to check (default: data/cases.yaml)",
    )
    parser.add_argument("--verbose", action="store_true", help="list the codes used per negotiation")
    args = parser.parse_args(argv)

    try:
        ideal_points = load_ideal_points(args.raw_csv)
        with args.cases.open(encoding="utf-8") as handle:
            document = yaml.load(handle, Loader=_StrictBoolLoader)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    negotiations = (document or {}).get("negotiations") or []
    problems = 0
    for item in negotiations:
        ident = item.get("id", "?")
        try:
            computed, session, used, absent = spread_of(item, ideal_points)
        except (KeyError, ValueError) as exc:
            print(f"{ident}: cannot compute spread: {exc}")
            problems += 1
            continue
        shipped = item.get("spread")
        status = "ok"
        if not isinstance(shipped, (int, float)) or abs(float(shipped) - computed) > 5e-4:
            status = f"MISMATCH shipped={shipped!r}"
            problems += 1
        basis = "all states voting" if item.get("all_un") is True else f"{len(used)} parties"
        line = f"{ident}: session {session}, {basis}, spread={computed:.3f} [{status}]"
        if absent:
            line += f"; no ideal point in that session for {', '.join(absent)}"
        print(line)
        if args.verbose:
            print(f"    used: {', '.join(used)}")
    print(f"{len(negotiations)} negotiations checked, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
