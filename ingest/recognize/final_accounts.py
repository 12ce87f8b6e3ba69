"""决算 (final accounts): a unit's 部门决算 of a year, read by table kind like a 预算.

Every unit publishes a 预算 in spring and the 决算 of the same year the next summer. A 决算 file is
recognised here, not refused: its tables by the `final_*` kinds of ``table_kinds.yaml`` (收入支出决算总表,
收入决算表, 支出决算表, 财政拨款收入支出决算总表, 一般公共预算财政拨款支出决算表, …基本支出决算表,
政府性基金…决算表, 国有资本经营…决算表, “三公”经费支出决算表, 项目绩效自评表), their columns by header
meaning (``final_columns:`` in the same catalogue), and the 情况说明's own totals (收入支出总计,
财政拨款收入支出总计, “三公”经费 支出决算) by sentence.

What it yields:
* the document row (raw_documents, disclosure_kind 决算) and the findings of the FA-* rules (below),
  which a load writes to the lake like any other document's;
* ``FinalDisclosure.final``: every recognised table (kind, printed title, money unit, rows read as
  label/amount pairs or code lines with their column meanings) and the key figures. These rows are
  NOT in the lake yet: the warehouse has no 决算 raw tables, dbt sources or marts (a later step);
  ``make realworld`` measures them against the truth files (tests/realworld/truth/final-accounts/).

Rules (ids registered in ingest/rule_ids.py):
* FA-TOTAL: a 收支 summary's identities — 总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余 (收入
  side), 总计 = 本年支出合计 + 结余分配 + 年末结转和结余 (支出 side), both 总计 equal; a code table's
  合计 = 基本支出 + 项目支出 + 上缴上级支出 + 经营支出 + 对附属单位补助支出. A difference of 0.01 万元 is
  the 尾数误差 of amounts rounded to 万元 (info), more is an error.
* FA-CROSS: the same figure in two tables (收入支出决算总表 本年支出合计 = 支出决算表 合计; 财政拨款收入支出
  决算总表 本年支出合计 = 一般公共预算财政拨款支出决算表 合计 + 政府性基金 + 国有资本经营).
* FA-NARRATIVE: the 情况说明's 收入支出总计 / 财政拨款收入支出总计 / “三公” 支出决算 against the tables.
* FA-PLACEHOLDER: template placeholders (XX, XXX, XXXXXXXX) left in the published text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import yaml

from ingest.amounts import NotANumber, parse_decimal
from ingest.disclosure import Disclosure, Finding
from ingest.grid import GridDocument, Paragraph
from ingest.recognize.common import squash
from ingest.recognize.figures import Figure, titled_kind
from ingest.recognize.kinds import CATALOGUE_PATH, fold

PREFIX = "final_"
# The key figures of a 决算, in report order: key → meaning (tests/realworld/truth/final-accounts/)
FINAL_FIGURES = {
    "final_total": "收入支出决算总表 总计",
    "final_income_total": "收入支出决算总表 本年收入合计",
    "final_expenditure_total": "收入支出决算总表 本年支出合计",
    "final_carry_forward_begin": "收入支出决算总表 年初结转和结余",
    "final_carry_forward_end": "收入支出决算总表 年末结转和结余",
    "final_expenditure_table_total": "支出决算表 合计",
    "final_expenditure_table_basic": "支出决算表 基本支出",
    "final_expenditure_table_project": "支出决算表 项目支出",
    "final_appropriation_total": "财政拨款收入支出决算总表 总计",
    "final_three_public_budget": "“三公”经费 预算数 合计",
    "final_three_public_total": "“三公”经费 决算数 合计",
    "final_three_public_outbound": "因公出国（境）费 决算数",
    "final_three_public_vehicle_total": "公务用车购置及运行维护费 决算数",
    "final_three_public_vehicle_purchase": "公务用车购置费 决算数",
    "final_three_public_vehicle_operation": "公务用车运行维护费 决算数",
    "final_three_public_reception": "公务接待费 决算数",
    "narrative_final_total": "情况说明 收入支出总计",
    "narrative_final_appropriation_total": "情况说明 财政拨款收入支出总计",
    "narrative_final_three_public_total": "情况说明 “三公”经费 支出决算",
}
ROUNDING = Decimal("0.01")  # 万元 amounts rounded to two decimals: a sum may be off by one in the last place


@lru_cache(maxsize=1)
def final_columns() -> dict:
    """The `final_columns:` section of the catalogue: header fragment → column meaning, per table family."""
    return yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))["final_columns"]


@dataclass
class FinalTable:
    kind: str
    title: str
    money_unit: str
    line: int
    # summary tables: (line, side 收入|支出, label, amounts by column meaning); code tables: (line, code, name, …)
    items: list[tuple[int, str, str, dict[str, Decimal | None], dict[str, str]]] = field(default_factory=list)

    def amount(self, label_ok, meaning: str | None = None, side: str | None = None) -> tuple[int, str, Decimal | None] | None:
        """The first item whose label passes `label_ok` (and on `side`): (line, printed text, value)."""
        for line, s, label, values, texts in self.items:
            if (side is None or s == side) and label_ok(label):
                m = meaning or next(iter(values), None)
                if m is None or m not in values:
                    return None
                return line, texts[m], values[m]
        return None


@dataclass
class FinalAccounts:
    tables: list[FinalTable] = field(default_factory=list)
    narrative: dict[str, Figure] = field(default_factory=dict)
    placeholders: list[tuple[int, str]] = field(default_factory=list)  # (line, text) of lines with XX

    def first(self, kind: str) -> FinalTable | None:
        return next((t for t in self.tables if t.kind == kind), None)


@dataclass
class FinalDisclosure(Disclosure):
    """A 决算 as recognised: the document row and findings (as any disclosure) and its tables."""

    final: FinalAccounts = field(default_factory=FinalAccounts)


def is_final_kind(kind) -> bool:
    return kind is not None and kind.id.startswith(PREFIX)


def has_final_tables(found: list) -> bool:
    return any(is_final_kind((titled_kind(ft.context) or (None,))[0]) for ft in found)


# ---- cells ------------------------------------------------------------------------------------

def _amount(text: str) -> Decimal | None:
    try:
        return parse_decimal(text)
    except NotANumber:
        return None


def _is_amount(text: str) -> bool:
    return bool(text and text.strip()) and _amount(text) is not None


_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$|^\d{2}$")


def _meaning(label: str, family: str) -> str | None:
    folded = fold(label)
    for fragment, meaning in final_columns()[family].items():
        if fragment in folded:
            return meaning
    return None


# ---- summary tables: 收入 | 支出 label/amount pairs -------------------------------------------

def _parse_summary(ft, table: FinalTable) -> None:
    """Rows of label/amount pairs, 收入 on the left, 支出 on the right; 行次 columns are skipped and the
    支出 side of 财政拨款收入支出决算总表 carries several amount columns (合计, 一般公共预算 …)."""
    header = next((r for r in ft.rows if any(fold(c) in ("项目", "项 目") for c in r)), [])
    skip = {i for i, c in enumerate(header) if fold(c) in ("行次", "栏次")}
    labels_at = [i for i, c in enumerate(header) if fold(c) == "项目"]
    amount_meanings = {i: (_meaning(c, "summary") or f"col{i}") for i, c in enumerate(header)
                       if i not in skip and fold(c) not in ("项目", "")}
    for line, row in zip(ft.row_lines, ft.rows):
        if row is header or len(row) < 2:
            continue
        width_ok = len(row) == len(header)
        starts = labels_at if width_ok and len(labels_at) == 2 else None
        if starts is None:  # a row of another width: its label cells are the non-amount, non-行次 ones
            starts = [i for i, c in enumerate(row) if c and not _is_amount(c)]
        for n, start in enumerate(starts[:2]):
            label = squash(row[start]) if start < len(row) else ""
            if not label or fold(label) in ("栏次",):
                continue
            end = starts[n + 1] if n + 1 < len(starts) else len(row)
            values: dict[str, Decimal | None] = {}
            texts: dict[str, str] = {}
            for i in range(start + 1, end):
                if i >= len(row) or (width_ok and i in skip):
                    continue
                if not width_ok and _CODE.match(row[i] or "") and "." not in row[i] and i == start + 1:
                    continue  # a 行次 cell of a row whose width does not match the header
                meaning = amount_meanings.get(i, f"col{i}") if width_ok else f"col{len(values)}"
                values[meaning], texts[meaning] = _amount(row[i] or ""), row[i] or ""
            side = "收入" if n == 0 and len(starts) > 1 else "支出" if n == 1 else "收入"
            table.items.append((line, side, label, values, texts))


# ---- code tables: code | name | amounts by column meaning ------------------------------------

def _parse_code_table(ft, table: FinalTable) -> None:
    """Lines by functional code (or the 合计 line): the amounts are the row's last cells, one per amount
    column the header names (a group label over 小计/基本支出/项目支出 is not a column of its own)."""
    first_data = next((k for k, r in enumerate(ft.rows) if any(_is_amount(c) and "." in c for c in r)
                       or any(fold(c) == "合计" for c in r) and k > 0), len(ft.rows))
    labels: list[str] = []
    for row in ft.rows[:first_data]:
        for c in row:
            m = _meaning(c, "code")
            if m:
                labels.append(m)
    if "subtotal" in labels:  # 本年支出 / 小计 基本支出 项目支出: the group header is not a column
        labels = [m for m in labels if m != "expenditure_group"]
    labels = ["total" if m == "subtotal" else m for m in labels if m != "expenditure_group"]
    n = len(labels)
    for line, row in zip(ft.row_lines[first_data:], ft.rows[first_data:]):
        names = [squash(c) for c in row if c and not _is_amount(c) and not _CODE.match(squash(c))]
        codes = [squash(c) for c in row if _CODE.match(squash(c) or "")]
        if not names and not codes or n == 0 or len(row) < n:
            continue
        name = next((x for x in names if x not in ("类", "款", "项")), "")
        amounts = row[len(row) - n:]
        if any(c and not _is_amount(c) for c in amounts):
            continue  # a header or note row
        values = {m: _amount(c or "") for m, c in zip(labels, amounts)}
        table.items.append((line, "".join(codes), name, values, dict(zip(labels, amounts))))


# ---- “三公”经费支出决算表 ---------------------------------------------------------------------

THREE_PUBLIC_ORDER = ["three_public_total", "three_public_outbound", "three_public_vehicle_total",
                      "three_public_vehicle_purchase", "three_public_vehicle_operation", "three_public_reception"]


def _parse_three_public(ft, table: FinalTable) -> None:
    """One data row of 12 amounts: the six items (合计, 出国, 公务用车 小计/购置/运行, 接待) × (预算数, 决算数),
    printed as a 预算数 block then a 决算数 block (中央 公开09表) or as 预算数/决算数 pairs per item (上海)."""
    paired = any(sum(fold(c) in ("预算数", "决算数") for c in r) >= 4 for r in ft.rows)
    data = [(ln, r) for ln, r in zip(ft.row_lines, ft.rows) if any(_is_amount(c) and "." in c for c in r)
            and len(r) == 2 * len(THREE_PUBLIC_ORDER)]
    for line, row in data[:1]:
        for k, key in enumerate(THREE_PUBLIC_ORDER):
            budget, final = (row[2 * k], row[2 * k + 1]) if paired else (row[k], row[k + len(THREE_PUBLIC_ORDER)])
            table.items.append((line, "预算数", key, {"amount": _amount(budget)}, {"amount": budget}))
            table.items.append((line, "决算数", key, {"amount": _amount(final)}, {"amount": final}))


PARSERS = {
    "final_income_expenditure_summary": _parse_summary,
    "final_appropriation_summary": _parse_summary,
    "final_income": _parse_code_table,
    "final_expenditure": _parse_code_table,
    "final_general_budget_expenditure": _parse_code_table,
    "final_government_fund": _parse_code_table,
    "final_state_capital": _parse_code_table,
    "final_three_public": _parse_three_public,
}


def read_tables(found: list) -> list[FinalTable]:
    out = []
    for ft in found:
        titled = titled_kind(ft.context)
        if titled is None or not is_final_kind(titled[0]):
            continue
        table = FinalTable(titled[0].id, titled[1], ft.money_unit, ft.line)
        parser = PARSERS.get(table.kind)
        if parser:
            parser(ft, table)
        out.append(table)
    return out


# ---- key figures ------------------------------------------------------------------------------

def _is(*words: str):
    return lambda label: squash(label) in words


def _has(*words: str):
    return lambda label: all(w in squash(label) for w in words)


def _fig(key: str, table: FinalTable | None, hit) -> tuple[str, Figure] | None:
    if table is None or hit is None:
        return None
    line, text, value = hit
    return key, Figure(key, value, text, table.money_unit, line, table.title)


def table_figures(fa: FinalAccounts) -> dict[str, Figure]:
    """The key figures of the 决算's tables (the first table of each kind), by label and column meaning."""
    summary = fa.first("final_income_expenditure_summary")
    expenditure = fa.first("final_expenditure")
    appropriation = fa.first("final_appropriation_summary")
    three = fa.first("final_three_public")
    wanted = [
        ("final_total", summary, lambda t: t.amount(_is("总计"), side="收入")),
        ("final_income_total", summary, lambda t: t.amount(_is("本年收入合计"))),
        ("final_expenditure_total", summary, lambda t: t.amount(_is("本年支出合计"))),
        ("final_carry_forward_begin", summary, lambda t: t.amount(_has("年初结转和结余"))),
        ("final_carry_forward_end", summary, lambda t: t.amount(_has("年末结转和结余"))),
        ("final_expenditure_table_total", expenditure, lambda t: t.amount(_is("合计"), "total")),
        ("final_expenditure_table_basic", expenditure, lambda t: t.amount(_is("合计"), "basic")),
        ("final_expenditure_table_project", expenditure, lambda t: t.amount(_is("合计"), "project")),
        ("final_appropriation_total", appropriation, lambda t: t.amount(_is("总计"), side="收入")),
        ("final_three_public_budget", three, lambda t: t.amount(_is("three_public_total"), side="预算数")),
    ]
    wanted += [(f"final_{key}", three, lambda t, key=key: t.amount(_is(key), side="决算数"))
               for key in THREE_PUBLIC_ORDER]
    out: dict[str, Figure] = {}
    for key, table, find in wanted:
        got = _fig(key, table, find(table) if table is not None else None)
        if got and got[1].value is not None:
            out[key] = got[1]
    return out


# ---- the 情况说明 -----------------------------------------------------------------------------

_NUM = r"(\d[\d,]*(?:\.\d+)?)"
NARRATIVE_SENTENCES = {
    # 收入支出总计2995.39万元 / 收、支总计22066.59万元 (not the 财政拨款 one)
    "narrative_final_total": re.compile(r"(?<!财政拨款)(?:收入支出|收、支|收支)总计(?:为)?" + _NUM + r"万元"),
    # 财政拨款收入支出总计0.3万元 / 财政拨款收支总决算20727.53万元
    "narrative_final_appropriation_total": re.compile(r"财政拨款(?:收入支出|收、支|收支)总(?:计|决算)(?:为)?" + _NUM + r"万元"),
    # “三公”经费财政拨款支出(年初)预算为76.43万元，2024年度支出决算为46.21万元
    "narrative_final_three_public_total": re.compile(r"三公经费财政拨款支出[^。]{0,40}?支出决算为" + _NUM + r"万元"),
}
_PART_THREE = re.compile(r"^第三部分")
_PLACEHOLDER = re.compile(r"[XＸ]{2,}")


def _narrative_lines(grid: GridDocument) -> list[Paragraph]:
    paragraphs = [b for b in grid.blocks if isinstance(b, Paragraph)]
    starts = [k for k, p in enumerate(paragraphs) if _PART_THREE.match(squash(p.text)) and "说明" in squash(p.text)]
    return paragraphs[starts[-1]:] if starts else paragraphs


def read_narrative(grid: GridDocument) -> dict[str, Figure]:
    """The 情况说明's totals: its lines joined (a sentence wraps over printed lines), each figure at the
    line where its amount starts."""
    lines = _narrative_lines(grid)
    text, at = "", []
    for p in lines:
        s = fold(p.text)
        at.append((len(text), p.line))
        text += s
    out: dict[str, Figure] = {}
    for key, pattern in NARRATIVE_SENTENCES.items():
        m = pattern.search(text)
        if m:
            line = max((ln for off, ln in at if off <= m.start(1)), default=0)
            out[key] = Figure(key, _amount(m.group(1)), m.group(1), "万元", line, "情况说明")
    return out


def read_placeholders(grid: GridDocument) -> list[tuple[int, str]]:
    out = []
    for b in grid.blocks:
        if isinstance(b, Paragraph) and _PLACEHOLDER.search(b.text):
            out.append((b.line, b.text))
        elif not isinstance(b, Paragraph):
            for line, row in zip(getattr(b, "row_lines", None) or [], b.rows):
                if any(_PLACEHOLDER.search(c or "") for c in row):
                    out.append((line, " ".join(c for c in row if c)))
    return out


# ---- rules ------------------------------------------------------------------------------------

def _diff_finding(what: str, expected: Decimal, actual: Decimal, *, rule_id: str, ref: str) -> Finding | None:
    diff = actual - expected
    if diff == 0:
        return None
    if abs(diff) <= ROUNDING:
        return Finding(rule_id, "info", f"{ref}: {what}: {actual} vs {expected}, off by {diff} — the 尾数误差 of "
                       "amounts rounded to 0.01 万元", table_ref=ref, expected=expected, actual=actual)
    return Finding(rule_id, "error", f"{ref}: {what}: {actual} printed, {expected} expected", table_ref=ref,
                   expected=expected, actual=actual)


def _v(hit) -> Decimal:
    return hit[2] if hit and hit[2] is not None else Decimal(0)


def check_totals(fa: FinalAccounts) -> list[Finding]:
    out: list[Finding | None] = []
    for kind in ("final_income_expenditure_summary", "final_appropriation_summary"):
        t = fa.first(kind)
        if t is None:
            continue
        income_total, spend_total = t.amount(_is("总计"), side="收入"), t.amount(_is("总计"), side="支出")
        if income_total is None or income_total[2] is None:
            continue
        income = _v(t.amount(_is("本年收入合计"))) + _v(t.amount(_has("使用非财政拨款结余"))) + _v(t.amount(_has("年初", "结转和结余")))
        spend = _v(t.amount(_is("本年支出合计"))) + _v(t.amount(_is("结余分配"))) + _v(t.amount(_has("年末", "结转和结余")))
        out.append(_diff_finding("收入 总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
                                 income, income_total[2], rule_id="FA-TOTAL", ref=t.title))
        if spend_total and spend_total[2] is not None:
            out.append(_diff_finding("支出 总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
                                     spend, spend_total[2], rule_id="FA-TOTAL", ref=t.title))
            out.append(_diff_finding("支出 总计 = 收入 总计", income_total[2], spend_total[2], rule_id="FA-TOTAL", ref=t.title))
    for kind in ("final_expenditure", "final_general_budget_expenditure"):
        t = fa.first(kind)
        hit = t.amount(_is("合计"), "total") if t else None
        if hit is None or hit[2] is None:
            continue
        values = next(v for _, _, label, v, _ in t.items if squash(label) == "合计")
        parts = sum((values.get(m) or Decimal(0)) for m in ("basic", "project", "to_superior", "business", "subsidiary"))
        out.append(_diff_finding("合计 = 基本支出 + 项目支出 + 上缴上级支出 + 经营支出 + 对附属单位补助支出",
                                 parts, hit[2], rule_id="FA-TOTAL", ref=t.title))
    return [f for f in out if f is not None]


def check_cross(fa: FinalAccounts, figures: dict[str, Figure]) -> list[Finding]:
    out = []
    a, b = figures.get("final_expenditure_total"), figures.get("final_expenditure_table_total")
    if a and b:
        out.append(_diff_finding(f"合计 = {a.title} 本年支出合计", a.value, b.value, rule_id="FA-CROSS", ref=b.title))
    t, g = fa.first("final_appropriation_summary"), fa.first("final_general_budget_expenditure")
    spent = t.amount(_is("本年支出合计")) if t else None
    gb = g.amount(_is("合计"), "total") if g else None
    if spent and spent[2] is not None and gb and gb[2] is not None:
        others = Decimal(0)
        for kind in ("final_government_fund", "final_state_capital"):
            o = fa.first(kind)
            hit = o.amount(_is("合计"), "total") if o else None
            others += _v(hit)
        out.append(_diff_finding("本年支出合计 = 一般公共预算 + 政府性基金 + 国有资本经营预算 "
                                 "财政拨款支出决算表 合计", gb[2] + others, spent[2], rule_id="FA-CROSS", ref=t.title))
    return [f for f in out if f is not None]


NARRATIVE_AGAINST = {
    "narrative_final_total": ("final_total", "收入支出总计"),
    "narrative_final_appropriation_total": ("final_appropriation_total", "财政拨款收入支出总计"),
    "narrative_final_three_public_total": ("final_three_public_total", "“三公”经费财政拨款支出决算"),
}


def check_narrative(figures: dict[str, Figure], three_public_printed: bool) -> list[Finding]:
    out = []
    for key, (table_key, what) in NARRATIVE_AGAINST.items():
        said = figures.get(key)
        if said is None or said.value is None:
            continue
        table = figures.get(table_key)
        if table is None:
            if table_key != "final_three_public_total" or not three_public_printed:
                continue
            table_value = Decimal(0)  # the “三公” table prints its 决算数 cells blank: nothing was spent
            title = "“三公”经费支出决算表"
        else:
            table_value, title = table.value, table.title
        if said.value != table_value:
            rounded = abs(said.value - table_value) <= ROUNDING
            out.append(Finding("FA-NARRATIVE", "info" if rounded else "error",
                               f"情况说明 (line {said.line}) states {what} {said.text}万元, {title} prints {table_value}",
                               table_ref=title, location=f"line {said.line}", expected=table_value, actual=said.value))
    return out


def check_placeholders(fa: FinalAccounts) -> list[Finding]:
    if not fa.placeholders:
        return []
    first = "; ".join(f"line {ln}: {text[:40]}" for ln, text in fa.placeholders[:3])
    return [Finding("FA-PLACEHOLDER", "error", f"{len(fa.placeholders)} lines still carry template placeholders "
                    f"(XX, XXX …) instead of the unit's name, amounts and reasons — {first}",
                    location=f"line {fa.placeholders[0][0]}")]


# ---- the whole document -----------------------------------------------------------------------

_COVER = re.compile(r"^(?P<name>.{2,40}?)(?P<year>20\d{2})年度?(?P<level>部门|单位)决算")


def cover_identity(grid: GridDocument) -> tuple[str | None, int | None, str | None]:
    """Unit, year and level from the cover ("国家信访局" / "2024年度部门决算"), its lines joined."""
    paragraphs = [squash(b.text) for b in grid.blocks if isinstance(b, Paragraph)][:6]
    for k in range(len(paragraphs)):
        m = _COVER.match("".join(paragraphs[k:k + 2]))
        if m:
            return m.group("name"), int(m.group("year")), m.group("level")
    return None, None, None


def recognize_final_accounts(grid: GridDocument, found: list, document_row) -> FinalDisclosure:
    """A 决算 file whose tables are recognised: `document_row` (ingest.recognize._document_row) writes
    its raw_documents row."""
    d = FinalDisclosure(source_name=grid.source_name)
    fa = d.final
    fa.tables = read_tables(found)
    fa.narrative = read_narrative(grid)
    fa.placeholders = read_placeholders(grid)
    name, year, level = cover_identity(grid)
    facts = {"unit": name, "variants": [name] if name else [], "year": year, "kind": "决算",
             "title": f"{year}年度{level}决算" if year else None, "signed": None, "level": level}
    document_row(d, grid, facts, tables_found=len(fa.tables), part="whole")
    figures = table_figures(fa) | fa.narrative
    d.findings += check_totals(fa) + check_cross(fa, figures)
    d.findings += check_narrative(figures, fa.first("final_three_public") is not None
                                  and any(v == "决算数" for _, v, *_ in fa.first("final_three_public").items))
    d.findings += check_placeholders(fa)
    return d


def final_figures(d: Disclosure) -> dict[str, Figure]:
    """The key figures of a recognised 决算 (tables and 情况说明), for `make realworld`."""
    if not isinstance(d, FinalDisclosure):
        return {}
    return table_figures(d.final) | d.final.narrative
