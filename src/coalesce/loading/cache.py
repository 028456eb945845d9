"""A cache of the validated world, in plain Python types, so a warm start skips parsing and validation.

`load_dataset` reads the bytes of every data file it needs; their SHA-256, with the package version, a
fingerprint of the package's own source files (their names, sizes and modification times: a developer's
edit to a model or a loader changes it), the pydantic and Python versions, make the key. When a cache
file with that key exists and its checksum holds, the dataset is rebuilt from it without the
position-tracking YAML parse and without pydantic validation (so no pydantic schema is built either:
the models defer that to their first validation). Otherwise the full path runs, with every problem
still reported as file:line:col, and only a dataset that validated is written back.

The file is JSON: a header line (format, key, payload checksum, the model classes it names) and the
payload, where a model is `{"$m": class, "f": fields, "s": fields set}`, a tuple `{"$t": [...]}` and a
dict whose keys start with `$` `{"$d": [[key, value], ...]}`. Only classes of the `coalesce` package
that are pydantic models are ever built from it, and only with exactly the fields they declare, so a
stale, corrupt or foreign file is ignored (and replaced by the next full load), never trusted.

Derived tables that cost more to compute than to read (the acceptance model's 38,000 pair features,
acceptance.pair_table) are kept beside it as checksummed bytes under their own key (`load_blob`,
`store_blob`): the caller's key names everything the table is computed from.

Where: `$XDG_CACHE_HOME/coalesce`, else `~/.cache/coalesce`. Writing never fails a command: a read-only
home, a full disk or a missing directory just means no cache. `COALESCE_NO_CACHE=1` turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from coalesce.loading.alignment import AlignmentData
    from coalesce.shapes import ContextView, ConvenerModel

T = TypeVar("T")

FORMAT = "coalesce-world-cache/1"
DISABLE_ENV = "COALESCE_NO_CACHE"
KEEP = 16
"""At most this many cache files of a kind are kept (one per distinct set of data files); the oldest go
first."""
_PREFIX = "world-"
_SUFFIX = ".json"


class Unsupported(TypeError):
    """A value the cache cannot hold as plain types (the dataset is then simply not cached)."""


def enabled() -> bool:
    """Whether the cache is used: unless COALESCE_NO_CACHE is set to anything but '' or '0'."""
    return os.environ.get(DISABLE_ENV, "") in ("", "0")


def cache_dir() -> Path | None:
    """$XDG_CACHE_HOME/coalesce (an absolute XDG_CACHE_HOME only, as the XDG spec says), else
    ~/.cache/coalesce; None when there is no home to put it in."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "coalesce"
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):
        return None
    return home / ".cache" / "coalesce"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """What besides the data decides the loaded dataset: the package's version and source files (name,
    size, mtime), the pydantic and Python versions and this file format."""
    import pydantic.version

    from coalesce import __version__

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for part in (FORMAT, __version__, pydantic.version.VERSION, sys.implementation.cache_tag or ""):
        digest.update(part.encode() + b"\0")
    pending = [root]
    entries: list[tuple[str, int, int]] = []
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as scan:
                for entry in scan:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name != "__pycache__" and entry.name != "data":
                            pending.append(Path(entry.path))
                    elif entry.name.endswith(".py"):
                        info = entry.stat()
                        entries.append((os.path.relpath(entry.path, root), info.st_size, info.st_mtime_ns))
        except OSError:
            continue
    for name, size, mtime in sorted(entries):
        digest.update(f"{name}\0{size}\0{mtime}\0".encode())
    return digest.hexdigest()


def key_for(files: Iterable[tuple[str, bytes]]) -> str:
    """The cache key of a set of data files (name as read, bytes) under this code."""
    digest = hashlib.sha256(code_fingerprint().encode() + b"\0")
    for name, raw in files:
        digest.update(f"{name}\0{hashlib.sha256(raw).hexdigest()}\0".encode())
    return digest.hexdigest()


def path_for(key: str, directory: Path | None = None, kind: str = "world") -> Path | None:
    """Where the cache file of `key` lives (None when there is no cache directory)."""
    folder = directory if directory is not None else cache_dir()
    return None if folder is None else folder / f"{kind}-{key[:40]}{_SUFFIX}"


# ----------------------------------------------------------------------------------------------------
# encoding: models and containers -> JSON-ready plain types
# ----------------------------------------------------------------------------------------------------


class _Encoder:
    def __init__(self) -> None:
        self.classes: list[str] = []
        self._index: dict[type[Any], int] = {}

    def class_id(self, cls: type[Any]) -> int:
        found = self._index.get(cls)
        if found is None:
            name = f"{cls.__module__}:{cls.__qualname__}"
            if not cls.__module__.startswith("coalesce.") or "<" in cls.__qualname__:
                raise Unsupported(f"{name} is not a coalesce model")
            found = self._index[cls] = len(self.classes)
            self.classes.append(name)
        return found

    def encode(self, value: Any) -> Any:
        from pydantic import BaseModel

        if value is None or isinstance(value, str | bool | int | float):
            return value
        if isinstance(value, BaseModel):
            if value.__pydantic_extra__ or value.__pydantic_private__:
                raise Unsupported(f"{type(value).__name__} has extra or private attributes")
            fields = value.__dict__
            if set(fields) != set(type(value).model_fields):
                raise Unsupported(f"{type(value).__name__} holds fields it does not declare")
            return {
                "$m": self.class_id(type(value)),
                "f": {name: self.encode(item) for name, item in fields.items()},
                "s": sorted(value.model_fields_set),
            }
        if isinstance(value, list):
            return [self.encode(item) for item in value]
        if isinstance(value, tuple):
            return {"$t": [self.encode(item) for item in value]}
        if isinstance(value, dict):
            if not all(isinstance(k, str) for k in value):
                raise Unsupported("a mapping with keys that are not strings")
            if any(k.startswith("$") for k in value):
                return {"$d": [[k, self.encode(v)] for k, v in value.items()]}
            return {k: self.encode(v) for k, v in value.items()}
        raise Unsupported(f"a {type(value).__name__} value")


def dumps(payload: Any, key: str) -> bytes:
    """The cache file's bytes for `payload` (Unsupported if it holds anything but plain types and models)."""
    encoder = _Encoder()
    body = json.dumps(encoder.encode(payload), ensure_ascii=False, separators=(",", ":")).encode()
    header = {
        "format": FORMAT,
        "key": key,
        "sha256": hashlib.sha256(body).hexdigest(),
        "classes": encoder.classes,
    }
    return json.dumps(header, separators=(",", ":")).encode() + b"\n" + body


# ----------------------------------------------------------------------------------------------------
# decoding: JSON -> the same models, built without validation
# ----------------------------------------------------------------------------------------------------


class Invalid(ValueError):
    """The cache file is not one this code wrote for this key."""


def _resolve_class(name: str) -> Callable[[dict[str, Any], list[str]], Any]:
    import importlib

    from pydantic import BaseModel

    module_name, _, qualname = name.partition(":")
    if not module_name.startswith("coalesce.") or not qualname or "<" in qualname:
        raise Invalid(f"not a coalesce model: {name!r}")
    try:
        target: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError) as exc:
        raise Invalid(f"unknown class {name!r}") from exc
    if not (isinstance(target, type) and issubclass(target, BaseModel)):
        raise Invalid(f"not a model: {name!r}")
    cls: Any = target
    declared = frozenset(cls.model_fields)
    plain = not cls.__private_attributes__ and cls.__pydantic_post_init__ is None
    new, set_attr = object.__new__, object.__setattr__

    def build(fields: dict[str, Any], fields_set: list[str]) -> Any:
        if fields.keys() != declared:
            raise Invalid(f"{name}: the cached fields differ from the model's")
        if not plain:
            return cls.model_construct(_fields_set=set(fields_set), **fields)
        # What model_construct does for a model with no private attributes and no post-init hook,
        # without its per-field default handling (every field is present here).
        model = new(cls)
        set_attr(model, "__dict__", fields)
        set_attr(model, "__pydantic_fields_set__", set(fields_set))
        set_attr(model, "__pydantic_extra__", None)
        set_attr(model, "__pydantic_private__", None)
        return model

    return build


def loads(raw: bytes, key: str) -> Any:
    """The payload of a cache file written by `dumps` for `key`; Invalid otherwise."""
    newline = raw.find(b"\n")
    if newline < 0:
        raise Invalid("no header line")
    try:
        header = json.loads(raw[:newline])
    except ValueError as exc:
        raise Invalid("unreadable header") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != key:
        raise Invalid("another format or key")
    body = raw[newline + 1 :]
    if hashlib.sha256(body).hexdigest() != header.get("sha256"):
        raise Invalid("checksum mismatch")
    names = header.get("classes")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise Invalid("no class table")
    builders = [_resolve_class(n) for n in names]

    def hook(obj: dict[str, Any]) -> Any:
        if "$m" in obj:
            return builders[obj["$m"]](obj["f"], obj["s"])
        if "$t" in obj:
            return tuple(obj["$t"])
        if "$d" in obj:
            return dict(obj["$d"])
        return obj

    try:
        return json.loads(body, object_hook=hook)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise Invalid(f"malformed payload: {exc}") from exc


# ----------------------------------------------------------------------------------------------------
# the file: read on a hit, written after a full load, never an error
# ----------------------------------------------------------------------------------------------------


def load(key: str, kind: str = "world") -> Any | None:
    """The cached payload for `key`, or None (disabled, absent, unreadable, stale, corrupt, foreign).

    `kind` names the file (the world, or one of the smaller data files read on first use: `blocs`,
    `alignment`), each kind pruned on its own."""
    if not enabled():
        return None
    path = path_for(key, kind=kind)
    if path is None:
        return None
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        return loads(raw, key)
    except Invalid:
        return None


def store(key: str, payload: Any, kind: str = "world") -> bool:
    """Write `payload` under `key`; True when written. Any failure (a read-only or missing cache
    directory, a full disk, a value that is not plain) leaves no cache and no error."""
    if not enabled():
        return False
    path = path_for(key, kind=kind)
    if path is None:
        return False
    try:
        data = dumps(payload, key)
    except (Unsupported, ValueError, RecursionError):
        return False
    if not _write_atomic(path, data, f".{kind}-"):
        return False
    _prune(path.parent, f"{kind}-")
    return True


def validated_file(kind: str, name: str, raw: bytes, expected: type[T], validate: Callable[[], T]) -> T:
    """A data file's validated model, from the cache when the same bytes were validated before under this
    code, else `validate()` (which raises on any problem, with file:line:col), written back when it
    succeeds. For the smaller files read on first use (data/blocs.yaml, data/alignment/alignment.yaml):
    their pydantic validation costs more than the search of a small issue."""
    key = key_for([(name, raw)]) if enabled() else None
    if key is not None:
        cached = load(key, kind)
        if isinstance(cached, expected):
            return cached
    value = validate()
    if key is not None:
        store(key, value, kind)
    return value


def _write_atomic(path: Path, data: bytes, temporary_prefix: str) -> bool:
    """Write `data` to `path` through a temporary file in the same folder, renamed into place, so a
    reader never sees half a file; False (nothing left behind) on any OS error."""
    import tempfile

    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=temporary_prefix, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError:
        return False
    return True


def _prune(folder: Path, prefix: str = _PREFIX, suffix: str = _SUFFIX) -> None:
    """Keep the KEEP newest cache files of one kind."""
    with contextlib.suppress(OSError):
        found = []
        for entry in os.scandir(folder):
            if entry.name.startswith(prefix) and entry.name.endswith(suffix):
                found.append((entry.stat().st_mtime_ns, entry.path))
        for _, old in sorted(found, reverse=True)[KEEP:]:
            os.unlink(old)


# ----------------------------------------------------------------------------------------------------
# derived tables: bytes under a key, checksummed (the acceptance model's pair table)
# ----------------------------------------------------------------------------------------------------

BLOB_FORMAT = "coalesce-table-cache/1"
_BLOB_SUFFIX = ".bin"


def _blob_path(kind: str, key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"{kind}-{key[:40]}{_BLOB_SUFFIX}"


def load_blob(kind: str, key: str) -> bytes | None:
    """The bytes stored by `store_blob(kind, key, ...)`, or None (disabled, absent, unreadable, another
    key or format, checksum mismatch): a derived table is then simply computed again."""
    if not enabled():
        return None
    path = _blob_path(kind, key)
    if path is None:
        return None
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    newline = raw.find(b"\n")
    if newline < 0:
        return None
    try:
        header = json.loads(raw[:newline])
    except ValueError:
        return None
    body = raw[newline + 1 :]
    if (
        not isinstance(header, dict)
        or header.get("format") != BLOB_FORMAT
        or header.get("key") != key
        or header.get("sha256") != hashlib.sha256(body).hexdigest()
    ):
        return None
    return body


def store_blob(kind: str, key: str, body: bytes) -> bool:
    """Write `body` under (kind, key); True when written. Never an error (see `store`)."""
    if not enabled():
        return False
    path = _blob_path(kind, key)
    if path is None:
        return False
    header = {"format": BLOB_FORMAT, "key": key, "sha256": hashlib.sha256(body).hexdigest()}
    data = json.dumps(header, separators=(",", ":")).encode() + b"\n" + body
    if not _write_atomic(path, data, f".{kind}-"):
        return False
    _prune(path.parent, f"{kind}-", _BLOB_SUFFIX)
    return True


# ----------------------------------------------------------------------------------------------------
# the convener model's agreement matrix (architecture.compile_conveners), a derived table like the above
# ----------------------------------------------------------------------------------------------------


def compiled_conveners(ctx: ContextView, alignment: AlignmentData | None) -> ConvenerModel:
    """`architecture.compile_conveners(ctx, alignment)`, with its costly part read from the cache.

    That part is the agreement of every pair of actors in the issue's vote categories (38,000 pairs,
    each a mean over the categories' matrices), a function of the vote files' bytes, the categories and
    the actors' codes alone. It is kept as raw doubles (exact, NaN for a missing figure), keyed by the
    SHA-256 of those files, the categories, the codes and the package fingerprint (a change to the
    convener code misses); a hit seeds the model's own per-process memo of that matrix, so the compile
    itself runs unchanged and everything else it computes (palatability, capacity, the pool, the tracks)
    is computed as before. Without alignment data, or with the cache off, it is the plain compile."""
    from array import array

    from coalesce import architecture

    if alignment is None or not enabled():
        return architecture.compile_conveners(ctx, alignment)
    categories = architecture.issue_categories(ctx, alignment)
    memo = architecture._AGREEMENT_CACHE
    memo_key = (alignment, categories, ctx.codes)  # architecture._agreement's key
    if memo_key in memo:  # this process has the matrix already
        return architecture.compile_conveners(ctx, alignment)
    try:
        files = [alignment.directory / alignment.manifest.votes.categories[c].file for c in categories]
        digests = [hashlib.sha256(path.read_bytes()).hexdigest() for path in files]
    except (KeyError, OSError):  # no such category or file: the compile itself reports it, as before
        return architecture.compile_conveners(ctx, alignment)
    identity = json.dumps([code_fingerprint(), sys.byteorder, digests, list(categories), list(ctx.codes)])
    key = hashlib.sha256(identity.encode()).hexdigest()
    n = len(ctx.codes)
    body = load_blob("agree", key)
    hit = body is not None and len(body) == 8 * n * n
    if hit and body is not None:
        flat = array("d")
        flat.frombytes(body)
        memo[memo_key] = tuple(tuple(flat[i * n : (i + 1) * n]) for i in range(n))
    model = architecture.compile_conveners(ctx, alignment)
    if not hit and memo_key in memo:
        store_blob("agree", key, array("d", (v for row in model.agreement for v in row)).tobytes())
    return model
