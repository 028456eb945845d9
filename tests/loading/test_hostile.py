"""Issue 11, part 2, in process: the classes of hostile input that got through the parser.

The hostile-input battery (tests/examples/invalid/, cases 129-167) pins each class's exit code and
message; here are the properties behind them:

1. Names: every shipped actor is found by its code, alpha-2 code, name and aliases under any casing and
   with accents stripped; regions and cities are not; resolution does not depend on the order of the
   actors; collisions are reported whatever the order. (That it is a pure function, no pycountry and no
   file, needs a fresh interpreter: test_real_process.py.)
2. `--set` values pass the strict types: YAML 1.1 booleans and quoted numbers are refused.
3. `-` is stdin for scenarios and batch files; a FIFO with a writer is read; an idle pipe ends.
5. A world smaller than the issue's size limit is not blamed on a --max-size nobody gave.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from conftest import TINY, run_cli
from hypothesis import given
from hypothesis import strategies as st

from coalesce.loading.resolve import Identity, Resolver, UnknownActor, fold


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from coalesce.cli import _run

    code = _run(args, False)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ---------------------------------------------------------------------------------------------------
# 1. names are never guessed
# ---------------------------------------------------------------------------------------------------
def _spellings(actor: Any) -> list[str]:
    return [actor.code, actor.name, *([actor.iso2] if actor.iso2 else []), *actor.aliases]


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@given(data=st.data())
def test_every_spelling_of_every_actor_resolves_to_it(dataset: Any, data: st.DataObject) -> None:
    actor = data.draw(st.sampled_from(dataset.world.actors))
    spelling = data.draw(st.sampled_from(_spellings(actor)))
    flips = data.draw(st.lists(st.booleans(), min_size=len(spelling), max_size=len(spelling)))
    cased = "".join(c.upper() if up else c.lower() for c, up in zip(spelling, flips, strict=True))
    for typed in (cased, _strip_accents(cased), f"  {cased} "):
        assert dataset.resolver.resolve(typed) == actor.code, typed


def test_shipped_states_declare_their_alpha_2_code(dataset: Any) -> None:
    states = [a for a in dataset.world.actors if a.kind == "state"]
    assert all(a.iso2 for a in states)
    assert dataset.resolver.resolve("GB") == "GBR" and dataset.resolver.resolve("no") == "NOR"
    assert dataset.resolver.resolve("Korea, Republic of") == "KOR"  # ISO 3166 names are declared aliases
    assert dataset.resolver.resolve("cote d\u2019ivoire") == "CIV"  # a typographic apostrophe too


@pytest.mark.parametrize(
    "text",
    ["Texas", "Kosovo", "Bayern", "Bavaria", "Oslo", "California", "Scotland", "Hong Kong", "Serbia and"],
)
def test_regions_and_cities_are_not_actors(dataset: Any, text: str) -> None:
    with pytest.raises(UnknownActor) as info:
        dataset.resolver.resolve(text)
    assert "did you mean" in str(info.value) or "no actor has that code" in str(info.value)


def test_texas_excludes_nobody(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(["propose", "chips", "--data", str(TINY), "--exclude", "Texas"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("coalesce: --exclude: unknown actor 'Texas'")


IDENTITIES = st.lists(
    st.builds(
        Identity,
        code=st.sampled_from(["NOR", "NLD", "USA", "EU", "NO", "CHE", "DEU"]),
        name=st.sampled_from(["Norway", "Netherlands", "Holland", "norway", "Germany", "Noruega"]),
        iso2=st.sampled_from([None, "NO", "NL", "US", "DE"]),
        aliases=st.lists(
            st.sampled_from(["Holland", "NO", "Nederland", "Norvège", "NORVEGE", "US"]), max_size=3
        ).map(tuple),
    ),
    max_size=6,
)


@given(entries=IDENTITIES, data=st.data())
def test_resolution_does_not_depend_on_the_order_of_the_actors(
    entries: list[Identity], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(entries))
    first, second = Resolver(entries), Resolver(shuffled)
    assert first.keys == second.keys
    assert sorted(first.collisions) == sorted(second.collisions)
    # a spelling claimed by two actors resolves to neither: never to whichever came first
    for collision in first.collisions:
        with pytest.raises(UnknownActor):
            first.resolve(collision.spelling)


@given(entries=IDENTITIES)
def test_every_spelling_resolves_to_its_actor_or_is_a_collision(entries: list[Identity]) -> None:
    resolver = Resolver(entries)
    clashing = {fold(c.spelling) for c in resolver.collisions}
    for entry in entries:
        for spelling in (entry.code, entry.name, *([entry.iso2] if entry.iso2 else []), *entry.aliases):
            if fold(spelling) in clashing:
                continue
            assert resolver.resolve(spelling) == entry.code


def test_collisions_name_both_actors() -> None:
    resolver = Resolver(
        [
            Identity("NOR", "Norway", "NO"),
            Identity("NO", "Nordic bloc"),
            Identity("CHE", "Switzerland", "CH", ("Norway",)),
            Identity("DEU", "Germany", "DE"),
            Identity("AUT", "Germany", "AT"),
        ]
    )
    found = {(c.spelling, c.code, c.field, c.other, c.other_field) for c in resolver.collisions}
    assert ("NO", "NOR", "iso2", "NO", "code") in found
    assert ("Norway", "CHE", "alias", "NOR", "name") in found
    assert ("Germany", "DEU", "name", "AUT", "name") in found
    assert resolver.resolve("Switzerland") == "CHE"


# ---------------------------------------------------------------------------------------------------
# 2. --set passes the strict types
# ---------------------------------------------------------------------------------------------------
@given(word=st.sampled_from(["no", "yes", "on", "off", "y", "n", "No", "YES", "1", "0", '"true"', "'false'"]))
def test_set_never_reads_a_word_as_a_boolean(word: str) -> None:
    from coalesce.errors import UsageError
    from coalesce.loading.files import load_dataset
    from coalesce.scenarios import apply_all

    with pytest.raises(UsageError, match="valid boolean"):
        apply_all(load_dataset(TINY), [], [f"actors.NOR.un_member={word}"])


@given(
    field=st.sampled_from(["min_size", "max_size", "deadline_months", "target"]),
    value=st.sampled_from(["true", "false", '"12"', "'3'", '"0.5"']),
)
def test_set_never_reads_a_boolean_or_text_as_a_number(field: str, value: str) -> None:
    from coalesce.errors import UsageError
    from coalesce.loading.files import load_dataset
    from coalesce.scenarios import apply_all

    with pytest.raises(UsageError, match=r"valid (integer|number)"):
        apply_all(load_dataset(TINY), [], [f"issues.chips.{field}={value}"])


def test_set_still_takes_well_typed_values(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(
        [
            "propose",
            "chips",
            "--data",
            str(TINY),
            "--set",
            "actors.NOR.un_member=false",
            "--set",
            "issues.chips.deadline_months=12",
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0, err
    assert json.loads(out)["issue"]["deadline_months"] == 12


# ---------------------------------------------------------------------------------------------------
# 3. special files: stdin, FIFOs, idle pipes
# ---------------------------------------------------------------------------------------------------
def _piped(args: list[str], stdin: bytes) -> tuple[int, str, str]:
    """The CLI with `stdin` on a pipe as its standard input (conftest.run_cli)."""
    return run_cli(*args, stdin=stdin)


def test_dash_is_stdin_for_a_scenario() -> None:
    code, out, err = _piped(
        ["propose", "chips", "--data", str(TINY), "--scenario", "-", "--format", "json"],
        b"name: from-stdin\nexclude: [Norway]\n",
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["parameters"]["exclude"] == ["NOR"] and result["parameters"]["scenarios"] == ["from-stdin"]


def test_dash_is_stdin_for_a_batch() -> None:
    code, out, err = _piped(
        ["score", "chips", "--data", str(TINY), "--batch", "-", "--format", "json"], b"USA,NOR\nCHN\n"
    )
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert sorted(row["members"] for row in rows) == [["CHN"], ["NOR", "USA"]]  # arrays, one row per line
    assert [row["score"] for row in rows] == sorted(
        (row["score"] for row in rows), reverse=True
    )  # best first


def test_a_bad_scenario_on_stdin_names_stdin() -> None:
    code, _, err = _piped(
        ["propose", "chips", "--data", str(TINY), "--scenario", "-"], b"name: x\nexclude: [Texas]\n"
    )
    assert code == 65
    assert err.startswith("<stdin>:2:")


def test_stdin_is_read_once() -> None:
    code, _, err = _piped(
        ["propose", "chips", "--data", str(TINY), "--scenario", "-", "--scenario", "-"], b"name: once\n"
    )
    assert code == 65
    assert "can be read only once" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_with_a_writer_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "w", encoding="utf-8") as handle:
            handle.write("name: piped\nexclude: [CHN]\n")

    writer = threading.Thread(target=write)
    writer.start()
    code, out, err = _cli(
        ["propose", "chips", "--data", str(TINY), "--scenario", str(fifo), "--format", "json"], capsys
    )
    writer.join(timeout=30)
    assert code == 0, err
    assert json.loads(out)["parameters"]["exclude"] == ["CHN"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_an_idle_fifo_is_an_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import coalesce.loading.files

    monkeypatch.setattr(coalesce.loading.files, "PIPE_IDLE_SECONDS", 0.2)
    fifo = tmp_path / "batch.txt"
    os.mkfifo(fifo)
    code, out, err = _cli(["score", "chips", "--data", str(TINY), "--batch", str(fifo)], capsys)
    assert code == 65 and out == ""
    assert err == f"{fifo}:0:0: nothing arrived from the pipe for 0.2 s; is anything writing to it?\n"


def test_the_cap_holds_for_a_stream_without_a_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pipe reports no size, so the cap is counted while reading (here: one byte over a small cap)."""
    import coalesce.loading.yamlsafe
    from coalesce.errors import DataError
    from coalesce.loading.files import read_bytes

    monkeypatch.setattr(coalesce.loading.yamlsafe, "MAX_BYTES", 1000)
    read_end, write_end = os.pipe()
    os.write(write_end, b"#" * 1001)
    os.close(write_end)
    monkeypatch.setattr(sys, "stdin", os.fdopen(read_end, "r"))
    import coalesce.loading.files

    monkeypatch.setattr(coalesce.loading.files._StdinState, "used", False)
    with pytest.raises(DataError, match="over the 1000-byte limit"):
        read_bytes(Path("-"))


# ---------------------------------------------------------------------------------------------------
# 5. the real cause, not a flag nobody gave
# ---------------------------------------------------------------------------------------------------
def _one_actor_world(tmp_path: Path) -> Path:
    text = (TINY / "states.yaml").read_text(encoding="utf-8")
    head, rest = text.split("actors:\n", 1)
    norway = "  - code: NOR" + rest.split("  - code: NOR", 1)[1].split("  - code:", 1)[0]
    world = tmp_path / "one"
    world.mkdir()
    (world / "states.yaml").write_text(head + "actors:\n" + norway, encoding="utf-8")
    issues = (TINY / "issues.yaml").read_text(encoding="utf-8").replace("rivals: [[USA, CHN]]", "rivals: []")
    (world / "issues.yaml").write_text(issues, encoding="utf-8")
    return world


@pytest.mark.parametrize("command", [["propose", "chips"], ["score", "chips", "NOR"], ["frontier", "chips"]])
def test_a_world_of_one_actor_blames_no_flag(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    world = _one_actor_world(tmp_path)
    code, out, err = _cli([*command, "--data", str(world), "--format", "json"], capsys)
    assert "--max-size" not in err
    assert code == 0, err
    assert "NOR" in out


def test_an_explicit_max_size_is_still_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    world = _one_actor_world(tmp_path)
    code, _, err = _cli(["propose", "chips", "--data", str(world), "--max-size", "5"], capsys)
    assert code == 2 and err.startswith("coalesce: --max-size 5: above the limit of 1")


def test_zero_weights_from_a_scenario_do_not_blame_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "some-zero.yaml"
    scenario.write_text(
        "name: some-zero\nweights: {capability: 0, parsimony: 0, expertise: 0}\n", encoding="utf-8"
    )
    flags = ["--weight", "veto=0", "--weight", "timeliness=0", "--weight", "rivals=0"]
    code, _, err = _cli(
        ["propose", "chips", "--data", str(TINY), "--scenario", str(scenario), *flags], capsys
    )
    assert code == 2
    assert not err.startswith("coalesce: --weight:")
    assert "every criterion weight of issue chips is 0" in err and "scenario" in err
