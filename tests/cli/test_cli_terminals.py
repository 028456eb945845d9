"""Terminals as rich detects them: an ASCII-only stdout, TERM=dumb, FORCE_COLOR, NO_COLOR (issue 17)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from conftest import DATA, TINY, Stream, run

from coalesce.render.console import Terminal, encodable

ANSI = re.compile(r"\x1b\[[0-9;]*m")
BOXES = set("┏━┳┃┡╇│└┴┘┓┩╋┗┛┻─┌┐├┤┼")


def test_an_ascii_stdout_gets_ascii_boxes_not_an_internal_error() -> None:
    outcome = run("propose", "chips", "--data", str(TINY), encoding="ascii")
    assert outcome.code == 0, outcome.err
    assert outcome.err == ""
    assert outcome.out.isascii()
    assert "+" in outcome.out and "NOR" in outcome.out


def test_an_ascii_stdout_keeps_json_valid_and_equal() -> None:
    args = ("show", "Norway", "--format", "json", "--data", str(DATA))
    utf8, ascii_only = run(*args), run(*args, encoding="ascii")
    assert utf8.code == ascii_only.code == 0, ascii_only.err
    assert ascii_only.out.isascii()
    assert json.loads(ascii_only.out) == json.loads(utf8.out)


def test_non_ascii_names_survive_an_ascii_stdout_as_escapes() -> None:
    text = encodable('{"name": "Naím ✓ 𝄞"}', "ascii", json=True)
    assert text.isascii() and json.loads(text) == {"name": "Naím ✓ 𝄞"}
    assert encodable("Naím, Türkiye ✓", "ascii") == "Naim, Turkiye ?"  # a memo: base letters, never a crash
    assert encodable("Naím ✓", "ascii", html=True) == "Na&#237;m &#10003;"  # a page: character references
    assert encodable("Naím", "utf-8") == "Naím"


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_an_ascii_stdout_gets_ascii_figures_and_plain_letters(fmt: str) -> None:
    args = ("frontier", "chips", "--max-size", "3", "--format", fmt, "--data", str(TINY))
    ascii_only, utf8 = run(*args, encoding="ascii"), run(*args)
    assert ascii_only.code == utf8.code == 0, ascii_only.err
    assert ascii_only.out.isascii() and "?" not in ascii_only.out
    bars = [line for line in ascii_only.out.splitlines() if re.match(r"\s+\d+ [#.]{8,} ", line)]
    assert len(bars) >= 3 and "Naim's curve" in ascii_only.out, ascii_only.out
    assert "█" in utf8.out and "Naím's curve" in utf8.out  # a UTF-8 stream keeps the Unicode drawing
    assert len(ascii_only.out.splitlines()) == len(utf8.out.splitlines())


def test_a_markdown_file_keeps_unicode_whatever_stdout_takes(tmp_path: Path) -> None:
    memo = tmp_path / "memo.md"
    args = ("frontier", "chips", "--max-size", "3", "--format", "markdown", "--data", str(TINY))
    outcome = run("-o", str(memo), *args, encoding="ascii")
    assert outcome.code == 0, outcome.err
    assert "█" in memo.read_text(encoding="utf-8")


def test_accented_names_keep_their_letters_on_an_ascii_stdout() -> None:
    outcome = run("show", "CIV", "--data", str(DATA), encoding="ascii")
    assert outcome.code == 0, outcome.err
    assert "Cote d'Ivoire" in outcome.out and "?" not in outcome.out.split("\n", 3)[0]


def test_an_ascii_stdout_gets_the_same_html_page_as_character_references() -> None:
    args = ("frontier", "chips", "--max-size", "3", "--format", "html", "--data", str(TINY))
    ascii_only, utf8 = run(*args, encoding="ascii"), run(*args)
    assert ascii_only.code == 0 and ascii_only.out.isascii(), ascii_only.err
    assert "&#237;" in ascii_only.out
    assert html.unescape(ascii_only.out) == html.unescape(utf8.out)


def test_force_color_colours_a_pipe_and_no_color_wins() -> None:
    forced = run("propose", "chips", "--data", str(TINY), env={"FORCE_COLOR": "1"})
    assert forced.code == 0 and ANSI.search(forced.out)
    plain = run("propose", "chips", "--data", str(TINY))
    assert not ANSI.search(plain.out)
    both = run("propose", "chips", "--data", str(TINY), env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert not ANSI.search(both.out)


def test_a_dumb_terminal_gets_ascii_boxes_and_no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("COLUMNS", "90")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    term = Terminal.detect(Stream(tty=True))
    assert term.ascii_only and not term.color and term.width == 90
    outcome = run(
        "propose", "chips", "--data", str(TINY), out_tty=True, env={"TERM": "dumb", "COLUMNS": "90"}
    )
    assert outcome.code == 0, outcome.err
    assert not BOXES & set(outcome.out) and not ANSI.search(outcome.out)


def test_a_real_terminal_gets_unicode_boxes_and_colour() -> None:
    outcome = run(
        "propose", "chips", "--data", str(TINY), out_tty=True, env={"TERM": "xterm-256color", "COLUMNS": "90"}
    )
    assert outcome.code == 0, outcome.err
    assert BOXES & set(outcome.out) and ANSI.search(outcome.out)
    assert max(len(ANSI.sub("", line)) for line in outcome.out.splitlines()) <= 90


def test_a_pipe_is_100_columns_unless_columns_says_otherwise() -> None:
    assert Terminal.detect(Stream()).width == 100
    narrow = run("propose", "chips", "--data", str(TINY), env={"COLUMNS": "60"})
    assert max(len(line) for line in narrow.out.splitlines()) <= 60
