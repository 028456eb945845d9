"""Timing fresh processes for the start-up benches: wall and CPU seconds, interleaved so that the load of
a shared machine falls on every command alike, and ratios taken within one run."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
STACK = [PYTHON, "-c", "import typer, rich, pydantic, yaml"]
"""SPEC's yardstick: the import of the stack coalesce is built on."""


def base_env(source: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a timed run: this checkout's source (or `source`, another checkout's src, to
    time two versions in one run), no colour, the cache on unless told."""
    env = {**os.environ, "PYTHONPATH": str(source or ROOT / "src"), "NO_COLOR": "1"}
    env.pop("COALESCE_NO_CACHE", None)
    # An installed package has its bytecode compiled (pip does it); without this, a session that sets
    # PYTHONDONTWRITEBYTECODE would time the compilation of every module on every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(extra)
    return env


@dataclass
class Timed:
    """Wall and CPU (user + system) seconds of each run of one command."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    stdout: str = ""

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def run_once(args: Sequence[str], env: dict[str, str], into: Timed) -> None:
    """Run `args` once in a fresh process, adding its wall and CPU seconds to `into`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(list(args), capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[:500]}")
    into.wall.append(wall)
    into.cpu.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    into.stdout = done.stdout


def fresh_cache_env() -> Callable[[], dict[str, str]]:
    """A factory of environments each with an empty cache directory of its own (a cold start)."""
    base = Path(tempfile.mkdtemp(prefix="coalesce-bench-cold-"))
    counter = iter(range(10**9))

    def make() -> dict[str, str]:
        return base_env(XDG_CACHE_HOME=str(base / str(next(counter))))

    return make


def warm_cache_env(source: Path | None = None) -> dict[str, str]:
    """An environment whose cache directory persists for the whole bench (warm after the first run)."""
    return base_env(source, XDG_CACHE_HOME=tempfile.mkdtemp(prefix="coalesce-bench-warm-"))


def interleave(
    commands: dict[str, tuple[Sequence[str], Callable[[], dict[str, str]]]], runs: int
) -> dict[str, Timed]:
    """Each command `runs` times, round-robin (all commands once, then again), so drift in the
    machine's load is shared out."""
    results = {name: Timed() for name in commands}
    for _ in range(runs):
        for name, (args, env) in commands.items():
            run_once(args, env(), results[name])
    return results
