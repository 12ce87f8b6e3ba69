"""Write a GridDocument as an Excel workbook laid out like the finance bureau's template.

Layout (the same for .xlsx and .xls):

* sheet "封面及概况": the paragraphs before the first table, except its title lines;
* one sheet per table while tables follow each other closely (at most `title_rows`
  paragraphs between them): the paragraphs right before the table (≤ `title_rows`)
  as one-cell title rows in column A, the table with thin borders on every cell, and
  a note paragraph right after it (备注：/注：/…空表) as a row under the table. The
  sheet is named after the nearest label like "表一" (or the national template's
  "部门公开表3") among those title lines, else "表N";
* sheet "情况说明": everything else, in order: the narrative one paragraph per row in
  column A, and any table that comes after it (e.g. 项目支出绩效目标表) drawn inline
  with borders. Two tables with nothing between them get an empty row between.

Cells: a row with fewer cells than the table's widest row is a merged header row:
its last cell is merged over the remaining columns (that is what the reader gives
back as one cell) — its first cell where a `generator.layout.GeneratedGrid` lists the
row in `first_cell_spans` (a 合计 across 科目编码 and 科目名称). A cell whose text is a plain
decimal ("320.06", "28", "-3.5"; not "0320") is written as a number with the format that shows it exactly as printed
("0.00" for two decimals, "0" for none; "#,##0.00" with `thousands=True`); any other
cell is text. `numbers_as_text=True` writes every cell as text.

Formulas are not written: openpyxl cannot store a cached value, so a formula cell
would read back empty (the reader uses cached values). Hidden rows are not produced.

Options: title_rows (3), thousands (False), numbers_as_text (False).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.grid import GridDocument, Paragraph, Table

_PLAIN_DECIMAL = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?$")
_LABEL = re.compile(r"^\s*((?:部门公开)?表\s*[一二三四五六七八九十\d]+)")
_NOTE = re.compile(r"^(备注|注)\s*[0-9一二三四五六七八九十]*\s*[:：]|空表")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

COVER_SHEET = "封面及概况"
NARRATIVE_SHEET = "情况说明"


@dataclass
class SheetPlan:
    name: str
    items: list[Paragraph | Table | None] = field(default_factory=list)  # None = an empty spacer row


def plan_sheets(grid: GridDocument, title_rows: int = 3) -> list[SheetPlan]:
    """Distribute the blocks over sheets, keeping every block and their order."""
    blocks = grid.blocks
    sheets: list[SheetPlan] = []
    pending: list[Paragraph] = []
    narrative: SheetPlan | None = None
    current: SheetPlan | None = None  # the last table sheet
    n_tables = 0
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Paragraph):
            pending.append(block)
            i += 1
            continue
        n_tables += 1
        if narrative is None and (n_tables == 1 or len(pending) <= title_rows):
            titles = pending[-title_rows:] if title_rows else []
            before = pending[: len(pending) - len(titles)]
            if before:
                if current is None:
                    sheets.append(SheetPlan(COVER_SHEET, list(before)))
                else:
                    current.items.extend(before)
            label = next(
                (m.group(1).replace(" ", "") for m in (_LABEL.match(p.text) for p in reversed(titles)) if m),
                f"表{n_tables}",
            )
            current = SheetPlan(label, [*titles, block])
            sheets.append(current)
            pending = []
            if i + 1 < len(blocks) and isinstance(blocks[i + 1], Paragraph) and _NOTE.search(blocks[i + 1].text):
                current.items.append(blocks[i + 1])
                i += 1
            i += 1
            continue
        if narrative is None:
            narrative = SheetPlan(NARRATIVE_SHEET)
            sheets.append(narrative)
        if not pending and narrative.items and isinstance(narrative.items[-1], Table):
            narrative.items.append(None)
        narrative.items.extend(pending)
        narrative.items.append(block)
        pending = []
        i += 1
    if pending:
        if narrative is None:
            narrative = SheetPlan(NARRATIVE_SHEET if sheets else COVER_SHEET)
            sheets.append(narrative)
        narrative.items.extend(pending)
    if not sheets:
        sheets.append(SheetPlan(COVER_SHEET))
    _unique_names(sheets)
    return sheets


def _unique_names(sheets: list[SheetPlan]) -> None:
    seen: set[str] = set()
    for s in sheets:
        base = _BAD_SHEET_CHARS.sub("_", s.name)[:28] or "Sheet"
        name, k = base, 2
        while name.lower() in seen:
            name, k = f"{base}({k})", k + 1
        seen.add(name.lower())
        s.name = name


def number_of(text: str, thousands: bool) -> tuple[float | int, str] | None:
    """(value, number_format) when `text` is a plain decimal that the format shows back exactly."""
    if not _PLAIN_DECIMAL.match(text) or len(text.replace("-", "").replace(".", "")) > 15 or text == "-0":
        return None
    decimals = len(text.split(".")[1]) if "." in text else 0
    fmt = ("#,##0" if thousands else "0") + ("." + "0" * decimals if decimals else "")
    value: float | int = float(text) if decimals else int(text)
    return value, fmt


def _layout(table: Table, lead: set[int] = frozenset()) -> tuple[int, list[list[tuple[int, int, str]]]]:
    """Table width and, per row, (first column, last column, text) of each cell (0-based). A short
    row's last cell spans the columns it lacks, or its first cell where the row is in `lead`."""
    width = max((len(r) for r in table.rows), default=0) or 1
    out = []
    for r, row in enumerate(table.rows):
        cells = []
        extra = width - len(row) if r in lead and len(row) < width else 0
        for j, text in enumerate(row):
            if extra:
                first, last = (0, extra) if j == 0 else (j + extra, j + extra)
                cells.append((first, last, text))
                continue
            last = width - 1 if j == len(row) - 1 else j
            cells.append((j, last, text))
        if not row:
            cells.append((0, width - 1, ""))
        out.append(cells)
    return width, out


def _lead_rows(grid: GridDocument) -> dict[int, set[int]]:
    """id(table) → its rows whose first cell spans (generator.layout.GeneratedGrid.first_cell_spans)."""
    out: dict[int, set[int]] = {}
    for b, r in getattr(grid, "first_cell_spans", None) or ():
        out.setdefault(id(grid.blocks[b]), set()).add(r)
    return out


def _col_widths(sheet: SheetPlan, lead: dict[int, set[int]] | None = None) -> list[float]:
    widths: list[float] = []
    for item in sheet.items:
        if isinstance(item, Table):
            skip = (lead or {}).get(id(item), set())
            for r, row in enumerate(item.rows):
                if r in skip:
                    continue  # its cells stand right of their positions
                for j, text in enumerate(row):
                    while len(widths) <= j:
                        widths.append(8.0)
                    if j < len(row) - 1 or len(row) == max(len(r) for r in item.rows):
                        widths[j] = min(40.0, max(widths[j], 2.0 * len(text) + 2))
    return widths or [60.0]


# ---------------------------------------------------------------- .xlsx


def render_xlsx(
    grid: GridDocument, path: Path, *, title_rows: int = 3, thousands: bool = False, numbers_as_text: bool = False
) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Border, Font, Side

    path = Path(path)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    bold = Font(bold=True)
    wb = Workbook()
    wb.remove(wb.active)
    lead = _lead_rows(grid)
    for plan in plan_sheets(grid, title_rows):
        ws = wb.create_sheet(plan.name)
        for j, w in enumerate(_col_widths(plan, lead), start=1):
            ws.column_dimensions[_col_letter(j)].width = w
        r = 1
        for item in plan.items:
            if item is None:
                r += 1
            elif isinstance(item, Paragraph):
                cell = ws.cell(row=r, column=1, value=ILLEGAL_CHARACTERS_RE.sub("", item.text))
                cell.data_type = "s"
                if item.text.endswith("表"):
                    cell.font = bold
                r += 1
            else:
                width, rows = _layout(item, lead.get(id(item), set()))
                for cells in rows:
                    for c in range(width):
                        ws.cell(row=r, column=c + 1).border = border
                    for first, last, text in cells:
                        cell = ws.cell(row=r, column=first + 1)
                        num = None if numbers_as_text else number_of(text, thousands)
                        if num is not None:
                            cell.value, cell.number_format = num
                        elif text:
                            cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
                            cell.data_type = "s"
                            cell.alignment = wrap
                        if last > first:
                            ws.merge_cells(start_row=r, start_column=first + 1, end_row=r, end_column=last + 1)
                    r += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _col_letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j)


# ---------------------------------------------------------------- .xls


def render_xls(
    grid: GridDocument, path: Path, *, title_rows: int = 3, thousands: bool = False, numbers_as_text: bool = False
) -> Path:
    import xlwt

    path = Path(path)
    wb = xlwt.Workbook(encoding="utf-8")
    borders = xlwt.Borders()
    borders.left = borders.right = borders.top = borders.bottom = xlwt.Borders.THIN
    text_style = xlwt.XFStyle()
    text_style.borders = borders
    plain = xlwt.XFStyle()
    num_styles: dict[str, xlwt.XFStyle] = {}

    def num_style(fmt: str) -> xlwt.XFStyle:
        if fmt not in num_styles:
            st = xlwt.XFStyle()
            st.borders = borders
            st.num_format_str = fmt
            num_styles[fmt] = st
        return num_styles[fmt]

    lead = _lead_rows(grid)
    for plan in plan_sheets(grid, title_rows):
        ws = wb.add_sheet(plan.name, cell_overwrite_ok=True)
        for j, w in enumerate(_col_widths(plan, lead)):
            if j < 256:
                ws.col(j).width = int(256 * w)
        r = 0
        for item in plan.items:
            if r >= 65536:
                raise ValueError(f"{plan.name}: more than 65536 rows do not fit an .xls sheet")
            if item is None:
                r += 1
            elif isinstance(item, Paragraph):
                ws.write(r, 0, item.text, plain)
                r += 1
            else:
                width, rows = _layout(item, lead.get(id(item), set()))
                for cells in rows:
                    covered = set()
                    for first, last, text in cells:
                        num = None if numbers_as_text else number_of(text, thousands)
                        value, style = (num[0], num_style(num[1])) if num else (text, text_style)
                        if last > first:
                            ws.write_merge(r, r, first, last, value, style)
                        else:
                            ws.write(r, first, value, style)
                        covered.update(range(first, last + 1))
                    for c in range(width):
                        if c not in covered:
                            ws.write(r, c, "", text_style)
                    r += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path
