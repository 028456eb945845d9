"""What a warm `propose` imports, in real processes (this test process has long imported everything).

The first run fills the plain-type cache (and parses YAML); on the second, the cache holds the world, so
no YAML is parsed: yaml is never imported. A JSON answer draws nothing, so rich is not imported either;
a markdown memo imports its own layout and not the other results' models and layouts. pydantic is still
imported: typer (0.29) coerces every option through a pydantic TypeAdapter, and the data and result
models are pydantic classes (docs/speed.md, "Stop 23 (branch start23)").
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, TINY, cli_env

TIMEOUT = 120

CHILD = """
import sys
from coalesce.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
sys.stderr.write("\\nMODULES " + ",".join(sorted(sys.modules)) + "\\n")
sys.exit(code)
"""


def _run(cache: Path, *args: str) -> tuple[str, set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        cwd=ROOT,
        env=cli_env(XDG_CACHE_HOME=str(cache)),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    modules = proc.stderr.rsplit("MODULES ", 1)[1].strip().split(",")
    return proc.stdout, set(modules)


def test_a_warm_json_propose_imports_neither_yaml_nor_rich(tmp_path: Path) -> None:
    line = ("propose", "chips", "--data", str(TINY), "--format", "json")
    cold_out, cold = _run(tmp_path, *line)
    assert "yaml" in cold  # the first run parses the files (so the check below can fail)
    warm_out, warm = _run(tmp_path, *line)
    assert warm_out == cold_out
    assert '"recommendations"' in warm_out
    for absent in ("yaml", "rich", "coalesce.render.document", "coalesce.models.analysis"):
        assert absent not in warm, absent
    assert "pydantic" in warm  # typer's option coercion and the models (see the module's docstring)


def test_a_warm_memo_imports_its_own_layout_only(tmp_path: Path) -> None:
    line = ("propose", "chips", "--data", str(TINY), "--format", "markdown")
    _run(tmp_path, *line)
    out, warm = _run(tmp_path, *line)
    assert out.startswith("#")
    assert "coalesce.render.layouts.recommendation" in warm
    for absent in (
        "yaml",
        "coalesce.render.layouts.analysis",
        "coalesce.render.layouts.backtest",
        "coalesce.render.layouts.browse",
        "coalesce.models.analysis",
        "coalesce.models.backtest",
    ):
        assert absent not in warm, absent
