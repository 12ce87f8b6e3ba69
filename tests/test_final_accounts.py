"""决算 (final accounts, issue 13): a 部门决算 is recognised by its tables' kinds, not refused; its key
figures are read by label and column meaning; the FA-* rules find a summary that does not add up, a
情况说明 that contradicts its table, and placeholders left in a template. The real files are measured
by `make realworld` (tests/test_realworld.py); these build small 决算 grids in the two layouts seen
(上海 label/amount pairs, 中央 公开01表 with 行次 columns)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.grid import GridDocument, Paragraph, Table
from ingest.model import ARROW_TYPES as ARROW
from ingest.readers import UnreadableFileError
from ingest.recognize import recognize
from ingest.recognize.final_accounts import FinalDisclosure, final_figures
from ingest.recognize.kinds import classify


class Lines:
    """Blocks with increasing line numbers."""

    def __init__(self):
        self.blocks, self.line = [], 1000

    def p(self, *texts):
        for t in texts:
            self.line += 1
            self.blocks.append(Paragraph(t, self.line))
        return self

    def t(self, rows):
        self.line += 1
        lines = list(range(self.line, self.line + len(rows)))
        self.blocks.append(Table([list(r) for r in rows], self.line, lines))
        self.line += len(rows)
        return self


def shanghai(
    total_said="2995.39",
    appropriation_said="2961.68",
    unit="上海市普陀区某局",
    begin="49.14",
    three_public_final="",
    spent_table=("2,940.05", "2,336.91"),
    class_line="2,940.05",
) -> GridDocument:
    b = Lines().p(unit, "2024年度部门决算", "第二部分 2024年度部门决算表", "收入支出决算总表", "单位：万元")
    b.t(
        [
            ["收入", "支出"],
            ["项目", "决算数", "项目", "决算数"],
            ["一、一般公共预算财政拨款收入", "2,940.05", "一、一般公共服务支出", class_line],
            ["八、其他收入", "6.20", "", ""],
            ["本年收入合计", "2,946.25", "本年支出合计", "2,940.05"],
            ["使用非财政拨款结余", "", "结余分配", ""],
            ["年初结转和结余", begin, "年末结转和结余", "55.34"],
            ["总计", "2,995.39", "总计", "2,995.39"],
        ]
    )
    b.p("支出决算表", "单位：万元")
    b.t(
        [
            ["项目", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
            ["类", "款", "项", "合计", spent_table[0], spent_table[1], "603.14", "", "", ""],
            ["201", "", "", "一般公共服务支出", "2,940.05", "2,336.91", "603.14", "", "", ""],
            ["201", "06", "01", "行政运行", "2,940.05", "2,336.91", "603.14", "", "", ""],
        ]
    )
    b.p("财政拨款收入支出决算总表", "单位：万元")
    b.t(
        [
            ["收入", "支出"],
            [
                "项目",
                "决算数",
                "项目",
                "合计",
                "一般公共预算财政拨款",
                "政府性基金预算财政拨款",
                "国有资本经营预算财政拨款",
            ],
            ["一、一般公共预算财政拨款", "2,940.05", "一、一般公共服务支出", "2,940.05", "2,940.05", "", ""],
            ["本年收入合计", "2,940.05", "本年支出合计", "2,940.05", "2,940.05", "", ""],
            ["年初财政拨款结转和结余", "21.63", "年末财政拨款结转和结余", "21.63", "21.63", "", ""],
            ["总计", "2,961.68", "总计", "2,961.68", "2,961.68", "", ""],
        ]
    )
    b.p("财政拨款“三公”经费支出决算表", "单位：万元")
    b.t(
        [
            ["合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"],
            ["预算数", "决算数"] * 6,
            ["0.95", three_public_final, "", "", "", "", "", "", "", "", "0.95", three_public_final],
        ]
    )
    b.p(
        "第三部分 2024年度部门决算情况说明",
        f"{unit}2024年度收入支出总计{total_said}万元。与2023年度相比，",
        f"{unit}2024年度财政拨款收入支出总计{appropriation_said}万",
        "元。与2023年度相比持平。",
        "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%。",
    )
    return GridDocument("shpt-x-2024-final.pdf", b.blocks, "pdf")


def errors(d) -> list[str]:
    return [f.rule_id for f in d.findings if f.severity == "error"]


def test_final_accounts_titles_are_their_own_kinds():
    assert classify("收入支出决算总表").id == "final_income_expenditure_summary"
    assert classify("财政拨款收入支出决算总表").id == "final_appropriation_summary"
    assert classify("一般公共预算财政拨款“三公”经费支出决算表").id == "final_three_public"  # not the 预算 三公 kind
    assert classify("一般公共预算财政拨款基本支出决算表").id == "final_general_budget_basic"
    assert classify("国有资本经营预算财政拨款收入支出决算表").id == "final_state_capital"
    assert classify("信访干部培训专项项目绩效自评表").id == "final_performance_self_evaluation"
    assert classify("表八 “三公”经费支出情况表").id == "three_public"  # a 预算's stays what it was


def test_a_consistent_final_accounts_file_loads_as_a_final_accounts_disclosure():
    d = recognize(shanghai())
    assert isinstance(d, FinalDisclosure)
    assert (d.unit_name, d.fiscal_year) == ("上海市普陀区某局", 2024)
    doc = d.table("raw_documents")[0]
    assert (doc["disclosure_kind"], doc["budget_level"], doc["tables_found"]) == ("决算", "部门", 4)
    assert errors(d) == []
    figures = {k: f.value for k, f in final_figures(d).items()}
    assert figures == {
        "final_total": Decimal("2995.39"),
        "final_income_total": Decimal("2946.25"),
        "final_expenditure_total": Decimal("2940.05"),
        "final_carry_forward_begin": Decimal("49.14"),
        "final_carry_forward_end": Decimal("55.34"),
        "final_expenditure_table_total": Decimal("2940.05"),
        "final_expenditure_table_basic": Decimal("2336.91"),
        "final_expenditure_table_project": Decimal("603.14"),
        "final_appropriation_total": Decimal("2961.68"),
        "final_three_public_budget": Decimal("0.95"),
        "narrative_final_total": Decimal("2995.39"),
        "narrative_final_appropriation_total": Decimal("2961.68"),
        "narrative_final_three_public_total": Decimal("0.00"),
    }


def test_the_narrative_contradicting_the_table_is_an_error():
    d = recognize(shanghai(appropriation_said="0.3"))
    (f,) = [f for f in d.findings if f.rule_id == "FA-NARRATIVE"]
    assert (f.severity, f.actual, f.expected) == ("error", Decimal("0.3"), Decimal("2961.68"))
    assert "财政拨款收入支出总计 0.3万元" in f.message


def test_a_narrative_rounded_by_one_cent_is_info():
    d = recognize(shanghai(total_said="2995.40"))
    assert [(f.rule_id, f.severity) for f in d.findings] == [("FA-NARRATIVE", "info")]


def test_the_three_public_narrative_against_its_printed_final_cells():
    assert errors(recognize(shanghai(three_public_final="0.95"))) == ["FA-NARRATIVE"]  # says 0.00, prints 0.95
    assert errors(recognize(shanghai(three_public_final=""))) == []  # blank 决算数 = nothing spent = 0.00


def test_a_summary_that_does_not_add_up_is_an_error():
    d = recognize(shanghai(begin="59.14"))  # 2946.25 + 59.14 ≠ 总计 2995.39
    (f,) = [f for f in d.findings if f.rule_id == "FA-TOTAL"]
    assert (f.severity, f.expected, f.actual) == ("error", Decimal("3005.39"), Decimal("2995.39"))


def test_the_expenditure_table_against_the_summary():
    d = recognize(shanghai(spent_table=("2,950.05", "2,346.91")))  # adds up (基本+项目), but not to 本年支出合计
    (f,) = [f for f in d.findings if f.severity == "error"]
    assert (f.rule_id, f.expected, f.actual) == ("FA-CROSS", Decimal("2940.05"), Decimal("2950.05"))
    d = recognize(shanghai(spent_table=("2,940.05", "2,346.91")))  # 基本 + 项目 ≠ 合计
    assert errors(d) == ["FA-TOTAL"]


def test_a_class_line_printed_differently_in_two_tables():
    d = recognize(shanghai(class_line="2,904.05"))
    (f,) = [f for f in d.findings if f.rule_id == "FA-CROSS"]
    assert (f.severity, f.expected, f.actual) == ("error", Decimal("2940.05"), Decimal("2904.05"))
    assert "一般公共服务支出" in f.message
    assert [(f.rule_id, f.severity) for f in recognize(shanghai(class_line="2,940.04")).findings] == [
        ("FA-CROSS", "info")
    ]


def test_placeholders_left_in_a_template_are_an_error():
    d = recognize(shanghai(unit="上海市XX局", total_said="XXX", appropriation_said="XXX"))
    assert errors(d) == ["FA-PLACEHOLDER"]
    assert d.unit_name == "上海市XX局"
    assert "template placeholders" in d.findings[0].message


def test_central_layout_with_row_number_columns():
    b = Lines().p("国家信访局", "2024年度部门决算", "收入支出决算总表", "公开01表", "部门：国家信访局 金额单位：万元")
    b.t(
        [
            ["收入", "支出"],
            ["项目", "行次", "金额", "项目", "行次", "金额"],
            ["栏次", "", "1", "栏次", "", "2"],
            ["一、一般公共预算财政拨款收入", "1", "19,572.91", "一、一般公共服务支出", "32", "10,685.56"],
            ["本年收入合计", "27", "20,451.35", "本年支出合计", "58", "14,572.53"],
            ["使用非财政拨款结余", "28", "", "结余分配", "59", ""],
            ["年初结转和结余", "29", "1,615.24", "年末结转和结余", "60", "7,494.06"],
            ["总计", "31", "22,066.59", "总计", "62", "22,066.59"],
        ]
    )
    b.p("一般公共预算财政拨款“三公”经费支出决算表", "公开09表", "部门：国家信访局 金额单位：万元")
    b.t(
        [
            ["预算数", "决算数"],
            [
                "合计",
                "因公出国（境）费",
                "公务用车购置及运行维护费",
                "公务接待费",
                "合计",
                "因公出国（境）费",
                "公务用车购置及运行维护费",
                "公务接待费",
            ],
            [str(n) for n in range(1, 13)],
            ["76.43", "30.00", "40.63", "", "40.63", "5.80", "46.21", "4.69", "40.61", "", "40.61", "0.90"],
        ]
    )
    b.p(
        "第三部分 国家信访局2024年度部门决算情况说明",
        "国家信访局2024年度收、支总计22066.59万元，与2023年",
        "国家信访局2024年度“三公”经费财政拨款支出预算为76.43万元，2024年度支出决算为46.21万元。",
    )
    d = recognize(GridDocument("cn-x-2024-juesuan.pdf", b.blocks, "pdf"))
    figures = {k: f.value for k, f in final_figures(d).items()}
    assert figures["final_total"] == Decimal("22066.59")  # not the 行次 31
    assert figures["final_carry_forward_end"] == Decimal("7494.06")
    assert figures["final_three_public_budget"] == Decimal("76.43")
    assert figures["final_three_public_total"] == Decimal("46.21")
    assert figures["final_three_public_reception"] == Decimal("0.90")
    assert "final_three_public_vehicle_purchase" not in figures  # printed blank
    assert d.findings == []


def test_a_final_accounts_file_without_recognisable_tables_is_still_refused():
    b = Lines().p("某局", "2024年度部门决算", "表一 2024年部门决算收支总体情况表", "单位：万元")
    b.t([["项目", "金额"], ["收入合计", "1.00"], ["支出合计", "1.00"]])
    with pytest.raises(UnreadableFileError, match="决算"):
        recognize(GridDocument("x.pdf", b.blocks, "pdf"))


def test_every_amount_cell_is_a_row_of_raw_final_lines():
    import pyarrow as pa

    from ingest.recognize.final_accounts import RAW_FINAL_LINES

    d = recognize(shanghai())
    rows = d.table("raw_final_lines")
    schema = pa.schema([pa.field(c.name, ARROW[c.kind], nullable=c.nullable) for c in RAW_FINAL_LINES.columns])
    table = pa.Table.from_pylist(rows, schema=schema)  # types, decimals and not-nulls as declared
    assert table.num_rows == len(rows) > 0
    by = {(r["table_kind"], r["side"], r["line_label"], r["column_meaning"]): r for r in rows}
    total = by[("final_income_expenditure_summary", "收入", "总计", "amount")]
    assert (total["amount_wan_yuan"], total["printed_text"]) == (Decimal("2995.39"), "2,995.39")
    line = next(r for r in rows if r["functional_code"] == "2010601" and r["column_meaning"] == "basic")
    assert (line["table_kind"], line["line_label"], line["amount_wan_yuan"]) == (
        "final_expenditure",
        "行政运行",
        Decimal("2336.91"),
    )
    spent = by[("final_appropriation_summary", "支出", "本年支出合计", "general_budget")]
    assert spent["amount_wan_yuan"] == Decimal("2940.05")
    reception = by[("final_three_public", "预算数", "公务接待费", "three_public_reception")]
    assert reception["amount_wan_yuan"] == Decimal("0.95")
    assert not any(r["side"] == "决算数" for r in rows)  # blank cells are not rows


def test_the_narrative_figures_are_narrative_facts_with_their_sentences():
    d = recognize(shanghai(appropriation_said="0.3"))
    facts = {f["fact_key"]: f for f in d.table("raw_narrative_facts")}
    assert facts["final.appropriation_total"]["value"] == Decimal("0.3")
    assert "财政拨款收入支出总计0.3万元" in facts["final.appropriation_total"]["sentence"]  # wrapped over two lines
    assert facts["final.three_public.budget"]["value"] == Decimal("0.95")
    assert facts["final.three_public.completion_pct"]["value_unit"] == "%"
    assert all(f["fact_key"].startswith("final.") for f in facts.values())


def test_the_basic_expenditure_table_side_by_side_groups():
    b = Lines().p("某局", "2024年度部门决算", "一般公共预算财政拨款基本支出决算表", "单位：万元")
    b.t(
        [
            ["经济分类科目名称", "决算数", "经济分类科目名称", "决算数"],
            ["301", "工资福利支出", "2,082.85", "302", "商品和服务支出", "171.07"],
            ["301", "01", "基本工资", "262.33", "302", "01", "办公费", "21.21"],
            ["人员经费合计", "2,152.26", "公用经费合计", "184.65"],
        ]
    )
    b.p(
        "第三部分 2024年度部门决算情况说明",
        "一般公共预算财政拨款基本支出2336.91万元。其中：人员经费2152.26万元，主要",
        "包括：基本工资；公用经费184.66万元，主要包括：办公费。",
    )
    d = recognize(GridDocument("x-2024-final.pdf", b.blocks, "pdf"))
    codes = {r["economic_code"]: r["amount_wan_yuan"] for r in d.table("raw_final_lines") if r["economic_code"]}
    assert codes == {
        "301": Decimal("2082.85"),
        "302": Decimal("171.07"),
        "30101": Decimal("262.33"),
        "30201": Decimal("21.21"),
    }
    figures = final_figures(d)
    assert (figures["final_basic_personnel"].value, figures["final_basic_public"].value) == (
        Decimal("2152.26"),
        Decimal("184.65"),
    )
    assert [(f.rule_id, f.severity, f.actual) for f in d.findings] == [("FA-NARRATIVE", "info", Decimal("184.66"))]


def test_a_group_header_gives_its_place_to_its_columns():
    """政府性基金预算财政拨款收入支出决算表: 年初结转和结余 | 本年收入 | 本年支出 (小计 基本支出 项目支出) |
    年末结转和结余 — the 本年支出 columns sit between 本年收入 and 年末, as printed."""
    b = Lines().p("某局", "2024年度部门决算", "政府性基金预算财政拨款收入支出决算表", "单位：万元")
    b.t(
        [
            ["项目", "年初结转和结余", "本年收入", "本年支出", "年末结转和结余"],
            ["功能分类科目编码", "科目名称", "", "", "小计", "基本支出", "项目支出", ""],
            ["合计", "1.00", "10.00", "9.00", "", "9.00", "2.00"],
            ["2120801", "征地和拆迁补偿支出", "1.00", "10.00", "9.00", "", "9.00", "2.00"],
        ]
    )
    d = recognize(GridDocument("x-2024-final.pdf", b.blocks, "pdf"))
    line = {
        r["column_meaning"]: r["amount_wan_yuan"]
        for r in d.table("raw_final_lines")
        if r["functional_code"] == "2120801"
    }
    assert line == {
        "carry_forward_begin": Decimal("1.00"),
        "income": Decimal("10.00"),
        "total": Decimal("9.00"),
        "project": Decimal("9.00"),
        "carry_forward_end": Decimal("2.00"),
    }
    total = {r["column_meaning"]: r["amount_wan_yuan"] for r in d.table("raw_final_lines") if r["line_label"] == "合计"}
    assert total["carry_forward_end"] == Decimal("2.00")


def items_grid(actual="1511.89", pct="96.91", direction="小于") -> GridDocument:
    b = Lines().p("某局", "2024年度部门决算", "一般公共预算财政拨款支出决算表", "单位：万元")
    b.t(
        [
            ["项目", "合计", "基本支出", "项目支出"],
            ["支出功能分类科目编码", "科目名称", "", "", ""],
            ["201", "", "", "一般公共服务支出", "1,521.89", "1,503.52", "18.37"],
            ["201", "06", "01", "行政运行", "1,511.89", "1,503.52", "8.37"],
            ["201", "06", "02", "一般行政管理事务", "10.00", "", "10.00"],
            ["合计", "1,521.89", "1,503.52", "18.37"],
        ]
    )
    b.p(
        "第三部分 2024年度部门决算情况说明",
        "一般公共预算财政拨款支出年初预算为1570.05万元，支出决算为1521.89万元，完成年初预算的96.93%。决算数小",
        "于预算数的主要原因：人员变化。其中：",
        "1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：基本支出。年初预算为 1560.05 万元，支出决算为"
        f"{actual}万元，完成年初预算的{pct}%。决算数{direction}预算数的主要原因：人员进出。",
        "2、一般公共服务支出（类）财政事务（款）一般行政管理事务（项）。主要用于：业务。"
        "年初预算为 10.00 万元，支出决算为10.00万元。"
        "决算数与预算数基本持平。",
    )
    return GridDocument("x-2024-final.pdf", b.blocks, "pdf")


def test_each_item_the_narrative_explains():
    d = recognize(items_grid())
    assert d.findings == []
    facts = [(f["fact_key"], f["subject"], f["value"]) for f in d.table("raw_narrative_facts") if f["subject"]]
    assert ("final.item.actual", "一般公共服务支出(类)财政事务(款)行政运行(项)", Decimal("1511.89")) in facts
    assert ("final.item.completion_pct", "一般公共服务支出(类)财政事务(款)行政运行(项)", Decimal("96.91")) in facts
    assert ("final.item.budget", "一般公共服务支出(类)财政事务(款)一般行政管理事务(项)", Decimal("10.00")) in facts


def test_an_item_stated_differently_from_its_table_line():
    d = recognize(items_grid(actual="1151.89", pct="73.83"))
    (f,) = [f for f in d.findings if f.rule_id == "FA-NARRATIVE"]
    assert (f.expected, f.actual) == (Decimal("1511.89"), Decimal("1151.89"))
    assert "行政运行" in f.message


def test_a_completion_rate_or_direction_that_contradicts_the_amounts():
    assert [f.rule_id for f in recognize(items_grid(pct="96.90")).findings] == []  # truncated: one unit allowed
    (f,) = recognize(items_grid(pct="69.91")).findings
    assert (f.rule_id, f.expected, f.actual) == ("FA-COMPLETION", Decimal("96.91"), Decimal("69.91"))
    (f,) = recognize(items_grid(direction="大于")).findings
    assert f.rule_id == "FA-COMPLETION" and "决算数大于预算数" in f.message


def test_unit_and_year_without_a_cover():
    """No cover: the unit from the tables' 部门： line, the year from a 决算 title line."""
    b = Lines().p("2024年度部门决算公开", "收入支出决算总表", "公开01表", "部门：国家信访局 金额单位：万元")
    b.t(
        [
            ["收入", "支出"],
            ["项目", "行次", "金额", "项目", "行次", "金额"],
            ["本年收入合计", "1", "1.00", "本年支出合计", "2", "1.00"],
            ["总计", "3", "1.00", "总计", "4", "1.00"],
        ]
    )
    d = recognize(GridDocument("x.pdf", b.blocks, "pdf"))
    assert (d.unit_name, d.fiscal_year, d.table("raw_documents")[0]["budget_level"]) == ("国家信访局", 2024, "部门")
    assert d.findings == []
    b = Lines().p("决算", "收入支出决算总表", "单位：万元")
    b.t([["收入", "支出"], ["项目", "决算数", "项目", "决算数"], ["总计", "1.00", "总计", "1.00"]])
    d = recognize(GridDocument("x.pdf", b.blocks, "pdf"))
    assert sorted(f.rule_id for f in d.findings) == ["DOC-UNIT", "DOC-YEAR"]  # said, not guessed


def test_an_amount_that_is_not_a_number_is_said_not_dropped():
    d = recognize(shanghai(begin="49.l4"))
    (f,) = [f for f in d.findings if f.rule_id == "PARSE-CELL"]
    assert f.severity == "error" and "'49.l4'" in f.message and "年初结转和结余" in f.message
    (row,) = [r for r in d.table("raw_final_lines") if r["printed_text"] == "49.l4"]
    assert row["amount_wan_yuan"] is None


def test_a_final_accounts_text_file_reads_the_same(tmp_path):
    """Through a reader (ingest/readers/text.py: a row's cells as tab-led lines) and the pipeline's
    parse, not only as a grid: the same figures and the same finding."""
    from ingest.pipeline import parse_path

    grid = shanghai(appropriation_said="0.3")
    lines = []
    for b in grid.blocks:
        if isinstance(b, Paragraph):
            lines.append(b.text)
        else:
            for row in b.rows:
                lines += ["\n".join("\t" + c for c in row), ""]
    path = tmp_path / "shpt-x-2024-final.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    parsed = parse_path(path)
    assert parsed.error is None
    assert {k: f.value for k, f in final_figures(parsed.disclosure).items()} == {
        k: f.value for k, f in final_figures(recognize(grid)).items()
    }
    assert [(f.rule_id, f.actual) for f in parsed.disclosure.findings] == [("FA-NARRATIVE", Decimal("0.3"))]


def final_text(grid: GridDocument) -> str:
    lines = []
    for b in grid.blocks:
        if isinstance(b, Paragraph):
            lines.append(b.text)
        else:
            for row in b.rows:
                lines += ["\n".join("\t" + c for c in row), ""]
    return "\n".join(lines)


def test_a_final_accounts_load_writes_its_lines_to_the_lake_and_reparses_over_an_older_batch(tmp_path):
    from ingest import lake
    from ingest.pipeline import ingest_inbox, reparse_year
    from ingest.settings import Settings

    settings = Settings(data_dir=tmp_path)
    settings.inbox.mkdir(parents=True)
    (settings.inbox / "shpt-x-2024-final.txt").write_text(
        final_text(shanghai(appropriation_said="0.3")), encoding="utf-8"
    )
    report = ingest_inbox(settings)
    assert len(report.loaded) == 1 and not report.quarantined
    (doc,) = lake.read_table(settings.lake, "raw_documents").to_pylist()
    assert doc["disclosure_kind"] == "决算"
    lines = lake.read_table(settings.lake, "raw_final_lines").to_pylist()
    assert {
        (r["line_label"], r["amount_wan_yuan"])
        for r in lines
        if r["table_kind"] == "final_appropriation_summary" and r["side"] == "收入"
    } >= {("总计", Decimal("2961.680000"))}
    assert [r["rule_id"] for r in lake.read_table(settings.lake, "raw_findings").to_pylist()] == ["FA-NARRATIVE"]
    # a batch written before raw_final_lines existed has no such file: re-parsing the year still works
    (batch,) = lake.batches(settings.lake)
    (batch / "raw_final_lines.parquet").unlink()
    assert reparse_year(settings, 2024).reparsed
    assert len(lake.read_table(settings.lake, "raw_final_lines").to_pylist()) == len(lines)


def test_check_lists_a_final_accounts_tables_by_kind(tmp_path, capsys):
    """`check FILE` on a 决算: its kind and its tables (by kind, lines and cells), not an empty table list."""
    from ingest.cli import main as check_main

    path = tmp_path / "shpt-x-2024-final.txt"
    path.write_text(final_text(shanghai(appropriation_said="0.3")), encoding="utf-8")
    assert check_main([str(path)]) == 1  # an error finding: FA-NARRATIVE
    out = capsys.readouterr().out
    assert "公开类型 kind: 决算" in out
    listed = [line.split()[1] for line in out.split("表 tables:")[1].split("事实")[0].splitlines() if line.strip()]
    assert listed and all(kind.startswith("final_") for kind in listed)
    assert "FA-NARRATIVE" in out
