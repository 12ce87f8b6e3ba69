"""Key figures of a disclosure, read by table kind and header meaning, whatever the template.

The figures a finance bureau compares first — 收入总计, 支出总计, 一般公共预算拨款 (收支总表),
合计/基本支出/项目支出 of the 支出总表, and the “三公” total and parts — are found here by what a
table *is* (its kind, ``kinds.py``) and what its labels *say*, not by the 昌吉 template's table
numbers and column positions. Each figure keeps its amount exactly as printed, the table's money
unit and the printed line, so `make realworld` and tests/realworld compare it with the truth read
off the page by hand.

Header cells of a multi-row header are turned into one label path per column ("“三公”经费/
公务用车购置及运行费/公务用车购置费"): a grid keeps a horizontally merged cell once and gives a
vertically merged one as "" in the rows below (``ingest.grid``), so a row's cells are laid under
the row above's: "" continues the next cell above, a label is a child of the current one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ingest.amounts import NotANumber, parse_decimal
from ingest.recognize.kinds import Kind, classify, fold

# The figures, in report order: key → (kind, meaning)
FIGURES = {
    "income_total": "收支总表 收入总计",
    "expenditure_total": "收支总表 支出总计",
    "general_budget_appropriation": "收支总表 一般公共预算拨款（本年）",
    "expenditure_table_total": "支出总表 合计",
    "expenditure_table_basic": "支出总表 基本支出",
    "expenditure_table_project": "支出总表 项目支出",
    "three_public_total": "“三公”经费 合计",
    "three_public_outbound": "因公出国（境）费",
    "three_public_vehicle_total": "公务用车购置及运行费",
    "three_public_vehicle_purchase": "公务用车购置费",
    "three_public_vehicle_operation": "公务用车运行费",
    "three_public_reception": "公务接待费",
}


@dataclass(frozen=True)
class Figure:
    key: str
    value: Decimal | None  # None: the cell is printed blank or "-"
    text: str  # as printed
    money_unit: str
    line: int  # page * 1000 + printed line (PDF), or the reader's line number
    title: str  # the printed title of the table it came from


def table_kind(ft) -> Kind | None:
    """The kind of a found table: its nearest title line that names one."""
    for text in reversed(ft.context):
        kind = classify(text)
        if kind:
            return kind
    return None


def _amount(text: str) -> Decimal | None:
    try:
        return parse_decimal(text)
    except NotANumber:
        return None


def _is_amount(text: str) -> bool:
    return bool(text) and (_amount(text) is not None or text.strip() in {"-", "—", "－"})


def _is_data_row(row: list[str]) -> bool:
    return any(_amount(c) is not None for c in row if c)


def header_paths(rows: list[list[str]]) -> list[str]:
    """One '/'-joined label path per column of a multi-row header (see the module docstring)."""
    paths: list[str] = []
    for row in rows:
        cells = [fold(c) for c in row]
        if len([c for c in cells if c]) <= 1 and len(cells) <= 1:
            continue  # a one-cell row over the header (a year block label): not a column
        if not paths:
            paths = list(cells)
            continue
        out: list[str] = []
        i, had_children = 0, False
        for cell in cells:
            if cell == "":
                if had_children:
                    i, had_children = i + 1, False
                out.append(paths[i] if i < len(paths) else "")
                i += 1
            else:
                parent = paths[i] if i < len(paths) else ""
                out.append(f"{parent}/{cell}" if parent else cell)
                had_children = True
        paths = out
    return paths


def _split_header(rows: list[list[str]]) -> tuple[list[list[str]], list[tuple[int, list[str]]]]:
    """Header rows (before the first row with an amount) and data rows with their index."""
    first = next((k for k, r in enumerate(rows) if _is_data_row(r)), len(rows))
    return rows[:first], [(k, r) for k, r in enumerate(rows) if k >= first]


def _aligned(paths: list[str], row: list[str]) -> list[tuple[str, str]]:
    """(label path, cell) pairs; a row narrower or wider than the header aligns at the right (the
    amount columns), where label cells spanning the code columns shorten or lengthen it."""
    n = min(len(paths), len(row))
    return list(zip(paths[len(paths) - n:], row[len(row) - n:]))


_TOTAL = re.compile(r"^(?:合计|总计)$")


def _label_amount(rows: list[tuple[int, list[str]]], label_ok) -> tuple[int, str] | None:
    """(row index, amount text) of the first cell whose label satisfies `label_ok`, the amount being
    the next non-empty cell to its right when it is a number (side-by-side layouts: 收入 | 支出)."""
    for k, row in rows:
        for j, cell in enumerate(row):
            if cell and not _is_amount(cell) and label_ok(fold(cell)):
                for nxt in row[j + 1:]:
                    if nxt:
                        return (k, nxt) if _is_amount(nxt) else None
                return k, ""
    return None


def _title(ft) -> str:
    return next((t for t in reversed(ft.context) if classify(t)), ft.title)


def _figure(key: str, ft, title: str, hit: tuple[int, str] | None, out: dict) -> None:
    if hit is None or key in out:
        return
    k, text = hit
    line = ft.row_lines[k] if k < len(ft.row_lines) else ft.line
    out[key] = Figure(key, _amount(text), text, ft.money_unit, line, title)


def _summary_figures(ft, out: dict) -> None:
    _, rows = _split_header(ft.rows)
    every = list(enumerate(ft.rows))
    title = _title(ft)
    _figure("income_total", ft, title, _label_amount(every, lambda s: s.endswith("收入总计"))
            or _label_amount(every, lambda s: "收入合计" in s), out)
    _figure("expenditure_total", ft, title, _label_amount(every, lambda s: s.endswith("支出总计"))
            or _label_amount(every, lambda s: "支出合计" in s), out)
    _figure("general_budget_appropriation", ft, title,
            _label_amount(rows, lambda s: "一般公共预算" in s and "政府性基金" not in s)
            or _label_amount(rows, lambda s: ("财政拨款" in s or "预算拨款" in s) and "政府性基金" not in s), out)


def _column_figures(ft, wanted: dict[str, object], out: dict) -> None:
    """Figures from the total row (合计/总计 label, else the only data row) by column label path."""
    header, data = _split_header(ft.rows)
    paths = header_paths(header)
    if not paths or not data:
        return
    total = next(((k, r) for k, r in data if any(_TOTAL.match(fold(c)) for c in r if c and not _is_amount(c))), None)
    if total is None and len([r for _, r in data if any(r)]) == 1:
        total = next((k, r) for k, r in data if any(r))
    if total is None:
        return
    k, row = total
    pairs = _aligned(paths, row)
    for key, label_ok in wanted.items():
        hit = next((cell for path, cell in pairs if label_ok(path) and (cell == "" or _is_amount(cell))), None)
        if hit is not None:
            _figure(key, ft, _title(ft), (k, hit), out)


def _leaf(path: str) -> str:
    return path.rsplit("/", 1)[-1]


EXPENDITURE_COLUMNS = {
    "expenditure_table_total": lambda p: _leaf(p) in {"合计", "总计"} and "/" not in p,
    "expenditure_table_basic": lambda p: _leaf(p).startswith("基本支出") or p == "基本支出",
    "expenditure_table_project": lambda p: _leaf(p).startswith("项目支出") or p == "项目支出",
}


def _three_public_columns(paths: list[str]) -> dict[str, object]:
    """Which column holds the “三公” total: its own 小计 where the table also prints 会议费/培训费
    (江苏, 西安), else 合计."""
    has_subtotal = any("三公" in p and _leaf(p) == "小计" for p in paths)

    def total(p: str) -> bool:
        if has_subtotal:
            return "三公" in p and _leaf(p) == "小计"
        return _leaf(p) in {"合计", "总计"} and "/" not in p

    def vehicle_total(p: str) -> bool:
        return "公务用车" in p and "购置及运行" in p and (_leaf(p) == "小计" or "购置及运行" in _leaf(p))

    return {
        "three_public_total": total,
        "three_public_outbound": lambda p: "出国" in _leaf(p),
        "three_public_vehicle_total": vehicle_total,
        "three_public_vehicle_purchase": lambda p: _leaf(p).endswith("购置费") and "运行" not in _leaf(p),
        "three_public_vehicle_operation": lambda p: "运行" in _leaf(p) and "购置" not in _leaf(p),
        "three_public_reception": lambda p: "接待" in _leaf(p),
    }


def _year_block(ft, fiscal_year: int | None):
    """A “三公” table printing blocks per year (2025年预算数 … 2026年预算数): the rows of the
    fiscal year's block (the last block when none names it)."""
    starts = [k for k, r in enumerate(ft.rows)
              if len([c for c in r if c]) == 1 and re.search(r"20\d{2}年", r[0] or next(c for c in r if c))]
    if len(starts) < 2:
        return ft
    blocks = [(s, e) for s, e in zip(starts, starts[1:] + [len(ft.rows)])]
    chosen = next(((s, e) for s, e in blocks if fiscal_year and f"{fiscal_year}年" in "".join(ft.rows[s])),
                  blocks[-1])
    s, e = chosen
    return _Rows(ft, s, e)


class _Rows:
    """A slice of a found table's rows, with its title, unit and lines."""

    def __init__(self, ft, start: int, end: int):
        self.rows = ft.rows[start:end]
        self.row_lines = ft.row_lines[start:end]
        self.title, self.money_unit, self.line, self.context = ft.title, ft.money_unit, ft.line, ft.context


def key_figures(found: list, fiscal_year: int | None = None) -> dict[str, Figure]:
    """The key figures of a disclosure's consolidated tables (the first table of each kind)."""
    out: dict[str, Figure] = {}
    seen: set[str] = set()
    for ft in found:
        kind = getattr(ft, "kind", None) or table_kind(ft)
        if kind is None or kind.id in seen:
            continue
        if kind.id == "income_expenditure_summary":
            _summary_figures(ft, out)
        elif kind.id == "expenditure":
            _column_figures(ft, EXPENDITURE_COLUMNS, out)
        elif kind.id == "three_public":
            part = _year_block(ft, fiscal_year)
            header, _ = _split_header(part.rows)
            _column_figures(part, _three_public_columns(header_paths(header)), out)
        else:
            continue
        seen.add(kind.id)
    return out
