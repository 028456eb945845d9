"""The layout table names result classes instead of importing them (render/output.py LAYOUTS): each name
must still resolve, and rendering one result must not import the other results' models and layouts."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
from conftest import SRC

from coalesce.render import output

ENTRIES = sorted(output.LAYOUTS.items())


@pytest.mark.parametrize(("kind", "spec"), ENTRIES, ids=[name for (_, name), _ in ENTRIES])
def test_every_named_class_and_layout_exists(kind: tuple[str, str], spec: tuple[str, str, bool]) -> None:
    module, name = kind
    result_type = getattr(importlib.import_module(module), name)
    assert result_type.__qualname__ == name
    layout_module, function, _ = spec
    assert callable(getattr(importlib.import_module(f"coalesce.render.layouts.{layout_module}"), function))
    assert output.layout_for(result_type) is not None


def test_a_subclass_takes_its_own_layout_and_a_part_of_a_result_has_none() -> None:
    from coalesce.models.results import ProposeResult, Recommendation, ScoreResult
    from coalesce.render.layouts import recommendation

    class Later(ScoreResult):  # a subclass without an entry of its own: its base's layout
        pass

    assert output.layout_for(ScoreResult) is recommendation.score
    assert output.layout_for(ProposeResult) is recommendation.propose
    assert output.layout_for(Later) is recommendation.score
    assert output.layout_for(Recommendation) is None  # ScoreResult's base, but not a result to draw
    with pytest.raises(TypeError, match="no layout for object"):
        output.document(object())


CHILD = """
import sys
from coalesce.models.browse import Listing
from coalesce.render import Format
from coalesce.render.output import render
text = render(Listing(command="issues", title="Issues", columns=["id"], rows=[{"id": "x"}]), Format.markdown)
assert "Issues" in text, text
print(",".join(sorted(m for m in sys.modules if m.startswith("coalesce."))))
"""


def test_drawing_a_listing_imports_no_other_result_layout() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC)},
        check=True,
    )
    loaded = set(done.stdout.strip().split(","))
    assert "coalesce.render.layouts.browse" in loaded
    for absent in (
        "coalesce.render.layouts.analysis",
        "coalesce.render.layouts.backtest",
        "coalesce.render.layouts.recommendation",
        "coalesce.models.analysis",
        "coalesce.models.backtest",
    ):
        assert absent not in loaded
