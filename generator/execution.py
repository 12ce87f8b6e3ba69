"""A prefecture's 预算 and 决算, paired, and the rows the execution marts must hold for it.

`generate_paired(out, regions, units_per_region, years, opts)` writes the 预算 corpus exactly as
`generator.corpus.generate` does and, beside each 预算 file, the 决算 of the same unit and year
(`<预算 file name>-juesuan.<fmt>` + its `.truth.json`, generator/final_accounts.py), each in a format drawn
from `opts.formats`. `python -m generator … --with-final-accounts` is the same from the command line.

`expected_execution(source)` gives the rows of the execution marts of /work/notes/execution_contract.md
(docs/generator.md, "决算"), with exactly the contract's column names, money as `Decimal` (万元), rates as
`Decimal` ratios rounded half-up to 4 places, NULL as `None`:

    {"mart_budget_execution": [...], "mart_budget_execution_regional": [...],
     "mart_three_public_execution": [...], "mart_three_public_execution_regional": [...]}

`source` is a `PairedCorpus`, or a folder holding the files and their `.truth.json` (document ids are the
SHA-256 of the files found beside their truths; `None` when the file is not there).
What the 预算 side is, is what the warehouse loads of the 预算 file: a `missing_table` defect of 表三, 表五 or
表八 leaves that side NULL; misprinted totals (wrong_total) do not touch the leaf lines.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from generator import catalog as C
from generator.build import Options
from generator.corpus import Corpus, generate
from generator.final_accounts import FinalAccountsTruth, build_final, final_from_json, is_final_truth, write_final
from generator.truth import ZERO, DisclosureTruth, LayoutVariant, to_plain

RATE = Decimal("0.0001")
THREE_PUBLIC_ITEMS = (
    ("overseas_travel", "因公出国（境）费"),
    ("vehicle_purchase", "公务用车购置费"),
    ("vehicle_operation", "公务用车运行维护费"),
    ("official_reception", "公务接待费"),
    ("total", "合计"),
)
MARTS = (
    "mart_budget_execution",
    "mart_budget_execution_regional",
    "mart_three_public_execution",
    "mart_three_public_execution_regional",
)


@dataclass
class PairedCorpus:
    out: Path
    budgets: Corpus
    finals: list[FinalAccountsTruth] = field(default_factory=list)
    final_files: list[Path] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return list(self.budgets.files) + list(self.final_files)


def _rng(*parts) -> random.Random:
    return random.Random("|".join(str(p) for p in parts))


def final_layout_variant(t: DisclosureTruth, opts: Options) -> LayoutVariant:
    rng = _rng(opts.seed, "final-layout", t.unit.unit_id, t.fiscal_year)
    code_layout = rng.choice(["joined", "joined", "split"]) if opts.layout_variants else "joined"
    lv = LayoutVariant(
        code_layout=code_layout,
        text_layout=rng.choice(list(opts.text_layouts)),
        encoding=rng.choice(list(opts.encodings)),
        thousands=rng.random() < 0.5,
        template="central",
    )
    if opts.layout_variants:  # one 决算 in four prints one of its tables in 元, as district templates do
        yuan = _rng(opts.seed, "final-yuan", t.unit.unit_id, t.fiscal_year)
        if yuan.random() < 0.25:
            lv.yuan_table = yuan.choice([1, 3, 5, 6, 9])
    return lv


def generate_paired(
    out: Path,
    regions: list[str],
    units_per_region: int,
    years: list[int],
    opts: Options,
    final_defect_rate: float | None = None,
    final_defect_kinds: tuple[str, ...] | None = None,
    skip_missing_renderers: bool = True,
) -> PairedCorpus:
    """The 预算 corpus (generator.corpus.generate) and the 决算 of every unit-year it holds."""
    out = Path(out)
    budgets = generate(out, regions, units_per_region, years, opts, skip_missing_renderers=skip_missing_renderers)
    paired = PairedCorpus(out, budgets)
    rate = opts.defect_rate if final_defect_rate is None else final_defect_rate
    for b in budgets.truths:
        fmt = _rng(opts.seed, "final-format", b.unit.unit_id, b.fiscal_year).choice(list(opts.formats))
        lv = final_layout_variant(b, opts)
        if (
            fmt == "pdf"
            and opts.embed_font
            and _rng(opts.seed, "final-embed", b.unit.unit_id, b.fiscal_year).random() < 0.5
        ):
            lv.pdf_font = opts.embed_font
        ft = build_final(b, opts.seed, fmt, lv, rate, final_defect_kinds)
        paired.finals.append(ft)
        paired.final_files.append(write_final(ft, out))
    return paired


# ------------------------------------------------------------------ expected rows


def _rate(final: Decimal | None, budget: Decimal | None) -> Decimal | None:
    if final is None or not budget:
        return None
    return (final / budget).quantize(RATE, rounding=ROUND_HALF_UP)


def _diff(final: Decimal | None, budget: Decimal | None) -> Decimal | None:
    return None if final is None or budget is None else final - budget


def _missing(budget: dict) -> set[int]:
    return {d["params"]["table"] for d in budget.get("defects", []) if d["kind"] == "missing_table"}


def _doc(folder: Path | None, name: str, fmt: str) -> tuple[str | None, str | None]:
    """(document_id, source_file) of a generated file: its SHA-256 when the file is at hand."""
    from generator.render import suffix_for

    file_name = f"{name}{suffix_for(fmt)}"
    if folder is None or not (folder / file_name).exists():
        return None, file_name
    return hashlib.sha256((folder / file_name).read_bytes()).hexdigest(), file_name


def _load(source) -> tuple[list[dict], list[FinalAccountsTruth], Path | None]:
    if isinstance(source, PairedCorpus):
        return [to_plain(t) for t in source.budgets.truths], list(source.finals), source.out
    folder = Path(source)
    budgets, finals = [], []
    for p in sorted(folder.glob("*.truth.json")):
        data = json.loads(p.read_text(encoding="utf-8"))
        if is_final_truth(data):
            finals.append(final_from_json(data))
        else:
            budgets.append(data)
    return budgets, finals, folder


def expected_execution(source) -> dict[str, list[dict]]:
    """The rows of the four execution marts for a paired corpus (see the module docstring)."""
    budgets, finals, folder = _load(source)
    by_budget = {(b["unit"]["unit_id"], b["fiscal_year"]): b for b in budgets}
    by_final = {(f.unit.unit_id, f.fiscal_year): f for f in finals}
    units = {b["unit"]["unit_id"]: b["unit"] for b in budgets} | {f.unit.unit_id: to_plain(f.unit) for f in finals}
    rows, three = [], []
    for key in sorted(set(by_budget) | set(by_final)):
        unit_id, year = key
        unit = units[unit_id]
        b, f = by_budget.get(key), by_final.get(key)
        b_doc = _doc(folder, b["file_name"], b["fmt"]) if b else (None, None)
        f_doc = _doc(folder, f.file_name, f.fmt) if f else (None, None)
        gone = _missing(b) if b else set()
        budget_lines = {e["code"]: (e["name"], Decimal(e["total"])) for e in b["expenditure"]} if b else {}
        for scope, table, final_lines in (
            ("all", 3, {x.code: (x.name, x.total, x.basic, x.project) for x in f.spent} if f else {}),
            (
                "general_budget",
                5,
                {x.code: (x.name, x.gb_total, x.gb_basic, x.gb_project) for x in f.lines if x.gb_total} if f else {},
            ),
        ):
            side = budget_lines if b and table not in gone else {}
            for code in sorted(set(side) | set(final_lines)):
                name = side[code][0] if code in side else final_lines[code][0]
                initial = side[code][1] if code in side else None
                final, basic, project = final_lines[code][1:] if code in final_lines else (None, None, None)
                rows.append(
                    {
                        "fiscal_year": year,
                        "unit_id": unit_id,
                        "unit_name": unit["name"],
                        "region_code": unit["region_code"],
                        "scope": scope,
                        "functional_class_code": code[:3],
                        "functional_section_code": code[:5],
                        "functional_item_code": code,
                        "functional_item_name": name,
                        "initial_budget_wan_yuan": initial,
                        "adjusted_budget_wan_yuan": None,
                        "final_wan_yuan": final,
                        "final_basic_wan_yuan": basic,
                        "final_project_wan_yuan": project,
                        "difference_wan_yuan": _diff(final, initial),
                        "execution_rate": _rate(final, initial),
                        "budget_document_id": b_doc[0] if code in side else None,
                        "budget_source_file": b_doc[1] if code in side else None,
                        "final_document_id": f_doc[0] if code in final_lines else None,
                        "final_source_file": f_doc[1] if code in final_lines else None,
                    }
                )
        tp_budget = b["three_public"] if b and 8 not in gone else None
        for item, item_name in THREE_PUBLIC_ITEMS:
            budget = Decimal(tp_budget[item]) if tp_budget is not None else None
            final_budget = getattr(f.three_public_budget, item) if f else None
            final = getattr(f.three_public_final, item) if f else None
            three.append(
                {
                    "fiscal_year": year,
                    "unit_id": unit_id,
                    "unit_name": unit["name"],
                    "region_code": unit["region_code"],
                    "item": item,
                    "item_name": item_name,
                    "budget_wan_yuan": budget,
                    "final_budget_wan_yuan": final_budget,
                    "final_wan_yuan": final,
                    "difference_wan_yuan": _diff(final, budget),
                    "execution_rate": _rate(final, budget),
                    "within_budget": None if final is None or budget is None else final <= budget,
                    "budget_document_id": b_doc[0] if tp_budget is not None else None,
                    "final_document_id": f_doc[0],
                    "final_source_file": f_doc[1],
                }
            )
    return {
        "mart_budget_execution": rows,
        "mart_budget_execution_regional": _regional(rows),
        "mart_three_public_execution": three,
        "mart_three_public_execution_regional": _three_regional(three),
    }


def expected_warehouse_findings(source) -> list[dict]:
    """The warehouse findings the paired corpus must give besides each file's own (FA-THREE-PUBLIC-BUDGET,
    a warning, int_warehouse_findings): one per “三公” item — the four parts and 合计 — whose 预算数 printed in
    the 决算 differs from the unit's own 预算 disclosure of the year (both loaded, 表八 printed)."""
    marts = expected_execution(source)
    return [
        {
            "fiscal_year": r["fiscal_year"],
            "unit_id": r["unit_id"],
            "rule_id": "FA-THREE-PUBLIC-BUDGET",
            "severity": "warning",
            "item": r["item"],
            "expected": r["budget_wan_yuan"],
            "actual": r["final_budget_wan_yuan"],
            "document_id": r["final_document_id"],
        }
        for r in marts["mart_three_public_execution"]
        if r["budget_wan_yuan"] is not None
        and r["final_budget_wan_yuan"] is not None
        and r["budget_wan_yuan"] != r["final_budget_wan_yuan"]
    ]


def _sum(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return sum(values, ZERO) if values else None


def _regional(rows: list[dict]) -> list[dict]:
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["fiscal_year"], r["region_code"], r["scope"], r["functional_item_code"]), []).append(r)
    out = []
    for (year, region, scope, code), rs in sorted(groups.items()):
        both = [r for r in rs if r["initial_budget_wan_yuan"] is not None and r["final_wan_yuan"] is not None]
        both_final, both_budget = (
            _sum(r["final_wan_yuan"] for r in both),
            _sum(r["initial_budget_wan_yuan"] for r in both),
        )
        out.append(
            {
                "fiscal_year": year,
                "region_code": region,
                "region_name": C.REGIONS[region][0],
                "scope": scope,
                "functional_class_code": code[:3],
                "functional_section_code": code[:5],
                "functional_item_code": code,
                "functional_item_name": rs[0]["functional_item_name"],
                "initial_budget_wan_yuan": _sum(r["initial_budget_wan_yuan"] for r in rs),
                "adjusted_budget_wan_yuan": _sum(r["adjusted_budget_wan_yuan"] for r in rs),
                "final_wan_yuan": _sum(r["final_wan_yuan"] for r in rs),
                "difference_wan_yuan": _sum(r["difference_wan_yuan"] for r in both),
                "execution_rate": _rate(both_final, both_budget),
                "unit_count_budget": sum(r["initial_budget_wan_yuan"] is not None for r in rs),
                "unit_count_final": sum(r["final_wan_yuan"] is not None for r in rs),
                "unit_count_both": len(both),
            }
        )
    return out


def _three_regional(rows: list[dict]) -> list[dict]:
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["fiscal_year"], r["region_code"], r["item"]), []).append(r)
    out = []
    for (year, region, item), rs in sorted(groups.items()):
        both = [r for r in rs if r["budget_wan_yuan"] is not None and r["final_wan_yuan"] is not None]
        out.append(
            {
                "fiscal_year": year,
                "region_code": region,
                "region_name": C.REGIONS[region][0],
                "item": item,
                "item_name": rs[0]["item_name"],
                "budget_wan_yuan": _sum(r["budget_wan_yuan"] for r in rs),
                "final_budget_wan_yuan": _sum(r["final_budget_wan_yuan"] for r in rs),
                "final_wan_yuan": _sum(r["final_wan_yuan"] for r in rs),
                "difference_wan_yuan": _sum(r["difference_wan_yuan"] for r in both),
                "execution_rate": _rate(
                    _sum(r["final_wan_yuan"] for r in both), _sum(r["budget_wan_yuan"] for r in both)
                ),
                "unit_count_over_budget": sum(r["within_budget"] is False for r in rs),
            }
        )
    return out


def to_json(marts: dict[str, list[dict]]) -> str:
    """The expected rows as JSON (Decimals as strings, None as null), e.g. to compare with a dbt build by hand."""
    return json.dumps(
        {
            k: [{c: (str(v) if isinstance(v, Decimal) else v) for c, v in r.items()} for r in rows]
            for k, rows in marts.items()
        },
        ensure_ascii=False,
        indent=1,
    )


def main(argv: list[str] | None = None) -> int:
    """python -m generator.execution FOLDER [--out FILE]: the expected execution-mart rows of a paired corpus
    (its files and .truth.json) as JSON, and a count per mart on stderr."""
    import argparse
    import sys

    ap = argparse.ArgumentParser(prog="python -m generator.execution", description=main.__doc__.split(":")[1].strip())
    ap.add_argument("folder", type=Path)
    ap.add_argument("--out", type=Path, default=None, help="write the JSON here (default: standard output)")
    args = ap.parse_args(argv)
    if not args.folder.is_dir() or not any(args.folder.glob("*.truth.json")):
        print(f"{args.folder}: no folder of generated files with .truth.json", file=sys.stderr)
        return 2
    marts = expected_execution(args.folder)
    text = to_json(marts)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)
    print(", ".join(f"{k} {len(v)} rows" for k, v in marts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
