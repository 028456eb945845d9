"""Issue-specific alignment data (data/alignment/, data/blocs.yaml, the regime groupings).

Three parts:
- recomputation from the raw files (skipped when ../shared/data/raw/ is absent): vote agreement,
  the convener record, shared IGOs and the regime lists, each derived here independently of the
  scripts, with the smell tests written in docs/data.md;
- the shipped files through the loader: missing stays missing, the bloc table agrees with states.yaml;
- the loader on malformed input: every problem is one `file:line:col: message`.
"""

from __future__ import annotations

import csv
import gzip
import random
import re
import shutil
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli
from hypothesis import given
from hypothesis import strategies as st

from coalesce.errors import DataError
from coalesce.loading.alignment import load_alignment, parse_conveners, parse_pair_matrix
from coalesce.loading.blocs import load_blocs

DATA = ROOT / "data"
ALIGN = DATA / "alignment"
RAW = ROOT.parent / "shared" / "data" / "raw"
VOTES = RAW / "unga_votes_1946-2019_unvotes.csv.gz"
ROLL_CALLS = RAW / "unga_roll_calls_1946-2019_unvotes.csv.gz"
ISSUES = RAW / "unga_roll_call_issues_1946-2019_unvotes.csv"
IDEAL = RAW / "unga_idealpoints_IdealpointestimatesAll_Jun2024.csv"
LOWY = RAW / "lowy_global_diplomacy_index_2016-2023_posts.csv.gz"
PAX = RAW / "pax_all_agreements_data_v6.csv.gz"
IGO = RAW / "cow_igo_v3_state_year_memberships.csv.gz"
FACTBOOK = RAW / "cia_factbook_intl_org_participation_2026-01.csv"


def needs(*paths: Path) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not all(p.is_file() for p in paths), reason=f"raw data files not found under {RAW}"
    )


@pytest.fixture(scope="module")
def shipped():  # type: ignore[no-untyped-def]
    data = load_alignment.__wrapped__(DATA)
    assert data is not None
    return data


# ---------------------------------------------------------------------------------------------------
# vote agreement against the raw votes
# ---------------------------------------------------------------------------------------------------
SESSIONS = range(65, 75)
MIN_SHARED = 20
SCORE = {"yes": 1, "abstain": 2, "no": 3}


@pytest.fixture(scope="module")
def raw_votes() -> tuple[dict[str, set[str]], dict[str, dict[str, int]]]:
    with gzip.open(ROLL_CALLS, "rt", encoding="utf-8") as fh:
        window = {r["rcid"] for r in csv.DictReader(fh) if int(r["session"]) in SESSIONS}
    cats: dict[str, set[str]] = defaultdict(set)
    cats["all"] = set(window)
    with open(ISSUES, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["rcid"] in window:
                cats[r["short_name"]].add(r["rcid"])
    votes: dict[str, dict[str, int]] = defaultdict(dict)
    with gzip.open(VOTES, "rt", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["rcid"] in window:
                code = r["iso3"] or {"YU": "SRB"}[r["iso2"]]
                votes[code][r["rcid"]] = SCORE[r["vote"]]
    return dict(cats), dict(votes)


def expected_agreement(a: dict[str, int], b: dict[str, int], rcids: set[str]) -> float | None:
    shared = [rc for rc in rcids if rc in a and rc in b]
    if len(shared) < MIN_SHARED:
        return None
    return statistics.fmean(1 - abs(a[rc] - b[rc]) / 2 for rc in shared)


SAMPLE = [("USA", "GBR"), ("USA", "CHN"), ("JPN", "USA"), ("NOR", "QAT"), ("FRA", "DEU"), ("IND", "PAK")]


@needs(VOTES, ROLL_CALLS, ISSUES)
@pytest.mark.parametrize("category", ["me", "nu", "di", "hr", "co", "ec", "all"])
def test_vote_agreement_matches_the_raw_votes(category: str, shipped, raw_votes) -> None:  # type: ignore[no-untyped-def]
    cats, votes = raw_votes
    matrix = shipped.votes(category)
    assert shipped.manifest.votes.categories[category].roll_calls == len(cats[category])
    rng = random.Random(category)
    pairs = SAMPLE + [tuple(rng.sample(matrix.codes, 2)) for _ in range(40)]
    for a, b in pairs:
        want = expected_agreement(votes.get(a, {}), votes.get(b, {}), cats[category])
        got = matrix.value(a, b)
        if want is None:
            assert got is None, (a, b)
        else:
            assert got is not None and abs(got - want) <= 0.0005 + 1e-9, (a, b, got, want)
    for code in ("USA", "NOR", "TUV", "EU"):
        cast = sum(1 for rc in cats[category] if rc in votes.get(code, {}))
        assert matrix.total(code) == cast


@needs(VOTES, ROLL_CALLS, ISSUES)
def test_few_votes_give_no_figure(shipped, raw_votes) -> None:  # type: ignore[no-untyped-def]
    _cats, _votes = raw_votes
    me = shipped.votes("me")
    few = [c for c in me.codes if me.total(c) is not None and 0 < (me.total(c) or 0) < MIN_SHARED]
    assert "COD" in few  # DR Congo voted on under 20 of the 157 Middle East roll calls in the window
    assert all(me.value("COD", other) is None for other in me.codes)


def test_vote_smell_tests(shipped) -> None:  # type: ignore[no-untyped-def]
    nu, hr, me, di = (shipped.votes(c) for c in ("nu", "hr", "me", "di"))
    assert nu.value("USA", "GBR") > nu.value("USA", "CHN")  # written in docs/data.md before use
    assert di.value("USA", "FRA") > di.value("USA", "RUS")
    assert hr.value("CHN", "RUS") > hr.value("CHN", "USA")
    usa_me = {c: me.value("USA", c) for c in me.codes}
    top = sorted((c for c, v in usa_me.items() if v is not None), key=lambda c: -(usa_me[c] or 0))
    assert "ISR" in top[:3]  # with the Marshall Islands and Micronesia
    for category in shipped.manifest.votes.categories:
        assert shipped.votes(category).value("FRA", "GBR") > 0.85


def test_missing_stays_missing(shipped) -> None:  # type: ignore[no-untyped-def]
    for category in shipped.manifest.votes.categories:
        m = shipped.votes(category)
        for code in ("EU", "PSE", "TWN"):  # no UN votes of their own
            assert m.total(code) == 0
            assert all(m.value(code, other) is None for other in m.codes)
    rows = list(csv.reader((ALIGN / "votes-nu.csv").read_text(encoding="utf-8").splitlines()))
    empty = sum(1 for row in rows[1:] for cell in row[2:] if cell == "")
    nu = shipped.votes("nu")
    assert empty == sum(1 for row in nu.lower for v in row if v is None) > 0
    conv = shipped.conveners()
    assert conv["QAT"].lowy_posts is None and conv["QAT"].pax_agreements > 0
    assert shipped.igo_shared().value("EU", "FRA") is None


@needs(IDEAL)
def test_bridge_to_today_agreement_with_the_us_is_stable() -> None:
    """The window ends in 2019; agreement with the US in 2010-19 predicts 2021-24 (sessions 76-78)."""
    rows: dict[str, dict[int, float]] = defaultdict(dict)
    with open(IDEAL, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["USAgree"] not in ("NA", ""):
                rows[r["iso3c"]][int(r["session"])] = float(r["USAgree"])
    before, after = [], []
    for sessions in rows.values():
        old = [v for s, v in sessions.items() if s in SESSIONS]
        new = [v for s, v in sessions.items() if 76 <= s <= 78]
        if old and new:
            before.append(statistics.fmean(old))
            after.append(statistics.fmean(new))
    assert len(before) > 180
    assert statistics.correlation(before, after) > 0.9


# ---------------------------------------------------------------------------------------------------
# convener record, shared IGOs and regimes against the raw files
# ---------------------------------------------------------------------------------------------------
@needs(LOWY)
def test_lowy_posts_match_the_index(shipped) -> None:  # type: ignore[no-untyped-def]
    count: dict[str, int] = defaultdict(int)
    with gzip.open(LOWY, "rt", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["year"] == "2023":
                count[r["COUNTRY"]] += 1
    conv = shipped.conveners()
    for name, code in (("United States", "USA"), ("China", "CHN"), ("Norway", "NOR"), ("Taiwan*", "TWN")):
        assert conv[code].lowy_posts == count[name]
    assert conv["CHN"].lowy_posts > conv["USA"].lowy_posts  # Lowy 2023: China's network is the largest
    assert sum(1 for r in conv.values() if r.lowy_posts is not None) == 66


@needs(PAX)
def test_norway_third_party_count_matches_pax(shipped) -> None:  # type: ignore[no-untyped-def]
    agreements, hosted = set(), set()
    with gzip.open(PAX, "rt", encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            if "NOR" in (r["Loc1ISO"], r["Loc2ISO"]):
                continue
            if re.search(r"\bNorw(ay|egian)\b", r["ThrdPart"]):
                agreements.add(r["AgtId"])
            if re.search(r"\bOslo\b", r["Agt"]):
                hosted.add(r["AgtId"])
    record = shipped.conveners()["NOR"]
    assert record.pax_agreements == len(agreements)
    assert record.pax_hosted == len(hosted)


def test_convener_smell_tests(shipped) -> None:  # type: ignore[no-untyped-def]
    conv = shipped.conveners()
    by_agreements = sorted(conv, key=lambda c: -conv[c].pax_agreements)
    by_hosted = sorted(conv, key=lambda c: -conv[c].pax_hosted)
    assert {"USA", "NOR"} <= set(by_agreements[:5])
    assert {"NOR", "CHE", "QAT"} <= set(by_hosted[:10])
    assert by_agreements.index("QAT") < 20
    assert conv["LUX"].pax_agreements < conv["NOR"].pax_agreements


@needs(IGO, IDEAL)
def test_shared_igos_match_cow(shipped) -> None:  # type: ignore[no-untyped-def]
    member: dict[str, set[str]] = defaultdict(set)
    with gzip.open(IGO, "rt", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["year"] == "2014" and r["status"] == "1" and r["ccode"] in ("2", "20", "365", "710", "220"):
                member[r["ccode"]].add(r["ioname"])
    igo = shipped.igo_shared()
    assert igo.value("USA", "CAN") == len(member["2"] & member["20"])
    assert igo.value("RUS", "CHN") == len(member["365"] & member["710"])
    assert igo.total("FRA") == len(member["220"])
    assert igo.value("FRA", "DEU") > igo.value("USA", "PRK")


@needs(FACTBOOK)
def test_every_regime_difference_from_the_factbook_is_explained() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_regimes.py"), "--factbook", str(FACTBOOK)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "UNEXPLAINED" not in proc.stdout
    assert "Wassenaar" not in proc.stdout and "NSG " not in proc.stdout  # those two agree exactly


def test_regime_memberships_in_states_yaml() -> None:
    world = yaml.safe_load((DATA / "states.yaml").read_text(encoding="utf-8"))
    member = {a["code"]: set(a.get("memberships", [])) for a in world["actors"]}
    sizes = defaultdict(int)
    for groups in member.values():
        for g in groups:
            sizes[g] += 1
    expected = {"NSG": 48, "Zangger": 39, "Australia-Group": 43, "Wassenaar": 42, "MTCR": 35}
    expected |= {"FATF": 37, "Paris-Club": 22, "IEA": 32}
    assert {g: sizes[g] for g in expected} == expected
    assert "Australia-Group" in member["IND"] and "Australia-Group" in member["EU"]
    assert "FATF" not in member["RUS"] and "FATF" in member["IDN"]
    assert "IEA" not in member["EU"] and "OECD" not in member["IND"]
    assert "Wassenaar" not in member["CYP"] and "NSG" in member["SRB"]


# ---------------------------------------------------------------------------------------------------
# the bloc competence table
# ---------------------------------------------------------------------------------------------------
def test_bloc_table_sits_the_eu_only_where_it_acts(dataset) -> None:  # type: ignore[no-untyped-def]
    blocs = load_blocs.__wrapped__(DATA)
    eu = blocs.bloc("EU")
    assert eu.forum("WTO").bloc_acts and not eu.forum("WTO").members_act
    assert eu.forum("IMF").seat == "none" and not eu.forum("IMF").bloc_acts
    assert eu.forum("IMO").seat == "observer" and not eu.forum("IMO").bloc_acts
    assert eu.forum("G20").bloc_acts and eu.forum("G20").members_act
    assert eu.issue("digital-trade").competence == "exclusive"
    assert not eu.issue("imf-quota-reform").bloc_acts
    assert not eu.issue("maritime-decarbonisation").bloc_acts
    assert {i.issue for i in eu.issues} == set(dataset.issues)


def test_dataset_hooks_read_lazily(dataset, tiny_world) -> None:  # type: ignore[no-untyped-def]
    from coalesce.loading.files import load_dataset

    assert dataset.alignment() is not None and dataset.blocs() is not None
    tiny = load_dataset(tiny_world)
    assert tiny.alignment() is None and tiny.blocs() is None


# ---------------------------------------------------------------------------------------------------
# the loader on malformed input
# ---------------------------------------------------------------------------------------------------
GOOD = "code,votes,AAA,BBB,CCC\nAAA,30\nBBB,25,0.5\nCCC,0,,\n"


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_pair_matrix(text, "m.csv", "votes-nu", "votes", unit=True, integer=False)


def test_matrix_parses_and_is_symmetric() -> None:
    m = parse(GOOD)
    assert m.value("AAA", "BBB") == m.value("BBB", "AAA") == 0.5
    assert m.value("CCC", "AAA") is None and m.value("AAA", "AAA") is None and m.value("AAA", "ZZZ") is None
    assert m.total("CCC") == 0


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("", "m.csv:1:1", "empty"),
        ("id,votes,AAA\nAAA,1\n", "m.csv:1:1", "header"),
        ("code,votes,AAA,BBB\nAAA,1\nBBB,2,1.5\n", "m.csv:3:7", "row BBB, column AAA: 1.5 must be in [0, 1]"),
        ("code,votes,AAA,BBB\nAAA,1\nBBB,2,high\n", "m.csv:3:7", "'high' is not a number"),
        ("code,votes,AAA,BBB\nBBB,1\nAAA,2,0.5\n", "m.csv:2:1", "expected 'AAA'"),
        ("code,votes,AAA,BBB\nAAA,1\nBBB,2\n", "m.csv:3:1", "2 cells, expected 3"),
        ("code,votes,AAA,BBB\nAAA,1\n", "m.csv:2:1", "expected 2 rows"),
        ("code,votes,AAA,aa\nAAA,1\naa,2,0.5\n", "m.csv:1:16", "not an actor code"),
        ("code,votes,AAA,BBB\nAAA,-1\nBBB,2,0.5\n", "m.csv:2:5", "must be non-negative"),
    ],
)
def test_malformed_matrix_names_file_line_and_field(text: str, where: str, words: str) -> None:
    with pytest.raises(DataError) as exc:
        parse(text)
    lines = str(exc.value).splitlines()
    assert any(line.startswith(where) and words in line for line in lines), lines


@given(
    st.lists(
        st.sampled_from(["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"]), min_size=1, max_size=6, unique=True
    ),
    st.data(),
)
def test_matrix_round_trip(codes: list[str], data: st.DataObject) -> None:
    cell = st.one_of(st.none(), st.integers(0, 1000).map(lambda k: k / 1000))
    values = {(i, j): data.draw(cell) for i in range(len(codes)) for j in range(i)}
    lines = [",".join(["code", "votes", *codes])]
    for i, code in enumerate(codes):
        cells = ["" if values[i, j] is None else f"{values[i, j]:.3f}" for j in range(i)]
        lines.append(",".join([code, str(i), *cells]))
    m = parse("\n".join(lines) + "\n")
    for (i, j), v in values.items():
        assert m.value(codes[i], codes[j]) == m.value(codes[j], codes[i]) == v


CONV_HEADER = "code,lowy_posts,lowy_embassies,pax_agreements,pax_processes,pax_agreements_2010,pax_hosted\n"


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("NOR,91,74,many,13,17,16", "row NOR, pax_agreements: 'many' is not a whole number"),
        ("NOR,91,74,,13,17,16", "pax_agreements: missing required field"),
        ("NOR,91,74,50,13,17", "6 cells, expected 7"),
        ("NOR,-3,74,50,13,17,16", "lowy_posts"),
    ],
)
def test_malformed_conveners(row: str, words: str) -> None:
    with pytest.raises(DataError) as exc:
        parse_conveners(CONV_HEADER + "USA,271,168,72,33,13,8\n" + row + "\n", "c.csv")
    assert any(line.startswith("c.csv:3:") and words in line for line in str(exc.value).splitlines())


def test_conveners_keep_missing_lowy() -> None:
    out = parse_conveners(CONV_HEADER + "QAT,,,16,10,11,9\n", "c.csv")
    assert out["QAT"].lowy_posts is None and out["QAT"].pax_hosted == 9


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("curation"))
    return target


def test_validate_reports_a_bad_matrix_cell(data_copy: Path) -> None:
    path = data_copy / "alignment" / "votes-hr.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[3].split(",")
    cells[2] = "x"
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    code, _out, err = run_cli("validate", "--data", str(data_copy))
    assert code == 65, err
    assert f"{path}:4:" in err and "is not a number" in err and "Traceback" not in err


def problems_of(directory: Path) -> list[str]:
    from coalesce.validation import run_validation

    _, found = run_validation(directory, [])
    return [str(p) for p in found]


def test_validate_reports_bloc_table_errors(data_copy: Path) -> None:
    path = data_copy / "blocs.yaml"
    text = path.read_text(encoding="utf-8")
    g20 = "forum: G20\n        name: Group of Twenty\n        seat: "
    text = text.replace(g20 + "member", g20 + "participant")
    text = text.replace("issue: imf-quota-reform", "issue: imf-quota-reforms")
    path.write_text(text, encoding="utf-8")
    lines = problems_of(data_copy)
    assert any(
        "forums[G20].seat: 'participant', but groupings list EU as a member of G20" in x for x in lines
    )
    assert any("unknown issue 'imf-quota-reforms'" in x for x in lines)
    assert all(re.match(r"^\S+blocs\.yaml:\d+:\d+: ", x) for x in lines), lines


def test_validate_reports_a_bad_manifest(data_copy: Path) -> None:
    path = data_copy / "alignment" / "alignment.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("min_shared: 20", "min_shared: 0"), encoding="utf-8")
    assert any(re.search(r"alignment\.yaml:\d+:\d+: votes\.min_shared", x) for x in problems_of(data_copy))
    path.write_text(original.replace("source: cow-igo-v3", "source: cow-igo-v9"), encoding="utf-8")
    assert any(
        re.search(r"alignment\.yaml:\d+:\d+: igo\.source: unknown source 'cow-igo-v9'", x)
        for x in problems_of(data_copy)
    )
    (data_copy / "alignment" / "conveners.csv").unlink()
    assert any("conveners.csv:0:0: file not found" in x for x in problems_of(data_copy))


def test_every_shipped_issue_has_alignment_links(shipped, dataset) -> None:  # type: ignore[no-untyped-def]
    links = shipped.manifest.issues
    assert set(links) == set(dataset.issues)
    assert links["nuclear-fuel-security"].categories == ["nu"]
    assert "NSG" in links["nuclear-fuel-security"].regimes
    assert links["anti-money-laundering"].regimes == ["FATF"]


def test_validate_reports_bad_issue_links(data_copy: Path) -> None:
    path = data_copy / "alignment" / "alignment.yaml"
    text = path.read_text(encoding="utf-8").replace("regimes: [FATF]", "regimes: [FATF, Egmont]")
    path.write_text(text.replace("  digital-trade:\n", "  digital-trades:\n"), encoding="utf-8")
    lines = problems_of(data_copy)
    assert any(
        re.search(
            r"alignment\.yaml:\d+:\d+: issues\.anti-money-laundering\.regimes: unknown grouping 'Egmont'", x
        )
        for x in lines
    )
    assert any(re.search(r"alignment\.yaml:\d+:\d+: issues\.digital-trades: unknown issue", x) for x in lines)


@needs(VOTES, ROLL_CALLS, ISSUES, LOWY, PAX, IGO, IDEAL)
def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    """Each derive script run again on the raw files writes exactly the shipped file."""
    scripts = ROOT / "scripts"
    runs = [
        [
            "derive_vote_agreement.py",
            "--votes", str(VOTES), "--roll-calls", str(ROLL_CALLS), "--issues", str(ISSUES),
            "--out", str(tmp_path),
        ],
        ["derive_conveners.py", "--lowy", str(LOWY), "--pax", str(PAX), "--out", str(tmp_path / "conveners.csv")],
        [
            "derive_igo_overlap.py",
            "--igo", str(IGO), "--ideal-points", str(IDEAL), "--out", str(tmp_path / "igo-shared.csv"),
        ],
    ]  # fmt: skip
    for args in runs:
        proc = subprocess.run(
            [sys.executable, str(scripts / args[0]), *args[1:]], capture_output=True, text=True, timeout=300
        )
        assert proc.returncode == 0, proc.stderr
    shipped_files = sorted(p.name for p in ALIGN.glob("*.csv"))
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == shipped_files
    for name in shipped_files:
        assert (tmp_path / name).read_bytes() == (ALIGN / name).read_bytes(), name


def test_validate_reports_a_bad_signature_reference(data_copy: Path) -> None:
    path = data_copy / "signatures.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("sources: [sig-govuk-seoul-2024,", "sources: [sig-govuk-seoul-2042,", 1)
    text = text.replace("initiator: KOR", "initiator: XKR", 1)
    path.write_text(text, encoding="utf-8")
    code, _out, err = run_cli("validate", "--data", str(data_copy))
    assert code == 65, err
    lines = [x for x in err.splitlines() if "signatures.yaml" in x]
    assert any("unknown source 'sig-govuk-seoul-2042'" in x for x in lines), err
    assert any("initiator" in x and "XKR" in x for x in lines), err
    assert all(re.match(r"^\S+signatures\.yaml:\d+:\d+: ", x) for x in lines), lines
    assert "Traceback" not in err


def test_validate_reports_bad_vintage_codes_and_shares(data_copy: Path) -> None:
    path = data_copy / "case_vintage.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("AFG: 0.003067,", "AFX: 0.003067,", 1)
    text = text.replace("eu_members: [BEL, DEU,", "eu_members: [BEX, DEU,", 1)
    path.write_text(text, encoding="utf-8")
    lines = problems_of(data_copy)
    assert any("years[1970].population: unknown state 'AFX'" in x for x in lines), lines
    assert any("years[1970].eu_members: unknown state 'BEX'" in x for x in lines), lines
    assert all(re.match(r"^\S+case_vintage\.yaml:\d+:\d+: ", x) for x in lines), lines
    # the position is the offending line, not the top of the file
    assert all(not re.match(r"^\S+:(0|1):", x) for x in lines), lines


def test_validate_checks_signatures_and_vintage_when_clean() -> None:
    from coalesce.validation import run_validation

    report, found = run_validation(DATA, [])
    assert not found
    assert any(c.endswith("signatures.yaml") for c in report.checked)
    assert any(c.endswith("case_vintage.yaml") for c in report.checked)
    assert report.counts["signature decisions"] >= 5 and report.counts["vintage years"] >= 50


# The MTCR chairs' statement of 27 June 2016 (source mtcr-chairs-india-2016) names the 35 partners.
MTCR_CHAIRS_2016 = [
    "ARG",
    "AUS",
    "AUT",
    "BEL",
    "BRA",
    "BGR",
    "CAN",
    "CZE",
    "DNK",
    "FIN",
    "FRA",
    "DEU",
    "GRC",
    "HUN",
    "ISL",
    "IND",
    "ITA",
    "IRL",
    "JPN",
    "LUX",
    "NLD",
    "NZL",
    "NOR",
    "POL",
    "PRT",
    "KOR",
    "RUS",
    "ZAF",
    "ESP",
    "SWE",
    "CHE",
    "TUR",
    "UKR",
    "GBR",
    "USA",
]


def test_mtcr_partners_match_the_chairs_statement() -> None:
    import yaml

    groupings = yaml.safe_load((DATA / "curation" / "groupings.yaml").read_text(encoding="utf-8"))
    mtcr = next(g for g in groupings["groupings"] if g["id"] == "MTCR")
    assert len(MTCR_CHAIRS_2016) == 35
    assert sorted(mtcr["members"]) == sorted(MTCR_CHAIRS_2016)


def test_zangger_list_is_not_claimed_as_the_committees_own() -> None:
    import yaml

    sources = yaml.safe_load((DATA / "curation" / "sources-base.yaml").read_text(encoding="utf-8"))
    rows = sources["sources"] if isinstance(sources, dict) else sources
    zangger = next(s for s in rows if s["id"] == "zangger-members")
    assert zangger["quality"] != "primary"


def test_every_signature_decision_declares_its_alignment_link() -> None:
    """The acceptance calibration reads each decision's categories and regimes from alignment.yaml
    (`decisions:`), declared before the fit; none may be missing, none may name an unknown decision."""
    from coalesce.cases import load_signatures
    from coalesce.loading.files import load_dataset

    dataset = load_dataset()
    data = dataset.alignment()
    assert data is not None
    doc = load_signatures(dataset, dataset.directory / "signatures.yaml")
    ids = {d.id for d in doc.decisions}
    assert set(data.manifest.decisions) == ids
    groupings = {g.id for g in dataset.world.groupings}
    for link in data.manifest.decisions.values():
        assert set(link.regimes) <= groupings
        assert set(link.categories) <= set(data.manifest.votes.categories)
