"""PDF reader and renderer: the seed rendered as a unit's printed PDF parses to exactly the
same raw rows and findings as the seed text (the issue's 'done when'), plus the layouts a
printed PDF adds: tables split across pages, cells wrapped in narrow columns, scans, junk."""

from __future__ import annotations

import logging
import os
import re

import pdfplumber
import pytest

from generator.render import render
from ingest.grid import GridDocument, Paragraph, Table
from ingest.pipeline import parse_path
from ingest.readers import UnreadableFileError, read_document
from generator.render.pdf import find_embeddable_cjk_font
from ingest.readers.pdf import IMAGE_ONLY, read_pdf
from ingest.readers.pdfium_fonts import build_font
from tests.conftest import SEED_PATH


@pytest.fixture(scope="module")
def seed_grid() -> GridDocument:
    return read_document(SEED_PATH)


@pytest.fixture(scope="module")
def seed_pdfs(tmp_path_factory, seed_grid) -> dict[str, object]:
    """The seed rendered once per layout: default and narrow (amount columns wrap), both naming
    STSong-Light without embedding it, and with a CJK TrueType font embedded: the host's if it
    has one, else a box-glyph font built for the test (every character a plain em box)."""
    folder = tmp_path_factory.mktemp("pdf")
    font = find_embeddable_cjk_font() or build_font(
        folder / "cjk-boxes.ttf", chars=SEED_PATH.read_text(encoding="utf-8") + "- 0123456789", space_advance=250
    )
    return {
        "default": render(seed_grid, folder / "seed.pdf", "pdf"),
        "narrow": render(seed_grid, folder / "seed_narrow.pdf", "pdf", narrow=True),
        "embedded": render(seed_grid, folder / "seed_embedded.pdf", "pdf", embed_font=font),
    }


def test_embedded_font_is_embedded(seed_pdfs):
    import pypdfium2 as pdfium
    import pypdfium2.raw as R

    def embedded(path) -> set[bool]:
        pdf = pdfium.PdfDocument(path)
        page = pdf[0]
        flags = {
            bool(R.FPDFFont_GetIsEmbedded(R.FPDFTextObj_GetFont(o.raw)))
            for o in page.get_objects()
            if o.type == R.FPDF_PAGEOBJ_TEXT
        }
        pdf.close()
        return flags

    assert embedded(seed_pdfs["embedded"]) == {True}
    assert embedded(seed_pdfs["default"]) == {False}


def _comparable_rows(disclosure, collapse_spaces: bool = False) -> dict[str, list[dict]]:
    """All raw rows except what legitimately differs between formats: which reader and
    encoding read the file, and the line number a narrative fact was printed on. With
    `collapse_spaces`, runs of spaces in text fields read as one (see the narrow layout below)."""
    out: dict[str, list[dict]] = {}
    for table, rows in disclosure.rows.items():
        kept = []
        for row in rows:
            row = dict(row)
            if collapse_spaces:
                row = {k: re.sub(" {2,}", " ", v) if isinstance(v, str) else v for k, v in row.items()}
            if table == "raw_documents":
                row.pop("reader")
                row.pop("encoding")
            if table == "raw_narrative_facts":
                row.pop("line_no")
            kept.append(row)
        out[table] = kept
    return out


def _comparable_findings(disclosure) -> list[tuple]:
    # The location names the printed line ("情况说明 line 1871: …"): a text line number in
    # the seed, page * 1000 + line on the page in the PDF. Everything else must be equal.
    return [
        (
            f.rule_id,
            f.severity,
            f.table_ref,
            f.expected,
            f.actual,
            f.difference,
            f.message,
            re.sub(r"line \d+", "line N", f.location or ""),
        )
        for f in disclosure.findings
    ]


def _blocks(grid: GridDocument, cell_spaces: str = "keep") -> list[tuple]:
    """Blocks as comparable tuples; `cell_spaces` "collapse" reads runs of spaces in cells as one,
    "drop" drops spaces from cells (see the layouts in test_seed_pdf_gives_back_the_seed_grid)."""

    def cell(c: str) -> str:
        if cell_spaces == "drop":
            return c.replace(" ", "")
        return re.sub(" {2,}", " ", c) if cell_spaces == "collapse" else c

    return [
        ("P", b.text) if isinstance(b, Paragraph) else ("T", [[cell(c) for c in r] for r in b.rows])
        for b in grid.blocks
    ]


@pytest.mark.parametrize("layout", ["default", "narrow", "embedded"])
def test_seed_pdf_parses_to_the_same_rows_and_findings(layout, seed_pdfs, seed_disclosure):
    parsed = parse_path(seed_pdfs[layout])
    assert parsed.error is None
    assert (parsed.reader, parsed.encoding) == ("pdf", None)
    expected, actual = seed_disclosure.disclosure, parsed.disclosure
    # narrow: "收  入  总  计" wraps inside its run of spaces, which reads as one (test below)
    narrow = layout == "narrow"
    assert _comparable_rows(actual, narrow) == _comparable_rows(expected, narrow)
    assert _comparable_findings(actual) == _comparable_findings(expected)
    assert len(expected.findings) > 10  # the seed's real inconsistencies all survive
    sentences = [r["sentence"] for r in actual.table("raw_narrative_facts")]
    assert sentences == [r["sentence"] for r in expected.table("raw_narrative_facts")]


@pytest.mark.parametrize("layout", ["default", "narrow", "embedded"])
def test_seed_pdf_gives_back_the_seed_grid(layout, seed_pdfs, seed_grid):
    """Paragraphs (rejoined from wrapped printed lines) and every cell, block by block."""
    with pdfplumber.open(seed_pdfs[layout]) as pdf:
        assert "- 2 -" in pdf.pages[1].extract_text()  # printed page numbers are not paragraphs
    grid = read_pdf(seed_pdfs[layout])
    assert grid.reader == "pdf" and grid.encoding is None
    # A run of spaces that a narrow cell wraps in ("总 " / " 计") reads as one space: spaces at the
    # end or start of a printed line have no glyph on their far side to measure, and how many of
    # them pdfium reports depends on its substitute font. Only header and total labels have such runs.
    # The embedded test font prints every character one em wide, so header cells such as
    # "科 目 编 码" wrap after each letter-spaced character, and pdfium drops a single space at the
    # end of a printed line: those cells compare without spaces (the raw rows above are exact).
    spaces = {"default": "keep", "narrow": "collapse", "embedded": "drop"}[layout]
    assert _blocks(grid, spaces) == _blocks(seed_grid, spaces)
    # line = page * 1000 + printed line on the page, increasing through the document
    lines = [b.line for b in grid.blocks]
    assert lines == sorted(lines) and lines[0] == 1001
    for table in (b for b in grid.blocks if isinstance(b, Table)):
        assert len(table.row_lines) == len(table.rows) and table.row_lines[0] == table.line


def test_narrow_columns_wrap_mid_token_and_cells_rejoin(seed_pdfs):
    # What pdfplumber itself sees: the amount and the name printed over two lines.
    with pdfplumber.open(seed_pdfs["narrow"]) as pdf:
        cells = {c for page in pdf.pages for t in page.extract_tables() for row in t for c in row if c}
    assert "26.3\n3" in cells
    assert any("\n" in c and c.replace("\n", "") == "行政单位医疗补助" for c in cells)
    assert any("\n" in c and len(c) > 100 for c in cells)  # 项目总体目标 wraps inside its cell
    rows = [r for b in read_pdf(seed_pdfs["narrow"]).blocks if isinstance(b, Table) for r in b.rows]
    assert any("26.33" in r and "行政单位医疗补助" in r for r in rows)


def test_every_table_split_across_pages_is_joined(seed_pdfs, seed_grid):
    with pdfplumber.open(seed_pdfs["narrow"]) as pdf:
        pages = len(pdf.pages)
    tables = [b for b in read_pdf(seed_pdfs["narrow"]).blocks if isinstance(b, Table)]
    assert pages >= 15  # a 15–20 page disclosure: several tables run over a page break
    assert len(tables) == sum(isinstance(b, Table) for b in seed_grid.blocks)
    split = [t for t in tables if t.row_lines[-1] // 1000 > t.line // 1000]
    assert len(split) >= 3


def _long_table_grid(rows: int = 150) -> GridDocument:
    header = [["项  目", "金额（单位：万元）"], ["科目编码", "科目名称", "本年", "上年"]]
    body = [[f"{201 + i}", f"支出项目第{i}号", f"{i}.5", ""] for i in range(rows)]
    return GridDocument(
        "long.txt", [Paragraph("一张很长的表", 1), Table(header + body, 2), Paragraph("表后的说明。", 3)], reader="text"
    )


@pytest.mark.parametrize("repeat", [True, False], ids=["repeated-header", "no-header"])
def test_long_table_is_joined_across_pages(tmp_path, repeat):
    grid = _long_table_grid()
    path = render(grid, tmp_path / "long.pdf", "pdf", **({} if repeat else {"header_rows": {0: 0}}))
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 3
        second = pdf.pages[1].extract_tables()[0]
        assert (second[0][0].replace(" ", "") == "项目") is repeat  # the header is printed again, or not
    back = read_pdf(path)
    assert _blocks(back) == _blocks(grid)
    table = back.blocks[1]
    with pdfplumber.open(path) as pdf:
        assert table.row_lines[0] == 1002 and table.row_lines[-1] // 1000 == len(pdf.pages)


def test_a_merged_cell_is_kept_once_and_a_vertical_merge_gives_empty_cells(tmp_path):
    """A grid drawn by hand: a header cell over two columns and a cell over two rows."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    from generator.render.pdf import FONT, _font

    _font()
    data = [["收入", "", "支出"], ["科目", "预算数", "合计"], ["", "12.5", "3"]]
    table = RLTable(data, colWidths=[80, 80, 80])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
                ("SPAN", (0, 0), (1, 0)),
                ("SPAN", (0, 1), (0, 2)),
            ]
        )
    )
    path = tmp_path / "merged.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([table])
    assert read_pdf(path).blocks[0].rows == [["收入", "支出"], ["科目", "预算数", "合计"], ["", "12.5", "3"]]


def test_gaps_without_space_characters(tmp_path):
    """PDFs from word processors position glyphs instead of writing spaces: a wide gap is a
    space, Chinese glyphs drawn one by one (or justified) are not spaced out."""
    from reportlab.pdfgen import canvas

    from generator.render.pdf import FONT, _font

    _font()
    path = tmp_path / "gaps.pdf"
    c = canvas.Canvas(str(path))
    c.setFont(FONT, 10)
    for k, ch in enumerate("预算情况说明"):  # one glyph at a time, 0.2 em apart
        c.drawString(72 + k * 12, 720, ch)
    c.drawString(72, 700, "编制部门：外事办")
    c.drawString(72 + 8 * 10 + 40, 700, "单位：万元")  # 4 em further right
    c.drawString(92, 680, "合计")  # indented: a new paragraph, not the line above wrapped
    c.drawString(92 + 20 + 5, 680, "320.06")  # 0.5 em gap before a number
    c.save()
    assert [b.text for b in read_pdf(path).blocks] == ["预算情况说明", "编制部门：外事办 单位：万元", "合计 320.06"]


def test_scaled_text_and_runs_of_spaces_read_as_printed(tmp_path):
    """A PDF may set 1 pt text in a 10× matrix (the size is the font size times the matrix's
    scale, or lines and gaps would be misjudged); pdfium keeps one character of a run of printed
    spaces, the reader puts the run back from the distance to the next glyph."""
    from reportlab.pdfgen import canvas

    from generator.render.pdf import FONT, _font

    _font()
    path = tmp_path / "scaled.pdf"
    c = canvas.Canvas(str(path))
    c.saveState()
    c.translate(72, 720)
    c.scale(10, 10)
    c.setFont(FONT, 1)
    c.drawString(0, 0, "支出")
    c.drawString(2 + 0.2, 0, "合计")  # 0.2 em (2 pt) between Chinese glyphs: no space
    c.drawString(4.2 + 0.5, 0, "320.06")  # 0.5 em before a number: a space
    c.restoreState()
    c.setFont(FONT, 10)
    c.drawString(72, 680, "编制部门：外事办    单位：万元")  # four spaces
    c.save()
    assert [b.text for b in read_pdf(path).blocks] == ["支出合计 320.06", "编制部门：外事办    单位：万元"]


def test_scanned_pdf_is_unreadable_not_empty(tmp_path, seed_grid):
    path = render(seed_grid, tmp_path / "scan.pdf", "pdf", scanned=True)
    with pdfplumber.open(path) as pdf:
        assert pdf.pages[0].images and not any(p.chars for p in pdf.pages)
    with pytest.raises(UnreadableFileError) as exc:
        read_document(path)
    assert exc.value.reason == IMAGE_ONLY and "image-only" in exc.value.reason
    parsed = parse_path(path)  # the pipeline quarantines it with that reason
    assert parsed.disclosure is None and "image-only" in parsed.error


def test_random_bytes_named_pdf_are_unreadable(tmp_path):
    path = tmp_path / "junk.pdf"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(UnreadableFileError, match="not a readable PDF"):
        read_document(path)


def test_truncated_and_encrypted_pdfs_are_unreadable(tmp_path, seed_pdfs):
    from reportlab.pdfgen import canvas

    data = seed_pdfs["default"].read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 3])
    with pytest.raises(UnreadableFileError, match="not a readable PDF"):
        read_pdf(cut)
    locked = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(locked), encrypt="secret")
    c.drawString(72, 720, "budget")
    c.save()
    with pytest.raises(UnreadableFileError, match="encrypted"):
        read_pdf(locked)


def test_parse_time_is_logged(seed_pdfs, caplog):
    with caplog.at_level(logging.INFO, logger="budget_warehouse.readers"):
        read_pdf(seed_pdfs["default"])
    assert re.search(r"read seed\.pdf in \d+\.\d{3} s: \d+ pages, 141 paragraphs, 12 tables", caplog.text)
