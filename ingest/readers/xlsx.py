"""Excel readers: .xlsx (openpyxl) and legacy .xls (xlrd), one grid model for both.

What comes out, per visible sheet, in sheet order:

* a Paragraph with the sheet's name (bureau templates carry table labels such as
  "表一" in sheet names), unless it is a default name like "Sheet1";
* the sheet's rows, cut into tables and paragraphs:
  - a *table* is a run of consecutive rows that have at least one bordered cell
    (the way templates draw tables). A sheet with no border anywhere falls back to
    values: blocks between fully empty rows, a table from its first to its last row
    with two or more non-empty cells; after an empty gap, a block that does not
    start with a text-only header row continues the table above;
  - every other non-empty row is a Paragraph (its non-empty cells joined by two
    spaces): titles above a table, notes below it, the narrative of a text-only
    sheet (one paragraph per row). A one-cell row at the bottom of a table that
    starts with a note marker (备注：/注：) is also taken out as a Paragraph.
* Merged ranges: the value appears once, at the top-left. Cells to the right of it
  in the same row are dropped (a merged header row has fewer cells, as in the text
  layout); in the rows below, the first column of the range gives an empty cell
  and the rest is dropped (like Word's vMerge).
* Hidden rows and columns are kept (they still hold published numbers). Hidden and
  very-hidden *sheets* are skipped (templates keep lookup lists there); logged.
* Values: formulas give their cached value (openpyxl `data_only=True`; a formula
  never calculated by Excel has none and reads as an empty cell). Number cells are
  written as shown: a fixed format ("0.00", "#,##0.00", "0%") fixes the decimals
  and the thousands separator; General gives Python's shortest round-trip repr
  (320.06 → "320.06", 28.0 → "28"). Currency symbols and literal text in formats
  are not reproduced. Text cells stay text ("0320" stays "0320"). Dates → ISO.

Positions (`line`): one running counter over the workbook. The sheet-name paragraph
takes one position, then each sheet row one position, so positions grow in
document order and a finding's "line N" is the N-th row of the workbook read
sheet after sheet.

Library choice (measured on the seed rendered to .xlsx, 11 sheets, ~330 rows, 20 reads):
python-calamine ~2.5 ms, openpyxl read-only ~27 ms, openpyxl normal mode ~101 ms per read.
calamine exposes no number formats and no borders (it has merged ranges), so it cannot
print "28.00" / "16,745.59" as shown nor find bordered tables. openpyxl read-only gives
values, formats and borders but no merged cells, which are read from the package's
<mergeCell> elements here; that is the reader used.
"""

from __future__ import annotations

import logging
import re
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from ingest.grid import GridDocument, Paragraph, Table, clean_cell, join_wrapped

log = logging.getLogger("budget_warehouse.readers")

_DEFAULT_SHEET = re.compile(r"^(sheet|工作表|表單|wps表格)\s*\d*$", re.IGNORECASE)
_NOTE = re.compile(r"^(备注|注)\s*[0-9一二三四五六七八九十]*\s*[:：]")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# ---------------------------------------------------------------- cell text


def _join_lines(text: str) -> str:
    """Cells wrapped with Alt+Enter: join the lines (no space between CJK characters)."""
    return join_wrapped([p.strip() for p in text.replace("\r", "\n").split("\n")])


def _strip_format(fmt: str) -> str:
    """First section of a number format, without literals, colours, conditions and padding."""
    section = fmt.split(";")[0]
    section = re.sub(r'"[^"]*"', "", section)  # quoted literals
    section = re.sub(r"\[[^\]]*\]", "", section)  # [Red], [$¥-804], [>=100]
    section = re.sub(r"\\.", "", section)  # escaped characters
    section = re.sub(r"[_*].", "", section)  # padding (_) and fill (*) with their character
    return section


def format_number(value: float | int | Decimal, fmt: str | None) -> str:
    """A number cell as shown: fixed formats fix decimals/grouping/percent; General → shortest repr."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    exact = (
        value if isinstance(value, Decimal) else Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    )
    s = _strip_format(fmt or "General").strip()
    if not s or s.lower() == "general" or s == "@" or not re.search(r"[0#?]", s):
        return _general(exact)
    percent = "%" in s
    if percent:
        exact = exact * 100
    body = re.search(r"[#0?][#0?,]*(?:\.[#0?]*)?|\.[#0?]+", s).group(0)
    integer, _, frac = body.partition(".")
    decimals = len(frac)
    min_decimals = frac.count("0")
    grouping = "," in integer.rstrip(",")
    # a trailing comma scales by 1000 (e.g. '#,##0,'): show as Excel would
    scale = len(integer) - len(integer.rstrip(","))
    if scale:
        exact = exact / (Decimal(1000) ** scale)
    q = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = format(q, f"{',' if grouping else ''}.{decimals}f")
    if decimals > min_decimals and "." in text:  # '#' digits are optional
        head, tail = text.split(".")
        tail = tail.rstrip("0")
        tail = tail + "0" * max(0, min_decimals - len(tail))
        text = head + ("." + tail if tail else "")
    if text.startswith("-") and Decimal(text.replace(",", "")) == 0:
        text = text[1:]
    return text + ("%" if percent else "")


def _general(exact: Decimal) -> str:
    if exact == exact.to_integral_value():
        return str(int(exact))
    text = format(exact, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _date_text(value) -> str:
    if isinstance(value, datetime):
        if value.time() == dtime(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (date, dtime)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


# ---------------------------------------------------------------- sheet model


@dataclass
class SheetData:
    """A sheet as the library gives it, 0-based, before any layout decision."""

    name: str
    nrows: int
    ncols: int
    text: dict[tuple[int, int], str] = field(default_factory=dict)  # non-empty cells only
    bordered: set[tuple[int, int]] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, r1, c0, c1 inclusive


def _row_blocks(sheet: SheetData, first_line: int) -> list[Paragraph | Table]:
    """Cut one sheet into tables and paragraphs (see the module docstring)."""
    dropped, extent = _unmerge(sheet)
    by_row_text = _by_row(sheet.text)
    by_row_border = _by_row(sheet.bordered)
    merge_start: dict[int, int] = {}
    for r0, r1, c0, _c1 in sheet.merges:
        for r in range(r0, r1 + 1):
            merge_start[r] = min(merge_start.get(r, c0), c0)
    in_run: dict[int, tuple[int, int]] = {}
    for a, b in _table_runs(sheet, by_row_text, by_row_border):
        for r in range(a, b + 1):
            in_run[r] = (a, b)
    blocks: list[Paragraph | Table] = []
    r = 0
    while r < sheet.nrows:
        if r in in_run:
            a, b = in_run[r]
            cols = [c for rr in range(a, b + 1) for c in by_row_text.get(rr, [])]
            cols += [c for rr in range(a, b + 1) for c in by_row_border.get(rr, [])]
            left = min(cols + [merge_start[rr] for rr in range(a, b + 1) if rr in merge_start]) if cols else 0
            right = max(cols + [extent[rr] for rr in range(a, b + 1) if rr in extent]) if cols else 0
            rows, lines = [], []
            for rr in range(a, b + 1):
                rows.append([sheet.text.get((rr, c), "") for c in range(left, right + 1) if (rr, c) not in dropped])
                lines.append(first_line + rr)
            blocks.append(Table(rows=rows, line=lines[0], row_lines=lines))
            r = b + 1
            continue
        cells = [sheet.text[(r, c)] for c in sorted(by_row_text.get(r, []))]
        if cells:
            blocks.append(Paragraph(text="  ".join(cells), line=first_line + r))
        r += 1
    return blocks


def _unmerge(sheet: SheetData) -> tuple[set[tuple[int, int]], dict[int, int]]:
    """Apply the sheet's merged ranges to its text (the value once, at the top-left; a vertical
    continuation an empty cell). Returns the cells dropped from the rows and, per row, the last
    column a merge starting or continuing there covers."""
    dropped: set[tuple[int, int]] = set()
    extent: dict[int, int] = {}
    for r0, r1, c0, c1 in sheet.merges:
        for r in range(r0, r1 + 1):
            extent[r] = max(extent.get(r, -1), c1)
            for c in range(c0, c1 + 1):
                if (r, c) == (r0, c0):
                    continue
                if r == r0 or c != c0:
                    dropped.add((r, c))
                else:
                    sheet.text.pop((r, c), None)  # vertical continuation: an empty cell
    for key in dropped:
        sheet.text.pop(key, None)
    return dropped, extent


def _by_row(cells) -> dict[int, list[int]]:
    """Row → the columns of `cells` ((row, column) keys) in it."""
    out: dict[int, list[int]] = {}
    for r, c in cells:
        out.setdefault(r, []).append(c)
    return out


def _table_runs(
    sheet: SheetData, by_row_text: dict[int, list[int]], by_row_border: dict[int, list[int]]
) -> list[tuple[int, int]]:
    """The sheet's tables as inclusive row ranges: runs of bordered rows, or of values in a sheet
    with no border; a one-cell note row (备注：/注：) at the bottom of a run leaves the table."""

    def n_text(r: int) -> int:
        return len(by_row_text.get(r, ()))

    def is_empty(r: int) -> bool:
        return not by_row_text.get(r)

    runs: list[tuple[int, int]] = []
    if sheet.bordered:
        start = None
        for r in range(sheet.nrows):
            if r in by_row_border:
                start = r if start is None else start
            elif start is not None:
                runs.append((start, r - 1))
                start = None
        if start is not None:
            runs.append((start, sheet.nrows - 1))
    else:
        runs = _value_runs(sheet.nrows, n_text, is_empty, lambda r: _header_like(sheet, r, by_row_text))

    def cut_note(a: int, b: int) -> tuple[int, int]:
        r = b
        while r > a and is_empty(r):
            r -= 1
        if r > a and n_text(r) == 1 and _NOTE.match(sheet.text[(r, by_row_text[r][0])]):
            return a, r - 1
        return a, b

    return [cut_note(a, b) for a, b in runs]


def _header_like(sheet: SheetData, r: int, by_row_text: dict[int, list[int]]) -> bool:
    """A row of two or more text labels and no number: the header of a new table."""
    cols = by_row_text.get(r, [])
    if len(cols) < 2:
        return False
    for c in cols:
        t = sheet.text[(r, c)].replace(",", "")
        try:
            Decimal(t)
            return False
        except InvalidOperation:
            continue
    return True


def _value_runs(nrows, n_text, is_empty, header_like) -> list[tuple[int, int]]:
    """Borderless sheets: tables from values alone (see the module docstring)."""
    blocks: list[tuple[int, int]] = []
    start = None
    for r in range(nrows):
        if is_empty(r):
            if start is not None:
                blocks.append((start, r - 1))
                start = None
        elif start is None:
            start = r
    if start is not None:
        blocks.append((start, nrows - 1))
    runs: list[tuple[int, int]] = []
    for a, b in blocks:
        anchors = [r for r in range(a, b + 1) if n_text(r) >= 2]
        if not anchors:
            continue
        first, last = anchors[0], anchors[-1]
        if runs and first == a and not header_like(first):
            pa, pb = runs[-1]
            if all(is_empty(r) for r in range(pb + 1, a)):  # only empty rows between: same table
                runs[-1] = (pa, last)
                continue
        runs.append((first, last))
    return runs


def _assemble(path: Path, sheets: list[SheetData], reader: str, started: float) -> GridDocument:
    blocks: list[Paragraph | Table] = []
    line = 1
    for sheet in sheets:
        if not _DEFAULT_SHEET.match(sheet.name.strip()):
            blocks.append(Paragraph(text=clean_cell(sheet.name), line=line))
        blocks.extend(_row_blocks(sheet, line + 1))
        line += sheet.nrows + 1
    grid = GridDocument(source_name=path.name, blocks=blocks, reader=reader, encoding=None)
    n_tables = sum(isinstance(b, Table) for b in blocks)
    log.info(
        "read %s in %.3f s: %d paragraphs, %d tables (%d sheets)",
        path.name,
        time.perf_counter() - started,
        len(blocks) - n_tables,
        n_tables,
        len(sheets),
    )
    return grid


def _unreadable(path: Path, reason: str):
    from ingest.readers import UnreadableFileError

    return UnreadableFileError(path, reason)


def _sniff(path: Path) -> str:
    """'zip' or 'ole2' from the first bytes; anything else cannot be a workbook."""
    try:
        head = path.read_bytes()[:8]
    except OSError as exc:
        raise _unreadable(path, f"cannot open the file: {exc}") from exc
    if not head:
        raise _unreadable(path, "the file is empty (0 bytes)")
    if head.startswith(_OLE_MAGIC):
        return "ole2"
    if head.startswith(b"PK"):
        return "zip"
    return "other"


# ---------------------------------------------------------------- .xlsx


_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+)(?::([A-Z]+[0-9]+))?\"")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _merged_ranges(path: Path) -> dict[str, list[tuple[int, int, int, int]]]:
    """Sheet name → merged ranges (r0, r1, c0, c1, 0-based inclusive), read from the package.

    openpyxl's read-only mode (4× faster than its normal mode on these workbooks) does not
    expose merged cells, so they are taken from each sheet's <mergeCell ref> elements.
    """
    import xml.etree.ElementTree as ET
    from posixpath import join, normpath

    from openpyxl.utils.cell import coordinate_to_tuple

    out: dict[str, list[tuple[int, int, int, int]]] = {}
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        wb_xml = ET.fromstring(z.read("xl/workbook.xml"))
        rels_xml = (
            ET.fromstring(z.read("xl/_rels/workbook.xml.rels")) if "xl/_rels/workbook.xml.rels" in names else None
        )
        targets = {}
        if rels_xml is not None:
            for rel in rels_xml:
                target = rel.get("Target", "")
                targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
        for sheet in wb_xml.iter():
            if not sheet.tag.endswith("}sheet"):
                continue
            part = targets.get(sheet.get(f"{{{_REL_NS}}}id"))
            if part not in names:
                continue
            ranges = []
            for m in _MERGE_REF.finditer(z.read(part)):
                r0, c0 = coordinate_to_tuple(m.group(1).decode())
                r1, c1 = coordinate_to_tuple((m.group(2) or m.group(1)).decode())
                ranges.append((r0 - 1, r1 - 1, c0 - 1, c1 - 1))
            out[sheet.get("name")] = ranges
    return out


def _xlsx_cell_text(cell) -> str | None:
    """An .xlsx cell's text as shown (None for a cell without a value)."""
    v = cell.value
    if v is None:
        return None
    if isinstance(v, str):
        return clean_cell(_join_lines(v))
    if isinstance(v, (datetime, date, dtime, timedelta)):
        return _date_text(v)
    if isinstance(v, (int, float, Decimal)):
        return format_number(v, cell.number_format)
    return clean_cell(str(v))


def _load_xlsx_sheets(path: Path) -> list[SheetData]:
    import openpyxl

    fh = open(path, "rb")  # a file object: openpyxl would refuse a path whose suffix is not .xlsx
    try:
        wb = openpyxl.load_workbook(fh, data_only=True, read_only=True)
        merges = _merged_ranges(path)
    except zipfile.BadZipFile as exc:
        fh.close()
        raise _unreadable(path, f"not an .xlsx workbook: corrupt zip package ({exc})") from exc
    except KeyError as exc:
        fh.close()
        raise _unreadable(path, f"not an .xlsx workbook: a required part is missing from the package ({exc})") from exc
    except Exception as exc:  # openpyxl raises many types for broken packages (InvalidFileException, lxml errors…)
        fh.close()
        raise _unreadable(path, f"not a readable .xlsx workbook: {type(exc).__name__}: {exc}") from exc
    sheets: list[SheetData] = []
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                log.info("%s: sheet %r is %s; skipped", path.name, ws.title, ws.sheet_state)
                continue
            sd = SheetData(name=ws.title, nrows=0, ncols=0, merges=list(merges.get(ws.title, [])))
            ws.reset_dimensions()  # a wrong <dimension> must not truncate the sheet
            for r, row in enumerate(ws.iter_rows()):
                sd.nrows = r + 1
                for c, cell in enumerate(row):
                    styled = getattr(cell, "has_style", False)  # padding cells (EmptyCell) have no style
                    if not styled and cell.value is None:
                        continue
                    if styled:
                        b = cell.border
                        if b.left.style or b.right.style or b.top.style or b.bottom.style:
                            sd.bordered.add((r, c))
                    text = _xlsx_cell_text(cell)
                    if text:
                        sd.text[(r, c)] = text
                sd.ncols = max(sd.ncols, len(row))
            if sd.merges:
                sd.nrows = max(sd.nrows, max(r1 for _, r1, _, _ in sd.merges) + 1)
            sheets.append(sd)
    except Exception as exc:
        raise _unreadable(path, f"cannot read the workbook's cells: {type(exc).__name__}: {exc}") from exc
    finally:
        wb.close()
        fh.close()
    return sheets


def read_xlsx(path: Path) -> GridDocument:
    """An .xlsx workbook. A legacy .xls saved with the .xlsx suffix is read as .xls."""
    path = Path(path)
    started = time.perf_counter()
    kind = _sniff(path)
    if kind == "ole2":
        try:
            sheets = _load_xls_sheets(path)
        except Exception as exc:
            raise _unreadable(
                path,
                "not an .xlsx (zip) file but an OLE2 compound file that is no readable .xls "
                "either: most likely a password-protected (encrypted) workbook",
            ) from exc
        log.warning("%s: a legacy .xls workbook saved with the .xlsx suffix; read as .xls", path.name)
        return _assemble(path, sheets, "xls", started)
    if kind != "zip":
        raise _unreadable(path, "not an .xlsx workbook: the file is not a zip package (corrupt or another format)")
    return _assemble(path, _load_xlsx_sheets(path), "xlsx", started)


# ---------------------------------------------------------------- .xls


def _load_xls_sheets(path: Path) -> list[SheetData]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except xlrd.biffh.XLRDError as exc:
        reason = str(exc)
        if "encrypt" in reason.lower() or "password" in reason.lower():
            raise _unreadable(path, f"password-protected (encrypted) .xls workbook: {reason}") from exc
        raise _unreadable(path, f"not a readable .xls workbook: {reason}") from exc
    except Exception as exc:
        raise _unreadable(path, f"cannot read the .xls workbook: {type(exc).__name__}: {exc}") from exc
    sheets: list[SheetData] = []
    try:
        bordered_xf = {
            i
            for i, xf in enumerate(book.xf_list)
            if xf.border.top_line_style
            or xf.border.bottom_line_style
            or xf.border.left_line_style
            or xf.border.right_line_style
        }
        for idx in range(book.nsheets):
            sh = book.sheet_by_index(idx)
            if getattr(sh, "visibility", 0):
                log.info("%s: sheet %r is hidden; skipped", path.name, sh.name)
                continue
            sd = SheetData(name=sh.name, nrows=sh.nrows, ncols=sh.ncols)
            for r in range(sh.nrows):
                for c in range(sh.row_len(r)):
                    cell = sh.cell(r, c)
                    xf_index = cell.xf_index
                    if xf_index is not None and xf_index in bordered_xf:
                        sd.bordered.add((r, c))
                    text = _xls_cell_text(book, cell)
                    if text:
                        sd.text[(r, c)] = text
            for rlo, rhi, clo, chi in sh.merged_cells:
                sd.merges.append((rlo, rhi - 1, clo, chi - 1))
            sheets.append(sd)
            book.unload_sheet(idx)
    finally:
        book.release_resources()
    return sheets


def _xls_cell_text(book, cell) -> str | None:
    """An .xls cell's text as shown (None for an empty or blank cell)."""
    import xlrd

    ctype = cell.ctype
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if ctype == xlrd.XL_CELL_TEXT:
        return clean_cell(_join_lines(cell.value))
    if ctype == xlrd.XL_CELL_NUMBER:
        fmt = None
        if cell.xf_index is not None:
            fmt_obj = book.format_map.get(book.xf_list[cell.xf_index].format_key)
            fmt = fmt_obj.format_str if fmt_obj else None
        return format_number(cell.value, fmt)
    if ctype == xlrd.XL_CELL_DATE:
        try:
            return _date_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
        except Exception:
            return format_number(cell.value, None)
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    return clean_cell(str(cell.value))


def read_xls(path: Path) -> GridDocument:
    """A legacy .xls workbook (BIFF, xlrd). An .xlsx saved with the .xls suffix is read as .xlsx."""
    path = Path(path)
    started = time.perf_counter()
    if _sniff(path) == "zip":
        log.warning("%s: a zip package saved with the .xls suffix; read as .xlsx", path.name)
        return _assemble(path, _load_xlsx_sheets(path), "xlsx", started)
    return _assemble(path, _load_xls_sheets(path), "xls", started)
