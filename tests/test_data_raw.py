"""data/states.yaml against the public raw files it is built from, plus structural checks.

The raw-file tests run when the files sit at ../shared/data/raw/ relative to the repository root
(as in the development checkout) and are skipped otherwise. The structural tests always run.
"""

from __future__ import annotations

import csv
import statistics
import subprocess
import sys
from pathlib import Path

import pycountry
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
STATES = ROOT / "data" / "states.yaml"
RAW = ROOT.parent / "shared" / "data" / "raw"
POP_CSV = RAW / "worldbank_population_SP.POP.TOTL.csv"
GDP_CSV = RAW / "worldbank_gdp_NY.GDP.MKTP.CD.csv"
IP_CSV = RAW / "unga_idealpoints_IdealpointestimatesAll_Jun2024.csv"
EGDI_CSV = RAW / "un_egdi_2024.csv"
RAW_FILES = (POP_CSV, GDP_CSV, IP_CSV, EGDI_CSV)

needs_raw = pytest.mark.skipif(
    not all(p.is_file() for p in RAW_FILES),
    reason=f"raw data files not found under {RAW} (they live in the shared checkout, not the repo)",
)

SESSIONS = (76, 77, 78)
MIN_VOTES = 10
WB_CODE = {"EU": "EUU"}  # actor code -> World Bank code where they differ


# ---------------------------------------------------------------------------
# loading helpers
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def world() -> dict:
    with open(STATES, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def actors(world) -> dict[str, dict]:
    return {a["code"]: a for a in world["actors"]}


def read_wb(path: Path) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["Value"].strip():
                out.setdefault(row["Country Code"], {})[int(row["Year"])] = float(row["Value"])
    return out


def read_ip(path: Path) -> dict[str, dict[int, dict]]:
    out: dict[str, dict[int, dict]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            s = int(row["session"])
            if s in SESSIONS:
                code = "SRB" if row["iso3c"] == "YUG" else row["iso3c"]
                out.setdefault(code, {})[s] = {
                    "votes": int(row["NVotesAll"]),
                    "ip": float(row["IdealPointAll"]),
                    "half": (float(row["Q95%All"]) - float(row["Q5%All"])) / 2,
                }
    return out


def expected_alignment(rows: dict[int, dict]) -> tuple[float, float, list[int]]:
    used = [s for s in SESSIONS if s in rows and rows[s]["votes"] >= MIN_VOTES]
    ip = statistics.fmean(rows[s]["ip"] for s in used)
    unc = statistics.fmean(rows[s]["half"] for s in used)
    return ip, unc, used


@pytest.fixture(scope="module")
def pop_raw():
    return read_wb(POP_CSV)


@pytest.fixture(scope="module")
def gdp_raw():
    return read_wb(GDP_CSV)


@pytest.fixture(scope="module")
def ip_raw():
    return read_ip(IP_CSV)


# ---------------------------------------------------------------------------
# against the raw files
# ---------------------------------------------------------------------------
@needs_raw
def test_every_population_matches_world_bank(actors, pop_raw):
    checked = 0
    for code, a in actors.items():
        if "population_m" in a.get("figure_sources", {}):
            continue  # not a World Bank series (Taiwan); checked separately
        series = pop_raw[WB_CODE.get(code, code)]
        year = a.get("figure_years", {}).get("population_m", 2023)
        assert year == max(y for y in series if y <= 2023), code
        assert a["population_m"] == pytest.approx(series[year] / 1e6, abs=0.005 + 1e-9), code
        checked += 1
    assert checked >= 195


@needs_raw
def test_every_gdp_matches_world_bank(actors, gdp_raw):
    checked = 0
    for code, a in actors.items():
        if "gdp_usd_bn" in a.get("figure_sources", {}):
            continue  # another publisher (Taiwan); cited in figure_sources
        wb = WB_CODE.get(code, code)
        if wb not in gdp_raw:
            assert "gdp_usd_bn" not in a, f"{code} has a GDP but the World Bank has none"
            continue
        series = gdp_raw[wb]
        latest = max(y for y in series if y <= 2023)
        year = a.get("figure_years", {}).get("gdp_usd_bn", 2023)
        assert year == latest, f"{code}: figure year {year}, latest World Bank year {latest}"
        assert a["gdp_usd_bn"] == pytest.approx(series[year] / 1e9, abs=0.05 + 1e-9), code
        checked += 1
    assert checked >= 194


@needs_raw
def test_united_states_population_and_gdp(actors, pop_raw, gdp_raw):
    usa = actors["USA"]
    assert usa["population_m"] == 336.81
    assert usa["gdp_usd_bn"] == 27360.9
    assert usa["population_m"] == round(pop_raw["USA"][2023] / 1e6, 2)
    assert usa["gdp_usd_bn"] == round(gdp_raw["USA"][2023] / 1e9, 1)
    assert "figure_years" not in usa


@needs_raw
def test_qatar_gdp_falls_back_to_2022(actors, gdp_raw):
    assert 2023 not in gdp_raw["QAT"]
    assert actors["QAT"]["figure_years"] == {"gdp_usd_bn": 2022}
    assert actors["QAT"]["gdp_usd_bn"] == round(gdp_raw["QAT"][2022] / 1e9, 1)


@needs_raw
def test_norway_ideal_point_and_uncertainty(actors, ip_raw):
    rows = ip_raw["NOR"]
    assert all(rows[s]["votes"] >= MIN_VOTES for s in SESSIONS)
    ip, unc, used = expected_alignment(rows)
    assert used == list(SESSIONS)
    al = actors["NOR"]["alignment"]
    assert al["ideal_point"] == round(ip, 3)
    assert al["uncertainty"] == round(unc, 3)
    assert al["ideal_point"] == pytest.approx(1.018, abs=0.0005)
    assert al["source"] == "voeten-unga-2024"
    assert not al.get("estimate", False)


@needs_raw
def test_turkiye_session_78_is_excluded(actors, ip_raw):
    rows = ip_raw["TUR"]
    assert rows[78]["votes"] < MIN_VOTES  # the file's session 78 rests on 2 votes
    al = actors["TUR"]["alignment"]
    two = statistics.fmean(rows[s]["ip"] for s in (76, 77))
    three = statistics.fmean(rows[s]["ip"] for s in SESSIONS)
    assert al["ideal_point"] == round(two, 3)
    assert al["ideal_point"] != round(three, 3)
    assert al["uncertainty"] == round(statistics.fmean(rows[s]["half"] for s in (76, 77)), 3)
    assert "78" in al["note"] and "excluded" in al["note"]


@needs_raw
def test_every_state_alignment_follows_the_sessions_rule(actors, ip_raw):
    checked = 0
    for code, a in actors.items():
        al = a.get("alignment")
        if al is None or al.get("estimate"):
            continue
        ip, unc, used = expected_alignment(ip_raw[code])
        assert al["ideal_point"] == pytest.approx(round(ip, 3), abs=1e-9), code
        assert al["uncertainty"] == pytest.approx(round(unc, 3), abs=1e-9), code
        if used != list(SESSIONS):
            assert "note" in al, f"{code} uses sessions {used} but says nothing"
        checked += 1
    assert checked == 193


@needs_raw
def test_egdi_scores_match_the_survey(actors):
    with open(EGDI_CSV, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    shipped = {
        c: a["expertise"]["digital-government"]
        for c, a in actors.items()
        if "digital-government" in a.get("expertise", {})
    }
    assert len(shipped) == len(rows) == 193
    assert sorted(f["score"] for f in shipped.values()) == sorted(float(r["E_Index"]) for r in rows)
    assert all(f["source"] == "un-egdi-2024" for f in shipped.values())
    # names that resolve exactly in pycountry must land on the same actor
    matched = 0
    for r in rows:
        name = r["Country"].strip()
        try:
            code = pycountry.countries.lookup(name).alpha_3
        except LookupError:
            continue
        assert shipped[code]["score"] == float(r["E_Index"]), name
        matched += 1
    assert matched >= 150
    # spot checks against the published ranking (research notes B.1)
    for code, value in {"DNK": 0.9847, "EST": 0.9727, "KOR": 0.9679, "NOR": 0.9315, "USA": 0.9195}.items():
        assert shipped[code]["score"] == pytest.approx(value, abs=0.00005), code


@needs_raw
def test_taiwan_population_is_the_world_residual(actors, pop_raw):
    listed = [c for c in pop_raw if pycountry.countries.get(alpha_3=c) or c in ("XKX", "CHI")]
    residual = pop_raw["WLD"][2023] - sum(pop_raw[c][2023] for c in listed)
    twn = actors["TWN"]
    assert twn["population_m"] == round(residual / 1e6, 2)
    assert twn["figure_sources"]["population_m"] == "wb-taiwan-in-aggregates"
    assert 22 < twn["population_m"] < 25


@needs_raw
def test_shares_match_world_aggregates(actors, pop_raw, gdp_raw):
    for code in ("USA", "CHN", "NOR", "QAT"):
        a = actors[code]
        pop_share = pop_raw[code][2023] / pop_raw["WLD"][2023]
        assert a["capabilities"]["population"]["share"] == round(pop_share, 5), code
        year = a.get("figure_years", {}).get("gdp_usd_bn", 2023)
        gdp_share = gdp_raw[code][year] / gdp_raw["WLD"][year]
        assert a["capabilities"]["economy"]["share"] == round(gdp_share, 5), code


@needs_raw
def test_rebuild_is_byte_identical(tmp_path):
    out = [tmp_path / "a.yaml", tmp_path / "b.yaml"]
    for target in out:
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "build_states.py"),
                "--population",
                str(POP_CSV),
                "--gdp",
                str(GDP_CSV),
                "--ideal-points",
                str(IP_CSV),
                "--egdi",
                str(EGDI_CSV),
                "--curation",
                str(ROOT / "data" / "curation"),
                "--out",
                str(target),
                "--quiet",
            ],
            check=True,
        )
    assert out[0].read_bytes() == out[1].read_bytes()
    assert out[0].read_bytes() == STATES.read_bytes(), (
        "data/states.yaml is stale: rerun scripts/build_states.py (see docs/data-actors.md)"
    )


# ---------------------------------------------------------------------------
# structure (no raw files needed)
# ---------------------------------------------------------------------------
def test_top_level_layout(world):
    assert list(world) == [
        "schema_version",
        "defaults",
        "small_states",
        "sources",
        "groupings",
        "domains",
        "tags",
        "actors",
    ]
    assert world["schema_version"] == 1
    assert world["defaults"] == {
        "population": {"source": "wb-wdi-population", "year": 2023},
        "gdp": {"source": "wb-wdi-gdp", "year": 2023},
        "alignment": {"source": "voeten-unga-2024", "sessions": [76, 77, 78]},
    }
    assert world["small_states"] == {"exclude_memberships": ["G20", "UNSC-P5"]}


def test_actor_set(actors):
    un = [c for c, a in actors.items() if a["un_member"] is True]
    assert len(un) == 193
    assert all(actors[c]["kind"] == "state" and len(c) == 3 for c in un)
    assert all(pycountry.countries.get(alpha_3=c) is not None for c in un)
    for code in ("TWN", "PSE"):
        assert actors[code]["kind"] == "state" and actors[code]["un_member"] is False
    assert actors["EU"]["kind"] == "bloc" and actors["EU"]["un_member"] is False
    assert set(actors) == set(un) | {"TWN", "PSE", "EU"}
    assert "SRB" in actors and "NOR" in actors


def test_codes_are_strings_and_sorted(world):
    codes = [a["code"] for a in world["actors"]]
    assert all(isinstance(c, str) for c in codes)
    assert codes == sorted(codes)
    for key in ("sources", "groupings", "domains", "tags"):
        ids = [x["id"] for x in world[key]]
        assert ids == sorted(ids) and len(ids) == len(set(ids)), key


def test_eu_bloc_has_27_member_states(actors):
    eu = actors["EU"]
    assert len(eu["members"]) == len(set(eu["members"])) == 27
    assert all(actors[m]["kind"] == "state" and actors[m]["un_member"] for m in eu["members"])
    listed = {c for c, a in actors.items() if "EU" in a.get("memberships", [])}
    assert listed == set(eu["members"])
    # the bloc has no own economy or population figure, so nothing is counted twice
    assert "economy" not in eu.get("capabilities", {})
    assert "population" not in eu.get("capabilities", {})
    assert eu["alignment"]["estimate"] is True and eu["alignment"]["basis"]


def test_every_cited_source_is_listed(world):
    ids = {s["id"] for s in world["sources"]}
    for s in world["sources"]:
        assert {"id", "title", "publisher", "year", "url"} <= set(s), s.get("id")
    for part in ("groupings", "domains", "tags"):
        for x in world[part]:
            assert x["source"] in ids, (part, x["id"])
    for d in world["defaults"].values():
        assert d["source"] in ids
    for a in world["actors"]:
        for field, src in a.get("figure_sources", {}).items():
            assert src in ids, (a["code"], field)
        if "alignment" in a:
            assert a["alignment"]["source"] in ids, a["code"]
        for group in ("capabilities", "expertise"):
            for fid, fig in a.get(group, {}).items():
                assert fig["source"] in ids, (a["code"], group, fid)


def test_every_membership_is_a_listed_grouping(world, actors):
    gids = {g["id"] for g in world["groupings"]}
    for needed in (
        "G7",
        "G20",
        "EU",
        "OECD",
        "NATO",
        "UNSC-P5",
        "BRICS",
        "ASEAN",
        "AU",
        "GCC",
        "Quad",
        "Five-Eyes",
        "DEPA",
        "GCTF",
        "Arab-League",
    ):
        assert needed in gids
    for a in world["actors"]:
        for m in a.get("memberships", []):
            assert m in gids, (a["code"], m)
    counts = {g: sum(g in a.get("memberships", []) for a in world["actors"]) for g in gids}
    assert counts["UNSC-P5"] == 5 and counts["NATO"] == 32 and counts["OECD"] == 38
    assert counts["BRICS"] == 9 and "SAU" not in [
        c for c, a in actors.items() if "BRICS" in a.get("memberships", [])
    ]


def test_estimates_state_their_basis(world):
    for a in world["actors"]:
        figs = [a.get("alignment"), *a.get("capabilities", {}).values(), *a.get("expertise", {}).values()]
        for fig in figs:
            if fig and fig.get("estimate"):
                assert fig.get("basis"), a["code"]
    for code in ("TWN", "PSE", "EU"):
        al = next(a for a in world["actors"] if a["code"] == code)["alignment"]
        assert al["estimate"] is True and al["basis"], code


def test_domain_shares_do_not_exceed_one(world):
    for d in world["domains"]:
        total = sum(
            a["capabilities"][d["id"]]["share"]
            for a in world["actors"]
            if a["kind"] == "state" and d["id"] in a.get("capabilities", {})
        )
        assert total <= 1 + d["tolerance"], d["id"]
