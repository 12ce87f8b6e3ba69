"""The measurements, one function per worker step (each runs in its own process)."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from bench.common import log, median, pct


def _files(params: dict, key: str = "files") -> list[Path]:
    return [Path(f) for f in params[key]]


# ---------------------------------------------------------------- parse + validate throughput


def throughput(params: dict) -> dict:
    """Single process: parse_path (read + recognize + validate) over the files, `repeats` times."""
    from ingest.pipeline import parse_path

    files = _files(params)
    parse_path(files[0])  # imports and caches out of the timing
    runs, per_doc, errors = [], [], 0
    for k in range(params.get("repeats", 1)):
        started = time.perf_counter()
        for f in files:
            p = parse_path(f)
            errors += p.error is not None
            if k == 0:
                per_doc.append(p.seconds)
        runs.append(time.perf_counter() - started)
        log(f"  {params['fmt']}: run {k + 1}: {len(files)} docs in {runs[-1]:.1f} s")
    med = median(runs)
    return {
        "fmt": params["fmt"],
        "docs": len(files),
        "runs_s": [round(r, 3) for r in runs],
        "docs_per_s_per_core": round(len(files) / med, 2),
        "median_doc_s": round(median(per_doc), 4),
        "p95_doc_s": round(pct(per_doc, 95), 4),
        "unreadable": errors,
    }


# ---------------------------------------------------------------- PDF: ours vs camelot lattice


def pdf_peers(params: dict) -> dict:
    import pdfplumber

    from bench.accuracy import camelot_rows, our_rows, score
    from ingest.pipeline import parse_path

    files = _files(params)
    our_rows(files[0])  # warm imports
    try:
        import camelot  # noqa: F401  (import cost out of the timing too)
    except ImportError as exc:
        raise SystemExit("camelot is not installed: run the bench as `uv run --group bench python -m bench`") from exc

    def timed_reads(read) -> tuple[float, list]:
        """Seconds to read every file (nothing else timed), and what each read gave."""
        started = time.perf_counter()
        rows = [read(f) for f in files]
        return time.perf_counter() - started, rows

    def accuracy(rows_per_file: list) -> tuple[int, int]:
        found = total = 0
        for f, rows in zip(files, rows_per_file):
            truth = json.loads(Path(str(f) + ".cells.json").read_text(encoding="utf-8"))
            a, b = score(truth, rows)
            found, total = found + a, total + b
        return found, total

    ours_runs, parse_runs = [], []
    for k in range(params.get("repeats", 3)):
        seconds, rows = timed_reads(our_rows)
        ours_runs.append(seconds)
        if k == 0:
            ours_found, ours_total = accuracy(rows)
        parse_runs.append(timed_reads(parse_path)[0])
        log(f"  ours: run {k + 1}: read {ours_runs[-1]:.1f} s, parse+validate {parse_runs[-1]:.1f} s")
    cam_runs = []
    for k in range(params.get("camelot_repeats", 1)):
        seconds, rows = timed_reads(camelot_rows)
        cam_runs.append(seconds)
        if k == 0:
            cam_found, cam_total = accuracy(rows)
        log(f"  camelot lattice: run {k + 1}: {cam_runs[-1]:.1f} s")
    pages = sum(len(pdfplumber.open(f).pages) for f in files)
    out = {
        "docs": len(files),
        "pages": pages,
        "ours_read_s_per_doc": round(median(ours_runs) / len(files), 4),
        "ours_parse_validate_s_per_doc": round(median(parse_runs) / len(files), 4),
        "camelot_s_per_doc": round(median(cam_runs) / len(files), 4),
        "ours_runs_s": [round(x, 2) for x in ours_runs],
        "camelot_runs_s": [round(x, 2) for x in cam_runs],
        "ours_cells_found": ours_found,
        "camelot_cells_found": cam_found,
        "truth_cells": ours_total,
        "pdf_cell_accuracy": round(ours_found / ours_total, 4) if ours_total else None,
        "camelot_cell_accuracy": round(cam_found / cam_total, 4) if cam_total else None,
    }
    out["pdf_speed_vs_camelot"] = round(out["camelot_s_per_doc"] / out["ours_read_s_per_doc"], 2)
    # the real seed (昌吉州外事办 2021) rendered as a printed PDF: default layout (12 pages) and
    # narrow amount columns that wrap (20 pages: the "20-page disclosure" of the target)
    for key, path in (("seed_pdf", params["seed_pdf"]), ("seed20_pdf", params.get("seed20_pdf"))):
        if not path:
            continue
        seed = Path(path)
        out[f"{key}_pages"] = len(pdfplumber.open(seed).pages)
        times = []
        for _ in range(params.get("seed_repeats", 5)):
            started = time.perf_counter()
            our_rows(seed)
            times.append(time.perf_counter() - started)
        out[f"{key}_read_s"] = round(median(times), 4)
        out[f"{key}_read_runs_s"] = [round(x, 3) for x in times]
        out[f"{key}_parse_validate_s"] = round(
            median([parse_path(seed).seconds for _ in range(params.get("seed_repeats", 5))]), 4
        )
        started = time.perf_counter()
        camelot_rows(seed)
        out[f"{key}_camelot_s"] = round(time.perf_counter() - started, 3)
        log(
            f"  seed PDF ({out[f'{key}_pages']} pages): ours {out[f'{key}_read_s']:.3f} s, "
            f"camelot {out[f'{key}_camelot_s']:.2f} s"
        )
    return out


# ---------------------------------------------------------------- XLSX: ours vs pandas.read_excel


def xlsx_peers(params: dict) -> dict:
    import warnings

    import openpyxl
    import pandas as pd

    from ingest.readers import read_document

    files = _files(params)
    read_document(files[0])
    pd.read_excel(files[0], sheet_name=None, header=None)
    ours, theirs = [], []
    for k in range(params.get("repeats", 3)):
        started = time.perf_counter()
        for f in files:
            read_document(f)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for f in files:
                pd.read_excel(f, sheet_name=None, header=None)
        theirs.append(time.perf_counter() - started)
        log(f"  xlsx: run {k + 1}: ours {ours[-1]:.1f} s, pandas.read_excel {theirs[-1]:.1f} s")
    # what pandas does not give: merged ranges (it sees a NaN in every covered cell) and exact
    # decimals (amount cells come back as float64)
    merged = floats = inexact_sum = 0
    for f in files[: params.get("inspect", 20)]:
        wb = openpyxl.load_workbook(f)
        merged += sum(len(ws.merged_cells.ranges) for ws in wb.worksheets)
        frames = pd.read_excel(f, sheet_name=None, header=None)
        for df in frames.values():
            for col in df.columns:
                s = df[col]
                nums = [v for v in s.tolist() if isinstance(v, float) and v == v]
                floats += len(nums)
        from decimal import Decimal

        from ingest.recognize import recognize

        d = recognize(read_document(f))
        amounts = [r["total_wan_yuan"] for r in d.table("raw_expenditure") if r.get("total_wan_yuan") is not None]
        if sum(float(a) for a in amounts) != float(sum(amounts, Decimal(0))):
            inexact_sum += 1
    return {
        "docs": len(files),
        "ours_s_per_doc": round(median(ours) / len(files), 4),
        "pandas_s_per_doc": round(median(theirs) / len(files), 4),
        "ours_runs_s": [round(x, 2) for x in ours],
        "pandas_runs_s": [round(x, 2) for x in theirs],
        "inspected_docs": min(len(files), params.get("inspect", 20)),
        "merged_ranges_pandas_loses": merged,
        "cells_pandas_returns_as_float": floats,
        "docs_where_float_sum_differs_from_exact": inexact_sum,
    }


# ---------------------------------------------------------------- the real pipeline


def _instance():
    import dagster as dg

    home = Path(os.environ["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        from ingest.settings import PROJECT_ROOT

        shutil.copyfile(PROJECT_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    return dg.DagsterInstance.get()


def _step_seconds(instance, run_id: str) -> dict[str, float]:
    """Seconds per step (STEP_START → STEP_SUCCESS/FAILURE) from the run's event log."""
    starts, out = {}, {}
    for entry in instance.all_logs(run_id):
        ev = entry.dagster_event
        if ev is None or not ev.step_key:
            continue
        if ev.event_type_value == "STEP_START":
            starts[ev.step_key] = entry.timestamp
        elif ev.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and ev.step_key in starts:
            out[ev.step_key] = round(entry.timestamp - starts[ev.step_key], 3)
    return out


def _dir_bytes(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) if p.exists() else 0


def cold_load(params: dict) -> dict:
    """A fresh data folder whose inbox holds the corpus; `load_job` (ingest → lake → dbt build →
    publish) materialized in this process, parsing over all cores, exactly as `make run`."""
    import duckdb

    from ingest.settings import ENV_VAR, Settings
    from orchestration.cli import materialize_all

    data = Path(params["data_dir"])
    if data.exists():
        shutil.rmtree(data)
    (data / "inbox").mkdir(parents=True)
    for f in _files(params):
        os.link(f, data / "inbox" / f.name) if params.get("link", True) else shutil.copy(f, data / "inbox")
    os.environ[ENV_VAR] = str(data)
    os.environ["DAGSTER_HOME"] = str(data / ".dagster")
    settings = Settings.from_env()
    with _instance() as instance:
        started = time.perf_counter()
        result = materialize_all(instance=instance, log_level=params.get("log_level", "WARNING"))
        seconds = time.perf_counter() - started
        steps = _step_seconds(instance, result.run_id)
    if not result.success:
        raise RuntimeError("load_job failed")
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        docs = con.execute("select count(*) from marts.mart_disclosure_quality").fetchone()[0]
    ingest = sum(v for k, v in steps.items() if k.startswith("raw_disclosures"))
    dbt = sum(v for k, v in steps.items() if "dbt" in k)
    out = {
        "docs": len(params["files"]),
        "docs_in_marts": docs,
        "seconds": round(seconds, 3),
        "ingest_s": round(ingest, 3),
        "dbt_s": round(dbt, 3),
        "steps_s": steps,
        "warehouse_bytes": settings.warehouse.stat().st_size,
        "lake_bytes": _dir_bytes(settings.lake),
    }
    log(
        f"  cold load of {out['docs']} docs: {seconds:.1f} s (ingest {ingest:.1f} s, dbt {dbt:.1f} s), "
        f"warehouse {out['warehouse_bytes'] / 1e6:.1f} MB"
    )
    return out


def incremental(params: dict) -> dict:
    """On a loaded data folder: the floor (no-op dbt build, Dagster run start, load_job with
    nothing new), then one new file dropped at a time → sensor tick → load_job → marts show it."""
    import subprocess
    import sys

    import dagster as dg
    import duckdb
    from dagster._core.storage.tags import RUN_KEY_TAG, SENSOR_NAME_TAG

    from ingest.settings import ENV_VAR, PROJECT_ROOT, Settings

    data = Path(params["data_dir"])
    os.environ[ENV_VAR] = str(data)
    os.environ["DAGSTER_HOME"] = str(data / ".dagster")
    os.environ["BUDGET_WAREHOUSE_SETTLE_SECONDS"] = "0"
    from orchestration.cli import materialize_all
    from orchestration.definitions import defs
    from orchestration.defs.sensors import inbox_sensor

    settings = Settings.from_env()
    repeats = params.get("repeats", 3)
    dbt_dir = PROJECT_ROOT / "dbt_project"

    # floor 1: a no-op `dbt build` of the project (the lake unchanged), as a user runs it, with
    # the arguments a load passes (unit tests excluded)
    from orchestration.defs.assets import DBT_BUILD_ARGS

    noop_dbt = []
    scratch = data / ".bench-noop.duckdb"
    for _ in range(repeats):
        env = {**os.environ, "BUDGET_WAREHOUSE_DBT_DATABASE": str(scratch)}
        started = time.perf_counter()
        subprocess.run(
            [
                str(Path(sys.executable).with_name("dbt")),
                *DBT_BUILD_ARGS,
                "--project-dir",
                str(dbt_dir),
                "--profiles-dir",
                str(dbt_dir),
                "--target-path",
                str(data / ".bench-dbt-target"),
                "--quiet",
            ],
            env=env,
            check=True,
            cwd=dbt_dir,
        )
        noop_dbt.append(time.perf_counter() - started)
        scratch.unlink(missing_ok=True)
        Path(str(scratch) + ".wal").unlink(missing_ok=True)
    log(f"  no-op dbt build: {', '.join(f'{x:.1f}' for x in noop_dbt)} s")

    # floor 2: Dagster's run start: a run of one asset that does nothing, same instance
    @dg.asset
    def bench_noop() -> None:
        return None

    noop_job = dg.Definitions(assets=[bench_noop]).resolve_implicit_global_asset_job_def()
    dagster_start = []
    with _instance() as instance:
        for _ in range(repeats):
            started = time.perf_counter()
            noop_job.execute_in_process(instance=instance)
            dagster_start.append(time.perf_counter() - started)
        log(f"  Dagster run of a no-op asset: {', '.join(f'{x:.2f}' for x in dagster_start)} s")

        # the load job with nothing new (what a tick that found nothing would cost if it ran)
        empty_job = []
        for _ in range(repeats):
            started = time.perf_counter()
            r = materialize_all(instance=instance, log_level="WARNING", ingest_config={"paths": []})
            empty_job.append(time.perf_counter() - started)
            assert r.success
        log(f"  load_job with nothing new: {', '.join(f'{x:.1f}' for x in empty_job)} s")

        # one new file → marts updated
        job = defs.resolve_job_def("load_job")
        cursor = None
        ctx = dg.build_sensor_context(
            instance=instance, cursor=cursor, resources={"warehouse": defs.resources["warehouse"]}
        )
        cursor = inbox_sensor.evaluate_tick(ctx).cursor  # the daemon's cursor before the drops
        latencies, parts = [], []
        for f in _files(params)[:repeats]:
            started = time.perf_counter()
            target = settings.inbox / Path(f).name
            shutil.copyfile(f, target)
            past = time.time() - 60  # a finished copy (the sensor waits for a file to settle)
            os.utime(target, (past, past))
            ctx = dg.build_sensor_context(
                instance=instance, cursor=cursor, resources={"warehouse": defs.resources["warehouse"]}
            )
            tick = inbox_sensor.evaluate_tick(ctx)
            cursor = tick.cursor
            sensed = time.perf_counter()
            assert len(tick.run_requests) == 1, tick
            req = tick.run_requests[0]
            r = job.execute_in_process(
                run_config=req.run_config,
                instance=instance,
                tags={**req.tags, RUN_KEY_TAG: req.run_key, SENSOR_NAME_TAG: "inbox_sensor"},
                raise_on_error=False,
            )
            assert r.success
            with duckdb.connect(str(settings.warehouse), read_only=True) as con:
                n = con.execute(
                    "select count(*) from marts.mart_disclosure_quality where source_file = ?", [Path(f).name]
                ).fetchone()[0]
            assert n == 1, "the new document is not in the marts"
            latencies.append(time.perf_counter() - started)
            parts.append({"sensor_tick_s": round(sensed - started, 3), **_step_seconds(instance, r.run_id)})
            log(f"  one new file → marts: {latencies[-1]:.1f} s")
    floor = median(noop_dbt) + median(dagster_start)
    out = {
        "noop_dbt_build_runs_s": [round(x, 2) for x in noop_dbt],
        "dagster_run_start_runs_s": [round(x, 3) for x in dagster_start],
        "load_job_nothing_new_runs_s": [round(x, 2) for x in empty_job],
        "incremental_runs_s": [round(x, 2) for x in latencies],
        "incremental_parts": parts,
        "noop_dbt_build_s": round(median(noop_dbt), 3),
        "dagster_run_start_s": round(median(dagster_start), 3),
        "load_job_nothing_new_s": round(median(empty_job), 3),
        "noop_floor_s": round(floor, 3),
        "incremental_latency_s": round(median(latencies), 3),
    }
    out["incremental_latency_vs_floor"] = round(out["incremental_latency_s"] / floor, 3)
    return out
