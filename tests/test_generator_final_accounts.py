"""Generated 决算 (final accounts) paired with their 预算 (generator/final_accounts.py, final_layout.py,
final_expect.py, execution.py; issue 13).

Every generated 决算 must read back to its truth — the nine table kinds, the key figures of
FINAL_FIGURES, the 情况说明's facts and the amount cells of 支出决算表 / 一般公共预算财政拨款支出决算表 /
基本支出决算表 / “三公” table to the fen — with no finding but the injected defects' FA-* rules, in every
text layout and encoding (here, in memory) and in every file format (the slow test, from the files).
`expected_execution` gives the rows of the execution marts of the lead's contract; its tests check
the rows against the truths they come from, computed another way.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from generator.__main__ import main as generator_main
from generator.build import Options, build_corpus
from generator.execution import MARTS, expected_execution, expected_warehouse_findings, generate_paired
from generator.final_accounts import (
    FINAL_DEFECT_KINDS,
    FinalAccountsTruth,
    build_final,
    final_from_json,
    load_truth,
    make_final_defect,
    _rng,
)
from generator.final_expect import KINDS, diff_final, expected_final, observed_final
from generator.final_layout import TITLES, final_layout
from generator.render.text import ENCODINGS, LAYOUTS, to_text
from generator.truth import LayoutVariant
from ingest.grid import Paragraph
from ingest.pipeline import parse_path
from ingest.readers.text import decode, parse_text
from ingest.recognize import recognize
from ingest.recognize.final_accounts import FINAL_FIGURES, FinalDisclosure
from ingest.validate import validate
from tests.conftest import cjk_font_to_embed

SEED = 20240701
REAL = (
    Path(__file__).parent.parent.parent
    / "shared"
    / "real-disclosures"
    / "final-accounts"
    / "cn-guojia-xinfangju-2024-juesuan.pdf"
)


def budgets(regions=("652300", "652301", "652325"), units=3, years=(2022, 2023), templates=("changji", "national")):
    return build_corpus(list(regions), units, list(years), Options(seed=SEED, templates=templates))


def finals(rate: float = 0.0, **kw) -> list[FinalAccountsTruth]:
    return [build_final(b, SEED, defect_rate=rate) for b in budgets(**kw)]


def parse_in_memory(t: FinalAccountsTruth, text_layout: str = "cells", encoding: str | None = None):
    text = to_text(final_layout(t), text_layout)
    if encoding:
        text = decode(text.encode(encoding))[0]
    return validate(recognize(parse_text(text, t.file_name + ".txt")))


def check(d, t: FinalAccountsTruth) -> None:
    """Kinds, figures, facts and cells equal the truth; each defect's rules fire and nothing else does."""
    assert isinstance(d, FinalDisclosure), (t.file_name, type(d))
    problems = diff_final(expected_final(t), observed_final(d))
    assert not problems, (t.file_name, t.layout, problems[:10])
    got = {f.rule_id for f in d.findings}
    for defect in t.defects:
        assert set(defect.rule_ids) <= got, (t.file_name, defect, sorted(got))
    unexpected = [(f.rule_id, f.severity, f.message) for f in d.findings if f.rule_id not in t.expected_rule_ids()]
    assert not unexpected, (t.file_name, unexpected)


def with_defect(t: FinalAccountsTruth, kind: str) -> FinalAccountsTruth:
    d = make_final_defect(kind, t, _rng("test", kind, t.file_name))
    assert d is not None, (kind, t.file_name)
    return replace(t, defects=[d], facts=[])


# ------------------------------------------------------------------ the truth


def test_every_identity_holds_and_both_one_sided_cases_occur():
    fs = finals(units=4)
    for t in fs:
        t.check()
        assert t.expenditure_total + t.end_total == t.income_total + t.begin_total == t.total
        assert t.gb_total + t.appropriation_end == t.appropriation_income + t.appropriation_begin
        assert t.personnel_total + t.public_use_total == t.gb_basic_total
        assert t.three_public_final.official_reception == t.econ("30217")
        assert t.three_public_final.vehicle_operation == t.econ("30231")
        for x in t.lines:  # exact to the fen
            assert all(v == v.quantize(Decimal("0.01")) for v in (x.basic, x.project, x.gb_basic, x.gb_project))
    unspent = [x for t in fs for x in t.lines if x.budget is not None and not x.total]
    unbudgeted = [x for t in fs for x in t.lines if x.budget is None and x.total]
    assert unspent and unbudgeted
    assert any(t.other_income for t in fs) and any(
        not t.other_income for t in fs
    )  # 支出决算表 ≠ 一般公共预算 sometimes
    assert any(x.total > x.budget for t in fs for x in t.lines if x.budget and x.total)  # over and under budget
    assert any(x.total < x.budget for t in fs for x in t.lines if x.budget and x.total)
    assert any(t.three_public_final.total > t.three_public_budget.total for t in fs)


def test_the_three_public_budget_is_the_budgets_and_the_years_are_the_same():
    for b in budgets(units=2):
        t = build_final(b, SEED)
        assert (t.unit, t.fiscal_year, t.budget_file) == (b.unit, b.fiscal_year, b.file_name)
        assert t.budget_total == b.total
        for item in ("overseas_travel", "vehicle_purchase", "vehicle_operation", "official_reception"):
            same = getattr(t.three_public_budget, item) == getattr(b.three_public, item)
            assert same == (item not in t.three_public_adjusted), (t.file_name, item)
        assert {x.code: x.budget for x in t.lines if x.budget is not None} == {e.code: e.total for e in b.expenditure}
        assert t.file_name == b.file_name + "-juesuan" and t.signed.startswith(str(b.fiscal_year + 1))


def test_the_same_seed_gives_the_same_final_accounts():
    b = budgets(units=1)[0]
    assert build_final(b, SEED).to_json() == build_final(b, SEED).to_json()
    assert build_final(b, SEED).to_json() != build_final(b, SEED + 1).to_json()


def test_the_truth_json_reads_back():
    for t in finals(rate=0.8, units=2):
        final_layout(t)  # fills the facts
        back = final_from_json(json.loads(t.to_json()))
        assert back.to_json() == t.to_json()
        assert expected_final(back) == expected_final(t)


# ------------------------------------------------------------------ what is printed


def test_the_nine_tables_as_the_central_template_prints_them():
    t = finals(units=1)[0]
    grid = final_layout(t)
    paragraphs = [b.text for b in grid.blocks if isinstance(b, Paragraph)]
    for no, title in TITLES.items():
        k = paragraphs.index(title)
        assert paragraphs[k + 1 : k + 3] == [f"公开{no:02d}表", f"部门：{t.unit.name} 金额单位：万元"]
    assert paragraphs[1:3] == [t.unit.name, f"{t.fiscal_year}年度部门决算"]
    assert f"第三部分  {t.unit.name}{t.fiscal_year}年度部门决算情况说明" in paragraphs


@pytest.mark.slow
@pytest.mark.skipif(not REAL.exists(), reason="the real 决算 is not in ../shared")
def test_the_generated_kinds_are_the_real_central_files():
    """The real 国家信访局 2024 决算 and a generated one give the same nine kinds in the same order."""
    real = parse_path(REAL).disclosure
    assert [k.kind for k in real.final.tables][:9] == KINDS
    assert observed_final(parse_in_memory(finals(units=1)[0]))["kinds"] == KINDS


# ------------------------------------------------------------------ read back


@pytest.mark.parametrize("text_layout", LAYOUTS)
def test_every_generated_final_accounts_reads_to_its_truth(text_layout):
    fs = finals(rate=0.5)
    assert any(t.defects for t in fs) and any(not t.defects for t in fs)
    for t in fs:
        check(parse_in_memory(t, text_layout), t)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_in_every_encoding(encoding):
    for t in finals(units=1):
        check(parse_in_memory(t, "cells", encoding), t)


def test_thousands_separators_read_the_same():
    for t in finals(units=1):
        t.layout = replace(t.layout, thousands=not t.layout.thousands)
        check(parse_in_memory(t), t)


@pytest.mark.parametrize("table_no", [1, 3, 4, 5, 6, 9])
def test_a_table_printed_in_yuan_reads_the_same(table_no):
    """District templates print some tables in 元 (金额单位：元): the rules compare them in 万元 with the
    other tables and the 情况说明 (no FA-CROSS / FA-NARRATIVE for the unit alone), the cells reach the lake
    in 万元, and a defect still fires its rules."""
    for t in finals(rate=0.5, units=2):
        t.layout = replace(t.layout, yuan_table=table_no)
        grid = final_layout(t)
        text = "".join(b.text for b in grid.blocks if isinstance(b, Paragraph))
        assert "金额单位：元" in text and text.count("金额单位：万元") == len(TITLES) - 1
        check(parse_in_memory(t), t)


@pytest.mark.parametrize("text_layout", LAYOUTS)
def test_codes_split_over_class_section_and_item_cells(text_layout):
    """The 上海 区 决算 print 类 | 款 | 项 cells (and 类 款 项 合计 on the total line) and say 收入支出总计 and
    财政拨款收入支出总计: the same truth reads the same."""
    for t in finals(rate=0.5, units=2):
        t.layout = replace(t.layout, code_layout="split")
        grid = final_layout(t)
        assert ["类", "款", "项", "合计"] in [
            r[:4] for b in grid.blocks if not isinstance(b, Paragraph) for r in b.rows
        ]
        text = "".join(b.text for b in grid.blocks if isinstance(b, Paragraph))
        assert "年度收入支出总计" in text and "财政拨款收入支出总计" in text and "收、支总计" not in text
        check(parse_in_memory(t, text_layout), t)


@pytest.mark.parametrize("kind", sorted(FINAL_DEFECT_KINDS))
def test_each_defect_kind_fires_exactly_its_rules(kind):
    for t in finals(units=2, regions=("652300", "652301")):
        t = with_defect(t, kind)
        d = parse_in_memory(t, "pipe")
        check(d, t)
        assert {f.rule_id for f in d.findings if f.severity == "error"} == set(FINAL_DEFECT_KINDS[kind])


def test_a_clean_final_accounts_has_no_finding_at_all():
    for t in finals(units=2):
        assert parse_in_memory(t).findings == []


def test_every_key_figure_is_printed_and_read():
    t = finals(units=1)[0]
    read = observed_final(parse_in_memory(t))["figures"]
    blank = {
        f"final_{k}"
        for k, v in (
            ("three_public_outbound", t.three_public_final.overseas_travel),
            ("three_public_vehicle_purchase", t.three_public_final.vehicle_purchase),
            ("three_public_vehicle_total", t.three_public_final.vehicle_total),
            ("three_public_vehicle_operation", t.three_public_final.vehicle_operation),
            ("three_public_reception", t.three_public_final.official_reception),
            ("carry_forward_begin", t.begin_total),
            ("carry_forward_end", t.end_total),
            ("expenditure_table_project", t.project_total),
        )
        if not v
    }
    no_form = {k for k in FINAL_FIGURES if k.startswith("final_evaluation_")}  # no 项目绩效自评表 is generated
    assert no_form and set(read) == set(FINAL_FIGURES) - blank - no_form


# ------------------------------------------------------------------ the paired corpus and the marts


def test_cli_writes_budgets_and_their_final_accounts(tmp_path, capsys):
    assert (
        generator_main(
            [
                "--out",
                str(tmp_path),
                "--regions",
                "652323",
                "--units-per-region",
                "2",
                "--years",
                "2022-2023",
                "--with-final-accounts",
                "--final-defect-rate",
                "1",
                "--seed",
                "5",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "wrote 4 决算 files paired with their 预算" in out and "4 with defects" in out
    budget_files = sorted(p for p in tmp_path.glob("SYNTHETIC-*.txt") if "juesuan" not in p.name)
    final_files = sorted(tmp_path.glob("SYNTHETIC-*-juesuan.txt"))
    assert [p.name.replace("-juesuan", "") for p in final_files] == [p.name for p in budget_files]
    for p in final_files:
        t = load_truth(p.with_name(p.name + ".truth.json"))
        assert isinstance(t, FinalAccountsTruth) and t.defects
        check(parse_path(p).disclosure, t)


@pytest.fixture(scope="module")
def paired(tmp_path_factory):
    opts = Options(seed=SEED, defect_rate=0.3, templates=("changji", "national"), layout_variants=True)
    return generate_paired(
        tmp_path_factory.mktemp("paired"), ["652300", "652301", "652302"], 3, [2022, 2023], opts, final_defect_rate=0.3
    )


def test_expected_execution_from_the_corpus_or_its_folder_is_the_same(paired):
    from_corpus, from_folder = expected_execution(paired), expected_execution(paired.out)
    assert from_corpus == from_folder
    assert set(from_corpus) == set(MARTS)
    rows = from_corpus["mart_budget_execution"]
    assert all(
        r["budget_document_id"] and r["final_document_id"]
        for r in rows
        if r["initial_budget_wan_yuan"] is not None and r["final_wan_yuan"] is not None
    )


def test_the_expected_rows_as_json_from_the_command_line(paired, tmp_path, capsys):
    from generator.execution import main

    assert main([str(paired.out), "--out", str(tmp_path / "expected.json")]) == 0
    data = json.loads((tmp_path / "expected.json").read_text(encoding="utf-8"))
    marts = expected_execution(paired)
    assert {k: len(v) for k, v in data.items()} == {k: len(v) for k, v in marts.items()}
    first = marts["mart_budget_execution"][0]
    assert data["mart_budget_execution"][0]["final_wan_yuan"] == (
        None if first["final_wan_yuan"] is None else str(first["final_wan_yuan"])
    )
    assert "mart_three_public_execution" in capsys.readouterr().err
    assert main([str(tmp_path / "nothing")]) == 2


def test_budget_execution_rows_against_the_truths(paired):
    marts = expected_execution(paired)
    rows = {
        (r["fiscal_year"], r["unit_id"], r["scope"], r["functional_item_code"]): r
        for r in marts["mart_budget_execution"]
    }
    assert len(rows) == len(marts["mart_budget_execution"])  # one row per grain
    for b, f in zip(paired.budgets.truths, paired.finals):
        gone = {d.params["table"] for d in b.defects if d.kind == "missing_table"}
        for scope, table in (("all", 3), ("general_budget", 5)):
            mine = {k[3]: r for k, r in rows.items() if k[:3] == (b.fiscal_year, b.unit.unit_id, scope)}
            budget = {} if table in gone else {e.code: e.total for e in b.expenditure}
            final = {
                x.code: (x.total if scope == "all" else x.gb_total)
                for x in f.lines
                if (x.total if scope == "all" else x.gb_total)
            }
            assert set(mine) == set(budget) | set(final)
            for code, r in mine.items():
                assert r["initial_budget_wan_yuan"] == budget.get(code)  # None, never 0, when not printed
                assert r["final_wan_yuan"] == final.get(code)
                if code in budget and code in final:
                    assert r["difference_wan_yuan"] == final[code] - budget[code]
                    assert r["execution_rate"] == (final[code] / budget[code]).quantize(
                        Decimal("0.0001"), rounding="ROUND_HALF_UP"
                    )
                else:
                    assert r["difference_wan_yuan"] is None and r["execution_rate"] is None
        assert (
            sum(r["final_wan_yuan"] or 0 for k, r in rows.items() if k[:3] == (b.fiscal_year, b.unit.unit_id, "all"))
            == f.expenditure_total
        )
    values = list(rows.values())
    assert any(r["initial_budget_wan_yuan"] is None for r in values)  # 决算 only
    assert any(r["final_wan_yuan"] is None for r in values)  # 预算 only


def test_regional_rows_are_the_sums_of_the_unit_rows(paired):
    marts = expected_execution(paired)
    for r in marts["mart_budget_execution_regional"]:
        units = [
            u
            for u in marts["mart_budget_execution"]
            if (u["fiscal_year"], u["region_code"], u["scope"], u["functional_item_code"])
            == (r["fiscal_year"], r["region_code"], r["scope"], r["functional_item_code"])
        ]
        finals_ = [u["final_wan_yuan"] for u in units if u["final_wan_yuan"] is not None]
        assert r["final_wan_yuan"] == (sum(finals_) if finals_ else None)
        assert r["unit_count_final"] == len(finals_)
        assert r["unit_count_both"] == sum(u["difference_wan_yuan"] is not None for u in units)
    for r in marts["mart_three_public_execution_regional"]:
        units = [
            u
            for u in marts["mart_three_public_execution"]
            if (u["fiscal_year"], u["region_code"], u["item"]) == (r["fiscal_year"], r["region_code"], r["item"])
        ]
        assert r["final_wan_yuan"] == sum(u["final_wan_yuan"] for u in units)
        assert r["unit_count_over_budget"] == sum(u["within_budget"] is False for u in units)


def test_three_public_execution_rows_against_the_truths(paired):
    marts = expected_execution(paired)
    rows = {(r["fiscal_year"], r["unit_id"], r["item"]): r for r in marts["mart_three_public_execution"]}
    assert len(rows) == 5 * len(paired.finals)
    for b, f in zip(paired.budgets.truths, paired.finals):
        gone = any(d.kind == "missing_table" and d.params["table"] == 8 for d in b.defects)
        total = rows[(b.fiscal_year, b.unit.unit_id, "total")]
        assert (
            total["final_wan_yuan"]
            == f.three_public_final.total
            == sum(
                rows[(b.fiscal_year, b.unit.unit_id, i)]["final_wan_yuan"]
                for i in ("overseas_travel", "vehicle_purchase", "vehicle_operation", "official_reception")
            )
        )
        assert (total["final_budget_wan_yuan"] == b.three_public.total) == (not f.three_public_adjusted)
        assert total["budget_wan_yuan"] == (None if gone else b.three_public.total)
        if not gone:
            assert total["within_budget"] == (f.three_public_final.total <= b.three_public.total)
    assert any(r["within_budget"] is False for r in rows.values()) and any(r["within_budget"] for r in rows.values())


def test_an_adjusted_three_public_budget_is_a_warehouse_finding(paired):
    assert any(f.three_public_adjusted for f in paired.finals)  # it happens
    found = {(r["fiscal_year"], r["unit_id"], r["item"]) for r in expected_warehouse_findings(paired)}
    want = set()
    for b, f in zip(paired.budgets.truths, paired.finals):
        if f.three_public_adjusted and not any(d.kind == "missing_table" and d.params["table"] == 8 for d in b.defects):
            want |= {(f.fiscal_year, f.unit.unit_id, item) for item in f.three_public_adjusted + ["total"]}
    assert found == want and want


def test_the_layout_variant_of_a_paired_final_accounts_is_drawn_from_the_options(paired):
    assert {t.fmt for t in paired.finals} == {"txt"}
    assert {t.layout.thousands for t in paired.finals} == {True, False}
    assert all(isinstance(t.layout, LayoutVariant) and t.layout.template == "central" for t in paired.finals)


# ------------------------------------------------------------------ every format, from the files


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["txt", "docx", "xlsx", "xls", "pdf", "pdf-embedded"])
def test_every_format_reads_generated_final_accounts_to_their_truth(fmt, tmp_path):
    """A small paired corpus in each format, every 决算 parsed from its file through the ingest pipeline's
    parse_path: kinds, figures, facts and cells equal the truth; the injected defects' rules and no others."""
    embed = None
    if fmt == "pdf-embedded":
        fmt, embed = "pdf", cjk_font_to_embed(tmp_path)
    opts = Options(
        seed=SEED + 1,
        defect_rate=0.5,
        formats=(fmt,),
        text_layouts=LAYOUTS,
        encodings=ENCODINGS,
        embed_font=str(embed) if embed else None,
        layout_variants=True,
    )
    c = generate_paired(tmp_path, ["652300", "652301"], 2, [2022, 2023], opts, skip_missing_renderers=False)
    assert len(c.final_files) == 8 and all(p.suffix == f".{fmt}" for p in c.final_files)
    assert any(t.defects for t in c.finals) and any(not t.defects for t in c.finals)
    assert {t.layout.code_layout for t in c.finals} == {"joined", "split"}
    if embed:
        assert any(t.layout.pdf_font for t in c.finals)
    for t, p in zip(c.finals, c.final_files):
        pf = parse_path(p)
        assert pf.error is None, (p.name, pf.error)
        check(pf.disclosure, load_truth(p.with_name(p.name + ".truth.json")))
