"""Word and Excel readers (ingest/readers/docx.py, xlsx.py) and renderers (generator/render/docx.py, xlsx.py).

The acceptance test: the seed text → GridDocument → rendered as .docx / .xlsx / .xls → read
back → recognized and validated must give exactly the raw rows and findings of the seed
text itself (positions aside: `line_no`, and "line N" in locations and messages).
The rest pins the reader rules on small hand-made files: merged cells, tables split
across pages, number formats, hidden rows, formulas' cached values, notes and titles
around tables, unreadable files, and the per-document timing log line.
"""

from __future__ import annotations

import logging
import random
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from generator.render import render
from ingest.grid import GridDocument, Paragraph, Table
from ingest.pipeline import parse_path
from ingest.readers import UnreadableFileError, read_document
from ingest.readers.text import read_text
from ingest.readers.xlsx import format_number

SEED = Path(__file__).parent / "fixtures" / "seed_changji_waishiban_2021.txt"
SHEET_LABELS = {"封面及概况", "情况说明"} | {f"表{c}" for c in "一二三四五六七八九"}

# (format, renderer options) — each is rendered once per session
VARIANTS = {
    "docx": ("docx", {}),
    "docx-split": ("docx", {"split_tables_at": 8}),
    "xlsx": ("xlsx", {}),
    "xlsx-thousands": ("xlsx", {"thousands": True}),
    "xlsx-text-numbers": ("xlsx", {"numbers_as_text": True}),
    "xls": ("xls", {}),
}


@pytest.fixture(scope="module")
def seed_grid() -> GridDocument:
    return read_text(SEED)


@pytest.fixture(scope="module")
def rendered(seed_grid, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("office")
    return {name: render(seed_grid, out / f"seed-{name}.{fmt}", fmt, **opts) for name, (fmt, opts) in VARIANTS.items()}


def _positionless(text: str | None) -> str | None:
    return re.sub(r"\bline \d+(?: and \d+)?", "line #", text) if text else text


def facts_and_findings(path: Path):
    parsed = parse_path(path)
    assert parsed.error is None, parsed.error
    d = parsed.disclosure
    rows = {
        table: [
            {k: (None if v is None else str(v)) for k, v in row.items() if k not in ("line_no", "reader", "encoding")}
            for row in table_rows
        ]
        for table, table_rows in d.rows.items()
    }
    findings = [
        (
            f.rule_id,
            f.severity,
            str(f.expected),
            str(f.actual),
            str(f.difference),
            f.table_ref,
            _positionless(f.message),
            _positionless(f.location),
        )
        for f in d.findings
    ]
    return rows, findings, (d.unit_name, d.unit_name_variants, d.fiscal_year)


@pytest.fixture(scope="module")
def seed_facts():
    return facts_and_findings(SEED)


def _shape(grid: GridDocument, skip=frozenset()):
    return [
        ("table", b.rows) if isinstance(b, Table) else ("paragraph", b.text)
        for b in grid.blocks
        if not (isinstance(b, Paragraph) and b.text in skip)
    ]


# ------------------------------------------------------------------ acceptance: the seed round trip


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_seed_rendered_parses_to_the_same_facts_and_findings(variant, rendered, seed_facts):
    rows, findings, doc = facts_and_findings(rendered[variant])
    seed_rows, seed_findings, seed_doc = seed_facts
    assert doc == seed_doc
    assert rows.keys() == seed_rows.keys()
    for table in seed_rows:
        assert rows[table] == seed_rows[table], table
    assert findings == seed_findings
    assert len(seed_findings) > 10  # the seed's known inconsistencies are all there


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_seed_rendered_reads_back_as_the_same_grid(variant, rendered, seed_grid):
    """The grid itself survives: same paragraphs, same cell strings (sheet names aside)."""
    grid = read_document(rendered[variant])
    skip = SHEET_LABELS if VARIANTS[variant][0] in ("xlsx", "xls") else frozenset()
    assert _shape(grid, skip) == _shape(seed_grid)
    assert grid.reader == VARIANTS[variant][0] and grid.encoding is None
    positions = [b.line for b in grid.blocks]
    assert positions == sorted(set(positions))  # positions grow in document order
    for t in (b for b in grid.blocks if isinstance(b, Table)):
        assert len(t.row_lines) == len(t.rows) and t.row_lines[0] == t.line
    if variant == "docx-split":  # the 12 tables really were cut into pieces across page breaks
        with zipfile.ZipFile(rendered[variant]) as z:
            assert z.read("word/document.xml").decode().count("<w:tbl>") > 30


def test_xlsx_layout_is_the_bureau_template(rendered):
    import openpyxl

    wb = openpyxl.load_workbook(rendered["xlsx"])
    assert wb.sheetnames == ["封面及概况", *[f"表{c}" for c in "一二三四五六七八九"], "情况说明"]
    ws = wb["表一"]
    assert [ws.cell(r, 1).value for r in (1, 2, 3)] == [
        "表一：",
        "部门（单位）收支总体情况表",
        "编制部门（单位）： 昌吉州外事办                          单位：万元",
    ]
    assert "B4:D4" in {str(r) for r in ws.merged_cells.ranges}  # 收 入 | 支 出 header: last cell spans
    amount = ws.cell(6, 2)
    assert (amount.value, amount.number_format) == (320.06, "0.00")
    assert wb["表九"].cell(wb["表九"].max_row, 1).value.startswith("备注")
    assert wb["情况说明"].cell(1, 1).value.startswith("第三部分")


# ------------------------------------------------------------------ DOCX


def _docx_with_tables(path: Path, build) -> Path:
    import docx

    document = docx.Document()
    build(document)
    document.save(str(path))
    return path


def test_docx_merged_cells_come_out_like_the_text_layout(tmp_path):
    def build(document):
        document.add_paragraph("部门（单位）收支总体情况表")
        t = document.add_table(rows=4, cols=4)
        t.cell(0, 0).merge(t.cell(0, 1)).text = "收 入"  # gridSpan 2
        t.cell(0, 2).merge(t.cell(0, 3)).text = "支 出"
        for j, text in enumerate(["项目", "预算数", "功能分类", "预算数"]):
            t.cell(1, j).text = text
        t.cell(2, 0).merge(t.cell(3, 0)).text = "财政拨款"  # vMerge restart + continue
        for j, text in enumerate(["320.06", "201 一般公共服务支出", "236.2"], start=1):
            t.cell(2, j).text = text
        for j, text in enumerate(["", "203 国防支出", "28"], start=1):
            t.cell(3, j).text = text
        document.add_paragraph("备注：无")

    grid = read_document(_docx_with_tables(tmp_path / "merged.docx", build))
    assert _shape(grid) == [
        ("paragraph", "部门（单位）收支总体情况表"),
        (
            "table",
            [
                ["收 入", "支 出"],
                ["项目", "预算数", "功能分类", "预算数"],
                ["财政拨款", "320.06", "201 一般公共服务支出", "236.2"],
                ["", "", "203 国防支出", "28"],
            ],
        ),
        ("paragraph", "备注：无"),
    ]


def test_docx_table_split_across_a_page_break_is_joined(tmp_path):
    from docx.enum.text import WD_BREAK

    header = ["科目编码", "科目名称", "合计"]
    data = [[f"2010{i:02d}", f"项目{i}", f"{i}.5"] for i in range(1, 7)]

    def build(document):
        document.add_paragraph("表三：")
        first = document.add_table(rows=4, cols=3)
        for i, row in enumerate([header] + data[:3]):
            for j, text in enumerate(row):
                first.cell(i, j).text = text
        document.add_paragraph()  # empty line
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        second = document.add_table(rows=4, cols=3)  # repeats the header row
        for i, row in enumerate([header] + data[3:]):
            for j, text in enumerate(row):
                second.cell(i, j).text = text
        document.add_paragraph("表四：")
        other = document.add_table(rows=1, cols=2)  # different column count: a table of its own
        other.cell(0, 0).text, other.cell(0, 1).text = "a", "b"

    path = _docx_with_tables(tmp_path / "split.docx", build)
    grid = read_document(path)
    assert _shape(grid) == [
        ("paragraph", "表三："),
        ("table", [header] + data),
        ("paragraph", "表四："),
        ("table", [["a", "b"]]),
    ]
    table = grid.blocks[1]
    assert len(table.row_lines) == 7 and table.row_lines == sorted(table.row_lines)


def test_docx_renderer_split_option_writes_pieces_the_reader_joins(tmp_path):
    rows = [["一级", "二级", "合计"], ["合  计", ""]] + [[f"20{i:02d}", f"名称{i}", str(i)] for i in range(20)]
    grid = GridDocument("t", [Paragraph("标题", 1), Table(rows, 2, list(range(2, 2 + len(rows))))], "text")
    path = render(grid, tmp_path / "split.docx", "docx", split_tables_at=6)
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
    assert xml.count("<w:tbl>") == 5 and xml.count('w:type="page"') == 4 and "w:tblHeader" in xml
    assert _shape(read_document(path)) == _shape(grid)


def test_docx_adjacent_tables_with_different_widths_stay_apart(tmp_path):
    grid = GridDocument("t", [Table([["a", "b"]], 1, [1]), Table([["c", "d", "e"]], 2, [2])], "text")
    back = read_document(render(grid, tmp_path / "two.docx", "docx"))
    assert _shape(back) == _shape(grid)


# ------------------------------------------------------------------ XLSX / XLS


def _bordered_sheet(ws, first_row: int, rows: list[list], formats: dict | None = None):
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    width = max(len(r) for r in rows)
    for i, row in enumerate(rows):
        for j in range(width):
            cell = ws.cell(first_row + i, j + 1)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if j < len(row) and row[j] is not None:
                cell.value = row[j]
                if formats and (i, j) in formats:
                    cell.number_format = formats[(i, j)]


def test_xlsx_numbers_come_out_as_shown(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表一"
    ws["A1"] = "部门（单位）收支总体情况表"
    rows = [
        ["项目", "General", "0.00", "#,##0.00", "文本", "日期"],
        ["a", 320.06, 28.0, 16745.59, "0320", date(2021, 2, 2)],
        ["b", 28.0, 0.1 + 0.2, -1234567.891, "320.06", None],
        ["c (hidden row)", 5, 5, 5, "x", None],
    ]
    formats = {(i, 2): "0.00" for i in (1, 2, 3)} | {(i, 3): "#,##0.00" for i in (1, 2, 3)}
    _bordered_sheet(ws, 2, rows, formats)
    ws.row_dimensions[5].hidden = True
    ws["A7"] = "备注：数字按单元格格式显示"
    path = tmp_path / "numbers.xlsx"
    wb.save(path)

    grid = read_document(path)
    assert _shape(grid) == [
        ("paragraph", "表一"),
        ("paragraph", "部门（单位）收支总体情况表"),
        (
            "table",
            [
                ["项目", "General", "0.00", "#,##0.00", "文本", "日期"],
                ["a", "320.06", "28.00", "16,745.59", "0320", "2021-02-02"],
                ["b", "28", "0.30", "-1,234,567.89", "320.06", ""],
                ["c (hidden row)", "5", "5.00", "5.00", "x", ""],
            ],
        ),
        ("paragraph", "备注：数字按单元格格式显示"),
    ]


@pytest.mark.parametrize(
    "value, fmt, shown",
    [
        (320.06, "General", "320.06"),
        (28.0, "General", "28"),
        (28.0, "0.00", "28.00"),
        (16745.59, "#,##0.00", "16,745.59"),
        (0.5, "0%", "50%"),
        (2.675, "0.00", "2.68"),
        (3.1, "0.0#", "3.1"),
        (1234567, "#,##0,", "1,235"),
        (12, "0_ ", "12"),
        (1e-05, "General", "0.00001"),
        (-0.001, "0.00", "0.00"),
        (5, '"¥"#,##0.00;[Red]-"¥"#,##0.00', "5.00"),
    ],
)
def test_number_formats(value, fmt, shown):
    assert format_number(value, fmt) == shown


def test_xlsx_merged_ranges_come_out_like_the_text_layout(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表二"
    ws["A1"] = "部门（单位）收入总体情况表"  # a title merged across the table: stays a title row of the table
    _bordered_sheet(
        ws,
        1,
        [
            ["部门（单位）收入总体情况表", None, None, None],
            ["功能分类科目编码", None, None, "总  计"],
            ["类", "款", "项", None],
            ["201", "03", "01", 172.3],
            [None, None, "02", 25.9],
        ],
    )
    ws.merge_cells("A1:D1")
    ws.merge_cells("A2:C2")  # horizontal: one cell
    ws.merge_cells("D2:D3")  # vertical: an empty cell below
    ws.merge_cells("A4:A5")  # vertical in data
    ws.merge_cells("B4:B5")
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    grid = read_document(path)
    assert _shape(grid) == [
        ("paragraph", "表二"),
        (
            "table",
            [
                ["部门（单位）收入总体情况表"],
                ["功能分类科目编码", "总  计"],
                ["类", "款", "项", ""],
                ["201", "03", "01", "172.3"],
                ["", "", "02", "25.9"],
            ],
        ),
    ]


def test_xlsx_formula_cells_give_their_cached_value(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表三"
    _bordered_sheet(
        ws,
        1,
        [["项目", "金额"], ["a", 1.25], ["b", 2], ["合  计", "=SUM(B2:B3)"]],
        {(i, 1): "0.00" for i in range(1, 4)},
    )
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    # openpyxl cannot store a cached value; put in the one Excel would have saved.
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet, n = re.subn(
        r"<f>SUM\(B2:B3\)</f><v\s*/>|<f>SUM\(B2:B3\)</f><v></v>|<f>SUM\(B2:B3\)</f>",
        "<f>SUM(B2:B3)</f><v>3.25</v>",
        sheet,
    )
    assert n == 1
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    grid = read_document(path)
    assert grid.blocks[-1].rows[-1] == ["合  计", "3.25"]


def test_xlsx_text_only_sheet_is_paragraphs_and_borderless_sheets_fall_back_to_values(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    text = wb.active
    text.title = "情况说明"
    for r, line in enumerate(["第三部分  情况说明", "一、总体说明", "收支总预算320.06万元。"], start=1):
        text.cell(r, 1, line)
    plain = wb.create_sheet("Sheet2")  # default name: no paragraph for it
    plain["A1"] = "一般公共预算支出情况表"
    plain["A2"], plain["D2"] = "编制部门（单位）：某单位", "单位：万元"
    for r, row in enumerate(
        [
            ["科目编码", "科目名称", "合计", "基本支出"],
            ["201", "一般公共服务支出", 10, 10],
            [None, None, None, None],
            [None, "合  计", 10, 10],
        ],
        start=3,
    ):
        for c, v in enumerate(row, start=1):
            plain.cell(r, c, v)
    plain["A8"] = "注：本表无项目支出。"
    plain["A10"], plain["B10"] = "项目", "金额"  # a new header after an empty row: a second table
    plain["A11"], plain["B11"] = "x", 1
    hidden = wb.create_sheet("代码表")
    hidden["A1"], hidden["B1"] = "201", "一般公共服务支出"
    hidden.sheet_state = "hidden"
    path = tmp_path / "text.xlsx"
    wb.save(path)
    assert _shape(read_document(path)) == [
        ("paragraph", "情况说明"),
        ("paragraph", "第三部分  情况说明"),
        ("paragraph", "一、总体说明"),
        ("paragraph", "收支总预算320.06万元。"),
        ("paragraph", "一般公共预算支出情况表"),
        (
            "table",
            [
                ["编制部门（单位）：某单位", "", "", "单位：万元"],
                ["科目编码", "科目名称", "合计", "基本支出"],
                ["201", "一般公共服务支出", "10", "10"],
                ["", "", "", ""],
                ["", "合  计", "10", "10"],
            ],
        ),
        ("paragraph", "注：本表无项目支出。"),
        ("table", [["项目", "金额"], ["x", "1"]]),
    ]


def test_xls_reads_merges_formats_and_hidden_rows(tmp_path):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("表八")
    borders = xlwt.Borders()
    borders.left = borders.right = borders.top = borders.bottom = xlwt.Borders.THIN
    text, two, thousands = xlwt.XFStyle(), xlwt.XFStyle(), xlwt.XFStyle()
    for st in (text, two, thousands):
        st.borders = borders
    two.num_format_str = "0.00"
    thousands.num_format_str = "#,##0.00"
    ws.write(0, 0, "一般公共预算“三公”经费支出情况表")
    ws.write_merge(1, 1, 0, 1, "合  计", text)
    ws.write(1, 2, "公务接待费", text)
    ws.write(2, 0, 28.0, two)
    ws.write(2, 1, 16745.59, thousands)
    ws.write(2, 2, "0320", text)
    ws.write(3, 0, 320.06, text)
    ws.write(3, 1, 28.0, text)
    ws.write(3, 2, "", text)
    ws.row(3).hidden = True
    path = tmp_path / "three.xls"
    wb.save(str(path))
    assert _shape(read_document(path)) == [
        ("paragraph", "表八"),
        ("paragraph", "一般公共预算“三公”经费支出情况表"),
        ("table", [["合  计", "公务接待费"], ["28.00", "16,745.59", "0320"], ["320.06", "28", ""]]),
    ]


# ------------------------------------------------------------------ unreadable files and the log line


_NOISE = random.Random(3).randbytes(2048)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048)


@pytest.mark.parametrize(
    "suffix, content, reason",
    [
        pytest.param(".docx", _NOISE, "not a zip package", id="docx-random"),
        pytest.param(".xlsx", _NOISE, "not a zip package", id="xlsx-random"),
        pytest.param(".xls", _NOISE, "not a readable .xls", id="xls-random"),
        pytest.param(".docx", b"PK\x03\x04" + _NOISE, "corrupt zip", id="docx-broken-zip"),
        pytest.param(".xlsx", b"PK\x03\x04" + _NOISE, "corrupt zip", id="xlsx-broken-zip"),
        pytest.param(".docx", _OLE, "password-protected", id="docx-ole2"),
        pytest.param(".xlsx", _OLE, "password-protected", id="xlsx-ole2"),
        pytest.param(".docx", b"", "empty", id="docx-empty"),
    ],
)
def test_unreadable_office_files_raise_with_a_reason(tmp_path, suffix, content, reason):
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError) as err:
        read_document(path)
    assert reason in err.value.reason
    assert parse_path(path).error == err.value.reason  # the pipeline quarantines it with that reason


def test_a_docx_that_is_really_a_workbook_is_unreadable(tmp_path, rendered):
    path = tmp_path / "workbook.docx"
    path.write_bytes(rendered["xlsx"].read_bytes())
    with pytest.raises(UnreadableFileError, match="not a Word"):
        read_document(path)
    path = tmp_path / "document.xlsx"
    path.write_bytes(rendered["docx"].read_bytes())
    with pytest.raises(UnreadableFileError, match="not a readable .xlsx"):
        read_document(path)


def test_workbooks_saved_with_the_other_excel_suffix_are_still_read(tmp_path, rendered, seed_grid):
    for source, suffix, reader in (("xls", ".xlsx", "xls"), ("xlsx", ".xls", "xlsx")):
        path = tmp_path / f"renamed{suffix}"
        path.write_bytes(rendered[source].read_bytes())
        grid = read_document(path)
        assert grid.reader == reader and _shape(grid, SHEET_LABELS) == _shape(seed_grid)


@pytest.mark.parametrize("variant", ["docx", "xlsx", "xls"])
def test_each_reader_logs_its_parse_time(variant, rendered, caplog):
    with caplog.at_level(logging.INFO, logger="budget_warehouse.readers"):
        read_document(rendered[variant])
    name = rendered[variant].name
    assert any(
        re.match(rf"read {re.escape(name)} in \d+\.\d{{3}} s: (141|152) paragraphs, 12 tables", r.getMessage())
        for r in caplog.records
    ), [r.getMessage() for r in caplog.records]
