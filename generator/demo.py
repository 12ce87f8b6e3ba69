"""The demo set `make run` loads beside the real seed: a synthetic prefecture, three years.

8 regions × 10 units × 2021–2023, formats mixed as units publish them (about 40 % PDF, 30 % XLSX,
20 % DOCX, 10 % text), defects at 15 %. Deterministic: the same files every time, so the committed
registry seed `dbt_project/seeds/synthetic_unit_registry.csv` matches them (a test checks it).

    python -m generator.demo data/inbox/synthetic      (what `make run` does when the folder is empty)
"""
from __future__ import annotations

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


def write_demo(out: Path) -> int:
    """Write the demo set into `out` unless it is already there; return the number of disclosures."""
    out = Path(out)
    existing = sorted(out.glob("SYNTHETIC-*")) if out.exists() else []
    existing = [p for p in existing if not p.name.endswith(".truth.json")]
    if existing:
        return len(existing)
    corpus = generate(out, list(REGIONS), UNITS_PER_REGION, YEARS, OPTIONS, skip_missing_renderers=False)
    return len(corpus.files)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m generator.demo OUT_DIR", file=sys.stderr)
        return 2
    n = write_demo(Path(args[0]))
    print(f"demo set: {n} synthetic disclosures in {args[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
