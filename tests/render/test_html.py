"""`--format html`: one self-contained page, escaped, with inline SVG, checked in a real browser.

The browser test renders the pages with headless Chromium from Debian's packages (`.ci/run` installs it
where missing) and checks the DOM Chromium built and its console: the page's Content-Security-Policy
forbids every load, so anything the page tried to fetch would be reported there. A control page with an
external image and stylesheet proves the console does report blocked loads.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import TINY
from test_formats_agree import html_text

import coalesce
from coalesce.loading.files import Dataset
from coalesce.render import Format, provenance
from coalesce.render.html import CSP
from coalesce.render.output import render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-logging=stderr",
    "--v=0",
]


@pytest.fixture(scope="module")
def tiny() -> Dataset:
    return coalesce.load_world(TINY)


@pytest.fixture(scope="module")
def pages(tiny: Dataset) -> dict[str, str]:
    """The brief (propose, with a scenario and a weight override), the curve and the robustness shares."""
    brief = coalesce.propose(tiny, "chips", top=3, weights={"veto": 2})
    memo = provenance.build(
        tiny, brief, date="2026-12-01", weight_overrides={"veto": 2}, scenarios=["veto-matters-twice"]
    )
    curve = coalesce.frontier(tiny, "chips")
    shares = coalesce.robustness(tiny, "chips", draws=20, seed=1, workers=1)
    return {
        "propose": render(brief, Format.html, memo),
        "frontier": render(curve, Format.html, provenance.build(tiny, curve, date=None, weight_overrides={})),
        "robustness": render(shares, Format.html),
    }


def test_the_brief_says_question_recommendation_reasons_provenance(pages: dict[str, str]) -> None:
    text = " ".join(html_text(pages["propose"]).split())
    assert "The question: which small group of states should act together on Chip controls?" in text
    assert "Top architecture (score" in text
    assert "Under consensus (any member can block), the group acts with probability" in text  # a reason
    assert "European Union (EU), Norway (NOR), United States (USA)" in text  # full names of members
    assert "Convener Norway (NOR)" in text  # and of the convener
    assert "veto-matters-twice" in text and "veto=2" in text  # the scenario and override
    assert "test-source (primary)" in text  # sources appendix with the quality flag
    assert f"coalesce {coalesce.__version__}" in text and "2026-12-01" in text


def test_the_page_is_self_contained(pages: dict[str, str]) -> None:
    for name, page in pages.items():
        assert page.startswith("<!DOCTYPE html>"), name
        assert f'content="{CSP}"' in page.replace("&#x27;", "'"), name
        assert not re.search(r"""(src|href)\s*=\s*["'](?!data:)""", page), name
        assert "<script" not in page and "@import" not in page and "url(" not in page, name


def test_figures_are_inline_svg(pages: dict[str, str]) -> None:
    curve = pages["frontier"]
    assert curve.count("<svg") == 1 and "<polyline" in curve and "magic number" in curve
    shares = pages["robustness"]
    assert shares.count("<svg") == 1 and shares.count("<rect") >= 2
    assert "<svg" not in pages["propose"]


def test_everything_is_escaped(tiny: Dataset) -> None:
    result = coalesce.score(tiny, "chips", ["USA", "NOR"])
    hostile = result.model_copy(
        update={"issue": result.issue.model_copy(update={"title": "<script>alert('x')</script> & co"})}
    )
    page = render(hostile, Format.html)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in page


def _chromium(path: Path, tmp_path: Path) -> tuple[str, str]:
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", path.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, done.stderr


def _console(stderr: str) -> list[str]:
    """What the page itself logged (blocked loads, errors), not the browser's own start-up noise."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed here (.ci/run installs it)")
def test_a_real_browser_renders_the_pages_and_loads_nothing(pages: dict[str, str], tmp_path: Path) -> None:
    control = pages["propose"].replace(
        "<main>",
        '<main><img src="https://example.invalid/x.png"><link rel="stylesheet" href="http://example.invalid/a.css">',
    )
    files = {name: tmp_path / f"{name}.html" for name in [*pages, "control"]}
    for name, path in files.items():
        path.write_text(control if name == "control" else pages[name], encoding="utf-8")

    dom, stderr = _chromium(files["control"], tmp_path)
    blocked = _console(stderr)
    assert any("Content Security Policy" in line for line in blocked), "the check must see a blocked load"

    for name in pages:
        dom, stderr = _chromium(files[name], tmp_path)
        assert _console(stderr) == [], f"{name}: the page logged {_console(stderr)}"
        text = " ".join(html_text(dom).split())
        assert "<svg" in dom or name == "propose"
        assert "Provenance" in text or name == "robustness"
        assert f"coalesce {coalesce.__version__}" in text
    dom, _ = _chromium(files["propose"], tmp_path)
    text = " ".join(html_text(dom).split())
    assert "European Union (EU), Norway (NOR), United States (USA)" in text
    assert "Recommendations" in text and "Criteria" in text


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed here (.ci/run installs it)")
def test_a_real_browser_shows_the_version_and_date_of_a_schema_and_a_power_page(tmp_path: Path) -> None:
    from conftest import run_cli

    pages = {
        "schema": run_cli("schema", "score", "--format", "html"),
        "power": run_cli("power", "chips", "USA,NOR,NLD", "--format", "html", "--data", str(TINY)),
    }
    for name, (code, out, err) in pages.items():
        assert code == 0, err
        path = tmp_path / f"{name}.html"
        path.write_text(out, encoding="utf-8")
        dom, stderr = _chromium(path, tmp_path)
        assert _console(stderr) == [], f"{name}: the page logged {_console(stderr)}"
        text = " ".join(html_text(dom).split())
        assert f"coalesce {coalesce.__version__}" in text and "data as of 20" in text, name
    assert '"$schema"' in html_text(pages["schema"][1])
