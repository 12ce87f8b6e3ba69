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
    opts = Options(
        seed=1003, defect_rate=0.5, layout_variants=True, formats=(fmt,), embed_font=str(embed) if embed else None
    )
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
    assert (
        other.total != next(t for t in c.truths if t.unit.unit_id == other.unit.unit_id and t.fiscal_year == 2022).total
    )


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
    assert [(f.rule_id, f.message) for f in b.disclosure.findings] == [
        (f.rule_id, f.message) for f in a.disclosure.findings
    ]


def test_layout_variants_parse_to_the_truth():
    """Joined codes (2010301 in one cell), one table in 元 (amounts ×10000), thousands separators."""
    truths = build_corpus(
        ["652302", "652325"], 3, [2022, 2023], Options(seed=11, defect_rate=0.3, layout_variants=True)
    )
    seen = set()
    for t in truths:
        seen |= {
            t.layout.code_layout,
            "yuan" if t.layout.yuan_table else "wan",
            "thousands" if t.layout.thousands else "",
        }
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
    functional = {
        r["code"]: r["name"] for r in csv.DictReader((seeds / "functional_classification.csv").open(encoding="utf-8"))
    }
    economic = {
        r["code"]: r["name"]
        for r in csv.DictReader((seeds / "economic_classification_department.csv").open(encoding="utf-8"))
    }
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
    assert len(rows) == 80 and all(
        r["unit_id"].startswith("SYN-") and r["unit_name"].endswith("（模拟）") for r in rows
    )


def test_demo_budgets_are_the_files_of_before_the_final_accounts(tmp_path):
    """The demo set now pairs each 预算 with its 决算 (generator.execution.generate_paired); its 预算 files are
    the ones generator.corpus.generate wrote for the demo before (so the committed registry and a warehouse
    already loaded with them still match): checked on one region of the demo's plan. Text and PDF byte for
    byte; DOCX and XLSX member by member (their zip entries, and an XLSX's
    docProps/core.xml, carry the time they were written)."""
    import hashlib
    import zipfile

    from generator.demo import FINAL_MARK, OPTIONS
    from generator.execution import generate_paired

    regions, years = ["652301"], [2022]
    alone = generate(tmp_path / "alone", regions, 3, years, OPTIONS, skip_missing_renderers=False)
    paired = generate_paired(tmp_path / "paired", regions, 3, years, OPTIONS, skip_missing_renderers=False)

    stamp = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")  # openpyxl: time written

    def digest(f: Path):
        if f.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(f) as z:
                return [(i.filename, hashlib.sha256(stamp.sub(b"", z.read(i))).hexdigest()) for i in z.infolist()]
        return hashlib.sha256(f.read_bytes()).hexdigest()

    def digests(files):
        return {f.name: digest(f) for f in files}

    assert digests(paired.budgets.files) == digests(alone.files)
    assert {f.suffix for f in alone.files} >= {".docx", ".xlsx"}  # the zip formats are among them
    assert len(paired.final_files) == 3 and all(FINAL_MARK in f.name for f in paired.final_files)


def _demo_warehouse(path: Path, truth_dir: Path, inbox: Path, expected: dict, warnings: list[dict]) -> None:
    """A warehouse with what check_demo reads, holding exactly the truth's answer."""
    import duckdb

    from generator.execution import THREE_PUBLIC_ITEMS

    def sql_type(values) -> str:
        v = next((x for x in values if x is not None), "")
        return (
            "BOOLEAN"
            if isinstance(v, bool)
            else "INTEGER"
            if isinstance(v, int)
            else "DECIMAL(20,6)"
            if isinstance(v, Decimal)
            else "VARCHAR"
        )

    with duckdb.connect(str(path)) as con:
        con.execute("create schema core; create schema marts")
        con.execute("create table core.fct_document_history (source_file varchar, is_latest boolean)")
        con.executemany(
            "insert into core.fct_document_history values (?, true)", [[str(f)] for f in inbox.glob("SYNTHETIC-*")]
        )
        con.execute(
            "create table core.fct_findings (source_file varchar, rule_id varchar, fiscal_year integer, "
            "unit_id varchar, document_id varchar, location varchar)"
        )
        names = dict(THREE_PUBLIC_ITEMS)
        for t in truth_dir.glob("*.truth.json"):
            truth = json.loads(t.read_text(encoding="utf-8"))
            name = t.name.removesuffix(".truth.json")
            for rule in sorted({r for d in truth["defects"] for r in d["rule_ids"]}):
                con.execute("insert into core.fct_findings values (?, ?, null, null, null, null)", [name, rule])
        con.executemany(
            "insert into core.fct_findings values ('x', 'FA-THREE-PUBLIC-BUDGET', ?, ?, ?, ?)",
            [[w["fiscal_year"], w["unit_id"], w["document_id"], f"{names[w['item']]} 预算数"] for w in warnings],
        )
        for mart, rows in expected.items():
            cols = list(rows[0])
            con.execute(
                f"create table marts.{mart} (" + ", ".join(f"{c} {sql_type(r[c] for r in rows)}" for c in cols) + ")"
            )
            con.executemany(
                f"insert into marts.{mart} values ({', '.join('?' * len(cols))})", [[r[c] for c in cols] for r in rows]
            )


def test_check_demo_compares_the_execution_marts_and_the_three_public_warnings(tmp_path):
    """check_demo (make run's last line) against a warehouse holding the truth's rows: all equal; one cent
    off in one cell, a row no truth has, a missing or an unexpected FA-THREE-PUBLIC-BUDGET warning: each
    is counted and the check fails."""
    import shutil

    import duckdb

    from generator.demo import check_demo
    from generator.execution import expected_execution, expected_warehouse_findings, generate_paired

    truth_dir, inbox = tmp_path / "truth", tmp_path / "inbox" / "synthetic"
    opts = Options(seed=7, defect_rate=0.3, formats=("txt",))
    paired = generate_paired(truth_dir, ["652301", "652302"], 2, [2022, 2023], opts, final_defect_rate=0.5)
    inbox.mkdir(parents=True)
    for f in paired.files:
        shutil.move(str(f), inbox / f.name)
    shutil.copytree(inbox, tmp_path / "with-files")  # the expected answer, its document ids from the files
    for t in truth_dir.glob("*.truth.json"):
        shutil.copy(t, tmp_path / "with-files" / t.name)
    expected = expected_execution(tmp_path / "with-files")
    warnings = expected_warehouse_findings(tmp_path / "with-files")
    assert warnings and all(
        r["budget_document_id"] for r in expected["mart_three_public_execution"] if r["budget_wan_yuan"] is not None
    )
    warehouse = tmp_path / "warehouse.duckdb"
    _demo_warehouse(warehouse, truth_dir, inbox, expected, warnings)

    good = check_demo(warehouse, truth_dir)  # the inbox beside the warehouse: inbox/synthetic
    rows = sum(len(v) for v in expected.values())
    assert good.ok, good.line()
    assert (good.execution_equal, good.execution_rows) == (rows, rows)
    assert (good.warnings_found, good.warnings_expected, good.warnings_extra) == (len(warnings), len(warnings), 0)
    assert f"execution marts {rows}/{rows} rows equal to the truth" in good.line()
    assert f"FA-THREE-PUBLIC-BUDGET warnings {len(warnings)}/{len(warnings)}" in good.line()

    with duckdb.connect(str(warehouse)) as con:
        con.execute("""update marts.mart_budget_execution_regional set final_wan_yuan = final_wan_yuan + 0.01
                       where (fiscal_year, region_code, scope, functional_item_code) = (
                         select (fiscal_year, region_code, scope, functional_item_code)
                         from marts.mart_budget_execution_regional where final_wan_yuan is not null limit 1)""")
        con.execute(
            "insert into marts.mart_three_public_execution (fiscal_year, unit_id, region_code, item) "
            "values (2024, 'SYN-652301-001', '652301', 'total')"
        )
        w = warnings[0]
        con.execute(
            "delete from core.fct_findings where rule_id = 'FA-THREE-PUBLIC-BUDGET' and document_id = ? "
            "and location like ?",
            [w["document_id"], "%"],
        )
        con.execute(
            "insert into core.fct_findings values ('x', 'FA-THREE-PUBLIC-BUDGET', 2023, 'SYN-652302-001', "
            "'not-a-document', '合计 预算数')"
        )
    bad = check_demo(warehouse, truth_dir)
    assert not bad.ok
    assert bad.execution_equal == rows - 1 and bad.execution_extra == 1
    assert [(m, c) for m, _, c, _, _ in bad.execution_wrong] == [("mart_budget_execution_regional", "final_wan_yuan")]
    removed = sum(1 for x in warnings if x["document_id"] == w["document_id"])
    assert bad.warnings_found == len(warnings) - removed and bad.warnings_extra == 1
    assert "1 rows no truth has" in bad.line() and "final_wan_yuan" in bad.line()
