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

from ingest.amounts import NotANumber, parse_decimal, to_wan_yuan
from ingest.recognize.kinds import Kind, by_id, classify, fold

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


def titled_kind(lines: list[str]) -> tuple[Kind, str] | None:
    """A table's kind and the title line naming it: the nearest of the lines above it (its
    context) that names one (a title wrapped over two lines, "…会议费、培训费支出预" / "算表", is
    read joined)."""
    for i in range(len(lines) - 1, -1, -1):
        for text in (lines[i], lines[i - 1] + lines[i]) if i else (lines[i],):
            kind = classify(text)
            if kind:
                if text != lines[i] and classify(lines[i - 1]) == kind:
                    text = lines[i - 1]  # the line above names it alone (the joined one is its 单位 line)
                return kind, text
    return None


def table_kind(ft) -> Kind | None:
    """The kind of a found table (see titled_kind), or None."""
    titled = titled_kind(ft.context)
    return titled[0] if titled else None


def _amount(text: str) -> Decimal | None:
    try:
        return parse_decimal(text)
    except NotANumber:
        return None


def _is_amount(text: str) -> bool:
    return bool(text) and (_amount(text) is not None or text.strip() in {"-", "—", "－"})


def _is_data_row(row: list[str]) -> bool:
    return any(_amount(c) is not None for c in row if c)


def header_paths(rows: list[list[str]]) -> list[str] | None:
    """One '/'-joined label path per column of a multi-row header (see the module docstring), or
    None when the rows do not nest (a row's cells do not all fall under the row above's)."""
    paths: list[str] = []
    for row in rows:
        cells = [fold(c) for c in row]
        if len(cells) <= 1 or not any(cells):
            continue  # a one-cell row over the header (a year block label), or a blank one
        if not paths:
            paths = list(cells)
            continue
        out: list[str] = []
        i, had_children = 0, False
        for cell in cells:
            if cell == "":
                if had_children:
                    i, had_children = i + 1, False
                if i >= len(paths):
                    return None
                out.append(paths[i])
                i += 1
            else:
                if i >= len(paths):
                    return None
                out.append(f"{paths[i]}/{cell}" if paths[i] else cell)
                had_children = True
        if i + had_children != len(paths):
            return None
        paths = out
    return paths


def column_labels(header: list[list[str]], width: int) -> list[str]:
    """A label per column for a data row of `width` cells: the nested header paths when they are as
    many; else the header rows of exactly that width, stacked; else the non-empty paths when they
    are as many (header cells split by rules the data rows lack); else the paths aligned at the right
    (a total label spanning the code columns shortens its row), blank labels to the left. A header
    whose rows do not nest at all gives blank labels: no figure is read rather than a wrong one."""
    # one group row on top ("项目 | 支出预算" over 编码/名称 | 合计/基本/项目) may not nest: drop it
    paths = next((p for p in (header_paths(header[k:]) for k in range(min(2, len(header)))) if p is not None), None)
    if paths is not None and len(paths) == width:
        return paths
    same = [[fold(c) for c in r] for r in header if len(r) == width]
    if same and any(any(r) for r in same):
        return ["/".join(r[j] for r in same if r[j]) for j in range(width)]
    if paths is None:  # header cells split into fragments by rules the data rows lack: no guessing
        return [""] * width
    labelled = [p for p in paths if p]
    if len(labelled) == width:
        return labelled
    n = min(len(paths), width)
    return [""] * (width - n) + paths[len(paths) - n :]


def _split_header(rows: list[list[str]]) -> tuple[list[list[str]], list[tuple[int, list[str]]]]:
    """Header rows (before the first row with an amount) and data rows with their index."""
    first = next((k for k, r in enumerate(rows) if _is_data_row(r)), len(rows))
    return rows[:first], [(k, r) for k, r in enumerate(rows) if k >= first]


_TOTAL = re.compile(r"^(?:合计|总计)$")


def _labelled(rows: list[tuple[int, list[str]]], label_ok):
    """(row index, the next non-empty cell to its right or "") of every label cell satisfying
    `label_ok`, in reading order (side-by-side layouts: 收入 | 支出)."""
    for k, row in rows:
        for j, cell in enumerate(row):
            if cell and not _is_amount(cell) and label_ok(fold(cell)):
                yield k, next((c for c in row[j + 1 :] if c), "")


def _label_amount(rows: list[tuple[int, list[str]]], label_ok) -> tuple[int, str] | None:
    """(row index, amount text) of the first label satisfying `label_ok`; None when the cell after
    it is another label (blank when nothing follows it)."""
    first = next(_labelled(rows, label_ok), None)
    return first if first is not None and (first[1] == "" or _is_amount(first[1])) else None


def _title(ft) -> str:
    titled = titled_kind(ft.context)
    return titled[1] if titled else ft.title


def _label_amounts(rows: list[tuple[int, list[str]]], label_ok) -> list[tuple[int, str]]:
    """Every (row index, amount text) of labels satisfying `label_ok` ("" where no amount follows)."""
    return [(k, nxt if _is_amount(nxt) else "") for k, nxt in _labelled(rows, label_ok)]


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
    for key, side in (("income_total", "收入"), ("expenditure_total", "支出")):
        hit = (
            _label_amount(every, lambda s: s.endswith(side + "总计"))
            or _label_amount(every, lambda s: side + "合计" in s)
            or _label_amount(every, lambda s: s in {f"当年{side}", f"本年{side}", f"当年{side}小计", f"本年{side}小计"})
        )
        if hit is None:  # 合计 | amount | 合计 | amount: the income side's first, the expenditure side's second
            totals = _label_amounts(every, lambda s: bool(_TOTAL.match(s)))
            if len(totals) >= 2 and totals[0][0] == totals[1][0]:
                hit = totals[0] if side == "收入" else totals[1]
        _figure(key, ft, title, hit, out)
    _figure(
        "general_budget_appropriation",
        ft,
        title,
        _label_amount(rows, lambda s: "一般公共预算" in s and "政府性基金" not in s)
        or _label_amount(rows, lambda s: ("财政拨款" in s or "预算拨款" in s) and "政府性基金" not in s),
        out,
    )


def _column_figures(ft, wanted: dict[str, object], out: dict, block: int = 0) -> None:
    """Figures from the total row (合计/总计 label, else the only data row) by column label path."""
    header, data = _split_header(ft.rows)
    if not header or not data:
        return
    total = next(((k, r) for k, r in data if any(_TOTAL.match(fold(c)) for c in r if c and not _is_amount(c))), None)
    if total is None and len([r for _, r in data if any(r)]) == 1:
        total = next((k, r) for k, r in data if any(r))
    if total is None:
        return
    k, row = total
    pairs = list(zip(column_labels(header, len(row)), row))
    for key, label_ok in wanted.items():
        hits = [cell for path, cell in pairs if label_ok(path) and (cell == "" or _is_amount(cell))]
        if hits:  # `block`: the year block printed side by side (2025年预算数 | 2026年预算数)
            _figure(key, ft, _title(ft), (k, hits[block] if block < len(hits) else hits[0]), out)


def _leaf(path: str) -> str:
    return path.rsplit("/", 1)[-1]


EXPENDITURE_FIGURES = {
    "expenditure_table_total": lambda p: _leaf(p) in {"合计", "总计"},
    "expenditure_table_basic": lambda p: _leaf(p).startswith("基本支出") or p == "基本支出",
    "expenditure_table_project": lambda p: _leaf(p).startswith("项目支出") or p == "项目支出",
}


def _three_public_columns(paths: list[str]) -> dict[str, object]:
    """Which column holds the “三公” total: its own 小计 where the table also prints 会议费/培训费
    (江苏, 西安), else 合计."""

    def three_public_subtotal(p: str) -> bool:  # 小计 right under a “三公”经费 heading
        parts = p.split("/")
        return parts[-1] == "小计" and len(parts) >= 2 and "三公" in parts[-2]

    has_subtotal = any(three_public_subtotal(p) for p in paths)

    def total(p: str) -> bool:
        return three_public_subtotal(p) if has_subtotal else _leaf(p) in {"合计", "总计"}

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


def _year_column_block(header: list[list[str]], fiscal_year: int | None) -> int:
    """Which of the year blocks printed side by side ("2025年预算数 | 2026年预算数") is the fiscal
    year's: its position among the first header row's year cells (0 when there are none)."""
    for row in header:
        years = [c for c in row if re.search(r"20\d{2}年", c or "")]
        if len(years) >= 2:
            hit = [k for k, c in enumerate(years) if fiscal_year and f"{fiscal_year}年" in c]
            return hit[0] if hit else len(years) - 1
    return 0


THREE_PUBLIC_ROWS = {
    "three_public_total": lambda s: "三公" in s,
    "three_public_outbound": lambda s: "出国" in s,
    "three_public_vehicle_total": lambda s: "公务用车购置及运行" in s,
    "three_public_vehicle_purchase": lambda s: "购置费" in s and "运行" not in s,
    "three_public_vehicle_operation": lambda s: "运行" in s and "购置" not in s,
    "three_public_reception": lambda s: "接待" in s,
}


def _three_public_rows(ft, data, out: dict) -> None:
    """A “三公” table with one row per item (行政经费, “三公”经费, 其中：因公出国…): the amount
    after each item's label (the 合计 column)."""
    for key, label_ok in THREE_PUBLIC_ROWS.items():
        _figure(key, ft, _title(ft), _label_amount(data, label_ok), out)


def _year_block(ft, fiscal_year: int | None):
    """A “三公” table printing blocks per year (2025年预算数 … 2026年预算数): the rows of the
    fiscal year's block (the last block when none names it)."""
    starts = [
        k
        for k, r in enumerate(ft.rows)
        if len([c for c in r if c]) == 1 and re.search(r"20\d{2}年", r[0] or next(c for c in r if c))
    ]
    if len(starts) < 2:
        return ft
    blocks = [(s, e) for s, e in zip(starts, starts[1:] + [len(ft.rows)])]
    chosen = next(((s, e) for s, e in blocks if fiscal_year and f"{fiscal_year}年" in "".join(ft.rows[s])), blocks[-1])
    s, e = chosen
    return _Rows(ft, s, e)


class _Rows:
    """A slice of a found table's rows, with its title, unit and lines."""

    def __init__(self, ft, start: int, end: int):
        self.rows = ft.rows[start:end]
        self.row_lines = ft.row_lines[start:end]
        self.title, self.money_unit, self.line, self.context = ft.title, ft.money_unit, ft.line, ft.context


def three_public_figures(ft, fiscal_year: int | None = None) -> dict[str, Figure]:
    """The “三公” total and parts of one “三公” table, by label: columns under a nested header (the
    fiscal year's block where years are printed side by side or one under the other), or one item
    per row (广州)."""
    out: dict[str, Figure] = {}
    part = _year_block(ft, fiscal_year)
    header, data = _split_header(part.rows)
    if any("出国" in fold(r[0]) for _, r in data if r):  # items as rows, funds as columns (广州)
        _three_public_rows(part, data, out)
    elif data:
        width = len(data[0][1])
        _column_figures(
            part,
            _three_public_columns(column_labels(header, width)),
            out,
            block=_year_column_block(header, fiscal_year),
        )
    if "three_public_total" not in out and len([r for _, r in data if any(r)]) == 1:
        _three_public_in_order(part, next((k, r) for k, r in data if any(r)), out)
    return out


# the sums a “三公” row satisfies, over the figure keys of the catalogue's column_orders
THREE_PUBLIC_SUMS = (
    ("three_public_total", ("three_public_outbound", "three_public_vehicle_total", "three_public_reception")),
    ("three_public_vehicle_total", ("three_public_vehicle_purchase", "three_public_vehicle_operation")),
    ("with_meetings_total", ("three_public_total", "meeting", "training")),
)


def _slots(row: list[str]) -> list[tuple[int, str]] | None:
    """The amount cells of one row as (position, text) on a regular lattice of positions, blank
    where the lattice has a gap. A row whose columns the reader split unevenly (江苏: each printed
    column three grid cells wide) has gaps between its amounts; there, cells right next to each other
    are one amount cut by a stray rule ("267.8" | "0"). None: not amounts on a lattice."""
    cells = [(j, c) for j, c in enumerate(row) if c]
    if not cells:
        return None
    if _step_one(row):  # one amount per cell, side by side (北京)
        texts = cells
    else:
        runs: list[list] = []
        for j, c in cells:
            if runs and runs[-1][0] + runs[-1][2] == j:
                runs[-1][1] += c
                runs[-1][2] += 1
            else:
                runs.append([j, c, 1])
        texts = [(p, t) for p, t, _ in runs]
    if not all(_is_amount(t) for _, t in texts):
        return None
    starts = [p for p, _ in texts]
    step = min((b - a for a, b in zip(starts, starts[1:])), default=1)
    if any((p - starts[0]) % step for p in starts):
        return None
    by_pos = dict(texts)
    return [(p, by_pos.get(p, "")) for p in range(starts[0], starts[-1] + 1, step)]


def _step_one(row: list[str]) -> bool:
    """Every non-empty cell sits next to the previous one: one amount per cell (北京)."""
    pos = [j for j, c in enumerate(row) if c]
    return all(b - a == 1 for a, b in zip(pos, pos[1:]))


def _three_public_in_order(part, data_row: tuple[int, list[str]], out: dict) -> None:
    """The one data row's amounts placed in the printed order of a template family (the catalogue's
    column_orders of the “三公” kind), kept when exactly one order's sums (THREE_PUBLIC_SUMS) hold."""
    k, row = data_row
    slots = _slots(row)
    if not slots:
        return
    fits = []
    for order in by_id("three_public").column_orders.values():
        if len(order) != len(slots):
            continue
        placed = {key: text for key, (_, text) in zip(order, slots)}
        value = {key: _amount(text) or Decimal(0) for key, text in placed.items()}
        checks = [
            (whole, parts) for whole, parts in THREE_PUBLIC_SUMS if whole in value and all(p in value for p in parts)
        ]
        if checks and all(value[whole] == sum(value[p] for p in parts) for whole, parts in checks):
            fits.append(placed)
    if len(fits) != 1:
        return
    title = _title(part)
    for key, text in fits[0].items():
        if key.startswith("three_public_"):
            _figure(key, part, title, (k, text), out)


# 支出总表 基本/项目 from the 一般公共预算 tables where the 支出总表 prints no such split (西安: by unit ×
# funding source) and all of its spending is 一般公共预算 (its 合计 is the 一般公共预算支出表's): 项目支出
# is that table's 项目支出 column (西安 calls it 专项业务经费支出), 基本支出 its 基本支出 column or else the
# 合计 of the 一般公共预算基本支出表 (by functional class first, else by economic class).
GENERAL_BUDGET_SPLIT = {
    "expenditure_table_total": lambda p: _leaf(p) in {"合计", "总计"},
    "expenditure_table_basic": lambda p: _leaf(p).startswith("基本支出"),
    "expenditure_table_project": lambda p: _leaf(p).startswith(("项目支出", "专项业务经费")),
}
BASIC_TABLE_KINDS = ("general_budget_basic_functional", "general_budget_basic_economic")


def _split_from_general_budget(firsts: dict, out: dict) -> None:
    total = out.get("expenditure_table_total")
    general = firsts.get("general_budget_expenditure")
    if (
        total is None
        or total.value is None
        or general is None
        or ("expenditure_table_basic" in out and "expenditure_table_project" in out)
    ):
        return
    read: dict[str, Figure] = {}
    _column_figures(general, GENERAL_BUDGET_SPLIT, read)
    same = read.get("expenditure_table_total")
    if (
        same is None
        or same.value is None
        or to_wan_yuan(same.value, same.money_unit) != to_wan_yuan(total.value, total.money_unit)
    ):
        return  # other funds than 一般公共预算 in the 支出总表: its split is not the 一般公共预算 one
    if "expenditure_table_basic" not in read:
        basic = next((firsts[k] for k in BASIC_TABLE_KINDS if k in firsts), None)
        if basic is not None:
            whole: dict[str, Figure] = {}
            _column_figures(basic, {"expenditure_table_basic": EXPENDITURE_FIGURES["expenditure_table_total"]}, whole)
            read.update(whole)
    for key in ("expenditure_table_basic", "expenditure_table_project"):
        if key not in out and key in read:
            out[key] = read[key]


def key_figures(found: list, fiscal_year: int | None = None) -> dict[str, Figure]:
    """The key figures of a disclosure's consolidated tables (the first table of each kind)."""
    out: dict[str, Figure] = {}
    seen: set[str] = set()
    firsts: dict[str, object] = {}
    for ft in found:
        kind = table_kind(ft)
        if kind is not None:
            firsts.setdefault(kind.id, ft)
        if kind is None or kind.id in seen:
            continue
        if kind.id == "income_expenditure_summary":
            _summary_figures(ft, out)
        elif kind.id == "expenditure":
            _column_figures(ft, EXPENDITURE_FIGURES, out)
        elif kind.id == "three_public":
            for key, figure in three_public_figures(ft, fiscal_year).items():
                out.setdefault(key, figure)
        else:
            continue
        seen.add(kind.id)
    _split_from_general_budget(firsts, out)
    return out
