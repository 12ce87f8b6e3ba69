"""The demo set `make run` loads beside the real seed: a synthetic prefecture, three years.

8 regions × 10 units × 2021–2023, formats mixed as units publish them (about 40 % PDF, 30 % XLSX,
20 % DOCX, 10 % text), defects at 15 %; each unit-year's 预算 and, paired with it, its 决算
(generator.execution.generate_paired: the 预算 files are exactly generator.corpus.generate's).
Deterministic: the same files every time, so the committed registry seed
`dbt_project/seeds/synthetic_unit_registry.csv` matches them (a test checks it).

    python -m generator.demo data/inbox/synthetic data/synthetic-truth
    (what `make run` does for the default data folder when the demo files are not there yet)
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from generator.build import Options, build_corpus
from generator.catalog import REGIONS
from generator.corpus import registry_csv
from generator.final_accounts import FINAL_SUFFIX as FINAL_MARK
from generator.execution import (
    MARTS,
    THREE_PUBLIC_ITEMS,
    _regional,
    _three_regional,
    expected_execution,
    expected_warehouse_findings,
    generate_paired,
)

UNITS_PER_REGION = 10
YEARS = [2021, 2022, 2023]
OPTIONS = Options(
    seed=2021,
    defect_rate=0.15,
    layout_variants=True,
    formats=("pdf",) * 4 + ("xlsx",) * 3 + ("docx",) * 2 + ("txt",),
    text_layouts=("cells", "pipe", "spaced"),
    encodings=("utf-8", "gb18030"),
)
THREE_PUBLIC_RULE = "FA-THREE-PUBLIC-BUDGET"
REGISTRY_SEED = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "synthetic_unit_registry.csv"


def registry() -> str:
    """The registry rows of the demo units, as the committed dbt seed holds them."""
    return registry_csv(build_corpus(list(REGIONS), UNITS_PER_REGION, YEARS, OPTIONS))


def write_demo(inbox: Path, truth_dir: Path) -> int:
    """Put the demo disclosures into `inbox` (unless already there) and their ground truth and
    registry into `truth_dir` (never into the inbox: a .json there would be quarantined).
    Returns the number of disclosures in the inbox."""
    inbox, truth_dir = Path(inbox), Path(truth_dir)
    existing = sorted(inbox.glob("SYNTHETIC-*")) if inbox.exists() else []
    if any(FINAL_MARK in f.name for f in existing):
        return len(existing)
    # none there, or a demo set of before the 决算 (预算 only): write the whole set and add what the inbox
    # lacks. A 预算 file there is kept as it is: the new one has the same content, but a DOCX/XLSX written
    # at another time differs in its zip timestamps, and the warehouse would take it for a new revision.
    corpus = generate_paired(truth_dir, list(REGIONS), UNITS_PER_REGION, YEARS, OPTIONS, skip_missing_renderers=False)
    inbox.mkdir(parents=True, exist_ok=True)
    for f in corpus.files:
        if (inbox / f.name).exists():
            f.unlink()
        else:
            shutil.move(str(f), inbox / f.name)
    return len(corpus.files)


# the columns that identify a row of each execution mart (docs/mart_contract.md "Budget execution")
MART_KEYS = {
    "mart_budget_execution": ("fiscal_year", "unit_id", "scope", "functional_item_code"),
    "mart_budget_execution_regional": ("fiscal_year", "region_code", "scope", "functional_item_code"),
    "mart_three_public_execution": ("fiscal_year", "unit_id", "item"),
    "mart_three_public_execution_regional": ("fiscal_year", "region_code", "item"),
}


@dataclass
class DemoCheck:
    """The demo's findings in the warehouse against the defects the generator injected, and its
    execution marts against the rows generator.execution computes from the truth."""

    documents: int = 0  # synthetic documents with a truth file
    loaded: int = 0  # of them, in the warehouse
    injected: int = 0
    found: int = 0  # injected defects whose every rule id has a finding on their document
    unexplained: Counter = field(default_factory=Counter)  # rule id → findings no injected defect explains
    execution_rows: int = 0  # expected rows of the four execution marts
    execution_equal: int = 0  # of them, in the mart with every column equal (money to the fen)
    execution_extra: int = 0  # mart rows no expected row has the key of
    execution_wrong: list = field(default_factory=list)  # (mart, key, column, expected, got), the first few
    warnings_expected: int = 0  # FA-THREE-PUBLIC-BUDGET: one per adjusted “三公” item of a 决算
    warnings_found: int = 0
    warnings_extra: int = 0

    def line(self) -> str:
        extra = ", ".join(f"{rule} {n}" for rule, n in self.unexplained.most_common())
        wrong = f", {self.execution_extra} rows no truth has" if self.execution_extra else ""
        wrong += "".join(f"; {m} {k} {c}: expected {e}, got {g}" for m, k, c, e, g in self.execution_wrong[:3])
        warn_extra = f" (+{self.warnings_extra} unexpected)" if self.warnings_extra else ""
        return (
            f"demo check: {self.loaded}/{self.documents} synthetic documents loaded; injected defects "
            f"{self.injected}, found {self.found}; findings with no injected cause "
            f"{sum(self.unexplained.values())}"
            + (f" ({extra})" if extra else "")
            + f"; execution marts {self.execution_equal}/{self.execution_rows} rows equal to the truth{wrong}"
            + f"; {THREE_PUBLIC_RULE} warnings {self.warnings_found}/{self.warnings_expected}{warn_extra}"
        )

    @property
    def ok(self) -> bool:
        return (
            self.loaded == self.documents
            and self.found == self.injected
            and not self.unexplained
            and self.execution_equal == self.execution_rows
            and not self.execution_extra
            and self.warnings_found == self.warnings_expected
            and not self.warnings_extra
        )


def _same(expected, got) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, Decimal) or isinstance(got, Decimal):
        return Decimal(expected) == Decimal(got)
    return expected == got


def _expected_marts(truth_dir: Path, inbox: Path | None) -> tuple[dict[str, list[dict]], list[dict]]:
    """generator.execution's rows for the demo: it reads the truths and hashes the files beside them for the
    document ids, so a scratch folder holds links to both (the files are in the inbox, the truths not)."""
    if inbox is None or not inbox.is_dir():
        return expected_execution(truth_dir), expected_warehouse_findings(truth_dir)
    with tempfile.TemporaryDirectory(prefix="demo-check-") as tmp:
        for folder, pattern in ((truth_dir, "*.truth.json"), (inbox, "SYNTHETIC-*")):
            for f in folder.glob(pattern):
                (Path(tmp) / f.name).symlink_to(f.resolve())
        return expected_execution(Path(tmp)), expected_warehouse_findings(Path(tmp))


def check_demo(warehouse: Path, truth_dir: Path, inbox: Path | None = None) -> DemoCheck:
    """Compare the findings of the latest revision of every demo document in `warehouse`
    (core.fct_findings: ingest and warehouse rules) with the ground truth in `truth_dir`, and the four
    execution marts and the FA-THREE-PUBLIC-BUDGET warnings with generator.execution's answer for it.
    `inbox`: where the demo files are (default: `inbox/synthetic` beside the warehouse), for their document ids."""
    import duckdb

    truth_dir = Path(truth_dir)
    inbox = Path(warehouse).parent / "inbox" / "synthetic" if inbox is None else Path(inbox)
    truths = {
        p.name.removesuffix(".truth.json"): json.loads(p.read_text(encoding="utf-8"))
        for p in truth_dir.glob("*.truth.json")
    }
    expected, expected_warnings = _expected_marts(truth_dir, inbox)
    units = {r["unit_id"] for r in expected["mart_three_public_execution"]}
    regions = {r["region_code"] for r in expected["mart_three_public_execution"]}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        loaded = {
            Path(f).name
            for (f,) in con.execute(
                "select distinct source_file from core.fct_document_history where is_latest"
            ).fetchall()
        }
        rows = con.execute("select source_file, rule_id from core.fct_findings").fetchall()
        warnings = con.execute(
            "select fiscal_year, unit_id, document_id, location from core.fct_findings where rule_id = ?",
            [THREE_PUBLIC_RULE],
        ).fetchall()
        marts = {}
        for mart in MARTS:
            cur = con.execute(f"select * from marts.{mart}")
            names = [d[0] for d in cur.description]
            marts[mart] = [dict(zip(names, r)) for r in cur.fetchall()]
    rules: dict[str, Counter] = {}
    for source_file, rule_id in rows:
        if rule_id != THREE_PUBLIC_RULE:  # compared below, against the pairs of 预算 and 决算
            rules.setdefault(Path(source_file).name, Counter())[rule_id] += 1
    out = DemoCheck(documents=len(truths))
    for name, truth in truths.items():
        if name not in loaded:
            continue
        out.loaded += 1
        got = rules.get(name, Counter())
        out.injected += len(truth["defects"])
        out.found += sum(set(d["rule_ids"]) <= set(got) for d in truth["defects"])
        allowed = set(truth["expected_rule_ids"])
        out.unexplained.update({r: n for r, n in got.items() if r not in allowed})
    # the marts hold the real seed's units too: the unit marts are compared on the demo's units, the regional
    # ones on the demo's regions, whose sums also count the rows of other units there (the real seed's
    # 昌吉州外事办 is in 652300) as the warehouse holds them (their own files are checked by their tests)
    others = {
        m: [r for r in marts[m] if r["unit_id"] not in units and r["region_code"] in regions]
        for m in ("mart_budget_execution", "mart_three_public_execution")
    }
    if others["mart_budget_execution"] or others["mart_three_public_execution"]:
        expected["mart_budget_execution_regional"] = _regional(
            expected["mart_budget_execution"] + others["mart_budget_execution"]
        )
        expected["mart_three_public_execution_regional"] = _three_regional(
            expected["mart_three_public_execution"] + others["mart_three_public_execution"]
        )
    for mart in MARTS:
        keys = MART_KEYS[mart]
        mine = "unit_id" if "unit_id" in keys else "region_code"
        got_rows = {
            tuple(r[k] for k in keys): r for r in marts[mart] if r[mine] in (units if mine == "unit_id" else regions)
        }
        want = {tuple(r[k] for k in keys): r for r in expected[mart]}
        out.execution_rows += len(want)
        out.execution_extra += len(set(got_rows) - set(want))
        for key, exp in want.items():
            row = got_rows.get(key)
            bad = [
                (c, v, None if row is None else row.get(c))
                for c, v in exp.items()
                if row is None or c not in row or not _same(v, row[c])
            ]
            if bad:
                out.execution_wrong.extend((mart, key, c, v, g) for c, v, g in bad[:1])
            else:
                out.execution_equal += 1
    names = dict(THREE_PUBLIC_ITEMS)
    want_warnings = Counter(
        (w["fiscal_year"], w["unit_id"], w["document_id"], names[w["item"]]) for w in expected_warnings
    )
    got_warnings = Counter((y, u, d, (loc or "").split(" ")[0]) for y, u, d, loc in warnings if u in units)
    out.warnings_expected = sum(want_warnings.values())
    out.warnings_found = sum((want_warnings & got_warnings).values())
    out.warnings_extra = sum((got_warnings - want_warnings).values())
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m generator.demo INBOX_DIR TRUTH_DIR", file=sys.stderr)
        return 2
    n = write_demo(Path(args[0]), Path(args[1]))
    print(f"demo set: {n} synthetic disclosures in {args[0]} (ground truth in {args[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
