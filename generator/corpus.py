"""Write a synthetic corpus: one file per unit-year, its `<file>.truth.json`, and the unit registry."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from generator.build import Options, build_corpus
from generator.layout import layout
from generator.truth import DisclosureTruth

REGISTRY_NAME = "unit_registry.synthetic.csv"
REGISTRY_COLUMNS = ("unit_id", "unit_name", "aliases", "region_code", "level", "supervising_department")


class RendererMissing(RuntimeError):
    pass


@dataclass
class Corpus:
    out: Path
    truths: list[DisclosureTruth] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[DisclosureTruth, str]] = field(default_factory=list)  # format not available


def registry_rows(truths: list[DisclosureTruth]) -> list[dict[str, str]]:
    """One row per generated unit, in the columns of dbt_project/seeds/unit_registry.csv."""
    seen: dict[str, dict[str, str]] = {}
    for t in truths:
        u = t.unit
        seen.setdefault(u.unit_id, {
            "unit_id": u.unit_id, "unit_name": u.name, "aliases": "|".join(u.aliases), "region_code": u.region_code,
            "level": u.level, "supervising_department": u.supervising_department,
        })
    return [seen[k] for k in sorted(seen)]


def registry_csv(truths: list[DisclosureTruth]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=REGISTRY_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(registry_rows(truths))
    return buf.getvalue()


def write_one(t: DisclosureTruth, out: Path) -> Path:
    """Lay out and render one truth; writes the file and `<file>.truth.json`. Returns the file."""
    from generator.render import RENDERERS, render, suffix_for

    grid = layout(t)
    if t.fmt not in RENDERERS:
        raise RendererMissing(f"unknown format {t.fmt!r}")
    path = out / f"{t.file_name}{suffix_for(t.fmt)}"
    if t.fmt == "txt":
        from generator.render.text import render_text

        render_text(grid, path, layout=t.layout.text_layout, encoding=t.layout.encoding,
                    thousands=t.layout.thousands)
    else:
        try:
            render(grid, path, t.fmt)
        except (ImportError, AttributeError) as exc:
            raise RendererMissing(f"no {t.fmt} renderer yet ({RENDERERS[t.fmt][0]}): {exc}") from exc
    path.with_name(path.name + ".truth.json").write_text(t.to_json(), encoding="utf-8")
    return path


def generate(out: Path, regions: list[str], units_per_region: int, years: list[int], opts: Options,
             skip_missing_renderers: bool = True) -> Corpus:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(out=out, truths=build_corpus(regions, units_per_region, years, opts))
    for t in corpus.truths:
        try:
            corpus.files.append(write_one(t, out))
        except RendererMissing as exc:
            if not skip_missing_renderers:
                raise
            corpus.skipped.append((t, str(exc)))
    (out / REGISTRY_NAME).write_text(registry_csv(corpus.truths), encoding="utf-8")
    return corpus
