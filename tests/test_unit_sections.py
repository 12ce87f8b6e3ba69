"""A 部门 disclosure that prints, after its consolidated tables, a subordinate unit's own tables (the
real-disclosures issue, item 4: "consolidated figures and per-unit figures are not added together").

Built from the seed: its 表一…表三 printed again under 编制部门（单位）： of another unit, with that
unit's amounts halved, appended after the consolidated 表一…表九."""

from __future__ import annotations

from decimal import Decimal

from ingest.readers.text import parse_text
from ingest.recognize import recognize
from ingest.validate import validate
from tests.seedtext import SEED_TEXT

SUB_UNIT = "昌吉州外事服务中心"


def _with_section() -> str:
    lines = SEED_TEXT.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == "表一：")
    end = next(i for i, line in enumerate(lines) if line.strip() == "表四：")
    section = "\n".join(lines[start:end]).replace("昌吉州外事办", SUB_UNIT).replace("320.06", "160.03")
    return SEED_TEXT.rstrip("\n") + "\n\n下属单位预算公开表\n" + section + "\n"


def _parsed(text: str):
    d = recognize(parse_text(text, "waishiban-with-section.txt"))
    validate(d)
    return d


def test_a_subordinate_units_section_is_recognised_and_not_added_to_the_consolidated_tables():
    plain, sectioned = _parsed(SEED_TEXT), _parsed(_with_section())
    for table in ("raw_budget_summary", "raw_income", "raw_expenditure"):
        assert sectioned.table(table) == plain.table(table), table  # the consolidated rows, nothing added
    totals = [
        r["total_wan_yuan"] for r in sectioned.table("raw_budget_summary") if r["is_total"] and r["table_no"] == 1
    ]
    assert totals and set(totals) == {Decimal("320.06")}
    (f,) = [f for f in sectioned.findings if f.rule_id == "DOC-UNIT-SECTION"]
    assert f.severity == "info" and SUB_UNIT in f.message and "表一、表二、表三" in f.message
    assert "昌吉州外事办" in f.message
    assert not [f for f in sectioned.findings if f.rule_id == "DOC-TABLE-DUPLICATE"]
    assert sectioned.unit_name == plain.unit_name == "昌吉州外事办"


def test_the_same_table_twice_for_the_same_unit_is_still_a_duplicate():
    lines = SEED_TEXT.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == "表一：")
    end = next(i for i, line in enumerate(lines) if line.strip() == "表二：")
    again = SEED_TEXT.rstrip("\n") + "\n\n" + "\n".join(lines[start:end]) + "\n"
    d = _parsed(again)
    assert [f.table_ref for f in d.findings if f.rule_id == "DOC-TABLE-DUPLICATE"] == ["表一"]
    assert not [f for f in d.findings if f.rule_id == "DOC-UNIT-SECTION"]
