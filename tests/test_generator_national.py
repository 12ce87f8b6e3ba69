"""The national (财政部/中央部门) template family of the generator (generator/national.py).

The same truths as the 昌吉 template, printed as 部门公开表1…9 in the central departments' layout
(the real example: 国家信访局 2026). Every national document the generator writes must read back
to its truth exactly (raw rows, facts, findings = the injected defects), in every format.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from generator import catalog as C
from generator.__main__ import main as generator_main
from generator.build import (
    NOT_IN_NATIONAL,
    Options,
    build_corpus,
    defect_kinds_for,
    make_defect,
    missing_table_defect,
    wrong_total_defect,
)
from generator.corpus import generate
from generator.expect import diff, expected, observed
from generator.layout import layout
from generator.national import SLOTS, TABLES, economic_lines, functional_lines
from generator.render.text import ENCODINGS, to_text
from ingest.grid import Paragraph, Table
from ingest.pipeline import parse_path
from ingest.readers.text import parse_text
from ingest.recognize import recognize
from ingest.validate import validate
from tests.conftest import cjk_font_to_embed

NATIONAL = Options(seed=20260101, defect_rate=0.4, layout_variants=True, templates=("national",))
ROOT = Path(__file__).parent.parent


def national_truths(regions=("652300", "652301", "652325"), units=2, years=(2021, 2022), opts=NATIONAL):
    return build_corpus(list(regions), units, list(years), opts)


def parse_in_memory(t, text_layout: str = "cells", encoding: str | None = None):
    text = to_text(layout(t), text_layout, thousands=t.layout.thousands)
    if encoding:  # through the bytes, as a file in that encoding would be read
        from ingest.readers.text import decode

        text = decode(text.encode(encoding))[0]
    return validate(recognize(parse_text(text, t.file_name + ".txt")))


def check(d, t) -> None:
    """Raw rows and facts equal the truth; each defect's rules fire and nothing else does."""
    problems = diff(expected(t), observed(d))
    assert not problems, (t.file_name, t.layout, problems)
    got = {f.rule_id for f in d.findings}
    for defect in t.defects:
        assert set(defect.rule_ids) <= got, (t.file_name, defect, sorted(got))
    unexpected = [(f.rule_id, f.message) for f in d.findings if f.rule_id not in t.expected_rule_ids()]
    assert not unexpected, (t.file_name, unexpected)


def tables_of(grid) -> list[tuple[list[str], Table]]:
    """Each grid table with the paragraphs printed since the previous table."""
    out, pending = [], []
    for b in grid.blocks:
        if isinstance(b, Paragraph):
            pending.append(b.text)
        else:
            out.append((pending, b))
            pending = []
    return out


# ------------------------------------------------------------------ the option


def test_default_is_the_changji_template_and_leaves_the_truth_json_as_it_was():
    assert Options().templates == ("changji",)
    t = build_corpus(["652301"], 1, [2022], Options(seed=3))[0]
    assert t.layout.template == "changji"
    assert '"template"' not in t.to_json()  # corpora written before the option: byte-identical truth files
    n = build_corpus(["652301"], 1, [2022], Options(seed=3, templates=("national",)))[0]
    assert json.loads(n.to_json())["layout"]["template"] == "national"


def test_the_template_draw_changes_no_other_draw():
    """Mixing in the national family: each unit-year is drawn changji or national, and a unit-year
    drawn changji is exactly the changji-only one (file, truth, defects)."""
    only = {
        t.file_name: t
        for t in build_corpus(
            ["652300", "652302", "652328"],
            3,
            [2021, 2022, 2023],
            Options(seed=8, defect_rate=0.3, layout_variants=True),
        )
    }
    mixed = build_corpus(
        ["652300", "652302", "652328"],
        3,
        [2021, 2022, 2023],
        Options(seed=8, defect_rate=0.3, layout_variants=True, templates=("changji", "national")),
    )
    assert {t.layout.template for t in mixed} == {"changji", "national"}
    for t in mixed:
        same = only[t.file_name]
        if t.layout.template == "changji":
            assert to_text(layout(t)) == to_text(layout(same)) and t.to_json() == same.to_json()
        else:
            assert t.total == same.total and t.three_public == same.three_public  # the same amounts
            assert t.layout.code_layout == "joined" and t.layout.yuan_table != 7


def test_unknown_or_no_template_is_refused(tmp_path, capsys):
    with pytest.raises(ValueError, match="unknown template family"):
        build_corpus(["652301"], 1, [2022], Options(templates=("beijing",)))
    with pytest.raises(ValueError, match="no template family"):
        build_corpus(["652301"], 1, [2022], Options(templates=()))
    with pytest.raises(SystemExit):
        generator_main(["--out", str(tmp_path), "--templates", "changji,beijing"])
    assert "unknown template family 'beijing'" in capsys.readouterr().err


def test_cli_writes_a_national_corpus(tmp_path, capsys):
    assert (
        generator_main(
            [
                "--out",
                str(tmp_path),
                "--regions",
                "652323",
                "--units-per-region",
                "4",
                "--years",
                "2021-2022",
                "--templates",
                "changji,national",
                "--seed",
                "4",
            ]
        )
        == 0
    )
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(tmp_path.glob("*.truth.json"))]
    families = [t["layout"].get("template", "changji") for t in truths]
    assert set(families) == {"changji", "national"}
    assert (
        f"templates changji {families.count('changji')}, national {families.count('national')}"
        in capsys.readouterr().out
    )
    national = next(
        p
        for p in sorted(tmp_path.glob("*.txt"))
        if json.loads(Path(str(p) + ".truth.json").read_text(encoding="utf-8"))["layout"].get("template")
    )
    text = national.read_text(encoding="utf-8")
    assert "部门公开表9" in text and "表七：" not in text


# ------------------------------------------------------------------ what is printed


def test_national_tables_as_the_central_template_prints_them():
    t = build_corpus(["652301"], 2, [2022], Options(seed=3, templates=("national",)))[0]
    T, Y = t.total, t.fiscal_year
    grid = layout(t)
    paragraphs = [b.text for b in grid.blocks if isinstance(b, Paragraph)]
    assert paragraphs[:2] == [
        "【模拟数据】本文件由生成器合成，用于测试，不是真实的预算公开文件。",
        f"{t.unit.name}{Y}年度部门预算",
    ]
    assert f"第二部分  {t.unit.name}部门预算表" in paragraphs
    assert not any("项目支出情况表" in p or "项目支出表" in p for p in paragraphs)  # no 昌吉 表七
    assert not any("编制部门" in p for p in paragraphs)
    tables = tables_of(grid)[:9]
    for (before, _), (no, (title, _)) in zip(tables, TABLES.items()):
        heading = before[-2:] if no in (5, 6) else before[-3:]  # 表5/表6: number and title on one line
        assert heading[0].startswith(f"部门公开表{no}") and heading[-2].endswith(title) and heading[-1] == "单位：万元"
    rows = {no: tb.rows for (_, tb), no in zip(tables, TABLES)}
    total = f"{T:.2f}"
    # 部门收支总表: numbered lines, then 本年收入合计 / 结转 / 总计
    assert rows[1][2][0] == "一、一般公共预算拨款收入" and rows[1][2][1] == total
    assert rows[1][2][2] == f"一、{C.CLASS_NAMES[next(iter(t.by_class()))]}"
    assert [r[0] for r in rows[1][-4:]] == ["本年收入合计", "使用非财政拨款结余", "上年结转", "收  入  总  计"]
    assert [r[2] for r in rows[1][-4:]] == ["本年支出合计", "结转下年", "", "支  出  总  计"]
    assert rows[1][-1] == ["收  入  总  计", total, "支  出  总  计", total]
    # 部门收入总表: one header over one line of totals, 上年结转 second, 事业收入 over 金额 / 其中：教育收费
    assert rows[2][0][:3] == ["合计", "上年结转", "一般公共预算拨款收入"] and rows[2][0][5] == "事业收入"
    assert rows[2][1][5:7] == ["金额", "其中：教育收费"] and len(rows[2]) == 3
    assert rows[2][2] == [total, "", total] + [""] * 9
    # 部门支出总表 / 一般公共预算支出表: 类, 款, 项 lines, 合计 last
    assert rows[3][0] == ["科目编码", "科目名称", "合  计", "基本支出", "项目支出"]
    assert [r[0] for r in rows[3][1:-1]] == [line[0] for line in functional_lines(t)]
    assert {len(r[0]) for r in rows[3][1:-1]} == {3, 5, 7}
    assert rows[3][-1] == ["合  计", total, f"{t.basic_total:.2f}", f"{t.project_total:.2f}"]
    assert rows[5][0] == ["功能分类科目", "", f"{Y}年预算数"] and rows[5][1][2:] == ["小  计", "基本支出", "项目支出"]
    # 财政拨款收支总表: 一、本年收入 with its fund types, 二、上年结转; 一、本年支出, 二、结转下年
    assert [r[0] for r in rows[4][2:6]] == [
        "一、本年收入",
        "（一）一般公共预算拨款",
        "（二）政府性基金预算拨款",
        "（三）国有资本经营预算拨款",
    ]
    assert any(r[0] == "二、上年结转" for r in rows[4]) and any(r[2:3] == ["二、结转下年"] for r in rows[4])
    # 一般公共预算基本支出表: economic 类 then 款, 人员经费 / 公用经费
    assert rows[6][1] == ["科目编码", "科目名称", "合  计", "人员经费", "公用经费"]
    assert rows[6][2][:2] == ["301", "工资福利支出"]
    assert [r[0] for r in rows[6][2:-1]] == [line[0] for line in economic_lines(t)]
    # the empty fund tables, 政府性基金 (部门公开表7) and 国有资本经营 (部门公开表8)
    assert rows[7][0][2] == f"{Y}年政府性基金预算支出" and rows[7][-1][0] == "合  计"
    assert rows[8][0][2] == f"{Y}年国有资本经营预算支出"
    # 财政拨款预算“三公”经费支出表 (部门公开表9)
    assert rows[9][:3] == [
        [f"{Y}年预算数"],
        ["合  计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"],
        ["", "", "小  计", "公务用车购置费", "公务用车运行费", ""],
    ]
    tp = t.three_public
    assert rows[9][3][0] == f"{tp.total:.2f}" and rows[9][3][5] == f"{tp.official_reception:.2f}"
    # a 合计 across 科目编码 and 科目名称 is merged at its start in the binary formats
    assert grid.first_cell_spans and all(grid.blocks[b].rows[r][0] == "合  计" for b, r in grid.first_cell_spans)


def test_national_lines_add_up_exactly():
    for t in national_truths():
        lines = functional_lines(t)
        leaves = [line for line in lines if len(line[0]) == 7]
        assert [(c, n, a, b, p) for c, n, a, b, p in leaves] == [
            (e.code, e.name, e.total, e.basic, e.project) for e in t.expenditure
        ]
        for code, _, total, basic, project in lines:
            under = [e for e in t.expenditure if e.code.startswith(code)]
            assert total == basic + project == sum((e.total for e in under), Decimal(0))
            assert isinstance(total, Decimal)
        econ = economic_lines(t)
        assert sum((x[2] for x in econ if len(x[0]) == 3), Decimal(0)) == t.basic_total
        assert sum((x[3] for x in econ if len(x[0]) == 3), Decimal(0)) == t.personnel_total


def test_catalogue_names_of_the_printed_classes():
    seeds = ROOT / "dbt_project" / "seeds"
    economic = {
        r["code"]: r["name"]
        for r in csv.DictReader((seeds / "economic_classification_department.csv").open(encoding="utf-8"))
    }
    for code, name in C.ECON_CLASS_NAMES.items():
        assert economic[code] == name
    assert {c[:3] for c in C.ECON_NAMES} <= set(C.ECON_CLASS_NAMES)
    assert {c[:5] for c in C.ITEM_NAMES} <= set(C.KUAN_NAMES)


# ------------------------------------------------------------------ read back (text, in memory)


TEXT_LAYOUTS = ("cells", "pipe", "spaced")


def test_national_text_documents_read_to_their_truth():
    truths = national_truths()
    assert any(t.defects for t in truths) and any(not t.defects for t in truths)
    assert {t.layout.thousands for t in truths} == {True, False} and any(t.layout.yuan_table for t in truths)
    for i, t in enumerate(truths):
        d = parse_in_memory(t, TEXT_LAYOUTS[i % 3], ENCODINGS[i % len(ENCODINGS)])
        check(d, t)
        tables = {r["table_no"]: r for r in d.table("raw_tables")}
        assert tables[7]["status"] == "not_printed"  # the template has no 表七; no DOC-TABLE-MISSING
        assert tables[2]["table_title"] == "部门收入总表" and tables[8]["table_title"] == "财政拨款预算“三公”经费支出表"


def test_national_documents_in_the_spaced_text_layout():
    # a blank line ends a table (the next 部门公开表N title is not a row of it) and a trailing U+3000
    # placeholder is an empty cell (部门收入总表's line of totals keeps its width)
    for i, t in enumerate(national_truths()):
        check(parse_in_memory(t, "spaced", ENCODINGS[i % len(ENCODINGS)]), t)


@pytest.mark.parametrize("kind", defect_kinds_for("national"))
def test_each_defect_kind_fires_exactly_its_rules_in_the_national_template(kind):
    opts = Options(seed=5, defect_rate=1.0, defect_kinds=(kind,), templates=("national",))
    for t in build_corpus(["652300", "652323"], 2, [2022], opts):
        assert [d.kind for d in t.defects] == [kind]
        check(parse_in_memory(t), t)


@pytest.mark.parametrize("table", SLOTS)
def test_missing_table_rules_in_the_national_template(table):
    t = build_corpus(["652324"], 1, [2022], Options(seed=3, templates=("national",)))[0]
    t.defects = [missing_table_defect(table)]
    d = parse_in_memory(t)
    check(d, t)
    assert [r["status"] for r in d.table("raw_tables") if r["table_no"] == table] == ["missing"]


@pytest.mark.parametrize("table", [2, 3, 6])
def test_wrong_total_rules_in_the_national_template(table):
    t = build_corpus(["652327"], 1, [2023], Options(seed=9, templates=("national",)))[0]
    t.defects = [wrong_total_defect(t, table, random.Random(table))]
    check(parse_in_memory(t), t)


def test_defects_the_national_template_cannot_show_are_not_drawn():
    """Their rules compare with what the template does not print (表七, 类 codes in 表一, a 表一 line
    named 一般公共预算): printed anyway, nothing fires, so the generator never injects them there."""
    opts = Options(seed=5, defect_rate=1.0, defect_kinds=NOT_IN_NATIONAL, templates=("national",))
    assert all(not t.defects for t in build_corpus(["652300"], 2, [2022], opts))
    t = build_corpus(["652300"], 1, [2022], Options(seed=5, templates=("national",)))[0]
    for kind in NOT_IN_NATIONAL:
        t.defects = [make_defect(kind, t, random.Random(1))]
        d = parse_in_memory(t)
        assert not set(t.defects[0].rule_ids) & {f.rule_id for f in d.findings}, kind
    with pytest.raises(ValueError, match="no 表七"):
        wrong_total_defect(t, 7, random.Random(1))


def test_the_two_templates_expect_different_rows():
    """expected() knows each template: a changji reading does not pass for a national one, nor the
    other way round (the comparison is not loosened to fit both)."""
    t = build_corpus(["652301"], 1, [2022], Options(seed=3))[0]
    n = replace(t, layout=replace(t.layout, template="national", code_layout="joined"))
    as_changji, as_national = observed(parse_in_memory(t)), observed(parse_in_memory(n))
    assert not diff(expected(t), as_changji) and not diff(expected(n), as_national)
    problems = diff(expected(n), as_changji)
    for table in (
        "raw_tables",
        "raw_budget_summary",
        "raw_income",
        "raw_expenditure",
        "raw_basic_expenditure_economic",
        "raw_project_expenditure",
    ):
        assert any(p.startswith(table + ":") for p in problems), table
    assert diff(expected(t), as_national)
    # the amounts are the truth's in both
    assert as_changji["raw_three_public"] == as_national["raw_three_public"]
    assert as_changji["raw_narrative_facts"] == as_national["raw_narrative_facts"]


# ------------------------------------------------------------------ every format (files)


def test_xlsx_sheets_are_named_after_the_national_labels(tmp_path):
    """A workbook's sheets carry 部门公开表N (not 表N counted by position, which the recognizer would
    take for the document's own 表N numbering: without the 政府性基金 table, 表七 would read 'missing')."""
    from generator.corpus import write_one

    t = build_corpus(["652302"], 1, [2022], Options(seed=2, templates=("national",), formats=("xlsx",)))[0]
    t.defects = [missing_table_defect(9)]
    pf = parse_path(write_one(t, tmp_path))
    check(pf.disclosure, t)
    from openpyxl import load_workbook

    names = load_workbook(tmp_path / f"{t.file_name}.xlsx", read_only=True).sheetnames
    assert [n for n in names if n.startswith("部门公开表")] == [f"部门公开表{n}" for n in (1, 2, 3, 4, 5, 6, 8, 9)]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["txt", "docx", "xlsx", "xls", "pdf", "pdf-embedded"])
def test_every_format_reads_national_documents_to_their_truth(fmt, tmp_path):
    """A small national-family corpus in each format, parsed from the files: every raw row and fact
    equals the truth, each injected defect is found under its rule ids, nothing else is reported."""
    embed = None
    if fmt == "pdf-embedded":
        fmt = "pdf"
        embed = cjk_font_to_embed(tmp_path)
    opts = Options(
        seed=1009,
        defect_rate=0.5,
        layout_variants=True,
        formats=(fmt,),
        templates=("national",),
        text_layouts=TEXT_LAYOUTS,
        encodings=ENCODINGS,
        embed_font=str(embed) if embed else None,
    )
    c = generate(tmp_path, ["652300", "652301"], 2, [2021, 2022], opts, skip_missing_renderers=False)
    assert len(c.files) == 8 and all(t.layout.template == "national" for t in c.truths)
    assert any(t.defects for t in c.truths) and any(not t.defects for t in c.truths)
    for t, p in zip(c.truths, c.files):
        pf = parse_path(p)
        assert pf.error is None, (p.name, pf.error)
        check(pf.disclosure, t)


def test_bench_corpora_take_the_template_mix_and_default_to_changji(tmp_path):
    from bench.gen import generate as bench_generate, options

    assert options(("pdf",)).templates == ("changji",)  # the published benchmark corpora are unchanged
    g = bench_generate(tmp_path, ("txt",), 1, [2021], limit=3, workers=1, templates=("national",))
    families = {
        json.loads(Path(f + ".truth.json").read_text(encoding="utf-8"))["layout"].get("template") for f in g["files"]
    }
    assert g["docs"] == 3 and families == {"national"}
    assert "部门公开表1" in Path(g["files"][0]).read_text(encoding="utf-8")
