"""coalesce.loading.yamlsafe: the strict reader. Nothing is read by surprise; every error has a place."""

from __future__ import annotations

import time

import pytest
import yaml
from conftest import examples
from hypothesis import given
from hypothesis import strategies as st

from coalesce.errors import DataError
from coalesce.loading import yamlsafe
from coalesce.loading.yamlsafe import PosDict, PosList, decode, key_position, load, position_of

LABEL = "f.yaml"


def error_of(text: str) -> tuple[int, int, str]:
    """(line, column, message) of the single problem `load` reports."""
    with pytest.raises(DataError) as info:
        load(text, LABEL)
    (problem,) = info.value.problems
    assert problem.file == LABEL
    assert str(problem).startswith(f"{LABEL}:{problem.line}:{problem.column}: ")
    return problem.line, problem.column, problem.message


# ---------------------------------------------------------------------------------------------------
# the Norway problem and other YAML 1.1 surprises
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "word", ["NO", "No", "no", "ON", "On", "on", "OFF", "off", "Y", "y", "N", "n", "yes", "YES", "Yes"]
)
def test_yaml11_booleans_stay_strings(word: str) -> None:
    assert load(f"code: {word}\n", LABEL) == {"code": word}
    assert load(f"- {word}\n", LABEL) == [word]
    assert load(f"[{word}, DEU]\n", LABEL) == [word, "DEU"]


@pytest.mark.parametrize("text", ["18", "1e3", "true", "NO", "null", "0x1F"])
def test_the_non_specific_tag_makes_a_string(text: str) -> None:
    """`! value` asks for the plain text, as the YAML spec says: never a number, boolean or null."""
    assert load(f"a: ! {text}\n", LABEL) == {"a": text}


@pytest.mark.parametrize(
    ("text", "value"), [("true", True), ("false", False), ("True", True), ("FALSE", False)]
)
def test_only_true_and_false_are_booleans(text: str, value: bool) -> None:
    assert load(f"a: {text}\n", LABEL) == {"a": value}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12),
        ("-3", -3),
        ("0", 0),
        ("0.3", 0.3),
        ("-1.5", -1.5),
        ("1e-3", 0.001),
        (".5", 0.5),
        ("2.", 2.0),
    ],
)
def test_decimal_numbers(text: str, value: float) -> None:
    loaded = load(f"a: {text}\n", LABEL)["a"]
    assert loaded == value and type(loaded) is type(value)


@pytest.mark.parametrize("text", ["2024-01-01", "2011-12", "1.2.3", "v1", "NaN-ish", "12abc"])
def test_dates_and_look_alikes_are_strings(text: str) -> None:
    assert load(f"a: {text}\n", LABEL) == {"a": text}


@pytest.mark.parametrize("text", ["'010'", '"1:30"', "'.nan'", "'0x1F'", "'NO'", '"yes"', "'true'"])
def test_quoted_scalars_are_always_strings(text: str) -> None:
    assert load(f"a: {text}\n", LABEL) == {"a": text[1:-1]}


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("010", "leading zero"),
        ("-007", "leading zero"),
        ("1:30", "sexagesimal"),
        ("12:30:45", "sexagesimal"),
        (".nan", "NaN"),
        (".NaN", "NaN"),
        (".inf", "infinity"),
        ("-.inf", "infinity"),
        ("0x1F", "hex"),
        ("0o17", "octal"),
        ("0b101", "binary"),
        ("1_000", "separator"),
    ],
)
def test_ambiguous_numbers_are_errors_with_position(value: str, why: str) -> None:
    text = f"first: 1\nnested:\n  key: {value}\n"
    line, col, message = error_of(text)
    assert (line, col) == (3, 8)
    assert value in message and why.lower() in message.lower() and "quote" in message


# Regression: an overflowing exponent (1e400) used to be read silently as float('inf').
@pytest.mark.parametrize("value", ["1e400", "-1e400"])
def test_overflowing_exponent_is_an_error(value: str) -> None:
    line, col, _ = error_of(f"a: {value}\n")
    assert (line, col) == (1, 4)


# ---------------------------------------------------------------------------------------------------
# structure: duplicates, aliases, tags, documents, tabs, nesting
# ---------------------------------------------------------------------------------------------------
def test_duplicate_keys_are_errors_naming_the_first() -> None:
    line, col, message = error_of("a: 1\nb:\n  c: 2\n  c: 3\n")
    assert (line, col) == (4, 3)
    assert "duplicate" in message and "'c'" in message and "line 3" in message


def test_duplicate_keys_in_flow_mappings() -> None:
    line, col, message = error_of("a: {x: 1, y: 2, x: 3}\n")
    assert line == 1 and col == 17 and "duplicate" in message


def test_same_key_in_different_mappings_is_fine() -> None:
    assert load("- {a: 1}\n- {a: 2}\n", LABEL) == [{"a": 1}, {"a": 2}]


@pytest.mark.parametrize(
    ("text", "where", "word"),
    [
        ("a: &x 1\nb: *x\n", (1, 4), "anchor"),
        ("a: 1\nb: *x\n", None, None),  # an undefined alias is still refused (as an alias or as malformed)
        ("- &list [1, 2]\n", (1, 3), "anchor"),
        ("base: &b {x: 1}\nother:\n  <<: *b\n", (1, 7), "anchor"),
    ],
)
def test_anchors_and_aliases_are_refused(text: str, where: tuple[int, int] | None, word: str | None) -> None:
    line, col, message = error_of(text)
    if where is not None:
        assert (line, col) == where
        assert word in message
    assert line >= 1


def test_billion_laughs_fails_fast() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    began = time.perf_counter()
    with pytest.raises(DataError) as info:
        load("\n".join(lines) + "\n", LABEL)
    assert time.perf_counter() - began < 5, "a hang guard only; the refusal is immediate"
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (1, 4)


@pytest.mark.parametrize(
    "text", ["a: !!str 1\n", "a: !!python/object:os.system x\n", "a: !custom 1\n", "!!map {a: 1}\n"]
)
def test_tags_are_refused(text: str) -> None:
    line, col, message = error_of(text)
    assert "tag" in message and line == 1 and col >= 1


def test_more_than_one_document_is_an_error() -> None:
    line, _, message = error_of("a: 1\n---\nb: 2\n")
    assert line == 2 and "document" in message


@pytest.mark.parametrize("text", ["a:\n\tb: 1\n", "a: 1\n\tb: 2\n", "list:\n\t- 1\n"])
def test_tab_indentation_is_an_error(text: str) -> None:
    line, col, message = error_of(text)
    assert line == 2 and col >= 1
    assert "tab" in message.lower() or "malformed" in message.lower()


def test_tab_inside_a_value_is_just_text() -> None:
    assert load('a: "x\\ty"\n', LABEL) == {"a": "x\ty"}


@pytest.mark.parametrize("depth", [65, 999, 1_000, 1_001, 10_000])
@pytest.mark.parametrize("opener", ["[", "{a: ", "[ "])
@pytest.mark.parametrize("prefix", ["", "a: 1\nb: ", "- x\n- "])
def test_deep_flow_nesting_is_refused_by_our_guard_at_our_limit(opener: str, depth: int, prefix: str) -> None:
    # The project's guard fires at level 65 whatever the library's own limit (libyaml 0.2.6: 1,000).
    closer = "]" if opener.startswith("[") else "}"
    text = prefix + opener * depth + "1" + closer * depth + "\n"
    line, col, message = error_of(text)
    assert message == f"nesting deeper than {yamlsafe.MAX_DEPTH} levels"
    assert line == prefix.count("\n") + 1
    # Block levels around the flow count too, so the refused opener is at most the 65th.
    start = len(prefix.rsplit("\n", 1)[-1])
    assert start < col <= start + yamlsafe.MAX_DEPTH * len(opener) + 1
    if not prefix:
        assert col == yamlsafe.MAX_DEPTH * len(opener) + 1


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_flow_nesting_at_the_limit_is_read(opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    depth = yamlsafe.MAX_DEPTH
    assert load(opener * depth + "1" + closer * depth, LABEL) is not None


@pytest.mark.parametrize(
    "text",
    [
        'a: "' + "[" * 5_000 + '"\n',
        "a: '" + "{" * 5_000 + "'\n",
        "a: x" + "[" * 5_000 + "\n",
        "# " + "[" * 5_000 + "\nb: 1\n",
        "a: |\n  " + "[" * 5_000 + "\nb: 1\n",
        "a: >\n  " + "{" * 5_000 + "\n\n  more\nb: 1\n",
        "a: [it's, " + '"' + "[" * 5_000 + '"' + "]\n",
    ],
)
def test_brackets_in_text_never_count_as_nesting(text: str) -> None:
    assert isinstance(load(text, LABEL), dict)


def test_block_nesting_at_the_limit_is_read_and_one_more_is_refused() -> None:
    def nested(depth: int) -> str:
        return "".join(f"{'  ' * i}k:\n" for i in range(depth - 1)) + f"{'  ' * (depth - 1)}k: 1\n"

    assert isinstance(load(nested(yamlsafe.MAX_DEPTH), LABEL), dict)
    _, _, message = error_of(nested(yamlsafe.MAX_DEPTH + 1))
    assert "nesting" in message


@pytest.mark.parametrize(
    ("text", "where"),
    [("a: [1, 2\n", (2, 1)), ("a: 'open\n", (2, 1)), ("a: 1\n b: 2\n", (2, 3)), ("- a\nb: 1\n", (2, 1))],
)
def test_malformed_yaml_points_at_the_problem(text: str, where: tuple[int, int]) -> None:
    line, col, message = error_of(text)
    assert message.startswith("malformed YAML")
    assert (line, col) == where


@pytest.mark.parametrize(
    "text", ["1: a\n", "[a]: 1\n", "{a: 1}: 2\n", "? - x\n: 1\n", "null: 1\n", "true: 1\n"]
)
def test_keys_must_be_strings(text: str) -> None:
    _, _, message = error_of(text)
    assert "key" in message


def test_nul_byte_is_refused() -> None:
    _, _, message = error_of("a: 1\x00\n")
    assert "NUL" in message


# ---------------------------------------------------------------------------------------------------
# empty files, encodings, size
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "--- # empty\n...\n"])
def test_empty_documents_are_none(text: str) -> None:
    assert load(text, LABEL) is None


def test_bom_is_accepted_and_positions_are_unchanged() -> None:
    raw = "\ufeffa: 1\nb: 010\n".encode()
    text = decode(raw, LABEL)
    assert not text.startswith("\ufeff")
    line, col, _ = error_of(text)
    assert (line, col) == (2, 4)
    assert load(decode("\ufeffa: NO\n".encode(), LABEL), LABEL) == {"a": "NO"}


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        ("a: é\n".encode("latin-1"), 1),
        ("a: 1\nb: Ærø\n".encode("cp1252"), 2),
        ("a: 1\n".encode("utf-16"), 1),
        (b"a: \xed\xa0\x80\n", 1),  # an encoded surrogate is not UTF-8
    ],
)
def test_non_utf8_bytes_are_refused_with_the_line(raw: bytes, line: int) -> None:
    with pytest.raises(DataError) as info:
        decode(raw, LABEL)
    (problem,) = info.value.problems
    assert problem.line == line and "UTF-8" in problem.message


def test_oversized_input_is_refused_before_parsing() -> None:
    raw = b"a: 1\n" + b"#" * (yamlsafe.MAX_BYTES + 1)
    with pytest.raises(DataError) as info:
        decode(raw, LABEL)
    assert "limit" in info.value.problems[0].message


def test_utf8_text_survives() -> None:
    assert load("name: Türkiye\nother: Côte d’Ivoire\n", LABEL) == {
        "name": "Türkiye",
        "other": "Côte d’Ivoire",
    }


# ---------------------------------------------------------------------------------------------------
# positions
# ---------------------------------------------------------------------------------------------------
def test_positions_are_one_based_and_right() -> None:
    text = "top: 1\nactors:\n  - code: NOR\n    shares: {a: 0.5, b: 0.25}\n  - code: SWE\n"
    tree = load(text, LABEL)
    assert isinstance(tree, PosDict) and tree.pos == (1, 1)
    assert tree.key_pos["actors"] == (2, 1)
    actors = tree["actors"]
    assert isinstance(actors, PosList) and actors.item_pos == [(3, 5), (5, 5)]
    assert position_of(tree, ("actors", 0, "code")) == (3, 11)
    assert position_of(tree, ("actors", 0, "shares", "b")) == (4, 25)
    assert key_position(tree, ("actors", 1, "code")) == (5, 5)
    # A missing step falls back to the nearest ancestor.
    assert position_of(tree, ("actors", 1, "missing")) == (5, 5)
    assert position_of(tree, ("actors", 7)) == tree.value_pos["actors"] == (3, 3)


keys = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)
scalars = st.one_of(
    st.integers(-(10**6), 10**6),
    st.sampled_from(["NO", "yes", "x", "Norway", "2024-01-01", "a b"]),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 4)),
)


@given(st.dictionaries(keys, st.one_of(scalars, st.lists(scalars, max_size=4)), min_size=1, max_size=8))
@examples(60)
def test_values_and_positions_round_trip(doc: dict[str, object]) -> None:
    text = yaml.safe_dump(doc, sort_keys=False, default_flow_style=False)
    tree = load(text, LABEL)
    assert tree == doc
    lines = text.splitlines()
    for key in doc:
        line, col = tree.key_pos[key]
        rest = lines[line - 1][col - 1 :]
        assert rest.startswith((key, f"'{key}'", f'"{key}"')), (key, line, col)
        vline, vcol = tree.value_pos[key]
        assert (vline, vcol) >= (line, col)
        if isinstance(doc[key], list) and doc[key]:
            for item_line, item_col in tree[key].item_pos:
                assert lines[item_line - 1][item_col - 3 : item_col - 1] == "- "
