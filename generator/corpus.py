"""Write a synthetic corpus: one file per unit-year, its `<file>.truth.json`, and the unit registry."""

from __future__ import annotations

import copy
import csv
import io
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from generator.build import Options, _plain, build_corpus
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
        seen.setdefault(
            u.unit_id,
            {
                "unit_id": u.unit_id,
                "unit_name": u.name,
                "aliases": "|".join(u.aliases),
                "region_code": u.region_code,
                "level": u.level,
                "supervising_department": u.supervising_department,
            },
        )
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

        render_text(grid, path, layout=t.layout.text_layout, encoding=t.layout.encoding, thousands=t.layout.thousands)
    else:
        options = {"embed_font": Path(t.layout.pdf_font)} if t.fmt == "pdf" and t.layout.pdf_font else {}
        try:
            render(grid, path, t.fmt, **options)
        except (ImportError, AttributeError) as exc:
            raise RendererMissing(f"no {t.fmt} renderer yet ({RENDERERS[t.fmt][0]}): {exc}") from exc
    path.with_name(path.name + ".truth.json").write_text(t.to_json(), encoding="utf-8")
    return path


def generate(
    out: Path,
    regions: list[str],
    units_per_region: int,
    years: list[int],
    opts: Options,
    skip_missing_renderers: bool = True,
) -> Corpus:
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


# ------------------------------------------------------------------ re-publications, unknown units


def republish(t: DisclosureTruth, delta: Decimal = Decimal("1.00"), suffix: str = "-R2") -> DisclosureTruth:
    """A corrected re-publication of the same unit-year: the first project that is not the vehicle
    purchase costs `delta` 万元 more (表七 line and its economic column, the 表三 项目支出 of its 项,
    the 绩效目标表 funds and every total and narrative figure derived from them), and the defects
    of the first publication are fixed. The file name gets `suffix`; everything else is the same unit
    and year, so the warehouse must make it the unit-year's next revision."""
    c = copy.deepcopy(t)
    p = next(p for p in c.projects if not p.is_vehicle_purchase)
    p.amount += delta
    first = next(iter(p.columns))
    p.columns[first] += delta
    for ind in p.indicators:
        if ind.level2 == "成本指标":
            ind.number = p.amount
            ind.target_value = _plain(p.amount)
    row = next(r for r in c.expenditure if r.code == p.code)
    row.project += delta
    c.defects = []
    c.facts = []
    c.file_name = t.file_name + suffix
    return c


def unregistered(t: DisclosureTruth, name: str, unit_id: str, suffix: str = "-UNREG") -> DisclosureTruth:
    """The same disclosure printed by a unit the registry does not know (`name`, no aliases, no
    defects), for testing unresolved units: it must load under 'unregistered-…' with a finding."""
    c = copy.deepcopy(t)
    c.unit = replace(c.unit, unit_id=unit_id, name=name, aliases=[name])
    c.defects = []
    c.facts = []
    c.file_name = t.file_name + suffix
    return c
