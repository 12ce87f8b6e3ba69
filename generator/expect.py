"""What a correct reader must recover from a generated file, in the shape of the raw lake tables.

`expected(truth)` and `observed(disclosure)` give the same structure — per raw table a list of
tuples (amounts as Decimal, blank = 0) — so a test is `assert observed(d) == expected(t)`, and
`diff(expected, observed)` says which table and row differ. Misprints injected as defects are
applied (the reader must read what is printed; the rules must flag it). What a reader must
recover depends on the truth's template family (`t.layout.template`): the national one prints
no 表七, its own 表一/表四 lines, 表二 as one line of totals and 类/款 subtotal lines in
表三/表五/表六 (generator/national.py).
"""

from __future__ import annotations

from decimal import Decimal

from generator import catalog as C
from generator.truth import ZERO, DisclosureTruth
from ingest.disclosure import Disclosure

TABLE_CODES = "一二三四五六七八九"
PROJECT_COLS = [c for _, c in C.PROJECT_COLUMNS]


def z(x) -> Decimal:
    return ZERO if x is None else Decimal(x)


def _wrong(t: DisclosureTruth, table_no: int, column: str, value: Decimal) -> Decimal:
    p = next((d.params for d in t.defects if d.kind == "wrong_total"), None)
    if p and p["table"] == table_no and column in p["columns"]:
        return value + p["delta"]
    return value


def missing_table(t: DisclosureTruth) -> int | None:
    p = next((d.params for d in t.defects if d.kind == "missing_table"), None)
    return p["table"] if p else None


def expected(t: DisclosureTruth) -> dict[str, list]:
    gone = missing_table(t)
    national = t.layout.template == "national"
    T = t.total
    out: dict[str, list] = {}
    out["document"] = [(t.unit.name, t.fiscal_year, t.signed)]
    out["variants"] = sorted({t.unit.name} | {d.params["variant"] for d in t.defects if d.kind == "unit_variant"})
    out["raw_tables"] = [
        (
            no,
            "missing" if no == gone else ("empty" if no == 9 else "present"),
            None if no == gone else ("元" if t.layout.yuan_table == no else "万元"),
        )
        for no in range(1, 10)
    ]
    if national:  # no 一般公共预算项目支出表 in the template, and no gap in its numbering: not printed
        out["raw_tables"][6] = (7, "not_printed", None)
    out["raw_budget_summary"] = sorted(_national_summary(t, gone) if national else _changji_summary(t, gone))
    if gone != 2:
        rows = [] if national else [(e.code, e.name, e.total, e.total) for e in t.expenditure]  # national: totals only
        rows.append((None, None, _wrong(t, 2, "total_wan_yuan", T), _wrong(t, 2, "general_budget_wan_yuan", T)))
        out["raw_income"] = rows
    exp = []
    for no in (3, 5):
        if no != gone:
            if national:  # 类, 款 and 项 lines
                from generator.national import functional_lines

                exp += [(no, *line) for line in functional_lines(t)]
            else:
                exp += [(no, e.code, e.name, e.total, e.basic, e.project) for e in t.expenditure]
            exp.append(
                (
                    no,
                    None,
                    None,
                    _wrong(t, no, "total_wan_yuan", T),
                    _wrong(t, no, "basic_wan_yuan", t.basic_total),
                    _wrong(t, no, "project_wan_yuan", t.project_total),
                )
            )
    if gone != 9:
        exp.append((9, None, None, ZERO, ZERO, ZERO))
    out["raw_expenditure"] = exp
    if gone != 6:
        if national:  # 类 (301/302/303) and 款 lines
            from generator.national import economic_lines

            rows = list(economic_lines(t))
        else:
            rows = [(e.code, e.name, e.total, e.personnel, e.public_use) for e in t.economic]
        rows.append(
            (
                None,
                None,
                _wrong(t, 6, "total_wan_yuan", t.basic_total),
                _wrong(t, 6, "personnel_wan_yuan", t.personnel_total),
                _wrong(t, 6, "public_use_wan_yuan", t.public_use_total),
            )
        )
        out["raw_basic_expenditure_economic"] = rows
    if gone != 7 and not national:
        rows = [
            (p.code, p.code_name, p.name, p.amount, *[p.columns.get(c, ZERO) for c in PROJECT_COLS[1:]])
            for p in t.projects
        ]
        totals = [
            _wrong(
                t,
                7,
                c,
                t.project_total if c == "total_wan_yuan" else sum((p.columns.get(c, ZERO) for p in t.projects), ZERO),
            )
            for c in PROJECT_COLS
        ]
        rows.append((None, None, None, *totals))
        out["raw_project_expenditure"] = rows
    if gone != 8:
        tp = t.three_public
        out["raw_three_public"] = [
            (
                tp.total,
                tp.overseas_travel,
                tp.vehicle_total,
                tp.vehicle_purchase,
                tp.vehicle_operation,
                tp.official_reception,
            )
        ]
    p = t.profile
    out["raw_unit_profile"] = [
        (
            p.authorized_staff,
            p.actual_staff,
            p.in_service_staff,
            p.in_service_change,
            p.retired_staff,
            p.retired_change,
            p.separated_staff,
            p.separated_change,
            len(p.internal_department_names),
            "、".join(p.internal_department_names),
            p.subordinate_unit_count,
        )
    ]
    out["raw_narrative_facts"] = sorted(
        (f.fact_key, f.subject or "", z(f.value) if f.value is not None else None, f.value_text or "") for f in t.facts
    )
    names = {d.params["project"]: d.params["variant"] for d in t.defects if d.kind == "project_name_target"}
    cost = {d.params["project"]: d.params["printed"] for d in t.defects if d.kind == "cost_indicator"}
    targets, indicators = [], []
    for i, pr in enumerate(t.projects):
        name = names.get(i, pr.name)
        targets.append((name, t.unit.name, t.fiscal_year, pr.amount, pr.amount, ZERO, pr.goal))
        for ind in pr.indicators:
            number, value = ind.number, ind.target_value
            if ind.level2 == "成本指标" and i in cost:
                number, value = cost[i], _plain(cost[i])
            if ind.level2 == "成本指标" and t.layout.full_wording and t.layout.thousands and t.fmt == "txt":
                from generator.render.text import group_thousands

                value = group_thousands(value)  # printed as an amount: 1,792.42
            indicators.append(
                (name, ind.level1, ind.level2, ind.level3, value, ind.comparator, number, ind.high, ind.unit)
            )
    out["raw_performance_targets"] = targets
    out["raw_performance_indicators"] = indicators
    return out


def _changji_summary(t: DisclosureTruth, gone: int | None) -> list[tuple]:
    """表一/表四 lines with an amount (and the totals), as (table, side, label, 类 code, 合计, 一般公共预算)."""
    T, out = t.total, []
    for no in (1, 4):
        if no == gone:
            continue
        out += [
            (no, "income", "财政拨款（补助）", None, T, ZERO),
            (no, "income", "一般公共预算", None, T, ZERO),
            (no, "income", "收入总计", None, T, ZERO),
        ]
        out += [(no, "expenditure", C.CLASS_NAMES[c], c, a, a if no == 4 else ZERO) for c, a in t.by_class().items()]
        out.append((no, "expenditure", "支出总计", None, T, T if no == 4 else ZERO))
    return out


def _national_summary(t: DisclosureTruth, gone: int | None) -> list[tuple]:
    """The national 部门收支总表 / 财政拨款收支总表: numbered lines without 类 codes, one 预算数 column
    (no 一般公共预算 column), 本年收入合计 / 本年支出合计 before the 总计 lines of 表一; blank lines
    (上年结转, 结转下年, the other funds) are not read."""
    from generator.national import cn_number

    T, out = t.total, []
    classes = list(t.by_class().items())
    if gone != 1:
        out += [
            (1, "income", "一、一般公共预算拨款收入", None, T, ZERO),
            (1, "income", "本年收入合计", None, T, ZERO),
            (1, "income", "收入总计", None, T, ZERO),
            (1, "expenditure", "本年支出合计", None, T, ZERO),
            (1, "expenditure", "支出总计", None, T, ZERO),
        ]
        out += [
            (1, "expenditure", f"{cn_number(i)}、{C.CLASS_NAMES[c]}", None, a, ZERO)
            for i, (c, a) in enumerate(classes, 1)
        ]
    if gone != 4:
        out += [
            (4, "income", "一、本年收入", None, T, ZERO),
            (4, "income", "（一）一般公共预算拨款", None, T, ZERO),
            (4, "income", "收入总计", None, T, ZERO),
            (4, "expenditure", "一、本年支出", None, T, ZERO),
            (4, "expenditure", "支出总计", None, T, ZERO),
        ]
        out += [
            (4, "expenditure", f"（{cn_number(i)}）{C.CLASS_NAMES[c]}", None, a, ZERO)
            for i, (c, a) in enumerate(classes, 1)
        ]
    return out


def _plain(x: Decimal) -> str:
    from generator.layout import plain

    return plain(x)


def _label(item_name: str) -> str:
    from ingest.recognize.common import squash

    s = squash(item_name)
    return s[3:] if s[:3].isdigit() else s


def observed(d: Disclosure) -> dict[str, list]:
    out: dict[str, list] = {}
    doc = d.table("raw_documents")[0]
    out["document"] = [(d.unit_name, d.fiscal_year, doc["signed_date"].isoformat() if doc["signed_date"] else None)]
    out["variants"] = sorted(d.unit_name_variants)
    out["raw_tables"] = [(r["table_no"], r["status"], r["money_unit"]) for r in d.table("raw_tables")]
    summary = []
    for r in d.table("raw_budget_summary"):
        if r.get("total_wan_yuan") is None and not r["is_total"]:
            continue
        summary.append(
            (
                r["table_no"],
                r["side"],
                _label(r["item_name"]),
                r["functional_class_code"],
                z(r.get("total_wan_yuan")),
                z(r.get("general_budget_wan_yuan")),
            )
        )
    out["raw_budget_summary"] = sorted(summary)
    if any(r["table_no"] == 2 and r["status"] != "missing" for r in d.table("raw_tables")):
        out["raw_income"] = [
            (r["functional_code"], r["functional_name"], z(r["total_wan_yuan"]), z(r["general_budget_wan_yuan"]))
            for r in d.table("raw_income")
        ]
    out["raw_expenditure"] = [
        (
            r["table_no"],
            r["functional_code"],
            r["functional_name"],
            z(r["total_wan_yuan"]),
            z(r["basic_wan_yuan"]),
            z(r["project_wan_yuan"]),
        )
        for r in d.table("raw_expenditure")
    ]
    if d.table("raw_basic_expenditure_economic"):
        out["raw_basic_expenditure_economic"] = [
            (
                r["economic_code"],
                r["economic_name"],
                z(r["total_wan_yuan"]),
                z(r["personnel_wan_yuan"]),
                z(r["public_use_wan_yuan"]),
            )
            for r in d.table("raw_basic_expenditure_economic")
        ]
    if d.table("raw_project_expenditure"):
        out["raw_project_expenditure"] = [
            (r["functional_code"], r["functional_name"], r["project_name"], *[z(r.get(c)) for c in PROJECT_COLS])
            for r in d.table("raw_project_expenditure")
        ]
    if d.table("raw_three_public"):
        out["raw_three_public"] = [
            tuple(
                z(r[c])
                for c in (
                    "total_wan_yuan",
                    "overseas_travel_wan_yuan",
                    "vehicle_total_wan_yuan",
                    "vehicle_purchase_wan_yuan",
                    "vehicle_operation_wan_yuan",
                    "official_reception_wan_yuan",
                )
            )
            for r in d.table("raw_three_public")
        ]
    out["raw_unit_profile"] = [
        tuple(
            r.get(k)
            for k in (
                "authorized_staff",
                "actual_staff",
                "in_service_staff",
                "in_service_change",
                "retired_staff",
                "retired_change",
                "separated_staff",
                "separated_change",
                "internal_department_count",
                "internal_department_names",
                "subordinate_unit_count",
            )
        )
        for r in d.table("raw_unit_profile")
    ]
    out["raw_narrative_facts"] = sorted(
        (f["fact_key"], f["subject"] or "", f["value"], f["value_text"] or "") for f in d.table("raw_narrative_facts")
    )
    out["raw_performance_targets"] = [
        (
            r["project_name"],
            r["budget_unit_name"],
            r["target_year"],
            z(r["funds_total_wan_yuan"]),
            z(r["funds_fiscal_wan_yuan"]),
            z(r["funds_other_wan_yuan"]),
            r["overall_goal"],
        )
        for r in d.table("raw_performance_targets")
    ]
    out["raw_performance_indicators"] = [
        (
            r["project_name"],
            r["level1"],
            r["level2"],
            r["level3"],
            r["target_value"],
            r["comparator"],
            r["target_number"],
            r["target_number_high"],
            r["target_unit"],
        )
        for r in d.table("raw_performance_indicators")
    ]
    return out


def diff(exp: dict[str, list], obs: dict[str, list]) -> list[str]:
    """Human-readable differences, table by table (empty when the reader got everything)."""
    problems = []
    for key in sorted(set(exp) | set(obs)):
        e, o = exp.get(key), obs.get(key)
        if e == o:
            continue
        if e is None or o is None:
            problems.append(
                f"{key}: expected {'nothing' if e is None else len(e)} rows, read {'nothing' if o is None else len(o)}"
            )
            continue
        missing = [x for x in e if x not in o]
        extra = [x for x in o if x not in e]
        if not missing and not extra:
            problems.append(f"{key}: same rows in a different order")
        for x in missing[:5]:
            problems.append(f"{key}: expected, not read: {x}")
        for x in extra[:5]:
            problems.append(f"{key}: read, not expected: {x}")
    return problems
