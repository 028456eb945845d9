"""Strict, safe YAML: plain data with the position of every node, and nothing read by surprise.

Only `true`/`false` are booleans, so `NO` (Norway) stays a string. Numbers are decimal; a plain scalar
that YAML 1.1 would read as octal, sexagesimal, hex, NaN or infinity is an error rather than a guess.
Anchors, aliases and custom tags are refused (no "billion laughs"), as are duplicate keys, deep nesting,
oversized files and bytes that are not UTF-8. The tree is built from the parser's event stream, so a
hostile file cannot exhaust the stack.
"""

from __future__ import annotations

import re
from typing import Any

from coalesce.errors import DataError, Problem

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64
MAX_NUMBER_CHARS = 40
MAX_TEXT_CHARS = 10_000
"""Longest scalar (a title, a note, a name): the shipped data's longest is under 700 characters, and a
megabyte title would take minutes to lay out in a table."""

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(
    r"[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+|(?:0|[1-9][0-9]*)(?=[eE]))(?:[eE][-+]?[0-9]+)?"
)
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
# Plain scalars that YAML 1.1 (or a reader's eye) would take for a number we refuse to guess at.
_AMBIGUOUS = [
    (re.compile(r"[-+]?0[0-9_]+"), "has a leading zero (YAML 1.1 reads it as octal)"),
    (
        re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"),
        "looks sexagesimal (YAML 1.1 reads 1:30 as 90)",
    ),
    (re.compile(r"[-+]?0[xXoObB][0-9a-fA-F_]+"), "is a hex, octal or binary literal"),
    (re.compile(r"[-+]?\.(?:nan|NaN|NAN|inf|Inf|INF)"), "is NaN or infinity"),
    (re.compile(r"[-+]?[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?"), "uses digit separators"),
]

Position = tuple[int, int]


class PosDict(dict[str, Any]):
    """A mapping that remembers where it and each of its keys and values stood in the file."""

    pos: Position = (0, 0)
    key_pos: dict[str, Position]
    value_pos: dict[str, Position]


class PosList(list[Any]):
    """A sequence that remembers where it and each of its items stood in the file."""

    pos: Position = (0, 0)
    item_pos: list[Position]


def _mark(event: Any) -> Position:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def _plain(value: str, where: Position, label: str) -> Any:
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if (_INT.fullmatch(value) or _FLOAT.fullmatch(value)) and len(value) > MAX_NUMBER_CHARS:
        raise DataError(
            [
                Problem(
                    label,
                    where[0],
                    where[1],
                    f"number {value[:20]}... is {len(value)} characters long; too long to be a figure",
                )
            ]
        )
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        number = float(value)
        if number in (float("inf"), float("-inf")):
            raise DataError([Problem(label, where[0], where[1], f"number {value!r} overflows to infinity")])
        return number
    for pattern, why in _AMBIGUOUS:
        if pattern.fullmatch(value):
            raise DataError(
                [Problem(label, where[0], where[1], f"ambiguous value {value!r} {why}; quote it")]
            )
    return value


_FLOW_SPECIAL = re.compile(r"[\[\]{}'\"#|>]")
_DOUBLE_QUOTED_REST = re.compile(r'(?:[^"\\]|\\.)*"', re.DOTALL)
_SINGLE_QUOTED_REST = re.compile(r"(?:[^']|'')*'")
_NODE_START_BLOCK = frozenset(":-?")
_NODE_START_FLOW = frozenset("[{,:?")


def _at_node_start(text: str, pos: int, in_flow: bool) -> bool:
    """Whether a node may begin at `pos` (so a quote, bracket or block indicator there is one)."""
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos].rstrip(" ")
    if not before:
        return True
    if in_flow:
        return before[-1] in _NODE_START_FLOW
    # In block context an indicator needs a space after it: `a:[` and `-[` are plain scalars.
    return before[-1] in _NODE_START_BLOCK and len(before) < pos - line_start


def _check_flow_depth(text: str, label: str) -> None:
    """Refuse flow nesting deeper than MAX_DEPTH before the parser sees it.

    libyaml looks ahead through a run of `[` or `{` (each may open a simple key) and, since 0.2.6,
    stops at depth 1,000 with its own message; this scan finds the 65th level first, whatever the
    library does. Quoted scalars, comments and block scalars are skipped, so a bracket in text is
    never counted.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth, pos, search = 0, 0, _FLOW_SPECIAL.search
    while (found := search(text, pos)) is not None:
        char, at = found.group(), found.start()
        pos = at + 1
        if char in "[{":
            if depth or _at_node_start(text, at, in_flow=False):
                depth += 1
                if depth > MAX_DEPTH:
                    line = text.count("\n", 0, at) + 1
                    column = at - (text.rfind("\n", 0, at) + 1) + 1
                    raise DataError([Problem(label, line, column, f"nesting deeper than {MAX_DEPTH} levels")])
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char in "'\"":
            if _at_node_start(text, at, in_flow=depth > 0):
                rest = (_DOUBLE_QUOTED_REST if char == '"' else _SINGLE_QUOTED_REST).match(text, pos)
                if rest is None:
                    return  # an unterminated quote: the parser reports it with its position
                pos = rest.end()
        elif char == "#":
            if at == 0 or text[at - 1] in " \t\n":
                newline = text.find("\n", at)
                pos = len(text) if newline < 0 else newline
        elif depth == 0 and _at_node_start(text, at, in_flow=False):  # a block scalar, | or >
            line_start = text.rfind("\n", 0, at) + 1
            indent = len(text[line_start:at]) - len(text[line_start:at].lstrip(" "))
            pos = _end_of_block_scalar(text, at, indent)


def _end_of_block_scalar(text: str, at: int, indent: int) -> int:
    """The offset just past a block scalar's content: the lines indented deeper than its parent's."""
    newline = text.find("\n", at)
    while newline >= 0:
        next_newline = text.find("\n", newline + 1)
        line = text[newline + 1 : next_newline if next_newline >= 0 else len(text)]
        if line.strip() and len(line) - len(line.lstrip(" ")) <= indent:
            return newline + 1
        newline = next_newline
    return len(text)


def decode(raw: bytes, label: str) -> str:
    """UTF-8 text from bytes, refusing oversized files and other encodings; a BOM is dropped."""
    if len(raw) > MAX_BYTES:
        raise DataError([Problem(label, 0, 0, f"file is {len(raw)} bytes, over the {MAX_BYTES}-byte limit")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            [Problem(label, line, 0, f"not UTF-8: byte {raw[exc.start]:#04x} at offset {exc.start}")]
        ) from None
    return text.removeprefix("\ufeff")


def load(text: str, label: str) -> Any:
    """Parse one YAML document into PosDict/PosList/scalars. Raises DataError with file:line:col."""
    import yaml  # here, not at the top: a warm start reads the plain-type cache and never parses YAML

    if "\x00" in text:
        raise DataError([Problem(label, 0, 0, "file contains a NUL byte; it is not a text file")])
    _check_flow_depth(text, label)
    stack: list[Any] = []
    pending_key: list[Any] = []
    root: Any = None
    documents = 0
    seen_root = False

    def attach(value: Any, where: Position) -> None:
        nonlocal root, seen_root
        if not stack:
            root, seen_root = value, True
            return
        parent = stack[-1]
        if isinstance(parent, PosList):
            parent.append(value)
            parent.item_pos.append(where)
        elif pending_key[-1] is _NO_KEY:
            if not isinstance(value, str):
                kind = (
                    "a mapping"
                    if isinstance(value, dict)
                    else "a list"
                    if isinstance(value, list)
                    else repr(value)
                )
                raise DataError(
                    [Problem(label, where[0], where[1], f"mapping key must be a string, not {kind}")]
                )
            if value in parent:
                first = parent.key_pos[value]
                raise DataError(
                    [
                        Problem(
                            label, where[0], where[1], f"duplicate key {value!r} (first at line {first[0]})"
                        )
                    ]
                )
            pending_key[-1] = value
            parent.key_pos[value] = where
        else:
            key = pending_key[-1]
            parent[key] = value
            parent.value_pos[key] = where
            pending_key[-1] = _NO_KEY

    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            kind = type(event).__name__
            if kind in ("StreamStartEvent", "StreamEndEvent", "DocumentEndEvent"):
                continue
            where = _mark(event)
            if kind == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    raise DataError(
                        [Problem(label, where[0], where[1], "more than one YAML document in the file")]
                    )
                continue
            if kind == "AliasEvent":
                raise DataError([Problem(label, where[0], where[1], "aliases (*name) are not allowed")])
            if getattr(event, "anchor", None):
                raise DataError([Problem(label, where[0], where[1], "anchors (&name) are not allowed")])
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!":
                raise DataError([Problem(label, where[0], where[1], f"tags such as {tag!r} are not allowed")])
            if kind == "ScalarEvent":
                scalar: Any = event
                if len(scalar.value) > MAX_TEXT_CHARS:
                    raise DataError(
                        [
                            Problem(
                                label,
                                where[0],
                                where[1],
                                f"a value of {len(scalar.value):,} characters; at most {MAX_TEXT_CHARS:,}",
                            )
                        ]
                    )
                # The non-specific tag `!` asks for a string (YAML spec), so `! 18` is "18", not 18.
                plain = scalar.implicit[0] and not scalar.style and tag is None
                value = _plain(scalar.value, where, label) if plain else scalar.value
                attach(value, where)
            elif kind in ("MappingStartEvent", "SequenceStartEvent"):
                if len(stack) >= MAX_DEPTH:
                    raise DataError(
                        [Problem(label, where[0], where[1], f"nesting deeper than {MAX_DEPTH} levels")]
                    )
                container: Any
                if kind == "MappingStartEvent":
                    container = PosDict()
                    container.key_pos, container.value_pos = {}, {}
                else:
                    container = PosList()
                    container.item_pos = []
                container.pos = where
                attach(container, where)
                stack.append(container)
                pending_key.append(_NO_KEY)
            else:  # MappingEndEvent / SequenceEndEvent
                stack.pop()
                pending_key.pop()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        problem = getattr(exc, "problem", None) or str(exc)
        position = getattr(exc, "position", None)
        if mark is None and isinstance(position, int):  # a reader error: a character YAML forbids
            before = text[:position]
            line, col = before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
            bad = text[position : position + 1]
            problem = (
                f"character {bad!r} (U+{ord(bad):04X}) is not allowed in YAML" if bad else "unreadable text"
            )
        problem = " ".join(str(problem).split())
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            problem = "a tab character: YAML is indented with spaces, not tabs"
        raise DataError([Problem(label, line, col, f"malformed YAML: {problem}")]) from None
    if not seen_root:
        return None
    return root


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


class _NoKey:
    def __repr__(self) -> str:
        return "<no key>"


_NO_KEY: Any = _NoKey()


def position_of(tree: Any, path: tuple[Any, ...]) -> Position:
    """The file position of the node at `path` (keys and list indices), or the nearest ancestor's."""
    node, best = tree, getattr(tree, "pos", (0, 0))
    for step in path:
        if isinstance(node, PosDict) and isinstance(step, str) and step in node:
            best = node.value_pos.get(step, best)
            node = node[step]
        elif isinstance(node, PosDict) and isinstance(step, str) and step in node.key_pos:
            best = node.key_pos[step]
            break
        elif isinstance(node, PosList) and isinstance(step, int) and 0 <= step < len(node):
            best = node.item_pos[step]
            node = node[step]
        else:
            break
    return best


def key_position(tree: Any, path: tuple[Any, ...]) -> Position:
    """Where the key that ends `path` was written (useful for 'unknown field' messages)."""
    if not path:
        return getattr(tree, "pos", (0, 0))
    parent = tree
    for step in path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return position_of(tree, path)
    last = path[-1]
    if isinstance(parent, PosDict) and last in parent.key_pos:
        return parent.key_pos[last]
    return position_of(tree, path)
