"""Read and check the bloc competence table (data/blocs.yaml): where each bloc acts for its members."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from coalesce.errors import DataError, Problem
from coalesce.loading.validate import validate_model
from coalesce.loading.yamlsafe import position_of
from coalesce.models.alignment import BlocFile

BLOCS = Path("blocs.yaml")


@lru_cache(maxsize=8)
def load_blocs(directory: Path) -> BlocFile | None:
    """data/blocs.yaml of `directory`, or None when there is none."""
    path = directory / BLOCS
    if not path.is_file():
        return None
    from coalesce.loading import cache
    from coalesce.loading.files import read_bytes

    return cache.validated_file(
        "blocs", "blocs.yaml", read_bytes(path), BlocFile, lambda: _validated(directory)
    )


def _validated(directory: Path) -> BlocFile:
    tree, label = _blocs_tree(directory)
    blocs, problems = validate_model(BlocFile, tree, label)
    if problems or blocs is None:
        raise DataError(problems)
    return blocs


def _blocs_tree(directory: Path) -> tuple[Any, str]:
    from coalesce.loading.files import read_tree, require_mapping

    path = directory / BLOCS
    if not path.is_file():
        return None, str(path)
    return require_mapping(read_tree(path), str(path), "a mapping with 'blocs'"), str(path)


def check_blocs(directory: Path, world: Any, issue_ids: set[str], source_ids: set[str]) -> Iterator[Problem]:
    """Read blocs.yaml fully; its blocs, groupings, issues and sources must exist, and a forum that is a
    grouping must seat the bloc as a member exactly when the grouping lists it."""
    try:
        blocs = load_blocs.__wrapped__(directory)
    except DataError as exc:
        yield from exc.problems
        return
    if blocs is None:
        return
    tree, label = _blocs_tree(directory)
    kinds = {a.code: a.kind for a in world.actors}
    members: dict[str, set[str]] = {g.id: set() for g in world.groupings}
    for actor in world.actors:
        for g in actor.memberships:
            members.setdefault(g, set()).add(actor.code)

    def at(path: tuple[Any, ...], message: str) -> Problem:
        line, col = position_of(tree, ("blocs", *path))
        return Problem(label, line, col, message)

    for b, table in enumerate(blocs.blocs):
        if kinds.get(table.bloc) != "bloc":
            yield at((b, "bloc"), f"blocs[{table.bloc}]: not a bloc in states.yaml")
        for f, forum in enumerate(table.forums):
            where = f"blocs[{table.bloc}].forums[{forum.forum}]"
            if forum.source not in source_ids:
                yield at((b, "forums", f, "source"), f"{where}.source: unknown source {forum.source!r}")
            if forum.forum in members:
                listed = table.bloc in members[forum.forum]
                if listed != (forum.seat == "member"):
                    yield at(
                        (b, "forums", f, "seat"),
                        f"{where}.seat: {forum.seat!r}, but groupings list {table.bloc} "
                        f"{'as' if listed else 'not as'} a member of {forum.forum}",
                    )
        for i, role in enumerate(table.issues):
            where = f"blocs[{table.bloc}].issues[{role.issue}]"
            if role.issue not in issue_ids:
                yield at((b, "issues", i, "issue"), f"{where}: unknown issue {role.issue!r}")
            if role.source not in source_ids:
                yield at((b, "issues", i, "source"), f"{where}.source: unknown source {role.source!r}")
