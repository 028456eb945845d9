#!/usr/bin/env python3
"""Build data/states.yaml from public raw data files and curated inputs.

Usage (from the repository root):

    python scripts/build_states.py \
        --population ../shared/data/raw/worldbank_population_SP.POP.TOTL.csv \
        --gdp ../shared/data/raw/worldbank_gdp_NY.GDP.MKTP.CD.csv \
        --ideal-points ../shared/data/raw/unga_idealpoints_IdealpointestimatesAll_Jun2024.csv \
        --egdi ../shared/data/raw/un_egdi_2024.csv \
        [--curation data/curation] [--out data/states.yaml]

The raw files are read from the given paths and never copied into the
repository. Curated inputs live under data/curation/:

    sources-base.yaml, groupings.yaml, actors.yaml   (base world)
    capabilities/*.yaml, expertise/*.yaml             (optional, merged)

The output is deterministic: the same inputs give a byte-identical file.
How every figure is derived is documented in docs/data-actors.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import statistics
import sys
from decimal import Decimal
from pathlib import Path

import pycountry
import yaml

# --------------------------------------------------------------------------
# Fixed parameters (documented in docs/data-actors.md)
# --------------------------------------------------------------------------
REF_YEAR = 2023  # population, GDP and the derived shares
SESSIONS = (76, 77, 78)  # UNGA sessions averaged for alignment
MIN_VOTES = 10  # a session with fewer votes is not used
SHARE_MIN_YEAR = 2021  # GDP older than this gives no economy share
ECON_REL_UNC = 0.10  # relative 90% half-width of a 2023 GDP share
ECON_REL_UNC_PER_YEAR = 0.05  # added per year of age of the GDP figure
POP_REL_UNC = 0.03  # relative 90% half-width of a population share
SOURCE_CHANGE_REL_UNC = 0.05  # added when a GDP comes from another publisher
SHARE_DECIMALS = 5
MIN_SHARE_UNC = 0.00001  # never below the rounding step of a share
ALIGN_DECIMALS = 3

SRC_POP = "wb-wdi-population"
SRC_GDP = "wb-wdi-gdp"
SRC_TWN_POP = "wb-taiwan-in-aggregates"
SRC_ALIGN = "voeten-unga-2024"
SRC_EGDI = "un-egdi-2024"

# EGDI 2024 country names that pycountry's exact lookup does not resolve, or
# resolves wrongly (fuzzy search maps "Republic of Korea" to North Korea).
EGDI_NAMES = {
    "Republic of Korea": "KOR",
    "Democratic People's Republic of Korea": "PRK",
    "Democratic Republic of the Congo": "COD",
    "Congo": "COG",
    "Georgia (Country)": "GEO",
    "Iran (Islamic Republic of)": "IRN",
    "Micronesia (Federated States of)": "FSM",
    "Bolivia (Plurinational State of)": "BOL",
    "Venezuela (Bolivarian Republic of)": "VEN",
    "Republic of Moldova": "MDA",
    "United Republic of Tanzania": "TZA",
    "Lao People's Democratic Republic": "LAO",
    "Syrian Arab Republic": "SYR",
    "Viet Nam": "VNM",
    "Türkiye": "TUR",
    "Turkey": "TUR",
    "United Kingdom of Great Britain and Northern Ireland": "GBR",
    "United States of America": "USA",
    "Russian Federation": "RUS",
    "Netherlands (Kingdom of the)": "NLD",
    "Kingdom of the Netherlands": "NLD",
    "Côte d'Ivoire": "CIV",
    "Cote d'Ivoire": "CIV",
    "Czech Republic": "CZE",
    "Swaziland": "SWZ",
    "Eswatini": "SWZ",
    "The former Yugoslav Republic of Macedonia": "MKD",
    "North Macedonia": "MKD",
    "Cabo Verde": "CPV",
    "Sao Tome and Principe": "STP",
    "Brunei Darussalam": "BRN",
}

SOURCE_KEYS = ("id", "title", "publisher", "year", "url", "secondary", "quality", "note")
QUALITY = ("primary", "secondary", "estimate")
DOMAIN_KEYS = ("id", "name", "measure", "unit", "year", "source", "tolerance", "gaps")
TAG_KEYS = ("id", "name", "measure", "year", "source", "gaps")
SHARE_KEYS = ("share", "uncertainty", "source", "estimate", "basis", "secondary", "note")
SCORE_KEYS = ("score", "source", "estimate", "basis", "secondary", "note")
ID_RE = re.compile(r"^[a-z0-9-]+$")


class BuildError(Exception):
    """A problem in the inputs; the build stops with this message."""


# --------------------------------------------------------------------------
# Strict YAML loading for curated inputs
# --------------------------------------------------------------------------
class StrictLoader(yaml.SafeLoader):
    """SafeLoader where only true/false are booleans and duplicate keys fail.

    An unquoted NO (Norway's alpha-2 code) therefore stays the string "NO".
    """


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    result = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in result:
            raise BuildError(f"{node.start_mark.name}:{key_node.start_mark.line + 1}: duplicate key {key!r}")
        result[key] = loader.construct_object(value_node, deep=deep)
    return result


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path):
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return yaml.load(fh, Loader=StrictLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise BuildError(f"{path}: not valid YAML: {exc}") from exc


# --------------------------------------------------------------------------
# Raw data readers
# --------------------------------------------------------------------------
def read_worldbank(path: Path) -> dict[str, dict[int, float]]:
    """Country code -> {year: value} from a World Bank long-format CSV."""
    out: dict[str, dict[int, float]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        need = {"Country Name", "Country Code", "Year", "Value"}
        if not need <= set(reader.fieldnames or ()):
            raise BuildError(f"{path}: expected columns {sorted(need)}, got {reader.fieldnames}")
        for row in reader:
            value = row["Value"].strip()
            if value in ("", "NA", ".."):
                continue
            v = float(value)
            if not math.isfinite(v):
                raise BuildError(f"{path}: non-finite value for {row['Country Code']} {row['Year']}")
            out.setdefault(row["Country Code"].strip(), {})[int(row["Year"])] = v
    return out


def latest(series: dict[str, dict[int, float]], code: str, max_year: int = REF_YEAR):
    """(value, year) for the reference year, else the latest earlier year, else None."""
    years = [y for y in series.get(code, {}) if y <= max_year]
    if not years:
        return None
    y = max(years)
    return series[code][y], y


def read_ideal_points(path: Path, code_map: dict[str, str]) -> dict[str, dict[int, dict]]:
    """ISO3 -> {session: {votes, ip, q5, q95}} for the sessions in SESSIONS."""
    out: dict[str, dict[int, dict]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        need = {"session", "NVotesAll", "IdealPointAll", "Q5%All", "Q95%All", "iso3c"}
        if not need <= set(reader.fieldnames or ()):
            raise BuildError(f"{path}: expected columns {sorted(need)}, got {reader.fieldnames}")
        for row in reader:
            session = int(row["session"])
            if session not in SESSIONS:
                continue
            code = code_map.get(row["iso3c"], row["iso3c"])
            try:
                rec = {
                    "votes": int(row["NVotesAll"]),
                    "ip": float(row["IdealPointAll"]),
                    "q5": float(row["Q5%All"]),
                    "q95": float(row["Q95%All"]),
                }
            except ValueError as exc:
                raise BuildError(f"{path}: unreadable row for {code} session {session}: {exc}") from exc
            if session in out.get(code, {}):
                raise BuildError(f"{path}: two rows for {code} in session {session}")
            out.setdefault(code, {})[session] = rec
    return out


def egdi_code(name: str) -> str:
    """Map an EGDI country name (already stripped) to ISO3, or raise."""
    if name in EGDI_NAMES:
        return EGDI_NAMES[name]
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        pass
    try:
        hits = pycountry.countries.search_fuzzy(name)
    except LookupError:
        hits = []
    if len(hits) == 1:
        return hits[0].alpha_3
    raise BuildError(
        f"EGDI name {name!r} does not match one ISO3 code "
        f"(candidates: {[h.alpha_3 for h in hits]}); add it to EGDI_NAMES"
    )


def read_egdi(path: Path, un_members: set[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    names: dict[str, str] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not {"Country", "E_Index"} <= set(reader.fieldnames or ()):
            raise BuildError(f"{path}: expected columns Country and E_Index, got {reader.fieldnames}")
        for row in reader:
            name = row["Country"].strip()
            code = egdi_code(name)
            if code not in un_members:
                raise BuildError(f"{path}: {name!r} maps to {code}, which is not a UN member state")
            if code in out:
                raise BuildError(f"{path}: {name!r} and {names[code]!r} both map to {code}")
            score = float(row["E_Index"])
            if not 0.0 <= score <= 1.0:
                raise BuildError(f"{path}: E_Index {score} for {name!r} is outside [0, 1]")
            out[code] = score
            names[code] = name
    return out


# --------------------------------------------------------------------------
# Curated inputs
# --------------------------------------------------------------------------
def check_source(src, where: str) -> dict:
    if not isinstance(src, dict):
        raise BuildError(f"{where}: a source must be a mapping")
    extra = set(src) - set(SOURCE_KEYS)
    if extra:
        raise BuildError(f"{where}: source {src.get('id')!r} has unknown fields {sorted(extra)}")
    for k in ("id", "title", "publisher", "year", "url"):
        if k not in src:
            raise BuildError(f"{where}: source {src.get('id')!r} lacks {k!r}")
    if not isinstance(src["id"], str) or not ID_RE.match(src["id"]):
        raise BuildError(f"{where}: source id {src['id']!r} must match [a-z0-9-]+")
    if not isinstance(src["year"], int) or isinstance(src["year"], bool):
        raise BuildError(f"{where}: source {src['id']!r} year must be an integer")
    if src.get("quality", "primary") not in QUALITY:
        raise BuildError(f"{where}: source {src['id']!r} quality must be one of {', '.join(QUALITY)}")
    if src.get("quality") == "primary" and src.get("secondary"):
        raise BuildError(f"{where}: source {src['id']!r} is marked both primary and secondary")
    return {k: src[k] for k in SOURCE_KEYS if k in src}


def add_sources(registry: dict[str, dict], sources, where: str) -> None:
    for src in sources or []:
        src = check_source(src, where)
        old = registry.get(src["id"])
        if old is not None and old["entry"] != src:
            raise BuildError(f"source id {src['id']!r} is defined differently in {old['where']} and {where}")
        registry[src["id"]] = {"entry": src, "where": where}


def resolve_code(raw, actor_codes: set[str], where: str) -> str:
    """An actor code from a curated file: ISO3, a bloc code, or ISO alpha-2."""
    if not isinstance(raw, str):
        raise BuildError(f"{where}: actor code {raw!r} is not a string (quote it)")
    code = raw.strip()
    if code in actor_codes:
        return code
    if len(code) == 2:
        c = pycountry.countries.get(alpha_2=code.upper())
        if c is not None and c.alpha_3 in actor_codes:
            return c.alpha_3
    raise BuildError(f"{where}: {raw!r} is not an actor code")


def _fold(text: str) -> str:
    import unicodedata

    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def identity_fields(code: str, name: str, kind: str, curated: list, special: bool) -> dict:
    """`iso2` and `aliases`: how a user may name the actor (coalesce resolves nothing else).

    A state's iso2 is its ISO 3166-1 alpha-2 code; its aliases are the curated ones (actors.yaml), then
    the ISO 3166 short, official and common names (pycountry) that differ from the display name. The
    special actors (Taiwan, Palestine, the EU) take their curated aliases only."""
    out: dict = {}
    country = pycountry.countries.get(alpha_3=code) if kind == "state" else None
    if country is not None:
        out["iso2"] = str(country.alpha_2)
    names = [str(x) for x in curated]
    if country is not None and not special:
        names += [
            str(getattr(country, f)) for f in ("name", "official_name", "common_name") if hasattr(country, f)
        ]
    seen = {_fold(name)}
    picked = []
    for alias in names:
        if _fold(alias) not in seen:
            seen.add(_fold(alias))
            picked.append(alias)
    if picked:
        out["aliases"] = picked
    return out


def check_figure(fig, keys, value_key: str, where: str) -> dict:
    if not isinstance(fig, dict):
        raise BuildError(f"{where}: a figure must be a mapping")
    extra = set(fig) - set(keys)
    if extra:
        raise BuildError(f"{where}: unknown fields {sorted(extra)}")
    for k in (value_key, "source"):
        if k not in fig:
            raise BuildError(f"{where}: missing {k!r}")
    for k in (value_key, "uncertainty"):
        if k in fig:
            v = fig[k]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise BuildError(f"{where}: {k} {v!r} is not a number")
    if not 0 <= fig[value_key] <= 1:
        raise BuildError(f"{where}: {value_key} {fig[value_key]} is outside [0, 1]")
    if fig.get("uncertainty", 0) < 0:
        raise BuildError(f"{where}: uncertainty must be >= 0")
    if fig.get("estimate") is True and not fig.get("basis"):
        raise BuildError(f"{where}: estimate: true requires a basis")
    return {k: fig[k] for k in keys if k in fig}


# --------------------------------------------------------------------------
# Derived figures
# --------------------------------------------------------------------------
def alignment_from_file(code: str, ip_rows: dict[str, dict[int, dict]]):
    """(unrounded ideal point, uncertainty, sessions used, note) or None."""
    rows = ip_rows.get(code, {})
    used, remarks = [], []
    for s in SESSIONS:
        r = rows.get(s)
        if r is None:
            remarks.append(f"session {s} is not in the file")
        elif r["votes"] < MIN_VOTES:
            votes = f"{r['votes']} vote" + ("" if r["votes"] == 1 else "s")
            remarks.append(f"session {s} excluded ({votes}, fewer than {MIN_VOTES})")
        else:
            used.append(s)
    if not used:
        return None
    ip = statistics.fmean(rows[s]["ip"] for s in used)
    unc = statistics.fmean((rows[s]["q95"] - rows[s]["q5"]) / 2 for s in used)
    note = None
    if remarks:
        label = "session " if len(used) == 1 else "sessions "
        note = label + ", ".join(str(s) for s in used) + " used; " + "; ".join(remarks)
    return ip, unc, used, note


def rnd(x: float, nd: int) -> float:
    v = round(x, nd)
    return 0.0 if v == 0 else v


def share_figure(share: float, rel_unc: float, source: str, **extra) -> dict:
    fig = {
        "share": rnd(share, SHARE_DECIMALS),
        "uncertainty": max(rnd(share * rel_unc, SHARE_DECIMALS), MIN_SHARE_UNC),
        "source": source,
    }
    fig.update(extra)
    return fig


# --------------------------------------------------------------------------
# YAML emitter (compact, quoted, deterministic)
# --------------------------------------------------------------------------
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
_PLAIN_KEY = re.compile(r"^[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*$")


def fmt_key(k) -> str:
    k = str(k)
    if _PLAIN_KEY.match(k) and k not in _YAML11_WORDS:
        return k
    return json.dumps(k, ensure_ascii=False)


def fmt_scalar(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise BuildError(f"cannot write non-finite number {v}")
        if v == 0:
            return "0.0"
        text = repr(v)
        if "e" in text or "E" in text:
            text = format(Decimal(text), "f")
        if "." not in text:
            text += ".0"
        return text
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    raise BuildError(f"cannot write value {v!r}")


def flow(v) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{fmt_key(k)}: {flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    return fmt_scalar(v)


def block_list_of_maps(items: list[dict], indent: int = 2) -> list[str]:
    pad = " " * indent
    lines = []
    for item in items:
        first = True
        for k, v in item.items():
            prefix = pad + ("- " if first else "  ")
            lines.append(f"{prefix}{fmt_key(k)}: {flow(v)}")
            first = False
    return lines


def emit(doc: dict) -> str:
    out = [f"schema_version: {fmt_scalar(doc['schema_version'])}", "defaults:"]
    for k, v in doc["defaults"].items():
        out.append(f"  {fmt_key(k)}: {flow(v)}")
    out.append(f"small_states: {flow(doc['small_states'])}")
    out.append("sources:")
    out += block_list_of_maps(doc["sources"])
    out.append("groupings:")
    out += [f"  - {flow(g)}" for g in doc["groupings"]]
    out.append("domains:")
    out += block_list_of_maps(doc["domains"])
    out.append("tags:")
    out += block_list_of_maps(doc["tags"])
    out.append("actors:")
    for actor in doc["actors"]:
        first = True
        for k, v in actor.items():
            prefix = "  - " if first else "    "
            first = False
            if k in ("capabilities", "expertise"):
                if not v:
                    continue
                out.append(f"{prefix}{k}:")
                out += [f"      {fmt_key(dk)}: {flow(fig)}" for dk, fig in v.items()]
            else:
                out.append(f"{prefix}{fmt_key(k)}: {flow(v)}")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------
def build(args) -> tuple[str, list[str]]:
    cur = Path(args.curation)
    notes: list[str] = []

    # --- curated base ----------------------------------------------------
    registry: dict[str, dict] = {}
    base_src = load_yaml(cur / "sources-base.yaml") or {}
    add_sources(registry, base_src.get("sources"), str(cur / "sources-base.yaml"))

    actors_cfg = load_yaml(cur / "actors.yaml") or {}
    un_members = [str(c) for c in actors_cfg.get("un_members") or []]
    if len(un_members) != 193 or len(set(un_members)) != 193:
        raise BuildError(f"actors.yaml: expected 193 distinct UN member codes, got {len(set(un_members))}")
    for c in un_members:
        if pycountry.countries.get(alpha_3=c) is None:
            raise BuildError(f"actors.yaml: {c!r} is not an ISO 3166-1 alpha-3 code")
    if actors_cfg.get("un_members_source") not in registry:
        raise BuildError("actors.yaml: un_members_source must name a source in sources-base.yaml")
    special = actors_cfg.get("special") or {}
    names_override = actors_cfg.get("names") or {}
    proxies = actors_cfg.get("alignment_proxies") or {}
    aliases = actors_cfg.get("aliases") or {}
    actor_notes = dict(actors_cfg.get("notes") or {})
    for code, spec in special.items():
        if spec.get("note"):
            actor_notes[code] = spec["note"]
    ip_code_map = {str(k): str(v) for k, v in (actors_cfg.get("ideal_point_codes") or {}).items()}

    all_codes = sorted(set(un_members) | set(special))
    actor_codes = set(all_codes)
    for code in list(aliases) + list(actor_notes):
        if code not in actor_codes:
            raise BuildError(f"actors.yaml: aliases/notes for unknown actor {code!r}")

    groupings_cfg = load_yaml(cur / "groupings.yaml") or {}
    groupings = []
    members_of: dict[str, list[str]] = {}
    for g in groupings_cfg.get("groupings") or []:
        gid = g["id"]
        if gid in members_of:
            raise BuildError(f"groupings.yaml: grouping {gid!r} listed twice")
        if g["source"] not in registry:
            raise BuildError(f"groupings.yaml: grouping {gid!r} cites unknown source {g['source']!r}")
        mem = [resolve_code(m, actor_codes, f"groupings.yaml:{gid}") for m in g["members"]]
        if len(set(mem)) != len(mem):
            raise BuildError(f"groupings.yaml: grouping {gid!r} lists a member twice")
        members_of[gid] = sorted(mem)
        entry = {"id": gid, "name": g["name"], "source": g["source"]}
        if g.get("note"):
            entry["note"] = " ".join(str(g["note"]).split())
        groupings.append(entry)
    groupings.sort(key=lambda g: g["id"])

    # --- raw files -------------------------------------------------------
    pop = read_worldbank(Path(args.population))
    gdp = read_worldbank(Path(args.gdp))
    ip_rows = read_ideal_points(Path(args.ideal_points), ip_code_map)
    egdi = read_egdi(Path(args.egdi), set(un_members))
    for agg in ("WLD", "EUU"):
        if REF_YEAR not in pop.get(agg, {}) or REF_YEAR not in gdp.get(agg, {}):
            raise BuildError(f"World Bank files lack the {agg} aggregate for {REF_YEAR}")
    world_pop = pop["WLD"][REF_YEAR]

    # --- per-actor figures -----------------------------------------------
    actors: dict[str, dict] = {}
    aligned_raw: dict[str, tuple[float, float]] = {}
    econ_gaps, pop_gaps, gdp_gaps, stale_gdp, align_gaps = [], [], [], [], []
    sessions_notes = []
    auto_notes: dict[str, str] = {}
    econ_estimates: list[str] = []

    for code in all_codes:
        spec = special.get(code, {})
        kind = spec.get("kind", "state")
        un_member = code in un_members
        if code in names_override:
            name = names_override[code]
        elif "name" in spec:
            name = spec["name"]
        else:
            c = pycountry.countries.get(alpha_3=code)
            name = getattr(c, "common_name", None) or c.name
        actor = {"code": code, "name": name}
        actor.update(identity_fields(code, name, kind, aliases.get(code) or [], code in special))
        actor.update({"kind": kind, "un_member": un_member})
        figure_sources, figure_years = {}, {}
        caps: dict[str, dict] = {}
        wb = spec.get("wb_code", code)

        # population
        p = latest(pop, wb)
        if p is not None:
            value, year = p
            actor["population_m"] = rnd(value / 1e6, 2)
            if year != REF_YEAR:
                figure_years["population_m"] = year
            if kind == "state":
                caps["population"] = share_figure(value / pop["WLD"][year], POP_REL_UNC, SRC_POP)
        elif code == "TWN":
            listed = [c for c in pop if pycountry.countries.get(alpha_3=c) or c in ("XKX", "CHI")]
            listed_sum = sum(pop[c][REF_YEAR] for c in listed if REF_YEAR in pop[c])
            residual = world_pop - listed_sum
            if not 15e6 < residual < 30e6:
                raise BuildError(f"Taiwan population residual {residual:.0f} is implausible; check the file")
            actor["population_m"] = rnd(residual / 1e6, 2)
            figure_sources["population_m"] = SRC_TWN_POP
            caps["population"] = share_figure(
                residual / world_pop,
                POP_REL_UNC,
                SRC_TWN_POP,
                estimate=True,
                basis=(
                    f"World Bank World (WLD) population {REF_YEAR} minus the sum of the "
                    f"{len(listed)} economies listed in SP.POP.TOTL; the World Bank adds "
                    "Taiwan, China to the world aggregate without listing it"
                ),
            )
            notes.append(
                f"TWN population from the WLD residual: {residual / 1e6:.2f} m "
                f"({len(listed)} listed economies)"
            )
        else:
            pop_gaps.append(code)

        # GDP
        g = latest(gdp, wb)
        if g is not None:
            value, year = g
            actor["gdp_usd_bn"] = rnd(value / 1e9, 1)
            if year != REF_YEAR:
                figure_years["gdp_usd_bn"] = year
                stale_gdp.append((code, year))
            if kind == "state":
                if year >= SHARE_MIN_YEAR:
                    extra = {}
                    if year != REF_YEAR:
                        extra["note"] = (
                            f"latest World Bank GDP is for {year}: share of world GDP "
                            f"in {year}, uncertainty widened for its age"
                        )
                    rel = ECON_REL_UNC + ECON_REL_UNC_PER_YEAR * (REF_YEAR - year)
                    caps["economy"] = share_figure(value / gdp["WLD"][year], rel, SRC_GDP, **extra)
                else:
                    econ_gaps.append((code, f"latest World Bank GDP is for {year}"))
                    auto_notes[code] = (
                        f"GDP is the World Bank's latest value, for {year}; it is older "
                        f"than {SHARE_MIN_YEAR}, so no economy share is given."
                    )
        elif "gdp_usd_bn" in (spec.get("figures") or {}):
            cf = spec["figures"]["gdp_usd_bn"]
            value, year, src = float(cf["value"]) * 1e9, int(cf["year"]), str(cf["source"])
            actor["gdp_usd_bn"] = rnd(value / 1e9, 1)
            figure_sources["gdp_usd_bn"] = src
            if year != REF_YEAR:
                figure_years["gdp_usd_bn"] = year
                stale_gdp.append((code, year))
            if kind == "state" and year >= SHARE_MIN_YEAR and year in gdp.get("WLD", {}):
                rel = ECON_REL_UNC + ECON_REL_UNC_PER_YEAR * (REF_YEAR - year) + SOURCE_CHANGE_REL_UNC
                caps["economy"] = share_figure(
                    value / gdp["WLD"][year],
                    rel,
                    src,
                    estimate=True,
                    basis=(
                        f"GDP {year} from {src} divided by the World Bank World (WLD) GDP for {year}, "
                        "which already includes this economy; uncertainty widened for age and "
                        "the change of source"
                    ),
                )
            econ_estimates.append(f"{code} uses GDP {year} from {src} (estimate)")
            notes.append(f"{code} GDP from curated figure {cf}")
        else:
            gdp_gaps.append(code)
            if kind == "state":
                econ_gaps.append((code, "no World Bank GDP"))

        if figure_sources:
            actor["figure_sources"] = figure_sources
        if figure_years:
            actor["figure_years"] = figure_years
        actor["memberships"] = sorted(gid for gid, mem in members_of.items() if code in mem)
        if kind == "bloc":
            gid = spec.get("members_from_grouping")
            if gid not in members_of:
                raise BuildError(f"actors.yaml: bloc {code} takes members from unknown grouping {gid!r}")
            actor["members"] = list(members_of[gid])

        # alignment straight from the file
        a = alignment_from_file(code, ip_rows) if code in un_members else None
        if a is not None:
            ip, unc, _used, note = a
            renamed = sorted(k for k, v in ip_code_map.items() if v == code)
            if renamed:
                extra = f"listed in the file under code {', '.join(renamed)}"
                note = f"{note}; {extra}" if note else extra
            aligned_raw[code] = (ip, unc)
            fig = {
                "ideal_point": rnd(ip, ALIGN_DECIMALS),
                "uncertainty": rnd(unc, ALIGN_DECIMALS),
                "source": SRC_ALIGN,
            }
            if note:
                fig["note"] = note
                sessions_notes.append((code, note))
            actor["alignment"] = fig
        actor["_caps"] = caps
        actor["_expertise"] = {}
        if code in egdi:
            actor["_expertise"]["digital-government"] = {"score": egdi[code], "source": SRC_EGDI}
        actors[code] = actor

    # alignment proxies (after every state's own figure is known)
    for code in sorted(proxies):
        if code not in actors:
            raise BuildError(f"actors.yaml: alignment proxy for unknown actor {code!r}")
        if code in aligned_raw:
            raise BuildError(f"actors.yaml: {code} has its own ideal point; remove its proxy")
        px = proxies[code]
        if "from_states" in px:
            basis_codes = [resolve_code(c, actor_codes, f"actors.yaml:{code}") for c in px["from_states"]]
        else:
            basis_codes = [c for c in members_of[px["from_grouping"]] if c != code]
        missing = [c for c in basis_codes if c not in aligned_raw]
        if missing:
            raise BuildError(f"proxy for {code}: {missing} have no ideal point")
        ips = [aligned_raw[c][0] for c in basis_codes]
        ip = statistics.fmean(ips)
        if "uncertainty" in px:
            unc = float(px["uncertainty"])
        else:
            unc = max(
                statistics.fmean(aligned_raw[c][1] for c in basis_codes), 1.645 * statistics.pstdev(ips)
            )
        actors[code]["alignment"] = {
            "ideal_point": rnd(ip, ALIGN_DECIMALS),
            "uncertainty": rnd(unc, ALIGN_DECIMALS),
            "source": SRC_ALIGN,
            "estimate": True,
            "basis": " ".join(str(px["basis"]).split()),
            "note": "proxy from " + ", ".join(basis_codes),
        }
    for code in all_codes:
        if "alignment" not in actors[code]:
            align_gaps.append(code)

    # --- base domains and tag ------------------------------------------
    domains = [
        {
            "id": "economy",
            "name": "Economic size",
            "measure": (
                f"Share of world GDP at current US$ (World Bank WDI NY.GDP.MKTP.CD), "
                f"against the World (WLD) aggregate, {REF_YEAR}"
            ),
            "unit": "share of world GDP",
            "year": REF_YEAR,
            "source": SRC_GDP,
            "tolerance": 0.01,
            "gaps": (
                "No share for "
                + ", ".join(f"{c} ({why})" for c, why in econ_gaps)
                + f"; GDP older than {SHARE_MIN_YEAR} gives no share. "
                + "".join(e + ". " for e in econ_estimates)
                + "The EU bloc has no own figure (its members carry it)."
            ),
        },
        {
            "id": "population",
            "name": "Population",
            "measure": (
                f"Share of world population (World Bank WDI SP.POP.TOTL), against the "
                f"World (WLD) aggregate, {REF_YEAR}"
            ),
            "unit": "share of world population",
            "year": REF_YEAR,
            "source": SRC_POP,
            "tolerance": 0.01,
            "gaps": (
                "Taiwan is derived from the WLD residual (estimate). The EU bloc has no own "
                "figure (its members carry it)."
                + (" No share for " + ", ".join(pop_gaps) + "." if pop_gaps else "")
            ),
        },
    ]
    egdi_missing = [c for c in all_codes if actors[c]["kind"] == "state" and c not in egdi]
    tags = [
        {
            "id": "digital-government",
            "name": "Digital government",
            "measure": "UN E-Government Development Index 2024, EGDI as published (already 0-1)",
            "year": 2024,
            "source": SRC_EGDI,
            "gaps": ("Not in the survey (it covers UN member states only): " + ", ".join(egdi_missing) + "."),
        }
    ]

    # --- merge others' curated capability and expertise files ------------
    domain_ids = {d["id"] for d in domains}
    tag_ids = {t["id"] for t in tags}
    for kind, files in (
        ("capabilities", sorted((cur / "capabilities").glob("*.yaml"))),
        ("expertise", sorted((cur / "expertise").glob("*.yaml"))),
    ):
        for path in files:
            where = str(path)
            doc = load_yaml(path) or {}
            head = "domain" if kind == "capabilities" else "tag"
            body = "shares" if kind == "capabilities" else "scores"
            extra = set(doc) - {"sources", head, body}
            if extra:
                raise BuildError(f"{where}: unknown top-level keys {sorted(extra)}")
            add_sources(registry, doc.get("sources"), where)
            meta = doc.get(head)
            if not isinstance(meta, dict) or "id" not in meta:
                raise BuildError(f"{where}: missing {head}: with an id")
            allowed = DOMAIN_KEYS if kind == "capabilities" else TAG_KEYS
            bad = set(meta) - set(allowed)
            if bad:
                raise BuildError(f"{where}: {head} has unknown fields {sorted(bad)}")
            mid = meta["id"]
            if not isinstance(mid, str) or not ID_RE.match(mid):
                raise BuildError(f"{where}: {head} id {mid!r} must match [a-z0-9-]+")
            ids = domain_ids if kind == "capabilities" else tag_ids
            if mid in ids:
                raise BuildError(f"{where}: {head} id {mid!r} is defined twice")
            ids.add(mid)
            (domains if kind == "capabilities" else tags).append({k: meta[k] for k in allowed if k in meta})
            for raw_code, fig in (doc.get(body) or {}).items():
                code = resolve_code(raw_code, actor_codes, f"{where}:{body}")
                fw = f"{where}:{body}.{raw_code}"
                if kind == "capabilities":
                    fig = check_figure(fig, SHARE_KEYS, "share", fw)
                    target = actors[code]["_caps"]
                else:
                    fig = check_figure(fig, SCORE_KEYS, "score", fw)
                    target = actors[code]["_expertise"]
                if mid in target:
                    raise BuildError(f"{fw}: {code} already has a figure for {mid!r}")
                target[mid] = fig
            notes.append(f"merged {path.name}: {kind} {mid!r}, {len(doc.get(body) or {})} figures")

    sources = sorted((r["entry"] for r in registry.values()), key=lambda s: s["id"])
    source_ids = {s["id"] for s in sources}

    # --- final assembly and checks ---------------------------------------
    out_actors = []
    for code in all_codes:
        a = actors[code]
        caps = a.pop("_caps")
        expertise = a.pop("_expertise")
        a["capabilities"] = {k: caps[k] for k in sorted(caps)}
        a["expertise"] = {k: expertise[k] for k in sorted(expertise)}
        text = " ".join(x for x in (actor_notes.get(code), auto_notes.get(code)) if x)
        if text:
            a["note"] = " ".join(text.split())
        for field, src in a.get("figure_sources", {}).items():
            if src not in source_ids:
                raise BuildError(f"{code}: figure_sources.{field} cites unknown source {src!r}")
        for group in ("capabilities", "expertise"):
            for fid, fig in a[group].items():
                if fig["source"] not in source_ids:
                    raise BuildError(f"{code}: {group}.{fid} cites unknown source {fig['source']!r}")
        if "alignment" in a and a["alignment"]["source"] not in source_ids:
            raise BuildError(f"{code}: alignment cites unknown source")
        out_actors.append(a)
    for d in domains + tags:
        if d["source"] not in source_ids:
            raise BuildError(f"{d['id']}: cites unknown source {d['source']!r}")
    for g in groupings:
        if g["source"] not in source_ids:
            raise BuildError(f"grouping {g['id']}: cites unknown source {g['source']!r}")

    # domain sums over atomic units (states, plus any bloc residual)
    for d in domains:
        did = d["id"]
        total = 0.0
        for a in out_actors:
            fig = a["capabilities"].get(did)
            if fig is None:
                continue
            if a["kind"] == "bloc":
                inner = sum(actors[m]["capabilities"].get(did, {}).get("share", 0.0) for m in a["members"])
                if fig["share"] < inner - d.get("tolerance", 0.0) - 1e-9:
                    raise BuildError(
                        f"domain {did!r}: bloc {a['code']} share {fig['share']} is below its members' "
                        f"sum {inner:.4f} (a bloc's own figure is the bloc's total)"
                    )
                total += max(0.0, fig["share"] - inner)
            else:
                total += fig["share"]
        tol = d.get("tolerance", 0.0)
        if total > 1 + tol + 1e-9:
            raise BuildError(f"domain {did!r}: shares add up to {total:.4f} > 1 + tolerance {tol}")
        notes.append(f"domain {did}: shares sum to {total:.5f}")

    doc = {
        "schema_version": 1,
        "defaults": {
            "population": {"source": SRC_POP, "year": REF_YEAR},
            "gdp": {"source": SRC_GDP, "year": REF_YEAR},
            "alignment": {"source": SRC_ALIGN, "sessions": list(SESSIONS)},
        },
        "small_states": {"exclude_memberships": [], "max_population_m": 10},
        "sources": sources,
        "groupings": groupings,
        "domains": sorted(domains, key=lambda d: d["id"]),
        "tags": sorted(tags, key=lambda t: t["id"]),
        "actors": out_actors,
    }

    n_align = sum(1 for a in out_actors if "alignment" in a)
    n_gdp = sum(1 for a in out_actors if "gdp_usd_bn" in a)
    notes += [
        f"actors: {len(out_actors)} (UN members {len(un_members)}, special {sorted(special)})",
        f"alignment: {n_align} with, {len(out_actors) - n_align} without {align_gaps}",
        f"GDP: {n_gdp} with, {len(out_actors) - n_gdp} without {gdp_gaps}",
        f"GDP older than {REF_YEAR}: {stale_gdp}",
        f"population gaps: {pop_gaps}",
        f"economy-share gaps: {econ_gaps}",
        f"alignment session exceptions: {sessions_notes}",
        f"EGDI missing: {egdi_missing}",
    ]
    return emit(doc), notes


def main(argv=None) -> int:
    repo = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--population", required=True, help="World Bank SP.POP.TOTL CSV")
    ap.add_argument("--gdp", required=True, help="World Bank NY.GDP.MKTP.CD CSV")
    ap.add_argument("--ideal-points", required=True, help="IdealpointestimatesAll_Jun2024 CSV")
    ap.add_argument("--egdi", required=True, help="UN EGDI 2024 CSV")
    ap.add_argument("--curation", default=str(repo / "data" / "curation"))
    ap.add_argument("--out", default=str(repo / "data" / "states.yaml"))
    ap.add_argument("--quiet", action="store_true", help="do not print the build summary")
    args = ap.parse_args(argv)
    try:
        text, notes = build(args)
    except (BuildError, OSError, KeyError) as exc:
        print(f"build_states: error: {exc}", file=sys.stderr)
        return 1
    # Round-trip check: the output must load back to what we meant.
    loaded = yaml.safe_load(text)
    if len(loaded["actors"]) != text.count("\n  - code: "):
        print("build_states: error: output did not round-trip", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    if not args.quiet:
        for n in notes:
            print(n, file=sys.stderr)
        print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
