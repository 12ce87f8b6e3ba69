"""决算 (issue 13), what a 决算 says beyond its nine tables: the 项目绩效自评表 read line by line into
raw_final_evaluation_lines (FA-EVALUATION: the form's own arithmetic), the 情况说明's wording against its
amounts (FA-WORDING), the parts it lists against their totals (FA-PARTS), its further facts (the “三公” parts,
政府采购, vehicles, each project's 自评) against the tables and forms, and the budget columns some templates
print beside 决算数 in 一般公共预算财政拨款支出决算表. Small grids built by hand in the layouts of the real files;
the last test reads the real 国家信访局 2024 决算 against its truth file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest
import yaml

from ingest.grid import GridDocument
from ingest.model import ARROW_TYPES, RAW_TABLES
from ingest.recognize import recognize
from ingest.recognize.final_accounts import FinalDisclosure, final_figures
from ingest.recognize.final_evaluation import loose_labels
from tests.test_final_accounts import Lines

D = Decimal


def rules(d) -> list[tuple[str, str]]:
    return [(f.rule_id, f.severity) for f in d.findings]


# ---- 项目绩效自评表 ------------------------------------------------------------------------------


def evaluation_grid(
    rate="77.13%",
    funds_score="7.7",
    fiscal_executed="351.13",
    printed_score="9",
    total="94.7",
    said_score="94.7",
    said_count="1",
    said_pct="77.1",
) -> GridDocument:
    """The 中央 form over two pages, as the PDF reader gives it: the 产出指标 / 数量指标 cell merged over rows
    of the first page is printed after its grid (those rows lack the two cells), the second page's grid has
    no title and blank level cells (the merged cells' later rows)."""
    b = Lines().p(
        "国家某局",
        "2024年度部门决算",
        "第三部分 国家某局2024年度部门决算情况说明",
        f"国家某局在2024年度中央部门决算中反映了某专项{said_count}个项目绩效自评结果。",
        f"1.某专项项目综述：根据年初设定的绩效目标，项目自评得分为{said_score}分。全年预算数为536.20万元，"
        f"执行数为413.57万元，完成预算的{said_pct}%。",
        "某专项项目绩效自评表",
        "（2024年度）",
    )
    b.t(
        [
            ["项目名称", "某专项"],
            ["主管部门", "[292] 国家某局", "实施单位", "国家某局"],
            ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["", "年度资金总额：", "493.76", "536.2", "413.57", "10.0", rate, funds_score],
            ["", "其中：财政拨款", "473.76", "473.76", fiscal_executed, "--", "0.0%", "--"],
            ["", "上年结转", "20.00", "62.44", "62.44", "--", "0.0%", "--"],
            ["", "其他资金", "0.00", "0.00", "0.00", "--", "0.0%", "--"],
            ["年度总体目标", "预期目标", "实际完成情况"],
            ["", "目标1：做好 《条例》 贯彻落实工作", "1.研究起草意见"],
            [
                "绩效指标",
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
                "偏差原因分析及改进措施",
            ],
            ["", "成本指标", "经济成本指标", "每本刊物印刷成本", "≤1.4元", "1.4元", "20", "20", ""],
            ["", "形成的研究成果数", "≥18个", "30个", "30", "29", "进度调整"],
            ["", "出版图书", "≥1本", "2本", "10", printed_score, ""],
        ]
    )
    b.p("产出指标 数量指标")
    b.t(
        [
            ["", "", "", "舆情报告报送量（期）", "≥55期", "55期", "10", "10", ""],
            ["", "效益指标", "社会效益指标", "信访工作法治化水平", "有一定提升", "持续提升", "10", "9", "有提升空间"],
            ["", "满意度指标", "服务对象满意度指标", "读者满意度", "≥95%", "96.72%", "10", "10", ""],
            ["总分", "100", total, ""],
        ]
    )
    return GridDocument("x-2024-juesuan.pdf", b.blocks, "pdf")


def test_a_self_evaluation_form_is_read_line_by_line():
    d = recognize(evaluation_grid())
    assert isinstance(d, FinalDisclosure)
    assert rules(d) == []
    rows = d.table("raw_final_evaluation_lines")
    table = RAW_TABLES["raw_final_evaluation_lines"]
    schema = pa.schema([pa.field(c.name, ARROW_TYPES[c.kind], nullable=c.nullable) for c in table.columns])
    assert pa.Table.from_pylist(rows, schema=schema).num_rows == len(rows) == 12
    assert {(r["project_name"], r["department"], r["implementing_unit"], r["evaluation_no"]) for r in rows} == {
        ("某专项", "[292]国家某局", "国家某局", 1)
    }
    funds = {r["fund_source"]: r for r in rows if r["line_kind"] == "funds"}
    assert list(funds) == ["年度资金总额", "财政拨款", "上年结转", "其他资金"]
    total = funds["年度资金总额"]
    assert (
        total["initial_budget_wan_yuan"],
        total["full_year_budget_wan_yuan"],
        total["executed_wan_yuan"],
        total["weight"],
        total["execution_rate_pct"],
        total["score"],
    ) == (D("493.76"), D("536.2"), D("413.57"), D("10.0"), D("77.13"), D("7.7"))
    assert (funds["财政拨款"]["score"], funds["财政拨款"]["execution_rate_pct"]) == (None, D("0.0"))  # "--", as printed
    (goal,) = [r for r in rows if r["line_kind"] == "goal"]
    assert (goal["target_value"], goal["actual_value"]) == ("目标1：做好 《条例》 贯彻落实工作", "1.研究起草意见")
    indicators = [
        (r["level1"], r["level2"], r["level3"], r["weight"], r["score"]) for r in rows if r["line_kind"] == "indicator"
    ]
    assert indicators == [
        ("成本指标", "经济成本指标", "每本刊物印刷成本", D(20), D(20)),
        ("产出指标", "数量指标", "形成的研究成果数", D(30), D(29)),  # the merged cells printed after the grid
        ("产出指标", "数量指标", "出版图书", D(10), D(9)),
        ("产出指标", "数量指标", "舆情报告报送量（期）", D(10), D(10)),  # next page: the merged cells go on
        ("效益指标", "社会效益指标", "信访工作法治化水平", D(10), D(9)),
        ("满意度指标", "服务对象满意度指标", "读者满意度", D(10), D(10)),
    ]
    reason = next(r for r in rows if r["level3"] == "形成的研究成果数")
    assert (reason["target_value"], reason["actual_value"], reason["deviation_reason"]) == ("≥18个", "30个", "进度调整")
    (last,) = [r for r in rows if r["line_kind"] == "total"]
    assert (last["weight"], last["score"], last["line_no"]) == (D(100), D("94.7"), rows[-1]["line_no"])
    figures = {k: (f.value, f.money_unit) for k, f in final_figures(d).items() if k.startswith("final_evaluation")}
    assert figures == {
        "final_evaluation_full_year_budget": (D("536.2"), "万元"),
        "final_evaluation_executed": (D("413.57"), "万元"),
        "final_evaluation_execution_rate": (D("77.13"), "%"),
        "final_evaluation_funds_score": (D("7.7"), "分"),
        "final_evaluation_total_score": (D("94.7"), "分"),
        "final_evaluation_indicators": (D(6), "个"),
    }
    said = {(f["fact_key"], f["subject"]): f["value"] for f in d.table("raw_narrative_facts")}
    assert said[("final.evaluation.score", "某专项")] == D("94.7")
    assert said[("final.evaluation.count", None)] == D(1)


def test_a_self_evaluation_form_in_a_text_file_reads_the_same(tmp_path):
    """Through the text reader and the pipeline's parse (with validation), not only as a grid."""
    from ingest.pipeline import parse_path
    from tests.test_final_accounts import final_text

    grid = evaluation_grid(said_score="88.5")
    path = tmp_path / "x-2024-juesuan.txt"
    path.write_text(final_text(grid), encoding="utf-8")
    parsed = parse_path(path)
    assert parsed.error is None

    def lines(d):
        return [{k: v for k, v in r.items() if k != "line_no"} for r in d.table("raw_final_evaluation_lines")]

    assert lines(parsed.disclosure) == lines(recognize(grid))
    assert rules(parsed.disclosure) == [("FA-NARRATIVE", "error")]


def test_the_loose_labels_of_merged_cells():
    assert loose_labels(["效益指 社会效益指", "标 标"]) == ["效益指标", "社会效益指标"]  # side by side, each wrapped
    assert loose_labels(["产出指", "标", "质量指标"]) == ["产出指标", "质量指标"]  # one cell per line
    assert loose_labels(["产出指标 数量指标", "（三）部门评价项目绩效评价结果"]) == ["产出指标", "数量指标"]
    assert loose_labels(["注：本表反映…"]) == [] and loose_labels(["说明 情况"]) == []


@pytest.mark.parametrize(
    "change, finding",
    [
        ({"rate": "71.13%"}, ("FA-EVALUATION", "error")),  # 413.57 / 536.2 = 77.13%
        ({"fiscal_executed": "361.13"}, ("FA-EVALUATION", "error")),  # 361.13 + 62.44 + 0 ≠ 413.57
        ({"printed_score": "11", "total": "96.7"}, ("FA-EVALUATION", "error")),  # 得分 11 above 分值 10
        ({"total": "96.7"}, ("FA-EVALUATION", "error")),  # 7.7 + 20 + 29 + 9 + 10 + 9 + 10 = 94.7
        ({"funds_score": "8.7", "total": "95.7"}, ("FA-EVALUATION", "warning")),  # 10 × 77.13% = 7.7, not 8.7
    ],
)
def test_a_form_whose_arithmetic_does_not_hold(change, finding):
    assert finding in rules(recognize(evaluation_grid(**change)))


def test_the_narrative_of_each_project_against_its_form():
    d = recognize(evaluation_grid(said_score="88.5"))
    (f,) = d.findings
    assert (f.rule_id, f.severity, f.expected, f.actual) == ("FA-NARRATIVE", "error", D("94.7"), D("88.5"))
    assert "某专项 总分 88.5分" in f.message
    (f,) = recognize(evaluation_grid(said_count="4")).findings
    assert (f.rule_id, f.expected, f.actual) == ("FA-NARRATIVE", D(1), D(4))
    assert rules(recognize(evaluation_grid(said_pct="77.2"))) == []  # 77.13 truncated to one place: one unit allowed
    (f,) = recognize(evaluation_grid(said_pct="87.1")).findings
    assert (f.rule_id, f.expected) == ("FA-COMPLETION", D("77.1"))


# ---- the 情况说明: wording, parts, the “三公” parts --------------------------------------------------


def narrative_grid(
    *sentences: str,
    three_public=("76.43", "46.21", "30.00", "4.69", "40.63", "40.61", "", "", "40.63", "40.61", "5.80", "0.90"),
) -> GridDocument:
    b = Lines().p("某局", "2024年度部门决算", "财政拨款“三公”经费支出决算表", "单位：万元")
    b.t(
        [
            ["合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"],
            ["预算数", "决算数"] * 6,
            list(three_public),
        ]
    )
    b.p("第三部分 2024年度部门决算情况说明", *sentences)
    return GridDocument("x-2024-final.pdf", b.blocks, "pdf")


def test_a_change_said_the_wrong_way_round_or_with_a_wrong_percentage():
    ok = "八、机关运行经费支出说明 2024年度机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。"
    d = recognize(narrative_grid(ok))
    assert rules(d) == []
    facts = {f["fact_key"]: (f["subject"], f["value"]) for f in d.table("raw_narrative_facts")}
    assert facts["final.change"] == ("机关运行经费支出", D("2.55"))
    assert facts["final.change_pct"] == ("机关运行经费支出", D("1.40"))
    assert facts["final.office_operation"] == (None, D("184.65"))
    (f,) = recognize(narrative_grid(ok.replace("增长1.40", "下降1.40"))).findings
    assert (f.rule_id, f.severity) == ("FA-WORDING", "error") and "opposite" in f.message
    (f,) = recognize(narrative_grid(ok.replace("增长1.40", "增长1.60"))).findings
    assert (f.rule_id, f.severity, f.expected, f.actual) == ("FA-WORDING", "warning", D("1.40"), D("1.60"))
    d = recognize(
        narrative_grid(
            "2024年度财政拨款支出13733.8万元，占总支出94.24%。与2023年度相比，财政拨款支出减少287.41万元，降低2.05%。"
        )
    )
    assert rules(d) == []  # 287.41 / (13733.8 + 287.41) = 2.05%, the amount in the sentence before
    assert (
        recognize(narrative_grid("收入支出总计XXX万元，与2023年度相比增加(减少)XXX万元。")).table("raw_narrative_facts")
        == []
    )


def test_budget_and_final_said_to_be_level():
    def said(final, words):
        return recognize(
            narrative_grid(
                f"1、一般公共服务支出（类）财政事务（款）一般行政管理事务（项）。年初预算为10.00万元，"
                f"支出决算为{final}万元。决算数与预算数{words}。"
            )
        )

    assert rules(said("10.00", "持平")) == []
    assert rules(said("10.50", "持平")) == [("FA-WORDING", "error")]
    assert rules(said("10.05", "基本持平")) == []  # within 1% of the 预算数
    assert rules(said("10.50", "基本持平")) == [("FA-WORDING", "warning")]


def test_the_parts_the_narrative_lists_against_its_totals():
    procurement = (
        "2024年度政府采购支出总额100.00万元，其中：政府采购货物支出10.00万元、政府采购工程支出{works}万元、"
        "政府采购服务支出60.00万元。授予中小企业合同金额50.00万元，其中：授予小微企业合同金额{small}万元。"
    )
    vehicles = (
        "截至2024年12月31日，某局共有车辆{n}辆，其中：机要通信用车2辆、其他用车3辆；"
        "单价100万元以上设备（不含车辆）1台（套）。"
    )
    d = recognize(narrative_grid(procurement.format(works="30.00", small="20.00"), vehicles.format(n=5)))
    assert rules(d) == []
    facts = {(f["fact_key"], f["subject"]): f["value"] for f in d.table("raw_narrative_facts")}
    assert (
        facts[("final.procurement.goods", None)],
        facts[("final.procurement.works", None)],
        facts[("final.procurement.services", None)],
    ) == (D("10.00"), D("30.00"), D("60.00"))
    assert facts[("final.assets.vehicle_kind", "机要通信用车")] == D(2)
    assert facts[("final.assets.equipment_over_1m", None)] == D(1)
    d = recognize(narrative_grid(procurement.format(works="20.00", small="60.00"), vehicles.format(n=6)))
    assert sorted(rules(d)) == [("FA-PARTS", "error")] * 3
    assert rules(recognize(narrative_grid(procurement.format(works="30.01", small="20.00")))) == [("FA-PARTS", "info")]


def test_the_three_public_parts_against_the_table():
    parts = (
        "其中：因公出国（境）费支出决算为{out}万元，完成预算的{pct}%；公务用车购置及运行费支出决算为40.61万元，完成预算的99.95%；"
        "公务接待费支出决算为0.9万元，完成预算的15.52%。"
    )
    d = recognize(narrative_grid(parts.format(out="4.69", pct="15.63")))
    assert rules(d) == []
    facts = {f["fact_key"]: f["value"] for f in d.table("raw_narrative_facts")}
    assert (facts["final.three_public.outbound"], facts["final.three_public.reception.completion_pct"]) == (
        D("4.69"),
        D("15.52"),
    )
    (f,) = recognize(narrative_grid(parts.format(out="5.69", pct="18.97"))).findings  # 5.69 / 30.00 = 18.97%
    assert (f.rule_id, f.severity, f.expected, f.actual) == ("FA-NARRATIVE", "error", D("4.69"), D("5.69"))
    (f,) = recognize(narrative_grid(parts.format(out="4.69", pct="25.63"))).findings
    assert (f.rule_id, f.expected) == ("FA-COMPLETION", D("15.63"))


def test_the_performance_management_summary():
    d = recognize(
        narrative_grid(
            "十、预算绩效管理情况 编报绩效目标的2024年度项目4个，涉及预算金额598.42万元；绩效自评的2024年度"
            "项目3个，涉及预算金额500.00万元，平均得分99.43分(其中，绩效评级为优的项目3个)。"
        )
    )
    facts = {f["fact_key"]: (f["value"], f["value_unit"]) for f in d.table("raw_narrative_facts")}
    assert {k: v for k, v in facts.items() if k.startswith("final.performance.")} == {
        "final.performance.target_count": (D(4), "个"),
        "final.performance.target_amount": (D("598.42"), "万元"),
        "final.performance.self_evaluated_count": (D(3), "个"),
        "final.performance.self_evaluated_amount": (D("500.00"), "万元"),
        "final.performance.self_evaluated_average_score": (D("99.43"), "分"),
    }


# ---- budget columns beside 决算数 -------------------------------------------------------------------


def test_budget_columns_beside_the_final_amounts():
    """A template that prints 年初预算数 / 调整预算数 / 全年预算数 beside 决算数 (小计 基本支出 项目支出) and the
    决算数 as a % of 全年预算数: every column keeps its meaning in raw_final_lines."""
    b = Lines().p("某局", "2024年度部门决算", "一般公共预算财政拨款支出决算表", "单位：万元")
    b.t(
        [
            ["科目编码", "科目名称", "年初预算数", "调整预算数", "全年预算数", "决算数", "决算数为全年预算数的%"],
            ["", "", "", "", "", "小计", "基本支出", "项目支出", ""],
            ["合计", "", "100.00", "10.00", "110.00", "105.00", "60.00", "45.00", "95.45%"],
            ["2010601", "行政运行", "100.00", "10.00", "110.00", "105.00", "60.00", "45.00", "95.45%"],
        ]
    )
    d = recognize(GridDocument("x-2024-final.pdf", b.blocks, "pdf"))
    assert rules(d) == []
    line = {
        r["column_meaning"]: (r["amount_wan_yuan"], r["printed_text"])
        for r in d.table("raw_final_lines")
        if r["functional_code"] == "2010601"
    }
    assert line == {
        "initial_budget": (D("100.00"), "100.00"),
        "adjusted_budget": (D("10.00"), "10.00"),
        "full_year_budget": (D("110.00"), "110.00"),
        "total": (D("105.00"), "105.00"),
        "basic": (D("60.00"), "60.00"),
        "project": (D("45.00"), "45.00"),
        "completion_pct": (None, "95.45%"),
    }
    assert final_figures(d)["final_general_budget_total"].value == D("105.00")
    b = Lines().p("某局", "2024年度部门决算", "一般公共预算财政拨款支出决算表", "单位：万元")
    b.t(
        [
            ["科目编码", "科目名称", "年初预算数", "全年预算数", "决算数"],
            ["2010601", "行政运行", "100.00", "110.00", "105.00"],
        ]
    )
    d = recognize(GridDocument("x-2024-final.pdf", b.blocks, "pdf"))
    assert {r["column_meaning"]: r["amount_wan_yuan"] for r in d.table("raw_final_lines")} == {
        "initial_budget": D("100.00"),
        "full_year_budget": D("110.00"),
        "total": D("105.00"),
    }


# ---- the real 国家信访局 2024 决算 ------------------------------------------------------------------

TRUTH = Path(__file__).parent / "realworld" / "truth" / "final-accounts" / "cn-guojia-xinfangju-2024-juesuan.yaml"


@pytest.mark.slow
def test_the_real_self_evaluations_against_their_truth():
    from bench.realworld import real_path
    from ingest.pipeline import parse_path

    truth = yaml.safe_load(TRUTH.read_text(encoding="utf-8"))
    d = parse_path(real_path(truth["file"])).disclosure
    rows = d.table("raw_final_evaluation_lines")
    got = []
    for no in sorted({r["evaluation_no"] for r in rows}):
        mine = [r for r in rows if r["evaluation_no"] == no]
        funds = {r["fund_source"]: r for r in mine if r["line_kind"] == "funds"}
        total = funds.pop("年度资金总额")
        levels: dict[str, int] = {}
        for r in mine:
            if r["line_kind"] == "indicator":
                levels[r["level1"]] = levels.get(r["level1"], 0) + 1
        (last,) = [r for r in mine if r["line_kind"] == "total"]
        got.append(
            (
                mine[0]["project_name"],
                mine[0]["department"],
                mine[0]["implementing_unit"],
                total["initial_budget_wan_yuan"],
                total["full_year_budget_wan_yuan"],
                total["executed_wan_yuan"],
                total["weight"],
                total["execution_rate_pct"],
                total["score"],
                {
                    k: [r["initial_budget_wan_yuan"], r["full_year_budget_wan_yuan"], r["executed_wan_yuan"]]
                    for k, r in funds.items()
                },
                levels,
                last["score"],
            )
        )
    want = [
        (
            t["project"],
            t["department"].replace(" ", ""),
            t["implementing_unit"],
            D(t["initial_budget"]),
            D(t["full_year_budget"]),
            D(t["executed"]),
            D(t["weight"]),
            D(t["execution_rate"]),
            D(t["funds_score"]),
            {k: [D(x) for x in v] for k, v in t["sources"].items()},
            t["indicators"],
            D(t["total_score"]),
        )
        for t in truth["self_evaluations"]
    ]
    assert got == want
    assert not [f for f in d.findings if f.rule_id == "FA-EVALUATION"]  # the four forms hold their arithmetic
