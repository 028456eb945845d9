"""Layout of `coalesce schema` in the human formats: what the document is, its top-level properties
(name, type, required, description), then the JSON Schema itself, exactly as `--format json` prints it."""

from __future__ import annotations

from typing import Any

from coalesce.render.document import Block, Code, Column, Document, Heading, Paragraph, Table, Value
from coalesce.schemas import SchemaView


def _type(prop: Any) -> str:
    """A property's JSON Schema type in words: `integer`, `array of string`, `Recommendation or null`."""
    if not isinstance(prop, dict):
        return "any"
    if "$ref" in prop:
        return str(prop["$ref"]).rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        if key in prop:
            return " or ".join(dict.fromkeys(_type(p) for p in prop[key]))
    if "enum" in prop:
        return "one of " + ", ".join(str(v) for v in prop["enum"])
    if "const" in prop:
        return f"exactly {prop['const']}"
    kind = prop.get("type")
    if kind == "array":
        return f"array of {_type(prop.get('items', {}))}"
    if kind == "object" and isinstance(prop.get("additionalProperties"), dict):
        return f"object of {_type(prop['additionalProperties'])}"
    if isinstance(kind, list):
        return " or ".join(str(k) for k in kind)
    return str(kind) if kind else "any"


def schema(view: SchemaView) -> Document:
    if view.document == "list":
        listing: dict[str, dict[str, str]] = view.schema  # type: ignore[assignment]
        kinds = [(name, "output", what) for name, what in listing["outputs"].items()]
        kinds += [(name, "input", what) for name, what in listing["inputs"].items()]
        return Document(
            (
                Heading("JSON Schemas: the documents coalesce reads and writes"),
                Paragraph("Print one with: coalesce schema DOCUMENT"),
                Table(
                    (Column("document", "id"), Column("kind"), Column("printed by / read from")), tuple(kinds)
                ),
            )
        )
    title = str(view.schema.get("title", view.document))
    blocks: list[Block] = [Heading(f"JSON Schema: {view.document} ({title})")]
    description = view.schema.get("description")
    if isinstance(description, str) and description.strip():
        blocks.append(Paragraph(" ".join(description.split())))
    properties = view.schema.get("properties")
    required = set(view.schema.get("required", []) or [])  # type: ignore[call-overload]
    if isinstance(properties, dict) and properties:
        rows: tuple[tuple[Value, ...], ...] = tuple(
            (
                name,
                _type(prop),
                name in required,
                " ".join(str(prop.get("description", "")).split()) or None
                if isinstance(prop, dict)
                else None,
            )
            for name, prop in properties.items()
        )
        blocks.append(
            Table(
                (Column("property", "id"), Column("type"), Column("required"), Column("description")),
                rows,
                title="Top-level properties",
            )
        )
    blocks += [Heading("The schema", 2), Code(view.text, "json")]
    return Document(tuple(blocks))
