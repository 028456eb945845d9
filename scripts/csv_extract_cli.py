"""The command line shared by the CSV-to-CSV extract scripts (data_ghs_extract, data_epoch_clusters_extract).

Each script gives its publisher's column names, its output columns and a pure `extract` function; this
module reads the source CSV, refuses one without the needed columns, runs `extract` and writes the
extract with Unix line ends, so that running a script again gives a byte-identical file.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path


def run(
    argv: list[str] | None,
    *,
    prog: str,
    description: str,
    source_help: str,
    need: Iterable[str],
    fields: Sequence[str],
    extract: Callable[[list[dict[str, str]]], list[dict[str, str]]],
    error: type[Exception],
    noun: str,
) -> int:
    ap = argparse.ArgumentParser(prog=prog, description=description)
    ap.add_argument("source", help=source_help)
    ap.add_argument("out", help="the extract to write")
    args = ap.parse_args(argv)
    try:
        with open(args.source, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = set(need) - set(reader.fieldnames or ())
            if missing:
                raise error(f"missing columns {sorted(missing)}")
            rows = extract(list(reader))
    except (error, OSError) as exc:
        print(f"{prog}: {args.source}: {exc}", file=sys.stderr)
        return 1
    with open(Path(args.out), "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(fields), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {args.out} ({len(rows)} {noun})", file=sys.stderr)
    return 0
