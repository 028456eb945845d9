"""The plain-type cache of the validated world (loading/cache.py): a hit is the same dataset as a full
load, any change to the files misses, and no cache problem (unwritable, corrupt, foreign, stale) is ever
a user's problem."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from coalesce import cli
from coalesce.errors import DataError
from coalesce.loading import cache, files
from coalesce.loading.alignment import AlignmentData
from coalesce.loading.files import Dataset, default_data_dir, load_dataset

TINY = Path(__file__).resolve().parents[1] / "examples" / "worlds" / "tiny"


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of our own, with the cache on."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    return home / "coalesce"


@pytest.fixture()
def no_full_path(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Call to make any further full (parse and validate) load fail the test."""

    def forbid() -> None:
        def boom(*args: object, **kwargs: object) -> Any:
            raise AssertionError("the full load ran although the cache should have answered")

        monkeypatch.setattr(files, "_load_full", boom)

    return forbid


def _full(directory: Path, monkeypatch: pytest.MonkeyPatch) -> Dataset:
    with monkeypatch.context() as m:
        m.setenv(cache.DISABLE_ENV, "1")
        return load_dataset(directory)


def _fields_sets(value: Any) -> list[tuple[str, list[str]]]:
    """Every model in a value, depth first, with its fields set (what exclude_unset dumps depend on)."""
    found: list[tuple[str, list[str]]] = []

    def walk(v: Any) -> None:
        if isinstance(v, BaseModel):
            found.append((type(v).__qualname__, sorted(v.model_fields_set)))
            for name in type(v).model_fields:
                walk(getattr(v, name))
        elif isinstance(v, list | tuple):
            for item in v:
                walk(item)
        elif isinstance(v, dict):
            for item in v.values():
                walk(item)

    walk(value)
    return found


def _assert_same(hit: Dataset, full: Dataset) -> None:
    assert hit.world == full.world
    assert hit.issues == full.issues
    assert list(hit.issues) == list(full.issues)
    assert hit.params == full.params
    assert hit.sources == full.sources
    assert list(hit.sources) == list(full.sources)
    assert hit.directory == full.directory
    assert hit.resolver.keys == full.resolver.keys
    assert hit.resolver.labels == full.resolver.labels
    assert hit.resolver.collisions == full.resolver.collisions == []
    assert hit.world.model_dump_json() == full.world.model_dump_json()
    assert hit.world.model_dump_json(exclude_unset=True) == full.world.model_dump_json(exclude_unset=True)
    assert _fields_sets(hit.world) == _fields_sets(full.world)
    assert _fields_sets(list(hit.issues.values())) == _fields_sets(list(full.issues.values()))
    # every value has the same type as validation gives it (an int stays an int, a float a float)
    assert [type(a.population_m) for a in hit.world.actors] == [
        type(a.population_m) for a in full.world.actors
    ]


def test_a_hit_is_the_dataset_a_full_load_gives(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch, no_full_path: Any
) -> None:
    data = default_data_dir()
    full = _full(data, monkeypatch)
    assert not cache_home.exists()  # disabled: nothing written
    first = load_dataset(data)  # a miss: loads in full and writes the cache
    written = list(cache_home.glob("world-*.json"))
    assert len(written) == 1
    no_full_path()
    hit = load_dataset(data)
    _assert_same(hit, full)
    _assert_same(first, full)
    assert hit.world is not first.world  # a fresh object each time, nothing shared between loads


def test_a_hit_keeps_working_through_the_resolver(cache_home: Path, no_full_path: Any) -> None:
    load_dataset(TINY)
    no_full_path()
    hit = load_dataset(TINY)
    some = hit.world.actors[0]
    assert hit.resolver.resolve(some.code.lower()) == some.code
    assert hit.resolver.resolve(some.name) == some.code
    with pytest.raises(LookupError):
        hit.resolver.resolve("Atlantis-that-is-no-actor")


def _propose_json(capsys: pytest.CaptureFixture[str], data: Path, *extra: str) -> str:
    code = cli._run(
        ["propose", "chip-supply-resilience", "--format", "json", "--data", str(data), *extra], False
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_propose_json_is_identical_on_a_hit_and_a_miss(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = default_data_dir()
    args = ("--max-size", "20", "--scenario", "china-walks-out")
    with monkeypatch.context() as m:
        m.setenv(cache.DISABLE_ENV, "1")
        full = _propose_json(capsys, data, *args)
    miss = _propose_json(capsys, data, *args)
    assert list(cache_home.glob("world-*.json"))
    calls: list[object] = []
    original = files._load_full
    monkeypatch.setattr(files, "_load_full", lambda *a: calls.append(a) or original(*a))
    hit = _propose_json(capsys, data, *args)
    assert calls == []  # it was a hit
    assert json.loads(full)["recommendations"]  # a real answer, not two empty ones
    assert hit == miss == full


def test_changing_a_file_misses_and_shows_the_change(
    cache_home: Path, tmp_path: Path, no_full_path: Any
) -> None:
    data = tmp_path / "tiny"
    shutil.copytree(TINY, data)
    before = load_dataset(data)
    actor = before.world.actors[0]
    states = data / "states.yaml"
    text = states.read_text(encoding="utf-8")
    assert f"name: {actor.name}\n" in text
    states.write_text(text.replace(f"name: {actor.name}\n", "name: Renamed Land\n", 1), encoding="utf-8")
    after = load_dataset(data)
    assert after.world.actors[0].name == "Renamed Land"
    assert len(list(cache_home.glob("world-*.json"))) == 2
    # issues.yaml is part of the key too: a changed title is seen
    issues = data / "issues.yaml"
    issue = next(iter(after.issues.values()))
    issues.write_text(issues.read_text(encoding="utf-8").replace(issue.title, "A new title", 1), "utf-8")
    assert load_dataset(data).issues[issue.id].title == "A new title"
    # and changing it back finds the first entry again, without a full load
    states.write_text(text, encoding="utf-8")
    issues.write_text((TINY / "issues.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    no_full_path()
    assert load_dataset(data).world == before.world


def test_same_bytes_elsewhere_share_an_entry_but_keep_their_own_directory(
    cache_home: Path, tmp_path: Path, no_full_path: Any
) -> None:
    load_dataset(TINY)
    other = tmp_path / "elsewhere"
    shutil.copytree(TINY, other)
    no_full_path()
    assert load_dataset(other).directory == other


def test_a_code_change_misses(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_dataset(TINY)
    key = cache.key_for(
        [
            ("states.yaml", (TINY / "states.yaml").read_bytes()),
            ("issues.yaml", (TINY / "issues.yaml").read_bytes()),
        ]
    )
    assert cache.load(key) is not None
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another version of the code")
    changed = cache.key_for(
        [
            ("states.yaml", (TINY / "states.yaml").read_bytes()),
            ("issues.yaml", (TINY / "issues.yaml").read_bytes()),
        ]
    )
    assert changed != key and cache.load(changed) is None


def test_the_fingerprint_follows_the_package_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.code_fingerprint()
    cache.code_fingerprint.cache_clear()
    assert cache.code_fingerprint() == before  # stable
    module = Path(cache.__file__)
    stat = module.stat()
    try:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        cache.code_fingerprint.cache_clear()
        assert cache.code_fingerprint() != before
    finally:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        cache.code_fingerprint.cache_clear()
    assert cache.code_fingerprint() == before


def test_an_unwritable_cache_directory_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # so <it>/coalesce cannot be made
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)
    full = _full(TINY, monkeypatch)
    _assert_same(load_dataset(TINY), full)
    _assert_same(load_dataset(TINY), full)
    assert blocker.read_text(encoding="utf-8") == "not a directory"


def test_a_failing_write_is_no_error(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refuse(*args: object, **kwargs: object) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    full = _full(TINY, monkeypatch)
    _assert_same(load_dataset(TINY), full)
    assert not list(cache_home.glob("*"))  # no entry, and no temporary file left behind


def test_no_home_is_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv(cache.DISABLE_ENV, raising=False)

    def homeless() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(homeless))
    assert cache.cache_dir() is None
    _assert_same(load_dataset(TINY), _full(TINY, monkeypatch))


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / ".cache" / "coalesce"


def test_a_read_only_data_directory_works_and_is_never_written(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "ro"
    shutil.copytree(TINY, data)
    listing = sorted(p.name for p in data.iterdir())
    for path in (*data.iterdir(), data):
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        full = _full(data, monkeypatch)
        _assert_same(load_dataset(data), full)
        _assert_same(load_dataset(data), full)
        assert sorted(p.name for p in data.iterdir()) == listing
    finally:
        data.chmod(0o755)


def _entry(cache_home: Path) -> Path:
    (entry,) = cache_home.glob("world-*.json")
    return entry


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: b"\x00\xff garbage \x80" * 50, id="binary garbage"),
        pytest.param(lambda raw: raw[:-20] + bytes(b ^ 1 for b in raw[-20:]), id="flipped bytes"),
        pytest.param(lambda raw: raw.replace(b'"share":', b'"shore":', 1), id="edited, checksum fails"),
        pytest.param(lambda raw: b'{"format":"something else"}\n{}', id="foreign format"),
        pytest.param(
            lambda raw: raw.replace(b"coalesce-world-cache/1", b"coalesce-world-cache/0", 1), id="old format"
        ),
        pytest.param(lambda raw: json.dumps({"a": 1}).encode(), id="json without header"),
    ],
)
def test_a_corrupt_or_foreign_file_is_ignored_and_rebuilt(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch, spoil: Any
) -> None:
    full = _full(TINY, monkeypatch)
    load_dataset(TINY)
    entry = _entry(cache_home)
    good = entry.read_bytes()
    entry.write_bytes(spoil(good))
    _assert_same(load_dataset(TINY), full)
    assert entry.read_bytes() == good  # the full load wrote it back


def _rewrite(entry: Path, header_change: Any = None, body_change: Any = None) -> None:
    """Rewrite a cache file with a consistent checksum, as a stale or hostile writer could."""
    import hashlib

    raw = entry.read_bytes()
    head, body = raw.split(b"\n", 1)
    header = json.loads(head)
    if body_change is not None:
        body = body_change(body)
    if header_change is not None:
        header_change(header)
    header["sha256"] = hashlib.sha256(body).hexdigest()
    entry.write_bytes(json.dumps(header).encode() + b"\n" + body)


@pytest.mark.parametrize(
    ("header_change", "body_change"),
    [
        pytest.param(lambda h: h["classes"].__setitem__(0, "os:system"), None, id="a class outside coalesce"),
        pytest.param(lambda h: h["classes"].__setitem__(0, "coalesce.cli:main"), None, id="not a model"),
        pytest.param(
            lambda h: h["classes"].__setitem__(0, "coalesce.models.world:Nope"), None, id="no class"
        ),
        pytest.param(None, lambda b: b.replace(b'"share":', b'"shore":', 1), id="a field the model lacks"),
        pytest.param(None, lambda b: b[:-1] + b",]", id="malformed JSON"),
        pytest.param(None, lambda b: b'{"world": 1}', id="another shape"),
        pytest.param(None, lambda b: b"[1, 2]", id="a list"),
    ],
)
def test_a_stale_or_hostile_file_with_a_good_checksum_is_ignored(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch, header_change: Any, body_change: Any
) -> None:
    full = _full(TINY, monkeypatch)
    load_dataset(TINY)
    entry = _entry(cache_home)
    _rewrite(entry, header_change, body_change)
    _assert_same(load_dataset(TINY), full)


def test_disabled_by_the_environment(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    assert not cache.enabled()
    load_dataset(TINY)
    load_dataset(TINY)
    assert not cache_home.exists()
    monkeypatch.setenv(cache.DISABLE_ENV, "0")
    assert cache.enabled()


def test_a_bad_file_still_gets_file_line_col_when_a_good_version_is_cached(
    cache_home: Path, tmp_path: Path
) -> None:
    data = tmp_path / "tiny"
    shutil.copytree(TINY, data)
    load_dataset(data)
    states = data / "states.yaml"
    lines = states.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(
        i for i, line in enumerate(lines) if line.strip().startswith("name:") and "  - " not in line
    )
    indent = lines[number][: len(lines[number]) - len(lines[number].lstrip())]
    lines.insert(number + 1, f"{indent}colour: blue\n")
    states.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    problem = caught.value.problems[0]
    assert problem.file == str(states)
    assert (problem.line, problem.column) == (number + 2, len(indent) + 1)
    assert "colour" in problem.message
    assert len(list(cache_home.glob("world-*.json"))) == 1  # an invalid dataset is never cached


def test_a_missing_issues_file_is_reported_as_before(cache_home: Path, tmp_path: Path) -> None:
    data = tmp_path / "tiny"
    shutil.copytree(TINY, data)
    (data / "issues.yaml").unlink()
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    assert [(p.file, p.message) for p in caught.value.problems] == [
        (str(data / "issues.yaml"), "file not found")
    ]


def test_values_that_are_not_plain_are_not_cached(cache_home: Path) -> None:
    assert not cache.store("k" * 64, {"a": {1, 2}})
    assert not cache.store("k" * 64, {"a": Path("/")})
    assert not cache.store("k" * 64, {1: "a key that is not a string"})
    assert not cache_home.exists() or not list(cache_home.glob("world-*.json"))


def test_plain_containers_round_trip(cache_home: Path) -> None:
    payload = {"$odd": [1, 2.0, True, None, "s"], "t": (1, (2, "x")), "nested": [{"$m": "not a model"}]}
    assert cache.store("a" * 64, payload)
    assert cache.load("a" * 64) == payload
    assert cache.load("b" * 64) is None


def test_old_entries_are_pruned(cache_home: Path) -> None:
    import hashlib

    keys = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(cache.KEEP + 5)]
    for i, key in enumerate(keys):
        assert cache.store(key, {"i": i})
        entry = cache.path_for(key)
        assert entry is not None
        os.utime(entry, ns=(i * 10**9, i * 10**9))  # distinct ages, whatever the clock's resolution
    kept = list(cache_home.glob("world-*.json"))
    assert len(kept) == cache.KEEP
    assert cache.load(keys[-1]) == {"i": len(keys) - 1}  # the newest are kept
    assert cache.load(keys[0]) is None


# ----------------------------------------------------------------------------------------------------
# the smaller files read on first use (blocs.yaml, alignment.yaml) and the convener agreement table
# ----------------------------------------------------------------------------------------------------


def _fresh_first_use_loaders() -> None:
    from coalesce.loading.alignment import load_alignment
    from coalesce.loading.blocs import load_blocs

    load_blocs.cache_clear()
    load_alignment.cache_clear()


def test_blocs_and_the_alignment_manifest_come_from_the_cache_on_a_hit(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coalesce.loading import alignment, blocs

    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    _fresh_first_use_loaders()
    first_blocs, first_manifest = blocs.load_blocs(data), alignment.load_alignment(data)
    assert first_blocs is not None and first_manifest is not None
    assert len(list(cache_home.glob("blocs-*.json"))) == 1
    assert len(list(cache_home.glob("alignment-*.json"))) == 1

    def boom(*args: object, **kwargs: object) -> Any:
        raise AssertionError("validated although the cache should have answered")

    with monkeypatch.context() as m:
        m.setattr(blocs, "validate_model", boom)
        m.setattr(alignment, "validate_model", boom)
        _fresh_first_use_loaders()
        warm_blocs, warm_data = blocs.load_blocs(data), alignment.load_alignment(data)
    assert warm_blocs == first_blocs and warm_blocs is not first_blocs
    assert warm_data is not None and warm_data.manifest == first_manifest.manifest
    assert warm_blocs.model_dump() == first_blocs.model_dump()
    # any change to the file misses, and the change shows
    text = (data / "blocs.yaml").read_text(encoding="utf-8")
    (data / "blocs.yaml").write_text(text + "\n# an edit\n", encoding="utf-8")
    _fresh_first_use_loaders()
    with monkeypatch.context() as m:
        m.setattr(blocs, "validate_model", boom)
        with pytest.raises(AssertionError, match="validated although"):
            blocs.load_blocs(data)
    _fresh_first_use_loaders()


def test_a_bad_blocs_file_is_still_reported_when_a_good_one_was_cached(
    cache_home: Path, tmp_path: Path
) -> None:
    from coalesce.loading import blocs

    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    _fresh_first_use_loaders()
    assert blocs.load_blocs(data) is not None
    (data / "blocs.yaml").write_text("blocs: 3\n", encoding="utf-8")
    _fresh_first_use_loaders()
    with pytest.raises(DataError) as caught:
        blocs.load_blocs(data)
    problem = caught.value.problems[0]
    assert problem.file.endswith("blocs.yaml") and problem.line >= 1, problem
    _fresh_first_use_loaders()


def _convener_state(ctx: Any) -> tuple[Any, ...]:
    model = ctx.convener_model
    agreement = [[repr(v) for v in row] for row in model.agreement]  # the same bits, NaN where missing
    return (
        agreement,
        model.palatability,
        model.capacity,
        model.components,
        model.static,
        model.categories,
        model.tracks,
        ctx.convener_pool,
        ctx.pool_order,
        ctx.neutrality,
        ctx.track_conveners,
    )


@pytest.mark.parametrize("issue_id", ["digital-trade", "ai-governance"])
def test_the_convener_compile_is_the_same_from_the_cache(
    issue_id: str, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coalesce import architecture
    from coalesce.problem import compile as compile_problem
    from coalesce.request import build_request

    ds = load_dataset()
    request = build_request(ds, issue_id, max_size=10)
    with monkeypatch.context() as m:
        m.setenv(cache.DISABLE_ENV, "1")
        architecture._AGREEMENT_CACHE.clear()
        reference = _convener_state(compile_problem(ds, request).context)
    architecture._AGREEMENT_CACHE.clear()
    cold = _convener_state(compile_problem(ds, request).context)  # computes and writes the table
    assert len(list(cache_home.glob("agree-*.bin"))) == 1
    architecture._AGREEMENT_CACHE.clear()
    calls: list[object] = []
    real = AlignmentData.votes

    def spy(self: AlignmentData, category: Any) -> Any:
        calls.append(category)
        return real(self, category)

    monkeypatch.setattr(AlignmentData, "votes", spy)
    warm = _convener_state(compile_problem(ds, request).context)
    assert cold == reference and warm == reference
    assert any(v == "nan" for row in warm[0] for v in row), "missing agreement stays missing"
    assert calls == [], "a hit reads no vote matrix: the agreement came from the cache"
    architecture._AGREEMENT_CACHE.clear()
    with monkeypatch.context() as m:
        m.setenv(cache.DISABLE_ENV, "1")
        assert _convener_state(compile_problem(ds, request).context) == reference
    assert calls, "with the cache off the matrix is computed from the votes"
    assert len(list(cache_home.glob("agree-*.bin"))) == 1


def test_a_corrupt_agreement_table_is_recomputed(cache_home: Path) -> None:
    from coalesce import architecture
    from coalesce.problem import compile as compile_problem
    from coalesce.request import build_request

    ds = load_dataset()
    request = build_request(ds, "digital-trade", max_size=10)
    architecture._AGREEMENT_CACHE.clear()
    reference = _convener_state(compile_problem(ds, request).context)
    (path,) = cache_home.glob("agree-*.bin")
    raw = path.read_bytes()
    path.write_bytes(raw[:-8] + b"\x00" * 8)  # the checksum no longer holds
    architecture._AGREEMENT_CACHE.clear()
    assert _convener_state(compile_problem(ds, request).context) == reference
    path.write_bytes(raw[: len(raw) // 2])  # truncated
    architecture._AGREEMENT_CACHE.clear()
    assert _convener_state(compile_problem(ds, request).context) == reference
