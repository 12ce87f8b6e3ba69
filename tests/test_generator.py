"""The generator of synthetic disclosures: every file parses back to its ground truth exactly, every
injected defect is reported under its rule ids and nothing else is, and the output is deterministic."""
from __future__ import annotations

import csv
import json
import random
import re
from decimal import Decimal
from pathlib import Path

import pytest

from generator.build import DEFECT_KINDS, Options, build_corpus, missing_table_defect, wrong_total_defect
from generator.corpus import REGISTRY_COLUMNS, REGISTRY_NAME, generate, registry_rows
from generator.expect import diff, expected, observed
from generator.layout import layout
from generator.render.text import render_text, to_text
from ingest.pipeline import parse_path
from ingest.readers import read_document
from ingest.readers.text import parse_text
from ingest.recognize import recognize
from ingest.validate import validate
from tests.conftest import cjk_font_to_embed

REGIONS = ["652300", "652301", "652328"]
YEARS = [2021, 2022]
OPTS = Options(seed=20240601, defect_rate=0.3)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic")
    c = generate(out, REGIONS, 3, YEARS, OPTS)
    parsed = {p.name: parse_path(p) for p in c.files}
    return c, parsed


def truth_of(path: Path) -> dict:
    return json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))


def parse_in_memory(t) -> object:
    text = to_text(layout(t), "cells", thousands=t.layout.thousands)
    return validate(recognize(parse_text(text, t.file_name + ".txt")))


def check_findings(d, t) -> None:
    """Each defect's rule ids are reported; no other rule reports anything (info included)."""
    got = {f.rule_id for f in d.findings}
    for defect in t.defects:
        assert set(defect.rule_ids) <= got, (t.file_name, defect, sorted(got))
    unexpected = [f for f in d.findings if f.rule_id not in t.expected_rule_ids()]
    assert not unexpected, (t.file_name, [(f.rule_id, f.severity, f.message) for f in unexpected])


# ------------------------------------------------------------------ the corpus


def test_corpus_shape_and_markers(corpus):
    c, parsed = corpus
    assert len(c.files) == len(REGIONS) * 3 * len(YEARS) and not c.skipped
    for p in c.files:
        assert p.name.startswith("SYNTHETIC-") and re.fullmatch(r"SYNTHETIC-\d{6}-\d{3}-\d{4}\.txt", p.name)
        t = truth_of(p)
        assert t["synthetic"] is True and t["unit"]["name"].endswith("（模拟）")
        assert all(a.endswith("（模拟）") for a in t["unit"]["aliases"])
        assert "【模拟数据】" in p.read_text(encoding="utf-8")
    assert any(t.defects for t in c.truths) and any(not t.defects for t in c.truths)


def test_every_file_parses_to_its_truth(corpus):
    c, parsed = corpus
    for t, p in zip(c.truths, c.files):
        pf = parsed[p.name]
        assert pf.error is None, (p.name, pf.error)
        problems = diff(expected(t), observed(pf.disclosure))
        assert not problems, (p.name, problems)


def test_truth_json_holds_every_amount_as_a_string(corpus):
    c, _ = corpus
    t, p = c.truths[0], c.files[0]
    j = truth_of(p)
    assert j["fiscal_year"] == t.fiscal_year and j["unit"]["unit_id"] == t.unit.unit_id
    assert [r["code"] for r in j["expenditure"]] == [r.code for r in t.expenditure]
    assert Decimal(j["expenditure"][0]["total"]) == t.expenditure[0].total
    assert {f["fact_key"] for f in j["facts"]} >= {"budget.total", "three_public.change.total", "project.amount"}
    assert j["expected_rule_ids"] == sorted(t.expected_rule_ids())


def test_findings_are_exactly_the_injected_defects(corpus):
    c, parsed = corpus
    for t, p in zip(c.truths, c.files):
        check_findings(parsed[p.name].disclosure, t)
    clean = [parsed[p.name].disclosure for t, p in zip(c.truths, c.files) if not t.defects]
    assert clean and all(not d.findings for d in clean)


@pytest.mark.parametrize("fmt", ["txt", "docx", "xlsx", "pdf", "pdf-embedded"])
def test_every_format_reads_clean_documents_clean_and_finds_every_injected_defect(fmt, tmp_path):
    """The demo's promise per format (fresh-machine issue): zero findings on clean generated
    documents, every injected defect found under its rule ids, nothing else reported.
    pdf-embedded: half the PDFs embed a CJK TrueType font (the host's, else a box-glyph font)."""
    embed = None
    if fmt == "pdf-embedded":
        fmt = "pdf"
        embed = cjk_font_to_embed(tmp_path)
    opts = Options(seed=1003, defect_rate=0.5, layout_variants=True, formats=(fmt,),
                   embed_font=str(embed) if embed else None)
    c = generate(tmp_path, ["652300", "652301"], 2, YEARS, opts, skip_missing_renderers=False)
    assert any(t.defects for t in c.truths) and any(not t.defects for t in c.truths)
    if embed:
        assert {bool(t.layout.pdf_font) for t in c.truths} == {True, False}  # both kinds in one corpus
    for t, p in zip(c.truths, c.files):
        pf = parse_path(p)
        assert pf.error is None, (p.name, pf.error)
        assert not diff(expected(t), observed(pf.disclosure)), p.name
        check_findings(pf.disclosure, t)


def test_tables_add_up_by_construction(corpus):
    c, _ = corpus
    for t in c.truths:
        assert t.total == sum(t.by_class().values())
        assert t.basic_total == t.personnel_total + t.public_use_total  # 表六 = 表三 基本支出
        assert t.project_total == sum(p.amount for p in t.projects)  # 表七 = 表三 项目支出
        for code in {p.code for p in t.projects}:
            row = next(r for r in t.expenditure if r.code == code)
            assert row.project == sum(p.amount for p in t.projects if p.code == code)
        tp = t.three_public
        assert tp.official_reception == t.econ("30217") and tp.vehicle_operation == t.econ("30231")
        pr = t.procurement
        assert pr.small_micro_reserved <= pr.sme_reserved <= pr.total
        for p in t.projects:
            cost = next(i for i in p.indicators if i.level2 == "成本指标")
            assert cost.number == p.amount and sum(p.columns.values()) == p.amount


def test_consecutive_years_state_exact_changes(corpus):
    """三公: the stated change = this year's 表八 total − last year's (per part too); staff likewise."""
    c, parsed = corpus
    by_unit: dict[str, dict[int, tuple]] = {}
    for t, p in zip(c.truths, c.files):
        by_unit.setdefault(t.unit.unit_id, {})[t.fiscal_year] = (t, parsed[p.name].disclosure)
    checked = 0
    for years in by_unit.values():
        (t1, d1), (t2, d2) = years[2021], years[2022]
        kinds = {x.kind for x in t2.defects} | {x.kind for x in t1.defects}
        tp1 = d1.table("raw_three_public")
        tp2 = d2.table("raw_three_public")
        if tp1 and tp2:
            stated = d2.fact("three_public.change.total")["value"]
            assert stated == tp2[0]["total_wan_yuan"] - tp1[0]["total_wan_yuan"]
            if "three_public_change" not in kinds and "three_public_part" not in kinds:
                for part in ("overseas_travel", "vehicle_operation", "official_reception"):
                    f = d2.fact(f"three_public.change.{part}")
                    assert f["value"] == tp2[0][f"{part}_wan_yuan"] - tp1[0][f"{part}_wan_yuan"]
            checked += 1
        p1, p2 = d1.table("raw_unit_profile")[0], d2.table("raw_unit_profile")[0]
        assert p2["in_service_change"] == p2["in_service_staff"] - p1["in_service_staff"]
        assert p2["retired_change"] == p2["retired_staff"] - p1["retired_staff"]
        codes1, codes2 = {r.code for r in t1.expenditure}, {r.code for r in t2.expenditure}
        assert len(codes1 & codes2) >= len(codes1) - 1  # mostly the same codes
        assert abs(t2.total - t1.total) / t1.total < Decimal("0.5")  # plausible drift
    assert checked >= 6


def test_registry(corpus):
    c, _ = corpus
    with (c.out / REGISTRY_NAME).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == REGISTRY_COLUMNS
    assert rows == registry_rows(c.truths)
    assert len(rows) == len(REGIONS) * 3
    assert all(re.fullmatch(r"SYN-\d{6}-\d{3}", r["unit_id"]) and r["unit_name"].endswith("（模拟）") for r in rows)
    assert {r["region_code"] for r in rows} == set(REGIONS)


# ------------------------------------------------------------------ determinism, encodings, layouts


def test_same_seed_gives_byte_identical_files(corpus, tmp_path):
    c, _ = corpus
    again = generate(tmp_path, REGIONS, 3, YEARS, OPTS)
    for a, b in zip(c.files, again.files):
        assert a.name == b.name and a.read_bytes() == b.read_bytes()
        assert Path(str(a) + ".truth.json").read_bytes() == Path(str(b) + ".truth.json").read_bytes()
    assert (c.out / REGISTRY_NAME).read_bytes() == (tmp_path / REGISTRY_NAME).read_bytes()
    other = build_corpus(REGIONS[:1], 1, [2022], Options(seed=OPTS.seed + 1))[0]
    assert other.total != next(t for t in c.truths if t.unit.unit_id == other.unit.unit_id
                               and t.fiscal_year == 2022).total


def test_a_unit_year_does_not_depend_on_the_range_asked(corpus):
    c, _ = corpus
    for t in build_corpus(["652301"], 3, [2022], OPTS):
        assert to_text(layout(t)) == (c.out / f"{t.file_name}.txt").read_text(encoding="utf-8")


def test_cells_layout_round_trips_exactly(corpus, tmp_path):
    c, _ = corpus
    t = c.truths[0]
    grid = layout(t)
    path = render_text(grid, tmp_path / "x.txt")
    back = read_document(path)
    assert back.blocks == grid.blocks


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_encodings_parse_identically(corpus, tmp_path, encoding):
    c, parsed = corpus
    t, p = next((t, p) for t, p in zip(c.truths, c.files) if t.defects)
    other = render_text(layout(t), tmp_path / f"{p.stem}.txt", encoding=encoding)
    assert other.read_bytes() != p.read_bytes()
    a, b = parsed[p.name], parse_path(other)
    assert b.encoding == encoding
    assert observed(b.disclosure) == observed(a.disclosure)
    assert [(f.rule_id, f.message) for f in b.disclosure.findings] == [(f.rule_id, f.message) for f in a.disclosure.findings]


def test_layout_variants_parse_to_the_truth():
    """Joined codes (2010301 in one cell), one table in 元 (amounts ×10000), thousands separators."""
    truths = build_corpus(["652302", "652325"], 3, [2022, 2023], Options(seed=11, defect_rate=0.3, layout_variants=True))
    seen = set()
    for t in truths:
        seen |= {t.layout.code_layout, "yuan" if t.layout.yuan_table else "wan", "thousands" if t.layout.thousands else ""}
        d = parse_in_memory(t)
        assert not diff(expected(t), observed(d)), (t.file_name, t.layout, diff(expected(t), observed(d)))
        check_findings(d, t)
    assert {"split", "joined", "yuan", "thousands"} <= seen


def test_pipe_and_spaced_layouts_write_one_row_per_line(corpus):
    c, _ = corpus
    grid = layout(c.truths[0])
    tables = [b for b in grid.blocks if hasattr(b, "rows")]
    pipe = to_text(grid, "pipe").splitlines()
    rows = [line[1:-1].split("|") for line in pipe if line.startswith("|")]
    assert rows == [r for tb in tables for r in tb.rows]
    spaced = to_text(grid, "spaced").splitlines()
    t3 = next(tb for tb in tables if any("支出预算" in c for c in tb.rows[0]))
    first = "  ".join(c or "\u3000" for c in t3.rows[-1]).replace("合  计", "合 计")
    assert first in spaced
    line = next(line for line in spaced if line.startswith("\u3000") and "合 计" in line)
    assert [x.strip("\u3000") for x in re.split(r" {2,}", line)][:4] == ["", "", "", "合 计"]


def test_thousands_separators():
    from generator.render.text import group_thousands

    assert group_thousands("16745.59") == "16,745.59"
    assert group_thousands("999.5") == "999.5" and group_thousands("1234567") == "1,234,567"


# ------------------------------------------------------------------ the defect catalogue


@pytest.mark.parametrize("kind", DEFECT_KINDS)
def test_each_defect_kind_fires_exactly_its_rules(kind):
    truths = build_corpus(["652300", "652323"], 2, [2022], Options(seed=5, defect_rate=1.0, defect_kinds=(kind,)))
    for t in truths:
        assert [d.kind for d in t.defects] == [kind]
        d = parse_in_memory(t)
        check_findings(d, t)
        assert not diff(expected(t), observed(d)), diff(expected(t), observed(d))


@pytest.mark.parametrize("table", range(1, 10))
def test_missing_table_rules(table):
    t = build_corpus(["652324"], 1, [2022], Options(seed=3))[0]
    t.defects = [missing_table_defect(table)]
    d = parse_in_memory(t)
    check_findings(d, t)
    assert [r["status"] for r in d.table("raw_tables") if r["table_no"] == table] == ["missing"]


@pytest.mark.parametrize("table", [2, 3, 6, 7])
def test_wrong_total_rules(table):
    t = build_corpus(["652327"], 1, [2023], Options(seed=9))[0]
    t.defects = [wrong_total_defect(t, table, random.Random(table))]
    d = parse_in_memory(t)
    check_findings(d, t)
    assert not diff(expected(t), observed(d))


def test_codes_come_from_the_reference_lists():
    """Every functional 项 sits in a 类 of the reference list (and agrees with it where the list has the 项);
    every economic code is in the department economic list with the same name."""
    from generator import catalog as C

    seeds = Path(__file__).parent.parent / "dbt_project" / "seeds"
    functional = {r["code"]: r["name"] for r in csv.DictReader((seeds / "functional_classification.csv").open(encoding="utf-8"))}
    economic = {r["code"]: r["name"] for r in csv.DictReader((seeds / "economic_classification_department.csv").open(encoding="utf-8"))}
    for code, name in C.ITEM_NAMES.items():
        assert code[:3] in functional and code[:3] in C.REFERENCE_CLASSES, code
        assert functional.get(code, name) == name, (code, name, functional[code])
    for code, name in C.ECON_NAMES.items():
        assert economic[code] == name, code
    for a in C.ARCHETYPES:
        for p in a.projects:
            assert p.code in C.ITEM_NAMES and p.code[:5] in C.KUAN_NAMES


def test_committed_demo_registry_matches_the_demo_set():
    """dbt's synthetic_unit_registry seed is what generator.demo produces (so demo units resolve)."""
    from generator.demo import REGISTRY_SEED, registry

    assert REGISTRY_SEED.read_text(encoding="utf-8") == registry()
    rows = list(csv.DictReader(REGISTRY_SEED.open(encoding="utf-8")))
    assert len(rows) == 80 and all(r["unit_id"].startswith("SYN-") and r["unit_name"].endswith("（模拟）") for r in rows)
