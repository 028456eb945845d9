"""data/states.yaml against the public raw files it is built from, plus structural checks.

The raw-file tests run when the files sit at ../shared/data/raw/ relative to the repository root
(as in the development checkout) and are skipped otherwise. The structural tests always run.
"""

from __future__ import annotations

import csv
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pycountry
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

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
    assert world["small_states"] == {"exclude_memberships": [], "max_population_m": 10}


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


# ---------------------------------------------------------------------------
# derived capability shares and expertise scores (scripts/derive_curation.py)
# ---------------------------------------------------------------------------
CURATION = ROOT / "data" / "curation"
DERIVED_RAW = (
    "epoch_large_scale_ai_models_2026-02-16.csv",
    "cset_eto_chip_explorer_provision_2026-08.csv",
    "owid_co2_data.csv.gz",
    "iea_critical_minerals_supply_by_country_2024-05.csv",
    "sipri_milex_1949-2024.csv.gz",
    "tjn_fsi_2022_main_results.csv",
    "one_oda_by_dac_donor_2000-2025_constant2025usd.csv",
    "cia_factbook_space_and_merchant_marine_2026-01.csv",
    "pax_all_agreements_data_v6.csv.gz",
)
needs_derived_raw = pytest.mark.skipif(
    not all((RAW / name).is_file() for name in DERIVED_RAW),
    reason=f"raw data files for the derived domains not found under {RAW}",
)


def _derive_module():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import derive_curation
    finally:
        sys.path.pop(0)
    return derive_curation


def _load_script(name: str):
    import importlib

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.pop(0)


def _read_rows(name: str) -> list[dict[str, str]]:
    import gzip
    import io

    data = (RAW / name).read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _cap(actors, code: str, domain: str) -> float:
    return actors[code]["capabilities"][domain]["share"]


def _score(actors, code: str, tag: str) -> float:
    return actors[code]["expertise"][tag]["score"]


@needs_derived_raw
def test_derived_curation_files_are_reproduced_byte_for_byte():
    files = _derive_module().derive(RAW)
    assert len(files) == 15
    for rel, text in files.items():
        shipped = (CURATION / rel).read_text(encoding="utf-8")
        assert shipped.startswith("# GENERATED by scripts/derive_curation.py"), rel
        assert shipped == text, f"{rel} is stale: rerun scripts/derive_curation.py --raw {RAW}"


@needs_derived_raw
def test_frontier_ai_is_compute_weighted_from_epoch(actors):
    rows = [r for r in _read_rows(DERIVED_RAW[0]) if r["Publication date"][:4] in ("2024", "2025")]
    flop = {}
    for r in rows:
        try:
            flop[r["Model"]] = (float(r["Training compute (FLOP)"]), r["Country (of organization)"])
        except ValueError:
            continue
    total = sum(v for v, _ in flop.values())
    us_only = sum(
        v for v, c in flop.values() if {x.strip() for x in c.split(",")} == {"United States of America"}
    )
    # US-only models alone give a lower bound on the US share; joint models add to it.
    assert _cap(actors, "USA", "frontier-ai") >= round(us_only / total, 5) - 1e-9
    assert _cap(actors, "USA", "frontier-ai") > 0.7 > _cap(actors, "CHN", "frontier-ai") > 0.05
    # the old counting artefacts are gone: France and Saudi Arabia are no longer 6-7%
    assert _cap(actors, "FRA", "frontier-ai") < 0.03 and _cap(actors, "SAU", "frontier-ai") < 0.02
    assert "CAN" not in actors["CAN"]["capabilities"] or _cap(actors, "CAN", "frontier-ai") < 0.01


@needs_derived_raw
def test_chip_equipment_splits_europe_by_country(actors):
    shares = {c: _cap(actors, c, "chip-equipment") for c in ("USA", "NLD", "JPN")}
    assert shares["NLD"] > 0.2 and shares["USA"] > shares["NLD"] and shares["JPN"] > 0.2
    assert "estimate" not in actors["NLD"]["capabilities"]["chip-equipment"]
    assert "chip-equipment" not in actors["EU"]["capabilities"]  # Europe is never given to the EU


def _cset_country_rows(provided_id: str) -> dict[str, float]:
    kinds = {
        r["provider_id"]: r["provider_type"]
        for r in _read_rows("cset_eto_chip_explorer_providers_2026-08.csv")
    }
    return {
        r["provider_name"]: float(r["share_provided"])
        for r in _read_rows(DERIVED_RAW[1])
        if r["provided_id"] == provided_id
        and kinds.get(r["provider_id"]) == "country"
        and r["share_provided"].strip()
    }


@needs_derived_raw
def test_chip_assembly_is_the_cset_atp_stage(actors):
    stage = _cset_country_rows("S3")
    for code in ("CHN", "TWN", "KOR", "JPN", "USA"):
        assert _cap(actors, code, "chip-assembly") == pytest.approx(stage[code] / 100, abs=1e-9)
    # Europe and "various countries" stay unattributed: no EU figure, no invented Malaysia
    assert "chip-assembly" not in actors["EU"]["capabilities"]
    assert "chip-assembly" not in actors["MYS"]["capabilities"]
    assert "secondary" not in actors["CHN"]["capabilities"]["chip-assembly"]


@needs_derived_raw
def test_advanced_fab_holders_are_the_two_that_cset_names(actors):
    # CSET/ETO has no split by node; its fabrication-stage text (primary) names where <10 nm logic
    # capacity sat in 2022. The transcribed split (SIA/BCG 2024, secondary) must hold exactly those two.
    stages = {r["stage_id"]: r for r in _read_rows("cset_eto_chip_explorer_stages_2026-08.csv")}
    text = stages["S2"]["description"]
    assert "(<10nm) was located solely in Taiwan and South Korea" in text
    holders = {c for c, a in actors.items() if "advanced-fab" in a.get("capabilities", {})}
    assert holders == {"TWN", "KOR"}
    assert sum(_cap(actors, c, "advanced-fab") for c in holders) == pytest.approx(1.0)
    # the all-node fabrication figure CSET does give is a different measure: China leads it
    fab = _cset_country_rows("S2")
    assert max(fab, key=lambda k: fab[k]) == "CHN"


def test_uranium_enrichment_figures_are_marked_as_the_estimate_they_are(actors):
    holders = [a for a in actors.values() if "uranium-enrichment" in a.get("capabilities", {})]
    assert len(holders) == 7
    for a in holders:
        fig = a["capabilities"]["uranium-enrichment"]
        assert fig["estimate"] is True and "Thunder Said Energy" in fig["basis"], a["code"]


@needs_derived_raw
def test_chip_design_weights_logic_eda_and_ip_by_market(actors):
    logic, eda, ip = (_cset_country_rows(i) for i in ("N6", "N84", "N85"))
    w = {"logic": 255_700.0, "eda": 6_800.0, "ip": 3_900.0}
    total = sum(w.values())
    expect_usa = (w["logic"] * logic["USA"] + w["eda"] * eda["USA"] + w["ip"] * ip["USA"]) / 100 / total
    assert _cap(actors, "USA", "chip-design") == pytest.approx(expect_usa, abs=1e-5)
    # the UK appears only through Arm's core IP and EDA; Taiwan through logic design
    assert _cap(actors, "GBR", "chip-design") == pytest.approx(
        (w["eda"] * eda["GBR"] + w["ip"] * ip["GBR"]) / 100 / total, abs=1e-5
    )
    assert (
        _cap(actors, "USA", "chip-design")
        > _cap(actors, "TWN", "chip-design")
        > _cap(actors, "CHN", "chip-design")
    )


@needs_derived_raw
def test_fossil_co2_matches_owid(actors):
    rows = [r for r in _read_rows(DERIVED_RAW[2]) if r["year"] == "2023"]
    by = {r["country"]: float(r["co2"]) for r in rows if r["co2"]}
    world = by["World"]
    # Hong Kong, listed apart by OWID, is folded into China
    assert _cap(actors, "CHN", "fossil-co2") == round((by["China"] + by["Hong Kong"]) / world, 5)
    assert _cap(actors, "USA", "fossil-co2") == round(by["United States"] / world, 5)
    assert _cap(actors, "EU", "fossil-co2") == round(by["European Union (27)"] / world, 5)
    assert (
        actors["EU"]["capabilities"]["fossil-co2"]["share"]
        >= sum(
            actors[m]["capabilities"].get("fossil-co2", {}).get("share", 0.0) for m in actors["EU"]["members"]
        )
        - 0.01
    )


@needs_derived_raw
def test_methane_every_country_matches_owid(actors):
    rows = [r for r in _read_rows(DERIVED_RAW[2]) if r["year"] == "2023" and r["methane"].strip()]
    world = next(float(r["methane"]) for r in rows if r["country"] == "World")
    by_iso = {r["iso_code"]: float(r["methane"]) for r in rows if r["iso_code"].strip()}
    by_iso["CHN"] = by_iso["CHN"] + by_iso.pop("HKG")  # Hong Kong folded into China
    checked = 0
    for code, value in by_iso.items():
        if code in actors and round(value / world, 5) > 0:
            assert _cap(actors, code, "methane") == pytest.approx(round(value / world, 5), abs=1e-9), code
            checked += 1
    assert checked >= 180
    assert not any("methane" in a.get("capabilities", {}) for c, a in actors.items() if c not in by_iso)


@needs_derived_raw
def test_fossil_co2_every_country_matches_owid(actors):
    rows = [r for r in _read_rows(DERIVED_RAW[2]) if r["year"] == "2023" and r["co2"].strip()]
    world = next(float(r["co2"]) for r in rows if r["country"] == "World")
    by_iso = {r["iso_code"]: float(r["co2"]) for r in rows if r["iso_code"].strip()}
    by_iso["CHN"] = by_iso["CHN"] + by_iso.pop("HKG")
    checked = 0
    for code, value in by_iso.items():
        if code in actors and round(value / world, 5) > 0:
            assert _cap(actors, code, "fossil-co2") == pytest.approx(round(value / world, 5), abs=1e-9), code
            checked += 1
    assert checked >= 180


def test_flag_fleet_is_a_gap_that_no_issue_uses(world, actors):
    # A ship count is not the tonnage IMO decisions turn on, and no primary source gives tonnage by
    # flag: the domain scores nobody and maritime decarbonisation no longer asks for it.
    assert not _figures(actors, "capabilities", "flag-fleet")
    domain = next(d for d in world["domains"] if d["id"] == "flag-fleet")
    assert "(gap)" in domain["name"]
    with open(ROOT / "data" / "issues.yaml", encoding="utf-8") as fh:
        issues = yaml.safe_load(fh)["issues"]
    assert all("flag-fleet" not in i["domains"] for i in issues)


@needs_derived_raw
def test_chip_equipment_every_country_is_the_market_weighted_tool_share(actors):
    inputs = {r["input_id"]: r for r in _read_rows("cset_eto_chip_explorer_inputs_2026-08.csv")}
    tools = ("N8", "N9", "N17", "N19", "N32", "N36", "N55", "N59", "N60", "N86")

    def musd(text: str) -> float:
        amount, unit = re.match(r"\$([\d.,]+) (billion|million)", text).groups()
        return float(amount.replace(",", "")) * (1000 if unit == "billion" else 1)

    weight = {i: musd(inputs[i]["market_share_chart_global_market_size_info"]) for i in tools}
    value: dict[str, float] = {}
    for i in tools:
        for name, share in _cset_country_rows(i).items():
            if name not in ("EUR", "Various countries"):
                value[name] = value.get(name, 0.0) + weight[i] * share / 100
    total = sum(weight.values())
    assert 100_000 < total < 130_000  # USD m, the ten top-level tool markets
    for code, v in value.items():
        if round(v / total, 5) > 0:  # a 0.0% row (Belarus, process control) is no figure
            assert _cap(actors, code, "chip-equipment") == pytest.approx(round(v / total, 5), abs=1e-9), code
    holders = {c for c, a in actors.items() if "chip-equipment" in a.get("capabilities", {})}
    assert holders == {c for c, v in value.items() if round(v / total, 5) > 0}


@needs_derived_raw
def test_mineral_processing_is_the_iea_2023_mean_of_six(actors):
    rows = [r for r in _read_rows(DERIVED_RAW[3]) if r["year"] == "2023" and r["stage"] != "Mining"]
    china = []
    for mineral in {r["mineral"] for r in rows}:
        part = {r["row"]: float(r["value"]) for r in rows if r["mineral"] == mineral and r["unit"] == "kt"}
        total = part.get("Total", part.get("Total clean technologies"))
        china.append(part["China"] / total)
    assert len(china) == 6
    assert _cap(actors, "CHN", "mineral-processing") == pytest.approx(sum(china) / 6, abs=1e-5)
    assert actors["CHN"]["capabilities"]["mineral-processing"]["source"] == "iea-critical-minerals-2024"


@needs_derived_raw
def test_military_spending_matches_sipri(actors):
    rows = [
        r
        for r in _read_rows(DERIVED_RAW[4])
        if r["measure"] == "current_usd_m"
        and r["year"] == "2024"
        and r["value"]
        and r["country"] != "European Union"
    ]
    total = sum(float(r["value"]) for r in rows)
    usa = next(float(r["value"]) for r in rows if r["country"] == "United States of America")
    assert _cap(actors, "USA", "military-spending") == round(usa / total, 5)
    chn = actors["CHN"]["capabilities"]["military-spending"]
    assert chn["estimate"] is True and "estimate" in chn["basis"]  # SIPRI's blue figures stay marked


@needs_derived_raw
def test_financial_centres_and_integrity_from_tjn(actors):
    rows = {r["country_iso3"]: r for r in _read_rows(DERIVED_RAW[5])}
    assert _cap(actors, "GBR", "financial-centres") == round(float(rows["GBR"]["fsi_2022_gsw"]), 5)
    hk_cn = float(rows["CHN"]["fsi_2022_gsw"]) + float(rows["HKG"]["fsi_2022_gsw"])
    assert _cap(actors, "CHN", "financial-centres") == pytest.approx(hk_cn, abs=1e-5)
    assert _score(actors, "SVN", "financial-integrity") == round(
        1 - float(rows["SVN"]["fsi_2022_ss"]) / 100, 4
    )
    # secrecy is never a virtue: the most secret scored states score lowest
    secret = max(
        (r for r in rows.values() if r["fsi_2022_ss"] and r["country_iso3"] in actors),
        key=lambda r: float(r["fsi_2022_ss"]),
    )
    assert _score(actors, secret["country_iso3"], "financial-integrity") == min(
        a["expertise"]["financial-integrity"]["score"]
        for a in actors.values()
        if "financial-integrity" in a.get("expertise", {})
    )


@needs_derived_raw
def test_development_finance_is_oda_volume(actors):
    rows = {r["name"]: r for r in _read_rows(DERIVED_RAW[6]) if r["year"] == "2024"}
    usa, deu, lux = (float(rows[n]["ODA (left-axis)"]) for n in ("United States", "Germany", "Luxembourg"))
    assert _score(actors, "USA", "development-finance") == 1.0
    assert _score(actors, "DEU", "development-finance") == round(deu / usa, 4)
    assert _score(actors, "LUX", "development-finance") == round(lux / usa, 4) < 0.02  # generous but small


@needs_derived_raw
def test_mediation_counts_pax_third_parties(actors):
    rows = _read_rows(DERIVED_RAW[8])
    norway = sum(1 for r in rows if int(r["Dat"][:4]) >= 2000 and re.search(r"Norw", r["ThrdPart"]))
    note = actors["NOR"]["expertise"]["mediation"]["note"]
    found = re.search(r"in (\d+) peace processes \((\d+) agreements\)", note)
    processes, agreements = int(found.group(1)), int(found.group(2))
    assert 0 < processes <= agreements <= norway
    pp = {r["PP"] for r in rows if int(r["Dat"][:4]) >= 2000 and re.search(r"Norw", r["ThrdPart"])}
    assert processes <= len(pp)
    # counted by process: the top scorer is not the facilitator of one long process
    assert _score(actors, "USA", "mediation") == 1.0 > _score(actors, "MYS", "mediation")
    for code in ("USA", "EGY", "KEN", "QAT", "CHE"):
        assert code in actors and "mediation" in actors[code]["expertise"], code


# ---------------------------------------------------------------------------
# smell tests, gaps and source quality (no raw files needed)
# ---------------------------------------------------------------------------
GAP_TAGS = ("cyber", "counter-terrorism", "environment", "ddr")


def test_gap_tags_score_nobody_and_no_shipped_issue_asks_for_them(world):
    for a in world["actors"]:
        for tag in GAP_TAGS:
            assert tag not in a.get("expertise", {}), (a["code"], tag)
    tags = {t["id"]: t for t in world["tags"]}
    for tag in GAP_TAGS:
        assert "gap" in tags[tag]["name"] and tags[tag]["measure"].startswith("No score")
    with open(ROOT / "data" / "issues.yaml", encoding="utf-8") as fh:
        issues = yaml.safe_load(fh)["issues"]
    for issue in issues:
        assert not set(issue["expertise"]) & set(GAP_TAGS), issue["id"]


def test_every_tag_and_domain_in_use_has_holders_and_no_zero_for_missing(world):
    with open(ROOT / "data" / "issues.yaml", encoding="utf-8") as fh:
        issues = yaml.safe_load(fh)["issues"]
    used_tags = {t for i in issues for t in i["expertise"]}
    used_domains = {d for i in issues for d in i["domains"]}
    for tag in used_tags:
        scores = [a["expertise"][tag]["score"] for a in world["actors"] if tag in a.get("expertise", {})]
        assert len(scores) >= 8, tag
    for dom in used_domains:
        shares = [
            a["capabilities"][dom]["share"] for a in world["actors"] if dom in a.get("capabilities", {})
        ]
        assert shares and max(shares) > 0.1, dom
    # a derived file never writes a zero in place of a missing figure
    for path in sorted(CURATION.glob("*/*.yaml")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("# GENERATED"):
            assert "share: 0.0," not in text and "score: 0.0," not in text, path.name


def test_stand_ins_are_gone_from_aml_and_shipping():
    with open(ROOT / "data" / "issues.yaml", encoding="utf-8") as fh:
        issues = {i["id"]: i for i in yaml.safe_load(fh)["issues"]}
    assert issues["anti-money-laundering"]["domains"]["financial-centres"] > 0.5
    assert "imf-voting" not in issues["anti-money-laundering"]["domains"]
    assert issues["maritime-decarbonisation"]["domains"]["shipping-fleet"] >= 0.5
    for issue in issues.values():
        assert abs(sum(issue["domains"].values()) - 1.0) < 1e-9, issue["id"]


def test_docs_table_names_every_domain_and_tag_with_top_holders(world):
    text = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for item in world["domains"] + world["tags"]:
        assert f"| `{item['id']}` |" in text, item["id"]


BAD_ADDRESS = re.compile(
    r"^https?://(\d+\.\d+\.\d+\.\d+|[^/]*scribd\.com|[^/]*9pdf\.|github\.com/[^/]+/[^/]+/blob/"
    r"|[^/]*docslib\.org|[^/]*azurewebsites\.net|[^/]*sauress\.com|[^/]*vdocuments\.|[^/]*pdfslide\.)"
    r"|/photos/"
)


@pytest.mark.parametrize("name", ["cases.yaml", "signatures.yaml"])
def test_case_and_signature_sources_have_publisher_addresses(name):
    with open(ROOT / "data" / name, encoding="utf-8") as fh:
        sources = yaml.safe_load(fh)["sources"]
    assert len(sources) >= 10
    bad = [(s["id"], s["url"]) for s in sources if BAD_ADDRESS.search(s["url"])]
    assert not bad, bad


@pytest.mark.parametrize(
    "url",
    [
        "http://195.154.48.48/news/local/x",
        "https://www.scribd.com/embeds/1/content",
        "https://docslib.org/doc/2375326/doha-agreement",
        "https://dirco1.azurewebsites.net/docs/2002/kimb1118.htm",
        "https://sauress.com/en/saudigazette/1604386",
    ],
)
def test_bad_address_pattern_refuses_copies(url):
    assert BAD_ADDRESS.search(url)


def test_sources_have_a_quality_flag_and_a_publisher_address(world):
    for s in world["sources"]:
        assert s.get("quality") in ("primary", "secondary", "estimate"), s["id"]
        if s.get("secondary"):
            assert s["quality"] != "primary", s["id"]
        assert not BAD_ADDRESS.search(s["url"]), (s["id"], s["url"])


def test_every_figure_is_primary_or_flagged_as_its_source_is(world):
    # issue 13: every capability share and expertise score cites a primary source, or carries the
    # flag its source's quality calls for (secondary: true, estimate: true), so no copy passes as
    # the publisher's own figure in `coalesce show` and the listings
    quality = {s["id"]: s["quality"] for s in world["sources"]}
    counts = {"primary": 0, "secondary": 0, "estimate": 0}
    for actor in world["actors"]:
        for group in ("capabilities", "expertise"):
            for item, fig in actor.get(group, {}).items():
                q = quality[fig["source"]]
                counts[q] += 1
                where = (actor["code"], group, item, fig["source"])
                if q == "secondary":
                    assert fig.get("secondary") is True, where
                if q == "estimate":
                    assert fig.get("estimate") is True, where
                if fig.get("estimate"):
                    assert fig.get("basis"), where  # an estimate states its basis
    assert counts["primary"] > counts["secondary"] + counts["estimate"]


@given(st.floats(min_value=0.0, max_value=1.0, allow_nan=False))
def test_derived_numbers_read_back_as_the_same_float(x):
    mod = _derive_module()
    text = mod._scalar(mod.rnd(x))
    assert yaml.safe_load(f"v: {text}")["v"] == mod.rnd(x)
    assert isinstance(yaml.safe_load(f"v: {text}")["v"], float)


# The smell tests of docs/data.md, written down before the figures were used, live in
# data/curation/smell-tests.yaml: holders that must be among the top 8 states of each domain and tag,
# and holders that must not lead it (not in the top 3). A rebuilt figure that measures the wrong
# thing fails here; scripts/data_table.py writes the same verdicts into docs/data.md.
SMELL_FILE = ROOT / "data" / "curation" / "smell-tests.yaml"
with open(SMELL_FILE, encoding="utf-8") as _fh:
    _SMELL_SPECS = yaml.safe_load(_fh)
SMELL = {
    item: (set(spec.get("must") or ()), set(spec.get("must_not") or ()))
    for group in ("domains", "tags")
    for item, spec in _SMELL_SPECS[group].items()
    if not spec.get("gap")
}


@pytest.mark.parametrize("item", sorted(SMELL))
def test_smell_test_top_eight(world, item):
    must, must_not = SMELL[item]
    group = "capabilities" if item in {d["id"] for d in world["domains"]} else "expertise"
    key = "share" if group == "capabilities" else "score"
    held = sorted(
        (
            (a[group][item][key], a["code"])
            for a in world["actors"]
            if item in a.get(group, {}) and a["kind"] == "state"
        ),
        key=lambda x: (-x[0], x[1]),
    )
    top8 = {code for _, code in held[:8]}
    assert must <= top8, (item, sorted(must - top8))
    top3 = {code for _, code in held[:3]}
    assert not (must_not & top3), (item, sorted(must_not & top3))


def _table_module():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import data_table
    finally:
        sys.path.pop(0)
    return data_table


def _issues() -> dict:
    with open(ROOT / "data" / "issues.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_every_domain_and_tag_has_a_written_smell_test(world):
    ids = {d["id"] for d in world["domains"]} | {t["id"] for t in world["tags"]}
    written = set(_SMELL_SPECS["domains"]) | set(_SMELL_SPECS["tags"])
    assert ids == written
    for group in ("domains", "tags"):
        for item, spec in _SMELL_SPECS[group].items():
            assert {"measures", "why", "licence", "expected"} <= set(spec), item
            assert spec.get("gap") or spec.get("must") or spec.get("must_not"), item


def test_docs_smell_table_is_generated_from_the_data_and_every_item_in_use_passes(world):
    mod = _table_module()
    table_rows = mod.rows(world, _issues(), _SMELL_SPECS)
    doc = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    assert mod.splice(doc, mod.render(table_rows)) == doc, "docs/data.md is stale: run scripts/data_table.py"
    assert mod.problems(table_rows) == []
    used = {r.id for r in table_rows if r.used_by}
    assert used and all(r.passed for r in table_rows if r.id in used)
    assert mod.main(["--check"]) == 0


def test_smell_table_verdicts_catch_a_wrong_measure_and_a_gap_in_use(world):
    mod = _table_module()
    specs = {
        "domains": {
            **_SMELL_SPECS["domains"],
            "frontier-ai": {**_SMELL_SPECS["domains"]["frontier-ai"], "must": ["JPN"]},
        },
        "tags": {**_SMELL_SPECS["tags"], "cyber": {**_SMELL_SPECS["tags"]["cyber"]}},
    }
    issues = _issues()
    issues["issues"][0] = {**issues["issues"][0], "expertise": ["cyber"]}
    by_id = {r.id: r for r in mod.rows(world, issues, specs)}
    assert by_id["frontier-ai"].verdict == "fail: JPN not in the top 8"
    assert by_id["cyber"].verdict.startswith("fail: a gap asked for by ")
    lines = mod.problems(list(by_id.values()))
    assert any(line.startswith("domain frontier-ai: fail") for line in lines)
    with_must_not = {**specs["domains"]["frontier-ai"], "must": [], "must_not": ["USA"]}
    states, _ = mod.holders(world, "domain", "frontier-ai")
    assert mod.verdict(with_must_not, states, ("x",)) == (False, "fail: USA in the top 3")


def test_smell_table_check_mode_reports_a_stale_document(tmp_path, capsys):
    mod = _table_module()
    doc = tmp_path / "data.md"
    text = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    doc.write_text(text.replace("| `frontier-ai` |", "| `frontier-ai-old` |"), encoding="utf-8")
    assert mod.main(["--check", "--doc", str(doc)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"data_table: {doc} is stale; run python scripts/data_table.py"]
    assert mod.main(["--check", "--doc", str(tmp_path / "missing.md")]) == 1
    assert "file not found" in capsys.readouterr().err


def test_derive_script_reports_a_missing_raw_file_in_one_line(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "derive_curation.py"),
            "--raw",
            str(tmp_path),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("derive_curation: error: ") and "not found" in lines[0]
    assert "Traceback" not in done.stderr


def test_sources_listing_includes_cases_with_quality_flags():
    from coalesce.browse import list_sources
    from coalesce.loading.files import load_dataset

    with open(ROOT / "data" / "cases.yaml", encoding="utf-8") as fh:
        case_ids = {s["id"] for s in yaml.safe_load(fh)["sources"]}
    listing = list_sources(load_dataset())
    rows = {r["id"]: r for r in listing.rows}
    assert len(case_ids) >= 40 and case_ids <= set(rows)
    assert {"quality", "file"} <= set(listing.columns)
    assert all(r["quality"] in ("primary", "secondary", "estimate") for r in rows.values())
    assert {r["file"] for r in rows.values()} == {"states", "issues", "cases", "signatures", "case-vintage"}
    assert all(rows[c]["figures"] >= 1 for c in case_ids), "every case source is cited by a case"
    assert rows["cd-tse-enrichment-2024"]["quality"] == "estimate"
    # the case-vintage sources (World Bank series and the Voeten file as of each case year)
    with open(ROOT / "data" / "case_vintage.yaml", encoding="utf-8") as fh:
        vintage = yaml.safe_load(fh)
    for s in vintage["sources"]:
        row = rows[s["id"]]
        assert row["file"] == "case-vintage" and row["quality"] == s["quality"] == "primary", s["id"]
        assert row["figures"] == len(vintage["years"]) and row["url"] == s["url"]
    assert {"vintage-wb-population", "vintage-wb-gdp", "vintage-voeten-unga"} <= set(rows)


def test_a_bad_case_vintage_source_is_one_line_naming_file_and_line(tmp_path):
    from coalesce.browse import _vintage_sources
    from coalesce.errors import DataError

    path = tmp_path / "case_vintage.yaml"
    path.write_text(
        "schema_version: 1\nsources:\n- {id: ok-one, title: T, publisher: P, year: 2024, url: 'https://x.org/'}\n"
        "- {id: no-address, title: T, publisher: P, year: 2024}\nyears:\n  '1990': {sessions: [45]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        _vintage_sources(path)
    (problem,) = info.value.problems
    assert problem.line == 4 and "sources[1].url" in problem.message and problem.file == str(path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("- {id: no-address", "- {url: 'https://y.org/', id: b")
    )
    sources, years = _vintage_sources(path)
    assert [s.id for s in sources] == ["ok-one", "b"] and years == 1


# The IMF's own Executive Directors and Voting Power page (imf-eds-voting-2026): percent of Fund total,
# 191 members. The shares (190 members, October 2022) must agree to the page's rounding plus
# Liechtenstein's entry (about 0.03% relative).
IMF_PAGE_PERCENT = {"USA": 16.49, "JPN": 6.14, "CHN": 6.08, "DEU": 5.31}


@pytest.mark.parametrize("code", sorted(IMF_PAGE_PERCENT))
def test_imf_votes_agree_with_the_imfs_own_page(actors, code):
    assert _cap(actors, code, "imf-voting") * 100 == pytest.approx(IMF_PAGE_PERCENT[code], abs=0.011)


IMF_EXTRACT = ROOT / "data" / "raw" / "imf_eds_voting_2026-12_extract.csv"
IMF_TABLE = ROOT / "data" / "raw" / "imf_members_quotas_2022-10_extract.csv"


def _imf_extract(path: Path = IMF_EXTRACT) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_imf_page_extract_adds_up_to_its_printed_constituency_totals():
    rows = _imf_extract()
    assert len(rows) == 40 and len({r["iso3"] for r in rows}) == 40
    run, closed = 0, 0
    for r in rows:
        run += int(r["votes"])
        if r["constituency_votes"]:
            assert run == int(r["constituency_votes"]), r["member"]
            run, closed = 0, closed + 1
    assert closed == 7


def test_imf_table_extract_adds_up_and_matches_its_printed_percentages():
    rows = _imf_extract(IMF_TABLE)
    total = next(r for r in rows if r["iso3"] == "TOTAL")
    members = [r for r in rows if r["iso3"] != "TOTAL"]
    assert len(members) == 190 and len({r["iso3"] for r in members}) == 190
    votes, quota = int(total["votes"]), float(total["quota_sdr_m"])
    assert sum(int(r["votes"]) for r in members) == votes == 5_039_930
    assert sum(float(r["quota_sdr_m"]) for r in members) == pytest.approx(quota, abs=0.5)
    for r in members:
        # percentages are printed to two decimals (three under 0.01)
        assert 100 * int(r["votes"]) / votes == pytest.approx(float(r["votes_percent"]), abs=0.0051), r[
            "member"
        ]
        assert 100 * float(r["quota_sdr_m"]) / quota == pytest.approx(float(r["quota_percent"]), abs=0.0051)


def test_imf_shares_are_every_members_printed_votes_over_the_total(actors):
    rows = _imf_extract(IMF_TABLE)
    votes = int(next(r["votes"] for r in rows if r["iso3"] == "TOTAL"))
    members = {r["iso3"]: int(r["votes"]) for r in rows if r["iso3"] != "TOTAL"}
    figs = _figures(actors, "capabilities", "imf-voting")
    assert set(figs) == set(members) - {"UVK"}  # Kosovo is a member, not an actor
    for code, fig in figs.items():
        assert fig["share"] == pytest.approx(members[code] / votes, abs=5e-6), code
        assert fig["source"] == "imf-members-quotas-2022" and not fig.get("estimate"), code


def test_imf_2026_page_is_the_2022_table_less_liechtensteins_seven_basic_votes():
    # Liechtenstein's entry (October 2024) took 7 basic votes from every member; a quota change or a
    # misread vote count in either extract shows up as any other difference.
    table = {r["iso3"]: int(r["votes"]) for r in _imf_extract(IMF_TABLE)}
    for r in _imf_extract():
        assert table[r["iso3"]] - int(r["votes"]) == 7, r["member"]


def _imf_row(iso: str, name: str, quota: str, votes: str) -> str:
    return (
        f'<tr valign="top"><td data-label="Member"><input type="hidden" id="rptVandQ_ctl00_hdISOCODE" '
        f'value="{iso}">{name}<sup><a href="#3">3</a></sup></td>'
        f'<td data-label="Millions of SDRs">{quota}</td><td data-label="Percent of Total Quota">50.0</td>'
        f'<td data-label="Governor/Alternate">A<br><i>B</i></td><td data-label="Number">{votes}</td>'
        f'<td data-label="Percent of Total Votes">50.0</td></tr>'
    )


def _imf_page(total_votes: str) -> str:
    return (
        "<title>IMF Members&#39; Quotas and Voting Power, and IMF Board of Governors</title><table><tbody>"
        + _imf_row("BBB", "Bravo", "1,000.5", "11,455")
        + _imf_row("AAA", "Alpha", "20", "1,650")
        + '</tbody></table><table><tbody><tr><th><a name="total">TOTALS</a></th></tr><tr><td>&nbsp;</td>'
        f"<td>1,020.5</td><td>100.0<sup>4</sup></td><td>&nbsp;</td><td>{total_votes}</td><td>100.0</td></tr>"
        "</tbody></table>"
    )


def test_imf_extract_script_reads_rows_and_refuses_totals_that_do_not_add_up():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import data_imf_extract
    finally:
        sys.path.pop(0)
    rows = data_imf_extract.extract(_imf_page("13,105"))
    assert [(r["iso3"], r["member"], r["quota_sdr_m"], r["votes"]) for r in rows] == [
        ("AAA", "Alpha", "20", "1650"),
        ("BBB", "Bravo", "1000.5", "11455"),
        ("TOTAL", "TOTALS: General Department and Special Drawing Rights Department", "1020.5", "13105"),
    ]
    with pytest.raises(data_imf_extract.ExtractError, match="add up"):
        data_imf_extract.extract(_imf_page("13,106"))


def test_membership_sources_are_the_pages_that_state_the_members_not_homepages(world):
    from urllib.parse import urlparse

    by_id = {s["id"]: s for s in world["sources"]}
    cited = {g["source"] for g in world["groupings"]}
    assert {"g20-members", "gcc-members", "arab-league-members"} <= cited
    for sid in sorted(cited):
        path = urlparse(by_id[sid]["url"]).path.strip("/")
        assert path not in ("", "en", "index.html"), (sid, by_id[sid]["url"])


# Transcribed figures (no raw file): each must follow from the numbers its own note or basis quotes
# from the publisher, so a typo in a share or in a quoted number fails here.
def _figures(actors, group: str, item: str) -> dict[str, dict]:
    return {c: a[group][item] for c, a in actors.items() if item in a.get(group, {})}


def test_transcribed_ai_investment_is_each_quoted_amount_over_the_world_total(actors):
    figs = _figures(actors, "capabilities", "ai-investment")
    assert len(figs) == 8
    for code, fig in figs.items():
        amount, world = map(float, re.match(r"USD ([\d.]+) bn of USD ([\d.]+) bn", fig["note"]).groups())
        assert world == 150.8 and fig["share"] == pytest.approx(amount / world, abs=6e-5), code


def test_transcribed_shipping_ownership_follows_the_quoted_dwt(actors):
    figs = _figures(actors, "capabilities", "shipping-fleet")
    for code in ("GRC", "JPN"):  # published shares 16.9% and 10.4% of world dwt
        dwt = float(re.match(r"([\d.]+) m dwt", figs[code]["note"]).group(1))
        assert figs[code]["share"] == pytest.approx(dwt / 2332, abs=6e-4), code
    for code in ("SGP", "KOR", "DEU"):  # derived: dwt over the implied world total
        dwt = float(re.match(r"([\d.]+) m dwt divided by the 2,332", figs[code]["basis"]).group(1))
        assert figs[code]["share"] == pytest.approx(dwt / 2332, abs=6e-5) and figs[code]["estimate"], code


@pytest.mark.skipif(not (RAW / "owid_co2_data.csv.gz").is_file(), reason="OWID raw file not found")
def test_methane_is_credited_to_jones_et_al_not_climate_watch(world):
    # The June 2024 codebook in the raw files names Climate Watch (which starts in 1990) for the
    # methane column; this release has figures from 1850, Jones et al.'s span. The source must say so.
    import gzip

    with gzip.open(RAW / "owid_co2_data.csv.gz", "rt", encoding="utf-8-sig", newline="") as fh:
        years = {
            int(r["year"]) for r in csv.DictReader(fh) if r["country"] == "World" and r["methane"].strip()
        }
    assert min(years) == 1850 and max(years) == 2023
    source = next(s for s in world["sources"] if s["id"] == "owid-methane-2025")
    assert "Jones" in source["publisher"] and "zenodo.7636699" in source["note"]
    assert source["quality"] == "secondary" and "Climate Watch" not in source["publisher"]


# The co-sponsors of NPT/CONF.2020/PC.II/WP.12 (13 March 2018), as printed, "as the members of the
# Zangger Committee" (source zangger-npt-wp-2018).
ZANGGER_WP_2018 = (
    "Argentina, Australia, Austria, Belarus, Belgium, Bulgaria, Canada, China, Croatia, Czech Republic, "
    "Denmark, Finland, France, Germany, Greece, Hungary, Ireland, Italy, Japan, Kazakhstan, Luxembourg, "
    "Netherlands, New Zealand, Norway, Poland, Portugal, Republic of Korea, Romania, Russian Federation, "
    "Slovakia, Slovenia, South Africa, Spain, Sweden, Switzerland, Turkey, Ukraine, United Kingdom of "
    "Great Britain and Northern Ireland and United States of America"
)


def test_zangger_members_are_the_39_of_the_members_own_working_paper(world):
    names = [n.strip() for n in re.split(r",| and (?=United States)", ZANGGER_WP_2018)]
    codes = {
        "Republic of Korea": "KOR",
        "Turkey": "TUR",
        "United Kingdom of Great Britain and Northern Ireland": "GBR",
    }
    listed = {codes.get(n) or pycountry.countries.lookup(n).alpha_3 for n in names}
    assert len(names) == len(listed) == 39
    members = {a["code"] for a in world["actors"] if "Zangger" in a.get("memberships", ())}
    zangger = next(g for g in world["groupings"] if g["id"] == "Zangger")
    assert members == listed and zangger["source"] == "zangger-npt-wp-2018"
    quality = {s["id"]: s["quality"] for s in world["sources"]}
    assert quality["zangger-npt-wp-2018"] == "primary"
    assert quality["zangger-members"] == "secondary"  # the committee's own page is still unread


# The endorsers of the Declaration for the Future of the Internet as the White House's fact sheet of
# 28 April 2022 lists them (source sig-whitehouse-dfi-2022), "the United States with 60 partners".
DFI_WHITE_HOUSE = (
    "Albania, Andorra, Argentina, Australia, Austria, Belgium, Bulgaria, Cabo Verde, Canada, Colombia, "
    "Costa Rica, Croatia, Cyprus, Czech Republic, Denmark, Dominican Republic, Estonia, the European "
    "Commission, Finland, France, Georgia, Germany, Greece, Hungary, Iceland, Ireland, Israel, Italy, "
    "Jamaica, Japan, Kenya, Kosovo, Latvia, Lithuania, Luxembourg, Maldives, Malta, Marshall Islands, "
    "Micronesia, Moldova, Montenegro, Netherlands, New Zealand, Niger, North Macedonia, Palau, Peru, "
    "Poland, Portugal, Romania, Serbia, Slovakia, Slovenia, Spain, Sweden, Taiwan, Trinidad and Tobago, "
    "the United Kingdom, Ukraine, and Uruguay"
)


def test_future_internet_signers_are_the_white_house_list():
    names = [n.strip().removeprefix("and ").removeprefix("the ").strip() for n in DFI_WHITE_HOUSE.split(",")]
    assert len(names) == 60
    not_un = {"European Commission", "Kosovo", "Taiwan"}
    codes = {"Micronesia": "FSM", "Moldova": "MDA", "United Kingdom": "GBR", "Czech Republic": "CZE"}
    listed = {codes.get(n) or pycountry.countries.lookup(n).alpha_3 for n in names if n not in not_un}
    with open(ROOT / "data" / "signatures.yaml", encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    dfi = next(d for d in doc["decisions"] if d["id"] == "future-internet-declaration-2022")
    assert set(dfi["signed"]) == listed | {"USA"}
    assert "SEN" in dfi["declined"]  # on the launch-day copies, not on the White House's page
    assert dfi["sources"][0] == "sig-whitehouse-dfi-2022"
    source = next(s for s in doc["sources"] if s["id"] == "sig-whitehouse-dfi-2022")
    assert source["url"].startswith("https://www.whitehouse.gov/") and not source.get("secondary")


def test_oda_scores_agree_with_the_oecds_quoted_2024_release(actors):
    # the OECD's preliminary ODA 2024 release (16 April 2025) as quoted by the press, current USD bn:
    # a cross-check of the ONE-processed volumes (constant 2025 prices), which stay secondary
    oecd = {"USA": 63.3, "DEU": 32.4, "GBR": 18.0, "JPN": 16.8, "FRA": 15.4}
    figs = _figures(actors, "expertise", "development-finance")
    assert sorted(oecd, key=lambda c: -figs[c]["score"]) == list(oecd)  # same order
    for code, bn in oecd.items():
        assert figs[code]["score"] == pytest.approx(bn / oecd["USA"], abs=0.015), code
        assert figs[code]["secondary"], code


GHS_EXTRACT = ROOT / "data" / "raw" / "ghs_index_2021_overall_extract.csv"
# The GHS Index 2021 top ten as The Nation (Thailand) quoted it in December 2021 (the figures used
# before the index's own file was read): the file must give the same scores.
GHS_QUOTED_TOP10 = {
    "USA": 75.9, "AUS": 71.1, "FIN": 70.9, "CAN": 69.8, "THA": 68.2,
    "SVN": 67.8, "GBR": 67.2, "DEU": 65.5, "KOR": 65.4, "SWE": 64.9,
}  # fmt: skip


def test_health_security_is_every_ghs_2021_overall_score_over_100(actors):
    mod = _derive_module()
    with open(GHS_EXTRACT, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 195 and {r["year"] for r in rows} == {"2021"}
    expected = {}
    for r in rows:
        if r["country"] in mod.GHS_NOT_ACTORS:
            continue
        code = mod.GHS_NAMES.get(r["country"]) or mod.iso3(r["country"])
        assert code is not None and code not in expected, r["country"]
        expected[code] = float(r["overall_score"]) / 100
    figs = _figures(actors, "expertise", "health-security")
    assert set(figs) == set(expected) and len(figs) == 193
    for code, fig in figs.items():
        assert fig["score"] == pytest.approx(expected[code], abs=1e-9), code
        assert fig["source"] == "ghs-index-2021" and not fig.get("secondary"), code
    for code, quoted in GHS_QUOTED_TOP10.items():
        assert figs[code]["score"] == pytest.approx(quoted / 100, abs=1e-9), code
    top10 = sorted(figs, key=lambda c: -figs[c]["score"])[:10]
    assert set(top10) == set(GHS_QUOTED_TOP10)


def test_ghs_extract_script_keeps_2021_rows_and_refuses_a_short_file(tmp_path):
    mod = _load_script("data_ghs_extract")
    rows = [
        {"Country": f"C{i:03d}", "Year": y, "OVERALL SCORE": str(i % 100)}
        for i in range(195)
        for y in ("2019", "2021")
    ]
    out = mod.extract(rows)
    assert len(out) == 195 and {r["year"] for r in out} == {"2021"}
    assert out[0] == {"country": "C000", "year": "2021", "overall_score": "0"}
    with pytest.raises(mod.ExtractError, match="194 countries"):
        mod.extract(rows[:-2])
    bad = [dict(r) for r in rows]
    bad[1]["OVERALL SCORE"] = "n/a"
    with pytest.raises(mod.ExtractError, match="line 3: OVERALL SCORE 'n/a'"):
        mod.extract(bad)


def test_transcribed_depa_status_scores_and_their_sources(world, actors):
    # founders 1.0, acceded 0.75, formal applicants 0.25; a figure is flagged secondary exactly
    # when its source is secondary (Canada and China now rest on their governments' own pages)
    quality = {s["id"]: s["quality"] for s in world["sources"]}
    figs = _figures(actors, "expertise", "digital-trade")
    assert {c for c, f in figs.items() if f["score"] == 1.0} == {"CHL", "NZL", "SGP"}
    assert figs["KOR"]["score"] == 0.75
    assert {c for c, f in figs.items() if f["score"] == 0.25} == {"ARE", "CAN", "CHN", "CRI", "PER", "SLV"}
    for code, fig in figs.items():
        assert bool(fig.get("secondary")) == (quality[fig["source"]] == "secondary"), code
    assert quality[figs["CAN"]["source"]] == quality[figs["CHN"]["source"]] == "primary"


def test_transcribed_uranium_conversion_is_the_esa_nameplate_table():
    # Euratom Supply Agency page (esa-conversion-2017): nameplate tU as UF6, 2017
    capacity = {"RUS": 18_000, "FRA": 15_000, "CAN": 12_500, "USA": 7_000, "CHN": 5_000}
    with open(CURATION / "capabilities" / "uranium-conversion.yaml", encoding="utf-8") as fh:
        shares = yaml.safe_load(fh)["shares"]
    assert set(shares) == set(capacity)
    for code, tonnes in capacity.items():
        # the page prints rounded percentages (France 26%, i.e. 26.1)
        assert shares[code]["share"] == pytest.approx(tonnes / sum(capacity.values()), abs=1e-3), code


EPOCH_CLUSTERS_EXTRACT = ROOT / "data" / "raw" / "epoch_gpu_clusters_existing_extract.csv"


def test_ai_compute_is_included_existing_cluster_performance_by_host_country(world, actors):
    mod = _derive_module()
    eu_members = set(actors["EU"]["members"])  # the data's own EU list, not the deriver's
    assert eu_members == mod.EU27
    with open(EPOCH_CLUSTERS_EXTRACT, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 609  # every existing cluster of Epoch's file, in its order
    perf: dict[str | None, float] = {}
    for r in rows:
        if r["include_in_standard_analysis"] != "True" or not r["op_s_16bit"]:
            continue
        code = mod.EPOCH_CLUSTER_NAMES.get(r["country"]) or (mod.iso3(r["country"]) if r["country"] else None)
        perf[code] = perf.get(code, 0.0) + float(r["op_s_16bit"])
    total = sum(perf.values())
    figs = _figures(actors, "capabilities", "ai-compute")
    expected = {c: v / total for c, v in perf.items() if c is not None and v / total >= 5e-6}
    assert set(figs) - {"EU"} == set(expected)
    for code, share in expected.items():
        assert figs[code]["share"] == pytest.approx(share, abs=1e-5), code
        assert figs[code]["source"] == "epoch-gpu-clusters-2025" and not figs[code].get("secondary"), code
    # the EU carries its members' sum; clusters with no country stay unattributed, so shares sum below 1
    eu = sum(v for c, v in perf.items() if c in eu_members) / total
    assert figs["EU"]["share"] == pytest.approx(eu, abs=1e-5)
    assert 0.95 < sum(f["share"] for c, f in figs.items() if c != "EU") < 1.0
    # smell test: the US far ahead, China second, no EU member above China
    assert (
        figs["USA"]["share"]
        > 0.6
        > figs["CHN"]["share"]
        > max(figs[c]["share"] for c in eu_members & set(figs))
    )
    quality = {src["id"]: src["quality"] for src in world["sources"]}
    assert quality["epoch-gpu-clusters-2025"] == "primary"
    assert "cd-datatoday-compute-2025" not in quality  # the press copy of the EU figure is gone


def test_epoch_clusters_extract_keeps_existing_rows_in_order_and_refuses_bad_values():
    mod = _load_script("data_epoch_clusters_extract")
    base = {"Name": "A", "Status": "Existing", "Country": "China", "First Operational Date": "2024-01-01",
            "Include in Standard Analysis": "True", "16-bit OP/s": "1e18"}  # fmt: skip
    rows = [dict(base), dict(base, Status="Planned"), dict(base, Name="A", Country=""), dict(base, Name="B")]
    out = mod.extract(rows)
    assert [(r["name"], r["country"]) for r in out] == [("A", "China"), ("A", ""), ("B", "China")]
    assert set(out[0]) == {
        "name",
        "country",
        "first_operational_date",
        "include_in_standard_analysis",
        "op_s_16bit",
    }
    with pytest.raises(mod.ExtractError, match="line 2: 16-bit OP/s 'n/a'"):
        mod.extract([dict(base, **{"16-bit OP/s": "n/a"})])
    with pytest.raises(mod.ExtractError, match="inclusion flag 'Yes'"):
        mod.extract([dict(base, **{"Include in Standard Analysis": "Yes"})])
    with pytest.raises(mod.ExtractError, match="no row with Status"):
        mod.extract([dict(base, Status="Planned")])


@needs_derived_raw
def test_cset_has_no_fabrication_figure_below_the_all_node_stage():
    # Why the advanced-fab split stays secondary: the only country figures of fabrication in the
    # CSET/ETO files are the stage's own (S2, all nodes); its seven processes carry no provision rows,
    # so nothing in the files splits capacity by node.
    inputs = _read_rows("cset_eto_chip_explorer_inputs_2026-08.csv")
    processes = {r["input_id"] for r in inputs if r["stage_id"] == "S2"}
    assert len(processes) == 7
    provided = {r["provided_id"] for r in _read_rows(DERIVED_RAW[1])}
    assert "S2" in provided and not processes & provided


def test_extract_scripts_share_one_command_line_that_refuses_missing_columns(tmp_path, capsys):
    ghs = _load_script("data_ghs_extract")
    epoch = _load_script("data_epoch_clusters_extract")
    src = tmp_path / "gpu.csv"
    header = [
        "Name",
        "Status",
        "Country",
        "First Operational Date",
        "Include in Standard Analysis",
        "16-bit OP/s",
    ]
    src.write_text(
        ",".join(header) + "\nA,Existing,China,2024-01-01,True,1e18\nB,Planned,,,,\n", encoding="utf-8"
    )
    out = tmp_path / "out.csv"
    assert epoch.main([str(src), str(out)]) == 0
    assert out.read_bytes() == (
        b"name,country,first_operational_date,include_in_standard_analysis,op_s_16bit\n"
        b"A,China,2024-01-01,True,1e18\n"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("Country,Year\nX,2021\n", encoding="utf-8")
    assert ghs.main([str(bad), str(out)]) == 1
    assert "data_ghs_extract:" in capsys.readouterr().err
    assert epoch.main([str(bad), str(out)]) == 1
    assert "missing columns" in capsys.readouterr().err
