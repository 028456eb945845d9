"""Files -> a validated Dataset (world, issues, model parameters), reporting every problem at once."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coalesce.errors import DataError, Problem
from coalesce.loading import yamlsafe
from coalesce.loading.resolve import Identity, Resolver, UnknownActor, fold
from coalesce.loading.validate import validate_model
from coalesce.loading.yamlsafe import PosDict, PosList, position_of
from coalesce.models.issue import Issue, IssueFile, ModelParameters, VetoQuota, WeightedVote
from coalesce.models.scenario import Trail
from coalesce.models.world import Source, World

if TYPE_CHECKING:
    from coalesce.loading.alignment import AlignmentData
    from coalesce.models.alignment import BlocFile


@dataclass(frozen=True)
class Dataset:
    """A loaded data directory: the world, its issues and the model parameters."""

    world: World
    issues: dict[str, Issue]
    params: ModelParameters
    sources: dict[str, Source]
    directory: Path
    resolver: Resolver
    trail: Trail = dataclasses.field(default_factory=Trail)
    """What scenarios applied to this world ask of every search (empty for data as loaded)."""

    def issue(self, issue_id: str) -> Issue:
        """The issue with this id (KeyError if absent)."""
        return self.issues[issue_id]

    def alignment(self) -> AlignmentData | None:
        """Vote agreement, convener record and shared IGOs (data/alignment/), read on first use."""
        from coalesce.loading.alignment import load_alignment

        return load_alignment(self.directory)

    def blocs(self) -> BlocFile | None:
        """Where each bloc acts for its members (data/blocs.yaml), read on first use."""
        from coalesce.loading.blocs import load_blocs

        return load_blocs(self.directory)


def default_data_dir() -> Path:
    """The data shipped with the package (inside the wheel), or the repository's data/ in a checkout."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "data"
    if (packaged / "states.yaml").is_file():
        return packaged
    return here.parent.parent / "data"


STDIN = "-"
"""A file argument of `-` means standard input, wherever a file is read."""
STDIN_LABEL = "<stdin>"
PIPE_IDLE_SECONDS = 10.0
"""A pipe (or stdin) that sends nothing for this long is an error, not a hang: a FIFO nobody writes to
would otherwise block forever."""
_CHUNK = 1 << 16


class _StdinState:
    used = False
    """Whether this command has read stdin already (`-` may stand for one file only)."""


def forget_stdin() -> None:
    """The guard above holds for one command: `cli.main` calls this before each, so a second command in
    the same process (a notebook, a test) may read stdin again."""
    _StdinState.used = False


def label_for(path: Path) -> str:
    """How a file is named in messages: its path as given, or `<stdin>` for `-`."""
    return STDIN_LABEL if str(path) == STDIN else str(path)


def read_bytes(path: Path, label: str | None = None) -> bytes:
    """The bytes of a regular file, a pipe or FIFO, or stdin (`-`), at most yamlsafe.MAX_BYTES of them.

    The cap is enforced while reading (a FIFO or /dev/zero-like stream never fills memory); anything
    else (a directory, a device, a socket) is refused; a pipe idle for PIPE_IDLE_SECONDS is an error,
    so nothing hangs. Every problem is a DataError naming the file."""
    import os
    import stat
    import sys

    shown = label or label_for(path)

    def fail(message: str) -> DataError:
        return DataError([Problem(shown, 0, 0, message)])

    if str(path) == STDIN:
        if _StdinState.used:
            raise fail("standard input was already read for another '-'; it can be read only once")
        stream = sys.stdin
        if stream is None:
            raise fail("standard input is closed")
        try:
            fd = stream.fileno()
            mode = os.fstat(fd).st_mode
        except (OSError, ValueError, AttributeError):
            raise fail("standard input cannot be read") from None
        if os.isatty(fd):
            raise fail("standard input is a terminal; pipe the file in (`... - < file`) or name the file")
        _StdinState.used = True
        return _read_fd(fd, stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode), fail)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise fail("file not found") from None
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise fail("is a directory, not a file")
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        raise fail("not a regular file or a pipe (a device or socket); give a file, a pipe or '-'")
    pipe = stat.S_ISFIFO(mode)
    try:
        # A FIFO opened without O_NONBLOCK blocks until a writer appears; the poll below bounds the wait.
        fd = os.open(path, os.O_RDONLY | (os.O_NONBLOCK if pipe else 0))
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror}") from None
    try:
        return _read_fd(fd, pipe, fail)
    finally:
        os.close(fd)


def _read_fd(fd: int, pipe: bool, fail: Any) -> bytes:
    import os
    import select

    limit = yamlsafe.MAX_BYTES
    chunks: list[bytes] = []
    size = 0
    poller = select.poll() if pipe else None
    if poller is not None:
        poller.register(fd, select.POLLIN | select.POLLHUP)
    while True:
        if poller is not None:
            events = poller.poll(int(PIPE_IDLE_SECONDS * 1000))
            if not events:
                raise fail(
                    f"nothing arrived from the pipe for {PIPE_IDLE_SECONDS:g} s; is anything writing to it?"
                )
        try:
            chunk = os.read(fd, _CHUNK)
        except BlockingIOError:
            continue
        except OSError as exc:
            raise fail(f"cannot read: {exc.strerror}") from None
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise fail(f"file is over the {limit}-byte limit (stopped reading at {size} bytes)")
    return b"".join(chunks)


def read_tree(path: Path, label: str | None = None) -> Any:
    """Read and parse one YAML file strictly; a missing or unreadable file is a DataError."""
    shown = label or label_for(path)
    return yamlsafe.load(yamlsafe.decode(read_bytes(path, shown), shown), shown)


def require_mapping(tree: Any, label: str, what: str) -> PosDict:
    """The top level must be a mapping."""
    if tree is None:
        raise DataError([Problem(label, 1, 1, f"file is empty; expected {what}")])
    if not isinstance(tree, PosDict):
        kind = "a list" if isinstance(tree, list) else f"a scalar {tree!r}"
        raise DataError([Problem(label, 1, 1, f"top level is {kind}; expected {what}")])
    return tree


def _resolver_from_tree(tree: PosDict) -> Resolver:
    return Resolver(identities_from_tree(tree))


def identities_from_tree(tree: Any) -> list[Identity]:
    """Each actor's code, name, iso2 and aliases as written (before validation, so that bloc members
    can be resolved first); entries without a string code are left out."""
    entries = []
    actors = tree.get("actors") if isinstance(tree, dict) else None
    for actor in actors if isinstance(actors, list) else []:
        if isinstance(actor, dict) and isinstance(actor.get("code"), str):
            code = str(actor["code"])
            name = str(actor["name"]) if isinstance(actor.get("name"), str) else code
            iso2 = actor.get("iso2") if isinstance(actor.get("iso2"), str) else None
            raw_aliases = actor.get("aliases")
            aliases = (
                tuple(str(a) for a in raw_aliases if isinstance(a, str))
                if isinstance(raw_aliases, list)
                else ()
            )
            entries.append(Identity(code, name, iso2, aliases))
    return entries


def identity_problems(resolver: Resolver, tree: Any, label: str) -> Iterator[Problem]:
    """Every spelling two actors claim (see loading/resolve.py), at the later claim's position."""
    actors = tree.get("actors") if isinstance(tree, dict) else None
    index: dict[str, int] = {}
    for i, actor in enumerate(actors if isinstance(actors, list) else []):
        if isinstance(actor, dict) and isinstance(actor.get("code"), str):
            index.setdefault(str(actor["code"]), i)
    words = {"code": "code", "iso2": "ISO 3166-1 alpha-2 code (iso2)", "name": "name", "alias": "alias"}
    for c in resolver.collisions:
        found = index.get(c.code)
        path: tuple[Any, ...] = (
            "actors",
            found if found is not None else -1,
            c.field if c.field != "alias" else "aliases",
        )
        if c.field == "alias" and found is not None and isinstance(actors, list):
            aliases = actors[found].get("aliases")
            for j, alias in enumerate(aliases if isinstance(aliases, list) else []):
                if isinstance(alias, str) and fold(alias) == fold(c.spelling):
                    path = (*path, j)
                    break
        line, col = position_of(tree, path) if found is not None else (0, 0)
        yield Problem(
            label,
            line,
            col,
            f"actors[{c.code}].{c.field}: {c.spelling!r} is also the {words[c.other_field]} of {c.other}; "
            "each code, name and alias must name one actor",
        )


def resolve_codes(
    tree: Any,
    path: tuple[Any, ...],
    resolver: Resolver,
    label: str,
    problems: list[Problem],
    report: bool = True,
    unique: bool = True,
) -> None:
    """Resolve every actor reference in the list at `path` in place (ISO2 and names -> ISO3).

    With `report=False` unknown references are left as written for a later check to report once. With
    `unique`, two references to one actor (`NLD` and `Netherlands`) are a problem, not a silent double."""
    node = tree
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return
    if not isinstance(node, PosList):
        return
    first: dict[str, Any] = {}
    for i, item in enumerate(node):
        try:
            code = resolver.resolve(item)
        except UnknownActor as exc:
            if report:
                where = node.item_pos[i]
                problems.append(Problem(label, where[0], where[1], f"{_dotted(path)}: {exc}"))
            continue
        node[i] = code
        if unique and code in first:
            where = node.item_pos[i]
            problems.append(
                Problem(
                    label,
                    where[0],
                    where[1],
                    f"{_dotted(path)}: {item!r} and {first[code]!r} are both {code}; list each actor once",
                )
            )
        first.setdefault(code, item)


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


def load_dataset(directory: Path | None = None) -> Dataset:
    """Load states.yaml and issues.yaml from `directory` (default: the shipped data).

    A valid dataset read before from the same bytes comes from the plain-type cache (loading/cache.py)
    without parsing or validation; otherwise the full path runs and its result is cached."""
    from coalesce.loading import cache

    directory = directory or default_data_dir()
    if not directory.is_dir():
        from coalesce.errors import UsageError

        raise UsageError(
            f"--data {directory}: no such directory (it should hold states.yaml and issues.yaml)"
        )
    states_path, issues_path = directory / "states.yaml", directory / "issues.yaml"
    states_raw = read_bytes(states_path)
    issues_raw: bytes | DataError
    try:
        issues_raw = read_bytes(issues_path)
    except DataError as exc:  # raised where the full path reads issues.yaml, after states.yaml's problems
        issues_raw = exc
    key = None
    if isinstance(issues_raw, bytes) and cache.enabled():
        key = cache.key_for([("states.yaml", states_raw), ("issues.yaml", issues_raw)])
        cached = cache.load(key)
        if cached is not None:
            try:
                return _from_cache(cached, directory)
            except (KeyError, TypeError, ValueError, AttributeError):
                pass  # not the shape this code writes: load in full and overwrite it
    dataset, issue_file = _load_full(directory, states_raw, issues_raw)
    if key is not None:
        extra = [s for i, s in enumerate(dataset.sources.values()) if i >= len(dataset.world.sources)]
        cache.store(
            key,
            {
                "world": dataset.world,
                "issues": list(dataset.issues.values()),
                "params": issue_file.model,
                "extra_sources": extra,
                "resolver_keys": dataset.resolver.keys,
                "resolver_labels": dataset.resolver.labels,
            },
        )
    return dataset


def _from_cache(cached: Any, directory: Path) -> Dataset:
    """A Dataset from a cache payload (see load_dataset), built as the full path builds it."""
    world: World = cached["world"]
    if not isinstance(world, World):
        raise TypeError("cached world is not a World")
    sources: dict[str, Source] = {s.id: s for s in world.sources}
    for source in cached["extra_sources"]:
        sources.setdefault(source.id, source)
    issues = {issue.id: issue for issue in cached["issues"]}
    params = cached["params"]
    if not isinstance(params, ModelParameters):
        raise TypeError("cached parameters are not ModelParameters")
    resolver = Resolver.restore(cached["resolver_keys"], cached["resolver_labels"])
    return Dataset(world, issues, params, sources, directory, resolver)


def _load_full(
    directory: Path, states_raw: bytes, issues_raw: bytes | DataError
) -> tuple[Dataset, IssueFile]:
    """Parse and validate both files, reporting every problem with its file:line:col."""
    states_path, issues_path = directory / "states.yaml", directory / "issues.yaml"
    states_label, issues_label = str(states_path), str(issues_path)
    problems: list[Problem] = []

    states_tree = require_mapping(
        yamlsafe.load(yamlsafe.decode(states_raw, states_label), states_label),
        states_label,
        "a mapping with 'actors'",
    )
    resolver = _resolver_from_tree(states_tree)
    for i, actor in enumerate(states_tree.get("actors") or []):
        if isinstance(actor, dict):
            resolve_codes(
                states_tree,
                ("actors", i, "members"),
                resolver,
                states_label,
                problems,
                report=False,
                unique=False,  # check_world says "lists a member twice"
            )
    world, found = validate_model(World, states_tree, states_label)
    problems += found
    problems += list(identity_problems(resolver, states_tree, states_label))
    if world is not None:
        problems += list(check_world(world, states_tree, states_label))
    else:  # still check the references of every part that did validate, so all problems show at once
        problems += list(check_world(_partial_world(states_tree), states_tree, states_label))

    if isinstance(issues_raw, DataError):
        raise issues_raw
    issues_tree = require_mapping(
        yamlsafe.load(yamlsafe.decode(issues_raw, issues_label), issues_label),
        issues_label,
        "a mapping with 'issues'",
    )
    issue_list = issues_tree.get("issues")
    for i, issue in enumerate(issue_list if isinstance(issue_list, list) else []):
        if isinstance(issue, dict):
            for r, _ in enumerate(issue.get("rivals") or []):
                resolve_codes(
                    issues_tree, ("issues", i, "rivals", r), resolver, issues_label, problems, unique=False
                )  # check_issues says "a rivalry needs at least two different actors"
            resolve_codes(issues_tree, ("issues", i, "exclude"), resolver, issues_label, problems)
    raw_sources = issues_tree.get("sources")
    issue_sources: list[Any] = raw_sources if isinstance(raw_sources, list) else []
    extra_sources = [validate_model(Source, s, issues_label) for s in issue_sources]
    for _, found in extra_sources:
        problems += found
    issue_file, found = validate_model(IssueFile, issues_tree, issues_label)
    problems += found
    sources: dict[str, Source] = {s.id: s for s in world.sources} if world else {}
    for source, _ in extra_sources:
        if source is not None and source.id not in sources:
            sources[source.id] = source
    if world is not None and issue_file is not None:
        problems += list(check_issues(world, issue_file, sources, issues_tree, issues_label))
    if problems:
        raise DataError(problems)
    assert world is not None and issue_file is not None  # guaranteed when there are no problems
    issues = {issue.id: issue for issue in sorted(issue_file.issues, key=lambda x: x.id)}
    return Dataset(world, issues, issue_file.model, sources, directory, resolver), issue_file


def _partial_world(tree: PosDict) -> World:
    """A World built without validation from the entries that validate on their own (others are None,
    keeping their list positions, so messages point at the right lines)."""
    from coalesce.models.world import Actor, Defaults, Domain, Grouping, Tag

    def items(key: str, model: type[Any]) -> list[Any]:
        raw = tree.get(key)
        out = []
        for entry in raw if isinstance(raw, list) else []:
            try:
                out.append(model.model_validate(entry))
            except ValueError:
                out.append(None)
        return out

    try:
        defaults = Defaults.model_validate(tree.get("defaults"))
    except ValueError:
        defaults = None
    return World.model_construct(
        defaults=defaults,  # type: ignore[arg-type]  # None when the defaults block itself is invalid
        sources=items("sources", Source),
        groupings=items("groupings", Grouping),
        domains=items("domains", Domain),
        tags=items("tags", Tag),
        actors=items("actors", Actor),
    )


def check_world(world: World, tree: Any, label: str, sums: bool = True) -> Iterator[Problem]:
    """Cross-reference checks that a schema cannot express (and, with `sums`, the domain totals)."""

    def at(path: tuple[Any, ...], message: str) -> Problem:
        line, col = position_of(tree, path)
        return Problem(label, line, col, message)

    source_ids: set[str] = set()
    for i, source in enumerate(world.sources):
        if source is None:
            continue
        if source.id in source_ids:
            yield at(("sources", i, "id"), f"duplicate source id {source.id!r}")
        source_ids.add(source.id)
    for section in ("domains", "tags", "groupings"):
        seen: set[str] = set()
        for i, item in enumerate(getattr(world, section)):
            if item is None:
                continue
            if item.id in seen:
                yield at((section, i, "id"), f"duplicate {section[:-1]} id {item.id!r}")
            seen.add(item.id)
            if item.source not in source_ids:
                yield at((section, i, "source"), f"{section[:-1]} {item.id}: unknown source {item.source!r}")
    for name in ("population", "gdp", "alignment") if world.defaults is not None else ():
        default = getattr(world.defaults, name)
        if default is not None and default.source not in source_ids:
            yield at(("defaults", name, "source"), f"defaults.{name}: unknown source {default.source!r}")
    domains = {d.id: d for d in world.domains if d is not None}
    tags = {t.id for t in world.tags if t is not None}
    groupings = {g.id for g in world.groupings if g is not None}
    codes: dict[str, int] = {}
    for i, actor in enumerate(world.actors):
        if actor is None:
            continue
        where = ("actors", i)
        if actor.code in codes:
            yield at(
                (*where, "code"),
                f"duplicate actor code {actor.code!r} (first at actors[{codes[actor.code]}])",
            )
        codes.setdefault(actor.code, i)
        if actor.kind == "state" and len(actor.code) != 3:
            yield at(
                (*where, "code"), f"state code {actor.code!r} must be ISO 3166-1 alpha-3 (e.g. NOR, not NO)"
            )
        for field, cited in actor.figure_sources.items():
            if cited not in source_ids:
                yield at(
                    (*where, "figure_sources", field),
                    f"actors[{actor.code}].{field}: unknown source {cited!r}",
                )
        for group in actor.memberships:
            if group not in groupings:
                yield at((*where, "memberships"), f"actors[{actor.code}]: unknown grouping {group!r}")
        if actor.alignment is not None and actor.alignment.source not in source_ids:
            yield at(
                (*where, "alignment", "source"),
                f"actors[{actor.code}].alignment: unknown source {actor.alignment.source!r}",
            )
        for d, fig in actor.capabilities.items():
            if d not in domains:
                yield at((*where, "capabilities", d), f"actors[{actor.code}]: unknown domain {d!r}")
            if fig.source not in source_ids:
                yield at(
                    (*where, "capabilities", d, "source"),
                    f"actors[{actor.code}].capabilities.{d}: unknown source {fig.source!r}",
                )
        for t, efig in actor.expertise.items():
            if t not in tags:
                yield at((*where, "expertise", t), f"actors[{actor.code}]: unknown tag {t!r}")
            if efig.source not in source_ids:
                yield at(
                    (*where, "expertise", t, "source"),
                    f"actors[{actor.code}].expertise.{t}: unknown source {efig.source!r}",
                )
    by_code = {a.code: a for a in world.actors if a is not None}
    raw_actors = tree.get("actors") if isinstance(tree, dict) else None
    written = (
        {a.get("code") for a in raw_actors if isinstance(a, dict)} if isinstance(raw_actors, list) else set()
    )
    for i, actor in enumerate(world.actors):
        if actor is None or actor.kind != "bloc":
            continue
        for j, member in enumerate(actor.members):
            member_path = ("actors", i, "members", j)
            if member == actor.code:
                yield at(member_path, f"bloc {actor.code} lists itself as a member")
            elif member not in by_code and member not in written:
                yield at(member_path, f"bloc {actor.code}: unknown member {member!r}")
            elif member in by_code and by_code[member].kind == "bloc":
                yield at(member_path, f"bloc {actor.code}: member {member} is a bloc; blocs hold states only")
        if len(set(actor.members)) != len(actor.members):
            yield at(("actors", i, "members"), f"bloc {actor.code} lists a member twice")
    if sums and all(a is not None for a in world.actors) and all(d is not None for d in world.domains):
        yield from _check_domain_sums(world, tree, label, by_code)


def _check_domain_sums(world: World, tree: Any, label: str, by_code: dict[str, Any]) -> Iterator[Problem]:
    for d_index, domain in enumerate(world.domains):
        total = 0.0
        for actor in sorted(world.actors, key=lambda a: a.code):
            fig = actor.capabilities.get(domain.id)
            if fig is None:
                continue
            if actor.kind == "bloc":
                listed = sum(
                    by_code[m].capabilities[domain.id].share
                    for m in sorted(actor.members)
                    if m in by_code and domain.id in by_code[m].capabilities
                )
                if fig.share + domain.tolerance < listed:
                    i = world.actors.index(actor)
                    line, col = position_of(tree, ("actors", i, "capabilities", domain.id, "share"))
                    yield Problem(
                        label,
                        line,
                        col,
                        f"bloc {actor.code} total {fig.share:g} in {domain.id} is below its members' {listed:.4f}",
                    )
                total += max(0.0, fig.share - listed)
            else:
                total += fig.share
        if total > 1.0 + domain.tolerance + 1e-12:
            line, col = position_of(tree, ("domains", d_index, "id"))
            yield Problem(
                label,
                line,
                col,
                f"domain {domain.id}: shares add up to {total:.4f}, above 1 + tolerance {domain.tolerance:g}",
            )


def check_issues(
    world: World, issue_file: IssueFile, sources: dict[str, Source], tree: Any, label: str
) -> Iterator[Problem]:
    """Issues must reference domains, tags, actors, groupings and sources that exist."""
    domains = {d.id for d in world.domains}
    tags = {t.id for t in world.tags}
    groupings = {g.id for g in world.groupings}
    seen: set[str] = set()
    for i, issue in enumerate(issue_file.issues):

        def at(path: tuple[Any, ...], message: str, i: int = i, issue_id: str = issue.id) -> Problem:
            line, col = position_of(tree, ("issues", i, *path))
            return Problem(label, line, col, f"issues[{issue_id}].{message}")

        if issue.id in seen:
            yield at(("id",), f"id: duplicate issue id {issue.id!r}")
        seen.add(issue.id)
        for d in issue.domains:
            if d not in domains:
                yield at(
                    ("domains", d), f"domains: unknown domain {d!r}; known: {', '.join(sorted(domains))}"
                )
        for t_index, t in enumerate(issue.expertise):
            if t not in tags:
                yield at(
                    ("expertise", t_index), f"expertise: unknown tag {t!r}; known: {', '.join(sorted(tags))}"
                )
        from coalesce.request import HARD_MAX_SIZE

        if issue.max_size > HARD_MAX_SIZE:
            yield at(
                ("max_size",),
                f"max_size: {issue.max_size} is above {HARD_MAX_SIZE}; a coalition that large is not minilateral",
            )
        for r_index, group in enumerate(issue.rivals):
            if len(set(group)) < 2:
                yield at(("rivals", r_index), "rivals: a rivalry needs at least two different actors")
            for m_index, rival in enumerate(group):
                if rival in issue.exclude:
                    yield at(
                        ("rivals", r_index, m_index),
                        f"rivals: {rival} is a key rival and also in exclude; an actor the issue rules out "
                        "cannot be engaged (drop it from one of the two)",
                    )
        rule = issue.decision_rule
        if isinstance(rule, WeightedVote) and rule.field.startswith("capabilities."):
            domain = rule.field.split(".")[1]
            if domain not in domains:
                yield at(("decision_rule", "field"), f"decision_rule.field: unknown domain {domain!r}")
        if isinstance(rule, VetoQuota) and rule.veto_membership not in groupings:
            yield at(
                ("decision_rule", "veto_membership"),
                f"decision_rule.veto_membership: unknown grouping {rule.veto_membership!r}",
            )
        for s_index, source in enumerate(issue.sources):
            if source not in sources:
                yield at(("sources", s_index), f"sources: unknown source {source!r}")
