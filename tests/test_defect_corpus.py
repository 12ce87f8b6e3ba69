"""Done-when of issue 12, part 1: one unit's document never blocks the warehouse.

The defect corpus (generator/hostile.py: one structural defect per document — a malformed code,
the 合计 label in the code columns, text in an amount cell, a duplicated row, a missing table, an
empty table, a table in 元 under 单位：万元, a negative amount, a unit name printed nowhere), the
seed rendered as a pipe-separated text table whose 合计 label stands in the code columns, and clean
documents are loaded together by `budget-warehouse run`: it exits 0, the warehouse is published,
every clean unit's mart figures equal its ground truth exactly, and every defect surfaced as a
finding or a rejected row (core.fct_rejected_rows, counted by mart_disclosure_quality)."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from generator.hostile import HOSTILE_KINDS, defect_corpus, pipe_seed_with_total_in_code_columns
from ingest.pipeline import parse_path
from ingest.settings import ENV_VAR

pytestmark = pytest.mark.slow  # a whole load through Dagster + dbt: `make test-fast` leaves it out

SEED = Path(__file__).parent / "fixtures" / "seed_changji_waishiban_2021.txt"
PIPE_SEED = "seed_changji_waishiban_2021_pipe.txt"
ZERO = Decimal(0)


@pytest.fixture(scope="module")
def load(tmp_path_factory):
    from orchestration.cli import main

    root = tmp_path_factory.mktemp("defects")
    data, truth_dir = root / "data", root / "truth"
    (data / "inbox").mkdir(parents=True)
    corpus = defect_corpus(truth_dir)
    assert len(corpus.hostile) == len(HOSTILE_KINDS) and len(corpus.clean) >= 5
    for f in corpus.files:
        shutil.copy(f, data / "inbox" / f.name)
    (data / "inbox" / PIPE_SEED).write_text(pipe_seed_with_total_in_code_columns(SEED), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV_VAR, str(data))
        status = main(["run", "--data-dir", str(data)])
    warehouse = data / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse), read_only=True) if warehouse.exists() else None
    yield {"status": status, "con": con, "corpus": corpus, "data": data}
    if con is not None:
        con.close()


def q(con, sql, *params):
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def doc(con, file_name: str) -> dict:
    (row,) = q(con, "select * from core.fct_document_history where source_file = ?", file_name)
    return row


def test_the_load_exits_0_and_publishes(load):
    assert load["status"] == 0
    assert load["con"] is not None, "the warehouse was not published"
    files = {r["source_file"] for r in q(load["con"], "select source_file from core.fct_document_history")}
    assert files == {f.name for f in load["corpus"].files} | {PIPE_SEED}  # every document is in the warehouse
    # and every one with a fiscal year is a disclosure of the quality mart (a yearless one cannot be placed
    # in a year: its DOC-YEAR finding is in core.fct_findings)
    quality = {r["source_file"] for r in q(load["con"], "select source_file from marts.mart_disclosure_quality")}
    assert files - quality == {f"{t.file_name}.txt" for t in load["corpus"].hostile if t.defects[0].kind == "yearless"}
    assert not list((load["data"] / "quarantine").glob("*.txt"))


def test_every_clean_unit_is_exact(load):
    con = load["con"]
    for t in load["corpus"].clean:
        d = doc(con, f"{t.file_name}.txt")
        assert d["unit_id"] == t.unit.unit_id, t.file_name  # a registered unit
        got = {
            r["functional_code"]: (r["total_wan_yuan"], r["basic_wan_yuan"] or ZERO, r["project_wan_yuan"] or ZERO)
            for r in q(con, "select * from marts.mart_unit_spending where document_id = ?", d["document_id"])
        }
        assert got == {r.code: (r.total, r.basic, r.project) for r in t.expenditure}, t.file_name
        (tp,) = q(
            con,
            "select * from marts.mart_three_public_trends where unit_id = ? and fiscal_year = ?",
            t.unit.unit_id,
            t.fiscal_year,
        )
        assert (tp["total_wan_yuan"], tp["official_reception_wan_yuan"]) == (
            t.three_public.total,
            t.three_public.official_reception,
        ), t.file_name
        projects = q(
            con,
            "select * from marts.mart_project_spending where unit_id = ? and fiscal_year = ? order by row_no",
            t.unit.unit_id,
            t.fiscal_year,
        )
        assert [(p["project_name"], p["total_wan_yuan"]) for p in projects] == [(p.name, p.amount) for p in t.projects]
        (quality,) = q(con, "select * from marts.mart_disclosure_quality where document_id = ?", d["document_id"])
        assert (quality["error_count"], quality["rejected_row_count"], quality["tables_found"]) == (0, 0, 9), (
            t.file_name
        )


def test_every_defect_surfaces_as_a_finding_or_a_rejected_row(load):
    con = load["con"]
    for t in load["corpus"].hostile:
        (defect,) = t.defects
        d = doc(con, f"{t.file_name}.txt")
        rules = {
            r["rule_id"]
            for r in q(con, "select rule_id from core.fct_findings where document_id = ?", d["document_id"])
        }
        assert rules & set(defect.rule_ids), (defect.kind, rules)
        rejected = q(con, "select * from core.fct_rejected_rows where document_id = ?", d["document_id"])
        if defect.kind != "yearless":
            (quality,) = q(con, "select * from marts.mart_disclosure_quality where document_id = ?", d["document_id"])
            assert quality["rejected_row_count"] == len(rejected), defect.kind
            assert quality["error_count"] >= 1, defect.kind
        if defect.params["rejected"]:
            assert rejected, defect.kind
            assert all(r["rule_id"] == "SCHEMA" and r["raw_table"] and r["row_values"] for r in rejected)
        else:
            assert not rejected, (defect.kind, rejected)


def test_rejected_rows_reach_no_fact(load):
    """No conformed fact holds a value the schema refused: every code is well-formed (or 'unknown'
    for a well-formed code outside the lists), no amount is negative."""
    con = load["con"]
    codes = q(
        con,
        "select distinct printed_functional_code as code from core.fct_expenditure "
        "union select distinct functional_code from core.fct_income",
    )
    assert all(r["code"] is None or re.fullmatch(r"\d{3}(\d{2}(\d{2})?)?", r["code"]) for r in codes), codes
    (neg,) = con.execute(
        "select count(*) from core.fct_expenditure where basic_wan_yuan < 0 or total_wan_yuan < 0"
    ).fetchone()
    assert neg == 0
    # the rejected 表三 line of the negative-amount document keeps its printed amounts
    t = next(t for t in load["corpus"].hostile if t.defects[0].kind == "negative_amount")
    (r,) = q(con, "select * from core.fct_rejected_rows where source_file = ?", f"{t.file_name}.txt")
    assert r["raw_table"] == "raw_expenditure" and r["table_ref"] == "表三" and r["failed_columns"] == "basic_wan_yuan"
    line = t.expenditure[0]
    assert r["printed_code"] == line.code and r["total_wan_yuan"] == line.total
    assert f'"basic_wan_yuan": "-{line.basic.normalize()}"' in r["row_values"] or str(-line.basic) in r["row_values"]


def test_the_pipe_layout_seed_loads_exact(load):
    """The seed as a pipe table whose 合计 label stands in the 类 column: its four 合计 lines (表二, 表三,
    表五, 表九) read with code '合计' are rejected, and its figures are the seed's."""
    con = load["con"]
    d = doc(con, PIPE_SEED)
    assert d["unit_id"] != "unknown" and not d["unit_id"].startswith("unregistered-")
    rejected = q(
        con, "select * from core.fct_rejected_rows where document_id = ? order by rejected_no", d["document_id"]
    )
    assert [(r["raw_table"], r["table_ref"], r["printed_code"]) for r in rejected] == [
        ("raw_income", "表二", "合计"),
        ("raw_expenditure", "表三", "合计"),
        ("raw_expenditure", "表五", "合计"),
        ("raw_expenditure", "表九", "合计"),
    ]
    assert [r["total_wan_yuan"] for r in rejected] == [Decimal("320.06")] * 3 + [None]
    (quality,) = q(con, "select * from marts.mart_disclosure_quality where document_id = ?", d["document_id"])
    assert quality["rejected_row_count"] == 4
    # the seed's own 表三 lines, as the (golden-tested) parser reads the seed file
    expected = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for r in parse_path(SEED).disclosure.rows["raw_expenditure"]:
        if r["table_no"] == 3 and not r["is_total"]:
            e = expected[r["functional_code"]]
            e[0] += r["total_wan_yuan"] or ZERO
            e[1] += r["basic_wan_yuan"] or ZERO
            e[2] += r["project_wan_yuan"] or ZERO
    got = {
        r["functional_code"]: [r["total_wan_yuan"], r["basic_wan_yuan"] or ZERO, r["project_wan_yuan"] or ZERO]
        for r in q(con, "select * from marts.mart_unit_spending where document_id = ?", d["document_id"])
    }
    assert got == dict(expected)
    assert sum(v[0] for v in got.values()) == Decimal("320.06")


def test_a_nameless_document_loads_under_an_unregistered_unit(load):
    con = load["con"]
    t = next(t for t in load["corpus"].hostile if t.defects[0].kind == "nameless_unit")
    d = doc(con, f"{t.file_name}.txt")
    assert d["unit_id"].startswith("unregistered-")
    findings = q(con, "select rule_id, severity from core.fct_findings where document_id = ?", d["document_id"])
    assert {"rule_id": "DOC-UNIT", "severity": "error"} in findings
    # its figures are kept, under its own unit, exact
    got = {
        r["functional_code"]: r["total_wan_yuan"]
        for r in q(con, "select * from marts.mart_unit_spending where document_id = ?", d["document_id"])
    }
    assert got == {r.code: r.total for r in t.expenditure}
