"""constraints.txt: every dependency is pinned, the pins satisfy pyproject.toml, and CI installed them."""

from __future__ import annotations

import os
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def pins() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        assert sep, f"constraints.txt: {line!r} is not pinned with =="
        found[canonicalize_name(name)] = version
    return found


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    return [Requirement(text) for text in project["dependencies"] + extras["test"]]


@pytest.mark.parametrize("requirement", declared(), ids=str)
def test_every_declared_dependency_is_pinned_within_its_range(requirement: Requirement) -> None:
    pinned = pins().get(canonicalize_name(requirement.name))
    assert pinned is not None, f"{requirement.name} is not in constraints.txt"
    assert requirement.specifier.contains(pinned, prereleases=True), f"{requirement} excludes {pinned}"


@pytest.mark.skipif(os.environ.get("COALESCE_NEWEST") == "1", reason="the newest-releases run ignores pins")
@pytest.mark.parametrize("requirement", declared(), ids=str)
def test_the_installed_version_is_the_pinned_one(requirement: Requirement) -> None:
    installed = metadata.version(requirement.name)
    assert installed == pins()[canonicalize_name(requirement.name)], (
        f"{requirement.name} {installed} is installed but constraints.txt pins another version; "
        "install with `pip install -c constraints.txt -e '.[test]'`"
    )
