"""The demo set `make run` loads beside the real seed: a synthetic prefecture, three years.

8 regions × 10 units × 2021–2023, formats mixed as units publish them (about 40 % PDF, 30 % XLSX,
20 % DOCX, 10 % text), defects at 15 %. Deterministic: the same files every time, so the committed
registry seed `dbt_project/seeds/synthetic_unit_registry.csv` matches them (a test checks it).

    python -m generator.demo data/inbox/synthetic data/synthetic-truth
    (what `make run` does for the default data folder when the demo files are not there yet)
"""
from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from generator.build import Options, build_corpus
from generator.catalog import REGIONS
from generator.corpus import generate, registry_csv

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
    if existing:
        return len(existing)
    corpus = generate(truth_dir, list(REGIONS), UNITS_PER_REGION, YEARS, OPTIONS, skip_missing_renderers=False)
    inbox.mkdir(parents=True, exist_ok=True)
    for f in corpus.files:
        shutil.move(str(f), inbox / f.name)
    return len(corpus.files)


@dataclass
class DemoCheck:
    """The demo's findings in the warehouse against the defects the generator injected."""

    documents: int = 0  # synthetic documents with a truth file
    loaded: int = 0  # of them, in the warehouse
    injected: int = 0
    found: int = 0  # injected defects whose every rule id has a finding on their document
    unexplained: Counter = field(default_factory=Counter)  # rule id → findings no injected defect explains

    def line(self) -> str:
        extra = ", ".join(f"{rule} {n}" for rule, n in self.unexplained.most_common())
        return (f"demo check: {self.loaded}/{self.documents} synthetic documents loaded; injected defects "
                f"{self.injected}, found {self.found}; findings with no injected cause "
                f"{sum(self.unexplained.values())}" + (f" ({extra})" if extra else ""))

    @property
    def ok(self) -> bool:
        return self.loaded == self.documents and self.found == self.injected and not self.unexplained


def check_demo(warehouse: Path, truth_dir: Path) -> DemoCheck:
    """Compare the findings of the latest revision of every demo document in `warehouse`
    (core.fct_findings: ingest and warehouse rules) with the ground truth in `truth_dir`."""
    import duckdb

    truths = {p.name.removesuffix(".truth.json"): json.loads(p.read_text(encoding="utf-8"))
              for p in Path(truth_dir).glob("*.truth.json")}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        loaded = {Path(f).name for (f,) in con.execute(
            "select distinct source_file from core.fct_document_history where is_latest").fetchall()}
        rows = con.execute("select source_file, rule_id from core.fct_findings").fetchall()
    rules: dict[str, Counter] = {}
    for source_file, rule_id in rows:
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
