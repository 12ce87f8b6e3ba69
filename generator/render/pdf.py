"""Render a GridDocument as a unit's printed PDF (A4, reportlab platypus).

Layout, and the conventions `ingest.readers.pdf` relies on to give the grid back:

* Font: the Adobe CID font ``STSong-Light``, named but not embedded (no font file needed;
  every character, spaces included, is written to the text layer, so runs of spaces such as
  ``合  计`` survive extraction), as older Word/WPS exports leave SimSun out. With
  ``embed_font=PATH`` a TrueType CJK font file (.ttf/.ttc with glyf outlines: reportlab cannot
  embed CFF-based OpenType such as Noto CJK) is embedded instead (as a subset), as most current
  publications do; ``find_embeddable_cjk_font()`` finds one on the host if there is one.
* Paragraphs: one printed paragraph per ``Paragraph`` block, 10.5 pt, first line
  indented by two characters (首行缩进) and wrapped at the right margin character by
  character (Chinese wraps anywhere). Continuation lines start at the left margin, so a
  reader can rejoin them: a line continues the paragraph above when that line reached
  the right margin and this one is not indented. Long paragraphs may break across pages.
* Tables: ruled grids (GRID), 8 pt. The table has as many columns as its widest row;
  a shorter row is drawn with its LAST cell spanning the remaining columns (SPAN) —
  the same convention as the DOCX renderer — so a reader that keeps a horizontally
  merged cell once gives the row back unchanged. A `generator.layout.GeneratedGrid` may list
  rows in ``first_cell_spans``: there the FIRST cell spans the columns the row lacks (a 合计
  across 科目编码 and 科目名称), and the other cells stand in the last columns. Cell text is wrapped here, character
  by character, to the cell width and drawn line by line, so "26.33" may print as
  "26.3" / "3" in a narrow column; readers join a cell's lines without a separator.
  (Not platypus ``Paragraph(wordWrap='CJK')``: its markup collapses runs of spaces, and
  printed cells such as ``合  计`` or ``编制部门：X    单位：万元`` must come back as printed.)
* Header rows repeat on every page a table runs over (``repeatRows``): the rows before
  the first row whose first cell is a digit code or that has a number cell, unless
  ``header_rows={table_index: n}`` says otherwise (table_index counts tables from 0).

Options (``render_pdf(grid, path, **options)``):

* ``narrow=True``: amount/code columns are made just wide enough for four digits
  ("26.33" wraps), text columns for four characters ("行政单位医疗补助" wraps) or, for
  columns holding long texts, wide enough that no cell needs more than ~10 lines.
* ``header_rows``: ``dict[int, int]`` as above.
* ``page_numbers=False``: no "- n -" page number centred in the bottom margin.
* ``embed_font``: a TrueType CJK font file to embed (see Font above).
* ``scanned=True``: an image-only PDF (a raster picture of ruled pages, no text layer at
  all), as a unit's scanned printout looks to a reader.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle

from ingest.grid import GridDocument, Paragraph
from ingest.grid import Table as GridTable

FONT = "STSong-Light"
BODY_SIZE = 10.5
BODY_LEADING = 16.0
INDENT_CHARS = 2
TABLE_SIZE = 8.0
TABLE_LEADING = 10.0
PAD = 2.0
MARGIN = 56.0  # ≈ 2 cm
GAP = 6.0  # space between blocks; keeps adjacent grids apart for a reader's line finder
NARROW_DIGITS = "26.3"  # narrow=True: amount columns fit this and no more
NARROW_CHARS = 4  # narrow=True: text columns fit this many CJK characters
MAX_LINES = 10  # narrow=True: columns are widened so the longest cell wraps to about this many lines

_NUMBER = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?%?$")
_CODE = re.compile(r"^\d{2,}")


# Where Debian and most Linux hosts keep CJK TrueType fonts reportlab can embed (glyf outlines).
CJK_TRUETYPE_GLOBS = (
    "wqy*/*.tt[cf]",
    "*/wqy*/*.tt[cf]",
    "*/*Droid*Fallback*.ttf",
    "*/*/DroidSansFallback*.ttf",
    "*/arphic/*.ttc",
    "*/*/arphic/*.ttc",
    "*/*simsun*.tt[cf]",
    "*/*SimSun*.tt[cf]",
)
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


def _font(embed_font: Path | None = None) -> str:
    """Register and return the reportlab name of the font to print with: STSong-Light (not
    embedded), or the TrueType file `embed_font` (embedded)."""
    if embed_font is None:
        name = FONT
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(name))
        return name
    from reportlab.pdfbase.ttfonts import TTFont

    name = f"Embedded-{Path(embed_font).stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(embed_font)))
    return name


def find_embeddable_cjk_font() -> Path | None:
    """A CJK TrueType font on this host that reportlab can embed, or None (a fresh machine has none)."""
    for folder in FONT_DIRS:
        for pattern in CJK_TRUETYPE_GLOBS:
            for path in sorted(folder.glob(pattern)):
                try:
                    _font(path)
                except Exception:  # noqa: BLE001 — reportlab refuses CFF outlines and broken files alike
                    continue
                return path
    return None


class _Widths:
    """Character widths at one size, cached (stringWidth per character is the hot path)."""

    def __init__(self, size: float, font: str = FONT):
        self.size = size
        self.font = font
        self.cache: dict[str, float] = {}

    def __call__(self, ch: str) -> float:
        w = self.cache.get(ch)
        if w is None:
            w = self.cache[ch] = pdfmetrics.stringWidth(ch, self.font, self.size)
        return w

    def text(self, s: str) -> float:
        return sum(self(c) for c in s)


def wrap_chars(text: str, width: float, widths: _Widths, first_width: float | None = None) -> list[str]:
    """Greedy wrap anywhere (between any two characters); a newline forces a break.

    Every character is kept, spaces included, so joining the lines gives the text back
    (minus the newlines).
    """
    lines: list[str] = []
    for part in text.split("\n"):
        line: list[str] = []
        used = 0.0
        avail = first_width if (first_width is not None and not lines) else width
        for ch in part:
            w = widths(ch)
            if line and used + w > avail:
                lines.append("".join(line))
                line, used, avail = [], 0.0, width
            line.append(ch)
            used += w
        lines.append("".join(line))
    return lines


class TextLines(Flowable):
    """A paragraph as pre-wrapped printed lines; splits between lines at a page break."""

    def __init__(
        self,
        lines: list[str],
        first_indent: float,
        size: float = BODY_SIZE,
        leading: float = BODY_LEADING,
        continued: bool = False,
        font: str = FONT,
    ):
        super().__init__()
        self.font = font
        self.lines = lines
        self.first_indent = first_indent
        self.size = size
        self.leading = leading
        self.continued = continued  # True for the part after a page break: no indent

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.height = len(self.lines) * self.leading
        return self.width, self.height

    def split(self, availWidth, availHeight):
        n = int(availHeight // self.leading)
        if n <= 0 or n >= len(self.lines):
            return []
        return [
            TextLines(self.lines[:n], self.first_indent, self.size, self.leading, self.continued, self.font),
            TextLines(self.lines[n:], self.first_indent, self.size, self.leading, True, self.font),
        ]

    def draw(self):
        canv = self.canv
        canv.setFont(self.font, self.size)
        y = self.height - self.size  # baseline of the first line
        for i, line in enumerate(self.lines):
            x = self.first_indent if (i == 0 and not self.continued) else 0.0
            canv.drawString(x, y, line)
            y -= self.leading


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell.replace(" ", "")))


def header_row_count(rows: list[list[str]]) -> int:
    """Rows before the first row that starts with a digit code or holds a number (0 if none does)."""
    for i, row in enumerate(rows):
        if (row and _CODE.match(row[0])) or any(_is_number(c) for c in row if c):
            return i
    return 0


def _column_widths(
    rows: list[list[str]], ncols: int, avail: float, widths: _Widths, narrow: bool, header: int
) -> list[float]:
    cjk = widths("国")
    min_w = cjk + 2 * PAD
    natural = [min_w] * ncols
    numeric = [0] * ncols
    texty = [0] * ncols
    longest = [0] * ncols
    spans: list[tuple[int, float]] = []  # (first column, text width) of cells spanning to the end
    for r, row in enumerate(rows):
        for j, cell in enumerate(row):
            if not cell:
                continue
            w = max(widths.text(part) for part in cell.split("\n")) + 2 * PAD + 0.5
            if j == len(row) - 1 and len(row) < ncols:
                spans.append((j, w))
                continue
            natural[j] = max(natural[j], w)
            longest[j] = max(longest[j], len(cell))
            if r >= header:
                if _is_number(cell):
                    numeric[j] += 1
                else:
                    texty[j] += 1
    if narrow:
        # Amount columns fit "26.3" and no more; text columns four characters, or wider when
        # a long text would otherwise make a row taller than a page (~MAX_LINES lines a cell).
        num_cap = widths.text(NARROW_DIGITS) + 2 * PAD + 0.5
        out = [
            min(
                w,
                num_cap
                if numeric[j] and numeric[j] >= texty[j]
                else max(NARROW_CHARS, math.ceil(longest[j] / MAX_LINES)) * cjk + 2 * PAD + 0.5,
            )
            for j, w in enumerate(natural)
        ]
        for j, w in spans:  # a long spanning cell widens the columns it covers
            have = sum(out[j:])
            need = w / MAX_LINES + 2 * PAD
            if have < need:
                out[j:] = [x * need / have for x in out[j:]]
        natural = out
    total = sum(natural)
    if total <= avail:
        if narrow:
            return natural
        return [w * avail / total for w in natural]  # fill the text width, as printed tables do
    # Too wide: water-filling — small columns keep their width, wide ones share the rest.
    out = natural[:]
    remaining = avail
    open_cols = list(range(ncols))
    while open_cols:
        share = remaining / len(open_cols)
        small = [j for j in open_cols if natural[j] <= share]
        if not small:
            for j in open_cols:
                out[j] = max(share, min_w)
            break
        for j in small:
            out[j] = natural[j]
            remaining -= natural[j]
        open_cols = [j for j in open_cols if j not in small]
    return out


def _table(
    block: GridTable,
    avail: float,
    narrow: bool,
    header: int | None,
    font: str = FONT,
    first_cell_spans: frozenset[int] = frozenset(),
) -> Table:
    rows = [list(r) if r else [""] for r in block.rows] or [[""]]
    ncols = max(len(r) for r in rows)
    lead_spans = []  # (row, last column) of short rows whose first cell spans the columns they lack
    for r in sorted(first_cell_spans):
        if r < len(rows) and len(rows[r]) < ncols:
            lead = ncols - len(rows[r]) + 1
            rows[r] = [rows[r][0]] + [""] * (lead - 1) + rows[r][1:]
            lead_spans.append((r, lead - 1))
    widths = _Widths(TABLE_SIZE, font)
    if header is None:
        header = header_row_count(rows)
    col_w = _column_widths(rows, ncols, avail, widths, narrow, header)
    data: list[list[str]] = []
    style: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), font, TABLE_SIZE, TABLE_LEADING),
        ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), PAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD + 1),
    ]
    lead_end = dict(lead_spans)
    for r, row in enumerate(rows):
        out = [""] * ncols
        for j, cell in enumerate(row):
            span_end = lead_end[r] if j == 0 and r in lead_end else (ncols - 1 if j == len(row) - 1 else j)
            cw = sum(col_w[j : span_end + 1]) - 2 * PAD - 0.01
            out[j] = "\n".join(wrap_chars(cell, cw, widths)) if cell else ""
        if len(row) < ncols:
            style.append(("SPAN", (len(row) - 1, r), (ncols - 1, r)))
        elif r in lead_end:
            style.append(("SPAN", (0, r), (lead_end[r], r)))
        data.append(out)
    repeat = header if 0 < header < len(rows) else 0
    table = Table(data, colWidths=col_w, repeatRows=repeat, hAlign="LEFT", splitByRow=1)
    table.setStyle(TableStyle(style))
    return table


def _story(grid: GridDocument, frame_width: float, narrow: bool, header_rows: dict[int, int], font: str = FONT) -> list:
    widths = _Widths(BODY_SIZE, font)
    indent = INDENT_CHARS * widths("国")
    story: list = []
    t_index = 0
    prev_table = False
    lead: dict[int, set[int]] = {}  # block → rows whose first cell spans (generator.layout.GeneratedGrid)
    for b, r in getattr(grid, "first_cell_spans", None) or ():
        lead.setdefault(b, set()).add(r)
    for b, block in enumerate(grid.blocks):
        if isinstance(block, Paragraph):
            if prev_table:
                story.append(Spacer(1, GAP))
            lines = wrap_chars(block.text, frame_width - 0.01, widths, first_width=frame_width - indent - 0.01)
            story.append(TextLines(lines, indent, font=font))
            prev_table = False
        else:
            story.append(Spacer(1, GAP))
            story.append(_table(block, frame_width, narrow, header_rows.get(t_index), font, frozenset(lead.get(b, ()))))
            t_index += 1
            prev_table = True
    return story


def _scanned(grid: GridDocument, path: Path) -> Path:
    """Image-only PDF: each page is a picture of a ruled form; nothing is written as text."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (620, 877), 255)  # ~75 dpi A4
    draw = ImageDraw.Draw(img)
    for k in range(6):  # "printed lines" of a heading
        draw.rectangle((60 + k * 40, 60, 90 + k * 40, 80), fill=40)
    for y in range(120, 800, 24):  # a ruled grid
        draw.line((60, y, 560, y), fill=0)
    for x in (60, 160, 260, 360, 460, 560):
        draw.line((x, 120, x, 792), fill=0)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    picture = ImageReader(io.BytesIO(buf.getvalue()))
    pages = max(1, sum(isinstance(b, GridTable) for b in grid.blocks))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle(grid.source_name)
    for _ in range(pages):
        c.drawImage(picture, 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return path


def render_pdf(
    grid: GridDocument,
    path: Path,
    *,
    narrow: bool = False,
    scanned: bool = False,
    header_rows: dict[int, int] | None = None,
    page_numbers: bool = True,
    embed_font: Path | None = None,
) -> Path:
    """Write `grid` as an A4 PDF at `path` (see the module docstring for layout and options)."""
    path = Path(path)
    font = _font(embed_font)
    if scanned:
        return _scanned(grid, path)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=grid.source_name,
        author="budget-warehouse generator",
    )
    frame_width = A4[0] - 2 * MARGIN - 12  # platypus frames pad 6 pt on each side

    def page_number(canv, doc_):
        if page_numbers:
            canv.setFont(font, 9)
            canv.drawCentredString(A4[0] / 2, MARGIN / 2, f"- {doc_.page} -")

    doc.build(
        _story(grid, frame_width, narrow, header_rows or {}, font), onFirstPage=page_number, onLaterPages=page_number
    )
    return path
