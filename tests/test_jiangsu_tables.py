"""The table misreads of the real 江苏 高院/检察院 budget PDFs (and what fixing them showed up in 北京 and
西安), each pinned twice: on a small PDF or grid built here that has the same trait, and on the real file
itself (../shared/real-disclosures; skipped where it is not there). Every test failed before the fix:

* Word fills each cell's text area with a white rectangle inset from the cell's rules; read as rules,
  their edges cut every printed column into three grid cells (the vertical 收入预算总表's 合计 unread,
  "三、单位预留机动经费" landing in an amount column, rows of 一般公共预算基本支出表 lost).
* A grid cut by a page break draws the rule between the pages on one page only: the row on top of the
  next page, with no rule above it, was read as a paragraph.
* The paragraph margins came from every line, so a cover title wider than the body text stopped every
  body line from "reaching the right margin".
* 一般公共预算基本支出表 with its one amount column headed 基本支出 (江苏 高院 2019).
* 北京's header whose upper labels span groups of the lower row, and its “三公” row in another order
  than 昌吉's; 西安's 支出总表 printed by unit with no 基本/项目 split.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from generator.render.pdf import FONT, _font
from ingest.disclosure import Disclosure
from ingest.readers.pdf import read_pdf
from ingest.recognize.tables import FoundTable, _spanned_labels, parse_code_table, parse_three_public

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-disclosures" / "budget"


def _canvas(path: Path):
    from reportlab.pdfgen import canvas

    _font()
    c = canvas.Canvas(str(path))
    c.setFont(FONT, 10)
    return c


def _rules(c, xs: list[float], ys: list[float], top: float | None = None) -> None:
    """Black rules: horizontal ones at ys, vertical ones at xs from `top` (default ys[0]) down to ys[-1]."""
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(0.5)
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0] if top is None else top, x, ys[-1])


# ---------------------------------------------------------------- the reader


def test_white_cell_backgrounds_draw_no_rules(tmp_path):
    """Each cell's white background, inset 4 pt from its rules, is painted nothing on a white page:
    two columns stay two (the old reader made five of them, three per printed column's edges)."""
    path = tmp_path / "white.pdf"
    c = _canvas(path)
    xs, ys = [72, 272, 372], [720, 700, 680, 660]
    cells = [["项目名称", "金额"], ["收入总计", "28,849.38"], ["一般公共预算资金", "28,849.38"]]
    for r, row in enumerate(cells):
        for k, text in enumerate(row):
            c.setFillColorRGB(1, 1, 1)
            c.rect(xs[k] + 4, ys[r + 1] + 2, xs[k + 1] - xs[k] - 8, ys[r] - ys[r + 1] - 4, stroke=0, fill=1)
            c.setFillColorRGB(0, 0, 0)
            c.drawString(xs[k] + 6, ys[r + 1] + 6, text)
    _rules(c, xs, ys)
    c.save()
    tables = [b for b in read_pdf(path).blocks if hasattr(b, "rows")]
    assert [t.rows for t in tables] == [cells]


def test_a_grid_whose_rule_at_the_page_break_is_on_the_other_page_goes_on(tmp_path):
    """Page 2 starts with a row whose rule above is drawn at the foot of page 1 only: its vertical
    rules run up to the row's top with no horizontal rule there. The row is the table's, not a
    paragraph between two tables."""
    path = tmp_path / "break.pdf"
    c = _canvas(path)
    xs = [72, 272, 372]
    c.drawString(72, 760, "表一 收支预算总表")
    ys = [740, 720] + [700 - 20 * k for k in range(33)]  # down to the page's foot
    _rules(c, xs, ys)
    c.drawString(78, 726, "项目")
    c.drawString(278, 726, "金额")
    for k in range(33):
        c.drawString(78, ys[k + 1] + 6, f"第{k + 1}行")
        c.drawString(278, ys[k + 1] + 6, f"{k + 1}.00")
    c.showPage()
    c.setFont(FONT, 10)
    ys = [780, 760, 740]  # no rule at 800: the row's top rule is page 1's last
    _rules(c, xs, ys, top=800)
    for k, y in enumerate((786, 766, 746)):
        c.drawString(78, y, f"续{k + 1}")
        c.drawString(278, y, f"{100 + k}.00")
    c.save()
    blocks = read_pdf(path).blocks
    tables = [b for b in blocks if hasattr(b, "rows")]
    assert len(tables) == 1
    assert tables[0].rows[-3:] == [["续1", "100.00"], ["续2", "101.00"], ["续3", "102.00"]]
    assert not any(getattr(b, "text", "").startswith("续") for b in blocks)


BODY_LINE = "收入预算总计二万一千九百五十五万元包括一般公共预算拨款和其他资金收入以及上年结转"


def test_paragraph_margins_are_the_body_texts(tmp_path):
    """A cover title in a large font reaching further right than the body text sets no margin: a
    body line reaching the body's right edge still goes on into the next line."""
    path = tmp_path / "margins.pdf"
    c = _canvas(path)
    c.setFont(FONT, 48)
    c.drawString(200, 600, "二〇一八年部门预算")  # ends far right of the body's margin
    c.setFont(FONT, 10)
    c.drawString(250, 500, "江苏省某单位")
    c.showPage()
    c.setFont(FONT, 10)
    c.drawString(72, 700, BODY_LINE)  # a full body line …
    c.drawString(72, 686, "资金。")  # … going on
    c.save()
    texts = [b.text for b in read_pdf(path).blocks]
    assert texts[-1] == BODY_LINE + "资金。"


def test_a_short_line_standing_at_the_right_margin_is_no_paragraphs_line(tmp_path):
    """\"单位：万" of a 单位：万元 wrapped in its text box ends at the right margin; the line under it
    starts at the left one: two lines, not one paragraph."""
    path = tmp_path / "right.pdf"
    c = _canvas(path)
    c.drawString(72, 700, BODY_LINE)
    c.drawString(72 + 10 * (len(BODY_LINE) - 4), 670, "单位：万")  # right-aligned, ends at the body's margin
    c.drawString(72, 656, "部门名称：江苏省某单位")
    c.save()
    assert [b.text for b in read_pdf(path).blocks] == [BODY_LINE, "单位：万", "部门名称：江苏省某单位"]


# ---------------------------------------------------------------- the recognizers


def _found(table_no: int, rows: list[list[str]], title: str = "") -> FoundTable:
    return FoundTable(table_no, title, rows, list(range(1001, 1001 + len(rows))), "万元", None, context=[title])


def test_basic_expenditure_table_with_one_column_headed_basic_spending():
    """江苏 高院 2019 公开08表: 科目编码 | 科目名称 | 基本支出, the one amount column is the table's total."""
    d = Disclosure(source_name="t.pdf")
    rows = [
        ["科目编码", "科目名称", "基本支出"],
        ["合计", "21,968.00"],
        ["301", "工资福利支出", "16,324.07"],
        ["302", "商品和服务支出", "5,643.93"],
    ]
    parse_code_table(d, _found(6, rows, "一般公共预算基本支出预算表（经济科目）"))
    got = {r.get("economic_code"): r.get("total_wan_yuan") for r in d.table("raw_basic_expenditure_economic")}
    assert got == {None: Decimal("21968.00"), "301": Decimal("16324.07"), "302": Decimal("5643.93")}
    assert not [f for f in d.findings if f.rule_id.startswith("PARSE")]


BEIJING_HEADER = [
    ["功能分类科目", "预算数"],
    ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
    ["", "", "", "小计", "人员经费", "公用经费", "项目支出总数", "扣除基建项目后预算数"],
]


def test_upper_labels_spanning_groups_of_the_lower_row():
    assert _spanned_labels(BEIJING_HEADER, 8) == [
        "科目编码",
        "科目名称",
        "合计",
        "基本支出/小计",
        "基本支出/人员经费",
        "基本支出/公用经费",
        "项目支出/项目支出总数",
        "项目支出/扣除基建项目后预算数",
    ]
    assert _spanned_labels(BEIJING_HEADER, 9) is None  # not as wide as the data
    # a lower row whose groups cannot be told apart: no guess
    assert _spanned_labels([["科目", "合计", "甲", "乙"], ["", "", "一", "二", "三"]], 5) is None


def test_general_budget_table_with_spanned_header_loads_by_meaning():
    d = Disclosure(source_name="t.pdf")
    rows = BEIJING_HEADER + [
        ["2010601", "行政运行", "10,096.054007", "10,096.054007", "9,060.258260", "1,035.795747", "", ""],
        ["2050803", "培训支出", "152.341000", "100.821000", "", "100.821000", "51.520000", "51.520000"],
        ["", "合计", "10,248.395007", "10,196.875007", "9,060.258260", "1,136.616747", "51.520000", "51.520000"],
    ]
    parse_code_table(d, _found(5, rows, "预算05表 一般公共预算支出表"))
    got = {
        r.get("functional_code"): (r.get("total_wan_yuan"), r.get("basic_wan_yuan"), r.get("project_wan_yuan"))
        for r in d.table("raw_expenditure")
    }
    assert got == {
        "2010601": (Decimal("10096.054007"), Decimal("10096.054007"), None),
        "2050803": (Decimal("152.341000"), Decimal("100.821000"), Decimal("51.520000")),
        None: (Decimal("10248.395007"), Decimal("10196.875007"), Decimal("51.520000")),
    }


def test_three_public_row_in_another_order_is_read_by_its_labels():
    """北京 预算09表: 总额 | 出国 | 接待 | 公务用车 (小计 | 购置 | 运行). By the 昌吉 order its 接待 would be
    公务用车 and the sums would break; by its labels they hold."""
    d = Disclosure(source_name="t.pdf")
    rows = [
        ["“三公”经费财政拨款预算总额", "因公出国（境）费用", "公务接待费", "公务用车购置及运行维护费"],
        ["", "", "", "小计", "公务用车购置费", "公务用车运行维护费"],
        ["223.799250", "127.737000", "11.642250", "84.420000", "44.920000", "39.500000"],
    ]
    parse_three_public(d, _found(8, rows, "预算09表 财政拨款“三公”经费支出表"))
    (row,) = d.table("raw_three_public")
    assert (row["official_reception_wan_yuan"], row["vehicle_total_wan_yuan"]) == (
        Decimal("11.642250"),
        Decimal("84.420000"),
    )


# ---------------------------------------------------------------- the real files


real_file = pytest.mark.slow  # parses a whole real PDF: `make test-fast` leaves these out


def _real(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} not here")
    return path


@pytest.fixture(scope="module")
def parsed():
    from ingest.pipeline import parse_path

    cache: dict[str, Disclosure] = {}

    def get(name: str) -> Disclosure:
        if name not in cache:
            cache[name] = parse_path(_real(name)).disclosure
        return cache[name]

    return get


def _errors(d: Disclosure) -> list[str]:
    return [f"{f.rule_id} {f.message}" for f in d.findings if f.severity == "error"]


@real_file
@pytest.mark.parametrize(
    "name, income_total, basic_total",
    [
        ("js-gaoyuan-2017-dept.pdf", "28849.38", "17123.19"),  # p12 收入总计, p15 基本支出 合计
        ("js-gaoyuan-2018-dept.pdf", "33172.15", "18570.82"),
        ("js-gaoyuan-2019-dept.pdf", "37188.34", "21968.00"),
        ("js-jianchayuan-2018-dept.pdf", "21955.35", None),
        ("js-jianchayuan-2019-dept.pdf", None, None),
    ],
)
def test_jiangsu_court_and_procuratorate_tables_read_whole(parsed, name, income_total, basic_total):
    d = parsed(name)
    assert _errors(d) == []
    if income_total:  # the vertical 收入预算总表's 收入总计 (it was read blank)
        (income,) = d.table("raw_income")
        assert income["total_wan_yuan"] == Decimal(income_total)
    if basic_total:  # 一般公共预算基本支出表: its 合计 and every 类 row under it (rows were lost)
        rows = d.table("raw_basic_expenditure_economic")
        total = next(r for r in rows if r["is_total"])
        classes = [r for r in rows if len(r.get("economic_code") or "") == 3]
        assert total["total_wan_yuan"] == Decimal(basic_total) == sum(r["total_wan_yuan"] for r in classes)


@real_file
def test_jiangsu_summary_reserve_label_is_not_an_amount(parsed):
    """检察院 2018 收支预算总表: "三、单位预留机动经费" stands in its own cell, not in the income amount column."""
    d = parsed("js-jianchayuan-2018-dept.pdf")
    names = [r["item_name"] for r in d.table("raw_budget_summary") if r["table_no"] == 1]
    assert not any("单位预留机动" in n for n in names)  # a 支出用途 line, not loaded as a 功能分类 line
    assert not [
        f for f in d.findings if f.rule_id == "PARSE-CELL" and "单位预留机动" in f.message and f.severity == "error"
    ]


@real_file
def test_beijing_general_budget_and_three_public_tables(parsed):
    d = parsed("bj-caizhengju-2026-dept-tables.pdf")
    assert _errors(d) == []
    first = next(r for r in d.table("raw_expenditure") if r.get("table_no") == 5)
    assert (
        first["functional_code"],
        first["total_wan_yuan"],
        first["basic_wan_yuan"],
        first.get("project_wan_yuan"),
    ) == ("2010601", Decimal("10096.054007"), Decimal("10096.054007"), None)
    (row,) = d.table("raw_three_public")
    assert row["official_reception_wan_yuan"] == Decimal("11.642250")


@real_file
def test_xian_expenditure_split_from_its_general_budget_tables():
    """西安's 支出总表 prints its 合计 by unit × funding source, all of it 一般公共预算: 基本支出 is the
    一般公共预算基本支出表's 合计 (p28), 项目支出 the 一般公共预算支出表's 专项业务经费支出 (p24)."""
    from ingest.readers import read_document
    from ingest.recognize.figures import key_figures
    from ingest.recognize.tables import find_tables

    figures = key_figures(find_tables(read_document(_real("xa-xuanchuanbu-2021-dept.pdf")).blocks), 2021)
    got = {
        k: (figures[k].value, figures[k].money_unit, figures[k].line // 1000)
        for k in ("expenditure_table_total", "expenditure_table_basic", "expenditure_table_project")
    }
    assert got == {
        "expenditure_table_total": (Decimal("258596001.79"), "元", 20),
        "expenditure_table_basic": (Decimal("23174401.79"), "元", 28),
        "expenditure_table_project": (Decimal("235421600.00"), "元", 24),
    }
