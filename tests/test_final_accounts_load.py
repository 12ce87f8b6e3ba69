"""决算 files through a whole load (issue 13): the three real 决算 PDFs dropped into an inbox beside the
seed 预算 load as 决算 documents — their document rows, 情况说明 facts and FA-* findings reach the
warehouse — while the marts, which read 预算 only, stay what the seed alone makes them."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from bench.realworld import final_truth_files, real_path
from ingest.settings import Settings
from tests.conftest import SEED_PATH, materialize

pytestmark = pytest.mark.slow  # a whole load, a subprocess per case or a browser: `make test-fast` leaves it out

FINALS = [f.stem + ".pdf" for f in final_truth_files()]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    data = tmp_path_factory.mktemp("final-accounts")
    inbox = data / "inbox"
    inbox.mkdir()
    shutil.copy(SEED_PATH, inbox / "changji_waishiban_2021.txt")
    for name in FINALS:
        shutil.copy(real_path(name), inbox / name)
    result = materialize(data)
    assert result.success
    with duckdb.connect(str(Settings(data_dir=data).warehouse), read_only=True) as con:
        yield con


def test_final_accounts_load_as_final_accounts_documents(warehouse):
    rows = warehouse.execute("""
        select source_file, disclosure_kind, fiscal_year from core.fct_document_history order by source_file
    """).fetchall()
    kinds = {name: (kind, year) for name, kind, year in rows}
    assert all(kinds[name] == ("决算", 2024) for name in FINALS), kinds
    assert kinds["changji_waishiban_2021.txt"] == ("预算", 2021)
    quarantined = warehouse.execute("select count(*) from marts.mart_quarantined_files").fetchone()[0]
    assert quarantined == 0


def test_their_findings_and_narrative_facts_reach_the_warehouse(warehouse):
    findings = warehouse.execute("""
        select source_file, rule_id, actual, expected from core.fct_findings
        where rule_id like 'FA-%' and severity = 'error' order by source_file
    """).fetchall()
    assert [(f, r) for f, r, *_ in findings] == [
        ("cn-guojia-xinfangju-2024-juesuan.pdf", "FA-NARRATIVE"),
        ("shpt-caizhengju-2024-final.pdf", "FA-NARRATIVE"),
        ("shpt-template-final.pdf", "FA-PLACEHOLDER"),
    ]
    assert [float(x) for x in findings[0][2:]] == [88.5, 90.5]  # 信息化运行维护: 自评得分 said vs its form's 总分
    assert [float(x) for x in findings[1][2:]] == [0.3, 2961.68]
    (n,) = warehouse.execute("""
        select count(*) from core.fct_narrative_facts
        where fact_key = 'final.appropriation_total' and source_file = 'shpt-caizhengju-2024-final.pdf'
    """).fetchone()
    assert n == 1


def test_the_marts_read_budgets_only(warehouse):
    # the disclosure-quality mart has a row per document kind: the 决算 are rows of their own (disclosure_kind)
    (quality,) = warehouse.execute("""
        select list(source_file order by source_file) from marts.mart_disclosure_quality where disclosure_kind = '预算'
    """).fetchone()
    assert quality == ["changji_waishiban_2021.txt"]
    (finals,) = warehouse.execute("""
        select list(source_file order by source_file) from marts.mart_disclosure_quality where disclosure_kind = '决算'
    """).fetchone()
    assert finals == sorted(FINALS)
    (spending,) = warehouse.execute("select list(distinct source_file) from marts.mart_unit_spending").fetchone()
    assert spending == ["changji_waishiban_2021.txt"]


def test_their_table_cells_are_in_the_staging_model(warehouse):
    rows = warehouse.execute("""
        select source_file, table_kind, side, line_label, column_meaning, amount_wan_yuan, disclosure_kind
        from staging.stg_final_lines
        where table_kind = 'final_appropriation_summary' and line_label = '总计' and side = '收入'
        order by source_file
    """).fetchall()
    assert [(r[0], float(r[5]), r[6]) for r in rows] == [
        ("cn-guojia-xinfangju-2024-juesuan.pdf", 20727.53, "决算"),
        ("shpt-caizhengju-2024-final.pdf", 2961.68, "决算"),
    ]
    (kinds,) = warehouse.execute("select count(distinct table_kind) from staging.stg_final_lines").fetchone()
    assert kinds >= 8


def test_their_self_evaluation_forms_are_in_the_staging_model(warehouse):
    rows = warehouse.execute("""
        select project_name, full_year_budget_wan_yuan, executed_wan_yuan, execution_rate_pct, disclosure_kind
        from staging.stg_final_evaluation_lines
        where line_kind = 'funds' and fund_source = '年度资金总额' order by evaluation_no
    """).fetchall()
    assert [(r[0], float(r[1]), float(r[2]), float(r[3]), r[4]) for r in rows] == [
        ("信访干部培训专项", 180.03, 180.03, 100.0, "决算"),
        ("信访研究宣传立法专项", 536.2, 413.57, 77.13, "决算"),
        ("资产运行维护", 120.0, 120.0, 100.0, "决算"),
        ("信息化运行维护", 1639.34, 1032.99, 63.01, "决算"),
    ]
    (indicators,) = warehouse.execute(
        "select count(*) from staging.stg_final_evaluation_lines where line_kind = 'indicator'"
    ).fetchone()
    assert indicators == 10 + 10 + 9 + 8


def test_their_self_evaluation_forms_are_a_mart_row_each(warehouse):
    """marts.mart_performance_evaluations: one row per 自评表 with the figures the form prints (国家信访局 2024,
    pp. 30–36) and the 执行率 computed from them exactly (全年执行数 / 全年预算数, 4 places half up)."""
    from decimal import ROUND_HALF_UP, Decimal

    rows = warehouse.execute("""
        select project_name, full_year_budget_wan_yuan, executed_wan_yuan, execution_rate, total_score,
               indicator_count, unit_name, fiscal_year, source_file
        from marts.mart_performance_evaluations order by evaluation_no
    """).fetchall()
    printed = [
        ("信访干部培训专项", "180.03", "180.03", "98", 10),
        ("信访研究宣传立法专项", "536.20", "413.57", "94.7", 10),
        ("资产运行维护", "120.00", "120.00", "98", 9),
        ("信息化运行维护", "1639.34", "1032.99", "90.5", 8),
    ]
    assert len(rows) == len(printed)
    for row, (name, budget, executed, score, indicators) in zip(rows, printed):
        rate = (Decimal(executed) / Decimal(budget)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        assert row[:6] == (name, Decimal(budget), Decimal(executed), rate, Decimal(score), indicators), row
        assert row[6:] == ("国家信访局", 2024, "cn-guojia-xinfangju-2024-juesuan.pdf")
