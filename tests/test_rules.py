"""Reconciliation rules on documents whose answer is known: the seed, corrected or with one defect added."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.readers.text import parse_text
from ingest.recognize import recognize
from ingest.validate import RULES, validate
from seedtext import SEED_TEXT, mutate


def findings(text: str):
    return validate(recognize(parse_text(text, "doc.txt"))).findings


def errors(text: str) -> list:
    return [f for f in findings(text) if f.severity == "error"]


def corrected_seed() -> str:
    """The seed with each of its real published errors corrected by hand."""
    t = mutate(SEED_TEXT, "表七：", ["\t合 计", "\t36", "\t", "\t36"], ["\t合 计", "\t66", "\t", "\t66"])
    t = t.replace("一般公共预算320.096万元", "一般公共预算320.06万元")
    t = t.replace("1.一般公共服务支出320.06万元，占100%", "1.一般公共服务支出236.2万元，占73.80%")
    t = t.replace("2021年预算数为228.16万元", "2021年预算数为172.3万元")
    t = t.replace("公务用车运行费减少3.3万元", "公务用车运行费减少3.21万元")
    t = mutate(t, "项目名称", ["\t完成此项工作所需经费（万元）", "\t26"], ["\t完成此项工作所需经费（万元）", "\t36"])
    t = t.replace("执法执勤用车3辆，价值86.86万元", "执法执勤用车0辆，价值0万元")
    return t


def test_corrected_seed_has_no_error_finding():
    assert errors(corrected_seed()) == []


def test_each_seed_error_disappears_when_corrected():
    """Undo one correction at a time: exactly that rule's errors come back."""
    base = corrected_seed()
    cases = {
        "NR-INCOME": base.replace("一般公共预算320.06万元，占100%", "一般公共预算320.096万元，占100%"),
        "NR-ITEM": base.replace("2021年预算数为172.3万元", "2021年预算数为228.16万元"),
        "NR-THREE-PUBLIC-CHANGE": base.replace("公务用车运行费减少3.21万元", "公务用车运行费减少3.3万元"),
        "NR-ASSET-VEHICLE": base.replace("执法执勤用车0辆，价值0万元", "执法执勤用车3辆，价值86.86万元"),
    }
    for rule_id, text in cases.items():
        assert text != base
        assert {f.rule_id for f in errors(text)} == {rule_id}, rule_id


def test_three_public_defect_is_caught_three_ways():
    text = mutate(SEED_TEXT, "表八：", ["\t4.5", "\t0.62"], ["\t4.5", "\t0.72"])
    got = {(f.rule_id, f.expected, f.actual) for f in findings(text)}
    assert ("ROW-PARTS", Decimal("5.22"), Decimal("5.12")) in got
    assert ("XT-THREE-PUBLIC", Decimal("0.62"), Decimal("0.72")) in got
    assert ("NR-THREE-PUBLIC", Decimal("0.72"), Decimal("0.62")) in got


def test_wrong_basic_cell_breaks_row_and_column_sums():
    text = mutate(SEED_TEXT, "表三：", ["\t行政运行", "\t172.3", "\t172.3"], ["\t行政运行", "\t172.3", "\t172.4"])
    got = [f for f in errors(text) if f.table_ref == "表三"]
    assert {f.rule_id for f in got} == {"ROW-PARTS", "SUM-ROWS"}
    row = next(f for f in got if f.rule_id == "ROW-PARTS")
    assert (row.expected, row.actual, row.difference) == (Decimal("172.4"), Decimal("172.3"), Decimal("-0.1"))


def test_missing_table_is_an_error_finding_not_a_crash():
    lines = SEED_TEXT.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("表九"))
    end = next(i for i, line in enumerate(lines) if line.startswith("备注：我单位无政府性基金预算"))
    text = "\n".join(lines[:start] + lines[end + 1 :])
    d = validate(recognize(parse_text(text, "no-t9.txt")))
    assert [r["status"] for r in d.rows["raw_tables"] if r["table_no"] == 9] == ["missing"]
    assert [f.table_ref for f in d.findings if f.rule_id == "DOC-TABLE-MISSING"] == ["表九"]


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_is_documented(rule_id):
    from pathlib import Path

    doc = (Path(__file__).parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    assert f"| {rule_id} |" in doc
    assert RULES[rule_id].severity in ("error", "warning", "info")


def test_a_row_with_amounts_but_no_code_is_a_finding_not_silence():
    """The facts key on the classification code: a row printed without one would vanish from them."""
    text = mutate(SEED_TEXT, "表三", ["\t201", "\t03", "\t02", "\t外事工作经费"], ["\t", "\t", "\t", "\t外事工作经费"])
    got = [f for f in findings(text) if f.rule_id == "CODE-MISSING"]
    assert len(got) == 1 and got[0].severity == "error" and "外事工作经费" in got[0].message
    assert not [f for f in findings(SEED_TEXT) if f.rule_id == "CODE-MISSING"]
