"""Budget execution (issue 13, the dbt side): the 决算 facts and the execution marts after a whole load.

One warehouse holds the seed (昌吉州外事办's 2021 预算), a small 2021 决算 of the same unit written here
in the text reader's pipe layout, and the three real 决算 PDFs (../shared/real-disclosures/final-accounts/).

* The real files: core.fct_final_expenditure / fct_final_three_public / fct_final_summary against
  their hand-read truth (tests/realworld/truth/final-accounts/*.yaml: 支出决算表 合计/基本/项目, the 三公
  预算数/决算数, the 决算总表 totals); a blank 三公 cell of a printed table is 0, a template printing no
  amount at all has no 三公 rows.
* The hand-built pair: its execution rows, worked out by hand below from the two documents' printed
  lines — a line only the 预算 prints (2010305), a line only the 决算 prints (2010399), the
  general-budget scope, the 三公 items — and the FA-THREE-PUBLIC-BUDGET warnings (the 决算 prints a
  合计 and a 公务接待费 预算数 other than the 预算's 表八).
"""

from __future__ import annotations

import shutil
from decimal import Decimal

import duckdb
import pytest
import yaml

from bench.realworld import final_truth_files, real_path
from ingest.settings import Settings
from tests.conftest import SEED_PATH, materialize

pytestmark = pytest.mark.slow  # a whole load, a subprocess per case or a browser: `make test-fast` leaves it out

D = Decimal
FINALS = {f.stem + ".pdf": yaml.safe_load(f.read_text(encoding="utf-8")) for f in final_truth_files()}
UNIT = "652300-waishiban"

# 昌吉州外事办's 2021 决算 (the seed is its 2021 预算: 表三 = 表五 = 2010301 172.3, 2010302 36, 2010305 25.9,
# 2080505 20.89, 2101101 26.33, 2101103 8.56, 2101199 0.08, 2013405 2, 2039999 28; 表八 合计 5.12 =
# 出国 0 + 车辆运行 4.5 (购置 blank) + 接待 0.62). This 决算 prints 2010301 170 and 2010302 30, does not print
# 2010305, adds 2010399 10 (支出决算表 only, funded by 其他收入), and prints the rest as budgeted.
FINAL_2021 = """昌吉州外事办
2021年度部门决算

第二部分 2021年度部门决算表
收入支出决算总表
编制部门：昌吉州外事办 单位：万元
| 收入 | | 支出 | |
| 项目 | 决算数 | 项目 | 决算数 |
| 一、一般公共预算财政拨款收入 | 285.86 | 一、一般公共服务支出 | 212.00 |
| 八、其他收入 | 10.00 | 三、国防支出 | 28.00 |
| | | 八、社会保障和就业支出 | 20.89 |
| | | 十、卫生健康支出 | 34.97 |
| 本年收入合计 | 295.86 | 本年支出合计 | 295.86 |
| 使用非财政拨款结余 | | 结余分配 | |
| 年初结转和结余 | 5.00 | 年末结转和结余 | 5.00 |
| 总计 | 300.86 | 总计 | 300.86 |

支出决算表
编制部门：昌吉州外事办 单位：万元
| 项目 | | | | 本年支出合计 | 基本支出 | 项目支出 | 上缴上级支出 | 经营支出 | 对附属单位补助支出 |
| 类 | 款 | 项 | 合计 | 295.86 | 225.86 | 70.00 | | | |
| 201 | | | 一般公共服务支出 | 212.00 | 170.00 | 42.00 | | | |
| 201 | 03 | | 政府办公厅（室）及相关机构事务 | 210.00 | 170.00 | 40.00 | | | |
| 201 | 03 | 01 | 行政运行 | 170.00 | 170.00 | | | | |
| 201 | 03 | 02 | 一般行政管理事务 | 30.00 | | 30.00 | | | |
| 201 | 03 | 99 | 其他政府办公厅（室）及相关机构事务支出 | 10.00 | | 10.00 | | | |
| 201 | 34 | | 统战事务 | 2.00 | | 2.00 | | | |
| 201 | 34 | 05 | 华侨事务 | 2.00 | | 2.00 | | | |
| 203 | | | 国防支出 | 28.00 | | 28.00 | | | |
| 203 | 99 | | 其他国防支出 | 28.00 | | 28.00 | | | |
| 203 | 99 | 99 | 其他国防支出 | 28.00 | | 28.00 | | | |
| 208 | | | 社会保障和就业支出 | 20.89 | 20.89 | | | | |
| 208 | 05 | | 行政事业单位养老支出 | 20.89 | 20.89 | | | | |
| 208 | 05 | 05 | 机关事业单位基本养老保险缴费支出 | 20.89 | 20.89 | | | | |
| 210 | | | 卫生健康支出 | 34.97 | 34.97 | | | | |
| 210 | 11 | | 行政事业单位医疗 | 34.97 | 34.97 | | | | |
| 210 | 11 | 01 | 行政单位医疗 | 26.33 | 26.33 | | | | |
| 210 | 11 | 03 | 公务员医疗补助 | 8.56 | 8.56 | | | | |
| 210 | 11 | 99 | 其他行政事业单位医疗支出 | 0.08 | 0.08 | | | | |

一般公共预算财政拨款支出决算表
编制部门：昌吉州外事办 单位：万元
| 项目 | | | | 本年支出 | | |
| | | | | 小计 | 基本支出 | 项目支出 |
| 类 | 款 | 项 | 合计 | 285.86 | 225.86 | 60.00 |
| 201 | | | 一般公共服务支出 | 202.00 | 170.00 | 32.00 |
| 201 | 03 | | 政府办公厅（室）及相关机构事务 | 200.00 | 170.00 | 30.00 |
| 201 | 03 | 01 | 行政运行 | 170.00 | 170.00 | |
| 201 | 03 | 02 | 一般行政管理事务 | 30.00 | | 30.00 |
| 201 | 34 | | 统战事务 | 2.00 | | 2.00 |
| 201 | 34 | 05 | 华侨事务 | 2.00 | | 2.00 |
| 203 | | | 国防支出 | 28.00 | | 28.00 |
| 203 | 99 | | 其他国防支出 | 28.00 | | 28.00 |
| 203 | 99 | 99 | 其他国防支出 | 28.00 | | 28.00 |
| 208 | | | 社会保障和就业支出 | 20.89 | 20.89 | |
| 208 | 05 | | 行政事业单位养老支出 | 20.89 | 20.89 | |
| 208 | 05 | 05 | 机关事业单位基本养老保险缴费支出 | 20.89 | 20.89 | |
| 210 | | | 卫生健康支出 | 34.97 | 34.97 | |
| 210 | 11 | | 行政事业单位医疗 | 34.97 | 34.97 | |
| 210 | 11 | 01 | 行政单位医疗 | 26.33 | 26.33 | |
| 210 | 11 | 03 | 公务员医疗补助 | 8.56 | 8.56 | |
| 210 | 11 | 99 | 其他行政事业单位医疗支出 | 0.08 | 0.08 | |

一般公共预算财政拨款“三公”经费支出决算表
编制部门：昌吉州外事办 单位：万元
| 合计 | | 因公出国（境）费 | | 公务用车购置及运行费 | | | | | | 公务接待费 | |
| 预算数 | 决算数 | 预算数 | 决算数 | 预算数 | 决算数 | 预算数 | 决算数 | 预算数 | 决算数 | 预算数 | 决算数 |
| 5.32 | 4.00 | | | 4.50 | 3.60 | | | 4.50 | 3.60 | 0.82 | 0.40 |

第三部分 2021年度部门决算情况说明
昌吉州外事办2021年度收入支出总计300.86万元。
"""


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    data = tmp_path_factory.mktemp("execution")
    inbox = data / "inbox"
    inbox.mkdir()
    shutil.copy(SEED_PATH, inbox / "changji_waishiban_2021.txt")
    (inbox / "changji_waishiban_2021_final.txt").write_text(FINAL_2021, encoding="utf-8")
    for name in FINALS:
        shutil.copy(real_path(name), inbox / name)
    result = materialize(data)
    assert result.success
    with duckdb.connect(str(Settings(data_dir=data).warehouse), read_only=True) as c:
        yield c


def rows(con, sql, *params):
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def truth(name: str, key: str) -> Decimal:
    return D(FINALS[name]["figures"][key]["value"])


# ---- the real 决算 files against their truth ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(FINALS))
def test_final_expenditure_table_total_basic_project_match_the_truth(con, name):
    got = rows(
        con,
        """
        select total_wan_yuan, basic_wan_yuan, project_wan_yuan from core.fct_final_expenditure
        where source_file = ? and table_kind = 'final_expenditure' and is_total""",
        name,
    )
    figures = FINALS[name]["figures"]
    if "final_expenditure_table_total" not in figures:  # the template prints no amount
        assert got == []
        return
    assert got == [
        {
            "total_wan_yuan": truth(name, "final_expenditure_table_total"),
            "basic_wan_yuan": truth(name, "final_expenditure_table_basic"),
            "project_wan_yuan": truth(name, "final_expenditure_table_project"),
        }
    ]


def test_the_leaf_lines_add_up_to_the_printed_total(con):
    # 国家信访局 支出决算表: its 14 leaf lines sum to the printed 合计 14,572.53 exactly
    got = rows(
        con,
        """
        select count(*) as n, sum(total_wan_yuan) as total from core.fct_final_expenditure
        where source_file = 'cn-guojia-xinfangju-2024-juesuan.pdf' and table_kind = 'final_expenditure' and is_leaf""",
    )
    assert got == [{"n": 14, "total": D("14572.53")}]
    (leaf,) = rows(
        con,
        """
        select functional_code, printed_functional_name, total_wan_yuan, basic_wan_yuan, project_wan_yuan
        from core.fct_final_expenditure
        where source_file = 'cn-guojia-xinfangju-2024-juesuan.pdf' and table_kind = 'final_expenditure'
          and functional_code = '2014001'""",
    )
    # 行政运行 prints 6,026.13 under 基本支出 and a blank 项目支出 cell: 0
    assert leaf == {
        "functional_code": "2014001",
        "printed_functional_name": "行政运行",
        "total_wan_yuan": D("6026.13"),
        "basic_wan_yuan": D("6026.13"),
        "project_wan_yuan": D("0"),
    }


THREE_PUBLIC_FIGURES = {  # fct_final_three_public.item → the truth's 决算数 figure key
    "total": "final_three_public_total",
    "overseas_travel": "final_three_public_outbound",
    "vehicle_total": "final_three_public_vehicle_total",
    "vehicle_purchase": "final_three_public_vehicle_purchase",
    "vehicle_operation": "final_three_public_vehicle_operation",
    "official_reception": "final_three_public_reception",
}


@pytest.mark.parametrize("name", sorted(FINALS))
def test_three_public_budget_and_final_match_the_truth(con, name):
    got = {r["item"]: r for r in rows(con, "select * from core.fct_final_three_public where source_file = ?", name)}
    figures, absent = FINALS[name]["figures"], FINALS[name].get("absent", {})
    if "final_three_public_budget" not in figures:  # the template: a 三公 table with no printed cell
        assert got == {}
        return
    assert got["total"]["budget_wan_yuan"] == truth(name, "final_three_public_budget")
    for item, key in THREE_PUBLIC_FIGURES.items():
        if key in figures:
            assert (got[item]["final_wan_yuan"], got[item]["final_printed"]) == (truth(name, key), True), item
        else:  # printed blank (the truth's `absent`): 0
            assert key in absent, (name, key)
            assert (got[item]["final_wan_yuan"], got[item]["final_printed"]) == (D("0"), False), item


def test_three_public_budget_figures_of_the_central_file(con):
    # 公开09表's 预算数 block: 76.43 / 30.00 / 40.63 / blank / 40.63 / 5.80 (truth note, page 15)
    got = {
        r["item"]: r["budget_wan_yuan"]
        for r in rows(
            con,
            """
        select item, budget_wan_yuan from core.fct_final_three_public
        where source_file = 'cn-guojia-xinfangju-2024-juesuan.pdf'""",
        )
    }
    assert got == {
        "total": D("76.43"),
        "overseas_travel": D("30"),
        "vehicle_total": D("40.63"),
        "vehicle_purchase": D("0"),
        "vehicle_operation": D("40.63"),
        "official_reception": D("5.8"),
    }


@pytest.mark.parametrize("name", sorted(FINALS))
def test_summary_totals_match_the_truth(con, name):
    got = {
        (r["table_kind"], r["side"], r["line_type"]): r["amount_wan_yuan"]
        for r in rows(
            con,
            """
        select table_kind, side, line_type, amount_wan_yuan from core.fct_final_summary
        where source_file = ? and line_type <> 'line'""",
            name,
        )
    }
    figures = FINALS[name]["figures"]
    summary = "final_income_expenditure_summary"
    expected = {
        (summary, "收入", "total"): "final_total",
        (summary, "支出", "total"): "final_total",
        (summary, "收入", "income_total"): "final_income_total",
        (summary, "支出", "expenditure_total"): "final_expenditure_total",
        (summary, "收入", "carry_forward_begin"): "final_carry_forward_begin",
        (summary, "支出", "carry_forward_end"): "final_carry_forward_end",
        ("final_appropriation_summary", "收入", "total"): "final_appropriation_total",
    }
    for line, key in expected.items():
        assert got.get(line) == (truth(name, key) if key in figures else None), (line, key)


def test_the_real_final_accounts_have_quality_rows_and_no_execution_pair(con):
    got = rows(
        con,
        """
        select source_file, tables_found, tables_expected, has_unit_profile from marts.mart_disclosure_quality
        where disclosure_kind = '决算' and source_file in (select unnest(?)) order by source_file""",
        sorted(FINALS),
    )
    # the template prints no amount in any table; the others leave their empty 政府性基金 / 国有资本 tables blank
    assert [(r["source_file"], r["tables_found"], r["tables_expected"], r["has_unit_profile"]) for r in got] == [
        ("cn-guojia-xinfangju-2024-juesuan.pdf", 8, 9, None),
        ("shpt-caizhengju-2024-final.pdf", 7, 9, None),
        ("shpt-template-final.pdf", 0, 9, None),
    ]
    # no 预算 of these units is loaded: every row of theirs has the 决算 side only
    (n, with_budget) = con.execute("""
        select count(*), count(initial_budget_wan_yuan) from marts.mart_budget_execution
        where final_source_file = 'cn-guojia-xinfangju-2024-juesuan.pdf'""").fetchone()
    assert (n, with_budget) == (28, 0)  # 14 leaf lines × 2 scopes


# ---- the hand-built pair: 2021 预算 (the seed) and 2021 决算 of 昌吉州外事办 --------------------------


def test_budget_execution_rows_of_the_pair(con):
    got = rows(
        con,
        """
        select scope, functional_item_code, initial_budget_wan_yuan, adjusted_budget_wan_yuan, final_wan_yuan,
               final_basic_wan_yuan, final_project_wan_yuan, difference_wan_yuan, execution_rate,
               budget_source_file, final_source_file
        from marts.mart_budget_execution where unit_id = ? and fiscal_year = 2021
        order by scope, functional_item_code""",
        UNIT,
    )
    budget, final = "changji_waishiban_2021.txt", "changji_waishiban_2021_final.txt"
    same = [  # printed alike on both sides: rate 1
        ("2013405", D("2"), D("0"), D("2")),
        ("2039999", D("28"), D("0"), D("28")),
        ("2080505", D("20.89"), D("20.89"), D("0")),
        ("2101101", D("26.33"), D("26.33"), D("0")),
        ("2101103", D("8.56"), D("8.56"), D("0")),
        ("2101199", D("0.08"), D("0.08"), D("0")),
    ]

    def scope_rows(scope):
        out = [
            # 170 / 172.3 = 0.98665… → 0.9867; 30 / 36 = 0.8333…
            (scope, "2010301", D("172.3"), None, D("170"), D("170"), D("0"), D("-2.3"), D("0.9867"), budget, final),
            (scope, "2010302", D("36"), None, D("30"), D("0"), D("30"), D("-6"), D("0.8333"), budget, final),
            # printed by the 预算 only: the 决算 side is null, not 0
            (scope, "2010305", D("25.9"), None, None, None, None, None, None, budget, None),
        ]
        if scope == "all":  # printed by the 决算's 支出决算表 only (not its 一般公共预算 table)
            out.append((scope, "2010399", None, None, D("10"), D("0"), D("10"), None, None, None, final))
        out += [
            (scope, code, total, None, total, basic, project, D("0"), D("1"), budget, final)
            for code, total, basic, project in same
        ]
        return out

    assert [tuple(r.values()) for r in got] == scope_rows("all") + scope_rows("general_budget")


def test_budget_execution_regional_of_the_pair(con):
    got = rows(
        con,
        """
        select functional_item_code, initial_budget_wan_yuan, final_wan_yuan, difference_wan_yuan, execution_rate,
               unit_count_budget, unit_count_final, unit_count_both, region_name
        from marts.mart_budget_execution_regional
        where region_code = '652300' and fiscal_year = 2021 and scope = 'all'
          and functional_item_code in ('2010301', '2010305', '2010399')
        order by functional_item_code""",
    )
    assert [tuple(r.values()) for r in got] == [
        ("2010301", D("172.3"), D("170"), D("-2.3"), D("0.9867"), 1, 1, 1, "州本级"),
        ("2010305", D("25.9"), None, None, None, 1, 0, 0, "州本级"),
        ("2010399", None, D("10"), None, None, 0, 1, 0, "州本级"),
    ]


def test_three_public_execution_of_the_pair(con):
    got = rows(
        con,
        """
        select item, item_name, budget_wan_yuan, final_budget_wan_yuan, final_wan_yuan, difference_wan_yuan,
               execution_rate, within_budget
        from marts.mart_three_public_execution where unit_id = ? and fiscal_year = 2021 order by item""",
        UNIT,
    )
    assert [tuple(r.values()) for r in got] == [
        # 0.4 / 0.62 = 0.64516… → 0.6452
        ("official_reception", "公务接待费", D("0.62"), D("0.82"), D("0.4"), D("-0.22"), D("0.6452"), True),
        # a 0 budget: no rate; 0 <= 0 is within budget
        ("overseas_travel", "因公出国（境）费", D("0"), D("0"), D("0"), D("0"), None, True),
        # 4 / 5.12 = 0.78125 → 0.7813 (half up)
        ("total", "合计", D("5.12"), D("5.32"), D("4"), D("-1.12"), D("0.7813"), True),
        ("vehicle_operation", "公务用车运行维护费", D("4.5"), D("4.5"), D("3.6"), D("-0.9"), D("0.8"), True),
        # 表八 prints the 购置费 cell blank, the 决算 too: 0 on every side
        ("vehicle_purchase", "公务用车购置费", D("0"), D("0"), D("0"), D("0"), None, True),
    ]
    (regional,) = rows(
        con,
        """
        select budget_wan_yuan, final_wan_yuan, execution_rate, unit_count_both, unit_count_over_budget
        from marts.mart_three_public_execution_regional where region_code = '652300' and fiscal_year = 2021
          and item = 'total'""",
    )
    assert tuple(regional.values()) == (D("5.12"), D("4"), D("0.7813"), 1, 0)


def test_three_public_budget_warning_on_the_final_accounts(con):
    got = rows(
        con,
        """
        select f.source_file, f.rule_id, f.severity, f.location, f.expected, f.actual, f.difference, f.finding_source
        from core.fct_findings f where f.rule_id = 'FA-THREE-PUBLIC-BUDGET' order by f.finding_no""",
    )
    final = "changji_waishiban_2021_final.txt"
    assert [tuple(r.values()) for r in got] == [
        (final, "FA-THREE-PUBLIC-BUDGET", "warning", "合计 预算数", D("5.12"), D("5.32"), D("0.2"), "dbt"),
        (final, "FA-THREE-PUBLIC-BUDGET", "warning", "公务接待费 预算数", D("0.62"), D("0.82"), D("0.2"), "dbt"),
    ]
    (quality,) = rows(
        con,
        """
        select tables_found, has_narrative, error_count, warning_count, warehouse_finding_count, completeness_score
        from marts.mart_disclosure_quality where unit_id = ? and fiscal_year = 2021 and disclosure_kind = '决算'""",
        UNIT,
    )
    # 4 of the nine 决算 tables, a 情况说明 figure: (4 + 1) / 10
    assert tuple(quality.values()) == (4, True, 0, 2, 2, D("0.5"))


def test_a_final_accounts_never_replaces_the_budget(con):
    got = rows(
        con,
        """
        select disclosure_kind, source_file from marts.mart_disclosure_quality
        where unit_id = ? and fiscal_year = 2021 order by disclosure_kind""",
        UNIT,
    )
    assert [tuple(r.values()) for r in got] == [
        ("决算", "changji_waishiban_2021_final.txt"),
        ("预算", "changji_waishiban_2021.txt"),
    ]
    # the 预算 marts still read the 预算 alone: 表三's 2010301 is the budget's 172.3
    (spending,) = rows(
        con,
        """
        select total_wan_yuan from marts.mart_regional_spending
        where fiscal_year = 2021 and region_code = '652300' and functional_item_code = '2010301'""",
    )
    assert spending["total_wan_yuan"] == D("172.3")
