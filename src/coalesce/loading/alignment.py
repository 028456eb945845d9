"""Read the issue-specific alignment data (data/alignment/) lazily: nothing is read until a caller
asks, and each matrix is read once. The bloc competence table is read by `coalesce.loading.blocs`.

Every malformed file gives `file:line:col: message` problems (a DataError, exit 65).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from coalesce.errors import DataError, Problem
from coalesce.loading.validate import validate_model
from coalesce.loading.yamlsafe import position_of
from coalesce.models.alignment import (
    AlignmentManifest,
    ConvenerRecord,
    PairMatrix,
    VoteCategoryId,
)

MANIFEST = Path("alignment") / "alignment.yaml"
MAX_CSV_BYTES = 4 * 1024 * 1024
_CODE = re.compile(r"^[A-Z]{2,3}$")
CONVENER_COLUMNS = (
    "code",
    "lowy_posts",
    "lowy_embassies",
    "pax_agreements",
    "pax_processes",
    "pax_agreements_2010",
    "pax_hosted",
)


def _read_text(path: Path) -> str:
    label = str(path)
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise DataError([Problem(label, 0, 0, f"file is over the {MAX_CSV_BYTES}-byte limit")])
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise DataError([Problem(label, 0, 0, "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise DataError([Problem(label, 0, 0, f"not UTF-8 text (byte {exc.start})")]) from None
    except OSError as exc:
        raise DataError([Problem(label, 0, 0, f"cannot read: {exc.strerror}")]) from None


def _column(cells: list[str], k: int) -> int:
    """1-based character column of cell k in an unquoted CSV line."""
    return 1 + sum(len(c) + 1 for c in cells[:k])


def parse_pair_matrix(
    text: str, label: str, name: str, total_field: str, unit: bool, integer: bool
) -> PairMatrix:
    """Parse a lower-triangular matrix: header `code,<total_field>,C1,C2,...`, then row i is
    `Ci,<total>,v(i,1),...,v(i,i-1)`. Values are in [0, 1] (`unit`) or non-negative integers
    (`integer`); an empty cell is a missing figure."""
    problems: list[Problem] = []
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise DataError([Problem(label, 1, 1, "file is empty; expected a header line")])
    header = rows[0]
    if header[:2] != ["code", total_field]:
        raise DataError(
            [
                Problem(
                    label, 1, 1, f"header must start with 'code,{total_field}', got {','.join(header[:2])!r}"
                )
            ]
        )
    codes = header[2:]
    for k, code in enumerate(codes, start=2):
        if not _CODE.match(code):
            problems.append(Problem(label, 1, _column(header, k), f"header: {code!r} is not an actor code"))
    if len(set(codes)) != len(codes):
        problems.append(Problem(label, 1, 1, "header: an actor code is listed twice"))
    if len(rows) - 1 != len(codes):
        problems.append(
            Problem(label, len(rows), 1, f"expected {len(codes)} rows after the header, got {len(rows) - 1}")
        )
    totals: dict[str, float | None] = {}
    lower: list[tuple[float | None, ...]] = []
    for i, row in enumerate(rows[1:]):
        line = i + 2
        if i >= len(codes):
            break
        if not row or row[0] != codes[i]:
            got = row[0] if row else ""
            problems.append(
                Problem(
                    label,
                    line,
                    1,
                    f"row {i + 1}: code {got!r}, expected {codes[i]!r} (rows follow the header's order)",
                )
            )
            continue
        if len(row) != i + 2:
            problems.append(
                Problem(
                    label,
                    line,
                    1,
                    f"row {codes[i]}: {len(row)} cells, expected {i + 2} (code, {total_field}, then one per earlier code)",
                )
            )
            continue
        totals[codes[i]] = _number(
            row, 1, f"row {codes[i]}, {total_field}", label, line, False, True, problems
        )
        values = tuple(
            _number(row, k + 2, f"row {codes[i]}, column {codes[k]}", label, line, unit, integer, problems)
            for k in range(i)
        )
        lower.append(values)
    if problems:
        raise DataError(problems)
    return PairMatrix(name=name, codes=tuple(codes), totals=totals, lower=tuple(lower))


def _number(
    cells: list[str],
    k: int,
    where: str,
    label: str,
    line: int,
    unit: bool,
    integer: bool,
    problems: list[Problem],
) -> float | None:
    raw = cells[k]
    if raw == "":
        return None
    try:
        value = float(int(raw)) if integer else float(raw)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        problems.append(Problem(label, line, _column(cells, k), f"{where}: {raw!r} is not {kind}"))
        return None
    if value != value or value < 0 or (unit and value > 1) or value == float("inf"):
        bound = "in [0, 1]" if unit else "non-negative"
        problems.append(Problem(label, line, _column(cells, k), f"{where}: {raw} must be {bound}"))
        return None
    return value


def parse_conveners(text: str, label: str) -> dict[str, ConvenerRecord]:
    """Parse conveners.csv (columns CONVENER_COLUMNS) into records; empty Lowy cells are missing."""
    problems: list[Problem] = []
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(rows[0]) != CONVENER_COLUMNS:
        raise DataError([Problem(label, 1, 1, f"header must be {','.join(CONVENER_COLUMNS)}")])
    out: dict[str, ConvenerRecord] = {}
    for i, row in enumerate(rows[1:]):
        line = i + 2
        if len(row) != len(CONVENER_COLUMNS):
            problems.append(Problem(label, line, 1, f"{len(row)} cells, expected {len(CONVENER_COLUMNS)}"))
            continue
        fields: dict[str, Any] = {"code": row[0]}
        for k, column in enumerate(CONVENER_COLUMNS[1:], start=1):
            raw = row[k]
            if raw == "":
                fields[column] = None
                continue
            try:
                fields[column] = int(raw)
            except ValueError:
                problems.append(
                    Problem(
                        label, line, _column(row, k), f"row {row[0]}, {column}: {raw!r} is not a whole number"
                    )
                )
        if any(p.line == line for p in problems):
            continue
        fields = {k: v for k, v in fields.items() if v is not None or k.startswith("lowy")}
        record, found = validate_model(ConvenerRecord, fields, label)
        problems += [Problem(label, line, 1, p.message) for p in found]
        if record is not None:
            if record.code in out:
                problems.append(Problem(label, line, 1, f"row {record.code}: listed twice"))
            out[record.code] = record
    if problems:
        raise DataError(problems)
    return out


class AlignmentData:
    """The files of data/alignment/, read on first use."""

    def __init__(self, manifest: AlignmentManifest, directory: Path) -> None:
        self.manifest = manifest
        self.directory = directory
        self._votes: dict[str, PairMatrix] = {}
        self._conveners: dict[str, ConvenerRecord] | None = None
        self._igo: PairMatrix | None = None

    def votes(self, category: VoteCategoryId) -> PairMatrix:
        """Agreement of every pair on UNGA roll calls of this category (KeyError if not in the manifest)."""
        if category not in self._votes:
            spec = self.manifest.votes.categories[category]
            path = self.directory / spec.file
            self._votes[category] = parse_pair_matrix(
                _read_text(path), str(path), f"votes-{category}", "votes", unit=True, integer=False
            )
        return self._votes[category]

    def conveners(self) -> dict[str, ConvenerRecord]:
        """Each actor's convener record, by code."""
        if self._conveners is None:
            path = self.directory / self.manifest.conveners.file
            self._conveners = parse_conveners(_read_text(path), str(path))
        return self._conveners

    def igo_shared(self) -> PairMatrix:
        """Intergovernmental organisations each pair shares."""
        if self._igo is None:
            path = self.directory / self.manifest.igo.file
            self._igo = parse_pair_matrix(
                _read_text(path), str(path), "igo-shared", "igos", unit=False, integer=True
            )
        return self._igo


@lru_cache(maxsize=8)
def load_alignment(directory: Path) -> AlignmentData | None:
    """The manifest of `directory`/alignment/, or None when the data directory has none."""
    from coalesce.loading.files import read_tree, require_mapping

    path = directory / MANIFEST
    if not path.is_file():
        return None
    from coalesce.loading import cache
    from coalesce.loading.files import read_bytes

    def validated() -> AlignmentManifest:
        label = str(path)
        tree = require_mapping(read_tree(path), label, "a mapping with 'votes', 'conveners' and 'igo'")
        manifest, problems = validate_model(AlignmentManifest, tree, label)
        if problems or manifest is None:
            raise DataError(problems)
        return manifest

    raw = read_bytes(path)
    return AlignmentData(
        cache.validated_file("alignment", "alignment.yaml", raw, AlignmentManifest, validated), path.parent
    )


def check_alignment(
    directory: Path, world: Any, issue_ids: set[str], source_ids: set[str]
) -> Iterator[Problem]:
    """Read every alignment and bloc file fully and check its references against the world."""
    codes = {a.code for a in world.actors}
    try:
        data = load_alignment.__wrapped__(directory)
    except DataError as exc:
        yield from exc.problems
        data = None
    if data is not None:
        label = str(directory / MANIFEST)
        tree = _tree(directory / MANIFEST)
        spec = data.manifest
        for path, cited in (
            (("votes", "source"), spec.votes.source),
            (("conveners", "lowy_source"), spec.conveners.lowy_source),
            (("conveners", "pax_source"), spec.conveners.pax_source),
            (("igo", "source"), spec.igo.source),
        ):
            if cited not in source_ids:
                line, col = position_of(tree, path)
                yield Problem(label, line, col, f"{'.'.join(path)}: unknown source {cited!r}")
        groupings = {g.id for g in world.groupings}
        for issue_id in spec.issues:
            if issue_id not in issue_ids:
                line, col = position_of(tree, ("issues", issue_id))
                yield Problem(label, line, col, f"issues.{issue_id}: unknown issue {issue_id!r}")
        links = [("issues", k, v) for k, v in spec.issues.items()]
        links += [("decisions", k, v) for k, v in spec.decisions.items()]
        for section, key, link in links:
            for r, regime in enumerate(link.regimes):
                if regime not in groupings:
                    line, col = position_of(tree, (section, key, "regimes", r))
                    yield Problem(label, line, col, f"{section}.{key}.regimes: unknown grouping {regime!r}")
        loaders: list[tuple[str, Any]] = [(c, lambda c=c: data.votes(c)) for c in spec.votes.categories]
        loaders += [("igo", data.igo_shared), ("conveners", data.conveners)]
        for what, load in loaders:
            try:
                loaded = load()
            except DataError as exc:
                yield from exc.problems
                continue
            found = set(loaded.codes if isinstance(loaded, PairMatrix) else loaded)
            unknown = sorted(found - codes)
            if unknown:
                yield Problem(label, 0, 0, f"{what}: codes not in states.yaml: {', '.join(unknown)}")
    from coalesce.loading.blocs import check_blocs

    yield from check_blocs(directory, world, issue_ids, source_ids)


def _tree(path: Path) -> Any:
    from coalesce.loading.files import read_tree

    return read_tree(path)
