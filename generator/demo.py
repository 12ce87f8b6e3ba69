"""The demo set `make run` loads beside the real seed: a synthetic prefecture, three years.

8 regions × 10 units × 2021–2023, formats mixed as units publish them (about 40 % PDF, 30 % XLSX,
20 % DOCX, 10 % text), defects at 15 %. Deterministic: the same files every time, so the committed
registry seed `dbt_project/seeds/synthetic_unit_registry.csv` matches them (a test checks it).

    python -m generator.demo data/inbox/synthetic data/synthetic-truth
    (what `make run` does for the default data folder when the demo files are not there yet)
"""
from __future__ import annotations

import shutil
import sys
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
