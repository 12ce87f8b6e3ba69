"""Rows that fail their raw table's schema are data, not valid rows: the schema screen reports them
(SCHEMA findings, as before) and sets them aside into raw_rejected_rows, out of the raw table dbt
reads; the reconciliation rules ran on the rows as printed, so the findings do not change."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from generator.hostile import HOSTILE_KINDS, apply_hostile, pipe_seed_with_total_in_code_columns
from generator.build import Options, build_corpus
from generator.render.text import to_text
from ingest import lake
from ingest.pipeline import ingest_inbox, parse_path
from ingest.readers.text import parse_text
from ingest.recognize import recognize
from ingest.settings import Settings
from ingest.validate import validate
from ingest.validate.schemas import set_aside_rejected, validate_schemas
from tests.seedtext import SEED, SEED_TEXT, mutate

NEGATIVE = mutate(
    SEED_TEXT, "表三：", ["\t其他国防支出", "\t28", "\t", "\t28"], ["\t其他国防支出", "\t-28", "\t", "\t-28"]
)


def test_a_negative_line_is_set_aside_with_its_values():
    d = validate(recognize(parse_text(NEGATIVE, "negative.txt")))
    (r,) = d.rows["raw_rejected_rows"]
    assert (r["raw_table"], r["table_ref"], r["rule_id"], r["failed_columns"]) == (
        "raw_expenditure",
        "表三",
        "SCHEMA",
        "total_wan_yuan,project_wan_yuan",
    )
    assert (r["functional_code"], r["item_name"], r["total_wan_yuan"]) == ("2039999", "其他国防支出", Decimal("-28"))
    values = json.loads(r["row_values"])
    assert values["total_wan_yuan"] == "-28" and values["table_no"] == 3 and values["row_no"] == r["row_no"]
    assert json.loads(r["amounts_wan_yuan"]) == {"total_wan_yuan": "-28", "project_wan_yuan": "-28"}
    assert "non-negative" in r["message"] and r["location"] == f"row {r['row_no']}"
    # gone from the raw table dbt reads; the 表三 lines that passed are all still there
    lines = [x for x in d.rows["raw_expenditure"] if x["table_no"] == 3]
    assert all(x["functional_code"] != "2039999" for x in lines)
    kept = [x for x in recognize(parse_text(NEGATIVE, "n.txt")).rows["raw_expenditure"] if x["table_no"] == 3]
    assert len(lines) == len(kept) - 1


def test_the_findings_are_those_of_the_rows_as_printed():
    """Setting rows aside happens after the rules: the findings equal those of a validation that keeps
    every row (schema findings + rules on all rows)."""
    from ingest.validate.rules import run_rules

    kept = recognize(parse_text(NEGATIVE, "negative.txt"))
    validate_schemas(kept)
    run_rules(kept)
    d = validate(recognize(parse_text(NEGATIVE, "negative.txt")))
    assert [f.as_row() for f in d.findings] == [f.as_row() for f in kept.findings]
    assert "SCHEMA" in {f.rule_id for f in d.findings}


def test_a_clean_document_sets_nothing_aside(seed_disclosure):
    assert "raw_rejected_rows" not in seed_disclosure.disclosure.rows


def test_the_document_row_is_never_set_aside():
    d = recognize(parse_text(SEED_TEXT, "seed.txt"))
    d.rows["raw_documents"][0]["disclosure_kind"] = "月报"  # a code bug: its SCHEMA finding reports it
    failures = validate_schemas(d)
    assert "raw_documents" in failures and set_aside_rejected(d, failures) == 0
    assert len(d.rows["raw_documents"]) == 1 and "raw_rejected_rows" not in d.rows
    assert any(f.rule_id == "SCHEMA" and f.table_ref == "raw_documents" for f in d.findings)


def test_the_pipe_layout_seed_sets_its_four_total_lines_aside(tmp_path):
    """The seed as a pipe table whose 合计 label stands in the 类 column: 表二/三/五/九's 合计 lines read
    with code '合计' (CODE-MALFORMED); they are rejected rows, and every line left in the raw tables is
    the seed's own."""
    path = tmp_path / "seed-pipe.txt"
    path.write_text(pipe_seed_with_total_in_code_columns(SEED), encoding="utf-8")
    parsed = parse_path(path)
    assert parsed.error is None and parsed.reader == "text-pipe"
    d = parsed.disclosure
    assert (d.unit_name, d.fiscal_year) == ("昌吉州外事办", 2021)
    assert [
        (r["raw_table"], r["table_ref"], r["functional_code"], r["total_wan_yuan"]) for r in d.rows["raw_rejected_rows"]
    ] == [
        ("raw_income", "表二", "合计", Decimal("320.06")),
        ("raw_expenditure", "表三", "合计", Decimal("320.06")),
        ("raw_expenditure", "表五", "合计", Decimal("320.06")),
        ("raw_expenditure", "表九", "合计", None),
    ]
    seed = parse_path(SEED).disclosure
    for table in ("raw_income", "raw_expenditure"):
        lines = [(r.get("table_no"), r["functional_code"], r["total_wan_yuan"]) for r in d.rows[table]]
        assert lines == [
            (r.get("table_no"), r["functional_code"], r["total_wan_yuan"])
            for r in seed.rows[table]
            if not r["is_total"]
        ], table
    assert sum(1 for f in d.findings if f.rule_id == "CODE-MALFORMED") == 4


def test_rejected_rows_reach_the_lake_not_the_raw_table(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    settings.ensure()
    (settings.inbox / "seed-pipe.txt").write_text(pipe_seed_with_total_in_code_columns(SEED), encoding="utf-8")
    (settings.inbox / "negative.txt").write_text(NEGATIVE, encoding="utf-8")
    report = ingest_inbox(settings)
    assert len(report.loaded) == 2 and not report.quarantined
    rejected = lake.read_table(settings.lake, "raw_rejected_rows").to_pylist()
    assert sorted((r["source_file"], r["functional_code"]) for r in rejected) == sorted(
        [("seed-pipe.txt", "合计")] * 4 + [("negative.txt", "2039999")]
    )
    assert all(len(r["document_id"]) == 64 and r["batch_id"] == report.batch_id for r in rejected)
    codes = {r["functional_code"] for r in lake.read_table(settings.lake, "raw_expenditure").to_pylist()}
    assert "合计" not in codes
    negative = [
        r for r in lake.read_table(settings.lake, "raw_expenditure").to_pylist() if r["source_file"] == "negative.txt"
    ]
    assert all(r["total_wan_yuan"] is None or r["total_wan_yuan"] >= 0 for r in negative)


@pytest.fixture(scope="module")
def units():
    return build_corpus(["652300"], 3, [2022], Options(seed=2021))


@pytest.mark.parametrize("kind", sorted(HOSTILE_KINDS))
def test_each_hostile_kind_surfaces(units, kind, tmp_path):
    """Every hostile kind of the defect corpus shows in the parse as one of its finding rules, and
    the damaged row is set aside exactly when the kind says so (the load test checks the warehouse)."""
    import copy

    t = copy.deepcopy(units[0])
    grid = apply_hostile(t, kind)
    path = tmp_path / f"{kind}.txt"
    path.write_text(to_text(grid, "cells"), encoding="utf-8")
    parsed = parse_path(path)
    assert parsed.error is None
    rules, rejected = HOSTILE_KINDS[kind]
    (defect,) = t.defects
    assert defect.kind == kind and defect.params["rejected"] == rejected
    assert {f.rule_id for f in parsed.disclosure.findings} & set(rules), kind
    assert bool(parsed.disclosure.rows.get("raw_rejected_rows")) == rejected, kind


def test_a_document_without_a_unit_name_names_none(units, tmp_path):
    """Neither the 绩效目标表's blank 预算单位 cell (its next label, 项目名称), a narrative sentence
    ("2022年支出预算377.28万元，其中：") nor a blank 编制部门 line ("编制部门（单位）：  单位：万元") is
    taken for the unit's name: the document has none, and says so (DOC-UNIT)."""
    import copy

    t = copy.deepcopy(units[1])
    path = tmp_path / "nameless.txt"
    path.write_text(to_text(apply_hostile(t, "nameless_unit"), "cells"), encoding="utf-8")
    d = parse_path(path).disclosure
    assert d.unit_name is None and d.fiscal_year == 2022
    assert [f.rule_id for f in d.findings if f.severity == "error"] == ["DOC-UNIT"]
    assert d.table("raw_documents")[0]["unit_name_variants"] in (None, "")


def test_a_lake_written_before_rejected_rows_existed(tmp_path):
    """A batch from before raw_rejected_rows has no file for it: the lake still reads, the next load
    writes the empty batch that gives dbt's glob a file, and `rebuild --year` re-parses the batch and
    writes its rejected rows into it."""
    from ingest.pipeline import reparse_year

    settings = Settings(data_dir=tmp_path / "data")
    settings.ensure()
    (settings.inbox / "seed-pipe.txt").write_text(pipe_seed_with_total_in_code_columns(SEED), encoding="utf-8")
    report = ingest_inbox(settings)
    (batch,) = lake.batches(settings.lake)
    (batch / "raw_rejected_rows.parquet").unlink()  # as an older version wrote it
    assert lake.read_table(settings.lake, "raw_rejected_rows").num_rows == 0
    assert "raw_rejected_rows" in lake.missing_columns(batch)
    ingest_inbox(settings)  # nothing new: one empty batch with every current table
    assert len(lake.batches(settings.lake)) == 2 and not lake.missing_columns(lake.batches(settings.lake)[-1])
    assert len(reparse_year(settings, 2021).reparsed) == 1
    rows = lake.read_table(settings.lake, "raw_rejected_rows").to_pylist()
    assert [(r["batch_id"], r["functional_code"]) for r in rows] == [(report.batch_id, "合计")] * 4
