"""`python -m bench [--quick] [--out docs/] [--work DIR] [--only STEP,...] [--templates changji,national]`

Generates corpora, runs every measurement in its own process, prints progress, and rewrites
`<out>/benchmarks.md` and `<out>/benchmarks.json`. `--quick` is a small sanity run (minutes,
figures not meaningful). The full run takes about 25 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, log, run_step

FULL = {
    "throughput": {"units": 9, "years": [2021, 2022, 2023], "repeats": {"txt": 3, "docx": 3, "xlsx": 3, "pdf": 1}},
    "pdf_peers": {"docs": 20, "repeats": 3, "camelot_repeats": 1, "seed_repeats": 5},
    "xlsx_peers": {"docs": 60, "repeats": 3, "inspect": 20},
    "prefecture": {"units": 38, "limit": 300, "year": 2023, "cold_runs": 3},
    "incremental": {"repeats": 3},
    "scale": {"units": 105, "years": list(range(2018, 2030)), "sizes": [1000, 3000, 10000], "repeats": 3},
    "bi": {"copies": 10, "years": 10, "runs": 30},
}
QUICK = {
    "throughput": {"units": 1, "years": [2021], "repeats": {"txt": 1, "docx": 1, "xlsx": 1, "pdf": 1}},
    "pdf_peers": {"docs": 2, "repeats": 1, "camelot_repeats": 1, "seed_repeats": 1},
    "xlsx_peers": {"docs": 3, "repeats": 1, "inspect": 2},
    "prefecture": {"units": 2, "limit": 16, "year": 2023, "cold_runs": 1},
    "incremental": {"repeats": 1},
    "scale": {"units": 2, "years": [2021, 2022, 2023, 2024], "sizes": [16, 32, 64], "repeats": 1},
    "bi": {"copies": 2, "years": 2, "runs": 3},
}
STEPS = ["throughput", "pdf_peers", "xlsx_peers", "prefecture", "incremental", "scale", "bi"]


def run_all(work: Path, cfg: dict, only: list[str] | None = None, templates: tuple[str, ...] = ("changji",)) -> dict:
    from bench.gen import MIXED

    steps = only or STEPS
    res: dict = {
        "config": cfg if templates == ("changji",) else {**cfg, "templates": list(templates)},
        "generation": {},
    }
    corpora = work / "corpora"

    def gen(name: str, formats, units, years, limit=None, cells=False) -> list[str]:
        log(
            f"generating {name} ({'/'.join(sorted(set(formats)))}, 8 regions × {units} units × {len(years)} years"
            + (f", templates {'/'.join(templates)}" if templates != ("changji",) else "")
            + ")"
        )
        g = run_step(
            "generate",
            {
                "out": str(corpora / name),
                "formats": list(formats),
                "units": units,
                "years": years,
                "limit": limit,
                "cells": cells,
                "templates": list(templates),
            },
            work / "steps",
        )
        log(f"  {g['docs']} docs in {g['seconds']:.1f} s ({g['docs_per_s']:.1f} docs/s on {g['workers']} processes)")
        res["generation"][name] = {k: v for k, v in g.items() if k != "files"}
        return g["files"]

    t_cfg = cfg["throughput"]
    fmt_files: dict[str, list[str]] = {}
    if {"throughput", "pdf_peers", "xlsx_peers"} & set(steps):
        for fmt in ("txt", "docx", "xlsx", "pdf"):
            if fmt == "pdf" or "throughput" in steps or (fmt == "xlsx" and "xlsx_peers" in steps):
                fmt_files[fmt] = gen(fmt, (fmt,), t_cfg["units"], t_cfg["years"], cells=fmt == "pdf")
    if "throughput" in steps:
        res["throughput"] = {}
        for fmt, files in fmt_files.items():
            log(f"parse + validate throughput, {fmt}, {len(files)} docs, 1 process")
            res["throughput"][fmt] = run_step(
                "throughput", {"fmt": fmt, "files": files, "repeats": t_cfg["repeats"][fmt]}, work / "steps"
            )
    if "pdf_peers" in steps:
        c = cfg["pdf_peers"]
        seed_pdf = work / "seed.pdf"
        if not seed_pdf.exists():
            from generator.render import render
            from ingest.readers import read_document

            seed = read_document(ROOT / "tests" / "fixtures" / "seed_changji_waishiban_2021.txt")
            render(seed, seed_pdf, "pdf")
            render(seed, work / "seed_narrow.pdf", "pdf", narrow=True)
        log(f"PDF: our reader vs camelot lattice on {c['docs']} generated PDFs + the seed rendered as PDF")
        res["pdf_peers"] = run_step(
            "pdf_peers",
            {
                **c,
                "files": fmt_files["pdf"][: c["docs"]],
                "seed_pdf": str(seed_pdf),
                "seed20_pdf": str(work / "seed_narrow.pdf"),
            },
            work / "steps",
        )
    if "xlsx_peers" in steps:
        c = cfg["xlsx_peers"]
        log(f"XLSX: our reader vs pandas.read_excel on {c['docs']} workbooks")
        res["xlsx_peers"] = run_step("xlsx_peers", {**c, "files": fmt_files["xlsx"][: c["docs"]]}, work / "steps")

    p = cfg["prefecture"]
    pref_data = work / "prefecture"
    if {"prefecture", "incremental", "bi"} & set(steps):
        pref_files = gen("prefecture", MIXED, p["units"], [p["year"]], limit=p["limit"])
        runs = []
        for i in range(p["cold_runs"] if "prefecture" in steps else 1):
            log(f"cold load of a prefecture year ({len(pref_files)} docs, mixed formats), run {i + 1}")
            runs.append(run_step("cold_load", {"files": pref_files, "data_dir": str(pref_data)}, work / "steps"))
        res["prefecture"] = {"runs": runs, "docs": len(pref_files), "mix": _mix(pref_files)}
    if "bi" in steps:
        c = cfg["bi"]
        log(
            f"BI: warehouse of {c['years']} years × {c['copies']} × {p['limit']} units "
            "synthesised from the prefecture lake"
        )
        res["bi"] = run_step(
            "bi",
            {
                **c,
                "source_lake": str(pref_data / "lake"),
                "data_dir": str(work / "bi"),
                "registry": str(corpora / "prefecture" / "unit_registry.synthetic.csv"),
            },
            work / "steps",
        )
        shutil.rmtree(work / "bi", ignore_errors=True)
    if "incremental" in steps:
        new = gen("new_files", MIXED, 1, [p["year"] + 1], limit=cfg["incremental"]["repeats"])
        log("incremental: floor (no-op dbt build, Dagster run start) and one new file → marts")
        res["incremental"] = run_step(
            "incremental",
            {"data_dir": str(pref_data), "files": new, "repeats": cfg["incremental"]["repeats"]},
            work / "steps",
        )
    if "scale" in steps:
        c = cfg["scale"]
        files = gen("scale", ("txt",), c["units"], c["years"], limit=max(c["sizes"]))
        res["scale"] = {}
        for n in c["sizes"]:
            runs = []
            for i in range(c.get("repeats", 1)):
                log(f"scale: cold load of {n} text disclosures, run {i + 1}")
                runs.append(
                    run_step("cold_load", {"files": files[:n], "data_dir": str(work / f"scale-{n}")}, work / "steps")
                )
                shutil.rmtree(work / f"scale-{n}", ignore_errors=True)
            # the run with the median total stands for the size (its parts stay consistent)
            middle = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
            res["scale"][str(n)] = {
                **middle,
                "runs_s": [r["seconds"] for r in runs],
                "ingest_runs_s": [r["ingest_s"] for r in runs],
                "dbt_runs_s": [r["dbt_s"] for r in runs],
                "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            }
    return res


def _mix(files: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in files:
        out[Path(f).suffix.lstrip(".")] = out.get(Path(f).suffix.lstrip("."), 0) + 1
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny corpora, one run each: a sanity check")
    ap.add_argument("--out", type=Path, default=ROOT / "docs", help="where benchmarks.md/.json go (default docs/)")
    ap.add_argument("--work", type=Path, default=None, help="keep corpora and data folders here (default: temp)")
    ap.add_argument("--only", default=None, help=f"comma-separated steps of {','.join(STEPS)}")
    ap.add_argument(
        "--templates",
        default="changji",
        help="template families the corpora are drawn from (changji, national; default changji "
        "alone, as the published figures were measured)",
    )
    ap.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: rewrite benchmarks.md/.json from the results in <out>/benchmarks.json",
    )
    args = ap.parse_args(argv)
    if args.report_only:
        from bench.report import write

        res = json.loads((args.out / "benchmarks.json").read_text(encoding="utf-8"))["results"]
        md, js = write(res, args.out)
        log(f"rewrote {md} and {js}")
        return 0
    cfg = QUICK if args.quick else FULL
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        templates = tuple(x.strip() for x in args.templates.split(",") if x.strip())
        from generator.build import TEMPLATES

        unknown = [x for x in templates if x not in TEMPLATES]
        if unknown or not templates:
            ap.error(f"--templates: unknown template family {unknown} (known: {', '.join(TEMPLATES)})")
        res = run_all(work, cfg, args.only.split(",") if args.only else None, templates)
    res["bench_seconds"] = round(time.time() - started, 1)
    res["quick"] = args.quick
    previous = args.out / "benchmarks.json"
    if args.only and previous.exists():  # a partial re-run replaces only the steps it ran
        old = json.loads(previous.read_text(encoding="utf-8")).get("results", {})
        if old.get("quick", False) == args.quick:
            res["bench_seconds"] = round(old.get("bench_seconds", 0) + res["bench_seconds"], 1)
            res["rerun"] = sorted(set(old.get("rerun", [])) | set(args.only.split(",")))
            res["generation"] = {**old.get("generation", {}), **res["generation"]}
            res = {**old, **{k: v for k, v in res.items() if v or k in ("quick",)}}
    from bench.report import write

    md, js = write(res, args.out)
    log(f"done in {res['bench_seconds'] / 60:.1f} min: wrote {md} and {js}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
