#!/usr/bin/env python3
"""Extract the IMF's own table of members' quotas and votes into a small CSV.

Usage (from the repository root):

    git --git-dir=$REPO show 06fa72bc:www.imf.org/en/About/executive-board/members-quotas.html > mq.html
    python scripts/data_imf_extract.py mq.html data/raw/imf_members_quotas_2022-10_extract.csv

$REPO is the bare git directory of `goutham4391/finalfinance`, whose commit 06fa72bc (20 Oct 2022)
holds an HTTrack copy of the IMF page "IMF Members' Quotas and Voting Power, and IMF Board of
Governors" (https://www.imf.org/en/About/executive-board/members-quotas), mirrored on 2 Oct 2022,
the page's own "Last Updated" date. Provenance: data/raw/README.md.

The script reads every member row (the IMF's ISO code, the member's name, its quota in millions of
SDRs and percent of total, its votes and percent of total votes) and the totals row, checks that the
member rows add up to the printed totals, and writes one CSV row per member, sorted by ISO code,
with the totals as a last row `TOTAL`. Governors' names are not copied. Values are as printed.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

FIELDS = ("iso3", "member", "quota_sdr_m", "quota_percent", "votes", "votes_percent")
CELL_LABELS = {
    "Member": "member",
    "Millions of SDRs": "quota_sdr_m",
    "Percent of Total Quota": "quota_percent",
    "Number": "votes",
    "Percent of Total Votes": "votes_percent",
}


class ExtractError(Exception):
    """The page does not look as expected."""


class _Table(HTMLParser):
    """Collects the member rows (cells with a data-label) and the totals row of the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[dict[str, str]] = []
        self.totals: list[str] = []
        self._row: dict[str, str] | None = None
        self._cell: str | None = None
        self._text: list[str] = []
        self._in_sup = 0
        self._in_totals = False
        self._total_cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr":
            self._row = {}
        elif tag == "input" and self._row is not None and (a.get("id") or "").endswith("hdISOCODE"):
            self._row["iso3"] = (a.get("value") or "").strip()
        elif tag == "td" and self._row is not None and a.get("data-label") in CELL_LABELS:
            self._cell = CELL_LABELS[str(a["data-label"])]
            self._text = []
        elif tag == "td" and self._in_totals:
            self._total_cell = []
        elif tag == "sup":
            self._in_sup += 1
        elif tag == "a" and a.get("name") == "total":
            self._in_totals = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "sup":
            self._in_sup -= 1
        elif tag == "td" and self._cell is not None and self._row is not None:
            self._row[self._cell] = " ".join("".join(self._text).split())
            self._cell = None
        elif tag == "td" and self._total_cell is not None:
            self.totals.append(" ".join("".join(self._total_cell).split()))
            self._total_cell = None
        elif tag == "tr" and self._row is not None:
            if "member" in self._row:
                self.rows.append(self._row)
            self._row = None
        elif tag == "table" and self._in_totals and self.totals:
            self._in_totals = False

    def handle_data(self, data: str) -> None:
        if self._in_sup:
            return  # footnote markers (Article VIII acceptance) are not part of the value
        if self._cell is not None:
            self._text.append(data)
        elif self._total_cell is not None:
            self._total_cell.append(data)


def _number(text: str) -> float:
    if not re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d+)?|\d+(\.\d+)?", text):
        raise ExtractError(f"not a number: {text!r}")
    return float(text.replace(",", ""))


def extract(html: str) -> list[dict[str, str]]:
    if (
        "IMF Members&#39; Quotas and Voting Power" not in html
        and "IMF Members' Quotas and Voting Power" not in html
    ):
        raise ExtractError(
            "not the IMF page 'IMF Members' Quotas and Voting Power, and IMF Board of Governors'"
        )
    parser = _Table()
    parser.feed(html)
    rows = []
    for r in parser.rows:
        missing = [f for f in FIELDS if not r.get(f)]
        if missing:
            raise ExtractError(f"member row {r.get('member')!r}: missing {missing}")
        rows.append({f: r[f] for f in FIELDS})
    totals = [t for t in parser.totals if t]
    if len(totals) < 4:
        raise ExtractError(f"totals row not found (read {parser.totals!r})")
    quota_total, _, votes_total, _ = totals[:4]
    q = sum(_number(r["quota_sdr_m"]) for r in rows)
    v = sum(_number(r["votes"]) for r in rows)
    if abs(q - _number(quota_total)) > 0.5 or v != _number(votes_total):
        raise ExtractError(
            f"members add up to quota {q:,.1f} and votes {v:,.0f}, page prints {quota_total} and {votes_total}"
        )
    isos = [r["iso3"] for r in rows]
    if len(set(isos)) != len(isos):
        raise ExtractError("an ISO code appears twice")
    rows.sort(key=lambda r: r["iso3"])
    for r in rows:
        r["quota_sdr_m"] = r["quota_sdr_m"].replace(",", "")
        r["votes"] = r["votes"].replace(",", "")
    rows.append(
        {
            "iso3": "TOTAL",
            "member": "TOTALS: General Department and Special Drawing Rights Department",
            "quota_sdr_m": quota_total.replace(",", ""),
            "quota_percent": "100.0",
            "votes": votes_total.replace(",", ""),
            "votes_percent": "100.0",
        }
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("html", help="the saved members-quotas page")
    ap.add_argument("out", help="the CSV to write")
    args = ap.parse_args(argv)
    try:
        rows = extract(Path(args.html).read_text(encoding="utf-8"))
    except (ExtractError, OSError, UnicodeDecodeError) as exc:
        print(f"data_imf_extract: error: {exc}", file=sys.stderr)
        return 1
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {args.out}: {len(rows) - 1} members", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
