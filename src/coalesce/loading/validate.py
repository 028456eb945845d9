"""Pydantic validation with every error turned into `file:line:col: message`."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from coalesce.errors import Problem
from coalesce.loading.yamlsafe import key_position, position_of

M = TypeVar("M", bound=BaseModel)


def readable_path(tree: Any, loc: tuple[Any, ...]) -> str:
    """A dotted path such as `actors[USA].capabilities.chip-equipment.share`."""
    parts: list[str] = []
    node = tree
    for step in loc:
        if isinstance(step, int):
            label = str(step)
            try:
                item = node[step]
                if isinstance(item, dict):
                    ident = item.get("code") or item.get("id")
                    if isinstance(ident, str):
                        label = ident
            except (IndexError, KeyError, TypeError):
                item = None
            parts.append(f"[{label}]")
            node = item
        else:
            parts.append(("." if parts else "") + str(step))
            try:
                node = node[step] if isinstance(node, dict) else None
            except (KeyError, TypeError):
                node = None
    return "".join(parts) or "(top level)"


def _message(error: Any, path: str) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown field {path!r}"
    if kind == "missing":
        return f"{path}: missing required field"
    value = error.get("input")
    shown = (
        repr(value)
        if not isinstance(value, dict | list)
        else ("a mapping" if isinstance(value, dict) else "a list")
    )
    msg = error["msg"]
    if kind in ("float_type", "int_type") and isinstance(value, str):
        msg += " (quote-free decimal numbers only: no dates, 1:30 or 010)"
    if kind == "string_pattern_mismatch" and path.endswith("code"):
        msg = "must be an uppercase ISO 3166-1 alpha-3 code (or a bloc code such as EU)"
    if kind == "value_error":
        msg = msg.removeprefix("Value error, ")
    return f"{path}: {msg}, got {shown}"


def validate_model(model: type[M], tree: Any, label: str) -> tuple[M | None, list[Problem]]:
    """Validate `tree` as `model`; return the model or the problems (with file positions)."""
    try:
        return model.model_validate(tree), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(step for step in error["loc"] if not (isinstance(step, str) and step in _UNION_TAGS))
            path = readable_path(tree, loc)
            where = key_position(tree, loc) if error["type"] == "extra_forbidden" else position_of(tree, loc)
            problems.append(Problem(label, where[0], where[1], _message(error, path)))
        return None, problems


_UNION_TAGS = {
    "consensus",
    "majority",
    "qualified-majority",
    "double-majority",
    "weighted",
    "veto-quota",
}
