"""coalesce.loading: files -> a validated Dataset, with every problem as file:line:col: message.

Each case edits a copy of the tiny world and checks where and how the problem is reported.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import TINY, examples, random_worlds
from hypothesis import given

from coalesce.errors import DataError, Problem, UsageError
from coalesce.loading.files import default_data_dir, load_dataset, read_tree, require_mapping
from coalesce.loading.resolve import Identity, Resolver, UnknownActor

Edits = list[tuple[str, str]]


def edited(tmp_path: Path, states: Edits = (), issues: Edits = ()) -> Path:  # type: ignore[assignment]
    target = tmp_path / "world"
    shutil.copytree(TINY, target)
    for name, edits in (("states.yaml", states), ("issues.yaml", issues)):
        path = target / name
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return target


def problems_of(directory: Path) -> list[Problem]:
    with pytest.raises(DataError) as info:
        load_dataset(directory)
    found = info.value.problems
    assert found
    for p in found:
        assert str(p) == f"{p.file}:{p.line}:{p.column}: {p.message}"
    return found


def where(path: Path, needle: str, offset: int = 0) -> tuple[int, int]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1 + offset
    raise AssertionError(needle)


# ---------------------------------------------------------------------------------------------------
# what loads
# ---------------------------------------------------------------------------------------------------
def test_tiny_world_loads(tiny_world: Path) -> None:
    ds = load_dataset(tiny_world)
    assert {a.code for a in ds.world.actors} == {"USA", "CHN", "NLD", "DEU", "JPN", "NOR", "CHE", "SGP", "EU"}
    assert list(ds.issues) == ["chips"]
    eu = ds.world.actor("EU")
    assert eu.kind == "bloc" and eu.members == ["NLD", "DEU"]
    assert ds.issues["chips"].rivals == [["USA", "CHN"]]
    assert ds.directory == tiny_world


def test_shipped_data_loads(dataset) -> None:  # type: ignore[no-untyped-def]
    assert len(dataset.world.actors) >= 190
    assert "ai-governance" in dataset.issues
    assert (default_data_dir() / "states.yaml").is_file()
    cited = {s.id for s in dataset.world.sources}
    for actor in dataset.world.actors:
        for fig in (*actor.capabilities.values(), *actor.expertise.values()):
            assert fig.source in cited


@given(random_worlds())
@examples(20)
def test_generated_worlds_load(directory: Path) -> None:
    ds = load_dataset(directory)
    assert ds.issues and ds.world.actors
    assert all(isinstance(a.code, str) for a in ds.world.actors)


def test_norway_spellings_resolve_in_lists(tmp_path: Path) -> None:
    directory = edited(
        tmp_path,
        states=[("members: [NLD, DEU]", "members: [Netherlands, DE]")],
        issues=[("rivals: [[USA, CHN]]", "rivals: [[United States, cn], [NO, usa]]")],
    )
    ds = load_dataset(directory)
    assert ds.world.actor("EU").members == ["NLD", "DEU"]
    assert ds.issues["chips"].rivals == [["USA", "CHN"], ["NOR", "USA"]]


def test_unquoted_no_in_a_bloc_is_norway(tmp_path: Path) -> None:
    directory = edited(
        tmp_path,
        states=[
            ("members: [NLD, DEU]", "members: [NO, DEU]"),
            ("chips: {share: 0.22,", "chips: {share: 0.07,"),
        ],
    )
    assert load_dataset(directory).world.actor("EU").members == ["NOR", "DEU"]


def test_resolver_codes_names_and_suggestions() -> None:
    resolver = Resolver(
        [
            Identity("NOR", "Norway", "NO"),
            Identity("KOR", "South Korea", "KR", ("Republic of Korea",)),
            Identity("TUR", "Türkiye", "TR", ("Turkey",)),
        ]
    )
    assert resolver.resolve("nor") == "NOR"
    assert resolver.resolve(" Norway ") == "NOR"
    assert resolver.resolve("NO") == "NOR"
    assert resolver.resolve("republic of korea") == "KOR"
    assert resolver.resolve("Turkiye") == "TUR"
    with pytest.raises(UnknownActor) as info:
        resolver.resolve("Norwey")
    assert "NOR" in info.value.suggestions and "did you mean" in str(info.value)
    with pytest.raises(UnknownActor):
        resolver.resolve(False)  # a YAML 1.1 reading of NO must never pass for an actor


# ---------------------------------------------------------------------------------------------------
# what fails, and where
# ---------------------------------------------------------------------------------------------------
STATES, ISSUES = "states.yaml", "issues.yaml"
CASES = {
    # name: (file edited, edits, file reported, needle for the position, column offset, words)
    "duplicate-code": (
        STATES,
        [("  - code: CHE\n", "  - code: NOR  # again\n")],
        STATES,
        "NOR  # again",
        0,
        "duplicate",
    ),
    "unknown-field": (
        STATES,
        [("    gdp_usd_bn: 480\n", "    gdp_usd_bn: 480\n    gpd: 1\n")],
        STATES,
        "gpd: 1",
        0,
        "unknown field",
    ),
    "quoted-number": (
        STATES,
        [("chips: {share: 0.15,", "chips: {share: '0.15',")],
        STATES,
        "'0.15'",
        0,
        "number",
    ),
    "share-above-one": (
        STATES,
        [("chips: {share: 0.15,", "chips: {share: 1.5,")],
        STATES,
        "share: 1.5,",
        7,
        "share",
    ),
    "negative-share": (
        STATES,
        [("chips: {share: 0.15,", "chips: {share: -0.15,")],
        STATES,
        "-0.15",
        0,
        "share",
    ),
    "leading-zero": (
        STATES,
        [("    population_m: 18\n", "    population_m: 018\n")],
        STATES,
        "018",
        0,
        "leading zero",
    ),
    "unknown-source": (
        STATES,
        [
            (
                "chips: {share: 0.12, uncertainty: 0.03, source: test-source}",
                "chips: {share: 0.12, uncertainty: 0.03, source: nowhere}",
            )
        ],
        STATES,
        "nowhere",
        0,
        "unknown source",
    ),
    "unknown-grouping": (
        STATES,
        [
            (
                "    memberships: [G20]\n    alignment: {ideal_point: 2.5",
                "    memberships: [G7]\n    alignment: {ideal_point: 2.5",
            )
        ],
        STATES,
        "[G7]",
        0,
        "grouping",
    ),
    "lowercase-code": (STATES, [("  - code: CHE\n", "  - code: che\n")], STATES, "code: che", 6, "uppercase"),
    "state-code-alpha2": (STATES, [("  - code: NOR\n", "  - code: NO\n")], STATES, "code: NO", 6, "alpha-3"),
    "bloc-unknown-member": (
        STATES,
        [("members: [NLD, DEU]", "members: [NLD, XXX]")],
        STATES,
        "XXX",
        0,
        "XXX",
    ),
    "bloc-below-members": (
        STATES,
        [("chips: {share: 0.22,", "chips: {share: 0.1,")],
        STATES,
        "share: 0.1,",
        7,
        "below its members",
    ),
    "domain-over-one": (
        STATES,
        [("chips: {share: 0.4,", "chips: {share: 0.5,")],
        STATES,
        "id: chips",
        4,
        "add up to",
    ),
    "estimate-without-basis": (
        STATES,
        [("estimate: true, basis: mean of members}", "estimate: true}")],
        STATES,
        "{ideal_point: 1.25",
        0,
        "basis",
    ),
    "ideal-point-out-of-range": (
        STATES,
        [("ideal_point: 0.95", "ideal_point: 9.5")],
        STATES,
        "9.5",
        0,
        "ideal_point",
    ),
    "date-as-year": (STATES, [("year: 2026", "year: 2026-01-01")], STATES, "2026-01-01", 0, "year"),
    "issue-unknown-domain": (ISSUES, [("models: 0.3}", "modells: 0.3}")], ISSUES, "0.3}", 0, "modells"),
    "issue-unknown-rival": (
        ISSUES,
        [("rivals: [[USA, CHN]]", "rivals: [[USA, CHX]]")],
        ISSUES,
        "CHX",
        0,
        "did you mean",
    ),
    "issue-single-rival": (
        ISSUES,
        [("rivals: [[USA, CHN]]", "rivals: [[USA, USA]]")],
        ISSUES,
        "[USA, USA]",
        0,
        "two different",
    ),
    "issue-unknown-tag": (
        ISSUES,
        [("expertise: [mediation]", "expertise: [mediaton]")],
        ISSUES,
        "mediaton",
        0,
        "mediaton",
    ),
    "issue-unknown-rule": (
        ISSUES,
        [("decision_rule: {kind: consensus}", "decision_rule: {kind: unanimity}")],
        ISSUES,
        "{kind: unanimity}",
        0,
        "unanimity",
    ),
    "issue-weighted-unknown-domain": (
        ISSUES,
        [
            (
                "decision_rule: {kind: consensus}",
                "decision_rule: {kind: weighted, field: capabilities.nope.share, quota: 0.5}",
            )
        ],
        ISSUES,
        "capabilities.nope",
        0,
        "nope",
    ),
    "issue-veto-unknown-grouping": (
        ISSUES,
        [
            (
                "decision_rule: {kind: consensus}",
                "decision_rule: {kind: veto-quota, veto_membership: P5, quota: 0.5}",
            )
        ],
        ISSUES,
        "P5,",
        0,
        "P5",
    ),
    "issue-quota-above-one": (
        ISSUES,
        [("decision_rule: {kind: consensus}", "decision_rule: {kind: qualified-majority, quota: 1.5}")],
        ISSUES,
        "1.5}",
        0,
        "quota",
    ),
    "issue-nan-target": (ISSUES, [("target: 0.8", "target: .nan")], ISSUES, ".nan", 0, "nan"),
    "issue-sexagesimal-deadline": (
        ISSUES,
        [("deadline_months: 18", "deadline_months: 1:30")],
        ISSUES,
        "1:30",
        0,
        "sexagesimal",
    ),
    "issue-zero-deadline": (
        ISSUES,
        [("deadline_months: 18", "deadline_months: 0")],
        ISSUES,
        "deadline_months: 0",
        17,
        "deadline_months",
    ),
    "issue-no-domains": (
        ISSUES,
        [("    domains: {chips: 0.7, models: 0.3}\n", "    domains: {}\n")],
        ISSUES,
        "{}",
        0,
        "domains",
    ),
    "issue-duplicate-key": (
        ISSUES,
        [("    min_size: 1\n", "    min_size: 1\n    min_size: 2\n")],
        ISSUES,
        "min_size: 2",
        0,
        "duplicate",
    ),
    "issue-tab": (ISSUES, [("    min_size: 1\n", "\tmin_size: 1\n")], ISSUES, "\tmin_size", 0, ""),
    "schema-version": (
        STATES,
        [("schema_version: 1", "schema_version: 2")],
        STATES,
        "2",
        0,
        "schema_version",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_data_is_reported_at_its_place(tmp_path: Path, name: str) -> None:
    edited_file, edits, reported, needle, offset, words = CASES[name]
    directory = edited(tmp_path, **{"states" if edited_file == STATES else "issues": edits})
    found = problems_of(directory)
    path = directory / reported
    line, col = where(path, needle, offset)
    at_place = [p for p in found if Path(p.file) == path and p.line == line]
    assert at_place, "\n".join(map(str, found))
    if name != "issue-tab":
        assert any(p.column == col for p in at_place), "\n".join(map(str, found))
    assert any(words.lower() in p.message.lower() for p in at_place), "\n".join(map(str, found))
    assert all(p.line >= 1 and p.column >= 1 for p in found), "\n".join(map(str, found))


def test_bloc_inside_a_bloc_is_refused(tmp_path: Path) -> None:
    second_bloc = (
        "  - code: XB\n    name: Another bloc\n    kind: bloc\n    members: [EU, JPN]\n"
        "    alignment: {ideal_point: 1.0, source: test-source}\n"
    )
    directory = edited(tmp_path, states=[("  - code: EU\n", second_bloc + "  - code: EU\n")])
    found = problems_of(directory)
    assert any("bloc" in p.message and "EU" in p.message for p in found), found


def test_several_problems_are_reported_at_once(tmp_path: Path) -> None:
    directory = edited(
        tmp_path,
        states=[("chips: {share: 0.15,", "chips: {share: 1.5,"), ("ideal_point: 0.95", "ideal_point: 9.5")],
        issues=[("expertise: [mediation]", "expertise: [mediaton]"), ("target: 0.8", "target: 1.8")],
    )
    found = problems_of(directory)
    files = {Path(p.file).name for p in found}
    assert files == {"states.yaml", "issues.yaml"}
    assert len(found) >= 3
    assert found == sorted(found, key=lambda p: (p.file, p.line, p.column, p.message))


# Regression: model-level validators used to leak the reader's type into messages ('got PosDict').
def test_messages_do_not_name_internal_types(tmp_path: Path) -> None:
    directory = edited(
        tmp_path,
        states=[("estimate: true, basis: mean of members}", "estimate: true}")],
        issues=[("min_size: 1", "min_size: 6")],
    )
    found = problems_of(directory)
    assert len(found) == 2
    assert not any("PosDict" in p.message or "PosList" in p.message for p in found), found


# Regression: an unknown bloc member used to be reported twice, in two different wordings.
def test_one_problem_is_reported_once(tmp_path: Path) -> None:
    directory = edited(tmp_path, states=[("members: [NLD, DEU]", "members: [NLD, XXX]")])
    found = problems_of(directory)
    assert len(found) == 1, found


# ---------------------------------------------------------------------------------------------------
# files that are missing, empty or of the wrong shape
# ---------------------------------------------------------------------------------------------------
def test_missing_directory_and_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such directory"):
        load_dataset(tmp_path / "nowhere")
    (tmp_path / "states.yaml").write_text((TINY / "states.yaml").read_text())
    with pytest.raises(DataError) as info:
        load_dataset(tmp_path)
    assert any("issues.yaml" in p.file and "not found" in p.message for p in info.value.problems)


@pytest.mark.parametrize(
    ("text", "words"),
    [("", "empty"), ("# nothing\n", "empty"), ("- a\n- b\n", "list"), ("just text\n", "scalar")],
)
def test_top_level_must_be_a_mapping(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "states.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        require_mapping(read_tree(path), str(path), "a mapping")
    (problem,) = info.value.problems
    assert words in problem.message and (problem.line, problem.column) == (1, 1)


def test_bom_file_loads(tmp_path: Path) -> None:
    directory = edited(tmp_path)
    for name in ("states.yaml", "issues.yaml"):
        path = directory / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_dataset(directory).issues["chips"].title == "Chip controls"


def test_latin1_file_is_refused(tmp_path: Path) -> None:
    directory = edited(tmp_path)
    path = directory / "states.yaml"
    path.write_bytes(
        path.read_bytes().replace(
            b"name: Switzerland", "name: Schweiz/Suisse/Svizzera – é".encode("latin-1", "replace")
        )
    )
    found = problems_of(directory)
    assert any(
        p.file.endswith("states.yaml")
        and "UTF-8" in p.message
        and p.line == where(TINY / "states.yaml", "name: Switzerland")[0]
        for p in found
    )
