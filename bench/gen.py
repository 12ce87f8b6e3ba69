"""Corpus generation for the benchmarks (timed separately from loading).

Writes the files with `generator.corpus.write_one` in a process pool; optionally, beside each
file, `<file>.cells.json`: the ground-truth amount cells of its standard tables (see accuracy.py).
"""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from generator.build import Options, build_corpus
from generator.catalog import REGIONS

# the prefecture mix as published: ~40% PDF, 30% XLSX, 20% DOCX, 10% text
MIXED = ("pdf",) * 4 + ("xlsx",) * 3 + ("docx",) * 2 + ("txt",)


def options(
    formats: tuple[str, ...], seed: int = 42, defect_rate: float = 0.2, templates: tuple[str, ...] = ("changji",)
) -> Options:
    """The benchmark corpora's options; `templates` (default the 昌吉 family alone, as every published
    figure was measured) mixes in other template families (generator.build.TEMPLATES)."""
    txt_only = formats == ("txt",)
    return Options(
        seed=seed,
        defect_rate=defect_rate,
        layout_variants=True,
        formats=tuple(formats),
        text_layouts=("cells", "pipe", "spaced") if txt_only else ("cells",),
        encodings=("utf-8", "utf-8-sig", "gb18030") if txt_only else ("utf-8",),
        templates=tuple(templates),
    )


def _write(args) -> str:
    from generator.corpus import write_one
    from generator.layout import layout

    from bench.accuracy import ground_truth_cells

    t, out, cells = args
    path = write_one(t, Path(out))
    if cells:
        Path(str(path) + ".cells.json").write_text(
            json.dumps(ground_truth_cells(layout(t)), ensure_ascii=False), encoding="utf-8"
        )
    return str(path)


def generate(
    out: Path,
    formats: tuple[str, ...],
    units_per_region: int,
    years: list[int],
    *,
    seed: int = 42,
    limit: int | None = None,
    cells: bool = False,
    workers: int | None = None,
    templates: tuple[str, ...] = ("changji",),
) -> dict:
    """Generate 8 regions × units × years (first `limit` truths); returns files and timings."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    truths = build_corpus(list(REGIONS), units_per_region, years, options(formats, seed, templates=templates))
    if limit:
        truths = truths[:limit]
    truth_s = time.perf_counter() - started
    workers = workers or os.cpu_count() or 1
    jobs = [(t, str(out), cells) for t in truths]
    if workers > 1 and len(jobs) > 4:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            files = list(pool.map(_write, jobs, chunksize=8))
    else:
        files = [_write(j) for j in jobs]
    from generator.corpus import REGISTRY_NAME, registry_csv

    (out / REGISTRY_NAME).write_text(registry_csv(truths), encoding="utf-8")
    seconds = time.perf_counter() - started
    return {
        "files": files,
        "docs": len(files),
        "seconds": round(seconds, 3),
        "truth_seconds": round(truth_s, 3),
        "docs_per_s": round(len(files) / seconds, 2) if seconds else None,
        "workers": workers,
        "bytes": sum(Path(f).stat().st_size for f in files),
    }
