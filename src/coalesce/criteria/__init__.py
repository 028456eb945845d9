"""The criteria registry: name -> module. Adding a criterion means one new module listed here."""

from __future__ import annotations

from types import ModuleType

from coalesce.criteria import capability, expertise, parsimony, rivals, timeliness, veto

REGISTRY: dict[str, ModuleType] = {
    module.NAME: module for module in (capability, parsimony, expertise, veto, timeliness, rivals)
}
"""Criterion modules by name, in the canonical order of SPEC."""
