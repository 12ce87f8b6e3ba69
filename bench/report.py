"""docs/benchmarks.md and docs/benchmarks.json from the results of one bench run."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from bench.common import median

PACKAGES = [
    "pypdfium2",
    "pdfplumber",
    "pdfminer.six",
    "camelot-py",
    "openpyxl",
    "python-docx",
    "pandas",
    "pandera",
    "pyarrow",
    "duckdb",
    "dbt-core",
    "dbt-duckdb",
    "dagster",
    "dagster-dbt",
]


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    for p in PACKAGES:
        try:
            versions[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            versions[p] = None
    try:
        commit = (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=Path(__file__).parent
            ).stdout.strip()
            or None
        )
    except OSError:
        commit = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": ram,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "packages": versions,
        "git_commit": commit,
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }


def _g(d: dict, *keys, default=None):
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return default
        d = d[k]
    return d


# the numeric keys the issue asks for (None when that step was not run)
REQUIRED_KEYS = (
    "pdf_speed_vs_camelot",
    "pdf_cell_accuracy",
    "camelot_cell_accuracy",
    "incremental_latency_s",
    "noop_floor_s",
    "incremental_latency_vs_floor",
    "prefecture_year_cold_s",
    "scaling_10k_vs_1k_per_doc",
    "bi_query_p95_ms",
    "peak_rss_mb",
)


def figures(res: dict) -> dict:
    """The flat numeric keys of benchmarks.json."""
    f: dict = {}
    pp = res.get("pdf_peers") or {}
    for k in ("pdf_speed_vs_camelot", "pdf_cell_accuracy", "camelot_cell_accuracy"):
        f[k] = pp.get(k)
    f["pdf_read_s_per_doc"] = pp.get("ours_read_s_per_doc")
    f["camelot_s_per_doc"] = pp.get("camelot_s_per_doc")
    f["pdf_20_page_read_s"] = pp.get("seed20_pdf_read_s")
    f["pdf_20_page_pages"] = pp.get("seed20_pdf_pages")
    f["pdf_20_page_camelot_s"] = pp.get("seed20_pdf_camelot_s")
    f["pdf_seed_12_page_read_s"] = pp.get("seed_pdf_read_s")
    inc = res.get("incremental") or {}
    for k in (
        "incremental_latency_s",
        "noop_floor_s",
        "incremental_latency_vs_floor",
        "noop_dbt_build_s",
        "dagster_run_start_s",
        "load_job_nothing_new_s",
    ):
        f[k] = inc.get(k)
    runs = _g(res, "prefecture", "runs", default=[]) or []
    f["prefecture_year_cold_s"] = round(median([r["seconds"] for r in runs]), 2) if runs else None
    f["prefecture_year_ingest_s"] = round(median([r["ingest_s"] for r in runs]), 2) if runs else None
    f["prefecture_year_dbt_s"] = round(median([r["dbt_s"] for r in runs]), 2) if runs else None
    sc = res.get("scale") or {}
    if len(sc) >= 2:
        sizes = sorted(sc, key=int)
        lo, hi = sc[sizes[0]], sc[sizes[-1]]
        per = lambda r, k="seconds": r[k] / r["docs"]  # noqa: E731
        f["scaling_10k_vs_1k_per_doc"] = round(per(hi) / per(lo), 3)
        f["scaling_ingest_10k_vs_1k_per_doc"] = round(per(hi, "ingest_s") / per(lo, "ingest_s"), 3)
        f["scaling_dbt_10k_vs_1k_per_doc"] = round(per(hi, "dbt_s") / per(lo, "dbt_s"), 3)
        if len(sizes) >= 3:  # marginal cost per document, upper interval / lower interval (fixed costs cancel)
            mid = sc[sizes[1]]
            marg = lambda a, b, k="seconds": (b[k] - a[k]) / (b["docs"] - a["docs"])  # noqa: E731
            f["scaling_marginal_upper_vs_lower"] = round(marg(mid, hi) / marg(lo, mid), 3)
            f["scaling_marginal_ms_per_doc"] = [round(1000 * marg(lo, mid), 2), round(1000 * marg(mid, hi), 2)]
            f["scaling_ingest_marginal_upper_vs_lower"] = round(
                marg(mid, hi, "ingest_s") / marg(lo, mid, "ingest_s"), 3
            )
            f["scaling_ingest_marginal_ms_per_doc"] = [
                round(1000 * marg(lo, mid, "ingest_s"), 2),
                round(1000 * marg(mid, hi, "ingest_s"), 2),
            ]
    else:
        f["scaling_10k_vs_1k_per_doc"] = None
    bi = res.get("bi") or {}
    f["bi_query_p50_ms"] = bi.get("bi_query_p50_ms")
    f["bi_query_p95_ms"] = bi.get("bi_query_p95_ms")
    for fmt, r in (res.get("throughput") or {}).items():
        f[f"throughput_{fmt}_docs_per_s_per_core"] = r["docs_per_s_per_core"]
    rss = [v.get("peak_rss_mb") for v in _walk(res) if isinstance(v, dict) and "peak_rss_mb" in v]
    f["peak_rss_mb"] = max(rss) if rss else None
    return f


def _walk(x):
    if isinstance(x, dict):
        yield x
        for v in x.values():
            yield from _walk(v)
    elif isinstance(x, list):
        for v in x:
            yield from _walk(v)


TARGETS = {
    "pdf_speed_vs_camelot": (">=", 5.0),
    "pdf_cell_accuracy_vs_camelot": (">=", 0.0),
    "pdf_20_page_read_s": ("<", 0.7),
    "incremental_latency_vs_floor": ("<=", 2.0),
    "prefecture_year_cold_s": ("<", 60.0),
    "scaling_10k_vs_1k_per_doc": ("<=", 1.15),
}


def verdicts(f: dict) -> dict:
    out = {}
    for k, (op, target) in TARGETS.items():
        v = (
            f["pdf_cell_accuracy"] - f["camelot_cell_accuracy"]
            if k == "pdf_cell_accuracy_vs_camelot"
            and f.get("pdf_cell_accuracy") is not None
            and f.get("camelot_cell_accuracy") is not None
            else f.get(k)
        )
        out[k] = None if v is None else bool(v >= target if op == ">=" else v < target if op == "<" else v <= target)
    return out


def _n(x, fmt="{:.2f}") -> str:
    return "–" if x is None else fmt.format(x)


def _ok(v) -> str:
    return "–" if v is None else ("**met**" if v else "**missed**")


def markdown(res: dict, f: dict, ok: dict, m: dict) -> str:
    L: list[str] = []
    a = L.append
    a("# Benchmarks (`make bench` = `uv run --group bench python -m bench`)")
    a("")
    a(
        "Generated by `python -m bench`"
        + (" **--quick (sanity run: figures not meaningful)**" if res.get("quick") else "")
        + f", report written {m['date']} (measuring time {res.get('bench_seconds', 0) / 60:.0f} min"
        + (f", steps re-run: {', '.join(res['rerun'])}" if res.get("rerun") else "")
        + "); do not edit by hand. "
        "Every corpus is made by the generator (`generator/`, synthetic units, ground truth beside each file"
        + (
            f"; template families {' / '.join(res['config']['templates'])}, one drawn per unit-year"
            if res.get("config", {}).get("templates")
            else ""
        )
        + "); "
        "every heavy measurement runs in its own process, and peak RSS is that process's with its children "
        "(parser pool, dbt). Figures are medians of the runs listed in `benchmarks.json`."
    )
    a("")
    a("## Machine")
    a("")
    a("| | |")
    a("|---|---|")
    a(f"| CPU | {m['cpu']} |")
    a(f"| cores | {m['cores']} |")
    a(f"| RAM | {m['ram_gib']} GiB |")
    a(f"| OS / Python | {m['os']} / Python {m['python']} |")
    a(f"| packages | {', '.join(f'{k} {v}' for k, v in m['packages'].items() if v)} |")
    a(f"| commit | {m['git_commit']} (plus the working tree) |")
    a(
        f"| load average when the report was written | {', '.join(map(str, m['load_average_at_end']))} "
        "(other work on the machine during the run inflates the timings) |"
    )
    a("")
    a("## Targets")
    a("")
    a("| figure | measured | target | |")
    a("|---|---|---|---|")
    pp = res.get("pdf_peers") or {}
    a(
        f"| PDF tables: camelot lattice time / ours (same {pp.get('docs', '–')} files, {pp.get('pages', '–')} pages) "
        f"| {_n(f.get('pdf_speed_vs_camelot'), '{:.1f}×')} ({_n(f.get('camelot_s_per_doc'))} s vs "
        f"{_n(f.get('pdf_read_s_per_doc'), '{:.3f}')} s per doc) "
        f"| ≥ 5× | {_ok(ok['pdf_speed_vs_camelot'])} |"
    )
    a(
        f"| PDF cell accuracy, ours vs camelot ({pp.get('truth_cells', '–')} ground-truth amount cells) "
        f"| {_n(f.get('pdf_cell_accuracy'), '{:.2%}')} vs {_n(f.get('camelot_cell_accuracy'), '{:.2%}')} "
        f"| equal or better | {_ok(ok['pdf_cell_accuracy_vs_camelot'])} |"
    )
    a(
        f"| PDF reader, {f.get('pdf_20_page_pages') or '–'}-page disclosure "
        "(the real seed rendered as PDF, narrow columns) "
        f"| {_n(f.get('pdf_20_page_read_s'), '{:.3f} s')} | < 0.7 s | {_ok(ok['pdf_20_page_read_s'])} |"
    )
    a(
        f"| incremental: one new file → marts updated | {_n(f.get('incremental_latency_s'), '{:.1f} s')} = "
        f"{_n(f.get('incremental_latency_vs_floor'), '{:.2f}×')} the floor ({_n(f.get('noop_floor_s'), '{:.1f} s')}: "
        f"no-op dbt build {_n(f.get('noop_dbt_build_s'), '{:.1f} s')} + "
        f"Dagster run start {_n(f.get('dagster_run_start_s'), '{:.2f} s')}) "
        f"| ≤ 2× floor | {_ok(ok['incremental_latency_vs_floor'])} |"
    )
    pr = res.get("prefecture") or {}
    a(
        f"| prefecture year, cold: {pr.get('docs', '–')} units "
        f"({', '.join(f'{v} {k}' for k, v in (pr.get('mix') or {}).items())}) → marts "
        f"| {_n(f.get('prefecture_year_cold_s'), '{:.1f} s')} "
        f"(ingest {_n(f.get('prefecture_year_ingest_s'), '{:.1f}')} s, "
        f"dbt {_n(f.get('prefecture_year_dbt_s'), '{:.1f}')} s) "
        f"| < 60 s | {_ok(ok['prefecture_year_cold_s'])} |"
    )
    a(
        "| scaling: per-document cost at 10,000 / at 1,000 (text disclosures) "
        f"| {_n(f.get('scaling_10k_vs_1k_per_doc'), '{:.2f}')} "
        f"(ingest {_n(f.get('scaling_ingest_10k_vs_1k_per_doc'), '{:.2f}')}, "
        f"dbt {_n(f.get('scaling_dbt_10k_vs_1k_per_doc'), '{:.2f}')}) "
        f"| ≤ 1.15 | {_ok(ok['scaling_10k_vs_1k_per_doc'])} |"
    )
    a(
        "| BI queries on the marts, 10 years × 3,000 units: p95 (worst query) "
        f"| {_n(f.get('bi_query_p95_ms'), '{:.1f} ms')} "
        f"(p50 over all {_n(f.get('bi_query_p50_ms'), '{:.1f} ms')}) | – | |"
    )
    a(f"| peak RSS of any measurement | {_n(f.get('peak_rss_mb'), '{:.0f} MB')} | – | |")
    a("")
    th = res.get("throughput") or {}
    if th:
        a("## Parse + validate throughput per format (one process = one core)")
        a("")
        a(
            "`ingest.pipeline.parse_path` (read → recognize → Pandera + reconciliation rules) over the generated "
            "corpus (8 regions × units × 3 years, defects and layout variants on), after one warm-up file."
        )
        a("")
        a("| format | docs | docs/s per core | median s/doc | p95 s/doc | runs (s) | peak RSS |")
        a("|---|---|---|---|---|---|---|")
        for fmt, r in th.items():
            a(
                f"| {fmt} | {r['docs']} | {r['docs_per_s_per_core']:.1f} | {r['median_doc_s']:.3f} "
                f"| {r['p95_doc_s']:.3f} "
                f"| {', '.join(f'{x:.1f}' for x in r['runs_s'])} | {r['peak_rss_mb']:.0f} MB |"
            )
        a("")
    if pp:
        a("## Side by side: PDF tables, ours vs camelot lattice (same files, same run)")
        a("")
        a(
            "| | ours (`ingest.readers.read_document`: pdfium + pdfplumber's TableFinder) "
            "| camelot 2.0 `read_pdf(flavor='lattice', pages='all')` |"
        )
        a("|---|---|---|")
        a(
            f"| time per generated disclosure ({pp['docs']} docs, {pp['pages'] / max(pp['docs'], 1):.1f} pages each) "
            f"| {pp['ours_read_s_per_doc']:.3f} s (full parse + validate {pp['ours_parse_validate_s_per_doc']:.3f} s) "
            f"| {pp['camelot_s_per_doc']:.2f} s |"
        )
        for key, what in (
            ("seed_pdf", "the seed disclosure rendered as PDF"),
            ("seed20_pdf", "the seed with narrow amount columns (cells wrap)"),
        ):
            if f"{key}_pages" in pp:
                a(
                    f"| {what}, {pp[f'{key}_pages']} pages | {pp[f'{key}_read_s']:.3f} s (parse + validate "
                    f"{pp[f'{key}_parse_validate_s']:.3f} s) | {pp[f'{key}_camelot_s']:.2f} s |"
                )
        a(
            f"| cell accuracy ({pp['truth_cells']} ground-truth amount cells of 表一…表九) "
            f"| {pp['pdf_cell_accuracy']:.2%} ({pp['ours_cells_found']}) "
            f"| {pp['camelot_cell_accuracy']:.2%} ({pp['camelot_cells_found']}) |"
        )
        a(
            "| what it gives | paragraphs and tables in reading order, tables joined across pages, "
            "wrapped cells rejoined "
            "| tables per page only |"
        )
        a("")
        a(
            "Cell accuracy (bench/accuracy.py): the ground truth is the generator's layout grid, i.e. what the "
            "renderer prints, with its amount cells known. Each non-blank amount cell of 表一…表九 is (row label = the "
            "row's code and name cells concatenated, column counted from the right end of the row, value); strings "
            "are compared with all whitespace removed. An extracted row matches when its cells outside those columns "
            "concatenate to the label; the cell is found when that row holds the identical string in that column."
        )
        a("")
    xp = res.get("xlsx_peers") or {}
    if xp:
        a("## Side by side: XLSX, ours vs a plain `pandas.read_excel(sheet_name=None)`")
        a("")
        a("| | ours (`read_document`, openpyxl read-only) | `pandas.read_excel(path, sheet_name=None, header=None)` |")
        a("|---|---|---|")
        a(
            f"| time per workbook ({xp['docs']} workbooks) | {xp['ours_s_per_doc']:.3f} s "
            f"| {xp['pandas_s_per_doc']:.3f} s |"
        )
        a(
            f"| merged cells ({xp['merged_ranges_pandas_loses']} merged ranges in {xp['inspected_docs']} workbooks) "
            "| kept as the grid shows them (header spans, joined 合计 code+name) | lost: NaN in every covered cell |"
        )
        a(
            f"| amounts | exact decimal strings as displayed (cell number format applied), then `Decimal` | float64 "
            f"({xp['cells_pandas_returns_as_float']} float cells in {xp['inspected_docs']} workbooks; "
            "summing 表三 totals as floats differs from the exact sum in "
            f"{xp['docs_where_float_sum_differs_from_exact']} of them) |"
        )
        a(
            "| what it gives | a grid the recognizers read: tables, titles, paragraphs "
            "| one DataFrame per sheet, no document structure |"
        )
        a("")
    if pr:
        a("## End-to-end cold load of a prefecture year")
        a("")
        a(
            "A fresh data folder whose inbox holds the corpus (8 regions, one year, mixed formats drawn 4:3:2:1 "
            "PDF:XLSX:DOCX:text); `load_job` materialized in process as `make run` does "
            "(`orchestration.cli.materialize_all`, SQLite Dagster instance): ingest (parse over both cores) → lake → "
            "`dbt build` → atomic publish. The generated units load as unregistered units (only the demo set is in "
            "the registry seed)."
        )
        a("")
        a("| run | total s | ingest s | dbt s | docs in marts | warehouse | lake | peak RSS |")
        a("|---|---|---|---|---|---|---|---|")
        for i, r in enumerate(pr["runs"], 1):
            a(
                f"| {i} | {r['seconds']:.1f} | {r['ingest_s']:.1f} | {r['dbt_s']:.1f} | {r['docs_in_marts']} "
                f"| {r['warehouse_bytes'] / 1e6:.1f} MB | {r['lake_bytes'] / 1e6:.1f} MB | {r['peak_rss_mb']:.0f} MB |"
            )
        a("")
    inc = res.get("incremental") or {}
    if inc:
        a("## Incremental: one new file → marts, next to the floor (same run)")
        a("")
        a(
            "On the loaded prefecture data folder. The floor: a no-op `dbt build` of the project run as a user runs it "
            "(CLI process, lake unchanged) plus Dagster's run start (an in-process run of an asset that does nothing, "
            "same SQLite instance). The latency: the file is copied into the inbox, one `inbox_sensor` tick is "
            "evaluated (settle time 0), its run request is executed (`load_job`: ingest the one file, dbt build, "
            "publish) and the published marts are queried for the document. Not included: the sensor's polling "
            "interval (30 s) and settle time (5 s) in production, nor the daemon's run-worker start-up "
            "(a new Python process)."
        )
        a("")
        a("| | runs (s) | median |")
        a("|---|---|---|")
        a(
            f"| no-op dbt build | {', '.join(f'{x:.2f}' for x in inc['noop_dbt_build_runs_s'])} "
            f"| {inc['noop_dbt_build_s']:.2f} s |"
        )
        a(
            f"| Dagster run start (no-op asset) | {', '.join(f'{x:.2f}' for x in inc['dagster_run_start_runs_s'])} "
            f"| {inc['dagster_run_start_s']:.2f} s |"
        )
        a(
            f"| `load_job` with nothing new | {', '.join(f'{x:.2f}' for x in inc['load_job_nothing_new_runs_s'])} "
            f"| {inc['load_job_nothing_new_s']:.2f} s |"
        )
        a(
            f"| **one new file → marts** | {', '.join(f'{x:.2f}' for x in inc['incremental_runs_s'])} "
            f"| **{inc['incremental_latency_s']:.2f} s** |"
        )
        a("")
        parts = inc.get("incremental_parts") or []
        if parts:
            a("Where the time goes (first new file): " + ", ".join(f"{k} {v:.2f} s" for k, v in parts[0].items()) + ".")
            a("")
    sc = res.get("scale") or {}
    if sc:
        a("## Scale curve (text disclosures)")
        a("")
        a(
            "PDFs at ~0.2 s/doc would make 10,000 mixed documents a half-hour parse on 2 cores; the point here is how "
            "the lake and dbt scale, so the scale corpus is text disclosures (layouts cells/pipe/spaced, three "
            "encodings, defects on). Each size is a cold load of a fresh data folder through `load_job` as above. "
            f"Generation is timed separately: {_g(res, 'generation', 'scale', 'docs', default='–')} documents in "
            f"{_n(_g(res, 'generation', 'scale', 'seconds'), '{:.0f} s')} on 2 processes."
        )
        a("")
        a(
            "Each size is loaded `repeats` times; the run with the median total stands for it "
            "(all runs in the last column)."
        )
        a("")
        a(
            "| docs | total s | ms/doc | ingest s | ingest ms/doc | dbt s | dbt ms/doc | warehouse | lake | peak RSS "
            "| runs: total s |"
        )
        a("|---|---|---|---|---|---|---|---|---|---|---|")
        for n in sorted(sc, key=int):
            r = sc[n]
            d = r["docs"]
            runs = ", ".join(f"{x:.1f}" for x in r.get("runs_s", [r["seconds"]]))
            a(
                f"| {d:,} | {r['seconds']:.1f} | {1000 * r['seconds'] / d:.1f} | {r['ingest_s']:.1f} "
                f"| {1000 * r['ingest_s'] / d:.1f} | {r['dbt_s']:.1f} | {1000 * r['dbt_s'] / d:.1f} "
                f"| {r['warehouse_bytes'] / 1e6:.1f} MB | {r['lake_bytes'] / 1e6:.1f} MB "
                f"| {r['peak_rss_mb']:.0f} MB | {runs} |"
            )
        if f.get("scaling_marginal_upper_vs_lower") is not None:
            a("")
            lo_n, mid_n, hi_n = sorted(sc, key=int)[:3] if len(sc) == 3 else sorted(sc, key=int)[:3]
            a(
                f"Per-document cost at {int(hi_n):,} / at {int(lo_n):,}: {f['scaling_10k_vs_1k_per_doc']:.2f} "
                "(the issue's ratio; below 1 because the fixed cost of a load — dbt start-up and its tests, Dagster — "
                "is spread over more documents). "
                f"Marginal cost per added document: {f['scaling_marginal_ms_per_doc'][0]:.1f} ms "
                f"from {int(lo_n):,} to {int(mid_n):,}, "
                f"{f['scaling_marginal_ms_per_doc'][1]:.1f} ms from {int(mid_n):,} to {int(hi_n):,} "
                f"(ratio {f['scaling_marginal_upper_vs_lower']:.2f}; 1.00 = perfectly linear). "
                "The totals carry the run-to-run noise of the ~20 s dbt step, which does not grow with the documents; "
                "the ingest step, the part that does, costs "
                f"{f['scaling_ingest_marginal_ms_per_doc'][0]:.1f} and "
                f"{f['scaling_ingest_marginal_ms_per_doc'][1]:.1f} ms per "
                f"added document over the same intervals (ratio {f['scaling_ingest_marginal_upper_vs_lower']:.2f}) and "
                f"{f['scaling_ingest_10k_vs_1k_per_doc']:.2f}× per document at {int(hi_n):,} vs {int(lo_n):,}."
            )
            a("")
    bi = res.get("bi") or {}
    if bi:
        a("## BI query latency, 10 years × 3,000 units")
        a("")
        a(
            f"{bi['docs']:,} documents ({bi['units']:,} units × {bi['fiscal_years']} fiscal years), "
            "synthesised from the "
            "prefecture year's lake (each unit replicated under 10 new names registered with their region, shifted "
            f"back over 10 years, new document ids) in {bi['synth_s']:.0f} s; `dbt build` of the real project: "
            f"{bi['dbt_build_s']:.0f} s; warehouse {bi['warehouse_bytes'] / 1e6:.0f} MB. Queries on a read-only DuckDB "
            f"connection, {bi['runs_per_query']} runs each after a first (cold) run."
        )
        a("")
        a("| query | rows | first run | p50 | p95 |")
        a("|---|---|---|---|---|")
        for name, q in bi["queries"].items():
            a(f"| {name} | {q['rows']} | {q['first_ms']:.1f} ms | {q['p50_ms']:.1f} ms | {q['p95_ms']:.1f} ms |")
        a("")
    gen = res.get("generation") or {}
    if gen:
        a("## Corpus generation (not part of any load figure)")
        a("")
        a("| corpus | docs | seconds | docs/s (2 processes) | bytes |")
        a("|---|---|---|---|---|")
        for name, g in gen.items():
            a(f"| {name} | {g['docs']} | {g['seconds']:.1f} | {g['docs_per_s']:.1f} | {g['bytes'] / 1e6:.1f} MB |")
        a("")
    return "\n".join(L)


LIMITS = {
    "pdf_speed_vs_camelot": "our reader's time is pdfium loading each page's text (FPDFText_LoadPage, ~60 %) "
    "and pdfplumber's TableFinder plus the cell assembly in ingest/readers/pdf.py; see the profile notes below.",
    "pdf_cell_accuracy_vs_camelot": "see the cell-accuracy definition above.",
    "pdf_20_page_read_s": "pdfium's text extraction of the 20 pages and the table finding; "
    "the figure is sensitive to other load on the 2 cores.",
    "incremental_latency_vs_floor": "one file parses in well under a second; the rest is the dagster-dbt build "
    "inside the run (dbt plus Dagster recording every model and test as events and asset checks in its SQLite "
    "instance), the ingest step's bookkeeping (lake listing, quarantine status) and the publish, so the run's own "
    "dbt step costs more than the bare `dbt build` CLI that the floor measures.",
    "prefecture_year_cold_s": "PDF parsing on 2 cores and the dbt build (dbt itself is single-threaded "
    "Python: ~40 ms per node for 328 nodes) share the time; Dagster's recording of ~600 events in its SQLite "
    "instance comes third; see the profile notes below.",
    "scaling_10k_vs_1k_per_doc": "see the per-step ms/doc in the scale table.",
}


def closing(ok: dict, f: dict) -> str:
    met = [k for k, v in ok.items() if v]
    missed = [k for k, v in ok.items() if v is False]
    lines = ["## Closing note", ""]
    lines.append(f"Targets met: {', '.join(met) or 'none'}. Missed: {', '.join(missed) or 'none'}.")
    for k in missed:
        lines.append(f"- **{k}** ({f.get(k, '–') if k in f else '–'}): {LIMITS.get(k, '')}")
    return "\n".join(lines) + "\n"


def write(res: dict, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    m = machine()
    f = figures(res)
    ok = verdicts(f)
    notes_file = Path(__file__).with_name("NOTES.md")
    md = markdown(res, f, ok, m) + "\n" + closing(ok, f)
    if notes_file.exists():
        md += "\n" + notes_file.read_text(encoding="utf-8")
    (out / "benchmarks.md").write_text(md + "\n", encoding="utf-8")
    doc = {**f, "targets_met": ok, "machine": m, "results": res}
    (out / "benchmarks.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8"
    )
    return out / "benchmarks.md", out / "benchmarks.json"
