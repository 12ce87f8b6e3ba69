"""Recognize the nine standard tables (表一…表九) in a grid and emit typed raw rows.

Tables are found by title (in the paragraphs before the grid or in its leading
one-cell rows); which table a title names comes from the catalogue of table kinds
(``table_kinds.yaml``): a kind with a ``slot`` is loaded into that 表N's raw tables,
whatever the template family calls it. Amount columns are mapped by header label, not
position, so templates with extra or reordered columns still land by meaning.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import takewhile

from ingest.disclosure import Disclosure, Finding
from ingest.grid import Paragraph, Table
from ingest.amounts import is_number, money_unit_in, parse_decimal
from ingest.recognize.common import is_total_label, money_cell, squash
from ingest.recognize.kinds import by_slot, catalogue, classify, printed_number
from ingest.recognize.figures import (
    THREE_PUBLIC_SUMS,
    column_labels,
    header_paths,
    table_kind,
    three_public_figures,
    titled_kind,
)

TABLE_CODES = {1: "表一", 2: "表二", 3: "表三", 4: "表四", 5: "表五", 6: "表六", 7: "表七", 8: "表八", 9: "表九"}
_CODE_TO_NO = {v: k for k, v in TABLE_CODES.items()}

PERFORMANCE_TITLE = "项目支出绩效目标表"
FORM_KINDS = {"project_performance", "department_performance"}  # printed once per project, title repeated

# Header label → column, per table family. First matching fragment wins (order matters).
INCOME_COLUMNS = [
    ("总计", "total_wan_yuan"),
    ("合计", "total_wan_yuan"),
    ("一般公共预算", "general_budget_wan_yuan"),
    ("政府性基金", "gov_fund_wan_yuan"),
    ("国有资本经营", "state_capital_wan_yuan"),
    ("财政拨款", "fiscal_appropriation_wan_yuan"),  # after its fund types: 财政拨款收入/一般公共预算 is general budget
    ("财政专户", "fiscal_special_account_wan_yuan"),
    ("教育收费", "fiscal_special_account_wan_yuan"),
    ("事业单位经营收入", "business_operating_income_wan_yuan"),
    ("经营收入", "business_operating_income_wan_yuan"),
    ("事业收入", "business_income_wan_yuan"),
    ("其他", "other_income_wan_yuan"),
    ("上年结转", "prior_year_carryover_wan_yuan"),
]
EXPENDITURE_COLUMNS = [
    ("单位预留机动经费", "reserve_wan_yuan"),  # 江苏 支出预算总表
    ("结转下年", "carry_forward_wan_yuan"),
    ("合计", "total_wan_yuan"),
    ("总计", "total_wan_yuan"),
    ("基本支出", "basic_wan_yuan"),
    ("项目支出", "project_wan_yuan"),
    ("小计", "total_wan_yuan"),  # 一般公共预算支出/小计 (广州); 基本支出/小计 is 基本支出 (matched above)
    ("=金额", "total_wan_yuan"),  # one amount column headed 金额 (江苏 一般公共预算支出预算表)
]
ECONOMIC_COLUMNS = [
    ("合计", "total_wan_yuan"),
    ("总计", "total_wan_yuan"),
    ("人员经费", "personnel_wan_yuan"),
    ("人员类", "personnel_wan_yuan"),  # 长沙
    ("公用经费", "public_use_wan_yuan"),
    ("人员支出", "personnel_wan_yuan"),  # 烟台
    ("公用支出", "public_use_wan_yuan"),  # 烟台 日常公用支出
    ("=小计", "total_wan_yuan"),
    ("=预算", "total_wan_yuan"),  # one amount column headed 预算 (广州)
    ("=金额", "total_wan_yuan"),  # one amount column headed 金额 (江苏)
    ("=基本支出", "total_wan_yuan"),  # one amount column headed 基本支出 (江苏 高院 2019): the basic table's total
]
PROJECT_COLUMNS = [
    ("项目支出合计", "total_wan_yuan"),
    ("合计", "total_wan_yuan"),
    ("工资福利", "wages_welfare_wan_yuan"),
    ("商品和服务", "goods_services_wan_yuan"),
    ("对个人和家庭", "individual_family_subsidy_wan_yuan"),
    ("债务利息", "debt_interest_wan_yuan"),
    ("资本性支出（基本建设）", "capital_construction_wan_yuan"),
    ("资本性支出(基本建设)", "capital_construction_wan_yuan"),
    ("资本性支出", "capital_wan_yuan"),
    ("对企业补助（基本建设）", "enterprise_subsidy_construction_wan_yuan"),
    ("对企业补助(基本建设)", "enterprise_subsidy_construction_wan_yuan"),
    ("对企业补助", "enterprise_subsidy_wan_yuan"),
    ("社会保障基金", "social_security_fund_subsidy_wan_yuan"),
    ("其他支出", "other_wan_yuan"),
    ("=预算", "total_wan_yuan"),  # one amount column headed 预算 (广州)
    ("=金额", "total_wan_yuan"),  # one amount column headed 金额 (江苏)
]
SUMMARY_COLUMNS = [
    ("合计", "total_wan_yuan"),
    ("总计", "total_wan_yuan"),  # 重庆 表四: 总计 | 一般公共预算 | 政府性基金预算 | 国有资本经营预算
    ("=预算", "total_wan_yuan"),  # 广州: 项目 | 预算
    ("=本年预算", "total_wan_yuan"),  # 长沙
    ("=金额", "total_wan_yuan"),  # 江苏: 功能科目名称 | 金额
    ("预算数", "total_wan_yuan"),
    ("一般公共预算", "general_budget_wan_yuan"),
    ("政府性基金", "gov_fund_wan_yuan"),
    ("国有资本经营", "state_capital_wan_yuan"),
]

_CLASS_LINE = re.compile(r"^(\d{3})\s*(\S.*)$")
_CODE_IN_NAME = re.compile(r"^(?:\[(?P<a>\d{3,7})\]|(?P<b>\d{3,7})[-－])\s*(?P<name>\S.*)$")
_DIGITS = re.compile(r"^\d+$")


@dataclass
class FoundTable:
    """A grid table with its title resolved and title rows stripped."""

    table_no: int | None  # 1..9, or None for a performance-target table
    title: str
    rows: list[list[str]]
    row_lines: list[int]
    money_unit: str
    unit_name: str | None
    note: str | None = None
    is_performance: bool = False
    line: int = 0
    context: list[str] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return TABLE_CODES.get(self.table_no, "绩效目标表") if self.table_no else "绩效目标表"


_UNIT_NAME = re.compile(r"编制(?:部门|单位)(?:（单位）|\(单位\))?[:：]\s*(.+?)(?:\s{2,}|\s*单位[:：]|$)")


def unit_name_in(text: str) -> str | None:
    m = _UNIT_NAME.search(text)
    if not m:
        return None
    name = m.group(1).strip()
    if re.match(r"(?:金额)?单位\s*[:：]", name):  # the name left blank: "编制部门（单位）：      单位：万元"
        return None
    return name or None


def _is_title_row(row: list[str]) -> bool:
    cells = [c for c in row if c]
    if not cells:
        return False
    joined = "".join(cells)
    if any(k in joined for k in ("编制部门", "编制单位", "单位：", "单位:")):
        return True
    # a lone title cell: 部门（单位）收支总体情况表, or a label row like 表一： on top of the grid, or
    # a title the catalogue knows ("“三公”经费、会议费、培训费支出预算表公开表九")
    return len(cells) == 1 and (
        joined.endswith("表")
        or PERFORMANCE_TITLE in squash(joined)
        or bool(re.match(r"^表[一二三四五六七八九十]+[:：]?$", squash(joined)))
        or classify(joined) is not None
    )


def _inner_title(row: list[str], below: list[str]) -> bool:
    """A row inside a grid that titles the next table: one cell naming a kind of the catalogue, with
    its 单位 line under it (a 目录 drawn as a grid has none); a per-project 绩效目标 form's title
    (上海: 财政项目支出绩效目标填报表) with the form's 项目名称 row under it."""
    cells = [c for c in row if c]
    if len(cells) != 1 or PERFORMANCE_TITLE in squash(cells[0]) or re.search(r"…|\.{3}", cells[0]):
        return False  # not a title: a 目录 entry with its leader dots
    kind = classify(cells[0])
    if kind is None:
        return False
    if kind.id == "project_performance":
        return bool(below) and squash(below[0]) == "项目名称"
    return bool(money_unit_in("".join(below)))


def _split_at_titles(blocks: list) -> list:
    """Grids that run on into the next table under its own title row (江苏 2017: the end of the
    收支预算总表 and the whole 收入预算总表 drawn as one ruled grid) split before each such row."""
    out: list = []
    for block in blocks:
        if isinstance(block, Paragraph) or len(block.rows) < 2:
            out.append(block)
            continue
        lines = list(block.row_lines or [block.line] * len(block.rows))
        cuts = (
            [0]
            + [k for k in range(1, len(block.rows) - 1) if _inner_title(block.rows[k], block.rows[k + 1])]
            + [len(block.rows)]
        )
        for a, b in zip(cuts, cuts[1:]):
            out.append(Table(block.rows[a:b], lines[a], lines[a:b]))
    return out


def find_tables(blocks: list) -> list[FoundTable]:
    """Pair each grid table with its title, unit label and trailing note."""
    found: list[FoundTable] = []
    pending: list[Paragraph] = []
    after_table = False  # the block before this one was a table (no paragraph in between)
    for i, block in enumerate(blocks := _split_at_titles(blocks)):
        if isinstance(block, Paragraph):
            pending.append(block)
            after_table = False
            continue
        context = [p.text for p in pending[-4:]]
        pending = []
        rows, lines = list(block.rows), list(block.row_lines or [block.line] * len(block.rows))
        if after_table and _runs_on(found, rows):
            # no title, nothing printed since the last table: its rows over the page (or under a
            # rule the reader could not match) go on
            found[-1].rows.extend(rows)
            found[-1].row_lines.extend(lines)
            continue
        after_table = True
        texts = context + _strip_title_rows(rows, lines)
        for table in _titled_tables(block, rows, lines, texts, _note_after(blocks, i)):
            repeated = _repeated_header(found[-1], table) if found else 0
            if repeated:  # the same table on the next page: its rows after the repeated header join it
                found[-1].rows.extend(table.rows[repeated:])
                found[-1].row_lines.extend(table.row_lines[repeated:])
                found[-1].note = table.note or found[-1].note
                continue
            found.append(table)
    return found


def _runs_on(found: list[FoundTable], rows: list[list[str]]) -> bool:
    """Whether a grid right after the last table, without a title row of its own, is more of its rows
    (a 绩效目标表 is not continued, nor continues another table)."""
    return bool(
        found
        and rows
        and not _is_title_row(rows[0])
        and not found[-1].is_performance
        and not _looks_like_performance(rows)
    )


def _strip_title_rows(rows: list[list[str]], lines: list[int]) -> list[str]:
    """Drop a grid's leading title and blank rows (in place); the title rows' texts."""
    title_rows: list[str] = []
    while rows and (_is_title_row(rows[0]) or not any(rows[0])):
        if any(rows[0]):
            title_rows.append("  ".join(c for c in rows[0] if c))
        rows.pop(0)
        lines.pop(0)
    return title_rows


def _note_after(blocks: list, i: int) -> str | None:
    """The note printed right under the table at `i` (备注 / 注： / a 空表 explanation), or None."""
    if i + 1 < len(blocks) and isinstance(blocks[i + 1], Paragraph):
        nxt = blocks[i + 1].text
        if nxt.startswith(("备注", "注：", "注:")) or "空表" in nxt:
            return nxt
    return None


def _titled_tables(
    table: Table, rows: list[list[str]], lines: list[int], texts: list[str], note: str | None
) -> list[FoundTable]:
    """The table(s) one titled grid holds: the 绩效目标表 it prints back to back, else one table of the
    kind its title names (table_no None where no title names one of the nine)."""
    money_unit = next((u for u in (money_unit_in(t) for t in texts) if u), None) or "万元"
    unit_name = next((n for n in (unit_name_in(t) for t in texts) if n), None)
    if any(PERFORMANCE_TITLE in squash(t) for t in texts) or _looks_like_performance(rows):
        return [
            FoundTable(
                None,
                PERFORMANCE_TITLE,
                part_rows,
                part_lines,
                "万元",
                unit_name,
                is_performance=True,
                line=part_lines[0] if part_lines else table.line,
                context=texts,
            )
            for part_rows, part_lines in _split_performance(rows, lines)
        ]
    table_no, title = _title_slot(texts)
    return [FoundTable(table_no, title, rows, lines, money_unit, unit_name, note=note, line=table.line, context=texts)]


def _title_slot(texts: list[str]) -> tuple[int | None, str]:
    """(slot, title): the nearest title (wrapped ones joined) by the kind the catalogue gives it, else a
    表N： label where no title names a kind; (None, "") for neither or a 绩效目标表's title."""
    titled = titled_kind(texts)
    if titled:
        return (titled[0].slot, titled[1]) if PERFORMANCE_TITLE not in squash(titled[1]) else (None, "")
    for t in reversed(texts):
        m = re.match(r"^(表[一二三四五六七八九])", squash(t))
        if m:
            return _CODE_TO_NO[m.group(1)], t
    return None, ""


def _repeated_header(prev: FoundTable, table: FoundTable) -> int:
    """How many header rows `table` repeats of `prev` when it is `prev` printed on over a page with
    its title, unit line and header repeated (烟台, 西安): the same title lines, then the same
    leading rows without an amount, followed by rows of its own. 0 when it is another table (a
    per-project form repeats title and header for the next project)."""

    def titles(context: list[str]) -> list[str]:  # the lines above it, not the note of the table before
        return [c for c in context if not c.startswith(("注", "备注"))]

    mine, theirs = titles(table.context), titles(prev.context)
    if prev.is_performance or table.is_performance or not mine or theirs[-len(mine) :] != mine:
        return 0
    kind = table_kind(table)
    if kind is not None and kind.id in FORM_KINDS:
        return 0
    k = 0
    while (
        k < len(table.rows)
        and k < len(prev.rows)
        and table.rows[k] == prev.rows[k]
        and not any(is_number(c) for c in table.rows[k] if c)
    ):
        k += 1
    return k if k < len(table.rows) else 0


def _looks_like_performance(rows: list[list[str]]) -> bool:
    return any(squash(r[0]) == "项目总体目标" for r in rows if r) and any(
        squash(c) == "一级指标" for r in rows for c in r
    )


def _split_performance(rows, lines):
    """One grid may hold several 绩效目标表 back to back; split at each repeated title row."""
    parts: list[tuple[list, list]] = [([], [])]
    for row, line in zip(rows, lines):
        cells = [c for c in row if c]
        if len(cells) == 1 and PERFORMANCE_TITLE in squash(cells[0]):
            parts.append(([], []))
            continue
        parts[-1][0].append(row)
        parts[-1][1].append(line)
    return [p for p in parts if any(any(r) for r in p[0])]


# ---------------------------------------------------------------- header mapping


def _map_labels(labels: list[str], mapping: list[tuple[str, str]]) -> list[str | None]:
    """Each label's column: the first fragment it contains ("=预算": the label's last part is exactly 预算)."""
    out: list[str | None] = []
    for label in labels:
        s = squash(label)
        leaf = s.rsplit("/", 1)[-1]
        col = next((c for frag, c in mapping if (leaf == frag[1:] if frag.startswith("=") else frag in s)), None)
        out.append(col)
    return out


def _is_code_cell(text: str, width: tuple[int, ...]) -> bool:
    return bool(_DIGITS.match(text)) and len(text) in width


# ---------------------------------------------------------------- code tables


COLUMN_MAPS = {
    "income": INCOME_COLUMNS,
    "expenditure": EXPENDITURE_COLUMNS,
    "economic": ECONOMIC_COLUMNS,
    "project": PROJECT_COLUMNS,
}  # a code table's header map, named by its kind's `load: {columns: …}`


@dataclass(frozen=True)
class CodeLayout:
    """How a code table's rows load: its kind's `load` in the catalogue (table_kinds.yaml)."""

    code_kind: str  # 'functional' | 'economic'
    name_cols: int  # 1, or 2 for 表七 (科目 + 项目名称)
    columns: str  # the header map (COLUMN_MAPS)
    raw_table: str
    keeps_table_no: (
        bool  # the raw table holds several kinds' rows (raw_expenditure: 表三/五/九): each keeps its table_no
    )

    @property
    def mapping(self) -> list[tuple[str, str]]:
        return COLUMN_MAPS[self.columns]


@lru_cache(maxsize=None)
def layout_of(slot: int) -> CodeLayout:
    """The code-table layout of the kind loaded into `slot` (a kind with `load: {rows: code}`)."""
    load = by_slot(slot).load
    if load.get("rows") != "code":
        raise ValueError(f"表{slot}'s kind ({by_slot(slot).id}) does not load as a code table")
    sharing = [k.id for k in catalogue() if k.slot is not None and k.load.get("raw_table") == load["raw_table"]]
    return CodeLayout(load["codes"], int(load.get("names", 1)), load["columns"], load["raw_table"], len(sharing) > 1)


def _columns(labels: list[str], layout: CodeLayout, fiscal_year: int | None) -> list[str | None]:
    """Each amount label's raw column (layout.mapping); None for another year's column."""
    return [
        None if _other_year(label, fiscal_year) else column
        for label, column in zip(labels, _map_labels(labels, layout.mapping))
    ]


def _amount_labels(header: list[list[str]], name_cols: int, crossed: int = 0) -> list[str]:
    """Labels of the amount columns: the header row holding the name label, cells after the name(s).
    In a crossed table (see _uncross) the other classifications' labels are not amount labels."""
    if crossed:  # the header row with the most labels that do not name a classification
        rows = [
            [c for c in row if c and "分类科目" not in squash(c) and squash(c) not in ("类", "款", "项", "科目编码")]
            for row in header
        ]
        return max(rows, key=len, default=[])
    best: list[str] = []
    for row in header:
        cells = [c for c in row if c]
        # the name column: 科目名称 / 项目名称 / 科目, or 支出功能分类科目 where code and name share a cell (北京)
        idx = [i for i, c in enumerate(cells) if "名称" in squash(c) or squash(c) in ("科目", "支出功能分类科目")]
        if idx:
            labels = cells[idx[-1] + 1 :]
            if len(labels) > len(best):
                best = labels
    if not best:  # no name label: take the widest header row's trailing labels
        for row in header:
            cells = [c for c in row if c and squash(c) not in {"类", "款", "项", "项目"}]
            if len(cells) > len(best):
                best = cells
    return best


def _other_year(label: str, fiscal_year: int | None) -> bool:
    """A column of another year than the budget's (上年预算数, 2025年执行数 in a 2026 budget)."""
    if "上年" in label and "结转" not in label:  # 上年结转 is money carried into this year's budget
        return True
    years = re.findall(r"(20\d{2})年", label)
    return bool(years) and fiscal_year is not None and str(fiscal_year) not in years


def _nested_amount_labels(header: list[list[str]], rows: list[list[str]], start: int) -> list[str] | None:
    """Amount-column labels from the whole header when it nests (figures.header_paths) to the data
    rows' width: '2026年预算数/基本支出/人员经费'. None where it does not (the label row is used)."""
    width = max((len(r) for r in rows if any(r)), default=0)
    paths = header_paths(header) if header else None
    if paths is None or len(paths) != width or width <= start:
        return None
    return paths[start:]


def _inherit_codes(cells: list[str], parents: list[str]) -> list[str]:
    """Split 类/款/项 cells of one row, the blank leading ones taken from the rows above: a template
    may print 201 | | on the 类 row, | 08 | on the 款 row and | | 01 on the 项 row (烟台). Updates
    `parents` in place; a row with no code at all neither inherits nor changes them."""
    cells = [squash(c) for c in cells]
    if not any(cells):
        return cells
    first = next(k for k, c in enumerate(cells) if c)
    if first and len(parents) >= first and all(_DIGITS.match(c) for c in cells if c):
        cells = parents[:first] + cells[first:]
    parents[:] = [c for c in cells if c]
    return cells


_CLASS_DIGIT = {"functional": "2", "economic": "3"}  # 功能分类 2xx; 部门预算支出经济分类 3xx (政府预算 5xx)


def _uncross(rows: list[list[str]], first_data: int, layout: CodeLayout) -> tuple[list[list[str]], int]:
    """Rows of a table that prints each line under several classifications side by side, each cell
    "code-name" (北京 支出总表: 2010601-行政运行 | 50101-工资奖金津补贴 | 30101-基本工资 | amounts; 表六:
    50101-… | 30101-… | amounts), reduced to the table's own classification (功能 2xx, or 部门经济 3xx)
    followed by the amounts; a 合计 row keeps its label and the cells after the code columns. Returns
    the rows and how many classification columns were dropped (0: not such a table, rows unchanged)."""
    data = [r for r in rows[first_data:] if r and _CODE_IN_NAME.match(squash(r[0]))]
    if not data:
        return rows, 0
    n_codes = min(sum(1 for _ in takewhile(lambda c: _CODE_IN_NAME.match(squash(c)), r)) for r in data)
    if n_codes < 2:
        return rows, 0
    out = list(rows[:first_data])
    for r in rows[first_data:]:
        own = next(
            (
                k
                for k in range(min(n_codes, len(r)))
                if _CODE_IN_NAME.match(squash(r[k])) and squash(r[k]).lstrip("[")[:1] == _CLASS_DIGIT[layout.code_kind]
            ),
            None,
        )
        label = next((k for k, c in enumerate(r) if is_total_label(c)), None)
        if own is not None:
            out.append([r[own]] + r[n_codes:])
        elif label is not None:
            out.append([r[label]] + r[max(label + 1, n_codes) :])
        else:
            out.append(r)
    return out, n_codes - 1


def _is_vertical_income(rows: list[list[str]]) -> bool:
    """江苏's 收入预算总表: the income sources as rows (项目名称 | 金额; 收入总计, then each fund's 小计
    and its parts), not columns."""
    labels = [squash(c) for c in (rows[0] if rows else []) if c]
    return labels == ["项目名称", "金额"] and any(
        squash(next((c for c in r if c), "")) == "收入总计" for r in rows[1:3]
    )


def _parse_vertical_income(d: Disclosure, ft: FoundTable) -> int:
    """Load a vertical income table (_is_vertical_income) as the one 合计 row of raw_income: each
    fund's 小计 under its column (INCOME_COLUMNS by the fund's label), 其他资金 by its parts."""
    rec: dict = {"row_no": 1, "is_total": True}
    group = ""
    blank_lead = all(not r[0] for r in ft.rows[1:] if any(r))  # the grid's frame as a column (省委办公厅)
    for row, line in zip(ft.rows[1:], ft.row_lines[1:]):
        cells = row[1:] if blank_lead else list(row)
        if not any(cells):
            continue
        if len(cells) >= 3:
            group = squash(cells[0]) or group
            label, text = squash(cells[1]), cells[-1]
        else:
            group, label, text = squash(cells[0]), "", cells[-1]
        if group == "收入总计":
            column = "total_wan_yuan"
        elif label == "小计":
            column = None if "其他资金" in group else next((c for frag, c in INCOME_COLUMNS if frag in group), None)
        else:  # a part under its fund: only 其他资金's parts have columns of their own
            column = next((c for frag, c in INCOME_COLUMNS if frag in label), None) if "其他资金" in group else None
            if column is None and "其他资金" in group and text:
                column = "other_income_wan_yuan"
        if column is None:
            continue
        value = money_cell(d, text, ft.money_unit, ft.ref, f"line {line}")
        if value is not None:
            rec[column] = (rec.get(column) or 0) + value if column == "other_income_wan_yuan" else value
    d.add("raw_income", rec)
    return 1


def _totals_only_row(rows: list[list[str]]) -> int | None:
    """The index of the one row of amounts in a table printed without codes or names: a header and
    a single line of totals (the central template's 部门收入总表: 合计 | 上年结转 | 一般公共预算拨款收入 …)."""
    amounts = [k for k, r in enumerate(rows) if any(r) and all(not c or is_number(c) for c in r)]
    return amounts[0] if len(amounts) == 1 and amounts[0] == max(k for k, r in enumerate(rows) if any(r)) else None


def _grouped_labels(header: list[list[str]], width: int) -> list[str] | None:
    """Labels of a two-row header whose lower row is as wide as the data and starts each group with
    小计 (北京 收入总表: 合计 | 本年收入 | 上年结转结余 over | 小计 | 一般公共预算资金 … | 小计 | …): the
    upper labels without a group take the blank cells before the first 小计, the others head a group
    each. None where the header is not of that shape."""
    if len(header) < 2 or len(header[-1]) != width:
        return None
    upper = [c for c in header[-2] if c]
    lower = [squash(c) for c in header[-1]]
    starts = [j for j, c in enumerate(lower) if c == "小计"]
    single = len(upper) - len(starts)
    if not starts or single < 0 or any(lower[: starts[0]][-single:] if single else []):
        return None
    out = [""] * width
    for n, j in enumerate(range(starts[0] - single, starts[0])):
        out[j] = upper[n]
    for g, j0 in enumerate(starts):
        j1 = starts[g + 1] if g + 1 < len(starts) else width
        for j in range(j0, j1):
            out[j] = f"{upper[single + g]}/{lower[j]}" if lower[j] else ""
    return out


def _spanned_labels(header: list[list[str]], width: int) -> list[str] | None:
    """Labels of a two-row header whose lower row is as wide as the data and whose upper labels span
    groups of it (北京 一般公共预算支出表: 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出 over | | | 小计 |
    人员经费 | 公用经费 | 项目支出总数 | 扣除基建项目后预算数). The grid keeps no spans: the upper labels
    over the lower row's leading blanks (cells merged down) stand alone, the others head a group each,
    and a group starts at 小计/合计 or at a label that begins with its own group's label. None where
    that does not give exactly one start per group."""
    if len(header) < 2 or len(header[-1]) != width:
        return None
    upper = [squash(c) for c in header[-2] if c]
    lower = [squash(c) for c in header[-1]]
    lead = next((j for j, c in enumerate(lower) if c), width)
    singles, groups, cells = upper[:lead], upper[lead:], lower[lead:]
    if len(singles) != lead or not groups or not all(cells):
        return None
    starts = [0]
    for j, c in enumerate(cells[1:], start=1):
        nxt = groups[len(starts)] if len(starts) < len(groups) else None
        if nxt is not None and (c in ("小计", "合计") or c.startswith(nxt)):
            starts.append(j)
    if len(starts) != len(groups):
        return None
    out = list(singles)
    for g, (a, b) in enumerate(zip(starts, starts[1:] + [len(cells)])):
        out += [f"{groups[g]}/{c}" for c in cells[a:b]]
    return out


def _between_columns(columns: list[str | None], row: list[str], orders: dict) -> list[str | None]:
    """An amount whose label could not be read takes the column a family's printed order (the
    catalogue's column_orders) puts between the labelled columns left and right of it, where the
    order has exactly one there."""
    out = list(columns)
    for j, (column, text) in enumerate(zip(columns, row)):
        if column is not None or not text:
            continue
        left = next((c for c in reversed(out[:j]) if c), None)
        right = next((c for c in columns[j + 1 :] if c), None)
        fits = {
            order[order.index(left) + 1]
            for order in orders.values()
            if left in order and right in order and order.index(right) - order.index(left) == 2
        }
        if len(fits) == 1:
            out[j] = fits.pop()
    return out


def _parse_totals_only(
    d: Disclosure, ft: FoundTable, layout: CodeLayout, rows: list[list[str]], k: int, fiscal_year: int | None
) -> int:
    """Load a totals-only table (_totals_only_row) as its 合计 row, each amount under its header label."""
    row, line = rows[k], ft.row_lines[k]
    labels = column_labels(rows[:k], len(row))
    grouped = _grouped_labels(rows[:k], len(row))
    if grouped and sum(map(bool, _map_labels(grouped, layout.mapping))) > sum(
        map(bool, _map_labels(labels, layout.mapping))
    ):
        labels = grouped
    columns = _columns(labels, layout, fiscal_year)
    columns = _between_columns(columns, row, by_slot(ft.table_no).column_orders)
    rec: dict = {"row_no": 1, "is_total": True}
    if layout.keeps_table_no:
        rec["table_no"] = ft.table_no
    for label, column, text in zip(labels, columns, row):
        if column is None:
            if text:
                d.findings.append(
                    Finding(
                        "PARSE-CELL",
                        "warning",
                        table_ref=ft.ref,
                        location=f"line {line}",
                        message=f"{ft.ref} line {line}: value {text!r} under {label!r}, a column with no known meaning",
                    )
                )
            continue
        value = money_cell(d, text, ft.money_unit, ft.ref, f"line {line} {label}")
        if rec.get(column) is None:
            rec[column] = value
    d.add(layout.raw_table, rec)
    return 1


def _header_end(rows: list[list[str]]) -> tuple[int, bool]:
    """(index of the first data row, whether codes are split into 类/款/项 cells). The header ends at
    the 类/款/项 row, or at the first row starting with a code / a joined code / a 合计."""
    first_data = None
    split_codes = False
    for i, row in enumerate(rows):
        s = [squash(c) for c in row]
        if s[:2] == ["类", "款"]:
            split_codes = True
            first_data = i + 1
            break
        if s and (
            _DIGITS.match(s[0])
            or _CODE_IN_NAME.match(s[0])
            or is_total_label(s[0])
            or (not s[0] and len(s) > 1 and is_total_label(s[1]) and any(is_number(c) for c in row))
        ):
            first_data = i
            break
    if first_data is None:
        first_data = len(rows)
    # header rows under the 类/款/项 row (长沙: 金额 | 其中:经费拨款 under 本级财政拨款): no code, no amount
    while (
        first_data < len(rows)
        and not _DIGITS.match(squash(rows[first_data][0]) if rows[first_data] else "")
        and any(rows[first_data])
        and not any(is_number(c) or is_total_label(c) for c in rows[first_data] if c)
    ):
        first_data += 1
    return first_data, split_codes


def _code_table_labels(
    header: list[list[str]], data: list[list[str]], layout: CodeLayout, start: int, crossed: int
) -> list[str]:
    """The amount columns' labels: nested header rows, else the header's labels, else (a header whose
    rows do not nest, 中央 一般公共预算支出表: 2025年执行数 | 2026年预算数 | 增减 over 执行数 … 年初预算数 …
    over 小计 | 基本支出 | 项目支出) the row as wide as the data, by position."""
    label_rows = list(
        takewhile(lambda r: not any(is_number(c) for c in r if c), header)
    )  # not a 合计 row above the codes
    nested = _nested_amount_labels(label_rows, data, start)
    if nested is not None:
        return nested
    labels = _amount_labels(header, layout.name_cols, crossed)
    if crossed:
        return labels
    width = max((len(r) for r in data if any(r)), default=0)
    stacked = column_labels(label_rows, width)[start:] if width > start else []
    if len({c for c in _map_labels(stacked, layout.mapping) if c}) > len(
        {c for c in _map_labels(labels, layout.mapping) if c}
    ):
        labels = stacked
    spanned = _spanned_labels(label_rows, width)
    if (
        spanned is not None
        and len(labels) != width - start
        and len({c for c in _map_labels(spanned[start:], layout.mapping) if c})
        >= len({c for c in _map_labels(labels, layout.mapping) if c})
    ):
        labels = spanned[start:]  # fewer labels than amounts cannot be laid on them one by one
    return labels


def _split_code_cells(
    d: Disclosure,
    ft: FoundTable,
    layout: CodeLayout,
    cells: list[str],
    line,
    width: int,
    n_code_cells: int,
    gov_block: int,
    parents: list[str],
) -> tuple[str, list[str]]:
    """(code, the rest of the row) of a row whose code is printed in 类/款/项 cells."""
    n_amounts = width - n_code_cells - layout.name_cols
    if cells and is_total_label(cells[0]) and len(cells) < width and 0 < n_amounts < len(cells):
        # 合计 printed across the code columns (and the name): the amounts are the row's last cells
        return "", [cells[0]] + [""] * (layout.name_cols - 1) + cells[len(cells) - n_amounts :]
    code_cells = cells[:n_code_cells]
    rest = cells[n_code_cells:]
    if gov_block:
        rest = rest[:1] + rest[1 + gov_block :]
    short = [k for k, c in enumerate(code_cells) if k and len(squash(c)) == 1 and squash(c).isdigit()]
    if short:  # a 款/项 printed with one digit (上海 万里 2024: 301 | 2 津贴补贴): read zero-padded
        printed = " | ".join(squash(c) for c in code_cells if squash(c))
        code_cells = [("0" + squash(c)) if k in short else c for k, c in enumerate(code_cells)]
        d.findings.append(
            Finding(
                "CODE-SHORT",
                "warning",
                table_ref=ft.ref,
                location=f"line {line}",
                message=f"{ft.ref} line {line}: code printed as {printed!r}, a 款/项 of one "
                f"digit; read as {''.join(squash(c) for c in code_cells if squash(c))}",
            )
        )
    code_cells = _inherit_codes(code_cells, parents)
    return "".join(c for c in code_cells if c), rest


def _split_code_cell(layout: CodeLayout, cells: list[str], codes_in_names: bool) -> tuple[str, list[str]]:
    """(code, the rest of the row) of a row whose code is one cell, or written into its name cell."""
    first = squash(cells[0]) if cells else ""
    embedded = _CODE_IN_NAME.match(first)
    if _DIGITS.match(first) or (
        not first and not codes_in_names and layout.name_cols == 1 and len(cells) > 1 and is_total_label(cells[1])
    ):
        return first, cells[1:]  # a blank code cell stays the code column's (江苏: 合计 under 科目名称)
    if embedded:  # "[201]一般公共服务支出" (广州), "2010601-行政运行" (北京): code and name in one cell
        return embedded.group("a") or embedded.group("b"), [embedded.group("name")] + cells[1:]
    return "", cells


def _code_row_record(ft: FoundTable, layout: CodeLayout, row_no: int, code: str, names: list[str], total: bool) -> dict:
    """A code table row's key fields: row number, 合计 flag, code and name (表七: 项 and project name)."""
    name_text = " ".join(n for n in names if n)
    rec: dict = {"row_no": row_no, "is_total": total}
    if layout.code_kind == "functional":
        rec["functional_code"] = code or None
        if layout.name_cols == 2:  # 表七: 项 name, then the project's
            rec["functional_name"] = names[0] if names and names[0] and not total else None
            rec["project_name"] = (names[1] if len(names) > 1 and names[1] else None) if not total else None
        else:
            rec["functional_name"] = None if total else (name_text or None)
    else:
        rec["economic_code"] = code or None
        rec["economic_name"] = None if total else (name_text or None)
    if layout.keeps_table_no:
        rec["table_no"] = ft.table_no
    return rec


def _crossed_or_by_unit(
    d: Disclosure, ft: FoundTable, layout: CodeLayout, header: list[list[str]], crossed: int
) -> bool:
    """Findings for a header the table cannot be loaded by as printed; True when the table is printed by
    unit (西安, 广州: one row per subordinate unit), not by classification code: no code rows then."""
    if crossed:
        d.findings.append(
            Finding(
                "PARSE-COLUMN",
                "warning",
                table_ref=ft.ref,
                location="header",
                message=f"{ft.ref} splits each "
                f"{'functional item' if layout.code_kind == 'functional' else 'economic class'} "
                f"by {crossed} more classification column(s) (北京: 政府/部门支出经济分类科目): its rows load "
                "by their own classification code, without that split",
            )
        )
    if any(squash(c) in ("单位编码", "单位名称") for r in header for c in r[:2]):
        d.findings.append(
            Finding(
                "PARSE-COLUMN",
                "warning",
                table_ref=ft.ref,
                location="header",
                message=f"{ft.ref} is printed by unit (单位编码/单位名称), not by classification "
                "code: its rows are not loaded as code rows",
            )
        )
        return True
    return False


@dataclass
class _CodeGrid:
    """A code table's rows as its header lays them out (_code_grid)."""

    layout: CodeLayout
    rows: list[list[str]]  # the rows, a crossed table's reduced to its own classification (_uncross)
    first_data: int
    header: list[list[str]]
    split_codes: bool  # codes printed in 类/款/项 cells
    gov_block: int  # cells of a second (政府经济分类) code block dropped after the name
    n_code_cells: int
    codes_in_names: bool  # "[201]一般公共服务支出": code and name in one cell
    labels: list[str]  # the amount columns' labels
    columns: list[str | None]  # their raw columns


def parse_code_table(d: Disclosure, ft: FoundTable, fiscal_year: int | None = None) -> int:
    """A table of classification-code rows (a kind with `load: {rows: code}`: 表二/三/五/六/七/九).
    Returns the number of detail rows that carry an amount."""
    layout = layout_of(ft.table_no)
    if layout.columns == "income" and _is_vertical_income(ft.rows):
        return _parse_vertical_income(d, ft)
    only = _totals_only_row(ft.rows)
    if only is not None:
        return _parse_totals_only(d, ft, layout, ft.rows, only, fiscal_year)
    grid = _code_grid(d, ft, layout, fiscal_year)
    if grid is None:
        return 0
    detail = 0
    row_no = 0
    parents: list[str] = []  # the last row's 类/款 codes, for rows that print only their own part
    for row, line in zip(grid.rows[grid.first_data :], ft.row_lines[grid.first_data :]):
        if not any(row) or re.fullmatch(r"\*+", squash(row[0])):
            continue  # blank, or the column-number row under the header (** | ** | 1 | 2 | 3, 长沙)
        counted = _load_code_row(d, ft, grid, list(row), line, row_no + 1, parents)
        if counted is not None:
            row_no += 1
            detail += counted
    return detail


def _code_grid(d: Disclosure, ft: FoundTable, layout: CodeLayout, fiscal_year: int | None) -> _CodeGrid | None:
    """Where a code table's data starts, how its codes are printed and its amount columns' labels and
    raw columns (a PARSE-COLUMN warning for each label with no known meaning). None for a table printed
    by unit, which has no code rows."""
    rows = ft.rows
    first_data, split_codes = _header_end(rows)
    header = rows[:first_data]
    rows, crossed = _uncross(rows, first_data, layout)
    # 烟台 表六: 类 | 款 | 部门经济分类名称 | 类 | 款 | 政府经济分类名称 | amounts: the second block is dropped
    gov_block = (
        3
        if (
            split_codes
            and layout.code_kind == "economic"
            and any("政府预算支出经济分类" in squash(c) for r in header for c in r)
        )
        else 0
    )
    crossed = crossed or (1 if gov_block else 0)
    if _crossed_or_by_unit(d, ft, layout, header, crossed):
        return None
    n_code_cells = (3 if layout.code_kind == "functional" else 2) if split_codes else 1
    codes_in_names = not split_codes and any(r and _CODE_IN_NAME.match(squash(r[0])) for r in rows[first_data:])
    start = layout.name_cols + (0 if codes_in_names else n_code_cells) + gov_block
    labels = _code_table_labels(header, rows[first_data:], layout, start, crossed)
    columns = _columns(labels, layout, fiscal_year)
    for label, column in zip(labels, columns):
        if column is None and label:
            d.findings.append(
                Finding(
                    "PARSE-COLUMN",
                    "warning",
                    table_ref=ft.ref,
                    location=f"header {label!r}",
                    message=f"{ft.ref}: column {label!r} has no known meaning; its amounts are not loaded as a measure",
                )
            )
    return _CodeGrid(
        layout, rows, first_data, header, split_codes, gov_block, n_code_cells, codes_in_names, labels, columns
    )


def _load_code_row(
    d: Disclosure, ft: FoundTable, grid: _CodeGrid, cells: list[str], line, row_no: int, parents: list[str]
) -> int | None:
    """Load one row of a code table as row `row_no`: 1 for a detail row with an amount, 0 for another
    row loaded, None for a row not loaded (no code, no 合计 and no amount)."""
    layout = grid.layout
    if grid.split_codes:
        width = len(grid.header[-1]) if grid.header else len(cells)
        code, rest = _split_code_cells(d, ft, layout, cells, line, width, grid.n_code_cells, grid.gov_block, parents)
    else:
        code, rest = _split_code_cell(layout, cells, grid.codes_in_names)
    names = rest[: layout.name_cols]
    amounts = rest[layout.name_cols :]
    name_text = " ".join(n for n in names if n)
    total = (not code) and any(is_total_label(n) for n in names + cells[: grid.n_code_cells])
    filled = [a for a in amounts if a]
    if total and len(amounts) > len(grid.columns) and filled and len(filled) <= len(grid.columns):
        amounts = filled  # a 合计 row cut into more cells than the table has columns (江苏 2018: 合 计 | | | 13,979.92)
    if not code and not total and not any(amounts):
        if name_text:  # a named line with no code and no amounts: keep it visible
            d.findings.append(
                Finding(
                    "PARSE-ROW",
                    "warning",
                    table_ref=ft.ref,
                    location=f"line {line}",
                    message=f"{ft.ref} line {line}: row {name_text!r} has neither code nor amount",
                )
            )
        return None
    rec = _code_row_record(ft, layout, row_no, code, names, total)
    has_amount = _code_row_amounts(d, ft, grid, rec, amounts, line)
    if code and not _is_code_cell(code[:3], (3,)):
        d.findings.append(
            Finding(
                "CODE-MALFORMED",
                "error",
                table_ref=ft.ref,
                location=f"line {line}",
                message=f"{ft.ref} line {line}: code {code!r} is not a classification code",
            )
        )
    elif not code and not total and has_amount:  # nothing silently dropped: the facts key on the code
        d.findings.append(
            Finding(
                "CODE-MISSING",
                "error",
                table_ref=ft.ref,
                location=f"line {line}",
                message=f"{ft.ref} line {line}: row {name_text!r} prints amounts but no "
                "classification code; they reach no item of the warehouse's facts",
            )
        )
    d.add(layout.raw_table, rec)
    return int(has_amount and not total)


def _code_row_amounts(d: Disclosure, ft: FoundTable, grid: _CodeGrid, rec: dict, amounts: list[str], line) -> bool:
    """Put a code row's amounts into `rec` under their columns (the first one printed wins); a value
    under no known column is a PARSE-CELL warning. Whether any amount was read."""
    has_amount = False
    for j, text in enumerate(amounts):
        column = grid.columns[j] if j < len(grid.columns) else None
        if column is None:
            if text:
                d.findings.append(
                    Finding(
                        "PARSE-CELL",
                        "warning",
                        table_ref=ft.ref,
                        location=f"line {line} cell {j + 1}",
                        message=f"{ft.ref} line {line}: value {text!r} under no known column",
                    )
                )
            continue
        label = grid.labels[j] if j < len(grid.labels) else ""
        value = money_cell(d, text, ft.money_unit, ft.ref, f"line {line} {label}")
        if column not in rec or rec[column] is None:
            rec[column] = value
        has_amount = has_amount or value is not None
    return has_amount


# ---------------------------------------------------------------- 表一 / 表四


# 表一/表四 lines that total a side besides the generic ones (江苏: 当年收入小计 … 收入合计; 重庆 收入合计)
SUMMARY_TOTALS = {
    "收入合计",
    "支出合计",
    "当年收入小计",
    "当年支出小计",
    "本年收入小计",
    "本年支出小计",
    "当年收入",
    "当年支出",
}  # 江苏 2017 wraps 当年收入 | 小计 over two rows


def _summary_total(name: str) -> bool:
    return is_total_label(name) or squash(name) in SUMMARY_TOTALS


def _compact(rows: list[list[str]], lines: list[int]) -> tuple[list[list[str]], list[int]]:
    """A grid the reader cut into many more cells than the table has columns (江苏 高院 2017: every
    printed column three cells wide, blank spacer rows between the lines, each page's part of its
    own width): blank rows dropped, and among the rows of one width the cells of columns blank in
    all of them, where that is most of their columns."""
    keep: dict[int, list[int]] = {}
    for width in {len(r) for r in rows}:
        same = [r for r in rows if len(r) == width]
        cols = [j for j in range(width) if any(r[j] for r in same)]
        if width >= 6 and len(cols) * 2 <= width:
            keep[width] = cols
    if not keep:
        return rows, lines
    kept = [(([r[j] for j in keep[len(r)]] if len(r) in keep else r), n) for r, n in zip(rows, lines) if any(r)]
    return [r for r, _ in kept], [n for _, n in kept]


def _summary_columns(header: list[list[str]], data: list[list[str]]) -> tuple[int, int, list[str | None]]:
    """(cells of the income side, the data rows' usual width, the expenditure side's amount columns)
    of a 收支总表: 项目 + one amount on the left, 功能分类 + amounts on the right."""
    named = [r for r in header if any("功能分类" in squash(c) for c in r)]
    labels_row = named[-1] if named else (max(header, key=lambda r: len([c for c in r if c])) if header else [])
    labels = [c for c in labels_row if c]
    split = next((k for k, c in enumerate(labels) if "功能分类" in squash(c) or squash(c) == "项目" and k > 0), None)
    if split is None:
        split = 2
    exp_cols = _map_labels(labels[split + 1 :], SUMMARY_COLUMNS) or ["total_wan_yuan"]
    if not any(exp_cols) and len(header) > 1:  # 功能分类 | 支出用途 over 功能科目名称 | 金额 | 项目名称 | 金额 (江苏)
        sub = [c for c in header[-1] if c]
        names = [k for k, c in enumerate(sub) if "名称" in squash(c) or "功能分类" in squash(c)]
        mapped = _map_labels(sub[names[0] + 1 :], SUMMARY_COLUMNS) if names else []
        if any(mapped):  # the first 金额 is the functional line's; the 支出用途 side's are not loaded
            exp_cols = [c if c not in mapped[:k] else None for k, c in enumerate(mapped)]
    income_width = max(split, 2)
    widths = Counter(len(r) for r in data if any(r))
    width = widths.most_common(1)[0][0] if widths else 0
    # a header row as wide as the data rows names the expenditure columns by position (烟台 表四:
    # 项目 | 预算数 | 项目 | 预算数 over | | | 总计 | 一般公共预算 | 政府性基金预算 | 国有资本经营预算)
    full = [r for r in header if len(r) == width and not any(r[: income_width + 1]) and any(r[income_width + 1 :])]
    if full and any(_map_labels(full[-1][income_width + 1 :], SUMMARY_COLUMNS)):
        exp_cols = _map_labels(full[-1][income_width + 1 :], SUMMARY_COLUMNS)
    return income_width, width, exp_cols


def _summary_expenditure(
    d: Disclosure, ft: FoundTable, row_no: int, exp: list[str], exp_cols: list[str | None], loc: str
) -> dict:
    """A 收支总表 row's expenditure side: its line (a functional 类 line carries the code) and amounts."""
    name = exp[0]
    m = _CLASS_LINE.match(name)
    rec = {
        "table_no": ft.table_no,
        "row_no": row_no,
        "side": "expenditure",
        "item_name": name,
        "functional_class_code": m.group(1) if m else None,
        "is_total": _summary_total(name),
    }
    for j, text in enumerate(exp[1:]):
        column = exp_cols[j] if j < len(exp_cols) else None
        if column is None:
            if text:
                d.findings.append(
                    Finding(
                        "PARSE-CELL",
                        "warning",
                        table_ref=ft.ref,
                        location=f"{loc} cell {j + 2}",
                        message=f"{ft.ref} {loc}: value {text!r} under no known column",
                    )
                )
            continue
        value = money_cell(d, text, ft.money_unit, ft.ref, loc)
        if rec.get(column) is None:
            rec[column] = value
    return rec


def parse_summary_table(d: Disclosure, ft: FoundTable) -> int:
    rows, row_lines = _compact(ft.rows, ft.row_lines)
    first_data = 0
    header: list[list[str]] = []
    for i, row in enumerate(rows):
        s = [squash(c) for c in row if c]
        if any(_CLASS_LINE.match(c) for c in row if c) or any(c and c[0].isdigit() for c in s[1:2]):
            first_data = i
            break
        header.append(row)
    income_width, width, exp_cols = _summary_columns(header, rows[first_data:])
    count = 0
    row_no = 0
    # a column blank in every data row on the left (江苏 省委办公厅: the grid's frame) is no column
    blank_lead = all(not r[0] for r in rows[first_data:] if any(r))
    for row, line in zip(rows[first_data:], row_lines[first_data:]):
        if not any(row):
            continue
        if blank_lead:
            row = row[1:]
        if len(row) == width + 1 and not row[0] and row[1] and not is_number(row[1]):
            row = row[1:]  # a blank column the page's grid has left of the table (北京 page 2): a label
            # stands where the income amount belongs
        inc = row[:income_width]
        exp = row[income_width:]
        loc = f"line {line}"
        if inc and inc[0]:
            row_no += 1
            value = money_cell(d, inc[1] if len(inc) > 1 else "", ft.money_unit, ft.ref, loc)
            d.add(
                "raw_budget_summary",
                {
                    "table_no": ft.table_no,
                    "row_no": row_no,
                    "side": "income",
                    "item_name": inc[0],
                    "functional_class_code": None,
                    "total_wan_yuan": value,
                    "is_total": _summary_total(inc[0]),
                },
            )
            count += value is not None and not _summary_total(inc[0])
        if exp and exp[0]:
            row_no += 1
            rec = _summary_expenditure(d, ft, row_no, exp, exp_cols, loc)
            count += rec.get("total_wan_yuan") is not None and not rec["is_total"]
            d.add("raw_budget_summary", rec)
    return count


# ---------------------------------------------------------------- 表八


THREE_PUBLIC_ORDER = {
    6: [
        "total_wan_yuan",
        "overseas_travel_wan_yuan",
        "vehicle_total_wan_yuan",
        "vehicle_purchase_wan_yuan",
        "vehicle_operation_wan_yuan",
        "official_reception_wan_yuan",
    ],
    4: ["total_wan_yuan", "overseas_travel_wan_yuan", "vehicle_total_wan_yuan", "official_reception_wan_yuan"],
}


THREE_PUBLIC_FIGURES = {
    "three_public_total": "total_wan_yuan",
    "three_public_outbound": "overseas_travel_wan_yuan",
    "three_public_vehicle_total": "vehicle_total_wan_yuan",
    "three_public_vehicle_purchase": "vehicle_purchase_wan_yuan",
    "three_public_vehicle_operation": "vehicle_operation_wan_yuan",
    "three_public_reception": "official_reception_wan_yuan",
}


def parse_three_public(d: Disclosure, ft: FoundTable, fiscal_year: int | None = None) -> int:
    data = [
        (r, n)
        for r, n in zip(ft.rows, ft.row_lines)
        if any(r) and all((not c) or c[0].isdigit() or c in "-—" for c in r)
    ]
    figures = three_public_figures(ft, fiscal_year) if len(data) <= 1 else {}
    if not data or any(len(r) not in THREE_PUBLIC_ORDER for r, _ in data) or _order_contradicts(data, figures):
        # not the 昌吉 row of 6 (or 4) amounts in its order: read the columns by their labels (江苏 prints
        # 会议费 and 培训费 too, 上海 机关运行经费, 重庆 two years side by side, 广州 one item per row, 北京
        # six amounts in another order: 出国 | 接待 | 公务用车)
        figures = figures or three_public_figures(ft, fiscal_year)
        if "three_public_total" in figures:
            rec: dict = {"row_no": 1}
            for key, column in THREE_PUBLIC_FIGURES.items():
                f = figures.get(key)
                rec[column] = money_cell(d, f.text, ft.money_unit, ft.ref, f"line {f.line}") if f else None
            d.add("raw_three_public", rec)
            return int(any(rec[c] is not None for c in THREE_PUBLIC_FIGURES.values()))
    count = 0
    for row_no, (row, line) in enumerate(data, start=1):
        order = THREE_PUBLIC_ORDER.get(len(row))
        if order is None:
            d.findings.append(
                Finding(
                    "PARSE-ROW",
                    "error",
                    table_ref=ft.ref,
                    location=f"line {line}",
                    message=f"表八 line {line}: {len(row)} cells, expected 6 (or 4); row not understood: {row}",
                )
            )
            continue
        rec = {"row_no": row_no}
        for column, text in zip(order, row):
            rec[column] = money_cell(d, text, ft.money_unit, ft.ref, f"line {line}")
        count += any(rec[c] is not None for c in order)
        d.add("raw_three_public", rec)
    return count


def _order_contradicts(data: list, figures: dict) -> bool:
    """The one data row's amounts read in the 昌吉 order break the “三公” sums (合计 = 出国 + 公务用车 +
    接待, 公务用车 = 购置 + 运行) while the same amounts placed by their header labels keep them (北京
    prints 出国 | 接待 | 公务用车: by position its 接待 would load as 公务用车). A row whose sums fail
    either way (a document's own error) stays in the printed order."""
    if len(data) != 1 or len(data[0][0]) not in THREE_PUBLIC_ORDER:
        return False
    row = data[0][0]
    order = THREE_PUBLIC_ORDER[len(row)]
    columns = {column: key for key, column in THREE_PUBLIC_FIGURES.items()}
    if any(columns[c] not in figures for c in order) or sorted(
        squash(figures[columns[c]].text) for c in order
    ) != sorted(squash(c) for c in row):
        return False  # the labels do not place every amount of the row, once each

    def sums_hold(value: dict) -> bool:
        checks = [
            (whole, parts) for whole, parts in THREE_PUBLIC_SUMS if whole in value and all(p in value for p in parts)
        ]
        return all(value[whole] == sum(value[p] for p in parts) for whole, parts in checks)

    def amount(text: str) -> Decimal:
        return parse_decimal(text) if is_number(text) else Decimal(0)

    by_position = {columns[c]: amount(text) for c, text in zip(order, row)}
    by_label = {columns[c]: amount(figures[columns[c]].text) for c in order}
    return not sums_hold(by_position) and sums_hold(by_label)


def _numbering_holes(by_no: dict[int, FoundTable], found: list[FoundTable]) -> set[int]:
    """The 表N numbers a document that numbers its tables 表一…表九 (昌吉's family: each table's
    printed number is its slot) skips between its first and last table, counting the tables of
    kinds without a slot too (广州's 表7 is by economic class); empty for other families."""

    def number(ft: FoundTable) -> int | None:
        return next((n for n in map(printed_number, reversed(ft.context + [ft.title])) if n), None)

    printed = {no: number(ft) for no, ft in by_no.items()}
    if not printed or any(n != no for no, n in printed.items()):
        return set()
    every = {n for n in map(number, found) if n is not None}
    return set(range(min(printed), max(printed) + 1)) - every


def recognize_tables(d: Disclosure, found: list[FoundTable], fiscal_year: int | None = None) -> dict[int, FoundTable]:
    """Parse every standard table found; return them by number (first occurrence wins)."""
    by_no: dict[int, FoundTable] = {}
    sections: dict[str, list[str]] = {}  # a subordinate unit's own tables after the consolidated ones
    for ft in found:
        if ft.is_performance or ft.table_no is None:
            continue
        first = by_no.get(ft.table_no)
        if first is not None and ft.unit_name and first.unit_name and squash(ft.unit_name) != squash(first.unit_name):
            sections.setdefault(ft.unit_name, []).append(ft.ref)
            continue
        if ft.table_no in by_no:
            d.findings.append(
                Finding(
                    "DOC-TABLE-DUPLICATE",
                    "warning",
                    table_ref=ft.ref,
                    location=f"line {ft.line}",
                    message=f"{ft.ref} appears twice (line {by_no[ft.table_no].line} and {ft.line}); "
                    "the second is ignored",
                )
            )
            continue
        by_no[ft.table_no] = ft
        _load_table(d, ft, fiscal_year)
    for unit, refs in sections.items():
        d.findings.append(
            Finding(
                "DOC-UNIT-SECTION",
                "info",
                table_ref=refs[0],
                message=f"{'、'.join(refs)} printed again for {unit}: a subordinate unit's section of this "
                "disclosure; the "
                f"consolidated tables ({by_no[int(_CODE_TO_NO[refs[0]])].unit_name}) are loaded, the section is not "
                "added to them",
            )
        )
    _tables_not_found(d, by_no, found)
    d.rows["raw_tables"].sort(key=lambda r: r["table_no"])
    return by_no


def _load_table(d: Disclosure, ft: FoundTable, fiscal_year: int | None) -> None:
    """Load a table's rows the way its kind's `load: {rows: …}` says, and its raw_tables row."""
    loads = by_slot(ft.table_no).load["rows"]
    if loads == "summary":
        n = parse_summary_table(d, ft)
    elif loads == "three_public":
        n = parse_three_public(d, ft, fiscal_year)
    else:
        n = parse_code_table(d, ft, fiscal_year)
    d.add(
        "raw_tables",
        {
            "table_no": ft.table_no,
            "table_code": ft.ref,
            "table_title": squash(ft.title) or None,
            "status": "present" if n else "empty",
            "row_count": n,
            "money_unit": ft.money_unit,
            "note": ft.note,
        },
    )


def _tables_not_found(d: Disclosure, by_no: dict[int, FoundTable], found: list[FoundTable]) -> None:
    """A raw_tables row for each of 表一…表九 not found: missing where its kind is required or the
    document's own numbering skips it, else not printed."""
    skipped = _numbering_holes(by_no, found)
    for no, code in TABLE_CODES.items():
        if no not in by_no:
            status = "missing" if by_slot(no).required or no in skipped else "not_printed"
            d.add(
                "raw_tables",
                {
                    "table_no": no,
                    "table_code": code,
                    "table_title": None,
                    "status": status,
                    "row_count": 0,
                    "money_unit": None,
                    "note": None,
                },
            )
