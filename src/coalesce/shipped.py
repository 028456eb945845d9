"""The example scenarios shipped with the package, and naming one without a path.

In a wheel they live in `coalesce/examples/scenarios/` (pyproject force-includes them); in a checkout
they are the repository's `examples/scenarios/`. `--scenario china-walks-out` names a shipped one;
anything that is an existing file, or looks like a path, is read as a path.
"""

from __future__ import annotations

import difflib
from pathlib import Path


def scenario_dir() -> Path:
    """Where the shipped scenarios are: inside the installed package, or the checkout's examples/."""
    here = Path(__file__).resolve().parent
    packaged = here / "examples" / "scenarios"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "examples" / "scenarios"


def shipped_scenarios() -> dict[str, Path]:
    """Name (the file's stem) -> file, sorted by name."""
    folder = scenario_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def resolve_scenario(value: str | Path) -> Path:
    """A path as given if it exists or looks like a path; else a shipped scenario's file.

    A value that is neither raises UsageError with the nearest shipped names.
    """
    from coalesce.errors import UsageError

    path = Path(value)
    text = str(value)
    if text == "-" or path.exists():  # `-` is standard input
        return path
    shipped = shipped_scenarios()
    looks_like_path = "/" in text or "\\" in text
    name = path.stem if path.suffix in (".yaml", ".yml") else text
    if not looks_like_path and name in shipped:
        return shipped[name]
    if looks_like_path or path.suffix:
        return path  # a file that does not exist: the loader reports it as it reports any missing file
    close = difflib.get_close_matches(name, list(shipped), n=2)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    names = ", ".join(shipped) or "none"
    raise UsageError(f"--scenario {text}: neither a file nor a shipped scenario{hint} (shipped: {names})")
