"""What a correct reader must recover from a generated 决算, in the shape of what ingest yields.

`expected_final(t)` and `observed_final(disclosure)` give the same structure, so a test is
`diff_final(expected_final(t), observed_final(d)) == []`:

* document: unit name, fiscal year, disclosure kind (决算);
* kinds: the table kinds in printed order (the nine 公开表);
* figures: every key figure of ingest.recognize.final_accounts.FINAL_FIGURES the document prints (a blank
  “三公” part cell is no figure), as printed (misprints of the injected defects included);
* facts: the 情况说明's figures (raw_narrative_facts: fact_key, subject, value);
* lines: the amount cells of 支出决算表, 一般公共预算财政拨款支出决算表, 一般公共预算财政拨款基本支出决算表 and
  the “三公” table (raw_final_lines: code or label, column meaning, amount in 万元), computed from the
  truth's lines, not from the layout.
"""

from __future__ import annotations

from decimal import Decimal

from generator.final_accounts import FinalAccountsTruth
from ingest.disclosure import Disclosure

KINDS = [
    "final_income_expenditure_summary",
    "final_income",
    "final_expenditure",
    "final_appropriation_summary",
    "final_general_budget_expenditure",
    "final_general_budget_basic",
    "final_government_fund",
    "final_state_capital",
    "final_three_public",
]
LINE_KINDS = (
    "final_expenditure",
    "final_general_budget_expenditure",
    "final_general_budget_basic",
    "final_three_public",
)
# figures whose cell prints even when zero (totals); the others are blank cells when zero: no figure
ALWAYS_PRINTED = {
    "final_total",
    "final_income_total",
    "final_expenditure_total",
    "final_expenditure_table_total",
    "final_appropriation_total",
    "final_general_budget_total",
    "final_basic_personnel",
    "final_basic_public",
    "final_three_public_budget",
    "final_three_public_total",
    "narrative_final_total",
    "narrative_final_appropriation_total",
    "narrative_final_three_public_total",
}
THREE_PUBLIC_KEYS = (
    "three_public_total",
    "three_public_outbound",
    "three_public_vehicle_total",
    "three_public_vehicle_purchase",
    "three_public_vehicle_operation",
    "three_public_reception",
)


def _three(tp) -> dict[str, Decimal]:
    return dict(
        zip(
            THREE_PUBLIC_KEYS,
            (
                tp.total,
                tp.overseas_travel,
                tp.vehicle_total,
                tp.vehicle_purchase,
                tp.vehicle_operation,
                tp.official_reception,
            ),
        )
    )


def _code_lines(lines, values: dict) -> list[tuple]:
    """(code, meaning, amount) of every 类, 款 and 项 line (sums by code prefix), zero cells left out."""
    out = []
    for n in (3, 5, 7):
        for code in sorted({x.code[:n] for x in lines}):
            for meaning, f in values.items():
                amount = sum((f(x) for x in lines if x.code[:n] == code), Decimal(0))
                if amount:
                    out.append((code, meaning, amount))
    return out


def expected_final(t: FinalAccountsTruth) -> dict:
    bad = t.defect("wrong_total")
    table_total = t.expenditure_total + (bad["delta"] if bad else 0)
    tb, tf = _three(t.three_public_budget), _three(t.three_public_final)
    said = {f.fact_key: f.value for f in t.facts if f.subject is None}
    figures = {
        "final_total": t.total,
        "final_income_total": t.income_total,
        "final_expenditure_total": t.expenditure_total,
        "final_carry_forward_begin": t.begin_total,
        "final_carry_forward_end": t.end_total,
        "final_expenditure_table_total": table_total,
        "final_expenditure_table_basic": t.basic_total,
        "final_expenditure_table_project": t.project_total,
        "final_appropriation_total": t.appropriation_total,
        "final_general_budget_total": t.gb_total,
        "final_general_budget_basic": t.gb_basic_total,
        "final_basic_personnel": t.personnel_total,
        "final_basic_public": t.public_use_total,
        "final_three_public_budget": tb["three_public_total"],
        **{f"final_{k}": v for k, v in tf.items() if v or k == "three_public_total"},
        "narrative_final_total": said["final.total"],
        "narrative_final_appropriation_total": said["final.appropriation_total"],
        "narrative_final_three_public_total": said["final.three_public.total"],
    }
    figures = {k: v for k, v in figures.items() if v or k in ALWAYS_PRINTED}
    lines = {
        "final_expenditure": [
            x
            for x in (
                ("合计", "total", table_total),
                ("合计", "basic", t.basic_total),
                ("合计", "project", t.project_total),
            )
            if x[2] or x[1] == "total"
        ]
        + _code_lines(
            t.spent, {"total": lambda x: x.total, "basic": lambda x: x.basic, "project": lambda x: x.project}
        ),
        "final_general_budget_expenditure": [
            x
            for x in (
                ("合计", "total", t.gb_total),
                ("合计", "basic", t.gb_basic_total),
                ("合计", "project", t.gb_project_total),
            )
            if x[2] or x[1] == "total"
        ]
        + _code_lines(
            [x for x in t.lines if x.gb_total],
            {"total": lambda x: x.gb_total, "basic": lambda x: x.gb_basic, "project": lambda x: x.gb_project},
        ),
        "final_general_budget_basic": sorted(
            [
                (cls, "amount", sum((r.total for r in t.economic if r.code[:3] == cls), Decimal(0)))
                for cls in {r.code[:3] for r in t.economic}
            ]
            + [(r.code, "amount", r.total) for r in t.economic]
            + [("人员经费合计", "amount", t.personnel_total), ("公用经费合计", "amount", t.public_use_total)]
        ),
        "final_three_public": sorted(
            [("预算数", k, v) for k, v in tb.items() if v or k == "three_public_total"]
            + [("决算数", k, v) for k, v in tf.items() if v or k == "three_public_total"]
        ),
    }
    lines = {k: sorted(v, key=str) for k, v in lines.items()}
    return {
        "document": (t.unit.name, t.fiscal_year, "决算"),
        "kinds": list(KINDS),
        "figures": figures,
        "facts": sorted(((f.fact_key, f.subject, f.value) for f in t.facts), key=str),
        "lines": lines,
    }


def observed_final(d: Disclosure) -> dict:
    from ingest.recognize.final_accounts import FinalDisclosure, final_figures

    if not isinstance(d, FinalDisclosure):
        return {"document": (d.unit_name, d.fiscal_year, "预算"), "kinds": [], "figures": {}, "facts": [], "lines": {}}
    doc = d.table("raw_documents")[0]
    lines: dict[str, list] = {k: [] for k in LINE_KINDS}
    for r in d.table("raw_final_lines"):
        if r["table_kind"] not in lines or r["amount_wan_yuan"] is None:
            continue
        if r["table_kind"] == "final_three_public":
            key = (r["side"], r["column_meaning"], r["amount_wan_yuan"])
        elif r["table_kind"] == "final_general_budget_basic":
            key = (r["economic_code"] or r["line_label"], r["column_meaning"], r["amount_wan_yuan"])
        else:
            key = (r["functional_code"] or r["line_label"], r["column_meaning"], r["amount_wan_yuan"])
        lines[r["table_kind"]].append(key)
    return {
        "document": (d.unit_name, d.fiscal_year, doc["disclosure_kind"]),
        "kinds": [t.kind for t in d.final.tables],
        "figures": {k: f.value for k, f in final_figures(d).items()},
        "facts": sorted(((f["fact_key"], f["subject"], f["value"]) for f in d.table("raw_narrative_facts")), key=str),
        "lines": {k: sorted(v, key=str) for k, v in lines.items()},
    }


def diff_final(exp: dict, obs: dict) -> list[str]:
    """What differs, one line each (amounts compared as Decimals: 5.10 == 5.1)."""
    out = []
    for key in ("document", "kinds"):
        if exp[key] != obs[key]:
            out.append(f"{key}: expected {exp[key]}, read {obs[key]}")
    for k in sorted(set(exp["figures"]) | set(obs["figures"])):
        if exp["figures"].get(k) != obs["figures"].get(k):
            out.append(f"figure {k}: expected {exp['figures'].get(k)}, read {obs['figures'].get(k)}")
    e, o = set(exp["facts"]), set(obs["facts"])
    out += [f"fact not read: {x}" for x in sorted(e - o, key=str)] + [
        f"fact read, not stated: {x}" for x in sorted(o - e, key=str)
    ]
    for kind in LINE_KINDS:
        e, o = set(exp["lines"].get(kind, [])), set(obs["lines"].get(kind, []))
        out += [f"{kind} cell not read: {x}" for x in sorted(e - o, key=str)]
        out += [f"{kind} cell read, not printed: {x}" for x in sorted(o - e, key=str)]
        if len(exp["lines"].get(kind, [])) != len(obs["lines"].get(kind, [])):
            out.append(
                f"{kind}: {len(exp['lines'].get(kind, []))} cells expected, {len(obs['lines'].get(kind, []))} read"
            )
    return out
