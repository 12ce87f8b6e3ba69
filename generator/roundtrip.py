"""Round trip per format: generate disclosures with known answers, parse them, count what came back.

    python -m generator.roundtrip --docs 200 --formats txt,docx,xlsx,pdf   (make roundtrip)
    python -m generator.roundtrip --docs 48 --templates changji,national   (both template families)
    python -m generator.roundtrip --docs 200 --final-accounts              (决算 paired with their 预算)

For each format a corpus of about `--docs` disclosures (8 regions × n units × 3 years, defects
at `--defect-rate`, layout variants on) is written and parsed in parallel; a document is
*exact* when every amount, code, name and fact equals the ground truth, every injected defect
is reported under its rule ids and no other finding appears. Prints one line per format and
exits non-zero when any document is not exact.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.build import Options
from generator.catalog import REGIONS
from generator.corpus import generate
from generator.expect import diff, expected, observed
from ingest.pipeline import parse_path

YEARS = [2021, 2022, 2023]


@dataclass
class FormatResult:
    fmt: str
    docs: int = 0
    exact: int = 0
    unreadable: int = 0
    fact_mismatches: int = 0
    defects: int = 0
    defects_found: int = 0
    unexpected_findings: int = 0
    seconds: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        med = statistics.median(self.seconds) if self.seconds else 0.0
        return (
            f"{self.fmt:<5} docs {self.docs:>4}  exact {self.exact:>4} ({100 * self.exact / max(self.docs, 1):5.1f}%)  "
            f"unreadable {self.unreadable}  fact mismatches {self.fact_mismatches}  "
            f"defects found {self.defects_found}/{self.defects}  unexpected findings {self.unexpected_findings}  "
            f"median parse {med:.3f} s"
        )


def check(truth, parsed) -> tuple[list[str], int, int]:
    """(fact problems, injected defects found, unexpected findings) for one parsed document."""
    if parsed.error is not None:
        return [f"unreadable: {parsed.error}"], 0, 0
    d = parsed.disclosure
    problems = diff(expected(truth), observed(d))
    got = {f.rule_id for f in d.findings}
    found = sum(set(x.rule_ids) <= got for x in truth.defects)
    allowed = truth.expected_rule_ids()
    unexpected = [f for f in d.findings if f.rule_id not in allowed]
    return problems + [f"unexpected {f.rule_id}: {f.message}" for f in unexpected], found, len(unexpected)


def run_format(fmt: str, docs: int, out: Path, opts: Options, workers: int) -> FormatResult:
    units = max(1, math.ceil(docs / (len(REGIONS) * len(YEARS))))
    fmt_opts = Options(
        **{
            **opts.__dict__,
            "formats": (fmt,),
            "text_layouts": ("cells", "pipe", "spaced") if fmt == "txt" else ("cells",),
            "encodings": ("utf-8", "utf-8-sig", "gb18030", "utf-16") if fmt == "txt" else ("utf-8",),
        }
    )
    corpus = generate(out / fmt, list(REGIONS), units, YEARS, fmt_opts, skip_missing_renderers=False)
    res = FormatResult(fmt)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parsed = list(pool.map(parse_path, corpus.files, chunksize=4))
    for truth, path, p in zip(corpus.truths, corpus.files, parsed):
        res.docs += 1
        res.seconds.append(p.seconds)
        problems, found, unexpected = check(truth, p)
        res.unreadable += p.error is not None
        res.defects += len(truth.defects)
        res.defects_found += found
        res.unexpected_findings += unexpected
        res.fact_mismatches += sum(not x.startswith("unexpected") for x in problems)
        if not problems and found == len(truth.defects):
            res.exact += 1
        elif len(res.problems) < 5:
            family = (
                f" [{truth.layout.template}, {truth.layout.text_layout}]" if truth.layout.template != "changji" else ""
            )
            res.problems.append(f"{path.name}{family}: {problems[:3]}")
    return res


def run_final_format(fmt: str, docs: int, out: Path, opts: Options, workers: int) -> FormatResult:
    """The same count for 决算 (generator/final_accounts.py): a paired corpus in `fmt`, each 决算 parsed from its
    file; exact = kinds, key figures, facts and cells equal the truth, the injected FA-* rules found, no other."""
    from generator.execution import generate_paired
    from generator.final_expect import diff_final, expected_final, observed_final

    units = max(1, math.ceil(docs / (len(REGIONS) * len(YEARS))))
    fmt_opts = Options(
        **{
            **opts.__dict__,
            "formats": (fmt,),
            "defect_rate": 0.0,
            "text_layouts": ("cells", "pipe", "spaced") if fmt == "txt" else ("cells",),
            "encodings": ("utf-8", "utf-8-sig", "gb18030", "utf-16") if fmt == "txt" else ("utf-8",),
        }
    )
    paired = generate_paired(
        out / f"final-{fmt}",
        list(REGIONS),
        units,
        YEARS,
        fmt_opts,
        final_defect_rate=opts.defect_rate,
        skip_missing_renderers=False,
    )
    res = FormatResult(f"{fmt}*")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parsed = list(pool.map(parse_path, paired.final_files, chunksize=4))
    for truth, path, p in zip(paired.finals, paired.final_files, parsed):
        res.docs += 1
        res.seconds.append(p.seconds)
        res.unreadable += p.error is not None
        res.defects += len(truth.defects)
        if p.error is not None:
            problems = [f"unreadable: {p.error}"]
        else:
            d = p.disclosure
            problems = diff_final(expected_final(truth), observed_final(d))
            got = {f.rule_id for f in d.findings}
            res.defects_found += sum(set(x.rule_ids) <= got for x in truth.defects)
            unexpected = [f for f in d.findings if f.rule_id not in truth.expected_rule_ids()]
            res.unexpected_findings += len(unexpected)
            res.fact_mismatches += len(problems)
            problems += [f"unexpected {f.rule_id}: {f.message}" for f in unexpected]
            if not problems and all(set(x.rule_ids) <= got for x in truth.defects):
                res.exact += 1
                continue
        if len(res.problems) < 5:
            res.problems.append(f"{path.name}: {problems[:3]}")
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m generator.roundtrip", description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=200, help="documents per format (rounded up to 8 regions × 3 years)")
    ap.add_argument("--formats", default="txt,docx,xlsx,pdf")
    ap.add_argument("--defect-rate", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--templates",
        default="changji",
        help="template families, one drawn per unit-year (changji, national; see docs/generator.md)",
    )
    ap.add_argument(
        "--final-accounts",
        action="store_true",
        help="also count 决算 (final accounts) paired with the 预算: lines marked fmt* (docs/generator.md)",
    )
    ap.add_argument("--out", type=Path, default=None, help="keep the corpus here (default: a temporary folder)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args(argv)
    templates = tuple(x.strip() for x in args.templates.split(",") if x.strip())
    opts = Options(seed=args.seed, defect_rate=args.defect_rate, layout_variants=True, templates=templates)
    failed = False
    with tempfile.TemporaryDirectory(prefix="roundtrip-") as tmp:
        out = args.out or Path(tmp)
        for fmt in args.formats.split(","):
            started = time.perf_counter()
            res = run_format(fmt.strip(), args.docs, out, opts, args.workers)
            print(res.line() + f"  ({time.perf_counter() - started:.0f} s)", flush=True)
            for p in res.problems:
                print("   ", p)
            failed |= res.exact != res.docs
            if args.final_accounts:
                started = time.perf_counter()
                res = run_final_format(fmt.strip(), args.docs, out, opts, args.workers)
                print(res.line() + f"  ({time.perf_counter() - started:.0f} s)", flush=True)
                for p in res.problems:
                    print("   ", p)
                failed |= res.exact != res.docs
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
