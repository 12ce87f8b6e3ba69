"""python -m generator --out DIR [--regions all|652300,652301] [--units-per-region N] [--years 2021-2023]
[--formats txt,docx,xlsx,pdf] [--templates changji,national] [--defect-rate 0.2] [--seed 42] [--layout-variants]
[--embed-font PATH|auto] [--with-final-accounts [--final-defect-rate 0.2]] ..."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from generator.build import DEFECT_KINDS, TEMPLATES, Options, parse_regions, parse_years
from generator.corpus import REGISTRY_NAME, generate
from generator.render.text import ENCODINGS, LAYOUTS


def _list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m generator",
        description="Generate synthetic 部门预算公开 disclosures with known answers (SYNTHETIC-*).",
    )
    ap.add_argument("--out", required=True, type=Path, help="output folder (created)")
    ap.add_argument("--regions", default="all", help="all, or region codes joined by commas (652300,652301,…)")
    ap.add_argument("--units-per-region", type=int, default=3)
    ap.add_argument("--years", default="2021-2023", help="2021-2023 or 2021,2023")
    ap.add_argument("--formats", default="txt", help="txt,docx,xlsx,pdf: one format per file, drawn from the list")
    ap.add_argument(
        "--templates",
        default="changji",
        help=f"template families, one drawn per unit-year ({', '.join(TEMPLATES)}): changji prints "
        "表一…表九 as 昌吉 does, national the central departments' 部门公开表1…9 (no 项目支出表)",
    )
    ap.add_argument("--defect-rate", type=float, default=0.0, help="share of files with injected defects (0–1)")
    ap.add_argument("--defect-kinds", default="", help=f"restrict defects to these kinds ({', '.join(DEFECT_KINDS)})")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument(
        "--layout-variants",
        action="store_true",
        help="vary code columns (split/joined), one table in 元, thousands separators",
    )
    ap.add_argument("--text-layouts", default="cells", help=f"text layouts to draw from ({', '.join(LAYOUTS)})")
    ap.add_argument("--encodings", default="utf-8", help=f"text encodings to draw from ({', '.join(ENCODINGS)})")
    ap.add_argument(
        "--plain-wording",
        action="store_true",
        help="leave out parenthesised 款 names and grouped 成本指标 (see docs/generator.md)",
    )
    ap.add_argument("--strict", action="store_true", help="fail when a format's renderer is missing")
    ap.add_argument(
        "--embed-font",
        default=None,
        help="PATH of a TrueType CJK font, or 'auto' (one of this host's): half of the PDFs embed it",
    )
    ap.add_argument(
        "--with-final-accounts",
        action="store_true",
        help="also write each unit-year's 决算 (central 公开01…09表) paired with its 预算 "
        "(<file>-juesuan.<fmt>, generator/final_accounts.py)",
    )
    ap.add_argument(
        "--final-defect-rate",
        type=float,
        default=None,
        help="share of 决算 files with injected FA-* defects (default: --defect-rate)",
    )
    args = ap.parse_args(argv)
    embed_font = args.embed_font
    if embed_font == "auto":
        from generator.render.pdf import find_embeddable_cjk_font

        found = find_embeddable_cjk_font()
        if found is None:
            ap.error(
                "--embed-font auto: this host has no CJK TrueType font reportlab can embed "
                "(e.g. apt-get install fonts-wqy-zenhei), or name a font file"
            )
        embed_font = str(found)

    templates = _list(args.templates)
    for name in templates or ("",):
        if name not in TEMPLATES:
            ap.error(f"unknown template family {name!r} (known: {', '.join(TEMPLATES)})")
    kinds = _list(args.defect_kinds) or None
    for k in kinds or ():
        if k not in DEFECT_KINDS:
            ap.error(f"unknown defect kind {k!r}")
    opts = Options(
        seed=args.seed,
        defect_rate=args.defect_rate,
        layout_variants=args.layout_variants,
        text_layouts=_list(args.text_layouts),
        encodings=_list(args.encodings),
        formats=_list(args.formats),
        full_wording=not args.plain_wording,
        defect_kinds=kinds,
        embed_font=embed_font,
        templates=templates,
    )
    paired = None
    try:
        if args.with_final_accounts:
            from generator.execution import generate_paired

            paired = generate_paired(
                args.out,
                parse_regions(args.regions),
                args.units_per_region,
                parse_years(args.years),
                opts,
                final_defect_rate=args.final_defect_rate,
                skip_missing_renderers=not args.strict,
            )
            corpus = paired.budgets
        else:
            corpus = generate(
                args.out,
                parse_regions(args.regions),
                args.units_per_region,
                parse_years(args.years),
                opts,
                skip_missing_renderers=not args.strict,
            )
    except Exception as exc:  # noqa: BLE001 - a CLI reports, it does not trace
        print(f"generate: {exc}", file=sys.stderr)
        return 2
    defects = Counter(d.kind for t in corpus.truths for d in t.defects)
    families = Counter(t.layout.template for t in corpus.truths)
    print(
        f"wrote {len(corpus.files)} files to {corpus.out} (+ .truth.json each, {REGISTRY_NAME}); "
        f"{len(corpus.truths)} unit-years, {sum(1 for t in corpus.truths if t.defects)} with defects "
        f"({', '.join(f'{k} {n}' for k, n in sorted(defects.items())) or 'none'})"
        + (f"; templates {', '.join(f'{k} {n}' for k, n in sorted(families.items()))}" if len(templates) > 1 else "")
    )
    if paired is not None:
        final_defects = Counter(d.kind for t in paired.finals for d in t.defects)
        print(
            f"wrote {len(paired.final_files)} 决算 files paired with their 预算 (+ .truth.json each); "
            f"{sum(1 for t in paired.finals if t.defects)} with defects "
            f"({', '.join(f'{k} {n}' for k, n in sorted(final_defects.items())) or 'none'})"
        )
    for t, why in corpus.skipped[:5]:
        print(f"skipped {t.file_name}: {why}", file=sys.stderr)
    if corpus.skipped:
        print(f"skipped {len(corpus.skipped)} files whose renderer is missing", file=sys.stderr)
    return 1 if corpus.skipped and not corpus.files else 0


if __name__ == "__main__":
    sys.exit(main())
