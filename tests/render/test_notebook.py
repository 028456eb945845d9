"""Notebooks: results display as HTML (`_repr_html_`) and convert to a DataFrame (`to_frame()`).

The DataFrame tests skip without pandas (the optional `notebook` extra); the message without it is
tested by hiding pandas from the import system.
"""

from __future__ import annotations

import sys

import pytest
from conftest import TINY

import coalesce
from coalesce.loading.files import Dataset
from coalesce.render.notebook import PANDAS_MISSING


@pytest.fixture(scope="module")
def tiny() -> Dataset:
    return coalesce.load_world(TINY)


def test_results_display_as_html(tiny: Dataset) -> None:
    result = coalesce.propose(tiny, "chips", top=2)
    shown = result._repr_html_()
    assert shown is not None
    assert shown.startswith('<div class="coalesce">') and "<!DOCTYPE" not in shown
    assert "<table>" in shown and "European Union (EU)" in shown
    curve = coalesce.frontier(tiny, "chips")._repr_html_()
    assert curve is not None and "<svg" in curve


def test_a_part_of_a_result_falls_back_to_its_repr(tiny: Dataset) -> None:
    result = coalesce.propose(tiny, "chips", top=1)
    assert result.recommendations[0].criteria["veto"]._repr_html_() is None


def test_to_frame_without_pandas_says_how_to_get_it(tiny: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now raises ImportError
    result = coalesce.score(tiny, "chips", ["USA", "NOR"])
    with pytest.raises(ImportError) as caught:
        result.to_frame()
    assert str(caught.value) == PANDAS_MISSING and "[notebook]" in str(caught.value)


def test_to_frame_tables(tiny: Dataset) -> None:
    pytest.importorskip("pandas", reason="pandas is the optional notebook extra")
    propose = coalesce.propose(tiny, "chips", top=3)
    frame = propose.to_frame()
    assert list(frame["rank"]) == [1, 2, 3]
    assert frame.loc[0, "members"] == propose.recommendations[0].members
    assert set(propose.recommendations[0].criteria) <= set(frame.columns)
    assert frame.loc[0, "veto"] == propose.recommendations[0].criteria["veto"].score

    scored = coalesce.score(tiny, "chips", ["USA", "NOR"]).to_frame()
    assert list(scored["criterion"]) == list(propose.recommendations[0].criteria)

    curve = coalesce.frontier(tiny, "chips")
    assert list(curve.to_frame()["size"]) == [p.size for p in curve.points]

    power = coalesce.power(tiny, "chips", ["USA", "NOR", "NLD"]).to_frame()
    assert sorted(power["actor"]) == ["NLD", "NOR", "USA"]
    assert power["shapley_shubik"].sum() == pytest.approx(1.0, abs=1e-5)  # rounded to 6 places
