"""The case-vintage layer: population, GDP and UNGA alignment as of a case year, over today's world.

`data/case_vintage.yaml` is derived by `scripts/build_case_vintage.py` from the World Bank and Voeten raw
files. Applying a year replaces, for each state the layer covers, the `population` and `economy` shares
(uncertainty scaled to keep today's relative width), `population_m` and the ideal point with its
uncertainty; sets the EU's members to those of that year and its ideal point to their mean. A state the
layer lists as missing keeps today's figure. Every other figure is today's (stated in the results).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from coalesce.errors import DataError, Problem
from coalesce.loading.files import Dataset, read_tree
from coalesce.models.backtest import VintageInfo
from coalesce.models.world import Actor

FILE = "case_vintage.yaml"


@dataclass(frozen=True)
class Layer:
    """One year's figures."""

    year: int
    sessions: tuple[int, ...]
    eu_members: tuple[str, ...]
    population: dict[str, float]
    population_m: dict[str, float]
    economy: dict[str, float]
    alignment: dict[str, tuple[float, float]]
    missing: dict[str, int]


@lru_cache(maxsize=4)
def _read(path: Path) -> dict[int, Layer]:
    tree = read_tree(path)
    label = str(path)
    try:
        years = tree["years"]
        out = {}
        for year, row in years.items():
            out[int(year)] = Layer(
                year=int(year),
                sessions=tuple(int(s) for s in row["sessions"]),
                eu_members=tuple(str(c) for c in row["eu_members"]),
                population={str(k): float(v) for k, v in (row.get("population") or {}).items()},
                population_m={str(k): float(v) for k, v in (row.get("population_m") or {}).items()},
                economy={str(k): float(v) for k, v in (row.get("economy") or {}).items()},
                alignment={
                    str(k): (float(v[0]), float(v[1])) for k, v in (row.get("alignment") or {}).items()
                },
                missing={str(k): len(v) for k, v in (row.get("missing") or {}).items()},
            )
        return out
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise DataError(
            [
                Problem(
                    label,
                    1,
                    1,
                    f"{FILE}: unreadable vintage layer ({exc}); rebuild it with scripts/build_case_vintage.py",
                )
            ]
        ) from None


def layers(dataset: Dataset) -> dict[int, Layer]:
    """The layers in the dataset's directory (none if the file is absent)."""
    path = dataset.directory / FILE
    return _read(path) if path.exists() else {}


def _share(figure: Any, share: float) -> Any:
    old = figure.share
    relative = figure.uncertainty / old if old > 0 else 0.0
    uncertainty = max(share * relative, 0.00001) if relative > 0 else figure.uncertainty
    return figure.model_copy(update={"share": share, "uncertainty": uncertainty})


def _actor(actor: Actor, layer: Layer) -> Actor:
    update: dict[str, Any] = {}
    caps = dict(actor.capabilities)
    for domain, values in (("population", layer.population), ("economy", layer.economy)):
        if actor.code in values and domain in caps:
            caps[domain] = _share(caps[domain], values[actor.code])
    if caps != actor.capabilities:
        update["capabilities"] = caps
    if actor.code in layer.population_m:
        update["population_m"] = layer.population_m[actor.code]
    if actor.alignment is not None and actor.code in layer.alignment:
        ip, unc = layer.alignment[actor.code]
        update["alignment"] = actor.alignment.model_copy(update={"ideal_point": ip, "uncertainty": unc})
    return actor.model_copy(update=update) if update else actor


def apply(dataset: Dataset, year: int) -> tuple[Dataset, VintageInfo]:
    """The dataset with the year's layer applied (unchanged, `applied` false, if there is none)."""
    layer = layers(dataset).get(year)
    if layer is None:
        return dataset, VintageInfo(year=year, applied=False)
    actors = [_actor(a, layer) if a.kind == "state" else a for a in dataset.world.actors]
    by_code = {a.code: a for a in actors}
    eu = by_code.get("EU")
    if eu is not None and eu.kind == "bloc":
        members = [c for c in layer.eu_members if c in by_code]
        points = [by_code[c].alignment.ideal_point for c in members if by_code[c].alignment is not None]  # type: ignore[union-attr]
        update: dict[str, Any] = {"members": members}
        if eu.alignment is not None and points:
            update["alignment"] = eu.alignment.model_copy(update={"ideal_point": statistics.fmean(points)})
        actors = [eu.model_copy(update=update) if a.code == "EU" else a for a in actors]
    world = dataset.world.model_copy(update={"actors": actors})
    info = VintageInfo(year=year, applied=True, sessions=list(layer.sessions), missing=dict(layer.missing))
    return replace(dataset, world=world), info
