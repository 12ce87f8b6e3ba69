"""决算 (final accounts): a unit's 部门决算 of a year, read by table kind like a 预算.

Every unit publishes a 预算 in spring and the 决算 of the same year the next summer. A 决算 file is
recognised here, not refused: its tables by the `final_*` kinds of ``table_kinds.yaml`` (收入支出决算总表,
收入决算表, 支出决算表, 财政拨款收入支出决算总表, 一般公共预算财政拨款支出决算表, …基本支出决算表,
政府性基金…决算表, 国有资本经营…决算表, “三公”经费支出决算表, 项目绩效自评表), their columns by header
meaning (``final_columns:`` in the same catalogue), and the 情况说明's own totals (收入支出总计,
财政拨款收入支出总计, “三公”经费 支出决算) by sentence.

What it yields:
* the document row (raw_documents, disclosure_kind 决算), the 情况说明's figures (raw_narrative_facts,
  fact keys ``final.*``) and the findings of the FA-* rules (below), which a load writes to the lake
  like any other document's (the marts read disclosure_kind = '预算' only);
* every line of every 项目绩效自评表 as a row of ``raw_final_evaluation_lines`` (final_evaluation.py);
* every amount cell of every recognised table as a row of the lake's ``raw_final_lines``
  (ingest/model.py: table kind and title, line label, functional / economic code, side, column
  meaning, amount in 万元, printed text and line), read by dbt's stg_final_lines, then the 决算 facts
  (fct_final_*) and the execution marts (预算 vs 决算). ``make realworld`` measures the key figures against
  tests/realworld/truth/final-accounts/.

Rules (ids registered in ingest/rule_ids.py; 0.01 万元 off is the 尾数误差 of amounts rounded to 万元: info):
* FA-TOTAL: a table's own identities — a 收支 summary's 总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和
  结余 = 本年支出合计 + 结余分配 + 年末结转和结余; a code table's 合计 line = the sum of its columns.
* FA-CROSS: the same figure in two tables (本年收入/支出合计 vs 收入/支出决算表 合计; 财政拨款 本年支出合计 vs
  the 财政拨款支出决算表s; 人员 + 公用经费合计 vs 基本支出; each summary 支出 line by 类 vs its 类 line).
* FA-NARRATIVE: a figure the 情况说明 states (总计, 本年收入/支出合计, 财政拨款收入支出总计, 一般公共预算 支出 /
  基本 / 人员 / 公用, “三公” 预算 and 决算, each 项's 支出决算) against the table that prints it.
* FA-COMPLETION: a 情况说明 statement against its own amounts (完成预算的 x%, 决算数大于/小于预算数).
* FA-PLACEHOLDER: template placeholders (XX, XXX, XXXXXXXX) left in the published text.
* FA-WORDING: a statement's words against its amounts (增加 … 下降; 增长 x% against the change over the year
  before; 决算数与预算数持平 with two different amounts).
* FA-PARTS: parts the 情况说明 lists against the total it states (政府采购 货物/工程/服务, vehicles by kind).
* FA-EVALUATION: each 项目绩效自评表's own arithmetic (final_evaluation.py, which reads the forms into
  ``raw_final_evaluation_lines``); the 情况说明's 自评 of each project against its form is FA-NARRATIVE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import yaml

from ingest import fact_keys
from ingest.amounts import NotANumber, parse_decimal, to_wan_yuan
from ingest.disclosure import Disclosure, Finding
from ingest.grid import GridDocument, Paragraph
from ingest.recognize.common import squash
from ingest.recognize.figures import Figure, titled_kind
from ingest.recognize.final_evaluation import (
    SelfEvaluation,
    bad_cells,
    check_evaluation,
    evaluation_rows,
    read_evaluations,
)
from ingest.recognize.identity import identify
from ingest.recognize.kinds import CATALOGUE_PATH, fold
from ingest.recognize.narrative import signed
from ingest.model import ECONOMIC_CODE, FUNCTIONAL_CODE, RAW_TABLES

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
    "final_general_budget_total": "一般公共预算财政拨款支出决算表 合计",
    "final_general_budget_basic": "一般公共预算财政拨款支出决算表 基本支出",
    "final_basic_personnel": "一般公共预算财政拨款基本支出决算表 人员经费合计",
    "final_basic_public": "一般公共预算财政拨款基本支出决算表 公用经费合计",
    "final_three_public_budget": "“三公”经费 预算数 合计",
    "final_three_public_total": "“三公”经费 决算数 合计",
    "final_three_public_outbound": "因公出国（境）费 决算数",
    "final_three_public_vehicle_total": "公务用车购置及运行维护费 决算数",
    "final_three_public_vehicle_purchase": "公务用车购置费 决算数",
    "final_three_public_vehicle_operation": "公务用车运行维护费 决算数",
    "final_three_public_reception": "公务接待费 决算数",
    "final_evaluation_full_year_budget": "项目绩效自评表 (the first) 年度资金总额 全年预算数",
    "final_evaluation_executed": "项目绩效自评表 (the first) 年度资金总额 全年执行数",
    "final_evaluation_execution_rate": "项目绩效自评表 (the first) 年度资金总额 执行率",
    "final_evaluation_funds_score": "项目绩效自评表 (the first) 年度资金总额 得分",
    "final_evaluation_total_score": "项目绩效自评表 (the first) 总分",
    "final_evaluation_indicators": "项目绩效自评表 (the first) number of 三级指标 lines",
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
    money_unit: str  # 万元 once read (read_tables converts a table printed in 元 or 千元)
    line: int
    printed_unit: str = "万元"  # the unit the table prints (金额单位)
    # summary tables: (line, side 收入|支出, label, amounts by column meaning); code tables: (line, code, name, …)
    items: list[tuple[int, str, str, dict[str, Decimal | None], dict[str, str]]] = field(default_factory=list)

    def amount(
        self, label_ok, meaning: str | None = None, side: str | None = None
    ) -> tuple[int, str, Decimal | None] | None:
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
    facts: list[dict] = field(default_factory=list)  # the 情况说明's figures (raw_narrative_facts rows)
    completions: list = field(default_factory=list)  # its 预算 vs 决算 statements (Completion)
    changes: list = field(default_factory=list)  # its statements of change against the year before (Change)
    placeholders: list[tuple[int, str]] = field(default_factory=list)  # (line, text) of lines with XX
    evaluations: list[SelfEvaluation] = field(default_factory=list)  # its 项目绩效自评表 (final_evaluation.py)

    def first(self, kind: str) -> FinalTable | None:
        return next((t for t in self.tables if t.kind == kind), None)


# Every amount cell of a 决算's tables, one row each (long format: one declaration for all its tables)
RAW_FINAL_LINES = RAW_TABLES["raw_final_lines"]
THREE_PUBLIC_NAMES = {
    "three_public_total": "合计",
    "three_public_outbound": "因公出国（境）费",
    "three_public_vehicle_total": "公务用车购置及运行维护费",
    "three_public_vehicle_purchase": "公务用车购置费",
    "three_public_vehicle_operation": "公务用车运行维护费",
    "three_public_reception": "公务接待费",
}
_FUNCTIONAL = re.compile(f"^(?:{FUNCTIONAL_CODE})$")
_ECONOMIC = re.compile(f"^(?:{ECONOMIC_CODE})$")


def final_rows(fa: FinalAccounts) -> list[dict]:
    """The rows of RAW_FINAL_LINES for every printed amount of the recognised tables (blank cells are
    not rows; a cell that is not a number keeps its text with no amount)."""
    out = []
    for table_no, t in enumerate(fa.tables, start=1):
        for row_no, (line, side, label, values, texts) in enumerate(t.items, start=1):
            code = economic = None
            if t.kind == "final_three_public":
                side, meaning_of = side, {"amount": label}
                label = THREE_PUBLIC_NAMES.get(label, label)
            elif PARSERS.get(t.kind) is _parse_code_table:
                code, side, meaning_of = (side if _FUNCTIONAL.match(side or "") else None), None, {}
            elif t.kind == "final_general_budget_basic":
                economic, side, meaning_of = (side if _ECONOMIC.match(side or "") else None), None, {}
            else:
                meaning_of = {}
            for meaning, text in texts.items():
                if not (text or "").strip():
                    continue
                out.append(
                    {
                        "table_no": table_no,
                        "table_kind": t.kind,
                        "table_title": t.title,
                        "row_no": row_no,
                        "side": side,
                        "line_label": label or None,
                        "functional_code": code,
                        "economic_code": economic,
                        "column_meaning": meaning_of.get(meaning, meaning),
                        "amount_wan_yuan": values.get(meaning),  # read_tables converted the table to 万元
                        "printed_text": text,
                        "line_no": line,
                    }
                )
    return out


@dataclass
class FinalDisclosure(Disclosure):
    """A 决算 as recognised: its rows (raw_documents, raw_narrative_facts, raw_final_lines) and findings,
    as any disclosure's, and its tables as read (`final`)."""

    final: FinalAccounts = field(default_factory=FinalAccounts)


def is_final_kind(kind) -> bool:
    return kind is not None and kind.id.startswith(PREFIX)


def is_final_accounts_tables(found: list) -> bool:
    """Most of the tables whose kind is recognised are 决算 kinds (a 预算 never prints a majority of
    them; a 决算's titles may still say 预算 — 一般公共预算财政拨款…决算表)."""
    kinds = [k for k in ((titled_kind(ft.context) or (None,))[0] for ft in found) if k is not None]
    finals = sum(is_final_kind(k) for k in kinds)
    return finals > 0 and finals * 2 > len(kinds)


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
    header = next((r for r in ft.rows if any(fold(c) == "项目" for c in r)), [])
    skip = {i for i, c in enumerate(header) if fold(c) in ("行次", "栏次")}
    labels_at = [i for i, c in enumerate(header) if fold(c) == "项目"]
    amount_meanings = {
        i: (_meaning(c, "summary") or f"col{i}")
        for i, c in enumerate(header)
        if i not in skip and fold(c) not in ("项目", "")
    }
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
            side = ("收入" if n == 0 else "支出") if len(starts) > 1 else _side_of(label)
            table.items.append((line, side, label, values, texts))


def _side_of(label: str) -> str:
    """The side of a label printed alone on its row (a wrapped or short row): 支出 lines name 支出,
    年末结转和结余 or 结余分配."""
    return "支出" if re.search(r"支出|年末|结余分配", label) and "收入" not in label else "收入"


# ---- code tables: code | name | amounts by column meaning ------------------------------------

GROUP_CHILDREN = ("subtotal", "total", "basic", "project")
# group headers over 小计 / 基本支出 / 项目支出: 本年支出 (支出决算表), 决算数 (a 支出决算表 that prints 年初预算数 /
# 调整预算数 / 全年预算数 beside it); with no such columns under it, a group header is the column itself (合计)
GROUPS = ("expenditure_group", "final_group")
PERCENT = (
    "completion_pct",
)  # a column of percentages (决算数为全年预算数的%): its cells print a %, they are no amount


def _cell(text: str | None, meaning: str) -> str:
    t = (text or "").strip()
    return t[:-1] if meaning in PERCENT and t.endswith(("%", "％")) else t


def _parse_code_table(ft, table: FinalTable) -> None:
    """Lines by functional code (or the 合计 line): the amounts are the row's last cells, one per amount
    column the header names (a group label over 小计/基本支出/项目支出 is not a column of its own)."""
    first_data = next(
        (
            k
            for k, r in enumerate(ft.rows)
            if any(_is_amount(c) and "." in c for c in r) or any(fold(c) == "合计" for c in r) and k > 0
        ),
        len(ft.rows),
    )
    by_row = [[m for c in row if (m := _meaning(c, "code"))] for row in ft.rows[:first_data]]
    by_row = [ms for ms in by_row if ms]
    top, below = (by_row[0], [m for ms in by_row[1:] for m in ms]) if by_row else ([], [])
    group = next((g for g in GROUPS if g in top), None)
    if group and any(m in GROUP_CHILDREN for m in below):
        # 年初结转和结余 | 本年收入 | 本年支出 (小计 基本支出 项目支出) | 年末结转和结余: the children take
        # the group's place in the printed order
        k = top.index(group)
        children = [m for m in below if m in GROUP_CHILDREN]
        labels = top[:k] + children + top[k + 1 :] + [m for m in below if m not in GROUP_CHILDREN]
    else:
        labels = top + below
    labels = ["total" if m == "subtotal" or m == "final_group" else m for m in labels]
    n = len(labels)
    for line, row in zip(ft.row_lines[first_data:], ft.rows[first_data:]):
        names = [squash(c) for c in row if c and not _is_amount(c) and not _CODE.match(squash(c))]
        codes = [squash(c) for c in row if _CODE.match(squash(c) or "")]
        if not names and not codes or n == 0 or len(row) < n:
            continue
        name = next((x for x in names if x not in ("类", "款", "项")), "")
        amounts = row[len(row) - n :]
        if any(c and not _is_amount(_cell(c, m)) for m, c in zip(labels, amounts)):
            continue  # a header or note row
        values = {m: None if m in PERCENT else _amount(_cell(c, m)) for m, c in zip(labels, amounts)}
        table.items.append((line, "".join(codes), name, values, dict(zip(labels, amounts))))


# ---- “三公”经费支出决算表 ---------------------------------------------------------------------

THREE_PUBLIC_ORDER = [
    "three_public_total",
    "three_public_outbound",
    "three_public_vehicle_total",
    "three_public_vehicle_purchase",
    "three_public_vehicle_operation",
    "three_public_reception",
]


def _parse_three_public(ft, table: FinalTable) -> None:
    """One data row of 12 amounts: the six items (合计, 出国, 公务用车 小计/购置/运行, 接待) × (预算数, 决算数),
    printed as a 预算数 block then a 决算数 block (中央 公开09表) or as 预算数/决算数 pairs per item (上海)."""
    paired = any(sum(fold(c) in ("预算数", "决算数") for c in r) >= 4 for r in ft.rows)
    data = [
        (ln, r)
        for ln, r in zip(ft.row_lines, ft.rows)
        if any(_is_amount(c) and "." in c for c in r) and len(r) == 2 * len(THREE_PUBLIC_ORDER)
    ]
    for line, row in data[:1]:
        for k, key in enumerate(THREE_PUBLIC_ORDER):
            budget, final = (row[2 * k], row[2 * k + 1]) if paired else (row[k], row[k + len(THREE_PUBLIC_ORDER)])
            table.items.append((line, "预算数", key, {"amount": _amount(budget)}, {"amount": budget}))
            table.items.append((line, "决算数", key, {"amount": _amount(final)}, {"amount": final}))


def _parse_economic_pairs(ft, table: FinalTable) -> None:
    """一般公共预算财政拨款基本支出决算表: column groups side by side (科目编码 | 科目名称 | 决算数, two or
    three times), closed by 人员经费合计 / 公用经费合计: every name followed by an amount is a line, its
    economic code the code cells just before it (301 | 01 → 30101)."""
    for line, row in zip(ft.row_lines, ft.rows):
        code: list[str] = []
        for k, cell in enumerate(row):
            c = squash(cell)
            if _CODE.match(c) and "." not in c:
                code.append(c)
                continue
            if c and not _is_amount(c) and k + 1 < len(row) and _is_amount(row[k + 1]):
                table.items.append((line, "".join(code), c, {"amount": _amount(row[k + 1])}, {"amount": row[k + 1]}))
            if not _is_amount(c):
                code = [] if c else code


PARSERS = {
    "final_income_expenditure_summary": _parse_summary,
    "final_appropriation_summary": _parse_summary,
    "final_income": _parse_code_table,
    "final_expenditure": _parse_code_table,
    "final_general_budget_expenditure": _parse_code_table,
    "final_government_fund": _parse_code_table,
    "final_state_capital": _parse_code_table,
    "final_three_public": _parse_three_public,
    "final_general_budget_basic": _parse_economic_pairs,
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
        out.append(_in_wan_yuan(table))
    return out


def _in_wan_yuan(table: FinalTable) -> FinalTable:
    """A table printed in 元 (金额单位：元, as district templates print some) with its amounts in 万元, exactly, so
    the rules compare it with the 万元 tables and the 情况说明; the printed texts stay as printed and
    ``printed_unit`` keeps the table's own unit."""
    table.printed_unit = table.money_unit or "万元"
    if table.printed_unit == "万元":
        return table
    for _, _, _, values, _ in table.items:
        for meaning, value in values.items():
            values[meaning] = to_wan_yuan(value, table.printed_unit)
    table.money_unit = "万元"
    return table


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
    general, basic = fa.first("final_general_budget_expenditure"), fa.first("final_general_budget_basic")
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
        ("final_general_budget_total", general, lambda t: t.amount(_is("合计"), "total")),
        ("final_general_budget_basic", general, lambda t: t.amount(_is("合计"), "basic")),
        ("final_basic_personnel", basic, lambda t: t.amount(_is("人员经费合计"))),
        ("final_basic_public", basic, lambda t: t.amount(_is("公用经费合计"))),
        ("final_three_public_budget", three, lambda t: t.amount(_is("three_public_total"), side="预算数")),
    ]
    wanted += [
        (f"final_{key}", three, lambda t, key=key: t.amount(_is(key), side="决算数")) for key in THREE_PUBLIC_ORDER
    ]
    out: dict[str, Figure] = {}
    for key, table, find in wanted:
        got = _fig(key, table, find(table) if table is not None else None)
        if got and got[1].value is not None:
            out[key] = got[1]
    return out


# ---- the 情况说明 -----------------------------------------------------------------------------

_NUM = r"(\d[\d,]*(?:\.\d+)?)"
# The 情况说明's figures, in the folded text (no spaces or quotes, half-width brackets): fact key →
# (the sentence's pattern, its first group the amount; the value's unit). The first match counts.
FACT_SENTENCES = {
    # 收入支出总计2995.39万元 / 收、支总计22066.59万元 (not the 财政拨款 one)
    "final.total": (r"(?<!财政拨款)(?:收入支出|收、支|收支)总计(?:为)?" + _NUM + r"万元", "万元"),
    "final.income_total": (r"本年收入合计" + _NUM + r"万元", "万元"),
    "final.expenditure_total": (r"本年支出合计" + _NUM + r"万元", "万元"),
    # 财政拨款收入支出总计0.3万元 / 财政拨款收支总决算20727.53万元
    "final.appropriation_total": (r"财政拨款(?:收入支出|收、支|收支)总(?:计|决算)(?:为)?" + _NUM + r"万元", "万元"),
    # 一般公共预算财政拨款支出2940.05万元，占本年支出合计… / 2024年度财政拨款支出13733.8万元
    "final.general_budget.actual": (r"(?<!三公经费)(?:一般公共预算)?财政拨款支出" + _NUM + r"万元", "万元"),
    "final.general_budget.budget": (r"财政拨款支出年初预算为" + _NUM + r"万元", "万元"),
    "final.general_budget.completion_pct": (r"完成年初预算的" + _NUM + r"%", "%"),
    "final.basic.total": (r"财政拨款基本支出" + _NUM + r"万元", "万元"),
    "final.basic.personnel": (r"人员经费" + _NUM + r"万元", "万元"),
    "final.basic.public": (r"公用经费" + _NUM + r"万元", "万元"),
    # “三公”经费财政拨款支出(年初)预算为76.43万元，2024年度支出决算为46.21万元，完成预算的60.46%
    "final.three_public.budget": (r"三公经费财政拨款支出(?:年初)?预算为" + _NUM + r"万元", "万元"),
    "final.three_public.total": (r"三公经费财政拨款支出[^。]{0,40}?支出决算为" + _NUM + r"万元", "万元"),
    "final.three_public.completion_pct": (r"三公经费财政拨款支出[^。]{0,80}?完成预算的" + _NUM + r"%", "%"),
    "final.office_operation": (r"机关运行经费支出" + _NUM + r"万元", "万元"),
    # 政府采购金额(以合同签订为准)为251.25万元 / 政府采购支出总额1967.42万元
    "final.procurement.total": (r"政府采购(?:金额\(以合同签订为准\)为|支出总额)" + _NUM + r"万元", "万元"),
    "final.assets.vehicles": (r"共有车辆" + _NUM + r"辆", "辆"),
    # 政府采购货物支出171.7万元 / 货物采购金额4.79万元 (and 工程, 服务)
    "final.procurement.goods": (r"(?:政府采购货物|货物采购)(?:支出|金额)" + _NUM + r"万元", "万元"),
    "final.procurement.works": (r"(?:政府采购工程|工程采购)(?:支出|金额)" + _NUM + r"万元", "万元"),
    "final.procurement.services": (r"(?:政府采购服务|服务采购)(?:支出|金额)" + _NUM + r"万元", "万元"),
    "final.procurement.sme_awarded": (r"授予中小企业合同金额" + _NUM + r"万元", "万元"),
    "final.procurement.small_micro_awarded": (r"授予小微企业合同金额" + _NUM + r"万元", "万元"),
    "final.procurement.sme_reserved": (r"面向中小企业预留政府采购项目预算金额" + _NUM + r"万元", "万元"),
    "final.procurement.small_micro_reserved": (r"面向小微企业预留政府采购项目预算金额" + _NUM + r"万元", "万元"),
    # 单价100万元(含)以上设备(不含车辆)2台(套)
    "final.assets.equipment_over_1m": (
        r"单价100万元(?:\(含\))?以上(?:的)?设备(?:\(不含车辆\))?" + _NUM + r"台\(套\)",
        "台（套）",
    ),
    # 上海: 编报绩效目标的2024年度项目4个，涉及预算金额598.42万元；…绩效自评的2024年度项目4个，涉及预算金额
    # 598.42万元，平均得分99.43分
    "final.performance.target_count": (r"编报绩效目标的(?:20\d{2}年度)?项目" + _NUM + r"个", "个"),
    "final.performance.target_amount": (
        r"编报绩效目标的(?:20\d{2}年度)?项目\d+个[，,]涉及预算金额" + _NUM + r"万元",
        "万元",
    ),
    "final.performance.self_evaluated_count": (r"绩效自评的(?:20\d{2}年度)?项目" + _NUM + r"个", "个"),
    "final.performance.self_evaluated_amount": (
        r"绩效自评的(?:20\d{2}年度)?项目\d+个[，,]涉及预算金额" + _NUM + r"万元",
        "万元",
    ),
    "final.performance.self_evaluated_average_score": (r"绩效自评的[^。；]{0,60}?平均得分" + _NUM + r"分", "分"),
    # 国家信访局在2024年度中央部门决算中反映了…4个项目绩效自评结果
    "final.evaluation.count": (r"反映了[^。]{0,80}?" + _NUM + r"个项目(?:的)?绩效自评结果", "个"),
}
_SENTENCES = {key: re.compile(pattern) for key, (pattern, _) in FACT_SENTENCES.items()}
# The figures `make realworld` compares (bench/realworld.py): figure key → fact key
NARRATIVE_FIGURES = {
    "narrative_final_total": "final.total",
    "narrative_final_appropriation_total": "final.appropriation_total",
    "narrative_final_three_public_total": "final.three_public.total",
}
_PART_THREE = re.compile(r"^第三部分")
_PLACEHOLDER = re.compile(r"[XＸ]{2,}")


# A 预算 vs 决算 statement: "…年初预算为1560.05万元，支出决算为1511.89万元(，完成年初预算的96.91%)。决算数小于
# 预算数的主要原因：…" — of the 一般公共预算 total, of each 项 ("1、一般公共服务支出（类）财政事务（款）行政运行
# （项）。主要用于：…"), of the “三公” total. The % and the 大于/小于 that follow (before the next statement)
# belong to it.
_COMPLETION = re.compile(r"预算为" + _NUM + r"万元[，,]?(?:20\d{2}年度)?支出决算为" + _NUM + r"万元")
_PERCENT = re.compile(r"^[，,。]?完成(?:年初)?预算的" + _NUM + r"%")
_DIRECTION = re.compile(r"决算数(大于|小于|与)预算数")
_FLAT = re.compile(r"决算数与预算数((?:基本)?持平)")
_ITEM = re.compile(r"\d+[、.](?P<subject>[^。；]{2,80}?\(项\))")


@dataclass(frozen=True)
class Completion:
    subject: str | None  # the 项 ("一般公共服务支出(类)财政事务(款)行政运行(项)"), None for a total
    budget: Decimal
    actual: Decimal
    pct: Decimal | None
    pct_text: str | None
    direction: str | None  # 大于 | 小于 | 与 (持平)
    line: int | None
    sentence: str
    flat: str | None = None  # 持平 | 基本持平 when it says 决算数与预算数(基本)持平


def read_completions(text: str, line_at) -> list[Completion]:
    out = []
    matches = list(_COMPLETION.finditer(text))
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else min(len(text), m.end() + 300)
        after = text[m.end() : end]
        pct = _PERCENT.match(after)
        direction = _DIRECTION.search(after)
        flat = _FLAT.search(after)
        before = text[max(0, m.start() - 200) : m.start()]
        item = None
        for item in _ITEM.finditer(before):
            pass
        subject = item.group("subject") if item and "预算为" not in before[item.end() :] else None
        stop = text.find("。", m.end())
        out.append(
            Completion(
                subject,
                _amount(m.group(1)),
                _amount(m.group(2)),
                _amount(pct.group(1)) if pct else None,
                pct.group(1) if pct else None,
                direction.group(1) if direction else None,
                line_at(m.start(1)),
                text[max(0, m.start() - 60) : stop + 1 if stop >= 0 else m.end()],
                flat.group(1) if flat else None,
            )
        )
    return out


def _narrative_lines(grid: GridDocument) -> list[Paragraph]:
    paragraphs = [b for b in grid.blocks if isinstance(b, Paragraph)]
    starts = [k for k, p in enumerate(paragraphs) if _PART_THREE.match(squash(p.text)) and "说明" in squash(p.text)]
    return paragraphs[starts[-1] :] if starts else paragraphs


def narrative_text(grid: GridDocument) -> tuple[str, object]:
    """The 情况说明's lines joined and folded (a sentence wraps over printed lines), and a function from an
    offset in it to the printed line."""
    text, at = "", []
    for p in _narrative_lines(grid):
        at.append((len(text), p.line))
        text += fold(p.text)
    return text, lambda offset: max((ln for off, ln in at if off <= offset), default=None)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence (or clause closed by ；) around text[start:end]."""
    begin = max(text.rfind("。", 0, start), text.rfind("；", 0, start)) + 1
    stop = min((x for x in (text.find("。", end), text.find("；", end)) if x >= 0), default=len(text))
    return text[begin : stop + 1][:300]


def _fact(out: list[dict], key: str, m: re.Match, group, unit: str, text: str, line_at, subject: str | None = None):
    """A raw_narrative_facts row of the number `m` captured in `group`, with its sentence and line."""
    out.append(
        {
            "fact_no": len(out) + 1,
            "section": "情况说明",
            "fact_key": key,
            "subject": subject,
            "value": _amount(m.group(group)),
            "value_unit": unit,
            "value_text": m.group(group),
            "sentence": _sentence(text, m.start(), m.end()),
            "line_no": line_at(m.start(group)),
        }
    )


def read_narrative(grid: GridDocument) -> tuple[list[dict], list[Completion], list[Change]]:
    """The 情况说明's figures as raw_narrative_facts rows (each with its sentence and the line where its
    amount starts), its 预算 vs 决算 statements — each 项's also as facts (subject = the 项) — and its
    statements of change against the year before (final.change, final.change_pct; subject as printed)."""
    text, line_at = narrative_text(grid)
    out: list[dict] = []
    for key, pattern in _SENTENCES.items():
        m = pattern.search(text)
        if m:
            _fact(out, key, m, 1, FACT_SENTENCES[key][1], text, line_at)
    read_listed(text, line_at, out)
    changes = read_changes(text, line_at)
    for c in changes:
        out.append(
            {
                "fact_no": len(out) + 1,
                "section": "情况说明",
                "fact_key": "final.change",
                "subject": c.subject,
                "value": c.signed,
                "value_unit": "万元",
                "value_text": c.delta_text,
                "sentence": c.sentence,
                "line_no": c.line,
            }
        )
        if c.pct is not None:
            out.append(
                {
                    "fact_no": len(out) + 1,
                    "section": "情况说明",
                    "fact_key": "final.change_pct",
                    "subject": c.subject,
                    "value": signed(c.pct_direction, c.pct_text),
                    "value_unit": "%",
                    "value_text": c.pct_text,
                    "sentence": c.sentence,
                    "line_no": c.line,
                }
            )
    completions = read_completions(text, line_at)
    for c in completions:
        if c.subject is None:
            continue
        for key, value, value_text, unit in (
            ("final.item.budget", c.budget, None, "万元"),
            ("final.item.actual", c.actual, None, "万元"),
            ("final.item.completion_pct", c.pct, c.pct_text, "%"),
        ):
            if value is None:
                continue
            out.append(
                {
                    "fact_no": len(out) + 1,
                    "section": "情况说明",
                    "fact_key": key,
                    "subject": c.subject,
                    "value": value,
                    "value_unit": unit,
                    "value_text": value_text or f"{value}",
                    "sentence": c.sentence[:300],
                    "line_no": c.line,
                }
            )
    for f in out:  # every key declared once, with its unit (ingest/fact_keys.py)
        fact_keys.check(f["fact_key"], f["value_unit"])
    return out, completions, changes


# Figures the 情况说明 lists with a name each: the “三公” parts' 决算 (and 完成预算的 %), the vehicles by kind,
# each project's 绩效自评 (得分, 全年预算数, 执行数, 完成预算的 %): fact key → (pattern, value group, unit)
THREE_PUBLIC_PARTS = {
    "outbound": r"因公出国\(境\)费",
    "vehicle_total": r"公务用车购置及运行(?:维护)?费",
    "reception": r"公务接待费",
}
_PART_FINAL = {
    key: re.compile(pattern + r"(?:支出)?决算为" + _NUM + r"万元(?:[，,]完成预算的" + _NUM + r"%)?")
    for key, pattern in THREE_PUBLIC_PARTS.items()
}
_VEHICLES = re.compile(r"共有车辆" + _NUM + r"辆[，,]?其中[:，,]?(?P<list>[^。；]*)")
_VEHICLE_KIND = re.compile(r"(?<=[、，,:])(?P<kind>[^、，,:]{2,20}?用车)" + _NUM + r"辆")
_EVALUATION = re.compile(r"\d+[.、](?P<name>[^。:：、]{2,40}?)项目(?:绩效自评)?综述[:：]")
_EVALUATION_FIGURES = {
    "final.evaluation.score": (re.compile(r"自评得分为" + _NUM + r"分"), "分"),
    "final.evaluation.full_year_budget": (re.compile(r"全年预算数为" + _NUM + r"万元"), "万元"),
    "final.evaluation.executed": (re.compile(r"执行数为" + _NUM + r"万元"), "万元"),
    "final.evaluation.completion_pct": (re.compile(r"完成预算的" + _NUM + r"%"), "%"),
}


def read_listed(text: str, line_at, out: list[dict]) -> None:
    for key, pattern in _PART_FINAL.items():
        m = pattern.search(text)
        if m:
            _fact(out, f"final.three_public.{key}", m, 1, "万元", text, line_at)
            if m.group(2) is not None:
                _fact(out, f"final.three_public.{key}.completion_pct", m, 2, "%", text, line_at)
    m = _VEHICLES.search(text)
    if m:
        for k in _VEHICLE_KIND.finditer(text, m.start("list"), m.end("list")):
            _fact(out, "final.assets.vehicle_kind", k, 2, "辆", text, line_at, subject=k.group("kind"))
    projects = list(_EVALUATION.finditer(text))
    for k, p in enumerate(projects):
        end = projects[k + 1].start() if k + 1 < len(projects) else min(len(text), p.end() + 400)
        for key, (pattern, unit) in _EVALUATION_FIGURES.items():
            m = pattern.search(text, p.end(), end)
            if m:
                _fact(out, key, m, 1, unit, text, line_at, subject=p.group("name"))


# A change against the year before: "…收、支总计22066.59万元，与2023年相比，收、支总计各增加5834.37万元，增长35.74%",
# "…19572.91万元，…，比2023年度决算数增加6263.17万元，增长47.06%" — the amount it is a change of is the last
# 万元 amount stated before it (in its sentence or the one before)
_CHANGE = re.compile(
    r"(?:比|较|与)20\d{2}年度?(?:决算数?)?(?:相比)?[，,]?(?P<subject>[^，。；\d]{0,30}?)各?"
    r"(?P<direction>增加|减少)" + _NUM + r"万元(?:[，,](?P<pct_direction>增长|下降|降低|上升)" + _NUM + r"%)?"
)
_AMOUNT_BEFORE = re.compile(_NUM + r"万元")


@dataclass(frozen=True)
class Change:
    subject: str | None
    amount: Decimal | None  # the amount stated this year (None when none is stated before the change)
    direction: str  # 增加 | 减少
    delta: Decimal
    delta_text: str
    pct_direction: str | None
    pct: Decimal | None
    pct_text: str | None
    line: int | None
    sentence: str

    @property
    def signed(self) -> Decimal:
        return signed(self.direction, self.delta_text)


def read_changes(text: str, line_at) -> list[Change]:
    out = []
    for m in _CHANGE.finditer(text):
        begin = max(text.rfind("。", 0, max(text.rfind("。", 0, m.start()), 0)), 0)
        before = list(_AMOUNT_BEFORE.finditer(text, begin, m.start()))
        amount = _amount(before[-1].group(1)) if before else None
        subject = m.group("subject").strip() or None
        if subject is None and before:
            label = re.split(r"[，。；:、]", text[begin : before[-1].start()])[-1]
            label = re.sub(r"^.*?20\d{2}年度?", "", label)
            label = re.sub(r"^.*情况(?:说明)?(?=.)", "", label)  # a heading run into its paragraph
            subject = re.sub(r"^(?:\d+[.、]|\([一二三四五六七八九十]+\))", "", label) or None
        out.append(
            Change(
                subject,
                amount,
                m.group("direction"),
                _amount(m.group(3)),
                m.group(3),
                m.group("pct_direction"),
                _amount(m.group(5)) if m.group(5) else None,
                m.group(5),
                line_at(m.start()),
                _sentence(text, m.start(), m.end()),
            )
        )
    return out


def narrative_figures(facts: list[dict]) -> dict[str, Figure]:
    by_key = {f["fact_key"]: f for f in facts}
    out = {}
    for key, fact_key in NARRATIVE_FIGURES.items():
        f = by_key.get(fact_key)
        if f is not None:
            out[key] = Figure(key, f["value"], f["value_text"], f["value_unit"], f["line_no"] or 0, "情况说明")
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
        return Finding(
            rule_id,
            "info",
            f"{ref}: {what}: {actual} vs {expected}, off by {diff} — the 尾数误差 of amounts rounded to 0.01 万元",
            table_ref=ref,
            expected=expected,
            actual=actual,
        )
    return Finding(
        rule_id,
        "error",
        f"{ref}: {what}: {actual} printed, {expected} expected",
        table_ref=ref,
        expected=expected,
        actual=actual,
    )


def _v(hit) -> Decimal:
    return hit[2] if hit and hit[2] is not None else Decimal(0)


# A code table's 合计 line: its total column = the sum of these columns
CODE_TABLE_SUMS = {
    "final_income": (
        "合计 = 财政拨款收入 + 上级补助收入 + 事业收入 + 经营收入 + 附属单位上缴收入 + 其他收入",
        ("appropriation", "superior_subsidy", "service", "business_income", "subsidiary_income", "other"),
    ),
    "final_expenditure": (
        "合计 = 基本支出 + 项目支出 + 上缴上级支出 + 经营支出 + 对附属单位补助支出",
        ("basic", "project", "to_superior", "business", "subsidiary"),
    ),
    "final_general_budget_expenditure": ("合计 = 基本支出 + 项目支出", ("basic", "project")),
}


def check_totals(fa: FinalAccounts) -> list[Finding]:
    out: list[Finding | None] = []
    for kind in ("final_income_expenditure_summary", "final_appropriation_summary"):
        t = fa.first(kind)
        if t is None:
            continue
        income_total, spend_total = t.amount(_is("总计"), side="收入"), t.amount(_is("总计"), side="支出")
        if income_total is None or income_total[2] is None:
            continue
        if t.amount(_is("本年收入合计")) is None or t.amount(_is("本年支出合计")) is None:
            continue  # the lines the identities add up are not read: nothing to check them with
        income = (
            _v(t.amount(_is("本年收入合计")))
            + _v(t.amount(_has("使用非财政拨款结余")))
            + _v(t.amount(_has("年初", "结转和结余")))
        )
        spend = (
            _v(t.amount(_is("本年支出合计"))) + _v(t.amount(_is("结余分配"))) + _v(t.amount(_has("年末", "结转和结余")))
        )
        out.append(
            _diff_finding(
                "收入 总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
                income,
                income_total[2],
                rule_id="FA-TOTAL",
                ref=t.title,
            )
        )
        if spend_total and spend_total[2] is not None:
            out.append(
                _diff_finding(
                    "支出 总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
                    spend,
                    spend_total[2],
                    rule_id="FA-TOTAL",
                    ref=t.title,
                )
            )
            out.append(
                _diff_finding("支出 总计 = 收入 总计", income_total[2], spend_total[2], rule_id="FA-TOTAL", ref=t.title)
            )
    for kind, (what, meanings) in CODE_TABLE_SUMS.items():
        t = fa.first(kind)
        hit = t.amount(_is("合计"), "total") if t else None
        if hit is None or hit[2] is None:
            continue
        values = next(v for _, _, label, v, _ in t.items if squash(label) == "合计")
        parts = sum((values.get(m) or Decimal(0)) for m in meanings)
        out.append(_diff_finding(what, parts, hit[2], rule_id="FA-TOTAL", ref=t.title))
    return [f for f in out if f is not None]


def check_cross(fa: FinalAccounts, figures: dict[str, Figure]) -> list[Finding]:
    out = []
    a, b = figures.get("final_expenditure_total"), figures.get("final_expenditure_table_total")
    if a and b:
        out.append(_diff_finding(f"合计 = {a.title} 本年支出合计", a.value, b.value, rule_id="FA-CROSS", ref=b.title))
    income, summary = fa.first("final_income"), figures.get("final_income_total")
    hit = income.amount(_is("合计"), "total") if income else None
    if summary and hit and hit[2] is not None:
        out.append(
            _diff_finding(
                f"合计 = {summary.title} 本年收入合计", summary.value, hit[2], rule_id="FA-CROSS", ref=income.title
            )
        )
    basic, personnel, public = (
        figures.get(k) for k in ("final_general_budget_basic", "final_basic_personnel", "final_basic_public")
    )
    if basic and personnel and public:
        out.append(
            _diff_finding(
                f"人员经费合计 + 公用经费合计 = {basic.title} 合计 基本支出",
                basic.value,
                personnel.value + public.value,
                rule_id="FA-CROSS",
                ref=personnel.title,
            )
        )
    t, g = fa.first("final_appropriation_summary"), fa.first("final_general_budget_expenditure")
    spent = t.amount(_is("本年支出合计")) if t else None
    gb = g.amount(_is("合计"), "total") if g else None
    if spent and spent[2] is not None and gb and gb[2] is not None:
        others = Decimal(0)
        for kind in ("final_government_fund", "final_state_capital"):
            o = fa.first(kind)
            hit = o.amount(_is("合计"), "total") if o else None
            others += _v(hit)
        out.append(
            _diff_finding(
                "本年支出合计 = 一般公共预算 + 政府性基金 + 国有资本经营预算 财政拨款支出决算表 合计",
                gb[2] + others,
                spent[2],
                rule_id="FA-CROSS",
                ref=t.title,
            )
        )
    return [f for f in out if f is not None]


# The 情况说明's figures against the tables': fact key → (table figure key, what the sentence states)
_NUMBERING = re.compile(r"^[一二三四五六七八九十]+、")
# A summary's 支出 lines by 类 against the code table that prints the same 类 lines
CLASS_LINES = {
    "final_income_expenditure_summary": "final_expenditure",
    "final_appropriation_summary": "final_general_budget_expenditure",
}


def check_class_lines(fa: FinalAccounts) -> list[Finding]:
    """Each 支出 line of a summary (一、一般公共服务支出 …) against the 类 line of the same name in its code
    table, where both print an amount."""
    out = []
    for summary_kind, code_kind in CLASS_LINES.items():
        summary, table = fa.first(summary_kind), fa.first(code_kind)
        if summary is None or table is None:
            continue
        classes = {name: values.get("total") for _, code, name, values, _ in table.items if len(code) == 3}
        for _, side, label, values, _ in summary.items:
            name = _NUMBERING.sub("", label)
            said = next(iter(values.values()), None)
            if side != "支出" or said is None or classes.get(name) is None:
                continue
            out.append(
                _diff_finding(
                    f"{name}: {summary.title} vs {table.title}",
                    classes[name],
                    said,
                    rule_id="FA-CROSS",
                    ref=summary.title,
                )
            )
    return [f for f in out if f is not None]


NARRATIVE_AGAINST = {
    "final.total": ("final_total", "收入支出总计"),
    "final.income_total": ("final_income_total", "本年收入合计"),
    "final.expenditure_total": ("final_expenditure_total", "本年支出合计"),
    "final.appropriation_total": ("final_appropriation_total", "财政拨款收入支出总计"),
    "final.general_budget.actual": ("final_general_budget_total", "一般公共预算财政拨款支出"),
    "final.basic.total": ("final_general_budget_basic", "一般公共预算财政拨款基本支出"),
    "final.basic.personnel": ("final_basic_personnel", "人员经费"),
    "final.basic.public": ("final_basic_public", "公用经费"),
    "final.three_public.budget": ("final_three_public_budget", "“三公”经费财政拨款支出预算"),
    "final.three_public.total": ("final_three_public_total", "“三公”经费财政拨款支出决算"),
}


def check_narrative(facts: list[dict], figures: dict[str, Figure], fa: FinalAccounts) -> list[Finding]:
    """Each figure the 情况说明 states against the table that prints it (a “三公” table whose 决算数 cells
    are all blank says nothing was spent: 0)."""
    three = fa.first("final_three_public")
    three_blank = three is not None and any(s == "决算数" for _, s, *_ in three.items)
    out = []
    for f in facts:
        if f["fact_key"] not in NARRATIVE_AGAINST or f["value"] is None:
            continue
        table_key, what = NARRATIVE_AGAINST[f["fact_key"]]
        table = figures.get(table_key)
        if table is not None:
            table_value, title = table.value, table.title
        elif table_key == "final_three_public_total" and three_blank:
            table_value, title = Decimal(0), three.title
        else:
            continue
        if f["value"] != table_value:
            rounded = abs(f["value"] - table_value) <= ROUNDING
            out.append(
                Finding(
                    "FA-NARRATIVE",
                    "info" if rounded else "error",
                    f"情况说明 (line {f['line_no']}) states {what} {f['value_text']}万元, {title} prints {table_value}"
                    + (" (the 尾数误差 of amounts rounded to 0.01 万元)" if rounded else ""),
                    table_ref=title,
                    location=f"line {f['line_no']}",
                    expected=table_value,
                    actual=f["value"],
                )
            )
    return out


def _item_name(subject: str) -> str:
    """\"一般公共服务支出(类)财政事务(款)行政运行(项)" → "行政运行"."""
    return re.sub(r"\(项\)$", "", subject).rsplit(")", 1)[-1]


def check_items(fa: FinalAccounts) -> list[Finding]:
    """Each 项 the 情况说明 explains (年初预算为 … 支出决算为 …) against the 一般公共预算财政拨款支出决算表 line
    of that 项 (matched by name, where exactly one 项 line carries it)."""
    table = fa.first("final_general_budget_expenditure")
    if table is None:
        return []
    lines: dict[str, list] = {}
    for _, code, name, values, _ in table.items:
        if len(code) == 7:
            lines.setdefault(name, []).append(values.get("total"))
    out = []
    for c in fa.completions:
        if c.subject is None:
            continue
        printed = lines.get(_item_name(c.subject)) or []
        if len(printed) != 1 or printed[0] is None or printed[0] == c.actual:
            continue
        rounded = abs(printed[0] - c.actual) <= ROUNDING
        out.append(
            Finding(
                "FA-NARRATIVE",
                "info" if rounded else "error",
                f"情况说明 (line {c.line}) states {c.subject} 支出决算 {c.actual}万元, {table.title} prints "
                f"{printed[0]}",
                table_ref=table.title,
                location=f"line {c.line}",
                expected=printed[0],
                actual=c.actual,
            )
        )
    return out


def check_completion(fa: FinalAccounts) -> list[Finding]:
    """A 预算 vs 决算 statement against its own amounts: 完成预算的 x% = 决算 / 预算 (at the printed
    decimals, one unit of the last place allowed for truncation), 决算数大于/小于预算数 as the amounts are."""
    out = []
    for c in fa.completions:
        what = c.subject or "total"
        if c.pct is not None and c.budget:
            places = len(c.pct_text.split(".")[1]) if "." in c.pct_text else 0
            unit = Decimal(1).scaleb(-places)
            computed = (c.actual / c.budget * 100).quantize(unit)
            if abs(computed - c.pct) > unit:
                out.append(
                    Finding(
                        "FA-COMPLETION",
                        "error",
                        f"情况说明 (line {c.line}): {what}: 完成预算的 {c.pct_text}%, but 决算 {c.actual} / 预算 "
                        f"{c.budget} = {computed}%",
                        location=f"line {c.line}",
                        expected=computed,
                        actual=c.pct,
                    )
                )
        wrong = (c.direction == "大于" and c.actual < c.budget) or (c.direction == "小于" and c.actual > c.budget)
        if wrong:
            out.append(
                Finding(
                    "FA-COMPLETION",
                    "error",
                    f"情况说明 (line {c.line}): {what}: says 决算数{c.direction}预算数, but 决算 {c.actual} vs 预算 "
                    f"{c.budget}",
                    location=f"line {c.line}",
                    expected=c.budget,
                    actual=c.actual,
                )
            )
    return out


# ---- statements of the 情况说明 against their own amounts and the tables, continued -----------------

_GROWTH = {"增加": ("增长", "上升"), "减少": ("下降", "降低")}


def check_wording(fa: FinalAccounts) -> list[Finding]:
    """FA-WORDING: the words of a statement against its amounts. A change 增加 x 万元 said to be a 下降 (or
    减少 … 增长) contradicts itself (error); its 增长/下降 x% against x over the year before's amount
    (this year's, the last stated before it, less the change: a warning, as that amount is read from the
    sentence, to the printed decimals, one unit of the last place allowed); 决算数与预算数持平 with two
    different amounts (error; 基本持平 allows 1% of the 预算数, more is a warning)."""
    out = []
    for c in fa.changes:
        where = f"line {c.line}"
        if c.pct_direction and c.pct_direction not in _GROWTH[c.direction]:
            out.append(
                Finding(
                    "FA-WORDING",
                    "error",
                    f"情况说明 ({where}): {c.subject or ''} {c.direction}{c.delta_text}万元 "
                    f"but {c.pct_direction}{c.pct_text}%: the two words say opposite things",
                    location=where,
                )
            )
            continue
        if c.amount is None or c.pct is None:
            continue
        prior = c.amount - c.delta if c.direction == "增加" else c.amount + c.delta
        if prior <= 0:
            out.append(
                Finding(
                    "FA-WORDING",
                    "warning",
                    f"情况说明 ({where}): {c.subject or ''} {c.amount}万元 "
                    f"{c.direction}{c.delta_text}万元 leaves the year before {prior}万元",
                    location=where,
                    expected=c.amount,
                    actual=c.delta,
                )
            )
            continue
        unit = Decimal(1).scaleb(-len(c.pct_text.split(".")[1])) if "." in c.pct_text else Decimal(1)
        computed = (c.delta / prior * 100).quantize(unit)
        if abs(computed - c.pct) > unit:
            out.append(
                Finding(
                    "FA-WORDING",
                    "warning",
                    f"情况说明 ({where}): {c.subject or ''} {c.amount}万元, "
                    f"{c.direction}{c.delta_text}万元, {c.pct_direction}{c.pct_text}%: but {c.delta_text} / "
                    f"{prior} (the year before) = {computed}%",
                    location=where,
                    expected=computed,
                    actual=c.pct,
                )
            )
    for c in fa.completions:
        if c.flat is None or c.actual == c.budget:
            continue
        basically = c.flat == "基本持平"
        if basically and c.budget and abs(c.actual - c.budget) <= abs(c.budget) / 100:
            continue
        out.append(
            Finding(
                "FA-WORDING",
                "warning" if basically else "error",
                f"情况说明 (line {c.line}): {c.subject or 'total'}: says 决算数与预算数{c.flat}, but 决算 {c.actual} "
                f"vs 预算 {c.budget}",
                location=f"line {c.line}",
                expected=c.budget,
                actual=c.actual,
            )
        )
    return out


def check_parts(facts: list[dict]) -> list[Finding]:
    """FA-PARTS: the parts the 情况说明 lists against the total it states with them — 政府采购 货物 + 工程 +
    服务 = the total, vehicles by kind = 共有车辆; 小微企业 within 中小企业 (0.01 万元 off: info)."""

    def first(key):
        return next((f for f in facts if f["fact_key"] == key and f["value"] is not None), None)

    out: list[Finding | None] = []
    total = first("final.procurement.total")
    parts = [f for k in ("goods", "works", "services") if (f := first(f"final.procurement.{k}"))]
    if total and parts:
        out.append(
            _diff_finding(
                f"政府采购 {total['value_text']}万元 = "
                + " + ".join(f"{f['fact_key'].rsplit('.', 1)[1]} {f['value_text']}" for f in parts),
                sum((f["value"] for f in parts), Decimal(0)),
                total["value"],
                rule_id="FA-PARTS",
                ref="情况说明",
            )
        )
    for sme, small in (("sme_awarded", "small_micro_awarded"), ("sme_reserved", "small_micro_reserved")):
        a, b = first(f"final.procurement.{sme}"), first(f"final.procurement.{small}")
        if a and b and b["value"] > a["value"]:
            out.append(
                Finding(
                    "FA-PARTS",
                    "error",
                    f"情况说明 (line {b['line_no']}): 小微企业 {b['value_text']}万元 above "
                    f"中小企业 {a['value_text']}万元, of which it is a part",
                    table_ref="情况说明",
                    location=f"line {b['line_no']}",
                    expected=a["value"],
                    actual=b["value"],
                )
            )
    vehicles = first("final.assets.vehicles")
    kinds = [f for f in facts if f["fact_key"] == "final.assets.vehicle_kind" and f["value"] is not None]
    if vehicles and kinds:
        s = sum((f["value"] for f in kinds), Decimal(0))
        if s != vehicles["value"]:
            out.append(
                Finding(
                    "FA-PARTS",
                    "error",
                    f"情况说明 (line {vehicles['line_no']}): 共有车辆 {vehicles['value_text']}辆, "
                    f"but the kinds listed add up to {s}辆",
                    table_ref="情况说明",
                    location=f"line {vehicles['line_no']}",
                    expected=s,
                    actual=vehicles["value"],
                )
            )
    return [f for f in out if f is not None]


def check_evaluation_narrative(facts: list[dict], fa: FinalAccounts) -> list[Finding]:
    """Each project's 绩效自评 as the 情况说明 states it (自评得分, 全年预算数, 执行数: FA-NARRATIVE against its
    自评表, by 项目名称; 完成预算的 %: FA-COMPLETION against the stated amounts) and the number of 自评表 it
    says it prints (FA-NARRATIVE), where the document prints 自评表."""
    if not fa.evaluations:
        return []
    by_name = {ev.project_name: ev for ev in fa.evaluations}
    out = []
    for f in facts:
        key, where = f["fact_key"], f"line {f['line_no']}"
        if key == "final.evaluation.count" and f["value"] != len(fa.evaluations):
            out.append(
                Finding(
                    "FA-NARRATIVE",
                    "error",
                    f"情况说明 ({where}) says it prints {f['value_text']} 项目绩效自评表, "
                    f"the document prints {len(fa.evaluations)}",
                    table_ref="项目绩效自评表",
                    location=where,
                    expected=Decimal(len(fa.evaluations)),
                    actual=f["value"],
                )
            )
        ev = by_name.get(f["subject"]) if key.startswith("final.evaluation.") else None
        if ev is None:
            continue
        funds, total = ev.funds(), ev.total
        printed = {
            "final.evaluation.score": (total.values.get("score") if total else None, "总分"),
            "final.evaluation.full_year_budget": (
                funds.values.get("full_year_budget") if funds else None,
                "全年预算数",
            ),
            "final.evaluation.executed": (funds.values.get("executed") if funds else None, "全年执行数"),
        }
        if key in printed:
            value, what = printed[key]
            if value is not None and value != f["value"]:
                rounded = f["value_unit"] == "万元" and abs(value - f["value"]) <= ROUNDING
                out.append(
                    Finding(
                        "FA-NARRATIVE",
                        "info" if rounded else "error",
                        f"情况说明 ({where}) states {f['subject']} {what} {f['value_text']}{f['value_unit']}, "
                        f"{ev.title} prints {value}",
                        table_ref=ev.title,
                        location=where,
                        expected=value,
                        actual=f["value"],
                    )
                )
    for name, ev in by_name.items():
        said = {
            f["fact_key"]: f for f in facts if f["subject"] == name and f["fact_key"].startswith("final.evaluation.")
        }
        pct, budget, executed = (
            said.get(f"final.evaluation.{k}") for k in ("completion_pct", "full_year_budget", "executed")
        )
        if pct and budget and executed and budget["value"]:
            out += _pct_finding(f"{name} 完成预算的", pct, executed["value"], budget["value"])
    return out


def _pct_finding(what: str, pct: dict, actual: Decimal, budget: Decimal) -> list[Finding]:
    """FA-COMPLETION: a stated % against actual / budget at its printed decimals (one unit allowed)."""
    text = pct["value_text"]
    unit = Decimal(1).scaleb(-len(text.split(".")[1])) if "." in text else Decimal(1)
    computed = (actual / budget * 100).quantize(unit)
    if abs(computed - pct["value"]) <= unit:
        return []
    where = f"line {pct['line_no']}"
    return [
        Finding(
            "FA-COMPLETION",
            "error",
            f"情况说明 ({where}): {what} {text}%, but {actual} / {budget} = {computed}%",
            location=where,
            expected=computed,
            actual=pct["value"],
        )
    ]


def check_three_public_parts(facts: list[dict], figures: dict[str, Figure], fa: FinalAccounts) -> list[Finding]:
    """The “三公” parts' 决算 the 情况说明 states (因公出国（境）费, 公务用车购置及运行费, 公务接待费) against the
    “三公” table (FA-NARRATIVE; blank 决算数 cells: 0), and their 完成预算的 % against the table's 预算数
    (FA-COMPLETION)."""
    three = fa.first("final_three_public")
    if three is None:
        return []
    blank = any(s == "决算数" for _, s, *_ in three.items)
    out = []
    by_key = {f["fact_key"]: f for f in facts}
    for part in THREE_PUBLIC_PARTS:
        said = by_key.get(f"final.three_public.{part}")
        if said is None or said["value"] is None:
            continue
        printed = figures.get(f"final_three_public_{part}")
        value = printed.value if printed is not None else Decimal(0) if blank else None
        where = f"line {said['line_no']}"
        if value is not None and value != said["value"]:
            rounded = abs(value - said["value"]) <= ROUNDING
            out.append(
                Finding(
                    "FA-NARRATIVE",
                    "info" if rounded else "error",
                    f"情况说明 ({where}) states {THREE_PUBLIC_NAMES[f'three_public_{part}']} 支出决算 "
                    f"{said['value_text']}万元, {three.title} prints {value}",
                    table_ref=three.title,
                    location=where,
                    expected=value,
                    actual=said["value"],
                )
            )
        pct = by_key.get(f"final.three_public.{part}.completion_pct")
        budget = three.amount(_is(f"three_public_{part}"), side="预算数")
        if pct and pct["value"] is not None and budget and budget[2]:
            out += _pct_finding(
                f"{THREE_PUBLIC_NAMES[f'three_public_{part}']} 完成预算的", pct, said["value"], budget[2]
            )
    return out


def check_placeholders(fa: FinalAccounts) -> list[Finding]:
    if not fa.placeholders:
        return []
    first = "; ".join(f"line {ln}: {text[:40]}" for ln, text in fa.placeholders[:3])
    return [
        Finding(
            "FA-PLACEHOLDER",
            "error",
            f"{len(fa.placeholders)} lines still carry template placeholders "
            f"(XX, XXX …) instead of the unit's name, amounts and reasons — {first}",
            location=f"line {fa.placeholders[0][0]}",
        )
    ]


# ---- the whole document -----------------------------------------------------------------------

_COVERS = (
    re.compile(r"^(?P<name>.{2,40}?)(?P<year>20\d{2})年度?(?P<level>部门|单位)决算"),
    re.compile(r"^(?P<year>20\d{2})年度?(?P<name>.{2,40}?)(?P<level>部门|单位)决算"),
)
_ANY_YEAR = re.compile(r"(?P<year>20\d{2})年度?(?:部门|单位)?决算")


def cover_identity(grid: GridDocument, found: list = ()) -> tuple[str | None, int | None, str | None]:
    """Unit, year and level from the cover ("国家信访局" / "2024年度部门决算", or "2024年度某局部门决算"),
    its lines joined; else the unit from the tables' labelled lines (部门：国家信访局) and the year from
    any "2024年度…决算" line."""
    paragraphs = [squash(b.text) for b in grid.blocks if isinstance(b, Paragraph)]
    for k in range(min(len(paragraphs), 6)):
        for pattern in _COVERS:
            m = pattern.match("".join(paragraphs[k : k + 2]))
            if m:
                return m.group("name"), int(m.group("year")), m.group("level")
    who = identify(grid, [t for ft in found for t in ft.context])
    year = next((int(m.group("year")) for p in paragraphs[:80] if (m := _ANY_YEAR.search(p))), None)
    level = (
        "单位"
        if any("单位决算" in p for p in paragraphs[:20])
        else "部门"
        if any("部门决算" in p for p in paragraphs[:20])
        else None
    )
    return who.unit_name, year, level


def recognize_final_accounts(grid: GridDocument, found: list, document_row) -> FinalDisclosure:
    """A 决算 file whose tables are recognised: `document_row` (ingest.recognize._document_row) writes
    its raw_documents row."""
    d = FinalDisclosure(source_name=grid.source_name)
    fa = d.final
    fa.tables = read_tables(found)
    fa.facts, fa.completions, fa.changes = read_narrative(grid)
    fa.placeholders = read_placeholders(grid)
    fa.evaluations = read_evaluations(grid, found)
    name, year, level = cover_identity(grid, found)
    facts = {
        "unit": name,
        "variants": [name] if name else [],
        "year": year,
        "kind": "决算",
        "title": f"{year}年度{level}决算" if year else None,
        "signed": None,
        "level": level,
    }
    d.rows["raw_narrative_facts"] = [dict(f) for f in fa.facts]
    d.rows["raw_final_lines"] = final_rows(fa)
    d.rows["raw_final_evaluation_lines"] = evaluation_rows(fa.evaluations)
    document_row(d, grid, facts, tables_found=len(fa.tables), part="whole")
    for r in d.table("raw_final_lines"):
        if r["column_meaning"] in PERCENT:
            continue  # a percentage: kept as printed, no amount
        if r["amount_wan_yuan"] is None and r["printed_text"].strip() not in ("-", "—", "－", "/"):
            d.findings.append(
                Finding(
                    "PARSE-CELL",
                    "error",
                    table_ref=r["table_title"],
                    location=f"line {r['line_no']}",
                    message=f"{r['table_title']} line {r['line_no']}: amount cell {r['printed_text']!r} "
                    f"({r['line_label']}, {r['column_meaning']}) is not a number; loaded as empty",
                )
            )
    figures = table_figures(fa) | narrative_figures(fa.facts)
    d.findings += check_totals(fa) + check_cross(fa, figures) + check_class_lines(fa)
    d.findings += check_narrative(fa.facts, figures, fa) + check_items(fa) + check_completion(fa)
    d.findings += check_placeholders(fa) + check_wording(fa) + check_parts(fa.facts)
    d.findings += check_three_public_parts(fa.facts, figures, fa) + check_evaluation_narrative(fa.facts, fa)
    d.findings += bad_cells(fa.evaluations) + [f for ev in fa.evaluations for f in check_evaluation(ev)]
    return d


def evaluation_figures(fa: FinalAccounts) -> dict[str, Figure]:
    """The key figures of the first 项目绩效自评表: its 年度资金总额's 全年预算数, 全年执行数, 执行率, 得分, its 总分
    and how many indicators it lists (every form's: tests/realworld/truth/final-accounts/, `self_evaluations`)."""
    if not fa.evaluations:
        return {}
    ev = fa.evaluations[0]
    out = {}
    funds, total = ev.funds(), ev.total
    for key, row, column, unit in (
        ("final_evaluation_full_year_budget", funds, "full_year_budget", "万元"),
        ("final_evaluation_executed", funds, "executed", "万元"),
        ("final_evaluation_execution_rate", funds, "execution_rate", "%"),
        ("final_evaluation_funds_score", funds, "score", "分"),
        ("final_evaluation_total_score", total, "score", "分"),
    ):
        if row is not None and row.values.get(column) is not None:
            out[key] = Figure(key, row.values[column], row.texts[column], unit, row.line, ev.title)
    n = len(ev.indicators)
    if n:
        out["final_evaluation_indicators"] = Figure(
            "final_evaluation_indicators", Decimal(n), str(n), "个", ev.line, ev.title
        )
    return out


def final_figures(d: Disclosure) -> dict[str, Figure]:
    """The key figures of a recognised 决算 (tables, 自评表 and 情况说明), for `make realworld`."""
    if not isinstance(d, FinalDisclosure):
        return {}
    return table_figures(d.final) | evaluation_figures(d.final) | narrative_figures(d.final.facts)
