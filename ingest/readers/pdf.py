"""PDF reader for text-based PDFs whose tables are ruled grids.

How: pdfium (``pypdfium2``, C) gives each page's glyphs with their boxes and the segments of
its painted paths; pdfplumber's ``TableFinder`` (lines strategy) turns the horizontal and
vertical segments into ruled grids, and the code below places the glyphs into cells, lines and
paragraphs. (Until the benchmarks' profile this read pages with pdfplumber itself, whose
pure-Python content-stream interpreter, pdfminer, cost ~60 % of a PDF's parse; the output is
identical on the generated corpora, see docs/benchmarks.md.)

What it produces (reader name ``pdf``, encoding ``None``):

* Tables: every ruled grid the TableFinder finds (lines strategy), rows of cell
  strings as printed. A cell's printed lines are joined WITHOUT a separator ("26.3" / "3"
  → "26.33", "行政单位" / "医疗" → "行政单位医疗": Chinese text and numbers wrap mid-token).
  Merged cells as a grid shows them: a horizontally merged cell appears once (the columns
  it covers are dropped from the row), a vertically merged cell gives ``""`` in each row
  below its first.
* Paragraphs: the text outside the grids, in reading order (top to bottom). Characters are
  grouped into printed lines by their vertical position and ordered left to right; space
  characters in the PDF are kept as they are, and a space is added only where the PDF
  leaves a gap without one: more than 0.3 em next to a Latin letter or digit, more than
  1 em between two Chinese characters (so Chinese split into glyph runs or justified is
  not spaced out, while "单位  单位：万元"-like gaps stay visible; letter-spaced titles
  such as 合 计 may lose their space, which the recognizers ignore anyway). Printed lines are joined into one paragraph
  (without separator) when the line above reached the right margin of the text (and started
  near its left margin: a short line standing at the right, "单位：万" over a table, is no
  paragraph's) and the line is not indented: the first line of a paragraph is either indented
  (首行缩进) or follows a line that ended short. This also joins a paragraph continued on the
  next page. The margins are those of the body text (a cover title in a font 1.5 times its size
  or more sets none).
* Grids: a path that paints nothing on a white page (filled and stroked, if at all, in white or
  fully transparent: Word's cell backgrounds inset from the rules, 北京's white stubs extending
  each rule into the margin) draws no rule; a grid whose rule at a page break is drawn on
  the other page only (its vertical rules end on a line with no horizontal rule) is closed
  there (see _close_open_ends).
* Blocks are interleaved by vertical position, page by page. A page number alone on the
  first line of a page in its top tenth, or the last line in its bottom fifth ("- 3 -", "第3页", "3/20"), is
  dropped (it would otherwise split paragraphs and tables running over the page break).
* Tables continued on the next page are joined: when a page starts with a grid (nothing
  above it on the page), the previous page ended with a grid (nothing below it) with the
  same left and right edges, and the new grid's first rows repeat the first rows of that
  table, the repeated header rows are dropped and the rest appended (the column count may
  differ: a page lacks a column rule where every row on it spans that column). Without a
  repeated header they are still joined when the previous grid reached the bottom quarter
  of its page, the new one starts in the top quarter and one part's column x-positions
  are among the other's (a part holding only merged header rows draws fewer rules).

``line`` of every block (and every table row in ``row_lines``) is
``page_number * 1000 + index``, where index counts the printed lines on that page from
the top, 1-based (a paragraph line and a table row count one each). So line 3012 is the
12th line of page 3.

Unreadable files raise ``UnreadableFileError``: not a PDF / corrupt, encrypted (password
needed), no pages, or no text layer at all ("image-only (scanned) PDF: no text layer; OCR
is not supported").
"""

from __future__ import annotations

import ctypes
import logging
import math
import re
import time
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pdfplumber.table import TableFinder

from ingest.grid import GridDocument, Paragraph, Table, clean_cell

log = logging.getLogger("budget_warehouse.readers")

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
GAP_EM = 0.3  # a horizontal gap wider than this (in font sizes) prints as a space…
CJK_GAP_EM = 1.0  # …or this, between two CJK characters (justified Chinese is spaced out)
LINE_EM = 0.5  # characters whose tops differ by less than this (in font sizes) share a line
INDENT_EM = 0.5  # a line starting this far right of the text's left edge is indented
FULL_EM = 1.2  # a line ending within this of the text's right edge reached the margin
FIRST_LINE_EM = 4.0  # a paragraph's line starts at most this far right of the left edge (首行缩进 is 2 em);
# a short line standing at the right margin ("单位：万元" wrapped in its text box) is no paragraph's line
TITLE_SIZE = 1.5  # a line in a font this many times the body text's size is a title: it sets no margin
COLUMN_TOLERANCE = 3.0  # points (pdfplumber's snap tolerance): column positions that agree
MARGIN_SHARE = 0.1  # top share of the page where a page number may stand (as the first line)…
FOOT_SHARE = 0.2  # …and bottom share (as the last line: landscape pages print it higher, at 88 %)
_PAGE_NUMBER = re.compile(r"^(?:第\s*)?[-—–－]?\s*\d{1,4}\s*[-—–－]?\s*(?:页)?\s*(?:[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?$")
IMAGE_ONLY = "image-only (scanned) PDF: no text layer; OCR is not supported"


@dataclass
class _Line:
    """One printed line of text outside the grids."""

    text: str
    top: float
    x0: float
    x1: float
    size: float
    index: int = 0


@dataclass
class _Grid:
    rows: list[list[str]]
    top: float
    bottom: float
    xs: list[float]  # column x-positions (left edges) plus the right edge
    indexes: list[int] = field(default_factory=list)
    page_end: bool = False  # nothing printed below it on its page


def _lines_of(chars: list[dict]) -> list[list[dict]]:
    """Group characters into printed lines (by top), each sorted left to right."""
    chars = sorted(chars, key=lambda c: (c["top"], c["x0"]))
    lines: list[list[dict]] = []
    line_top = None
    tol = 0.0
    for ch in chars:
        if line_top is None or ch["top"] - line_top > tol:
            lines.append([ch])
            line_top = ch["top"]
            tol = LINE_EM * (ch["size"] or 1.0)
        else:
            lines[-1].append(ch)
    for line in lines:
        line.sort(key=lambda c: c["x0"])
    return lines


def _cjk(text: str) -> bool:
    return bool(text) and ord(text[0]) >= 0x2E80


def _text_of(line: list[dict]) -> str:
    """A printed line's text. Spaces at either end of it have no glyph on their far side to
    measure, and how many of them pdfium keeps depends on the font it substitutes (one, two or
    none where a narrow cell wraps in a run of spaces): a run at either end reads as one space."""
    out: list[str] = []
    prev = None
    for ch in line:
        t = ch["text"]
        if prev is not None and t != " " and prev["text"] != " ":
            gap = (ch["x0"] - prev["x1"]) / (ch["size"] or 1.0)
            if gap > GAP_EM and (gap > CJK_GAP_EM or not (_cjk(t) and _cjk(prev["text"]))):
                out.append(" ")
        out.append(t)
        prev = ch
    text = "".join(out)
    core = text.strip(" ")
    if not core:
        return " " if text else ""
    return (" " if text[0] == " " else "") + core + (" " if text[-1] == " " else "")


def _cell_text(chars: list[dict]) -> str:
    """A cell's printed lines joined without separator (wrapped numbers and Chinese rejoin); where
    a line ends or the next begins with spaces, one space stands between them."""
    if not chars:
        return ""
    text = ""
    for line in _lines_of(chars):
        part = _text_of(line)
        text += part[1:] if text.endswith(" ") and part.startswith(" ") else part
    return clean_cell(text)


def _read_grid(table, chars: list[dict]) -> tuple[_Grid, list[dict]]:
    """Cell strings of one pdfplumber table from the page's characters (by character centre), and
    the characters inside its outline that fall in no cell (a title printed where the frame draws
    no cell, 江苏's "公开07表" beside a lone ruled box): they are read as lines of text."""
    rows = table.rows
    tops = [r.bbox[1] for r in rows]
    cells = [r.cells for r in rows]
    buckets: dict[tuple[int, int], list[dict]] = {}
    loose: list[dict] = []
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        r = bisect_right(tops, cy) - 1
        while r >= 0:  # the row starting above; a vertically merged cell may come from further up
            hit = None
            for c, bbox in enumerate(cells[r]):
                if bbox is not None and bbox[0] <= cx < bbox[2] and bbox[1] <= cy < bbox[3]:
                    hit = c
                    break
            if hit is not None:
                buckets.setdefault((r, hit), []).append(ch)
                break
            r -= 1
        else:
            loose.append(ch)
    out_rows: list[list[str]] = []
    for r, row in enumerate(cells):
        out: list[str] = []
        covered_to = float("-inf")  # right edge of the last cell emitted in this row
        for c, bbox in enumerate(row):
            if bbox is not None:
                out.append(_cell_text(buckets.get((r, c), [])))
                covered_to = bbox[2]
                continue
            x = _column_x(cells, c)
            if x < covered_to - 0.01:
                continue  # covered by a horizontally merged cell of this row: shown once
            above = _covering_cell(cells, r, x, tops[r])
            if above is not None:
                out.append("")  # a vertically merged cell, in a row below its first
                covered_to = above[2]
        out_rows.append(out)
    top = table.bbox[1]
    while out_rows and not any(out_rows[0]):  # leading rows with nothing in them: the frame's top
        out_rows.pop(0)
        tops.pop(0)
        top = tops[0] if tops else top
    xs = sorted({b[0] for row in cells for b in row if b is not None})
    xs.append(table.bbox[2])
    return _Grid(out_rows, top, table.bbox[3], xs), loose


def _column_x(cells: list[list], c: int) -> float:
    for row in cells:
        if row[c] is not None:
            return row[c][0]
    return float("inf")


def _covering_cell(cells: list[list], r: int, x: float, top: float):
    for rr in range(r - 1, -1, -1):
        for bbox in cells[rr]:
            if bbox is not None and bbox[0] <= x + 0.01 < bbox[2] and bbox[3] > top + 0.01:
                return bbox
    return None


def _read_page(page: "_Page") -> tuple[list[tuple[float, object]], int]:
    """Blocks of one page as (top, _Line | _Grid), sorted top to bottom; and its char count."""
    chars = page.chars
    tables = TableFinder(page, TABLE_SETTINGS).tables if page.edges else []
    items: list[tuple[float, object]] = []
    outside = chars
    if tables:
        boxes = [t.bbox for t in tables]
        inside: list[list[dict]] = [[] for _ in tables]
        outside = []
        for ch in chars:
            cx = (ch["x0"] + ch["x1"]) / 2
            cy = (ch["top"] + ch["bottom"]) / 2
            for k, (x0, top, x1, bottom) in enumerate(boxes):
                if x0 <= cx <= x1 and top <= cy <= bottom:
                    inside[k].append(ch)
                    break
            else:
                outside.append(ch)
        for t, tchars in zip(tables, inside):
            grid, loose = _read_grid(t, tchars)
            outside.extend(loose)
            if grid.rows:
                items.append((grid.top, grid))
    for line in _lines_of(outside):
        first = next((c for c in line if c["text"] != " "), None)  # leading spaces: see _text_of
        if first is None:
            continue
        text = _text_of(line).lstrip(" ")
        items.append(
            (first["top"], _Line(text, first["top"], first["x0"], line[-1]["x1"], max(c["size"] for c in line)))
        )
    items.sort(key=lambda it: it[0])
    # A page number printed in the top or bottom margin ("- 3 -", "第 3 页", "3/20") is not text.
    for pos in (-1, 0):
        if items and isinstance(items[pos][1], _Line) and _PAGE_NUMBER.match(items[pos][1].text.strip()):
            line = items[pos][1]
            if line.top < MARGIN_SHARE * page.height if pos == 0 else line.top > (1 - FOOT_SHARE) * page.height:
                items.pop(pos)
    index = 0
    for _, item in items:
        if isinstance(item, _Grid):
            item.indexes = list(range(index + 1, index + 1 + len(item.rows)))
            index += len(item.rows)
        else:
            index += 1
            item.index = index
    return items, len(chars)


def _continuation(table: Table, prev: _Grid, prev_height: float, grid: _Grid, height: float) -> int | None:
    """If `grid` (first on its page) continues `table` (whose last part `prev` ended the previous
    page), how many of its leading rows repeat the table's header; None if it is a new table."""
    if not _same_edges(grid.xs, prev.xs):
        return None
    k = 0  # leading rows equal to the table's first rows: a repeated header
    while k < len(grid.rows) and k < len(table.rows) and grid.rows[k] == table.rows[k]:
        k += 1
    if k:
        if (
            k < len(grid.rows)
            and k < len(table.rows)
            and grid.rows[k]
            and table.rows[k]
            and grid.rows[k][0] == table.rows[k][0]
            and re.search(r"[\u4e00-\u9fff]", grid.rows[k][0])
            and grid.rows[k] != table.rows[k]
        ):
            return None  # the same form again, filled in for another item (上海's per-project 绩效目标填报表)
        return k

    # Same column rules, or one part's rules a subset of the other's: a part made only of merged
    # header rows (表九's lone 项目 | 政府性基金预算支出 row at a page foot) draws fewer of them.
    def within(xs: list[float], other: list[float]) -> bool:
        return all(any(abs(a - b) <= COLUMN_TOLERANCE for b in other) for a in xs)

    same_columns = within(grid.xs, prev.xs) or within(prev.xs, grid.xs)
    if same_columns and prev.bottom >= 0.75 * prev_height and grid.top <= 0.25 * height:
        return 0
    return None


def _same_edges(xs: list[float], other: list[float]) -> bool:
    """Left and right edges agree (pdfplumber snaps rules to cluster means, so allow a little)."""
    return (
        bool(xs and other) and abs(xs[0] - other[0]) <= COLUMN_TOLERANCE and abs(xs[-1] - other[-1]) <= COLUMN_TOLERANCE
    )


@dataclass
class _Page:
    """What the reader needs of one page, in pdfplumber's conventions (points, origin at the
    top left of the media box): characters as dicts (text, x0, x1, top, bottom, size) and the
    horizontal/vertical segments of every painted path as pdfplumber edge dicts, which
    pdfplumber's TableFinder (lines strategy) turns into ruled grids."""

    chars: list[dict]
    edges: list[dict]
    height: float
    bbox: tuple[float, float, float, float]
    images: int


_AXIS_TOLERANCE = 0.01  # points: a segment this close to axis-parallel is a rule
MAX_SPACE_RUN = 200


def _matrix(obj) -> tuple[float, ...]:
    import pypdfium2.raw as R

    m = R.FS_MATRIX()
    if not R.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying m, then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _paints(getter, obj) -> bool:
    """A fill or stroke colour that shows on a white page: not white, not fully transparent (a colour
    pdfium cannot tell, a pattern, counts as showing)."""
    rgba = [ctypes.c_uint() for _ in range(4)]
    if not getter(obj, *rgba):
        return True
    r, g, b, alpha = (v.value for v in rgba)
    return alpha > 0 and (r, g, b) != (255, 255, 255)


def _visible(path) -> bool:
    """Whether a path object paints anything a reader sees. Word-made PDFs (江苏 高院 2017) fill each
    cell's text area with a white rectangle inset from the cell's rules: its edges are no rules, and
    read as rules they cut every column into three cells."""
    import pypdfium2.raw as R

    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not R.FPDFPath_GetDrawMode(path, fill_mode, stroke):
        return True
    return bool(
        (stroke.value and _paints(R.FPDFPageObj_GetStrokeColor, path))
        or (fill_mode.value and _paints(R.FPDFPageObj_GetFillColor, path))
    )


def _walk_objects(obj, parent: tuple[float, ...], segments: list, counts: list[int]) -> None:
    """Straight segments of path objects (in page space) and a count of images, into form
    XObjects too. A path object's points are in its own space: its matrix maps them."""
    import pypdfium2.raw as R

    kind = R.FPDFPageObj_GetType(obj)
    if kind == R.FPDF_PAGEOBJ_PATH:
        if not _visible(obj):
            return
        a, b, c, d, e, f = _compose(_matrix(obj), parent)
        x, y = ctypes.c_float(), ctypes.c_float()
        start = prev = None
        for i in range(R.FPDFPath_CountSegments(obj)):
            seg = R.FPDFPath_GetPathSegment(obj, i)
            R.FPDFPathSegment_GetPoint(seg, x, y)
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            seg_type = R.FPDFPathSegment_GetType(seg)
            if seg_type == R.FPDF_SEGMENT_MOVETO:
                start = prev = point
                continue
            if seg_type == R.FPDF_SEGMENT_LINETO and prev is not None:
                segments.append((prev, point))
            prev = point  # a Bézier segment draws no rule but moves the pen
            if R.FPDFPathSegment_GetClose(seg) and start is not None:
                segments.append((prev, start))
                prev = start
    elif kind == R.FPDF_PAGEOBJ_FORM:
        m = _compose(_matrix(obj), parent)
        for i in range(R.FPDFFormObj_CountObjects(obj)):
            _walk_objects(R.FPDFFormObj_GetObject(obj, i), m, segments, counts)
    elif kind == R.FPDF_PAGEOBJ_IMAGE:
        counts[0] += 1


def _edges(segments: list, left: float, top_y: float) -> list[dict]:
    """pdfplumber edge dicts of the axis-parallel segments (as its curve_to_edges makes them)."""
    edges = []
    for (x0, y0), (x1, y1) in segments:
        if abs(x0 - x1) <= _AXIS_TOLERANCE:
            orientation = "v"
        elif abs(y0 - y1) <= _AXIS_TOLERANCE:
            orientation = "h"
        else:
            continue  # a slanted line is no table rule
        lo_x, hi_x = min(x0, x1) - left, max(x0, x1) - left
        top, bottom = top_y - max(y0, y1), top_y - min(y0, y1)
        if orientation == "v":
            lo_x = hi_x = (lo_x + hi_x) / 2
        else:
            top = bottom = (top + bottom) / 2
        edges.append(
            {
                "object_type": "line",
                "orientation": orientation,
                "x0": lo_x,
                "x1": hi_x,
                "top": top,
                "bottom": bottom,
                "width": hi_x - lo_x,
                "height": bottom - top,
            }
        )
    return edges


END_TOLERANCE = 1.0  # points: vertical rules whose ends are this close end on one line


def _close_open_ends(edges: list[dict]) -> list[dict]:
    """A grid cut by a page break may draw no rule where the page cuts it: its vertical rules run up
    to the top of the page's part (or down to its foot) with no horizontal rule there (江苏 高院
    2017: the 收支预算总表's first row on its second page), and the TableFinder, which needs a rule
    on every side of a cell, leaves that row out. Where three or more vertical rules end on one line
    that no horizontal rule draws any part of between them, and horizontal rules cross or meet most
    of them further in (a grid, not a few lone strokes), the missing rule is added from the leftmost
    of them to the rightmost."""
    vs = [e for e in edges if e["orientation"] == "v" and e["height"] > 2 * END_TOLERANCE]
    hs = [e for e in edges if e["orientation"] == "h" and e["width"] > 2 * END_TOLERANCE]
    added: list[dict] = []
    for end in ("top", "bottom"):
        group: list[dict] = []
        for v in sorted(vs, key=lambda e: e[end]) + [None]:
            if v is not None and (not group or v[end] - group[0][end] <= END_TOLERANCE):
                group.append(v)
                continue
            if group:
                rule = _missing_rule(group, end, hs)
                if rule is not None:
                    added.append(rule)
            group = [v] if v is not None else []
    return edges + added


def _missing_rule(group: list[dict], end: str, hs: list[dict]) -> dict | None:
    xs: list[float] = []
    for x in sorted(v["x0"] for v in group):
        if not xs or x - xs[-1] > COLUMN_TOLERANCE:
            xs.append(x)
    if len(xs) < 3:
        return None
    y = group[0][end]
    x0, x1 = xs[0], xs[-1]

    def overlap(h: dict) -> float:
        return max(0.0, min(h["x1"], x1) - max(h["x0"], x0))

    if any(overlap(h) > 0 for h in hs if abs(h["top"] - y) <= END_TOLERANCE):
        return None  # a rule is drawn there (a header's rule may be broken where a merged cell spans it)

    def met(v: dict, h: dict) -> bool:  # a rule crosses or meets the vertical away from its open end
        inside = (
            v["top"] + END_TOLERANCE < h["top"] <= v["bottom"] + END_TOLERANCE
            if end == "top"
            else v["top"] - END_TOLERANCE <= h["top"] < v["bottom"] - END_TOLERANCE
        )
        return inside and h["x0"] - COLUMN_TOLERANCE <= v["x0"] <= h["x1"] + COLUMN_TOLERANCE

    crossed = [v for v in group if any(met(v, h) for h in hs)]
    if len(crossed) * 2 < len(group):
        return None
    return {
        "object_type": "line",
        "orientation": "h",
        "x0": x0,
        "x1": x1,
        "top": y,
        "bottom": y,
        "width": x1 - x0,
        "height": 0.0,
    }


def _restore_space_runs(chars: list[dict]) -> list[dict]:
    """pdfium keeps one character of a run of printed spaces ("第一部分  单位概况" reads with one);
    put the run back (as many spaces as fit before the next glyph on the line), so paragraphs read
    as printed (the recognizers take two spaces as a field break, like the text reader)."""
    out: list[dict] = []
    for k, ch in enumerate(chars):
        out.append(ch)
        if ch["text"] != " " or k + 1 >= len(chars):
            continue
        width = ch["x1"] - ch["x0"]
        nxt = chars[k + 1]
        if width <= 0 or abs(nxt["bottom"] - ch["bottom"]) > 0.5 * (ch["size"] or 1.0):
            continue
        extra = min(int((nxt["x0"] - ch["x0"]) / width + 0.5) - 1, MAX_SPACE_RUN)
        for j in range(1, extra + 1):
            out.append({**ch, "x0": ch["x0"] + j * width, "x1": ch["x1"] + j * width})
    return out


# Rotation of a page as displayed (/Rotate, clockwise) → the matrix taking page space to the
# displayed page with its bottom-left corner at the origin (PDF row-vector convention).
def _display_matrix(rotation: int, left: float, bottom: float, right: float, top: float) -> tuple[float, ...]:
    if rotation == 1:  # 90°: the page's left edge is shown at the top
        return (0.0, -1.0, 1.0, 0.0, -bottom, right)
    if rotation == 2:
        return (-1.0, 0.0, 0.0, -1.0, right, top)
    if rotation == 3:
        return (0.0, 1.0, -1.0, 0.0, top, -left)
    return (1.0, 0.0, 0.0, 1.0, -left, -bottom)


DESCENT_EM = 0.12  # a glyph's box: its bottom this far below the baseline (a CJK em box), its top 1 em above


class _Advances:
    """A glyph's advance width as the PDF gives it (/W, /Widths; pdfium's built-in metrics for the
    standard 14 fonts), by font, character and font size."""

    def __init__(self):
        self.width: dict[tuple[int, int, float], float] = {}

    def __call__(self, font, code: int, size: float) -> float:
        import pypdfium2.raw as R

        key = (ctypes.cast(font, ctypes.c_void_p).value, code, size)
        if key not in self.width:
            w = ctypes.c_float()
            self.width[key] = w.value if R.FPDFFont_GetGlyphWidth(font, code, size, w) else size / 2
        return self.width[key]


def _page(page) -> _Page:
    """One pdfium page → _Page, as displayed (a page with /Rotate 90 whose text is drawn turned
    reads upright, as a person sees it). Characters pdfium generates itself (line breaks, spaces
    it infers) are left out: only glyphs the PDF draws count, as with pdfplumber.

    Every position comes from the PDF, never from a font: a glyph starts at its origin and spans
    the advance width the PDF gives its font; its size is the font size times the vertical scale
    of its matrix (a PDF may set 1 pt text in a 10× matrix); its box is one em box standing on the
    baseline (bottom 0.12 size below it, top one size above the bottom), whatever the font's own
    metrics say. pdfium's char boxes are not used: for a font the PDF does not embed they come
    from a substitute font (with no CJK font on the host, wrapped cell lines fell outside their
    cells), and fonts with odd ascent/descent values (a Times New Roman with a 0.44 em descent
    beside FangSong) put glyphs of one printed line on different lines."""
    import pypdfium2.raw as R

    left, bottom_y, right, top_y = page.get_mediabox()
    rotation = R.FPDFPage_GetRotation(page.raw) % 4
    display = _display_matrix(rotation, left, bottom_y, right, top_y)
    width, height = (top_y - bottom_y, right - left) if rotation % 2 else (right - left, top_y - bottom_y)
    da, db, dc, dd, de, df = display
    text_page = R.FPDFText_LoadPage(page.raw)
    chars: list[dict] = []
    advance_of = _Advances()
    try:
        m = R.FS_MATRIX()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        for i in range(R.FPDFText_CountChars(text_page)):
            if R.FPDFText_IsGenerated(text_page, i):
                continue
            code = R.FPDFText_GetUnicode(text_page, i)
            if code < 32 or code in (0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
                continue
            R.FPDFText_GetMatrix(text_page, i, m)  # text matrix × CTM, without the font size
            a, b, c, d = m.a * da + m.b * dc, m.a * db + m.b * dd, m.c * da + m.d * dc, m.c * db + m.d * dd
            if not (a * d > 0 and b * c <= 0):
                continue  # not upright as displayed (a rotated stamp, a vertical label): not read
            font = R.FPDFTextObj_GetFont(R.FPDFText_GetTextObject(text_page, i))
            if not font:
                continue
            font_size = R.FPDFText_GetFontSize(text_page, i)
            size = font_size * math.hypot(c, d)
            R.FPDFText_GetCharOrigin(text_page, i, ox, oy)
            x = da * ox.value + dc * oy.value + de
            y = db * ox.value + dd * oy.value + df  # baseline, from the displayed page's bottom
            advance = advance_of(font, code, font_size) * math.hypot(a, b)
            bottom = height - y + DESCENT_EM * size
            chars.append(
                {"text": chr(code), "x0": x, "x1": x + advance, "top": bottom - size, "bottom": bottom, "size": size}
            )
    finally:
        R.FPDFText_ClosePage(text_page)
    chars = _restore_space_runs(chars)
    segments: list = []
    counts = [0]
    for i in range(R.FPDFPage_CountObjects(page.raw)):
        _walk_objects(R.FPDFPage_GetObject(page.raw, i), display, segments, counts)
    return _Page(chars, _close_open_ends(_edges(segments, 0.0, height)), height, (0.0, 0.0, width, height), counts[0])


def _open(path: Path):
    import pypdfium2 as pdfium
    from ingest.readers import UnreadableFileError
    from ingest.readers.pdfium_fonts import use_project_fonts

    use_project_fonts()  # before the first document: no host font may shape what is read

    with open(path, "rb") as fh:  # pdfium repairs a cut file silently: refuse it instead
        head = fh.read(1024)
        fh.seek(0, 2)
        fh.seek(max(0, fh.tell() - 2048))
        tail = fh.read()
    if b"%PDF-" not in head:
        raise UnreadableFileError(path, "not a readable PDF (corrupt or not a PDF at all): no %PDF header")
    if b"%%EOF" not in tail:
        raise UnreadableFileError(
            path, "not a readable PDF (corrupt or not a PDF at all): truncated (no %%EOF marker at its end)"
        )
    try:
        pdf = pdfium.PdfDocument(path)
        n = len(pdf)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableFileError(path, f"encrypted PDF: it cannot be opened without its password ({exc})") from exc
        raise UnreadableFileError(path, f"not a readable PDF (corrupt or not a PDF at all): {exc}") from exc
    if n == 0:
        pdf.close()
        raise UnreadableFileError(path, "PDF has no pages")
    return pdf


_Pages = list[tuple[int, list[tuple[float, object]], float]]  # (page number, its items in order, page height)


def _read_pages(path: Path) -> _Pages:
    """Every page's printed lines and grids, in reading order; UnreadableFileError when a page cannot
    be read or the file has no text at all (an image-only scan: OCR is not supported)."""
    from ingest.readers import UnreadableFileError

    pages: _Pages = []
    n_chars = 0
    has_images = False
    pdf = _open(path)
    try:
        for number in range(1, len(pdf) + 1):
            try:
                page = pdf[number - 1]
                try:
                    data = _page(page)
                finally:
                    page.close()
                items, count = _read_page(data)
                has_images = has_images or bool(data.images)
            except Exception as exc:
                raise UnreadableFileError(path, f"page {number} cannot be read: {type(exc).__name__}: {exc}") from exc
            n_chars += count
            pages.append((number, items, data.height))
    finally:
        pdf.close()
    if n_chars == 0:
        raise UnreadableFileError(path, IMAGE_ONLY if has_images else "PDF has no text on any page (and no images)")
    return pages


def _text_margins(pages: _Pages) -> tuple[float, float]:
    """The text's left and right margins: its body text's (a cover title in a much larger font may reach further)."""
    text_lines = [it for _, items, _ in pages for _, it in items if isinstance(it, _Line)]
    body = Counter(round(ln.size) for ln in text_lines).most_common(1)
    margin_lines = [ln for ln in text_lines if not body or ln.size <= TITLE_SIZE * body[0][0]] or text_lines
    return min((ln.x0 for ln in margin_lines), default=0.0), max((ln.x1 for ln in margin_lines), default=0.0)


def _blocks(pages: _Pages, left: float, right: float) -> list[Paragraph | Table]:
    """Paragraphs (a line that runs to the right margin goes on in the next one) and tables (a grid that
    ends its page and goes on at the top of the next one is one table, its repeated header dropped)."""
    blocks: list[Paragraph | Table] = []
    last_line: _Line | None = None  # the printed line that ended the last paragraph block
    last_grid: _Grid | None = None  # the grid that ended the last table block
    prev_page_height = 0.0
    for number, items, height in pages:
        for pos, (_, item) in enumerate(items):
            line_no = number * 1000
            item_is_last = pos == len(items) - 1
            if isinstance(item, _Line):
                continues = (
                    blocks
                    and isinstance(blocks[-1], Paragraph)
                    and last_line is not None
                    and last_line.x1 >= right - FULL_EM * last_line.size
                    and last_line.x0 <= left + FIRST_LINE_EM * last_line.size
                    and item.x0 <= left + INDENT_EM * item.size
                )
                if continues:
                    blocks[-1].text += item.text
                else:
                    blocks.append(Paragraph(item.text, line_no + item.index))
                last_line = item
                continue
            rows, row_lines = item.rows, [line_no + i for i in item.indexes]
            if pos == 0 and blocks and isinstance(blocks[-1], Table) and last_grid is not None and last_grid.page_end:
                k = _continuation(blocks[-1], last_grid, prev_page_height, item, height)
                if k is not None:  # the table goes on: drop its repeated header rows
                    blocks[-1].rows.extend(rows[k:])
                    blocks[-1].row_lines.extend(row_lines[k:])
                    item.page_end = item_is_last
                    last_grid = item
                    continue
            blocks.append(Table([list(r) for r in rows], row_lines[0], list(row_lines)))
            item.page_end = item_is_last
            last_grid = item
        prev_page_height = height
    for b in blocks:
        if isinstance(b, Paragraph):
            b.text = clean_cell(b.text)
    return [b for b in blocks if not isinstance(b, Paragraph) or b.text]


def read_pdf(path: Path) -> GridDocument:
    path = Path(path)
    started = time.perf_counter()
    pages = _read_pages(path)
    blocks = _blocks(pages, *_text_margins(pages))
    seconds = time.perf_counter() - started
    n_par = sum(isinstance(b, Paragraph) for b in blocks)
    log.info(
        "read %s in %.3f s: %d pages, %d paragraphs, %d tables",
        path.name,
        seconds,
        len(pages),
        n_par,
        len(blocks) - n_par,
    )
    return GridDocument(source_name=path.name, blocks=blocks, reader="pdf", encoding=None)
