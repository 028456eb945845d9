"""Browse the data and its provenance: lists of issues, actors, sources; one issue or actor in full."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from pydantic import ValidationError

from coalesce.errors import DataError, Problem, UsageError
from coalesce.loading.files import Dataset
from coalesce.loading.resolve import UnknownActor
from coalesce.models.browse import Detail, Listing
from coalesce.models.world import Source


def list_issues(dataset: Dataset) -> Listing:
    """Every issue with its rule, target and deadline."""
    rows = [
        {
            "id": issue.id,
            "title": issue.title,
            "rule": issue.decision_rule.kind,
            "target": issue.target,
            "deadline_months": issue.deadline_months,
            "min_size": issue.min_size,
            "max_size": issue.max_size,
        }
        for issue in dataset.issues.values()
    ]
    return Listing(
        command="issues",
        title="Issues",
        columns=["id", "title", "rule", "target", "deadline_months", "min_size", "max_size"],
        rows=rows,
    )


def list_actors(dataset: Dataset, domain: str | None = None) -> Listing:
    """Every actor, or with --domain the holders of that domain by share, with sources."""
    world = dataset.world
    if domain is None:
        rows = [
            {
                "code": a.code,
                "name": a.name,
                "kind": a.kind,
                "population_m": a.population_m,
                "gdp_usd_bn": a.gdp_usd_bn,
                "ideal_point": a.alignment.ideal_point if a.alignment else None,
                "memberships": list(a.memberships),
            }
            for a in sorted(world.actors, key=lambda a: a.code)
        ]
        return Listing(
            command="actors",
            title=f"Actors ({len(rows)})",
            columns=["code", "name", "kind", "population_m", "gdp_usd_bn", "ideal_point", "memberships"],
            rows=rows,
        )
    known = {d.id: d for d in world.domains}
    if domain not in known:
        import difflib

        close = difflib.get_close_matches(domain, list(known), n=3, cutoff=0.5)
        raise UsageError(
            f"--domain: unknown domain {domain!r}; "
            + (f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(sorted(known))}")
        )
    holders = [(a, a.capabilities[domain]) for a in world.actors if domain in a.capabilities]
    holders.sort(key=lambda item: (-item[1].share, item[0].code))
    rows = [
        {
            "code": a.code,
            "name": a.name,
            "share": fig.share,
            "uncertainty": fig.uncertainty,
            "source": fig.source,
            "flags": [f for f, on in (("estimate", fig.estimate), ("secondary", fig.secondary)) if on],
        }
        for a, fig in holders
    ]
    d = known[domain]
    return Listing(
        command="actors",
        title=f"{d.name}: {d.measure} ({d.year}); listed total {sum(f.share for a, f in holders if a.kind == 'state'):.1%} by states",
        columns=["code", "name", "share", "uncertainty", "source", "flags"],
        rows=rows,
    )


def citation_counts(dataset: Dataset) -> Counter[str]:
    """How many figures and facts cite each source: figures, memberships (via their grouping's source),
    domain and tag definitions, issues, and estimates whose basis names the source."""
    counts: Counter[str] = Counter()
    world = dataset.world
    grouping_source = {g.id: g.source for g in world.groupings}
    for source in [d.source for d in world.domains] + [t.source for t in world.tags]:
        counts[source] += 1
    known = sorted(dataset.sources, key=len, reverse=True)
    for actor in world.actors:
        for group in actor.memberships:
            if group in grouping_source:
                counts[grouping_source[group]] += 1
        for fig in (*actor.capabilities.values(), *actor.expertise.values(), actor.alignment):
            text = f"{getattr(fig, 'basis', '') or ''} {getattr(fig, 'note', '') or ''}"
            for source in known:
                if source in text and source != getattr(fig, "source", None):
                    counts[source] += 1
        counts[actor.figure_sources.get("population_m", world.defaults.population.source)] += 1
        counts[actor.figure_sources.get("gdp_usd_bn", world.defaults.gdp.source)] += 1
        if actor.alignment:
            counts[actor.alignment.source] += 1
        for fig in actor.capabilities.values():
            counts[fig.source] += 1
        for efig in actor.expertise.values():
            counts[efig.source] += 1
    for issue in dataset.issues.values():
        for source in issue.sources:
            counts[source] += 1
    return counts


_VINTAGE_YEAR = re.compile(r"^  '?\d{4}'?:", re.MULTILINE)


def _vintage_sources(path: Path) -> tuple[list[Source], int]:
    """The sources of case_vintage.yaml and its number of years, read from the head of the file only
    (the sources block precedes `years:`; parsing all 57 years would take a second)."""
    from coalesce.loading.files import read_bytes
    from coalesce.loading.yamlsafe import decode, load, position_of

    label = str(path)
    text = decode(read_bytes(path, label), label)
    head, sep, rest = text.partition("\nyears:")
    tree = load(head, label)
    raw = tree.get("sources") if isinstance(tree, dict) else None
    sources: list[Source] = []
    for i, item in enumerate(raw if isinstance(raw, list) else []):
        try:
            sources.append(Source.model_validate(dict(item) if isinstance(item, dict) else item))
        except ValidationError as exc:
            line, col = position_of(tree, ("sources", i))
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"])
            where = f"sources[{i}].{field}" if field else f"sources[{i}]"
            raise DataError([Problem(label, line, col, f"{where}: {first['msg']}")]) from None
    return sources, len(_VINTAGE_YEAR.findall(rest)) if sep else 0


def list_sources(dataset: Dataset) -> Listing:
    """Every source, those of cases.yaml, signatures.yaml and case_vintage.yaml (in the data directory) included,
    with its quality flag (primary / secondary / estimate), where it is defined and how many figures and cases
    cite it (for a case-vintage source: the number of back-test years whose figures it gives)."""
    from coalesce.cases import load_cases

    counts = citation_counts(dataset)
    world_ids = {w.id for w in dataset.world.sources}
    sources = {s.id: (s, "states" if s.id in world_ids else "issues") for s in dataset.sources.values()}
    cases_path = dataset.directory / "cases.yaml"
    if cases_path.is_file():
        case_file = load_cases(dataset, cases_path)
        for src in case_file.sources:
            sources.setdefault(src.id, (src, "cases"))
        for case in [*case_file.cases, *case_file.failures]:
            counts.update(case.sources)
        for negotiation in case_file.negotiations:
            counts.update(negotiation.sources)
    signatures_path = dataset.directory / "signatures.yaml"
    if signatures_path.is_file():
        from coalesce.cases import load_signatures

        signature_file = load_signatures(dataset, signatures_path)
        for src in signature_file.sources:
            sources.setdefault(src.id, (src, "signatures"))
        for decision in signature_file.decisions:
            counts.update(decision.sources)
    vintage_path = dataset.directory / "case_vintage.yaml"
    if vintage_path.is_file():
        vintage, years = _vintage_sources(vintage_path)
        for src in vintage:
            if src.id not in sources:
                sources[src.id] = (src, "case-vintage")
                counts[src.id] += years
    rows = [
        {
            "id": s.id,
            "publisher": s.publisher,
            "year": s.year,
            "title": s.title,
            "url": s.url,
            "figures": counts.get(s.id, 0),
            "quality": s.quality_flag,
            "file": where,
        }
        for s, where in sorted(sources.values(), key=lambda pair: pair[0].id)
    ]
    return Listing(
        command="sources",
        title=f"Sources ({len(rows)})",
        columns=["id", "publisher", "year", "title", "url", "figures", "quality", "file"],
        rows=rows,
    )


def show(dataset: Dataset, key: str) -> Detail:
    """An issue (by id) or an actor (by code or name) in full, with the sources it cites."""
    if key in dataset.issues:
        issue = dataset.issues[key]
        data = issue.model_dump(mode="json")
        cited = set(issue.sources)
        cited |= {d.source for d in dataset.world.domains if d.id in issue.domains}
        cited |= {t.source for t in dataset.world.tags if t.id in issue.expertise}
        return Detail(kind="issue", id=issue.id, data=data, sources=_sources(dataset, cited))
    try:
        code = dataset.resolver.resolve(key)
    except UnknownActor as exc:
        issue_hint = [i for i in dataset.issues if key.lower() in i]
        extra = f"; issues containing it: {', '.join(issue_hint)}" if issue_hint else ""
        raise UsageError(
            f"show: no issue or actor {key!r}{'; ' + str(exc) if exc.suggestions else ''}{extra}"
        ) from None
    actor = dataset.world.actor(code)
    data = actor.model_dump(mode="json", exclude_defaults=False)
    world = dataset.world
    cited = {
        actor.figure_sources.get("population_m", world.defaults.population.source),
        actor.figure_sources.get("gdp_usd_bn", world.defaults.gdp.source),
    }
    if actor.alignment:
        cited.add(actor.alignment.source)
    cited |= {f.source for f in actor.capabilities.values()} | {f.source for f in actor.expertise.values()}
    return Detail(kind="actor", id=actor.code, data=data, sources=_sources(dataset, cited))


def _sources(dataset: Dataset, ids: set[str]) -> list[dict[str, object]]:
    return [dataset.sources[s].model_dump(mode="json") for s in sorted(ids) if s in dataset.sources]


def list_scenarios() -> Listing:
    """The example scenarios shipped with the package: the name `--scenario` accepts, what each does."""
    from coalesce.scenarios import load_scenario
    from coalesce.shipped import shipped_scenarios

    rows = []
    for name, path in shipped_scenarios().items():
        scenario, _tree, _label = load_scenario(path)
        changes = [
            part
            for part, present in (
                ("exclude", scenario.exclude),
                ("include", scenario.include),
                ("weights", scenario.weights),
                ("set", scenario.set),
            )
            if present
        ]
        rows.append(
            {
                "name": name,
                "changes": list(changes),
                "description": " ".join((scenario.description or "").split()),
                "file": str(path),
            }
        )
    return Listing(
        command="scenarios",
        title="Shipped scenarios (use as --scenario NAME)",
        columns=["name", "changes", "description"],
        rows=rows,
    )
