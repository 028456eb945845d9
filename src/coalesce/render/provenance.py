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
    from coalesce.render.document import Block


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
    names: dict[str, str] = field(default_factory=dict)
    """Full names of the actors the result names (members, conveners, invitees), by code."""
    cites: bool = True
    """Whether the result cites its figures' sources (propose, score, ...). A result that cites none by
    design (power, sweep, backtest, a listing) gets no "Sources" section rather than "none cited"."""


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


def _scenarios(result: Any) -> list[str]:
    """The scenarios applied (propose, score, ...) or compared with the baseline (compare)."""
    params = getattr(result, "parameters", None)
    if params is not None:
        return list(params.scenarios)
    return [c.scenario for c in getattr(result, "comparisons", [])]


def build(
    dataset: Dataset,
    result: Any,
    *,
    date: str | None,
    weight_overrides: Mapping[str, float],
    scenarios: Iterable[str] | None = None,
    sets: Mapping[str, Any] | None = None,
    cites: bool = True,
) -> Provenance:
    """The provenance of a result computed on `dataset` (`cites`: see Provenance.cites)."""
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
        scenarios=tuple(scenarios if scenarios is not None else _scenarios(result)),
        weight_overrides=dict(weight_overrides),
        sets=dict(sets if sets is not None else getattr(params, "sets", {})),
        sources=tuple(sources),
        names={a.code: a.name for a in dataset.world.actors},
        cites=cites,
    )


def _overrides(p: Provenance) -> tuple[str, str, str]:
    scen = ", ".join(p.scenarios) or "none (baseline)"
    weights = ", ".join(f"{k}={v:g}" for k, v in p.weight_overrides.items()) or "none (defaults)"
    sets = ", ".join(f"{k}={v}" for k, v in p.sets.items()) or "none"
    return scen, weights, sets


def blocks(p: Provenance) -> list[Block]:
    """A "Provenance" and a "Sources" section for the end of a memo, in every format (no "Sources" for a
    result that cites none by design)."""
    from coalesce.render.document import Bullets, Fields, Heading  # not on a JSON result's path

    scen, weights, sets = _overrides(p)
    sources = tuple(f"{s.id} ({s.quality}): {s.publisher} ({s.year}), {s.title}. {s.url}" for s in p.sources)
    cited: list[Block] = [Heading("Sources", 3), Bullets(sources or ("none cited",))] if p.cites else []
    return [
        Heading("Provenance", 2),
        Fields(
            (
                ("Scenarios", scen),
                ("Weight overrides", weights),
                ("--set overrides", sets),
                ("Date", p.date),
                ("Tool", f"coalesce {p.tool_version}; data version: {p.data_version}"),
            )
        ),
        *cited,
    ]
