"""Done-when test of issue 13 (决算 and budget execution): a generated prefecture with the 预算 AND the 决算 of
every unit for two years (generator/execution.py: each 决算 paired with its 预算, in every file format, with
layout variants, tables printed in 元, and injected defects on both sides), loaded through the real pipeline
(ingest + the orchestration's dbt build), gives execution marts equal to the generator's answer to the fen.

The expected rows come from the generator's truth objects (`generator.execution.expected_execution`), never
from the lake or the warehouse; every column of every row of the four execution marts is compared, and
the FA-THREE-PUBLIC-BUDGET warehouse findings are the ones the generator planted (an adjusted “三公” 预算数
printed in a 决算)."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from generator.build import Options
from generator.execution import MARTS, expected_execution, expected_warehouse_findings, generate_paired
from generator.corpus import registry_rows
from ingest.settings import Settings
from tests.conftest import cjk_font_to_embed, materialize

pytestmark = pytest.mark.slow  # a whole load and a dbt build: `make test-fast` leaves it out

REGIONS = ["652300", "652301", "652323", "652328"]
YEARS = [2022, 2023]
UNITS = 3
SEED_REGISTRY = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "synthetic_unit_registry.csv"
# the grain of each mart: the columns that identify a row
KEYS = {
    "mart_budget_execution": ("fiscal_year", "unit_id", "scope", "functional_item_code"),
    "mart_budget_execution_regional": ("fiscal_year", "region_code", "scope", "functional_item_code"),
    "mart_three_public_execution": ("fiscal_year", "unit_id", "item"),
    "mart_three_public_execution_regional": ("fiscal_year", "region_code", "item"),
}


@pytest.fixture(scope="module")
def paired_load(tmp_path_factory):
    root = tmp_path_factory.mktemp("paired")
    corpus_dir, data = root / "corpus", root / "data"
    (data / "inbox").mkdir(parents=True)
    opts = Options(
        seed=2021,
        defect_rate=0.2,
        layout_variants=True,
        formats=("txt", "docx", "xlsx", "xls", "pdf"),
        templates=("changji", "national"),
        text_layouts=("cells", "pipe", "spaced"),
        encodings=("utf-8", "gb18030", "utf-16"),
        embed_font=str(cjk_font_to_embed(root)),
    )
    paired = generate_paired(corpus_dir, REGIONS, UNITS, YEARS, opts, final_defect_rate=0.2)
    assert not paired.budgets.skipped
    assert len(paired.budgets.files) == len(paired.final_files) == len(REGIONS) * UNITS * len(YEARS)
    for f in paired.files:
        shutil.copy(f, data / "inbox" / f.name)
    # the units of the committed synthetic registry (the demo's) are registered already, under the same names
    seeded = {r["unit_id"]: r for r in csv.DictReader(SEED_REGISTRY.open(encoding="utf-8"))}
    rows = registry_rows(paired.budgets.truths)
    assert all(seeded[r["unit_id"]]["unit_name"] == r["unit_name"] for r in rows if r["unit_id"] in seeded)
    extra = [r for r in rows if r["unit_id"] not in seeded]
    with pytest.MonkeyPatch.context() as mp:
        if extra:
            registry = root / "registry.csv"
            with registry.open("w", encoding="utf-8", newline="") as out:
                w = csv.DictWriter(out, fieldnames=list(extra[0]))
                w.writeheader()
                w.writerows(extra)
            mp.setenv("BUDGET_WAREHOUSE_EXTRA_REGISTRY", str(registry))
        result = materialize(data)
    assert result.success
    con = duckdb.connect(str(Settings(data_dir=data).warehouse), read_only=True)
    yield {"con": con, "paired": paired, "expected": expected_execution(paired)}
    con.close()


def q(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def test_the_corpus_covers_what_the_marts_must_tell_apart(paired_load):
    """Both one-sided cases, lines with both sides, every file format, 决算 with defects, 元 tables, and an
    adjusted “三公” 预算数 are in the corpus (otherwise the comparison below proves less than it says)."""
    rows = paired_load["expected"]["mart_budget_execution"]
    assert any(r["initial_budget_wan_yuan"] is None for r in rows)
    assert any(r["final_wan_yuan"] is None for r in rows)
    assert sum(r["initial_budget_wan_yuan"] is not None and r["final_wan_yuan"] is not None for r in rows) > 100
    finals = paired_load["paired"].finals
    formats = {"txt", "docx", "xlsx", "xls", "pdf"}
    # every format is read back to its truth per file in tests/test_generator_final_accounts.py; here the
    # prefecture mixes them (the 决算 drawn per unit-year: four of the five with this seed)
    assert {f.fmt for f in finals} | {t.fmt for t in paired_load["paired"].budgets.truths} == formats
    assert len({f.fmt for f in finals}) >= 4
    assert any(f.defects for f in finals) and any(f.layout.yuan_table for f in finals)
    assert expected_warehouse_findings(paired_load["paired"])


@pytest.mark.parametrize("mart", MARTS)
def test_execution_mart_equals_the_truth_to_the_fen(paired_load, mart):
    con, keys = paired_load["con"], KEYS[mart]
    expected = {tuple(r[k] for k in keys): r for r in paired_load["expected"][mart]}
    got = {tuple(r[k] for k in keys): r for r in q(con, f"select * from marts.{mart}")}
    assert len(expected) == len(paired_load["expected"][mart]), "the expected rows repeat a key"
    assert sorted(set(got) - set(expected))[:5] == [] and sorted(set(expected) - set(got))[:5] == []
    wrong = []
    for key, exp in expected.items():
        row = got[key]
        for column, value in exp.items():
            assert column in row, (mart, column)
            if isinstance(value, Decimal) or isinstance(row[column], Decimal):
                same = value is not None and row[column] is not None and Decimal(value) == Decimal(row[column])
                same = same or (value is None and row[column] is None)
            else:
                same = value == row[column]
            if not same:
                wrong.append((key, column, value, row[column]))
    assert not wrong, (mart, len(wrong), wrong[:10])


def test_money_and_rates_are_exact_decimals(paired_load):
    types = {
        r["column_name"]: r["data_type"]
        for r in q(
            paired_load["con"],
            """
        select column_name, data_type from information_schema.columns
        where table_schema = 'marts' and table_name = 'mart_budget_execution'""",
        )
    }
    assert types["final_wan_yuan"] == types["initial_budget_wan_yuan"] == "DECIMAL(20,6)"
    assert types["execution_rate"].startswith("DECIMAL")


def test_the_adjusted_three_public_budgets_are_warehouse_findings(paired_load):
    expected = {
        (f["fiscal_year"], f["unit_id"], f["document_id"]) for f in expected_warehouse_findings(paired_load["paired"])
    }
    got = q(
        paired_load["con"],
        """select document_id, fiscal_year, unit_id, severity from core.fct_findings
                              where rule_id = 'FA-THREE-PUBLIC-BUDGET'""",
    )
    assert {r["severity"] for r in got} == {"warning"}
    assert {(r["fiscal_year"], r["unit_id"], r["document_id"]) for r in got} == expected


def test_a_final_accounts_never_replaces_the_budget(paired_load):
    """预算 and 决算 of the same unit and year are two current documents, each traceable to its file."""
    rows = q(
        paired_load["con"],
        """select disclosure_kind, count(*) as n, count(distinct source_file) as files
                               from marts.mart_disclosure_quality group by disclosure_kind order by 1""",
    )
    n = len(REGIONS) * UNITS * len(YEARS)
    assert [(r["disclosure_kind"], r["n"], r["files"]) for r in rows] == [("决算", n, n), ("预算", n, n)]
    names = {p.name for p in paired_load["paired"].files}
    for r in paired_load["expected"]["mart_budget_execution"]:
        for side in ("budget", "final"):
            f = r[f"{side}_source_file"]
            assert f is None or Path(f).name in names
