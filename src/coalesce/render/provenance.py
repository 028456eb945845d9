"""What produced a memo: scenarios, overrides, date, tool and data versions, and the sources cited.

The date is never the clock's, so the same command on the same data prints the same memo: it is the
`--date` given, else "data as of" the newest source year in the data. The data version is the first 12
hex digits of the SHA-256 of states.yaml and issues.yaml, so two memos from different data differ.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coalesce.loading.files import Dataset


@dataclass(frozen=True)
class SourceLine:
    id: str
    publisher: str
    year: int
    title: str
    url: str
    quality: str


@dataclass(frozen=True)
class Provenance:
    tool_version: str
    data_version: str
    date: str
    scenarios: tuple[str, ...] = ()
    weight_overrides: dict[str, float] = field(default_factory=dict)
    sets: dict[str, Any] = field(default_factory=dict)
    sources: tuple[SourceLine, ...] = ()


def data_version(dataset: Dataset) -> str:
    digest = hashlib.sha256()
    for name in ("states.yaml", "issues.yaml"):
        path = dataset.directory / name
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:12]


def _cited(result: Any) -> list[str]:
    recs = getattr(result, "recommendations", None)
    recs = list(recs) if recs is not None else [result]
    seen: dict[str, None] = {}
    for rec in recs:
        for criterion in getattr(rec, "criteria", {}).values():
            for source in criterion.sources:
                seen.setdefault(source, None)
    return list(seen)


def build(
    dataset: Dataset,
    result: Any,
    *,
    date: str | None,
    weight_overrides: Mapping[str, float],
    scenarios: Iterable[str] | None = None,
    sets: Mapping[str, Any] | None = None,
) -> Provenance:
    """The provenance of a result computed on `dataset`."""
    from coalesce import __version__

    params = getattr(result, "parameters", None)
    newest = max((s.year for s in dataset.sources.values()), default=None)
    sources = []
    for sid in sorted(_cited(result)):
        s = dataset.sources.get(sid)
        if s is not None:
            sources.append(SourceLine(s.id, s.publisher, s.year, s.title, s.url, s.quality_flag))
    return Provenance(
        tool_version=__version__,
        data_version=data_version(dataset),
        date=date if date else (f"data as of {newest}" if newest else "undated"),
        scenarios=tuple(scenarios if scenarios is not None else getattr(params, "scenarios", ())),
        weight_overrides=dict(weight_overrides),
        sets=dict(sets if sets is not None else getattr(params, "sets", {})),
        sources=tuple(sources),
    )


def _overrides(p: Provenance) -> tuple[str, str, str]:
    scen = ", ".join(p.scenarios) or "none (baseline)"
    weights = ", ".join(f"{k}={v:g}" for k, v in p.weight_overrides.items()) or "none (defaults)"
    sets = ", ".join(f"{k}={v}" for k, v in p.sets.items()) or "none"
    return scen, weights, sets


def markdown(p: Provenance) -> str:
    """A "Provenance" and a "Sources" section for the end of a markdown memo."""
    scen, weights, sets = _overrides(p)
    lines = [
        "",
        "## Provenance",
        "",
        f"- **Scenarios:** {scen}",
        f"- **Weight overrides:** {weights}",
        f"- **--set overrides:** {sets}",
        f"- **Date:** {p.date}",
        f"- **Tool:** coalesce {p.tool_version}; **data version:** {p.data_version}",
        "",
        "### Sources",
        "",
    ]
    if not p.sources:
        lines.append("- none cited")
    for s in p.sources:
        lines.append(f"- `{s.id}` ({s.quality}): {s.publisher} ({s.year}), {s.title}. {s.url}")
    return "\n".join(lines) + "\n"


def text(p: Provenance, width: int = 100) -> str:
    """The same, as plain lines under a table, wrapped to `width` (ids and addresses never broken)."""
    import textwrap

    def wrap(line: str, indent: str = "") -> list[str]:
        return textwrap.wrap(
            line,
            width=max(20, width),
            initial_indent=indent,
            subsequent_indent=indent + "    ",
            break_long_words=False,
            break_on_hyphens=False,
        )

    scen, weights, sets = _overrides(p)
    lines = [""]
    for line in (
        f"Scenarios: {scen}",
        f"Weight overrides: {weights}",
        f"--set overrides: {sets}",
        f"Date: {p.date}",
        f"Tool: coalesce {p.tool_version}; data version: {p.data_version}",
    ):
        lines += wrap(line)
    lines.append("Sources:")
    if not p.sources:
        lines.append("  none cited")
    for s in p.sources:
        lines += wrap(f"{s.id} ({s.quality}): {s.publisher} ({s.year}), {s.title}. {s.url}", "  ")
    return "\n".join(lines) + "\n"
