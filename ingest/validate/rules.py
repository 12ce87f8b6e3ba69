"""Reconciliation rules: every inconsistency in a disclosure becomes a Finding with a stable rule id.

Add a rule: write a function taking a Disclosure and yielding Findings, decorate it
with @rule(id, severity, description) — docs/rules.md lists the registry
(`python -m ingest.validate.rules` prints it). Amounts are compared exactly
(Decimal); TOLERANCE is the only slack.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Iterable, Iterator

from ingest.disclosure import Disclosure, Finding
from ingest.recognize.common import squash
from ingest.recognize.tables import TABLE_CODES, layout_of

TOLERANCE = Decimal("0")  # amounts are printed to the 0.01 万元; totals must match exactly
SHARE_TOLERANCE = Decimal("0.1")  # percentage points, for printed shares rounded to one decimal
ZERO = Decimal(0)


@dataclass(frozen=True)
class Rule:
    rule_id: str
    severity: str
    description: str
    check: Callable[[Disclosure], Iterable[Finding]]
    also: tuple[str, ...] = ()  # other severities some of its findings take

    @property
    def severities(self) -> tuple[str, ...]:
        return (self.severity,) + self.also


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, description: str, also: tuple[str, ...] = ()):
    def register(fn: Callable[[Disclosure], Iterable[Finding]]):
        RULES[rule_id] = Rule(rule_id, severity, description, fn, also)
        fn.rule_id, fn.severity = rule_id, severity
        return fn

    return register


def v(x) -> Decimal:
    return x if x is not None else ZERO


def differs(a: Decimal | None, b: Decimal | None) -> bool:
    return abs(v(a) - v(b)) > TOLERANCE


def rounding_slack(parts: list, total) -> Decimal:
    """How far a printed total may sit from the sum of its printed parts through rounding alone:
    half a unit of the finest printed place (at most 0.01 万元) for the total and for each part."""
    printed = [x for x in [*parts, total] if isinstance(x, Decimal) and x.is_finite()]
    if not parts or not printed:
        return ZERO
    unit = min(Decimal(1).scaleb(min(x.as_tuple().exponent for x in printed)), Decimal("0.01"))
    return unit * (len(parts) + 1) / 2


def mismatch(fn, expected, actual, message, table_ref=None, location=None, parts: list | None = None) -> Finding:
    """A finding of `fn`; where `expected` is the sum of printed `parts` and the difference is within
    their rounding (rounding_slack), a warning that says so: each figure was rounded on its own."""
    f = Finding(
        fn.rule_id, fn.severity, message, table_ref=table_ref, location=location, expected=v(expected), actual=v(actual)
    )
    diff = abs(v(expected) - v(actual))
    if parts is not None and actual is not None and diff <= rounding_slack([p for p in parts if p is not None], actual):
        f = replace(
            f,
            severity="warning",
            message=f"{message}（差 {fmt(diff)}，在 {len(parts)} 个分项各自四舍五入的尾数差之内）",
        )
    return f


def fmt(x: Decimal | None) -> str:
    return "空" if x is None else f"{x.normalize():f}"


# ------------------------------------------------------------------ table helpers

BY_USE = ("total_wan_yuan", "basic_wan_yuan", "project_wan_yuan")


def _code_table(no: int, amounts: tuple[str, ...] | None = None) -> tuple[str, str, tuple[str, ...] | None]:
    """(raw table, code column, amount columns) of 表N: where and by which code its rows load is its
    kind's `load` in the catalogue (ingest/recognize/table_kinds.yaml); None: amount_columns decides."""
    layout = layout_of(no)
    return layout.raw_table, f"{layout.code_kind}_code", amounts


CODE_TABLES = {  # table_no → (raw table, code column, amount columns)
    2: _code_table(2),
    3: _code_table(3, BY_USE),
    5: _code_table(5, BY_USE),
    9: _code_table(9, BY_USE),
    6: _code_table(6, ("total_wan_yuan", "personnel_wan_yuan", "public_use_wan_yuan")),
    7: _code_table(7),
}
TABLE_CODE = TABLE_CODES  # 表N's printed code (表一 …), for messages
INCOME_PARTS = (
    "general_budget_wan_yuan",
    "gov_fund_wan_yuan",
    "state_capital_wan_yuan",
    "fiscal_special_account_wan_yuan",
    "business_income_wan_yuan",
    "business_operating_income_wan_yuan",
    "other_income_wan_yuan",
    "prior_year_carryover_wan_yuan",
)
APPROPRIATION_FUNDS = ("general_budget_wan_yuan", "gov_fund_wan_yuan", "state_capital_wan_yuan")


def income_parts(r: dict) -> tuple[str, ...]:
    """The columns that add up to a 表二 row's total: the fund types, or the 财政拨款收入 subtotal a
    template prints instead of them (a row printing both counts the fund types, not the subtotal too)."""
    if r.get("fiscal_appropriation_wan_yuan") is not None and all(r.get(c) is None for c in APPROPRIATION_FUNDS):
        return ("fiscal_appropriation_wan_yuan",) + tuple(c for c in INCOME_PARTS if c not in APPROPRIATION_FUNDS)
    return INCOME_PARTS


PROJECT_PARTS = (
    "wages_welfare_wan_yuan",
    "goods_services_wan_yuan",
    "individual_family_subsidy_wan_yuan",
    "debt_interest_wan_yuan",
    "capital_construction_wan_yuan",
    "capital_wan_yuan",
    "enterprise_subsidy_construction_wan_yuan",
    "enterprise_subsidy_wan_yuan",
    "social_security_fund_subsidy_wan_yuan",
    "other_wan_yuan",
)
# Sub-lines of 财政拨款（补助） in 表一/表四: not added again to the income total.
APPROPRIATION_SUBLINES = {
    "一般公共预算",
    "政府性基金预算",
    "国有资本经营预算",
    "一般公共预算拨款",
    "政府性基金预算拨款",
    "国有资本经营预算拨款",
}


def rows_of(d: Disclosure, table_no: int) -> list[dict]:
    raw, _, _ = CODE_TABLES[table_no]
    rows = d.table(raw)
    if layout_of(table_no).keeps_table_no:  # a raw table several tables load (raw_expenditure: 表三/五/九)
        rows = [r for r in rows if r["table_no"] == table_no]
    return rows


def detail_rows(d: Disclosure, table_no: int) -> list[dict]:
    """Leaf rows: rows whose code no other row's code extends — subtotal rows at 类/款 are not added
    again, a 类 printed without 款/项 under it counts, and so do 7-digit sub-items some templates
    print under a few 款 (重庆's 3010201 under 30102)."""
    _, code_col, _ = CODE_TABLES[table_no]
    rows = [r for r in rows_of(d, table_no) if not r["is_total"] and r.get(code_col)]
    codes = sorted({r[code_col] for r in rows})
    parents = {a for a, b in zip(codes, codes[1:]) if b.startswith(a)}  # sorted: a code's extensions follow it
    return [r for r in rows if r[code_col] not in parents]


def total_row(d: Disclosure, table_no: int) -> dict | None:
    return next((r for r in rows_of(d, table_no) if r["is_total"]), None)


def table_total(d: Disclosure, table_no: int, column: str = "total_wan_yuan") -> Decimal | None:
    """The table's reported 合计, or the sum of its rows when it prints none; None where no row prints
    the column at all (江苏's 表六 has one 金额 column, no 人员经费/公用经费)."""
    t = total_row(d, table_no)
    if t is not None and t.get(column) is not None:
        return t[column]
    rows = detail_rows(d, table_no)
    if not any(r.get(column) is not None for r in rows):
        return None
    return sum((v(r.get(column)) for r in rows), ZERO)


def has_table(d: Disclosure, table_no: int) -> bool:
    return any(r["table_no"] == table_no and r["status"] in ("present", "empty") for r in d.table("raw_tables"))


def amount_columns(table_no: int) -> tuple[str, ...]:
    _, _, cols = CODE_TABLES[table_no]
    if cols:
        return cols
    return ("total_wan_yuan",) + (("fiscal_appropriation_wan_yuan",) + INCOME_PARTS if table_no == 2 else PROJECT_PARTS)


def summary_rows(d: Disclosure, table_no: int, side: str) -> list[dict]:
    return [r for r in d.table("raw_budget_summary") if r["table_no"] == table_no and r["side"] == side]


def side_total(d: Disclosure, table_no: int, side: str) -> Decimal | None:
    """表一/表四's 收入总计 or 支出总计: the side's last total line (after 本年收入合计 + 上年结转 where
    a template prints both)."""
    totals = [r for r in summary_rows(d, table_no, side) if r["is_total"]]
    return totals[-1].get("total_wan_yuan") if totals else None


def year_total(d: Disclosure, table_no: int, side: str) -> Decimal | None:
    """The side's first total line: 本年收入合计 / 本年支出合计 where the template prints it, else 总计."""
    return next((r.get("total_wan_yuan") for r in summary_rows(d, table_no, side) if r["is_total"]), None)


_OUTLINE = (
    (re.compile(r"^[一二三四五六七八九十]+[、.．]"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]+[)）]"), 2),
    (re.compile(r"^\d+[、.．]"), 3),
    (re.compile(r"^[（(]\d+[)）]"), 4),
)


def outline_level(item_name: str) -> int | None:
    """The outline level a line's numbering gives it: 一、 1, （一） 2, 1. / 1、 3, (1) 4; None unnumbered."""
    name = squash(item_name)
    return next((level for pattern, level in _OUTLINE if pattern.match(name)), None)


def top_lines(lines: list[dict]) -> list[dict]:
    """The lines of one side that add up to its total: not the 其中 lines nor the fund-type lines
    under 财政拨款 (APPROPRIATION_SUBLINES), and where the side numbers its lines in an outline
    (上海 一、财政拨款收入 / 1. 一般公共预算资金; 西安 一、部门预算 / 1、财政拨款 / (1)…), only the
    top numbered level and the unnumbered lines after the outline."""
    lines = [
        r
        for r in lines
        if not squash(r["item_name"]).startswith("其中") and squash(r["item_name"]) not in APPROPRIATION_SUBLINES
    ]
    levels = [outline_level(r["item_name"]) for r in lines]
    numbered = [level for level in levels if level is not None]
    if not numbered:
        return lines
    # an unnumbered line inside the outline is a child of the numbered line above it (烟台 一、财政拨款收入
    # / 一般公共预算收入); after the last numbered line it stands on its own (上年结转)
    last = max(k for k, level in enumerate(levels) if level is not None)
    return [
        r for k, (r, level) in enumerate(zip(lines, levels)) if level == min(numbered) or (level is None and k > last)
    ]


def class_name(item_name: str) -> str:
    return re.sub(r"^\d{3}\s*", "", item_name).strip()


def names_match(a: str | None, b: str | None) -> bool:
    """Same item despite spacing, a trailing 经费/费/支出, or a printed prefix like 医疗."""
    if not a or not b:
        return False
    a, b = squash(a), squash(b)
    if a == b:
        return True

    def strip(s: str) -> str:
        return re.sub(r"(经费|费用|费|支出|拨款|（项）|（款）|（类）)$", "", s)

    a2, b2 = strip(a), strip(b)
    return a2 == b2 or (len(b2) >= 2 and a2.endswith(b2)) or (len(a2) >= 2 and b2.endswith(a2))


# ------------------------------------------------------------------ within one table


ROUNDING = (
    " A difference no larger than the rounding of the printed figures (half a unit of the finest printed place, "
    "at most 0.01 万元, for the total and each part) is a warning."
)


@rule(
    "SUM-ROWS",
    "error",
    "Detail rows of a table add up to its 合计 row, column by column (表二/三/五/六/七/九)." + ROUNDING,
    also=("warning",),
)
def sum_rows(d: Disclosure) -> Iterator[Finding]:
    for no in (2, 3, 5, 6, 7, 9):
        total = total_row(d, no)
        rows = detail_rows(d, no)
        if total is None or not rows:
            continue
        for col in amount_columns(no):
            s = sum((v(r.get(col)) for r in rows), ZERO)
            if total.get(col) is None and s == 0:
                continue
            if differs(total.get(col), s):
                yield mismatch(
                    sum_rows,
                    s,
                    total.get(col),
                    f"{TABLE_CODE[no]} 合计 {col} 为 {fmt(total.get(col))}，明细行合计为 {fmt(s)}",
                    TABLE_CODE[no],
                    f"合计行 {col}",
                    parts=[r.get(col) for r in rows],
                )


@rule(
    "ROW-PARTS",
    "error",
    "Within each row the parts add up to the row total: 基本+项目 (表三/五/九; 表三 with "
    "单位预留机动经费 and 结转下年资金 where 江苏 prints them), "
    "人员+公用 (表六), income sources (表二: the fund types, or the 财政拨款收入 subtotal printed instead of them), "
    "economic types (表七), fund types (表四), 三公 parts (表八). "
    "A table none of whose part columns was read (a template printing other ones, reported as "
    "PARSE-COLUMN) is not checked." + ROUNDING,
    also=("warning",),
)
def row_parts(d: Disclosure) -> Iterator[Finding]:
    parts = {
        3: ("basic_wan_yuan", "project_wan_yuan", "reserve_wan_yuan", "carry_forward_wan_yuan"),
        5: ("basic_wan_yuan", "project_wan_yuan"),
        9: ("basic_wan_yuan", "project_wan_yuan"),
        6: ("personnel_wan_yuan", "public_use_wan_yuan"),
        2: INCOME_PARTS,
        7: PROJECT_PARTS,
    }
    for no, table_cols in parts.items():
        rows = rows_of(d, no)
        if not any(r.get(c) is not None for r in rows for c in (income_parts(r) if no == 2 else table_cols)):
            continue  # no part column read at all (the template prints other ones: PARSE-COLUMN says which)
        for r in rows:
            cols = income_parts(r) if no == 2 else table_cols
            if r.get("total_wan_yuan") is None and all(r.get(c) is None for c in cols):
                continue
            s = sum((v(r.get(c)) for c in cols), ZERO)
            if differs(r.get("total_wan_yuan"), s):
                what = (
                    "合计行"
                    if r["is_total"]
                    else (r.get("functional_code") or r.get("economic_code") or f"row {r['row_no']}")
                )
                yield mismatch(
                    row_parts,
                    s,
                    r.get("total_wan_yuan"),
                    f"{TABLE_CODE[no]} {what}: 合计 {fmt(r.get('total_wan_yuan'))} ≠ 各分项之和 {fmt(s)}",
                    TABLE_CODE[no],
                    f"row {r['row_no']}",
                    parts=[r.get(c) for c in cols],
                )
    for r in summary_rows(d, 4, "expenditure"):
        cols = ("general_budget_wan_yuan", "gov_fund_wan_yuan", "state_capital_wan_yuan")
        if any(r.get(c) is not None for c in cols):
            s = sum((v(r.get(c)) for c in cols), ZERO)
            if differs(r.get("total_wan_yuan"), s):
                yield mismatch(
                    row_parts,
                    s,
                    r.get("total_wan_yuan"),
                    f"表四 {r['item_name']}: 合计 {fmt(r.get('total_wan_yuan'))} ≠ 各资金来源之和 {fmt(s)}",
                    "表四",
                    f"row {r['row_no']}",
                    parts=[r.get(c) for c in cols],
                )
    for r in d.table("raw_three_public"):
        s = (
            v(r.get("overseas_travel_wan_yuan"))
            + v(r.get("vehicle_total_wan_yuan"))
            + v(r.get("official_reception_wan_yuan"))
        )
        if differs(r.get("total_wan_yuan"), s):
            yield mismatch(
                row_parts,
                s,
                r.get("total_wan_yuan"),
                f"表八 合计 {fmt(r.get('total_wan_yuan'))} ≠ 因公出国（境）费+公务用车购置及运行费+公务接待费 {fmt(s)}",
                "表八",
                "合计",
            )
        s2 = v(r.get("vehicle_purchase_wan_yuan")) + v(r.get("vehicle_operation_wan_yuan"))
        if differs(r.get("vehicle_total_wan_yuan"), s2):
            yield mismatch(
                row_parts,
                s2,
                r.get("vehicle_total_wan_yuan"),
                f"表八 公务用车购置及运行费 {fmt(r.get('vehicle_total_wan_yuan'))} ≠ 购置费+运行费 {fmt(s2)}",
                "表八",
                "公务用车购置及运行费",
            )


@rule(
    "SUM-SIDES",
    "error",
    "表一/表四: income lines add up to 收入总计, expenditure lines to 支出总计, and the two totals agree "
    "(where a side prints 本年收入合计 and then 收入总计, the lines above the first add up to it and the "
    "lines between to the difference; where it numbers its lines in an outline, 一、 lines count, not their "
    "1. / (1) children; 其中 lines never count)." + ROUNDING,
    also=("warning",),
)
def sum_sides(d: Disclosure) -> Iterator[Finding]:
    for no in (1, 4):
        totals = {}
        for side, label in (("income", "收入"), ("expenditure", "支出")):
            rows = summary_rows(d, no, side)
            if not rows:
                continue
            marks = [k for k, r in enumerate(rows) if r["is_total"]]
            totals[side] = rows[marks[-1]].get("total_wan_yuan") if marks else None
            if len(marks) >= 2:
                # 本年收入合计 = the lines above it; 收入总计 = 本年收入合计 + the lines between (上年结转 …)
                year, grand = rows[marks[0]], rows[marks[-1]]
                parts = [
                    (year, rows[: marks[0]], ZERO, squash(year["item_name"])),
                    (grand, rows[marks[0] + 1 : marks[-1]], v(year.get("total_wan_yuan")), f"{label}总计"),
                ]
            else:
                total = rows[marks[0]] if marks else None
                parts = [(total, [r for r in rows if not r["is_total"]], ZERO, f"{label}总计")] if total else []
            for total, lines, base, name in parts:
                counted = [r.get("total_wan_yuan") for r in top_lines(lines)]
                s = base + sum((v(x) for x in counted), ZERO)
                if differs(total.get("total_wan_yuan"), s):
                    yield mismatch(
                        sum_sides,
                        s,
                        total.get("total_wan_yuan"),
                        f"{TABLE_CODE[no]} {name} {fmt(total.get('total_wan_yuan'))} ≠ 各行之和 {fmt(s)}",
                        TABLE_CODE[no],
                        name,
                        parts=counted + ([base] if base else []),
                    )
        if len(totals) == 2 and differs(totals["income"], totals["expenditure"]):
            yield mismatch(
                sum_sides,
                totals["income"],
                totals["expenditure"],
                f"{TABLE_CODE[no]} 收入总计 {fmt(totals['income'])} ≠ 支出总计 {fmt(totals['expenditure'])}",
                TABLE_CODE[no],
                "总计",
            )


# ------------------------------------------------------------------ across tables


def by_class(rows: list[dict], column: str = "total_wan_yuan") -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for r in rows:
        out[r["functional_code"][:3]] += v(r.get(column))
    return dict(out)


@rule(
    "XT-TOTALS",
    "error",
    "Tables agree with each other: 表一 vs 表二/三/五 (totals and each 类), 表四 vs 表五, "
    "表六 total vs 表五 基本支出, 表七 total vs 表五 项目支出 (表三's where 表五 does not print them and all income "
    "is 一般公共预算; each where both tables print the figure: "
    "a 表一 naming its 类 without codes, a 表三 without 基本/项目 columns is not compared).",
)
def cross_tables(d: Disclosure) -> Iterator[Finding]:
    t1_income = side_total(d, 1, "income")
    # 表二/表三 合计 is the year's (本年收入/支出合计) in some templates, the 总计 with 上年结转 in others
    t1_income_year, t1_exp_total, t1_exp_year = (
        year_total(d, 1, "income"),
        side_total(d, 1, "expenditure"),
        year_total(d, 1, "expenditure"),
    )
    t1_exp = {
        r["functional_class_code"]: r.get("total_wan_yuan")
        for r in summary_rows(d, 1, "expenditure")
        if r.get("functional_class_code")
    }
    checks: list[tuple[str, Decimal | None, Decimal | None, str]] = []
    if t1_income is not None and has_table(d, 2) and rows_of(d, 2):
        t2 = table_total(d, 2)
        checks.append(("表一 收入总计 vs 表二 合计", t1_income_year if t2 == t1_income_year else t1_income, t2, "表二"))
    if has_table(d, 3) and has_table(d, 1) and rows_of(d, 3):
        t3 = table_total(d, 3)
        t1_out = t1_exp_total if t1_exp_total is not None else t1_income
        if t1_out is not None:
            checks.append(("表一 支出总计 vs 表三 合计", t1_exp_year if t3 == t1_exp_year else t1_out, t3, "表三"))
        for code, amount in (
            sorted(by_class(detail_rows(d, 3)).items()) if t1_exp else ()
        ):  # 表一 names 类 without codes: not compared
            checks.append((f"表一 {code} vs 表三 {code} 类合计", t1_exp.get(code), amount, "表三"))
        for code, amount in t1_exp.items():
            if amount and code not in by_class(detail_rows(d, 3)):
                checks.append((f"表一 {code} vs 表三 (无此类)", amount, None, "表三"))
    if has_table(d, 5):
        general = next(
            (
                r.get("total_wan_yuan")
                for r in summary_rows(d, 1, "income")
                if squash(r["item_name"]) in ("一般公共预算", "一般公共预算拨款")
            ),
            None,
        )
        if general is not None:
            checks.append(("表一 一般公共预算收入 vs 表五 合计", general, table_total(d, 5), "表五"))
        t4 = {
            r["functional_class_code"]: r.get("general_budget_wan_yuan")
            for r in summary_rows(d, 4, "expenditure")
            if r.get("functional_class_code")
        }
        if t4:
            for code, amount in sorted(by_class(detail_rows(d, 5)).items()):
                checks.append((f"表四 {code} 一般公共预算 vs 表五 {code} 类合计", t4.get(code), amount, "表五"))

    def printed(no: int, column: str) -> bool:  # the table has the column at all (西安's 支出总表 is by unit and fund)
        return has_table(d, no) and any(r.get(column) is not None for r in rows_of(d, no))

    # 表六/表七 are 一般公共预算 tables: their totals are 表五's 基本/项目 支出; 表三's only where 表五 does not
    # print them (in the 昌吉 template every fund is 一般公共预算 and the two agree; in the national one
    # 表三 also counts 事业收入 and other funds)
    # 表三 counts every fund: it stands in for 表五 only where all the year's income is 一般公共预算
    income = year_total(d, 1, "income")
    general_only = income is not None and any(
        "一般公共预算" in squash(r["item_name"])
        and not squash(r["item_name"]).startswith("其中")
        and r.get("total_wan_yuan") == income
        for r in summary_rows(d, 1, "income")
        if not r["is_total"]
    )
    for no, column, label in ((6, "basic_wan_yuan", "基本支出"), (7, "project_wan_yuan", "项目支出")):
        base = 5 if printed(5, column) else 3 if printed(3, column) and general_only else None
        if has_table(d, no) and base is not None:
            checks.append(
                (
                    f"{TABLE_CODE[base]} {label} vs {TABLE_CODE[no]} 合计",
                    table_total(d, base, column),
                    table_total(d, no),
                    TABLE_CODE[no],
                )
            )
    for what, expected, actual, ref in checks:
        if differs(expected, actual):
            yield mismatch(cross_tables, expected, actual, f"{what}: {fmt(expected)} ≠ {fmt(actual)}", ref, what)


@rule(
    "XT-THREE-PUBLIC",
    "error",
    "表八 公务接待费 and 公务用车运行费 against 表六 30217 公务接待费 and 30231 公务用车运行维护费 "
    "(where 表六 prints the code): the basic budget's share cannot exceed the whole 三公 budget (error); "
    "a 三公 figure above it is budgeted in project spending too (info: see 表七).",
    also=("info",),
)
def three_public_vs_economic(d: Disclosure) -> Iterator[Finding]:
    t8 = d.table("raw_three_public")
    if not t8 or not has_table(d, 6):
        return
    econ = {
        r["economic_code"]: r.get("total_wan_yuan")
        for r in d.table("raw_basic_expenditure_economic")
        if r.get("economic_code")
    }
    for col, code, label in (
        ("official_reception_wan_yuan", "30217", "公务接待费"),
        ("vehicle_operation_wan_yuan", "30231", "公务用车运行维护费"),
    ):
        if code not in econ and t8[0].get(col) is not None:
            continue  # 表六 prints no such line (江苏, 烟台 print 302 at 类 level): nothing to compare
        if differs(t8[0].get(col), econ.get(code)):
            f = mismatch(
                three_public_vs_economic,
                econ.get(code),
                t8[0].get(col),
                f"表八 {label} {fmt(t8[0].get(col))} ≠ 表六 {code} {fmt(econ.get(code))}",
                "表八",
                label,
            )
            if v(t8[0].get(col)) > v(econ.get(code)):
                f = replace(f, severity="info", message=f.message + " (the rest is budgeted in project spending, 表七)")
            yield f


# ------------------------------------------------------------------ narrative vs tables


def _facts(d: Disclosure, key: str) -> list[dict]:
    return [f for f in d.table("raw_narrative_facts") if f["fact_key"] == key and f["value"] is not None]


def _loc(f: dict) -> str:
    return f"情况说明 line {f['line_no']}: {f['sentence'][:60]}"


@rule(
    "NR-TOTALS",
    "error",
    "Narrative totals (收支总预算, 收入/支出预算, 基本支出, 项目支出, 财政拨款, 一般公共预算拨款) agree with the "
    "tables.",
)
def narrative_totals(d: Disclosure) -> Iterator[Finding]:
    targets = {
        "budget.total": ("表一 总计", lambda: side_total(d, 1, "income")),
        "income.total": ("表一 收入总计", lambda: side_total(d, 1, "income")),
        "expenditure.total": ("表三 合计", lambda: table_total(d, 3) if has_table(d, 3) else None),
        "expenditure.basic": (
            "表三 基本支出",
            lambda: table_total(d, 3, "basic_wan_yuan") if has_table(d, 3) else None,
        ),
        "expenditure.project": (
            "表三 项目支出",
            lambda: table_total(d, 3, "project_wan_yuan") if has_table(d, 3) else None,
        ),
        "appropriation.total": ("表四 收入总计", lambda: side_total(d, 4, "income")),
        "general_budget.total": ("表五 合计", lambda: table_total(d, 5) if has_table(d, 5) else None),
        "general_budget.basic": (
            "表五 基本支出",
            lambda: table_total(d, 5, "basic_wan_yuan") if has_table(d, 5) else None,
        ),
        "general_budget.project": (
            "表五 项目支出",
            lambda: table_total(d, 5, "project_wan_yuan") if has_table(d, 5) else None,
        ),
        "basic.total": ("表六 合计", lambda: table_total(d, 6) if has_table(d, 6) else None),
        "basic.personnel": (
            "表六 人员经费",
            lambda: table_total(d, 6, "personnel_wan_yuan") if has_table(d, 6) else None,
        ),
        "basic.public_use": (
            "表六 公用经费",
            lambda: table_total(d, 6, "public_use_wan_yuan") if has_table(d, 6) else None,
        ),
        "operating_cost.total": (
            "表六 公用经费 (机关运行经费)",
            lambda: table_total(d, 6, "public_use_wan_yuan") if has_table(d, 6) else None,
        ),
        "three_public.total": (
            "表八 合计",
            lambda: d.table("raw_three_public")[0]["total_wan_yuan"] if d.table("raw_three_public") else None,
        ),
        "performance.amount": (
            "绩效目标表 资金合计",
            lambda: (
                sum((v(t["funds_total_wan_yuan"]) for t in d.table("raw_performance_targets")), ZERO)
                if d.table("raw_performance_targets")
                else None
            ),
        ),
    }
    for key, (label, table_value) in targets.items():
        for f in _facts(d, key):
            expected = table_value()
            if key in ("budget.total", "income.total", "appropriation.total") and not differs(
                year_total(d, 4 if key.startswith("appropriation") else 1, "income"), f["value"]
            ):
                continue  # the narrative states 本年收入合计 (without 上年结转), which the table prints too
            if expected is not None and differs(expected, f["value"]):
                yield mismatch(
                    narrative_totals,
                    expected,
                    f["value"],
                    f"情况说明 {key} {fmt(f['value'])} 万元 ≠ {label} {fmt(expected)} 万元",
                    "情况说明",
                    _loc(f),
                )


@rule("NR-INCOME", "error", "Narrative income by source (一般公共预算 …) agrees with 表一/表四 income lines.")
def narrative_income(d: Disclosure) -> Iterator[Finding]:
    for key, table_no in (("income.by_source", 1), ("appropriation.income.by_source", 4)):
        lines = [r for r in summary_rows(d, table_no, "income") if not r["is_total"]]
        for f in _facts(d, key):
            line = next((r for r in lines if names_match(r["item_name"], f["subject"])), None)
            if line is None:
                continue
            if differs(line.get("total_wan_yuan"), f["value"]):
                yield mismatch(
                    narrative_income,
                    line.get("total_wan_yuan"),
                    f["value"],
                    f"情况说明 {f['subject']} {fmt(f['value'])} 万元 ≠ {TABLE_CODE[table_no]} {line['item_name']} "
                    f"{fmt(line.get('total_wan_yuan'))} 万元",
                    "情况说明",
                    _loc(f),
                )


@rule(
    "NR-CLASS",
    "error",
    "Narrative amounts per functional 类 agree with the tables (表一 for 收支/财政拨款, 表五 for 一般公共预算); "
    "a 类 the narrative names that 表一 does not print is a warning.",
    also=("warning",),
)
def narrative_class(d: Disclosure) -> Iterator[Finding]:
    t1 = [r for r in summary_rows(d, 1, "expenditure") if r.get("functional_class_code")]
    if not t1:  # without 表一 there is no printed 类 to compare with (DOC-TABLE-MISSING says so)
        return
    t5 = by_class(detail_rows(d, 5)) if has_table(d, 5) else {}
    for key in ("expenditure.by_class", "appropriation.by_class", "general_budget.by_class"):
        for f in _facts(d, key):
            line = next((r for r in t1 if names_match(class_name(r["item_name"]), f["subject"])), None)
            if line is None:
                yield Finding(
                    "NR-CLASS", "warning", f"情况说明 {f['subject']} is not a 类 printed in 表一", "情况说明", _loc(f)
                )
                continue
            code = line["functional_class_code"]
            expected = t5.get(code, ZERO) if key == "general_budget.by_class" and t5 else line.get("total_wan_yuan")
            src = f"表五 {code}" if key == "general_budget.by_class" and t5 else f"表一 {line['item_name']}"
            if differs(expected, f["value"]):
                yield mismatch(
                    narrative_class,
                    expected,
                    f["value"],
                    f"情况说明 {f['subject']} {fmt(f['value'])} 万元 ≠ {src} {fmt(expected)} 万元",
                    "情况说明",
                    _loc(f),
                )


@rule(
    "NR-ITEM",
    "error",
    "Narrative amounts per functional 项 (一般公共预算当年拨款 结构/具体使用) agree with 表三/表五 "
    "(info: a 项 the narrative names that matches no row by name is not compared).",
    also=("info",),
)
def narrative_item(d: Disclosure) -> Iterator[Finding]:
    rows = detail_rows(d, 3) if has_table(d, 3) else detail_rows(d, 5)
    # The same code may be named differently in 表二/三/五/七 (行政单位医疗 / 行政单位医疗补助): any of them counts.
    printed = [
        (r["functional_code"], r["functional_name"])
        for t in ("raw_income", "raw_expenditure", "raw_project_expenditure")
        for r in d.table(t)
        if r.get("functional_code") and r.get("functional_name")
    ]
    for key in ("general_budget.by_item", "general_budget.item_detail"):
        for f in _facts(d, key):
            row = next((r for r in rows if names_match(r["functional_name"], f["subject"])), None)
            if row is None:
                code = next((c for c, n in printed if names_match(n, f["subject"])), None)
                row = next((r for r in rows if r["functional_code"] == code), None) if code else None
            if row is None:
                yield Finding(
                    "NR-ITEM",
                    "info",
                    f"情况说明 项 {f['subject']!r} matches no row of 表三 by name; not compared",
                    "情况说明",
                    _loc(f),
                )
                continue
            if differs(row.get("total_wan_yuan"), f["value"]):
                yield mismatch(
                    narrative_item,
                    row.get("total_wan_yuan"),
                    f["value"],
                    f"情况说明 {f['subject']} {fmt(f['value'])} 万元 ≠ 表三 {row['functional_code']} "
                    f"{row['functional_name']} {fmt(row.get('total_wan_yuan'))} 万元",
                    "情况说明",
                    _loc(f),
                )


def share_denominator(d: Disclosure, fact_key: str) -> Decimal | None:
    """What a printed share is a share of: the total the narrative states in the same place
    (收入预算, 支出预算, 一般公共预算拨款合计), else the table's (表一 收入总计, 表三 / 表五 合计).
    A narrative total that disagrees with its table is NR-TOTALS' finding, not this rule's."""
    section = fact_key.split(".")[0]
    stated = _facts(d, f"{section}.total")
    if stated:
        return stated[0]["value"]
    if section == "income":
        return side_total(d, 1, "income")
    if section == "expenditure":
        return table_total(d, 3) if has_table(d, 3) else None
    if section == "general_budget":
        return table_total(d, 5) if has_table(d, 5) else None
    return None


@rule(
    "NR-SHARE",
    "warning",
    "Printed shares (占…%) agree with amount ÷ the total stated beside them (收入预算, 支出预算, "
    "一般公共预算拨款合计; else 表一/表三/表五), within 0.1 percentage point.",
)
def narrative_share(d: Disclosure) -> Iterator[Finding]:
    amounts = {
        (f["fact_key"], f["subject"]): f["value"] for f in d.table("raw_narrative_facts") if f["value"] is not None
    }
    for f in d.table("raw_narrative_facts"):
        if not f["fact_key"].endswith(".share_pct") or f["value"] is None:
            continue
        base = amounts.get((f["fact_key"][: -len(".share_pct")], f["subject"]))
        total = share_denominator(d, f["fact_key"])
        if base is None or not total:
            continue
        computed = (base / total * 100).quantize(Decimal("0.01"))
        if abs(computed - f["value"]) > SHARE_TOLERANCE:
            yield Finding(
                "NR-SHARE",
                "warning",
                f"情况说明 {f['subject'] or f['fact_key']} 占 {fmt(f['value'])}%，"
                f"按 {fmt(base)} ÷ {fmt(total)} 应为 {fmt(computed)}%",
                "情况说明",
                _loc(f),
                expected=computed,
                actual=f["value"],
            )


@rule("NR-THREE-PUBLIC", "error", "Narrative 三公 total and parts agree with 表八.")
def narrative_three_public(d: Disclosure) -> Iterator[Finding]:
    t8 = d.table("raw_three_public")
    if not t8:
        return
    for part in ("overseas_travel", "vehicle_total", "vehicle_purchase", "vehicle_operation", "official_reception"):
        for f in _facts(d, f"three_public.{part}"):
            expected = t8[0].get(f"{part}_wan_yuan")
            if differs(expected, f["value"]):
                yield mismatch(
                    narrative_three_public,
                    expected,
                    f["value"],
                    f"情况说明 {f['subject']} {fmt(f['value'])} 万元 ≠ 表八 {fmt(expected)} 万元",
                    "情况说明",
                    _loc(f),
                )


@rule(
    "NR-THREE-PUBLIC-CHANGE", "error", "The stated changes of the 三公 parts add up to the stated change of the total."
)
def three_public_change(d: Disclosure) -> Iterator[Finding]:
    total = _facts(d, "three_public.change.total")
    parts = [
        f
        for f in d.table("raw_narrative_facts")
        if f["fact_key"].startswith("three_public.change.")
        and f["fact_key"] != "three_public.change.total"
        and f["fact_key"] != "three_public.change.vehicle_total"
        and f["value"] is not None
    ]
    if not total or not parts:
        return
    s = sum((f["value"] for f in parts), ZERO)
    if differs(total[0]["value"], s):
        listed = "、".join(f"{f['subject']} {fmt(f['value'])}" for f in parts)
        yield mismatch(
            three_public_change,
            total[0]["value"],
            s,
            f"三公经费比上年变化 {fmt(total[0]['value'])} 万元，但各项变化之和为 {fmt(s)} 万元（{listed}）",
            "情况说明",
            _loc(total[0]),
        )


@rule("NR-PROCUREMENT", "error", "政府采购: 货物 + 工程 + 服务 = total; set-asides for SMEs do not exceed the total.")
def procurement(d: Disclosure) -> Iterator[Finding]:
    total = _facts(d, "procurement.total")
    parts = [f for k in ("goods", "works", "services") for f in _facts(d, f"procurement.{k}")]
    if total and parts:
        s = sum((f["value"] for f in parts), ZERO)
        if differs(total[0]["value"], s):
            yield mismatch(
                procurement,
                total[0]["value"],
                s,
                f"政府采购预算 {fmt(total[0]['value'])} 万元 ≠ 货物+工程+服务 {fmt(s)} 万元",
                "情况说明",
                _loc(total[0]),
            )
    sme, small = _facts(d, "procurement.sme_reserved"), _facts(d, "procurement.small_micro_reserved")
    if total and sme and sme[0]["value"] > total[0]["value"]:
        yield mismatch(
            procurement,
            total[0]["value"],
            sme[0]["value"],
            "面向中小企业预留金额超过政府采购预算",
            "情况说明",
            _loc(sme[0]),
        )
    if sme and small and small[0]["value"] > sme[0]["value"]:
        yield mismatch(
            procurement,
            sme[0]["value"],
            small[0]["value"],
            "面向小微企业预留金额超过中小企业预留金额",
            "情况说明",
            _loc(small[0]),
        )


@rule("NR-ASSET-VEHICLE", "error", "国有资产: vehicles by kind add up to the vehicle count and value.")
def asset_vehicles(d: Disclosure) -> Iterator[Finding]:
    for what, unit in (("count", "辆"), ("value", "万元")):
        total = _facts(d, f"assets.vehicle.{what}")
        kinds = _facts(d, f"assets.vehicle_kind.{what}")
        if not total or not kinds:
            continue
        s = sum((f["value"] for f in kinds), ZERO)
        if differs(total[0]["value"], s):
            listed = " + ".join(f"{f['subject']} {fmt(f['value'])}" for f in kinds)
            yield mismatch(
                asset_vehicles,
                total[0]["value"],
                s,
                f"车辆 {fmt(total[0]['value'])}{unit}，但 {listed} = {fmt(s)}{unit}",
                "情况说明",
                _loc(total[0]),
            )


@rule("NR-PERFORMANCE-COUNT", "error", "The number of 绩效 projects stated equals the number of 绩效目标表 printed.")
def performance_count(d: Disclosure) -> Iterator[Finding]:
    for f in _facts(d, "performance.project_count"):
        n = Decimal(len(d.table("raw_performance_targets")))
        if n and differs(n, f["value"]):
            yield mismatch(
                performance_count,
                n,
                f["value"],
                f"情况说明 绩效项目 {fmt(f['value'])} 个 ≠ 绩效目标表 {n} 张",
                "情况说明",
                _loc(f),
            )


@rule(
    "NR-PROJECT",
    "warning",
    "Projects named in the narrative (七、项目支出) appear in 表七 under the same name and amount.",
)
def narrative_projects(d: Disclosure) -> Iterator[Finding]:
    projects = [r for r in d.table("raw_project_expenditure") if not r["is_total"] and r.get("project_name")]
    if not projects:
        return
    for f in _facts(d, "project.amount"):
        row = next((r for r in projects if squash(r["project_name"]) == squash(f["subject"])), None)
        if row is None:
            near = [r["project_name"] for r in projects if v(r.get("total_wan_yuan")) == f["value"]]
            yield Finding(
                "NR-PROJECT",
                "warning",
                f"情况说明 项目 {f['subject']!r} ({fmt(f['value'])} 万元) is not in 表七 by that name"
                + (f"; 表七 has {near[0]!r} with the same amount" if near else ""),
                "情况说明",
                _loc(f),
            )
        elif differs(row.get("total_wan_yuan"), f["value"]):
            yield mismatch(
                narrative_projects,
                row.get("total_wan_yuan"),
                f["value"],
                f"情况说明 项目 {f['subject']} {fmt(f['value'])} 万元 ≠ 表七 {fmt(row.get('total_wan_yuan'))} 万元",
                "情况说明",
                _loc(f),
            )


# ------------------------------------------------------------------ performance targets


@rule("PT-COST", "error", "A 绩效目标表's 成本指标 in 万元 equals the project's 年度资金总额.")
def target_cost(d: Disclosure) -> Iterator[Finding]:
    targets = {t["target_no"]: t for t in d.table("raw_performance_targets")}
    for ind in d.table("raw_performance_indicators"):
        if ind.get("level2") != "成本指标" or ind.get("target_unit") != "万元" or ind.get("target_number") is None:
            continue
        t = targets.get(ind["target_no"])
        if t and t.get("funds_total_wan_yuan") is not None and differs(t["funds_total_wan_yuan"], ind["target_number"]):
            yield mismatch(
                target_cost,
                t["funds_total_wan_yuan"],
                ind["target_number"],
                f"绩效目标表 {t['project_name']}: 年度资金总额 {fmt(t['funds_total_wan_yuan'])} 万元，"
                f"成本指标 {ind['level3']} 为 {fmt(ind['target_number'])} 万元",
                "绩效目标表",
                t["project_name"],
            )


@rule(
    "PT-FUNDS", "error", "A 绩效目标表's 年度资金总额 = 财政拨款 + 其他资金, and equals the project's amount in 表七."
)
def target_funds(d: Disclosure) -> Iterator[Finding]:
    projects = [r for r in d.table("raw_project_expenditure") if not r["is_total"] and r.get("project_name")]
    for t in d.table("raw_performance_targets"):
        total = t.get("funds_total_wan_yuan")
        s = v(t.get("funds_fiscal_wan_yuan")) + v(t.get("funds_other_wan_yuan"))
        if total is not None and (t.get("funds_fiscal_wan_yuan") is not None) and differs(total, s):
            yield mismatch(
                target_funds,
                s,
                total,
                f"绩效目标表 {t['project_name']}: 年度资金总额 {fmt(total)} ≠ 财政拨款+其他资金 {fmt(s)}",
                "绩效目标表",
                t["project_name"],
            )
        row = next((r for r in projects if squash(r["project_name"]) == squash(t["project_name"])), None)
        if row is not None and differs(row.get("total_wan_yuan"), total):
            yield mismatch(
                target_funds,
                row.get("total_wan_yuan"),
                total,
                f"绩效目标表 {t['project_name']} 资金 {fmt(total)} 万元 ≠ 表七 {fmt(row.get('total_wan_yuan'))} 万元",
                "绩效目标表",
                t["project_name"],
            )


@rule("PT-PROJECT-NAME", "warning", "Every 绩效目标表 names a project printed in 表七.")
def target_names(d: Disclosure) -> Iterator[Finding]:
    projects = [r for r in d.table("raw_project_expenditure") if not r["is_total"] and r.get("project_name")]
    if not projects:
        return
    for t in d.table("raw_performance_targets"):
        if not any(squash(r["project_name"]) == squash(t["project_name"]) for r in projects):
            near = [
                r["project_name"] for r in projects if v(r.get("total_wan_yuan")) == v(t.get("funds_total_wan_yuan"))
            ]
            yield Finding(
                "PT-PROJECT-NAME",
                "warning",
                f"绩效目标表 project {t['project_name']!r} is not in 表七 by that name"
                + (f"; 表七 has {near[0]!r} with the same amount" if near else ""),
                "绩效目标表",
                t["project_name"],
            )


# ------------------------------------------------------------------ document


@rule(
    "DOC-TABLE-MISSING",
    "error",
    "The eight tables the 操作规程 requires of every 部门预算 are present (an empty one with its note counts), and "
    "no 表N the document's own numbering skips is absent (ingest/recognize/table_kinds.yaml: required).",
)
def tables_missing(d: Disclosure) -> Iterator[Finding]:
    for r in d.table("raw_tables"):
        if r["status"] == "missing":
            yield Finding("DOC-TABLE-MISSING", "error", f"{r['table_code']} not found in the document", r["table_code"])


@rule("DOC-UNIT-VARIANT", "info", "The unit is written in more than one way in the document (all spellings are kept).")
def unit_variants(d: Disclosure) -> Iterator[Finding]:
    if len(d.unit_name_variants) > 1:
        yield Finding("DOC-UNIT-VARIANT", "info", f"unit written as {' / '.join(d.unit_name_variants)}")


def _cent(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rounded(f: Finding) -> Finding:
    """An NR-* mismatch that is only the table's extra decimals (北京 prints 44169.357532, 上海 prints
    元: 91016775.35 元 = 9101.677535 万元; the narrative says 44169.36 / 9101.68) becomes an NR-ROUNDED
    info: the two agree at the narrative's printed 0.01 万元."""
    e, a = f.expected, f.actual
    if not f.rule_id.startswith("NR-") or f.severity != "error" or e is None or a is None or e == a or _cent(e) != a:
        return f
    return Finding(
        "NR-ROUNDED",
        "info",
        f"{f.message}（{f.rule_id}：表中数 {e.normalize():f} 四舍五入到 0.01 万元即为"
        f"情况说明所述 {a.normalize():f}，两者一致）",
        f.table_ref,
        f.location,
        e,
        a,
    )


def run_rules(d: Disclosure) -> None:
    for r in RULES.values():
        d.findings.extend(rounded(f) for f in r.check(d))
