"""The 情况说明 of whole real 预算 files (text and tables in one PDF): the sentence forms of the
templates the real files print (重庆, 广州, 烟台, 中央, 西安, 江苏), one PDF line a paragraph, and where
the narrative is cut (the 目录's 第三部分 entry is passed over; a narrative printed before the tables)."""
from decimal import Decimal

from ingest.disclosure import Disclosure
from ingest.grid import Paragraph
from ingest.recognize.narrative import recognize_narrative


def read(*lines: str) -> Disclosure:
    d = Disclosure(source_name="t.pdf")
    recognize_narrative(d, [Paragraph(t, 1000 + i) for i, t in enumerate(lines)])
    return d


def value(d: Disclosure, key: str) -> Decimal | None:
    return next((f["value"] for f in d.facts(key)), None)


def test_chongqing_income_and_expenditure():
    d = read("二、部门收支总体情况",
             "（一）收入预算。2026年年初预算数19,230.18万元，其中：一般公共预算拨款18,417.70万元，",
             "（二）支出预算。2026年年初预算数19,230.18万元，其中：一般公共服务支出15,958.96万元，",
             "四、“三公”经费情况说明",
             "2026年“三公”经费预算394.49万元，较2025年减少2.48万元，其中：因公出国（境）费用")
    assert value(d, "income.total") == Decimal("19230.18")
    assert value(d, "expenditure.total") == Decimal("19230.18")
    assert value(d, "three_public.total") == Decimal("394.49")


def test_yantai_income_expenditure_three_public():
    d = read("一、预算收支增减变化情况说明",
             "（一）收入预算：2026年收入预算3,558.35万元，其中：一般公共预算",
             "（二）支出预算：2026年支出预算3,558.35万元，其中：基本支出",
             "二、“三公”经费支出情况",
             "2026年通过一般公共预算财政拨款安排的“三公”经费预算共3.4万元，")
    assert value(d, "income.total") == Decimal("3558.35")
    assert value(d, "expenditure.total") == Decimal("3558.35")
    assert value(d, "three_public.total") == Decimal("3.4")


def test_guangzhou_income_and_expenditure_in_one_sentence_over_lines():
    d = read("一、部门预算收支增减变化情况",
             "2026年本部门收入预算16,410.71万元，比上年减少",
             "目的预算安排；支出预算16,410.71万元，比上年减少11,230.54")
    assert value(d, "income.total") == Decimal("16410.71")
    assert value(d, "expenditure.total") == Decimal("16410.71")


def test_central_tables_explained_one_by_one():
    d = read("一、关于部门收支总表的说明", "年收支总预算50,616.94万元。",
             "二、关于部门收入总表的说明", "2026年国家信访局收入预算总计50,616.94万元，其中，",
             "三、关于部门支出总表的说明", "2026年国家信访局支出预算总计50,616.94万元，其中，")
    assert value(d, "budget.total") == Decimal("50616.94")
    assert value(d, "income.total") == Decimal("50616.94")
    assert value(d, "expenditure.total") == Decimal("50616.94")


def test_xian_three_public_budget_spending():
    d = read("六、部门预算“三公”经费等预算情况说明",
             "2021年本部门当年一般公共预算“三公”经费预算支出6.51万元，较上年增加9.49万元，减")
    assert value(d, "three_public.total") == Decimal("6.51")


def test_jiangsu_2017_basic_personnel_is_read():
    """江苏 2017 explains table by table; its 表六 prints one 金额 column by 经济分类, so NR-TOTALS has no
    人员经费 column to hold the figure against and says nothing (rules.table_total: None), but the
    figure is the document's and is read."""
    d = read("六、财政拨款基本支出预算表情况说明", "江苏省人大常委会办公厅2017年度财政拨款基本支出",
             "人员经费6080.72万元。主要包括：基本工资、津贴补", "公用经费1585.96万元。主要包括：办公费、水费、电")
    assert value(d, "basic.personnel") == Decimal("6080.72") and value(d, "basic.public_use") == Decimal("1585.96")
    d = read("六、一般公共预算基本支出表的说明", "人员经费7,504.62万元，主要包括：基本工资、津贴补")
    assert value(d, "basic.personnel") == Decimal("7504.62")


def test_shanghai_putuo_income_and_expenditure_under_the_compilation_note():
    d = read("2025年部门预算编制说明",
             "2025年，上海市普陀区人民政府办公室收入预算9,101.68万元，其中：财政拨款收入9,101.68万元，比2024年预算减少2,389.52万元；",
             "支出预算9,101.68万元，其中：财政拨款支出预算9,101.68万元，比2024年预算减少2,389.52万元。")
    assert value(d, "income.total") == Decimal("9101.68")
    assert value(d, "expenditure.total") == Decimal("9101.68")
    # before that heading (a 单位概况 sentence) nothing is read as a total
    assert value(read("支出预算9,101.68万元，其中：财政拨款支出预算9,101.68万元。"), "expenditure.total") is None
